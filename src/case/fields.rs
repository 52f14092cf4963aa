//! Turning the front matter's YAML values into a typed [`Case`], with a located
//! diagnostic for every missing, mistyped or unknown value.

use std::collections::BTreeMap;
use std::path::Path;

use serde_yaml::Value;

use super::frontmatter::{Doc, Locator};
use super::template::is_example_text;
use super::{Case, CaseDetails, Details, FollowUp, Mistake, Severity, Status};
use crate::dates::CaseDate;
use crate::diag::{Diagnostic, Sink};
use crate::i18n::{Arg, Message};
use crate::kb::{case_id, Taxonomy};
use crate::msg;
use crate::text::fold_key;

/// The keys a case may have; anything else is kept in `extra` with a warning.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "crisis_type",
    "date",
    "ended",
    "severity",
    "tags",
    "authors",
    "status",
    "resources",
    "environment",
    "infrastructure",
    "actions",
    "mistakes",
    "lessons",
    "followups",
    "recurring",
    "counterparty",
];

/// Reads typed values out of the front matter, pushing a diagnostic for each problem.
struct Reader<'a> {
    sink: Sink<'a>,
    loc: &'a Locator,
}

impl Reader<'_> {
    /// A scalar as text; numbers and booleans are taken as written.
    /// `at` and `what` are only worked out when there is a problem to report (finding a
    /// line reads the front matter again, which would cost more than the parse itself).
    fn text(
        &mut self,
        value: &Value,
        at: impl FnOnce() -> (usize, usize),
        what: &dyn std::fmt::Display,
    ) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            other => {
                self.sink.error(
                    at(),
                    msg!(
                        "diag-not-text",
                        what = what.to_string(),
                        found = kind(other)
                    ),
                );
                None
            }
        }
    }

    fn required_text(&mut self, map: &serde_yaml::Mapping, key: &str, hint: Arg) -> Option<String> {
        match map.get(key) {
            None => {
                self.sink.error(
                    self.loc.key(key),
                    msg!("diag-missing-key", key = key, hint = hint),
                );
                None
            }
            Some(v) => {
                let t = self.text(v, || self.loc.value(key), &key);
                if t.as_deref().is_some_and(str::is_empty) || matches!(v, Value::Null) {
                    self.sink.error(
                        self.loc.value(key),
                        msg!("diag-empty-key", key = key, hint = hint),
                    );
                    return None;
                }
                t
            }
        }
    }

    fn optional_text(&mut self, map: &serde_yaml::Mapping, key: &str) -> Option<String> {
        let v = map.get(key)?;
        self.text(v, || self.loc.value(key), &key)
            .filter(|s| !s.is_empty())
    }

    /// A list of texts; a single text is accepted as a one-item list.
    fn text_list(&mut self, map: &serde_yaml::Mapping, key: &str) -> Vec<String> {
        match map.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    let loc = self.loc;
                    let text = self.text(v, || loc.item(key, i), &format_args!("{key}[{}]", i + 1));
                    self.filled(text, || loc.item(key, i), key, i)
                })
                .collect(),
            Some(Value::String(s)) if key == "tags" || key == "authors" => s
                .split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(other) => {
                self.sink.error(
                    self.loc.value(key),
                    msg!("diag-not-list", key = key, found = kind(other)),
                );
                Vec::new()
            }
        }
    }

    /// An item of a list the template starts with one empty line of (`actions`,
    /// `lessons`): an empty item or a template's example text is left out with a warning,
    /// so that "What we did wrong" never reaches the notebook.
    fn filled(
        &mut self,
        text: Option<String>,
        at: impl FnOnce() -> (usize, usize),
        key: &str,
        i: usize,
    ) -> Option<String> {
        let text = text?;
        if !matches!(key, "actions" | "lessons") {
            return Some(text).filter(|t| !t.is_empty());
        }
        if text.is_empty() {
            let message = msg!("diag-empty-item", key = key, item = i + 1);
            self.sink.warning(at(), message);
            return None;
        }
        if is_example_text(&text) {
            let message = msg!(
                "diag-example-item",
                key = key,
                item = i + 1,
                text = crate::i18n::Arg::quoted(&text)
            );
            self.sink.warning(at(), message);
            return None;
        }
        Some(text)
    }

    fn date(
        &mut self,
        value: Option<&Value>,
        at: impl FnOnce() -> (usize, usize),
        what: &str,
    ) -> Option<CaseDate> {
        let text = match value? {
            Value::Null => return None,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                self.sink.error(
                    at(),
                    msg!("diag-date-not-text", what = what, found = kind(other)),
                );
                return None;
            }
        };
        match CaseDate::parse(&text) {
            Ok(d) => Some(d),
            Err(e) => {
                self.sink.error(
                    at(),
                    msg!("diag-bad-date", what = what, detail = e.message()),
                );
                None
            }
        }
    }
}

