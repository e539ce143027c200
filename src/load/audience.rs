//! Who a handout is for (`audience`), read alike from a handout file's
//! front matter and from an inline handout block's attributes.

use crate::diag::Diagnostic;
use crate::model::HandoutAudience;

/// Reads a handout's `audience`: the error, unplaced, when it names none.
pub fn read_audience(value: &str) -> Result<HandoutAudience, Diagnostic> {
    if let Some(audience) = HandoutAudience::named(value) {
        return Ok(audience);
    }
    let names = HandoutAudience::ALL.map(|(name, _)| name);
    let hint = match crate::diag::nearest(value, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "write `audience = \"group\"` for a handout each group gets one copy of, or leave it out for one copy per participant".into(),
    };
    Err(Diagnostic::error(format!("unknown audience `{value}`")).hint(hint))
}
