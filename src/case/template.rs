//! The case template: what `casebook new` writes and the story the web form starts from.
//! A knowledge base's own `templates/case.md` wins; otherwise the built-in template in the
//! knowledge base's language. The built-in templates give their prompts as comments and
//! leave the values empty, so an unfilled case says nothing rather than something false;
//! `check` warns about every item left empty, and about the example texts the templates
//! of earlier versions wrote as values, which never reach the notebook, digest or search.

use std::path::Path;

use super::write::WriteError;
use crate::i18n::Lang;
use crate::kb::Kb;
use crate::text::fold_key;

/// The built-in template in English.
pub const ENGLISH: &str = include_str!("../../templates/case.md");
/// The built-in template in Persian.
pub const PERSIAN: &str = include_str!("../../templates/case.fa.md");

/// The values the English template of earlier versions wrote: example text that reads
/// like a real mistake or lesson if left in.
const OLD_EXAMPLES: &[&str] = &[
    "What we did first",
    "What we did wrong",
    "What to do instead next time",
    "The lesson to read before the next decision",
    "Something still to do",
    "Who",
];

/// Whether a value is a template's example text rather than something the team wrote.
pub fn is_example_text(text: &str) -> bool {
    let key = fold_key(text);
    !key.is_empty() && OLD_EXAMPLES.iter().any(|e| fold_key(e) == key)
}

/// The built-in template for a language.
pub fn built_in(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => PERSIAN,
        Lang::En => ENGLISH,
    }
}

/// The knowledge base's language (`default_lang` in `casebook.toml`).
pub fn kb_lang(kb: &Kb) -> Lang {
    Lang::from_tag(&kb.taxonomy.default_lang).unwrap_or(Lang::Fa)
}

/// The template of a knowledge base: its own `templates/case.md`, or the built-in one in
/// `lang`.
pub fn load(kb: &Kb, lang: Lang) -> Result<String, WriteError> {
    let custom = Path::new(crate::kb::TEMPLATES_DIR).join("case.md");
    let io = |source| WriteError::Io {
        path: custom.clone(),
        source,
    };
    match kb.read(&custom) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| io(std::io::Error::other("not UTF-8: save it as UTF-8"))),
        Err(e) if e.is_not_found() => Ok(built_in(lang).to_string()),
        Err(e) => Err(io(std::io::Error::other(e.to_string()))),
    }
}

/// Fills `{{title}}`, `{{crisis_type}}` and `{{date}}` (as quoted YAML strings) and
/// `{{chapters}}` (the chapter ids, for the comment that lists them), in one pass over the
/// template: a title that contains `{{date}}` stays that text.
pub fn fill(template: &str, kb: &Kb, title: &str, crisis_type: &str, date: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s.trim()).unwrap_or_default();
    // Chapter ids come from casebook.toml: kept on the comment's line.
    let chapters: Vec<String> = kb
        .taxonomy
        .chapters
        .iter()
        .map(|l| l.id.chars().filter(|c| !c.is_control()).collect())
        .collect();
    let mut out = String::with_capacity(template.len() + title.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let value = [
            ("{{title}}", quote(title)),
            ("{{crisis_type}}", quote(crisis_type)),
            ("{{date}}", quote(date)),
            ("{{chapters}}", chapters.join(", ")),
        ]
        .into_iter()
        .find(|(name, _)| after.starts_with(name));
        match value {
            Some((name, value)) => {
                out.push_str(&value);
                rest = &after[name.len()..];
            }
            None => {
                out.push_str("{{");
                rest = &after[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The story part of a template (the Markdown after the front matter), which the web form
/// starts from.
pub fn story(template: &str) -> String {
    super::frontmatter::body(template.as_bytes())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Whether a story is nothing but the section headings of a built-in template (two or
/// more of them, in either language, and no text): a template left unfilled. A team's own
/// headings, or a lone title, are a story.
pub fn is_unfilled_story(body: &str) -> bool {
    let mut headings = 0;
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match heading_text(line) {
            Some(text) if template_headings().contains(&fold_key(text)) => headings += 1,
            _ => return false,
        }
    }
    headings > 1
}

/// The text of an ATX heading line (`## What happened`), or `None`.
fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    let rest = &line[hashes..];
    ((1..=6).contains(&hashes) && rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// The folded headings of the built-in templates' stories.
fn template_headings() -> &'static [String] {
    static HEADINGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    HEADINGS.get_or_init(|| {
        [ENGLISH, PERSIAN]
            .iter()
            .flat_map(|t| {
                story(t)
                    .lines()
                    .filter_map(heading_text)
                    .map(fold_key)
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_examples_are_recognised_in_any_case_and_spacing() {
        assert!(is_example_text("What we did wrong"));
        assert!(is_example_text("  what we did WRONG "));
        assert!(!is_example_text("What we did wrong with the bank"));
        assert!(!is_example_text(""));
    }

    #[test]
    fn placeholders_are_filled_once_whatever_the_title_says() {
        let dir = tempfile::tempdir().unwrap();
        let kb = Kb::open(dir.path()).unwrap();
        let text = fill(ENGLISH, &kb, "The {{date}} day", "supply", "2024-01-02");
        assert!(text.contains("title: \"The {{date}} day\""), "{text}");
        assert!(text.contains("date: \"2024-01-02\""));
        assert!(text.contains("chapter: contracts, suppliers"), "{text}");
        let parsed = crate::case::Case::parse("x.md", text.as_bytes(), &kb.taxonomy);
        assert!(parsed.case.is_some(), "{:?}", parsed.diagnostics);
    }

    #[test]
    fn a_story_of_headings_only_is_unfilled() {
        assert!(is_unfilled_story("\n## What happened\n\n## Timeline\n"));
        assert!(!is_unfilled_story("## What happened\nThe rial fell.\n"));
        assert!(!is_unfilled_story(""));
        assert!(!is_unfilled_story("Just a paragraph."));
        assert!(!is_unfilled_story("# A title\n"));
        assert!(is_unfilled_story(
            "## چه شد\n\n## گاه‌شمار\n\n## دفعهٔ بعد چه می‌کنیم\n"
        ));
        // A team's own headings are a story, and so are hashtags.
        assert!(!is_unfilled_story("## قرارداد لغو شد\n## پول برنگشت\n"));
        assert!(!is_unfilled_story("#What happened\n#Timeline\n"));
    }

    /// The form and the file ask the same questions in the same words.
    #[test]
    fn the_form_prompts_are_the_template_prompts() {
        for lang in [Lang::En, Lang::Fa] {
            let template = built_in(lang).to_lowercase();
            for key in [
                "form-field-actions",
                "form-field-mistake",
                "form-field-lesson",
                "form-field-what",
                "form-field-owner",
            ] {
                let prompt = crate::i18n::global().text(lang, key, None).to_lowercase();
                assert!(
                    template.contains(&prompt),
                    "{lang:?}: {prompt:?} not in the template"
                );
            }
        }
    }

    #[test]
    fn both_built_in_templates_have_the_same_keys_and_stories() {
        let keys = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.starts_with([' ', '#', '-']) && l.contains(':'))
                .map(|l| l.split(':').next().unwrap().to_string())
                .collect()
        };
        assert_eq!(keys(ENGLISH), keys(PERSIAN));
        assert!(is_unfilled_story(&story(ENGLISH)));
        assert!(is_unfilled_story(&story(PERSIAN)));
        assert!(story(PERSIAN).contains("## چه شد"));
    }
}
