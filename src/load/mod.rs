//! Pack loading: reads `book.toml`, walks `modules/`, and turns every module
//! file and handout into the typed [`Module`] of the model, in parallel.
//!
//! Loading never stops at the first problem: each file contributes what it
//! can and reports the rest, so `check` shows everything at once.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, SourceFile, Sources};
use crate::model::config::{CONFIG_FILE, Config};
use crate::model::{Asset, Handout, LeftOut, MODULES_DIR, Module, Pack, Section, Symlink};
use blocks::{LinkRef, Mode, RawSection, is_valid_id};
use config::parse_config;
use front_matter::ModuleMeta;

pub mod audience;
pub mod blocks;
mod cache;
pub mod config;
pub mod front_matter;
pub mod markdown;
mod media;
mod module;
pub mod office;
mod participants;
pub mod pending;
mod reader;
pub mod schedule;
mod symlinks;
pub mod theme;
pub mod toml_reader;
mod walk;

pub use cache::LoadCache;
pub use module::anchor_of;
pub use reader::PackReader;
pub use symlinks::{hidden_link, links_to_output, real_path};
pub use walk::{escapes, stays_inside};

use module::*;
use walk::*;

/// How to load a pack.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Keep modules marked `draft = true`.
    pub drafts: bool,
}

/// What loading gives: the pack when it could be read, every diagnostic,
/// and the text of every file read (for printing diagnostics).
#[derive(Debug, Default)]
pub struct Loaded {
    /// The pack, unless `book.toml` could not be used.
    pub pack: Option<Pack>,
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// The files read.
    pub sources: Sources,
    /// Links found in each module's files, for `check`.
    pub links: Vec<Arc<ModuleLinks>>,
    /// Slugs of the modules read afresh, rather than reused from a cache.
    pub fresh: BTreeSet<String>,
}

/// The links written in one module and its handouts.
#[derive(Debug, Clone)]
pub struct ModuleLinks {
    /// The module's slug.
    pub slug: String,
    /// The modules folder of the module's language (`modules/fr`).
    pub modules_dir: String,
    /// (file path, link) pairs.
    pub links: Vec<(String, LinkRef)>,
}

/// Loads the pack whose `book.toml` is in `root`.
pub fn load_pack(root: &Path, options: &LoadOptions) -> Loaded {
    load_pack_cached(root, options, None)
}

