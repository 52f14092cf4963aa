//! Recurrence rules of anticipated crises («every year on 1 Farvardin», «9 Muharram»,
//! «the last day of Esfand», «every 4 years from 2024-06-28») and the dates they fall on
//! in a Gregorian range.
//!
//! **Invariant:** pure. Conversions go through [`crate::dates`] (ICU4X), never hand-written
//! arithmetic; lunar dates use Iran's announced month starts when [`MonthStarts`] has them
//! and are marked estimated otherwise.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::months::parse_month;
pub use super::months::{calendar_id, month_name, month_name_fa};
use super::sighting::MonthStarts;
use crate::dates::{
    days_in_month, to_calendar, to_gregorian, CalendarKind, CaseDate, Precision, Ymd,
};
use crate::text::{fold_key, to_ascii_digits};

/// A day of a month: a number, or the month's last day (29 or 30 Esfand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MonthDay {
    /// The n-th day (1-based).
    Day(u32),
    /// The last day, whatever the month's length that year.
    Last,
}

/// When an anticipated crisis comes back, in the calendar of its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Every year on a month and day: `yearly 1 Farvardin`, `yearly 9 Muharram`,
    /// `yearly last Esfand`, `yearly 12-20`.
    Yearly {
        /// 1-based month of the file's calendar.
        month: u32,
        /// The day in that month.
        day: MonthDay,
    },
    /// Every month on a day: `monthly 15`, `monthly last`.
    Monthly {
        /// The day in each month.
        day: MonthDay,
    },
    /// Every N years from an anchor date: `every 4 years from 2024-06-28`.
    EveryYears {
        /// The period in years of the file's calendar.
        years: u32,
        /// A known occurrence (Gregorian day).
        anchor: NaiveDate,
    },
    /// One or more one-off dates: `once 2026-03-01, 1405-01-15`.
    Once {
        /// The Gregorian days.
        dates: Vec<NaiveDate>,
    },
}

/// Why a rule could not be read; each message shows the syntax to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The first word is not a rule kind.
    #[error("{0:?} is not a rule. Write one of: `yearly 1 Farvardin`, `yearly last Esfand`, `monthly 15`, `every 4 years from 2024-06-28`, `once 2026-03-01`")]
    Kind(String),
    /// A month name or number that the calendar does not have.
    #[error(
        "{found:?} is not a month of the {calendar} calendar. Use a number 1–12 or one of: {names}"
    )]
    Month {
        /// What was written.
        found: String,
        /// The file's calendar.
        calendar: &'static str,
        /// The month names that would work.
        names: String,
    },
    /// A month of another calendar than the file's.
    #[error("{found:?} is a month of the {other} calendar, but this file says `calendar: {calendar}`. Change `calendar:` to {other}, or the month")]
    OtherCalendar {
        /// What was written.
        found: String,
        /// The calendar the name belongs to.
        other: &'static str,
        /// The file's calendar.
        calendar: &'static str,
    },
    /// A day that no month of that kind has.
    #[error("day {day} does not exist in {month} (at most {max} days). Use `last` for the month's last day")]
    Day {
        /// The day written.
        day: u32,
        /// The month's name.
        month: String,
        /// The most days that month can have.
        max: u32,
    },
    /// Something else is malformed; the message says what.
    #[error("{0}")]
    Syntax(String),
}

/// One date a rule falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDate {
    /// The Gregorian day.
    pub start: NaiveDate,
    /// The same day in the rule's calendar (9 Muharram 1447); its year is the key of
    /// `overrides`.
    pub native: Ymd,
    /// Whether the day is computed rather than announced (lunar months without a
    /// sighting entry).
    pub estimated: bool,
}

