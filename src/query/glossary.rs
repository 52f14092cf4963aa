//! Searching through the glossary: each run of plain words that the glossary knows (in any
//! spelling or word form) is searched as itself or, weighing less, as any other form of
//! its concept: "contract" also finds «قرارداد», «نرخ ارز» also finds "exchange rate".

use serde::Serialize;

use crate::index::Synonyms;

/// How much a glossary form counts against the word itself: a case with the word the
/// user typed ranks first.
const SYNONYM_BOOST: &str = "0.5";

/// Words of a query that the glossary widened, and with what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expansion {
    /// The words as typed.
    pub words: String,
    /// The other forms also searched.
    pub also: Vec<String>,
}

/// The most runs of words one query widens, and the most forms each: bounds on what a
/// query (or a hostile glossary) can make a search read.
const MAX_EXPANSIONS: usize = 8;
const MAX_FORMS: usize = 12;

/// `q` with each run of plain words the glossary knows replaced by a group of it and its
/// other forms, and what was widened. The longest known run wins.
pub(crate) fn expand(q: &str, synonyms: &Synonyms) -> (String, Vec<Expansion>) {
    let words: Vec<&str> = q.split_whitespace().collect();
    // Bare words only (see `bare_words`): never inside a phrase or a group, never an operator.
    let plain = super::bare_words(&words);
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut used = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut widened = false;
        let longest = if used.len() < MAX_EXPANSIONS {
            synonyms.longest().min(words.len() - i)
        } else {
            0
        };
        for n in (1..=longest).rev() {
            let run = &words[i..i + n];
            if !plain[i..i + n].iter().all(|p| *p) {
                continue;
            }
            let text = run.join(" ");
            let mut also = synonyms.of(&text);
            also.truncate(MAX_FORMS);
            if also.is_empty() {
                continue;
            }
            let forms: Vec<String> = also
                .iter()
                .map(|f| format!("\"{}\"^{SYNONYM_BOOST}", f.replace(['"', '\\'], " ")))
                .collect();
            out.push(format!("({text} OR {})", forms.join(" OR ")));
            used.push(Expansion {
                words: text,
                also: also.iter().map(|f| f.to_string()).collect(),
            });
            i += n;
            widened = true;
            break;
        }
        if !widened {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    (out.join(" "), used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Glossary;

    fn synonyms(own: Option<&str>) -> Synonyms {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = own {
            std::fs::write(dir.path().join("glossary.toml"), text).unwrap();
        }
        let kb = crate::kb::Kb::open(dir.path()).unwrap();
        Synonyms::new(&Glossary::load(&kb).0)
    }

    #[test]
    fn operators_phrases_and_groups_are_never_widened() {
        let s = synonyms(None);
        let (q, used) = expand("delay NOT fraud", &s);
        assert!(q.contains("NOT fraud"), "{q}");
        assert!(!q.contains("(NOT"), "{q}");
        assert_eq!(used.len(), 1, "only «delay»: {used:?}");
        let (q, used) = expand("\"the contract was void\"", &s);
        assert_eq!(q, "\"the contract was void\"");
        assert!(used.is_empty());
        let (q, _) = expand("-(contract fraud) supplier", &s);
        assert!(q.starts_with("-(contract fraud) ("), "{q}");
        let (q, _) = expand("contract AND fraud", &s);
        assert!(q.contains(") AND ("), "{q}");
    }

    #[test]
    fn a_hostile_glossary_cannot_make_a_search_huge() {
        let many: String = (0..2000)
            .map(|i| format!("[\"contract\", \"ک{i}\"],"))
            .collect();
        let s = synonyms(Some(&format!("terms = [{many}]")));
        let words = vec!["contract"; 100].join(" ");
        let (q, used) = expand(&words, &s);
        assert!(used.len() <= MAX_EXPANSIONS);
        assert!(used.iter().all(|u| u.also.len() <= MAX_FORMS));
        assert!(q.len() < 20_000, "{} bytes", q.len());
    }
}
