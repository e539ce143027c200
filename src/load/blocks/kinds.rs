//! What each kind of block is: where it may sit, which attributes it
//! takes, and how a closed block becomes the model's [`Block`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// Where a kind may be written: the kinds of parent it accepts, `None`
/// standing for the top level of a module and `Some("handout")` also for the
/// top level of a handout file.
pub(super) fn allowed_parents(kind: &str) -> &'static [Option<&'static str>] {
    match kind {
        "activity" => &[None],
        "steps" => &[Some("activity")],
        "answers" => &[Some("activity"), Some("handout"), Some("quiz")],
        // Not in a handout: participants never see notes, and a handout's
        // trainer pages are its answers in the key.
        "note" => &[None, Some("activity"), Some("answers")],
        "questions" => &[Some("handout")],
        "quiz" => &[None, Some("activity")],
        "handout" => &[None, Some("activity")],
        "role" => &[None, Some("activity")],
        _ => &[],
    }
}

pub(super) fn placement_hint(kind: &str) -> &'static str {
    match kind {
        "activity" => {
            "activities sit at the top level of a module's notes, not inside other blocks"
        }
        "steps" => "put the `steps` block inside the `activity` whose time it splits",
        "answers" => {
            "put the `answers` block inside the activity, handout or quiz question it answers"
        }
        "note" => {
            "a `note` sits in the notes, an activity or an answers block; for a handout, put it inside the handout's `answers` block, which the answer key shows"
        }
        "questions" => {
            "`questions` belong in a handout: a file under `handouts/` or a `handout` block"
        }
        "quiz" => "put the quiz in the module's notes, or inside an activity",
        "handout" => "an inline `handout` block sits in the module's notes or inside an activity",
        "role" => "a `role` card sits in the module's notes or inside the activity that plays it",
        _ => "",
    }
}

/// The attributes each kind takes, required ones first.
pub(super) fn kind_attrs(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "activity" => (&["minutes"], &["title"]),
        "quiz" => (&[], &["title"]),
        "handout" => (&["id"], &["title", "audience"]),
        "role" => (&["title"], &[]),
        _ => (&[], &[]),
    }
}