/// Loads the pack, reusing from `cache` every module whose files did not
/// change since it was last loaded. A pack in several languages is loaded
/// as one pack per language, the others in [`Pack::translations`].
pub fn load_pack_cached(root: &Path, options: &LoadOptions, cache: Option<&LoadCache>) -> Loaded {
    let mut loaded = Loaded::default();
    let Some(config) = load_config(root, &mut loaded) else {
        if root.join(CONFIG_FILE).is_file() {
            let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
            check_modules_alone(&root, options, &mut loaded);
        }
        return loaded;
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut config = config;
    config.course.names = participants::read(&root, &mut loaded);
    let languages = config.pack.languages.clone();
    if languages.is_empty() {
        let part = Part {
            dir: MODULES_DIR.to_string(),
            prefix: String::new(),
            config,
        };
        loaded.pack = Some(load_part(&root, part, options, cache, &mut loaded));
        return loaded;
    }
    report_outside_language_folders(&root, &languages, &mut loaded.diagnostics);
    let mut packs: Vec<Pack> = languages
        .iter()
        .enumerate()
        .map(|(i, language)| {
            let part = Part {
                dir: format!("{MODULES_DIR}/{language}"),
                prefix: if i == 0 {
                    String::new()
                } else {
                    format!("{language}/")
                },
                config: config.for_language(language),
            };
            load_part(&root, part, options, cache, &mut loaded)
        })
        .collect();
    let mut main = packs.remove(0);
    for translation in &mut packs {
        media::borrow(&main, translation);
    }
    main.translations = packs;
    loaded.pack = Some(main);
    loaded
}

/// With `book.toml` in error, still reads the modules, so that `check`
/// reports every problem at once; the pack itself is not built. (Checks
/// across modules need the settings, and wait for `book.toml` to be fixed.)
fn check_modules_alone(root: &Path, options: &LoadOptions, loaded: &mut Loaded) {
    let stand_in = SourceFile::new(CONFIG_FILE, "[pack]\ntitle = \"-\"\n");
    let Some(config) = parse_config(&stand_in, &mut Vec::new()) else {
        return;
    };
    let part = Part {
        dir: MODULES_DIR.to_string(),
        prefix: String::new(),
        config,
    };
    let mut alone = Loaded::default();
    load_part(root, part, options, None, &mut alone);
    loaded.diagnostics.extend(alone.diagnostics);
    loaded.sources.extend(alone.sources);
}

/// One language's share of a pack: its modules folder, where its pages go
/// in the site, and its configuration.
struct Part {
    dir: String,
    prefix: String,
    config: Config,
}

fn load_part(
    root: &Path,
    part: Part,
    options: &LoadOptions,
    cache: Option<&LoadCache>,
    loaded: &mut Loaded,
) -> Pack {
    let files = match cache {
        Some(cache) => cache.walk(
            &part.dir,
            || {
                let mut diags = Diagnostics::new();
                let walked = walk_modules(root, &part.dir, &mut diags);
                (walked, diags)
            },
            &mut loaded.diagnostics,
        ),
        None => walk_modules(root, &part.dir, &mut loaded.diagnostics),
    };
    let language = (!part.prefix.is_empty() || !part.config.pack.languages.is_empty())
        .then(|| part.config.pack.language.clone());
    let results: Vec<(ModuleLoad, bool)> = files
        .modules
        .par_iter()
        .map(|unit| match cache {
            Some(cache) => {
                cache.get_or_load(unit, || load_module(root, unit, &part, language.as_deref()))
            }
            None => (load_module(root, unit, &part, language.as_deref()), true),
        })
        .collect();
    if let Some(cache) = cache {
        cache.retain(
            &root.join(&part.dir),
            &files
                .modules
                .iter()
                .map(|u| u.file.as_path())
                .collect::<Vec<_>>(),
        );
    }
    let mut modules = Vec::new();
    let mut left_out = LeftOut::default();
    for ((result, fresh), unit) in results.into_iter().zip(&files.modules) {
        loaded.diagnostics.extend(result.diagnostics);
        loaded.sources.extend(result.sources);
        let Some((module, links)) = result.module else {
            left_out.unread.push(unit_name(unit));
            continue;
        };
        if fresh {
            loaded
                .fresh
                .insert(format!("{}{}", part.prefix, module.slug));
        }
        if module.draft && !options.drafts {
            left_out.drafts.push(module.slug.clone());
            continue;
        }
        loaded.links.push(links);
        modules.push(module);
    }
    modules.sort_by(|a, b| {
        (a.number.unwrap_or(u32::MAX), &a.path).cmp(&(b.number.unwrap_or(u32::MAX), &b.path))
    });
    Pack {
        root: root.to_path_buf(),
        config: part.config,
        modules,
        assets: files.assets,
        links: files.links,
        modules_dir: part.dir,
        prefix: part.prefix,
        translations: Vec::new(),
        left_out,
        office: Default::default(),
    }
}

/// In a pack in several languages, every module sits in a language folder.
fn report_outside_language_folders(root: &Path, languages: &[String], diags: &mut Diagnostics) {
    let Ok(entries) = root.join(MODULES_DIR).read_dir() else {
        return;
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        if is_ignored(std::ffi::OsStr::new(&name)) || languages.contains(&name) {
            continue;
        }
        diags.push(
            Diagnostic::error(format!("`{MODULES_DIR}/{name}` is not in a language folder"))
                .in_file(format!("{MODULES_DIR}/{name}"))
                .hint(format!(
                    "the pack has `languages` in `{CONFIG_FILE}`, so each module goes in `{MODULES_DIR}/<language>/`: move it into {}",
                    languages.iter().map(|l| format!("`{MODULES_DIR}/{l}/`")).collect::<Vec<_>>().join(" or ")
                )),
        );
    }
}

fn load_config(root: &Path, loaded: &mut Loaded) -> Option<Config> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        let hint = if root.is_dir() {
            format!(
                "run trainpack in the folder that holds `{CONFIG_FILE}`, pass that folder, or create a pack with `trainpack init`"
            )
        } else {
            "check the folder name".to_string()
        };
        loaded.diagnostics.push(
            Diagnostic::error(format!("no `{CONFIG_FILE}` in `{}`", root.display())).hint(hint),
        );
        return None;
    }
    let mut diags = Vec::new();
    let file = read_source(root, &path, &mut diags);
    loaded.diagnostics.extend(diags);
    let file = file?;
    loaded.sources.add(&file);
    let mut diags = Vec::new();
    let config = parse_config(&file, &mut diags);
    loaded.diagnostics.extend(diags);
    config
}

