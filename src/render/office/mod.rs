//! The Office files of a pack: each module's deck as `slides.pptx` (with
//! the trainer's notes as speaker notes) and its handouts, quiz and answer
//! key as Word files, from the same model as the PDFs. Participants'
//! files never hold answers or notes. Made in memory as [`OutFile`]s; the
//! output layer writes them. Each module's files are fingerprinted, and an
//! unchanged module's are copied from the previous site (see [`reuse`]).

use std::collections::BTreeMap;

use crate::model::files::PackFiles;
use crate::model::office::OfficeTemplates;
use crate::model::{Block, Module, Pack, Section};
use crate::render::i18n::{Words, words_for};
use crate::render::{Audience, OutFile, urls};

mod docx;
mod drawing;
pub(crate) mod package;
mod picture;
mod pptx;
pub mod reuse;
mod text;
mod theme;

pub use docx::{STYLES as DOCX_STYLES, WordDoc, docx};
pub use drawing::TextOptions;
pub use picture::SvgFonts;
pub use pptx::{Deck, DeckSlide, LAYOUT as PPTX_LAYOUT, pptx};
pub use text::{Converter, Para, Run, Style};

/// Whether a build makes the Office files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Office {
    /// `slides.pptx`, the handouts', quiz's and answer key's `.docx`.
    #[default]
    Made,
    /// None of them (`build --no-office`, `trainpack pdf`).
    Skipped,
}

/// Bumped when the files this module makes change for the same input, so
/// a build does not keep files an older trainpack made.
const FORMAT: &str = "office-3";

/// Makes the Office files of one language of a pack.
pub struct OfficeRenderer<'a> {
    /// The language, as a pack of its own.
    pub pack: &'a Pack,
    /// The theme's words in each language.
    pub words: &'a BTreeMap<String, Words>,
    /// The pack's files, for the slides' pictures.
    pub files: &'a dyn PackFiles,
    /// True for pack-relative paths of pictures the pack holds.
    pub media: &'a (dyn Fn(&str) -> bool + Sync),
    /// The organisation's templates, from `[office]`.
    pub templates: &'a OfficeTemplates,
    /// The fonts SVG pictures' PNG stand-ins are drawn with.
    pub svg_fonts: &'a SvgFonts,
}

impl OfficeRenderer<'_> {
    /// The fingerprint of a module's Office files: what its pages show
    /// (`shown`, the module's digest) and its pictures (`media`).
    pub fn module_hash(&self, shown: &str, media: &str) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        hasher.update(FORMAT.as_bytes());
        hasher.update(format!("{:?}", self.pack.config.pdf.paper).as_bytes());
        if let Some(pptx) = &self.templates.pptx {
            for (name, bytes) in &pptx.parts {
                hasher.update(name.as_bytes());
                hasher.update(bytes);
            }
        }
        if let Some(docx) = &self.templates.docx {
            hasher.update(docx.styles.as_bytes());
        }
        hasher.update(self.svg_fonts.digest().as_bytes());
        hasher.update(shown.as_bytes());
        hasher.update(media.as_bytes());
        hasher.finalize().to_hex().to_string()
    }

    /// Every Office file of `module`.
    pub fn module_files(&self, module: &Module) -> std::io::Result<Vec<OutFile>> {
        let words = words_for(self.words, self.pack, Some(module));
        let mut files = Vec::new();
        if !module.slides.is_empty() {
            let deck = self.deck(module, words);
            files.push(OutFile::bytes(
                office_path(&urls::slides(&module.slug), "pptx"),
                pptx(&deck, self.templates.pptx.as_ref())?,
            ));
        }
        for handout in &module.handouts {
            let dir = handout.path.rsplit_once('/').map_or("", |(dir, _)| dir);
            let cx = Converter::new(Audience::Participant, words).in_dir(dir);
            let mut paras = Vec::new();
            cx.body(&handout.body, &mut paras);
            let doc = self.word_doc(module, words, handout.title.clone(), paras);
            files.push(OutFile::bytes(
                urls::handout(&module.slug, &handout.id, "docx"),
                docx(&doc, self.docx_styles())?,
            ));
        }
        if let Some(quiz) = module.quiz() {
            let cx = Converter::new(Audience::Participant, words).in_dir(&module.dir);
            let mut paras = Vec::new();
            cx.quiz(quiz, &mut paras);
            let doc = self.word_doc(module, words, quiz.title.clone(), paras);
            files.push(OutFile::bytes(
                urls::quiz(&module.slug, "docx"),
                docx(&doc, self.docx_styles())?,
            ));
        }
        let doc = self.word_doc(
            module,
            words,
            words.get("answer_key").to_string(),
            key(module, words),
        );
        files.push(OutFile::bytes(
            urls::module_key(&module.slug, "docx"),
            docx(&doc, self.docx_styles())?,
        ));
        Ok(files)
    }

    fn docx_styles(&self) -> Option<&str> {
        self.templates.docx.as_ref().map(|t| t.styles.as_str())
    }

    fn word_doc(&self, module: &Module, words: &Words, title: String, paras: Vec<Para>) -> WordDoc {
        WordDoc {
            title,
            subtitle: words.module_label(module.number, &module.title),
            lang: words.language.clone(),
            rtl: words.dir == "rtl",
            paper: self.pack.config.pdf.paper,
            pictures: self.pictures(&paras),
            paras,
        }
    }

    /// The pictures `paras` show that the pack holds and Word can show,
    /// by path.
    fn pictures(&self, paras: &[Para]) -> BTreeMap<String, picture::Picture> {
        let mut out = BTreeMap::new();
        for path in paras
            .iter()
            .flat_map(|p| &p.runs)
            .filter_map(|r| r.image.as_ref())
        {
            if out.contains_key(path) || !(self.media)(path) {
                continue;
            }
            if let Some(picture) = self
                .files
                .read(path)
                .ok()
                .and_then(|bytes| picture::Picture::read(bytes, ""))
                .map(|picture| picture.drawn(self.svg_fonts))
            {
                out.insert(path.clone(), picture);
            }
        }
        out
    }

    /// The deck: each slide, and the notes of the section that covers it.
    pub fn deck(&self, module: &Module, words: &Words) -> Deck {
        let slides = module
            .slides
            .iter()
            .map(|slide| {
                let cx = Converter::new(Audience::Trainer, words);
                let mut body = Vec::new();
                if !slide.body.is_empty() {
                    cx.markdown(&slide.body, &mut body);
                }
                let body = text::rows_as_lines(body);
                let mut notes = Vec::new();
                match notes_of(module, slide.number) {
                    Some(section) if section.slides.is_some_and(|r| r.first < slide.number) => {
                        let first = section.slides.map_or(0, |r| r.first).to_string();
                        notes.push(Para::plain(
                            Style::Normal,
                            words.fill("deck_notes_with", &[("number", &first)]),
                        ));
                    }
                    Some(section) => {
                        cx.body(&section.body, &mut notes);
                        notes = text::rows_as_lines(notes);
                    }
                    None => {}
                }
                DeckSlide {
                    title: slide.title.clone(),
                    points: slide.points.iter().map(|p| cx.inline(p)).collect(),
                    body,
                    video: slide
                        .video
                        .as_ref()
                        .map(|url| (words.get("video").to_string(), url.clone())),
                    picture: slide.image.as_ref().and_then(|image| {
                        if !(self.media)(&image.path) {
                            return None;
                        }
                        let bytes = self.files.read(&image.path).ok()?;
                        picture::Picture::read(bytes, &image.alt)
                            .map(|picture| picture.drawn(self.svg_fonts))
                    }),
                    notes,
                }
            })
            .collect();
        Deck {
            title: module.title.clone(),
            text: TextOptions {
                lang: words.language.clone(),
                rtl: words.dir == "rtl",
            },
            slides,
            layout: PPTX_LAYOUT.to_string(),
        }
    }
}

