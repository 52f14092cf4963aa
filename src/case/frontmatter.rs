//! Splitting a file into YAML front matter and Markdown body, and locating front-matter
//! keys by line so that every later diagnostic can point at the right place.
//!
//! Shared by every kind of Markdown file in a knowledge base: cases and anticipated
//! crises (`recurring/`) are split and located the same way.

use crate::msg;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use crate::diag::Diagnostic;

/// The largest front matter read: a case's fields take a few kilobytes, and YAML is parsed
/// into a tree many times the text's size.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// A file split into its parsed front matter and its body.
pub(crate) struct Doc {
    /// The front matter's keys and values.
    pub mapping: Mapping,
    /// Finds the file line of a key, for diagnostics.
    pub locator: Locator,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// The file line on which the body starts.
    pub body_line: usize,
}

/// Why a file has no front matter to split off.
enum Fence {
    /// The first non-blank line (this index) is not `---`.
    NoOpening(usize),
    /// The `---` on this line index is never closed.
    Unclosed(usize),
}

/// The indices of the lines that open and close the front matter: the first non-blank
/// line, which must be `---`, and the next `---` or `...`.
fn fences(lines: &[&str]) -> Result<(usize, usize), Fence> {
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    if lines.get(first).is_none_or(|l| l.trim_end() != "---") {
        return Err(Fence::NoOpening(first));
    }
    lines
        .iter()
        .enumerate()
        .skip(first + 1)
        .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
        .map(|(close, _)| (first, close))
        .ok_or(Fence::Unclosed(first))
}

/// The Markdown body of a file: what follows the front matter, without reading the YAML
/// (a page that shows a body has the rest of the case already). `None` when the file is
/// not UTF-8 or has no front matter.
pub(crate) fn body(bytes: &[u8]) -> Option<String> {
    let text = decode(Path::new(""), bytes, &mut Vec::new())?;
    let lines: Vec<&str> = text.split('\n').collect();
    let (_, close) = fences(&lines).ok()?;
    Some(lines[close + 1..].join("\n"))
}

/// Decodes, splits and parses a file; pushes diagnostics and returns `None` when the file
/// has no usable front matter.
pub(crate) fn split(path: &Path, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<Doc> {
    let text = decode(path, bytes, diags)?;
    if text.trim().is_empty() {
        diags.push(Diagnostic::error(path, 1, 1, msg!("diag-empty-file")));
        return None;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let (first, close) = match fences(&lines) {
        Ok(found) => found,
        Err(Fence::NoOpening(first)) => {
            diags.push(Diagnostic::error(
                path,
                first + 1,
                1,
                msg!(
                    "diag-no-front-matter",
                    found = crate::i18n::Arg::quoted(&preview(lines[first]))
                ),
            ));
            return None;
        }
        Err(Fence::Unclosed(first)) => {
            diags.push(Diagnostic::error(
                path,
                first + 1,
                1,
                msg!("diag-unclosed-front-matter"),
            ));
            return None;
        }
    };
    let yaml_first_line = first + 2; // 1-based file line of the first YAML line
    let yaml = lines[first + 1..close].join("\n");
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        diags.push(Diagnostic::error(
            path,
            first + 1,
            1,
            msg!(
                "diag-front-matter-too-big",
                size = yaml.len(),
                limit = MAX_FRONT_MATTER_BYTES
            ),
        ));
        return None;
    }
    let mapping = parse_yaml(path, &yaml, yaml_first_line, first + 1, diags)?;
    Some(Doc {
        mapping,
        locator: Locator::new(&lines[first + 1..close], yaml_first_line),
        body: lines[close + 1..].join("\n"),
        body_line: close + 2,
    })
}

fn preview(line: &str) -> String {
    line.chars().take(40).collect()
}

/// UTF-8 decoding with the position of the first bad byte; BOM and CR are dropped
/// (CR only before LF, so line numbers stay the same).
fn decode(path: &Path, bytes: &[u8], diags: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            diags.push(Diagnostic::error(path, line, col, msg!("diag-not-utf8")));
            None
        }
    }
}

fn parse_yaml(
    path: &Path,
    yaml: &str,
    yaml_first_line: usize,
    open_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    if yaml.trim().is_empty() {
        return Some(Mapping::new());
    }
    match crate::yaml::parse(yaml) {
        Ok(Value::Mapping(m)) => Some(m),
        Ok(Value::Null) => Some(Mapping::new()),
        Ok(_) => {
            diags.push(Diagnostic::error(
                path,
                yaml_first_line,
                1,
                msg!("diag-front-matter-not-keys"),
            ));
            None
        }
        Err(e) => {
            // The parser also counts a lone CR as a line break, which the file's lines
            // (split at LF, as editors number them) do not: never point past the fence.
            let close_line = yaml_first_line + yaml.split('\n').count();
            let (line, col) = e
                .location()
                .map(|l| (yaml_first_line + l.line() - 1, l.column()))
                .filter(|(line, _)| *line <= close_line)
                .unwrap_or((open_line, 1));
            if crate::yaml::is_expansion_error(&e) {
                diags.push(Diagnostic::error(
                    path,
                    line,
                    col,
                    msg!("diag-yaml-too-big"),
                ));
                return None;
            }
            let message = yaml_message(&e);
            diags.push(Diagnostic::error(
                path,
                line,
                col,
                msg!("diag-invalid-yaml", detail = message),
            ));
            None
        }
    }
}

