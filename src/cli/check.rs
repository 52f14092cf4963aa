//! `casebook check`: every problem in every file (cases and anticipated crises), like a
//! compiler's report.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;

/// Arguments of `casebook check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Print the diagnostics as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs the check; exits 1 if any file has an error.
pub fn run(kb: &Path, args: CheckArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb)?;
    // The same snapshot the web app serves: its problems page shows what this prints.
    let snapshot = Snapshot::load(&kb);
    let (cases, crises) = (snapshot.cases(), &snapshot.crises);
    let diagnostics = &snapshot.loaded.diagnostics;
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if args.json {
        let out = serde_json::json!({
            "cases": cases.len(),
            "anticipated_crises": crises.len(),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for d in diagnostics {
            println!("{d}");
        }
        eprintln!(
            "{} case(s) loaded, {errors} error(s), {warnings} warning(s), {} anticipated crisis(es)",
            cases.len(),
            crises.len()
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
