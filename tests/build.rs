//! `trainpack build`: the site of the sample pack and of fixture packs, run
//! through the real binary.

use std::collections::BTreeMap;
use std::path::Path;

use trainpack::load::LoadOptions;
use trainpack::model::{Block, Body, Pack};
use trainpack::render::markdown::{Links, Page, render_markdown};

use crate::common::{TestPack, run_in};
use crate::site;

/// Builds a pack with the binary into `<pack>/site`, asserting success.
fn build(pack: &TestPack) -> std::path::PathBuf {
    let run = run_in(&pack.root, &["build", "--quiet"]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    assert_eq!(run.stdout, "");
    pack.path("site")
}

fn load(root: &Path) -> Pack {
    trainpack::load_and_check(root, &LoadOptions::default())
        .pack
        .unwrap()
}

// why: every kind of page of FORMAT.md's "What a build writes" is there.
#[test]
fn sample_site_has_every_page() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    let files: Vec<String> = site::files(&out)
        .into_iter()
        .filter(|f| !f.ends_with(".pdf"))
        .collect();
    // The English site at the root, the French one in `fr/`, each complete.
    let pages = [
        ".trainpack-pdfs.json",
        "answer-key.html",
        "assets/search.js",
        "assets/slides.js",
        "assets/trainpack.css",
        "assets/trainpack.js",
        "index.html",
        "modules/04-coordination/answer-key.docx",
        "modules/04-coordination/answer-key.html",
        "modules/04-coordination/handouts/case-study-1.docx",
        "modules/04-coordination/handouts/case-study-1.html",
        "modules/04-coordination/handouts/case-study-2.docx",
        "modules/04-coordination/handouts/case-study-2.html",
        "modules/04-coordination/handouts/case-study-3.docx",
        "modules/04-coordination/handouts/case-study-3.html",
        "modules/04-coordination/handouts/case-study-4.docx",
        "modules/04-coordination/handouts/case-study-4.html",
        "modules/04-coordination/index.html",
        "modules/04-coordination/media/coordination-levels.svg",
        "modules/04-coordination/quiz.docx",
        "modules/04-coordination/quiz.html",
        "modules/04-coordination/slides.html",
        "modules/04-coordination/slides.pptx",
        "schedule.html",
        "search-index.js",
        "search.html",
    ];
    let mut expected: Vec<String> = vec![".trainpack-site".to_string()];
    for prefix in ["", "fr/"] {
        expected.push(format!("{prefix}.trainpack-pages.json"));
        expected.extend(pages.iter().map(|p| format!("{prefix}{p}")));
    }
    expected.sort();
    assert_eq!(files, expected);
}

// why: a broken link in a static site fails silently in front of trainers.
#[test]
fn every_internal_link_resolves() {
    for pack in [
        TestPack::copy_dir(&site::sample_root()),
        TestPack::copy("ok", "full"),
    ] {
        let out = build(&pack);
        assert_eq!(site::broken_links(&out), Vec::<String>::new());
    }
}

/// Plain-text fragments of every `answers` and `note` block of a pack.
fn trainer_only_fragments(pack: &Pack) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    let mut visit = |body: &Body| {
        body.walk(&mut |block, _| match block {
            Block::Answers(a) => texts.push(plain_text(&a.body.markdown)),
            Block::Note(n) => texts.push(plain_text(&n.body.markdown)),
            _ => {}
        });
    };
    for module in pack.languages().flat_map(|p| &p.modules) {
        module.bodies().for_each(&mut visit);
        module.handouts.iter().for_each(|h| visit(&h.body));
    }
    let mut fragments = Vec::new();
    for text in texts {
        for sentence in text.split(['.', ';', ':', '?', '!']) {
            let sentence = sentence.trim();
            if sentence.len() >= 25 {
                fragments.push(sentence.to_string());
            }
        }
    }
    assert!(fragments.len() > 10, "too few fragments to test with");
    fragments
}

