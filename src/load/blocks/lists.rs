//! Splits the Markdown of a block into its top-level list items: the
//! questions of a `questions` block or a quiz, the steps of `steps`, the
//! numbered answers of `answers`.
//!
//! It follows CommonMark's list rules closely enough for these blocks: an
//! item runs until the next item marker at the list's indentation, and keeps
//! its indented continuation lines (options, nested lists, blocks) with that
//! indentation removed. Item text keeps one line per source line, so line
//! numbers can be mapped back.

use crate::load::blocks::{dedent, indent_width};

/// One top-level item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// True for `1.` / `1)`, false for `-`, `*`, `+`.
    pub ordered: bool,
    /// The 0-based line of the marker within the Markdown given.
    pub line: usize,
    /// The item's content without its marker; continuation lines dedented.
    pub text: String,
}

/// The items of a list and the lines that belong to none.
#[derive(Debug, Default)]
pub struct Split {
    /// The items, in order.
    pub items: Vec<Item>,
    /// 0-based lines with text that is not part of any item.
    pub stray: Vec<usize>,
}

/// Splits `markdown` into top-level list items.
pub fn split(markdown: &str) -> Split {
    let mut out = Split::default();
    let mut current: Option<(Item, usize)> = None;
    let mut previous_blank = true;
    for (i, line) in markdown.lines().enumerate() {
        let blank = line.trim().is_empty();
        let continues = current
            .as_ref()
            .is_some_and(|(_, content_indent)| indent_width(line) >= *content_indent);
        if let (false, Some((ordered, content_indent, rest))) = (continues, item_start(line)) {
            finish(&mut out, current.take());
            current = Some((
                Item {
                    ordered,
                    line: i,
                    text: rest.to_string(),
                },
                content_indent,
            ));
        } else if let Some((item, content_indent)) = current.as_mut() {
            let indent = indent_width(line);
            if blank {
                item.text.push('\n');
            } else if indent >= *content_indent {
                item.text.push('\n');
                item.text.push_str(dedent(line, *content_indent));
            } else if !previous_blank {
                // A lazy continuation line of the item's paragraph.
                item.text.push('\n');
                item.text.push_str(line.trim_start());
            } else {
                finish(&mut out, current.take());
                out.stray.push(i);
            }
        } else if !blank {
            out.stray.push(i);
        }
        previous_blank = blank;
    }
    finish(&mut out, current);
    out
}

fn finish(out: &mut Split, current: Option<(Item, usize)>) {
    if let Some((mut item, _)) = current {
        let trimmed = item.text.trim_end().len();
        item.text.truncate(trimmed);
        out.items.push(item);
    }
}

/// Reads a list marker at the start of a line (up to 3 spaces in):
/// (ordered, column where the content starts, content).
fn item_start(line: &str) -> Option<(bool, usize, &str)> {
    let indent = indent_width(line);
    if indent > 3 {
        return None;
    }
    let rest = line.trim_start();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let (ordered, marker_len) = if digits > 0 && digits <= 9 {
        match rest.as_bytes().get(digits) {
            Some(b'.' | b')') => (true, digits + 1),
            _ => return None,
        }
    } else if rest.starts_with(['-', '*', '+']) {
        (false, 1)
    } else {
        return None;
    };
    let after = &rest[marker_len..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let spaces = after.len() - after.trim_start().len();
    let spaces = if (1..=4).contains(&spaces) { spaces } else { 1 };
    Some((ordered, indent + marker_len + spaces, after.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_items_with_continuations() {
        let split = split("1. First\n   more of it\n2. Second\n\n   - nested\n3. Third\n");
        let texts: Vec<&str> = split.items.iter().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, ["First\nmore of it", "Second\n\n- nested", "Third"]);
        assert_eq!(split.items[2].line, 5);
        assert!(split.stray.is_empty());
    }

    #[test]
    fn text_after_the_list_is_stray() {
        let split = split("Intro\n1. One\n\nAfter\n");
        assert_eq!(split.items.len(), 1);
        assert_eq!(split.stray, [0, 3]);
    }

    #[test]
    fn lazy_continuation_stays_in_the_item() {
        let split = split("- 5 min: Introduce\nthe task\n- 10 min: Work\n");
        assert_eq!(split.items[0].text, "5 min: Introduce\nthe task");
    }

    #[test]
    fn indented_markers_belong_to_the_item() {
        let split = split("1. Who?\n   - [ ] A\n   - [x] B\n2. Why?\n");
        assert_eq!(split.items.len(), 2);
        assert_eq!(split.items[0].text, "Who?\n- [ ] A\n- [x] B");
    }

    #[test]
    fn a_dash_without_space_is_not_an_item() {
        assert!(item_start("-5 min").is_none());
        assert!(item_start("12.5 percent").is_none());
    }
}
