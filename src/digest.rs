//! The monthly lessons digest: what happened in a month, the lessons learned, the
//! follow-ups still open across all cases, and the anticipated crises coming next month.
//! Pure assembly over loaded cases and crises; rendering is the caller's.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::calendar::{upcoming, AnticipatedCrisis, Occurrence};
use crate::case::{Case, FollowUp};
use crate::dates::{to_calendar, CalendarKind, CaseDate, DateError, Precision};

/// A month, Gregorian or Jalali, as the Gregorian days it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// What the user wrote (`2026-03`, `1404-12`, `۱۴۰۴-۱۲`).
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// The calendar the month was given in.
    pub calendar: CalendarKind,
}

impl Month {
    /// Parses `YYYY-MM`, Gregorian or Jalali, in any digits.
    pub fn parse(text: &str) -> Result<Month, DateError> {
        let d = CaseDate::parse(text)?;
        if d.precision != Precision::Month {
            return Err(DateError::Shape(format!("{text} (a month is YYYY-MM)")));
        }
        Ok(Month {
            label: d.original,
            start: d.start,
            end: d.end,
            calendar: d.calendar,
        })
    }

    /// The month after this one, in the same calendar.
    pub fn next(&self) -> Month {
        let first = self.end + Duration::days(1);
        let ymd = to_calendar(self.calendar, first);
        Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)).unwrap_or(Month {
            label: first.format("%Y-%m").to_string(),
            start: first,
            end: first + Duration::days(29),
            calendar: CalendarKind::Gregorian,
        })
    }

    /// The month before this one, in the same calendar.
    pub fn previous(&self) -> Month {
        let last = self.start - Duration::days(1);
        let ymd = to_calendar(self.calendar, last);
        Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)).unwrap_or(Month {
            label: last.format("%Y-%m").to_string(),
            start: last - Duration::days(29),
            end: last,
            calendar: CalendarKind::Gregorian,
        })
    }
}

/// A case of the month with what it taught.
#[derive(Debug, Clone, Serialize)]
pub struct DigestCase {
    /// The case id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The date as written.
    pub date: String,
    /// The crisis type id.
    pub crisis_type: String,
    /// Its lessons, and the lessons of its mistakes.
    pub lessons: Vec<String>,
}

/// An open follow-up with the case it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct OpenFollowUp {
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub case_title: String,
    /// The follow-up.
    pub followup: FollowUp,
    /// Its place among the case's follow-ups (what marking it done names).
    pub index: usize,
    /// Whether its due date has passed by the end of the month.
    pub overdue: bool,
}

/// The digest of one month.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    /// The month.
    pub month: Month,
    /// Cases whose date falls in the month, oldest first.
    pub cases: Vec<DigestCase>,
    /// Follow-ups not done, from every case, overdue first, then by due date.
    pub open_followups: Vec<OpenFollowUp>,
    /// The month after.
    pub next_month: Month,
    /// Anticipated crises that start next month or whose warning window opens by its end,
    /// each with the past cases to reread.
    pub coming: Vec<Occurrence>,
}

/// How far ahead to look for crises whose warning opens next month (the longest lead time
/// a team would reasonably set).
const MAX_LEAD_DAYS: i64 = 180;

/// Assembles the digest of `month` from all loaded cases and anticipated crises.
pub fn digest(cases: &[Arc<Case>], crises: &[AnticipatedCrisis], month: &Month) -> Digest {
    let next_month = month.next();
    let coming = upcoming(
        crises,
        cases,
        next_month.start,
        next_month.end + Duration::days(MAX_LEAD_DAYS),
    )
    .into_iter()
    .filter(|o| o.start <= next_month.end || o.warn_from <= next_month.end)
    .collect();
    let mut of_month: Vec<&Case> = cases
        .iter()
        .map(|c| &**c)
        .filter(|c| {
            c.date
                .as_ref()
                .is_some_and(|d| d.start >= month.start && d.start <= month.end)
        })
        .collect();
    of_month.sort_by_key(|c| c.date.as_ref().map(|d| d.start));
    let digest_cases = of_month
        .iter()
        .map(|c| DigestCase {
            id: c.id.clone(),
            title: c.title.clone(),
            date: c
                .date
                .as_ref()
                .map(|d| d.original.clone())
                .unwrap_or_default(),
            crisis_type: c.crisis_type.clone(),
            lessons: c
                .lessons
                .iter()
                .cloned()
                .chain(c.mistakes.iter().filter_map(|m| m.lesson.clone()))
                .collect(),
        })
        .collect();
    let mut open: Vec<OpenFollowUp> = cases
        .iter()
        .flat_map(|c| {
            c.followups
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.done)
                .map(move |(index, f)| OpenFollowUp {
                    index,
                    case_id: c.id.clone(),
                    case_title: c.title.clone(),
                    overdue: f.due.as_ref().is_some_and(|d| d.end < month.end),
                    followup: f.clone(),
                })
        })
        .collect();
    open.sort_by_key(|o| (!o.overdue, o.followup.due.as_ref().map(|d| d.start)));
    Digest {
        month: month.clone(),
        cases: digest_cases,
        open_followups: open,
        next_month,
        coming,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(path: &str, text: &str) -> Arc<Case> {
        crate::case::test_case(path, text)
    }

    #[test]
    fn a_jalali_month_collects_its_cases_and_all_open_followups() {
        let cases = vec![
            case(
                "a.md",
                "---\ntitle: عید\ncrisis_type: supply\ndate: 1404-12-20\nlessons: [زودتر سفارش دهید]\n\
mistakes:\n  - chapter: suppliers\n    text: دیر سفارش دادیم\n    lesson: بهمن سفارش دهید\n\
followups:\n  - what: قرارداد دوم\n    due: 1404-12-01\n  - what: done one\n    done: true\n---\n",
            ),
            case(
                "b.md",
                "---\ntitle: old\ncrisis_type: currency\ndate: 2012-10-01\nfollowups:\n  - what: later\n    due: 2030-01-01\n---\n",
            ),
        ];
        let month = Month::parse("۱۴۰۴-۱۲").unwrap();
        assert_eq!(month.start.to_string(), "2026-02-20");
        let d = digest(&cases, &[], &month);
        assert_eq!(d.next_month.label, "1405-01");
        assert_eq!(d.next_month.start.to_string(), "2026-03-21");
        assert_eq!(d.cases.len(), 1);
        assert_eq!(
            d.cases[0].lessons,
            vec!["زودتر سفارش دهید", "بهمن سفارش دهید"]
        );
        assert_eq!(d.open_followups.len(), 2);
        assert!(d.open_followups[0].overdue);
        assert_eq!(d.open_followups[0].followup.what, "قرارداد دوم");
        assert!(!d.open_followups[1].overdue);
    }

    #[test]
    fn next_month_stays_in_its_calendar() {
        assert_eq!(Month::parse("2026-12").unwrap().next().label, "2027-01");
        let esfand = Month::parse("1403-12").unwrap();
        assert_eq!(
            esfand.end.to_string(),
            "2025-03-20",
            "1403 is a leap year: 30 Esfand"
        );
        assert_eq!(esfand.next().start.to_string(), "2025-03-21");
        assert_eq!(esfand.next().previous(), esfand);
        assert_eq!(Month::parse("1405-01").unwrap().previous().label, "1404-12");
        assert_eq!(Month::parse("2027-01").unwrap().previous().label, "2026-12");
    }

    #[test]
    fn a_day_is_not_a_month() {
        assert!(Month::parse("2026-03-01").is_err());
        assert!(Month::parse("2026-13").is_err());
    }
}
