//! The lines that open and close blocks: `:::` fences (and fences that
//! sit in a block quote), indentation, and level-2 headings.

/// A line of three or more colons: a block fence.
pub(super) struct DivFence<'a> {
    pub(super) indent: usize,
    pub(super) colons: usize,
    pub(super) rest: &'a str,
    pub(super) rest_start: usize,
}

pub(super) fn div_fence(text: &str) -> Option<DivFence<'_>> {
    let trimmed = text.trim_start();
    let colons = trimmed.chars().take_while(|c| *c == ':').count();
    if colons < 3 {
        return None;
    }
    let rest_start = text.len() - trimmed.len() + colons;
    Some(DivFence {
        indent: indent_width(&text[..text.len() - trimmed.len()]),
        colons,
        rest: &text[rest_start..],
        rest_start,
    })
}

pub(super) fn quoted_fence(text: &str) -> bool {
    let trimmed = text.trim_start();
    trimmed.starts_with('>')
        && trimmed
            .trim_start_matches(['>', ' ', '\t'])
            .starts_with(":::")
}

/// Columns of leading white space, with tabs to the next multiple of 4.
pub fn indent_width(text: &str) -> usize {
    let mut width = 0;
    for c in text.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// Removes up to `columns` columns of leading white space.
pub fn dedent(text: &str, columns: usize) -> &str {
    let mut width = 0;
    for (i, c) in text.char_indices() {
        if width >= columns {
            return &text[i..];
        }
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => return &text[i..],
        }
    }
    ""
}

pub(super) fn is_level2_heading(text: &str) -> bool {
    let indent = text.len() - text.trim_start_matches(' ').len();
    let rest = &text[indent..];
    indent <= 3
        && rest.starts_with("##")
        && !rest.starts_with("###")
        && rest[2..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}
