//! Good fixture packs load into the model the renderers read: these tests
//! pin down what the loader makes of each part of the format.

use trainpack::load::LoadOptions;
use trainpack::load::schedule::course_schedule;
use trainpack::model::schedule::ItemKind;
use trainpack::model::time::Minutes;
use trainpack::model::{Block, Pack};

use crate::common::{check_diagnostics, fixture};

fn load(name: &str) -> Pack {
    let checked = trainpack::load_and_check(&fixture("ok", name), &LoadOptions::default());
    let diags: Vec<String> = checked
        .diagnostics
        .sorted()
        .iter()
        .map(|d| d.short())
        .collect();
    assert!(diags.is_empty(), "{diags:#?}");
    checked.pack.expect("pack loads")
}

// why: the smallest pack is one module with only a title.
#[test]
fn minimal_pack_checks_clean() {
    assert_eq!(check_diagnostics(&fixture("ok", "minimal")), "");
    let pack = load("minimal");
    assert_eq!(pack.config.pack.title, "Minimal pack");
    assert_eq!(pack.modules.len(), 1);
    assert_eq!(pack.modules[0].slug, "intro");
    assert_eq!(pack.modules[0].number, None);
    assert_eq!(pack.modules[0].schedule.total, Minutes(0));
}

// why: modules are ordered by number, then path; folder modules use the folder name.
#[test]
fn modules_are_ordered_and_named() {
    let pack = load("full");
    let names: Vec<(&str, Option<u32>, &str)> = pack
        .modules
        .iter()
        .map(|m| (m.slug.as_str(), m.number, m.path.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("01-welcome", Some(1), "modules/01-welcome.md"),
            ("02-roles", Some(2), "modules/02-roles/module.md"),
        ]
    );
    assert_eq!(pack.assets.len(), 1);
    assert_eq!(pack.assets[0].path, "modules/02-roles/media/levels.svg");
}

// why: front matter keys reach the model under the names of FORMAT.md.
#[test]
fn front_matter_fills_the_module() {
    let pack = load("full");
    let m = &pack.modules[1];
    assert_eq!(m.title, "Roles & Responsibilities");
    assert_eq!(m.duration, Some(Minutes(50)));
    assert_eq!(m.outcomes, ["Name the actors", "Refer a case"]);
    assert_eq!(m.activities, ["Presentation", "Group work", "Quiz"]);
    assert_eq!(m.key_messages, ["Protection is shared", "Refer early"]);
    assert_eq!(m.slides.len(), 3);
    assert_eq!(m.slides[0].points, ["Mission", "UN agencies", "Government"]);
    assert_eq!(
        m.slides[0].video.as_deref(),
        Some("https://youtu.be/example")
    );
    assert_eq!(m.slides[0].line, 11);
    assert_eq!(
        pack.config.pdf.paper,
        trainpack::model::config::Paper::Letter
    );
}

// why: `handouts` in the front matter chooses and orders handout files and inline handouts.
#[test]
fn handouts_follow_the_front_matter_order() {
    let pack = load("full");
    let m = &pack.modules[1];
    let ids: Vec<(&str, &str, &str)> = m
        .handouts
        .iter()
        .map(|h| (h.id.as_str(), h.title.as_str(), h.path.as_str()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "case-study-2",
                "Case Study 2",
                "modules/02-roles/handouts/case-study-2.md"
            ),
            (
                "case-study-1",
                "Case Study 1",
                "modules/02-roles/handouts/case-study-1.md"
            ),
            (
                "checklist",
                "Referral checklist",
                "modules/02-roles/module.md"
            ),
        ]
    );
    let questions: Vec<&str> = m.handouts[1]
        .questions()
        .iter()
        .map(|q| q.text.as_str())
        .collect();
    assert_eq!(
        questions,
        ["Which actors would you call?", "How do you report it?"]
    );
    assert_eq!(m.handouts[1].questions()[1].line, 9);
}

