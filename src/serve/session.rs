//! The incremental build behind `serve`: the site is kept in memory, and a
//! rebuild re-reads only the modules whose files changed, re-renders only
//! their pages and the pages that list every module, and typesets a PDF
//! only when the browser asks for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::build::language_name;
use crate::diag::{self, Diagnostic, Diagnostics, Sources};
use crate::i18n::Words;
use crate::load_and_check_cached;
use crate::model::{Module, Pack};
use crate::pack::{LoadCache, LoadOptions, MODULES_DIR};
use crate::render::html::{HtmlOptions, Languages, ModulePages, SiteRenderer};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::{
    Entry, KeyPart, PdfRenderer, PreviousPdfs, Timestamp, media_set, template_sources,
};
use crate::render::search::SearchDoc;
use crate::render::views::{KeyView, ModuleCard};
use crate::render::{Content, RenderError, urls};
use crate::theme::Theme;

/// A page or file as served: shared, never copied.
type Page = Arc<Vec<u8>>;

/// Pages by site path.
type Pages = BTreeMap<String, Page>;

/// What the server serves: the last good build.
pub struct Snapshot {
    /// The modules' pages, styles and scripts, by site path.
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    /// Media files of the pack, by site path, read from disk when asked.
    pub media: BTreeMap<String, PathBuf>,
    /// Makes PDFs when the browser asks for them, one maker per language.
    pdfs: Vec<PdfMaker>,
    /// The pages that list every module, rendered when first asked for: a
    /// save that changes one module then costs one module's pages.
    pack_pages: Vec<PackPages>,
}

/// One language's home, schedule, search and answer key pages, rendered
/// on demand from what the modules' rendering gathered.
struct PackPages {
    prefix: String,
    pack: Arc<Pack>,
    theme: Arc<Theme>,
    html: HtmlOptions,
    /// Every module's rendering, in module order.
    modules: Vec<Arc<Rendered>>,
    rendered: OnceLock<Result<Pages, String>>,
}

impl PackPages {
    /// The page at `path` (below the language's prefix), if it is one of
    /// these pages.
    fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        if ![
            urls::HOME,
            urls::SCHEDULE,
            urls::SEARCH,
            urls::SEARCH_INDEX,
            urls::PACK_KEY,
        ]
        .contains(&path)
        {
            return None;
        }
        let rendered = self.rendered.get_or_init(|| {
            let mut sources = Sources::default();
            let renderer =
                SiteRenderer::new(&self.pack, &self.theme, self.html.clone(), &mut sources)
                    .map_err(|d| diag::render(&d, &sources, false))?;
            let docs: Vec<&SearchDoc> = self.modules.iter().flat_map(|m| &m.docs).collect();
            let keys: Vec<&KeyView> = self.modules.iter().map(|m| &m.pack_key).collect();
            let files = match renderer.render_pack_pages(&docs, &keys) {
                Ok(files) => files,
                Err(RenderError::Pack(d)) => return Err(diag::render(&d, &sources, false)),
                Err(RenderError::Io(e)) => return Err(format!("{e:#}")),
            };
            Ok(files
                .into_iter()
                .filter_map(|f| match f.content {
                    Content::Bytes(bytes) => Some((f.path, Arc::new(bytes))),
                    Content::Copy(_) => None,
                })
                .collect())
        });
        Some(match rendered {
            Ok(pages) => pages
                .get(path)
                .cloned()
                .ok_or_else(|| format!("no page `{path}`")),
            Err(e) => Err(e.clone()),
        })
    }
}

impl Snapshot {
    /// A page that lists every module (home, schedule, search, answer
    /// key), rendered now if it was not yet.
    pub fn pack_page(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        let pages = self
            .pack_pages
            .iter()
            .filter(|p| path.starts_with(&p.prefix))
            .max_by_key(|p| p.prefix.len())?;
        pages.get(&path[pages.prefix.len()..])
    }

    /// The PDF at a site path, typeset now if it was not yet; `None` when
    /// the site has no such PDF.
    pub fn pdf(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
        // Languages with a folder of their own first; the main one is "".
        let maker = self
            .pdfs
            .iter()
            .filter(|m| path.starts_with(&m.prefix))
            .max_by_key(|m| m.prefix.len())?;
        maker.get(&path[maker.prefix.len()..])
    }
}

