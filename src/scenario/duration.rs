//! Durations in a scenario file: every time field reads either a bare
//! number in the field's own unit (minutes, or hours where the name says
//! `_hours`), so old files are unchanged, or a string with a unit
//! (`"30s"`, `"8min"`, `"8h"`, `"2d"`, `"1h 30min"`). One deserializer,
//! [`Duration`], is used by every time field, so a unit is accepted (and a
//! wrong type explained) the same way everywhere.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The unit a bare number is read in.
pub trait BareUnit {
    /// Minutes in one unit.
    const MINUTES: f64;
    /// What a value of this field is, in words, for type errors.
    const EXPECTED: &'static str;
}

/// Bare numbers are minutes (almost every time field).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InMinutes;

/// Bare numbers are hours (fields named `..._hours`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InHours;

impl BareUnit for InMinutes {
    const MINUTES: f64 = 1.0;
    const EXPECTED: &'static str = "a number of minutes, or a duration such as \"8h\"";
}

impl BareUnit for InHours {
    const MINUTES: f64 = 60.0;
    const EXPECTED: &'static str = "a number of hours, or a duration such as \"2d\"";
}

/// A time as written in a scenario, held in the field's own unit `U`
/// (a string with a unit is converted to it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Duration<U>(pub f64, PhantomData<U>);

/// A time field whose bare numbers are minutes.
pub type Minutes = Duration<InMinutes>;

/// A time field whose bare numbers are hours.
pub type Hours = Duration<InHours>;

impl<U> Duration<U> {
    /// The value in the field's unit.
    pub fn new(x: f64) -> Self {
        Duration(x, PhantomData)
    }
}

impl<U> From<Duration<U>> for f64 {
    fn from(d: Duration<U>) -> f64 {
        d.0
    }
}

/// Units a duration string may carry, with their length in seconds (whole
/// numbers, so that `"120s"` is exactly 2 minutes).
const UNITS: [(&str, f64); 13] = [
    ("s", 1.0),
    ("sec", 1.0),
    ("secs", 1.0),
    ("seconds", 1.0),
    ("min", 60.0),
    ("mins", 60.0),
    ("minutes", 60.0),
    ("h", 3600.0),
    ("hr", 3600.0),
    ("hours", 3600.0),
    ("d", 86400.0),
    ("days", 86400.0),
    ("w", 604800.0),
];

/// What the unit part of a duration may be, for messages.
pub const ALLOWED_UNITS: &str =
    "s, min, h, d or w (e.g. \"30s\", \"8min\", \"8h\", \"2d\", \"1h 30min\")";

/// Minutes in a duration string such as `"8h"`, `"90s"`, `"1h 30min"` or
/// `"2.5d"`; a number with no unit is minutes. `None` when it does not read.
pub fn parse_minutes(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut rest = text;
    let mut first = true;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = rest[number_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        let scale = if unit.is_empty() {
            // A bare number only on its own: "1h 30" is ambiguous.
            if !(first && rest.is_empty()) {
                return None;
            }
            60.0
        } else {
            UNITS.iter().find(|(u, _)| *u == unit)?.1
        };
        total += number * scale / 60.0;
        first = false;
        rest = rest[unit_end..].trim_start();
    }
    Some(total)
}

impl<'de, U: BareUnit> Deserialize<'de> for Duration<U> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor(PhantomData))
    }
}

/// Reads a number (in the field's unit) or a string with a unit.
struct DurationVisitor<U>(PhantomData<U>);

impl<U: BareUnit> Visitor<'_> for DurationVisitor<U> {
    type Value = Duration<U>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(U::EXPECTED)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Duration::new(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Duration::new(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Duration::new(v as f64))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match parse_minutes(v) {
            Some(m) if v.trim().chars().any(|c| c.is_ascii_alphabetic()) => {
                Ok(Duration::new(m / U::MINUTES))
            }
            _ => Err(E::custom(format!(
                "`\"{v}\"` is not a duration; allowed: {}, or a number with a unit: {ALLOWED_UNITS}",
                U::EXPECTED.split(',').next().unwrap_or("a number")
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_minutes() {
        for (text, minutes) in [
            ("30s", 0.5),
            ("8min", 8.0),
            ("8h", 480.0),
            ("2d", 2880.0),
            ("1w", 10080.0),
            ("1h 30min", 90.0),
            ("1h30min", 90.0),
            ("2.5 h", 150.0),
            ("20 seconds", 1.0 / 3.0),
            ("45", 45.0),
        ] {
            assert_eq!(parse_minutes(text), Some(minutes), "{text}");
        }
        for bad in ["", "h", "8 parsecs", "1h 30", "-5min", "8hh", "1..5h"] {
            assert_eq!(parse_minutes(bad), None, "{bad}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Fields {
        m: Minutes,
        h: Hours,
    }

    #[test]
    fn a_field_reads_a_number_in_its_unit_or_a_string_with_a_unit() {
        let f: Fields = toml::from_str("m = 90\nh = 36").unwrap();
        assert_eq!((f.m.0, f.h.0), (90.0, 36.0));
        let f: Fields = toml::from_str("m = \"1.5h\"\nh = \"1.5d\"").unwrap();
        assert_eq!((f.m.0, f.h.0), (90.0, 36.0));
        let f: Fields = toml::from_str("m = inf\nh = 0.5").unwrap();
        assert_eq!((f.m.0, f.h.0), (f64::INFINITY, 0.5));
    }

    #[test]
    fn wrong_types_say_what_is_expected_in_words() {
        let e = toml::from_str::<Fields>("m = true\nh = 1").unwrap_err();
        assert!(
            e.message()
                .contains("expected a number of minutes, or a duration such as \"8h\""),
            "{e}"
        );
        let e = toml::from_str::<Fields>("m = 1\nh = \"soon\"").unwrap_err();
        assert!(
            e.message().contains(
                "`\"soon\"` is not a duration; allowed: a number of hours, or a number with a unit: s, min, h"
            ),
            "{e}"
        );
        // A number in quotes is refused: it reads as text, not as minutes.
        assert!(toml::from_str::<Fields>("m = \"30\"\nh = 1").is_err());
    }
}
