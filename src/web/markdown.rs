//! A case's Markdown body as safe HTML: pulldown-cmark renders it, ammonia sanitises it,
//! so a `<script>` or an `onerror=` in a case file never runs in a reader's browser.
//!
//! Deep nesting costs both of them time that grows with the square of the depth, so a
//! body of nothing but `>` could hold a page view for minutes, and anyone who may write
//! a case could stall the server's pages with one. A body nested deeper than any real text is shown as plain
//! text, and raw HTML in a body with thousands of tags is shown as text, not parsed.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

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
    let mut events: Vec<Event> = Parser::new_ext(markdown, options)
        .map(|event| match event {
            Event::Html(text) | Event::InlineHtml(text) if html_as_text => Event::Text(text),
            other => other,
        })
        .collect();
    give_blocks_their_direction(&mut events);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    ammonia::Builder::default()
        .add_generic_attributes(["dir"])
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

/// Opens each paragraph, heading, list item and table cell with the direction and language
/// of its own words, so an English paragraph in a Persian story runs left to right (its
/// full stop at its end) and is read in an English voice, on screen and on paper. The
/// closing tags are pulldown-cmark's own.
fn give_blocks_their_direction(events: &mut [Event]) {
    let mut in_head = false;
    for start in 0..events.len() {
        let open = match &events[start] {
            Event::Start(Tag::Paragraph) => "p".to_string(),
            Event::Start(Tag::Heading { level, .. }) => level.to_string(),
            Event::Start(Tag::Item) => "li".to_string(),
            Event::Start(Tag::TableHead) | Event::End(TagEnd::TableHead) => {
                in_head = matches!(events[start], Event::Start(_));
                continue;
            }
            Event::Start(Tag::TableCell) if in_head => "th".to_string(),
            Event::Start(Tag::TableCell) => "td".to_string(),
            _ => continue,
        };
        let attrs = crate::text::direction_attrs(&block_text(&events[start..]));
        if attrs.is_empty() {
            continue;
        }
        events[start] = Event::Html(CowStr::from(format!("<{open}{attrs}>")));
    }
}

/// The words of the block that `events` starts with, up to its end: not those of a list
/// nested in it (its items have their own direction) nor inline code (code is not prose).
fn block_text(events: &[Event]) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    let mut nested_list_at = None;
    for event in events {
        match event {
            Event::Start(tag) => {
                depth += 1;
                if matches!(tag, Tag::List(_)) && depth > 1 && nested_list_at.is_none() {
                    nested_list_at = Some(depth);
                }
            }
            Event::End(_) => {
                if nested_list_at == Some(depth) {
                    nested_list_at = None;
                }
                depth -= 1;
            }
            Event::Text(t) if nested_list_at.is_none() => {
                text.push_str(t);
                text.push(' ');
            }
            _ => {}
        }
        if depth == 0 {
            break;
        }
    }
    text
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
            html.contains("<blockquote>") && html.contains("<li dir=\"ltr\" lang=\"en\">"),
            "{html}"
        );
        let html = to_safe_html("<div>kept</div>\n");
        assert!(html.contains("<div>kept</div>"), "{html}");
    }

    #[test]
    fn each_block_takes_the_direction_of_its_own_words() {
        let html = to_safe_html(concat!(
            "## ماجرا\n\nWe called the supplier on day one.\n\n",
            "CRM را خاموش کردیم.\n\n- Stock for two weeks\n- انبار دوم\n\n12345\n",
        ));
        assert!(
            html.contains(r#"<h2 dir="rtl" lang="fa">ماجرا</h2>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<p dir="ltr" lang="en">We called the supplier on day one.</p>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<p dir="rtl" lang="fa">CRM را خاموش کردیم.</p>"#),
            "{html}"
        );
        assert!(html.contains(r#"<li dir="ltr" lang="en">Stock for two weeks</li>"#));
        assert!(html.contains(r#"<li dir="rtl" lang="fa">انبار دوم</li>"#));
        // Digits alone say nothing: the page decides.
        assert!(html.contains("<p>12345</p>"), "{html}");
        // A direction written into a case's raw HTML is only a direction.
        let html = to_safe_html(r#"<p dir="rtl" onclick="x()">متن</p>"#);
        assert!(
            html.contains(r#"dir="rtl""#) && !html.contains("onclick"),
            "{html}"
        );
    }

    #[test]
    fn nested_lists_tables_and_addresses_do_not_sway_a_block() {
        let html = to_safe_html(concat!(
            "- انبار دوم\n",
            "  - We kept a second warehouse open for the whole of Nowruz, as planned.\n\n",
            "پیش از امضا https://rrk.ir/News/ShowOldNews.aspx?Code=12345 را ببینید.\n\n",
            "| مرحله | Owner |\n|---|---|\n| امضا | Legal team |\n",
        ));
        for block in [
            r#"<li dir="rtl" lang="fa">انبار دوم"#,
            r#"<li dir="ltr" lang="en">We kept a second warehouse"#,
            r#"<p dir="rtl" lang="fa">پیش از امضا"#,
            r#"<th dir="rtl" lang="fa">مرحله</th>"#,
            r#"<th dir="ltr" lang="en">Owner</th>"#,
            r#"<td dir="ltr" lang="en">Legal team</td>"#,
        ] {
            assert!(html.contains(block), "{block} in {html}");
        }
    }

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let html = to_safe_html(
            "## ماجرا\n\n**مهم**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))",
        );
        assert!(
            html.contains(r#"<h2 dir="rtl" lang="fa">ماجرا</h2>"#),
            "{html}"
        );
        assert!(html.contains("<strong>مهم</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
