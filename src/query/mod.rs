//! From what a user types to what they see: a [`SearchRequest`] (words, "phrases",
//! -exclusions, `title:`/`mistake:`/`lesson:`/`tag:` prefixes, filters) becomes a tantivy
//! query; the results become [`Hit`]s with highlighted snippets and [`Facets`].
//!
//! Never fails on user input: what cannot be understood becomes a warning and the rest of
//! the query still runs.

use std::collections::HashMap;
use std::ops::Bound;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, QueryParser, RangeQuery,
    TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyDocument, Term, TERMINATED};

mod glossary;
mod snippet;

use crate::index::facets::CountAndFacets;
use crate::index::facets::FacetCache;
pub use crate::index::facets::{FacetCount, Facets};
pub use glossary::Expansion;
use snippet::{Fragment, Highlighter};

use crate::case::Severity;
use crate::dates::CaseDate;
use crate::index::analyzer::terms;
use crate::index::schema::{days, facet, Fields};
use crate::index::Index;
use crate::kb::Taxonomy;
use crate::text::label_key;

/// Results per page when the request does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// The most results one request may ask for.
pub const MAX_LIMIT: usize = 1000;
pub use crate::index::facets::TOP_TAGS;
/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 180;

/// A search as the CLI and the web app receive it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchRequest {
    /// The query text: words, "phrases", -excluded, field prefixes.
    pub q: String,
    /// Only this crisis type (id or any label).
    pub crisis_type: Option<String>,
    /// Only cases with a mistake in this chapter (id or any label).
    pub chapter: Option<String>,
    /// Only cases with this tag (any spelling or word form).
    pub tag: Option<String>,
    /// Only cases with this counterparty (any spelling or word form).
    pub counterparty: Option<String>,
    /// Only this severity: low, medium, high, critical.
    pub severity: Option<String>,
    /// Only cases on or after this date (Gregorian or Jalali, day, month or year).
    pub since: Option<String>,
    /// Only cases on or before this date (Gregorian or Jalali, day, month or year).
    pub until: Option<String>,
    /// How many hits (default 20, at most 1000).
    pub limit: Option<usize>,
    /// How many hits to skip (paging).
    pub offset: Option<usize>,
    /// Whether to count facets (default yes). Counting walks every match, which is most
    /// of the time of a search matching tens of thousands of cases; the terminal list
    /// does not show them.
    pub facets: Option<bool>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many cases match in all (not only this page).
    pub total: usize,
    /// This page of hits, best first.
    pub hits: Vec<Hit>,
    /// Counts per crisis type, chapter, year and tag over all matching cases.
    pub facets: Facets,
    /// Messages about parts of the query that could not be understood (best-effort search still ran).
    pub warnings: Vec<String>,
    /// Words of the query that the glossary widened, and with what.
    pub glossary: Vec<Expansion>,
}

/// One matching case.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Path of the file, relative to the knowledge base folder, `/`-separated.
    pub path: String,
    /// The case id.
    pub id: String,
    /// The case title.
    pub title: String,
    /// The crisis type id (or the text as written when unknown).
    pub crisis_type: String,
    /// The date as written in the file.
    pub date: Option<String>,
    /// Relevance; higher is better.
    pub score: f32,
    /// The best short passage, with the matched words' places: data, which the web
    /// renders with `<mark>` and the terminal in colour.
    pub snippet: Snippet,
    /// Whether the case was found only through the glossary (another language's word).
    pub through_glossary: bool,
}

/// A passage of plain text and where the matched words are in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Snippet {
    /// The text, as the case has it (Markdown already turned into plain text).
    pub text: String,
    /// Byte ranges `[start, end)` of `text` that matched the query, in order, apart.
    pub highlights: Vec<[usize; 2]>,
}

impl Snippet {
    /// The text cut into pieces, each with whether it is a matched word, in order.
    pub fn pieces(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let mut at = 0;
        let mut pieces = Vec::with_capacity(self.highlights.len() * 2 + 1);
        for &[start, end] in &self.highlights {
            let (Some(before), Some(word)) = (self.text.get(at..start), self.text.get(start..end))
            else {
                continue;
            };
            pieces.push((before, false));
            pieces.push((word, true));
            at = end;
        }
        pieces.push((self.text.get(at..).unwrap_or(""), false));
        pieces.into_iter().filter(|(text, _)| !text.is_empty())
    }

