//! Loading every case of a knowledge base: the good cases *and* every diagnostic, so that
//! one broken file never hides another.
//!
//! A reload ([`load_all_reusing`]) re-reads only the files whose size or mtime changed
//! since the previous load and reuses the parsed cases of the others; the checks over the
//! whole set (duplicate ids, reserved ids) run again every time.

use crate::msg;
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

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
    pub cases: Vec<Arc<Case>>,
    /// Errors and warnings for every file, sorted by path and line.
    pub diagnostics: Vec<Diagnostic>,
    /// What each file gave when it was parsed, by path, for the next [`load_all_reusing`].
    pub(crate) files: Files,
    /// How many files this load read and parsed (the others were reused).
    pub(crate) parsed: usize,
    /// Cases left out as duplicate ids, by path, kept to be reused like the others.
    pub(crate) duplicates: HashMap<PathBuf, Arc<Case>>,
}

/// One case file as last parsed: its size and mtime then, and what parsing it gave
/// before the checks over the whole set.
#[derive(Debug, Clone)]
pub(crate) struct FileRecord {
    len: u64,
    modified: SystemTime,
    /// [`content_hash`] of the bytes parsed.
    hash: u64,
    diagnostics: Box<[Diagnostic]>,
    has_case: bool,
}

/// Every file's [`FileRecord`], sorted by path (files are loaded in path order): a binary
/// search finds one, and a sorted list holds less than a hash map, which matters at a
/// reload's peak (the old records and the new are alive together).
#[derive(Debug, Clone, Default)]
pub(crate) struct Files(Vec<(Box<Path>, FileRecord)>);

impl Files {
    fn get(&self, rel: &Path) -> Option<&FileRecord> {
        self.0
            .binary_search_by(|(path, _)| (**path).cmp(rel))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Adds the record of the next file in path order.
    fn push(&mut self, rel: &Path, record: FileRecord) {
        debug_assert!(self.0.last().is_none_or(|(last, _)| **last < *rel));
        self.0.push((rel.into(), record));
    }
}

impl Loaded {
    /// The case of the file at `rel`, a duplicate id's included. Cases are in path order
    /// (files are loaded so), so no map of them is needed.
    fn case_at(&self, rel: &Path) -> Option<&Arc<Case>> {
        match self.cases.binary_search_by(|c| (*c.path).cmp(rel)) {
            Ok(i) => Some(&self.cases[i]),
            Err(_) => self.duplicates.get(rel),
        }
    }

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

