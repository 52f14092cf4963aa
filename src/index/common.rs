//! The knowledge base's common words, and the word pairs indexed for phrases.
//!
//! A phrase is found by reading where each of its words occurs in every case holding all
//! of them. For two words found in most cases that is tens of thousands of position lists
//! (milliseconds at 100k cases), however few cases hold the phrase itself. So each pair of
//! adjacent *common* words is also indexed as one term of the `pairs` field, with how many
//! times it occurs: a phrase of two common words is then one posting list, read like a word.
//! Pairs with a rarer word are not indexed: the rare word's few cases keep the phrase cheap.
//!
//! The common words are chosen when the index is built, from a sample of the cases, and
//! kept in the manifest, so that every document of an index uses the same ones (a phrase
//! may use the pairs only if every case had its pairs indexed with the same words).

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::tokenizer::{Token, Tokenizer};

use super::analyzer::{analyzed, CaseTokenStream, Recent};

/// The name under which [`PairTokenizer`] is registered with tantivy.
pub const PAIRS_ANALYZER: &str = "casebook-pairs";

/// At most this many cases are read to choose the common words.
pub const SAMPLE: usize = 1000;
/// A word is common when it is in at least this share of the sampled cases.
const SHARE: f64 = 0.05;
/// At most this many common words, the most frequent first.
const MAX_WORDS: usize = 1024;
/// The knowledge base may grow this many times over the cases the common words were
/// chosen from before they are chosen again (a rebuild).
pub const REGROWTH: usize = 4;
/// Below this many cases, growth does not call for a new choice: phrases are cheap anyway.
const SMALL: usize = 250;

/// The common words of an index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CommonWords {
    words: FxHashSet<String>,
    /// How many cases the knowledge base had when they were chosen.
    chosen_at: usize,
    /// See [`CommonWords::fingerprint`].
    fingerprint: String,
}

impl CommonWords {
    /// Chooses from the distinct terms of each sampled case; `cases` is how many cases the
    /// knowledge base has (the sample may be smaller).
    pub fn choose<I>(sample: I, cases: usize) -> CommonWords
    where
        I: IntoIterator<Item = FxHashSet<String>>,
    {
        let mut doc_freq: FxHashMap<String, usize> = FxHashMap::default();
        let mut sampled = 0usize;
        for terms in sample {
            sampled += 1;
            for term in terms {
                *doc_freq.entry(term).or_default() += 1;
            }
        }
        let least = ((sampled as f64 * SHARE).ceil() as usize).max(2);
        let mut frequent: Vec<(String, usize)> =
            doc_freq.into_iter().filter(|(_, n)| *n >= least).collect();
        frequent.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        frequent.truncate(MAX_WORDS);
        CommonWords::new(frequent.into_iter().map(|(w, _)| w).collect(), cases)
    }

    fn new(words: FxHashSet<String>, chosen_at: usize) -> CommonWords {
        let fingerprint = fingerprint_of(&words);
        CommonWords {
            words,
            chosen_at,
            fingerprint,
        }
    }

    /// Whether no word is common (an empty knowledge base, or one without repetitions).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether `term` (an analysed term) is common.
    pub fn contains(&self, term: &str) -> bool {
        self.words.contains(term)
    }

    /// Whether the knowledge base, now of `cases` cases, has outgrown the choice.
    pub fn outgrown_by(&self, cases: usize) -> bool {
        cases > REGROWTH * self.chosen_at.max(SMALL)
    }

    /// The pair terms of a value's tokens: one per two adjacent common words, in order.
    pub fn pair_tokens(&self, tokens: &[Token]) -> Vec<Token> {
        let mut out = Vec::new();
        for two in tokens.windows(2) {
            let [a, b] = two else { continue };
            if b.position == a.position + 1 && self.contains(&a.text) && self.contains(&b.text) {
                out.push(Token {
                    offset_from: a.offset_from,
                    offset_to: b.offset_to,
                    position: out.len(),
                    text: pair(&a.text, &b.text),
                    position_length: 1,
                });
            }
        }
        out
    }

    /// A term of `pairs` that every case indexed with these words holds: a searcher whose
    /// cases all hold it may read phrases from pairs with these words. (Another process
    /// may have rebuilt the index with other words since this one opened it.)
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// One manifest line: `common <chosen_at> <word> <word>…` (words hold no spaces).
    pub fn to_line(&self) -> String {
        let mut words: Vec<&str> = self.words.iter().map(String::as_str).collect();
        words.sort_unstable();
        let mut line = format!("common {}", self.chosen_at);
        for w in words {
            line.push(' ');
            line.push_str(w);
        }
        line
    }

