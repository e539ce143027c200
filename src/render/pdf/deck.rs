//! The slide deck as PDFs: `slides.pdf`, one 16:9 page per slide with no
//! notes, and `slides-notes.pdf` for the trainer, each slide above its
//! notes (PowerPoint's notes pages).

use serde::Serialize;

use crate::model::{Module, Section};
use crate::render::Audience;
use crate::render::i18n::words_for;
use crate::render::pdf::Made;
use crate::render::pdf::documents::{DRAWN_PDF, Documents, Drawn, Job};
use crate::render::urls;

/// Which of the two deck PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deck {
    /// `slides.pdf`: the slides alone.
    Slides,
    /// `slides-notes.pdf`: each slide with the trainer's notes.
    NotesPages,
}

/// A slide as the deck templates receive it.
#[derive(Debug, Clone, Serialize)]
pub struct SlidePage {
    /// Position in the deck, from 1.
    pub number: u32,
    /// The title.
    pub title: String,
    /// The points, each as Typst markup (`markup(p)` in the templates).
    pub points: Vec<String>,
    /// The slide's `body` as Typst markup; empty when it has none.
    pub body: String,
    /// The slide's video, if any.
    pub video: Option<VideoPage>,
    /// The slide's picture, if any.
    pub image: Option<ImagePage>,
    /// "Slide 3 of 11".
    pub of: String,
    /// Its planned minutes, in words ("5 min"), or empty.
    pub minutes: String,
    /// The trainer's notes as Typst markup; empty in `slides.pdf`.
    pub notes: String,
    /// "The notes for this slide are with slide 10." for a slide whose
    /// notes share a section with an earlier slide; else empty.
    pub notes_with: String,
}

/// A slide's picture: its file in the world and its alt text.
#[derive(Debug, Clone, Serialize)]
pub struct ImagePage {
    /// `/modules/…/media/x.png`.
    pub path: String,
    /// What it shows.
    pub alt: String,
}

/// A slide's video: its address and its QR code's file in the world.
#[derive(Debug, Clone, Serialize)]
pub struct VideoPage {
    /// The address.
    pub url: String,
    /// `/qr/N.svg`.
    pub qr: String,
}

impl Documents<'_> {
    /// The module's deck as `deck`, or nothing for a module without slides.
    pub fn deck(&self, module: &Module, deck: Deck) -> Option<Job> {
        if module.slides.is_empty() {
            return None;
        }
        let words = words_for(self.words, self.pack, Some(module));
        let (kind, template, path) = match deck {
            Deck::Slides => ("slides", "pdf/slides.typ", urls::slides_pdf(&module.slug)),
            Deck::NotesPages => (
                "slides-notes",
                "pdf/slides-notes.typ",
                urls::slides_notes_pdf(&module.slug),
            ),
        };
        let mut data = self.document(Some(module), kind, module.title.clone());
        let cx = self.markup_context(Audience::Trainer, &module.path);
        let count = module.slides.len().to_string();
        for slide in &module.slides {
            let video = slide.video.as_ref().map(|url| {
                let mut videos = cx.videos.borrow_mut();
                videos.push(url.clone());
                VideoPage {
                    url: url.clone(),
                    qr: format!("/qr/{}.svg", videos.len() - 1),
                }
            });
            let number = slide.number.to_string();
            let mut page = SlidePage {
                number: slide.number,
                title: slide.title.clone(),
                points: slide.points.iter().map(|p| cx.markdown(p)).collect(),
                body: if slide.body.is_empty() {
                    String::new()
                } else {
                    cx.markdown(&slide.body)
                },
                video,
                image: slide.image.as_ref().and_then(|image| {
                    (self.media)(&image.path).then(|| ImagePage {
                        path: format!("/{}", image.path),
                        alt: image.alt.clone(),
                    })
                }),
                of: words.fill("deck_slide_of", &[("number", &number), ("count", &count)]),
                minutes: slide.minutes.map(|m| words.duration(m)).unwrap_or_default(),
                notes: String::new(),
                notes_with: String::new(),
            };
            if deck == Deck::NotesPages {
                match notes_of(module, slide.number) {
                    Some(section) if section.slides.is_some_and(|r| r.first < slide.number) => {
                        let first = section.slides.map_or(0, |r| r.first).to_string();
                        page.notes_with = words.fill("deck_notes_with", &[("number", &first)]);
                    }
                    Some(section) => page.notes = cx.body(&section.body),
                    None => {}
                }
            }
            data.slides.push(page);
        }
        Some(Job {
            path,
            template,
            data,
            videos: cx.videos.into_inner(),
            source: module.path.clone(),
            drawn: None,
        })
    }
}

impl Job {
    /// Lets the notes pages draw each slide from `made`, the module's PDFs
    /// made so far in this build, instead of typesetting it a second time
    /// (most of a notes page's cost): when `slides.pdf` is among them and
    /// holds one page per slide, as the templates print it.
    pub fn draw_slides(&mut self, slug: &str, made: &[Made]) {
        if self.path != urls::slides_notes_pdf(slug) {
            return;
        }
        let slides = urls::slides_pdf(slug);
        let Some(deck) = made.iter().find(|m| m.file.path == slides) else {
            return;
        };
        if deck.entry.pages == self.data.slides.len() {
            self.data.slides_pdf = Some(DRAWN_PDF.to_string());
            self.drawn = Some(Drawn {
                hash: deck.entry.hash.clone(),
                content: deck.file.content.clone(),
            });
        }
    }
}

/// The notes section that covers slide `number`.
fn notes_of(module: &Module, number: u32) -> Option<&Section> {
    module
        .sections
        .iter()
        .find(|s| s.slides.is_some_and(|r| r.numbers().contains(&number)))
}
