//! Text analysis for the search index: one tokenizer that reads Persian and English the
//! same way in documents, queries and filter values.
//!
//! The rules, in order (docs/search.md lists them with examples):
//! 1. Every character goes through [`crate::text::fold_char`]: ي/ى→ی, ك→ک, أ/إ/آ→ا,
//!    kashida and diacritics dropped, Persian and Arabic-Indic digits read as ASCII,
//!    lowercase.
//! 2. Words are runs of letters and digits. Pieces joined by a half-space (ZWNJ) are one
//!    word, and a lone plural or suffix word after a Persian word («قرارداد ها») is glued
//!    back to it, so «قرارداد‌ها», «قراردادها» and «قرارداد ها» give the same token.
//!    A compound is found in its three spellings: «تأمین‌کننده», «تأمین کننده» (a known
//!    second part after a space, or a verb after «می»/«نمی») and «تأمینکننده» (a word
//!    ending in a known second part). Each spelling gives the same tokens: the whole
//!    compound and its first part at one position, the second part at the next, so that
//!    the compound, either part and a phrase of both all find it. Every half-space word
//!    is such a compound («بین‌الملل»: «بینالملل», «بین», «الملل»).
//! 3. Stop words (و، در، به، the, of…) are skipped, keeping their position for phrases.
//! 4. Persian words lose one common suffix (ها، های، ان، ات، ی…); English words are
//!    stemmed with Snowball English, and a final `i` left by it is dropped so that
//!    "expiry" and "expired" meet.
//!
//! Offsets always point into the original text, so snippets highlight what was written.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use crate::text::{fold_char, has_arabic_script, ZWNJ};

/// The name under which the analyzer is registered with tantivy.
pub const ANALYZER_NAME: &str = "casebook";

/// Longest token kept, in bytes; longer runs are noise (hashes, base64).
const MAX_TOKEN_BYTES: usize = 64;

/// Persian words that are only a suffix when written apart («قرارداد ها», «خانه ای»).
const DETACHED_SUFFIXES: &[&str] = &[
    "ها",
    "های",
    "هایی",
    "هایم",
    "هایت",
    "هایش",
    "هایمان",
    "هایتان",
    "هایشان",
    "ای",
    "ی",
];

/// Second parts of Persian compounds that are glued to the word before them when written
/// apart, and split off a word that ends in them when written joined (folded forms).
const COMPOUND_TAILS: &[&str] = &[
    "کننده",
    "کنندگی",
    "کنندگان",
    "دهنده",
    "دهندگان",
    "گیرنده",
    "گیرندگان",
    "گذاری",
    "گذار",
    "پذیر",
    "پذیری",
    "ناپذیر",
    "نامه",
    "افزار",
    "افزاری",
    "جلسه",
    "سازی",
    "کاری",
    "شناسی",
    "حساب",
];

/// Verbal prefixes: «می‌شود», «می شود» and «میشود» are one word.
const VERB_PREFIXES: &[&str] = &["می", "نمی"];

/// The fewest letters the first part keeps when a joined word is split.
const MIN_PART_CHARS: usize = 3;

/// Where a joined word splits into a compound's parts: before a known second part, with
/// 3 letters before it at least (so that «برنامه» is not «بر» + «نامه»). A word starting
/// with «می» is not split: «میزبانی» and «میدان» are not verbs.
fn joined_split(word: &str) -> Option<usize> {
    if !has_arabic_script(word) {
        return None;
    }
    // The longest second part first: «اجتنابناپذیر» is «اجتناب» + «ناپذیر».
    COMPOUND_TAILS
        .iter()
        .filter_map(|tail| {
            word.strip_suffix(tail)
                .filter(|first| first.chars().count() >= MIN_PART_CHARS)
        })
        .min_by_key(|first| first.len())
        .map(str::len)
}

/// Plural and possessive suffixes tried first, longest first; the stem keeps ≥ 2 letters.
const PLURAL_SUFFIXES: &[&str] = &[
    "هایشان",
    "هایتان",
    "هایمان",
    "هایی",
    "هایم",
    "هایت",
    "هایش",
    "های",
    "ها",
];

