//! Cross-checks over the loaded pack: every slide covered by notes exactly
//! once, links and handout ids that resolve, unique module numbers and slugs,
//! paths that stay inside the pack. Each returns diagnostics; none changes the
//! model.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

mod depth;
mod languages;
mod names;
mod slides;
mod summary;

pub use summary::{ModuleSummary, Summary};

use crate::diag::{Diagnostic, SourceFile, Sources, nearest};
use crate::load::blocks::{LinkKind, LinkRef};
use crate::load::markdown::links::{has_scheme, normalise, percent_decode, script_scheme};
use crate::load::theme::Theme;
use crate::load::{ModuleLinks, escapes, links_to_output, real_path, stays_inside};
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
    crate::check::languages::check_translations(pack, &mut diags);
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

/// The modules of one language by slug.
struct Slugs<'a>(BTreeMap<&'a str, &'a Module>);

impl<'a> Slugs<'a> {
    fn of(pack: &'a Pack) -> Slugs<'a> {
        Slugs(
            pack.modules
                .iter()
                .map(|m| (m.slug.as_str(), &**m))
                .collect(),
        )
    }

    fn get(&self, slug: &str) -> Option<&'a Module> {
        self.0.get(slug).copied()
    }
}

fn check_links(
    pack: &Pack,
    slugs: &Slugs,
    module_links: &ModuleLinks,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(module) = slugs.get(&module_links.slug) else {
        return;
    };
    for (path, link) in &module_links.links {
        let Some(file) = sources.file(path) else {
            continue;
        };
        if link.alt_missing {
            diags.push(
                Diagnostic::warning("image has no alt text")
                    .at(&file, link.span.clone())
                    .hint("describe the image between the brackets, as in `![Diagram of the referral path](media/referral.png)`: screen readers read it aloud"),
            );
        }
        if let Some(d) = check_link(pack, slugs, module, &file, link) {
            diags.push(d);
        }
    }
}

fn check_link(
    pack: &Pack,
    slugs: &Slugs,
    module: &Module,
    file: &SourceFile,
    link: &LinkRef,
) -> Option<Diagnostic> {
    let dest = link.dest.as_str();
    let at = |d: Diagnostic| Some(d.at(file, link.span.clone()));
    if let Some(scheme) = script_scheme(dest) {
        return at(script_link(pack, scheme, link.image));
    }
    // The page links an email autolink to `mailto:`: nothing to look up.
    if link.kind == LinkKind::Email {
        return None;
    }
    if let Some(target) = dest.strip_prefix("handout:") {
        return check_handout_link(pack, slugs, module, target)
            .and_then(|(m, h)| at(Diagnostic::error(m).hint(h)));
    }
    if let Some(target) = dest.strip_prefix("module:") {
        let slug = target.split('#').next().unwrap_or("");
        if slugs.get(slug).is_some() {
            return None;
        }
        let hint = match nearest(slug, slugs.0.keys().copied()) {
            Some(near) => format!("did you mean `module:{near}`?"),
            None => {
                "a module is named by its file stem or folder name, as in `module:04-coordination`"
                    .into()
            }
        };
        return unknown_module(pack, slug, hint)
            .and_then(|(m, h)| at(Diagnostic::error(m).hint(h)));
    }
    // An autolink always has a scheme: it is never a file of the pack.
    if link.kind == LinkKind::Autolink
        || has_scheme(dest)
        || dest.starts_with('#')
        || dest.is_empty()
    {
        return None;
    }
    check_file_link(pack, file, dest).and_then(|(m, h)| {
        let severity = if m.starts_with("links to Markdown") {
            Diagnostic::warning(m)
        } else {
            Diagnostic::error(m)
        };
        at(severity.hint(h))
    })
}

