//! The rendering plan: the one place that turns a checked [`Pack`] into the
//! outputs of each of its languages, for `build` and `serve` alike. It sets
//! up each language's site renderer (with the language switcher), the PDF
//! documents and their typesetter, and, for a build, renders everything
//! into a [`Sink`], keeping what the previous build made of unchanged
//! modules. It writes nothing itself: the sink and the cache do.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::load::PackReader;
use crate::load::theme::Theme;
use crate::model::{Module, Pack};
use crate::render::cache::Cache;
use crate::render::html::{HtmlOptions, Languages, SiteRenderer};
use crate::render::i18n::{Words, language_name};
use crate::render::office::reuse::{ModuleFiles, OfficeOutput, PreviousOffice};
use crate::render::office::{Office, OfficeRenderer};
use crate::render::pdf::book::{BookModule, BookPrefetch};
use crate::render::pdf::documents::Documents;
use crate::render::pdf::{
    KeyPart, Made, PdfOutput, PdfRenderer, PreviousPdfs, Timestamp, media_digest, media_set,
};
use crate::render::reuse::PreviousPages;
use crate::render::views::ModuleCard;
use crate::render::{OutFile, RenderError, Sink, urls};

/// What to make of a pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outputs {
    /// The web pages and the PDFs (`trainpack build`).
    #[default]
    SiteAndPdfs,
    /// The web pages alone (`build --no-pdf`).
    Site,
    /// The PDFs alone (`trainpack pdf`).
    Pdfs,
}

impl Outputs {
    /// True when the web pages are made.
    pub fn pages(self) -> bool {
        self != Outputs::Pdfs
    }

    /// True when the PDFs are made.
    pub fn pdfs(self) -> bool {
        self != Outputs::Site
    }
}

/// Called as modules finish rendering: (done, total).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// The cards a renderer may take from an earlier rendering instead of
/// making them again: `serve` keeps those of unchanged modules.
pub type KnownCards<'k> = dyn Fn(&Pack, &Module) -> Option<Arc<ModuleCard>> + Sync + 'k;

/// How a pack is rendered: its languages and the theme.
pub struct Plan<'a> {
    pack: &'a Pack,
    theme: &'a Theme,
    languages: Languages,
    /// HTML appended to every page (`serve`'s reload script).
    inject: Option<String>,
}

impl<'a> Plan<'a> {
    /// The plan of `pack` rendered with `theme`; `inject` goes before
    /// `</body>` of every page.
    pub fn new(pack: &'a Pack, theme: &'a Theme, inject: Option<String>) -> Plan<'a> {
        let languages = Languages::of(pack, &|language| language_name(theme, language));
        Plan {
            pack,
            theme,
            languages,
            inject,
        }
    }

    /// The pack's languages, each as a pack of its own, the main one first.
    pub fn parts(&self) -> impl Iterator<Item = &'a Pack> + use<'a> {
        self.pack.languages()
    }

    /// The theme.
    pub fn theme(&self) -> &'a Theme {
        self.theme
    }

    /// The options every page of a language is rendered with.
    pub fn html(&self) -> HtmlOptions {
        HtmlOptions {
            inject: self.inject.clone(),
            languages: self.languages.clone(),
        }
    }

    /// The site renderer of one language (`part`), compiling the theme's
    /// templates; problems in the theme come back as diagnostics. Made one
    /// language at a time, so that only one is in memory.
    pub fn renderer(
        &self,
        part: &'a Pack,
        sources: &mut Sources,
        known: &KnownCards<'_>,
    ) -> Result<SiteRenderer<'a>, Vec<Diagnostic>> {
        SiteRenderer::with_cards(part, self.theme, self.html(), sources, &|m| known(part, m))
    }
}

/// The typesetter of a pack's PDFs: the theme's fonts and templates, the
/// pack's pictures, and the date from `SOURCE_DATE_EPOCH`.
pub fn typesetter(theme: &Theme, files: PackReader) -> PdfRenderer {
    PdfRenderer::new(theme, Arc::new(files), Timestamp::from_env())
}

