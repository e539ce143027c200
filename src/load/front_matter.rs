//! Front matter: splits the `+++` TOML block off a module or handout file
//! and reads it into [`ModuleMeta`] or [`HandoutMeta`], keeping positions so
//! every problem points at its line in the file.

use std::ops::Range;

use crate::diag::{Diagnostic, LineCounter, SourceFile};
use crate::load::config::{check_language, duration};
use crate::load::toml_reader::{self, Located, TableReader};
use crate::model::time::Minutes;
use crate::model::{HandoutAudience, Slide};

/// A file split at its front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the TOML text between the `+++` lines.
    pub toml: Range<usize>,
    /// Byte offset where the Markdown body starts.
    pub body: usize,
}

/// Finds the front matter of a file. Reports a missing or unclosed block.
pub fn split(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Split> {
    let text = &*file.text;
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    if text.trim().is_empty() {
        diags.push(
            Diagnostic::error("the file is empty")
                .in_file(&file.path)
                .hint("start it with front matter: a `+++` line, `title = \"...\"`, and another `+++` line"),
        );
        return None;
    }
    if first != "+++" {
        let hint = if first == "---" {
            "trainpack reads TOML front matter between `+++` lines; replace the `---` lines with `+++` and write keys as `title = \"...\"`"
        } else {
            "start the file with a `+++` line, then `title = \"...\"`, then another `+++` line"
        };
        diags.push(
            Diagnostic::error("the file does not start with front matter")
                .at(file, 0..first_end)
                .hint(hint),
        );
        return None;
    }
    let toml_start = (first_end + 1).min(text.len());
    let mut at = toml_start;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        if text[at..end].trim_end() == "+++" {
            return Some(Split {
                toml: toml_start..at,
                body: (end + 1).min(text.len()),
            });
        }
        at = end + 1;
    }
    diags.push(
        Diagnostic::error("the front matter is never closed")
            .at(file, 0..first_end)
            .hint("add a line with only `+++` after the last key of the front matter"),
    );
    None
}

/// A module's front matter, validated.
#[derive(Debug, Clone, Default)]
pub struct ModuleMeta {
    /// `title`.
    pub title: String,
    /// `number`.
    pub number: Option<u32>,
    /// `duration`, and where it was written.
    pub duration: Option<Located<Minutes>>,
    /// `summary`.
    pub summary: Option<String>,
    /// `outcomes`.
    pub outcomes: Vec<String>,
    /// `activities`.
    pub activities: Vec<String>,
    /// `key_messages`.
    pub key_messages: Vec<String>,
    /// `slides`.
    pub slides: Vec<Slide>,
    /// `handouts`: the ids to use, in order, when given.
    pub handouts: Option<Vec<Located<String>>>,
    /// `draft`.
    pub draft: bool,
    /// `language`.
    pub language: Option<String>,
}

/// Reads a module's front matter. Returns `None` when it cannot be used.
pub fn read_module(
    file: &SourceFile,
    split: &Split,
    diags: &mut Vec<Diagnostic>,
) -> Option<ModuleMeta> {
    let before = diags.len();
    let text = &file.text[split.toml.clone()];
    let doc = toml_reader::parse(file, text, split.toml.start, diags)?;
    let mut t = TableReader::new(doc.table(), file, split.toml.start, "front matter", diags);
    let title = t.required_string("title", "\"Module title\"");
    let number = t.count("number").map(|n| n.value);
    let duration_text = t.string_or_integer("duration");
    let summary = t.string("summary").map(|s| s.value);
    let outcomes = values(t.string_list("outcomes"));
    let activities = values(t.string_list("activities"));
    let key_messages = values(t.string_list("key_messages"));
    let slide_tables = t.table_list("slides");
    let handouts = t.string_list("handouts");
    let draft = t.boolean("draft").is_some_and(|d| d.value);
    let language = t.string("language").map(|l| check_language(&mut t, l));
    let duration = duration_text.and_then(|d| {
        let span = d.span.clone();
        duration(&mut t, "duration", d).map(|value| Located { value, span })
    });
    let file_ref = t.file();
    let offset = t.offset();
    t.finish();
    let mut lines = LineCounter::new(&file_ref.text);
    let slides = slide_tables
        .into_iter()
        .enumerate()
        .filter_map(|(i, table)| {
            let reader =
                TableReader::new(table, file_ref, offset, format!("slide {}", i + 1), diags);
            let line = lines.line_of(reader.table_start());
            read_slide(reader, i, line)
        })
        .collect();
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(ModuleMeta {
        title: title?.value,
        number,
        duration,
        summary,
        outcomes,
        activities,
        key_messages,
        slides,
        handouts,
        draft,
        language,
    })
}

fn values(list: Option<Vec<Located<String>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|l| l.value)
        .collect()
}

/// Reads slide `index`, whose table starts on `line`.
fn read_slide(mut t: TableReader<'_, '_, '_>, index: usize, line: usize) -> Option<Slide> {
    let title = t.required_string("title", "\"Slide title\"");
    let minutes = t.string_or_integer("minutes");
    let points = values(t.string_list("points"));
    let video = t.string("video");
    let minutes = minutes.and_then(|m| duration(&mut t, "minutes", m));
    let video = video.and_then(|v| check_url(&mut t, v));
    t.finish();
    Some(Slide {
        number: u32::try_from(index + 1).unwrap_or(u32::MAX),
        title: title?.value,
        minutes,
        points,
        video,
        line,
    })
}

