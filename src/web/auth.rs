//! Who is asking. A login lives in a cookie session (`tower-sessions`, kept in memory: a
//! restart logs everyone out); the users and tokens files are read again when they change,
//! so `casebook user passwd|remove` and `casebook token revoke` take effect at the next
//! request. Failed logins are limited per account and per address (`governor`).
//!
//! Each request's viewer is resolved once, by [`resolve`], and put in its extensions:
//! pages show who is logged in, forms carry the session's CSRF token, and the [`Writer`]
//! extractor lets only a logged-in user (or, under `/api/`, a token) write.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::error::AppError;
use super::forms::new_token;
use super::AppState;
use crate::accounts::{AccountsError, Tokens, Users};
use crate::kb::Kb;

/// How long a login lasts without a request.
pub const SESSION_IDLE: Duration = Duration::from_secs(12 * 60 * 60);

const LOGIN_KEY: &str = "login";

/// What a session holds once its user has logged in.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Login {
    user: String,
    /// The user's password stamp at login ([`crate::accounts::User::stamp`]).
    stamp: String,
    /// The token every form of this session carries.
    csrf: String,
}

/// The viewer of one request, put in its extensions by [`resolve`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Viewer {
    /// The logged-in user's name and the session's CSRF token.
    pub login: Option<(String, String)>,
}

/// What tells that a file changed: a rewrite is a new file renamed into place (a new
/// inode), whatever its size and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: SystemTime,
    inode: u64,
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// A file read again when its size or modification time changes.
struct Watched<T> {
    path: PathBuf,
    seen: Mutex<(Option<FileStamp>, Arc<T>)>,
    load: fn(&Kb) -> Result<T, AccountsError>,
}

impl<T: Default> Watched<T> {
    fn new(path: PathBuf, load: fn(&Kb) -> Result<T, AccountsError>) -> Watched<T> {
        Watched {
            path,
            seen: Mutex::new((None, Arc::new(T::default()))),
            load,
        }
    }

    /// The file's current content. A file that cannot be read counts as empty (nobody
    /// can log in, no token works) and is logged: failing closed, never open.
    fn get(&self, kb: &Kb) -> Arc<T> {
        let stamp = std::fs::symlink_metadata(&self.path)
            .ok()
            .map(|m| FileStamp {
                len: m.len(),
                modified: m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                inode: inode(&m),
            });
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.0 != stamp {
            let value = (self.load)(kb).unwrap_or_else(|e| {
                tracing::error!("{e}");
                T::default()
            });
            *seen = (stamp, Arc::new(value));
        }
        seen.1.clone()
    }
}

/// The users, the tokens and the login limits of a server.
pub(crate) struct Accounts {
    users: Watched<Users>,
    tokens: Watched<Tokens>,
    limits: LoginLimits,
}

impl Accounts {
    pub fn new(kb: &Kb) -> Accounts {
        Accounts {
            users: Watched::new(Users::path(kb), Users::load),
            tokens: Watched::new(Tokens::path(kb), Tokens::load),
            limits: LoginLimits::new(),
        }
    }
}

/// Login limits: per account and address a burst of 5 then one a minute; per address a
/// burst of 20 then one every 3 seconds. Checked before the password is hashed, so that
/// guessing costs the server nothing once limited. The account's limit is kept per
/// address so that someone guessing one user's password from elsewhere does not lock
/// that user out; names nobody has are limited the same way, so that a limit never tells
/// which names exist.
struct LoginLimits {
    account: DefaultKeyedRateLimiter<(String, IpAddr)>,
    address: DefaultKeyedRateLimiter<IpAddr>,
}

/// Keys kept before the limiters forget the ones that are full again.
const MAX_LIMIT_KEYS: usize = 10_000;

impl LoginLimits {
    fn new() -> LoginLimits {
        let per_account = Quota::per_minute(NonZeroU32::MIN).allow_burst(nonzero(5));
        let per_address = Quota::with_period(Duration::from_secs(3))
            .unwrap_or(Quota::per_second(NonZeroU32::MIN))
            .allow_burst(nonzero(20));
        LoginLimits {
            account: RateLimiter::keyed(per_account),
            address: RateLimiter::keyed(per_address),
        }
    }

