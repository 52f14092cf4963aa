//! The loaded cases as the web app holds them between reloads: every case and
//! diagnostic, with lookups by id and by date prepared once per load, and the anticipated
//! crises of `recurring/` (whose problems join the diagnostics).

use std::collections::HashMap;

use crate::calendar::{dangling_links, load_recurring, AnticipatedCrisis};
use crate::case::{load_all, Case, Loaded};
use crate::diag;
use crate::kb::Kb;
use crate::related::Related;
use crate::text::fold_key;

/// One snapshot of the knowledge base, replaced whole on reload.
#[derive(Debug, Default)]
pub struct Library {
    /// The cases and every diagnostic.
    pub loaded: Loaded,
    /// The anticipated crises, sorted by id.
    pub crises: Vec<AnticipatedCrisis>,
    by_key: HashMap<String, usize>,
    newest_first: Vec<usize>,
    related: Related,
    chapter_counts: Vec<ChapterCount>,
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

fn chapter_counts(cases: &[Case]) -> Vec<ChapterCount> {
    let mut counts: Vec<ChapterCount> = Vec::new();
    let mut slot: HashMap<String, usize> = HashMap::new();
    for m in cases.iter().flat_map(|c| &c.mistakes) {
        let i = *slot.entry(fold_key(&m.chapter)).or_insert_with(|| {
            counts.push(ChapterCount {
                chapter: m.chapter.clone(),
                known: m.chapter_known,
                mistakes: 0,
            });
            counts.len() - 1
        });
        counts[i].mistakes += 1;
    }
    counts
}

impl Library {
    /// Indexes a load for lookups.
    pub fn new(loaded: Loaded) -> Library {
        let by_key = loaded
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| (fold_key(&c.id), i))
            .collect();
        let mut newest_first: Vec<usize> = (0..loaded.cases.len()).collect();
        newest_first.sort_by(|&a, &b| {
            let date = |i: usize| loaded.cases[i].date.as_ref().map(|d| d.start);
            date(b)
                .cmp(&date(a))
                .then_with(|| loaded.cases[a].id.cmp(&loaded.cases[b].id))
        });
        Library {
            related: Related::new(&loaded.cases),
            chapter_counts: chapter_counts(&loaded.cases),
            loaded,
            crises: Vec::new(),
            by_key,
            newest_first,
        }
    }

    /// Reads every case and anticipated crisis of a knowledge base. The recurring files'
    /// problems and cases' `recurring:` links to nothing join the diagnostics, so the
    /// problems page shows what `casebook check` shows.
    pub fn load(kb: &Kb) -> Library {
        let (crises, recurring_diagnostics) = load_recurring(kb);
        let mut loaded = load_all(kb);
        let dangling = dangling_links(&loaded.cases, &crises, |rel| {
            std::fs::read_to_string(kb.absolute(rel)).ok()
        });
        loaded.diagnostics.extend(recurring_diagnostics);
        loaded.diagnostics.extend(dangling);
        diag::sort(&mut loaded.diagnostics);
        Library {
            crises,
            ..Library::new(loaded)
        }
    }

    /// The anticipated crisis with this id.
    pub fn crisis(&self, id: &str) -> Option<&AnticipatedCrisis> {
        self.crises.iter().find(|c| c.id == id)
    }

    /// Every case.
    pub fn cases(&self) -> &[Case] {
        &self.loaded.cases
    }

    /// The case with this id, in any spelling (ي/ی, letter case, half-space).
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.by_key
            .get(&fold_key(id))
            .map(|&i| &self.loaded.cases[i])
    }

    /// Up to `limit` cases related to the case with this id, best first.
    pub fn related(&self, id: &str, limit: usize) -> Vec<&Case> {
        match self.by_key.get(&fold_key(id)) {
            Some(&i) => self.related.of(&self.loaded.cases, i, limit),
            None => Vec::new(),
        }
    }

    /// The number of mistakes per chapter, in order of first appearance.
    pub fn chapter_counts(&self) -> &[ChapterCount] {
        &self.chapter_counts
    }

    /// The `n` newest cases by date (undated last).
    pub fn latest(&self, n: usize) -> impl Iterator<Item = &Case> {
        self.newest_first
            .iter()
            .take(n)
            .map(|&i| &self.loaded.cases[i])
    }
}
