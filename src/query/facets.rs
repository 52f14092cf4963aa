//! Facet counts over every matching case, fast enough for result sets of tens of thousands.
//!
//! tantivy's `FacetCollector` reads each document's facet ordinals through the columnar
//! format and turns every distinct value into text (a dictionary block decompression per
//! value): milliseconds per query at 100k cases. Instead, the first query on a segment
//! copies its four facet columns into one flat array ([`SegmentFacets`], 16 bytes per
//! case, cached per segment and dropped with it). Each entry names the document's *set*
//! of values per field (its chapters, its tags), interned per segment: counting a
//! document is then four increments in small arrays, whatever its number of chapters or
//! tags, and sets are expanded into values once per query. Only the values returned are
//! looked up by name.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::{FacetCount, Facets};

/// The facet fields, in the order of [`Facets`]' members.
const FIELDS: [&str; 4] = ["crisis_type", "chapter", "year", "tag_facet"];

/// The value sets of one facet field in one segment: set `i` holds the ordinals
/// `ords[offsets[i]..offsets[i + 1]]`.
struct ValueSets {
    offsets: Vec<u32>,
    ords: Vec<u32>,
    /// The value of each ordinal.
    names: Vec<String>,
    /// Whether documents are counted per value rather than per set: when nearly every
    /// document has a set of its own (two free-form tags), counting sets only adds a
    /// pass over as many sets as documents.
    direct: bool,
    /// When `direct`: per document, its first two values ([`NONE`] where it has fewer;
    /// [`MORE`] first where it has more, to be read from its set). Counting then reads one
    /// array in document order instead of following a set to its values, three dependent
    /// loads that cost more than ranking three words.
    inline: Vec<[u32; 2]>,
}

/// No value, in [`ValueSets::inline`].
const NONE: u32 = u32::MAX;
/// More than two values, in [`ValueSets::inline`].
const MORE: u32 = u32::MAX - 1;

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

    /// Turns the counts of [`count_docs`] (per set, or per value when `direct`) into
    /// counts per value.
    fn value_counts(&self, set_counts: Vec<u32>) -> Vec<u32> {
        if self.direct {
            return set_counts;
        }
        let mut counts = vec![0u32; self.names.len()];
        for (set, &n) in set_counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            for &ord in self.ords(set) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += n;
                }
            }
        }
        counts
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
    /// Tests count every field directly (`Some(true)`) or per set (`Some(false)`), so
    /// that both ways are checked on a small index.
    #[cfg(test)]
    force_direct: Option<bool>,
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

    /// An empty cache whose segments count every field directly, or every field per set.
    #[cfg(test)]
    pub(crate) fn forcing_direct(direct: bool) -> FacetCache {
        FacetCache {
            force_direct: Some(direct),
            ..FacetCache::default()
        }
    }

    fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.segments.lock().ok().and_then(|s| s.get(&id).cloned()) {
            return Ok(found);
        }
        #[cfg(not(test))]
        let force_direct = None;
        #[cfg(test)]
        let force_direct = self.force_direct;
        let built = Arc::new(SegmentFacets::build(segment, force_direct)?);
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

    /// The length of the counts array of field `f`: one per set, or per value.
    fn counts_len(&self, f: usize) -> usize {
        let field = &self.fields[f];
        if field.direct {
            field.names.len()
        } else {
            field.len()
        }
    }

    fn build(
        segment: &SegmentReader,
        force_direct: Option<bool>,
    ) -> tantivy::Result<SegmentFacets> {
        let docs = segment.max_doc() as usize;
        let mut sets_of_doc = vec![[0u32; FIELDS.len()]; docs];
        let mut fields = Vec::with_capacity(FIELDS.len());
        for (f, name) in FIELDS.into_iter().enumerate() {
            let reader = segment.facet_reader(name)?;
            let mut sets = ValueSets {
                offsets: vec![0],
                ords: Vec::new(),
                names: Vec::with_capacity(reader.num_facets()),
                direct: false,
                inline: Vec::new(),
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
            reader
                .facet_dict()
                .sorted_ords_to_term_cb(0..reader.num_facets() as u64, |bytes| {
                    sets.names.push(facet_value(bytes));
                    Ok(())
                })?;
            sets.direct = force_direct.unwrap_or(sets.len() > docs / 4);
            if sets.direct {
                sets.inline = sets_of_doc
                    .iter()
                    .map(|entry| match sets.ords(entry[f] as usize) {
                        [] => [NONE, NONE],
                        [a] => [*a, NONE],
                        [a, b] => [*a, *b],
                        _ => [MORE, NONE],
                    })
                    .collect();
            }
            fields.push(sets);
        }
        Ok(SegmentFacets {
            sets_of_doc,
            fields,
        })
    }
}