    /// Takes one attempt for `account` from `address`; `Err` carries how long to wait.
    fn attempt(&self, account: &str, address: IpAddr) -> Result<(), Duration> {
        for limiter_len in [self.account.len(), self.address.len()] {
            if limiter_len > MAX_LIMIT_KEYS {
                self.account.retain_recent();
                self.address.retain_recent();
            }
        }
        let clock = governor::clock::DefaultClock::default();
        use governor::clock::Clock;
        let wait = |e: governor::NotUntil<_>| e.wait_time_from(clock.now());
        self.address.check_key(&address).map_err(wait)?;
        self.account
            .check_key(&(account.to_string(), address))
            .map_err(wait)?;
        Ok(())
    }
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// The client's address; requests built in tests have none and share one bucket.
fn client_address(parts_ext: &axum::http::Extensions) -> IpAddr {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip())
}

/// Middleware: finds the request's login (if its session has one whose user still exists
/// with the same password) and puts the [`Viewer`] in the request's extensions. A login
/// whose user was removed or whose password changed is ended.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut viewer = Viewer::default();
    if let Some(session) = req.extensions().get::<Session>().cloned() {
        if let Ok(Some(login)) = session.get::<Login>(LOGIN_KEY).await {
            let users = state.accounts().users.get(state.kb());
            let current = users.find(&login.user).map(|u| u.stamp());
            if current.as_deref() == Some(login.stamp.as_str()) {
                viewer.login = Some((login.user, login.csrf));
            } else {
                let _ = session.flush().await;
            }
        }
    }
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// Middleware for `serve --private`: without a login, a page answers with the login
/// page's address (303) and the API with 401, except the login page itself, the static
/// files and `/healthz`. Under `/api/`, a token also lets a script read.
pub async fn private_gate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !state.is_private() {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let open = path == "/login" || path == "/healthz" || path.starts_with("/static/");
    let logged_in = req
        .extensions()
        .get::<Viewer>()
        .is_some_and(|v| v.login.is_some());
    if open || logged_in {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        if bearer_name(&state, req.headers()).is_some() {
            return next.run(req).await;
        }
        return AppError::Unauthorized(state.i18n().text(
            state.default_lang(),
            "auth-login-needed",
            None,
        ))
        .into_response();
    }
    let next_path = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    Redirect::to(&login_href(&next_path)).into_response()
}

/// `/login?next=…` for a return to `next` after logging in.
pub fn login_href(next: &str) -> String {
    let encoded: String =
        percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!("/login?next={encoded}")
}

/// `next` if it is an address on this site (`/…`, not `//host` or `/\host`, no control
/// characters), else `/`: the login page never sends anyone elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The token name of a request's `Authorization: Bearer …`, if it is a valid token.
fn bearer_name(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    let tokens = state.accounts().tokens.get(state.kb());
    tokens.verify(token).map(|t| t.name.clone())
}

/// Someone allowed to write: a logged-in user (pages) or a token (`/api/`). As an
/// extractor it refuses everyone else before the handler runs, so nothing is written.
#[derive(Debug, Clone)]
pub struct Writer {
    /// The user's or token's name: the author of the commit.
    pub name: String,
    /// The session's CSRF token; empty for a token, which needs none (no cookie).
    pub csrf: String,
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Writer, Response> {
        let lang =
            super::handlers::ui_of(state, &parts.uri, &parts.headers, &parts.extensions).lang;
        if state.is_read_only() {
            let text = state.i18n().text(lang, "form-read-only", None);
            return Err(AppError::Forbidden(text).into_response());
        }
        if parts.uri.path().starts_with("/api/") {
            // Scripts authenticate with a token only: a browser's cookie is never enough
            // to write through the API.
            return match bearer_name(state, &parts.headers) {
                Some(name) => Ok(Writer {
                    name,
                    csrf: String::new(),
                }),
                None => {
                    Err(
                        AppError::Unauthorized(state.i18n().text(lang, "auth-token-needed", None))
                            .into_response(),
                    )
                }
            };
        }
        let viewer = parts
            .extensions
            .get::<Viewer>()
            .cloned()
            .unwrap_or_default();
        if let Some((name, csrf)) = viewer.login {
            return Ok(Writer { name, csrf });
        }
        if state.accounts().users.get(state.kb()).is_empty() {
            let text = state.i18n().text(lang, "auth-no-users", None);
            return Err(AppError::Forbidden(text).into_response());
        }
        if parts.method == Method::GET {
            let next = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            return Err(Redirect::to(&login_href(next)).into_response());
        }
        let text = state.i18n().text(lang, "auth-login-needed", None);
        Err(AppError::Forbidden(text).into_response())
    }
}

