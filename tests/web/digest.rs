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
