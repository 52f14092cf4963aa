//! HTTP tests of the web app against the real router (`tower::ServiceExt::oneshot`, no
//! socket), on a copy of `tests/fixtures/web`: every page, the API, and hostile input.

mod api;
mod auth;
mod calendar;
mod digest;
mod edit;
mod forms;
mod live;
mod reading;
mod regression;
mod sync;
mod util;

use axum::http::StatusCode;
use util::{eventually, get, get_with, refresh, Kb};

#[tokio::test]
async fn home_is_persian_by_default_with_latest_cases_and_the_broken_count() {
    let kb = Kb::fixture();
    let r = get(&kb.app(), "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(r#"<html lang="fa" dir="rtl">"#),
        "{}",
        r.body
    );
    assert!(r.body.contains("قرارداد فروش ریالی در جهش دلار"));
    assert!(r.body.contains("۴ پرونده"), "Persian digits in counts");
    assert!(r.body.contains("۱ پرونده ایراد دارد"));
    assert!(r.body.contains(r#"href="/problems""#));
    // Newest first: the 2023 case before the 2018 one.
    let (a, b) = (
        r.body.find("Hostile title").unwrap(),
        r.body.find("قرارداد فروش ریالی").unwrap(),
    );
    assert!(a < b);
    // This fixture has no recurring/ folder: the calendar block says so, and shows nothing
    // made up (tests/web/calendar.rs covers a knowledge base with anticipated crises).
    assert!(r.body.contains("در ۶۰ روز آینده بحران پیش‌بینی‌شده‌ای نیست"));
}

#[tokio::test]
async fn english_comes_from_the_browser_the_switch_and_the_cookie() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get_with(&app, "/", &[("accept-language", "en-US,en;q=0.9")]).await;
    assert!(r.body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(r.body.contains("1 file has errors"));
    assert!(r.body.contains("4 cases"));

    let r = get(&app, "/notebook?lang=en").await;
    assert!(r.body.contains(r#"<html lang="en" dir="ltr">"#));
    let cookie = r.header("set-cookie").expect("the switch sets a cookie");
    assert!(cookie.starts_with("lang=en;"), "{cookie}");
    assert!(
        r.body.contains(r#"href="?lang=fa""#),
        "the switch goes back"
    );

    let r = get_with(
        &app,
        "/",
        &[("cookie", "x=1; lang=en"), ("accept-language", "fa")],
    )
    .await;
    assert!(r.body.contains(r#"lang="en""#), "cookie beats the browser");
}

#[tokio::test]
async fn a_case_page_shows_the_summary_both_calendars_the_story_and_related_cases() {
    let kb = Kb::fixture();
    let r = get(&kb.app(), "/cases/1397/dollar-contract").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains(r#"<h1 dir="rtl" lang="fa">قرارداد فروش ریالی در جهش دلار"#));
    assert!(b.contains("نوسان ارز"), "crisis type label");
    assert!(b.contains("۱۵ مرداد ۱۳۹۷"), "Jalali first");
    assert!(
        b.contains("۶ اوت ۲۰۱۸"),
        "Gregorian beside, as Persian readers write it"
    );
    assert!(
        !b.contains("۲۰۱۸-۰۸-۰۶"),
        "no ISO date in a right-to-left line"
    );
    assert!(b.contains("زیاد"), "severity in Persian");
    assert!(b.contains("شرکت پخش البرز"));
    assert!(b.contains(r#"href="/notebook/contracts""#));
    assert!(b.contains("بند تعدیل قیمت بر پایهٔ نرخ ارز"));
    assert!(
        b.contains("انجام شد") && b.contains("باز"),
        "follow-up states"
    );
    assert!(b.contains("<strong>دو برابر</strong>"), "Markdown rendered");
    assert!(
        b.contains(r#"href="/cases/2022/supplier-default""#),
        "related by chapter"
    );
    assert!(b.contains("در مخزن git نیست"), "no git history outside git");

    let r = get(&kb.app(), "/cases/1397/dollar-contract?lang=en").await;
    assert!(r.body.contains("6 August 2018"));
    assert!(r.body.contains("15 Mordad 1397"));
    assert!(r.body.contains("Currency shock"));
}

#[tokio::test]
async fn a_case_in_git_shows_its_last_change_and_author() {
    let kb = Kb::fixture();
    kb.git_commit("Mina Rahimi", "Add the dollar contract case");
    // The history is read in the background once per load; the page shows it when ready.
    let r = eventually(&kb.app(), "/cases/1397/dollar-contract?lang=en", |r| {
        r.body.contains("by Mina Rahimi")
    })
    .await;
    assert!(r.body.contains("Add the dollar contract case"));
}

#[tokio::test]
async fn missing_cases_and_pages_are_proper_404_pages() {
    let kb = Kb::fixture();
    let app = kb.app();
    for uri in [
        "/cases/nope",
        "/cases/../../etc/passwd",
        "/cases/%2e%2e/%2e%2e/etc/passwd",
        "/cases/..%2F..%2Fetc%2Fpasswd",
        "/cases/broken/bad-date",
        "/nowhere",
        "/static/../Cargo.toml",
        "/static/nothing.css",
        "/notebook/weather",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("<html lang=\"fa\""), "{uri}: a page");
        assert!(r.body.contains("پیدا نشد"), "{uri}");
        assert!(!r.body.contains("root:"), "{uri}");
    }
    let r = get(&app, &format!("/cases/{}", "a".repeat(60_000))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn hostile_text_in_a_case_is_escaped_or_removed() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/cases/hostile/script").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains("&lt;script&gt;alert("), "title escaped");
    assert!(!b.contains("<script>alert"), "{b}");
    assert!(!b.contains("<img"), "{b}");
    assert!(!b.contains("<b onmouseover"), "{b}");
    assert!(!b.contains("javascript:"), "{b}");
    assert!(!b.contains("example.com"), "no external request");
    for uri in ["/", "/notebook/legal"] {
        let r = get(&app, uri).await;
        assert!(!r.body.contains("<script>alert"), "{uri}");
        assert!(!r.body.contains("<b onmouseover"), "{uri}");
    }
    let csp = r.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");
}

#[tokio::test]
async fn the_notebook_groups_mistakes_by_chapter_and_prints_a_checklist() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/notebook").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("قراردادها"));
    assert!(r.body.contains("۲ اشتباه"), "two contract mistakes");

    let r = get(&app, "/notebook/contracts?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains("Contracts"));
    assert!(b.contains("data-print"), "a print button");
    let newer = b.find("Put late-delivery penalties").unwrap();
    let older = b.find("بند تعدیل قیمت").unwrap();
    assert!(newer < older, "newest first");

    // The Persian label in any spelling (Arabic kaf/yeh, no half-space) finds the chapter.
    let r = get(
        &app,
        "/notebook/%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF%20%D9%87%D8%A7",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Put late-delivery penalties"));

    let css = get(&app, "/static/app.css").await;
    assert!(css.body.contains("@media print"));
}

#[tokio::test]
async fn problems_lists_what_check_reports_and_reload_picks_up_new_files() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/problems?lang=en").await;
    assert!(r.body.contains("broken/bad-date.md:4:7"), "{}", r.body);
    assert!(r.body.contains("month 13"));
    assert!(r.body.contains("1 error"));

    kb.write(
        "2024/new-case.md",
        "---\ntitle: Freshly written\ncrisis_type: technical\ndate: 2024-05-01\n---\n",
    );
    assert_eq!(
        get(&app, "/cases/2024/new-case").await.status,
        StatusCode::NOT_FOUND
    );
    let r = refresh(&app).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/problems"));
    assert_eq!(
        get(&app, "/cases/2024/new-case").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_api_returns_cases_as_json_and_json_errors() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/api/cases/1397/dollar-contract").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["id"], "1397/dollar-contract");
    assert_eq!(v["crisis_type"], "currency");
    assert_eq!(v["mistakes"][0]["chapter"], "contracts");
    assert_eq!(v["date"]["start"], "2018-08-06");
    // The server keeps cases without their bodies; the API reads it from the file.
    let body = v["body"].as_str().unwrap_or_default();
    assert!(body.contains("**دو برابر**"), "{body}");

    let r = get(&app, "/api/cases/../../etc/passwd").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["error"], "not found");

    let r = get(&app, "/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn assets_are_embedded_and_the_persian_font_ships_with_its_licence() {
    let kb = Kb::fixture();
    let app = kb.app();
    let font = get(&app, "/static/fonts/Vazirmatn-Variable.woff2").await;
    assert_eq!(font.status, StatusCode::OK);
    assert_eq!(font.header("content-type"), Some("font/woff2"));
    assert!(font.bytes.starts_with(b"wOF2"));
    let licence = get(&app, "/static/fonts/Vazirmatn-OFL.txt").await;
    assert!(licence.body.contains("SIL OPEN FONT LICENSE"));
    let htmx = get(&app, "/static/vendor/htmx.min.js").await;
    assert_eq!(htmx.status, StatusCode::OK);
    // Nothing in a page points outside the app.
    for uri in [
        "/",
        "/cases/1397/dollar-contract",
        "/notebook/contracts",
        "/problems",
    ] {
        let r = get(&app, uri).await;
        assert!(!r.body.contains("http://"), "{uri}");
        assert!(!r.body.contains("https://"), "{uri}");
    }
}

#[tokio::test]
async fn search_finds_persian_in_arabic_spelling_with_highlights_and_facets() {
    let kb = Kb::fixture();
    let app = kb.app();
    // Arabic yeh and kaf, no half-space: the case is written with Persian letters.
    let r = get(&app, "/search?q=%D8%B1%D9%8A%D8%A7%D9%84%D9%8A").await; // ريالي
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains(r#"href="/cases/1397/dollar-contract""#), "{b}");
    assert!(b.contains("<mark>"), "highlighted snippet");
    assert!(b.contains("۱ پرونده پیدا شد"), "count in Persian digits");
    assert!(b.contains(r#"value="ريالي""#), "the form keeps the query");
    assert!(b.contains("نوسان ارز"), "type facet labelled");
    assert!(b.contains("type=currency"), "facet is a link");

    // Clicking the type facet keeps the words and adds the filter; clicking again removes it.
    let r = get(
        &app,
        "/search?q=%D8%B1%D9%8A%D8%A7%D9%84%D9%8A&type=currency",
    )
    .await;
    assert!(r.body.contains(r#"aria-current="true""#));
    assert!(r
        .body
        .contains(r#"href="/search?q=%D8%B1%D9%8A%D8%A7%D9%84%D9%8A""#));
    let r = get(&app, "/search?type=supply&lang=en").await;
    assert!(r.body.contains("Packaging supplier stopped deliveries"));
    assert!(!r.body.contains("dollar-contract"));

    // Year facet: a year is a since/until range.
    let r = get(&app, "/search?since=2022&until=2022").await;
    assert!(r.body.contains("Packaging supplier"));
    assert!(!r.body.contains("قرارداد فروش ریالی"));
    // Jalali dates work in the range too.
    let r = get(&app, "/search?since=1397-01-01&until=1397-12-29").await;
    assert!(r.body.contains("قرارداد فروش ریالی"));
    assert!(!r.body.contains("Packaging supplier"));
}

#[tokio::test]
async fn search_as_you_type_gets_only_the_results_and_the_language_switch() {
    let kb = Kb::fixture();
    let r = get_with(
        &kb.app(),
        "/search?q=supplier&lang=en",
        &[("hx-request", "true")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<html"));
    assert!(r.body.contains(r#"<div id="results""#));
    assert!(
        r.body
            .contains(r#"hx-swap-oob="true" href="?q=supplier&amp;lang=fa""#),
        "{}",
        r.body
    );
    assert!(r.body.contains("Packaging supplier stopped deliveries"));
}

#[tokio::test]
async fn bad_queries_explain_themselves_and_hostile_ones_stay_text() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(&app, "/search?q=x&since=1398-13-01&lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("month 13"), "{}", r.body);

    let huge = "%D9%82".repeat(5000);
    let r = get(&app, &format!("/search?q={huge}&lang=en")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("5000 characters"), "{}", r.body);
    assert!(r.body.contains("<html"), "a page, not a bare message");

    let r = get(&app, "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("<script>alert"), "{}", r.body);
    assert!(r.body.contains("&lt;script&gt;alert(1)"));

    let r = get(&app, "/search?q=a&limit=lots").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Broken percent-encoding is read leniently, as browsers do, and never crashes.
    let r = get(&app, "/search?q=%ZZ%").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn the_search_api_has_the_clis_shape_and_json_errors() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = get(
        &app,
        "/api/search?q=%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF&chapter=contracts&limit=5",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(v["total"].as_u64().unwrap() >= 1, "{v}");
    let hit = &v["hits"][0];
    for key in [
        "path",
        "id",
        "title",
        "crisis_type",
        "date",
        "score",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "hit has {key}: {hit}");
    }
    for key in ["crisis_type", "chapter", "year", "tag"] {
        assert!(v["facets"][key].is_array(), "facets.{key}");
    }
    assert!(v["warnings"].is_array());

    let r = get(&app, "/api/search?type=currency").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["facets"]["crisis_type"][0]["value"], "currency");

    let r = get(&app, "/api/search?q=a&limit=0").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("'limit'"), "{v}");
    let huge = "a".repeat(2000);
    let r = get(&app, &format!("/api/search?q={huge}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reload_brings_new_cases_into_search() {
    let kb = Kb::fixture();
    let app = kb.app();
    kb.write(
        "2024/new-case.md",
        "---\ntitle: Zanjan warehouse flood\ncrisis_type: natural-disaster\ndate: 2024-05-01\n---\n",
    );
    let r = get(&app, "/api/search?q=zanjan").await;
    assert!(r.body.contains("\"total\":0"), "{}", r.body);
    refresh(&app).await;
    let r = get(&app, "/api/search?q=zanjan").await;
    assert!(r.body.contains("\"total\":1"), "{}", r.body);
}

#[tokio::test]
async fn a_long_checklist_shows_the_newest_and_links_to_the_rest() {
    let kb = Kb::fixture();
    for i in 0..205 {
        kb.write(
            &format!("bulk/c{i:03}.md"),
            &format!(
                "---\ntitle: Bulk {i}\ncrisis_type: legal\ndate: 2025-01-01\nmistakes:\n  - chapter: contracts\n    text: bulk mistake {i}\n---\n"
            ),
        );
    }
    let app = kb.app();
    let r = get(&app, "/notebook/contracts?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("class=\"mistake\"").count(), 200);
    assert!(
        r.body.contains("These are the 200 newest of 207 mistakes"),
        "{}",
        &r.body[..2000]
    );
    assert!(r.body.contains(r#"href="/search?chapter=contracts""#));
}

#[tokio::test]
async fn the_knowledge_bases_default_language_applies_when_the_browser_says_nothing() {
    let kb = Kb::fixture();
    kb.write("casebook.toml", "default_lang = \"en\"\n");
    let app = kb.app();
    let r = get(&app, "/").await;
    assert!(r.body.contains(r#"<html lang="en" dir="ltr">"#));
    let r = get_with(&app, "/", &[("accept-language", "fa-IR")]).await;
    assert!(
        r.body.contains(r#"<html lang="fa" dir="rtl">"#),
        "the browser beats the default"
    );
}

/// A Persian page never shows an ISO date in right-to-left text, where the bidi
/// algorithm reverses its parts: only inside a left-to-right isolate (a hint, a field).
#[tokio::test]
async fn persian_pages_show_no_iso_date_in_right_to_left_text() {
    let kb = Kb::fixture();
    let app = kb.app();
    let login = util::log_in(&app).await;
    for uri in [
        "/",
        "/cases/1397/dollar-contract",
        "/search?q=%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF",
        "/digest?month=1397-05",
        "/calendar",
        "/notebook/contracts",
        "/cases/new",
        "/history/1397/dollar-contract",
    ] {
        let body = util::get_as(&app, &login, uri).await.body;
        let chars: Vec<char> = body.chars().collect();
        let digit = |c: char| ('۰'..='۹').contains(&c) || c.is_ascii_digit();
        for i in 0..chars.len().saturating_sub(10) {
            let iso = (0..4).all(|k| digit(chars[i + k]))
                && chars[i + 4] == '-'
                && digit(chars[i + 5])
                && digit(chars[i + 6])
                && (i == 0 || !digit(chars[i - 1]));
            if !iso {
                continue;
            }
            let before: String = chars[..i].iter().collect();
            if before.rfind('<') > before.rfind('>') {
                continue; // an attribute's value, not shown
            }
            let tag = &before[before.rfind('<').unwrap_or(0)..];
            // Inside an element marked left to right, or a left-to-right isolate (LRI).
            let isolated = i > 0 && chars[i - 1] == '\u{2066}';
            assert!(
                isolated || tag.contains(r#"dir="ltr""#),
                "{uri}: an ISO date in right-to-left text: …{}",
                chars[i.saturating_sub(60)..i + 10]
                    .iter()
                    .collect::<String>()
            );
        }
    }
}
