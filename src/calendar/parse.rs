//! Turning an anticipated-crisis file's front matter into an [`AnticipatedCrisis`], with a
//! located diagnostic for every missing, mistyped or unknown value.

use crate::msg;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::rule::{calendar_id, Rule};
use super::{crisis_id, AnticipatedCrisis, MonthStarts};
use crate::case::frontmatter::{Doc, Locator};
use crate::dates::{CalendarKind, CaseDate, Precision};
use crate::diag::{Diagnostic, Sink};
use crate::kb::Taxonomy;
use crate::text::{fold_key, to_ascii_digits};

/// The keys an anticipated-crisis file may have; others are kept in `extra` with a warning.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "title_en",
    "crisis_type",
    "calendar",
    "rule",
    "lead_days",
    "duration_days",
    "end",
    "estimated",
    "overrides",
    "sources",
];

const DEFAULT_LEAD_DAYS: u32 = 30;

struct Reader<'a> {
    sink: Sink<'a>,
    loc: &'a Locator,
    map: &'a Mapping,
}

impl Reader<'_> {
    fn text(&mut self, key: &str) -> Option<String> {
        match self.map.get(key)? {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => None,
            _ => {
                self.sink
                    .error(self.loc.value(key), msg!("diag-crisis-not-text", key = key));
                None
            }
        }
    }

    fn required(&mut self, key: &str, example: &str) -> Option<String> {
        let not_text = matches!(
            self.map.get(key),
            Some(Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_))
        );
        let t = self.text(key);
        if t.is_none() && !not_text {
            self.sink.error(
                self.loc.key(key),
                msg!("diag-crisis-missing", key = key, example = example),
            );
        }
        t
    }

    fn days(&mut self, key: &str, default: u32, max: u32) -> u32 {
        let Some(raw) = self.text(key) else {
            return default;
        };
        match to_ascii_digits(&raw).parse::<u32>() {
            Ok(n) if n <= max => n,
            _ => {
                self.sink.error(
                    self.loc.value(key),
                    msg!(
                        "diag-crisis-bad-days",
                        key = key,
                        value = crate::i18n::Arg::quoted(&raw),
                        max = max
                    ),
                );
                default
            }
        }
    }

    fn date(&mut self, key: &str, at: (usize, usize), value: &Value) -> Option<CaseDate> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        match CaseDate::parse(&text) {
            Ok(d) if d.precision == Precision::Day => Some(d),
            Ok(_) => {
                self.sink.error(
                    at,
                    msg!(
                        "diag-crisis-not-day",
                        key = key,
                        value = crate::i18n::Arg::quoted(&text)
                    ),
                );
                None
            }
            Err(e) => {
                self.sink
                    .error(at, msg!("diag-bad-date", what = key, detail = e.message()));
                None
            }
        }
    }
}

/// Builds the crisis from a split document; `None` when a required value is unusable.
pub(crate) fn build(
    path: &Path,
    doc: Doc,
    taxonomy: &Taxonomy,
    sighted: Arc<MonthStarts>,
    diags: &mut Vec<Diagnostic>,
) -> Option<AnticipatedCrisis> {
    let Doc {
        mapping,
        locator,
        body,
        body_line,
    } = doc;
    let mut r = Reader {
        sink: Sink { path, diags },
        loc: &locator,
        map: &mapping,
    };
    let extra = unknown_keys(&mut r);
    let title = r.required("title", "نوروز و تعطیلات عید");
    let (crisis_type, crisis_type_known) = crisis_type(&mut r, taxonomy);
    let calendar = calendar(&mut r);
    let rule_text = r.required("rule", "yearly 1 Farvardin");
    let rule = match (&rule_text, calendar) {
        (Some(text), Some(cal)) => match Rule::parse(text, cal) {
            Ok(rule) => Some(rule),
            Err(e) => {
                r.sink.error(
                    locator.value("rule"),
                    msg!("diag-crisis-bad-rule", detail = e.to_string()),
                );
                None
            }
        },
        _ => None,
    };
    let lead_days = r.days("lead_days", DEFAULT_LEAD_DAYS, 366);
    let to_month_end = matches!(
        r.map.get("duration_days"),
        Some(Value::String(s)) if fold_key(s) == "month"
    );
    let duration_days = if to_month_end {
        31
    } else {
        r.days("duration_days", 1, 366).max(1)
    };
    let end = mapping
        .get("end")
        .filter(|v| !v.is_null())
        .and_then(|v| r.date("end", locator.value("end"), v));
    let estimated = estimated(&mut r);
    let overrides = overrides(&mut r);
    let sources = sources(&mut r);
    Some(AnticipatedCrisis {
        id: crisis_id(path),
        path: path.to_path_buf(),
        title: title?,
        title_en: r.text("title_en"),
        crisis_type: crisis_type?,
        crisis_type_known,
        calendar: calendar?,
        rule: rule?,
        rule_text: rule_text?,
        lead_days,
        duration_days,
        to_month_end,
        end,
        estimated,
        overrides,
        sources,
        extra,
        playbook: body,
        playbook_line: body_line,
        sighted,
    })
}

