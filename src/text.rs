//! Persian and English text normalisation: the pure functions that make «ي/ی», «ك/ک»,
//! the half-space, kashida and the three digit sets compare as the same text.
//!
//! Everything that compares user text (taxonomy labels, search terms, filter values)
//! goes through here, so that a spelling difference never hides a case.

/// Zero-width non-joiner, the Persian half-space («نیم‌فاصله»).
pub const ZWNJ: char = '\u{200C}';

/// Folds one character to its canonical search form, or `None` to drop it.
///
/// Rules (each tested below with both spellings):
/// - Arabic yeh «ي» and alef maksura «ى» become Persian yeh «ی»; Arabic kaf «ك» becomes «ک».
/// - Alef with hamza or madda «أ إ آ ٱ» become bare alef «ا»; «ؤ» becomes «و»; «ئ» becomes «ی»;
///   teh marbuta «ة» and heh with yeh «ۀ» become «ه».
/// - Kashida «ـ», Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and
///   zero-width joiners/marks are dropped.
/// - Persian «۰–۹» and Arabic-Indic «٠–٩» digits become ASCII digits.
/// - Everything else is lowercased.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    let folded = match c {
        'ي' | 'ى' | 'ئ' => 'ی',
        'ك' => 'ک',
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ؤ' => 'و',
        'ة' | 'ۀ' => 'ه',
        '\u{0640}' => return None, // kashida (tatweel)
        '\u{064B}'..='\u{065F}' | '\u{0670}' => return None, // diacritics
        '\u{200B}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}' => return None,
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        _ => c,
    };
    Some(folded)
}

/// Normalises text for comparison and indexing: the character folds of [`fold_char`],
/// lowercasing, and the half-space kept as a word boundary marker (it becomes a plain
/// space, because «قرارداد‌ها» and «قرارداد ها» are the same words).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ZWNJ {
            out.push(' ');
            continue;
        }
        if let Some(f) = fold_char(c) {
            if f.is_uppercase() {
                out.extend(f.to_lowercase());
            } else {
                out.push(f);
            }
        }
    }
    out
}

/// A key for comparing short identifiers and labels («IT و زیرساخت», "it-infrastructure"):
/// normalised, with spaces, half-spaces, hyphens and underscores removed.
pub fn fold_key(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect()
}

/// A key for facet and filter values (tags, unknown crisis types and chapters): normalised,
/// half-spaces joined, runs of spaces and underscores turned into one hyphen. Unlike
/// [`fold_key`] it stays readable (`config-error`, `قراردادها`), because facet counts show it.
pub fn label_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c == ZWNJ {
            continue;
        }
        let Some(f) = fold_char(c) else { continue };
        if f.is_whitespace() || f == '_' || f == '-' || f == '/' {
            pending_hyphen = true;
            continue;
        }
        if pending_hyphen && !out.is_empty() {
            out.push('-');
        }
        pending_hyphen = false;
        out.extend(f.to_lowercase());
    }
    out
}

/// Replaces ASCII digits with Persian digits, for display in the Persian interface.
pub fn to_persian_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Replaces Persian and Arabic-Indic digits with ASCII digits and leaves the rest alone.
pub fn to_ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// True when the text holds Arabic-script letters (Persian or Arabic).
pub fn has_arabic_script(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Turns a title into a file-name slug. Persian letters are kept (they are valid in file
/// names everywhere git runs), Persian digits become ASCII, and anything that is not a
/// letter or digit becomes a single hyphen.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_hyphen = false;
    for c in normalize(title).chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c);
        } else {
            pending_hyphen = true;
        }
    }
    // Keep names short enough for every file system, cutting on a char boundary.
    let mut cut: String = slug.chars().take(60).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    if cut.is_empty() {
        "case".to_string()
    } else {
        cut
    }
}

/// Text from a file as a terminal may print it: control characters other than line breaks
/// and tabs become `�`, so that a title or a file name cannot move the cursor, retitle the
/// window or clear the screen (escape sequences start with one).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let is_unsafe = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| if is_unsafe(c) { '\u{fffd}' } else { c })
        .collect::<String>()
        .into()
}

/// The script most of a text's letters are written in: what decides the direction and the
/// language of a block of user text (a Persian line that starts with an English word is
/// still Persian). `None` when it has no letter of either.
pub fn main_script(text: &str) -> Option<Script> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    // A web or mail address is Latin whatever the sentence around it is written in.
    let is_address =
        |word: &&str| word.contains("://") || word.contains('@') || word.starts_with("www.");
    for c in text
        .split_whitespace()
        .filter(|w| !is_address(w))
        .flat_map(str::chars)
    {
        if matches!(c, '\u{0600}'..='\u{06ff}' | '\u{0750}'..='\u{077f}' | '\u{fb50}'..='\u{fdff}' | '\u{fe70}'..='\u{feff}')
            && c.is_alphabetic()
        {
            arabic += 1;
        } else if c.is_ascii_alphabetic() || matches!(c, '\u{00c0}'..='\u{024f}') {
            latin += 1;
        }
    }
    match (arabic, latin) {
        (0, 0) => None,
        (a, l) if a >= l => Some(Script::Arabic),
        _ => Some(Script::Latin),
    }
}

