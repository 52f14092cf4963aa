//! `casebook calendar` and the anticipated-crisis side of `casebook check`, as a user runs
//! them: the real binary on temp folders; the ICS feed read back by an independent parser.

mod common;

use std::collections::HashSet;
use std::io::BufReader;

use common::{casebook, root, stderr, stdout, temp_kb};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use serde_json::Value;

fn json(args: &[&str], kb: &std::path::Path) -> Value {
    let out = casebook(kb, args);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("calendar --format json prints JSON")
}

fn occurrence<'a>(v: &'a Value, id: &str, start: &str) -> &'a Value {
    v["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["crisis_id"] == id && o["start"] == start)
        .unwrap_or_else(|| panic!("no {id} on {start} in {v:#}"))
}

/// Parses ICS text with the `ical` crate (not the crate that wrote it).
fn parse_ics(text: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser
        .next()
        .expect("one calendar")
        .expect("the feed parses as iCalendar");
    assert!(parser.next().is_none(), "exactly one VCALENDAR");
    cal
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

fn event_prop<'a>(e: &'a IcalEvent, name: &str) -> &'a str {
    prop(&e.properties, name).unwrap_or_else(|| panic!("event without {name}"))
}

/// ICS text values escape `,` `;` and newlines; undo that to compare with plain text.
fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
}