impl Rule {
    /// Parses the rule syntax of `docs/calendar.md`. Digits may be Persian or Arabic-Indic;
    /// month names may be English or Persian.
    pub fn parse(text: &str, calendar: CalendarKind) -> Result<Rule, RuleError> {
        let ascii = to_ascii_digits(text.trim());
        let mut words = ascii.split_whitespace();
        let kind = words.next().unwrap_or_default().to_lowercase();
        let rest: Vec<&str> = words.collect();
        match kind.as_str() {
            "yearly" | "annually" => parse_yearly(&rest, calendar),
            "monthly" => match rest.as_slice() {
                [d] => Ok(Rule::Monthly {
                    day: parse_day(d, calendar, None)?,
                }),
                _ => Err(RuleError::Syntax(
                    "`monthly` takes one day: `monthly 15` or `monthly last`".into(),
                )),
            },
            "every" => parse_every(&rest),
            "once" => parse_once(&rest.join(" ")),
            _ => Err(RuleError::Kind(text.trim().to_string())),
        }
    }

    /// The days this rule falls on from `from` to `to` (inclusive), in order.
    pub fn dates(
        &self,
        calendar: CalendarKind,
        from: NaiveDate,
        to: NaiveDate,
        sighted: &MonthStarts,
    ) -> Vec<RuleDate> {
        if to < from {
            return Vec::new();
        }
        let first_year = to_calendar(calendar, from).year - 1;
        let last_year = to_calendar(calendar, to).year + 1;
        let mut out: Vec<RuleDate> = match self {
            Rule::Yearly { month, day } => (first_year..=last_year)
                .filter_map(|y| day_in(calendar, y, *month, *day, sighted))
                .collect(),
            Rule::Monthly { day } => (first_year..=last_year)
                .flat_map(|y| (1..=12).map(move |m| (y, m)))
                .filter_map(|(y, m)| day_in(calendar, y, m, *day, sighted))
                .collect(),
            Rule::EveryYears { years, anchor } => {
                every_years(calendar, *years, *anchor, first_year, last_year, sighted)
            }
            Rule::Once { dates } => dates
                .iter()
                .map(|d| RuleDate {
                    start: *d,
                    native: to_calendar(calendar, *d),
                    estimated: false,
                })
                .collect(),
        };
        out.retain(|d| d.start >= from && d.start <= to);
        out.sort_by_key(|d| d.start);
        out
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthDay::Day(d) => write!(f, "{d}"),
            MonthDay::Last => f.write_str("last"),
        }
    }
}

/// The Gregorian day of `day` in month `month` of `year`, or `None` if that year's month
/// has no such day (30 Esfand in a common year).
pub(crate) fn day_in(
    calendar: CalendarKind,
    year: i32,
    month: u32,
    day: MonthDay,
    sighted: &MonthStarts,
) -> Option<RuleDate> {
    if calendar == CalendarKind::Islamic {
        if let (Some(start), Some(first)) = (
            sighted.day(year, month, day),
            sighted.first_day(year, month),
        ) {
            let d = (start - first).num_days() + 1;
            return Some(RuleDate {
                start,
                native: Ymd {
                    year,
                    month,
                    day: u32::try_from(d).unwrap_or(1),
                },
                estimated: false,
            });
        }
    }
    let d = match day {
        MonthDay::Day(d) => d,
        MonthDay::Last => days_in_month(calendar, year, month)?,
    };
    Some(RuleDate {
        start: to_gregorian(calendar, year, month, d)?,
        native: Ymd {
            year,
            month,
            day: d,
        },
        estimated: calendar == CalendarKind::Islamic,
    })
}

fn every_years(
    calendar: CalendarKind,
    years: u32,
    anchor: NaiveDate,
    first_year: i32,
    last_year: i32,
    sighted: &MonthStarts,
) -> Vec<RuleDate> {
    let a = to_calendar(calendar, anchor);
    let step = years.max(1) as i32;
    // The first year ≥ first_year that is anchor.year + k·step (k may be negative).
    let offset = (first_year - a.year).rem_euclid(step);
    let start = if offset == 0 {
        first_year
    } else {
        first_year + step - offset
    };
    (start..=last_year)
        .step_by(step as usize)
        .filter_map(|y| day_in(calendar, y, a.month, MonthDay::Day(a.day), sighted))
        .collect()
}

