//! The words of a Markdown body without its markup: what the index stores and searches,
//! so that snippets read like prose (no `##`, `**` or link targets).

use pulldown_cmark::{Event, Options, Parser, TagEnd};

/// The text of `markdown`: text and code kept, soft breaks as spaces, the end of each
/// block as a newline; markup, link targets and raw HTML dropped. A story of nothing but
/// headings is a template left unfilled: its headings are not the team's words, and would
/// make every unfilled case match "what happened".
pub fn plain_text(markdown: &str) -> String {
    if crate::case::template::is_unfilled_story(markdown) {
        return String::new();
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak | Event::Rule => newline(&mut out),
            Event::End(end) if ends_block(&end) => newline(&mut out),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// Whether the end of this element ends a line of text.
fn ends_block(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::FootnoteDefinition
    )
}

/// Ends the current line, without blank lines.
fn newline(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_goes_and_words_stay() {
        let md = "## What happened\n\nWe signed **without** a [lawyer](https://x.example).\n\n\
                  - first `code`\n- second\n\n> quoted\nline";
        let text = plain_text(md);
        assert_eq!(
            text,
            "What happened\nWe signed without a lawyer.\nfirst code\nsecond\nquoted line"
        );
    }

    #[test]
    fn a_story_of_template_headings_only_is_empty() {
        assert_eq!(plain_text("## What happened\n\n## Timeline\n"), "");
        assert_eq!(
            plain_text("## What happened\nThe rial fell."),
            "What happened\nThe rial fell."
        );
    }

    #[test]
    fn persian_text_keeps_its_half_spaces() {
        assert_eq!(
            plain_text("# قرارداد\u{200C}ها\n\n*مهم*"),
            "قرارداد\u{200C}ها\nمهم"
        );
    }
}
