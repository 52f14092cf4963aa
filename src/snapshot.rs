//! One reading of a knowledge base: every case and diagnostic, with lookups by id, by
//! date and by chapter prepared once per load, the anticipated crises of `recurring/`
//! (whose problems join the diagnostics), and the files' last changes in git, read once
//! per load in the background. `casebook check`, the CLI commands and the web app (which
//! swaps a new one in on each reload) all hold this same snapshot.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::calendar::{dangling_links, load_recurring, AnticipatedCrisis};
use crate::case::{load_all_reusing, Case, Loaded};
use crate::diag;
use crate::git::{last_changes, History, LastChange};
use crate::kb::{Kb, ReadError};
use crate::notebook::MistakeEntry;
use crate::related::Related;
use crate::text::fold_key;

/// One snapshot of the knowledge base, replaced whole on reload.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The cases and every diagnostic.
    pub loaded: Loaded,
    /// The anticipated crises, sorted by id.
    pub crises: Vec<AnticipatedCrisis>,
    ids: CaseIds,
    newest_first: Vec<usize>,
    /// Built by [`Library::prepare_related`] or on first use: a reload leaves it to be
    /// built after the swap, once the snapshot it replaces is gone.
    related: OnceLock<Related>,
    chapter_counts: Vec<ChapterCount>,
    /// Per folded chapter, its mistakes as (case, mistake) positions, newest case first.
    checklists: HashMap<String, Vec<(u32, u32)>>,
    history: OnceLock<History>,
}

/// How many mistakes a chapter has across all cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChapterCount {
    /// The chapter id, or the chapter as first written when not in the taxonomy.
    pub chapter: String,
    /// Whether it is a taxonomy chapter.
    pub known: bool,
    /// Number of mistakes filed under it (any spelling).
    pub mistakes: usize,
}

/// Cases by id in any spelling: each folded id's hash with the case's position, sorted by
/// hash. A lookup is a binary search, then a check against the case itself (two ids may
/// share a hash). A map from folded id to position would keep a second copy of every id.
#[derive(Debug, Default)]
struct CaseIds(Vec<(u64, u32)>);

impl CaseIds {
    fn new(cases: &[Arc<Case>]) -> CaseIds {
        let mut ids: Vec<(u64, u32)> = cases
            .iter()
            .enumerate()
            .map(|(i, c)| (id_hash(&fold_key(&c.id)), i as u32))
            .collect();
        ids.sort_unstable();
        CaseIds(ids)
    }

    /// The position in `cases` (the slice this was built from) of the case with this id.
    fn find(&self, cases: &[Arc<Case>], id: &str) -> Option<usize> {
        let key = fold_key(id);
        let hash = id_hash(&key);
        let from = self.0.partition_point(|&(h, _)| h < hash);
        self.0[from..]
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, i)| i as usize)
            .find(|&i| cases.get(i).is_some_and(|c| fold_key(&c.id) == key))
    }
}

fn id_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    key.hash(&mut hasher);
    hasher.finish()
}

fn chapter_counts(cases: &[Arc<Case>]) -> Vec<ChapterCount> {
    let mut counts: Vec<ChapterCount> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for m in cases.iter().flat_map(|c| &c.mistakes) {
        let i = *slot.entry(fold_key(&m.chapter)).or_insert_with(|| {
            counts.push(ChapterCount {
                chapter: m.chapter.to_string(),
                known: m.chapter_known,
                mistakes: 0,
            });
            counts.len() - 1
        });
        counts[i].mistakes += 1;
    }
    counts
}

/// Each chapter's mistakes as (case, mistake) positions, in the order of `newest_first`.
fn checklists(cases: &[Arc<Case>], newest_first: &[usize]) -> HashMap<String, Vec<(u32, u32)>> {
    let mut out: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for &c in newest_first {
        for (m, mistake) in cases[c].mistakes.iter().enumerate() {
            out.entry(fold_key(&mistake.chapter))
                .or_default()
                .push((c as u32, m as u32));
        }
    }
    out
}

impl Snapshot {
    /// Indexes a load for lookups. A [`Case`] holds no body: the body is most of a
    /// case file, and only the case page and `/api/cases/{id}` show one, which they read
    /// from the file ([`Snapshot::body`]).
    pub fn new(loaded: Loaded) -> Snapshot {
        let ids = CaseIds::new(&loaded.cases);
        let mut newest_first: Vec<usize> = (0..loaded.cases.len()).collect();
        newest_first.sort_by(|&a, &b| {
            let date = |i: usize| loaded.cases[i].date.as_ref().map(|d| d.start);
            date(b)
                .cmp(&date(a))
                .then_with(|| loaded.cases[a].id.cmp(&loaded.cases[b].id))
        });
        Snapshot {
            related: OnceLock::new(),
            chapter_counts: chapter_counts(&loaded.cases),
            checklists: checklists(&loaded.cases, &newest_first),
            loaded,
            crises: Vec::new(),
            ids,
            newest_first,
            history: OnceLock::new(),
        }
    }

