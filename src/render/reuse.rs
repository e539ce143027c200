//! Pages of the previous build that the next one keeps. The site records,
//! per module, the fingerprint of everything its pages show and the pages
//! it wrote; a module whose fingerprint did not change gets the old pages
//! (moved or linked into the new site) instead of running the templates again.
//!
//! The pages that list every module (search index, the pack's answer key)
//! still need each module's words and answers. These summaries are kept
//! in the cache ([`Cache`]: on disk, a folder beside the site, never in
//! it); a missing or stale summary is made again from the module.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write as _};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::render::cache::{Cache, CacheEntry, CacheKind, NoCache};
use crate::render::search::SearchDoc;
use crate::render::views::KeyView;
use crate::render::{Content, OutFile};

/// The file in a site that lists each module's fingerprint and pages.
pub const MANIFEST: &str = ".trainpack-pages.json";

/// What a build wrote for each module, by slug, and the fingerprint of
/// each course-wide page, by path.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PageManifest {
    modules: BTreeMap<String, ModuleEntry>,
    #[serde(default)]
    pages: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ModuleEntry {
    hash: String,
    files: Vec<String>,
}

impl PageManifest {
    /// Records a module's fingerprint and the paths of its pages.
    pub fn add(&mut self, slug: &str, hash: String, files: Vec<String>) {
        self.modules
            .insert(slug.to_string(), ModuleEntry { hash, files });
    }

    /// Records the fingerprint of the course-wide page at `path`.
    pub fn add_page(&mut self, path: &str, hash: String) {
        self.pages.insert(path.to_string(), hash);
    }

    /// The manifest, as a file of the site.
    pub fn file(&self) -> OutFile {
        let json = serde_json::to_vec(self).unwrap_or_default();
        OutFile::bytes(MANIFEST, json)
    }
}

/// What the pages listing every module need from one module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Its search documents.
    pub docs: Vec<SearchDoc>,
    /// Its part of the pack's answer key.
    pub pack_key: KeyView,
    /// The fingerprint of `pack_key`.
    pub key_hash: String,
}

impl Summary {
    /// A module's summary.
    pub fn new(docs: Vec<SearchDoc>, pack_key: KeyView) -> Summary {
        let key_hash = digest(&pack_key);
        Summary {
            docs,
            pack_key,
            key_hash,
        }
    }
}

/// The fingerprint of a value: of its postcard form (lengths and bytes,
/// nothing escaped), or of its JSON form for a type postcard cannot write
/// (one with a flattened field).
pub fn digest<T: Serialize>(value: &T) -> String {
    let mut hasher = blake3::Hasher::new();
    if !hash_postcard(&mut hasher, value) {
        hasher.reset();
        let mut out = BufWriter::with_capacity(DIGEST_BUFFER, &mut hasher);
        let _ = serde_json::to_writer(&mut out, value);
        let _ = out.flush();
    }
    hasher.finalize().to_hex().to_string()
}

/// Feeds `value`'s postcard form to `hasher`; false when postcard cannot
/// write it, and then `hasher` holds part of it.
pub fn hash_postcard<T: Serialize + ?Sized>(hasher: &mut blake3::Hasher, value: &T) -> bool {
    let mut out = BufWriter::with_capacity(DIGEST_BUFFER, hasher);
    postcard::to_io(value, &mut out).is_ok() && out.flush().is_ok()
}

/// The buffer between a serialiser, which writes a few bytes at a time,
/// and a hash, fastest when given whole blocks (unbuffered, hashing the
/// course's schedule took 25 ms at 1000 modules).
const DIGEST_BUFFER: usize = 64 * 1024;

/// A summary as cached: with the fingerprint it was made from.
#[derive(Serialize, Deserialize)]
struct CachedSummary {
    hash: String,
    summary: Summary,
}

