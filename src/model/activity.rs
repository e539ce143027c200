//! What an activity holds, read out of its body.

use super::{Activity, Answers, Block};

impl Activity {
    /// Its possible answers, in the order written.
    pub fn answers(&self) -> Vec<&Answers> {
        self.body
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Answers(answers) => Some(answers),
                _ => None,
            })
            .collect()
    }
}
