//! Browser tests: a real headless Chromium, driven over chromedriver (started by the test
//! on a free port), against the real server on a copy of the bundled `cases/`. A new user's
//! path: Persian home page, a query typed in Arabic-letter spelling, results appearing as
//! they type, a facet, the case, the printable checklist, then English.
//!
//! Screenshots go to `target/screenshots/`. Under `CI=true` a missing browser fails the
//! run; elsewhere the test prints why it skipped.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(15);

/// The user who logs in to write.
const USER: &str = "مینا";
const PASSWORD: &str = "correct horse battery";

/// Runs git in `dir` as the test's own committer; returns its output.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Team", "-c", "user.email=team@example.org"])
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

fn find_in_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// chromedriver as a child process, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver, or says why it cannot (and fails under CI).
fn start_driver() -> Option<(Driver, PathBuf)> {
    let browser = find_in_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = find_in_path(&["chromedriver"]);
    let (Some(browser), Some(driver)) = (browser, driver) else {
        let reason =
            "chromium and chromedriver are needed (apt-get install -y chromium chromium-driver)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("browser tests cannot run under CI: {reason}");
        }
        eprintln!("skipping the browser tests: {reason}");
        return None;
    };
    let port = free_port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver { child, port };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < WAIT, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, browser))
}

async fn connect(driver: &Driver, browser: &Path, profile: &Path) -> Client {
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
    ]
    .iter()
    .map(|a| a.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": browser,
            "args": args,
            // A Persian-speaking user: the browser asks for Persian first.
            "prefs": { "intl.accept_languages": "fa-IR,fa,en" },
        }
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
}

/// The app served on a free port, over a copy of the bundled cases.
async fn serve(kb: &Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let kb = casebook::kb::Kb::open(kb).unwrap();
    let state = tokio::task::spawn_blocking(move || casebook::web::AppState::new(kb).unwrap())
        .await
        .unwrap();
    // Edits made in a text editor show up as they do under `casebook serve`.
    std::mem::forget(state.watch().expect("the file watcher starts"));
    tokio::spawn(async move {
        axum::serve(listener, casebook::web::router(state))
            .await
            .unwrap()
    });
    format!("http://{addr}")
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
}

/// A browser on a copy of the bundled `cases/`, served by the real app: what every journey
/// starts from. `None` when the browser is missing outside CI (under CI that panics).
struct Session {
    client: Client,
    base: String,
    _driver: Driver,
    _kb: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

impl Session {
    async fn open() -> Option<Session> {
        let (driver, browser) = start_driver()?;
        let kb = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"),
            kb.path(),
        );
        let folder = casebook::kb::Kb::open(kb.path()).unwrap();
        casebook::accounts::Users::add(&folder, USER, PASSWORD).unwrap();
        // A team's folder is a git repository: every save becomes a commit.
        git(kb.path(), &["init", "-q"]);
        git(kb.path(), &["add", "."]);
        git(kb.path(), &["commit", "-q", "-m", "The bundled cases"]);
        let base = serve(kb.path()).await;
        let profile = tempfile::tempdir().unwrap();
        let client = connect(&driver, &browser, profile.path()).await;
        Some(Session {
            client,
            base,
            _driver: driver,
            _kb: kb,
            _profile: profile,
        })
    }

    /// Closes the browser, then fails the test if the journey failed.
    async fn finish(self, result: Result<(), fantoccini::error::CmdError>, what: &str) {
        self.client.close().await.ok();
        result.expect(what);
    }
}

async fn screenshot(c: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(name), png).unwrap();
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.expect(script)
}

/// Direction as laid out: the document's `dir`, the computed direction, and where the
/// brand sits (right half in RTL, left half in LTR).
async fn layout_direction(c: &Client) -> (String, String, bool) {
    let v = js(
        c,
        "const b = document.querySelector('.brand').getBoundingClientRect();
         return [document.documentElement.dir, getComputedStyle(document.body).direction,
                 b.left > window.innerWidth / 2];",
    )
    .await;
    (
        v[0].as_str().unwrap_or("").into(),
        v[1].as_str().unwrap_or("").into(),
        v[2].as_bool().unwrap_or(false),
    )
}

