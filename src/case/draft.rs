//! A whole case written from a form: the draft is checked field by field, serialised to
//! YAML from a typed struct (never by pasting user text into YAML), parsed back with
//! [`Case::parse`] as a proof that the file reads as intended, then written with the
//! never-overwrite writer.

use std::path::PathBuf;

use serde::Serialize;
use serde_yaml::Mapping;

use super::write::{case_file_name, write_new, WriteError};
use super::Case;
use super::Severity;
use crate::dates::CaseDate;
use crate::kb::Kb;

/// A case as a form gives it: free text, one value per field.
#[derive(Debug, Clone, Default)]
pub struct CaseDraft {
    /// The title (one line).
    pub title: String,
    /// The crisis type id (or a label of one).
    pub crisis_type: String,
    /// When it started, Gregorian or Jalali, in any digits.
    pub date: String,
    /// `low`, `medium`, `high`, `critical`, or empty.
    pub severity: String,
    /// The other side, or empty.
    pub counterparty: String,
    /// What was done, in order.
    pub actions: Vec<String>,
    /// Mistakes; rows with every field empty are ignored.
    pub mistakes: Vec<MistakeDraft>,
    /// Lessons learned.
    pub lessons: Vec<String>,
    /// Follow-ups; rows with every field empty are ignored.
    pub followups: Vec<FollowUpDraft>,
    /// The Markdown story.
    pub body: String,
}

/// One mistake row of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MistakeDraft {
    /// The chapter id.
    pub chapter: String,
    /// What we did wrong.
    pub text: String,
    /// What to do instead.
    pub lesson: String,
}

/// One follow-up row of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FollowUpDraft {
    /// What has to be done.
    pub what: String,
    /// Who does it.
    pub owner: String,
    /// When it is due, Gregorian or Jalali.
    pub due: String,
    /// Whether it is done.
    pub done: bool,
}

/// What is wrong with one field of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A required field is empty.
    Empty,
    /// Not a date (the detail says why).
    Date,
    /// A crisis type not in the taxonomy.
    UnknownType,
    /// A chapter not in the taxonomy.
    UnknownChapter,
    /// A severity that is not one of the four.
    Severity,
    /// The generated file does not read back as written (the detail says where).
    Invalid,
    /// A case file with this date and title exists already.
    Exists,
}

/// One problem of a draft, attached to the field that has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftProblem {
    /// The field: `title`, `date`, `mistakes.0.chapter`, `followups.2.due`, `file`.
    pub field: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Details in English (the value, the parser's message), for the message shown.
    pub detail: String,
}

/// Why a draft was not written.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// The draft has problems; nothing was written.
    #[error("the case has {} problem(s); nothing was written", .0.len())]
    Invalid(Vec<DraftProblem>),
    /// The file could not be written (read-only folder, disk full).
    #[error(transparent)]
    Write(WriteError),
}

/// The front matter as written to the file: a typed struct, serialised by serde_yaml.
#[derive(Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    crisis_type: &'a str,
    date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    counterparty: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actions: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mistakes: Vec<MistakeYaml<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    lessons: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    followups: Vec<FollowUpYaml<'a>>,
}

#[derive(Serialize)]
struct MistakeYaml<'a> {
    chapter: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lesson: Option<&'a str>,
}

#[derive(Serialize)]
struct FollowUpYaml<'a> {
    what: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    done: bool,
}

