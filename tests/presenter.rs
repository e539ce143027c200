//! The slide deck's presenter view (issue 21): the data `slides.html` gives
//! it (each slide's planned time in minutes) and its words in every
//! language. How it behaves in a browser, in two windows, is checked by
//! `tests/browser/presenter.mjs` (scripts/browser-test).

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{TestPack, run_in};
use crate::site;

/// `(slide number, planned start, planned end)` of each slide of a deck,
/// in minutes from the module's start.
fn windows(pack: &TestPack, deck: &str) -> Vec<(u32, u32, u32)> {
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site::read(&pack.path("site"), deck);
    let numbers = |attr: &str| -> Vec<u32> {
        site::attr_values(&html, attr)
            .iter()
            .map(|v| v.parse().unwrap_or_else(|_| panic!("{attr}={v:?}")))
            .collect()
    };
    let (n, from, to) = (
        numbers("data-number"),
        numbers("data-start-minutes"),
        numbers("data-end-minutes"),
    );
    assert!(n.len() == from.len() && n.len() == to.len(), "{html}");
    (0..n.len()).map(|i| (n[i], from[i], to[i])).collect()
}

// why: the presenter view says "4 min behind" from each slide's planned
// time, which runs to the next slide's start, so the activities taught
// while a slide is up count as its time; the last runs to the module's end
#[test]
fn deck_slides_carry_their_planned_window_in_minutes() {
    let pack = TestPack::copy("ok", "full");
    // Slide 1 (5 min) and a 30-minute activity; slides 2 (2 min) and 3
    // (3 min) and a 10-minute quiz: 50 minutes in all.
    assert_eq!(
        windows(&pack, "modules/02-roles/slides.html"),
        [(1, 0, 35), (2, 35, 37), (3, 37, 50)]
    );
}

// why: notes may take slides out of order; a slide's time still ends where
// the next slide taught starts, not where the next slide by number does
#[test]
fn slide_windows_follow_the_order_slides_are_taught() {
    let pack = TestPack::copy("ok", "full");
    let module = "modules/02-roles/module.md";
    pack.edit(module, "## Actors {slide=1}", "## Actors {slide=3}");
    pack.edit(
        module,
        "## Key messages {slide=2-3}",
        "## Key messages {slide=1-2}",
    );
    // Taught: slide 3 and the activity (0-33), slide 1 (33-38), slide 2 and the quiz (38-50).
    assert_eq!(
        windows(&pack, "modules/02-roles/slides.html"),
        [(1, 33, 38), (2, 38, 50), (3, 0, 33)]
    );
}

// why: every word the presenter view prints ships in each language of the
// default theme, translated rather than left to the English fallback, with
// its placeholders kept
#[test]
fn presenter_words_are_translated_in_every_default_language() {
    let keys = [
        "deck_help",
        "deck_presenter",
        "deck_presenter_on",
        "deck_presenter_blocked",
        "deck_up_next",
        "deck_end",
        "deck_on_slide",
        "deck_behind",
        "deck_ahead",
        "deck_on_time",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
    let words = |lang: &str| -> BTreeMap<String, String> {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.toml"))).unwrap();
        toml::from_str(&text).unwrap()
    };
    let english = words("en");
    for lang in ["fr", "es", "ar"] {
        let translated = words(lang);
        for key in keys {
            let en = english.get(key).unwrap_or_else(|| panic!("en lacks {key}"));
            let word = translated
                .get(key)
                .unwrap_or_else(|| panic!("{lang} lacks {key}"));
            assert_ne!(word, en, "{lang}.toml: {key} is the English text");
            assert_eq!(
                en.contains("{minutes}"),
                word.contains("{minutes}"),
                "{lang}.toml: {key} must keep its placeholder"
            );
        }
        let help = &translated["deck_help"];
        assert!(
            help.contains(" P "),
            "{lang}.toml: deck_help does not name the P key: {help}"
        );
    }
}
