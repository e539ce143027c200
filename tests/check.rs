//! `trainpack check` over broken fixture packs: each asserts the exact
//! diagnostics (file, line, column, message and hint), and over good packs:
//! no diagnostics at all.

use crate::common::{TestPack, assert_check, bad, check_diagnostics, fixture, run_in};

bad!(
    block_left_open,
    "modules/01-intro.md:19:5: error: `note` block is never closed\n  hint: add a line `:::` where the block ends: probably before line 22, the next `##` heading\nmodules/01-intro.md:14:5: warning: activity has no title\n  hint: add `title=\"...\"`: the schedule and the run sheet list activities by title"
);

bad!(
    activity_left_open,
    "modules/01-intro.md:12:5: error: `activity` block is never closed\n  hint: add a line `:::` where the block ends: probably before line 15, which opens an `activity` block, and that cannot sit inside an `activity` block"
);

bad!(
    heading_wrong_level,
    "modules/01-intro.md:18:1: error: a heading with `{slide=...}` must be level 2 (`##`), this one is level 3\n  hint: write `## ` before the title: only a level-2 heading starts the notes of a slide"
);

bad!(
    heading_brace_not_closed,
    "modules/01-intro.md:18:1: error: this heading's `{` is never closed\n  hint: end the heading with `}`: `{slide=2}`"
);

bad!(
    heading_slide_in_parentheses,
    "modules/01-intro.md:18:1: error: the slide is in parentheses, so it is read as part of the title\n  hint: write it in braces at the end of the heading: `{slide=2}`"
);

bad!(
    heading_slides_attribute,
    "modules/01-intro.md:18:10: error: unknown heading attribute `slides`\n  hint: did you mean `slide=2`? `slide` also takes a range, as in `{slide=3-4}`"
);

bad!(
    quiz_option_indented,
    "modules/01-intro.md:15:1: error: this option is indented 4 spaces more than the option before it\n  hint: start every option of a question in the same column as the question's text: `1. ` then `   - [ ] `"
);

bad!(
    answers_do_not_match_questions,
    "modules/01-intro/handouts/exercise.md:13:1: warning: the handout has 3 questions but 2 numbered answers\n  hint: number one answer per question (the `questions` block is at line 7), or write the answers as prose if they do not go one by one"
);

bad!(
    module_past_day_end,
    "modules/02-long.md:3:1: warning: module `02-long` runs until 13:00 on day 2, past `day_end` (12:00)\n  hint: it is the first module of its day, so it cannot move to the next: shorten it, split it in two, or set a later `day_end` in `book.toml`"
);

bad!(
    broken_anchor_link,
    "modules/01-intro/module.md:14:23: error: the trainer's guide of `01-intro` has no anchor `#checking-breath`\n  hint: did you mean `#checking-breathing`?\nmodules/01-intro/module.md:14:58: error: the trainer's guide of `02-roles` has no anchor `#who-does-wht`\n  hint: did you mean `module:02-roles#who-does-what`?\nmodules/01-intro/module.md:15:23: error: handout `exercise` of `01-intro` has no anchor `#step-tow`\n  hint: did you mean `handout:exercise#step-two`?"
);

bad!(
    markdown_link_not_a_page,
    "modules/01-intro.md:12:52: error: module `03-later` is a draft, left out of this build\n  hint: build with `--drafts` to include it, or take the link out until the module is ready"
);

bad!(
    handout_of_another_module,
    "modules/02-recovery.md:12:25: error: no handout `cpr-checklist` in module `02-recovery`\n  hint: did you mean `handout:01-primary-survey/cpr-checklist`? it is a handout of module `01-primary-survey`\nmodules/02-recovery.md:12:84: error: broken link: there is no file `modules/media/positon.png`\n  hint: did you mean `media/position.png`? paths are relative to this Markdown file"
);

bad!(
    activity_bad_minutes,
    "modules/01-intro.md:16:30: error: cannot read `minutes=soon` as a duration\n  hint: write a number of minutes, as in `minutes=10`, or a duration such as `minutes=\"1h30\"`"
);

