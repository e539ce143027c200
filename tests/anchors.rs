//! Anchors and links to Markdown files: what `check` accepts is what the
//! pages really have, and a link to a module's or handout's file leads to
//! its page.

use crate::common::{TestPack, check_diagnostics, fixture, run_in};

// why: `check` computes a page's anchors apart from the renderer; every
// anchor it accepts must be an id the built page has.
#[test]
fn accepted_anchors_are_ids_of_the_built_pages() {
    assert_eq!(check_diagnostics(&fixture("ok", "anchors")), "");
    let pack = TestPack::copy("ok", "anchors");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let read = |rel: &str| std::fs::read_to_string(pack.path(rel)).unwrap();
    let guide = read("site/modules/01-intro/index.html");
    for id in ["repeat-2", "activity-1", "inside", "slide-1", "custom"] {
        assert!(guide.contains(&format!("id=\"{id}\"")), "no id {id}");
    }
    let sheet = read("site/modules/01-intro/handouts/sheet.html");
    assert!(sheet.contains("id=\"part-b\""), "{sheet}");
    let roles = read("site/modules/02-roles/index.html");
    assert!(roles.contains("id=\"who\""), "{roles}");
    // Links to Markdown files are rewritten to the pages they become.
    assert!(
        guide.contains("href=\"../02-roles/index.html#who\""),
        "{guide}"
    );
    assert!(
        guide.contains("href=\"handouts/sheet.html#part-b\""),
        "{guide}"
    );
    assert!(
        roles.contains("href=\"../01-intro/index.html#custom\""),
        "{roles}"
    );
}
