//! Month and year grids for the calendar page, in the Jalali or the Gregorian calendar:
//! which Gregorian day each cell is, its number in the other calendar, whether it is today,
//! and which anticipated crises are running or being warned about on it.
//!
//! **Invariant:** pure; the page only renders what this computes.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::rule::{month_name, month_name_fa, plus_days};
use super::Occurrence;
use crate::dates::{days_in_month, to_calendar, to_gregorian, CalendarKind};
use crate::text::to_persian_digits;

/// One day of a month grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCell {
    /// The Gregorian day.
    pub date: NaiveDate,
    /// The day of month in the grid's calendar.
    pub day: u32,
    /// The same day in the grid's calendar with Persian digits («۲۱»).
    pub day_fa: String,
    /// The day in the other calendar, short: "21 Mar" or «۱ فروردین».
    pub other: String,
    /// Whether it is today.
    pub today: bool,
    /// Whether it is a Friday, Iran's weekend.
    pub weekend: bool,
    /// Crisis ids running on this day.
    pub running: Vec<String>,
    /// Crisis ids whose warning window covers this day (before they start).
    pub warning: Vec<String>,
}

/// A month laid out in weeks, Saturday first (the Iranian week).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthGrid {
    /// The grid's calendar.
    pub calendar: CalendarKind,
    /// Year in that calendar.
    pub year: i32,
    /// Month in that calendar (1-based).
    pub month: u32,
    /// "Farvardin 1405" / "March 2026".
    pub title_en: String,
    /// «فروردین ۱۴۰۵» / «مارس ۲۰۲۶».
    pub title_fa: String,
    /// Weeks of seven cells; `None` pads before the first and after the last day.
    pub weeks: Vec<Vec<Option<DayCell>>>,
    /// The previous month (year, month).
    pub prev: (i32, u32),
    /// The next month (year, month).
    pub next: (i32, u32),
    /// First Gregorian day of the month.
    pub first: NaiveDate,
    /// Last Gregorian day of the month.
    pub last: NaiveDate,
}

/// The Gregorian range of a month of `calendar`, or `None` if it does not exist.
pub fn month_range(
    calendar: CalendarKind,
    year: i32,
    month: u32,
) -> Option<(NaiveDate, NaiveDate)> {
    let days = days_in_month(calendar, year, month)?;
    Some((
        to_gregorian(calendar, year, month, 1)?,
        to_gregorian(calendar, year, month, days)?,
    ))
}

/// The Gregorian range of a year of `calendar`.
pub fn year_range(calendar: CalendarKind, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((
        month_range(calendar, year, 1)?.0,
        month_range(calendar, year, 12)?.1,
    ))
}

