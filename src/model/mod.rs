//! The typed model of a pack: plain data that every renderer reads.
//!
//! Loading builds it (`src/load/`), checking reads it (`src/check/`), and
//! the HTML and PDF renderers turn it into pages.
//! Every item keeps the file and line it came from.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

mod activity;
pub mod config;
pub mod files;
pub mod office;
pub mod schedule;
mod slides;
pub mod time;

use config::Config;
use schedule::Schedule;
pub use slides::{Slide, SlideImage, SlideRange};
use time::Minutes;

/// The folder holding the modules in a pack.
pub const MODULES_DIR: &str = "modules";

/// A whole training pack: its configuration and its modules, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Pack {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// The validated `book.toml`.
    pub config: Config,
    /// The modules, ordered by number, then by path. Shared, so `serve`
    /// reuses an unchanged module without copying it.
    pub modules: Vec<Arc<Module>>,
    /// Files under `modules/` that are not Markdown, copied to the site.
    pub assets: Vec<Asset>,
    /// The symbolic links followed under the modules folder, so a build
    /// can refuse one that leads to its output folder.
    #[serde(skip)]
    pub links: Vec<Symlink>,
    /// The folder of the modules: `modules`, or `modules/fr` in a pack
    /// written in several languages.
    pub modules_dir: String,
    /// Where this language's pages go in the site: "" for the pack's main
    /// language, "fr/" for another.
    pub prefix: String,
    /// The same pack in its other languages (`[pack] languages`).
    pub translations: Vec<Pack>,
    /// The modules this build leaves out, so that a link to one says why.
    #[serde(skip)]
    pub left_out: LeftOut,
    /// The Office templates `[office]` names, read when the pack is checked.
    #[serde(skip)]
    pub office: office::OfficeTemplates,
}

/// Modules found under `modules/` that are not in the pack, by name.
#[derive(Debug, Clone, Default)]
pub struct LeftOut {
    /// Marked `draft = true`, and built without `--drafts`.
    pub drafts: Vec<String>,
    /// Could not be read: their own errors say why.
    pub unread: Vec<String>,
}

impl Pack {
    /// The path in the site (below [`Pack::prefix`]) of a file of the pack:
    /// files of `modules/fr/...` go to `modules/...` of the French site.
    pub fn site_path(&self, source: &str) -> String {
        match source.strip_prefix(self.modules_dir.as_str()) {
            Some(rest) if self.modules_dir != MODULES_DIR => {
                format!("{}{rest}", MODULES_DIR)
            }
            _ => source.to_string(),
        }
    }

    /// The page a Markdown file of the pack becomes: its module, and the
    /// handout when the file is a handout's (`path` relative to the pack).
    pub fn page_of(&self, path: &str) -> Option<(&Module, Option<&Handout>)> {
        self.modules.iter().find_map(|m| {
            if m.path == path {
                return Some((&**m, None));
            }
            let handout = m
                .handouts
                .iter()
                .find(|h| h.path == path && h.path != m.path);
            handout.map(|h| (&**m, Some(h)))
        })
    }

    /// This pack and its translations, the main language first.
    pub fn languages(&self) -> impl Iterator<Item = &Pack> {
        std::iter::once(self).chain(&self.translations)
    }
}

/// Above this many modules, a pack is freed on all cores.
const PARALLEL_DROP: usize = 64;

impl Drop for Pack {
    // A pack of 1000 modules is half a million allocations: freed on one
    // thread they took 23 ms of a 250 ms `check`.
    fn drop(&mut self) {
        if self.modules.len() > PARALLEL_DROP {
            std::mem::take(&mut self.modules)
                .into_par_iter()
                .for_each(drop);
        }
    }
}

/// A file copied to the site unchanged.
#[derive(Debug, Clone, Serialize)]
pub struct Asset {
    /// Path relative to the pack root, with `/` separators; also its path in
    /// the site.
    pub path: String,
    /// Where its bytes are, when not at `path`: a picture of the original's
    /// module that a translation without its own is given.
    pub source: Option<String>,
}

impl Asset {
    /// The file to read for it.
    pub fn file(&self) -> &str {
        self.source.as_deref().unwrap_or(&self.path)
    }
}

