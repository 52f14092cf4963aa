//! The JSON API: `/api/cases/{id}` (and `/api/search`), plus `/healthz`.

use axum::extract::{Path, State};
use axum::Json;

use crate::case::Case;
use crate::web::error::{AppError, Missing};
use crate::web::AppState;

/// `GET /api/cases/{id}`: the case as JSON, exactly as the library models it.
pub async fn case(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Case>, AppError> {
    let library = state.library();
    let case = library.case(&id).ok_or(AppError::NotFound(Missing::Case))?;
    Ok(Json(case.clone()))
}

/// `GET /healthz`: `ok` when the server answers.
pub async fn healthz() -> &'static str {
    "ok"
}
