//! YAML read with a bound on what it may expand to. Every YAML text casebook reads (front
//! matter, the month-start table, `casebook.yaml`) goes through [`parse`].
//!
//! YAML anchors and aliases (`&a [1, 1, 1]`, then `[*a, *a, *a]`) repeat a value without
//! repeating its text: a few kilobytes of them expand to millions of values (the
//! "billion laughs"). serde_yaml limits how many aliases it follows
//! per event, not what they expand to, so the value is built here through a visitor that
//! pays for every node and every byte of text it makes, and stops when a budget is spent.
//! An ordinary file never comes near the budget; a file within the front-matter size
//! limit cannot reach it without aliases.
//!
//! **Invariant:** no YAML from a file is turned into a value any other way.

use std::cell::Cell;
use std::fmt;

use serde::de::{
    DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_yaml::value::{Tag, TaggedValue};
use serde_yaml::{Mapping, Value};

/// What a YAML text may expand to at most, in [`cost`] units: about the memory of the
/// values. A text's own budget is smaller still: see [`budget_for`].
pub const BUDGET: usize = 8 * 1024 * 1024;

/// The longest YAML text parsed (front matter, the month-start table, `casebook.yaml`).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// How deep collections may nest. The parser's time grows with the square of the depth
/// (a text of nothing but `[` would hold a load for minutes), and no real file nests
/// more than a few levels.
pub const MAX_DEPTH: usize = 64;

/// A text's budget: what it could expand to without any alias (every node at least two
/// bytes of text, [`cost`] at most 32 a node), so that many small files cannot each
/// expand to the whole [`BUDGET`] through aliases.
fn budget_for(text: &str) -> usize {
    (64 * 1024 + 32 * text.len()).min(BUDGET)
}

/// What one node costs: a fixed price for the value, plus its text.
fn cost(text_len: usize) -> usize {
    32 + text_len
}

/// The message of the error when the budget is spent; [`is_expansion_error`] finds it.
pub const TOO_BIG: &str = "the YAML expands to more than 8 MB of values, which only aliases \
(`*name`, repeating an anchored `&name` value) can do in a file this size. Write the values \
out instead of repeating them through aliases";

/// Parses one YAML document into a value, refusing one over [`MAX_TEXT_BYTES`], nested
/// past [`MAX_DEPTH`] or expanding past its budget. The error carries the parser's
/// location, as any serde_yaml error does (none for the first two: they are refused
/// before parsing).
pub fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    use serde::de::Error;
    if text.len() > MAX_TEXT_BYTES {
        return Err(serde_yaml::Error::custom(format!(
            "the YAML is {} bytes, over the limit of {MAX_TEXT_BYTES}",
            text.len()
        )));
    }
    if nesting(text) > MAX_DEPTH {
        return Err(serde_yaml::Error::custom(format!(
            "the YAML nests more than {MAX_DEPTH} levels deep ([[[…, {{{{…, - - -…); write it flatter"
        )));
    }
    let budget = Cell::new(budget_for(text));
    Node(&budget).deserialize(serde_yaml::Deserializer::from_str(text))
}

/// How deep a YAML text's collections nest, as far as a quick scan tells: flow brackets
/// (`[`, `{` where a value starts, outside quotes and comments) and the `- ` items that
/// open a line. A bracket inside a plain scalar (`a[1]`, `see [x`) does not count.
fn nesting(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for line in text.lines() {
        let items = line
            .trim_start()
            .split("- ")
            .take_while(|s| s.trim().is_empty())
            .count();
        deepest = deepest.max(depth + items);
        // The character before this one, spaces skipped: where a value may start.
        let mut value_starts = true;
        let mut quote: Option<char> = None;
        let mut after_space = true;
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            if let Some(q) = quote {
                if q == '"' && c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                    value_starts = false;
                }
                continue;
            }
            match c {
                '#' if after_space => break,
                '"' | '\'' if value_starts => quote = Some(c),
                '[' | '{' if value_starts => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            after_space = c.is_whitespace();
            if !c.is_whitespace() {
                value_starts = matches!(c, ':' | ',' | '[' | '{' | '-' | '?');
            }
        }
    }
    deepest
}

