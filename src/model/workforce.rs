//! The people behind a staffing plan (`[plan]` `shrinkage`, `breaks`,
//! `roster`, `fte_hours`): the shares of paid time nobody is on duty, the
//! rule that places breaks inside generated shifts, and the rules of a
//! weekly roster. Plain data, checked in `scenario::workforce`, used by
//! `plan::headcount`, `plan::shifts` and `plan::roster`.

/// Shares of paid time a person is not available for client work
/// (parameters-v2.md §19.1, contact-centre build-up; breaks are placed in
/// the shifts instead, see [`BreakRule`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shrinkage {
    /// Sickness and other absence (default 0.050: 13 of 260 paid days).
    pub absence: f64,
    /// Annual leave (default 0.100: 26 of 260 days).
    pub holiday: f64,
    /// Training (default 0.058: 15 of 260 days).
    pub training: f64,
    /// Team meetings (default 0.023: 6 of 260 days).
    pub meetings: f64,
}

impl Default for Shrinkage {
    fn default() -> Self {
        Shrinkage {
            absence: 0.050,
            holiday: 0.100,
            training: 0.058,
            meetings: 0.023,
        }
    }
}

impl Shrinkage {
    /// The names of the shares, in the order of [`Shrinkage::shares`].
    pub const NAMES: [&'static str; 4] = ["absence", "holiday", "training", "meetings"];

    /// The shares in [`Shrinkage::NAMES`] order.
    pub fn shares(&self) -> [f64; 4] {
        [self.absence, self.holiday, self.training, self.meetings]
    }

    /// The total share of paid time off duty (< 1 once checked).
    pub fn total(&self) -> f64 {
        self.shares().iter().sum()
    }
}

/// How breaks are placed in the shifts `plan` generates: a lunch in the
/// middle of a long shift, a short break in the middle of each part of the
/// shift before and after the lunch (or of the whole shift without one),
/// each free to start anywhere within `window` minutes around its nominal
/// time, on a grid of `step` minutes; the shift programme staggers them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BreakRule {
    /// Lunch, minutes (0: none).
    pub lunch: u32,
    /// Shifts at least this long (minutes) get a lunch.
    pub lunch_after: u32,
    /// Short break, minutes (0: none).
    pub short: u32,
    /// A part of a shift at least this long (minutes) gets a short break.
    pub short_after: u32,
    /// Width (minutes) of the span a break may start in, centred on its
    /// nominal start.
    pub window: u32,
    /// Grid of break starts, minutes (divides the slot and every break).
    pub step: u32,
}

impl Default for BreakRule {
    fn default() -> Self {
        BreakRule {
            lunch: 30,
            lunch_after: 360,
            short: 15,
            short_after: 180,
            window: 60,
            step: 15,
        }
    }
}

/// Rules of a weekly roster of named people (`plan --roster`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RosterRules {
    /// Most working days in a row (the week repeats: Sunday runs into
    /// Monday).
    pub max_consecutive_days: u32,
    /// Fewest paid hours a week of anyone on the roster.
    pub min_hours: f64,
    /// Most paid hours a week of anyone on the roster.
    pub max_hours: f64,
}

impl Default for RosterRules {
    fn default() -> Self {
        RosterRules {
            max_consecutive_days: 5,
            min_hours: 0.0,
            max_hours: 40.0,
        }
    }
}

/// Everything `plan` needs to turn servers on duty into people.
#[derive(Clone, Debug, PartialEq)]
pub struct Workforce {
    /// Shrinkage shares.
    pub shrinkage: Shrinkage,
    /// Paid hours a week of one full-time equivalent (default 37.5).
    pub fte_hours: f64,
    /// Break placement in generated shifts; `None`: shifts without breaks
    /// (as before breaks existed).
    pub breaks: Option<BreakRule>,
    /// Roster rules.
    pub roster: RosterRules,
}

impl Default for Workforce {
    fn default() -> Self {
        Workforce {
            shrinkage: Shrinkage::default(),
            fte_hours: 37.5,
            breaks: None,
            roster: RosterRules::default(),
        }
    }
}
