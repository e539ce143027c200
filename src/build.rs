//! `trainpack build`: load and check the pack, render the site, and swap it
//! into the output folder, all or nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::check::{output_links, output_problem};
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::load_and_check;
use crate::model::{Module, Pack};
use crate::output::Staging;
use crate::pack::{LoadOptions, real_path};
use crate::render::OutFile;
use crate::render::html::{HtmlOptions, Languages, SiteRenderer};
use crate::render::pdf::documents::Documents;
use crate::render::pdf::{KeyPart, Made};
use crate::render::pdf::{
    PdfOutput, PdfRenderer, PreviousPdfs, Timestamp, media_digest, media_set, template_sources,
};
use crate::render::reuse::{PreviousPages, cache_folder};
use crate::render::urls;
use crate::render::{RenderError, Sink};
use crate::theme::Theme;
use rayon::prelude::*;

/// Called as modules finish rendering: (done, total).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// What to build and where.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// The pack's folder.
    pub root: PathBuf,
    /// The output folder, overriding `[build] output`; relative to the
    /// current folder.
    pub output: Option<PathBuf>,
    /// Include draft modules.
    pub drafts: bool,
    /// Also typeset the PDFs (the default for `build`).
    pub pdf: bool,
    /// Write the PDFs alone, without the web pages (`trainpack pdf`).
    pub pdf_only: bool,
    /// Reports progress, for a progress bar.
    pub progress: Option<Progress>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Where the site was written.
    pub output: PathBuf,
    /// HTML pages written.
    pub pages: usize,
    /// All files written.
    pub files: usize,
    /// Modules built.
    pub modules: usize,
    /// Modules whose pages were kept from the previous build, unchanged.
    pub modules_reused: usize,
    /// PDFs written, and how many of them were typeset (not reused).
    pub pdfs: (usize, usize),
    /// Warnings found while checking.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for printing warnings.
    pub sources: Sources,
    /// How long it took.
    pub elapsed: Duration,
    /// How long each stage took.
    pub timings: Timings,
}

/// How long each stage of a build took, for `build --timings`.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading and checking the pack and the theme.
    pub load: Duration,
    /// Rendering the modules' pages.
    pub modules: Duration,
    /// Rendering the pages that list every module, and the search index.
    pub pack_pages: Duration,
    /// Typesetting (or reusing) the PDFs.
    pub pdf: Duration,
    /// Writing the site and swapping it in.
    pub write: Duration,
}

/// Both results, or every problem either found: a file that could not be
/// written first, as it stops the build whatever else went wrong.
fn both<A, B>(a: Result<A, RenderError>, b: Result<B, RenderError>) -> Result<(A, B), RenderError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(RenderError::Io(e)), _) | (_, Err(RenderError::Io(e))) => Err(RenderError::Io(e)),
        (Err(RenderError::Pack(mut a)), Err(RenderError::Pack(b))) => {
            a.extend(b);
            Err(RenderError::Pack(a))
        }
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
    }
}

/// Why a build wrote nothing.
#[derive(Debug)]
pub struct BuildFailure {
    /// Problems in the pack or its theme, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, for printing them.
    pub sources: Sources,
    /// A failure of the machine rather than the pack (disk full, no
    /// permission), with its cause chain.
    pub error: Option<anyhow::Error>,
}

impl BuildFailure {
    fn io(error: anyhow::Error, diagnostics: Vec<Diagnostic>, sources: Sources) -> BuildFailure {
        BuildFailure {
            diagnostics,
            sources,
            error: Some(error),
        }
    }
}

