//! `GET /feed.atom`: the Atom feed of new and changed cases and of the monthly digests.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use super::calendar::today;
use crate::feed::{atom, Changed};
use crate::i18n::Lang;
use crate::web::AppState;

/// The feed, its links absolute on the address the request came to (the `Host` header,
/// which the host check has already accepted), https when the server says it is served so.
pub async fn atom_feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.is_https() { "https" } else { "http" };
    let base = format!("{scheme}://{host}");
    let library = state.library();
    let cases: Vec<Changed<'_>> = library
        .cases()
        .iter()
        .map(|case| Changed {
            case,
            changed: library.last_change(&case.path).map(|c| c.date),
        })
        .collect();
    let lang = Lang::from_tag(&state.kb().taxonomy.default_lang).unwrap_or(Lang::Fa);
    let xml = atom(&cases, &base, lang, today());
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}
