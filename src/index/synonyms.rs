//! The glossary as the index reads it: each form of each concept analysed into the index's
//! own terms, so that a query's words meet the glossary in any spelling or word form.

use rustc_hash::FxHashMap;

use super::analyzer::terms;
use crate::glossary::Glossary;
use crate::text::has_arabic_script;

/// The most concepts one form belongs to.
const MAX_CONCEPTS_PER_FORM: usize = 4;

/// Forms that mean the same as a run of words, found by the words' terms.
#[derive(Debug, Default)]
pub struct Synonyms {
    /// The terms of a form, joined by spaces → the concepts holding it.
    by_terms: FxHashMap<String, Vec<usize>>,
    /// Each concept's forms: as written, and their joined terms.
    concepts: Vec<Vec<(String, String)>>,
    /// The most words a form has, after analysis.
    longest: usize,
}

impl Synonyms {
    /// Analyses every form of `glossary`.
    pub fn new(glossary: &Glossary) -> Synonyms {
        let mut out = Synonyms::default();
        for concept in glossary.concepts() {
            let id = out.concepts.len();
            let mut forms = Vec::with_capacity(concept.len());
            for form in concept {
                let analysed = terms(form);
                if analysed.is_empty() {
                    continue;
                }
                out.longest = out.longest.max(analysed.len());
                let key = analysed.join(" ");
                let ids = out.by_terms.entry(key.clone()).or_default();
                // A word in many concepts (a hostile or careless glossary) widens into
                // the first few only.
                if ids.len() < MAX_CONCEPTS_PER_FORM && !ids.contains(&id) {
                    ids.push(id);
                }
                forms.push((form.clone(), key));
            }
            out.concepts.push(forms);
        }
        out
    }

    /// The most words a form has (after analysis).
    pub fn longest(&self) -> usize {
        self.longest
    }

    /// The forms in the other language (the other script) that mean the same as `text`
    /// (any spelling), as written; empty when the glossary does not know it. Forms in the
    /// same language are left out: the glossary is for crossing languages, and each extra
    /// form makes a search read more.
    pub fn of(&self, text: &str) -> Vec<&str> {
        let key = terms(text).join(" ");
        let Some(ids) = self.by_terms.get(&key) else {
            return Vec::new();
        };
        let persian = has_arabic_script(text);
        let mut seen: Vec<&str> = vec![key.as_str()];
        let mut out = Vec::new();
        for &id in ids {
            for (form, form_key) in &self.concepts[id] {
                if has_arabic_script(form) == persian {
                    continue;
                }
                if !seen.contains(&form_key.as_str()) {
                    seen.push(form_key);
                    out.push(form.as_str());
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_finds_its_other_language_in_any_spelling_and_form() {
        let dir = tempfile::tempdir().unwrap();
        let kb = crate::kb::Kb::open(dir.path()).unwrap();
        let s = Synonyms::new(&Glossary::load(&kb).0);
        assert!(s.of("contracts").contains(&"قرارداد") || s.of("contracts").contains(&"قراردادها"));
        assert!(s.of("قرارداد").contains(&"contract"));
        assert!(
            s.of("تامين كننده").contains(&"supplier"),
            "{:?}",
            s.of("تامين كننده")
        );
        assert!(s.of("Exchange rate").contains(&"نرخ ارز"));
        assert!(s.of("zzz unknown").is_empty());
        assert!(
            !s.of("dollar").contains(&"dollars"),
            "the same word in another form is not a synonym"
        );
    }
}
