//! Gregorian, Solar Hijri (Jalali) and lunar Hijri dates: parsing what people write in a
//! case file, converting between calendars, and displaying a date in both.
//!
//! Conversions go through ICU4X's `icu_calendar`, never hand-written arithmetic.

use chrono::{Datelike, NaiveDate};
use icu_calendar::cal::{Hijri, Persian};
use icu_calendar::{Date, Iso};
use serde::Serialize;

use crate::i18n::{Arg, Message};
use crate::msg;
use crate::text::{to_ascii_digits, to_persian_digits};

/// The calendar a date was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CalendarKind {
    /// The Gregorian calendar.
    Gregorian,
    /// The Solar Hijri (Jalali) calendar, Iran's civil calendar.
    Persian,
    /// The lunar Hijri calendar.
    Islamic,
}

/// How much of a date was given: a day, a month or a whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// `2012-10-01`
    Day,
    /// `2012-10`
    Month,
    /// `2012`
    Year,
}

/// A date as written in a case, with the Gregorian range it stands for.
///
/// Keeps the original text so that a file is never rewritten with a date the author did
/// not write, and the range so that `2012-10` matches a search for 2012-10-15.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDate {
    /// Exactly what the file says.
    pub original: String,
    /// The calendar the author wrote in.
    pub calendar: CalendarKind,
    /// Day, month or year.
    pub precision: Precision,
    /// First Gregorian day of the range.
    pub start: NaiveDate,
    /// Last Gregorian day of the range (equal to `start` for a day).
    pub end: NaiveDate,
}

/// Why a date could not be read. The message says what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[error("{0:?} is not a date. Write YYYY-MM-DD, YYYY-MM or YYYY, Gregorian or Jalali (e.g. 2012-10-01 or 1391-07-10)")]
    Shape(String),
    /// The month is outside 1..=12.
    #[error("{0:?} has month {1}, which does not exist. Months run from 1 to 12")]
    Month(String, u32),
    /// The day does not exist in that month.
    #[error("{0:?} is not a real day: {1} has no day {2}")]
    Day(String, MonthOf, u32),
    /// The year is outside what we accept.
    #[error("{0:?} has year {1}, outside 1300–1499 (Jalali) and 1800–2200 (Gregorian)")]
    Year(String, i32),
}

impl DateError {
    /// The error in either language (the web form and `check --lang` tell it).
    pub fn message(&self) -> Message {
        let value = |v: &String| Arg::Digits(v.clone());
        match self {
            DateError::Shape(v) => msg!("form-error-date-shape", value = value(v)),
            DateError::Month(v, month) => {
                msg!("form-error-date-month", value = value(v), month = *month)
            }
            DateError::Day(v, month, day) => msg!(
                "form-error-date-day",
                value = value(v),
                month = Arg::Localized {
                    en: month.to_string(),
                    fa: month.persian(),
                },
                day = *day
            ),
            DateError::Year(v, year) => {
                msg!("form-error-date-year", value = value(v), year = *year)
            }
        }
    }
}

impl CaseDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or with `/`), in ASCII, Persian or
    /// Arabic-Indic digits. A year from 1300 to 1499 is read as Solar Hijri.
    pub fn parse(text: &str) -> Result<CaseDate, DateError> {
        let original = text.trim().to_string();
        let ascii = to_ascii_digits(&original);
        let parts: Vec<&str> = ascii.split(['-', '/']).collect();
        let numbers: Option<Vec<u32>> = parts
            .iter()
            .map(|p| {
                if p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect();
        let numbers = match numbers {
            Some(n) if !n.is_empty() && n.len() <= 3 && parts[0].len() == 4 => n,
            _ => return Err(DateError::Shape(original)),
        };
        let year = numbers[0] as i32;
        let calendar = match year {
            1300..=1499 => CalendarKind::Persian,
            1800..=2200 => CalendarKind::Gregorian,
            _ => return Err(DateError::Year(original, year)),
        };
        let month = numbers.get(1).copied();
        let day = numbers.get(2).copied();
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError::Month(original, m));
            }
        }
        let (start, end, precision) = match (month, day) {
            (None, _) => {
                let last = days_in_month(calendar, year, 12).unwrap_or(29);
                (
                    to_gregorian(calendar, year, 1, 1),
                    to_gregorian(calendar, year, 12, last),
                    Precision::Year,
                )
            }
            (Some(m), None) => {
                let last = days_in_month(calendar, year, m).unwrap_or(28);
                (
                    to_gregorian(calendar, year, m, 1),
                    to_gregorian(calendar, year, m, last),
                    Precision::Month,
                )
            }
            (Some(m), Some(d)) => {
                let day = to_gregorian(calendar, year, m, d).ok_or_else(|| {
                    DateError::Day(original.clone(), month_label(calendar, year, m), d)
                })?;
                (Some(day), Some(day), Precision::Day)
            }
        };
        match (start, end) {
            (Some(start), Some(end)) => Ok(CaseDate {
                original,
                calendar,
                precision,
                start,
                end,
            }),
            _ => Err(DateError::Shape(original)),
        }
    }

    /// Whether this date's range overlaps `[from, to]`.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.start <= to && self.end >= from
    }
}