/// Whether `e` is the error [`parse`] gives for a text that expands past the budget.
pub fn is_expansion_error(e: &serde_yaml::Error) -> bool {
    e.to_string().contains(TOO_BIG)
}

/// Builds one node of the value, paying for it out of the shared budget.
#[derive(Clone, Copy)]
struct Node<'b>(&'b Cell<usize>);

impl Node<'_> {
    fn pay<E: serde::de::Error>(self, text_len: usize) -> Result<(), E> {
        match self.0.get().checked_sub(cost(text_len)) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(TOO_BIG)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Value, E> {
        self.pay(0)?;
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Value, E> {
        self.pay(0)?;
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Value, E> {
        self.pay(0)?;
        Ok(Value::Number(u.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        self.pay(0)?;
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Value, E> {
        self.pay(s.len())?;
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<Value, E> {
        self.pay(s.len())?;
        Ok(Value::String(s))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.pay(0)?;
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.pay(0)?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.pay(0)?;
        let mut mapping = Mapping::new();
        while let Some(key) = map.next_key_seed(self)? {
            let value = map.next_value_seed(self)?;
            mapping.insert(key, value);
        }
        Ok(Value::Mapping(mapping))
    }

    /// A tagged value (`!tag value`).
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (tag, contents): (String, _) = data.variant()?;
        self.pay(tag.len())?;
        let value = contents.newtype_variant_seed(self)?;
        Ok(Value::Tagged(Box::new(TaggedValue {
            tag: Tag::new(tag),
            value,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_yaml_parses_as_serde_yaml_parses_it() {
        let text = "title: «قرارداد»\ndate: 1395-03-10\ntags: [a, b]\nn: 3\nx: 1.5\nok: true\n\
                    empty:\nmistakes:\n  - chapter: contracts\n    text: t\nt: !custom v\n\
                    a: &anchor [1, 2]\nb: *anchor\n";
        let ours = parse(text).unwrap();
        let theirs: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn an_alias_bomb_is_refused_with_a_location_not_expanded() {
        let ones = vec!["1"; 3000].join(", ");
        let aliases = vec!["*a"; 3000].join(", ");
        let text = format!("title: x\nanchor: &a [{ones}]\nboom: [{aliases}]\n");
        assert!(text.len() < 30_000);
        let e = parse(&text).unwrap_err();
        assert!(is_expansion_error(&e), "{e}");
        // serde_yaml replays the anchored value for each alias, and points there.
        let at = e.location().expect("a location");
        assert_eq!(at.line(), 2, "the line of the anchored value");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing_ordinary_nesting_is_not() {
        for deep in [
            format!("a: {}", "[".repeat(250_000 / 4)),
            format!("a: {}1{}", "[".repeat(100), "]".repeat(100)),
            format!("a: {}", "{x: ".repeat(100)),
            format!("a:\n{}1\n", "- ".repeat(100)),
        ] {
            let e = parse(&deep).unwrap_err();
            assert!(e.to_string().contains("nests more than"), "{e}");
        }
        let fine = "title: a[1] see [x and {y\ntags: [a, [b, {c: d}]]\nnote: \"[[[[\" # [[[[\n\
                    list:\n  - - a\n    - b\n";
        assert_eq!(
            parse(fine).unwrap(),
            serde_yaml::from_str::<Value>(fine).unwrap()
        );
        let e = parse(&"x".repeat(MAX_TEXT_BYTES + 1)).unwrap_err();
        assert!(e.to_string().contains("over the limit"), "{e}");
    }

    #[test]
    fn many_small_files_cannot_each_expand_to_the_whole_budget() {
        // 4 KB of anchors and aliases: far less than 8 MB, yet 240,000 values.
        let ones = vec!["1"; 490].join(", ");
        let aliases = vec!["*a"; 490].join(", ");
        let text = format!("anchor: &a [{ones}]\nboom: [{aliases}]\n");
        assert!(text.len() < 5_000);
        assert!(is_expansion_error(&parse(&text).unwrap_err()));
    }

    #[test]
    fn a_long_string_repeated_by_aliases_counts_its_bytes() {
        let long = "x".repeat(100_000);
        let aliases = vec!["*s"; 200].join(", ");
        let text = format!("s: &s {long}\nboom: [{aliases}]\n");
        assert!(is_expansion_error(&parse(&text).unwrap_err()));
    }
}
