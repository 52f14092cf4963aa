//! The monthly digest page: a Jalali month's cases and lessons, open follow-ups with the
//! overdue marked, month links, and a clear 400 for a month that is not one.

use axum::http::StatusCode;

use super::util::{get, get_with, Kb};

#[tokio::test]
async fn a_jalali_month_shows_its_cases_lessons_and_open_followups() {
    let kb = Kb::fixture();
    kb.write(
        "1397/late.md",
        "---\ntitle: پیگیری عقب‌افتاده\ncrisis_type: legal\ndate: 1397-06-02\nfollowups:\n  - what: تمدید مجوز\n    owner: سارا\n    due: 1397-05-20\n---\n",
    );
    let r = get(
        &kb.app(),
        "/digest?month=%DB%B1%DB%B3%DB%B9%DB%B7-%DB%B0%DB%B5",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("گزارش ماهانه‌ی درس‌ها: مرداد ۱۳۹۷"), "{b}");
    assert!(
        b.contains("قرارداد فروش ریالی در جهش دلار"),
        "the month's case"
    );
    assert!(b.contains("پیش از امضای هر قرارداد بلندمدت"), "its lesson");
    assert!(
        b.contains("بند تعدیل قیمت بر پایهٔ نرخ ارز"),
        "its mistakes' lessons"
    );
    assert!(
        !b.contains(">پیگیری عقب‌افتاده</a>\n        <span"),
        "next month's case is not listed"
    );
    let overdue = b.find("تمدید مجوز").expect("open follow-ups of every case");
    let open = b
        .find("نوشتن الگوی بند تعدیل")
        .expect("the fixture's open follow-up");
    assert!(overdue < open, "overdue first");
    assert!(b.contains(r#"class="followup overdue""#) && b.contains("عقب‌افتاده</strong>"));
    assert!(
        !b.contains("بازنگری همهٔ قراردادهای باز"),
        "done follow-ups are not listed"
    );
    assert!(
        b.contains(r#"href="/digest?month=1397-04""#)
            && b.contains(r#"href="/digest?month=1397-06""#)
    );
    assert!(b.contains("شهریور ۱۳۹۷"), "next month's crises heading");
    assert!(
        b.contains(r#"aria-current="page">گزارش ماهانه"#),
        "in the nav"
    );
}

#[tokio::test]
async fn english_defaults_to_the_gregorian_month_and_a_bad_month_is_400() {
    let kb = Kb::fixture();
    let r = get_with(&kb.app(), "/digest", &[("accept-language", "en")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let this_month = chrono::Local::now().format("%B %Y").to_string();
    assert!(
        r.body.contains(&format!("Lessons digest: {this_month}")),
        "{}",
        r.body
    );

    let r = get(&kb.app(), "/digest").await;
    assert!(r.body.contains("گزارش ماهانه‌ی درس‌ها: "), "Persian default");

    for bad in ["1405-13", "2026-02-30", "soon"] {
        let r = get_with(
            &kb.app(),
            &format!("/digest?month={bad}"),
            &[("accept-language", "en")],
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(
            r.body.contains(&format!("“{bad}” is not a month")),
            "{}",
            r.body
        );
        assert!(r.body.contains("Write YYYY-MM"));
    }
}

#[tokio::test]
async fn the_digest_page_shows_counts_repeats_owners_and_the_reread() {
    let kb = Kb::fixture();
    kb.write(
        "1397/again.md",
        "---\ntitle: دوباره قرارداد ریالی\ncrisis_type: currency\ndate: 1397-05-10\nmistakes:\n  - chapter: contracts\n    text: قرارداد فروش را ریالی و بدون بند تعدیل بستیم\nfollowups:\n  - what: بازنویسی قرارداد نمونه\n    owner: سارا\n    due: 1397-06-15\n---\n",
    );
    kb.write(
        "1391/first.md",
        "---\ntitle: بار اول\ncrisis_type: currency\ndate: 1391-07-10\nmistakes:\n  - chapter: contracts\n    text: قرارداد فروش را ریالی و بدون بند تعدیل بستیم\n    lesson: بند تعدیل بگذارید\n---\n",
    );
    let r = get(&kb.app(), "/digest?month=1397-05").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(
        b.contains("ماه در چند عدد") && b.contains(r#"class="bars""#),
        "{b}"
    );
    // The repeat names the earlier case and the lesson that did not stick.
    let repeats = &b[b.find("digest-repeats").unwrap()..b.find("digest-owners").unwrap()];
    assert!(
        repeats.contains("بار اول") && repeats.contains("بند تعدیل بگذارید"),
        "{repeats}"
    );
    // Sara's follow-up is due next month.
    let owners = &b[b.find("digest-owners").unwrap()..b.find("digest-coming").unwrap()];
    assert!(
        owners.contains("سارا") && owners.contains("بازنویسی قرارداد نمونه"),
        "{owners}"
    );
    assert!(b.contains("از دفتر اشتباه‌ها"), "the reread section");
}

#[tokio::test]
async fn followups_are_listed_and_filtered() {
    let kb = Kb::fixture();
    kb.write(
        "1397/late.md",
        "---\ntitle: عقب‌افتاده\ncrisis_type: legal\ndate: 1397-06-02\nmistakes:\n  - chapter: legal\n    text: مجوز را دیر تمدید کردیم\nfollowups:\n  - what: تمدید مجوز\n    owner: سارا\n    due: 1397-05-20\n---\n",
    );
    let app = kb.app();
    let all = get(&app, "/followups").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(
        all.body.contains("تمدید مجوز") && all.body.contains("نوشتن الگوی بند تعدیل"),
        "{}",
        all.body
    );
    let first = all.body.find("تمدید مجوز").unwrap();
    assert!(
        first < all.body.find("نوشتن الگوی بند تعدیل").unwrap(),
        "overdue first"
    );
    let sara = get(&app, "/followups?owner=%D8%B3%D8%A7%D8%B1%D8%A7").await;
    assert!(sara.body.contains("تمدید مجوز") && !sara.body.contains("نوشتن الگوی بند تعدیل"));
    let legal = get(&app, "/followups?chapter=legal&overdue=1").await;
    assert!(legal.body.contains("تمدید مجوز"), "{}", legal.body);
    let bad = get(&app, "/followups?chapter=nope").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_atom_feed_parses_with_absolute_links_to_cases_and_digests() {
    let kb = Kb::fixture();
    let r = get_with(&kb.app(), "/feed.atom", &[("host", "127.0.0.1:8080")]).await;
    assert_eq!(r.status, StatusCode::OK);
    let content_type = r.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/atom+xml"),
        "{content_type}"
    );
    let feed: atom_syndication::Feed = r.body.parse().expect("a valid Atom document");
    assert_eq!(feed.id, "http://127.0.0.1:8080/feed.atom");
    assert!(!feed.authors.is_empty(), "RFC 4287: an author for the feed");
    let cases: Vec<_> = feed
        .entries
        .iter()
        .filter(|e| e.id.contains("/cases/"))
        .collect();
    let digests: Vec<_> = feed
        .entries
        .iter()
        .filter(|e| e.id.contains("/digest?month="))
        .collect();
    assert!(
        !cases.is_empty() && digests.len() == 6,
        "{:#?}",
        feed.entries
    );
    for e in &feed.entries {
        assert!(e.id.starts_with("http://127.0.0.1:8080/"), "{}", e.id);
        assert!(!e.title.value.is_empty());
    }
    // Newest first.
    assert!(feed
        .entries
        .windows(2)
        .all(|w| w[0].updated >= w[1].updated));
}
