//! The search page's parameters and view: the URL holds the whole query (so a search can
//! be bookmarked and shared), facets become links that add or remove one filter, and
//! snippets are re-sanitised down to `<mark>`.

use serde::{Deserialize, Serialize};

use super::error::AppError;
use super::view::{case_href, DateView, Labels};
use crate::dates::CaseDate;
use crate::query::{
    escape, FacetCount, SearchRequest, SearchResults, Snippet, DEFAULT_LIMIT, MAX_LIMIT,
};

/// The longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// The most values shown per facet (the most frequent first).
const MAX_FACET_VALUES: usize = 12;
/// The longest filter value accepted, in characters.
const MAX_FILTER_CHARS: usize = 200;

/// The query string of `/search` and `/api/search`, as sent. Numbers are read by hand so
/// that a bad one gets a message, not a generic rejection.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchParams {
    /// The words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    /// Crisis type (the API's name for `crisis_type`).
    #[serde(rename = "type", default, skip_serializing_if = "is_blank")]
    pub crisis_type: Option<String>,
    /// Chapter.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub chapter: Option<String>,
    /// Tag.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub tag: Option<String>,
    /// Counterparty.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub counterparty: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub severity: Option<String>,
    /// From this date (Jalali or Gregorian).
    #[serde(default, skip_serializing_if = "is_blank")]
    pub since: Option<String>,
    /// Up to this date (Jalali or Gregorian).
    #[serde(default, skip_serializing_if = "is_blank")]
    pub until: Option<String>,
    /// Results per page.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub limit: Option<String>,
    /// Results to skip.
    #[serde(default, skip_serializing_if = "is_blank")]
    pub offset: Option<String>,
}

fn is_blank(v: &Option<String>) -> bool {
    v.as_deref().is_none_or(|s| s.trim().is_empty())
}

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl SearchParams {
    /// The library's request, or a message saying what is wrong with the parameters.
    pub fn to_request(&self) -> Result<SearchRequest, AppError> {
        let chars = self.q.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(AppError::BadRequest(format!(
                "The query is {chars} characters long; at most {MAX_QUERY_CHARS} are searched. Shorten it."
            )));
        }
        for (name, value) in self.filters() {
            if value.chars().count() > MAX_FILTER_CHARS {
                return Err(AppError::BadRequest(format!(
                    "The '{name}' filter is longer than {MAX_FILTER_CHARS} characters."
                )));
            }
        }
        Ok(SearchRequest {
            q: self.q.trim().to_string(),
            crisis_type: blank_to_none(&self.crisis_type),
            chapter: blank_to_none(&self.chapter),
            tag: blank_to_none(&self.tag),
            counterparty: blank_to_none(&self.counterparty),
            severity: blank_to_none(&self.severity),
            since: blank_to_none(&self.since),
            until: blank_to_none(&self.until),
            limit: Some(number("limit", &self.limit, 1, MAX_LIMIT)?.unwrap_or(DEFAULT_LIMIT)),
            offset: number("offset", &self.offset, 0, 1_000_000)?,
            ..SearchRequest::default()
        })
    }

    fn filters(&self) -> [(&'static str, &str); 7] {
        fn v(o: &Option<String>) -> &str {
            o.as_deref().unwrap_or("")
        }
        [
            ("type", v(&self.crisis_type)),
            ("chapter", v(&self.chapter)),
            ("tag", v(&self.tag)),
            ("counterparty", v(&self.counterparty)),
            ("severity", v(&self.severity)),
            ("since", v(&self.since)),
            ("until", v(&self.until)),
        ]
    }

    /// Whether anything at all was asked.
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty() && self.filters().iter().all(|(_, v)| v.trim().is_empty())
    }

    /// `/search?...` for these parameters, blanks left out.
    pub fn href(&self) -> String {
        let mut p = self.clone();
        p.q = p.q.trim().to_string();
        match serde_urlencoded::to_string(&p) {
            Ok(query) if !query.is_empty() => format!("/search?{query}"),
            _ => "/search".to_string(),
        }
    }

    /// A copy with one change, back on the first page.
    fn with(&self, change: impl FnOnce(&mut SearchParams)) -> SearchParams {
        let mut p = self.clone();
        p.offset = None;
        change(&mut p);
        p
    }
}

fn number(
    name: &str,
    v: &Option<String>,
    min: usize,
    max: usize,
) -> Result<Option<usize>, AppError> {
    let Some(text) = blank_to_none(v) else {
        return Ok(None);
    };
    match crate::text::to_ascii_digits(&text).parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(AppError::BadRequest(format!(
            "'{name}' must be a whole number from {min} to {max}, not {text:?}."
        ))),
    }
}