fn check_url(t: &mut TableReader<'_, '_, '_>, url: Located<String>) -> Option<String> {
    let ok = url.value.starts_with("https://") || url.value.starts_with("http://");
    if !ok {
        let file = t.file();
        t.report(
            Diagnostic::error(format!(
                "`video` must be a web address, found \"{}\"",
                url.value
            ))
            .at(file, url.span)
            .hint("write the full address, starting with `https://`"),
        );
        return None;
    }
    Some(url.value)
}

/// A handout file's front matter.
#[derive(Debug, Clone)]
pub struct HandoutMeta {
    /// `title`.
    pub title: String,
    /// `audience`, participant by default.
    pub audience: HandoutAudience,
}

/// Reads a handout file's front matter.
pub fn read_handout(
    file: &SourceFile,
    split: &Split,
    diags: &mut Vec<Diagnostic>,
) -> Option<HandoutMeta> {
    let before = diags.len();
    let text = &file.text[split.toml.clone()];
    let doc = toml_reader::parse(file, text, split.toml.start, diags)?;
    let mut t = TableReader::new(
        doc.table(),
        file,
        split.toml.start,
        "handout front matter",
        diags,
    );
    let title = t.required_string("title", "\"Case Study 1\"");
    let audience = t.string("audience").and_then(|a| {
        let file = t.file();
        read_audience(&a.value)
            .map_err(|d| t.report(d.at(file, a.span)))
            .ok()
    });
    t.finish();
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(HandoutMeta {
        title: title?.value,
        audience: audience.unwrap_or_default(),
    })
}

/// Reads a handout's `audience`: the error, unplaced, when it names none.
pub fn read_audience(value: &str) -> Result<HandoutAudience, Diagnostic> {
    if let Some(audience) = HandoutAudience::named(value) {
        return Ok(audience);
    }
    let names = HandoutAudience::ALL.map(|(name, _)| name);
    let hint = match crate::diag::nearest(value, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "write `audience = \"group\"` for a handout each group gets one copy of, or leave it out for one copy per participant".into(),
    };
    Err(Diagnostic::error(format!("unknown audience `{value}`")).hint(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn short(diags: &[Diagnostic]) -> Vec<String> {
        diags.iter().map(Diagnostic::short).collect()
    }

    #[test]
    fn split_finds_toml_and_body() {
        let file = SourceFile::new("m.md", "+++\ntitle = \"T\"\n+++\nBody\n");
        let split = split(&file, &mut Vec::new()).unwrap();
        assert_eq!(&file.text[split.toml.clone()], "title = \"T\"\n");
        assert_eq!(&file.text[split.body..], "Body\n");
    }

    #[test]
    fn unclosed_front_matter_is_reported() {
        let file = SourceFile::new("m.md", "+++\ntitle = \"T\"\n");
        let mut diags = Vec::new();
        assert!(split(&file, &mut diags).is_none());
        assert_eq!(
            short(&diags),
            [
                "m.md:1:1: error: the front matter is never closed\n  hint: add a line with only `+++` after the last key of the front matter"
            ]
        );
    }

    #[test]
    fn yaml_front_matter_gets_a_hint() {
        let file = SourceFile::new("m.md", "---\ntitle: T\n---\n");
        let mut diags = Vec::new();
        split(&file, &mut diags);
        assert!(diags[0].hint.as_deref().unwrap().contains("`+++`"));
    }

    #[test]
    fn module_front_matter_with_slides() {
        let file = SourceFile::new(
            "m.md",
            "+++\ntitle = \"T\"\nduration = \"1h30\"\n\n[[slides]]\ntitle = \"A\"\nminutes = 5\n\n[[slides]]\ntitle = \"B\"\nvideo = \"https://youtu.be/x\"\n+++\n",
        );
        let mut diags = Vec::new();
        let split = split(&file, &mut diags).unwrap();
        let meta = read_module(&file, &split, &mut diags).unwrap();
        assert!(diags.is_empty(), "{:?}", short(&diags));
        assert_eq!(meta.duration.unwrap().value, Minutes(90));
        assert_eq!(meta.slides.len(), 2);
        assert_eq!(meta.slides[0].line, 5);
        assert_eq!(meta.slides[1].number, 2);
        assert_eq!(meta.slides[1].video.as_deref(), Some("https://youtu.be/x"));
    }

    #[test]
    fn all_front_matter_problems_are_reported_together() {
        let file = SourceFile::new(
            "m.md",
            "+++\ntitel = \"T\"\nduration = \"soon\"\n[[slides]]\nminutes = \"x\"\n+++\n",
        );
        let mut diags = Vec::new();
        let split = split(&file, &mut diags).unwrap();
        assert!(read_module(&file, &split, &mut diags).is_none());
        let lines: Vec<usize> = diags.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3, 2, 4, 5], "{:?}", short(&diags));
    }
}
