//! Markdown to Typst markup, for the PDFs.
//!
//! Every character of author text is escaped, and every structure is
//! written as a function call with content arguments (`#strong[...]`,
//! `#list([...], [...])`), never as Typst's indentation-sensitive list
//! syntax, so no author text can break out of its place or run Typst code.
//! Blocks (questions, answers, notes, activities) become calls to the
//! functions the PDF templates provide (`tp-questions`, `tp-answers`...),
//! so the theme decides how they look.

use std::collections::BTreeMap;

use pulldown_cmark::{Alignment, Event, HeadingLevel, Tag, TagEnd};

use crate::check::{has_scheme, normalise};
use crate::markdown::parser;
use crate::model::{Block, Body, Quiz, parse_placeholder};
use crate::render::Audience;

/// What the converter needs to know about the document it writes for.
pub struct MarkupContext<'a> {
    /// Who reads the PDF: participants never get answers or notes.
    pub audience: Audience,
    /// The folder of the Markdown file, relative to the pack root, for
    /// images.
    pub source_dir: &'a str,
    /// The files of the pack that may be shown as images (pack-relative).
    pub media: &'a (dyn Fn(&str) -> bool + Sync),
    /// Video links found, in order: each gets a QR code file `/qr/N.svg`.
    pub videos: std::cell::RefCell<Vec<String>>,
}

impl MarkupContext<'_> {
    /// Converts a body, its blocks included.
    pub fn body(&self, body: &Body) -> String {
        self.convert(&body.markdown, Some(body))
    }

    /// Converts Markdown that holds no blocks.
    pub fn markdown(&self, markdown: &str) -> String {
        self.convert(markdown, None)
    }

    fn convert(&self, markdown: &str, body: Option<&Body>) -> String {
        let mut writer = Writer {
            cx: self,
            body,
            out: String::new(),
            footnotes: BTreeMap::new(),
            stack: Vec::new(),
        };
        let events: Vec<Event<'_>> = parser(markdown).collect();
        writer.collect_footnotes(&events);
        writer.write(&events);
        writer.finish()
    }

    /// The markup of a block, or nothing when the audience may not see it.
    fn block(&self, block: &Block) -> String {
        let trainer = self.audience != Audience::Participant;
        match block {
            Block::Questions(q) => {
                let items: Vec<String> = q
                    .items
                    .iter()
                    .map(|i| content(&self.markdown(&i.text)))
                    .collect();
                format!("#tp-questions(({},))\n\n", items.join(", "))
            }
            Block::Answers(a) if trainer => {
                format!("#tp-answers({})\n\n", content(&self.body(&a.body)))
            }
            Block::Note(n) if trainer => format!("#tp-note({})\n\n", content(&self.body(&n.body))),
            Block::Activity(a) if trainer => format!(
                "#tp-activity(title: {}, minutes: {}, {})\n\n",
                string(&a.title),
                a.minutes.0,
                content(&self.body(&a.body))
            ),
            Block::Steps(s) if trainer => {
                let items: Vec<String> = s
                    .items
                    .iter()
                    .map(|i| format!("({}, {})", i.minutes.0, content(&self.markdown(&i.text))))
                    .collect();
                format!("#tp-steps(({},))\n\n", items.join(", "))
            }
            Block::Quiz(q) => self.quiz(q),
            _ => String::new(),
        }
    }

    /// A quiz: participants get empty boxes, trainers the marked options and
    /// the answers.
    pub fn quiz(&self, quiz: &Quiz) -> String {
        let trainer = self.audience != Audience::Participant;
        let questions: Vec<String> = quiz
            .questions
            .iter()
            .map(|q| {
                let options: Vec<String> = q
                    .options
                    .iter()
                    .map(|o| {
                        format!(
                            "(text: {}, correct: {})",
                            content(&self.markdown(&o.text)),
                            trainer && o.correct
                        )
                    })
                    .collect();
                let answers = match (&q.answers, trainer) {
                    (Some(a), true) => content(&self.body(&a.body)),
                    _ => "none".to_string(),
                };
                format!(
                    "(text: {}, options: ({}), answers: {})",
                    content(&self.body(&q.text)),
                    options.iter().map(|o| format!("{o},")).collect::<String>(),
                    answers
                )
            })
            .collect();
        format!(
            "#tp-quiz(title: {}, ({}))\n\n",
            string(&quiz.title),
            questions
                .iter()
                .map(|q| format!("{q},"))
                .collect::<String>()
        )
    }

    /// The path in the PDF world of an image written as `dest`, if it is a
    /// file of the pack.
    fn image_path(&self, dest: &str) -> Option<String> {
        if has_scheme(dest) || dest.starts_with('/') {
            return None;
        }
        let clean = crate::check::percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
        let joined = normalise(&std::path::Path::new(self.source_dir).join(clean));
        let rel = joined.to_string_lossy().replace('\\', "/");
        (self.media)(&rel).then(|| format!("/{rel}"))
    }
}

