//! `serve --git-sync`: the folder's branch follows its upstream. Each round fetches,
//! rebases the local commits onto what others pushed (never a merge commit, never a
//! force), and pushes. A rebase that conflicts is aborted at once, so the folder is left
//! as it was, and the conflict is reported with both versions of each file: nothing is
//! lost, and a person settles it with `git pull --rebase` in the folder.

use std::path::{Path, PathBuf};
use std::process::Output;

use super::{Git, GitError, COMMITTING};

/// What one round of [`sync`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Synced {
    /// The folder is not in a git repository.
    NotARepository,
    /// The branch has no upstream to follow (`git push -u origin BRANCH` sets one).
    NoUpstream,
    /// Nothing new on either side.
    UpToDate,
    /// Others' commits were brought in (the cases must be reloaded); `pushed` says
    /// whether local commits went out too.
    Pulled {
        /// Whether local commits were pushed after the rebase.
        pushed: bool,
    },
    /// Local commits were pushed; nothing came in.
    Pushed,
    /// The local commits and the upstream's changed the same lines: the rebase was
    /// undone, and these files differ.
    Conflict(Vec<ConflictFile>),
}

/// A file changed on both sides, with both versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictFile {
    /// The file, relative to the repository's top.
    pub path: PathBuf,
    /// Its text in the local branch.
    pub local: String,
    /// Its text upstream.
    pub remote: String,
}

