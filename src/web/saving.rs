//! After a save: one git commit of the file, by its writer, then a reload, so that the
//! case is on its page and in search when the writer is sent there. And `--git-sync`:
//! a round of fetch, rebase and push every few seconds, reloading what came in.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::error::AppError;
use super::AppState;
use crate::git::{commit_file, sync, Committed, ConflictFile, Synced};
use crate::kb::Kb;

/// A commit message's subject: one line, whatever a title holds.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether "not a git repository" was logged already: said once, not at every save.
static SAID_NOT_A_REPOSITORY: AtomicBool = AtomicBool::new(false);

impl AppState {
    /// Saves a case: `write` writes the file (returning its path, the commit message and
    /// what the caller wants back), then the file is committed as `author` (when the folder
    /// is in a git repository), all while no other save and no git sync round runs; then
    /// the cases and the index are reloaded. A failed commit is logged and the save stands:
    /// the file is written, and the next commit of it carries it.
    pub(crate) async fn save<T, E>(
        &self,
        author: &str,
        write: impl FnOnce(&Kb) -> Result<(PathBuf, String, T), E> + Send + 'static,
    ) -> Result<Result<(PathBuf, T), E>, AppError>
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        let one_at_a_time = self.shared.saving.clone().lock_owned().await;
        let (kb, author) = (self.kb().clone(), author.to_string());
        let done = tokio::task::spawn_blocking(move || {
            let (rel, message, value) = write(&kb)?;
            let outcome = commit_file(kb.root(), &rel, &author, &one_line(&message));
            Ok((rel, value, outcome))
        })
        .await
        .map_err(AppError::internal)?;
        drop(one_at_a_time);
        let (rel, value, outcome) = match done {
            Ok(done) => done,
            Err(e) => return Ok(Err(e)),
        };
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
            Err(e) => tracing::warn!("committing {}: {e}", rel.display()),
        }
        self.reload().await?;
        Ok(Ok((rel, value)))
    }

    /// One round of git sync (see [`crate::git::sync`]); reloads when commits came in,
    /// and keeps a conflict for the problems page.
    pub async fn sync_once(&self) -> Result<Synced, AppError> {
        let root = self.kb().root().to_path_buf();
        let saving = self.shared.saving.clone();
        // Saves wait while the branch is rebased, never while the network is used.
        let synced = tokio::task::spawn_blocking(move || sync(&root, || saving.blocking_lock()))
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
