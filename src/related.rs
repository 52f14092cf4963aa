//! Related cases: the other cases a reader of one case should see next — same crisis
//! type, same chapters of mistakes, same counterparty, shared tags or similar titles.
//!
//! A pure function of the loaded cases; it needs no index.

use std::collections::HashSet;

use crate::case::Case;
use crate::text::{fold_key, normalize};

/// Why a case is related, in order of weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Relation {
    /// Same crisis type.
    pub same_type: bool,
    /// Number of chapters of mistakes in common.
    pub shared_chapters: usize,
    /// Same counterparty (any spelling).
    pub same_counterparty: bool,
    /// Number of tags in common (any spelling).
    pub shared_tags: usize,
    /// Number of title words in common (any spelling, words of 3+ letters).
    pub shared_title_words: usize,
}

impl Relation {
    /// The relation of `other` to `case`.
    pub fn between(case: &Case, other: &Case) -> Relation {
        let chapters: HashSet<&str> = case.chapters().into_iter().collect();
        let tags: HashSet<String> = case.tags.iter().map(|t| fold_key(t)).collect();
        let words = title_words(&case.title);
        Relation {
            same_type: case.crisis_type == other.crisis_type,
            shared_chapters: other
                .chapters()
                .iter()
                .filter(|c| chapters.contains(*c))
                .count(),
            same_counterparty: match (&case.counterparty, &other.counterparty) {
                (Some(a), Some(b)) => !fold_key(a).is_empty() && fold_key(a) == fold_key(b),
                _ => false,
            },
            shared_tags: other
                .tags
                .iter()
                .filter(|t| tags.contains(&fold_key(t)))
                .count(),
            shared_title_words: title_words(&other.title).intersection(&words).count(),
        }
    }

    /// A score to rank by: 0 means unrelated.
    pub fn score(&self) -> usize {
        3 * usize::from(self.same_type)
            + 2 * self.shared_chapters
            + 4 * usize::from(self.same_counterparty)
            + self.shared_tags
            + 2 * self.shared_title_words
    }
}

fn title_words(title: &str) -> HashSet<String> {
    normalize(title)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_string)
        .collect()
}

/// Up to `limit` cases related to `case`, best first (newest first among equals).
pub fn related_cases<'a>(case: &Case, cases: &'a [Case], limit: usize) -> Vec<&'a Case> {
    let mut scored: Vec<(usize, &Case)> = cases
        .iter()
        .filter(|other| other.id != case.id)
        .map(|other| (Relation::between(case, other).score(), other))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|a, b| {
        let date = |c: &Case| c.date.as_ref().map(|d| d.start);
        b.0.cmp(&a.0)
            .then_with(|| date(b.1).cmp(&date(a.1)))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
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
        let all = vec![
            dollar.clone(),
            same_supplier,
            same_type,
            contract_words,
            unrelated,
        ];
        let ids: Vec<&str> = related_cases(&dollar, &all, 10)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["contract", "supplier", "rial"]);
        assert_eq!(related_cases(&dollar, &all, 1).len(), 1);
    }
}