/// Persian stop words, in normalised form.
const PERSIAN_STOP: &[&str] = &[
    "و",
    "در",
    "به",
    "از",
    "که",
    "این",
    "ان",
    "را",
    "با",
    "است",
    "برای",
    "تا",
    "هم",
    "یک",
    "می",
    "شد",
    "شده",
    "بود",
    "یا",
    "اما",
    "اگر",
    "هر",
    "بر",
    "نیز",
    "خود",
    "کرد",
    "کردیم",
    "ما",
    "او",
    "انها",
    "اینها",
    "هست",
    "بودند",
    "شدند",
    "کنیم",
    "کند",
    "ولی",
    "چون",
    "پس",
];

/// English stop words (Lucene's list plus a few contractions' leftovers).
const ENGLISH_STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", "we", "our", "s", "t", "were", "been", "has",
    "had", "have",
];

/// Builds the analyzer registered for every full-text field.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(CaseTokenizer::default())
}

/// The search terms of a text, in order: what the index stores and what a query looks for.
pub fn terms(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    analyze_into(text, &mut tokens);
    tokens.into_iter().map(|t| t.text).collect()
}

/// The tantivy tokenizer: the tokens of [`analyze_into`].
#[derive(Clone, Default)]
pub struct CaseTokenizer {
    tokens: Vec<Token>,
}

/// The token stream of [`CaseTokenizer`].
pub struct CaseTokenStream<'a> {
    tokens: &'a mut [Token],
    next: usize,
}

impl Tokenizer for CaseTokenizer {
    type TokenStream<'a> = CaseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CaseTokenStream<'a> {
        self.tokens.clear();
        analyze_into(text, &mut self.tokens);
        CaseTokenStream {
            tokens: &mut self.tokens,
            next: 0,
        }
    }
}

impl TokenStream for CaseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next.saturating_sub(1)]
    }
}

/// Analyses `text` and appends its tokens to `out`.
pub fn analyze_into(text: &str, out: &mut Vec<Token>) {
    for_each_word(text, |word, from, to, position| {
        if is_term_candidate(word) {
            out.push(Token {
                offset_from: from,
                offset_to: to,
                position,
                text: stem(word),
                position_length: 1,
            });
        }
    });
}

/// Whether a folded word becomes a token at all: not a stop word, not an overlong run.
pub fn is_term_candidate(folded: &str) -> bool {
    folded.len() <= MAX_TOKEN_BYTES && !is_stop_word(folded)
}

/// The first letters of a set of terms: a word starting with another letter cannot stem
/// to one of them (a stem keeps its word's first letter, tested below).
#[derive(Clone, Debug, Default)]
pub struct FirstLetters {
    letters: Vec<char>,
    /// An empty term matches no word but disables the shortcut, to stay safe.
    any: bool,
}

impl FirstLetters {
    /// The first letters of `terms`.
    pub fn of<'a>(terms: impl IntoIterator<Item = &'a str>) -> FirstLetters {
        let mut out = FirstLetters::default();
        for term in terms {
            match term.chars().next() {
                Some(c) if !out.letters.contains(&c) => out.letters.push(c),
                Some(_) => {}
                None => out.any = true,
            }
        }
        out
    }

    /// Whether the folded `word` may stem to one of the terms.
    pub fn may_match(&self, word: &str) -> bool {
        self.any
            || word
                .chars()
                .next()
                .is_some_and(|c| self.letters.contains(&c))
    }
}

/// A word being read: its folded text and where it is in the original.
#[derive(Default)]
struct WordBuf {
    text: String,
    from: usize,
    to: usize,
    /// For a compound written with a half-space or a space: where its second part starts,
    /// in `text` and in the original, and where its first part ends in the original.
    split: Option<Split>,
}

#[derive(Clone, Copy)]
struct Split {
    at: usize,
    first_to: usize,
    second_from: usize,
}

/// The folded form of the first word of `text`, as the index reads it.
fn folded(text: &str) -> String {
    let mut out = String::new();
    words_while(text, |word, _, _, _| {
        out.push_str(word);
        false
    });
    out
}

/// Whether `word` is a verbal prefix («می», «نمی», in any spelling).
pub fn is_verb_prefix(word: &str) -> bool {
    VERB_PREFIXES.contains(&folded(word).as_str())
}