/// Every resource the page loaded came from the app itself.
async fn only_local_requests(c: &Client, base: &str) {
    let urls = js(
        c,
        "return performance.getEntriesByType('resource').map(e => e.name);",
    )
    .await;
    for url in urls.as_array().unwrap() {
        let url = url.as_str().unwrap();
        assert!(url.starts_with(base), "external request: {url}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_searches_in_persian_reads_the_case_prints_the_checklist_and_switches_to_english(
) {
    let Some(session) = Session::open().await else {
        return;
    };
    let result = journey(&session.client, &session.base).await;
    session.finish(result, "the journey").await;
}

async fn journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    // Home: Persian from the browser's languages, right to left, with the Persian font.
    c.goto(&format!("{base}/")).await?;
    let (dir, computed, brand_right) = layout_direction(c).await;
    assert_eq!((dir.as_str(), computed.as_str()), ("rtl", "rtl"));
    assert!(brand_right, "in RTL the brand sits on the right");
    let font = c
        .execute_async(
            "const done = arguments[0]; document.fonts.ready.then(() =>
               done([...document.fonts].some(f => f.family.includes('Vazirmatn') && f.status === 'loaded')));",
            vec![],
        )
        .await?;
    assert_eq!(font, Value::Bool(true), "Vazirmatn is loaded from static/");
    screenshot(c, "01-home-fa.png").await;

    // Search: type with Arabic kaf; results appear without submitting.
    c.goto(&format!("{base}/search")).await?;
    let q = c.find(Locator::Css("#q")).await?;
    q.send_keys("قرارداد امضاكننده").await?;
    // Before typing the page lists every case; highlighted words mean the typed query ran.
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".hit mark"))
        .await?;
    let first = c.find(Locator::Css(".hit a")).await?;
    assert_eq!(
        first.attr("href").await?.as_deref(),
        Some("/cases/2017/contract-signed-by-non-signatory"),
        "the contract case comes first"
    );
    assert!(first.text().await?.contains("امضاکننده"));
    // The URL now holds the query, so it can be bookmarked.
    let start = Instant::now();
    while !c.current_url().await?.as_str().contains("q=") {
        assert!(start.elapsed() < WAIT, "the URL did not follow the query");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(c, "02-search-fa.png").await;

    // A facet: the contracts chapter.
    c.find(Locator::Css(".facets a[href*='chapter=contracts']"))
        .await?
        .click()
        .await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".facets a[aria-current='true']"))
        .await?;
    assert!(c
        .current_url()
        .await?
        .as_str()
        .contains("chapter=contracts"));
    let hit = c
        .find(Locator::Css(
            ".hit a[href='/cases/2017/contract-signed-by-non-signatory']",
        ))
        .await?;
    screenshot(c, "03-search-facet-fa.png").await;

    // The case.
    hit.click().await?;
    let h1 = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("article.case h1"))
        .await?;
    assert!(h1.text().await?.contains("امضاکننده"));
    assert_eq!(layout_direction(c).await.0, "rtl");
    only_local_requests(c, base).await;
    screenshot(c, "04-case-fa.png").await;

    // The contracts checklist, as printed: header and buttons gone.
    c.find(Locator::Css(
        ".mistakes a.chapter[href='/notebook/contracts']",
    ))
    .await?
    .click()
    .await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("ol.checklist"))
        .await?;
    let pdf = c.print(Default::default()).await?;
    assert!(pdf.starts_with(b"%PDF"), "printing gives a PDF");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::write(dir.join("05-checklist-contracts.pdf"), &pdf).unwrap();
    js(c, PRINT_STYLES_ON_SCREEN).await;
    let hidden = js(
        c,
        "return getComputedStyle(document.querySelector('header.site')).display;",
    )
    .await;
    assert_eq!(hidden, json!("none"), "print styles hide the header");
    screenshot(c, "05-checklist-print-fa.png").await;

    // Switch to English: left to right, Gregorian first, the choice remembered.
    c.refresh().await?;
    c.find(Locator::Css("#lang-switch")).await?.click().await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("html[lang='en']"))
        .await?;
    let (dir, computed, brand_right) = layout_direction(c).await;
    assert_eq!((dir.as_str(), computed.as_str()), ("ltr", "ltr"));
    assert!(!brand_right);
    c.goto(&format!(
        "{base}/cases/2017/contract-signed-by-non-signatory"
    ))
    .await?;
    assert_eq!(layout_direction(c).await.0, "ltr", "the cookie remembers");
    let facts = c.find(Locator::Css(".facts")).await?.text().await?;
    assert!(facts.contains("2017"), "{facts}");
    screenshot(c, "06-case-en.png").await;
    // Persian lessons on the English page run right to left, their full stop at the
    // left end, on screen and with the print styles applied.
    for media in ["screen", "print"] {
        let mixed = js(c, PERSIAN_LINES_READ_RIGHT_TO_LEFT).await;
        let lines = mixed["lines"].as_u64().unwrap();
        assert!(lines >= 3, "{mixed}");
        assert_eq!(
            mixed,
            json!({"lines": lines, "rtl": lines, "stop_at_left": lines}),
            "Persian lines in the English case page, {media}"
        );
        js(c, PRINT_STYLES_ON_SCREEN).await;
    }

    // On a phone.
    c.set_window_size(390, 844).await?;
    c.goto(&format!("{base}/?lang=fa")).await?;
    screenshot(c, "07-home-fa-phone.png").await;
    // A search on a phone shows its first result on the first screen: the menu is one row
    // and the facets come after the results.
    c.goto(&format!(
        "{base}/search?q=%D8%A7%DB%8C%D9%86%D8%AA%D8%B1%D9%86%D8%AA"
    ))
    .await?;
    let place = js(
        c,
        "const hit = document.querySelector('.hit a').getBoundingClientRect(); \
         return [hit.bottom, window.innerHeight, document.querySelector('header.site').getBoundingClientRect().height];",
    )
    .await;
    let (bottom, screen, header) = (
        place[0].as_f64().unwrap(),
        place[1].as_f64().unwrap(),
        place[2].as_f64().unwrap(),
    );
    assert!(
        bottom < screen,
        "the first result's title ends at {bottom}, the screen at {screen}"
    );
    assert!(header < 110.0, "the header is {header} px high on a phone");
    screenshot(c, "08-search-fa-phone.png").await;
    // The keyboard: the skip link leads to the results heading, the next Tab to the first hit.
    c.set_window_size(1280, 900).await?;
    c.goto(&format!(
        "{base}/search?q=%D8%A7%DB%8C%D9%86%D8%AA%D8%B1%D9%86%D8%AA"
    ))
    .await?;
    let focused = js(
        c,
        "document.querySelector(\"a.skip[href='#results-heading']\").click(); return document.activeElement.id;",
    )
    .await;
    assert_eq!(focused, "results-heading");
    Ok(())
}

