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
pub const DEFAULT_RANGES: [(&str, f64, f64); 31] = [
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
    ("outcomes.warm_handoff_weight", 0.25, 1.0),
    ("outcomes.pressure_sales_uplift", 0.15, 0.45),
    ("outcomes.mis_sale_complaint", 0.027, 0.75),
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
    // parameters-v2.md §12.3: proactive status updates (ASSUMPTION).
    ("outcomes.proactive_update_offset", 0.0, 0.4),
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

/// The documented ASSUMPTION (and weakly sourced) defaults that live at
/// scenario-specific paths, docs/evidence.md §21.2–21.3 and §11: (pattern,
/// documented default, low, high). A `*` in a pattern matches one name. A
/// path is swept where the scenario, with every remedy applied, holds the
/// documented default there: a value the file's author chose is theirs,
/// not an assumption of ours, so it is not swept unless listed.
pub const PATH_DEFAULTS: [(&str, f64, f64, f64); 33] = [
    // §21.2: sales per service contact, advice meeting and loan.
    ("request.*.sale_probability", 0.03, 0.01, 0.06),
    ("request.*.sale_probability", 0.25, 0.10, 0.40),
    ("request.*.sale_probability", 0.78, 0.70, 0.85),
    // §21.2: chatbot containment, routine and servicing.
    ("tier.*.resolves.routine_query", 0.55, 0.10, 0.67),
    ("tier.*.resolves.account_servicing", 0.20, 0.10, 0.30),
    // §21.3: first-contact resolution by expertise.
    ("tier.*.resolves.*", 0.71, 0.60, 0.80),
    ("tier.*.resolves.*", 0.80, 0.71, 0.90),
    ("tier.*.resolves.*", 0.85, 0.75, 0.95),
    // §21.2: call-back reach, non-client time of a dedicated RM.
    ("tier.*.callback.success", 0.8, 0.6, 0.93),
    ("tier.*.non_client_share", 0.3, 0.3, 0.7),
    // §21.2 and §21.3: training and the loan process.
    ("levers.training.*.service", 0.909, 0.87, 0.95),
    ("levers.training.*.escalation", 0.9, 0.67, 1.0),
    ("levers.training.*.resolution", 1.04, 1.0, 1.1),
    ("request.*.service_multiplier.*", 0.75, 0.6, 1.0),
    ("levers.selling_minutes", 2.0, 0.0, 5.0),
    // §21.2: the traditional loan promise, in hours.
    ("request.*.promised_turnaround_hours", 120.0, 96.0, 168.0),
    ("request.*.promised_turnaround_hours", 168.0, 96.0, 168.0),
    // §21.2: patience of the shipped segments (x 0.7-1.5).
    ("segment.*.patience.mean", 10.4, 7.28, 15.6),
    ("segment.*.patience.mean", 6.3, 4.41, 9.45),
    ("segment.*.patience.mean", 3.4, 2.38, 5.1),
    // §21.3: risk, the chatbot's sales, opt-in uptake, repeat contacts.
    ("segment.*.problem_rate", 0.001, 0.0001, 0.005),
    ("segment.*.problem_rate", 0.05, 0.01, 0.10),
    ("tier.*.catch_rate", 0.6, 0.2, 0.9),
    ("tier.*.sale_factor", 0.3, 0.2, 0.6),
    ("request.*.bot_uptake.*", 0.6, 0.3, 0.9),
    ("request.*.bot_uptake.*", 0.4, 0.2, 0.6),
    ("request.*.bot_uptake.*", 0.15, 0.05, 0.3),
    ("request.*.repeat_probability", 0.80, 0.55, 1.0),
    // §11: redials after abandoning (H, one bank) and after being blocked
    // (ASSUMPTION anchored), per segment or per channel.
    ("segment.*.redial.after_abandon", 0.55, 0.33, 0.69),
    ("channel.*.redial.after_abandon", 0.55, 0.33, 0.69),
    ("segment.*.redial.after_block", 0.45, 0.30, 0.69),
    ("channel.*.redial.after_block", 0.45, 0.30, 0.69),
    // parameters-v2.md §12.3: proactive status updates' chase-rate
    // multiplier (ASSUMPTION).
    ("request.*.proactive_chase_factor", 0.4, 0.1, 0.7),
];

/// The [`PATH_DEFAULTS`] that apply to `doc` (a merged scenario): (path,
/// low, high) for every numeric field that a pattern matches and that
/// holds the documented default, in the document's order.
pub fn path_defaults(doc: &Table) -> Vec<(String, f64, f64)> {
    let mut leaves = Vec::new();
    doc.iter().for_each(|(k, v)| numbers(v, k, &mut leaves));
    leaves
        .into_iter()
        .filter_map(|(path, x)| {
            let parts: Vec<&str> = path.split('.').collect();
            PATH_DEFAULTS
                .iter()
                .find(|(pattern, default, _, _)| {
                    let p: Vec<&str> = pattern.split('.').collect();
                    p.len() == parts.len()
                        && p.iter().zip(&parts).all(|(a, b)| *a == "*" || a == b)
                        && (x - default).abs() <= 1e-12 * default.abs().max(1.0)
                })
                .map(|&(_, _, low, high)| (path, low, high))
        })
        .collect()
}

/// Every number in `v` with its dotted path; an array of tables with a
/// `name` is walked by name (`tier.junior.…`), as `[sweep]` paths are.
fn numbers(v: &Value, prefix: &str, out: &mut Vec<(String, f64)>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Table(t) => t.iter().for_each(|(k, x)| numbers(x, &join(k), out)),
        Value::Array(a) => {
            for entry in a {
                if let Some(name) = entry.get("name").and_then(Value::as_str) {
                    numbers(entry, &join(name), out);
                }
            }
        }
        Value::Float(x) => out.push((prefix.to_string(), *x)),
        Value::Integer(i) => out.push((prefix.to_string(), *i as f64)),
        _ => {}
    }
}

