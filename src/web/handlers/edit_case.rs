//! Editing a case from the browser: the new-case form, filled from the file; a diff of
//! the file before anything is saved; a save only over the version the form was opened
//! from (else both versions side by side); and marking a follow-up done from the case
//! page or the digest. Every save is one commit by the logged-in user.

use std::collections::BTreeMap;
use std::path::PathBuf;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use super::new_case::{message, problem_messages, Values};
use super::{field, genuine_form, Page};
use crate::case::{replace, version_tag, Case, CaseDraft, SaveError};
use crate::web::auth::{safe_next, Writer};
use crate::web::error::{AppError, Missing};
use crate::web::render::Ui;
use crate::web::view::case_href;
use crate::web::AppState;

/// What the form shows when it edits a case.
#[derive(Debug, Serialize)]
pub struct EditView {
    /// The version tag of the file the form was filled from.
    version: String,
    /// The case page.
    case_href: String,
    /// The changes the form would make, when it was sent for a preview.
    diff: Option<Vec<DiffLine>>,
    /// Both versions, when the file changed since the form was opened.
    conflict: Option<Conflict>,
}

/// One line of a diff: `same`, `removed` or `added`, or `gap` for unchanged lines left out.
#[derive(Debug, Serialize)]
pub struct DiffLine {
    kind: &'static str,
    text: String,
}

/// The file as it is now and the file as this form would write it.
#[derive(Debug, Serialize)]
pub struct Conflict {
    current: String,
    mine: String,
}

