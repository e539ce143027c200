//! Headings that were meant to start a slide's notes but do not: the
//! wrong level (`### Title {slide=3}`), an attribute never closed
//! (`## Title {slide=3`), or the slide in parentheses (`## Title (slide 3)`).
//! Each is an error at its own line, so the slide's missing notes are not
//! the first thing the author reads.

use super::ends::heading_level;
use super::strip_closing_hashes;

/// What is wrong with a heading that looks meant as a notes heading, if
/// anything: (message, hint).
pub(super) fn heading_near_miss(text: &str) -> Option<(String, String)> {
    let level = heading_level(text)?;
    let content = text.trim_start().trim_start_matches('#').trim();
    let content = strip_closing_hashes(content);
    if let Some(open) = content.rfind('{') {
        let inner = content[open + 1..].trim();
        let names_slide = inner.starts_with("slide") || inner.starts_with('#');
        if !inner.contains('}') && names_slide {
            return Some((
                "this heading's `{` is never closed".into(),
                format!("end the heading with `}}`: `{{{inner}}}`"),
            ));
        }
        let has_slide = inner
            .trim_end_matches('}')
            .split_whitespace()
            .any(|t| t.starts_with("slide"));
        if content.ends_with('}') && has_slide && level != 2 {
            return Some((
                format!(
                    "a heading with `{{slide=...}}` must be level 2 (`##`), this one is level {level}"
                ),
                "write `## ` before the title: only a level-2 heading starts the notes of a slide"
                    .into(),
            ));
        }
        if content.ends_with('}') && has_slide {
            return None;
        }
    }
    if level != 2 {
        return None;
    }
    let value = in_parentheses(content)?;
    Some((
        "the slide is in parentheses, so it is read as part of the title".into(),
        format!("write it in braces at the end of the heading: `{{slide={value}}}`"),
    ))
}

/// The value of a trailing `(slide 3)`, `(slides 3-4)` or `[slide=3]`.
fn in_parentheses(content: &str) -> Option<&str> {
    let close = content.chars().last().filter(|c| matches!(c, ')' | ']'))?;
    let opener = if close == ')' { '(' } else { '[' };
    let open = content.rfind(opener)?;
    let inner = content[open + 1..content.len() - 1].trim();
    let lower = inner.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("slides")
        .or_else(|| lower.strip_prefix("slide"))?;
    let value_start = inner.len() - rest.trim_start_matches([' ', '=', ':']).len();
    let value = inner[value_start..].trim();
    let starts_apart = rest.starts_with([' ', '=', ':']);
    // A number, not a word: "(slide show)" is a title.
    let one_word =
        value.starts_with(|c: char| c.is_ascii_digit()) && !value.contains(char::is_whitespace);
    (starts_apart && one_word).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_are_named() {
        let message = |t: &str| heading_near_miss(t).map(|(m, _)| m);
        assert!(message("### Title {slide=7}").unwrap().contains("level 3"));
        assert!(
            message("## Title {slide=7")
                .unwrap()
                .contains("never closed")
        );
        assert!(
            message("## Title (slide 7)")
                .unwrap()
                .contains("parentheses")
        );
        assert!(message("## Title [slides 7-8]").is_some());
    }

    #[test]
    fn good_headings_pass() {
        for text in [
            "## Title {slide=7}",
            "## Recap (slides 1-6) {slide=7}",
            "### A subheading (with a remark)",
            "## Glissade (slide show)",
            "### Title {#anchor}",
            "## Sliders (slide rule 2)",
        ] {
            assert_eq!(heading_near_miss(text), None, "{text}");
        }
    }
}
