//! The structure tree of a tagged PDF, carried from the module keys into
//! the course key, so that a screen reader reads the course key as it
//! reads each module's: headings, lists, tables with their headers.
//!
//! A piece keeps the elements under its tree's root, its parent tree (the
//! elements each page's marked content belongs to, by the page's
//! `StructParents` key), its ID tree and role map. In the course key each
//! module's `Document` element becomes a `Part` of one `Document`, the
//! parent tree keys of each piece follow the ones before, and the IDs,
//! which Typst numbers alike in every file, get a prefix of their own.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use serde::{Deserialize, Serialize};

use super::reference;

/// Stands for the course key's `Document` element while a piece is made.
pub const STRUCT_PARENT: ObjectId = (0, 1);

/// Parent tree keys a piece may use: far more than its pages and links
/// need (one each), few enough that adding them up stays a plain number.
pub const MAX_KEY: u32 = 1 << 21;

/// A piece's part of the structure tree, with the piece's object numbers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tags {
    /// The elements right under the tree's root.
    pub kids: Vec<u32>,
    /// The parent tree: a key and the object it maps to, by key.
    pub parents: Vec<(u32, u32)>,
    /// One more than the highest key the piece uses.
    pub next_key: u32,
    /// The ID tree: an element's ID and the element, by ID.
    pub ids: Vec<(Vec<u8>, u32)>,
    /// The role map: a custom type and the standard type it stands for.
    pub roles: Vec<(Vec<u8>, Vec<u8>)>,
}

/// The tree as read, with the file's object IDs.
pub struct Tree {
    kids: Vec<ObjectId>,
    parents: Vec<(u32, ObjectId)>,
    next_key: u32,
    ids: Vec<(Vec<u8>, ObjectId)>,
    roles: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Tree {
    /// Reads the structure tree of `document`, if it is tagged, and makes
    /// it ready to be copied: the top elements become parts pointing at
    /// [`STRUCT_PARENT`], IDs get `prefix`, and parent tree values that
    /// are not objects of their own become objects.
    pub fn take(document: &mut Document, prefix: &[u8]) -> Result<Option<Tree>> {
        let Some(root) = struct_root(document) else {
            return Ok(None);
        };
        let kids = references(root.get(b"K").ok());
        let mut parents = Vec::new();
        if let Ok(tree) = root.get(b"ParentTree") {
            leaves(document, tree, b"Nums", &mut parents, 0)?;
        }
        let mut ids = Vec::new();
        if let Ok(tree) = root.get(b"IDTree") {
            leaves(document, tree, b"Names", &mut ids, 0)?;
        }
        let roles = match root.get(b"RoleMap").map(|o| document.dereference(o)) {
            Ok(Ok((_, Object::Dictionary(map)))) => map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_name().ok()?.to_vec())))
                .collect(),
            _ => Vec::new(),
        };
        let mut tree = Tree {
            kids,
            parents: Vec::with_capacity(parents.len()),
            next_key: 0,
            ids: Vec::with_capacity(ids.len()),
            roles,
        };
        for (key, value) in parents {
            let key = key
                .as_i64()
                .ok()
                .and_then(|k| u32::try_from(k).ok())
                .filter(|k| *k < MAX_KEY)
                .context("a parent tree key is not a number, or too large")?;
            tree.next_key = tree.next_key.max(key + 1);
            tree.parents.push((key, object_of(document, value)));
        }
        tree.next_key = tree.next_key.max(next_key(&root));
        for (id, value) in ids {
            if let (Object::String(id, _), Object::Reference(element)) = (id, value) {
                tree.ids.push((prefixed(prefix, &id), element));
            }
        }
        tree.prepare(document, prefix);
        Ok(Some(tree))
    }

    /// The objects the tree starts from, to copy with all they use.
    pub fn starts(&self) -> impl Iterator<Item = ObjectId> + '_ {
        self.kids
            .iter()
            .chain(self.parents.iter().map(|(_, o)| o))
            .chain(self.ids.iter().map(|(_, o)| o))
            .copied()
    }

    /// The tree with the piece's numbers, where `number` gives them.
    pub fn numbered(self, number: impl Fn(ObjectId) -> Option<u32>) -> Tags {
        let mut parents: Vec<(u32, u32)> = self
            .parents
            .into_iter()
            .filter_map(|(key, o)| Some((key, number(o)?)))
            .collect();
        parents.sort_unstable();
        let mut ids: Vec<(Vec<u8>, u32)> = self
            .ids
            .into_iter()
            .filter_map(|(id, o)| Some((id, number(o)?)))
            .collect();
        ids.sort_unstable();
        Tags {
            kids: self.kids.into_iter().filter_map(number).collect(),
            parents,
            next_key: self.next_key,
            ids,
            roles: self.roles,
        }
    }

    fn prepare(&self, document: &mut Document, prefix: &[u8]) {
        for kid in &self.kids {
            if let Some(Object::Dictionary(element)) = document.objects.get_mut(kid) {
                if element.get(b"S").and_then(Object::as_name).ok() == Some(b"Document") {
                    element.set("S", Object::Name(b"Part".to_vec()));
                }
                element.set("P", Object::Reference(STRUCT_PARENT));
            }
        }
        let elements: Vec<ObjectId> = document
            .objects
            .iter()
            .filter(|(_, o)| is_element(o))
            .map(|(id, _)| *id)
            .collect();
        for id in elements {
            let attributes = match document.objects.get_mut(&id) {
                Some(Object::Dictionary(element)) => prefix_element(element, prefix),
                _ => Vec::new(),
            };
            for attribute in attributes {
                if let Some(Object::Dictionary(dict)) = document.objects.get_mut(&attribute) {
                    prefix_headers(dict, prefix);
                }
            }
        }
    }
}

