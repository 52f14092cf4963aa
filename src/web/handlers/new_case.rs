//! The new-case form (`GET /cases/new`) and its submission (`POST /cases/new`): a whole
//! case written from the browser, without JavaScript. A rejected submission shows the form
//! again with everything the user typed and each message beside its field.

use crate::case::template;
use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use fluent_bundle::FluentArgs;
use serde::Serialize;

use super::Page;
use crate::case::{CaseDraft, DraftError, DraftProblem, FollowUpDraft, MistakeDraft, ProblemKind};
use crate::dates::to_jalali;
use crate::dates::{CaseDate, DateError};
use crate::kb::case_id;
use crate::web::auth::Writer;
use crate::web::error::AppError;
use crate::web::forms::{form_has_token, same_origin};
use crate::web::i18n::Lang;
use crate::web::render::Ui;
use crate::web::view::case_href;
use crate::web::AppState;

/// Rows of mistakes and follow-ups the form offers.
const ROWS: usize = 3;
/// The most rows a submission may carry (a bound on what a request can make us build).
pub(super) const MAX_ROWS: usize = 50;

/// What the form shows in its fields: the user's text, exactly as typed.
#[derive(Debug, Default, Serialize)]
pub(super) struct Values {
    title: String,
    crisis_type: String,
    date: String,
    severity: String,
    counterparty: String,
    actions: String,
    lessons: String,
    body: String,
    mistakes: Vec<MistakeDraft>,
    followups: Vec<FollowUpDraft>,
}

impl Values {
    /// The submitted fields; unknown names are ignored.
    pub(super) fn from_fields(fields: &[(String, String)]) -> Values {
        let mut v = Values::default();
        for (name, value) in fields {
            let value = value.clone();
            match name.as_str() {
                "title" => v.title = value,
                "crisis_type" => v.crisis_type = value,
                "date" => v.date = value,
                "severity" => v.severity = value,
                "counterparty" => v.counterparty = value,
                "actions" => v.actions = value,
                "lessons" => v.lessons = value,
                "body" => v.body = value,
                _ => v.set_row(name, value),
            }
        }
        v.pad();
        v
    }

    /// `m2_text`, `f0_due`, ...: a field of a mistake or follow-up row.
    fn set_row(&mut self, name: &str, value: String) {
        let Some((row, field)) = name.get(1..).and_then(|rest| rest.split_once('_')) else {
            return;
        };
        let Some(i) = row.parse::<usize>().ok().filter(|&i| i < MAX_ROWS) else {
            return;
        };
        if name.starts_with('m') {
            grow(&mut self.mistakes, i);
            let m = &mut self.mistakes[i];
            match field {
                "chapter" => m.chapter = value,
                "text" => m.text = value,
                "lesson" => m.lesson = value,
                _ => {}
            }
        } else if name.starts_with('f') {
            grow(&mut self.followups, i);
            let f = &mut self.followups[i];
            match field {
                "what" => f.what = value,
                "owner" => f.owner = value,
                "due" => f.due = value,
                "done" => f.done = !value.is_empty(),
                _ => {}
            }
        }
    }

    /// At least [`ROWS`] rows of each, for the empty ones the form offers.
    fn pad(&mut self) {
        grow(&mut self.mistakes, ROWS - 1);
        grow(&mut self.followups, ROWS - 1);
    }

    /// One more empty row of `kind` (`mistake` or `followup`), up to [`MAX_ROWS`].
    pub(super) fn add_row(&mut self, kind: &str) {
        match kind {
            "mistake" if self.mistakes.len() < MAX_ROWS => {
                self.mistakes.push(MistakeDraft::default());
            }
            "followup" if self.followups.len() < MAX_ROWS => {
                self.followups.push(FollowUpDraft::default());
            }
            _ => {}
        }
    }

