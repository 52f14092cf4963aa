//! The monthly lessons digest, the seed's monthly reading of the notebook of mistakes:
//! the month's cases and their mistakes by chapter, the mistakes that repeat an earlier
//! one (lessons that did not stick), the follow-ups overdue or due next month by owner,
//! the crises coming next month with their playbooks, and a few mistakes from the whole
//! notebook to reread, in turn. Pure assembly over loaded cases and crises; `view.rs`
//! tells it in a language and `render.rs` writes it as Markdown or one HTML file.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::calendar::{upcoming, AnticipatedCrisis, Occurrence};
use crate::case::{Case, FollowUp, Mistake};
use crate::dates::{to_calendar, CalendarKind, CaseDate, DateError, Precision};
use crate::kb::Taxonomy;

pub mod mail;
pub mod render;
mod repeats;
mod reread;
pub mod view;

pub use repeats::{Earlier, Likeness, Repeat};
pub use reread::RereadMistake;

/// A month, Gregorian or Jalali, as the Gregorian days it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// What the user wrote (`2026-03`, `1404-12`, `۱۴۰۴-۱۲`).
    pub label: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// The calendar the month was given in.
    pub calendar: CalendarKind,
}

impl Month {
    /// Parses `YYYY-MM`, Gregorian or Jalali, in any digits.
    pub fn parse(text: &str) -> Result<Month, DateError> {
        let d = CaseDate::parse(text)?;
        if d.precision != Precision::Month {
            return Err(DateError::Shape(format!("{text} (a month is YYYY-MM)")));
        }
        Ok(Month {
            label: crate::text::to_ascii_digits(&d.original).replace('/', "-"),
            start: d.start,
            end: d.end,
            calendar: d.calendar,
        })
    }

    /// The month after this one, in the same calendar.
    pub fn next(&self) -> Month {
        let first = self.end + Duration::days(1);
        let ymd = to_calendar(self.calendar, first);
        Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)).unwrap_or(Month {
            label: first.format("%Y-%m").to_string(),
            start: first,
            end: first + Duration::days(29),
            calendar: CalendarKind::Gregorian,
        })
    }

    /// The month before this one, in the same calendar.
    pub fn previous(&self) -> Month {
        let last = self.start - Duration::days(1);
        let ymd = to_calendar(self.calendar, last);
        Month::parse(&format!("{}-{:02}", ymd.year, ymd.month)).unwrap_or(Month {
            label: last.format("%Y-%m").to_string(),
            start: last - Duration::days(29),
            end: last,
            calendar: CalendarKind::Gregorian,
        })
    }
}

/// What a digest is made from.
pub struct Sources<'a> {
    /// Every loaded case.
    pub cases: &'a [Arc<Case>],
    /// Every anticipated crisis.
    pub crises: &'a [AnticipatedCrisis],
    /// The chapters, in the order the notebook shows them.
    pub taxonomy: &'a Taxonomy,
    /// The ids of the cases whose files a commit changed in the month (from git; empty
    /// without git).
    pub changed: &'a HashSet<String>,
    /// Today: a follow-up is overdue once its date is past both today and, for a month
    /// that is over, the month's end.
    pub today: NaiveDate,
}

/// A case of the month with its mistakes by chapter.
#[derive(Debug, Clone, Serialize)]
pub struct DigestCase {
    /// The case id.
    pub id: String,
    /// The title.
    pub title: String,
    /// When it began.
    pub date: Option<CaseDate>,
    /// The crisis type id.
    pub crisis_type: String,
    /// Listed because its file changed this month, not because it happened then.
    pub changed_only: bool,
    /// Its mistakes, grouped by chapter in the notebook's order.
    pub chapters: Vec<ChapterMistakes>,
    /// Its own lessons (those of its mistakes are beside each mistake).
    pub lessons: Vec<String>,
}

/// The mistakes of one chapter in one case.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterMistakes {
    /// The chapter id.
    pub chapter: String,
    /// Its mistakes, each with its lesson.
    pub mistakes: Vec<Mistake>,
}