/// Reads a text file of the pack. Reports unreadable and non-UTF-8 files.
pub fn read_source(
    root: &Path,
    path: &Path,
    diags: &mut impl Extend<Diagnostic>,
) -> Option<SourceFile> {
    let rel = rel_path(root, path);
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            diags.extend([Diagnostic::error(format!("cannot read the file: {e}"))
                .in_file(&rel)
                .hint("check that the file exists and that you may read it")]);
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(SourceFile::new(rel, &text)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let file = SourceFile::new(rel.clone(), &prefix);
            let line = prefix.matches('\n').count() + 1;
            let mut d = Diagnostic::error("the file is not valid UTF-8 text")
                .hint("save the file with the UTF-8 encoding (in most editors: Save As, then Encoding: UTF-8)");
            d = if file.text.is_empty() {
                d.in_file(rel)
            } else {
                d.at_line(&file, line)
            };
            diags.extend([d]);
            None
        }
    }
}

/// `path` relative to `root`, with `/` separators, for messages and URLs.
pub fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_counts_levels() {
        assert!(!escapes(Path::new("media/x.png"), 0));
        assert!(escapes(Path::new("../x.png"), 0));
        assert!(!escapes(Path::new("../x.png"), 1));
        assert!(escapes(Path::new("a/../../x.png"), 0));
        assert!(escapes(Path::new("/etc/passwd"), 3));
    }

    #[test]
    fn anchors_from_titles() {
        assert_eq!(anchor_of("Key messages: the end!"), "key-messages-the-end");
        assert_eq!(anchor_of("Côte d'Ivoire"), "côte-d-ivoire");
        assert_eq!(anchor_of("!!"), "section");
    }

    #[test]
    fn slug_numbers() {
        assert_eq!(leading_number("04-coordination"), Some(4));
        assert_eq!(leading_number("intro"), None);
    }

    fn unread(files: &[&str], file: &str) -> Option<String> {
        let pack = tempfile::tempdir().unwrap();
        for name in files {
            let path = pack.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let dir = pack.path().join("modules");
        let file = pack.path().join(file);
        let owned = files.iter().any(|f| f.ends_with("/module.md"));
        unread_markdown(pack.path(), &dir, &file, owned).map(|d| d.to_string())
    }

    #[test]
    fn markdown_that_would_not_be_read_as_meant_is_reported() {
        let handout = "modules/02-roles/handouts/case.md";
        let folder = unread(&[handout], handout).unwrap();
        assert!(folder.contains("no `module.md`"), "{folder}");
        assert!(folder.contains("beside `handouts/`"), "{folder}");
        let misnamed = unread(&[handout, "modules/02-roles/Module.md"], handout).unwrap();
        assert!(
            misnamed.contains("rename `Module.md` to `module.md`"),
            "{misnamed}"
        );
        let long = unread(
            &["modules/02-roles/media/notes.markdown"],
            "modules/02-roles/media/notes.markdown",
        );
        assert!(long.unwrap().contains("rename it to `notes.md`"));
        for fine in [
            "modules/01-intro.md",
            "modules/part-2/intro.md",
            "modules/02-roles/media/photo.jpg",
        ] {
            assert_eq!(unread(&[fine], fine), None, "{fine}");
        }
        let owned = ["modules/02-roles/module.md", handout];
        assert_eq!(unread(&owned, handout), None);
    }
}
