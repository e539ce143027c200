//! Packs in several languages: one site per language, a language switcher
//! between the same pages, translated words, and checks that translations
//! keep the shape of their original.

use crate::common::{TestPack, check_diagnostics, run_in};
use crate::site;

fn build(pack: &TestPack) -> std::path::PathBuf {
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    pack.path("site")
}

// why: each language gets a whole site; the main one at the root.
#[test]
fn each_language_gets_its_own_site() {
    let pack = TestPack::copy("ok", "languages");
    assert_eq!(check_diagnostics(&pack.root), "");
    let out = build(&pack);
    for page in [
        "index.html",
        "modules/01-welcome/index.html",
        "modules/01-welcome/handouts/case.html",
        "fr/index.html",
        "fr/modules/01-welcome/index.html",
        "fr/modules/01-welcome/handouts/case.pdf",
        "fr/search-index.js",
        "fr/answer-key.pdf",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let home = site::read(&out, "fr/index.html");
    assert!(
        home.contains("<html lang=\"fr\" dir=\"ltr\">"),
        "the French site is in French"
    );
    assert!(
        home.contains("Pack d&#39;accueil") || home.contains("Pack d'accueil"),
        "its title comes from [languages.fr]"
    );
    assert!(
        site::read(&out, "fr/modules/01-welcome/index.html").contains("Guide du formateur"),
        "words from fr.toml"
    );
    assert_eq!(site::broken_links(&out), Vec::<String>::new());
}

// why: the switcher leads to the same page in the other language.
#[test]
fn the_language_switcher_links_the_same_page() {
    let pack = TestPack::copy("ok", "languages");
    let out = build(&pack);
    let english = site::read(&out, "modules/01-welcome/handouts/case.html");
    assert!(
        english
            .contains("hreflang=\"fr\" href=\"../../../fr/modules/01-welcome/handouts/case.html\""),
        "{english}"
    );
    let french = site::read(&out, "fr/modules/01-welcome/index.html");
    assert!(
        french.contains("hreflang=\"en\" href=\"../../../modules/01-welcome/index.html\""),
        "{french}"
    );
    let french_home = site::read(&out, "fr/index.html");
    assert!(
        french_home.contains("hreflang=\"en\" href=\"../index.html\""),
        "{french_home}"
    );
}

// why: a module missing in one language, or translated with another shape, is reported.
#[test]
fn missing_and_different_translations_are_reported() {
    let pack = TestPack::copy("ok", "languages");
    pack.write(
        "modules/en/02-roles.md",
        "+++\ntitle = \"Roles\"\n+++\n\nRoles.\n",
    );
    std::fs::remove_file(pack.path("modules/fr/01-welcome/handouts/case.md")).unwrap();
    pack.write(
        "modules/fr/01-welcome/module.md",
        &std::fs::read_to_string(pack.path("modules/fr/01-welcome/module.md"))
            .unwrap()
            .replace("Voir [le cas](handout:case).", ""),
    );
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/en/02-roles.md: warning: module `02-roles` has no fr version: there is no `modules/fr/02-roles`\n  hint: translate the module into that language, or list it in `[languages.fr] pending` in `book.toml` to show the original there until it is\nmodules/fr/01-welcome/module.md: warning: the fr version of `01-welcome` has 0 handouts but the original has 1\n  hint: a translation has the same slides, handouts and quiz as its original, so trainers can switch language"
    );
    let out = build(&pack);
    let page = site::read(&out, "modules/02-roles/index.html");
    assert!(
        page.contains("hreflang=\"fr\" href=\"../../fr/index.html\""),
        "falls back to the French home page"
    );
}

// why: with `languages`, every module sits in a language folder.
#[test]
fn modules_outside_language_folders_are_reported() {
    let pack = TestPack::copy("ok", "languages");
    pack.write("modules/03-stray.md", "+++\ntitle = \"Stray\"\n+++\n");
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/03-stray.md: error: `modules/03-stray.md` is not in a language folder\n  hint: the pack has `languages` in `book.toml`, so each module goes in `modules/<language>/`: move it into `modules/en/` or `modules/fr/`"
    );
}

