//! A merged PDF (the course book, the course's answer key) made again
//! from the one the last build merged.
//!
//! Each piece of a merged file starts at a round object number and on a
//! 4 KiB boundary (see `merge::layout`), so after a small edit most pieces
//! are where they were, byte for byte. The cache records where each piece
//! is in the site's copy of the file, and a piece of the same fingerprint
//! at the same place is taken from there (`merge::Source::Previous`): it is
//! neither read from the cache nor written again, and the site's copy is
//! patched where it is when the new site is put in place.

use std::borrow::Cow;
use std::path::PathBuf;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::PreviousPdfs;
use super::merge::{Head, Segment, Slot, Written};
use crate::render::cache::CacheEntry;
use crate::render::{Content, Spliced};

/// Where the last build put each piece of a merged file, the stamps first.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Bound {
    /// The fingerprint of the file it describes.
    file: String,
    /// That file's length in bytes.
    len: u64,
    pieces: Vec<BoundPiece>,
}

#[derive(Debug, Serialize, Deserialize)]
struct BoundPiece {
    /// The fingerprint it was made from.
    hash: String,
    head: Head,
    segment: Segment,
}

/// The last merge of a file: what the cache recorded of it, and the file,
/// when the previous site still holds that very file.
pub struct LastMerge {
    bound: Bound,
    by_hash: FxHashMap<String, usize>,
    file: Option<PathBuf>,
    entry: CacheEntry<'static>,
}

impl LastMerge {
    /// The last merge of the site's `path`, recorded in `entry`.
    pub fn read(previous: &PreviousPdfs, entry: CacheEntry<'static>, path: &str) -> LastMerge {
        let bound: Bound = previous.book_record(entry).unwrap_or_default();
        let file = previous.previous_file(path, &bound.file, bound.len);
        let by_hash = (bound.pieces.iter().enumerate())
            .map(|(i, piece)| (piece.hash.clone(), i))
            .collect();
        LastMerge {
            bound,
            by_hash,
            file,
            entry,
        }
    }

    /// The head of the piece of fingerprint `hash`, when the last merge
    /// had it.
    pub fn head(&self, hash: &str) -> Option<&Head> {
        let i = self.by_hash.get(hash)?;
        Some(&self.bound.pieces[*i].head)
    }

    /// For each piece, of fingerprint `hashes[i]` going at `slots[i]`,
    /// where the last file holds it, when it holds it there.
    pub fn kept(&self, hashes: &[String], slots: &[Slot]) -> Vec<Option<Segment>> {
        if self.file.is_none() {
            return vec![None; slots.len()];
        }
        let pieces = &self.bound.pieces;
        (hashes.iter().zip(slots).zip(0..))
            .map(|((hash, slot), i)| {
                let piece = pieces.get(i)?;
                let here = piece.hash == *hash && piece.segment.slot() == *slot;
                here.then(|| piece.segment.clone())
            })
            .collect()
    }

    /// Records `written` (of fingerprint `file`, its pieces of `hashes`
    /// and `heads`) for the next build, and gives its content: spliced
    /// from the last file when it keeps pieces of it.
    pub fn finish<'h>(
        &self,
        previous: &PreviousPdfs,
        file: &str,
        pieces: (Vec<String>, impl Iterator<Item = Cow<'h, Head>>),
        written: Written,
    ) -> Content {
        let (hashes, heads) = pieces;
        let bound = Bound {
            file: file.to_string(),
            len: written.size(),
            pieces: (hashes.into_iter().zip(heads).zip(written.segments))
                .map(|((hash, head), segment)| BoundPiece {
                    hash,
                    head: head.into_owned(),
                    segment,
                })
                .collect(),
        };
        previous.remember_book_record(self.entry, &bound);
        match (written.splices.is_empty(), self.file.clone()) {
            (false, Some(previous)) => Content::Spliced(Spliced {
                bytes: written.bytes,
                splices: written.splices,
                previous,
            }),
            _ => Content::Bytes(written.bytes),
        }
    }
}
