//! The login page, logging in and out.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use fluent_bundle::FluentArgs;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{field, genuine_form, Page};
use crate::web::auth::{safe_next, ClientAddress, LoginRefused};
use crate::web::error::AppError;
use crate::web::forms::new_token;
use crate::web::render::Ui;
use crate::web::AppState;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// The cookie that carries the login form's token (double submit): a page of another
/// site can neither read the form's token nor send this cookie (SameSite=Strict), so it
/// cannot log a visitor in under someone else's name.
const LOGIN_COOKIE: &str = "casebook_login";

#[derive(Serialize)]
struct LoginPage {
    /// The form's token, also in [`LOGIN_COOKIE`].
    token: String,
    /// Where to go after logging in.
    next: String,
    /// The name typed, kept after a failed attempt.
    name: String,
    /// Why the last attempt failed.
    error: Option<String>,
    /// Whether any user exists (else the page says how to add one).
    has_users: bool,
}

impl AppState {
    /// The login page, and the cookie holding its form's token.
    fn login_page(&self, ui: &Ui, status: StatusCode, page: LoginPage) -> Response {
        let secure = if self.secure_cookies { "; Secure" } else { "" };
        let cookie = format!(
            "{LOGIN_COOKIE}={}; Path=/login; HttpOnly; SameSite=Strict{secure}",
            page.token
        );
        let mut response = match self.page("login.html", ui, &page) {
            Ok(html) => (status, html).into_response(),
            Err(e) => return e.into_response(),
        };
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }
}

/// The value of the cookie `name` in a request's headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// `GET /login`: the form (or, with no user yet, how to add one).
pub async fn form(
    State(state): State<AppState>,
    Page(ui): Page,
    Query(query): Query<LoginQuery>,
) -> Response {
    let page = LoginPage {
        token: new_token(),
        next: safe_next(query.next.as_deref()),
        name: String::new(),
        error: None,
        has_users: state.has_users(),
    };
    state.login_page(&ui, StatusCode::OK, page)
}

/// `POST /login`: checks the origin, the form token and the limits, then the password;
/// on success a new session and a redirect (303) to where the user was going.
pub async fn submit(
    State(state): State<AppState>,
    Page(ui): Page,
    ClientAddress(address): ClientAddress,
    session: Session,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let field = |name: &str| field(&fields, name).unwrap_or_default().to_string();
    let expected = cookie(&headers, LOGIN_COOKIE)
        .unwrap_or_default()
        .to_string();
    genuine_form(&state, &ui, &headers, &expected, &fields)?;
    let mut page = LoginPage {
        token: expected,
        next: safe_next(Some(&field("next"))),
        name: field("name"),
        error: None,
        has_users: state.has_users(),
    };
    match state
        .log_in(&session, address, &page.name, field("password"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&page.next).into_response()),
        Err(LoginRefused::Wrong) => {
            page.error = Some(state.i18n().text(ui.lang, "login-wrong", None));
            Ok(state.login_page(&ui, StatusCode::UNAUTHORIZED, page))
        }
        Err(LoginRefused::Limited(wait)) => {
            let seconds = wait.as_secs().max(1);
            let mut args = FluentArgs::new();
            args.set("seconds", ui.lang.digits(&seconds.to_string()));
            page.error = Some(state.i18n().text(ui.lang, "login-limited", Some(&args)));
            let mut response = state.login_page(&ui, StatusCode::TOO_MANY_REQUESTS, page);
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Ok(response)
        }
    }
}

/// `POST /logout`: ends the session (its token checked like every form's), also on a
/// read-only server.
pub async fn logout(
    State(state): State<AppState>,
    Page(ui): Page,
    session: Session,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if ui.user.is_none() {
        let text = state.i18n().text(ui.lang, "auth-login-needed", None);
        return Err(AppError::Forbidden(text));
    }
    genuine_form(&state, &ui, &headers, &ui.csrf, &fields)?;
    session.flush().await.map_err(AppError::internal)?;
    Ok(Redirect::to("/").into_response())
}
