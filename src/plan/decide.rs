//! The plan's answer in one sentence: keep today's staffing, or take the
//! plan. Today's staffing is judged as the plan is (every target over the
//! run and in every slot with arrivals, on the confirmation's streams), and
//! the two costs are compared as today's is measured: hours on duty at the
//! hourly rates (the `cost` block of `run`), so without the plan's shift
//! starts, which today's cost does not count. Today's cost also leaves out
//! any break time (off duty), which the plan's shifts include when `[plan]
//! breaks` places breaks: the sentence says so. The sentence is the first
//! line of the terminal and of the plan's `report.html`, and `decision` in
//! `plan.json`.

use serde::{Deserialize, Serialize};

use super::output::WeeklyCost;
use super::today::Today;
use super::{Plan, Verdict};
use crate::report::format::{nullable, thousands};

/// The plan's answer, as written in `plan.json` (`decision`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// `true` when today's staffing meets every target and costs no more
    /// than the plan (or the plan found nothing that meets them): keep it.
    pub keep_today: bool,
    /// Whether today's staffing meets every target over the run and in
    /// every slot, on the confirmation's streams.
    pub today_meets_every_target: bool,
    /// Today's staff cost per week (hours on duty × hourly rates).
    #[serde(with = "nullable")]
    pub today_per_week: f64,
    /// The plan's whole shifts per week, with their starts (`cost.shifts_per_week`).
    #[serde(with = "nullable")]
    pub plan_per_week: f64,
    /// The plan's whole shifts per week without their shift starts: the
    /// figure compared with today's.
    #[serde(with = "nullable")]
    pub plan_without_starts_per_week: f64,
    /// The answer in words (the first line of the terminal and the report).
    pub sentence: String,
    /// What today's cost counts (the line after the answer).
    pub note: String,
}

/// Today against the plan: which to keep, and the sentence that says so.
pub fn decide(plan: &Plan, weekly: &WeeklyCost, today: &Today) -> Decision {
    let (now, cost, on_duty) = (
        today.cost_per_week,
        weekly.shifts,
        weekly.shifts - weekly.shift_starts,
    );
    let meets = today.meets_every_target();
    let plan_met = matches!(plan.verdict, Verdict::Met);
    let keep_today = keeps_today(meets, plan_met, now, on_duty);
    let starts = if weekly.shift_starts > 0.0 {
        format!(" ({} without its shift starts)", money(on_duty))
    } else {
        String::new()
    };
    let note = "Today's cost is its hours on duty at the hourly rates: it counts no shift starts and no paid breaks.";
    let sentence = if keep_today && plan_met {
        format!(
            "Your current staffing already meets every target at {}/week; the plan's cheapest found costs {}/week{starts}. Keep today's staffing.",
            money(now),
            money(cost)
        )
    } else if keep_today {
        format!(
            "Your current staffing already meets every target at {}/week; the plan found no staffing that meets every target on fresh streams (verdict {}). Keep today's staffing.",
            money(now),
            plan.verdict.as_str()
        )
    } else if meets {
        format!(
            "Your current staffing meets every target at {}/week; the plan meets them too for {}/week{starts}, {} less.",
            money(now),
            money(cost),
            money(now - on_duty)
        )
    } else {
        let missed = format!(
            "Your current staffing ({}/week) misses {} of the {} checks (each target over the week and in each hour with arrivals)",
            money(now),
            today.checks_not_met,
            today.checks
        );
        if plan_met {
            format!(
                "{missed}; the plan meets every target at {}/week{starts}.",
                money(cost)
            )
        } else {
            format!(
                "{missed}, and the plan found no staffing that meets every target on fresh streams (verdict {}): see its best values below.",
                plan.verdict.as_str()
            )
        }
    };
    Decision {
        keep_today,
        today_meets_every_target: meets,
        today_per_week: now,
        plan_per_week: cost,
        plan_without_starts_per_week: on_duty,
        sentence,
        note: note.into(),
    }
}

/// Today's staffing is kept when it meets every target and costs no more
/// than the plan without its shift starts (`today` ≤ `plan`, up to
/// rounding: today's cost is a time average of the roster), or when the
/// plan was not met.
fn keeps_today(meets: bool, plan_met: bool, today: f64, plan: f64) -> bool {
    meets && (!plan_met || today <= plan + 1e-9 * plan.abs())
}

/// A weekly cost in whole units with thousands separators (`66,575`), or
/// `–` when undefined.
pub fn money(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let sign = if x.round() < 0.0 { "-" } else { "" };
    thousands(&format!("{sign}{:.0}", x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_kept_only_when_it_meets_every_target_at_no_more_cost() {
        assert!(keeps_today(true, true, 65_400.0, 65_400.0));
        assert!(keeps_today(true, true, 60_000.0, 65_400.0));
        assert!(keeps_today(true, true, 65_399.999_999_999_9, 65_400.0));
        assert!(keeps_today(true, true, 65_400.000_000_01, 65_400.0));
        assert!(!keeps_today(true, true, 65_400.01, 65_400.0));
        assert!(!keeps_today(false, true, 10.0, 65_400.0));
        // A plan that is not met cannot beat a staffing that meets.
        assert!(keeps_today(true, false, 99_000.0, 65_400.0));
        assert!(!keeps_today(false, false, 10.0, 65_400.0));
        // An undefined cost never wins.
        assert!(!keeps_today(true, true, f64::NAN, 65_400.0));
    }

    #[test]
    fn money_groups_thousands_and_rounds() {
        assert_eq!(money(66_575.0), "66,575");
        assert_eq!(money(1_175.4), "1,175");
        assert_eq!(money(999.5), "1,000");
        assert_eq!(money(12.0), "12");
        assert_eq!(money(-1_234_567.0), "-1,234,567");
        assert_eq!(money(f64::NAN), "–");
    }
}
