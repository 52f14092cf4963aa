//! Snippets: the best short fragment of a text, with the query's words marked.
//!
//! The text is cut as tantivy's `SnippetGenerator` cuts it: at word starts, into windows
//! of at most `max_bytes`. The window holding the most (by weight) *different* query
//! words wins, the first on ties; every occurrence in it is marked. Counting each word
//! once (tantivy counts repetitions) means that a window holding every query word cannot
//! be beaten, so reading stops there: for one word, at its first window. The words are
//! read with the index's own analysis ([`words_while`]); only a word that starts like a
//! query term is stemmed, and nothing is allocated for the others.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::ops::Range;

use tantivy::Score;

use crate::index::analyzer::{is_term_candidate, stem, words_while, FirstLetters};

/// How much of one text a snippet reads, in bytes. Every search pays for reading the
/// texts of the hits it shows; a case of hundreds of KB would otherwise slow every search
/// that lists it. A match past this point still finds the case, its snippet just does
/// not show that match.
pub(crate) const MAX_SCAN_BYTES: usize = 32 * 1024;

/// Finds and marks the query's terms in texts.
pub(crate) struct Highlighter {
    /// Each term's weight and its bit in [`Window::seen`] (looked up for every word that
    /// may be a term: a fast hash).
    terms: FxHashMap<String, (Score, u64)>,
    /// The score of a window holding every term: no window can do better.
    full: Score,
    firsts: FirstLetters,
    max_bytes: usize,
}

/// A fragment of a text and the byte ranges, within it, of the matched words.
#[derive(Debug, PartialEq)]
pub(crate) struct Fragment<'a> {
    pub(crate) text: &'a str,
    pub(crate) marks: Vec<Range<usize>>,
}

/// A window being scored.
struct Window {
    start: usize,
    stop: usize,
    score: Score,
    /// The terms already counted in this window, one bit each (past 64 terms, a term
    /// counts at every occurrence and the early stop never triggers).
    seen: u64,
    marks: Vec<Range<usize>>,
}

impl Window {
    fn at(start: usize) -> Window {
        Window {
            start,
            stop: start,
            score: 0.0,
            seen: 0,
            marks: Vec::new(),
        }
    }
}

impl Highlighter {
    /// A highlighter for `terms` (analysed query terms and their weights; rarer weigh more).
    pub(crate) fn new(terms: HashMap<String, Score>, max_bytes: usize) -> Highlighter {
        let firsts = FirstLetters::of(terms.keys().map(String::as_str));
        let full = if terms.len() <= 64 {
            terms.values().sum()
        } else {
            Score::INFINITY
        };
        let terms = terms
            .into_iter()
            .enumerate()
            .map(|(i, (term, weight))| (term, (weight, 1u64.checked_shl(i as u32).unwrap_or(0))))
            .collect();
        Highlighter {
            terms,
            full,
            firsts,
            max_bytes,
        }
    }

    /// The best fragment of the first [`MAX_SCAN_BYTES`] of `text`, or `None` when no
    /// word there matches.
    pub(crate) fn best_fragment<'a>(&self, text: &'a str) -> Option<Fragment<'a>> {
        if self.terms.is_empty() {
            return None;
        }
        let text = text
            .get(..text.floor_char_boundary(MAX_SCAN_BYTES))
            .unwrap_or(text);
        let mut best: Option<Window> = None;
        let mut window = Window::at(0);
        let mut unbeatable = false;
        words_while(text, |word, from, to, _| {
            if !is_term_candidate(word) {
                return true;
            }
            if to - window.start > self.max_bytes {
                let done = std::mem::replace(&mut window, Window::at(from));
                unbeatable = done.score >= self.full;
                keep_better(&mut best, done);
                if unbeatable {
                    return false;
                }
            }
            // A compound comes whole, then its parts (inside it): the window only grows,
            // and a mark inside the previous one is not marked again.
            window.stop = window.stop.max(to);
            if self.firsts.may_match(word) {
                if let Some(&(weight, bit)) = self.terms.get(&stem(word)) {
                    if bit == 0 || window.seen & bit == 0 {
                        window.score += weight;
                        window.seen |= bit;
                    }
                    if window.marks.last().is_none_or(|m| from >= m.end) {
                        window.marks.push(from..to);
                    }
                }
            }
            true
        });
        if unbeatable {
            window = Window::at(0);
        }
        keep_better(&mut best, window);
        let best = best?;
        let text = text.get(best.start..best.stop)?;
        let marks = best
            .marks
            .into_iter()
            .map(|r| r.start - best.start..r.end - best.start)
            .collect();
        Some(Fragment { text, marks })
    }
}

