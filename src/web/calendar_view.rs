//! View models of the calendar: occurrences with dates in both calendars, the past cases
//! they recall, the month and year grids, and the query of the calendar page, so that the
//! templates hold no logic.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::i18n::Lang;
use super::view::{case_href, encode_segment, DateView, FollowUpView};
use crate::calendar::grid::{month_grid, month_range, year_grids, year_range, MonthGrid};
use crate::calendar::history::Anniversary;
use crate::calendar::{AnticipatedCrisis, LinkKind, LinkedCase, Occurrence};
use crate::dates::{to_calendar, CalendarKind};

/// The link to an anticipated crisis's page.
pub fn crisis_href(id: &str) -> String {
    format!("/calendar/{}", encode_segment(id))
}

/// A past case recalled by an occurrence.
#[derive(Debug, Clone, Serialize)]
pub struct LinkedCaseView {
    /// Link to the case.
    pub href: String,
    /// Its title.
    pub title: String,
    /// When it happened.
    pub date: Option<DateView>,
    /// Linked by `recurring:` (not only by crisis type).
    pub explicit: bool,
    /// Its lessons (at most three).
    pub lessons: Vec<String>,
    /// Its open follow-ups.
    pub open_followups: Vec<FollowUpView>,
}

impl LinkedCaseView {
    /// The view of a linked case in a language.
    pub fn new(c: &LinkedCase, lang: Lang) -> LinkedCaseView {
        LinkedCaseView {
            href: case_href(&c.id),
            title: c.title.clone(),
            date: c.date.as_ref().map(|d| DateView::of_case_date(d, lang)),
            explicit: c.link == LinkKind::Recurring,
            lessons: c.lessons.iter().take(3).cloned().collect(),
            open_followups: c
                .open_followups
                .iter()
                .map(|f| FollowUpView::new(f, lang))
                .collect(),
        }
    }
}

/// One occurrence as a page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct OccurrenceView {
    /// The crisis id.
    pub id: String,
    /// Link to the crisis's page (its playbook).
    pub href: String,
    /// An anchor for this occurrence on the calendar page.
    pub anchor: String,
    /// The title in the reader's language.
    pub title: String,
    /// The first day.
    pub start: DateView,
    /// The last day, when it lasts more than one.
    pub end: Option<DateView>,
    /// The start in the crisis's lunar calendar, for lunar crises («۹ محرم ۱۴۴۷»).
    pub lunar: Option<String>,
    /// Computed, not announced.
    pub estimated: bool,
    /// The first day of the warning window.
    pub warn_from: DateView,
    /// Days of warning.
    pub lead_days: u32,
    /// Days from today to the start (negative once started).
    pub days_left: i64,
    /// Whether today is inside the warning window or the occurrence itself.
    pub active: bool,
    /// Past cases to reread.
    pub cases: Vec<LinkedCaseView>,
}

impl OccurrenceView {
    /// The view of an occurrence for a reader, `today` being the server's day.
    pub fn new(o: &Occurrence, lang: Lang, today: NaiveDate) -> OccurrenceView {
        let title = match (&o.title_en, lang) {
            (Some(en), Lang::En) => en.clone(),
            _ => o.title.clone(),
        };
        OccurrenceView {
            id: o.crisis_id.clone(),
            href: crisis_href(&o.crisis_id),
            anchor: format!("{}-{}", o.crisis_id, o.start),
            title,
            start: DateView::of_day(o.start, lang),
            end: (o.end != o.start).then(|| DateView::of_day(o.end, lang)),
            lunar: (o.calendar == CalendarKind::Islamic).then(|| match lang {
                Lang::Fa => o.native_fa(),
                Lang::En => o.native_en(),
            }),
            estimated: o.estimated,
            warn_from: DateView::of_day(o.warn_from, lang),
            lead_days: o.lead_days,
            days_left: (o.start - today).num_days(),
            active: o.warn_from <= today && today <= o.end,
            cases: o
                .cases
                .iter()
                .map(|c| LinkedCaseView::new(c, lang))
                .collect(),
        }
    }
}

/// A past case whose anniversary falls this week.
#[derive(Debug, Clone, Serialize)]
pub struct AnniversaryView {
    /// Link to the case.
    pub href: String,
    /// Its title.
    pub title: String,
    /// The anniversary day.
    pub on: DateView,
    /// How many years ago.
    pub years: i32,
    /// Open follow-ups it still has.
    pub open_followups: usize,
}

