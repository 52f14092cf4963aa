//! The calendar of anticipated crises: `/calendar` (a month or a year, Jalali or
//! Gregorian), `/calendar/{id}` (one crisis: its playbook, next dates and past cases) and
//! `/calendar.ics` (the feed calendar clients subscribe to).

use std::collections::BTreeMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Page;
use crate::calendar::grid::MonthGrid;
use crate::calendar::history::{anniversaries, anniversaries_between};
use crate::calendar::ics::Feed;
use crate::calendar::{upcoming, Occurrence};
use crate::web::calendar_view::{
    AnniversaryView, CalendarQuery, CrisisView, LinkedCaseView, Neighbours, OccurrenceView, Period,
};
use crate::web::error::{AppError, Missing};
use crate::web::i18n::Lang;
use crate::web::library::HomeBlocks;
use crate::web::markdown::to_safe_html;
use crate::web::AppState;

/// How many days ahead the home page looks.
pub const HOME_DAYS: u64 = 60;
/// How many of this week's anniversaries the home page lists; the rest are counted (a
/// folder of 100,000 cases has some 1,900 in a week).
const HOME_HISTORY: usize = 12;
/// How many years the ICS feed covers.
const FEED_YEARS: u32 = 3;

/// The server's day: occurrences, warnings and "today" are computed from it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The crises anticipated from today to `HOME_DAYS` later (and those running today), and
/// the first `HOME_HISTORY` past cases whose anniversary falls this week: the home page's
/// two blocks, worked out once per snapshot, day and language.
pub fn home_blocks(state: &AppState, lang: Lang) -> HomeBlocks {
    let library = state.library();
    let today = today();
    library.home_blocks(today, lang, || {
        let until = today + chrono::Days::new(HOME_DAYS);
        let upcoming = upcoming(&library.crises, library.cases(), today, until)
            .iter()
            .map(|o| OccurrenceView::new(o, lang, today))
            .collect();
        let past = anniversaries(library.cases(), today, 7);
        HomeBlocks {
            upcoming,
            history: past
                .iter()
                .take(HOME_HISTORY)
                .map(|a| AnniversaryView::new(a, lang))
                .collect(),
            history_more: past.len().saturating_sub(HOME_HISTORY),
        }
    })
}

