//! Writing the site: file-system helpers that name the path in every error,
//! and the staging folder that makes a build all-or-nothing.
//!
//! A build writes into a fresh folder beside the output and swaps it in at
//! the end, so a build that fails, or is killed, leaves the previous site as
//! it was. A folder that trainpack did not write is never replaced: each
//! site carries a marker file, and an output folder without one that holds
//! anything is refused.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::render::{Content, OutFile, Sink};
use copies::{copy_in_place, is_current_copy, link_in_place, write_spliced};

pub mod bundle;
pub mod cache;
mod copies;
pub mod export;
mod kept;
pub mod mark;
mod patch;

/// The file that marks a folder as a site written by trainpack.
pub const MARKER: &str = ".trainpack-site";

/// Writes a file, creating its parent folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    write_in_place(path, bytes)
}

/// Writes `bytes` to `path` whole or not at all: into a file beside it,
/// then renamed over it, so a build stopped halfway never leaves half a
/// file to be read. Creates the parent folders.
pub fn write_aside(path: &Path, bytes: &[u8]) -> Result<()> {
    create_parent(path)?;
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let aside = path.with_file_name(format!(".{name}.part"));
    write_in_place(&aside, bytes)?;
    rename(&aside, path)
}

/// An error and its causes, with the system's words for a failed file
/// operation put plainly, and without their "(os error 17)".
pub fn describe(error: &anyhow::Error) -> String {
    error
        .chain()
        .map(|cause| match cause.downcast_ref::<std::io::Error>() {
            Some(io) => plain(io),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

fn plain(error: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let system = error.to_string();
    let system = match system.rfind(" (os error ") {
        Some(at) => system[..at].to_string(),
        None => system,
    };
    let words = match error.kind() {
        AlreadyExists => "a file of that name is in the way",
        NotADirectory => "part of that path is a file, not a folder",
        NotFound => "there is no such file or folder",
        PermissionDenied => {
            "you are not allowed to write or read there; choose another folder, or ask for access"
        }
        StorageFull => "the disk is full; free some space and try again",
        ReadOnlyFilesystem => "the disk is read-only; choose another folder",
        _ => return system,
    };
    format!("{words} ({system})")
}

/// Creates a folder and its parents.
pub fn create_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create the folder `{}`", path.display()))
}

/// Makes `to` a hard link to `from`, or a copy where links are not
/// possible (another file system), creating the parent folders of `to`.
pub fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    create_parent(to)?;
    link_in_place(from, to)
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) => create_dir(parent),
        None => Ok(()),
    }
}

// The `_in_place` functions expect the parent folder to exist.

fn write_in_place(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Removes a folder and everything in it; a folder that is not there is fine.
pub fn remove_dir(path: &Path) -> Result<()> {
    match remove_tree(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("cannot remove `{}`", path.display()))
        }
        _ => Ok(()),
    }
}

/// [`std::fs::remove_dir_all`], subfolders in parallel: the previous site
/// of a large pack is thousands of files in a thousand folders. Symbolic
/// links are removed, never followed.
fn remove_tree(path: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return std::fs::remove_file(path);
    }
    let entries = std::fs::read_dir(path)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(path)
}

/// A folder being filled with a new site, beside the output folder.
#[derive(Debug)]
pub struct Staging {
    /// Where the site goes in the end.
    output: PathBuf,
    /// Where it is written first.
    dir: PathBuf,
    /// Held until the site is in place: two builds into one output folder
    /// take turns instead of mixing their files.
    _lock: std::fs::File,
    /// Files written so far, and how many of them are pages.
    files: AtomicUsize,
    pages: AtomicUsize,
    /// The folders made so far in `dir`.
    folders: Mutex<FxHashSet<PathBuf>>,
    /// Files of the previous site the new one keeps, put in at the commit.
    kept: Mutex<Vec<String>>,
    /// Files made by patching the previous site's, at the commit.
    patches: Mutex<Vec<patch::Patch>>,
}