    /// A fragment's text, trimmed, with its marks moved along.
    fn of(fragment: &Fragment) -> Snippet {
        let text = fragment.text.trim_start();
        let cut = fragment.text.len() - text.len();
        let text = text.trim_end();
        let highlights = fragment
            .marks
            .iter()
            .filter(|r| r.start >= cut && r.end - cut <= text.len())
            .map(|r| [r.start - cut, r.end - cut])
            .collect();
        Snippet {
            text: text.to_string(),
            highlights,
        }
    }
}

/// A search that could not run at all (the index itself failed).
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// tantivy failed while searching.
    #[error("search failed: {0}")]
    Search(#[from] tantivy::TantivyError),
}

/// Field prefixes a user may write, with their Persian and plural aliases.
const PREFIXES: &[(&str, &str)] = &[
    ("title", "title"),
    ("عنوان", "title"),
    ("mistake", "mistake"),
    ("mistakes", "mistake"),
    ("اشتباه", "mistake"),
    ("lesson", "lesson"),
    ("lessons", "lesson"),
    ("درس", "lesson"),
    ("tag", "tag"),
    ("tags", "tag"),
    ("برچسب", "tag"),
    ("body", "body"),
    ("action", "action"),
    ("actions", "action"),
    ("counterparty", "counterparty"),
];

/// Rewrites what users type into the parser's grammar: «Persian» and “curly” quotes become
/// `"`, known prefixes (also in Persian) become field names, and any other `x:` is plain
/// text (a time like 10:30 is not a field).
pub fn rewrite_query(q: &str) -> String {
    let q: String = q
        .chars()
        .map(|c| match c {
            '«' | '»' | '“' | '”' | '„' => '"',
            _ => c,
        })
        .collect();
    let mut out = Vec::new();
    for word in q.split_whitespace() {
        let (sign, rest) = match word.strip_prefix(['-', '+']) {
            Some(rest) => (&word[..1], rest),
            None => ("", word),
        };
        let rewritten = match rest.split_once(':') {
            Some((field, value)) => {
                let key = crate::text::normalize(field);
                match PREFIXES
                    .iter()
                    .find(|(alias, _)| crate::text::normalize(alias) == key)
                {
                    Some((_, name)) => format!("{sign}{name}:{value}"),
                    None => format!("{sign}{}", rest.replace(':', " ")),
                }
            }
            None => word.to_string(),
        };
        out.push(rewritten);
    }
    compounds(out).join(" ")
}

/// Compounds among the plain words (docs/search.md): a verb after «می»/«نمی», written
/// with a space or a half-space, becomes one joined word («نمیکرد»), which every spelling
/// in a case gives; a word and a known second part written apart («صورت جلسه») stay two
/// words and gain the compound as one more, boosted, so that a case with the compound
/// ranks above one with its parts apart.
fn compounds(words: Vec<String>) -> Vec<String> {
    use crate::index::analyzer::{is_second_part, is_verb_prefix};
    let zwnj = crate::text::ZWNJ;
    let bare = bare_words(&words);
    let persian = crate::text::has_arabic_script;
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    // Whether the last word in `out` is bare (a joined verb is not joined again).
    let mut prev_bare = false;
    let mut bonus = Vec::new();
    for (word, is_bare) in words.into_iter().zip(bare) {
        let word = match word.split_once(zwnj) {
            // «نمی‌دانم» → «نمیدانم»; a third piece («نمی‌توان‌گفت») is left as written.
            Some((prefix, rest)) if is_bare && !rest.contains(zwnj) && is_verb_prefix(prefix) => {
                format!("{prefix}{rest}")
            }
            _ => word,
        };
        let pair = is_bare && prev_bare && persian(&word);
        match out.last_mut() {
            Some(prev) if pair && is_verb_prefix(prev) => {
                prev.push_str(&word);
                prev_bare = false;
            }
            Some(prev) if pair && persian(prev) && is_second_part(&word) => {
                bonus.push(format!("{prev}{zwnj}{word}^{COMPOUND_BOOST}"));
                out.push(word);
                prev_bare = true;
            }
            _ => {
                out.push(word);
                prev_bare = is_bare;
            }
        }
    }
    out.extend(bonus);
    out
}

