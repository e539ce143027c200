//! The pack's files on disk, for the stages after loading: the one reader
//! they are given (see [`crate::model::files`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::stays_inside;
use crate::model::files::PackFiles;
use crate::model::{MODULES_DIR, Pack};

/// Reads the files under the modules folder of the pack at `root`.
#[derive(Debug, Clone)]
pub struct PackReader {
    root: PathBuf,
    /// Pictures a translation takes from its original: its path, the
    /// original's (see `load/media.rs`).
    borrowed: BTreeMap<String, String>,
}

impl PackReader {
    /// A reader of the pack at `root`.
    pub fn new(root: &Path) -> PackReader {
        PackReader {
            root: root.to_path_buf(),
            borrowed: BTreeMap::new(),
        }
    }

    /// A reader of `pack`, which reads the pictures its translations take
    /// from their originals where they are.
    pub fn for_pack(pack: &Pack) -> PackReader {
        let borrowed = pack
            .languages()
            .flat_map(|part| &part.assets)
            .filter_map(|a| Some((a.path.clone(), a.source.clone()?)))
            .collect();
        PackReader {
            root: pack.root.clone(),
            borrowed,
        }
    }

    /// The file's place on disk, when it may be read: under `modules/` and
    /// inside the pack.
    fn place(&self, path: &str) -> Option<PathBuf> {
        let path = self.borrowed.get(path).map_or(path, String::as_str);
        let place = self.root.join(path);
        let under_modules = path
            .strip_prefix(MODULES_DIR)
            .is_some_and(|rest| rest.starts_with('/'))
            && !path.split('/').any(|part| part == "..");
        (under_modules && stays_inside(&self.root, &place)).then_some(place)
    }
}

impl PackFiles for PackReader {
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.place(path) {
            Some(place) => std::fs::read(place),
            None => Err(std::io::ErrorKind::PermissionDenied.into()),
        }
    }

    fn stamp(&self, path: &str) -> Option<(u64, Duration)> {
        let meta = std::fs::metadata(self.place(path)?).ok()?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        Some((meta.len(), modified))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: the PDFs may read the pack's pictures and nothing else.
    #[test]
    fn only_files_under_modules_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("modules/a")).unwrap();
        std::fs::write(dir.path().join("modules/a/x.png"), "png").unwrap();
        std::fs::write(dir.path().join("book.toml"), "[pack]").unwrap();
        let reader = PackReader::new(dir.path());
        assert_eq!(reader.read("modules/a/x.png").unwrap(), b"png");
        assert_eq!(reader.stamp("modules/a/x.png").unwrap().0, 3);
        assert!(reader.read("book.toml").is_err());
        assert!(reader.read("modules/../book.toml").is_err());
        assert!(reader.read("modulesx/a").is_err());
    }
}
