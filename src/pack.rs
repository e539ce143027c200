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

use crate::blocks::{self, LinkRef, Mode, RawSection, is_valid_id};
use crate::config::{CONFIG_FILE, Config, parse_config};
use crate::diag::{Diagnostic, Diagnostics, SourceFile, Sources};
use crate::front_matter::{self, ModuleMeta};
use crate::model::{Asset, Handout, LeftOut, Module, Pack, Section};
use crate::schedule;

mod cache;
mod links;

pub use cache::LoadCache;
pub use links::{Symlink, hidden_link, links_to_output, real_path};

/// The folder holding the modules.
pub const MODULES_DIR: &str = "modules";

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

/// A module's files, found by walking `modules/`.
#[derive(Debug, Clone)]
struct ModuleUnit {
    /// The Markdown file.
    file: PathBuf,
    /// For folder modules, the folder.
    folder: Option<PathBuf>,
    /// Handout files (folder modules), sorted by name.
    handouts: Vec<PathBuf>,
}

#[derive(Debug, Default, Clone)]
struct Walked {
    modules: Vec<ModuleUnit>,
    assets: Vec<Asset>,
    links: Vec<Symlink>,
}

fn walk_modules(root: &Path, modules_dir: &str, diags: &mut Diagnostics) -> Walked {
    let dir = root.join(modules_dir);
    let mut walked = Walked::default();
    if !dir.is_dir() {
        let hint = if modules_dir == MODULES_DIR {
            format!(
                "create `{MODULES_DIR}/` beside `{CONFIG_FILE}` and put one Markdown file per module in it"
            )
        } else {
            format!(
                "create `{modules_dir}/` and put that language's modules in it, or remove the language from `languages` in `{CONFIG_FILE}`"
            )
        };
        diags.push(
            Diagnostic::error(format!("the pack has no `{modules_dir}/` folder"))
                .in_file(modules_dir)
                .hint(hint),
        );
        return walked;
    }
    let files = list_files(root, &dir, &mut walked.links, diags);
    // Hashed, not ordered: comparing paths goes component by component,
    // and at 1000 modules the ordered sets cost 20 ms before any loading.
    let folders: FxHashSet<&Path> = files
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "module.md"))
        .filter_map(|f| f.parent())
        .collect();
    let mut units: FxHashMap<PathBuf, ModuleUnit> = FxHashMap::default();
    let mut reported = FxHashSet::default();
    for file in &files {
        // The nearest folder above the file that holds a `module.md`.
        let owner = file
            .ancestors()
            .skip(1)
            .take_while(|a| *a != dir)
            .find(|a| folders.contains(a));
        if let Some(d) = unread_markdown(root, &dir, file, owner.is_some()) {
            if reported.insert(d.to_string()) {
                diags.push(d);
            }
            continue;
        }
        let is_md = file.extension().is_some_and(|e| e == "md");
        match (owner, is_md) {
            (Some(folder), true) => add_folder_file(root, folder, file, &mut units, diags),
            (None, true) => {
                units.insert(
                    file.clone(),
                    ModuleUnit {
                        file: file.clone(),
                        folder: None,
                        handouts: Vec::new(),
                    },
                );
            }
            (_, false) => walked.assets.push(Asset {
                path: rel_path(root, file),
            }),
        }
    }
    walked.modules = units.into_values().collect();
    walked.modules.sort_by(|a, b| a.file.cmp(&b.file));
    walked
}

/// An error for a Markdown file that would not be read as the author
/// meant: copied to the site as it is (answers and notes included), or
/// read as a module of its own.
fn unread_markdown(root: &Path, dir: &Path, file: &Path, owned: bool) -> Option<Diagnostic> {
    let name = file.file_name()?.to_string_lossy();
    let (stem, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    if ext != "md" && !["markdown", "mdown", "mkd", "mkdn"].contains(&ext.as_str()) {
        return None;
    }
    if !name.ends_with(".md") {
        return Some(
            Diagnostic::error("trainpack reads Markdown only from files ending in `.md`, so this file is left out")
                .in_file(rel_path(root, file))
                .hint(format!("rename it to `{stem}.md`")),
        );
    }
    let folder = file.parent()?;
    if owned || folder == dir {
        return None;
    }
    let in_handouts = folder.file_name().is_some_and(|n| n == "handouts");
    let module_folder = if in_handouts {
        folder.parent()?
    } else {
        folder
    };
    if !in_handouts && !is_misnamed_module_file(&name) {
        return None;
    }
    // The same error, whichever of the folder's files comes first.
    let hint = match misnamed_module_file(module_folder) {
        Some(found) => format!("rename `{found}` to `module.md`"),
        None => "put the module's own text in `module.md` in this folder, beside `handouts/`"
            .to_string(),
    };
    Some(
        Diagnostic::error("this module folder has no `module.md`")
            .in_file(format!("{}/", rel_path(root, module_folder)))
            .hint(hint),
    )
}

/// `Module.md`, or the `index.md` of Hugo and Zola: meant as `module.md`.
fn is_misnamed_module_file(name: &str) -> bool {
    name.eq_ignore_ascii_case("module.md") || name == "index.md" || name == "_index.md"
}

fn misnamed_module_file(folder: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_misnamed_module_file(name))
        .collect();
    names.sort();
    names.into_iter().next()
}

