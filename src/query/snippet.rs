//! Snippets: the best short fragment of a text, with the query's words marked.
//!
//! The rule is tantivy's `SnippetGenerator`'s: the text is cut, at word starts, into
//! windows of at most `max_bytes`; the window whose matched words weigh most wins (the
//! first on ties). The words are read with the index's own analysis
//! ([`for_each_word`]), but only a word that starts like a query term is stemmed, and
//! nothing is allocated for the others: a snippet of a 3 KB body costs a few
//! microseconds, not tens.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::Score;

use crate::index::analyzer::{for_each_word, is_term_candidate, stem, FirstLetters};

/// How much of one text a snippet reads, in bytes. Every search pays for reading the
/// texts of the hits it shows; a case of hundreds of KB would otherwise slow every search
/// that lists it. A match past this point still finds the case, its snippet just does
/// not show that match.
pub(crate) const MAX_SCAN_BYTES: usize = 32 * 1024;

/// Finds and marks the query's terms in texts.
pub(crate) struct Highlighter {
    terms: HashMap<String, Score>,
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
    marks: Vec<Range<usize>>,
}

impl Window {
    fn at(start: usize) -> Window {
        Window {
            start,
            stop: start,
            score: 0.0,
            marks: Vec::new(),
        }
    }
}

impl Highlighter {
    /// A highlighter for `terms` (analysed query terms and their weights; rarer weigh more).
    pub(crate) fn new(terms: HashMap<String, Score>, max_bytes: usize) -> Highlighter {
        let firsts = FirstLetters::of(terms.keys().map(String::as_str));
        Highlighter {
            terms,
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
        for_each_word(text, |word, from, to, _| {
            if !is_term_candidate(word) {
                return;
            }
            if to - window.start > self.max_bytes {
                let done = std::mem::replace(&mut window, Window::at(from));
                keep_better(&mut best, done);
            }
            window.stop = to;
            if self.firsts.may_match(word) {
                if let Some(score) = self.terms.get(&stem(word)) {
                    window.score += score;
                    window.marks.push(from..to);
                }
            }
        });
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

    /// Our fragments are tantivy's, on texts in both scripts with every spelling variant.
    #[test]
    fn fragments_are_those_of_tantivys_generator() {
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
                let mut reference = SnippetGenerator::new(
                    terms.clone(),
                    text_analyzer(),
                    tantivy::schema::Field::from_field_id(0),
                    max,
                );
                reference.set_max_num_chars(max);
                let ours = Highlighter::new(terms.into_iter().collect(), max);
                for text in texts.iter().copied().chain([long.as_str()]) {
                    let theirs = reference.snippet(text);
                    let expected = (!theirs.highlighted().is_empty()).then(|| Fragment {
                        text: theirs.fragment(),
                        marks: theirs.highlighted().to_vec(),
                    });
                    assert_eq!(ours.best_fragment(text), expected, "{q:?} in {text:?}");
                }
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
}