/// Applies the page's print styles to the screen, so a test can read what paper shows.
const PRINT_STYLES_ON_SCREEN: &str =
    "for (const sheet of document.styleSheets) for (const rule of sheet.cssRules)
       if (rule.media && rule.media.mediaText === 'print') rule.media.mediaText = 'all';
     return null;";

/// Counts the Persian lessons of the case page (the general ones and a mistake's, told by
/// their letters, not by their markup), how many are marked Persian and laid out right to
/// left, and how many have their closing full stop to the left of
/// their last letter, as Persian is read, however the page around them runs.
const PERSIAN_LINES_READ_RIGHT_TO_LEFT: &str = "
  const lines = [...document.querySelectorAll('.lessons li, p.lesson span')]
    .filter(el => /[\\u0600-\\u06ff]/.test(el.textContent) && !/[A-Za-z]/.test(el.textContent)
      && el.textContent.trim().endsWith('.'));
  let rtl = 0, stopAtLeft = 0;
  for (const el of lines) {
    if (getComputedStyle(el).direction === 'rtl' && el.lang === 'fa') rtl++;
    const text = el.firstChild, end = text.length;
    const last = document.createRange();
    last.setStart(text, end - 1); last.setEnd(text, end);
    const before = document.createRange();
    before.setStart(text, end - 2); before.setEnd(text, end - 1);
    const [stop] = last.getClientRects(), [letter] = before.getClientRects();
    if (stop.right <= letter.left + 1) stopAtLeft++;
  }
  return {lines: lines.length, rtl, stop_at_left: stopAtLeft};";

/// The calendar as a new user meets it on the bundled knowledge base: the home page's
/// block, Nowruz and last year's case in Jalali, the switch to Gregorian and to the year,
/// Muharram, the next election, a crisis's playbook and the ICS feed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_user_finds_nowruz_muharram_and_the_election_in_both_calendars() {
    let Some(session) = Session::open().await else {
        return;
    };
    let result = calendar_journey(&session.client, &session.base).await;
    session.finish(result, "the calendar journey").await;
}

