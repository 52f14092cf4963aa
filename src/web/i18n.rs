//! The interface language: choosing Persian or English for a request, and translating the
//! interface's strings with Fluent (`i18n/*.ftl`, embedded in the binary).
//!
//! The choice, strongest first: the `lang` query parameter (a switch in the page), the
//! `lang` cookie it leaves behind, the browser's `Accept-Language`, and the knowledge
//! base's `default_lang`.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

use crate::text::to_persian_digits;

const FA_FTL: &str = include_str!("../../i18n/fa.ftl");
const EN_FTL: &str = include_str!("../../i18n/en.ftl");

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Persian: right-to-left, Persian digits, Jalali dates first.
    Fa,
    /// English: left-to-right, Gregorian dates first.
    En,
}

impl Lang {
    /// The language code, `fa` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    /// The text direction, `rtl` or `ltr`.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    /// The other language (for the switch in the page).
    pub fn other(self) -> Lang {
        match self {
            Lang::Fa => Lang::En,
            Lang::En => Lang::Fa,
        }
    }

    /// Reads a language tag (`fa`, `fa-IR`, `en-GB`, `EN`); `None` for any other language.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fa" | "per" | "fas" => Some(Lang::Fa),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }

    /// Numbers as this language writes them: Persian digits in Persian.
    pub fn digits(self, text: &str) -> String {
        match self {
            Lang::Fa => to_persian_digits(text),
            Lang::En => text.to_string(),
        }
    }
}

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

/// Why the embedded translations could not be loaded (a broken `.ftl` file).
#[derive(Debug, thiserror::Error)]
#[error("i18n/{file}: {message}")]
pub struct I18nError {
    file: &'static str,
    message: String,
}

/// The translations of the interface, one Fluent bundle per language.
pub struct I18n {
    fa: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n { fa, en }")
    }
}

impl I18n {
    /// Loads the embedded `.ftl` files.
    pub fn new() -> Result<I18n, I18nError> {
        Ok(I18n {
            fa: bundle("fa.ftl", FA_FTL, "fa")?,
            en: bundle("en.ftl", EN_FTL, "en")?,
        })
    }

    /// The translation of `key`, or the key itself (logged) when it is missing.
    pub fn text(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = match lang {
            Lang::Fa => &self.fa,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!("missing translation {key:?} for {}", lang.code());
            return key.to_string();
        };
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!("translation {key:?} ({}): {errors:?}", lang.code());
        }
        out.into_owned()
    }

    /// A translation with one numeric argument `count` (plurals).
    pub fn count(&self, lang: Lang, key: &str, count: usize) -> String {
        let mut args = FluentArgs::new();
        args.set("count", count);
        self.text(lang, key, Some(&args))
    }
}

fn bundle(
    file: &'static str,
    source: &'static str,
    tag: &str,
) -> Result<FluentBundle<FluentResource>, I18nError> {
    let error = |message: String| I18nError { file, message };
    let resource =
        FluentResource::try_new(source.to_string()).map_err(|(_, e)| error(format!("{e:?}")))?;
    let langid: LanguageIdentifier = tag.parse().map_err(|e| error(format!("{e}")))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Direction is handled by the HTML (<bdi>, dir=...), not by invisible isolation marks.
    bundle.set_use_isolating(false);
    if tag == "fa" {
        bundle.set_formatter(Some(persian_numbers));
    }
    bundle
        .add_resource(resource)
        .map_err(|e| error(format!("{e:?}")))?;
    Ok(bundle)
}

fn persian_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(to_persian_digits(&n.as_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with([' ', '#']) && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next())
            .map(|k| k.trim().to_string())
            .collect()
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let (fa, en) = (keys(FA_FTL), keys(EN_FTL));
        assert!(en.len() > 50, "{}", en.len());
        assert_eq!(
            fa.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
    }

    #[test]
    fn translations_load_and_count_in_each_language() {
        let i18n = I18n::new().unwrap();
        assert_eq!(i18n.count(Lang::En, "home-cases-count", 1), "1 case");
        assert_eq!(i18n.count(Lang::En, "home-cases-count", 12), "12 cases");
        assert_eq!(i18n.count(Lang::Fa, "home-cases-count", 12), "۱۲ پرونده");
        assert_eq!(
            i18n.count(Lang::Fa, "home-problems", 0),
            "همهٔ پرونده‌ها سالم‌اند."
        );
        assert_eq!(i18n.text(Lang::En, "no-such-key", None), "no-such-key");
    }

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
