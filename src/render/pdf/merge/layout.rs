//! Where each piece goes in a merged file, and what of a file merged
//! before the next merge can keep.
//!
//! A merged file's pieces follow one another, each numbered after the one
//! before. Packed tight, one piece a few objects longer would renumber
//! every piece after it, and all their bytes would change: a one-word edit
//! to the first module of a 17,000-page course book rewrote 350 MiB. So
//! each piece starts at a round object number and a round parent tree
//! key: a piece that grows or shrinks a little leaves the ones after it
//! where they were, byte for byte, and the next merge copies them from
//! the file it made before ([`Source::Previous`]) instead of writing them
//! again. The numbers skipped cost nothing in the file: its
//! cross-reference table leaves them out. The places depend only on the
//! pieces, never on earlier builds, so the same pieces always make the
//! same file.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{Bookmark, Piece, Tags};

/// Pieces start at a multiple of this object number.
const OBJECT_STEP: u32 = 64;

/// Pieces' parent tree keys start at a multiple of this.
const KEY_STEP: u32 = 16;

/// What merging needs of a piece besides its bytes: enough to place it,
/// and to point the file's page tree, structure tree and outline at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Head {
    /// How many objects it has.
    pub(super) objects: u32,
    /// Its pages (or a stamp piece's forms), by its own numbers.
    pub(super) pages: Vec<u32>,
    /// Its part of the structure tree.
    pub(super) tags: Option<Tags>,
    /// Its own bookmarks.
    pub(super) outline: Vec<Bookmark>,
    /// True when its pages draw a stamp.
    pub(super) stamped: bool,
}

impl Head {
    /// How many pages it has.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The bookmarks of its own PDF.
    pub fn bookmarks(&self) -> Vec<Bookmark> {
        self.outline.clone()
    }

    /// True when it has a part of the structure tree.
    pub fn is_tagged(&self) -> bool {
        self.tags.is_some()
    }
}

impl Piece {
    /// What merging needs of it besides its bytes.
    pub fn head(&self) -> Head {
        Head {
            objects: self.ends.len() as u32,
            pages: self.pages.clone(),
            tags: self.tags.clone(),
            outline: self.outline.clone(),
            stamped: self.stamped,
        }
    }
}

/// Where a piece goes in a merged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Its object `n` is the file's object `base + n`.
    pub(super) base: u32,
    /// What is added to its parent tree keys.
    pub(super) key_base: u32,
    /// The file's page its first page is (from 0); stamps have none.
    pub(super) first_page: u32,
    /// A digest of the numbers of the stamps its pages draw: a stamp
    /// document typeset again may number its forms otherwise, and a piece
    /// kept from the last file would then draw the wrong objects.
    pub(super) stamps: u64,
}

/// A piece as a merge wrote it: where it went, where its bytes are in
/// the file, and where each of its objects starts within them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub(super) slot: Slot,
    pub(super) start: u64,
    pub(super) len: u64,
    /// Object `n`'s offset from `start` is `offsets[n - 1]`.
    pub(super) offsets: Vec<u32>,
}

impl Segment {
    /// Its place.
    pub fn slot(&self) -> Slot {
        self.slot
    }
}

/// Where a piece's bytes come from.
pub enum Source<'p> {
    /// Its objects, written now.
    Piece(Cow<'p, Piece>),
    /// Its bytes in the file the last merge made, copied: given only
    /// when that file holds it at the slot it takes now.
    Previous(Segment),
}

/// What is merged: the stamps (see [`super::merge_stamped`]), then the
/// cover, then the parts, known by their heads.
pub struct Plan<'h> {
    /// The stamp pieces, drawn over the file's pages in order.
    pub stamps: Vec<Cow<'h, Head>>,
    /// The cover and the parts after it.
    pub pieces: Vec<Cow<'h, Head>>,
    /// About how many bytes the file takes: room set aside at the start.
    pub size: usize,
    /// Whether any piece is tagged: the file then has a structure tree.
    pub tagged: bool,
}

