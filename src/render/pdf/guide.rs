//! The printed trainer's guide, `modules/<slug>/guide.pdf`: from the same
//! model as the guide page, a cover block (time, outcomes, activities,
//! handouts, videos), the module's running clock, each notes section with
//! its slides (and the quiz where the notes hold it), and the key messages. The course book (see
//! [`super::book`]) prints the same guide with its own page numbers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::model::schedule::ItemKind;
use crate::model::{Module, Slide};
use crate::render::Audience;
use crate::render::i18n::{Words, words_for};
use crate::render::pdf::deck::{ImagePage, VideoPage};
use crate::render::pdf::documents::{Documents, Job};
use crate::render::pdf::markup::{AnswerPolicy, MarkupContext, Reference};
use crate::render::urls;

/// The guide as its template receives it (`data.guide`).
#[derive(Debug, Clone, Serialize)]
pub struct GuideData {
    /// "Trainer's guide · Module 3".
    pub kicker: String,
    /// The module's summary, as markup; empty without one.
    pub summary: String,
    /// What the cover states: facilitation time, slides, activities.
    pub facts: Vec<Listed>,
    /// The learning outcomes, as markup.
    pub outcomes: Vec<String>,
    /// The kinds of activity (`activities` in the front matter).
    pub activity_kinds: Vec<String>,
    /// Each timed activity and its minutes.
    pub activities: Vec<Listed>,
    /// Each handout and where to find it.
    pub handouts: Vec<Listed>,
    /// The slides' videos.
    pub videos: Vec<GuideVideo>,
    /// The prose before the first section, as markup.
    pub overview: String,
    /// The running clock.
    pub schedule: Vec<GuideRow>,
    /// The schedule's total, in words.
    pub total: String,
    /// The notes sections, in order.
    pub sections: Vec<GuideSection>,
    /// The key messages, as markup.
    pub key_messages: Vec<String>,
}

/// A label and what it says: "Slides" and "11", or a title and a place.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// The label or title.
    pub label: String,
    /// Its value, in words.
    pub value: String,
}

/// A slide's video on the cover.
#[derive(Debug, Clone, Serialize)]
pub struct GuideVideo {
    /// "Slide 4".
    pub slide: String,
    /// The slide's title.
    pub title: String,
    /// Its address and QR code.
    pub video: VideoPage,
}

/// A row of the module's running clock.
#[derive(Debug, Clone, Serialize)]
pub struct GuideRow {
    /// When it starts, from the module's start ("0h 25m").
    pub start: String,
    /// "Slide 3" or "Activity".
    pub kind: String,
    /// True for an activity.
    pub activity: bool,
    /// What is taught.
    pub title: String,
    /// How long, in words.
    pub minutes: String,
    /// An activity's timed steps.
    pub steps: Vec<GuideStep>,
}

/// A timed step of an activity.
#[derive(Debug, Clone, Serialize)]
pub struct GuideStep {
    /// When it starts.
    pub start: String,
    /// What happens, as markup.
    pub text: String,
    /// How long, in words.
    pub minutes: String,
}

/// A notes section with the slides it covers.
#[derive(Debug, Clone, Serialize)]
pub struct GuideSection {
    /// The heading.
    pub title: String,
    /// The slides, as cards.
    pub slides: Vec<SlideCard>,
    /// The notes, as markup.
    pub notes: String,
}

/// A slide as the guide shows it beside its notes.
#[derive(Debug, Clone, Serialize)]
pub struct SlideCard {
    /// "Slide 3".
    pub label: String,
    /// Its planned minutes, in words, or empty.
    pub minutes: String,
    /// The title.
    pub title: String,
    /// The points, as markup.
    pub points: Vec<String>,
    /// The body, as markup, or empty.
    pub body: String,
    /// The picture, if any.
    pub image: Option<ImagePage>,
    /// The video, if any.
    pub video: Option<VideoPage>,
}

