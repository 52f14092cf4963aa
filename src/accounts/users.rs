//! The users file, `<kb>/.casebook-private/users.toml`: each user's name and argon2id
//! password hash. Managed by `casebook user add|passwd|remove NAME`; read by the server,
//! which notices a changed file without a restart.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use serde::{Deserialize, Serialize};

use super::{
    entry_line, name_key, random_bytes, read_private, toml_error, update_private, valid_name,
    AccountsError, PRIVATE_DIR,
};
use crate::kb::Kb;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

const FILE_NAME: &str = "users.toml";

const HEADER: &str = "# casebook users: written by `casebook user add|passwd|remove NAME`.\n\
# Password hashes (argon2id); keep this file out of git and readable by you only.\n\n";

/// One user: a name and a password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct User {
    /// The name, as given to `casebook user add` (compared with [`crate::text::fold_key`]).
    pub name: String,
    /// The argon2id hash in PHC format.
    hash: String,
}

impl User {
    /// A value that changes whenever the password changes (the hash's salt and digest
    /// are new each time): a login made before `casebook user passwd` carries the old one
    /// and is no longer accepted.
    pub fn stamp(&self) -> String {
        let digest = self.hash.rsplit('$').next().unwrap_or_default();
        digest.chars().take(16).collect()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    user: Vec<User>,
}

/// The users of a knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Users {
    list: Vec<User>,
}

impl Users {
    /// Where the users of `kb` live.
    pub fn path(kb: &Kb) -> PathBuf {
        kb.root().join(PRIVATE_DIR).join(FILE_NAME)
    }

    /// Reads the users of `kb`: none when the file does not exist.
    pub fn load(kb: &Kb) -> Result<Users, AccountsError> {
        let path = Users::path(kb);
        let text = read_private(&path)?.unwrap_or_default();
        parse(&path, &text)
    }

    /// Whether there is no user (then nobody can write from the web).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The users, in the file's order.
    pub fn list(&self) -> &[User] {
        &self.list
    }

    /// The user called `name`, compared as Persian and English text are (case, ي/ی).
    pub fn find(&self, name: &str) -> Option<&User> {
        let key = name_key(name);
        self.list.iter().find(|u| name_key(&u.name) == key)
    }

    /// The user whose name and password these are. An unknown name costs the same time
    /// as a wrong password, so that timing does not tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> Option<&User> {
        match self.find(name) {
            Some(user) => password_matches(&user.hash, password).then_some(user),
            None => {
                password_matches(dummy_hash(), password);
                None
            }
        }
    }
}

impl Users {
    /// Adds a user; refused when the name is taken or not a usable name.
    pub fn add(kb: &Kb, name: &str, password: &str) -> Result<(), AccountsError> {
        check_name(name)?;
        let hash = hash_password(password)?;
        change(kb, |users| {
            if users.iter().any(|u| name_key(&u.name) == name_key(name)) {
                return Err(AccountsError::Exists(name.to_string()));
            }
            users.push(User {
                name: name.to_string(),
                hash,
            });
            Ok(())
        })
    }

    /// Sets a user's password: every login of that user made before ends.
    pub fn set_password(kb: &Kb, name: &str, password: &str) -> Result<(), AccountsError> {
        let hash = hash_password(password)?;
        change(kb, |users| {
            let user = users
                .iter_mut()
                .find(|u| name_key(&u.name) == name_key(name))
                .ok_or_else(|| AccountsError::Unknown(name.to_string()))?;
            user.hash = hash;
            Ok(())
        })
    }

    /// Removes a user: their logins end at their next request.
    pub fn remove(kb: &Kb, name: &str) -> Result<(), AccountsError> {
        change(kb, |users| {
            let before = users.len();
            users.retain(|u| name_key(&u.name) != name_key(name));
            if users.len() == before {
                return Err(AccountsError::Unknown(name.to_string()));
            }
            Ok(())
        })
    }
}

fn check_name(name: &str) -> Result<(), AccountsError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(AccountsError::BadName(name.to_string()))
    }
}

