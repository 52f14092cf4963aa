//! `casebook serve`: the web app on a local address (default 127.0.0.1:8080), reloading
//! the cases when their files change.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use casebook::kb::Kb;
use casebook::web::server::{self, Limits};
use casebook::web::{router, runtime, AllowedHosts, AppState};

use super::progress::Bar;

/// Arguments of `casebook serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on. Use 0.0.0.0:8080 to serve the whole network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Refuse to write: hide the new-case form and answer 403 to its submissions.
    #[arg(long)]
    read_only: bool,
    /// Ask for a login to read too (by default anyone who reaches the server can read;
    /// writing always needs a login).
    #[arg(long)]
    private: bool,
    /// Users reach the server over HTTPS (a reverse proxy ends TLS): mark the login
    /// cookie Secure, so that browsers never send it over plain HTTP.
    #[arg(long)]
    https: bool,
    /// Every SECONDS, pull others' commits (rebase, never force) and push this server's:
    /// for several servers (an office and a branch) sharing one git remote. A conflict
    /// stops syncing and shows on the problems page with both versions kept.
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    git_sync: Option<u64>,
    /// Another host name the server answers to (repeatable), e.g. the name a reverse proxy
    /// or the team uses. By default: localhost, 127.0.0.1, ::1 and the --addr address (any
    /// IP address of the machine when that is 0.0.0.0). Other names get 421, which stops
    /// DNS-rebinding attacks from web pages.
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
    /// The most connections served at once; more wait their turn.
    #[arg(long, default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client may take to send a request's headers (and to start its next
    /// request on a kept-alive connection) before it is disconnected.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().header_read.as_secs(), value_parser = clap::value_parser!(u64).range(1..=30))]
    header_timeout: u64,
    /// Seconds writing an answer may stall (a client that stops reading) before the
    /// connection is dropped.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::default().write.as_secs(), value_parser = clap::value_parser!(u64).range(1..=300))]
    write_timeout: u64,
}

/// A future that resolves on Ctrl-C or, on Unix, SIGTERM (what `systemctl stop` and
/// `kill` send). The handlers are installed before it returns, so a signal sent as soon
/// as the server says it serves is not missed. Call it inside the runtime.
fn stop_signal() -> Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).context("handling SIGTERM")?;
        let mut interrupt = signal(SignalKind::interrupt()).context("handling Ctrl-C")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = interrupt.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// On Unix, reads the files again on SIGHUP (`systemctl reload casebook`): for files
/// changed where the watcher cannot see them (a network disk, a `git pull` while the
/// watcher was down).
fn reload_on_hangup(state: AppState) -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangup = signal(SignalKind::hangup()).context("handling SIGHUP")?;
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                match state.reload().await {
                    Ok(()) => tracing::info!("SIGHUP: the files were read again"),
                    Err(e) => tracing::warn!("SIGHUP: reading the files again failed: {e}"),
                }
            }
        });
    }
    #[cfg(not(unix))]
    drop(state);
    Ok(())
}

/// Loads the cases, then serves until Ctrl-C or SIGTERM, letting requests in flight end.
pub fn run(kb: &Path, args: ServeArgs) -> Result<ExitCode> {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // tantivy reports each commit, merge and deleted file at INFO: noise for the person
    // running the server, who still sees its warnings.
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(tracing::Level::INFO)
        .with_target("tantivy", tracing::Level::WARN);
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_target(false)
                // Colours for a terminal, plain text for the journal or a log file.
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout())),
        )
        .with(filter)
        .init();
    let kb = Kb::open(kb)?;
    casebook::case::remove_unfinished_writes(&kb);
    let state = AppState::open(kb, &Bar::new())
        .context("starting the web app")?
        .read_only(args.read_only)
        .private(args.private)
        .secure_cookies(args.https)
        .allowed_hosts(AllowedHosts::for_server(args.addr, &args.allowed_hosts));
    super::index::report_rebuild(state.index().opened());
    let library = state.library();
    eprintln!(
        "casebook: {} case(s) loaded, {} file(s) with errors",
        library.cases().len(),
        library.loaded.broken_files()
    );
    drop(library);
    let runtime = runtime().context("starting the async runtime")?;
    runtime.block_on(async move {
        let stop = stop_signal()?;
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        eprintln!("casebook: serving on http://{}/", listener.local_addr()?);
        // Without a watcher the app still works; edits then show after Reload.
        let _watching = state.watch().inspect_err(|e| tracing::warn!("{e}")).ok();
        if let Some(seconds) = args.git_sync {
            state.start_git_sync(std::time::Duration::from_secs(seconds));
        }
        reload_on_hangup(state.clone())?;
        let limits = Limits {
            max_connections: args.max_connections.max(1),
            header_read: std::time::Duration::from_secs(args.header_timeout),
            write: std::time::Duration::from_secs(args.write_timeout),
            ..Limits::default()
        };
        server::serve(listener, router(state), limits, stop).await;
        eprintln!("casebook: stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
