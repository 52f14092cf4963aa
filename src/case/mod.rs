//! The case model: what a crisis team writes after an incident, parsed once from a
//! Markdown file with YAML front matter into typed values.
//!
//! **Invariant:** this module knows nothing of tantivy, axum or the terminal. Parsing is a
//! pure function of (path, bytes, taxonomy) returning the case *and* every diagnostic.

mod draft;
mod edit;
mod fields;
pub(crate) mod frontmatter;
mod load;
mod save;
pub mod template;
mod write;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::dates::CaseDate;
use crate::diag::Diagnostic;
use crate::kb::Taxonomy;

pub use draft::{CaseDraft, DraftError, DraftProblem, FollowUpDraft, MistakeDraft, ProblemKind};
pub use frontmatter::MAX_FRONT_MATTER_BYTES;
pub use load::{content_hash, load_all, load_all_reusing, Loaded};
pub use save::{compose, create, replace, version_tag, SaveError};
pub use write::{new_case, remove_unfinished_writes, NewCase, WriteError};

/// How severe the crisis was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Annoying, handled in the normal course of work.
    Low,
    /// Cost money or customers, but not the business.
    Medium,
    /// Threatened a line of business.
    High,
    /// Threatened the business itself.
    Critical,
}

impl Severity {
    /// What a person wrote, in English or Persian, in any spelling (`high`, `High`,
    /// «شدید», «زیاد», «بالا»): the one reading of a severity for files, search filters
    /// and the form alike.
    pub fn parse(text: &str) -> Option<Severity> {
        match crate::text::fold_key(text).as_str() {
            "low" | "کم" | "پایین" | "خفیف" => Some(Severity::Low),
            "medium" | "متوسط" => Some(Severity::Medium),
            "high" | "زیاد" | "بالا" | "شدید" => Some(Severity::High),
            "critical" | "بحرانی" => Some(Severity::Critical),
            _ => None,
        }
    }

    /// The id written in files: `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Whether a case is still being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Still being written; shown, but marked.
    Draft,
    /// Reviewed by the crisis team.
    Final,
}

/// A mistake made during a crisis, filed under a chapter of the notebook of mistakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mistake {
    /// The chapter id when it matches the taxonomy, else the text as written.
    pub chapter: String,
    /// Whether `chapter` is a known chapter id.
    pub chapter_known: bool,
    /// What we did wrong.
    pub text: String,
    /// What to do instead next time.
    pub lesson: Option<String>,
}

/// Something to do after the crisis, with its owner and state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    /// What has to be done.
    pub what: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<CaseDate>,
    /// Whether it is done.
    pub done: bool,
}

/// One case: a crisis, what was done, the mistakes by chapter and the lessons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The file's path relative to the knowledge base, without `.md` (`2012/dollar-jump`).
    pub id: String,
    /// The file's path relative to the knowledge base.
    pub path: PathBuf,
    /// The case's title.
    pub title: String,
    /// The crisis type id when known, else the text as written.
    pub crisis_type: String,
    /// Whether `crisis_type` is a known id.
    pub crisis_type_known: bool,
    /// When the crisis began.
    pub date: Option<CaseDate>,
    /// How bad it was.
    pub severity: Option<Severity>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Draft or final.
    pub status: Option<Status>,
    /// What was done, in order.
    pub actions: Vec<String>,
    /// Mistakes, each under a chapter.
    pub mistakes: Vec<Mistake>,
    /// Lessons learned.
    pub lessons: Vec<String>,
    /// Follow-ups and their state.
    pub followups: Vec<FollowUp>,
    /// The other side: supplier, customer, partner, authority.
    pub counterparty: Option<String>,
    /// What fewer cases say (when it ended, the state sections, the recurring crisis, …),
    /// read through `case.details.<field>`.
    #[serde(flatten)]
    pub details: Details,
    /// The file line on which the body starts.
    pub body_line: usize,
}

