//! Fenced `:::` blocks: reads a module or handout body line by line into the
//! block tree of [`crate::model`], and splits a module's notes into sections
//! at its level-2 headings.
//!
//! The scan is one pass over the lines. Lines inside code fences are code,
//! never fences. Each block is typed when its closing fence is read, so every
//! check that needs only the block and its parents (required attributes,
//! where a kind may sit, steps that add up) happens here; checks across the
//! pack are in `check.rs`. The links of each body are recorded for those
//! checks when the body is complete, read as the renderer reads them.

mod attrs;
mod braced;
mod counts;
mod ends;
mod fence;
mod kinds;
mod links;
pub mod lists;
mod near;
mod quiz;

use attrs::*;
use fence::*;
use lists::Item;
use quiz::*;

pub use attrs::parse_slide_range;
pub use fence::{dedent, indent_width};
pub use kinds::{humanise, is_valid_id};

use std::ops::Range;

use crate::diag::{Bearing, Diagnostic, SourceFile, nearest};
use crate::load::audience::read_audience;
pub use crate::load::markdown::links::LinkKind;
use crate::model::time::{DurationError, MAX_MINUTES, Minutes};
use crate::model::{
    Activity, Answers, Block, Body, Handout, HandoutAudience, HandoutRef, Note, Question,
    Questions, Quiz, QuizOption, QuizQuestion, Role, SlideRange, Step, Steps, parse_placeholder,
    placeholder,
};

/// What kind of file is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A module: level-2 headings start notes sections.
    Module,
    /// A handout file: the whole body is the handout.
    Handout,
}

/// The block kinds of the source format.
pub const KINDS: [&str; 8] = [
    "activity",
    "answers",
    "note",
    "questions",
    "quiz",
    "handout",
    "steps",
    "role",
];

/// The result of scanning one file's body.
#[derive(Debug, Default)]
pub struct Scan {
    /// Module mode: the overview (no heading) then one section per level-2
    /// heading. Handout mode: one section holding the whole body.
    pub sections: Vec<RawSection>,
    /// Every link destination written in the file, for `check`.
    pub links: Vec<LinkRef>,
    /// Handouts written inline as `handout` blocks.
    pub handouts: Vec<Handout>,
    /// Diagnostics found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// A section before its heading is interpreted against the slides.
#[derive(Debug)]
pub struct RawSection {
    /// The level-2 heading; `None` for the overview.
    pub heading: Option<Heading>,
    /// The notes.
    pub body: Body,
}

/// A level-2 heading with its `{...}` attributes read.
#[derive(Debug, Clone)]
pub struct Heading {
    /// The heading text without attributes.
    pub title: String,
    /// `{slide=N}` or `{slide=N-M}`.
    pub slides: Option<SlideRange>,
    /// `{slide=key-messages}`: a slide named by its id, resolved against
    /// the module's slides when the module is assembled.
    pub slide_id: Option<String>,
    /// `{#id}`.
    pub id: Option<String>,
    /// Its line.
    pub line: usize,
    /// The byte range of the heading line.
    pub span: Range<usize>,
}

/// A link or image destination found in the Markdown.
#[derive(Debug, Clone)]
pub struct LinkRef {
    /// The destination, decoded as the renderer reads it (entities and
    /// backslash escapes).
    pub dest: String,
    /// Where the destination is written in the file (for a reference link,
    /// in its definition).
    pub span: Range<usize>,
    /// How the link was written.
    pub kind: LinkKind,
    /// True for `![alt](dest)`.
    pub image: bool,
    /// True for an image with empty alt text.
    pub alt_missing: bool,
}

/// Scans the body of `file`, which starts at byte `offset`.
pub fn scan(file: &SourceFile, offset: usize, mode: Mode) -> Scan {
    let mut scanner = Scanner::new(file, mode);
    let text = &file.text[offset..];
    let mut start = 0;
    let mut line_no = file.line_col(offset).0;
    while start < text.len() {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        scanner.line(&text[start..end], offset + start, line_no);
        start = end + 1;
        line_no += 1;
    }
    scanner.finish()
}

struct Scanner<'f> {
    file: &'f SourceFile,
    mode: Mode,
    stack: Vec<Open>,
    top: BodyBuilder,
    heading: Option<Heading>,
    code: Option<CodeFence>,
    /// The content columns of the open list items, innermost last: a
    /// fence indented four columns past the innermost is code, not a fence.
    lists: Vec<usize>,
    out: Scan,
    activities: usize,
    links: links::LinkCollector,
}

