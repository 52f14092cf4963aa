# Diagnostics of `check` and the problems page, in English. Each message says what was
# found and what to write instead. Keep the keys in step with diag.fa.ftl.

verbatim = { $text }

## Front matter
diag-empty-file = the file is empty. A case starts with front matter: a line `---`, then `title: ...` and `crisis_type: ...`, then `---`; run `casebook new` for a template
diag-no-front-matter = no front matter: the file must start with a line `---`, then the YAML keys, then another `---`; found { $found }. Did you forget the opening `---`?
diag-unclosed-front-matter = unterminated front matter: the `---` on this line is never closed. Add a line `---` after the last key, before the Markdown body
diag-front-matter-too-big = the front matter is { $size } bytes, over the limit of { $limit } (256 KB). Front matter holds the case's fields; move long text into the Markdown body, after the closing `---`
diag-not-utf8 = invalid UTF-8: the file is not saved as UTF-8 (perhaps Windows-1256). Re-save it as UTF-8 in your editor
diag-front-matter-not-keys = the front matter is not a set of `key: value` lines. Write e.g. `title: ...`
diag-yaml-too-big = front matter refused: the YAML expands to more than 8 MB of values, which only aliases (`*name`, repeating an anchored `&name` value) can do in a file this size. Write the values out instead of repeating them through aliases
diag-invalid-yaml = invalid YAML in front matter: { $detail }. Check quoting and indentation; a value containing `: ` or starting with a quote must be quoted whole

## Reading errors
read-error-outside = the path leads outside the knowledge base folder; casebook reads only files inside it
read-error-link = a symbolic link: casebook does not follow links, which could lead outside the knowledge base. Replace the link with the file itself
read-error-not-a-file = not a regular file
read-error-too-large = the file is { $size } bytes, over the limit of { $limit } bytes for a file in a knowledge base. Keep attachments outside the case folder and link to them
diag-cannot-read = cannot read the file: { $detail }
diag-not-loaded = not loaded: { $detail }
diag-link-to-folder = a symbolic link to a folder: casebook does not follow links, so the cases in { $folder } are not loaded. Move the folder into the knowledge base instead
diag-duplicate-id = duplicate id: { $id } and { $first } differ only in spelling or letter case. Rename one of the files
diag-reserved-id = the id { $id } is also a page of the web app (/cases/{ $page }), so this case's page cannot be opened. Rename the file
diag-new-case-needs-date = a new case needs a 'date' (when the crisis began): add one, e.g. 1405-02-10

## What a YAML value is, inside other messages
diag-kind-nothing = nothing
diag-kind-bool = true/false
diag-kind-number = a number
diag-kind-text = text
diag-kind-list = a list
diag-kind-keys = a set of keys
diag-kind-tagged = a tagged value

## Case fields
diag-not-text = '{ $what }' must be text, found { $found }. Write it on one line after the colon
diag-hint-title = What happened, in a few words
diag-missing-key = missing required key '{ $key }'. Add a line `{ $key }: { $hint }`
diag-empty-key = '{ $key }' is empty. Write e.g. `{ $key }: { $hint }`
diag-not-list = '{ $key }' must be a list (lines starting with `- `), found { $found }
diag-date-not-text = '{ $what }' must be a date like 2012-10-01 or 1391-07-10, found { $found }
diag-bad-date = '{ $what }' is not a valid date: { $detail }
diag-unknown-crisis-type = unknown crisis type { $value }; the case stays searchable. Use one of: { $known }, or add it to casebook.toml
diag-ended-before-date = 'ended' ({ $ended }) is before 'date' ({ $date }). Check the two dates
diag-key-not-text = a front-matter key must be text, found { $found }
diag-unknown-key = unknown key '{ $key }' (kept as is, not searched).
diag-unknown-key-typo = unknown key '{ $key }' (kept as is, not searched). Did you mean '{ $known }'?
diag-bad-severity = 'severity' is { $value }. Write one of: low, medium, high, critical
diag-bad-status = 'status' is { $value }. Write draft or final
diag-item-not-keys = { $key } item { $item } must be a set of keys like `- { $example }`, found { $found }
diag-not-item-list = '{ $key }' must be a list of items like `- { $example }`, found { $found }
diag-mistake-no-text = mistake { $item } has no 'text'. Add `text: what went wrong`
diag-mistake-no-chapter = mistake { $item } has no 'chapter'; it will not appear in the notebook. Add `chapter:` one of: { $known }
diag-unknown-chapter = unknown chapter { $value }; the mistake stays searchable. Use one of: { $known }, or add it to casebook.toml
diag-mistake-unknown-key = unknown key '{ $key }' in mistake { $item } (kept out). Use chapter, text, lesson
diag-followup-no-what = follow-up { $item } has no 'what'. Add `what: the thing to do`
diag-done-not-bool = 'done' must be true or false, found { $found }