/// How many documents [`SegmentCounts`] gathers before counting them.
const BLOCK: usize = 64;

impl SegmentCounts {
    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.collect_block(&pending);
        self.pending = pending;
        self.pending.clear();
    }
}

/// Adds `docs` to `counts`: per field, one increment for the document's value set, or
/// one per value when the field counts values directly.
fn count_docs(facets: &SegmentFacets, docs: &[DocId], counts: &mut [Vec<u32>; FIELDS.len()]) {
    for &doc in docs {
        let Some(sets) = facets.sets_of_doc.get(doc as usize) else {
            continue;
        };
        for ((counts, &set), field) in counts.iter_mut().zip(sets).zip(&facets.fields) {
            if field.direct {
                let mut add = |ord: u32| {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                };
                match field.inline.get(doc as usize) {
                    Some(&[MORE, _]) | None => {
                        field.ords(set as usize).iter().for_each(|&o| add(o))
                    }
                    Some(&[a, b]) => {
                        add(a);
                        add(b);
                    }
                }
            } else if let Some(n) = counts.get_mut(set as usize) {
                *n += 1;
            }
        }
    }
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
    /// Up to how many matches a segment keeps documents instead of counting value sets.
    few: usize,
    /// How many tags to return, most frequent first.
    top_tags: usize,
}

impl<'a> CountAndFacets<'a> {
    /// A collector that uses (and fills) `cache`.
    pub(crate) fn new(cache: &'a FacetCache, top_tags: usize) -> Self {
        CountAndFacets {
            cache,
            few: FEW,
            top_tags,
        }
    }

    /// The same collector, keeping documents only up to `few` matches per segment (both
    /// ways of counting must agree; tests use this to try each).
    #[cfg(test)]
    pub(crate) fn keeping_up_to(self, few: usize) -> Self {
        CountAndFacets { few, ..self }
    }
}

/// Up to this many matches per segment, documents are kept and counted one by one at the
/// end; past it, counts per value set (whose arrays cost their size to clear and read
/// even when nearly every entry stays zero).
const FEW: usize = 2048;

/// The counting state of one segment.
pub(crate) struct SegmentCounts {
    facets: Arc<SegmentFacets>,
    /// While there are few matches: the matching documents.
    few: Vec<DocId>,
    /// How many documents `few` may hold.
    few_limit: usize,
    /// Documents collected one by one and not yet counted.
    pending: Vec<DocId>,
    /// Once there are many: per field, matching documents per value set.
    counts: Option<[Vec<u32>; FIELDS.len()]>,
    total: usize,
    /// Tags kept per segment: a margin above the number returned, so that merging
    /// segments stays right for every tag that is frequent anywhere.
    keep_tags: usize,
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
            pending: Vec::new(),
            counts: None,
            total: 0,
            keep_tags: self.top_tags.saturating_mul(4).max(64),
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
        // Beside a ranking collector documents come one at a time: count them in blocks.
        self.pending.push(doc);
        if self.pending.len() == BLOCK {
            self.flush();
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        self.total += docs.len();
        if self.counts.is_none() {
            if self.few.len() + docs.len() <= self.few_limit {
                self.few.extend_from_slice(docs);
                return;
            }
            let facets = &self.facets;
            let mut counts = std::array::from_fn(|f| vec![0; facets.counts_len(f)]);
            count_docs(facets, &std::mem::take(&mut self.few), &mut counts);
            self.counts = Some(counts);
        }
        if let Some(counts) = &mut self.counts {
            count_docs(&self.facets, docs, counts);
        }
    }

    fn harvest(mut self) -> (usize, Vec<Vec<FacetCount>>) {
        self.flush();
        let keep_tags = self.keep_tags;
        let mut counts = self.counts.take().map(|c| c.into_iter());
        let fields = self
            .facets
            .fields
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let mut found: Vec<(usize, u32)> = match counts.as_mut().and_then(Iterator::next) {
                    Some(counts) => nonzero(field.value_counts(counts)),
                    None => self.facets.value_counts_of(i, &self.few),
                };
                if i == FIELDS.len() - 1 && found.len() > keep_tags {
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