/// Builds the site of the pack at `options.root`.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildFailure> {
    let started = Instant::now();
    let checked = load_and_check(
        &options.root,
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    let mut sources = checked.sources;
    let mut diagnostics = checked.diagnostics;
    let (Some(pack), Some(theme)) = (checked.pack, checked.theme) else {
        return Err(failure(diagnostics, sources));
    };
    let (target, output) = output_folder(options, &pack, &theme, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(failure(diagnostics, sources));
    }
    for file in template_sources(&theme) {
        sources.add(&file);
    }
    let mut timings = Timings {
        load: started.elapsed(),
        ..Timings::default()
    };
    // The previous site's manifests are read before the new site replaces
    // it: what did not change is kept from it.
    let cache = cache_folder(&target);
    let previous: Vec<Previous> = pack
        .languages()
        .map(|p| Previous::read(&target.join(&p.prefix), &cache.join(&p.prefix)))
        .collect();
    let staging = match Staging::new(&target) {
        Ok(staging) => staging,
        Err(error) => return Err(BuildFailure::io(error, diagnostics.sorted(), sources)),
    };
    let languages = Languages::of(&pack, &|language| language_name(&theme, language));
    let mut pdfs = (0, 0);
    let mut reused = 0;
    for (part, previous) in pack.languages().zip(&previous) {
        let html = HtmlOptions {
            inject: None,
            languages: languages.clone(),
        };
        let renderer = match SiteRenderer::new(part, &theme, html, &mut sources) {
            Ok(renderer) => renderer,
            Err(diags) => {
                diagnostics.extend(diags);
                return Err(failure(diagnostics, sources));
            }
        };
        let job = Job {
            options,
            pack: part,
            theme: &theme,
            renderer: &renderer,
            previous,
            sources: &sources,
        };
        let sink = Prefixed {
            prefix: &part.prefix,
            inner: &staging,
        };
        match job.run(&sink, &mut timings) {
            Ok(done) => {
                pdfs = (pdfs.0 + done.pdfs, pdfs.1 + done.typeset);
                reused += done.reused;
            }
            Err(RenderError::Pack(diags)) => {
                diagnostics.extend(diags);
                return Err(failure(diagnostics, sources));
            }
            Err(RenderError::Io(error)) => {
                return Err(BuildFailure::io(error, diagnostics.sorted(), sources));
            }
        }
    }
    let (pages, files) = staging.counts();
    let writing = Instant::now();
    let warnings = diagnostics.sorted();
    if let Err(error) = staging.commit() {
        return Err(BuildFailure::io(error, warnings, sources));
    }
    timings.write = writing.elapsed();
    Ok(BuildReport {
        pages,
        files,
        modules: pack.languages().map(|p| p.modules.len()).sum(),
        modules_reused: reused,
        pdfs,
        output,
        warnings,
        sources,
        elapsed: started.elapsed(),
        timings,
    })
}

/// A language's own name in its own words ("Français"), from the theme.
pub fn language_name(theme: &Theme, language: &str) -> String {
    crate::i18n::Words::load(theme, language, &mut Vec::new())
        .get("language_name")
        .to_string()
}

/// Puts a language's files under its folder of the site (`fr/`).
struct Prefixed<'a> {
    prefix: &'a str,
    inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn put(&self, mut files: Vec<OutFile>) -> anyhow::Result<()> {
        if !self.prefix.is_empty() {
            for file in &mut files {
                file.path = format!("{}{}", self.prefix, file.path);
            }
        }
        self.inner.put(files)
    }
}

/// `--output`, else `[build] output`; a folder given on the command line
/// is checked like the one in `book.toml`. Gives the folder to write to
/// (see [`write_target`]) and the folder as given, for messages.
fn output_folder(
    options: &BuildOptions,
    pack: &Pack,
    theme: &Theme,
    diagnostics: &mut Diagnostics,
) -> (PathBuf, PathBuf) {
    let Some(dir) = &options.output else {
        let output = pack.root.join(&pack.config.build.output);
        return (write_target(&output), output);
    };
    if let Some(problem) = output_problem(&pack.root, dir) {
        diagnostics.push(
            Diagnostic::error(problem).hint("pass `--output` a folder of its own, such as `site`"),
        );
    }
    diagnostics.extend(output_links(pack, Some(theme), dir));
    (write_target(dir), dir.clone())
}

