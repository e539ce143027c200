//! The validated `book.toml`: what every stage after loading reads of the
//! pack's settings, with defaults filled in.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::time::{ClockTime, Minutes};

/// The configuration file every pack has at its root.
pub const CONFIG_FILE: &str = "book.toml";

/// The validated contents of `book.toml`.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// `[pack]`: what the pack is.
    pub pack: PackInfo,
    /// `[build]`: where and how the site is written.
    pub build: BuildConfig,
    /// `[pdf]`: how PDFs are printed.
    pub pdf: PdfConfig,
    /// `[office]`: the organisation's PowerPoint and Word templates.
    pub office: super::office::OfficeConfig,
    /// `[theme]`: which theme renders the pack.
    pub theme: ThemeConfig,
    /// `[schedule]`: clock times for the course schedule, when given.
    pub schedule: Option<ScheduleConfig>,
    /// `[course]`: the class the pack is taught to.
    pub course: CourseConfig,
    /// `[languages.<tag>]`: the pack's words in its other languages.
    pub translations: BTreeMap<String, Translation>,
}

impl Config {
    /// The configuration as seen from one of the pack's languages: its
    /// title, subtitle and description in that language, when given.
    pub fn for_language(&self, language: &str) -> Config {
        let mut config = self.clone();
        config.pack.language = language.to_string();
        if let Some(t) = self.translations.get(language) {
            if let Some(title) = &t.title {
                config.pack.title = title.clone();
            }
            if t.subtitle.is_some() {
                config.pack.subtitle = t.subtitle.clone();
            }
            if t.description.is_some() {
                config.pack.description = t.description.clone();
            }
        }
        config
    }
}

/// `[pack]`.
#[derive(Debug, Clone, Serialize)]
pub struct PackInfo {
    /// The pack's title.
    pub title: String,
    /// A line under the title.
    pub subtitle: Option<String>,
    /// BCP 47 language tag of the pack, "en" by default.
    pub language: String,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// A paragraph for the home page.
    pub description: Option<String>,
    /// `languages`: the pack's languages when its modules are written in
    /// several, each in `modules/<language>/`; empty for a pack in one
    /// language. The first is `language`.
    pub languages: Vec<String>,
}

/// `[languages.<tag>]`: the pack's title, subtitle and description in
/// another of its languages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Translation {
    /// The title in that language.
    pub title: Option<String>,
    /// The subtitle in that language.
    pub subtitle: Option<String>,
    /// The description in that language.
    pub description: Option<String>,
    /// `pending`: slugs of modules not translated yet; that language's site
    /// shows the original, with a notice.
    pub pending: Vec<String>,
}

/// `[build]`.
#[derive(Debug, Clone, Serialize)]
pub struct BuildConfig {
    /// Output folder, relative to `book.toml`.
    pub output: PathBuf,
    /// Where the site is hosted, e.g. "/cptm/", percent-encoded
    /// ("/formation-%C3%A9/"), or "" for the host's root; every URL in the
    /// site is relative, so this only sets where `serve` mounts the site.
    pub base_url: String,
    /// Pass raw HTML in Markdown through (the default), or escape it for
    /// packs that take contributions from outside.
    pub raw_html: bool,
    /// Whether printed trainer's guides show possible answers.
    pub print_answers: bool,
}

/// Paper size for PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 x 297 mm.
    A4,
    /// US Letter, 8.5 x 11 in.
    Letter,
}

/// `[pdf]`.
#[derive(Debug, Clone, Serialize)]
pub struct PdfConfig {
    /// Paper size.
    pub paper: Paper,
}

/// `[theme]`.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeConfig {
    /// "default", or the name of a folder under `themes/`.
    pub name: String,
}

/// `[course]`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CourseConfig {
    /// `participants`: how many people a class has, for `trainpack print`.
    pub participants: Option<u32>,
    /// The names in `participants.csv` beside `book.toml`, if there is
    /// one: a certificate of attendance each.
    pub names: Vec<String>,
}

/// The most participants (and groups) a class may have: more is a typo.
pub const MAX_PARTICIPANTS: u32 = 1000;

/// `[schedule]`.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleConfig {
    /// When the first module starts.
    pub start: ClockTime,
    /// A module that would run past this moves to the next day.
    pub day_end: Option<ClockTime>,
    /// Fixed breaks in each day.
    pub breaks: Vec<Break>,
}

/// A break in the course day.
#[derive(Debug, Clone, Serialize)]
pub struct Break {
    /// When it starts.
    pub at: ClockTime,
    /// How long it lasts.
    pub minutes: Minutes,
    /// What to call it ("Coffee").
    pub title: String,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output: PathBuf::from("site"),
            base_url: String::new(),
            raw_html: true,
            print_answers: true,
        }
    }
}

impl Default for ThemeConfig {
    fn default() -> Self {
        ThemeConfig {
            name: "default".into(),
        }
    }
}
