//! Reading `[plan]`'s people fields (`shrinkage`, `fte_hours`, `breaks`,
//! `roster`) into `model::workforce`: every share, length and rule checked
//! here, including roster rules that no roster could satisfy whatever the
//! plan (a minimum of hours beyond what the allowed days and shifts can
//! give, a maximum below the shortest shift).

use serde::Deserialize;
use toml::Spanned;

use super::Checker;
use super::duration::Minutes;
use crate::model::Model;
use crate::model::workforce::{BreakRule, RosterRules, Shrinkage, Workforce};

/// `[plan] shrinkage = { absence, holiday, training, meetings }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShrinkage {
    /// Sickness and other absence, a share of paid time.
    pub absence: Option<Spanned<f64>>,
    /// Annual leave.
    pub holiday: Option<Spanned<f64>>,
    /// Training.
    pub training: Option<Spanned<f64>>,
    /// Team meetings.
    pub meetings: Option<Spanned<f64>>,
}

/// `[plan] breaks = { lunch, lunch_after, short, short_after, window }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreaks {
    /// Lunch length.
    pub lunch: Option<Spanned<Minutes>>,
    /// Shortest shift with a lunch.
    pub lunch_after: Option<Spanned<Minutes>>,
    /// Short break length.
    pub short: Option<Spanned<Minutes>>,
    /// Shortest part of a shift with a short break.
    pub short_after: Option<Spanned<Minutes>>,
    /// Span a break may start in.
    pub window: Option<Spanned<Minutes>>,
}

/// `[plan] roster = { max_consecutive_days, min_hours, max_hours }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoster {
    /// Most working days in a row.
    pub max_consecutive_days: Option<Spanned<i64>>,
    /// Fewest paid hours a week.
    pub min_hours: Option<Spanned<f64>>,
    /// Most paid hours a week.
    pub max_hours: Option<Spanned<f64>>,
}

/// Most days a week anyone can work: at most `max_consecutive` in a row on
/// the `open` days of a repeating week.
pub fn max_working_days(open: [bool; 7], max_consecutive: u32) -> u32 {
    (0u32..128)
        .filter(|&mask| {
            (0..7).all(|d| mask & (1 << d) == 0 || open[d])
                && (max_consecutive >= 7
                    || (0..7).all(|d| {
                        (0..=max_consecutive).any(|k| mask & (1 << ((d + k as usize) % 7)) == 0)
                    }))
        })
        .map(u32::count_ones)
        .max()
        .unwrap_or(0)
}