/// One module: front matter, notes, blocks, handouts and the schedule.
#[derive(Debug, Clone, Serialize)]
pub struct Module {
    /// The module's name in URLs and `module:` links: the file stem of a
    /// single-file module, or the folder name of a folder module.
    pub slug: String,
    /// The Markdown file, relative to the pack root.
    pub path: String,
    /// The folder that relative links in the module start from.
    pub dir: String,
    /// `number`, or the digits the slug starts with.
    pub number: Option<u32>,
    /// `title`.
    pub title: String,
    /// `duration`: the facilitation time.
    pub duration: Option<Minutes>,
    /// `summary`.
    pub summary: Option<String>,
    /// `outcomes`: learning outcomes.
    pub outcomes: Vec<String>,
    /// `activities`: the kinds of activity, as listed on the cover.
    pub activities: Vec<String>,
    /// `key_messages`.
    pub key_messages: Vec<String>,
    /// `language`, when the module is not in the pack's language.
    pub language: Option<String>,
    /// `draft`: left out of builds unless `--drafts`.
    pub draft: bool,
    /// `[[slides]]`, in deck order.
    pub slides: Vec<Slide>,
    /// Prose before the first level-2 heading.
    pub overview: Body,
    /// Notes sections, one per level-2 heading.
    pub sections: Vec<Section>,
    /// Handouts: files under `handouts/` and inline `handout` blocks.
    pub handouts: Vec<Handout>,
    /// The running clock over slides and activities.
    pub schedule: Schedule,
    /// `start` or `after`: when the module starts, if set.
    pub start: Option<schedule::ModuleStart>,
    /// True for an original shown in a translation's place, because the
    /// language lists it as `pending`.
    pub untranslated: bool,
    /// `translation_of`: the fingerprint of the original as it was when
    /// this translation was last brought up to date.
    pub translation_of: Option<String>,
}

/// A notes section: a level-2 heading and what follows it, up to the next.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading text, without its `{...}` attributes.
    pub title: String,
    /// The slides it covers; `None` for a heading without `{slide=...}`.
    pub slides: Option<SlideRange>,
    /// The slide's id when the heading names it by id (`{slide=key-messages}`).
    pub slide_id: Option<String>,
    /// The anchor of the section in the trainer's guide.
    pub anchor: String,
    /// Line of the heading.
    pub line: usize,
    /// The notes.
    pub body: Body,
}

/// Markdown with blocks in it. Each block stands in the Markdown as a
/// placeholder line (see [`placeholder`]) at the place and indentation it was
/// written, so a block indented under a list item stays inside that item
/// when rendered.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Body {
    /// The Markdown, with placeholder lines for blocks.
    pub markdown: String,
    /// The blocks, indexed by their placeholders.
    pub blocks: Vec<Block>,
    /// The source line of each line of `markdown`.
    #[serde(skip)]
    pub lines: Vec<u32>,
}

/// The placeholder line that stands for block `index` of a body. An HTML
/// comment, so CommonMark keeps it as one raw HTML block wherever it sits;
/// the private-use character keeps authors' own comments from matching.
pub fn placeholder(index: usize) -> String {
    format!("<!--\u{E000}{index}-->")
}

/// Reads a placeholder back: the block index, if `html` is one.
pub fn parse_placeholder(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix("<!--\u{E000}")?
        .strip_suffix("-->")?
        .parse()
        .ok()
}

impl Body {
    /// The source line of a Markdown line (0-based), or of the body's start.
    pub fn source_line(&self, markdown_line: usize) -> usize {
        self.lines
            .get(markdown_line)
            .or(self.lines.last())
            .copied()
            .unwrap_or(0) as usize
    }

    /// The first source line of the body.
    pub fn first_line(&self) -> usize {
        self.source_line(0)
    }

    /// True when there is nothing but white space and no block.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty() && self.markdown.trim().is_empty()
    }

    /// Visits every block in source order, depth first, with nesting depth.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Block, usize)) {
        self.walk_at(0, visit);
    }

    fn walk_at<'a>(&'a self, depth: usize, visit: &mut dyn FnMut(&'a Block, usize)) {
        for block in &self.blocks {
            visit(block, depth);
            for child in block.bodies() {
                child.walk_at(depth + 1, visit);
            }
        }
    }
}

