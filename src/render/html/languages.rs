//! The language switcher: which pages each language of a pack has, so a
//! page links to the same page in the others (or to their home page).

use std::collections::BTreeSet;

use crate::model::Pack;
use crate::render::urls;
use crate::render::views::Alternate;

/// The languages of a pack and what each has, to link a page to the same
/// page in the others.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    sites: Vec<LanguageSite>,
}

#[derive(Debug, Clone)]
pub(super) struct LanguageSite {
    language: String,
    name: String,
    prefix: String,
    /// Every page of the modules of that language.
    pages: BTreeSet<String>,
}

impl Languages {
    /// The languages of `pack` and its translations; `name` gives each
    /// language's own name ("Français").
    pub fn of(pack: &Pack, name: &dyn Fn(&str) -> String) -> Languages {
        if pack.translations.is_empty() {
            return Languages::default();
        }
        let sites = pack
            .languages()
            .map(|part| {
                let mut pages = BTreeSet::new();
                for m in &part.modules {
                    pages.insert(urls::guide(&m.slug));
                    pages.insert(urls::slides(&m.slug));
                    pages.insert(urls::module_key(&m.slug, "html"));
                    if m.quiz().is_some() {
                        pages.insert(urls::quiz(&m.slug, "html"));
                    }
                    pages.extend(
                        m.handouts
                            .iter()
                            .map(|h| urls::handout(&m.slug, &h.id, "html")),
                    );
                }
                LanguageSite {
                    language: part.config.pack.language.clone(),
                    name: name(&part.config.pack.language),
                    prefix: part.prefix.clone(),
                    pages,
                }
            })
            .collect();
        Languages { sites }
    }

    /// The same page in the other languages, or their home page when they
    /// lack it; URLs relative to the root of the page's own language.
    pub(super) fn alternates(&self, own_prefix: &str, url: &str) -> Vec<Alternate> {
        let up = "../".repeat(own_prefix.matches('/').count());
        let pack_page = !url.starts_with(urls::MODULES);
        self.sites
            .iter()
            .filter(|site| site.prefix != own_prefix)
            .map(|site| {
                let target = if pack_page || site.pages.contains(url) {
                    url
                } else {
                    urls::HOME
                };
                Alternate {
                    language: site.language.clone(),
                    name: site.name.clone(),
                    url: format!("{up}{}{target}", site.prefix),
                }
            })
            .collect()
    }
}