/// Where the site is written: the folder that was checked. The system
/// follows links on the way there as the check did, but an output folder
/// that is itself a link would be replaced by the new site, link and all,
/// where the check looked at what it leads to: that one is resolved.
fn write_target(output: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        real_path(output)
    } else {
        output.to_path_buf()
    }
}

/// How many batches of PDFs a memoised Typst result survives unused.
const EVICT_AGE: usize = 4;

/// The stack of each thread that typesets PDFs.
pub const PDF_STACK: usize = 256 << 20;

/// Everything a build renders, and where from.
struct Job<'a> {
    options: &'a BuildOptions,
    pack: &'a Pack,
    theme: &'a Theme,
    renderer: &'a SiteRenderer<'a>,
    previous: &'a Previous,
    sources: &'a Sources,
}

/// What the previous site had that a build may keep.
struct Previous {
    pages: PreviousPages,
    pdfs: PreviousPdfs,
}

impl Previous {
    /// The manifests of the site in `site`, and the module summaries
    /// cached in `cache`.
    fn read(site: &std::path::Path, cache: &std::path::Path) -> Previous {
        Previous {
            pages: PreviousPages::read(site, cache),
            pdfs: PreviousPdfs::read(site, cache),
        }
    }
}

/// What one language's part of a build did.
#[derive(Default)]
struct JobDone {
    /// PDFs written.
    pdfs: usize,
    /// PDFs typeset rather than reused.
    typeset: usize,
    /// Modules whose pages were kept.
    reused: usize,
}

