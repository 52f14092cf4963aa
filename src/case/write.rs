//! Writing a new case safely: from the template, to a name derived from date and title,
//! never over an existing file, and never half-written (temp file, then rename).

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::dates::CaseDate;
use crate::kb::{case_id, Kb};
use crate::text::{fold_key, slugify};

/// What the user gives `casebook new`.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// The title.
    pub title: String,
    /// The crisis type id or label.
    pub crisis_type: String,
    /// The date, Gregorian or Jalali, as the user wrote it.
    pub date: String,
}

/// Why a new case could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The date is not a date.
    #[error("--date: {0}")]
    Date(#[from] crate::dates::DateError),
    /// The title is empty.
    #[error("the title is empty: give one with --title")]
    EmptyTitle,
    /// A case of that name exists already, or one whose id reads the same (relative path).
    #[error(
        "{0}: a case with this date and a title that reads the same exists already; nothing \
         was written. Choose another title or edit that file"
    )]
    Exists(PathBuf),
    /// An I/O error with its path.
    #[error("{path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// What.
        source: std::io::Error,
    },
}

/// Creates a case file from the template and returns its path relative to the root.
pub fn new_case(kb: &Kb, new: &NewCase) -> Result<PathBuf, WriteError> {
    if new.title.trim().is_empty() {
        return Err(WriteError::EmptyTitle);
    }
    let date = CaseDate::parse(&new.date)?;
    let ascii_date = crate::text::to_ascii_digits(date.original.trim()).replace('/', "-");
    let rel = PathBuf::from(case_file_name(&ascii_date, &new.title));
    let template = super::template::load(kb, super::template::kb_lang(kb))?;
    let crisis_type = kb
        .taxonomy
        .crisis_type(&new.crisis_type)
        .map(|l| l.id.clone())
        .unwrap_or_else(|| new.crisis_type.trim().to_string());
    let text = super::template::fill(&template, kb, &new.title, &crisis_type, &ascii_date);
    write_new(kb, &rel, text.as_bytes())?;
    Ok(rel)
}

/// The file name of a new case: its ASCII date, then the slug of its title.
pub(crate) fn case_file_name(ascii_date: &str, title: &str) -> String {
    format!("{ascii_date}-{}.md", slugify(title))
}

/// Writes one new case file at a time in this process: choosing a name that no case's id
/// folds to and creating the file must not interleave with another write.
pub(super) static WRITING: Mutex<()> = Mutex::new(());

/// Folder of the state folder where a file is written before it is renamed into place.
const TMP_DIR: &str = "tmp";

/// Writes a new case file at `rel` (relative to the root), atomically and never over
/// anything: not over a file of that name, and not beside a case whose id reads the same
/// (`ab` and `a b` both make `…-ab`, `…-a-b`: their ids fold alike, and one would hide
/// the other). The bytes go to a temporary file in the state folder first, so a write cut
/// short (a crash, a kill) leaves nothing in the case folders; the file is then renamed
/// into place without replacing anything, and the folder synced so the name survives a
/// power cut. The file's permissions are the usual ones for the user's umask.
pub(crate) fn write_new(kb: &Kb, rel: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: rel.to_path_buf(),
        source,
    };
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io(std::io::Error::other(
            "not a path inside the knowledge base",
        )));
    }
    let path = kb.absolute(rel);
    let dir = path.parent().unwrap_or(kb.root()).to_path_buf();
    let tmp = staged(kb, rel, bytes)?;
    let _one_at_a_time = WRITING.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(existing) = same_id(kb, rel) {
        return Err(WriteError::Exists(existing));
    }
    fs::create_dir_all(&dir).map_err(io)?;
    tmp.persist_noclobber(&path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(rel.to_path_buf())
        } else {
            io(e.error)
        }
    })?;
    sync_dir(&dir).map_err(io)
}

/// `bytes` in a synced temporary file in the state folder, ready to be renamed to `rel`:
/// a write cut short leaves nothing beside the cases.
pub(super) fn staged(
    kb: &Kb,
    rel: &Path,
    bytes: &[u8],
) -> Result<tempfile::NamedTempFile, WriteError> {
    let io = |source| WriteError::Io {
        path: rel.to_path_buf(),
        source,
    };
    let tmp_dir = kb.state_subdir(TMP_DIR).map_err(|e| match e {
        crate::kb::KbError::Io { source, .. } => io(source),
        other => io(std::io::Error::other(other.to_string())),
    })?;
    let mut tmp = builder().tempfile_in(&tmp_dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    Ok(tmp)
}

/// How old a temporary file must be to count as left behind by a write that never ended
/// (a crash, a kill): a write takes milliseconds.
const UNFINISHED_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

/// Removes the temporary files of writes that never finished (see [`write_new`]); returns
/// how many. They only ever sit in the state folder, never beside the cases.
pub fn remove_unfinished_writes(kb: &Kb) -> usize {
    let Ok(dir) = kb.state_subdir(TMP_DIR) else {
        return 0;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let stale = |entry: &fs::DirEntry| {
        entry.file_name().to_string_lossy().starts_with("new-case-")
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > UNFINISHED_AFTER))
    };
    entries
        .flatten()
        .filter(stale)
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// A case file whose id folds to the id `rel` would have (see [`crate::text::fold_key`]).
fn same_id(kb: &Kb, rel: &Path) -> Option<PathBuf> {
    let wanted = fold_key(&case_id(rel));
    if fs::symlink_metadata(kb.absolute(rel)).is_ok() {
        return Some(rel.to_path_buf());
    }
    kb.case_files()
        .into_iter()
        .find(|other| fold_key(&case_id(other)) == wanted)
}

/// A temporary-file builder whose file gets the permissions any editor would give a new
/// file under the user's umask: the temporary file's own default (owner only) would hide
/// a case from teammates and tools.
fn builder<'a>() -> tempfile::Builder<'a, 'a> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("new-case-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Makes a rename into `dir` durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