/// A follow-up not done, with the case it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct OpenFollowUp {
    /// The case id.
    pub case_id: String,
    /// The case title.
    pub case_title: String,
    /// The follow-up.
    pub followup: FollowUp,
    /// Its place among the case's follow-ups (what marking it done names).
    pub index: usize,
    /// Whether its due date has passed by the end of the month.
    pub overdue: bool,
}

/// The follow-ups of one owner that are overdue or due next month.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerFollowUps {
    /// The owner as written; empty when nobody was named.
    pub owner: String,
    /// Overdue first, then by due date.
    pub followups: Vec<OpenFollowUp>,
}

/// The counts at the top of a digest.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Cases that happened in the month.
    pub cases: usize,
    /// Cases only changed in the month.
    pub changed: usize,
    /// Mistakes of the month's cases.
    pub mistakes: usize,
    /// Those mistakes by chapter, in the notebook's order, chapters with none left out.
    pub by_chapter: Vec<(String, usize)>,
    /// Follow-ups of the month's cases marked done.
    pub followups_done: usize,
    /// Follow-ups not done, in every case.
    pub followups_open: usize,
    /// Of those, the ones past their due date by the end of the month.
    pub followups_overdue: usize,
}

/// An anticipated crisis coming next month, or whose warning starts this month or next.
#[derive(Debug, Clone, Serialize)]
pub struct Coming {
    /// When it comes, its warning, and the past cases to reread.
    pub occurrence: Occurrence,
    /// The first lines of its preparation playbook (Markdown as written).
    pub playbook: Vec<String>,
}

/// The digest of one month.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    /// The month.
    pub month: Month,
    /// The month after.
    pub next_month: Month,
    /// The numbers at the top.
    pub counts: Counts,
    /// The cases of the month, oldest first, then those only changed in it.
    pub cases: Vec<DigestCase>,
    /// The month's mistakes that resemble an earlier one.
    pub repeats: Vec<Repeat>,
    /// Follow-ups overdue or due next month, by owner (most items first).
    pub followups: Vec<OwnerFollowUps>,
    /// Every follow-up not done, overdue first, then by due date.
    pub open_followups: Vec<OpenFollowUp>,
    /// Crises coming next month, and every warning that starts this month or next.
    pub coming: Vec<Coming>,
    /// A few mistakes from the whole notebook, every chapter in turn.
    pub reread: Vec<RereadMistake>,
}

/// How far ahead to look for crises whose warning opens by the end of next month (the
/// longest lead time a team would reasonably set).
const MAX_LEAD_DAYS: i64 = 180;

/// How many lines of a playbook the digest quotes.
const PLAYBOOK_LINES: usize = 3;

/// Assembles the digest of `month`.
pub fn digest(src: &Sources<'_>, month: &Month) -> Digest {
    let next_month = month.next();
    let cases = month_cases(src, month);
    let chosen: Vec<&Case> = cases
        .iter()
        .filter_map(|c| src.cases.iter().find(|k| k.id == c.id).map(|k| &**k))
        .collect();
    let open_followups = open_followups(src.cases, month.end.min(src.today));
    let followups = by_owner(&open_followups, &next_month);
    let counts = counts(src, &cases, &chosen, &open_followups);
    // Only what happened this month can repeat a lesson: an old case edited now did not.
    let happened: Vec<&Case> = chosen
        .iter()
        .copied()
        .filter(|c| cases.iter().any(|d| d.id == c.id && !d.changed_only))
        .collect();
    Digest {
        repeats: repeats::find(src.cases, &happened),
        reread: reread::choose(src.cases, src.taxonomy, month),
        coming: coming(src, month, &next_month),
        month: month.clone(),
        next_month,
        counts,
        cases,
        followups,
        open_followups,
    }
}