impl CaseDraft {
    /// Every line of a "one per line" text area, trimmed, blank lines dropped.
    pub fn lines(text: &str) -> Vec<String> {
        text.lines()
            .map(one_line)
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Checks the draft and renders the file it would write: the path relative to the
    /// knowledge base, and the bytes. Every problem is reported, not only the first.
    pub fn render(&self, kb: &Kb) -> Result<(PathBuf, String), Vec<DraftProblem>> {
        let (front, title, date) = self.front_matter(kb, None)?;
        let yaml = to_yaml(&front)?;
        let body = self.body.replace("\r\n", "\n");
        let text = format!("---\n{yaml}---\n\n{}\n", body.trim_end());
        let rel = PathBuf::from(case_file_name(&date, &title));
        check_reads_back(kb, &rel, &text, &title)?;
        Ok((rel, text))
    }

    /// The draft's front matter as YAML values, its title and its ASCII date; every
    /// problem of every field.
    /// A crisis type or chapter outside the taxonomy (which `check` only warns about) is
    /// refused, unless `kept` (the file being edited) has it already.
    fn front_matter(
        &self,
        kb: &Kb,
        kept: Option<&CaseDraft>,
    ) -> Result<(Mapping, String, String), Vec<DraftProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field: &str, kind, detail: String| {
            problems.push(DraftProblem {
                field: field.to_string(),
                kind,
                detail,
            })
        };
        let title = one_line(&self.title);
        if title.is_empty() {
            problem("title", ProblemKind::Empty, String::new());
        }
        let kept_type = kept
            .map(|k| k.crisis_type.trim())
            .filter(|t| *t == self.crisis_type.trim());
        let crisis_type = kb
            .taxonomy
            .crisis_type(&self.crisis_type)
            .map(|l| l.id.as_str())
            .or(kept_type);
        if self.crisis_type.trim().is_empty() {
            problem("crisis_type", ProblemKind::Empty, String::new());
        } else if crisis_type.is_none() {
            problem(
                "crisis_type",
                ProblemKind::UnknownType,
                one_line(&self.crisis_type),
            );
        }
        let date = ascii_date(&self.date, "date", &mut problem, true);
        let written = Some(self.severity.trim()).filter(|s| !s.is_empty());
        let severity = written.and_then(Severity::parse).map(Severity::as_str);
        if let Some(s) = written.filter(|_| severity.is_none()) {
            problem("severity", ProblemKind::Severity, one_line(s));
        }
        let counterparty = one_line(&self.counterparty);
        let mut mistakes = Vec::new();
        for (i, m) in self.mistakes.iter().enumerate() {
            let (chapter, text, lesson) = (m.chapter.trim(), m.text.trim(), m.lesson.trim());
            if text.is_empty() && lesson.is_empty() {
                continue; // an unused row, whatever its chapter select says
            }
            let kept_chapter = kept
                .and_then(|k| k.mistakes.iter().find(|m| m.chapter.trim() == chapter))
                .map(|_| chapter);
            let known = kb
                .taxonomy
                .chapter(chapter)
                .map(|l| l.id.as_str())
                .or(kept_chapter);
            if known.is_none() {
                let kind = if chapter.is_empty() {
                    ProblemKind::Empty
                } else {
                    ProblemKind::UnknownChapter
                };
                problem(&format!("mistakes.{i}.chapter"), kind, one_line(chapter));
            }
            if text.is_empty() {
                problem(
                    &format!("mistakes.{i}.text"),
                    ProblemKind::Empty,
                    String::new(),
                );
            }
            mistakes.push(MistakeYaml {
                chapter: known.unwrap_or(chapter),
                text,
                lesson: Some(lesson).filter(|l| !l.is_empty()),
            });
        }
        let mut followups = Vec::new();
        for (i, f) in self.followups.iter().enumerate() {
            let (what, owner) = (f.what.trim(), f.owner.trim());
            if what.is_empty() && owner.is_empty() && f.due.trim().is_empty() {
                continue;
            }
            if what.is_empty() {
                problem(
                    &format!("followups.{i}.what"),
                    ProblemKind::Empty,
                    String::new(),
                );
            }
            let due = ascii_date(&f.due, &format!("followups.{i}.due"), &mut problem, false);
            followups.push(FollowUpYaml {
                what,
                owner: Some(owner).filter(|o| !o.is_empty()),
                due,
                done: f.done,
            });
        }
        let (Some(crisis_type), Some(date)) = (crisis_type, date) else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        let front = FrontMatter {
            title: &title,
            crisis_type,
            date: &date,
            severity,
            status: "draft",
            counterparty: Some(counterparty.as_str()).filter(|c| !c.is_empty()),
            actions: self.actions.iter().map(|a| a.trim()).collect(),
            mistakes,
            lessons: self.lessons.iter().map(|l| l.trim()).collect(),
            followups,
        };
        let front = match serde_yaml::to_value(&front) {
            Ok(serde_yaml::Value::Mapping(front)) => front,
            other => return Err(vec![invalid(format!("{other:?}"))]),
        };
        Ok((front, title, date))
    }

