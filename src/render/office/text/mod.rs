//! Markdown to the paragraphs of an Office file: each paragraph a style
//! (Word's and PowerPoint's named styles, never direct formatting) and
//! runs of text with emphasis and links. Blocks follow the audience:
//! participants never get answers, notes, activities or steps.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Tag, TagEnd};

use crate::load::markdown::parser;
use crate::model::{Block, Body, Quiz, parse_placeholder};
use crate::render::Audience;
use crate::render::i18n::Words;

/// A paragraph's style, by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Body text.
    Normal,
    /// The document's title.
    Title,
    /// A heading, level 1 to 3.
    Heading(u8),
    /// A bulleted list item, by nesting level from 0.
    Bullet(u8),
    /// A numbered list item: nesting level and which list (each list
    /// numbers from 1).
    Number(u8, u32),
    /// A quotation.
    Quote,
    /// Code, as written.
    Code,
    /// A possible answer or the key's answer: trainers only.
    Answer,
    /// An empty line for a participant to write on.
    AnswerLine,
    /// A label that sets off what follows ("Possible answers", "Activity").
    Label,
    /// One cell of a table: consecutive cells of the same table make it.
    Cell(Cell),
}

/// Where a table cell stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Which table (numbered like lists, so two tables in a row stay two).
    pub table: u32,
    /// In the header row.
    pub header: bool,
    /// The first cell of its row.
    pub row_start: bool,
    /// The column's alignment, as the Markdown table sets it.
    pub align: Align,
}

/// A table column's alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// As the text's direction has it.
    Start,
    /// Centred.
    Center,
    /// To the end.
    End,
}

/// A run of text with one look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    /// The text.
    pub text: String,
    /// Strong emphasis.
    pub bold: bool,
    /// Emphasis.
    pub italic: bool,
    /// Inline code.
    pub code: bool,
    /// The link's address.
    pub link: Option<String>,
    /// A picture's pack-relative path (the text is its alternative text).
    pub image: Option<String>,
}

/// A paragraph: a style and its runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    /// Its style.
    pub style: Style,
    /// Its text.
    pub runs: Vec<Run>,
}

impl Para {
    /// A paragraph of plain text.
    pub fn plain(style: Style, text: impl Into<String>) -> Para {
        Para {
            style,
            runs: vec![Run {
                text: text.into(),
                ..Run::default()
            }],
        }
    }

    /// Its text, without looks.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Turns Markdown into paragraphs for one audience.
pub struct Converter<'a> {
    /// Who reads the file.
    pub audience: Audience,
    /// The words of the file's language.
    pub words: &'a Words,
    /// Lists numbered so far, so each new list numbers from 1.
    pub lists: std::cell::Cell<u32>,
    /// The pack-relative folder that pictures' paths start from.
    pub dir: std::cell::RefCell<String>,
}

