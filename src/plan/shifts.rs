//! Whole shifts from a per-slot plan: for each tier, the number of servers
//! starting a shift of each allowed length at each allowed start, so that
//! every slot has at least the planned servers, at least cost (hourly cost
//! × length + the cost of a shift start). A small integer programme solved
//! exactly by branch and bound (`good_lp` with the pure-Rust `microlp`
//! solver). The per-slot plan's cost is its lower bound; the difference is
//! the over-staffing that whole shifts force. When every day is open the
//! day is cyclic (a shift may run past midnight into the next morning);
//! otherwise shifts past midnight cover nothing.

use good_lp::{
    Expression, Solution, SolverModel, WithMipGap, constraint, microlp, variable, variables,
};

use super::breaks::{BreakOptions, StaggeredShift, break_options, stagger};
use crate::scenario::PlanRules;

/// Relative gap to the least cost at which the shift programme with
/// breaks stops.
pub const BREAKS_MIP_GAP: f32 = 0.01;

/// Shifts of one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftPlan {
    /// `(start minute of the day, length in minutes, servers)` of each
    /// shift used, by start then length.
    pub shifts: Vec<(u32, u32, u32)>,
    /// Servers on duty per slot (net of breaks: the fewest in any minute of
    /// the slot).
    pub coverage: Vec<u32>,
    /// Cost of one day of these shifts.
    pub cost_per_day: f64,
    /// Cost of one day of the per-slot plan (no shift starts, no
    /// over-staffing): a lower bound of any shift plan.
    pub lower_bound_per_day: f64,
    /// Server-hours a day beyond the per-slot plan.
    pub over_staffing_hours: f64,
    /// With `[plan] breaks`: the shifts split by their staggered breaks
    /// (empty without).
    pub staggered: Vec<StaggeredShift>,
    /// Server-minutes of breaks a day.
    pub break_minutes_per_day: f64,
}

impl ShiftPlan {
    /// Every shift with its breaks: the staggered shifts with `[plan]
    /// breaks`, else each shift with none.
    pub fn with_breaks(&self) -> Vec<StaggeredShift> {
        if !self.staggered.is_empty() {
            return self.staggered.clone();
        }
        self.shifts
            .iter()
            .map(|&(start, length, servers)| StaggeredShift {
                start,
                length,
                servers,
                breaks: Vec::new(),
            })
            .collect()
    }
}

/// The cheapest shifts covering `required` servers per slot of
/// `slot_minutes`, with `rules`' lengths and starts (and breaks, with
/// `rules.workforce.breaks`), paying `hourly` per server-hour and
/// `shift_start` per shift. `cyclic`: a shift past midnight covers the
/// first slots of the day.
pub fn cover(
    required: &[u32],
    slot_minutes: u32,
    rules: &PlanRules,
    hourly: f64,
    shift_start: f64,
    cyclic: bool,
) -> Result<ShiftPlan, String> {
    let n = required.len();
    let slot_hours = f64::from(slot_minutes) / 60.0;
    let lower_bound_per_day =
        required.iter().map(|&r| f64::from(r)).sum::<f64>() * slot_hours * hourly;
    let breaks = rules.workforce.breaks;
    let step = breaks.map_or(slot_minutes, |b| b.step);
    let grid = Grid {
        step,
        slot_minutes,
        units: n * (slot_minutes / step) as usize,
        cyclic,
    };
    if required.iter().all(|&r| r == 0) {
        return Ok(ShiftPlan {
            shifts: Vec::new(),
            coverage: vec![0; n],
            cost_per_day: 0.0,
            lower_bound_per_day,
            over_staffing_hours: 0.0,
            staggered: Vec::new(),
            break_minutes_per_day: 0.0,
        });
    }
    let candidates = candidate_shifts(required, &grid, rules);
    check_every_slot_covered(required, &grid, &candidates)?;
    let shift_cost = |length: u32| hourly * f64::from(length) / 60.0 + shift_start;
    let need: Vec<u32> = (0..grid.units).map(|u| required[grid.slot(u)]).collect();
    let counts = cheapest_counts(&need, &grid, &candidates, shift_cost)?;
    let chosen = Chosen {
        grid: &grid,
        candidates: &candidates,
        counts: &counts,
        need: &need,
        staggered: breaks.is_some(),
    };
    Ok(ShiftPlan {
        lower_bound_per_day,
        ..chosen.plan(n, shift_cost)
    })
}

