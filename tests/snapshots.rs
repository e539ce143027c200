//! Snapshots of the `<main>` region of each kind of page of a fixture pack:
//! what the renderer and the default templates make of every part of the
//! format. Update with `INSTA_UPDATE=always cargo test`, then read the diff.

use crate::common::{TestPack, run_in};
use crate::site;

fn built_full_pack() -> (TestPack, std::path::PathBuf) {
    let pack = TestPack::copy("ok", "full");
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = pack.path("site");
    (pack, out)
}

macro_rules! snapshot_pages {
    ($($name:ident => $page:expr),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let (_pack, out) = built_full_pack();
                let html = site::read(&out, $page);
                insta::assert_snapshot!(stringify!($name), site::main_region(&html));
            }
        )*
    };
}

snapshot_pages! {
    home_page => "index.html",
    trainers_guide => "modules/02-roles/index.html",
    slide_deck => "modules/02-roles/slides.html",
    handout_page => "modules/02-roles/handouts/case-study-1.html",
    inline_handout_page => "modules/02-roles/handouts/checklist.html",
    participant_quiz => "modules/02-roles/quiz.html",
    module_answer_key => "modules/02-roles/answer-key.html",
    pack_answer_key => "answer-key.html",
    course_schedule => "schedule.html",
}
