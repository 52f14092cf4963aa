//! One test per bug found by probing casebook as an attacker would, named after what broke;
//! each failed before its fix. The real binary on temp folders, and a real server on
//! loopback for what only a socket shows (timeouts, the connection cap, shutdown).
//! Router-level ones live in `tests/web/regression.rs`.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{casebook, stderr, stdout, temp_kb};

const GOOD: &str = "---\ntitle: A good case\ncrisis_type: currency\ndate: 1402-01-01\n---\nbody\n";

fn write(kb: &Path, rel: &str, text: &str) {
    let path = kb.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The largest resident size any child of this test process has reached, in MB.
fn children_peak_mb() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss / 1024
}

#[test]
fn yaml_alias_bomb_is_a_located_error_not_gigabytes() {
    let kb = temp_kb(None);
    let ones = vec!["1"; 3000].join(", ");
    let aliases = vec!["*a"; 12_000].join(", ");
    let bomb = format!(
        "---\ntitle: boom\ncrisis_type: currency\nanchor: &a [{ones}]\nboom: [{aliases}]\n---\n"
    );
    assert!(bomb.len() < 60_000, "a ~50 KB file: {}", bomb.len());
    write(kb.path(), "bomb.md", &bomb);
    write(kb.path(), "good.md", GOOD);
    let out = casebook(kb.path(), &["check"]);
    let text = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bomb.md:4:"),
        "located at the anchored value: {text}"
    );
    assert!(text.contains("aliases"), "{text}");
    assert!(text.contains("1 case"), "the good case still loads: {text}");
    let peak = children_peak_mb();
    assert!(peak < 400, "check peaked at {peak} MB");
}

#[test]
fn front_matter_and_files_over_their_limits_are_refused_with_their_size() {
    let kb = temp_kb(None);
    let long_value = "x".repeat(300 * 1024);
    let fat = format!("---\ntitle: fat\ncrisis_type: currency\nnote: {long_value}\n---\n");
    write(kb.path(), "fat.md", &fat);
    let huge = format!("{GOOD}{}", "word ".repeat(1024 * 1024));
    write(kb.path(), "huge.md", &huge);
    write(kb.path(), "good.md", GOOD);
    let out = casebook(kb.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("fat.md:1:1: error: the front matter is"),
        "{text}"
    );
    assert!(
        text.contains("huge.md:1:1: error: cannot read the file: the file is"),
        "{text}"
    );
    assert!(text.contains("over the limit"), "{text}");
    assert!(stderr(&out).contains("1 case"), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_folder_are_reported_never_read() {
    let kb = temp_kb(None);
    let outside = tempfile::tempdir().unwrap();
    let secret = "---\ntitle: outsidesecret\ncrisis_type: currency\n---\noutsidesecret body\n";
    write(outside.path(), "secret.md", secret);
    write(outside.path(), "more/inner.md", secret);
    write(kb.path(), "good.md", GOOD);
    std::os::unix::fs::symlink("/etc/passwd", kb.path().join("passwd.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), kb.path().join("x.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("more"), kb.path().join("more")).unwrap();

    let out = casebook(kb.path(), &["check"]);
    let text = stdout(&out);
    assert!(
        text.contains("passwd.md:1:1: error: not loaded: a symbolic link"),
        "{text}"
    );
    assert!(
        text.contains("x.md:1:1: error: not loaded: a symbolic link"),
        "{text}"
    );
    assert!(
        text.contains("more:1:1: warning: a symbolic link to a folder"),
        "{text}"
    );
    assert!(!text.contains("root:"), "nothing of /etc/passwd: {text}");

    let found = casebook(kb.path(), &["search", "outsidesecret", "--json"]);
    assert!(found.status.success(), "{}", stderr(&found));
    assert!(
        stdout(&found).contains("\"total\": 0"),
        "{}",
        stdout(&found)
    );
}

#[cfg(unix)]
#[test]
fn a_linked_state_folder_is_refused_and_nothing_outside_is_touched() {
    let kb = temp_kb(None);
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "keep.txt", "precious");
    write(kb.path(), "good.md", GOOD);
    std::os::unix::fs::symlink(outside.path(), kb.path().join(".casebook")).unwrap();
    let out = casebook(kb.path(), &["index", "--rebuild"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is a symbolic link"),
        "{}",
        stderr(&out)
    );
    let left: Vec<_> = std::fs::read_dir(outside.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["keep.txt"]);
}

#[cfg(unix)]
#[test]
fn new_case_files_are_readable_by_the_team_as_the_umask_says() {
    use std::os::unix::fs::PermissionsExt;
    let kb = temp_kb(None);
    let status = Command::new("sh")
        .arg("-c")
        .arg("umask 022 && exec \"$0\" --kb \"$1\" new --title Shared --type legal --date 2024-03-10")
        .arg(env!("CARGO_BIN_EXE_casebook"))
        .arg(kb.path())
        .stdin(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let file = kb.path().join("2024-03-10-shared.md");
    let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}

/// `casebook serve` on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(kb: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .arg("--kb")
            .arg(kb)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                Some(
                    l.split_once("serving on http://")?
                        .1
                        .trim_end_matches('/')
                        .to_string(),
                )
            })
            .expect("the server says where it serves");
        // Keep reading its log so that it never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, addr }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server answers on `stream`, read until it closes or `limit` passes.
fn read_reply(stream: &mut TcpStream, limit: Duration) -> String {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                reply.extend_from_slice(&buf[..n]);
                if reply.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
        }
    }
    String::from_utf8_lossy(&reply).into_owned()
}

