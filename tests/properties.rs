//! Property tests of the parts that read hostile input: the front-matter splitter and field
//! parser, date parsing, and the query parser with its snippets. Whatever the input, each
//! gives a result or located diagnostics, never a panic.
//!
//! `cargo test` runs 2,000 cases of each (the search, 500). A longer run, for a change to
//! one of these parts:
//!
//! ```sh
//! CASEBOOK_PROPTEST_CASES=100000 cargo test --release --test properties
//! ```

use std::path::PathBuf;
use std::sync::OnceLock;

use casebook::case::Case;
use casebook::dates::CaseDate;
use casebook::i18n::Lang;
use casebook::index::Index;
use casebook::kb::{Kb, Taxonomy};
use casebook::query::SearchRequest;
use proptest::prelude::*;

/// Cases per property: `CASEBOOK_PROPTEST_CASES`, else `default`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("CASEBOOK_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that front matter is made of, the tricky ones included: YAML's indicators,
/// anchors and aliases, tags, quotes, Persian text with its half-space and kashida, the
/// three sets of digits, CR, BOM, tabs.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---".to_string()),
        Just("...".to_string()),
        Just("title: ".to_string()),
        Just("crisis_type: currency".to_string()),
        Just("date: ".to_string()),
        Just("mistakes:".to_string()),
        Just("  - chapter: contracts".to_string()),
        Just("    text: ".to_string()),
        Just("    lesson: ".to_string()),
        Just("followups:".to_string()),
        Just("  - what: ".to_string()),
        Just("    due: ".to_string()),
        Just("    done: ".to_string()),
        Just("tags: [".to_string()),
        Just("severity: شدید".to_string()),
        Just("recurring: nowruz".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("!tag ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("]".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("#".to_string()),
        Just("|".to_string()),
        Just("\t".to_string()),
        Just("\r".to_string()),
        Just("\u{feff}".to_string()),
        Just("قرارداد\u{200c}ها".to_string()),
        Just("تأمیـــن كننده".to_string()),
        Just("۱۴۰۲-۰۱-۰۱".to_string()),
        Just("١٣٩٨/١٣/٠١".to_string()),
        Just("2024-02-30".to_string()),
        "[a-z ]{0,8}".prop_map(String::from),
        any::<char>().prop_map(String::from),
    ]
}

/// A text that is mostly lines of front-matter pieces.
fn front_matter_like() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(piece(), 0..5).prop_map(|p| p.concat());
    prop::collection::vec(line, 0..24).prop_map(|lines| lines.join("\n"))
}

