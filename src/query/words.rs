//! Ranking plain words term at a time.
//!
//! Most searches are a few words and perhaps a filter. Every word is one posting list of
//! `all`. When the words are frequent (each in most cases), tantivy's document-at-a-time
//! union, even with block-max WAND, spends most of its time seeking among posting lists
//! that all hold nearly every case, and filters are intersected by seeking too. Reading
//! each word's postings block by block into one dense array of scores per segment, then
//! walking that array once, does the same sums with no seeking: the array gives the
//! count, the facets and the best hits in that one walk. Filters become one bit per case.
//!
//! The scores are tantivy's own: the same [`Bm25Weight`] per term, from the same
//! statistics, summed in the query's order; ties go to the lower document address, as in
//! `TopDocs`. A test compares the two on the bundled cases.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    Bm25Weight, BooleanQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, Term};

use super::facets::CountAndFacets;
use super::Facets;
use crate::index::common::{pair, CommonWords};
use crate::index::schema::Fields;

/// A query that is a union of words, and of phrases of two common words (read from the
/// `pairs` field, see [`crate::index::common`]); none needs positions.
pub(super) struct WordUnion {
    clauses: Vec<Clause>,
}

/// One scored part of a [`WordUnion`].
enum Clause {
    /// A word: its postings and its BM25 weight.
    Word(Term),
    /// Two adjacent common words: the postings of their pair, whose frequency is the
    /// phrase's, scored as tantivy scores the phrase (the words' summed idf, the length
    /// of their field).
    Pair { pair: Term, words: [Term; 2] },
}

impl Clause {
    fn weight(&self, searcher: &Searcher) -> tantivy::Result<Bm25Weight> {
        match self {
            Clause::Word(term) => Bm25Weight::for_terms(searcher, std::slice::from_ref(term)),
            Clause::Pair { words, .. } => Bm25Weight::for_terms(searcher, words),
        }
    }

    /// The term whose postings are read, and the field whose lengths score it.
    fn postings_and_norms(&self) -> (&Term, Field) {
        match self {
            Clause::Word(term) => (term, term.field()),
            Clause::Pair { pair, words } => (pair, words[0].field()),
        }
    }
}

/// What one search of the words found.
pub(super) struct Ranked {
    /// The requested page of hits, best first.
    pub top: Vec<(Score, DocAddress)>,
    /// How many cases match (words and filters).
    pub total: usize,
    /// Facet counts over every match, when asked for.
    pub facets: Facets,
}

impl WordUnion {
    /// The clauses of `query` when it is a term, a phrase of two common words of `all`,
    /// or a union (`Should` only, nested or not) of those; `None` for anything else
    /// (longer phrases, exclusions, boosts, every case).
    pub(super) fn of(
        query: &dyn Query,
        fields: &Fields,
        common: &CommonWords,
    ) -> Option<WordUnion> {
        let mut clauses = Vec::new();
        collect_clauses(query, fields, common, &mut clauses).then_some(WordUnion { clauses })
    }

    /// Whether the union is a single word.
    pub(super) fn is_single_word(&self) -> bool {
        matches!(self.clauses[..], [Clause::Word(_)])
    }

    /// Ranks the cases that hold any of the words and pass every filter: `offset` hits
    /// skipped, then `limit` kept; counts them; counts facets when `facets` is given.
    pub(super) fn search(
        &self,
        searcher: &Searcher,
        filters: &[Box<dyn Query>],
        offset: usize,
        limit: usize,
        facets: Option<&CountAndFacets>,
    ) -> tantivy::Result<Ranked> {
        let weights = self
            .clauses
            .iter()
            .map(|c| c.weight(searcher))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let filter_weights = filters
            .iter()
            .map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut best = Best::new(offset + limit);
        let mut total = 0;
        let mut facet_fruits = Vec::new();
        let mut scores = Vec::new();
        let mut matched = Vec::new();
        let mut batch = Vec::with_capacity(BATCH);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let max_doc = segment.max_doc() as usize;
            scores.clear();
            scores.resize(max_doc, 0.0);
            matched.clear();
            matched.resize(max_doc.div_ceil(64), 0u64);
            for (clause, weight) in self.clauses.iter().zip(&weights) {
                let (term, norms) = clause.postings_and_norms();
                add_scores(segment, term, norms, weight, &mut scores, &mut matched)?;
            }
            for weight in &filter_weights {
                let mut allowed = vec![0u64; matched.len()];
                weight.for_each_no_score(segment, &mut |docs| {
                    for &doc in docs {
                        if let Some(bits) = allowed.get_mut(doc as usize / 64) {
                            *bits |= 1 << (doc % 64);
                        }
                    }
                })?;
                matched.iter_mut().zip(&allowed).for_each(|(m, a)| *m &= a);
            }
            let mut counter = facets
                .map(|f| f.for_segment(ord as u32, segment))
                .transpose()?;
            for (i, &bits) in matched.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let doc = (i * 64) as DocId + bits.trailing_zeros();
                    bits &= bits - 1;
                    if segment.is_deleted(doc) {
                        continue;
                    }
                    total += 1;
                    best.offer(scores[doc as usize], DocAddress::new(ord as u32, doc));
                    batch.push(doc);
                }
                if batch.len() >= BATCH - 64 {
                    if let Some(counter) = &mut counter {
                        counter.collect_block(&batch);
                    }
                    batch.clear();
                }
            }
            if let Some(mut counter) = counter {
                counter.collect_block(&batch);
                facet_fruits.push(counter.harvest());
            }
            batch.clear();
        }
        let facets = match facets {
            Some(f) => f.merge_fruits(facet_fruits)?.1,
            None => Facets::default(),
        };
        Ok(Ranked {
            top: best.into_page(offset),
            total,
            facets,
        })
    }
}

