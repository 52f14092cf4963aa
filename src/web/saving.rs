//! After a save: one git commit of the file, by its writer, then a reload, so that the
//! case is on its page and in search when the writer is sent there. And `--git-sync`:
//! a round of fetch, rebase and push every few seconds, reloading what came in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::error::AppError;
use super::AppState;
use crate::git::{commit_file, sync, Committed, ConflictFile, Synced};

/// Whether "not a git repository" was logged already: said once, not at every save.
static SAID_NOT_A_REPOSITORY: AtomicBool = AtomicBool::new(false);

impl AppState {
    /// Commits the saved file `rel` as `author` with `message` (when the folder is in a git
    /// repository), then reloads the cases and the index. A failed commit is logged and
    /// the save stands: the file is written, and the next commit of it carries it.
    pub(crate) async fn committed(
        &self,
        author: &str,
        rel: PathBuf,
        message: String,
    ) -> Result<(), AppError> {
        let root = self.kb().root().to_path_buf();
        let author = author.to_string();
        let outcome = tokio::task::spawn_blocking(move || {
            commit_file(&root, &rel, &author, &message).map_err(|e| (rel, e))
        })
        .await
        .map_err(AppError::internal)?;
        match outcome {
            Ok(Committed::NotARepository) => {
                if !SAID_NOT_A_REPOSITORY.swap(true, Ordering::Relaxed) {
                    tracing::info!(
                        "{}: not a git repository, so saves are not committed",
                        self.kb().root().display()
                    );
                }
            }
            Ok(_) => {}
            Err((rel, e)) => tracing::warn!("committing {}: {e}", rel.display()),
        }
        self.reload().await
    }

    /// One round of git sync (see [`crate::git::sync`]); reloads when commits came in,
    /// and keeps a conflict for the problems page.
    pub async fn sync_once(&self) -> Result<Synced, AppError> {
        let root = self.kb().root().to_path_buf();
        let synced = tokio::task::spawn_blocking(move || sync(&root))
            .await
            .map_err(AppError::internal)?
            .map_err(AppError::internal)?;
        match &synced {
            Synced::Pulled { .. } => self.reload().await?,
            Synced::Conflict(files) => {
                *self
                    .shared
                    .sync_conflict
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()) = Some(files.clone());
            }
            _ => {}
        }
        Ok(synced)
    }

    /// Syncs every `every` until a conflict (which a person settles; see the problems
    /// page) or the folder turns out not to be a repository with an upstream. Failures
    /// (the network, a push that lost a race) are logged and retried next round.
    pub fn start_git_sync(&self, every: Duration) {
        let state = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match state.sync_once().await {
                    Ok(Synced::Conflict(files)) => {
                        let names: Vec<String> =
                            files.iter().map(|f| f.path.display().to_string()).collect();
                        tracing::error!(
                            "git sync stopped: {} changed here and upstream; both versions are                              kept. Run `git pull --rebase` in {}, settle them, then restart",
                            names.join(", "),
                            state.kb().root().display()
                        );
                        return;
                    }
                    Ok(Synced::NotARepository) => {
                        tracing::error!(
                            "git sync: {} is not a git repository",
                            state.kb().root().display()
                        );
                        return;
                    }
                    Ok(Synced::NoUpstream) => {
                        tracing::error!(
                            "git sync: the branch has no upstream; set one with `git push -u origin BRANCH`"
                        );
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("git sync: {e}"),
                }
            }
        });
    }

    /// The conflict that stopped git sync, if one did.
    pub(crate) fn sync_conflict(&self) -> Option<Vec<ConflictFile>> {
        self.shared
            .sync_conflict
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
