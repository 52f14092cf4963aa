//! The case page: the front matter as a summary, the rendered story, related cases and
//! the file's last change in git (read once per load, see [`Library::read_history`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Html;
use serde::Serialize;

use super::Page;
use crate::case::Case;
use crate::git::LastChange;
use crate::kb::ReadError;
use crate::snapshot::Snapshot;
use crate::web::error::{AppError, Missing};
use crate::web::i18n::Lang;
use crate::web::markdown::to_safe_html;
use crate::web::view::{CaseSummary, CaseView, DateView, Labels};
use crate::web::{AppState, Library};

/// How many related cases a case page lists.
const RELATED: usize = 6;

#[derive(Serialize)]
struct History {
    author: String,
    date: DateView,
    subject: String,
    commit: String,
}

impl History {
    fn new(change: &LastChange, lang: Lang) -> History {
        History {
            author: change.author.clone(),
            date: DateView::of_day(change.date.date_naive(), lang),
            subject: change.subject.clone(),
            commit: change.commit.chars().take(10).collect(),
        }
    }
}

#[derive(Serialize)]
struct CasePage {
    case: CaseView,
    case_href: String,
    edit_href: String,
    followup_href: String,
    history_href: String,
    body_html: String,
    related: Vec<CaseSummary>,
    history: Option<History>,
}

/// `GET /cases/{id}`: one case. The id only looks up a loaded case; it never reaches the
/// file system, so `../` in it finds nothing.
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    if library.case(&id).is_none() {
        return Err(AppError::NotFound(Missing::Case));
    }
    let worker = state.clone();
    let lang = ui.lang;
    let page = state
        .run_blocking(move || build_page(&worker, &library, &id, lang))
        .await??;
    state.page("case.html", &ui, &page)
}

fn build_page(
    state: &AppState,
    library: &Arc<Library>,
    id: &str,
    lang: Lang,
) -> Result<CasePage, AppError> {
    let case = library.case(id).ok_or(AppError::NotFound(Missing::Case))?;
    let labels = Labels {
        lang,
        taxonomy: &state.kb().taxonomy,
        i18n: state.i18n(),
    };
    let history = library
        .last_change(&case.path)
        .map(|c| History::new(c, lang));
    Ok(CasePage {
        case: CaseView::new(case, labels),
        case_href: crate::web::view::case_href(id),
        edit_href: super::edit_case::edit_href(id),
        followup_href: super::edit_case::followup_href(id),
        history_href: super::history::history_href(id),
        body_html: to_safe_html(&body(state, case)?),
        related: library
            .related(id, RELATED)
            .into_iter()
            .map(|c| CaseSummary::new(c, labels))
            .collect(),
        history,
    })
}

/// The case's body, read from its file (the library keeps cases without their bodies). A
/// file gone since the snapshot is a missing case.
pub(crate) fn body(state: &AppState, case: &Case) -> Result<String, AppError> {
    Snapshot::body(state.kb(), case).map_err(|e| match e {
        // Gone, or swapped for a link since the snapshot: the case is not there to show.
        ReadError::Link | ReadError::Outside => AppError::NotFound(Missing::Case),
        e if e.is_not_found() => AppError::NotFound(Missing::Case),
        e => AppError::internal(format!("{}: {e}", case.path.display())),
    })
}