/// Whether `word` is a known second part of a compound («کننده», «جلسه»…), in any
/// spelling.
pub fn is_second_part(word: &str) -> bool {
    let word = folded(word);
    has_arabic_script(&word) && is_compound_tail(&word)
}

/// Whether a folded word is a known second part of a compound.
fn is_compound_tail(word: &str) -> bool {
    COMPOUND_TAILS.contains(&word)
}

/// Gluing of rule 2, one word at a time: holds the last word back until the next one
/// shows whether it is a half-space piece or a detached suffix of it.
#[derive(Default)]
struct Glue {
    held: WordBuf,
    holding: bool,
    position: usize,
    /// The reader asked to stop.
    stopped: bool,
}

impl Glue {
    fn add(
        &mut self,
        word: &mut WordBuf,
        (after_zwnj, after_space): (bool, bool),
        emit: &mut impl FnMut(&str, usize, usize, usize) -> bool,
    ) {
        let suffix = is_detached_suffix(&word.text);
        if self.holding && after_space && !suffix && self.joins_apart(&word.text) {
            // «تأمین کننده», «می شود»: one compound, as if written with a half-space.
            self.join(word);
            return;
        }
        if self.holding {
            // A detached suffix is dropped here (the word before is its stem), so that
            // «خانه‌ای» stays «خانه» instead of looking like «خانه‌های» once glued.
            if suffix && (after_zwnj || has_arabic_script(&self.held.text)) {
                self.held.to = word.to;
                return;
            }
            if after_zwnj {
                self.join(word);
                return;
            }
            self.release(emit);
        } else if suffix {
            // A detached suffix with no word to belong to.
            return;
        }
        // Swapped, not copied: the caller clears `word` before filling it again.
        std::mem::swap(&mut self.held.text, &mut word.text);
        self.held.from = word.from;
        self.held.to = word.to;
        self.held.split = None;
        self.holding = true;
    }

    /// Whether `next`, written after a space, belongs to the held word as the second part
    /// of a compound: a known second part, or a verb after «می»/«نمی».
    fn joins_apart(&self, next: &str) -> bool {
        self.held.split.is_none()
            && has_arabic_script(&self.held.text)
            && has_arabic_script(next)
            && (is_compound_tail(next) || VERB_PREFIXES.contains(&self.held.text.as_str()))
    }

    /// Glues `word` to the held word; the first join is where the compound splits.
    fn join(&mut self, word: &WordBuf) {
        if self.held.split.is_none() {
            self.held.split = Some(Split {
                at: self.held.text.len(),
                first_to: self.held.to,
                second_from: word.from,
            });
        }
        self.held.text.push_str(&word.text);
        self.held.to = word.to;
    }

    fn release(&mut self, emit: &mut impl FnMut(&str, usize, usize, usize) -> bool) {
        if !self.holding {
            return;
        }
        self.holding = false;
        let held = &self.held;
        let position = self.position;
        let split = held.split.or_else(|| {
            joined_split(&held.text).map(|at| Split {
                at,
                first_to: held.to,
                second_from: held.from,
            })
        });
        let (go, width) = match split.filter(|s| s.at > 0 && s.at < held.text.len()) {
            Some(split) => {
                let (first, second) = held.text.split_at(split.at);
                let go = emit(&held.text, held.from, held.to, position)
                    && emit(first, held.from, split.first_to, position)
                    && emit(second, split.second_from, held.to, position + 1);
                (go, 2)
            }
            None => (emit(&held.text, held.from, held.to, position), 1),
        };
        self.stopped |= !go;
        self.position += width;
    }
}

/// Whether a folded word is one of [`DETACHED_SUFFIXES`]. They all start with «ه», «ا»
/// or «ی» and are at most 12 bytes long, which rules out most words at once.
#[inline]
fn is_detached_suffix(word: &str) -> bool {
    word.len() <= 12
        && matches!(word.chars().next(), Some('ه' | 'ا' | 'ی'))
        && DETACHED_SUFFIXES.contains(&word)
}

