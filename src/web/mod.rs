//! The web app behind `casebook serve`: one router, one shared state, thin handlers,
//! templates and static files embedded in the binary, Persian and English.
//!
//! **Invariant:** the web layer writes only through the write routes (a new case, an
//! edit, a follow-up marked done, the API), each behind a [`auth::Writer`] and through
//! `AppState::save` (the library's writers, one git commit, a reload), and nothing under
//! `--read-only`. The files are the truth; the loaded cases are a snapshot replaced whole
//! on reload, and no request ever sees half of one.

mod assets;
pub mod auth;
mod calendar_view;
mod error;
mod forms;
mod handlers;
mod hosts;
pub mod i18n;
mod library;
mod markdown;
mod render;
mod saving;
mod search_view;
pub mod server;
mod view;
mod watch;

use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

pub use error::AppError;
pub use hosts::AllowedHosts;
pub use library::Library;
pub use view::case_href;
pub use watch::{WatchError, Watching};

use crate::index::{Index, IndexError, Source};
use crate::kb::Kb;
use i18n::{I18n, I18nError, Lang};
use render::Templates;

/// Why the web app could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The embedded translations are broken.
    #[error(transparent)]
    I18n(#[from] I18nError),
    /// An embedded template does not compile.
    #[error("template: {0:#}")]
    Template(#[from] minijinja::Error),
    /// The search index could not be opened or built.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// The state every handler shares: the knowledge base, the loaded cases, the templates.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
    read_only: bool,
    private: bool,
    secure_cookies: bool,
    allowed_hosts: AllowedHosts,
}

struct Shared {
    kb: Kb,
    library: RwLock<Arc<Library>>,
    index: Index,
    i18n: Arc<I18n>,
    templates: Templates,
    default_lang: Lang,
    reloading: tokio::sync::Mutex<()>,
    /// Searches and case pages running at once (see [`work_slots`]).
    work: Arc<tokio::sync::Semaphore>,
    form_token: String,
    accounts: auth::Accounts,
    /// Held by each save (write and commit) and by git sync while it rebases.
    saving: Arc<tokio::sync::Mutex<()>>,
    /// The conflict that stopped `--git-sync`.
    sync_conflict: std::sync::Mutex<Option<Vec<crate::git::ConflictFile>>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("kb", &self.shared.kb.root())
            .finish_non_exhaustive()
    }
}

/// How many searches and case pages (the work that runs on blocking threads) may run at
/// once: one per core, plus one so that a core does not idle while a finished one hands
/// over to the next. The rest wait their turn (first come, first served) instead of all
/// sharing the cores, which only adds switching and makes every one of them late: without
/// the bound, the slowest searches took an order of magnitude longer at the same
/// throughput, and case pages ran on dozens of threads, each with its own allocator heap
/// (docs/benchmarks.md).
fn work_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) + 1
}

/// Warms the index (see [`Index::warm`]). A failure only costs the first search its
/// speed, and that search reports the error itself.
fn warm(index: &Index) {
    if let Err(e) = index.warm() {
        tracing::warn!("preparing the search index: {e}");
    }
}

/// The async runtime `casebook serve` runs the app on. Its blocking threads are capped
/// at the work slots plus one (reloads, writes): without a cap, a thread that had just
/// finished a search was often not yet idle when the next search was handed over, and
/// tokio started another, 10 of them after 3 s at 64 connections, each keeping its own
/// allocator heap. Queued blocking work waits for a thread instead.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(work_slots() + 1)
        .build()
}

impl AppState {
    /// Loads every case of `kb`, opens (or builds) the search index and compiles the
    /// templates. Blocking: call it before serving, or from `spawn_blocking`.
    pub fn new(kb: Kb) -> Result<AppState, StartError> {
        AppState::open(kb, &crate::index::NoProgress)
    }

