//! Builds the views of a module's pages from the model: the trainer's
//! guide, the deck, handouts, the quiz and the answer key. Markdown is
//! rendered here, once per page, because links are relative to the page.

use crate::model::schedule::{ItemKind, Schedule};
use crate::model::time::Minutes;
use crate::model::{Answers, Block, Body, Handout, Module, Pack, Quiz};
use crate::render::Audience;
use crate::render::blocks::HtmlBlocks;
use crate::render::i18n::Words;
use crate::render::markdown::{Page, escape, render_body, render_inline, render_markdown};
use crate::render::urls::{self, PageLinks};
use crate::render::views::{
    ActivityLink, DeckSlide, GuideView, HandoutView, ImageView, KeyActivity, KeyHandout, KeyItem,
    KeyView, ModuleCard, OptionView, QuizQuestionView, QuizView, RowView, SectionView, SlideView,
    StepView, VideoLink,
};

/// Renders the Markdown of one module for one page.
pub struct PageContext<'a> {
    /// The module.
    pub module: &'a Module,
    /// All modules, for `module:` and `handout:` links.
    pub pack: &'a Pack,
    /// The position of each module in the pack, by slug.
    pub index: &'a rustc_hash::FxHashMap<&'a str, usize>,
    /// The words of the module's language.
    pub words: &'a Words,
    /// The page's URL, relative to the site root.
    pub url: &'a str,
    /// Who reads the page.
    pub audience: Audience,
}

impl PageContext<'_> {
    /// Renders a body of a file of this module (the module file or a
    /// handout) to HTML, collecting plain text into `page` when it asks.
    pub fn body(&self, body: &Body, page: &Page<'_>) -> String {
        let mut out = String::new();
        let blocks = HtmlBlocks {
            audience: self.audience,
            words: self.words,
            module: self.module,
            page_url: self.url,
        };
        render_body(body, page, &blocks, &mut out);
        out
    }

    /// A rendering pass for a file of the module: links resolve from the
    /// file's folder to this page.
    pub fn links<'b>(&'b self, source_path: &'b str) -> PageLinks<'b> {
        PageLinks {
            modules: &self.pack.modules,
            index: self.index,
            module: self.module,
            source_dir: source_path.rsplit_once('/').map_or("", |(dir, _)| dir),
            pack: self.pack,
            page: self.url,
        }
    }

    fn page<'b>(&self, links: &'b PageLinks<'b>) -> Page<'b> {
        Page::new(links, self.pack.config.build.raw_html)
    }

    fn duration(&self, minutes: crate::model::time::Minutes) -> String {
        self.words.duration(minutes)
    }
}

/// The trainer's guide's `module`, and the guide's plain text for search.
pub fn guide_view(cx: &PageContext<'_>, card: ModuleCard) -> (GuideView, String) {
    let module = cx.module;
    let links = cx.links(&module.path);
    let page = cx.page(&links).collecting_text();
    let overview_html = cx.body(&module.overview, &page);
    let sections = module
        .sections
        .iter()
        .map(|section| {
            page.unique_id(&section.anchor);
            SectionView {
                title: section.title.clone(),
                anchor: section.anchor.clone(),
                slides: section
                    .slides
                    .iter()
                    .flat_map(|r| r.numbers())
                    .filter_map(|n| module.slides.get(n as usize - 1))
                    .map(|s| slide_view(cx, s, &page))
                    .collect(),
                notes_html: cx.body(&section.body, &page),
            }
        })
        .collect();
    let view = GuideView {
        schedule: schedule_rows(cx, &page),
        activity_list: module
            .activities_in_order()
            .into_iter()
            .map(|a| ActivityLink {
                number: a.number,
                title: a.title.clone(),
                minutes: cx.duration(a.minutes),
                anchor: a.anchor.clone(),
            })
            .collect(),
        quiz: module
            .quiz()
            .map(|q| quiz_view(cx, q, &page, Audience::Trainer)),
        videos: module
            .slides
            .iter()
            .filter_map(|s| {
                s.video.as_ref().map(|url| VideoLink {
                    slide: s.number,
                    title: s.title.clone(),
                    url: url.clone(),
                })
            })
            .collect(),
        card,
        overview_html,
        sections,
    };
    (view, page.take_text())
}

fn slide_view(cx: &PageContext<'_>, slide: &crate::model::Slide, page: &Page<'_>) -> SlideView {
    let (points_html, body_html) = slide_html(slide, page);
    SlideView {
        number: slide.number,
        title: slide.title.clone(),
        minutes: slide.minutes.map(|m| cx.duration(m)),
        points: slide.points.clone(),
        points_html,
        body_html,
        video: slide.video.clone(),
        image: slide_image(cx, slide),
    }
}

