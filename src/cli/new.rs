//! `casebook new`: a new case file from the template, from flags or prompts.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use casebook::case::{new_case, NewCase};
use casebook::kb::Kb;

/// Arguments of `casebook new`.
#[derive(clap::Args)]
pub struct NewArgs {
    /// The case's title, in any language.
    #[arg(long)]
    title: Option<String>,
    /// The crisis type: an id (currency, internet-outage…) or its Persian or English label.
    #[arg(long = "type")]
    crisis_type: Option<String>,
    /// When it started: 2012-10-01 or 1391-07-10 (Jalali); default today.
    #[arg(long)]
    date: Option<String>,
}

/// Creates the file and prints its path.
pub fn run(kb_dir: &Path, args: NewArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let interactive = std::io::stdin().is_terminal();
    let types: Vec<&str> = kb
        .taxonomy
        .crisis_types
        .iter()
        .map(|l| l.id.as_str())
        .collect();
    let title = value(args.title, interactive, "Title (عنوان)", "--title")?;
    let crisis_type = value(
        args.crisis_type,
        interactive,
        &format!("Crisis type ({})", types.join(", ")),
        "--type",
    )?;
    let date = match args.date {
        Some(d) => d,
        None if interactive => {
            let d = prompt("Date, Gregorian or Jalali (empty for today)")?;
            if d.is_empty() {
                today()
            } else {
                d
            }
        }
        None => today(),
    };
    let rel = new_case(
        &kb,
        &NewCase {
            title,
            crisis_type,
            date,
        },
    )?;
    println!("{}", kb.absolute(&rel).display());
    Ok(ExitCode::SUCCESS)
}

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

fn value(given: Option<String>, interactive: bool, question: &str, flag: &str) -> Result<String> {
    match given {
        Some(v) => Ok(v),
        None if interactive => prompt(question),
        None => bail!("{flag} is required when not run in a terminal"),
    }
}

fn prompt(question: &str) -> Result<String> {
    eprint!("{question}: ");
    std::io::stderr().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}