async fn has(c: &Client, css: &str) -> Result<bool, fantoccini::error::CmdError> {
    Ok(!c.find_all(Locator::Css(css)).await?.is_empty())
}

async fn calendar_journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    // Home: the next 60 days, then the calendar from the navigation; today is marked.
    c.goto(&format!("{base}/")).await?;
    assert!(has(c, "#home-upcoming").await?);
    c.find(Locator::Css("header.site nav a[href='/calendar']"))
        .await?
        .click()
        .await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("table.cal-month td[aria-current='date']"))
        .await?;
    screenshot(c, "10-calendar-today-fa.png").await;

    // Farvardin 1406: Nowruz on 1 Farvardin = 2027-03-21, with last year's case and its
    // open follow-up in the list below.
    c.goto(&format!("{base}/calendar?cal=jalali&y=1406&m=1"))
        .await?;
    assert!(
        has(
            c,
            "td.running[data-date='2027-03-21'] a.chip[href='/calendar/nowruz']"
        )
        .await?
    );
    let list = c
        .find(Locator::Css(".occurrences-list"))
        .await?
        .text()
        .await?;
    assert!(list.contains("نوروز ۱۴۰۵"), "last year's case: {list}");
    assert!(
        list.contains("۱۵ بهمن ۱۴۰۵"),
        "warned 45 days before: {list}"
    );
    // In RTL the week runs right to left: Saturday (padding) right of Sunday 1 Farvardin.
    let right_to_left = js(
        c,
        "const row = document.querySelector('table.cal-month tbody tr');
         const [sat, sun] = [row.cells[0], row.cells[1]].map(x => x.getBoundingClientRect().left);
         return sat > sun;",
    )
    .await;
    assert_eq!(right_to_left, json!(true));
    screenshot(c, "11-calendar-farvardin-1406.png").await;

    // The same month in Gregorian, then the whole year.
    c.find(Locator::Css("#cal-switch")).await?.click().await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("td.running[data-date='2027-03-21']"))
        .await?;
    assert!(c.current_url().await?.as_str().contains("cal=gregorian"));
    c.find(Locator::Css("#view-switch")).await?.click().await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".cal-grids.year"))
        .await?;
    assert_eq!(c.find_all(Locator::Css("table.cal-month")).await?.len(), 12);
    screenshot(c, "12-calendar-year-2027.png").await;

    // Muharram 1448 in Tir 1405 (Tasua 2026-06-24, as announced in Iran) and the next
    // presidential election, estimated.
    c.goto(&format!("{base}/calendar?cal=jalali&y=1405&m=4"))
        .await?;
    assert!(
        has(
            c,
            "td.running[data-date='2026-06-24'] a.chip[href='/calendar/tasua-ashura']"
        )
        .await?
    );
    c.goto(&format!("{base}/calendar?cal=gregorian&y=2028&m=6&lang=en"))
        .await?;
    assert!(
        has(
            c,
            "td.running[data-date='2028-06-28'] a.chip[href='/calendar/presidential-election']"
        )
        .await?
    );
    assert!(has(c, ".occurrence.estimated .badge.estimated").await?);

    // A crisis's page: the playbook.
    c.find(Locator::Css(
        "a.chip[href='/calendar/presidential-election']",
    ))
    .await?
    .click()
    .await?;
    let h1 = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("article.crisis h1"))
        .await?;
    assert!(h1.text().await?.contains("Presidential election"));
    assert!(has(c, "article.crisis .prose h2").await?);
    only_local_requests(c, base).await;
    screenshot(c, "13-crisis-election-en.png").await;

    // The feed a calendar client subscribes to.
    let ics = c
        .execute_async(
            "const done = arguments[0];
             fetch('/calendar.ics').then(r => r.text()).then(done);",
            vec![],
        )
        .await?;
    let ics = ics.as_str().unwrap_or_default();
    assert!(ics.starts_with("BEGIN:VCALENDAR"));
    assert!(ics.contains("nowruz-1406-01-01-warning@casebook"));

    // On a phone.
    c.set_window_size(390, 844).await?;
    c.goto(&format!("{base}/calendar?cal=jalali&y=1406&m=1&lang=fa"))
        .await?;
    screenshot(c, "14-calendar-fa-phone.png").await;
    Ok(())
}

