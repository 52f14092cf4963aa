//! The knowledge-base folder: where cases live, how a file's id is derived, the taxonomy
//! of chapters and crisis types, and the hidden folder for derived state.
//!
//! **Invariant:** everything under [`Kb::state_dir`] can be deleted at any time; the
//! Markdown files are the truth.

use crate::i18n::Message;
use crate::msg;
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::text::fold_key;

/// Name of the hidden folder that holds the index and other derived state.
pub const STATE_DIR: &str = ".casebook";
/// Name of the folder of anticipated (recurring) crises, which are not cases.
pub const RECURRING_DIR: &str = "recurring";
/// Name of the folder where a knowledge base may keep its own `case.md` template.
pub const TEMPLATES_DIR: &str = "templates";
/// The largest file casebook reads from a knowledge base. A case is a few kilobytes of
/// text; a bigger file is an attachment in the wrong place, and every load and every view
/// of its page would read all of it.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A chapter of the notebook of mistakes or a crisis type: an id and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Stable id used in files and URLs, e.g. `contracts`.
    pub id: String,
    /// Persian label.
    pub fa: String,
    /// English label.
    pub en: String,
}

impl Label {
    fn new(id: &str, fa: &str, en: &str) -> Self {
        Label {
            id: id.into(),
            fa: fa.into(),
            en: en.into(),
        }
    }

    /// The label in a language (`fa` or anything else for English).
    pub fn in_lang(&self, lang: &str) -> &str {
        if lang == "fa" {
            &self.fa
        } else {
            &self.en
        }
    }

    fn matches(&self, key: &str) -> bool {
        [&self.id, &self.fa, &self.en]
            .iter()
            .any(|l| fold_key(l) == key)
    }
}

/// The taxonomy of a knowledge base, from `casebook.toml` / `casebook.yaml` or built in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    /// The chapters of the notebook of mistakes.
    #[serde(default = "default_chapters")]
    pub chapters: Vec<Label>,
    /// The kinds of crisis.
    #[serde(default = "default_crisis_types")]
    pub crisis_types: Vec<Label>,
    /// Interface language when the browser does not say (`fa` or `en`).
    #[serde(default = "default_lang")]
    pub default_lang: String,
    /// Where `casebook digest --send` mails the digest (`[mail]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<MailSettings>,
}

/// The `[mail]` table of `casebook.toml`: an SMTP server and the digest's recipients. The
/// password is never in the file: it is read from `CASEBOOK_SMTP_PASSWORD`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server's host name.
    pub server: String,
    /// Its port; default 587 with STARTTLS, 465 with TLS, 25 without.
    pub port: Option<u16>,
    /// `starttls` (default), `tls`, or `none` (only for a server on this machine).
    #[serde(default = "default_tls")]
    pub tls: String,
    /// The user to log in as, if the server asks for one; the password is in the
    /// environment variable `CASEBOOK_SMTP_PASSWORD` (never a file, and never another
    /// variable: this file arrives by git).
    pub user: Option<String>,
    /// The sender, `Casebook <cases@example.org>`.
    pub from: String,
    /// The recipients.
    pub to: Vec<String>,
}

fn default_tls() -> String {
    "starttls".into()
}

fn default_lang() -> String {
    "fa".into()
}

fn default_chapters() -> Vec<Label> {
    vec![
        Label::new("contracts", "قراردادها", "Contracts"),
        Label::new("suppliers", "تأمین‌کنندگان", "Suppliers"),
        Label::new("staff", "استخدام و کارکنان", "Hiring and staff"),
        Label::new("finance", "مالی و نقدینگی", "Finance and cash"),
        Label::new("it", "فناوری اطلاعات و زیرساخت", "IT and infrastructure"),
        Label::new(
            "communication",
            "ارتباطات و رسانه",
            "Communication and media",
        ),
        Label::new("customers", "مشتریان و خدمات", "Customers and service"),
        Label::new("legal", "حقوقی و دولتی", "Legal and government"),
    ]
}

