//! What a scenario aims at and what staff cost: service targets (bounds on
//! metrics of all clients or of one segment), staff costs and the rules for
//! turning a plan into shifts. Definitions only: judging a run against them
//! is `experiment::goals`, reading them from a file is `scenario::targets`.

/// Metrics a target may bound, with the direction that is better
/// (`true`: higher is better) and the largest value they can take.
pub const TARGET_METRICS: [(&str, bool, f64); 12] = [
    ("service_level", true, 1.0),
    ("wait_mean", false, f64::INFINITY),
    ("wait_served_mean", false, f64::INFINITY),
    ("wait_p90", false, f64::INFINITY),
    ("sojourn_mean", false, f64::INFINITY),
    ("abandon_rate", false, 1.0),
    ("blocked_rate", false, 1.0),
    ("satisfaction_mean", true, 100.0),
    ("csat", true, 1.0),
    ("complaint_rate", false, 1.0),
    ("formal_complaint_rate", false, 1.0),
    ("fcr", true, 1.0),
];

/// Targets that are also measured per slot of the day (by the slot clients
/// arrived in): the planner holds them in every slot with arrivals.
pub const SLOT_TARGET_METRICS: [&str; 4] = [
    "wait_mean",
    "service_level",
    "abandon_rate",
    "satisfaction_mean",
];

/// Which side of a value a metric must stay on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The metric must be at least this.
    AtLeast(f64),
    /// The metric must be at most this.
    AtMost(f64),
}

impl Bound {
    /// The bound's value.
    pub fn value(self) -> f64 {
        match self {
            Bound::AtLeast(v) | Bound::AtMost(v) => v,
        }
    }

    /// `>=` or `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Bound::AtLeast(_) => ">=",
            Bound::AtMost(_) => "<=",
        }
    }

    /// Whether `x` is on the allowed side.
    pub fn holds(self, x: f64) -> bool {
        match self {
            Bound::AtLeast(v) => x >= v,
            Bound::AtMost(v) => x <= v,
        }
    }

    /// How far `x` is inside the bound (negative: outside).
    pub fn slack(self, x: f64) -> f64 {
        match self {
            Bound::AtLeast(v) => x - v,
            Bound::AtMost(v) => v - x,
        }
    }
}

/// One target: a bound on one metric of all clients or of one segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// Segment index, or `None` for all clients.
    pub segment: Option<usize>,
    /// `overall` or `segment.<name>`, as in the summary's groups.
    pub group: String,
    /// A name from [`TARGET_METRICS`].
    pub metric: &'static str,
    /// The bound.
    pub bound: Bound,
}

impl Target {
    /// `overall.service_level >= 0.8`.
    pub fn label(&self) -> String {
        format!(
            "{}.{} {} {}",
            self.group,
            self.metric,
            self.bound.symbol(),
            self.bound.value()
        )
    }
}

/// Staff costs.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    /// Cost per server on duty per hour, by tier in model order (0 for a
    /// chatbot).
    pub hourly: Vec<f64>,
    /// Cost of starting one shift of one server.
    pub shift_start: f64,
    /// Revenue of one sale for the net value; `None` uses the request
    /// types' own `revenue_per_sale`.
    pub revenue_per_sale: Option<f64>,
    /// Cost per agent on duty per hour of each agent group, by tier in
    /// model order and group in file order (`[cost] group_hourly`); a
    /// group without one (or a tier without groups: an empty list) costs
    /// its tier's `hourly`. Read it through [`Cost::group_rate`].
    pub group_hourly: Vec<Vec<Option<f64>>>,
}

impl Cost {
    /// Cost per agent on duty per hour of group `g` of tier `t`: its own
    /// `group_hourly`, else the tier's `hourly`.
    pub fn group_rate(&self, t: usize, g: usize) -> f64 {
        self.group_hourly
            .get(t)
            .and_then(|groups| groups.get(g).copied().flatten())
            .unwrap_or(self.hourly[t])
    }
}

/// Rules for turning a per-slot plan into shifts.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanRules {
    /// Allowed shift lengths, minutes (multiples of the slot).
    pub shift_lengths: Vec<u32>,
    /// Allowed shift starts, minutes of the day (on slot boundaries);
    /// `None`: any slot start.
    pub shift_starts: Option<Vec<u32>>,
    /// Most servers of one tier in one slot the search may try.
    pub max_servers: u32,
    /// Shrinkage, breaks and roster rules: servers on duty into people.
    pub workforce: super::workforce::Workforce,
}

impl Default for PlanRules {
    fn default() -> Self {
        PlanRules {
            shift_lengths: vec![480],
            shift_starts: None,
            max_servers: 200,
            workforce: super::workforce::Workforce::default(),
        }
    }
}

/// What a scenario aims at and what it costs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Goals {
    /// Every target, in file order (overall first, then per segment).
    pub targets: Vec<Target>,
    /// Staff costs, if the scenario has a `[cost]`.
    pub cost: Option<Cost>,
    /// Planning rules (defaults without a `[plan]`).
    pub plan: PlanRules,
}

impl Goals {
    /// The overall service-level target's value, if there is one (drawn on
    /// report plots).
    pub fn service_level_target(&self) -> Option<f64> {
        self.targets
            .iter()
            .find(|t| t.segment.is_none() && t.metric == "service_level")
            .map(|t| t.bound.value())
    }
}
