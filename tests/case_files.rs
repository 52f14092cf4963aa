//! `casebook check` and `casebook new` as a user runs them: the real binary on temp folders.

mod common;

use common::{casebook, copy_dir, root, stderr, stdout, temp_kb};
use serde_json::Value;

/// Every malformed fixture with the diagnostic it must produce: file, line, column,
/// severity and a part of the message that tells the user what to do.
const EXPECTED: &[(&str, usize, usize, &str, &str)] = &[
    (
        "actions_is_a_map.md",
        4,
        9,
        "error",
        "'actions' must be a list",
    ),
    (
        "date_esfand_30_not_leap.md",
        4,
        7,
        "error",
        "Esfand 1401 has no day 30",
    ),
    (
        "date_february_30.md",
        4,
        7,
        "error",
        "2023-02 has no day 30",
    ),
    (
        "date_is_a_list.md",
        4,
        7,
        "error",
        "'date' must be a date like 2012-10-01",
    ),
    (
        "date_month_13.md",
        4,
        7,
        "error",
        "has month 13, which does not exist",
    ),
    (
        "date_not_a_date.md",
        4,
        7,
        "error",
        "Write YYYY-MM-DD, YYYY-MM or YYYY",
    ),
    ("empty.md", 1, 1, "error", "the file is empty"),
    ("empty_title.md", 2, 8, "error", "'title' is empty"),
    (
        "ended_impossible.md",
        5,
        8,
        "error",
        "2019-11 has no day 31",
    ),
    (
        "followup_bad_due.md",
        7,
        5,
        "error",
        "Mehr 1403 has no day 32",
    ),
    (
        "followup_done_not_bool.md",
        6,
        5,
        "error",
        "'done' must be true or false",
    ),
    (
        "front_matter_is_a_list.md",
        2,
        1,
        "error",
        "not a set of `key: value` lines",
    ),
    ("invalid_utf8.md", 2, 8, "error", "invalid UTF-8"),
    (
        "invalid_yaml_colon_in_value.md",
        6,
        3,
        "error",
        "invalid YAML in front matter",
    ),
    (
        "invalid_yaml_unclosed_list.md",
        5,
        5,
        "error",
        "did not find expected ',' or ']'",
    ),
    (
        "missing_crisis_type.md",
        1,
        1,
        "error",
        "missing required key 'crisis_type'",
    ),
    (
        "missing_title.md",
        1,
        1,
        "error",
        "missing required key 'title'",
    ),
    (
        "mistake_is_text.md",
        7,
        3,
        "error",
        "mistakes item 2 must be a set of keys",
    ),
    (
        "mistake_without_text.md",
        5,
        3,
        "error",
        "mistake 1 has no 'text'",
    ),
    (
        "mistakes_not_a_list.md",
        4,
        11,
        "error",
        "'mistakes' must be a list of items",
    ),
    (
        "no_front_matter.md",
        1,
        1,
        "error",
        "Did you forget the opening `---`?",
    ),
    (
        "severity_unknown.md",
        4,
        11,
        "error",
        "Write one of: low, medium, high, critical",
    ),
    ("status_unknown.md", 4, 9, "error", "Write draft or final"),
    (
        "title_is_a_list.md",
        2,
        7,
        "error",
        "'title' must be text, found a list",
    ),
    (
        "unterminated_front_matter.md",
        1,
        1,
        "error",
        "unterminated front matter",
    ),
    ("whitespace_only.md", 1, 1, "error", "the file is empty"),
    (
        "warn_ended_before_date.md",
        5,
        8,
        "warning",
        "'ended' (2019-11-15) is before 'date'",
    ),
    (
        "warn_unknown_chapter.md",
        5,
        5,
        "warning",
        "unknown chapter \"marketing\"",
    ),
    (
        "warn_unknown_crisis_type.md",
        3,
        14,
        "warning",
        "unknown crisis type \"weather\"",
    ),
    (
        "warn_unknown_key_typo.md",
        4,
        1,
        "warning",
        "Did you mean 'lessons'?",
    ),
];

fn check_json(kb: &std::path::Path) -> (Value, i32) {
    let out = casebook(kb, &["check", "--json"]);
    let json: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(&out)));
    (json, out.status.code().unwrap_or(-1))
}

