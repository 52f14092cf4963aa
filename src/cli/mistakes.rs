//! `casebook mistakes --chapter C`: the checklist to read before a decision, every
//! mistake of a chapter with its lesson and its case, newest first.

use casebook::text::printable;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Result};
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;

/// Arguments of `casebook mistakes`.
#[derive(clap::Args)]
pub struct MistakesArgs {
    /// The chapter: an id (contracts, suppliers…) or its Persian or English label.
    #[arg(long)]
    chapter: String,
    /// Print the entries as JSON.
    #[arg(long)]
    json: bool,
}

/// Loads the cases and prints the chapter's mistakes.
pub fn run(kb_dir: &Path, args: MistakesArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let chapter = match kb.taxonomy.chapter(&args.chapter) {
        Some(label) => label.id.clone(),
        None => {
            let known: Vec<&str> = kb.taxonomy.chapters.iter().map(|l| l.id.as_str()).collect();
            bail!(
                "unknown chapter {:?}. Use one of: {}",
                args.chapter,
                known.join(", ")
            );
        }
    };
    let snapshot = Snapshot::load(&kb);
    let entries: Vec<_> = snapshot.mistakes_of_chapter(&chapter).collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&entries)?);
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let date = e
            .case_date
            .as_ref()
            .map_or("undated", |d| d.original.as_str());
        println!("- {}", printable(&e.text));
        if let Some(lesson) = &e.lesson {
            println!("  lesson: {}", printable(lesson));
        }
        let (title, id) = (printable(&e.case_title), printable(&e.case_id));
        println!("  from: {title} ({}) [{id}]", printable(date));
    }
    eprintln!("{} mistake(s) in chapter {chapter}", entries.len());
    if snapshot.loaded.broken_files() > 0 {
        eprintln!(
            "casebook: warning: {} file(s) with errors were skipped (run `casebook check`)",
            snapshot.loaded.broken_files()
        );
    }
    Ok(ExitCode::SUCCESS)
}