fn struct_root(document: &Document) -> Option<Dictionary> {
    let root = document.catalog().ok()?.get(b"StructTreeRoot").ok()?;
    match document.dereference(root).ok()?.1 {
        Object::Dictionary(dict) => Some(dict.clone()),
        _ => None,
    }
}

fn next_key(root: &Dictionary) -> u32 {
    root.get(b"ParentTreeNextKey")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|k| u32::try_from(k).ok())
        .unwrap_or(0)
        .min(MAX_KEY)
}

fn references(object: Option<&Object>) -> Vec<ObjectId> {
    match object {
        Some(Object::Reference(id)) => vec![*id],
        Some(Object::Array(items)) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    }
}

/// Adds the (key, value) pairs of a number or name tree, whose leaves hold
/// them in `entries` (`Nums` or `Names`) and whose other nodes in `Kids`.
fn leaves(
    document: &Document,
    node: &Object,
    entries: &[u8],
    out: &mut Vec<(Object, Object)>,
    depth: usize,
) -> Result<()> {
    // A tree whose kids lead back to it would never end.
    anyhow::ensure!(
        depth < 64,
        "the structure tree's number or name tree is too deep"
    );
    let node = match document.dereference(node)?.1 {
        Object::Dictionary(dict) => dict,
        _ => return Ok(()),
    };
    if let Ok(Object::Array(items)) = node.get(entries) {
        for pair in items.chunks_exact(2) {
            out.push((pair[0].clone(), pair[1].clone()));
        }
    }
    for kid in references(node.get(b"Kids").ok()) {
        leaves(document, &Object::Reference(kid), entries, out, depth + 1)?;
    }
    Ok(())
}

/// The object a parent tree value is, made an object of its own when it
/// is written in place.
fn object_of(document: &mut Document, value: Object) -> ObjectId {
    match value {
        Object::Reference(id) => id,
        other => document.add_object(other),
    }
}

fn is_element(object: &Object) -> bool {
    matches!(object, Object::Dictionary(d)
        if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"StructElem"))
}

/// Prefixes the element's ID and the IDs its attributes name; returns the
/// attribute objects it refers to, to be prefixed too.
fn prefix_element(element: &mut Dictionary, prefix: &[u8]) -> Vec<ObjectId> {
    if let Ok(Object::String(id, _)) = element.get_mut(b"ID") {
        *id = prefixed(prefix, id);
    }
    let mut referred = Vec::new();
    match element.get_mut(b"A") {
        Ok(Object::Dictionary(dict)) => prefix_headers(dict, prefix),
        Ok(Object::Array(items)) => {
            for item in items {
                match item {
                    Object::Dictionary(dict) => prefix_headers(dict, prefix),
                    Object::Reference(id) => referred.push(*id),
                    _ => {}
                }
            }
        }
        Ok(Object::Reference(id)) => referred.push(*id),
        _ => {}
    }
    referred
}

fn prefix_headers(attributes: &mut Dictionary, prefix: &[u8]) {
    if let Ok(Object::Array(headers)) = attributes.get_mut(b"Headers") {
        for header in headers {
            if let Object::String(id, _) = header {
                *id = prefixed(prefix, id);
            }
        }
    }
}

fn prefixed(prefix: &[u8], id: &[u8]) -> Vec<u8> {
    [prefix, id].concat()
}