fn add_folder_file(
    root: &Path,
    folder: &Path,
    file: &Path,
    units: &mut FxHashMap<PathBuf, ModuleUnit>,
    diags: &mut Diagnostics,
) {
    let module_file = folder.join("module.md");
    let unit = units
        .entry(module_file.clone())
        .or_insert_with(|| ModuleUnit {
            file: module_file.clone(),
            folder: Some(folder.to_path_buf()),
            handouts: Vec::new(),
        });
    if file == module_file {
        return;
    }
    if file.parent() == Some(&folder.join("handouts")) {
        unit.handouts.push(file.to_path_buf());
    } else {
        diags.push(
            Diagnostic::warning("this Markdown file is not part of its module and is left out")
                .in_file(rel_path(root, file))
                .hint("a folder module reads `module.md` and the files in `handouts/`; move the file there or out of `modules/`"),
        );
    }
}

/// Every file under `dir`, sorted, skipping hidden and backup files.
/// Symbolic links are followed only while they stay inside the pack and
/// lead to nothing hidden; those followed are added to `links`.
fn list_files(
    root: &Path,
    dir: &Path,
    links: &mut Vec<Symlink>,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored(e.file_name()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                report_walk_error(root, &e, diags);
                continue;
            }
        };
        if entry.path_is_symlink() {
            if let Some(d) = refused_link(root, entry.path()) {
                diags.push(d);
                // Not a step inside: what is under the link is not read.
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
            links.push(Symlink {
                path: rel_path(root, entry.path()),
                target: entry.path().canonicalize().unwrap_or_default(),
            });
        }
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    files
}

/// The error for a symbolic link the walk may not follow: one that leads
/// outside the pack, or to a hidden file or folder inside it.
fn refused_link(root: &Path, link: &Path) -> Option<Diagnostic> {
    let Ok(target) = link.canonicalize() else {
        return Some(outside_link(root, link));
    };
    if !target.starts_with(root) {
        return Some(outside_link(root, link));
    }
    hidden_link(root, link, &target)
}

fn outside_link(root: &Path, link: &Path) -> Diagnostic {
    Diagnostic::error("this symbolic link leads outside the pack")
        .in_file(rel_path(root, link))
        .hint("copy the file into the pack instead of linking to it: trainpack reads nothing outside the pack")
}

fn report_walk_error(root: &Path, e: &walkdir::Error, diags: &mut Diagnostics) {
    let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
    let (message, hint) = if e.loop_ancestor().is_some() {
        (
            "this symbolic link makes a loop".to_string(),
            "remove the link, or point it at a folder that does not contain it",
        )
    } else {
        (
            format!(
                "cannot read: {}",
                e.io_error()
                    .map_or_else(|| e.to_string(), ToString::to_string)
            ),
            "check that the file or folder exists and that you may read it",
        )
    };
    diags.push(Diagnostic::error(message).in_file(path).hint(hint));
}

fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~') || (name.starts_with('#') && name.ends_with('#'))
}

/// True when `path`, with symbolic links resolved, is inside `root`.
pub fn stays_inside(root: &Path, path: &Path) -> bool {
    match path.canonicalize() {
        Ok(real) => real.starts_with(root),
        Err(_) => false,
    }
}

/// True when a relative path written by an author climbs out of its start
/// folder further than `depth` levels (`../../x` from two levels down).
pub fn escapes(relative: &Path, depth: usize) -> bool {
    let mut level = depth as isize;
    for component in relative.components() {
        match component {
            Component::ParentDir => level -= 1,
            Component::Normal(_) => level += 1,
            Component::RootDir | Component::Prefix(_) => return true,
            Component::CurDir => {}
        }
        if level < 0 {
            return true;
        }
    }
    false
}

