//! `trainpack init`: writes a small pack that checks clean and builds, for
//! authors to start from.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::model::config::CONFIG_FILE;
use crate::output;

/// The files of a new pack: (path, contents).
const FILES: [(&str, &str); 3] = [
    (CONFIG_FILE, include_str!("init/book.toml")),
    (
        "modules/01-getting-started/module.md",
        include_str!("init/module.md"),
    ),
    (
        "modules/01-getting-started/handouts/case-study.md",
        include_str!("init/handouts/case-study.md"),
    ),
];

/// What git should not track in a pack: what builds write.
const IGNORE: (&str, &str) = (".gitignore", include_str!("init/gitignore"));

/// Creates a new pack in `dir`. Refuses to touch a folder that already holds
/// a pack or modules, so nothing is ever overwritten.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    if dir.join(CONFIG_FILE).exists() {
        bail!(
            "`{}` already holds a pack (it has a `{CONFIG_FILE}`); nothing was changed",
            dir.display()
        );
    }
    let modules = dir.join("modules");
    if modules.exists()
        && modules
            .read_dir()
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        bail!(
            "`{}` already has a `modules/` folder; nothing was changed",
            dir.display()
        );
    }
    let mut written = Vec::new();
    for (path, text) in FILES.into_iter().chain([IGNORE]) {
        // A folder that is already a repository keeps its own ignore file.
        if path == IGNORE.0 && dir.join(path).exists() {
            continue;
        }
        output::write_file(&dir.join(path), text.as_bytes())
            .with_context(|| format!("cannot create the pack in `{}`", dir.display()))?;
        written.push(path.to_string());
    }
    Ok(written)
}
