//! `<scenario>-plan.toml`, the planned scenario: the scenario file with the
//! planned shifts (or `servers` without a calendar) and each agent group's
//! planned staffing, ready to `tiersim run`. The other files of a plan are
//! [`super::output`]'s.

use super::Plan;
use super::group_output::set_group_staffing;
use super::output::clock;
use super::shifts::ShiftPlan;
use crate::model::Model;

/// The scenario `source` with the planned staffing: each staffed tier gets
/// the planned shifts on the open days (or, without a calendar, `servers`),
/// each planned agent group its `servers` or, staffed by `shifts`, its
/// `group_shifts`, and the name `<name>-plan`. The result is validated
/// before it is returned.
pub fn plan_scenario(
    source: &str,
    file: &str,
    model: &Model,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    group_shifts: &[ShiftPlan],
) -> Result<String, String> {
    let mut table: toml::Table =
        toml::from_str(source).map_err(|e| format!("cannot re-read {file}: {e}"))?;
    table.insert("name".into(), format!("{}-plan", model.name).into());
    table.remove("sweep");
    let days: Vec<toml::Value> = plan
        .grid
        .open_day_names()
        .into_iter()
        .map(toml::Value::from)
        .collect();
    if let Some(toml::Value::Array(tiers)) = table.get_mut("tier") {
        for (t, raw) in tiers.iter_mut().enumerate() {
            let (Some(toml::Value::Table(raw)), Some(sh)) = (Some(raw), &shifts[t]) else {
                continue;
            };
            raw.remove("servers");
            raw.remove("shifts");
            if !plan.grid.by_slot {
                raw.insert(
                    "servers".into(),
                    i64::from(plan.staffing[t][0].max(1)).into(),
                );
                continue;
            }
            raw.insert("shifts".into(), toml::Value::Array(shift_list(sh, &days)));
        }
    }
    set_group_staffing(&mut table, model, plan, group_shifts, &days);
    let body = toml::to_string(&table).map_err(|e| format!("cannot write the plan: {e}"))?;
    let text = format!(
        "# Staffing planned by `tiersim plan {file}` (verdict: {}).\n# The rest of the scenario is {file}'s.\n\n{body}",
        plan.verdict.as_str()
    );
    crate::scenario::parse(&text, &format!("{}-plan.toml", model.name))
        .map_err(|e| format!("the planned scenario does not validate (a bug): {e}"))?;
    Ok(text)
}

/// The `shifts` array of a planned tier (or group) in the scenario file:
/// each shift on the open `days`, with its staggered breaks when it has
/// them.
pub fn shift_list(sh: &ShiftPlan, days: &[toml::Value]) -> Vec<toml::Value> {
    let shift = |start: u32, length: u32, servers: u32| {
        let mut s = toml::Table::new();
        s.insert("start".into(), clock(start).into());
        s.insert("end".into(), clock(start + length).into());
        s.insert("servers".into(), i64::from(servers).into());
        s.insert("days".into(), toml::Value::Array(days.to_vec()));
        s
    };
    if sh.staggered.is_empty() {
        return sh
            .shifts
            .iter()
            .map(|&(start, length, servers)| toml::Value::Table(shift(start, length, servers)))
            .collect();
    }
    sh.staggered
        .iter()
        .map(|g| {
            let mut s = shift(g.start, g.length, g.servers);
            let breaks = g
                .breaks
                .iter()
                .map(|&(o, l)| {
                    let mut b = toml::Table::new();
                    b.insert("start".into(), clock(g.start + o).into());
                    b.insert("end".into(), clock(g.start + o + l).into());
                    toml::Value::Table(b)
                })
                .collect();
            s.insert("breaks".into(), toml::Value::Array(breaks));
            toml::Value::Table(s)
        })
        .collect()
}