/// The month grid of `calendar`'s `year`/`month`, marking `occurrences` (which should
/// cover the month plus the longest lead time) and `today`.
pub fn month_grid(
    calendar: CalendarKind,
    year: i32,
    month: u32,
    today: NaiveDate,
    occurrences: &[Occurrence],
) -> Option<MonthGrid> {
    let (first, last) = month_range(calendar, year, month)?;
    let lead = first.weekday().days_since(Weekday::Sat) as usize;
    let mut cells: Vec<Option<DayCell>> = vec![None; lead];
    let mut day = first;
    while day <= last {
        cells.push(Some(cell(calendar, day, today, occurrences)));
        day = plus_days(day, 1);
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let weeks = cells.chunks(7).map(<[_]>::to_vec).collect();
    let prev = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let next = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Some(MonthGrid {
        calendar,
        year,
        month,
        title_en: format!("{} {year}", month_name(calendar, month)),
        title_fa: to_persian_digits(&format!("{} {year}", month_name_fa(calendar, month))),
        weeks,
        prev,
        next,
        first,
        last,
    })
}

/// The twelve month grids of a year.
pub fn year_grids(
    calendar: CalendarKind,
    year: i32,
    today: NaiveDate,
    occurrences: &[Occurrence],
) -> Vec<MonthGrid> {
    (1..=12)
        .filter_map(|m| month_grid(calendar, year, m, today, occurrences))
        .collect()
}

fn cell(calendar: CalendarKind, day: NaiveDate, today: NaiveDate, occ: &[Occurrence]) -> DayCell {
    let own = to_calendar(calendar, day);
    let other_cal = if calendar == CalendarKind::Persian {
        CalendarKind::Gregorian
    } else {
        CalendarKind::Persian
    };
    let other = to_calendar(other_cal, day);
    let other_text = if other_cal == CalendarKind::Persian {
        to_persian_digits(&format!(
            "{} {}",
            other.day,
            month_name_fa(other_cal, other.month)
        ))
    } else {
        let name = month_name(other_cal, other.month);
        format!("{} {}", other.day, &name[..3.min(name.len())])
    };
    let ids = |keep: &dyn Fn(&Occurrence) -> bool| -> Vec<String> {
        let mut v: Vec<String> = occ
            .iter()
            .filter(|o| keep(o))
            .map(|o| o.crisis_id.clone())
            .collect();
        v.dedup();
        v
    };
    DayCell {
        date: day,
        day: own.day,
        day_fa: to_persian_digits(&own.day.to_string()),
        other: other_text,
        today: day == today,
        weekend: day.weekday() == Weekday::Fri,
        running: ids(&|o| o.start <= day && day <= o.end),
        warning: ids(&|o| o.warn_from <= day && day < o.start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Ymd;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn nowruz_1405() -> Occurrence {
        Occurrence {
            crisis_id: "nowruz".into(),
            title: "نوروز".into(),
            title_en: None,
            crisis_type: "seasonal-peak".into(),
            calendar: CalendarKind::Persian,
            start: ymd(2026, 3, 21),
            end: ymd(2026, 4, 2),
            warn_from: ymd(2026, 2, 4),
            lead_days: 45,
            native: Ymd {
                year: 1405,
                month: 1,
                day: 1,
            },
            estimated: false,
            cases: Vec::new(),
        }
    }

    #[test]
    fn farvardin_1405_starts_on_a_saturday_with_nowruz() {
        let g = month_grid(
            CalendarKind::Persian,
            1405,
            1,
            ymd(2026, 3, 25),
            &[nowruz_1405()],
        )
        .unwrap();
        assert_eq!(g.title_fa, "فروردین ۱۴۰۵");
        let first = g.weeks[0][0].as_ref().unwrap();
        assert_eq!(
            (first.date, first.day),
            (ymd(2026, 3, 21), 1),
            "1 Farvardin 1405 is a Saturday"
        );
        assert_eq!(first.other, "21 Mar");
        assert_eq!(first.running, vec!["nowruz"]);
        let days: Vec<&DayCell> = g.weeks.iter().flatten().flatten().collect();
        assert_eq!(days.len(), 31);
        assert!(
            days.iter()
                .find(|d| d.date == ymd(2026, 3, 25))
                .unwrap()
                .today
        );
        assert!(days
            .iter()
            .find(|d| d.day == 14)
            .unwrap()
            .running
            .is_empty());
        assert_eq!((g.prev, g.next), ((1404, 12), (1405, 2)));
    }

    #[test]
    fn the_gregorian_view_shows_the_warning_window_and_jalali_days() {
        let g = month_grid(
            CalendarKind::Gregorian,
            2026,
            3,
            ymd(2026, 1, 1),
            &[nowruz_1405()],
        )
        .unwrap();
        let days: Vec<&DayCell> = g.weeks.iter().flatten().flatten().collect();
        let mar20 = days.iter().find(|d| d.day == 20).unwrap();
        assert_eq!(mar20.warning, vec!["nowruz"]);
        assert_eq!(mar20.other, "۲۹ اسفند");
        assert!(mar20.weekend, "2026-03-20 is a Friday");
        // March 2026 begins on a Sunday: one empty cell (Saturday) first.
        assert!(g.weeks[0][0].is_none());
        assert_eq!(g.weeks[0][1].as_ref().unwrap().date, ymd(2026, 3, 1));
        assert_eq!(
            year_grids(CalendarKind::Persian, 1404, ymd(2026, 1, 1), &[]).len(),
            12
        );
        assert_eq!(
            year_range(CalendarKind::Persian, 1404),
            Some((ymd(2025, 3, 21), ymd(2026, 3, 20)))
        );
    }
}
