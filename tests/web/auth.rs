//! Who may write: logging in and out, the limits on guessing, `--private`, and an
//! anonymous visitor who can read but never write.

use axum::http::StatusCode;

use super::util::{
    form_token, get, get_as, log_in, post_as, post_form, session_cookie, token_in, try_login, Kb,
    PASSWORD, USER,
};

fn case_files(kb: &Kb) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(kb.path())
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.path().display().to_string())
        .filter(|p| p.ends_with(".md"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn with_no_user_reading_works_and_the_write_pages_say_how_to_add_one() {
    let kb = Kb::without_users();
    let app = kb.app();
    assert_eq!(get(&app, "/").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/search?q=قرارداد").await.status, StatusCode::OK);
    for uri in ["/cases/new", "/login"] {
        let r = get(&app, uri).await;
        assert!(
            r.body.contains("casebook user add NAME"),
            "{uri}: {}",
            r.body
        );
    }
    assert_eq!(get(&app, "/cases/new").await.status, StatusCode::FORBIDDEN);
    let token = form_token(&app).await;
    let fields = [
        ("token", token.as_str()),
        ("name", "mina"),
        ("password", "anything at all"),
    ];
    let r = post_form(&app, "/login", &fields, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no login form, no login");
    assert!(session_cookie(&r).is_none());
}

#[tokio::test]
async fn an_anonymous_visitor_reads_but_every_write_is_refused_and_nothing_written() {
    let kb = Kb::fixture();
    let app = kb.app();
    let before = case_files(&kb);
    let r = get(&app, "/cases/new").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/login?next=%2Fcases%2Fnew"));
    let token = form_token(&app).await;
    let fields = [
        ("token", token.as_str()),
        ("title", "anonymous"),
        ("crisis_type", "legal"),
        ("date", "2026-01-05"),
    ];
    let case = "1397/dollar-contract";
    let before_text = std::fs::read_to_string(kb.path().join(format!("{case}.md"))).unwrap();
    let edit = format!("/edit/{case}");
    let followup = format!("/followup/{case}");
    let with_index = [fields.to_vec(), vec![("index", "0")]].concat();
    for uri in ["/cases/new", "/logout", edit.as_str(), followup.as_str()] {
        let r = post_form(&app, uri, &with_index, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
    }
    assert_eq!(
        get(&app, &edit).await.status,
        StatusCode::SEE_OTHER,
        "the edit form asks for a login"
    );
    let json = r#"{"title":"anonymous","crisis_type":"legal","date":"2026-01-05"}"#;
    for (method, uri) in [
        ("POST", "/api/cases".to_string()),
        ("PUT", format!("/api/cases/{case}")),
    ] {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(&uri)
            .header("content-type", "application/json")
            .header("if-match", "\"anything\"")
            .body(axum::body::Body::from(json))
            .unwrap();
        let r = super::util::send(&app, request).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
    }
    assert_eq!(case_files(&kb), before, "nothing written");
    let after_text = std::fs::read_to_string(kb.path().join(format!("{case}.md"))).unwrap();
    assert_eq!(after_text, before_text, "nothing changed");
}

#[tokio::test]
async fn logging_in_and_out() {
    let kb = Kb::fixture();
    let app = kb.app();
    let r = try_login(&app, USER, "not the password", "/cases/new").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("نام کاربری یا گذرواژه درست نیست"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!(r#"value="{USER}""#)),
        "the name is kept"
    );
    assert!(
        session_cookie(&r).is_none(),
        "no session for a failed login"
    );

    // Names compare like other text: MINA is mina.
    let r = try_login(&app, &USER.to_uppercase(), PASSWORD, "/cases/new").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header("location"), Some("/cases/new"));
    let set_cookie = r.header("set-cookie").unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    let cookie = session_cookie(&r).unwrap();
    let home = super::util::get_with(&app, "/", &[("cookie", &cookie)]).await;
    assert!(home.body.contains(USER) && home.body.contains(r#"action="/logout""#));
    let csrf = token_in(home.body.split_once(r#"action="/logout""#).unwrap().1);
    let login = super::util::Login { cookie, csrf };
    assert_eq!(
        get_as(&app, &login, "/cases/new").await.status,
        StatusCode::OK
    );

    let r = post_as(&app, &login, "/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = get_as(&app, &login, "/cases/new").await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "the old cookie no longer logs in"
    );
}

#[tokio::test]
async fn the_login_page_never_sends_anyone_to_another_site() {
    let kb = Kb::fixture();
    let app = kb.app();
    for next in [
        "//evil.example/x",
        "https://evil.example",
        "/\\evil.example",
    ] {
        let r = try_login(&app, USER, PASSWORD, next).await;
        assert_eq!(r.header("location"), Some("/"), "{next}");
    }
}

#[tokio::test]
async fn guessing_a_password_is_stopped_after_five_tries() {
    let kb = Kb::fixture();
    let app = kb.app();
    for _ in 0..5 {
        let r = try_login(&app, USER, "a wrong guess", "/").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password waits now: the limit is checked before the password.
    let r = try_login(&app, USER, PASSWORD, "/").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(r.body.contains("تلاش‌ها بیش از حد بود"), "{}", r.body);
}

#[tokio::test]
async fn a_new_password_or_a_removed_user_ends_their_logins() {
    let kb = Kb::fixture();
    let app = kb.app();
    let login = log_in(&app).await;
    assert_eq!(
        get_as(&app, &login, "/cases/new").await.status,
        StatusCode::OK
    );
    let folder = casebook::kb::Kb::open(kb.path()).unwrap();
    casebook::accounts::Users::set_password(&folder, USER, "a brand new password").unwrap();
    assert_eq!(
        get_as(&app, &login, "/cases/new").await.status,
        StatusCode::SEE_OTHER
    );
    let r = try_login(&app, USER, "a brand new password", "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    casebook::accounts::Users::remove(&folder, USER).unwrap();
    let login = super::util::Login {
        cookie: session_cookie(&r).unwrap(),
        csrf: String::new(),
    };
    assert_ne!(
        get_as(&app, &login, "/cases/new").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn private_asks_for_a_login_to_read() {
    let kb = Kb::fixture();
    let app = casebook::web::router(kb.state().private(true));
    let r = get(&app, "/search?q=x").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/login?next=%2Fsearch%3Fq%3Dx"));
    let r = get(&app, "/api/search?q=x").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.header("content-type").unwrap().contains("json"));
    for open in ["/login", "/healthz", "/static/app.css"] {
        assert_eq!(get(&app, open).await.status, StatusCode::OK, "{open}");
    }
    let login = log_in(&app).await;
    assert_eq!(
        get_as(&app, &login, "/search?q=x").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get_as(&app, &login, "/api/search?q=x").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn another_site_cannot_log_a_visitor_in() {
    let kb = Kb::fixture();
    let app = kb.app();
    // The token of a login page the attacker fetched, without its cookie (which the
    // visitor's browser never sends from another site): refused.
    let page = get(&app, "/login").await;
    let fields = [
        ("token", token_in(&page.body)),
        ("name", USER.to_string()),
        ("password", PASSWORD.to_string()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = post_form(&app, "/login", &fields, &[("origin", "null")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(session_cookie(&r).is_none());
}

#[tokio::test]
async fn a_read_only_server_still_logs_out() {
    let kb = Kb::fixture();
    let app = kb.app_with(true);
    let login = log_in(&app).await;
    let r = post_as(&app, &login, "/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let kb = Kb::fixture();
    let app = casebook::web::router(kb.state().secure_cookies(true));
    let r = try_login(&app, USER, PASSWORD, "/").await;
    assert!(r.header("set-cookie").unwrap().contains("Secure"));
}