#[derive(Serialize)]
struct CalendarPage {
    year_view: bool,
    jalali: bool,
    title: String,
    weekdays: [&'static str; 7],
    grids: Vec<GridView>,
    nav: Neighbours,
    today_href: String,
    occurrences: Vec<OccurrenceView>,
    preparing: Vec<OccurrenceView>,
    crises: usize,
}

/// A month grid with the titles of the crises marked in it and its month-view link.
#[derive(Serialize)]
struct GridView {
    grid: MonthGrid,
    title: String,
    href: String,
    titles: BTreeMap<String, String>,
}

const WEEKDAYS_FA: [&str; 7] = [
    "شنبه",
    "یکشنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنجشنبه",
    "جمعه",
];
const WEEKDAYS_EN: [&str; 7] = ["Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"];

/// `GET /calendar`: a month (or `view=year`) of the Jalali (`cal=jalali`) or Gregorian
/// calendar, today marked, each crisis with its warning window, then the list of
/// occurrences with their past cases.
pub async fn page(
    State(state): State<AppState>,
    Page(ui): Page,
    query: Result<Query<CalendarQuery>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let today = today();
    let period = Period::from_query(&query, ui.lang, today).map_err(AppError::BadRequest)?;
    let (first, last) = period
        .range()
        .ok_or_else(|| AppError::BadRequest("no such period".into()))?;
    let library = state.library();
    let max_lead = library
        .crises
        .iter()
        .map(|c| c.lead_days)
        .max()
        .unwrap_or(0);
    let horizon = last + chrono::Days::new(max_lead.into());
    let all = upcoming(&library.crises, library.cases(), first, horizon);
    let lang = ui.lang;
    let view = |o: &Occurrence| OccurrenceView::new(o, lang, today);
    let page = CalendarPage {
        year_view: period.year_view,
        jalali: period.calendar == crate::dates::CalendarKind::Persian,
        title: period_title(&period, lang, &all, today),
        weekdays: if lang == Lang::Fa {
            WEEKDAYS_FA
        } else {
            WEEKDAYS_EN
        },
        grids: period
            .grids(today, &all)
            .into_iter()
            .map(|g| grid_view(g, &period, &all, lang))
            .collect(),
        nav: period.neighbours(today),
        today_href: format!("/calendar?{}", period.today_query()),
        occurrences: all.iter().filter(|o| o.start <= last).map(view).collect(),
        preparing: all
            .iter()
            .filter(|o| o.start > last && o.warn_from <= last)
            .map(view)
            .collect(),
        crises: library.crises.len(),
    };
    state.page("calendar.html", &ui, &page)
}

fn period_title(period: &Period, lang: Lang, all: &[Occurrence], today: NaiveDate) -> String {
    let grids = period.grids(today, all);
    match (period.year_view, grids.first()) {
        (true, _) => lang.digits(&period.year.to_string()),
        (false, Some(g)) if lang == Lang::Fa => g.title_fa.clone(),
        (false, Some(g)) => g.title_en.clone(),
        (false, None) => String::new(),
    }
}

fn grid_view(grid: MonthGrid, period: &Period, all: &[Occurrence], lang: Lang) -> GridView {
    let titles = all
        .iter()
        .map(|o| {
            let title = match (&o.title_en, lang) {
                (Some(en), Lang::En) => en.clone(),
                _ => o.title.clone(),
            };
            (o.crisis_id.clone(), title)
        })
        .collect();
    let month = Period {
        year_view: false,
        year: grid.year,
        month: grid.month,
        ..*period
    };
    GridView {
        title: if lang == Lang::Fa {
            grid.title_fa.clone()
        } else {
            grid.title_en.clone()
        },
        href: format!("/calendar?{}", month.query()),
        grid,
        titles,
    }
}

#[derive(Serialize)]
struct CrisisPage {
    crisis: CrisisView,
    playbook_html: String,
    next: Vec<OccurrenceView>,
    cases: Vec<LinkedCaseView>,
}

/// `GET /calendar/{id}`: one anticipated crisis: when it comes next (three years), the
/// preparation playbook, every past case it recalls and their open follow-ups.
pub async fn crisis(
    State(state): State<AppState>,
    Page(ui): Page,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let library = state.library();
    let crisis = library
        .crisis(&id)
        .ok_or(AppError::NotFound(Missing::Page))?;
    let today = today();
    let until = today
        .checked_add_months(Months::new(FEED_YEARS * 12))
        .unwrap_or(today);
    let next = upcoming(std::slice::from_ref(crisis), library.cases(), today, until);
    let page = CrisisPage {
        crisis: CrisisView::new(crisis, ui.lang),
        playbook_html: to_safe_html(&crisis.playbook),
        next: next
            .iter()
            .map(|o| OccurrenceView::new(o, ui.lang, today))
            .collect(),
        cases: crisis
            .linked_cases(library.cases(), NaiveDate::MAX)
            .iter()
            .map(|c| LinkedCaseView::new(c, ui.lang))
            .collect(),
    };
    state.page("crisis.html", &ui, &page)
}

/// The feed's options: `?history=1` adds anniversaries of past cases.
#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    /// `1` or `true` to add "N years ago" events.
    pub history: Option<String>,
}

/// `GET /calendar.ics`: the ICS feed from a month ago to three years ahead, with links
/// back to this server (from the request's `Host`).
pub async fn ics(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let library = state.library();
    let today = today();
    let from = today - chrono::Days::new(30);
    let to = today
        .checked_add_months(Months::new(FEED_YEARS * 12))
        .unwrap_or(today);
    let occurrences = upcoming(&library.crises, library.cases(), from, to);
    let history = match query.history.as_deref() {
        Some("1" | "true" | "yes") => anniversaries_between(library.cases(), from, to),
        _ => Vec::new(),
    };
    let base = base_url(&headers);
    let feed = Feed {
        occurrences: &occurrences,
        crises: &library.crises,
        anniversaries: &history,
        base_url: base.as_deref(),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"casebook.ics\"",
            ),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        feed.to_ics(),
    )
        .into_response())
}

/// `http(s)://host` of the request, for absolute links in the feed; `None` without a
/// usable `Host` header.
fn base_url(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let safe = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !safe {
        return None;
    }
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    Some(format!("{scheme}://{host}"))
}