/// ` dir="rtl" lang="fa"` for a text written mostly in Persian, ` dir="ltr" lang="en"` for
/// one mostly in English, nothing for one without letters: HTML attributes that give a
/// block of user text its direction and voice from its own words, not from the page or
/// its first letter.
pub fn direction_attrs(text: &str) -> &'static str {
    match main_script(text) {
        Some(Script::Arabic) => r#" dir="rtl" lang="fa""#,
        Some(Script::Latin) => r#" dir="ltr" lang="en""#,
        None => "",
    }
}

/// A writing system, as [`main_script`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Persian (Arabic script): right to left.
    Arabic,
    /// English (Latin script): left to right.
    Latin,
}

/// Characters escaped in a URL path segment (everything but unreserved ASCII).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one URL path segment (an id's part, a chapter): any text, control
/// characters included, becomes safe to put in a link or a feed.
pub fn encode_segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// Percent-encodes a `/`-separated id segment by segment, keeping the `/`.
pub fn encode_path(id: &str) -> String {
    id.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_do_not_vote_for_a_texts_script() {
        assert_eq!(
            main_script("پیش از امضا https://rrk.ir/News/ShowOldNews.aspx?Code=12345 را ببینید."),
            Some(Script::Arabic)
        );
        assert_eq!(
            main_script("به info@example-company.org بنویسید"),
            Some(Script::Arabic)
        );
        assert_eq!(main_script("https://example.org"), None);
        assert_eq!(
            main_script("Call www.example.org today"),
            Some(Script::Latin)
        );
    }

    #[test]
    fn arabic_and_persian_letters_fold_together() {
        let pairs = [
            ("علي", "علی"),
            ("كتاب", "کتاب"),
            ("مصطفى", "مصطفی"),
            ("أمضا", "امضا"),
            ("إمضا", "امضا"),
            ("آب", "اب"),
            ("مسئول", "مسیول"),
            ("مؤسسه", "موسسه"),
            ("خانة", "خانه"),
            ("خانۀ", "خانه"),
        ];
        for (a, b) in pairs {
            assert_eq!(normalize(a), normalize(b), "{a} vs {b}");
        }
    }

    #[test]
    fn kashida_and_diacritics_are_dropped() {
        assert_eq!(normalize("قـــرارداد"), "قرارداد");
        assert_eq!(normalize("قَرارداد"), "قرارداد");
        assert_eq!(normalize("مُحَمَّد"), "محمد");
    }

    #[test]
    fn digits_of_three_scripts_are_one() {
        assert_eq!(normalize("۱۳۹۱"), "1391");
        assert_eq!(normalize("١٣٩١"), "1391");
        assert_eq!(normalize("1391"), "1391");
        assert_eq!(to_persian_digits("1391-07-10"), "۱۳۹۱-۰۷-۱۰");
        assert_eq!(to_ascii_digits("۱۳۹۱/٠٧/10"), "1391/07/10");
    }

    #[test]
    fn half_space_is_a_word_boundary() {
        assert_eq!(normalize("قرارداد\u{200C}ها"), "قرارداد ها");
        assert_eq!(fold_key("قرارداد\u{200C}ها"), fold_key("قراردادها"));
        assert_eq!(fold_key("قرارداد ها"), fold_key("قراردادها"));
    }

    #[test]
    fn keys_ignore_case_spaces_and_hyphens() {
        assert_eq!(fold_key("IT-Infrastructure"), fold_key("it infrastructure"));
        assert_eq!(fold_key("تأمین‌کنندگان"), fold_key("تامین کنندگان"));
    }

    #[test]
    fn label_keys_are_readable_and_spelling_blind() {
        assert_eq!(label_key("Config Error"), "config-error");
        assert_eq!(label_key("config_error"), "config-error");
        assert_eq!(label_key("قرارداد\u{200C}ها"), label_key("قراردادها"));
        assert_eq!(label_key("واردات كالا"), label_key("واردات کالا"));
        assert_eq!(label_key("  ارز  "), "ارز");
    }

    #[test]
    fn slugs_keep_persian_letters() {
        assert_eq!(
            slugify("جهش دلار از ۱۰۰۰ به ۳۰۰۰ تومان"),
            "جهش-دلار-از-1000-به-3000-تومان"
        );
        assert_eq!(
            slugify("Void contract: signer wasn't authorised!"),
            "void-contract-signer-wasn-t-authorised"
        );
        assert_eq!(slugify("???"), "case");
    }
}
