//! `[course]`: the class a pack is taught to, which `trainpack print`
//! prints for.

use crate::diag::Diagnostic;
use crate::load::toml_reader::TableReader;
use crate::model::config::{CourseConfig, MAX_PARTICIPANTS};

/// Reads `[course]`.
pub(super) fn read_course(mut t: TableReader<'_, '_, '_>) -> CourseConfig {
    let participants = t.count("participants").and_then(|n| {
        if (1..=MAX_PARTICIPANTS).contains(&n.value) {
            return Some(n.value);
        }
        let file = t.file();
        t.report(
            Diagnostic::error(format!(
                "`participants` must be from 1 to {MAX_PARTICIPANTS}, found {}",
                n.value
            ))
            .at(file, n.span)
            .hint("write how many people the class has, as in `participants = 24`"),
        );
        None
    });
    t.finish();
    CourseConfig {
        participants,
        names: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{Diagnostic, SourceFile};
    use crate::load::config::parse_config;

    fn parse(text: &str) -> (Option<u32>, Vec<String>) {
        let file = SourceFile::new("book.toml", text);
        let mut diags = Vec::new();
        let config = parse_config(&file, &mut diags);
        let participants = config.and_then(|c| c.course.participants);
        (participants, diags.iter().map(Diagnostic::short).collect())
    }

    #[test]
    fn participants_are_read() {
        let (n, diags) = parse("[pack]\ntitle = \"T\"\n[course]\nparticipants = 24\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(n, Some(24));
    }

    // why: a class of nobody, or of a typo's million, prints nothing useful.
    #[test]
    fn participants_out_of_range_are_located() {
        let (_, diags) = parse("[pack]\ntitle = \"T\"\n[course]\nparticipants = 0\n");
        assert_eq!(
            diags,
            [
                "book.toml:4:16: error: `participants` must be from 1 to 1000, found 0\n  hint: write how many people the class has, as in `participants = 24`"
            ]
        );
        let (_, diags) = parse("[pack]\ntitle = \"T\"\n[course]\nparticipants = \"24\"\n");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].starts_with("book.toml:4:16: error:"), "{diags:?}");
    }
}
