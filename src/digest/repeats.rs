//! Repeats: a mistake of the month that resembles one made before, which means the earlier
//! lesson did not stick. Two mistakes resemble each other when they are in the same chapter
//! and either were made with the same counterparty, or their words overlap: the share of
//! analysed words (the search index's analyser: Persian spellings, compounds and suffixes
//! folded) they have in common is at least [`SIMILAR`].

use std::collections::HashSet;
use std::sync::Arc;

use serde::Serialize;

use crate::case::{Case, Mistake};
use crate::dates::CaseDate;
use crate::index::analyzer::terms;
use crate::text::fold_key;

/// The least Jaccard overlap of two mistakes' words that counts as the same mistake.
const SIMILAR: f64 = 0.3;

/// How many earlier mistakes are shown for one repeat.
const MAX_EARLIER: usize = 3;

/// Why an earlier mistake counts as the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Likeness {
    /// Same chapter, same counterparty.
    SameCounterparty,
    /// Same chapter, words in common.
    SimilarText,
}

/// An earlier mistake that the month's one repeats.
#[derive(Debug, Clone, Serialize)]
pub struct Earlier {
    /// The earlier case's id.
    pub case_id: String,
    /// Its title.
    pub case_title: String,
    /// When it happened.
    pub date: Option<CaseDate>,
    /// The earlier mistake, with the lesson that was meant to prevent this one.
    pub mistake: Mistake,
    /// Why it counts as the same.
    pub likeness: Likeness,
}

/// A mistake of the month with the earlier ones it repeats.
#[derive(Debug, Clone, Serialize)]
pub struct Repeat {
    /// The month's case id.
    pub case_id: String,
    /// Its title.
    pub case_title: String,
    /// The month's mistake.
    pub mistake: Mistake,
    /// The earlier mistakes it resembles, most alike first.
    pub earlier: Vec<Earlier>,
}

/// The repeats among the mistakes of `month_cases`, compared with every mistake of a case
/// that began before the month's case did.
pub fn find(all: &[Arc<Case>], month_cases: &[&Case]) -> Vec<Repeat> {
    let chapters: HashSet<&str> = month_cases
        .iter()
        .flat_map(|c| c.mistakes.iter().map(|m| &*m.chapter))
        .collect();
    // The words of every mistake in those chapters, analysed once: [case][mistake].
    let words: Vec<Vec<HashSet<String>>> = all
        .iter()
        .map(|case| {
            case.mistakes
                .iter()
                .map(|m| match chapters.contains(&*m.chapter) {
                    true => word_set(&m.text),
                    false => HashSet::new(),
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for case in month_cases {
        let Some(began) = case.date.as_ref().map(|d| d.start) else {
            continue;
        };
        for m in &case.mistakes {
            let mine = word_set(&m.text);
            let mut earlier: Vec<(f64, Earlier)> = Vec::new();
            for (ci, other) in all.iter().enumerate() {
                let before = other.date.as_ref().is_some_and(|d| d.start < began);
                if !before || other.id == case.id {
                    continue;
                }
                for (mi, om) in other.mistakes.iter().enumerate() {
                    if om.chapter != m.chapter {
                        continue;
                    }
                    let overlap = jaccard(&mine, &words[ci][mi]);
                    let likeness = if same_counterparty(case, other) {
                        Likeness::SameCounterparty
                    } else if overlap >= SIMILAR {
                        Likeness::SimilarText
                    } else {
                        continue;
                    };
                    let rank =
                        overlap + f64::from(u8::from(likeness == Likeness::SameCounterparty));
                    earlier.push((
                        rank,
                        Earlier {
                            case_id: other.id.clone(),
                            case_title: other.title.clone(),
                            date: other.date.clone(),
                            mistake: om.clone(),
                            likeness,
                        },
                    ));
                }
            }
            if earlier.is_empty() {
                continue;
            }
            earlier.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.case_id.cmp(&b.1.case_id)));
            out.push(Repeat {
                case_id: case.id.clone(),
                case_title: case.title.clone(),
                mistake: m.clone(),
                earlier: earlier
                    .into_iter()
                    .take(MAX_EARLIER)
                    .map(|(_, e)| e)
                    .collect(),
            });
        }
    }
    out
}

fn same_counterparty(a: &Case, b: &Case) -> bool {
    match (&a.counterparty, &b.counterparty) {
        (Some(x), Some(y)) => {
            let (x, y) = (fold_key(x), fold_key(y));
            !x.is_empty() && x == y
        }
        _ => false,
    }
}

fn word_set(text: &str) -> HashSet<String> {
    terms(text).into_iter().collect()
}

/// The share of words two sets have in common: |A ∩ B| / |A ∪ B|.
fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let common = a.intersection(b).count();
    let union = a.len() + b.len() - common;
    if union == 0 {
        return 0.0;
    }
    common as f64 / union as f64
}
