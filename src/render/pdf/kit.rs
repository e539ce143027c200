//! The evaluation kit of a course, as `trainpack print` writes it beside a
//! class's print run: a pre-test and a post-test made of the modules'
//! quizzes (the same questions, each with its options in its own order)
//! with a key for each, the participants' evaluation form, an attendance
//! sheet per day and certificates of attendance.

use serde::Serialize;

use crate::model::schedule::CourseSchedule;
use crate::model::{Module, Quiz};
use crate::render::Audience;
use crate::render::i18n::words_for;
use crate::render::pdf::documents::{Documents, Job};

/// Which of the two tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Test {
    /// Taken before the course.
    Pre,
    /// Taken after it.
    Post,
}

/// The evaluation form, as `data.evaluation`.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationForm {
    /// How to fill it in.
    pub intro: String,
    /// The rating scale, lowest first: "1" … "5".
    pub scale: Vec<String>,
    /// What the lowest and highest ratings mean.
    pub low: String,
    /// What the highest rating means.
    pub high: String,
    /// Each module taught: its label and what is rated.
    pub modules: Vec<RatedModule>,
    /// The questions about the course as a whole (the theme's words).
    pub course: Vec<String>,
}

/// A module on the evaluation form.
#[derive(Debug, Clone, Serialize)]
pub struct RatedModule {
    /// "Module 4: …".
    pub label: String,
    /// The statements rated: the module itself, then each outcome.
    pub statements: Vec<String>,
}

/// The attendance sheets, as `data.attendance`.
#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    /// One sheet per day of the course.
    pub days: Vec<AttendanceDay>,
    /// The names, in order; rows past them are left blank.
    pub names: Vec<String>,
    /// How many rows each sheet has.
    pub rows: usize,
}

/// One day's sheet.
#[derive(Debug, Clone, Serialize)]
pub struct AttendanceDay {
    /// "Day 2".
    pub title: String,
    /// The modules taught that day.
    pub modules: Vec<String>,
}

/// The certificates, as `data.certificates`.
#[derive(Debug, Clone, Serialize)]
pub struct Certificates {
    /// One per participant: a name, or empty for a line to write it on.
    pub names: Vec<String>,
    /// "2h 30min of training", for the course taught.
    pub time: String,
    /// The modules taught.
    pub modules: Vec<String>,
}

impl Documents<'_> {
    /// A test made of the quizzes of `modules`: for participants, or its
    /// key for trainers (`audience`).
    pub fn test(&self, modules: &[&Module], test: Test, audience: Audience) -> Job {
        let words = words_for(self.words, self.pack, None);
        let (name, key) = match test {
            Test::Pre => ("pre_test", "pre-test"),
            Test::Post => ("post_test", "post-test"),
        };
        let mut title = words.get(name).to_string();
        let mut path = format!("kit/{key}.pdf");
        if audience == Audience::Key {
            title = words.fill("test_key", &[("title", &title)]);
            path = format!("kit/{key}-key.pdf");
        }
        let cx = self.markup_context(audience, crate::model::config::CONFIG_FILE);
        let mut body = String::new();
        for module in modules {
            let Some(quiz) = module.quiz() else { continue };
            body.push_str(&format!(
                "#heading(level: 2, {})\n\n",
                super::markup::string(&self.label(module))
            ));
            body.push_str(&cx.quiz(&shuffled(quiz, &module.slug, test)));
        }
        let mut data = self.document(None, "test", title);
        data.body = body;
        Job {
            path,
            template: "pdf/quiz.typ",
            data,
            videos: cx.videos.into_inner(),
            source: crate::model::config::CONFIG_FILE.to_string(),
            drawn: None,
        }
    }

    /// The participants' evaluation form of the modules taught.
    pub fn evaluation(&self, modules: &[&Module]) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(None, "evaluation", words.get("evaluation_form").to_string());
        let useful = words.get("evaluation_module").to_string();
        data.evaluation = Some(EvaluationForm {
            intro: words.get("evaluation_intro").to_string(),
            scale: (1..=5).map(|n| n.to_string()).collect(),
            low: words.get("evaluation_low").to_string(),
            high: words.get("evaluation_high").to_string(),
            modules: modules
                .iter()
                .map(|m| RatedModule {
                    label: self.label(m),
                    statements: std::iter::once(useful.clone())
                        .chain(
                            m.outcomes
                                .iter()
                                .map(|o| words.fill("evaluation_outcome", &[("outcome", o)])),
                        )
                        .collect(),
                })
                .collect(),
            course: lines(words.get("evaluation_questions")),
        });
        kit_job(data, "kit/evaluation.pdf", "pdf/evaluation.typ")
    }

    /// An attendance sheet for each day of `schedule` that teaches one of
    /// `modules`, with `rows` lines (the first holding `names`).
    pub fn attendance(
        &self,
        schedule: &CourseSchedule,
        modules: &[&Module],
        names: &[String],
        rows: usize,
    ) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(
            None,
            "attendance",
            words.get("attendance_sheet").to_string(),
        );
        let taught = |slug: &str| modules.iter().any(|m| m.slug == slug);
        let days = schedule
            .days
            .iter()
            .filter_map(|day| {
                let on_day: Vec<String> = day
                    .rows
                    .iter()
                    .filter(|r| r.kind == "module")
                    .filter_map(|r| r.module.as_deref().filter(|s| taught(s)))
                    .filter_map(|slug| modules.iter().find(|m| m.slug == slug))
                    .map(|m| self.label(m))
                    .collect();
                (!on_day.is_empty()).then(|| AttendanceDay {
                    title: words.fill("day", &[("number", &day.number.to_string())]),
                    modules: on_day,
                })
            })
            .collect();
        data.attendance = Some(Attendance {
            days,
            names: names.to_vec(),
            rows: rows.max(names.len()),
        });
        kit_job(data, "kit/attendance.pdf", "pdf/attendance.typ")
    }

    /// A certificate of attendance for each of `names`, or `count` with a
    /// line for the name when there are no names.
    pub fn certificates(
        &self,
        modules: &[&Module],
        minutes: crate::model::time::Minutes,
        names: &[String],
        count: usize,
    ) -> Job {
        let words = words_for(self.words, self.pack, None);
        let mut data = self.document(None, "certificates", words.get("certificate").to_string());
        data.certificates = Some(Certificates {
            names: match names.is_empty() {
                true => vec![String::new(); count],
                false => names.to_vec(),
            },
            time: words.fill("certificate_time", &[("time", &words.duration(minutes))]),
            modules: modules.iter().map(|m| self.label(m)).collect(),
        });
        kit_job(data, "kit/certificates.pdf", "pdf/certificates.typ")
    }
}

