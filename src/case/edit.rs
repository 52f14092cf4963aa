//! Editing a case file in place: top-level front matter keys are replaced, removed or
//! added, and the body replaced, while every other line (keys nobody touched, comments,
//! the fence lines, blank lines) stays byte for byte.

/// Why a file cannot be edited in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SpliceError {
    /// No `---` fences.
    NoFrontMatter,
    /// This key is written twice at the top level: which one counts is the parser's
    /// choice, so neither is touched.
    Twice(String),
}

/// The file `original` with each `(key, block)` applied (a block is the key's whole YAML,
/// `key: value\n` or `key:\n- …\n`; `None` removes the key) and, when given, the body
/// replaced.
pub(crate) fn splice(
    original: &str,
    keys: &[(&str, Option<String>)],
    body: Option<&str>,
) -> Result<String, SpliceError> {
    let crlf = original.contains("\r\n");
    let eol = |text: &str| {
        if crlf {
            text.replace('\n', "\r\n")
        } else {
            text.to_string()
        }
    };
    let mut lines: Vec<String> = original.split_inclusive('\n').map(str::to_string).collect();
    let (open, close) = fences(&lines).ok_or(SpliceError::NoFrontMatter)?;
    // Applied from the last block up, so that earlier positions stay valid.
    let mut edits: Vec<(usize, usize, Option<String>)> = Vec::new();
    let mut added = String::new();
    for (key, block) in keys {
        let yaml = &lines[open + 1..close];
        if yaml
            .iter()
            .filter(|l| top_level_key(l) == Some(key))
            .count()
            > 1
        {
            return Err(SpliceError::Twice(key.to_string()));
        }
        match key_block(yaml, key) {
            Some((start, end)) => {
                edits.push((open + 1 + start, open + 1 + end, block.as_deref().map(&eol)))
            }
            None => {
                if let Some(block) = block {
                    added.push_str(&eol(block));
                }
            }
        }
    }
    let mut tail: Vec<String> = lines.split_off(close);
    if let Some(body) = body {
        tail.truncate(1);
        let fence = &mut tail[0];
        if !fence.ends_with('\n') {
            fence.push_str(&eol("\n"));
        }
        let body = body.trim_end();
        if !body.is_empty() {
            tail.push(eol(&format!("\n{body}\n")));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, text) in edits {
        lines.splice(start..end, text);
    }
    if !added.is_empty() {
        if lines.last().is_some_and(|l| !l.ends_with('\n')) {
            lines.push(eol("\n"));
        }
        lines.push(added);
    }
    lines.extend(tail);
    Ok(lines.concat())
}

/// The indices of the opening and closing fence lines.
fn fences(lines: &[String]) -> Option<(usize, usize)> {
    let open = lines.iter().position(|l| !l.trim().is_empty())?;
    if lines[open].trim_start_matches('\u{feff}').trim_end() != "---" {
        return None;
    }
    let close = lines
        .iter()
        .enumerate()
        .skip(open + 1)
        .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))?
        .0;
    Some((open, close))
}

/// The lines `[start, end)` of the top-level `key`'s block in the YAML lines: its line
/// and the indented lines (and `- ` items, which YAML allows at the key's own column)
/// after it, with the comments and blank lines between them, without the blank and
/// comment lines that end it.
fn key_block(yaml: &[String], key: &str) -> Option<(usize, usize)> {
    let continues = |line: &str| {
        line.starts_with([' ', '\t']) && !line.trim().is_empty()
            || line.starts_with("- ")
            || line.trim_end() == "-"
    };
    let between = |line: &str| line.trim().is_empty() || line.starts_with('#');
    let start = yaml.iter().position(|l| top_level_key(l) == Some(key))?;
    let mut end = start + 1;
    while end < yaml.len() {
        if continues(&yaml[end]) {
            end += 1;
            continue;
        }
        // Comments or blank lines: part of the block only if it goes on after them.
        let after = yaml[end..]
            .iter()
            .position(|l| !between(l))
            .map(|i| end + i);
        match after {
            Some(next) if continues(&yaml[next]) => end = next + 1,
            _ => break,
        }
    }
    while end > start + 1 && yaml[end - 1].trim().is_empty() {
        end -= 1;
    }
    Some((start, end))
}

/// The key a line starts at column 0 (`title: …`, `"title": …`), if it does.
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(['"', '\'']))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "---\n# the team's note\ntitle: Old\nreviewed_by: Reza   # an unknown key\nmistakes:\n- chapter: contracts\n  text: signed\n\nlessons:\n  - check\n---\n\nThe story.\n";

    #[test]
    fn only_the_changed_keys_change() {
        let out = splice(FILE, &[("title", Some("title: New\n".into()))], None).unwrap();
        assert_eq!(out, FILE.replace("title: Old", "title: New"));
        let out = splice(
            FILE,
            &[(
                "mistakes",
                Some("mistakes:\n- chapter: hiring\n  text: x\n".into()),
            )],
            None,
        )
        .unwrap();
        assert_eq!(
            out,
            FILE.replace(
                "- chapter: contracts\n  text: signed\n",
                "- chapter: hiring\n  text: x\n"
            )
        );
    }

    #[test]
    fn a_comment_inside_a_list_belongs_to_it_and_a_key_written_twice_is_left_alone() {
        let file = "---\ntitle: t\nactions:\n- a\n# a note\n- b\n# about the next key\nlessons: [x]\n---\n";
        let out = splice(file, &[("actions", Some("actions:\n- A\n".into()))], None).unwrap();
        assert_eq!(
            out,
            "---\ntitle: t\nactions:\n- A\n# about the next key\nlessons: [x]\n---\n"
        );
        let twice = "---\ntitle: a\ntitle: b\n---\n";
        assert_eq!(
            splice(twice, &[("title", Some("title: c\n".into()))], None),
            Err(SpliceError::Twice("title".into()))
        );
    }

    #[test]
    fn keys_are_removed_and_added_and_the_body_replaced() {
        let out = splice(
            FILE,
            &[
                ("lessons", None),
                ("severity", Some("severity: high\n".into())),
            ],
            Some("A new story."),
        )
        .unwrap();
        assert_eq!(
            out,
            "---\n# the team's note\ntitle: Old\nreviewed_by: Reza   # an unknown key\nmistakes:\n- chapter: contracts\n  text: signed\n\nseverity: high\n---\n\nA new story.\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf_and_no_front_matter_is_none() {
        let crlf = FILE.replace('\n', "\r\n");
        let out = splice(&crlf, &[("title", Some("title: New\n".into()))], None).unwrap();
        assert_eq!(out, crlf.replace("title: Old", "title: New"));
        assert_eq!(
            splice("no front matter", &[], None),
            Err(SpliceError::NoFrontMatter)
        );
        let bom = format!("\u{feff}{FILE}");
        let out = splice(&bom, &[("title", Some("title: New\n".into()))], None).unwrap();
        assert_eq!(out, bom.replace("title: Old", "title: New"));
    }
}
