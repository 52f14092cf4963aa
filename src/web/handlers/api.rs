//! The JSON API: `/api/cases/{id}` (and `/api/search`), plus `/healthz`.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;

use crate::case::Case;
use crate::web::error::{AppError, Missing};
use crate::web::AppState;

/// A case as the API sends it: the case as the library models it, and its body.
#[derive(Serialize)]
pub struct CaseWithBody {
    #[serde(flatten)]
    case: Case,
    /// The Markdown body, read from the file (a [`Case`] holds none).
    body: String,
}

/// `GET /api/cases/{id}`: the case as JSON, with its body read from the file.
pub async fn case(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CaseWithBody>, AppError> {
    let library = state.library();
    let case = library
        .case(&id)
        .ok_or(AppError::NotFound(Missing::Case))?
        .clone();
    let worker = state.clone();
    let with_body = state
        .run_blocking(move || {
            super::case::body(&worker, &case).map(|body| CaseWithBody { case, body })
        })
        .await??;
    Ok(Json(with_body))
}

/// `GET /healthz`: `ok` when the server answers.
pub async fn healthz() -> &'static str {
    "ok"
}