/// The course key's structure tree, gathered piece by piece.
#[derive(Debug, Default)]
pub struct Merged {
    kids: Vec<u32>,
    parents: Vec<(u32, u32)>,
    next_key: u32,
    ids: Vec<(Vec<u8>, u32)>,
    roles: BTreeMap<Vec<u8>, Vec<u8>>,
}

impl Merged {
    /// Adds a piece's tree, its objects numbered from `base` and its
    /// parent tree keys from `key_base` (past the keys of the pieces
    /// before).
    pub fn add(&mut self, tags: &Tags, base: u32, key_base: u32) {
        self.kids.extend(tags.kids.iter().map(|k| k + base));
        self.parents.extend(
            tags.parents
                .iter()
                .map(|(key, o)| (key.saturating_add(key_base), o + base)),
        );
        self.ids
            .extend(tags.ids.iter().map(|(id, o)| (id.clone(), o + base)));
        for (role, standard) in &tags.roles {
            self.roles
                .entry(role.clone())
                .or_insert_with(|| standard.clone());
        }
        self.next_key = self.next_key.max(key_base.saturating_add(tags.next_key));
    }

    /// The `Document` element over every piece's top elements, and the
    /// structure tree root over it.
    pub fn objects(self, language: &str, document: u32, root: u32) -> [(u32, Object); 2] {
        let element = Dictionary::from_iter([
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(b"Document".to_vec())),
            ("P", reference(root)),
            ("Lang", super::text(language)),
            ("K", references_to(self.kids)),
        ]);
        let nums = self
            .parents
            .into_iter()
            .flat_map(|(key, o)| [Object::Integer(key.into()), reference(o)])
            .collect();
        let mut tree = Dictionary::from_iter([
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", reference(document)),
            ("ParentTree", dictionary_of("Nums", Object::Array(nums))),
            ("ParentTreeNextKey", Object::Integer(self.next_key.into())),
        ]);
        if !self.roles.is_empty() {
            let map = self.roles.into_iter().map(|(k, v)| (k, Object::Name(v)));
            tree.set("RoleMap", Object::Dictionary(Dictionary::from_iter(map)));
        }
        if !self.ids.is_empty() {
            tree.set("IDTree", dictionary_of("Names", id_names(self.ids)));
        }
        [
            (document, Object::Dictionary(element)),
            (root, Object::Dictionary(tree)),
        ]
    }
}

fn references_to(numbers: Vec<u32>) -> Object {
    Object::Array(numbers.into_iter().map(reference).collect())
}

fn dictionary_of(key: &str, value: Object) -> Object {
    Object::Dictionary(Dictionary::from_iter([(key, value)]))
}

/// A name tree's `Names`: its keys in byte order.
fn id_names(mut ids: Vec<(Vec<u8>, u32)>) -> Object {
    ids.sort_unstable();
    Object::Array(
        ids.into_iter()
            .flat_map(|(id, o)| [Object::String(id, StringFormat::Literal), reference(o)])
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(next_key: u32, id: &str) -> Tags {
        Tags {
            kids: vec![1],
            parents: (0..next_key).map(|key| (key, 2 + key)).collect(),
            next_key,
            ids: vec![(id.as_bytes().to_vec(), 1)],
            roles: vec![(b"Title".to_vec(), b"P".to_vec())],
        }
    }

    #[test]
    fn each_piece_keys_start_at_its_key_base() {
        let mut merged = Merged::default();
        merged.add(&tags(3, "b"), 10, 0);
        merged.add(&tags(2, "a"), 20, 16);
        assert_eq!(merged.kids, [11, 21]);
        assert_eq!(
            merged.parents,
            [(0, 12), (1, 13), (2, 14), (16, 22), (17, 23)]
        );
        let [(_, document), (_, root)] = merged.objects("en", 2, 3);
        let kids = document.as_dict().unwrap().get(b"K").unwrap().clone();
        assert_eq!(kids, Object::Array(vec![(11, 0).into(), (21, 0).into()]));
        let root = root.as_dict().unwrap();
        assert_eq!(
            root.get(b"ParentTreeNextKey").unwrap(),
            &Object::Integer(18)
        );
        let ids = root.get(b"IDTree").unwrap().as_dict().unwrap();
        let names = ids.get(b"Names").unwrap().as_array().unwrap();
        let keys: Vec<&[u8]> = names
            .iter()
            .step_by(2)
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(keys, [b"a", b"b"], "a name tree is sorted");
        let roles = root.get(b"RoleMap").unwrap().as_dict().unwrap();
        assert_eq!(roles.len(), 1);
    }
}
