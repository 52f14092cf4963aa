//! Bringing the index up to date with the files: compare each file's size and mtime with
//! the manifest, re-read only the ones that differ, and re-index only those whose content
//! hash changed, plus deletions for files that are gone.
//!
//! Reading, hashing and parsing run on every core; tantivy's writer threads index.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::manifest::{ns, Entry, Manifest};
use super::schema::Fields;
use super::{IndexError, Progress};
use crate::case::{content_hash, Case, Loaded};
use crate::kb::Kb;

/// Files whose mtime is this close to the manifest's writing are re-hashed even if their
/// mtime and size look unchanged (a write in the same clock tick would otherwise be missed).
const RACY_NS: u128 = 2_000_000_000;

/// What a refresh did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshStats {
    /// Files indexed for the first time.
    pub added: usize,
    /// Files whose content changed and were re-indexed.
    pub updated: usize,
    /// Files gone from the folder, removed from the index.
    pub removed: usize,
    /// Files left alone.
    pub unchanged: usize,
    /// Files that have errors and are therefore not searchable (see `casebook check`).
    pub with_errors: usize,
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
    /// A problem that did not stop the search (e.g. another process holds the writer).
    pub warning: Option<String>,
    /// Wall time in milliseconds.
    pub millis: u128,
}

impl RefreshStats {
    /// Whether the index changed.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// A file that may have changed since it was indexed.
struct Candidate {
    rel: PathBuf,
    key: String,
    mtime_ns: u128,
    size: u64,
}

/// The result of comparing the folder with the manifest.
struct Scan {
    candidates: Vec<Candidate>,
    removed: Vec<String>,
    unchanged: usize,
}

/// The `/`-separated key of a relative path.
pub fn path_key(rel: &std::path::Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn scan(kb: &Kb, manifest: &Manifest) -> Scan {
    let mut candidates = Vec::new();
    let mut unchanged = 0;
    let mut known = 0;
    let files = case_files_with_stats(kb);
    let mut keys = Vec::with_capacity(files.len());
    for (rel, mtime_ns, size) in files {
        let key = path_key(&rel);
        let entry = manifest.entries.get(&key);
        known += usize::from(entry.is_some());
        let same = entry.is_some_and(|e| {
            e.mtime_ns == mtime_ns && e.size == size && mtime_ns + RACY_NS < manifest.written_ns
        });
        if same {
            unchanged += 1;
        } else {
            candidates.push(Candidate {
                rel,
                key: key.clone(),
                mtime_ns,
                size,
            });
        }
        keys.push(key);
    }
    // Every manifest entry was found again: nothing was removed (the usual case, so the
    // set of found paths is only built when something is missing).
    let removed = if known == manifest.entries.len() {
        Vec::new()
    } else {
        let found: HashSet<&String> = keys.iter().collect();
        manifest
            .entries
            .keys()
            .filter(|k| !found.contains(k))
            .cloned()
            .collect()
    };
    Scan {
        candidates,
        removed,
        unchanged,
    }
}

/// A found file: relative path, mtime in nanoseconds, size.
type Found = (PathBuf, u128, u64);

/// The files of [`Kb::case_files`] with their mtime and size, unsorted. Each folder is
/// listed once and its files' metadata is read relative to it (`fstatat` on the open
/// folder, no path lookup per file); top-level folders are read on every core. Links are
/// not followed, as [`Kb::case_files`] does not follow them.
fn case_files_with_stats(kb: &Kb) -> Vec<Found> {
    walk_parallel(kb.root()).unwrap_or_else(|| {
        // A worker died: list again on this thread rather than report no files.
        let mut files = Vec::new();
        walk_dir(kb.root(), Path::new(""), &mut files);
        files
    })
}

/// Lists `root`: its case files here, its top-level folders on every core.
fn walk_parallel(root: &Path) -> Option<Vec<Found>> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    list_dir(root, Path::new(""), &mut files, &mut dirs);
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(dirs.len().max(1));
    let parts: Vec<Option<Vec<Found>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(dir) = dirs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        walk_dir(root, dir, &mut found);
                    }
                    found
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    for part in parts {
        files.extend(part?);
    }
    Some(files)
}