    /// Reads [`CommonWords::to_line`]'s line back.
    pub fn from_line(line: &str) -> Option<CommonWords> {
        let mut parts = line.split(' ');
        if parts.next()? != "common" {
            return None;
        }
        let chosen_at = parts.next()?.parse().ok()?;
        let words = parts
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        Some(CommonWords::new(words, chosen_at))
    }
}

/// The tokenizer of the `pairs` field: the text's words as the index analyses them, then
/// one token per two adjacent common words.
pub struct PairTokenizer {
    common: Arc<CommonWords>,
    /// [`CommonWords::fingerprint`], the first token of every value.
    fingerprint: String,
    /// The pairs of the last texts (a weighted text comes several times in a row).
    recent: Recent<Arc<Vec<Token>>>,
    pairs: Arc<Vec<Token>>,
}

impl Clone for PairTokenizer {
    /// tantivy clones a tokenizer for each segment it writes: each clone remembers its own
    /// texts.
    fn clone(&self) -> PairTokenizer {
        PairTokenizer::new(self.common.clone())
    }
}

impl PairTokenizer {
    /// A tokenizer for an index whose common words are `common`.
    pub fn new(common: Arc<CommonWords>) -> PairTokenizer {
        PairTokenizer {
            fingerprint: common.fingerprint().to_string(),
            common,
            recent: Recent::new(),
            pairs: Arc::default(),
        }
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = CaseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CaseTokenStream<'a> {
        let (common, fingerprint) = (&self.common, &self.fingerprint);
        self.pairs = self.recent.get_or(text, || {
            let mut tokens = vec![Token {
                text: fingerprint.clone(),
                position: 0,
                position_length: 1,
                offset_from: 0,
                offset_to: 0,
            }];
            tokens.extend(common.pair_tokens(&analyzed(text)));
            Arc::new(tokens)
        });
        CaseTokenStream::over(&self.pairs)
    }
}

/// A hash of the words, as a term ('#' is not a letter: no pair is ever written so).
fn fingerprint_of(words: &FxHashSet<String>) -> String {
    use std::hash::{Hash, Hasher};
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_unstable();
    let mut hasher = rustc_hash::FxHasher::default();
    sorted.hash(&mut hasher);
    format!("#{:016x}", hasher.finish())
}

/// The term of the `pairs` field for two adjacent words.
pub fn pair(first: &str, second: &str) -> String {
    let mut out = String::with_capacity(first.len() + 1 + second.len());
    out.push_str(first);
    out.push(' ');
    out.push_str(second);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> FxHashSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn common_words_are_in_enough_cases() {
        let mut sample = vec![set(&["قرارداد", "ارز"]); 30];
        sample.push(set(&["قرارداد", "زرافه"]));
        let common = CommonWords::choose(sample, 31);
        assert!(common.contains("قرارداد") && common.contains("ارز"));
        assert!(!common.contains("زرافه"), "one case in 31 is not common");
        assert_eq!(CommonWords::from_line(&common.to_line()), Some(common));
    }

    #[test]
    fn pairs_are_adjacent_common_words() {
        let common = CommonWords::choose(vec![set(&["a", "b", "c"]); 3], 3);
        let tokens: Vec<Token> = [("a", 0), ("b", 1), ("x", 2), ("c", 3), ("a", 5), ("a", 6)]
            .iter()
            .map(|(t, p)| Token {
                text: t.to_string(),
                position: *p,
                ..Token::default()
            })
            .collect();
        let pairs: Vec<String> = common
            .pair_tokens(&tokens)
            .into_iter()
            .map(|t| t.text)
            .collect();
        // x is not common; c and a are not adjacent (a stop word kept its position).
        assert_eq!(pairs, vec!["a b", "a a"]);
    }

    #[test]
    fn a_choice_is_outgrown_four_times_over() {
        let common = CommonWords::choose(Vec::new(), 1000);
        assert!(!common.outgrown_by(4000));
        assert!(common.outgrown_by(4001));
        assert!(!CommonWords::choose(Vec::new(), 10).outgrown_by(900));
    }
}
