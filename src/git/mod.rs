//! A case file's history in git (who changed it, when, the diffs) and one commit per save.
//! Shells out to the `git` command (no libgit2), so it works wherever the user's own git
//! works.

mod sync;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

pub use sync::{sync, ConflictFile, Synced};

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
    let Some(out) = log_of(root, rel, &["-1"])? else {
        return Ok(None);
    };
    parse_log_line(&out).map_err(|output| GitError::Output {
        path: rel.display().to_string(),
        output,
    })
}

/// `git log` of one file in the `%H%x1f%an%x1f%aI%x1f%s` format, with `extra` options;
/// `None` outside a repository or in one without a commit yet (no history to show).
fn log_of(root: &Path, rel: &Path, extra: &[&str]) -> Result<Option<String>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("log")
        .args(extra)
        .args(["--format=%H%x1f%an%x1f%aI%x1f%s", "--"])
        .arg(rel)
        .output()
        .map_err(GitError::Spawn)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if stderr.contains("not a git repository") || stderr.contains("does not have any commits") {
            return Ok(None);
        }
        let path = rel.display().to_string();
        return Err(GitError::Failed { path, stderr });
    }
    Ok(Some(String::from_utf8_lossy(&output.stdout).into_owned()))
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

/// The files under `root` (relative to it) that a commit changed between two days, both
/// included, by commit date: what the monthly digest lists as changed that month. Empty
/// outside a repository.
pub fn changed_between(
    root: &Path,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<std::collections::HashSet<PathBuf>, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "log",
            "--relative",
            "--name-only",
        ])
        .arg(format!("--since={from}T00:00:00"))
        .arg(format!("--until={to}T23:59:59"))
        .args(["--format=", "--", "."])
        .output()
        .map_err(GitError::Spawn)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        if stderr.contains("not a git repository") || stderr.contains("does not have any commits") {
            return Ok(Default::default());
        }
        let path = root.display().to_string();
        return Err(GitError::Failed { path, stderr });
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
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

/// What [`commit_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    /// One commit, with this hash.
    Commit(String),
    /// The folder is not in a git repository: nothing to commit to.
    NotARepository,
    /// The file was already committed as it is.
    NothingToCommit,
}

/// One commit at a time in this process: two saves must never interleave their `git add`
/// and `git commit`, or one commit would carry the other's file.
pub(crate) static COMMITTING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Commits the file `rel` (relative to `root`), and only it, as `author` with `message`.
/// Other staged changes stay staged and out of this commit. Hooks do not run (a server
/// must not wait on an interactive hook) and nothing is signed. When git has no committer
/// identity configured, casebook is the committer; the author is always the writer.
pub fn commit_file(
    root: &Path,
    rel: &Path,
    author: &str,
    message: &str,
) -> Result<Committed, GitError> {
    let _one_at_a_time = COMMITTING.lock().unwrap_or_else(|p| p.into_inner());
    let path = rel.display().to_string();
    let repo = Git::at(root);
    let git = |args: &[&str]| -> Result<std::process::Output, GitError> {
        repo.command().args(args).output().map_err(GitError::Spawn)
    };
    let failed = |output: &std::process::Output| GitError::Failed {
        path: path.clone(),
        stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    };
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        return Ok(Committed::NotARepository);
    }
    let add = git(&["add", "--", &path])?;
    if !add.status.success() {
        return Err(failed(&add));
    }
    let changed = git(&["diff", "--cached", "--quiet", "--", &path])?;
    if changed.status.success() {
        return Ok(Committed::NothingToCommit);
    }
    let author = format!("{author} <{}>", author_email(author));
    let commit = git(&[
        "commit",
        "--quiet",
        "--no-verify",
        "--author",
        &author,
        "--message",
        message,
        "--",
        &path,
    ])?;
    if !commit.status.success() {
        return Err(failed(&commit));
    }
    let head = git(&["rev-parse", "HEAD"])?;
    Ok(Committed::Commit(
        String::from_utf8_lossy(&head.stdout).trim().to_string(),
    ))
}

