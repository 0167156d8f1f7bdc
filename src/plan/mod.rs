//! Capacity planning: the fewest servers per tier and slot of the day that
//! meet a scenario's `[targets]` at least `[cost]`. An analytic start
//! (Erlang C or A per tier and slot, [`seed`]), refined by simulation with
//! common random numbers ([`search`]), confirmed on fresh random streams,
//! and turned into whole shifts ([`shifts`]). [`erlang`] is the closed-form
//! calculator behind `tiersim erlang`. Uses `experiment` and `report`; used
//! only by `cli`.

pub mod breaks;
pub mod decide;
pub mod erlang;
mod evaluate;
pub mod group_output;
pub mod groups;
pub mod headcount;
pub mod output;
pub mod page;
pub mod people;
pub mod planned_scenario;
pub mod roster;
pub mod roster_search;
pub mod search;
pub mod seed;
pub mod shifts;
pub mod today;
mod trade;
mod units;

use crate::model::week::{DAY, DAYS, WEEK};
use crate::model::{Model, Roster, Servers};

pub use evaluate::meets;
pub use search::{Plan, PlanOptions, Verdict, plan};

/// The slots of the day a plan staffs, with the arrival-rate factor of each
/// relative to the segments' `rate_per_hour`.
#[derive(Clone, Debug, PartialEq)]
pub struct SlotGrid {
    /// Minutes per slot (1440 for a scenario without a calendar: one slot).
    pub slot_minutes: u32,
    /// `HH:MM` of each slot's start.
    pub labels: Vec<String>,
    /// Mean arrival-rate factor over each slot (profile × mean factor of
    /// the open days).
    pub factors: Vec<f64>,
    /// Weekdays (Monday first) with arrivals: the plan's days.
    pub open_days: [bool; 7],
    /// Whether the staffing varies by slot (a scenario with a calendar or
    /// shifts): it is then a roster, else a constant `servers`.
    pub by_slot: bool,
}

impl SlotGrid {
    /// The grid of `model`'s calendar (one all-day slot without one).
    pub fn of(model: &Model) -> SlotGrid {
        let Some(week) = &model.week else {
            return SlotGrid {
                slot_minutes: DAY as u32,
                labels: vec!["all day".into()],
                factors: vec![1.0],
                open_days: [true; 7],
                by_slot: false,
            };
        };
        let open_days = week.day_factors.map(|f| f > 0.0);
        let open = open_days.iter().filter(|o| **o).count().max(1) as f64;
        let day_factor = week.day_factors.iter().sum::<f64>() / open;
        let slot = week.slot_minutes as usize;
        let factors = (0..week.slots())
            .map(|s| {
                let minutes = &week.profile[s * slot..(s + 1) * slot];
                minutes.iter().sum::<f64>() / slot as f64 * day_factor
            })
            .collect();
        SlotGrid {
            slot_minutes: slot as u32,
            labels: (0..week.slots()).map(|s| week.slot_label(s)).collect(),
            factors,
            open_days,
            by_slot: true,
        }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.factors.len()
    }

    /// Whether the grid has no slot (never: there is at least one).
    pub fn is_empty(&self) -> bool {
        self.factors.is_empty()
    }

    /// Hours in one slot.
    pub fn slot_hours(&self) -> f64 {
        f64::from(self.slot_minutes) / 60.0
    }

    /// Days a week the plan's staffing is on duty.
    pub fn open_days_per_week(&self) -> f64 {
        self.open_days.iter().filter(|o| **o).count() as f64
    }

    /// Names of the open days (`mon`, ...).
    pub fn open_day_names(&self) -> Vec<&'static str> {
        DAYS.iter()
            .zip(self.open_days)
            .filter(|(_, o)| *o)
            .map(|(d, _)| *d)
            .collect()
    }

    /// Slots that may need servers: those with arrivals, and the slot after
    /// each run of them (clients still waiting at closing are served then).
    /// `true` where servers are required (arrivals), `false` where they are
    /// allowed (closing), `None` where none are planned.
    pub fn staffable(&self) -> Vec<Option<bool>> {
        let n = self.len();
        (0..n)
            .map(|s| {
                if self.factors[s] > 0.0 {
                    Some(true)
                } else if self.factors[(s + n - 1) % n] > 0.0 {
                    Some(false)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Staffing per tier (model order) and slot; empty for a chatbot tier.
pub type Staffing = Vec<Vec<u32>>;

/// `model` with every staffed tier following `staffing` on the grid's open
/// days (a roster by slot), or with constant `servers` for a one-slot grid.
pub fn with_staffing(model: &Model, grid: &SlotGrid, staffing: &Staffing) -> Model {
    let mut m = model.clone();
    let start_day = model.week.as_ref().map_or(0, |w| w.start_day);
    for (tier, plan) in m.tiers.iter_mut().zip(staffing) {
        if !tier.planned() {
            continue;
        }
        if !grid.by_slot {
            tier.servers = Servers::Fixed(plan[0].max(1));
            tier.roster = None;
            continue;
        }
        tier.servers = Servers::Rostered(plan.iter().copied().max().unwrap_or(0).max(1));
        tier.roster = Some(roster_of(grid, start_day, plan));
    }
    m
}

/// The roster of a per-slot `plan` on `grid`: the plan on every open day,
/// nobody on a closed day; time 0 is 00:00 on weekday `start_day`.
pub fn roster_of(grid: &SlotGrid, start_day: usize, plan: &[u32]) -> Roster {
    let mut changes: Vec<(f64, u32)> = Vec::new();
    for d in 0..7 {
        let open = grid.open_days[(start_day + d) % 7];
        for (s, &c) in plan.iter().enumerate() {
            let servers = if open { c } else { 0 };
            if changes.last().map(|c| c.1) != Some(servers) {
                let at = d as f64 * DAY + s as f64 * f64::from(grid.slot_minutes);
                changes.push((at, servers));
            }
        }
    }
    debug_assert!(changes[0].0 == 0.0 && changes.last().is_some_and(|c| c.0 < WEEK));
    Roster { changes }
}
