//! The site renderer: every page of the site through the theme's Tera
//! templates, the theme's static files and the module media, as a list of
//! [`OutFile`]s. Modules render in parallel; each module's pages can also be
//! rendered alone, which `serve` uses to rebuild only what an edit touches.

mod fingerprint;
mod languages;
mod site;

pub use languages::Languages;
pub use site::{Kept, Rendered};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diag::{Diagnostic, Sources};
use crate::load::schedule::course_schedule;
use crate::load::theme::Theme;
use crate::model::{Module, Pack};
use crate::render::i18n::{Words, words_for};
use crate::render::pages::{self, PageContext};
use crate::render::reuse::{PageManifest, PreviousPages, Summary, digest, hash_postcard};
use crate::render::search::{self, SearchDoc};
use crate::render::templates::Templates;
use crate::render::views::{
    CourseView, GuideView, KeyView, ModuleCard, NavView, OptionsView, PageView, SiteView,
};
use crate::render::{Audience, Collect, Content, OutFile, RenderError, Sink, urls};

/// What the renderer needs besides the pack.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// HTML appended before `</body>` of every page: the live-reload script
    /// of `serve`. Never set by `build`.
    pub inject: Option<String>,
    /// The pack's languages, for the language switcher; empty for a pack in
    /// one language.
    pub languages: Languages,
}

/// Renders the pages of one pack with one theme.
pub struct SiteRenderer<'a> {
    pack: &'a Pack,
    theme: &'a Theme,
    templates: Templates,
    words: BTreeMap<String, Words>,
    cards: Vec<Arc<ModuleCard>>,
    html: HtmlOptions,
    /// The fingerprint of everything besides a module that its pages show,
    /// made when first needed (`serve` never needs it).
    digest: OnceLock<blake3::Hash>,
    /// Each module's fingerprint, made once for its pages and its PDFs.
    module_digests: Vec<OnceLock<String>>,
    /// Each module's position, by slug.
    index: rustc_hash::FxHashMap<&'a str, usize>,
}

/// The files of one module and what the pack-wide pages need from it.
#[derive(Debug, Clone)]
pub struct ModulePages {
    /// The module's slug.
    pub slug: String,
    /// Its pages.
    pub files: Vec<OutFile>,
    /// Its search documents.
    pub docs: Vec<SearchDoc>,
    /// Its part of the pack's answer key.
    pub pack_key: KeyView,
}

