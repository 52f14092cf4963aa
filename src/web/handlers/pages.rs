//! The home page, the problems page (what `casebook check` reports), reloading, static
//! files and the 404 for unknown addresses.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Serialize;

use super::{calendar, Page};
use crate::diag::Diagnostic;
use crate::i18n::Lang;
use crate::web::assets;
use crate::web::calendar_view::{AnniversaryView, OccurrenceView};
use crate::web::error::{AppError, Missing};
use crate::web::forms::{form_has_token, same_origin};
use crate::web::view::{CaseSummary, Labels};
use crate::web::AppState;

/// How many cases the home page lists.
const LATEST: usize = 10;

#[derive(Serialize)]
struct HomePage {
    total: usize,
    latest: Vec<CaseSummary>,
    broken_files: usize,
    upcoming: Vec<OccurrenceView>,
    history: Vec<AnniversaryView>,
    /// This week's anniversaries not listed.
    history_more: usize,
}

/// `GET /`: the search box, the crises anticipated in the next 60 days, this week in
/// crisis history, the latest cases and the count of broken files.
pub async fn home(State(state): State<AppState>, Page(ui): Page) -> Result<Html<String>, AppError> {
    let library = state.library();
    let labels = Labels {
        lang: ui.lang,
        taxonomy: &state.kb().taxonomy,
        i18n: state.i18n(),
    };
    let blocks = calendar::home_blocks(&state, ui.lang);
    let page = HomePage {
        upcoming: blocks.upcoming,
        history: blocks.history,
        history_more: blocks.history_more,
        total: library.cases().len(),
        latest: library
            .latest(LATEST)
            .map(|c| CaseSummary::new(c, labels))
            .collect(),
        broken_files: library.loaded.broken_files(),
    };
    state.page("home.html", &ui, &page)
}

#[derive(Serialize)]
struct DiagnosticView {
    location: String,
    is_error: bool,
    message: String,
}

impl DiagnosticView {
    fn new(d: &Diagnostic, lang: Lang) -> DiagnosticView {
        DiagnosticView {
            location: format!("{}:{}:{}", d.path.display(), d.line, d.col),
            is_error: d.is_error(),
            message: d.message.text(lang),
        }
    }
}

#[derive(Serialize)]
struct ProblemsPage {
    token: String,
    cases: usize,
    errors: usize,
    warnings: usize,
    broken_files: usize,
    diagnostics: Vec<DiagnosticView>,
    /// The files that stopped git sync, each with both versions.
    sync_conflict: Vec<ConflictView>,
}

#[derive(Serialize)]
struct ConflictView {
    path: String,
    local: String,
    remote: String,
}

/// `GET /problems`: every diagnostic of every file, like `casebook check`.
pub async fn problems(
    State(state): State<AppState>,
    Page(ui): Page,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    let diagnostics = &library.loaded.diagnostics;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let page = ProblemsPage {
        token: ui.csrf.clone(),
        cases: library.cases().len(),
        errors,
        warnings: diagnostics.len() - errors,
        broken_files: library.loaded.broken_files(),
        diagnostics: diagnostics
            .iter()
            .map(|d| DiagnosticView::new(d, ui.lang))
            .collect(),
        sync_conflict: state
            .sync_conflict()
            .unwrap_or_default()
            .into_iter()
            .map(|f| ConflictView {
                path: f.path.display().to_string(),
                local: f.local,
                remote: f.remote,
            })
            .collect(),
    };
    state.page("problems.html", &ui, &page)
}

/// `POST /refresh`: reads the case files again, then back to the problems page. Like
/// every form, only from this app's own page (origin and token): each reload reads every
/// changed file and starts a `git log`.
pub async fn refresh(
    State(state): State<AppState>,
    Page(ui): Page,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Redirect, AppError> {
    let genuine = same_origin(&headers) && form_has_token(&ui.csrf, &fields);
    if !genuine {
        let text = state.i18n().text(ui.lang, "form-other-site", None);
        return Err(AppError::Forbidden(text));
    }
    state.reload().await?;
    Ok(Redirect::to("/problems"))
}

/// `GET /static/{path}`: an embedded file.
pub async fn static_file(Path(path): Path<String>) -> Result<Response, AppError> {
    let asset = assets::static_file(&path).ok_or(AppError::NotFound(Missing::Page))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        asset.bytes,
    )
        .into_response())
}

/// Any other address: a 404 page.
pub async fn not_found() -> AppError {
    AppError::NotFound(Missing::Page)
}
