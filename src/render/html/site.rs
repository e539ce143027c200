//! A whole language of the site: every module's pages (kept from the
//! previous build when unchanged) and the pages that list every module,
//! written into a sink as they are made.

#[allow(clippy::wildcard_imports)]
use super::*;

impl<'a> SiteRenderer<'a> {
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
    pub(super) fn render_or_reuse(
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
    pub(super) fn render_and_cache(
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
pub(super) struct ModuleDone {
    slug: String,
    /// What the pack-wide pages need; its files went to the sink.
    summary: Summary,
    hash: String,
    paths: Vec<String>,
    reused: bool,
}

/// The course-wide pages a build can keep from the previous site (the
/// search index changes with every edit of a module's words).
pub(super) const PACK_PAGES: [&str; 4] = [urls::PACK_KEY, urls::SCHEDULE, urls::HOME, urls::SEARCH];

/// The page at `path` kept from the previous site when `kept` allows and
/// its fingerprint is still `hash`, else rendered.
pub(super) fn keep_or(
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
