//! `trainpack serve`: builds the pack into memory, serves it on 127.0.0.1,
//! watches the pack, rebuilds on every save and reloads the open pages.
//!
//! A save that breaks the pack keeps the last good site served: the errors
//! go to the terminal and, as an overlay, to every open page, until a save
//! mends the pack. Nothing of serve mode is ever written to disk, so the
//! reload script never reaches the output of `trainpack build`.

mod listen;
mod pdfs;
mod session;

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::diag::{self, Diagnostic, Sources};
use crate::load::LoadOptions;
use crate::load::theme::THEMES_DIR;
use crate::model::MODULES_DIR;
use crate::model::config::CONFIG_FILE;
pub use session::{Broken, Rebuilt, Session, Snapshot};

/// The path, under the site's base, of the reload events.
const EVENTS: &str = "__trainpack/events";
/// The path of the build status, as JSON (for scripts and tests).
const STATUS: &str = "__trainpack/status";
/// How long to wait after a change for more changes: an editor saving
/// several files, or writing one file in steps, gives one rebuild.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The pack's folder.
    pub root: PathBuf,
    /// The port, or `None` for any free one.
    pub port: Option<u16>,
    /// Include draft modules.
    pub drafts: bool,
}

/// What the server tells the terminal.
#[derive(Debug)]
pub enum ServeReport {
    /// Listening at this address.
    Listening(String),
    /// A rebuild worked.
    Rebuilt(Rebuilt),
    /// A rebuild found errors; the last good site stays served.
    Broken(Broken),
    /// A folder of the pack cannot be watched: saves in it are not seen.
    NotWatched(String),
}

/// What open pages are told.
#[derive(Debug, Clone)]
enum Message {
    Reload,
    Failed(String),
}

struct Shared {
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    error: RwLock<Option<String>>,
    events: broadcast::Sender<Message>,
    /// Where the site is mounted, percent-encoded (`/formation-%C3%A9/`):
    /// what links and redirects say.
    base: String,
    /// The same, decoded (`/formation-é/`): what request paths are
    /// compared with once decoded.
    mount: String,
}

/// Serves the pack until Ctrl-C. `report` hears every rebuild.
pub fn serve(options: &ServeOptions, report: Arc<dyn Fn(ServeReport) + Send + Sync>) -> Result<()> {
    let root = options
        .root
        .canonicalize()
        .with_context(|| format!("cannot open the pack folder `{}`", options.root.display()))?;
    let base = base_url(&root);
    let inject = reload_script(&base);
    let mut session = Session::new(
        &root,
        LoadOptions {
            drafts: options.drafts,
        },
        inject,
    );
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(None),
        error: RwLock::new(None),
        events,
        mount: crate::load::markdown::links::percent_decode(&base),
        base: base.clone(),
    });
    rebuild(&mut session, &shared, &[], report.as_ref());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // PDFs are typeset on the blocking threads (see `build::PDF_STACK`).
        .thread_stack_size(crate::render::plan::PDF_STACK)
        .build()
        .context("cannot start the web server")?;
    runtime.block_on(async move {
        let addr = SocketAddr::from(([127, 0, 0, 1], options.port.unwrap_or(0)));
        let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| match options.port {
            Some(port) => format!("cannot listen on port {port}: it may be in use; choose another with `--port`, or leave `--port` out to use a free one"),
            None => "cannot listen on 127.0.0.1".to_string(),
        })?;
        let port = listener.local_addr()?.port();
        // Watching before saying where to look: a save made as soon as the
        // address is shown is seen.
        let _watcher = watch(&root, session, shared.clone(), report.clone())?;
        report(ServeReport::Listening(format!("http://127.0.0.1:{port}{base}")));
        let app = Router::new()
            .fallback(respond)
            .with_state(shared)
            .layer(axum::middleware::from_fn_with_state(
                listen::OwnNames::new(port),
                listen::only_own_names,
            ));
        tokio::select! {
            served = listen::serve_connections(listener, app) => served.context("the web server stopped"),
            () = stop_signal() => Ok(()),
        }
    })
}

/// Where the site is mounted: `[build] base_url`, so links work as they
/// will on the real host. It is percent-encoded ASCII (see
/// `config::BuildConfig::base_url`), so it goes into a URL or a header as
/// it is.
fn base_url(root: &Path) -> String {
    let path = root.join(crate::model::config::CONFIG_FILE);
    let base = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            let file = crate::diag::SourceFile::new(crate::model::config::CONFIG_FILE, &text);
            crate::load::config::parse_config(&file, &mut Vec::new())
        })
        .map(|config| config.build.base_url)
        .unwrap_or_default();
    if base.is_empty() { "/".into() } else { base }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs a rebuild and publishes its outcome to the server and the pages.