/// A module as loaded, shared with the cache: reusing it costs no copy.
/// A module as read, shared rather than copied when `serve` reuses it.
#[derive(Clone)]
struct ModuleLoad {
    module: Option<(Arc<Module>, Arc<ModuleLinks>)>,
    diagnostics: Vec<Diagnostic>,
    sources: Sources,
}

/// Loads one module; `language` is the module's language when it does not
/// say (in a pack in several languages, its folder's).
fn load_module(root: &Path, unit: &ModuleUnit, part: &Part, language: Option<&str>) -> ModuleLoad {
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let module =
        read_module(root, unit, &mut diags, &mut sources).map(|(mut module, mut links)| {
            if module.language.is_none() {
                module.language = language.map(str::to_string);
            }
            links.modules_dir.clone_from(&part.dir);
            (Arc::new(module), Arc::new(links))
        });
    ModuleLoad {
        module,
        diagnostics: diags,
        sources,
    }
}

fn read_module(
    root: &Path,
    unit: &ModuleUnit,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
) -> Option<(Module, ModuleLinks)> {
    let file = read_source(root, &unit.file, diags)?;
    sources.add(&file);
    let slug = module_slug(root, unit, diags)?;
    let split = front_matter::split(&file, diags)?;
    let meta = front_matter::read_module(&file, &split, diags);
    let scan = blocks::scan(&file, split.body, Mode::Module);
    diags.extend(scan.diagnostics);
    let meta = meta?;
    let mut links: Vec<(String, LinkRef)> = scan
        .links
        .into_iter()
        .map(|l| (file.path.clone(), l))
        .collect();
    let mut handouts = Vec::new();
    for path in &unit.handouts {
        if let Some(handout) = read_handout(root, path, diags, sources, &mut links) {
            handouts.push(handout);
        }
    }
    handouts.extend(scan.handouts);
    let handouts = order_handouts(&file, handouts, &meta, diags);
    let dir = unit.folder.as_deref().map_or_else(
        || rel_path(root, unit.file.parent().unwrap_or(root)),
        |f| rel_path(root, f),
    );
    let module = assemble(
        slug,
        file.path.clone(),
        dir,
        meta,
        scan.sections,
        handouts,
        &file,
        diags,
    );
    let slug = module.slug.clone();
    Some((
        module,
        ModuleLinks {
            slug,
            modules_dir: String::new(),
            links,
        },
    ))
}

/// The name a module's file or folder gives it, checked or not.
fn unit_name(unit: &ModuleUnit) -> String {
    match &unit.folder {
        Some(folder) => folder.file_name(),
        None => unit.file.file_stem(),
    }
    .map(|s| s.to_string_lossy().into_owned())
    .unwrap_or_default()
}

fn module_slug(root: &Path, unit: &ModuleUnit, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let source = unit.folder.as_deref().unwrap_or(&unit.file);
    let slug = unit_name(unit);
    let ok = !slug.is_empty()
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        diags.push(
            Diagnostic::error(format!("`{slug}` cannot be used in web addresses"))
                .in_file(rel_path(root, source))
                .hint("rename it with letters, digits, `-`, `_` and `.` only, as in `04-coordination`"),
        );
        return None;
    }
    Some(slug)
}

fn read_handout(
    root: &Path,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
    sources: &mut Sources,
    links: &mut Vec<(String, LinkRef)>,
) -> Option<Handout> {
    let file = read_source(root, path, diags)?;
    sources.add(&file);
    let id = path.file_stem()?.to_string_lossy().into_owned();
    if !is_valid_id(&id) {
        diags.push(
            Diagnostic::error(format!("`{id}` cannot be used as a handout id"))
                .in_file(&file.path)
                .hint("rename the file with letters, digits, `-` and `_` only, as in `case-study-1.md`"),
        );
        return None;
    }
    let split = front_matter::split(&file, diags)?;
    let meta = front_matter::read_handout(&file, &split, diags);
    let mut scan = blocks::scan(&file, split.body, Mode::Handout);
    diags.extend(scan.diagnostics);
    links.extend(scan.links.into_iter().map(|l| (file.path.clone(), l)));
    for inline in &scan.handouts {
        diags.push(
            Diagnostic::error("a handout file cannot hold a `handout` block")
                .at_line(&file, inline.line)
                .hint("write the second handout as a file of its own under `handouts/`"),
        );
    }
    let body = scan.sections.pop().map(|s| s.body).unwrap_or_default();
    Some(Handout {
        id,
        title: meta?.title,
        path: file.path.clone(),
        line: 1,
        body,
    })
}

