//! The knowledge-base folder: where cases live, how a file's id is derived, the taxonomy
//! of chapters and crisis types, and the hidden folder for derived state.
//!
//! **Invariant:** everything under [`Kb::state_dir`] can be deleted at any time; the
//! Markdown files are the truth.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::text::fold_key;

/// Name of the hidden folder that holds the index and other derived state.
pub const STATE_DIR: &str = ".casebook";
/// Name of the folder of anticipated (recurring) crises, which are not cases.
pub const RECURRING_DIR: &str = "recurring";
/// Name of the folder where a knowledge base may keep its own `case.md` template.
pub const TEMPLATES_DIR: &str = "templates";

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
        let taxonomy = read_taxonomy(&root)?;
        Ok(Kb { root, taxonomy })
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The hidden folder for the index and other derived state, created on demand with a
    /// `.gitignore` that keeps it out of git.
    pub fn state_dir(&self) -> Result<PathBuf, KbError> {
        let dir = self.root.join(STATE_DIR);
        let io = |source| KbError::Io {
            path: dir.clone(),
            source,
        };
        fs::create_dir_all(&dir).map_err(io)?;
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            fs::write(
                &ignore,
                "# Derived state: safe to delete, rebuilt from the case files.\n*\n",
            )
            .map_err(io)?;
        }
        Ok(dir)
    }

    /// Every case file (`*.md`) below the root, sorted, skipping hidden entries and the
    /// `recurring/` and `templates/` folders. Paths are relative to the root.
    pub fn case_files(&self) -> Vec<PathBuf> {
        self.markdown_files(|rel| {
            !rel.starts_with(RECURRING_DIR) && !rel.starts_with(TEMPLATES_DIR)
        })
    }

    /// Every anticipated-crisis file (`recurring/**/*.md`), relative to the root.
    pub fn recurring_files(&self) -> Vec<PathBuf> {
        self.markdown_files(|rel| rel.starts_with(RECURRING_DIR))
    }

    fn markdown_files(&self, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = WalkDir::new(&self.root)
            .follow_links(true)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&self.root)
                    .ok()
                    .map(Path::to_path_buf)
            })
            .filter(|rel| keep(rel))
            .collect();
        files.sort();
        files
    }

    /// The absolute path of a file given relative to the root.
    pub fn absolute(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }
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

fn read_taxonomy(root: &Path) -> Result<Taxonomy, KbError> {
    for name in ["casebook.toml", "casebook.yaml", "casebook.yml"] {
        let path = root.join(name);
        if !path.exists() {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|source| KbError::Io {
            path: path.clone(),
            source,
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
            serde_yaml::from_str::<Taxonomy>(&text).map_err(|e| {
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
