//! What a build may keep from the one before: the previous site's files and
//! the cache folder beside it, as rendering sees them. Rendering decides what
//! to keep and reads and records through [`Cache`], but never opens a file
//! itself: `output::cache::SiteCache` is the cache on disk, and [`NoCache`]
//! (for `serve`, and a first build) keeps nothing.

use std::path::PathBuf;

/// An entry of the cache folder, by what it holds; where each one is kept
/// is the cache's own business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheEntry<'a> {
    /// What the pages that list every module need from module `slug`.
    Summary(&'a str),
    /// Each module's PDFs, with the fingerprint they were made from.
    PdfRecord,
    /// Each module's Office files, with the fingerprint they were made
    /// from.
    OfficeRecord,
    /// A piece of the course's answer key or book, by fingerprint.
    Piece(&'a str),
    /// The course book's parts: each part's place and module fingerprint,
    /// with the fingerprint of the document it was typeset from.
    BookIndex,
    /// Where each piece of the course book is in the site's `guide.pdf`.
    BookBinding,
    /// Where each module and handout starts in the site's `guide.pdf`.
    BookLayout,
    /// Where each module's key is in the site's `answer-key.pdf`.
    KeyBinding,
}

/// A kind of entry that is kept by name, so that those no longer needed can
/// be dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheKind {
    /// Module summaries, named by slug.
    Summaries,
    /// Pieces of the answer key, named by fingerprint.
    Pieces,
}

/// The previous build, for the one being rendered. Only saves time: an
/// entry that is missing, or cannot be kept, is made again.
pub trait Cache: Send + Sync {
    /// Where the previous site's file at `path` is, when it is still there.
    fn site_file(&self, path: &str) -> Option<PathBuf>;
    /// The length of the previous site's file at `path`, when it is there.
    fn site_file_len(&self, _path: &str) -> Option<u64> {
        None
    }
    /// The bytes of the previous site's file at `path` (its manifests).
    fn site_bytes(&self, path: &str) -> Option<Vec<u8>>;
    /// An entry of the cache folder.
    fn get(&self, entry: CacheEntry<'_>) -> Option<Vec<u8>>;
    /// True when the cache holds `entry`.
    fn contains(&self, entry: CacheEntry<'_>) -> bool;
    /// Keeps `entry` for the next build, whole or not at all.
    fn put(&self, entry: CacheEntry<'_>, bytes: &[u8]);
    /// Drops the entries of `kind` whose name `keep` refuses.
    fn retain(&self, kind: CacheKind, keep: &(dyn Fn(&str) -> bool + Sync));
}

/// A cache that has nothing and keeps nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoCache;

impl Cache for NoCache {
    fn site_file(&self, _: &str) -> Option<PathBuf> {
        None
    }
    fn site_bytes(&self, _: &str) -> Option<Vec<u8>> {
        None
    }
    fn get(&self, _: CacheEntry<'_>) -> Option<Vec<u8>> {
        None
    }
    fn contains(&self, _: CacheEntry<'_>) -> bool {
        false
    }
    fn put(&self, _: CacheEntry<'_>, _: &[u8]) {}
    fn retain(&self, _: CacheKind, _: &(dyn Fn(&str) -> bool + Sync)) {}
}