impl Staging {
    /// Prepares a staging folder for `output`. Refuses an output folder that
    /// holds files but was not written by trainpack.
    pub fn new(output: &Path) -> Result<Staging> {
        refuse_foreign_folder(output)?;
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .context("the output folder has no name")?;
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_dir(parent)?;
        let lock = lock(&parent.join(format!(".{name}.lock")))?;
        // Holding the lock, no other build is writing: a staging folder left
        // by a build that was killed can go.
        remove_stale(parent, &name)?;
        let dir = parent.join(format!(".{name}.building-{}", std::process::id()));
        create_dir(&dir)?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            _lock: lock,
            files: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
            folders: Mutex::default(),
            kept: Mutex::default(),
            patches: Mutex::default(),
        })
    }

    /// The folder being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes the files into the staging folder, in parallel.
    pub fn write(&self, files: &[OutFile]) -> Result<()> {
        files.par_iter().try_for_each(|file| self.write_one(file))
    }

    fn write_one(&self, file: &OutFile) -> Result<()> {
        let target = self.dir.join(&file.path);
        match &file.content {
            Content::Bytes(bytes) => {
                self.make_parent(&target)?;
                write_in_place(&target, bytes)?
            }
            Content::Copy(from) => self.copy_one(from, &file.path, &target)?,
            Content::Spliced(spliced) => {
                self.make_parent(&target)?;
                write_spliced(&target, spliced)?
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }

    fn copy_one(&self, from: &Path, path: &str, target: &Path) -> Result<()> {
        let old = self.output.join(path);
        // A file of the previous site that is still current is kept:
        // linked, or moved with its whole folder, at the commit.
        if from == old || is_current_copy(from, &old) {
            if let Ok(mut kept) = self.kept.lock() {
                kept.push(path.to_owned());
            }
            return Ok(());
        }
        self.make_parent(target)?;
        // A file of the previous site is linked, not copied: nothing ever
        // writes to a site's files, and the old site goes away.
        if from.starts_with(&self.output) {
            link_in_place(from, target)
        } else {
            copy_in_place(from, target)
        }
    }

    fn make_parent(&self, path: &Path) -> Result<()> {
        match path.parent() {
            Some(parent) => self.make_folder(parent),
            None => Ok(()),
        }
    }

    /// Creates `folder` unless this build already did: a site of 1000
    /// modules is 14 000 files in 1000 folders, and asking for each file's
    /// folder again cost two system calls per file.
    fn make_folder(&self, folder: &Path) -> Result<()> {
        if self.folders.lock().is_ok_and(|f| f.contains(folder)) {
            return Ok(());
        }
        create_dir(folder)?;
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(folder.to_path_buf());
        }
        Ok(())
    }

    /// (pages, files) written so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.pages.load(Ordering::Relaxed),
            self.files.load(Ordering::Relaxed),
        )
    }

    /// Puts the kept files in, then the new site in place of the old one,
    /// then removes the old one.
    pub fn commit(self) -> Result<()> {
        let marker = b"This folder was written by trainpack; the next build replaces it.\n";
        write_file(&self.dir.join(MARKER), marker)?;
        let kept = std::mem::take(&mut *self.kept.lock().unwrap_or_else(|e| e.into_inner()));
        let moved = kept::place(kept, &self.output, &self.dir, &self.written_folders())?;
        let patched = match self.apply_patches() {
            Ok(patched) => patched,
            Err(e) => {
                moved.undo();
                return Err(e);
            }
        };
        if let Err(e) = swap_in(&self.dir, &self.output) {
            patched.into_iter().rev().for_each(patch::Patched::undo);
            moved.undo();
            return Err(e);
        }
        // After the swap the staging path holds the previous site (or nothing).
        remove_dir(&self.dir)
    }

    /// The folders this build wrote files into, and their parents,
    /// relative to the staging folder.
    fn written_folders(&self) -> FxHashSet<PathBuf> {
        let folders = self.folders.lock().unwrap_or_else(|e| e.into_inner());
        // Order does not matter: this makes a set.
        folders
            .iter()
            .filter_map(|folder| folder.strip_prefix(&self.dir).ok())
            .flat_map(Path::ancestors)
            .map(Path::to_path_buf)
            .collect()
    }
}