fn rebuild(
    session: &mut Session,
    shared: &Shared,
    changed: &[PathBuf],
    report: &(dyn Fn(ServeReport) + Send + Sync),
) {
    match session.rebuild(changed) {
        Ok((snapshot, rebuilt)) => {
            if let Ok(mut slot) = shared.snapshot.write() {
                *slot = Some(Arc::new(snapshot));
            }
            if let Ok(mut error) = shared.error.write() {
                *error = None;
            }
            let _ = shared.events.send(Message::Reload);
            report(ServeReport::Rebuilt(rebuilt));
        }
        Err(broken) => {
            let text = plain(&broken.diagnostics, &broken.sources);
            if let Ok(mut error) = shared.error.write() {
                *error = Some(text.clone());
            }
            let _ = shared.events.send(Message::Failed(text));
            report(ServeReport::Broken(broken));
        }
    }
}

/// Diagnostics as the terminal shows them, without colour, for the page.
fn plain(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    diag::render(diagnostics, sources, false)
}

/// Watches `book.toml`, `modules/` and `themes/`, and rebuilds after each
/// burst of changes, on a thread of its own.
fn watch(
    root: &Path,
    mut session: Session,
    shared: Arc<Shared>,
    report: Arc<dyn Fn(ServeReport) + Send + Sync>,
) -> Result<Arc<Mutex<Watcher>>> {
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let debouncer =
        new_debouncer(DEBOUNCE, None, tx).context("cannot watch the pack for changes")?;
    let watcher = Arc::new(Mutex::new(Watcher {
        debouncer,
        folders: BTreeSet::new(),
    }));
    if let Ok(mut w) = watcher.lock() {
        w.debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        w.watch_new_folders(root)?;
    }
    let root = root.to_path_buf();
    let kept = watcher.clone();
    std::thread::spawn(move || {
        while let Ok(result) = rx.recv() {
            let mut changes = Changes::default();
            changes.collect(result, &root);
            // Take whatever else arrived meanwhile into the same rebuild.
            while let Ok(more) = rx.try_recv() {
                changes.collect(more, &root);
            }
            if changes.paths.is_empty() {
                continue;
            }
            if changes.structural
                && let Ok(mut w) = kept.lock()
                && let Err(error) = w.watch_new_folders(&root)
            {
                report(ServeReport::NotWatched(format!("{error:#}")));
            }
            // Edits of existing files need no new look at the folders.
            session.known_changes((!changes.structural).then(|| changes.paths.clone()));
            let changed: Vec<PathBuf> = changes.paths.into_iter().collect();
            rebuild(&mut session, &shared, &changed, report.as_ref());
        }
    });
    Ok(watcher)
}

/// The file watcher, and the pack's folders it watches.
struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    folders: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `modules/` and `themes/` if they exist and are not
    /// watched yet: a theme folder made while `serve` runs is seen too.
    fn watch_new_folders(&mut self, root: &Path) -> Result<()> {
        for dir in [MODULES_DIR, crate::load::theme::THEMES_DIR] {
            let path = root.join(dir);
            if path.is_dir() && !self.folders.contains(&path) {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch `{}`", path.display()))?;
                self.folders.insert(path);
            }
        }
        Ok(())
    }
}

/// The files a burst of events changed.
#[derive(Default)]
struct Changes {
    paths: BTreeSet<PathBuf>,
    /// A file was added, removed or renamed: the folders must be walked
    /// again.
    structural: bool,
}

impl Changes {
    /// Keeps the changes trainpack reads: `book.toml`, and files under
    /// `modules/` and `themes/`, without hidden or backup files. Reads are
    /// not changes: the rebuild itself reads every file it reuses.
    fn collect(&mut self, result: DebounceEventResult, root: &Path) {
        let Ok(events) = result else {
            // The watcher lost track: look at everything.
            self.structural = true;
            return;
        };
        for event in events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
        {
            let mut relevant = false;
            for path in &event.event.paths {
                if is_pack_file(path, root) {
                    self.paths.insert(path.clone());
                    relevant = true;
                }
            }
            let moved = matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(notify::event::ModifyKind::Name(_))
                    | EventKind::Any
                    | EventKind::Other
            );
            self.structural |= relevant && moved;
        }
    }
}

/// True for `book.toml` and the files under `modules/` and `themes/`, but
/// not hidden files or editors' backups.
fn is_pack_file(path: &Path, root: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let hidden = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.ends_with('~')
    });
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let relevant = matches!(
        first.as_deref(),
        Some(CONFIG_FILE | MODULES_DIR | THEMES_DIR)
    );
    relevant && !hidden
}

/// The reload script for a site mounted at `base`.
fn reload_script(base: &str) -> String {
    let events = js_string_text(&format!("{base}{EVENTS}"));
    include_str!("reload.html").replace("__EVENTS__", &events)
}