/// The lines that change from `old` to `new`, with three lines of context.
fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    // A diff of two large, unlike texts could take long: after the deadline it is coarser.
    let diff = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(300))
        .diff_lines(old, new);
    let mut lines = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            lines.push(DiffLine {
                kind: "gap",
                text: "…".into(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let kind = match change.tag() {
                    ChangeTag::Equal => "same",
                    ChangeTag::Delete => "removed",
                    ChangeTag::Insert => "added",
                };
                lines.push(DiffLine {
                    kind,
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    lines
}

/// The address of a case's edit form.
pub fn edit_href(id: &str) -> String {
    format!("/edit{}", case_href(id).trim_start_matches("/cases"))
}

/// Where a follow-up of a case is marked done.
pub fn followup_href(id: &str) -> String {
    format!("/followup{}", case_href(id).trim_start_matches("/cases"))
}

/// The case file of `id` as it is now: its path, its text, the case read from it.
pub(super) async fn current(
    state: &AppState,
    id: &str,
) -> Result<(PathBuf, String, Case), AppError> {
    let (path, bytes) = super::api::current_file(state, id).await?;
    let case = Case::parse(&path, &bytes, &state.kb().taxonomy)
        .case
        .ok_or_else(|| {
            AppError::BadRequest(format!(
                "{}: the file has errors (see the problems page); fix it in an editor first",
                path.display()
            ))
        })?;
    let text = String::from_utf8(bytes).map_err(|_| AppError::NotFound(Missing::Case))?;
    let rows = case.mistakes.len().max(case.followups.len());
    if rows >= super::new_case::MAX_ROWS {
        return Err(AppError::BadRequest(format!(
            "{}: {rows} mistakes or follow-ups are more than the form holds; edit the file in an editor",
            path.display()
        )));
    }
    Ok((path, text, case))
}

fn edit_page(
    state: &AppState,
    ui: &Ui,
    id: &str,
    values: Values,
    version: String,
) -> super::new_case::FormPage {
    let mut page = state.form_page(ui, values, BTreeMap::new());
    page.action = edit_href(id);
    page.edit = Some(EditView {
        version,
        case_href: case_href(id),
        diff: None,
        conflict: None,
    });
    page
}

/// `GET /edit/{id}`: the form, filled from the file as it is now.
pub async fn form(
    State(state): State<AppState>,
    Page(ui): Page,
    _writer: Writer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, text, case) = current(&state, &id).await?;
    let draft = CaseDraft::from_case(&case, &Case::body_of(text.as_bytes()));
    let page = edit_page(
        &state,
        &ui,
        &id,
        Values::from_draft(&draft),
        version_tag(text.as_bytes()),
    );
    Ok(state.render_form(&ui, StatusCode::OK, page))
}

/// `POST /edit/{id}`: without `confirm`, the form again with the diff of what would be
/// saved; with it, the save (over the version the form was opened from only), a commit,
/// and the case page. A file changed meanwhile shows both versions (409); problems show
/// beside their fields (422); everything typed is kept.
pub async fn submit(
    State(state): State<AppState>,
    Page(ui): Page,
    writer: Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    genuine_form(&state, &ui, &headers, &writer.csrf, &fields)?;
    let field = |name: &str| field(&fields, name);
    let version = field("version").unwrap_or_default().to_string();
    let mut values = Values::from_fields(&fields);
    if let Some(kind) = field("add") {
        values.add_row(kind);
        let page = edit_page(&state, &ui, &id, values, version);
        return Ok(state.render_form(&ui, StatusCode::OK, page));
    }
    let (rel, text, case) = current(&state, &id).await?;
    let before = CaseDraft::from_case(&case, &Case::body_of(text.as_bytes()));
    let draft = values.draft();
    let edited = match draft.edit(state.kb(), &rel, &text, &before) {
        Ok(edited) => edited,
        Err(problems) => {
            let mut page = edit_page(&state, &ui, &id, Values::from_fields(&fields), version);
            page.errors = problem_messages(&state, ui.lang, &values, &problems);
            return Ok(state.render_form(&ui, StatusCode::UNPROCESSABLE_ENTITY, page));
        }
    };
    let changed_meanwhile = version_tag(text.as_bytes()) != version;
    if changed_meanwhile {
        return Ok(conflict(&state, &ui, &id, values, &text, &edited));
    }
    if edited == text {
        return Ok(Redirect::to(&case_href(&id)).into_response());
    }
    if field("confirm").is_none() {
        let mut page = edit_page(&state, &ui, &id, values, version);
        if let Some(edit) = page.edit.as_mut() {
            edit.diff = Some(diff(&text, &edited));
        }
        return Ok(state.render_form(&ui, StatusCode::OK, page));
    }
    let subject = format!("case: edit {}", draft.title);
    let new_text = edited.clone();
    let saved = state
        .save(&writer.name, move |kb| {
            replace(kb, &rel, &version, &new_text).map(|tag| (rel, subject, tag))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Redirect::to(&case_href(&id)).into_response()),
        Err(SaveError::Changed { current, .. }) => {
            let current = String::from_utf8_lossy(&current).into_owned();
            Ok(conflict(&state, &ui, &id, values, &current, &edited))
        }
        Err(SaveError::Invalid(diagnostics)) => {
            let detail: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
            let mut page = edit_page(&state, &ui, &id, values, String::new());
            page.errors = message(
                &state,
                ui.lang,
                "file",
                "form-error-write",
                &detail.join("; "),
            );
            Ok(state.render_form(&ui, StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(SaveError::Gone(_)) => Err(AppError::NotFound(Missing::Case)),
        Err(e) => Err(AppError::internal(e)),
    }
}

/// The form again, with the file as it is now beside this form's version (409). Its
/// version becomes the current one: saving again, after merging, is a choice made with
/// both in view, never a silent overwrite.
fn conflict(
    state: &AppState,
    ui: &Ui,
    id: &str,
    values: Values,
    current: &str,
    mine: &str,
) -> Response {
    let mut page = edit_page(state, ui, id, values, version_tag(current.as_bytes()));
    if let Some(edit) = page.edit.as_mut() {
        edit.conflict = Some(Conflict {
            current: current.to_string(),
            mine: mine.to_string(),
        });
    }
    state.render_form(ui, StatusCode::CONFLICT, page)
}

/// `POST /followup/{id}`: marks follow-up `index` of the case done (the same write path
/// as an edit: only the follow-ups change, one commit), then back to `next`.
pub async fn followup_done(
    State(state): State<AppState>,
    Page(ui): Page,
    writer: Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    genuine_form(&state, &ui, &headers, &writer.csrf, &fields)?;
    let field = |name: &str| field(&fields, name);
    let index: usize = field("index")
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| AppError::BadRequest("which follow-up: index is missing".into()))?;
    let next = safe_next(field("next"));
    let (rel, text, case) = current(&state, &id).await?;
    let before = CaseDraft::from_case(&case, &Case::body_of(text.as_bytes()));
    let mut draft = before.clone();
    let followup = draft
        .followups
        .get_mut(index)
        .ok_or_else(|| AppError::BadRequest(format!("the case has no follow-up {index}")))?;
    // The page showed this follow-up at this place: if the list changed since, the index
    // may name another one.
    let shown = field("what").map(|w| w.split_whitespace().collect::<Vec<_>>().join(" "));
    let here = followup
        .what
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if shown.is_some_and(|w| w != here) {
        return Err(AppError::Conflict(state.i18n().text(
            ui.lang,
            "followup-changed",
            None,
        )));
    }
    if followup.done {
        return Ok(Redirect::to(&next).into_response());
    }
    followup.done = true;
    let what = followup.what.clone();
    let edited = draft.edit(state.kb(), &rel, &text, &before).map_err(|problems| {
        let details: Vec<String> = problems.iter().map(|p| p.detail.clone()).collect();
        AppError::BadRequest(format!(
            "{}: the case cannot be written back as it is ({}); mark the follow-up done in an editor",
            rel.display(),
            details.join("; ")
        ))
    })?;
    let version = version_tag(text.as_bytes());
    let subject = format!("case: follow-up done: {what} ({})", case.title);
    let saved = state
        .save(&writer.name, move |kb| {
            replace(kb, &rel, &version, &edited).map(|tag| (rel, subject, tag))
        })
        .await?;
    match saved {
        Ok(_) => Ok(Redirect::to(&next).into_response()),
        Err(SaveError::Changed { .. }) => Err(AppError::Conflict(state.i18n().text(
            ui.lang,
            "followup-changed",
            None,
        ))),
        Err(e) => Err(AppError::internal(e)),
    }
}