    /// The form's values of a case read from its file, for the edit form.
    pub fn from_case(case: &Case, body: &str) -> CaseDraft {
        CaseDraft {
            title: case.title.clone(),
            crisis_type: case.crisis_type.clone(),
            date: case
                .date
                .as_ref()
                .map(|d| d.original.clone())
                .unwrap_or_default(),
            severity: case
                .severity
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            counterparty: case.counterparty.clone().unwrap_or_default(),
            actions: case.actions.clone(),
            mistakes: case
                .mistakes
                .iter()
                .map(|m| MistakeDraft {
                    chapter: m.chapter.clone(),
                    text: m.text.clone(),
                    lesson: m.lesson.clone().unwrap_or_default(),
                })
                .collect(),
            lessons: case.lessons.clone(),
            followups: case
                .followups
                .iter()
                .map(|f| FollowUpDraft {
                    what: f.what.clone(),
                    owner: f.owner.clone().unwrap_or_default(),
                    due: f
                        .due
                        .as_ref()
                        .map(|d| d.original.clone())
                        .unwrap_or_default(),
                    done: f.done,
                })
                .collect(),
            body: body.to_string(),
        }
    }

    /// The file `original` (the case file `rel`) edited to this draft: each field that
    /// differs from `before` (the draft of the file as it was) is written anew, and every
    /// other line (keys the form does not show, comments, the fields left alone) stays
    /// byte for byte. Checked like a new case.
    pub fn edit(
        &self,
        kb: &Kb,
        rel: &std::path::Path,
        original: &str,
        before: &CaseDraft,
    ) -> Result<String, Vec<DraftProblem>> {
        let (front, title, _) = self.front_matter(kb, Some(before))?;
        let mut keys: Vec<(&str, Option<String>)> = Vec::new();
        let changed = self.changed_keys(before);
        if let Some(problem) = lists_the_form_cannot_hold(rel, original, &changed) {
            return Err(vec![problem]);
        }
        for key in changed {
            let block = match front.get(key) {
                Some(value) => {
                    let mut one = Mapping::new();
                    one.insert(key.into(), value.clone());
                    Some(to_yaml(&one)?)
                }
                None => None,
            };
            keys.push((key, block));
        }
        let body = (self.body.replace("\r\n", "\n").trim_end() != before.body.trim_end())
            .then(|| self.body.replace("\r\n", "\n"));
        let text = super::edit::splice(original, &keys, body.as_deref()).map_err(|e| {
            vec![invalid(match e {
                super::edit::SpliceError::NoFrontMatter => {
                    "the file has no front matter to edit".to_string()
                }
                super::edit::SpliceError::Twice(key) => format!(
                    "the file has the key {key:?} twice: keep one, in an editor, then edit here"
                ),
            })]
        })?;
        check_reads_back(kb, rel, &text, &title)?;
        Ok(text)
    }

