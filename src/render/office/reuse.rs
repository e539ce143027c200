//! The Office files of the previous build that this one keeps: the site's
//! manifest of each module's fingerprint and files, read through the
//! [`Cache`]. A module whose fingerprint is unchanged, and whose files are
//! all still in the site, has them copied instead of made again.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::render::cache::Cache;
use crate::render::reuse::read_json;
use crate::render::{Content, OutFile};

/// The file in a site that lists each module's Office files.
pub const MANIFEST: &str = ".trainpack-office.json";

/// What the manifest records of one module.
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
    /// The previous site's manifest, from `cache`.
    pub fn read(cache: Arc<dyn Cache>) -> PreviousOffice {
        PreviousOffice {
            modules: read_json(cache.site_bytes(MANIFEST)),
            cache,
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

/// The Office files a build wrote, for the next build's manifest.
#[derive(Debug, Default)]
pub struct OfficeOutput {
    /// Each module's fingerprint and files.
    pub modules: BTreeMap<String, ModuleFiles>,
    /// Files written.
    pub written: usize,
    /// Of those, made rather than copied.
    pub made: usize,
}

impl OfficeOutput {
    /// The manifest file, for the site.
    pub fn manifest_file(&self) -> OutFile {
        OutFile::bytes(
            MANIFEST,
            serde_json::to_vec_pretty(&self.modules).unwrap_or_default(),
        )
    }
}