impl Staging {
    /// Notes a file to be made at the commit by patching the previous
    /// site's (see [`patch`]), when it can be; else hands it back.
    fn defer_patch(&self, file: OutFile) -> Result<Option<OutFile>> {
        let Content::Spliced(spliced) = file.content else {
            return Ok(Some(file));
        };
        if !patch::can_patch(&spliced) {
            let content = Content::Spliced(spliced);
            return Ok(Some(OutFile { content, ..file }));
        }
        let target = self.dir.join(&file.path);
        self.make_parent(&target)?;
        let mut patches = self.patches.lock().unwrap_or_else(|e| e.into_inner());
        patches.push(patch::Patch { target, spliced });
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(None)
    }

    /// Makes the files to be patched, in order; if one cannot be, those
    /// before it are put back.
    fn apply_patches(&self) -> Result<Vec<patch::Patched>> {
        let patches = std::mem::take(&mut *self.patches.lock().unwrap_or_else(|e| e.into_inner()));
        let mut patched = Vec::with_capacity(patches.len());
        for patch in &patches {
            match patch.apply() {
                Ok(done) => patched.push(done),
                Err(e) => {
                    patched.into_iter().rev().for_each(patch::Patched::undo);
                    return Err(e);
                }
            }
        }
        Ok(patched)
    }
}

