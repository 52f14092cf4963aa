//! Searching through the glossary: each run of plain words that the glossary knows (in any
//! spelling or word form) is searched as itself or, weighing less, as any other form of
//! its concept: "contract" also finds «قرارداد», «نرخ ارز» also finds "exchange rate".

use serde::Serialize;

use crate::index::Synonyms;

/// How much a glossary form counts against the word itself: a case with the word the
/// user typed ranks first.
const SYNONYM_BOOST: &str = "0.5";

/// Words of a query that the glossary widened, and with what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expansion {
    /// The words as typed.
    pub words: String,
    /// The other forms also searched.
    pub also: Vec<String>,
}

/// Whether a word of a rewritten query is plain text, which the glossary may widen (not
/// a field prefix, a phrase, an exclusion, a boost or a group).
fn plain(word: &str) -> bool {
    !word.is_empty() && !word.contains([':', '"', '-', '+', '^', '(', ')', '*', '\u{200C}'])
}

/// `q` with each run of plain words the glossary knows replaced by a group of it and its
/// other forms, and what was widened. The longest known run wins.
pub(crate) fn expand(q: &str, synonyms: &Synonyms) -> (String, Vec<Expansion>) {
    let words: Vec<&str> = q.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut used = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut widened = false;
        let longest = synonyms.longest().min(words.len() - i);
        for n in (1..=longest).rev() {
            let run = &words[i..i + n];
            if !run.iter().all(|w| plain(w)) {
                continue;
            }
            let text = run.join(" ");
            let also = synonyms.of(&text);
            if also.is_empty() {
                continue;
            }
            let forms: Vec<String> = also
                .iter()
                .map(|f| format!("\"{}\"^{SYNONYM_BOOST}", f.replace(['"', '\\'], " ")))
                .collect();
            out.push(format!("({text} OR {})", forms.join(" OR ")));
            used.push(Expansion {
                words: text,
                also: also.iter().map(|f| f.to_string()).collect(),
            });
            i += n;
            widened = true;
            break;
        }
        if !widened {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    (out.join(" "), used)
}