    /// How many case files this load read and parsed; the others' cases were reused from
    /// the previous load because their size and mtime had not changed.
    pub fn parsed_files(&self) -> usize {
        self.parsed
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// What this load made of the file at `rel` if its bytes then hashed to `hash`: its case
    /// (`Some(Some(case))`), or that it had none
    /// (`Some(None)`: it has errors). `None` when the file was not parsed with those bytes.
    /// So that a file is parsed once per load, also by the index that follows the load.
    pub fn parsed(&self, rel: &Path, hash: u64) -> Option<Option<&Arc<Case>>> {
        let record = self.files.get(rel).filter(|r| r.hash == hash)?;
        match record.has_case {
            true => self.case_at(rel).map(Some),
            false => Some(None),
        }
    }
}

/// The hash of a file's bytes that tells whether it changed, the same for the load and
/// the index's manifest.
pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// Reads and parses every case file below the knowledge base root.
pub fn load_all(kb: &Kb) -> Loaded {
    load_all_reusing(kb, &Loaded::default())
}

/// Like [`load_all`], but reuses `previous`'s parsed cases and diagnostics for files whose
/// size and mtime are unchanged; changed and new files are parsed, removed ones dropped.
/// The result equals what [`load_all`] gives, duplicate and reserved ids included.
pub fn load_all_reusing(kb: &Kb, previous: &Loaded) -> Loaded {
    let mut loaded = Loaded::default();
    // Folded id → position in `loaded.cases`.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let listing = kb.list_cases();
    loaded
        .diagnostics
        .extend(listing.links.iter().map(|rel| link_diagnostic(kb, rel)));
    for rel in listing.cases {
        let reused = previous
            .files
            .get(&rel)
            .and_then(|record| reuse(kb, &rel, record, previous, &mut loaded.files));
        let (case, diagnostics) = match reused {
            Some(found) => found,
            None => {
                loaded.parsed += 1;
                let (case, diagnostics) = parse_file(kb, &rel, &mut loaded.files);
                (case.map(Arc::new), diagnostics)
            }
        };
        loaded.diagnostics.extend(diagnostics);
        let Some(case) = case else { continue };
        // Ids that differ only in spelling (ي/ی, case) collide on other machines and in URLs.
        let key = fold_key(&case.id);
        if let Some(&first) = seen.get(&key) {
            let first = &loaded.cases[first].id;
            loaded.diagnostics.push(Diagnostic::error(
                &rel,
                1,
                1,
                msg!(
                    "diag-duplicate-id",
                    id = crate::i18n::Arg::quoted(&case.id),
                    first = crate::i18n::Arg::quoted(first)
                ),
            ));
            loaded.duplicates.insert(rel, case);
            continue;
        }
        if RESERVED_IDS.contains(&case.id.as_str()) {
            loaded.diagnostics.push(Diagnostic::warning(
                &rel,
                1,
                1,
                msg!(
                    "diag-reserved-id",
                    id = crate::i18n::Arg::quoted(&case.id),
                    page = case.id.as_str()
                ),
            ));
        }
        seen.insert(key, loaded.cases.len());
        loaded.cases.push(case);
    }
    diag::sort(&mut loaded.diagnostics);
    loaded
}

/// A symbolic link where a case could be: an error for a link named like a case (that
/// case is missing from search), a warning for a link to a folder.
fn link_diagnostic(kb: &Kb, rel: &Path) -> Diagnostic {
    if rel.extension().is_some_and(|x| x == "md") {
        let message = msg!(
            "diag-not-loaded",
            detail = crate::kb::ReadError::Link.message()
        );
        Diagnostic::error(rel, 1, 1, message)
    } else {
        let message = msg!(
            "diag-link-to-folder",
            folder = crate::i18n::Arg::quoted(
                &kb.absolute(rel)
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
            )
        );
        Diagnostic::warning(rel, 1, 1, message)
    }
}

/// A file's size and mtime, when the file system tells both (of the link, if it is one:
/// a link is never read).
fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let meta = fs::symlink_metadata(path).ok()?;
    Some((meta.len(), meta.modified().ok()?))
}

/// The previous load's result for an unchanged file, copied into this load's records.
/// `None` when the file changed (or cannot be stat'ed).
fn reuse(
    kb: &Kb,
    rel: &Path,
    record: &FileRecord,
    previous: &Loaded,
    files: &mut Files,
) -> Option<(Option<Arc<Case>>, Vec<Diagnostic>)> {
    if stamp(&kb.absolute(rel))? != (record.len, record.modified) {
        return None;
    }
    let case = match record.has_case {
        true => Some(previous.case_at(rel)?.clone()),
        false => None,
    };
    files.push(rel, record.clone());
    Some((case, record.diagnostics.to_vec()))
}

/// Reads and parses one file, recording the result for the next load. A file that cannot
/// be read gives an error and no record, so it is tried again next time.
fn parse_file(kb: &Kb, rel: &Path, files: &mut Files) -> (Option<Case>, Vec<Diagnostic>) {
    let path = kb.absolute(rel);
    // Stat before reading: a write in between makes the next load parse the file again.
    let stamped = stamp(&path);
    let bytes = match kb.read(rel) {
        Ok(b) => b,
        Err(e) => {
            let message = msg!("diag-cannot-read", detail = e.message());
            return (None, vec![Diagnostic::error(rel, 1, 1, message)]);
        }
    };
    let parsed = Case::parse(rel.to_path_buf(), &bytes, &kb.taxonomy);
    if let Some((len, modified)) = stamped {
        let record = FileRecord {
            len,
            modified,
            hash: content_hash(&bytes),
            diagnostics: parsed.diagnostics.clone().into(),
            has_case: parsed.case.is_some(),
        };
        files.push(rel, record);
    }
    (parsed.case, parsed.diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, title: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text =
            format!("---\ntitle: {title}\ncrisis_type: currency\ndate: 1402-01-01\n---\nbody\n");
        fs::write(path, text).unwrap();
    }

    fn assert_same(reloaded: &Loaded, full: &Loaded) {
        assert_eq!(reloaded.cases, full.cases);
        assert_eq!(reloaded.diagnostics, full.diagnostics);
    }

    #[test]
    fn a_reload_parses_only_changed_files_and_equals_a_full_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for rel in ["a.md", "B.md", "b.md", "c.md", "new.md"] {
            write(root, rel, rel);
        }
        fs::write(root.join("broken.md"), "no front matter").unwrap();
        let kb = Kb::open(root).unwrap();

        let first = load_all_reusing(&kb, &Loaded::default());
        assert_eq!(first.parsed_files(), 6);
        assert_same(&first, &load_all(&kb));
        assert_eq!(first.broken_files(), 2, "the duplicate and the broken file");
        assert!(first
            .diagnostics
            .iter()
            .any(|d| d.message.to_string().contains("also a page")));

        // Nothing changed: nothing is parsed, not even the duplicate.
        let same = load_all_reusing(&kb, &first);
        assert_eq!(same.parsed_files(), 0);
        assert_same(&same, &first);
        // Unchanged cases are shared with the previous load, not copied.
        assert!(same
            .cases
            .iter()
            .zip(&first.cases)
            .all(|(a, b)| Arc::ptr_eq(a, b)));

        // One file changed: only it is parsed.
        write(root, "c.md", "a longer title than before");
        let one = load_all_reusing(&kb, &same);
        assert_eq!(one.parsed_files(), 1);
        assert_same(&one, &load_all(&kb));
        assert!(one
            .cases
            .iter()
            .any(|c| c.title == "a longer title than before"));
        let shared = |c: &Arc<Case>| same.cases.iter().any(|s| Arc::ptr_eq(s, c));
        let changed: Vec<_> = one.cases.iter().filter(|c| !shared(c)).collect();
        assert_eq!(changed.len(), 1, "only the changed file is a new case");
        assert_eq!(changed[0].path, Path::new("c.md"));

        // A file added, one removed: only the new one is parsed, the duplicate the removed
        // one hid becomes a case: the checks over the whole set still hold.
        fs::remove_file(root.join("B.md")).unwrap();
        write(root, "d/d.md", "d");
        let more = load_all_reusing(&kb, &one);
        assert_eq!(more.parsed_files(), 1, "d/d.md");
        assert_same(&more, &load_all(&kb));
        assert!(more.cases.iter().any(|c| c.path == Path::new("b.md")));
        assert!(!more.cases.iter().any(|c| c.path == Path::new("B.md")));
    }
}