/// The ids of the cases whose files a commit changed in the month; empty without git (the
/// digest then lists the cases by their date only).
pub fn changed_in(kb: &crate::kb::Kb, cases: &[Arc<Case>], month: &Month) -> HashSet<String> {
    let files = match crate::git::changed_between(kb.root(), month.start, month.end) {
        Ok(files) => files,
        Err(e) => {
            tracing::warn!("digest: no git history: {e}");
            return HashSet::new();
        }
    };
    cases
        .iter()
        .filter(|c| files.contains(&c.path))
        .map(|c| c.id.clone())
        .collect()
}

/// The cases that happened in the month, oldest first, then those changed in it.
fn month_cases(src: &Sources<'_>, month: &Month) -> Vec<DigestCase> {
    let in_month = |c: &Case| {
        c.date
            .as_ref()
            .is_some_and(|d| d.start >= month.start && d.start <= month.end)
    };
    let mut happened: Vec<&Case> = src
        .cases
        .iter()
        .map(|c| &**c)
        .filter(|c| in_month(c))
        .collect();
    happened.sort_by_key(|c| (c.date.as_ref().map(|d| d.start), c.id.clone()));
    let mut changed: Vec<&Case> = src
        .cases
        .iter()
        .map(|c| &**c)
        .filter(|c| !in_month(c) && src.changed.contains(&c.id))
        .collect();
    changed.sort_by(|a, b| a.id.cmp(&b.id));
    happened
        .into_iter()
        .map(|c| digest_case(c, src.taxonomy, false))
        .chain(
            changed
                .into_iter()
                .map(|c| digest_case(c, src.taxonomy, true)),
        )
        .collect()
}

fn digest_case(c: &Case, taxonomy: &Taxonomy, changed_only: bool) -> DigestCase {
    DigestCase {
        id: c.id.clone(),
        title: c.title.clone(),
        date: c.date.clone(),
        crisis_type: c.crisis_type.clone(),
        changed_only,
        chapters: by_chapter(&c.mistakes, taxonomy),
        lessons: c.lessons.clone(),
    }
}

/// Mistakes grouped by chapter: the taxonomy's chapters in order, then unknown ones.
fn by_chapter(mistakes: &[Mistake], taxonomy: &Taxonomy) -> Vec<ChapterMistakes> {
    let mut groups: Vec<ChapterMistakes> = Vec::new();
    for m in mistakes {
        match groups.iter_mut().find(|g| g.chapter == m.chapter) {
            Some(g) => g.mistakes.push(m.clone()),
            None => groups.push(ChapterMistakes {
                chapter: m.chapter.clone(),
                mistakes: vec![m.clone()],
            }),
        }
    }
    groups.sort_by_key(|g| chapter_order(taxonomy, &g.chapter));
    groups
}

/// A chapter's place in the notebook; unknown chapters after every known one.
fn chapter_order(taxonomy: &Taxonomy, id: &str) -> usize {
    taxonomy
        .chapters
        .iter()
        .position(|l| l.id == id)
        .unwrap_or(usize::MAX)
}

fn counts(
    src: &Sources<'_>,
    cases: &[DigestCase],
    chosen: &[&Case],
    open: &[OpenFollowUp],
) -> Counts {
    let mut by_chapter: Vec<(String, usize)> = Vec::new();
    for m in chosen.iter().flat_map(|c| &c.mistakes) {
        match by_chapter.iter_mut().find(|(c, _)| *c == m.chapter) {
            Some(entry) => entry.1 += 1,
            None => by_chapter.push((m.chapter.clone(), 1)),
        }
    }
    by_chapter.sort_by_key(|(c, _)| chapter_order(src.taxonomy, c));
    Counts {
        cases: cases.iter().filter(|c| !c.changed_only).count(),
        changed: cases.iter().filter(|c| c.changed_only).count(),
        mistakes: chosen.iter().map(|c| c.mistakes.len()).sum(),
        by_chapter,
        followups_done: chosen
            .iter()
            .flat_map(|c| &c.followups)
            .filter(|f| f.done)
            .count(),
        followups_open: open.len(),
        followups_overdue: open.iter().filter(|o| o.overdue).count(),
    }
}

