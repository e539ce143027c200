//! The pack's answer key, assembled from the modules' answer keys.
//!
//! Typesetting the answer key of a large pack in one Typst document costs
//! as much as all the module keys together, and all of it again after any
//! edit. Instead its pages are the module keys' own pages, copied after a
//! cover page listing the modules, with a bookmark per module. Each module's
//! part keeps its own "Page X of Y", so a trainer can print one module's
//! part alone.

use anyhow::{Context, Result, anyhow};
use lopdf::{Bookmark, Dictionary, Document, Object, ObjectId, StringFormat};
use rayon::prelude::*;

/// One module's part of the merged document.
pub struct Part<'a> {
    /// "Module 4: …", for the bookmark.
    pub label: String,
    /// The module's answer key, as a PDF.
    pub pdf: &'a [u8],
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

/// The number of pages of a PDF.
pub fn page_count(pdf: &[u8]) -> Result<usize> {
    let document = Document::load_mem(pdf).context("cannot read a module's answer key")?;
    Ok(document.get_pages().len())
}

/// The cover followed by every part, with a bookmark per part.
pub fn merge(cover: &[u8], parts: &[Part<'_>], metadata: &Metadata<'_>) -> Result<Vec<u8>> {
    let mut merged = Document::with_version("1.7");
    let pages_id = merged.new_object_id();
    let mut kids = Vec::new();
    let mut next_id = merged.max_id + 1;
    let mut first_pages = Vec::new();
    // Reading is most of the work: the parts are read on all cores.
    let documents: Vec<&[u8]> = std::iter::once(cover)
        .chain(parts.iter().map(|p| p.pdf))
        .collect();
    let documents = documents
        .par_iter()
        .map(|bytes| Document::load_mem(bytes).context("cannot read a module's answer key"))
        .collect::<Result<Vec<_>>>()?;
    for (index, mut document) in documents.into_iter().enumerate() {
        document.renumber_objects_with(next_id);
        next_id = document.max_id + 1;
        let pages: Vec<ObjectId> = document.get_pages().into_values().collect();
        if index > 0 {
            first_pages.push(
                *pages
                    .first()
                    .ok_or_else(|| anyhow!("a module's answer key has no pages"))?,
            );
        }
        copy_pages(&mut merged, document, &pages, pages_id)?;
        kids.extend(pages);
    }
    merged.max_id = next_id;
    let count = kids.len();
    let kids: Vec<Object> = kids.into_iter().map(Object::Reference).collect();
    merged.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(count as i64)),
        ])),
    );
    for (part, page) in parts.iter().zip(first_pages) {
        merged.add_bookmark(
            Bookmark::new(part.label.clone(), [0.0, 0.0, 0.0], 0, page),
            None,
        );
    }
    let outline = merged.build_outline();
    finish(&mut merged, pages_id, outline, metadata);
    merged.prune_objects();
    let mut out = Vec::new();
    merged
        .save_to(&mut out)
        .context("cannot write the pack's answer key")?;
    Ok(out)
}

/// Moves the pages of `document`, and everything they refer to, into
/// `merged`, under the new page tree. The rest (the old catalog and page
/// tree, the structure tree) stays behind.
fn copy_pages(
    merged: &mut Document,
    document: Document,
    pages: &[ObjectId],
    parent: ObjectId,
) -> Result<()> {
    let mut objects = document.objects;
    for page in pages {
        if let Some(Object::Dictionary(dict)) = objects.get_mut(page) {
            dict.set("Parent", Object::Reference(parent));
            // Struct-tree links point into a tree that is not copied.
            dict.remove(b"StructParents");
        }
    }
    merged.objects.extend(objects);
    Ok(())
}

fn finish(
    merged: &mut Document,
    pages_id: ObjectId,
    outline: Option<ObjectId>,
    metadata: &Metadata<'_>,
) {
    let mut catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Lang", text(metadata.language)),
    ]);
    if let Some(outline) = outline {
        catalog.set("Outlines", Object::Reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let catalog_id = merged.add_object(catalog);
    let mut info = Dictionary::from_iter([
        ("Title", text(metadata.title)),
        (
            "Producer",
            text(&format!("trainpack {}", env!("CARGO_PKG_VERSION"))),
        ),
    ]);
    if !metadata.authors.is_empty() {
        info.set("Author", text(&metadata.authors.join(", ")));
    }
    if let Some(date) = &metadata.date {
        info.set(
            "CreationDate",
            Object::String(date.clone().into_bytes(), StringFormat::Literal),
        );
    }
    let info_id = merged.add_object(info);
    merged.trailer.set("Root", Object::Reference(catalog_id));
    merged.trailer.set("Info", Object::Reference(info_id));
}

/// A PDF text string: PDFDocEncoding for ASCII, UTF-16BE otherwise.
fn text(value: &str) -> Object {
    if value.is_ascii() {
        return Object::String(value.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(value.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}