    /// [`AppState::new`], reporting the index's progress. The cases are loaded first and
    /// the index takes them from that load, so that each file is parsed once.
    pub fn open(kb: Kb, progress: &dyn crate::index::Progress) -> Result<AppState, StartError> {
        let library = Library::load(&kb);
        let source = Source {
            kb: &kb,
            parsed: Some(&library.loaded),
        };
        let index = Index::open_from(source, false, progress)?;
        AppState::assemble(kb, index, library)
    }

    /// Like [`AppState::new`] with an index the caller opened (and reports on).
    pub fn with_index(kb: Kb, index: Index) -> Result<AppState, StartError> {
        let library = Library::load(&kb);
        AppState::assemble(kb, index, library)
    }

    fn assemble(kb: Kb, index: Index, library: Library) -> Result<AppState, StartError> {
        let i18n = Arc::new(I18n::new()?);
        let templates = Templates::new(i18n.clone())?;
        let default_lang = Lang::from_tag(&kb.taxonomy.default_lang).unwrap_or(Lang::Fa);
        warm(&index);
        let library = Arc::new(library);
        library.read_history(kb.root().to_path_buf());
        let kb_for_accounts = kb.clone();
        Ok(AppState {
            shared: Arc::new(Shared {
                kb,
                library: RwLock::new(library),
                index,
                i18n,
                templates,
                default_lang,
                reloading: tokio::sync::Mutex::new(()),
                work: Arc::new(tokio::sync::Semaphore::new(work_slots())),
                form_token: forms::new_token(),
                accounts: auth::Accounts::new(&kb_for_accounts),
                sync_conflict: std::sync::Mutex::new(None),
                saving: Arc::new(tokio::sync::Mutex::new(())),
            }),
            read_only: false,
            private: false,
            secure_cookies: false,
            allowed_hosts: AllowedHosts::default(),
        })
    }

    /// The same app, answering to these host names (by default the loopback names only:
    /// see [`AllowedHosts`]).
    pub fn allowed_hosts(mut self, allowed: AllowedHosts) -> AppState {
        self.allowed_hosts = allowed;
        self
    }

    /// The same app, refusing (or again accepting) new cases from the browser: the form
    /// is hidden and a `POST` gets 403. For a read-only folder or a shared screen.
    pub fn read_only(mut self, read_only: bool) -> AppState {
        self.read_only = read_only;
        self
    }

    /// The same app, asking for a login to read too (`serve --private`).
    pub fn private(mut self, private: bool) -> AppState {
        self.private = private;
        self
    }

    /// Whether reading needs a login.
    pub fn is_private(&self) -> bool {
        self.private
    }

    /// Whether the app is reached over HTTPS (`serve --https`): the feed's links say so.
    pub fn is_https(&self) -> bool {
        self.secure_cookies
    }

    /// The same app, marking its session cookie `Secure`: for a server reached over
    /// HTTPS (a reverse proxy that ends TLS), where the browser then never sends the
    /// cookie over plain HTTP.
    pub fn secure_cookies(mut self, secure: bool) -> AppState {
        self.secure_cookies = secure;
        self
    }

    /// Whether the app refuses to write.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The knowledge base.
    pub fn kb(&self) -> &Kb {
        &self.shared.kb
    }