bad!(
    activity_without_minutes,
    "modules/01-intro.md:16:5: error: an activity without minutes: `minutes` is required\n  hint: add `minutes=10` after `::: activity`"
);

bad!(
    answers_at_top_level,
    "modules/01-intro.md:16:5: error: an `answers` block cannot sit at the top level of a module\n  hint: put the `answers` block inside the activity, handout or quiz question it answers"
);

bad!(
    bad_module_slug,
    "modules/01 intro.md: error: `01 intro` cannot be used in web addresses\n  hint: rename it with letters, digits, `-`, `_` and `.` only, as in `03-group-work`"
);

bad!(
    bad_course_participants,
    "book.toml:5:16: error: `participants` must be from 1 to 1000, found 0\n  hint: write how many people the class has, as in `participants = 24`"
);

bad!(
    bad_paper_size,
    "book.toml:5:9: error: unknown paper size `a5`\n  hint: use `paper = \"a4\"` or `paper = \"letter\"`"
);

bad!(
    bad_schedule_time,
    "book.toml:5:9: error: `start` must be a time of day, found \"9 o'clock\"\n  hint: write the time as hours and minutes on a 24-hour clock, as in \"09:00\" or \"13:30\""
);

bad!(
    bad_slide_range,
    "modules/01-intro.md:16:1: error: cannot read `slide=3-2`: the range ends (2) before it starts (3)\n  hint: write `{slide=3}` for one slide or `{slide=10-11}` for a range, numbered from 1"
);

bad!(
    bad_video_url,
    "modules/01-intro.md:8:9: error: `video` must be a web address, found \"youtu.be/abc\"\n  hint: write the full address, starting with `https://`"
);

bad!(
    broken_handout_link,
    "modules/01-intro.md:16:21: error: no handout `case-study-9` in module `01-intro`\n  hint: module `01-intro` has no handouts"
);

bad!(
    broken_image_link,
    "modules/01-intro.md:16:18: error: broken link: there is no file `modules/media/referral.png`\n  hint: check the file name and its folder; paths are relative to this Markdown file"
);

bad!(
    broken_module_link,
    "modules/01-intro.md:16:23: error: no module named `02-rolez`\n  hint: did you mean `module:02-roles`?"
);

bad!(
    duplicate_handout_id,
    "modules/01-intro/module.md:16:1: error: two handouts have the id `case-study-1`\n  hint: rename the file or the block's `id` so each handout of a module has its own id"
);

bad!(
    /// Allowed by the format (ordered by number, then by path), so a warning.
    duplicate_module_number,
    "modules/02-roles.md:4:1: warning: module number 1 is used twice: by `modules/01-intro.md` and `modules/02-roles.md`\n  hint: both are shown as module 1, in the order of their paths; give each its own `number` to tell them apart"
);

bad!(
    duplicate_module_slug,
    "modules/part-2/intro.md: error: two modules are named `intro`: `modules/intro.md` and `modules/part-2/intro.md`\n  hint: rename one of them: the name is used in web addresses and `module:` links"
);

bad!(
    empty_module_file,
    "modules/01-intro.md: error: the file is empty\n  hint: start it with front matter: a `+++` line, `title = \"...\"`, and another `+++` line"
);

bad!(
    front_matter_not_closed,
    "modules/01-intro.md:1:1: error: the front matter is never closed\n  hint: add a line with only `+++` after the last key of the front matter"
);

bad!(
    unknown_handout_audience,
    "modules/01-intro/handouts/case-study-1.md:3:12: error: unknown audience `groups`\n  hint: did you mean `group`?"
);

bad!(
    role_without_title,
    "modules/01-intro.md:12:5: error: a `role` block without `title`: `title` is required\n  hint: add `title=\"The mother\"` after `::: role`"
);

bad!(
    handout_without_title,
    "modules/01-intro/handouts/case-study-1.md:2:1: error: missing required key `title` in handout front matter\n  hint: add `title = \"Case Study 1\"`"
);

bad!(
    image_without_alt,
    "modules/01-intro/module.md:16:5: warning: image has no alt text\n  hint: describe the image between the brackets, as in `![Map of the meeting room](media/room-map.png)`: screen readers read it aloud"
);