fn unknown_keys(r: &mut Reader<'_>) -> BTreeMap<String, serde_json::Value> {
    let mut extra = BTreeMap::new();
    for (k, v) in r.map {
        let key = match k {
            Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        };
        if KNOWN_KEYS.contains(&key.as_str()) {
            continue;
        }
        let message = match KNOWN_KEYS.iter().find(|known| {
            fold_key(known) == fold_key(&key) || known.get(..4).is_some_and(|p| key.starts_with(p))
        }) {
            Some(known) => msg!("diag-crisis-unknown-key-typo", key = &key, known = *known),
            None => msg!("diag-crisis-unknown-key", key = &key),
        };
        r.sink.warning(r.loc.key(&key), message);
        extra.insert(key, serde_json::to_value(v).unwrap_or_default());
    }
    extra
}

fn crisis_type(r: &mut Reader<'_>, taxonomy: &Taxonomy) -> (Option<String>, bool) {
    let Some(raw) = r.required("crisis_type", "seasonal-peak") else {
        return (None, false);
    };
    match taxonomy.crisis_type(&raw) {
        Some(l) => (Some(l.id.clone()), true),
        None => {
            let known: Vec<&str> = taxonomy
                .crisis_types
                .iter()
                .map(|l| l.id.as_str())
                .collect();
            r.sink.warning(
                r.loc.value("crisis_type"),
                msg!(
                    "diag-crisis-unknown-type",
                    value = crate::i18n::Arg::quoted(&raw),
                    known = known.join(", ")
                ),
            );
            (Some(raw), false)
        }
    }
}

fn calendar(r: &mut Reader<'_>) -> Option<CalendarKind> {
    let raw = r.required("calendar", "persian")?;
    let found = match fold_key(&raw).as_str() {
        "persian" | "jalali" | "solarhijri" | "شمسی" | "جلالی" | "خورشیدی" => {
            Some(CalendarKind::Persian)
        }
        "islamic" | "hijri" | "lunar" | "lunarhijri" | "قمری" | "هجریقمری" => {
            Some(CalendarKind::Islamic)
        }
        "gregorian" | "میلادی" => Some(CalendarKind::Gregorian),
        _ => None,
    };
    if found.is_none() {
        r.sink.error(
            r.loc.value("calendar"),
            msg!(
                "diag-crisis-bad-calendar",
                value = crate::i18n::Arg::quoted(&raw),
                persian = calendar_id(CalendarKind::Persian),
                islamic = calendar_id(CalendarKind::Islamic),
                gregorian = calendar_id(CalendarKind::Gregorian)
            ),
        );
    }
    found
}

fn estimated(r: &mut Reader<'_>) -> bool {
    match r.map.get("estimated") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            r.sink.error(
                r.loc.value("estimated"),
                msg!("diag-crisis-estimated-not-bool"),
            );
            false
        }
    }
}

fn overrides(r: &mut Reader<'_>) -> BTreeMap<i32, chrono::NaiveDate> {
    let mut out = BTreeMap::new();
    let map = match r.map.get("overrides") {
        None | Some(Value::Null) => return out,
        Some(Value::Mapping(m)) => m,
        Some(_) => {
            r.sink.error(
                r.loc.value("overrides"),
                msg!("diag-crisis-overrides-not-lines"),
            );
            return out;
        }
    };
    for (k, v) in map {
        let key = match k {
            Value::Number(n) => n.to_string(),
            Value::String(s) => to_ascii_digits(s.trim()),
            _ => String::new(),
        };
        let at = r.loc.sub_key("overrides", &key);
        let Ok(year) = key.parse::<i32>() else {
            r.sink.error(
                at,
                msg!(
                    "diag-crisis-override-not-year",
                    key = crate::i18n::Arg::quoted(&key)
                ),
            );
            continue;
        };
        let value_at = (at.0, at.1 + key.chars().count() + 2);
        if let Some(d) = r.date("overrides", value_at, v) {
            out.insert(year, d.start);
        }
    }
    out
}

fn sources(r: &mut Reader<'_>) -> Vec<String> {
    match r.map.get("sources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_string()],
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect(),
        Some(_) => {
            r.sink
                .error(r.loc.value("sources"), msg!("diag-crisis-sources-not-list"));
            Vec::new()
        }
    }
}