/// A fenced `:::` block.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Block {
    /// A timed exercise.
    Activity(Activity),
    /// The timed steps of an activity.
    Steps(Steps),
    /// Possible answers: trainer-only.
    Answers(Answers),
    /// A tip for the trainer: trainer-only.
    Note(Note),
    /// Numbered questions in a handout.
    Questions(Questions),
    /// The end-of-module quiz.
    Quiz(Quiz),
    /// Where an inline handout was written; the handout itself is in
    /// [`Module::handouts`].
    Handout(HandoutRef),
    /// A role of a role play: a card for the participant who plays it.
    Role(Role),
}

impl Block {
    /// The bodies nested in this block, for walking the tree.
    pub fn bodies(&self) -> Vec<&Body> {
        match self {
            Block::Activity(a) => vec![&a.body],
            Block::Answers(a) => vec![&a.body],
            Block::Note(n) => vec![&n.body],
            Block::Role(r) => vec![&r.body],
            Block::Quiz(q) => q
                .questions
                .iter()
                .flat_map(|question| {
                    std::iter::once(&question.text).chain(question.answers.iter().map(|a| &a.body))
                })
                .collect(),
            Block::Steps(_) | Block::Questions(_) | Block::Handout(_) => Vec::new(),
        }
    }

    /// The line of the opening fence.
    pub fn line(&self) -> usize {
        match self {
            Block::Activity(b) => b.line,
            Block::Steps(b) => b.line,
            Block::Answers(b) => b.line,
            Block::Note(b) => b.line,
            Block::Questions(b) => b.line,
            Block::Quiz(b) => b.line,
            Block::Handout(b) => b.line,
            Block::Role(b) => b.line,
        }
    }
}

/// `::: activity title="..." minutes=N`.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    /// `title`.
    pub title: String,
    /// `minutes`.
    pub minutes: Minutes,
    /// The activity's number in its module, from 1, in source order.
    pub number: usize,
    /// Anchor in the trainer's guide.
    pub anchor: String,
    /// Line of the opening fence.
    pub line: usize,
    /// Instructions, with nested blocks (steps, answers, notes, a quiz).
    pub body: Body,
}

impl Activity {
    /// The activity's `steps` block, if it has one.
    pub fn steps(&self) -> Option<&Steps> {
        self.body.blocks.iter().find_map(|b| match b {
            Block::Steps(steps) => Some(steps),
            _ => None,
        })
    }
}

/// `::: steps`: a list of timed steps.
#[derive(Debug, Clone, Serialize)]
pub struct Steps {
    /// The steps, in order.
    pub items: Vec<Step>,
    /// Line of the opening fence.
    pub line: usize,
}

impl Steps {
    /// The sum of the steps' durations.
    pub fn total(&self) -> Minutes {
        self.items.iter().map(|s| s.minutes).sum()
    }
}

/// One step: `- 5 min: Introduce the task`.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// How long it takes.
    pub minutes: Minutes,
    /// What happens, as inline Markdown.
    pub text: String,
    /// Its line.
    pub line: usize,
}

/// `::: answers`.
#[derive(Debug, Clone, Serialize)]
pub struct Answers {
    /// The answers.
    pub body: Body,
    /// When the answers are one numbered list: its items, so the answer key
    /// can set each answer under its question.
    pub items: Option<Vec<String>>,
    /// Line of the opening fence.
    pub line: usize,
}

/// `::: note`.
#[derive(Debug, Clone, Serialize)]
pub struct Note {
    /// The tip.
    pub body: Body,
    /// Line of the opening fence.
    pub line: usize,
}

/// `::: role title="..."`: one card of a role play.
#[derive(Debug, Clone, Serialize)]
pub struct Role {
    /// `title`: the role ("The mother").
    pub title: String,
    /// What the card tells the one who plays it.
    pub body: Body,
    /// Line of the opening fence.
    pub line: usize,
}

/// `::: questions`.
#[derive(Debug, Clone, Serialize)]
pub struct Questions {
    /// Each question as Markdown.
    pub items: Vec<Question>,
    /// Line of the opening fence.
    pub line: usize,
}

/// One question of a `questions` block.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// The question, as Markdown.
    pub text: String,
    /// Its line.
    pub line: usize,
}