    /// The front matter keys whose values differ between this draft and `before` (rows
    /// left empty do not count).
    fn changed_keys(&self, before: &CaseDraft) -> Vec<&'static str> {
        // Each side as the form shows it: one line per input, one item per textarea line.
        let mistakes = |d: &CaseDraft| -> Vec<MistakeDraft> {
            d.mistakes
                .iter()
                .filter(|m| !(m.text.trim().is_empty() && m.lesson.trim().is_empty()))
                .map(|m| MistakeDraft {
                    chapter: m.chapter.trim().to_string(),
                    text: one_line(&m.text),
                    lesson: one_line(&m.lesson),
                })
                .collect()
        };
        let followups = |d: &CaseDraft| -> Vec<FollowUpDraft> {
            d.followups
                .iter()
                .filter(|f| {
                    !(f.what.trim().is_empty()
                        && f.owner.trim().is_empty()
                        && f.due.trim().is_empty())
                })
                .map(|f| FollowUpDraft {
                    what: one_line(&f.what),
                    owner: one_line(&f.owner),
                    due: f.due.trim().to_string(),
                    done: f.done,
                })
                .collect()
        };
        let lines = |l: &[String]| CaseDraft::lines(&l.join("\n"));
        let mut keys = Vec::new();
        let mut differs = |key, changed: bool| {
            if changed {
                keys.push(key);
            }
        };
        differs("title", one_line(&self.title) != one_line(&before.title));
        differs(
            "crisis_type",
            self.crisis_type.trim() != before.crisis_type.trim(),
        );
        differs("date", self.date.trim() != before.date.trim());
        differs("severity", self.severity.trim() != before.severity.trim());
        differs(
            "counterparty",
            self.counterparty.trim() != before.counterparty.trim(),
        );
        differs("actions", lines(&self.actions) != lines(&before.actions));
        differs("mistakes", mistakes(self) != mistakes(before));
        differs("lessons", lines(&self.lessons) != lines(&before.lessons));
        differs("followups", followups(self) != followups(before));
        keys
    }

    /// Checks the draft and writes it as a new case file, never over an existing one.
    /// Returns the path relative to the knowledge base.
    pub fn write(&self, kb: &Kb) -> Result<PathBuf, DraftError> {
        let (rel, text) = self.render(kb).map_err(DraftError::Invalid)?;
        match write_new(kb, &rel, text.as_bytes()) {
            Ok(()) => Ok(rel),
            Err(WriteError::Exists(path)) => Err(DraftError::Invalid(vec![DraftProblem {
                field: "file".into(),
                kind: ProblemKind::Exists,
                detail: path.display().to_string(),
            }])),
            Err(e) => Err(DraftError::Write(e)),
        }
    }
}

/// The sub-keys the form shows for the items of each list.
const FORM_ITEM_KEYS: &[(&str, &[&str])] = &[
    ("mistakes", &["chapter", "text", "lesson"]),
    ("followups", &["what", "owner", "due", "done"]),
    ("actions", &[]),
    ("lessons", &[]),
];

/// A problem when one of the `changed` lists holds what the form cannot show (an item's
/// own key, a nested list): written anew, it would be lost. Such a list is edited in an
/// editor, and the form says so instead of dropping it.
fn lists_the_form_cannot_hold(
    rel: &std::path::Path,
    original: &str,
    changed: &[&str],
) -> Option<DraftProblem> {
    let doc = super::frontmatter::split(rel, original.as_bytes(), &mut Vec::new())?;
    for (key, allowed) in FORM_ITEM_KEYS {
        if !changed.contains(key) {
            continue;
        }
        let Some(serde_yaml::Value::Sequence(items)) = doc.mapping.get(*key) else {
            continue;
        };
        let fits = items.iter().all(|item| match item {
            serde_yaml::Value::Mapping(m) => m.iter().all(|(k, v)| {
                k.as_str().is_some_and(|k| allowed.contains(&k))
                    && !matches!(
                        v,
                        serde_yaml::Value::Sequence(_) | serde_yaml::Value::Mapping(_)
                    )
            }),
            serde_yaml::Value::String(_) | serde_yaml::Value::Number(_) => allowed.is_empty(),
            _ => false,
        });
        if !fits {
            return Some(DraftProblem {
                field: "file".into(),
                kind: ProblemKind::Invalid,
                detail: format!(
                    "{key:?} holds more than the form shows (its own keys or lists); change it in an editor"
                ),
            });
        }
    }
    None
}

fn invalid(detail: String) -> DraftProblem {
    DraftProblem {
        field: "file".into(),
        kind: ProblemKind::Invalid,
        detail,
    }
}

fn to_yaml(value: &impl Serialize) -> Result<String, Vec<DraftProblem>> {
    serde_yaml::to_string(value).map_err(|e| vec![invalid(e.to_string())])
}