/// The first moment of the product, in the browser: after an incident a Persian-speaking
/// team writes the case in the form (a wrong date first, kept and flagged), lands on the
/// case's page, finds it by search, and sees its lesson in the month's digest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_writes_a_case_in_the_form_finds_it_by_search_and_in_the_digest() {
    let Some(session) = Session::open().await else {
        return;
    };
    let result = form_journey(&session.client, &session.base, session._kb.path()).await;
    session.finish(result, "the form journey").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_edited_in_the_browser_then_in_a_text_editor() {
    let Some(session) = Session::open().await else {
        return;
    };
    let result = edit_journey(&session.client, &session.base, session._kb.path()).await;
    session.finish(result, "the edit journey").await;
}

/// The Gregorian date beside a Persian case's Jalali one reads right to left as Persian
/// readers write it: the day (its first word) is laid out to the right of the year.
async fn gregorian_date_reads_right_to_left(c: &Client) {
    let v = js(
        c,
        "const alt = document.querySelector('dl.facts .alt');
         const node = alt.firstChild;
         const s = node.textContent;
         const words = s.replace(/[()]/g, '').trim().split(/\\s+/);
         const at = (w) => { const i = s.indexOf(w); const r = document.createRange();
                             r.setStart(node, i); r.setEnd(node, i + w.length);
                             return r.getBoundingClientRect().left; };
         return [s, at(words[0]), at(words[words.length - 1])];",
    )
    .await;
    let text = v[0].as_str().unwrap_or_default().to_string();
    let (day, year) = (v[1].as_f64().unwrap(), v[2].as_f64().unwrap());
    assert!(!text.contains('-'), "no ISO date: {text}");
    assert!(
        day > year,
        "{text}: the day ({day}) right of the year ({year})"
    );
}

