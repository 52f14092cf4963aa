//! Cross-site request forgery protection for the app's forms (every `POST`), the simplest
//! sound way for a local app: a random token made once per process, carried in a hidden
//! field (another site cannot read it), and an `Origin` header, when the browser sends a
//! real one, that must name this request's host. That host is one the app answers to
//! (see `hosts.rs`): comparing `Origin` with `Host` alone would not stop DNS rebinding,
//! where the attacker's page names its own host in both.

use axum::http::header::{HeaderMap, HOST, ORIGIN};

/// A fresh 128-bit token from the operating system's random source, in hex.
pub(super) fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if let Err(e) = getrandom::getrandom(&mut bytes) {
        // No randomness: a token nobody can match, so forms are refused, never forged.
        tracing::error!("no random source for the form token ({e}); forms are disabled");
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `given` is this process's token (compared in constant time).
pub(super) fn token_matches(expected: &str, given: &str) -> bool {
    !expected.is_empty()
        && expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Whether a submitted form (its fields) carries this process's token `expected`.
pub(super) fn form_has_token(expected: &str, fields: &[(String, String)]) -> bool {
    fields
        .iter()
        .find(|(name, _)| name == "token")
        .is_some_and(|(_, given)| token_matches(expected, given))
}

/// Whether the request comes from a page of this app: no `Origin` (older browsers) or
/// `Origin: null` (our `no-referrer` policy makes browsers send that) pass to the token
/// check; any other origin must have this request's `Host`.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return true;
    }
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn another_sites_origin_is_refused_ours_is_not() {
        let ours = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        assert!(same_origin(&ours));
        let evil = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
        ]);
        assert!(!same_origin(&evil));
        let rebound = headers(&[("host", "evil.example:8080"), ("origin", "http://x:8080")]);
        assert!(!same_origin(&rebound));
        assert!(same_origin(&headers(&[("origin", "null")])));
        assert!(!same_origin(&headers(&[("origin", "http://a")])), "no Host");
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(token_matches(&a, &a.clone()));
        assert!(!token_matches(&a, &b));
        assert!(!token_matches(&a, &a[..31]));
        assert!(!token_matches("", ""));
    }
}
