//! A print run: pages of several PDFs, each printed many times, in one
//! file for a print shop (`trainpack print`).
//!
//! A page object has one parent, so each copy of a page needs a page
//! object of its own, but what the page shows (its content stream, fonts
//! and pictures) is written once and every copy points at it: 24 copies of
//! a handout cost 24 small page dictionaries, not 24 handouts. Print runs
//! carry no structure tree ([`Piece::untagged`]): paper is not read aloud,
//! and each copy of a tagged page would need its own elements.

use anyhow::{Result, anyhow};
use lopdf::{Dictionary, Object};
use rustc_hash::FxHashSet;

use super::catalog::{catalog_dict, info_dict, xmp_stream};
use super::{
    MergedFile, Metadata, PAGE_TREE, PAGE_TREE_OBJECT, Piece, Tagging, page_tree, reference,
    write_reference,
};

impl Piece {
    /// Reads a PDF into a piece without its structure tree, for [`print`].
    pub fn untagged(pdf: &[u8]) -> Result<Piece> {
        Piece::read(pdf, Tagging::Drop)
    }
}

/// One page of a print run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintPage {
    /// Page `page` (from 0) of piece `piece`.
    Of {
        /// The piece, by its index in the pieces given.
        piece: usize,
        /// The page, from 0.
        page: usize,
    },
    /// An empty page, so that the next document starts on a new sheet.
    Blank,
}

/// What a print run is made of.
pub struct Printed<'a> {
    /// The PDFs its pages come from, each read with [`Piece::untagged`].
    pub pieces: &'a [&'a Piece],
    /// Its pages, in order.
    pub pages: &'a [PrintPage],
    /// A bookmark's label and the index in `pages` it points at.
    pub bookmarks: &'a [(String, usize)],
    /// The size of a blank page, in points: the paper's.
    pub paper: (f32, f32),
}

/// The print run as one PDF.
pub fn print(run: &Printed<'_>, metadata: &Metadata<'_>) -> Result<Vec<u8>> {
    if run.pieces.iter().any(|p| p.tags.is_some()) {
        return Err(anyhow!("a print run is made of untagged pieces"));
    }
    let size: usize = run.pieces.iter().map(|p| p.written_size()).sum();
    let mut file = MergedFile::with_capacity(size + run.pages.len() * 120);
    let mut bases = Vec::with_capacity(run.pieces.len());
    let mut base = PAGE_TREE_OBJECT;
    for piece in run.pieces {
        piece.write_objects(base, 0, &[], &mut file);
        bases.push(base);
        base += piece.ends.len() as u32;
    }
    let mut used = FxHashSet::default();
    let mut kids = Vec::with_capacity(run.pages.len());
    for page in run.pages {
        let number = match *page {
            PrintPage::Of { piece, page } => {
                let of = run
                    .pieces
                    .get(piece)
                    .ok_or_else(|| anyhow!("no piece {piece}"))?;
                let object = *of
                    .pages
                    .get(page)
                    .ok_or_else(|| anyhow!("no page {page}"))?;
                if used.insert((piece, page)) {
                    bases[piece] + object
                } else {
                    let number = file.next_number();
                    of.write_copy(object, bases[piece], number, &mut file);
                    number
                }
            }
            PrintPage::Blank => {
                let number = file.next_number();
                file.add(number, &blank_page(run.paper))?;
                number
            }
        };
        kids.push(number);
    }
    file.add(PAGE_TREE_OBJECT, &page_tree(&kids))?;
    let marks: Vec<super::outline::Placed<'_>> = run
        .bookmarks
        .iter()
        .filter_map(|(label, at)| {
            Some(super::outline::Placed {
                level: 1,
                title: label,
                page: *kids.get(*at)?,
            })
        })
        .collect();
    let outline = file.add_outline(&marks)?;
    let xmp = file.next_number();
    file.add(xmp, &xmp_stream(metadata))?;
    let catalog = file.next_number();
    file.add(catalog, &catalog_dict(metadata, outline, false, xmp))?;
    let info = file.next_number();
    file.add(info, &Object::Dictionary(info_dict(metadata)))?;
    Ok(file.finish(catalog, info))
}

impl Piece {
    /// Writes object `object` of the piece (a page) again, as object
    /// `number`, its references pointing at the objects written at `base`.
    fn write_copy(&self, object: u32, base: u32, number: u32, file: &mut MergedFile) {
        let index = object as usize - 1;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        let end = self.ends[index];
        let first = self.refs.partition_point(|(at, _)| *at < start);
        let last = self.refs.partition_point(|(at, _)| *at < end);
        file.start_object(number);
        let mut copied = start as usize;
        for &(at, target) in &self.refs[first..last] {
            file.bytes
                .extend_from_slice(&self.body[copied..at as usize]);
            // Untagged pieces hold no parent tree keys: every reference
            // is an object or the page tree.
            match target {
                PAGE_TREE => write_reference(&mut file.bytes, PAGE_TREE_OBJECT),
                target => write_reference(&mut file.bytes, target + base),
            }
            copied = at as usize;
        }
        file.bytes
            .extend_from_slice(&self.body[copied..end as usize]);
        file.end_object();
    }
}

/// An empty page of the paper's size.
fn blank_page((width, height): (f32, f32)) -> Object {
    Object::Dictionary(Dictionary::from_iter([
        ("Type", Object::Name(b"Page".to_vec())),
        ("Parent", reference(PAGE_TREE_OBJECT)),
        (
            "MediaBox",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Real(width),
                Object::Real(height),
            ]),
        ),
        ("Resources", Object::Dictionary(Dictionary::new())),
    ]))
}
