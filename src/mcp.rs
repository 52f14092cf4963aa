//! `casebook mcp`: a Model Context Protocol server over stdio (the official SDK, rmcp), so
//! that an AI assistant a team already uses can search the cases, read one, list the
//! mistakes of a chapter before a decision, and list the crises coming in a date range.
//! Read-only; the same analysis and the same JSON shapes as the HTTP API and the CLI
//! (`/api/search`, `/api/cases/{id}`, `casebook mistakes --json`, `casebook calendar
//! --format json`). The files are read again before each call, so it sees what git brought.

use std::sync::Mutex;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock as Content, Implementation, ServerCapabilities, ServerConfig,
};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::{Deserialize, Serialize};

use crate::calendar::upcoming;
use crate::case::Case;
use crate::dates::CaseDate;
use crate::index::{Index, NoProgress};
use crate::kb::Kb;
use crate::query::SearchRequest;
use crate::snapshot::Snapshot;

/// The most results a search call returns.
const MAX_LIMIT: usize = 50;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum McpError {
    /// The index could not be opened.
    #[error(transparent)]
    Index(#[from] crate::index::IndexError),
    /// The protocol session failed.
    #[error("the MCP session: {0}")]
    Session(String),
}

/// The server: the knowledge base, its index, and the snapshot of the last call.
#[derive(Clone)]
pub struct Casebook {
    kb: std::sync::Arc<Kb>,
    index: std::sync::Arc<Mutex<Index>>,
    last: std::sync::Arc<Mutex<std::sync::Arc<Snapshot>>>,
    tool_router: ToolRouter<Self>,
}

/// `search_cases`' arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct SearchArgs {
    /// The words, in Persian or English; "quotes" for a phrase, -word to leave out.
    pub query: String,
    /// Only mistakes of this chapter: contracts, suppliers, staff, finance, it,
    /// communication, customers, legal (or a label in either language).
    pub chapter: Option<String>,
    /// Only this crisis type (currency, internet-outage, supply…).
    pub crisis_type: Option<String>,
    /// Only cases that began on or after this date (2024-01-01 or 1403-01-01).
    pub since: Option<String>,
    /// Only cases that began on or before this date.
    pub until: Option<String>,
    /// How many results (default 10, at most 50).
    pub limit: Option<usize>,
}

/// `read_case`' arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct CaseArgs {
    /// The case id, as search results give it (`2017/contract-signed-by-non-signatory`).
    pub id: String,
}

/// `chapter_mistakes`' arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct ChapterArgs {
    /// The chapter: an id (contracts, suppliers, staff, finance, it, communication,
    /// customers, legal) or its Persian or English label.
    pub chapter: String,
}

/// `coming_crises`' arguments.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
pub struct RangeArgs {
    /// The first day, Gregorian or Jalali (2026-03-01 or 1404-12-10).
    pub from: String,
    /// The last day (at most two years after `from`).
    pub to: String,
}

/// A case as `/api/cases/{id}` gives it.
#[derive(Serialize)]
struct CaseWithBody<'a> {
    #[serde(flatten)]
    case: &'a Case,
    body: String,
}

fn json(value: &impl Serialize) -> Result<CallToolResult, ErrorData> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
    Ok(CallToolResult::success(vec![Content::text(text)]))
}

/// A problem with the arguments, told to the assistant as the tool's result.
fn refuse(message: impl Into<String>) -> Result<CallToolResult, ErrorData> {
    Ok(CallToolResult::error(vec![Content::text(message.into())]))
}

#[tool_router]
impl Casebook {
    /// The server for a knowledge base; its index is brought up to date.
    pub fn open(kb: Kb) -> Result<Casebook, McpError> {
        let index = Index::open_with(&kb, false, &NoProgress)?;
        Ok(Casebook {
            kb: std::sync::Arc::new(kb),
            index: std::sync::Arc::new(Mutex::new(index)),
            last: Default::default(),
            tool_router: Self::tool_router(),
        })
    }