/// Typesets the PDFs of one language of one build on demand.
struct PdfMaker {
    prefix: String,
    pack: Arc<Pack>,
    words: BTreeMap<String, Words>,
    renderer: Arc<LazyTypesetter>,
    sources: Arc<Sources>,
    made: Arc<MadePdfs>,
    /// The course's answer key once made from this build: asking again
    /// then costs no fingerprinting of every module key.
    pack_key: OnceLock<Arc<Vec<u8>>>,
}

impl PdfMaker {
    fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
        if path == urls::PACK_KEY_PDF {
            if let Some(made) = self.pack_key.get() {
                return Some(Ok(made.clone()));
            }
            return Some(self.pack_key().inspect(|made| {
                let _ = self.pack_key.set(made.clone());
            }));
        }
        let job = self.with_documents(|documents| {
            let slug = path.strip_prefix(urls::MODULES)?.split('/').next()?;
            let module = self.pack.modules.iter().find(|m| m.slug == slug)?;
            documents
                .module_jobs(module)
                .into_iter()
                .find(|job| job.path == path)
        })?;
        let hash = self.renderer.get().hash(&job);
        Some(self.typeset(&job, &hash).map(|(pdf, _)| pdf))
    }

    /// The PDF of `job`, whose fingerprint is `hash`: kept from an earlier
    /// request while what it shows is the same.
    fn typeset(&self, job: &Job, hash: &str) -> Result<(Arc<Vec<u8>>, usize), Diagnostic> {
        let path = format!("{}{}", self.prefix, job.path);
        self.made.get_or_make(&path, hash, || {
            self.renderer.get().compile(job, &self.sources)
        })
    }

    /// The pack's answer key: every module's key (typeset side by side,
    /// those already made kept), then the cover and the merge, as in a
    /// build; kept whole while no part changed.
    fn pack_key(&self) -> Result<Arc<Vec<u8>>, Diagnostic> {
        let keys: Vec<(String, Job)> = self.with_documents(|documents| {
            self.pack
                .modules
                .iter()
                .filter_map(|module| {
                    let path = urls::module_key(&module.slug, "pdf");
                    let job = documents
                        .module_jobs(module)
                        .into_iter()
                        .find(|j| j.path == path)?;
                    Some((documents.label(module), job))
                })
                .collect()
        });
        let typesetter = self.renderer.get();
        let typeset: Vec<(KeyPart, Arc<Vec<u8>>)> = self.made.in_pool(|| {
            keys.into_par_iter()
                .map(|(label, job)| {
                    let hash = typesetter.hash(&job);
                    let (pdf, pages) = self.typeset(&job, &hash)?;
                    // The bytes are copied in only if the merge is needed.
                    let part = KeyPart {
                        label,
                        path: job.path,
                        entry: Entry { hash, pages },
                        content: Content::Bytes(Vec::new()),
                    };
                    Ok((part, pdf))
                })
                .collect::<Result<_, Diagnostic>>()
        })??;
        let (parts, pdfs): (Vec<KeyPart>, Vec<_>) = typeset.into_iter().unzip();
        let cover = self.with_documents(|documents| documents.pack_cover(&parts));
        let path = format!("{}{}", self.prefix, urls::PACK_KEY_PDF);
        let hash = typesetter.pack_key_hash(&cover, &parts);
        let made = self.made.get_or_make(&path, &hash, || {
            let parts: Vec<KeyPart> = parts
                .into_iter()
                .zip(pdfs)
                .map(|(part, pdf)| KeyPart {
                    content: Content::Bytes(pdf.to_vec()),
                    ..part
                })
                .collect();
            let previous = PreviousPdfs::default();
            let made = typesetter.pack_key(&cover, &parts, &previous, &self.sources)?;
            let bytes = made.file.as_bytes().map(<[u8]>::to_vec).unwrap_or_default();
            Ok((bytes, made.entry.pages))
        });
        made.map(|(pdf, _)| pdf)
    }

    /// Runs `f` with the documents of this language.
    fn with_documents<T>(&self, f: impl FnOnce(&Documents<'_>) -> T) -> T {
        let media = media_set(&self.pack);
        let is_media = |p: &str| media.contains(p);
        let pack = &self.pack;
        let words = |module: Option<&Module>| {
            let language = module
                .and_then(|m| m.language.as_ref())
                .unwrap_or(&pack.config.pack.language);
            self.words
                .get(language)
                .or_else(|| self.words.values().next())
                .expect("the pack's words are loaded")
        };
        let documents = Documents {
            pack,
            words: &words,
            media: &is_media,
        };
        f(&documents)
    }
}

