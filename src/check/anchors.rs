//! The anchors of a page as the renderer gives them: the ids of its
//! headings (from their text, or `{#id}`), its notes sections and
//! activities, made unique in the order the page is written, and the
//! theme's own section ids. `#anchor` links are checked against them.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::load::anchor_of;
use crate::load::markdown::parser;
use crate::model::{Block, Body, Handout, Module, parse_placeholder};

/// The ids the default theme writes on a trainer's guide page.
const GUIDE_IDS: [&str; 10] = [
    "main",
    "tp-time",
    "tp-activities",
    "tp-handouts",
    "tp-videos",
    "tp-overview",
    "tp-outcomes",
    "tp-schedule",
    "tp-key-messages",
    "tp-quiz",
];

/// Who a page is for: participants' pages leave out the trainer's blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reader {
    Trainer,
    Participant,
}

/// The anchors of a page, in the order the renderer gives them.
#[derive(Default)]
pub struct Anchors {
    used: BTreeSet<String>,
    /// In page order, for listing in a hint.
    pub order: Vec<String>,
}

impl Anchors {
    /// The anchors of a module's trainer's guide.
    pub fn of_guide(module: &Module) -> Anchors {
        let mut anchors = Anchors::default();
        anchors.body(&module.overview, Reader::Trainer);
        for section in &module.sections {
            anchors.reserve(&section.anchor);
            anchors.body(&section.body, Reader::Trainer);
        }
        anchors.used.extend(GUIDE_IDS.map(String::from));
        anchors
    }

    /// The anchors of a handout's page.
    pub fn of_handout(handout: &Handout) -> Anchors {
        let mut anchors = Anchors::default();
        anchors.body(&handout.body, Reader::Participant);
        anchors.used.insert("main".into());
        anchors
    }

    /// Adds the anchors of another part of the page.
    pub fn extend(&mut self, other: Anchors) {
        self.used.extend(other.used);
        self.order.extend(other.order);
    }

    /// True when the page has the anchor.
    pub fn contains(&self, anchor: &str) -> bool {
        self.used.contains(anchor)
    }

    /// As the renderer's `Page::unique_id`: `-2`, `-3` … when taken.
    fn reserve(&mut self, base: &str) {
        let mut id = base.to_string();
        let mut n = 1;
        while self.used.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.used.insert(id.clone());
        self.order.push(id);
    }

    fn body(&mut self, body: &Body, reader: Reader) {
        let mut heading: Option<(Option<String>, String)> = None;
        for event in parser(&body.markdown) {
            match event {
                Event::Start(Tag::Heading { id, .. }) => {
                    heading = Some((id.map(|i| i.to_string()), String::new()));
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, text)) = heading.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((id, text)) = heading.take() {
                        self.reserve(&id.unwrap_or_else(|| anchor_of(&text)));
                    }
                }
                Event::Html(html) if heading.is_none() => {
                    let block = parse_placeholder(&html).and_then(|i| body.blocks.get(i));
                    if let Some(block) = block {
                        self.block(block, reader);
                    }
                }
                _ => {}
            }
        }
    }

    fn block(&mut self, block: &Block, reader: Reader) {
        let trainer = reader == Reader::Trainer;
        match block {
            Block::Activity(a) if trainer => {
                self.reserve(&a.anchor);
                self.used.insert(format!("{}-title", a.anchor));
                self.body(&a.body, reader);
            }
            Block::Answers(a) if trainer => self.body(&a.body, reader),
            Block::Note(n) if trainer => self.body(&n.body, reader),
            Block::Quiz(q) => {
                for question in &q.questions {
                    self.body(&question.text, reader);
                    if let (Some(answers), true) = (&question.answers, trainer) {
                        self.body(&answers.body, reader);
                    }
                }
            }
            _ => {}
        }
    }
}