/// Makes `root` a git repository and commits `paths` (relative to it) as its first
/// commit, unless `root` is inside a repository already or git is not installed.
pub fn init_with(
    root: &Path,
    paths: &[std::path::PathBuf],
    message: &str,
) -> Result<crate::init::GitSetup, GitError> {
    use crate::init::GitSetup;
    let probe = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output();
    match probe {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(GitSetup::NoGit),
        Err(e) => return Err(GitError::Spawn(e)),
        Ok(o) if o.status.success() => return Ok(GitSetup::InsideRepository),
        Ok(_) => {}
    }
    let run = |repo: &Git, args: &[&str]| -> Result<(), GitError> {
        let out = repo
            .command()
            .args(args)
            .output()
            .map_err(GitError::Spawn)?;
        if out.status.success() {
            return Ok(());
        }
        Err(GitError::Failed {
            path: root.display().to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    };
    let repo = Git::at(root);
    run(&repo, &["init", "--quiet"])?;
    let mut add = vec!["add", "--"];
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    add.extend(names.iter().map(String::as_str));
    run(&repo, &add)?;
    let mut commit = vec!["commit", "--quiet", "--no-verify", "--message", message];
    if !repo.committer_known {
        commit.extend(["--author", "casebook <casebook@localhost>"]);
    }
    run(&repo, &commit)?;
    let head = repo
        .command()
        .args(["rev-parse", "HEAD"])
        .output()
        .map_err(GitError::Spawn)?;
    Ok(GitSetup::Committed(
        String::from_utf8_lossy(&head.stdout).trim().to_string(),
    ))
}

/// A repository as casebook runs git in it to write: paths taken literally (a file named
/// `x-[a].md` is not a pattern), no prompt, nothing signed, and casebook as committer
/// when git has none configured (the author is always the writer). Whether it has one is
/// asked once per operation, not before every command.
pub(crate) struct Git {
    root: std::path::PathBuf,
    committer_known: bool,
}

impl Git {
    /// The repository holding `root`.
    pub(crate) fn at(root: &Path) -> Git {
        Git {
            root: root.to_path_buf(),
            committer_known: has_committer(root),
        }
    }

    /// The folder git runs in.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// `git -C root` with the settings above; the caller adds the arguments.
    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new("git");
        command
            .arg("-C")
            .arg(&self.root)
            .args(["-c", "commit.gpgsign=false", "-c", "core.quotePath=false"])
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_LITERAL_PATHSPECS", "1");
        if !self.committer_known {
            command
                .env("GIT_COMMITTER_NAME", "casebook")
                .env("GIT_COMMITTER_EMAIL", "casebook@localhost");
        }
        command
    }
}

/// Whether git knows who commits here (`user.name` and `user.email`, or the environment).
fn has_committer(root: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["var", "GIT_COMMITTER_IDENT"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The e-mail address of a casebook user in a commit: casebook keeps none, and git wants
/// one; `.invalid` says it is not an address.
fn author_email(name: &str) -> String {
    let local: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '.' || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{local}@casebook.invalid")
}

/// The commits that touched `rel`, newest first, the last 200 at most.
pub fn file_history(root: &Path, rel: &Path) -> Result<Vec<LastChange>, GitError> {
    let Some(out) = log_of(root, rel, &["--follow", "--max-count=200"])? else {
        return Ok(Vec::new());
    };
    out.lines()
        .filter_map(|line| parse_log_line(line).transpose())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|output| GitError::Output {
            path: rel.display().to_string(),
            output,
        })
}

/// The diff of `rel` made by `commit` (against its parent), as git prints it.
pub fn commit_diff(root: &Path, rel: &Path, commit: &str) -> Result<String, GitError> {
    let path = rel.display().to_string();
    if commit.len() != 40 || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(GitError::Failed {
            path,
            stderr: format!("{commit:?} is not a commit hash"),
        });
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotePath=false",
            "show",
            "--format=",
            "--no-color",
            "--no-ext-diff",
            commit,
            "--",
        ])
        .arg(rel)
        .output()
        .map_err(GitError::Spawn)?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(GitError::Failed { path, stderr });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
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
    fn each_save_is_one_commit_of_that_file_only_by_its_author() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "1").unwrap();
        assert_eq!(
            commit_file(dir.path(), Path::new("a.md"), "mina", "case: add a").unwrap(),
            Committed::NotARepository
        );
        git(dir.path(), &["init", "-q"]);
        fs::write(dir.path().join("other.md"), "staged by someone").unwrap();
        git(dir.path(), &["add", "other.md"]);
        let Committed::Commit(hash) =
            commit_file(dir.path(), Path::new("a.md"), "مینا", "case: add a").unwrap()
        else {
            panic!("a commit");
        };
        assert_eq!(hash.len(), 40);
        let history = file_history(dir.path(), Path::new("a.md")).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].author, "مینا");
        assert_eq!(history[0].subject, "case: add a");
        assert!(
            file_history(dir.path(), Path::new("other.md"))
                .unwrap()
                .is_empty(),
            "other.md stays staged, uncommitted"
        );
        assert_eq!(
            commit_file(dir.path(), Path::new("a.md"), "mina", "case: edit a").unwrap(),
            Committed::NothingToCommit
        );
        fs::write(dir.path().join("a.md"), "2").unwrap();
        commit_file(dir.path(), Path::new("a.md"), "reza", "case: edit a").unwrap();
        let history = file_history(dir.path(), Path::new("a.md")).unwrap();
        assert_eq!(history[0].author, "reza");
        let diff = commit_diff(dir.path(), Path::new("a.md"), &history[0].commit).unwrap();
        assert!(diff.contains("-1") && diff.contains("+2"), "{diff}");
        assert!(commit_diff(dir.path(), Path::new("a.md"), "--output=/tmp/x").is_err());
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
