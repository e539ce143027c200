//! A handout's numbered answers against its questions: the answer key sets
//! each answer under its question, so their counts must agree.

#[allow(clippy::wildcard_imports)]
use super::*;

impl Scanner<'_> {
    /// Warns when a handout's one `questions` block and its one `answers`
    /// block, a numbered list, differ in count.
    pub(super) fn check_answer_count(&mut self, body: &Body) {
        let questions: Vec<&Questions> = body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Questions(q) => Some(q),
                _ => None,
            })
            .collect();
        let answers: Vec<&Answers> = body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Answers(a) => Some(a),
                _ => None,
            })
            .collect();
        let ([questions], [answers]) = (&questions[..], &answers[..]) else {
            return;
        };
        let Some(numbered) = numbered_items(answers) else {
            return;
        };
        let asked = questions.items.len();
        if numbered == asked || asked == 0 {
            return;
        }
        let d = Diagnostic::warning(format!(
            "the handout has {} but {} numbered {}",
            count(asked, "question", "questions"),
            numbered,
            if numbered == 1 { "answer" } else { "answers" }
        ))
        .at_line(self.file, answers.line)
        .hint(format!(
            "number one answer per question (the `questions` block is at line {}), or write the answers as prose if they do not go one by one",
            questions.line
        ))
        .bearing(Bearing::Counts);
        self.out.diagnostics.push(d);
    }
}

/// How many items an `answers` block has when it is one numbered list.
fn numbered_items(answers: &Answers) -> Option<usize> {
    if !answers.body.blocks.is_empty() {
        return None;
    }
    let split = lists::split(&answers.body.markdown);
    let numbered =
        split.stray.is_empty() && !split.items.is_empty() && split.items.iter().all(|i| i.ordered);
    numbered.then_some(split.items.len())
}

/// "1 question", "3 questions".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
