//! The failure-demand metrics (clients come back): attempts, redials,
//! repeat contacts, status chasing and virtual hold.

use super::Direction::{LowerIsBetter as Down, Neutral};
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 10] = [
    m(
        "attempts",
        "contact attempts (first, redials and repeat contacts)",
        Count,
        Neutral,
        false,
    ),
    m("redials", "redials", Count, Down, false),
    m("unique_clients", "unique clients", Count, Neutral, false),
    m(
        "abandon_rate_final",
        "share of clients never served",
        Share,
        Down,
        false,
    ),
    m(
        "repeat_contacts",
        "contacts again about a need left unresolved",
        Count,
        Down,
        false,
    ),
    m(
        "failure_demand_share",
        "share of contacts caused by an earlier failed one",
        Share,
        Down,
        false,
    ),
    m(
        "redial_minutes_mean",
        "minutes between failed attempts and redials per client",
        Minutes,
        Neutral,
        false,
    ),
    m(
        "chasing_contacts",
        "status-chasing contacts about cases in back offices",
        Count,
        Down,
        false,
    ),
    m(
        "callback_offered",
        "waiting clients offered a call-back (virtual hold)",
        Count,
        Neutral,
        false,
    ),
    m(
        "callback_accepted",
        "clients who took the call-back offered on hold",
        Count,
        Neutral,
        false,
    ),
];
