//! Timing as the renderers see it: a module's running clock and the course
//! schedule over days, with clock times or elapsed times.

use serde::Serialize;

use super::Step;
use super::time::Minutes;

/// A module's running clock.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Schedule {
    /// Slides and activities in the order they are taught.
    pub items: Vec<ScheduleItem>,
    /// The sum of all items.
    pub total: Minutes,
}

/// What a schedule row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// Presenting a slide.
    Slide,
    /// A timed exercise.
    Activity,
}

/// One row of a module's schedule.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleItem {
    /// Slide or activity.
    pub kind: ItemKind,
    /// Minutes from the start of the module.
    pub start: Minutes,
    /// How long it takes.
    pub minutes: Minutes,
    /// The slide's or activity's title.
    pub title: String,
    /// The slide number, for slides.
    pub slide: Option<u32>,
    /// Where it is in the trainer's guide.
    pub anchor: String,
    /// An activity's steps.
    pub steps: Vec<Step>,
}

impl ScheduleItem {
    /// Its steps, each with the minute it starts at, counted from the
    /// module's start.
    pub fn timed_steps(&self) -> impl Iterator<Item = (Minutes, &Step)> {
        timed(self.start, &self.steps)
    }
}

/// `steps` one after another from minute `start`, each with its start.
pub fn timed(start: Minutes, steps: &[Step]) -> impl Iterator<Item = (Minutes, &Step)> {
    steps.iter().scan(start.0, |at, step| {
        let started = *at;
        *at += step.minutes.0;
        Some((Minutes(started), step))
    })
}

/// The course schedule: modules in order over one or more days.
#[derive(Debug, Clone, Serialize)]
pub struct CourseSchedule {
    /// True when `[schedule]` gave clock times.
    pub clock: bool,
    /// The days; one when there is no `[schedule]`.
    pub days: Vec<Day>,
    /// Teaching time over the whole course, without breaks.
    pub total: Minutes,
}

/// One day of the course.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// From 1.
    pub number: usize,
    /// Rows in order.
    pub rows: Vec<Row>,
}

/// A row of the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// "09:30" with `[schedule]`, else the elapsed time "0h 25m".
    pub at: String,
    /// Minutes since midnight with `[schedule]`, else since the course
    /// started: what `at` says, for renderers that word it themselves.
    pub start: Minutes,
    /// "module", "break", or the module item's kind.
    pub kind: String,
    /// What happens.
    pub title: String,
    /// How long.
    pub minutes: Minutes,
    /// The module it belongs to, if any.
    pub module: Option<String>,
    /// The guide anchor of a slide or activity.
    pub anchor: Option<String>,
    /// An activity's steps, with their own start times.
    pub steps: Vec<RowStep>,
}

/// A step of an activity on the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct RowStep {
    /// Start time, as for rows.
    pub at: String,
    /// Its start in minutes, as for rows.
    pub start: Minutes,
    /// Its duration.
    pub minutes: Minutes,
    /// What happens, as inline Markdown.
    pub text: String,
}

/// When a module starts, set in its front matter; without one it follows
/// the module before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ModuleStart {
    /// `start = "13:30"`: at this time of day.
    At(super::time::ClockTime),
    /// `after = "lunch"`: right after the break of this title (any case).
    After(String),
}

/// A module whose set start comes before the module ahead of it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateStart {
    /// The module's slug.
    pub module: String,
    /// When it was meant to start.
    pub wanted: super::time::ClockTime,
    /// When the module before it ends, or the day starts.
    pub previous_end: super::time::ClockTime,
    /// The module before it, if it is not the first.
    pub previous: Option<String>,
    /// The break named by `after`, when that is how the start was set.
    pub after: Option<String>,
}
