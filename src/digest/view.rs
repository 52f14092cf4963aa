//! A digest told in one language: every date in the reader's calendar (Jalali in Persian,
//! Gregorian in English, the other beside it), labels from the taxonomy, numbers in the
//! reader's digits. The Markdown, the HTML file and the web page all show this.

use serde::Serialize;

use super::{Coming, Digest, DigestCase, Month, OpenFollowUp, Repeat, RereadMistake};
use crate::case::Mistake;
use crate::dates::{to_jalali, CalendarKind, PERSIAN_MONTHS_EN, PERSIAN_MONTHS_FA};
use crate::display::DateView;
use crate::i18n::{global, Lang};
use crate::kb::Taxonomy;
use crate::msg;

/// The digest in one language.
#[derive(Debug, Clone, Serialize)]
pub struct DigestView {
    /// `fa` or `en`.
    pub lang: &'static str,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// «آبان ۱۴۰۵», "October 2026".
    pub month_title: String,
    /// The month as given, for links (`1405-08`).
    pub month_label: String,
    /// First and last day of the month.
    pub range: String,
    /// The next month's name.
    pub next_title: String,
    /// The numbers at the top.
    pub counts: CountsView,
    /// The cases of the month.
    pub cases: Vec<CaseView>,
    /// Mistakes made again.
    pub repeats: Vec<RepeatView>,
    /// Follow-ups overdue or due next month, by owner.
    pub owners: Vec<OwnerView>,
    /// Crises coming.
    pub coming: Vec<ComingView>,
    /// Mistakes to reread.
    pub reread: Vec<MistakeInCase>,
}

/// The numbers at the top, in the reader's digits.
#[derive(Debug, Clone, Serialize)]
pub struct CountsView {
    /// Cases that happened in the month.
    pub cases: String,
    /// Cases only changed in the month.
    pub changed: String,
    /// Their mistakes.
    pub mistakes: String,
    /// Follow-ups of the month's cases done.
    pub followups_done: String,
    /// Follow-ups open, in every case.
    pub followups_open: String,
    /// Of those, overdue.
    pub followups_overdue: String,
    /// One bar per chapter with mistakes this month.
    pub bars: Vec<Bar>,
}

/// A bar of the chart of mistakes by chapter.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// The chapter's label.
    pub label: String,
    /// How many, in the reader's digits.
    pub count: String,
    /// Its length, as a percentage of the longest bar.
    pub percent: usize,
}

/// A case of the month.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// The case id (for links).
    pub id: String,
    /// The title.
    pub title: String,
    /// When it began.
    pub date: Option<DateView>,
    /// The crisis type's label.
    pub crisis_type: String,
    /// Listed because it changed this month.
    pub changed_only: bool,
    /// Its mistakes by chapter.
    pub chapters: Vec<ChapterView>,
    /// Its own lessons.
    pub lessons: Vec<String>,
}

/// The mistakes of one chapter.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterView {
    /// The chapter's label.
    pub label: String,
    /// Its mistakes.
    pub mistakes: Vec<Mistake>,
}

/// A mistake with the case it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct MistakeInCase {
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub case_title: String,
    /// When the case began.
    pub date: Option<DateView>,
    /// The chapter's label.
    pub chapter: String,
    /// The mistake and its lesson.
    pub mistake: Mistake,
    /// Why it is shown beside another (repeats only).
    pub why: Option<String>,
}

/// A mistake of the month and the earlier ones it repeats.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatView {
    /// This month's mistake.
    pub now: MistakeInCase,
    /// The earlier ones, with their lessons.
    pub earlier: Vec<MistakeInCase>,
}

/// One owner's follow-ups.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerView {
    /// The owner, or "nobody named".
    pub owner: String,
    /// Their follow-ups.
    pub followups: Vec<FollowUpItem>,
}

/// A follow-up in a list.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpItem {
    /// What to do.
    pub what: String,
    /// When it is due.
    pub due: Option<DateView>,
    /// Whether it is past due.
    pub overdue: bool,
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub case_title: String,
    /// Its place in the case (for marking it done).
    pub index: usize,
}

/// A crisis coming.
#[derive(Debug, Clone, Serialize)]
pub struct ComingView {
    /// The title in the reader's language when there is one.
    pub title: String,
    /// When it starts.
    pub start: DateView,
    /// When to start preparing.
    pub warn_from: DateView,
    /// Whether the date is only estimated.
    pub estimated: bool,
    /// The playbook's first lines.
    pub playbook: Vec<String>,
    /// Past cases to reread: (id, title).
    pub cases: Vec<(String, String)>,
}