#[test]
fn every_malformed_fixture_gets_its_located_message() {
    let kb = temp_kb(Some("malformed"));
    let (json, code) = check_json(kb.path());
    assert_eq!(code, 1, "errors must exit 1");
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    for (file, line, col, severity, needle) in EXPECTED {
        let found = diags.iter().any(|d| {
            d["path"] == *file
                && d["line"] == *line
                && d["col"] == *col
                && d["severity"] == *severity
                && d["message"].as_str().unwrap_or("").contains(needle)
        });
        assert!(
            found,
            "{file}:{line}:{col}: {severity}: …{needle}… not in {diags:#?}"
        );
    }
    // No fixture produces an unexpected diagnostic.
    assert_eq!(diags.len(), EXPECTED.len(), "{diags:#?}");
    let fixtures = std::fs::read_dir(root().join("tests/fixtures/malformed"))
        .unwrap()
        .count();
    assert_eq!(
        fixtures,
        EXPECTED.len(),
        "every fixture has one expected message"
    );
}

#[test]
fn one_bad_file_never_hides_the_good_ones() {
    let kb = temp_kb(Some("malformed"));
    copy_dir(&root().join("tests/fixtures/good"), kb.path());
    let (json, code) = check_json(kb.path());
    assert_eq!(code, 1);
    // 3 good cases + the 4 that only have warnings.
    assert_eq!(json["cases"], 7, "{json:#}");
    assert_eq!(json["errors"], 26);
    assert_eq!(json["warnings"], 4);
}