    /// Reads every case and anticipated crisis of a knowledge base. The recurring files'
    /// problems and cases' `recurring:` links to nothing join the diagnostics, so the
    /// problems page shows what `casebook check` shows. The related-cases lookup is built
    /// when first asked for ([`Snapshot::prepare_related`]).
    pub fn load(kb: &Kb) -> Snapshot {
        Snapshot::reload(kb, &Snapshot::default())
    }

    /// Like [`Snapshot::load`], but reuses `previous`'s parsed cases for the files whose
    /// size and mtime did not change (see [`load_all_reusing`]). The related-cases lookup
    /// is left to [`Snapshot::prepare_related`] (or the first page that needs it): built
    /// here, it would sit beside `previous`'s while both are alive.
    pub fn reload(kb: &Kb, previous: &Snapshot) -> Snapshot {
        let (crises, recurring_diagnostics) = load_recurring(kb);
        let mut loaded = load_all_reusing(kb, &previous.loaded);
        let dangling = dangling_links(&loaded.cases, &crises, |rel| {
            String::from_utf8(kb.read(rel).ok()?).ok()
        });
        loaded.diagnostics.extend(recurring_diagnostics);
        loaded.diagnostics.extend(dangling);
        // A broken `glossary.toml` is a problem like any file's (search uses the rest).
        loaded
            .diagnostics
            .extend(crate::glossary::Glossary::load(kb).1);
        diag::sort(&mut loaded.diagnostics);
        Snapshot {
            crises,
            ..Snapshot::new(loaded)
        }
    }

    /// The anticipated crisis with this id.
    pub fn crisis(&self, id: &str) -> Option<&AnticipatedCrisis> {
        self.crises.iter().find(|c| c.id == id)
    }

    /// Every case.
    pub fn cases(&self) -> &[Arc<Case>] {
        &self.loaded.cases
    }

    /// The case with this id, in any spelling (ي/ی, letter case, half-space).
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.ids
            .find(&self.loaded.cases, id)
            .map(|i| &*self.loaded.cases[i])
    }

    /// The body of `case` as its file in `kb` holds it now. The rest of the case is the
    /// snapshot's, which follows the files within seconds.
    pub fn body(kb: &Kb, case: &Case) -> Result<String, ReadError> {
        kb.read(&case.path).map(|bytes| Case::body_of(&bytes))
    }

    /// Builds the related-cases lookup if it is not built yet (it visits every case).
    /// Pages that need it meanwhile wait for this build.
    pub fn prepare_related(&self) -> &Related {
        self.related
            .get_or_init(|| Related::new(&self.loaded.cases))
    }

    /// Up to `limit` cases related to the case with this id, best first.
    pub fn related(&self, id: &str, limit: usize) -> Vec<&Case> {
        match self.ids.find(&self.loaded.cases, id) {
            Some(i) => self.prepare_related().of(&self.loaded.cases, i, limit),
            None => Vec::new(),
        }
    }

    /// The number of mistakes per chapter, in order of first appearance.
    pub fn chapter_counts(&self) -> &[ChapterCount] {
        &self.chapter_counts
    }

    /// Every mistake filed under `chapter` (an id, matched in any spelling), newest case
    /// first: what [`crate::notebook::mistakes_of_chapter`] returns, prepared once per load.
    pub fn mistakes_of_chapter(
        &self,
        chapter: &str,
    ) -> impl ExactSizeIterator<Item = MistakeEntry> + '_ {
        let found = self.checklists.get(&fold_key(chapter));
        found.map_or(&[][..], Vec::as_slice).iter().map(|&(c, m)| {
            let case = &self.loaded.cases[c as usize];
            let mistake = &case.mistakes[m as usize];
            MistakeEntry {
                chapter: mistake.chapter.to_string(),
                text: mistake.text.clone(),
                lesson: mistake.lesson.clone(),
                case_id: case.id.clone(),
                case_title: case.title.clone(),
                case_date: case.date.clone(),
            }
        })
    }

    /// The last change in git of a case file (relative to the knowledge base), once the
    /// background read started by [`read_history`] has finished.
    pub fn last_change(&self, path: &Path) -> Option<&LastChange> {
        self.history.get()?.get(path).map(|c| &**c)
    }

    /// The `n` newest cases by date (undated last).
    pub fn latest(&self, n: usize) -> impl Iterator<Item = &Case> {
        self.newest_first
            .iter()
            .take(n)
            .map(|&i| &*self.loaded.cases[i])
    }
}

impl AsRef<Snapshot> for Snapshot {
    fn as_ref(&self) -> &Snapshot {
        self
    }
}

