//! A case's Markdown body as safe HTML: pulldown-cmark renders it, ammonia sanitises it,
//! so a `<script>` or an `onerror=` in a case file never runs in a reader's browser.
//!
//! Deep nesting costs both of them time that grows with the square of the depth, so a
//! body of nothing but `>` could hold a page view for minutes, and anyone who may write
//! a case could stall the server's pages with one. A body nested deeper than any real text is shown as plain
//! text, and raw HTML in a body with thousands of tags is shown as text, not parsed.

use pulldown_cmark::{html, Event, Options, Parser};

/// The longest run of container markers (`>`, list markers, indentation) a line may start
/// with to be rendered as Markdown: about 40 levels of quotes and lists.
const MAX_LINE_PREFIX: usize = 128;
/// The most raw HTML tags a body may have to have them parsed as HTML.
const MAX_RAW_TAGS: usize = 2000;

/// Renders Markdown to sanitised HTML. Images are dropped: the app makes no external
/// request of any kind, and a case's pictures are not served.
pub fn to_safe_html(markdown: &str) -> String {
    if too_deep(markdown) {
        return format!("<pre>{}</pre>", crate::query::escape(markdown));
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let html_as_text = raw_tags(markdown) > MAX_RAW_TAGS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) if html_as_text => Event::Text(text),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

/// Whether some line starts with more container markers than any real text has.
fn too_deep(markdown: &str) -> bool {
    markdown.lines().any(|line| {
        line.chars()
            .take_while(|c| {
                matches!(c, '>' | ' ' | '\t' | '-' | '*' | '+' | '.' | ')') || c.is_ascii_digit()
            })
            .nth(MAX_LINE_PREFIX)
            .is_some()
    })
}

/// How many raw HTML tags (`<x`, `</x`) a text has, at most one past the limit.
fn raw_tags(markdown: &str) -> usize {
    markdown
        .as_bytes()
        .windows(2)
        .filter(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        .take(MAX_RAW_TAGS + 1)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_shown_as_text_not_parsed() {
        let quotes = "> ".repeat(100_000);
        let html = to_safe_html(&quotes);
        assert!(html.starts_with("<pre>") && !html.contains("<blockquote>"));
        let divs = "<div>".repeat(50_000);
        let html = to_safe_html(&format!("Text\n\n{divs}"));
        assert!(!html.contains("<div>"), "raw HTML shown as text");
        assert!(html.contains("&lt;div&gt;"));
        // Ordinary nesting still renders.
        let html = to_safe_html("> quoted\n> > twice\n\n- a\n  - b\n    - c\n");
        assert!(
            html.contains("<blockquote>") && html.contains("<li>"),
            "{html}"
        );
        let html = to_safe_html("<div>kept</div>\n");
        assert!(html.contains("<div>kept</div>"), "{html}");
    }

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html = to_safe_html(
            "## ماجرا\n\n**مهم**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))",
        );
        assert!(html.contains("<h2>ماجرا</h2>"), "{html}");
        assert!(html.contains("<strong>مهم</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
