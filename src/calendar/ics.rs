//! The ICS (iCalendar, RFC 5545) feed of anticipated crises, for Google Calendar and any
//! other client to subscribe to: one all-day event per occurrence, with a warning alarm
//! `lead_days` before and a "prepare now" event on the warning day, and the playbook, the
//! past cases and their open follow-ups in the description; optionally the anniversaries
//! of past cases ("today in crisis history").
//!
//! **Invariant:** a UID depends only on the crisis id and the occurrence's date in the
//! crisis's own calendar (`tasua-ashura-1447-01-09@casebook`), so an announced date that
//! moves an event by a day updates it in the subscriber's calendar instead of adding a copy.
//!
//! **Invariant:** text from files reaches the feed only through [`clean`] (no control
//! characters: a CR or LF in a value would start a property or an event of its own), and a
//! category only as a known crisis-type id; the `icalendar` crate escapes the rest.

use std::fmt::Write;

use chrono::{Duration, NaiveDate};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property};

use super::history::Anniversary;
use super::{AnticipatedCrisis, Occurrence};
use crate::dates::{format_jalali_fa, CalendarKind};
use crate::text::{encode_path, encode_segment, to_persian_digits};

/// Everything a feed shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feed<'a> {
    /// The occurrences, each becoming an event and a warning event.
    pub occurrences: &'a [Occurrence],
    /// The anticipated crises, for each occurrence's playbook.
    pub crises: &'a [AnticipatedCrisis],
    /// Anniversaries of past cases to show as "on this day" events (may be empty).
    pub anniversaries: &'a [Anniversary],
    /// The web app's address (`https://casebook.example`), for links; none in the CLI.
    pub base_url: Option<&'a str>,
}

/// The stable UID of an occurrence.
pub fn uid(o: &Occurrence) -> String {
    format!(
        "{}-{:04}-{:02}-{:02}@casebook",
        o.crisis_id, o.native.year, o.native.month, o.native.day
    )
}

impl Feed<'_> {
    /// The feed as ICS text: per occurrence, the event itself (with a `VALARM`
    /// `lead_days` before) and an all-day "prepare now" event on the warning day, because
    /// some clients (Google Calendar) ignore alarms in subscribed calendars.
    pub fn to_ics(&self) -> String {
        let mut cal = Calendar::new();
        cal.name("casebook: بحران‌های پیش‌بینی‌شده / anticipated crises")
            .description(
                "Recurring crises from the casebook knowledge base, with a warning before each",
            )
            .append_property(Property::new("METHOD", "PUBLISH"))
            .ttl(&Duration::hours(12));
        for o in self.occurrences {
            let crisis = self.crises.iter().find(|c| c.id == o.crisis_id);
            let description = description(o, crisis, self.base_url);
            let category = crisis
                .filter(|c| c.crisis_type_known)
                .and_then(|c| category(&c.crisis_type));
            cal.push(self.event(o, category, &description));
            if o.lead_days > 0 {
                cal.push(self.warning_event(o, &description));
            }
        }
        for a in self.anniversaries {
            cal.push(self.anniversary_event(a));
        }
        cal.done().to_string()
    }

    fn event(&self, o: &Occurrence, category: Option<&str>, description: &str) -> Event {
        let mut summary = o.title.clone();
        if o.estimated {
            summary.push_str(" (تاریخ تخمینی / estimated)");
        }
        let mut e = all_day(&uid(o), &summary, description, o.start, o.end);
        e.status(if o.estimated {
            EventStatus::Tentative
        } else {
            EventStatus::Confirmed
        });
        if let Some(category) = category {
            e.append_property(Property::new("CATEGORIES", category));
        }
        if let Some(base) = self.base_url {
            e.url(&clean(&crisis_url(base, &o.crisis_id)));
        }
        if o.lead_days > 0 {
            // chrono would print the trigger in seconds (-PT3888000S); "-P45D" is the same
            // duration and what calendar clients show best.
            let text = clean(&warning_text(o));
            let mut alarm = Alarm::display(&text, -Duration::days(o.lead_days.into()));
            alarm.append_property(Property::new("TRIGGER", format!("-P{}D", o.lead_days)));
            e.alarm(alarm.done());
        }
        e.done()
    }

    fn warning_event(&self, o: &Occurrence, description: &str) -> Event {
        let uid = uid(o).replacen("@casebook", "-warning@casebook", 1);
        let mut e = all_day(
            &uid,
            &warning_text(o),
            description,
            o.warn_from,
            o.warn_from,
        );
        e.append_property(Property::new("CATEGORIES", "warning"));
        if let Some(base) = self.base_url {
            e.url(&clean(&crisis_url(base, &o.crisis_id)));
        }
        e.done()
    }

    fn anniversary_event(&self, a: &Anniversary) -> Event {
        let uid = format!(
            "history-{}-{}@casebook",
            a.case_id.replace('/', "-"),
            a.years
        );
        let summary = format!(
            "{} سال پیش / {} years ago: {}",
            to_persian_digits(&a.years.to_string()),
            a.years,
            a.title
        );
        let mut description = format!("{} ({})", a.title, a.original);
        if a.open_followups > 0 {
            let _ = write!(description, "\n{} open follow-up(s)", a.open_followups);
        }
        let mut e = all_day(&uid, &summary, &description, a.on, a.on);
        e.append_property(Property::new("CATEGORIES", "history"));
        if let Some(base) = self.base_url {
            e.url(&clean(&case_url(base, &a.case_id)));
        }
        e.done()
    }
}

