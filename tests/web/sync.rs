//! Two servers, an office and a branch, sharing one bare repository through
//! `--git-sync`: a case written on one is searchable on the other after a round each; a
//! case edited on both is a reported conflict with both versions kept.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use casebook::git::Synced;
use casebook::web::AppState;

use super::util::{get, git, send, Kb, Reply};

/// A bare repository holding the fixture's cases, and two clones of it.
fn offices(kb: &Kb) -> (tempfile::TempDir, PathBuf, PathBuf) {
    kb.git_commit("Team", "The cases so far");
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("team.git");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            "--bare",
            kb.path().to_str().unwrap(),
            bare.to_str().unwrap(),
        ],
    );
    let clone = |name: &str| {
        let to = dir.path().join(name);
        git(
            dir.path(),
            &["clone", "-q", bare.to_str().unwrap(), to.to_str().unwrap()],
        );
        // Each server's own users and tokens (never in git).
        let private = kb.path().join(casebook::accounts::PRIVATE_DIR);
        let to_private = to.join(casebook::accounts::PRIVATE_DIR);
        std::fs::create_dir_all(&to_private).unwrap();
        std::fs::copy(private.join("users.toml"), to_private.join("users.toml")).unwrap();
        to
    };
    let (office, branch) = (clone("office"), clone("branch"));
    (dir, office, branch)
}

fn server(dir: &Path) -> (AppState, String) {
    let kb = casebook::kb::Kb::open(dir).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let token = casebook::accounts::Tokens::add(&kb, "script", day)
        .unwrap()
        .token;
    (AppState::new(kb).unwrap(), format!("Bearer {token}"))
}

async fn api(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    json: serde_json::Value,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    send(app, request.body(Body::from(json.to_string())).unwrap()).await
}

fn case(title: &str, body: &str) -> serde_json::Value {
    serde_json::json!({"title": title, "crisis_type": "legal", "date": "1404-01-15", "body": body})
}

#[tokio::test]
async fn a_case_written_at_the_office_is_found_at_the_branch() {
    let kb = Kb::fixture();
    let (_dir, office_dir, branch_dir) = offices(&kb);
    let (office, office_token) = server(&office_dir);
    let (branch, _) = server(&branch_dir);
    let (office_app, branch_app) = (
        casebook::web::router(office.clone()),
        casebook::web::router(branch.clone()),
    );
    let r = api(
        &office_app,
        "POST",
        "/api/cases",
        &[("authorization", &office_token)],
        case("تعطیلی تأمین‌کننده در نوروز", "zanbaghsync"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(office.sync_once().await.unwrap(), Synced::Pushed);
    assert_eq!(
        branch.sync_once().await.unwrap(),
        Synced::Pulled { pushed: false }
    );
    let found = get(&branch_app, "/api/search?q=zanbaghsync").await;
    assert!(found.body.contains("\"total\":1"), "{}", found.body);
}

#[tokio::test]
async fn one_case_edited_at_both_is_a_reported_conflict_with_both_versions_kept() {
    let kb = Kb::fixture();
    let (_dir, office_dir, branch_dir) = offices(&kb);
    let (office, office_token) = server(&office_dir);
    let (branch, branch_token) = server(&branch_dir);
    let (office_app, branch_app) = (
        casebook::web::router(office.clone()),
        casebook::web::router(branch.clone()),
    );
    let uri = "/api/cases/1397/dollar-contract";
    for (app, token, body) in [
        (&office_app, &office_token, "نسخهٔ دفتر مرکزی"),
        (&branch_app, &branch_token, "نسخهٔ شعبه"),
    ] {
        let etag = get(app, uri).await.header("etag").unwrap().to_string();
        let r = api(
            app,
            "PUT",
            uri,
            &[("authorization", token), ("if-match", &etag)],
            case("قرارداد دلاری", body),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(office.sync_once().await.unwrap(), Synced::Pushed);
    let Synced::Conflict(files) = branch.sync_once().await.unwrap() else {
        panic!("a conflict");
    };
    assert_eq!(files.len(), 1);
    let problems = get(&branch_app, "/problems").await;
    assert!(
        problems.body.contains("نسخهٔ دفتر مرکزی") && problems.body.contains("نسخهٔ شعبه"),
        "{}",
        problems.body
    );
    let kept = std::fs::read_to_string(branch_dir.join("1397/dollar-contract.md")).unwrap();
    assert!(
        kept.contains("نسخهٔ شعبه"),
        "the branch keeps its own version"
    );
}
