//! How deep the Markdown nests. The PDFs are typeset by Typst, which stops
//! at a fixed depth of nested elements (with the default theme, 11 block
//! quotes, 32 lists or 65 emphases in a handout, fewer inside blocks),
//! with an error that names no line of the pack. So `check` counts, from
//! pulldown-cmark's events, the block quotes, lists, `:::` blocks and
//! inline emphasis, bold, strikethrough and links around every piece of
//! Markdown that reaches an output, and reports the first place in each
//! body that goes deeper than [`MAX_DEPTH`].

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diag::{Diagnostic, LineCounter, SourceFile, Sources, line_start};
use crate::load::markdown::parser;
use crate::model::{Block, Body, Module, parse_placeholder};

/// The deepest nesting allowed, every kind counted alike. Block quotes cost
/// Typst the most: in a handout, 10 of them around a code block, a table
/// or a footnote fail (a count of 10); in a quiz question's answers, 9 (a
/// count of 12, with the quiz, its question and the answers). At 8, every
/// case measured is at least one block quote short of failing (see
/// BENCHMARKS.md, "Nesting depth").
pub const MAX_DEPTH: usize = 8;

/// Reports Markdown nested too deep in a module's notes and handouts.
pub fn check_module(module: &Module, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    if let Some(file) = sources.file(&module.path) {
        for body in module.bodies() {
            body_depth(body, 0, &file, diags);
        }
    }
    // An inline handout is a PDF of its own: its nesting starts afresh.
    for handout in &module.handouts {
        if let Some(file) = sources.file(&handout.path) {
            body_depth(&handout.body, 0, &file, diags);
        }
    }
}

/// Where a piece of Markdown sits: the depth around it and the source line
/// of each of its lines.
struct Place<'a> {
    base: usize,
    line: &'a dyn Fn(usize) -> usize,
}

/// Checks a body that starts `base` levels deep, then the blocks in it,
/// each one level deeper than its placeholder.
fn body_depth(body: &Body, base: usize, file: &SourceFile, diags: &mut Vec<Diagnostic>) {
    let line = |markdown_line: usize| body.source_line(markdown_line);
    let place = Place { base, line: &line };
    let Some(blocks) = markdown_depth(&body.markdown, &place, file, diags) else {
        return;
    };
    for (index, depth) in blocks {
        if let Some(block) = body.blocks.get(index) {
            block_depth(block, depth + 1, file, diags);
        }
    }
}

/// Checks the Markdown of a block that sits `depth` levels deep: its
/// bodies, and the items of its lists one level deeper.
fn block_depth(block: &Block, depth: usize, file: &SourceFile, diags: &mut Vec<Diagnostic>) {
    if depth > MAX_DEPTH {
        diags.push(too_deep(file, block.line()));
        return;
    }
    match block {
        Block::Activity(a) => body_depth(&a.body, depth, file, diags),
        Block::Answers(a) => body_depth(&a.body, depth, file, diags),
        Block::Note(n) => body_depth(&n.body, depth, file, diags),
        Block::Role(r) => body_depth(&r.body, depth, file, diags),
        Block::Steps(s) => {
            for step in &s.items {
                text_depth(&step.text, step.line, depth + 1, file, diags);
            }
        }
        Block::Questions(q) => {
            for question in &q.items {
                text_depth(&question.text, question.line, depth + 1, file, diags);
            }
        }
        Block::Quiz(q) => {
            for question in &q.questions {
                body_depth(&question.text, depth + 1, file, diags);
                for option in &question.options {
                    text_depth(&option.text, option.line, depth + 2, file, diags);
                }
                match &question.answers {
                    Some(a) if depth + 2 > MAX_DEPTH => diags.push(too_deep(file, a.line)),
                    Some(a) => body_depth(&a.body, depth + 2, file, diags),
                    None => {}
                }
            }
        }
        Block::Handout(_) => {}
    }
}

/// Checks the Markdown of a list item (a step, a question, an option)
/// written from source line `first`.
fn text_depth(
    text: &str,
    first: usize,
    base: usize,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) {
    let line = |markdown_line: usize| first + markdown_line;
    let place = Place { base, line: &line };
    markdown_depth(text, &place, file, diags);
}

/// Follows the nesting of `markdown`. Reports the first construct that goes
/// deeper than [`MAX_DEPTH`] and gives `None`; otherwise gives each block
/// placeholder with the depth it sits at.
fn markdown_depth(
    markdown: &str,
    place: &Place<'_>,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<(usize, usize)>> {
    let mut depth = place.base;
    let mut blocks = Vec::new();
    let mut lines = LineCounter::new(markdown);
    for (event, range) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(
                Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. },
            ) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let line = (place.line)(lines.line_of(range.start) - 1);
                    diags.push(too_deep_at(file, line, markdown, range.start));
                    return None;
                }
            }
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link,
            ) => depth -= 1,
            Event::Html(html) => {
                if let Some(index) = parse_placeholder(&html) {
                    blocks.push((index, depth));
                }
            }
            _ => {}
        }
    }
    Some(blocks)
}

/// The error at the construct at `offset` of `markdown`, written on source
/// line `line`: at its column when the Markdown line is the end of the
/// source line (a body inside a list item is the source less its indent).
fn too_deep_at(file: &SourceFile, line: usize, markdown: &str, offset: usize) -> Diagnostic {
    let start = markdown[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = markdown[offset..]
        .find('\n')
        .map_or(markdown.len(), |i| offset + i);
    let written = &markdown[start..end];
    let line_start = line_start(&file.text, line);
    let line_end = file.text[line_start..]
        .find('\n')
        .map_or(file.text.len(), |i| line_start + i);
    if file.text[line_start..line_end].ends_with(written) {
        let at = line_end - written.len() + (offset - start);
        return too_deep_message().at(file, at..line_end);
    }
    too_deep(file, line)
}

/// The error at the first character written on source line `line` (a
/// block's fence).
fn too_deep(file: &SourceFile, line: usize) -> Diagnostic {
    let start = line_start(&file.text, line);
    let end = file.text[start..]
        .find('\n')
        .map_or(file.text.len(), |i| start + i);
    let indent = file.text[start..end].len() - file.text[start..end].trim_start().len();
    too_deep_message().at(file, start + indent..end)
}

fn too_deep_message() -> Diagnostic {
    Diagnostic::error(format!(
        "text nested more than {MAX_DEPTH} levels deep: the PDFs cannot set it"
    ))
    .hint("block quotes, lists, `:::` blocks, emphasis, bold and links count together; make the innermost levels plain paragraphs")
}
