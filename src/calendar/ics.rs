//! The ICS (iCalendar, RFC 5545) feed of anticipated crises, for Google Calendar and any
//! other client to subscribe to: one all-day event per occurrence, with a warning alarm
//! `lead_days` before, and the playbook, the past cases and their open follow-ups in the
//! description.
//!
//! **Invariant:** a UID depends only on the crisis id and the occurrence's date in the
//! crisis's own calendar (`tasua-ashura-1447-01-09@casebook`), so an announced date that
//! moves an event by a day updates it in the subscriber's calendar instead of adding a copy.

use std::fmt::Write;

use chrono::{Duration, NaiveDate};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, EventStatus, Property};

use super::{AnticipatedCrisis, Occurrence};
use crate::dates::{format_jalali_fa, CalendarKind};

/// What a feed needs besides the occurrences.
#[derive(Debug, Clone, Default)]
pub struct FeedOptions {
    /// The web app's address (`https://casebook.example`), for links; none in the CLI.
    pub base_url: Option<String>,
}

/// The stable UID of an occurrence.
pub fn uid(o: &Occurrence) -> String {
    format!(
        "{}-{:04}-{:02}-{:02}@casebook",
        o.crisis_id, o.native.year, o.native.month, o.native.day
    )
}

/// The feed as ICS text. `crises` gives each occurrence's playbook and sources.
pub fn to_ics(
    occurrences: &[Occurrence],
    crises: &[AnticipatedCrisis],
    opts: &FeedOptions,
) -> String {
    let mut cal = Calendar::new();
    cal.name("casebook: بحران‌های پیش‌بینی‌شده / anticipated crises")
        .description(
            "Recurring crises from the casebook knowledge base, with a warning before each",
        )
        .ttl(&Duration::hours(12));
    for o in occurrences {
        let crisis = crises.iter().find(|c| c.id == o.crisis_id);
        cal.push(event(o, crisis, opts));
    }
    cal.done().to_string()
}

fn event(o: &Occurrence, crisis: Option<&AnticipatedCrisis>, opts: &FeedOptions) -> Event {
    let mut summary = o.title.clone();
    if o.estimated {
        summary.push_str(" (تاریخ تخمینی / estimated)");
    }
    let description = description(o, crisis, opts);
    let mut e = Event::new();
    e.uid(&uid(o))
        .summary(&summary)
        .description(&description)
        .starts(o.start)
        .ends(next_day(o.end))
        .status(if o.estimated {
            EventStatus::Tentative
        } else {
            EventStatus::Confirmed
        })
        .append_property(Property::new("TRANSP", "TRANSPARENT"))
        .append_property(Property::new("CATEGORIES", &o.crisis_type));
    if let Some(base) = &opts.base_url {
        e.url(&crisis_url(base, &o.crisis_id));
    }
    if o.lead_days > 0 {
        let warning = format!(
            "{} در {} روز دیگر: برنامهٔ آمادگی را اجرا کنید / {} in {} days: run the playbook",
            o.title,
            o.lead_days,
            o.title_en.as_deref().unwrap_or(&o.title),
            o.lead_days
        );
        // chrono would print the trigger in seconds (-PT3888000S); "-P45D" is the same
        // duration and what calendar clients show best.
        let mut alarm = Alarm::display(&warning, -Duration::days(o.lead_days.into()));
        alarm.append_property(Property::new("TRIGGER", format!("-P{}D", o.lead_days)));
        e.alarm(alarm.done());
    }
    e.done()
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// The web page of an anticipated crisis.
pub fn crisis_url(base: &str, id: &str) -> String {
    format!("{}/calendar/{id}", base.trim_end_matches('/'))
}

/// The web page of a case.
pub fn case_url(base: &str, id: &str) -> String {
    format!("{}/cases/{id}", base.trim_end_matches('/'))
}

fn description(o: &Occurrence, crisis: Option<&AnticipatedCrisis>, opts: &FeedOptions) -> String {
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
    cases_section(&mut d, o, opts);
    if let Some(c) = crisis {
        let _ = writeln!(d, "\nبرنامهٔ آمادگی / Playbook:\n{}", c.playbook.trim());
        if let Some(base) = &opts.base_url {
            let _ = writeln!(d, "\n{}", crisis_url(base, &c.id));
        }
    }
    d
}

fn cases_section(d: &mut String, o: &Occurrence, opts: &FeedOptions) {
    if o.cases.is_empty() {
        return;
    }
    let _ = writeln!(d, "\nپرونده‌های گذشته / Past cases:");
    for c in &o.cases {
        let when = c.date.as_ref().map(|x| x.original.as_str()).unwrap_or("");
        let _ = writeln!(d, "- {} ({when})", c.title);
        if let Some(base) = &opts.base_url {
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
