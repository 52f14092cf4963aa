//! `casebook digest --send` against an SMTP sink on loopback that the test starts: the
//! message the server receives, and the errors a user sees for a missing setting or a
//! server that refuses.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use common::{casebook, stderr, temp_kb};

/// A one-message SMTP server: answers a session (EHLO, AUTH, MAIL, RCPT, DATA) and sends
/// back what it received. `refuse_rcpt` makes it refuse the recipient.
fn smtp_sink(refuse_rcpt: bool) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut out = stream;
        let mut session = String::new();
        let _ = out.write_all(b"220 sink ESMTP\r\n");
        let mut in_data = false;
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            session.push_str(&line);
            let reply: &[u8] = if in_data {
                if line == ".\r\n" {
                    in_data = false;
                    b"250 queued\r\n"
                } else {
                    b""
                }
            } else {
                let upper = line.to_ascii_uppercase();
                if upper.starts_with("EHLO") {
                    b"250-sink\r\n250 AUTH PLAIN LOGIN\r\n"
                } else if upper.starts_with("AUTH") {
                    b"235 ok\r\n"
                } else if upper.starts_with("RCPT") && refuse_rcpt {
                    b"550 no such user\r\n"
                } else if upper.starts_with("DATA") {
                    in_data = true;
                    b"354 go on\r\n"
                } else if upper.starts_with("QUIT") {
                    let _ = out.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                }
            };
            let _ = out.write_all(reply);
            line.clear();
        }
        let _ = tx.send(session);
    });
    (port, rx)
}

fn mail_settings(kb: &std::path::Path, port: u16) {
    std::fs::write(
        kb.join("casebook.toml"),
        format!(
            "default_lang = \"fa\"\n\n[mail]\nserver = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
user = \"digest\"\nfrom = \"Casebook <cases@example.org>\"\nto = [\"team@example.org\", \"boss@example.org\"]\n"
        ),
    )
    .unwrap();
}

/// `casebook digest --send` with the SMTP password in the environment.
fn send_with_password(kb: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("--kb")
        .arg(kb)
        .arg("digest")
        .args(args)
        .arg("--send")
        .env("CASEBOOK_SMTP_PASSWORD", "secret")
        .output()
        .unwrap()
}

#[test]
fn the_digest_is_mailed_as_html_with_a_text_alternative() {
    let kb = temp_kb(Some("good"));
    let (port, received) = smtp_sink(false);
    mail_settings(kb.path(), port);
    let out = send_with_password(kb.path(), &["--month", "1395-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("team@example.org, boss@example.org"),
        "{}",
        stderr(&out)
    );
    let session = received
        .recv_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    assert!(session.contains("AUTH PLAIN"), "{session}");
    assert!(session.contains("RCPT TO:<team@example.org>"), "{session}");
    assert!(session.contains("RCPT TO:<boss@example.org>"), "{session}");
    assert!(session.contains("multipart/alternative"), "{session}");
    assert!(session.contains("Content-Type: text/html"), "{session}");
    assert!(session.contains("Content-Type: text/plain"), "{session}");
    // The subject is the digest's title, encoded for mail (Persian).
    assert!(session.contains("Subject: =?utf-8?"), "{session}");
}

#[test]
fn a_missing_setting_or_a_refusing_server_is_a_clear_error() {
    let kb = temp_kb(Some("good"));
    let out = casebook(kb.path(), &["digest", "--send"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("casebook.toml has no [mail] table"),
        "{}",
        stderr(&out)
    );

    let (port, _received) = smtp_sink(false);
    mail_settings(kb.path(), port);
    let out = casebook(kb.path(), &["digest", "--send"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("CASEBOOK_SMTP_PASSWORD is empty"),
        "{}",
        stderr(&out)
    );

    // In clear only to this machine: a pulled casebook.toml cannot send the password away.
    std::fs::write(
        kb.path().join("casebook.toml"),
        "[mail]\nserver = \"mail.example.org\"\ntls = \"none\"\nuser = \"x\"\nfrom = \"a@example.org\"\nto = [\"b@example.org\"]\n",
    )
    .unwrap();
    let out = send_with_password(kb.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("only for a server on this machine"),
        "{}",
        stderr(&out)
    );

    let (port, _received) = smtp_sink(true);
    mail_settings(kb.path(), port);
    let out = send_with_password(kb.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("nothing was sent") && err.contains("127.0.0.1"),
        "{err}"
    );
}
