//! A week's roster of named people for one tier's shifts (`plan --roster`):
//! every shift of every open day is worked by exactly one person, nobody
//! works two shifts a day, more than `max_consecutive_days` days in a row
//! (the week repeats: Sunday runs into Monday) or outside
//! `[min_hours, max_hours]` paid hours a week, with the fewest people.
//!
//! The rules depend only on which days a person works and how long their
//! shifts are, so the programme is over *week patterns*: a shift length or
//! a day off for each day. Variables: people per pattern (integers);
//! constraints: for each open day and length, the patterns working it add
//! up to the shifts of that length; objective: fewest people. It is exact
//! and small (at most (lengths + 1)^open days patterns), solved by
//! [`roster_search`](super::roster_search) with a deterministic limit: the
//! roster comes with a proven lower bound on its people (optimal when it
//! meets it). People are then named and given the day's shifts of their
//! length in start order. When no pattern mix fits, each rule is relaxed
//! alone to name the one that binds.

use serde::{Deserialize, Serialize};

use super::roster_search::{LIMITS, Programme, Search, search};

use super::breaks::StaggeredShift;
use super::output::clock;
use crate::model::week::DAYS;
use crate::model::workforce::RosterRules;

/// A week pattern: per day (Monday first) 0 for a day off, else the index
/// of the shift length worked, plus one.
type Pattern = [usize; 7];

/// Most week patterns the programme enumerates.
const MAX_PATTERNS: u64 = 200_000;

/// One person's week: the index (into the day's shifts) of the shift worked
/// on each day, Monday first.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonWeek {
    /// Name, `<tier>-NNN`.
    pub name: String,
    /// Shift worked each day (`None`: day off).
    pub days: [Option<usize>; 7],
}

/// How a roster was solved: the size of its programme, the proven lower
/// bound on its people and the branch-and-bound calls the search made.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proof {
    /// Week patterns the rules allow (the programme's columns).
    pub patterns: u32,
    /// Fewest people any roster of these shifts and rules can have.
    pub lower_bound: u32,
    /// Branch-and-bound calls made (0 when the dive met the bound).
    pub calls: u32,
}

/// A roster and how it was solved.
#[derive(Clone, Debug, PartialEq)]
pub struct Roster {
    /// The people and their weeks.
    pub people: Vec<PersonWeek>,
    /// Its lower bound; optimal when the people are as few.
    pub proof: Proof,
}

/// No roster satisfies the rules: the rule that binds and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Infeasible {
    /// The binding rule's field (`plan.roster.min_hours`, ...), or
    /// `plan.roster` when only relaxing several would help.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// One row of `roster.csv`: one person's shift on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterRow {
    /// Tier name.
    pub tier: String,
    /// Person.
    pub person: String,
    /// Day (`mon` ...).
    pub day: String,
    /// `HH:MM` start.
    pub start: String,
    /// `HH:MM` end (wrapping past midnight).
    pub end: String,
    /// Paid hours of the shift.
    pub paid_hours: f64,
    /// Breaks, `HH:MM-HH:MM` separated by spaces (empty without).
    pub breaks: String,
    /// The person's paid hours that week.
    pub week_hours: f64,
}

/// A tier's roster in `plan.json` (`roster.<tier>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RosterSummary {
    /// People on the roster.
    pub people: u32,
    /// Shifts worked in the week.
    pub shifts_per_week: u32,
    /// Fewest and most paid hours of anyone.
    pub hours: [f64; 2],
    /// Most working days in a row of anyone (the week repeating).
    pub longest_run_days: u32,
    /// Fewest people any roster can have, proven (by the programme's
    /// relaxation, and branch and bound where it ran).
    #[serde(default)]
    pub lower_bound: u32,
    /// Whether `people` equals `lower_bound`: no roster has fewer.
    #[serde(default)]
    pub optimal: bool,
    /// Week patterns the rules allow.
    #[serde(default)]
    pub patterns: u32,
    /// Branch-and-bound calls the search made, each of at most 2,000
    /// nodes (0: none were needed).
    #[serde(default)]
    pub calls: u32,
}

/// The shifts of one day as single-server instances, in start order.
pub fn day_shifts(staggered: &[StaggeredShift]) -> Vec<StaggeredShift> {
    staggered
        .iter()
        .flat_map(|s| {
            std::iter::repeat_n(
                StaggeredShift {
                    servers: 1,
                    ..s.clone()
                },
                s.servers as usize,
            )
        })
        .collect()
}

