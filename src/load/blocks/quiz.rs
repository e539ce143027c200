//! The quiz block: numbered questions, their options as task-list items,
//! and the misreadings that would print an answer on the participants'
//! quiz.

#[allow(clippy::wildcard_imports)]
use super::*;

impl Scanner<'_> {
    pub(super) fn quiz(&mut self, open: Open) -> Option<Block> {
        let title = self
            .attr(&open, "title")
            .map_or_else(|| "Quiz".to_string(), |t| t.value.clone());
        let line = open.line;
        let body = self.body(open.body);
        let split = lists::split(&body.markdown);
        let placeholders = placeholder_lines(&body);
        let stray: Vec<usize> = split
            .stray
            .iter()
            .copied()
            .filter(|l| !placeholders.iter().any(|(pl, _)| pl == l))
            .collect();
        self.report_stray(&body, &stray, "a quiz holds a numbered list of questions");
        let items = self.without_loose_options(&body, split.items);
        let mut blocks: Vec<Option<Block>> = body.blocks.iter().cloned().map(Some).collect();
        let mut questions = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let next_line = items.get(i + 1).map_or(usize::MAX, |n| n.line);
            let owned: Vec<usize> = placeholders
                .iter()
                .filter(|(pl, _)| *pl >= item.line && *pl < next_line)
                .map(|(_, index)| *index)
                .collect();
            questions.push(self.quiz_question(&body, item, owned, &mut blocks));
        }
        if questions.is_empty() {
            let d = Diagnostic::error("the quiz has no questions")
                .at_line(self.file, line)
                .hint("write the questions as a numbered list inside the quiz");
            self.out.diagnostics.push(d);
        }
        Some(Block::Quiz(Quiz {
            title,
            questions,
            line,
        }))
    }

    /// Drops, with an error, options that sit outside every question: read
    /// as questions, their `[x]` would print on the participants' quiz.
    pub(super) fn without_loose_options(&mut self, body: &Body, items: Vec<Item>) -> Vec<Item> {
        let (loose, questions): (Vec<Item>, Vec<Item>) = items
            .into_iter()
            .partition(|item| !item.ordered && starts_with_checkbox(&item.text));
        // The first is enough: one fix (indenting) mends them all.
        if let Some(first) = loose.first() {
            let d = Diagnostic::error("a quiz option outside its question")
                .at_line(self.file, body.source_line(first.line))
                .hint("indent each option under its question, level with the question's text: `1. Who …?` then `   - [x] …`");
            self.out.diagnostics.push(d);
        }
        questions
    }

    pub(super) fn quiz_question(
        &mut self,
        body: &Body,
        item: &Item,
        owned: Vec<usize>,
        blocks: &mut [Option<Block>],
    ) -> QuizQuestion {
        let line = body.source_line(item.line);
        let mut text = BodyBuilder::default();
        let mut options: Vec<QuizOption> = Vec::new();
        for (offset, text_line) in item.text.lines().enumerate() {
            let source_line = body.source_line(item.line + offset);
            if parse_placeholder(text_line).is_some() {
                continue;
            }
            let indented = text_line.trim_start();
            if let (true, Some((correct, option))) =
                (indented.len() < text_line.len(), task_item(indented))
            {
                // Read as a nested list or as text, it would lose its box.
                let d = Diagnostic::error(format!(
                    "this option is indented {} more than {}",
                    spaces(text_line.len() - indented.len()),
                    if options.is_empty() {
                        "the question's text"
                    } else {
                        "the option before it"
                    }
                ))
                .at_line(self.file, source_line)
                .hint("start every option of a question in the same column as the question's text: `1. ` then `   - [ ] `");
                self.out.diagnostics.push(d);
                options.push(QuizOption {
                    text: option.to_string(),
                    correct,
                    line: source_line,
                });
            } else if let Some(problem) = misread_option(text_line, !options.is_empty()) {
                let d = Diagnostic::error(problem)
                    .at_line(self.file, source_line)
                    .hint("start each option with `- [ ]`, or `- [x]` for a correct one");
                self.out.diagnostics.push(d);
            } else if let Some((correct, option)) = task_item(text_line) {
                options.push(QuizOption {
                    text: option.to_string(),
                    correct,
                    line: source_line,
                });
            } else if let (Some(last), true) = (options.last_mut(), text_line.starts_with("  ")) {
                last.text.push(' ');
                last.text.push_str(text_line.trim());
            } else {
                text.push_line(text_line, source_line);
            }
        }
        let mut answers: Option<Answers> = None;
        for index in owned {
            match blocks.get_mut(index).and_then(Option::take) {
                Some(Block::Answers(a)) if answers.is_none() => answers = Some(a),
                Some(Block::Answers(a)) => {
                    let d = Diagnostic::error("this quiz question already has an `answers` block")
                        .at_line(self.file, a.line)
                        .hint("put all the possible answers of a question in one block");
                    self.out.diagnostics.push(d);
                }
                Some(other) => {
                    let d = Diagnostic::error("only `answers` blocks may sit inside a quiz")
                        .at_line(self.file, other.line())
                        .hint("move the block out of the quiz");
                    self.out.diagnostics.push(d);
                }
                None => {}
            }
        }
        if !options.is_empty() && !options.iter().any(|o| o.correct) {
            let d = Diagnostic::error("quiz question has options but none is marked correct")
                .at_line(self.file, line)
                .hint("mark each correct option with `[x]`, as in `- [x] The right answer`");
            self.out.diagnostics.push(d);
        }
        QuizQuestion {
            text: text.build(),
            options,
            answers,
            line,
        }
    }
}

