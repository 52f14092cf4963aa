//! The new-case form: a case written from the browser lands on its page and in search;
//! hostile input is kept as text; nothing is ever overwritten or forged.

use axum::http::StatusCode;

use super::util::{
    form_token as token, get, get_as, get_with, log_in, post_as, post_form, submit_case as submit,
    Kb,
};

fn md_files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_form_is_persian_with_the_taxonomy_and_today_in_jalali() {
    let kb = Kb::fixture();
    let app = kb.app();
    let login = log_in(&app).await;
    let r = get_as(&app, &login, "/cases/new").await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    assert!(b.contains(r#"<html lang="fa" dir="rtl">"#));
    assert!(b.contains("نوشتن پرونده"));
    assert!(
        b.contains(r#"<option value="currency">نوسان ارز</option>"#),
        "{b}"
    );
    assert!(b.contains(r#"<option value="contracts">قراردادها</option>"#));
    let (_, date) = b.split_once(r#"name="date""#).unwrap();
    let value = date
        .split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        value.starts_with("۱۴"),
        "today in Jalali, Persian digits: {value}"
    );
    assert!(
        b.contains(r#"name="m2_lesson""#) && b.contains(r#"name="f2_due""#),
        "three rows each"
    );
    assert!(b.contains(r#"href="/cases/new""#), "in the nav");
    // The story starts from the case template's headings, as `casebook new` writes them.
    let (_, story) = b.split_once(r#"name="body""#).unwrap();
    assert!(story.contains("## چه شد"), "{story}");

    let r = get_with(
        &app,
        "/cases/new",
        &[("accept-language", "en"), ("cookie", &login.cookie)],
    )
    .await;
    assert!(
        r.body.contains("Write a case") && r.body.contains(">Currency"),
        "labels in English"
    );
    assert!(
        r.body.contains("## What happened"),
        "the English template's story"
    );

    // A knowledge base's own template is the form's template too.
    kb.write(
        "templates/case.md",
        "---\ntitle: {{title}}\n---\n\n## Our story\n\n## Our lesson\n",
    );
    let r = get_as(&app, &login, "/cases/new").await;
    assert!(
        r.body.contains("## Our story") && !r.body.contains("## چه شد"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_problems_page_speaks_the_readers_language() {
    let kb = Kb::fixture();
    kb.write(
        "2019/bad-date.md",
        "---\ntitle: قطعی\ncrisis_type: internet-outage\ndate: 1398-13-01\n---\n",
    );
    let app = kb.app();
    let fa = get(&app, "/problems?lang=fa").await;
    assert!(fa.body.contains("2019/bad-date.md:4:7"), "{}", fa.body);
    assert!(fa.body.contains("ماه ۱۳ دارد که وجود ندارد"), "{}", fa.body);
    assert!(
        !fa.body.contains("which does not exist"),
        "no English inside Persian"
    );
    let en = get(&app, "/problems?lang=en").await;
    assert!(
        en.body.contains("has month 13, which does not exist"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn a_submitted_case_is_written_shown_and_searchable_at_once() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = submit(
        &app,
        &[
            ("title", "تحریم بانکی و حساب پرداخت‌یار"),
            ("crisis_type", "currency"),
            ("date", "۱۴۰۵-۰۸-۰۴"),
            ("severity", "high"),
            ("counterparty", "بانک ملت"),
            ("actions", "حساب دوم باز کردیم\n\nبا مشتری‌ها تماس گرفتیم"),
            ("m0_chapter", "finance"),
            ("m0_text", "همه‌ی پول در یک حساب بود"),
            ("m0_lesson", "دست‌کم دو بانک"),
            ("lessons", "حساب پشتیبان داشته باشید"),
            ("f1_what", "افتتاح حساب دوم"),
            ("f1_owner", "مینا"),
            ("f1_due", "1405-09-01"),
            ("body", "## ماجرا\n\nحساب **بسته** شد."),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.header("location").unwrap().to_string();
    assert!(location.starts_with("/cases/1405-08-04-"), "{location}");
    let name = md_files(kb.path())
        .into_iter()
        .find(|n| n.starts_with("1405-08-04-تحریم-بانکی"))
        .expect("written under the date and title");
    let text = std::fs::read_to_string(kb.path().join(name)).unwrap();
    assert!(
        text.starts_with("---\ntitle: تحریم بانکی و حساب پرداخت‌یار\n"),
        "{text}"
    );
    assert!(text.contains("status: draft"));

    let page = get(&app, &location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("حساب پشتیبان داشته باشید"));
    assert!(page.body.contains("<strong>بسته</strong>"));
    assert!(page.body.contains("افتتاح حساب دوم"));

    let found = get(
        &app,
        "/search?q=%D9%BE%D8%B1%D8%AF%D8%A7%D8%AE%D8%AA%E2%80%8C%D9%8A%D8%A7%D8%B1",
    )
    .await;
    assert!(
        found.body.contains("تحریم بانکی"),
        "searchable at once: {}",
        found.body
    );
}

#[tokio::test]
async fn yaml_special_characters_and_script_stay_text() {
    let kb = Kb::fixture();
    let app = kb.app();
    let title = "--- a: b # c [d] {e} 'f' \"g\" <script>alert(1)</script>";
    let r = submit(
        &app,
        &[
            ("title", title),
            ("crisis_type", "legal"),
            ("date", "2026-03-01"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = get(&app, r.header("location").unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert(1)"),
        "escaped on the case page"
    );
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page
        .body
        .contains("--- a: b # c [d] {e} &#39;f&#39; &quot;g&quot;"));
}

#[tokio::test]
async fn problems_show_the_form_again_with_everything_kept() {
    let kb = Kb::fixture();
    let app = kb.app();
    let before = md_files(kb.path());
    let r = submit(
        &app,
        &[
            ("title", "قطعی اینترنت <b>دوم</b>"),
            ("crisis_type", "internet-outage"),
            ("date", "1405-02-32"),
            ("lessons", "درس نگه داشته شود"),
            ("f0_owner", "سارا"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b = &r.body;
    assert!(b.contains("پرونده ذخیره نشد"));
    assert!(
        b.contains(r#"id="err-date""#)
            && b.contains(
                "«\u{2068}۱۴۰۵-۰۲-۳۲\u{2069}» روز واقعی نیست: اردیبهشت ۱۴۰۵ روز ۳۲ ندارد."
            ),
        "the date problem in Persian, with Persian digits and month: {b}"
    );
    assert!(!b.contains("is not a real day"), "no English inside");
    assert!(b.contains(r#"id="err-followups-0-what""#));
    assert!(
        b.contains(r#"value="قطعی اینترنت &lt;b&gt;دوم&lt;/b&gt;""#),
        "title kept, escaped"
    );
    assert!(
        b.contains(r#"value="1405-02-32""#),
        "the wrong date kept to fix"
    );
    assert!(b.contains(">درس نگه داشته شود</textarea>"));
    assert!(b.contains(r#"<option value="internet-outage" selected>"#));
    assert!(b.contains(r#"value="سارا""#));
    assert_eq!(md_files(kb.path()), before, "nothing written");
}

#[tokio::test]
async fn an_existing_file_is_never_overwritten() {
    let kb = Kb::fixture();
    let app = kb.app();
    kb.write(
        "2026-01-05-taken.md",
        "---\ntitle: taken\ncrisis_type: legal\ndate: 2026-01-05\n---\nmine\n",
    );
    let r = submit(
        &app,
        &[
            ("title", "Taken"),
            ("crisis_type", "legal"),
            ("date", "2026-01-05"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("پرونده‌ای با همین تاریخ و عنوان هست"),
        "{}",
        r.body
    );
    let kept = std::fs::read_to_string(kb.path().join("2026-01-05-taken.md")).unwrap();
    assert!(kept.ends_with("mine\n"));
}

#[tokio::test]
async fn forged_submissions_are_refused() {
    let kb = Kb::fixture();
    let app = kb.app();
    let before = md_files(kb.path());
    let fields = [
        ("title", "forged"),
        ("crisis_type", "legal"),
        ("date", "2026-01-05"),
    ];
    let login = log_in(&app).await;
    let with_cookie = [("cookie", login.cookie.as_str())];
    // Logged in but no token: the form comes back (a real user loses nothing) with 403.
    let r = post_form(&app, "/cases/new", &fields, &with_cookie).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("فرم کهنه شده است") && r.body.contains(r#"value="forged""#));
    // A wrong token, and the token of the anonymous pages instead of the session's.
    let anonymous = token(&app).await;
    for t in ["0123456789abcdef0123456789abcdef", anonymous.as_str()] {
        let mut wrong = vec![("token", t)];
        wrong.extend_from_slice(&fields);
        let r = post_form(&app, "/cases/new", &wrong, &with_cookie).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{t}");
    }
    // The right token from another site.
    let mut right = vec![("token", login.csrf.as_str())];
    right.extend_from_slice(&fields);
    let r = post_form(
        &app,
        "/cases/new",
        &right,
        &[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:8080"),
            ("cookie", &login.cookie),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("از سایت دیگری"));
    // The right token without the session's cookie.
    let r = post_form(&app, "/cases/new", &right, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(md_files(kb.path()), before, "nothing written");
    // The same token from this host passes.
    let r = post_form(
        &app,
        "/cases/new",
        &right,
        &[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
            ("cookie", &login.cookie),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn read_only_hides_the_form_and_refuses_posts() {
    let kb = Kb::fixture();
    let app = kb.app_with(true);
    let login = log_in(&app).await;
    let home = get(&app, "/").await;
    assert!(
        !home.body.contains(r#"href="/cases/new""#),
        "no link to the form"
    );
    let r = get_as(&app, &login, "/cases/new").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("فقط‌خواندنی"));
    let before = md_files(kb.path());
    let fields = [
        ("title", "x"),
        ("crisis_type", "legal"),
        ("date", "2026-01-05"),
    ];
    let r = post_as(&app, &login, "/cases/new", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(md_files(kb.path()), before);
}

#[tokio::test]
async fn another_row_is_added_with_everything_kept_and_nothing_written() {
    let kb = Kb::fixture();
    let app = kb.app();
    let before = md_files(kb.path());
    let mut fields = vec![("title", "قرارداد با پیمانکار"), ("add", "mistake")];
    let texts = ["یک", "دو", "سه"];
    let names: Vec<String> = (0..3).map(|i| format!("m{i}_text")).collect();
    for (name, text) in names.iter().zip(texts) {
        fields.push((name.as_str(), text));
    }
    let r = submit(&app, &fields).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert!(b.contains(r#"name="m3_text""#), "a fourth mistake row");
    assert!(!b.contains(r#"name="m4_text""#), "only one more");
    assert!(
        !b.contains(r#"name="f3_what""#),
        "follow-ups keep three rows"
    );
    for text in texts {
        assert!(b.contains(&format!(r#"value="{text}""#)), "{text} kept");
    }
    assert!(b.contains(r#"value="قرارداد با پیمانکار""#));
    assert!(!b.contains("field-error"), "adding a row is not an error");
    // Enter in a field presses the first button of the form: it must save, not add.
    let first = b.find(r#"type="submit""#).unwrap();
    assert!(!b[first..].starts_with(r#"type="submit" name="add""#));
    assert_eq!(md_files(kb.path()), before, "nothing written");
}

#[tokio::test]
async fn more_than_three_mistakes_are_written() {
    let kb = Kb::fixture();
    let app = kb.app();
    let mut fields = vec![
        ("title", "چهار اشتباه در یک قرارداد"),
        ("crisis_type", "legal"),
        ("date", "1405-02-10"),
    ];
    let names: Vec<(String, String)> = (0..5)
        .map(|i| (format!("m{i}_chapter"), format!("m{i}_text")))
        .collect();
    let texts = ["اول", "دوم", "سوم", "چهارم", "پنجم"];
    for ((chapter, text), t) in names.iter().zip(texts) {
        fields.push((chapter.as_str(), "contracts"));
        fields.push((text.as_str(), t));
    }
    let r = submit(&app, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let written = md_files(kb.path())
        .into_iter()
        .map(|n| std::fs::read_to_string(kb.path().join(n)).unwrap())
        .find(|t| t.contains("چهار اشتباه"))
        .expect("the case file");
    for t in texts {
        assert!(written.contains(t), "{t} in {written}");
    }
}

#[tokio::test]
async fn date_problems_are_told_in_the_readers_language() {
    let kb = Kb::fixture();
    let app = kb.app();
    let fields = [
        ("title", "تاریخ‌های نادرست"),
        ("crisis_type", "currency"),
        ("date", "1405-13-01"),
        ("f0_what", "پیگیری"),
        ("f0_due", "دیروز"),
        ("f1_what", "پیگیری دوم"),
        ("f1_due", "1250-01-01"),
    ];
    let b = submit(&app, &fields).await.body;
    assert!(b.contains("ماه ۱۳ دارد که وجود ندارد"), "{b}");
    assert!(b.contains("«\u{2068}دیروز\u{2069}» تاریخ نیست"), "{b}");
    assert!(b.contains("سال ۱۲۵۰ دارد"), "{b}");
    let login = log_in(&app).await;
    let en = post_as(&app, &login, "/cases/new?lang=en", &fields)
        .await
        .body;
    assert!(en.contains("has month 13, which does not exist"), "{en}");
    assert!(en.contains("“دیروز” is not a date"), "{en}");
}

/// «شدید» is one spelling of `high` in a file, a search filter and the form alike.
#[tokio::test]
async fn severity_in_persian_reads_the_same_in_a_file_a_filter_and_the_form() {
    let kb = Kb::fixture();
    kb.write(
        "2024/storm.md",
        "---\ntitle: Warehouse roof storm\ncrisis_type: natural-disaster\ndate: 2024-02-01\nseverity: شدید\n---\n",
    );
    let app = kb.app();
    let r = get(
        &app,
        "/api/search?q=storm&severity=%D8%B4%D8%AF%DB%8C%D8%AF",
    )
    .await;
    assert!(
        r.body.contains("\"total\":1"),
        "the filter «شدید»: {}",
        r.body
    );
    assert!(
        !r.body.contains("ignored"),
        "the filter is applied: {}",
        r.body
    );
    let r = get(&app, "/api/search?q=storm&severity=%DA%A9%D9%85").await;
    assert!(
        r.body.contains("\"total\":0"),
        "«کم» (low) leaves it out: {}",
        r.body
    );
    let r = get(&app, "/api/search?q=storm&severity=high").await;
    assert!(
        r.body.contains("\"total\":1"),
        "the file's «شدید» is high: {}",
        r.body
    );

    let r = submit(
        &app,
        &[
            ("title", "Second storm"),
            ("crisis_type", "natural-disaster"),
            ("date", "2024-03-01"),
            ("severity", "شدید"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let text = std::fs::read_to_string(kb.path().join("2024-03-01-second-storm.md")).unwrap();
    assert!(text.contains("severity: high"), "{text}");
}
