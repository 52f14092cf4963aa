//! `casebook init`: a knowledge base ready for a team: `casebook.toml` with the taxonomy in
//! both languages, the shipped calendar of anticipated crises and the Hijri month-start
//! table in `recurring/`, the case template in the team's language, a `.gitignore` for the
//! derived and private folders, a short README, and a git repository with a first commit.
//! Never touches a file that exists.

use std::fmt::Write;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::case::template;
use crate::i18n::Lang;
use crate::kb::{Taxonomy, RECURRING_DIR, TEMPLATES_DIR};

/// The calendar of anticipated crises and the month-start table shipped with casebook, as
/// the bundled knowledge base has them: (file name, text).
pub const SHIPPED_CALENDAR: &[(&str, &str)] = &[
    (
        "corporate-tax-return.md",
        include_str!("../cases/recurring/corporate-tax-return.md"),
    ),
    (
        "eid-al-fitr.md",
        include_str!("../cases/recurring/eid-al-fitr.md"),
    ),
    (
        "esfand-year-end.md",
        include_str!("../cases/recurring/esfand-year-end.md"),
    ),
    (
        "hijri-months.yaml",
        include_str!("../cases/recurring/hijri-months.yaml"),
    ),
    ("nowruz.md", include_str!("../cases/recurring/nowruz.md")),
    (
        "presidential-election.md",
        include_str!("../cases/recurring/presidential-election.md"),
    ),
    ("ramadan.md", include_str!("../cases/recurring/ramadan.md")),
    (
        "school-start.md",
        include_str!("../cases/recurring/school-start.md"),
    ),
    (
        "tasua-ashura.md",
        include_str!("../cases/recurring/tasua-ashura.md"),
    ),
    ("yalda.md", include_str!("../cases/recurring/yalda.md")),
];

/// What `init` did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written, relative to the folder.
    pub created: Vec<PathBuf>,
    /// Files that existed and were left as they were.
    pub kept: Vec<PathBuf>,
    /// What happened with git.
    pub git: GitSetup,
}

/// What `init` did with git.
#[derive(Debug, Default, PartialEq, Eq)]
pub enum GitSetup {
    /// A new repository with a first commit of the files written (its hash).
    Committed(String),
    /// The folder is inside a repository already: the files are left for the team to add.
    InsideRepository,
    /// git is not installed.
    #[default]
    NoGit,
}

/// Why `init` stopped.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file or folder could not be written.
    #[error("{path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// What.
        source: std::io::Error,
    },
    /// git failed.
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
}

/// Makes `dir` (created if missing) a knowledge base for a team writing in `lang`.
pub fn init(dir: &Path, lang: Lang) -> Result<Report, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    for folder in [RECURRING_DIR, TEMPLATES_DIR] {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(io(&path))?;
        real_folder(&path)?;
    }
    let mut files: Vec<(PathBuf, String)> = vec![
        ("casebook.toml".into(), settings(lang)),
        (".gitignore".into(), GITIGNORE.into()),
        ("README.md".into(), readme(lang).into()),
        (
            Path::new(TEMPLATES_DIR).join("case.md"),
            template::built_in(lang).into(),
        ),
    ];
    for (name, text) in SHIPPED_CALENDAR {
        files.push((Path::new(RECURRING_DIR).join(name), (*text).to_string()));
    }
    let mut report = Report::default();
    for (rel, text) in files {
        let path = dir.join(&rel);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes()).map_err(io(&path))?;
                report.created.push(rel);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => report.kept.push(rel),
            Err(e) => return Err(io(&path)(e)),
        }
    }
    // Remember the shipped versions written here, so that `calendar update` can tell an
    // edit; files that were there already are left for `calendar update` to judge.
    let written: Vec<&str> = SHIPPED_CALENDAR
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            report
                .created
                .contains(&Path::new(RECURRING_DIR).join(name))
        })
        .collect();
    if !written.is_empty() {
        let record_path = dir.join(RECURRING_DIR).join(SHIPPED_RECORD);
        let mut record = read_record(&record_path);
        for (name, text) in SHIPPED_CALENDAR.iter().filter(|(n, _)| written.contains(n)) {
            record.insert(name.to_string(), hash(text));
        }
        write_record(&record_path, &record).map_err(io(&record_path))?;
        report
            .created
            .push(Path::new(RECURRING_DIR).join(SHIPPED_RECORD));
    }
    report.git = crate::git::init_with(
        dir,
        &report.created,
        "Start the knowledge base (casebook init)",
    )?;
    Ok(report)
}