impl<'a> SiteRenderer<'a> {
    /// Compiles the theme's templates and loads its words. Problems in the
    /// theme (template syntax, translation files) come back as diagnostics.
    pub fn new(
        pack: &'a Pack,
        theme: &'a Theme,
        html: HtmlOptions,
        sources: &mut Sources,
    ) -> Result<SiteRenderer<'a>, Vec<Diagnostic>> {
        SiteRenderer::with_cards(pack, theme, html, sources, &|_| None)
    }

    /// [`SiteRenderer::new`], taking the cards of modules from `known` when
    /// it has them: `serve` keeps those of unchanged modules between saves.
    pub fn with_cards(
        pack: &'a Pack,
        theme: &'a Theme,
        html: HtmlOptions,
        sources: &mut Sources,
        known: &(dyn Fn(&Module) -> Option<Arc<ModuleCard>> + Sync),
    ) -> Result<SiteRenderer<'a>, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let templates = Templates::load(theme, &mut diags, sources);
        crate::render::i18n::add_sources(theme, sources);
        let mut words = BTreeMap::new();
        let languages = std::iter::once(pack.config.pack.language.clone())
            .chain(pack.modules.iter().filter_map(|m| m.language.clone()));
        for language in languages {
            if let std::collections::btree_map::Entry::Vacant(slot) = words.entry(language) {
                let loaded = Words::load(theme, slot.key(), &mut diags);
                slot.insert(loaded);
            }
        }
        let Some(mut templates) = templates.filter(|_| diags.is_empty()) else {
            return Err(diags);
        };
        let pack_words = words_for(&words, pack, None);
        let cards = pack
            .modules
            .par_iter()
            .map(|m| {
                known(m).unwrap_or_else(|| {
                    Arc::new(ModuleCard::of(m, words_for(&words, pack, Some(m))))
                })
            })
            .collect();
        let site = SiteView::of(pack, pack_words);
        let options = OptionsView {
            print_answers: pack.config.build.print_answers,
            custom_css: theme.get("static/custom.css").is_some(),
        };
        // The same for every page: serialised once, not once per page.
        let globals = templates.globals();
        globals.insert("site", &site);
        globals.insert("options", &options);
        globals.insert("assets", urls::ASSETS);
        globals.insert("t", &pack_words.map);
        Ok(SiteRenderer {
            pack,
            theme,
            templates,
            words,
            cards,
            html,
            digest: OnceLock::new(),
            module_digests: pack.modules.iter().map(|_| OnceLock::new()).collect(),
            index: pack
                .modules
                .iter()
                .enumerate()
                .map(|(i, m)| (m.slug.as_str(), i))
                .collect(),
        })
    }

    /// The pages of one module: guide, deck, handouts, quiz, answer key.
    pub fn render_module(&self, module: &Module) -> Result<ModulePages, Diagnostic> {
        self.module_pages(module, true)
    }

    fn module_pages(&self, module: &Module, templates: bool) -> Result<ModulePages, Diagnostic> {
        let slug = &module.slug;
        let index = self.module_index(module);
        let card = ModuleCard::clone(&self.cards[index]);
        let mut files = Vec::new();
        let mut docs = Vec::new();

        let url = urls::guide(slug);
        let cx = self.page_context(module, &url, Audience::Trainer);
        let (guide, text) = pages::guide_view(&cx, card.clone());
        docs.push(SearchDoc::new(
            &guide.card.label,
            &url,
            &card.label,
            module.summary.as_deref(),
            &text,
        ));
        if templates {
            files.push(self.render_guide(module, &guide, index)?);
            files.push(self.render_deck(module, &guide)?);
        }

        for handout in &module.handouts {
            let url = urls::handout(slug, &handout.id, "html");
            let cx = self.page_context(module, &url, Audience::Participant);
            let (view, text) = pages::handout_view(&cx, handout);
            docs.push(SearchDoc::new(
                &handout.title,
                &url,
                &card.label,
                None,
                &text,
            ));
            if templates {
                let mut context = Context::new();
                context.insert("module", &card);
                context.insert("handout", &view);
                files.push(self.render_module_page(
                    module,
                    &url,
                    "handout.html",
                    "handout",
                    &handout.title,
                    context,
                )?);
            }
        }

        let url = urls::module_key(slug, "html");
        let cx = self.page_context(module, &url, Audience::Key);
        let key = pages::key_view(&cx, card.clone());
        // The pack's key shows the same answers from another folder: they
        // are rendered again only when they hold links relative to the page.
        let pack_key = if pages::key_has_relative_links(&key) {
            let cx = self.page_context(module, urls::PACK_KEY, Audience::Key);
            pages::key_view(&cx, card.clone())
        } else {
            key.clone()
        };
        if templates {
            if let Some(quiz) = self.render_quiz(module, &card)? {
                files.push(quiz);
            }
            let title = self.words_of(module).get("answer_key").to_string();
            files.push(self.render_key(
                module,
                &url,
                &urls::module_key(slug, "pdf"),
                &title,
                &key,
            )?);
        }
        Ok(ModulePages {
            slug: slug.clone(),
            files,
            docs,
            pack_key,
        })
    }

    fn render_guide(
        &self,
        module: &Module,
        guide: &GuideView,
        index: usize,
    ) -> Result<OutFile, Diagnostic> {
        let mut context = Context::new();
        context.insert("module", guide);
        context.insert("prev", &self.neighbour(index.checked_sub(1)));
        context.insert("next", &self.neighbour(Some(index + 1)));
        let url = urls::guide(&module.slug);
        let title = &guide.card.label;
        self.render_module_page(module, &url, "module.html", "module", title, context)
    }

    fn render_deck(&self, module: &Module, guide: &GuideView) -> Result<OutFile, Diagnostic> {
        let url = urls::slides(&module.slug);
        let cx = self.page_context(module, &url, Audience::Trainer);
        let mut context = Context::new();
        context.insert("module", &guide.card);
        context.insert("slides", &pages::deck_slides(&cx, guide));
        let title = &guide.card.label;
        self.render_module_page(module, &url, "slides.html", "slides", title, context)
    }

    fn render_quiz(
        &self,
        module: &Module,
        card: &ModuleCard,
    ) -> Result<Option<OutFile>, Diagnostic> {
        let url = urls::quiz(&module.slug, "html");
        let cx = self.page_context(module, &url, Audience::Participant);
        let Some(quiz) = pages::participant_quiz(&cx) else {
            return Ok(None);
        };
        let title = quiz.title.clone();
        let mut context = Context::new();
        context.insert("module", card);
        context.insert("quiz", &quiz);
        self.render_module_page(module, &url, "quiz.html", "quiz", &title, context)
            .map(Some)
    }

    fn render_home(&self) -> Result<OutFile, Diagnostic> {
        let mut context = Context::new();
        context.insert("modules", &self.cards);
        let title = self.pack.config.pack.title.clone();
        self.render_page(urls::HOME, "index.html", "home", Some(&title), context)
    }

    fn schedule_view(&self) -> CourseView {
        let course = course_schedule(
            self.pack.modules.iter().map(|m| &**m),
            self.pack.config.schedule.as_ref(),
        );
        let labels = self
            .cards
            .iter()
            .map(|c| (c.slug.as_str(), c.label.clone()))
            .collect();
        CourseView::of(&course, self.pack_words(), &labels, &self.pack.config.build)
    }

    fn render_schedule(&self, view: CourseView) -> Result<OutFile, Diagnostic> {
        let mut context = Context::new();
        context.insert("schedule", &view);
        self.render_page(urls::SCHEDULE, "schedule.html", "schedule", None, context)
    }

    /// The pack's answer key. `keys` are dropped once in the template's
    /// context: at 1000 modules each copy is tens of megabytes.
    fn render_pack_key<K: Serialize>(&self, keys: Vec<K>) -> Result<OutFile, Diagnostic> {
        let title = self.pack_words().get("answer_key_pack").to_string();
        let context = key_context("pack", urls::PACK_KEY_PDF, &keys);
        drop(keys);
        let url = urls::PACK_KEY;
        self.render_page(url, "answer-key.html", "answer-key", Some(&title), context)
    }

    fn render_key(
        &self,
        module: &Module,
        url: &str,
        pdf_url: &str,
        title: &str,
        key: &KeyView,
    ) -> Result<OutFile, Diagnostic> {
        let context = key_context("module", pdf_url, &[key]);
        self.render_module_page(module, url, "answer-key.html", "answer-key", title, context)
    }

    /// Renders a pack-wide page in the pack's language.
    fn render_page(
        &self,
        url: &str,
        template: &str,
        kind: &'static str,
        title: Option<&str>,
        context: Context,
    ) -> Result<OutFile, Diagnostic> {
        let words = self.pack_words();
        let title = title.map_or_else(
            || words.get(page_title_key(kind)).to_string(),
            str::to_string,
        );
        let page = self.page_view(kind, url, title, words, "trainer");
        self.render(template, &page, None, words, context, "the pack's pages")
    }

    fn render_module_page(
        &self,
        module: &Module,
        url: &str,
        template: &str,
        kind: &'static str,
        title: &str,
        context: Context,
    ) -> Result<OutFile, Diagnostic> {
        let words = self.words_of(module);
        let audience = if matches!(kind, "handout" | "quiz") {
            "participant"
        } else {
            "trainer"
        };
        let page = self.page_view(kind, url, title.to_string(), words, audience);
        let rendering = format!("`{}` of `{}`", url, module.path);
        self.render(
            template,
            &page,
            Some(&module.slug),
            words,
            context,
            &rendering,
        )
    }

    fn render(
        &self,
        template: &str,
        page: &PageView,
        current: Option<&str>,
        words: &Words,
        mut context: Context,
        rendering: &str,
    ) -> Result<OutFile, Diagnostic> {
        context.insert("page", page);
        context.insert("nav", &NavView::of(&self.cards, current));
        if words.language != self.pack.config.pack.language {
            context.insert("t", &words.map);
        }
        let mut html = self.templates.render(template, &context, rendering)?;
        if let Some(inject) = &self.html.inject {
            inject_before_body_end(&mut html, inject);
        }
        Ok(OutFile::text(page.url.clone(), html))
    }

    fn page_view(
        &self,
        kind: &'static str,
        url: &str,
        title: String,
        words: &Words,
        audience: &'static str,
    ) -> PageView {
        PageView {
            kind,
            title,
            url: url.to_string(),
            root: urls::root_of(url),
            language: words.language.clone(),
            dir: words.dir.clone(),
            audience,
            alternates: self.html.languages.alternates(&self.pack.prefix, url),
        }
    }

    fn page_context<'b>(
        &'b self,
        module: &'b Module,
        url: &'b str,
        audience: Audience,
    ) -> PageContext<'b> {
        PageContext {
            module,
            pack: self.pack,
            index: &self.index,
            words: self.words_of(module),
            url,
            audience,
        }
    }

    fn neighbour(&self, index: Option<usize>) -> Option<Neighbour> {
        let card = self.cards.get(index?)?;
        Some(Neighbour {
            label: card.label.clone(),
            url: card.url.clone(),
        })
    }

    fn module_index(&self, module: &Module) -> usize {
        self.index.get(module.slug.as_str()).copied().unwrap_or(0)
    }

    fn pack_words(&self) -> &Words {
        words_for(&self.words, self.pack, None)
    }

    fn words_of(&self, module: &Module) -> &Words {
        words_for(&self.words, self.pack, Some(module))
    }

    /// The module cards, in module order: what every page's navigation and
    /// the home page show of each module.
    pub fn cards(&self) -> &[Arc<ModuleCard>] {
        &self.cards
    }

    /// The words of every language of the pack.
    pub fn all_words(&self) -> &BTreeMap<String, Words> {
        &self.words
    }

    /// The words of a module's language, or of the pack's.
    pub fn words(&self, module: Option<&Module>) -> &Words {
        words_for(&self.words, self.pack, module)
    }

    /// The theme's `static/` files, under `assets/`.
    pub fn static_files(&self) -> Vec<OutFile> {
        self.theme
            .paths_under("static/")
            .into_iter()
            .filter_map(|path| {
                let bytes = self.theme.get(&path)?.into_owned();
                let rel = path.strip_prefix("static/")?;
                Some(OutFile::bytes(format!("{}{rel}", urls::ASSETS), bytes))
            })
            .collect()
    }

    /// The files under `modules/` that are not Markdown, copied to the same
    /// path in the site.
    pub fn media_files(&self) -> Vec<OutFile> {
        self.pack
            .assets
            .iter()
            .map(|asset| OutFile {
                path: self.pack.site_path(&asset.path),
                content: Content::Copy(self.pack.root.join(asset.file())),
            })
            .collect()
    }
}

/// The context of an answer key's page: `scope` is "module" or "pack".
fn key_context<K: Serialize>(scope: &str, pdf_url: &str, keys: &[K]) -> Context {
    let mut context = Context::new();
    context.insert("scope", scope);
    context.insert("pdf_url", pdf_url);
    context.insert("keys", &keys);
    context
}

/// The i18n key of a pack page's title.
fn page_title_key(kind: &str) -> &'static str {
    match kind {
        "schedule" => "course_schedule",
        "search" => "search",
        "answer-key" => "answer_key_pack",
        _ => "home",
    }
}

/// `prev` and `next` of the trainer's guide.
#[derive(Debug, Clone, Serialize)]
struct Neighbour {
    label: String,
    url: String,
}

fn inject_before_body_end(html: &mut String, inject: &str) {
    match html.rfind("</body>") {
        Some(at) => html.insert_str(at, inject),
        None => html.push_str(inject),
    }
}