fn kind(v: &Value) -> Message {
    match v {
        Value::Null => msg!("diag-kind-nothing"),
        Value::Bool(_) => msg!("diag-kind-bool"),
        Value::Number(_) => msg!("diag-kind-number"),
        Value::String(_) => msg!("diag-kind-text"),
        Value::Sequence(_) => msg!("diag-kind-list"),
        Value::Mapping(_) => msg!("diag-kind-keys"),
        Value::Tagged(_) => msg!("diag-kind-tagged"),
    }
}

/// Builds the case from a split document. Returns `None` only when a required value is
/// unusable; other problems become diagnostics on a case that still loads.
pub(crate) fn build_case(
    path: &Path,
    doc: Doc,
    taxonomy: &Taxonomy,
    diags: &mut Vec<Diagnostic>,
) -> Option<Case> {
    let Doc {
        mapping,
        locator,
        body,
        body_line,
    } = doc;
    let mut r = Reader {
        sink: Sink { path, diags },
        loc: &locator,
    };
    let extra = unknown_keys(&mut r, &mapping);
    if super::template::is_unfilled_story(&body) {
        r.sink.warning((body_line, 1), msg!("diag-story-empty"));
    }
    let title = r.required_text(&mapping, "title", msg!("diag-hint-title").into());
    let crisis_type_raw = r.required_text(&mapping, "crisis_type", "currency".into());
    let (crisis_type, crisis_type_known) = match crisis_type_raw {
        Some(raw) => match taxonomy.crisis_type(&raw) {
            Some(l) => (l.id.clone(), true),
            None => {
                let known: Vec<&str> = taxonomy
                    .crisis_types
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect();
                r.sink.warning(
                    locator.value("crisis_type"),
                    msg!(
                        "diag-unknown-crisis-type",
                        value = crate::i18n::Arg::quoted(&raw),
                        known = known.join(", ")
                    ),
                );
                (raw, false)
            }
        },
        None => (String::new(), false),
    };
    let date = r.date(mapping.get("date"), || locator.value("date"), "date");
    let ended = r.date(mapping.get("ended"), || locator.value("ended"), "ended");
    if let (Some(d), Some(e)) = (&date, &ended) {
        if e.end < d.start {
            r.sink.warning(
                locator.value("ended"),
                msg!(
                    "diag-ended-before-date",
                    ended = Arg::Digits(e.original.clone()),
                    date = Arg::Digits(d.original.clone())
                ),
            );
        }
    }
    let case = Case {
        id: case_id(path),
        path: path.to_path_buf(),
        title: title.clone().unwrap_or_default(),
        crisis_type,
        crisis_type_known,
        date,
        severity: severity(&mut r, &mapping),
        tags: r.text_list(&mapping, "tags"),
        status: status(&mut r, &mapping),
        actions: r.text_list(&mapping, "actions"),
        mistakes: mistakes(&mut r, &mapping, taxonomy),
        lessons: r.text_list(&mapping, "lessons"),
        followups: followups(&mut r, &mapping),
        counterparty: r.optional_text(&mapping, "counterparty"),
        details: Details::new(CaseDetails {
            ended,
            authors: r.text_list(&mapping, "authors"),
            resources: r.optional_text(&mapping, "resources"),
            environment: r.optional_text(&mapping, "environment"),
            infrastructure: r.optional_text(&mapping, "infrastructure"),
            recurring: r.optional_text(&mapping, "recurring"),
            extra,
        }),
        body_line,
    };
    title.map(|_| case)
}