/// `text` escaped to sit between the double quotes of a JavaScript string
/// inside an HTML `<script>`: anything but letters, digits and `/%._~-` is
/// written as `\uXXXX`, so no quote, backslash or `</script>` can end it.
fn js_string_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "/%._~-".contains(c) {
            out.push(c);
        } else {
            let mut units = [0; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

async fn respond(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    // Browsers send `é` as `%C3%A9`, and may escape other letters too:
    // compare decoded paths.
    let path = crate::load::markdown::links::percent_decode(uri.path());
    let Some(rel) = path.strip_prefix(shared.mount.as_str()) else {
        // `/` and the base without its last `/` lead to the site.
        if path == "/" || path == shared.mount.trim_end_matches('/') {
            return match HeaderValue::from_str(&shared.base) {
                Ok(base) => (StatusCode::FOUND, [(header::LOCATION, base)]).into_response(),
                Err(_) => not_found(),
            };
        }
        return not_found();
    };
    let rel = rel.to_string();
    match rel.as_str() {
        EVENTS => return events(&shared),
        STATUS => return status(&shared),
        _ => {}
    }
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel
    };
    let snapshot = shared.snapshot.read().ok().and_then(|s| s.clone());
    let Some(snapshot) = snapshot else {
        return broken_page(&shared);
    };
    if let Some(bytes) = snapshot.files.get(&rel) {
        return file(&rel, bytes.as_ref().clone());
    }
    let wanted = rel.clone();
    let pack_page = tokio::task::spawn_blocking({
        let snapshot = snapshot.clone();
        move || snapshot.pack_page(&wanted)
    })
    .await;
    match pack_page {
        Ok(Some(Ok(bytes))) => return file(&rel, bytes.as_ref().clone()),
        Ok(Some(Err(error))) => return error_page(StatusCode::INTERNAL_SERVER_ERROR, &error),
        _ => {}
    }
    if let Some(path) = snapshot.media.get(&rel) {
        return match tokio::fs::read(path).await {
            Ok(bytes) => file(&rel, bytes),
            Err(_) => not_found(),
        };
    }
    if rel.ends_with(".pdf") {
        let wanted = rel.clone();
        let made = tokio::task::spawn_blocking(move || snapshot.pdf(&wanted)).await;
        return match made {
            Ok(Some(Ok(pdf))) => file(&rel, pdf.as_ref().clone()),
            Ok(Some(Err(d))) => error_page(StatusCode::INTERNAL_SERVER_ERROR, &d.short()),
            _ => not_found(),
        };
    }
    not_found()
}

fn file(path: &str, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime.essence_str()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        let value = format!("{}; charset=utf-8", mime.essence_str());
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::CONTENT_TYPE, value);
        }
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "There is no page at this address in the pack.",
    )
}

fn error_page(status: StatusCode, text: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>trainpack serve</title><pre>{}</pre></html>",
        crate::render::markdown::escape(text)
    );
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Before the first good build there is no site: every page shows the
/// errors, and reloads when a save mends them.
fn broken_page(shared: &Shared) -> Response {
    let error = shared
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .unwrap_or_default();
    let script = reload_script(&shared.base);
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>trainpack serve: errors</title><body><h1>The pack has errors</h1><pre>{}</pre>{script}</body></html>",
        crate::render::markdown::escape(&error)
    );
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

fn status(shared: &Shared) -> Response {
    let error = shared.error.read().ok().and_then(|e| e.clone());
    let body = serde_json::json!({ "ok": error.is_none(), "error": error });
    let mut response = body.to_string().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Server-sent events: `failed` with the errors now if the pack is broken,
/// then `reload` after each good rebuild and `failed` after each bad one.
fn events(shared: &Shared) -> Response {
    let first = shared
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .map(|text| Ok::<Event, Infallible>(Event::default().event("failed").data(text)));
    let updates = BroadcastStream::new(shared.events.subscribe()).filter_map(|message| {
        let event = match message.ok()? {
            Message::Reload => Event::default().event("reload").data("reload"),
            Message::Failed(text) => Event::default().event("failed").data(text),
        };
        Some(Ok::<Event, Infallible>(event))
    });
    let stream = tokio_stream::iter(first).chain(updates);
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_events_address_cannot_end_its_script() {
        assert_eq!(
            js_string_text("/a%C3%A9/x.y~z-"),
            "/a%C3%A9/x.y~z-",
            "what base_url allows is left alone"
        );
        assert_eq!(
            js_string_text("\"</script>\\\u{2028}é😀"),
            "\\u0022\\u003c/script\\u003e\\u005c\\u2028\\u00e9\\ud83d\\ude00"
        );
        let script = reload_script("/formation-%C3%A9/");
        assert!(script.contains("var events = \"/formation-%C3%A9/__trainpack/events\";"));
    }
}