impl Scanner<'_> {
    pub(super) fn type_block(&mut self, open: Open, parent: Option<&str>) -> Option<Block> {
        let kind = open.kind.clone();
        if kind == "?" {
            return None;
        }
        if !KINDS.contains(&kind.as_str()) {
            let hint = match nearest(&kind, KINDS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "the block kinds are {}",
                    KINDS.map(|k| format!("`{k}`")).join(", ")
                ),
            };
            self.error(
                format!("unknown block kind `{kind}`"),
                open.kind_span.clone(),
                &hint,
            );
            return None;
        }
        let parent_kind = parent.or((self.mode == Mode::Handout).then_some("handout"));
        // Inside a block of unknown kind (reported), where it may sit is moot.
        let parent_known = parent_kind.is_none_or(|p| KINDS.contains(&p));
        if parent_known && !allowed_parents(&kind).contains(&parent_kind) {
            let place = match parent_kind {
                Some(p) => format!("inside {} `{p}` block", article(p)),
                None => "at the top level of a module".to_string(),
            };
            let d = Diagnostic::error(format!(
                "{} `{kind}` block cannot sit {place}",
                article(&kind)
            ))
            .at(self.file, open.kind_span.clone())
            .hint(placement_hint(&kind))
            .bearing(Bearing::Misreads);
            // A block left open around it may be the cause.
            self.hold_or_report(vec![d]);
            return None;
        }
        if !self.check_attrs(&open) {
            return None;
        }
        match kind.as_str() {
            "activity" => self.activity(open),
            "steps" => self.steps(open),
            "answers" => Some(Block::Answers(self.answers(open))),
            "note" => Some(Block::Note(Note {
                line: open.line,
                body: self.body(open.body),
            })),
            "questions" => self.questions(open),
            "quiz" => self.quiz(open),
            "handout" => self.handout(open),
            "role" => {
                let title = self.attr(&open, "title")?.value.clone();
                Some(Block::Role(Role {
                    title,
                    line: open.line,
                    body: self.body(open.body),
                }))
            }
            _ => None,
        }
    }

    /// Reports unknown, repeated and missing attributes; false on any error.
    pub(super) fn check_attrs(&mut self, open: &Open) -> bool {
        // Unread attributes are reported once, not again as missing ones.
        let Some(attrs) = &open.attrs else {
            return false;
        };
        let (required, optional) = kind_attrs(&open.kind);
        let known: Vec<&str> = required.iter().chain(optional).copied().collect();
        let mut ok = true;
        for (i, attr) in attrs.iter().enumerate() {
            if !known.contains(&attr.key.as_str()) {
                let hint = match nearest(&attr.key, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if known.is_empty() => format!(
                        "{} `{}` block takes no attributes",
                        article(&open.kind),
                        open.kind
                    ),
                    None => format!(
                        "{} `{}` block takes {}",
                        article(&open.kind),
                        open.kind,
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                };
                self.error(
                    format!(
                        "unknown attribute `{}` on {} `{}` block",
                        attr.key,
                        article(&open.kind),
                        open.kind
                    ),
                    attr.span.clone(),
                    &hint,
                );
                ok = false;
            } else if attrs[..i].iter().any(|a| a.key == attr.key) {
                self.error(
                    format!("attribute `{}` is given twice", attr.key),
                    attr.span.clone(),
                    "keep one of them",
                );
                ok = false;
            }
        }
        for key in required {
            if !attrs.iter().any(|a| a.key == *key) {
                let example = match *key {
                    "minutes" => "minutes=10",
                    "title" => "title=\"The mother\"",
                    _ => "id=case-study-5",
                };
                let what = if open.kind == "activity" {
                    "an activity without minutes".to_string()
                } else {
                    format!(
                        "{} `{}` block without `{key}`",
                        article(&open.kind),
                        open.kind
                    )
                };
                self.error(
                    format!("{what}: `{key}` is required"),
                    open.kind_span.clone(),
                    &format!("add `{example}` after `::: {}`", open.kind),
                );
                ok = false;
            }
        }
        ok
    }

    pub(super) fn attr<'a>(&self, open: &'a Open, key: &str) -> Option<&'a Attr> {
        open.attrs.iter().flatten().find(|a| a.key == key)
    }

    pub(super) fn activity(&mut self, open: Open) -> Option<Block> {
        let minutes_attr = self.attr(&open, "minutes")?.clone();
        let parsed = Minutes::read(&minutes_attr.value);
        let Ok(minutes) = parsed else {
            let value = &minutes_attr.value;
            self.error(
                match parsed {
                    Err(DurationError::OutOfRange) => {
                        format!("`minutes={value}` must be from 0 to {MAX_MINUTES} minutes")
                    }
                    _ => format!("cannot read `minutes={value}` as a duration"),
                },
                minutes_attr.span,
                "write a number of minutes, as in `minutes=10`, or a duration such as `minutes=\"1h30\"`",
            );
            return None;
        };
        let title = match self.attr(&open, "title") {
            Some(t) => t.value.clone(),
            None => {
                self.warning(
                    "activity has no title".into(),
                    open.kind_span.clone(),
                    "add `title=\"...\"`: the schedule and the run sheet list activities by title",
                );
                "Activity".into()
            }
        };
        self.activities += 1;
        let body = self.body(open.body);
        let activity = Activity {
            title,
            minutes,
            number: self.activities,
            anchor: format!("activity-{}", self.activities),
            line: open.line,
            body,
        };
        self.check_steps_total(&activity, &open.kind_span);
        Some(Block::Activity(activity))
    }

    pub(super) fn check_steps_total(&mut self, activity: &Activity, span: &Range<usize>) {
        let steps: Vec<&Steps> = activity
            .body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Steps(s) => Some(s),
                _ => None,
            })
            .collect();
        if steps.len() > 1 {
            self.error(
                "an activity has more than one `steps` block".into(),
                span.clone(),
                "list all the steps of the activity in one `steps` block",
            );
        }
        if let Some(steps) = steps.first() {
            let total = steps.total();
            if total != activity.minutes && !steps.items.is_empty() {
                self.warning(
                    format!(
                        "the steps of `{}` add up to {} but the activity has {}",
                        activity.title,
                        total.human(),
                        activity.minutes.human()
                    ),
                    span.clone(),
                    "make the step durations add up to the activity's `minutes`",
                );
            }
        }
    }

    pub(super) fn steps(&mut self, open: Open) -> Option<Block> {
        let body = self.body(open.body);
        self.no_blocks_inside(&body, "steps");
        let split = lists::split(&body.markdown);
        self.report_stray(
            &body,
            &split.stray,
            "a `steps` block holds only a list of steps",
        );
        let mut items = Vec::new();
        for item in split.items {
            let line = body.source_line(item.line);
            let text = item.text.trim();
            let parsed = text
                .split_once(':')
                .and_then(|(d, rest)| Minutes::parse(d).map(|m| (m, rest.trim())));
            match parsed {
                Some((minutes, rest)) => items.push(Step {
                    minutes,
                    text: rest.to_string(),
                    line,
                }),
                None => {
                    let d = Diagnostic::error("a step must start with its duration")
                        .at_line(self.file, line)
                        .hint("write each step as `- 5 min: Introduce the task`");
                    self.out.diagnostics.push(d);
                }
            }
        }
        Some(Block::Steps(Steps {
            items,
            line: open.line,
        }))
    }

    pub(super) fn answers(&mut self, open: Open) -> Answers {
        let body = self.body(open.body);
        let items = if body.blocks.is_empty() {
            let split = lists::split(&body.markdown);
            (split.stray.is_empty()
                && split.items.len() > 1
                && split.items.iter().all(|i| i.ordered))
            .then(|| split.items.into_iter().map(|i| i.text).collect())
        } else {
            None
        };
        Answers {
            body,
            items,
            line: open.line,
        }
    }

    pub(super) fn questions(&mut self, open: Open) -> Option<Block> {
        let body = self.body(open.body);
        self.no_blocks_inside(&body, "questions");
        let split = lists::split(&body.markdown);
        self.report_stray(
            &body,
            &split.stray,
            "a `questions` block holds only a numbered list of questions",
        );
        if split.items.is_empty() {
            let d = Diagnostic::error("a `questions` block has no questions")
                .at_line(self.file, open.line)
                .hint("write the questions as a numbered list: `1. What would you do first?`");
            self.out.diagnostics.push(d);
        }
        let items = split
            .items
            .into_iter()
            .map(|item| Question {
                line: body.source_line(item.line),
                text: item.text,
            })
            .collect();
        Some(Block::Questions(Questions {
            items,
            line: open.line,
        }))
    }

    pub(super) fn no_blocks_inside(&mut self, body: &Body, kind: &str) {
        for block in &body.blocks {
            let d = Diagnostic::error(format!(
                "{} `{kind}` block cannot hold other blocks",
                article(kind)
            ))
            .at_line(self.file, block.line())
            .hint("move the inner block after the closing `:::`");
            self.out.diagnostics.push(d);
        }
    }

    pub(super) fn report_stray(&mut self, body: &Body, stray: &[usize], hint: &str) {
        if let Some(first) = stray.first() {
            let line = body.source_line(*first);
            let d = Diagnostic::error("text outside the list")
                .at_line(self.file, line)
                .hint(hint);
            self.out.diagnostics.push(d);
        }
    }

    pub(super) fn handout(&mut self, open: Open) -> Option<Block> {
        let id = self.attr(&open, "id")?.clone();
        if !is_valid_id(&id.value) {
            self.error(
                format!("`{}` is not a valid handout id", id.value),
                id.span,
                "use letters, digits, `-` and `_` only, as in `id=case-study-5`",
            );
            return None;
        }
        let title = self
            .attr(&open, "title")
            .map(|t| t.value.clone())
            .unwrap_or_else(|| humanise(&id.value));
        let audience = match self.attr(&open, "audience").cloned() {
            Some(a) => match read_audience(&a.value) {
                Ok(audience) => audience,
                Err(d) => {
                    self.out.diagnostics.push(d.at(self.file, a.span));
                    HandoutAudience::default()
                }
            },
            None => HandoutAudience::default(),
        };
        let line = open.line;
        let body = self.body(open.body);
        self.check_answer_count(&body);
        self.out.handouts.push(Handout {
            id: id.value.clone(),
            title,
            path: self.file.path.clone(),
            line,
            audience,
            body,
        });
        Some(Block::Handout(HandoutRef { id: id.value, line }))
    }
}

/// "a" or "an" before a block kind: "an `activity`", "a `note`".
pub(super) fn article(kind: &str) -> &'static str {
    if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// True for ids made of letters, digits, `-` and `_`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// "case-study-5" becomes "Case study 5".
pub fn humanise(id: &str) -> String {
    let spaced = id.replace(['-', '_'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
