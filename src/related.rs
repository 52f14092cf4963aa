//! Related cases: the other cases a reader of one case should see next — same crisis
//! type, same chapters of mistakes, same counterparty, shared tags or similar titles.
//!
//! A pure function of the loaded cases; it needs no index.

use crate::case::Case;
use crate::text::{fold_key, normalize};

/// What relatedness is computed from, folded once per case (ids, spellings, title words),
/// so that ranking 100,000 cases compares short lists instead of re-normalising text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Features {
    crisis_type: String,
    chapters: Vec<String>,
    counterparty: Option<String>,
    tags: Vec<String>,
    title_words: Vec<String>,
}

impl Features {
    /// The features of a case.
    pub fn of(case: &Case) -> Features {
        let mut title_words: Vec<String> = normalize(&case.title)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_string)
            .collect();
        title_words.sort();
        title_words.dedup();
        Features {
            crisis_type: case.crisis_type.clone(),
            chapters: case.chapters().into_iter().map(str::to_string).collect(),
            counterparty: case
                .counterparty
                .as_deref()
                .map(fold_key)
                .filter(|c| !c.is_empty()),
            tags: case.tags.iter().map(|t| fold_key(t)).collect(),
            title_words,
        }
    }

    /// How related `other` is to this case: 0 means unrelated. Weights: same
    /// counterparty 4, same type 3, each shared chapter or title word 2, each shared tag 1.
    pub fn score(&self, other: &Features) -> usize {
        let shared = |a: &[String], b: &[String]| a.iter().filter(|x| b.contains(x)).count();
        3 * usize::from(self.crisis_type == other.crisis_type)
            + 2 * shared(&self.chapters, &other.chapters)
            + 4 * usize::from(
                self.counterparty.is_some() && self.counterparty == other.counterparty,
            )
            + shared(&self.tags, &other.tags)
            + 2 * shared(&self.title_words, &other.title_words)
    }
}

/// The features of every loaded case, in the same order as the cases.
#[derive(Debug, Clone, Default)]
pub struct Related {
    features: Vec<Features>,
}

impl Related {
    /// Folds the features of every case once.
    pub fn new(cases: &[Case]) -> Related {
        Related {
            features: cases.iter().map(Features::of).collect(),
        }
    }

    /// Up to `limit` cases related to `cases[of]`, best first (newest first among equals).
    /// `cases` must be the slice this was built from.
    pub fn of<'a>(&self, cases: &'a [Case], of: usize, limit: usize) -> Vec<&'a Case> {
        let Some(me) = self.features.get(of) else {
            return Vec::new();
        };
        let mut scored: Vec<(usize, &Case)> = self
            .features
            .iter()
            .zip(cases)
            .enumerate()
            .filter(|(i, _)| *i != of)
            .map(|(_, (f, case))| (me.score(f), case))
            .filter(|(score, _)| *score > 0)
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
