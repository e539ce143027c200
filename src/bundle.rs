//! `trainpack bundle`: the built site, its PDFs and any other file a build
//! put there, in one zip to carry on a USB stick to a training room with no
//! network, opening at `index.html` from `file://`.
//!
//! The site is built first, as `trainpack build` builds it (unchanged
//! pages and PDFs are kept from the previous build, so this costs little
//! when the site is up to date): a bundle never holds a site older than
//! the sources. A pack with errors is not bundled. The README.txt and the
//! size report are made by [`crate::render::bundle`], the zip written by
//! [`crate::output::bundle`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{BuildFailure, BuildOptions, BuildReport, Outputs, Progress};
use crate::diag::Diagnostic;
use crate::load::LoadOptions;
use crate::load::theme::Theme;
use crate::model::Pack;
use crate::output::bundle::{site_files, write_zip};
use crate::render::bundle::{SizeReport, readme};
use crate::render::i18n::Words;

/// Where the zip goes when `--out` does not say, in the pack: `bundle/`,
/// named after the pack.
pub const DEFAULT_FOLDER: &str = "bundle";

/// What to bundle.
#[derive(Clone, Default)]
pub struct BundleOptions {
    /// The pack's folder.
    pub root: PathBuf,
    /// The zip to write (or a folder to write it into); default
    /// `bundle/<pack>.zip` in the pack.
    pub output: Option<PathBuf>,
    /// Include draft modules.
    pub drafts: bool,
    /// Reports the build's progress, for a progress bar.
    pub progress: Option<Progress>,
}

/// What a bundle wrote.
#[derive(Debug)]
pub struct BundleReport {
    /// The zip.
    pub zip: PathBuf,
    /// The build before it, with its warnings.
    pub build: BuildReport,
    /// The sizes of what the zip holds.
    pub sizes: SizeReport,
    /// How long it took, the build included.
    pub elapsed: Duration,
}

/// Builds the pack at `options.root` and zips its site.
pub fn bundle(options: &BundleOptions) -> Result<BundleReport, BuildFailure> {
    let started = Instant::now();
    let checked = crate::load_and_check(
        &options.root,
        &LoadOptions {
            drafts: options.drafts,
        },
    );
    let (Some(pack), Some(theme)) = (&checked.pack, &checked.theme) else {
        return Err(failure(checked.diagnostics.sorted(), checked.sources, None));
    };
    let target = target(options, pack);
    if let Some(problem) = crate::print::misplaced(&target, pack, "--out", "bundle/pack.zip") {
        let mut diagnostics = checked.diagnostics.sorted();
        diagnostics.insert(0, problem);
        return Err(failure(diagnostics, checked.sources, None));
    }
    let text = readme_for(theme, pack);
    let build = crate::build::build(&BuildOptions {
        root: options.root.clone(),
        output: None,
        drafts: options.drafts,
        outputs: Outputs::SiteAndPdfs,
        office: crate::render::office::Office::Made,
        progress: options.progress.clone(),
    })?;
    let zipped = site_files(&build.output)
        .and_then(|files| Ok((write_zip(&target, &text, &build.output, &files)?, files)));
    let (bytes, mut files) = match zipped {
        Ok(done) => done,
        Err(error) => {
            let error = error.context("the bundle failed");
            return Err(failure(build.warnings, build.sources, Some(error)));
        }
    };
    files.insert(
        0,
        crate::render::bundle::Entry {
            path: crate::render::bundle::README.into(),
            bytes: text.len() as u64,
        },
    );
    Ok(BundleReport {
        zip: target,
        sizes: SizeReport::new(&files, bytes),
        build,
        elapsed: started.elapsed(),
    })
}

/// The README.txt in the pack's language.
fn readme_for(theme: &Theme, pack: &Pack) -> String {
    let words = Words::load(theme, &pack.config.pack.language, &mut Vec::new());
    readme(&words, &pack.config.pack.title)
}

fn target(options: &BundleOptions, pack: &Pack) -> PathBuf {
    let name = format!("{}.zip", file_name(&pack.config.pack.title, &pack.root));
    match &options.output {
        Some(dir) if dir.is_dir() => dir.join(name),
        Some(file) => file.clone(),
        None => pack.root.join(DEFAULT_FOLDER).join(name),
    }
}

/// The zip's name from the pack's title, in lowercase letters, digits and
/// hyphens ("Child Protection (2024)" gives "child-protection-2024"); from
/// the pack's folder when the title has no letters, else "pack". Unzipping
/// "Extract All" makes a folder of this name.
pub fn file_name(title: &str, root: &Path) -> String {
    let slug = |text: &str| {
        let mut slug = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.trim_end_matches('-').to_string()
    };
    let folder = std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| slug(&n.to_string_lossy())))
        .unwrap_or_default();
    [slug(title), folder]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "pack".into())
}

fn failure(
    diagnostics: Vec<Diagnostic>,
    sources: crate::diag::Sources,
    error: Option<anyhow::Error>,
) -> BuildFailure {
    BuildFailure {
        diagnostics,
        sources,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_zip_is_named_after_the_pack() {
        let root = Path::new("/packs/cp-course");
        assert_eq!(
            file_name("Child Protection (2024)", root),
            "child-protection-2024"
        );
        assert_eq!(
            file_name("Protección infantil", root),
            "protección-infantil"
        );
        assert_eq!(file_name("حماية الطفل", root), "حماية-الطفل");
        assert_eq!(file_name("***", root), "cp-course");
        assert_eq!(file_name("", Path::new("/")), "pack");
    }
}