bad!(
    link_outside_pack,
    "modules/01-intro.md:16:18: error: `../../secret.png` leads outside the pack\n  hint: copy the file into the module's `media/` folder and link to it there"
);

bad!(
    mismatched_fence,
    "modules/01-intro.md:18:1: error: this fence has 3 colons but the `note` block it closes (line 16) opened with 4\n  hint: a closing fence needs at least as many colons as its opening fence"
);

bad!(
    missing_slide_title,
    "modules/01-intro.md:5:1: error: missing required key `title` in slide 1\n  hint: add `title = \"Slide title\"`"
);

bad!(
    missing_title,
    "modules/01-intro.md:2:1: error: missing required key `title` in front matter\n  hint: add `title = \"Module title\"`"
);

bad!(
    no_book_toml,
    "error: no `book.toml` in `[ROOT]`\n  hint: run trainpack in the folder that holds `book.toml`, pass that folder, or create a pack with `trainpack init`"
);

bad!(
    no_front_matter,
    "modules/01-intro.md:1:1: error: the file does not start with front matter\n  hint: start the file with a `+++` line, then `title = \"...\"`, then another `+++` line"
);

bad!(
    no_pack_table,
    "book.toml:1:1: error: `book.toml` has no `[pack]` table\n  hint: add a `[pack]` table with at least `title = \"...\"`"
);

bad!(
    notes_for_missing_slide,
    "modules/01-intro.md:16:1: error: notes for slide 2, but the module has 1 slide\n  hint: add a `[[slides]]` entry to the front matter, or fix the slide number"
);

bad!(
    output_inside_modules,
    "book.toml:5:1: error: the output folder is inside `modules/`, so the next build would read the site as modules\n  hint: set `[build] output` to a folder of its own, such as \"site\""
);

bad!(
    questions_outside_handout,
    "modules/01-intro.md:16:5: error: a `questions` block cannot sit at the top level of a module\n  hint: `questions` belong in a handout: a file under `handouts/` or a `handout` block"
);

bad!(
    /// A blank title once dropped the module without a word.
    empty_module_title,
    "modules/02-roles.md:2:9: error: `title` in front matter is empty\n  hint: write it between the quotes, as in `title = \"Module title\"`"
);

bad!(
    /// A blank title once failed the build with no reason given.
    empty_pack_title,
    "book.toml:2:9: error: `title` in `[pack]` is empty\n  hint: write it between the quotes, as in `title = \"My training pack\"`"
);

bad!(
    link_to_draft_module,
    "modules/01-intro.md:5:40: error: module `02-roles` is a draft, left out of this build\n  hint: build with `--drafts` to include it, or take the link out until the module is ready"
);

bad!(
    /// The module's own error, and no second one at the link to it.
    link_to_unreadable_module,
    "modules/02-roles.md:3:10: error: `number` in front matter must be a whole number, found text\n  hint: write a number without quotes, as in `number = 5`"
);

bad!(
    /// One error where the parser noticed, not one per line after it.
    toml_list_not_closed,
    "modules/01-intro.md:4:1: error: invalid TOML: missing comma between array elements, expected `,`\n  hint: is the list before this line closed? End a list with `]`, as in `outcomes = [\"One\", \"Two\"]`"
);

bad!(
    toml_curly_quotes,
    "book.toml:2:9: error: invalid TOML: string values must be quoted, expected literal string\n  hint: replace the curly quotes (“ ” ‘ ’, as word processors type them) with straight ones: `title = \"My module\"`"
);

bad!(
    /// Shown nowhere: participants never see notes.
    note_in_handout,
    "modules/01-intro/handouts/case-study.md:7:5: error: a `note` block cannot sit inside a `handout` block\n  hint: a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows"
);

bad!(
    /// `check` compiles a theme's own templates, as a build would.
    theme_unknown_filter,
    "themes/mine/templates/handout.html:2:33: error: template error: Unknown filter `upcase`\n  hint: fix the template, or remove it from your theme to use the default one"
);

