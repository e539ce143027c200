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

mod links;

use std::ops::Range;

use crate::diag::{Diagnostic, SourceFile, nearest};
use crate::lists::{self, Item};
pub use crate::markdown::links::LinkKind;
use crate::model::{
    Activity, Answers, Block, Body, Handout, HandoutRef, Note, Question, Questions, Quiz,
    QuizOption, QuizQuestion, SlideRange, Step, Steps, parse_placeholder, placeholder,
};
use crate::time::{DurationError, MAX_MINUTES, Minutes};

/// What kind of file is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A module: level-2 headings start notes sections.
    Module,
    /// A handout file: the whole body is the handout.
    Handout,
}

/// The block kinds of the source format.
pub const KINDS: [&str; 7] = [
    "activity",
    "answers",
    "note",
    "questions",
    "quiz",
    "handout",
    "steps",
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

    fn error(&mut self, message: String, span: Range<usize>, hint: &str) {
        let d = Diagnostic::error(message).at(self.file, span).hint(hint);
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
        self.stack.push(Open {
            kind,
            kind_span,
            attrs,
            colons: fence.colons,
            indent: fence.indent,
            line: line_no,
            body: BodyBuilder::default(),
            lists: self.lists.len(),
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
        let Some(open) = self.stack.pop() else {
            self.error(
                "closing fence without an open block".into(),
                span,
                "remove this `:::` line, or add the `::: kind` line it was meant to close",
            );
            return;
        };
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
            let hint = match &self.code {
                Some(code) => format!(
                    "add a line `:::` where the block ends; note that the code block opened at line {} is never closed, so the fences after it are read as code",
                    code.line
                ),
                None => "add a line `:::` where the block ends".to_string(),
            };
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
        let heading = self.heading.take();
        self.out.sections.push(RawSection { heading, body });
        self.out
    }
}

/// A line of three or more colons: a block fence.
struct DivFence<'a> {
    indent: usize,
    colons: usize,
    rest: &'a str,
    rest_start: usize,
}

fn div_fence(text: &str) -> Option<DivFence<'_>> {
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

fn quoted_fence(text: &str) -> bool {
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

fn is_level2_heading(text: &str) -> bool {
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

type AttrError = (String, Range<usize>, &'static str);

/// Pandoc lets an opening fence end in colons too: `::: note :::`.
fn without_closing_colons(attrs: &str) -> &str {
    let trimmed = attrs.trim_end();
    let colons = trimmed.len() - trimmed.trim_end_matches(':').len();
    let before = &trimmed[..trimmed.len() - colons];
    if colons >= 3 && (before.is_empty() || before.ends_with(char::is_whitespace)) {
        before
    } else {
        attrs
    }
}

/// Parses `key=value key="quoted value"` pairs.
fn parse_attrs(text: &str, offset: usize) -> Result<Vec<Attr>, AttrError> {
    let mut attrs = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return Ok(attrs);
        }
        let start = i;
        while i < bytes.len() && !(bytes[i] as char).is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = &text[start..i];
        if i >= bytes.len() || bytes[i] != b'=' {
            let hint = if key.starts_with('{') {
                "trainpack blocks take `key=value` attributes, as in `::: activity title=\"...\" minutes=10`, not `{...}`"
            } else {
                "attributes are written `key=value`, as in `minutes=10` or `title=\"Group work\"`"
            };
            return Err((
                format!("cannot read `{key}` as an attribute"),
                offset + start..offset + i,
                hint,
            ));
        }
        i += 1;
        if let Some(quote) = text[i..]
            .chars()
            .next()
            .filter(|c| matches!(c, '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}'))
        {
            return Err((
                "curly quotes around an attribute's value".to_string(),
                offset + i..offset + i + quote.len_utf8(),
                "replace the curly quotes (as word processors type them) with straight ones, as in `title=\"Group work\"`",
            ));
        }
        let (value, end) = read_attr_value(text, i).map_err(|()| {
            (
                "unterminated quoted value".to_string(),
                offset + start..offset + text.len(),
                "close the value with a double quote `\"`",
            )
        })?;
        attrs.push(Attr {
            key: key.to_string(),
            value,
            span: offset + start..offset + end,
        });
        i = end;
    }
}

fn read_attr_value(text: &str, start: usize) -> Result<(String, usize), ()> {
    let rest = &text[start..];
    // Double quotes, or single ones as Pandoc also reads them.
    if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let mut value = String::new();
        let mut chars = rest[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => return Ok((value, start + 1 + i + 1)),
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => return Err(()),
                },
                c => value.push(c),
            }
        }
        return Err(());
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Ok((rest[..len].to_string(), start + len))
}

