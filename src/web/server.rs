//! The accept loop of `casebook serve`: the router served over HTTP/1.1 with the limits a
//! server reachable by others needs, which `axum::serve` leaves unset.
//!
//! - a client must send its headers within [`Limits::header_read`], from the moment it
//!   connects or its previous request ended (a client that opens connections and sends
//!   nothing, or trickles bytes, would otherwise hold each one forever);
//! - a client must take each part of an answer within [`Limits::write`]: one that stops
//!   reading (with requests pipelined behind) would otherwise hold its connection forever;
//! - at most [`Limits::max_connections`] connections at once: the next one waits in the
//!   kernel's queue instead of taking a file descriptor and a task;
//! - a graceful shutdown: no new connections, requests in flight (a case being saved)
//!   finish, for at most [`Limits::drain`].
//!
//! The per-request limits (time, body size) are layers of the router, so the tests that
//! call the router directly meet them too.
//!
//! HTTP/1.1 only: browsers speak HTTP/2 only over TLS, which a reverse proxy in front
//! ends, and an automatic choice of version waits for a client's first bytes without a
//! timeout.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;
use tower::ServiceExt;

/// The connection limits of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a client may take to send a request's headers, and to start the next
    /// request on a kept-alive connection.
    pub header_read: Duration,
    /// How long writing to a client may stall before the connection is dropped.
    pub write: Duration,
    /// Connections served at once.
    pub max_connections: usize,
    /// How long a shutdown waits for requests in flight.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            write: Duration::from_secs(30),
            max_connections: 256,
            drain: Duration::from_secs(30),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (see [`Limits::drain`]).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_closed) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin.
                    tracing::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(limits.write));
        // The client's address, for the per-address limit on logins.
        let service = TowerToHyperService::new(app.clone().map_request(
            move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            },
        ));
        let connection = builder.serve_connection(TokioIo::new(Box::pin(stream)), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or breaks the protocol ends only its connection.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.drain) => {
            tracing::warn!("stopping with requests still running after {:?}", limits.drain);
        }
    }
}
