//! `casebook check`: every problem in every file (cases and anticipated crises), like a
//! compiler's report.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::calendar::{dangling_links, load_recurring};
use casebook::case::load_all;
use casebook::kb::Kb;

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
    let loaded = load_all(&kb);
    let (crises, recurring_diags) = load_recurring(&kb);
    let mut diagnostics = loaded.diagnostics.clone();
    diagnostics.extend(recurring_diags);
    diagnostics.extend(dangling_links(&loaded.cases, &crises, |rel| {
        String::from_utf8(kb.read(rel).ok()?).ok()
    }));
    casebook::diag::sort(&mut diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if args.json {
        let out = serde_json::json!({
            "cases": loaded.cases.len(),
            "anticipated_crises": crises.len(),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for d in &diagnostics {
            println!("{d}");
        }
        eprintln!(
            "{} case(s) loaded, {errors} error(s), {warnings} warning(s), {} anticipated crisis(es)",
            loaded.cases.len(),
            crises.len()
        );
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
