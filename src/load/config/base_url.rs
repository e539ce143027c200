//! `[build] base_url`: the folder the site sits in on its web host. It is
//! checked and percent-encoded here, once, so every place that writes it
//! (serve's redirect, the address it prints, its reload script) gets a
//! plain ASCII path that needs no further quoting in a URL.

use unicode_normalization::UnicodeNormalization;

/// What is wrong with a `base_url`, worded for the user.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Problem {
    pub(super) message: String,
    pub(super) hint: String,
}

impl Problem {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

const NAMES_HINT: &str = "write folder names with letters (`é` is fine), digits, `-`, `_`, `.` or `~`, separated by `/`, as in `base_url = \"/cptm/\"`";

/// `value` as the path the site is mounted at: "" for the host's root,
/// else "/a/b/", percent-encoded. A missing first or last `/` is added
/// ("cptm" is "/cptm/"); letters outside ASCII are encoded ("/formation-é/"
/// is "/formation-%C3%A9/", in Unicode's composed form), and escapes already
/// written are kept. Anything a folder name on a web host would need
/// quoting for is an error: spaces, quotes, `<`, `?`, `#`, `\`, `..`.
pub(super) fn parse_base_url(value: &str) -> Result<String, Problem> {
    if let Some(path) = address_path(value) {
        let hint = match path.trim_matches('/') {
            "" => "write only the path after the host name, as in `base_url = \"/cptm/\"`, or leave `base_url` out for a site at the host's root".to_string(),
            path => format!("write only the path after the host name: `base_url = \"/{path}/\"`"),
        };
        return Err(Problem::new(
            "`base_url` must be a path such as `/cptm/`, not a full address",
            hint,
        ));
    }
    let inner = value.strip_prefix('/').unwrap_or(value);
    let inner = inner.strip_suffix('/').unwrap_or(inner);
    if inner.is_empty() {
        return Ok(String::new());
    }
    let mut path = String::from("/");
    for segment in inner.split('/') {
        path.push_str(&encode_segment(segment)?);
        path.push('/');
    }
    Ok(path)
}

/// The path of `value` when it is a full address (`https://host/path`,
/// `//host/path`, `host:8080/path`) rather than a path.
fn address_path(value: &str) -> Option<&str> {
    fn after_host(rest: &str) -> &str {
        rest.find('/').map_or("", |at| &rest[at..])
    }
    if let Some(rest) = value.strip_prefix("//") {
        return Some(after_host(rest));
    }
    let (scheme, rest) = value.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme || scheme.contains('/') {
        return None;
    }
    Some(after_host(rest.strip_prefix("//").unwrap_or(rest)))
}

/// One folder name, checked and percent-encoded.
fn encode_segment(segment: &str) -> Result<String, Problem> {
    let decoded = percent_decode(segment)?;
    match decoded.as_str() {
        "" => {
            return Err(Problem::new(
                "`base_url` has an empty folder name between two `/`",
                "write a single `/` between folder names, as in `base_url = \"/cptm/2025/\"`",
            ));
        }
        "." | ".." => {
            return Err(Problem::new(
                format!("`base_url` cannot have a `{decoded}` folder"),
                "write the path from the web host's root, as in `base_url = \"/cptm/\"`",
            ));
        }
        _ => {}
    }
    let mut encoded = String::new();
    for c in decoded.nfc() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~') {
            encoded.push(c);
        } else if c.is_ascii() || is_invisible(c) {
            return Err(bad_character(c));
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Ok(encoded)
}

/// `segment` with its `%XX` escapes decoded; a `%` that starts no escape,
/// or escapes that are not UTF-8, are errors.
fn percent_decode(segment: &str) -> Result<String, Problem> {
    let hint = "write letters such as `é` as they are (trainpack encodes them), or a whole escape such as `%C3%A9`";
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
            return Err(Problem::new(
                "`base_url` has a `%` that is not followed by two hexadecimal digits",
                hint,
            ));
        };
        out.push(byte);
        i += 3;
    }
    String::from_utf8(out).map_err(|_| {
        Problem::new(
            "`base_url` has percent-escapes that are not UTF-8 text",
            hint,
        )
    })
}