impl Scanner<'_> {
    fn parse_heading(&mut self, text: &str, span: Range<usize>, line_no: usize) -> Heading {
        let content = text.trim_start().trim_start_matches('#').trim();
        let content = strip_closing_hashes(content);
        let mut heading = Heading {
            title: content.to_string(),
            slides: None,
            id: None,
            line: line_no,
            span: span.clone(),
        };
        let Some(open) = content.rfind('{').filter(|_| content.ends_with('}')) else {
            return heading;
        };
        heading.title = content[..open].trim_end().to_string();
        let attrs_offset = span.start + text.find(&content[open..]).unwrap_or(0);
        // `{slide = 4}` means `{slide=4}`.
        let inner = content[open + 1..content.len() - 1]
            .split('=')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("=");
        for token in inner.split_whitespace() {
            self.heading_attr(token, &span, attrs_offset, &mut heading);
        }
        heading
    }

    fn heading_attr(&mut self, token: &str, span: &Range<usize>, at: usize, heading: &mut Heading) {
        if let Some(id) = token.strip_prefix('#') {
            heading.id = Some(id.to_string());
        } else if let Some(value) = token
            .strip_prefix("slide=")
            .or(token.strip_prefix("slides="))
        {
            match parse_slide_range(value) {
                Ok(_) if heading.slides.is_some() => self.error(
                    "`slide` is given twice on one heading".into(),
                    span.clone(),
                    "write one range for several slides, as in `{slide=1-2}`",
                ),
                Ok(range) => heading.slides = Some(range),
                Err(why) => self.error(
                    format!("cannot read `{token}`: {why}"),
                    span.clone(),
                    "write `{slide=3}` for one slide or `{slide=10-11}` for a range, numbered from 1",
                ),
            }
        } else if !token.starts_with('.') {
            let key = token.split('=').next().unwrap_or(token);
            let hint = match nearest(key, ["slide"]) {
                Some(_) => "did you mean `slide`?",
                None => "a notes heading takes `{slide=N}` or `{slide=N-M}`, and optionally `#id`",
            };
            self.error(
                format!("unknown heading attribute `{key}`"),
                at..at + token.len() + 1,
                hint,
            );
        }
    }
}

fn strip_closing_hashes(content: &str) -> &str {
    let without = content.trim_end_matches('#');
    if without.len() < content.len() && (without.is_empty() || without.ends_with(' ')) {
        without.trim_end()
    } else {
        content
    }
}

/// Reads "3" or "10-11" (an en dash works too).
pub fn parse_slide_range(value: &str) -> Result<SlideRange, String> {
    let value = value.trim();
    let (first, last) = match value.split_once(['-', '\u{2013}']) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (value, value),
    };
    let number = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("`{s}` is not a slide number"))
    };
    let (first, last) = (number(first)?, number(last)?);
    if first == 0 {
        return Err("slides are numbered from 1".into());
    }
    if last < first {
        return Err(format!(
            "the range ends ({last}) before it starts ({first})"
        ));
    }
    Ok(SlideRange { first, last })
}

/// Where a kind may be written: the kinds of parent it accepts, `None`
/// standing for the top level of a module and `Some("handout")` also for the
/// top level of a handout file.
fn allowed_parents(kind: &str) -> &'static [Option<&'static str>] {
    match kind {
        "activity" => &[None],
        "steps" => &[Some("activity")],
        "answers" => &[Some("activity"), Some("handout"), Some("quiz")],
        // Not in a handout: participants never see notes, and a handout's
        // trainer pages are its answers in the key.
        "note" => &[None, Some("activity"), Some("answers")],
        "questions" => &[Some("handout")],
        "quiz" => &[None, Some("activity")],
        "handout" => &[None, Some("activity")],
        _ => &[],
    }
}