/// Every follow-up not done, overdue (past its date on `as_of`) first, then by due date.
fn open_followups(cases: &[Arc<Case>], as_of: NaiveDate) -> Vec<OpenFollowUp> {
    let mut open: Vec<OpenFollowUp> = cases
        .iter()
        .flat_map(|c| {
            c.followups
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.done)
                .map(move |(index, f)| OpenFollowUp {
                    index,
                    case_id: c.id.clone(),
                    case_title: c.title.clone(),
                    overdue: f.due.as_ref().is_some_and(|d| d.end < as_of),
                    followup: f.clone(),
                })
        })
        .collect();
    open.sort_by_key(|o| (!o.overdue, o.followup.due.as_ref().map(|d| d.start)));
    open
}

/// The follow-ups overdue or due by the end of next month, by owner: the owner with the
/// most first, nobody named last.
fn by_owner(open: &[OpenFollowUp], next_month: &Month) -> Vec<OwnerFollowUps> {
    let mut groups: BTreeMap<String, Vec<OpenFollowUp>> = BTreeMap::new();
    for o in open {
        let due_soon = o
            .followup
            .due
            .as_ref()
            .is_some_and(|d| d.start <= next_month.end);
        if o.overdue || due_soon {
            let owner = o.followup.owner.clone().unwrap_or_default();
            groups
                .entry(crate::text::fold_key(&owner))
                .or_default()
                .push(o.clone());
        }
    }
    let mut out: Vec<OwnerFollowUps> = groups
        .into_values()
        .map(|followups| OwnerFollowUps {
            owner: followups[0].followup.owner.clone().unwrap_or_default(),
            followups,
        })
        .collect();
    out.sort_by_key(|g| (g.owner.is_empty(), std::cmp::Reverse(g.followups.len())));
    out
}

/// The crises that start next month, and those whose warning starts this month or next,
/// each with its playbook's first lines.
fn coming(src: &Sources<'_>, month: &Month, next_month: &Month) -> Vec<Coming> {
    upcoming(
        src.crises,
        src.cases,
        month.start,
        next_month.end + Duration::days(MAX_LEAD_DAYS),
    )
    .into_iter()
    .filter(|o| {
        let starts_next_month = o.start >= next_month.start && o.start <= next_month.end;
        let warns = o.warn_from >= month.start && o.warn_from <= next_month.end;
        starts_next_month || warns
    })
    .map(|occurrence| Coming {
        playbook: src
            .crises
            .iter()
            .find(|c| c.id == occurrence.crisis_id)
            .map(|c| first_lines(&c.playbook))
            .unwrap_or_default(),
        occurrence,
    })
    .collect()
}

