//! The pack's answer key, assembled from the modules' answer keys.
//!
//! Typesetting the answer key of a large pack in one Typst document costs
//! as much as all the module keys together, and all of it again after any
//! edit. Instead its pages are the module keys' own pages, copied after a
//! cover page listing the modules, with a bookmark per module. Each module's
//! part keeps its own "Page X of Y", so a trainer can print one module's
//! part alone.
//!
//! Reading a PDF is most of the cost of copying its pages (0.5 of the 1.2 s
//! lopdf took to merge 1000 module keys). So each key is read once into a
//! [`Piece`]: its pages and what they show, already written out as PDF,
//! with the object numbers left open. A piece is kept in the cache beside
//! the site, and merging pieces is copying bytes and writing numbers.

use std::borrow::Cow;

use anyhow::{Context, Result, anyhow};
use lopdf::{Dictionary, Document, Object, ObjectId, Writer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

mod catalog;
mod copies;
mod file;
mod layout;
mod outline;
mod read;
mod stamps;
mod tags;
mod xmp;

pub use copies::{PrintPage, Printed, print};
use file::{MergedFile, text};
pub use layout::{Head, Plan, Segment, Slot, Source};
pub use outline::Bookmark;
#[cfg(test)]
use read::visit_references;
use read::{detach, id_prefix, used_by};
use tags::{STRUCT_PARENT, Tags, Tree};

use crate::render::Splice;

/// Whether a piece keeps the structure tree of its PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tagging {
    /// Kept, for a document read on screen (the course key).
    Keep,
    /// Left out, for a document only printed (see [`print`]).
    Drop,
}

/// What a piece's pages become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PagesAs {
    /// Pages, as in the PDF.
    Pages,
    /// Pages that each draw a stamp over their content ([`Piece::stamped`]).
    Stamped,
    /// Form XObjects, each drawing a page ([`Piece::stamps`]).
    Forms,
}

/// One part of the merged document.
pub struct Part<'a> {
    /// Its bookmarks: "Module 4: …" for a module's answer key.
    pub bookmarks: Vec<Bookmark>,
    /// Its pages.
    pub piece: &'a Piece,
}

/// The merged document's metadata.
pub struct Metadata<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its authors.
    pub authors: &'a [String],
    /// Its language (BCP 47).
    pub language: &'a str,
    /// The creation date, as a PDF date (`D:20231114221320Z`), if any.
    pub date: Option<String>,
}

/// The pages of a PDF and every object they use, written as PDF objects
/// numbered 1, 2… within the piece, so that they can be placed at any
/// number in a merged file. What the pages do not use (the catalog, the
/// page tree, the structure tree) is left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    /// The objects' bodies, one after another, without their references.
    #[serde(with = "serde_bytes")]
    body: Vec<u8>,
    /// Where each object's body ends in `body`: object `n` ends at
    /// `ends[n - 1]`.
    ends: Vec<u32>,
    /// Each reference: where it goes in `body`, and the object it points
    /// to, [`PAGE_TREE`] for a page's parent.
    refs: Vec<(u32, u32)>,
    /// The pages, in order.
    pages: Vec<u32>,
    /// Its part of the structure tree, when the PDF is tagged.
    tags: Option<Tags>,
    /// Its own bookmarks.
    outline: Vec<Bookmark>,
    /// True when each page draws a stamp over its content (see
    /// [`Piece::stamped`]), which the merged file must then provide.
    stamped: bool,
}

/// The number a piece uses for the merged document's page tree.
const PAGE_TREE: u32 = 0;

/// The number a piece uses for the course key's `Document` element.
const STRUCT_TOP: u32 = KEY - 1;

/// The number a stamped piece uses for the stamp its page draws (see
/// [`Piece::stamped`]).
const STAMP: u32 = KEY - 2;

/// Marks a reference that is a parent tree key (a page's or annotation's
/// `StructParents`), not an object: the key is in the other bits.
const KEY: u32 = 1 << 31;

/// Stands for the page tree while a piece is made: object 0 is never used.
const PARENT: ObjectId = (0, 0);

/// Stands for a page's stamp while a stamped piece is made.
const STAMP_OBJECT: ObjectId = (0, 2);

/// The merged file's page tree, `Document` element and structure tree
/// root; the pieces follow.
const PAGE_TREE_OBJECT: u32 = 1;
const DOCUMENT_OBJECT: u32 = 2;
const STRUCT_ROOT_OBJECT: u32 = 3;

/// Page attributes a page may take from the page tree above it.
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

impl Piece {
    /// Reads a PDF into a piece, with its structure tree.
    pub fn of(pdf: &[u8]) -> Result<Piece> {
        Piece::read(pdf, Tagging::Keep)
    }

