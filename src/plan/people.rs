//! The people behind a plan: each staffed tier's headcount
//! ([`headcount`](super::headcount)) and, with `plan --roster`, its week's
//! roster of named people ([`roster`](super::roster)), gathered for
//! `plan.json`, `roster.csv`, the terminal and `report.html`. Keyed by tier
//! name; an agent group becomes one more key.

use super::breaks::StaggeredShift;
use super::headcount::{Headcount, headcounts};
use super::roster::{self, Infeasible, PersonWeek, Proof, RosterRow, RosterSummary};
use super::shifts::ShiftPlan;
use super::{Plan, Staffing};
use crate::model::Model;
use crate::model::workforce::Workforce;
use crate::report::csv::write_rows;
use crate::report::format::{Ordered, putln};
use crate::report::html::escape;

/// One tier's roster.
#[derive(Clone, Debug, PartialEq)]
pub struct TierRoster {
    /// Tier name.
    pub tier: String,
    /// One day's shifts, one server each (the same on every open day).
    pub shifts: Vec<StaggeredShift>,
    /// The people and their weeks.
    pub people: Vec<PersonWeek>,
    /// The proven lower bound on the people, and the search's effort.
    pub proof: Proof,
}

/// Headcount per tier, and rosters when asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct People {
    /// Per staffed tier.
    pub headcount: Ordered<Headcount>,
    /// Per staffed tier, with `--roster`.
    pub rosters: Option<Vec<TierRoster>>,
}

/// Server-hours on duty a week that `staffing` asks of tier `t`.
fn on_duty_hours(plan: &Plan, staffing: &Staffing, t: usize) -> f64 {
    let per_day: u32 = staffing[t].iter().sum();
    f64::from(per_day) * plan.grid.slot_hours() * plan.grid.open_days_per_week()
}

/// The people of `plan` with its `shifts` (one per tier, `None` unplanned)
/// and its agent groups' `group_shifts` (on duty every day; keyed
/// `tier.group`); rosters too when `with_roster`. An infeasible roster is
/// an error naming the tier (or group) and the binding rule, never a
/// partial roster.
pub fn people(
    model: &Model,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    group_shifts: &[ShiftPlan],
    workforce: &Workforce,
    with_roster: bool,
) -> Result<People, (String, Infeasible)> {
    let units = model.tiers.iter().enumerate().filter_map(|(t, tier)| {
        let s = shifts[t].as_ref()?;
        Some((tier.name.clone(), s, on_duty_hours(plan, &plan.staffing, t)))
    });
    let mut headcount = headcounts(units, plan.grid.open_days_per_week(), workforce);
    for (p, s) in plan.groups.iter().zip(group_shifts) {
        let on_duty = p.planned_hours(&plan.grid);
        let days = p.days_per_week(&plan.grid);
        let h = super::headcount::headcount(s, on_duty, days, workforce);
        headcount.0.push((p.name.clone(), h));
    }
    if !with_roster {
        return Ok(People {
            headcount,
            rosters: None,
        });
    }
    let mut out = Vec::new();
    for (t, tier) in model.tiers.iter().enumerate() {
        let Some(s) = &shifts[t] else { continue };
        out.push(tier_roster(&tier.name, s, plan.grid.open_days, workforce)?);
    }
    for (p, s) in plan.groups.iter().zip(group_shifts) {
        let days = if p.by_slot() {
            plan.grid.open_days
        } else {
            [true; 7]
        };
        out.push(tier_roster(&p.name, s, days, workforce)?);
    }
    Ok(People {
        headcount,
        rosters: Some(out),
    })
}

/// The roster of one tier's (or group's) `shifts` on `open_days`.
fn tier_roster(
    name: &str,
    s: &ShiftPlan,
    open_days: [bool; 7],
    workforce: &Workforce,
) -> Result<TierRoster, (String, Infeasible)> {
    let day = roster::day_shifts(&s.with_breaks());
    let rules = &workforce.roster;
    let solved =
        roster::solved_roster(&day, open_days, rules, name).map_err(|e| (name.to_string(), e))?;
    let people = solved.people;
    // Checked against every rule before it is written: a broken rule
    // here is a bug, reported rather than written.
    roster::check(&people, &day, open_days, rules).map_err(|e| {
        let bug = Infeasible {
            field: "plan.roster".into(),
            message: format!("the roster breaks a rule (a bug): {e}"),
        };
        (name.to_string(), bug)
    })?;
    Ok(TierRoster {
        tier: name.to_string(),
        shifts: day,
        people,
        proof: solved.proof,
    })
}