fn change(
    kb: &Kb,
    edit: impl FnOnce(&mut Vec<User>) -> Result<(), AccountsError>,
) -> Result<(), AccountsError> {
    update_private(kb, FILE_NAME, |path, old| {
        let mut users = parse(path, old)?.list;
        edit(&mut users)?;
        let body = toml::to_string(&File { user: users }).map_err(|e| AccountsError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Ok((format!("{HEADER}{body}"), ()))
    })
}

fn parse(path: &Path, text: &str) -> Result<Users, AccountsError> {
    let file: File = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    for (i, user) in file.user.iter().enumerate() {
        let problem = if !super::valid_name(&user.name) {
            Some(format!("{:?} is not a usable user name", user.name))
        } else if PasswordHash::new(&user.hash).is_err() {
            Some(format!("the hash of {:?} is not an argon2 hash", user.name))
        } else if file.user[..i]
            .iter()
            .any(|u| name_key(&u.name) == name_key(&user.name))
        {
            Some(format!("{:?} is listed twice", user.name))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(AccountsError::Parse {
                path: path.to_path_buf(),
                line: entry_line(text, "user", i),
                message,
            });
        }
    }
    Ok(Users { list: file.user })
}

/// An argon2id hash (the crate's default parameters) of `password` with a random salt.
fn hash_password(password: &str) -> Result<String, AccountsError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountsError::WeakPassword);
    }
    let salt = SaltString::encode_b64(&random_bytes::<16>()?)
        .map_err(|e| AccountsError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AccountsError::Hash(e.to_string()))
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a password nobody has, checked against when the name is unknown.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no user has this password").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> (tempfile::TempDir, Kb) {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        (dir, kb)
    }

    #[test]
    fn add_verify_change_and_remove_a_user() {
        let (_dir, kb) = kb();
        assert!(Users::load(&kb).unwrap().is_empty());
        Users::add(&kb, "Mina", "correct horse").unwrap();
        let users = Users::load(&kb).unwrap();
        assert_eq!(users.verify("mina", "correct horse").unwrap().name, "Mina");
        assert!(users.verify("Mina", "wrong password").is_none());
        assert!(users.verify("nobody", "correct horse").is_none());
        let stamp = users.find("Mina").unwrap().stamp();

        assert!(matches!(
            Users::add(&kb, "MINA", "another one"),
            Err(AccountsError::Exists(_))
        ));
        assert!(matches!(
            Users::add(&kb, "a b", "another one"),
            Err(AccountsError::BadName(_))
        ));
        assert!(matches!(
            Users::add(&kb, "reza", "short"),
            Err(AccountsError::WeakPassword)
        ));

        Users::set_password(&kb, "mina", "battery staple").unwrap();
        let users = Users::load(&kb).unwrap();
        assert!(users.verify("Mina", "correct horse").is_none());
        assert!(users.verify("Mina", "battery staple").is_some());
        assert_ne!(users.find("Mina").unwrap().stamp(), stamp);

        Users::add(&kb, "علی", "a persian user").unwrap();
        assert!(
            Users::load(&kb).unwrap().find("علي").is_some(),
            "ي and ی are one letter"
        );
        Users::remove(&kb, "Mina").unwrap();
        assert!(matches!(
            Users::remove(&kb, "Mina"),
            Err(AccountsError::Unknown(_))
        ));
        assert_eq!(Users::load(&kb).unwrap().list().len(), 1);
    }

    #[test]
    fn the_file_is_private_and_ignored_by_git() {
        let (dir, kb) = kb();
        Users::add(&kb, "mina", "correct horse").unwrap();
        let private = dir.path().join(PRIVATE_DIR);
        let ignore = std::fs::read_to_string(private.join(".gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "*"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&private), 0o700);
            assert_eq!(mode(&private.join(FILE_NAME)), 0o600);
        }
    }

    /// A private folder or users file that is a link (planted by a `git pull`) is refused:
    /// nothing is written through it, nothing read from it.
    #[cfg(unix)]
    #[test]
    fn links_are_refused_never_followed() {
        let (dir, kb) = kb();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(PRIVATE_DIR)).unwrap();
        assert!(Users::add(&kb, "mina", "correct horse").is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

        let (dir, kb) = self::kb();
        Users::add(&kb, "mina", "correct horse").unwrap();
        let file = dir.path().join(PRIVATE_DIR).join(FILE_NAME);
        let planted = elsewhere.path().join("users.toml");
        std::fs::rename(&file, &planted).unwrap();
        std::os::unix::fs::symlink(&planted, &file).unwrap();
        assert!(Users::load(&kb).is_err(), "a linked users file is not read");
    }

    #[test]
    fn a_damaged_file_is_reported_with_its_line() {
        let (dir, kb) = kb();
        Users::add(&kb, "mina", "correct horse").unwrap();
        let path = dir.path().join(PRIVATE_DIR).join(FILE_NAME);
        let text = std::fs::read_to_string(&path).unwrap();
        let damaged = format!("{text}\n[[user]]\nname = \"reza\"\nhash = \"plain text\"\n");
        std::fs::write(&path, &damaged).unwrap();
        let err = Users::load(&kb).unwrap_err().to_string();
        let expected_line = damaged
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "[[user]]")
            .nth(1)
            .unwrap()
            .0
            + 1;
        assert!(
            err.contains(&format!("users.toml:{expected_line}:"))
                && err.contains("not an argon2 hash"),
            "{err}"
        );
        std::fs::write(&path, "[[user]\n").unwrap();
        let err = Users::load(&kb).unwrap_err().to_string();
        assert!(err.contains("users.toml:1:"), "{err}");
    }
}
