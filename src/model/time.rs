//! Value types for time: durations written by authors ("2h", "90min",
//! "1h30") and clock times ("09:00"), parsed once here so no later stage
//! handles time as text.

use std::fmt;

use serde::Serialize;

/// A length of time in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct Minutes(pub u32);

impl Minutes {
    /// Parses "2h", "90min", "90 minutes", "1h30", "1h 30min", "45m", "1.5h"
    /// or a bare number of minutes ("90").
    pub fn parse(text: &str) -> Option<Minutes> {
        Minutes::read(text).ok()
    }

    /// Like [`Minutes::parse`], telling a duration outside the range
    /// trainpack counts (negative, or above [`MAX_MINUTES`]) from text
    /// that is no duration at all.
    pub fn read(text: &str) -> Result<Minutes, DurationError> {
        let compact: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Some(rest) = compact.strip_prefix('-') {
            return Err(match wide(rest) {
                Some(_) => DurationError::OutOfRange,
                None => DurationError::Unreadable,
            });
        }
        let minutes = wide(&compact).ok_or(DurationError::Unreadable)?;
        u32::try_from(minutes)
            .map(Minutes)
            .map_err(|_| DurationError::OutOfRange)
    }

    /// "2h", "1h 30min", "45 min": how trainers write time.
    pub fn human(self) -> String {
        let (h, m) = (self.0 / 60, self.0 % 60);
        match (h, m) {
            (0, m) => format!("{m} min"),
            (h, 0) => format!("{h}h"),
            (h, m) => format!("{h}h {m:02}min"),
        }
    }

    /// Elapsed time as on a run sheet: "0h 25m".
    pub fn elapsed(self) -> String {
        format!("{}h {:02}m", self.0 / 60, self.0 % 60)
    }
}

impl fmt::Display for Minutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.human())
    }
}

impl std::ops::Add for Minutes {
    type Output = Minutes;
    fn add(self, other: Minutes) -> Minutes {
        Minutes(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for Minutes {
    fn add_assign(&mut self, other: Minutes) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        iter.fold(Minutes(0), |a, b| a + b)
    }
}

/// Why a text is not a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationError {
    /// A duration, but negative or longer than [`MAX_MINUTES`].
    OutOfRange,
    /// Not a duration.
    Unreadable,
}

/// The longest duration trainpack counts, in minutes.
pub const MAX_MINUTES: u32 = u32::MAX;

/// The minutes of a compact duration, counted wide enough that a duration
/// too long to keep is still told apart from nonsense.
fn wide(compact: &str) -> Option<u64> {
    if compact.is_empty() {
        return None;
    }
    if let Some(n) = whole(compact) {
        return Some(n);
    }
    let (hours, rest) = split_hours(compact)?;
    let minutes = match rest {
        "" => 0,
        rest => parse_minutes_part(rest)?,
    };
    Some(hours.saturating_add(minutes))
}

/// Digits (after an optional `+`), as a number that saturates rather
/// than overflows.
fn whole(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| {
        digits.bytes().fold(0u64, |n, b| {
            n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        })
    })
}

/// Splits "1h30" into (60, "30"); a text without hours gives (0, text).
fn split_hours(text: &str) -> Option<(u64, &str)> {
    for unit in ["hours", "hour", "hrs", "hr", "h"] {
        if let Some(at) = text.find(unit) {
            let number = &text[..at];
            let hours = parse_hours_number(number)?;
            return Some((hours, &text[at + unit.len()..]));
        }
    }
    Some((0, text))
}

/// Whole or decimal hours ("2", "1.5", "1,5") in minutes.
fn parse_hours_number(number: &str) -> Option<u64> {
    let number = number.replace(',', ".");
    if let Some(h) = whole(&number) {
        return Some(h.saturating_mul(60));
    }
    let h: f64 = number.parse().ok()?;
    let minutes = h * 60.0;
    // `as` saturates: a value too large to keep stays too large.
    (h.is_finite() && h >= 0.0 && minutes.fract() == 0.0).then_some(minutes as u64)
}

fn parse_minutes_part(text: &str) -> Option<u64> {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let value = whole(&text[..digits_end])?;
    match &text[digits_end..] {
        "" | "m" | "min" | "mins" | "minute" | "minutes" | "mn" => Some(value),
        _ => None,
    }
}

/// A time of day, in minutes after midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ClockTime(pub u32);

impl ClockTime {
    /// Parses "09:00", "9:00" or "17h30".
    pub fn parse(text: &str) -> Option<ClockTime> {
        let text = text.trim();
        let (h, m) = text.split_once(':').or_else(|| text.split_once('h'))?;
        let h: u32 = h.parse().ok()?;
        let m: u32 = if m.is_empty() { 0 } else { m.parse().ok()? };
        (h < 24 && m < 60 && !text.starts_with('-')).then_some(ClockTime(h * 60 + m))
    }

    /// This time moved on by some minutes (may pass midnight on long days).
    pub fn plus(self, minutes: Minutes) -> ClockTime {
        ClockTime(self.0 + minutes.0)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", (self.0 / 60) % 24, self.0 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_the_forms_authors_write() {
        for (text, minutes) in [
            ("2h", 120),
            ("90min", 90),
            ("1h30", 90),
            ("1h 30min", 90),
            ("1 h 30 min", 90),
            ("45m", 45),
            ("90", 90),
            ("1.5h", 90),
            ("2 hours", 120),
            ("10 minutes", 10),
        ] {
            assert_eq!(Minutes::parse(text), Some(Minutes(minutes)), "{text}");
        }
    }

    #[test]
    fn nonsense_durations_are_refused() {
        for text in ["", "two hours", "h", "1h30x", "-5", "1.3333h", "min"] {
            assert_eq!(Minutes::parse(text), None, "{text}");
        }
    }

    #[test]
    fn durations_out_of_range_are_told_apart() {
        for text in [
            "-5",
            "-1h30",
            "4294967296",
            "99999999999999999999999",
            "99999999999h",
        ] {
            assert_eq!(
                Minutes::read(text),
                Err(DurationError::OutOfRange),
                "{text}"
            );
        }
        assert_eq!(Minutes::read("4294967295"), Ok(Minutes(u32::MAX)));
        assert_eq!(Minutes::read("-two"), Err(DurationError::Unreadable));
    }

    #[test]
    fn human_forms() {
        assert_eq!(Minutes(120).human(), "2h");
        assert_eq!(Minutes(95).human(), "1h 35min");
        assert_eq!(Minutes(25).human(), "25 min");
        assert_eq!(Minutes(25).elapsed(), "0h 25m");
    }

    #[test]
    fn clock_times() {
        assert_eq!(ClockTime::parse("09:00"), Some(ClockTime(540)));
        assert_eq!(ClockTime::parse("17h30"), Some(ClockTime(1050)));
        assert_eq!(ClockTime::parse("25:00"), None);
        assert_eq!(ClockTime(540).plus(Minutes(75)).to_string(), "10:15");
    }
}