/// Held while `git log` runs: one at a time, however many reloads ask.
static GIT_LOG: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Reads the last change of every file from git in a background thread (one `git log`
/// for the whole repository) into the snapshot `holder` holds; until it is done, cases
/// show no history. One `git log` runs at a time, and a snapshot replaced while waiting
/// for its turn is skipped: reloads in a burst (each `POST /refresh`) cost one or two
/// runs, not one each at once.
pub fn read_history<T: AsRef<Snapshot> + Send + Sync + 'static>(holder: &Arc<T>, root: PathBuf) {
    let holder = Arc::downgrade(holder);
    let spawned = std::thread::Builder::new()
        .name("git-history".into())
        .spawn(move || {
            let _one_at_a_time = GIT_LOG.lock().unwrap_or_else(|p| p.into_inner());
            if holder.strong_count() == 0 {
                return;
            }
            let history = last_changes(&root).unwrap_or_else(|e| {
                tracing::warn!("{e}");
                History::new()
            });
            if let Some(holder) = holder.upgrade() {
                let _ = (*holder).as_ref().history.set(history);
            }
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot read the git history: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::{case_with_mistakes as case, mistakes_of_chapter};

    #[test]
    fn prepared_checklists_equal_the_notebooks() {
        let cases = vec![
            case(
                "old",
                Some("1391-07-10"),
                &["contracts", "finance", "Contracts"],
            ),
            case("new", Some("2020-01-01"), &["قراردادها", "contracts"]),
            case("undated", None, &["contracts"]),
            case("b-same-day", Some("2020-01-01"), &["contracts"]),
            case("other", Some("2024-01-01"), &["staff"]),
        ];
        let snapshot = Snapshot::new(Loaded {
            cases: cases.clone(),
            ..Loaded::default()
        });
        for chapter in [
            "contracts",
            "CONTRACTS",
            "finance",
            "staff",
            "legal",
            "قراردادها",
        ] {
            let prepared: Vec<_> = snapshot.mistakes_of_chapter(chapter).collect();
            assert_eq!(prepared, mistakes_of_chapter(&cases, chapter), "{chapter}");
        }
        // Two in "old", two in "new" (the Persian label is the same chapter), one each in
        // "undated" and "b-same-day".
        assert_eq!(snapshot.mistakes_of_chapter("contracts").len(), 6);
    }

    /// A load prepares the related cases; a reload leaves them to be built after the
    /// swap, or by the first page that asks, and then they include the new case.
    #[test]
    fn a_reload_builds_the_related_cases_when_asked_not_beside_the_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, title: &str| {
            let text = format!(
                "---\ntitle: {title}\ncrisis_type: currency\ndate: 2024-01-01\nmistakes:\n  - chapter: contracts\n    text: x\n---\n"
            );
            std::fs::write(dir.path().join(name), text).unwrap();
        };
        write("a.md", "Dollar jump");
        write("b.md", "Rial fall");
        let kb = Kb::open(dir.path()).unwrap();
        let loaded = Snapshot::load(&kb);
        loaded.prepare_related();
        assert!(loaded.related.get().is_some());
        write("c.md", "Dollar again");
        let reloaded = Snapshot::reload(&kb, &loaded);
        assert!(reloaded.related.get().is_none());
        let ids: Vec<&str> = reloaded
            .related("a", 5)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["c", "b"],
            "c shares a title word besides the type and chapter"
        );
        assert!(reloaded.related.get().is_some());
    }

    #[test]
    fn a_case_is_found_by_its_id_in_any_spelling_and_only_by_it() {
        let ids = ["2024/قرارداد-كاغذ", "2024/a_b", "x"];
        let cases: Vec<Arc<Case>> = ids
            .iter()
            .map(|id| case(id, None, &["contracts"]))
            .collect();
        let snapshot = Snapshot::new(Loaded {
            cases,
            ..Loaded::default()
        });
        let found = |id: &str| snapshot.case(id).map(|c| c.id.clone());
        assert_eq!(
            found("2024/قرارداد-كاغذ").as_deref(),
            Some("2024/قرارداد-كاغذ")
        );
        // Persian kaf for the Arabic one, and a half-space for the hyphen.
        assert_eq!(
            found("2024/قرارداد\u{200c}کاغذ").as_deref(),
            Some("2024/قرارداد-كاغذ")
        );
        assert_eq!(found("2024/A-B").as_deref(), Some("2024/a_b"));
        assert_eq!(found("X").as_deref(), Some("x"));
        for missing in ["", "y", "2024", "2024/a_b/c"] {
            assert_eq!(found(missing), None, "{missing:?}");
        }
        assert_eq!(snapshot.related("y", 5).len(), 0);
        assert_eq!(
            snapshot.related("x", 5).len(),
            2,
            "the other two share a chapter"
        );
    }
}
