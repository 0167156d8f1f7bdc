//! Servers on duty into people: the paid hours a plan's shifts take each
//! week, grossed up for shrinkage (absence, holiday, training, meetings:
//! paid time nobody is on duty), as full-time equivalents of `fte_hours`
//! and a headcount of whole full-time people. Written in `plan.json` as
//! `headcount`, one key per staffed tier (an agent group adds one more key).

use serde::{Deserialize, Serialize};

use super::shifts::ShiftPlan;
use crate::model::workforce::Workforce;
use crate::report::format::{Ordered, nullable};

/// The people one staffed tier needs, per week of the plan's open days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Headcount {
    /// Server-hours on duty the per-slot plan asks for.
    pub on_duty_hours_per_week: f64,
    /// Paid hours of the shifts that cover it (breaks, and the
    /// over-staffing whole shifts force, included).
    pub shift_hours_per_week: f64,
    /// Of which breaks placed in the shifts (0 without `[plan] breaks`).
    pub break_hours_per_week: f64,
    /// Total shrinkage share.
    pub shrinkage: f64,
    /// Paid hours to employ: shift hours / (1 − shrinkage).
    pub paid_hours_per_week: f64,
    /// Paid hours a week of one full-time equivalent.
    pub fte_hours: f64,
    /// Full-time equivalents: paid hours / `fte_hours`.
    pub fte: f64,
    /// Whole full-time people: `fte` rounded up.
    pub headcount: u32,
    /// Average people on a shift on an open day, net of shrinkage: the
    /// day's shift starts (people who show up) over (1 − shrinkage).
    #[serde(with = "nullable")]
    pub people_per_open_day: f64,
}

/// The people behind one tier's `shifts`, given `on_duty_hours_per_week`
/// (the per-slot plan's server-hours) over `open_days` days a week.
pub fn headcount(
    shifts: &ShiftPlan,
    on_duty_hours_per_week: f64,
    open_days: f64,
    workforce: &Workforce,
) -> Headcount {
    let shrinkage = workforce.shrinkage.total();
    let shift_hours_per_week = shifts
        .shifts
        .iter()
        .map(|&(_, length, servers)| f64::from(servers) * f64::from(length) / 60.0)
        .sum::<f64>()
        * open_days;
    let starts: u32 = shifts.shifts.iter().map(|s| s.2).sum();
    let paid_hours_per_week = shift_hours_per_week / (1.0 - shrinkage);
    let fte = paid_hours_per_week / workforce.fte_hours;
    Headcount {
        on_duty_hours_per_week,
        shift_hours_per_week,
        break_hours_per_week: shifts.break_minutes_per_day / 60.0 * open_days,
        shrinkage,
        paid_hours_per_week,
        fte_hours: workforce.fte_hours,
        fte,
        // A whole number of FTEs computed as 12.000000000000002 is 12.
        headcount: (fte - 1e-9).ceil().max(0.0) as u32,
        people_per_open_day: f64::from(starts) / (1.0 - shrinkage),
    }
}

/// The headcount of every staffed unit, `(name, shifts, on-duty hours)`,
/// in order.
pub fn headcounts<'a>(
    units: impl Iterator<Item = (String, &'a ShiftPlan, f64)>,
    open_days: f64,
    workforce: &Workforce,
) -> Ordered<Headcount> {
    units
        .map(|(name, s, on_duty)| (name, headcount(s, on_duty, open_days, workforce)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_hours_grossed_up_for_shrinkage() {
        // Two 8 h shifts and one 4 h shift a day, five days: 100 h; 25%
        // shrinkage: 133.3 paid hours, 3.56 FTE of 37.5 h, 4 people.
        let plan = ShiftPlan {
            shifts: vec![(480, 480, 2), (720, 240, 1)],
            coverage: Vec::new(),
            cost_per_day: 0.0,
            lower_bound_per_day: 0.0,
            over_staffing_hours: 0.0,
            staggered: Vec::new(),
            break_minutes_per_day: 0.0,
        };
        let mut w = Workforce::default();
        w.shrinkage.absence = 0.05;
        w.shrinkage.holiday = 0.10;
        w.shrinkage.training = 0.05;
        w.shrinkage.meetings = 0.05;
        let h = headcount(&plan, 90.0, 5.0, &w);
        assert_eq!(h.shift_hours_per_week, 100.0);
        assert!((h.paid_hours_per_week - 400.0 / 3.0).abs() < 1e-9);
        assert!((h.fte - 400.0 / 3.0 / 37.5).abs() < 1e-12);
        assert_eq!(h.headcount, 4);
        assert_eq!(h.people_per_open_day, 4.0);
        // Exactly 3 FTE stays 3 people.
        w.fte_hours = 400.0 / 9.0;
        assert_eq!(headcount(&plan, 90.0, 5.0, &w).headcount, 3);
    }
}
