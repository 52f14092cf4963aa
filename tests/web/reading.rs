//! The pages for every reader (issue 18, server side): results before facets with a
//! heading and a skip link, one permanent status element as the live region, and each
//! block of user text with the direction and language of its own words.

use axum::http::StatusCode;

use super::util::{get, get_with, Kb};

#[tokio::test]
async fn search_puts_results_first_with_a_heading_a_skip_link_and_one_status() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/search?q=supplier&lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    // A keyboard user skips to the results; the results come before the facets.
    assert!(
        b.contains(r##"<a class="skip" href="#results-heading">Skip to the results</a>"##),
        "{b}"
    );
    let heading = b
        .find(r#"id="results-heading""#)
        .expect("a results heading");
    let first_hit = b.find("Packaging supplier stopped deliveries").unwrap();
    let facets = b.find(r#"id="facets-heading""#).expect("a facets heading");
    assert!(
        heading < first_hit && first_hit < facets,
        "results, then facets"
    );
    // Headings in order: h1, then h2 for results and facets, h3 for each facet group.
    assert!(b.contains(r#"<h2 id="facets-heading">"#));
    // One live region, outside what htmx swaps, already holding the count.
    let status = b.find(r#"id="search-status""#).unwrap();
    let results = b.find(r#"<div id="results""#).unwrap();
    assert!(status < results);
    let said = |marker: &str| {
        let start = b.find(marker).unwrap() + marker.len();
        b[start..].split('<').next().unwrap().to_string()
    };
    let status_text = said(r#"aria-atomic="true">"#);
    assert!(status_text.contains("found"), "{status_text}");
    assert_eq!(status_text, said(r#"id="results-count">"#));
    assert_eq!(b.matches("aria-live").count(), 1, "only the status is live");
    assert_eq!(
        b.matches(r#"role="status""#).count(),
        1,
        "one status element"
    );
    // As you type, only the results come back: the status element is not swapped away.
    let typed = get_with(
        &app,
        "/search?q=supplier&lang=en",
        &[("hx-request", "true")],
    )
    .await;
    assert!(!typed.body.contains("search-status"));
    assert!(typed.body.contains(r#"id="results-count""#));
}

#[tokio::test]
async fn user_text_takes_the_direction_and_language_of_its_own_words() {
    let kb = Kb::fixture();
    kb.write(
        "2024/mixed.md",
        concat!(
            "---\ntitle: Supplier closed for Nowruz\ncrisis_type: supply\ndate: 2024-03-10\n",
            "actions:\n  - CRM را خاموش کردیم و سفارش‌ها را تلفنی گرفتیم\n",
            "mistakes:\n  - chapter: suppliers\n    text: We ordered too late.\n",
            "    lesson: سفارش را در بهمن بدهید.\n",
            "followups:\n  - what: Call the second supplier\n    owner: Sara\n    due: 2024-03-20\n",
            "---\n## ماجرا\n\nWe called the supplier on day one.\n\nانبار دوم را اجاره کردیم.\n",
        ),
    );
    let app = kb.app();
    let en = get(&app, "/cases/2024/mixed?lang=en").await;
    assert_eq!(en.status, StatusCode::OK);
    let b = &en.body;
    // A Persian lesson on the English page runs right to left, read in a Persian voice; its
    // label stays apart from it.
    assert!(
        b.contains(
            r#"<strong>Lesson:</strong> <span dir="rtl" lang="fa">سفارش را در بهمن بدهید.</span>"#
        ),
        "{b}"
    );
    // A Persian line that starts with an English word is still Persian.
    assert!(
        b.contains(r#"<li dir="rtl" lang="fa">CRM را خاموش کردیم"#),
        "{b}"
    );
    assert!(
        b.contains(r#"<p dir="ltr" lang="en">We ordered too late.</p>"#),
        "{b}"
    );
    // On the Persian notebook page, the English mistake is English, its full stop at its end.
    let fa = get(&app, "/notebook/suppliers").await;
    assert!(
        fa.body
            .contains(r#"<span dir="ltr" lang="en">We ordered too late.</span>"#),
        "{}",
        fa.body
    );
    // The case a mistake comes from, by its own words too.
    assert!(
        fa.body.contains(
            r#"<a href="/cases/2024/mixed"><bdi dir="ltr" lang="en">Supplier closed for Nowruz</bdi></a>"#
        ),
        "{}",
        fa.body
    );
    // The story: each paragraph by its own words, whatever the page.
    let case = get(&app, "/cases/2024/mixed").await.body;
    for block in [
        r#"<h2 dir="rtl" lang="fa">ماجرا</h2>"#,
        r#"<p dir="ltr" lang="en">We called the supplier on day one.</p>"#,
        r#"<p dir="rtl" lang="fa">انبار دوم را اجاره کردیم.</p>"#,
        // A follow-up and its owner apart from their Persian labels.
        r#"<bdi dir="ltr" lang="en">Call the second supplier</bdi>"#,
        r#"<bdi dir="ltr" lang="en">Sara</bdi>"#,
    ] {
        assert!(case.contains(block), "{block} in {case}");
    }
    // The same on every page that lists user text: home, follow-ups, the digest.
    let title = r#"<a href="/cases/2024/mixed" dir="ltr" lang="en">Supplier closed for Nowruz</a>"#;
    let home = get(&app, "/").await.body;
    assert!(home.contains(title), "{home}");
    let followups = get(&app, "/followups").await.body;
    assert!(
        followups.contains(r#"<bdi dir="ltr" lang="en">Call the second supplier</bdi>"#),
        "{followups}"
    );
    let digest = get(&app, "/digest?month=2024-03").await.body;
    assert!(
        digest.contains(r#"<bdi dir="ltr" lang="en">Call the second supplier</bdi>"#),
        "{digest}"
    );
}

#[tokio::test]
async fn the_styles_give_focus_a_ring_fields_a_visible_border_and_phones_a_compact_menu() {
    let kb = Kb::fixture();
    let css = get(&kb.app(), "/static/app.css").await.body;
    assert!(css.contains(":focus-visible { outline: 3px solid #111"));
    assert!(css.contains("--field: #7b7b7b"));
    assert!(css.contains("flex-wrap: nowrap; overflow-x: auto"));
    assert!(css.contains(
        ".case-form .add-row { margin: .25rem 0; background: var(--card); color: var(--accent)"
    ));
}