/// The first lines of a playbook that say something (headings and blank lines skipped).
fn first_lines(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(PLAYBOOK_LINES)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(path: &str, text: &str) -> Arc<Case> {
        crate::case::test_case(path, text)
    }

    static TAXONOMY: std::sync::LazyLock<Taxonomy> = std::sync::LazyLock::new(Taxonomy::default);
    static NONE_CHANGED: std::sync::LazyLock<HashSet<String>> =
        std::sync::LazyLock::new(HashSet::new);

    fn sources(cases: &[Arc<Case>]) -> Sources<'_> {
        Sources {
            cases,
            crises: &[],
            taxonomy: &TAXONOMY,
            changed: &NONE_CHANGED,
            today: NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        }
    }

    fn mistake_case(
        path: &str,
        date: &str,
        counterparty: &str,
        chapter: &str,
        text: &str,
    ) -> Arc<Case> {
        case(
            path,
            &format!(
                "---\ntitle: {path}\ncrisis_type: supply\ndate: {date}\ncounterparty: \"{counterparty}\"\n\
mistakes:\n  - chapter: {chapter}\n    text: {text}\n    lesson: lesson of {path}\n---\n"
            ),
        )
    }

    #[test]
    fn a_mistake_made_before_is_a_repeat_with_the_old_lesson() {
        let cases = vec![
            mistake_case(
                "old-same-party.md",
                "1399-05-01",
                "Pars Co",
                "suppliers",
                "We paid in advance",
            ),
            mistake_case(
                "old-similar.md",
                "1398-01-10",
                "",
                "suppliers",
                "تأمین‌کننده را بدون قرارداد کتبی انتخاب کردیم",
            ),
            mistake_case(
                "old-other-chapter.md",
                "1398-01-10",
                "Pars Co",
                "staff",
                "تأمین کننده را بدون قرارداد کتبی انتخاب کردیم",
            ),
            mistake_case(
                "later.md",
                "1405-01-01",
                "Pars Co",
                "suppliers",
                "تأمین کننده را بدون قرارداد کتبی انتخاب کردیم",
            ),
            mistake_case(
                "now.md",
                "1404-12-05",
                "pars co",
                "suppliers",
                "تامین کننده را بی قرارداد کتبی انتخاب کردیم",
            ),
        ];
        let d = digest(&sources(&cases), &Month::parse("1404-12").unwrap());
        assert_eq!(d.repeats.len(), 1, "{:#?}", d.repeats);
        let earlier: Vec<(&str, Likeness)> = d.repeats[0]
            .earlier
            .iter()
            .map(|e| (e.case_id.as_str(), e.likeness))
            .collect();
        // Same counterparty first, then the similar text; never another chapter or a later case.
        assert_eq!(
            earlier,
            [
                ("old-same-party", Likeness::SameCounterparty),
                ("old-similar", Likeness::SimilarText)
            ]
        );
        assert_eq!(
            d.repeats[0].earlier[1].mistake.lesson.as_deref(),
            Some("lesson of old-similar.md")
        );
    }

    #[test]
    fn with_few_chapters_each_comes_back_with_its_next_mistake() {
        let cases: Vec<Arc<Case>> = (0..3)
            .map(|k| {
                mistake_case(
                    &format!("c{k}.md"),
                    &format!("139{k}-01-01"),
                    "",
                    "contracts",
                    &format!("contracts {k}"),
                )
            })
            .chain(std::iter::once(mistake_case(
                "s.md",
                "1390-01-01",
                "",
                "suppliers",
                "suppliers 0",
            )))
            .collect();
        let mut month = Month::parse("1405-01").unwrap();
        let mut texts = HashSet::new();
        for _ in 0..3 {
            let d = digest(&sources(&cases), &month);
            assert_eq!(d.reread.len(), 2);
            texts.extend(d.reread.into_iter().map(|r| r.mistake.text));
            month = month.next();
        }
        assert_eq!(
            texts.len(),
            4,
            "every mistake within three months: {texts:?}"
        );
    }

    #[test]
    fn reread_brings_every_chapter_back_within_a_few_months_and_is_the_same_each_time() {
        let chapters = [
            "contracts",
            "suppliers",
            "staff",
            "finance",
            "it",
            "communication",
            "customers",
            "legal",
        ];
        let cases: Vec<Arc<Case>> = chapters
            .iter()
            .enumerate()
            .flat_map(|(i, ch)| {
                (0..2).map(move |k| {
                    mistake_case(
                        &format!("{ch}-{k}.md"),
                        &format!("139{k}-0{}-01", i + 1),
                        "",
                        ch,
                        &format!("{ch} mistake {k}"),
                    )
                })
            })
            .collect();
        let mut month = Month::parse("1405-01").unwrap();
        let mut seen = HashSet::new();
        let mut texts = HashSet::new();
        for _ in 0..chapters.len().div_ceil(reread::PER_MONTH) {
            let d = digest(&sources(&cases), &month);
            assert_eq!(d.reread.len(), reread::PER_MONTH);
            let again = digest(&sources(&cases), &month);
            assert_eq!(
                d.reread.iter().map(|r| &r.mistake.text).collect::<Vec<_>>(),
                again
                    .reread
                    .iter()
                    .map(|r| &r.mistake.text)
                    .collect::<Vec<_>>(),
                "deterministic"
            );
            for r in &d.reread {
                seen.insert(r.mistake.chapter.clone());
                texts.insert(r.mistake.text.clone());
            }
            month = month.next();
        }
        assert_eq!(
            seen.len(),
            chapters.len(),
            "every chapter within three months: {seen:?}"
        );
        // The next rounds show each chapter's other mistake.
        for _ in 0..chapters.len().div_ceil(reread::PER_MONTH) * 2 {
            for r in digest(&sources(&cases), &month).reread {
                texts.insert(r.mistake.text);
            }
            month = month.next();
        }
        assert_eq!(texts.len(), chapters.len() * 2, "{texts:?}");
    }

    #[test]
    fn a_jalali_month_collects_its_cases_and_all_open_followups() {
        let cases = vec![
            case(
                "a.md",
                "---\ntitle: عید\ncrisis_type: supply\ndate: 1404-12-20\nlessons: [زودتر سفارش دهید]\n\
mistakes:\n  - chapter: suppliers\n    text: دیر سفارش دادیم\n    lesson: بهمن سفارش دهید\n\
followups:\n  - what: قرارداد دوم\n    due: 1404-12-01\n  - what: done one\n    done: true\n---\n",
            ),
            case(
                "b.md",
                "---\ntitle: old\ncrisis_type: currency\ndate: 2012-10-01\nfollowups:\n  - what: later\n    due: 2030-01-01\n---\n",
            ),
        ];
        let month = Month::parse("۱۴۰۴-۱۲").unwrap();
        assert_eq!(month.start.to_string(), "2026-02-20");
        let d = digest(&sources(&cases), &month);
        assert_eq!(d.next_month.label, "1405-01");
        assert_eq!(d.next_month.start.to_string(), "2026-03-21");
        assert_eq!(d.cases.len(), 1);
        assert_eq!(d.cases[0].lessons, vec!["زودتر سفارش دهید"]);
        let suppliers = &d.cases[0].chapters[0];
        assert_eq!(suppliers.chapter, "suppliers");
        assert_eq!(
            suppliers.mistakes[0].lesson.as_deref(),
            Some("بهمن سفارش دهید")
        );
        assert_eq!(d.counts.cases, 1);
        assert_eq!(d.counts.by_chapter, vec![("suppliers".to_string(), 1)]);
        assert_eq!((d.counts.followups_done, d.counts.followups_open), (1, 2));
        assert_eq!(d.counts.followups_overdue, 1);
        // Overdue or due by the end of next month, by owner: only the overdue one.
        assert_eq!(d.followups.len(), 1);
        assert_eq!(d.followups[0].followups[0].followup.what, "قرارداد دوم");
        assert_eq!(d.open_followups.len(), 2);
        assert!(d.open_followups[0].overdue);
        assert_eq!(d.open_followups[0].followup.what, "قرارداد دوم");
        assert!(!d.open_followups[1].overdue);
    }

    #[test]
    fn next_month_stays_in_its_calendar() {
        assert_eq!(Month::parse("2026-12").unwrap().next().label, "2027-01");
        let esfand = Month::parse("1403-12").unwrap();
        assert_eq!(
            esfand.end.to_string(),
            "2025-03-20",
            "1403 is a leap year: 30 Esfand"
        );
        assert_eq!(esfand.next().start.to_string(), "2025-03-21");
        assert_eq!(esfand.next().previous(), esfand);
        assert_eq!(Month::parse("1405-01").unwrap().previous().label, "1404-12");
        assert_eq!(Month::parse("2027-01").unwrap().previous().label, "2026-12");
    }

    #[test]
    fn a_day_is_not_a_month() {
        assert!(Month::parse("2026-03-01").is_err());
        assert!(Month::parse("2026-13").is_err());
    }
}
