//! `GET /followups`: every follow-up with owner, due date, status and case, overdue first;
//! filtered by owner, chapter or "overdue only" (`?owner=&chapter=&overdue=1`).

use axum::extract::{Query, State};
use axum::response::Html;
use serde::{Deserialize, Serialize};

use super::calendar::today;
use super::Page;
use crate::followups::{list, Filter};
use crate::web::error::AppError;
use crate::web::view::{case_href, FollowUpView};
use crate::web::AppState;

/// The filters of the page.
#[derive(Debug, Default, Deserialize)]
pub struct FollowupsQuery {
    owner: Option<String>,
    chapter: Option<String>,
    overdue: Option<String>,
}

#[derive(Serialize)]
struct Row {
    case_href: String,
    case_title: String,
    done_href: String,
    index: usize,
    followup: FollowUpView,
    overdue: bool,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct FollowupsPage {
    rows: Vec<Row>,
    open: usize,
    overdue: usize,
    owner: String,
    overdue_only: bool,
    chapters: Vec<Choice>,
}

/// `GET /followups`.
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    Query(query): Query<FollowupsQuery>,
) -> Result<Html<String>, AppError> {
    let lang = ui.lang;
    let taxonomy = &state.kb().taxonomy;
    let chapter = query.chapter.filter(|c| !c.trim().is_empty());
    let filter = Filter {
        owner: query.owner.clone(),
        overdue: query.overdue.as_deref().is_some_and(|v| !v.is_empty()),
        chapter: chapter.clone(),
    };
    let library = state.library();
    let rows = list(library.cases(), taxonomy, today(), &filter)
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let chosen = chapter
        .as_deref()
        .and_then(|c| taxonomy.chapter(c))
        .map(|l| l.id.clone());
    let page = FollowupsPage {
        open: rows.iter().filter(|r| !r.followup.done).count(),
        overdue: rows.iter().filter(|r| r.overdue).count(),
        rows: rows
            .iter()
            .map(|r| Row {
                case_href: case_href(&r.case_id),
                case_title: r.case_title.clone(),
                done_href: super::edit_case::followup_href(&r.case_id),
                index: r.index,
                followup: FollowUpView::new(&r.followup, lang),
                overdue: r.overdue,
            })
            .collect(),
        owner: query.owner.unwrap_or_default(),
        overdue_only: filter.overdue,
        chapters: taxonomy
            .chapters
            .iter()
            .map(|l| Choice {
                value: l.id.clone(),
                label: l.in_lang(lang.code()).to_string(),
                selected: chosen.as_deref() == Some(l.id.as_str()),
            })
            .collect(),
    };
    state.page("followups.html", &ui, &page)
}