    fn read(pdf: &[u8], tagging: Tagging) -> Result<Piece> {
        Piece::read_as(pdf, tagging, PagesAs::Pages)
    }

    fn read_as(pdf: &[u8], tagging: Tagging, pages_as: PagesAs) -> Result<Piece> {
        let mut document = Document::load_mem(pdf).context("cannot read the PDF")?;
        let pages: Vec<ObjectId> = document.get_pages().into_values().collect();
        if pages.is_empty() {
            return Err(anyhow!("the PDF has no pages"));
        }
        let outline = match tagging {
            Tagging::Keep => outline::read(&document),
            Tagging::Drop => Vec::new(),
        };
        let tree = match tagging {
            Tagging::Keep => Tree::take(&mut document, &id_prefix(pdf))?,
            Tagging::Drop => None,
        };
        let mut objects = std::mem::take(&mut document.objects);
        for page in &pages {
            detach(&mut objects, *page);
        }
        let pages = match pages_as {
            PagesAs::Pages => pages,
            PagesAs::Stamped => {
                stamps::draw_stamps(&mut objects, &pages)?;
                pages
            }
            PagesAs::Forms => stamps::forms(&mut objects, &pages)?,
        };
        let starts: Vec<ObjectId> = pages
            .iter()
            .copied()
            .chain(tree.iter().flat_map(Tree::starts))
            .collect();
        let used = used_by(&objects, &starts);
        let numbers: FxHashMap<ObjectId, u32> = used
            .iter()
            .zip(1..)
            .map(|(id, number)| (*id, number))
            .collect();
        let mut writer = PieceWriter {
            numbers: &numbers,
            tagged: tree.is_some(),
            piece: Piece {
                body: Vec::new(),
                ends: Vec::with_capacity(used.len()),
                refs: Vec::new(),
                pages: pages.iter().map(|p| numbers[p]).collect(),
                tags: tree.map(|t| t.numbered(|id| numbers.get(&id).copied())),
                outline,
                stamped: pages_as == PagesAs::Stamped,
            },
        };
        for id in &used {
            writer.object(&objects[id])?;
            let end = u32::try_from(writer.piece.body.len()).context("the PDF is too large")?;
            writer.piece.ends.push(end);
        }
        Ok(writer.piece)
    }

    /// How many pages it has.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The bookmarks of its own PDF.
    pub fn bookmarks(&self) -> Vec<Bookmark> {
        self.outline.clone()
    }

    /// Writes the piece's objects into `file`, object `n` as object
    /// `n + base`, with its parent tree keys shifted by `key_base`; page
    /// `i` of a stamped piece draws the form XObject `stamps[i]`.
    fn write_objects(&self, base: u32, key_base: u32, stamps: &[u32], file: &mut MergedFile) {
        let mut refs = self.refs.iter().peekable();
        let mut start = 0;
        for (number, &end) in (base + 1..).zip(&self.ends) {
            let end = end as usize;
            file.start_object(number);
            let out = &mut file.bytes;
            let mut copied = start;
            while let Some(&(at, target)) = refs.next_if(|(at, _)| (*at as usize) < end) {
                out.extend_from_slice(&self.body[copied..at as usize]);
                match target {
                    PAGE_TREE => write_reference(out, PAGE_TREE_OBJECT),
                    STRUCT_TOP => write_reference(out, DOCUMENT_OBJECT),
                    STAMP => {
                        let page = self.pages.iter().position(|p| p + base == number);
                        match page.and_then(|page| stamps.get(page)) {
                            Some(stamp) => write_reference(out, *stamp),
                            None => out.extend_from_slice(b"null"),
                        }
                    }
                    key if key & KEY != 0 => {
                        write_number(out, (key & !KEY).saturating_add(key_base));
                    }
                    target => write_reference(out, target + base),
                }
                copied = at as usize;
            }
            out.extend_from_slice(&self.body[copied..end]);
            file.end_object();
            start = end;
        }
    }

    /// About how many bytes its objects take in a merged file.
    pub fn written_size(&self) -> usize {
        // A reference is written as up to 7 digits and " 0 R"; an object
        // adds its number, "0 obj", "endobj" and a cross-reference entry.
        self.body.len() + self.refs.len() * 11 + self.ends.len() * 40
    }
}

/// Writes a piece's objects, leaving their references open.
struct PieceWriter<'a> {
    numbers: &'a FxHashMap<ObjectId, u32>,
    /// False when the structure tree is not copied: parent tree keys then
    /// point at nothing, and are left out.
    tagged: bool,
    piece: Piece,
}

