//! One test per bug found by probing the app as an attacker would, named after what broke;
//! each failed before its fix. Requests to the real router.

use axum::http::StatusCode;

use super::util::{form_token, get, get_with, post, post_form, refresh, submit_case, Kb};

const EVIL: &str = "rebind.evil.example:8080";

#[tokio::test]
async fn dns_rebinding_host_gets_no_page_no_token_and_cannot_write() {
    let kb = Kb::fixture();
    let app = kb.app();
    for uri in [
        "/",
        "/cases/new",
        "/api/search?q=dollar",
        "/calendar.ics",
        "/problems",
    ] {
        let r = get_with(&app, uri, &[("host", EVIL)]).await;
        assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST, "{uri}");
        assert!(!r.body.contains("token"), "{uri}: {}", r.body);
        assert!(
            r.body.contains("--allowed-host"),
            "says how to allow a real name"
        );
    }
    let token = form_token(&app).await;
    let fields = [
        ("token", token.as_str()),
        ("title", "Rebound write"),
        ("crisis_type", "legal"),
        ("date", "2024-01-01"),
    ];
    let headers = [
        ("host", EVIL),
        ("origin", "http://rebind.evil.example:8080"),
    ];
    let r = post_form(&app, "/cases/new", &fields, &headers).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
    assert!(!kb.path().join("2024-01-01-rebound-write.md").exists());
}