/// Every case file under `root/rel`, depth first.
fn walk_dir(root: &Path, rel: &Path, out: &mut Vec<Found>) {
    let mut dirs = Vec::new();
    list_dir(root, rel, out, &mut dirs);
    for dir in dirs {
        walk_dir(root, &dir, out);
    }
}

/// Reads one folder: its `.md` files (with metadata) go to `files`, its sub-folders to
/// `dirs`. Hidden entries are skipped, and so are `recurring/` and `templates/` at the
/// top, as in [`Kb::case_files`], and so are symbolic links. An unreadable folder is
/// skipped like `walkdir` does.
fn list_dir(root: &Path, rel: &Path, files: &mut Vec<Found>, dirs: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(root.join(rel)) else {
        return;
    };
    let top = rel.as_os_str().is_empty();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let child = rel.join(&name);
        if kind.is_dir() {
            if !(top && (name == crate::kb::RECURRING_DIR || name == crate::kb::TEMPLATES_DIR)) {
                dirs.push(child);
            }
        } else if kind.is_file() && child.extension().is_some_and(|x| x == "md") {
            let (mtime_ns, size) = match entry.metadata() {
                Ok(m) => (m.modified().map(ns).unwrap_or(0), m.len()),
                Err(_) => (0, 0),
            };
            files.push((child, mtime_ns, size));
        }
    }
}

/// What happened to one candidate.
enum Outcome {
    /// Same content, new mtime: only the manifest changes.
    Touched(Entry),
    /// Indexed (or recorded as broken) anew.
    Indexed { entry: Entry, existed: bool },
    /// Could not be read: treated as gone.
    Unreadable,
}

/// Everything `update` needs from the index.
pub(super) struct Target<'a> {
    pub index: &'a tantivy::Index,
    pub fields: &'a Fields,
}

/// Brings the index up to date; returns what changed. `fresh` skips deletions on a new
/// index.
pub(super) fn update(
    target: &Target<'_>,
    source: Source<'_>,
    manifest: &mut Manifest,
    manifest_path: &std::path::Path,
    fresh: bool,
    progress: &dyn Progress,
) -> Result<RefreshStats, IndexError> {
    let started = Instant::now();
    let kb = source.kb;
    let scan = scan(kb, manifest);
    let mut stats = RefreshStats {
        unchanged: scan.unchanged,
        with_errors: manifest.entries.values().filter(|e| !e.indexed).count(),
        ..RefreshStats::default()
    };
    if scan.candidates.is_empty() && scan.removed.is_empty() {
        stats.millis = started.elapsed().as_millis();
        return Ok(stats);
    }
    let writer = open_writer(target.index, scan.candidates.len())?;
    let path_term = |key: &str| Term::from_field_text(target.fields.path, key);
    for key in &scan.removed {
        writer.delete_term(path_term(key));
        manifest.entries.remove(key);
        stats.removed += 1;
    }
    progress.start(scan.candidates.len() as u64);
    let outcomes = process_all(
        &Work {
            target,
            kb,
            source,
            manifest,
            writer: &writer,
            fresh,
        },
        &scan.candidates,
        progress,
    );
    progress.finish();
    for (c, outcome) in scan.candidates.iter().zip(outcomes) {
        match outcome {
            Outcome::Touched(entry) => {
                stats.unchanged += 1;
                manifest.entries.insert(c.key.clone(), entry);
            }
            Outcome::Indexed { entry, existed } => {
                if existed {
                    stats.updated += 1;
                } else {
                    stats.added += 1;
                }
                manifest.entries.insert(c.key.clone(), entry);
            }
            Outcome::Unreadable => {
                if manifest.entries.remove(&c.key).is_some() {
                    writer.delete_term(path_term(&c.key));
                    stats.removed += 1;
                }
            }
        }
    }
    stats.with_errors = manifest.entries.values().filter(|e| !e.indexed).count();
    commit(writer, manifest, manifest_path, stats.changed())?;
    stats.millis = started.elapsed().as_millis();
    Ok(stats)
}

