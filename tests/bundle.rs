//! `trainpack bundle`: the built site in one zip, README.txt first, read
//! back by Python's `zipfile` (a reader trainpack did not write).

use std::path::Path;
use std::process::Command;

use crate::common::{TestPack, run_in};
use crate::site;

/// The zip's entries as Python's zipfile reads them, one line each:
/// name, date, mode, method; then "ok" when every CRC matches.
fn entries(zip: &Path) -> Vec<String> {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n    print(i.filename, i.date_time, oct(i.external_attr >> 16), i.compress_type)\nprint('ok' if z.testzip() is None else 'bad crc')\n";
    let out = Command::new("python3")
        .args(["-c", script, zip.to_str().unwrap()])
        .output()
        .expect("python3 is needed (scripts/install-test-deps)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

/// Every file of the site but the hidden bookkeeping ones, `/`-separated.
fn site_files(site: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(site).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .filter(|rel| !rel.split('/').any(|part| part.starts_with('.')))
        .collect();
    files.sort();
    files
}

// why: the checks: every file of the built site is in the zip,
// README.txt first, sorted, dated 1980-01-01, mode 0644, deflated; two
// bundles of the same pack are byte-identical; the size report is printed.
#[test]
fn a_bundle_holds_the_whole_site_and_is_reproducible() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let run = run_in(&pack.root, &["bundle", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let zip = pack.path("bundle/child-protection-for-un-police.zip");
    assert!(run.stdout.contains("bundle: "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("per module (unpacked):\n  fr/modules/04-coordination"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("largest files:\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("wrote `{}`", zip.display())),
        "{}",
        run.stdout
    );
    let first = std::fs::read(&zip).unwrap();
    let lines = entries(&zip);
    assert_eq!(lines.last().unwrap(), "ok");
    let names: Vec<&str> = lines[..lines.len() - 1]
        .iter()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(names[0], "README.txt");
    let mut expected = site_files(&pack.path("site"));
    assert!(expected.iter().any(|f| f.ends_with("slides-notes.pdf")));
    assert!(expected.contains(&"index.html".to_string()));
    expected.insert(0, "README.txt".into());
    assert_eq!(names, expected);
    for line in &lines[..lines.len() - 1] {
        assert!(
            line.ends_with(" (1980, 1, 1, 0, 0, 0) 0o100644 8"),
            "{line}"
        );
    }
    // A second bundle, after a build that changed every file's time, is
    // the same bytes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let again = pack.path("again.zip");
    let run = run_in(
        &pack.root,
        &["bundle", "--quiet", "--out", again.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read(&again).unwrap() == first,
        "two bundles differ"
    );
}

// why: the README says how to open the bundle, in the pack's language.
#[test]
fn the_readme_is_in_the_packs_language() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Paquet minimal\"\nlanguage = \"fr\"\n",
    );
    let run = run_in(&pack.root, &["bundle", "-q", "--out", "out.zip"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let script = "import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('README.txt').decode('utf-8-sig'))";
    let out = Command::new("python3")
        .args(["-c", script, pack.path("out.zip").to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Paquet minimal : le kit de formation, à utiliser sans internet\r\n"),
        "{text}"
    );
    assert!(text.contains("ouvrez index.html"), "{text}");
}

// why: a pack with errors is not bundled, and a zip asked for inside the
// site (which the build replaces) is refused, with nothing written.
#[test]
fn a_broken_pack_or_a_zip_in_the_site_writes_nothing() {
    let pack = TestPack::copy("ok", "minimal");
    let run = run_in(&pack.root, &["bundle", "--out", "site/pack.zip"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let inside = std::path::absolute(pack.path("site/pack.zip")).unwrap();
    assert_eq!(
        run.stderr,
        format!(
            "error: `{}` is inside the site's folder\n = hint: pass `--out` a file outside the modules and the site, such as `bundle/pack.zip`\n\n1 error\nnothing was written\n",
            inside.display()
        )
    );
    pack.write("modules/intro.md", "+++\ntitle = 3\n+++\n");
    let run = run_in(&pack.root, &["bundle"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert!(!pack.path("bundle").exists());
}
