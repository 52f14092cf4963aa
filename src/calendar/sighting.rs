//! Iran's announced lunar month starts. In Iran a Hijri month begins when the new moon is
//! sighted, so Umm al-Qura (or any algorithm) can be a day off; this table, kept in
//! `recurring/hijri-months.yaml`, replaces the computed first day of a month with the
//! announced one for every rule that falls in that month.

use crate::i18n::{Arg, Message};
use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde_yaml::Value;

use super::rule::{plus_days, MonthDay};
use crate::dates::{to_gregorian, CalendarKind, CaseDate, Precision};
use crate::diag::Diagnostic;
use crate::text::to_ascii_digits;

/// The shared file of announced month starts, inside the `recurring/` folder.
pub const SIGHTING_FILE: &str = "hijri-months.yaml";

/// Announced first days of lunar Hijri months, keyed by (Hijri year, month).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthStarts {
    starts: BTreeMap<(i32, u32), NaiveDate>,
}

impl MonthStarts {
    /// Records that month `month` of Hijri year `year` began on `first_day`.
    pub fn insert(&mut self, year: i32, month: u32, first_day: NaiveDate) {
        self.starts.insert((year, month), first_day);
    }

    /// The announced first day of a month, if known.
    pub fn first_day(&self, year: i32, month: u32) -> Option<NaiveDate> {
        self.starts.get(&(year, month)).copied()
    }

    /// The Gregorian day of a day in an announced month. The last day needs the next
    /// month's start too; without it the caller falls back to the computed date.
    pub fn day(&self, year: i32, month: u32, day: MonthDay) -> Option<NaiveDate> {
        let first = self.first_day(year, month)?;
        match day {
            MonthDay::Day(d) => Some(plus_days(first, d.saturating_sub(1))),
            MonthDay::Last => {
                let (ny, nm) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                self.first_day(ny, nm)?.pred_opt()
            }
        }
    }

    /// How many months are known.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Whether no month is known.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Parses the table: `1447-01: 2025-06-27` lines (Hijri year-month: announced first
    /// day, Gregorian or Jalali). Every bad line is a located diagnostic; good lines load.
    pub fn parse(path: &Path, text: &str) -> (MonthStarts, Vec<Diagnostic>) {
        let mut table = MonthStarts::default();
        let mut diags = Vec::new();
        let mapping = match crate::yaml::parse(text) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => return (table, diags),
            Ok(_) => {
                diags.push(Diagnostic::error(
                    path,
                    1,
                    1,
                    msg!("diag-sighting-not-lines"),
                ));
                return (table, diags);
            }
            Err(e) => {
                let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                diags.push(Diagnostic::error(
                    path,
                    line,
                    col,
                    msg!("diag-sighting-invalid-yaml", detail = e.to_string()),
                ));
                return (table, diags);
            }
        };
        for (k, v) in &mapping {
            let key = scalar(k);
            let line = find_line(text, &key);
            match entry(&key, v) {
                Ok((y, m, first)) => {
                    if let Some(w) = far_from_computed(y, m, first) {
                        diags.push(Diagnostic::warning(path, line, 1, w));
                    }
                    table.insert(y, m, first);
                }
                Err(message) => diags.push(Diagnostic::error(path, line, 1, message)),
            }
        }
        (table, diags)
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// The 1-based line where `key:` is written, or 1.
fn find_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches(['"', '\'']);
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start_matches(['"', '\'']).starts_with(':'))
        })
        .map_or(1, |i| i + 1)
}

fn entry(key: &str, value: &Value) -> Result<(i32, u32, NaiveDate), Message> {
    let ascii = to_ascii_digits(key);
    let ym = ascii
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(y, m)| (1300..=1600).contains(y) && (1..=12).contains(m));
    let Some((y, m)) = ym else {
        return Err(msg!(
            "diag-sighting-not-month",
            key = crate::i18n::Arg::quoted(key)
        ));
    };
    let text = scalar(value);
    let date = CaseDate::parse(&text)
        .map_err(|e| msg!("diag-sighting-bad-date", key = key, detail = e.message()))?;
    if date.precision != Precision::Day {
        return Err(msg!(
            "diag-sighting-not-day",
            key = key,
            value = crate::i18n::Arg::quoted(&text)
        ));
    }
    Ok((y, m, date.start))
}

/// A warning when an announced start is more than two days from Umm al-Qura's: most
/// likely a typo in the year or month.
fn far_from_computed(year: i32, month: u32, first: NaiveDate) -> Option<Message> {
    let computed = to_gregorian(CalendarKind::Islamic, year, month, 1)?;
    let gap = (first - computed).num_days();
    (gap.abs() > 2).then(|| {
        msg!(
            "diag-sighting-far",
            month = Arg::Digits(format!("{year}-{month:02}")),
            first = Arg::Digits(first.to_string()),
            computed = Arg::Digits(computed.to_string()),
            gap = Arg::Digits(format!("{gap:+}"))
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn announced_month_starts_move_every_day_of_the_month() {
        let (t, d) = MonthStarts::parse(
            Path::new("h.yaml"),
            "1447-01: 2025-06-27\n1447-02: ۱۴۰۴-۰۵-۰۴\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.day(1447, 1, MonthDay::Day(10)), Some(ymd(2025, 7, 6)));
        assert_eq!(t.day(1447, 1, MonthDay::Last), Some(ymd(2025, 7, 25)));
        assert_eq!(t.day(1447, 2, MonthDay::Last), None);
    }

    #[test]
    fn bad_lines_are_located_and_good_ones_kept() {
        let text = "# Iran\n1447-01: 2025-06-27\n1447-13: 2025-07-27\n1446-09: 2025-04-02\n";
        let (t, d) = MonthStarts::parse(Path::new("h.yaml"), text);
        assert_eq!(t.len(), 2);
        assert_eq!((d[0].line, d[0].is_error()), (3, true), "{}", d[0]);
        assert_eq!((d[1].line, d[1].is_error()), (4, false), "{}", d[1]);
    }
}
