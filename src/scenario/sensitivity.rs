//! `[sensitivity]`: the parameters a tornado varies, each over a range
//! `[low, high]`, by the dotted paths `[sweep]` axes use:
//!
//! ```toml
//! [sensitivity]
//! ranges = { "outcomes.beta_transfer" = [0.25, 0.75], "tier.chatbot.resolves.routine_query" = [0.35, 0.70] }
//! defaults = true   # also the documented ranges of every [outcomes] coefficient (the default)
//! ```
//!
//! The documented default ranges ([`DEFAULT_RANGES`], from
//! docs/evidence.md §21.1) cover every `[outcomes]` coefficient and
//! `levers.mis_sale_max`. A parameter a remedy sets belongs to that remedy
//! (it varies only where the remedy is applied); any other is applied to
//! the base and the package alike.

use std::ops::Range;

use toml::{Table, Value};

use super::extend::{Layer, Placed, locate};
use super::remedy::flatten;

/// The documented default range of every `[outcomes]` coefficient (v1 and
/// v2), of `levers.mis_sale_max`, and of the risk and retention
/// coefficients: (path, low, high), docs/evidence.md §21.1 and
/// docs/outcomes.md ("Outcome model v2", "Risk and retention").
pub const DEFAULT_RANGES: [(&str, f64, f64); 27] = [
    ("outcomes.top_box_ideal", 0.75, 0.85),
    ("outcomes.beta_wait", 0.40, 1.20),
    ("outcomes.loss_aversion", 1.5, 3.0),
    ("outcomes.beta_transfer", 0.25, 0.75),
    ("outcomes.beta_unresolved", 1.0, 1.8),
    ("outcomes.beta_repeat", 0.4, 1.3),
    ("outcomes.beta_back_office", 0.0, 1.2),
    ("outcomes.complaint_if_top_box", 0.05, 0.15),
    ("outcomes.complaint_otherwise", 0.20, 0.50),
    ("outcomes.formal_complaint_kappa", 0.01, 0.05),
    ("outcomes.loyalty_ratio", 0.20, 0.72),
    ("outcomes.bot_sale_factor", 0.20, 1.0),
    ("outcomes.beta_continuity", 0.0, 0.6),
    ("outcomes.beta_bot_handoff", 0.5, 1.0),
    ("outcomes.bot_time_counts_on_failure", 0.0, 1.0),
    ("outcomes.beta_promise", 0.8, 1.6),
    ("levers.mis_sale_max", 0.005, 0.03),
    ("risk.credit_loss_uplift", 0.10, 0.35),
    ("retention.base_annual", 0.04, 0.10),
    ("retention.rr_not_top_box", 1.0, 2.0),
    ("retention.rr_unresolved", 2.0, 10.0),
    ("retention.rr_complaint_handled", 1.0, 2.5),
    ("retention.rr_formal_complaint", 1.5, 4.5),
    ("retention.survey_response_rate", 0.05, 0.30),
    ("retention.survey_respondent_attrition", 0.5, 1.0),
    ("retention.survey_nonrespondent_attrition", 1.0, 1.2),
    ("retention.survey_respondent_purchase", 1.0, 3.0),
];

/// One parameter of a tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Its dotted path.
    pub path: String,
    /// The low end of its range.
    pub low: f64,
    /// The high end.
    pub high: f64,
    /// Where the range comes from: `file` or `default` (§21.1).
    pub source: &'static str,
    /// Where the file writes it: (layer, span); `None` for a default.
    pub(super) at: Option<(usize, Range<usize>)>,
}

/// The `[sensitivity]` table's parameters (problems recorded) and whether
/// the default ranges are swept too.
pub(super) fn parameters(
    value: Option<&Value>,
    layers: &[Layer],
    problems: &mut Vec<Placed>,
) -> (Vec<Parameter>, bool) {
    let Some(value) = value else {
        return (Vec::new(), true);
    };
    let mut say = |path: &str, message: String| {
        let (l, s) = locate(layers, path);
        problems.push((l, s, path.to_string(), message));
    };
    let Some(table) = value.as_table() else {
        say(
            "sensitivity",
            "`sensitivity` is not a table; allowed: `[sensitivity]` with `ranges` and `defaults`"
                .into(),
        );
        return (Vec::new(), true);
    };
    for key in table.keys().filter(|k| *k != "ranges" && *k != "defaults") {
        say(
            &format!("sensitivity.{key}"),
            format!("unknown field `{key}`; allowed: `ranges`, `defaults`"),
        );
    }
    let defaults = match table.get("defaults") {
        None => true,
        Some(Value::Boolean(b)) => *b,
        Some(other) => {
            say(
                "sensitivity.defaults",
                format!("got {other}; allowed: true or false"),
            );
            true
        }
    };
    let ranges = match table.get("ranges") {
        None => Table::new(),
        Some(Value::Table(t)) => t.clone(),
        Some(other) => {
            say(
                "sensitivity.ranges",
                format!("got {other}; allowed: a table of dotted paths and [low, high]"),
            );
            Table::new()
        }
    };
    let mut flat = Vec::new();
    flatten(&ranges, "", &mut flat);
    let out = flat
        .into_iter()
        .filter_map(|(path, v)| {
            let field = format!("sensitivity.ranges.{path}");
            match range(&v) {
                Ok((low, high)) => Some(Parameter {
                    path,
                    low,
                    high,
                    source: "file",
                    at: Some(locate(layers, &field)),
                }),
                Err(message) => {
                    say(&field, message);
                    None
                }
            }
        })
        .collect();
    (out, defaults)
}

/// The range `[low, high]` written as `v`, or why it is not one.
fn range(v: &Value) -> Result<(f64, f64), String> {
    let ends: Option<Vec<f64>> = v.as_array().and_then(|a| {
        a.iter()
            .map(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
            .collect()
    });
    match ends.as_deref() {
        Some(&[low, high]) if low.is_finite() && high.is_finite() && low < high => Ok((low, high)),
        Some(&[low, high]) => Err(format!(
            "the range [{low}, {high}] is empty; allowed: [low, high] with low < high"
        )),
        _ => Err(format!(
            "got {v}; allowed: two numbers [low, high] with low < high"
        )),
    }
}

/// Default ranges that apply only to a scenario with books of dedicated
/// RMs (`beta_continuity` is refused without them).
pub const NEED_BOOKS: [&str; 1] = ["outcomes.beta_continuity"];

/// The file's parameters, then the default ranges of any coefficient it
/// does not list (when `defaults`); those of [`NEED_BOOKS`] only when the
/// base scenario has `books`.
pub(super) fn with_defaults(file: &[Parameter], defaults: bool, books: bool) -> Vec<Parameter> {
    let mut out = file.to_vec();
    if defaults {
        for (path, low, high) in DEFAULT_RANGES {
            if !books && NEED_BOOKS.contains(&path) {
                continue;
            }
            if !out.iter().any(|p| p.path == path) {
                out.push(Parameter {
                    path: path.to_string(),
                    low,
                    high,
                    source: "default",
                    at: None,
                });
            }
        }
    }
    out
}
