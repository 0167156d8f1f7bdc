//! Warnings of a valid scenario, which do not stop a run: tiers loaded at
//! or over capacity with nothing to bound their queue, and tiers with
//! nobody on duty while a channel feeding them is open.

use std::collections::HashMap;

use super::diagnostics::line_column;
use super::raw::RawScenario;
use crate::model::week::{DAY, DAYS, WEEK};
use crate::model::{Model, Overflow, mean_offered_loads};

/// Everything the user should hear about before a run.
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let mut out = run_window(model);
    out.extend(roster_gaps(model));
    out.extend(overloads(model));
    out.extend(unreachable(model));
    out.extend(risk_without_problems(model));
    out.extend(super::redial::warnings(model));
    out.extend(super::promotion::warnings(model));
    out.extend(super::chasing::warnings(model));
    out.extend(super::agents::warnings(model));
    out
}

/// Risk inputs that can do nothing because no segment has problem cases:
/// a back office's `catch_rate` catches nothing and
/// `risk.loss_per_missed_case` is never lost.
fn risk_without_problems(model: &Model) -> Vec<String> {
    let risk = &model.risk;
    if risk.problem_rate.iter().any(|&p| p > 0.0) {
        return Vec::new();
    }
    let hint = "no segment has problem cases (segment.problem_rate > 0)";
    let mut out: Vec<String> = model
        .tiers
        .iter()
        .zip(&risk.catch_rate)
        .filter(|&(_, &c)| c > 0.0)
        .map(|(t, c)| {
            format!(
                "tier `{}`: catch_rate = {c} catches nothing: {hint}",
                t.name
            )
        })
        .collect();
    if risk.loss_per_missed_case > 0.0 {
        out.push(format!(
            "risk.loss_per_missed_case = {} is never lost: {hint}",
            risk.loss_per_missed_case
        ));
    }
    out
}

/// A warm-up longer than half the horizon: most of each replication is
/// thrown away (often hours typed where minutes are meant). A window with
/// no client at all is refused instead (`limits.rs`).
fn run_window(model: &Model) -> Vec<String> {
    let (horizon, warmup) = (model.run.horizon, model.run.warmup);
    if warmup <= horizon / 2.0 {
        return Vec::new();
    }
    vec![format!(
        "run.warmup = {warmup} minutes is more than half of run.horizon = {horizon} minutes: \
         most of each replication is discarded before anything is measured; {}",
        units_hint(horizon)
    )]
}

/// The reminder that bare times are minutes, with `horizon` written in hours.
pub(super) fn units_hint(horizon: f64) -> String {
    format!(
        "times are in minutes unless a unit is written (if you meant hours, write horizon = \"{horizon}h\")"
    )
}

/// Tiers no route of the scenario leads to (no segment, request or
/// channel enters there; no escalation, skill route, hand-off, back-office
/// step or book leads there) and that make no outbound calls: their staff
/// would sit idle in every run, whatever the rates.
fn unreachable(model: &Model) -> Vec<String> {
    let n = model.tiers.len();
    let mut reached = vec![false; n];
    let mut todo: Vec<usize> = Vec::new();
    let channels = model.channels.len().max(1);
    for (s, segment) in model.segments.iter().enumerate() {
        for r in 0..model.requests.len() {
            todo.extend((0..channels).map(|c| model.entry(s, r, c)));
        }
        todo.extend(&segment.back_office);
        if let Some(b) = &segment.book {
            todo.push(b.tier);
            if let Overflow::To(t) = b.overflow {
                todo.push(t);
            }
        }
    }
    for r in &model.requests {
        todo.extend(&r.back_office);
        // An opt-in chatbot is reached by the clients who choose it.
        todo.extend(
            r.bot_uptake
                .iter()
                .filter(|(_, p)| *p > 0.0)
                .map(|(t, _)| *t),
        );
    }
    while let Some(j) = todo.pop() {
        if std::mem::replace(&mut reached[j], true) {
            continue;
        }
        let t = &model.tiers[j];
        todo.extend(t.routes.iter().flatten().map(|e| e.to));
        todo.extend(t.skill.as_ref().map(|s| s.to));
    }
    model
        .tiers
        .iter()
        .zip(&reached)
        .filter(|(t, reached)| !**reached && t.outbound.is_none())
        .map(|(t, _)| {
            format!(
                "tier `{}` is never reached: no segment, request or channel enters there and no tier \
                 escalates or hands off to it; its servers stay idle (check `entry`, `escalate` and `handoff_to`)",
                t.name
            )
        })
        .collect()
}

/// Tiers loaded at or over capacity with nothing to bound their queue.
fn overloads(model: &Model) -> Vec<String> {
    mean_offered_loads(model)
        .into_iter()
        .filter(|l| l.unbounded)
        .map(|l| {
            format!(
                "tier `{}` is loaded at or over capacity: offered load {:.2} Erlangs on {} \
                 (utilization {:.2}) with no patience and no queue capacity to bound its queue; \
                 the queue grows for the whole run and the run stops at the horizon",
                l.tier,
                l.offered_load,
                l.servers_text(),
                l.utilization
            )
        })
        .collect()
}