/// The programme's answer, to be read as a [`ShiftPlan`].
struct Chosen<'a> {
    grid: &'a Grid,
    candidates: &'a [Candidate],
    /// Per candidate: servers, and per break and start the servers taking it.
    counts: &'a [Counts],
    /// Servers needed per unit of the day.
    need: &'a [u32],
    /// Whether the shifts carry breaks (`[plan] breaks`).
    staggered: bool,
}

impl Chosen<'_> {
    /// The shifts used, their staggered breaks, servers on duty per unit
    /// net of breaks, and so the coverage per slot (of `n`), the
    /// over-staffing and the cost (`shift_cost` per shift of a length).
    /// The lower bound is left at 0 for the caller.
    fn plan(&self, n: usize, shift_cost: impl Fn(u32) -> f64) -> ShiftPlan {
        let grid = self.grid;
        let mut shifts = Vec::new();
        let mut staggered = Vec::new();
        let mut on_duty = vec![0i64; grid.units];
        let mut cost_per_day = 0.0;
        let mut break_minutes_per_day = 0.0;
        for (c, (count, by_break)) in self.candidates.iter().zip(self.counts) {
            if *count == 0 {
                continue;
            }
            shifts.push((c.start, c.length, *count));
            for &u in &c.covered {
                on_duty[u] += i64::from(*count);
            }
            for (b, taken) in c.breaks.iter().zip(by_break) {
                for (&offset, &k) in b.offsets.iter().zip(taken) {
                    for u in grid.span(c.start + offset, b.length) {
                        on_duty[u] -= i64::from(k);
                    }
                }
                break_minutes_per_day += f64::from(*count) * f64::from(b.length);
            }
            if self.staggered {
                staggered.extend(stagger(c.start, c.length, &c.breaks, by_break));
            }
            cost_per_day += f64::from(*count) * shift_cost(c.length);
        }
        shifts.sort_unstable();
        staggered
            .sort_by(|a, b| (a.start, a.length, &a.breaks).cmp(&(b.start, b.length, &b.breaks)));
        let per_slot = grid.units / n;
        let coverage: Vec<u32> = (0..n)
            .map(|s| {
                let least = on_duty[s * per_slot..(s + 1) * per_slot].iter().min();
                least.copied().unwrap_or(0).max(0) as u32
            })
            .collect();
        let over: f64 = on_duty
            .iter()
            .zip(self.need)
            .map(|(c, r)| (*c - i64::from(*r)).max(0) as f64)
            .sum();
        ShiftPlan {
            shifts,
            coverage,
            cost_per_day,
            lower_bound_per_day: 0.0,
            over_staffing_hours: over * f64::from(grid.step) / 60.0,
            staggered,
            break_minutes_per_day,
        }
    }
}

/// The day cut into units of `step` minutes (the slot without breaks).
struct Grid {
    /// Minutes per unit.
    step: u32,
    /// Minutes per slot (a multiple of `step`).
    slot_minutes: u32,
    /// Units in the day.
    units: usize,
    /// Whether a shift past midnight covers the next morning.
    cyclic: bool,
}

impl Grid {
    /// The slot of unit `u`.
    fn slot(&self, u: usize) -> usize {
        u / (self.slot_minutes / self.step) as usize
    }

    /// The units of `length` minutes from minute `start` of the day,
    /// wrapped past midnight on a cyclic day, else cut there.
    fn span(&self, start: u32, length: u32) -> Vec<usize> {
        let first = (start / self.step) as usize;
        let count = (length / self.step) as usize;
        (first..first + count)
            .filter_map(|u| {
                if u < self.units {
                    Some(u)
                } else if self.cyclic {
                    Some(u % self.units)
                } else {
                    None
                }
            })
            .collect()
    }
}

/// One allowed shift that could be used.
struct Candidate {
    /// Start minute of the day.
    start: u32,
    /// Length in minutes.
    length: u32,
    /// The units it covers.
    covered: Vec<usize>,
    /// Its breaks (none without `[plan] breaks`).
    breaks: Vec<BreakOptions>,
}

