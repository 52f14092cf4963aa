//! Facet counts over every matching case, fast enough for result sets of tens of thousands.
//!
//! tantivy's `FacetCollector` reads each document's facet ordinals through the columnar
//! format and turns every distinct value into text (a dictionary block decompression per
//! value): milliseconds per query at 100k cases. Instead, the first query on a segment
//! copies its four facet columns into arrays cached per segment and dropped with it
//! ([`SegmentFacets`]):
//! - per document, the id of its *set* of values per field (its chapters, its tags),
//!   interned per segment: a few matches are counted document by document;
//! - per value, its documents: one bit per document for a value that many documents
//!   hold, else a list. Many matches are gathered as one bit per document, and a value's
//!   count is then the bits its documents share with them (64 documents per
//!   instruction), instead of one increment per match and field. The tags, of which only
//!   the most frequent are shown, stop being counted once no rarer tag can make the list.
//!
//! Only the values returned are looked up by name.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use serde::Serialize;

/// How many tags the facet counts return, most frequent first.
pub const TOP_TAGS: usize = 30;

/// Counts of matching cases by facet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// Per crisis type id.
    pub crisis_type: Vec<FacetCount>,
    /// Per chapter id.
    pub chapter: Vec<FacetCount>,
    /// Per Gregorian year.
    pub year: Vec<FacetCount>,
    /// Per tag: the most frequent ones only (see [`TOP_TAGS`]).
    pub tag: Vec<FacetCount>,
}

/// One facet value and how many matching cases have it.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    /// The value (an id, a year, a tag).
    pub value: String,
    /// How many matching cases have it.
    pub count: u64,
    /// How the value is written in the cases, when that differs from `value` (tags are
    /// counted on a folded key, so that spellings merge; this is the first spelling found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The facet fields, in the order of [`Facets`]' members.
const FIELDS: [&str; 4] = ["crisis_type", "chapter", "year", "tag_facet"];

/// The value sets of one facet field in one segment: set `i` holds the ordinals
/// `ords[offsets[i]..offsets[i + 1]]`.
struct ValueSets {
    offsets: Vec<u32>,
    ords: Vec<u32>,
    /// The value of each ordinal.
    names: Vec<String>,
    /// Per value, its documents: what many matches are counted against.
    docs: ValueDocs,
}

/// Which documents hold each value of one field.
#[derive(Default)]
struct ValueDocs {
    /// Values held by at least one document in [`DENSE`]: their ordinal and one bit per
    /// document.
    dense: Vec<(u32, Box<[u64]>)>,
    /// The other values, those held by the most documents first: their ordinal and
    /// documents.
    sparse: Vec<(u32, Box<[DocId]>)>,
}

/// The values counted so far, and the `top` largest counts.
struct Found {
    counts: Vec<(usize, u32)>,
    top: Option<usize>,
    /// The `top` largest counts, smallest first out.
    best: BinaryHeap<Reverse<u32>>,
}

impl Found {
    fn add(&mut self, ord: u32, n: u32) {
        if n == 0 {
            return;
        }
        self.counts.push((ord as usize, n));
        if let Some(top) = self.top {
            self.best.push(Reverse(n));
            if self.best.len() > top {
                self.best.pop();
            }
        }
    }

    /// Whether `top` values already count more than a value held by `docs` documents can.
    fn beats_every(&self, docs: usize) -> bool {
        self.top.is_some_and(|top| {
            self.best.len() == top && self.best.peek().is_some_and(|r| docs < r.0 as usize)
        })
    }
}

/// A value held by at least one document in this many is kept as one bit per document
/// (1/8 byte each) rather than as a list (4 bytes per holder): at most twice the list's
/// size, and counted 64 documents at a time.
const DENSE: usize = 64;

