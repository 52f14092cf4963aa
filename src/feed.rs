//! The Atom feed (RFC 4287) of a knowledge base: its newest and latest-changed cases, and
//! the monthly digests of the last months, so that a feed reader (or a team's chat) shows
//! what was written. Built with `atom_syndication`; pure given the cases and their last
//! changes.

use std::sync::Arc;

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};

use crate::case::Case;
use crate::digest::view::month_title;
use crate::digest::Month;
use crate::i18n::Lang;
use crate::text::encode_path;

/// How many cases the feed holds.
pub const CASES: usize = 50;
/// How many monthly digests the feed holds.
pub const DIGESTS: usize = 6;

/// A case with when it was last changed (from git, else the day it began).
pub struct Changed<'a> {
    /// The case.
    pub case: &'a Arc<Case>,
    /// When its file was last committed, if git knows.
    pub changed: Option<FixedDateTime>,
}

/// The feed as XML. `base` is the web app's address (`https://cases.example.org`);
/// `today` decides which months are over.
pub fn atom(cases: &[Changed<'_>], base: &str, lang: Lang, today: NaiveDate) -> String {
    let base = base.trim_end_matches('/');
    let mut entries: Vec<Entry> = cases.iter().filter_map(|c| case_entry(c, base)).collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id)));
    entries.truncate(CASES);
    entries.extend(digest_entries(base, lang, today));
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id)));
    let updated = entries
        .first()
        .map(|e| e.updated)
        .unwrap_or_else(|| midnight(today));
    let title = match lang {
        Lang::Fa => "پرونده‌های بحران",
        Lang::En => "Crisis cases",
    };
    let feed = Feed {
        title: Text::plain(title),
        id: format!("{base}/feed.atom"),
        updated,
        authors: vec![Person {
            name: "casebook".into(),
            ..Default::default()
        }],
        links: vec![
            link(&format!("{base}/feed.atom"), "self", "application/atom+xml"),
            link(&format!("{base}/"), "alternate", "text/html"),
        ],
        lang: Some(lang.code().into()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

fn link(href: &str, rel: &str, mime: &str) -> Link {
    Link {
        href: href.into(),
        rel: rel.into(),
        mime_type: Some(mime.into()),
        ..Default::default()
    }
}

fn midnight(day: NaiveDate) -> FixedDateTime {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .fixed_offset()
}

fn case_entry(c: &Changed<'_>, base: &str) -> Option<Entry> {
    let case = c.case;
    let updated = c
        .changed
        .or_else(|| case.date.as_ref().map(|d| midnight(d.start)))?;
    let url = format!("{base}/cases/{}", encode_path(&case.id));
    let mut summary: Vec<String> = case.mistakes.iter().map(|m| m.text.clone()).collect();
    summary.extend(case.lessons.iter().cloned());
    Some(Entry {
        title: Text::plain(case.title.clone()),
        id: url.clone(),
        updated,
        links: vec![link(&url, "alternate", "text/html")],
        summary: (!summary.is_empty()).then(|| Text::plain(summary.join("\n"))),
        ..Default::default()
    })
}

/// One entry per month that is over, the last [`DIGESTS`] of them, in the reader's
/// calendar.
fn digest_entries(base: &str, lang: Lang, today: NaiveDate) -> Vec<Entry> {
    let calendar = match lang {
        Lang::Fa => crate::dates::CalendarKind::Persian,
        Lang::En => crate::dates::CalendarKind::Gregorian,
    };
    let ymd = crate::dates::to_calendar(calendar, today);
    let Ok(mut month) = Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for _ in 0..DIGESTS {
        month = month.previous();
        let url = format!("{base}/digest?month={}", month.label);
        let title = match lang {
            Lang::Fa => format!("گزارش ماهانهٔ درس‌ها: {}", month_title(&month, lang)),
            Lang::En => format!("Lessons digest: {}", month_title(&month, lang)),
        };
        out.push(Entry {
            title: Text::plain(title),
            id: url.clone(),
            updated: midnight(month.end.succ_opt().unwrap_or(month.end)),
            links: vec![link(&url, "alternate", "text/html")],
            content: Some(Content {
                src: Some(url),
                content_type: Some("text/html".into()),
                ..Default::default()
            }),
            ..Default::default()
        });
    }
    out
}
