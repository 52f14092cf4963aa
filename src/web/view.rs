//! View models: what the templates see. Turns a [`Case`] into labels in the reader's
//! language, dates in both calendars and links, so that templates hold no logic.

use serde::Serialize;

use super::i18n::{I18n, Lang};
use crate::case::{Case, FollowUp, Mistake, Severity, Status};
pub use crate::display::DateView;
use crate::kb::Taxonomy;

pub use crate::text::encode_segment;

/// The link to a case page; the id's `/` stay separators.
pub fn case_href(id: &str) -> String {
    let segments: Vec<String> = id.split('/').map(encode_segment).collect();
    format!("/cases/{}", segments.join("/"))
}

/// The link to a chapter of the notebook.
pub fn chapter_href(chapter: &str) -> String {
    format!("/notebook/{}", encode_segment(chapter))
}

/// The language-specific tools a view model needs.
#[derive(Clone, Copy)]
pub struct Labels<'a> {
    /// The reader's language.
    pub lang: Lang,
    /// The knowledge base's chapters and crisis types.
    pub taxonomy: &'a Taxonomy,
    /// The interface strings.
    pub i18n: &'a I18n,
}

impl Labels<'_> {
    /// The label of a chapter id, or the text as written when it is not in the taxonomy.
    pub fn chapter(&self, id: &str) -> String {
        self.taxonomy
            .chapter(id)
            .map(|l| l.in_lang(self.lang.code()).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// The label of a crisis type id, or the text as written.
    pub fn crisis_type(&self, id: &str) -> String {
        self.taxonomy
            .crisis_type(id)
            .map(|l| l.in_lang(self.lang.code()).to_string())
            .unwrap_or_else(|| id.to_string())
    }

    fn severity(&self, s: Severity) -> String {
        self.i18n
            .text(self.lang, &format!("severity-{}", s.as_str()), None)
    }

    fn status(&self, s: Status) -> String {
        let key = match s {
            Status::Draft => "status-draft",
            Status::Final => "status-final",
        };
        self.i18n.text(self.lang, key, None)
    }
}

/// A case in a list: title, type, date and link.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    /// The case id.
    pub id: String,
    /// Link to the case page.
    pub href: String,
    /// The title.
    pub title: String,
    /// The crisis type's label.
    pub crisis_type: String,
    /// When it began.
    pub date: Option<DateView>,
    /// How bad it was, in words.
    pub severity: Option<String>,
    /// Whether it is still a draft.
    pub draft: bool,
}

impl CaseSummary {
    /// The summary of a case in a language.
    pub fn new(case: &Case, labels: Labels<'_>) -> CaseSummary {
        CaseSummary {
            id: case.id.clone(),
            href: case_href(&case.id),
            title: case.title.clone(),
            crisis_type: labels.crisis_type(&case.crisis_type),
            date: case
                .date
                .as_ref()
                .map(|d| DateView::of_case_date(d, labels.lang)),
            severity: case.severity.map(|s| labels.severity(s)),
            draft: case.status == Some(Status::Draft),
        }
    }
}

/// A mistake with its chapter's label and link.
#[derive(Debug, Clone, Serialize)]
pub struct MistakeView {
    /// The chapter's label.
    pub chapter: String,
    /// Link to the chapter's checklist.
    pub chapter_href: String,
    /// What went wrong.
    pub text: String,
    /// What to do instead.
    pub lesson: Option<String>,
}

impl MistakeView {
    fn new(m: &Mistake, labels: Labels<'_>) -> MistakeView {
        MistakeView {
            chapter: labels.chapter(&m.chapter),
            chapter_href: chapter_href(&m.chapter),
            text: m.text.clone(),
            lesson: m.lesson.clone(),
        }
    }
}

/// A follow-up with its due date in both calendars.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpView {
    /// What has to be done.
    pub what: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due.
    pub due: Option<DateView>,
    /// Whether it is done.
    pub done: bool,
}

impl FollowUpView {
    /// The view of a follow-up in a language.
    pub fn new(f: &FollowUp, lang: Lang) -> FollowUpView {
        FollowUpView {
            what: f.what.clone(),
            owner: f.owner.clone(),
            due: f.due.as_ref().map(|d| DateView::of_case_date(d, lang)),
            done: f.done,
        }
    }
}