/// The `.gitignore`: the derived index and the private accounts stay out of git.
const GITIGNORE: &str =
    "# Derived from the files; rebuilt by casebook whenever needed.\n.casebook/\n\
# Accounts and API tokens of this server: back them up apart, never in git.\n.casebook-private/\n";

/// `casebook.toml` with the built-in taxonomy written out, commented, so a team sees what
/// it can change.
fn settings(lang: Lang) -> String {
    let taxonomy = Taxonomy::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# The settings of this knowledge base. Every key is optional; what is written here\n\
         # replaces casebook's built-in value. Check the file with `casebook check`.\n\n\
         # The language of the web app when the browser does not say, of `casebook new`'s\n\
         # template and of the digest: fa or en.\n\
         default_lang = \"{}\"\n",
        lang.code()
    );
    let _ = writeln!(
        out,
        "# The chapters of the notebook of mistakes: an id used in the files (`chapter:`), and\n\
         # a label in each language. Add, rename or remove chapters here; a case naming an\n\
         # unknown chapter is a warning from `casebook check`."
    );
    for l in &taxonomy.chapters {
        let _ = writeln!(out, "[[chapters]]\n{}", label(l));
    }
    let _ = writeln!(out, "# The kinds of crisis (`crisis_type:` in a case).");
    for l in &taxonomy.crisis_types {
        let _ = writeln!(out, "[[crisis_types]]\n{}", label(l));
    }
    let _ = writeln!(
        out,
        "# Mailing the monthly digest (`casebook digest --send`); see docs/digest.md.\n\
         # [mail]\n# server = \"smtp.example.org\"\n# from = \"Casebook <digest@example.org>\"\n\
         # to = [\"team@example.org\"]\n# user = \"digest@example.org\"   # password in CASEBOOK_SMTP_PASSWORD"
    );
    out
}

/// A label's three keys, each a TOML string.
fn label(l: &crate::kb::Label) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    format!(
        "id = {}\nfa = {}\nen = {}\n",
        quote(&l.id),
        quote(&l.fa),
        quote(&l.en)
    )
}

fn readme(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => README_FA,
        Lang::En => README_EN,
    }
}

const README_FA: &str = "# پرونده‌های بحران ما

این پوشه دفتر تجربه‌های بحران ماست: هر بحران یک پرونده (Markdown با سرصفحهٔ YAML)، اشتباه‌ها به
تفکیک فصل، درس‌ها و کارهای مانده. با git میان همه هم‌رسان می‌شود.

- پروندهٔ تازه: `casebook new --title \"…\" --type currency` یا فرم «نوشتن پرونده» در برنامهٔ وب.
  الگو در `templates/case.md` است و هر جایش را که پر نکنید `casebook check` یادآوری می‌کند.
- پیش از هر تصمیم مهم (قرارداد، استخدام، انتخاب تأمین‌کننده): `casebook mistakes --chapter contracts`
  یا «دفتر اشتباه‌ها» در برنامهٔ وب.
- هر ماه: `casebook digest` (گزارش ماهانهٔ درس‌ها).
- بحران‌های تکرارشونده (نوروز، محرم، رمضان، انتخابات، مالیات…) در `recurring/` هستند؛ هر کدام را
  می‌توانید ویرایش کنید یا بحران تازه‌ای بیفزایید.
- برنامهٔ وب: `casebook serve` و سپس http://127.0.0.1:8080
- بررسی همهٔ پرونده‌ها: `casebook check --lang fa`

