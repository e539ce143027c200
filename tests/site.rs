//! Helpers that read a built site: pages, the links and asset references in
//! them, and their text.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every file of a site, relative to its root, sorted.
pub fn files(site: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// The values of `attr="..."` in a page.
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(rest[..end].replace("&amp;", "&"));
        }
    }
    out
}

/// The `id`s of a page.
pub fn ids(html: &str) -> BTreeSet<String> {
    attr_values(html, "id").into_iter().collect()
}

/// True for links that leave the site (web addresses, mail).
pub fn is_external(url: &str) -> bool {
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|p| url.starts_with(p))
}

/// Resolves a relative URL found in `page` (a path relative to the site
/// root) to a path relative to the site root, with its fragment.
pub fn resolve(page: &str, url: &str) -> (String, Option<String>) {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (url, None),
    };
    let path = path.split('?').next().unwrap_or("");
    if path.is_empty() {
        return (page.to_string(), fragment);
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in path.split('/') {
        match piece {
            ".." => {
                assert!(
                    parts.pop().is_some(),
                    "`{url}` in `{page}` climbs out of the site"
                );
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    (parts.join("/"), fragment)
}

/// Every `href` and `src` of every page that does not resolve to a file (and
/// an id, for fragments) in the site; external URLs are skipped.
pub fn broken_links(site: &Path) -> Vec<String> {
    let all: BTreeSet<String> = files(site).into_iter().collect();
    let mut broken = Vec::new();
    for page in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if is_external(&url) || url.starts_with("data:") || url.starts_with("javascript:") {
                continue;
            }
            let (target, fragment) = resolve(page, &url);
            let target = if target.ends_with('/') || target.is_empty() {
                format!("{target}index.html")
            } else {
                target
            };
            if !all.contains(&target) {
                broken.push(format!("{page}: {url} (no file {target})"));
                continue;
            }
            if let (Some(fragment), true) = (fragment, target.ends_with(".html")) {
                let target_html = std::fs::read_to_string(site.join(&target)).unwrap();
                if !fragment.is_empty() && !ids(&target_html).contains(&fragment) {
                    broken.push(format!("{page}: {url} (no id `{fragment}` in {target})"));
                }
            }
        }
    }
    broken
}

/// The page as text without tags, entities decoded for `&amp;` and quotes,
/// white space collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A page of the site, read.
pub fn read(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("cannot read {page}: {e}"))
}

/// The `<main>` element of a page, for snapshots that ignore the chrome.
pub fn main_region(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

/// The sample pack at the repository root.
pub fn sample_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True for an address a browser would run as a script, read as loosely
/// as any browser does: entities decoded, every space and control
/// character dropped, any case.
pub fn runs_script(url: &str) -> bool {
    let squeezed: String = decode_entities(url)
        .chars()
        .filter(|c| *c > ' ')
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| squeezed.starts_with(s))
}

/// Decodes `&amp;`, `&quot;`, `&lt;`, `&gt;` and numeric entities.
fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').unwrap_or(0);
        let entity = &rest[1..end.max(1)];
        let code = match entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => entity.strip_prefix('#').and_then(|d| d.parse().ok()),
        };
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => code.and_then(char::from_u32),
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `href` and `src` of `html` that would run a script. The theme's
/// own empty icon (`data:,`) is the theme's, not an author's.
pub fn script_addresses(html: &str) -> Vec<String> {
    let html = html.replace("<link rel=\"icon\" href=\"data:,\">", "");
    ["href", "src"]
        .iter()
        .flat_map(|attr| attr_values(&html, attr))
        .filter(|url| runs_script(url))
        .collect()
}
