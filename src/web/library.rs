//! The knowledge-base snapshot as the web app holds it: the library's [`Snapshot`], and the
//! home page's calendar blocks, worked out once per snapshot, day and language.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::kb::Kb;
use crate::snapshot::Snapshot;
use crate::web::calendar_view::{AnniversaryView, OccurrenceView};
use crate::web::i18n::Lang;

/// One snapshot of the knowledge base as the app serves it, replaced whole on reload.
#[derive(Debug, Default)]
pub struct Library {
    snapshot: Snapshot,
    /// The home page's calendar blocks of the day, per language (see
    /// [`Library::home_blocks`]).
    home: Mutex<HashMap<(NaiveDate, Lang), HomeBlocks>>,
}

/// The home page's two calendar blocks: the crises coming, and this week's anniversaries
/// (the first few, and how many more).
#[derive(Debug, Clone, Default)]
pub struct HomeBlocks {
    /// The crises anticipated in the coming days.
    pub upcoming: Vec<OccurrenceView>,
    /// This week's anniversaries, as many as the page lists.
    pub history: Vec<AnniversaryView>,
    /// This week's anniversaries not listed.
    pub history_more: usize,
}

impl Deref for Library {
    type Target = Snapshot;

    fn deref(&self) -> &Snapshot {
        &self.snapshot
    }
}

impl AsRef<Snapshot> for Library {
    fn as_ref(&self) -> &Snapshot {
        &self.snapshot
    }
}

impl Library {
    /// Reads every case and anticipated crisis of a knowledge base, with the related-cases
    /// lookup built.
    pub fn load(kb: &Kb) -> Library {
        let library = Library::from(Snapshot::load(kb));
        library.prepare_related();
        library
    }

    /// A new snapshot that reuses `previous`'s parsed cases for unchanged files (see
    /// [`Snapshot::reload`]).
    pub fn reload(kb: &Kb, previous: &Library) -> Library {
        Library::from(Snapshot::reload(kb, &previous.snapshot))
    }

    /// Reads the files' last changes from git in the background (see
    /// [`crate::snapshot::read_history`]).
    pub fn read_history(self: &Arc<Self>, root: std::path::PathBuf) {
        crate::snapshot::read_history(self, root);
    }

    /// The home page's calendar blocks for `day` in `lang`, made by `make` once per
    /// snapshot, day and language: they look at every case.
    pub fn home_blocks(
        &self,
        day: NaiveDate,
        lang: Lang,
        make: impl FnOnce() -> HomeBlocks,
    ) -> HomeBlocks {
        if let Some(found) = self
            .home
            .lock()
            .ok()
            .and_then(|h| h.get(&(day, lang)).cloned())
        {
            return found;
        }
        let made = make();
        if let Ok(mut home) = self.home.lock() {
            home.retain(|(d, _), _| *d == day);
            home.insert((day, lang), made.clone());
        }
        made
    }
}

impl From<Snapshot> for Library {
    fn from(snapshot: Snapshot) -> Library {
        Library {
            snapshot,
            home: Mutex::new(HashMap::new()),
        }
    }
}
