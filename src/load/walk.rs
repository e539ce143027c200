//! The walk of `modules/`: which files are modules, handouts and assets,
//! which are ignored, and the problems of the folder itself (misnamed
//! Markdown, symbolic links that lead out of the pack or to hidden files).

#[allow(clippy::wildcard_imports)]
use super::*;

/// A module's files, found by walking `modules/`.
#[derive(Debug, Clone)]
pub(super) struct ModuleUnit {
    /// The Markdown file.
    pub(super) file: PathBuf,
    /// For folder modules, the folder.
    pub(super) folder: Option<PathBuf>,
    /// Handout files (folder modules), sorted by name.
    pub(super) handouts: Vec<PathBuf>,
}

#[derive(Debug, Default, Clone)]
pub(super) struct Walked {
    pub(super) modules: Vec<ModuleUnit>,
    pub(super) assets: Vec<Asset>,
    pub(super) links: Vec<Symlink>,
}

pub(super) fn walk_modules(root: &Path, modules_dir: &str, diags: &mut Diagnostics) -> Walked {
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
                source: None,
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
pub(super) fn unread_markdown(
    root: &Path,
    dir: &Path,
    file: &Path,
    owned: bool,
) -> Option<Diagnostic> {
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
pub(super) fn is_misnamed_module_file(name: &str) -> bool {
    name.eq_ignore_ascii_case("module.md") || name == "index.md" || name == "_index.md"
}

pub(super) fn misnamed_module_file(folder: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_misnamed_module_file(name))
        .collect();
    names.sort();
    names.into_iter().next()
}

pub(super) fn add_folder_file(
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
pub(super) fn list_files(
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
pub(super) fn refused_link(root: &Path, link: &Path) -> Option<Diagnostic> {
    let Ok(target) = link.canonicalize() else {
        return Some(outside_link(root, link));
    };
    if !target.starts_with(root) {
        return Some(outside_link(root, link));
    }
    hidden_link(root, link, &target)
}

pub(super) fn outside_link(root: &Path, link: &Path) -> Diagnostic {
    Diagnostic::error("this symbolic link leads outside the pack")
        .in_file(rel_path(root, link))
        .hint("copy the file into the pack instead of linking to it: trainpack reads nothing outside the pack")
}

pub(super) fn report_walk_error(root: &Path, e: &walkdir::Error, diags: &mut Diagnostics) {
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

pub(super) fn is_ignored(name: &std::ffi::OsStr) -> bool {
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
