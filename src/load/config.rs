//! Pack configuration: reads `book.toml` into a validated [`Config`] with
//! defaults filled in, reporting every problem with its line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, SourceFile};
use crate::load::toml_reader::{self, Located, TableReader};
use crate::model::config::{
    Break, BuildConfig, CONFIG_FILE, Config, CourseConfig, PackInfo, Paper, PdfConfig,
    ScheduleConfig, ThemeConfig, Translation,
};
use crate::model::time::{ClockTime, DurationError, MAX_MINUTES, Minutes};

mod base_url;
mod course;

/// Reads and validates `book.toml` from its text. Returns `None` when the
/// file has errors; every problem is pushed onto `diags`.
pub fn parse_config(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Config> {
    let before = diags.len();
    let doc = toml_reader::parse(file, &file.text, 0, diags)?;
    let mut root = TableReader::new(doc.table(), file, 0, format!("`{CONFIG_FILE}`"), diags);
    let pack = root.table("pack");
    let build = root.table("build");
    let pdf = root.table("pdf");
    let office = root.table("office");
    let theme = root.table("theme");
    let schedule = root.table("schedule");
    let course = root.table("course");
    let languages = root.table("languages");
    if pack.is_none() {
        let end = file.text.find('\n').unwrap_or(file.text.len());
        root.report(
            Diagnostic::error(format!("`{CONFIG_FILE}` has no `[pack]` table"))
                .at(file, 0..end)
                .hint("add a `[pack]` table with at least `title = \"...\"`"),
        );
    }
    root.finish();

    let pack = pack.map(|t| read_pack(TableReader::new(t, file, 0, "`[pack]`", diags)));
    let build = match build {
        Some(t) => read_build(TableReader::new(t, file, 0, "`[build]`", diags)),
        None => BuildConfig::default(),
    };
    let pdf = match pdf {
        Some(t) => read_pdf(TableReader::new(t, file, 0, "`[pdf]`", diags)),
        None => PdfConfig { paper: Paper::A4 },
    };
    let office = match office {
        Some(t) => read_office(TableReader::new(t, file, 0, "`[office]`", diags)),
        None => crate::model::office::OfficeConfig::default(),
    };
    let theme = match theme {
        Some(t) => read_theme(TableReader::new(t, file, 0, "`[theme]`", diags)),
        None => ThemeConfig::default(),
    };
    let schedule =
        schedule.and_then(|t| read_schedule(TableReader::new(t, file, 0, "`[schedule]`", diags)));
    let course = match course {
        Some(t) => course::read_course(TableReader::new(t, file, 0, "`[course]`", diags)),
        None => CourseConfig::default(),
    };
    let pack = pack.flatten();
    let translations = match (languages, &pack) {
        (Some(t), Some(pack)) => {
            read_translations(TableReader::new(t, file, 0, "`[languages]`", diags), pack)
        }
        _ => BTreeMap::new(),
    };
    if diags[before..].iter().any(Diagnostic::is_error) {
        return None;
    }
    Some(Config {
        pack: pack?,
        build,
        pdf,
        office,
        theme,
        schedule,
        course,
        translations,
    })
}

/// `[languages.<tag>]` for each language of the pack but the first.
fn read_translations(
    mut t: TableReader<'_, '_, '_>,
    pack: &PackInfo,
) -> BTreeMap<String, Translation> {
    let mut out = BTreeMap::new();
    let file = t.file();
    let offset = t.offset();
    for language in pack.languages.iter().skip(1) {
        let Some(table) = t.table_named(language) else {
            continue;
        };
        let mut diags = Vec::new();
        let mut reader = TableReader::new(
            table,
            file,
            offset,
            format!("`[languages.{language}]`"),
            &mut diags,
        );
        let translation = Translation {
            title: reader.string("title").map(|s| s.value),
            subtitle: reader.string("subtitle").map(|s| s.value),
            description: reader.string("description").map(|s| s.value),
            pending: reader
                .string_list("pending")
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.value)
                .collect(),
        };
        reader.finish();
        for d in diags {
            t.report(d);
        }
        out.insert(language.clone(), translation);
    }
    t.finish();
    out
}

