//! Related cases: the other cases a reader of one case should see next — same crisis
//! type, same chapters of mistakes, same counterparty, shared tags or similar titles.
//!
//! A pure function of the loaded cases; it needs no index.

use std::collections::HashMap;
use std::sync::Arc;

use crate::case::Case;
use crate::text::{fold_key, normalize};

/// Interns folded values as small integers, so that ranking 100,000 cases compares
/// integers instead of strings. Each kind of value has its own prefix, so a tag never
/// equals a title word.
#[derive(Debug, Default)]
struct Symbols {
    ids: HashMap<Box<str>, u32>,
    /// The key being looked up: most values were seen before, so a key is only
    /// allocated for a new one.
    key: String,
}

impl Symbols {
    fn id(&mut self, kind: char, value: &str) -> u32 {
        self.key.clear();
        self.key.push(kind);
        self.key.push(':');
        self.key.push_str(value);
        if let Some(&id) = self.ids.get(self.key.as_str()) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(self.key.as_str().into(), id);
        id
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn ids<S: AsRef<str>>(&mut self, kind: char, values: impl Iterator<Item = S>) -> Vec<u32> {
        let mut ids: Vec<u32> = values.map(|v| self.id(kind, v.as_ref())).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// What relatedness is computed from, folded once per case (ids, spellings, title words).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Features {
    crisis_type: u32,
    chapters: Vec<u32>,
    counterparty: Option<u32>,
    tags: Vec<u32>,
    title_words: Vec<u32>,
}

impl Features {
    fn of(case: &Case, symbols: &mut Symbols) -> Features {
        let title = normalize(&case.title);
        let words = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3);
        Features {
            crisis_type: symbols.id('t', &case.crisis_type),
            chapters: symbols.ids('c', case.chapters().into_iter()),
            counterparty: case
                .counterparty
                .as_deref()
                .map(fold_key)
                .filter(|c| !c.is_empty())
                .map(|c| symbols.id('p', &c)),
            tags: symbols.ids('g', case.tags.iter().map(|t| fold_key(t))),
            title_words: symbols.ids('w', words),
        }
    }

    /// Every value of this case with its weight in relatedness: same counterparty 4,
    /// same type 3, each shared chapter or title word 2, each shared tag 1. How related
    /// two cases are is the sum of the weights of the values they share (0: unrelated).
    fn weighted(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        std::iter::once((self.crisis_type, 3))
            .chain(self.chapters.iter().map(|&c| (c, 2)))
            .chain(self.counterparty.map(|p| (p, 4)))
            .chain(self.tags.iter().map(|&t| (t, 1)))
            .chain(self.title_words.iter().map(|&w| (w, 2)))
    }
}

/// Each case's values with their weights, and for each value the cases that have it:
/// ranking one case only visits the cases it shares a value with, instead of comparing
/// it with every case. Both are kept flat (one array and its offsets), not as a list per
/// case and per value: at 100,000 cases that is a few numbers each instead of a few
/// allocations each.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// Every case's values, case after case, each `weight << WEIGHT_SHIFT | symbol`.
    values: Vec<u32>,
    /// Where each case's values start in `values`, and where the last one's end.
    value_starts: Vec<u32>,
    /// The cases holding each symbol, symbol after symbol.
    postings: Vec<u32>,
    /// Where each symbol's cases start in `postings`, and where the last one's end.
    posting_starts: Vec<u32>,
}

/// Weights (at most 4) sit above the symbol in one `u32`.
const WEIGHT_SHIFT: u32 = 29;
const SYMBOL_MASK: u32 = (1 << WEIGHT_SHIFT) - 1;

impl Related {
    /// Folds the features of every case once.
    pub fn new(cases: &[Arc<Case>]) -> Related {
        let mut symbols = Symbols::default();
        let mut values = Vec::new();
        let mut value_starts = Vec::with_capacity(cases.len() + 1);
        for case in cases {
            value_starts.push(values.len() as u32);
            let features = Features::of(case, &mut symbols);
            values.extend(
                features
                    .weighted()
                    .map(|(symbol, weight)| weight << WEIGHT_SHIFT | (symbol & SYMBOL_MASK)),
            );
        }
        value_starts.push(values.len() as u32);
        let mut posting_starts = vec![0u32; symbols.len() + 1];
        for &v in &values {
            posting_starts[(v & SYMBOL_MASK) as usize + 1] += 1;
        }
        for i in 1..posting_starts.len() {
            posting_starts[i] += posting_starts[i - 1];
        }
        let mut postings = vec![0u32; values.len()];
        let mut next = posting_starts.clone();
        for case in 0..cases.len() {
            for &v in &values[value_starts[case] as usize..value_starts[case + 1] as usize] {
                let slot = &mut next[(v & SYMBOL_MASK) as usize];
                postings[*slot as usize] = case as u32;
                *slot += 1;
            }
        }
        Related {
            values,
            value_starts,
            postings,
            posting_starts,
        }
    }