/// The stack of each thread that typesets PDFs: Typst recurses deeply on
/// long documents.
pub const PDF_STACK: usize = 256 << 20;

/// Threads with a stack deep enough for Typst.
pub fn pdf_pool() -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .stack_size(PDF_STACK)
        .build()
        .map_err(|e| format!("cannot start the PDF threads: {e}"))
}

/// Runs `f` with the PDF documents of one language (`part`), whose words
/// are `words`.
pub fn with_documents<T>(
    part: &Pack,
    words: &BTreeMap<String, Words>,
    f: impl FnOnce(&Documents<'_>) -> T,
) -> T {
    let media: BTreeSet<String> = media_set(part);
    let is_media = |path: &str| media.contains(path);
    f(&Documents {
        pack: part,
        words,
        media: &is_media,
    })
}

/// What the previous build made of one language, that this one may keep.
pub struct Previous {
    /// Its pages and the module summaries.
    pub pages: PreviousPages,
    /// Its PDFs.
    pub pdfs: PreviousPdfs,
    /// Its Office files.
    pub office: PreviousOffice,
}

impl Previous {
    /// The previous build as `cache` holds it.
    pub fn read(cache: Arc<dyn Cache>) -> Previous {
        Previous {
            pages: PreviousPages::read(cache.clone()),
            pdfs: PreviousPdfs::read(cache.clone()),
            office: PreviousOffice::read(cache),
        }
    }
}

/// What one language's part of a build did.
#[derive(Debug, Default)]
pub struct PartDone {
    /// PDFs written, and how many of them were typeset rather than kept.
    pub pdfs: PdfCount,
    /// Modules whose pages were kept.
    pub reused: usize,
    /// Rendering the modules' pages.
    pub modules: Duration,
    /// Rendering the pages that list every module.
    pub pack_pages: Duration,
    /// Typesetting (or keeping) the PDFs.
    pub pdf: Duration,
    /// Office files written, and how many of them were made rather than
    /// kept.
    pub office: OfficeCount,
    /// Making (or keeping) the Office files.
    pub office_time: Duration,
}

/// How many Office files a build wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OfficeCount {
    /// Files written.
    pub written: usize,
    /// Of those, made rather than kept from the previous build.
    pub made: usize,
}

impl std::ops::AddAssign for OfficeCount {
    fn add_assign(&mut self, other: OfficeCount) {
        self.written += other.written;
        self.made += other.made;
    }
}

/// How many PDFs a build wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PdfCount {
    /// PDFs written.
    pub written: usize,
    /// Of those, typeset rather than kept from the previous build.
    pub typeset: usize,
    /// Documents Typst typeset for them: a PDF assembled from parts (the
    /// course book) counts each part it typeset.
    pub documents: usize,
}

impl std::ops::AddAssign for PdfCount {
    fn add_assign(&mut self, other: PdfCount) {
        self.written += other.written;
        self.typeset += other.typeset;
        self.documents += other.documents;
    }
}

/// Everything a build renders of one language, and where from.
pub struct PartJob<'a> {
    /// The language, as a pack of its own.
    pub pack: &'a Pack,
    /// The theme.
    pub theme: &'a Theme,
    /// Its site renderer.
    pub renderer: &'a SiteRenderer<'a>,
    /// What the previous build made of it.
    pub previous: &'a Previous,
    /// The files read, for PDF errors.
    pub sources: &'a Sources,
    /// What to make.
    pub outputs: Outputs,
    /// Whether to make the Office files (never with [`Outputs::Pdfs`]).
    pub office: Office,
    /// Hears (done, total) as modules finish.
    pub progress: Option<&'a (dyn Fn(usize, usize) + Sync)>,
}

