//! The PDFs of the previous build that this one keeps: the site's manifest
//! of every PDF's fingerprint and pages, and the cache's record of each
//! module's PDFs, read and written through the [`Cache`].

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::merge;
use crate::render::cache::{Cache, CacheEntry, CacheKind, NoCache};
use crate::render::reuse::read_json;
use crate::render::{Content, OutFile};

/// The file in a site that lists each PDF's content hash.
pub const MANIFEST: &str = ".trainpack-pdfs.json";

/// PDFs from a previous build that may be reused.
pub struct PreviousPdfs {
    /// The site's manifest: each PDF's fingerprint, by path in the site.
    pdfs: BTreeMap<String, Entry>,
    /// Each module's PDFs, from the cache's record (not in the site: it
    /// holds modification times, and a site's bytes must not depend on
    /// when its files were touched).
    modules: BTreeMap<String, ModuleEntry>,
    cache: Arc<dyn Cache>,
    /// The pieces this build uses: the course's answer key and its book
    /// each mark theirs, and [`PreviousPdfs::forget_unused`] drops the rest.
    kept: std::sync::Mutex<rustc_hash::FxHashSet<String>>,
}

impl Default for PreviousPdfs {
    fn default() -> Self {
        PreviousPdfs::read(Arc::new(NoCache))
    }
}

/// What the cache records of each module's PDFs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ModuleEntry {
    /// The fingerprint of everything its PDFs show.
    hash: String,
    /// Its PDFs, by path, as the site's manifest recorded them when they
    /// were made.
    pdfs: BTreeMap<String, Entry>,
}

/// What the manifest records of each PDF.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// The fingerprint of its inputs.
    pub hash: String,
    /// Its number of pages.
    pub pages: usize,
}

/// A PDF of a build, typeset or reused.
#[derive(Debug)]
pub struct Made {
    /// The file.
    pub file: OutFile,
    /// Its manifest entry.
    pub entry: Entry,
    /// True when it was typeset, false when reused.
    pub typeset: bool,
}

impl PreviousPdfs {
    /// The previous site's PDF manifest and the record of each module's
    /// PDFs, from `cache`.
    pub fn read(cache: Arc<dyn Cache>) -> PreviousPdfs {
        PreviousPdfs {
            pdfs: read_json(cache.site_bytes(MANIFEST)),
            modules: read_json(cache.get(CacheEntry::PdfRecord)),
            cache,
            kept: Default::default(),
        }
    }

    pub(super) fn reuse(&self, path: &str, hash: &str) -> Option<Made> {
        let entry = self.pdfs.get(path).filter(|e| e.hash == hash)?;
        let file = self.cache.site_file(path)?;
        Some(Made {
            file: OutFile {
                path: path.to_string(),
                content: Content::Copy(file),
            },
            entry: entry.clone(),
            typeset: false,
        })
    }

    /// All the PDFs of module `slug`, when its fingerprint is `hash` as
    /// recorded and the site still holds those very PDFs (a build that
    /// failed after recording leaves other ones).
    pub fn reuse_module(&self, slug: &str, hash: &str) -> Option<Vec<Made>> {
        let module = self.modules.get(slug).filter(|m| m.hash == hash)?;
        module
            .pdfs
            .iter()
            .map(|(path, entry)| self.reuse(path, &entry.hash))
            .collect()
    }

    /// Records each module's PDFs of `output` for the next build.
    pub fn remember(&self, output: &PdfOutput) {
        if let Ok(json) = serde_json::to_vec(&output.modules) {
            self.cache.put(CacheEntry::PdfRecord, &json);
        }
    }

    /// The piece of the answer key made from fingerprint `hash` (see
    /// [`merge::Piece`]), as an earlier build kept it.
    pub fn piece(&self, hash: &str) -> Option<merge::Piece> {
        postcard::from_bytes(&self.cache.get(CacheEntry::Piece(hash))?).ok()
    }

    /// True when the cache holds the piece of fingerprint `hash`.
    pub fn has_piece(&self, hash: &str) -> bool {
        self.cache.contains(CacheEntry::Piece(hash))
    }