const REQUEST: &str = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[test]
fn a_client_that_trickles_its_headers_is_cut_off() {
    let kb = temp_kb(None);
    write(kb.path(), "good.md", GOOD);
    let server = Server::start(kb.path(), &["--header-timeout", "1"]);
    let mut slow = server.connect();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    // The rest of the headers, too late: the connection is gone or answered 408.
    let _ = slow.write_all(b"\r\n");
    let reply = read_reply(&mut slow, Duration::from_secs(5));
    assert!(
        !reply.contains("200 OK"),
        "answered after the timeout: {reply:?}"
    );

    let mut quick = server.connect();
    quick.write_all(REQUEST.as_bytes()).unwrap();
    assert!(read_reply(&mut quick, Duration::from_secs(5)).starts_with("HTTP/1.1 200"));
}

#[test]
fn connections_past_the_cap_wait_for_a_free_one() {
    let kb = temp_kb(None);
    write(kb.path(), "good.md", GOOD);
    let server = Server::start(
        kb.path(),
        &["--max-connections", "2", "--header-timeout", "2"],
    );
    let idle: Vec<TcpStream> = (0..2).map(|_| server.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let mut third = server.connect();
    third.write_all(REQUEST.as_bytes()).unwrap();
    let early = read_reply(&mut third, Duration::from_millis(700));
    assert_eq!(early, "", "served while both slots were taken");
    // The idle connections are cut off after the header timeout; then the third is served.
    let reply = read_reply(&mut third, Duration::from_secs(10));
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply:?}");
    assert!(started.elapsed() >= Duration::from_millis(1500));
    drop(idle);
}