/// A slide's points (each inline HTML) and its body's HTML, with links
/// rewritten for `page` as elsewhere.
fn slide_html(slide: &crate::model::Slide, page: &Page<'_>) -> (Vec<String>, String) {
    let points = slide
        .points
        .iter()
        .map(|p| render_inline(p, page))
        .collect();
    let mut body = String::new();
    if !slide.body.is_empty() {
        render_markdown(&slide.body, page, &mut body);
    }
    (points, body)
}

/// A slide's picture, as the page links it.
fn slide_image(cx: &PageContext<'_>, slide: &crate::model::Slide) -> Option<ImageView> {
    let image = slide.image.as_ref()?;
    Some(ImageView {
        url: crate::render::urls::relative(cx.url, &cx.pack.site_path(&image.path)),
        alt: image.alt.clone(),
    })
}

fn schedule_rows(cx: &PageContext<'_>, page: &Page<'_>) -> Vec<RowView> {
    cx.module
        .schedule
        .items
        .iter()
        .map(|item| {
            let steps = item
                .timed_steps()
                .map(|(start, step)| StepView {
                    start: cx.words.elapsed(start),
                    minutes: cx.duration(step.minutes),
                    text_html: render_inline(&step.text, page),
                })
                .collect();
            RowView {
                start: cx.words.elapsed(item.start),
                minutes: cx.duration(item.minutes),
                kind: match item.kind {
                    ItemKind::Slide => "slide",
                    ItemKind::Activity => "activity",
                },
                title: item.title.clone(),
                slide: item.slide,
                anchor: item.anchor.clone(),
                steps,
            }
        })
        .collect()
}

/// The quiz as a given audience sees it: participants get no correct marks
/// and no answers.
pub fn quiz_view(
    cx: &PageContext<'_>,
    quiz: &Quiz,
    page: &Page<'_>,
    audience: Audience,
) -> QuizView {
    let participant = audience == Audience::Participant;
    let cx = PageContext { audience, ..*cx };
    let questions = quiz
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| QuizQuestionView {
            number: i + 1,
            text_html: cx.body(&q.text, page),
            options: q
                .options
                .iter()
                .map(|o| OptionView {
                    text_html: render_inline(&o.text, page),
                    correct: o.correct && !participant,
                })
                .collect(),
            answers_html: match (&q.answers, participant) {
                (Some(a), false) => cx.body(&a.body, page),
                _ => String::new(),
            },
            open: q.options.is_empty(),
        })
        .collect();
    QuizView {
        title: quiz.title.clone(),
        pdf_url: urls::quiz(&cx.module.slug, "pdf"),
        questions,
    }
}

/// The participants' quiz page's `quiz`.
pub fn participant_quiz(cx: &PageContext<'_>) -> Option<QuizView> {
    let quiz = cx.module.quiz()?;
    let links = cx.links(&cx.module.path);
    let page = cx.page(&links);
    Some(quiz_view(cx, quiz, &page, Audience::Participant))
}

/// The slides of the deck, each with the notes of the section covering it,
/// reusing the notes the trainer's guide rendered (the two pages share a
/// folder, so their links are the same). A section covering several slides
/// gives its notes to the first of them, and points the others there, so no
/// anchor appears twice on the page.
pub fn deck_slides(cx: &PageContext<'_>, guide: &GuideView) -> Vec<DeckSlide> {
    let module = cx.module;
    let links = cx.links(&module.path);
    let page = cx.page(&links);
    module
        .slides
        .iter()
        .map(|slide| {
            let window = slide_window(&module.schedule, slide.number);
            let start = window.map_or_else(String::new, |(from, _)| cx.words.elapsed(from));
            let section = module.sections.iter().zip(&guide.sections).find(|(s, _)| {
                s.slides
                    .is_some_and(|r| r.numbers().contains(&slide.number))
            });
            let notes_html = match section {
                Some((s, view)) => match s.slides.map(|r| r.first) {
                    Some(first) if first != slide.number => format!(
                        "<p class=\"tp-notes-elsewhere\">{}</p>",
                        escape(
                            &cx.words
                                .fill("deck_notes_with", &[("number", &first.to_string())])
                        )
                    ),
                    _ => view.notes_html.clone(),
                },
                None => String::new(),
            };
            let (points_html, body_html) = slide_html(slide, &page);
            DeckSlide {
                number: slide.number,
                title: slide.title.clone(),
                minutes: slide.minutes.map(|m| cx.duration(m)),
                points: slide.points.clone(),
                points_html,
                body_html,
                video: slide.video.clone(),
                image: slide_image(cx, slide),
                notes_html,
                start,
                start_minutes: window.map_or(0, |(from, _)| from.0),
                end_minutes: window.map_or(module.schedule.total.0, |(_, to)| to.0),
            }
        })
        .collect()
}

/// When a slide is planned to be on screen, in minutes from the module's
/// start: from its own start to the start of the next slide in the
/// schedule, or the module's end, so the activities taught while it is up
/// count as its time. The presenter view says "behind" or "ahead" from it.
fn slide_window(schedule: &Schedule, number: u32) -> Option<(Minutes, Minutes)> {
    let at = schedule
        .items
        .iter()
        .position(|i| i.slide == Some(number))?;
    let end = schedule.items[at + 1..]
        .iter()
        .find(|i| i.kind == ItemKind::Slide)
        .map_or(schedule.total, |i| i.start);
    Some((schedule.items[at].start, end))
}