fn parse_yearly(rest: &[&str], calendar: CalendarKind) -> Result<Rule, RuleError> {
    let syntax = || {
        RuleError::Syntax(
            "`yearly` takes a day and a month: `yearly 1 Farvardin`, `yearly 9 Muharram`, \
             `yearly last Esfand` or `yearly MM-DD`"
                .into(),
        )
    };
    // `yearly MM-DD` puts the month first; `yearly 1 Farvardin` the day.
    let (day_text, month_text): (String, String) = match rest {
        [md] if md.contains('-') => {
            let (m, d) = md.split_once('-').ok_or_else(syntax)?;
            (d.into(), m.into())
        }
        [d, month @ ..] if !month.is_empty() => ((*d).into(), month.join(" ")),
        _ => return Err(syntax()),
    };
    let month = parse_month(&month_text, calendar)?;
    let day = parse_day(&day_text, calendar, Some(month))?;
    Ok(Rule::Yearly { month, day })
}

fn parse_every(rest: &[&str]) -> Result<Rule, RuleError> {
    let syntax = |why: &str| {
        RuleError::Syntax(format!(
            "{why}. Write `every N years from YYYY-MM-DD` (a known date, Gregorian or Jalali), \
             e.g. `every 4 years from 2024-06-28`"
        ))
    };
    let [n, unit, from, date] = rest else {
        return Err(syntax("`every` needs a number of years and an anchor date"));
    };
    if !matches!(unit.to_lowercase().as_str(), "year" | "years") || from.to_lowercase() != "from" {
        return Err(syntax(&format!("found `{unit} {from}`")));
    }
    let years: u32 = n
        .parse()
        .ok()
        .filter(|y| (1..=100).contains(y))
        .ok_or_else(|| syntax(&format!("{n:?} is not a number of years from 1 to 100")))?;
    Ok(Rule::EveryYears {
        years,
        anchor: day_date(date)?,
    })
}

fn parse_once(list: &str) -> Result<Rule, RuleError> {
    let dates = list
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(day_date)
        .collect::<Result<Vec<_>, _>>()?;
    if dates.is_empty() {
        return Err(RuleError::Syntax(
            "`once` needs at least one date: `once 2026-03-01` or `once 2026-03-01, 1405-01-15`"
                .into(),
        ));
    }
    Ok(Rule::Once { dates })
}

/// A full date (day precision), Gregorian or Jalali.
fn day_date(text: &str) -> Result<NaiveDate, RuleError> {
    let d = CaseDate::parse(text).map_err(|e| RuleError::Syntax(e.to_string()))?;
    if d.precision != Precision::Day {
        return Err(RuleError::Syntax(format!(
            "{text:?} is not a full date. Write YYYY-MM-DD, Gregorian or Jalali"
        )));
    }
    Ok(d.start)
}

fn parse_day(
    text: &str,
    calendar: CalendarKind,
    month: Option<u32>,
) -> Result<MonthDay, RuleError> {
    if matches!(fold_key(text).as_str(), "last" | "آخر" | "اخر") {
        return Ok(MonthDay::Last);
    }
    let day: u32 = text.parse().map_err(|_| {
        RuleError::Syntax(format!(
            "{text:?} is not a day. Write a number (1–31) or `last`"
        ))
    })?;
    let max = month.map_or(31, |m| max_days(calendar, m));
    if day == 0 || day > max {
        return Err(RuleError::Day {
            day,
            month: month.map_or("any month".into(), |m| month_name(calendar, m)),
            max,
        });
    }
    Ok(MonthDay::Day(day))
}

/// The most days month `m` can have in any year of the calendar.
fn max_days(calendar: CalendarKind, m: u32) -> u32 {
    match calendar {
        CalendarKind::Persian if m <= 6 => 31,
        CalendarKind::Persian => 30,
        CalendarKind::Islamic => 30,
        CalendarKind::Gregorian => {
            [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize]
        }
    }
}

/// `date + days`, saturating at the calendar's end.
pub(crate) fn plus_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(days.into()))
        .unwrap_or(NaiveDate::MAX)
}

/// `date - days`, saturating at the calendar's start.
pub(crate) fn minus_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(days.into()))
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
