//! `casebook mcp` driven by the official SDK's client over stdio, as an AI assistant would:
//! the tools it lists, past supplier mistakes before a decision, a search across
//! languages, a whole case, the crises coming, and clear refusals.

mod common;

use rmcp::model::{CallToolRequestParams, ClientConfig};
use rmcp::service::RunningService;
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::Value;

#[derive(Clone, Default)]
struct Assistant;

impl ClientHandler for Assistant {
    fn get_info(&self) -> ClientConfig {
        ClientConfig::default()
    }
}

async fn connect(kb: &std::path::Path) -> RunningService<RoleClient, Assistant> {
    let command = tokio::process::Command::new(env!("CARGO_BIN_EXE_casebook")).configure(|c| {
        c.arg("--kb").arg(kb).arg("mcp");
    });
    Assistant
        .serve(TokioChildProcess::new(command).expect("start casebook mcp"))
        .await
        .expect("an MCP session")
}

/// Calls a tool and returns its text and whether it is an error.
async fn call(
    client: &RunningService<RoleClient, Assistant>,
    tool: &str,
    args: Value,
) -> (String, bool) {
    let result = client
        .call_tool(
            CallToolRequestParams::new(tool.to_string())
                .with_arguments(args.as_object().unwrap().clone()),
        )
        .await
        .expect("a tool result");
    let text = result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n");
    (text, result.is_error.unwrap_or(false))
}

#[tokio::test]
async fn an_assistant_asks_for_past_supplier_mistakes_and_more() {
    let kb = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join("cases"), kb.path());
    let client = connect(kb.path()).await;

    let tools = client.list_all_tools().await.unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "chapter_mistakes",
            "coming_crises",
            "read_case",
            "search_cases"
        ]
    );

    // "Past supplier mistakes": the chapter, by its English label, as `mistakes --json`.
    let (text, error) = call(
        &client,
        "chapter_mistakes",
        serde_json::json!({"chapter": "Suppliers"}),
    )
    .await;
    assert!(!error, "{text}");
    let mistakes: Value = serde_json::from_str(&text).unwrap();
    let mistakes = mistakes.as_array().unwrap();
    assert!(mistakes.len() >= 3, "{text}");
    assert!(
        mistakes
            .iter()
            .all(|m| m["chapter"] == "suppliers" && m["case_id"].is_string()),
        "{text}"
    );
    assert!(mistakes.iter().any(|m| m["lesson"].is_string()));

    // An English word finds the Persian cases, as /api/search.
    let (text, error) = call(
        &client,
        "search_cases",
        serde_json::json!({"query": "supplier", "limit": 5}),
    )
    .await;
    assert!(!error, "{text}");
    let results: Value = serde_json::from_str(&text).unwrap();
    let first = &results["hits"][0];
    assert!(first["id"].is_string(), "{text}");
    assert!(results["hits"].as_array().unwrap().len() <= 5);

    // The whole case of the first hit.
    let id = first["id"].as_str().unwrap();
    let (text, error) = call(&client, "read_case", serde_json::json!({"id": id})).await;
    assert!(!error, "{text}");
    let case: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(case["id"], id);
    assert!(
        case["body"].as_str().is_some_and(|b| !b.is_empty()),
        "{text}"
    );

    // The same case edited meanwhile (in an editor, by a pull): the next call reads it.
    let file = kb.path().join(case["path"].as_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    let title_line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    std::fs::write(
        &file,
        text.replacen(title_line, "title: Edited while the assistant reads", 1),
    )
    .unwrap();
    let (text, error) = call(&client, "read_case", serde_json::json!({"id": id})).await;
    assert!(!error, "{text}");
    let case: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(case["title"], "Edited while the assistant reads", "{text}");

    // Nowruz in the range that holds it.
    let (text, error) = call(
        &client,
        "coming_crises",
        serde_json::json!({"from": "1405-12-01", "to": "1406-01-31"}),
    )
    .await;
    assert!(!error, "{text}");
    let coming: Value = serde_json::from_str(&text).unwrap();
    assert!(
        coming["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["crisis_id"] == "nowruz"),
        "{text}"
    );

    // Refusals are results the assistant can read, not a broken session.
    let (text, error) = call(
        &client,
        "chapter_mistakes",
        serde_json::json!({"chapter": "nope"}),
    )
    .await;
    assert!(error && text.contains("unknown chapter"), "{text}");
    let (text, error) = call(
        &client,
        "read_case",
        serde_json::json!({"id": "../../etc/passwd"}),
    )
    .await;
    assert!(error && text.contains("no case"), "{text}");
    let (text, error) = call(
        &client,
        "coming_crises",
        serde_json::json!({"from": "1405-13-01", "to": "1406-01-31"}),
    )
    .await;
    assert!(error && text.contains("13"), "{text}");

    client.cancel().await.unwrap();
}
