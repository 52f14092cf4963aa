//! `casebook followups`: every follow-up with owner, due date, status and case, overdue
//! first.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::followups::{list, Filter};
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;
use casebook::text::printable;

/// Arguments of `casebook followups`.
#[derive(clap::Args)]
pub struct FollowupsArgs {
    /// Only this owner's.
    #[arg(long)]
    owner: Option<String>,
    /// Only those past their due date and not done.
    #[arg(long)]
    overdue: bool,
    /// Only those of cases with a mistake in this chapter (an id or a label).
    #[arg(long)]
    chapter: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the list.
pub fn run(kb_dir: &Path, args: FollowupsArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let snapshot = Snapshot::load(&kb);
    let filter = Filter {
        owner: args.owner,
        overdue: args.overdue,
        chapter: args.chapter,
    };
    let today = chrono::Local::now().date_naive();
    let rows = list(snapshot.cases(), &kb.taxonomy, today, &filter)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let f = &r.followup;
        let state = match (f.done, r.overdue) {
            (true, _) => "[x]",
            (false, true) => "[!]",
            (false, false) => "[ ]",
        };
        let due = f.due.as_ref().map_or("no date", |d| d.original.as_str());
        let owner = f.owner.as_deref().unwrap_or("nobody named");
        println!("{state} {}", printable(&f.what));
        println!(
            "    {} · due {}{} · {} [{}]",
            printable(owner),
            printable(due),
            if r.overdue { " (overdue)" } else { "" },
            printable(&r.case_title),
            printable(&r.case_id)
        );
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let open = rows.iter().filter(|r| !r.followup.done).count();
    eprintln!(
        "{} follow-up(s): {open} open, {overdue} overdue",
        rows.len()
    );
    Ok(ExitCode::SUCCESS)
}
