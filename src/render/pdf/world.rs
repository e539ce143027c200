//! The Typst world a PDF is compiled in: the fonts of the theme, the PDF
//! templates of the theme, the document's data, QR codes, and the media
//! files of the pack. Nothing else can be read: not the network, not the
//! rest of the disk.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::load::theme::Theme;
use crate::model::files::PackFiles;

/// What every document of a build shares: fonts, library, templates.
pub struct Environment {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// `pdf/*.typ` files of the theme, by theme path.
    templates: BTreeMap<String, String>,
    /// The theme's path for each template, for messages.
    pub shown: BTreeMap<String, String>,
    /// Fonts and templates, hashed: part of every PDF's cache key.
    pub fingerprint: String,
    files: Arc<dyn PackFiles>,
    today: Option<Datetime>,
}

impl Environment {
    /// Loads the theme's fonts (`fonts/*.ttf|otf`) and PDF templates.
    pub fn new(theme: &Theme, files: Arc<dyn PackFiles>, today: Option<Datetime>) -> Environment {
        let mut hasher = blake3::Hasher::new();
        let mut fonts = Vec::new();
        for path in theme.paths_under("fonts/") {
            let lower = path.to_ascii_lowercase();
            if !(lower.ends_with(".ttf") || lower.ends_with(".otf") || lower.ends_with(".ttc")) {
                continue;
            }
            if let Some(bytes) = theme.get(&path) {
                hasher.update(path.as_bytes());
                hasher.update(&bytes);
                fonts.extend(Font::iter(Bytes::new(bytes.into_owned())));
            }
        }
        let mut templates = BTreeMap::new();
        let mut shown = BTreeMap::new();
        for path in theme.paths_under("pdf/") {
            if let Some(text) = theme.text(&path) {
                hasher.update(path.as_bytes());
                hasher.update(text.as_bytes());
                shown.insert(path.clone(), theme.shown_path(&path));
                templates.insert(path, text);
            }
        }
        Environment {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates,
            shown,
            fingerprint: hasher.finalize().to_hex().to_string(),
            files,
            today,
        }
    }

    /// The pack's files, for the pictures documents show.
    pub fn files(&self) -> &dyn PackFiles {
        &*self.files
    }

    /// The date documents carry, if any.
    pub fn today(&self) -> Option<Datetime> {
        self.today
    }

    /// True when the theme has this PDF template.
    pub fn has_template(&self, path: &str) -> bool {
        self.templates.contains_key(path)
    }
}

/// One document: its entry source, data and generated files.
pub struct DocumentWorld<'e> {
    env: &'e Environment,
    main: Source,
    /// Generated files (`/data.json`, `/qr/N.svg`), by absolute path.
    files: BTreeMap<String, Bytes>,
}

/// The id of a file at an absolute path of the world.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .unwrap_or_else(|_| VirtualPath::new("/main.typ").expect("valid path"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl<'e> DocumentWorld<'e> {
    /// A world whose main file imports `template` and calls its `render`
    /// with the document's data.
    pub fn new(
        env: &'e Environment,
        template: &str,
        files: BTreeMap<String, Bytes>,
    ) -> DocumentWorld<'e> {
        let text = format!("#import \"/{template}\": render\n#render(json(\"/data.json\"))\n");
        DocumentWorld {
            env,
            main: Source::new(file_id("/main.typ"), text),
            files,
        }
    }

    /// The path of a file id, without the leading `/`.
    pub fn path_of(id: FileId) -> String {
        let path = id.get().vpath().get_without_slash().to_string();
        path.replace('\\', "/")
    }

    fn read_media(&self, rel: &str) -> FileResult<Bytes> {
        self.env
            .files
            .read(rel)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, Path::new(rel)))
    }
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.env.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.env.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let path = Self::path_of(id);
        match self.env.templates.get(&path) {
            Some(text) => Ok(Source::new(id, text.clone())),
            None => Err(FileError::NotFound(PathBuf::from(path))),
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = Self::path_of(id);
        if let Some(bytes) = self.files.get(&format!("/{path}")) {
            return Ok(bytes.clone());
        }
        if let Some(text) = self.env.templates.get(&path) {
            return Ok(Bytes::from_string(text.clone()));
        }
        self.read_media(&path)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.env.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.env.today
    }
}
