//! Notes named by slide id stay with their slide when the deck is
//! reordered; notes named by number do not, and `check` says so.

use trainpack::load::LoadOptions;

use crate::common::{TestPack, check_diagnostics, fixture};

/// Each notes section's title and the titles of the slides it covers.
fn notes_and_slides(root: &std::path::Path) -> Vec<(String, Vec<String>)> {
    let checked = trainpack::load_and_check(root, &LoadOptions::default());
    let pack = checked.pack.expect("pack loads");
    let module = &pack.modules[0];
    module
        .sections
        .iter()
        .map(|section| {
            let slides = section
                .slides
                .iter()
                .flat_map(|r| r.numbers())
                .map(|n| module.slides[n as usize - 1].title.clone())
                .collect();
            (section.title.clone(), slides)
        })
        .collect()
}

fn each_on_its_own_slide() -> Vec<(String, Vec<String>)> {
    ["Welcome", "Roles", "Key messages"]
        .iter()
        .map(|t| (t.to_string(), vec![t.to_string()]))
        .collect()
}

// why: the reason ids exist: moving a slide must not move its notes.
#[test]
fn notes_by_id_survive_reordering() {
    assert_eq!(check_diagnostics(&fixture("ok", "notes_by_id")), "");
    let pack = TestPack::copy("ok", "notes_by_id");
    assert_eq!(notes_and_slides(&pack.root), each_on_its_own_slide());
    // Move "Key messages" to the front of the deck.
    let key = "[[slides]]\nid = \"key-messages\"\ntitle = \"Key messages\"\nminutes = 5\n";
    pack.edit("modules/01-intro.md", key, "");
    pack.edit(
        "modules/01-intro.md",
        "[[slides]]\nid = \"welcome\"",
        &format!("{key}\n[[slides]]\nid = \"welcome\""),
    );
    assert_eq!(check_diagnostics(&pack.root), "");
    assert_eq!(notes_and_slides(&pack.root), each_on_its_own_slide());
    let checked = trainpack::load_and_check(&pack.root, &LoadOptions::default());
    let first = &checked.pack.unwrap().modules[0].slides[0];
    assert_eq!(
        (first.title.as_str(), first.id.as_deref()),
        ("Key messages", Some("key-messages"))
    );
}

// why: a slide's picture shows on the slide in the deck and on its card
// beside the notes, with its alt text, in each language.
#[test]
fn a_slide_picture_shows_in_the_deck_and_the_guide() {
    let pack = TestPack::copy_dir(&crate::site::sample_root());
    let run = crate::common::run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = pack.path("site");
    let src =
        "src=\"media/coordination-levels.svg\" alt=\"Diagram: UN Police coordinate with actors";
    let deck = crate::site::read(&out, "modules/04-coordination/slides.html");
    assert!(
        deck.contains(&format!("<img class=\"tp-slide-image\" {src}")),
        "{deck}"
    );
    let guide = crate::site::read(&out, "modules/04-coordination/index.html");
    assert!(
        guide.contains(&format!("<img class=\"tp-slide-card-image\" {src}")),
        "{guide}"
    );
    let french = crate::site::read(&out, "fr/modules/04-coordination/slides.html");
    assert!(
        french.contains("src=\"media/coordination-levels.svg\" alt=\"Schéma"),
        "{french}"
    );
    assert!(
        out.join("fr/modules/04-coordination/media/coordination-levels.svg")
            .exists()
    );
}
