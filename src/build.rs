//! `trainpack build`: load and check the pack, render the site, and swap it
//! into the output folder, all or nothing.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::check::output_problem;
use crate::diag::{Diagnostic, Sources};
use crate::load_and_check;
use crate::output::Staging;
use crate::pack::LoadOptions;
use crate::render::OutFile;
use crate::render::html::{HtmlOptions, SiteRenderer};

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
        return Err(failure(diagnostics.sorted(), sources));
    };
    let output = match &options.output {
        Some(dir) => dir.clone(),
        None => pack.root.join(&pack.config.build.output),
    };
    if let Some(problem) = options
        .output
        .as_ref()
        .and_then(|_| output_problem(&pack.root, &output))
    {
        diagnostics.push(
            Diagnostic::error(problem).hint("pass `--output` a folder of its own, such as `site`"),
        );
    }
    if diagnostics.has_errors() {
        return Err(failure(diagnostics.sorted(), sources));
    }
    let renderer = match SiteRenderer::new(&pack, &theme, HtmlOptions::default(), &mut sources) {
        Ok(renderer) => renderer,
        Err(diags) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics.sorted(), sources));
        }
    };
    let progress = options
        .progress
        .as_deref()
        .map(|p| p as &(dyn Fn(usize, usize) + Sync));
    let files = match renderer.render_all(progress) {
        Ok(files) => files,
        Err(diags) => {
            diagnostics.extend(diags);
            return Err(failure(diagnostics.sorted(), sources));
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
        output,
        warnings,
        sources,
        elapsed: started.elapsed(),
    })
}

fn failure(diagnostics: Vec<Diagnostic>, sources: Sources) -> BuildFailure {
    BuildFailure {
        diagnostics,
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