impl AnniversaryView {
    /// The view of an anniversary for a reader.
    pub fn new(a: &Anniversary, lang: Lang) -> AnniversaryView {
        AnniversaryView {
            href: case_href(&a.case_id),
            title: a.title.clone(),
            on: DateView::of_day(a.on, lang),
            years: a.years,
            open_followups: a.open_followups,
        }
    }
}

/// The calendar page's query: `?cal=jalali&view=month&y=1405&m=1`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CalendarQuery {
    /// `jalali` or `gregorian`; default by language.
    pub cal: Option<String>,
    /// `month` or `year`.
    pub view: Option<String>,
    /// Year in the chosen calendar.
    pub y: Option<i32>,
    /// Month in the chosen calendar.
    pub m: Option<u32>,
}

/// What the calendar page shows: a month or a year of one calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// Jalali or Gregorian.
    pub calendar: CalendarKind,
    /// Whether a whole year is shown.
    pub year_view: bool,
    /// The year in `calendar`.
    pub year: i32,
    /// The month in `calendar` (the first month in the year view).
    pub month: u32,
}

impl Period {
    /// Validates the query; a bad value is a message saying what to write.
    pub fn from_query(q: &CalendarQuery, lang: Lang, today: NaiveDate) -> Result<Period, String> {
        let calendar = match q.cal.as_deref() {
            None => match lang {
                Lang::Fa => CalendarKind::Persian,
                Lang::En => CalendarKind::Gregorian,
            },
            Some("jalali") | Some("persian") => CalendarKind::Persian,
            Some("gregorian") => CalendarKind::Gregorian,
            Some(other) => return Err(format!("cal={other:?}: write cal=jalali or cal=gregorian")),
        };
        let year_view = match q.view.as_deref() {
            None | Some("month") => false,
            Some("year") => true,
            Some(other) => return Err(format!("view={other:?}: write view=month or view=year")),
        };
        let now = to_calendar(calendar, today);
        let year = q.y.unwrap_or(now.year);
        let month = q.m.unwrap_or(if q.y.is_some() { 1 } else { now.month });
        if !(1..=12).contains(&month) {
            return Err(format!("m={month}: months run from 1 to 12"));
        }
        let period = Period {
            calendar,
            year_view,
            year,
            month,
        };
        period
            .range()
            .map(|_| period)
            .ok_or_else(|| format!("y={year}: write a year between 1300 and 1500 (Jalali) or 1900 and 2100 (Gregorian)"))
    }

    /// The Gregorian days the period covers.
    pub fn range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let ok = match self.calendar {
            CalendarKind::Persian => (1300..=1500).contains(&self.year),
            _ => (1900..=2100).contains(&self.year),
        };
        if !ok {
            return None;
        }
        if self.year_view {
            year_range(self.calendar, self.year)
        } else {
            month_range(self.calendar, self.year, self.month)
        }
    }

    /// The grids to draw: one month, or the twelve months of the year.
    pub fn grids(&self, today: NaiveDate, occurrences: &[Occurrence]) -> Vec<MonthGrid> {
        if self.year_view {
            year_grids(self.calendar, self.year, today, occurrences)
        } else {
            month_grid(self.calendar, self.year, self.month, today, occurrences)
                .into_iter()
                .collect()
        }
    }

    fn cal_param(&self) -> &'static str {
        match self.calendar {
            CalendarKind::Persian => "jalali",
            _ => "gregorian",
        }
    }

    /// The query of today's month (or year) in this view and calendar.
    pub fn today_query(&self) -> String {
        let cal = self.cal_param();
        if self.year_view {
            format!("cal={cal}&view=year")
        } else {
            format!("cal={cal}")
        }
    }

    /// The query string of this period (for links), with `cal`.
    pub fn query(&self) -> String {
        let cal = self.cal_param();
        if self.year_view {
            format!("cal={cal}&view=year&y={}", self.year)
        } else {
            format!("cal={cal}&y={}&m={}", self.year, self.month)
        }
    }

    /// The same span in the other view, the other calendar, the previous and the next.
    pub fn neighbours(&self, today: NaiveDate) -> Neighbours {
        let other_cal = if self.calendar == CalendarKind::Persian {
            CalendarKind::Gregorian
        } else {
            CalendarKind::Persian
        };
        let first = self.range().map_or(today, |r| r.0);
        let there = to_calendar(other_cal, first);
        let switched = Period {
            calendar: other_cal,
            year: there.year,
            month: there.month,
            ..*self
        };
        let step = |forward: bool| {
            let mut p = *self;
            if p.year_view {
                p.year += if forward { 1 } else { -1 };
            } else if forward {
                (p.year, p.month) = if p.month == 12 {
                    (p.year + 1, 1)
                } else {
                    (p.year, p.month + 1)
                };
            } else {
                (p.year, p.month) = if p.month == 1 {
                    (p.year - 1, 12)
                } else {
                    (p.year, p.month - 1)
                };
            }
            p
        };
        let other_view = Period {
            year_view: !self.year_view,
            ..*self
        };
        Neighbours {
            prev: format!("/calendar?{}", step(false).query()),
            next: format!("/calendar?{}", step(true).query()),
            other_calendar: format!("/calendar?{}", switched.query()),
            other_view: format!("/calendar?{}", other_view.query()),
        }
    }
}

