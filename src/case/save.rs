//! Saving a whole case file's text, as the write API and the edit form send it: a new
//! case (named from its date and title, never over another), or a replacement of an
//! existing file that happens only if the file is still the version the writer started
//! from. Either way the text must pass the same checks as `casebook check`, and the file
//! is replaced atomically (a temporary file renamed over it): a reader, or a crash, sees
//! the old file or the new one, never half of one.

use std::fs;
use std::path::{Path, PathBuf};

use super::load::content_hash;
use super::write::{case_file_name, staged, write_new, WriteError, WRITING};
use super::Case;
use crate::diag::Diagnostic;
use crate::kb::Kb;

/// The version tag of a file's bytes: what `ETag` and `If-Match` carry.
pub fn version_tag(bytes: &[u8]) -> String {
    format!("{:016x}", content_hash(bytes))
}

/// Why a case was not saved. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The text has errors `casebook check` would report (the same messages).
    #[error("the case has {} error(s); nothing was written", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// The file changed since the writer read it: their version and the current one
    /// are both kept, for the writer to merge.
    #[error("{}: the file changed since it was opened; nothing was written", path.display())]
    Changed {
        /// The file.
        path: PathBuf,
        /// Its current bytes.
        current: Vec<u8>,
    },
    /// The file is no longer there.
    #[error("{}: the case no longer exists", .0.display())]
    Gone(PathBuf),
    /// Writing failed, or a case with this date and title exists already.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// The errors of `text` as the case file `rel`, as `casebook check` reports them.
fn check(kb: &Kb, rel: &Path, text: &str) -> Result<Case, SaveError> {
    let parsed = Case::parse(rel, text.as_bytes(), &kb.taxonomy);
    let errors: Vec<Diagnostic> = parsed
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    match parsed.case {
        Some(case) if errors.is_empty() => Ok(case),
        _ => Err(SaveError::Invalid(errors)),
    }
}

/// Writes `text` as a new case file named from its date and title; returns its path
/// relative to the root.
pub fn create(kb: &Kb, text: &str) -> Result<PathBuf, SaveError> {
    // Checked under a provisional name, then again under its own (the path is part of a
    // diagnostic, never of the rules).
    let provisional = Path::new("new-case.md");
    let case = check(kb, provisional, text)?;
    let Some(date) = case.date.as_ref() else {
        // The file is named after its date.
        return Err(SaveError::Invalid(vec![Diagnostic::error(
            provisional,
            1,
            1,
            crate::msg!("diag-new-case-needs-date"),
        )]));
    };
    let original = date.original.trim();
    let ascii_date = crate::text::to_ascii_digits(original).replace('/', "-");
    let rel = PathBuf::from(case_file_name(&ascii_date, &case.title));
    check(kb, &rel, text)?;
    write_new(kb, &rel, text.as_bytes())?;
    Ok(rel)
}

/// Replaces the case file `rel` with `text` if its bytes still have the version tag
/// `expected`; returns the new version tag.
pub fn replace(kb: &Kb, rel: &Path, expected: &str, text: &str) -> Result<String, SaveError> {
    check(kb, rel, text)?;
    let io = |source| {
        SaveError::Write(WriteError::Io {
            path: rel.to_path_buf(),
            source,
        })
    };
    let tmp = staged(kb, rel, text.as_bytes())?;
    let _one_at_a_time = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    let current = match kb.read(rel) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Err(SaveError::Gone(rel.to_path_buf())),
        Err(e) => return Err(io(std::io::Error::other(e.to_string()))),
    };
    if version_tag(&current) != expected {
        return Err(SaveError::Changed {
            path: rel.to_path_buf(),
            current,
        });
    }
    let path = kb.absolute(rel);
    keep_permissions(&path, tmp.as_file());
    tmp.persist(&path).map_err(|e| io(e.error))?;
    if let Some(dir) = path.parent() {
        let _ = fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(version_tag(text.as_bytes()))
}

/// Gives the replacement the permissions of the file it replaces.
fn keep_permissions(path: &Path, new: &fs::File) {
    if let Ok(meta) = fs::metadata(path) {
        let _ = new.set_permissions(meta.permissions());
    }
}

/// The text of a new case file from its front matter keys and its body.
pub fn compose(front_matter: &serde_yaml::Mapping, body: &str) -> Result<String, String> {
    let yaml = serde_yaml::to_string(front_matter).map_err(|e| e.to_string())?;
    let mut text = format!("---\n{yaml}---\n");
    if !body.trim().is_empty() {
        text.push('\n');
        text.push_str(body.trim_end());
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = "---\ntitle: Supplier closed for Nowruz\ncrisis_type: supplier\ndate: 1403-01-01\n---\n\nStory.\n";

    fn kb() -> (tempfile::TempDir, Kb) {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        (dir, kb)
    }

    #[test]
    fn a_new_case_is_named_from_its_date_and_title_and_never_written_twice() {
        let (dir, kb) = kb();
        let rel = create(&kb, CASE).unwrap();
        assert_eq!(
            rel,
            PathBuf::from("1403-01-01-supplier-closed-for-nowruz.md")
        );
        assert_eq!(fs::read_to_string(dir.path().join(&rel)).unwrap(), CASE);
        assert!(matches!(
            create(&kb, CASE),
            Err(SaveError::Write(WriteError::Exists(_)))
        ));
    }

    #[test]
    fn invalid_text_is_refused_with_the_messages_of_check() {
        let (dir, kb) = kb();
        let bad = "---\ntitle: x\ncrisis_type: supplier\ndate: 1403-13-01\n---\n";
        let Err(SaveError::Invalid(errors)) = create(&kb, bad) else {
            panic!("refused");
        };
        assert!(errors.iter().any(|d| d.line == 4), "{errors:?}");
        assert_eq!(
            fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
                .count(),
            0
        );
    }

    #[test]
    fn a_replacement_happens_only_over_the_version_it_started_from() {
        let (dir, kb) = kb();
        let rel = create(&kb, CASE).unwrap();
        let tag = version_tag(CASE.as_bytes());
        let edited = CASE.replace("Story.", "Story, edited.");
        let new_tag = replace(&kb, &rel, &tag, &edited).unwrap();
        assert_eq!(new_tag, version_tag(edited.as_bytes()));
        // A second writer who read the first version is refused, and told what is there now.
        let again = CASE.replace("Story.", "Another story.");
        let Err(SaveError::Changed { current, .. }) = replace(&kb, &rel, &tag, &again) else {
            panic!("refused");
        };
        assert_eq!(current, edited.as_bytes());
        assert_eq!(fs::read_to_string(dir.path().join(&rel)).unwrap(), edited);
        fs::remove_file(dir.path().join(&rel)).unwrap();
        assert!(matches!(
            replace(&kb, &rel, &new_tag, &edited),
            Err(SaveError::Gone(_))
        ));
    }
}
