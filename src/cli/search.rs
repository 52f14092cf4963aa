//! `casebook search QUERY`: ranked, highlighted results from the index, which is brought
//! up to date first.

use casebook::text::printable;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::index::Index;
use casebook::kb::Kb;
use casebook::query::{SearchRequest, SearchResults, Snippet};

use super::progress::Bar;

/// Arguments of `casebook search`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// Words, "exact phrases", -excluded words, title:/mistake:/lesson:/tag: prefixes.
    #[arg(required = true)]
    query: Vec<String>,
    /// Only this crisis type (id or label).
    #[arg(long = "type")]
    crisis_type: Option<String>,
    /// Only cases with a mistake in this chapter (id or label).
    #[arg(long)]
    chapter: Option<String>,
    /// Only cases with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only cases with this counterparty.
    #[arg(long)]
    counterparty: Option<String>,
    /// Only this severity (low, medium, high, critical).
    #[arg(long)]
    severity: Option<String>,
    /// Only cases on or after this date (2012-10-01, 1391-07, 1391…).
    #[arg(long)]
    since: Option<String>,
    /// Only cases on or before this date.
    #[arg(long)]
    until: Option<String>,
    /// How many results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print the results as JSON: {"total", "hits": [...], "facets": {...}, "warnings"}.
    #[arg(long)]
    json: bool,
}

/// Runs the search and prints the results.
pub fn run(kb_dir: &Path, args: SearchArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let index = Index::open_with(&kb, false, &Bar::new())?;
    super::index::report_rebuild(index.opened());
    let req = SearchRequest {
        q: args.query.join(" "),
        crisis_type: args.crisis_type,
        chapter: args.chapter,
        tag: args.tag,
        counterparty: args.counterparty,
        severity: args.severity,
        since: args.since,
        until: args.until,
        limit: Some(args.limit),
        offset: None,
        // The terminal list does not show facet counts.
        facets: Some(args.json),
    };
    let results = index.search(&req)?;
    for w in &results.warnings {
        eprintln!("casebook: warning: {w}");
    }
    for g in &results.glossary {
        eprintln!(
            "casebook: also searched through the glossary: {} → {}",
            printable(&g.words),
            printable(&g.also.join(", "))
        );
    }
    let printed = if args.json {
        let json = serde_json::to_string_pretty(&results)?;
        writeln!(std::io::stdout().lock(), "{json}")
    } else {
        print_results(&results, std::io::stdout().is_terminal())
    };
    match printed {
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn print_results(results: &SearchResults, colour: bool) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    for (i, hit) in results.hits.iter().enumerate() {
        let date = printable(hit.date.as_deref().unwrap_or("undated"));
        let through = if hit.through_glossary {
            " · through the glossary"
        } else {
            ""
        };
        writeln!(
            out,
            "{}. {}  [{} · {date}{through}]",
            i + 1,
            printable(&hit.title),
            printable(&hit.crisis_type)
        )?;
        writeln!(out, "   {}", printable(&hit.path))?;
        writeln!(out, "   {}", terminal_snippet(&hit.snippet, colour))?;
    }
    eprintln!("{} case(s) found", results.total);
    Ok(())
}

/// A snippet for the terminal: the matched words bold red on a terminal, plain text when
/// printed to a pipe or a file; one line, no control character from the case.
fn terminal_snippet(snippet: &Snippet, colour: bool) -> String {
    let mut out = String::with_capacity(snippet.text.len() + 16);
    for (text, matched) in snippet.pieces() {
        let text = printable(text).replace('\n', " ");
        if matched && colour {
            out.push_str("\x1b[1;31m");
            out.push_str(&text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(&text);
        }
    }
    out
}