fn read_pack(mut t: TableReader<'_, '_, '_>) -> Option<PackInfo> {
    let title = t.required_string("title", "\"My training pack\"");
    let subtitle = t.string("subtitle").map(|s| s.value);
    let language = t.string("language");
    let languages = t.string_list("languages");
    let authors = t.string_list("authors").unwrap_or_default();
    let description = t.string("description").map(|s| s.value);
    let language = language.map(|l| check_language(&mut t, l));
    let languages = languages.map(|list| check_languages(&mut t, list, language.as_deref()));
    t.finish();
    let languages = languages.unwrap_or_default();
    let language = language
        .or_else(|| languages.first().cloned())
        .unwrap_or_else(|| "en".into());
    Some(PackInfo {
        title: title?.value,
        subtitle,
        language,
        authors: authors.into_iter().map(|a| a.value).collect(),
        description,
        languages,
    })
}

/// `languages`: valid tags, each once, starting with `language` when both
/// are given (the first language is the one at the root of the site).
fn check_languages(
    t: &mut TableReader<'_, '_, '_>,
    list: Vec<Located<String>>,
    language: Option<&str>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in list {
        let span = tag.span.clone();
        let value = check_language(t, tag);
        if out.contains(&value) {
            let file = t.file();
            t.report(
                Diagnostic::error(format!("`{value}` is listed twice in `languages`"))
                    .at(file, span)
                    .hint("list each language once"),
            );
            continue;
        }
        out.push(value);
    }
    if let (Some(language), Some(first)) = (language, out.first())
        && language != first
    {
        let file = t.file();
        let start = t.table_start();
        t.report(
            Diagnostic::error(format!("`language` is \"{language}\" but `languages` starts with \"{first}\""))
                .at(file, start..start)
                .hint("list the pack's main language first in `languages`: it is the language of the site's home page"),
        );
    }
    out
}

/// Checks the shape of a BCP 47 tag ("en", "fr", "pt-BR", "ar").
pub fn check_language(t: &mut TableReader<'_, '_, '_>, lang: Located<String>) -> String {
    if !is_language_tag(&lang.value) {
        let file = t.file();
        t.report(
            Diagnostic::error(format!("`{}` is not a language tag", lang.value))
                .at(file, lang.span.clone())
                .hint("use a BCP 47 tag such as \"en\", \"fr\", \"es\", \"ar\" or \"pt-BR\""),
        );
    }
    lang.value
}

/// True for tags like "en", "fr", "pt-BR", "zh-Hant".
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn read_build(mut t: TableReader<'_, '_, '_>) -> BuildConfig {
    let defaults = BuildConfig::default();
    let output = t.string("output");
    let base_url = t.string("base_url");
    let raw_html = t.boolean("raw_html").map(|b| b.value);
    let print_answers = t.boolean("print_answers").map(|b| b.value);
    let output = output.and_then(|o| check_output(&mut t, o));
    let base_url = base_url.and_then(|b| check_base_url(&mut t, b));
    t.finish();
    BuildConfig {
        output: output.unwrap_or(defaults.output),
        base_url: base_url.unwrap_or_default(),
        raw_html: raw_html.unwrap_or(defaults.raw_html),
        print_answers: print_answers.unwrap_or(defaults.print_answers),
    }
}

fn check_output(t: &mut TableReader<'_, '_, '_>, output: Located<String>) -> Option<PathBuf> {
    let path = Path::new(&output.value);
    let bad = if output.value.trim().is_empty() {
        Some("the output folder cannot be empty")
    } else if path.is_absolute() {
        None
    } else if path.components().next().is_none() || output.value.trim() == "." {
        Some("the output folder cannot be the pack itself")
    } else {
        None
    };
    if let Some(message) = bad {
        let file = t.file();
        t.report(
            Diagnostic::error(message)
                .at(file, output.span)
                .hint("choose a folder of its own, such as `output = \"site\"`"),
        );
        return None;
    }
    Some(PathBuf::from(output.value))
}