/// Which of a rewritten query's words are bare text: outside any quoted phrase and any
/// group, not an operator (`AND`, `OR`, `NOT`…) nor the word after `NOT`, and with no syntax of their own (a field
/// prefix, a quote, a sign, a boost, a bracket, a wildcard). Only those may be joined
/// into a compound or widened through the glossary: anything else would change what the
/// query means.
pub(crate) fn bare_words(words: &[impl AsRef<str>]) -> Vec<bool> {
    let mut in_quotes = false;
    let mut depth: i32 = 0;
    let mut after_not = false;
    words
        .iter()
        .map(|w| {
            let w = w.as_ref();
            // The word after NOT is excluded, like `-word`.
            let outside = !in_quotes && depth == 0 && !after_not;
            after_not = w == "NOT" || w == "!";
            for c in w.chars() {
                match c {
                    '"' => in_quotes = !in_quotes,
                    '(' if !in_quotes => depth += 1,
                    ')' if !in_quotes => depth = (depth - 1).max(0),
                    _ => {}
                }
            }
            let operator = matches!(w, "AND" | "OR" | "NOT" | "IN" | "&&" | "||" | "!");
            outside
                && !operator
                && !w.is_empty()
                && !w.contains([
                    ':', '"', '-', '+', '^', '(', ')', '*', '!', '\\', '\'', '[', ']', '{', '}',
                    '~',
                ])
        })
        .collect()
}

/// How much more a compound counts than its parts found apart.
const COMPOUND_BOOST: u32 = 4;

impl Index {
    /// Runs a search: see [`crate::query`] for the query language.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, QueryError> {
        run(self, req)
    }
}

/// Runs a request against an index, as tantivy is meant to be used: the words (a
/// Boolean query of Term and Phrase queries over the boosted fields, from its query
/// parser) with the filters as required clauses; one pass collects the page (`TopDocs` by
/// BM25), the count and the facets. Two passes (the page by block-max WAND, then the
/// rest without scores) read every posting list twice and were slower for all but the
/// rarest words.
fn run(index: &Index, req: &SearchRequest) -> Result<SearchResults, QueryError> {
    let fields = index.fields();
    let mut warnings = Vec::new();
    let synonyms = index.synonyms();
    let words = text_query(index.parser(), &req.q, Some(&synonyms), &mut warnings);
    let rank_text = words.rank;
    let filters = filters(fields, index.taxonomy(), req, &mut warnings);
    let searcher = index.reader().searcher();
    let limit = req.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let offset = req.offset.unwrap_or(0);
    let rank = with_filters(rank_text.box_clone(), &filters);
    let top = TopDocs::with_limit(limit)
        .and_offset(offset)
        .order_by_score();
    let (top_docs, (total, mut facets)) = if req.facets.unwrap_or(true) {
        index.facet_cache().prune(&searcher);
        let counter = CountAndFacets::new(index.facet_cache(), TOP_TAGS);
        searcher.search(rank.as_ref(), &(top, counter))?
    } else {
        let (top_docs, total) = searcher.search(rank.as_ref(), &(top, Count))?;
        (top_docs, (total, Facets::default()))
    };
    label_tags(&searcher, fields, index.facet_cache(), &mut facets.tag)?;
    let snippets = Snippets::new(&searcher, rank_text.as_ref(), fields)?;
    // The words as typed, without the glossary's forms: a hit they do not match came
    // through the glossary. Unscored, built once for the page.
    let literal = match &words.literal {
        Some(q) => Some(q.weight(EnableScoring::disabled_from_searcher(&searcher))?),
        None => None,
    };
    let mut hits = Vec::with_capacity(top_docs.len());
    for (score, address) in top_docs {
        let mut hit = hit(&searcher, fields, &snippets, score, address)?;
        if let Some(literal) = &literal {
            hit.through_glossary = !matches_doc(literal.as_ref(), &searcher, address)?;
        }
        hits.push(hit);
    }
    Ok(SearchResults {
        total,
        hits,
        facets,
        warnings,
        glossary: words.expansions,
    })
}

/// Whether a query's weight matches one document.
fn matches_doc(
    weight: &dyn Weight,
    searcher: &Searcher,
    address: DocAddress,
) -> tantivy::Result<bool> {
    let mut scorer = weight.scorer(searcher.segment_reader(address.segment_ord), 1.0)?;
    // A scorer starts on its first document and `seek` never goes back: past the target
    // means the target is not in it.
    Ok(scorer.doc() <= address.doc_id && scorer.seek(address.doc_id) == address.doc_id)
}

