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

use crate::load::markdown::links::{has_scheme, normalise};
use crate::load::markdown::parser;
use crate::model::{Block, Body, Quiz, parse_placeholder};
use crate::render::Audience;

mod writer;

use writer::Writer;

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
    /// Whether trainers' documents print possible answers (`print_answers`
    /// for the printed guide); answer keys always do.
    pub answers: AnswerPolicy,
    /// Where a link within the pack (`handout:`, `module:`) is found on
    /// paper; without it, such a link prints as its text alone.
    pub refer: Option<&'a Refer<'a>>,
}

/// Finds where a link within the pack is on paper (see `Cx::refer`).
pub type Refer<'a> = dyn Fn(&str) -> Option<Reference> + Sync + 'a;

/// Whether a trainer's document prints possible answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerPolicy {
    /// Printed, set apart.
    Shown,
    /// Left out, with the quiz's correct options unmarked.
    LeftOut,
}

/// What a link within the pack prints after its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The linked handout's or module's title.
    pub title: String,
    /// Where to find it when the link's text is its title: "page 7",
    /// "see Module 3".
    pub place: String,
    /// Where to find it otherwise: "Case Study 2, page 7".
    pub full: String,
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
        let answers = trainer && self.shows_answers();
        match block {
            Block::Questions(q) => {
                let items: Vec<String> = q
                    .items
                    .iter()
                    .map(|i| content(&self.markdown(&i.text)))
                    .collect();
                format!("#tp-questions(({},))\n\n", items.join(", "))
            }
            Block::Answers(a) if answers => {
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
        let trainer = self.audience != Audience::Participant && self.shows_answers();
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

    /// Answer keys print answers whatever the guide's policy.
    fn shows_answers(&self) -> bool {
        self.audience == Audience::Key || self.answers == AnswerPolicy::Shown
    }

    /// The path in the PDF world of an image written as `dest`, if it is a
    /// file of the pack.
    fn image_path(&self, dest: &str) -> Option<String> {
        if has_scheme(dest) || dest.starts_with('/') {
            return None;
        }
        let clean = crate::load::markdown::links::percent_decode(
            dest.split(['#', '?']).next().unwrap_or(""),
        );
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

#[cfg(test)]
mod tests;