fn default_crisis_types() -> Vec<Label> {
    vec![
        Label::new("currency", "نوسان ارز", "Currency shock"),
        Label::new("internet-outage", "قطعی اینترنت", "Internet outage"),
        Label::new("platform-outage", "اختلال پلتفرم", "Platform outage"),
        Label::new("supply", "تأمین و زنجیره عرضه", "Supply"),
        Label::new("legal", "حقوقی", "Legal"),
        Label::new("reputation", "اعتبار و رسانه", "Reputation"),
        Label::new("seasonal-peak", "اوج فصلی", "Seasonal peak"),
        Label::new("natural-disaster", "بلای طبیعی", "Natural disaster"),
        Label::new("internal", "درون‌سازمانی", "Internal"),
        Label::new(
            "product",
            "ایمنی و کیفیت محصول",
            "Product safety and quality",
        ),
        Label::new("technical", "فنی", "Technical failure"),
    ]
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy {
            chapters: default_chapters(),
            crisis_types: default_crisis_types(),
            default_lang: default_lang(),
            mail: None,
        }
    }
}

impl Taxonomy {
    /// Finds a chapter by id or by any of its labels, after Persian normalisation.
    pub fn chapter(&self, text: &str) -> Option<&Label> {
        find_label(&self.chapters, text)
    }

    /// Finds a crisis type by id or by any of its labels, after Persian normalisation.
    pub fn crisis_type(&self, text: &str) -> Option<&Label> {
        find_label(&self.crisis_types, text)
    }
}

/// The label whose id is `text`, else the one whose id or label folds to the same key.
/// Pages look up ids by the dozen (every hit, every facet value): those need no folding.
fn find_label<'a>(labels: &'a [Label], text: &str) -> Option<&'a Label> {
    if let Some(found) = labels.iter().find(|l| l.id == text) {
        return Some(found);
    }
    let key = fold_key(text);
    labels.iter().find(|l| l.matches(&key))
}

/// Why the knowledge base itself could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// The folder does not exist or is not a folder.
    #[error("{0}: not a folder. Point --kb (or CASEBOOK_KB) at the folder of your cases")]
    NotAFolder(PathBuf),
    /// The taxonomy file could not be read or parsed.
    #[error("{path}: {message}")]
    Config {
        /// The config file.
        path: PathBuf,
        /// What went wrong, with its line when known.
        message: String,
    },
    /// The hidden state folder (or a folder in it) is a symbolic link: writing the index
    /// there would write wherever the link points.
    #[error(
        "{0}: is a symbolic link. casebook writes its index here and never follows a link \
         out of the knowledge base; delete the link (the folder is rebuilt on its own)"
    )]
    LinkedState(PathBuf),
    /// An I/O error with the path it happened on.
    #[error("{path}: {source}")]
    Io {
        /// Where it happened.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// An opened knowledge-base folder.
#[derive(Debug, Clone)]
pub struct Kb {
    root: PathBuf,
    /// The root with every link resolved: a file read from the knowledge base must be
    /// below it.
    real_root: PathBuf,
    /// The chapters and crisis types of this knowledge base.
    pub taxonomy: Taxonomy,
}

impl Kb {
    /// Opens a folder: checks it exists and reads its taxonomy (or the built-in one).
    pub fn open(root: impl AsRef<Path>) -> Result<Kb, KbError> {
        let root = root.as_ref().to_path_buf();
        if !root.is_dir() {
            return Err(KbError::NotAFolder(root));
        }
        let real_root = root.canonicalize().map_err(|source| KbError::Io {
            path: root.clone(),
            source,
        })?;
        let taxonomy = read_taxonomy(&root, &real_root)?;
        Ok(Kb {
            root,
            real_root,
            taxonomy,
        })
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The hidden folder for the index and other derived state, created on demand with a
    /// `.gitignore` that keeps it out of git.
    /// Refuses a state folder that is a symbolic link.
    pub fn state_dir(&self) -> Result<PathBuf, KbError> {
        let dir = self.root.join(STATE_DIR);
        let io = |source| KbError::Io {
            path: dir.clone(),
            source,
        };
        refuse_link(&self.root, &dir)?;
        fs::create_dir_all(&dir).map_err(io)?;
        // Created only where nothing is, not even a link (O_EXCL follows none).
        let ignore = dir.join(".gitignore");
        let created = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&ignore);
        match created {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(
                    b"# Derived state: safe to delete, rebuilt from the case files.\n*\n",
                )
                .map_err(io)?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io(e)),
        }
        Ok(dir)
    }

    /// A folder inside the state folder (`index`, `tmp`), created on demand; refused when it
    /// or the state folder is a symbolic link.
    pub fn state_subdir(&self, name: &str) -> Result<PathBuf, KbError> {
        let dir = self.state_dir()?.join(name);
        refuse_link(&self.root, &dir)?;
        fs::create_dir_all(&dir).map_err(|source| KbError::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }

    /// Every case file (`*.md`) below the root, sorted, skipping hidden entries and the
    /// `recurring/` and `templates/` folders. Paths are relative to the root.
    pub fn case_files(&self) -> Vec<PathBuf> {
        self.list_cases().cases
    }

    /// The case files, and the symbolic links that casebook leaves alone where a case or
    /// a folder of cases could be (links named `*.md`, links to folders), in one walk.
    /// The links are reported by the loader, so that no case vanishes unsaid.
    pub fn list_cases(&self) -> Listing {
        let mut listing = Listing::default();
        for e in self.walk() {
            let Some(rel) = self.relative(e.path()) else {
                continue;
            };
            let is_md = rel.extension().is_some_and(|x| x == "md");
            if e.path_is_symlink() {
                if is_md || fs::metadata(e.path()).is_ok_and(|m| m.is_dir()) {
                    listing.links.push(rel);
                }
            } else if e.file_type().is_file() && is_md && is_case_path(&rel) {
                listing.cases.push(rel);
            }
        }
        listing.cases.sort();
        listing.links.sort();
        listing
    }

    /// Every anticipated-crisis file (`recurring/**/*.md`), relative to the root.
    pub fn recurring_files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = self
            .walk()
            .filter(|e| e.file_type().is_file())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| self.relative(e.path()))
            .filter(|rel| rel.starts_with(RECURRING_DIR))
            .collect();
        files.sort();
        files
    }

    /// Every entry below the root, hidden ones skipped, links not followed: a link could
    /// lead out of the knowledge base (`x.md -> /etc/passwd`) or round in a loop.
    fn walk(&self) -> impl Iterator<Item = walkdir::DirEntry> + '_ {
        WalkDir::new(&self.root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
    }

    fn relative(&self, path: &Path) -> Option<PathBuf> {
        path.strip_prefix(&self.root).ok().map(Path::to_path_buf)
    }

    /// Reads a file of the knowledge base (`rel` relative to the root), refusing anything
    /// that would read outside it or without bound: a path that climbs out (`..`), a
    /// symbolic link (even one swapped in after the folder was listed), a folder on the
    /// way that leads elsewhere, a file that is not a regular file, a file over
    /// [`MAX_FILE_BYTES`].
    pub fn read(&self, rel: &Path) -> Result<Vec<u8>, ReadError> {
        read_below(&self.real_root, &self.root, rel)
    }

    /// The absolute path of a file given relative to the root.
    pub fn absolute(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }
}