/// A month of a year in a calendar, as a date error names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthOf {
    /// The calendar.
    pub calendar: CalendarKind,
    /// The year in that calendar.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
}

impl MonthOf {
    /// The month in Persian: «اردیبهشت ۱۴۰۵», or «۲۰۲۶-۰۲».
    pub fn persian(&self) -> String {
        match self.calendar {
            CalendarKind::Persian => crate::text::to_persian_digits(&format!(
                "{} {}",
                PERSIAN_MONTHS_FA[(self.month.clamp(1, 12) - 1) as usize],
                self.year
            )),
            _ => crate::text::to_persian_digits(&format!("{}-{:02}", self.year, self.month)),
        }
    }
}

impl std::fmt::Display for MonthOf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.calendar {
            CalendarKind::Persian => write!(
                f,
                "{} {}",
                PERSIAN_MONTHS_EN[(self.month.clamp(1, 12) - 1) as usize],
                self.year
            ),
            _ => write!(f, "{}-{:02}", self.year, self.month),
        }
    }
}

fn month_label(calendar: CalendarKind, year: i32, month: u32) -> MonthOf {
    MonthOf {
        calendar,
        year,
        month,
    }
}

/// Converts a date of the given calendar to Gregorian, or `None` if it does not exist.
pub fn to_gregorian(calendar: CalendarKind, year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let (m, d) = (u8::try_from(month).ok()?, u8::try_from(day).ok()?);
    match calendar {
        CalendarKind::Gregorian => NaiveDate::from_ymd_opt(year, month, day),
        CalendarKind::Persian => {
            let date = Date::try_new_persian(year, m, d).ok()?;
            // ICU clamps nothing here, but check the round trip to be sure the day exists.
            if date.day_of_month().0 != d || date.month().ordinal != m {
                return None;
            }
            iso_to_naive(date.to_calendar(Iso))
        }
        CalendarKind::Islamic => {
            let date =
                Date::try_new_hijri_with_calendar(year, m, d, Hijri::new_umm_al_qura()).ok()?;
            iso_to_naive(date.to_calendar(Iso))
        }
    }
}

/// Number of days in a month of the given calendar.
pub fn days_in_month(calendar: CalendarKind, year: i32, month: u32) -> Option<u32> {
    let m = u8::try_from(month).ok()?;
    match calendar {
        CalendarKind::Gregorian => {
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(year, month + 1, 1)?
            };
            Some((next - first).num_days() as u32)
        }
        CalendarKind::Persian => Some(
            Date::try_new_persian(year, m, 1)
                .ok()?
                .days_in_month()
                .into(),
        ),
        CalendarKind::Islamic => Some(
            Date::try_new_hijri_with_calendar(year, m, 1, Hijri::new_umm_al_qura())
                .ok()?
                .days_in_month()
                .into(),
        ),
    }
}

fn iso_to_naive(date: Date<Iso>) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        date.year().extended_year(),
        date.month().ordinal.into(),
        date.day_of_month().0.into(),
    )
}

fn naive_to_iso(date: NaiveDate) -> Option<Date<Iso>> {
    Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8).ok()
}

/// A year, month and day in some calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ymd {
    /// The year (extended, so negative years never occur for our range).
    pub year: i32,
    /// 1-based month.
    pub month: u32,
    /// 1-based day of month.
    pub day: u32,
}

/// The Jalali date of a Gregorian day.
pub fn to_jalali(date: NaiveDate) -> Ymd {
    to_calendar(CalendarKind::Persian, date)
}

/// The date of a Gregorian day in any of our calendars. Islamic dates use the Umm al-Qura
/// computation; Iran's announced dates can differ by a day (see `calendar` overrides).
pub fn to_calendar(calendar: CalendarKind, date: NaiveDate) -> Ymd {
    let iso = match naive_to_iso(date) {
        Some(iso) => iso,
        None => {
            return Ymd {
                year: date.year(),
                month: date.month(),
                day: date.day(),
            }
        }
    };
    let (year, month, day) = match calendar {
        CalendarKind::Gregorian => (date.year(), date.month() as u8, date.day() as u8),
        CalendarKind::Persian => {
            let d = iso.to_calendar(Persian);
            (
                d.year().extended_year(),
                d.month().ordinal,
                d.day_of_month().0,
            )
        }
        CalendarKind::Islamic => {
            let d = iso.to_calendar(Hijri::new_umm_al_qura());
            (
                d.year().extended_year(),
                d.month().ordinal,
                d.day_of_month().0,
            )
        }
    };
    Ymd {
        year,
        month: month.into(),
        day: day.into(),
    }
}

