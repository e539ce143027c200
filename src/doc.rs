//! `trainpack doc`: the guide to the source format, compiled into the
//! binary from `docs/guide/`, so an author offline (in a training centre,
//! on a mission) has the same guide as the repository shows.

use std::io::{IsTerminal, Write};
use std::process::{Command, Stdio};

use clap::ValueEnum;

use crate::cli::DocArgs;

/// A part of the guide: one Markdown file under `docs/guide/` (or
/// `docs/themes.md`). The doc comment of each is its line in the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Topic {
    /// The pack's folders, `book.toml`, a module's front matter and slides
    Format,
    /// Activities, answers, notes, questions and handouts: the `:::` blocks
    Blocks,
    /// Links to handouts, modules, pictures and web pages
    Links,
    /// The end-of-module quiz and its answer key
    Quiz,
    /// Timing: a module's minutes and the course schedule
    Schedule,
    /// A pack in several languages
    Translate,
    /// Printing handouts, quizzes and answer keys for a class
    Print,
    /// Putting the site on the web: any host, a sub-path, GitHub or GitLab Pages
    Publish,
    /// Changing the look: templates, styles, the words the theme prints
    Themes,
    /// Errors and warnings, and what `trainpack check` reports
    Check,
}

impl Topic {
    /// The topic's Markdown, as in the repository.
    pub fn text(self) -> &'static str {
        match self {
            Topic::Format => include_str!("../docs/guide/format.md"),
            Topic::Blocks => include_str!("../docs/guide/blocks.md"),
            Topic::Links => include_str!("../docs/guide/links.md"),
            Topic::Quiz => include_str!("../docs/guide/quiz.md"),
            Topic::Schedule => include_str!("../docs/guide/schedule.md"),
            Topic::Translate => include_str!("../docs/guide/translate.md"),
            Topic::Print => include_str!("../docs/guide/print.md"),
            Topic::Publish => include_str!("../docs/guide/publish.md"),
            Topic::Themes => include_str!("../docs/themes.md"),
            Topic::Check => include_str!("../docs/guide/check.md"),
        }
    }

    /// The name the user types (`format`, `blocks`...), as clap derives it.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Format => "format",
            Topic::Blocks => "blocks",
            Topic::Links => "links",
            Topic::Quiz => "quiz",
            Topic::Schedule => "schedule",
            Topic::Translate => "translate",
            Topic::Print => "print",
            Topic::Publish => "publish",
            Topic::Themes => "themes",
            Topic::Check => "check",
        }
    }

    /// The topic's file in the repository, for the list.
    fn path(self) -> String {
        match self {
            Topic::Themes => "docs/themes.md".to_string(),
            topic => format!("docs/guide/{}.md", topic.name()),
        }
    }
}

/// `trainpack doc [TOPIC] [--open]`.
pub fn show(args: &DocArgs) -> anyhow::Result<bool> {
    let text = match args.topic {
        Some(topic) => topic.text().to_string(),
        None => index(),
    };
    if args.open {
        let name = args.topic.map_or("index", Topic::name);
        let path = std::env::temp_dir().join(format!("trainpack-doc-{name}.html"));
        trainpack::output::write_file(&path, html(&text).as_bytes())?;
        println!("wrote `{}`", path.display());
        if let Err(error) = open::that_detached(&path) {
            eprintln!("cannot open the browser ({error}); open the file yourself");
        }
        return Ok(true);
    }
    page(&text);
    Ok(true)
}

/// The list of topics, made from [`Topic`] so it cannot miss one.
fn index() -> String {
    let mut text = String::from(
        "# The trainpack guide\n\nRead a part with `trainpack doc TOPIC` \
         (`--open` shows it in the web browser):\n\n",
    );
    for topic in Topic::value_variants() {
        let about = topic
            .to_possible_value()
            .and_then(|value| value.get_help().map(ToString::to_string))
            .unwrap_or_default();
        text.push_str(&format!(
            "- `{}`: {about} ({})\n",
            topic.name(),
            topic.path()
        ));
    }
    text
}

/// The Markdown as a standalone web page, read with the pack's own
/// Markdown options.
pub fn html(markdown: &str) -> String {
    let title = markdown
        .lines()
        .find_map(|line| line.strip_prefix("# "))
        .unwrap_or("trainpack");
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, trainpack::load::markdown::parser(markdown));
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>body{{font-family:system-ui,sans-serif;\
         max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}\
         pre,code{{background:#f3f4f6}}pre{{padding:.75rem;overflow:auto}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;\
         padding:.25rem .5rem;vertical-align:top}}</style></head>\n<body>\n{body}</body></html>\n",
        trainpack::render::markdown::escape(title)
    )
}

/// Prints `text`, through the user's pager on a terminal (`$PAGER`, else
/// `less`), as `git` and `man` do; straight to stdout otherwise, or when
/// no pager runs.
fn page(text: &str) {
    if std::io::stdout().is_terminal() {
        let pager = std::env::var("PAGER").unwrap_or_else(|_| "less".to_string());
        let mut words = pager.split_whitespace();
        if let Some(program) = words.next() {
            let spawned = Command::new(program)
                .args(words)
                // Quit at once when the text fits, keep the screen, pass colour.
                .env(
                    "LESS",
                    std::env::var("LESS").unwrap_or_else(|_| "FRX".into()),
                )
                .stdin(Stdio::piped())
                .spawn();
            if let Ok(mut child) = spawned {
                if let Some(mut stdin) = child.stdin.take() {
                    // A pager quit early closes the pipe; that is not an error.
                    let _ = stdin.write_all(text.as_bytes());
                }
                if child.wait().is_ok() {
                    return;
                }
            }
        }
    }
    print!("{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: each topic is its own file; an empty or headless file would show
    // nothing useful offline.
    #[test]
    fn every_topic_starts_with_its_heading() {
        for topic in Topic::value_variants() {
            let first = topic.text().lines().next().unwrap_or_default();
            assert!(first.starts_with("# "), "{}: {first:?}", topic.path());
        }
    }

    // why: `--open` writes the guide as a page; its title is the topic's heading.
    #[test]
    fn the_page_of_a_topic_has_its_heading_as_title_and_h1() {
        let page = html("# Links & pictures\n\nText with `code`.\n");
        assert!(
            page.contains("<title>Links &amp; pictures</title>"),
            "{page}"
        );
        assert!(page.contains("<h1>Links &amp; pictures</h1>"), "{page}");
        assert!(page.contains("<code>code</code>"), "{page}");
    }

    // why: `name` is what the list and the file paths use; it must be the
    // name clap accepts.
    #[test]
    fn each_topic_name_is_the_one_clap_accepts() {
        for topic in Topic::value_variants() {
            assert_eq!(Topic::from_str(topic.name(), false), Ok(*topic));
        }
    }

    // why: the list is what `trainpack doc` shows first; it names every topic.
    #[test]
    fn the_index_lists_every_topic() {
        let text = index();
        for topic in Topic::value_variants() {
            assert!(text.contains(&format!("- `{}`: ", topic.name())), "{text}");
        }
    }
}
