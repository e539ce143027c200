//! Reuse of modules whose files did not change since the last load, so
//! `serve` re-reads only what an edit touched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{ModuleLoad, ModuleUnit};

/// Modules loaded before, with the state of their files at the time.
#[derive(Default)]
pub struct LoadCache {
    entries: Mutex<BTreeMap<PathBuf, Entry>>,
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

    /// The module of `unit`, reused when none of its files changed, else
    /// loaded by `load`. The flag is true when it was loaded afresh.
    pub(super) fn get_or_load(
        &self,
        unit: &ModuleUnit,
        load: impl FnOnce() -> ModuleLoad,
    ) -> (ModuleLoad, bool) {
        let now = stamps(unit);
        if let Ok(entries) = self.entries.lock()
            && let Some(entry) = entries.get(&unit.file)
            && entry.stamps == now
        {
            return (entry.load.clone(), false);
        }
        let fresh = load();
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                unit.file.clone(),
                Entry {
                    stamps: now,
                    load: fresh.clone(),
                },
            );
        }
        (fresh, true)
    }

    /// Forgets the modules under `dir` whose file is no longer in `present`.
    pub(super) fn retain(&self, dir: &Path, present: &BTreeSet<&Path>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|path, _| !path.starts_with(dir) || present.contains(path.as_path()));
        }
    }
}
