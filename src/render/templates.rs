//! The Tera instance for a theme: the pack's templates layered over the
//! embedded defaults, which stay reachable as `default/NAME` so an override
//! can extend them. Template errors become diagnostics with the template's
//! path, line and column.

use std::collections::BTreeMap;
use std::ops::Range;

use tera::{Context, ErrorKind, Tera};

use crate::diag::{Diagnostic, SourceFile, Sources};
use crate::load::theme::{Theme, default_paths, default_text};

const TEMPLATES: &str = "templates/";

/// The compiled templates of a theme.
pub struct Templates {
    tera: Tera,
    /// Template name to (shown path, source text), for error positions.
    files: BTreeMap<String, SourceFile>,
    /// Where the templates come from, for errors that name no template.
    folder: String,
}

impl Templates {
    /// Compiles the theme's templates. Errors are pushed onto `diags` and
    /// the templates' text onto `sources`, so the diagnostics can show it.
    pub fn load(
        theme: &Theme,
        diags: &mut Vec<Diagnostic>,
        sources: &mut Sources,
    ) -> Option<Templates> {
        let mut files = BTreeMap::new();
        for path in default_paths().iter().filter(|p| p.starts_with(TEMPLATES)) {
            let name = &path[TEMPLATES.len()..];
            let text = default_text(path).unwrap_or_default();
            files.insert(
                format!("default/{name}"),
                SourceFile::new(format!("(default theme) {path}"), &text),
            );
        }
        for path in theme.paths_under(TEMPLATES) {
            let name = path[TEMPLATES.len()..].to_string();
            match theme.text(&path) {
                Some(text) => {
                    files.insert(name, SourceFile::new(theme.shown_path(&path), &text));
                }
                None => diags.push(
                    Diagnostic::error("the template is not valid UTF-8 text")
                        .in_file(theme.shown_path(&path))
                        .hint("save the template with the UTF-8 encoding"),
                ),
            }
        }
        for file in files.values() {
            sources.add(file);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        let list: Vec<(String, std::sync::Arc<str>)> = files
            .iter()
            .map(|(n, f)| (n.clone(), f.text.clone()))
            .collect();
        let folder = match theme.name.as_str() {
            "default" => "(default theme) templates".to_string(),
            name => format!("{}/{name}/templates", crate::load::theme::THEMES_DIR),
        };
        let mut templates = Templates {
            tera,
            files,
            folder,
        };
        let added = templates
            .tera
            .add_raw_templates(list.iter().map(|(n, t)| (n.as_str(), &**t)));
        if let Err(e) = added {
            diags.push(templates.diagnostic(&e, None));
            return None;
        }
        Some(templates)
    }

    /// Values every page receives, set once rather than per page.
    pub fn globals(&mut self) -> &mut Context {
        self.tera.global_context()
    }

    /// Renders template `name`; an error names the template, line and what
    /// went wrong, and `context` (e.g. the module being rendered).
    pub fn render(
        &self,
        name: &str,
        context: &Context,
        rendering: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e, Some(rendering)))
    }

    fn diagnostic(&self, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let (message, at) = match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
                report.message().to_string(),
                self.files
                    .get(report.filename())
                    .map(|file| (file, report.span().range.clone())),
            ),
            other => {
                let message = other.to_string().trim_start_matches("error: ").to_string();
                let at = self.locate(other, &message);
                (message, at)
            }
        };
        let kind = match error.kind() {
            ErrorKind::SyntaxError(_) => "syntax error in template",
            _ => "template error",
        };
        let message = format!("{kind}: {}", first_line(&message));
        let hint = match rendering {
            Some(what) => format!(
                "this happened while rendering {what}; fix the template, or remove it from your theme to use the default one"
            ),
            None => {
                "fix the template, or remove it from your theme to use the default one".to_string()
            }
        };
        let d = Diagnostic::error(message).hint(hint);
        match at {
            Some((file, span)) => d.at(file, span),
            None => d.in_file(&self.folder),
        }
    }
}

impl Templates {
    /// Where an error Tera gives no position for most likely is: the
    /// `extends` of a missing parent, or else the first of the pack's own
    /// templates that holds the name the message quotes (a filter, a block).
    fn locate(&self, kind: &ErrorKind, message: &str) -> Option<(&SourceFile, Range<usize>)> {
        if let ErrorKind::MissingParent { current, parent } = kind {
            let file = self.files.get(current)?;
            let at = file.text.find(parent.as_str())?;
            return Some((file, at..at + parent.len()));
        }
        let name = quoted_name(message)?;
        self.files
            .iter()
            .filter(|(template, _)| !template.starts_with("default/"))
            .find_map(|(_, file)| {
                let at = find_word(&file.text, name)?;
                Some((file, at..at + name.len()))
            })
    }
}

/// The first name in `quotes` or 'quotes' in a message.
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find(['`', '\''])?;
    let quote = message[start..].chars().next()?;
    let rest = &message[start + 1..];
    let name = &rest[..rest.find(quote)?];
    (!name.is_empty()).then_some(name)
}

/// Where `word` first stands on its own in `text` (not inside a longer name).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_in_messages_and_as_whole_words() {
        assert_eq!(quoted_name("Unknown filter `upcase`"), Some("upcase"));
        assert_eq!(quoted_name("Block 'main' is missing"), Some("main"));
        assert_eq!(quoted_name("no name here"), None);
        assert_eq!(
            find_word("{{ x | upcased }} {{ y | upcase }}", "upcase"),
            Some(25)
        );
        assert_eq!(find_word("mainly", "main"), None);
    }
}
