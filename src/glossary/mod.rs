//! The bilingual glossary: concepts of crisis and business vocabulary, each written in
//! English and Persian (and other spellings), so that a search in one language also finds
//! cases written in the other. Built from three sources, in order: the glossary that ships
//! in the binary (`default.toml`), the taxonomy's labels (each chapter and crisis type is
//! a concept in both languages), and a knowledge base's own `glossary.toml`, which adds
//! concepts or, with `replace_builtin = true`, stands instead of the built-in ones.
//!
//! This module only reads the lists; matching a query's words against them, with the
//! index's own analysis, is `query::glossary`'s.

use crate::msg;
use std::path::Path;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::kb::Kb;

/// The name of a knowledge base's own glossary, beside `casebook.toml`.
pub const FILE_NAME: &str = "glossary.toml";

/// The glossary shipped in the binary.
const BUILTIN: &str = include_str!("default.toml");

/// Bounds on a glossary from a file: concepts, forms per concept, characters per form.
const MAX_CONCEPTS: usize = 20_000;
const MAX_FORMS: usize = 12;
const MAX_FORM_CHARS: usize = 80;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    replace_builtin: bool,
    #[serde(default)]
    terms: Vec<Vec<String>>,
}

/// Concepts, each a list of forms that mean the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    concepts: Vec<Vec<String>>,
}

impl Glossary {
    /// The concepts.
    pub fn concepts(&self) -> &[Vec<String>] {
        &self.concepts
    }

    /// The glossary of `kb`: built-in, taxonomy labels, and its own file. A file that
    /// cannot be read gives a located diagnostic, and the other two sources still apply.
    pub fn load(kb: &Kb) -> (Glossary, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let own = read_own(kb, &mut diagnostics);
        let mut concepts = Vec::new();
        if !own.replace_builtin {
            concepts.extend(builtin().terms);
        }
        for label in kb.taxonomy.chapters.iter().chain(&kb.taxonomy.crisis_types) {
            concepts.push(vec![label.en.clone(), label.fa.clone()]);
        }
        concepts.extend(own.terms);
        (Glossary { concepts }, diagnostics)
    }
}

fn builtin() -> File {
    // Tested to parse; an empty glossary is the safe fallback.
    toml::from_str(BUILTIN).unwrap_or_default()
}

/// The knowledge base's `glossary.toml`, or nothing (with a diagnostic when it is broken).
fn read_own(kb: &Kb, diagnostics: &mut Vec<Diagnostic>) -> File {
    let path = Path::new(FILE_NAME);
    let bytes = match kb.read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return File::default(),
        Err(e) => {
            diagnostics.push(Diagnostic::error(path, 1, 1, e.message()));
            return File::default();
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        diagnostics.push(Diagnostic::error(
            path,
            1,
            1,
            msg!("diag-glossary-not-utf8"),
        ));
        return File::default();
    };
    let file: File = match toml::from_str(&text) {
        Ok(file) => file,
        Err(e) => {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].lines().count().max(1)
            });
            diagnostics.push(Diagnostic::error(
                path,
                line,
                1,
                msg!("diag-glossary-invalid", detail = e.message()),
            ));
            return File::default();
        }
    };
    bounded(path, file, diagnostics)
}

/// Keeps what fits the bounds, with a warning for what does not.
fn bounded(path: &Path, mut file: File, diagnostics: &mut Vec<Diagnostic>) -> File {
    if file.terms.len() > MAX_CONCEPTS {
        diagnostics.push(Diagnostic::warning(
            path,
            1,
            1,
            msg!(
                "diag-glossary-too-many",
                count = file.terms.len(),
                limit = MAX_CONCEPTS
            ),
        ));
        file.terms.truncate(MAX_CONCEPTS);
    }
    let before = file.terms.len();
    file.terms.retain(|forms| {
        forms.len() >= 2
            && forms.len() <= MAX_FORMS
            && forms
                .iter()
                .all(|f| !f.trim().is_empty() && f.chars().count() <= MAX_FORM_CHARS)
    });
    if file.terms.len() < before {
        diagnostics.push(Diagnostic::warning(
            path,
            1,
            1,
            msg!(
                "diag-glossary-left-out",
                count = before - file.terms.len(),
                forms = MAX_FORMS,
                chars = MAX_FORM_CHARS
            ),
        ));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_glossary_parses_and_has_a_few_hundred_concepts() {
        let file: File = toml::from_str(BUILTIN).expect("default.toml parses");
        assert!(file.terms.len() >= 200, "{}", file.terms.len());
        assert!(file.terms.iter().all(|t| t.len() >= 2));
    }

    #[test]
    fn a_knowledge_base_adds_its_own_and_the_taxonomy_joins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "terms = [[\"widget\", \"ویجت\"], [\"alone\"]]\n",
        )
        .unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let (g, diags) = Glossary::load(&kb);
        assert!(g.concepts().iter().any(|c| c == &["widget", "ویجت"]));
        assert!(g
            .concepts()
            .iter()
            .any(|c| c.contains(&"contract".to_string())));
        assert!(g
            .concepts()
            .iter()
            .any(|c| c.contains(&"Suppliers".to_string())));
        assert_eq!(diags.len(), 1, "the one-form concept: {diags:?}");

        std::fs::write(
            dir.path().join(FILE_NAME),
            "replace_builtin = true\nterms = [[\"a\", \"b\"]]\n",
        )
        .unwrap();
        let (g, _) = Glossary::load(&kb);
        assert!(!g
            .concepts()
            .iter()
            .any(|c| c.contains(&"contract".to_string())));

        std::fs::write(dir.path().join(FILE_NAME), "terms = [[\"a\", \n").unwrap();
        let (_, diags) = Glossary::load(&kb);
        assert!(
            diags[0].to_string().starts_with("glossary.toml:"),
            "{diags:?}"
        );
    }
}
