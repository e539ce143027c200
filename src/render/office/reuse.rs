//! The Office files of the previous build that this one keeps: the cache's
//! record of each module's fingerprint and files (not in the site: the
//! fingerprint holds the pictures' modification times, and a site's bytes
//! must not depend on when its files were touched), read and written
//! through the [`Cache`]. A module whose fingerprint is unchanged, and
//! whose files are all still in the site, has them copied instead of made
//! again.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::render::cache::{Cache, CacheEntry};
use crate::render::reuse::read_json;
use crate::render::{Content, OutFile};

/// What the record holds of one module.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ModuleFiles {
    /// The fingerprint of everything its files show.
    pub hash: String,
    /// Its files, by path in the site.
    pub files: Vec<String>,
}

/// The previous site's Office files.
pub struct PreviousOffice {
    modules: BTreeMap<String, ModuleFiles>,
    cache: Arc<dyn Cache>,
}

impl PreviousOffice {
    /// The previous build's record, from `cache`.
    pub fn read(cache: Arc<dyn Cache>) -> PreviousOffice {
        PreviousOffice {
            modules: read_json(cache.get(CacheEntry::OfficeRecord)),
            cache,
        }
    }

    /// Records each module's files of `output` for the next build.
    pub fn remember(&self, output: &OfficeOutput) {
        if let Ok(json) = serde_json::to_vec(&output.modules) {
            self.cache.put(CacheEntry::OfficeRecord, &json);
        }
    }

    /// The files of module `slug`, copied from the previous site, when
    /// they were made from fingerprint `hash` and are all still there.
    pub fn reuse(&self, slug: &str, hash: &str) -> Option<Vec<OutFile>> {
        let module = self.modules.get(slug).filter(|m| m.hash == hash)?;
        module
            .files
            .iter()
            .map(|path| {
                Some(OutFile {
                    path: path.clone(),
                    content: Content::Copy(self.cache.site_file(path)?),
                })
            })
            .collect()
    }
}

/// The Office files a build wrote, for the next build's record.
#[derive(Debug, Default)]
pub struct OfficeOutput {
    /// Each module's fingerprint and files.
    pub modules: BTreeMap<String, ModuleFiles>,
    /// Files written.
    pub written: usize,
    /// Of those, made rather than copied.
    pub made: usize,
}
