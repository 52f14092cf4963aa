//! API tokens, `<kb>/.casebook-private/tokens.toml`: for scripts that write cases through
//! `POST /api/cases`. A token is shown once, when `casebook token add NAME` makes it; the
//! file keeps only its BLAKE2 hash (a token is 256 random bits, so a fast hash is enough:
//! nobody can guess one to match), its name and the day it was made.

use std::path::{Path, PathBuf};

use blake2::{Blake2s256, Digest};
use serde::{Deserialize, Serialize};

use super::{
    constant_time_eq, entry_line, hex, name_key, random_bytes, read_private, toml_error,
    update_private, valid_name, AccountsError, PRIVATE_DIR,
};
use crate::kb::Kb;

const FILE_NAME: &str = "tokens.toml";

/// What every token starts with, so that one pasted in the wrong place is recognised.
const PREFIX: &str = "casebook_";

const HEADER: &str = "# casebook API tokens: written by `casebook token add|revoke NAME`.\n\
# Only hashes; keep this file out of git.\n\n";

/// A token as listed: its name and when it was made (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenInfo {
    /// The name given to `casebook token add`, the author of what the token writes.
    pub name: String,
    /// The day it was made, `YYYY-MM-DD`.
    pub created: String,
    hash: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    token: Vec<TokenInfo>,
}

/// A token just made: the only time its text exists outside the caller.
#[derive(Debug)]
pub struct NewToken {
    /// The token's name.
    pub name: String,
    /// The token, to give to the script.
    pub token: String,
}

/// The API tokens of a knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    list: Vec<TokenInfo>,
}

impl Tokens {
    /// Where the tokens of `kb` live.
    pub fn path(kb: &Kb) -> PathBuf {
        kb.root().join(PRIVATE_DIR).join(FILE_NAME)
    }

    /// Reads the tokens of `kb`: none when the file does not exist.
    pub fn load(kb: &Kb) -> Result<Tokens, AccountsError> {
        let path = Tokens::path(kb);
        let text = read_private(&path)?.unwrap_or_default();
        parse(&path, &text)
    }

    /// The tokens, in the order they were made.
    pub fn list(&self) -> &[TokenInfo] {
        &self.list
    }

    /// The token whose text `given` is. Every stored hash is compared, in constant time.
    pub fn verify(&self, given: &str) -> Option<&TokenInfo> {
        let hash = hash(given.trim());
        let mut found = None;
        for token in &self.list {
            if constant_time_eq(token.hash.as_bytes(), hash.as_bytes()) {
                found = Some(token);
            }
        }
        found
    }

    /// Makes a token called `name` and stores its hash.
    pub fn add(kb: &Kb, name: &str, today: chrono::NaiveDate) -> Result<NewToken, AccountsError> {
        if !valid_name(name) {
            return Err(AccountsError::BadName(name.to_string()));
        }
        let token = format!("{PREFIX}{}", hex(&random_bytes::<32>()?));
        let info = TokenInfo {
            name: name.to_string(),
            created: today.format("%Y-%m-%d").to_string(),
            hash: hash(&token),
        };
        change(kb, |tokens| {
            if tokens.iter().any(|t| name_key(&t.name) == name_key(name)) {
                return Err(AccountsError::Exists(name.to_string()));
            }
            tokens.push(info);
            Ok(())
        })?;
        Ok(NewToken {
            name: name.to_string(),
            token,
        })
    }

    /// Revokes the token called `name`: it stops working at once.
    pub fn revoke(kb: &Kb, name: &str) -> Result<(), AccountsError> {
        change(kb, |tokens| {
            let before = tokens.len();
            tokens.retain(|t| name_key(&t.name) != name_key(name));
            if tokens.len() == before {
                return Err(AccountsError::Unknown(name.to_string()));
            }
            Ok(())
        })
    }
}

fn hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

fn change(
    kb: &Kb,
    edit: impl FnOnce(&mut Vec<TokenInfo>) -> Result<(), AccountsError>,
) -> Result<(), AccountsError> {
    update_private(kb, FILE_NAME, |path, old| {
        let mut tokens = parse(path, old)?.list;
        edit(&mut tokens)?;
        let body = toml::to_string(&File { token: tokens }).map_err(|e| AccountsError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        Ok((format!("{HEADER}{body}"), ()))
    })
}

fn parse(path: &Path, text: &str) -> Result<Tokens, AccountsError> {
    let file: File = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    for (i, token) in file.token.iter().enumerate() {
        let hash_ok = token.hash.len() == 64 && token.hash.bytes().all(|b| b.is_ascii_hexdigit());
        let problem = if !valid_name(&token.name) {
            Some(format!("{:?} is not a usable token name", token.name))
        } else if !hash_ok {
            Some(format!("the hash of {:?} is not 64 hex digits", token.name))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(AccountsError::Parse {
                path: path.to_path_buf(),
                line: entry_line(text, "token", i),
                message,
            });
        }
    }
    Ok(Tokens { list: file.token })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_works_until_revoked_and_only_its_hash_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let made = Tokens::add(&kb, "monitoring", day).unwrap();
        assert!(made.token.starts_with(PREFIX) && made.token.len() == PREFIX.len() + 64);
        let stored = std::fs::read_to_string(Tokens::path(&kb)).unwrap();
        assert!(!stored.contains(&made.token), "{stored}");
        assert!(stored.contains("monitoring") && stored.contains("2026-12-05"));

        let tokens = Tokens::load(&kb).unwrap();
        assert_eq!(tokens.verify(&made.token).unwrap().name, "monitoring");
        assert!(tokens.verify("casebook_0000").is_none());
        assert!(tokens.verify("").is_none());
        assert!(matches!(
            Tokens::add(&kb, "Monitoring", day),
            Err(AccountsError::Exists(_))
        ));

        Tokens::revoke(&kb, "monitoring").unwrap();
        assert!(Tokens::load(&kb).unwrap().verify(&made.token).is_none());
        assert!(matches!(
            Tokens::revoke(&kb, "monitoring"),
            Err(AccountsError::Unknown(_))
        ));
    }
}
