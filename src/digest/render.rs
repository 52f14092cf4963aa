//! A digest written out: Markdown for a terminal or a wiki, and one self-contained HTML
//! file (inline styles, no script, no external request) that reads well printed and as
//! the body of an email.

use std::fmt::Write;

use minijinja::Environment;

use super::view::{text, DigestView, MistakeInCase};
use crate::i18n::Lang;
use crate::msg;

/// The template of the HTML file.
const MAIL_TEMPLATE: &str = include_str!("../../templates/digest_mail.html");

/// The digest as Markdown.
pub fn markdown(v: &DigestView, lang: Lang) -> String {
    let t = |key: &str| text(lang, key);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: {}\n\n{}\n",
        t("digest-title"),
        v.month_title,
        v.range
    );
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        t("digest-counts"),
        count_line(v, lang)
    );
    for b in &v.counts.bars {
        let bar = "█".repeat(b.percent.div_ceil(10).max(1));
        let _ = writeln!(out, "- {}: {} {bar}", b.label, b.count);
    }
    let _ = writeln!(out, "\n## {}\n", t("digest-cases"));
    if v.cases.is_empty() {
        let _ = writeln!(out, "{}\n", t("digest-no-cases"));
    }
    for c in &v.cases {
        let date = c
            .date
            .as_ref()
            .map(|d| format!(" ({})", d.primary))
            .unwrap_or_default();
        let changed = match c.changed_only {
            true => format!(" — {}", t("digest-changed")),
            false => String::new(),
        };
        let _ = writeln!(out, "### {}{date}{changed}\n\n{}\n", c.title, c.crisis_type);
        for g in &c.chapters {
            let _ = writeln!(out, "**{}**\n", g.label);
            for m in &g.mistakes {
                let _ = writeln!(out, "- {}", m.text);
                if let Some(lesson) = &m.lesson {
                    let _ = writeln!(out, "  - {}: {lesson}", t("digest-lesson"));
                }
            }
            let _ = writeln!(out);
        }
        for l in &c.lessons {
            let _ = writeln!(out, "- {}: {l}", t("digest-lesson"));
        }
        if !c.lessons.is_empty() {
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        t("digest-repeats"),
        t("digest-repeats-intro")
    );
    if v.repeats.is_empty() {
        let _ = writeln!(out, "{}\n", t("digest-no-repeats"));
    }
    for r in &v.repeats {
        let _ = writeln!(
            out,
            "- **{}** ({}{}{})",
            r.now.mistake.text,
            r.now.chapter,
            comma(lang),
            r.now.case_title
        );
        for e in &r.earlier {
            let _ = writeln!(out, "  - {}", earlier_line(e, lang));
        }
    }
    let _ = writeln!(out, "\n## {}\n", t("digest-followups-due"));
    if v.owners.is_empty() {
        let _ = writeln!(out, "{}\n", t("digest-no-followups-due"));
    }
    for o in &v.owners {
        let _ = writeln!(out, "### {}\n", o.owner);
        for f in &o.followups {
            let due = f
                .due
                .as_ref()
                .map(|d| format!("{}{}", comma(lang), d.primary))
                .unwrap_or_default();
            let overdue = match f.overdue {
                true => format!(" **({})**", t("digest-overdue")),
                false => String::new(),
            };
            let _ = writeln!(out, "- [ ] {}{due}{overdue} — {}", f.what, f.case_title);
        }
        let _ = writeln!(out);
    }
    let coming = msg!("digest-coming", month = v.next_title.clone()).text(lang);
    let _ = writeln!(out, "## {coming}\n");
    if v.coming.is_empty() {
        let _ = writeln!(out, "{}\n", t("digest-no-coming"));
    }
    for c in &v.coming {
        let estimated = match c.estimated {
            true => format!(" ({})", t("digest-estimated")),
            false => String::new(),
        };
        let _ = writeln!(
            out,
            "### {}: {}{estimated}\n\n{}: {}\n",
            c.title,
            c.start.primary,
            t("digest-warn-from"),
            c.warn_from.primary
        );
        for line in &c.playbook {
            let _ = writeln!(out, "> {line}");
        }
        if !c.playbook.is_empty() {
            let _ = writeln!(out);
        }
        for (_, title) in &c.cases {
            let _ = writeln!(out, "- {}: {title}", t("digest-reread-case"));
        }
        if !c.cases.is_empty() {
            let _ = writeln!(out);
        }
    }
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        t("digest-reread"),
        t("digest-reread-intro")
    );
    for r in &v.reread {
        let _ = writeln!(
            out,
            "- **{}**: {} ({})",
            r.chapter, r.mistake.text, r.case_title
        );
        if let Some(lesson) = &r.mistake.lesson {
            let _ = writeln!(out, "  - {}: {lesson}", t("digest-lesson"));
        }
    }
    out
}

/// The comma between items, as each language writes it.
fn comma(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => "، ",
        Lang::En => ", ",
    }
}

/// The counts at the top in one sentence.
pub fn count_line(v: &DigestView, lang: Lang) -> String {
    let c = &v.counts;
    msg!(
        "digest-count-line",
        cases = c.cases.clone(),
        changed = c.changed.clone(),
        mistakes = c.mistakes.clone(),
        done = c.followups_done.clone(),
        open = c.followups_open.clone(),
        overdue = c.followups_overdue.clone()
    )
    .text(lang)
}

fn earlier_line(e: &MistakeInCase, lang: Lang) -> String {
    let date = e
        .date
        .as_ref()
        .map(|d| format!("{}{}", comma(lang), d.primary))
        .unwrap_or_default();
    let why = e.why.clone().unwrap_or_default();
    let lesson = match &e.mistake.lesson {
        Some(l) => format!(" {}: {l}", text(lang, "digest-lesson-then")),
        None => String::new(),
    };
    format!(
        "{why}: {} ({}{date}).{lesson}",
        e.mistake.text, e.case_title
    )
}

/// Text safe inside a double-quoted HTML attribute.
fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Why the HTML could not be made (a bug of the embedded template).
#[derive(Debug, thiserror::Error)]
#[error("the digest's HTML template: {0}")]
pub struct RenderError(#[from] minijinja::Error);

/// The digest as one HTML file. `base` is the address of the web app (for links back to
/// the cases), or empty for a file without links.
pub fn html(v: &DigestView, lang: Lang, base: &str) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_template("digest_mail.html", MAIL_TEMPLATE)?;
    env.add_function("t", move |key: String| text(lang, &key));
    // Written out whole, not through minijinja's escaping, which would write every `/` of
    // a link as `&#x2f;`: the path is percent-encoded, and the base is escaped below.
    let base_attr = escape_attr(base.trim_end_matches('/'));
    env.add_filter("case_url", move |id: String| {
        let url = format!("{base_attr}/cases/{}", crate::text::encode_path(&id));
        minijinja::Value::from_safe_string(url)
    });
    let template = env.get_template("digest_mail.html")?;
    let base = base.trim_end_matches('/');
    Ok(template.render(minijinja::context! {
        d => v,
        count_line => count_line(v, lang),
        coming_title => msg!("digest-coming", month = v.next_title.clone()).text(lang),
        base => base,
    })?)
}