/// A manifest's value, or the default when it is missing or unreadable:
/// then nothing is reused.
pub fn read_json<T: serde::de::DeserializeOwned + Default>(bytes: Option<Vec<u8>>) -> T {
    bytes
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// The pages of the previous site, if any, and the summaries of its
/// modules.
pub struct PreviousPages {
    manifest: PageManifest,
    cache: Arc<dyn Cache>,
}

impl Default for PreviousPages {
    fn default() -> Self {
        PreviousPages::read(Arc::new(NoCache))
    }
}

impl PreviousPages {
    /// The previous site's manifest, from `cache`. A missing or unreadable
    /// manifest means nothing is reused.
    pub fn read(cache: Arc<dyn Cache>) -> PreviousPages {
        PreviousPages {
            manifest: read_json(cache.site_bytes(MANIFEST)),
            cache,
        }
    }

    /// The cached summary of module `slug`, when it was made from the same
    /// fingerprint. (A summary written by an older build, as JSON, does
    /// not read as postcard: it is made again.)
    pub fn summary(&self, slug: &str, hash: &str) -> Option<Summary> {
        let bytes = self.cache.get(CacheEntry::Summary(slug))?;
        let cached: CachedSummary = postcard::from_bytes(&bytes).ok()?;
        (cached.hash == hash).then_some(cached.summary)
    }

    /// Caches the summary of module `slug` for the next build, in
    /// postcard's form: JSON, used before, took 24 MB at 1000 modules and
    /// 7 % of a rebuild to read.
    pub fn remember(&self, slug: &str, hash: &str, summary: &Summary) {
        #[derive(Serialize)]
        struct Cached<'a> {
            hash: &'a str,
            summary: &'a Summary,
        }
        if let Ok(bytes) = postcard::to_stdvec(&Cached { hash, summary }) {
            self.cache.put(CacheEntry::Summary(slug), &bytes);
        }
    }

    /// Drops the cached summaries of modules that are no longer in the
    /// pack.
    pub fn forget_all_but<'s>(&self, slugs: impl IntoIterator<Item = &'s str>) {
        let keep: rustc_hash::FxHashSet<&str> = slugs.into_iter().collect();
        self.cache
            .retain(CacheKind::Summaries, &|slug| keep.contains(slug));
    }

    /// The previous course-wide page at `path`, when it was made from the
    /// same fingerprint and is still there.
    pub fn reuse_page(&self, path: &str, hash: &str) -> Option<OutFile> {
        self.manifest.pages.get(path).filter(|h| *h == hash)?;
        let file = self.cache.site_file(path)?;
        Some(OutFile {
            path: path.to_string(),
            content: Content::Copy(file),
        })
    }

    /// The previous pages of module `slug`, when they were made from the
    /// same fingerprint and are all still there.
    pub fn reuse(&self, slug: &str, hash: &str) -> Option<Vec<OutFile>> {
        let entry = self.manifest.modules.get(slug).filter(|e| e.hash == hash)?;
        entry
            .files
            .iter()
            .map(|path| {
                Some(OutFile {
                    path: path.clone(),
                    content: Content::Copy(self.cache.site_file(path)?),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::cache::SiteCache;
    use std::path::Path;

    fn open(site: &Path, cache: &Path) -> PreviousPages {
        PreviousPages::read(Arc::new(SiteCache::open(site, cache)))
    }

    fn site_with(manifest: &PageManifest, pages: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for page in pages {
            let path = dir.path().join(page);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "<p>old</p>").unwrap();
        }
        let file = manifest.file();
        std::fs::write(dir.path().join(&file.path), file.as_bytes().unwrap()).unwrap();
        dir
    }

    fn manifest() -> PageManifest {
        let mut manifest = PageManifest::default();
        manifest.add("a", "h1".into(), vec!["modules/a/index.html".into()]);
        manifest
    }

    #[test]
    fn same_fingerprint_reuses_the_old_pages() {
        let site = site_with(&manifest(), &["modules/a/index.html"]);
        let previous = open(site.path(), &site.path().join(".cache"));
        let files = previous.reuse("a", "h1").unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "modules/a/index.html");
        assert_eq!(
            files[0].content,
            Content::Copy(site.path().join("modules/a/index.html"))
        );
    }

    #[test]
    fn a_changed_fingerprint_or_a_lost_page_renders_again() {
        let site = site_with(&manifest(), &["modules/a/index.html"]);
        let previous = open(site.path(), &site.path().join(".cache"));
        assert!(previous.reuse("a", "h2").is_none());
        assert!(previous.reuse("b", "h1").is_none());
        std::fs::remove_file(site.path().join("modules/a/index.html")).unwrap();
        assert!(previous.reuse("a", "h1").is_none());
    }

    #[test]
    fn no_site_or_a_broken_manifest_reuses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            open(dir.path(), &dir.path().join(".cache"))
                .reuse("a", "h1")
                .is_none()
        );
        std::fs::write(dir.path().join(MANIFEST), "{not json").unwrap();
        assert!(
            open(dir.path(), &dir.path().join(".cache"))
                .reuse("a", "h1")
                .is_none()
        );
        assert!(PreviousPages::default().reuse("a", "h1").is_none());
    }

    fn summary(text: &str) -> Summary {
        Summary::new(
            vec![SearchDoc::new("Title", "modules/a/", "1. A", None, text)],
            KeyView::default(),
        )
    }

    #[test]
    fn a_course_page_is_kept_for_its_fingerprint_only() {
        let mut manifest = manifest();
        manifest.add_page("index.html", "p1".into());
        manifest.add_page("schedule.html", "p2".into());
        let site = site_with(&manifest, &["index.html"]);
        let previous = open(site.path(), &site.path().join(".cache"));
        let kept = previous.reuse_page("index.html", "p1").unwrap();
        assert_eq!(kept.content, Content::Copy(site.path().join("index.html")));
        assert!(previous.reuse_page("index.html", "p2").is_none());
        // Recorded, but no longer in the site.
        assert!(previous.reuse_page("schedule.html", "p2").is_none());
    }

    // why: caches written before summaries were postcard hold JSON; they
    // must be made again, never misread, and not left behind.
    #[test]
    fn a_json_summary_from_an_older_build_is_made_again_and_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(".site.cache");
        let previous = open(&dir.path().join("site"), &cache);
        let old = cache.join("modules").join("a.json");
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        let json = serde_json::json!({"hash": "h1", "summary": summary("words")});
        std::fs::write(&old, json.to_string()).unwrap();
        assert!(previous.summary("a", "h1").is_none());
        previous.remember("a", "h1", &summary("words"));
        previous.forget_all_but(["a"]);
        assert!(!old.exists());
        assert_eq!(
            previous.summary("a", "h1").unwrap().docs,
            summary("words").docs
        );
    }

    #[test]
    fn a_summary_is_kept_for_its_fingerprint_only() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(".site.cache");
        let previous = open(&dir.path().join("site"), &cache);
        previous.remember("a", "h1", &summary("first words"));
        let kept = previous.summary("a", "h1").unwrap();
        assert_eq!(kept.docs, summary("first words").docs);
        assert!(previous.summary("a", "h2").is_none());
        assert!(previous.summary("b", "h1").is_none());
        std::fs::write(cache.join("modules/a.bin"), "{broken").unwrap();
        assert!(previous.summary("a", "h1").is_none());
    }

    #[test]
    fn summaries_of_removed_modules_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join(".site.cache");
        let previous = open(&dir.path().join("site"), &cache);
        previous.remember("a", "h1", &summary("a"));
        previous.remember("b", "h1", &summary("b"));
        std::fs::create_dir(cache.join("fr")).unwrap();
        std::fs::write(cache.join("pdfs.json"), "{}").unwrap();
        previous.forget_all_but(["b"]);
        assert!(previous.summary("a", "h1").is_none());
        assert!(previous.summary("b", "h1").is_some());
        assert!(cache.join("fr").is_dir(), "another language's cache stays");
        assert!(cache.join("pdfs.json").is_file(), "the PDF cache stays");
    }

    // why: postcard cannot write a flattened field; such a value must still
    // get a fingerprint that changes with it, never one shared by all.
    #[test]
    fn a_value_postcard_cannot_write_is_fingerprinted_by_its_json() {
        #[derive(Serialize)]
        struct Inner {
            words: String,
        }
        #[derive(Serialize)]
        struct Flat {
            #[serde(flatten)]
            inner: Inner,
        }
        let flat = |words: &str| Flat {
            inner: Inner {
                words: words.into(),
            },
        };
        assert!(postcard::to_stdvec(&flat("a")).is_err());
        assert_eq!(digest(&flat("a")), digest(&flat("a")));
        assert_ne!(digest(&flat("a")), digest(&flat("b")));
        let json = blake3::hash(br#"{"words":"a"}"#).to_hex().to_string();
        assert_eq!(digest(&flat("a")), json);
    }
}
