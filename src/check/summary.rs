//! The summary `check` prints after it found no error: counts per module
//! and over the pack.

use std::fmt;

use crate::model::Pack;
use crate::model::time::Minutes;

/// Counts shown after a successful check.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The pack's title.
    pub title: String,
    /// One line per module.
    pub modules: Vec<ModuleSummary>,
    /// Total teaching time.
    pub total: Minutes,
}

/// Counts for one module.
#[derive(Debug, Clone)]
pub struct ModuleSummary {
    /// "4" or "-".
    pub number: String,
    /// The title.
    pub title: String,
    /// Scheduled time.
    pub minutes: Minutes,
    /// Slides in the deck.
    pub slides: usize,
    /// Timed activities.
    pub activities: usize,
    /// Handouts.
    pub handouts: usize,
    /// Quiz questions.
    pub questions: usize,
}

impl Summary {
    /// Counts over a loaded pack.
    pub fn of(pack: &Pack) -> Summary {
        let several = !pack.translations.is_empty();
        let modules = pack
            .languages()
            .flat_map(|part| part.modules.iter().map(move |m| (part, m)))
            .map(|(part, m)| ModuleSummary {
                number: m.number.map_or_else(|| "-".into(), |n| n.to_string()),
                title: if several {
                    format!("[{}] {}", part.config.pack.language, m.title)
                } else {
                    m.title.clone()
                },
                minutes: m.schedule.total,
                slides: m.slides.len(),
                activities: m.activities_in_order().len(),
                handouts: m.handouts.len(),
                questions: m.quiz().map_or(0, |q| q.questions.len()),
            })
            .collect::<Vec<_>>();
        Summary {
            title: pack.config.pack.title.clone(),
            // A translation is the same course: the time of the main language.
            total: pack.modules.iter().map(|m| m.schedule.total).sum(),
            modules,
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sum =
            |field: fn(&ModuleSummary) -> usize| self.modules.iter().map(field).sum::<usize>();
        writeln!(f, "{}", self.title)?;
        writeln!(
            f,
            "  {}, {}, {}, {}, {}",
            plural(self.modules.len(), "module", "modules"),
            plural(sum(|m| m.slides), "slide", "slides"),
            plural(sum(|m| m.activities), "activity", "activities"),
            plural(sum(|m| m.handouts), "handout", "handouts"),
            plural(sum(|m| m.questions), "quiz question", "quiz questions"),
        )?;
        writeln!(f, "  total time {}", self.total.human())?;
        // A long pack gets the totals only, so the summary fits one screen.
        if self.modules.len() <= 20 {
            writeln!(f)?;
            for m in &self.modules {
                writeln!(
                    f,
                    "  {:>3}  {:<44} {:>9}  {:>9}  {:>13}  {:>11}  {:>12}",
                    m.number,
                    truncate(&m.title, 44),
                    m.minutes.human(),
                    plural(m.slides, "slide", "slides"),
                    plural(m.activities, "activity", "activities"),
                    plural(m.handouts, "handout", "handouts"),
                    plural(m.questions, "question", "questions"),
                )?;
            }
        }
        Ok(())
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}
