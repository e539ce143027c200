//! The run sheet of a class print run: the course schedule of the modules
//! taught, day by day, for the trainer's copies.

use serde::Serialize;

use super::{Documents, Job};
use crate::model::schedule::CourseSchedule;
use crate::render::i18n::words_for;

/// A day of the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetDay {
    /// "Day 2".
    pub title: String,
    /// Its rows, in order.
    pub rows: Vec<SheetRow>,
}

/// A row of the run sheet.
#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    /// "09:30", or the elapsed time without `[schedule]`.
    pub at: String,
    /// "Slide", "Activity", "Break", or empty for a module's own row.
    pub kind: String,
    /// What happens.
    pub title: String,
    /// How long, in words.
    pub minutes: String,
    /// True for a module's own row, which heads its items.
    pub module: bool,
}

/// Which rows of the course schedule a document prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// Every module, slide, activity and break: the run sheet.
    Every,
    /// The modules and breaks: the course book, whose module guides give
    /// each module's own schedule.
    ModulesAndBreaks,
}

impl Documents<'_> {
    /// The run sheet of `schedule`, holding only the rows of the modules
    /// whose slugs `taught` accepts (and the breaks of their days).
    pub fn run_sheet(&self, schedule: &CourseSchedule, taught: &dyn Fn(&str) -> bool) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(None, "run-sheet", words.get("run_sheet").to_string());
        data.module = words.get("course_schedule").to_string();
        data.days = self.sheet_days(schedule, taught, Rows::Every);
        Job {
            path: "print/run-sheet.pdf".to_string(),
            template: "pdf/run-sheet.typ",
            data,
            videos: Vec::new(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }

    /// The days of `schedule` with the rows of the modules `taught`
    /// accepts (and the breaks of their days), worded in the pack's
    /// language.
    pub fn sheet_days(
        &self,
        schedule: &CourseSchedule,
        taught: &dyn Fn(&str) -> bool,
        rows: Rows,
    ) -> Vec<SheetDay> {
        let words = words_for(self.words, self.pack, None);
        schedule
            .days
            .iter()
            .filter(|day| {
                day.rows
                    .iter()
                    .any(|r| r.module.as_deref().is_some_and(taught))
            })
            .map(|day| SheetDay {
                title: words.fill("day", &[("number", &day.number.to_string())]),
                rows: day
                    .rows
                    .iter()
                    .filter(|r| r.module.as_deref().is_none_or(taught))
                    .filter(|r| {
                        rows == Rows::Every || matches!(r.kind.as_str(), "module" | "break")
                    })
                    .map(|r| SheetRow {
                        at: r.at.clone(),
                        kind: match r.kind.as_str() {
                            "module" => String::new(),
                            kind => words.get(kind).to_string(),
                        },
                        title: r.title.clone(),
                        minutes: words.duration(r.minutes),
                        module: r.kind == "module",
                    })
                    .collect(),
            })
            .collect()
    }
}
