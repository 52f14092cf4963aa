//! The index schema, in one place: every field, how it is analysed, and how a [`Case`]
//! becomes a tantivy document.
//!
//! **Invariant:** changing a field here means bumping [`SCHEMA_VERSION`]; an index of
//! another version is rebuilt from the files.

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, STORED, STRING,
};
use tantivy::TantivyDocument;

use super::analyzer::ANALYZER_NAME;
use super::plain::plain_text;
use crate::case::Case;
use crate::text::label_key;

/// Version of the schema and analysis rules. Bump it whenever either changes.
pub const SCHEMA_VERSION: u32 = 13;

/// How much more a word weighs in the title than in the body: the query parser's boost
/// for the field (see `Index::open`). Each text is indexed once, in its own field; a
/// word's score is the sum of its BM25 scores over the fields, each times its boost.
pub const TITLE_BOOST: f32 = 3.0;
/// How much more a word weighs in a mistake's text than in the body.
pub const MISTAKE_BOOST: f32 = 2.0;
/// How much more a word weighs in a lesson than in the body.
pub const LESSON_BOOST: f32 = 2.0;

/// The fields of the index, resolved once.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Path relative to the knowledge base, `/`-separated: the document's key.
    pub path: Field,
    /// The case id (path without `.md`).
    pub id: Field,
    /// The title (full text, stored).
    pub title: Field,
    /// The body as plain text (see [`plain_text`]) and the state fields (full text, stored).
    pub body: Field,
    /// Each mistake's text (full text, stored).
    pub mistake: Field,
    /// Each mistake's lesson and the case's lessons (full text, stored).
    pub lesson: Field,
    /// The actions taken (full text).
    pub action: Field,
    /// The tags (full text, stored: facet counts show a tag as it is written).
    pub tag: Field,
    /// The other side (full text, stored).
    pub counterparty: Field,
    /// Crisis type as a facet `/currency`.
    pub crisis_type: Field,
    /// Chapters of the case's mistakes as facets `/contracts`.
    pub chapter: Field,
    /// Tags as facets `/ارز`, for filters and counts.
    pub tag_facet: Field,
    /// Gregorian year of the start date as a facet `/2012`.
    pub year: Field,
    /// First day of the case's date range, days since 1970-01-01.
    pub date_start: Field,
    /// Last day of the case's date range, days since 1970-01-01.
    pub date_end: Field,
    /// The date as written (stored only).
    pub date_text: Field,
    /// The crisis type id or text as written (stored only, for display).
    pub crisis_type_text: Field,
    /// Severity id (`low`…`critical`).
    pub severity: Field,
    /// Status id (`draft`, `final`).
    pub status: Field,
}

impl Fields {
    /// Builds the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let facet = FacetOptions::default();
        let day = NumericOptions::default().set_indexed().set_fast();
        let fields = Fields {
            path: b.add_text_field("path", STRING | STORED),
            id: b.add_text_field("id", STORED),
            title: b.add_text_field("title", text(true)),
            body: b.add_text_field("body", text(true)),
            mistake: b.add_text_field("mistake", text(true)),
            lesson: b.add_text_field("lesson", text(true)),
            action: b.add_text_field("action", text(false)),
            tag: b.add_text_field("tag", text(true)),
            counterparty: b.add_text_field("counterparty", text(true)),
            crisis_type: b.add_facet_field("crisis_type", facet.clone()),
            chapter: b.add_facet_field("chapter", facet.clone()),
            tag_facet: b.add_facet_field("tag_facet", facet.clone()),
            year: b.add_facet_field("year", facet),
            date_start: b.add_i64_field("date_start", day.clone()),
            date_end: b.add_i64_field("date_end", day),
            date_text: b.add_text_field("date_text", STORED),
            crisis_type_text: b.add_text_field("crisis_type_text", STORED),
            severity: b.add_text_field("severity", STRING),
            status: b.add_text_field("status", STRING),
        };
        (b.build(), fields)
    }

    /// Turns a case and its Markdown body into its document. `path` is the `/`-separated
    /// relative path.
    pub fn document(&self, case: &Case, body: &str, path: &str) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.path, path);
        doc.add_text(self.id, &case.id);
        doc.add_text(self.title, &case.title);
        let body = plain_text(body);
        doc.add_text(self.body, &body);
        for state in state_texts(case) {
            doc.add_text(self.body, state);
        }
        for m in &case.mistakes {
            doc.add_text(self.mistake, &m.text);
            if let Some(lesson) = &m.lesson {
                doc.add_text(self.lesson, lesson);
            }
            doc.add_facet(
                self.chapter,
                facet(&chapter_key(&m.chapter, m.chapter_known)),
            );
        }
        for lesson in &case.lessons {
            doc.add_text(self.lesson, lesson);
        }
        for action in &case.actions {
            doc.add_text(self.action, action);
        }
        for tag in &case.tags {
            doc.add_text(self.tag, tag);
            doc.add_facet(self.tag_facet, facet(&label_key(tag)));
        }
        if let Some(c) = &case.counterparty {
            doc.add_text(self.counterparty, c);
        }
        let type_key = chapter_key(&case.crisis_type, case.crisis_type_known);
        doc.add_facet(self.crisis_type, facet(&type_key));
        doc.add_text(self.crisis_type_text, &case.crisis_type);
        if let Some(date) = &case.date {
            doc.add_i64(self.date_start, days(date.start));
            doc.add_i64(self.date_end, days(date.end));
            doc.add_text(self.date_text, &date.original);
            doc.add_facet(self.year, facet(&date.start.format("%Y").to_string()));
        }
        if let Some(s) = case.severity {
            doc.add_text(self.severity, s.as_str());
        }
        if let Some(s) = case.status {
            let s = match s {
                crate::case::Status::Draft => "draft",
                crate::case::Status::Final => "final",
            };
            doc.add_text(self.status, s);
        }
        doc
    }
}

/// The state texts (resources, environment, infrastructure), shown and searched as body.
fn state_texts(case: &Case) -> impl Iterator<Item = &String> {
    [
        &case.details.resources,
        &case.details.environment,
        &case.details.infrastructure,
    ]
    .into_iter()
    .flatten()
}

/// The full-text fields a plain word is looked for in, with their boosts.
pub fn searched_fields(fields: &Fields) -> [(Field, f32); 7] {
    [
        (fields.title, TITLE_BOOST),
        (fields.body, 1.0),
        (fields.mistake, MISTAKE_BOOST),
        (fields.lesson, LESSON_BOOST),
        (fields.action, 1.0),
        (fields.tag, 1.0),
        (fields.counterparty, 1.0),
    ]
}

/// The facet key of a chapter or crisis type: the id when known, else a readable key.
pub fn chapter_key(text: &str, known: bool) -> String {
    if known {
        text.to_string()
    } else {
        label_key(text)
    }
}

/// A one-level facet for a value (slashes inside are escaped by tantivy).
pub fn facet(value: &str) -> Facet {
    Facet::from_path([value])
}

/// Days since 1970-01-01 (the unit of the date fields).
pub fn days(date: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (date - epoch).num_days()
}
