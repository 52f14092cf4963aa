//! Editing a case from the browser: only what changed changes, the diff comes first, a
//! file changed meanwhile is never overwritten, follow-ups are marked done, and every
//! save is a commit by the user.

use axum::http::StatusCode;

use super::util::{get, get_as, log_in, post_as, post_form, Kb, USER};

const CASE: &str = "---\n# Written by hand; keep this comment.\ntitle: قرارداد با امضای غیرمجاز\ncrisis_type: contracts\ndate: 1402-03-15\nreviewed_by: رضا   # a key casebook does not know\nmistakes:\n  - chapter: contracts\n    text: امضاکننده مجاز نبود\nfollowups:\n  - what: بررسی روزنامهٔ رسمی\n    owner: مینا\n  - what: تماس با وکیل\n---\n\n## شرح\n\nمتن   با فاصله‌های   عجیب.\n";

const ID: &str = "contract-edit";

fn setup() -> (Kb, axum::Router) {
    let kb = Kb::fixture();
    kb.write(&format!("{ID}.md"), CASE);
    kb.git_commit("Team", "The cases so far");
    let app = kb.app();
    (kb, app)
}

fn file(kb: &Kb) -> String {
    std::fs::read_to_string(kb.path().join(format!("{ID}.md"))).unwrap()
}

/// The edit form's fields as a browser would send them back, with `changes` applied.
fn form_fields(page: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for part in page
        .split("<input")
        .skip(1)
        .chain(page.split("<textarea").skip(1))
    {
        let attr = |name: &str| {
            part.split_once(&format!(" {name}=\""))
                .map(|(_, rest)| rest.split('"').next().unwrap().to_string())
        };
        let Some(name) = attr("name") else { continue };
        if name == "token" {
            continue;
        }
        if part.contains("type=\"checkbox\"") {
            if part.contains(" checked") {
                fields.push((name, "on".to_string()));
            }
            continue;
        }
        let value = if part.trim_start().starts_with("id=")
            && page.contains(&format!("<textarea id=\"{name}\""))
        {
            let (_, rest) = part.split_once('>').unwrap();
            rest.split("</textarea>").next().unwrap().to_string()
        } else {
            attr("value").unwrap_or_default()
        };
        fields.push((name, html_unescape(&value)));
    }
    for select in page.split("<select").skip(1) {
        let name = select
            .split_once(" name=\"")
            .unwrap()
            .1
            .split('"')
            .next()
            .unwrap();
        let chosen = select
            .split("</select>")
            .next()
            .unwrap()
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.contains(" selected"))
            .map(|o| o.split('"').next().unwrap().to_string())
            .unwrap_or_default();
        fields.push((name.to_string(), chosen));
    }
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn an_edit_shows_its_diff_then_changes_only_what_changed_and_is_committed() {
    let (kb, app) = setup();
    let login = log_in(&app).await;
    let case_page = get_as(&app, &login, &format!("/cases/{ID}")).await;
    assert!(
        case_page.body.contains(&format!(r#"href="/edit/{ID}""#)),
        "an Edit link"
    );
    let form = get_as(&app, &login, &format!("/edit/{ID}")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains(r#"value="قرارداد با امضای غیرمجاز""#),
        "filled from the file"
    );
    let version = form
        .body
        .split_once(r#"name="version" value=""#)
        .map(|(_, rest)| rest.split('"').next().unwrap().to_string())
        .expect("the version the form was filled from");
    assert!(!version.is_empty());

    let fields = form_fields(&form.body, &[("title", "قرارداد با امضاکنندهٔ غیرمجاز")]);
    let preview = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&fields)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("class=\"diff\""), "{}", preview.body);
    assert!(preview.body.contains("قرارداد با امضاکنندهٔ غیرمجاز"));
    assert_eq!(file(&kb), CASE, "nothing saved before the confirmation");

    let mut confirmed = fields.clone();
    confirmed.push(("confirm".into(), "1".into()));
    let r = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&confirmed)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.header("location"), Some(format!("/cases/{ID}").as_str()));
    assert_eq!(
        file(&kb),
        CASE.replace(
            "title: قرارداد با امضای غیرمجاز",
            "title: قرارداد با امضاکنندهٔ غیرمجاز"
        ),
        "one line changed; the comment, the unknown key, the lists and the body byte for byte"
    );
    let page = get(&app, &format!("/cases/{ID}")).await;
    assert!(page.body.contains("قرارداد با امضاکنندهٔ غیرمجاز"));
    let log = super::util::git(kb.path(), &["log", "-1", "--format=%an|%s"]);
    assert_eq!(
        log.trim(),
        format!("{USER}|case: edit قرارداد با امضاکنندهٔ غیرمجاز")
    );
    let history = get(&app, &format!("/history/{ID}")).await;
    assert!(
        history.body.contains(USER) && history.body.contains("case: edit"),
        "{}",
        history.body
    );
}