impl Checker<'_> {
    /// The people fields of `[plan]`; `lengths` are the allowed shift
    /// lengths (minutes) already checked.
    pub(super) fn workforce(
        &mut self,
        raw: &super::raw::RawPlan,
        model: &Model,
        lengths: &[u32],
    ) -> Workforce {
        let mut w = Workforce::default();
        if let Some(s) = &raw.shrinkage {
            w.shrinkage = self.shrinkage(s);
        }
        if let Some(h) = &raw.fte_hours {
            w.fte_hours = self.number(
                h,
                "plan.fte_hours",
                |x| x > 0.0 && x <= 168.0,
                "hours in (0, 168]",
            );
        }
        if let Some(b) = &raw.breaks {
            let slot = model.week.as_ref().map_or(60.0, |w| w.slot_minutes) as u32;
            w.breaks = Some(self.break_rule(b.get_ref(), slot));
        }
        if let Some(r) = &raw.roster {
            let open = model
                .week
                .as_ref()
                .map_or([true; 7], |w| w.day_factors.map(|f| f > 0.0));
            w.roster = self.roster_rules(r, open, lengths);
        }
        w
    }

    fn shrinkage(&mut self, raw: &Spanned<RawShrinkage>) -> Shrinkage {
        let r = raw.get_ref();
        let mut s = Shrinkage::default();
        let fields = [
            (&r.absence, &mut s.absence, "absence"),
            (&r.holiday, &mut s.holiday, "holiday"),
            (&r.training, &mut s.training, "training"),
            (&r.meetings, &mut s.meetings, "meetings"),
        ];
        for (value, out, name) in fields {
            if let Some(v) = value {
                *out = self.number(
                    v,
                    &format!("plan.shrinkage.{name}"),
                    |x| (0.0..1.0).contains(&x),
                    "a share in [0, 1)",
                );
            }
        }
        let total = s.total();
        // Shares such as 0.3 + 0.4 + 0.2 + 0.1 sum to 1 less a rounding error.
        if total.is_finite() && total >= 1.0 - 1e-9 {
            self.problem(
                raw.span(),
                "plan.shrinkage",
                format!(
                    "the shares sum to {:.4} (defaults fill the shares not given: absence 0.05, holiday 0.1, training 0.058, meetings 0.023); allowed: shares summing to less than 1 (nobody would ever be on duty)",
                    total
                ),
            );
        }
        s
    }

    /// Whole minutes `>= 0` (`> 0` when `positive`) of a break field.
    fn break_minutes(
        &mut self,
        v: &Option<Spanned<Minutes>>,
        name: &str,
        default: u32,
        positive: bool,
    ) -> u32 {
        let Some(v) = v else { return default };
        let x = v.get_ref().0;
        let ok =
            x.is_finite() && x.fract() == 0.0 && x <= 1440.0 && (x > 0.0 || !positive && x == 0.0);
        if !ok {
            let least = if positive { "> 0" } else { ">= 0" };
            self.problem(
                v.span(),
                format!("plan.breaks.{name}"),
                format!("got {x}; allowed: whole minutes {least}, at most 1440"),
            );
            return default;
        }
        x as u32
    }

    fn break_rule(&mut self, raw: &RawBreaks, slot: u32) -> BreakRule {
        let d = BreakRule::default();
        let mut b = BreakRule {
            lunch: self.break_minutes(&raw.lunch, "lunch", d.lunch, false),
            lunch_after: self.break_minutes(&raw.lunch_after, "lunch_after", d.lunch_after, true),
            short: self.break_minutes(&raw.short, "short", d.short, false),
            short_after: self.break_minutes(&raw.short_after, "short_after", d.short_after, true),
            window: self.break_minutes(&raw.window, "window", d.window, false),
            step: slot,
        };
        b.step = [b.lunch, b.short, b.window]
            .into_iter()
            .filter(|&m| m > 0)
            .fold(slot, gcd);
        if !b.step.is_multiple_of(5) {
            let span = [&raw.lunch, &raw.short, &raw.window]
                .into_iter()
                .flatten()
                .find(|m| !(m.get_ref().0 as u32).is_multiple_of(5))
                .map_or(0..0, |m| m.span());
            self.problem(
                span,
                "plan.breaks",
                format!(
                    "breaks and their window fall on a {}-minute grid; allowed: multiples of 5 minutes (as is the slot, {slot} min)",
                    b.step
                ),
            );
            b.step = 5;
        }
        if b.lunch > 0 && b.lunch >= b.lunch_after {
            let span = raw.lunch.as_ref().map_or(0..0, |m| m.span());
            self.problem(
                span,
                "plan.breaks.lunch",
                format!(
                    "a {}-minute lunch in shifts from {} minutes leaves no time on duty; allowed: a lunch shorter than lunch_after",
                    b.lunch, b.lunch_after
                ),
            );
        }
        b
    }

    fn roster_rules(
        &mut self,
        raw: &Spanned<RawRoster>,
        open: [bool; 7],
        lengths: &[u32],
    ) -> RosterRules {
        let r = raw.get_ref();
        let mut rules = RosterRules::default();
        if let Some(n) = &r.max_consecutive_days {
            let v = *n.get_ref();
            if (1..=7).contains(&v) {
                rules.max_consecutive_days = v as u32;
            } else {
                self.problem(
                    n.span(),
                    "plan.roster.max_consecutive_days",
                    format!("got {v}; allowed: an integer from 1 to 7 (7: no limit)"),
                );
            }
        }
        if let Some(h) = &r.min_hours {
            rules.min_hours = self.number(
                h,
                "plan.roster.min_hours",
                |x| (0.0..=168.0).contains(&x),
                "hours in [0, 168]",
            );
        }
        if let Some(h) = &r.max_hours {
            rules.max_hours = self.number(
                h,
                "plan.roster.max_hours",
                |x| x > 0.0 && x <= 168.0,
                "hours in (0, 168]",
            );
        }
        let span = |f: &Option<Spanned<f64>>| f.as_ref().map_or(raw.span(), |v| v.span());
        if rules.min_hours > rules.max_hours {
            self.problem(
                span(&r.min_hours),
                "plan.roster.min_hours",
                format!(
                    "min_hours {} is above max_hours {}; allowed: min_hours <= max_hours",
                    rules.min_hours, rules.max_hours
                ),
            );
            return rules;
        }
        let shortest = lengths.iter().copied().min().unwrap_or(480) as f64 / 60.0;
        let longest = lengths.iter().copied().max().unwrap_or(480) as f64 / 60.0;
        if rules.max_hours < shortest {
            self.problem(
                span(&r.max_hours),
                "plan.roster.max_hours",
                format!(
                    "max_hours {} is below the shortest shift ({shortest} h): nobody could work; allowed: at least the shortest of plan.shift_lengths",
                    rules.max_hours
                ),
            );
        }
        let days = max_working_days(open, rules.max_consecutive_days);
        let most = f64::from(days) * longest;
        if rules.min_hours > most {
            self.problem(
                span(&r.min_hours),
                "plan.roster.min_hours",
                format!(
                    "min_hours {} cannot be worked: at most {days} days a week (open days, at most {} in a row) of at most {longest} h; allowed: at most {most} h",
                    rules.min_hours, rules.max_consecutive_days
                ),
            );
        }
        rules
    }
}

