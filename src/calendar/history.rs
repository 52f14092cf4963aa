//! "Today in crisis history": past cases whose anniversary, in the Gregorian or the
//! Jalali calendar, falls in the coming days, so that a team remembers last year's
//! currency shock the week it comes round again.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::rule::plus_days;
use crate::case::Case;
use crate::dates::{days_in_month, to_calendar, to_gregorian, to_jalali, CalendarKind, Precision};

/// A past case whose anniversary falls in a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Anniversary {
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub title: String,
    /// The date as the case wrote it.
    pub original: String,
    /// The anniversary day in the window.
    pub on: NaiveDate,
    /// The calendar whose month and day match (the case's own when both do).
    pub calendar: CalendarKind,
    /// How many years ago, in that calendar.
    pub years: i32,
    /// Open follow-ups the case still has.
    pub open_followups: usize,
}

/// The cases with a day-precise date whose anniversary falls within `days` days from
/// `from` (inclusive), soonest first. A case written in Jalali is matched on its Jalali
/// day first (the day Iranians remember), then on its Gregorian day, and vice versa.
pub fn anniversaries(cases: &[Arc<Case>], from: NaiveDate, days: u32) -> Vec<Anniversary> {
    let window: Vec<NaiveDate> = (0..days).map(|i| plus_days(from, i)).collect();
    let mut out: Vec<Anniversary> = cases
        .iter()
        .filter_map(|c| {
            let date = c.date.as_ref().filter(|d| d.precision == Precision::Day)?;
            let own = date.calendar;
            let other = if own == CalendarKind::Persian {
                CalendarKind::Gregorian
            } else {
                CalendarKind::Persian
            };
            let (on, calendar, years) = [own, other].into_iter().find_map(|cal| {
                window
                    .iter()
                    .find_map(|&day| years_since(cal, date.start, day).map(|y| (day, cal, y)))
            })?;
            Some(Anniversary {
                case_id: c.id.clone(),
                title: c.title.clone(),
                original: date.original.clone(),
                on,
                calendar,
                years,
                open_followups: c.open_followups().count(),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.on, -a.years, &a.case_id).cmp(&(b.on, -b.years, &b.case_id)));
    out
}

/// Every anniversary of every day-precise case from `from` to `to`, in the case's own
/// calendar (10 Mehr for a case written 1391-07-10), soonest first: the "on this day"
/// events of the ICS feed.
pub fn anniversaries_between(
    cases: &[Arc<Case>],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Anniversary> {
    let mut out = Vec::new();
    for c in cases {
        let Some(date) = c.date.as_ref().filter(|d| d.precision == Precision::Day) else {
            continue;
        };
        let cal = if date.calendar == CalendarKind::Persian {
            CalendarKind::Persian
        } else {
            CalendarKind::Gregorian
        };
        let e = to_calendar(cal, date.start);
        let (y0, y1) = (to_calendar(cal, from).year, to_calendar(cal, to).year);
        for year in (e.year + 1).max(y0)..=y1 {
            let last = days_in_month(cal, year, e.month).unwrap_or(28);
            let Some(on) = to_gregorian(cal, year, e.month, e.day.min(last)) else {
                continue;
            };
            if on < from || on > to {
                continue;
            }
            out.push(Anniversary {
                case_id: c.id.clone(),
                title: c.title.clone(),
                original: date.original.clone(),
                on,
                calendar: cal,
                years: year - e.year,
                open_followups: c.open_followups().count(),
            });
        }
    }
    out.sort_by(|a, b| (a.on, &a.case_id).cmp(&(b.on, &b.case_id)));
    out
}

/// If `day` is an anniversary of `event` in `calendar` (same month and day, at least a
/// year later), the number of years. 29 Feb and 30 Esfand fall on the month's last day
/// in years that lack them.
fn years_since(calendar: CalendarKind, event: NaiveDate, day: NaiveDate) -> Option<i32> {
    let (e, d) = match calendar {
        CalendarKind::Persian => {
            let (e, d) = (to_jalali(event), to_jalali(day));
            ((e.year, e.month, e.day), (d.year, d.month, d.day))
        }
        _ => (
            (event.year(), event.month(), event.day()),
            (day.year(), day.month(), day.day()),
        ),
    };
    let years = d.0 - e.0;
    if years < 1 || e.1 != d.1 {
        return None;
    }
    let last = days_in_month(calendar, d.0, d.1).unwrap_or(31);
    let same_day = e.2 == d.2 || (e.2 > last && d.2 == last);
    same_day.then_some(years)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(date: &str) -> Arc<Case> {
        let text = format!("---\ntitle: t {date}\ncrisis_type: currency\ndate: {date}\n---\n");
        crate::case::test_case(format!("{date}.md"), &text)
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn anniversaries_match_in_the_cases_own_calendar_first() {
        // 10 Mehr 1391 = 2012-10-01; in 1405, 10 Mehr = 2026-10-02 (a day later).
        let cases = vec![case("1391-07-10"), case("2012-10-01"), case("2012-10")];
        let a = anniversaries(&cases, ymd(2026, 9, 28), 7);
        assert_eq!(a.len(), 2, "{a:?}");
        let jalali = a.iter().find(|x| x.original == "1391-07-10").unwrap();
        assert_eq!(
            (jalali.on, jalali.calendar, jalali.years),
            (ymd(2026, 10, 2), CalendarKind::Persian, 14)
        );
        let greg = a.iter().find(|x| x.original == "2012-10-01").unwrap();
        assert_eq!(
            (greg.on, greg.calendar),
            (ymd(2026, 10, 1), CalendarKind::Gregorian)
        );
    }

    #[test]
    fn the_other_calendar_is_used_when_the_own_day_is_outside_the_window() {
        let cases = vec![case("1391-07-10")];
        let a = anniversaries(&cases, ymd(2026, 10, 1), 1);
        assert_eq!((a[0].calendar, a[0].years), (CalendarKind::Gregorian, 14));
        assert!(anniversaries(&cases, ymd(2026, 10, 3), 5).is_empty());
    }

    #[test]
    fn every_anniversary_in_a_range_in_the_cases_own_calendar() {
        let cases = vec![case("1391-07-10"), case("2012-10-01")];
        let a = anniversaries_between(&cases, ymd(2025, 1, 1), ymd(2026, 12, 31));
        let got: Vec<(NaiveDate, i32)> = a.iter().map(|x| (x.on, x.years)).collect();
        assert_eq!(
            got,
            vec![
                (ymd(2025, 10, 1), 13),
                (ymd(2025, 10, 2), 13),
                (ymd(2026, 10, 1), 14),
                (ymd(2026, 10, 2), 14),
            ]
        );
    }

    #[test]
    fn leap_days_fall_on_the_last_day_in_other_years() {
        let cases = vec![case("2024-02-29")];
        let a = anniversaries(&cases, ymd(2025, 2, 28), 1);
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].years, 1);
    }
}