impl<'a> Converter<'a> {
    /// A converter for `audience` in `words`' language.
    pub fn new(audience: Audience, words: &'a Words) -> Converter<'a> {
        Converter {
            audience,
            words,
            lists: std::cell::Cell::new(0),
            dir: std::cell::RefCell::new(String::new()),
        }
    }

    /// The same converter, with pictures' paths starting from `dir`.
    pub fn in_dir(self, dir: &str) -> Self {
        self.set_dir(dir);
        self
    }

    /// Pictures' paths start from `dir` from now on.
    pub fn set_dir(&self, dir: &str) {
        *self.dir.borrow_mut() = dir.to_string();
    }

    /// The pack-relative path of a picture at `dest`, unless it is a URL.
    fn image_path(&self, dest: &str) -> Option<String> {
        use crate::load::markdown::links::{has_scheme, normalise, percent_decode};
        if has_scheme(dest) || dest.starts_with('/') {
            return None;
        }
        let clean = percent_decode(dest.split(['#', '?']).next().unwrap_or(""));
        let joined = normalise(&std::path::Path::new(&*self.dir.borrow()).join(clean));
        Some(joined.to_string_lossy().replace('\\', "/"))
    }

    /// A body, its blocks included as the audience may see them.
    pub fn body(&self, body: &Body, out: &mut Vec<Para>) {
        self.convert(&body.markdown, Some(body), out);
    }

    /// Markdown without blocks.
    pub fn markdown(&self, markdown: &str, out: &mut Vec<Para>) {
        self.convert(markdown, None, out);
    }

    /// One line of inline Markdown as runs.
    pub fn inline(&self, markdown: &str) -> Vec<Run> {
        let mut out = Vec::new();
        self.markdown(markdown, &mut out);
        let mut runs = Vec::new();
        for (i, para) in out.into_iter().enumerate() {
            if i > 0 {
                runs.push(Run {
                    text: " ".into(),
                    ..Run::default()
                });
            }
            runs.extend(para.runs);
        }
        runs
    }

    fn next_list(&self) -> u32 {
        self.lists.set(self.lists.get() + 1);
        self.lists.get()
    }

    fn convert(&self, markdown: &str, body: Option<&Body>, out: &mut Vec<Para>) {
        let mut pass = Pass {
            cx: self,
            body,
            out,
            current: None,
            look: Run::default(),
            lists: Vec::new(),
            quote: 0,
            heading: None,
            in_code: false,
            table: None,
        };
        for event in parser(markdown) {
            pass.event(event);
        }
        pass.end_para();
    }

    /// The paragraphs of a block, or none when the audience may not see it.
    pub fn block(&self, block: &Block, out: &mut Vec<Para>) {
        let trainer = self.audience != Audience::Participant;
        match block {
            Block::Questions(q) => {
                let list = self.next_list();
                for item in &q.items {
                    out.push(Para {
                        style: Style::Number(0, list),
                        runs: self.inline(&item.text),
                    });
                    if self.audience == Audience::Participant {
                        out.extend((0..3).map(|_| Para::plain(Style::AnswerLine, "")));
                    }
                }
            }
            Block::Answers(a) if trainer => {
                out.push(Para::plain(
                    Style::Label,
                    format!("{}:", self.words.get("possible_answers")),
                ));
                let mut inner = Vec::new();
                self.body(&a.body, &mut inner);
                out.extend(inner.into_iter().map(as_answer));
            }
            Block::Note(n) if trainer => {
                out.push(Para::plain(
                    Style::Label,
                    format!("{}:", self.words.get("notes")),
                ));
                self.body(&n.body, out);
            }
            Block::Activity(a) if trainer => {
                let minutes = self.words.duration(a.minutes);
                out.push(Para::plain(
                    Style::Label,
                    format!("{}: {} ({minutes})", self.words.get("activity"), a.title),
                ));
                self.body(&a.body, out);
            }
            Block::Steps(s) if trainer => {
                for step in &s.items {
                    let mut runs = vec![Run {
                        text: format!("{}: ", self.words.duration(step.minutes)),
                        bold: true,
                        ..Run::default()
                    }];
                    runs.extend(self.inline(&step.text));
                    out.push(Para {
                        style: Style::Bullet(0),
                        runs,
                    });
                }
            }
            Block::Role(r) => {
                out.push(Para::plain(Style::Heading(3), r.title.clone()));
                self.body(&r.body, out);
            }
            Block::Quiz(q) => self.quiz(q, out),
            _ => {}
        }
    }

    /// A quiz: participants get empty boxes, the answer key the marked
    /// options and the answers.
    pub fn quiz(&self, quiz: &Quiz, out: &mut Vec<Para>) {
        let key = self.audience == Audience::Key;
        let list = self.next_list();
        for q in &quiz.questions {
            let mut text = Vec::new();
            self.body(&q.text, &mut text);
            let mut first = true;
            for para in text {
                if first && para.style == Style::Normal {
                    out.push(Para {
                        style: Style::Number(0, list),
                        runs: para.runs,
                    });
                } else {
                    out.push(para);
                }
                first = false;
            }
            for option in &q.options {
                let mark = if key && option.correct {
                    "☑ "
                } else {
                    "☐ "
                };
                let mut runs = vec![Run {
                    text: mark.into(),
                    ..Run::default()
                }];
                runs.extend(self.inline(&option.text));
                out.push(Para {
                    style: Style::Bullet(1),
                    runs,
                });
            }
            match (&q.answers, key) {
                (Some(a), true) => {
                    let mut inner = Vec::new();
                    self.body(&a.body, &mut inner);
                    out.extend(inner.into_iter().map(as_answer));
                }
                (_, false) if q.options.is_empty() => {
                    out.extend((0..3).map(|_| Para::plain(Style::AnswerLine, "")));
                }
                _ => {}
            }
        }
    }
}

/// A paragraph set as an answer (lists keep their shape).
pub fn as_answer(mut para: Para) -> Para {
    if matches!(para.style, Style::Normal | Style::Quote) {
        para.style = Style::Answer;
    }
    para
}

/// The paragraphs with each table row as one paragraph of its cells
/// joined by " | " (a slide or its notes have no tables).
pub fn rows_as_lines(paras: Vec<Para>) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for para in paras {
        let Style::Cell(cell) = para.style else {
            out.push(para);
            continue;
        };
        match out.last_mut() {
            Some(row) if !cell.row_start && row.style == Style::Normal => {
                row.runs.push(Run {
                    text: " | ".into(),
                    ..Run::default()
                });
                row.runs.extend(para.runs);
            }
            _ => out.push(Para {
                style: Style::Normal,
                runs: para.runs,
            }),
        }
    }
    out
}