/// `[escaped]`: a content argument.
fn content(markup: &str) -> String {
    format!("[{markup}]")
}

/// A Typst string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Escapes text for Typst markup: every character with a meaning in markup
/// gets a backslash, and a dot after a digit too, so "1." never starts a
/// numbered list.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous = ' ';
    for c in text.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '$' | '@' | '<' | '>' | '[' | ']' | '~' | '/' | '=' | '-'
            | '+' | '`' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '.' if previous.is_ascii_digit() => out.push_str("\\."),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
        previous = c;
    }
    out
}

/// True for links that paper cannot play: they print with a QR code.
fn is_video(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [
        "youtu.be/",
        "youtube.com/",
        "vimeo.com/",
        "dailymotion.com/",
    ]
    .iter()
    .any(|host| lower.contains(host))
        || [".mp4", ".webm", ".mov"]
            .iter()
            .any(|ext| lower.ends_with(ext))
}

/// An open element whose closing text depends on what was inside.
enum Open {
    /// Closes with `]`.
    Plain,
    /// Opened nothing, closes with nothing (HTML blocks, paragraphs).
    Silent,
    /// A link: its URL and the text written so far.
    Link { url: String, start: usize },
    /// An image: its path in the PDF world (or the URL) and alt text.
    Image {
        path: Option<String>,
        url: String,
        start: usize,
    },
    /// A list or enum: closes with `)`.
    List,
    /// A footnote definition being collected: its output is discarded.
    Footnote { start: usize },
    /// A code block: its text is kept as written.
    Code { start: usize },
    /// A paragraph, list item or table cell: the words and inline elements
    /// written in it since it began or was last split (see
    /// [`PARAGRAPH_PIECES`]); items and cells close with `]`.
    Paragraph { pieces: usize, bracketed: bool },
}

/// The words and inline elements after which a paragraph is split in two,
/// at its next space. Typst finds the source of each letter by a search
/// through every word and element of its paragraph: a paragraph of n words
/// costs n² (16,000 short sentences in one took 8 s, in separate paragraphs
/// 1 s). A thousand words is about two thirds of a page.
const PARAGRAPH_PIECES: usize = 1000;

struct Writer<'c, 'a> {
    cx: &'c MarkupContext<'a>,
    body: Option<&'c Body>,
    out: String,
    footnotes: BTreeMap<String, String>,
    stack: Vec<Open>,
}