/// A handout page's `handout` and its plain text for search.
pub fn handout_view(cx: &PageContext<'_>, handout: &Handout) -> (HandoutView, String) {
    let links = cx.links(&handout.path);
    let page = cx.page(&links).collecting_text();
    let body_html = cx.body(&handout.body, &page);
    let view = HandoutView {
        id: handout.id.clone(),
        title: handout.title.clone(),
        body_html,
        pdf_url: urls::handout(&cx.module.slug, &handout.id, "pdf"),
    };
    (view, page.take_text())
}

/// One module's part of an answer key: every activity's answers, every
/// handout's questions with their answers, and the quiz with its answers.
pub fn key_view(cx: &PageContext<'_>, card: ModuleCard) -> KeyView {
    let module = cx.module;
    let cx = PageContext {
        audience: Audience::Key,
        ..*cx
    };
    let links = cx.links(&module.path);
    let page = cx.page(&links);
    let activities = module
        .activities_in_order()
        .into_iter()
        .filter_map(|a| {
            let answers = direct_answers(&a.body);
            if answers.is_empty() {
                return None;
            }
            let answers_html = answers
                .iter()
                .map(|ans| cx.body(&ans.body, &page))
                .collect();
            Some(KeyActivity {
                number: a.number,
                title: a.title.clone(),
                minutes: cx.duration(a.minutes),
                anchor: a.anchor.clone(),
                answers_html,
            })
        })
        .collect();
    let handouts = module
        .handouts
        .iter()
        .map(|h| key_handout(&cx, h))
        .filter(|h| !h.items.is_empty())
        .collect();
    KeyView {
        module: card,
        activities,
        handouts,
        quiz: module
            .quiz()
            .map(|q| quiz_view(&cx, q, &page, Audience::Key)),
    }
}

/// The questions an answers block answers as a whole: the one question, or
/// a numbered list of them.
fn questions_html(questions: &[&crate::model::Question], page: &Page<'_>) -> String {
    match questions {
        [] => String::new(),
        [one] => render_inline(&one.text, page),
        many => {
            let items: String = many
                .iter()
                .map(|q| format!("<li>{}</li>", render_inline(&q.text, page)))
                .collect();
            format!("<ol>{items}</ol>")
        }
    }
}

/// True when any HTML of a key view links or points to a path relative to
/// its page (not to another host, and not within the page).
pub fn key_has_relative_links(key: &KeyView) -> bool {
    let activities = key.activities.iter().map(|a| a.answers_html.as_str());
    let handouts = key
        .handouts
        .iter()
        .flat_map(|h| &h.items)
        .flat_map(|i| [i.question_html.as_str(), i.answers_html.as_str()]);
    let quiz = key.quiz.iter().flat_map(|q| &q.questions).flat_map(|q| {
        std::iter::once(q.text_html.as_str())
            .chain(std::iter::once(q.answers_html.as_str()))
            .chain(q.options.iter().map(|o| o.text_html.as_str()))
    });
    activities
        .chain(handouts)
        .chain(quiz)
        .any(has_relative_link)
}

fn has_relative_link(html: &str) -> bool {
    ["href=\"", "src=\""].iter().any(|attr| {
        html.split(attr).skip(1).any(|rest| {
            !["http://", "https://", "mailto:", "tel:", "#", "data:"]
                .iter()
                .any(|scheme| rest.starts_with(scheme))
        })
    })
}

/// The `answers` blocks written directly in a body (not in a nested quiz).
fn direct_answers(body: &Body) -> Vec<&Answers> {
    body.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Answers(a) => Some(a),
            _ => None,
        })
        .collect()
}

fn key_handout(cx: &PageContext<'_>, handout: &Handout) -> KeyHandout {
    let links = cx.links(&handout.path);
    let page = cx.page(&links);
    let questions = handout.questions();
    let mut items = Vec::new();
    let mut answers = Vec::new();
    handout.body.walk(&mut |block, _| {
        if let Block::Answers(a) = block {
            answers.push(a);
        }
    });
    for answer in answers {
        match &answer.items {
            Some(list) if list.len() == questions.len() => {
                for (question, item) in questions.iter().zip(list) {
                    let mut answers_html = String::new();
                    crate::render::markdown::render_markdown(item, &page, &mut answers_html);
                    items.push(KeyItem {
                        question_html: render_inline(&question.text, &page),
                        answers_html,
                    });
                }
            }
            _ => items.push(KeyItem {
                question_html: questions_html(&questions, &page),
                answers_html: cx.body(&answer.body, &page),
            }),
        }
    }
    KeyHandout {
        id: handout.id.clone(),
        title: handout.title.clone(),
        items,
    }
}
