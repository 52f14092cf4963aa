//! `/search` (the page, whole or as an htmx partial) and `/api/search` (the same
//! parameters and the same JSON as `casebook search --json`). The search itself runs on
//! a blocking thread, off the async workers, at most one per core at a time.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Html;
use axum::Json;

use super::Page;
use crate::query::{SearchRequest, SearchResults};
use crate::web::error::AppError;
use crate::web::search_view::{SearchParams, SearchView};
use crate::web::view::Labels;
use crate::web::AppState;

fn params(query: Result<Query<SearchParams>, QueryRejection>) -> Result<SearchParams, AppError> {
    query
        .map(|Query(p)| p)
        .map_err(|e| AppError::BadRequest(e.body_text()))
}

async fn run(state: &AppState, req: SearchRequest) -> Result<SearchResults, AppError> {
    let index = state.index().clone();
    state
        .run_blocking(move || index.search(&req))
        .await?
        .map_err(AppError::internal)
}

/// `GET /search`: the search page. An htmx request (results as you type) gets only the
/// results part; a plain form submit gets the whole page.
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    headers: HeaderMap,
    query: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let params = params(query)?;
    let req = params.to_request()?;
    let results = run(&state, req.clone()).await?;
    let labels = Labels {
        lang: ui.lang,
        taxonomy: &state.kb().taxonomy,
        i18n: state.i18n(),
    };
    let mut view = SearchView::new(params, &req, results, labels);
    let partial = headers.contains_key("hx-request") && !headers.contains_key("hx-boosted");
    view.oob = partial;
    let template = if partial {
        "search_results.html"
    } else {
        "search.html"
    };
    state.page(template, &ui, &view)
}

/// `GET /api/search`: `q`, `type`, `chapter`, `tag`, `counterparty`, `severity`, `since`,
/// `until`, `limit`, `offset` → `{"total", "hits", "facets", "warnings"}`.
pub async fn api(
    State(state): State<AppState>,
    query: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResults>, AppError> {
    let req = params(query)?.to_request()?;
    Ok(Json(run(&state, req).await?))
}
