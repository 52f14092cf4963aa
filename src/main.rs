//! The `casebook` command: parses arguments, calls the library, and turns errors into
//! messages and exit codes. Each subcommand lives in `src/cli/`.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc, as it comes: with the system allocator a long-running server's memory grew
/// with every live reload (freed pages kept in per-thread arenas), with mimalloc it stays
/// flat (docs/benchmarks.md). The library sets no allocator for its users.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The version and the git revision it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("CASEBOOK_REVISION"),
    ")"
);

/// casebook: write crisis cases, search past mistakes, see the crises coming.
#[derive(Parser)]
#[command(name = "casebook", version = VERSION, about)]
struct Args {
    /// The knowledge base folder (the folder of case files).
    #[arg(long, global = true, env = "CASEBOOK_KB", default_value = "cases")]
    kb: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a knowledge base for a team: settings, the calendar of recurring crises, the
    /// template, git.
    Init(cli::init::InitArgs),
    /// Check every case file and report every problem as path:line:col.
    Check(cli::check::CheckArgs),
    /// Create a new case from the template.
    New(cli::new::NewArgs),
    /// The anticipated crises in a date range, with warnings and past cases (text, json, ics).
    Calendar(cli::calendar::CalendarArgs),
    /// Serve the web app: search, cases, the notebook of mistakes.
    Serve(cli::serve::ServeArgs),
    /// The monthly lessons digest: mistakes by chapter, repeats, follow-ups due, crises
    /// coming, a chapter to reread (md, html, json; --send mails it).
    Digest(cli::digest::DigestArgs),
    /// Bring the search index up to date (only changed files are touched).
    Index(cli::index::IndexArgs),
    /// Search past cases and mistakes, in Persian or English.
    Search(cli::search::SearchArgs),
    /// Every mistake of a chapter with its lesson, newest first: read before you decide.
    Mistakes(cli::mistakes::MistakesArgs),
    /// Every follow-up with owner, due date, status and case, overdue first.
    Followups(cli::followups::FollowupsArgs),
    /// Manage who may log in to write from the web: add, passwd, remove, list.
    User(cli::user::UserArgs),
    /// Manage API tokens for scripts that write cases: add, list, revoke.
    Token(cli::token::TokenArgs),
    /// Serve the Model Context Protocol on stdin/stdout for an AI assistant: search cases,
    /// read a case, a chapter's mistakes, the crises coming (read-only).
    Mcp,
    /// Print shell completions: `casebook completions bash > /etc/bash_completion.d/casebook`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `casebook man > /usr/local/share/man/man1/casebook.1`.
    Man,
}

/// The manual page, from the same definitions as `--help`.
fn man() -> anyhow::Result<ExitCode> {
    let command = <Args as clap::CommandFactory>::command();
    clap_mangen::Man::new(command).render(&mut std::io::stdout())?;
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let args = Args::parse();
    let result = match args.command {
        Command::Init(a) => cli::init::run(a),
        Command::Check(a) => cli::check::run(&args.kb, a),
        Command::New(a) => cli::new::run(&args.kb, a),
        Command::Calendar(a) => cli::calendar::run(&args.kb, a),
        Command::Serve(a) => cli::serve::run(&args.kb, a),
        Command::Digest(a) => cli::digest::run(&args.kb, a),
        Command::Index(a) => cli::index::run(&args.kb, a),
        Command::Search(a) => cli::search::run(&args.kb, a),
        Command::Mistakes(a) => cli::mistakes::run(&args.kb, a),
        Command::Followups(a) => cli::followups::run(&args.kb, a),
        Command::User(a) => cli::user::run(&args.kb, a),
        Command::Token(a) => cli::token::run(&args.kb, a),
        Command::Completions { shell } => {
            let mut command = <Args as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "casebook", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => man(),
        Command::Mcp => cli::mcp::run(&args.kb),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("casebook: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// `casebook check | head` must end quietly when `head` stops reading, as other Unix tools
/// do, instead of panicking in `println!`: Rust ignores SIGPIPE by default, so restore it.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is always valid.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