/// The longest run of days `works`, the week repeating.
fn longest_run(works: impl Fn(usize) -> bool) -> u32 {
    if (0..7).all(&works) {
        return 7;
    }
    let mut best = 0;
    for d in 0..7 {
        let run = (0..7).take_while(|k| works((d + k) % 7)).count() as u32;
        best = best.max(run);
    }
    best
}

/// Every week pattern (a length index + 1 per day, 0 off) allowed by
/// `rules` on the `open` days with shift `lengths` (minutes).
fn patterns(
    lengths: &[u32],
    open: [bool; 7],
    rules: &RosterRules,
) -> Result<Vec<Pattern>, Infeasible> {
    let days: Vec<usize> = (0..7).filter(|&d| open[d]).collect();
    let base = lengths.len() + 1;
    let total = (base as u64)
        .checked_pow(days.len() as u32)
        .unwrap_or(u64::MAX);
    if total > MAX_PATTERNS {
        return Err(Infeasible {
            field: "plan.shift_lengths".into(),
            message: format!(
                "{} shift lengths over {} open days give {total} week patterns; allowed: at most {MAX_PATTERNS} (fewer shift lengths)",
                lengths.len(),
                days.len()
            ),
        });
    }
    let mut out = Vec::new();
    for code in 1..total {
        let mut p = [0usize; 7];
        let mut c = code;
        for &d in &days {
            p[d] = (c % base as u64) as usize;
            c /= base as u64;
        }
        let hours: f64 = p
            .iter()
            .filter(|&&k| k > 0)
            .map(|&k| f64::from(lengths[k - 1]) / 60.0)
            .sum();
        let ok = longest_run(|d| p[d] > 0) <= rules.max_consecutive_days
            && hours >= rules.min_hours - 1e-9
            && hours <= rules.max_hours + 1e-9;
        if ok {
            out.push(p);
        }
    }
    Ok(out)
}

/// The allowed patterns and the search for people per pattern covering
/// `demand[l]` shifts of length `lengths[l]` on each open day, fewest
/// people.
fn solve(
    lengths: &[u32],
    demand: &[u32],
    open: [bool; 7],
    rules: &RosterRules,
) -> Result<(Vec<Pattern>, Search), Infeasible> {
    let pats = patterns(lengths, open, rules)?;
    if pats.is_empty() {
        return Ok((pats, Search::Infeasible));
    }
    let days: Vec<usize> = (0..7).filter(|&d| open[d]).collect();
    // Row of open day i and length l: i * lengths + l.
    let columns = pats
        .iter()
        .map(|p| {
            days.iter()
                .enumerate()
                .filter(|(_, d)| p[**d] > 0)
                .map(|(i, d)| i * lengths.len() + p[*d] - 1)
                .collect()
        })
        .collect();
    let rows = days.iter().flat_map(|_| demand.iter().copied()).collect();
    let programme = Programme {
        columns,
        demand: rows,
    };
    let found = search(&programme, LIMITS);
    Ok((pats, found))
}

/// The roster of `shifts` (one day's single-server shifts, the same on
/// every `open` day) under `rules`, people named `<prefix>-NNN`.
pub fn roster(
    shifts: &[StaggeredShift],
    open: [bool; 7],
    rules: &RosterRules,
    prefix: &str,
) -> Result<Vec<PersonWeek>, Infeasible> {
    solved_roster(shifts, open, rules, prefix).map(|r| r.people)
}