/// The PDFs this server typeset, by site path, with the fingerprint of
/// what each shows: kept from one rebuild to the next, so that a save
/// typesets again only the PDFs it changed.
#[derive(Default)]
struct MadePdfs {
    pdfs: Mutex<FxHashMap<String, MadePdf>>,
    /// Threads with a stack deep enough for Typst (see `build::PDF_STACK`).
    pool: OnceLock<Result<rayon::ThreadPool, String>>,
}

#[derive(Clone)]
struct MadePdf {
    hash: String,
    pdf: Arc<Vec<u8>>,
    pages: usize,
}

impl MadePdfs {
    /// The PDF at `path` when it was made from `hash`, else made by
    /// `make` and kept in place of the old one.
    fn get_or_make(
        &self,
        path: &str,
        hash: &str,
        make: impl FnOnce() -> Result<(Vec<u8>, usize), Diagnostic>,
    ) -> Result<(Arc<Vec<u8>>, usize), Diagnostic> {
        let kept = self
            .pdfs
            .lock()
            .ok()
            .and_then(|pdfs| pdfs.get(path).cloned());
        if let Some(made) = kept.filter(|m| m.hash == hash) {
            return Ok((made.pdf, made.pages));
        }
        let (bytes, pages) = make()?;
        let made = MadePdf {
            hash: hash.to_string(),
            pdf: Arc::new(bytes),
            pages,
        };
        if let Ok(mut pdfs) = self.pdfs.lock() {
            pdfs.insert(path.to_string(), made.clone());
        }
        Ok((made.pdf, made.pages))
    }

    /// Drops the PDFs that are in none of `folders` (module folders and
    /// course key paths, see [`pdf_folders`]), so that a long session
    /// does not keep every PDF of every module it ever served.
    fn forget_all_but(&self, folders: &FxHashSet<String>) {
        if let Ok(mut pdfs) = self.pdfs.lock() {
            pdfs.retain(|path, _| folders.contains(module_folder_of(path)));
        }
    }

    /// Runs `f` on the PDF threads.
    fn in_pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T, Diagnostic> {
        let pool = self.pool.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .stack_size(crate::build::PDF_STACK)
                .build()
                .map_err(|e| e.to_string())
        });
        match pool {
            Ok(pool) => Ok(pool.install(f)),
            Err(e) => Err(
                Diagnostic::error(format!("cannot start the PDF threads: {e}"))
                    .hint("close other programs to free memory, then ask for the PDF again"),
            ),
        }
    }
}

/// Where the PDFs of `pack` are: each language's module folders and its
/// course key.
fn pdf_folders(pack: &Pack) -> FxHashSet<String> {
    pack.languages()
        .flat_map(|part| {
            let folders = part
                .modules
                .iter()
                .map(|m| format!("{}{}", part.prefix, urls::module_dir(&m.slug)));
            folders.chain([format!("{}{}", part.prefix, urls::PACK_KEY_PDF)])
        })
        .collect()
}

/// The module folder a site path is in (`fr/modules/04-x/` for
/// `fr/modules/04-x/quiz.pdf`), or the path itself when it is in none.
fn module_folder_of(path: &str) -> &str {
    let Some(at) = path.find(urls::MODULES) else {
        return path;
    };
    let slug_at = at + urls::MODULES.len();
    match path[slug_at..].find('/') {
        Some(end) => &path[..slug_at + end + 1],
        None => path,
    }
}

/// The PDF typesetter of a build, made when a PDF is first asked for:
/// loading the fonts is not worth doing on every save.
struct LazyTypesetter {
    theme: Arc<Theme>,
    root: PathBuf,
    typesetter: OnceLock<PdfRenderer>,
}

impl LazyTypesetter {
    fn get(&self) -> &PdfRenderer {
        self.typesetter
            .get_or_init(|| PdfRenderer::new(&self.theme, &self.root, Timestamp::from_env()))
    }
}