    /// The knowledge base as its files are now: the last call's snapshot, with only the
    /// files that changed since read again (a call on 10,000 cases would otherwise parse
    /// them all).
    fn snapshot(&self) -> std::sync::Arc<Snapshot> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let fresh = std::sync::Arc::new(Snapshot::reload(&self.kb, &last));
        *last = fresh.clone();
        fresh
    }

    #[tool(
        description = "Search past crisis cases and their mistakes and lessons, in Persian or English (either language finds both through a bilingual glossary). Returns ranked hits with highlighted snippets, as casebook's /api/search."
    )]
    async fn search_cases(
        &self,
        Parameters(args): Parameters<SearchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let req = SearchRequest {
            q: args.query,
            chapter: args.chapter,
            crisis_type: args.crisis_type,
            since: args.since,
            until: args.until,
            limit: Some(args.limit.unwrap_or(10).clamp(1, MAX_LIMIT)),
            facets: Some(false),
            ..SearchRequest::default()
        };
        let index = self.index.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = index.refresh(&self.kb) {
            tracing::warn!("mcp: the index could not be brought up to date: {e}");
        }
        match index.search(&req) {
            Ok(results) => json(&results),
            Err(e) => refuse(e.to_string()),
        }
    }

    #[tool(
        description = "Read one case whole: its front matter (crisis type, dates, actions, mistakes by chapter with lessons, follow-ups) and its Markdown story, as casebook's /api/cases/{id}."
    )]
    async fn read_case(
        &self,
        Parameters(args): Parameters<CaseArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let snapshot = self.snapshot();
        let Some(case) = snapshot.case(args.id.trim().trim_end_matches(".md")) else {
            return refuse(format!(
                "no case with id {:?}; search_cases gives the ids",
                args.id
            ));
        };
        let body = self
            .kb
            .read(&case.path)
            .map(|bytes| Case::body_of(&bytes))
            .unwrap_or_default();
        json(&CaseWithBody { case, body })
    }

    #[tool(
        description = "Every past mistake of one chapter of the notebook (contracts, suppliers, staff, finance, it, communication, customers, legal), each with its lesson and case, newest first: what to read before signing a contract, hiring or choosing a supplier."
    )]
    async fn chapter_mistakes(
        &self,
        Parameters(args): Parameters<ChapterArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let Some(label) = self.kb.taxonomy.chapter(&args.chapter) else {
            let known: Vec<&str> = self
                .kb
                .taxonomy
                .chapters
                .iter()
                .map(|l| l.id.as_str())
                .collect();
            return refuse(format!(
                "unknown chapter {:?}: use one of {}",
                args.chapter,
                known.join(", ")
            ));
        };
        let snapshot = self.snapshot();
        let entries: Vec<_> = snapshot.mistakes_of_chapter(&label.id).collect();
        json(&entries)
    }

    #[tool(
        description = "The anticipated recurring crises (Nowruz, Muharram, Ramadan, elections, tax deadlines…) between two dates, each with its warning date and the past cases to reread, as `casebook calendar --format json`."
    )]
    async fn coming_crises(
        &self,
        Parameters(args): Parameters<RangeArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let (from, to) = match (CaseDate::parse(&args.from), CaseDate::parse(&args.to)) {
            (Ok(from), Ok(to)) => (from.start, to.end),
            (Err(e), _) | (_, Err(e)) => return refuse(e.to_string()),
        };
        if to < from || (to - from).num_days() > 2 * 366 {
            return refuse("`to` must be after `from`, and at most two years later");
        }
        let snapshot = self.snapshot();
        let occurrences = upcoming(&snapshot.crises, &snapshot.loaded.cases, from, to);
        json(&serde_json::json!({ "from": from, "to": to, "occurrences": occurrences }))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Casebook {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("casebook", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Casebook is a team's notebook of past crises and mistakes. Before a decision \
                 (a contract, a hire, a supplier), call chapter_mistakes for that chapter; use \
                 search_cases for anything else, read_case for a whole case, and coming_crises \
                 for what to prepare for.",
            )
    }
}

/// Serves MCP on stdin and stdout until the client closes them. Logs go to stderr.
pub async fn serve_stdio(kb: Kb) -> Result<(), McpError> {
    let server = Casebook::open(kb)?;
    let service = server
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| McpError::Session(e.to_string()))?;
    service
        .waiting()
        .await
        .map_err(|e| McpError::Session(e.to_string()))?;
    Ok(())
}