/// Gives each tag count the tag as written in the first case that has it, when that
/// differs from the folded key: one posting lookup and one stored document per tag and
/// segment, remembered while that case lives.
fn label_tags(
    searcher: &Searcher,
    fields: &Fields,
    cache: &FacetCache,
    tags: &mut [FacetCount],
) -> Result<(), QueryError> {
    for count in tags {
        count.label = tag_as_written(searcher, fields, cache, &count.value)?
            .filter(|written| *written != count.value);
    }
    Ok(())
}

/// The first tag, in the first live case that has the folded tag `key`, as written.
fn tag_as_written(
    searcher: &Searcher,
    fields: &Fields,
    cache: &FacetCache,
    key: &str,
) -> Result<Option<String>, QueryError> {
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let found = cache.tag_label(segment, key, || {
            first_written_tag(searcher, fields, ord as u32, segment, key)
        })?;
        if let Some((_, written)) = found {
            return Ok(written);
        }
    }
    Ok(None)
}

/// The first live case of one segment with the folded tag `key`, and the tag as written
/// there; `None` when no live case of the segment has it.
fn first_written_tag(
    searcher: &Searcher,
    fields: &Fields,
    ord: u32,
    segment: &tantivy::SegmentReader,
    key: &str,
) -> tantivy::Result<crate::index::facets::TagLabel> {
    let term = Term::from_facet(fields.tag_facet, &facet(key));
    let inverted = segment.inverted_index(fields.tag_facet)?;
    let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
        return Ok(None);
    };
    let mut doc = postings.doc();
    while doc != TERMINATED && segment.is_deleted(doc) {
        doc = postings.advance();
    }
    if doc == TERMINATED {
        return Ok(None);
    }
    let stored: TantivyDocument = searcher.doc(DocAddress::new(ord, doc))?;
    let written = stored
        .get_all(fields.tag)
        .filter_map(|v| v.as_str())
        .find(|t| label_key(t) == key)
        .map(str::to_string);
    Ok(Some((doc, written)))
}

/// The user's words as a query of `parser`, or every case when there are none.
/// The query of a request's words: `rank` searches them (widened through the glossary
/// when `synonyms` are given); `literal`, set when the glossary widened any, searches the
/// words as typed only, to tell which hits came through the glossary.
struct TextQuery {
    rank: Box<dyn Query>,
    literal: Option<Box<dyn Query>>,
    expansions: Vec<Expansion>,
}

fn text_query(
    parser: &QueryParser,
    q: &str,
    synonyms: Option<&crate::index::Synonyms>,
    warnings: &mut Vec<String>,
) -> TextQuery {
    let rewritten = rewrite_query(q);
    let (widened, expansions) = match synonyms {
        Some(synonyms) => glossary::expand(&rewritten, synonyms),
        None => (rewritten.clone(), Vec::new()),
    };
    let rank = parse_words(parser, &widened, warnings);
    let literal =
        (!expansions.is_empty()).then(|| parse_words(parser, &rewritten, &mut Vec::new()));
    TextQuery {
        rank,
        literal,
        expansions,
    }
}

/// The parsed query of rewritten words: exclusions alone mean everything but them.
fn parse_words(
    parser: &QueryParser,
    rewritten: &str,
    warnings: &mut Vec<String>,
) -> Box<dyn Query> {
    let positive = rewritten
        .split_whitespace()
        .any(|w| !w.starts_with('-') && !w.trim_matches('"').is_empty());
    let mut note = |errors: Vec<tantivy::query::QueryParserError>| {
        warnings.extend(
            errors
                .iter()
                .map(|e| format!("could not read part of the query: {e}")),
        );
    };
    if positive {
        let (query, errors) = parser.parse_query_lenient(rewritten);
        note(errors);
        return query;
    }
    if rewritten.is_empty() {
        return Box::new(AllQuery);
    }
    // Only exclusions: everything except them.
    let (excluded, errors) = parser.parse_query_lenient(&rewritten.replace('-', ""));
    note(errors);
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery)),
        (Occur::MustNot, excluded),
    ]))
}

