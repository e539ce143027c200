//! The course book's page numbers, drawn over its pages when it is bound.
//!
//! A part of the book that printed its own "Page X of Y" would depend on
//! where it falls: one part a page longer would renumber every part after
//! it, and all of them would be typeset again. So the parts leave the
//! number out, and the numbers are typeset apart, alone on otherwise empty
//! pages. Each such page becomes a form XObject, and each page of the book
//! draws one over its content, as an artifact: screen readers skip it, as
//! they skip the running footer it belongs to.

use anyhow::{Context, Result, anyhow};
use lopdf::{Dictionary, Object, ObjectId, Stream};
use std::collections::BTreeMap;

use super::{PagesAs, Piece, STAMP_OBJECT, Tagging};

/// The name a stamped page gives its stamp among its XObjects.
const STAMP_NAME: &[u8] = b"TpStamp";

/// Drawn after a page's own content: its graphics state restored (it
/// opened with a `q`), then the stamp, as a pagination artifact.
const DRAW_STAMP: &[u8] =
    b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n/TpStamp Do\nEMC\n";

impl Piece {
    /// Reads a part of the course book into a piece whose pages each draw
    /// a stamp over their content: the merged file gives page `i` the
    /// form XObject of stamp page `i` (see [`super::merge_stamped`]).
    pub fn stamped(pdf: &[u8]) -> Result<Piece> {
        Piece::read_as(pdf, Tagging::Keep, PagesAs::Stamped)
    }

    /// Reads a PDF of stamps into a piece whose "pages" are form XObjects,
    /// one drawing each of its pages.
    pub fn stamps(pdf: &[u8]) -> Result<Piece> {
        Piece::read_as(pdf, Tagging::Drop, PagesAs::Forms)
    }
}

/// Makes each of `pages` draw the stamp [`STAMP_OBJECT`] over its content.
pub(super) fn draw_stamps(
    objects: &mut BTreeMap<ObjectId, Object>,
    pages: &[ObjectId],
) -> Result<()> {
    let mut next = next_id(objects);
    let open = add(
        objects,
        &mut next,
        Object::Stream(Stream::new(Dictionary::new(), b"q\n".to_vec())),
    );
    let close = add(
        objects,
        &mut next,
        Object::Stream(Stream::new(Dictionary::new(), DRAW_STAMP.to_vec())),
    );
    for page in pages {
        let (contents, resources) = {
            let dict = page_of(objects, *page)?;
            (
                dict.get(b"Contents").ok().cloned(),
                dict.get(b"Resources").ok().cloned(),
            )
        };
        let mut drawn = vec![Object::Reference(open)];
        match contents {
            Some(Object::Array(items)) => drawn.extend(items),
            Some(contents) => drawn.push(contents),
            None => {}
        }
        drawn.push(Object::Reference(close));
        let mut resources = resolved(objects, resources);
        let mut xobjects = resolved(objects, resources.get(b"XObject").ok().cloned());
        xobjects.set(STAMP_NAME, Object::Reference(STAMP_OBJECT));
        resources.set("XObject", Object::Dictionary(xobjects));
        let dict = page_mut(objects, *page)?;
        dict.set("Contents", Object::Array(drawn));
        dict.set("Resources", Object::Dictionary(resources));
    }
    Ok(())
}

/// A form XObject drawing each of `pages`, added to `objects`, in order.
pub(super) fn forms(
    objects: &mut BTreeMap<ObjectId, Object>,
    pages: &[ObjectId],
) -> Result<Vec<ObjectId>> {
    let mut next = next_id(objects);
    let mut forms = Vec::with_capacity(pages.len());
    for page in pages {
        let dict = page_of(objects, *page)?;
        let bounds = dict
            .get(b"MediaBox")
            .cloned()
            .context("a stamp page has no MediaBox")?;
        let resources = dict
            .get(b"Resources")
            .cloned()
            .unwrap_or(Object::Dictionary(Dictionary::new()));
        let content = content_of(objects, dict.get(b"Contents").ok())?;
        let form = Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            ("BBox", bounds),
            ("Resources", resources),
        ]);
        let mut stream = Stream::new(form, content);
        // Small and drawn on every page: compressed when it pays.
        let _ = stream.compress();
        forms.push(add(objects, &mut next, Object::Stream(stream)));
    }
    Ok(forms)
}

/// A page's content, its streams decompressed and joined.
fn content_of(objects: &BTreeMap<ObjectId, Object>, contents: Option<&Object>) -> Result<Vec<u8>> {
    let ids: Vec<ObjectId> = match contents {
        Some(Object::Reference(id)) => vec![*id],
        Some(Object::Array(items)) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    };
    let mut content = Vec::new();
    for id in ids {
        let Some(Object::Stream(stream)) = objects.get(&id) else {
            return Err(anyhow!("a stamp page's content is not a stream"));
        };
        match stream.decompressed_content() {
            Ok(bytes) => content.extend_from_slice(&bytes),
            Err(_) => content.extend_from_slice(&stream.content),
        }
        content.push(b'\n');
    }
    Ok(content)
}

/// A dictionary given inline or by reference, copied; empty when absent.
fn resolved(objects: &BTreeMap<ObjectId, Object>, value: Option<Object>) -> Dictionary {
    match value {
        Some(Object::Dictionary(dict)) => dict,
        Some(Object::Reference(id)) => match objects.get(&id) {
            Some(Object::Dictionary(dict)) => dict.clone(),
            _ => Dictionary::new(),
        },
        _ => Dictionary::new(),
    }
}

fn page_of(objects: &BTreeMap<ObjectId, Object>, page: ObjectId) -> Result<&Dictionary> {
    match objects.get(&page) {
        Some(Object::Dictionary(dict)) => Ok(dict),
        _ => Err(anyhow!("a page is not a dictionary")),
    }
}

fn page_mut(objects: &mut BTreeMap<ObjectId, Object>, page: ObjectId) -> Result<&mut Dictionary> {
    match objects.get_mut(&page) {
        Some(Object::Dictionary(dict)) => Ok(dict),
        _ => Err(anyhow!("a page is not a dictionary")),
    }
}

fn next_id(objects: &BTreeMap<ObjectId, Object>) -> u32 {
    objects.keys().map(|(number, _)| *number).max().unwrap_or(0) + 1
}

fn add(objects: &mut BTreeMap<ObjectId, Object>, next: &mut u32, object: Object) -> ObjectId {
    let id = (*next, 0);
    *next += 1;
    objects.insert(id, object);
    id
}
