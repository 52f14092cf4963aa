//! Diagnostics: one problem in one file, located by line and column and rendered like a
//! compiler's message, so that `check` can report every problem at once.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::i18n::{Lang, Message};

/// How bad a problem is. An error means the file is not a usable case; a warning means
/// the case loads and stays searchable, but something in it deserves a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file could not be read as a case, or a required value is unusable.
    Error,
    /// The case loads, but something is unknown or suspicious.
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, relative to the knowledge base folder.
    pub path: PathBuf,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters).
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What was found and what to write instead, in either language (English in JSON).
    pub message: Message,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(path: &Path, line: usize, col: usize, message: Message) -> Self {
        Self::new(path, line, col, Severity::Error, message)
    }

    /// A warning at a position.
    pub fn warning(path: &Path, line: usize, col: usize, message: Message) -> Self {
        Self::new(path, line, col, Severity::Warning, message)
    }

    fn new(path: &Path, line: usize, col: usize, severity: Severity, message: Message) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line: line.max(1),
            col: col.max(1),
            severity,
            message,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Where the diagnostics of one file go while it is read: each is pushed with the file's
/// path and a (line, column).
pub struct Sink<'a> {
    /// The file being read.
    pub path: &'a Path,
    /// The diagnostics found so far.
    pub diags: &'a mut Vec<Diagnostic>,
}

impl Sink<'_> {
    /// Records an error at `at` (line, column).
    pub fn error(&mut self, at: (usize, usize), message: Message) {
        self.diags
            .push(Diagnostic::error(self.path, at.0, at.1, message));
    }

    /// Records a warning at `at` (line, column).
    pub fn warning(&mut self, at: (usize, usize), message: Message) {
        self.diags
            .push(Diagnostic::warning(self.path, at.0, at.1, message));
    }
}

impl Diagnostic {
    /// The diagnostic as a compiler writes one, `path:line:col: error: message`, with the
    /// message in `lang`; the prefix stays English for tools and editors.
    pub fn render(&self, lang: Lang) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {}: {}",
            crate::text::printable(&self.path.to_string_lossy()),
            self.line,
            self.col,
            severity,
            crate::text::printable(&self.message.text(lang))
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Sorts diagnostics by path, then position, so reports are stable.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
}