/// Keeps `candidate` if it scores and beats `best` (the earlier window wins a tie).
fn keep_better(best: &mut Option<Window>, candidate: Window) {
    if candidate.score > 0.0 && best.as_ref().is_none_or(|b| candidate.score > b.score) {
        *best = Some(candidate);
    }
}

#[cfg(test)]
mod tests {

    use std::collections::BTreeMap;

    use tantivy::snippet::SnippetGenerator;

    use super::*;
    use crate::index::analyzer::text_analyzer;

    /// The rule, spelled out over tantivy's own token stream: tantivy's windows, each
    /// scored by its different terms, the best (first on ties) kept, every text read
    /// whole. Our early-stopping reader must choose the same fragments.
    fn reference<'a>(
        text: &'a str,
        terms: &BTreeMap<String, Score>,
        max: usize,
    ) -> Option<Fragment<'a>> {
        struct W {
            start: usize,
            stop: usize,
            score: Score,
            seen: Vec<String>,
            marks: Vec<Range<usize>>,
        }
        let at = |start| W {
            start,
            stop: start,
            score: 0.0,
            seen: Vec::new(),
            marks: Vec::new(),
        };
        let mut windows = Vec::new();
        let mut w = at(0);
        let mut analyzer = text_analyzer();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            if t.offset_to - w.start > max {
                windows.push(std::mem::replace(&mut w, at(t.offset_from)));
            }
            // A compound's parts come after it, inside it.
            w.stop = w.stop.max(t.offset_to);
            if let Some(weight) = terms.get(&t.text) {
                if !w.seen.contains(&t.text) {
                    w.score += weight;
                    w.seen.push(t.text.clone());
                }
                if w.marks.last().is_none_or(|m| t.offset_from >= m.end) {
                    w.marks.push(t.offset_from..t.offset_to);
                }
            }
        }
        windows.push(w);
        let mut best: Option<W> = None;
        for w in windows {
            if w.score > 0.0 && best.as_ref().is_none_or(|b| w.score > b.score) {
                best = Some(w);
            }
        }
        let best = best?;
        Some(Fragment {
            text: &text[best.start..best.stop],
            marks: best
                .marks
                .iter()
                .map(|r| r.start - best.start..r.end - best.start)
                .collect(),
        })
    }

    /// Our fragments are the rule's, on texts in both scripts with every spelling variant,
    /// repeated words, and windows small enough for many to compete.
    #[test]
    fn fragments_follow_the_rule() {
        let texts = [
            "The supplier's certificates EXPIRED; قراردادهای ريالي و كارمندان ارزی. The certificate expiry was missed again, and the contract was signed.",
            "قرارداد با تأمین‌کننده بدون بند تعدیل ارزی امضا شد؛ قرارداد‌ها و قرارداد ها همه ريالي بودند. دلار دو برابر شد و قراردادهای بعدی هم همین‌طور.",
            "ـــ کشیده‌ی قـــرارداد، ۱۴۰۲ و ١٤٠٢ و 1402 ...",
            "",
            "no match here at all",
        ];
        let long: String = texts[1].repeat(8);
        let queries: [&[(&str, Score)]; 4] = [
            &[("certif", 0.5), ("expir", 0.2), ("contract", 0.1)],
            &[("قرارداد", 0.3), ("ریال", 0.6), ("دلار", 0.1)],
            &[("1402", 1.0), ("قرارداد", 0.5)],
            &[("کارمند", 1.0)],
        ];
        for max in [40, 180] {
            for q in queries {
                let terms: BTreeMap<String, Score> =
                    q.iter().map(|(t, s)| (t.to_string(), *s)).collect();
                let ours = Highlighter::new(terms.clone().into_iter().collect(), max);
                for text in texts.iter().copied().chain([long.as_str()]) {
                    let expected = reference(text, &terms, max);
                    assert_eq!(ours.best_fragment(text), expected, "{q:?} in {text:?}");
                }
            }
        }
    }

    /// Where no word repeats, the rule is exactly tantivy's `SnippetGenerator`'s.
    #[test]
    fn without_repetitions_fragments_are_tantivys() {
        let text = "The supplier's certificates EXPIRED; قراردادهای ريالي و كارمندان ارزی. Then the bank froze the account and the invoice was late.";
        for max in [30, 60, 180] {
            for q in [
                &[("certif", 0.5), ("expir", 0.2)][..],
                &[("قرارداد", 0.3), ("ریال", 0.6)],
                &[("bank", 0.4), ("invoic", 0.9), ("certif", 0.1)],
            ] {
                let terms: BTreeMap<String, Score> =
                    q.iter().map(|(t, s)| (t.to_string(), *s)).collect();
                let mut theirs = SnippetGenerator::new(
                    terms.clone(),
                    text_analyzer(),
                    tantivy::schema::Field::from_field_id(0),
                    max,
                );
                theirs.set_max_num_chars(max);
                let theirs = theirs.snippet(text);
                let expected = (!theirs.highlighted().is_empty()).then(|| Fragment {
                    text: theirs.fragment(),
                    marks: theirs.highlighted().to_vec(),
                });
                let ours = Highlighter::new(terms.into_iter().collect(), max);
                assert_eq!(ours.best_fragment(text), expected, "{q:?}, {max}");
            }
        }
    }

    #[test]
    fn a_snippet_reads_a_bounded_prefix_of_a_long_text() {
        let filler = "متن طولانی بدون واژه‌ی جستجو. ".repeat(MAX_SCAN_BYTES / 40);
        let terms: HashMap<String, Score> = [("قرارداد".to_string(), 1.0)].into();
        let h = Highlighter::new(terms, 180);
        let early = format!("قرارداد امضا شد. {filler}");
        let found = h.best_fragment(&early).expect("an early match is shown");
        assert_eq!(&found.text[found.marks[0].clone()], "قرارداد");
        let late = format!("{filler}{filler} قرارداد");
        assert!(late.len() > MAX_SCAN_BYTES);
        assert_eq!(h.best_fragment(&late), None, "past the bound: not read");
    }

    /// Any text, any terms: the rule's fragment, marks inside it on char boundaries,
    /// never a panic. (The reference reads the whole text, so texts stay under the bound.)
    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("قرارداد".to_string()),
                Just("قرارداد\u{200c}ها".to_string()),
                Just("ريالي".to_string()),
                Just("قـــرارداد".to_string()),
                Just("certificates".to_string()),
                Just("EXPIRED".to_string()),
                Just("١٤٠٢".to_string()),
                Just("1402".to_string()),
                Just(" ".to_string()),
                Just("، ".to_string()),
                Just(". ".to_string()),
                Just("\n".to_string()),
                Just("<b>&".to_string()),
                any::<char>().prop_map(String::from),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn any_text_gets_the_rules_fragment(
                pieces in prop::collection::vec(piece(), 0..60),
                terms in prop::collection::btree_map(
                    prop_oneof![
                        Just("قرارداد".to_string()),
                        Just("ریال".to_string()),
                        Just("certif".to_string()),
                        Just("expir".to_string()),
                        Just("1402".to_string()),
                    ],
                    0.1f32..2.0,
                    0..4,
                ),
                max in 10usize..200,
            ) {
                let text = pieces.concat();
                let ours = Highlighter::new(terms.clone().into_iter().collect(), max);
                let found = ours.best_fragment(&text);
                if let Some(f) = &found {
                    for m in &f.marks {
                        prop_assert!(f.text.get(m.clone()).is_some(), "{m:?} in {:?}", f.text);
                    }
                }
                prop_assert_eq!(found, reference(&text, &terms, max));
            }
        }
    }
}