    /// The form's fields for a case's draft, with the empty rows the form offers.
    pub(super) fn from_draft(d: &CaseDraft) -> Values {
        let mut v = Values {
            title: d.title.clone(),
            crisis_type: d.crisis_type.clone(),
            date: d.date.clone(),
            severity: d.severity.clone(),
            counterparty: d.counterparty.clone(),
            actions: d.actions.join("\n"),
            lessons: d.lessons.join("\n"),
            body: d.body.clone(),
            mistakes: d.mistakes.clone(),
            followups: d.followups.clone(),
        };
        v.mistakes.push(MistakeDraft::default());
        v.followups.push(FollowUpDraft::default());
        v.pad();
        v
    }

    pub(super) fn draft(&self) -> CaseDraft {
        CaseDraft {
            title: self.title.clone(),
            crisis_type: self.crisis_type.clone(),
            date: self.date.clone(),
            severity: self.severity.clone(),
            counterparty: self.counterparty.clone(),
            actions: CaseDraft::lines(&self.actions),
            mistakes: self.mistakes.clone(),
            lessons: CaseDraft::lines(&self.lessons),
            followups: self.followups.clone(),
            body: self.body.clone(),
        }
    }
}

/// Adds `value` to `choices` when it is set and not one of them.
fn keep_choice(choices: &mut Vec<Choice>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !choices.iter().any(|c| c.id == value) {
        choices.push(Choice {
            id: value.to_string(),
            label: value.to_string(),
        });
    }
}

fn grow<T: Default>(rows: &mut Vec<T>, index: usize) {
    while rows.len() <= index {
        rows.push(T::default());
    }
}

/// One option of a select.
#[derive(Serialize)]
struct Choice {
    id: String,
    label: String,
}

#[derive(Serialize)]
pub(super) struct FormPage {
    token: String,
    /// Where the form is sent: `/cases/new`, or the case's edit address.
    pub(super) action: String,
    /// Set when the form edits an existing case.
    pub(super) edit: Option<super::edit_case::EditView>,
    values: Values,
    /// Messages by field name (`title`, `mistakes.0.chapter`); `file` for the whole case.
    pub(super) errors: BTreeMap<String, String>,
    crisis_types: Vec<Choice>,
    chapters: Vec<Choice>,
    /// Whether the form may offer another row of each ("+ another mistake").
    more_mistakes: bool,
    more_followups: bool,
}

impl AppState {
    pub(super) fn form_page(
        &self,
        ui: &Ui,
        values: Values,
        errors: BTreeMap<String, String>,
    ) -> FormPage {
        let lang = ui.lang.code();
        let choices = |labels: &[crate::kb::Label]| {
            labels
                .iter()
                .map(|l| Choice {
                    id: l.id.clone(),
                    label: l.in_lang(lang).to_string(),
                })
                .collect()
        };
        // A value the file has but the taxonomy lacks (an edited case) stays choosable.
        let mut crisis_types: Vec<Choice> = choices(&self.kb().taxonomy.crisis_types);
        keep_choice(&mut crisis_types, &values.crisis_type);
        let mut chapters: Vec<Choice> = choices(&self.kb().taxonomy.chapters);
        for m in &values.mistakes {
            keep_choice(&mut chapters, &m.chapter);
        }
        FormPage {
            token: ui.csrf.clone(),
            action: "/cases/new".to_string(),
            edit: None,
            more_mistakes: values.mistakes.len() < MAX_ROWS,
            more_followups: values.followups.len() < MAX_ROWS,
            values,
            errors,
            crisis_types,
            chapters,
        }
    }

    pub(super) fn render_form(&self, ui: &Ui, status: StatusCode, page: FormPage) -> Response {
        match self.page("new_case.html", ui, &page) {
            Ok(html) => (status, html).into_response(),
            Err(e) => e.into_response(),
        }
    }
}

