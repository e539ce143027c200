//! `trainpack init`: a new pack that checks clean, and never overwrites.

use crate::common::{check_diagnostics, run_in};

// why: a new author's first command must give a pack that passes check.
#[test]
fn init_creates_a_pack_that_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_in(dir.path(), &["init", "new-pack"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("created a new pack in `new-pack`"),
        "{}",
        run.stdout
    );
    let root = dir.path().join("new-pack");
    assert!(root.join("book.toml").is_file());
    assert!(
        root.join("modules/01-getting-started/handouts/case-study.md")
            .is_file()
    );
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(ignore.contains("\n/site\n/.site.*\n"), "{ignore}");
    assert_eq!(check_diagnostics(&root), "");
    let check = run_in(&root, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("check: no problems found"),
        "{}",
        check.stdout
    );
}

// why: init must never overwrite an author's work.
#[test]
fn init_refuses_an_existing_pack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("book.toml"), "[pack]\ntitle = \"Mine\"\n").unwrap();
    let run = run_in(dir.path(), &["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim(),
        "error: `.` already holds a pack (it has a `book.toml`); nothing was changed"
    );
    let kept = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
    assert_eq!(kept, "[pack]\ntitle = \"Mine\"\n");
}

// why: a folder that is already a repository keeps its own ignore file.
#[test]
fn init_keeps_an_existing_gitignore() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "notes/\n").unwrap();
    let run = run_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains(".gitignore"), "{}", run.stdout);
    let kept = std::fs::read_to_string(dir.path().join(".gitignore")).unwrap();
    assert_eq!(kept, "notes/\n");
    assert!(dir.path().join("book.toml").is_file());
}