/// Why a login attempt failed.
pub enum LoginRefused {
    /// Too many attempts: try again after this long.
    Limited(Duration),
    /// The name or the password is wrong (never which).
    Wrong,
}

impl AppState {
    pub(crate) fn accounts(&self) -> &Accounts {
        &self.shared.accounts
    }

    /// Whether any user exists (else nobody can log in, and the pages say how to add one).
    pub(crate) fn has_users(&self) -> bool {
        !self.accounts().users.get(self.kb()).is_empty()
    }

    /// Checks a name and password (after the limits) and logs the session in: a new
    /// session id (the old one, which someone may have planted, is dropped) and a new
    /// CSRF token.
    pub(crate) async fn log_in(
        &self,
        session: &Session,
        address: IpAddr,
        name: &str,
        password: String,
    ) -> Result<(), LoginRefused> {
        let users = self.accounts().users.get(self.kb());
        // As typed (folded, bounded): unknown names are limited like known ones.
        let account: String = crate::text::fold_key(name).chars().take(64).collect();
        self.accounts()
            .limits
            .attempt(&account, address)
            .map_err(LoginRefused::Limited)?;
        let name = name.to_string();
        let verified = tokio::task::spawn_blocking(move || {
            users
                .verify(&name, &password)
                .map(|u| (u.name.clone(), u.stamp()))
        })
        .await
        .ok()
        .flatten();
        let (user, stamp) = verified.ok_or(LoginRefused::Wrong)?;
        let login = Login {
            user,
            stamp,
            csrf: new_token(),
        };
        let stored = async {
            session.cycle_id().await?;
            session.insert(LOGIN_KEY, login).await
        };
        stored.await.map_err(|e| {
            tracing::error!("storing a login: {e}");
            LoginRefused::Wrong
        })
    }
}

/// The address of a request's client (for the per-address limit of logins). Behind a
/// reverse proxy every client has the proxy's address.
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(client_address(&parts.extensions)))
    }
}

/// The session layer: cookie `casebook_session`, HttpOnly, SameSite=Strict, `Secure` when
/// the server is reached over HTTPS (`serve --https`), ending after [`SESSION_IDLE`]
/// without a request.
pub fn session_layer(
    secure: bool,
) -> tower_sessions::SessionManagerLayer<tower_sessions::MemoryStore> {
    use tower_sessions::{cookie::time, cookie::SameSite, Expiry, SessionManagerLayer};
    let idle = time::Duration::seconds(SESSION_IDLE.as_secs() as i64);
    SessionManagerLayer::new(tower_sessions::MemoryStore::default())
        .with_name("casebook_session")
        .with_secure(secure)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_expiry(Expiry::OnInactivity(idle))
        .with_always_save(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/cases/new")), "/cases/new");
        assert_eq!(safe_next(Some("/search?q=x")), "/search?q=x");
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(evil)), "/", "{evil:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn an_account_is_limited_after_five_attempts_and_an_address_after_twenty() {
        let limits = LoginLimits::new();
        let here = IpAddr::from([10, 0, 0, 1]);
        for _ in 0..5 {
            assert!(limits.attempt("mina", here).is_ok());
        }
        let wait = limits.attempt("mina", here).unwrap_err();
        assert!(wait > Duration::from_secs(30), "{wait:?}");
        // The same account from another address still may: nobody locks a user out.
        assert!(limits.attempt("mina", IpAddr::from([10, 0, 0, 9])).is_ok());
        // Another account from the same address still may, up to the address's burst.
        let other = IpAddr::from([10, 0, 0, 2]);
        for i in 0..20 {
            assert!(
                limits.attempt(&format!("user{i}"), other).is_ok(),
                "attempt {i}"
            );
        }
        assert!(limits.attempt("user99", other).is_err());
    }
}