/// Checks what parsing gave: every diagnostic within the file, no case with an error.
fn check_parsed(text: &[u8]) {
    let parsed = Case::parse(PathBuf::from("p.md"), text, &Taxonomy::default());
    let lines = text.iter().filter(|b| **b == b'\n').count() + 1;
    for d in &parsed.diagnostics {
        assert!(
            d.line >= 1 && d.line <= lines + 1,
            "{d} in a file of {lines} lines"
        );
        assert!(d.col >= 1, "{d}");
        // Told in both languages: a missing translation would show its id instead.
        for lang in [Lang::En, Lang::Fa] {
            let text = d.message.text(lang);
            assert!(!text.is_empty() && text != d.message.id(), "{d} ({lang:?})");
        }
    }
    let has_error = parsed.diagnostics.iter().any(|d| d.is_error());
    assert!(
        !(has_error && parsed.case.is_some()),
        "a case despite an error"
    );
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn any_bytes_parse_to_a_case_or_located_diagnostics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_parsed(&bytes);
    }

    #[test]
    fn any_front_matter_parses_to_a_case_or_located_diagnostics(
        yaml in front_matter_like(),
        body in "[a-zء-ی \n]{0,40}",
    ) {
        check_parsed(format!("---\n{yaml}\n---\n{body}").as_bytes());
        check_parsed(yaml.as_bytes());
        let body_only = Case::body_of(format!("---\n{yaml}\n---\n{body}").as_bytes());
        prop_assert!(body_only.len() <= yaml.len() + body.len() + 8);
    }

    #[test]
    fn any_date_text_is_a_date_or_an_explanation(
        text in prop_oneof![
            any::<String>(),
            "[0-9۰-۹٠-٩]{1,5}[-/][0-9۰-۹٠-٩]{1,3}([-/][0-9۰-۹٠-٩]{1,3})?",
        ]
    ) {
        match CaseDate::parse(&text) {
            Ok(date) => {
                prop_assert!(date.start <= date.end);
                prop_assert!(date.overlaps(date.start, date.start));
                let _ = casebook::dates::format_jalali_fa(date.start);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// A small knowledge base, indexed once for every search property.
fn index() -> &'static (tempfile::TempDir, Index) {
    static INDEX: OnceLock<(tempfile::TempDir, Index)> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            ("a.md", "قرارداد با امضای غیرمجاز", "legal", "contracts", "صاحب امضا را بررسی نکردیم"),
            ("b.md", "Supplier vanished before Nowruz", "supply", "suppliers", "no second supplier"),
            ("c.md", "جهش دلار و قیمت‌گذاری", "currency", "finance", "نرخ ارز را دیر به‌روز کردیم"),
            ("d.md", "Internet shutdown, orders lost", "internet-outage", "it", "no offline channel"),
        ];
        for (name, title, kind, chapter, mistake) in cases {
            let text = format!(
                "---\ntitle: {title}\ncrisis_type: {kind}\ndate: 1402-01-0{}\ntags: [x, قرارداد]\n\
                 mistakes:\n  - chapter: {chapter}\n    text: {mistake}\n    lesson: {mistake}\n---\n\
                 {title}. {mistake}. Body words: contract signatory dollar تأمین‌کننده.\n",
                name.len()
            );
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let kb = Kb::open(dir.path()).unwrap();
        let index = Index::open(&kb).unwrap();
        (dir, index)
    })
}

/// Query pieces: words that match, the query language's operators, and the spellings
/// search folds together.
fn query_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("قرارداد".to_string()),
        Just("supplier".to_string()),
        Just("دلار".to_string()),
        Just("contract".to_string()),
        Just("\"".to_string()),
        Just("-".to_string()),
        Just("title:".to_string()),
        Just("chapter:".to_string()),
        Just("*".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("+".to_string()),
        Just("~2".to_string()),
        Just("^3".to_string()),
        Just(" AND ".to_string()),
        Just(" OR ".to_string()),
        Just(" ".to_string()),
        Just("\u{200c}".to_string()),
        Just("ـ".to_string()),
        Just("ي".to_string()),
        Just("۱۴۰۲".to_string()),
        Just("<mark>".to_string()),
        Just("&amp;".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

proptest! {
    #![proptest_config(config(500))]

    #[test]
    fn any_query_gives_results_or_warnings_never_a_panic(
        pieces in prop::collection::vec(query_piece(), 0..10),
        chapter in prop::option::of(prop_oneof![Just("contracts".to_string()), "[a-zا-ی]{0,6}"]),
        since in prop::option::of(prop_oneof![Just("1402".to_string()), "[0-9۰-۹/-]{0,10}"]),
    ) {
        let (_, index) = index();
        let req = SearchRequest {
            q: pieces.concat(),
            chapter,
            since,
            ..SearchRequest::default()
        };
        let results = index.search(&req);
        if let Ok(results) = results {
            prop_assert!(results.hits.len() <= results.total);
            for hit in &results.hits {
                // A snippet's highlights are ordered, apart, and on its characters.
                let mut at = 0;
                for &[start, end] in &hit.snippet.highlights {
                    prop_assert!(at <= start && start < end, "{:?}", hit.snippet);
                    prop_assert!(hit.snippet.text.get(start..end).is_some(), "{:?}", hit.snippet);
                    at = end;
                }
            }
        }
    }
}
