//! The monthly lessons digest page (`GET /digest?month=1405-08`): the month's cases with
//! their lessons, the follow-ups still open across all cases, and the crises coming next
//! month with the cases to reread. Printable, like the notebook's checklists.

use axum::extract::{Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use fluent_bundle::FluentArgs;
use serde::{Deserialize, Serialize};

use super::calendar::today;
use super::Page;
use crate::dates::to_jalali;
use crate::digest::render::count_line;
use crate::digest::view::{month_title, DigestView};
use crate::digest::{changed_in, digest, Month, Sources};
use crate::web::calendar_view::OccurrenceView;
use crate::web::error::AppError;
use crate::web::i18n::Lang;
use crate::web::view::{case_href, FollowUpView};
use crate::web::AppState;

/// The query of the digest page.
#[derive(Debug, Deserialize)]
pub struct DigestQuery {
    /// `YYYY-MM`, Jalali or Gregorian, any digits; default the current month.
    month: Option<String>,
}

#[derive(Serialize)]
struct FollowUpEntry {
    case_href: String,
    /// Where "done" is sent (see `edit_case::followup_done`).
    done_href: String,
    index: usize,
    case_title: String,
    followup: FollowUpView,
    overdue: bool,
}

#[derive(Serialize)]
struct MonthLink {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct DigestPage {
    d: DigestView,
    count_line: String,
    coming_title: String,
    /// The coming crises as the calendar shows them, in the same order as `d.coming`.
    coming: Vec<OccurrenceView>,
    open_followups: Vec<FollowUpEntry>,
    previous: MonthLink,
    next: MonthLink,
}

/// The current month: Jalali for a Persian reader, Gregorian for an English one.
fn current_month(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::Fa => {
            let j = to_jalali(day);
            format!("{}-{:02}", j.year, j.month)
        }
        Lang::En => day.format("%Y-%m").to_string(),
    }
}

fn link(m: &Month, lang: Lang) -> MonthLink {
    MonthLink {
        title: month_title(m, lang),
        href: format!("/digest?month={}", crate::text::encode_segment(&m.label)),
    }
}

/// `GET /digest`: the digest of `?month=` (default this month).
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    Query(query): Query<DigestQuery>,
) -> Result<Html<String>, AppError> {
    let lang = ui.lang;
    let text = query
        .month
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| current_month(lang, today()));
    let month = Month::parse(&text).map_err(|e| {
        let mut args = FluentArgs::new();
        args.set("month", text.clone());
        args.set("detail", e.message().text(lang));
        AppError::BadRequest(state.i18n().text(lang, "digest-bad-month", Some(&args)))
    })?;
    let library = state.library();
    // git runs off the async workers, within the server's limit on blocking work.
    let changed = {
        let (kb, library, month) = (state.kb().clone(), library.clone(), month.clone());
        state
            .run_blocking(move || changed_in(&kb, library.cases(), &month))
            .await?
    };
    let sources = Sources {
        cases: library.cases(),
        crises: &library.crises,
        taxonomy: &state.kb().taxonomy,
        changed: &changed,
        today: today(),
    };
    let d = digest(&sources, &month);
    let view = DigestView::new(&d, &state.kb().taxonomy, lang);
    let now = today();
    let page = DigestPage {
        count_line: count_line(&view, lang),
        coming_title: state.i18n().text(
            lang,
            "digest-coming",
            Some(&{
                let mut args = FluentArgs::new();
                args.set("month", view.next_title.clone());
                args
            }),
        ),
        coming: d
            .coming
            .iter()
            .map(|c| OccurrenceView::new(&c.occurrence, lang, now))
            .collect(),
        open_followups: d
            .open_followups
            .iter()
            .map(|o| FollowUpEntry {
                case_href: case_href(&o.case_id),
                done_href: super::edit_case::followup_href(&o.case_id),
                index: o.index,
                case_title: o.case_title.clone(),
                followup: FollowUpView::new(&o.followup, lang),
                overdue: o.overdue,
            })
            .collect(),
        previous: link(&month.previous(), lang),
        next: link(&d.next_month, lang),
        d: view,
    };
    state.page("digest.html", &ui, &page)
}