/// The tiers clients of channel `c` meet first.
fn entries(model: &Model, c: usize) -> Vec<usize> {
    let mut entries: Vec<usize> = Vec::new();
    let feeding = model
        .segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.channels.get(c).is_some_and(|&p| p > 0.0));
    for (segment, s) in feeding {
        let mut firsts: Vec<usize> = (0..model.requests.len())
            .filter(|&r| s.requests[r] > 0.0)
            .map(|r| model.entry(segment, r, c))
            .collect();
        firsts.extend(s.book.as_ref().map(|b| b.tier));
        for j in firsts {
            if !entries.contains(&j) {
                entries.push(j);
            }
        }
    }
    entries
}

/// Warnings for tiers with nobody on duty while a channel that feeds them
/// is open: clients arriving then wait for the next shift (or abandon).
fn roster_gaps(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for (c, channel) in model.channels.iter().enumerate() {
        for j in entries(model, c) {
            let Some(roster) = &model.tiers[j].roster else {
                continue;
            };
            // The first minute of the week when the channel is open and the
            // tier unstaffed, and how many such minutes.
            let gaps: Vec<f64> = (0..WEEK as usize)
                .map(|m| m as f64)
                .filter(|&t| {
                    channel.hours.as_ref().is_none_or(|h| h.is_open(t)) && roster.at(t) == 0
                })
                .collect();
            if let Some(&first) = gaps.first() {
                let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
                let day = DAYS[(start_day + (first / DAY) as usize) % 7];
                let minute = first.rem_euclid(DAY) as u32;
                out.push(format!(
                    "tier `{}` has nobody on duty for {:.1} hours a week while channel `{}` is open (first on {day} at {:02}:{:02}); clients arriving then wait for the next shift",
                    model.tiers[j].name,
                    gaps.len() as f64 / 60.0,
                    channel.name,
                    minute / 60,
                    minute % 60
                ));
            }
        }
    }
    out
}

/// Where the warnings of a scenario file point: every warning is about a
/// tier and starts with "tier `<name>`", and is placed at that tier's
/// `name` in the file, so that warnings carry file and line as errors do
/// (the text in `summary.json` stays without them, so that it does not
/// depend on the path the file was run from).
#[derive(Clone, Debug, Default)]
pub struct WarningPlaces {
    /// Line and column of each tier's `name`, by name.
    tiers: HashMap<String, (usize, usize)>,
}

impl WarningPlaces {
    /// The places of the tiers of scenario `source` (none if it does not
    /// parse: its warnings then have no place).
    pub fn of(source: &str) -> WarningPlaces {
        let tiers = toml::from_str::<RawScenario>(source)
            .map(|raw| {
                raw.tier
                    .iter()
                    .map(|t| {
                        let name = &t.get_ref().name;
                        (
                            name.get_ref().clone(),
                            line_column(source, name.span().start),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        WarningPlaces { tiers }
    }

    /// The line and column warning `text` points at.
    pub fn place(&self, text: &str) -> Option<(usize, usize)> {
        let name = text.strip_prefix("tier `")?.split('`').next()?;
        self.tiers.get(name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_is_placed_at_the_tier_it_names() {
        let source = "name = \"s\"\n[run]\nhorizon = 9.0\nservice_level_threshold = 1.0\n\
                      [[segment]]\nname = \"x\"\nrate_per_hour = 6.0\n\
                      [[tier]]\nname = \"a\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n\
                      [[tier]]\n  name = \"b\"\nservers = 1\nservice = { dist = \"exponential\", mean = 1.0 }\n";
        let places = WarningPlaces::of(source);
        assert_eq!(places.place("tier `b` is never reached"), Some((13, 10)));
        assert_eq!(places.place("tier `a`: x"), Some((9, 8)));
        assert_eq!(places.place("tier `c` is never reached"), None);
        assert_eq!(places.place("warm-up looks too short"), None);
    }

    /// A chatbot that only opt-in clients reach (`bot_uptake`) is reached;
    /// at an uptake of 0 it is not.
    #[test]
    fn an_opt_in_bot_is_reached_by_its_uptake() {
        let source = |uptake: f64| {
            format!(
                "name = \"s\"\n[run]\nhorizon = 600.0\nservice_level_threshold = 1.0\n\
                 [[segment]]\nname = \"x\"\nrate_per_hour = 6.0\nrequests = {{ q = 1.0 }}\n\
                 [[tier]]\nname = \"a\"\nservers = 1\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n\
                 [[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nhandoff_to = \"a\"\n\
                 service = {{ dist = \"exponential\", mean = 1.0 }}\nresolves = {{ q = 0.5 }}\n\
                 [[request]]\nname = \"q\"\nbot_uptake = {{ bot = {uptake} }}\n"
            )
        };
        let never = |uptake: f64| {
            let s = crate::scenario::parse(&source(uptake), "s.toml").unwrap();
            s.warnings
                .iter()
                .any(|w| w.contains("`bot` is never reached"))
        };
        assert!(!never(0.6));
        assert!(never(0.0));
    }
}
