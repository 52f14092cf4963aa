//! The JSON API: `/api/cases/{id}` (and `/api/search`), plus `/healthz`.

use axum::extract::{Path, State};
use axum::Json;

use crate::case::Case;
use crate::web::error::{AppError, Missing};
use crate::web::AppState;

/// `GET /api/cases/{id}`: the case as JSON, as the library models it, with its body read
/// from the file (the snapshot keeps cases without bodies).
pub async fn case(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Case>, AppError> {
    let library = state.library();
    let case = library.case(&id).ok_or(AppError::NotFound(Missing::Case))?;
    let worker = state.clone();
    let mut case = case.clone();
    let with_body = state
        .run_blocking(move || {
            super::case::body(&worker, &case).map(|body| {
                case.body = body;
                case
            })
        })
        .await??;
    Ok(Json(with_body))
}

/// `GET /healthz`: `ok` when the server answers.
pub async fn healthz() -> &'static str {
    "ok"
}
