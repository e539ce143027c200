//! Hostile file trees: symbolic links that lead the output folder into
//! the pack, or the pack's hidden files and its own site into the site;
//! names a USB stick or a Mac would merge; numbers out of range.

use std::os::unix::fs::symlink;

use crate::common::{TestPack, check_diagnostics, run_in};
use crate::site;

use super::{assert_table, pack_with_front_matter};

/// The text of a build's errors as printed, with the pack's folder as
/// `[ROOT]`.
fn build_errors(pack: &TestPack, args: &[&str]) -> String {
    let run = run_in(
        &pack.root,
        &[&["build", "--no-pdf", "--quiet"], args].concat(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    run.stderr
        .replace(&pack.root.display().to_string(), "[ROOT]")
}

const REFUSED_IN_MODULES: &str = "error: the output folder is inside `modules/`, so the next build would read the site as modules
 = hint: pass `--output` a folder of its own, such as `site`

1 error
nothing was written: the output folder was left as it was
";

// why: a symbolic link on the way must not slip the output folder into
// `modules/` (issue 18, item 3), from the command line or `book.toml`,
// nor when the pack itself is reached through a link.
#[test]
fn output_through_a_symbolic_link_into_modules_is_refused() {
    let pack = TestPack::copy("ok", "minimal");
    symlink("modules", pack.path("lnk")).unwrap();
    assert_eq!(
        build_errors(&pack, &["--output", "lnk/site"]),
        REFUSED_IN_MODULES
    );
    // The pack reached through a link, and the output through the same link.
    let outer = pack.root.parent().unwrap();
    symlink(&pack.root, outer.join("via")).unwrap();
    let run = run_in(
        outer,
        &["build", "--no-pdf", "via", "--output", "via/lnk/site"],
    );
    assert_eq!((run.code, run.stderr.as_str()), (1, REFUSED_IN_MODULES));
    assert!(!pack.path("modules/site").exists());
    // A link to a folder a build would create is followed all the same.
    symlink("modules/later", pack.path("pending")).unwrap();
    assert_eq!(
        build_errors(&pack, &["--output", "pending"]),
        REFUSED_IN_MODULES
    );
    assert!(!pack.path("modules/later").exists());
    // An output folder that is itself a link: the site goes where it leads,
    // and the link stays.
    symlink("../published", pack.path("public")).unwrap();
    let run = run_in(
        &pack.root,
        &["build", "--no-pdf", "--quiet", "--output", "public"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(outer.join("published/index.html").is_file());
    assert!(pack.path("public").is_symlink());
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[build]\noutput = \"lnk/site\"\n",
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        "book.toml:5:1: error: the output folder is inside `modules/`, so the next build would read the site as modules\n  hint: set `[build] output` to a folder of its own, such as \"site\""
    );
}

const HIDDEN_HINT: &str = "hint: remove the link: files and folders whose name starts with `.` stay out of the site; copy what the site needs under a name without the leading `.`";

// why: a link inside the pack must not publish what is hidden, such as
// `.env` or `.git` (issue 18, item 4), from `modules/` or the theme.
#[test]
fn links_to_hidden_files_are_errors() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(".env", "PASSWORD=secret\n");
    pack.write(".git/config", "[core]\n");
    pack.write("modules/media/.drafts/plan.png", "png");
    pack.write("themes/custom/static/ok.css", "body{}");
    pack.edit(
        "book.toml",
        "title = \"Minimal pack\"",
        "title = \"Minimal pack\"\n\n[theme]\nname = \"custom\"",
    );
    symlink("../.env", pack.path("modules/env.txt")).unwrap();
    symlink("../../.git", pack.path("modules/media/git")).unwrap();
    symlink(".drafts/plan.png", pack.path("modules/media/plan.png")).unwrap();
    symlink("../../../.git", pack.path("themes/custom/static/git")).unwrap();
    let hidden = |link: &str, target: &str, kind: &str| {
        format!(
            "{link}: error: this symbolic link leads to `{target}`, a hidden {kind}, which trainpack never publishes\n  {HIDDEN_HINT}"
        )
    };
    assert_eq!(
        check_diagnostics(&pack.root),
        [
            hidden("modules/env.txt", ".env", "file"),
            hidden("modules/media/git", ".git", "folder"),
            hidden(
                "modules/media/plan.png",
                "modules/media/.drafts/plan.png",
                "file"
            ),
            hidden("themes/custom/static/git", ".git", "folder"),
        ]
        .join("\n")
    );
    assert!(
        !run_in(&pack.root, &["build", "--no-pdf"])
            .stdout
            .contains("built")
    );
    assert!(!pack.path("site").exists());
    // Without the links it builds, and a hidden folder of the theme stays out.
    pack.write("themes/custom/static/.private/key.txt", "secret");
    for link in [
        "modules/env.txt",
        "modules/media/git",
        "modules/media/plan.png",
        "themes/custom/static/git",
    ] {
        std::fs::remove_file(pack.path(link)).unwrap();
    }
    let run = run_in(&pack.root, &["build", "--no-pdf", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = site::files(&pack.path("site"));
    assert!(files.contains(&"assets/ok.css".to_string()), "{files:?}");
    assert!(
        !files
            .iter()
            .any(|f| f.contains("private") || f.contains("drafts")),
        "{files:?}"
    );
}

const OUTPUT_HINT: &str = "hint: remove the link: the site is written to the output folder, never read from it; keep the files the site needs under `modules/`";

// why: a link to the output folder, or to a folder holding it, would copy
// the site into itself, deeper at every build (issue 18, item 4).
#[test]
fn links_to_the_output_never_copy_the_site_into_itself() {
    let pack = TestPack::copy("ok", "minimal");
    let run = run_in(&pack.root, &["build", "--no-pdf", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = site::files(&pack.path("site"));
    std::fs::create_dir_all(pack.path("modules/media")).unwrap();
    symlink("../../site", pack.path("modules/media/site")).unwrap();
    let refused = format!(
        "error: this symbolic link leads to the output folder `site`, so each build would copy the site into itself\n = in `modules/media/site`\n = {OUTPUT_HINT}\n\n1 error\nnothing was written: the output folder was left as it was\n"
    );
    for _ in 0..2 {
        assert_eq!(build_errors(&pack, &[]), refused);
        assert_eq!(site::files(&pack.path("site")), before);
    }
    // A folder that holds the output, from `modules/` and from the theme.
    std::fs::remove_file(pack.path("modules/media/site")).unwrap();
    pack.write("out/site/.trainpack-site", "");
    pack.write("out/site/index.html", "old");
    pack.write("themes/custom/static/ok.css", "body{}");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[build]\noutput = \"out/site\"\n\n[theme]\nname = \"custom\"\n",
    );
    symlink("../../out", pack.path("modules/media/out")).unwrap();
    symlink(
        "../../../out/site/index.html",
        pack.path("themes/custom/static/old.html"),
    )
    .unwrap();
    assert_eq!(
        check_diagnostics(&pack.root),
        format!(
            "modules/media/out: error: this symbolic link leads to `out`, which holds the output folder `out/site`, so each build would copy the site into itself\n  {OUTPUT_HINT}\nthemes/custom/static/old.html: error: this symbolic link leads into the output folder `out/site`, which each build replaces\n  {OUTPUT_HINT}"
        )
    );
    let before = site::files(&pack.path("out/site"));
    let run = run_in(&pack.root, &["build", "--no-pdf", "--quiet"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(site::files(&pack.path("out/site")), before);
    // `--output` is checked against the links as `[build] output` is.
    std::fs::remove_file(pack.path("modules/media/out")).unwrap();
    std::fs::remove_file(pack.path("themes/custom/static/old.html")).unwrap();
    pack.write("public/.trainpack-site", "");
    symlink("../../public", pack.path("modules/media/public")).unwrap();
    assert_eq!(check_diagnostics(&pack.root), "");
    assert_eq!(
        build_errors(&pack, &["--output", "public"]).lines().next(),
        Some(
            "error: this symbolic link leads to the output folder `public`, so each build would copy the site into itself"
        )
    );
}

// why: a site copied onto a USB stick, Windows or a Mac keeps one of two
// names that differ only in capital letters or in how accents are
// encoded (issue 18, item 9): `check` names both.
#[test]
fn names_that_a_usb_stick_would_merge_are_warned() {
    let pack = TestPack::copy("ok", "minimal");
    let module = "+++\ntitle = \"Roles\"\n+++\n\nText.\n";
    pack.write("modules/ABC.md", module);
    pack.write("modules/abc.md", module);
    pack.write("modules/roles/module.md", module);
    pack.write(
        "modules/roles/handouts/Case.md",
        "+++\ntitle = \"Case\"\n+++\n\nText.\n",
    );
    pack.write(
        "modules/roles/handouts/case.md",
        "+++\ntitle = \"Case\"\n+++\n\nText.\n",
    );
    pack.write("modules/roles/media/X.png", "png");
    pack.write("modules/roles/media/x.png", "png");
    pack.write("modules/roles/media/Caf\u{e9}.png", "png");
    pack.write("modules/roles/media/Cafe\u{301}.png", "png");
    // Different folders in the pack, the same folder in the site: none.
    pack.write("modules/roles/media/y.png", "png");
    pack.write("modules/roles/img/Y.png", "png");
    let case = "would have the same name in the site on a USB stick, Windows or a Mac: the names differ only in capital letters\n  hint: rename one of them: those systems ignore capital letters in names, so the two would become one";
    assert_eq!(
        check_diagnostics(&pack.root),
        [
            format!("modules/abc.md: warning: `modules/abc.md` and `modules/ABC.md` {case}"),
            format!("modules/roles/handouts/case.md: warning: `modules/roles/handouts/case.md` and `modules/roles/handouts/Case.md` {case}"),
            "modules/roles/media/Caf\u{e9}.png: warning: `modules/roles/media/Caf\u{e9}.png` and `modules/roles/media/Cafe\u{301}.png` would have the same name in the site on a Mac: the names are the same, with accents written in two ways\n  hint: rename one of them, or type its name again: macOS takes the two ways of writing an accent as one, so the two would become one".to_string(),
            format!("modules/roles/media/x.png: warning: `modules/roles/media/x.png` and `modules/roles/media/X.png` {case}"),
        ]
        .join("\n")
    );
}

// why: an out-of-range number said "must be a whole number, found a whole
// number" (issue 18, item 10); every whole number and duration says its range.
#[test]
fn out_of_range_numbers_say_the_range() {
    let hint = "hint: write a duration such as \"2h\", \"90min\" or \"1h30\"";
    let cases = [
        (
            "number = 99999999999999999999",
            "modules/intro.md:3:10: error: `number` in front matter must be a whole number from 0 to 4294967295, found 99999999999999999999\n  hint: write a number without quotes, as in `number = 5`".to_string(),
        ),
        (
            "number = 0x1_0000_0000",
            "modules/intro.md:3:10: error: `number` in front matter must be a whole number from 0 to 4294967295, found 0x1_0000_0000\n  hint: write a number without quotes, as in `number = 5`".to_string(),
        ),
        (
            "duration = 99999999999",
            format!("modules/intro.md:3:12: error: `duration` must be from 0 to 4294967295 minutes, found \"99999999999\"\n  {hint}"),
        ),
        (
            "duration = \"-1h\"",
            format!("modules/intro.md:3:12: error: `duration` must be from 0 to 4294967295 minutes, found \"-1h\"\n  {hint}"),
        ),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_table(&cases, |line| {
        check_diagnostics(&pack_with_front_matter(line).root)
    });
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "modules/intro.md",
        "+++\ntitle = \"Intro\"\n+++\n\n::: activity title=\"Long\" minutes=99999999999\nDo it.\n:::\n",
    );
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[schedule]\nstart = \"09:00\"\nbreaks = [ { at = \"10:30\", minutes = 5000000000 } ]\n",
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        format!(
            "book.toml:6:38: error: `minutes` must be from 0 to 4294967295 minutes, found \"5000000000\"\n  {hint}\nmodules/intro.md:5:27: error: `minutes=99999999999` must be from 0 to 4294967295 minutes\n  hint: write a number of minutes, as in `minutes=10`, or a duration such as `minutes=\"1h30\"`"
        )
    );
}
