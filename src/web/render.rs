//! The template environment: minijinja with auto-escaping, the embedded templates, and two
//! helpers for them — `t(key, ...)` (Fluent translation in the page's language) and the
//! `num` filter (Persian digits in Persian).

use std::sync::Arc;

use fluent_bundle::FluentArgs;
use minijinja::value::Kwargs;
use minijinja::{Environment, State, Value};
use serde::Serialize;

use super::assets::TEMPLATES;
use super::i18n::{I18n, Lang};

/// What every page knows about its reader and address.
#[derive(Debug, Clone, Serialize)]
pub struct Ui {
    /// The page's language.
    pub lang: Lang,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// The other language, for the switch.
    pub other_lang: Lang,
    /// This page's address with `lang` switched to the other language, as a link relative
    /// to the page (`?q=…&lang=en`): the request's path never appears in it, so a path
    /// like `//evil.example` cannot become a link to another site.
    pub switch_href: String,
    /// Which section of the navigation is current (`home`, `search`, ...).
    pub section: &'static str,
    /// Whether new cases may be written from the browser (not `serve --read-only`).
    pub writable: bool,
    /// This page's path and query, where a form sends the reader back to.
    pub here: String,
    /// The logged-in user's name.
    pub user: Option<String>,
    /// The token every form of this page carries: the session's once logged in.
    pub csrf: String,
}

impl Ui {
    /// The page context of a request for `path_and_query` in `lang`.
    pub fn new(lang: Lang, path: &str, query: Option<&str>) -> Ui {
        let kept: Vec<&str> = query
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect();
        let mut switch_href = String::from("?");
        for p in kept {
            switch_href.push_str(p);
            switch_href.push('&');
        }
        switch_href.push_str("lang=");
        switch_href.push_str(lang.other().code());
        Ui {
            lang,
            dir: lang.dir(),
            other_lang: lang.other(),
            switch_href,
            section: section_of(path),
            writable: true,
            here: match query {
                Some(q) => format!("{path}?{q}"),
                None => path.to_string(),
            },
            user: None,
            csrf: String::new(),
        }
    }
}

fn section_of(path: &str) -> &'static str {
    if path == "/cases/new" {
        return "new";
    }
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "digest" => "digest",
        "followups" => "followups",
        "" => "home",
        "search" => "search",
        "cases" => "case",
        "notebook" => "notebook",
        "problems" => "problems",
        "calendar" | "calendar.ics" => "calendar",
        _ => "other",
    }
}

/// The compiled templates.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Compiles the embedded templates; a syntax error names the template and line.
    pub fn new(i18n: Arc<I18n>) -> Result<Templates, minijinja::Error> {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_formatter(html_formatter);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| {
            translate(&i18n, state, key, kwargs)
        });
        env.add_filter("case_href", |id: String| super::view::case_href(&id));
        env.add_filter("text_attrs", |text: Value| {
            let attrs = text.as_str().map_or("", crate::text::direction_attrs);
            Value::from_safe_string(attrs.to_string())
        });
        env.add_filter("num", |state: &State, value: Value| {
            page_lang(state).digits(&value.to_string())
        });
        Ok(Templates { env })
    }

    /// Renders a template with the page context `ui` and the page's own data `page`.
    pub fn render(
        &self,
        name: &str,
        ui: &Ui,
        page: &impl Serialize,
    ) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(minijinja::context! {
            ui => Value::from_serialize(ui),
            page => Value::from_serialize(page),
        })
    }
}

/// Escapes `& < > " '` in text values (enough inside elements and quoted attributes),
/// leaving `/` readable in links and paths; everything else as minijinja does.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if !value.is_safe() && state.auto_escape() != minijinja::AutoEscape::None => {
            let mut escaped = String::with_capacity(text.len() + 16);
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "writing a page")
            })?;
            Ok(())
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn page_lang(state: &State) -> Lang {
    state
        .lookup("ui")
        .and_then(|ui| ui.get_attr("lang").ok())
        .and_then(|l| l.as_str().and_then(Lang::from_tag))
        .unwrap_or(Lang::En)
}

fn translate(
    i18n: &I18n,
    state: &State,
    key: &str,
    kwargs: Kwargs,
) -> Result<String, minijinja::Error> {
    let mut args = FluentArgs::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        match value.as_i64() {
            Some(n) => args.set(name.to_string(), n),
            None => args.set(name.to_string(), value.to_string()),
        }
    }
    Ok(i18n.text(page_lang(state), key, Some(&args)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_query_and_flips_the_language() {
        let ui = Ui::new(Lang::Fa, "/search", Some("q=%D9%82&lang=fa&type=legal"));
        assert_eq!(ui.switch_href, "?q=%D9%82&type=legal&lang=en");
        assert_eq!(ui.dir, "rtl");
        assert_eq!(ui.section, "search");
        assert_eq!(Ui::new(Lang::En, "/", None).switch_href, "?lang=fa");
        let tricky = Ui::new(Lang::En, "//evil.example", None);
        assert_eq!(
            tricky.switch_href, "?lang=fa",
            "never a link to another host"
        );
    }
}
