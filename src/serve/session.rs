//! The incremental build behind `serve`: the site is kept in memory, and a
//! rebuild re-reads only the modules whose files changed, re-renders only
//! their pages and the pages that list every module, and typesets a PDF
//! only when the browser asks for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::diag::{self, Diagnostic, Diagnostics, Sources};
use crate::load::theme::Theme;
use crate::load::{LoadCache, LoadOptions};
use crate::load_and_check_cached;
use crate::model::MODULES_DIR;
use crate::model::{Module, Pack};
use crate::render::html::{HtmlOptions, ModulePages, SiteRenderer};
use crate::render::i18n::Words;
use crate::render::pdf::template_sources;
use crate::render::plan::Plan;
use crate::render::search::SearchDoc;
use crate::render::views::{KeyView, ModuleCard};
use crate::render::{Content, RenderError, urls};

use super::pdfs::{LazyTypesetter, MadePdfs, PdfMaker, pdf_folders};

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
                    Content::Copy(_) | Content::Spliced(_) => None,
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
                Content::Copy(_) | Content::Spliced(_) => None,
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
        let theme = Arc::new(theme);
        let plan = Plan::new(&pack, &theme, Some(self.inject.clone()));
        let mut gathered = Gathered::default();
        let mut words = Vec::new();
        for part in plan.parts() {
            let html = plan.html();
            // Cards depend on the words too: only edits inside `modules/`
            // leave those alone.
            let known = self.known_cards.get(&part.prefix).filter(|_| !everything);
            let known = |_: &Pack, m: &Module| known.and_then(|k| k.get(m));
            let renderer = match plan.renderer(part, &mut sources, &known) {
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
                // Only a course book kept from a previous site is spliced.
                Content::Spliced(_) => {}
            }
        }
        Ok(modules)
    }
}

/// The cards of a language's modules, by slug, with the module each was
/// made from. A card is reused only for that very module: the load cache
/// hands back the same shared module while its files are unchanged, so an
/// edited module (a new value) never gets an old card.
#[derive(Default)]
struct KnownCards(FxHashMap<String, (Arc<Module>, Arc<ModuleCard>)>);

impl KnownCards {
    fn of(part: &Pack, cards: &[Arc<ModuleCard>]) -> KnownCards {
        let known = part
            .modules
            .iter()
            .zip(cards)
            .map(|(m, c)| (m.slug.clone(), (m.clone(), c.clone())))
            .collect();
        KnownCards(known)
    }

    fn get(&self, module: &Module) -> Option<Arc<ModuleCard>> {
        let (made_from, card) = self.0.get(&module.slug)?;
        std::ptr::eq(&**made_from, module).then(|| card.clone())
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
        files: crate::load::PackReader::for_pack(pack),
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
            course_book: OnceLock::new(),
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
