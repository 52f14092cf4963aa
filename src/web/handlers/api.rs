//! The JSON API: read a case (`GET /api/cases/{id}`, with an `ETag`), write one
//! (`POST /api/cases`, `PUT /api/cases/{id}` with `If-Match`), search (`/api/search`,
//! in `search.rs`), and `/healthz`. Writing takes an API token (see [`Writer`]).

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::case::{compose, create, replace, version_tag, Case, SaveError, WriteError};
use crate::kb::{case_id, Kb, ReadError};
use crate::web::auth::Writer;
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

/// The current bytes of the case file with this id in the snapshot.
pub(super) async fn current_file(
    state: &AppState,
    id: &str,
) -> Result<(PathBuf, Vec<u8>), AppError> {
    let path = state
        .library()
        .case(id)
        .ok_or(AppError::NotFound(Missing::Case))?
        .path
        .clone();
    let kb = state.kb().clone();
    let rel = path.clone();
    let bytes = state
        .run_blocking(move || kb.read(&rel))
        .await?
        .map_err(|e| match e {
            ReadError::Link | ReadError::Outside => AppError::NotFound(Missing::Case),
            e if e.is_not_found() => AppError::NotFound(Missing::Case),
            e => AppError::internal(format!("{}: {e}", path.display())),
        })?;
    Ok((path, bytes))
}

/// `"<tag>"`, the `ETag` of a file's bytes.
fn etag(bytes: &[u8]) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", version_tag(bytes)))
        .unwrap_or(HeaderValue::from_static("\"\""))
}

/// `GET /api/cases/{id}`: the case as JSON, as its file reads now (fields, body and
/// `ETag` all from the same bytes, which a `PUT` with `If-Match` compares with).
pub async fn case(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (path, bytes) = current_file(&state, &id).await?;
    let case = Case::parse(&path, &bytes, &state.kb().taxonomy)
        .case
        .ok_or(AppError::NotFound(Missing::Case))?;
    let body = Case::body_of(&bytes);
    let mut response = Json(CaseWithBody { case, body }).into_response();
    response.headers_mut().insert(header::ETAG, etag(&bytes));
    Ok(response)
}

/// The file text of a JSON case: its keys become the front matter (in their order), its
/// `body` the Markdown after it.
fn case_text(json: &[u8]) -> Result<String, AppError> {
    let bad = |detail: String| {
        AppError::BadRequest(format!(
            "the request body must be a JSON object of the case file's keys plus \"body\": {detail}"
        ))
    };
    let value: serde_yaml::Value = serde_json::from_slice(json).map_err(|e| bad(e.to_string()))?;
    let serde_yaml::Value::Mapping(mut keys) = value else {
        return Err(bad("not an object".into()));
    };
    let body = match keys.remove("body") {
        None => String::new(),
        Some(serde_yaml::Value::String(body)) => body,
        Some(_) => return Err(bad("\"body\" is not a string".into())),
    };
    compose(&keys, &body).map_err(bad)
}

/// A save's refusal as the API answers it: 422 with `check`'s messages, 409 for a case
/// that exists already, 412 for a file changed since its `ETag`.
fn refusal(e: SaveError) -> Response {
    let (status, error, problems) = match e {
        SaveError::Invalid(diagnostics) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "the case has errors; nothing was written".to_string(),
            diagnostics.iter().map(|d| d.to_string()).collect(),
        ),
        SaveError::Write(WriteError::Exists(path)) => (
            StatusCode::CONFLICT,
            format!(
                "{}: a case with this date and title exists already; nothing was written",
                path.display()
            ),
            Vec::new(),
        ),
        SaveError::Changed { path, .. } => (
            StatusCode::PRECONDITION_FAILED,
            format!(
                "{}: the case changed since your ETag; GET it again, merge, and PUT with the new ETag",
                path.display()
            ),
            Vec::new(),
        ),
        SaveError::Gone(_) => return AppError::NotFound(Missing::Case).into_response(),
        e @ SaveError::Write(_) => return AppError::internal(e).into_response(),
    };
    let body = serde_json::json!({ "error": error, "problems": problems });
    (status, Json(body)).into_response()
}

/// `POST /api/cases` (with `Authorization: Bearer TOKEN`): a JSON case becomes a new case
/// file, committed with the token's name as author. 201 with `Location` and
/// `{"id", "path"}`; 422 with the messages of `casebook check`; 409 if it exists.
pub async fn create_case(
    State(state): State<AppState>,
    writer: Writer,
    json: Bytes,
) -> Result<Response, AppError> {
    let text = case_text(&json)?;
    let saved = state
        .save(&writer.name, move |kb| {
            let rel = create(kb, &text)?;
            let message = format!("case: add {}", title_in(kb, &rel));
            Ok((rel, message, ()))
        })
        .await?;
    let rel = match saved {
        Ok((rel, ())) => rel,
        Err(e) => return Ok(refusal(e)),
    };
    let id = case_id(&rel);
    let location = format!("/api{}", crate::web::view::case_href(&id));
    let body = serde_json::json!({ "id": id, "path": rel.display().to_string() });
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// The title of the case file just saved, for the commit message (its id if it cannot
/// be read).
pub(super) fn title_in(kb: &Kb, rel: &std::path::Path) -> String {
    kb.read(rel)
        .ok()
        .and_then(|bytes| Case::parse(rel, &bytes, &kb.taxonomy).case)
        .map_or_else(|| case_id(rel), |c| c.title)
}

/// `PUT /api/cases/{id}` (token, `If-Match: "<ETag>"`): replaces the case file if it is
/// still the version of that `ETag` (else 412, nothing written); 428 without `If-Match`.
pub async fn replace_case(
    State(state): State<AppState>,
    writer: Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    json: Bytes,
) -> Result<Response, AppError> {
    let Some(expected) = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_string()
        })
    else {
        let body = serde_json::json!({
            "error": "send If-Match with the ETag of the version you edited (GET the case first)"
        });
        return Ok((StatusCode::PRECONDITION_REQUIRED, Json(body)).into_response());
    };
    let text = case_text(&json)?;
    let (rel, _) = current_file(&state, &id).await?;
    let saved = state
        .save(&writer.name, move |kb| {
            let tag = replace(kb, &rel, &expected, &text)?;
            let message = format!("case: edit {}", title_in(kb, &rel));
            Ok((rel, message, tag))
        })
        .await?;
    let (rel, tag) = match saved {
        Ok(saved) => saved,
        Err(e) => return Ok(refusal(e)),
    };
    let body = serde_json::json!({ "id": id, "path": rel.display().to_string() });
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{tag}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// `GET /healthz`: `ok` when the server answers.
pub async fn healthz() -> &'static str {
    "ok"
}
