//! Timing: the running clock over a module's slides and activities, the
//! check of its total against `duration`, and the course schedule across
//! modules with clock times, breaks and days from `[schedule]`.

use crate::diag::{Bearing, Diagnostic, SourceFile};
use crate::load::toml_reader::Located;
use crate::model::config::{Break, ScheduleConfig};
use crate::model::schedule::{
    CourseSchedule, Day, ItemKind, LateStart, ModuleStart, Row, RowStep, Schedule, ScheduleItem,
};
use crate::model::time::{ClockTime, Minutes};
use crate::model::{Block, Body, Module, Section, Slide, Step};

/// Builds the schedule: activities of the overview, then each section's
/// slides followed by the activities in its notes, then any slide that no
/// section covers.
pub fn module_schedule(slides: &[Slide], overview: &Body, sections: &[Section]) -> Schedule {
    let mut clock = Clock::default();
    let mut placed = vec![false; slides.len()];
    clock.activities(overview);
    for section in sections {
        for number in section.slides.iter().flat_map(|r| r.numbers()) {
            let index = number as usize - 1;
            if let Some(slide) = slides.get(index).filter(|_| !placed[index]) {
                placed[index] = true;
                clock.slide(slide, &section.anchor);
            }
        }
        clock.activities(&section.body);
    }
    for (slide, _) in slides.iter().zip(&placed).filter(|(_, placed)| !**placed) {
        clock.slide(slide, &format!("slide-{}", slide.number));
    }
    Schedule {
        total: clock.now,
        items: clock.items,
    }
}

#[derive(Default)]
struct Clock {
    now: Minutes,
    items: Vec<ScheduleItem>,
}

impl Clock {
    fn push(&mut self, item: ScheduleItem) {
        self.now += item.minutes;
        self.items.push(item);
    }

    fn slide(&mut self, slide: &Slide, anchor: &str) {
        self.push(ScheduleItem {
            kind: ItemKind::Slide,
            start: self.now,
            minutes: slide.minutes.unwrap_or_default(),
            title: slide.title.clone(),
            slide: Some(slide.number),
            anchor: anchor.to_string(),
            steps: Vec::new(),
        });
    }

    fn activities(&mut self, body: &Body) {
        let mut found = Vec::new();
        body.walk(&mut |block, _| {
            if let Block::Activity(a) = block {
                found.push(a);
            }
        });
        for activity in found {
            self.push(ScheduleItem {
                kind: ItemKind::Activity,
                start: self.now,
                minutes: activity.minutes,
                title: activity.title.clone(),
                slide: None,
                anchor: activity.anchor.clone(),
                steps: activity
                    .steps()
                    .map(|s| s.items.clone())
                    .unwrap_or_default(),
            });
        }
    }
}

/// Warns when the schedule's total differs from the module's `duration`.
pub fn check_total(
    module: &Module,
    file: &SourceFile,
    duration: &Located<Minutes>,
    diags: &mut Vec<Diagnostic>,
) {
    let total = module.schedule.total;
    if total == duration.value {
        return;
    }
    let slides: Minutes = module.slides.iter().filter_map(|s| s.minutes).sum();
    let activities = Minutes(total.0.saturating_sub(slides.0));
    diags.push(
        Diagnostic::warning(format!(
            "the schedule adds up to {} ({} of slides, {} of activities) but `duration` is {}",
            total.human(),
            slides.human(),
            activities.human(),
            duration.value.human()
        ))
        .at(file, duration.span.clone())
        .hint("change slide or activity minutes, or `duration`, so they agree")
        .bearing(Bearing::Counts),
    );
}

/// Lays the modules out in time.
pub fn course_schedule<'a>(
    modules: impl IntoIterator<Item = &'a Module>,
    config: Option<&ScheduleConfig>,
) -> CourseSchedule {
    course_layout(modules, config).0
}

/// Lays the modules out in time, with every module whose `start` or
/// `after` comes before the module ahead of it ends (it then follows that
/// module, as if it had no set start).
pub fn course_layout<'a>(
    modules: impl IntoIterator<Item = &'a Module>,
    config: Option<&ScheduleConfig>,
) -> (CourseSchedule, Vec<LateStart>) {
    let mut layout = Layout::new(config);
    for module in modules {
        layout.module(module);
    }
    let late = std::mem::take(&mut layout.late);
    (layout.finish(), late)
}

struct Layout<'a> {
    config: Option<&'a ScheduleConfig>,
    /// Minutes since the start of the day (clock) or of the course (elapsed).
    now: u32,
    day: Day,
    days: Vec<Day>,
    breaks_taken: usize,
    total: Minutes,
    /// The slug of the module laid out last, for messages.
    previous: Option<String>,
    late: Vec<LateStart>,
}

impl<'a> Layout<'a> {
    fn new(config: Option<&'a ScheduleConfig>) -> Self {
        Layout {
            config,
            now: config.map_or(0, |c| c.start.0),
            day: Day {
                number: 1,
                rows: Vec::new(),
            },
            days: Vec::new(),
            breaks_taken: 0,
            total: Minutes(0),
            previous: None,
            late: Vec::new(),
        }
    }