/// "1 space", "4 spaces".
fn spaces(n: usize) -> String {
    if n == 1 {
        "1 space".into()
    } else {
        format!("{n} spaces")
    }
}

/// The placeholder lines of a body: (markdown line, block index).
pub(super) fn placeholder_lines(body: &Body) -> Vec<(usize, usize)> {
    body.markdown
        .lines()
        .enumerate()
        .filter_map(|(i, l)| parse_placeholder(l).map(|index| (i, index)))
        .collect()
}

/// The width of a list item's marker and the spaces after it (`- `,
/// `12. `), when `line` (without its indentation) starts with one.
pub(super) fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = match line.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &line[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    match spaces {
        0 if rest.is_empty() => Some(marker + 1),
        0 => None,
        // Five spaces or more: one belongs to the marker, the rest is code.
        1..=4 if spaces < rest.len() => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// Reads `- [ ] text` or `- [x] text`: (correct, text).
/// What is wrong with a line meant as a quiz option, if anything: a box
/// such as `[]` or `[v]` (printed as it is, `[v]` would show participants
/// the answer), or a plain list item among options (`after_option`).
pub(super) fn misread_option(line: &str, after_option: bool) -> Option<String> {
    let rest = line.strip_prefix(['-', '*', '+'])?;
    if !rest.starts_with([' ', '\t']) || task_item(line).is_some() {
        return None;
    }
    let rest = rest.trim_start();
    let close = rest.find(']').filter(|&i| i <= 3);
    match close {
        Some(i) if rest.starts_with('[') && !rest[i + 1..].starts_with(['(', '[']) => {
            Some(format!("cannot read `{}` as an option's box", &rest[..=i]))
        }
        _ if after_option => Some("an option without a box".to_string()),
        _ => None,
    }
}

pub(super) fn starts_with_checkbox(text: &str) -> bool {
    ["[ ]", "[x]", "[X]"]
        .iter()
        .any(|mark| text.starts_with(mark))
}

pub(super) fn task_item(line: &str) -> Option<(bool, &str)> {
    let rest = line.strip_prefix(['-', '*', '+'])?.trim_start();
    let (mark, text) = (rest.get(..3)?, rest.get(3..)?);
    let correct = match mark {
        "[ ]" => false,
        "[x]" | "[X]" => true,
        _ => return None,
    };
    Some((correct, text.trim()))
}
