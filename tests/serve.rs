//! `trainpack serve`, end to end: the real binary on a free port, edited
//! while it runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestPack, run_in};

struct Server {
    child: Child,
    url: String,
    port: u16,
}

impl Server {
    fn start(pack: &TestPack) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_trainpack"))
            .args(["serve", "--port", "0"])
            .current_dir(&pack.root)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start trainpack serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let line = lines.next().expect("serve printed its address").unwrap();
            if let Some(rest) = line.strip_prefix("serving at ") {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {url}"));
        Server { child, url, port }
    }

    /// A connection to the server that gives up reading after 30 s, so a
    /// server that never answers fails the test instead of hanging it.
    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// Sends `request` as it is and reads the whole answer.
    fn raw(&self, request: &str) -> String {
        let mut stream = self.connect();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).expect("an answer");
        String::from_utf8_lossy(&answer).into_owned()
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let agent = ureq::Agent::new_with_config(
            ureq::config::Config::builder()
                .http_status_as_error(false)
                // A server that never answers fails the test, not hangs it.
                .timeout_global(Some(Duration::from_secs(120)))
                .build(),
        );
        let mut response = agent
            .get(&format!("{}{path}", self.url))
            .call()
            .expect("request");
        let status = response.status().as_u16();
        let kind = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response.body_mut().read_to_vec().unwrap();
        (status, kind, body)
    }

    fn text(&self, path: &str) -> String {
        String::from_utf8(self.get(path).2).unwrap()
    }

    /// Polls `path` until `done` holds for its text, for up to 10 s.
    fn wait_for(&self, path: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let text = self.text(path);
            if done(&text) {
                return text;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {what}; last:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "serve did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

const GUIDE: &str = "modules/02-roles/index.html";
const MODULE: &str = "modules/02-roles/module.md";

// why: the author's loop: save, see the page change; break it, see the
// error and keep the old page; mend it, see the page again; stop cleanly.
#[test]
fn serve_rebuilds_on_save_and_survives_errors() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    let (status, kind, body) = server.get("");
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(String::from_utf8(body).unwrap().contains("Full pack"));
    assert!(
        server.text(GUIDE).contains("data-trainpack-serve"),
        "the reload script is injected"
    );

    let source = std::fs::read_to_string(pack.path(MODULE)).unwrap();
    pack.write(
        MODULE,
        &source.replace("Overview with a footnote", "Freshly edited overview"),
    );
    server.wait_for(GUIDE, "the edit", |t| t.contains("Freshly edited overview"));

    pack.write(
        MODULE,
        &source
            .replace("Overview with a footnote", "Broken")
            .replacen("title = ", "titel = ", 1),
    );
    let status = server.wait_for("__trainpack/status", "the error", |t| {
        t.contains("\"ok\":false")
    });
    assert!(
        status.contains("modules/02-roles/module.md:3:1"),
        "{status}"
    );
    assert!(status.contains("unknown key `titel`"), "{status}");
    let page = server.text(GUIDE);
    assert!(
        page.contains("Freshly edited overview"),
        "the last good page stays served"
    );

    pack.write(
        MODULE,
        &source.replace("Overview with a footnote", "Mended overview"),
    );
    server.wait_for("__trainpack/status", "the fix", |t| {
        t.contains("\"ok\":true")
    });
    server.wait_for(GUIDE, "the mended page", |t| t.contains("Mended overview"));
    assert!(server.stop().success());
}

// why: a theme folder made while serve runs is watched like one that was there.
#[test]
fn serve_watches_a_theme_made_after_it_started() {
    let pack = TestPack::copy("ok", "full");
    assert!(!pack.path("themes").exists());
    let server = Server::start(&pack);
    let footer = "themes/mine/templates/partials/footer.html";
    pack.write(footer, "<footer>first footer</footer>\n");
    let config = std::fs::read_to_string(pack.path("book.toml")).unwrap();
    pack.write(
        "book.toml",
        &config.replacen("[build]", "[theme]\nname = \"mine\"\n\n[build]", 1),
    );
    server.wait_for(GUIDE, "the new theme", |t| t.contains("first footer"));
    // Only the new folder's watch can see this save.
    pack.write(footer, "<footer>second footer</footer>\n");
    server.wait_for(GUIDE, "the theme's edit", |t| t.contains("second footer"));
    assert!(server.stop().success());
}

// why: PDFs, media, styles and the base URL are all served as on a real host.
#[test]
fn serve_serves_pdfs_media_and_assets() {
    let pack = TestPack::copy("ok", "full");
    pack.write(
        "book.toml",
        &std::fs::read_to_string(pack.path("book.toml"))
            .unwrap()
            .replace(
                "output = \"site\"",
                "output = \"site\"\nbase_url = \"/cptm/\"",
            ),
    );
    let server = Server::start(&pack);
    assert!(server.url.ends_with("/cptm/"), "{}", server.url);
    let (status, kind, pdf) = server.get("modules/02-roles/handouts/case-study-1.pdf");
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    let (status, kind, _) = server.get("modules/02-roles/media/levels.svg");
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
    let (status, kind, _) = server.get("assets/trainpack.css");
    assert_eq!((status, kind.as_str()), (200, "text/css; charset=utf-8"));
    assert_eq!(server.get("no/such/page.html").0, 404);
    server.stop();
}

// why: serve mode must never leak into a real build.
#[test]
fn build_output_has_no_reload_script() {
    let pack = TestPack::copy("ok", "full");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in crate::site::files(&pack.path("site")) {
        let text = std::fs::read_to_string(pack.path("site").join(&file)).unwrap_or_default();
        assert!(
            !text.contains("data-trainpack-serve") && !text.contains("__trainpack"),
            "{file}"
        );
    }
}

// why: the course's answer key is typeset on demand from every module's
// key, and a save shows in it without a restart.
#[test]
fn serve_makes_the_course_key_and_remakes_it_after_a_save() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    let key_text = |server: &Server| {
        let (status, kind, pdf) = server.get("answer-key.pdf");
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        let file = pack.path("course-key.pdf");
        std::fs::write(&file, pdf).unwrap();
        crate::pdf::pdf_text(&file)
    };
    let before = key_text(&server);
    assert!(before.contains("Invite everyone"), "{before}");

    let source = std::fs::read_to_string(pack.path(MODULE)).unwrap();
    pack.write(
        MODULE,
        &source.replace("Invite everyone", "Invite each partner"),
    );
    server.wait_for(GUIDE, "the edit", |t| t.contains("Invite each partner"));
    let after = key_text(&server);
    assert!(after.contains("Invite each partner"), "{after}");
    assert!(!after.contains("Invite everyone"), "{after}");
    assert!(server.stop().success());
}