/// `::: quiz title="..."`.
#[derive(Debug, Clone, Serialize)]
pub struct Quiz {
    /// `title`, "Quiz" by default.
    pub title: String,
    /// The questions.
    pub questions: Vec<QuizQuestion>,
    /// Line of the opening fence.
    pub line: usize,
}

/// One quiz question: options make it multiple choice, none make it open.
#[derive(Debug, Clone, Serialize)]
pub struct QuizQuestion {
    /// The question, as Markdown.
    pub text: Body,
    /// Options, when multiple choice.
    pub options: Vec<QuizOption>,
    /// Possible answers to an open question.
    pub answers: Option<Answers>,
    /// Its line.
    pub line: usize,
}

/// A task-list item of a quiz question.
#[derive(Debug, Clone, Serialize)]
pub struct QuizOption {
    /// The option, as inline Markdown.
    pub text: String,
    /// `[x]`.
    pub correct: bool,
    /// Its line.
    pub line: usize,
}

/// `::: handout id=... title="..."`, as left in the notes.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutRef {
    /// The handout's id.
    pub id: String,
    /// Line of the opening fence.
    pub line: usize,
}

/// A handout for participants: a file under `handouts/` or an inline block.
#[derive(Debug, Clone, Serialize)]
pub struct Handout {
    /// The id: the file stem, or the block's `id`.
    pub id: String,
    /// `title`.
    pub title: String,
    /// The file it is written in, relative to the pack root.
    pub path: String,
    /// Line where it starts (1 for files).
    pub line: usize,
    /// `audience`: who gets a copy when a class is printed.
    pub audience: HandoutAudience,
    /// The handout, with `questions` and `answers` blocks.
    pub body: Body,
}

/// Who a handout is for, when a class is printed (`audience = "group"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HandoutAudience {
    /// One copy per participant (the default).
    #[default]
    Participant,
    /// One copy per group: a case study a group works on together.
    Group,
}

impl HandoutAudience {
    /// Every audience, by the name written in front matter.
    pub const ALL: [(&'static str, HandoutAudience); 2] = [
        ("participant", HandoutAudience::Participant),
        ("group", HandoutAudience::Group),
    ];

    /// The audience written as `name`, if there is one.
    pub fn named(name: &str) -> Option<HandoutAudience> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, audience)| *audience)
    }
}

impl Handout {
    /// All questions of the handout, in order.
    pub fn questions(&self) -> Vec<&Question> {
        let mut out = Vec::new();
        self.body.walk(&mut |block, _| {
            if let Block::Questions(q) = block {
                out.extend(q.items.iter());
            }
        });
        out
    }
}

impl Module {
    /// Every activity of the module, in source order.
    pub fn activities_in_order(&self) -> Vec<&Activity> {
        let mut out = Vec::new();
        for body in self.bodies() {
            body.walk(&mut |block, _| {
                if let Block::Activity(a) = block {
                    out.push(a);
                }
            });
        }
        out
    }

    /// The quiz, if the module has one.
    pub fn quiz(&self) -> Option<&Quiz> {
        let mut found = None;
        for body in self.bodies() {
            body.walk(&mut |block, _| {
                if let (Block::Quiz(q), None) = (block, &found) {
                    found = Some(q);
                }
            });
        }
        found
    }

    /// The overview and every section's notes, in order.
    pub fn bodies(&self) -> impl Iterator<Item = &Body> {
        std::iter::once(&self.overview).chain(self.sections.iter().map(|s| &s.body))
    }

    /// Every role card of the module, in source order.
    pub fn roles(&self) -> Vec<&Role> {
        let mut out = Vec::new();
        for body in self.bodies() {
            body.walk(&mut |block, _| {
                if let Block::Role(r) = block {
                    out.push(r);
                }
            });
        }
        out
    }

    /// The handout with this id.
    pub fn handout(&self, id: &str) -> Option<&Handout> {
        self.handouts.iter().find(|h| h.id == id)
    }

    /// "Module 4: Coordination" or just the title when unnumbered.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("Module {n}: {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// A symbolic link the walk of `modules/` or of a theme followed.
#[derive(Debug, Clone)]
pub struct Symlink {
    /// The link's own path, relative to the pack, for messages.
    pub path: String,
    /// Where it leads, with every link resolved.
    pub target: PathBuf,
}
