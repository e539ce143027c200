//! The links of each body, read once when the body is complete, as the
//! renderer will read that body ([`crate::load::markdown::links`]), and placed
//! back in the file: a body's Markdown lines are its source lines without
//! some of their indentation, and [`crate::model::Body::lines`] says which.

use std::ops::Range;

use super::LinkRef;
use crate::diag::SourceFile;
use crate::load::markdown::links::find_links;

/// Collects the links of the bodies of one file.
#[derive(Debug, Default)]
pub(super) struct LinkCollector {
    /// Where each line of the file starts, counted when a first body has
    /// links (most bodies have none).
    starts: Option<Vec<usize>>,
}

impl LinkCollector {
    /// Appends to `out` the links of a body of `file`: `markdown`, whose
    /// line `i` is (a suffix of) source line `lines[i]`.
    pub(super) fn collect(
        &mut self,
        file: &SourceFile,
        markdown: &str,
        lines: &[u32],
        out: &mut Vec<LinkRef>,
    ) {
        let found = find_links(markdown);
        if found.is_empty() {
            return;
        }
        let starts = self.starts.get_or_insert_with(|| line_starts(&file.text));
        let places = Places {
            text: &file.text,
            starts,
            markdown,
            markdown_starts: line_starts(markdown),
            lines,
        };
        out.extend(found.into_iter().map(|link| LinkRef {
            span: places.span(&link.span),
            dest: link.dest,
            kind: link.kind,
            image: link.image,
            alt_missing: link.alt_missing,
        }));
    }
}

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Maps offsets in a body's Markdown to offsets in its file.
struct Places<'a> {
    text: &'a str,
    starts: &'a [usize],
    markdown: &'a str,
    markdown_starts: Vec<usize>,
    lines: &'a [u32],
}

impl Places<'_> {
    fn span(&self, span: &Range<usize>) -> Range<usize> {
        let start = self.offset(span.start);
        start..self.offset(span.end).max(start)
    }

    fn offset(&self, offset: usize) -> usize {
        let index = self
            .markdown_starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let line_start = self.markdown_starts[index];
        let line = line_of(self.markdown, line_start);
        let Some(source) = self
            .lines
            .get(index)
            .and_then(|l| (*l as usize).checked_sub(1))
            .and_then(|l| self.starts.get(l))
        else {
            return self.text.len();
        };
        let source_line = line_of(self.text, *source);
        // The body's line is the source line less some indentation.
        let lead = if source_line.ends_with(line) {
            source_line.len() - line.len()
        } else {
            0
        };
        (source + lead + (offset - line_start)).min(source + source_line.len())
    }
}

/// The line of `text` that starts at `start`, without its `\n`.
fn line_of(text: &str, start: usize) -> &str {
    let rest = &text[start.min(text.len())..];
    rest.split('\n').next().unwrap_or("")
}