// why: notes sections carry the slides they cover, ranges included.
#[test]
fn notes_sections_cover_slides() {
    let pack = load("full");
    let m = &pack.modules[1];
    type Row<'a> = (&'a str, Option<(u32, u32)>, usize, &'a str);
    let sections: Vec<Row<'_>> = m
        .sections
        .iter()
        .map(|s| {
            (
                s.title.as_str(),
                s.slides.map(|r| (r.first, r.last)),
                s.line,
                s.anchor.as_str(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            ("Actors", Some((1, 1)), 40, "slide-1"),
            ("Key messages", Some((2, 3)), 68, "slides-2-3")
        ]
    );
}

// why: an activity holds its steps, answers and notes; numbered answers split into items.
#[test]
fn activity_blocks_nest() {
    let pack = load("full");
    let m = &pack.modules[1];
    let activities = m.activities_in_order();
    assert_eq!(activities.len(), 2);
    let group = activities[0];
    assert_eq!(
        (group.title.as_str(), group.minutes, group.line),
        ("Group work", Minutes(30), 44)
    );
    let steps = group.steps().expect("steps");
    let items: Vec<(u32, &str)> = steps
        .items
        .iter()
        .map(|s| (s.minutes.0, s.text.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            (5, "Form groups"),
            (20, "Discuss the case"),
            (5, "Report back")
        ]
    );
    let kinds: Vec<&str> = group
        .body
        .blocks
        .iter()
        .map(|b| match b {
            Block::Steps(_) => "steps",
            Block::Answers(_) => "answers",
            Block::Note(_) => "note",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["steps", "answers", "note"]);
    let Block::Answers(answers) = &group.body.blocks[1] else {
        panic!()
    };
    assert_eq!(
        answers.items.as_deref(),
        Some(
            &[
                "Invite everyone".to_string(),
                "Report to the CPA".to_string()
            ][..]
        )
    );
}

// why: quiz options are task items; open questions carry their answers block.
#[test]
fn quiz_questions_and_options() {
    let pack = load("full");
    let quiz = pack.modules[1].quiz().expect("quiz");
    assert_eq!(quiz.title, "End of module quiz");
    assert_eq!(quiz.questions.len(), 2);
    let options: Vec<(&str, bool)> = quiz.questions[0]
        .options
        .iter()
        .map(|o| (o.text.as_str(), o.correct))
        .collect();
    assert_eq!(
        options,
        [
            ("The Police Commissioner", false),
            ("The Child Protection Advisor", true)
        ]
    );
    assert!(quiz.questions[0].answers.is_none());
    assert!(quiz.questions[1].options.is_empty());
    let answers = quiz.questions[1].answers.as_ref().expect("open answer");
    assert_eq!(answers.body.markdown.trim(), "The specialised police unit.");
    assert_eq!(quiz.questions[1].line, 75);
}

// why: the running clock puts each section's slides before its activities.
#[test]
fn module_schedule_runs_in_teaching_order() {
    let pack = load("full");
    let schedule = &pack.modules[1].schedule;
    let rows: Vec<(ItemKind, u32, u32, &str)> = schedule
        .items
        .iter()
        .map(|i| (i.kind, i.start.0, i.minutes.0, i.title.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (ItemKind::Slide, 0, 5, "Actors"),
            (ItemKind::Activity, 5, 30, "Group work"),
            (ItemKind::Slide, 35, 2, "Key messages (1 of 2)"),
            (ItemKind::Slide, 37, 3, "Key messages (2 of 2)"),
            (ItemKind::Activity, 40, 10, "Quiz"),
        ]
    );
    assert_eq!(schedule.total, Minutes(50));
}

// why: with [schedule], the course gets clock times and the break falls between items.
#[test]
fn course_schedule_has_clock_times_and_breaks() {
    let pack = load("full");
    let course = course_schedule(
        pack.modules.iter().map(|m| &**m),
        pack.config.schedule.as_ref(),
    );
    assert!(course.clock);
    let rows: Vec<(String, String, String)> = course.days[0]
        .rows
        .iter()
        .map(|r| (r.at.clone(), r.kind.clone(), r.title.clone()))
        .collect();
    let expected = [
        ("09:00", "module", "Module 1: Welcome"),
        ("09:00", "slide", "Welcome"),
        ("09:05", "slide", "Programme"),
        ("09:10", "activity", "Introductions"),
        ("09:15", "module", "Module 2: Roles & Responsibilities"),
        ("09:15", "slide", "Actors"),
        ("09:20", "activity", "Group work"),
        ("09:50", "break", "Coffee"),
        ("10:05", "slide", "Key messages (1 of 2)"),
        ("10:07", "slide", "Key messages (2 of 2)"),
        ("10:10", "activity", "Quiz"),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(course.days.len(), 1);
    assert_eq!(course.total, Minutes(65));
}