/// Every allowed (start, length) that covers at least one slot needing
/// servers, by start then length as `rules` list them.
fn candidate_shifts(required: &[u32], grid: &Grid, rules: &PlanRules) -> Vec<Candidate> {
    let n = required.len();
    let slot_minutes = grid.slot_minutes;
    let starts: Vec<u32> = match &rules.shift_starts {
        Some(s) => s.clone(),
        None => (0..n as u32).map(|s| s * slot_minutes).collect(),
    };
    let mut candidates = Vec::new();
    for &start in &starts {
        for &length in &rules.shift_lengths {
            let covered = grid.span(start, length);
            if covered.iter().any(|&u| required[grid.slot(u)] > 0) {
                candidates.push(Candidate {
                    start,
                    length,
                    covered,
                    breaks: rules
                        .workforce
                        .breaks
                        .map_or_else(Vec::new, |b| break_options(length, &b)),
                });
            }
        }
    }
    candidates
}

/// Refuses a plan with a slot needing servers that no candidate covers,
/// naming the first such slot.
fn check_every_slot_covered(
    required: &[u32],
    grid: &Grid,
    candidates: &[Candidate],
) -> Result<(), String> {
    let slot_minutes = grid.slot_minutes;
    for (s, &r) in required.iter().enumerate() {
        let covers = |c: &Candidate| c.covered.iter().any(|&u| grid.slot(u) == s);
        if r > 0 && !candidates.iter().any(covers) {
            return Err(format!(
                "no allowed shift covers slot {:02}:{:02}; allow more [plan] shift_starts or shift_lengths",
                s as u32 * slot_minutes / 60,
                s as u32 * slot_minutes % 60
            ));
        }
    }
    Ok(())
}

/// Servers starting one candidate, and of them, per break, how many take
/// each of its starts.
type Counts = (u32, Vec<Vec<u32>>);