fn unknown_keys(
    r: &mut Reader<'_>,
    mapping: &serde_yaml::Mapping,
) -> BTreeMap<String, serde_json::Value> {
    let mut extra = BTreeMap::new();
    for (k, v) in mapping {
        let key = match k {
            Value::String(s) => s.clone(),
            other => {
                r.sink.error(
                    r.loc.key(""),
                    msg!("diag-key-not-text", found = kind(other)),
                );
                continue;
            }
        };
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        let message = match KNOWN_KEYS
            .iter()
            .find(|known| fold_key(known) == fold_key(&key) || strsim_close(known, &key))
        {
            Some(known) => msg!("diag-unknown-key-typo", key = &key, known = *known),
            None => msg!("diag-unknown-key", key = &key),
        };
        r.sink.warning(r.loc.key(&key), message);
        extra.insert(
            key,
            serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
        );
    }
    extra
}

/// Whether two keys differ by one edit or a plural `s`: a likely typo.
fn strsim_close(known: &str, key: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (
        known.chars().collect(),
        key.to_lowercase().chars().collect(),
    );
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    // One-row Levenshtein distance; keys are short.
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()] <= 1
}

fn severity(r: &mut Reader<'_>, map: &serde_yaml::Mapping) -> Option<Severity> {
    let raw = r.optional_text(map, "severity")?;
    let found = Severity::parse(&raw);
    if found.is_none() {
        r.sink.error(
            r.loc.value("severity"),
            msg!("diag-bad-severity", value = crate::i18n::Arg::quoted(&raw)),
        );
    }
    found
}

fn status(r: &mut Reader<'_>, map: &serde_yaml::Mapping) -> Option<Status> {
    let raw = r.optional_text(map, "status")?;
    let found = match fold_key(&raw).as_str() {
        "draft" | "پیشنویس" => Some(Status::Draft),
        "final" | "نهایی" => Some(Status::Final),
        _ => None,
    };
    if found.is_none() {
        r.sink.error(
            r.loc.value("status"),
            msg!("diag-bad-status", value = crate::i18n::Arg::quoted(&raw)),
        );
    }
    found
}

/// The items of a list of `{key: value}` entries, or an error if it is not such a list.
fn entries<'m>(
    r: &mut Reader<'_>,
    map: &'m serde_yaml::Mapping,
    key: &str,
    example: &str,
) -> Vec<(usize, &'m serde_yaml::Mapping)> {
    match map.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Mapping(m) => out.push((i, m)),
                    other => r.sink.error(
                        r.loc.item(key, i),
                        msg!(
                            "diag-item-not-keys",
                            key = key,
                            item = i + 1,
                            example = example,
                            found = kind(other)
                        ),
                    ),
                }
            }
            out
        }
        Some(other) => {
            r.sink.error(
                r.loc.value(key),
                msg!(
                    "diag-not-item-list",
                    key = key,
                    example = example,
                    found = kind(other)
                ),
            );
            Vec::new()
        }
    }
}