struct Keep;

impl Links for Keep {
    fn resolve(&self, _: &str) -> Option<String> {
        None
    }
}

fn plain_text(markdown: &str) -> String {
    let mut html = String::new();
    render_markdown(markdown, &Page::new(&Keep, true), &mut html);
    site::text(&html)
}

// why: participants must never receive answers or trainer's notes.
#[test]
fn participant_pages_hold_no_answers_or_notes() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    let fragments = trainer_only_fragments(&load(&pack.root));
    let participant: Vec<String> = site::files(&out)
        .into_iter()
        .filter(|f| f.contains("/handouts/") && f.ends_with(".html") || f.ends_with("/quiz.html"))
        .collect();
    assert_eq!(participant.len(), 10, "five in English, five in French");
    for page in participant {
        let text = site::text(&site::read(&out, &page));
        for fragment in &fragments {
            assert!(
                !text.contains(fragment.as_str()),
                "{page} shows trainer-only text: {fragment}"
            );
        }
    }
}

// why: the answer key is what trainers print; it must miss no answer.
#[test]
fn answer_keys_hold_every_answer() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    let model = load(&pack.root);
    for part in model.languages() {
        check_key_of(part, &out);
    }
}

/// Every answer of one language's modules is in its answer keys.
fn check_key_of(part: &Pack, out: &Path) {
    let mut answers = Vec::new();
    for module in &part.modules {
        let mut visit = |body: &Body| {
            body.walk(&mut |block, _| {
                if let Block::Answers(a) = block {
                    answers.push(plain_text(&a.body.markdown));
                }
            })
        };
        module.bodies().for_each(&mut visit);
        module.handouts.iter().for_each(|h| visit(&h.body));
        let quiz = module.quiz().expect("the sample has a quiz");
        answers.extend(
            quiz.questions
                .iter()
                .filter_map(|q| q.answers.as_ref())
                .map(|a| plain_text(&a.body.markdown)),
        );
    }
    assert_eq!(answers.len(), 11);
    for page in ["answer-key.html", "modules/04-coordination/answer-key.html"] {
        let page = format!("{}{page}", part.prefix);
        let text = site::text(&site::read(out, &page));
        for answer in &answers {
            for sentence in answer.split(". ").filter(|s| s.len() > 20) {
                assert!(text.contains(sentence.trim()), "{page} misses: {sentence}");
            }
        }
    }
}

// why: trainers work offline; nothing may load from another host.
#[test]
fn no_page_loads_anything_from_another_host() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    for file in site::files(&out) {
        let text = std::fs::read_to_string(out.join(&file)).unwrap_or_default();
        if file.ends_with(".html") {
            for url in site::attr_values(&text, "src") {
                assert!(
                    !site::is_external(&url) && !url.starts_with("//"),
                    "{file} loads {url}"
                );
            }
            for tag in text.split("<link").skip(1) {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                for url in site::attr_values(tag, "href") {
                    assert!(
                        !site::is_external(&url) && !url.starts_with("//"),
                        "{file} links {url}"
                    );
                }
            }
        }
        if file.ends_with(".css") {
            assert!(
                !text.contains("url(http") && !text.contains("@import"),
                "{file} loads from outside"
            );
        }
        if file.ends_with(".js") {
            assert!(
                !text.contains("fetch(") && !text.contains("XMLHttpRequest"),
                "{file} fetches"
            );
        }
    }
}

