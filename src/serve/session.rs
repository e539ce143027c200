//! The incremental build behind `serve`: the site is kept in memory, and a
//! rebuild re-reads only the modules whose files changed, re-renders only
//! their pages and the pages that list every module, and typesets a PDF
//! only when the browser asks for it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Sources};
use crate::i18n::Words;
use crate::model::{Module, Pack};
use crate::pack::{LoadCache, LoadOptions, MODULES_DIR};
use crate::render::html::{HtmlOptions, ModulePages, SiteRenderer};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::{PdfRenderer, Timestamp, media_set, template_sources};
use crate::render::views::ModuleCard;
use crate::render::{Content, OutFile};
use crate::theme::Theme;
use crate::{load_and_check_cached, render::urls};

/// What the server serves: the last good build.
pub struct Snapshot {
    /// Pages, styles, scripts and the search index, by site path.
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    /// Media files of the pack, by site path, read from disk when asked.
    pub media: BTreeMap<String, PathBuf>,
    /// Makes PDFs when the browser asks for them.
    pub pdfs: PdfMaker,
}

/// Typesets the PDFs of one build on demand, keeping each one made.
pub struct PdfMaker {
    pack: Arc<Pack>,
    words: BTreeMap<String, Words>,
    renderer: PdfRenderer,
    sources: Sources,
    made: Mutex<BTreeMap<String, Arc<Vec<u8>>>>,
}

impl PdfMaker {
    /// The PDF at a site path, typeset now if it was not yet; `None` when
    /// the site has no such PDF.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, Diagnostic>> {
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
            &self.words[language]
        };
        let documents = Documents {
            pack,
            words: &words,
            media: &is_media,
        };
        if path == urls::PACK_KEY_PDF {
            return Some(documents.pack_key());
        }
        let slug = path.strip_prefix("modules/")?.split('/').next()?;
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
    pages: BTreeMap<String, ModulePages>,
    cards: Vec<ModuleCard>,
    inject: String,
}

impl Session {
    /// A session over the pack at `root`, injecting `inject` into every page.
    pub fn new(root: &Path, options: LoadOptions, inject: String) -> Session {
        Session {
            root: root.to_path_buf(),
            options,
            cache: LoadCache::new(),
            pages: BTreeMap::new(),
            cards: Vec::new(),
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
        let diagnostics = checked.diagnostics;
        let (Some(pack), Some(theme)) = (checked.pack, checked.theme) else {
            return Err(Broken {
                diagnostics: diagnostics.sorted(),
                sources,
            });
        };
        if diagnostics.has_errors() {
            return Err(Broken {
                diagnostics: diagnostics.sorted(),
                sources,
            });
        }
        let html = HtmlOptions {
            inject: Some(self.inject.clone()),
        };
        let renderer = match SiteRenderer::new(&pack, &theme, html, &mut sources) {
            Ok(renderer) => renderer,
            Err(diags) => {
                let mut all = diagnostics;
                all.extend(diags);
                return Err(Broken {
                    diagnostics: all.sorted(),
                    sources,
                });
            }
        };
        let everything = self.pages.is_empty()
            || self.cards != renderer.cards()
            || touches_more_than_modules(&pack.root, changed);
        let stale: Vec<&Module> = pack
            .modules
            .iter()
            .filter(|m| {
                everything || checked.fresh.contains(&m.slug) || !self.pages.contains_key(&m.slug)
            })
            .collect();
        let rendered = self.render(&renderer, &pack, &stale);
        let files = match rendered {
            Ok(files) => files,
            Err(diags) => {
                let mut all = diagnostics;
                all.extend(diags);
                return Err(Broken {
                    diagnostics: all.sorted(),
                    sources,
                });
            }
        };
        self.cards = renderer.cards().to_vec();
        let words = renderer.all_words().clone();
        let media = renderer
            .media_files()
            .into_iter()
            .filter_map(|f| match f.content {
                Content::Copy(path) => Some((f.path, path)),
                Content::Bytes(_) => None,
            })
            .collect();
        let rebuilt = Rebuilt {
            modules: stale.len(),
            total: pack.modules.len(),
            elapsed: started.elapsed(),
            warnings: diagnostics.sorted(),
            sources: sources.clone(),
        };
        drop(renderer);
        let snapshot = snapshot(pack, theme, words, files, media, sources);
        Ok((snapshot, rebuilt))
    }

    /// Renders the stale modules' pages, then the pages that list every
    /// module, and returns every page of the site.
    fn render(
        &mut self,
        renderer: &SiteRenderer<'_>,
        pack: &Pack,
        stale: &[&Module],
    ) -> Result<Vec<OutFile>, Vec<Diagnostic>> {
        use rayon::prelude::*;
        let results: Vec<Result<ModulePages, Diagnostic>> = stale
            .par_iter()
            .map(|m| renderer.render_module(m))
            .collect();
        let mut diags = Vec::new();
        for result in results {
            match result {
                Ok(pages) => {
                    self.pages.insert(pages.slug.clone(), pages);
                }
                Err(d) => diags.push(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let slugs: BTreeSet<&str> = pack.modules.iter().map(|m| m.slug.as_str()).collect();
        self.pages.retain(|slug, _| slugs.contains(slug.as_str()));
        let ordered: Vec<&ModulePages> = pack
            .modules
            .iter()
            .filter_map(|m| self.pages.get(&m.slug))
            .collect();
        let docs: Vec<_> = ordered
            .iter()
            .flat_map(|p| p.docs.iter().cloned())
            .collect();
        let keys = ordered.iter().map(|p| p.pack_key.clone()).collect();
        let mut files = renderer.render_pack_pages(&docs, keys)?;
        files.extend(ordered.iter().flat_map(|p| p.files.iter().cloned()));
        files.extend(renderer.static_files());
        Ok(files)
    }
}

fn snapshot(
    pack: Pack,
    theme: Theme,
    words: BTreeMap<String, Words>,
    files: Vec<OutFile>,
    media: BTreeMap<String, PathBuf>,
    mut sources: Sources,
) -> Snapshot {
    for file in template_sources(&theme) {
        sources.add(&file);
    }
    let renderer = PdfRenderer::new(&theme, &pack.root, Timestamp::from_env());
    let files = files
        .into_iter()
        .filter_map(|f| match f.content {
            Content::Bytes(bytes) => Some((f.path, Arc::new(bytes))),
            Content::Copy(_) => None,
        })
        .collect();
    Snapshot {
        files,
        media,
        pdfs: PdfMaker {
            pack: Arc::new(pack),
            words,
            renderer,
            sources,
            made: Mutex::new(BTreeMap::new()),
        },
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
