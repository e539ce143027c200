//! Helpers shared by the integration tests: fixture packs copied into fresh
//! temporary folders, and runs of the real `trainpack` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use trainpack::load::LoadOptions;

/// The folder of a fixture pack: `tests/fixtures/<group>/<name>`.
pub fn fixture(group: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(group)
        .join(name)
}

/// A fixture pack copied into a temporary folder, so tests may change it
/// and build into it without touching the repository.
pub struct TestPack {
    /// Keeps the folder alive until the test ends.
    _dir: TempDir,
    /// The pack's root, holding `book.toml`.
    pub root: PathBuf,
}

impl TestPack {
    /// Copies `tests/fixtures/<group>/<name>` into a fresh folder.
    pub fn copy(group: &str, name: &str) -> TestPack {
        TestPack::copy_dir(&fixture(group, name))
    }

    /// Copies any folder (such as the sample pack) into a fresh folder.
    pub fn copy_dir(source: &Path) -> TestPack {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("pack");
        copy_tree(source, &root);
        TestPack { _dir: dir, root }
    }

    /// A path inside the pack.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file of the pack, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Replaces the first `from` in a file of the pack with `to`; `from`
    /// must be there, so that an edit cannot silently do nothing.
    pub fn edit(&self, rel: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} lacks {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }
}

/// Copies a folder tree; the sample pack's `target/` and `site/` are left out.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if matches!(first.as_deref(), Some("target" | "site" | ".git")) {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The diagnostics of `trainpack check` on a pack, one `short()` form per
/// diagnostic, sorted as check prints them.
pub fn check_diagnostics(root: &Path) -> String {
    let report = trainpack::check(root, &LoadOptions::default());
    report
        .diagnostics
        .iter()
        .map(|d| d.short())
        .collect::<Vec<_>>()
        .join("\n")
        .replace(&root.display().to_string(), "[ROOT]")
}

/// What a run of the binary gave.
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `trainpack` with `args` in `dir`, with a clean environment: no
/// colour, no terminal, a fixed SOURCE_DATE_EPOCH.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_trainpack"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .expect("run trainpack");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Checks fixture `bad/<name>` and compares every diagnostic's short form.
pub fn assert_check(name: &str, expected: &str) {
    let actual = check_diagnostics(&fixture("bad", name));
    assert_eq!(actual, expected, "\nactual for {name}:\n{actual:?}\n");
}

/// A test that `check` gives fixture `bad/<name>` exactly `expected`.
macro_rules! bad {
    ($(#[$doc:meta])* $name:ident, $expected:expr) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            $crate::common::assert_check(stringify!($name), $expected);
        }
    };
}
pub(crate) use bad;