bad!(
    theme_missing_parent,
    "themes/mine/templates/handout.html:1:13: error: template error: Template 'handout.html' is inheriting from 'defalt/handout.html', which doesn't exist or isn't loaded.\n  hint: fix the template, or remove it from your theme to use the default one"
);

bad!(
    theme_words_not_toml,
    "themes/mine/i18n/en.toml:1:25: error: cannot read the translation file: invalid basic string, expected `\"`\n  hint: each line of a translation file is `key = \"text\"`"
);

bad!(
    day_end_before_start,
    "book.toml:6:11: error: `day_end` (08:30) is not after `start`\n  hint: the day ends after it starts: write `day_end` later than `start`, as in `start = \"09:00\"` and `day_end = \"17:00\"`"
);

bad!(
    /// Every problem at once: the modules are read even when `book.toml`
    /// has errors; and a block inside an unknown one is not misplaced too.
    book_and_module_errors,
    "book.toml:3:1: error: unknown key `languge` in `[pack]`\n  hint: did you mean `language`?\nmodules/01-intro.md:7:5: error: unknown block kind `activty`\n  hint: did you mean `activity`?"
);

bad!(
    /// Once said "no handout with the id", though the handout is there.
    handout_listed_twice,
    "modules/01-intro/module.md:3:33: error: the handout `case-b` is listed twice\n  hint: list each handout once, in the order participants get them"
);

bad!(
    /// Copied to the site as it is, the file would publish its answers.
    markdown_not_ending_in_md,
    "modules/02-roles.MD: error: trainpack reads Markdown only from files ending in `.md`, so this file is left out\n  hint: rename it to `02-roles.md`"
);

bad!(
    /// Read as modules of their own, `index.md` and the handout were
    /// two modules nobody meant.
    folder_module_without_module_md,
    "modules/02-roles/: error: this module folder has no `module.md`\n  hint: rename `index.md` to `module.md`"
);

bad!(
    /// Read as questions, the options' `[x]` would print on the participants' quiz.
    quiz_option_outside_question,
    "modules/01-intro.md:18:1: error: a quiz option outside its question\n  hint: indent each option under its question, level with the question's text: `1. Who …?` then `   - [x] …`"
);

bad!(
    /// Printed as it is, `[v]` would show participants the answer.
    quiz_option_box_misread,
    "modules/01-intro.md:19:1: error: cannot read `[v]` as an option's box\n  hint: start each option with `- [ ]`, or `- [x]` for a correct one"
);

bad!(
    quiz_without_correct_option,
    "modules/01-intro.md:17:1: error: quiz question has options but none is marked correct\n  hint: mark each correct option with `[x]`, as in `- [x] The right answer`"
);

bad!(
    schedule_differs_from_duration,
    "modules/01-intro.md:3:12: warning: the schedule adds up to 10 min (10 min of slides, 0 min of activities) but `duration` is 2h\n  hint: change slide or activity minutes, or `duration`, so they agree"
);

bad!(
    slide_covered_twice,
    "modules/01-intro.md:16:1: error: slide 1 already has notes at line 12\n  hint: cover each slide in one notes section; use `{slide=N-M}` for a range"
);

bad!(
    /// A slide inserted before others whose notes name them by number: the
    /// notes of "Roles" now sit on "Ground rules", and "Roles" has none.
    slide_inserted_before_numbered_notes,
    "modules/01-intro.md:13:1: warning: slide 3 (\"Roles\") has no notes\n  hint: add a heading `## Roles {slide=3}` followed by the trainer's notes\nmodules/01-intro.md:25:1: warning: notes heading \"Roles\" is not the title of slide 2 (\"Ground rules\")\n  hint: if a slide was added or moved, these notes now sit on another slide: fix the number, or give the slide an `id` and write `{slide=roles}`, which follows the slide wherever it moves"
);

bad!(
    unknown_slide_id,
    "modules/01-intro.md:22:1: error: no slide has the id `key-mesages`\n  hint: did you mean `{slide=key-messages}`?\nmodules/01-intro.md:10:1: warning: slide 2 (\"Key messages\") has no notes\n  hint: add a heading `## Key messages {slide=key-messages}` followed by the trainer's notes"
);