/// An open code fence: lines are code until one closes it.
struct CodeFence {
    marker: char,
    len: usize,
    line: usize,
}

/// A block whose closing fence has not been read yet.
struct Open {
    kind: String,
    kind_span: Range<usize>,
    /// None when the fence's attributes could not be read (reported).
    attrs: Option<Vec<Attr>>,
    colons: usize,
    indent: usize,
    line: usize,
    body: BodyBuilder,
    /// How many list items were open around its fence.
    lists: usize,
    /// Where the block probably should have closed, if it is never closed:
    /// the first line after it that could not be inside it (its line, and
    /// what that line is).
    ends_by: Option<(usize, String)>,
    /// Errors about blocks inside it that its being left open may cause:
    /// reported when it closes, dropped when it never does.
    held: Vec<Diagnostic>,
}

/// An attribute of a fence: `key=value` or `key="value"`.
#[derive(Debug, Clone)]
struct Attr {
    key: String,
    value: String,
    span: Range<usize>,
}

#[derive(Debug, Default)]
struct BodyBuilder {
    markdown: String,
    blocks: Vec<Block>,
    lines: Vec<u32>,
}

impl BodyBuilder {
    fn push_line(&mut self, text: &str, line: usize) {
        self.markdown.push_str(text);
        self.markdown.push('\n');
        self.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
    }

    /// The body with its buffers cut to size. Grown by doubling, they hold
    /// up to twice their contents, and a build keeps every body until the
    /// end (at 1000 modules, 46 MB of buffers for 31 MB of Markdown).
    /// `shrink_to_fit` would not do it: mimalloc leaves a block in place
    /// when it shrinks by less than half.
    fn build(self) -> Body {
        Body {
            markdown: self.markdown.as_str().to_owned(),
            blocks: fitted(self.blocks),
            lines: self.lines.as_slice().to_vec(),
        }
    }
}

/// `items` moved into a vector of their own length.
fn fitted<T>(items: Vec<T>) -> Vec<T> {
    let mut fitted = Vec::with_capacity(items.len());
    fitted.extend(items);
    fitted
}

impl<'f> Scanner<'f> {
    fn new(file: &'f SourceFile, mode: Mode) -> Self {
        Scanner {
            file,
            mode,
            stack: Vec::new(),
            top: BodyBuilder::default(),
            heading: None,
            code: None,
            lists: Vec::new(),
            out: Scan::default(),
            activities: 0,
            links: links::LinkCollector::default(),
        }
    }

    /// An error in reading the text: it hides the warnings about counts of
    /// its file (see [`Bearing`]).
    fn error(&mut self, message: String, span: Range<usize>, hint: &str) {
        let d = Diagnostic::error(message)
            .at(self.file, span)
            .hint(hint)
            .bearing(Bearing::Misreads);
        self.out.diagnostics.push(d);
    }

    fn warning(&mut self, message: String, span: Range<usize>, hint: &str) {
        let d = Diagnostic::warning(message).at(self.file, span).hint(hint);
        self.out.diagnostics.push(d);
    }

