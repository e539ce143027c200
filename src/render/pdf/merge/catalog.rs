//! The merged file's own objects besides its pages: the catalog, the
//! document information dictionary and the XMP metadata stream.

use lopdf::{Dictionary, Object, StringFormat};

use super::file::text;
use super::{Metadata, PAGE_TREE_OBJECT, STRUCT_ROOT_OBJECT, reference, xmp};

pub(super) fn catalog_dict(
    metadata: &Metadata<'_>,
    outline: Option<u32>,
    tagged: bool,
    xmp: u32,
) -> Object {
    let mut catalog = Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", reference(PAGE_TREE_OBJECT)),
        ("Lang", text(metadata.language)),
        ("Metadata", reference(xmp)),
    ]);
    if tagged {
        catalog.set("StructTreeRoot", reference(STRUCT_ROOT_OBJECT));
        catalog.set(
            "MarkInfo",
            Object::Dictionary(Dictionary::from_iter([("Marked", Object::Boolean(true))])),
        );
        // Readers then show the title, not the file's name.
        catalog.set(
            "ViewerPreferences",
            Object::Dictionary(Dictionary::from_iter([(
                "DisplayDocTitle",
                Object::Boolean(true),
            )])),
        );
    }
    if let Some(outline) = outline {
        catalog.set("Outlines", reference(outline));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    Object::Dictionary(catalog)
}

/// The XMP metadata stream, uncompressed as PDF/A wants it.
pub(super) fn xmp_stream(metadata: &Metadata<'_>) -> Object {
    let dict = Dictionary::from_iter([
        ("Type", Object::Name(b"Metadata".to_vec())),
        ("Subtype", Object::Name(b"XML".to_vec())),
    ]);
    Object::Stream(lopdf::Stream::new(dict, xmp::packet(metadata).into_bytes()))
}

pub(super) fn info_dict(metadata: &Metadata<'_>) -> Dictionary {
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
    info
}
