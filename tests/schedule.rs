//! A module's set start (`start = "13:30"`, `after = "Lunch"`): broken
//! fixtures assert the exact diagnostic, and the course schedule of a good
//! pack honours it.

use crate::common::{TestPack, bad, check_diagnostics, fixture, run_in};
use crate::site;

bad!(
    module_start_bad_time,
    "modules/01-intro.md:4:9: error: `start` must be a time of day, found \"1330\"\n  hint: write the time as hours and minutes on a 24-hour clock, as in \"09:00\" or \"13:30\""
);
bad!(
    module_after_unknown_break,
    "modules/02-after.md:4:1: error: there is no break `lnch` in `[schedule] breaks`\n  hint: did you mean `after = \"Lunch\"`?"
);
bad!(
    /// Both times are said: when it was meant to start and when the
    /// module before it ends.
    module_start_before_previous_end,
    "modules/02-fixed.md:4:1: error: module `02-fixed` is set to start at 10:00, but module `01-intro` before it ends at 11:00\n  hint: set a later `start`, shorten the modules before it, or remove `start` to let it follow them"
);
bad!(
    module_after_break_taken,
    "modules/03-after.md:4:1: error: module `03-after` is set to start after `Coffee` (at 10:45), but module `02-next` before it ends at 11:15, after `Coffee` was taken\n  hint: name a later break, shorten the modules before it, or remove `after` to let it follow them"
);
bad!(
    module_start_and_after,
    "modules/01-intro.md:5:9: error: `start` and `after` are both set: a module starts at one time\n  hint: keep `start = \"13:30\"` for a time of day, or `after = \"Lunch\"` to follow a break, not both"
);

// why: the schedule page is what trainers print; it must show the set starts.
#[test]
fn schedule_page_honours_start_and_after() {
    let pack = TestPack::copy("ok", "module_start");
    let run = run_in(&pack.root, &["build", "--quiet", "--no-pdf"]);
    assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
    let text = site::text(&site::read(&pack.path("site"), "schedule.html"));
    for expected in [
        "09:00 Module 1: Intro",
        "10:30 Break Coffee",
        "12:30 Break Lunch",
        "13:30 Module 2: After lunch",
        "15:00 Module 3: Fixed",
    ] {
        assert!(text.contains(expected), "no `{expected}` in:\n{text}");
    }
}

// why: a clean pack with set starts gets no diagnostics at all.
#[test]
fn set_starts_check_clean() {
    assert_eq!(check_diagnostics(&fixture("ok", "module_start")), "");
}
