//! The notebook of mistakes: every mistake of a chapter with its lesson and the case it
//! came from, newest first, the checklist to read before a decision ("before you sign").
//!
//! Pure functions over loaded cases; the CLI and the web app both call them.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::Case;
use crate::dates::CaseDate;
use crate::text::fold_key;

/// One mistake in the notebook, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MistakeEntry {
    /// The chapter id (or the chapter as written when unknown).
    pub chapter: String,
    /// What we did wrong.
    pub text: String,
    /// What to do instead next time.
    pub lesson: Option<String>,
    /// The id of the case it came from.
    pub case_id: String,
    /// The title of that case.
    pub case_title: String,
    /// The date of that case.
    pub case_date: Option<CaseDate>,
}

/// Every mistake filed under `chapter` (an id, matched in any spelling), newest case
/// first; undated cases last, then by case id so the order is stable.
pub fn mistakes_of_chapter(cases: &[Arc<Case>], chapter: &str) -> Vec<MistakeEntry> {
    let key = fold_key(chapter);
    let mut out: Vec<MistakeEntry> = cases
        .iter()
        .flat_map(|case| {
            case.mistakes
                .iter()
                .filter(|m| fold_key(&m.chapter) == key)
                .map(move |m| MistakeEntry {
                    chapter: m.chapter.to_string(),
                    text: m.text.clone(),
                    lesson: m.lesson.clone(),
                    case_id: case.id.clone(),
                    case_title: case.title.clone(),
                    case_date: case.date.clone(),
                })
        })
        .collect();
    let newest = |e: &MistakeEntry| e.case_date.as_ref().map(|d| d.start);
    out.sort_by(|a, b| {
        let (da, db): (Option<NaiveDate>, Option<NaiveDate>) = (newest(a), newest(b));
        db.cmp(&da).then_with(|| a.case_id.cmp(&b.case_id))
    });
    out
}

/// A case with one mistake per chapter (`text: m-<path>-<chapter>`), for tests of the
/// notebook and of what is built from it.
#[cfg(test)]
pub(crate) fn case_with_mistakes(path: &str, date: Option<&str>, chapters: &[&str]) -> Arc<Case> {
    let mut text = format!("---\ntitle: {path}\ncrisis_type: currency\n");
    if let Some(d) = date {
        text.push_str(&format!("date: {d}\n"));
    }
    text.push_str("mistakes:\n");
    for c in chapters {
        text.push_str(&format!(
            "  - chapter: {c}\n    text: m-{path}-{c}\n    lesson: l\n"
        ));
    }
    text.push_str("---\n");
    crate::case::test_case(format!("{path}.md"), &text)
}

#[cfg(test)]
mod tests {
    use super::case_with_mistakes as case;
    use super::*;

    #[test]
    fn mistakes_of_a_chapter_come_newest_first() {
        let cases = vec![
            case("old", Some("1391-07-10"), &["contracts", "finance"]),
            case("new", Some("2020-01-01"), &["قراردادها"]),
            case("undated", None, &["contracts"]),
            case("other", Some("2024-01-01"), &["staff"]),
        ];
        let got: Vec<_> = mistakes_of_chapter(&cases, "contracts")
            .into_iter()
            .map(|e| e.case_id)
            .collect();
        assert_eq!(got, vec!["new", "old", "undated"]);
        assert!(mistakes_of_chapter(&cases, "legal").is_empty());
    }
}