// why: `language` and `languages` must agree, and a translation table names a language of the pack.
#[test]
fn language_settings_are_checked() {
    let pack = TestPack::copy("ok", "languages");
    pack.write("book.toml", "[pack]\ntitle = \"T\"\nlanguage = \"fr\"\nlanguages = [\"en\", \"fr\", \"en\"]\n\n[languages.es]\ntitle = \"Paquete\"\n");
    assert_eq!(
        check_diagnostics(&pack.root),
        "book.toml:1:1: error: `language` is \"fr\" but `languages` starts with \"en\"\n  hint: list the pack's main language first in `languages`: it is the language of the site's home page\nbook.toml:4:26: error: `en` is listed twice in `languages`\n  hint: list each language once\nbook.toml:6:12: error: unknown key `es` in `[languages]`\n  hint: the keys allowed here are `fr`"
    );
}

// why: right-to-left languages are right-to-left in the site and typeset in PDFs.
#[test]
fn arabic_pages_are_right_to_left() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("book.toml", "[pack]\ntitle = \"حزمة\"\nlanguage = \"ar\"\n");
    pack.write(
        "modules/intro/module.md",
        "+++\ntitle = \"مقدمة\"\n+++\n\nنص.\n",
    );
    pack.write("modules/intro/handouts/case.md", "+++\ntitle = \"دراسة حالة\"\n+++\n\nعلمت أن بعض الناس في منطقة مسؤوليتك.\n\n::: questions\n1. ما الجهات الفاعلة؟\n:::\n");
    std::fs::remove_file(pack.path("modules/intro.md")).unwrap();
    let out = build(&pack);
    let page = site::read(&out, "modules/intro/index.html");
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    let pdf = out.join("modules/intro/handouts/case.pdf");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    // pdftotext gives right-to-left text in visual order; the words are there.
    assert!(
        text.contains("الصفحة") && text.contains("دراسة حالة"),
        "page X of Y in Arabic: {text}"
    );
}

// why: search folds accents, so "eleve" finds "élève".
#[test]
fn search_index_folds_accents() {
    let pack = TestPack::copy("ok", "languages");
    let out = build(&pack);
    let index = site::read(&out, "fr/search-index.js");
    assert!(
        index.contains("eleve") && index.contains("garcon") && index.contains("cote"),
        "{index}"
    );
}

/// The languages pack with an English module `02-roles` that has no French
/// version, and `pending` in `[languages.fr]` set to `list`.
fn pack_with_pending(list: &str) -> TestPack {
    let pack = TestPack::copy("ok", "languages");
    pack.write(
        "modules/en/02-roles.md",
        "+++\ntitle = \"Roles\"\n+++\n\nRoles.\n",
    );
    pack.edit(
        "book.toml",
        "title = \"Pack d'accueil\"",
        &format!("title = \"Pack d'accueil\"\npending = [{list}]"),
    );
    pack
}

// why: a module not translated yet is shown in the original, said so in
// the language of the site, with no warning.
#[test]
fn a_pending_module_shows_the_original_with_a_notice() {
    let pack = pack_with_pending("\"02-roles\"");
    assert_eq!(check_diagnostics(&pack.root), "");
    let out = build(&pack);
    let page = site::read(&out, "fr/modules/02-roles/index.html");
    assert!(page.contains("<h1>Roles</h1>"), "{page}");
    assert!(
        page.contains("Ce module n’est pas encore traduit"),
        "the notice is in French"
    );
    let english = site::read(&out, "modules/02-roles/index.html");
    assert!(
        !english.contains("tp-untranslated"),
        "no notice in the original"
    );
    assert!(
        english.contains("hreflang=\"fr\" href=\"../../fr/modules/02-roles/index.html\""),
        "the switcher leads to the page shown in French"
    );
}