/// Parses the generated file as `casebook check` would: any error, or a title that did
/// not survive the round trip, means the draft is not written.
fn check_reads_back(
    kb: &Kb,
    rel: &std::path::Path,
    text: &str,
    title: &str,
) -> Result<(), Vec<DraftProblem>> {
    let parsed = Case::parse(rel, text.as_bytes(), &kb.taxonomy);
    let mut problems: Vec<DraftProblem> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| DraftProblem {
            field: "file".into(),
            kind: ProblemKind::Invalid,
            detail: d.to_string(),
        })
        .collect();
    if let Some(case) = parsed.case.filter(|c| one_line(&c.title) != title) {
        problems.push(DraftProblem {
            field: "title".into(),
            kind: ProblemKind::Invalid,
            detail: format!("{title:?} reads back as {:?}", case.title),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A date field as ASCII `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`), or a problem.
fn ascii_date(
    text: &str,
    field: &str,
    problem: &mut impl FnMut(&str, ProblemKind, String),
    required: bool,
) -> Option<String> {
    let text = one_line(text);
    if text.is_empty() {
        if required {
            problem(field, ProblemKind::Empty, String::new());
        }
        return None;
    }
    match CaseDate::parse(&text) {
        Ok(d) => Some(crate::text::to_ascii_digits(d.original.trim()).replace('/', "-")),
        Err(e) => {
            problem(field, ProblemKind::Date, e.to_string());
            None
        }
    }
}

/// Text on one line: newlines and runs of whitespace become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> (tempfile::TempDir, Kb) {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        (dir, kb)
    }

    fn draft(title: &str, date: &str) -> CaseDraft {
        CaseDraft {
            title: title.into(),
            crisis_type: "currency".into(),
            date: date.into(),
            ..CaseDraft::default()
        }
    }

    #[test]
    fn yaml_special_characters_survive_the_round_trip() {
        let (_dir, kb) = kb();
        let title = "--- a: b # c [d] {e} 'f' \"g\" | > & * ! % @ `h`";
        let mut d = draft(title, "۱۴۰۵-۰۸-۰۴");
        d.lessons = CaseDraft::lines("one: two\n\n---\n- three");
        d.mistakes = vec![MistakeDraft {
            chapter: "قراردادها".into(),
            text: "[x]: {y}".into(),
            lesson: String::new(),
        }];
        let rel = d.write(&kb).unwrap();
        assert_eq!(rel.to_str().unwrap(), "1405-08-04-a-b-c-d-e-f-g-h.md");
        let bytes = std::fs::read(kb.absolute(&rel)).unwrap();
        let case = Case::parse(&rel, &bytes, &kb.taxonomy).case.unwrap();
        assert_eq!(case.title, title);
        assert_eq!(case.lessons, vec!["one: two", "---", "- three"]);
        assert_eq!(&*case.mistakes[0].chapter, "contracts");
        assert_eq!(case.mistakes[0].text, "[x]: {y}");
    }

    #[test]
    fn every_problem_is_reported_and_nothing_is_written() {
        let (dir, kb) = kb();
        let mut d = draft(" ", "1405-13-01");
        d.crisis_type = "weather".into();
        d.followups = vec![FollowUpDraft {
            what: String::new(),
            owner: "Sara".into(),
            due: "1405-02-31x".into(),
            done: false,
        }];
        let Err(DraftError::Invalid(problems)) = d.write(&kb) else {
            panic!("invalid")
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "crisis_type",
                "date",
                "followups.0.what",
                "followups.0.due"
            ]
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let (_dir, kb) = kb();
        let rel = draft("Twice", "2026-01-02").write(&kb).unwrap();
        let before = std::fs::read(kb.absolute(&rel)).unwrap();
        let mut again = draft("Twice", "2026-01-02");
        again.body = "other".into();
        let Err(DraftError::Invalid(p)) = again.write(&kb) else {
            panic!("exists")
        };
        assert_eq!(p[0].kind, ProblemKind::Exists);
        assert_eq!(std::fs::read(kb.absolute(&rel)).unwrap(), before);
    }
}
