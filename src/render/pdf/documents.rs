//! The documents printed for a pack, as data for the PDF templates: each
//! handout and quiz for participants, each module's answer key and the
//! whole pack's answer key for trainers, and each module's deck (see
//! [`super::deck`]).

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Block, Handout, Module, Pack};
use crate::render::Audience;
use crate::render::i18n::{Words, words_for};
use crate::render::pdf::markup::{AnswerPolicy, MarkupContext};
use crate::render::urls;

mod run_sheet;

pub use run_sheet::{Rows, SheetDay, SheetRow};

/// One PDF to make.
#[derive(Debug, Clone)]
pub struct Job {
    /// Where it goes in the site.
    pub path: String,
    /// The theme's template that typesets it (`pdf/handout.typ`).
    pub template: &'static str,
    /// The document, as the template's `data`.
    pub data: Document,
    /// Video URLs in the document; video `i` gets the QR code `/qr/i.svg`.
    pub videos: Vec<String>,
    /// The Markdown file it comes from, for errors.
    pub source: String,
    /// A PDF made before it whose pages its template draws: the notes
    /// pages draw the deck's slides (see [`Job::draw_slides`]).
    pub drawn: Option<Drawn>,
}

/// A PDF that a document draws pages of, as [`DRAWN_PDF`] in its world.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// Its fingerprint, which the drawing document's includes.
    pub hash: String,
    /// Its bytes, or the previous site's file holding them.
    pub content: crate::render::Content,
}

/// The file name a drawn PDF has in the world of the document drawing it.
pub const DRAWN_PDF: &str = "/drawn.pdf";

/// What a PDF template receives as `data`.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// `handout`, `quiz`, `answer-key`, `slides` or `slides-notes`.
    pub kind: &'static str,
    /// `a4` or `letter`.
    pub paper: &'static str,
    /// The BCP 47 language of the text.
    pub lang: String,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// The document's title.
    pub title: String,
    /// The pack's title, for the running header.
    pub pack: String,
    /// "Module 4: …", for the running header.
    pub module: String,
    /// The pack's authors, for the PDF's metadata.
    pub authors: Vec<String>,
    /// The theme's words in the document's language.
    pub words: std::collections::BTreeMap<String, String>,
    /// The content as Typst markup (handouts and quizzes).
    pub body: String,
    /// The modules of an answer key.
    pub modules: Vec<ModuleKey>,
    /// The cover of the pack's answer key: each module and its length.
    pub contents: Vec<ContentsEntry>,
    /// The slides of a deck PDF.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub slides: Vec<super::deck::SlidePage>,
    /// In the notes pages, the deck whose page `n` shows slide `n`, to be
    /// drawn instead of typesetting each slide again (see [`Drawn`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slides_pdf: Option<String>,
    /// The cover sheets of a print run, one page each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<CoverSheet>,
    /// The role cards of a module's role plays.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<RoleCard>,
    /// The days of a run sheet.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<SheetDay>,
    /// A printed trainer's guide.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guide: Option<super::guide::GuideData>,
    /// The course book's title page and contents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub book: Option<super::book::BookCover>,
    /// Page numbers continued from the document this one is part of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folio: Option<Folio>,
    /// The evaluation form of the kit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<super::kit::EvaluationForm>,
    /// The attendance sheets of the kit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attendance: Option<super::kit::Attendance>,
    /// The certificates of attendance of the kit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificates: Option<super::kit::Certificates>,
}

/// How a page of the course book gets its number ("Page 12 of 340"):
/// the book's pages are numbered when it is bound, by stamping each with
/// a page of a numbers-only document, so that a part's pages do not
/// depend on where it falls in the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "numbers", rename_all = "lowercase")]
pub enum Folio {
    /// A part of the book: its footer leaves the number's place empty.
    Stamped,
    /// Numbers alone on otherwise empty pages, `first` to `first + count
    /// - 1` of `total`: the stamps.
    Stamp {
        /// The number of its first page.
        first: usize,
        /// How many pages it has.
        count: usize,
        /// The book's pages.
        total: usize,
        /// The first page of the appendix, whose pages also carry their
        /// number within it ("A-3"), if the book has one.
        appendix: Option<usize>,
    },
}

/// A role card: the role and what its player is told.
#[derive(Debug, Clone, Serialize)]
pub struct RoleCard {
    /// The role.
    pub title: String,
    /// The card's text, as markup.
    pub body: String,
}

/// A cover sheet of a print run: before a group's material, or before
/// the trainer's copies.
#[derive(Debug, Clone, Serialize)]
pub struct CoverSheet {
    /// "Group 2 of 4", "Trainer's copies".
    pub heading: String,
    /// "Module 4: …", or empty.
    pub module: String,
    /// Who it is for, in a sentence.
    pub note: String,
    /// The titles of the documents that follow it.
    pub documents: Vec<String>,
}

/// A module's PDFs for a print run, by who gets them.
pub struct PrintJobs<'m> {
    /// Each handout, with the handout it prints, in the module's order.
    pub handouts: Vec<(&'m Handout, Job)>,
    /// The quiz, if the module has one.
    pub quiz: Option<Job>,
    /// The answer key, for the trainer.
    pub key: Job,
}

