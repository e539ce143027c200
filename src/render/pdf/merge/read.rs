//! What reading a PDF into a piece needs: its pages detached from their
//! page tree, and the objects they use.

use lopdf::{Dictionary, Object, ObjectId};
use rustc_hash::FxHashSet;

use super::{INHERITED, PARENT};

/// Points `page` at the merged page tree, with what it inherited from its
/// own.
pub(super) fn detach(objects: &mut std::collections::BTreeMap<ObjectId, Object>, page: ObjectId) {
    let mut inherited = Vec::new();
    let mut parent = page_dict(objects, page).and_then(|d| d.get(b"Parent").ok().cloned());
    while let Some(Object::Reference(id)) = parent {
        let Some(tree) = page_dict(objects, id) else {
            break;
        };
        for key in INHERITED {
            if let Ok(value) = tree.get(key) {
                inherited.push((key, value.clone()));
            }
        }
        parent = tree.get(b"Parent").ok().cloned();
    }
    if let Some(Object::Dictionary(dict)) = objects.get_mut(&page) {
        // The nearest ancestor's value comes first and wins.
        for (key, value) in inherited {
            if !dict.has(key) {
                dict.set(key, value);
            }
        }
        dict.set("Parent", Object::Reference(PARENT));
    }
}

fn page_dict(
    objects: &std::collections::BTreeMap<ObjectId, Object>,
    id: ObjectId,
) -> Option<&Dictionary> {
    match objects.get(&id) {
        Some(Object::Dictionary(dict)) => Some(dict),
        _ => None,
    }
}

/// A prefix for the IDs of a PDF's structure elements, which Typst numbers
/// alike in every file: the same for the same file, so that the course
/// key is the same for the same modules.
pub(super) fn id_prefix(pdf: &[u8]) -> Vec<u8> {
    format!("m{}-", &blake3::hash(pdf).to_hex()[..10]).into_bytes()
}

/// The objects used, directly or not, from `starts`, in their original
/// order.
pub(super) fn used_by(
    objects: &std::collections::BTreeMap<ObjectId, Object>,
    starts: &[ObjectId],
) -> Vec<ObjectId> {
    // A start the file does not hold (a broken parent tree) is skipped.
    let mut waiting: Vec<ObjectId> = starts
        .iter()
        .copied()
        .filter(|id| objects.contains_key(id))
        .collect();
    let mut seen: FxHashSet<ObjectId> = waiting.iter().copied().collect();
    while let Some(id) = waiting.pop() {
        if let Some(object) = objects.get(&id) {
            visit_references(object, &mut |target| {
                if objects.contains_key(&target) && seen.insert(target) {
                    waiting.push(target);
                }
            });
        }
    }
    let mut used: Vec<ObjectId> = seen.into_iter().collect();
    used.sort_unstable();
    used
}

pub(super) fn visit_references(object: &Object, visit: &mut impl FnMut(ObjectId)) {
    match object {
        Object::Reference(id) => visit(*id),
        Object::Array(items) => items.iter().for_each(|o| visit_references(o, visit)),
        Object::Dictionary(dict) => dict.iter().for_each(|(_, o)| visit_references(o, visit)),
        Object::Stream(stream) => stream
            .dict
            .iter()
            .for_each(|(_, o)| visit_references(o, visit)),
        _ => {}
    }
}