bad!(
    duplicate_slide_id,
    "modules/01-intro.md:11:6: error: slides 1 and 2 have the same id `welcome`\n  hint: give each slide of a module its own id"
);

bad!(
    slide_image_missing,
    "modules/01-intro/module.md:9:9: error: there is no file `modules/01-intro/media/level.svg` for the picture of slide 1\n  hint: put the picture in the module's `media/` folder and write its path from the module's folder, as in `image = \"media/referral.png\"`"
);

bad!(
    slide_image_without_alt,
    "modules/01-intro/module.md:9:9: error: the picture of slide 1 has no alt text\n  hint: add `alt = \"...\"` saying what the picture shows: screen readers read it aloud"
);

bad!(
    slide_without_notes,
    "modules/01-intro.md:9:1: warning: slide 2 (\"Roles\") has no notes\n  hint: add a heading `## Roles {slide=2}` followed by the trainer's notes"
);

bad!(
    step_without_duration,
    "modules/01-intro.md:18:1: error: a step must start with its duration\n  hint: write each step as `- 5 min: Introduce the task`"
);

bad!(
    steps_do_not_add_up,
    "modules/01-intro.md:16:5: warning: the steps of `Group work` add up to 10 min but the activity has 15 min\n  hint: make the step durations add up to the activity's `minutes`"
);

bad!(
    stray_fence,
    "modules/01-intro.md:17:1: error: closing fence without an open block\n  hint: remove this `:::` line, or add the `::: kind` line it was meant to close"
);

bad!(
    toml_syntax_error,
    "book.toml:2:19: error: invalid TOML: invalid basic string, expected `\"`\n  hint: text values need double quotes, as in `title = \"My module\"`"
);

bad!(
    unclosed_fence,
    "modules/01-intro.md:16:5: error: `note` block is never closed\n  hint: add a line `:::` where the block ends"
);

bad!(
    unknown_block_attribute,
    "modules/01-intro.md:16:5: error: an activity without minutes: `minutes` is required\n  hint: add `minutes=10` after `::: activity`\nmodules/01-intro.md:16:30: error: unknown attribute `minuts` on an `activity` block\n  hint: did you mean `minutes`?"
);

bad!(
    unknown_block_kind,
    "modules/01-intro.md:16:5: error: unknown block kind `activty`\n  hint: did you mean `activity`?"
);

bad!(
    unknown_book_key,
    "book.toml:3:1: error: unknown key `languge` in `[pack]`\n  hint: did you mean `language`?"
);

bad!(
    unknown_front_matter_key,
    "modules/01-intro.md:4:1: error: unknown key `sumary` in front matter\n  hint: did you mean `summary`?"
);

bad!(
    unknown_handout_id,
    "modules/01-intro/module.md:4:29: error: no handout with the id `case-study-3`\n  hint: did you mean `case-study-2`?"
);

bad!(
    unknown_theme,
    "book.toml:5:1: error: the theme `fancy` has no folder `themes/fancy/`\n  hint: create the folder, or remove `[theme] name` to use the default theme"
);

bad!(
    unparsable_duration,
    "modules/01-intro.md:3:12: error: cannot read `duration` \"two hours\" as a duration\n  hint: write a duration such as \"2h\", \"90min\" or \"1h30\""
);

bad!(
    wrong_type,
    "modules/01-intro.md:4:12: error: `outcomes` in front matter must be a list of text values, found text\n  hint: write `outcomes = [\"first\", \"second\"]`"
);

bad!(
    yaml_front_matter,
    "modules/01-intro.md:1:1: error: the file does not start with front matter\n  hint: trainpack reads TOML front matter between `+++` lines; replace the `---` lines with `+++` and write keys as `title = \"...\"`"
);

// why: a file saved as Latin-1 must be named with the line where it breaks.
#[test]
fn not_utf8() {
    assert_check(
        "not_utf8",
        "modules/01-intro.md:14:1: error: the file is not valid UTF-8 text\n  hint: save the file with the UTF-8 encoding (in most editors: Save As, then Encoding: UTF-8)",
    );
}

