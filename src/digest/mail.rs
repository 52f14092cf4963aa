//! Mailing the digest: the HTML file as the body of one message (with the Markdown as its
//! plain-text alternative) to the recipients of `[mail]` in `casebook.toml`, by SMTP.

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use crate::kb::{Kb, MailSettings};

/// The environment variable that holds the SMTP password.
pub const PASSWORD_VARIABLE: &str = "CASEBOOK_SMTP_PASSWORD";

/// Whether a host name is this machine.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Why the digest was not sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// `casebook.toml` has no `[mail]` table.
    #[error(
        "casebook.toml has no [mail] table: add server, from and to (see docs/digest.md); \
         the password goes in the environment variable CASEBOOK_SMTP_PASSWORD"
    )]
    NotConfigured,
    /// A setting is not usable.
    #[error("casebook.toml [mail] {key}: {problem}")]
    Setting {
        /// Which key.
        key: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A user is set but its password is not in the environment.
    #[error("casebook.toml [mail] user is set but the environment variable CASEBOOK_SMTP_PASSWORD is empty: export the SMTP password in it")]
    NoPassword,
    /// The message could not be built.
    #[error("the message: {0}")]
    Build(#[from] lettre::error::Error),
    /// The server refused or could not be reached.
    #[error("the SMTP server {server}: {source}")]
    Smtp {
        /// The server.
        server: String,
        /// What happened.
        source: lettre::transport::smtp::Error,
    },
}

/// Sends `html` (and `text` as its plain alternative) with `subject`; returns the
/// recipients, for the report.
pub fn send(kb: &Kb, subject: &str, html: &str, text: &str) -> Result<String, MailError> {
    let settings = kb.taxonomy.mail.as_ref().ok_or(MailError::NotConfigured)?;
    let message = message(settings, subject, html, text)?;
    let transport = transport(settings)?;
    transport.send(&message).map_err(|source| MailError::Smtp {
        server: settings.server.clone(),
        source,
    })?;
    Ok(settings.to.join(", "))
}

fn mailbox(key: &'static str, text: &str) -> Result<Mailbox, MailError> {
    text.parse().map_err(|e| MailError::Setting {
        key,
        problem: format!(
            "{text:?} is not an address ({e}); write e.g. \"Casebook <cases@example.org>\""
        ),
    })
}

fn message(
    settings: &MailSettings,
    subject: &str,
    html: &str,
    text: &str,
) -> Result<Message, MailError> {
    if settings.to.is_empty() {
        return Err(MailError::Setting {
            key: "to",
            problem: "no recipient: write to = [\"team@example.org\"]".into(),
        });
    }
    let mut builder = Message::builder()
        .from(mailbox("from", &settings.from)?)
        .subject(subject);
    for to in &settings.to {
        builder = builder.to(mailbox("to", to)?);
    }
    Ok(builder.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    // As on a terminal: case text arrives by git, and a control
                    // character has no business in a mail either.
                    .body(crate::text::printable(text).into_owned()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html.to_string()),
            ),
    )?)
}

fn transport(settings: &MailSettings) -> Result<SmtpTransport, MailError> {
    let server = settings.server.as_str();
    let smtp = |source| MailError::Smtp {
        server: server.to_string(),
        source,
    };
    let tls = |s: &str| TlsParameters::new(s.to_string()).map_err(smtp);
    let (tls, default_port) = match settings.tls.as_str() {
        "starttls" => (Tls::Required(tls(server)?), 587),
        "tls" => (Tls::Wrapper(tls(server)?), 465),
        // In clear only to a relay on this machine: casebook.toml arrives by git, and a
        // pulled file must not send the password, or the digest, unencrypted elsewhere.
        "none" if is_loopback(server) => (Tls::None, 25),
        "none" => {
            return Err(MailError::Setting {
                key: "tls",
                problem: format!(
                    "\"none\" is only for a server on this machine, not {server:?}: write starttls or tls"
                ),
            })
        }
        other => {
            return Err(MailError::Setting {
                key: "tls",
                problem: format!("{other:?}: write starttls, tls or none"),
            })
        }
    };
    let mut builder = SmtpTransport::builder_dangerous(server)
        .port(settings.port.unwrap_or(default_port))
        .tls(tls)
        .timeout(Some(std::time::Duration::from_secs(30)));
    if let Some(user) = &settings.user {
        let password = std::env::var(PASSWORD_VARIABLE).unwrap_or_default();
        if password.is_empty() {
            return Err(MailError::NoPassword);
        }
        builder = builder.credentials(Credentials::new(user.clone(), password));
    }
    Ok(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_from_case_files_never_reach_the_plain_text_part() {
        let settings = MailSettings {
            server: "localhost".into(),
            port: None,
            tls: "none".into(),
            user: None,
            from: "Casebook <cases@example.org>".into(),
            to: vec!["team@example.org".into()],
        };
        let text = "Lesson \u{1b}[2J read the contract\n";
        let mail = message(&settings, "digest", "<p>digest</p>", text).unwrap();
        let raw = String::from_utf8(mail.formatted()).unwrap();
        assert!(!raw.contains('\u{1b}') && !raw.contains("=1B"), "{raw}");
        assert!(raw.contains("=EF=BF=BD[2J read the contract"), "{raw}");
    }
}
