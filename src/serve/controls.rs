//! The page's controls, read from the scenario as written: staffing per
//! tier (per shift where the tier has a roster), the arrival volume, the
//! levers (KPI pressure, training per staffed tier), each chatbot's
//! containment (the share of each request type it resolves) and its
//! uptake (the share of each request type's clients who choose it,
//! `request.<name>.bot_uptake.<chatbot>`). A control is
//! addressed by the dotted path of the field it sets, as `[sweep]` axes and
//! remedies address fields.

use serde::Serialize;
use toml::{Table, Value};

use crate::model::TierKind;
use crate::scenario::Scenario;

/// The path of the arrival-volume factor (it scales every segment's
/// `rate_per_hour`).
pub const VOLUME: &str = "volume";

/// One control of the page.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Control {
    /// The dotted path of the field it sets, or [`VOLUME`].
    pub path: String,
    /// What it is, in words.
    pub label: String,
    /// `staffing`, `demand`, `levers` or `chatbot`.
    pub group: &'static str,
    /// Whether the field takes whole numbers.
    pub integer: bool,
    /// Its value in the scenario as written.
    pub value: f64,
    /// The slider's range and step (the field's own bounds are checked by
    /// the scenario's validation, not here).
    pub min: f64,
    /// Upper end of the slider.
    pub max: f64,
    /// Slider step.
    pub step: f64,
}

/// The controls of scenario `table` (the file merged with what it extends,
/// without remedies), whose validated form is `scenario`.
pub fn of(table: &Table, scenario: &Scenario) -> Vec<Control> {
    let mut out = Vec::new();
    for t in entries(table, "tier") {
        staffing(t, &mut out);
    }
    out.push(Control {
        path: VOLUME.into(),
        label: "arrival volume (× every segment's rate)".into(),
        group: "demand",
        integer: false,
        value: 1.0,
        min: 0.5,
        max: 1.5,
        step: 0.05,
    });
    levers(table, scenario, &mut out);
    for t in entries(table, "tier") {
        if t.get("kind").and_then(Value::as_str) == Some("chatbot") {
            chatbot(table, t, &mut out);
        }
    }
    out
}

/// The levers' controls: KPI pressure, and each staffed tier's training
/// factors on service time and escalations.
fn levers(table: &Table, scenario: &Scenario, out: &mut Vec<Control>) {
    let levers = table.get("levers");
    let kpi = levers
        .and_then(|l| l.get("kpi_pressure"))
        .and_then(number)
        .unwrap_or(0.0);
    out.push(share(
        "levers.kpi_pressure",
        "KPI pressure (weight of sales, 0–1)",
        "levers",
        kpi,
    ));
    for tier in scenario
        .model
        .tiers
        .iter()
        .filter(|t| t.kind == TierKind::Staffed)
    {
        for (field, words) in [("service", "service time"), ("escalation", "escalations")] {
            let value = levers
                .and_then(|l| l.get("training"))
                .and_then(|t| t.get(&tier.name))
                .and_then(|t| t.get(field))
                .and_then(number)
                .unwrap_or(1.0);
            out.push(Control {
                path: format!("levers.training.{}.{field}", tier.name),
                label: format!("training: {} {words} ×", tier.name),
                group: "levers",
                integer: false,
                value,
                min: 0.5,
                max: 1.5,
                step: 0.01,
            });
        }
    }
}

/// A chatbot tier `t`'s controls: its containment of each request type it
/// resolves, and each request type's uptake of it.
fn chatbot(table: &Table, t: &Table, out: &mut Vec<Control>) {
    let name = t.get("name").and_then(Value::as_str).unwrap_or_default();
    for (request, v) in t
        .get("resolves")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
    {
        out.push(share(
            &format!("tier.{name}.resolves.{request}"),
            &format!("{name} containment: share of {request} resolved"),
            "chatbot",
            number(v).unwrap_or(0.0),
        ));
    }
    for request in entries(table, "request") {
        let r = request
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let uptake = request
            .get("bot_uptake")
            .and_then(|u| u.get(name))
            .and_then(number)
            .unwrap_or(0.0);
        out.push(share(
            &format!("request.{r}.bot_uptake.{name}"),
            &format!("{name} uptake: share of {r} clients who choose it"),
            "chatbot",
            uptake,
        ));
    }
}

/// A control of a share in [0, 1].
fn share(path: &str, label: &str, group: &'static str, value: f64) -> Control {
    Control {
        path: path.into(),
        label: label.into(),
        group,
        integer: false,
        value,
        min: 0.0,
        max: 1.0,
        step: 0.01,
    }
}