/// [`roster`] with its proof: the lower bound it meets or not. When the
/// search stops at its limit without a roster, the error is at
/// `plan.roster` and says so (it proves nothing about the rules).
pub fn solved_roster(
    shifts: &[StaggeredShift],
    open: [bool; 7],
    rules: &RosterRules,
    prefix: &str,
) -> Result<Roster, Infeasible> {
    let mut lengths: Vec<u32> = shifts.iter().map(|s| s.length).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let demand: Vec<u32> = lengths
        .iter()
        .map(|&l| shifts.iter().filter(|s| s.length == l).count() as u32)
        .collect();
    if shifts.is_empty() || !open.iter().any(|o| *o) {
        let proof = Proof {
            patterns: 0,
            lower_bound: 0,
            calls: 0,
        };
        return Ok(Roster {
            people: Vec::new(),
            proof,
        });
    }
    let (pats, found) = solve(&lengths, &demand, open, rules)?;
    let patterns = pats.len() as u32;
    let (counts, proof) = match found {
        Search::Found {
            counts,
            lower_bound,
            calls,
        } => (
            counts,
            Proof {
                patterns,
                lower_bound,
                calls,
            },
        ),
        Search::Infeasible => return Err(binding_rule(&lengths, &demand, open, rules)?),
        Search::Undecided { lower_bound, calls } => {
            return Err(undecided(patterns, lower_bound, calls));
        }
    };
    let mut people = Vec::new();
    for (p, count) in pats.into_iter().zip(counts) {
        for _ in 0..count {
            people.push((p, [None; 7]));
        }
    }
    // Each day, the shifts of each length go to the people working that
    // length, in start order.
    for d in (0..7).filter(|&d| open[d]) {
        for (l, &length) in lengths.iter().enumerate() {
            let mut todo = (0..shifts.len()).filter(|&i| shifts[i].length == length);
            for (p, days) in people.iter_mut() {
                if p[d] == l + 1 {
                    days[d] = todo.next();
                }
            }
        }
    }
    let people = people
        .into_iter()
        .enumerate()
        .map(|(i, (_, days))| PersonWeek {
            name: format!("{prefix}-{:03}", i + 1),
            days,
        })
        .collect();
    Ok(Roster { people, proof })
}

/// The verdict when the search stops at its limit without a roster.
fn undecided(patterns: u32, lower_bound: u32, calls: u32) -> Infeasible {
    Infeasible {
        field: "plan.roster".into(),
        message: format!(
            "no roster found within the search's limit ({patterns} week patterns; at least {lower_bound} people by the proven bound; branch and bound stopped at its limit of {} nodes in call {calls} of at most {}: a limit in nodes, not time, so the same on any machine); this proves nothing about the rules; allowed: fewer `plan.shift_lengths` or tighter `plan.roster` rules, which make fewer week patterns",
            LIMITS.nodes, LIMITS.calls
        ),
    }
}

/// Names the rule whose relaxation alone makes a roster possible.
fn binding_rule(
    lengths: &[u32],
    demand: &[u32],
    open: [bool; 7],
    rules: &RosterRules,
) -> Result<Infeasible, Infeasible> {
    let relaxed = [
        (
            "max_consecutive_days",
            RosterRules {
                max_consecutive_days: 7,
                ..*rules
            },
            format!("{}", rules.max_consecutive_days),
        ),
        (
            "min_hours",
            RosterRules {
                min_hours: 0.0,
                ..*rules
            },
            format!("{} h", rules.min_hours),
        ),
        (
            "max_hours",
            RosterRules {
                max_hours: 168.0,
                ..*rules
            },
            format!("{} h", rules.max_hours),
        ),
    ];
    let shifts: Vec<String> = lengths
        .iter()
        .zip(demand)
        .map(|(l, n)| format!("{n} of {} h", f64::from(*l) / 60.0))
        .collect();
    let what = format!(
        "no roster covers the plan's shifts ({} a day on {} open days) with at most {} days in a row and {}-{} paid hours a week each",
        shifts.join(", "),
        open.iter().filter(|o| **o).count(),
        rules.max_consecutive_days,
        rules.min_hours,
        rules.max_hours
    );
    for (name, r, value) in relaxed {
        if let (_, Search::Found { .. }) = solve(lengths, demand, open, &r)? {
            return Ok(Infeasible {
                field: format!("plan.roster.{name}"),
                message: format!(
                    "{what}; `{name}` = {value} binds: without it a roster exists; allowed: a {name} that the shifts can meet"
                ),
            });
        }
    }
    Ok(Infeasible {
        field: "plan.roster".into(),
        message: format!("{what}; no single rule binds alone; allowed: looser rules together"),
    })
}

/// Checks `people` against every rule and that they work exactly `shifts`
/// on every open day; the first broken rule.
pub fn check(
    people: &[PersonWeek],
    shifts: &[StaggeredShift],
    open: [bool; 7],
    rules: &RosterRules,
) -> Result<(), String> {
    for d in 0..7 {
        let mut worked: Vec<usize> = people.iter().filter_map(|p| p.days[d]).collect();
        worked.sort_unstable();
        let want: Vec<usize> = if open[d] {
            (0..shifts.len()).collect()
        } else {
            Vec::new()
        };
        if worked != want {
            return Err(format!(
                "{}: the shifts worked are not the day's shifts, each once",
                DAYS[d]
            ));
        }
    }
    for p in people {
        let run = longest_run(|d| p.days[d].is_some());
        if run > rules.max_consecutive_days {
            return Err(format!("{} works {run} days in a row", p.name));
        }
        let hours = week_hours(p, shifts);
        if hours < rules.min_hours - 1e-9 || hours > rules.max_hours + 1e-9 {
            return Err(format!("{} works {hours} h", p.name));
        }
    }
    Ok(())
}

