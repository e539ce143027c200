//! trainpack turns training modules written in Markdown into a training
//! pack: a static website for trainers, slide decks, handouts, quizzes and
//! answer keys.
//!
//! The pipeline runs one way: [`pack::load_pack`] reads `book.toml` and the
//! modules into the typed [`model`], [`check::check_pack`] validates it, and
//! the renderers write the site. Every problem in the user's files is a
//! [`diag::Diagnostic`] with file, line and a hint.

pub mod build;
pub mod bundle;
pub mod check;
pub mod diag;
pub mod init;
pub mod load;
pub mod model;
pub mod output;
pub mod print;
pub mod render;
pub mod serve;

use std::path::Path;

use check::Summary;
use diag::{Diagnostic, Diagnostics, Sources};
use load::theme::Theme;
use load::{LoadCache, LoadOptions, Loaded, load_pack_cached};
use model::Pack;

/// What `check` found: the diagnostics and, when the pack loaded, a summary.
#[derive(Debug)]
pub struct CheckReport {
    /// Every problem, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of the files read, for printing the diagnostics.
    pub sources: Sources,
    /// Counts over the pack, when it could be loaded.
    pub summary: Option<Summary>,
}

impl CheckReport {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads and checks a pack: everything a build would report, without writing.
pub fn check(root: &Path, options: &LoadOptions) -> CheckReport {
    let mut checked = load_and_check(root, options);
    if let (Some(pack), Some(theme)) = (&checked.pack, &checked.theme) {
        let found = check_theme(pack, theme, &mut checked.sources);
        checked.diagnostics.extend(found);
    }
    CheckReport {
        summary: checked.pack.as_ref().map(Summary::of),
        diagnostics: checked.diagnostics.sorted(),
        sources: checked.sources,
    }
}

/// Compiles a pack's own templates and reads its theme's words, as a build
/// would, so that `check` finds their errors too. (A build does this
/// anyway; an error that only shows while rendering a page, such as an
/// unknown variable, is left to the build.)
fn check_theme(pack: &Pack, theme: &Theme, sources: &mut Sources) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    if !theme.has_overrides() {
        return diags;
    }
    render::templates::Templates::load(theme, &mut diags, sources);
    let mut languages: Vec<&str> = pack
        .languages()
        .flat_map(|part| {
            let modules = part.modules.iter().filter_map(|m| m.language.as_deref());
            std::iter::once(part.config.pack.language.as_str()).chain(modules)
        })
        .collect();
    languages.sort_unstable();
    languages.dedup();
    render::i18n::add_sources(theme, sources);
    for language in languages {
        render::i18n::Words::load(theme, language, &mut diags);
    }
    diags
}

/// A loaded and checked pack, with its theme: what the renderers start from.
#[derive(Debug)]
pub struct Checked {
    /// The pack, unless `book.toml` could not be used.
    pub pack: Option<Pack>,
    /// The pack's theme, when the pack loaded and the theme could be read.
    pub theme: Option<Theme>,
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// The text of every file read.
    pub sources: Sources,
    /// Slugs of the modules read afresh rather than reused from a cache.
    pub fresh: std::collections::BTreeSet<String>,
}

/// Loads a pack and its theme and runs every cross-check on them.
pub fn load_and_check(root: &Path, options: &LoadOptions) -> Checked {
    load_and_check_cached(root, options, None)
}

/// [`load_and_check`], reusing unchanged modules from `cache`.
pub fn load_and_check_cached(
    root: &Path,
    options: &LoadOptions,
    cache: Option<&LoadCache>,
) -> Checked {
    let Loaded {
        pack,
        mut diagnostics,
        sources,
        links,
        fresh,
    } = load_pack_cached(root, options, cache);
    let mut theme = None;
    let mut pack = pack;
    if let Some(pack) = &mut pack {
        diagnostics.extend(check::check_pack(pack, &links, &sources));
        // After the checks: an original shown in a translation's place was
        // checked as the original.
        load::pending::fill(pack);
        let mut diags = Vec::new();
        let config = sources.file(model::config::CONFIG_FILE);
        theme = Theme::load(
            &pack.root,
            &pack.config.theme.name,
            config.as_ref(),
            &mut diags,
        );
        diagnostics.extend(diags);
        let book = config.unwrap_or_else(|| diag::SourceFile::new(model::config::CONFIG_FILE, ""));
        // Read once, here, so that `check` finds a template that cannot
        // serve, and the Office files are made from what it read.
        match load::office::read_templates(&pack.root, &pack.config.office, &book) {
            Ok(templates) => {
                for translation in &mut pack.translations {
                    translation.office = templates.clone();
                }
                pack.office = templates;
            }
            Err(problem) => diagnostics.push(problem),
        }
        let output = pack.root.join(&pack.config.build.output);
        diagnostics.extend(check::output_links(pack, theme.as_ref(), &output));
    } else if !diagnostics.iter().any(Diagnostic::is_error) {
        // Never fail in silence: a reader that gives up must say why.
        diagnostics.push(
            Diagnostic::error("the pack could not be read, and trainpack did not say why")
                .in_file(model::config::CONFIG_FILE)
                .hint("this is a bug in trainpack: please report it, with the pack's `book.toml`"),
        );
    }
    Checked {
        pack,
        theme,
        diagnostics,
        sources,
        fresh,
    }
}