/// A rebuild that worked.
#[derive(Debug)]
pub struct Rebuilt {
    /// Modules whose pages were rendered again.
    pub modules: usize,
    /// Modules in the pack.
    pub total: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for printing warnings.
    pub sources: Sources,
}

/// A rebuild that did not: the pack has errors.
#[derive(Debug)]
pub struct Broken {
    /// Errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for printing them.
    pub sources: Sources,
}

/// What a rebuild keeps for the next one.
pub struct Session {
    root: PathBuf,
    options: LoadOptions,
    cache: LoadCache,
    /// Each module's pages, by language prefix and slug.
    pages: BTreeMap<(String, String), Arc<Rendered>>,
    /// Each language's module cards: when they change, every page changes.
    cards: BTreeMap<String, Vec<Arc<ModuleCard>>>,
    /// Each language's cards by module, kept for modules that did not
    /// change (the same `Arc<Module>` from the load cache).
    known_cards: BTreeMap<String, KnownCards>,
    inject: String,
    /// Every PDF typeset so far.
    pdfs: Arc<MadePdfs>,
}

/// One module's pages as served (shared, so a snapshot costs no copies),
/// with what the pages that list every module need from it.
struct Rendered {
    files: Vec<(String, Arc<Vec<u8>>)>,
    docs: Vec<SearchDoc>,
    pack_key: KeyView,
}

impl From<ModulePages> for Rendered {
    fn from(pages: ModulePages) -> Rendered {
        let files = pages
            .files
            .into_iter()
            .filter_map(|f| match f.content {
                Content::Bytes(bytes) => Some((f.path, Arc::new(bytes))),
                Content::Copy(_) => None,
            })
            .collect();
        Rendered {
            files,
            docs: pages.docs,
            pack_key: pages.pack_key,
        }
    }
}

/// The files of one rebuild, before they are served.
#[derive(Default)]
struct Gathered {
    files: BTreeMap<String, Arc<Vec<u8>>>,
    media: BTreeMap<String, PathBuf>,
    pack_pages: Vec<PackPages>,
    modules: usize,
}