impl ValueSets {
    fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn ords(&self, set: usize) -> &[u32] {
        match (self.offsets.get(set), self.offsets.get(set + 1)) {
            (Some(&from), Some(&to)) => self.ords.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// The four facet fields of one segment.
pub(crate) struct SegmentFacets {
    /// Per document, the id of its value set in each field.
    sets_of_doc: Vec<[u32; FIELDS.len()]>,
    fields: Vec<ValueSets>,
}

/// Per-segment facet arrays, built on first use; segments no longer searched are dropped.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    /// Per segment and folded tag: the first live case with the tag and the tag as
    /// written there, or `None` when no live case of the segment has it.
    tag_labels: Mutex<HashMap<(SegmentId, String), TagLabel>>,
    /// Held while a segment's arrays are built, so that one thread builds them and the
    /// others wait: first searches arriving together would each build their own copy.
    building: Mutex<()>,
    /// Tests keep every value as bits (`Some(true)`) or as a list (`Some(false)`), so
    /// that both ways are checked on a small index.
    #[cfg(test)]
    force_dense: Option<bool>,
    /// Tests count the builds, and may make each take this long, so that searches
    /// started together surely overlap.
    #[cfg(test)]
    builds: std::sync::atomic::AtomicUsize,
    #[cfg(test)]
    build_pause: Option<std::time::Duration>,
}

/// What a segment says about a tag: where it is first written, and how.
pub(crate) type TagLabel = Option<(DocId, Option<String>)>;

impl FacetCache {
    /// Forgets segments that `searcher` no longer has (merged or deleted).
    pub(crate) fn prune(&self, searcher: &Searcher) {
        if let Ok(mut segments) = self.segments.lock() {
            if segments.len() > searcher.segment_readers().len() {
                let live: Vec<SegmentId> = searcher
                    .segment_readers()
                    .iter()
                    .map(|s| s.segment_id())
                    .collect();
                segments.retain(|id, _| live.contains(id));
                if let Ok(mut labels) = self.tag_labels.lock() {
                    labels.retain(|(id, _), _| live.contains(id));
                }
            }
        }
    }

    /// The tag `key` as written in `segment`, from the cache while the case it was read
    /// from is still live (a segment only ever loses cases), else from `look_up`.
    pub(crate) fn tag_label(
        &self,
        segment: &SegmentReader,
        key: &str,
        look_up: impl FnOnce() -> tantivy::Result<TagLabel>,
    ) -> tantivy::Result<TagLabel> {
        let cache_key = (segment.segment_id(), key.to_string());
        let cached = self
            .tag_labels
            .lock()
            .ok()
            .and_then(|labels| labels.get(&cache_key).cloned());
        match cached {
            Some(None) => return Ok(None),
            Some(Some((doc, label))) if !segment.is_deleted(doc) => return Ok(Some((doc, label))),
            _ => {}
        }
        let found = look_up()?;
        if let Ok(mut labels) = self.tag_labels.lock() {
            labels.insert(cache_key, found.clone());
        }
        Ok(found)
    }

    /// An empty cache whose segments keep every value's documents as bits, or as lists.
    #[cfg(test)]
    pub(crate) fn forcing_dense(dense: bool) -> FacetCache {
        FacetCache {
            force_dense: Some(dense),
            ..FacetCache::default()
        }
    }

    /// Builds the arrays of every segment `searcher` has that are not built yet: a
    /// server calls it before its first request, so that no search waits for them.
    pub(crate) fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        self.prune(searcher);
        for segment in searcher.segment_readers() {
            self.get(segment)?;
        }
        Ok(())
    }

    fn cached(&self, id: &SegmentId) -> Option<Arc<SegmentFacets>> {
        self.segments.lock().ok().and_then(|s| s.get(id).cloned())
    }

    /// An empty cache whose every build takes at least `pause`.
    #[cfg(test)]
    pub(crate) fn slow_to_build(pause: std::time::Duration) -> FacetCache {
        FacetCache {
            build_pause: Some(pause),
            ..FacetCache::default()
        }
    }

    /// How many times a segment's arrays were built.
    #[cfg(test)]
    pub(crate) fn builds(&self) -> usize {
        self.builds.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.cached(&id) {
            return Ok(found);
        }
        // A builder that panicked left nothing half-built in the map: carry on.
        let _one_builder = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = self.cached(&id) {
            return Ok(found);
        }
        #[cfg(not(test))]
        let force_dense = None;
        #[cfg(test)]
        let force_dense = {
            self.builds
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if let Some(pause) = self.build_pause {
                std::thread::sleep(pause);
            }
            self.force_dense
        };
        let built = Arc::new(SegmentFacets::build(segment, force_dense)?);
        if let Ok(mut segments) = self.segments.lock() {
            segments.insert(id, built.clone());
        }
        Ok(built)
    }
}

impl SegmentFacets {
    /// Counts per value ordinal of field `f` over a few documents, nonzero only: in an
    /// array when the field has few values for these documents, else in a hash map (a
    /// rare word's dozens of cases beside tens of thousands of tags).
    fn value_counts_of(&self, f: usize, docs: &[DocId]) -> Vec<(usize, u32)> {
        let field = &self.fields[f];
        let ords = docs.iter().filter_map(|&doc| {
            let sets = self.sets_of_doc.get(doc as usize)?;
            Some(field.ords(sets[f] as usize))
        });
        if field.names.len() <= 8 * docs.len() {
            let mut counts = vec![0u32; field.names.len()];
            for &ord in ords.flatten() {
                if let Some(n) = counts.get_mut(ord as usize) {
                    *n += 1;
                }
            }
            return nonzero(counts);
        }
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for &ord in ords.flatten() {
            *counts.entry(ord).or_default() += 1;
        }
        counts.into_iter().map(|(o, n)| (o as usize, n)).collect()
    }