/// Everything the case page shows from the front matter.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// Title, type, date, severity, link.
    pub summary: CaseSummary,
    /// The file, relative to the knowledge base.
    pub path: String,
    /// When it ended.
    pub ended: Option<DateView>,
    /// Draft or final, in words.
    pub status: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// The other side.
    pub counterparty: Option<String>,
    /// State of internal resources.
    pub resources: Option<String>,
    /// State of the environment.
    pub environment: Option<String>,
    /// State of the IT infrastructure.
    pub infrastructure: Option<String>,
    /// What was done.
    pub actions: Vec<String>,
    /// Mistakes with chapters.
    pub mistakes: Vec<MistakeView>,
    /// Lessons.
    pub lessons: Vec<String>,
    /// Follow-ups with state.
    pub followups: Vec<FollowUpView>,
}

impl CaseView {
    /// The view of a case in a language.
    pub fn new(case: &Case, labels: Labels<'_>) -> CaseView {
        let lang = labels.lang;
        CaseView {
            summary: CaseSummary::new(case, labels),
            path: case.path.display().to_string(),
            ended: case
                .details
                .ended
                .as_ref()
                .map(|d| DateView::of_case_date(d, lang)),
            status: case.status.map(|s| labels.status(s)),
            tags: case.tags.clone(),
            authors: case.details.authors.clone(),
            counterparty: case.counterparty.clone().filter(|c| !c.is_empty()),
            resources: case.details.resources.clone().filter(|c| !c.is_empty()),
            environment: case.details.environment.clone().filter(|c| !c.is_empty()),
            infrastructure: case
                .details
                .infrastructure
                .clone()
                .filter(|c| !c.is_empty()),
            actions: case.actions.clone(),
            mistakes: case
                .mistakes
                .iter()
                .map(|m| MistakeView::new(m, labels))
                .collect(),
            lessons: case.lessons.clone(),
            followups: case
                .followups
                .iter()
                .map(|f| FollowUpView::new(f, lang))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::CaseDate;

    #[test]
    fn dates_show_the_readers_calendar_first() {
        let d = CaseDate::parse("1391-07-10").unwrap();
        let fa = DateView::of_case_date(&d, Lang::Fa);
        assert_eq!(fa.primary, "۱۰ مهر ۱۳۹۱");
        // Words, never an ISO date, whose parts a right-to-left line would reverse.
        assert_eq!(fa.secondary, "۱ اکتبر ۲۰۱۲");
        let month = CaseDate::parse("2012-10").unwrap();
        assert_eq!(
            DateView::of_case_date(&month, Lang::Fa).secondary,
            "اکتبر ۲۰۱۲"
        );
        assert_eq!(fa.iso, "2012-10-01");
        let en = DateView::of_case_date(&d, Lang::En);
        assert_eq!(en.primary, "1 October 2012");
        assert_eq!(en.secondary, "10 Mehr 1391");
    }

    #[test]
    fn partial_dates_keep_their_precision_in_their_own_calendar() {
        let m = CaseDate::parse("1391-07").unwrap();
        assert_eq!(DateView::of_case_date(&m, Lang::Fa).primary, "مهر ۱۳۹۱");
        assert_eq!(
            DateView::of_case_date(&m, Lang::En).primary,
            "22 September 2012 – 21 October 2012"
        );
        let y = CaseDate::parse("2018").unwrap();
        assert_eq!(DateView::of_case_date(&y, Lang::En).primary, "2018");
        assert_eq!(
            DateView::of_case_date(&y, Lang::Fa).primary,
            "۱۱ دی ۱۳۹۶ – ۱۰ دی ۱۳۹۷"
        );
    }

    #[test]
    fn links_encode_persian_ids_and_keep_slashes() {
        assert_eq!(case_href("2012/dollar-jump"), "/cases/2012/dollar-jump");
        assert_eq!(case_href("a b/c?d"), "/cases/a%20b/c%3Fd");
        assert_eq!(
            case_href("۱۳۹۷/قرارداد"),
            "/cases/%DB%B1%DB%B3%DB%B9%DB%B7/%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF"
        );
        assert_eq!(chapter_href("a/b"), "/notebook/a%2Fb");
    }
}
