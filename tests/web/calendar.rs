//! The calendar pages, the ICS feed and the home page's calendar blocks, through the real
//! router, on the web fixture plus anticipated crises written by each test.

use std::io::BufReader;

use axum::http::StatusCode;
use chrono::{Datelike, Local, NaiveDate};

use crate::util::{get, get_with, Kb};

const NOWRUZ: &str = "---
title: نوروز
title_en: Nowruz
crisis_type: seasonal-peak
calendar: persian
rule: yearly 1 Farvardin
lead_days: 45
duration_days: 13
sources:
  - https://example.org/nowruz
---
## پیش از عید
- [ ] **سفارش** را تا ۲۰ اسفند بدهید.

<script>alert('playbook')</script>
";

const ASHURA: &str = "---
title: تاسوعا و عاشورا
title_en: Tasua and Ashura
crisis_type: supply
calendar: islamic
rule: yearly 9 Muharram
lead_days: 30
duration_days: 2
---
Move deliveries earlier.
";

const MONTHLY: &str = "---
title: لیست بیمهٔ ماهانه
title_en: Monthly insurance list
crisis_type: legal
calendar: persian
rule: monthly last
lead_days: 7
---
Send the list.
";

const NOWRUZ_CASE: &str = "---
title: تأمین‌کننده در نوروز ۱۴۰۵ بسته بود
crisis_type: supply
date: 1405-01-02
recurring: nowruz
lessons:
  - برنامهٔ تعطیلات تأمین‌کننده‌ها را در بهمن بگیرید
followups:
  - what: گرفتن برنامهٔ نوروز ۱۴۰۶ از تأمین‌کننده‌ها
    owner: مسئول خرید
    done: false
---
";

/// The web fixture with Nowruz, Ashura (and Iran's Muharram 1447), a monthly deadline
/// and last year's Nowruz case.
fn kb() -> Kb {
    let kb = Kb::fixture();
    kb.write("recurring/nowruz.md", NOWRUZ);
    kb.write("recurring/tasua-ashura.md", ASHURA);
    kb.write("recurring/insurance-list.md", MONTHLY);
    kb.write("recurring/hijri-months.yaml", "1447-01: 2025-06-27\n");
    kb.write("1405/nowruz-closure.md", NOWRUZ_CASE);
    kb
}