/// Persian month names, Farvardin first.
pub const PERSIAN_MONTHS_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];
/// Persian month names in English transliteration.
pub const PERSIAN_MONTHS_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];
/// Islamic month names in Persian.
pub const ISLAMIC_MONTHS_FA: [&str; 12] = [
    "محرم",
    "صفر",
    "ربیع‌الاول",
    "ربیع‌الثانی",
    "جمادی‌الاول",
    "جمادی‌الثانی",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذی‌القعده",
    "ذی‌الحجه",
];
/// Islamic month names in English transliteration.
pub const ISLAMIC_MONTHS_EN: [&str; 12] = [
    "Muharram",
    "Safar",
    "Rabi al-Awwal",
    "Rabi al-Thani",
    "Jumada al-Awwal",
    "Jumada al-Thani",
    "Rajab",
    "Shaban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qadah",
    "Dhu al-Hijjah",
];

/// «۱۰ مهر ۱۳۹۱»: a Gregorian day shown as a Jalali date with Persian digits and month name.
pub fn format_jalali_fa(date: NaiveDate) -> String {
    let j = to_jalali(date);
    to_persian_digits(&format!(
        "{} {} {}",
        j.day,
        PERSIAN_MONTHS_FA[(j.month - 1) as usize],
        j.year
    ))
}

/// "10 Mehr 1391": a Gregorian day shown as a Jalali date in English.
pub fn format_jalali_en(date: NaiveDate) -> String {
    let j = to_jalali(date);
    format!(
        "{} {} {}",
        j.day,
        PERSIAN_MONTHS_EN[(j.month - 1) as usize],
        j.year
    )
}

/// `1391-07-10`: a Gregorian day as a numeric Jalali date.
pub fn format_jalali_iso(date: NaiveDate) -> String {
    let j = to_jalali(date);
    format!("{:04}-{:02}-{:02}", j.year, j.month, j.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nowruz_1405_is_2026_03_21() {
        assert_eq!(
            to_gregorian(CalendarKind::Persian, 1405, 1, 1),
            Some(ymd(2026, 3, 21))
        );
        assert_eq!(
            to_jalali(ymd(2026, 3, 21)),
            Ymd {
                year: 1405,
                month: 1,
                day: 1
            }
        );
        assert_eq!(
            to_jalali(ymd(2026, 3, 20)),
            Ymd {
                year: 1404,
                month: 12,
                day: 29
            }
        );
    }

    #[test]
    fn jalali_dates_in_three_digit_sets() {
        for text in ["1391-07-10", "۱۳۹۱-۰۷-۱۰", "١٣٩١-٠٧-١٠", "1391/07/10"] {
            let d = CaseDate::parse(text).unwrap();
            assert_eq!(d.calendar, CalendarKind::Persian);
            assert_eq!(d.start, ymd(2012, 10, 1), "{text}");
            assert_eq!(d.original, text);
        }
    }

    #[test]
    fn partial_dates_are_ranges() {
        let m = CaseDate::parse("2012-10").unwrap();
        assert_eq!(
            (m.start, m.end, m.precision),
            (ymd(2012, 10, 1), ymd(2012, 10, 31), Precision::Month)
        );
        let y = CaseDate::parse("2012").unwrap();
        assert_eq!((y.start, y.end), (ymd(2012, 1, 1), ymd(2012, 12, 31)));
        let jy = CaseDate::parse("1391").unwrap();
        assert_eq!((jy.start, jy.end), (ymd(2012, 3, 20), ymd(2013, 3, 20)));
        let jm = CaseDate::parse("1402-12").unwrap();
        assert_eq!(jm.end, ymd(2024, 3, 19));
    }

    #[test]
    fn impossible_dates_say_why() {
        assert!(matches!(
            CaseDate::parse("1398-13-01"),
            Err(DateError::Month(_, 13))
        ));
        assert!(matches!(
            CaseDate::parse("2023-02-29"),
            Err(DateError::Day(..))
        ));
        assert!(matches!(
            CaseDate::parse("1401-12-30"),
            Err(DateError::Day(..))
        ));
        assert!(
            CaseDate::parse("1403-12-30").is_ok(),
            "1403 is a Jalali leap year"
        );
        assert!(matches!(
            CaseDate::parse("yesterday"),
            Err(DateError::Shape(_))
        ));
        assert!(matches!(
            CaseDate::parse("0999-01-01"),
            Err(DateError::Year(..))
        ));
        assert!(matches!(
            CaseDate::parse("12-10-2012"),
            Err(DateError::Shape(_))
        ));
    }

    #[test]
    fn display_in_both_calendars() {
        assert_eq!(format_jalali_fa(ymd(2012, 10, 1)), "۱۰ مهر ۱۳۹۱");
        assert_eq!(format_jalali_en(ymd(2012, 10, 1)), "10 Mehr 1391");
        assert_eq!(format_jalali_iso(ymd(2012, 10, 1)), "1391-07-10");
    }

    #[test]
    fn islamic_conversion_is_close_to_iran() {
        // 1 Muharram 1447 began on 2025-06-26/27; Ashura in Iran was 2025-07-06 (moon sighting),
        // Umm al-Qura gives 2025-07-05. The calendar module applies Iran's overrides.
        let ashura = to_gregorian(CalendarKind::Islamic, 1447, 1, 10).unwrap();
        assert!((ashura - ymd(2025, 7, 6)).num_days().abs() <= 1, "{ashura}");
    }
}