fn read_all(site: &Path) -> BTreeMap<String, Vec<u8>> {
    site::files(site)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(site.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

// why: the same pack must give the same bytes, so sites can be compared and cached.
#[test]
fn two_builds_are_identical() {
    let first = TestPack::copy_dir(&site::sample_root());
    let second = TestPack::copy_dir(&site::sample_root());
    let (a, b) = (read_all(&build(&first)), read_all(&build(&second)));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

// why: a template error halfway through must not leave a broken site.
#[test]
fn a_failed_build_leaves_the_previous_site() {
    let pack = TestPack::copy("ok", "full");
    let before = read_all(&build(&pack));
    pack.write(
        "book.toml",
        &format!(
            "{}\n[theme]\nname = \"broken\"\n",
            std::fs::read_to_string(pack.path("book.toml")).unwrap()
        ),
    );
    pack.write("themes/broken/templates/handout.html", "{% extends \"default/handout.html\" %}{% block handout_body %}{{ handout.no_such_field }}{% endblock handout_body %}\n");
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("themes/broken/templates/handout.html:1:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("nothing was written: the output folder was left as it was"),
        "{}",
        run.stderr
    );
    assert_eq!(read_all(&pack.path("site")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&pack.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains("building")),
        "{leftovers:?}"
    );
}

// why: a theme overrides the default file by file; everything else stays default.
#[test]
fn a_theme_override_replaces_just_that_file() {
    let plain = TestPack::copy("ok", "full");
    let default_site = read_all(&build(&plain));
    let themed = TestPack::copy("ok", "full");
    themed.write(
        "book.toml",
        &format!(
            "{}\n[theme]\nname = \"mine\"\n",
            std::fs::read_to_string(themed.path("book.toml")).unwrap()
        ),
    );
    themed.write("themes/mine/static/slides.js", "// my own deck\n");
    let themed_site = read_all(&build(&themed));
    assert_eq!(themed_site["assets/slides.js"], b"// my own deck\n");
    // The page manifest records the theme's name.
    for (path, bytes) in &default_site {
        if !["assets/slides.js", ".trainpack-pages.json"].contains(&path.as_str()) {
            assert!(&themed_site[path] == bytes, "{path} changed");
        }
    }
}

// why: authors must see which template, line and variable is wrong.
#[test]
fn template_errors_name_the_template_and_line() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Minimal pack\"\n\n[theme]\nname = \"mine\"\n",
    );
    pack.write(
        "themes/mine/templates/index.html",
        "<p>\n{{ site.titel }}\n</p>\n",
    );
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("--> themes/mine/templates/index.html:2:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("titel"), "{}", run.stderr);
    assert!(!pack.path("site").exists());
}

// why: a build prints what it did; `--output` writes elsewhere.
#[test]
fn build_reports_and_honours_output() {
    let pack = TestPack::copy("ok", "minimal");
    let run = run_in(&pack.root, &["build", "--output", "public"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("built 1 module into `public`: "),
        "{}",
        run.stdout
    );
    assert!(pack.path("public/index.html").is_file());
    assert!(!pack.path("site").exists());
}

// why: a folder trainpack did not write is never replaced.
#[test]
fn build_refuses_to_replace_a_foreign_folder() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("site/my-notes.txt", "keep me");
    let run = run_in(&pack.root, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("holds files that trainpack did not write"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(pack.path("site/my-notes.txt")).unwrap(),
        "keep me"
    );
}

// why: duplicate ids break anchors, labels and screen readers.
#[test]
fn no_page_has_duplicate_ids() {
    let pack = TestPack::copy_dir(&site::sample_root());
    let out = build(&pack);
    for page in site::files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
    {
        let ids = site::attr_values(&site::read(&out, &page), "id");
        let mut seen = std::collections::BTreeSet::new();
        for id in ids {
            assert!(seen.insert(id.clone()), "{page} has the id `{id}` twice");
        }
    }
}

/// Builds `pack` into its `site` without PDFs and returns what it printed.
fn rebuild(pack: &TestPack) -> String {
    let run = run_in(&pack.root, &["build", "--no-pdf"]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    run.stdout
}

/// Asserts that the pack's `site`, built bit by bit, is what a clean build
/// writes.
fn assert_same_as_clean(pack: &TestPack, step: &str) {
    let clean = tempfile::tempdir().unwrap();
    let out = clean.path().join("site");
    let run = run_in(
        &pack.root,
        &["build", "--no-pdf", "--output", out.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (kept, fresh) = (read_all(&pack.path("site")), read_all(&out));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "after {step}"
    );
    for (path, bytes) in &kept {
        assert!(bytes == &fresh[path], "after {step}, {path} is stale");
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

// why: a rebuild keeps the pages of unchanged modules, and only those.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_only_unchanged_modules_pages() {
    let pack = TestPack::copy("ok", "full");
    assert!(rebuild(&pack).starts_with("built 2 modules into"));
    let welcome = pack.path("site/modules/01-welcome/index.html");
    let roles = pack.path("site/modules/02-roles/index.html");
    let before = (inode(&welcome), inode(&roles));
    let welcome_folder = pack.path("site/modules/01-welcome");
    let roles_folder = pack.path("site/modules/02-roles");
    let folders = (inode(&welcome_folder), inode(&roles_folder));
    let out = rebuild(&pack);
    assert!(
        out.starts_with("built 2 modules (2 unchanged) into"),
        "{out}"
    );
    assert_eq!((inode(&welcome), inode(&roles)), before);
    // Both folders moved whole, the one holding a picture too.
    assert_eq!((inode(&welcome_folder), inode(&roles_folder)), folders);
    let picture = pack.path("site/modules/02-roles/media/levels.svg");
    let picture_inode = inode(&picture);

    let module = pack.path("modules/02-roles/module.md");
    let text = std::fs::read_to_string(&module).unwrap();
    std::fs::write(
        &module,
        text.replacen("Overview", "A sentence added. Overview", 1),
    )
    .unwrap();
    let out = rebuild(&pack);
    assert!(
        out.starts_with("built 2 modules (1 unchanged) into"),
        "{out}"
    );
    assert_eq!(inode(&welcome), before.0);
    // The unchanged module's folder moved into the new site whole.
    assert_eq!(inode(&welcome_folder), folders.0);
    // Made anew while the old one was still there, so its number differs.
    assert_ne!(inode(&roles_folder), folders.1);
    assert_eq!(inode(&picture), picture_inode, "the picture is linked");
    assert!(
        std::fs::read_to_string(&roles)
            .unwrap()
            .contains("A sentence added.")
    );
    // The course-wide pages that do not show the sentence are kept too.
    let course = [
        "index.html",
        "schedule.html",
        "answer-key.html",
        "search.html",
    ];
    let course_inodes = || course.map(|page| inode(&pack.path("site").join(page)));
    let kept = course_inodes();
    let index = pack.path("site/search-index.js");
    let index_inode = inode(&index);
    pack.edit(
        "modules/02-roles/module.md",
        "A sentence added.",
        "Another sentence.",
    );
    rebuild(&pack);
    assert_eq!(course_inodes(), kept);
    assert_ne!(inode(&index), index_inode);
    assert!(std::fs::read_to_string(&index).unwrap().contains("another"));
}

// why: an unchanged module's folder moves into the new site whole only
// when it holds just the files the build keeps; a file dropped into it by
// hand goes with the old site, as a clean build would have it.
#[cfg(unix)]
#[test]
fn a_rebuild_drops_a_file_added_to_the_site_by_hand() {
    let pack = TestPack::copy("ok", "full");
    rebuild(&pack);
    let stray = pack.path("site/modules/01-welcome/notes.txt");
    std::fs::write(&stray, "mine").unwrap();
    let page = pack.path("site/modules/01-welcome/index.html");
    let before = inode(&page);
    let out = rebuild(&pack);
    assert!(out.contains("(2 unchanged)"), "{out}");
    assert!(!stray.exists());
    assert_eq!(inode(&page), before);
}

// why: what a rebuild keeps outside the site is never published, and --timings says where time went.
#[test]
fn the_summary_cache_sits_beside_the_site_and_timings_are_printed() {
    let pack = TestPack::copy("ok", "full");
    let run = run_in(&pack.root, &["build", "--no-pdf", "--timings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("timings: load and check "),
        "{}",
        run.stderr
    );
    #[cfg(target_os = "linux")]
    assert!(run.stderr.contains("MiB"), "{}", run.stderr);
    let cache = pack.path(".site.cache/modules");
    let mut cached: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    cached.sort();
    assert_eq!(cached, ["01-welcome.bin", "02-roles.bin"]);
    assert!(
        !read_all(&pack.path("site"))
            .keys()
            .any(|p| p.contains("cache"))
    );
    // A broken cache is made again, never trusted.
    std::fs::write(cache.join("02-roles.bin"), "not a summary").unwrap();
    rebuild(&pack);
    assert_same_as_clean(&pack, "a broken cache");
    std::fs::remove_file(pack.path("modules/01-welcome.md")).unwrap();
    rebuild(&pack);
    assert!(!cache.join("01-welcome.bin").exists());
}

// why: a kept page must never be stale: every kind of change gives the clean build's bytes.
#[test]
fn rebuilds_write_what_a_clean_build_writes() {
    let pack = TestPack::copy("ok", "full");
    rebuild(&pack);
    assert_same_as_clean(&pack, "a first build");
    let edit = |rel: &str, from: &str, to: &str| pack.edit(rel, from, to);
    let steps: [(&str, &dyn Fn()); 9] = [
        // Same length and time, as a save in the clock tick it was copied in.
        ("a picture", &|| {
            let picture = pack.path("modules/02-roles/media/levels.svg");
            let time = std::fs::metadata(&picture).unwrap().modified().unwrap();
            edit(
                "modules/02-roles/media/levels.svg",
                "fill=\"#36c\"",
                "fill=\"#c63\"",
            );
            let file = std::fs::File::options().write(true).open(&picture);
            file.unwrap().set_modified(time).unwrap();
        }),
        ("an answer", &|| {
            edit(
                "modules/02-roles/module.md",
                "2. Report to the CPA",
                "2. Report to the CPA at once",
            )
        }),
        ("an activity's minutes", &|| {
            edit(
                "modules/02-roles/module.md",
                "title=\"Group work\" minutes=30",
                "title=\"Group work\" minutes=35",
            )
        }),
        ("a handout's title", &|| {
            edit(
                "modules/02-roles/handouts/case-study-1.md",
                "title = \"",
                "title = \"Renamed: ",
            )
        }),
        ("a module's title", &|| {
            edit("modules/01-welcome.md", "title = \"", "title = \"New ")
        }),
        ("the pack's title", &|| {
            edit(
                "book.toml",
                "title = \"Full pack\"",
                "title = \"Other pack\"",
            )
        }),
        ("a theme template", &|| {
            edit(
                "book.toml",
                "[build]",
                "[theme]\nname = \"mine\"\n\n[build]",
            );
            pack.write(
                "themes/mine/templates/partials/footer.html",
                "<footer>my footer</footer>\n",
            );
        }),
        ("the theme's words", &|| {
            pack.write("themes/mine/i18n/en.toml", "print = \"Send to printer\"\n")
        }),
        ("a module added", &|| {
            pack.write(
                "modules/03-extra.md",
                "+++\ntitle = \"Extra\"\nnumber = 3\n+++\n\nMore.\n",
            )
        }),
    ];
    for (step, change) in steps {
        change();
        rebuild(&pack);
        assert_same_as_clean(&pack, step);
    }
}

// why: a file in the output's way is said plainly, without the system's error number.
#[test]
fn a_file_in_the_way_of_the_output_is_said_plainly() {
    let pack = TestPack::copy("ok", "minimal");
    pack.write("out", "a file");
    let run = run_in(&pack.root, &["build", "--no-pdf", "--output", "out/site"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr.trim_end(),
        "error: the build failed and the output folder was left as it was: cannot create the folder `out`: a file of that name is in the way (File exists)"
    );
}