#[tokio::test]
async fn farvardin_in_jalali_shows_nowruz_with_last_years_case() {
    let kb = kb();
    let r = get(&kb.app(), "/calendar?cal=jalali&y=1406&m=1").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains("فروردین ۱۴۰۶"), "month title in Persian");
    // 1 Farvardin 1406 = 2027-03-21, a Sunday: the second cell of a Saturday-first week.
    assert!(
        b.contains(r#"<td class=" running" data-date="2027-03-21""#),
        "{b}"
    );
    assert!(b.contains(r#"<a class="chip" href="/calendar/nowruz" dir="rtl" lang="fa">نوروز</a>"#));
    assert!(
        b.contains("21 Mar"),
        "the Gregorian day beside the Jalali one"
    );
    // The occurrence list: the warning date and last year's case with its open follow-up.
    assert!(b.contains("هشدار ۴۵ روز زودتر، از"));
    assert!(
        b.contains("۱۵ بهمن ۱۴۰۵"),
        "45 days before is 15 Bahman 1405"
    );
    assert!(b.contains(r#"href="/cases/1405/nowruz-closure""#));
    assert!(b.contains("گرفتن برنامهٔ نوروز ۱۴۰۶ از تأمین‌کننده‌ها"));
}

#[tokio::test]
async fn the_gregorian_view_in_english_shows_warnings_and_irans_muharram() {
    let kb = kb();
    let app = kb.app();
    let r = get(&app, "/calendar?cal=gregorian&y=2027&m=2&lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("February 2027"));
    // The whole of February after the 4th is Nowruz's warning window.
    assert!(
        r.body
            .contains(r#"<td class=" warning" data-date="2027-02-10""#),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("Prepare now for"),
        "Nowruz starts after February"
    );
    assert!(r
        .body
        .contains(r#"prepare: <bdi dir="ltr" lang="en">Nowruz</bdi>"#));

    let r = get(&app, "/calendar?cal=gregorian&y=2025&m=7&lang=en").await;
    assert!(r.body.contains("Tasua and Ashura"));
    assert!(r.body.contains(r#"data-date="2025-07-05""#));
    assert!(r.body.contains("9 Muharram 1447"));
    assert!(
        r.body
            .contains(r#"<td class=" running" data-date="2025-07-06""#),
        "Ashura in Iran, from the sighted month start"
    );
    assert!(!r.body.contains("estimated date"), "1447 is announced");
}

#[tokio::test]
async fn the_year_view_today_and_the_switches() {
    let kb = kb();
    let app = kb.app();
    let r = get(&app, "/calendar?cal=jalali&view=year&y=1405").await;
    assert_eq!(r.body.matches(r#"<table class="cal-month""#).count(), 12);
    assert!(r
        .body
        .contains(r#"href="/calendar?cal=jalali&amp;y=1405&amp;m=1""#));

    let r = get(&app, "/calendar").await;
    let today = Local::now().date_naive();
    let cell = format!(r#"aria-current="date" data-date="{today}""#);
    assert!(r.body.contains(&cell), "today is marked");
    assert!(r.body.contains(r#"id="cal-switch""#));
    assert!(r.body.contains(r#"href="/calendar.ics""#));
}

#[tokio::test]
async fn bad_calendar_addresses_say_what_to_write() {
    let kb = kb();
    let app = kb.app();
    let r = get(&app, "/calendar?cal=lunar").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("cal=jalali"), "{}", r.body);
    let r = get(&app, "/calendar?y=abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = get(&app, "/calendar/no-such-crisis").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_crisis_page_has_the_sanitised_playbook_next_dates_and_past_cases() {
    let kb = kb();
    let r = get(&kb.app(), "/calendar/nowruz").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains("<strong>سفارش</strong>"), "Markdown rendered");
    assert!(!b.contains("<script>alert"), "and sanitised");
    assert!(b.contains("yearly 1 Farvardin"));
    assert!(b.contains(r#"href="/cases/1405/nowruz-closure""#));
    assert!(b.contains("https://example.org/nowruz"));
    assert!(
        b.matches(r#"class="occurrence"#).count() >= 3,
        "three years ahead"
    );
}

#[tokio::test]
async fn the_ics_feed_is_valid_and_links_back_to_this_server() {
    let kb = kb();
    let addr = "127.0.0.1:8080".parse().unwrap();
    let hosts = casebook::web::AllowedHosts::for_server(addr, &["cb.example".into()]);
    let app = casebook::web::router(kb.state().allowed_hosts(hosts));
    let r = get_with(&app, "/calendar.ics", &[("host", "cb.example:8080")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    let cal = ical::IcalParser::new(BufReader::new(r.bytes.as_slice()))
        .next()
        .expect("a calendar")
        .expect("valid iCalendar");
    let nowruz = cal
        .events
        .iter()
        .find(|e| {
            e.properties.iter().any(|p| {
                p.name == "UID"
                    && p.value
                        .as_deref()
                        .is_some_and(|v| v.starts_with("nowruz-") && !v.contains("warning"))
            })
        })
        .expect("a Nowruz event");
    let url = nowruz
        .properties
        .iter()
        .find(|p| p.name == "URL")
        .and_then(|p| p.value.clone());
    assert_eq!(
        url.as_deref(),
        Some("http://cb.example:8080/calendar/nowruz")
    );
    assert_eq!(nowruz.alarms.len(), 1);

    let with_history = get(&app, "/calendar.ics?history=1").await;
    assert!(
        with_history.body.matches("BEGIN:VEVENT").count() > r.body.matches("BEGIN:VEVENT").count()
    );
    // A hostile Host header never reaches the feed.
    let r = get_with(&app, "/calendar.ics", &[("host", "evil\"><x")]).await;
    assert!(!r.body.contains("evil"));
}

#[tokio::test]
async fn home_shows_the_next_60_days_and_this_week_in_crisis_history() {
    let kb = kb();
    let today = Local::now().date_naive();
    let three_years_ago =
        NaiveDate::from_ymd_opt(today.year() - 3, today.month(), today.day().min(28)).unwrap();
    kb.write(
        "history/anniversary.md",
        &format!("---\ntitle: Anniversary case\ncrisis_type: currency\ndate: {three_years_ago}\nfollowups:\n  - what: still open\n---\n"),
    );
    let r = get(&kb.app(), "/").await;
    let b = &r.body;
    assert!(b.contains("بحران‌های پیش‌بینی‌شده در ۶۰ روز آینده"));
    // A monthly deadline always falls in the next 60 days.
    assert!(b.contains("لیست بیمهٔ ماهانه"), "{b}");
    assert!(b.contains("این هفته در تاریخ بحران‌ها"));
    assert!(b.contains("Anniversary case"));
    assert!(b.contains("۳ سال پیش"));
}

#[tokio::test]
async fn a_week_of_many_anniversaries_lists_twelve_and_counts_the_rest() {
    let kb = kb();
    let today = Local::now().date_naive();
    for years in 1..=15 {
        let on = NaiveDate::from_ymd_opt(today.year() - years, today.month(), today.day().min(28))
            .unwrap();
        kb.write(
            &format!("history/anniversary-{years}.md"),
            &format!("---\ntitle: Anniversary {years}\ncrisis_type: currency\ndate: {on}\n---\n"),
        );
    }
    let r = get(&kb.app(), "/?lang=en").await;
    let history = r
        .body
        .split(r#"id="home-history""#)
        .nth(1)
        .unwrap_or_default();
    let history = history.split("</section>").next().unwrap_or_default();
    assert_eq!(history.matches("Anniversary ").count(), 12, "{history}");
    assert!(
        history.contains("3 more cases this week: see the calendar"),
        "{history}"
    );
}

#[tokio::test]
async fn a_broken_recurring_file_is_on_the_problems_page() {
    let kb = kb();
    kb.write(
        "recurring/broken.md",
        "---\ntitle: Broken\ncrisis_type: supply\ncalendar: persian\nrule: yearly 1 Muharram\n---\n",
    );
    let r = get(&kb.app(), "/problems?lang=en").await;
    assert!(r.body.contains("recurring/broken.md:5:7"), "{}", r.body);
    assert!(r.body.contains("is a month of the islamic calendar"));
}