    fn line(&mut self, text: &str, offset: usize, line_no: usize) {
        let span = offset..offset + text.len();
        if self.code.is_none() {
            self.track_lists(text);
        }
        if self.code_line(text, line_no) {
            self.append(text, line_no);
            return;
        }
        match div_fence(text) {
            Some(fence) if fence.indent >= self.code_indent() => self.warning(
                "this `:::` line is indented four spaces or more, so it is code, not a block fence".into(),
                span.clone(),
                "remove the indentation, or indent the fence under a list item to put the block in that item",
            ),
            Some(fence) => {
                self.fence(fence, offset, span, line_no);
                return;
            }
            None => {}
        }
        self.note_heading(text, line_no);
        if self.mode == Mode::Module
            && self.stack.is_empty()
            && let Some((message, hint)) = near::heading_near_miss(text)
        {
            self.error(message, span.clone(), &hint);
        }
        if self.mode == Mode::Module && self.stack.is_empty() && is_level2_heading(text) {
            self.start_section(text, span, line_no);
            return;
        }
        if quoted_fence(text) {
            self.warning(
                "a `:::` fence inside a block quote is not read as a block".into(),
                span,
                "move the block out of the quote: fences must not start with `>`",
            );
        }
        self.append(text, line_no);
    }

    /// The indentation from which a line is indented code (CommonMark):
    /// four columns past the innermost list item or block fence.
    fn code_indent(&self) -> usize {
        let list = self.lists.last().copied().unwrap_or(0);
        let block = self.stack.last().map_or(0, |open| open.indent);
        list.max(block) + 4
    }

    /// Keeps `lists` up to date with a line outside code: items end at a
    /// line indented less than their content, and a list marker opens one.
    fn track_lists(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let indent = indent_width(text);
        let floor = self.stack.last().map_or(0, |open| open.lists);
        while self.lists.len() > floor && self.lists.last().is_some_and(|&c| indent < c) {
            self.lists.pop();
        }
        if indent < self.code_indent()
            && let Some(width) = list_marker_width(text.trim_start())
        {
            self.lists.push(indent + width);
        }
    }

    /// Tracks code fences; true when the line belongs to a code block.
    fn code_line(&mut self, text: &str, line_no: usize) -> bool {
        let trimmed = text.trim_start();
        if self.code.is_none() && indent_width(text) >= self.code_indent() {
            return false;
        }
        if let Some(code) = &self.code {
            let run = trimmed.chars().take_while(|c| *c == code.marker).count();
            if run >= code.len && trimmed[run * code.marker.len_utf8()..].trim().is_empty() {
                self.code = None;
            }
            return true;
        }
        for marker in ['`', '~'] {
            let run = trimmed.chars().take_while(|c| *c == marker).count();
            let info = &trimmed[run.min(trimmed.len())..];
            if run >= 3 && !(marker == '`' && info.contains('`')) {
                self.code = Some(CodeFence {
                    marker,
                    len: run,
                    line: line_no,
                });
                return true;
            }
        }
        false
    }

    /// Appends a Markdown line to the innermost open body, without the
    /// indentation of that block's fence.
    fn append(&mut self, text: &str, line_no: usize) {
        match self.stack.last_mut() {
            Some(open) => {
                let dedented = dedent(text, open.indent);
                open.body.push_line(dedented, line_no);
            }
            None => self.top.push_line(text, line_no),
        }
    }

    fn fence(&mut self, fence: DivFence<'_>, offset: usize, span: Range<usize>, line_no: usize) {
        if fence.rest.trim().is_empty() {
            self.close(fence.colons, span);
            return;
        }
        let rest_offset = offset + fence.rest_start;
        let Some((kind, kind_span, attrs)) = self.parse_opener(fence.rest, rest_offset, &span)
        else {
            return;
        };
        self.note_misfit(&kind, line_no);
        self.stack.push(Open {
            kind,
            kind_span,
            attrs,
            colons: fence.colons,
            indent: fence.indent,
            line: line_no,
            body: BodyBuilder::default(),
            lists: self.lists.len(),
            ends_by: None,
            held: Vec::new(),
        });
    }