پوشهٔ `.casebook/` (نمایهٔ جست‌وجو) از پرونده‌ها ساخته می‌شود و در git نمی‌رود؛ `.casebook-private/`
(کاربران و توکن‌ها) هم در git نمی‌رود و پشتیبانش جداست.
";

const README_EN: &str = "# Our crisis cases

This folder is our notebook of crisis experience: one file per crisis (Markdown with YAML
front matter), mistakes by chapter, lessons and what is still to do. git shares it.

- A new case: `casebook new --title \"…\" --type currency`, or **New case** in the web app.
  The template is `templates/case.md`; `casebook check` reminds you of every part left empty.
- Before an important decision (a contract, a hire, a supplier):
  `casebook mistakes --chapter contracts`, or the notebook of mistakes in the web app.
- Every month: `casebook digest` (the lessons digest).
- Recurring crises (Nowruz, Muharram, Ramadan, elections, tax deadlines…) are in
  `recurring/`: edit them or add your own.
- The web app: `casebook serve`, then http://127.0.0.1:8080
- Check every file: `casebook check`

`.casebook/` (the search index) is derived from the files and stays out of git;
`.casebook-private/` (accounts and tokens) stays out of git too and is backed up apart.
";

/// The file in `recurring/` that remembers the hash of each shipped file as it was last
/// written by casebook, so that an update can tell a local edit from an old version.
pub const SHIPPED_RECORD: &str = ".shipped.toml";

/// What `calendar update` does (or would do) with one shipped file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// New in this casebook: added.
    Added,
    /// The knowledge base had the shipped file unedited: replaced by the newer version.
    Updated {
        /// A unified diff from the old version to the new one.
        diff: String,
    },
    /// Already the same as shipped.
    Same,
    /// Edited by the team (or of unknown origin) and different from the newer version:
    /// left as it is.
    KeptEdited {
        /// A unified diff from the team's version to the shipped one, for a person to apply.
        diff: String,
    },
    /// Shipped before and deleted by the team: left deleted.
    KeptDeleted,
}

/// The shipped calendar brought into a knowledge base: each file and what happens to it.
pub fn update_calendar(dir: &Path, write: bool) -> Result<Vec<(String, Change)>, InitError> {
    let folder = dir.join(RECURRING_DIR);
    let record_path = folder.join(SHIPPED_RECORD);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if fs::symlink_metadata(&folder).is_ok() {
        real_folder(&folder)?;
    }
    let mut record = read_record(&record_path);
    let mut out = Vec::new();
    for (name, shipped) in SHIPPED_CALENDAR {
        let path = folder.join(name);
        let local = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_file() => {
                Some(fs::read_to_string(&path).map_err(io(&path))?)
            }
            Ok(_) => {
                // A link or a folder in its place: the team's; never written through.
                out.push((
                    name.to_string(),
                    Change::KeptEdited {
                        diff: String::new(),
                    },
                ));
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(io(&path)(e)),
        };
        let change = match local {
            None if record.contains_key(*name) => Change::KeptDeleted,
            None => Change::Added,
            Some(text) if text == *shipped => Change::Same,
            Some(text) if record.get(*name).is_some_and(|h| *h == hash(&text)) => Change::Updated {
                diff: diff(&text, shipped, name),
            },
            Some(text) => Change::KeptEdited {
                diff: diff(&text, shipped, name),
            },
        };
        if write && matches!(change, Change::Added | Change::Updated { .. }) {
            fs::create_dir_all(&folder).map_err(io(&folder))?;
            write_atomically(&path, shipped).map_err(io(&path))?;
        }
        if write
            && matches!(
                change,
                Change::Added | Change::Updated { .. } | Change::Same
            )
        {
            record.insert(name.to_string(), hash(shipped));
        }
        out.push((name.to_string(), change));
    }
    if write {
        write_record(&record_path, &record).map_err(io(&record_path))?;
    }
    Ok(out)
}

