//! A metric's unit (how its values are shown) and its direction (which
//! way is better).

/// Which direction of a metric is an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Less is better (waits, abandonment, complaints, turnaround, ...).
    LowerIsBetter,
    /// More is better (service level, satisfaction, sales, revenue, ...).
    HigherIsBetter,
    /// Neither: a change is reported as such, without judging it
    /// (arrivals, utilization, escalation, deflection, and any metric the
    /// catalogue does not know).
    Neutral,
}

impl Direction {
    /// As written in docs and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::LowerIsBetter => "lower is better",
            Direction::HigherIsBetter => "higher is better",
            Direction::Neutral => "neither",
        }
    }
}

/// The unit of a metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A count over the measured period of one replication (horizon less
    /// warm-up), e.g. clients per week.
    Count,
    /// Minutes.
    Minutes,
    /// Hours (the key says so: `_hours`).
    Hours,
    /// A share in [0, 1], shown as a percentage.
    Share,
    /// A satisfaction score on 0–100.
    Score,
    /// Money in the scenario's currency units, summed over the measured
    /// period.
    Currency,
    /// A mean number per client (hand-offs).
    PerClient,
    /// A time-average number of clients (queue, in system).
    Clients,
    /// A time-average number of servers on duty.
    Servers,
}

impl Unit {
    /// The short unit written beside a metric in terminal tables: `count`,
    /// `min`, `h`, `share`, `0-100`, `currency`, `per client`, `clients`,
    /// `servers`.
    pub fn short(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Minutes => "min",
            Unit::Hours => "h",
            Unit::Share => "share",
            Unit::Score => "0-100",
            Unit::Currency => "currency",
            Unit::PerClient => "per client",
            Unit::Clients => "clients",
            Unit::Servers => "servers",
        }
    }

    /// The unit as written on a plot's axis or beside a metric in a
    /// table of raw values (shares in [0, 1]).
    pub fn axis(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Minutes => "minutes",
            Unit::Hours => "hours",
            Unit::Share => "share",
            Unit::Score => "score 0–100",
            Unit::Currency => "currency",
            Unit::PerClient => "per client",
            Unit::Clients => "clients",
            Unit::Servers => "servers",
        }
    }

    /// The unit in words for an axis or a panel: counts and money name the
    /// `period` they are summed over (`per week`) when it is known.
    pub fn words(self, period: Option<&str>) -> String {
        let per = |base: &str| match period {
            Some(p) => format!("{base} {p}"),
            None => base.to_string(),
        };
        match self {
            Unit::Count => per("count"),
            Unit::Currency => per("currency"),
            Unit::Minutes => "minutes".into(),
            Unit::Hours => "hours".into(),
            Unit::Share => "share (%)".into(),
            Unit::Score => "score 0–100".into(),
            Unit::PerClient => "per client".into(),
            Unit::Clients => "clients".into(),
            Unit::Servers => "servers".into(),
        }
    }

    /// Whether the value is summed over the measured period (so it grows
    /// with the run's length).
    pub fn per_period(self) -> bool {
        matches!(self, Unit::Count | Unit::Currency)
    }

    /// `x` for people: a share as a percentage, counts without decimals
    /// when large, others with as many decimals as their size needs; `–`
    /// when undefined.
    pub fn show(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        match self {
            Unit::Share => {
                let p = 100.0 * x;
                let d = if p.abs() >= 10.0 { 1 } else { 2 };
                format!("{p:.d$}%")
            }
            Unit::Count if x == x.round() || x.abs() >= 100.0 => format!("{x:.0}"),
            _ => {
                let d = if x.abs() >= 1000.0 {
                    0
                } else if x.abs() >= 10.0 {
                    1
                } else {
                    2
                };
                format!("{x:.d$}")
            }
        }
    }

    /// A difference `x` for people: as [`Unit::show`] with a sign, a share
    /// in percentage points.
    pub fn show_difference(self, x: f64) -> String {
        if !x.is_finite() {
            return "–".into();
        }
        let sign = if x > 0.0 { "+" } else { "" };
        match self {
            Unit::Share => {
                let p = 100.0 * x;
                let d = if p.abs() >= 10.0 { 1 } else { 2 };
                format!("{sign}{p:.d$} pp")
            }
            _ => format!("{sign}{}", self.show(x)),
        }
    }
}
