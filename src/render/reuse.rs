//! Pages of the previous build that the next one keeps. The site records,
//! per module, the fingerprint of everything its pages show and the pages
//! it wrote; a module whose fingerprint did not change gets the old pages
//! (hard links into the new site) instead of running the templates again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::render::{Content, OutFile};

/// The file in a site that lists each module's fingerprint and pages.
pub const MANIFEST: &str = ".trainpack-pages.json";

/// What a build wrote for each module, by slug.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct PageManifest {
    modules: BTreeMap<String, ModuleEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ModuleEntry {
    hash: String,
    files: Vec<String>,
}

impl PageManifest {
    /// Records a module's fingerprint and the paths of its pages.
    pub fn add(&mut self, slug: &str, hash: String, files: Vec<String>) {
        self.modules
            .insert(slug.to_string(), ModuleEntry { hash, files });
    }

    /// The manifest, as a file of the site.
    pub fn file(&self) -> OutFile {
        let json = serde_json::to_vec(self).unwrap_or_default();
        OutFile::bytes(MANIFEST, json)
    }
}

/// The pages of the previous site, if any.
#[derive(Debug, Default)]
pub struct PreviousPages {
    manifest: PageManifest,
    site: Option<PathBuf>,
}

impl PreviousPages {
    /// Reads the manifest of the site in `site`. A missing or unreadable
    /// manifest means nothing is reused.
    pub fn read(site: &Path) -> PreviousPages {
        let manifest = std::fs::read(site.join(MANIFEST))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        PreviousPages {
            manifest,
            site: Some(site.to_path_buf()),
        }
    }

    /// The previous pages of module `slug`, when they were made from the
    /// same fingerprint and are all still there.
    pub fn reuse(&self, slug: &str, hash: &str) -> Option<Vec<OutFile>> {
        let site = self.site.as_ref()?;
        let entry = self.manifest.modules.get(slug).filter(|e| e.hash == hash)?;
        entry
            .files
            .iter()
            .map(|path| {
                let file = site.join(path);
                file.is_file().then(|| OutFile {
                    path: path.clone(),
                    content: Content::Copy(file),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(manifest: &PageManifest, pages: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for page in pages {
            let path = dir.path().join(page);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "<p>old</p>").unwrap();
        }
        let file = manifest.file();
        std::fs::write(dir.path().join(&file.path), file.as_bytes().unwrap()).unwrap();
        dir
    }

    fn manifest() -> PageManifest {
        let mut manifest = PageManifest::default();
        manifest.add("a", "h1".into(), vec!["modules/a/index.html".into()]);
        manifest
    }

    #[test]
    fn same_fingerprint_reuses_the_old_pages() {
        let site = site_with(&manifest(), &["modules/a/index.html"]);
        let previous = PreviousPages::read(site.path());
        let files = previous.reuse("a", "h1").unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "modules/a/index.html");
        assert_eq!(
            files[0].content,
            Content::Copy(site.path().join("modules/a/index.html"))
        );
    }

    #[test]
    fn a_changed_fingerprint_or_a_lost_page_renders_again() {
        let site = site_with(&manifest(), &["modules/a/index.html"]);
        let previous = PreviousPages::read(site.path());
        assert!(previous.reuse("a", "h2").is_none());
        assert!(previous.reuse("b", "h1").is_none());
        std::fs::remove_file(site.path().join("modules/a/index.html")).unwrap();
        assert!(previous.reuse("a", "h1").is_none());
    }

    #[test]
    fn no_site_or_a_broken_manifest_reuses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        assert!(PreviousPages::read(dir.path()).reuse("a", "h1").is_none());
        std::fs::write(dir.path().join(MANIFEST), "{not json").unwrap();
        assert!(PreviousPages::read(dir.path()).reuse("a", "h1").is_none());
        assert!(PreviousPages::default().reuse("a", "h1").is_none());
    }
}