/// A module in the contents of the pack's answer key.
#[derive(Debug, Clone, Serialize)]
pub struct ContentsEntry {
    /// "Module 4: …".
    pub label: String,
    /// The pages of its answer key.
    pub pages: usize,
}

/// One module's part of an answer key.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleKey {
    /// "Module 4: …".
    pub label: String,
    /// Activities with possible answers.
    pub activities: Vec<ActivityKey>,
    /// Handouts with answers.
    pub handouts: Vec<HandoutKey>,
    /// The quiz with its answers, as markup.
    pub quiz: Option<String>,
}

/// An activity's possible answers.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityKey {
    /// The activity's title.
    pub title: String,
    /// Its length, in words.
    pub minutes: String,
    /// Its answers, as markup.
    pub answers: String,
}

/// A handout's questions and answers.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutKey {
    /// The handout's title.
    pub title: String,
    /// Question (markup, possibly empty) and answer (markup) pairs.
    pub items: Vec<KeyItem>,
}

/// A question and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct KeyItem {
    /// The question, or the questions as a list, as markup.
    pub question: String,
    /// The answer, as markup.
    pub answer: String,
}

/// Builds the documents of a pack.
pub struct Documents<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The theme's words in each language of the pack (see
    /// [`crate::render::i18n::words_for`]).
    pub words: &'a BTreeMap<String, Words>,
    /// True for pack-relative paths of files that may be printed as images.
    pub media: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Documents<'_> {
    /// Every PDF of one module: its handouts, its quiz and its answer key.
    pub fn module_jobs(&self, module: &Module) -> Vec<Job> {
        let mut jobs: Vec<Job> = module
            .handouts
            .iter()
            .map(|h| self.handout(module, h))
            .collect();
        jobs.extend(self.quiz(module));
        jobs.push(self.module_key(module));
        jobs.push(self.guide(module, super::guide::Places::Apart));
        jobs.extend(self.deck(module, super::deck::Deck::Slides));
        jobs.extend(self.deck(module, super::deck::Deck::NotesPages));
        jobs
    }

    /// The PDFs of a module that a class print run holds: the same jobs
    /// as [`Documents::module_jobs`], so a built site's PDFs are reused.
    pub fn print_jobs<'m>(&self, module: &'m Module) -> PrintJobs<'m> {
        PrintJobs {
            handouts: module
                .handouts
                .iter()
                .map(|h| (h, self.handout(module, h)))
                .collect(),
            quiz: self.quiz(module),
            key: self.module_key(module),
        }
    }

    /// The role cards of a module, several to a page with cut lines, if
    /// it has any.
    pub fn role_cards(&self, module: &Module) -> Option<Job> {
        let roles = module.roles();
        if roles.is_empty() {
            return None;
        }
        let words = words_for(self.words, self.pack, Some(module));
        let cx = self.markup_context(Audience::Participant, &module.path);
        let mut data = self.document(
            Some(module),
            "role-cards",
            words.get("role_cards").to_string(),
        );
        data.cards = roles
            .iter()
            .map(|r| RoleCard {
                title: r.title.clone(),
                body: cx.body(&r.body),
            })
            .collect();
        Some(Job {
            path: format!("modules/{}/role-cards.pdf", module.slug),
            template: "pdf/role-cards.typ",
            data,
            videos: cx.videos.into_inner(),
            source: module.path.clone(),
            drawn: None,
        })
    }

    /// The cover sheets of a print run, in one document of one page each.
    pub fn print_covers(&self, covers: Vec<CoverSheet>) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(None, "print-covers", words.get("print_run").to_string());
        data.covers = covers;
        Job {
            path: "print/covers.pdf".to_string(),
            template: "pdf/print-covers.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }

    pub(super) fn markup_context<'m>(
        &'m self,
        audience: Audience,
        source: &'m str,
    ) -> MarkupContext<'m> {
        MarkupContext {
            audience,
            source_dir: source.rsplit_once('/').map_or("", |(dir, _)| dir),
            media: self.media,
            videos: RefCell::new(Vec::new()),
            answers: AnswerPolicy::Shown,
            refer: None,
        }
    }

    pub(super) fn document(
        &self,
        module: Option<&Module>,
        kind: &'static str,
        title: String,
    ) -> Document {
        let words = words_for(self.words, self.pack, module);
        let config = &self.pack.config;
        Document {
            kind,
            paper: match config.pdf.paper {
                crate::model::config::Paper::A4 => "a4",
                crate::model::config::Paper::Letter => "letter",
            },
            lang: words.language.clone(),
            dir: words.dir.clone(),
            title,
            pack: config.pack.title.clone(),
            module: module
                .map(|m| words.module_label(m.number, &m.title))
                .unwrap_or_default(),
            authors: config.pack.authors.clone(),
            words: words.map.clone(),
            body: String::new(),
            modules: Vec::new(),
            contents: Vec::new(),
            slides: Vec::new(),
            slides_pdf: None,
            covers: Vec::new(),
            cards: Vec::new(),
            days: Vec::new(),
            guide: None,
            book: None,
            folio: None,
            evaluation: None,
            attendance: None,
            certificates: None,
        }
    }

    pub(super) fn handout(&self, module: &Module, handout: &Handout) -> Job {
        let cx = self.markup_context(Audience::Participant, &handout.path);
        let mut data = self.document(Some(module), "handout", handout.title.clone());
        data.body = cx.body(&handout.body);
        Job {
            path: urls::handout(&module.slug, &handout.id, "pdf"),
            template: "pdf/handout.typ",
            data,
            videos: cx.videos.into_inner(),
            source: handout.path.clone(),
            drawn: None,
        }
    }

    fn quiz(&self, module: &Module) -> Option<Job> {
        let quiz = module.quiz()?;
        let cx = self.markup_context(Audience::Participant, &module.path);
        let mut data = self.document(Some(module), "quiz", quiz.title.clone());
        data.body = cx.quiz(quiz);
        Some(Job {
            path: urls::quiz(&module.slug, "pdf"),
            template: "pdf/quiz.typ",
            data,
            videos: cx.videos.into_inner(),
            source: module.path.clone(),
            drawn: None,
        })
    }

    fn module_key(&self, module: &Module) -> Job {
        let words = words_for(self.words, self.pack, Some(module));
        let mut data = self.document(
            Some(module),
            "answer-key",
            words.get("answer_key").to_string(),
        );
        let mut videos = Vec::new();
        data.modules.push(self.key_of(module, &mut videos));
        Job {
            path: urls::module_key(&module.slug, "pdf"),
            template: "pdf/answer-key.typ",
            data,
            videos,
            source: module.path.clone(),
            drawn: None,
        }
    }

    /// The cover of the whole pack's answer key, listing each module with
    /// the length of its own answer key (`parts`, which follow the cover).
    pub fn pack_cover(&self, parts: &[super::KeyPart]) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(None, "answer-key", words.get("answer_key_pack").to_string());
        data.contents = parts
            .iter()
            .map(|p| ContentsEntry {
                label: p.label.clone(),
                pages: p.entry.pages,
            })
            .collect();
        Job {
            path: urls::PACK_KEY_PDF.to_string(),
            template: "pdf/cover.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }

    /// The label of a module in its language: "Module 4: …".
    pub fn label(&self, module: &Module) -> String {
        words_for(self.words, self.pack, Some(module)).module_label(module.number, &module.title)
    }

    fn key_of(&self, module: &Module, videos: &mut Vec<String>) -> ModuleKey {
        let words = words_for(self.words, self.pack, Some(module));
        let cx = self.markup_context(Audience::Key, &module.path);
        cx.videos.replace(std::mem::take(videos));
        let activities = module
            .activities_in_order()
            .into_iter()
            .filter_map(|a| {
                let answers = a.answers();
                (!answers.is_empty()).then(|| ActivityKey {
                    title: a.title.clone(),
                    minutes: words.duration(a.minutes),
                    answers: answers
                        .iter()
                        .map(|ans| cx.body(&ans.body))
                        .collect::<Vec<_>>()
                        .join("\n\n"),
                })
            })
            .collect();
        let quiz = module.quiz().map(|q| cx.quiz(q));
        *videos = cx.videos.into_inner();
        let handouts = module
            .handouts
            .iter()
            .map(|h| self.handout_key(h, videos))
            .filter(|h| !h.items.is_empty())
            .collect();
        ModuleKey {
            label: words.module_label(module.number, &module.title),
            activities,
            handouts,
            quiz,
        }
    }

    fn handout_key(&self, handout: &Handout, videos: &mut Vec<String>) -> HandoutKey {
        let cx = self.markup_context(Audience::Key, &handout.path);
        cx.videos.replace(std::mem::take(videos));
        let questions = handout.questions();
        let mut answers = Vec::new();
        handout.body.walk(&mut |block, _| {
            if let Block::Answers(a) = block {
                answers.push(a);
            }
        });
        let mut items = Vec::new();
        for answer in answers {
            match &answer.items {
                Some(list) if list.len() == questions.len() => {
                    for (question, item) in questions.iter().zip(list) {
                        items.push(KeyItem {
                            question: cx.markdown(&question.text),
                            answer: cx.markdown(item),
                        });
                    }
                }
                _ => items.push(KeyItem {
                    question: questions_markup(&cx, &questions),
                    answer: cx.body(&answer.body),
                }),
            }
        }
        *videos = cx.videos.into_inner();
        HandoutKey {
            title: handout.title.clone(),
            items,
        }
    }
}

/// The questions an answers block answers as a whole.
fn questions_markup(cx: &MarkupContext<'_>, questions: &[&crate::model::Question]) -> String {
    match questions {
        [] => String::new(),
        [one] => cx.markdown(&one.text),
        many => {
            let items: Vec<String> = many
                .iter()
                .map(|q| format!("[{}]", cx.markdown(&q.text)))
                .collect();
            format!("#enum({},)", items.join(", "))
        }
    }
}