impl Job<'_> {
    /// Renders the pages (unless PDFs alone were asked for) and the PDFs
    /// (when asked for) into `sink`, side by side: after an edit, the
    /// course-wide pages and the course's answer key are each the work of
    /// one core (about 0.15 s each at 1000 modules).
    fn run(&self, sink: &dyn Sink, timings: &mut Timings) -> Result<JobDone, RenderError> {
        let progress = self
            .options
            .progress
            .as_deref()
            .map(|p| p as &(dyn Fn(usize, usize) + Sync));
        let want_pdfs = self.options.pdf || self.options.pdf_only;
        let (pages, pdfs) = rayon::join(
            || {
                (!self.options.pdf_only)
                    .then(|| {
                        self.renderer
                            .render_into(sink, &self.previous.pages, progress)
                    })
                    .transpose()
            },
            || want_pdfs.then(|| self.pdfs(sink)).transpose(),
        );
        let (pages, pdfs) = both(pages, pdfs)?;
        let mut done = JobDone::default();
        if let Some(rendered) = pages {
            timings.modules += rendered.modules;
            timings.pack_pages += rendered.pack_pages;
            done.reused = rendered.reused;
        }
        if let Some((output, took)) = pdfs {
            timings.pdf += took;
            done.pdfs = output.manifest.len();
            done.typeset = output.typeset;
        }
        Ok(done)
    }

    /// Typesets (or keeps) the PDFs, writes their manifest and remembers
    /// them for the next build; returns them with the time it took.
    fn pdfs(&self, sink: &dyn Sink) -> Result<(PdfOutput, Duration), RenderError> {
        let started = Instant::now();
        // Typst recurses deeply on long documents: its threads get a larger
        // stack than rayon's default.
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(PDF_STACK)
            .build()
            .map_err(|e| RenderError::Io(anyhow::anyhow!("cannot start the PDF threads: {e}")))?;
        let output = pool.install(|| self.render_pdfs(sink))?;
        let took = started.elapsed();
        sink.put(vec![output.manifest_file()])
            .map_err(RenderError::Io)?;
        self.previous.pdfs.remember(&output);
        Ok((output, took))
    }

    /// Typesets every PDF of the pack, module by module in parallel, reusing
    /// those of the previous site whose inputs did not change.
    fn render_pdfs(&self, sink: &dyn Sink) -> Result<PdfOutput, RenderError> {
        let media = media_set(self.pack);
        let is_media = |path: &str| media.contains(path);
        let words = |module: Option<&Module>| self.renderer.words(module);
        let documents = Documents {
            pack: self.pack,
            words: &words,
            media: &is_media,
        };
        let pdf = PdfRenderer::new(self.theme, &self.pack.root, Timestamp::from_env());
        let media = media_digest(self.pack);
        let results: Vec<Result<ModulePdfs, RenderError>> = self
            .pack
            .modules
            .par_iter()
            .map(|m| self.module_pdfs(m, &documents, &pdf, &media, sink))
            .collect();
        let mut output = PdfOutput::default();
        let mut parts = Vec::new();
        let mut diags = Vec::new();
        for result in results {
            match result {
                Ok(done) => {
                    output.add_module(&done.slug, done.hash, &done.made);
                    parts.push(done.key);
                }
                Err(RenderError::Pack(mut d)) => diags.append(&mut d),
                Err(io) => return Err(io),
            }
        }
        if !diags.is_empty() {
            return Err(RenderError::Pack(diags));
        }
        let cover = documents.pack_cover(&parts);
        let made = pdf
            .pack_key(&cover, &parts, &self.previous.pdfs, self.sources)
            .map_err(|d| RenderError::Pack(vec![d]))?;
        output.add(&made);
        sink.put(vec![made.file]).map_err(RenderError::Io)?;
        Ok(output)
    }

    /// One module's PDFs, written as they are made; its answer key is also
    /// handed back for the pack's. When nothing the module's PDFs show has
    /// changed, all of them are kept without making their documents.
    fn module_pdfs(
        &self,
        module: &Module,
        documents: &Documents<'_>,
        pdf: &PdfRenderer,
        media: &str,
        sink: &dyn Sink,
    ) -> Result<ModulePdfs, RenderError> {
        let hash = pdf.module_hash(&self.renderer.module_digest(module), media);
        let made = match self.previous.pdfs.reuse_module(&module.slug, &hash) {
            Some(made) => made,
            None => self.typeset_module(module, documents, pdf)?,
        };
        let key_path = urls::module_key(&module.slug, "pdf");
        let key = made
            .iter()
            .find(|m| m.file.path == key_path)
            .ok_or_else(|| {
                RenderError::Io(anyhow::anyhow!(
                    "no answer key was made for `{}`",
                    module.slug
                ))
            })?;
        let key = KeyPart {
            label: documents.label(module),
            path: key.file.path.clone(),
            entry: key.entry.clone(),
            content: key.file.content.clone(),
        };
        sink.put(made.iter().map(|m| m.file.clone()).collect())
            .map_err(RenderError::Io)?;
        Ok(ModulePdfs {
            slug: module.slug.clone(),
            hash,
            made,
            key,
        })
    }

    /// The PDFs of a module, each typeset unless its own fingerprint is
    /// unchanged.
    fn typeset_module(
        &self,
        module: &Module,
        documents: &Documents<'_>,
        pdf: &PdfRenderer,
    ) -> Result<Vec<Made>, RenderError> {
        let made = documents
            .module_jobs(module)
            .iter()
            .map(|job| pdf.render_job(job, &self.previous.pdfs, self.sources))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|d| RenderError::Pack(vec![d]))?;
        // Typst memoises layouts in a global cache that otherwise grows with
        // every document; what later documents reuse (fonts, templates)
        // stays young.
        typst::comemo::evict(EVICT_AGE);
        Ok(made)
    }
}

/// The PDFs of one module.
struct ModulePdfs {
    slug: String,
    /// The fingerprint of everything they show.
    hash: String,
    made: Vec<Made>,
    /// Its answer key, for the pack's.
    key: KeyPart,
}

fn failure(diagnostics: Diagnostics, sources: Sources) -> BuildFailure {
    BuildFailure {
        diagnostics: diagnostics.sorted(),
        sources,
        error: None,
    }
}
