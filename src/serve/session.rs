//! The incremental build behind `serve`: the site is kept in memory, and a
//! rebuild re-reads only the modules whose files changed, re-renders only
//! their pages and the pages that list every module, and typesets a PDF
//! only when the browser asks for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::build::language_name;
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::i18n::Words;
use crate::load_and_check_cached;
use crate::model::{Module, Pack};
use crate::pack::{LoadCache, LoadOptions, MODULES_DIR};
use crate::render::html::{HtmlOptions, Languages, ModulePages, SiteRenderer};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::{PdfRenderer, Timestamp, media_set, template_sources};
use crate::render::views::ModuleCard;
use crate::render::{Content, OutFile, urls};
use crate::theme::Theme;

/// What the server serves: the last good build.
pub struct Snapshot {
    /// Pages, styles, scripts and the search index, by site path.
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    /// Media files of the pack, by site path, read from disk when asked.
    pub media: BTreeMap<String, PathBuf>,
    /// Makes PDFs when the browser asks for them, one maker per language.
    pdfs: Vec<PdfMaker>,
}

impl Snapshot {
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

/// Typesets the PDFs of one language of one build on demand, keeping each.
struct PdfMaker {
    prefix: String,
    pack: Arc<Pack>,
    words: BTreeMap<String, Words>,
    renderer: Arc<PdfRenderer>,
    sources: Arc<Sources>,
    made: Mutex<BTreeMap<String, Arc<Vec<u8>>>>,
}

impl PdfMaker {
    fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
        if let Some(pdf) = self.made.lock().ok()?.get(path) {
            return Some(Ok(pdf.clone()));
        }
        let job = self.job(path)?;
        let made = self.renderer.compile(&job, &self.sources).map(Arc::new);
        if let (Ok(pdf), Ok(mut cache)) = (&made, self.made.lock()) {
            cache.insert(path.to_string(), pdf.clone());
        }
        Some(made)
    }

    fn job(&self, path: &str) -> Option<Job> {
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
                .expect("the pack's words")
        };
        let documents = Documents {
            pack,
            words: &words,
            media: &is_media,
        };
        if path == urls::PACK_KEY_PDF {
            return Some(documents.pack_key());
        }
        let slug = path.strip_prefix(urls::MODULES)?.split('/').next()?;
        let module = pack.modules.iter().find(|m| m.slug == slug)?;
        documents
            .module_jobs(module)
            .into_iter()
            .find(|job| job.path == path)
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
    pages: BTreeMap<(String, String), ModulePages>,
    /// Each language's module cards: when they change, every page changes.
    cards: BTreeMap<String, Vec<ModuleCard>>,
    inject: String,
}

/// The pages and files of one rebuild, before they are served.
#[derive(Default)]
struct Rendered {
    files: Vec<OutFile>,
    media: BTreeMap<String, PathBuf>,
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
            inject,
        }
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
        let mut rendered = Rendered::default();
        let mut words = Vec::new();
        for part in pack.languages() {
            let html = HtmlOptions {
                inject: Some(self.inject.clone()),
                languages: languages.clone(),
            };
            let renderer = match SiteRenderer::new(part, &theme, html, &mut sources) {
                Ok(renderer) => renderer,
                Err(diags) => {
                    diagnostics.extend(diags);
                    return Err(broken(diagnostics, sources));
                }
            };
            if let Err(diags) =
                self.render_part(&renderer, part, everything, &checked.fresh, &mut rendered)
            {
                diagnostics.extend(diags);
                return Err(broken(diagnostics, sources));
            }
            words.push(renderer.all_words().clone());
        }
        let rebuilt = Rebuilt {
            modules: rendered.modules,
            total: pack.languages().map(|p| p.modules.len()).sum(),
            elapsed: started.elapsed(),
            warnings: diagnostics.sorted(),
            sources: sources.clone(),
        };
        Ok((snapshot(pack, &theme, words, rendered, sources), rebuilt))
    }

    /// Renders one language: the modules that changed, then the pages that
    /// list every module.
    fn render_part(
        &mut self,
        renderer: &SiteRenderer<'_>,
        part: &Pack,
        everything: bool,
        fresh: &BTreeSet<String>,
        out: &mut Rendered,
    ) -> Result<(), Vec<Diagnostic>> {
        let key = |m: &Module| (part.prefix.clone(), m.slug.clone());
        let all =
            everything || self.cards.get(&part.prefix).map(Vec::as_slice) != Some(renderer.cards());
        let stale: Vec<&Module> = part
            .modules
            .iter()
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
                    self.pages.insert(key(module), pages);
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
        let slugs: BTreeSet<&str> = part.modules.iter().map(|m| m.slug.as_str()).collect();
        self.pages
            .retain(|(prefix, slug), _| prefix != &part.prefix || slugs.contains(slug.as_str()));
        let ordered: Vec<&ModulePages> = part
            .modules
            .iter()
            .filter_map(|m| self.pages.get(&key(m)))
            .collect();
        let docs: Vec<_> = ordered
            .iter()
            .flat_map(|p| p.docs.iter().cloned())
            .collect();
        let pack_keys = ordered.iter().map(|p| p.pack_key.clone()).collect();
        let mut files = renderer.render_pack_pages(&docs, pack_keys)?;
        files.extend(ordered.iter().flat_map(|p| p.files.iter().cloned()));
        files.extend(renderer.static_files());
        for mut file in files {
            file.path = format!("{}{}", part.prefix, file.path);
            out.files.push(file);
        }
        for file in renderer.media_files() {
            if let Content::Copy(path) = file.content {
                out.media
                    .insert(format!("{}{}", part.prefix, file.path), path);
            }
        }
        Ok(())
    }
}

fn broken(diagnostics: Diagnostics, sources: Sources) -> Broken {
    Broken {
        diagnostics: diagnostics.sorted(),
        sources,
    }
}

fn snapshot(
    pack: Pack,
    theme: &Theme,
    words: Vec<BTreeMap<String, Words>>,
    rendered: Rendered,
    mut sources: Sources,
) -> Snapshot {
    for file in template_sources(theme) {
        sources.add(&file);
    }
    let sources = Arc::new(sources);
    let renderer = Arc::new(PdfRenderer::new(theme, &pack.root, Timestamp::from_env()));
    let pdfs = pack
        .languages()
        .zip(words)
        .map(|(part, words)| PdfMaker {
            prefix: part.prefix.clone(),
            pack: Arc::new(Pack {
                translations: Vec::new(),
                ..part.clone()
            }),
            words,
            renderer: renderer.clone(),
            sources: sources.clone(),
            made: Mutex::new(BTreeMap::new()),
        })
        .collect();
    let files = rendered
        .files
        .into_iter()
        .filter_map(|f| match f.content {
            Content::Bytes(bytes) => Some((f.path, Arc::new(bytes))),
            Content::Copy(_) => None,
        })
        .collect();
    Snapshot {
        files,
        media: rendered.media,
        pdfs,
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
