//! Files a rebuild keeps from the previous site.
//!
//! Linking each kept file into the new site as it comes costs a link now
//! and an unlink when the old site goes: at 1000 modules, 28 000 system
//! calls, most of a one-module rebuild's time on a disk. So kept files are
//! only noted while the site is written. When it is complete, a folder that
//! holds nothing but kept files (an unchanged module's) and that holds them
//! all in the old site moves over whole, in one rename; the other kept
//! files are linked one by one.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

use super::link_or_copy;

/// Folders moved from the old site into the new one: they go back if the
/// new site cannot be put in place.
#[must_use]
#[derive(Debug, Default)]
pub struct Moved {
    /// (where it was, where it is now), in the order they moved.
    folders: Vec<(PathBuf, PathBuf)>,
}

impl Moved {
    /// Moves the folders back into the old site, last first.
    pub fn undo(self) {
        for (was, now) in self.folders.iter().rev() {
            let _ = std::fs::rename(now, was);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.folders.len()
    }
}

/// Puts the `kept` files (paths relative to both sites) from the `old`
/// site into the `new` one. `written` holds the folders of `new` that this
/// build wrote files into, and all their parents, relative to `new`.
pub fn place(
    kept: Vec<String>,
    old: &Path,
    new: &Path,
    written: &FxHashSet<PathBuf>,
) -> Result<Moved> {
    let mut groups: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut single = Vec::new();
    for path in kept.into_iter().map(PathBuf::from) {
        match movable_root(&path, written) {
            Some(root) => groups.entry(root).or_default().push(path),
            None => single.push(path),
        }
    }
    let (whole, partial): (Vec<_>, Vec<_>) = groups
        .into_par_iter()
        .partition(|(root, files)| holds_exactly(old, root, files));
    single.extend(partial.into_iter().flat_map(|(_, files)| files));
    single
        .par_iter()
        .try_for_each(|path| link_or_copy(&old.join(path), &new.join(path)))?;
    move_folders(whole.into_iter().map(|(root, _)| root), old, new)
}

/// The highest folder above `path` that this build wrote nothing into: the
/// folder that could move whole.
fn movable_root(path: &Path, written: &FxHashSet<PathBuf>) -> Option<PathBuf> {
    let mut folders: Vec<&Path> = path
        .ancestors()
        .skip(1)
        .filter(|f| !f.as_os_str().is_empty())
        .collect();
    folders.reverse();
    folders
        .into_iter()
        .find(|f| !written.contains(*f))
        .map(Path::to_path_buf)
}

/// True when the folder `root` of the `old` site holds exactly `files`:
/// no file the new site would lose, no stray file it would gain.
fn holds_exactly(old: &Path, root: &Path, files: &[PathBuf]) -> bool {
    let mut found = Vec::with_capacity(files.len());
    if list_files(old, root, &mut found).is_err() {
        return false;
    }
    let mut files: Vec<&PathBuf> = files.iter().collect();
    found.sort_unstable();
    files.sort_unstable();
    found.iter().eq(files)
}

/// Adds the files under `folder` of `site`, relative to `site`; fails on
/// anything but files and folders, such as a symbolic link.
fn list_files(site: &Path, folder: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(site.join(folder))? {
        let entry = entry?;
        let path = folder.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            list_files(site, &path, found)?;
        } else if kind.is_file() {
            found.push(path);
        } else {
            return Err(std::io::Error::other("neither a file nor a folder"));
        }
    }
    Ok(())
}

/// Moves each folder `root` from `old` to `new`; on a failure, moves the
/// ones already moved back.
fn move_folders(roots: impl Iterator<Item = PathBuf>, old: &Path, new: &Path) -> Result<Moved> {
    let mut moved = Moved::default();
    for root in roots {
        let (was, now) = (old.join(&root), new.join(&root));
        if let Err(e) = std::fs::rename(&was, &now) {
            moved.undo();
            return Err(e).with_context(|| {
                format!("cannot move `{}` to `{}`", was.display(), now.display())
            });
        }
        moved.folders.push((was, now));
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(folders: &[&str]) -> FxHashSet<PathBuf> {
        folders.iter().map(PathBuf::from).collect()
    }

    #[test]
    fn the_root_is_the_highest_folder_nothing_was_written_into() {
        let written = written(&["modules", "modules/b"]);
        let root = |p: &str| movable_root(Path::new(p), &written);
        assert_eq!(root("modules/a/handouts/h.pdf"), Some("modules/a".into()));
        assert_eq!(
            root("modules/b/handouts/h.pdf"),
            Some("modules/b/handouts".into())
        );
        assert_eq!(root("modules/b/index.html"), None);
        assert_eq!(root("index.html"), None);
    }

    fn site(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file).unwrap();
        }
        dir
    }

    #[test]
    fn a_folder_moves_only_when_it_holds_exactly_the_kept_files() {
        let old = site(&["a/index.html", "a/h/1.pdf", "b/index.html", "b/stray.txt"]);
        let files = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
        let a = files(&["a/h/1.pdf", "a/index.html"]);
        assert!(holds_exactly(old.path(), Path::new("a"), &a));
        assert!(!holds_exactly(old.path(), Path::new("a"), &a[..1]));
        let b = files(&["b/index.html"]);
        assert!(!holds_exactly(old.path(), Path::new("b"), &b));
        assert!(!holds_exactly(old.path(), Path::new("c"), &[]));
    }

    #[test]
    fn kept_files_move_in_folders_or_are_linked() {
        let old = site(&["index.html", "m/a/index.html", "m/a/h/1.pdf", "m/b/x.html"]);
        let new = site(&["m/b/y.html"]);
        let kept = ["index.html", "m/a/index.html", "m/a/h/1.pdf", "m/b/x.html"];
        let kept = kept.iter().map(|s| s.to_string()).collect();
        let moved = place(kept, old.path(), new.path(), &written(&["m", "m/b"])).unwrap();
        assert_eq!(moved.len(), 1);
        assert!(!old.path().join("m/a").exists());
        for file in ["index.html", "m/a/index.html", "m/a/h/1.pdf", "m/b/x.html"] {
            assert_eq!(
                std::fs::read_to_string(new.path().join(file)).unwrap(),
                file
            );
        }
        moved.undo();
        assert!(old.path().join("m/a/h/1.pdf").is_file());
        assert!(!new.path().join("m/a").exists());
    }
}
