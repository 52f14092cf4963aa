//! The interface language of a request: the switch in the page, the cookie it leaves
//! behind, the browser's `Accept-Language`, and the knowledge base's `default_lang`. The
//! languages and their translations live in [`crate::i18n`].

pub use crate::i18n::{I18n, I18nError, Lang};

/// The first supported language of an `Accept-Language` header, by quality then order.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut ranked: Vec<(f32, usize, Lang)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let lang = Lang::from_tag(parts.next()?)?;
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|r| r.2)
}

/// Chooses the language of a request from its switch, cookie, header and the default.
pub fn negotiate(
    query: Option<&str>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
    default: Lang,
) -> Lang {
    query
        .and_then(Lang::from_tag)
        .or_else(|| cookie.and_then(Lang::from_tag))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_beats_the_cookie_beats_the_browser_beats_the_default() {
        let fa = Lang::Fa;
        assert_eq!(negotiate(Some("en"), Some("fa"), Some("fa"), fa), Lang::En);
        assert_eq!(negotiate(None, Some("en"), Some("fa"), fa), Lang::En);
        assert_eq!(
            negotiate(Some("xx"), None, Some("en-US,en;q=0.9"), fa),
            Lang::En
        );
        assert_eq!(negotiate(None, None, None, Lang::En), Lang::En);
        assert_eq!(negotiate(None, Some("de"), Some("de-DE"), fa), Lang::Fa);
    }

    #[test]
    fn accept_language_follows_quality_then_order() {
        assert_eq!(
            from_accept_language("fa-IR,fa;q=0.9,en;q=0.8"),
            Some(Lang::Fa)
        );
        assert_eq!(from_accept_language("de,en;q=0.5,fa;q=0.7"), Some(Lang::Fa));
        assert_eq!(from_accept_language("en-GB, fa"), Some(Lang::En));
        assert_eq!(from_accept_language("fa;q=0,en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language(""), None);
    }
}