impl PieceWriter<'_> {
    fn object(&mut self, object: &Object) -> Result<()> {
        match object {
            Object::Reference(id) => self.reference(*id)?,
            Object::Array(items) => {
                self.piece.body.push(b'[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        self.piece.body.push(b' ');
                    }
                    self.object(item)?;
                }
                self.piece.body.push(b']');
            }
            Object::Dictionary(dict) => self.dictionary(dict)?,
            Object::Stream(stream) => {
                // The length is written out: an indirect one is not copied.
                let mut dict = stream.dict.clone();
                dict.set("Length", Object::Integer(stream.content.len() as i64));
                self.dictionary(&dict)?;
                self.piece.body.extend_from_slice(b"stream\n");
                self.piece.body.extend_from_slice(&stream.content);
                self.piece.body.extend_from_slice(b"\nendstream");
            }
            other => Writer::write_object(&mut self.piece.body, other)?,
        }
        Ok(())
    }

    fn dictionary(&mut self, dict: &Dictionary) -> Result<()> {
        self.piece.body.extend_from_slice(b"<<");
        for (key, value) in dict {
            let parent_key = parent_tree_key(key, value);
            if parent_key.is_some() && !self.tagged {
                continue;
            }
            Writer::write_object(&mut self.piece.body, &Object::Name(key.clone()))?;
            self.piece.body.push(b' ');
            match parent_key {
                Some(key) => {
                    let at =
                        u32::try_from(self.piece.body.len()).context("the PDF is too large")?;
                    self.piece.refs.push((at, KEY | key));
                }
                None => self.object(value)?,
            }
        }
        self.piece.body.extend_from_slice(b">>");
        Ok(())
    }

    fn reference(&mut self, id: ObjectId) -> Result<()> {
        let target = match self.numbers.get(&id) {
            Some(number) => *number,
            None if id == PARENT => PAGE_TREE,
            None if id == STRUCT_PARENT => STRUCT_TOP,
            None if id == STAMP_OBJECT => STAMP,
            // A reference to an object the file does not hold means null.
            None => {
                self.piece.body.extend_from_slice(b"null");
                return Ok(());
            }
        };
        let at = u32::try_from(self.piece.body.len()).context("the PDF is too large")?;
        self.piece.refs.push((at, target));
        Ok(())
    }
}

/// The key of a page's or an annotation's entry in the parent tree.
fn parent_tree_key(key: &[u8], value: &Object) -> Option<u32> {
    if key != b"StructParents" && key != b"StructParent" {
        return None;
    }
    let key = u32::try_from(value.as_i64().ok()?).ok()?;
    (key < tags::MAX_KEY).then_some(key)
}

fn write_reference(out: &mut Vec<u8>, number: u32) {
    write_number(out, number);
    out.extend_from_slice(b" 0 R");
}

