//! Themes: the default theme embedded in the binary, and a pack's own theme
//! folder overriding it file by file.
//!
//! Templates, static files, translations, PDF templates and fonts are all
//! looked up the same way: the pack's `themes/NAME/<path>` if it exists,
//! else the embedded `themes/default/<path>`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diag::{Diagnostic, SourceFile};
use crate::load::{hidden_link, rel_path, stays_inside};
use crate::model::Symlink;

/// The default theme, compiled into the binary.
#[derive(rust_embed::Embed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// The folder holding themes in a pack.
pub const THEMES_DIR: &str = "themes";

/// A theme: every file of the default theme, with the pack's overrides.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's name from `book.toml`.
    pub name: String,
    /// Files of the pack's theme folder, by theme path, with their path
    /// relative to the pack root (for messages).
    overrides: BTreeMap<String, (String, Vec<u8>)>,
    /// The symbolic links followed in the theme folder.
    links: Vec<Symlink>,
}

impl Theme {
    /// The default theme with no overrides.
    pub fn default_only() -> Theme {
        Theme {
            name: "default".into(),
            overrides: BTreeMap::new(),
            links: Vec::new(),
        }
    }

    /// Loads theme `name` of the pack at `root`. A named theme folder that does
    /// not exist is an error, pointed at `name = ...` in `config` when given;
    /// the default theme needs no folder.
    pub fn load(
        root: &Path,
        name: &str,
        config: Option<&SourceFile>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Theme> {
        let dir = root.join(THEMES_DIR).join(name);
        let mut theme = Theme {
            name: name.to_string(),
            overrides: BTreeMap::new(),
            links: Vec::new(),
        };
        if !dir.is_dir() {
            if name == "default" {
                return Some(theme);
            }
            let d = Diagnostic::error(format!(
                "the theme `{name}` has no folder `{THEMES_DIR}/{name}/`"
            ))
            .hint("create the folder, or remove `[theme] name` to use the default theme");
            diags.push(match config {
                Some(file) => d.at_line(file, file.key_line("name")),
                None => d.in_file(crate::model::config::CONFIG_FILE),
            });
            return None;
        }
        theme.read_folder(root, &dir, diags);
        Some(theme)
    }

    /// Reads every file of the pack's theme folder but hidden ones,
    /// following symbolic links that lead to nothing hidden.
    fn read_folder(&mut self, root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) {
        let mut walker = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        while let Some(entry) = walker.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    diags.push(
                        Diagnostic::error(format!("cannot read the theme: {e}"))
                            .in_file(e.path().map(|p| rel_path(root, p)).unwrap_or_default())
                            .hint("check the theme folder: a symbolic link may make a loop"),
                    );
                    continue;
                }
            };
            // A link leading outside the pack is reported file by file.
            if entry.path_is_symlink() && stays_inside(root, entry.path()) {
                let target = entry.path().canonicalize().unwrap_or_default();
                if let Some(d) = hidden_link(root, entry.path(), &target) {
                    diags.push(d);
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
                self.links.push(Symlink {
                    path: rel_path(root, entry.path()),
                    target,
                });
            }
            if entry.file_type().is_file() {
                self.add_override(root, dir, entry.path(), diags);
            }
        }
    }

    fn add_override(&mut self, root: &Path, dir: &Path, path: &Path, diags: &mut Vec<Diagnostic>) {
        let shown = rel_path(root, path);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name.starts_with('.') || name.ends_with('~') {
            return;
        }
        if !stays_inside(root, path) {
            diags.push(
                Diagnostic::error("this theme file is a symbolic link that leads outside the pack")
                    .in_file(shown)
                    .hint("copy the file into the theme folder instead of linking to it"),
            );
            return;
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                self.overrides.insert(rel_path(dir, path), (shown, bytes));
            }
            Err(e) => diags.push(
                Diagnostic::error(format!("cannot read the theme file: {e}"))
                    .in_file(shown)
                    .hint("check that you may read the file"),
            ),
        }
    }

    /// The file at a theme path: the pack's override, else the default.
    pub fn get(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        match self.overrides.get(path) {
            Some((_, bytes)) => Some(Cow::Borrowed(bytes)),
            None => default_file(path),
        }
    }

    /// The file as text, if it exists and is UTF-8.
    pub fn text(&self, path: &str) -> Option<String> {
        self.get(path)
            .and_then(|b| String::from_utf8(b.into_owned()).ok())
    }

    /// The pack's own version of a file, if the theme overrides it.
    pub fn override_text(&self, path: &str) -> Option<&str> {
        self.overrides
            .get(path)
            .and_then(|(_, bytes)| std::str::from_utf8(bytes).ok())
    }

    /// The symbolic links followed in the pack's theme folder.
    pub fn links(&self) -> &[Symlink] {
        &self.links
    }

    /// True when the pack's theme has files of its own.
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// True when the pack's theme has this file.
    pub fn overrides(&self, path: &str) -> bool {
        self.overrides.contains_key(path)
    }

    /// Where a theme file comes from, for messages: its path in the pack, or
    /// "default theme: templates/x.html".
    pub fn shown_path(&self, path: &str) -> String {
        match self.overrides.get(path) {
            Some((shown, _)) => shown.clone(),
            None => format!("(default theme) {path}"),
        }
    }

    /// Every theme path under a folder (`"static/"`), defaults and overrides
    /// merged, sorted.
    pub fn paths_under(&self, prefix: &str) -> Vec<String> {
        let mut paths: Vec<String> = DefaultTheme::iter()
            .filter(|p| p.starts_with(prefix))
            .map(|p| p.into_owned())
            .collect();
        for path in self.overrides.keys().filter(|p| p.starts_with(prefix)) {
            if !paths.contains(path) {
                paths.push(path.clone());
            }
        }
        paths.sort();
        paths
    }
}

/// A file of the embedded default theme.
pub fn default_file(path: &str) -> Option<Cow<'static, [u8]>> {
    DefaultTheme::get(path).map(|f| f.data)
}

/// A file of the embedded default theme, as text.
pub fn default_text(path: &str) -> Option<String> {
    default_file(path).and_then(|b| String::from_utf8(b.into_owned()).ok())
}

/// Every path of the embedded default theme.
pub fn default_paths() -> Vec<String> {
    let mut paths: Vec<String> = DefaultTheme::iter().map(|p| p.into_owned()).collect();
    paths.sort();
    paths
}
