//! `[build] base_url` that is no plain path: each refused with its line,
//! what is wrong and what to write instead.

use super::assert_table;
use crate::common::{TestPack, check_diagnostics};

/// A `base_url` line and what check says of it.
const BASE_URLS: &[(&str, &str)] = &[
    (
        "base_url = \"/my course/\"",
        "book.toml:5:12: error: `base_url` cannot contain a space\n  hint: write folder names with letters (`é` is fine), digits, `-`, `_`, `.` or `~`, separated by `/`, as in `base_url = \"/cptm/\"`",
    ),
    (
        "base_url = \"/cptm/\\\"><script>\"",
        "book.toml:5:12: error: `base_url` cannot contain `\"`\n  hint: write folder names with letters (`é` is fine), digits, `-`, `_`, `.` or `~`, separated by `/`, as in `base_url = \"/cptm/\"`",
    ),
    (
        "base_url = \"/cptm/?v=2\"",
        "book.toml:5:12: error: `base_url` cannot contain `?`\n  hint: a base URL is only a path: leave out the `?` or `#` and what follows it",
    ),
    (
        "base_url = \"/cptm/#top\"",
        "book.toml:5:12: error: `base_url` cannot contain `#`\n  hint: a base URL is only a path: leave out the `?` or `#` and what follows it",
    ),
    (
        "base_url = '\\cptm\\2025\\'",
        "book.toml:5:12: error: `base_url` cannot contain `\\`\n  hint: separate folder names with `/`, as in `base_url = \"/cptm/2025/\"`",
    ),
    (
        "base_url = \"/cptm/../admin/\"",
        "book.toml:5:12: error: `base_url` cannot have a `..` folder\n  hint: write the path from the web host's root, as in `base_url = \"/cptm/\"`",
    ),
    (
        "base_url = \"/cptm//2025/\"",
        "book.toml:5:12: error: `base_url` has an empty folder name between two `/`\n  hint: write a single `/` between folder names, as in `base_url = \"/cptm/2025/\"`",
    ),
    (
        "base_url = \"/100%/\"",
        "book.toml:5:12: error: `base_url` has a `%` that is not followed by two hexadecimal digits\n  hint: write letters such as `é` as they are (trainpack encodes them), or a whole escape such as `%C3%A9`",
    ),
    (
        "base_url = \"https://example.org/cptm/\"",
        "book.toml:5:12: error: `base_url` must be a path such as `/cptm/`, not a full address\n  hint: write only the path after the host name: `base_url = \"/cptm/\"`",
    ),
    (
        "base_url = \"//evil.example/\"",
        "book.toml:5:12: error: `base_url` must be a path such as `/cptm/`, not a full address\n  hint: write only the path after the host name, as in `base_url = \"/cptm/\"`, or leave `base_url` out for a site at the host's root",
    ),
];

// why: base_url is written into serve's redirect and reload script; a
// value that would need quoting there is an error at its line, with a hint.
#[test]
fn base_urls_that_are_no_plain_path_are_errors() {
    assert_table(BASE_URLS, |line| {
        let pack = TestPack::copy("ok", "minimal");
        let config = std::fs::read_to_string(pack.path("book.toml")).unwrap();
        pack.write("book.toml", &format!("{config}\n[build]\n{line}\n"));
        check_diagnostics(&pack.root)
    });
}

// why: accents and a missing `/` are fine: the value is encoded and
// completed, with no diagnostic.
#[test]
fn base_urls_with_accents_are_accepted() {
    for value in ["/formation-é/", "formation-%C3%A9", "/", ""] {
        let pack = TestPack::copy("ok", "minimal");
        let config = std::fs::read_to_string(pack.path("book.toml")).unwrap();
        let line = format!("base_url = \"{value}\"");
        pack.write("book.toml", &format!("{config}\n[build]\n{line}\n"));
        assert_eq!(check_diagnostics(&pack.root), "", "{line}");
    }
}