/// Where the handouts and modules that a guide links to are printed.
#[derive(Debug, Clone, Copy)]
pub enum Places<'p> {
    /// The module's own `guide.pdf`: a handout is named as one, a module
    /// by its number.
    Apart,
    /// The course book: the page where each starts.
    Book(&'p BookLookup<'p>),
}

/// The pages of the course book where each module and handout starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookPages {
    /// By module slug.
    pub modules: BTreeMap<String, usize>,
    /// By module slug and handout id.
    pub handouts: BTreeMap<(String, String), usize>,
}

/// A place in the course book that a guide may print the page of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Place {
    /// Where a module's guide starts, by slug.
    Module(String),
    /// Where a handout starts, by its module's slug and its id.
    Handout(String, String),
}

impl BookPages {
    /// The page where `place` starts, if the book holds it.
    pub fn get(&self, place: &Place) -> Option<usize> {
        match place {
            Place::Module(slug) => self.modules.get(slug).copied(),
            Place::Handout(slug, id) => self.handouts.get(&(slug.clone(), id.clone())).copied(),
        }
    }
}

/// The book's pages as one guide reads them, noting which places it
/// printed: a guide's part of the book depends on those pages alone.
#[derive(Debug)]
pub struct BookLookup<'p> {
    pages: &'p BookPages,
    looked_up: Mutex<BTreeSet<Place>>,
}

impl<'p> BookLookup<'p> {
    /// Lookups in `pages`, none noted yet.
    pub fn new(pages: &'p BookPages) -> BookLookup<'p> {
        BookLookup {
            pages,
            looked_up: Mutex::default(),
        }
    }

    fn get(&self, place: Place) -> Option<usize> {
        let page = self.pages.get(&place);
        let mut looked_up = self.looked_up.lock().unwrap_or_else(|e| e.into_inner());
        looked_up.insert(place);
        page
    }

    /// The places looked up so far, in order.
    pub fn looked_up(self) -> Vec<Place> {
        let looked_up = self.looked_up.into_inner();
        looked_up
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    }
}

impl Documents<'_> {
    /// The module's printed guide; `places` says how links to handouts and
    /// modules print.
    pub fn guide(&self, module: &Module, places: Places<'_>) -> Job {
        let words = words_for(self.words, self.pack, Some(module));
        let refer = |dest: &str| self.reference(module, places, words, dest);
        let answers = match self.pack.config.build.print_answers {
            true => AnswerPolicy::Shown,
            false => AnswerPolicy::LeftOut,
        };
        let mut cx = self.markup_context(Audience::Trainer, &module.path);
        cx.answers = answers;
        cx.refer = Some(&refer);
        let mut data = self.document(Some(module), "guide", module.title.clone());
        data.guide = Some(self.guide_data(module, words, &cx, places));
        Job {
            path: urls::guide_pdf(&module.slug),
            template: "pdf/guide.typ",
            data,
            videos: cx.videos.into_inner(),
            source: module.path.clone(),
            drawn: None,
        }
    }

    fn guide_data(
        &self,
        module: &Module,
        words: &Words,
        cx: &MarkupContext<'_>,
        places: Places<'_>,
    ) -> GuideData {
        let label = words.get("trainers_guide").to_string();
        let kicker = match module.number {
            Some(n) => format!("{label} · {}", number_label(words, n)),
            None => label,
        };
        let videos = module
            .slides
            .iter()
            .filter_map(|s| {
                Some(GuideVideo {
                    slide: slide_label(words, s.number),
                    title: s.title.clone(),
                    video: video_page(cx, s.video.as_ref()?),
                })
            })
            .collect();
        GuideData {
            kicker,
            summary: module
                .summary
                .as_deref()
                .map(|s| cx.markdown(s))
                .unwrap_or_default(),
            facts: facts(module, words),
            outcomes: module.outcomes.iter().map(|o| cx.markdown(o)).collect(),
            activity_kinds: module.activities.clone(),
            activities: module
                .activities_in_order()
                .iter()
                .map(|a| Listed {
                    label: a.title.clone(),
                    value: words.duration(a.minutes),
                })
                .collect(),
            handouts: module
                .handouts
                .iter()
                .map(|h| Listed {
                    label: h.title.clone(),
                    // A module's own guide lists its handouts by title alone.
                    value: match places {
                        Places::Book(_) => self.handout_place(module, module, &h.id, places, words),
                        Places::Apart => String::new(),
                    },
                })
                .collect(),
            videos,
            overview: cx.body(&module.overview),
            schedule: schedule_rows(module, words, cx),
            total: words.duration(module.schedule.total),
            sections: self.sections(module, words, cx),
            key_messages: module.key_messages.iter().map(|m| cx.markdown(m)).collect(),
        }
    }

