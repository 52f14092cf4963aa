//! The two languages of casebook and their translations: Fluent bundles (`i18n/*.ftl`,
//! embedded in the binary) shared by the web pages, `check`'s diagnostics and the digest.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

use crate::text::to_persian_digits;

const FA_FTL: &str = include_str!("../i18n/fa.ftl");
const EN_FTL: &str = include_str!("../i18n/en.ftl");
const FA_DIAG_FTL: &str = include_str!("../i18n/diag.fa.ftl");
const EN_DIAG_FTL: &str = include_str!("../i18n/diag.en.ftl");

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
            fa: bundle([("fa.ftl", FA_FTL), ("diag.fa.ftl", FA_DIAG_FTL)], "fa")?,
            en: bundle([("en.ftl", EN_FTL), ("diag.en.ftl", EN_DIAG_FTL)], "en")?,
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
    files: [(&'static str, &'static str); 2],
    tag: &str,
) -> Result<FluentBundle<FluentResource>, I18nError> {
    let langid: LanguageIdentifier = tag.parse().map_err(|e| I18nError {
        file: files[0].0,
        message: format!("{e}"),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Direction is handled by the HTML (<bdi>, dir=...), not by invisible isolation marks.
    bundle.set_use_isolating(false);
    if tag == "fa" {
        bundle.set_formatter(Some(persian_numbers));
    }
    for (file, source) in files {
        let error = |message: String| I18nError { file, message };
        let resource = FluentResource::try_new(source.to_string())
            .map_err(|(_, e)| error(format!("{e:?}")))?;
        bundle
            .add_resource(resource)
            .map_err(|e| error(format!("{e:?}")))?;
    }
    Ok(bundle)
}

/// The translations, loaded once for the whole process. The `.ftl` files are embedded and
/// tested, so a broken one is a bug of this build: it panics on first use.
pub fn global() -> &'static I18n {
    static I18N: OnceLock<I18n> = OnceLock::new();
    I18N.get_or_init(|| I18n::new().expect("the embedded translations load"))
}

fn persian_numbers<M>(value: &FluentValue, _: &M) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(to_persian_digits(&n.as_string())),
        _ => None,
    }
}

/// A message that can be told in either language: a Fluent id and its arguments, turned
/// into text only when the reader's language is known (`check --lang`, the problems page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    id: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// One argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text shown as it is (a key, a value from a file, a list of ids).
    Text(String),
    /// Text whose digits follow the reader (a date as the file wrote it).
    Digits(String),
    /// A number (Persian digits in Persian).
    Number(i64),
    /// Text that differs by language (a month's name).
    Localized {
        /// In English.
        en: String,
        /// In Persian.
        fa: String,
    },
    /// A value from a file, quoted: "…" in English, «…» in Persian.
    Quoted(String),
    /// A message told in the same language (a date error inside a diagnostic).
    Message(Box<Message>),
}

impl Arg {
    /// A value from a file, shown quoted in the reader's language.
    pub fn quoted(text: &str) -> Arg {
        Arg::Quoted(text.to_string())
    }
}

/// A value from a file as a message may show it: on one line, and unable to turn the rest
/// of the line around. Line breaks become spaces (a file's key must not make a second,
/// fake `path:line:col:` line), and control characters and the bidi embeddings, overrides
/// and isolates become `�`; the half-space and the joiner (which Persian needs) stay.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
                '\u{fffd}'
            }
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i32> for Arg {
    fn from(n: i32) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<u16> for Arg {
    fn from(n: u16) -> Arg {
        Arg::Number(n.into())
    }
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(Box::new(m))
    }
}

