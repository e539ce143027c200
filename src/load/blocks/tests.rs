use super::*;

fn scan_module(text: &str) -> Scan {
    let file = SourceFile::new("m.md", text);
    scan(&file, 0, Mode::Module)
}

fn messages(scan: &Scan) -> Vec<String> {
    scan.diagnostics.iter().map(Diagnostic::short).collect()
}

fn top_blocks(scan: &Scan) -> Vec<&Block> {
    scan.sections
        .iter()
        .flat_map(|s| s.body.blocks.iter())
        .collect()
}

// why: colons inside a code block are code, never fences.
#[test]
fn fences_inside_code_blocks_are_code() {
    let scan = scan_module("```\n::: activity\n```\n\n~~~~\n:::\n~~~~\n");
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    assert!(top_blocks(&scan).is_empty());
    assert!(scan.sections[0].body.markdown.contains("::: activity"));
}

// why: a build keeps every body until the end, so their buffers hold only their text.
#[test]
fn bodies_are_cut_to_size() {
    let answers: String = (0..200).map(|i| format!("- answer {i}\n")).collect();
    let text = format!(
        "# One\n\n{}\n::: activity title=\"Work\" minutes=10\n::: answers\n{answers}:::\n:::\n",
        "Some words.\n".repeat(300)
    );
    let scan = scan_module(&text);
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let mut bodies = vec![&scan.sections[0].body];
    scan.sections[0]
        .body
        .walk(&mut |block, _| bodies.extend(block.bodies()));
    assert_eq!(bodies.len(), 3);
    for body in bodies {
        assert_eq!(body.markdown.capacity(), body.markdown.len());
        assert_eq!(body.lines.capacity(), body.lines.len());
        assert_eq!(body.blocks.capacity(), body.blocks.len());
    }
}

// why: blocks nest, and each one leaves a placeholder at its place in the parent.
#[test]
fn nested_blocks_leave_placeholders() {
    let scan = scan_module(
        ":::: activity title=\"Work\" minutes=10\nDo it.\n\n::: answers\n- Yes\n:::\n::::\n",
    );
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let body = &scan.sections[0].body;
    assert_eq!(body.markdown, format!("{}\n", placeholder(0)));
    let Block::Activity(activity) = &body.blocks[0] else {
        panic!("not an activity")
    };
    assert_eq!(activity.title, "Work");
    assert_eq!(activity.minutes, Minutes(10));
    assert_eq!(
        activity.body.markdown,
        format!("Do it.\n\n{}\n", placeholder(0))
    );
    assert!(matches!(activity.body.blocks[0], Block::Answers(_)));
}

// why: an indented fence under a list item stays inside that item.
#[test]
fn indented_fence_keeps_its_indentation() {
    let scan = scan_module(
        "::: activity minutes=5 title=\"Q\"\n::: quiz\n1. Why?\n\n   ::: answers\n   Because.\n   :::\n:::\n:::\n",
    );
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let Block::Activity(activity) = top_blocks(&scan)[0] else {
        panic!()
    };
    let Block::Quiz(quiz) = &activity.body.blocks[0] else {
        panic!()
    };
    let answers = quiz.questions[0]
        .answers
        .as_ref()
        .expect("answers under the question");
    assert_eq!(answers.body.markdown, "Because.\n");
    assert_eq!(answers.line, 5);
}