impl DigestView {
    /// Tells a digest in `lang`.
    pub fn new(d: &Digest, taxonomy: &Taxonomy, lang: Lang) -> DigestView {
        let chapter = |id: &str| {
            taxonomy
                .chapter(id)
                .map(|l| l.in_lang(lang.code()).to_string())
                .unwrap_or_else(|| id.to_string())
        };
        let number = |n: usize| lang.digits(&n.to_string());
        let longest = d
            .counts
            .by_chapter
            .iter()
            .map(|b| b.1)
            .max()
            .unwrap_or(1)
            .max(1);
        DigestView {
            lang: lang.code(),
            dir: lang.dir(),
            month_title: month_title(&d.month, lang),
            month_label: d.month.label.clone(),
            range: format!(
                "{} – {}",
                DateView::of_day(d.month.start, lang).primary,
                DateView::of_day(d.month.end, lang).primary
            ),
            next_title: month_title(&d.next_month, lang),
            counts: CountsView {
                cases: number(d.counts.cases),
                changed: number(d.counts.changed),
                mistakes: number(d.counts.mistakes),
                followups_done: number(d.counts.followups_done),
                followups_open: number(d.counts.followups_open),
                followups_overdue: number(d.counts.followups_overdue),
                bars: d
                    .counts
                    .by_chapter
                    .iter()
                    .map(|(id, n)| Bar {
                        label: chapter(id),
                        count: number(*n),
                        percent: (n * 100).div_ceil(longest),
                    })
                    .collect(),
            },
            cases: d
                .cases
                .iter()
                .map(|c| case_view(c, taxonomy, lang))
                .collect(),
            repeats: d
                .repeats
                .iter()
                .map(|r| repeat_view(r, &chapter, lang))
                .collect(),
            owners: d
                .followups
                .iter()
                .map(|g| OwnerView {
                    owner: match g.owner.is_empty() {
                        true => msg!("digest-nobody").text(lang),
                        false => g.owner.clone(),
                    },
                    followups: g.followups.iter().map(|o| followup_item(o, lang)).collect(),
                })
                .collect(),
            coming: d.coming.iter().map(|c| coming_view(c, lang)).collect(),
            reread: d
                .reread
                .iter()
                .map(|r| reread_view(r, &chapter, lang))
                .collect(),
        }
    }
}

/// A month's name for a heading: «آبان ۱۴۰۵», "Aban 1405", "October 2026".
pub fn month_title(m: &Month, lang: Lang) -> String {
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
        (_, Lang::Fa) => {
            crate::calendar::rule::month_name_fa(CalendarKind::Gregorian, month as u32).to_string()
        }
        (_, Lang::En) => m.start.format("%B").to_string(),
    };
    lang.digits(&format!("{name} {year}"))
}

fn case_view(c: &DigestCase, taxonomy: &Taxonomy, lang: Lang) -> CaseView {
    CaseView {
        id: c.id.clone(),
        title: c.title.clone(),
        date: c.date.as_ref().map(|d| DateView::of_case_date(d, lang)),
        crisis_type: taxonomy
            .crisis_type(&c.crisis_type)
            .map(|l| l.in_lang(lang.code()).to_string())
            .unwrap_or_else(|| c.crisis_type.clone()),
        changed_only: c.changed_only,
        chapters: c
            .chapters
            .iter()
            .map(|g| ChapterView {
                label: taxonomy
                    .chapter(&g.chapter)
                    .map(|l| l.in_lang(lang.code()).to_string())
                    .unwrap_or_else(|| g.chapter.clone()),
                mistakes: g.mistakes.clone(),
            })
            .collect(),
        lessons: c.lessons.clone(),
    }
}

fn repeat_view(r: &Repeat, chapter: &dyn Fn(&str) -> String, lang: Lang) -> RepeatView {
    RepeatView {
        now: MistakeInCase {
            case_id: r.case_id.clone(),
            case_title: r.case_title.clone(),
            date: None,
            chapter: chapter(&r.mistake.chapter),
            mistake: r.mistake.clone(),
            why: None,
        },
        earlier: r
            .earlier
            .iter()
            .map(|e| MistakeInCase {
                case_id: e.case_id.clone(),
                case_title: e.case_title.clone(),
                date: e.date.as_ref().map(|d| DateView::of_case_date(d, lang)),
                chapter: chapter(&e.mistake.chapter),
                mistake: e.mistake.clone(),
                why: Some(
                    match e.likeness {
                        super::Likeness::SameCounterparty => msg!("digest-same-counterparty"),
                        super::Likeness::SimilarText => msg!("digest-similar-text"),
                    }
                    .text(lang),
                ),
            })
            .collect(),
    }
}

fn followup_item(o: &OpenFollowUp, lang: Lang) -> FollowUpItem {
    FollowUpItem {
        what: o.followup.what.clone(),
        due: o
            .followup
            .due
            .as_ref()
            .map(|d| DateView::of_case_date(d, lang)),
        overdue: o.overdue,
        case_id: o.case_id.clone(),
        case_title: o.case_title.clone(),
        index: o.index,
    }
}

fn coming_view(c: &Coming, lang: Lang) -> ComingView {
    let o = &c.occurrence;
    ComingView {
        title: match (lang, &o.title_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => o.title.clone(),
        },
        start: DateView::of_day(o.start, lang),
        warn_from: DateView::of_day(o.warn_from, lang),
        estimated: o.estimated,
        playbook: c.playbook.clone(),
        cases: o
            .cases
            .iter()
            .map(|k| (k.id.clone(), k.title.clone()))
            .collect(),
    }
}

fn reread_view(r: &RereadMistake, chapter: &dyn Fn(&str) -> String, lang: Lang) -> MistakeInCase {
    MistakeInCase {
        case_id: r.case_id.clone(),
        case_title: r.case_title.clone(),
        date: r.date.as_ref().map(|d| DateView::of_case_date(d, lang)),
        chapter: chapter(&r.mistake.chapter),
        mistake: r.mistake.clone(),
        why: None,
    }
}

/// An interface text of the digest in a language.
pub fn text(lang: Lang, key: &str) -> String {
    global().text(lang, key, None)
}