/// The staffing controls of tier table `t`: `servers`, or each shift's.
fn staffing(t: &Table, out: &mut Vec<Control>) {
    let name = t.get("name").and_then(Value::as_str).unwrap_or_default();
    let slider = |path: String, label: String, n: i64| Control {
        path,
        label,
        group: "staffing",
        integer: true,
        value: n as f64,
        min: 0.0,
        max: (2 * n).max(n + 10) as f64,
        step: 1.0,
    };
    if let Some(n) = t.get("servers").and_then(Value::as_integer) {
        out.push(slider(
            format!("tier.{name}.servers"),
            format!("{name}: servers"),
            n,
        ));
    }
    let shifts = t.get("shifts").and_then(Value::as_array);
    for (i, s) in shifts.into_iter().flatten().enumerate() {
        let Some(n) = s.get("servers").and_then(Value::as_integer) else {
            continue;
        };
        let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
        let breaks: Vec<String> = s
            .get("breaks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|b| {
                b.get("start")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string()
            })
            .collect();
        let mut label = format!("{name}: shift {}–{}", text("start"), text("end"));
        if !breaks.is_empty() {
            label.push_str(&format!(", break {}", breaks.join(", ")));
        }
        out.push(slider(format!("tier.{name}.shifts.{i}.servers"), label, n));
    }
}

/// The tables of array `key` of `table`.
fn entries<'t>(table: &'t Table, key: &str) -> impl Iterator<Item = &'t Table> {
    table
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_table)
}

/// A number, integer or float.
fn number(v: &Value) -> Option<f64> {
    v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
}

/// Each segment's name and `rate_per_hour`, where the file gives one.
pub fn segment_rates(table: &Table) -> Vec<(String, f64)> {
    entries(table, "segment")
        .filter_map(|s| {
            let name = s.get("name")?.as_str()?.to_string();
            Some((name, number(s.get("rate_per_hour")?)?))
        })
        .collect()
}

/// The tier and index of a shift's staffing control
/// (`tier.<name>.shifts.<i>.servers`).
pub fn shift_of(path: &str) -> Option<(&str, usize)> {
    let rest = path.strip_prefix("tier.")?.strip_suffix(".servers")?;
    let (tier, index) = rest.split_once(".shifts.")?;
    Some((tier, index.parse().ok()?))
}

/// Tier `tier`'s `shifts` array in `table`.
pub fn shifts(table: &Table, tier: &str) -> Option<Value> {
    entries(table, "tier")
        .find(|t| t.get("name").and_then(Value::as_str) == Some(tier))?
        .get("shifts")
        .cloned()
}

/// The control a problem in scenario field `field` belongs to: the one
/// setting that field or a part of it (a rate's to the volume), else the
/// changed control (of `changed`) whose field has that path without its
/// entry names and indices (`tier.shifts.servers` for a shift's), or empty.
pub fn owner(controls: &[Control], field: &str, changed: &[&str]) -> String {
    let field = field.replace('[', ".").replace(']', "");
    if field.starts_with("segment.") && field.ends_with("rate_per_hour") {
        return VOLUME.into();
    }
    let generic = |path: &str| {
        let parts: Vec<&str> = path.split('.').collect();
        let named =
            parts.len() > 2 && ["tier", "segment", "request", "channel"].contains(&parts[0]);
        parts
            .iter()
            .enumerate()
            .filter(|(i, p)| !(named && *i == 1) && p.parse::<usize>().is_err())
            .map(|(_, p)| *p)
            .collect::<Vec<_>>()
            .join(".")
    };
    controls
        .iter()
        .filter(|c| field.starts_with(&c.path) || c.path.starts_with(&field))
        .max_by_key(|c| common(&c.path, &field))
        .map(|c| c.path.clone())
        .or_else(|| {
            changed
                .iter()
                .find(|p| generic(p) == field)
                .map(|p| p.to_string())
        })
        .unwrap_or_default()
}

/// Length of the common prefix of `a` and `b`.
fn common(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_control_names_its_tier_and_index() {
        assert_eq!(
            shift_of("tier.junior.shifts.3.servers"),
            Some(("junior", 3))
        );
        assert_eq!(shift_of("tier.junior.servers"), None);
    }

    #[test]
    fn a_problem_goes_to_the_control_of_its_field() {
        let c = |p: &str| share(p, p, "levers", 0.0);
        let controls = vec![
            c("tier.junior.servers"),
            c("tier.junior.shifts.1.servers"),
            c("levers.kpi_pressure"),
        ];
        let changed = ["tier.junior.shifts.1.servers"];
        assert_eq!(
            owner(&controls, "tier.junior.shifts[1].servers", &[]),
            "tier.junior.shifts.1.servers"
        );
        assert_eq!(
            owner(&controls, "tier.shifts.servers", &changed),
            "tier.junior.shifts.1.servers"
        );
        assert_eq!(owner(&controls, "tier.shifts.servers", &[]), "");
        assert_eq!(
            owner(&controls, "levers.kpi_pressure", &[]),
            "levers.kpi_pressure"
        );
        assert_eq!(owner(&controls, "segment.vip.rate_per_hour", &[]), VOLUME);
        assert_eq!(owner(&controls, "outcomes.beta_wait", &[]), "");
    }
}