    /// The current snapshot of the cases.
    pub fn library(&self) -> Arc<Library> {
        match self.shared.library.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The search index.
    pub fn index(&self) -> &Index {
        &self.shared.index
    }

    /// Runs `work` (a search, a case page) on a blocking thread once one of the work
    /// slots is free (see [`work_slots`]). The slot is given back on that thread as soon
    /// as `work` returns, so the next one starts while this one's answer is still on its
    /// way back to an async worker: handing it back after the await left a core idle
    /// between searches.
    pub(crate) async fn run_blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let slot = self
            .shared
            .work
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || {
            let done = work();
            drop(slot);
            done
        })
        .await
        .map_err(AppError::internal)
    }

    /// Reads the case files that changed since the last snapshot (reusing the parsed cases
    /// of the others), swaps the snapshot and brings the index up to date.
    /// Concurrent calls run one at a time; requests keep reading the old snapshot
    /// meanwhile. An index busy in another process is left for the next reload.
    pub async fn reload(&self) -> Result<(), AppError> {
        let _one_at_a_time = self.shared.reloading.lock().await;
        let (kb, index) = (self.shared.kb.clone(), self.shared.index.clone());
        let previous = self.library();
        let library = tokio::task::spawn_blocking(move || {
            let library = Library::reload(&kb, &previous);
            // The index takes the cases this reload parsed: a file is parsed once.
            let source = Source {
                kb: &kb,
                parsed: Some(&library.loaded),
            };
            match index.refresh_from(source, &crate::index::NoProgress) {
                Ok(stats) if stats.changed() => warm(&index),
                Ok(_) => {}
                Err(IndexError::Busy) => tracing::warn!("{}", IndexError::Busy),
                Err(e) => return Err(AppError::internal(format!("refreshing the index: {e}"))),
            }
            Ok(library)
        })
        .await
        .map_err(AppError::internal)??;
        let library = Arc::new(library);
        library.read_history(self.shared.kb.root().to_path_buf());
        {
            let mut slot = match self.shared.library.write() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            *slot = library.clone();
        }
        // Built now that the old snapshot is gone (or going: requests still reading it
        // hold it a moment), rather than beside it, where both lookups would be alive at
        // a reload's peak.
        tokio::task::spawn_blocking(move || {
            library.prepare_related();
        })
        .await
        .map_err(AppError::internal)?;
        Ok(())
    }

    pub(crate) fn i18n(&self) -> &I18n {
        &self.shared.i18n
    }

    fn templates(&self) -> &Templates {
        &self.shared.templates
    }

    pub(crate) fn form_token(&self) -> &str {
        &self.shared.form_token
    }

    fn default_lang(&self) -> Lang {
        self.shared.default_lang
    }
}

/// The largest request body accepted: a case typed into the form, with room to spare.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long a request may take, body included, before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole app: every route, its middleware and its state, built in one place.
pub fn router(state: AppState) -> Router {
    use handlers::{
        api, calendar, case, digest, edit_case, feed, followups, history, login, new_case,
        notebook, pages, search,
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/search", get(search::page))
        .route("/api/search", get(search::api))
        .route("/cases/new", get(new_case::form).post(new_case::submit))
        .route("/edit/{*id}", get(edit_case::form).post(edit_case::submit))
        .route("/followup/{*id}", post(edit_case::followup_done))
        .route("/history/{*id}", get(history::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/cases/{*id}", get(case::page))
        .route("/digest", get(digest::page))
        .route("/calendar", get(calendar::page))
        .route("/calendar.ics", get(calendar::ics))
        .route("/calendar/{id}", get(calendar::crisis))
        .route("/notebook", get(notebook::index))
        .route("/followups", get(followups::page))
        .route("/feed.atom", get(feed::atom_feed))
        .route("/notebook/{chapter}", get(notebook::chapter))
        .route("/problems", get(pages::problems))
        .route("/refresh", post(pages::refresh))
        .route("/api/cases", post(api::create_case))
        .route("/api/cases/{*id}", get(api::case).put(api::replace_case))
        .route("/healthz", get(api::healthz))
        .route("/static/{*path}", get(pages::static_file))
        .fallback(pages::not_found)
        .layer(from_fn_with_state(state.clone(), auth::private_gate))
        .layer(from_fn_with_state(state.clone(), error::render_error_pages))
        .layer(from_fn_with_state(state.clone(), auth::resolve))
        .layer(auth::session_layer(state.secure_cookies))
        .layer(from_fn(handlers::headers))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_BODY_BYTES,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(from_fn_with_state(
            state.allowed_hosts.clone(),
            hosts::check_host,
        ))
        .with_state(state)
}