/// One hit as the page shows it.
#[derive(Debug, Serialize)]
pub struct HitView {
    href: String,
    title: String,
    crisis_type: String,
    date: Option<DateView>,
    /// HTML: the snippet's text escaped, its matched words in `<mark>`.
    snippet: String,
    /// The snippet's plain text, which decides its direction and language.
    snippet_text: String,
    /// Found only through the glossary.
    through_glossary: bool,
}

/// One clickable facet value.
#[derive(Debug, Serialize)]
pub struct FacetLink {
    label: String,
    count: String,
    href: String,
    active: bool,
}

/// A group of facet values under a title key.
#[derive(Debug, Serialize)]
pub struct FacetGroup {
    title: &'static str,
    links: Vec<FacetLink>,
}

/// A filter in force, with the link that removes it.
#[derive(Debug, Serialize)]
pub struct ActiveFilter {
    label: String,
    remove_href: String,
}

/// Everything the search page shows.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// The parameters as sent, to refill the form.
    pub params: SearchParams,
    /// Whether anything was asked.
    pub asked: bool,
    /// Matching cases in all.
    pub total: usize,
    /// This page's hits.
    pub hits: Vec<HitView>,
    /// Facet groups.
    pub facets: Vec<FacetGroup>,
    /// Filters in force.
    pub active: Vec<ActiveFilter>,
    /// What the query could not use.
    pub warnings: Vec<String>,
    /// What the glossary also searched: "contract" → «قرارداد»…
    pub glossary: Vec<crate::query::Expansion>,
    /// Link to the previous page of results.
    pub prev_href: Option<String>,
    /// Link to the next page of results.
    pub next_href: Option<String>,
    /// Link without any filter.
    pub clear_href: String,
    /// Render the language switch out of band (htmx partial update).
    pub oob: bool,
}

impl SearchView {
    /// The view of a search's results.
    pub fn new(
        params: SearchParams,
        req: &SearchRequest,
        results: SearchResults,
        labels: Labels<'_>,
    ) -> SearchView {
        let lang = labels.lang;
        let hits = results
            .hits
            .into_iter()
            .map(|h| HitView {
                href: case_href(&h.id),
                crisis_type: labels.crisis_type(&h.crisis_type),
                date: h
                    .date
                    .as_deref()
                    .and_then(|d| CaseDate::parse(d).ok())
                    .map(|d| DateView::of_case_date(&d, lang)),
                snippet: snippet_html(&h.snippet),
                snippet_text: h.snippet.text.clone(),
                through_glossary: h.through_glossary,
                title: h.title,
            })
            .collect();
        let (offset, limit) = (req.offset.unwrap_or(0), req.limit.unwrap_or(DEFAULT_LIMIT));
        let page_href = |o: usize| {
            let mut p = params.clone();
            p.offset = (o > 0).then(|| o.to_string());
            p.href()
        };
        SearchView {
            asked: !params.is_empty(),
            total: results.total,
            facets: facet_groups(&params, &results.facets, labels),
            active: active_filters(&params, labels),
            warnings: results.warnings,
            glossary: results.glossary,
            prev_href: (offset > 0).then(|| page_href(offset.saturating_sub(limit))),
            next_href: (offset + limit < results.total).then(|| page_href(offset + limit)),
            clear_href: SearchParams {
                q: params.q.clone(),
                ..SearchParams::default()
            }
            .href(),
            hits,
            params,
            oob: false,
        }
    }
}

/// A snippet as HTML: every piece of text escaped, the matched words in `<mark>`. The
/// library hands over text and ranges, so nothing from the index is ever taken as markup.
fn snippet_html(snippet: &Snippet) -> String {
    let mut html = String::with_capacity(snippet.text.len() + 32);
    for (text, matched) in snippet.pieces() {
        if matched {
            html.push_str("<mark>");
            html.push_str(&escape(text));
            html.push_str("</mark>");
        } else {
            html.push_str(&escape(text));
        }
    }
    html
}

