//! Reuse of modules whose files did not change since the last load, so
//! `serve` re-reads only what an edit touched.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{ModuleLoad, ModuleUnit, Walked};
use crate::diag::Diagnostics;

/// Modules loaded before, with the state of their files at the time.
#[derive(Default)]
pub struct LoadCache {
    /// By the module file's path as bytes: comparing `Path`s goes component
    /// by component, and a pack of a thousand modules compares many.
    entries: Mutex<BTreeMap<OsString, Entry>>,
    /// The last walk of each modules folder, with its diagnostics.
    walks: Mutex<BTreeMap<String, (Walked, Diagnostics)>>,
    /// When set, the only files that changed since the last load, as the
    /// file watcher saw them: the folders need no new walk and the other
    /// files no new look.
    changed: Mutex<Option<BTreeSet<PathBuf>>>,
}

struct Entry {
    stamps: Vec<Stamp>,
    load: ModuleLoad,
}

/// What tells that a file changed: its length and modification time.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

fn stamps(unit: &ModuleUnit) -> Vec<Stamp> {
    std::iter::once(&unit.file)
        .chain(&unit.handouts)
        .map(|path| {
            let meta = std::fs::metadata(path).ok();
            Stamp {
                path: path.clone(),
                len: meta.as_ref().map_or(0, std::fs::Metadata::len),
                modified: meta.and_then(|m| m.modified().ok()),
            }
        })
        .collect()
}

impl LoadCache {
    /// An empty cache.
    pub fn new() -> LoadCache {
        LoadCache::default()
    }

    /// Tells the cache which files changed since the last load, when only
    /// the contents of existing files did (no file added, removed or
    /// renamed); `None` makes the next load look at everything.
    pub fn set_changed(&self, changed: Option<BTreeSet<PathBuf>>) {
        if let Ok(mut slot) = self.changed.lock() {
            *slot = changed;
        }
    }

    fn known_changes(&self) -> Option<BTreeSet<PathBuf>> {
        self.changed.lock().ok().and_then(|c| c.clone())
    }

    /// The walk of a modules folder: the last one when no file was added
    /// or removed since, else a new one by `walk`.
    pub(super) fn walk(
        &self,
        dir: &str,
        walk: impl FnOnce() -> (Walked, Diagnostics),
        diags: &mut Diagnostics,
    ) -> Walked {
        if self.known_changes().is_some()
            && let Some((walked, found)) = self.walks.lock().ok().and_then(|w| w.get(dir).cloned())
        {
            diags.extend(found);
            return walked;
        }
        let (walked, found) = walk();
        diags.extend(found.clone());
        if let Ok(mut walks) = self.walks.lock() {
            walks.insert(dir.to_string(), (walked.clone(), found));
        }
        walked
    }

    /// The module of `unit`, reused when none of its files changed, else
    /// loaded by `load`. The flag is true when it was loaded afresh.
    pub(super) fn get_or_load(
        &self,
        unit: &ModuleUnit,
        load: impl FnOnce() -> ModuleLoad,
    ) -> (ModuleLoad, bool) {
        // When the watcher says which files changed, the others need no stat.
        if let Some(changed) = self.known_changes() {
            let touched = std::iter::once(&unit.file)
                .chain(&unit.handouts)
                .any(|f| changed.contains(f));
            if !touched
                && let Ok(entries) = self.entries.lock()
                && let Some(entry) = entries.get(unit.file.as_os_str())
            {
                return (entry.load.clone(), false);
            }
        }
        let now = stamps(unit);
        if let Ok(entries) = self.entries.lock()
            && let Some(entry) = entries.get(unit.file.as_os_str())
            && entry.stamps == now
        {
            return (entry.load.clone(), false);
        }
        let fresh = load();
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                unit.file.clone().into_os_string(),
                Entry {
                    stamps: now,
                    load: fresh.clone(),
                },
            );
        }
        (fresh, true)
    }

    /// Forgets the modules under `dir` whose file is no longer in `present`.
    pub(super) fn retain(&self, dir: &Path, present: &[&Path]) {
        let present: BTreeSet<&OsStr> = present.iter().map(|p| p.as_os_str()).collect();
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|path, _| {
                !Path::new(path).starts_with(dir) || present.contains(path.as_os_str())
            });
        }
    }
}