    fn stamp(&self, at: u32) -> String {
        match self.config {
            Some(_) => ClockTime(at).to_string(),
            None => Minutes(at).elapsed(),
        }
    }

    fn module(&mut self, module: &Module) {
        if !self.set_start(module) {
            self.new_day_if_needed(module.schedule.total);
        }
        self.previous = Some(module.slug.clone());
        self.take_breaks();
        self.day.rows.push(Row {
            at: self.stamp(self.now),
            start: Minutes(self.now),
            kind: "module".into(),
            title: module.label(),
            minutes: module.schedule.total,
            module: Some(module.slug.clone()),
            anchor: None,
            steps: Vec::new(),
        });
        for item in &module.schedule.items {
            self.take_breaks();
            let steps = self.steps(&item.steps);
            self.day.rows.push(Row {
                at: self.stamp(self.now),
                start: Minutes(self.now),
                kind: serde_json::to_value(item.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                title: item.title.clone(),
                minutes: item.minutes,
                module: Some(module.slug.clone()),
                anchor: Some(item.anchor.clone()),
                steps,
            });
            self.now += item.minutes.0;
            self.total += item.minutes;
        }
    }

    fn steps(&self, steps: &[Step]) -> Vec<RowStep> {
        crate::model::schedule::timed(Minutes(self.now), steps)
            .map(|(start, s)| RowStep {
                at: self.stamp(start.0),
                start,
                minutes: s.minutes,
                text: s.text.clone(),
            })
            .collect()
    }

    /// Moves a module that would run past `day_end` to the next day, unless
    /// it is the first of its day (then it runs late rather than never).
    fn new_day_if_needed(&mut self, length: Minutes) {
        let Some(config) = self.config else { return };
        let Some(day_end) = config.day_end else {
            return;
        };
        let breaks: u32 = config.breaks[self.breaks_taken..]
            .iter()
            .filter(|b| b.at.0 < self.now + length.0)
            .map(|b| b.minutes.0)
            .sum();
        if self.now + length.0 + breaks > day_end.0 && !self.day.rows.is_empty() {
            let next = Day {
                number: self.day.number + 1,
                rows: Vec::new(),
            };
            self.days.push(std::mem::replace(&mut self.day, next));
            self.now = config.start.0;
            self.breaks_taken = 0;
        }
    }

    /// Moves the clock to the module's `start`, or past the break its
    /// `after` names, taking the breaks on the way. Returns whether the
    /// module has a set start that applies: such a module stays on its day.
    /// An `after` naming no break is ignored here (`check` reports it).
    fn set_start(&mut self, module: &Module) -> bool {
        let (Some(config), Some(start)) = (self.config, &module.start) else {
            return false;
        };
        let (wanted, last_break) = match start {
            ModuleStart::At(at) => (at.0, None),
            ModuleStart::After(name) => {
                let Some(index) = config
                    .breaks
                    .iter()
                    .position(|b| b.title.eq_ignore_ascii_case(name))
                else {
                    return false;
                };
                let b = &config.breaks[index];
                (b.at.0 + b.minutes.0, Some((index, b.title.clone())))
            }
        };
        // After a break, a module that follows late still starts after it,
        // as long as the break has not been taken already.
        let late = match &last_break {
            Some((index, _)) => *index < self.breaks_taken,
            None => self.now > wanted,
        };
        if late {
            self.late.push(LateStart {
                module: module.slug.clone(),
                wanted: ClockTime(wanted),
                previous_end: ClockTime(self.now),
                previous: self.previous.clone(),
                after: last_break.map(|(_, title)| title),
            });
            return true;
        }
        let until = match &last_break {
            Some((index, _)) => index + 1,
            None => config.breaks.iter().filter(|b| b.at.0 < wanted).count(),
        };
        while let Some(b) = config
            .breaks
            .get(self.breaks_taken)
            .filter(|_| self.breaks_taken < until)
        {
            self.now = self.now.max(b.at.0);
            self.take_break(b);
        }
        if last_break.is_none() {
            self.now = self.now.max(wanted);
        }
        true
    }

    /// Takes every break whose time has come, at the first boundary between
    /// items at or after it: an activity is never cut in two.
    fn take_breaks(&mut self) {
        let Some(config) = self.config else { return };
        while let Some(b) = config.breaks.get(self.breaks_taken) {
            if b.at.0 > self.now {
                break;
            }
            self.take_break(b);
        }
    }

    fn take_break(&mut self, b: &Break) {
        self.day.rows.push(Row {
            at: self.stamp(self.now),
            start: Minutes(self.now),
            kind: "break".into(),
            title: b.title.clone(),
            minutes: b.minutes,
            module: None,
            anchor: None,
            steps: Vec::new(),
        });
        self.now += b.minutes.0;
        self.breaks_taken += 1;
    }

    fn finish(mut self) -> CourseSchedule {
        self.days.push(self.day);
        CourseSchedule {
            clock: self.config.is_some(),
            days: self.days,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests;
