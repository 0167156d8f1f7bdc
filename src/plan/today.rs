//! The plan against today: the scenario's own staffing run on the
//! confirmation's random streams (so the two see the same clients), its
//! weekly cost on the plan's tiers and each target met or missed beside the
//! plan's; and the shift starts a plan may use by default: the slots when
//! clients can arrive (calendar and channel hours), not the night before.

use serde::{Deserialize, Serialize};

use super::evaluate::Evaluator;
use super::output::WeeklyCost;
use super::{Plan, SlotGrid};
use crate::experiment::goals::{Attainment, check_targets, cost_rates};
use crate::experiment::run;
use crate::model::Model;
use crate::model::week::{DAY, WEEK};
use crate::report::format::nullable;
use crate::report::goals::TargetRow;
use crate::scenario::Goals;

/// Hours in a week.
const WEEK_HOURS: f64 = WEEK / 60.0;

/// Today's staffing beside the plan, as written in `plan.json` (`today`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Today {
    /// Staff cost per week of the planned tiers as the scenario staffs them.
    #[serde(with = "nullable")]
    pub cost_per_week: f64,
    /// The plan's shifts' cost per week less today's (negative: the plan saves).
    #[serde(with = "nullable")]
    pub difference_per_week: f64,
    /// Each target over the run with today's staffing, on the confirmation's
    /// streams and replications.
    pub targets: Vec<TargetRow>,
    /// Checks judged as the plan's search and confirmation judge a staffing:
    /// each target over the run, and each per-slot target in every slot with
    /// arrivals (0 in files written before it was added).
    #[serde(default)]
    pub checks: usize,
    /// Of those, the checks not met with 95% confidence (missed or
    /// uncertain). Today's staffing meets every target when this is 0.
    #[serde(default)]
    pub checks_not_met: usize,
}

impl Today {
    /// Whether today's staffing meets every target, over the run and in
    /// every slot, as the plan's confirmation judges a plan.
    pub fn meets_every_target(&self) -> bool {
        self.checks > 0 && self.checks_not_met == 0
    }
}

/// Runs `model` as staffed today on `plan`'s confirmation streams and
/// compares its cost with `weekly` (the plan's).
pub fn today(model: &Model, goals: &Goals, plan: &Plan, weekly: &WeeklyCost) -> Today {
    let mut m = model.clone();
    m.run.replications = plan.confirm_replications;
    m.run.seed = plan.confirmation_seed;
    let summary = run(&m);
    let judge = Evaluator {
        model,
        goals,
        grid: &plan.grid,
        replications: m.run.replications,
        evaluations: 0,
        progress: &|_| {},
    };
    let checks = judge.checks(&summary);
    let cost_per_week = goals.cost.as_ref().map_or(f64::NAN, |c| {
        cost_rates(c, model, &summary)
            .tiers
            .iter()
            .filter(|t| weekly.covers(&t.name))
            .map(|t| t.staff_per_hour * WEEK_HOURS)
            .sum()
    });
    Today {
        cost_per_week,
        difference_per_week: weekly.shifts - cost_per_week,
        targets: check_targets(
            &goals.targets,
            &crate::experiment::days::judged(model, &summary),
        )
        .iter()
        .map(TargetRow::from)
        .collect(),
        checks: checks.len(),
        checks_not_met: checks
            .iter()
            .filter(|c| c.attainment != Attainment::Met)
            .count(),
    }
}

/// Slots (on a by-slot grid) in which a client can arrive: the calendar's
/// rate is above zero and, when channels have hours, one of them is open
/// at some minute of the slot on an open day. All slots without a calendar.
pub fn arrival_slots(model: &Model, grid: &SlotGrid) -> Vec<bool> {
    let Some(week) = model.week.as_ref().filter(|_| grid.by_slot) else {
        return vec![true; grid.len()];
    };
    let slot = f64::from(grid.slot_minutes);
    let open_at = |minute_of_day: f64| {
        model.channels.is_empty()
            || model.channels.iter().any(|c| {
                c.hours.as_ref().is_none_or(|h| {
                    (0..7).filter(|&d| grid.open_days[d]).any(|d| {
                        let day = (d + 7 - week.start_day) % 7;
                        h.is_open(day as f64 * DAY + minute_of_day)
                    })
                })
            })
    };
    (0..grid.len())
        .map(|s| {
            grid.factors[s] > 0.0
                && (0..grid.slot_minutes).any(|m| open_at(s as f64 * slot + f64::from(m)))
        })
        .collect()
}

/// The shift starts (minutes of the day) a plan may use when `[plan]`
/// names none: the start of every slot in which clients can arrive, and of
/// any other slot that needs servers (`required` on the same grid), so every
/// requirement stays coverable.
pub fn default_starts(arrivals: &[bool], required: &[u32], slot_minutes: u32) -> Vec<u32> {
    (0..required.len())
        .filter(|&s| arrivals.get(s).copied().unwrap_or(true) || required[s] > 0)
        .map(|s| s as u32 * slot_minutes)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_starts_are_the_arrival_slots_and_any_other_slot_needing_staff() {
        let arrivals = [false, false, true, true, false, false];
        let required = [0, 0, 2, 3, 1, 0];
        assert_eq!(default_starts(&arrivals, &required, 60), [120, 180, 240]);
    }

    #[test]
    fn arrival_slots_follow_the_calendar_and_the_channel_hours() {
        let source = r#"name = "t"
[run]
horizon = 20160.0
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
day_factors = { sat = 0.0, sun = 0.0 }
profile = { "07:00-20:00" = 1.0 }
[[channel]]
name = "phone"
hours = { weekdays = "08:00-18:00", weekend = "closed" }
[[segment]]
name = "s"
rate_per_hour = 6.0
channels = { phone = 1.0 }
[[tier]]
name = "t"
servers = 2
service = { dist = "exponential", mean = 1.0 }
"#;
        let model = crate::scenario::parse(source, "t.toml").unwrap().model;
        let grid = SlotGrid::of(&model);
        let slots = arrival_slots(&model, &grid);
        // Profile 07:00-20:00; the phone channel opens 08:00-18:00.
        let open: Vec<usize> = (0..slots.len()).filter(|&s| slots[s]).collect();
        assert_eq!(open, (8..18).collect::<Vec<_>>());
    }
}
