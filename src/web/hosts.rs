//! Which host names the app answers to: the defence against DNS rebinding.
//!
//! A page on `evil.example` can make its own name resolve to 127.0.0.1 and then read and
//! post to the app as if it were same-origin; the browser then sends `Host:
//! evil.example`, and an `Origin` to match. So every request must name a host on the
//! allow-list: the loopback names, the address the server is bound to, and the names the
//! operator adds (`serve --allowed-host`). A rebinding attack needs a DNS name, so an IP
//! address is safe to allow: a server bound to every interface (`0.0.0.0`) answers to any
//! IP address of the machine.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The host names a request may be addressed to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: Arc<[String]>,
    any_ip: bool,
}

impl Default for AllowedHosts {
    /// The loopback names alone: `localhost`, `127.0.0.1`, `::1`.
    fn default() -> Self {
        AllowedHosts {
            names: ["localhost", "127.0.0.1", "::1"].map(String::from).into(),
            any_ip: false,
        }
    }
}

impl AllowedHosts {
    /// The loopback names, the address `bound` (any IP address when it is unspecified,
    /// `0.0.0.0` or `::`) and `extra` names (`casebook.example.org`).
    pub fn for_server(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let mut names: Vec<String> = AllowedHosts::default().names.to_vec();
        let ip = bound.ip();
        if !ip.is_unspecified() {
            names.push(ip.to_string());
        }
        names.extend(extra.iter().map(|n| normalise(n)));
        AllowedHosts {
            names: names.into(),
            any_ip: ip.is_unspecified(),
        }
    }

    /// Whether a `Host` header's value (`name`, `name:port`, `[::1]:8080`) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        let name = normalise(name);
        (self.any_ip && name.parse::<IpAddr>().is_ok()) || self.names.contains(&name)
    }
}

/// Lower case, without the trailing dot of a fully qualified name.
fn normalise(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// The name part of a `Host` value, without its port; `None` when it is not one.
fn host_name(host: &str) -> Option<&str> {
    if let Some(rest) = host.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        return (after.is_empty() || is_port(after.strip_prefix(':')?)).then_some(inside);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if is_port(port) && !name.contains(':') => Some(name),
        Some(_) => None,
        None => Some(host),
    }
    .filter(|name| !name.is_empty())
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Refuses (421 Misdirected Request) a request whose `Host` (or HTTP/2 authority) is not
/// allowed, before any other work, with a line saying how to allow a real name.
pub async fn check_host(
    State(allowed): State<AllowedHosts>,
    request: Request,
    next: Next,
) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(one), None) => one.to_str().ok(),
        (None, _) => request.uri().authority().map(|a| a.as_str()),
        // Two Host headers: which one a proxy in front believed is unknown.
        (Some(_), Some(_)) => None,
    };
    match host {
        Some(host) if allowed.allows(host) => next.run(request).await,
        _ => refusal(),
    }
}

fn refusal() -> Response {
    let text = "This casebook server does not answer to the host name this request was \
                sent to. If it is the server's real name, start it with \
                `casebook serve --allowed-host NAME`.\n";
    let mut response = (StatusCode::MISDIRECTED_REQUEST, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_pass_with_or_without_a_port_others_do_not() {
        let allowed = AllowedHosts::default();
        for host in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.",
            "127.0.0.1:80",
            "[::1]:8080",
            "[::1]",
        ] {
            assert!(allowed.allows(host), "{host}");
        }
        for host in [
            "rebind.evil.example",
            "rebind.evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.5:8080",
            "",
            ":8080",
            "[::1",
            "[::1]x",
            "localhost:80:80",
            "::1",
        ] {
            assert!(!allowed.allows(host), "{host}");
        }
    }

    #[test]
    fn a_server_on_every_interface_answers_to_ip_addresses_and_added_names_only() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let allowed = AllowedHosts::for_server(any, &["Casebook.Example.org".into()]);
        assert!(allowed.allows("192.168.1.5:8080"));
        assert!(allowed.allows("[fe80::1]:8080"));
        assert!(allowed.allows("casebook.example.org"));
        assert!(!allowed.allows("evil.example"));
        let one: SocketAddr = "192.168.1.5:8080".parse().unwrap();
        let allowed = AllowedHosts::for_server(one, &[]);
        assert!(allowed.allows("192.168.1.5:8080"));
        assert!(!allowed.allows("192.168.1.6:8080"));
    }
}