/// The user's words plus the filters (which do not score).
fn with_filters(text: Box<dyn Query>, filters: &[Box<dyn Query>]) -> Box<dyn Query> {
    if filters.is_empty() {
        return text;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    for filter in filters {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// The filters of a request, each a query that must match; unusable values become warnings.
fn filters(
    fields: &Fields,
    taxonomy: &Taxonomy,
    req: &SearchRequest,
    warnings: &mut Vec<String>,
) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(v) = present(&req.crisis_type) {
        let key = taxonomy
            .crisis_type(&v)
            .map_or_else(|| label_key(&v), |l| l.id.clone());
        out.push(facet_query(fields.crisis_type, &key));
    }
    if let Some(v) = present(&req.chapter) {
        let key = taxonomy
            .chapter(&v)
            .map_or_else(|| label_key(&v), |l| l.id.clone());
        out.push(facet_query(fields.chapter, &key));
    }
    for (value, field, what) in [
        (&req.tag, fields.tag, "tag"),
        (&req.counterparty, fields.counterparty, "counterparty"),
    ] {
        if let Some(v) = present(value) {
            match words_query(field, &v) {
                Some(q) => out.push(q),
                None => warnings.push(format!(
                    "{what} filter {v:?} has no searchable words; ignored"
                )),
            }
        }
    }
    if let Some(v) = present(&req.severity) {
        match severity_id(&v) {
            Some(id) => out.push(Box::new(TermQuery::new(
                Term::from_field_text(fields.severity, id),
                IndexRecordOption::Basic,
            ))),
            None => warnings.push(format!(
                "severity {v:?} is not one of low, medium, high, critical; ignored"
            )),
        }
    }
    for (value, since) in [(&req.since, true), (&req.until, false)] {
        let Some(v) = present(value) else { continue };
        match CaseDate::parse(&v) {
            Ok(date) => out.push(date_query(fields, &date, since)),
            Err(e) => warnings.push(format!(
                "{}: {e}; ignored",
                if since { "since" } else { "until" }
            )),
        }
    }
    out
}

fn facet_query(field: Field, key: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &facet(key)),
        IndexRecordOption::Basic,
    ))
}

/// Every analysed word of `text` must occur in `field`.
fn words_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let words = terms(text);
    if words.is_empty() {
        return None;
    }
    let clauses = words
        .iter()
        .map(|w| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::Basic,
            ));
            (Occur::Must, q)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// A case overlaps [since, ∞) when it ends on or after `since`, and (-∞, until] when it
/// starts on or before `until`; partial dates count as their whole range.
fn date_query(fields: &Fields, date: &CaseDate, since: bool) -> Box<dyn Query> {
    let (lower, upper) = if since {
        let t = Term::from_field_i64(fields.date_end, days(date.start));
        (Bound::Included(t), Bound::Unbounded)
    } else {
        let t = Term::from_field_i64(fields.date_start, days(date.end));
        (Bound::Unbounded, Bound::Included(t))
    };
    Box::new(RangeQuery::new(lower, upper))
}

/// The severity id for what a user typed, in English or Persian (see [`Severity::parse`]).
pub fn severity_id(text: &str) -> Option<&'static str> {
    Severity::parse(text).map(Severity::as_str)
}

/// Highlighters for the fields a snippet may come from, best first.
struct Snippets {
    highlighters: Vec<(Field, Highlighter)>,
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> tantivy::Result<Snippets> {
        let mut highlighters = Vec::new();
        for field in [fields.mistake, fields.lesson, fields.body, fields.title] {
            let terms = query_terms(searcher, query, field)?;
            highlighters.push((field, Highlighter::new(terms, SNIPPET_CHARS)));
        }
        Ok(Snippets { highlighters })
    }

    /// The first snippet with a highlighted word; else the start of the body.
    fn best(&self, doc: &TantivyDocument, body: Field) -> Snippet {
        for (field, highlighter) in &self.highlighters {
            for text in doc.get_all(*field).filter_map(|v| v.as_str()) {
                if let Some(fragment) = highlighter.best_fragment(text) {
                    return Snippet::of(&fragment);
                }
            }
        }
        let body = doc.get_first(body).and_then(|v| v.as_str()).unwrap_or("");
        let start: String = body.chars().take(SNIPPET_CHARS).collect();
        Snippet {
            text: start.trim().to_string(),
            highlights: Vec::new(),
        }
    }
}