/// How many batches of PDFs a memoised Typst result survives unused.
const EVICT_AGE: usize = 4;

impl PartJob<'_> {
    /// Renders the pages and the PDFs (as `outputs` says) into `sink`,
    /// side by side: after an edit, the course-wide pages and the course's
    /// answer key are each the work of one core (about 0.15 s each at 1000
    /// modules).
    pub fn run(&self, sink: &dyn Sink) -> Result<PartDone, RenderError> {
        let mut done = PartDone::default();
        let make_office = self.office == Office::Made && self.outputs.pages();
        let ((pages, office), pdfs) = rayon::join(
            || {
                rayon::join(
                    || {
                        self.outputs
                            .pages()
                            .then(|| {
                                self.renderer
                                    .render_into(sink, &self.previous.pages, self.progress)
                            })
                            .transpose()
                    },
                    || make_office.then(|| self.office(sink)).transpose(),
                )
            },
            || self.outputs.pdfs().then(|| self.pdfs(sink)).transpose(),
        );
        let (pages, pdfs) = both(pages, pdfs)?;
        if let Some((output, took)) = office? {
            done.office = OfficeCount {
                written: output.written,
                made: output.made,
            };
            done.office_time = took;
        }
        if let Some(rendered) = pages {
            done.modules = rendered.modules;
            done.pack_pages = rendered.pack_pages;
            done.reused = rendered.reused;
        }
        if let Some((output, took)) = pdfs {
            done.pdf = took;
            done.pdfs = PdfCount {
                written: output.manifest.len(),
                typeset: output.typeset,
                documents: output.documents,
            };
        }
        Ok(done)
    }

    /// Makes (or keeps) each module's Office files and records them for
    /// the next build; returns what it wrote with the time it took.
    fn office(&self, sink: &dyn Sink) -> Result<(OfficeOutput, Duration), RenderError> {
        let started = Instant::now();
        let files = PackReader::for_pack(self.pack);
        let media = media_digest(self.pack, &files);
        let set: BTreeSet<String> = media_set(self.pack);
        let is_media = |path: &str| set.contains(path);
        let svg_fonts = crate::render::office::SvgFonts::of_theme(self.theme);
        let office = OfficeRenderer {
            svg_fonts: &svg_fonts,
            templates: &self.pack.office,
            pack: self.pack,
            words: self.renderer.all_words(),
            files: &files,
            media: &is_media,
        };
        let results: Vec<Result<(String, ModuleFiles, bool), RenderError>> = self
            .pack
            .modules
            .par_iter()
            .map(|module| {
                let hash = office.module_hash(&self.renderer.module_digest(module), &media);
                let (made, fresh) = match self.previous.office.reuse(&module.slug, &hash) {
                    Some(kept) => (kept, false),
                    None => (
                        office
                            .module_files(module)
                            .map_err(|e| RenderError::Io(e.into()))?,
                        true,
                    ),
                };
                let paths = made.iter().map(|f| f.path.clone()).collect();
                sink.put(made).map_err(RenderError::Io)?;
                Ok((
                    module.slug.clone(),
                    ModuleFiles { hash, files: paths },
                    fresh,
                ))
            })
            .collect();
        let mut output = OfficeOutput::default();
        for result in results {
            let (slug, files, fresh) = result?;
            output.written += files.files.len();
            if fresh {
                output.made += files.files.len();
            }
            output.modules.insert(slug, files);
        }
        self.previous.office.remember(&output);
        Ok((output, started.elapsed()))
    }

    /// Typesets (or keeps) the PDFs, writes their manifest and remembers
    /// them for the next build; returns them with the time it took.
    fn pdfs(&self, sink: &dyn Sink) -> Result<(PdfOutput, Duration), RenderError> {
        let started = Instant::now();
        let pool = pdf_pool().map_err(|e| RenderError::Io(anyhow::anyhow!(e)))?;
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
        with_documents(self.pack, self.renderer.all_words(), |documents| {
            let pdf = typesetter(self.theme, PackReader::for_pack(self.pack));
            let media = media_digest(self.pack, &PackReader::for_pack(self.pack));
            let prefetch = BookPrefetch::read(&self.previous.pdfs);
            let results: Vec<Result<ModulePdfs, RenderError>> = self
                .pack
                .modules
                .par_iter()
                .map(|m| self.module_pdfs(m, documents, &prefetch, &pdf, &media, sink))
                .collect();
            let mut output = PdfOutput::default();
            let mut parts = Vec::new();
            let mut book = Vec::new();
            let mut diags = Vec::new();
            for (result, module) in results.into_iter().zip(&self.pack.modules) {
                match result {
                    Ok(done) => {
                        book.push(book_module(module, &done.made, &done.hash));
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
            let previous = &self.previous.pdfs;
            let (key, book) = rayon::join(
                || {
                    let cover = documents.pack_cover(&parts);
                    pdf.pack_key(&cover, &parts, previous, self.sources)
                },
                || pdf.course_book(documents, &book, previous, self.sources, prefetch),
            );
            for made in [key, book] {
                let made = made.map_err(|d| RenderError::Pack(vec![d]))?;
                output.add(&made);
                sink.put(vec![made.file]).map_err(RenderError::Io)?;
            }
            previous.forget_unused();
            output.documents = pdf.documents_typeset();
            Ok(output)
        })
    }

    /// One module's PDFs, written as they are made; its answer key is also
    /// handed back for the pack's. When nothing the module's PDFs show has
    /// changed, all of them are kept without making their documents.
    fn module_pdfs(
        &self,
        module: &Module,
        documents: &Documents<'_>,
        prefetch: &BookPrefetch,
        pdf: &PdfRenderer,
        media: &str,
        sink: &dyn Sink,
    ) -> Result<ModulePdfs, RenderError> {
        let hash = pdf.module_hash(&self.renderer.module_digest(module), media);
        let made = match self.previous.pdfs.reuse_module(&module.slug, &hash) {
            Some(made) => made,
            None => {
                // The module's PDFs are typeset one after another; its parts
                // of the course book, beside them.
                let previous = (&self.previous.pdfs, self.sources);
                let (made, ()) = rayon::join(
                    || self.typeset_module(module, documents, pdf),
                    || prefetch.module(pdf, documents, module, &hash, previous),
                );
                made?
            }
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
        let mut made: Vec<Made> = Vec::new();
        for mut job in documents.module_jobs(module) {
            job.draw_slides(&module.slug, &made);
            let one = pdf.render_job(&job, &self.previous.pdfs, self.sources);
            made.push(one.map_err(|d| RenderError::Pack(vec![d]))?);
        }
        // Typst memoises layouts in a global cache that otherwise grows with
        // every document; what later documents reuse (fonts, templates)
        // stays young.
        typst::comemo::evict(EVICT_AGE);
        Ok(made)
    }
}

/// A module as the course book holds it, with the pages of its guide and
/// handouts as its own PDFs have them.
fn book_module<'m>(module: &'m Module, made: &[Made], fingerprint: &str) -> BookModule<'m> {
    let pages = |path: &str| {
        made.iter()
            .find(|m| m.file.path == path)
            .map_or(1, |m| m.entry.pages)
    };
    BookModule {
        module,
        guide_pages: pages(&urls::guide_pdf(&module.slug)),
        handout_pages: module
            .handouts
            .iter()
            .map(|h| pages(&urls::handout(&module.slug, &h.id, "pdf")))
            .collect(),
        fingerprint: fingerprint.to_string(),
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

/// Puts a language's files under its folder of the site (`fr/`).
pub struct Prefixed<'a> {
    /// The language's folder: "" for the main language, "fr/".
    pub prefix: &'a str,
    /// Where the files go.
    pub inner: &'a dyn Sink,
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
