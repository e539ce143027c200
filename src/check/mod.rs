//! Cross-checks over the loaded pack: every slide covered by notes exactly
//! once, links and handout ids that resolve, unique module numbers and slugs,
//! paths that stay inside the pack. Each returns diagnostics; none changes the
//! model.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

mod anchors;
mod day_end;
mod depth;
pub mod fingerprint;
mod languages;
mod links;
mod names;
mod slides;
mod start;
mod summary;

pub use summary::{ModuleSummary, Summary};

use links::{Slugs, check_links};

use crate::diag::{Diagnostic, SourceFile, Sources};
use crate::load::theme::Theme;
use crate::load::{ModuleLinks, links_to_output, real_path};
use crate::model::MODULES_DIR;
use crate::model::config::CONFIG_FILE;
use crate::model::{Block, Module, Pack};

/// Runs every cross-check of the pack.
pub fn check_pack(pack: &Pack, links: &[Arc<ModuleLinks>], sources: &Sources) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for part in pack.languages() {
        check_unique_modules(part, sources, &mut diags);
        names::check_name_clashes(part, sources, &mut diags);
        let per_module: Vec<Vec<Diagnostic>> = part
            .modules
            .par_iter()
            .map(|module| {
                let mut found = Vec::new();
                if let Some(file) = sources.file(&module.path) {
                    slides::check_slides(module, &file, &mut found);
                    check_quizzes(module, &file, &mut found);
                }
                depth::check_module(module, sources, &mut found);
                found
            })
            .collect();
        diags.extend(per_module.into_iter().flatten());
    }
    // Links name modules by slug: look them up, not through every module,
    // which is quadratic in a large pack.
    let parts: Vec<(&Pack, Slugs)> = pack.languages().map(|p| (p, Slugs::of(p))).collect();
    let per_module: Vec<Vec<Diagnostic>> = links
        .par_iter()
        .map(|module_links| {
            let (part, slugs) = parts
                .iter()
                .find(|(p, _)| p.modules_dir == module_links.modules_dir)
                .unwrap_or(&parts[0]);
            let mut found = Vec::new();
            check_links(part, slugs, module_links, sources, &mut found);
            found
        })
        .collect();
    diags.extend(per_module.into_iter().flatten());
    for part in pack.languages() {
        day_end::check_day_end(part, sources, &mut diags);
        start::check_starts(part, sources, &mut diags);
    }
    crate::check::languages::check_translations(pack, sources, &mut diags);
    check_output_folder(pack, sources, &mut diags);
    diags
}

fn check_unique_modules(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let mut numbers: BTreeMap<u32, &Module> = BTreeMap::new();
    let mut slugs: BTreeMap<&str, &Module> = BTreeMap::new();
    for module in &pack.modules {
        let file = sources.file(&module.path);
        if let Some(first) = slugs.insert(&module.slug, module) {
            let d = Diagnostic::error(format!(
                "two modules are named `{}`: `{}` and `{}`",
                module.slug, first.path, module.path
            ))
            .hint("rename one of them: the name is used in web addresses and `module:` links");
            diags.push(d.in_file(&module.path));
        }
        let Some(number) = module.number else {
            continue;
        };
        // Allowed (modules are ordered by number, then by path), but both
        // are shown as the same "Module N".
        if let Some(first) = numbers.insert(number, module) {
            let mut d = Diagnostic::warning(format!(
                "module number {number} is used twice: by `{}` and `{}`",
                first.path, module.path
            ))
            .hint(format!("both are shown as module {number}, in the order of their paths; give each its own `number` to tell them apart"));
            d = match &file {
                Some(file) => d.at_line(file, file.key_line("number")),
                None => d.in_file(&module.path),
            };
            diags.push(d);
        }
    }
}

fn check_quizzes(module: &Module, file: &SourceFile, diags: &mut Vec<Diagnostic>) {
    let mut quizzes = Vec::new();
    for body in module.bodies() {
        body.walk(&mut |block, _| {
            if let Block::Quiz(q) = block {
                quizzes.push(q.line);
            }
        });
    }
    for line in quizzes.iter().skip(1) {
        diags.push(
            Diagnostic::error(format!(
                "a module has one quiz; the first is at line {}",
                quizzes[0]
            ))
            .at_line(file, *line)
            .hint("put all the questions in one `quiz` block"),
        );
    }
}

/// The output folder must not be the pack, hold it, or sit where the next
/// build would read it as input.
fn check_output_folder(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let output = pack.root.join(&pack.config.build.output);
    if let Some(message) = output_problem(&pack.root, &output) {
        let d = Diagnostic::error(message)
            .hint("set `[build] output` to a folder of its own, such as \"site\"");
        diags.push(match sources.file(CONFIG_FILE) {
            Some(file) => d.at_line(&file, file.key_line("output")),
            None => d.in_file(CONFIG_FILE),
        });
    }
}

/// What is wrong with writing the site to `output`, if anything: it must not
/// be the pack, hold it, or sit inside `modules/` or `themes/`, wherever
/// symbolic links on the way lead (`root` is resolved already).
pub fn output_problem(root: &Path, output: &Path) -> Option<&'static str> {
    let output = real_path(output);
    if root.starts_with(&output) {
        Some("the output folder holds the pack itself, so a build would replace the pack")
    } else if output.starts_with(root.join(MODULES_DIR)) {
        Some(
            "the output folder is inside `modules/`, so the next build would read the site as modules",
        )
    } else if output.starts_with(root.join("themes")) {
        Some("the output folder is inside `themes/`, so the site would be read as a theme")
    } else {
        None
    }
}

/// An error for each symbolic link of the modules or the theme that leads
/// to the output folder, holds it or leads into it. (An output folder that
/// holds the pack is reported by [`output_problem`] alone.)
pub fn output_links(pack: &Pack, theme: Option<&Theme>, output: &Path) -> Vec<Diagnostic> {
    if output_problem(&pack.root, output).is_some() {
        return Vec::new();
    }
    let links = pack
        .languages()
        .flat_map(|part| &part.links)
        .chain(theme.map_or(&[][..], Theme::links));
    links_to_output(&pack.root, links, &real_path(output))
}
