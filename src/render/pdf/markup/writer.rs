//! The event pass behind [`MarkupContext`]: pulldown-cmark's events in,
//! Typst markup out, with a stack of what is open (paragraphs, lists,
//! tables, footnotes) so every construct is closed where Markdown closes it.

#[allow(clippy::wildcard_imports)]
use super::*;

/// An open element whose closing text depends on what was inside.
pub(super) enum Open {
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
pub(super) const PARAGRAPH_PIECES: usize = 1000;

pub(super) struct Writer<'c, 'a> {
    pub(super) cx: &'c MarkupContext<'a>,
    pub(super) body: Option<&'c Body>,
    pub(super) out: String,
    pub(super) footnotes: BTreeMap<String, String>,
    pub(super) stack: Vec<Open>,
}

impl Writer<'_, '_> {
    /// Footnote definitions are written where they are referenced, as
    /// `#footnote[...]`, so they are converted first.
    pub(super) fn collect_footnotes(&mut self, events: &[Event<'_>]) {
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

    pub(super) fn write(&mut self, events: &[Event<'_>]) {
        for (i, event) in events.iter().enumerate() {
            if !self.is_stop_after_video(events, i) {
                self.event(event);
            }
        }
    }

    /// True for the full stop (or comma...) that ends a paragraph right
    /// after a video link: the video prints as a block of its own (its QR
    /// code), so the mark would sit alone on a line under it.
    fn is_stop_after_video(&self, events: &[Event<'_>], i: usize) -> bool {
        let Event::Text(text) = &events[i] else {
            return false;
        };
        let video_just_written =
            self.out.ends_with("])") && self.out.rfind("#tp-video(") > self.out.rfind("#link(");
        i > 0
            && matches!(events[i - 1], Event::End(TagEnd::Link))
            && matches!(events.get(i + 1), Some(Event::End(TagEnd::Paragraph)))
            && !text.trim().is_empty()
            && text.trim().chars().all(|c| ".,;:!?".contains(c))
            && video_just_written
    }

    pub(super) fn event(&mut self, event: &Event<'_>) {
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
    pub(super) fn text(&mut self, text: &str) {
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
    pub(super) fn count_pieces(&mut self, count: usize) {
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
    pub(super) fn paragraph_is_full(&self) -> bool {
        matches!(self.stack.last(), Some(Open::Paragraph { pieces, .. }) if *pieces >= PARAGRAPH_PIECES)
    }

    pub(super) fn split_paragraph(&mut self) {
        self.out.push_str("\n\n");
        if let Some(Open::Paragraph { pieces, .. }) = self.stack.last_mut() {
            *pieces = 0;
        }
    }

    pub(super) fn html(&mut self, html: &str) {
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

    pub(super) fn start(&mut self, tag: &Tag<'_>) {
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
    pub(super) fn block_break(&mut self) {
        if !(self.out.is_empty() || self.out.ends_with(['[', '\n', ' '])) {
            self.out.push_str("\n\n");
        }
    }

    pub(super) fn open(&mut self, text: &str) {
        self.out.push_str(text);
        self.stack.push(Open::Plain);
    }

    pub(super) fn start_table(&mut self, alignments: &[Alignment]) {
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

    pub(super) fn start_link(&mut self, dest: &str) {
        self.stack.push(Open::Link {
            url: dest.to_string(),
            start: self.out.len(),
        });
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
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
    pub(super) fn close_code_block(&mut self) {
        let Some(Open::Code { start }) = self.stack.pop() else {
            return;
        };
        let text = self.out.split_off(start);
        self.out.push_str(&format!(
            "#raw(block: true, {})\n\n",
            string(text.trim_end_matches('\n'))
        ));
    }

    pub(super) fn end_link(&mut self) {
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
            // Links within the site mean nothing on paper: the text stays,
            // with where to find what it links to.
            let reference = self.cx.refer.and_then(|refer| refer(&url));
            let written = unescape(&text);
            match reference {
                // `<handout:x>` prints as the handout's title.
                Some(r) if written == url => self.out.push_str(&format!(
                    "{}#tp-ref({})",
                    escape(&r.title),
                    string(&r.place)
                )),
                Some(r) => {
                    let shown = if written.trim() == r.title {
                        r.place
                    } else {
                        r.full
                    };
                    self.out
                        .push_str(&format!("{text}#tp-ref({})", string(&shown)));
                }
                None => self.out.push_str(&text),
            }
        }
    }

    pub(super) fn end_image(&mut self) {
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

    pub(super) fn finish(mut self) -> String {
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
pub(super) fn bare(url: &str) -> &str {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    url.strip_prefix("www.")
        .unwrap_or(url)
        .trim_end_matches('/')
}

/// Undoes [`escape`] for text that is to become a string literal.
pub(super) fn unescape(escaped: &str) -> String {
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

pub(super) fn trim_trailing_breaks(out: &mut String) {
    let trimmed = out.trim_end_matches(['\n', ' ']).len();
    out.truncate(trimmed);
}

/// The index of the `End` matching the `Start` at `start`.
pub(super) fn matching_end(events: &[Event<'_>], start: usize) -> usize {
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
