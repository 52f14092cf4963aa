//! The loaded cases as the web app holds them between reloads: every case and
//! diagnostic, with lookups by id and by date prepared once per load.

use std::collections::HashMap;

use crate::case::{Case, Loaded};
use crate::text::fold_key;

/// One snapshot of the knowledge base, replaced whole on reload.
#[derive(Debug, Default)]
pub struct Library {
    /// The cases and every diagnostic.
    pub loaded: Loaded,
    by_key: HashMap<String, usize>,
    newest_first: Vec<usize>,
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
            loaded,
            by_key,
            newest_first,
        }
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

    /// The `n` newest cases by date (undated last).
    pub fn latest(&self, n: usize) -> impl Iterator<Item = &Case> {
        self.newest_first
            .iter()
            .take(n)
            .map(|&i| &self.loaded.cases[i])
    }
}
