//! `trainpack theme export`: the default theme written out as files, to
//! start a theme of one's own.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::write_file;
use crate::load::theme::{default_file, default_paths};

/// Writes the default theme into `dir` for authors to start from. Refuses to
/// write into a folder that already has files.
pub fn export_theme(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists()
        && dir
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!("`{}` is not empty; nothing was written", dir.display());
    }
    let mut written = Vec::new();
    for path in default_paths() {
        let bytes = default_file(&path).context("embedded theme file disappeared")?;
        let target = dir.join(&path);
        write_file(&target, &bytes)?;
        written.push(target);
    }
    Ok(written)
}
