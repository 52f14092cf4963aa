//! YAML read with a bound on what it may expand to. Every YAML text casebook reads (front
//! matter, the month-start table, `casebook.yaml`) goes through [`parse`].
//!
//! YAML anchors and aliases (`&a [1, 1, 1]`, then `[*a, *a, *a]`) repeat a value without
//! repeating its text: a 15 KB file of them expands to millions of values and a 50 KB one
//! exhausts memory (the "billion laughs"). serde_yaml limits how many aliases it follows
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

/// What a YAML text may expand to, in [`cost`] units: about the memory of the values.
pub const BUDGET: usize = 8 * 1024 * 1024;

/// What one node costs: a fixed price for the value, plus its text.
fn cost(text_len: usize) -> usize {
    32 + text_len
}

/// The message of the error when the budget is spent; [`is_expansion_error`] finds it.
pub const TOO_BIG: &str = "the YAML expands to more than 8 MB of values, which only aliases \
(`*name`, repeating an anchored `&name` value) can do in a file this size. Write the values \
out instead of repeating them through aliases";

/// Parses one YAML document into a value, refusing one that expands past [`BUDGET`].
/// The error carries the parser's location, as any serde_yaml error does.
pub fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    let budget = Cell::new(BUDGET);
    Node(&budget).deserialize(serde_yaml::Deserializer::from_str(text))
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
    fn a_long_string_repeated_by_aliases_counts_its_bytes() {
        let long = "x".repeat(100_000);
        let aliases = vec!["*s"; 200].join(", ");
        let text = format!("s: &s {long}\nboom: [{aliases}]\n");
        assert!(is_expansion_error(&parse(&text).unwrap_err()));
    }
}