fn git(repo: &Git, args: &[&str]) -> Result<Output, GitError> {
    let mut command = repo.command();
    // A remote that stalls ends the round instead of holding it: no prompt, a connect
    // timeout and keep-alives for ssh, a floor on the transfer speed for http.
    command
        .args(["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30"])
        .args(args)
        .env(
            "GIT_SSH_COMMAND",
            "ssh -o BatchMode=yes -o ConnectTimeout=20 -o ServerAliveInterval=10 -o ServerAliveCountMax=3",
        );
    command.output().map_err(GitError::Spawn)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

fn failed(root: &Path, output: &Output) -> GitError {
    GitError::Failed {
        path: root.display().to_string(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    }
}

/// One round: fetch, rebase onto the upstream, push. `exclusive` is called around the
/// rebase only, and its guard held meanwhile: the caller's saves wait then, so a save
/// never lands in the middle of a rebase or of its undoing, while fetch and push, which
/// wait on the network, run beside saves. Uncommitted changes (a file edited by hand)
/// are never stashed: the rebase refuses, the round fails with git's message, and the
/// next round tries again once they are committed.
pub fn sync<G>(root: &Path, exclusive: impl FnOnce() -> G) -> Result<Synced, GitError> {
    let repo = &Git::at(root);
    if !git(repo, &["rev-parse", "--is-inside-work-tree"])?
        .status
        .success()
    {
        return Ok(Synced::NotARepository);
    }
    if !git(repo, &["rev-parse", "--abbrev-ref", "@{upstream}"])?
        .status
        .success()
    {
        return Ok(Synced::NoUpstream);
    }
    let fetch = git(repo, &["fetch", "--quiet"])?;
    if !fetch.status.success() {
        return Err(failed(repo.root(), &fetch));
    }
    let saves_wait = exclusive();
    let commits_wait = COMMITTING.lock().unwrap_or_else(|p| p.into_inner());
    let behind = count(repo, "HEAD..@{upstream}")?;
    let mut pulled = false;
    if behind > 0 {
        let rebase = git(
            repo,
            &[
                "-c",
                "rebase.autoStash=false",
                "rebase",
                "--quiet",
                "@{upstream}",
            ],
        )?;
        if !rebase.status.success() {
            let files = conflicting_files(repo)?;
            let abort = git(repo, &["rebase", "--abort"])?;
            if !abort.status.success() {
                return Err(failed(repo.root(), &abort));
            }
            if files.is_empty() {
                return Err(failed(repo.root(), &rebase));
            }
            return Ok(Synced::Conflict(both_versions(repo, files)?));
        }
        pulled = true;
    }
    drop(commits_wait);
    drop(saves_wait);
    let ahead = count(repo, "@{upstream}..HEAD")?;
    let mut pushed = false;
    if ahead > 0 {
        let push = git(repo, &["push", "--quiet"])?;
        if !push.status.success() {
            // Someone pushed meanwhile: the next round fetches and rebases again.
            return Err(failed(repo.root(), &push));
        }
        pushed = true;
    }
    Ok(match (pulled, pushed) {
        (true, pushed) => Synced::Pulled { pushed },
        (false, true) => Synced::Pushed,
        (false, false) => Synced::UpToDate,
    })
}

fn count(repo: &Git, range: &str) -> Result<usize, GitError> {
    let out = git(repo, &["rev-list", "--count", range])?;
    if !out.status.success() {
        return Err(failed(repo.root(), &out));
    }
    Ok(stdout(&out).parse().unwrap_or(0))
}

/// The files a stopped rebase could not merge (relative to the repository's top).
fn conflicting_files(repo: &Git) -> Result<Vec<PathBuf>, GitError> {
    let out = git(repo, &["diff", "--name-only", "--diff-filter=U"])?;
    let top = stdout(&git(repo, &["rev-parse", "--show-prefix"])?);
    Ok(stdout(&out)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| PathBuf::from(l.strip_prefix(&top).unwrap_or(l)))
        .collect())
}

fn both_versions(repo: &Git, files: Vec<PathBuf>) -> Result<Vec<ConflictFile>, GitError> {
    let show = |rev: &str, path: &Path| -> Result<String, GitError> {
        let spec = format!("{rev}:./{}", path.display());
        let out = git(repo, &["show", &spec])?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    };
    files
        .into_iter()
        .map(|path| {
            Ok(ConflictFile {
                local: show("HEAD", &path)?,
                remote: show("@{upstream}", &path)?,
                path,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::process::Command;

    fn run(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A bare repository and two clones of it, each with one commit in common.
    fn offices() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("team.git");
        run(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", bare.to_str().unwrap()],
        );
        let office = dir.path().join("office");
        run(
            dir.path(),
            &[
                "clone",
                "-q",
                bare.to_str().unwrap(),
                office.to_str().unwrap(),
            ],
        );
        run(&office, &["checkout", "-q", "-b", "main"]);
        fs::write(office.join("a.md"), "one\ntwo\nthree\n").unwrap();
        run(&office, &["add", "."]);
        run(&office, &["commit", "-q", "-m", "first"]);
        run(&office, &["push", "-q", "-u", "origin", "main"]);
        let branch = dir.path().join("branch");
        run(
            dir.path(),
            &[
                "clone",
                "-q",
                bare.to_str().unwrap(),
                branch.to_str().unwrap(),
            ],
        );
        (dir, office, branch)
    }

    #[test]
    fn commits_go_out_and_come_in() {
        let (_dir, office, branch) = offices();
        assert_eq!(sync(&office, || ()).unwrap(), Synced::UpToDate);
        fs::write(office.join("b.md"), "new case\n").unwrap();
        run(&office, &["add", "."]);
        run(&office, &["commit", "-q", "-m", "case: add b"]);
        fs::write(branch.join("c.md"), "another\n").unwrap();
        run(&branch, &["add", "."]);
        run(&branch, &["commit", "-q", "-m", "case: add c"]);
        assert_eq!(sync(&office, || ()).unwrap(), Synced::Pushed);
        assert_eq!(
            sync(&branch, || ()).unwrap(),
            Synced::Pulled { pushed: true }
        );
        assert_eq!(
            sync(&office, || ()).unwrap(),
            Synced::Pulled { pushed: false }
        );
        for dir in [&office, &branch] {
            assert!(dir.join("b.md").exists() && dir.join("c.md").exists());
        }
    }

    #[test]
    fn a_conflict_is_undone_and_reported_with_both_versions() {
        let (_dir, office, branch) = offices();
        fs::write(office.join("a.md"), "one\nTWO in the office\nthree\n").unwrap();
        run(&office, &["commit", "-q", "-am", "office edit"]);
        fs::write(branch.join("a.md"), "one\ntwo in the branch\nthree\n").unwrap();
        run(&branch, &["commit", "-q", "-am", "branch edit"]);
        assert_eq!(sync(&office, || ()).unwrap(), Synced::Pushed);
        let Synced::Conflict(files) = sync(&branch, || ()).unwrap() else {
            panic!("a conflict");
        };
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, PathBuf::from("a.md"));
        assert!(files[0].local.contains("two in the branch"));
        assert!(files[0].remote.contains("TWO in the office"));
        // Nothing lost: the branch's file and commit are as they were, no rebase is left.
        assert_eq!(
            fs::read_to_string(branch.join("a.md")).unwrap(),
            "one\ntwo in the branch\nthree\n"
        );
        assert!(!branch.join(".git/rebase-merge").exists());
    }
}
