//! Bookmarks: read from a piece's own PDF, and written as one nested
//! outline for the merged file.

use anyhow::Result;
use lopdf::{Dictionary, Document, Object, Writer};
use serde::{Deserialize, Serialize};

use super::{MergedFile, reference, text, write_reference};

/// A bookmark of a piece: its depth, its title and the page it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// 1 for the top level.
    pub level: u8,
    /// What it says.
    pub title: String,
    /// The page it opens, counted from 0 within its piece.
    pub page: u32,
}

impl Bookmark {
    /// A bookmark at `level` to page `page` (from 0) of its piece.
    pub fn new(level: u8, title: &str, page: u32) -> Bookmark {
        Bookmark {
            level,
            title: title.to_string(),
            page,
        }
    }
}

/// The bookmarks of a PDF, in order; none when it has no outline.
pub(super) fn read(document: &Document) -> Vec<Bookmark> {
    let Ok(toc) = document.get_toc() else {
        return Vec::new();
    };
    toc.toc
        .into_iter()
        .filter(|entry| entry.page > 0)
        .map(|entry| Bookmark {
            level: u8::try_from(entry.level).unwrap_or(u8::MAX),
            title: entry.title,
            page: (entry.page - 1) as u32,
        })
        .collect()
}

/// A bookmark placed in the merged file: its page is an object number.
pub(super) struct Placed<'a> {
    pub(super) level: u8,
    pub(super) title: &'a str,
    pub(super) page: u32,
}

/// Each item's parent (an index, or `None` for the top level), with
/// levels that skip one (a level-3 heading under a level-1) nested one
/// step down instead.
fn parents(items: &[Placed<'_>]) -> Vec<Option<usize>> {
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut parents = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        while open.last().is_some_and(|(level, _)| *level >= item.level) {
            open.pop();
        }
        parents.push(open.last().map(|(_, i)| *i));
        open.push((item.level, index));
    }
    parents
}

impl MergedFile {
    /// The outline of `items`, nested by level, the top level open and
    /// the rest closed; the outline's number.
    pub(super) fn add_outline(&mut self, items: &[Placed<'_>]) -> Result<Option<u32>> {
        if items.is_empty() {
            return Ok(None);
        }
        let parents = parents(items);
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len() + 1];
        let root = items.len();
        for (index, parent) in parents.iter().enumerate() {
            children[parent.unwrap_or(root)].push(index);
        }
        // Each item's place among its siblings: the course book's appendix
        // has thousands of handouts, too many to search for each.
        let mut places = vec![0; items.len()];
        for siblings in &children {
            for (at, index) in siblings.iter().enumerate() {
                places[*index] = at;
            }
        }
        let first = self.next_number();
        let number = |index: usize| first + index as u32;
        // Written straight out, not as objects: a course book has tens of
        // thousands of items, and building each as a dictionary took most
        // of the time.
        for (index, item) in items.iter().enumerate() {
            let parent = parents[index].unwrap_or(root);
            let (siblings, at) = (&children[parent], places[index]);
            self.start_object(number(index));
            let out = &mut self.bytes;
            out.extend_from_slice(b"<</Title ");
            Writer::write_object(out, &text(item.title))?;
            out.extend_from_slice(b"/Parent ");
            write_reference(out, number(parent));
            out.extend_from_slice(b"/Dest[");
            write_reference(out, item.page);
            out.extend_from_slice(b"/Fit]");
            if at > 0 {
                out.extend_from_slice(b"/Prev ");
                write_reference(out, number(siblings[at - 1]));
            }
            if let Some(next) = siblings.get(at + 1) {
                out.extend_from_slice(b"/Next ");
                write_reference(out, number(*next));
            }
            let mut kids = Dictionary::new();
            link_children(&mut kids, &children[index], number, true);
            for (key, value) in &kids {
                Writer::write_object(out, &Object::Name(key.clone()))?;
                out.push(b' ');
                Writer::write_object(out, value)?;
            }
            out.extend_from_slice(b">>");
            self.end_object();
        }
        let mut outline = Dictionary::from_iter([("Type", Object::Name(b"Outlines".to_vec()))]);
        link_children(&mut outline, &children[root], number, false);
        self.add(number(root), &Object::Dictionary(outline))?;
        Ok(Some(number(root)))
    }
}

/// `First`, `Last` and `Count` of an item with `children`; a closed item's
/// count is negative.
fn link_children(
    dict: &mut Dictionary,
    children: &[usize],
    number: impl Fn(usize) -> u32,
    closed: bool,
) {
    let (Some(first), Some(last)) = (children.first(), children.last()) else {
        return;
    };
    dict.set("First", reference(number(*first)));
    dict.set("Last", reference(number(*last)));
    let count = children.len() as i64;
    dict.set(
        "Count",
        Object::Integer(if closed { -count } else { count }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(levels: &[u8]) -> Vec<Placed<'static>> {
        levels
            .iter()
            .map(|level| Placed {
                level: *level,
                title: "x",
                page: 1,
            })
            .collect()
    }

    #[test]
    fn items_nest_under_the_last_item_of_a_lower_level() {
        let items = placed(&[1, 2, 2, 1, 3, 2, 1]);
        assert_eq!(
            parents(&items),
            vec![None, Some(0), Some(0), None, Some(3), Some(3), None]
        );
    }
}
