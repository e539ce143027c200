//! Front matter: splits the `+++` TOML block off a module or handout file
//! and reads it into [`ModuleMeta`] or [`HandoutMeta`], keeping positions so
//! every problem points at its line in the file.

use std::ops::Range;

use crate::diag::{Diagnostic, LineCounter, SourceFile};
use crate::load::audience::read_audience;
use crate::load::config::{check_language, clock, duration};
use crate::load::toml_reader::{self, Located, TableReader};
use crate::model::schedule::ModuleStart;
use crate::model::time::Minutes;
use crate::model::{HandoutAudience, Slide};

mod slide_text;

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
    /// `start` or `after`.
    pub start: Option<ModuleStart>,
    /// `translation_of`.
    pub translation_of: Option<String>,
    /// Where each slide's `image` is written, by slide number, for the
    /// check that the file is there.
    pub image_spans: Vec<(u32, Range<usize>)>,
    /// The links of the slides' points and bodies, placed at the line of
    /// the value that holds them, for the link check.
    pub slide_links: Vec<crate::load::blocks::LinkRef>,
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
    let start = read_start(&mut t);
    let translation_of = t.string("translation_of").map(|s| s.value);
    let duration = duration_text.and_then(|d| {
        let span = d.span.clone();
        duration(&mut t, "duration", d).map(|value| Located { value, span })
    });
    let file_ref = t.file();
    let offset = t.offset();
    t.finish();
    let mut lines = LineCounter::new(&file_ref.text);
    let mut seen = SlidesSeen::default();
    let slides = slide_tables
        .into_iter()
        .enumerate()
        .filter_map(|(i, table)| {
            let reader =
                TableReader::new(table, file_ref, offset, format!("slide {}", i + 1), diags);
            let line = lines.line_of(reader.table_start());
            read_slide(reader, i, line, &mut seen)
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
        start,
        translation_of,
        image_spans: seen.images,
        slide_links: seen.links,
    })
}

/// Reads `start = "13:30"` or `after = "lunch"`; both at once is an error,
/// since the module cannot start at two times.
fn read_start(t: &mut TableReader<'_, '_, '_>) -> Option<ModuleStart> {
    let at = t.string("start");
    let after = t.string("after");
    match (at, after) {
        (Some(_), Some(after)) => {
            let file = t.file();
            t.report(
                Diagnostic::error("`start` and `after` are both set: a module starts at one time")
                    .at(file, after.span)
                    .hint("keep `start = \"13:30\"` for a time of day, or `after = \"Lunch\"` to follow a break, not both"),
            );
            None
        }
        (Some(at), None) => clock(t, "start", at).map(ModuleStart::At),
        (None, Some(after)) => Some(ModuleStart::After(after.value)),
        (None, None) => None,
    }
}

/// What the slides read so far hold that later ones are checked against.
#[derive(Default)]
struct SlidesSeen {
    /// Each id, with its slide's number.
    ids: Vec<(String, usize)>,
    /// Where each `image` is written, by slide number.
    images: Vec<(u32, Range<usize>)>,
    /// The links of the points and bodies.
    links: Vec<crate::load::blocks::LinkRef>,
}

fn values(list: Option<Vec<Located<String>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|l| l.value)
        .collect()
}

/// Reads slide `index`, whose table starts on `line`.
fn read_slide(
    mut t: TableReader<'_, '_, '_>,
    index: usize,
    line: usize,
    seen: &mut SlidesSeen,
) -> Option<Slide> {
    let id = t.string("id");
    let image = t.string("image");
    let alt = t.string("alt");
    let title = t.required_string("title", "\"Slide title\"");
    let minutes = t.string_or_integer("minutes");
    let points = t.string_list("points").unwrap_or_default();
    let body = t.string("body");
    let video = t.string("video");
    let minutes = minutes.and_then(|m| duration(&mut t, "minutes", m));
    let video = video.and_then(|v| check_url(&mut t, v));
    let id = id.and_then(|id| check_slide_id(&mut t, id, index, &mut seen.ids));
    let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
    let image = image.and_then(|src| slide_image(&mut t, src, alt, number, seen));
    for point in &points {
        seen.links.extend(slide_text::links(point));
    }
    let body = body.and_then(|b| slide_text::body(&mut t, b, number, &mut seen.links));
    let points = points.into_iter().map(|p| p.value).collect();
    t.finish();
    Some(Slide {
        number,
        id,
        title: title?.value,
        minutes,
        points,
        body: body.unwrap_or_default(),
        video,
        image,
        line,
    })
}

/// A slide's `image`, which needs its `alt`.
fn slide_image(
    t: &mut TableReader<'_, '_, '_>,
    src: Located<String>,
    alt: Option<Located<String>>,
    number: u32,
    seen: &mut SlidesSeen,
) -> Option<crate::model::SlideImage> {
    let alt = alt.map(|a| a.value).filter(|a| !a.trim().is_empty());
    let Some(alt) = alt else {
        let file = t.file();
        t.report(
            Diagnostic::error(format!("the picture of slide {number} has no alt text"))
                .at(file, src.span)
                .hint("add `alt = \"...\"` saying what the picture shows: screen readers read it aloud"),
        );
        return None;
    };
    seen.images.push((number, src.span));
    Some(crate::model::SlideImage {
        src: src.value,
        path: String::new(),
        alt,
    })
}

/// A slide's `id`: a name that cannot be read as a slide number, and
/// given to one slide of the module only.
fn check_slide_id(
    t: &mut TableReader<'_, '_, '_>,
    id: Located<String>,
    index: usize,
    ids: &mut Vec<(String, usize)>,
) -> Option<String> {
    let file = t.file();
    let starts_with_letter = id.value.chars().next().is_some_and(char::is_alphabetic);
    if !starts_with_letter || !crate::load::blocks::is_valid_id(&id.value) {
        t.report(
            Diagnostic::error(format!("`{}` cannot be used as a slide id", id.value))
                .at(file, id.span)
                .hint("start it with a letter and use letters, digits, `-` and `_` only, as in `id = \"key-messages\"`"),
        );
        return None;
    }
    if let Some((_, first)) = ids.iter().find(|(known, _)| *known == id.value) {
        t.report(
            Diagnostic::error(format!(
                "slides {first} and {} have the same id `{}`",
                index + 1,
                id.value
            ))
            .at(file, id.span)
            .hint("give each slide of a module its own id"),
        );
        return None;
    }
    ids.push((id.value.clone(), index + 1));
    Some(id.value)
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