/// Default ranges that apply only to a scenario with books of dedicated
/// RMs (`beta_continuity` is refused without them).
pub const NEED_BOOKS: [&str; 1] = ["outcomes.beta_continuity"];

/// The file's parameters, then the default ranges of any coefficient it
/// does not list (when `defaults`): those of [`NEED_BOOKS`] only when the
/// base scenario has `books`, then the scenario-specific `paths` (from
/// [`path_defaults`]).
pub(super) fn with_defaults(
    file: &[Parameter],
    defaults: bool,
    books: bool,
    paths: &[(String, f64, f64)],
) -> Vec<Parameter> {
    let mut out = file.to_vec();
    if defaults {
        let coefficients = DEFAULT_RANGES
            .iter()
            .filter(|(path, _, _)| books || !NEED_BOOKS.contains(path))
            .map(|&(path, low, high)| (path.to_string(), low, high));
        for (path, low, high) in coefficients.chain(paths.iter().cloned()) {
            if !out.iter().any(|p| p.path == path) {
                out.push(Parameter {
                    path,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Table {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn a_documented_default_is_swept_where_the_file_holds_it() {
        let d = doc(r#"
            [[tier]]
            name = "bot"
            resolves = { routine_query = 0.55, account_servicing = 0.25 }
            [[tier]]
            name = "junior"
            resolves = { loan = 0.71 }
            callback = { success = 0.8 }
            [[request]]
            name = "loan"
            sale_probability = 0.78
            promised_turnaround_hours = 120
            [levers.training.junior]
            service = 0.909
            "#);
        let got: Vec<String> = path_defaults(&d).into_iter().map(|(p, _, _)| p).collect();
        assert_eq!(
            got,
            [
                "levers.training.junior.service",
                "request.loan.promised_turnaround_hours",
                "request.loan.sale_probability",
                "tier.bot.resolves.routine_query",
                "tier.junior.callback.success",
                "tier.junior.resolves.loan",
            ]
        );
        // 0.25 is the author's own containment, not the documented 0.20.
        let ranges = path_defaults(&d);
        let fcr = ranges
            .iter()
            .find(|(p, _, _)| p == "tier.junior.resolves.loan")
            .unwrap();
        assert_eq!((fcr.1, fcr.2), (0.60, 0.80));
    }

    #[test]
    fn the_file_s_own_range_wins_and_defaults_false_sweeps_only_it() {
        let own = Parameter {
            path: "request.loan.sale_probability".into(),
            low: 0.5,
            high: 0.9,
            source: "file",
            at: None,
        };
        let paths = vec![("request.loan.sale_probability".to_string(), 0.70, 0.85)];
        let all = with_defaults(std::slice::from_ref(&own), true, false, &paths);
        let loan: Vec<&Parameter> = all.iter().filter(|p| p.path == own.path).collect();
        assert_eq!(loan, [&own]);
        assert_eq!(all.len(), 1 + DEFAULT_RANGES.len() - NEED_BOOKS.len());
        assert_eq!(with_defaults(&[], false, true, &paths), []);
    }

    #[test]
    fn every_pattern_has_a_proper_range_around_its_default() {
        for (pattern, default, low, high) in PATH_DEFAULTS {
            assert!(low < high && low <= default && default <= high, "{pattern}");
        }
        for (path, low, high) in DEFAULT_RANGES {
            assert!(low < high, "{path}");
        }
    }

    #[test]
    fn the_documented_table_lists_every_default_range() {
        let doc = include_str!("../../docs/remedies.md");
        for (path, low, high) in DEFAULT_RANGES {
            let row = format!("| `{path}` | {low} | {high} |");
            assert!(doc.contains(&row), "docs/remedies.md lacks {row}");
        }
        for (pattern, default, low, high) in PATH_DEFAULTS {
            let row = format!("| `{pattern}` | {default} | {low} | {high} |");
            assert!(doc.contains(&row), "docs/remedies.md lacks {row}");
        }
    }
}
