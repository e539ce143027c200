//! A file of the new site made by patching the previous site's copy of it
//! where it is, at the commit: the course book after a small edit.
//!
//! A spliced file ([`Spliced`]) whose kept stretches are all where they
//! were in the previous file is that file with a few blocks and its end
//! written over. Copying a 350 MiB course book to change 100 KiB of it
//! took a tenth of a second, and as long again for the system to write
//! the copy to disk and to drop the old one. So the old file is patched
//! and moved into the new site instead, at the commit, when nothing else
//! can fail but the swap; the bytes it overwrites are kept in memory, and
//! put back if the patch or the swap fails, so a failed build still
//! leaves the previous site as it was.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::render::{Splice, Spliced};

/// A file to patch at the commit: where it goes in the staging folder.
#[derive(Debug)]
pub(super) struct Patch {
    pub(super) target: PathBuf,
    pub(super) spliced: Spliced,
}

/// A file patched and moved into the staging folder, with what it takes
/// to put it back.
#[derive(Debug)]
#[must_use]
pub(super) struct Patched {
    previous: PathBuf,
    target: PathBuf,
    /// The file's length before.
    len: u64,
    /// The bytes overwritten, by offset.
    saved: Vec<(u64, Vec<u8>)>,
}

/// True when `spliced` can be made by patching its previous file: its
/// kept stretches are in place, and no other name shares the file (a
/// hard link would see the patch).
pub(super) fn can_patch(spliced: &Spliced) -> bool {
    spliced.in_place() && only_name(&spliced.previous)
}

#[cfg(unix)]
fn only_name(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.nlink() == 1)
}

#[cfg(not(unix))]
fn only_name(_: &Path) -> bool {
    false
}

impl Patch {
    /// Patches the previous file and moves it to the target; on failure
    /// the previous file is as it was.
    pub(super) fn apply(&self) -> Result<Patched> {
        let previous = &self.spliced.previous;
        let file = File::options()
            .read(true)
            .write(true)
            .open(previous)
            .with_context(|| format!("cannot open `{}`", previous.display()))?;
        let mut patched = Patched {
            previous: previous.clone(),
            target: self.target.clone(),
            len: file.metadata()?.len(),
            saved: Vec::new(),
        };
        let written = patched
            .save(&file, &self.spliced)
            .and_then(|()| write(&file, &self.spliced))
            .and_then(|()| std::fs::rename(previous, &self.target));
        match written {
            Ok(()) => Ok(patched),
            Err(error) => {
                patched.restore(&file);
                Err(error).with_context(|| format!("cannot patch `{}`", previous.display()))
            }
        }
    }
}

impl Patched {
    /// Keeps the bytes that `spliced` writes over, and those past its end.
    fn save(&mut self, file: &File, spliced: &Spliced) -> std::io::Result<()> {
        let len: u64 = spliced.splices.iter().map(Splice::size).sum();
        let own = own_stretches(spliced).into_iter();
        let stretches = own.map(|(at, range)| (at, at + range.len() as u64));
        for (at, end) in stretches.chain([(len, self.len)]) {
            let end = end.min(self.len);
            let mut bytes = vec![0; end.saturating_sub(at) as usize];
            read_at(file, &mut bytes, at)?;
            self.saved.push((at, bytes));
        }
        Ok(())
    }

    fn restore(&self, file: &File) {
        for (at, bytes) in &self.saved {
            let _ = write_at(file, bytes, *at);
        }
        let _ = file.set_len(self.len);
    }

    /// Moves the file back into the previous site, as it was.
    pub(super) fn undo(self) {
        let _ = std::fs::rename(&self.target, &self.previous);
        if let Ok(file) = File::options().write(true).open(&self.previous) {
            self.restore(&file);
        }
    }
}

/// Each stretch of `spliced`'s own bytes, with its offset in the file.
fn own_stretches(spliced: &Spliced) -> Vec<(u64, std::ops::Range<usize>)> {
    let mut at = 0;
    let mut own = Vec::new();
    for splice in &spliced.splices {
        if let Splice::Own(range) = splice {
            own.push((at, range.clone()));
        }
        at += splice.size();
    }
    own
}

fn write(file: &File, spliced: &Spliced) -> std::io::Result<()> {
    for (at, range) in own_stretches(spliced) {
        write_at(file, &spliced.bytes[range], at)?;
    }
    file.set_len(spliced.splices.iter().map(Splice::size).sum())
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

// Never called: `can_patch` is false off Unix.
#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(dir: &Path) -> Patch {
        let previous = dir.join("old.pdf");
        std::fs::write(&previous, b"aaaaBBBBccccDDDD").unwrap();
        Patch {
            target: dir.join("new.pdf"),
            spliced: Spliced {
                bytes: b"xxxxyy".to_vec(),
                splices: vec![
                    Splice::Previous(0..4),
                    Splice::Own(0..4),
                    Splice::Previous(8..12),
                    Splice::Own(4..6),
                ],
                previous,
            },
        }
    }

    #[test]
    fn a_file_patched_in_place_moves_into_the_new_site_and_can_go_back() {
        let dir = tempfile::tempdir().unwrap();
        let patch = patch(dir.path());
        assert!(can_patch(&patch.spliced));
        let patched = patch.apply().unwrap();
        assert_eq!(std::fs::read(&patch.target).unwrap(), b"aaaaxxxxccccyy");
        assert!(!patch.spliced.previous.exists());
        patched.undo();
        let back = std::fs::read(&patch.spliced.previous).unwrap();
        assert_eq!(back, b"aaaaBBBBccccDDDD");
    }

    // why: a patch that fails halfway must leave the previous site's file
    // as it was: a failed build never damages the site it replaces.
    #[test]
    fn a_patch_that_cannot_finish_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut patch = patch(dir.path());
        patch.target = dir.path().join("missing-folder/new.pdf");
        let error = patch.apply().unwrap_err();
        assert!(
            format!("{error:#}").starts_with("cannot patch `"),
            "{error:#}"
        );
        let kept = std::fs::read(&patch.spliced.previous).unwrap();
        assert_eq!(kept, b"aaaaBBBBccccDDDD");
    }

    #[test]
    fn a_file_with_another_name_or_moved_stretches_is_copied_instead() {
        let dir = tempfile::tempdir().unwrap();
        let mut patch = patch(dir.path());
        std::fs::hard_link(&patch.spliced.previous, dir.path().join("link.pdf")).unwrap();
        assert!(!can_patch(&patch.spliced), "the link would change too");
        std::fs::remove_file(dir.path().join("link.pdf")).unwrap();
        patch.spliced.splices[2] = Splice::Previous(4..8);
        assert!(!can_patch(&patch.spliced));
    }
}