/// `modules/x/slides.html` as `modules/x/slides.pptx`.
fn office_path(html: &str, ext: &str) -> String {
    format!("{}.{ext}", html.strip_suffix(".html").unwrap_or(html))
}

/// The notes section that covers slide `number`.
fn notes_of(module: &Module, number: u32) -> Option<&Section> {
    module
        .sections
        .iter()
        .find(|s| s.slides.is_some_and(|r| r.numbers().contains(&number)))
}

/// The answer key of a module: each activity's possible answers, each
/// handout's questions with their answers, and the quiz with its answers.
fn key(module: &Module, words: &Words) -> Vec<Para> {
    let cx = Converter::new(Audience::Key, words).in_dir(&module.dir);
    let mut out = Vec::new();
    let activities: Vec<_> = module
        .activities_in_order()
        .into_iter()
        .filter_map(|a| {
            let answers = a.answers();
            (!answers.is_empty()).then_some((a, answers))
        })
        .collect();
    if !activities.is_empty() {
        out.push(Para::plain(Style::Heading(1), words.get("activities")));
        for (activity, answers) in activities {
            let minutes = words.duration(activity.minutes);
            out.push(Para::plain(
                Style::Heading(2),
                format!("{} ({minutes})", activity.title),
            ));
            for answer in answers {
                let mut inner = Vec::new();
                cx.body(&answer.body, &mut inner);
                out.extend(inner.into_iter().map(text::as_answer));
            }
        }
    }
    for handout in &module.handouts {
        cx.set_dir(handout.path.rsplit_once('/').map_or("", |(dir, _)| dir));
        let mut answers = Vec::new();
        handout.body.walk(&mut |block, _| {
            if let Block::Answers(a) = block {
                answers.push(a);
            }
        });
        if answers.is_empty() {
            continue;
        }
        out.push(Para::plain(Style::Heading(1), handout.title.clone()));
        let questions = handout.questions();
        for answer in answers {
            match &answer.items {
                Some(list) if list.len() == questions.len() => {
                    for (question, item) in questions.iter().zip(list) {
                        out.push(Para {
                            style: Style::Label,
                            runs: cx.inline(&question.text),
                        });
                        out.push(Para {
                            style: Style::Answer,
                            runs: cx.inline(item),
                        });
                    }
                }
                _ => {
                    for question in &questions {
                        out.push(Para {
                            style: Style::Label,
                            runs: cx.inline(&question.text),
                        });
                    }
                    let mut inner = Vec::new();
                    cx.body(&answer.body, &mut inner);
                    out.extend(inner.into_iter().map(text::as_answer));
                }
            }
        }
    }
    cx.set_dir(&module.dir);
    if let Some(quiz) = module.quiz() {
        out.push(Para::plain(Style::Heading(1), quiz.title.clone()));
        cx.quiz(quiz, &mut out);
    }
    out
}

/// `docProps/core.xml`: the title and language, and no dates (a file's
/// bytes must not depend on when it was built).
fn core_xml(title: &str, lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:language>{}</dc:language><dc:creator>trainpack</dc:creator></cp:coreProperties>"#,
        package::esc(title),
        package::esc(lang)
    )
}

/// `docProps/app.xml`: the application that wrote the file.
fn app_xml(application: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{application}</Application></Properties>"#
    )
}