#[test]
fn a_rebound_host_name_is_refused_by_the_real_server() {
    let kb = temp_kb(None);
    write(kb.path(), "good.md", GOOD);
    let server = Server::start(kb.path(), &[]);
    let mut s = server.connect();
    s.write_all(
        b"GET /cases/new HTTP/1.1\r\nHost: rebind.evil.example:8080\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let reply = read_reply(&mut s, Duration::from_secs(5));
    assert!(reply.starts_with("HTTP/1.1 421"), "{reply:?}");
    let server = Server::start(kb.path(), &["--allowed-host", "casebook.example.org"]);
    let mut s = server.connect();
    s.write_all(
        b"GET /healthz HTTP/1.1\r\nHost: casebook.example.org\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert!(read_reply(&mut s, Duration::from_secs(5)).starts_with("HTTP/1.1 200"));
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let kb = temp_kb(None);
    write(kb.path(), "good.md", GOOD);
    let mut server = Server::start(kb.path(), &[]);
    // SAFETY: kill sends a signal to our own child.
    unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 20 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

/// tantivy deletes the unused files its `.managed.json` lists; a list planted there (a
/// `.casebook/` committed by force and pulled) named files outside the folder, and the next
/// update deleted them.
#[test]
fn a_planted_index_file_list_deletes_nothing_outside() {
    let kb = temp_kb(None);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("precious.txt");
    std::fs::write(&victim, "keep me").unwrap();
    write(kb.path(), "good.md", GOOD);
    assert!(casebook(kb.path(), &["index"]).status.success());
    let managed = kb.path().join(".casebook/index/.managed.json");
    let mut names: Vec<String> = serde_json::from_slice(&std::fs::read(&managed).unwrap()).unwrap();
    names.push(victim.to_string_lossy().into_owned());
    names.push("../../../precious.txt".into());
    std::fs::write(&managed, serde_json::to_vec(&names).unwrap()).unwrap();
    write(
        kb.path(),
        "good.md",
        &GOOD.replace("A good case", "An edited case"),
    );
    let out = casebook(kb.path(), &["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lists files outside it"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let found = casebook(kb.path(), &["search", "edited", "--json"]);
    assert!(
        stdout(&found).contains("\"total\": 1"),
        "{}",
        stdout(&found)
    );
}

/// Runs `casebook` and fails the test if it has not ended within a minute (a hang).
fn casebook_within_a_minute(kb: &Path, args: &[&str]) -> std::process::ExitStatus {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--kb")
        .arg(kb)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("casebook {args:?} still running after a minute");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Files of casebook's own state were opened like any path: a `.gitignore` linked outside
/// was written through, a manifest that is a pipe hung `index`.
#[cfg(unix)]
#[test]
fn state_files_swapped_for_links_or_pipes_are_not_followed() {
    let kb = temp_kb(None);
    let outside = tempfile::tempdir().unwrap();
    write(kb.path(), "good.md", GOOD);
    let state = kb.path().join(".casebook");
    std::fs::create_dir(&state).unwrap();
    let target = outside.path().join("created-by-casebook.txt");
    std::os::unix::fs::symlink(&target, state.join(".gitignore")).unwrap();
    assert!(casebook_within_a_minute(kb.path(), &["index"]).success());
    assert!(!target.exists(), "nothing written through the link");

    let manifest = state.join("index-manifest.tsv");
    std::fs::remove_file(&manifest).unwrap();
    let status = Command::new("mkfifo").arg(&manifest).status().unwrap();
    assert!(status.success());
    assert!(casebook_within_a_minute(kb.path(), &["index"]).success());

    // The lock file too: opening a pipe to write waits for a reader for ever.
    let lock = state.join("index.lock");
    std::fs::remove_file(&lock).unwrap();
    assert!(Command::new("mkfifo")
        .arg(&lock)
        .status()
        .unwrap()
        .success());
    write(kb.path(), "good.md", &GOOD.replace("A good case", "Edited"));
    assert!(casebook_within_a_minute(kb.path(), &["index"]).success());
}

/// A client that pipelines requests for a large file and never reads the answers held its
/// connection (and its slot) for ever: writes never time out by themselves.
#[test]
fn a_client_that_never_reads_its_answers_loses_its_connection() {
    let kb = temp_kb(None);
    write(kb.path(), "good.md", GOOD);
    let args = [
        "--max-connections",
        "1",
        "--write-timeout",
        "2",
        "--header-timeout",
        "5",
    ];
    let server = Server::start(kb.path(), &args);
    let greedy = server.connect();
    let request = "GET /static/fonts/Vazirmatn-Variable.woff2 HTTP/1.1\r\nHost: localhost\r\n\r\n";
    // Sent in the background: the server stops reading once its answers back up.
    let mut writer = greedy.try_clone().unwrap();
    std::thread::spawn(move || {
        for _ in 0..200 {
            if writer.write_all(request.as_bytes()).is_err() {
                break;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let mut next = server.connect();
    next.write_all(REQUEST.as_bytes()).unwrap();
    let reply = read_reply(&mut next, Duration::from_secs(20));
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    let _ = greedy.shutdown(std::net::Shutdown::Both);
}

/// File names and titles went to the terminal raw: an escape sequence in one could retitle
/// the window or clear the screen of whoever ran `check` or `search`.
#[cfg(unix)]
#[test]
fn escape_sequences_from_files_never_reach_the_terminal() {
    let kb = temp_kb(None);
    let title = "---\ntitle: \"owned\\e]0;PWNED\\a\\e[2J\"\ncrisis_type: currency\n---\nbody\n";
    write(kb.path(), "esc\u{1b}[31mred.md", "no front matter");
    write(kb.path(), "title.md", title);
    let out = casebook(kb.path(), &["check"]);
    assert!(
        stdout(&out).contains("esc\u{fffd}[31mred.md"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains('\u{1b}'));
    let found = casebook(kb.path(), &["search", "owned"]);
    assert!(stdout(&found).contains("owned"), "{}", stdout(&found));
    assert!(!stdout(&found).contains('\u{1b}'), "{:?}", stdout(&found));
}
