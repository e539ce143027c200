//! A module's set start (`start = "13:30"`, `after = "Lunch"`) against
//! `[schedule]`: the break must exist, and the start must not come before
//! the module ahead of it ends.

use crate::diag::{Diagnostic, Sources, nearest};
use crate::load::schedule::course_layout;
use crate::model::Pack;
use crate::model::schedule::{LateStart, ModuleStart};

/// Reports set starts that cannot be honoured.
pub fn check_starts(pack: &Pack, sources: &Sources, diags: &mut Vec<Diagnostic>) {
    let config = pack.config.schedule.as_ref();
    for module in &pack.modules {
        let Some(start) = &module.start else { continue };
        let key = key_of(start);
        let problem = match (config, start) {
            (None, _) => Some(
                Diagnostic::warning(format!(
                    "`{key}` has no effect: `book.toml` has no `[schedule]`"
                ))
                .hint("add `[schedule]` with `start = \"09:00\"` (and its `breaks`) to `book.toml`, or remove the key"),
            ),
            (Some(config), ModuleStart::After(name)) => {
                let titles: Vec<&str> = config.breaks.iter().map(|b| b.title.as_str()).collect();
                (!titles.iter().any(|t| t.eq_ignore_ascii_case(name)))
                    .then(|| unknown_break(name, &titles))
            }
            (Some(_), ModuleStart::At(_)) => None,
        };
        if let Some(d) = problem {
            diags.push(locate(d, sources, &module.path, key));
        }
    }
    let Some(config) = config else { return };
    let (_, late) = course_layout(pack.modules.iter().map(|m| &**m), Some(config));
    for late in late {
        let Some(module) = pack.modules.iter().find(|m| m.slug == late.module) else {
            continue;
        };
        let key = module.start.as_ref().map_or("start", key_of);
        diags.push(locate(late_start(&late), sources, &module.path, key));
    }
}

fn key_of(start: &ModuleStart) -> &'static str {
    match start {
        ModuleStart::At(_) => "start",
        ModuleStart::After(_) => "after",
    }
}

fn locate(d: Diagnostic, sources: &Sources, path: &str, key: &str) -> Diagnostic {
    match sources.file(path) {
        Some(file) => d.at_line(&file, file.key_line(key)),
        None => d.in_file(path),
    }
}

fn unknown_break(name: &str, titles: &[&str]) -> Diagnostic {
    let lower: Vec<String> = titles.iter().map(|t| t.to_lowercase()).collect();
    let hint = match nearest(&name.to_lowercase(), lower.iter().map(String::as_str)) {
        Some(close) => {
            let title = titles[lower.iter().position(|t| t == close).unwrap_or(0)];
            format!("did you mean `after = \"{title}\"`?")
        }
        None if titles.is_empty() => format!(
            "`[schedule]` has no breaks: add one, as in `breaks = [ {{ at = \"12:30\", minutes = 60, title = \"{name}\" }} ]`"
        ),
        None => format!(
            "name one of the breaks of `[schedule]`: {}",
            titles
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error(format!("there is no break `{name}` in `[schedule] breaks`")).hint(hint)
}

fn late_start(late: &LateStart) -> Diagnostic {
    let before = match &late.previous {
        Some(previous) => format!(
            "module `{previous}` before it ends at {}",
            late.previous_end
        ),
        None => format!("the day starts at {}", late.previous_end),
    };
    let message = match &late.after {
        Some(title) => format!(
            "module `{}` is set to start after `{title}` (at {}), but {before}, after `{title}` was taken",
            late.module, late.wanted
        ),
        None => format!(
            "module `{}` is set to start at {}, but {before}",
            late.module, late.wanted
        ),
    };
    let hint = match late.after {
        Some(_) => {
            "name a later break, shorten the modules before it, or remove `after` to let it follow them"
        }
        None => {
            "set a later `start`, shorten the modules before it, or remove `start` to let it follow them"
        }
    };
    Diagnostic::error(message).hint(hint)
}
