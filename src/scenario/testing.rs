//! Helpers for the parser's unit tests: a small valid scenario to change one
//! thing in, and the problems (field and message) a change brings.

use super::parse;
use crate::error::Error;
use crate::model::Model;

/// A valid scenario: one segment `s`, one staffed tier `t`.
pub(super) const BASE: &str = r#"name = "unit"

[run]
horizon = 100.0
service_level_threshold = 0.5

[[segment]]
name = "s"
rate_per_hour = 6.0

[[tier]]
name = "t"
servers = 2
service = { dist = "exponential", mean = 1.0 }
"#;

/// [`BASE`] with `service` of tier `t` replaced by `dist`.
pub(super) fn with_tier_service(dist: &str) -> String {
    BASE.replace(
        r#"service = { dist = "exponential", mean = 1.0 }"#,
        &format!("service = {dist}"),
    )
}

/// [`BASE`] with `line` added to the table headed `header` (its first
/// occurrence), or appended at the end when `header` is empty.
pub(super) fn with(header: &str, line: &str) -> String {
    if header.is_empty() {
        return format!("{BASE}\n{line}\n");
    }
    BASE.replacen(header, &format!("{header}\n{line}"), 1)
}

/// Every problem of `source` as (field, message), in file order.
pub(super) fn problems(source: &str) -> Vec<(String, String)> {
    match parse(source, "unit.toml") {
        Ok(_) => panic!("expected problems in:\n{source}"),
        Err(Error::Scenario(e)) => e
            .problems
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect(),
        Err(other) => panic!("not a scenario error: {other}"),
    }
}

/// The one problem of `source`.
pub(super) fn problem(source: &str) -> (String, String) {
    let mut all = problems(source);
    assert_eq!(all.len(), 1, "{all:#?}\nin:\n{source}");
    all.remove(0)
}

/// The model of valid `source`.
pub(super) fn model(source: &str) -> Model {
    match parse(source, "unit.toml") {
        Ok(s) => s.model,
        Err(e) => panic!("{e}\nin:\n{source}"),
    }
}