fn mistakes(r: &mut Reader<'_>, map: &serde_yaml::Mapping, taxonomy: &Taxonomy) -> Vec<Mistake> {
    let mut out = Vec::new();
    for (i, m) in entries(r, map, "mistakes", "chapter: contracts") {
        let at = |sub: &str| r_loc_item_key(r.loc, "mistakes", i, sub);
        let text = written(r, m, "text", || at("text"));
        let lesson = written(r, m, "lesson", || at("lesson"));
        let Some(text) = main_text(r, ("mistakes", i, "text"), text, lesson.is_some()) else {
            continue;
        };
        let raw = m
            .get("chapter")
            .and_then(|v| r.text(v, || at("chapter"), &"chapter"))
            .unwrap_or_default();
        let (chapter, chapter_known) = match taxonomy.chapter(&raw) {
            Some(l) => (l.id.clone(), true),
            None => {
                let known: Vec<&str> = taxonomy.chapters.iter().map(|l| l.id.as_str()).collect();
                let msg = if raw.is_empty() {
                    msg!(
                        "diag-mistake-no-chapter",
                        item = i + 1,
                        known = known.join(", ")
                    )
                } else {
                    msg!(
                        "diag-unknown-chapter",
                        value = crate::i18n::Arg::quoted(&raw),
                        known = known.join(", ")
                    )
                };
                r.sink.warning(at("chapter"), msg);
                (raw, false)
            }
        };
        for k in m.keys().filter_map(Value::as_str) {
            if !["chapter", "text", "lesson"].contains(&k) {
                r.sink.warning(
                    at(k),
                    msg!("diag-mistake-unknown-key", key = k, item = i + 1),
                );
            }
        }
        out.push(Mistake {
            chapter,
            chapter_known,
            text,
            lesson,
        });
    }
    out
}

/// A text field of a list item as the team wrote it: `None` when it is missing, empty, or
/// a template's example text (with a warning, since it would read as a real one).
fn written(
    r: &mut Reader<'_>,
    item: &serde_yaml::Mapping,
    key: &str,
    at: impl Fn() -> (usize, usize),
) -> Option<String> {
    let text = item
        .get(key)
        .and_then(|v| r.text(v, &at, &key))
        .filter(|t| !t.is_empty())?;
    if is_example_text(&text) {
        let message = msg!(
            "diag-example-value",
            key = key,
            text = crate::i18n::Arg::quoted(&text)
        );
        r.sink.warning(at(), message);
        return None;
    }
    Some(text)
}

/// The text an item of `list` cannot do without (a mistake's `text`, a follow-up's
/// `what`). Without it, an item with nothing else written either is a template row left
/// empty (a warning; the item is left out), and one with something else is an error.
fn main_text(
    r: &mut Reader<'_>,
    (list, i, key): (&str, usize, &str),
    text: Option<String>,
    has_other: bool,
) -> Option<String> {
    if text.is_some() {
        return text;
    }
    let mistakes = list == "mistakes";
    if has_other {
        let message = match mistakes {
            true => msg!("diag-mistake-no-text", item = i + 1),
            false => msg!("diag-followup-no-what", item = i + 1),
        };
        r.sink.error(r.loc.item_key(list, i, key), message);
    } else {
        let message = match mistakes {
            true => msg!("diag-empty-mistake", item = i + 1),
            false => msg!("diag-empty-followup", item = i + 1),
        };
        r.sink.warning(r.loc.item(list, i), message);
    }
    None
}

fn r_loc_item_key(loc: &Locator, key: &str, i: usize, sub: &str) -> (usize, usize) {
    loc.item_key(key, i, sub)
}

fn followups(r: &mut Reader<'_>, map: &serde_yaml::Mapping) -> Vec<FollowUp> {
    let mut out = Vec::new();
    for (i, m) in entries(r, map, "followups", "what: renew the contract") {
        let at = |sub: &str| r_loc_item_key(r.loc, "followups", i, sub);
        let what = written(r, m, "what", || at("what"));
        let owner = written(r, m, "owner", || at("owner"));
        let Some(what) = main_text(r, ("followups", i, "what"), what, owner.is_some()) else {
            continue;
        };
        // The template leaves the due date to fill in as `due: ""`.
        let due = m
            .get("due")
            .filter(|v| v.as_str().is_none_or(|s| !s.trim().is_empty()));
        let due = r.date(due, || at("due"), "due");
        let done = match m.get("done") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                r.sink
                    .error(at("done"), msg!("diag-done-not-bool", found = kind(other)));
                false
            }
        };
        out.push(FollowUp {
            what,
            owner,
            due,
            done,
        });
    }
    out
}
