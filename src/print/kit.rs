//! The evaluation kit `trainpack print` writes beside a class's print run
//! (in `kit/` next to `class.pdf`): the pre- and post-tests with their
//! keys, the evaluation form, the attendance sheets and the certificates.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Sources};
use crate::load::schedule::course_schedule;
use crate::model::{Module, Pack};
use crate::render::Audience;
use crate::render::pdf::PdfRenderer;
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::kit::Test;

/// A file of the kit, written.
#[derive(Debug, Clone)]
pub struct KitFile {
    /// Where it was written.
    pub path: PathBuf,
    /// Its pages.
    pub pages: usize,
}

/// The kit's documents for the class taught `modules`.
pub(super) fn jobs(
    documents: &Documents<'_>,
    pack: &Pack,
    modules: &[&Module],
    participants: usize,
) -> Vec<Job> {
    let mut jobs = Vec::new();
    if modules.iter().any(|m| m.quiz().is_some()) {
        for test in [Test::Pre, Test::Post] {
            for audience in [Audience::Participant, Audience::Key] {
                jobs.push(documents.test(modules, test, audience));
            }
        }
    }
    jobs.push(documents.evaluation(modules));
    let schedule = course_schedule(
        pack.modules.iter().map(|m| m.as_ref()),
        pack.config.schedule.as_ref(),
    );
    let names = &pack.config.course.names;
    jobs.push(documents.attendance(&schedule, modules, names, participants));
    let minutes = modules.iter().map(|m| m.schedule.total).sum();
    jobs.push(documents.certificates(modules, minutes, names, participants));
    jobs
}

/// Typesets `jobs` and writes each into `folder` (a job's path is
/// `kit/<name>.pdf`), every file aside first.
pub(super) fn write(
    jobs: &[Job],
    folder: &Path,
    pdf: &PdfRenderer,
    sources: &Sources,
) -> Result<Result<Vec<KitFile>, anyhow::Error>, Vec<Diagnostic>> {
    let typeset: Vec<Result<(Vec<u8>, usize), Diagnostic>> = jobs
        .par_iter()
        .map(|job| pdf.compile(job, sources))
        .collect();
    let mut made = Vec::new();
    let mut diagnostics = Vec::new();
    for (job, result) in jobs.iter().zip(typeset) {
        match result {
            Ok(done) => made.push((job, done)),
            Err(d) => diagnostics.push(d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(made
        .into_iter()
        .map(|(job, (bytes, pages))| {
            let path = folder.join(&job.path);
            crate::output::write_aside(&path, &bytes)?;
            Ok(KitFile { path, pages })
        })
        .collect())
}
