//! Who may write: the users of a knowledge base (names and argon2 password hashes) and
//! the API tokens of scripts (stored hashed). Both live in `<kb>/.casebook-private/`,
//! a folder kept out of git (its `.gitignore` ignores everything) and readable by the
//! owner only, never in the state folder, which may be deleted at any time.
//!
//! Each file is small TOML, read whole and written whole: a change is written to a
//! temporary file beside it and renamed over it under an exclusive lock, so a reader sees
//! the old file or the new one and two `casebook user add` never lose each other's user.

mod tokens;
mod users;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use tokens::{NewToken, TokenInfo, Tokens};
pub use users::{User, Users, MIN_PASSWORD_CHARS};

use crate::kb::Kb;
use crate::text::fold_key;

/// Name of the folder of the users and tokens files.
pub const PRIVATE_DIR: &str = ".casebook-private";

/// The largest users or tokens file read: thousands of entries.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why the users or tokens could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// Reading or writing the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What failed.
        source: std::io::Error,
    },
    /// The file is not what casebook writes.
    #[error("{}:{line}: {message}. The file is written by `casebook user` and `casebook token`; fix or remove the entry", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The line (1-based).
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// A name that cannot be a user's or token's name.
    #[error("{0:?} is not a usable name: use 1 to 64 letters, digits, '.', '-' or '_', no spaces")]
    BadName(String),
    /// The name is taken.
    #[error("{0:?} exists already")]
    Exists(String),
    /// No such name.
    #[error("there is no {0:?}")]
    Unknown(String),
    /// The password is too short.
    #[error("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    /// The password could not be hashed.
    #[error("hashing the password: {0}")]
    Hash(String),
    /// No random source.
    #[error("no random source: {0}")]
    Random(String),
}

/// Whether `name` may name a user or a token: 1 to 64 letters (any script), digits,
/// `.`, `-` or `_`. Names become commit authors and appear on pages and in logs.
pub fn valid_name(name: &str) -> bool {
    let count = name.chars().count();
    (1..=64).contains(&count)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// The key a name is compared by: `Mina` and `mina`, `علی` with ي or ی, are one user.
fn name_key(name: &str) -> String {
    fold_key(name)
}

/// The private folder of `kb`, created on demand (owner only, with a `.gitignore`).
fn private_dir(kb: &Kb) -> Result<PathBuf, AccountsError> {
    let dir = kb.root().join(PRIVATE_DIR);
    let io = |source| AccountsError::Io {
        path: dir.clone(),
        source,
    };
    if fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
        return Err(io(std::io::Error::other(
            "not a folder (a link or a file): remove it",
        )));
    }
    fs::create_dir_all(&dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    let ignore = dir.join(".gitignore");
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&ignore)
    {
        Ok(mut file) => file
            .write_all(b"# Users and tokens: never commit these.\n*\n")
            .map_err(io)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    Ok(dir)
}

/// The text of a private file, or `None` when it does not exist yet. Links and files
/// over [`MAX_FILE_BYTES`] are refused.
fn read_private(path: &Path) -> Result<Option<String>, AccountsError> {
    let io = |source| AccountsError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    if !meta.is_file() {
        return Err(io(std::io::Error::other("not a regular file: remove it")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(io(std::io::Error::other(
            "larger than 1 MB: not a casebook file",
        )));
    }
    let bytes = fs::read(path).map_err(io)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| io(std::io::Error::other("not UTF-8")))
}

/// Changes a private file under an exclusive lock: `change` gets its current text (empty
/// when there is none) and returns the new text, which replaces the file atomically
/// (owner-only permissions).
fn update_private<T>(
    kb: &Kb,
    file_name: &str,
    change: impl FnOnce(&Path, &str) -> Result<(String, T), AccountsError>,
) -> Result<T, AccountsError> {
    let dir = private_dir(kb)?;
    let path = dir.join(file_name);
    let lock_path = dir.join(format!("{file_name}.lock"));
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| AccountsError::Io { path: p, source }
    };
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    lock.lock().map_err(io(&lock_path))?;
    let old = read_private(&path)?.unwrap_or_default();
    let (new, out) = change(&path, &old)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io(&dir))?;
    tmp.write_all(new.as_bytes()).map_err(io(&path))?;
    tmp.as_file().sync_all().map_err(io(&path))?;
    // NamedTempFile is created 0600 already; the rename keeps it.
    tmp.persist(&path).map_err(|e| AccountsError::Io {
        path: path.clone(),
        source: e.error,
    })?;
    drop(lock);
    Ok(out)
}

/// `n` random bytes from the operating system.
fn random_bytes<const N: usize>() -> Result<[u8; N], AccountsError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| AccountsError::Random(e.to_string()))?;
    Ok(bytes)
}

/// Lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two byte strings are equal, in time that depends on their length only.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The line (1-based) of the `index`-th `[[table]]` header in `text`, for a message.
fn entry_line(text: &str, table: &str, index: usize) -> usize {
    let header = format!("[[{table}]]");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == header)
        .nth(index)
        .map_or(1, |(i, _)| i + 1)
}

/// The line of a TOML parse error.
fn toml_error(path: &Path, text: &str, e: &toml::de::Error) -> AccountsError {
    let line = e.span().map_or(1, |s| {
        text[..s.start.min(text.len())].lines().count().max(1)
    });
    AccountsError::Parse {
        path: path.to_path_buf(),
        line,
        message: e.message().to_string(),
    }
}