    fn cases(&self) -> usize {
        self.value_starts.len().saturating_sub(1)
    }

    /// The cases holding a symbol, in case order.
    fn holders(&self, symbol: u32) -> &[u32] {
        let (from, to) = (
            self.posting_starts[symbol as usize],
            self.posting_starts[symbol as usize + 1],
        );
        &self.postings[from as usize..to as usize]
    }

    /// Up to `limit` cases related to `cases[of]`, best first (newest first among equals).
    /// `cases` must be the slice this was built from.
    pub fn of<'a>(&self, cases: &'a [Arc<Case>], of: usize, limit: usize) -> Vec<&'a Case> {
        if of >= self.cases() {
            return Vec::new();
        }
        let mine = &self.values[self.value_starts[of] as usize..self.value_starts[of + 1] as usize];
        let mut scores = vec![0u32; self.cases()];
        for &v in mine {
            for &i in self.holders(v & SYMBOL_MASK) {
                scores[i as usize] += v >> WEIGHT_SHIFT;
            }
        }
        scores[of] = 0;
        let lowest = lowest_score_needed(&scores, limit);
        let mut scored: Vec<(usize, &Case)> = scores
            .iter()
            .zip(cases)
            .filter(|(score, _)| **score >= lowest)
            .map(|(score, case)| (*score as usize, &**case))
            .collect();
        let date = |c: &Case| c.date.as_ref().map(|d| d.start);
        let order = |a: &(usize, &Case), b: &(usize, &Case)| {
            b.0.cmp(&a.0)
                .then_with(|| date(b.1).cmp(&date(a.1)))
                .then_with(|| a.1.id.cmp(&b.1.id))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        scored.into_iter().map(|(_, c)| c).collect()
    }
}

/// The lowest score the best `limit` cases can have (at least 1): only cases scoring
/// this much are sorted, instead of every case that shares anything.
fn lowest_score_needed(scores: &[u32], limit: usize) -> u32 {
    let max = scores.iter().copied().max().unwrap_or(0) as usize;
    let mut histogram = vec![0usize; max + 1];
    for &score in scores {
        histogram[score as usize] += 1;
    }
    let mut at_least = 0;
    for score in (1..=max).rev() {
        at_least += histogram[score];
        if at_least >= limit {
            return score as u32;
        }
    }
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, front: &str) -> Arc<Case> {
        let text = format!("---\n{front}\n---\nbody\n");
        crate::case::test_case(format!("{id}.md"), &text)
    }

    #[test]
    fn only_the_scores_that_can_reach_the_top_are_kept() {
        assert_eq!(lowest_score_needed(&[0, 5, 3, 3, 1, 0], 2), 3);
        assert_eq!(lowest_score_needed(&[0, 5, 3, 3, 1, 0], 4), 1);
        assert_eq!(lowest_score_needed(&[0, 5, 3, 3, 1, 0], 9), 1);
        assert_eq!(lowest_score_needed(&[0, 0], 1), 1);
        assert_eq!(lowest_score_needed(&[], 3), 1);
    }

    #[test]
    fn ranks_by_type_chapter_counterparty_and_title() {
        let dollar = case(
            "dollar",
            "title: قرارداد دلاری با تأمین‌کننده\ncrisis_type: currency\ndate: 2018-05-01\ncounterparty: شرکت الف\nmistakes:\n  - chapter: contracts\n    text: x",
        );
        let same_supplier = case(
            "supplier",
            "title: تاخیر در تحویل\ncrisis_type: supply\ndate: 2019-01-01\ncounterparty: شركت الف",
        );
        let same_type = case(
            "rial",
            "title: سقوط ریال\ncrisis_type: currency\ndate: 2012-10-01",
        );
        let contract_words = case(
            "contract",
            "title: قرارداد بدون بند تعدیل\ncrisis_type: legal\ndate: 2020-01-01\nmistakes:\n  - chapter: contracts\n    text: y",
        );
        let unrelated = case(
            "fire",
            "title: آتش‌سوزی انبار\ncrisis_type: natural-disaster\ndate: 2021-01-01",
        );
        let all = vec![dollar, same_supplier, same_type, contract_words, unrelated];
        let related = Related::new(&all);
        let ids: Vec<&str> = related
            .of(&all, 0, 10)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["contract", "supplier", "rial"]);
        let ids: Vec<&str> = related
            .of(&all, 0, 2)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["contract", "supplier"]);
        assert!(related.of(&all, 99, 2).is_empty());
    }
}