fn write_number(out: &mut Vec<u8>, number: u32) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// The cover followed by every part, with a bookmark per part.
pub fn merge(cover: &Piece, parts: &[Part<'_>], metadata: &Metadata<'_>) -> Result<Vec<u8>> {
    merge_stamped(cover, parts, metadata, &[])
}

/// [`merge`] for stamped pieces: the pages of `stamps` (read with
/// [`Piece::stamps`]), one for each page of the merged file, are drawn
/// over its pages in order.
pub fn merge_stamped(
    cover: &Piece,
    parts: &[Part<'_>],
    metadata: &Metadata<'_>,
    stamps: &[Piece],
) -> Result<Vec<u8>> {
    let pieces: Vec<&Piece> = std::iter::once(cover)
        .chain(parts.iter().map(|p| p.piece))
        .collect();
    let plan = Plan {
        stamps: stamps.iter().map(|s| Cow::Owned(s.head())).collect(),
        pieces: pieces.iter().map(|p| Cow::Owned(p.head())).collect(),
        size: pieces
            .iter()
            .copied()
            .chain(stamps)
            .map(Piece::written_size)
            .sum(),
        tagged: pieces.iter().any(|p| p.tags.is_some()),
    };
    let source = |i: usize| {
        let piece = match i.checked_sub(stamps.len()) {
            None => return Ok((Vec::new(), Source::Piece(Cow::Borrowed(&stamps[i])))),
            Some(i) => pieces[i],
        };
        let marks = match i.checked_sub(stamps.len() + 1) {
            None => cover.outline.clone(),
            Some(part) => parts[part].bookmarks.clone(),
        };
        Ok((marks, Source::Piece(Cow::Borrowed(piece))))
    };
    Ok(merge_each(&plan, source, metadata)?.bytes)
}

/// A merged file: its bytes, and where each piece went in it. When it
/// keeps pieces of the file merged before, `splices` says how its bytes
/// and those pieces follow one another; else it is empty.
pub struct Written {
    /// The bytes written.
    pub bytes: Vec<u8>,
    /// The file, stretch by stretch, when it keeps pieces.
    pub splices: Vec<Splice>,
    /// Each piece as written, the stamps first.
    pub segments: Vec<Segment>,
}

impl Written {
    /// The file's length in bytes.
    pub fn size(&self) -> u64 {
        match self.splices.is_empty() {
            true => self.bytes.len() as u64,
            false => self.splices.iter().map(Splice::size).sum(),
        }
    }
}

/// The pieces of `plan` merged, handed over one at a time, in order, by
/// `source(i)` (its bookmarks and where its bytes come from), so that a
/// large book need not hold every piece at once: each is dropped once
/// written.
pub fn merge_each<'p>(
    plan: &Plan<'_>,
    mut source: impl FnMut(usize) -> Result<(Vec<Bookmark>, Source<'p>)>,
    metadata: &Metadata<'_>,
) -> Result<Written> {
    let mut file = MergedFile::with_capacity(plan.size);
    file.pad();
    let mut forms = Vec::new();
    let mut tree = tags::Merged::default();
    let (mut kids, mut starts, mut bookmarks) = (Vec::new(), Vec::new(), Vec::new());
    let mut segments = Vec::with_capacity(plan.stamps.len() + plan.pieces.len());
    for (i, (head, slot)) in plan.heads().zip(plan.slots()).enumerate() {
        let (marks, from) = source(i)?;
        let first = slot.first_page as usize;
        let own = match head.stamped {
            true => forms.get(first..first + head.pages.len()).ok_or_else(|| {
                anyhow!(
                    "{} stamps for {} pages",
                    forms.len(),
                    first + head.pages.len()
                )
            })?,
            false => &[],
        };
        segments.push(match from {
            Source::Piece(piece) => file.write_piece(&piece, slot, own),
            Source::Previous(segment) => file.keep(segment, slot)?,
        });
        let pages = head.pages.iter().map(|page| slot.base + page);
        if i < plan.stamps.len() {
            forms.extend(pages);
            continue;
        }
        if let Some(tags) = &head.tags {
            tree.add(tags, slot.base, slot.key_base);
        }
        starts.push(kids.len());
        kids.extend(pages);
        bookmarks.push(marks);
    }
    if !forms.is_empty() && forms.len() != kids.len() {
        return Err(anyhow!("{} stamps for {} pages", forms.len(), kids.len()));
    }
    file.add(PAGE_TREE_OBJECT, &page_tree(&kids))?;
    if plan.tagged {
        for (number, object) in tree.objects(metadata.language, DOCUMENT_OBJECT, STRUCT_ROOT_OBJECT)
        {
            file.add(number, &object)?;
        }
    }
    let outline = file.add_outline(&placed(bookmarks.iter(), &starts, &kids))?;
    let xmp = file.next_number();
    file.add(xmp, &catalog::xmp_stream(metadata))?;
    let catalog = file.next_number();
    file.add(
        catalog,
        &catalog::catalog_dict(metadata, outline, plan.tagged, xmp),
    )?;
    let info = file.next_number();
    file.add(info, &Object::Dictionary(catalog::info_dict(metadata)))?;
    let (bytes, splices) = file.finish_spliced(catalog, info);
    Ok(Written {
        bytes,
        splices,
        segments,
    })
}

/// The number after which the pieces are numbered: the page tree comes
/// first, then the structure tree's two objects if there is one.
fn first_base(tagged: bool) -> u32 {
    match tagged {
        true => STRUCT_ROOT_OBJECT,
        false => PAGE_TREE_OBJECT,
    }
}

/// Each piece's bookmarks pointing at its pages in the merged file: the
/// pieces start at page `starts[i]` of `kids`.
fn placed<'b>(
    bookmarks: impl Iterator<Item = &'b Vec<Bookmark>>,
    starts: &[usize],
    kids: &[u32],
) -> Vec<outline::Placed<'b>> {
    bookmarks
        .zip(starts)
        .flat_map(|(marks, start)| {
            marks.iter().filter_map(move |b| {
                Some(outline::Placed {
                    level: b.level,
                    title: &b.title,
                    page: *kids.get(start + b.page as usize)?,
                })
            })
        })
        .collect()
}

fn page_tree(kids: &[u32]) -> Object {
    Object::Dictionary(Dictionary::from_iter([
        ("Type", Object::Name(b"Pages".to_vec())),
        (
            "Kids",
            Object::Array(kids.iter().map(|k| reference(*k)).collect()),
        ),
        ("Count", Object::Integer(kids.len() as i64)),
    ]))
}

fn reference(number: u32) -> Object {
    Object::Reference((number, 0))
}

#[cfg(test)]
mod tests;
