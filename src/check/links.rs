//! Links and pictures: `handout:` and `module:` references, files of the
//! pack, and addresses that would run a script, each checked as the pages
//! write them, with a did-you-mean where a near name exists.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, SourceFile, Sources, nearest};
use crate::load::blocks::{LinkKind, LinkRef};
use crate::load::markdown::links::{has_scheme, normalise, percent_decode, script_scheme};
use crate::load::{ModuleLinks, escapes, stays_inside};
use crate::model::MODULES_DIR;
use crate::model::{Handout, Module, Pack};

use super::anchors::Anchors;

/// The modules of one language by slug.
pub(super) struct Slugs<'a>(BTreeMap<&'a str, &'a Module>);

impl<'a> Slugs<'a> {
    pub(super) fn of(pack: &'a Pack) -> Slugs<'a> {
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

pub(super) fn check_links(
    pack: &Pack,
    slugs: &Slugs,
    module_links: &ModuleLinks,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(module) = slugs.get(&module_links.slug) else {
        return;
    };
    let mut pages = Pages::default();
    for (path, link) in &module_links.links {
        let Some(file) = sources.file(path) else {
            continue;
        };
        if link.alt_missing {
            diags.push(
                Diagnostic::warning("image has no alt text")
                    .at(&file, link.span.clone())
                    .hint("describe the image between the brackets, as in `![Map of the meeting room](media/room-map.png)`: screen readers read it aloud"),
            );
        }
        if let Some(d) = check_link(pack, slugs, module, &file, link, &mut pages) {
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
    pages: &mut Pages,
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
    let error = |(m, h): (String, String)| at(Diagnostic::error(m).hint(h));
    if let Some(target) = dest.strip_prefix("handout:") {
        if let Some(problem) = check_handout_link(pack, slugs, module, target) {
            return error(problem);
        }
        // Only a link with an anchor needs the page's anchors.
        let (path, _) = target.split_once('#')?;
        let (owner, id) = match path.split_once('/') {
            Some((slug, id)) => (slugs.get(slug)?, id),
            None => (module, path),
        };
        let key = format!("handout:{}/{id}", owner.slug);
        let page = || owner.handout(id).map(|h| handout_page(owner, h));
        return anchor_problem(dest, pages.get(key, page)).and_then(error);
    }
    if let Some(target) = dest.strip_prefix("module:") {
        let slug = target.split('#').next().unwrap_or("");
        if let Some(target) = slugs.get(slug) {
            if !dest.contains('#') {
                return None;
            }
            let page = || Some(guide_page(target));
            return anchor_problem(dest, pages.get(format!("module:{slug}"), page)).and_then(error);
        }
        let hint = match nearest(slug, slugs.0.keys().copied()) {
            Some(near) => format!("did you mean `module:{near}`?"),
            None => {
                "a module is named by its file stem or folder name, as in `module:03-group-work`"
                    .into()
            }
        };
        return unknown_module(pack, slug, hint)
            .and_then(|(m, h)| at(Diagnostic::error(m).hint(h)));
    }
    if dest.starts_with('#') {
        let page = || page_of_file(pack, &file.path);
        return anchor_problem(dest, pages.get(file.path.clone(), page)).and_then(error);
    }
    // An autolink always has a scheme: it is never a file of the pack.
    if link.kind == LinkKind::Autolink || has_scheme(dest) || dest.is_empty() {
        return None;
    }
    if let Some(problem) = check_file_link(pack, file, dest) {
        return error(problem);
    }
    // A module's or handout's Markdown file: the link leads to its page.
    if !dest.contains('#') {
        return None;
    }
    let clean = percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
    let file_dir = Path::new(&file.path).parent().unwrap_or(Path::new(""));
    let site = normalise(&file_dir.join(&clean))
        .to_string_lossy()
        .into_owned();
    let page = || page_of_file(pack, &site);
    anchor_problem(dest, pages.get(site.clone(), page)).and_then(error)
}

/// The pages whose anchors one module's links have needed so far: a
/// module's many `#anchor` links read its page once.
#[derive(Default)]
struct Pages(std::collections::HashMap<String, Option<PageAnchors>>);

impl Pages {
    /// The page under `key`, made by `make` the first time; nothing is
    /// made for a link without `#`, which the caller checks first.
    fn get(
        &mut self,
        key: String,
        make: impl FnOnce() -> Option<PageAnchors>,
    ) -> Option<&PageAnchors> {
        self.0.entry(key).or_insert_with(make).as_ref()
    }
}

/// A page's anchors and how to name it in a message.
type PageAnchors = (Anchors, String);

fn guide_page(module: &Module) -> PageAnchors {
    (
        Anchors::of_guide(module),
        format!("the trainer's guide of `{}`", module.slug),
    )
}

fn handout_page(module: &Module, handout: &Handout) -> PageAnchors {
    (
        Anchors::of_handout(handout),
        format!("handout `{}` of `{}`", handout.id, module.slug),
    )
}

/// The page a Markdown file of the pack becomes. A module's file also
/// holds its inline handouts, whose anchors count too.
fn page_of_file(pack: &Pack, path: &str) -> Option<PageAnchors> {
    match pack.page_of(path)? {
        (module, Some(handout)) => Some(handout_page(module, handout)),
        (module, None) => {
            let (mut anchors, name) = guide_page(module);
            for inline in module.handouts.iter().filter(|h| h.path == module.path) {
                anchors.extend(Anchors::of_handout(inline));
            }
            Some((anchors, name))
        }
    }
}

/// An anchor the page does not have: (message, hint).
fn anchor_problem(dest: &str, page: Option<&PageAnchors>) -> Option<(String, String)> {
    let (written, fragment) = dest.split_once('#')?;
    let (anchors, name) = page?;
    let fragment = percent_decode(fragment);
    if fragment.is_empty() || anchors.contains(&fragment) {
        return None;
    }
    let hint = match nearest(&fragment, anchors.order.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{written}#{near}`?"),
        None if anchors.order.is_empty() => {
            "that page has no headings to link to: link to the page itself".to_string()
        }
        None => {
            let shown: Vec<String> = anchors
                .order
                .iter()
                .take(5)
                .map(|a| format!("`#{a}`"))
                .collect();
            let more = if anchors.order.len() > 5 { ", …" } else { "" };
            format!(
                "an anchor is the id of a heading on that page: {}{more}",
                shown.join(", ")
            )
        }
    };
    Some((format!("{name} has no anchor `#{fragment}`"), hint))
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
    // Written as it works from this module: `handout:id` for its own,
    // `handout:module/id` for another's.
    let form = |m: &Module, id: &str| {
        if m.slug == module.slug {
            format!("handout:{id}")
        } else {
            format!("handout:{}/{id}", m.slug)
        }
    };
    let elsewhere = || {
        let others = slugs.0.values().filter(|m| m.slug != owner.slug);
        let pairs: Vec<(&Module, &str)> = others
            .flat_map(|m| m.handouts.iter().map(move |h| (&**m, h.id.as_str())))
            .collect();
        let exact = pairs.iter().find(|(_, h)| *h == id);
        let near = || nearest(id, pairs.iter().map(|(_, h)| *h));
        let found = exact.map(|(_, h)| *h).or_else(near)?;
        pairs.iter().find(|(_, h)| *h == found).copied()
    };
    let hint = match nearest(id, owner.handouts.iter().map(|h| h.id.as_str())) {
        Some(near) => format!("did you mean `{}`?", form(owner, near)),
        None => match elsewhere() {
            Some((m, h)) => format!(
                "did you mean `{}`? it is a handout of module `{}`",
                form(m, h),
                m.slug
            ),
            None => handout_list(owner),
        },
    };
    Some((
        format!("no handout `{id}` in module `{}`", owner.slug),
        hint,
    ))
}

/// The handouts a module has, for a hint.
fn handout_list(owner: &Module) -> String {
    if owner.handouts.is_empty() {
        return format!("module `{}` has no handouts", owner.slug);
    }
    format!(
        "the handouts of `{}` are {}",
        owner.slug,
        owner
            .handouts
            .iter()
            .map(|h| format!("`{}`", h.id))
            .collect::<Vec<_>>()
            .join(", ")
    )
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
    let as_text = site_path.to_string_lossy().replace('\\', "/");
    if pack
        .assets
        .iter()
        .any(|a| a.source.is_some() && a.path == as_text)
    {
        // A picture the translation takes from its original's module.
        return None;
    }
    if !target.exists() {
        let hint = match near_file(&target, &clean) {
            Some(near) => {
                format!("did you mean `{near}`? paths are relative to this Markdown file")
            }
            None => "check the file name and its folder; paths are relative to this Markdown file"
                .into(),
        };
        return Some((
            format!("broken link: there is no file `{}`", site_path.display()),
            hint,
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
    // The renderer turns a link to a module's or handout's file into a
    // link to its page; any other Markdown file is not published.
    let site = site_path.to_string_lossy();
    if clean.ends_with(".md") && pack.page_of(&site).is_none() {
        if let Some(draft) = draft_of(pack, &site_path) {
            return unknown_module(pack, draft, String::new());
        }
        return Some((
            format!(
                "`{dest}` is a Markdown file but not a module or handout of the pack, so the site has no page for it"
            ),
            "link to a module with `module:name` or to a handout with `handout:id`".into(),
        ));
    }
    None
}

/// The link as written with its file name replaced by the nearest name in
/// the same folder, for a did-you-mean.
fn near_file(target: &Path, written: &str) -> Option<String> {
    let name = target.file_name()?.to_str()?;
    let names: Vec<String> = std::fs::read_dir(target.parent()?)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    let near = nearest(name, names.iter().map(String::as_str))?;
    let folder = written.rfind('/').map_or("", |i| &written[..=i]);
    Some(format!("{folder}{near}"))
}

/// The slug of the draft module whose file `path` is, if it is one.
fn draft_of<'p>(pack: &'p Pack, path: &Path) -> Option<&'p str> {
    let name = match path.file_name()?.to_str()? {
        "module.md" => path.parent()?.file_name()?.to_str()?,
        _ => path.file_stem()?.to_str()?,
    };
    let drafts = &pack.left_out.drafts;
    drafts.iter().find(|d| *d == name).map(String::as_str)
}
