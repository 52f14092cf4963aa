//! The one error type of the web layer. User errors (a missing case, a bad query) pass
//! through with their message; internal ones are logged and shown as a plain apology.
//! Nothing ever shows a stack trace.
//!
//! A handler's error becomes a response carrying an [`ErrorPage`] extension; the
//! [`render_error_pages`] middleware turns it into a page in the reader's language, or
//! into JSON under `/api/`.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use super::handlers::ui_of;
use super::AppState;

/// What could not be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// No case has this id.
    Case,
    /// No page at this address.
    Page,
}

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: the thing asked for does not exist.
    #[error("not found")]
    NotFound(Missing),
    /// 400: the request is wrong; the message says how to fix it.
    #[error("{0}")]
    BadRequest(String),
    /// 401: log in or send a token first; says how.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// 409: the thing changed under the request (a file edited meanwhile); says what to do.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 403: not allowed here (a read-only app, a form from another site); says why.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 500: our fault. The message is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An internal error from anything displayable (logged when it becomes a response).
    pub fn internal(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(e.to_string())
    }
}

/// The error carried by a response until [`render_error_pages`] renders it.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorPage {
    /// The HTTP status code.
    pub status: u16,
    /// For a 404, what was missing.
    pub missing: Option<Missing>,
    /// For a 400, what was wrong (shown to the user).
    pub message: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            AppError::NotFound(missing) => (
                StatusCode::NOT_FOUND,
                ErrorPage {
                    status: 404,
                    missing: Some(missing),
                    message: None,
                },
            ),
            AppError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ErrorPage {
                    status: 400,
                    missing: None,
                    message: Some(message),
                },
            ),
            AppError::Unauthorized(message) => (
                StatusCode::UNAUTHORIZED,
                ErrorPage {
                    status: 401,
                    missing: None,
                    message: Some(message),
                },
            ),
            AppError::Conflict(message) => (
                StatusCode::CONFLICT,
                ErrorPage {
                    status: 409,
                    missing: None,
                    message: Some(message),
                },
            ),
            AppError::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    status: 403,
                    missing: None,
                    message: Some(message),
                },
            ),
            AppError::Internal(detail) => {
                tracing::error!("{detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        status: 500,
                        missing: None,
                        message: None,
                    },
                )
            }
        };
        let mut response = (status, status.canonical_reason().unwrap_or("error")).into_response();
        response.extensions_mut().insert(page);
        response
    }
}

/// Renders responses that carry an [`ErrorPage`]: JSON under `/api/`, else an HTML page
/// in the reader's language. Other responses pass untouched.
pub async fn render_error_pages(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let ui = ui_of(&state, req.uri(), req.headers(), req.extensions());
    let response = next.run(req).await;
    let Some(page) = response.extensions().get::<ErrorPage>().cloned() else {
        return response;
    };
    let status = response.status();
    if is_api {
        let error = page
            .message
            .clone()
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_lowercase());
        return (status, Json(serde_json::json!({ "error": error }))).into_response();
    }
    match state.templates().render("error.html", &ui, &page) {
        Ok(html) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("rendering the error page: {e:#}");
            response
        }
    }
}