impl Plan<'_> {
    /// Every piece's head, the stamps first.
    pub(super) fn heads(&self) -> impl Iterator<Item = &Head> {
        self.stamps.iter().chain(&self.pieces).map(|h| h.as_ref())
    }

    /// Where each piece goes, the stamps first, from object `first + 1`.
    pub(super) fn slots_from(&self, first: u32) -> Vec<Slot> {
        let mut slots = Vec::with_capacity(self.stamps.len() + self.pieces.len());
        let (mut base, mut key, mut page) = (first, 0, 0);
        let mut forms = Vec::new();
        for (i, head) in self.heads().enumerate() {
            let drawn = match head.stamped {
                true => forms.get(page as usize..page as usize + head.pages.len()),
                false => None,
            };
            slots.push(Slot {
                base,
                key_base: key,
                first_page: page,
                stamps: drawn.map_or(0, digest),
            });
            if i < self.stamps.len() {
                forms.extend(head.pages.iter().map(|form| base + form));
            }
            base = round_up(base + head.objects, OBJECT_STEP);
            if let Some(tags) = &head.tags {
                key = round_up(key.saturating_add(tags.next_key), KEY_STEP);
            }
            if i >= self.stamps.len() {
                page += head.pages.len() as u32;
            }
        }
        slots
    }

    /// Piece `i`'s head, the stamps first.
    pub fn head(&self, i: usize) -> &Head {
        match i.checked_sub(self.stamps.len()) {
            Some(i) => &self.pieces[i],
            None => &self.stamps[i],
        }
    }

    /// Where each piece goes, the stamps first (see [`Source::Previous`]).
    pub fn slots(&self) -> Vec<Slot> {
        self.slots_from(super::first_base(self.tagged))
    }
}

fn digest(numbers: &[u32]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    std::hash::Hash::hash(numbers, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

fn round_up(number: u32, step: u32) -> u32 {
    number.div_ceil(step).saturating_mul(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(objects: u32, pages: u32) -> Head {
        Head {
            objects,
            pages: (1..=pages).collect(),
            tags: None,
            outline: Vec::new(),
            stamped: false,
        }
    }

    fn plan(heads: &[Head]) -> Plan<'_> {
        Plan {
            stamps: vec![Cow::Borrowed(&heads[0])],
            pieces: heads[1..].iter().map(Cow::Borrowed).collect(),
            size: 0,
            tagged: false,
        }
    }

    // why: a piece a few objects longer must leave the pieces after it
    // where they were, or the next merge copies none of them.
    #[test]
    fn a_piece_a_little_longer_moves_no_piece_after_it() {
        let before = [head(10, 3), head(100, 2), head(40, 1), head(7, 1)];
        let mut after = before.clone();
        after[1].objects = 120;
        let (slots, moved) = (plan(&before).slots_from(1), plan(&after).slots_from(1));
        assert_eq!(slots, moved);
        assert_eq!(slots[1].base, 64, "the cover starts at a round number");
        assert_eq!(slots[2].first_page, 2, "stamps are not pages");
        after[1].objects = 200;
        assert_ne!(plan(&after).slots_from(1)[2], slots[2]);
    }

    // why: a piece kept from the last file draws its stamps by number; if
    // the stamp document typeset again numbers its forms otherwise, the
    // kept piece would draw another object.
    #[test]
    fn a_stamped_piece_moves_when_its_stamps_are_renumbered() {
        let mut before = [head(10, 3), head(100, 2), head(40, 1)];
        before[1].stamped = true;
        let mut after = before.clone();
        after[0].pages = vec![4, 5, 6];
        let (slots, moved) = (plan(&before).slots_from(1), plan(&after).slots_from(1));
        assert_eq!(slots[1].base, moved[1].base);
        assert_ne!(slots[1], moved[1]);
        assert_eq!(slots[2], moved[2], "an unstamped piece draws none");
    }
}
