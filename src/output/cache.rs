//! The cache folder beside a site (`.site.cache/` for `site/`) and its
//! layout, and the previous site as a build reads it: the one place that
//! knows where each cached thing lives on disk. Never inside the site, so
//! nothing cached is published; deleting it is always safe.
//!
//! ```text
//! .site.cache/
//!   modules/<slug>.bin            what the course-wide pages need of a module
//!   pdfs.json                     each module's PDFs and their fingerprint
//!   course-book.json              each part of the course book and the pages it prints
//!   course-book.v1.bound          where each piece of the course book is in `guide.pdf`
//!   course-book.v1.layout         where each module and handout starts in the course book
//!   answer-key.v1.bound           where each module's key is in `answer-key.pdf`
//!   answer-key/<hash>.v3.piece    pieces of the course's answer key and course book
//! ```
//!
//! A language's site has its own cache folder inside it (`fr/`). An entry
//! that cannot be kept is a warning of the build, never an error: the next
//! build makes it again.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::Diagnostic;
use crate::render::cache::{Cache, CacheEntry, CacheKind};

use super::{describe, write_aside};

/// The folder of module summaries.
const SUMMARIES: &str = "modules";
/// The record of each module's PDFs.
const PDF_RECORD: &str = "pdfs.json";
const BOOK_INDEX: &str = "course-book.json";
const BOOK_BINDING: &str = "course-book.v1.bound";
const BOOK_LAYOUT: &str = "course-book.v1.layout";
const KEY_BINDING: &str = "answer-key.v1.bound";
const OFFICE_RECORD: &str = "office.json";
/// The folder of the pieces of the course's answer key and course book.
const PIECES: &str = "answer-key";

/// The cache folder of the site in `output`: a hidden folder beside it.
pub fn cache_folder(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy());
    output.with_file_name(format!(".{name}.cache"))
}

/// The previous site in `site` and the cache folder `folder`, on disk.
#[derive(Debug)]
pub struct SiteCache {
    site: PathBuf,
    folder: PathBuf,
    /// Entries that could not be kept, as warnings.
    problems: Mutex<Vec<Diagnostic>>,
}

impl SiteCache {
    /// The cache of the site in `site`, kept in `folder`.
    pub fn open(site: &Path, folder: &Path) -> SiteCache {
        SiteCache {
            site: site.to_path_buf(),
            folder: folder.to_path_buf(),
            problems: Mutex::new(Vec::new()),
        }
    }

    /// The warnings about entries that could not be kept, taken.
    pub fn take_problems(&self) -> Vec<Diagnostic> {
        self.problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    fn path(&self, entry: CacheEntry<'_>) -> PathBuf {
        match entry {
            CacheEntry::Summary(slug) => self.folder.join(SUMMARIES).join(format!("{slug}.bin")),
            CacheEntry::PdfRecord => self.folder.join(PDF_RECORD),
            CacheEntry::BookIndex => self.folder.join(BOOK_INDEX),
            CacheEntry::BookBinding => self.folder.join(BOOK_BINDING),
            CacheEntry::BookLayout => self.folder.join(BOOK_LAYOUT),
            CacheEntry::KeyBinding => self.folder.join(KEY_BINDING),
            CacheEntry::OfficeRecord => self.folder.join(OFFICE_RECORD),
            CacheEntry::Piece(hash) => self.folder.join(PIECES).join(piece_name(hash)),
        }
    }

    fn warn(&self, path: &Path, error: &anyhow::Error) {
        let d = Diagnostic::warning(format!(
            "cannot keep `{}` in the cache: {}",
            path.display(),
            describe(error)
        ))
        .hint("the next build will be slower, not different; check the disk's free space and that the folder may be written to");
        if let Ok(mut problems) = self.problems.lock() {
            problems.push(d);
        }
    }
}

fn piece_name(hash: &str) -> String {
    format!("{hash}.v3.piece")
}

impl Cache for SiteCache {
    fn site_file(&self, path: &str) -> Option<PathBuf> {
        let file = self.site.join(path);
        file.is_file().then_some(file)
    }

    fn site_file_len(&self, path: &str) -> Option<u64> {
        std::fs::metadata(self.site.join(path))
            .ok()
            .filter(std::fs::Metadata::is_file)
            .map(|m| m.len())
    }

    fn site_bytes(&self, path: &str) -> Option<Vec<u8>> {
        std::fs::read(self.site.join(path)).ok()
    }

    fn get(&self, entry: CacheEntry<'_>) -> Option<Vec<u8>> {
        std::fs::read(self.path(entry)).ok()
    }

    fn contains(&self, entry: CacheEntry<'_>) -> bool {
        self.path(entry).is_file()
    }

    fn put(&self, entry: CacheEntry<'_>, bytes: &[u8]) {
        let path = self.path(entry);
        if let Err(error) = write_aside(&path, bytes) {
            self.warn(&path, &error);
        }
    }

    fn retain(&self, kind: CacheKind, keep: &(dyn Fn(&str) -> bool + Sync)) {
        let (folder, suffix) = match kind {
            CacheKind::Summaries => (self.folder.join(SUMMARIES), ".bin"),
            CacheKind::Pieces => (self.folder.join(PIECES), ".v3.piece"),
        };
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Anything else in the folder (an older build's format) goes too.
            let kept = name.strip_suffix(suffix).is_some_and(keep);
            if !kept
                && entry.path().is_file()
                && let Err(e) = std::fs::remove_file(entry.path())
            {
                self.warn(&entry.path(), &e.into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_sits_beside_the_site() {
        assert_eq!(
            cache_folder(Path::new("/packs/x/site")),
            Path::new("/packs/x/.site.cache")
        );
    }

    #[test]
    fn entries_are_kept_whole_and_dropped_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SiteCache::open(&dir.path().join("site"), &dir.path().join(".site.cache"));
        cache.put(CacheEntry::Summary("a"), b"one");
        cache.put(CacheEntry::Summary("b"), b"two");
        cache.put(CacheEntry::Piece("h1"), b"piece");
        assert_eq!(cache.get(CacheEntry::Summary("a")).unwrap(), b"one");
        assert!(cache.contains(CacheEntry::Piece("h1")));
        cache.retain(CacheKind::Summaries, &|slug| slug == "b");
        assert!(cache.get(CacheEntry::Summary("a")).is_none());
        assert!(cache.get(CacheEntry::Summary("b")).is_some());
        assert!(
            cache.contains(CacheEntry::Piece("h1")),
            "pieces are kept apart"
        );
        assert!(cache.take_problems().is_empty());
    }

    // why: a cache that cannot be written made a build silently slower; it
    // is now a warning that says where and why (issue 19).
    #[test]
    fn an_entry_that_cannot_be_kept_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(".site.cache");
        std::fs::write(&folder, "a file where the folder should be").unwrap();
        let cache = SiteCache::open(&dir.path().join("site"), &folder);
        cache.put(CacheEntry::PdfRecord, b"{}");
        let problems = cache.take_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("cannot keep"),
            "{}",
            problems[0].message
        );
        assert!(!problems[0].is_error());
    }
}