fn facet_groups(
    params: &SearchParams,
    facets: &crate::query::Facets,
    labels: Labels<'_>,
) -> Vec<FacetGroup> {
    let lang = labels.lang;
    let same = |a: &Option<String>, b: &str| {
        a.as_deref()
            .is_some_and(|a| crate::text::fold_key(a) == crate::text::fold_key(b))
    };
    let group = |title,
                 counts: &[FacetCount],
                 label: &dyn Fn(&str) -> String,
                 active: &dyn Fn(&str) -> bool,
                 set: &dyn Fn(&mut SearchParams, Option<String>)| FacetGroup {
        title,
        links: counts
            .iter()
            .take(MAX_FACET_VALUES)
            .map(|c| {
                let on = active(&c.value);
                let next = params.with(|p| set(p, (!on).then(|| c.value.clone())));
                FacetLink {
                    label: c.label.clone().unwrap_or_else(|| label(&c.value)),
                    count: lang.digits(&c.count.to_string()),
                    href: next.href(),
                    active: on,
                }
            })
            .collect(),
    };
    // The filters in force, as ids (looked up once, not once per facet value).
    let active_type = params
        .crisis_type
        .as_deref()
        .and_then(|t| labels.taxonomy.crisis_type(t))
        .map(|l| l.id.as_str());
    let active_chapter = params
        .chapter
        .as_deref()
        .and_then(|c| labels.taxonomy.chapter(c))
        .map(|l| l.id.as_str());
    let groups = [
        group(
            "search-facet-type",
            &facets.crisis_type,
            &|v| labels.crisis_type(v),
            &|v| same(&params.crisis_type, v) || active_type == Some(v),
            &|p, v| p.crisis_type = v,
        ),
        group(
            "search-facet-chapter",
            &facets.chapter,
            &|v| labels.chapter(v),
            &|v| same(&params.chapter, v) || active_chapter == Some(v),
            &|p, v| p.chapter = v,
        ),
        group(
            "search-facet-year",
            &facets.year,
            &|v| lang.digits(v),
            &|v| params.since.as_deref() == Some(v) && params.until.as_deref() == Some(v),
            &|p, v| {
                p.since = v.clone();
                p.until = v;
            },
        ),
        group(
            "search-facet-tag",
            &facets.tag,
            &|v| v.to_string(),
            &|v| same(&params.tag, v),
            &|p, v| p.tag = v,
        ),
    ];
    groups.into_iter().filter(|g| !g.links.is_empty()).collect()
}

fn active_filters(params: &SearchParams, labels: Labels<'_>) -> Vec<ActiveFilter> {
    let mut out = Vec::new();
    let mut add = |value: &Option<String>, label: String, clear: fn(&mut SearchParams)| {
        if blank_to_none(value).is_some() {
            out.push(ActiveFilter {
                label,
                remove_href: params.with(clear).href(),
            });
        }
    };
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    add(
        &params.crisis_type,
        labels.crisis_type(&v(&params.crisis_type)),
        |p| p.crisis_type = None,
    );
    add(&params.chapter, labels.chapter(&v(&params.chapter)), |p| {
        p.chapter = None
    });
    add(&params.tag, v(&params.tag), |p| p.tag = None);
    add(&params.counterparty, v(&params.counterparty), |p| {
        p.counterparty = None
    });
    add(&params.severity, v(&params.severity), |p| p.severity = None);
    add(
        &params.since,
        format!("≥ {}", labels.lang.digits(&v(&params.since))),
        |p| p.since = None,
    );
    add(
        &params.until,
        format!("≤ {}", labels.lang.digits(&v(&params.until))),
        |p| p.until = None,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str) -> SearchParams {
        SearchParams {
            q: q.into(),
            ..SearchParams::default()
        }
    }

    #[test]
    fn the_url_holds_the_whole_query_and_leaves_blanks_out() {
        let mut p = params("قرارداد دلار");
        p.crisis_type = Some("currency".into());
        p.since = Some(" ".into());
        assert_eq!(
            p.href(),
            "/search?q=%D9%82%D8%B1%D8%A7%D8%B1%D8%AF%D8%A7%D8%AF+%D8%AF%D9%84%D8%A7%D8%B1&type=currency"
        );
        assert_eq!(params("").href(), "/search");
        let mut only_filter = params("");
        only_filter.tag = Some("ارز".into());
        assert_eq!(only_filter.href(), "/search?tag=%D8%A7%D8%B1%D8%B2");
    }

    #[test]
    fn bad_numbers_and_huge_queries_explain_themselves() {
        let mut p = params("x");
        p.limit = Some("many".into());
        let e = p.to_request().unwrap_err().to_string();
        assert!(
            e.contains("'limit' must be a whole number from 1 to 1000"),
            "{e}"
        );
        p.limit = Some("۵".into());
        assert_eq!(p.to_request().unwrap().limit, Some(5));
        let e = params(&"ب".repeat(1001))
            .to_request()
            .unwrap_err()
            .to_string();
        assert!(e.contains("1001 characters"), "{e}");
    }

    #[test]
    fn snippets_are_escaped_text_with_marks_around_the_matched_words() {
        let snippet = Snippet {
            text: "<script> قرارداد & x".into(),
            highlights: vec![[9, 23]],
        };
        assert_eq!(
            snippet_html(&snippet),
            "&lt;script&gt; <mark>قرارداد</mark> &amp; x"
        );
        // Ranges that do not fall on the text's characters are left out, not trusted.
        let odd = Snippet {
            text: "قرارداد".into(),
            highlights: vec![[1, 3], [0, 99]],
        };
        assert_eq!(snippet_html(&odd), "قرارداد");
    }
}