// why: quoted attribute values may hold spaces, `=` and escaped quotes.
#[test]
fn quoted_attributes() {
    let attrs = parse_attrs(r#" title="Say \"hi\" = 1" minutes=5"#, 100).unwrap();
    let pairs: Vec<(&str, &str)> = attrs
        .iter()
        .map(|a| (a.key.as_str(), a.value.as_str()))
        .collect();
    assert_eq!(pairs, [("title", "Say \"hi\" = 1"), ("minutes", "5")]);
    assert_eq!(attrs[1].span, 124..133);
    assert!(parse_attrs(r#" title="open"#, 0).is_err());
    assert!(parse_attrs(" {.class}", 0).is_err());
}

// why: level-2 headings split the notes and carry slide ranges and ids.
#[test]
fn headings_start_sections() {
    let scan = scan_module(
        "Overview.\n\n## Key messages {slide=10-11 #keys}\n\nNotes.\n\n### Not a section\n",
    );
    assert_eq!(scan.sections.len(), 2);
    assert!(scan.sections[0].heading.is_none());
    let heading = scan.sections[1].heading.as_ref().unwrap();
    assert_eq!(heading.title, "Key messages");
    assert_eq!(
        heading.slides,
        Some(SlideRange {
            first: 10,
            last: 11
        })
    );
    assert_eq!(heading.id.as_deref(), Some("keys"));
    assert_eq!(heading.line, 3);
    assert!(scan.sections[1].body.markdown.contains("### Not a section"));
}

// why: a heading inside a block is part of the block, not a new section.
#[test]
fn headings_inside_blocks_do_not_split() {
    let scan = scan_module("::: note\n## Inside\n:::\n");
    assert_eq!(scan.sections.len(), 1);
}

#[test]
fn slide_ranges() {
    assert_eq!(parse_slide_range("3"), Ok(SlideRange { first: 3, last: 3 }));
    assert_eq!(
        parse_slide_range("10\u{2013}11"),
        Ok(SlideRange {
            first: 10,
            last: 11
        })
    );
    assert!(parse_slide_range("0").is_err());
    assert!(parse_slide_range("x").is_err());
}

// why: check resolves every handout:, module: and file link, so the scan must find them all.
#[test]
fn links_are_recorded_outside_code() {
    let scan = scan_module(
        "See [one](handout:case-1) and `[two](handout:nope)`.\n![](media/a.png) <module:03-roles> [b][ref]\n\n[ref]: media/b.pdf\n",
    );
    let dests: Vec<(&str, bool, bool)> = scan
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.image, l.alt_missing))
        .collect();
    assert_eq!(
        dests,
        [
            ("handout:case-1", false, false),
            ("media/a.png", true, true),
            ("module:03-roles", false, false),
            ("media/b.pdf", false, false),
        ]
    );
}

// why: steps are read as (minutes, text) and must add up to the activity.
#[test]
fn steps_are_timed() {
    let scan = scan_module(
        "::: activity title=\"W\" minutes=10\n::: steps\n- 5 min: Form groups\n- 5min: Report\n:::\n:::\n",
    );
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let Block::Activity(activity) = top_blocks(&scan)[0] else {
        panic!()
    };
    let steps = activity.steps().unwrap();
    assert_eq!(steps.total(), Minutes(10));
    assert_eq!(steps.items[1].text, "Report");
    assert_eq!(steps.items[1].line, 4);
}

// why: a quiz question's task items are its options; `[x]` marks the correct ones.
#[test]
fn quiz_options() {
    let scan =
        scan_module(":::quiz title=\"Q\"\n1. Who?\n   - [ ] A\n   - [X] B\n     continued\n:::\n");
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let Block::Quiz(quiz) = top_blocks(&scan)[0] else {
        panic!()
    };
    let options: Vec<(&str, bool)> = quiz.questions[0]
        .options
        .iter()
        .map(|o| (o.text.as_str(), o.correct))
        .collect();
    assert_eq!(options, [("A", false), ("B continued", true)]);
    assert_eq!(quiz.questions[0].text.markdown.trim(), "Who?");
}

// why: every problem in a file is reported, each at its own line.
#[test]
fn several_problems_are_all_reported() {
    let scan = scan_module(":::\n::: activty\n:::\n::: activity\n:::\n::: note\n");
    assert_eq!(
        messages(&scan),
        [
            "m.md:1:1: error: closing fence without an open block\n  hint: remove this `:::` line, or add the `::: kind` line it was meant to close",
            "m.md:2:5: error: unknown block kind `activty`\n  hint: did you mean `activity`?",
            "m.md:4:5: error: an activity without minutes: `minutes` is required\n  hint: add `minutes=10` after `::: activity`",
            "m.md:6:5: error: `note` block is never closed\n  hint: add a line `:::` where the block ends",
        ]
    );
}

// why: an unclosed code block swallows later fences; the hint says so.
#[test]
fn unclosed_code_block_is_named_in_the_hint() {
    let scan = scan_module("::: note\n```\ncode\n:::\n");
    let hint = scan.diagnostics[0].hint.as_deref().unwrap();
    assert!(hint.contains("code block opened at line 2"), "{hint}");
}

// why: handouts may be written inline; their ids must be usable in file names.
#[test]
fn inline_handouts() {
    let scan =
        scan_module("::: handout id=check-list\nText.\n:::\n::: handout id=\"bad id\"\n:::\n");
    assert_eq!(scan.handouts.len(), 1);
    assert_eq!(scan.handouts[0].title, "Check list");
    assert_eq!(scan.diagnostics.len(), 1);
    assert!(
        scan.diagnostics[0]
            .message
            .contains("`bad id` is not a valid handout id")
    );
}

#[test]
fn indentation_and_dedent() {
    assert_eq!(indent_width("\t  x"), 6);
    assert_eq!(dedent("      x", 3), "   x");
    assert_eq!(dedent("  x", 3), "x");
}

// why: CommonMark reads a line indented four columns past its container as
// code: a `:::` there is shown as written, and the author is told why.
#[test]
fn a_fence_indented_four_spaces_outside_a_list_is_code() {
    let scan = scan_module("Text.\n\n    ::: activity\n    :::\n");
    assert!(top_blocks(&scan).is_empty());
    assert!(
        scan.sections[0]
            .body
            .markdown
            .contains("    ::: activity\n    :::\n")
    );
    let warning = |line: usize| {
        format!(
            "m.md:{line}:1: warning: this `:::` line is indented four spaces or more, so it is code, not a block fence\n  hint: remove the indentation, or indent the fence under a list item to put the block in that item"
        )
    };
    assert_eq!(messages(&scan), [warning(3), warning(4)]);
}

// why: under a list item, a fence belongs to the item up to four columns
// past the item's text, however deep the list is nested.
#[test]
fn a_fence_under_a_nested_list_item_is_a_fence() {
    let text = "::: quiz\n1. Why?\n   - Because\n\n     ::: answers\n     Yes.\n     :::\n:::\n";
    let scan = scan_module(text);
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    let Block::Quiz(quiz) = top_blocks(&scan)[0] else {
        panic!("not a quiz")
    };
    assert!(quiz.questions[0].answers.is_some());
    // Once the list has ended, the same indentation is code again.
    let scan = scan_module("- Item\n\nText.\n\n      ::: answers\n");
    assert!(top_blocks(&scan).is_empty());
    assert_eq!(scan.diagnostics.len(), 1, "{:?}", messages(&scan));
}

#[test]
fn list_markers() {
    assert_eq!(list_marker_width("- item"), Some(2));
    assert_eq!(list_marker_width("12.  item"), Some(5));
    assert_eq!(list_marker_width("1)"), Some(3));
    assert_eq!(list_marker_width("-      code"), Some(2));
    assert_eq!(list_marker_width("*emphasis*"), None);
    assert_eq!(list_marker_width("1234567890. too long"), None);
    assert_eq!(list_marker_width("Text"), None);
}

#[test]
fn options_with_a_misread_box_or_none_are_found() {
    assert_eq!(
        misread_option("- [v] CPA", false).as_deref(),
        Some("cannot read `[v]` as an option's box")
    );
    assert!(misread_option("- [] CPA", false).is_some());
    assert!(misread_option("* [ x] CPA", false).is_some());
    assert_eq!(
        misread_option("- UNICEF", true).as_deref(),
        Some("an option without a box")
    );
    for fine in [
        "- [x] CPA",
        "- [ ] CPA",
        "- a fact",
        "- [a](https://x.org)",
        "-1",
        "text",
    ] {
        assert_eq!(misread_option(fine, false), None, "{fine}");
    }
    assert_eq!(misread_option("- [X] CPA", true), None);
}

// why: word processors type curly quotes; say so, once, not "minutes missing" too.
#[test]
fn curly_quotes_around_a_value_are_one_error() {
    let scan = scan_module("::: activity title=“Group work” minutes=30\nText.\n:::\n");
    assert_eq!(
        messages(&scan),
        [
            "m.md:1:20: error: curly quotes around an attribute's value\n  hint: replace the curly quotes (as word processors type them) with straight ones, as in `title=\"Group work\"`"
        ]
    );
    let inside = scan_module("::: activity title=\"L’enfant\" minutes=30\nText.\n:::\n");
    assert!(inside.diagnostics.is_empty(), "{:?}", messages(&inside));
}

// why: Pandoc reads single quotes and an opening fence that ends in colons.
#[test]
fn single_quotes_and_closing_colons_on_an_opening_fence() {
    let scan = scan_module("::: activity title='Group work' minutes=30 :::\nText.\n:::\n");
    assert!(scan.diagnostics.is_empty(), "{:?}", messages(&scan));
    match top_blocks(&scan)[..] {
        [Block::Activity(a)] => assert_eq!(a.title, "Group work"),
        ref other => panic!("{other:?}"),
    }
    assert_eq!(without_closing_colons(" minutes=5 :::"), " minutes=5 ");
    assert_eq!(without_closing_colons(" title=a:::"), " title=a:::");
}

// why: `{slide = 4}` is what many authors type; two slides on one heading is one range.
#[test]
fn slide_attributes_with_spaces_or_given_twice() {
    let spaced = scan_module("## Welcome {slide = 4}\n\nNotes.\n");
    assert!(spaced.diagnostics.is_empty(), "{:?}", messages(&spaced));
    let heading = spaced.sections[1].heading.as_ref().unwrap();
    assert_eq!(heading.slides, Some(SlideRange { first: 4, last: 4 }));
    assert_eq!(heading.title, "Welcome");
    let twice = scan_module("## Welcome {slide=1 slide=2}\n\nNotes.\n");
    assert_eq!(
        messages(&twice),
        [
            "m.md:1:1: error: `slide` is given twice on one heading\n  hint: write one range for several slides, as in `{slide=1-2}`"
        ]
    );
}