async fn log_in(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/login")).await?;
    c.find(Locator::Css("form.login-form #name"))
        .await?
        .send_keys(USER)
        .await?;
    c.find(Locator::Css("#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    c.find(Locator::Css("form.login-form button[type='submit']"))
        .await?
        .click()
        .await?;
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("header.site form.account"))
        .await?;
    Ok(())
}

async fn edit_journey(
    c: &Client,
    base: &str,
    kb: &Path,
) -> Result<(), fantoccini::error::CmdError> {
    log_in(c, base).await?;
    // The first case the home page lists.
    c.goto(&format!("{base}/")).await?;
    let link = c.find(Locator::Css("ul.cases a")).await?;
    let case_path = link.attr("href").await?.expect("a case link");
    c.goto(&format!("{base}{case_path}")).await?;
    c.find(Locator::Css(".case-actions a.button"))
        .await?
        .click()
        .await?;
    let title = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("form.case-form #title"))
        .await?;
    title.clear().await?;
    title.send_keys("عنوان ویرایش‌شده در مرورگر").await?;
    c.find(Locator::Css("#save")).await?.click().await?;
    // The diff first; nothing is saved until it is confirmed.
    let diff = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".diff-preview pre.diff"))
        .await?;
    assert!(diff.text().await?.contains("عنوان ویرایش‌شده در مرورگر"));
    screenshot(c, "23-edit-diff-fa.png").await;
    c.find(Locator::Css("#confirm")).await?.click().await?;
    let h1 = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("article.case h1"))
        .await?;
    assert!(h1.text().await?.contains("عنوان ویرایش‌شده در مرورگر"));
    let log = git(kb, &["log", "-1", "--format=%an|%s"]);
    assert_eq!(
        log.trim(),
        format!("{USER}|case: edit عنوان ویرایش‌شده در مرورگر")
    );
    gregorian_date_reads_right_to_left(c).await;

    // Then someone edits the same file in a text editor: the page shows it.
    let id = case_path.trim_start_matches("/cases/");
    let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
    let file = kb.join(format!("{id}.md"));
    let mut text = std::fs::read_to_string(&file).expect("the case file");
    text.push_str("\nیادداشتی که با ویرایشگر متن افزوده شد.\n");
    std::fs::write(&file, text).expect("written");
    let start = Instant::now();
    loop {
        c.refresh().await?;
        if c.source()
            .await?
            .contains("یادداشتی که با ویرایشگر متن افزوده شد")
        {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "the text editor's change never showed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

async fn form_journey(
    c: &Client,
    base: &str,
    kb: &Path,
) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/")).await?;
    c.find(Locator::Css("header.site a[href='/cases/new']"))
        .await?
        .click()
        .await?;
    // Writing needs a login: the link leads to the login page, which leads back.
    let name = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("form.login-form #name"))
        .await?;
    name.send_keys(USER).await?;
    c.find(Locator::Css("#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    c.find(Locator::Css("form.login-form button[type='submit']"))
        .await?
        .click()
        .await?;
    let title = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("form.case-form #title"))
        .await?;
    assert_eq!(layout_direction(c).await.0, "rtl");
    let today = c.find(Locator::Css("#date")).await?.prop("value").await?;
    assert!(
        today.as_deref().is_some_and(|d| d.starts_with('۱')),
        "today in Jalali, Persian digits: {today:?}"
    );
    title.send_keys("مسدود شدن درگاه پرداخت زرین‌تاب").await?;
    c.find(Locator::Css("#crisis_type option[value='currency']"))
        .await?
        .click()
        .await?;
    let date = c.find(Locator::Css("#date")).await?;
    date.clear().await?;
    date.send_keys("۱۴۰۵-۰۲-۳۲").await?;
    c.find(Locator::Css(
        "select[name='m0_chapter'] option[value='finance']",
    ))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("input[name='m0_text']"))
        .await?
        .send_keys("همه‌ی فروش از یک درگاه بود")
        .await?;
    c.find(Locator::Css("#lessons"))
        .await?
        .send_keys("درگاه پرداخت دوم را از پیش آماده نگه دارید")
        .await?;
    c.find(Locator::Css("#save")).await?.click().await?;

    // An impossible date: the form comes back with the message and every field kept.
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("#err-date"))
        .await?;
    let kept = c.find(Locator::Css("#title")).await?.prop("value").await?;
    assert_eq!(kept.as_deref(), Some("مسدود شدن درگاه پرداخت زرین‌تاب"));
    screenshot(c, "20-form-error-fa.png").await;

    // A fourth mistake: the form comes back with one more row and everything kept.
    c.find(Locator::Css("button.add-row[value='mistake']"))
        .await?
        .click()
        .await?;
    let fourth = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("input[name='m3_text']"))
        .await?;
    fourth.send_keys("رمز دوم درگاه فقط نزد یک نفر بود").await?;
    c.find(Locator::Css("select[name='m3_chapter'] option[value='it']"))
        .await?
        .click()
        .await?;
    let kept = c
        .find(Locator::Css("input[name='m0_text']"))
        .await?
        .prop("value")
        .await?;
    assert_eq!(kept.as_deref(), Some("همه‌ی فروش از یک درگاه بود"));

    // Enter in a field saves (the form's first button is "save", not "+ another").
    let date = c.find(Locator::Css("#date")).await?;
    date.clear().await?;
    date.send_keys("۱۴۰۵-۰۲-۳۰").await?;
    date.send_keys(&fantoccini::key::Key::Enter.to_string())
        .await?;

    // Saved: the case's page.
    let h1 = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("article.case h1"))
        .await?;
    assert!(h1.text().await?.contains("زرین‌تاب"));
    let page = c.source().await?;
    assert!(
        page.contains("رمز دوم درگاه فقط نزد یک نفر بود"),
        "the fourth mistake"
    );
    let case_url = c.current_url().await?;
    assert!(
        case_url.path().starts_with("/cases/1405-02-30-"),
        "{case_url}"
    );
    screenshot(c, "21-new-case-fa.png").await;
    // One commit, with the user as its author.
    let log = git(kb, &["log", "-1", "--format=%an|%s"]);
    assert_eq!(
        log.trim(),
        format!("{USER}|case: add مسدود شدن درگاه پرداخت زرین‌تاب")
    );

    // Found by search at once, typed with Arabic yeh.
    c.goto(&format!("{base}/search")).await?;
    c.find(Locator::Css("#q"))
        .await?
        .send_keys("زرين‌تاب")
        .await?;
    let hit = c
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(".hit mark"))
        .await?;
    drop(hit);
    let href = c.find(Locator::Css(".hit a")).await?.attr("href").await?;
    assert_eq!(
        href.as_deref(),
        Some(case_url.path()),
        "the new case is found"
    );

    // The month's digest lists it with its lesson, and prints without the header.
    c.goto(&format!("{base}/digest?month=1405-02")).await?;
    let digest = c.find(Locator::Css(".digest-cases")).await?.text().await?;
    assert!(digest.contains("زرین‌تاب"), "{digest}");
    assert!(digest.contains("درگاه پرداخت دوم"));
    let pdf = c.print(Default::default()).await?;
    assert!(pdf.starts_with(b"%PDF"));
    screenshot(c, "22-digest-fa.png").await;
    Ok(())
}