// why: a folder that is no pack has nothing to serve: say so and stop.
#[test]
fn serve_outside_a_pack_stops_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_trainpack"))
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("serve kept running outside a pack");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(
        stderr.starts_with("error: no `book.toml` in `.`"),
        "{stderr}"
    );
}

/// The status line and body of a raw HTTP answer.
fn status_and_body(answer: &str) -> (&str, &str) {
    let status = answer.lines().next().unwrap_or("");
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body)
}

// why: DNS rebinding: a web page on `evil.example` whose name is made to
// point at 127.0.0.1 could read the answer keys; only serve's own names
// are answered, and a request without a name is refused too.
#[test]
fn serve_answers_only_to_its_own_host_names() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    let port = server.port;
    let ask = |host: &str| {
        let request = format!("GET / HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
        server.raw(&request)
    };
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let answer = ask(&format!("Host: {host}\r\n"));
        assert_eq!(status_and_body(&answer).0, "HTTP/1.1 200 OK", "{host}");
    }
    let refusal = format!(
        "trainpack serve answers only to http://127.0.0.1:{port}/, http://localhost:{port}/ and http://[::1]:{port}/: \
         a page that reached it under another name could read the whole pack, answer keys included (DNS rebinding)\n"
    );
    for host in [
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1:{}\r\n", port.wrapping_add(1)),
        "Host: 127.0.0.1\r\n".to_string(),
        "Host: localhost\r\n".to_string(),
        String::new(),
        format!("Host: 127.0.0.1:{port}\r\nHost: evil.example:{port}\r\n"),
    ] {
        let answer = ask(&host);
        let (status, body) = status_and_body(&answer);
        assert_eq!(status, "HTTP/1.1 403 Forbidden", "{host}");
        assert!(
            answer.contains("content-type: text/plain; charset=utf-8\r\n"),
            "{answer}"
        );
        assert_eq!(body, refusal, "{host}");
    }
    // A request line that names another host counts as naming it.
    let answer = server.raw(&format!(
        "GET http://evil.example:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status_and_body(&answer).0, "HTTP/1.1 403 Forbidden");
    assert!(server.stop().success());
}

// why: a client that opens a connection and never finishes its request
// must not hold it forever: headers must arrive within 10 s.
#[test]
fn serve_closes_connections_whose_headers_never_arrive() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    let silent = server.connect();
    let mut partial = server.connect();
    let header = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nX-Half",
        server.port
    );
    partial.write_all(header.as_bytes()).unwrap();
    for mut stream in [silent, partial] {
        let mut answer = Vec::new();
        // Ends when the server closes the connection; after 30 s the read
        // times out and the test fails.
        match stream.read_to_end(&mut answer) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
            Err(e) => panic!("the server kept a half-sent request open: {e}"),
        }
        let answer = String::from_utf8_lossy(&answer);
        assert!(!answer.contains("200 OK"), "{answer}");
    }
    assert!(server.stop().success());
}

