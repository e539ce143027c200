//! `trainpack build`: load and check the pack, render the site, and swap it
//! into the output folder, all or nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::check::output_problem;
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::load_and_check;
use crate::model::{Module, Pack};
use crate::output::Staging;
use crate::pack::LoadOptions;
use crate::render::OutFile;
use crate::render::html::{HtmlOptions, SiteRenderer};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::{
    PdfOutput, PdfRenderer, PreviousPdfs, Timestamp, media_set, template_sources,
};
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
    /// PDFs written, and how many of them were typeset (not reused).
    pub pdfs: (usize, usize),
    /// Warnings found while checking.
    pub warnings: Vec<Diagnostic>,
    /// The files read, for printing warnings.
    pub sources: Sources,
    /// How long it took.
    pub elapsed: Duration,
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
    let output = output_folder(options, &pack, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(failure(diagnostics, sources));
    }
    let renderer = match SiteRenderer::new(&pack, &theme, HtmlOptions::default(), &mut sources) {
        Ok(renderer) => renderer,
        Err(diags) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics, sources));
        }
    };
    for file in template_sources(&theme) {
        sources.add(&file);
    }
    let rendered = render(options, &pack, &theme, &renderer, &output, &sources);
    let Rendered { files, pdfs } = match rendered {
        Ok(rendered) => rendered,
        Err(diags) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics, sources));
        }
    };
    let warnings = diagnostics.sorted();
    if let Err(error) = write_site(&output, &files) {
        return Err(BuildFailure::io(error, warnings, sources));
    }
    Ok(BuildReport {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files: files.len(),
        modules: pack.modules.len(),
        pdfs,
        output,
        warnings,
        sources,
        elapsed: started.elapsed(),
    })
}

/// `--output`, else `[build] output`; a folder given on the command line
/// is checked like the one in `book.toml`.
fn output_folder(options: &BuildOptions, pack: &Pack, diagnostics: &mut Diagnostics) -> PathBuf {
    let Some(dir) = &options.output else {
        return pack.root.join(&pack.config.build.output);
    };
    if let Some(problem) = output_problem(&pack.root, dir) {
        diagnostics.push(
            Diagnostic::error(problem).hint("pass `--output` a folder of its own, such as `site`"),
        );
    }
    dir.clone()
}

/// The pages (unless PDFs alone were asked for) and the PDFs (when asked
/// for), with the count of PDFs written and typeset.
fn render(
    options: &BuildOptions,
    pack: &Pack,
    theme: &Theme,
    renderer: &SiteRenderer<'_>,
    output: &Path,
    sources: &Sources,
) -> Result<Rendered, Vec<Diagnostic>> {
    let progress = options
        .progress
        .as_deref()
        .map(|p| p as &(dyn Fn(usize, usize) + Sync));
    let mut files = if options.pdf_only {
        Vec::new()
    } else {
        renderer.render_all(progress)?
    };
    let mut pdfs = (0, 0);
    if options.pdf || options.pdf_only {
        let output = render_pdfs(pack, theme, renderer, output, sources)?;
        pdfs = (output.files.len().saturating_sub(1), output.typeset);
        files.extend(output.files);
    }
    Ok(Rendered { files, pdfs })
}

/// The files of a build, and (PDFs written, PDFs typeset).
struct Rendered {
    files: Vec<OutFile>,
    pdfs: (usize, usize),
}

/// Typesets every PDF of the pack, reusing those of the previous site whose
/// inputs did not change.
fn render_pdfs(
    pack: &Pack,
    theme: &Theme,
    renderer: &SiteRenderer<'_>,
    output: &Path,
    sources: &Sources,
) -> Result<PdfOutput, Vec<Diagnostic>> {
    let media = media_set(pack);
    let is_media = |path: &str| media.contains(path);
    let words = |module: Option<&Module>| renderer.words(module);
    let documents = Documents {
        pack,
        words: &words,
        media: &is_media,
    };
    let mut jobs: Vec<Job> = pack
        .modules
        .par_iter()
        .flat_map(|m| documents.module_jobs(m))
        .collect();
    jobs.push(documents.pack_key());
    let pdf = PdfRenderer::new(theme, &pack.root, Timestamp::from_env());
    pdf.render(&jobs, &PreviousPdfs::read(output), sources)
}

fn failure(diagnostics: Diagnostics, sources: Sources) -> BuildFailure {
    BuildFailure {
        diagnostics: diagnostics.sorted(),
        sources,
        error: None,
    }
}

/// Writes the files into a staging folder and swaps it in.
pub fn write_site(output: &Path, files: &[OutFile]) -> anyhow::Result<()> {
    let staging = Staging::new(output)?;
    staging.write(files)?;
    staging.commit()
}
