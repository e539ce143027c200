//! Pandoc's attribute form of fences (`::: {.note}`,
//! `::::: {.activity minutes=5}`, `{#id .kind key=value}`) reads as the
//! bare form does.

use trainpack::load::LoadOptions;
use trainpack::model::{Block, Pack};

use crate::common::{TestPack, check_diagnostics, fixture};

fn load(root: &std::path::Path) -> Pack {
    trainpack::load_and_check(root, &LoadOptions::default())
        .pack
        .unwrap()
}

/// The kinds of the blocks of a module's first section, nested ones after
/// their parent, with the activity's title and minutes and the handout's id.
fn shape(pack: &Pack) -> Vec<String> {
    let module = &pack.modules[0];
    let mut out = Vec::new();
    module.sections[0].body.walk(&mut |block, _| {
        out.push(match block {
            Block::Activity(a) => format!("activity {} {}", a.title, a.minutes.0),
            Block::Handout(h) => format!("handout {}", h.id),
            Block::Note(_) => "note".into(),
            Block::Answers(a) => format!("answers {:?}", a.items.as_ref().map(Vec::len)),
            other => format!("{other:?}"),
        });
    });
    out.push(format!(
        "handouts {:?}",
        module.handouts.iter().map(|h| &h.title).collect::<Vec<_>>()
    ));
    out
}

// why: a pack written for Pandoc's fences must mean what the bare form means.
#[test]
fn braced_fences_read_as_bare_ones() {
    let root = fixture("ok", "pandoc_fences");
    assert_eq!(check_diagnostics(&root), "");
    let bare = TestPack::copy("ok", "pandoc_fences");
    let file = "modules/01-intro.md";
    bare.edit(
        file,
        "::::: {.activity title=\"Pairs\" minutes=5}",
        "::::: activity title=\"Pairs\" minutes=5",
    );
    bare.edit(file, "::: {.note}", "::: note");
    bare.edit(file, "::: {.answers}", "::: answers");
    bare.edit(
        file,
        "::: {#sheet-1 .handout title=\"Sheet\"}",
        "::: handout id=sheet-1 title=\"Sheet\"",
    );
    let braced = shape(&load(&root));
    assert_eq!(braced, shape(&load(&bare.root)));
    assert_eq!(braced[0], "activity Pairs 5");
    assert!(
        braced.contains(&"handout sheet-1".to_string()),
        "{braced:?}"
    );
}

// why: a Pandoc div may have several classes; a trainpack block has one kind.
#[test]
fn a_braced_fence_with_two_kinds_is_an_error() {
    let pack = TestPack::copy("ok", "pandoc_fences");
    pack.edit("modules/01-intro.md", "::: {.note}", "::: {.note .wide}");
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/01-intro.md:15:13: error: a block has one kind, but this fence gives a second class `.wide`\n  hint: keep one class: trainpack reads it as the block's kind"
    );
}

// why: the README says fences need no blank line, unlike Pandoc.
#[test]
fn a_fence_right_under_a_paragraph_opens_a_block() {
    let pack = TestPack::copy("ok", "pandoc_fences");
    pack.edit(
        "modules/01-intro.md",
        "Work in pairs.\n\n",
        "Work in pairs.\n",
    );
    assert_eq!(check_diagnostics(&pack.root), "");
    assert!(shape(&load(&pack.root)).contains(&"note".to_string()));
}
