//! A case's Markdown body as safe HTML: pulldown-cmark renders it, ammonia sanitises it,
//! so a `<script>` or an `onerror=` in a case file never runs in a reader's browser.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to sanitised HTML. Images are dropped: the app makes no external
/// request of any kind, and a case's pictures are not served.
pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

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