#[tokio::test]
async fn a_file_changed_since_the_form_opened_is_never_overwritten() {
    let (kb, app) = setup();
    let login = log_in(&app).await;
    let form = get_as(&app, &login, &format!("/edit/{ID}")).await;
    // Meanwhile, someone edits the file in a text editor.
    let theirs = CASE.replace("متن   با", "متن ویرایش‌شده با");
    kb.write(&format!("{ID}.md"), &theirs);
    let mut fields = form_fields(&form.body, &[("title", "عنوان من")]);
    fields.push(("confirm".into(), "1".into()));
    let r = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&fields)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("متن ویرایش‌شده با"), "their version shown");
    assert!(
        r.body.contains("عنوان من"),
        "mine shown and kept in the form"
    );
    assert_eq!(file(&kb), theirs, "nothing overwritten");
}

#[tokio::test]
async fn problems_show_beside_the_field_with_everything_kept() {
    let (kb, app) = setup();
    let login = log_in(&app).await;
    let form = get_as(&app, &login, &format!("/edit/{ID}")).await;
    let fields = form_fields(
        &form.body,
        &[("date", "1402-13-15"), ("title", "عنوان تازه")],
    );
    let r = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("err-date") && r.body.contains("عنوان تازه"),
        "{}",
        r.body
    );
    assert_eq!(file(&kb), CASE);
}

#[tokio::test]
async fn a_follow_up_is_marked_done_from_the_case_page_and_the_digest() {
    let (kb, app) = setup();
    let login = log_in(&app).await;
    let page = get_as(&app, &login, &format!("/cases/{ID}")).await;
    assert!(
        page.body.contains(&format!(r#"action="/followup/{ID}""#)),
        "{}",
        page.body
    );
    let r = post_as(
        &app,
        &login,
        &format!("/followup/{ID}"),
        &[("index", "1"), ("next", &format!("/cases/{ID}"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let expected = CASE.replace(
        "followups:\n  - what: بررسی روزنامهٔ رسمی\n    owner: مینا\n  - what: تماس با وکیل\n",
        "followups:\n- what: بررسی روزنامهٔ رسمی\n  owner: مینا\n- what: تماس با وکیل\n  done: true\n",
    );
    assert_eq!(file(&kb), expected, "only the follow-ups are written anew");
    let digest = get_as(&app, &login, "/digest?month=1402-03").await;
    assert!(
        digest.body.contains(&format!(r#"action="/followup/{ID}""#)),
        "the open one is offered in the digest"
    );
    // Without a login, nothing is marked.
    let r = post_form(&app, &format!("/followup/{ID}"), &[("index", "0")], &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(file(&kb), expected);
}

/// Review findings: a list holding more than the form shows is never rewritten (the form
/// says so), a title with double spaces can be edited, and a follow-up marked from a page
/// whose list has changed since is refused.
#[tokio::test]
async fn what_the_form_cannot_hold_is_never_lost() {
    let (kb, app) = setup();
    let rich = CASE
        .replace(
            "title: قرارداد با امضای غیرمجاز",
            "title: قرارداد  با   امضای غیرمجاز",
        )
        .replace(
            "    text: امضاکننده مجاز نبود\n",
            "    text: امضاکننده مجاز نبود\n    ticket: 4711\n",
        );
    kb.write(&format!("{ID}.md"), &rich);
    let login = log_in(&app).await;
    let form = get_as(&app, &login, &format!("/edit/{ID}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // Only the title: the list with its own key stays as it is.
    let mut fields = form_fields(&form.body, &[("title", "عنوان تازه")]);
    fields.push(("confirm".into(), "1".into()));
    let r = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&fields)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after_title = file(&kb);
    assert!(after_title.contains("    ticket: 4711\n"), "{after_title}");
    // The mistakes themselves: refused, with a message, nothing written.
    let form = get_as(&app, &login, &format!("/edit/{ID}")).await;
    let mut fields = form_fields(&form.body, &[("m0_text", "متن دیگر")]);
    fields.push(("confirm".into(), "1".into()));
    let r = post_as(&app, &login, &format!("/edit/{ID}"), &borrowed(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(file(&kb), after_title);
    // A follow-up list that changed since the page was shown: the index names another one.
    let r = post_as(
        &app,
        &login,
        &format!("/followup/{ID}"),
        &[("index", "0"), ("what", "تماس با وکیل")],
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(file(&kb), after_title);
}
