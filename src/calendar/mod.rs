//! The calendar of anticipated recurring crises: Nowruz, Muharram, the tax deadline, the
//! next election. Each is a Markdown file in the knowledge base's `recurring/` folder
//! (front matter: the rule; body: the preparation playbook). This module parses them with
//! located diagnostics, computes their occurrences in Jalali, lunar Hijri or Gregorian
//! terms, links each occurrence to the past cases it recalls, and writes ICS.
//!
//! **Invariant:** pure except [`load_recurring`], which only reads files; nothing here
//! knows of axum, tantivy or the terminal.

pub mod grid;
pub mod history;
pub mod ics;
mod months;
mod occurrence;
mod parse;
pub mod rule;
pub mod sighting;

use crate::msg;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::dates::{CalendarKind, CaseDate};
use crate::diag::{self, Diagnostic};
use crate::kb::{Kb, Taxonomy, RECURRING_DIR};

pub use occurrence::{upcoming, LinkKind, LinkedCase, Occurrence};
pub use rule::{MonthDay, Rule, RuleError};
pub use sighting::{MonthStarts, SIGHTING_FILE};

/// A crisis we know will come back, and what to do before it does.
#[derive(Debug, Clone, Serialize)]
pub struct AnticipatedCrisis {
    /// The file stem (`nowruz`); cases point at it with `recurring: nowruz`.
    pub id: String,
    /// The file's path relative to the knowledge base.
    pub path: PathBuf,
    /// The title, usually Persian.
    pub title: String,
    /// An English title, if given.
    pub title_en: Option<String>,
    /// The crisis type id when known, else the text as written.
    pub crisis_type: String,
    /// Whether `crisis_type` is a known id.
    pub crisis_type_known: bool,
    /// The calendar the rule is written in.
    pub calendar: CalendarKind,
    /// When it comes back.
    pub rule: Rule,
    /// The rule as written, for display.
    pub rule_text: String,
    /// How many days before the start to warn.
    pub lead_days: u32,
    /// How many days it lasts (1 for a single day); the most it can last when
    /// `to_month_end` is set.
    pub duration_days: u32,
    /// Whether it lasts to the end of its month (`duration_days: month`: Ramadan is 29
    /// or 30 days, as sighted).
    pub to_month_end: bool,
    /// The last day the rule applies, if it stops.
    pub end: Option<CaseDate>,
    /// Whether computed dates are only approximate (an election date set each time).
    pub estimated: bool,
    /// Announced start dates that replace the computed ones, by year of `calendar`.
    pub overrides: BTreeMap<i32, NaiveDate>,
    /// Where the facts come from.
    pub sources: Vec<String>,
    /// Unknown front-matter keys, kept as they were.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The preparation playbook (Markdown).
    pub playbook: String,
    /// The file line on which the playbook starts.
    pub playbook_line: usize,
    /// Iran's announced lunar month starts, shared by all crises of a knowledge base.
    #[serde(skip)]
    pub sighted: Arc<MonthStarts>,
}

/// The result of parsing one anticipated-crisis file.
#[derive(Debug, Clone)]
pub struct ParsedCrisis {
    /// The crisis, unless an error made it unusable.
    pub crisis: Option<AnticipatedCrisis>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl AnticipatedCrisis {
    /// Parses a file's bytes. Does no I/O: `path` gives the id and the messages'
    /// location. `sighted` is the knowledge base's table of announced lunar months.
    pub fn parse(
        path: impl Into<PathBuf>,
        bytes: &[u8],
        taxonomy: &Taxonomy,
        sighted: Arc<MonthStarts>,
    ) -> ParsedCrisis {
        let path = path.into();
        let mut diagnostics = Vec::new();
        let crisis = crate::case::frontmatter::split(&path, bytes, &mut diagnostics)
            .and_then(|doc| parse::build(&path, doc, taxonomy, sighted, &mut diagnostics));
        diag::sort(&mut diagnostics);
        let crisis = if diagnostics.iter().any(Diagnostic::is_error) {
            None
        } else {
            crisis
        };
        ParsedCrisis {
            crisis,
            diagnostics,
        }
    }

    /// The title in a language (`fa`, or anything else for English when there is one).
    pub fn title_in(&self, lang: &str) -> &str {
        match (&self.title_en, lang) {
            (Some(en), l) if l != "fa" => en,
            _ => &self.title,
        }
    }
}

/// The id of an anticipated crisis: its file stem.
pub fn crisis_id(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads the announced month starts and every anticipated-crisis file of a knowledge base:
/// the usable crises, sorted by id, and every problem found (one broken file never hides
/// another).
pub fn load_recurring(kb: &Kb) -> (Vec<AnticipatedCrisis>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let sighted = Arc::new(load_sighting(kb, &mut diagnostics));
    let mut crises: Vec<AnticipatedCrisis> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for rel in kb.recurring_files() {
        let bytes = match kb.read(&rel) {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    &rel,
                    1,
                    1,
                    msg!("diag-cannot-read", detail = e.message()),
                ));
                continue;
            }
        };
        let parsed = AnticipatedCrisis::parse(rel.clone(), &bytes, &kb.taxonomy, sighted.clone());
        diagnostics.extend(parsed.diagnostics);
        let Some(crisis) = parsed.crisis else {
            continue;
        };
        if let Some(first) = seen.get(&crisis.id) {
            diagnostics.push(Diagnostic::error(
                &rel,
                1,
                1,
                msg!(
                    "diag-crisis-duplicate-id",
                    id = crate::i18n::Arg::quoted(&crisis.id),
                    first = first.display().to_string()
                ),
            ));
            continue;
        }
        seen.insert(crisis.id.clone(), rel);
        crises.push(crisis);
    }
    crises.sort_by(|a, b| a.id.cmp(&b.id));
    diag::sort(&mut diagnostics);
    (crises, diagnostics)
}

fn load_sighting(kb: &Kb, diagnostics: &mut Vec<Diagnostic>) -> MonthStarts {
    let rel = Path::new(RECURRING_DIR).join(SIGHTING_FILE);
    let text = match kb.read(&rel) {
        Err(e) if e.is_not_found() => return MonthStarts::default(),
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| msg!("diag-not-utf8")),
        Err(e) => Err(e.message()),
    };
    match text {
        Ok(text) => {
            let (table, diags) = MonthStarts::parse(&rel, &text);
            diagnostics.extend(diags);
            table
        }
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                &rel,
                1,
                1,
                msg!("diag-cannot-read", detail = e),
            ));
            MonthStarts::default()
        }
    }
}

/// Warnings for cases whose `recurring:` names no anticipated crisis. `text_of` gives a
/// case file's text (to point at the line); the caller decides where it comes from.
pub fn dangling_links(
    cases: &[Arc<crate::case::Case>],
    crises: &[AnticipatedCrisis],
    text_of: impl Fn(&Path) -> Option<String>,
) -> Vec<Diagnostic> {
    let ids: Vec<&str> = crises.iter().map(|c| c.id.as_str()).collect();
    cases
        .iter()
        .filter_map(|case| {
            let id = case.details.recurring.as_deref()?;
            if ids.contains(&id) {
                return None;
            }
            let line = text_of(&case.path)
                .and_then(|t| t.lines().position(|l| l.starts_with("recurring:")))
                .map_or(1, |i| i + 1);
            Some(Diagnostic::warning(
                &case.path,
                line,
                1,
                msg!(
                    "diag-dangling-recurring",
                    id = id,
                    folder = RECURRING_DIR,
                    known = ids.join(", ")
                ),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