/// Applies the `handouts` list of the front matter, reporting unknown and
/// repeated ids.
fn order_handouts(
    file: &SourceFile,
    handouts: Vec<Handout>,
    meta: &ModuleMeta,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Handout> {
    for (i, h) in handouts.iter().enumerate() {
        if handouts[..i].iter().any(|other| other.id == h.id) {
            let d = Diagnostic::error(format!("two handouts have the id `{}`", h.id)).hint(
                "rename the file or the block's `id` so each handout of a module has its own id",
            );
            diags.push(if h.path == file.path {
                d.at_line(file, h.line)
            } else {
                d.in_file(&h.path)
            });
        }
    }
    let Some(wanted) = &meta.handouts else {
        return handouts;
    };
    let mut pool: Vec<Option<Handout>> = handouts.into_iter().map(Some).collect();
    let mut ordered = Vec::new();
    for (i, id) in wanted.iter().enumerate() {
        if wanted[..i].iter().any(|w| w.value == id.value) {
            diags.push(
                Diagnostic::error(format!("the handout `{}` is listed twice", id.value))
                    .at(file, id.span.clone())
                    .hint("list each handout once, in the order participants get them"),
            );
            continue;
        }
        let found = pool
            .iter_mut()
            .find(|h| h.as_ref().is_some_and(|h| h.id == id.value));
        match found.and_then(Option::take) {
            Some(h) => ordered.push(h),
            None => {
                let known: Vec<&str> = pool.iter().flatten().map(|h| h.id.as_str()).collect();
                let hint = match crate::diag::nearest(&id.value, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "list the file stems of the files in `handouts/`, or the `id` of inline handouts".into(),
                };
                diags.push(
                    Diagnostic::error(format!("no handout with the id `{}`", id.value))
                        .at(file, id.span.clone())
                        .hint(hint),
                );
            }
        }
    }
    ordered
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    slug: String,
    path: String,
    dir: String,
    meta: ModuleMeta,
    raw: Vec<RawSection>,
    handouts: Vec<Handout>,
    file: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> Module {
    let mut raw = raw.into_iter();
    let overview = raw.next().map(|s| s.body).unwrap_or_default();
    let sections = make_sections(raw.collect());
    let number = meta.number.or_else(|| leading_number(&slug));
    let schedule = schedule::module_schedule(&meta.slides, &overview, &sections);
    let module = Module {
        slug,
        path,
        dir,
        number,
        title: meta.title,
        duration: meta.duration.as_ref().map(|d| d.value),
        summary: meta.summary,
        outcomes: meta.outcomes,
        activities: meta.activities,
        key_messages: meta.key_messages,
        language: meta.language,
        draft: meta.draft,
        slides: meta.slides,
        overview,
        sections,
        handouts,
        schedule,
    };
    if let Some(duration) = &meta.duration {
        schedule::check_total(&module, file, duration, diags);
    }
    module
}

fn make_sections(raw: Vec<RawSection>) -> Vec<Section> {
    let mut used: Vec<String> = Vec::new();
    raw.into_iter()
        .filter_map(|s| {
            let heading = s.heading?;
            let base = heading.id.clone().unwrap_or_else(|| match heading.slides {
                Some(r) if r.first == r.last => format!("slide-{}", r.first),
                Some(r) => format!("slides-{}-{}", r.first, r.last),
                None => anchor_of(&heading.title),
            });
            let anchor = unique_anchor(base, &mut used);
            Some(Section {
                title: heading.title,
                slides: heading.slides,
                anchor,
                line: heading.line,
                body: s.body,
            })
        })
        .collect()
}

/// A URL fragment from heading text: lowercase words joined by `-`.
pub fn anchor_of(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".into()
    } else {
        trimmed.into()
    }
}

fn unique_anchor(base: String, used: &mut Vec<String>) -> String {
    let mut anchor = base.clone();
    let mut n = 1;
    while used.contains(&anchor) {
        n += 1;
        anchor = format!("{base}-{n}");
    }
    used.push(anchor.clone());
    anchor
}

/// "04-coordination" gives 4.
fn leading_number(slug: &str) -> Option<u32> {
    let digits: String = slug.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
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