fn placement_hint(kind: &str) -> &'static str {
    match kind {
        "activity" => {
            "activities sit at the top level of a module's notes, not inside other blocks"
        }
        "steps" => "put the `steps` block inside the `activity` whose time it splits",
        "answers" => {
            "put the `answers` block inside the activity, handout or quiz question it answers"
        }
        "note" => {
            "a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows"
        }
        "questions" => {
            "`questions` belong in a handout: a file under `handouts/` or a `handout` block"
        }
        "quiz" => "put the quiz in the module's notes, or inside an activity",
        "handout" => "an inline `handout` block sits in the module's notes or inside an activity",
        _ => "",
    }
}

/// The attributes each kind takes, required ones first.
fn kind_attrs(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "activity" => (&["minutes"], &["title"]),
        "quiz" => (&[], &["title"]),
        "handout" => (&["id"], &["title"]),
        _ => (&[], &[]),
    }
}

impl Scanner<'_> {
    fn type_block(&mut self, open: Open, parent: Option<&str>) -> Option<Block> {
        let kind = open.kind.clone();
        if kind == "?" {
            return None;
        }
        if !KINDS.contains(&kind.as_str()) {
            let hint = match nearest(&kind, KINDS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the block kinds are {}",
                    KINDS.map(|k| format!("`{k}`")).join(", ")
                ),
            };
            self.error(
                format!("unknown block kind `{kind}`"),
                open.kind_span.clone(),
                &hint,
            );
            return None;
        }
        let parent_kind = parent.or((self.mode == Mode::Handout).then_some("handout"));
        // Inside a block of unknown kind (reported), where it may sit is moot.
        let parent_known = parent_kind.is_none_or(|p| KINDS.contains(&p));
        if parent_known && !allowed_parents(&kind).contains(&parent_kind) {
            let place = match parent_kind {
                Some(p) => format!("inside {} `{p}` block", article(p)),
                None => "at the top level of a module".to_string(),
            };
            self.error(
                format!("{} `{kind}` block cannot sit {place}", article(&kind)),
                open.kind_span.clone(),
                placement_hint(&kind),
            );
            return None;
        }
        if !self.check_attrs(&open) {
            return None;
        }
        match kind.as_str() {
            "activity" => self.activity(open),
            "steps" => self.steps(open),
            "answers" => Some(Block::Answers(self.answers(open))),
            "note" => Some(Block::Note(Note {
                line: open.line,
                body: self.body(open.body),
            })),
            "questions" => self.questions(open),
            "quiz" => self.quiz(open),
            "handout" => self.handout(open),
            _ => None,
        }
    }

    /// Reports unknown, repeated and missing attributes; false on any error.
    fn check_attrs(&mut self, open: &Open) -> bool {
        // Unread attributes are reported once, not again as missing ones.
        let Some(attrs) = &open.attrs else {
            return false;
        };
        let (required, optional) = kind_attrs(&open.kind);
        let known: Vec<&str> = required.iter().chain(optional).copied().collect();
        let mut ok = true;
        for (i, attr) in attrs.iter().enumerate() {
            if !known.contains(&attr.key.as_str()) {
                let hint = match nearest(&attr.key, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => format!(
                        "{} `{}` block takes no attributes",
                        article(&open.kind),
                        open.kind
                    ),
                    None => format!(
                        "{} `{}` block takes {}",
                        article(&open.kind),
                        open.kind,
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                };
                self.error(
                    format!(
                        "unknown attribute `{}` on {} `{}` block",
                        attr.key,
                        article(&open.kind),
                        open.kind
                    ),
                    attr.span.clone(),
                    &hint,
                );
                ok = false;
            } else if attrs[..i].iter().any(|a| a.key == attr.key) {
                self.error(
                    format!("attribute `{}` is given twice", attr.key),
                    attr.span.clone(),
                    "keep one of them",
                );
                ok = false;
            }
        }
        for key in required {
            if !attrs.iter().any(|a| a.key == *key) {
                let example = match *key {
                    "minutes" => "minutes=10",
                    _ => "id=case-study-5",
                };
                let what = if open.kind == "activity" {
                    "an activity without minutes".to_string()
                } else {
                    format!(
                        "{} `{}` block without `{key}`",
                        article(&open.kind),
                        open.kind
                    )
                };
                self.error(
                    format!("{what}: `{key}` is required"),
                    open.kind_span.clone(),
                    &format!("add `{example}` after `::: {}`", open.kind),
                );
                ok = false;
            }
        }
        ok
    }

    fn attr<'a>(&self, open: &'a Open, key: &str) -> Option<&'a Attr> {
        open.attrs.iter().flatten().find(|a| a.key == key)
    }

    fn activity(&mut self, open: Open) -> Option<Block> {
        let minutes_attr = self.attr(&open, "minutes")?.clone();
        let parsed = Minutes::read(&minutes_attr.value);
        let Ok(minutes) = parsed else {
            let value = &minutes_attr.value;
            self.error(
                match parsed {
                    Err(DurationError::OutOfRange) => {
                        format!("`minutes={value}` must be from 0 to {MAX_MINUTES} minutes")
                    }
                    _ => format!("cannot read `minutes={value}` as a duration"),
                },
                minutes_attr.span,
                "write a number of minutes, as in `minutes=10`, or a duration such as `minutes=\"1h30\"`",
            );
            return None;
        };
        let title = match self.attr(&open, "title") {
            Some(t) => t.value.clone(),
            None => {
                self.warning(
                    "activity has no title".into(),
                    open.kind_span.clone(),
                    "add `title=\"...\"`: the schedule and the run sheet list activities by title",
                );
                "Activity".into()
            }
        };
        self.activities += 1;
        let body = self.body(open.body);
        let activity = Activity {
            title,
            minutes,
            number: self.activities,
            anchor: format!("activity-{}", self.activities),
            line: open.line,
            body,
        };
        self.check_steps_total(&activity, &open.kind_span);
        Some(Block::Activity(activity))
    }

    fn check_steps_total(&mut self, activity: &Activity, span: &Range<usize>) {
        let steps: Vec<&Steps> = activity
            .body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Steps(s) => Some(s),
                _ => None,
            })
            .collect();
        if steps.len() > 1 {
            self.error(
                "an activity has more than one `steps` block".into(),
                span.clone(),
                "list all the steps of the activity in one `steps` block",
            );
        }
        if let Some(steps) = steps.first() {
            let total = steps.total();
            if total != activity.minutes && !steps.items.is_empty() {
                self.warning(
                    format!(
                        "the steps of `{}` add up to {} but the activity has {}",
                        activity.title,
                        total.human(),
                        activity.minutes.human()
                    ),
                    span.clone(),
                    "make the step durations add up to the activity's `minutes`",
                );
            }
        }
    }

    fn steps(&mut self, open: Open) -> Option<Block> {
        let body = self.body(open.body);
        self.no_blocks_inside(&body, "steps");
        let split = lists::split(&body.markdown);
        self.report_stray(
            &body,
            &split.stray,
            "a `steps` block holds only a list of steps",
        );
        let mut items = Vec::new();
        for item in split.items {
            let line = body.source_line(item.line);
            let text = item.text.trim();
            let parsed = text
                .split_once(':')
                .and_then(|(d, rest)| Minutes::parse(d).map(|m| (m, rest.trim())));
            match parsed {
                Some((minutes, rest)) => items.push(Step {
                    minutes,
                    text: rest.to_string(),
                    line,
                }),
                None => {
                    let d = Diagnostic::error("a step must start with its duration")
                        .at_line(self.file, line)
                        .hint("write each step as `- 5 min: Introduce the task`");
                    self.out.diagnostics.push(d);
                }
            }
        }
        Some(Block::Steps(Steps {
            items,
            line: open.line,
        }))
    }

    fn answers(&mut self, open: Open) -> Answers {
        let body = self.body(open.body);
        let items = if body.blocks.is_empty() {
            let split = lists::split(&body.markdown);
            (split.stray.is_empty()
                && split.items.len() > 1
                && split.items.iter().all(|i| i.ordered))
            .then(|| split.items.into_iter().map(|i| i.text).collect())
        } else {
            None
        };
        Answers {
            body,
            items,
            line: open.line,
        }
    }

    fn questions(&mut self, open: Open) -> Option<Block> {
        let body = self.body(open.body);
        self.no_blocks_inside(&body, "questions");
        let split = lists::split(&body.markdown);
        self.report_stray(
            &body,
            &split.stray,
            "a `questions` block holds only a numbered list of questions",
        );
        if split.items.is_empty() {
            let d = Diagnostic::error("a `questions` block has no questions")
                .at_line(self.file, open.line)
                .hint(
                    "write the questions as a numbered list: `1. Which actors would you invite?`",
                );
            self.out.diagnostics.push(d);
        }
        let items = split
            .items
            .into_iter()
            .map(|item| Question {
                line: body.source_line(item.line),
                text: item.text,
            })
            .collect();
        Some(Block::Questions(Questions {
            items,
            line: open.line,
        }))
    }

    fn no_blocks_inside(&mut self, body: &Body, kind: &str) {
        for block in &body.blocks {
            let d = Diagnostic::error(format!(
                "{} `{kind}` block cannot hold other blocks",
                article(kind)
            ))
            .at_line(self.file, block.line())
            .hint("move the inner block after the closing `:::`");
            self.out.diagnostics.push(d);
        }
    }

    fn report_stray(&mut self, body: &Body, stray: &[usize], hint: &str) {
        if let Some(first) = stray.first() {
            let line = body.source_line(*first);
            let d = Diagnostic::error("text outside the list")
                .at_line(self.file, line)
                .hint(hint);
            self.out.diagnostics.push(d);
        }
    }

    fn handout(&mut self, open: Open) -> Option<Block> {
        let id = self.attr(&open, "id")?.clone();
        if !is_valid_id(&id.value) {
            self.error(
                format!("`{}` is not a valid handout id", id.value),
                id.span,
                "use letters, digits, `-` and `_` only, as in `id=case-study-5`",
            );
            return None;
        }
        let title = self
            .attr(&open, "title")
            .map(|t| t.value.clone())
            .unwrap_or_else(|| humanise(&id.value));
        let line = open.line;
        let body = self.body(open.body);
        self.out.handouts.push(Handout {
            id: id.value.clone(),
            title,
            path: self.file.path.clone(),
            line,
            body,
        });
        Some(Block::Handout(HandoutRef { id: id.value, line }))
    }
}