/// The writer threads and their whole memory budget for indexing `work` files: every core
/// (up to 4) and 400 MB each for a big build, one thread and 20 MB for a few files. The
/// search bench's floor uses the same.
pub fn writer_size(work: usize) -> (usize, usize) {
    if work > 1000 {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        (threads, threads * 400_000_000)
    } else {
        (1, 20_000_000)
    }
}

fn open_writer(index: &tantivy::Index, work: usize) -> Result<IndexWriter, IndexError> {
    let (threads, budget) = writer_size(work);
    index
        .writer_with_num_threads(threads, budget)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Busy,
            other => IndexError::Tantivy(other),
        })
}

fn commit(
    mut writer: IndexWriter,
    manifest: &mut Manifest,
    manifest_path: &std::path::Path,
    changed: bool,
) -> Result<(), IndexError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { path, source }
    };
    if !changed {
        writer.rollback()?;
        return manifest.write(manifest_path).map_err(io(manifest_path));
    }
    // The manifest of the new commit is written first, beside the current one, and renamed
    // into place after the commit: a process stopped in between (a kill, a power cut)
    // leaves the manifest that matches the index, and the next start adopts it instead of
    // rebuilding everything.
    manifest.generation += 1;
    let pending = pending_manifest(manifest_path);
    manifest.write(&pending).map_err(io(&pending))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&manifest.payload());
    prepared.commit()?;
    fs::rename(&pending, manifest_path).map_err(io(manifest_path))?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// Where the manifest of a commit in progress is written (see [`commit`]).
pub(super) fn pending_manifest(manifest_path: &Path) -> PathBuf {
    manifest_path.with_extension("pending")
}

/// Where the index gets its cases: the files, and the load that read them just before
/// (the web app's snapshot), whose parsed cases it takes instead of parsing a file again.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    /// The knowledge base.
    pub kb: &'a Kb,
    /// A load of the same files, if one was just made.
    pub parsed: Option<&'a Loaded>,
}

impl Source<'_> {
    /// The case in `bytes` (the file at `rel`, hashing to `hash`): the load's, or parsed
    /// here when the load did not see these bytes. `None` for a file with errors.
    fn case(&self, rel: &Path, bytes: &[u8], hash: u64) -> Option<Arc<Case>> {
        match self.parsed.and_then(|loaded| loaded.parsed(rel, hash)) {
            Some(found) => found.cloned(),
            None => Case::parse(rel.to_path_buf(), bytes, &self.kb.taxonomy)
                .case
                .map(Arc::new),
        }
    }
}

/// What indexing one file needs.
struct Work<'a> {
    target: &'a Target<'a>,
    kb: &'a Kb,
    source: Source<'a>,
    manifest: &'a Manifest,
    writer: &'a IndexWriter,
    /// A new index: nothing to delete first.
    fresh: bool,
}

/// Reads, hashes, parses and indexes the candidates on every core.
fn process_all(work: &Work<'_>, candidates: &[Candidate], progress: &dyn Progress) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..candidates.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        for _ in 0..workers.min(candidates.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(c) = candidates.get(i) else { break };
                let outcome = process(work, c);
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(outcome);
                }
                if i.is_multiple_of(64) {
                    progress.set(i as u64);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Unreadable))
        .collect()
}