    /// Keeps `pieces`, by fingerprint, for the next build.
    pub fn remember_pieces(&self, pieces: &[(&str, &merge::Piece)]) {
        self.keep(pieces.iter().map(|(hash, _)| *hash));
        pieces.par_iter().for_each(|(hash, piece)| {
            let entry = CacheEntry::Piece(hash);
            if self.cache.contains(entry) {
                return;
            }
            if let Ok(bytes) = postcard::to_stdvec(piece) {
                self.cache.put(entry, &bytes);
            }
        });
    }

    /// What the last build recorded of each part of the course book (see
    /// [`super::book`]).
    pub fn book_index<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        read_json(self.cache.get(CacheEntry::BookIndex))
    }

    /// Keeps `index` for the next build.
    pub fn remember_book_index(&self, index: &impl serde::Serialize) {
        if let Ok(bytes) = serde_json::to_vec(index) {
            self.cache.put(CacheEntry::BookIndex, &bytes);
        }
    }

    /// A record the last build kept in `entry` of the course book or the
    /// course's answer key (see `super::rebind`).
    pub fn book_record<T: serde::de::DeserializeOwned>(&self, entry: CacheEntry<'_>) -> Option<T> {
        postcard::from_bytes(&self.cache.get(entry)?).ok()
    }

    /// Keeps `record` in `entry` for the next build.
    pub fn remember_book_record(&self, entry: CacheEntry<'_>, record: &impl serde::Serialize) {
        if let Ok(bytes) = postcard::to_stdvec(record) {
            self.cache.put(entry, &bytes);
        }
    }

    /// The previous site's file at `path`, when the site's manifest says
    /// it was made from `hash` and it is `len` bytes long: the very file a
    /// record of it describes.
    pub fn previous_file(&self, path: &str, hash: &str, len: u64) -> Option<std::path::PathBuf> {
        self.pdfs.get(path).filter(|entry| entry.hash == hash)?;
        let file = self.cache.site_file(path)?;
        (self.cache.site_file_len(path)? == len).then_some(file)
    }

    /// Marks the pieces of `hashes` as used by this build, so that
    /// [`PreviousPdfs::forget_unused`] keeps them.
    pub fn keep<'h>(&self, hashes: impl IntoIterator<Item = &'h str>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.extend(hashes.into_iter().map(str::to_string));
    }

    /// Drops the pieces that earlier builds kept and this one did not use:
    /// called once, when the course's key and book are both made, as each
    /// keeps pieces of its own.
    pub fn forget_unused(&self) {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        self.cache
            .retain(CacheKind::Pieces, &|hash| kept.contains(hash));
    }
}

/// The PDFs written by a build, for the manifest that lets the next build
/// reuse them.
#[derive(Debug, Default)]
pub struct PdfOutput {
    /// Each PDF's path, content hash and page count.
    pub manifest: BTreeMap<String, Entry>,
    /// Each module's PDFs.
    modules: BTreeMap<String, ModuleEntry>,
    /// How many were typeset (the rest were reused).
    pub typeset: usize,
    /// How many documents Typst typeset for them.
    pub documents: usize,
}

impl PdfOutput {
    /// The manifest file, for the site.
    pub fn manifest_file(&self) -> OutFile {
        OutFile::bytes(
            MANIFEST,
            serde_json::to_vec_pretty(&self.manifest).unwrap_or_default(),
        )
    }

    /// Adds the outcome of one job.
    pub fn add(&mut self, made: &Made) {
        self.manifest
            .insert(made.file.path.clone(), made.entry.clone());
        self.typeset += usize::from(made.typeset);
    }

    /// Adds the PDFs of module `slug`, made from fingerprint `hash`.
    pub fn add_module(&mut self, slug: &str, hash: String, made: &[Made]) {
        made.iter().for_each(|m| self.add(m));
        let pdfs = made
            .iter()
            .map(|m| (m.file.path.clone(), m.entry.clone()))
            .collect();
        self.modules
            .insert(slug.to_string(), ModuleEntry { hash, pdfs });
    }
}
