//! Symbolic links inside the pack: where they really lead, and the two
//! places they may never lead even inside the pack: a hidden file or
//! folder (`.env`, `.git`), which would be published, and the output
//! folder, which a build would copy into itself, growing at every build.

use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

use super::rel_path;
use crate::model::Symlink;

/// `path` made absolute with every symbolic link resolved, as far as it
/// exists: the longest part that exists is resolved by the file system,
/// then a link that leads to nothing yet is followed by hand, and the rest
/// (folders a build would create) is appended as written.
pub fn real_path(path: &Path) -> PathBuf {
    // As many links in a chain as Linux follows before it gives up.
    resolve(path, 40)
}

fn resolve(path: &Path, hops: usize) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for existing in absolute.ancestors() {
        let Ok(real) = existing.canonicalize() else {
            continue;
        };
        let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
        if let Some(first) = rest.components().next()
            && hops > 0
            && let Ok(target) = std::fs::read_link(real.join(first))
        {
            let after = rest.strip_prefix(first).unwrap_or(Path::new(""));
            return resolve(&real.join(target).join(after), hops - 1);
        }
        // What follows does not exist, so holds no link: `..` in it can
        // be dropped as written.
        return lexical(&real.join(rest));
    }
    lexical(&absolute)
}

fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The error for a link that stays inside the pack but leads to a hidden
/// file or folder, or into one: `root` and `target` are resolved paths.
pub fn hidden_link(root: &Path, link: &Path, target: &Path) -> Option<Diagnostic> {
    let inside = target.strip_prefix(root).ok()?;
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    if !hidden {
        return None;
    }
    let kind = if target.is_dir() { "folder" } else { "file" };
    Some(
        Diagnostic::error(format!(
            "this symbolic link leads to `{}`, a hidden {kind}, which trainpack never publishes",
            rel_path(root, target)
        ))
        .in_file(rel_path(root, link))
        .hint("remove the link: files and folders whose name starts with `.` stay out of the site; copy what the site needs under a name without the leading `.`"),
    )
}

/// An error for each link that leads to the output folder, to a folder
/// that holds it, or into it: a build would publish the previous site
/// inside the new one. `output` is a resolved path.
pub fn links_to_output<'a>(
    root: &Path,
    links: impl IntoIterator<Item = &'a Symlink>,
    output: &Path,
) -> Vec<Diagnostic> {
    let shown = rel_path(root, output);
    links
        .into_iter()
        .filter_map(|link| {
            let message = if link.target == output {
                format!("this symbolic link leads to the output folder `{shown}`, so each build would copy the site into itself")
            } else if output.starts_with(&link.target) {
                format!(
                    "this symbolic link leads to `{}`, which holds the output folder `{shown}`, so each build would copy the site into itself",
                    rel_path(root, &link.target)
                )
            } else if link.target.starts_with(output) {
                format!("this symbolic link leads into the output folder `{shown}`, which each build replaces")
            } else {
                return None;
            };
            Some(
                Diagnostic::error(message)
                    .in_file(&link.path)
                    .hint("remove the link: the site is written to the output folder, never read from it; keep the files the site needs under `modules/`"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_paths_resolve_the_part_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("modules")).unwrap();
        std::os::unix::fs::symlink("modules", real.join("lnk")).unwrap();
        assert_eq!(
            real_path(&real.join("lnk/site/../out")),
            real.join("modules/out")
        );
        assert_eq!(real_path(&real.join("lnk/..")), real);
        assert_eq!(real_path(&real.join("new/a")), real.join("new/a"));
        // A link to a folder that does not exist yet leads there all the same.
        std::os::unix::fs::symlink("modules/new", real.join("later")).unwrap();
        assert_eq!(real_path(&real.join("later/a")), real.join("modules/new/a"));
        std::os::unix::fs::symlink("loop", real.join("loop")).unwrap();
        assert_eq!(real_path(&real.join("loop")), real.join("loop"));
    }
}