/// Calls `emit(folded, from, to, position)` for every word of `text` in order: runs of
/// letters and digits, folded (rule 1) and glued (rule 2), stop words and overlong runs
/// included so that positions count them. Buffers are reused: a word allocates nothing.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str, usize, usize, usize)) {
    words_while(text, |word, from, to, position| {
        emit(word, from, to, position);
        true
    });
}

/// [`for_each_word`], stopping after the first word for which `emit` returns false.
pub fn words_while(text: &str, mut emit: impl FnMut(&str, usize, usize, usize) -> bool) {
    let mut glue = Glue::default();
    let mut word = WordBuf::default();
    let mut in_word = false;
    // How the word being read is joined to the one before: by a half-space, or by
    // nothing but spaces (a compound's parts are never apart across punctuation or a
    // line break: «تأمین. کننده» is two sentences).
    let (mut word_after_zwnj, mut word_after_space) = (false, false);
    let (mut after_zwnj, mut after_space) = (false, false);
    for (i, c) in text.char_indices() {
        if c == ZWNJ {
            after_zwnj = in_word;
            after_space = false;
            if in_word {
                glue.add(&mut word, (word_after_zwnj, word_after_space), &mut emit);
                in_word = false;
            }
            if glue.stopped {
                return;
            }
            continue;
        }
        let Some(f) = fold_char(c) else { continue };
        if is_word_char(f) {
            if !in_word {
                word.text.clear();
                word.from = i;
                word_after_zwnj = after_zwnj;
                word_after_space = after_space && !after_zwnj;
                in_word = true;
            }
            push_lowercase(&mut word.text, f);
            word.to = i + c.len_utf8();
        } else {
            if in_word {
                glue.add(&mut word, (word_after_zwnj, word_after_space), &mut emit);
                in_word = false;
                after_space = true;
                if glue.stopped {
                    return;
                }
            }
            after_space &= is_plain_space(c);
            after_zwnj = false;
        }
    }
    if in_word {
        glue.add(&mut word, (word_after_zwnj, word_after_space), &mut emit);
    }
    if !glue.stopped {
        glue.release(&mut emit);
    }
}

/// The spaces that may stand between a compound's parts written apart.
fn is_plain_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}')
}

/// Letters and digits, with fast paths for ASCII and the Arabic block (the common cases;
/// `char::is_alphanumeric` is a table lookup per character).
#[inline]
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // Arabic letters, and the Persian letters پ چ ژ گ ک ی; not punctuation like ، ؛ ؟.
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' => true,
        _ => c.is_alphanumeric(),
    }
}

#[inline]
fn push_lowercase(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if ('\u{0600}'..='\u{06FF}').contains(&c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

fn is_stop_word(word: &str) -> bool {
    static STOP: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    // Every stop word is short: most words are rejected by their length alone.
    word.len() <= 10
        && STOP
            .get_or_init(|| PERSIAN_STOP.iter().chain(ENGLISH_STOP).copied().collect())
            .contains(word)
}

/// The stem of one folded word: Persian light stemming, English Snowball, digits as is.
pub fn stem(word: &str) -> String {
    if has_arabic_script(word) {
        persian_stem(word)
    } else if word.chars().any(|c| c.is_ascii_alphabetic()) {
        english_stem(word)
    } else {
        word.to_string()
    }
}

/// Removes one plural/possessive suffix, or else an adjective/indefinite «ی» and then a
/// plural «ان»/«ات»; «گان» becomes «ه» (کنندگان → کننده). A stem keeps at least 2 letters
/// after «ها» and 3 otherwise, so short words are left alone.
fn persian_stem(word: &str) -> String {
    for suffix in PLURAL_SUFFIXES {
        if let Some(stem) = strip(word, suffix, 2) {
            return stem.to_string();
        }
    }
    let word = ["ای", "ی"]
        .iter()
        .find_map(|s| strip(word, s, 3))
        .unwrap_or(word);
    if let Some(stem) = strip(word, "گان", 3) {
        return format!("{stem}ه");
    }
    ["ان", "ات"]
        .iter()
        .find_map(|s| strip(word, s, 3))
        .unwrap_or(word)
        .to_string()
}

fn strip<'a>(word: &'a str, suffix: &str, min_chars: usize) -> Option<&'a str> {
    let stem = word.strip_suffix(suffix)?;
    (stem.chars().count() >= min_chars).then_some(stem)
}