impl Session {
    /// A session over the pack at `root`, injecting `inject` into every page.
    pub fn new(root: &Path, options: LoadOptions, inject: String) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            cache: LoadCache::new(),
            pages: BTreeMap::new(),
            cards: BTreeMap::new(),
            known_cards: BTreeMap::new(),
            inject,
            pdfs: Arc::default(),
        }
    }

    /// Says which files alone changed before the next rebuild, when only
    /// existing files' contents did; `None` when files were added, removed
    /// or renamed.
    pub fn known_changes(&self, changed: Option<BTreeSet<PathBuf>>) {
        self.cache.set_changed(changed);
    }

    /// Rebuilds after `changed` files changed (all of them on the first
    /// call). A change outside `modules/` (book.toml, a theme file)
    /// renders every page again.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<(Snapshot, Rebuilt), Broken> {
        let started = Instant::now();
        let checked = load_and_check_cached(&self.root, &self.options, Some(&self.cache));
        let mut sources = checked.sources;
        let mut diagnostics = checked.diagnostics;
        let (Some(pack), Some(theme)) = (checked.pack, checked.theme) else {
            return Err(broken(diagnostics, sources));
        };
        if diagnostics.has_errors() {
            return Err(broken(diagnostics, sources));
        }
        let everything = self.pages.is_empty() || touches_more_than_modules(&pack.root, changed);
        let languages = Languages::of(&pack, &|language| language_name(&theme, language));
        let theme = Arc::new(theme);
        let mut gathered = Gathered::default();
        let mut words = Vec::new();
        for part in pack.languages() {
            let html = HtmlOptions {
                inject: Some(self.inject.clone()),
                languages: languages.clone(),
            };
            // Cards depend on the words too: only edits inside `modules/`
            // leave those alone.
            let known = self.known_cards.get(&part.prefix).filter(|_| !everything);
            let known = |m: &Module| known.and_then(|k| k.get(m));
            let made = SiteRenderer::with_cards(part, &theme, html.clone(), &mut sources, &known);
            let renderer = match made {
                Ok(renderer) => renderer,
                Err(diags) => {
                    diagnostics.extend(diags);
                    return Err(broken(diagnostics, sources));
                }
            };
            let part_words = renderer.all_words().clone();
            match self.render_part(&renderer, part, everything, &checked.fresh, &mut gathered) {
                Ok(modules) => gathered.pack_pages.push(PackPages {
                    prefix: part.prefix.clone(),
                    pack: Arc::new(without_translations(part)),
                    theme: theme.clone(),
                    html,
                    modules,
                    rendered: OnceLock::new(),
                }),
                Err(diags) => {
                    diagnostics.extend(diags);
                    return Err(broken(diagnostics, sources));
                }
            }
            words.push(part_words);
        }
        let rebuilt = Rebuilt {
            modules: gathered.modules,
            total: pack.languages().map(|p| p.modules.len()).sum(),
            elapsed: started.elapsed(),
            warnings: diagnostics.sorted(),
            sources: sources.clone(),
        };
        self.pdfs.forget_all_but(&pdf_folders(&pack));
        let snapshot = snapshot(&pack, &theme, words, gathered, sources, &self.pdfs);
        Ok((snapshot, rebuilt))
    }

    /// Renders one language's modules that changed, gathers every module's
    /// pages, and hands back what the pages that list every module need.
    fn render_part(
        &mut self,
        renderer: &SiteRenderer<'_>,
        part: &Pack,
        everything: bool,
        fresh: &BTreeSet<String>,
        out: &mut Gathered,
    ) -> Result<Vec<Arc<Rendered>>, Vec<Diagnostic>> {
        let key = |m: &Module| (part.prefix.clone(), m.slug.clone());
        let all = everything
            || !self
                .cards
                .get(&part.prefix)
                .is_some_and(|old| same_cards(old, renderer.cards()));
        let stale: Vec<&Module> = part
            .modules
            .iter()
            .map(|m| &**m)
            .filter(|m| {
                all || fresh.contains(&format!("{}{}", part.prefix, m.slug))
                    || !self.pages.contains_key(&key(m))
            })
            .collect();
        let results: Vec<Result<ModulePages, Diagnostic>> = stale
            .par_iter()
            .map(|m| renderer.render_module(m))
            .collect();
        let mut diags = Vec::new();
        for (module, result) in stale.iter().zip(results) {
            match result {
                Ok(pages) => {
                    self.pages.insert(key(module), Arc::new(pages.into()));
                }
                Err(d) => diags.push(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        out.modules += stale.len();
        self.cards
            .insert(part.prefix.clone(), renderer.cards().to_vec());
        self.known_cards
            .insert(part.prefix.clone(), KnownCards::of(part, renderer.cards()));
        let slugs: BTreeSet<&str> = part.modules.iter().map(|m| m.slug.as_str()).collect();
        self.pages
            .retain(|(prefix, slug), _| prefix != &part.prefix || slugs.contains(slug.as_str()));
        let mut modules = Vec::new();
        for module in &part.modules {
            let Some(pages) = self.pages.get(&key(module)) else {
                continue;
            };
            modules.push(pages.clone());
            for (path, bytes) in &pages.files {
                out.files
                    .insert(format!("{}{path}", part.prefix), bytes.clone());
            }
        }
        for file in renderer
            .static_files()
            .into_iter()
            .chain(renderer.media_files())
        {
            let path = format!("{}{}", part.prefix, file.path);
            match file.content {
                Content::Bytes(bytes) => {
                    out.files.insert(path, Arc::new(bytes));
                }
                Content::Copy(source) => {
                    out.media.insert(path, source);
                }
            }
        }
        Ok(modules)
    }
}

/// The cards of a language's modules, by the address of the module as
/// loaded; holding the module keeps the address from being reused.
#[derive(Default)]
struct KnownCards(FxHashMap<usize, (Arc<Module>, Arc<ModuleCard>)>);

impl KnownCards {
    fn of(part: &Pack, cards: &[Arc<ModuleCard>]) -> KnownCards {
        let known = part
            .modules
            .iter()
            .zip(cards)
            .map(|(m, c)| (Arc::as_ptr(m) as usize, (m.clone(), c.clone())))
            .collect();
        KnownCards(known)
    }

    fn get(&self, module: &Module) -> Option<Arc<ModuleCard>> {
        let (_, card) = self.0.get(&(std::ptr::from_ref(module) as usize))?;
        Some(card.clone())
    }
}

/// One language of a pack, as a pack of its own.
fn without_translations(part: &Pack) -> Pack {
    let mut own = part.clone();
    own.translations = Vec::new();
    own
}

/// True when two lists of cards are the same, comparing shared cards by
/// address first.
fn same_cards(old: &[Arc<ModuleCard>], new: &[Arc<ModuleCard>]) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
}

fn broken(diagnostics: Diagnostics, sources: Sources) -> Broken {
    Broken {
        diagnostics: diagnostics.sorted(),
        sources,
    }
}

fn snapshot(
    pack: &Pack,
    theme: &Arc<Theme>,
    words: Vec<BTreeMap<String, Words>>,
    gathered: Gathered,
    mut sources: Sources,
    made: &Arc<MadePdfs>,
) -> Snapshot {
    for file in template_sources(theme) {
        sources.add(&file);
    }
    let sources = Arc::new(sources);
    let renderer = Arc::new(LazyTypesetter {
        theme: theme.clone(),
        root: pack.root.clone(),
        typesetter: OnceLock::new(),
    });
    let pdfs = gathered
        .pack_pages
        .iter()
        .zip(words)
        .map(|(pages, words)| PdfMaker {
            prefix: pages.prefix.clone(),
            pack: pages.pack.clone(),
            words,
            renderer: renderer.clone(),
            sources: sources.clone(),
            made: made.clone(),
            pack_key: OnceLock::new(),
        })
        .collect();
    Snapshot {
        files: gathered.files,
        media: gathered.media,
        pdfs,
        pack_pages: gathered.pack_pages,
    }
}

/// True when a change is not inside `modules/`: `book.toml` or a theme
/// file changes every page.
fn touches_more_than_modules(root: &Path, changed: &[PathBuf]) -> bool {
    let modules = root.join(MODULES_DIR);
    changed.iter().any(|path| {
        let path = path.canonicalize().unwrap_or_else(|_| path.clone());
        !path.starts_with(&modules)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_pdf_is_made_again_only_when_its_fingerprint_changes() {
        let made = MadePdfs::default();
        let calls = Cell::new(0);
        let make = |bytes: &[u8]| {
            calls.set(calls.get() + 1);
            Ok((bytes.to_vec(), 1))
        };
        let get =
            |hash: &str, bytes: &[u8]| made.get_or_make("a.pdf", hash, || make(bytes)).unwrap();
        assert_eq!(*get("h1", b"one").0, b"one");
        assert_eq!(*get("h1", b"not asked").0, b"one");
        assert_eq!(calls.get(), 1);
        assert_eq!(*get("h2", b"two").0, b"two");
        assert_eq!(calls.get(), 2);
        // Another path is another PDF.
        let other = made.get_or_make("b.pdf", "h2", || make(b"three"));
        assert_eq!(*other.unwrap().0, b"three");
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn pdfs_of_removed_modules_are_forgotten() {
        let made = MadePdfs::default();
        for path in ["modules/a/quiz.pdf", "modules/b/quiz.pdf", "answer-key.pdf"] {
            made.get_or_make(path, "h", || Ok((b"pdf".to_vec(), 1)))
                .unwrap();
        }
        let folders = ["modules/a/", "answer-key.pdf"].map(String::from);
        made.forget_all_but(&folders.into_iter().collect());
        let mut left: Vec<String> = made.pdfs.lock().unwrap().keys().cloned().collect();
        left.sort();
        assert_eq!(left, ["answer-key.pdf", "modules/a/quiz.pdf"]);
    }

    #[test]
    fn pdfs_are_grouped_by_module_folder() {
        assert_eq!(module_folder_of("modules/a/quiz.pdf"), "modules/a/");
        assert_eq!(
            module_folder_of("fr/modules/a/handouts/h.pdf"),
            "fr/modules/a/"
        );
        assert_eq!(module_folder_of("fr/answer-key.pdf"), "fr/answer-key.pdf");
    }

    #[test]
    fn a_failed_pdf_is_not_kept() {
        let made = MadePdfs::default();
        let failed = made.get_or_make("a.pdf", "h", || Err(Diagnostic::error("broken")));
        assert!(failed.is_err());
        let mended = made.get_or_make("a.pdf", "h", || Ok((b"ok".to_vec(), 1)));
        assert_eq!(*mended.unwrap().0, b"ok");
    }
}