/// "a" or "an" before a block kind: "an `activity`", "a `note`".
fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// True for ids made of letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// "case-study-5" becomes "Case study 5".
pub fn humanise(id: &str) -> String {
    let spaced = id.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Scanner<'_> {
    fn quiz(&mut self, open: Open) -> Option<Block> {
        let title = self
            .attr(&open, "title")
            .map_or_else(|| "Quiz".to_string(), |t| t.value.clone());
        let line = open.line;
        let body = self.body(open.body);
        let split = lists::split(&body.markdown);
        let placeholders = placeholder_lines(&body);
        let stray: Vec<usize> = split
            .stray
            .iter()
            .copied()
            .filter(|l| !placeholders.iter().any(|(pl, _)| pl == l))
            .collect();
        self.report_stray(&body, &stray, "a quiz holds a numbered list of questions");
        let items = self.without_loose_options(&body, split.items);
        let mut blocks: Vec<Option<Block>> = body.blocks.iter().cloned().map(Some).collect();
        let mut questions = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let next_line = items.get(i + 1).map_or(usize::MAX, |n| n.line);
            let owned: Vec<usize> = placeholders
                .iter()
                .filter(|(pl, _)| *pl >= item.line && *pl < next_line)
                .map(|(_, index)| *index)
                .collect();
            questions.push(self.quiz_question(&body, item, owned, &mut blocks));
        }
        if questions.is_empty() {
            let d = Diagnostic::error("the quiz has no questions")
                .at_line(self.file, line)
                .hint("write the questions as a numbered list inside the quiz");
            self.out.diagnostics.push(d);
        }
        Some(Block::Quiz(Quiz {
            title,
            questions,
            line,
        }))
    }

    /// Drops, with an error, options that sit outside every question: read
    /// as questions, their `[x]` would print on the participants' quiz.
    fn without_loose_options(&mut self, body: &Body, items: Vec<Item>) -> Vec<Item> {
        let (loose, questions): (Vec<Item>, Vec<Item>) = items
            .into_iter()
            .partition(|item| !item.ordered && starts_with_checkbox(&item.text));
        // The first is enough: one fix (indenting) mends them all.
        if let Some(first) = loose.first() {
            let d = Diagnostic::error("a quiz option outside its question")
                .at_line(self.file, body.source_line(first.line))
                .hint("indent each option under its question, level with the question's text: `1. Who …?` then `   - [x] …`");
            self.out.diagnostics.push(d);
        }
        questions
    }

    fn quiz_question(
        &mut self,
        body: &Body,
        item: &Item,
        owned: Vec<usize>,
        blocks: &mut [Option<Block>],
    ) -> QuizQuestion {
        let line = body.source_line(item.line);
        let mut text = BodyBuilder::default();
        let mut options: Vec<QuizOption> = Vec::new();
        for (offset, text_line) in item.text.lines().enumerate() {
            let source_line = body.source_line(item.line + offset);
            if parse_placeholder(text_line).is_some() {
                continue;
            }
            if let Some(problem) = misread_option(text_line, !options.is_empty()) {
                let d = Diagnostic::error(problem)
                    .at_line(self.file, source_line)
                    .hint("start each option with `- [ ]`, or `- [x]` for a correct one");
                self.out.diagnostics.push(d);
            } else if let Some((correct, option)) = task_item(text_line) {
                options.push(QuizOption {
                    text: option.to_string(),
                    correct,
                    line: source_line,
                });
            } else if let (Some(last), true) = (options.last_mut(), text_line.starts_with("  ")) {
                last.text.push(' ');
                last.text.push_str(text_line.trim());
            } else {
                text.push_line(text_line, source_line);
            }
        }
        let mut answers: Option<Answers> = None;
        for index in owned {
            match blocks.get_mut(index).and_then(Option::take) {
                Some(Block::Answers(a)) if answers.is_none() => answers = Some(a),
                Some(Block::Answers(a)) => {
                    let d = Diagnostic::error("this quiz question already has an `answers` block")
                        .at_line(self.file, a.line)
                        .hint("put all the possible answers of a question in one block");
                    self.out.diagnostics.push(d);
                }
                Some(other) => {
                    let d = Diagnostic::error("only `answers` blocks may sit inside a quiz")
                        .at_line(self.file, other.line())
                        .hint("move the block out of the quiz");
                    self.out.diagnostics.push(d);
                }
                None => {}
            }
        }
        if !options.is_empty() && !options.iter().any(|o| o.correct) {
            let d = Diagnostic::error("quiz question has options but none is marked correct")
                .at_line(self.file, line)
                .hint("mark each correct option with `[x]`, as in `- [x] The Child Protection Advisor`");
            self.out.diagnostics.push(d);
        }
        QuizQuestion {
            text: text.build(),
            options,
            answers,
            line,
        }
    }
}

