//! What templates see: plain serializable views of the model, with every
//! URL relative to the site root and every Markdown field already HTML.
//! `docs/themes.md` documents each field; keep the two in step.

// The fields are the template variables, documented once for theme authors
// in docs/themes.md rather than twice.
#![allow(missing_docs)]

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::model::{Module, Pack};
use crate::render::i18n::Words;
use crate::render::markdown::{Links, Page, render_inline};
use crate::render::urls;
use std::collections::BTreeMap;

use crate::model::schedule::{CourseSchedule, Row};
use crate::model::time::Minutes;

/// `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub language: String,
    pub total: String,
    pub generator: String,
}

impl SiteView {
    /// The site block for a pack.
    pub fn of(pack: &Pack, words: &Words) -> SiteView {
        let info = &pack.config.pack;
        SiteView {
            title: info.title.clone(),
            subtitle: info.subtitle.clone(),
            description: info.description.clone(),
            authors: info.authors.clone(),
            language: info.language.clone(),
            total: words.duration(pack.modules.iter().map(|m| m.schedule.total).sum()),
            generator: format!("trainpack {}", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub kind: &'static str,
    pub title: String,
    pub url: String,
    pub root: String,
    pub language: String,
    pub dir: String,
    pub audience: &'static str,
    pub alternates: Vec<Alternate>,
}

/// A link to the same page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub language: String,
    pub name: String,
    pub url: String,
}

/// `nav`.
#[derive(Debug, Clone, Serialize)]
pub struct NavView {
    pub home: &'static str,
    pub schedule: &'static str,
    pub answer_key: &'static str,
    pub answer_key_pdf: &'static str,
    pub course_book_pdf: &'static str,
    pub search: &'static str,
    pub modules: Vec<NavModule>,
}

/// A module in the navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavModule {
    pub slug: String,
    pub number: Option<u32>,
    pub title: String,
    pub label: String,
    pub url: String,
    pub current: bool,
}

/// Packs longer than this get no module list in the navigation of every
/// page: the home page lists them, and every page stays small.
pub const NAV_MODULES_MAX: usize = 30;

impl NavView {
    /// The navigation, marking `current` as the page's module.
    pub fn of(cards: &[Arc<ModuleCard>], current: Option<&str>) -> NavView {
        let modules = if cards.len() <= NAV_MODULES_MAX {
            cards
                .iter()
                .map(|c| NavModule {
                    slug: c.slug.clone(),
                    number: c.number,
                    title: c.title.clone(),
                    label: c.label.clone(),
                    url: c.url.clone(),
                    current: current == Some(c.slug.as_str()),
                })
                .collect()
        } else {
            Vec::new()
        };
        NavView {
            home: urls::HOME,
            schedule: urls::SCHEDULE,
            answer_key: urls::PACK_KEY,
            answer_key_pdf: urls::PACK_KEY_PDF,
            course_book_pdf: urls::COURSE_BOOK_PDF,
            search: urls::SEARCH,
            modules,
        }
    }
}

/// `options`.
#[derive(Debug, Clone, Serialize)]
pub struct OptionsView {
    pub print_answers: bool,
    pub custom_css: bool,
}

/// A handout link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoutLink {
    pub id: String,
    pub title: String,
    pub url: String,
    pub pdf_url: String,
}

/// The fields every `module` object has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ModuleCard {
    pub slug: String,
    pub number: Option<u32>,
    pub label: String,
    pub title: String,
    pub summary: Option<String>,
    pub duration: Option<String>,
    pub total: String,
    pub outcomes: Vec<String>,
    pub activities: Vec<String>,
    pub key_messages: Vec<String>,
    pub url: String,
    pub guide_pdf_url: String,
    pub slides_url: String,
    pub slides_pdf_url: Option<String>,
    pub slides_notes_pdf_url: Option<String>,
    pub answer_key_url: String,
    pub answer_key_pdf_url: String,
    pub quiz_url: Option<String>,
    pub quiz_pdf_url: Option<String>,
    pub handouts: Vec<HandoutLink>,
    pub slide_count: usize,
    pub language: String,
    /// The original, shown until the module is translated.
    pub untranslated: bool,
}

