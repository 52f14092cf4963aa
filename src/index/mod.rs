//! The search index: a tantivy index in the knowledge base's hidden folder, derived from
//! the case files and kept up to date incrementally.
//!
//! **Invariant:** deleting `<kb>/.casebook/` is always safe. An index that is missing,
//! damaged, of another schema or out of step with its manifest is rebuilt from the files.
//! One [`Index`] per process holds one reader, reloaded (never reopened) after commits;
//! each search takes a fresh searcher.

pub mod analyzer;
mod build;
pub mod facets;
mod manifest;
pub mod plain;
pub mod schema;
mod synonyms;

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::query::QueryParser;
use tantivy::{IndexReader, ReloadPolicy};

use build::Target;
pub use build::{path_key, writer_size, RefreshStats, Source};
use manifest::Manifest;
use schema::Fields;

use crate::kb::{Kb, KbError, Taxonomy};
use facets::FacetCache;
pub use synonyms::Synonyms;

/// Why the index could not be opened or updated.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The hidden state folder could not be created.
    #[error(transparent)]
    Kb(#[from] KbError),
    /// An I/O error with the path it happened on.
    #[error("{path}: {source}")]
    Io {
        /// Where it happened.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The index folder was changed under the running process into something unsafe to
    /// write (see `check_index_folder`); the next start rebuilds it.
    #[error("search index: {0}")]
    Unsound(String),
    /// Another process is writing the index right now.
    #[error("another casebook process is updating the search index; try again in a moment")]
    Busy,
    /// tantivy failed in a way a rebuild did not fix.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Reports the progress of a long build (the CLI shows a progress bar; others ignore it).
pub trait Progress: Sync {
    /// A build of `total` files starts.
    fn start(&self, _total: u64) {}
    /// `done` files are processed.
    fn set(&self, _done: u64) {}
    /// The build is over.
    fn finish(&self) {}
}

/// A [`Progress`] that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// The opened search index of a knowledge base. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Index {
    inner: Arc<Inner>,
}

// The web app shares one `Index` between request handlers.
const _: fn() = || {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Index>();
};

struct Inner {
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    taxonomy: Taxonomy,
    /// The glossary, read again at each refresh (a changed `glossary.toml`).
    synonyms: std::sync::RwLock<Arc<Synonyms>>,
    parser: QueryParser,
    facet_cache: FacetCache,
    manifest: Mutex<Manifest>,
    manifest_path: PathBuf,
    lock_path: PathBuf,
    dir: PathBuf,
    opened: RefreshStats,
}

/// The glossary of `kb` analysed for queries; a broken `glossary.toml` is reported by
/// `check` and leaves the built-in glossary and the taxonomy in force.
fn load_synonyms(kb: &Kb) -> Synonyms {
    Synonyms::new(&crate::glossary::Glossary::load(kb).0)
}

impl Index {
    /// Opens the index in `kb.state_dir()`, rebuilding/refreshing from the files as needed.
    pub fn open(kb: &Kb) -> Result<Index, IndexError> {
        Index::open_with(kb, false, &NoProgress)
    }

    /// Opens the index like [`Index::open`]; `rebuild` starts over from the files.
    /// [`Index::opened`] then says what the opening refresh did.
    pub fn open_with(kb: &Kb, rebuild: bool, progress: &dyn Progress) -> Result<Index, IndexError> {
        let source = Source { kb, parsed: None };
        Index::open_from(source, rebuild, progress)
    }

    /// Opens the index like [`Index::open_with`], taking the cases of files that `source`'s
    /// load just parsed from it rather than parsing them again.
    pub fn open_from(
        source: Source<'_>,
        rebuild: bool,
        progress: &dyn Progress,
    ) -> Result<Index, IndexError> {
        let kb = source.kb;
        let state = kb.state_dir()?;
        let dir = kb.state_subdir("index")?;
        let manifest_path = state.join("index-manifest.tsv");
        let lock_path = state.join("index.lock");
        let lock = WriteLock::acquire(&lock_path)?;
        // Only the holder of the lock may delete and rebuild; without it, the index the
        // other process keeps up to date is opened as it is.
        let (index, manifest, reason) = match (&lock, rebuild) {
            (Some(_), true) => fresh(&dir, "rebuild requested".to_string())?,
            (Some(_), false) => match existing(&dir, &manifest_path) {
                Ok((index, manifest)) => (index, manifest, None),
                Err(reason) => fresh(&dir, reason)?,
            },
            (None, true) => return Err(IndexError::Busy),
            (None, false) => {
                let (index, manifest) =
                    existing(&dir, &manifest_path).map_err(|_| IndexError::Busy)?;
                (index, manifest, None)
            }
        };
        let (schema, fields) = Fields::build();
        debug_assert_eq!(index.schema(), schema);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let searched = schema::searched_fields(&fields);
        let mut parser =
            QueryParser::for_index(&index, searched.iter().map(|(field, _)| *field).collect());
        for (field, boost) in searched {
            parser.set_field_boost(field, boost);
        }
        let mut inner = Inner {
            index,
            reader,
            fields,
            taxonomy: kb.taxonomy.clone(),
            synonyms: std::sync::RwLock::new(Arc::new(load_synonyms(kb))),
            parser,
            facet_cache: FacetCache::default(),
            manifest: Mutex::new(manifest),
            manifest_path,
            lock_path,
            dir: dir.clone(),
            opened: RefreshStats::default(),
        };
        let mut stats = match &lock {
            Some(_) => inner.update(source, reason.is_some(), progress)?,
            None => RefreshStats {
                warning: Some(IndexError::Busy.to_string()),
                ..RefreshStats::default()
            },
        };
        drop(lock);
        stats.rebuilt = reason;
        inner.opened = stats;
        Ok(Index {
            inner: Arc::new(inner),
        })
    }

    /// What opening the index did: built, rebuilt (and why), refreshed, or nothing.
    pub fn opened(&self) -> &RefreshStats {
        &self.inner.opened
    }

    /// Brings it up to date with the files (incremental); returns what changed.
    pub fn refresh(&self, kb: &Kb) -> Result<RefreshStats, IndexError> {
        self.refresh_with(kb, &NoProgress)
    }

    /// [`Index::refresh`] with a progress report.
    pub fn refresh_with(
        &self,
        kb: &Kb,
        progress: &dyn Progress,
    ) -> Result<RefreshStats, IndexError> {
        self.refresh_from(Source { kb, parsed: None }, progress)
    }

    /// [`Index::refresh`], taking the cases of files that `source`'s load just parsed from
    /// it rather than parsing them again.
    pub fn refresh_from(
        &self,
        source: Source<'_>,
        progress: &dyn Progress,
    ) -> Result<RefreshStats, IndexError> {
        let Some(_lock) = WriteLock::acquire(&self.inner.lock_path)? else {
            return Err(IndexError::Busy);
        };
        check_index_folder(&self.inner.dir).map_err(IndexError::Unsound)?;
        let synonyms = Arc::new(load_synonyms(source.kb));
        *self
            .inner
            .synonyms
            .write()
            .unwrap_or_else(|p| p.into_inner()) = synonyms;
        self.inner.update(source, false, progress)
    }

    /// Builds now what the first search would otherwise build on its way (the facet
    /// arrays of every segment): a server warms its index before its first request and
    /// after a reload, so that no search waits for them.
    pub fn warm(&self) -> Result<(), IndexError> {
        let searcher = self.inner.reader.searcher();
        Ok(self.inner.facet_cache.warm(&searcher)?)
    }

    /// The number of searchable cases.
    pub fn num_cases(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub(crate) fn reader(&self) -> &IndexReader {
        &self.inner.reader
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.inner.fields
    }

    pub(crate) fn taxonomy(&self) -> &Taxonomy {
        &self.inner.taxonomy
    }

    /// The glossary's forms, analysed (see [`Synonyms`]).
    pub(crate) fn synonyms(&self) -> Arc<Synonyms> {
        self.inner
            .synonyms
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub(crate) fn facet_cache(&self) -> &FacetCache {
        &self.inner.facet_cache
    }

    /// The parser of users' queries: plain words search every full-text field with its boost, prefixes one field.
    pub(crate) fn parser(&self) -> &QueryParser {
        &self.inner.parser
    }
}

impl Inner {
    fn update(
        &self,
        source: Source<'_>,
        fresh: bool,
        progress: &dyn Progress,
    ) -> Result<RefreshStats, IndexError> {
        let mut manifest = self.manifest.lock().map_err(|_| IndexError::Busy)?;
        let target = Target {
            index: &self.index,
            fields: &self.fields,
        };
        let stats = build::update(
            &target,
            source,
            &mut manifest,
            &self.manifest_path,
            fresh,
            progress,
        )?;
        if stats.changed() {
            self.reader.reload()?;
        }
        Ok(stats)
    }
}

/// Opens an existing index and its manifest, or says why it cannot be used.
fn existing(dir: &Path, manifest_path: &Path) -> Result<(tantivy::Index, Manifest), String> {
    if !dir.join("meta.json").exists() {
        return Err("no index yet".into());
    }
    check_index_folder(dir)?;
    let index = tantivy::Index::open_in_dir(dir).map_err(|e| format!("unreadable index ({e})"))?;
    let (schema, _) = Fields::build();
    if index.schema() != schema {
        return Err("index of an older schema".into());
    }
    let metas = index
        .load_metas()
        .map_err(|e| format!("unreadable index ({e})"))?;
    let payload = metas.payload.as_deref();
    let manifest = Manifest::read(manifest_path).ok_or("manifest missing or of an older schema")?;
    let manifest = if payload == Some(manifest.payload().as_str()) {
        manifest
    } else {
        // Stopped between the index's commit and the manifest's rename: the pending
        // manifest is the one that commit made true.
        let pending = build::pending_manifest(manifest_path);
        match Manifest::read(&pending).filter(|m| payload == Some(m.payload().as_str())) {
            Some(next) => {
                fs::rename(&pending, manifest_path).map_err(|e| format!("manifest ({e})"))?;
                next
            }
            None => return Err("index and manifest out of step (interrupted update?)".into()),
        }
    };
    register_analyzers(&index);
    // Opening the segments catches missing or truncated files now rather than mid-search.
    index.reader().map_err(|e| format!("damaged index ({e})"))?;
    Ok((index, manifest))
}

/// tantivy deletes the files its `.managed.json` lists once they are unused, and follows a
/// link in the index folder like any path. Both may arrive by `git pull` (a `.casebook/`
/// committed by force) or by hand: an index folder holding a link, or whose list names
/// anything but a file of its own, is not opened but rebuilt (which deletes the links,
/// not what they point at).
fn check_index_folder(dir: &Path) -> Result<(), String> {
    let unsound = |what: &str| Err(format!("the index folder {what}; it is rebuilt"));
    let entries = fs::read_dir(dir).map_err(|e| format!("unreadable index folder ({e})"))?;
    for entry in entries.flatten() {
        if entry.file_type().map_or(true, |t| !t.is_file()) {
            return unsound("holds a link or a folder");
        }
    }
    const MAX_MANAGED_BYTES: u64 = 16 * 1024 * 1024;
    let managed = match crate::kb::read_state_file(&dir.join(".managed.json"), MAX_MANAGED_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.is_not_found() => return Ok(()),
        Err(_) => return unsound("has an unreadable list of files"),
    };
    let Ok(names) = serde_json::from_slice::<Vec<String>>(&managed) else {
        return unsound("has an unreadable list of files");
    };
    let own_file = |name: &String| {
        !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
    };
    if names.iter().all(own_file) {
        Ok(())
    } else {
        unsound("lists files outside it")
    }
}

/// Deletes whatever is in `dir` and creates an empty index there.
fn fresh(
    dir: &Path,
    reason: String,
) -> Result<(tantivy::Index, Manifest, Option<String>), IndexError> {
    let io = |source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    fs::create_dir_all(dir).map_err(io)?;
    let (schema, _) = Fields::build();
    // Small store blocks: showing a hit decompresses one block, and most blocks then
    // hold a case or two instead of four or five.
    let settings = tantivy::IndexSettings {
        docstore_blocksize: 4096,
        ..tantivy::IndexSettings::default()
    };
    let index = tantivy::Index::builder()
        .schema(schema)
        .settings(settings)
        .create_in_dir(dir)?;
    register_analyzers(&index);
    Ok((index, Manifest::default(), Some(reason)))
}

/// Registers the text analyzer, the one analysis of documents and queries.
pub(crate) fn register_analyzers(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(analyzer::ANALYZER_NAME, analyzer::text_analyzer());
}

/// An advisory lock on `<state>/index.lock`, held while the index is written. The OS
/// releases it when the process dies, so a crashed process never leaves it locked.
struct WriteLock(File);

impl WriteLock {
    /// Takes the lock, waiting up to a few seconds; `None` if another process keeps it.
    fn acquire(path: &Path) -> Result<Option<WriteLock>, IndexError> {
        let io = |source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        };
        // Not through a link, not blocking on a pipe put there: whatever is in the way
        // that is not a regular file is ours to replace (the state folder is derived).
        let file = match open_lock_file(path) {
            Ok(file) if file.metadata().is_ok_and(|m| m.is_file()) => file,
            _ => {
                fs::remove_file(path).map_err(io)?;
                open_lock_file(path).map_err(io)?
            }
        };
        for _ in 0..50 {
            match file.try_lock() {
                Ok(()) => return Ok(Some(WriteLock(file))),
                Err(std::fs::TryLockError::WouldBlock) => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::Error(source)) => {
                    return Err(IndexError::Io {
                        path: path.to_path_buf(),
                        source,
                    })
                }
            }
        }
        Ok(None)
    }
}

/// Opens (or creates) the lock file without following a link or blocking on a pipe.
fn open_lock_file(path: &Path) -> std::io::Result<File> {
    let mut options = File::options();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    options.open(path)
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}