/// The parser's message without its own " at line N column M" (we give the file's).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Finds the file line of top-level keys, list items and keys inside list items.
///
/// serde_yaml keeps no positions, so this reads the front matter's lines the way a person
/// would: a top-level key starts at column 1, list items start with `-`.
pub(crate) struct Locator {
    lines: Vec<String>,
    first_line: usize,
}

impl Locator {
    fn new(lines: &[&str], first_line: usize) -> Self {
        Locator {
            lines: lines.iter().map(|l| l.to_string()).collect(),
            first_line,
        }
    }

    /// Line and column of a top-level key, or of the front matter's start.
    pub fn key(&self, key: &str) -> (usize, usize) {
        self.key_index(key)
            .map(|i| (self.first_line + i, 1))
            .unwrap_or((self.first_line.saturating_sub(1), 1))
    }

    /// Line and column of a top-level key's value.
    pub fn value(&self, key: &str) -> (usize, usize) {
        match self.key_index(key) {
            Some(i) => {
                let line = &self.lines[i];
                let after_colon = line.find(':').map_or(0, |p| p + 1);
                let spaces = line[after_colon..]
                    .chars()
                    .take_while(|c| *c == ' ')
                    .count();
                let col = line[..after_colon].chars().count() + spaces + 1;
                (self.first_line + i, col)
            }
            None => self.key(key),
        }
    }

    /// Line and column of `sub:` in the block of a top-level key that holds a mapping
    /// (`overrides:` then `  1447: 2025-07-05`), or of the key itself if not found.
    pub fn sub_key(&self, key: &str, sub: &str) -> (usize, usize) {
        let Some(k) = self.key_index(key) else {
            return self.key(key);
        };
        let end = self.block_end(k);
        for i in k + 1..end {
            let trimmed = self.lines[i].trim_start();
            let unquoted = trimmed.trim_start_matches(['"', '\'']);
            if unquoted
                .strip_prefix(sub)
                .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
            {
                let col = self.lines[i].chars().count() - trimmed.chars().count() + 1;
                return (self.first_line + i, col);
            }
        }
        self.value(key)
    }

    /// Line and column of the `index`-th list item under a top-level key.
    pub fn item(&self, key: &str, index: usize) -> (usize, usize) {
        match self.item_indices(key).get(index) {
            Some(&i) => (self.first_line + i, indent(&self.lines[i]) + 1),
            None => self.value(key),
        }
    }

    /// Line and column of `sub:` inside the `index`-th list item under a top-level key.
    pub fn item_key(&self, key: &str, index: usize, sub: &str) -> (usize, usize) {
        let items = self.item_indices(key);
        let Some(&start) = items.get(index) else {
            return self.item(key, index);
        };
        let end = items
            .get(index + 1)
            .copied()
            .unwrap_or_else(|| self.block_end(start));
        for i in start..end {
            let trimmed = self.lines[i]
                .trim_start()
                .trim_start_matches("- ")
                .trim_start();
            if trimmed
                .strip_prefix(sub)
                .is_some_and(|r| r.starts_with(':'))
            {
                let col = self.lines[i].chars().count() - trimmed.chars().count() + 1;
                return (self.first_line + i, col);
            }
        }
        self.item(key, index)
    }

    fn key_index(&self, key: &str) -> Option<usize> {
        let colon_after = |l: &str| l.strip_prefix(key).is_some_and(|r| r.starts_with(':'));
        self.lines.iter().position(|l| {
            colon_after(l)
                || ['"', '\''].iter().any(|&q| {
                    l.strip_prefix(q)
                        .and_then(|l| l.strip_prefix(key))
                        .and_then(|r| r.strip_prefix(q))
                        .is_some_and(|r| r.starts_with(':'))
                })
        })
    }

    /// First line after `start` that begins a new top-level key.
    fn block_end(&self, start: usize) -> usize {
        (start + 1..self.lines.len())
            .find(|&i| is_top_level_key(&self.lines[i]))
            .unwrap_or(self.lines.len())
    }

    fn item_indices(&self, key: &str) -> Vec<usize> {
        let Some(k) = self.key_index(key) else {
            return Vec::new();
        };
        let end = self.block_end(k);
        let mut item_indent = None;
        (k + 1..end)
            .filter(|&i| {
                let l = &self.lines[i];
                let t = l.trim_start();
                if !(t == "-" || t.starts_with("- ")) {
                    return false;
                }
                let ind = indent(l);
                *item_indent.get_or_insert(ind) == ind
            })
            .collect()
    }
}

fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn is_top_level_key(line: &str) -> bool {
    let first = line.chars().next();
    matches!(first, Some(c) if !c.is_whitespace() && c != '-' && c != '#') && line.contains(':')
}