impl Sink for Staging {
    fn put(&self, files: Vec<OutFile>) -> Result<()> {
        for file in files {
            if let Some(file) = self.defer_patch(file)? {
                self.write_one(&file)?;
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A build that failed leaves no half-written folder behind; after a
        // commit this removes the previous site, if anything is left of it.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Takes the output folder's lock, waiting for another build to finish.
fn lock(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .with_context(|| format!("cannot create the lock file `{}`", path.display()))?;
    file.lock()
        .with_context(|| format!("cannot lock `{}`", path.display()))?;
    Ok(file)
}

/// Removes the staging folders of earlier builds that did not finish.
fn remove_stale(parent: &Path, name: &str) -> Result<()> {
    let prefix = format!(".{name}.building-");
    let entries = parent
        .read_dir()
        .with_context(|| format!("cannot read `{}`", parent.display()))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with(&prefix) || file_name == format!(".{name}.old") {
            remove_dir(&entry.path())?;
        }
    }
    Ok(())
}

fn refuse_foreign_folder(output: &Path) -> Result<()> {
    if !output.exists() {
        return Ok(());
    }
    if !output.is_dir() {
        bail!(
            "the output `{}` is a file, not a folder; nothing was written (remove it, or choose another output folder)",
            output.display()
        );
    }
    let empty = output
        .read_dir()
        .with_context(|| format!("cannot read `{}`", output.display()))?
        .next()
        .is_none();
    if !empty && !output.join(MARKER).exists() {
        bail!(
            "the output folder `{}` holds files that trainpack did not write, and a build would replace them; nothing was written (empty or remove the folder, or choose another output folder with `--output` or `[build] output`)",
            output.display()
        );
    }
    Ok(())
}

/// Moves `new` to `output`. On Linux the two folders are exchanged in one
/// atomic step, so there is no moment without a site; elsewhere the old
/// folder is moved aside first.
fn swap_in(new: &Path, output: &Path) -> Result<()> {
    if !output.exists() {
        return rename(new, output);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, new, CWD, output, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    let aside = new.with_file_name(format!(
        ".{}.old",
        output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    remove_dir(&aside)?;
    rename(output, &aside)?;
    rename(new, output)?;
    rename(&aside, new)
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to)
        .with_context(|| format!("cannot move `{}` to `{}`", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn removing_a_folder_never_follows_links() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "mine").unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("modules/a")).unwrap();
        std::fs::write(site.join("modules/a/index.html"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, site.join("modules/link")).unwrap();
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&outside, &linked).unwrap();
        remove_dir(&site).unwrap();
        remove_dir(&linked).unwrap();
        assert!(!site.exists() && !linked.exists());
        assert!(outside.join("keep.txt").is_file());
        remove_dir(&dir.path().join("not-there")).unwrap();
    }

    #[test]
    fn a_new_site_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site");
        for text in ["first", "second"] {
            let staging = Staging::new(&output).unwrap();
            staging
                .write(&[OutFile::text("index.html", text.into())])
                .unwrap();
            staging.commit().unwrap();
            assert_eq!(
                std::fs::read_to_string(output.join("index.html")).unwrap(),
                text
            );
        }
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        // The lock file stays beside the site; no staging folder does.
        assert_eq!(left, [".site.lock", "site"]);
    }

    #[test]
    fn a_dropped_staging_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site");
        let staging = Staging::new(&output).unwrap();
        staging
            .write(&[OutFile::text("index.html", "old".into())])
            .unwrap();
        staging.commit().unwrap();
        let staging = Staging::new(&output).unwrap();
        staging
            .write(&[OutFile::text("index.html", "new".into())])
            .unwrap();
        drop(staging);
        assert_eq!(
            std::fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    // why: a build killed halfway leaves its staging folder; the next one
    // clears it.
    #[test]
    fn stale_staging_folders_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site");
        std::fs::create_dir(dir.path().join(".site.building-999999")).unwrap();
        let staging = Staging::new(&output).unwrap();
        staging
            .write(&[OutFile::text("index.html", "x".into())])
            .unwrap();
        staging.commit().unwrap();
        assert!(!dir.path().join(".site.building-999999").exists());
    }

    #[test]
    fn a_foreign_folder_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site");
        std::fs::create_dir(&output).unwrap();
        std::fs::write(output.join("notes.txt"), "mine").unwrap();
        let error = Staging::new(&output).unwrap_err().to_string();
        assert!(
            error.contains("holds files that trainpack did not write"),
            "{error}"
        );
        assert_eq!(
            std::fs::read_to_string(output.join("notes.txt")).unwrap(),
            "mine"
        );
    }

    fn set_time(path: &Path, time: std::time::SystemTime) {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(time).unwrap();
    }

    #[test]
    fn a_copy_of_an_old_source_is_current_until_the_source_changes() {
        let dir = tempfile::tempdir().unwrap();
        let (source, copy) = (dir.path().join("a.svg"), dir.path().join("b.svg"));
        std::fs::write(&source, "<svg/>").unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        set_time(&source, hour_ago);
        copy_in_place(&source, &copy).unwrap();
        assert_eq!(
            std::fs::metadata(&copy).unwrap().modified().unwrap(),
            hour_ago
        );
        assert!(is_current_copy(&source, &copy));
        std::fs::write(&source, "<svg>").unwrap();
        assert!(!is_current_copy(&source, &copy), "a save");
        std::fs::write(&source, "<svg />").unwrap();
        set_time(&source, hour_ago);
        assert!(!is_current_copy(&source, &copy), "another length");
        assert!(!is_current_copy(&source, &dir.path().join("none")));
    }

    // why: a save in the clock tick the source was copied in keeps its time.
    #[test]
    fn a_copy_of_a_fresh_source_is_compared_byte_by_byte() {
        let dir = tempfile::tempdir().unwrap();
        let (source, copy) = (dir.path().join("a.svg"), dir.path().join("b.svg"));
        std::fs::write(&source, "<svg/>").unwrap();
        copy_in_place(&source, &copy).unwrap();
        assert!(is_current_copy(&source, &copy));
        let time = std::fs::metadata(&source).unwrap().modified().unwrap();
        std::fs::write(&source, "<SVG/>").unwrap();
        set_time(&source, time);
        assert!(!is_current_copy(&source, &copy));
    }
}