// why: a typo in `pending` would leave the warning it meant to silence.
#[test]
fn pending_names_an_unknown_module() {
    let pack = pack_with_pending("\"02-rols\"");
    assert_eq!(
        check_diagnostics(&pack.root),
        "book.toml:8:12: warning: `[languages.fr] pending` names module `02-rols`, which the pack does not have\n  hint: did you mean `02-roles`?\nmodules/en/02-roles.md: warning: module `02-roles` has no fr version: there is no `modules/fr/02-roles`\n  hint: translate the module into that language, or list it in `[languages.fr] pending` in `book.toml` to show the original there until it is"
    );
}

// why: once the translation is written, the entry is stale.
#[test]
fn pending_names_a_translated_module() {
    let pack = pack_with_pending("\"01-welcome\", \"02-roles\"");
    assert_eq!(
        check_diagnostics(&pack.root),
        "book.toml:8:12: warning: module `01-welcome` is listed as pending in `[languages.fr]`, but `modules/fr/01-welcome/module.md` translates it\n  hint: take it out of `pending`: the translation is shown"
    );
}

// why: a translation may leave out `media/`; its own picture still wins.
#[test]
fn a_translation_takes_the_originals_pictures() {
    let pack = TestPack::copy("ok", "languages");
    let svg = |label: &str| {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><title>{label}</title></svg>"
        )
    };
    pack.write("modules/en/01-welcome/media/map.svg", &svg("map"));
    pack.write("modules/en/01-welcome/media/plan.svg", &svg("plan"));
    pack.write("modules/fr/01-welcome/media/plan.svg", &svg("plan fr"));
    for (file, from) in [
        ("modules/en/01-welcome/module.md", "The course opens here."),
        ("modules/fr/01-welcome/module.md", "Le cours commence ici."),
    ] {
        pack.edit(
            file,
            from,
            &format!("{from} ![Map](media/map.svg) ![Plan](media/plan.svg)"),
        );
    }
    assert_eq!(check_diagnostics(&pack.root), "");
    let out = build(&pack);
    let read = |page: &str| std::fs::read_to_string(out.join(page)).unwrap();
    assert_eq!(read("fr/modules/01-welcome/media/map.svg"), svg("map"));
    assert_eq!(read("fr/modules/01-welcome/media/plan.svg"), svg("plan fr"));
    let page = site::read(&out, "fr/modules/01-welcome/index.html");
    assert!(page.contains("src=\"media/map.svg\""), "{page}");
}

// why: an author learns which translations fell behind their original,
// and what changed, without a database: the fingerprint is in the file.
#[test]
fn a_changed_original_is_reported_until_marked() {
    let pack = TestPack::copy("ok", "languages");
    let list = |pack: &TestPack| run_in(&pack.root, &["translations"]).stdout;
    assert_eq!(
        list(&pack),
        "fr/01-welcome  not tracked yet (mark it once it is up to date)\n"
    );
    let run = run_in(&pack.root, &["translations", "--mark", "fr/01-welcome"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(list(&pack), "fr/01-welcome  up to date\n");
    assert_eq!(check_diagnostics(&pack.root), "");
    pack.edit(
        "modules/en/01-welcome/module.md",
        "title = \"Hello\"",
        "title = \"Hello there\"",
    );
    // The notes heading follows its slide's new title, as check asks.
    pack.edit(
        "modules/en/01-welcome/module.md",
        "## Hello {slide=1}",
        "## Hello there {slide=1}",
    );
    assert_eq!(list(&pack), "fr/01-welcome  original changed: slides\n");
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/fr/01-welcome/module.md:2:1: warning: `modules/fr/01-welcome/module.md` was translated from an older `modules/en/01-welcome/module.md`: its slides changed since\n  hint: bring the translation up to date, then record it with `trainpack translations --mark fr/01-welcome`"
    );
    let run = run_in(&pack.root, &["translations", "--mark", "fr/01-welcome"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(check_diagnostics(&pack.root), "");
    let run = run_in(&pack.root, &["translations", "--mark", "fr/02-nothing"]);
    assert_eq!(run.code, 1);
}