/// Paid hours of a person's week.
pub fn week_hours(p: &PersonWeek, shifts: &[StaggeredShift]) -> f64 {
    p.days
        .iter()
        .flatten()
        .map(|&i| f64::from(shifts[i].length) / 60.0)
        .sum()
}

/// The rows of `roster.csv` for one tier.
pub fn rows(tier: &str, people: &[PersonWeek], shifts: &[StaggeredShift]) -> Vec<RosterRow> {
    let mut out = Vec::new();
    for p in people {
        let week = week_hours(p, shifts);
        for (d, shift) in p.days.iter().enumerate() {
            let Some(i) = shift else { continue };
            let s = &shifts[*i];
            let breaks: Vec<String> = s
                .breaks
                .iter()
                .map(|&(o, l)| format!("{}-{}", clock(s.start + o), clock(s.start + o + l)))
                .collect();
            out.push(RosterRow {
                tier: tier.to_string(),
                person: p.name.clone(),
                day: DAYS[d].to_string(),
                start: clock(s.start),
                end: clock(s.start + s.length),
                paid_hours: f64::from(s.length) / 60.0,
                breaks: breaks.join(" "),
                week_hours: week,
            });
        }
    }
    out
}

/// A tier's roster summary, with the `proof` of its size.
pub fn summary(people: &[PersonWeek], shifts: &[StaggeredShift], proof: &Proof) -> RosterSummary {
    let hours: Vec<f64> = people.iter().map(|p| week_hours(p, shifts)).collect();
    RosterSummary {
        people: people.len() as u32,
        shifts_per_week: people
            .iter()
            .map(|p| p.days.iter().flatten().count() as u32)
            .sum(),
        hours: if hours.is_empty() {
            [0.0, 0.0]
        } else {
            [
                hours.iter().copied().fold(f64::INFINITY, f64::min),
                hours.iter().copied().fold(0.0, f64::max),
            ]
        },
        longest_run_days: people
            .iter()
            .map(|p| longest_run(|d| p.days[d].is_some()))
            .max()
            .unwrap_or(0),
        lower_bound: proof.lower_bound,
        optimal: people.len() as u32 == proof.lower_bound,
        patterns: proof.patterns,
        calls: proof.calls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(start: u32, length: u32, servers: u32) -> StaggeredShift {
        StaggeredShift {
            start,
            length,
            servers,
            breaks: Vec::new(),
        }
    }

    #[test]
    fn seven_days_of_three_shifts_need_five_people_at_five_days() {
        // 3 shifts a day x 7 days = 21 shifts; at most 5 days in a row and
        // 40 h: ceil(21 / 5) = 5 people is the least possible.
        let shifts = day_shifts(&[shift(480, 480, 2), shift(960, 480, 1)]);
        let rules = RosterRules::default();
        let people = roster(&shifts, [true; 7], &rules, "junior").unwrap();
        assert_eq!(people.len(), 5);
        check(&people, &shifts, [true; 7], &rules).unwrap();
        assert_eq!(people[0].name, "junior-001");
        // The dive meets the relaxation's bound (21 / 5 rounded up), which
        // proves the roster optimal without branching.
        let solved = solved_roster(&shifts, [true; 7], &rules, "junior").unwrap();
        assert_eq!(solved.people, people);
        assert_eq!(solved.proof.lower_bound, 5);
        assert_eq!(solved.proof.calls, 0);
        let sum = summary(&solved.people, &shifts, &solved.proof);
        assert!(sum.optimal);
        assert_eq!(sum.patterns, solved.proof.patterns);
    }

    #[test]
    fn an_unsatisfiable_minimum_names_its_rule() {
        // One 8 h shift on each of five weekdays (40 h) cannot be split
        // into weeks of exactly 32 h (four shifts each).
        let shifts = day_shifts(&[shift(480, 480, 1)]);
        let weekdays = [true, true, true, true, true, false, false];
        let rules = RosterRules {
            max_consecutive_days: 5,
            min_hours: 32.0,
            max_hours: 32.0,
        };
        let e = roster(&shifts, weekdays, &rules, "t").unwrap_err();
        assert_eq!(e.field, "plan.roster.min_hours");
        assert!(
            e.message.contains("`min_hours` = 32 h binds"),
            "{}",
            e.message
        );
    }
}
