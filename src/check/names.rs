//! Names a file system that ignores case or accents would merge: on a USB
//! stick (FAT, exFAT), Windows or a Mac, `ABC` and `abc` are one name, and
//! on a Mac so are the two ways of writing `Café` (Unicode NFC and NFD).
//! The pack may hold both on Linux; the site copied there would lose one.
//! Names are compared folder by folder of the site, where they would land.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::diag::{Diagnostic, Sources};
use crate::model::{MODULES_DIR, Pack};

/// What gives a name in a folder of the site.
#[derive(Debug, Clone)]
struct Origin {
    /// How messages name it: a path, or a handout inside a module file.
    shown: String,
    /// The file the warning is at.
    file: String,
    /// The line in `file`, for inline handouts.
    line: Option<usize>,
}

/// The names of one folder of the site, each with what gives it.
type Folder = BTreeMap<String, Origin>;

/// Warns about every two names of the same site folder that differ only
/// in capital letters or in the encoding of their accents.
pub fn check_name_clashes(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    for names in site_folders(pack).values() {
        let mut by_key: BTreeMap<String, Vec<(&String, &Origin)>> = BTreeMap::new();
        for (name, origin) in names {
            by_key.entry(folded(name)).or_default().push((name, origin));
        }
        for clash in by_key.values() {
            let (first_name, first) = clash[0];
            for (name, origin) in &clash[1..] {
                diags.push(clash_warning(first_name, first, name, origin, sources));
            }
        }
    }
}

/// Every folder of the site the pack's own files give names in: module
/// folders, handout pages and copied media, by the folder's site path as
/// such a file system sees it.
fn site_folders(pack: &Pack) -> BTreeMap<String, Folder> {
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    let mut add = |folder: String, name: &str, origin: &dyn Fn() -> Origin| {
        // Folders that differ only in case are one folder there too.
        let names = folders.entry(folded(&folder)).or_default();
        if !names.contains_key(name) {
            names.insert(name.to_string(), origin());
        }
    };
    let modules = format!("{}{MODULES_DIR}/", pack.prefix);
    for module in &pack.modules {
        add(modules.clone(), &module.slug, &|| file_origin(&module.path));
        let handouts = format!("{modules}{}/handouts/", module.slug);
        for h in &module.handouts {
            let origin = || {
                if h.path == module.path {
                    Origin {
                        shown: format!("handout `{}` in `{}`", h.id, h.path),
                        file: h.path.clone(),
                        line: Some(h.line),
                    }
                } else {
                    file_origin(&h.path)
                }
            };
            add(handouts.clone(), &format!("{}.html", h.id), &origin);
        }
    }
    for asset in &pack.assets {
        let site_path = pack.site_path(&asset.path);
        let site: Vec<&str> = site_path.split('/').collect();
        let from: Vec<&str> = asset.path.split('/').collect();
        // `modules/fr/x.png` goes to `modules/x.png`: the source has as
        // many more parts at the front.
        let extra = from.len().saturating_sub(site.len());
        for i in 1..site.len() {
            let folder = format!("{}{}/", pack.prefix, site[..i].join("/"));
            add(folder, site[i], &|| {
                file_origin(&from[..=i + extra].join("/"))
            });
        }
    }
    folders
}

fn file_origin(path: &str) -> Origin {
    Origin {
        shown: format!("`{path}`"),
        file: path.to_string(),
        line: None,
    }
}

/// The name as a file system that ignores case and accent encoding sees it.
fn folded(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    let composed: String = name.nfc().collect();
    composed.to_lowercase().nfc().collect()
}

fn clash_warning(
    first_name: &str,
    first: &Origin,
    name: &str,
    origin: &Origin,
    sources: &Sources,
) -> Diagnostic {
    let same_letters = first_name.nfc().eq(name.nfc());
    let d = if same_letters {
        Diagnostic::warning(format!(
            "{} and {} would have the same name in the site on a Mac: the names are the same, with accents written in two ways",
            origin.shown, first.shown
        ))
        .hint("rename one of them, or type its name again: macOS takes the two ways of writing an accent as one, so the two would become one")
    } else {
        Diagnostic::warning(format!(
            "{} and {} would have the same name in the site on a USB stick, Windows or a Mac: the names differ only in capital letters",
            origin.shown, first.shown
        ))
        .hint("rename one of them: those systems ignore capital letters in names, so the two would become one")
    };
    match (origin.line, sources.file(&origin.file)) {
        (Some(line), Some(file)) => d.at_line(&file, line),
        _ => d.in_file(&origin.file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accent_encoding() {
        assert_eq!(folded("ABC"), folded("abc"));
        assert_eq!(folded("Cafe\u{301}"), folded("Caf\u{e9}"));
        assert_eq!(folded("CAF\u{c9}"), folded("cafe\u{301}"));
        assert_ne!(folded("cafe"), folded("caf\u{e9}"));
    }
}