/// The placeholder lines of a body: (markdown line, block index).
fn placeholder_lines(body: &Body) -> Vec<(usize, usize)> {
    body.markdown
        .lines()
        .enumerate()
        .filter_map(|(i, l)| parse_placeholder(l).map(|index| (i, index)))
        .collect()
}

/// The width of a list item's marker and the spaces after it (`- `,
/// `12. `), when `line` (without its indentation) starts with one.
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &line[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    match spaces {
        0 if rest.is_empty() => Some(marker + 1),
        0 => None,
        // Five spaces or more: one belongs to the marker, the rest is code.
        1..=4 if spaces < rest.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Reads `- [ ] text` or `- [x] text`: (correct, text).
/// What is wrong with a line meant as a quiz option, if anything: a box
/// such as `[]` or `[v]` (printed as it is, `[v]` would show participants
/// the answer), or a plain list item among options (`after_option`).
fn misread_option(line: &str, after_option: bool) -> Option<String> {
    let rest = line.strip_prefix(['-', '*', '+'])?;
    if !rest.starts_with([' ', '\t']) || task_item(line).is_some() {
        return None;
    }
    let rest = rest.trim_start();
    let close = rest.find(']').filter(|&i| i <= 3);
    match close {
        Some(i) if rest.starts_with('[') && !rest[i + 1..].starts_with(['(', '[']) => {
            Some(format!("cannot read `{}` as an option's box", &rest[..=i]))
        }
        _ if after_option => Some("an option without a box".to_string()),
        _ => None,
    }
}

fn starts_with_checkbox(text: &str) -> bool {
    ["[ ]", "[x]", "[X]"]
        .iter()
        .any(|mark| text.starts_with(mark))
}

fn task_item(line: &str) -> Option<(bool, &str)> {
    let rest = line.strip_prefix(['-', '*', '+'])?.trim_start();
    let (mark, text) = (rest.get(..3)?, rest.get(3..)?);
    let correct = match mark {
        "[ ]" => false,
        "[x]" | "[X]" => true,
        _ => return None,
    };
    Some((correct, text.trim()))
}

#[cfg(test)]
mod tests;