// why: trainpack reads nothing outside the pack, even through a link.
#[test]
fn symlink_outside_pack() {
    let pack = TestPack::copy("bad", "symlink_outside_pack");
    let outside = pack.root.parent().unwrap().join("outside.png");
    std::fs::write(&outside, b"png").unwrap();
    std::os::unix::fs::symlink(&outside, pack.path("modules/photo.png")).unwrap();
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/photo.png: error: this symbolic link leads outside the pack\n  hint: copy the file into the pack instead of linking to it: trainpack reads nothing outside the pack"
    );
}

// why: a theme file may not pull in a file from outside the pack either.
#[test]
fn theme_symlink_outside_pack() {
    let pack = TestPack::copy("bad", "symlink_outside_pack");
    pack.write(
        "book.toml",
        "[pack]\ntitle = \"Test pack\"\n\n[theme]\nname = \"custom\"\n",
    );
    let outside = pack.root.parent().unwrap().join("evil.css");
    std::fs::write(&outside, b"body{}").unwrap();
    std::fs::create_dir_all(pack.path("themes/custom/static")).unwrap();
    std::os::unix::fs::symlink(&outside, pack.path("themes/custom/static/custom.css")).unwrap();
    assert_eq!(
        check_diagnostics(&pack.root),
        "themes/custom/static/custom.css: error: this theme file is a symbolic link that leads outside the pack\n  hint: copy the file into the theme folder instead of linking to it"
    );
}

// why: a link loop must be reported, not followed forever.
#[test]
fn symlink_loop() {
    let pack = TestPack::copy("bad", "symlink_loop");
    std::fs::create_dir_all(pack.path("modules/media")).unwrap();
    std::os::unix::fs::symlink("..", pack.path("modules/media/loop")).unwrap();
    assert_eq!(
        check_diagnostics(&pack.root),
        "modules/media/loop: error: this symbolic link makes a loop\n  hint: remove the link, or point it at a folder that does not contain it"
    );
}

// why: the sample pack is the reference module and must stay spotless.
#[test]
fn sample_pack_checks_without_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(check_diagnostics(root), "");
}

// why: errors exit 1 and print the file, the line, the source and the hint.
#[test]
fn check_prints_source_line_and_exits_1_on_errors() {
    let run = run_in(&fixture("bad", "unknown_book_key"), &["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: unknown key `languge` in `[pack]`
  --> book.toml:3:1
  |
3 | languge = \"en\"
  | ^^^^^^^
  |
  = hint: did you mean `language`?

1 error
"
    );
}

// why: warnings alone do not fail a check, but are shown with the summary.
#[test]
fn check_exits_0_on_warnings_only() {
    let run = run_in(&fixture("bad", "slide_without_notes"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: slide 2 (\"Roles\") has no notes"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.ends_with("check: 1 warning\n"), "{}", run.stdout);
}

// why: a clean check ends with a one-screen summary of the pack.
#[test]
fn check_prints_a_summary() {
    let run = run_in(&fixture("ok", "full"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Full pack
  2 modules, 5 slides, 3 activities, 3 handouts, 2 quiz questions
  total time 1h 05min

    1  Welcome                                         15 min   2 slides     1 activity   0 handouts   0 questions
    2  Roles & Responsibilities                        50 min   3 slides   2 activities   3 handouts   2 questions

check: no problems found
"
    );
}

// why: the pack folder may be given as an argument.
#[test]
fn check_takes_the_pack_folder_as_argument() {
    let dir = fixture("ok", "minimal");
    let run = run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", dir.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Minimal pack\n"), "{}", run.stdout);
}

bad!(
    /// `check` reads the Office templates too, so it finds one that
    /// lacks the layout the slides need before a build does.
    office_template_layout,
    "book.toml:6:1: error: the PowerPoint template `templates/org.pptx` has no slide layout named `Title and Content`\n  hint: add a slide layout named `Title and Content`, with a title and a content placeholder, to the template's slide master (View > Slide Master), or rename one"
);