// why: hundreds of connections that send nothing, or half a request, must
// not keep the server from answering a real one.
#[test]
fn serve_answers_while_hundreds_of_connections_idle() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    let header = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n", server.port);
    let idle: Vec<TcpStream> = (0..400)
        .map(|i| {
            let mut stream = server.connect();
            if i % 2 == 1 {
                stream.write_all(header.as_bytes()).unwrap();
            }
            stream
        })
        .collect();
    let (status, _, body) = server.get("");
    assert_eq!(status, 200);
    assert!(String::from_utf8(body).unwrap().contains("Full pack"));
    drop(idle);
    assert!(server.stop().success());
}

/// The `href` and `src` values of a page.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            found.push(rest[..rest.find('"').unwrap_or(0)].to_string());
        }
    }
    found
}

/// The site path (below the base) a relative link on the page at `page`
/// leads to, or `None` for a link within the page or to another scheme.
fn resolve(page: &str, link: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() || link.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            ".." => assert!(
                parts.pop().is_some(),
                "`{link}` on `{page}` leaves the site"
            ),
            "." => {}
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

// why: a pack hosted under `/formation-é/`: the browser asks for
// `/formation-%C3%A9/`, `/` leads there, every link of the pages works
// and the reload script listens at the encoded address.
#[test]
fn serve_works_under_a_base_url_with_accents() {
    let pack = TestPack::copy("ok", "full");
    pack.edit(
        "book.toml",
        "output = \"site\"",
        "output = \"site\"\nbase_url = \"/formation-é/\"",
    );
    let server = Server::start(&pack);
    let port = server.port;
    assert_eq!(
        server.url,
        format!("http://127.0.0.1:{port}/formation-%C3%A9/")
    );
    for from in ["/", "/formation-%C3%A9"] {
        let answer = server.raw(&format!(
            "GET {from} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(status_and_body(&answer).0, "HTTP/1.1 302 Found", "{from}");
        assert!(
            answer.contains("\r\nlocation: /formation-%C3%A9/\r\n"),
            "{answer}"
        );
    }
    let root = format!("http://127.0.0.1:{port}/");
    let mut home = ureq::get(&root).call().expect("`/` leads to the site");
    assert!(
        home.body_mut()
            .read_to_string()
            .unwrap()
            .contains("Full pack")
    );
    // Escapes in lower case, or letters escaped that need not be, are the
    // same address.
    let answer = server.raw(&format!(
        "GET /formation-%c3%a9/%69ndex.html HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    ));
    assert_eq!(status_and_body(&answer).0, "HTTP/1.1 200 OK");

    for page in ["index.html", GUIDE] {
        let text = server.text(page);
        for link in links(&text) {
            let Some(path) = resolve(page, &link) else {
                continue;
            };
            // PDFs are typeset on demand: served as the rest, but slow.
            if !path.ends_with(".pdf") {
                assert_eq!(server.get(&path).0, 200, "`{link}` on `{page}`");
            }
        }
    }
    let guide = server.text(GUIDE);
    assert!(
        guide.contains("var events = \"/formation-%C3%A9/__trainpack/events\";"),
        "{guide}"
    );
    assert!(server.text("__trainpack/status").contains("\"ok\":true"));
    assert!(server.stop().success());
}

// why: serve makes the printed guides on demand too: a module's own and
// the course book, with the book's page numbers.
#[test]
fn serve_makes_the_printed_guides() {
    let pack = TestPack::copy("ok", "full");
    let server = Server::start(&pack);
    for (path, holds) in [
        ("modules/02-roles/guide.pdf", "Case Study 1 (handout)"),
        ("guide.pdf", "Case Study 1 (page"),
    ] {
        let (status, kind, pdf) = server.get(path);
        assert_eq!((status, kind.as_str()), (200, "application/pdf"), "{path}");
        let file = pack.path("printed.pdf");
        std::fs::write(&file, pdf).unwrap();
        let text = crate::pdf::pdf_text(&file);
        assert!(text.contains(holds), "{path}: {text}");
    }
    assert!(server.stop().success());
}