/// How many matching documents are handed to the facet counter at a time.
const BATCH: usize = 512;

/// Whether `query` is a term, a pair phrase or a `Should`-only union of such; pushes the
/// clauses.
fn collect_clauses(
    query: &dyn Query,
    fields: &Fields,
    common: &CommonWords,
    clauses: &mut Vec<Clause>,
) -> bool {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        clauses.push(Clause::Word(term.term().clone()));
        return true;
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        return match pair_of(phrase, fields, common) {
            Some(pair) => {
                clauses.push(pair);
                true
            }
            None => false,
        };
    }
    match query.downcast_ref::<BooleanQuery>() {
        Some(b) if !b.clauses().is_empty() => b.clauses().iter().all(|(occur, q)| {
            *occur == Occur::Should && collect_clauses(q.as_ref(), fields, common, clauses)
        }),
        _ => false,
    }
}

/// The pair clause of a phrase of exactly two adjacent common words of `all`.
fn pair_of(phrase: &PhraseQuery, fields: &Fields, common: &CommonWords) -> Option<Clause> {
    let [first, second]: [Term; 2] = phrase.phrase_terms().try_into().ok()?;
    let text = |t: &Term| t.value().as_str().map(str::to_owned);
    let (a, b) = (text(&first)?, text(&second)?);
    if phrase.field() != fields.all || !common.contains(&a) || !common.contains(&b) {
        return None;
    }
    // tantivy shows neither the words' offsets nor the slop; a phrase of two adjacent
    // words without slop is the one equal to the plain two-word phrase.
    let plain = PhraseQuery::new(vec![first.clone(), second.clone()]);
    if format!("{phrase:?}") != format!("{plain:?}") {
        return None;
    }
    Some(Clause::Pair {
        pair: Term::from_field_text(fields.pairs, &pair(&a, &b)),
        words: [first, second],
    })
}

/// Adds one term's BM25 score to the score of every document of `segment` holding it,
/// and marks the document in `matched` (one bit per document). The lengths are those of
/// field `norms`.
fn add_scores(
    segment: &SegmentReader,
    term: &Term,
    norms: Field,
    weight: &Bm25Weight,
    scores: &mut [Score],
    matched: &mut [u64],
) -> tantivy::Result<()> {
    let inverted = segment.inverted_index(term.field())?;
    let Some(mut postings) = inverted.read_block_postings(term, IndexRecordOption::WithFreqs)?
    else {
        return Ok(());
    };
    let norms = segment.get_fieldnorms_reader(norms)?;
    loop {
        let docs = postings.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for (&doc, &freq) in docs.iter().zip(postings.freqs()) {
            if let (Some(score), Some(bits)) = (
                scores.get_mut(doc as usize),
                matched.get_mut(doc as usize / 64),
            ) {
                *score += weight.score(norms.fieldnorm_id(doc), freq);
                *bits |= 1 << (doc % 64);
            }
        }
        postings.advance();
    }
}

/// A hit as the page orders it: higher score first, then the lower address (as tantivy's
/// `TopDocs` breaks ties).
#[derive(PartialEq)]
struct PageHit(Score, DocAddress);

impl Eq for PageHit {}

impl Ord for PageHit {
    /// "Greater" is better, so that a min-heap of `Reverse` keeps the worst on top.
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .partial_cmp(&other.0)
            .unwrap_or(Ordering::Equal)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for PageHit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The `keep` best hits seen so far.
struct Best {
    keep: usize,
    heap: BinaryHeap<std::cmp::Reverse<PageHit>>,
}

impl Best {
    fn new(keep: usize) -> Best {
        Best {
            keep,
            heap: BinaryHeap::with_capacity(keep + 1),
        }
    }

    fn offer(&mut self, score: Score, address: DocAddress) {
        if self.keep == 0 {
            return;
        }
        if self.heap.len() == self.keep {
            // Most documents lose to the worst kept one: one comparison, no heap work.
            match self.heap.peek() {
                Some(worst) if worst.0 .0 >= score => return,
                _ => {}
            }
        }
        self.heap.push(std::cmp::Reverse(PageHit(score, address)));
        if self.heap.len() > self.keep {
            self.heap.pop();
        }
    }

    fn into_page(self, offset: usize) -> Vec<(Score, DocAddress)> {
        let mut all: Vec<PageHit> = self.heap.into_iter().map(|r| r.0).collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter()
            .skip(offset)
            .map(|PageHit(s, a)| (s, a))
            .collect()
    }
}
