//! Helpers shared by the integration tests: the real binary on temp folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root, where `tests/fixtures` lives.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temp folder holding a copy of `tests/fixtures/<name>` (or empty for `None`).
pub fn temp_kb(fixture: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    if let Some(name) = fixture {
        copy_dir(&root().join("tests/fixtures").join(name), dir.path());
    }
    dir
}

/// Copies a folder's files (recursively) into another folder.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixtures");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Runs the real `casebook` binary with `--kb kb` and the given arguments, stdin closed.
pub fn casebook(kb: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--kb")
        .arg(kb)
        .args(args)
        .stdin(std::process::Stdio::null())
        .env_remove("CASEBOOK_KB")
        .output()
        .expect("run casebook")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
