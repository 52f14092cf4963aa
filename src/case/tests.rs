use super::*;
use crate::diag::Severity as DiagSeverity;

fn parse(text: &str) -> Parsed {
    Case::parse("x.md", text.as_bytes(), &Taxonomy::default())
}

#[test]
fn a_complete_case_parses_into_typed_values() {
    let p = parse(
        "---\ntitle: جهش دلار\ncrisis_type: نوسان ارز\ndate: ۱۳۹۱-۰۷-۱۰\nseverity: high\ntags: [ارز, واردات]\n\
mistakes:\n  - chapter: قراردادها\n    text: قرارداد ریالی بستیم\n    lesson: بند تعدیل بگذارید\nfollowups:\n  - what: بازنگری قراردادها\n    done: false\n---\n# بدنه\n",
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let c = p.case.unwrap();
    assert_eq!(c.crisis_type, "currency");
    assert_eq!(c.date.as_ref().unwrap().start.to_string(), "2012-10-01");
    assert_eq!(&*c.mistakes[0].chapter, "contracts");
    assert_eq!(c.severity, Some(Severity::High));
    assert_eq!(c.tags, vec!["ارز", "واردات"]);
    assert_eq!(c.open_followups().count(), 1);
    assert_eq!(c.body_line, 15);
}

#[test]
fn yaml_error_lines_are_file_lines() {
    let p = parse("---\ntitle: a\ncrisis_type: currency\ntags: [a, b\n---\nbody\n");
    let d = &p.diagnostics[0];
    assert!(p.case.is_none());
    assert!(d.line >= 4, "{d}");
    assert!(d.message.to_string().contains("invalid YAML"), "{d}");
}

#[test]
fn unknown_values_warn_and_keep_the_case() {
    let p = parse("---\ntitle: a\ncrisis_type: weather\naliases: [x]\n---\n");
    assert!(p.case.is_some());
    assert!(p
        .diagnostics
        .iter()
        .all(|d| d.severity == DiagSeverity::Warning));
    assert_eq!(p.diagnostics.len(), 2);
    assert_eq!(p.diagnostics[0].line, 3);
    assert_eq!(p.diagnostics[1].line, 4);
    assert_eq!(
        p.case.unwrap().details.extra["aliases"],
        serde_json::json!(["x"])
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let p = parse("\u{feff}---\r\ntitle: a\r\ncrisis_type: currency\r\n---\r\nbody\r\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.case.unwrap().body_line, 5);
    let bytes = "\u{feff}---\r\ntitle: a\r\ncrisis_type: currency\r\n---\r\nbody\r\n";
    assert_eq!(Case::body_of(bytes.as_bytes()).trim(), "body");
}

#[test]
fn nested_problems_point_at_their_line() {
    let p = parse("---\ntitle: a\ncrisis_type: currency\nmistakes:\n  - chapter: contracts\n    text: x\n  - chapter: nowhere\n    text: y\n---\n");
    let d = &p.diagnostics[0];
    assert_eq!((d.line, d.col), (7, 5), "{d}");
}

#[test]
fn problems_in_quoted_keys_and_list_items_point_at_their_line_and_name_the_item() {
    // The lines are only looked for when there is a problem: each kind is checked here.
    let p = parse(
        "---\ntitle: a\ncrisis_type: currency\n\"date\": [1]\ntags:\n  - x\n  - {k: v}\n\
mistakes:\n  - chapter: contracts\n    text: [1, 2]\nfollowups:\n  - what: w\n    due: tomorrow\n---\n",
    );
    let at = |needle: &str| {
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.message.to_string().contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic with {needle:?}: {:?}", p.diagnostics));
        (d.line, d.col)
    };
    assert_eq!(at("'date' must be a date"), (4, 9));
    assert_eq!(at("'tags[2]' must be text"), (7, 3));
    assert_eq!(at("'text' must be text"), (10, 5));
    assert_eq!(at("'due' is not a valid date"), (13, 5));
}

#[test]
fn the_body_is_what_follows_the_front_matter() {
    for (text, body) in [
        (
            "---\ntitle: a\ncrisis_type: currency\n---\n# Story\n\nline two\n",
            "# Story\n\nline two\n",
        ),
        (
            "\u{feff}---\r\ntitle: a\r\ncrisis_type: currency\r\n...\r\nbody\r\n",
            "body\n",
        ),
        ("\n\n---\ntitle: a\ncrisis_type: currency\n---\n", ""),
    ] {
        assert!(parse(text).case.is_some(), "{text:?}");
        assert_eq!(Case::body_of(text.as_bytes()), body, "{text:?}");
    }
    // No front matter (a file being edited, or not a case at all): nothing of it.
    assert_eq!(Case::body_of(b"just text"), "");
    assert_eq!(Case::body_of(b"root:x:0:0:root:/root:/bin/bash\n"), "");
    assert_eq!(Case::body_of(b"---\nunclosed: yes\n"), "");
}

#[test]
fn details_are_kept_apart_yet_read_and_serialised_as_before() {
    let bare = parse("---\ntitle: a\ncrisis_type: currency\n---\n")
        .case
        .unwrap();
    assert_eq!(bare.details, Details::default(), "nothing allocated");
    assert_eq!(bare.details.resources, None);
    let full = parse(
        "---\ntitle: a\ncrisis_type: currency\ndate: 2024-01-02\nended: 2024-01-05\nauthors: [Sara]\n\
resources: cash was short\nenvironment: market closed\ninfrastructure: none\nrecurring: nowruz\naliases: [x]\n---\n",
    )
    .case
    .unwrap();
    assert_ne!(full.details, Details::default());
    assert_eq!(full.details.ended.as_ref().unwrap().original, "2024-01-05");
    assert_eq!(full.details.authors, vec!["Sara"]);
    assert_eq!(full.details.recurring.as_deref(), Some("nowruz"));
    // The JSON of a case has every key at the top, empty ones included, as before.
    for (case, resources) in [
        (&bare, serde_json::Value::Null),
        (&full, "cash was short".into()),
    ] {
        let json = serde_json::to_value(case).unwrap();
        for key in [
            "ended",
            "authors",
            "resources",
            "environment",
            "infrastructure",
            "recurring",
            "extra",
            "title",
        ] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(json["resources"], resources);
        assert!(json.get("details").is_none());
    }
}

#[test]
fn a_yaml_error_after_a_lone_cr_points_inside_the_file() {
    // YAML counts the CR as a line break; the file has three lines.
    let text = "---\ntitle: a\rb: \"open\n---\n";
    let parsed = parse(text);
    let d = &parsed.diagnostics[0];
    assert!(d.line <= 3, "{d}");
}