    /// Counts per value ordinal of field `f` over the documents whose bit is set in
    /// `matched`, nonzero only. With `top`, only the values that may be among the `top`
    /// most frequent are sure to be counted: the lists, most held first, stop once the
    /// next one holds fewer documents than the `top`-th count so far.
    fn count_matched(&self, f: usize, matched: &[u64], top: Option<usize>) -> Vec<(usize, u32)> {
        let values = &self.fields[f].docs;
        let mut found = Found {
            counts: Vec::new(),
            top,
            best: BinaryHeap::new(),
        };
        for (ord, bits) in &values.dense {
            let n = matched
                .iter()
                .zip(bits.iter())
                .map(|(m, b)| (m & b).count_ones())
                .sum();
            found.add(*ord, n);
        }
        for (ord, docs) in &values.sparse {
            if found.beats_every(docs.len()) {
                break;
            }
            let n = docs.iter().filter(|&&doc| is_set(matched, doc)).count() as u32;
            found.add(*ord, n);
        }
        found.counts
    }

    fn build(segment: &SegmentReader, force_dense: Option<bool>) -> tantivy::Result<SegmentFacets> {
        let docs = segment.max_doc() as usize;
        let mut sets_of_doc = vec![[0u32; FIELDS.len()]; docs];
        let mut fields = Vec::with_capacity(FIELDS.len());
        for (f, name) in FIELDS.into_iter().enumerate() {
            let reader = segment.facet_reader(name)?;
            let mut sets = ValueSets {
                offsets: vec![0],
                ords: Vec::new(),
                names: Vec::with_capacity(reader.num_facets()),
                docs: ValueDocs::default(),
            };
            let mut ids: FxHashMap<Box<[u32]>, u32> = FxHashMap::default();
            let mut values = Vec::new();
            for (doc, entry) in sets_of_doc.iter_mut().enumerate() {
                values.clear();
                values.extend(reader.facet_ords(doc as DocId).map(|o| o as u32));
                // Two mistakes of one chapter are one case of that chapter.
                values.sort_unstable();
                values.dedup();
                entry[f] = match ids.get(values.as_slice()) {
                    Some(&id) => id,
                    None => {
                        let id = sets.len() as u32;
                        sets.ords.extend_from_slice(&values);
                        sets.offsets.push(sets.ords.len() as u32);
                        ids.insert(values.as_slice().into(), id);
                        id
                    }
                };
            }
            let all: Vec<u64> = (0..reader.num_facets() as u64).collect();
            reader.facet_dict().sorted_ords_to_term_cb(&all, |bytes| {
                sets.names.push(facet_value(bytes));
            })?;
            sets.docs = ValueDocs::of(&sets, &sets_of_doc, f, force_dense);
            fields.push(sets);
        }
        Ok(SegmentFacets {
            sets_of_doc,
            fields,
        })
    }
}

impl ValueDocs {
    /// The documents of every value of field `f`, from each document's value set.
    fn of(
        sets: &ValueSets,
        sets_of_doc: &[[u32; FIELDS.len()]],
        f: usize,
        force_dense: Option<bool>,
    ) -> ValueDocs {
        let mut lists: Vec<Vec<DocId>> = vec![Vec::new(); sets.names.len()];
        for (doc, entry) in sets_of_doc.iter().enumerate() {
            for &ord in sets.ords(entry[f] as usize) {
                if let Some(list) = lists.get_mut(ord as usize) {
                    list.push(doc as DocId);
                }
            }
        }
        let words = sets_of_doc.len().div_ceil(64);
        let mut out = ValueDocs::default();
        for (ord, list) in lists.into_iter().enumerate() {
            let dense = force_dense.unwrap_or(list.len() * DENSE >= sets_of_doc.len());
            if list.is_empty() {
                continue;
            } else if dense {
                let mut bits = vec![0u64; words];
                for &doc in &list {
                    set_bit(&mut bits, doc);
                }
                out.dense.push((ord as u32, bits.into()));
            } else {
                out.sparse.push((ord as u32, list.into()));
            }
        }
        out.sparse.sort_by_key(|(_, docs)| Reverse(docs.len()));
        out
    }
}

fn set_bit(bits: &mut [u64], doc: DocId) {
    if let Some(word) = bits.get_mut(doc as usize / 64) {
        *word |= 1 << (doc % 64);
    }
}

fn is_set(bits: &[u64], doc: DocId) -> bool {
    bits.get(doc as usize / 64)
        .is_some_and(|word| word & (1 << (doc % 64)) != 0)
}

/// The nonzero entries of `counts`, with their index.
fn nonzero(counts: Vec<u32>) -> Vec<(usize, u32)> {
    counts
        .into_iter()
        .enumerate()
        .filter(|(_, c)| *c > 0)
        .collect()
}

/// The last path segment of an encoded facet (`/currency` → `currency`).
fn facet_value(encoded: &[u8]) -> String {
    Facet::from_encoded(encoded.to_vec())
        .ok()
        .and_then(|f| f.to_path().last().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Counts matching documents and the values of the four facets in one pass.
pub(crate) struct CountAndFacets<'a> {
    cache: &'a FacetCache,
    /// Up to how many matches a segment keeps documents instead of their bits.
    few: usize,
    /// How many tags to return, most frequent first.
    top_tags: usize,
    /// How many tags each segment keeps: a margin above `top_tags`, so that merging
    /// segments stays right for every tag that is frequent anywhere.
    keep_tags: usize,
}

impl<'a> CountAndFacets<'a> {
    /// A collector that uses (and fills) `cache`.
    pub(crate) fn new(cache: &'a FacetCache, top_tags: usize) -> Self {
        CountAndFacets {
            cache,
            few: FEW,
            top_tags,
            keep_tags: top_tags.saturating_mul(4).max(64),
        }
    }

    /// The same collector, keeping documents only up to `few` matches per segment (both
    /// ways of counting must agree; tests use this to try each).
    #[cfg(test)]
    pub(crate) fn keeping_up_to(self, few: usize) -> Self {
        CountAndFacets { few, ..self }
    }

    /// The same collector, each segment keeping only the tags returned (so that the tags'
    /// early stop is tried on a small index).
    #[cfg(test)]
    pub(crate) fn without_tag_margin(self) -> Self {
        CountAndFacets {
            keep_tags: self.top_tags,
            ..self
        }
    }
}

/// Up to this many matches per segment, documents are kept and counted one by one at the
/// end; past it, as bits counted against each value's documents (which costs about the
/// same whatever the number of matches).
const FEW: usize = 2048;

/// The counting state of one segment.
pub(crate) struct SegmentCounts {
    facets: Arc<SegmentFacets>,
    /// While there are few matches: the matching documents.
    few: Vec<DocId>,
    /// How many documents `few` may hold.
    few_limit: usize,
    /// Once there are many: one bit per matching document.
    matched: Option<Vec<u64>>,
    total: usize,
    /// Tags kept per segment: a margin above the number returned, so that merging
    /// segments stays right for every tag that is frequent anywhere.
    keep_tags: usize,
}

impl SegmentCounts {
    /// From `few` documents to bits, once there are more than `few_limit`.
    fn matched(&mut self) -> Option<&mut Vec<u64>> {
        if self.matched.is_none() && self.few.len() > self.few_limit {
            let mut bits = vec![0u64; self.facets.sets_of_doc.len().div_ceil(64)];
            for doc in std::mem::take(&mut self.few) {
                set_bit(&mut bits, doc);
            }
            self.matched = Some(bits);
        }
        self.matched.as_mut()
    }
}

impl Collector for CountAndFacets<'_> {
    type Fruit = (usize, Facets);
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let facets = self.cache.get(segment)?;
        Ok(SegmentCounts {
            facets,
            few: Vec::new(),
            few_limit: self.few,
            matched: None,
            total: 0,
            keep_tags: self.keep_tags,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<(usize, Vec<Vec<FacetCount>>)>,
    ) -> tantivy::Result<(usize, Facets)> {
        let mut total = 0;
        let mut merged: Vec<HashMap<String, u64>> = vec![HashMap::new(); FIELDS.len()];
        for (count, fields) in segments {
            total += count;
            for (m, values) in merged.iter_mut().zip(fields) {
                for v in values {
                    *m.entry(v.value).or_default() += v.count;
                }
            }
        }
        let mut lists = merged.into_iter().map(|m| {
            let mut out: Vec<FacetCount> = m
                .into_iter()
                .map(|(value, count)| FacetCount {
                    value,
                    count,
                    label: None,
                })
                .collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out
        });
        let crisis_type = lists.next().unwrap_or_default();
        let chapter = lists.next().unwrap_or_default();
        let mut year = lists.next().unwrap_or_default();
        year.sort_by(|a, b| b.value.cmp(&a.value));
        let mut tag = lists.next().unwrap_or_default();
        tag.truncate(self.top_tags);
        Ok((
            total,
            Facets {
                crisis_type,
                chapter,
                year,
                tag,
            },
        ))
    }
}

impl SegmentCollector for SegmentCounts {
    type Fruit = (usize, Vec<Vec<FacetCount>>);

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        match self.matched.as_mut() {
            Some(bits) => set_bit(bits, doc),
            None => {
                self.few.push(doc);
                self.matched();
            }
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len();
        if self.matched.is_none() {
            self.few.extend_from_slice(docs);
            self.matched();
        } else if let Some(bits) = self.matched.as_mut() {
            for &doc in docs {
                set_bit(bits, doc);
            }
        }
    }

    fn harvest(self) -> (usize, Vec<Vec<FacetCount>>) {
        let keep_tags = self.keep_tags;
        let fields = self
            .facets
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let is_tag = i == FIELDS.len() - 1;
                let mut found: Vec<(usize, u32)> = match &self.matched {
                    Some(bits) => {
                        let top = is_tag.then_some(keep_tags);
                        self.facets.count_matched(i, bits, top)
                    }
                    None => self.facets.value_counts_of(i, &self.few),
                };
                if is_tag && found.len() > keep_tags {
                    found.select_nth_unstable_by(keep_tags, |a, b| b.1.cmp(&a.1));
                    found.truncate(keep_tags);
                }
                found
                    .into_iter()
                    .map(|(ord, c)| FacetCount {
                        value: field.names.get(ord).cloned().unwrap_or_default(),
                        count: u64::from(c),
                        label: None,
                    })
                    .collect()
            })
            .collect();
        (self.total, fields)
    }
}
