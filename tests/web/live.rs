//! Live reload: the real state and router on a temp knowledge base with the file watcher
//! running, and files written, broken and deleted the way an editor or `git pull` would.
//! Nobody presses Reload.

use axum::http::StatusCode;

use crate::util::{eventually, get, Kb};

const FLOOD: &str = "---\ntitle: Zanjan warehouse flood\ncrisis_type: natural-disaster\ndate: 2024-05-01\n---\nThe river rose overnight.\n";

#[tokio::test]
async fn a_new_case_written_on_disk_appears_in_search_and_on_its_page() {
    let kb = Kb::fixture();
    let state = kb.state();
    let _watching = state.watch().expect("the knowledge base can be watched");
    let app = casebook::web::router(state);
    let r = get(&app, "/api/search?q=zanjan").await;
    assert!(r.body.contains("\"total\":0"), "{}", r.body);

    kb.write("2024/zanjan-flood.md", FLOOD);
    eventually(&app, "/api/search?q=zanjan", |r| {
        r.body.contains("\"total\":1") && r.body.contains("2024/zanjan-flood")
    })
    .await;
    let r = get(&app, "/cases/2024/zanjan-flood?lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("The river rose overnight."));
}

#[tokio::test]
async fn a_case_made_broken_moves_to_problems_and_leaves_search() {
    let kb = Kb::fixture();
    let state = kb.state();
    let _watching = state.watch().expect("the knowledge base can be watched");
    let app = casebook::web::router(state);
    kb.write("2024/zanjan-flood.md", FLOOD);
    eventually(&app, "/api/search?q=zanjan", |r| {
        r.body.contains("\"total\":1")
    })
    .await;

    kb.write(
        "2024/zanjan-flood.md",
        &FLOOD.replace("date: 2024-05-01", "date: 1403-13-01"),
    );
    let r = eventually(&app, "/problems?lang=en", |r| {
        r.body.contains("2024/zanjan-flood.md:4:7")
    })
    .await;
    assert!(r.body.contains("month 13"), "{}", r.body);
    let r = get(&app, "/api/search?q=zanjan").await;
    assert!(r.body.contains("\"total\":0"), "{}", r.body);
    assert_eq!(
        get(&app, "/cases/2024/zanjan-flood").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_deleted_case_is_a_404_and_gone_from_search() {
    let kb = Kb::fixture();
    let state = kb.state();
    let _watching = state.watch().expect("the knowledge base can be watched");
    let app = casebook::web::router(state);
    // جهش ("jump", of the dollar) is in that case's title.
    let jump = "/api/search?q=%D8%AC%D9%87%D8%B4";
    let r = get(&app, jump).await;
    assert!(r.body.contains("1397/dollar-contract"), "{}", r.body);

    kb.remove("1397/dollar-contract.md");
    // The page reads the body from the file, so it is a 404 as soon as the file is gone;
    // search follows when the index does.
    eventually(&app, jump, |r| !r.body.contains("1397/dollar-contract")).await;
    let r = get(&app, "/cases/1397/dollar-contract").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = get(&app, "/api/cases/1397/dollar-contract").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