#[test]
fn json_lists_occurrences_with_warning_dates_and_last_years_case() {
    let kb = temp_kb(Some("calendar"));
    let v = json(
        &[
            "calendar",
            "--from",
            "2027-01-01",
            "--to",
            "1406-12-29",
            "--format",
            "json",
        ],
        kb.path(),
    );
    let nowruz = occurrence(&v, "nowruz", "2027-03-21");
    assert_eq!(
        nowruz["warn_from"], "2027-02-04",
        "45 days before Nowruz 1406"
    );
    assert_eq!(nowruz["end"], "2027-04-02");
    assert_eq!(nowruz["estimated"], false);
    let case = &nowruz["cases"][0];
    assert_eq!(case["id"], "2026/nowruz-closure");
    assert_eq!(case["link"], "recurring");
    assert_eq!(
        case["lessons"][0],
        "Ask every supplier for its holiday dates in Bahman"
    );
    let open = case["open_followups"].as_array().unwrap();
    assert_eq!(open.len(), 1, "done follow-ups are left out");
    assert_eq!(
        open[0]["what"],
        "Get the Nowruz 1406 schedule from every supplier"
    );
    // Muharram 1448 is not in the sighting table: computed and marked estimated.
    let muharram = v["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["crisis_id"] == "tasua-ashura")
        .expect("Tasua 1448 falls in 1406");
    assert_eq!(muharram["estimated"], true);
    assert!(v["crises"][0]["playbook"]
        .as_str()
        .unwrap()
        .contains("Stock up"));
}

#[test]
fn a_sighted_month_gives_irans_ashura() {
    let kb = temp_kb(Some("calendar"));
    let v = json(
        &[
            "calendar",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--format",
            "json",
        ],
        kb.path(),
    );
    let o = occurrence(&v, "tasua-ashura", "2025-07-05");
    assert_eq!(o["end"], "2025-07-06", "Ashura 1447 in Iran");
    assert_eq!(o["estimated"], false);
    assert!(
        o["cases"].as_array().unwrap().is_empty(),
        "the 1405 case happened after Muharram 1447"
    );
}

#[test]
fn ics_feed_parses_with_alarms_links_and_stable_uids() {
    let kb = temp_kb(Some("calendar"));
    let args = [
        "calendar",
        "--from",
        "2026-01-01",
        "--format",
        "ics",
        "--base-url",
        "https://cb.example/",
    ];
    let out = casebook(kb.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let cal = parse_ics(&stdout(&out));
    assert_eq!(
        cal.events.len(),
        12,
        "3 years of Nowruz and of Muharram by default, each with its warning event"
    );
    let uids: HashSet<&str> = cal.events.iter().map(|e| event_prop(e, "UID")).collect();
    assert_eq!(uids.len(), 12, "UIDs are unique");
    let nowruz = cal
        .events
        .iter()
        .find(|e| event_prop(e, "UID") == "nowruz-1406-01-01@casebook")
        .expect("Nowruz 1406");
    assert_eq!(event_prop(nowruz, "DTSTART"), "20270321");
    assert_eq!(
        event_prop(nowruz, "DTEND"),
        "20270403",
        "13 days, DTEND exclusive"
    );
    assert_eq!(
        event_prop(nowruz, "URL"),
        "https://cb.example/calendar/nowruz"
    );
    assert_eq!(nowruz.alarms.len(), 1);
    assert_eq!(prop(&nowruz.alarms[0].properties, "TRIGGER"), Some("-P45D"));
    assert_eq!(
        prop(&nowruz.alarms[0].properties, "ACTION"),
        Some("DISPLAY")
    );
    let description = unescape(event_prop(nowruz, "DESCRIPTION"));
    for expected in [
        "Supplier closed for Nowruz 1405",
        "https://cb.example/cases/2026/nowruz-closure",
        "Get the Nowruz 1406 schedule from every supplier (buyer)",
        "Stock up before 20 Esfand.",
    ] {
        assert!(
            description.contains(expected),
            "{expected:?} in {description}"
        );
    }
    assert!(!description.contains("Already done"));

    // Clients that ignore alarms (Google Calendar) still show the warning day.
    let warning = cal
        .events
        .iter()
        .find(|e| event_prop(e, "UID") == "nowruz-1406-01-01-warning@casebook")
        .expect("the warning event");
    assert_eq!(event_prop(warning, "DTSTART"), "20270204");
    assert!(event_prop(warning, "SUMMARY").contains("Nowruz in 45 days"));
    assert!(unescape(event_prop(warning, "DESCRIPTION")).contains("Get the Nowruz 1406 schedule"));

    // A later, narrower export has the same UIDs for the same occurrences.
    let later = casebook(
        kb.path(),
        &[
            "calendar",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--format",
            "ics",
        ],
    );
    let later = parse_ics(&stdout(&later));
    for e in &later.events {
        assert!(
            uids.contains(event_prop(e, "UID")),
            "{}",
            event_prop(e, "UID")
        );
    }
}

#[test]
fn history_adds_the_anniversaries_of_past_cases() {
    let kb = temp_kb(Some("calendar"));
    let args = [
        "calendar",
        "--from",
        "2027-01-01",
        "--to",
        "2027-12-31",
        "--format",
        "ics",
    ];
    let without = parse_ics(&stdout(&casebook(kb.path(), &args)));
    let with = parse_ics(&stdout(&casebook(
        kb.path(),
        &[&args[..], &["--history"]].concat(),
    )));
    assert_eq!(with.events.len(), without.events.len() + 1);
    let a = with
        .events
        .iter()
        .find(|e| event_prop(e, "UID") == "history-2026-nowruz-closure-1@casebook")
        .expect("one year after 2 Farvardin 1405");
    assert_eq!(event_prop(a, "DTSTART"), "20270322", "2 Farvardin 1406");
    assert!(event_prop(a, "SUMMARY").contains("1 years ago: Supplier closed"));
}

#[test]
fn estimated_lunar_events_are_tentative() {
    let kb = temp_kb(Some("calendar"));
    let out = casebook(
        kb.path(),
        &[
            "calendar",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--format",
            "ics",
        ],
    );
    let cal = parse_ics(&stdout(&out));
    let tasua = cal
        .events
        .iter()
        .find(|e| event_prop(e, "UID").starts_with("tasua-ashura-1449-01-09"))
        .expect("Tasua 1449 in 2027");
    assert_eq!(event_prop(tasua, "STATUS"), "TENTATIVE");
    assert!(event_prop(tasua, "SUMMARY").contains("estimated"));
}

#[test]
fn check_reports_a_broken_recurring_file_and_a_dangling_link_with_their_lines() {
    let kb = temp_kb(Some("recurring_broken"));
    let out = casebook(kb.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains("recurring/bad_rule.md:5:7: error: bad rule: \"Muharram\" is a month of the islamic calendar"),
        "{text}"
    );
    assert!(
        text.contains(
            "dangling_link.md:5:1: warning: 'recurring: nowruzz' names no anticipated crisis"
        ),
        "{text}"
    );
    // The broken file is left out of the calendar, which still runs and says so.
    let cal = casebook(kb.path(), &["calendar", "--from", "2026-01-01"]);
    assert!(cal.status.success());
    assert!(
        stderr(&cal).contains("Run `casebook check`"),
        "{}",
        stderr(&cal)
    );
}

#[test]
fn bad_dates_on_the_command_line_say_what_to_write() {
    let kb = temp_kb(Some("calendar"));
    let out = casebook(kb.path(), &["calendar", "--from", "1405-13-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("month 13"), "{}", stderr(&out));
    let out = casebook(
        kb.path(),
        &["calendar", "--from", "2026-05-01", "--to", "2026-01-01"],
    );
    assert!(
        stderr(&out).contains("is before --from"),
        "{}",
        stderr(&out)
    );
}

/// The anticipated crises shipped in `cases/recurring/` load without a problem and give
/// the published dates.
#[test]
fn the_bundled_calendar_matches_published_dates() {
    let kb = root().join("cases");
    let out = casebook(&kb, &["check", "--json"]);
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let recurring_problems: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["path"].as_str().unwrap().starts_with("recurring"))
        .collect();
    assert!(recurring_problems.is_empty(), "{recurring_problems:#?}");
    assert_eq!(report["anticipated_crises"], 9);

    let v = json(
        &[
            "calendar",
            "--from",
            "2025-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "json",
        ],
        &kb,
    );
    // (crisis, start, end): Iran's official dates (python `holidays` IR, time.ir).
    for (id, start, end) in [
        ("nowruz", "2025-03-21", "2025-04-02"),
        ("nowruz", "2026-03-21", "2026-04-02"),
        ("esfand-year-end", "2025-03-20", "2025-03-20"),
        ("esfand-year-end", "2026-03-20", "2026-03-20"),
        ("tasua-ashura", "2025-07-05", "2025-07-06"),
        ("tasua-ashura", "2026-06-24", "2026-06-25"),
        ("eid-al-fitr", "2025-03-31", "2025-04-01"),
        ("eid-al-fitr", "2026-03-21", "2026-03-22"),
        ("ramadan", "2025-03-02", "2025-03-30"),
        ("ramadan", "2026-02-19", "2026-03-20"),
        ("yalda", "2025-12-21", "2025-12-21"),
        ("school-start", "2025-09-23", "2025-09-23"),
    ] {
        let o = occurrence(&v, id, start);
        assert_eq!(o["end"], end, "{id} {start}");
        assert_eq!(o["estimated"], false, "{id} {start}");
    }
    let election = json(
        &[
            "calendar",
            "--from",
            "2028-01-01",
            "--to",
            "2028-12-31",
            "--format",
            "json",
        ],
        &kb,
    );
    let e = occurrence(&election, "presidential-election", "2028-06-28");
    assert_eq!(e["estimated"], true);
    assert_eq!(e["warn_from"], "2028-02-29");
}
