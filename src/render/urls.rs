//! Where every page of the site goes, and how pages link to each other:
//! all URLs are relative, so the site works under any sub-path and from disk.

use crate::load::markdown::links::has_scheme;
use crate::model::Module;
use crate::render::markdown::Links;

/// The home page.
pub const HOME: &str = "index.html";
/// The course schedule.
pub const SCHEDULE: &str = "schedule.html";
/// The search page.
pub const SEARCH: &str = "search.html";
/// The search index, loaded as a script.
pub const SEARCH_INDEX: &str = "search-index.js";
/// The pack's answer key.
pub const PACK_KEY: &str = "answer-key.html";
/// The pack's answer key as PDF.
pub const PACK_KEY_PDF: &str = "answer-key.pdf";
/// The course book: every module's printed guide and the handouts.
pub const COURSE_BOOK_PDF: &str = "guide.pdf";
/// The theme's static files.
pub const ASSETS: &str = "assets/";
/// Where the modules' pages go.
pub const MODULES: &str = "modules/";

/// The folder of a module's pages.
pub fn module_dir(slug: &str) -> String {
    format!("modules/{slug}/")
}

/// The trainer's guide.
pub fn guide(slug: &str) -> String {
    format!("modules/{slug}/index.html")
}

/// The printed trainer's guide.
pub fn guide_pdf(slug: &str) -> String {
    format!("modules/{slug}/guide.pdf")
}

/// The slide deck.
pub fn slides(slug: &str) -> String {
    format!("modules/{slug}/slides.html")
}

/// The slide deck as PDF, one slide per page.
pub fn slides_pdf(slug: &str) -> String {
    format!("modules/{slug}/slides.pdf")
}

/// The trainer's notes pages: each slide above its notes.
pub fn slides_notes_pdf(slug: &str) -> String {
    format!("modules/{slug}/slides-notes.pdf")
}

/// A handout page (`ext` "html" or "pdf").
pub fn handout(slug: &str, id: &str, ext: &str) -> String {
    format!("modules/{slug}/handouts/{id}.{ext}")
}

/// The participants' quiz (`ext` "html" or "pdf").
pub fn quiz(slug: &str, ext: &str) -> String {
    format!("modules/{slug}/quiz.{ext}")
}

/// A module's answer key (`ext` "html" or "pdf").
pub fn module_key(slug: &str, ext: &str) -> String {
    format!("modules/{slug}/answer-key.{ext}")
}

/// The path from the folder of `from` (a page URL) back to the site root.
pub fn root_of(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// `to` relative to the page `from`, both relative to the site root.
pub fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// Resolves links for one page: `handout:`, `module:` and relative paths.
pub struct PageLinks<'a> {
    /// Every module, to resolve `module:` and `handout:module/id`.
    pub modules: &'a [std::sync::Arc<Module>],
    /// The position of each module in `modules`, by slug: a large pack
    /// has thousands of links.
    pub index: &'a rustc_hash::FxHashMap<&'a str, usize>,
    /// The module the page belongs to.
    pub module: &'a Module,
    /// The folder of the Markdown file being rendered, relative to the pack.
    pub source_dir: &'a str,
    /// The pack (or language) the page belongs to, for its site paths.
    pub pack: &'a crate::model::Pack,
    /// The page's URL, relative to the site root.
    pub page: &'a str,
}

impl PageLinks<'_> {
    fn find(&self, slug: &str) -> Option<&Module> {
        let module = self.modules.get(*self.index.get(slug)?)?;
        Some(&**module)
    }
}

impl Links for PageLinks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        if let Some(target) = dest.strip_prefix("handout:") {
            let (path, fragment) = split_fragment(target);
            let (module, id) = match path.split_once('/') {
                Some((slug, id)) => (self.find(slug)?, id),
                None => (self.module, path),
            };
            module.handout(id)?;
            return Some(relative(self.page, &handout(&module.slug, id, "html")) + fragment);
        }
        if let Some(target) = dest.strip_prefix("module:") {
            let (slug, fragment) = split_fragment(target);
            let module = self.find(slug)?;
            return Some(relative(self.page, &guide(&module.slug)) + fragment);
        }
        if has_scheme(dest) || dest.starts_with('#') || dest.starts_with('/') || dest.is_empty() {
            return None;
        }
        let cut = dest.find(['?', '#']).unwrap_or(dest.len());
        let joined = normalise_path(&format!("{}/{}", self.source_dir, &dest[..cut]));
        // A module's or handout's Markdown file links to its page.
        if let Some((module, own)) = self.pack.page_of(&joined) {
            let page = match own {
                Some(h) => handout(&module.slug, &h.id, "html"),
                None => guide(&module.slug),
            };
            return Some(relative(self.page, &page) + &dest[cut..]);
        }
        let site_path = self.pack.site_path(&joined);
        Some(relative(self.page, &site_path) + &dest[cut..])
    }
}

/// Removes `.` and `a/..` from a `/`-separated path. A backslash is part
/// of a name, not a separator: CommonMark reads `[l](foo\bar)` as
/// `foo%5Cbar`, and so do browsers.
fn normalise_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    parts.join("/")
}

fn split_fragment(target: &str) -> (&str, &str) {
    match target.find('#') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(
            relative("modules/a/index.html", "modules/a/media/x.svg"),
            "media/x.svg"
        );
        assert_eq!(
            relative("modules/a/handouts/h.html", "modules/a/media/x.svg"),
            "../media/x.svg"
        );
        assert_eq!(
            relative("index.html", "modules/a/index.html"),
            "modules/a/index.html"
        );
        assert_eq!(
            relative("modules/a/index.html", "index.html"),
            "../../index.html"
        );
        assert_eq!(
            relative("modules/a/index.html", "modules/b/index.html"),
            "../b/index.html"
        );
        assert_eq!(
            relative("modules/01-intro/index.html", "modules/img/x.png"),
            "../img/x.png"
        );
    }

    #[test]
    fn root_paths() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("modules/a/handouts/h.html"), "../../../");
    }
}
