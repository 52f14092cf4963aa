//! `casebook index`: bring the search index up to date (or rebuild it) and say what changed.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::index::{Index, RefreshStats};
use casebook::kb::Kb;

use super::progress::Bar;

/// Arguments of `casebook index`.
#[derive(clap::Args)]
pub struct IndexArgs {
    /// Throw the index away and build it again from the files.
    #[arg(long)]
    rebuild: bool,
    /// Print what changed as JSON.
    #[arg(long)]
    json: bool,
}

/// Opens (and so refreshes or rebuilds) the index, then reports.
pub fn run(kb_dir: &Path, args: IndexArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let index = Index::open_with(&kb, args.rebuild, &Bar::new())?;
    let stats = index.opened();
    if let Some(warning) = &stats.warning {
        // Updating is this command's whole job: not being able to is an error.
        anyhow::bail!("{warning}");
    }
    if args.json {
        let out = serde_json::json!({ "cases": index.num_cases(), "stats": stats });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        report_rebuild(stats);
        eprintln!("{}", summary(stats, index.num_cases()));
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the one-line notice when an index was (re)built from scratch, and any warning.
pub fn report_rebuild(stats: &RefreshStats) {
    if let Some(reason) = &stats.rebuilt {
        eprintln!("casebook: building the search index from the files ({reason})");
    }
    if let Some(warning) = &stats.warning {
        eprintln!("casebook: warning: {warning}");
    }
}

fn summary(s: &RefreshStats, cases: u64) -> String {
    let mut line = if s.changed() {
        format!(
            "index updated in {} ms: {} added, {} updated, {} removed, {} unchanged; {cases} case(s) searchable",
            s.millis, s.added, s.updated, s.removed, s.unchanged
        )
    } else {
        format!("index up to date: {cases} case(s) searchable")
    };
    if s.with_errors > 0 {
        line.push_str(&format!(
            "; {} file(s) with errors are not searchable (run `casebook check`)",
            s.with_errors
        ));
    }
    line
}
