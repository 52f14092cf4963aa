//! The `casebook` command: parses arguments, calls the library, and turns errors into
//! messages and exit codes. Each subcommand lives in `src/cli/`.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// casebook: write crisis cases, search past mistakes, see the crises coming.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The knowledge base folder (the folder of case files).
    #[arg(long, global = true, env = "CASEBOOK_KB", default_value = "cases")]
    kb: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check every case file and report every problem as path:line:col.
    Check(cli::check::CheckArgs),
    /// Create a new case from the template.
    New(cli::new::NewArgs),
    /// Serve the web app: search, cases, the notebook of mistakes.
    Serve(cli::serve::ServeArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Check(a) => cli::check::run(&args.kb, a),
        Command::New(a) => cli::new::run(&args.kb, a),
        Command::Serve(a) => cli::serve::run(&args.kb, a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("casebook: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