/// Stems per thread remembered, so that frequent words are stemmed once (snippets
/// re-analyse the same words on every search). Cleared when it grows past this size.
const STEM_CACHE_SIZE: usize = 50_000;

fn english_stem(word: &str) -> String {
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stem) = cache.get(word) {
            return stem.clone();
        }
        if cache.len() >= STEM_CACHE_SIZE {
            cache.clear();
        }
        let stem = snowball(word);
        cache.insert(word.to_string(), stem.clone());
        stem
    })
}

fn snowball(word: &str) -> String {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    let stemmer = STEMMER.get_or_init(|| Stemmer::create(Algorithm::English));
    let mut stem = stemmer.stem(word).into_owned();
    // Snowball leaves "expiri" for "expiry" but "expir" for "expired".
    if stem.len() > 4 && stem.ends_with('i') {
        stem.pop();
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(terms(a), terms(b), "{a:?} vs {b:?}");
        assert!(!terms(a).is_empty(), "{a:?} gives no terms");
    }

    /// The tokens of a text with their positions.
    fn positioned(text: &str) -> Vec<(String, usize)> {
        let mut tokens = Vec::new();
        analyze_into(text, &mut tokens);
        tokens.into_iter().map(|t| (t.text, t.position)).collect()
    }

    #[test]
    fn a_compound_reads_the_same_in_its_three_spellings() {
        for (half_space, spaced, joined) in [
            ("تأمین\u{200C}کننده", "تأمین کننده", "تأمینکننده"),
            ("صورت\u{200C}جلسه", "صورت جلسه", "صورتجلسه"),
            ("نرم\u{200C}افزار", "نرم افزار", "نرمافزار"),
            ("سرمایه\u{200C}گذاری", "سرمایه گذاری", "سرمایهگذاری"),
            ("اجتناب\u{200C}ناپذیر", "اجتناب ناپذیر", "اجتنابناپذیر"),
        ] {
            let expected = positioned(half_space);
            assert_eq!(positioned(spaced), expected, "{spaced}");
            assert_eq!(positioned(joined), expected, "{joined}");
        }
        // The whole and its first part at one position, the second part at the next, and
        // the next word after them.
        assert_eq!(
            positioned("تأمین‌کننده کالا"),
            [
                ("تامینکننده".to_string(), 0),
                ("تامین".to_string(), 0),
                ("کننده".to_string(), 1),
                ("کالا".to_string(), 2)
            ]
        );
        // With a plural after it, in any spelling.
        same("تأمین‌کنندگان", "تامین کننده ها");
        // A verb after «می» with a half-space or a space (written joined, it stays whole).
        assert_eq!(positioned("می‌شود"), positioned("می شود"));
        assert!(terms("می شود").contains(&"میشود".to_string()));
        // Apart means apart by spaces only: punctuation or a line break ends the compound.
        assert_eq!(positioned("تأمین  کننده"), positioned("تأمین‌کننده"));
        for apart in [
            "تأمین. کننده",
            "تأمین،کننده",
            "تأمین\nکننده",
            "تأمین - کننده",
        ] {
            assert!(
                !terms(apart).contains(&"تامینکننده".to_string()),
                "{apart:?}: {:?}",
                terms(apart)
            );
        }
    }

    #[test]
    fn short_words_are_not_split_as_compounds() {
        for word in ["برنامه", "میز", "میوه", "نامه", "جلسه", "میزبانی", "میشود"]
        {
            assert_eq!(terms(word).len(), 1, "{word}: {:?}", terms(word));
        }
        assert!(!is_second_part("امضا") && !is_second_part("chain"));
        assert!(is_second_part("كننده"), "folded like the index");
        assert!(is_verb_prefix("مي") && is_verb_prefix("نمی") && !is_verb_prefix("میز"));
    }

    #[test]
    fn arabic_letters_match_persian_ones() {
        same("قرارداد علي", "قرارداد علی");
        same("كارمند", "کارمند");
        same("مسئولیت", "مسیولیت");
        same("تأمین", "تامین");
        same("آب", "اب");
    }

    #[test]
    fn kashida_diacritics_and_digits_are_ignored() {
        same("قـــرارداد", "قرارداد");
        same("قَرارداد", "قرارداد");
        same("۱۳۹۱", "1391");
        same("١٣٩١", "1391");
    }

    #[test]
    fn half_space_attached_and_spaced_plurals_meet() {
        let want = terms("قرارداد");
        assert_eq!(terms("قرارداد\u{200C}ها"), want);
        assert_eq!(terms("قراردادها"), want);
        assert_eq!(terms("قرارداد ها"), want);
        assert_eq!(terms("قرارداد\u{200C}های"), want);
        assert_eq!(terms("قراردادهای"), want);
        assert_eq!(terms("قراردادهایی"), want);
    }

    #[test]
    fn common_persian_suffixes_are_removed() {
        same("کارمندان", "کارمند");
        same("اطلاعات", "اطلاع");
        same("ارزی", "ارز");
        same("خانه\u{200C}ای", "خانه");
        same("تامین\u{200C}کنندگان", "تامینکننده");
        // Short words keep their ending.
        assert_eq!(terms("زمان"), vec!["زمان"]);
    }

    #[test]
    fn english_word_forms_meet() {
        same("certificates", "certificate");
        same("expired", "expiry");
        same("Outages", "outage");
        same("DELIVERIES", "delivery");
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(terms("SMS"), vec!["sms"]);
        assert!(!terms("mechanisms").contains(&"sms".to_string()));
    }

    #[test]
    fn stop_words_keep_their_position() {
        let mut tokens = Vec::new();
        analyze_into("the dollar and the rial", &mut tokens);
        let positions: Vec<_> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(positions, vec![("dollar", 1), ("rial", 4)]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "دو قرارداد\u{200C}ها با كشيده‌ـ";
        let mut tokens = Vec::new();
        analyze_into(text, &mut tokens);
        assert_eq!(
            &text[tokens[1].offset_from..tokens[1].offset_to],
            "قرارداد\u{200C}ها"
        );
    }

    #[test]
    fn punctuation_splits_words_in_both_scripts() {
        assert_eq!(terms("دلار،ارز؛ بانک؟"), vec!["دلار", "ارز", "بانک"]);
        assert_eq!(terms("Straße DÉJÀ-vu"), vec!["straße", "déjà", "vu"]);
    }

    #[test]
    fn a_stem_keeps_the_first_letter_of_its_word() {
        // Snippets rely on it (`FirstLetters`); Snowball's irregular forms included.
        for word in [
            "dying",
            "lying",
            "skies",
            "idly",
            "gently",
            "early",
            "news",
            "yelling",
            "expiry",
            "certificates",
            "Outages",
            "déjà",
            "1391",
            "i",
            "کنندگان",
            "کارمندان",
            "ارزی",
            "خانه‌ای",
            "قراردادهایشان",
            "اطلاعات",
            "ريالي",
            "ها",
        ] {
            let mut folded = Vec::new();
            for_each_word(word, |w, _, _, _| {
                if is_term_candidate(w) {
                    folded.push(w.to_string());
                }
            });
            assert_eq!(folded.len(), terms(word).len(), "{word:?}");
            for (f, t) in folded.iter().zip(terms(word)) {
                assert_eq!(f.chars().next(), t.chars().next(), "{word:?}");
            }
        }
    }

    #[test]
    fn stop_words_are_short_enough_for_the_length_shortcut() {
        for w in PERSIAN_STOP.iter().chain(ENGLISH_STOP) {
            assert!(w.len() <= 10, "{w}");
            assert!(is_stop_word(w), "{w}");
        }
        assert!(!is_stop_word("قرارداد"));
    }

    /// Words read the simple way, all split first and then glued in a list: the
    /// reference the streaming [`for_each_word`] must agree with.
    fn reference_words(text: &str) -> Vec<(String, usize, usize, usize)> {
        struct W {
            text: String,
            from: usize,
            to: usize,
            after: bool,
            spaced: bool,
            split: Option<(usize, usize, usize)>,
        }
        let (mut words, mut cur, mut after_zwnj) = (Vec::new(), None::<W>, false);
        let mut gap = None::<String>;
        for (i, c) in text.char_indices() {
            if c == ZWNJ {
                after_zwnj = cur.is_some();
                words.extend(cur.take());
                gap = None;
                continue;
            }
            let Some(f) = fold_char(c) else { continue };
            if is_word_char(f) {
                let spaced = !after_zwnj
                    && gap
                        .as_deref()
                        .is_some_and(|g| !g.is_empty() && g.chars().all(is_plain_space));
                let w = cur.get_or_insert_with(|| W {
                    text: String::new(),
                    from: i,
                    to: i,
                    after: after_zwnj,
                    spaced,
                    split: None,
                });
                push_lowercase(&mut w.text, f);
                w.to = i + c.len_utf8();
            } else {
                if let Some(w) = cur.take() {
                    words.push(w);
                    gap = Some(String::new());
                }
                if let Some(g) = gap.as_mut() {
                    g.push(c);
                }
                after_zwnj = false;
            }
        }
        words.extend(cur);
        let mut out: Vec<W> = Vec::new();
        for w in words {
            let suffix = DETACHED_SUFFIXES.contains(&w.text.as_str());
            match out.last_mut() {
                Some(prev) if suffix && (w.after || has_arabic_script(&prev.text)) => {
                    prev.to = w.to
                }
                Some(prev)
                    if w.after
                        || (w.spaced
                            && !suffix
                            && prev.split.is_none()
                            && has_arabic_script(&prev.text)
                            && has_arabic_script(&w.text)
                            && (COMPOUND_TAILS.contains(&w.text.as_str())
                                || VERB_PREFIXES.contains(&prev.text.as_str()))) =>
                {
                    if prev.split.is_none() {
                        prev.split = Some((prev.text.len(), prev.to, w.from));
                    }
                    prev.text.push_str(&w.text);
                    prev.to = w.to;
                }
                None if suffix => {}
                _ => out.push(w),
            }
        }
        let mut words = Vec::new();
        let mut p = 0;
        for w in out {
            let split = w
                .split
                .or_else(|| joined_split(&w.text).map(|at| (at, w.to, w.from)));
            match split {
                Some((at, first_to, second_from)) => {
                    words.push((w.text.clone(), w.from, w.to, p));
                    words.push((w.text[..at].to_string(), w.from, first_to, p));
                    words.push((w.text[at..].to_string(), second_from, w.to, p + 1));
                    p += 2;
                }
                None => {
                    words.push((w.text, w.from, w.to, p));
                    p += 1;
                }
            }
        }
        words
    }

    #[test]
    fn streamed_words_are_those_of_the_reference_on_every_bundled_case_and_tricky_text() {
        let mut texts: Vec<String> = [
            "The Supplier's CERTIFICATES expired; قراردادهای ريالي و كارمندان ارزی.",
            "قرارداد‌ها، قرارداد ها، قـــرارداد، قَرارداد، ۱۴۰۲ و ١٤٠٢ و 1402",
            "ها خانه‌ای خانه ای کتاب‌هایشان Éclair ÉCOLE straße ΣΟΦΙΑ",
            "\u{200C}ها\u{200C}\u{200C}x\u{0640}y z\u{064B} \u{200B}w",
            "تأمین. کننده تأمین\nکننده تأمین \u{a0}کننده می، شود می\u{200C} شود نرم\u{0640} افزار",
            "",
            "a",
            "ـ",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
        for entry in walkdir::WalkDir::new(cases)
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_some_and(|e| e == "md") {
                texts.push(std::fs::read_to_string(entry.path()).unwrap());
            }
        }
        assert!(texts.len() > 15, "the bundled cases are read");
        for text in &texts {
            let mut ours = Vec::new();
            for_each_word(text, |w, from, to, p| {
                ours.push((w.to_string(), from, to, p))
            });
            assert_eq!(ours, reference_words(text), "{text:?}");
        }
    }

    #[test]
    fn the_suffix_shortcut_knows_every_detached_suffix() {
        for s in DETACHED_SUFFIXES {
            assert!(is_detached_suffix(s), "{s}");
        }
        assert!(!is_detached_suffix("هات") && !is_detached_suffix("the"));
    }

    #[test]
    fn a_lone_suffix_is_dropped() {
        assert!(terms("ها").is_empty());
    }
}
