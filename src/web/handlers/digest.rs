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
use crate::dates::{to_jalali, CalendarKind, PERSIAN_MONTHS_EN, PERSIAN_MONTHS_FA};
use crate::digest::{digest, Month};
use crate::web::calendar_view::OccurrenceView;
use crate::web::error::AppError;
use crate::web::i18n::Lang;
use crate::web::view::{case_href, DateView, FollowUpView, Labels};
use crate::web::AppState;

/// The query of the digest page.
#[derive(Debug, Deserialize)]
pub struct DigestQuery {
    /// `YYYY-MM`, Jalali or Gregorian, any digits; default the current month.
    month: Option<String>,
}

#[derive(Serialize)]
struct CaseEntry {
    href: String,
    title: String,
    date: Option<DateView>,
    crisis_type: String,
    lessons: Vec<String>,
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
    title: String,
    range: String,
    cases: Vec<CaseEntry>,
    open_followups: Vec<FollowUpEntry>,
    next_title: String,
    coming: Vec<OccurrenceView>,
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

/// A month's name for a heading: «آبان ۱۴۰۵», "Aban 1405", "October 2026".
fn month_title(m: &Month, lang: Lang) -> String {
    let (year, month) = match m.calendar {
        CalendarKind::Persian => {
            let j = to_jalali(m.start);
            (j.year, j.month as usize)
        }
        _ => (
            chrono::Datelike::year(&m.start),
            chrono::Datelike::month(&m.start) as usize,
        ),
    };
    let name = match (m.calendar, lang) {
        (CalendarKind::Persian, Lang::Fa) => PERSIAN_MONTHS_FA[month - 1].to_string(),
        (CalendarKind::Persian, Lang::En) => PERSIAN_MONTHS_EN[month - 1].to_string(),
        _ => m.start.format("%B").to_string(),
    };
    lang.digits(&format!("{name} {year}"))
}

fn link(m: &Month, lang: Lang) -> MonthLink {
    MonthLink {
        title: month_title(m, lang),
        href: format!("/digest?month={}", m.label),
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
        args.set("detail", e.to_string());
        AppError::BadRequest(state.i18n().text(lang, "digest-bad-month", Some(&args)))
    })?;
    let library = state.library();
    let d = digest(library.cases(), &library.crises, &month);
    let labels = Labels {
        lang,
        taxonomy: &state.kb().taxonomy,
        i18n: state.i18n(),
    };
    let now = today();
    let range = format!(
        "{} – {}",
        DateView::of_day(month.start, lang).primary,
        DateView::of_day(month.end, lang).primary
    );
    let page = DigestPage {
        title: month_title(&month, lang),
        range,
        cases: d
            .cases
            .iter()
            .map(|c| CaseEntry {
                href: case_href(&c.id),
                title: c.title.clone(),
                date: library
                    .case(&c.id)
                    .and_then(|case| case.date.as_ref())
                    .map(|date| DateView::of_case_date(date, lang)),
                crisis_type: labels.crisis_type(&c.crisis_type),
                lessons: c.lessons.clone(),
            })
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
        next_title: month_title(&d.next_month, lang),
        coming: d
            .coming
            .iter()
            .map(|o| OccurrenceView::new(o, lang, now))
            .collect(),
        previous: link(&month.previous(), lang),
        next: link(&d.next_month, lang),
    };
    state.page("digest.html", &ui, &page)
}