## Glossary
diag-glossary-not-utf8 = not UTF-8: save it as UTF-8
diag-glossary-invalid = { $detail }. The glossary is `terms = [["contract", "قرارداد"], …]`: one list of words that mean the same per concept
diag-glossary-too-many = { $count } concepts; only the first { $limit } are used
diag-glossary-left-out = { $count } concept(s) left out: each needs 2 to { $forms } forms of at most { $chars } characters

## Anticipated crises and the month-start table
diag-sighting-not-lines = expected lines like `1447-01: 2025-06-27` (Hijri year-month: the announced first day)
diag-sighting-invalid-yaml = invalid YAML: { $detail }. Write one `1447-01: 2025-06-27` per line
diag-sighting-not-month = { $key } is not a Hijri year and month. Write e.g. `1447-01` for Muharram 1447
diag-sighting-bad-date = { $key }: { $detail }
diag-sighting-not-day = { $key }: { $value } is not a full date. Write the announced first day, e.g. 2025-06-27
diag-sighting-far = { $month } starts on { $first } here but { $computed } by Umm al-Qura ({ $gap } days). Sighting moves a month by a day or two at most: check the year and month
diag-crisis-duplicate-id = duplicate id { $id }: { $first } has the same file name. Cases link by file name, so rename one
diag-dangling-recurring = 'recurring: { $id }' names no anticipated crisis in { $folder }/. Use one of: { $known }
diag-crisis-not-text = '{ $key }' must be text on one line after the colon
diag-crisis-missing = missing or empty '{ $key }'. Add a line `{ $key }: { $example }`
diag-crisis-bad-days = '{ $key }' is { $value }. Write a number of days from 0 to { $max }
diag-crisis-not-day = '{ $key }' must be a full day, YYYY-MM-DD (Gregorian or Jalali); found { $value }
diag-crisis-bad-rule = bad rule: { $detail }
diag-crisis-unknown-key = unknown key '{ $key }' (kept as is).
diag-crisis-unknown-key-typo = unknown key '{ $key }' (kept as is). Did you mean '{ $known }'?
diag-crisis-unknown-type = unknown crisis type { $value }; only cases with `recurring:` will be linked. Use one of: { $known }
diag-crisis-bad-calendar = 'calendar' is { $value }. Write { $persian }, { $islamic } or { $gregorian }
diag-crisis-estimated-not-bool = 'estimated' must be true or false
diag-crisis-overrides-not-lines = 'overrides' must be lines `  YEAR: announced date` under it, e.g. `  1447: 2025-07-05`
diag-crisis-override-not-year = override key { $key } is not a year. Write the year in this file's calendar, e.g. `1447: 2025-07-05`
diag-crisis-sources-not-list = 'sources' must be a list of lines starting with `- `

## casebook check
check-summary = { $cases } case(s) loaded, { $errors } error(s), { $warnings } warning(s), { $crises } anticipated crisis(es)

## What a template left unfilled
diag-empty-item = { $key } item { $item } is empty (left from the template): write it, or delete the line
diag-example-item = { $key } item { $item } is the template's example { $text }, not something that happened: write your own, or delete the line. It is left out of the notebook, the digest and search
diag-example-value = '{ $key }' is the template's example { $text }, not something that happened: write your own, or delete it. It is left out of the notebook, the digest and search
diag-empty-mistake = mistake { $item } is empty (left from the template): write what went wrong and the lesson, or delete the item
diag-empty-followup = follow-up { $item } is empty (left from the template): write what is still to do and who does it, or delete the item
diag-story-empty = the story has headings but nothing under them (left from the template): write what happened, or delete the headings
