//! The site renderer: every page of the site through the theme's Tera
//! templates, the theme's static files and the module media, as a list of
//! [`OutFile`]s. Modules render in parallel; each module's pages can also be
//! rendered alone, which `serve` uses to rebuild only what an edit touches.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diag::{Diagnostic, Sources};
use crate::i18n::Words;
use crate::model::{Module, Pack};
use crate::render::pages::{self, PageContext};
use crate::render::reuse::{PageManifest, PreviousPages, Summary, digest, hash_postcard};
use crate::render::search::{self, SearchDoc};
use crate::render::templates::Templates;
use crate::render::views::{
    Alternate, CourseView, GuideView, KeyView, ModuleCard, NavView, OptionsView, PageView, SiteView,
};
use crate::render::{Audience, Collect, Content, OutFile, RenderError, Sink, urls};
use crate::schedule::course_schedule;
use crate::theme::Theme;

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

/// The languages of a pack and what each has, to link a page to the same
/// page in the others.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    sites: Vec<LanguageSite>,
}

#[derive(Debug, Clone)]
struct LanguageSite {
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
    fn alternates(&self, own_prefix: &str, url: &str) -> Vec<Alternate> {
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
        crate::i18n::add_sources(theme, sources);
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
        let pack_words = &words[&pack.config.pack.language];
        let cards = pack
            .modules
            .par_iter()
            .map(|m| {
                known(m).unwrap_or_else(|| Arc::new(ModuleCard::of(m, words_for(&words, pack, m))))
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

    /// Renders every file of the site into `sink`, modules in parallel,
    /// keeping the pages of `previous` for modules that did not change.
    /// `progress` hears (done, total) as modules finish.
    pub fn render_into(
        &self,
        sink: &dyn Sink,
        previous: &PreviousPages,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<Rendered, RenderError> {
        let started = Instant::now();
        let done = AtomicUsize::new(0);
        let total = self.pack.modules.len();
        let results: Vec<Result<ModuleDone, RenderError>> = self
            .pack
            .modules
            .par_iter()
            .map(|m| {
                let done_one = self.render_or_reuse(m, previous, sink)?;
                if let Some(progress) = progress {
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                }
                Ok(done_one)
            })
            .collect();
        let mut docs = Vec::new();
        let mut keys = Vec::new();
        let mut key_hashes = blake3::Hasher::new();
        let mut manifest = PageManifest::default();
        let mut reused = 0;
        let mut diags = Vec::new();
        for result in results {
            match result {
                Ok(one) => {
                    manifest.add(&one.slug, one.hash, one.paths);
                    reused += usize::from(one.reused);
                    docs.extend(one.summary.docs);
                    keys.push(one.summary.pack_key);
                    key_hashes.update(one.summary.key_hash.as_bytes());
                }
                Err(RenderError::Pack(mut d)) => diags.append(&mut d),
                Err(io) => return Err(io),
            }
        }
        let modules_done = started.elapsed();
        let kept = Kept {
            previous,
            keys: key_hashes.finalize().to_hex().to_string(),
        };
        match self.write_pack_pages(docs, keys, Some(&kept), sink) {
            Ok(pages) => pages
                .into_iter()
                .for_each(|(path, hash)| manifest.add_page(path, hash)),
            Err(RenderError::Pack(mut d)) => diags.append(&mut d),
            Err(io) => return Err(io),
        }
        if !diags.is_empty() {
            return Err(RenderError::Pack(diags));
        }
        previous.forget_all_but(self.pack.modules.iter().map(|m| m.slug.as_str()));
        sink.put(vec![manifest.file()]).map_err(RenderError::Io)?;
        sink.put(self.static_files()).map_err(RenderError::Io)?;
        sink.put(self.media_files()).map_err(RenderError::Io)?;
        Ok(Rendered {
            modules: modules_done,
            pack_pages: started.elapsed() - modules_done,
            reused,
        })
    }

    /// A module's pages, written into `sink`: the previous ones when its
    /// fingerprint did not change, else rendered.
    fn render_or_reuse(
        &self,
        module: &Module,
        previous: &PreviousPages,
        sink: &dyn Sink,
    ) -> Result<ModuleDone, RenderError> {
        let slug = &module.slug;
        let hash = self.module_digest(module);
        let (files, summary, reused) = match previous.reuse(slug, &hash) {
            Some(files) => {
                let summary = match previous.summary(slug, &hash) {
                    Some(summary) => summary,
                    None => self.render_and_cache(module, previous, &hash, false)?.1,
                };
                (files, summary, true)
            }
            None => {
                let (files, summary) = self.render_and_cache(module, previous, &hash, true)?;
                (files, summary, false)
            }
        };
        let paths = files.iter().map(|f| f.path.clone()).collect();
        sink.put(files).map_err(RenderError::Io)?;
        Ok(ModuleDone {
            slug: slug.clone(),
            summary,
            hash,
            paths,
            reused,
        })
    }

    /// Renders a module's pages (or, without `templates`, only its summary)
    /// and caches its summary for the next build.
    fn render_and_cache(
        &self,
        module: &Module,
        previous: &PreviousPages,
        hash: &str,
        templates: bool,
    ) -> Result<(Vec<OutFile>, Summary), RenderError> {
        let pages = self
            .module_pages(module, templates)
            .map_err(|d| RenderError::Pack(vec![d]))?;
        let summary = Summary::new(pages.docs, pages.pack_key);
        previous.remember(&module.slug, hash, &summary);
        Ok((pages.files, summary))
    }

    /// The pages that list every module: home, schedule, search page and
    /// index, and the pack's answer key. `docs` are all modules' search
    /// documents and `keys` their parts of the pack's answer key, in module
    /// order.
    pub fn render_pack_pages(
        &self,
        docs: &[&SearchDoc],
        keys: &[&KeyView],
    ) -> Result<Vec<OutFile>, RenderError> {
        let collect = Collect::default();
        self.write_pack_pages(docs.to_vec(), keys.to_vec(), None, &collect)?;
        Ok(collect.into_files())
    }

    /// [`SiteRenderer::render_pack_pages`], each page written into `sink`
    /// as soon as it is rendered, and `docs` and `keys` dropped as soon as
    /// they are used: on a large pack each page is megabytes long, and its
    /// Tera context several times that. With `kept`, a page whose
    /// fingerprint did not change is kept from the previous site. Gives
    /// each page's path and fingerprint, for the manifest.
    pub fn write_pack_pages<D, K>(
        &self,
        docs: Vec<D>,
        keys: Vec<K>,
        kept: Option<&Kept<'_>>,
        sink: &dyn Sink,
    ) -> Result<Vec<(&'static str, String)>, RenderError>
    where
        D: Serialize + Send,
        K: Serialize + Send,
    {
        let put = |page: Result<OutFile, Diagnostic>| match page {
            Ok(file) => sink.put(vec![file]).map_err(RenderError::Io),
            Err(d) => Err(RenderError::Pack(vec![d])),
        };
        let keys_hash = self.page_hash(kept.map_or("", |k| k.keys.as_str()));
        let plain_hash = self.page_hash("");
        // The answer key's context is the biggest (70 MB at 1000 modules):
        // the other pages (and the schedule's view and fingerprint) are
        // made one after another beside it, so that no two big contexts
        // are in memory at once.
        let (key, (rest, schedule_hash)) = rayon::join(
            || {
                put(keep_or(kept, urls::PACK_KEY, &keys_hash, || {
                    self.render_pack_key(keys)
                }))
            },
            || {
                let index = put(Ok(OutFile::text(
                    urls::SEARCH_INDEX,
                    search::index_script(docs),
                )));
                let schedule = self.schedule_view();
                let schedule_hash = self.page_hash(&digest(&schedule));
                let pages = [
                    index,
                    put(keep_or(kept, urls::SCHEDULE, &schedule_hash, || {
                        self.render_schedule(schedule)
                    })),
                    put(keep_or(kept, urls::HOME, &plain_hash, || {
                        self.render_home()
                    })),
                    put(keep_or(kept, urls::SEARCH, &plain_hash, || {
                        self.render_page(
                            urls::SEARCH,
                            "search.html",
                            "search",
                            None,
                            Context::new(),
                        )
                    })),
                ];
                (pages, schedule_hash)
            },
        );
        let mut diags = Vec::new();
        for result in std::iter::once(key).chain(rest) {
            match result {
                Ok(()) => {}
                Err(RenderError::Pack(mut d)) => diags.append(&mut d),
                Err(io) => return Err(io),
            }
        }
        if !diags.is_empty() {
            return Err(RenderError::Pack(diags));
        }
        let hashes = [keys_hash, schedule_hash, plain_hash.clone(), plain_hash];
        Ok(PACK_PAGES.into_iter().zip(hashes).collect())
    }

    /// The fingerprint of a page in [`PACK_PAGES`]: the site's and that of
    /// what the page shows besides (for the answer key, every module's
    /// part; for the schedule, the course's schedule).
    fn page_hash(&self, shown: &str) -> String {
        let site = self.site_digest().to_hex();
        blake3::hash(format!("{site}{shown}").as_bytes())
            .to_hex()
            .to_string()
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

    /// The fingerprint of everything `module`'s pages show: when it is the
    /// same as in the previous build, so are the pages.
    pub fn module_digest(&self, module: &Module) -> String {
        let compute = || {
            let mut hasher = blake3::Hasher::new();
            hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
            hasher.update(self.site_digest().as_bytes());
            // The model in postcard's compact form, lengths and bytes: its
            // Debug text, hashed before, escaped every character (fields
            // the pages do not show, such as source line numbers, are left
            // out).
            if !hash_postcard(&mut hasher, module) {
                // Not expected (the model has no type postcard cannot
                // write), but the Debug text covers every field too.
                let shown = format!("{module:?}");
                return site_digest(&[shown.as_bytes(), self.site_digest().as_bytes()])
                    .to_hex()
                    .to_string();
            }
            hasher.finalize().to_hex().to_string()
        };
        let index = self.index.get(module.slug.as_str());
        match index.and_then(|&i| self.module_digests.get(i)) {
            Some(memo) => memo.get_or_init(compute).clone(),
            None => compute(),
        }
    }

    /// The fingerprint of what every page shows besides its module.
    fn site_digest(&self) -> &blake3::Hash {
        self.digest.get_or_init(|| {
            let site = SiteView::of(self.pack, self.pack_words());
            // Debug output covers every field and is deterministic: the
            // model holds no hash maps.
            let shown = format!(
                "{:?}",
                (
                    &site,
                    &self.cards,
                    &self.words,
                    &self.pack.config,
                    &self.html,
                    &self.pack.prefix,
                    self.theme.get("static/custom.css").is_some(),
                )
            );
            site_digest(&[shown.as_bytes(), &theme_digest(self.theme)])
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
        &self.words[&self.pack.config.pack.language]
    }

    fn words_of(&self, module: &Module) -> &Words {
        words_for(&self.words, self.pack, module)
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
        match module {
            Some(m) => self.words_of(m),
            None => self.pack_words(),
        }
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
                content: Content::Copy(self.pack.root.join(&asset.path)),
            })
            .collect()
    }
}

/// The fingerprint of `parts` and of this version of trainpack.
fn site_digest(parts: &[&[u8]]) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize()
}

/// The fingerprint of the theme's templates and words.
fn theme_digest(theme: &Theme) -> Vec<u8> {
    let mut hasher = blake3::Hasher::new();
    for prefix in ["templates/", "i18n/"] {
        for path in theme.paths_under(prefix) {
            let bytes = theme.get(&path).unwrap_or_default();
            hasher.update(path.as_bytes());
            hasher.update(&(bytes.len() as u64).to_le_bytes());
            hasher.update(&bytes);
        }
    }
    hasher.finalize().as_bytes().to_vec()
}

/// The context of an answer key's page: `scope` is "module" or "pack".
fn key_context<K: Serialize>(scope: &str, pdf_url: &str, keys: &[K]) -> Context {
    let mut context = Context::new();
    context.insert("scope", scope);
    context.insert("pdf_url", pdf_url);
    context.insert("keys", &keys);
    context
}

fn words_for<'w>(words: &'w BTreeMap<String, Words>, pack: &Pack, module: &Module) -> &'w Words {
    let language = module
        .language
        .as_ref()
        .unwrap_or(&pack.config.pack.language);
    &words[language]
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

/// What a site build rendered, and how long it took.
#[derive(Debug, Clone, Copy)]
pub struct Rendered {
    /// Rendering (or reusing) the modules' pages.
    pub modules: Duration,
    /// Rendering the pages that list every module, and the search index.
    pub pack_pages: Duration,
    /// Modules whose pages were kept from the previous build.
    pub reused: usize,
}

/// A module's part of a site build.
struct ModuleDone {
    slug: String,
    /// What the pack-wide pages need; its files went to the sink.
    summary: Summary,
    hash: String,
    paths: Vec<String>,
    reused: bool,
}

/// The course-wide pages a build can keep from the previous site (the
/// search index changes with every edit of a module's words).
const PACK_PAGES: [&str; 4] = [urls::PACK_KEY, urls::SCHEDULE, urls::HOME, urls::SEARCH];

/// The page at `path` kept from the previous site when `kept` allows and
/// its fingerprint is still `hash`, else rendered.
fn keep_or(
    kept: Option<&Kept<'_>>,
    path: &str,
    hash: &str,
    render: impl FnOnce() -> Result<OutFile, Diagnostic>,
) -> Result<OutFile, Diagnostic> {
    match kept.and_then(|k| k.previous.reuse_page(path, hash)) {
        Some(file) => Ok(file),
        None => render(),
    }
}

/// What lets a build keep course-wide pages from the previous site.
pub struct Kept<'a> {
    /// The previous site.
    pub previous: &'a PreviousPages,
    /// The fingerprint of every module's part of the answer key.
    pub keys: String,
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