/// Characters that show as nothing: controls, spaces of every kind,
/// zero-width and direction marks.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{AD}' | '\u{61C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn bad_character(c: char) -> Problem {
    let what = match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '`' => "a backquote".to_string(),
        c if is_invisible(c) => format!("the invisible character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    };
    let hint = match c {
        '\\' => "separate folder names with `/`, as in `base_url = \"/cptm/2025/\"`",
        '?' | '#' => "a base URL is only a path: leave out the `?` or `#` and what follows it",
        _ => NAMES_HINT,
    };
    Problem::new(format!("`base_url` cannot contain {what}"), hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(value: &str) -> String {
        parse_base_url(value).unwrap_or_else(|p| panic!("{value}: {p:?}"))
    }

    fn message(value: &str) -> String {
        parse_base_url(value).expect_err(value).message
    }

    #[test]
    fn base_urls_are_normalised_and_encoded() {
        for (value, path) in [
            ("", ""),
            ("/", ""),
            ("cptm", "/cptm/"),
            ("/cptm", "/cptm/"),
            ("cptm/", "/cptm/"),
            ("/cptm/2025/", "/cptm/2025/"),
            ("/a-b_c.d~e/", "/a-b_c.d~e/"),
            ("/formation-é/", "/formation-%C3%A9/"),
            ("/formation-%C3%A9/", "/formation-%C3%A9/"),
            ("/formation-%c3%a9/", "/formation-%C3%A9/"),
            // Decomposed é (e + combining accent) is written composed.
            ("/formation-e\u{301}/", "/formation-%C3%A9/"),
            ("/%7Ecptm/", "/~cptm/"),
            ("/日本/", "/%E6%97%A5%E6%9C%AC/"),
        ] {
            assert_eq!(ok(value), path, "{value}");
        }
    }

    #[test]
    fn base_urls_that_need_quoting_are_refused() {
        for (value, expected) in [
            ("/my course/", "`base_url` cannot contain a space"),
            ("/a%20b/", "`base_url` cannot contain a space"),
            ("/\"x/", "`base_url` cannot contain `\"`"),
            ("/'x/", "`base_url` cannot contain `'`"),
            ("/<script>/", "`base_url` cannot contain `<`"),
            ("/a?b=1", "`base_url` cannot contain `?`"),
            ("/a#top", "`base_url` cannot contain `#`"),
            ("\\cptm\\", "`base_url` cannot contain `\\`"),
            ("/a%2Fb/", "`base_url` cannot contain `/`"),
            (
                "/a\u{200B}b/",
                "`base_url` cannot contain the invisible character U+200B",
            ),
            (
                "/a\u{A0}b/",
                "`base_url` cannot contain the invisible character U+00A0",
            ),
            ("/../x/", "`base_url` cannot have a `..` folder"),
            ("/x/%2E%2E/", "`base_url` cannot have a `..` folder"),
            ("/./", "`base_url` cannot have a `.` folder"),
            (
                "/a//b/",
                "`base_url` has an empty folder name between two `/`",
            ),
            (
                "/cptm//",
                "`base_url` has an empty folder name between two `/`",
            ),
            (
                "/100%/",
                "`base_url` has a `%` that is not followed by two hexadecimal digits",
            ),
            (
                "/%FF/",
                "`base_url` has percent-escapes that are not UTF-8 text",
            ),
            (
                "https://example.org/cptm/",
                "`base_url` must be a path such as `/cptm/`, not a full address",
            ),
            (
                "//evil.example/",
                "`base_url` must be a path such as `/cptm/`, not a full address",
            ),
            (
                "localhost:8080/x/",
                "`base_url` must be a path such as `/cptm/`, not a full address",
            ),
            (
                "javascript:alert(1)",
                "`base_url` must be a path such as `/cptm/`, not a full address",
            ),
        ] {
            assert_eq!(message(value), expected, "{value}");
        }
    }

    #[test]
    fn a_full_address_suggests_its_path() {
        let hint = parse_base_url("https://example.org/cptm").unwrap_err().hint;
        assert_eq!(
            hint,
            "write only the path after the host name: `base_url = \"/cptm/\"`"
        );
    }
}
