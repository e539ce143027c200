//! `trainpack --version` and `trainpack doc`: run as a user runs them.

use crate::common::run_in;

fn here() -> std::path::PathBuf {
    std::env::temp_dir()
}

// why: `--version` names the Typst that typesets the PDFs, since it decides
// how they look (issue 25).
#[test]
fn version_names_trainpack_and_the_typst_it_embeds() {
    for flag in ["--version", "-V"] {
        let run = run_in(&here(), &[flag]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let words: Vec<&str> = run.stdout.trim_end().split(' ').collect();
        assert_eq!(words.len(), 4, "{:?}", run.stdout);
        assert_eq!(words[0], "trainpack");
        assert_eq!(words[1], env!("CARGO_PKG_VERSION"));
        assert_eq!(words[2], "(typst");
        let typst = words[3].strip_suffix(')').expect("a closing bracket");
        assert!(
            typst.split('.').count() == 3 && typst.split('.').all(|n| n.parse::<u32>().is_ok()),
            "{typst}"
        );
    }
}

// why: the guide must be there offline, one part per topic (issue 25).
#[test]
fn each_doc_topic_prints_its_heading() {
    let topics = [
        (
            "format",
            "# The source format: the pack, `book.toml` and a module",
        ),
        ("blocks", "# Blocks and handouts"),
        ("links", "# Links and pictures"),
        ("quiz", "# The quiz"),
        ("schedule", "# Timing and the course schedule"),
        ("translate", "# A pack in several languages"),
        ("print", "# Printing for a class"),
        ("publish", "# Publishing the site"),
        ("themes", "# Themes and templates"),
        ("check", "# When something is wrong: errors and warnings"),
    ];
    for (topic, heading) in topics {
        let run = run_in(&here(), &["doc", topic]);
        assert_eq!(run.code, 0, "{topic}: {}", run.stderr);
        assert_eq!(run.stdout.lines().next(), Some(heading), "{topic}");
    }
}

// why: `trainpack doc` alone lists the topics, so a user finds the one to read.
#[test]
fn doc_without_a_topic_lists_the_topics() {
    let run = run_in(&here(), &["doc"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("# The trainpack guide\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("- `quiz`: The end-of-module quiz and its answer key (docs/guide/quiz.md)\n"),
        "{}",
        run.stdout
    );
}

// why: a mistyped topic is an error that lists the topics there are.
#[test]
fn an_unknown_doc_topic_is_an_error_listing_the_topics() {
    let run = run_in(&here(), &["doc", "quizz"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("error: invalid value 'quizz' for '[TOPIC]'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "[possible values: format, blocks, links, quiz, schedule, translate, print, publish, themes, check]"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tip: a similar value exists: 'quiz'"),
        "{}",
        run.stderr
    );
}