impl ModuleCard {
    /// The card of a module, in the words of its language.
    pub fn of(module: &Module, words: &Words) -> ModuleCard {
        let slug = &module.slug;
        let has_quiz = module.quiz().is_some();
        let has_slides = !module.slides.is_empty();
        ModuleCard {
            slug: slug.clone(),
            number: module.number,
            label: words.module_label(module.number, &module.title),
            title: module.title.clone(),
            summary: module.summary.clone(),
            duration: module.duration.map(|d| words.duration(d)),
            total: words.duration(module.schedule.total),
            outcomes: module.outcomes.clone(),
            activities: module.activities.clone(),
            key_messages: module.key_messages.clone(),
            url: urls::guide(slug),
            guide_pdf_url: urls::guide_pdf(slug),
            slides_url: urls::slides(slug),
            slides_pdf_url: has_slides.then(|| urls::slides_pdf(slug)),
            slides_notes_pdf_url: has_slides.then(|| urls::slides_notes_pdf(slug)),
            answer_key_url: urls::module_key(slug, "html"),
            answer_key_pdf_url: urls::module_key(slug, "pdf"),
            quiz_url: has_quiz.then(|| urls::quiz(slug, "html")),
            quiz_pdf_url: has_quiz.then(|| urls::quiz(slug, "pdf")),
            handouts: module
                .handouts
                .iter()
                .map(|h| HandoutLink {
                    id: h.id.clone(),
                    title: h.title.clone(),
                    url: urls::handout(slug, &h.id, "html"),
                    pdf_url: urls::handout(slug, &h.id, "pdf"),
                })
                .collect(),
            slide_count: module.slides.len(),
            language: words.language.clone(),
            untranslated: module.untranslated,
        }
    }
}

/// The trainer's guide's `module`.
#[derive(Debug, Clone, Serialize)]
pub struct GuideView {
    #[serde(flatten)]
    pub card: ModuleCard,
    pub overview_html: String,
    pub schedule: Vec<RowView>,
    pub sections: Vec<SectionView>,
    pub activity_list: Vec<ActivityLink>,
    pub quiz: Option<QuizView>,
    pub videos: Vec<VideoLink>,
}

/// A row of a module's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub start: String,
    pub minutes: String,
    pub kind: &'static str,
    pub title: String,
    pub slide: Option<u32>,
    pub anchor: String,
    pub steps: Vec<StepView>,
}

/// A step of an activity.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub start: String,
    pub minutes: String,
    pub text_html: String,
}

/// A notes section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub title: String,
    pub anchor: String,
    pub slides: Vec<SlideView>,
    pub notes_html: String,
}

/// A slide, as shown beside its notes.
#[derive(Debug, Clone, Serialize)]
pub struct SlideView {
    pub number: u32,
    pub title: String,
    pub minutes: Option<String>,
    /// Each point as written, for themes whose templates predate
    /// Markdown in points (they show it as text, as before).
    pub points: Vec<String>,
    /// Each point, as inline HTML.
    pub points_html: Vec<String>,
    /// The slide's `body`, as HTML; empty when it has none.
    pub body_html: String,
    pub video: Option<String>,
    pub image: Option<ImageView>,
}

/// A slide's picture: its URL from the page, and its alt text.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub url: String,
    pub alt: String,
}

/// An activity in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityLink {
    pub number: usize,
    pub title: String,
    pub minutes: String,
    pub anchor: String,
}

/// A slide's video.
#[derive(Debug, Clone, Serialize)]
pub struct VideoLink {
    pub slide: u32,
    pub title: String,
    pub url: String,
}

/// A quiz, for trainers or participants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuizView {
    pub title: String,
    pub pdf_url: String,
    pub questions: Vec<QuizQuestionView>,
}

/// A quiz question.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuizQuestionView {
    pub number: usize,
    pub text_html: String,
    pub options: Vec<OptionView>,
    pub answers_html: String,
    pub open: bool,
}

/// A quiz option; `correct` is always false for participants.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OptionView {
    pub text_html: String,
    pub correct: bool,
}

