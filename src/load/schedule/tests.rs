use super::*;
use crate::model::config::Break;
use crate::model::{Activity, Body, Module, Section, SlideRange};

fn slide(number: u32, minutes: u32) -> Slide {
    Slide {
        number,
        id: None,
        title: format!("Slide {number}"),
        minutes: Some(Minutes(minutes)),
        points: Vec::new(),
        body: String::new(),
        video: None,
        image: None,
        line: 1,
    }
}

fn activity_body(title: &str, minutes: u32) -> Body {
    Body {
        markdown: format!("{}\n", crate::model::placeholder(0)),
        blocks: vec![Block::Activity(Activity {
            title: title.into(),
            minutes: Minutes(minutes),
            number: 1,
            anchor: "activity-1".into(),
            line: 1,
            body: Body::default(),
        })],
        lines: vec![1],
    }
}

fn section(first: u32, last: u32, body: Body) -> Section {
    Section {
        title: "S".into(),
        slides: Some(SlideRange { first, last }),
        slide_id: None,
        anchor: format!("slide-{first}"),
        line: 1,
        body,
    }
}

fn module(slug: &str, minutes: &[u32]) -> Module {
    let slides: Vec<Slide> = minutes
        .iter()
        .enumerate()
        .map(|(i, m)| slide(i as u32 + 1, *m))
        .collect();
    let sections: Vec<Section> = (1..=slides.len() as u32)
        .map(|n| section(n, n, Body::default()))
        .collect();
    let schedule = module_schedule(&slides, &Body::default(), &sections);
    Module {
        slug: slug.into(),
        path: format!("modules/{slug}.md"),
        dir: "modules".into(),
        number: None,
        title: slug.into(),
        duration: None,
        summary: None,
        outcomes: Vec::new(),
        activities: Vec::new(),
        key_messages: Vec::new(),
        language: None,
        draft: false,
        slides,
        overview: Body::default(),
        sections,
        handouts: Vec::new(),
        schedule,
        start: None,
        untranslated: false,
        translation_of: None,
    }
}

fn config(start: u32, day_end: Option<u32>, breaks: &[(u32, u32)]) -> ScheduleConfig {
    ScheduleConfig {
        start: ClockTime(start),
        day_end: day_end.map(ClockTime),
        breaks: breaks
            .iter()
            .map(|(at, minutes)| Break {
                at: ClockTime(*at),
                minutes: Minutes(*minutes),
                title: "Break".into(),
            })
            .collect(),
    }
}

fn rows(course: &CourseSchedule) -> Vec<Vec<(String, String)>> {
    course
        .days
        .iter()
        .map(|d| {
            d.rows
                .iter()
                .map(|r| (r.at.clone(), r.kind.clone()))
                .collect()
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// why: a slide's notes may hold activities; they run after the slide.
#[test]
fn activities_follow_their_section_slides() {
    let slides = [slide(1, 5), slide(2, 3)];
    let sections = [
        section(1, 1, activity_body("Work", 10)),
        section(2, 2, Body::default()),
    ];
    let schedule = module_schedule(&slides, &Body::default(), &sections);
    let items: Vec<(ItemKind, u32)> = schedule.items.iter().map(|i| (i.kind, i.start.0)).collect();
    assert_eq!(
        items,
        [
            (ItemKind::Slide, 0),
            (ItemKind::Activity, 5),
            (ItemKind::Slide, 15)
        ]
    );
    assert_eq!(schedule.total, Minutes(18));
}

// why: slides without notes still take their time, at the end.
#[test]
fn uncovered_slides_are_scheduled_last() {
    let slides = [slide(1, 5), slide(2, 3)];
    let sections = [section(2, 2, Body::default())];
    let schedule = module_schedule(&slides, &Body::default(), &sections);
    let numbers: Vec<Option<u32>> = schedule.items.iter().map(|i| i.slide).collect();
    assert_eq!(numbers, [Some(2), Some(1)]);
    assert_eq!(schedule.items[1].anchor, "slide-1");
}

// why: without [schedule] the run sheet shows elapsed time from the course start.
#[test]
fn elapsed_times_without_a_clock() {
    let modules = [module("a", &[30]), module("b", &[45])];
    let course = course_schedule(&modules, None);
    assert!(!course.clock);
    assert_eq!(
        rows(&course),
        [pairs(&[
            ("0h 00m", "module"),
            ("0h 00m", "slide"),
            ("0h 30m", "module"),
            ("0h 30m", "slide")
        ])]
    );
    assert_eq!(course.total, Minutes(75));
}

// why: a break never cuts an item in two: it waits for the next boundary.
#[test]
fn breaks_fall_between_items() {
    let modules = [module("a", &[20, 20])];
    let course = course_schedule(&modules, Some(&config(9 * 60, None, &[(9 * 60 + 10, 15)])));
    assert_eq!(
        rows(&course),
        [pairs(&[
            ("09:00", "module"),
            ("09:00", "slide"),
            ("09:20", "break"),
            ("09:35", "slide")
        ])]
    );
}

// why: a module that would end after day_end moves to the next morning.
#[test]
fn modules_move_to_the_next_day() {
    let modules = [module("a", &[120]), module("b", &[120])];
    let course = course_schedule(&modules, Some(&config(9 * 60, Some(12 * 60), &[])));
    assert_eq!(course.days.len(), 2);
    assert_eq!(course.days[1].number, 2);
    assert_eq!(course.days[1].rows[0].at, "09:00");
    assert_eq!(course.days[1].rows[0].title, "b");
}

// why: a module longer than a day still runs (late) rather than never.
#[test]
fn a_long_first_module_stays_on_its_day() {
    let modules = [module("a", &[600])];
    let course = course_schedule(&modules, Some(&config(9 * 60, Some(17 * 60), &[])));
    assert_eq!(course.days.len(), 1);
}
