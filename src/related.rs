//! Related cases: the other cases a reader of one case should see next — same crisis
//! type, same chapters of mistakes, same counterparty, shared tags or similar titles.
//!
//! A pure function of the loaded cases; it needs no index.

use std::collections::HashMap;

use crate::case::Case;
use crate::text::{fold_key, normalize};

/// Interns folded values as small integers, so that ranking 100,000 cases compares
/// integers instead of strings. Each kind of value has its own prefix, so a tag never
/// equals a title word.
#[derive(Debug, Default)]
struct Symbols(HashMap<String, u32>);

impl Symbols {
    fn id(&mut self, kind: char, value: &str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(format!("{kind}:{value}")).or_insert(next)
    }

    fn ids(&mut self, kind: char, values: impl Iterator<Item = String>) -> Vec<u32> {
        let mut ids: Vec<u32> = values.map(|v| self.id(kind, &v)).collect();
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
        let words = normalize(&case.title)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_string)
            .collect::<Vec<_>>();
        Features {
            crisis_type: symbols.id('t', &case.crisis_type),
            chapters: symbols.ids('c', case.chapters().into_iter().map(str::to_string)),
            counterparty: case
                .counterparty
                .as_deref()
                .map(fold_key)
                .filter(|c| !c.is_empty())
                .map(|c| symbols.id('p', &c)),
            tags: symbols.ids('g', case.tags.iter().map(|t| fold_key(t))),
            title_words: symbols.ids('w', words.into_iter()),
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

/// The features of every loaded case, in the same order as the cases, and for each
/// value the cases that have it: ranking one case only visits the cases it shares a
/// value with, instead of comparing it with every case.
#[derive(Debug, Clone, Default)]
pub struct Related {
    features: Vec<Features>,
    postings: Vec<Vec<u32>>,
}

impl Related {
    /// Folds the features of every case once.
    pub fn new(cases: &[Case]) -> Related {
        let mut symbols = Symbols::default();
        let features: Vec<Features> = cases
            .iter()
            .map(|c| Features::of(c, &mut symbols))
            .collect();
        let mut postings = vec![Vec::new(); symbols.0.len()];
        for (i, f) in features.iter().enumerate() {
            for (symbol, _) in f.weighted() {
                postings[symbol as usize].push(i as u32);
            }
        }
        Related { features, postings }
    }

    /// Up to `limit` cases related to `cases[of]`, best first (newest first among equals).
    /// `cases` must be the slice this was built from.
    pub fn of<'a>(&self, cases: &'a [Case], of: usize, limit: usize) -> Vec<&'a Case> {
        let Some(me) = self.features.get(of) else {
            return Vec::new();
        };
        let mut scores = vec![0u32; self.features.len()];
        for (symbol, weight) in me.weighted() {
            for &i in &self.postings[symbol as usize] {
                scores[i as usize] += weight;
            }
        }
        scores[of] = 0;
        let lowest = lowest_score_needed(&scores, limit);
        let mut scored: Vec<(usize, &Case)> = scores
            .iter()
            .zip(cases)
            .filter(|(score, _)| **score >= lowest)
            .map(|(score, case)| (*score as usize, case))
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
    use crate::kb::Taxonomy;

    fn case(id: &str, front: &str) -> Case {
        let text = format!("---\n{front}\n---\nbody\n");
        Case::parse(format!("{id}.md"), text.as_bytes(), &Taxonomy::default())
            .case
            .unwrap_or_else(|| panic!("{id} parses"))
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
