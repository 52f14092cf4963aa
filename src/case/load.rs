//! Loading every case of a knowledge base: the good cases *and* every diagnostic, so that
//! one broken file never hides another.

use std::collections::HashMap;
use std::fs;

use super::Case;
use crate::diag::{self, Diagnostic};
use crate::kb::Kb;
use crate::text::fold_key;

/// Ids that `/cases/{id}` cannot show because the web app uses the path itself.
const RESERVED_IDS: &[&str] = &["new"];

/// Every usable case of a knowledge base, with all problems found on the way.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Cases that parsed without errors, sorted by path.
    pub cases: Vec<Case>,
    /// Errors and warnings for every file, sorted by path and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Number of files with at least one error: cases missing from search.
    pub fn broken_files(&self) -> usize {
        let mut paths: Vec<_> = self
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| &d.path)
            .collect();
        paths.dedup();
        paths.len()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads and parses every case file below the knowledge base root.
pub fn load_all(kb: &Kb) -> Loaded {
    let mut loaded = Loaded::default();
    let mut seen: HashMap<String, String> = HashMap::new();
    for rel in kb.case_files() {
        let bytes = match fs::read(kb.absolute(&rel)) {
            Ok(b) => b,
            Err(e) => {
                loaded.diagnostics.push(Diagnostic::error(
                    &rel,
                    1,
                    1,
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        let parsed = Case::parse(rel.clone(), &bytes, &kb.taxonomy);
        loaded.diagnostics.extend(parsed.diagnostics);
        let Some(case) = parsed.case else { continue };
        // Ids that differ only in spelling (ي/ی, case) collide on other machines and in URLs.
        let key = fold_key(&case.id);
        if let Some(first) = seen.get(&key) {
            loaded.diagnostics.push(Diagnostic::error(
                &rel,
                1,
                1,
                format!(
                    "duplicate id: {:?} and {first:?} differ only in spelling or letter case. Rename one of the files",
                    case.id
                ),
            ));
            continue;
        }
        if RESERVED_IDS.contains(&case.id.as_str()) {
            loaded.diagnostics.push(Diagnostic::warning(
                &rel,
                1,
                1,
                format!(
                    "the id {:?} is also a page of the web app (/cases/{0}), so this case's page cannot be opened. Rename the file",
                    case.id
                ),
            ));
        }
        seen.insert(key, case.id.clone());
        loaded.cases.push(case);
    }
    diag::sort(&mut loaded.diagnostics);
    loaded
}