impl Writer<'_, '_> {
    /// Footnote definitions are written where they are referenced, as
    /// `#footnote[...]`, so they are converted first.
    fn collect_footnotes(&mut self, events: &[Event<'_>]) {
        let mut i = 0;
        while i < events.len() {
            if let Event::Start(Tag::FootnoteDefinition(label)) = &events[i] {
                let end = matching_end(events, i);
                let mut inner = Writer {
                    cx: self.cx,
                    body: self.body,
                    out: String::new(),
                    footnotes: BTreeMap::new(),
                    stack: Vec::new(),
                };
                inner.write(&events[i + 1..end]);
                self.footnotes
                    .insert(label.to_string(), inner.out.trim().to_string());
                i = end;
            }
            i += 1;
        }
    }

    fn write(&mut self, events: &[Event<'_>]) {
        for event in events {
            self.event(event);
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        if !matches!(event, Event::Text(_) | Event::End(_)) {
            self.count_pieces(1);
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(text) if matches!(self.stack.last(), Some(Open::Code { .. })) => {
                self.out.push_str(text)
            }
            Event::Text(text) => self.text(text),
            Event::SoftBreak if self.paragraph_is_full() => self.split_paragraph(),
            Event::Code(code) => {
                self.out.push_str("#raw(");
                self.out.push_str(&string(code));
                self.out.push(')');
            }
            Event::Html(html) | Event::InlineHtml(html) => self.html(html),
            Event::FootnoteReference(label) => {
                let note = self
                    .footnotes
                    .get(label.as_ref())
                    .cloned()
                    .unwrap_or_default();
                self.out.push_str(&format!("#footnote[{note}]"));
            }
            Event::SoftBreak => self.out.push(' '),
            Event::HardBreak => self.out.push_str("#linebreak()"),
            Event::Rule => self.out.push_str("#line(length: 100%, stroke: 0.5pt)\n\n"),
            Event::TaskListMarker(checked) => {
                self.out.push_str(if *checked {
                    "#tp-box(checked: true) "
                } else {
                    "#tp-box() "
                });
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => self.out.push_str(&escape(text)),
        }
    }

    /// Text, escaped; in a paragraph, split at a space every
    /// [`PARAGRAPH_PIECES`] words.
    fn text(&mut self, text: &str) {
        let mut rest = text;
        while let Some(Open::Paragraph { pieces, .. }) = self.stack.last() {
            let room = PARAGRAPH_PIECES.saturating_sub(*pieces);
            let Some((space, _)) = rest.match_indices(' ').nth(room) else {
                break;
            };
            self.out.push_str(&escape(&rest[..space]));
            self.split_paragraph();
            rest = &rest[space + 1..];
        }
        self.count_pieces(rest.matches(' ').count() + 1);
        self.out.push_str(&escape(rest));
    }

    /// Adds to the count of the paragraph being written, if any.
    fn count_pieces(&mut self, count: usize) {
        let open = self.stack.iter_mut().rev().find_map(|open| match open {
            Open::Paragraph { pieces, .. } => Some(pieces),
            _ => None,
        });
        if let Some(pieces) = open {
            *pieces += count;
        }
    }

    /// True when the paragraph being written is the innermost element and
    /// holds [`PARAGRAPH_PIECES`].
    fn paragraph_is_full(&self) -> bool {
        matches!(self.stack.last(), Some(Open::Paragraph { pieces, .. }) if *pieces >= PARAGRAPH_PIECES)
    }

    fn split_paragraph(&mut self) {
        self.out.push_str("\n\n");
        if let Some(Open::Paragraph { pieces, .. }) = self.stack.last_mut() {
            *pieces = 0;
        }
    }

    fn html(&mut self, html: &str) {
        if let (Some(index), Some(body)) = (parse_placeholder(html), self.body)
            && let Some(block) = body.blocks.get(index)
        {
            let markup = self.cx.block(block);
            self.out.push_str(&markup);
            return;
        }
        // Other raw HTML cannot be printed; a line break is kept.
        let tag = html.trim().to_ascii_lowercase();
        if tag.starts_with("<br") {
            self.out.push_str("#linebreak()");
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph => self.stack.push(Open::Paragraph {
                pieces: 0,
                bracketed: false,
            }),
            Tag::HtmlBlock | Tag::TableRow => self.stack.push(Open::Silent),
            Tag::Heading { level, .. } => {
                let level = match level {
                    HeadingLevel::H1 | HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    _ => 4,
                };
                self.out
                    .push_str(&format!("#heading(level: {level}, outlined: false)["));
                self.stack.push(Open::Plain);
            }
            Tag::BlockQuote(_) => self.open("#quote(block: true)["),
            Tag::CodeBlock(_) => self.stack.push(Open::Code {
                start: self.out.len(),
            }),
            Tag::List(Some(start)) => {
                self.block_break();
                self.out.push_str(&format!("#enum(start: {start}, "));
                self.stack.push(Open::List);
            }
            Tag::List(None) => {
                self.block_break();
                self.out.push_str("#list(");
                self.stack.push(Open::List);
            }
            Tag::Item | Tag::TableCell => {
                self.out.push('[');
                self.stack.push(Open::Paragraph {
                    pieces: 0,
                    bracketed: true,
                });
            }
            Tag::FootnoteDefinition(_) => self.stack.push(Open::Footnote {
                start: self.out.len(),
            }),
            Tag::Table(alignments) => self.start_table(alignments),
            Tag::TableHead => self.out.push_str("table.header("),
            Tag::Emphasis => self.open("#emph["),
            Tag::Strong => self.open("#strong["),
            Tag::Strikethrough => self.open("#strike["),
            Tag::Link { dest_url, .. } => self.start_link(dest_url),
            Tag::Image { dest_url, .. } => {
                let path = self.cx.image_path(dest_url);
                self.stack.push(Open::Image {
                    path,
                    url: dest_url.to_string(),
                    start: self.out.len(),
                });
            }
            _ => self.stack.push(Open::Silent),
        }
    }

    /// A paragraph break before a block that follows text in the same item.
    fn block_break(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with(['[', '\n', ' '])) {
            self.out.push_str("\n\n");
        }
    }

    fn open(&mut self, text: &str) {
        self.out.push_str(text);
        self.stack.push(Open::Plain);
    }

    fn start_table(&mut self, alignments: &[Alignment]) {
        let align: Vec<&str> = alignments
            .iter()
            .map(|a| match a {
                Alignment::Center => "center",
                Alignment::Right => "end",
                _ => "start",
            })
            .collect();
        // The cells go as one array: Typst binds a sink (`..cells`) of n
        // arguments in n² time, minutes for a table of thousands of cells.
        self.out.push_str(&format!(
            "#tp-table(columns: {}, align: ({},), (",
            alignments.len().max(1),
            align.join(", ")
        ));
        self.stack.push(Open::Plain);
    }

    fn start_link(&mut self, dest: &str) {
        self.stack.push(Open::Link {
            url: dest.to_string(),
            start: self.out.len(),
        });
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.stack.pop();
                self.out.push_str("\n\n");
            }
            TagEnd::CodeBlock => self.close_code_block(),
            TagEnd::Heading(_) => {
                self.stack.pop();
                self.out.push_str("]\n\n");
            }
            TagEnd::List(_) => {
                self.stack.pop();
                self.out.push_str(")\n\n");
            }
            TagEnd::Item | TagEnd::TableCell => {
                self.stack.pop();
                trim_trailing_breaks(&mut self.out);
                self.out.push_str("], ");
            }
            TagEnd::TableHead => self.out.push_str("), "),
            TagEnd::TableRow | TagEnd::HtmlBlock => {
                self.stack.pop();
            }
            TagEnd::Table => {
                self.stack.pop();
                self.out.push_str("))\n\n");
            }
            TagEnd::BlockQuote(_) => {
                self.stack.pop();
                trim_trailing_breaks(&mut self.out);
                self.out.push_str("]\n\n");
            }
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.end_image(),
            TagEnd::FootnoteDefinition => {
                if let Some(Open::Footnote { start }) = self.stack.pop() {
                    self.out.truncate(start);
                }
            }
            _ => {
                if let Some(Open::Plain) = self.stack.pop() {
                    self.out.push(']');
                }
            }
        }
    }

    /// A code block's text, kept as written, becomes a string literal.
    fn close_code_block(&mut self) {
        let Some(Open::Code { start }) = self.stack.pop() else {
            return;
        };
        let text = self.out.split_off(start);
        self.out.push_str(&format!(
            "#raw(block: true, {})\n\n",
            string(text.trim_end_matches('\n'))
        ));
    }

    fn end_link(&mut self) {
        let Some(Open::Link { url, start }) = self.stack.pop() else {
            return;
        };
        let text = self.out.split_off(start);
        if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("mailto:") {
            let shown = url.strip_prefix("mailto:").unwrap_or(&url);
            let same = bare(&unescape(&text)) == bare(shown);
            if is_video(&url) {
                let mut videos = self.cx.videos.borrow_mut();
                let qr = format!("/qr/{}.svg", videos.len());
                videos.push(url.clone());
                self.out.push_str(&format!(
                    "#tp-video(url: {}, qr: {}, [{text}])",
                    string(&url),
                    string(&qr)
                ));
            } else if same {
                self.out
                    .push_str(&format!("#link({})[{text}]", string(&url)));
            } else {
                self.out.push_str(&format!(
                    "#link({})[{text}]#tp-url({})",
                    string(&url),
                    string(shown)
                ));
            }
        } else {
            // Links within the site mean nothing on paper: the text stays.
            self.out.push_str(&text);
        }
    }

    fn end_image(&mut self) {
        let Some(Open::Image { path, url, start }) = self.stack.pop() else {
            return;
        };
        let alt = unescape(&self.out.split_off(start));
        match path {
            Some(path) => self.out.push_str(&format!(
                "#tp-image({}, alt: {})",
                string(&path),
                string(&alt)
            )),
            None => self
                .out
                .push_str(&format!("#emph[{}]#tp-url({})", escape(&alt), string(&url))),
        }
    }

    fn finish(mut self) -> String {
        while let Some(open) = self.stack.pop() {
            if matches!(
                open,
                Open::Plain
                    | Open::Paragraph {
                        bracketed: true,
                        ..
                    }
            ) {
                self.out.push(']');
            }
        }
        trim_trailing_breaks(&mut self.out);
        self.out
    }
}

/// An address without its scheme, `www.` and final slash, to tell whether a
/// link's text already shows its address.
fn bare(url: &str) -> &str {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    url.strip_prefix("www.")
        .unwrap_or(url)
        .trim_end_matches('/')
}

/// Undoes [`escape`] for text that is to become a string literal.
fn unescape(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn trim_trailing_breaks(out: &mut String) {
    let trimmed = out.trim_end_matches(['\n', ' ']).len();
    out.truncate(trimmed);
}

/// The index of the `End` matching the `Start` at `start`.
fn matching_end(events: &[Event<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

#[cfg(test)]
mod tests;