#[tokio::test]
async fn refresh_from_another_site_or_without_the_token_is_refused() {
    let kb = Kb::fixture();
    let app = kb.app();
    let bare = post(&app, "/refresh").await;
    assert!(bare.status.is_client_error(), "{}", bare.status);
    let token = form_token(&app).await;
    let fields = [("token", token.as_str())];
    let other_site = [("origin", "https://evil.example")];
    let r = post_form(&app, "/refresh", &fields, &other_site).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let wrong = [("token", "0123456789abcdef0123456789abcdef")];
    assert_eq!(
        post_form(&app, "/refresh", &wrong, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(refresh(&app).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_path_of_two_slashes_links_to_no_other_site() {
    let kb = Kb::fixture();
    let r = get(&kb.app(), "//evil.example").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("//evil.example"), "{}", r.body);
    assert!(r.body.contains(r#"href="?lang=en""#), "{}", r.body);
}

#[tokio::test]
async fn an_unknown_crisis_type_cannot_forge_an_ics_event() {
    let kb = Kb::fixture();
    kb.write(
        "recurring/forged.md",
        "---\ntitle: \"Forged\\rSUMMARY:x\"\ncrisis_type: \"x\\r\\nEND:VEVENT\\r\\nBEGIN:VEVENT\\r\\nUID:evil@x\"\n\
         calendar: persian\n\
         rule: yearly 1 Farvardin\nlead_days: 3\n---\nPlaybook\rBEGIN:VALARM\n",
    );
    let r = get(&kb.app(), "/calendar.ics").await;
    assert_eq!(r.status, StatusCode::OK);
    let ics = r.body;
    assert!(ics.contains("Forged"), "the crisis is in the feed");
    assert!(!ics.contains("UID:evil@x"), "{ics}");
    assert!(!ics.lines().any(|l| l.starts_with("SUMMARY:x")), "{ics}");
    let bare_cr = ics.replace("\r\n", "").contains('\r');
    assert!(!bare_cr, "no CR outside line ends");
    let begins = ics.matches("BEGIN:VEVENT").count();
    assert_eq!(begins, ics.matches("END:VEVENT").count());
    let forged: Vec<&str> = ics
        .split("BEGIN:VEVENT")
        .filter(|e| e.contains("Forged"))
        .collect();
    assert!(!forged.is_empty());
    assert!(
        forged.iter().all(|e| !e.contains("CATEGORIES:x")),
        "no unknown category"
    );
}

#[tokio::test]
async fn the_form_cannot_hide_a_case_under_an_id_that_reads_the_same() {
    let kb = Kb::fixture();
    let app = kb.app();
    let case = |title| {
        [
            ("title", title),
            ("crisis_type", "legal"),
            ("date", "2024-01-01"),
        ]
    };
    assert_eq!(
        submit_case(&app, &case("ab")).await.status,
        StatusCode::SEE_OTHER
    );
    let second = submit_case(&app, &case("a b")).await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!kb.path().join("2024-01-01-a-b.md").exists());
    let page = get(&app, "/cases/2024-01-01-ab").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"<h1 dir="ltr" lang="en">ab "#),
        "the first case, as written"
    );
}

#[tokio::test]
async fn a_failed_save_names_no_server_path() {
    let kb = Kb::fixture();
    let app = kb.app();
    // The write goes through the state folder's `tmp`: a file in its place fails it.
    let tmp = kb.path().join(".casebook/tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::write(&tmp, "in the way").unwrap();
    let fields = [
        ("title", "Cannot be saved"),
        ("crisis_type", "legal"),
        ("date", "2024-01-01"),
    ];
    let r = submit_case(&app, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let root = kb.path().to_string_lossy().into_owned();
    assert!(!r.body.contains(&root), "{}", r.body);
    assert!(
        r.body.contains("2024-01-01-cannot-be-saved.md"),
        "names the file it meant to write"
    );
}

#[tokio::test]
async fn a_request_body_past_the_limit_is_refused() {
    let kb = Kb::fixture();
    let app = kb.app();
    let big = "x".repeat(casebook::web::MAX_BODY_BYTES + 1);
    let r = submit_case(&app, &[("title", "Big"), ("body", &big)]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[cfg(unix)]
#[tokio::test]
async fn a_case_file_swapped_for_a_link_is_not_shown() {
    let kb = Kb::fixture();
    let app = kb.app();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "---\ntitle: t\n---\nsecretbody\n").unwrap();
    let case = kb.path().join("1397/dollar-contract.md");
    assert_eq!(
        get(&app, "/cases/1397/dollar-contract").await.status,
        StatusCode::OK
    );
    std::fs::remove_file(&case).unwrap();
    std::os::unix::fs::symlink(&secret, &case).unwrap();
    let r = get(&app, "/cases/1397/dollar-contract").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("secretbody"));
}

/// A file name is text from `git pull` too: one with CR LF in it forged events through the
/// feed's URL lines, which were not cleaned.
#[cfg(unix)]
#[tokio::test]
async fn a_file_name_cannot_forge_an_ics_event() {
    let kb = Kb::fixture();
    kb.write(
        "recurring/evil\r\nUID:evil-name@x\r\nSUMMARY:FORGED.md",
        "---\ntitle: Named\ncrisis_type: legal\ncalendar: persian\nrule: yearly 1 Farvardin\nlead_days: 3\n---\nPlaybook\n",
    );
    let r = get(&kb.app(), "/calendar.ics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Named"), "the crisis is in the feed");
    assert!(
        !r.body.lines().any(|l| l.starts_with("UID:evil-name")),
        "{}",
        r.body
    );
    assert!(
        !r.body.lines().any(|l| l.starts_with("SUMMARY:FORGED")),
        "{}",
        r.body
    );
    assert!(!r.body.replace("\r\n", "").contains('\r'));
}

#[tokio::test]
async fn two_host_headers_are_refused() {
    let kb = Kb::fixture();
    let headers = [("host", "localhost:8080"), ("host", "evil.example")];
    let r = get_with(&kb.app(), "/", &headers).await;
    assert_eq!(r.status, StatusCode::MISDIRECTED_REQUEST);
}

/// A running server must not write into an index folder that changed under it into one
/// whose tantivy file list names files outside: its reload refuses, and nothing outside
/// is deleted.
#[tokio::test]
async fn a_running_server_does_not_update_an_index_whose_file_list_was_planted() {
    let kb = Kb::fixture();
    let app = kb.app();
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("precious.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let managed = kb.path().join(".casebook/index/.managed.json");
    let mut names: Vec<String> = serde_json::from_slice(&std::fs::read(&managed).unwrap()).unwrap();
    names.push(victim.to_string_lossy().into_owned());
    std::fs::write(&managed, serde_json::to_vec(&names).unwrap()).unwrap();
    kb.write(
        "2024/new.md",
        "---\ntitle: New\ncrisis_type: legal\ndate: 2024-01-01\n---\n",
    );
    let r = refresh(&app).await;
    assert!(
        r.status.is_server_error(),
        "the reload reports it: {}",
        r.status
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}
