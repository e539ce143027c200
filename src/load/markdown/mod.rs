//! How Markdown is read: the one place that sets pulldown-cmark's options,
//! for loading, checking and rendering alike, and how link destinations are
//! found and judged ([`links`]).

pub mod links;

use pulldown_cmark::{Options, Parser};

/// The pulldown-cmark options used everywhere, in code and in tests.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A parser over `markdown` with the pack's options.
pub fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(markdown, options())
}