impl People {
    /// `roster` of `plan.json`, with `--roster`.
    pub fn roster_summaries(&self) -> Option<Ordered<RosterSummary>> {
        self.rosters.as_ref().map(|r| {
            r.iter()
                .map(|t| {
                    (
                        t.tier.clone(),
                        roster::summary(&t.people, &t.shifts, &t.proof),
                    )
                })
                .collect()
        })
    }

    /// `roster.csv`, with `--roster`.
    pub fn roster_csv(&self) -> Option<Vec<u8>> {
        let rows: Vec<RosterRow> = self
            .rosters
            .as_ref()?
            .iter()
            .flat_map(|t| roster::rows(&t.tier, &t.people, &t.shifts))
            .collect();
        Some(write_rows(&rows))
    }

    /// Terminal lines: headcount per tier, and the roster's size.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (tier, h) in &self.headcount {
            out.push(format!(
                "people {tier}: {:.1} paid h/week of shifts ({:.1} on duty, {:.1} on breaks) / (1 - shrinkage {:.3}) = {:.1} h = {:.2} FTE of {} h: headcount {}",
                h.shift_hours_per_week,
                h.on_duty_hours_per_week,
                h.break_hours_per_week,
                h.shrinkage,
                h.paid_hours_per_week,
                h.fte,
                h.fte_hours,
                h.headcount
            ));
        }
        for (tier, r) in self.roster_summaries().iter().flatten() {
            let proof = if r.optimal {
                format!("optimal: no roster has fewer than {}", r.lower_bound)
            } else {
                format!(
                    "{} people against a proven lower bound of {}: the search stopped at its node limit",
                    r.people, r.lower_bound
                )
            };
            out.push(format!(
                "roster {tier}: {} people work {} shifts a week ({}-{} h each, at most {} days in a row; {proof}; {} week patterns, {} branch-and-bound calls); roster.csv",
                r.people,
                r.shifts_per_week,
                r.hours[0],
                r.hours[1],
                r.longest_run_days,
                r.patterns,
                r.calls
            ));
        }
        out
    }

    /// The people section of `report.html`.
    pub fn section(&self, out: &mut String) {
        out.push_str("<section id=\"people\">\n<h2>People</h2>\n<table>\n<thead><tr><th>tier</th><th>on duty h/week</th><th>shift h/week</th><th>of which breaks</th><th>shrinkage</th><th>paid h/week</th><th>FTE</th><th>headcount</th></tr></thead>\n<tbody>\n");
        for (tier, h) in &self.headcount {
            putln(
                out,
                format_args!(
                    "<tr><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.3}</td><td>{:.1}</td><td>{:.2}</td><td>{}</td></tr>",
                    escape(tier),
                    h.on_duty_hours_per_week,
                    h.shift_hours_per_week,
                    h.break_hours_per_week,
                    h.shrinkage,
                    h.paid_hours_per_week,
                    h.fte,
                    h.headcount
                ),
            );
        }
        out.push_str("</tbody>\n</table>\n<p>Headcount: the shifts' paid hours a week grossed up for shrinkage (absence, holiday, training, meetings), in full-time people: the people to employ. Shift hours exceed the hours on duty the plan asks for where whole shifts overstaff a slot.");
        if self.rosters.is_some() {
            out.push_str(" A roster below names the people who work one week; it is smaller than the headcount by the shrinkage.");
        }
        out.push_str("</p>\n");
        for t in self.rosters.iter().flatten() {
            roster_table(out, t);
        }
        out.push_str("</section>\n");
    }
}

/// One tier's roster as a table: a row per person, a column per day.
fn roster_table(out: &mut String, t: &TierRoster) {
    putln(
        out,
        format_args!(
            "<h3>Roster: {}</h3>\n<table>\n<thead><tr><th>person</th><th>mon</th><th>tue</th><th>wed</th><th>thu</th><th>fri</th><th>sat</th><th>sun</th><th>hours</th></tr></thead>\n<tbody>",
            escape(&t.tier)
        ),
    );
    for p in &t.people {
        let mut row = format!("<tr><td>{}</td>", escape(&p.name));
        for d in p.days {
            let cell = d.map_or(String::new(), |i| {
                let s = &t.shifts[i];
                format!(
                    "{}-{}",
                    super::output::clock(s.start),
                    super::output::clock(s.start + s.length)
                )
            });
            row.push_str(&format!("<td>{cell}</td>"));
        }
        putln(
            out,
            format_args!("{row}<td>{}</td></tr>", roster::week_hours(p, &t.shifts)),
        );
    }
    out.push_str("</tbody>\n</table>\n");
}