/// Today as the form's date field shows it: Jalali in Persian digits, or Gregorian.
fn today(lang: Lang) -> String {
    let day = chrono::Local::now().date_naive();
    match lang {
        Lang::Fa => {
            let j = to_jalali(day);
            lang.digits(&format!("{}-{:02}-{:02}", j.year, j.month, j.day))
        }
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// `GET /cases/new`: the empty form, dated today.
pub async fn form(
    State(state): State<AppState>,
    Page(ui): Page,
    _writer: Writer,
) -> Result<Response, AppError> {
    // The story starts from the case template's headings, as `casebook new` writes them.
    let story = match template::load(state.kb(), ui.lang) {
        Ok(t) => template::story(&t),
        Err(e) => {
            tracing::warn!("the form uses the built-in template: {e}");
            template::story(template::built_in(ui.lang))
        }
    };
    let mut values = Values {
        date: today(ui.lang),
        body: story,
        ..Values::default()
    };
    values.pad();
    let page = state.form_page(&ui, values, BTreeMap::new());
    Ok(state.render_form(&ui, StatusCode::OK, page))
}

/// `POST /cases/new`: checks the origin and token, writes the case, reloads the snapshot
/// and the index, and sends the browser to the new case (303). Problems show the form
/// again (422), with the user's text kept.
pub async fn submit(
    State(state): State<AppState>,
    Page(ui): Page,
    writer: Writer,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden(state.i18n().text(
            ui.lang,
            "form-other-site",
            None,
        )));
    }
    let values = Values::from_fields(&fields);
    if !form_has_token(&writer.csrf, &fields) {
        let errors = message(&state, ui.lang, "file", "form-error-token", "");
        let page = state.form_page(&ui, values, errors);
        return Ok(state.render_form(&ui, StatusCode::FORBIDDEN, page));
    }
    // "+ another mistake": the same form with one more row; nothing is written.
    if let Some((_, kind)) = fields.iter().find(|(k, _)| k == "add") {
        let mut values = values;
        values.add_row(kind);
        let page = state.form_page(&ui, values, BTreeMap::new());
        return Ok(state.render_form(&ui, StatusCode::OK, page));
    }
    let mut draft = values.draft();
    // The story the form started from, left as it was, is no story.
    if template::is_unfilled_story(&draft.body) {
        draft.body.clear();
    }
    let subject = format!("case: add {}", values.title);
    let written = state
        .save(&writer.name, move |kb| {
            draft.write(kb).map(|rel| (rel, subject, ()))
        })
        .await?;
    let errors = match written {
        Ok((rel, ())) => {
            return Ok(Redirect::to(&case_href(&case_id(&rel))).into_response());
        }
        Err(DraftError::Invalid(problems)) => problem_messages(&state, ui.lang, &values, &problems),
        Err(DraftError::Write(e)) => {
            tracing::warn!("writing a case from the form: {e}");
            message(&state, ui.lang, "file", "form-error-write", &e.to_string())
        }
    };
    let page = state.form_page(&ui, values, errors);
    Ok(state.render_form(&ui, StatusCode::UNPROCESSABLE_ENTITY, page))
}

pub(super) fn message(
    state: &AppState,
    lang: Lang,
    field: &str,
    key: &str,
    detail: &str,
) -> BTreeMap<String, String> {
    let mut args = FluentArgs::new();
    args.set("detail", detail.to_string());
    let text = state.i18n().text(lang, key, Some(&args));
    BTreeMap::from([(field.to_string(), text)])
}

/// Each problem as a message in the reader's language, by field; two on one field join.
pub(super) fn problem_messages(
    state: &AppState,
    lang: Lang,
    values: &Values,
    problems: &[DraftProblem],
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for p in problems {
        let text = match date_error(values, p) {
            Some(e) => e.message().text(lang),
            None => {
                let kind = serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let key = format!("form-error-{kind}");
                message(state, lang, &p.field, &key, &p.detail)
                    .remove(&p.field)
                    .unwrap_or_default()
            }
        };
        out.entry(p.field.clone())
            .and_modify(|m| {
                m.push(' ');
                m.push_str(&text);
            })
            .or_insert(text);
    }
    out
}

/// The date error behind a date problem, read again from the submitted value so that it
/// can be told in the reader's language (the draft's detail is English).
fn date_error(values: &Values, p: &DraftProblem) -> Option<DateError> {
    if p.kind != ProblemKind::Date {
        return None;
    }
    let value = match p.field.as_str() {
        "date" => values.date.as_str(),
        field => {
            let i: usize = field
                .strip_prefix("followups.")?
                .strip_suffix(".due")?
                .parse()
                .ok()?;
            values.followups.get(i)?.due.as_str()
        }
    };
    CaseDate::parse(value).err()
}
