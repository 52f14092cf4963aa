//! Every follow-up of every case, the list a team works through: owner, due date, status
//! and case, overdue first, then the open ones by due date, then those done. Filtered by
//! owner, chapter or "overdue only". A pure function of the loaded cases.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::{Case, FollowUp};
use crate::kb::Taxonomy;
use crate::text::fold_key;

/// A follow-up with its case.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub case_title: String,
    /// Its place among the case's follow-ups (what marking it done names).
    pub index: usize,
    /// The follow-up.
    pub followup: FollowUp,
    /// Not done and past its due date.
    pub overdue: bool,
}

/// Which follow-ups to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this owner's (compared after Persian normalisation, any letter case).
    pub owner: Option<String>,
    /// Only those not done and past their due date.
    pub overdue: bool,
    /// Only those of cases with a mistake in this chapter (an id or a label).
    pub chapter: Option<String>,
}

/// Why a filter cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The chapter is not in the taxonomy.
    #[error("unknown chapter {0:?}: use one of {1}")]
    UnknownChapter(String, String),
}

/// The follow-ups that pass `filter`, overdue first, then open by due date (those without
/// one last), then done.
pub fn list(
    cases: &[Arc<Case>],
    taxonomy: &Taxonomy,
    today: NaiveDate,
    filter: &Filter,
) -> Result<Vec<Row>, FilterError> {
    let chapter = match filter.chapter.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(c) => match taxonomy.chapter(c) {
            Some(label) => Some(label.id.as_str()),
            None => {
                let known: Vec<&str> = taxonomy.chapters.iter().map(|l| l.id.as_str()).collect();
                return Err(FilterError::UnknownChapter(c.to_string(), known.join(", ")));
            }
        },
        None => None,
    };
    let owner = filter
        .owner
        .as_deref()
        .map(fold_key)
        .filter(|o| !o.is_empty());
    let mut rows: Vec<Row> = cases
        .iter()
        .filter(|c| chapter.is_none_or(|ch| c.mistakes.iter().any(|m| m.chapter == ch)))
        .flat_map(|c| {
            c.followups.iter().enumerate().map(move |(index, f)| Row {
                case_id: c.id.clone(),
                case_title: c.title.clone(),
                index,
                overdue: !f.done && f.due.as_ref().is_some_and(|d| d.end < today),
                followup: f.clone(),
            })
        })
        .filter(|r| !filter.overdue || r.overdue)
        .filter(|r| {
            owner.as_deref().is_none_or(|o| {
                r.followup
                    .owner
                    .as_deref()
                    .is_some_and(|x| fold_key(x) == o)
            })
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            !r.overdue,
            r.followup.done,
            r.followup.due.is_none(),
            r.followup.due.as_ref().map(|d| d.start),
            r.case_id.clone(),
            r.index,
        )
    });
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_first_then_open_by_due_date_then_done_and_filters_apply() {
        let cases = vec![crate::case::test_case(
            "a.md",
            concat!(
                "---\ntitle: A\ncrisis_type: supply\nmistakes:\n",
                "  - chapter: suppliers\n    text: late\nfollowups:\n",
                "  - what: later\n    owner: Sara\n    due: 2027-01-01\n",
                "  - what: late one\n    owner: Reza\n    due: 2026-01-01\n",
                "  - what: no date\n",
                "  - what: finished\n    owner: sara\n    due: 2025-01-01\n    done: true\n---\n",
            ),
        )];
        let t = Taxonomy::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let all = list(&cases, &t, today, &Filter::default()).unwrap();
        let order: Vec<&str> = all.iter().map(|r| r.followup.what.as_str()).collect();
        assert_eq!(order, ["late one", "later", "no date", "finished"]);
        assert!(all[0].overdue && !all[3].overdue);
        let overdue = Filter {
            overdue: true,
            ..Filter::default()
        };
        assert_eq!(list(&cases, &t, today, &overdue).unwrap().len(), 1);
        let sara = Filter {
            owner: Some("SARA".into()),
            ..Filter::default()
        };
        assert_eq!(list(&cases, &t, today, &sara).unwrap().len(), 2);
        let contracts = Filter {
            chapter: Some("قراردادها".into()),
            ..Filter::default()
        };
        assert!(list(&cases, &t, today, &contracts).unwrap().is_empty());
        let suppliers = Filter {
            chapter: Some("suppliers".into()),
            ..Filter::default()
        };
        assert_eq!(list(&cases, &t, today, &suppliers).unwrap().len(), 4);
        let bad = Filter {
            chapter: Some("nope".into()),
            ..Filter::default()
        };
        assert!(list(&cases, &t, today, &bad).is_err());
    }
}
