//! One module per subcommand: each parses its arguments and calls the library.

pub mod calendar;
pub mod check;
pub mod digest;
pub mod followups;
pub mod index;
pub mod init;
pub mod mcp;
pub mod mistakes;
pub mod new;
pub mod progress;
pub mod search;
pub mod serve;
pub mod token;
pub mod user;

/// A `--base-url` as links need it: an absolute http(s) address (its trailing `/` dropped),
/// so that a mistyped or hostile value (`javascript:…`, a bare host) never becomes a link.
pub fn parse_base_url(text: &str) -> Result<String, String> {
    let refuse =
        || format!("{text:?}: write the web app's address, like https://cases.example.org");
    let url = url::Url::parse(text.trim()).map_err(|_| refuse())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(refuse());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse());
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::parse_base_url;

    #[test]
    fn a_base_url_is_an_absolute_web_address() {
        assert_eq!(
            parse_base_url("https://cases.example.org/").unwrap(),
            "https://cases.example.org"
        );
        assert_eq!(
            parse_base_url("http://10.0.0.5:8080/casebook/").unwrap(),
            "http://10.0.0.5:8080/casebook"
        );
        for bad in [
            "javascript:alert(1)",
            "cases.example.org",
            "/cases",
            "ftp://cases.example.org",
            "https://cases.example.org/?a=1",
            "",
        ] {
            let error = parse_base_url(bad).unwrap_err();
            assert!(
                error.contains("https://cases.example.org"),
                "{bad}: {error}"
            );
        }
    }
}
