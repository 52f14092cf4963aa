//! Reread: a few mistakes from the whole notebook each month, so that every chapter comes
//! back within a few months. The chapters that have mistakes take turns, [`PER_MONTH`] a
//! month, in the notebook's order; each time a chapter comes back, its next mistake (oldest
//! case first) is shown. The choice depends only on the month and the notebook, so the
//! digest of a month reads the same whoever makes it.

use std::sync::Arc;

use serde::Serialize;

use super::Month;
use crate::case::{Case, Mistake};
use crate::dates::{to_calendar, CaseDate};
use crate::kb::Taxonomy;

/// How many mistakes a month rereads (each from another chapter).
pub const PER_MONTH: usize = 3;

/// A mistake to reread, with its case.
#[derive(Debug, Clone, Serialize)]
pub struct RereadMistake {
    /// The case id.
    pub case_id: String,
    /// Its title.
    pub case_title: String,
    /// When it happened.
    pub date: Option<CaseDate>,
    /// The mistake and its lesson.
    pub mistake: Mistake,
}

/// The mistakes to reread in `month`.
pub fn choose(cases: &[Arc<Case>], taxonomy: &Taxonomy, month: &Month) -> Vec<RereadMistake> {
    // Every mistake of each known chapter, oldest case first.
    let chapters: Vec<Vec<(&Case, &Mistake)>> = taxonomy
        .chapters
        .iter()
        .map(|label| {
            let mut list: Vec<(&Case, &Mistake)> = cases
                .iter()
                .flat_map(|c| c.mistakes.iter().map(move |m| (&**c, m)))
                .filter(|(_, m)| m.chapter == label.id)
                .collect();
            list.sort_by_key(|(c, _)| (c.date.as_ref().map(|d| d.start), c.id.clone()));
            list
        })
        .filter(|list| !list.is_empty())
        .collect();
    let count = chapters.len();
    if count == 0 {
        return Vec::new();
    }
    let ymd = to_calendar(month.calendar, month.start);
    let ordinal = usize::try_from(ymd.year).unwrap_or(0) * 12 + ymd.month as usize;
    let per_month = PER_MONTH.min(count);
    (0..per_month)
        .map(|j| {
            // Consecutive turns across months: every chapter comes back, and each time it
            // does, with its next mistake, however few chapters there are.
            let turn = ordinal * per_month + j;
            let list = &chapters[turn % count];
            let (case, mistake) = list[(turn / count) % list.len()];
            RereadMistake {
                case_id: case.id.clone(),
                case_title: case.title.clone(),
                date: case.date.clone(),
                mistake: mistake.clone(),
            }
        })
        .collect()
}
