//! Attributes: `key=value` pairs after a fence's kind, and the `{slide=N}`
//! and `{#id}` attributes of a notes heading.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::ops::Range;

pub(super) type AttrError = (String, Range<usize>, &'static str);

/// Pandoc lets an opening fence end in colons too: `::: note :::`.
pub(super) fn without_closing_colons(attrs: &str) -> &str {
    let trimmed = attrs.trim_end();
    let colons = trimmed.len() - trimmed.trim_end_matches(':').len();
    let before = &trimmed[..trimmed.len() - colons];
    if colons >= 3 && (before.is_empty() || before.ends_with(char::is_whitespace)) {
        before
    } else {
        attrs
    }
}

/// Parses `key=value key="quoted value"` pairs.
pub(super) fn parse_attrs(text: &str, offset: usize) -> Result<Vec<Attr>, AttrError> {
    let mut attrs = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i] as char).is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return Ok(attrs);
        }
        let start = i;
        while i < bytes.len() && !(bytes[i] as char).is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = &text[start..i];
        if i >= bytes.len() || bytes[i] != b'=' {
            let hint = if key.starts_with('{') {
                "after a bare kind, write `key=value`, as in `::: activity minutes=10`; in Pandoc's form the kind goes inside the braces: `::: {.activity minutes=10}`"
            } else {
                "attributes are written `key=value`, as in `minutes=10` or `title=\"Group work\"`"
            };
            return Err((
                format!("cannot read `{key}` as an attribute"),
                offset + start..offset + i,
                hint,
            ));
        }
        i += 1;
        if let Some(quote) = text[i..]
            .chars()
            .next()
            .filter(|c| matches!(c, '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}'))
        {
            return Err((
                "curly quotes around an attribute's value".to_string(),
                offset + i..offset + i + quote.len_utf8(),
                "replace the curly quotes (as word processors type them) with straight ones, as in `title=\"Group work\"`",
            ));
        }
        let (value, end) = read_attr_value(text, i).map_err(|()| {
            (
                "unterminated quoted value".to_string(),
                offset + start..offset + text.len(),
                "close the value with a double quote `\"`",
            )
        })?;
        attrs.push(Attr {
            key: key.to_string(),
            value,
            span: offset + start..offset + end,
        });
        i = end;
    }
}

pub(super) fn read_attr_value(text: &str, start: usize) -> Result<(String, usize), ()> {
    let rest = &text[start..];
    // Double quotes, or single ones as Pandoc also reads them.
    if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
        let mut value = String::new();
        let mut chars = rest[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                c if c == quote => return Ok((value, start + 1 + i + 1)),
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => return Err(()),
                },
                c => value.push(c),
            }
        }
        return Err(());
    }
    let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Ok((rest[..len].to_string(), start + len))
}

impl Scanner<'_> {
    pub(super) fn parse_heading(
        &mut self,
        text: &str,
        span: Range<usize>,
        line_no: usize,
    ) -> Heading {
        let content = text.trim_start().trim_start_matches('#').trim();
        let content = strip_closing_hashes(content);
        let mut heading = Heading {
            title: content.to_string(),
            slides: None,
            slide_id: None,
            id: None,
            line: line_no,
            span: span.clone(),
        };
        let Some(open) = content.rfind('{').filter(|_| content.ends_with('}')) else {
            return heading;
        };
        heading.title = content[..open].trim_end().to_string();
        let attrs_offset = span.start + text.find(&content[open..]).unwrap_or(0);
        // `{slide = 4}` means `{slide=4}`.
        let inner = content[open + 1..content.len() - 1]
            .split('=')
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("=");
        for token in inner.split_whitespace() {
            self.heading_attr(token, &span, attrs_offset, &mut heading);
        }
        heading
    }

    pub(super) fn heading_attr(
        &mut self,
        token: &str,
        span: &Range<usize>,
        at: usize,
        heading: &mut Heading,
    ) {
        if let Some(id) = token.strip_prefix('#') {
            heading.id = Some(id.to_string());
        } else if let Some(value) = token.strip_prefix("slide=") {
            // A slide id starts with a letter; anything else is numbers.
            let read = if value.starts_with(char::is_alphabetic) {
                Ok(None)
            } else {
                parse_slide_range(value).map(Some)
            };
            let twice = heading.slides.is_some() || heading.slide_id.is_some();
            match read {
                Ok(_) if twice => self.error(
                    "`slide` is given twice on one heading".into(),
                    span.clone(),
                    "write one range for several slides, as in `{slide=1-2}`",
                ),
                Ok(Some(range)) => heading.slides = Some(range),
                Ok(None) => heading.slide_id = Some(value.to_string()),
                Err(why) => self.error(
                    format!("cannot read `{token}`: {why}"),
                    span.clone(),
                    "write `{slide=3}` for one slide or `{slide=10-11}` for a range, numbered from 1",
                ),
            }
        } else if !token.starts_with('.') {
            let key = token.split('=').next().unwrap_or(token);
            let hint = match (key, nearest(key, ["slide"])) {
                // One name for one slide and for a range.
                ("slides", _) => format!(
                    "did you mean `slide={}`? `slide` also takes a range, as in `{{slide=3-4}}`",
                    token.split_once('=').map_or("", |(_, v)| v)
                ),
                (_, Some(_)) => "did you mean `slide`?".into(),
                (_, None) => {
                    "a notes heading takes `{slide=N}` or `{slide=N-M}`, and optionally `#id`"
                        .into()
                }
            };
            self.error(
                format!("unknown heading attribute `{key}`"),
                at..at + token.len() + 1,
                &hint,
            );
        }
    }
}

pub(super) fn strip_closing_hashes(content: &str) -> &str {
    let without = content.trim_end_matches('#');
    if without.len() < content.len() && (without.is_empty() || without.ends_with(' ')) {
        without.trim_end()
    } else {
        content
    }
}

/// Reads "3" or "10-11" (an en dash works too).
pub fn parse_slide_range(value: &str) -> Result<SlideRange, String> {
    let value = value.trim();
    let (first, last) = match value.split_once(['-', '\u{2013}']) {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (value, value),
    };
    let number = |s: &str| {
        s.parse::<u32>()
            .map_err(|_| format!("`{s}` is not a slide number"))
    };
    let (first, last) = (number(first)?, number(last)?);
    if first == 0 {
        return Err("slides are numbered from 1".into());
    }
    if last < first {
        return Err(format!(
            "the range ends ({last}) before it starts ({first})"
        ));
    }
    Ok(SlideRange { first, last })
}
