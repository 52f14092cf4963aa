//! A case file's history in git: who changed it last and when. Shells out to the `git`
//! command (no libgit2), so it works wherever the user's own git works.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// The last commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastChange {
    /// The full commit hash.
    pub commit: String,
    /// The author's name.
    pub author: String,
    /// When the author made the change.
    pub date: DateTime<FixedOffset>,
    /// The first line of the commit message.
    pub subject: String,
}

/// Why git could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` command could not be run (not installed, not on PATH).
    #[error("cannot run git: {0}. Install git to see the history of cases")]
    Spawn(#[source] std::io::Error),
    /// git ran but failed for another reason than "not a repository".
    #[error("git log failed for {path}: {stderr}")]
    Failed {
        /// The file asked about.
        path: String,
        /// What git said.
        stderr: String,
    },
    /// git's answer was not in the format asked for.
    #[error("unexpected output of git log for {path}: {output:?}")]
    Output {
        /// The file asked about.
        path: String,
        /// What git printed.
        output: String,
    },
}

/// The last change of `rel` (relative to `root`), or `None` when `root` is not in a git
/// repository or the file was never committed.
pub fn last_change(root: &Path, rel: &Path) -> Result<Option<LastChange>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--format=%H%x1f%an%x1f%aI%x1f%s", "--"])
        .arg(rel)
        .output()
        .map_err(GitError::Spawn)?;
    let path = rel.display().to_string();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        // Outside a repository, or in one without a commit yet: no history to show.
        if stderr.contains("not a git repository") || stderr.contains("does not have any commits") {
            return Ok(None);
        }
        return Err(GitError::Failed { path, stderr });
    }
    parse_log_line(&String::from_utf8_lossy(&output.stdout))
        .map_err(|output| GitError::Output { path, output })
}

/// The last change of every file under a folder, by path relative to it.
pub type History = HashMap<PathBuf, Arc<LastChange>>;

/// The last change of every file under `root` that git knows, from one `git log` pass
/// over the whole history (newest commit first, so a file's first mention is its last
/// change). Empty when `root` is not in a git repository or has no commit yet. One
/// subprocess for all files instead of one per file asked about.
pub fn last_changes(root: &Path) -> Result<History, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--name-only",
            "--format=%x1e%H%x1f%an%x1f%aI%x1f%s",
            "--",
            ".",
        ])
        .output()
        .map_err(GitError::Spawn)?;
    let path = root.display().to_string();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if stderr.contains("not a git repository") || stderr.contains("does not have any commits") {
            return Ok(History::new());
        }
        return Err(GitError::Failed { path, stderr });
    }
    parse_name_log(&String::from_utf8_lossy(&output.stdout))
        .map_err(|output| GitError::Output { path, output })
}

/// Parses `git log --name-only` output whose commits start with `\x1e` and a
/// `%H%x1f%an%x1f%aI%x1f%s` line, followed by the paths the commit touched.
fn parse_name_log(out: &str) -> Result<History, String> {
    let mut history = History::new();
    for commit in out.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
        let (header, paths) = commit.split_once('\n').unwrap_or((commit, ""));
        let Some(change) = parse_log_line(header)? else {
            continue;
        };
        let change = Arc::new(change);
        // A quoted path (one with a newline or a quote in its name) is left out.
        for path in paths
            .lines()
            .filter(|p| !p.is_empty() && !p.starts_with('"'))
        {
            history
                .entry(PathBuf::from(path))
                .or_insert_with(|| change.clone());
        }
    }
    Ok(history)
}

/// Parses one `%H%x1f%an%x1f%aI%x1f%s` line; empty output means no commit.
fn parse_log_line(out: &str) -> Result<Option<LastChange>, String> {
    let line = out.trim_end_matches(['\n', '\r']);
    if line.is_empty() {
        return Ok(None);
    }
    let fields: Vec<&str> = line.splitn(4, '\u{1f}').collect();
    let [commit, author, date, subject] = fields[..] else {
        return Err(out.to_string());
    };
    let date = DateTime::parse_from_rfc3339(date).map_err(|_| out.to_string())?;
    Ok(Some(LastChange {
        commit: commit.to_string(),
        author: author.to_string(),
        date,
        subject: subject.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn parses_a_log_line() {
        let line =
            "abc123\u{1f}Mina Rahimi\u{1f}2024-03-20T10:00:00+03:30\u{1f}Add the contract case\n";
        let change = parse_log_line(line).unwrap().unwrap();
        assert_eq!(change.author, "Mina Rahimi");
        assert_eq!(change.subject, "Add the contract case");
        assert_eq!(change.date.to_rfc3339(), "2024-03-20T10:00:00+03:30");
        assert_eq!(parse_log_line("").unwrap(), None);
        assert!(parse_log_line("garbage").is_err());
    }

    fn commit(dir: &Path, author: &str, message: &str) {
        let name = format!("user.name={author}");
        git(
            dir,
            &[
                "-c",
                &name,
                "-c",
                "user.email=t@example.org",
                "commit",
                "-q",
                "-m",
                message,
            ],
        );
    }

    #[test]
    fn one_pass_finds_the_last_change_of_every_file_below_a_subfolder() {
        let repo = tempfile::tempdir().unwrap();
        let kb = repo.path().join("cases");
        fs::create_dir_all(kb.join("۱۳۹۷")).unwrap();
        fs::write(kb.join("a.md"), "1").unwrap();
        fs::write(kb.join("۱۳۹۷/قرارداد.md"), "1").unwrap();
        fs::write(repo.path().join("outside.md"), "1").unwrap();
        assert!(
            last_changes(&kb).unwrap().is_empty(),
            "not a repository yet"
        );
        git(repo.path(), &["init", "-q"]);
        assert!(last_changes(&kb).unwrap().is_empty(), "no commit yet");
        git(repo.path(), &["add", "."]);
        commit(repo.path(), "Reza Karimi", "First cases");
        fs::write(kb.join("a.md"), "2").unwrap();
        git(repo.path(), &["add", "."]);
        commit(repo.path(), "Mina Rahimi", "Edit a");

        let history = last_changes(&kb).unwrap();
        assert_eq!(history.len(), 2, "{history:?}");
        assert_eq!(history[Path::new("a.md")].author, "Mina Rahimi");
        let persian = &history[Path::new("۱۳۹۷/قرارداد.md")];
        assert_eq!(persian.author, "Reza Karimi");
        assert_eq!(persian.subject, "First cases");
        // The same answer as asking about the one file.
        let one = last_change(&kb, Path::new("۱۳۹۷/قرارداد.md"))
            .unwrap()
            .unwrap();
        assert_eq!(**persian, one);
    }

    #[test]
    fn finds_the_author_of_a_committed_file_and_none_outside_git() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "x").unwrap();
        assert_eq!(last_change(dir.path(), Path::new("a.md")).unwrap(), None);
        git(dir.path(), &["init", "-q"]);
        assert_eq!(last_change(dir.path(), Path::new("a.md")).unwrap(), None);
        git(dir.path(), &["add", "a.md"]);
        git(
            dir.path(),
            &[
                "-c",
                "user.name=Reza Karimi",
                "-c",
                "user.email=r@example.org",
                "commit",
                "-q",
                "-m",
                "First case",
            ],
        );
        let change = last_change(dir.path(), Path::new("a.md")).unwrap().unwrap();
        assert_eq!(change.author, "Reza Karimi");
        assert_eq!(change.subject, "First case");
        assert_eq!(change.commit.len(), 40);
    }
}