/// A link or image whose address runs a script: an error where the pack
/// escapes raw HTML (the pages leave it out), a warning where it trusts
/// its authors' HTML (the pages keep it as written).
fn script_link(pack: &Pack, scheme: &str, image: bool) -> Diagnostic {
    let (what, instead, shown) = if image {
        (
            format!("an image from a `{scheme}:` address"),
            "put the picture in the module's `media/` folder and show it from there, as in `![Diagram](media/diagram.png)`",
            "the pages show its alt text instead",
        )
    } else {
        (
            format!("a link to a `{scheme}:` address"),
            "link to a web page (`https://...`) or to a file of the pack",
            "the pages show its text without the link",
        )
    };
    if pack.config.build.raw_html {
        Diagnostic::warning(format!("{what} can run code in the reader's browser")).hint(format!(
            "{instead}; `raw_html = true` in `book.toml` keeps it as written, so keep it only if you trust it"
        ))
    } else {
        Diagnostic::error(format!(
            "{what} is not allowed: it could run code in the reader's browser"
        ))
        .hint(format!("{instead}; {shown}"))
    }
}

/// (message, hint) for a link to a module the pack does not hold; none
/// when the module could not be read, since its own errors say why.
fn unknown_module(pack: &Pack, slug: &str, hint: String) -> Option<(String, String)> {
    let is = |names: &[String]| names.iter().any(|n| n == slug);
    if is(&pack.left_out.unread) {
        return None;
    }
    if is(&pack.left_out.drafts) {
        return Some((
            format!("module `{slug}` is a draft, left out of this build"),
            "build with `--drafts` to include it, or take the link out until the module is ready"
                .into(),
        ));
    }
    Some((format!("no module named `{slug}`"), hint))
}

/// Resolves `id` or `module/id`; on failure gives (message, hint).
fn check_handout_link(
    pack: &Pack,
    slugs: &Slugs,
    module: &Module,
    target: &str,
) -> Option<(String, String)> {
    let target = target.split('#').next().unwrap_or("");
    let (owner, id) = match target.split_once('/') {
        Some((slug, id)) => match slugs.get(slug) {
            Some(m) => (m, id),
            None => {
                return unknown_module(
                    pack,
                    slug,
                    "write `handout:id` for this module's handouts, or `handout:module/id` for another module's".into(),
                );
            }
        },
        None => (module, target),
    };
    if owner.handout(id).is_some() {
        return None;
    }
    let hint = match nearest(id, owner.handouts.iter().map(|h| h.id.as_str())) {
        Some(near) => format!("did you mean `handout:{near}`?"),
        None if owner.handouts.is_empty() => format!("module `{}` has no handouts", owner.slug),
        None => format!(
            "the handouts of `{}` are {}",
            owner.slug,
            owner
                .handouts
                .iter()
                .map(|h| format!("`{}`", h.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some((
        format!("no handout `{id}` in module `{}`", owner.slug),
        hint,
    ))
}

/// Checks a relative link to a file; on failure gives (message, hint).
fn check_file_link(pack: &Pack, file: &SourceFile, dest: &str) -> Option<(String, String)> {
    let clean = percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
    if clean.is_empty() {
        return None;
    }
    let relative = Path::new(&clean);
    if relative.is_absolute() || clean.starts_with('/') || clean.contains(":\\") {
        return Some((
            format!("`{dest}` is an absolute path"),
            "write the path relative to this Markdown file, so the site works under any address and from disk".into(),
        ));
    }
    let file_dir = Path::new(&file.path).parent().unwrap_or(Path::new(""));
    let depth = file_dir.components().count();
    if escapes(relative, depth) {
        return Some((
            format!("`{dest}` leads outside the pack"),
            "copy the file into the module's `media/` folder and link to it there".into(),
        ));
    }
    let target = pack.root.join(file_dir).join(relative);
    let site_path = normalise(&file_dir.join(relative));
    if !target.exists() {
        return Some((
            format!("broken link: there is no file `{}`", site_path.display()),
            "check the file name and its folder; paths are relative to this Markdown file".into(),
        ));
    }
    if !stays_inside(&pack.root, &target) {
        return Some((
            format!("`{dest}` leads outside the pack through a symbolic link"),
            "copy the file into the pack instead of linking to it".into(),
        ));
    }
    if !site_path.starts_with(MODULES_DIR) {
        return Some((
            format!("`{dest}` is not under `{MODULES_DIR}/`, so it is not copied to the site"),
            "move the file into the module's `media/` folder".into(),
        ));
    }
    if clean.ends_with(".md") {
        return Some((
            format!("links to Markdown files do not work in the site: `{dest}`"),
            "link to a module with `module:name` or to a handout with `handout:id`".into(),
        ));
    }
    None
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
