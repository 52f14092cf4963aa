//! A case's history: every commit that touched its file (author, date, message), and the
//! diff each one made.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::{Deserialize, Serialize};

use super::Page;
use crate::git::{commit_diff, file_history};
use crate::web::error::{AppError, Missing};
use crate::web::view::{case_href, DateView};
use crate::web::AppState;

/// The address of a case's history page.
pub fn history_href(id: &str) -> String {
    format!("/history{}", case_href(id).trim_start_matches("/cases"))
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    /// The commit whose diff to show.
    commit: Option<String>,
}

#[derive(Serialize)]
struct Version {
    commit: String,
    short: String,
    author: String,
    date: DateView,
    subject: String,
    href: String,
    /// The diff lines (`+`, `-`, ` ` and `@@` lines) when this commit is the one shown.
    diff: Option<Vec<DiffLine>>,
}

#[derive(Serialize)]
struct DiffLine {
    kind: &'static str,
    text: String,
}

#[derive(Serialize)]
struct HistoryPage {
    title: String,
    case_href: String,
    path: String,
    versions: Vec<Version>,
}

/// git's diff as lines with a kind, the header lines (`diff --git`, `index`, `---`,
/// `+++`) left out.
fn diff_lines(diff: &str) -> Vec<DiffLine> {
    let mut in_hunk = false;
    let mut lines = Vec::new();
    for line in diff.lines() {
        if line.starts_with("@@") {
            in_hunk = true;
            lines.push(DiffLine {
                kind: "gap",
                text: line.to_string(),
            });
            continue;
        }
        if !in_hunk {
            continue;
        }
        let (kind, text) = match line.chars().next() {
            Some('+') => ("added", &line[1..]),
            Some('-') => ("removed", &line[1..]),
            Some(' ') => ("same", &line[1..]),
            _ => ("same", line),
        };
        lines.push(DiffLine {
            kind,
            text: text.to_string(),
        });
    }
    lines
}

/// `GET /history/{id}`: the commits of the case's file, newest first; `?commit=` shows
/// what that commit changed.
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    Path(id): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    let case = library.case(&id).ok_or(AppError::NotFound(Missing::Case))?;
    let (rel, title) = (case.path.clone(), case.title.clone());
    let root = state.kb().root().to_path_buf();
    let lang = ui.lang;
    let href = history_href(&id);
    let versions = state
        .run_blocking(move || -> Result<Vec<Version>, AppError> {
            let history = file_history(&root, &rel).map_err(AppError::internal)?;
            let mut versions = Vec::with_capacity(history.len());
            for change in history {
                let shown = query.commit.as_deref() == Some(change.commit.as_str());
                let diff = if shown {
                    let text =
                        commit_diff(&root, &rel, &change.commit).map_err(AppError::internal)?;
                    Some(diff_lines(&text))
                } else {
                    None
                };
                versions.push(Version {
                    short: change.commit.chars().take(10).collect(),
                    href: format!("{href}?commit={}", change.commit),
                    commit: change.commit,
                    author: change.author,
                    date: DateView::of_day(change.date.date_naive(), lang),
                    subject: change.subject,
                    diff,
                });
            }
            Ok(versions)
        })
        .await??;
    let page = HistoryPage {
        title,
        case_href: case_href(&id),
        path: case.path.display().to_string(),
        versions,
    };
    state.page("history.html", &ui, &page)
}
