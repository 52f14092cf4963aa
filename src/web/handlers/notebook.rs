//! The notebook of mistakes: every mistake grouped by chapter, and one chapter's page as
//! the printable checklist to read before a contract, a hire or a supplier choice.

use axum::extract::{Path, State};
use axum::response::Html;
use serde::Serialize;

use super::Page;
use crate::notebook::MistakeEntry;
use crate::web::error::{AppError, Missing};
use crate::web::i18n::Lang;
use crate::web::view::{case_href, chapter_href, encode_segment, DateView, Labels};
use crate::web::AppState;

#[derive(Serialize)]
struct ChapterEntry {
    label: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct NotebookPage {
    total: usize,
    chapters: Vec<ChapterEntry>,
    unknown: Vec<ChapterEntry>,
}

/// `GET /notebook`: the chapters with their number of mistakes.
pub async fn index(
    State(state): State<AppState>,
    Page(ui): Page,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    let taxonomy = &state.kb().taxonomy;
    let counts = library.chapter_counts();
    let count_of = |id: &str| {
        counts
            .iter()
            .find(|c| c.known && c.chapter == id)
            .map_or(0, |c| c.mistakes)
    };
    let page = NotebookPage {
        total: counts.iter().map(|c| c.mistakes).sum(),
        chapters: taxonomy
            .chapters
            .iter()
            .map(|l| ChapterEntry {
                label: l.in_lang(ui.lang.code()).to_string(),
                href: chapter_href(&l.id),
                count: count_of(&l.id),
            })
            .collect(),
        unknown: counts
            .iter()
            .filter(|c| !c.known)
            .map(|c| ChapterEntry {
                label: c.chapter.clone(),
                href: chapter_href(&c.chapter),
                count: c.mistakes,
            })
            .collect(),
    };
    state.page("notebook.html", &ui, &page)
}

#[derive(Serialize)]
struct ChecklistItem {
    text: String,
    lesson: Option<String>,
    case_title: String,
    case_href: String,
    case_date: Option<DateView>,
}

impl ChecklistItem {
    fn new(entry: MistakeEntry, lang: Lang) -> ChecklistItem {
        ChecklistItem {
            case_href: case_href(&entry.case_id),
            case_date: entry
                .case_date
                .as_ref()
                .map(|d| DateView::of_case_date(d, lang)),
            case_title: entry.case_title,
            text: entry.text,
            lesson: entry.lesson,
        }
    }
}

/// The most mistakes one checklist shows (the newest); a longer one is not read.
const CHECKLIST_MAX: usize = 200;

#[derive(Serialize)]
struct ChapterPage {
    label: String,
    items: Vec<ChecklistItem>,
    total: usize,
    search_href: String,
}

/// `GET /notebook/{chapter}`: the checklist of one chapter (id or any spelling of its label).
pub async fn chapter(
    State(state): State<AppState>,
    Page(ui): Page,
    Path(chapter): Path<String>,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    let labels = Labels {
        lang: ui.lang,
        taxonomy: &state.kb().taxonomy,
        i18n: state.i18n(),
    };
    let known = state.kb().taxonomy.chapter(&chapter);
    let id = known.map_or(chapter.as_str(), |l| l.id.as_str());
    let found = library.mistakes_of_chapter(id);
    let total = found.len();
    if known.is_none() && total == 0 {
        return Err(AppError::NotFound(Missing::Page));
    }
    let page = ChapterPage {
        label: labels.chapter(id),
        total,
        search_href: format!("/search?chapter={}", encode_segment(id)),
        items: found
            .take(CHECKLIST_MAX)
            .map(|entry| ChecklistItem::new(entry, ui.lang))
            .collect(),
    };
    state.page("chapter.html", &ui, &page)
}