/// The words a query looks for in `field`, weighted like tantivy's own snippet generator
/// (rarer words weigh more).
fn query_terms(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> tantivy::Result<HashMap<String, Score>> {
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.push(term.clone());
        }
    });
    let mut out = HashMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_owned) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            out.insert(text, 1.0 / (1.0 + doc_freq as Score));
        }
    }
    Ok(out)
}

/// Escapes text for HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn hit(
    searcher: &Searcher,
    fields: &Fields,
    snippets: &Snippets,
    score: f32,
    address: DocAddress,
) -> tantivy::Result<Hit> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(Hit {
        path: text(fields.path).unwrap_or_default(),
        id: text(fields.id).unwrap_or_default(),
        title: text(fields.title).unwrap_or_default(),
        crisis_type: text(fields.crisis_type_text).unwrap_or_default(),
        date: text(fields.date_text),
        score,
        snippet: snippets.best(&doc, fields.body),
        through_glossary: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compound_bonus_is_never_added_inside_a_phrase_or_a_group() {
        let q = rewrite_query("\"الف صورت جلسه ب\"");
        assert_eq!(q, "\"الف صورت جلسه ب\"");
        let q = rewrite_query("-(الف صورت جلسه)");
        assert!(!q.contains('^'), "{q}");
        let q = rewrite_query("صورت (جلسه OR نامه)");
        assert!(!q.contains('^'), "{q}");
        let q = rewrite_query("صورت جلسه");
        assert!(q.contains("صورت\u{200C}جلسه^"), "{q}");
        assert_eq!(
            rewrite_query("نمی\u{200C}توان\u{200C}گفت"),
            "نمی\u{200C}توان\u{200C}گفت"
        );
    }

    #[test]
    fn prefixes_quotes_and_colons_are_rewritten() {
        assert_eq!(rewrite_query("عنوان:دلار"), "title:دلار");
        assert_eq!(rewrite_query("-tags:ارز mistakes:x"), "-tag:ارز mistake:x");
        assert_eq!(rewrite_query("«قرارداد ارزی»"), "\"قرارداد ارزی\"");
        assert_eq!(rewrite_query("ساعت 10:30"), "ساعت 10 30");
    }

    #[test]
    fn severities_read_in_both_languages() {
        assert_eq!(severity_id("High"), Some("high"));
        assert_eq!(severity_id("بحراني"), Some("critical"));
        assert_eq!(severity_id("huge"), None);
    }

    /// An index over a copy of a folder of the repository.
    fn index_of_copy(folder: &str) -> (tempfile::TempDir, Index) {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let dir = tempfile::tempdir().unwrap();
        for entry in walkdir::WalkDir::new(&from)
            .into_iter()
            .filter_map(Result::ok)
        {
            let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let kb = crate::kb::Kb::open(dir.path()).unwrap();
        let index = Index::open(&kb).unwrap();
        (dir, index)
    }

    /// With and without facets, the hits and totals are the same.
    #[test]
    fn facets_do_not_change_hits_or_totals() {
        let (_dir, index) = index_of_copy("tests/fixtures/fa-spellings");
        for q in [
            "قرارداد",
            "ريالي",
            "certificate",
            "قرارداد دلار",
            "\"بند تعدیل\"",
        ] {
            let req = |facets| SearchRequest {
                q: q.into(),
                facets: Some(facets),
                ..SearchRequest::default()
            };
            let (with, without) = (
                index.search(&req(true)).unwrap(),
                index.search(&req(false)).unwrap(),
            );
            assert_eq!(with.total, without.total, "{q}");
            assert!(with.total > 0, "{q} finds nothing in the fixture");
            let key = |r: &SearchResults| {
                r.hits
                    .iter()
                    .map(|h| (h.id.clone(), h.snippet.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(key(&with), key(&without), "{q}");
        }
    }

    /// Searches that start together on a cold cache build a segment's facet arrays once
    /// and share them: the others wait for that build rather than each make a copy.
    #[test]
    fn searches_started_together_build_the_facet_arrays_once() {
        let (_dir, index) = index_of_copy("cases");
        let searcher = index.reader().searcher();
        let segment = &searcher.segment_readers()[0];
        let cache = FacetCache::slow_to_build(std::time::Duration::from_millis(50));
        let together = std::sync::Barrier::new(4);
        let arrays: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        together.wait();
                        cache.get(segment).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(cache.builds(), 1);
        assert!(arrays.iter().all(|a| std::sync::Arc::ptr_eq(a, &arrays[0])));
    }

    /// Warming builds every segment's facet arrays, so that searches build none, and
    /// builds only the segments a refresh added.
    #[test]
    fn warming_builds_the_facet_arrays_before_the_first_search() {
        let (dir, index) = index_of_copy("cases");
        let segments = index.reader().searcher().segment_readers().len();
        index.warm().unwrap();
        assert_eq!(index.facet_cache().builds(), segments);
        let search = |q: &str| {
            index
                .search(&SearchRequest {
                    q: q.into(),
                    ..SearchRequest::default()
                })
                .unwrap()
        };
        search("قرارداد");
        index.warm().unwrap();
        assert_eq!(index.facet_cache().builds(), segments);
        let case = dir.path().join("2024/added-for-warming.md");
        std::fs::create_dir_all(case.parent().unwrap()).unwrap();
        std::fs::write(
            &case,
            "---\ntitle: Zorbulax outage\ncrisis_type: currency\ndate: 2024-03-01\n---\nBody.\n",
        )
        .unwrap();
        let kb = crate::kb::Kb::open(dir.path()).unwrap();
        assert!(index.refresh(&kb).unwrap().changed());
        index.warm().unwrap();
        assert_eq!(index.facet_cache().builds(), segments + 1);
        let found = search("zorbulax");
        assert_eq!(found.total, 1);
        assert_eq!(found.facets.crisis_type[0].count, 1);
        assert_eq!(index.facet_cache().builds(), segments + 1);
    }

    /// The facet counts agree with tantivy's own facet collector on the bundled cases
    /// (cases with several chapters and tags), for every case and for a few queries.
    #[test]
    fn facet_counts_agree_with_tantivys_collector() {
        use tantivy::collector::FacetCollector;
        let (_dir, index) = index_of_copy("cases");
        let searcher = index.reader().searcher();
        for q in ["", "قرارداد", "ارز دلار", "contract", "-قرارداد", "ارز"]
        {
            let cache = FacetCache::default();
            let matching = text_query(index.parser(), q, None, &mut Vec::new()).rank;
            for top_tags in [TOP_TAGS, 3] {
                let collector = CountAndFacets::new(&cache, top_tags);
                let (total, ours) = searcher.search(matching.as_ref(), &collector).unwrap();
                assert_eq!(total, matching.count(&searcher).unwrap(), "{q}");
                for (field, got, top) in [
                    ("crisis_type", &ours.crisis_type, usize::MAX),
                    ("chapter", &ours.chapter, usize::MAX),
                    ("year", &ours.year, usize::MAX),
                    ("tag_facet", &ours.tag, top_tags),
                ] {
                    let mut reference = FacetCollector::for_field(field);
                    reference.add_facet("/");
                    let counts = searcher.search(matching.as_ref(), &reference).unwrap();
                    let mut expected: Vec<(String, u64)> = counts
                        .get("/")
                        .map(|(f, n)| (f.to_path().last().unwrap().to_string(), n))
                        .collect();
                    expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    expected.truncate(top);
                    let mut got: Vec<(String, u64)> =
                        got.iter().map(|c| (c.value.clone(), c.count)).collect();
                    if field == "year" {
                        got.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                    }
                    let how = format!("query {q:?}, facet {field}, top {top_tags}");
                    assert!(!expected.is_empty() || q.starts_with('-'), "{how}");
                    assert_eq!(got, expected, "{how}");
                }
            }
        }
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }

    #[test]
    fn a_snippet_is_text_and_the_places_of_its_words() {
        let fragment = Fragment {
            text: "  the <b>contract</b> was signed ",
            marks: vec![9..17, 26..32],
        };
        let s = Snippet::of(&fragment);
        assert_eq!(s.text, "the <b>contract</b> was signed");
        assert_eq!(s.highlights, [[7, 15], [24, 30]]);
        let pieces: Vec<_> = s.pieces().collect();
        assert_eq!(
            pieces,
            [
                ("the <b>", false),
                ("contract", true),
                ("</b> was ", false),
                ("signed", true)
            ]
        );
    }
}