/// A scenario error (exit 2: file, line, field, what is allowed) for a
/// `[plan] roster` rule that the planned shifts cannot meet, found after
/// planning: at the rule's line in `source` (the scenario as planned), or
/// at `[plan]`'s. A merged `source` is no file's text: `Package::blame`
/// then places the error in the file that writes the rule.
pub fn roster_error(source: &str, file: &str, field: &str, message: &str) -> crate::error::Error {
    let mut checker = Checker::new(source, file);
    let raw: Option<super::raw::RawScenario> = toml::from_str(source).ok();
    let plan = raw.as_ref().and_then(|r| r.plan.as_ref());
    let roster = plan.and_then(|p| p.get_ref().roster.as_ref());
    let rule = roster.and_then(|r| {
        let r = r.get_ref();
        match field.rsplit('.').next() {
            Some("max_consecutive_days") => r.max_consecutive_days.as_ref().map(|v| v.span()),
            Some("min_hours") => r.min_hours.as_ref().map(|v| v.span()),
            Some("max_hours") => r.max_hours.as_ref().map(|v| v.span()),
            _ => None,
        }
    });
    let span = rule
        .or_else(|| roster.map(|r| r.span()))
        .or_else(|| plan.map(|p| p.span()))
        .unwrap_or(0..0);
    checker.problem(span, field, message);
    checker.into_error()
}

/// Greatest common divisor.
fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_under_a_consecutive_limit() {
        assert_eq!(max_working_days([true; 7], 7), 7);
        assert_eq!(max_working_days([true; 7], 6), 6);
        // Two on, one off, in a repeating week of 7: at most 4.
        assert_eq!(max_working_days([true; 7], 2), 4);
        assert_eq!(max_working_days([true; 7], 1), 3);
        let weekdays = [true, true, true, true, true, false, false];
        assert_eq!(max_working_days(weekdays, 5), 5);
        assert_eq!(max_working_days(weekdays, 2), 4);
    }
}
