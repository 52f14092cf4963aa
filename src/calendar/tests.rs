use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn parse(text: &str) -> ParsedCrisis {
    AnticipatedCrisis::parse(
        "recurring/tasua-ashura.md",
        text.as_bytes(),
        &Taxonomy::default(),
        Arc::new(MonthStarts::default()),
    )
}

const ASHURA: &str = "---
title: تاسوعا و عاشورا
title_en: Tasua and Ashura
crisis_type: seasonal-peak
calendar: islamic
rule: yearly 9 Muharram
lead_days: 30
duration_days: 2
overrides:
  1447: 2025-07-05
sources:
  - https://example.org
---
## پیش از محرم
";

#[test]
fn a_complete_file_parses_and_overrides_give_irans_dates() {
    let p = parse(ASHURA);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let c = p.crisis.unwrap();
    assert_eq!(c.id, "tasua-ashura");
    assert_eq!((c.lead_days, c.duration_days), (30, 2));
    assert_eq!(c.playbook_line, 14);
    let o = c.occurrences(ymd(2025, 1, 1), ymd(2025, 12, 31));
    assert_eq!(o.len(), 1);
    // Ashura 2025 in Iran was 2025-07-06 (Umm al-Qura says 07-05).
    assert_eq!((o[0].start, o[0].end), (ymd(2025, 7, 5), ymd(2025, 7, 6)));
    assert_eq!(o[0].warn_from, ymd(2025, 6, 5));
    assert!(!o[0].estimated);
    assert_eq!(o[0].native_en(), "9 Muharram 1447");
    // Without an override or sighting the next year is computed and marked estimated.
    let next = c.occurrences(ymd(2026, 1, 1), ymd(2026, 12, 31));
    assert!(next[0].estimated);
}

#[test]
fn problems_are_located_in_the_file() {
    let text = ASHURA
        .replace("rule: yearly 9 Muharram", "rule: yearly 9 Moharam")
        .replace("lead_days: 30", "lead_days: soon")
        .replace("  1447: 2025-07-05", "  1447: 2025-13-05")
        .replace("sources:", "source:");
    let p = parse(&text);
    assert!(p.crisis.is_none());
    let found: Vec<(usize, bool, String)> = p
        .diagnostics
        .iter()
        .map(|d| (d.line, d.is_error(), d.message.to_string()))
        .collect();
    assert_eq!(found.len(), 4, "{found:#?}");
    assert_eq!((found[0].0, found[0].1), (6, true), "{}", found[0].2);
    assert!(found[0].2.contains("Moharam"), "{}", found[0].2);
    assert_eq!(p.diagnostics[0].col, 7);
    assert_eq!((found[1].0, found[1].1), (7, true), "{}", found[1].2);
    assert_eq!((found[2].0, found[2].1), (10, true), "{}", found[2].2);
    assert_eq!((found[3].0, found[3].1), (11, false), "{}", found[3].2);
    assert!(
        found[3].2.contains("Did you mean 'sources'"),
        "{}",
        found[3].2
    );
}

#[test]
fn missing_keys_are_errors_that_show_the_line_to_add() {
    let p = parse("---\ntitle: x\n---\n");
    let messages: Vec<String> = p.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages.iter().any(|m| m.contains("`calendar: persian`")),
        "{messages:#?}"
    );
    assert!(messages
        .iter()
        .any(|m| m.contains("`rule: yearly 1 Farvardin`")));
}

#[test]
fn occurrences_link_past_cases_with_open_followups() {
    let c = parse(ASHURA).crisis.unwrap();
    let case = |name: &str, date: &str, extra: &str| {
        let text =
            format!("---\ntitle: {name}\ncrisis_type: seasonal-peak\ndate: {date}\n{extra}---\n");
        crate::case::test_case(format!("{name}.md"), &text)
    };
    let cases = vec![
        case("same-type", "2024-01-01", ""),
        case(
            "linked",
            "2024-07-16",
            "recurring: tasua-ashura\nlessons: [stock early]\nfollowups:\n  - what: renew\n    done: false\n  - what: old\n    done: true\n",
        ),
        case("later", "2025-08-01", "recurring: tasua-ashura\n"),
    ];
    let o = upcoming(&[c], &cases, ymd(2025, 1, 1), ymd(2025, 12, 31));
    let ids: Vec<&str> = o[0].cases.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, vec!["linked", "same-type"]);
    assert_eq!(o[0].cases[0].lessons, vec!["stock early"]);
    assert_eq!(o[0].cases[0].open_followups.len(), 1);
    assert_eq!(o[0].cases[1].link, LinkKind::CrisisType);
}
