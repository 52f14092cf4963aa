//! Dates as a reader reads them: in both calendars, the reader's first, with month names
//! and the reader's digits (never an ISO date inside right-to-left text). Shared by the
//! web pages, the digest and the feed.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::rule::month_name_fa;
use crate::dates::{
    format_jalali_en, format_jalali_fa, to_jalali, CalendarKind, CaseDate, Precision,
    PERSIAN_MONTHS_EN, PERSIAN_MONTHS_FA,
};
use crate::i18n::Lang;

/// A date shown in both calendars: the reader's first, the other beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateView {
    /// Jalali in Persian, Gregorian in English.
    pub primary: String,
    /// The other calendar.
    pub secondary: String,
    /// The first Gregorian day, `YYYY-MM-DD`, for `<time datetime>`.
    pub iso: String,
}

impl DateView {
    /// A case date, at the precision it was written with.
    pub fn of_case_date(date: &CaseDate, lang: Lang) -> DateView {
        let (jalali, gregorian) = (jalali_label(date, lang), gregorian_label(date, lang));
        let (primary, secondary) = match lang {
            Lang::Fa => (jalali, gregorian),
            Lang::En => (gregorian, jalali),
        };
        DateView {
            primary,
            secondary,
            iso: date.start.format("%Y-%m-%d").to_string(),
        }
    }

    /// A single day.
    pub fn of_day(day: NaiveDate, lang: Lang) -> DateView {
        let iso = day.format("%Y-%m-%d").to_string();
        let (primary, secondary) = match lang {
            Lang::Fa => (format_jalali_fa(day), gregorian_day_fa(day)),
            Lang::En => (day.format("%-d %B %Y").to_string(), format_jalali_en(day)),
        };
        DateView {
            primary,
            secondary,
            iso,
        }
    }
}

fn jalali_day(day: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fa => format_jalali_fa(day),
        Lang::En => format_jalali_en(day),
    }
}

/// The Jalali form of a date: as written when written in Jalali, else the range.
fn jalali_label(date: &CaseDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Fa => &PERSIAN_MONTHS_FA,
        Lang::En => &PERSIAN_MONTHS_EN,
    };
    let j = to_jalali(date.start);
    let text = match (date.precision, date.calendar) {
        (Precision::Day, _) => return jalali_day(date.start, lang),
        (Precision::Month, CalendarKind::Persian) => {
            format!("{} {}", months[(j.month - 1) as usize], j.year)
        }
        (Precision::Year, CalendarKind::Persian) => j.year.to_string(),
        _ => {
            return format!(
                "{} – {}",
                jalali_day(date.start, lang),
                jalali_day(date.end, lang)
            )
        }
    };
    lang.digits(&text)
}

/// A Gregorian day as Persian readers write it, «۱ اکتبر ۲۰۱۲»: words and numbers that
/// read right to left, never an ISO date, whose parts the bidi algorithm would reverse in
/// a right-to-left line («(۲۰۱۲-۱۰-۰۱)» shows as ۰۱-۱۰-۲۰۱۲).
fn gregorian_day_fa(d: NaiveDate) -> String {
    Lang::Fa.digits(&format!(
        "{} {} {}",
        d.day(),
        month_name_fa(CalendarKind::Gregorian, d.month()),
        d.year()
    ))
}

/// The Gregorian form of a date: as written when written in Gregorian, else the range.
fn gregorian_label(date: &CaseDate, lang: Lang) -> String {
    let day = |d: NaiveDate| match lang {
        Lang::Fa => gregorian_day_fa(d),
        Lang::En => d.format("%-d %B %Y").to_string(),
    };
    let text = match (date.precision, date.calendar) {
        (Precision::Day, _) => day(date.start),
        (Precision::Month, CalendarKind::Gregorian) => match lang {
            Lang::Fa => format!(
                "{} {}",
                month_name_fa(CalendarKind::Gregorian, date.start.month()),
                date.start.year()
            ),
            Lang::En => date.start.format("%B %Y").to_string(),
        },
        (Precision::Year, CalendarKind::Gregorian) => date.start.format("%Y").to_string(),
        _ => format!("{} – {}", day(date.start), day(date.end)),
    };
    lang.digits(&text)
}