/// A slide of the deck.
#[derive(Debug, Clone, Serialize)]
pub struct DeckSlide {
    pub number: u32,
    pub title: String,
    pub minutes: Option<String>,
    /// Each point as written, for themes whose templates predate
    /// Markdown in points (they show it as text, as before).
    pub points: Vec<String>,
    /// Each point, as inline HTML.
    pub points_html: Vec<String>,
    /// The slide's `body`, as HTML; empty when it has none.
    pub body_html: String,
    pub video: Option<String>,
    pub image: Option<ImageView>,
    pub notes_html: String,
    pub start: String,
    /// Minutes from the module's start to the slide's planned start.
    pub start_minutes: u32,
    /// Minutes from the module's start to the next slide's planned start
    /// (or the module's end): the slide's time includes its activities.
    pub end_minutes: u32,
}

/// A handout page's `handout`.
#[derive(Debug, Clone, Serialize)]
pub struct HandoutView {
    pub id: String,
    pub title: String,
    pub body_html: String,
    pub pdf_url: String,
}

/// One module's part of an answer key.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct KeyView {
    pub module: ModuleCard,
    pub activities: Vec<KeyActivity>,
    pub handouts: Vec<KeyHandout>,
    pub quiz: Option<QuizView>,
}

/// An activity's possible answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyActivity {
    pub number: usize,
    pub title: String,
    pub minutes: String,
    pub anchor: String,
    pub answers_html: String,
}

/// A handout's questions and answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyHandout {
    pub id: String,
    pub title: String,
    pub items: Vec<KeyItem>,
}

/// A question and its answer, or a whole answers block (`question_html`
/// empty).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyItem {
    pub question_html: String,
    pub answers_html: String,
}

/// `schedule` of the course schedule page.
#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    pub clock: bool,
    pub total: String,
    pub days: Vec<DayView>,
}

/// A day of the course.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub number: usize,
    pub title: String,
    pub rows: Vec<CourseRowView>,
}

/// A row of the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct CourseRowView {
    pub at: String,
    pub kind: String,
    pub title: String,
    pub minutes: String,
    pub module_url: Option<String>,
    pub anchor: Option<String>,
    pub steps: Vec<CourseStepView>,
}

/// A step of an activity on the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct CourseStepView {
    pub at: String,
    pub minutes: String,
    pub text_html: String,
}

impl CourseView {
    /// The view of a course schedule: times and module labels in the words
    /// of the page's language (`labels` maps slugs to module labels). Steps
    /// are Markdown, read with the pack's `[build]` settings like any other.
    pub fn of(
        course: &CourseSchedule,
        words: &Words,
        labels: &BTreeMap<&str, String>,
        build: &crate::model::config::BuildConfig,
    ) -> CourseView {
        let links = NoLinks;
        let page = Page::new(&links, build.raw_html);
        let when = |at: &str, start: Minutes| {
            if course.clock {
                at.to_string()
            } else {
                words.elapsed(start)
            }
        };
        let row_words = RowWords {
            words,
            page: &page,
            when: &when,
            labels,
        };
        CourseView {
            clock: course.clock,
            total: words.duration(course.total),
            days: course
                .days
                .iter()
                .map(|day| DayView {
                    number: day.number,
                    title: words.fill("day", &[("number", &day.number.to_string())]),
                    rows: day.rows.iter().map(|row| row_words.row(row)).collect(),
                })
                .collect(),
        }
    }
}

/// What rows of the run sheet are worded with.
struct RowWords<'a> {
    words: &'a Words,
    page: &'a Page<'a>,
    when: &'a dyn Fn(&str, Minutes) -> String,
    labels: &'a BTreeMap<&'a str, String>,
}

impl RowWords<'_> {
    fn row(&self, row: &Row) -> CourseRowView {
        let label = row.module.as_deref().and_then(|m| self.labels.get(m));
        let title = match (row.kind.as_str(), label) {
            ("module", Some(label)) => label.clone(),
            _ => row.title.clone(),
        };
        CourseRowView {
            at: (self.when)(&row.at, row.start),
            kind: row.kind.clone(),
            title,
            minutes: self.words.duration(row.minutes),
            module_url: row.module.as_deref().map(urls::guide),
            anchor: row.anchor.clone(),
            steps: row
                .steps
                .iter()
                .map(|s| CourseStepView {
                    at: (self.when)(&s.at, s.start),
                    minutes: self.words.duration(s.minutes),
                    text_html: render_inline(&s.text, self.page),
                })
                .collect(),
        }
    }
}

/// Steps on the run sheet keep their links as written.
struct NoLinks;

impl Links for NoLinks {
    fn resolve(&self, _dest: &str) -> Option<String> {
        None
    }
}
