//! Writing a new case safely: from the template, to a name derived from date and title,
//! never over an existing file, and never half-written (temp file, then rename).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::dates::CaseDate;
use crate::kb::Kb;
use crate::text::slugify;

/// The built-in case template; a knowledge base may override it with `templates/case.md`.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/case.md");

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
    /// The file exists already.
    #[error("{0}: already exists; nothing was written. Choose another title or edit that file")]
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
    let template = template(kb)?;
    let crisis_type = kb
        .taxonomy
        .crisis_type(&new.crisis_type)
        .map(|l| l.id.clone())
        .unwrap_or_else(|| new.crisis_type.trim().to_string());
    let text = fill(&template, &new.title, &crisis_type, &ascii_date);
    write_new(&kb.absolute(&rel), text.as_bytes())?;
    Ok(rel)
}

/// The file name of a new case: its ASCII date, then the slug of its title.
pub(crate) fn case_file_name(ascii_date: &str, title: &str) -> String {
    format!("{ascii_date}-{}.md", slugify(title))
}

fn template(kb: &Kb) -> Result<String, WriteError> {
    let custom = kb.root().join(crate::kb::TEMPLATES_DIR).join("case.md");
    if custom.exists() {
        fs::read_to_string(&custom).map_err(|source| WriteError::Io {
            path: custom,
            source,
        })
    } else {
        Ok(DEFAULT_TEMPLATE.to_string())
    }
}

/// Fills `{{title}}`, `{{crisis_type}}` and `{{date}}`, quoting values as YAML strings.
fn fill(template: &str, title: &str, crisis_type: &str, date: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s.trim()).unwrap_or_default();
    template
        .replace("{{title}}", &quote(title))
        .replace("{{crisis_type}}", &quote(crisis_type))
        .replace("{{date}}", &quote(date))
}

/// Writes a file that must not exist yet, atomically: a temp file in the same folder is
/// renamed into place without replacing anything.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if path.exists() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_path_buf())
        } else {
            io(e.error)
        }
    })?;
    Ok(())
}