fn kit_job(data: super::documents::Document, path: &str, template: &'static str) -> Job {
    Job {
        path: path.to_string(),
        template,
        data,
        videos: Vec::new(),
        source: crate::model::config::CONFIG_FILE.to_string(),
        drawn: None,
    }
}

/// The lines of a word holding one question per line.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `quiz` with each question's options in the order `test` gives them:
/// drawn from the question's own text, so the same in every build, and
/// never the same for the post-test as for the pre-test.
pub fn shuffled(quiz: &Quiz, slug: &str, test: Test) -> Quiz {
    let mut quiz = quiz.clone();
    for question in &mut quiz.questions {
        let seed = |variant: &str| {
            let mut hasher = blake3::Hasher::new();
            hasher.update(slug.as_bytes());
            hasher.update(question.text.markdown.as_bytes());
            hasher.update(variant.as_bytes());
            u64::from_le_bytes(
                hasher.finalize().as_bytes()[..8]
                    .try_into()
                    .unwrap_or_default(),
            )
        };
        let pre = order(question.options.len(), seed("pre"));
        let chosen = match test {
            Test::Pre => pre,
            Test::Post => {
                let mut post = order(question.options.len(), seed("post"));
                if post == pre && post.len() > 1 {
                    post.rotate_left(1);
                }
                post
            }
        };
        let options = std::mem::take(&mut question.options);
        question.options = chosen.iter().map(|&i| options[i].clone()).collect();
    }
    quiz
}

/// A permutation of `0..n` drawn from `seed` (Fisher–Yates over
/// xorshift64*).
fn order(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut out: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // why: the two tests hold the same options, in a fixed order that
    // differs between them, so a participant cannot learn positions.
    #[test]
    fn the_post_test_orders_options_otherwise() {
        for n in 2..8 {
            for seed in 0..50u64 {
                let pre = order(n, seed);
                let mut sorted = pre.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..n).collect::<Vec<_>>());
                assert_eq!(pre, order(n, seed), "not deterministic");
            }
        }
        let file = crate::diag::SourceFile::new(
            "m.md",
            "::: quiz\n1. Which?\n   - [ ] A\n   - [x] B\n   - [ ] C\n   - [ ] D\n:::\n",
        );
        let scan = crate::load::blocks::scan(&file, 0, crate::load::blocks::Mode::Module);
        let quiz = scan.sections[0]
            .body
            .blocks
            .iter()
            .find_map(|b| match b {
                crate::model::Block::Quiz(q) => Some(q.clone()),
                _ => None,
            })
            .unwrap();
        let texts = |q: &Quiz| -> Vec<String> {
            q.questions[0]
                .options
                .iter()
                .map(|o| o.text.clone())
                .collect()
        };
        let (pre, post) = (
            shuffled(&quiz, "m", Test::Pre),
            shuffled(&quiz, "m", Test::Post),
        );
        assert_ne!(texts(&pre), texts(&post));
        let mut a = texts(&pre);
        let mut b = texts(&post);
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(texts(&pre), texts(&shuffled(&quiz, "m", Test::Pre)));
        let correct = |q: &Quiz| {
            q.questions[0]
                .options
                .iter()
                .find(|o| o.correct)
                .map(|o| o.text.clone())
        };
        assert_eq!(correct(&post).as_deref(), Some("B"));
    }
}