#[test]
fn good_cases_check_clean_with_bom_crlf_and_arabic_letters() {
    let kb = temp_kb(Some("good"));
    let out = casebook(kb.path(), &["check"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("3 case(s) loaded, 0 error(s), 0 warning(s)"));
}

#[test]
fn text_output_reads_like_a_compiler() {
    let kb = temp_kb(None);
    std::fs::create_dir(kb.path().join("2019")).unwrap();
    std::fs::write(
        kb.path().join("2019/shutdown.md"),
        "---\ntitle: قطعی\ncrisis_type: internet-outage\ndate: 1398-13-01\n---\n",
    )
    .unwrap();
    let out = casebook(kb.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "2019/shutdown.md:4:7: error: 'date' is not a valid date: “1398-13-01” has month 13, which does not exist: months run from 1 to 12."
    );
    // In Persian, the message and its date's digits; the prefix stays for tools.
    let out = casebook(kb.path(), &["check", "--lang", "fa"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout(&out).trim(),
        "2019/shutdown.md:4:7: error: 'date' تاریخ درستی نیست: «\u{2068}۱۳۹۸-۱۳-۰۱\u{2069}» ماه ۱۳ دارد که وجود ندارد؛ ماه‌ها از ۱ تا ۱۲ هستند."
    );
    assert!(
        stderr(&out).contains("۰ پرونده بارگذاری شد، ۱ خطا"),
        "{}",
        stderr(&out)
    );
    let out = casebook(kb.path(), &["check", "--lang", "de"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("write fa or en"), "{}", stderr(&out));
}

#[test]
fn ids_differing_only_in_spelling_are_duplicates() {
    let kb = temp_kb(None);
    let body = "---\ntitle: a\ncrisis_type: currency\n---\n";
    std::fs::write(kb.path().join("Dollar.md"), body).unwrap();
    std::fs::write(kb.path().join("dollar.md"), body).unwrap();
    let (json, code) = check_json(kb.path());
    assert_eq!(code, 1);
    let msg = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("duplicate id"), "{msg}");
    assert_eq!(json["cases"], 1);
}

#[test]
fn hidden_folders_are_not_cases() {
    let kb = temp_kb(Some("good"));
    for dir in [".obsidian", ".casebook", ".git"] {
        std::fs::create_dir_all(kb.path().join(dir)).unwrap();
        std::fs::write(kb.path().join(dir).join("x.md"), "not a case").unwrap();
    }
    let (json, code) = check_json(kb.path());
    assert_eq!(json["cases"], 3);
    assert_eq!(code, 0, "{json:#}");
}

#[test]
fn new_writes_a_case_that_passes_check_then_breaking_it_is_reported() {
    let kb = temp_kb(None);
    let out = casebook(
        kb.path(),
        &[
            "new",
            "--title",
            "قرارداد با امضای غیرمجاز",
            "--type",
            "حقوقی",
            "--date",
            "۱۳۹۵-۰۳-۱۰",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let path = std::path::PathBuf::from(stdout(&out).trim());
    assert_eq!(
        path.file_name().unwrap().to_string_lossy(),
        "1395-03-10-قرارداد-با-امضای-غیرمجاز.md"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"قرارداد با امضای غیرمجاز\""),
        "{text}"
    );
    assert!(text.contains("crisis_type: \"legal\""), "{text}");
    // A Persian knowledge base gets the Persian template: prompts as comments, empty values.
    assert!(text.contains("## چه شد"), "{text}");
    assert!(text.contains("# چه اشتباهی کردیم"), "{text}");
    assert!(!text.contains("What we did"), "{text}");
    // It loads, and check flags every part still to fill in, in the reader's language.
    let check = casebook(kb.path(), &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    for needle in [
        ":16:3: warning: actions item 1 is empty",
        ":19:3: warning: mistake 1 is empty",
        ":24:3: warning: lessons item 1 is empty",
        ":27:3: warning: follow-up 1 is empty",
        ": warning: the story has headings but nothing under them",
    ] {
        assert!(
            stdout(&check).contains(needle),
            "{needle}\n{}",
            stdout(&check)
        );
    }
    let fa = casebook(kb.path(), &["check", "--lang", "fa"]);
    assert!(
        stdout(&fa).contains(":19:3: warning: اشتباه ۱ خالی است"),
        "{}",
        stdout(&fa)
    );
    // Filled in, the warnings go.
    let filled = text
        .replacen("  - \"\"", "  - Signed with the sales manager", 1)
        .replacen("chapter: \"\"", "chapter: contracts", 1)
        .replacen("text: \"\"", "text: Nobody checked who may sign", 1)
        .replacen("lesson: \"\"", "lesson: Ask for the signatory list", 1)
        .replacen("  - \"\"", "  - Check the newspaper of record", 1)
        .replacen("what: \"\"", "what: Get the list from the registry", 1)
        .replace("## چه شد\n", "## چه شد\nقرارداد باطل شد.\n");
    std::fs::write(&path, &filled).unwrap();
    let check = casebook(kb.path(), &["check"]);
    assert!(
        check.status.success() && stdout(&check).is_empty(),
        "{}",
        stdout(&check)
    );

    // Break it on purpose: an impossible Jalali date.
    std::fs::write(
        &path,
        text.replace("date: \"1395-03-10\"", "date: \"1395-02-32\""),
    )
    .unwrap();
    let check = casebook(kb.path(), &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout(&check).contains("1395-03-10-قرارداد-با-امضای-غیرمجاز.md:4:7: error: 'date' is not a valid date: “1395-02-32” is not a real day: Ordibehesht 1395 has no day 32"),
        "{}",
        stdout(&check)
    );
}

/// Files written from the English template of earlier versions kept its example texts as
/// values; they are warned about and never read as a real mistake, lesson or follow-up.
#[test]
fn example_texts_of_an_old_template_never_reach_the_notebook() {
    let kb = temp_kb(None);
    std::fs::write(
        kb.path().join("2024-05-01-old.md"),
        "---\ntitle: Old template\ncrisis_type: supply\ndate: 2024-05-01\nactions:\n  - What we did first\n  - Called the supplier\nmistakes:\n  - chapter: contracts\n    text: What we did wrong\n    lesson: What to do instead next time\n  - chapter: contracts\n    text: No penalty clause\nlessons:\n  - The lesson to read before the next decision\nfollowups:\n  - what: Something still to do\n    owner: Who\n    due: 2024-05-01\n    done: false\n---\nThe supplier vanished.\n",
    )
    .unwrap();
    let check = casebook(kb.path(), &["check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    for needle in [
        ":6:3: warning: actions item 1 is the template's example \"What we did first\"",
        ":10:5: warning: 'text' is the template's example \"What we did wrong\"",
        ":11:5: warning: 'lesson' is the template's example",
        ":9:3: warning: mistake 1 is empty",
        ":15:3: warning: lessons item 1 is the template's example",
        ": warning: follow-up 1 is empty",
    ] {
        assert!(
            stdout(&check).contains(needle),
            "{needle}\n{}",
            stdout(&check)
        );
    }
    let notebook = casebook(kb.path(), &["mistakes", "--chapter", "contracts"]);
    assert!(notebook.status.success(), "{}", stderr(&notebook));
    assert!(
        stdout(&notebook).contains("No penalty clause"),
        "{}",
        stdout(&notebook)
    );
    assert!(
        !stdout(&notebook).contains("What we did wrong"),
        "{}",
        stdout(&notebook)
    );
    let found = casebook(kb.path(), &["search", "\"What we did wrong\"", "--json"]);
    assert!(found.status.success(), "{}", stderr(&found));
    assert!(
        stdout(&found).contains("\"total\": 0"),
        "{}",
        stdout(&found)
    );
}

#[test]
fn new_never_overwrites() {
    let kb = temp_kb(None);
    let args = [
        "new",
        "--title",
        "Supplier vanished",
        "--type",
        "supply",
        "--date",
        "2024-03-10",
    ];
    assert!(casebook(kb.path(), &args).status.success());
    let file = kb.path().join("2024-03-10-supplier-vanished.md");
    std::fs::write(&file, "my edits").unwrap();
    let again = casebook(kb.path(), &args);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("exists already; nothing was written"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my edits");
    let visible = std::fs::read_dir(kb.path())
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    let tmp = kb.path().join(".casebook/tmp");
    assert_eq!(
        std::fs::read_dir(tmp).unwrap().count(),
        0,
        "no temp file left behind"
    );
    assert_eq!(visible, 1, "no temp file left behind");
}

#[test]
fn new_explains_bad_input() {
    let kb = temp_kb(None);
    let out = casebook(
        kb.path(),
        &[
            "new",
            "--title",
            "x",
            "--type",
            "supply",
            "--date",
            "1398-13-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--date: \"1398-13-01\" has month 13"),
        "{}",
        stderr(&out)
    );
    let out = casebook(kb.path(), &["new", "--type", "supply"]);
    assert!(
        stderr(&out).contains("--title is required when not run in a terminal"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_custom_template_in_the_kb_is_used() {
    let kb = temp_kb(None);
    std::fs::create_dir(kb.path().join("templates")).unwrap();
    std::fs::write(
        kb.path().join("templates/case.md"),
        "---\ntitle: {{title}}\ncrisis_type: {{crisis_type}}\ndate: {{date}}\ntags: [ours]\n---\n## روایت\n",
    )
    .unwrap();
    let out = casebook(
        kb.path(),
        &["new", "--title", "T", "--type", "supply", "--date", "2024"],
    );
    let text = std::fs::read_to_string(stdout(&out).trim()).unwrap();
    assert!(
        text.contains("tags: [ours]") && text.contains("## روایت"),
        "{text}"
    );
    assert!(casebook(kb.path(), &["check"]).status.success());
}

#[test]
fn a_missing_kb_folder_is_a_clear_error() {
    let out = casebook(std::path::Path::new("/nonexistent/kb"), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/kb: not a folder"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn digest_of_a_month_in_either_language_and_format() {
    let kb = temp_kb(Some("good"));
    let out = casebook(kb.path(), &["digest", "--month", "2024-03", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("# Lessons digest: March 2024"), "{text}");
    assert!(
        text.contains("### Supplier closed for Nowruz (March 2024)"),
        "{text}"
    );
    // Due in February 2025: neither overdue nor due next month, so not in this digest.
    assert!(
        text.contains("No follow-up is overdue or due next month."),
        "{text}"
    );
    // Every chapter comes back in turn: this month's reread is a contracts mistake.
    assert!(text.contains("## From the notebook"), "{text}");
    assert!(
        text.contains("- **Contracts**: امضاكننده صاحب امضا نبود"),
        "{text}"
    );

    // The same month in Jalali digits, told in Persian: Jalali dates, Persian digits.
    let fa = casebook(kb.path(), &["digest", "--month", "۱۳۹۵-۰۳", "--lang", "fa"]);
    let text = stdout(&fa);
    assert!(text.contains("# گزارش ماهانه‌ی درس‌ها: خرداد ۱۳۹۵"), "{text}");
    assert!(text.contains("**قراردادها**"), "{text}");
    assert!(text.contains("۱ پرونده در این ماه"), "{text}");
    assert!(
        !text.contains("2016"),
        "no Gregorian date first in Persian: {text}"
    );

    // JSON, by --format or its old synonym --json.
    for args in [["--format", "json"], ["--json", "--lang"]] {
        let mut all = vec!["digest", "--month", "۱۳۹۵-۰۳"];
        all.extend(args);
        if args[1] == "--lang" {
            all.push("en");
        }
        let json = casebook(kb.path(), &all);
        assert!(json.status.success(), "{}", stderr(&json));
        let v: Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(v["month"]["label"], "1395-03");
        assert_eq!(v["cases"][0]["id"], "arabic_letters");
        assert_eq!(
            v["cases"][0]["chapters"][0]["mistakes"][0]["lesson"],
            "اساسنامه و روزنامه رسمي را ببينيد"
        );
        assert_eq!(v["counts"]["by_chapter"][0][0], "contracts");
    }

    // One self-contained HTML file, right to left in Persian.
    let html = casebook(
        kb.path(),
        &[
            "digest", "--month", "1395-03", "--format", "html", "--lang", "fa",
        ],
    );
    assert!(html.status.success(), "{}", stderr(&html));
    let page = stdout(&html);
    assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
    assert!(page.contains(r#"<html lang="fa" dir="rtl">"#), "{page}");
    assert!(page.contains("امضاكننده صاحب امضا نبود"));
    for external in ["<script", "<link", "src=\"http", "url(", "@import"] {
        assert!(
            !page.contains(external),
            "{external} in a self-contained file"
        );
    }
    assert!(!page.contains("href=\"/"), "no link without --base-url");
    let linked = casebook(
        kb.path(),
        &[
            "digest",
            "--month",
            "1395-03",
            "--format",
            "html",
            "--base-url",
            "https://cases.example.org/",
        ],
    );
    assert!(
        stdout(&linked).contains(r#"href="https://cases.example.org/cases/arabic_letters""#),
        "{}",
        stdout(&linked)
    );

    // A base URL that is not a web address never becomes a link.
    let hostile = casebook(
        kb.path(),
        &[
            "digest",
            "--format",
            "html",
            "--base-url",
            "javascript:alert(1)",
        ],
    );
    assert_eq!(hostile.status.code(), Some(2));
    assert!(
        stderr(&hostile).contains("--base-url") && stderr(&hostile).contains("https://"),
        "{}",
        stderr(&hostile)
    );
    assert!(hostile.stdout.is_empty());

    let bad = casebook(kb.path(), &["digest", "--month", "1395-13", "--lang", "en"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("has month 13"), "{}", stderr(&bad));
}

#[test]
fn followups_are_listed_overdue_first_and_filtered() {
    let kb = temp_kb(Some("good"));
    let out = casebook(kb.path(), &["followups", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    let overdue: Vec<bool> = rows
        .iter()
        .map(|r| r["overdue"].as_bool().unwrap())
        .collect();
    assert!(
        overdue.windows(2).all(|w| w[0] >= w[1]),
        "overdue first: {overdue:?}"
    );
    let text = casebook(kb.path(), &["followups", "--owner", "purchasing"]);
    assert!(
        stdout(&text).contains("Order two months of stock in Bahman"),
        "{}",
        stdout(&text)
    );
    let none = casebook(kb.path(), &["followups", "--owner", "nobody at all"]);
    assert!(stdout(&none).is_empty(), "{}", stdout(&none));
    let bad = casebook(kb.path(), &["followups", "--chapter", "nope"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown chapter"), "{}", stderr(&bad));
}

/// Regression: `casebook check --json | head` panicked with "failed printing to stdout: Broken pipe".
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let kb = temp_kb(None);
    // Far more output than a pipe buffer holds, so the writer meets the closed pipe.
    for i in 0..1500 {
        std::fs::write(kb.path().join(format!("empty-{i}.md")), "").unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--kb")
        .arg(kb.path())
        .args(["check", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // read a byte, then close the pipe
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn digest_lists_the_crises_coming_next_month_with_cases_to_reread() {
    let kb = temp_kb(Some("good"));
    std::fs::create_dir(kb.path().join("recurring")).unwrap();
    std::fs::copy(
        root().join("cases/recurring/nowruz.md"),
        kb.path().join("recurring/nowruz.md"),
    )
    .unwrap();
    // The month before Nowruz 1404 (2025-03-21) in the Jalali calendar: Bahman 1403.
    let out = casebook(kb.path(), &["digest", "--month", "1403-11", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["next_month"]["label"], "1403-12");
    let coming = v["coming"].as_array().unwrap();
    assert_eq!(coming.len(), 1, "{coming:#?}");
    assert_eq!(coming[0]["occurrence"]["crisis_id"], "nowruz");
    assert_eq!(coming[0]["occurrence"]["start"], "2025-03-21");
    assert!(
        coming[0]["playbook"][0]
            .as_str()
            .is_some_and(|l| !l.is_empty()),
        "{coming:#?}"
    );
    // Nowruz's warning window (45 days) opens in Bahman: not yet in the digest of Azar.
    let azar = casebook(kb.path(), &["digest", "--month", "1403-09", "--json"]);
    let v: Value = serde_json::from_slice(&azar.stdout).unwrap();
    assert_eq!(v["coming"].as_array().unwrap().len(), 0);
}

#[test]
fn a_case_named_like_a_page_is_warned_about() {
    let kb = temp_kb(None);
    std::fs::write(
        kb.path().join("new.md"),
        "---\ntitle: a\ncrisis_type: currency\n---\n",
    )
    .unwrap();
    let (json, code) = check_json(kb.path());
    assert_eq!(code, 0);
    assert_eq!(json["cases"], 1);
    let msg = json["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        msg.contains("also a page of the web app (/cases/new)"),
        "{msg}"
    );
}

/// A broken glossary is reported by `check` with its line, and search still works.
#[test]
fn a_broken_glossary_is_a_located_error_and_search_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::root().join("tests/fixtures/fa-spellings"),
        dir.path(),
    );
    std::fs::write(
        dir.path().join("glossary.toml"),
        "terms = [\n  [\"widget\", \"ویجت\"],\n  [\"broken\"\n]\n",
    )
    .unwrap();
    let out = common::casebook(dir.path(), &["check"]);
    let text = common::stdout(&out) + &common::stderr(&out);
    assert!(text.contains("glossary.toml:"), "{text}");
    let out = common::casebook(dir.path(), &["search", "contract"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("supplier-delay"),
        "the built-in glossary still applies"
    );
}

#[test]
fn init_makes_a_knowledge_base_that_checks_clean_with_the_calendar_and_git() {
    let parent = tempfile::tempdir().unwrap();
    let kb = parent.path().join("team");
    let out = casebook(parent.path(), &["init", kb.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    for file in [
        "casebook.toml",
        ".gitignore",
        "README.md",
        "templates/case.md",
        "recurring/nowruz.md",
        "recurring/tasua-ashura.md",
        "recurring/hijri-months.yaml",
    ] {
        assert!(kb.join(file).is_file(), "{file}");
    }
    assert!(std::fs::read_to_string(kb.join("templates/case.md"))
        .unwrap()
        .contains("## چه شد"));
    assert!(std::fs::read_to_string(kb.join(".gitignore"))
        .unwrap()
        .contains(".casebook/"));
    // It passes check, the README is not taken for a case, and the calendar has Nowruz and
    // Muharram.
    let (json, code) = check_json(&kb);
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(
        (json["cases"].as_u64(), json["warnings"].as_u64()),
        (Some(0), Some(0)),
        "{json:#}"
    );
    assert!(
        json["anticipated_crises"].as_u64().unwrap() >= 9,
        "{json:#}"
    );
    let calendar = casebook(
        &kb,
        &[
            "calendar",
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-31",
            "--format",
            "json",
        ],
    );
    let text = stdout(&calendar);
    assert!(
        text.contains("\"nowruz\"") && text.contains("\"tasua-ashura\""),
        "{text}"
    );
    // git: one first commit holding the files.
    if std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok()
    {
        let log = std::process::Command::new("git")
            .arg("-C")
            .arg(&kb)
            .args(["log", "--oneline"])
            .output()
            .unwrap();
        assert_eq!(stdout(&log).lines().count(), 1, "{}", stdout(&log));
        assert!(stdout(&out).contains("first commit"), "{}", stdout(&out));
    } else {
        assert!(std::env::var("CI").is_err(), "git is needed under CI");
    }
    // Run again: nothing is touched.
    std::fs::write(kb.join("casebook.toml"), "default_lang = \"en\"\n").unwrap();
    let again = casebook(
        parent.path(),
        &["init", kb.to_str().unwrap(), "--lang", "en"],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!stdout(&again).contains("created"), "{}", stdout(&again));
    assert_eq!(
        std::fs::read_to_string(kb.join("casebook.toml")).unwrap(),
        "default_lang = \"en\"\n"
    );
    assert!(
        stdout(&again).contains("git: the folder is in a repository already"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn init_in_english_writes_the_english_template_and_readme() {
    let parent = tempfile::tempdir().unwrap();
    let kb = parent.path().join("team");
    let out = casebook(
        parent.path(),
        &["init", kb.to_str().unwrap(), "--lang", "en"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(kb.join("templates/case.md"))
        .unwrap()
        .contains("## What happened"));
    assert!(std::fs::read_to_string(kb.join("README.md"))
        .unwrap()
        .starts_with("# Our crisis cases"));
    assert!(std::fs::read_to_string(kb.join("casebook.toml"))
        .unwrap()
        .contains("default_lang = \"en\""));
    let new = casebook(
        &kb,
        &[
            "new",
            "--title",
            "Supplier vanished",
            "--type",
            "supply",
            "--date",
            "2026-11-02",
        ],
    );
    assert!(new.status.success(), "{}", stderr(&new));
    let (json, code) = check_json(&kb);
    assert_eq!((code, json["cases"].as_u64()), (0, Some(1)), "{json:#}");
}

#[test]
fn version_completions_and_the_manual_come_from_the_command_definitions() {
    let kb = temp_kb(None);
    let version = casebook(kb.path(), &["--version"]);
    let text = stdout(&version);
    assert!(
        text.starts_with("casebook ") && text.contains(" ("),
        "{text}"
    );
    let bash = casebook(kb.path(), &["completions", "bash"]);
    assert!(stdout(&bash).contains("_casebook()") && stdout(&bash).contains("digest"));
    let fish = casebook(kb.path(), &["completions", "fish"]);
    assert!(
        stdout(&fish).contains("complete -c casebook"),
        "{}",
        stdout(&fish)
    );
    let man = casebook(kb.path(), &["man"]);
    assert!(stdout(&man).contains(".TH casebook 1"), "{}", stdout(&man));
    assert!(stdout(&man).contains("init"), "subcommands are listed");
}

/// The bundled knowledge base makes a useful digest of Aban 1405: the month's mistakes by
/// chapter, two that repeat the Aban 1398 shutdown with its lessons, follow-ups by owner,
/// Yalda coming, and the reread.
#[test]
fn the_bundled_cases_make_a_useful_digest_of_aban_1405() {
    let kb = temp_kb(None);
    copy_dir(&root().join("cases"), kb.path());
    let out = casebook(kb.path(), &["digest", "--month", "1405-08", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["counts"]["cases"], 1);
    assert_eq!(d["counts"]["by_chapter"].as_array().unwrap().len(), 3);
    let repeats = d["repeats"].as_array().unwrap();
    assert_eq!(repeats.len(), 2, "{repeats:#?}");
    for r in repeats {
        assert_eq!(
            r["earlier"][0]["case_id"],
            "2019/internet-shutdown-aban-1398"
        );
        assert!(r["earlier"][0]["mistake"]["lesson"].is_string());
    }
    let owners: Vec<&str> = d["followups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["owner"].as_str().unwrap())
        .collect();
    assert!(
        owners.contains(&"مدیر فنی") && owners.contains(&"مسئول بازاریابی"),
        "{owners:?}"
    );
    let coming: Vec<&str> = d["coming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["occurrence"]["crisis_id"].as_str().unwrap())
        .collect();
    assert!(coming.contains(&"yalda"), "{coming:?}");
    assert_eq!(d["reread"].as_array().unwrap().len(), 3);
    // In English, the same month is November 2026 in Gregorian.
    let en = casebook(kb.path(), &["digest", "--month", "2026-11", "--lang", "en"]);
    let text = stdout(&en);
    assert!(
        text.contains("# Lessons digest: November 2026") && text.contains("## Repeats"),
        "{text}"
    );
    assert!(text.contains("Much the same: "), "{text}");
}
