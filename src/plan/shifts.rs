//! Whole shifts from a per-slot plan: for each tier, the number of servers
//! starting a shift of each allowed length at each allowed start, so that
//! every slot has at least the planned servers, at least cost (hourly cost
//! × length + the cost of a shift start). A small integer programme solved
//! exactly by branch and bound (`good_lp` with the pure-Rust `microlp`
//! solver). The per-slot plan's cost is its lower bound; the difference is
//! the over-staffing that whole shifts force. When every day is open the
//! day is cyclic (a shift may run past midnight into the next morning);
//! otherwise shifts past midnight cover nothing.

use good_lp::{Expression, Solution, SolverModel, constraint, microlp, variable, variables};

use crate::scenario::PlanRules;

/// Shifts of one tier.
#[derive(Clone, Debug, PartialEq)]
pub struct ShiftPlan {
    /// `(start minute of the day, length in minutes, servers)` of each
    /// shift used, by start then length.
    pub shifts: Vec<(u32, u32, u32)>,
    /// Servers on duty per slot.
    pub coverage: Vec<u32>,
    /// Cost of one day of these shifts.
    pub cost_per_day: f64,
    /// Cost of one day of the per-slot plan (no shift starts, no
    /// over-staffing): a lower bound of any shift plan.
    pub lower_bound_per_day: f64,
    /// Server-hours a day beyond the per-slot plan.
    pub over_staffing_hours: f64,
}

/// The cheapest shifts covering `required` servers per slot of
/// `slot_minutes`, with `rules`' lengths and starts, paying `hourly` per
/// server-hour and `shift_start` per shift. `cyclic`: a shift past midnight
/// covers the first slots of the day.
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
    let candidates = candidate_shifts(required, slot_minutes, rules, cyclic);
    if required.iter().all(|&r| r == 0) {
        return Ok(ShiftPlan {
            shifts: Vec::new(),
            coverage: vec![0; n],
            cost_per_day: 0.0,
            lower_bound_per_day,
            over_staffing_hours: 0.0,
        });
    }
    check_every_slot_covered(required, slot_minutes, &candidates)?;
    let shift_cost = |length: u32| hourly * f64::from(length) / 60.0 + shift_start;
    let counts = cheapest_counts(required, &candidates, shift_cost)?;
    let mut shifts = Vec::new();
    let mut coverage = vec![0u32; n];
    let mut cost_per_day = 0.0;
    for (c, &count) in candidates.iter().zip(&counts) {
        if count == 0 {
            continue;
        }
        shifts.push((c.start, c.length, count));
        for &s in &c.covered {
            coverage[s] += count;
        }
        cost_per_day += f64::from(count) * shift_cost(c.length);
    }
    shifts.sort_unstable();
    let over: u32 = coverage
        .iter()
        .zip(required)
        .map(|(c, r)| c.saturating_sub(*r))
        .sum();
    Ok(ShiftPlan {
        shifts,
        coverage,
        cost_per_day,
        lower_bound_per_day,
        over_staffing_hours: f64::from(over) * slot_hours,
    })
}

/// One allowed shift that could be used.
struct Candidate {
    /// Start minute of the day.
    start: u32,
    /// Length in minutes.
    length: u32,
    /// The slots it covers.
    covered: Vec<usize>,
}

/// Every allowed (start, length) that covers at least one slot needing
/// servers, by start then length as `rules` list them.
fn candidate_shifts(
    required: &[u32],
    slot_minutes: u32,
    rules: &PlanRules,
    cyclic: bool,
) -> Vec<Candidate> {
    let n = required.len();
    let starts: Vec<u32> = match &rules.shift_starts {
        Some(s) => s.clone(),
        None => (0..n as u32).map(|s| s * slot_minutes).collect(),
    };
    let mut candidates = Vec::new();
    for &start in &starts {
        for &length in &rules.shift_lengths {
            let first = (start / slot_minutes) as usize;
            let count = (length / slot_minutes) as usize;
            let covered: Vec<usize> = (first..first + count)
                .filter_map(|s| {
                    if s < n {
                        Some(s)
                    } else if cyclic {
                        Some(s % n)
                    } else {
                        None
                    }
                })
                .collect();
            if covered.iter().any(|&s| required[s] > 0) {
                candidates.push(Candidate {
                    start,
                    length,
                    covered,
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
    slot_minutes: u32,
    candidates: &[Candidate],
) -> Result<(), String> {
    for (s, &r) in required.iter().enumerate() {
        if r > 0 && !candidates.iter().any(|c| c.covered.contains(&s)) {
            return Err(format!(
                "no allowed shift covers slot {:02}:{:02}; allow more [plan] shift_starts or shift_lengths",
                s as u32 * slot_minutes / 60,
                s as u32 * slot_minutes % 60
            ));
        }
    }
    Ok(())
}

/// The integer programme: how many servers start each candidate so that
/// every slot has its `required` servers, at least total `shift_cost`.
fn cheapest_counts(
    required: &[u32],
    candidates: &[Candidate],
    shift_cost: impl Fn(u32) -> f64,
) -> Result<Vec<u32>, String> {
    let mut vars = variables!();
    let x: Vec<_> = candidates
        .iter()
        .map(|_| vars.add(variable().integer().min(0)))
        .collect();
    let objective: Expression = candidates
        .iter()
        .zip(&x)
        .map(|(c, v)| shift_cost(c.length) * *v)
        .sum();
    let mut problem = vars.minimise(objective).using(microlp);
    for (s, &r) in required.iter().enumerate() {
        if r == 0 {
            continue;
        }
        let covering: Expression = candidates
            .iter()
            .zip(&x)
            .filter(|(c, _)| c.covered.contains(&s))
            .map(|(_, v)| *v)
            .sum();
        problem = problem.with(constraint!(covering >= f64::from(r)));
    }
    let solution = problem
        .solve()
        .map_err(|e| format!("the shift programme could not be solved: {e}"))?;
    Ok(x.iter()
        .map(|v| solution.value(*v).round().max(0.0) as u32)
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
