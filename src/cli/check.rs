//! `casebook check`: every problem in every file (cases and anticipated crises), like a
//! compiler's report.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::i18n::Lang;
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;

/// Arguments of `casebook check`.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// Print the diagnostics as JSON (messages in English, for tools).
    #[arg(long)]
    json: bool,
    /// The language of the messages: en (the default, since most terminals cannot show
    /// right-to-left text) or fa. The `path:line:col: error:` prefix stays the same.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: Lang,
}

fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("{tag:?}: write fa or en"))
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
            println!("{}", d.render(args.lang));
        }
        let summary = casebook::msg!(
            "check-summary",
            cases = cases.len(),
            errors = errors,
            warnings = warnings,
            crises = crises.len()
        );
        eprintln!("{}", summary.text(args.lang));
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
