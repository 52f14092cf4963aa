//! `casebook calendar`: the anticipated crises in a date range, each with its warning date
//! and the past cases it recalls, as text, JSON or an ICS feed.

use casebook::text::printable;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use casebook::calendar::history::{anniversaries, anniversaries_between, Anniversary};
use casebook::calendar::ics::Feed;
use casebook::calendar::{upcoming, Occurrence};
use casebook::dates::{format_jalali_fa, CaseDate};
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;
use chrono::{Months, NaiveDate};

/// Output formats of `casebook calendar`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people, in the terminal.
    Text,
    /// For scripts.
    Json,
    /// An iCalendar feed for calendar clients.
    Ics,
}

/// Arguments of `casebook calendar`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct CalendarArgs {
    #[command(subcommand)]
    command: Option<CalendarCommand>,
    /// First day, Gregorian or Jalali (2026-03-01, 1404-12-10, 1405); default today.
    #[arg(long)]
    from: Option<String>,
    /// Last day, Gregorian or Jalali; default 12 months after --from (3 years for ics).
    #[arg(long)]
    to: Option<String>,
    /// text, json or ics.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The web app's address, for links in the ICS feed (https://casebook.example).
    #[arg(long, value_parser = super::parse_base_url)]
    base_url: Option<String>,
    /// ICS only: add "N years ago" events on the anniversaries of past cases.
    #[arg(long)]
    history: bool,
}

/// What else `casebook calendar` does.
#[derive(clap::Subcommand)]
pub enum CalendarCommand {
    /// Bring the recurring crises and month-start table shipped with this casebook into the
    /// knowledge base: new files are added, unedited ones updated, edited ones never
    /// overwritten (their difference is shown).
    Update {
        /// Show what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Prints the occurrences; problems in the files go to stderr as a count.
pub fn run(kb_dir: &Path, args: CalendarArgs) -> Result<ExitCode> {
    if let Some(CalendarCommand::Update { dry_run }) = args.command {
        return update(kb_dir, dry_run);
    }
    let kb = Kb::open(kb_dir)?;
    let (from, to) = range(&args)?;
    let snapshot = Snapshot::load(&kb);
    let (crises, loaded) = (&snapshot.crises, &snapshot.loaded);
    let broken = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    if broken > 0 {
        eprintln!("casebook: warning: {broken} error(s) in the files; those files are left out. Run `casebook check`");
    }
    let occurrences = upcoming(crises, &loaded.cases, from, to);
    let history = anniversaries(&loaded.cases, from, 7);
    match args.format {
        Format::Ics => {
            let history = if args.history {
                anniversaries_between(&loaded.cases, from, to)
            } else {
                Vec::new()
            };
            let feed = Feed {
                occurrences: &occurrences,
                crises,
                anniversaries: &history,
                base_url: args.base_url.as_deref(),
            };
            print!("{}", feed.to_ics());
        }
        Format::Json => {
            let out = serde_json::json!({
                "from": from,
                "to": to,
                "occurrences": occurrences,
                "crises": crises,
                "anniversaries": history,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Text => print_text(&occurrences, &history, from, to),
    }
    Ok(ExitCode::SUCCESS)
}

fn range(args: &CalendarArgs) -> Result<(NaiveDate, NaiveDate)> {
    let parse = |flag: &str, text: &str| {
        CaseDate::parse(text).with_context(|| format!("--{flag} {text:?}"))
    };
    let from = match &args.from {
        Some(t) => parse("from", t)?.start,
        None => chrono::Local::now().date_naive(),
    };
    let months = if args.format == Format::Ics { 36 } else { 12 };
    let to = match &args.to {
        Some(t) => parse("to", t)?.end,
        None => from
            .checked_add_months(Months::new(months))
            .context("--from is too far in the future")?,
    };
    anyhow::ensure!(to >= from, "--to ({to}) is before --from ({from})");
    Ok((from, to))
}

fn print_text(occurrences: &[Occurrence], history: &[Anniversary], from: NaiveDate, to: NaiveDate) {
    if !history.is_empty() {
        println!("This week in crisis history / این هفته در تاریخ بحران‌ها:");
        for a in history {
            println!(
                "  {}  {} ({}, {} years ago){}",
                a.on,
                printable(&a.title),
                printable(&a.original),
                a.years,
                open_note(a.open_followups)
            );
        }
        println!();
    }
    println!(
        "Anticipated crises {from} – {to} ({} – {}): {}",
        format_jalali_fa(from),
        format_jalali_fa(to),
        occurrences.len()
    );
    for o in occurrences {
        print_occurrence(o);
    }
}

fn open_note(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", {n} open follow-up(s)")
    }
}

fn print_occurrence(o: &Occurrence) {
    let title = match &o.title_en {
        Some(en) => format!("{} — {en}", o.title),
        None => o.title.clone(),
    };
    let span = if o.end == o.start {
        o.start.to_string()
    } else {
        format!("{} → {}", o.start, o.end)
    };
    println!(
        "\n{span}  {}  {}",
        format_jalali_fa(o.start),
        printable(&title)
    );
    let estimated = if o.estimated { "  [estimated]" } else { "" };
    println!(
        "    {} · warn from {} ({} days before){estimated}",
        o.native_en(),
        o.warn_from,
        o.lead_days
    );
    for c in &o.cases {
        let when = c
            .date
            .as_ref()
            .map(|d| d.original.as_str())
            .unwrap_or("undated");
        let (id, title, when) = (printable(&c.id), printable(&c.title), printable(when));
        println!("    case {id} ({when}): {title}");
        for l in c.lessons.iter().take(3) {
            println!("        lesson: {}", printable(l));
        }
        for f in &c.open_followups {
            let owner = f
                .owner
                .as_deref()
                .map(|o| format!(" — {o}"))
                .unwrap_or_default();
            println!("        [ ] {}{}", printable(&f.what), printable(&owner));
        }
    }
}

/// `casebook calendar update`.
fn update(kb_dir: &Path, dry_run: bool) -> Result<ExitCode> {
    use casebook::init::{update_calendar, Change};
    let kb = Kb::open(kb_dir)?;
    let changes = update_calendar(kb.root(), !dry_run)?;
    let verb = |done: &'static str, would: &'static str| if dry_run { would } else { done };
    for (name, change) in &changes {
        match change {
            Change::Added => println!("{} recurring/{name}", verb("added  ", "would add   ")),
            Change::Updated { diff } => {
                println!("{} recurring/{name}", verb("updated", "would update"));
                print!("{}", printable(diff));
            }
            Change::Same => {}
            Change::KeptEdited { diff } => {
                println!("kept    recurring/{name}: edited here; the shipped version differs:");
                print!("{}", printable(diff));
            }
            Change::KeptDeleted => {
                println!("kept    recurring/{name}: deleted here; not added again")
            }
        }
    }
    let same = changes.iter().filter(|(_, c)| *c == Change::Same).count();
    eprintln!(
        "{same} of {} shipped file(s) already up to date",
        changes.len()
    );
    Ok(ExitCode::SUCCESS)
}