/// The base URL as a percent-encoded path (see [`base_url::parse_base_url`]),
/// or `None` after reporting why it is not one.
fn check_base_url(t: &mut TableReader<'_, '_, '_>, url: Located<String>) -> Option<String> {
    match base_url::parse_base_url(&url.value) {
        Ok(path) => Some(path),
        Err(problem) => {
            let file = t.file();
            t.report(
                Diagnostic::error(problem.message)
                    .at(file, url.span)
                    .hint(problem.hint),
            );
            None
        }
    }
}

fn read_pdf(mut t: TableReader<'_, '_, '_>) -> PdfConfig {
    let paper = t.string("paper");
    let paper = match paper {
        None => Paper::A4,
        Some(p) => match p.value.to_lowercase().replace(['-', ' ', '_'], "").as_str() {
            "a4" => Paper::A4,
            "letter" | "usletter" => Paper::Letter,
            other => {
                let file = t.file();
                t.report(
                    Diagnostic::error(format!("unknown paper size `{other}`"))
                        .at(file, p.span)
                        .hint("use `paper = \"a4\"` or `paper = \"letter\"`"),
                );
                Paper::A4
            }
        },
    };
    t.finish();
    PdfConfig { paper }
}

fn read_office(mut t: TableReader<'_, '_, '_>) -> crate::model::office::OfficeConfig {
    let file = t.file();
    let mut path = |key: &'static str| {
        t.string(key).map(|p| crate::model::office::TemplatePath {
            path: p.value,
            line: file.line_col(p.span.start).0,
        })
    };
    let pptx_template = path("pptx_template");
    let docx_template = path("docx_template");
    t.finish();
    crate::model::office::OfficeConfig {
        pptx_template,
        docx_template,
    }
}

fn read_theme(mut t: TableReader<'_, '_, '_>) -> ThemeConfig {
    let name = t.string("name");
    let name = name.map(|n| check_theme_name(&mut t, n));
    t.finish();
    ThemeConfig {
        name: name.unwrap_or_else(|| "default".into()),
    }
}

fn check_theme_name(t: &mut TableReader<'_, '_, '_>, name: Located<String>) -> String {
    let ok = !name.value.is_empty()
        && name
            .value
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if !ok {
        let file = t.file();
        t.report(
            Diagnostic::error(format!("`{}` is not a theme name", name.value))
                .at(file, name.span.clone())
                .hint("a theme is named after its folder under `themes/`: letters, digits, `-` and `_` only"),
        );
    }
    name.value
}

fn read_schedule(mut t: TableReader<'_, '_, '_>) -> Option<ScheduleConfig> {
    let start = t.required_string("start", "\"09:00\"");
    let day_end = t.string("day_end");
    let breaks = t.table_list("breaks");
    let start = start.and_then(|s| clock(&mut t, "start", s));
    let end_written = day_end.as_ref().map(|d| (d.value.clone(), d.span.clone()));
    let day_end = day_end.and_then(|s| clock(&mut t, "day_end", s));
    let file = t.file();
    if let (Some(start), Some(end), Some((text, span))) = (start, day_end, end_written)
        && end <= start
    {
        t.report(
            Diagnostic::error(format!("`day_end` ({text}) is not after `start`"))
                .at(file, span)
                .hint("the day ends after it starts: write `day_end` later than `start`, as in `start = \"09:00\"` and `day_end = \"17:00\"`"),
        );
    }
    let offset = t.offset();
    let mut list = Vec::new();
    for (i, table) in breaks.into_iter().enumerate() {
        let mut diags = Vec::new();
        let b = read_break(TableReader::new(
            table,
            file,
            offset,
            format!("break {}", i + 1),
            &mut diags,
        ));
        for d in diags {
            t.report(d);
        }
        list.extend(b);
    }
    list.sort_by_key(|b| b.at);
    t.finish();
    Some(ScheduleConfig {
        start: start?,
        day_end,
        breaks: list,
    })
}

