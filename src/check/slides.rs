//! Slides and their notes: every slide covered by notes exactly once, and
//! each notes heading titled like the slide it names, so that notes left
//! on the wrong slide by an inserted or moved slide are caught.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Bearing, Diagnostic, SourceFile};
use crate::model::{Module, Section, Slide};

pub(super) fn check_slides(module: &Module, file: &SourceFile, diags: &mut Vec<Diagnostic>) {
    let count = module.slides.len() as u32;
    let mut covered: BTreeMap<u32, usize> = BTreeMap::new();
    // Sections whose slides are already in error: their titles are not
    // checked as well.
    let mut flagged: BTreeSet<usize> = BTreeSet::new();
    for section in &module.sections {
        let Some(range) = section.slides else {
            continue;
        };
        if range.last > count {
            let d = Diagnostic::error(format!(
                "notes for slide {}, but the module has {} {}",
                if range.first > count {
                    range.first
                } else {
                    range.last
                },
                count,
                if count == 1 { "slide" } else { "slides" }
            ))
            .at_line(file, section.line)
            .hint("add a `[[slides]]` entry to the front matter, or fix the slide number");
            diags.push(d);
            flagged.insert(section.line);
        }
        for number in range.numbers().filter(|n| *n <= count) {
            if let Some(first) = covered.insert(number, section.line) {
                covered.insert(number, first);
                let d =
                    Diagnostic::error(format!("slide {number} already has notes at line {first}"))
                        .at_line(file, section.line)
                        .hint(
                            "cover each slide in one notes section; use `{slide=N-M}` for a range",
                        );
                diags.push(d);
                flagged.insert(section.line);
            }
        }
    }
    check_titles(module, file, &flagged, diags);
    for slide in &module.slides {
        if !covered.contains_key(&slide.number) {
            let d = Diagnostic::warning(format!(
                "slide {} (\"{}\") has no notes",
                slide.number, slide.title
            ))
            .at_line(file, slide.line)
            .hint(format!(
                "add a heading `## {} {{slide={}}}` followed by the trainer's notes",
                slide.title,
                slide.id.clone().unwrap_or_else(|| slide.number.to_string())
            ))
            // why: a block left open swallows later headings, so this
            // follows from that error and is held back while it stands.
            .bearing(Bearing::Counts);
            diags.push(d);
        }
    }
}

/// Warns of each notes heading whose title is not its slide's.
fn check_titles(
    module: &Module,
    file: &SourceFile,
    flagged: &BTreeSet<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for section in &module.sections {
        let Some(range) = section.slides.filter(|_| !flagged.contains(&section.line)) else {
            continue;
        };
        let slides: Vec<&Slide> = range
            .numbers()
            .filter_map(|n| module.slides.get(n as usize - 1))
            .collect();
        if slides.is_empty() || titles_agree(&section.title, &slides) {
            continue;
        }
        diags.push(title_mismatch(section, &slides).at_line(file, section.line));
    }
}

fn title_mismatch(section: &Section, slides: &[&Slide]) -> Diagnostic {
    let named = match slides {
        [one] => format!("slide {} (\"{}\")", one.number, one.title),
        [first, .., last] => format!(
            "slides {}-{} (\"{}\" to \"{}\")",
            first.number, last.number, first.title, last.title
        ),
        [] => String::new(),
    };
    let hint = if section.slide_id.is_some() {
        "make the heading and the slide's `title` agree, or name the slide these notes are for"
            .to_string()
    } else {
        format!(
            "if a slide was added or moved, these notes now sit on another slide: fix the number, or give the slide an `id` and write `{{slide={}}}`, which follows the slide wherever it moves",
            crate::load::anchor_of(&section.title)
        )
    };
    Diagnostic::warning(format!(
        "notes heading \"{}\" is not the title of {named}",
        section.title
    ))
    .hint(hint)
}

/// True when the heading is one slide's title, or the words every title
/// of a range starts with ("Key messages" for "Key messages (1 of 2)" and
/// "Key messages (2 of 2)"), case and punctuation aside.
fn titles_agree(heading: &str, slides: &[&Slide]) -> bool {
    let heading = words(heading);
    let titles: Vec<Vec<String>> = slides.iter().map(|s| words(&s.title)).collect();
    titles.contains(&heading)
        || (slides.len() > 1
            && !heading.is_empty()
            && titles.iter().all(|t| t.starts_with(&heading)))
}

/// The words of a title, lowercase, without punctuation.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slide(title: &str) -> Slide {
        Slide {
            number: 1,
            id: None,
            title: title.into(),
            minutes: None,
            points: Vec::new(),
            body: String::new(),
            video: None,
            image: None,
            line: 1,
        }
    }

    #[test]
    fn titles_agree_with_case_and_punctuation_aside() {
        let cpas = slide("Child Protection Advisors (CPAs)");
        assert!(titles_agree("Child protection advisors: CPAs", &[&cpas]));
        assert!(!titles_agree("Child Protection Advisors", &[&cpas]));
        let (a, b) = (
            slide("Key messages (1 of 2)"),
            slide("Key messages (2 of 2)"),
        );
        assert!(titles_agree("Key messages", &[&a, &b]));
        assert!(titles_agree("Key messages (2 of 2)", &[&a, &b]));
        assert!(!titles_agree("Key", &[&a]));
        assert!(!titles_agree("Questions", &[&a, &b]));
    }
}