/// What [`Kb::list_cases`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// The case files, sorted, relative to the root.
    pub cases: Vec<PathBuf>,
    /// Symbolic links left alone, sorted, relative to the root.
    pub links: Vec<PathBuf>,
}

/// Whether a Markdown file at `rel` is a case: not an anticipated crisis, not a template,
/// not the knowledge base's own `README.md` at the top (what `casebook init` writes for
/// the team).
pub fn is_case_path(rel: &Path) -> bool {
    !rel.starts_with(RECURRING_DIR)
        && !rel.starts_with(TEMPLATES_DIR)
        && !rel.as_os_str().eq_ignore_ascii_case("README.md")
}

/// The id of a case: its path relative to the root, without `.md`, with `/` separators.
pub fn case_id(rel: &Path) -> String {
    let without_ext = rel.with_extension("");
    without_ext
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Why a file of the knowledge base was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path leaves the knowledge base, by `..`, an absolute path or a linked folder.
    #[error(
        "the path leads outside the knowledge base folder; casebook reads only files inside it"
    )]
    Outside,
    /// The file is a symbolic link.
    #[error(
        "a symbolic link: casebook does not follow links, which could lead outside the \
         knowledge base. Replace the link with the file itself"
    )]
    Link,
    /// Not a regular file (a folder, a pipe, a device).
    #[error("not a regular file")]
    NotAFile,
    /// Over the limit ([`MAX_FILE_BYTES`] for the files of a knowledge base).
    #[error(
        "the file is {size} bytes, over the limit of {limit} bytes for a file in a \
         knowledge base. Keep attachments outside the case folder and link to them"
    )]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The operating system's error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    /// The error in either language, for diagnostics.
    pub fn message(&self) -> Message {
        match self {
            ReadError::Outside => msg!("read-error-outside"),
            ReadError::Link => msg!("read-error-link"),
            ReadError::NotAFile => msg!("read-error-not-a-file"),
            ReadError::TooLarge { size, limit } => msg!(
                "read-error-too-large",
                size = usize::try_from(*size).unwrap_or(usize::MAX),
                limit = usize::try_from(*limit).unwrap_or(usize::MAX)
            ),
            ReadError::Io(e) => Message::verbatim(e.to_string()),
        }
    }

    /// Whether the file was simply not there.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// See [`Kb::read`]. `real_root` is `root` canonicalised.
