//! The handlers: each extracts what it needs, calls the library, and renders. Thin by
//! design; anything worth testing on its own lives in the library or in `view`.

pub mod api;
pub mod calendar;
pub mod case;
pub mod digest;
pub mod edit_case;
pub mod feed;
pub mod followups;
pub mod history;
pub mod login;
pub mod new_case;
pub mod notebook;
pub mod pages;
pub mod search;

use axum::extract::{FromRequestParts, Request};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Extensions, Uri};
use axum::middleware::Next;
use axum::response::{Html, Response};
use serde::Serialize;

use super::auth::Viewer;
use super::error::AppError;
use super::i18n::{negotiate, Lang};
use super::render::Ui;
use super::AppState;

/// The page context of a request: language (switch, cookie, browser, default), address,
/// and who is logged in (the [`Viewer`] that `auth::resolve` put in its extensions).
pub fn ui_of(state: &AppState, uri: &Uri, headers: &HeaderMap, extensions: &Extensions) -> Ui {
    let query_lang = uri
        .query()
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("lang=")));
    let cookie_lang = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("lang="));
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = negotiate(query_lang, cookie_lang, accept, state.default_lang());
    let mut ui = Ui::new(lang, uri.path(), uri.query());
    ui.writable = !state.is_read_only();
    match extensions.get::<Viewer>().and_then(|v| v.login.clone()) {
        Some((user, csrf)) => {
            ui.user = Some(user);
            ui.csrf = csrf;
        }
        None => ui.csrf = state.form_token().to_string(),
    }
    ui
}

/// Refuses (403) a form sent from another site or without the token `expected` (the
/// session's, or the anonymous pages' one): nothing it asks for is done.
pub(crate) fn genuine_form(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    expected: &str,
    fields: &[(String, String)],
) -> Result<(), AppError> {
    use super::forms::{form_has_token, same_origin};
    if same_origin(headers) && form_has_token(expected, fields) {
        Ok(())
    } else {
        Err(AppError::Forbidden(state.i18n().text(
            ui.lang,
            "form-other-site",
            None,
        )))
    }
}

/// The value of a submitted form's field.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Extracts the page context ([`Ui`]) of a request.
pub struct Page(pub Ui);

impl FromRequestParts<AppState> for Page {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Page(ui_of(
            state,
            &parts.uri,
            &parts.headers,
            &parts.extensions,
        )))
    }
}

impl AppState {
    /// Renders a page template, turning a template error into a logged internal error.
    pub(super) fn page(
        &self,
        template: &str,
        ui: &Ui,
        page: &impl Serialize,
    ) -> Result<Html<String>, AppError> {
        self.templates()
            .render(template, ui, page)
            .map(Html)
            .map_err(|e| AppError::internal(format!("rendering {template}: {e:#}")))
    }
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

/// Headers on every response: a Content-Security-Policy that allows nothing external and
/// no inline script, `nosniff`, and the `lang` cookie when the page's switch was used.
pub async fn headers(req: Request, next: Next) -> Response {
    let chosen = req
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("lang=")))
        .and_then(Lang::from_tag);
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.append(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie, HX-Request"),
    );
    if let Some(lang) = chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, value);
        }
    }
    response
}