    fn sections(
        &self,
        module: &Module,
        words: &Words,
        cx: &MarkupContext<'_>,
    ) -> Vec<GuideSection> {
        module
            .sections
            .iter()
            .map(|section| {
                let slides = module
                    .slides
                    .iter()
                    .filter(|s| {
                        section
                            .slides
                            .is_some_and(|r| r.numbers().contains(&s.number))
                    })
                    .map(|s| self.slide_card(s, words, cx))
                    .collect();
                GuideSection {
                    title: section.title.clone(),
                    slides,
                    notes: cx.body(&section.body),
                }
            })
            .collect()
    }

    fn slide_card(&self, slide: &Slide, words: &Words, cx: &MarkupContext<'_>) -> SlideCard {
        SlideCard {
            label: slide_label(words, slide.number),
            minutes: slide.minutes.map(|m| words.duration(m)).unwrap_or_default(),
            title: slide.title.clone(),
            points: slide.points.iter().map(|p| cx.markdown(p)).collect(),
            body: match slide.body.is_empty() {
                true => String::new(),
                false => cx.markdown(&slide.body),
            },
            image: slide.image.as_ref().and_then(|image| {
                (self.media)(&image.path).then(|| ImagePage {
                    path: format!("/{}", image.path),
                    alt: image.alt.clone(),
                })
            }),
            video: slide.video.as_ref().map(|url| video_page(cx, url)),
        }
    }

    /// What a link to `dest` in `module` prints after its text.
    fn reference(
        &self,
        module: &Module,
        places: Places<'_>,
        words: &Words,
        dest: &str,
    ) -> Option<Reference> {
        let dest = dest.split('#').next().unwrap_or_default();
        if let Some(target) = dest.strip_prefix("handout:") {
            let (owner, id) = match target.split_once('/') {
                Some((slug, id)) => (self.module_of(slug)?, id),
                None => (module, target),
            };
            let title = owner.handout(id)?.title.clone();
            let place = self.handout_place(module, owner, id, places, words);
            let full = format!("{title}, {place}");
            return Some(Reference { title, place, full });
        }
        let slug = dest.strip_prefix("module:")?;
        let target = self.module_of(slug)?;
        let name = match target.number {
            Some(n) => number_label(words, n),
            None => target.title.clone(),
        };
        let place = match places {
            Places::Book(book) => words.fill(
                "ref_module_page",
                &[
                    ("module", &name),
                    (
                        "page",
                        &book.get(Place::Module(slug.to_string()))?.to_string(),
                    ),
                ],
            ),
            Places::Apart => words.fill("ref_module", &[("module", &name)]),
        };
        Some(Reference {
            title: target.title.clone(),
            full: place.clone(),
            place,
        })
    }

