//! The course schedule against `[schedule] day_end`: a module that would
//! run past it moves to the next day, unless it is the first of its day;
//! then it runs late, and `check` says so with both times.

use crate::diag::{Diagnostic, Sources};
use crate::load::schedule::course_schedule;
use crate::model::Pack;
use crate::model::time::ClockTime;

/// Warns about each module that ends after `day_end`.
pub fn check_day_end(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let Some(config) = &pack.config.schedule else {
        return;
    };
    let Some(day_end) = config.day_end else {
        return;
    };
    let course = course_schedule(pack.modules.iter().map(|m| &**m), Some(config));
    for day in &course.days {
        for module in &pack.modules {
            let end = day
                .rows
                .iter()
                .filter(|r| r.module.as_deref() == Some(module.slug.as_str()))
                .map(|r| r.start.0 + r.minutes.0)
                .max();
            let Some(end) = end.filter(|end| *end > day_end.0) else {
                continue;
            };
            let d = Diagnostic::warning(format!(
                "module `{}` runs until {} on day {}, past `day_end` ({day_end})",
                module.slug,
                ClockTime(end),
                day.number
            ))
            .hint("it is the first module of its day, so it cannot move to the next: shorten it, split it in two, or set a later `day_end` in `book.toml`");
            diags.push(match sources.file(&module.path) {
                Some(file) => d.at_line(&file, file.key_line("duration")),
                None => d.in_file(&module.path),
            });
        }
    }
}