/// A [`Message`]: `msg!("diag-missing-key", key = "title", hint = "...")`.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Message::new(
            $id,
            vec![$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

impl Message {
    /// A message with its arguments (see [`msg!`]).
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        Message { id, args }
    }

    /// Text that has no translation (a parser's own words), shown as it is in both
    /// languages.
    pub fn verbatim(text: impl Into<String>) -> Message {
        msg!("verbatim", text = text.into())
    }

    /// The Fluent id.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The message in a language.
    pub fn text(&self, lang: Lang) -> String {
        let mut args = FluentArgs::new();
        for (name, arg) in &self.args {
            match arg {
                Arg::Text(s) => args.set(*name, one_line(s)),
                Arg::Digits(s) => args.set(*name, lang.digits(&one_line(s))),
                Arg::Quoted(s) => args.set(
                    *name,
                    match lang {
                        Lang::Fa => format!("«{}»", one_line(s)),
                        Lang::En => format!("\"{}\"", one_line(s)),
                    },
                ),
                Arg::Number(n) => args.set(*name, *n),
                Arg::Localized { en, fa } => args.set(
                    *name,
                    match lang {
                        Lang::Fa => fa.clone(),
                        Lang::En => en.clone(),
                    },
                ),
                Arg::Message(m) => args.set(*name, m.text(lang)),
            }
        }
        global().text(lang, self.id, Some(&args))
    }
}

impl std::fmt::Display for Message {
    /// In English, the language of logs and of `check` by default.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text(Lang::En))
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
        for (fa, en) in [(FA_FTL, EN_FTL), (FA_DIAG_FTL, EN_DIAG_FTL)] {
            let (fa, en) = (keys(fa), keys(en));
            assert!(en.len() > 50, "{}", en.len());
            assert_eq!(
                fa.symmetric_difference(&en).collect::<Vec<_>>(),
                Vec::<&String>::new()
            );
        }
    }

    /// Every message id written in the source has a translation in both languages.
    #[test]
    fn every_message_id_in_the_source_is_translated() {
        let i18n = I18n::new().unwrap();
        let mut ids = BTreeSet::new();
        let mut folders = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for part in text.split("msg!(").skip(1) {
                        let part = part.trim_start();
                        if let Some(rest) = part.strip_prefix('"') {
                            let id = rest.split('"').next().unwrap();
                            if id
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit())
                            {
                                ids.insert(id.to_string());
                            }
                        }
                    }
                }
            }
        }
        assert!(ids.len() > 60, "{}", ids.len());
        for id in &ids {
            for lang in [Lang::En, Lang::Fa] {
                assert_ne!(i18n.text(lang, id, None), *id, "{id} has no {lang:?} text");
            }
        }
    }

    #[test]
    fn a_message_is_told_in_either_language_with_its_digits() {
        let m = crate::msg!(
            "check-summary",
            cases = 12_usize,
            errors = 0_usize,
            warnings = 1_usize,
            crises = 9_usize
        );
        assert_eq!(
            m.text(Lang::En),
            "12 case(s) loaded, 0 error(s), 1 warning(s), 9 anticipated crisis(es)"
        );
        assert_eq!(
            m.text(Lang::Fa),
            "۱۲ پرونده بارگذاری شد، ۰ خطا، ۱ هشدار، ۹ بحران پیش‌بینی‌شده"
        );
        let nested = crate::msg!(
            "diag-bad-date",
            what = "due",
            detail = crate::msg!(
                "form-error-date-month",
                value = Arg::Digits("1391-13-01".into()),
                month = 13_u32
            )
        );
        assert!(
            nested.text(Lang::Fa).contains("۱۳۹۱-۱۳-۰۱"),
            "{}",
            nested.text(Lang::Fa)
        );
        assert!(nested.text(Lang::En).contains("1391-13-01"));
    }

    /// A value from a file cannot add a line to `check`'s report or turn it around.
    #[test]
    fn values_stay_on_one_line_and_keep_their_direction() {
        let m = crate::msg!(
            "diag-unknown-key",
            key = "x\nother.md:1:1: error: fake\u{202e}"
        );
        let text = m.text(Lang::En);
        assert!(
            !text.contains('\n') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        let q = crate::msg!("diag-bad-status", value = Arg::quoted("قطعی\u{200c}برق"));
        assert_eq!(
            q.text(Lang::Fa),
            "'status' برابر «قطعی\u{200c}برق» است. draft (پیش‌نویس) یا final (نهایی) بنویسید"
        );
        assert!(q
            .text(Lang::En)
            .starts_with("'status' is \"قطعی\u{200c}برق\"."));
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
}
