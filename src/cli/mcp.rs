//! `casebook mcp`: the Model Context Protocol server on stdin and stdout, for an AI
//! assistant (its tools: search_cases, read_case, chapter_mistakes, coming_crises).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use casebook::kb::Kb;

/// Serves until the client closes stdin. stdout carries only the protocol; logs go to
/// stderr.
pub fn run(kb_dir: &Path) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::WARN)
        .init();
    let kb = Kb::open(kb_dir)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(casebook::mcp::serve_stdio(kb))?;
    Ok(ExitCode::SUCCESS)
}