/// The integer programme: how many servers start each candidate, and how
/// many of them take each of its breaks' starts, so that every unit of the
/// day has its `need` servers on duty net of breaks, at least total
/// `shift_cost`. Per candidate: `(servers, servers per break and start)`.
fn cheapest_counts(
    need: &[u32],
    grid: &Grid,
    candidates: &[Candidate],
    shift_cost: impl Fn(u32) -> f64,
) -> Result<Vec<Counts>, String> {
    let mut vars = variables!();
    let x: Vec<_> = candidates
        .iter()
        .map(|_| vars.add(variable().integer().min(0)))
        .collect();
    // y[c][b][o]: servers of candidate c taking break b at its start o.
    let y: Vec<Vec<Vec<_>>> = candidates
        .iter()
        .map(|c| {
            c.breaks
                .iter()
                .map(|b| {
                    b.offsets
                        .iter()
                        .map(|_| vars.add(variable().integer().min(0)))
                        .collect()
                })
                .collect()
        })
        .collect();
    let objective: Expression = candidates
        .iter()
        .zip(&x)
        .map(|(c, v)| shift_cost(c.length) * *v)
        .sum();
    let mut problem = vars.minimise(objective).using(microlp);
    // Off duty per unit: the breaks' variables that cover it.
    let mut off: Vec<Expression> = vec![Expression::from(0.0); grid.units];
    for ((c, yc), xc) in candidates.iter().zip(&y).zip(&x) {
        for (b, yb) in c.breaks.iter().zip(yc) {
            let taken: Expression = yb.iter().copied().sum();
            problem = problem.with(constraint!(taken == *xc));
            for (&offset, v) in b.offsets.iter().zip(yb) {
                for u in grid.span(c.start + offset, b.length) {
                    off[u] += *v;
                }
            }
        }
    }
    for (u, &r) in need.iter().enumerate() {
        if r == 0 {
            continue;
        }
        let covering: Expression = candidates
            .iter()
            .zip(&x)
            .filter(|(c, _)| c.covered.contains(&u))
            .map(|(_, v)| *v)
            .sum();
        let away = std::mem::replace(&mut off[u], Expression::from(0.0));
        problem = problem.with(constraint!(covering - away >= f64::from(r)));
    }
    // With breaks the programme has a variable per break start and its
    // branch and bound can run for minutes on a week-sized plan: stop
    // within 1% of the least cost (deterministic: a gap, not a clock).
    let solution = if candidates.iter().any(|c| !c.breaks.is_empty()) {
        problem
            .with_mip_gap(BREAKS_MIP_GAP)
            .map_err(|e| e.to_string())?
            .solve()
    } else {
        problem.solve()
    }
    .map_err(|e| format!("the shift programme could not be solved: {e}"))?;
    let value = |v: &good_lp::Variable| solution.value(*v).round().max(0.0) as u32;
    Ok(x.iter()
        .zip(&y)
        .map(|(xc, yc)| {
            let by_break = yc.iter().map(|yb| yb.iter().map(value).collect()).collect();
            (value(xc), by_break)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(lengths: &[u32]) -> PlanRules {
        PlanRules {
            shift_lengths: lengths.to_vec(),
            shift_starts: None,
            max_servers: 100,
            ..PlanRules::default()
        }
    }

    #[test]
    fn covers_every_slot_at_least_cost() {
        // 08:00-16:00 needs 2, 12:00-14:00 a third: two 8 h shifts and one
        // 2 h shift (cheaper than a third 8 h shift).
        let mut required = vec![0; 24];
        required[8..16].fill(2);
        required[12..14].fill(3);
        let plan = cover(&required, 60, &rules(&[480, 120]), 10.0, 5.0, false).unwrap();
        assert_eq!(plan.shifts, vec![(480, 480, 2), (720, 120, 1)]);
        assert!(plan.coverage.iter().zip(&required).all(|(c, r)| c >= r));
        assert_eq!(plan.cost_per_day, 2.0 * 85.0 + 25.0);
        assert_eq!(plan.lower_bound_per_day, 180.0);
        assert_eq!(plan.over_staffing_hours, 0.0);
        // Only 8 h shifts: the peak forces a third one, 6 hours over.
        let plan = cover(&required, 60, &rules(&[480]), 10.0, 5.0, false).unwrap();
        assert_eq!(plan.shifts.iter().map(|s| s.2).sum::<u32>(), 3);
        assert_eq!(plan.over_staffing_hours, 6.0);
    }

    /// Servers on duty in each minute of the day from staggered shifts,
    /// breaks taken off (no wrap: the test day is not cyclic).
    fn on_duty_by_minute(plan: &ShiftPlan) -> Vec<u32> {
        let mut m = vec![0u32; 1440];
        for s in &plan.staggered {
            for t in s.start..(s.start + s.length).min(1440) {
                let on_break = s
                    .breaks
                    .iter()
                    .any(|&(o, l)| (s.start + o..s.start + o + l).contains(&t));
                if !on_break {
                    m[t as usize] += s.servers;
                }
            }
        }
        m
    }

    #[test]
    fn staggered_breaks_keep_coverage_in_every_minute() {
        let mut required = vec![0; 24];
        required[8..18].fill(3);
        required[11..14].fill(5);
        let mut r = rules(&[480, 240]);
        r.workforce.breaks = Some(crate::model::workforce::BreakRule::default());
        let plan = cover(&required, 60, &r, 10.0, 5.0, false).unwrap();
        let minutes = on_duty_by_minute(&plan);
        for (t, &on) in minutes.iter().enumerate() {
            assert!(
                on >= required[t / 60],
                "minute {t}: {on} on duty, {} needed",
                required[t / 60]
            );
        }
        // Every server of a shift is in one staggered group, with its breaks.
        let grouped: u32 = plan.staggered.iter().map(|s| s.servers).sum();
        assert_eq!(grouped, plan.shifts.iter().map(|s| s.2).sum::<u32>());
        assert!(
            plan.staggered
                .iter()
                .all(|s| s.breaks.len() == if s.length == 480 { 3 } else { 1 })
        );
        // The slot coverage is the least in any minute of the slot, and
        // breaks cost servers: more shift hours than without them.
        for s in 0..24 {
            assert_eq!(
                plan.coverage[s],
                *minutes[s * 60..(s + 1) * 60].iter().min().unwrap()
            );
        }
        let without = cover(&required, 60, &rules(&[480, 240]), 10.0, 5.0, false).unwrap();
        assert!(plan.cost_per_day > without.cost_per_day);
        assert!(without.staggered.is_empty() && without.break_minutes_per_day == 0.0);
    }

    #[test]
    fn cyclic_day_and_uncoverable_slots() {
        // Round the clock, 3 servers: three 8 h shifts, one of them overnight.
        let plan = cover(&[3; 24], 60, &rules(&[480]), 1.0, 0.0, true).unwrap();
        assert_eq!(plan.coverage, vec![3; 24]);
        assert_eq!(plan.cost_per_day, 72.0);
        // Starts only at 08:00: 06:00 cannot be covered without wrapping.
        let r = PlanRules {
            shift_starts: Some(vec![480]),
            ..rules(&[480])
        };
        let mut required = vec![0; 24];
        required[6] = 1;
        assert!(
            cover(&required, 60, &r, 1.0, 0.0, false)
                .unwrap_err()
                .contains("06:00")
        );
    }
}
