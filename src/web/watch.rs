//! Live reload: a file watcher on the knowledge base that reloads the cases and brings the
//! index up to date when a case is written, deleted or renamed — by the user's editor, or
//! by `git pull` bringing a teammate's cases.
//!
//! **Invariant:** a burst of changes becomes one reload once the folder has been quiet
//! for [`QUIET`]; a reload that fails is logged and keeps the snapshot being served.

use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, MetadataKind, ModifyKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::AppState;

/// How long the folder must stay quiet before a reload: an editor's save or a `git pull`
/// writes several files in a few milliseconds, and they should cost one reload.
pub const QUIET: Duration = Duration::from_millis(300);

/// Why the knowledge base cannot be watched (the Reload button still works).
#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path} for changes: {source}. Edits show after pressing Reload")]
pub struct WatchError {
    /// The folder.
    pub path: PathBuf,
    /// What the operating system said (on Linux, often the inotify watch limit).
    #[source]
    pub source: notify::Error,
}

/// A running watcher; watching stops when it is dropped.
pub struct Watching {
    _watcher: RecommendedWatcher,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Watching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watching").finish_non_exhaustive()
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl AppState {
    /// Starts watching the knowledge base: each quiet burst of changes to files outside
    /// hidden folders (`.casebook/`, `.git/`) reloads the cases and refreshes the index.
    /// Must be called inside a tokio runtime.
    pub fn watch(&self) -> Result<Watching, WatchError> {
        let root = self.kb().root().to_path_buf();
        // Some platforms report events under the canonical path.
        let root = root.canonicalize().unwrap_or(root);
        let (tx, rx) = mpsc::unbounded_channel();
        let watched = root.clone();
        // Links are not followed, as the loader does not follow them: a link to `/` would
        // otherwise have the watcher walk and watch the whole file system.
        let config = notify::Config::default().with_follow_symlinks(false);
        let handler = move |event: notify::Result<Event>| {
            let relevant = match event {
                Ok(event) => is_relevant(&watched, &event),
                // Events were lost (e.g. the queue overflowed): reload to be sure.
                Err(_) => true,
            };
            if relevant {
                let _ = tx.send(());
            }
        };
        let mut watcher =
            RecommendedWatcher::new(handler, config).map_err(|source| WatchError {
                path: root.clone(),
                source,
            })?;
        watcher
            .watch(&root, RecursiveMode::Recursive)
            .map_err(|source| WatchError {
                path: root.clone(),
                source,
            })?;
        let task = tokio::spawn(reload_on_changes(self.clone(), rx));
        Ok(Watching {
            _watcher: watcher,
            task,
        })
    }
}

/// Waits for a change, then for [`QUIET`] without one, then reloads; until the watcher
/// goes away.
async fn reload_on_changes(state: AppState, mut changes: mpsc::UnboundedReceiver<()>) {
    while changes.recv().await.is_some() {
        loop {
            match tokio::time::timeout(QUIET, changes.recv()).await {
                Ok(Some(())) => continue,
                Ok(None) => return,
                Err(_quiet) => break,
            }
        }
        match state.reload().await {
            Ok(()) => {
                let library = state.library();
                tracing::info!(
                    "reloaded after a change: {} case(s), {} file(s) with errors",
                    library.cases().len(),
                    library.loaded.broken_files()
                );
            }
            Err(e) => tracing::error!(
                "reloading after a change failed, still serving the previous cases: {e}"
            ),
        }
    }
}

/// Whether an event can change what the app shows: a write, creation, removal or rename
/// of something outside hidden folders. Reads, and the access times they update, are
/// not (reloading reads every file).
fn is_relevant(root: &Path, event: &Event) -> bool {
    let kind_matters = match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    };
    kind_matters && (event.need_rescan() || event.paths.iter().any(|p| !is_hidden(root, p)))
}

/// Whether `path` is in a hidden folder of `root` or is itself hidden (`.casebook/`,
/// `.git/`, an editor's `.case.md.swp`).
fn is_hidden(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().any(|c| match c {
        Component::Normal(name) => name.to_string_lossy().starts_with('.'),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn only_changes_outside_hidden_folders_count() {
        let root = Path::new("/kb");
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        assert!(is_relevant(root, &event(write, "/kb/1397/a.md")));
        assert!(is_relevant(
            root,
            &event(EventKind::Create(CreateKind::File), "/kb/a.md")
        ));
        assert!(!is_relevant(root, &event(write, "/kb/.casebook/index/x")));
        assert!(!is_relevant(root, &event(write, "/kb/.git/HEAD")));
        assert!(!is_relevant(root, &event(write, "/kb/1397/.a.md.swp")));
        assert!(!is_relevant(
            root,
            &event(EventKind::Access(AccessKind::Read), "/kb/a.md")
        ));
        assert!(is_relevant(
            root,
            &event(
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                "/kb/a.md"
            )
        ));
        // A hidden root itself (a temp folder) does not hide everything.
        assert!(is_relevant(
            Path::new("/tmp/.tmpX"),
            &event(write, "/tmp/.tmpX/a.md")
        ));
    }
}
