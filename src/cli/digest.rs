//! `casebook digest`: the monthly lessons digest as Markdown, one HTML file, or JSON, and
//! mailed with `--send`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use casebook::dates::to_calendar;
use casebook::digest::render::{html, markdown};
use casebook::digest::view::DigestView;
use casebook::digest::{changed_in, digest, Month, Sources};
use casebook::i18n::Lang;
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;

/// What the digest is written as.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown, for a terminal or a wiki.
    Md,
    /// One self-contained HTML file: print it, open it, or mail it.
    Html,
    /// The digest's data, for tools.
    Json,
}

/// Arguments of `casebook digest`.
#[derive(clap::Args)]
pub struct DigestArgs {
    /// The month, Jalali (1405-08) or Gregorian (2026-11), in any digits; default last
    /// month, in the calendar of the language.
    #[arg(long)]
    month: Option<String>,
    /// md (default), html or json.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,
    /// fa or en; default the knowledge base's language.
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// The web app's address (https://cases.example.org), for links to the cases in HTML.
    #[arg(long, value_parser = super::parse_base_url)]
    base_url: Option<String>,
    /// Mail the HTML digest to the recipients in casebook.toml ([mail]).
    #[arg(long)]
    send: bool,
}

fn parse_lang(tag: &str) -> Result<Lang, String> {
    Lang::from_tag(tag).ok_or_else(|| format!("{tag:?}: write fa or en"))
}

/// Prints (or sends) the digest.
pub fn run(kb_dir: &Path, args: DigestArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let lang = args
        .lang
        .or_else(|| Lang::from_tag(&kb.taxonomy.default_lang))
        .unwrap_or(Lang::Fa);
    let month = match &args.month {
        Some(m) => {
            Month::parse(m).map_err(|e| anyhow::anyhow!("--month: {}", e.message().text(lang)))?
        }
        None => last_month(lang),
    };
    let snapshot = Snapshot::load(&kb);
    let changed = changed_in(&kb, snapshot.cases(), &month);
    let sources = Sources {
        cases: snapshot.cases(),
        crises: &snapshot.crises,
        taxonomy: &kb.taxonomy,
        changed: &changed,
        today: chrono::Local::now().date_naive(),
    };
    let d = digest(&sources, &month);
    let view = DigestView::new(&d, &kb.taxonomy, lang);
    let base = args.base_url.as_deref().unwrap_or("");
    if args.send {
        let page = html(&view, lang, base)?;
        let subject = format!(
            "{}: {}",
            casebook::digest::view::text(lang, "digest-title"),
            view.month_title
        );
        let sent = casebook::digest::mail::send(&kb, &subject, &page, &markdown(&view, lang))
            .context("--send: nothing was sent")?;
        eprintln!("sent the digest of {} to {sent}", view.month_title);
    } else {
        let format = if args.json {
            Format::Json
        } else {
            args.format.unwrap_or(Format::Md)
        };
        match format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&d)?),
            Format::Md => print!("{}", casebook::text::printable(&markdown(&view, lang))),
            Format::Html => print!("{}", html(&view, lang, base)?),
        }
    }
    if snapshot.loaded.has_errors() {
        eprintln!("note: some files have errors and are not in this digest; run `casebook check`");
    }
    Ok(ExitCode::SUCCESS)
}

/// Last month, Jalali for a Persian reader and Gregorian for an English one: the digest is
/// read once a month is over.
fn last_month(lang: Lang) -> Month {
    let today = chrono::Local::now().date_naive();
    let calendar = match lang {
        Lang::Fa => casebook::dates::CalendarKind::Persian,
        Lang::En => casebook::dates::CalendarKind::Gregorian,
    };
    let ymd = to_calendar(calendar, today);
    let this =
        Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)).expect("today's month is a month");
    this.previous()
}
