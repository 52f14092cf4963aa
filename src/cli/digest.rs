//! `casebook digest`: the monthly lessons digest as Markdown or JSON.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use casebook::dates::{format_jalali_en, format_jalali_fa, to_jalali, Ymd};
use casebook::digest::{digest, Digest, Month};
use casebook::kb::Kb;
use casebook::snapshot::Snapshot;

/// Arguments of `casebook digest`.
#[derive(clap::Args)]
pub struct DigestArgs {
    /// The month, Jalali (1404-12) or Gregorian (2026-03); default the current Jalali month.
    #[arg(long)]
    month: Option<String>,
    /// Print JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Headings in `fa` or `en`; default the knowledge base's default language.
    #[arg(long)]
    lang: Option<String>,
}

/// Prints the digest.
pub fn run(kb_dir: &Path, args: DigestArgs) -> Result<ExitCode> {
    let kb = Kb::open(kb_dir)?;
    let month = match &args.month {
        Some(m) => Month::parse(m)?,
        None => {
            let Ymd { year, month, .. } = to_jalali(chrono::Local::now().date_naive());
            Month::parse(&format!("{year}-{month:02}"))?
        }
    };
    let snapshot = Snapshot::load(&kb);
    let d = digest(snapshot.cases(), &snapshot.crises, &month);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&d)?);
    } else {
        let lang = args
            .lang
            .unwrap_or_else(|| kb.taxonomy.default_lang.clone());
        print!("{}", casebook::text::printable(&markdown(&d, lang == "fa")));
    }
    if snapshot.loaded.has_errors() {
        eprintln!("note: some files have errors and are not in this digest; run `casebook check`");
    }
    Ok(ExitCode::SUCCESS)
}

fn markdown(d: &Digest, fa: bool) -> String {
    let h = |fa_text: &'static str, en_text: &'static str| if fa { fa_text } else { en_text };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {}\n",
        h("گزارش ماهانه درس‌ها", "Lessons digest"),
        d.month.label
    );
    let _ = writeln!(out, "## {}\n", h("پرونده‌های این ماه", "Cases this month"));
    if d.cases.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            h("پرونده‌ای ثبت نشده است.", "No case was written.")
        );
    }
    for c in &d.cases {
        let _ = writeln!(out, "### {} ({})\n", c.title, c.date);
        for l in &c.lessons {
            let _ = writeln!(out, "- {l}");
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## {}\n", h("پیگیری‌های باز", "Open follow-ups"));
    for o in &d.open_followups {
        let due = o
            .followup
            .due
            .as_ref()
            .map(|d| d.original.as_str())
            .unwrap_or("-");
        let flag = if o.overdue {
            h(" **(عقب‌افتاده)**", " **(overdue)**")
        } else {
            ""
        };
        let owner = o.followup.owner.as_deref().unwrap_or("-");
        let _ = writeln!(
            out,
            "- [ ] {} — {owner}, {due}{flag} ({})",
            o.followup.what, o.case_title
        );
    }
    coming_section(&mut out, d, fa);
    out
}

fn coming_section(out: &mut String, d: &Digest, fa: bool) {
    let h = |fa_text: &'static str, en_text: &'static str| if fa { fa_text } else { en_text };
    let heading = h("بحران‌های پیش‌بینی‌شده‌ی ماه بعد", "Crises coming next month");
    let _ = writeln!(out, "\n## {heading} {}\n", d.next_month.label);
    if d.coming.is_empty() {
        let _ = writeln!(out, "{}", h("موردی نیست.", "None."));
    }
    for o in &d.coming {
        let title = match (&o.title_en, fa) {
            (Some(en), false) => en,
            _ => &o.title,
        };
        let when = if fa {
            format!("{} ({})", format_jalali_fa(o.start), o.start)
        } else {
            format!("{} ({})", o.start, format_jalali_en(o.start))
        };
        let estimated = if o.estimated {
            h(" — تخمینی", " — estimated")
        } else {
            ""
        };
        let warn = h("هشدار از", "warn from");
        let _ = writeln!(
            out,
            "- **{title}**: {when}{estimated}; {warn} {}",
            o.warn_from
        );
        for c in &o.cases {
            let _ = writeln!(out, "  - {}: {}", h("بازخوانی", "reread"), c.title);
        }
    }
}