    fn parse_opener(
        &mut self,
        rest: &str,
        rest_offset: usize,
        line_span: &Range<usize>,
    ) -> Option<(String, Range<usize>, Option<Vec<Attr>>)> {
        let lead = rest.len() - rest.trim_start().len();
        let rest_trimmed = rest.trim_start();
        if rest_trimmed.starts_with('{') {
            return Some(self.braced_opener(rest_trimmed, rest_offset + lead));
        }
        let kind_len = rest_trimmed
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(rest_trimmed.len());
        let kind_span = rest_offset + lead..rest_offset + lead + kind_len.max(1);
        if kind_len == 0 {
            self.error(
                "a block fence needs a kind after its colons".into(),
                line_span.clone(),
                "write the kind right after the colons, as in `::: activity title=\"...\" minutes=10`",
            );
            // Still open a block, so its closing fence is not reported as stray.
            return Some(("?".into(), kind_span, Some(Vec::new())));
        }
        let kind = rest_trimmed[..kind_len].to_string();
        let attrs_text = without_closing_colons(&rest_trimmed[kind_len..]);
        let attrs_offset = rest_offset + lead + kind_len;
        let attrs = match parse_attrs(attrs_text, attrs_offset) {
            Ok(attrs) => Some(attrs),
            Err((message, span, hint)) => {
                self.error(message, span, hint);
                None
            }
        };
        Some((kind, kind_span, attrs))
    }

    fn close(&mut self, colons: usize, span: Range<usize>) {
        if let Some(open) = self.stack.last() {
            self.lists.truncate(open.lists);
        }
        let Some(mut open) = self.stack.pop() else {
            self.error(
                "closing fence without an open block".into(),
                span,
                "remove this `:::` line, or add the `::: kind` line it was meant to close",
            );
            return;
        };
        // Closed after all: what it held stands, unless a block around it
        // is left open too.
        let held = std::mem::take(&mut open.held);
        self.hold_or_report(held);
        if colons < open.colons {
            self.error(
                format!(
                    "this fence has {colons} colons but the `{}` block it closes (line {}) opened with {}",
                    open.kind, open.line, open.colons
                ),
                span,
                "a closing fence needs at least as many colons as its opening fence",
            );
        }
        self.finish_block(open);
    }

    /// Types a closed block and puts its placeholder into the parent body.
    fn finish_block(&mut self, open: Open) {
        let parent = self.stack.last().map(|p| p.kind.clone());
        let indent = open.indent;
        let line = open.line;
        let Some(block) = self.type_block(open, parent.as_deref()) else {
            return;
        };
        let parent_indent = self.stack.last().map_or(0, |p| p.indent);
        let body = match self.stack.last_mut() {
            Some(parent) => &mut parent.body,
            None => &mut self.top,
        };
        let pad = " ".repeat(indent.saturating_sub(parent_indent));
        body.push_line(&format!("{pad}{}", placeholder(body.blocks.len())), line);
        body.blocks.push(block);
    }

    /// Builds a complete body, reading its links: once per body, as the
    /// renderer will read it.
    fn body(&mut self, builder: BodyBuilder) -> Body {
        let links = &mut self.out.links;
        (self.links).collect(self.file, &builder.markdown, &builder.lines, links);
        builder.build()
    }

    fn start_section(&mut self, text: &str, span: Range<usize>, line_no: usize) {
        let heading = self.parse_heading(text, span, line_no);
        let top = std::mem::take(&mut self.top);
        let body = self.body(top);
        let previous = self.heading.replace(heading);
        self.out.sections.push(RawSection {
            heading: previous,
            body,
        });
    }

    fn finish(mut self) -> Scan {
        while let Some(open) = self.stack.pop() {
            let hint = self.unclosed_hint(&open);
            let span = open.kind_span.clone();
            self.error(
                format!("`{}` block is never closed", open.kind),
                span,
                &hint,
            );
            self.finish_block(open);
        }
        let top = std::mem::take(&mut self.top);
        let body = self.body(top);
        if self.mode == Mode::Handout {
            self.check_answer_count(&body);
        }
        let heading = self.heading.take();
        self.out.sections.push(RawSection { heading, body });
        self.out
    }
}

#[cfg(test)]
mod tests;