fn process(work: &Work<'_>, c: &Candidate) -> Outcome {
    let Ok(bytes) = work.kb.read(&c.rel) else {
        return Outcome::Unreadable;
    };
    let hash = content_hash(&bytes);
    let old = work.manifest.entries.get(&c.key);
    let mut entry = Entry {
        mtime_ns: c.mtime_ns,
        size: c.size,
        hash,
        indexed: false,
    };
    if let Some(old) = old.filter(|o| o.hash == hash && o.size == c.size) {
        entry.indexed = old.indexed;
        return Outcome::Touched(entry);
    }
    if !work.fresh && old.is_some_and(|o| o.indexed) {
        let path = Term::from_field_text(work.target.fields.path, &c.key);
        work.writer.delete_term(path);
    }
    if let Some(case) = work.source.case(&c.rel, &bytes, hash) {
        let body = Case::body_of(&bytes);
        let doc: TantivyDocument = work.target.fields.document(&case, &body, &c.key);
        entry.indexed = work.writer.add_document(doc).is_ok();
    }
    Outcome::Indexed {
        entry,
        existed: old.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_walk_finds_what_case_files_finds() {
        let dir = tempfile::tempdir().unwrap();
        for rel in [
            "a.md",
            "sub/b.md",
            "sub/deeper/c.md",
            "recurring/r.md",
            "templates/case.md",
            "sub/recurring/kept.md",
            ".hidden/h.md",
            "sub/.x.md",
            "c.txt",
        ] {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        let kb = Kb::open(dir.path()).unwrap();
        let mut found: Vec<PathBuf> = walk_parallel(kb.root())
            .unwrap()
            .into_iter()
            .map(|(rel, mtime_ns, size)| {
                assert!(mtime_ns > 0 && size == 1, "{rel:?}");
                rel
            })
            .collect();
        found.sort();
        assert_eq!(found, kb.case_files());
        assert_eq!(found.len(), 4);
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_out_of_the_folder_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("linked.md"), "x").unwrap();
        fs::write(dir.path().join("a.md"), "x").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/b.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("more")).unwrap();
        let file = outside.path().join("linked.md");
        std::os::unix::fs::symlink(file, dir.path().join("sub/file.md")).unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let mut found: Vec<PathBuf> = case_files_with_stats(&kb)
            .into_iter()
            .map(|(rel, _, _)| rel)
            .collect();
        found.sort();
        assert_eq!(found, kb.case_files());
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn the_index_takes_a_case_the_load_just_parsed_instead_of_parsing_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\ntitle: As written\ncrisis_type: legal\n---\nThe body.\n";
        fs::write(dir.path().join("a.md"), text).unwrap();
        fs::write(dir.path().join("broken.md"), "---\ntitle: [\n---\n").unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let mut loaded = crate::case::load_all(&kb);
        // Marked, so that a case taken from the load can be told from one parsed again.
        std::sync::Arc::make_mut(&mut loaded.cases[0]).title = "from the load".into();
        let source = Source {
            kb: &kb,
            parsed: Some(&loaded),
        };
        let rel = Path::new("a.md");
        let bytes = kb.read(rel).unwrap();
        let case = source.case(rel, &bytes, content_hash(&bytes)).unwrap();
        assert_eq!(case.title, "from the load");
        // Other bytes than the load saw (the file changed since): parsed.
        let changed = text.replace("As written", "Changed");
        let case = source.case(rel, changed.as_bytes(), content_hash(changed.as_bytes()));
        assert_eq!(case.unwrap().title, "Changed");
        let broken = Path::new("broken.md");
        let bytes = kb.read(broken).unwrap();
        assert!(source.case(broken, &bytes, content_hash(&bytes)).is_none());
    }

    /// A process stopped between the index's commit and the manifest's rename: the next
    /// open adopts the pending manifest instead of rebuilding everything.
    #[test]
    fn a_stop_between_commit_and_manifest_is_recovered_without_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let case = |title: &str| format!("---\ntitle: {title}\ncrisis_type: legal\n---\nbody\n");
        fs::write(dir.path().join("a.md"), case("first")).unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let state = kb.state_dir().unwrap();
        let manifest = state.join("index-manifest.tsv");
        drop(crate::index::Index::open(&kb).unwrap());
        let before = fs::read(&manifest).unwrap();
        fs::write(dir.path().join("b.md"), case("second")).unwrap();
        drop(crate::index::Index::open(&kb).unwrap());
        // What a kill right after the commit leaves: the new manifest still pending.
        fs::rename(&manifest, pending_manifest(&manifest)).unwrap();
        fs::write(&manifest, before).unwrap();
        let index = crate::index::Index::open(&kb).unwrap();
        assert_eq!(index.opened().rebuilt, None, "no rebuild");
        assert_eq!(index.opened().added + index.opened().updated, 0);
        assert_eq!(index.num_cases(), 2);
        assert!(!pending_manifest(&manifest).exists());
    }
}