fn write_record(
    path: &Path,
    record: &std::collections::BTreeMap<String, String>,
) -> std::io::Result<()> {
    let text = toml::to_string(record).unwrap_or_default();
    let text = format!(
        "# Written by casebook: the shipped version of each file, to tell a local edit from\n\
         # an old version in `casebook calendar update`. Do not edit.\n{text}"
    );
    write_atomically(path, &text)
}

/// Refuses a folder that is a symbolic link (git can check one out): casebook writes
/// only inside the knowledge base.
fn real_folder(path: &Path) -> Result<(), InitError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_dir() => Ok(()),
        Ok(_) => Err(InitError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::other(
                "not a real folder (a symbolic link?): casebook writes only inside the knowledge base",
            ),
        }),
        Err(e) => Err(InitError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

fn read_record(path: &Path) -> std::collections::BTreeMap<String, String> {
    fs::read_to_string(path)
        .ok()
        .and_then(|t| toml::from_str(&t).ok())
        .unwrap_or_default()
}

fn hash(text: &str) -> String {
    use blake2::{Blake2s256, Digest};
    Blake2s256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn diff(old: &str, new: &str, name: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(&format!("{name} (yours)"), &format!("{name} (casebook)"))
        .to_string()
}

/// Writes a file whole or not at all: a temporary file beside it, then a rename.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join(RECURRING_DIR)).unwrap();
        assert!(init(dir.path(), Lang::Fa).is_err());
        assert!(update_calendar(dir.path(), true).is_err());
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_update_replaces_only_unedited_old_versions_and_adds_new_files() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), Lang::Fa).unwrap();
        let folder = dir.path().join(RECURRING_DIR);
        // nowruz.md as an older casebook shipped it (the record says so), yalda.md edited by
        // the team, ramadan.md deleted by the team, tasua-ashura.md never written (a file
        // this casebook ships for the first time).
        let old = "---\ntitle: old nowruz\n---\n";
        fs::write(folder.join("nowruz.md"), old).unwrap();
        let mut record = read_record(&folder.join(SHIPPED_RECORD));
        record.insert("nowruz.md".into(), hash(old));
        record.remove("tasua-ashura.md");
        fs::write(
            folder.join(SHIPPED_RECORD),
            toml::to_string(&record).unwrap(),
        )
        .unwrap();
        fs::write(folder.join("yalda.md"), "---\ntitle: our yalda\n---\n").unwrap();
        fs::remove_file(folder.join("ramadan.md")).unwrap();
        fs::remove_file(folder.join("tasua-ashura.md")).unwrap();

        let preview = update_calendar(dir.path(), false).unwrap();
        let of = |changes: &[(String, Change)], name: &str| {
            changes.iter().find(|(n, _)| n == name).unwrap().1.clone()
        };
        assert!(matches!(of(&preview, "nowruz.md"), Change::Updated { .. }));
        assert_eq!(
            fs::read_to_string(folder.join("nowruz.md")).unwrap(),
            old,
            "a dry run writes nothing"
        );

        let done = update_calendar(dir.path(), true).unwrap();
        assert!(
            matches!(of(&done, "nowruz.md"), Change::Updated { ref diff } if diff.contains("-title: old nowruz"))
        );
        assert!(matches!(of(&done, "yalda.md"), Change::KeptEdited { .. }));
        assert_eq!(of(&done, "ramadan.md"), Change::KeptDeleted);
        assert_eq!(of(&done, "tasua-ashura.md"), Change::Added);
        assert_eq!(
            fs::read_to_string(folder.join("nowruz.md")).unwrap(),
            SHIPPED_CALENDAR
                .iter()
                .find(|(n, _)| *n == "nowruz.md")
                .unwrap()
                .1
        );
        assert_eq!(
            fs::read_to_string(folder.join("yalda.md")).unwrap(),
            "---\ntitle: our yalda\n---\n"
        );
        assert!(!folder.join("ramadan.md").exists());
        // Run again: everything is the same or kept.
        let again = update_calendar(dir.path(), true).unwrap();
        assert!(
            again
                .iter()
                .all(|(_, c)| !matches!(c, Change::Added | Change::Updated { .. })),
            "{again:?}"
        );
    }
}