/// An all-day, non-blocking event from `first` to `last` (inclusive).
fn all_day(
    uid: &str,
    summary: &str,
    description: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Event {
    let mut e = Event::new();
    e.uid(&one_line(uid))
        .summary(&one_line(summary))
        .description(&clean(description))
        .starts(first)
        .ends(next_day(last))
        .append_property(Property::new("TRANSP", "TRANSPARENT"));
    e
}

/// Text as the feed may carry it: line breaks as `\n` (the crate escapes them), every other
/// control character (a bare CR, a tab, an escape) removed.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect()
}

/// Text for a one-line value (a UID, a summary): every control character removed.
fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// A crisis-type id as a category: ids are ASCII letters, digits and hyphens; anything
/// else is no id and is left out.
fn category(id: &str) -> Option<&str> {
    let is_id = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    is_id.then_some(id)
}

fn warning_text(o: &Occurrence) -> String {
    format!(
        "{} در {} روز دیگر: برنامهٔ آمادگی / {} in {} days: run the playbook",
        o.title,
        to_persian_digits(&o.lead_days.to_string()),
        o.title_en.as_deref().unwrap_or(&o.title),
        o.lead_days
    )
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// The web page of an anticipated crisis (the id percent-encoded: it is a file name).
pub fn crisis_url(base: &str, id: &str) -> String {
    format!(
        "{}/calendar/{}",
        base.trim_end_matches('/'),
        encode_segment(id)
    )
}

/// The web page of a case (the id percent-encoded, its `/` kept).
pub fn case_url(base: &str, id: &str) -> String {
    format!("{}/cases/{}", base.trim_end_matches('/'), encode_path(id))
}

fn description(
    o: &Occurrence,
    crisis: Option<&AnticipatedCrisis>,
    base_url: Option<&str>,
) -> String {
    let mut d = String::new();
    if let Some(en) = &o.title_en {
        let _ = writeln!(d, "{en}");
    }
    let _ = writeln!(
        d,
        "{} ({}){}",
        format_jalali_fa(o.start),
        o.start,
        if o.calendar == CalendarKind::Islamic {
            format!(" = {} / {}", o.native_fa(), o.native_en())
        } else {
            String::new()
        }
    );
    if o.estimated {
        let _ = writeln!(
            d,
            "تاریخ تخمینی است؛ پس از اعلام رسمی به‌روز می‌شود. / Estimated; updated once announced."
        );
    }
    let _ = writeln!(
        d,
        "هشدار از {} / warning from {} ({} days before)",
        format_jalali_fa(o.warn_from),
        o.warn_from,
        o.lead_days
    );
    cases_section(&mut d, o, base_url);
    if let Some(c) = crisis {
        let _ = writeln!(d, "\nبرنامهٔ آمادگی / Playbook:\n{}", c.playbook.trim());
        if let Some(base) = base_url {
            let _ = writeln!(d, "\n{}", crisis_url(base, &c.id));
        }
    }
    d
}

fn cases_section(d: &mut String, o: &Occurrence, base_url: Option<&str>) {
    if o.cases.is_empty() {
        return;
    }
    let _ = writeln!(d, "\nپرونده‌های گذشته / Past cases:");
    for c in &o.cases {
        let when = c.date.as_ref().map(|x| x.original.as_str()).unwrap_or("");
        let _ = writeln!(d, "- {} ({when})", c.title);
        if let Some(base) = base_url {
            let _ = writeln!(d, "  {}", case_url(base, &c.id));
        }
        for l in c.lessons.iter().take(3) {
            let _ = writeln!(d, "  درس / lesson: {l}");
        }
        for f in &c.open_followups {
            let owner = f
                .owner
                .as_deref()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            let due = f
                .due
                .as_ref()
                .map(|x| format!(" due {}", x.original))
                .unwrap_or_default();
            let _ = writeln!(
                d,
                "  [ ] پیگیری باز / open follow-up: {}{owner}{due}",
                f.what
            );
        }
    }
}
