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
/// `{{chapters}}` (the chapter ids, for the comment that lists them).
pub fn fill(template: &str, kb: &Kb, title: &str, crisis_type: &str, date: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s.trim()).unwrap_or_default();
    let chapters: Vec<&str> = kb.taxonomy.chapters.iter().map(|l| l.id.as_str()).collect();
    template
        .replace("{{title}}", &quote(title))
        .replace("{{crisis_type}}", &quote(crisis_type))
        .replace("{{date}}", &quote(date))
        .replace("{{chapters}}", &chapters.join(", "))
}

/// The story part of a template (the Markdown after the front matter), which the web form
/// starts from.
pub fn story(template: &str) -> String {
    super::frontmatter::body(template.as_bytes())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Whether a story has section headings (two or more, as the templates give) and no text
/// under any of them: a template left unfilled. A lone heading is a title, not a template.
pub fn is_unfilled_story(body: &str) -> bool {
    let mut headings = 0;
    for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.starts_with('#') {
            headings += 1;
        } else {
            return false;
        }
    }
    headings > 1
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
    fn a_story_of_headings_only_is_unfilled() {
        assert!(is_unfilled_story("\n## What happened\n\n## Timeline\n"));
        assert!(!is_unfilled_story("## What happened\nThe rial fell.\n"));
        assert!(!is_unfilled_story(""));
        assert!(!is_unfilled_story("Just a paragraph."));
        assert!(!is_unfilled_story("# A title\n"));
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
