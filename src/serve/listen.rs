//! How `serve` takes connections: one task per connection, each given 10 s
//! to send its request's headers, and only requests addressed to serve's
//! own names are answered.
//!
//! `axum::serve` has no header timeout, so connections are accepted here
//! and handed to hyper with a timer. There is no limit on the number of
//! connections: a limit would let idle connections lock out the real one,
//! and the timeout already closes each idle one after 10 s.

use std::time::Duration;

use anyhow::Result;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client has to send the headers of a request, counted from
/// when the connection opens or from the end of its previous answer. A
/// browser sends them at once; a connection that sends nothing, or half a
/// request, is closed when the time is up.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until the future is dropped.
pub(super) async fn serve_connections(listener: TcpListener, app: Router) -> Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection that was reset
            // before it was taken: the listener itself is fine, so wait a
            // moment (for the timeouts to free descriptors) and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        // Each connection on a task of its own: a slow one never holds up
        // the others. Its errors (a timeout, a client gone) are the
        // client's business.
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

/// The names a request may be addressed to: serve's own, with its port.
#[derive(Debug, Clone)]
pub(super) struct OwnNames {
    port: u16,
}

impl OwnNames {
    /// The names of a server listening on `port`.
    pub(super) fn new(port: u16) -> OwnNames {
        OwnNames { port }
    }

    /// True when `host` (a `Host` header, or the authority of a request
    /// line) is `127.0.0.1`, `localhost` or `[::1]` with this server's
    /// port. Browsers always send the port unless it is 80, so the port
    /// may be left out only then.
    pub(super) fn allow(&self, host: &str) -> bool {
        let (name, port) = match host.rsplit_once(':') {
            Some((name, port)) if !port.contains(']') => (name, Some(port)),
            _ => (host, None),
        };
        let port_ok = match port {
            Some(port) => port.parse::<u16>().ok() == Some(self.port),
            None => self.port == 80,
        };
        let name_ok =
            name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost");
        port_ok && name_ok
    }

    /// What a refused request is told.
    fn refusal(&self) -> String {
        let port = self.port;
        format!(
            "trainpack serve answers only to http://127.0.0.1:{port}/, http://localhost:{port}/ and http://[::1]:{port}/: \
             a page that reached it under another name could read the whole pack, answer keys included (DNS rebinding)\n"
        )
    }
}

/// Answers 403 to a request that is not addressed to one of serve's own
/// names: a web page can make its own host name point at 127.0.0.1 (DNS
/// rebinding), and the browser then lets it read what serve answers. A
/// request with no `Host`, or with two, is refused too.
pub(super) async fn only_own_names(
    State(names): State<OwnNames>,
    request: Request,
    next: Next,
) -> Response {
    let authority = request.uri().authority().map(|a| a.as_str().to_string());
    let allowed = single_host(request.headers()).is_some_and(|host| names.allow(host))
        && authority.is_none_or(|a| names.allow(&a));
    if allowed {
        return next.run(request).await;
    }
    let mut response = (StatusCode::FORBIDDEN, names.refusal()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The request's `Host`, when it has exactly one that is text.
fn single_host(headers: &HeaderMap) -> Option<&str> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next()?;
    if hosts.next().is_some() {
        return None;
    }
    host.to_str().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_names_need_the_port_unless_it_is_80() {
        let names = OwnNames::new(4000);
        for host in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LOCALHOST:4000",
            "[::1]:4000",
        ] {
            assert!(names.allow(host), "{host}");
        }
        for host in [
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1:4001",
            "127.0.0.1:04000x",
            "evil.example:4000",
            "localhost.:4000",
            "127.0.0.2:4000",
            "[::1]:4000:4000",
            "",
        ] {
            assert!(!names.allow(host), "{host}");
        }
        let on_80 = OwnNames::new(80);
        for host in ["127.0.0.1", "localhost", "[::1]", "[::1]:80"] {
            assert!(on_80.allow(host), "{host}");
        }
        assert!(!on_80.allow("evil.example"));
    }
}
