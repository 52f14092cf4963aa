//! Helpers of the HTTP tests: a knowledge base copied from a fixture into a temp folder,
//! and requests sent to the real router with `oneshot`.

use std::fs;
use std::path::Path;
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A knowledge base in a temp folder, deleted at the end of the test.
pub struct Kb {
    dir: tempfile::TempDir,
}

impl Kb {
    /// A copy of `tests/fixtures/web` with one user, [`USER`], who may write.
    pub fn fixture() -> Kb {
        let kb = Kb::without_users();
        let private = kb.path().join(casebook::accounts::PRIVATE_DIR);
        fs::create_dir_all(&private).unwrap();
        fs::write(private.join("users.toml"), users_file()).unwrap();
        kb
    }

    /// A copy of `tests/fixtures/web` where nobody can log in.
    pub fn without_users() -> Kb {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/web");
        copy_dir(&src, dir.path());
        Kb { dir }
    }

    /// Writes a file below the knowledge base.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Makes the folder a git repository with everything committed by `author`.
    pub fn git_commit(&self, author: &str, message: &str) {
        git(self.path(), &["init", "-q"]);
        git(self.path(), &["add", "."]);
        let name = format!("user.name={author}");
        git(self.path(), &["-c", &name, "commit", "-q", "-m", message]);
    }

    /// Deletes a file below the knowledge base.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.dir.path().join(rel)).unwrap();
    }

    /// The app's state over this knowledge base.
    pub fn state(&self) -> casebook::web::AppState {
        let kb = casebook::kb::Kb::open(self.dir.path()).expect("kb opens");
        casebook::web::AppState::new(kb).expect("app starts")
    }

    /// The app over this knowledge base.
    pub fn app(&self) -> Router {
        self.app_with(false)
    }

    /// The app over this knowledge base, `serve --read-only` or not.
    pub fn app_with(&self, read_only: bool) -> Router {
        casebook::web::router(self.state().read_only(read_only))
    }

    /// The knowledge base's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Runs git in `dir` (a test committer, paths as written) and returns what it printed;
/// fails the test when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Team", "-c", "user.email=team@example.org"])
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The user of [`Kb::fixture`] and their password.
pub const USER: &str = "mina";
pub const PASSWORD: &str = "correct horse battery";

/// A users file with [`USER`], made once per test run (argon2 is slow on purpose).
fn users_file() -> &'static str {
    static FILE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let kb = casebook::kb::Kb::open(dir.path()).unwrap();
        casebook::accounts::Users::add(&kb, USER, PASSWORD).unwrap();
        fs::read_to_string(casebook::accounts::Users::path(&kb)).unwrap()
    })
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&to).unwrap();
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), to).unwrap();
        }
    }
}

/// How many case files (`*.md`) are below `dir`, hidden folders left out.
pub fn md_count(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
    pub body: String,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Sends a request as a browser on this machine would: to `localhost` unless the test
/// names another host.
pub async fn send(app: &Router, mut request: Request<Body>) -> Reply {
    if !request.headers().contains_key("host") {
        let localhost = axum::http::HeaderValue::from_static("localhost:8080");
        request.headers_mut().insert("host", localhost);
    }
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Reply {
        status,
        headers,
        bytes,
        body,
    }
}

/// `GET uri`.
pub async fn get(app: &Router, uri: &str) -> Reply {
    get_with(app, uri, &[]).await
}

/// `GET uri` with headers.
pub async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// `POST uri` with an empty body.
pub async fn post(app: &Router, uri: &str) -> Reply {
    send(app, Request::post(uri).body(Body::empty()).unwrap()).await
}

/// `POST uri` with a form body (`application/x-www-form-urlencoded`) and headers.
pub async fn post_form(
    app: &Router,
    uri: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> Reply {
    let body = serde_urlencoded::to_string(fields).expect("a form");
    let mut request =
        Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::from(body)).unwrap()).await
}

/// The form token an anonymous visitor's pages carry, read from a page as a browser would.
pub async fn form_token(app: &Router) -> String {
    let r = get(app, "/problems").await;
    assert_eq!(r.status, StatusCode::OK);
    token_in(&r.body)
}

/// A browser's login: its session cookie and the session's form token.
#[derive(Debug, Clone)]
pub struct Login {
    pub cookie: String,
    pub csrf: String,
}

/// The `name=value` of a response's `Set-Cookie` for the session.
pub fn session_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("casebook_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

/// The value of the first `name="token"` field of a page.
pub fn token_in(body: &str) -> String {
    let (_, rest) = body
        .split_once(r#"name="token" value=""#)
        .expect("a token field");
    rest.split('"').next().unwrap().to_string()
}

/// Sends the login form as a browser on the login page would: the page's token, and the
/// cookie that came with it.
pub async fn try_login(app: &Router, name: &str, password: &str, next: &str) -> Reply {
    let page = get(app, "/login").await;
    let token = token_in(&page.body);
    let cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("casebook_login="))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("the login form's cookie");
    let fields = [
        ("token", token.as_str()),
        ("name", name),
        ("password", password),
        ("next", next),
    ];
    post_form(app, "/login", &fields, &[("cookie", &cookie)]).await
}

/// Logs [`USER`] in as a browser would: the login page's token, the password, the cookie.
pub async fn log_in(app: &Router) -> Login {
    let r = try_login(app, USER, PASSWORD, "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "logged in: {}", r.body);
    let cookie = session_cookie(&r).expect("a session cookie");
    let home = get_with(app, "/", &[("cookie", &cookie)]).await;
    let csrf = home
        .body
        .split_once(r#"action="/logout""#)
        .map(|(_, form)| token_in(form))
        .expect("a logout form");
    Login { cookie, csrf }
}

/// `GET uri` as a logged-in browser.
pub async fn get_as(app: &Router, login: &Login, uri: &str) -> Reply {
    get_with(app, uri, &[("cookie", &login.cookie)]).await
}

/// `POST uri` with a form, as a logged-in browser on this app's page: its cookie, its
/// form token and its origin.
pub async fn post_as(app: &Router, login: &Login, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let mut all = vec![("token", login.csrf.as_str())];
    all.extend_from_slice(fields);
    let headers = [
        ("origin", "http://localhost"),
        ("host", "localhost"),
        ("cookie", login.cookie.as_str()),
    ];
    post_form(app, uri, &all, &headers).await
}

/// Submits the new-case form as a logged-in user on this app's page would.
pub async fn submit_case(app: &Router, fields: &[(&str, &str)]) -> Reply {
    let login = log_in(app).await;
    post_as(app, &login, "/cases/new", fields).await
}

/// Presses the problems page's Reload button: `POST /refresh` with the form's token.
pub async fn refresh(app: &Router) -> Reply {
    let token = form_token(app).await;
    post_form(app, "/refresh", &[("token", &token)], &[]).await
}

/// `GET uri` every 100 ms until `done` holds for the reply; fails after 30 s with the
/// last reply. For what happens in the background (file watcher, git history).
pub async fn eventually(app: &Router, uri: &str, done: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let r = get(app, uri).await;
        if done(&r) {
            return r;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "GET {uri} still not as expected after 30 s: {} {}",
            r.status,
            r.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
