//! Pandoc's attribute form of an opening fence: `::: {.note}`,
//! `::: {.activity minutes=5}`, `::: {#case-study-5 .handout}`. The one
//! class is the block's kind; `#id` is its `id` attribute; `key=value`
//! pairs are read as in the bare form.

#[allow(clippy::wildcard_imports)]
use super::*;

use std::ops::Range;

/// A braced opener read: the kind and its span, and the attributes.
pub(super) type Braced = (String, Range<usize>, Vec<Attr>);

/// Reads `{...}` (and nothing after it but closing colons); `offset` is
/// where `text` starts in the file.
pub(super) fn parse_braced(text: &str, offset: usize) -> Result<Braced, AttrError> {
    let body = without_closing_colons(text).trim_end();
    let whole = offset..offset + body.len();
    let Some(inner) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return Err((
            "the `{` of this fence is never closed".into(),
            whole,
            "end the attributes with `}`, as in `::: {.note}`",
        ));
    };
    let (classes, attrs) = braced_tokens(inner, offset + 1)?;
    match &classes[..] {
        [(kind, span)] => Ok((kind.clone(), span.clone(), attrs)),
        [] => Err((
            "a block fence needs a kind: a `.kind` inside the braces".into(),
            whole,
            "write the kind as a class, as in `::: {.note}`",
        )),
        [_, (second, span), ..] => Err((
            format!("a block has one kind, but this fence gives a second class `.{second}`"),
            span.clone(),
            "keep one class: trainpack reads it as the block's kind",
        )),
    }
}

type Tokens = (Vec<(String, Range<usize>)>, Vec<Attr>);

/// The classes and attributes between the braces.
fn braced_tokens(inner: &str, offset: usize) -> Result<Tokens, AttrError> {
    let mut classes = Vec::new();
    let mut attrs = Vec::new();
    let mut i = 0;
    loop {
        i += inner[i..].len() - inner[i..].trim_start().len();
        if i >= inner.len() {
            return Ok((classes, attrs));
        }
        let start = i;
        let word_end = inner[i..]
            .find(char::is_whitespace)
            .map_or(inner.len(), |e| i + e);
        let word = &inner[i..word_end];
        if let Some(name) = word.strip_prefix('.') {
            classes.push((name.to_string(), offset + start + 1..offset + word_end));
            i = word_end;
            continue;
        }
        if let Some(id) = word.strip_prefix('#') {
            attrs.push(Attr {
                key: "id".into(),
                value: id.to_string(),
                span: offset + start..offset + word_end,
            });
            i = word_end;
            continue;
        }
        let Some(eq) = word.find('=').map(|e| i + e) else {
            return Err((
                format!("cannot read `{word}` as an attribute"),
                offset + start..offset + word_end,
                "inside `{...}`, write `.kind`, `#id` and `key=value`, as in `::: {.activity minutes=10}`",
            ));
        };
        if inner[eq + 1..].starts_with(['\u{201C}', '\u{201D}', '\u{2018}', '\u{2019}']) {
            return Err((
                "curly quotes around an attribute's value".into(),
                offset + eq + 1..offset + eq + 4,
                "replace the curly quotes (as word processors type them) with straight ones, as in `title=\"Group work\"`",
            ));
        }
        let (value, end) = read_attr_value(inner, eq + 1).map_err(|()| {
            (
                "unterminated quoted value".to_string(),
                offset + start..offset + inner.len(),
                "close the value with a double quote `\"`",
            )
        })?;
        attrs.push(Attr {
            key: inner[start..eq].to_string(),
            value,
            span: offset + start..offset + end,
        });
        i = end;
    }
}

impl Scanner<'_> {
    /// The braced form of [`Scanner::parse_opener`]: on an error, still a
    /// block (of no kind), so its closing fence is not reported as stray.
    pub(super) fn braced_opener(
        &mut self,
        text: &str,
        offset: usize,
    ) -> (String, Range<usize>, Option<Vec<Attr>>) {
        match parse_braced(text, offset) {
            Ok((kind, span, attrs)) => (kind, span, Some(attrs)),
            Err((message, span, hint)) => {
                self.error(message, span.clone(), hint);
                ("?".into(), span, Some(Vec::new()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_and_keys(text: &str) -> (String, Vec<(String, String)>) {
        let (kind, _, attrs) = parse_braced(text, 0).unwrap();
        (kind, attrs.into_iter().map(|a| (a.key, a.value)).collect())
    }

    #[test]
    fn pandoc_forms_are_read() {
        assert_eq!(kind_and_keys("{.note}").0, "note");
        let (kind, attrs) = kind_and_keys("{.activity minutes=5 title=\"Pair work\"} :::");
        assert_eq!(kind, "activity");
        assert_eq!(attrs[1], ("title".into(), "Pair work".into()));
        let (kind, attrs) = kind_and_keys("{#case-5 .handout}");
        assert_eq!((kind.as_str(), &attrs[0].1[..]), ("handout", "case-5"));
    }

    #[test]
    fn broken_forms_are_errors() {
        for text in ["{.note", "{minutes=5}", "{.note .wide}", "{.note word}"] {
            assert!(parse_braced(text, 0).is_err(), "{text}");
        }
    }
}
