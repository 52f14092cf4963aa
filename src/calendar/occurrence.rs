//! Occurrences: when each anticipated crisis falls in a date range, when to start
//! preparing, and which past cases (with their lessons and still-open follow-ups) it
//! should bring back to mind.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::rule::{day_in, minus_days, month_name, month_name_fa, plus_days, MonthDay, RuleDate};
use super::AnticipatedCrisis;
use crate::case::{Case, FollowUp};
use crate::dates::{CalendarKind, CaseDate, Ymd};
use crate::text::to_persian_digits;

/// One coming (or past) instance of an anticipated crisis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Occurrence {
    /// The anticipated crisis's id (`nowruz`).
    pub crisis_id: String,
    /// Its title.
    pub title: String,
    /// Its English title, if any.
    pub title_en: Option<String>,
    /// Its crisis type.
    pub crisis_type: String,
    /// The calendar its rule is written in.
    pub calendar: CalendarKind,
    /// The first day (Gregorian).
    pub start: NaiveDate,
    /// The last day (Gregorian, inclusive).
    pub end: NaiveDate,
    /// The first day of the warning window: `start - lead_days`.
    pub warn_from: NaiveDate,
    /// Days of warning.
    pub lead_days: u32,
    /// The start in the rule's own calendar (9 Muharram 1447, 1 Farvardin 1405).
    pub native: Ymd,
    /// Whether the date is computed, not announced (lunar months before sighting,
    /// elections before the date is set).
    pub estimated: bool,
    /// Past cases this occurrence recalls, the explicitly linked ones first.
    pub cases: Vec<LinkedCase>,
}

/// How a case is linked to an anticipated crisis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The case says `recurring: <id>`.
    Recurring,
    /// The case has the same crisis type.
    CrisisType,
}

/// A past case recalled by an occurrence: what to reread before it comes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkedCase {
    /// The case id.
    pub id: String,
    /// The case title.
    pub title: String,
    /// When it happened.
    pub date: Option<CaseDate>,
    /// Why it is linked.
    pub link: LinkKind,
    /// Its lessons: the case's own, then those of its mistakes.
    pub lessons: Vec<String>,
    /// Follow-ups not yet done.
    pub open_followups: Vec<FollowUp>,
}

impl Occurrence {
    /// The start in the rule's calendar, in English: "9 Muharram 1447".
    pub fn native_en(&self) -> String {
        let n = self.native;
        format!(
            "{} {} {}",
            n.day,
            month_name(self.calendar, n.month),
            n.year
        )
    }

    /// The start in the rule's calendar, in Persian: «۹ محرم ۱۴۴۷».
    pub fn native_fa(&self) -> String {
        let n = self.native;
        to_persian_digits(&format!(
            "{} {} {}",
            n.day,
            month_name_fa(self.calendar, n.month),
            n.year
        ))
    }
}

impl AnticipatedCrisis {
    /// The occurrences overlapping `[from, to]` (inclusive), without linked cases.
    /// Announced dates (`overrides`, sighted months) replace computed ones.
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<Occurrence> {
        // Widen the search so that an override may move an occurrence into the range,
        // and one that started before `from` but is still running is kept.
        let margin = self.duration_days + 45;
        let mut out: Vec<Occurrence> = self
            .rule
            .dates(
                self.calendar,
                minus_days(from, margin),
                plus_days(to, 45),
                &self.sighted,
            )
            .into_iter()
            .filter_map(|d| {
                let (start, estimated) = match self.overrides.get(&d.native.year) {
                    Some(announced) => (*announced, false),
                    None => (d.start, d.estimated || self.estimated),
                };
                if self.end.as_ref().is_some_and(|e| start > e.end) {
                    return None;
                }
                let end = if self.to_month_end {
                    self.month_end(&d, start)
                } else {
                    plus_days(start, self.duration_days - 1)
                };
                (end >= from && start <= to).then(|| Occurrence {
                    crisis_id: self.id.clone(),
                    title: self.title.clone(),
                    title_en: self.title_en.clone(),
                    crisis_type: self.crisis_type.clone(),
                    calendar: self.calendar,
                    start,
                    end,
                    warn_from: minus_days(start, self.lead_days),
                    lead_days: self.lead_days,
                    native: d.native,
                    estimated,
                    cases: Vec::new(),
                })
            })
            .collect();
        out.sort_by_key(|o| o.start);
        out.dedup_by_key(|o| o.start);
        out
    }

    /// The last day of the month an occurrence starts in (sighted when known), moved by
    /// as many days as an override moved the start.
    fn month_end(&self, d: &RuleDate, start: NaiveDate) -> NaiveDate {
        let n = d.native;
        day_in(
            self.calendar,
            n.year,
            n.month,
            MonthDay::Last,
            &self.sighted,
        )
        .map(|last| last.start + (start - d.start))
        .filter(|end| *end >= start)
        .unwrap_or(start)
    }

    /// The cases an occurrence starting on `before` recalls: those that say
    /// `recurring: <id>`, then those of the same (known) crisis type that are not
    /// linked to another anticipated crisis, newest first; only cases that happened
    /// before it (or have no date).
    pub fn linked_cases(&self, cases: &[Arc<Case>], before: NaiveDate) -> Vec<LinkedCase> {
        let mut out: Vec<LinkedCase> = cases
            .iter()
            .filter(|c| c.date.as_ref().is_none_or(|d| d.start < before))
            .filter_map(|c| {
                let link = if c.details.recurring.as_deref() == Some(self.id.as_str()) {
                    LinkKind::Recurring
                } else if c.details.recurring.is_none()
                    && self.crisis_type_known
                    && c.crisis_type == self.crisis_type
                {
                    LinkKind::CrisisType
                } else {
                    return None;
                };
                Some(LinkedCase {
                    id: c.id.clone(),
                    title: c.title.clone(),
                    date: c.date.clone(),
                    link,
                    lessons: lessons(c),
                    open_followups: c.open_followups().cloned().collect(),
                })
            })
            .collect();
        out.sort_by(|a, b| {
            let key = |l: &LinkedCase| {
                (
                    l.link != LinkKind::Recurring,
                    l.date.as_ref().map(|d| d.start),
                )
            };
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(kb.1.cmp(&ka.1))
        });
        out
    }
}

fn lessons(case: &Case) -> Vec<String> {
    let mut out = case.lessons.clone();
    for lesson in case.mistakes.iter().filter_map(|m| m.lesson.as_ref()) {
        if !out.contains(lesson) {
            out.push(lesson.clone());
        }
    }
    out
}

/// Every occurrence of every crisis overlapping `[from, to]`, in date order, each with
/// the past cases it recalls.
pub fn upcoming(
    crises: &[AnticipatedCrisis],
    cases: &[Arc<Case>],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Occurrence> {
    let mut out: Vec<Occurrence> = crises
        .iter()
        .flat_map(|c| {
            c.occurrences(from, to).into_iter().map(move |mut o| {
                o.cases = c.linked_cases(cases, o.start);
                o
            })
        })
        .collect();
    out.sort_by(|a, b| (a.start, &a.crisis_id).cmp(&(b.start, &b.crisis_id)));
    out
}
