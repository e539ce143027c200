//! `trainpack serve`, end to end: the real binary on a free port, edited
//! while it runs.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestPack, run_in};

struct Server {
    child: Child,
    url: String,
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
        Server { child, url }
    }

    fn get(&self, path: &str) -> (u16, String, Vec<u8>) {
        let agent = ureq::Agent::new_with_config(
            ureq::config::Config::builder()
                .http_status_as_error(false)
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