    /// Where a handout of `owner` is found, from a guide of `module`:
    /// "page A-3" in the course book, else "handout" or "handout of Module 3".
    fn handout_place(
        &self,
        module: &Module,
        owner: &Module,
        id: &str,
        places: Places<'_>,
        words: &Words,
    ) -> String {
        match places {
            Places::Book(book) => {
                match book.get(Place::Handout(owner.slug.clone(), id.to_string())) {
                    Some(page) => {
                        let page = words.fill("appendix_page", &[("page", &page.to_string())]);
                        words.fill("ref_page", &[("page", &page)])
                    }
                    None => words.get("handout").to_lowercase(),
                }
            }
            Places::Apart if owner.slug == module.slug => words.get("handout").to_lowercase(),
            Places::Apart => {
                let name = match owner.number {
                    Some(n) => number_label(words, n),
                    None => owner.title.clone(),
                };
                words.fill("ref_handout_of", &[("module", &name)])
            }
        }
    }

    fn module_of(&self, slug: &str) -> Option<&Module> {
        self.pack
            .modules
            .iter()
            .find(|m| m.slug == slug)
            .map(|m| &**m)
    }
}

fn number_label(words: &Words, number: u32) -> String {
    words.fill("module_number", &[("number", &number.to_string())])
}

fn slide_label(words: &Words, number: u32) -> String {
    words.fill("slide_number", &[("number", &number.to_string())])
}

fn video_page(cx: &MarkupContext<'_>, url: &str) -> VideoPage {
    let mut videos = cx.videos.borrow_mut();
    videos.push(url.to_string());
    VideoPage {
        url: url.to_string(),
        qr: format!("/qr/{}.svg", videos.len() - 1),
    }
}

/// The cover's facts: facilitation time (and the scheduled time when it
/// differs), slides and activities.
fn facts(module: &Module, words: &Words) -> Vec<Listed> {
    let total = module.schedule.total;
    let time = module.duration.unwrap_or(total);
    let mut facts = vec![Listed {
        label: words.get("facilitation_time").to_string(),
        value: words.duration(time),
    }];
    if module.duration.is_some_and(|d| d != total) {
        facts.push(Listed {
            label: words.get("scheduled").to_string(),
            value: words.duration(total),
        });
    }
    facts.push(Listed {
        label: words.get("slides").to_string(),
        value: module.slides.len().to_string(),
    });
    let activities = module.activities_in_order().len();
    if activities > 0 {
        facts.push(Listed {
            label: words.get("activities").to_string(),
            value: activities.to_string(),
        });
    }
    facts
}

fn schedule_rows(module: &Module, words: &Words, cx: &MarkupContext<'_>) -> Vec<GuideRow> {
    module
        .schedule
        .items
        .iter()
        .map(|item| {
            let steps = item
                .timed_steps()
                .map(|(start, step)| GuideStep {
                    start: words.elapsed(start),
                    text: cx.markdown(&step.text),
                    minutes: words.duration(step.minutes),
                })
                .collect();
            let activity = item.kind == ItemKind::Activity;
            GuideRow {
                start: words.elapsed(item.start),
                kind: match (activity, item.slide) {
                    (false, Some(n)) => slide_label(words, n),
                    (false, None) => words.get("slide").to_string(),
                    (true, _) => words.get("activity").to_string(),
                },
                activity,
                title: item.title.clone(),
                minutes: words.duration(item.minutes),
                steps,
            }
        })
        .collect()
}

/// Pack-relative paths of the pictures a guide shows: in its text and on
/// its slides.
pub fn images(guide: &GuideData) -> Vec<String> {
    let mut markup: Vec<&str> = vec![&guide.overview, &guide.summary];
    markup.extend(guide.sections.iter().map(|s| s.notes.as_str()));
    let mut out: Vec<String> = markup
        .iter()
        .flat_map(|m| m.split("#tp-image(\"").skip(1))
        .filter_map(|piece| {
            Some(
                piece[..piece.find('"')?]
                    .trim_start_matches('/')
                    .to_string(),
            )
        })
        .collect();
    let cards = guide.sections.iter().flat_map(|s| &s.slides);
    out.extend(
        cards.filter_map(|c| Some(c.image.as_ref()?.path.trim_start_matches('/').to_string())),
    );
    out
}
