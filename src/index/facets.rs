//! Facet counts over every matching case, exact across segments.
//!
//! tantivy's `FacetCollector` turns every distinct value of a segment into text on every
//! query (a dictionary block decompressed per value): too slow for a word that matches
//! tens of thousands of cases. Instead, the first query on a segment copies its four facet
//! columns into plain arrays (each document's values, each value's name), cached per
//! segment and dropped with it ([`SegmentFacets`]). A query counts values in an array per
//! segment; the counts are merged by name across segments, and only then are the tags
//! cut to the most frequent, so every count is exact.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

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

/// The four facet fields of one segment, in one array: document `d` holds the values
/// `values[starts[d]..starts[d + 1]]`, each once, numbered across the fields (the
/// values of field `f` are `firsts[f]..firsts[f + 1]`), so that counting a document
/// reads one short run of memory.
pub(crate) struct SegmentFacets {
    starts: Vec<u32>,
    values: Vec<u32>,
    /// The name of each value.
    names: Vec<String>,
    /// Where each field's values start in `names`, and the end of the last.
    firsts: [usize; FIELDS.len() + 1],
}

impl SegmentFacets {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let readers = FIELDS
            .iter()
            .map(|field| segment.facet_reader(field))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut firsts = [0; FIELDS.len() + 1];
        let mut names = Vec::new();
        for (f, reader) in readers.iter().enumerate() {
            firsts[f] = names.len();
            let all: Vec<u64> = (0..reader.num_facets() as u64).collect();
            reader.facet_dict().sorted_ords_to_term_cb(&all, |bytes| {
                names.push(facet_value(bytes));
            })?;
        }
        firsts[FIELDS.len()] = names.len();
        let mut facets = SegmentFacets {
            starts: Vec::with_capacity(segment.max_doc() as usize + 1),
            values: Vec::new(),
            names,
            firsts,
        };
        facets.starts.push(0);
        for doc in 0..segment.max_doc() {
            for (reader, first) in readers.iter().zip(firsts) {
                let from = facets.values.len();
                let ords = reader.facet_ords(doc).map(|o| (first + o as usize) as u32);
                facets.values.extend(ords);
                // Two mistakes of one chapter are one case of that chapter.
                facets.values[from..].sort_unstable();
                let end = dedup_sorted(&mut facets.values, from);
                facets.values.truncate(end);
            }
            facets.starts.push(facets.values.len() as u32);
        }
        Ok(facets)
    }

    fn values(&self, doc: DocId) -> &[u32] {
        let d = doc as usize;
        match (self.starts.get(d), self.starts.get(d + 1)) {
            (Some(&from), Some(&to)) => self.values.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Removes repeats from the sorted `values[from..]`; returns its new end.
fn dedup_sorted(values: &mut [u32], from: usize) -> usize {
    let mut end = from;
    for i in from..values.len() {
        if end == from || values[end - 1] != values[i] {
            values[end] = values[i];
            end += 1;
        }
    }
    end
}

/// The last path segment of an encoded facet (`/currency` → `currency`).
fn facet_value(encoded: &[u8]) -> String {
    Facet::from_encoded(encoded.to_vec())
        .ok()
        .and_then(|f| f.to_path().last().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Per-segment facet columns, read on first use; segments no longer searched are dropped.
#[derive(Default)]
pub(crate) struct FacetCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentFacets>>>,
    /// Per segment and folded tag: the first live case with the tag and the tag as
    /// written there, or `None` when no live case of the segment has it.
    tag_labels: Mutex<HashMap<(SegmentId, String), TagLabel>>,
    /// Held while a segment's columns are read, so that one thread reads them and the
    /// others wait: first searches arriving together would each read their own copy.
    building: Mutex<()>,
    /// Tests count the reads, and may make each take this long, so that searches
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
        let Ok(mut segments) = self.segments.lock() else {
            return;
        };
        if segments.len() <= searcher.segment_readers().len() {
            return;
        }
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

    /// Reads the columns of every segment `searcher` has that are not read yet: a server
    /// calls it before its first request, so that no search waits for them.
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

    /// An empty cache whose every read takes at least `pause`.
    #[cfg(test)]
    pub(crate) fn slow_to_build(pause: std::time::Duration) -> FacetCache {
        FacetCache {
            build_pause: Some(pause),
            ..FacetCache::default()
        }
    }

    /// How many times a segment's columns were read.
    #[cfg(test)]
    pub(crate) fn builds(&self) -> usize {
        self.builds.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub(crate) fn get(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentFacets>> {
        let id = segment.segment_id();
        if let Some(found) = self.cached(&id) {
            return Ok(found);
        }
        // A reader that panicked left nothing half-read in the map: carry on.
        let _one_reader = self.building.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = self.cached(&id) {
            return Ok(found);
        }
        #[cfg(test)]
        {
            self.builds
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if let Some(pause) = self.build_pause {
                std::thread::sleep(pause);
            }
        }
        let read = Arc::new(SegmentFacets::read(segment)?);
        if let Ok(mut segments) = self.segments.lock() {
            segments.insert(id, read.clone());
        }
        Ok(read)
    }
}

/// Counts matching documents and the values of the four facets in one pass.
pub(crate) struct CountAndFacets<'a> {
    cache: &'a FacetCache,
    /// How many tags to return, most frequent first.
    top_tags: usize,
}

impl<'a> CountAndFacets<'a> {
    /// A collector that uses (and fills) `cache`.
    pub(crate) fn new(cache: &'a FacetCache, top_tags: usize) -> Self {
        CountAndFacets { cache, top_tags }
    }
}

/// The counting state of one segment: a count per value.
pub(crate) struct SegmentCounts {
    facets: Arc<SegmentFacets>,
    counts: Vec<u32>,
    total: usize,
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
        let counts = vec![0; facets.names.len()];
        Ok(SegmentCounts {
            facets,
            counts,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<SegmentCounts>) -> tantivy::Result<(usize, Facets)> {
        let mut total = 0;
        let mut merged: Vec<FxHashMap<&str, u64>> = vec![FxHashMap::default(); FIELDS.len()];
        for segment in &segments {
            total += segment.total;
            let firsts = segment.facets.firsts;
            for (f, m) in merged.iter_mut().enumerate() {
                let values = firsts[f]..firsts[f + 1];
                let names = &segment.facets.names[values.clone()];
                for (name, &n) in names.iter().zip(&segment.counts[values]) {
                    if n > 0 {
                        *m.entry(name.as_str()).or_default() += u64::from(n);
                    }
                }
            }
        }
        let mut lists = merged.into_iter();
        let mut next = |top| most_first(lists.next().unwrap_or_default(), top);
        let crisis_type = next(usize::MAX);
        let chapter = next(usize::MAX);
        let mut year = next(usize::MAX);
        year.sort_by(|a, b| b.value.cmp(&a.value));
        let tag = next(self.top_tags);
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

/// The `top` largest counts, most frequent first, ties by value. Only those are sorted:
/// a frequent word's cases have thousands of different tags.
fn most_first(counts: FxHashMap<&str, u64>, top: usize) -> Vec<FacetCount> {
    let mut found: Vec<(&str, u64)> = counts.into_iter().collect();
    let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if found.len() > top {
        found.select_nth_unstable_by(top, order);
        found.truncate(top);
    }
    found.sort_unstable_by(order);
    found
        .into_iter()
        .map(|(value, count)| FacetCount {
            value: value.to_string(),
            count,
            label: None,
        })
        .collect()
}

impl SegmentCollector for SegmentCounts {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        for &value in self.facets.values(doc) {
            if let Some(n) = self.counts.get_mut(value as usize) {
                *n += 1;
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        self
    }
}
