//! The Tera instance for a theme: the pack's templates layered over the
//! embedded defaults, which stay reachable as `default/NAME` so an override
//! can extend them. Template errors become diagnostics with the template's
//! path, line and column.

use std::collections::BTreeMap;

use tera::{Context, ErrorKind, Tera};

use crate::diag::{Diagnostic, SourceFile, Sources};
use crate::theme::{Theme, default_paths, default_text};

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
            name => format!("{}/{name}/templates", crate::theme::THEMES_DIR),
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
            other => (
                other.to_string().trim_start_matches("error: ").to_string(),
                None,
            ),
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

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}
