//! The write API: a script with a token opens and edits cases; every save is one commit
//! by the token's name; concurrent saves are all kept, concurrent edits of one version
//! give one winner; nobody without a token writes.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;

use super::util::{get, git, log_in, send, Kb, Reply};

fn token(kb: &Kb, name: &str) -> String {
    let folder = casebook::kb::Kb::open(kb.path()).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    casebook::accounts::Tokens::add(&folder, name, day)
        .unwrap()
        .token
}

async fn api(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    json: &serde_json::Value,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::from(json.to_string())).unwrap()).await
}

fn persian_case(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "crisis_type": "contracts",
        "date": "۱۴۰۳-۰۵-۱۲",
        "severity": "شدید",
        "mistakes": [
            {"chapter": "contracts", "text": "امضاکنندهٔ قرارداد صاحب امضای مجاز نبود", "lesson": "روزنامهٔ رسمی را پیش از امضا ببینید"},
            {"chapter": "finance", "text": "پیش‌پرداخت بی‌ضمانت", "lesson": "ضمانت‌نامهٔ بانکی بگیرید"}
        ],
        "body": "## چه شد\n\nقرارداد باطل شد."
    })
}

fn json(r: &Reply) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body))
}

#[tokio::test]
async fn a_script_with_a_token_opens_a_case_that_is_searchable_and_committed() {
    let kb = Kb::fixture();
    kb.git_commit("Team", "The cases so far");
    let bearer = format!("Bearer {}", token(&kb, "monitoring"));
    let app = kb.app();
    let r = api(
        &app,
        "POST",
        "/api/cases",
        &[("authorization", &bearer)],
        &persian_case("قرارداد باطل با پیمانکار"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = json(&r);
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(made["path"].as_str().unwrap(), format!("{id}.md"));
    assert_eq!(
        r.header("location").unwrap(),
        format!("/api{}", casebook::web::case_href(&id))
    );
    let text = std::fs::read_to_string(kb.path().join(format!("{id}.md"))).unwrap();
    assert!(text.contains("قرارداد باطل شد"), "{text}");

    let found = get(
        &app,
        "/api/search?q=%D8%B1%D9%88%D8%B2%D9%86%D8%A7%D9%85%D9%87",
    )
    .await;
    assert!(
        found.body.contains(&id),
        "searchable at once: {}",
        found.body
    );
    let log = git(kb.path(), &["log", "-1", "--format=%an|%s", "--name-only"]);
    assert!(
        log.starts_with("monitoring|case: add قرارداد باطل با پیمانکار"),
        "{log}"
    );
    assert!(log.contains(&format!("{id}.md")), "{log}");
}

#[tokio::test]
async fn an_edit_needs_the_version_it_started_from() {
    let kb = Kb::fixture();
    let bearer = format!("Bearer {}", token(&kb, "monitoring"));
    let auth = [("authorization", bearer.as_str())];
    let app = kb.app();
    let r = api(&app, "POST", "/api/cases", &auth, &persian_case("ویرایش")).await;
    let uri = r.header("location").unwrap().to_string();
    let r = get(&app, &uri).await;
    assert_eq!(r.status, StatusCode::OK);
    let etag = r.header("etag").unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    assert_eq!(json(&r)["severity"], "high");

    let mut edited = persian_case("ویرایش");
    edited["body"] = "نسخهٔ دوم".into();
    let r = api(&app, "PUT", &uri, &auth, &edited).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED, "no If-Match");
    let with_etag = [
        ("authorization", bearer.as_str()),
        ("if-match", etag.as_str()),
    ];
    let r = api(&app, "PUT", &uri, &with_etag, &edited).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new_etag = r.header("etag").unwrap().to_string();
    assert_ne!(new_etag, etag);
    assert_eq!(get(&app, &uri).await.header("etag").unwrap(), new_etag);

    edited["body"] = "نسخه‌ای از روی نسخهٔ کهنه".into();
    let r = api(&app, "PUT", &uri, &with_etag, &edited).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert!(json(&get(&app, &uri).await)["body"]
        .as_str()
        .unwrap()
        .contains("نسخهٔ دوم"));
}

#[tokio::test]
async fn an_invalid_case_gets_the_messages_of_check_and_nothing_is_written() {
    let kb = Kb::fixture();
    let bearer = format!("Bearer {}", token(&kb, "monitoring"));
    let auth = [("authorization", bearer.as_str())];
    let app = kb.app();
    let mut bad = persian_case("تاریخ بد");
    bad["date"] = "1403-13-01".into();
    let before = super::util::md_count(kb.path());
    let r = api(&app, "POST", "/api/cases", &auth, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let problems = json(&r)["problems"].to_string();
    assert!(
        problems.contains("new-case.md:") && problems.contains("13"),
        "{problems}"
    );
    let mut undated = persian_case("بی تاریخ");
    undated.as_object_mut().unwrap().remove("date");
    let r = api(&app, "POST", "/api/cases", &auth, &undated).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("date"), "{}", r.body);
    for broken in ["[1, 2]", "{\"body\": 3}", "not json"] {
        let request = Request::post("/api/cases")
            .header("authorization", &bearer)
            .body(Body::from(broken))
            .unwrap();
        assert_eq!(
            send(&app, request).await.status,
            StatusCode::BAD_REQUEST,
            "{broken}"
        );
    }
    let r = api(&app, "POST", "/api/cases", &auth, &persian_case("دوبار")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = api(&app, "POST", "/api/cases", &auth, &persian_case("دوبار")).await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "never over an existing case"
    );
    assert_eq!(super::util::md_count(kb.path()), before + 1);
}

#[tokio::test]
async fn without_a_valid_token_nothing_is_written() {
    let kb = Kb::fixture();
    let good = token(&kb, "monitoring");
    let app = kb.app();
    let before = super::util::md_count(kb.path());
    let login = log_in(&app).await;
    let cookie = [("cookie", login.cookie.as_str())];
    let revoked = token(&kb, "old-job");
    let folder = casebook::kb::Kb::open(kb.path()).unwrap();
    casebook::accounts::Tokens::revoke(&folder, "old-job").unwrap();
    let wrong = format!("Bearer {good}x");
    let revoked = format!("Bearer {revoked}");
    for headers in [
        vec![],
        vec![("authorization", wrong.as_str())],
        vec![("authorization", revoked.as_str())],
        // A logged-in browser's cookie is not a token.
        cookie.to_vec(),
    ] {
        let r = api(
            &app,
            "POST",
            "/api/cases",
            &headers,
            &persian_case("ناشناس"),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{headers:?}");
        assert!(r.body.contains("Bearer"), "{}", r.body);
    }
    assert_eq!(super::util::md_count(kb.path()), before);
}

/// 50 saves at once: 50 files and 50 commits, none lost or mixed, `git fsck` clean;
/// then 10 edits of one case from the same version: one wins, nine get 412.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_are_all_kept_and_concurrent_edits_have_one_winner() {
    let kb = Kb::fixture();
    kb.git_commit("Team", "The cases so far");
    let bearer = format!("Bearer {}", token(&kb, "monitoring"));
    let app = kb.app();
    let before = super::util::md_count(kb.path());
    let saves = (0..50).map(|i| {
        let (app, bearer) = (app.clone(), bearer.clone());
        tokio::spawn(async move {
            let auth = [("authorization", bearer.as_str())];
            api(
                &app,
                "POST",
                "/api/cases",
                &auth,
                &persian_case(&format!("پرونده {i}")),
            )
            .await
        })
    });
    let mut ids = Vec::new();
    for save in saves.collect::<Vec<_>>() {
        let r = save.await.unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(json(&r)["id"].as_str().unwrap().to_string());
    }
    assert_eq!(super::util::md_count(kb.path()), before + 50);
    let log = git(kb.path(), &["log", "--format=%x1e%s", "--name-only"]);
    let commits: Vec<&str> = log
        .split('\u{1e}')
        .filter(|c| c.starts_with("case: add"))
        .collect();
    assert_eq!(commits.len(), 50);
    for commit in &commits {
        let files: Vec<&str> = commit.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(files.len(), 1, "one file per commit: {commit}");
        let title = commit
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("case: add ");
        let text = std::fs::read_to_string(kb.path().join(files[0])).unwrap();
        assert!(
            text.contains(title),
            "the commit names its own case: {commit}"
        );
    }
    git(kb.path(), &["fsck", "--strict"]);
    assert!(git(kb.path(), &["status", "--porcelain"]).trim().is_empty());

    let uri = format!("/api{}", casebook::web::case_href(&ids[0]));
    let etag = get(&app, &uri).await.header("etag").unwrap().to_string();
    let edits = (0..10).map(|i| {
        let (app, bearer, uri, etag) = (app.clone(), bearer.clone(), uri.clone(), etag.clone());
        tokio::spawn(async move {
            let mut edited = persian_case("پرونده 0");
            edited["body"] = format!("ویرایش {i}").into();
            let headers = [
                ("authorization", bearer.as_str()),
                ("if-match", etag.as_str()),
            ];
            api(&app, "PUT", &uri, &headers, &edited).await.status
        })
    });
    let mut statuses = Vec::new();
    for edit in edits.collect::<Vec<_>>() {
        statuses.push(edit.await.unwrap());
    }
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::PRECONDITION_FAILED)
        .count();
    assert_eq!((won, refused), (1, 9), "{statuses:?}");
}