fn read_break(mut t: TableReader<'_, '_, '_>) -> Option<Break> {
    let at = t.required_string("at", "\"10:30\"");
    let minutes = t.string_or_integer("minutes");
    let title = t.string("title").map(|s| s.value);
    let at = at.and_then(|a| clock(&mut t, "at", a));
    let minutes = match minutes {
        Some(m) => duration(&mut t, "minutes", m),
        None => {
            t.missing("minutes", "15");
            None
        }
    };
    t.finish();
    Some(Break {
        at: at?,
        minutes: minutes?,
        title: title.unwrap_or_else(|| "Break".into()),
    })
}

pub(crate) fn clock(
    t: &mut TableReader<'_, '_, '_>,
    key: &str,
    value: Located<String>,
) -> Option<ClockTime> {
    let parsed = ClockTime::parse(&value.value);
    if parsed.is_none() {
        let file = t.file();
        t.report(
            Diagnostic::error(format!("`{key}` must be a time of day, found \"{}\"", value.value))
                .at(file, value.span)
                .hint("write the time as hours and minutes on a 24-hour clock, as in \"09:00\" or \"13:30\""),
        );
    }
    parsed
}

/// Parses a duration value, reporting text that is not one.
pub fn duration(
    t: &mut TableReader<'_, '_, '_>,
    key: &str,
    value: Located<String>,
) -> Option<Minutes> {
    let parsed = Minutes::read(&value.value);
    let message = match parsed {
        Ok(minutes) => return Some(minutes),
        Err(DurationError::OutOfRange) => format!(
            "`{key}` must be from 0 to {MAX_MINUTES} minutes, found \"{}\"",
            value.value
        ),
        Err(DurationError::Unreadable) => {
            format!("cannot read `{key}` \"{}\" as a duration", value.value)
        }
    };
    let file = t.file();
    t.report(
        Diagnostic::error(message)
            .at(file, value.span)
            .hint("write a duration such as \"2h\", \"90min\" or \"1h30\""),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Config>, Vec<String>) {
        let file = SourceFile::new("book.toml", text);
        let mut diags = Vec::new();
        let config = parse_config(&file, &mut diags);
        (config, diags.iter().map(Diagnostic::short).collect())
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let (config, diags) = parse("[pack]\ntitle = \"T\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(config.pack.language, "en");
        assert_eq!(config.build.output, PathBuf::from("site"));
        assert_eq!(config.pdf.paper, Paper::A4);
        assert!(config.schedule.is_none());
    }

    #[test]
    fn every_unknown_key_is_reported() {
        let (config, diags) = parse("[pack]\ntitel = \"T\"\n[pdf]\npaper = \"a4\"\nsize = 1\n");
        assert!(config.is_none());
        assert_eq!(
            diags,
            [
                "book.toml:1:1: error: missing required key `title` in `[pack]`\n  hint: add `title = \"My training pack\"`",
                "book.toml:2:1: error: unknown key `titel` in `[pack]`\n  hint: did you mean `title`?",
                "book.toml:5:1: error: unknown key `size` in `[pdf]`\n  hint: the keys allowed here are `paper`",
            ]
        );
    }

    #[test]
    fn schedule_with_breaks() {
        let (config, diags) = parse(
            "[pack]\ntitle = \"T\"\n[schedule]\nstart = \"09:00\"\nday_end = \"17:00\"\nbreaks = [ { at = \"12:30\", minutes = 60, title = \"Lunch\" }, { at = \"10:30\", minutes = \"15min\" } ]\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let schedule = config.unwrap().schedule.unwrap();
        assert_eq!(schedule.breaks[0].at, ClockTime(630));
        assert_eq!(schedule.breaks[0].title, "Break");
        assert_eq!(schedule.breaks[1].minutes, Minutes(60));
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("pt-BR"));
        assert!(!is_language_tag("english language"));
    }
}
