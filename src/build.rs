//! `trainpack build`: load and check the pack, render the site, and swap it
//! into the output folder, all or nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::check::{output_links, output_problem};
use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::load::theme::Theme;
use crate::load::{LoadOptions, real_path};
use crate::load_and_check;
use crate::model::Pack;
use crate::output::Staging;
use crate::output::cache::{SiteCache, cache_folder};
use crate::render::RenderError;
use crate::render::pdf::template_sources;
use crate::render::plan::{PartDone, PartJob, Plan, Prefixed, Previous};

pub use crate::render::office::Office;
pub use crate::render::plan::{OfficeCount, Outputs, PdfCount, Progress};

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
    /// What to make: the site and its PDFs, or either alone.
    pub outputs: Outputs,
    /// Whether the site gets the Office files (`--no-office`).
    pub office: Office,
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
    pub pdfs: PdfCount,
    /// Office files written, and how many of them were made (not reused).
    pub office: OfficeCount,
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
    /// Making (or reusing) the Office files.
    pub office: Duration,
    /// Writing the site and swapping it in.
    pub write: Duration,
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
    let load = LoadOptions {
        drafts: options.drafts,
    };
    let checked = load_and_check(&options.root, &load);
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
    // The previous site is read before the new site replaces it: what did
    // not change is kept from it.
    let folder = cache_folder(&target);
    let caches: Vec<Arc<SiteCache>> = pack
        .languages()
        .map(|p| {
            let site = target.join(&p.prefix);
            Arc::new(SiteCache::open(&site, &folder.join(&p.prefix)))
        })
        .collect();
    let staging = match Staging::new(&target) {
        Ok(staging) => staging,
        Err(error) => return Err(BuildFailure::io(error, diagnostics.sorted(), sources)),
    };
    let plan = Plan::new(&pack, &theme, None);
    let mut done = Done::default();
    for (part, cache) in plan.parts().zip(&caches) {
        let renderer = match plan.renderer(part, &mut sources, &|_, _| None) {
            Ok(renderer) => renderer,
            Err(diags) => {
                diagnostics.extend(diags);
                return Err(failure(diagnostics, sources));
            }
        };
        let previous = Previous::read(cache.clone());
        let job = PartJob {
            pack: part,
            theme: &theme,
            renderer: &renderer,
            previous: &previous,
            sources: &sources,
            outputs: options.outputs,
            office: options.office,
            progress: options.progress.as_deref().map(|p| p as _),
        };
        let sink = Prefixed {
            prefix: &part.prefix,
            inner: &staging,
        };
        match job.run(&sink) {
            Ok(part_done) => done.add(part_done, &mut timings),
            Err(RenderError::Pack(diags)) => {
                diagnostics.extend(diags);
                return Err(failure(diagnostics, sources));
            }
            Err(RenderError::Io(error)) => {
                return Err(BuildFailure::io(error, diagnostics.sorted(), sources));
            }
        }
    }
    // A cache entry that could not be kept makes the next build slower:
    // the author hears of it, as a warning.
    for cache in &caches {
        diagnostics.extend(cache.take_problems());
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
        modules_reused: done.reused,
        pdfs: done.pdfs,
        office: done.office,
        output,
        warnings,
        sources,
        elapsed: started.elapsed(),
        timings,
    })
}

/// What the languages of a build did, added up.
#[derive(Default)]
struct Done {
    pdfs: PdfCount,
    office: OfficeCount,
    reused: usize,
}

impl Done {
    fn add(&mut self, part: PartDone, timings: &mut Timings) {
        self.pdfs += part.pdfs;
        self.office += part.office;
        timings.office += part.office_time;
        self.reused += part.reused;
        timings.modules += part.modules;
        timings.pack_pages += part.pack_pages;
        timings.pdf += part.pdf;
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

fn failure(diagnostics: Diagnostics, sources: Sources) -> BuildFailure {
    BuildFailure {
        diagnostics: diagnostics.sorted(),
        sources,
        error: None,
    }
}