/// The event pass: what is open, and the paragraph being written.
struct Pass<'c, 'a, 'o> {
    cx: &'c Converter<'a>,
    body: Option<&'c Body>,
    out: &'o mut Vec<Para>,
    current: Option<Para>,
    look: Run,
    /// Open lists: the numbered list's id, or none for bullets.
    lists: Vec<Option<u32>>,
    quote: usize,
    heading: Option<u8>,
    in_code: bool,
    /// The open table: its number, its columns' alignments, whether in
    /// the header, the next cell's column.
    table: Option<(u32, Vec<Alignment>, bool, usize)>,
}

impl Pass<'_, '_, '_> {
    fn style(&self) -> Style {
        if let Some(level) = self.heading {
            return Style::Heading(level);
        }
        if self.in_code {
            return Style::Code;
        }
        let level = self.lists.len().saturating_sub(1).min(8) as u8;
        match self.lists.last() {
            Some(Some(list)) => Style::Number(level, *list),
            Some(None) => Style::Bullet(level),
            None if self.quote > 0 => Style::Quote,
            None => Style::Normal,
        }
    }

    fn para(&mut self) -> &mut Para {
        let style = self.style();
        self.current.get_or_insert(Para {
            style,
            runs: Vec::new(),
        })
    }

    fn end_para(&mut self) {
        if let Some(para) = self.current.take()
            && !para.runs.is_empty()
        {
            self.out.push(para);
        }
    }

    fn text(&mut self, text: &str) {
        let look = self.look.clone();
        let para = self.para();
        match para.runs.last_mut() {
            Some(last)
                if last.bold == look.bold
                    && last.italic == look.italic
                    && last.code == look.code
                    && last.link == look.link
                    && last.image == look.image =>
            {
                last.text.push_str(text);
            }
            _ => para.runs.push(Run {
                text: text.to_string(),
                ..look
            }),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) if self.in_code => {
                for (i, line) in t.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        self.end_para();
                    }
                    self.text(line);
                }
            }
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                self.look.code = true;
                self.text(&t);
                self.look.code = false;
            }
            Event::SoftBreak | Event::HardBreak => self.text(" "),
            Event::Html(html) | Event::InlineHtml(html) => self.html(&html),
            Event::TaskListMarker(done) => self.text(if done { "☑ " } else { "☐ " }),
            Event::FootnoteReference(label) => self.text(&format!("[{label}]")),
            Event::Rule => self.end_para(),
            _ => {}
        }
    }

    fn html(&mut self, html: &str) {
        if let (Some(index), Some(body)) = (parse_placeholder(html), self.body)
            && let Some(block) = body.blocks.get(index)
        {
            self.end_para();
            self.cx.block(block, self.out);
        }
        // Any other HTML is left out: an Office file cannot show it.
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::Item => self.end_para(),
            Tag::Table(align) => {
                self.end_para();
                self.table = Some((self.cx.next_list(), align, false, 0));
            }
            Tag::TableHead | Tag::TableRow => {
                self.end_para();
                if let Some(table) = &mut self.table {
                    table.2 = matches!(tag, Tag::TableHead);
                    table.3 = 0;
                }
            }
            Tag::Heading { level, .. } => {
                self.end_para();
                self.heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    _ => 3,
                });
            }
            Tag::List(start) => {
                self.end_para();
                let list = start.map(|_| self.cx.next_list());
                self.lists.push(list);
            }
            Tag::BlockQuote(_) => {
                self.end_para();
                self.quote += 1;
            }
            Tag::CodeBlock(_) => {
                self.end_para();
                self.in_code = true;
            }
            Tag::TableCell => {
                self.end_para();
                if let Some((table, align, header, column)) = &mut self.table {
                    self.current = Some(Para {
                        style: Style::Cell(Cell {
                            table: *table,
                            header: *header,
                            row_start: *column == 0,
                            align: match align.get(*column) {
                                Some(Alignment::Center) => Align::Center,
                                Some(Alignment::Right) => Align::End,
                                _ => Align::Start,
                            },
                        }),
                        runs: Vec::new(),
                    });
                    *column += 1;
                }
            }
            Tag::Emphasis => self.look.italic = true,
            Tag::Strong => self.look.bold = true,
            Tag::Link { dest_url, .. } => {
                self.look.link = Some(dest_url.to_string());
            }
            Tag::Image { dest_url, .. } => {
                self.look.italic = true;
                self.look.image = self.cx.image_path(&dest_url);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::TableCell => {
                // An empty cell is still a cell.
                if let Some(para) = self.current.take() {
                    self.out.push(para);
                }
            }
            TagEnd::Table => {
                self.end_para();
                self.table = None;
            }
            TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::Heading(_) => {
                self.end_para();
                self.heading = None;
            }
            TagEnd::List(_) => {
                self.end_para();
                self.lists.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.end_para();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                self.end_para();
                self.in_code = false;
            }
            TagEnd::Emphasis => self.look.italic = false,
            TagEnd::Strong => self.look.bold = false,
            TagEnd::Link => self.look.link = None,
            TagEnd::Image => {
                self.look.italic = false;
                self.look.image = None;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