fn read_below(real_root: &Path, root: &Path, rel: &Path) -> Result<Vec<u8>, ReadError> {
    if rel.as_os_str().is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(ReadError::Outside);
    }
    let path = root.join(rel);
    let file = open_no_follow(&path)?;
    if !real_path_of(&file, &path)?.starts_with(real_root) {
        return Err(ReadError::Outside);
    }
    read_bounded(file, MAX_FILE_BYTES)
}

/// Reads a regular file of casebook's own state (the index manifest, tantivy's list of
/// files) without following a link in its last component, without blocking on a pipe and
/// without reading more than `limit` bytes: its folder is checked not to be a link, but
/// the files in it can arrive by `git pull` like any other.
pub fn read_state_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_bounded(open_no_follow(path)?, limit)
}

/// The whole of an open regular file of at most `limit` bytes.
fn read_bounded(file: fs::File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size was checked on the open file; a file growing meanwhile still stops here.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// Opens a file for reading without following a link in its last component, and without
/// blocking on a pipe someone put there.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<fs::File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => ReadError::Link,
            _ => ReadError::Io(e),
        })
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<fs::File, ReadError> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(ReadError::Link);
    }
    Ok(fs::File::open(path)?)
}

/// Where an open file really is: what the kernel says of the open descriptor (so that a
/// folder swapped for a link between listing and opening is caught), else the path with
/// its links resolved.
fn real_path_of(file: &fs::File, path: &Path) -> std::io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return Ok(real);
        }
    }
    let _ = file;
    path.canonicalize()
}

/// Refuses a path that exists as a symbolic link.
fn refuse_link(root: &Path, path: &Path) -> Result<(), KbError> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            let shown = path.strip_prefix(root).unwrap_or(path);
            Err(KbError::LinkedState(shown.to_path_buf()))
        }
        _ => Ok(()),
    }
}

fn read_taxonomy(root: &Path, real_root: &Path) -> Result<Taxonomy, KbError> {
    for name in ["casebook.toml", "casebook.yaml", "casebook.yml"] {
        let path = root.join(name);
        if fs::symlink_metadata(&path).is_err() {
            continue;
        }
        let text = read_below(real_root, root, Path::new(name))
            .map_err(|e| KbError::Config {
                path: path.clone(),
                message: e.to_string(),
            })
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| KbError::Config {
                    path: path.clone(),
                    message: "not UTF-8: save it as UTF-8".into(),
                })
            })?;
        let parsed = if name.ends_with(".toml") {
            toml::from_str::<Taxonomy>(&text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| text[..s.start].lines().count().max(1))
                    .unwrap_or(1);
                format!("line {line}: {}", e.message())
            })
        } else {
            crate::yaml::parse(&text)
                .and_then(serde_yaml::from_value::<Taxonomy>)
                .map_err(|e| {
                    let line = e.location().map(|l| l.line()).unwrap_or(1);
                    format!("line {line}: {e}")
                })
        };
        return parsed.map_err(|message| KbError::Config { path, message });
    }
    Ok(Taxonomy::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_in_any_spelling() {
        let t = Taxonomy::default();
        assert_eq!(t.chapter("contracts").unwrap().id, "contracts");
        assert_eq!(t.chapter("قراردادها").unwrap().id, "contracts");
        assert_eq!(t.chapter("قرارداد‌ها").unwrap().id, "contracts");
        assert_eq!(t.chapter("تامين كنندگان").unwrap().id, "suppliers");
        assert_eq!(
            t.crisis_type("Internet Outage").unwrap().id,
            "internet-outage"
        );
        assert_eq!(t.crisis_type("قطعي اينترنت").unwrap().id, "internet-outage");
        assert!(t.chapter("weather").is_none());
    }

    #[test]
    fn ids_are_relative_paths_without_extension() {
        assert_eq!(
            case_id(Path::new("2012/dollar-jump.md")),
            "2012/dollar-jump"
        );
    }
}