/// Links from a period to its neighbours.
#[derive(Debug, Clone, Serialize)]
pub struct Neighbours {
    /// The previous month or year.
    pub prev: String,
    /// The next month or year.
    pub next: String,
    /// The same span in the other calendar.
    pub other_calendar: String,
    /// The month view of a year, or the year of a month.
    pub other_view: String,
}

/// An anticipated crisis's facts for its page.
#[derive(Debug, Clone, Serialize)]
pub struct CrisisView {
    /// Its id.
    pub id: String,
    /// Title in the reader's language.
    pub title: String,
    /// The other title, if any.
    pub other_title: Option<String>,
    /// The rule as written.
    pub rule: String,
    /// `persian`, `islamic` or `gregorian`.
    pub calendar: &'static str,
    /// Days of warning.
    pub lead_days: u32,
    /// Days it lasts.
    pub duration_days: u32,
    /// The file, relative to the knowledge base.
    pub path: String,
    /// Where the facts come from.
    pub sources: Vec<String>,
}

impl CrisisView {
    /// The view of a crisis for a reader.
    pub fn new(c: &AnticipatedCrisis, lang: Lang) -> CrisisView {
        let (title, other_title) = match (&c.title_en, lang) {
            (Some(en), Lang::En) => (en.clone(), Some(c.title.clone())),
            (en, _) => (c.title.clone(), en.clone()),
        };
        CrisisView {
            id: c.id.clone(),
            title,
            other_title,
            rule: c.rule_text.clone(),
            calendar: crate::calendar::rule::calendar_id(c.calendar),
            lead_days: c.lead_days,
            duration_days: c.duration_days,
            path: c.path.display().to_string(),
            sources: c.sources.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_default_period_is_this_month_in_the_readers_calendar() {
        let today = ymd(2026, 3, 25);
        let fa = Period::from_query(&CalendarQuery::default(), Lang::Fa, today).unwrap();
        assert_eq!(
            (fa.calendar, fa.year, fa.month),
            (CalendarKind::Persian, 1405, 1)
        );
        let en = Period::from_query(&CalendarQuery::default(), Lang::En, today).unwrap();
        assert_eq!((en.year, en.month), (2026, 3));
        let n = fa.neighbours(today);
        assert_eq!(n.prev, "/calendar?cal=jalali&y=1404&m=12");
        assert_eq!(n.other_calendar, "/calendar?cal=gregorian&y=2026&m=3");
        assert_eq!(n.other_view, "/calendar?cal=jalali&view=year&y=1405");
    }

    #[test]
    fn bad_queries_say_what_to_write() {
        let today = ymd(2026, 3, 25);
        let q = |cal: &str, view: &str, y: i32, m: u32| CalendarQuery {
            cal: Some(cal.into()),
            view: Some(view.into()),
            y: Some(y),
            m: Some(m),
        };
        for (query, expected) in [
            (q("lunar", "month", 1405, 1), "cal=jalali"),
            (q("jalali", "week", 1405, 1), "view=month"),
            (q("jalali", "month", 1405, 13), "months run from 1 to 12"),
            (q("jalali", "month", 2026, 1), "between 1300 and 1500"),
        ] {
            let e = Period::from_query(&query, Lang::En, today).unwrap_err();
            assert!(e.contains(expected), "{e}");
        }
    }
}