/// The parts of a case that most cases leave out. They sit behind one pointer, allocated
/// only when a case has any of them, so that a case without them pays one pointer rather
/// than every empty field.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CaseDetails {
    /// When it ended.
    pub ended: Option<CaseDate>,
    /// Who wrote the case.
    pub authors: Vec<String>,
    /// State of internal resources (people, cash, stock) during the crisis.
    pub resources: Option<String>,
    /// State of the environment (market, government, competitors).
    pub environment: Option<String>,
    /// State of the IT infrastructure.
    pub infrastructure: Option<String>,
    /// The id of the anticipated crisis this case is an instance of.
    pub recurring: Option<String>,
    /// Unknown front-matter keys, kept as they were (files are shared with other tools).
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Empty details, lent by [`Details`] when a case has none.
static NO_DETAILS: CaseDetails = CaseDetails {
    ended: None,
    authors: Vec::new(),
    resources: None,
    environment: None,
    infrastructure: None,
    recurring: None,
    extra: BTreeMap::new(),
};

/// A case's [`CaseDetails`], or nothing when they are all empty. Reads as `CaseDetails`
/// (`case.details.resources`) either way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details(Option<Box<CaseDetails>>);

impl Details {
    /// Keeps `details`, allocating only when any of them is set.
    pub fn new(details: CaseDetails) -> Details {
        if details == NO_DETAILS {
            Details(None)
        } else {
            Details(Some(Box::new(details)))
        }
    }

    /// The details to change in place, if the case has any.
    pub fn get_mut(&mut self) -> Option<&mut CaseDetails> {
        self.0.as_deref_mut()
    }
}

impl std::ops::Deref for Details {
    type Target = CaseDetails;

    fn deref(&self) -> &CaseDetails {
        self.0.as_deref().unwrap_or(&NO_DETAILS)
    }
}

impl Serialize for Details {
    /// As the details' fields, empty ones included (the JSON of a case keeps every key).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// Parses `text` as the file `path` with the default taxonomy, shared as a load shares
/// its cases: for the tests of what is built from cases. Panics with the diagnostics when
/// the text is not a case.
#[cfg(test)]
pub(crate) fn test_case(path: impl Into<PathBuf>, text: &str) -> std::sync::Arc<Case> {
    let path = path.into();
    let parsed = Case::parse(&path, text.as_bytes(), &Taxonomy::default());
    let diagnostics = parsed.diagnostics;
    std::sync::Arc::new(
        parsed
            .case
            .unwrap_or_else(|| panic!("{} does not parse: {diagnostics:?}", path.display())),
    )
}

/// The result of parsing one file: the case if it is usable, and every problem found.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The case, unless an error made it unusable.
    pub case: Option<Case>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Case {
    /// Parses a case from a file's bytes. Does no I/O: `path` is only used for the id and
    /// in messages. A file with errors yields no case; warnings leave it usable.
    pub fn parse(path: impl Into<PathBuf>, bytes: &[u8], taxonomy: &Taxonomy) -> Parsed {
        let path = path.into();
        let mut diagnostics = Vec::new();
        let case = frontmatter::split(&path, bytes, &mut diagnostics)
            .and_then(|doc| fields::build_case(&path, doc, taxonomy, &mut diagnostics));
        crate::diag::sort(&mut diagnostics);
        let case = if diagnostics.iter().any(Diagnostic::is_error) {
            None
        } else {
            case
        };
        Parsed { case, diagnostics }
    }

    /// The Markdown body of a case file's bytes: what follows the front matter, or nothing
    /// when the front matter cannot be found (the file is being edited, or is not a case:
    /// its text is never shown as if it were one). Does no I/O.
    pub fn body_of(bytes: &[u8]) -> String {
        frontmatter::body(bytes).unwrap_or_default()
    }

    /// The chapters this case has mistakes in, known ids only, without repeats.
    pub fn chapters(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in &self.mistakes {
            if !out.contains(&&*m.chapter) {
                out.push(&m.chapter);
            }
        }
        out
    }

    /// Follow-ups not yet done.
    pub fn open_followups(&self) -> impl Iterator<Item = &FollowUp> {
        self.followups.iter().filter(|f| !f.done)
    }
}

#[cfg(test)]
mod tests;