/// axe-core, vendored under its licence (tests/vendor/axe-core/).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// Every page a reader can reach: as a visitor, then logged in (the form, the editor, the
/// history), with a broken file so that the problems page has something to show.
const AXE_PAGES: &[&str] = &[
    "/",
    "/search?q=اینترنت",
    "/search?q=supplier&chapter=it",
    "/search?q=zzzqqq",
    "/cases/2019/internet-shutdown-aban-1398",
    "/cases/2026/international-internet-disruption-aban-1405",
    "/digest?month=1405-08",
    "/followups",
    "/calendar",
    "/calendar?cal=gregorian&view=year&y=2027",
    "/calendar/nowruz",
    "/notebook",
    "/notebook/it",
    "/problems",
    "/no-such-page",
    "/login",
    // Logged in from here on.
    "/cases/new",
    "/edit/2019/internet-shutdown-aban-1398",
    "/history/2019/internet-shutdown-aban-1398",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_in_either_language_and_size() {
    let Some(session) = Session::open().await else {
        return;
    };
    let year = session._kb.path().join("2025");
    std::fs::create_dir_all(&year).unwrap();
    std::fs::write(year.join("broken.md"), "---\ntitle: [unclosed\n---\n").unwrap();
    let result = axe_journey(&session.client, &session.base).await;
    session.finish(result, "axe over every page").await;
}

async fn axe_journey(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    // The watcher has read the broken file: the problems page lists it.
    let start = Instant::now();
    loop {
        c.goto(&format!("{base}/problems")).await?;
        if c.source().await?.contains("broken.md") {
            break;
        }
        assert!(
            start.elapsed() < WAIT,
            "the broken file never reached /problems"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut violations = Vec::new();
    let mut pages_checked = 0;
    for (width, height) in [(1280, 1000), (390, 844)] {
        c.set_window_size(width, height).await?;
        for lang in ["fa", "en"] {
            for page in AXE_PAGES {
                if *page == "/cases/new" {
                    log_in(c, base).await?;
                }
                let sep = if page.contains('?') { '&' } else { '?' };
                c.goto(&format!("{base}{page}{sep}lang={lang}")).await?;
                // Each page is the page it names (logged in where it must be, never
                // sent to the login page), in the language asked for; only the missing
                // one is an error page.
                let path = page.split('?').next().unwrap_or_default();
                assert_eq!(c.current_url().await?.path(), path, "{page} ({lang})");
                let state = js(
                    c,
                    "return [document.documentElement.lang,
                             !!document.querySelector('.error-page')];",
                )
                .await;
                assert_eq!(state[0], lang, "{page}");
                assert_eq!(state[1], *page == "/no-such-page", "{page} ({lang})");
                for v in axe_violations(c).await? {
                    violations.push(format!("{page} ({lang}, {width} px): {v}"));
                }
                pages_checked += 1;
            }
            log_out(c, base).await?;
        }
    }
    assert_eq!(pages_checked, AXE_PAGES.len() * 4);
    assert!(
        violations.is_empty(),
        "axe found {} moderate, serious or critical violations:\n{}",
        violations.len(),
        violations.join("\n")
    );
    Ok(())
}

/// axe's violations on the current page but the minor ones (moderate ones guard the heading
/// order, the landmarks and the skip link), one line each.
async fn axe_violations(c: &Client) -> Result<Vec<String>, fantoccini::error::CmdError> {
    c.execute(AXE, vec![]).await?;
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(
               r => done(r.violations
                 .filter(v => v.impact !== 'minor')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                   + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))),
               e => done(['axe did not run: ' + e]));",
            vec![],
        )
        .await?;
    Ok(found
        .as_array()
        .expect("axe returns a list")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect())
}

/// Logs out if logged in, so the next round starts as a visitor.
async fn log_out(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/")).await?;
    if let Ok(button) = c
        .find(Locator::Css("header.site form.account button"))
        .await
    {
        button.click().await?;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("header.site a.account[href='/login']"))
            .await?;
    }
    Ok(())
}
