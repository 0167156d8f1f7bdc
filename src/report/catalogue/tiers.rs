//! The tier metrics: queues, utilization and duty time, escalation and
//! overflow, outbound calls and call-backs.

use super::Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Neutral};
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 20] = [
    m("unreached", "callbacks never reached", Count, Down, false),
    m("escalated", "visits passed up", Count, Neutral, false),
    m("queue_len_mean", "mean queue length", Clients, Down, false),
    m(
        "in_system_mean",
        "mean clients in the tier",
        Clients,
        Down,
        false,
    ),
    m("utilization", "utilization", Share, Neutral, false),
    m("escalation_rate", "share passed up", Share, Neutral, false),
    m(
        "servers_mean",
        "mean servers on duty",
        Servers,
        Neutral,
        false,
    ),
    m(
        "overtime_minutes",
        "overtime worked in the period",
        Minutes,
        Down,
        false,
    ),
    m("occupancy", "occupancy", Share, Neutral, false),
    m(
        "serving_share",
        "share of duty time serving",
        Share,
        Neutral,
        false,
    ),
    m(
        "non_client_share",
        "share of duty time on non-client work",
        Share,
        Neutral,
        false,
    ),
    m(
        "outbound_share",
        "share of duty time on outbound calls",
        Share,
        Neutral,
        false,
    ),
    m(
        "idle_share",
        "share of duty time idle",
        Share,
        Neutral,
        false,
    ),
    m("outbound_calls", "outbound calls", Count, Neutral, false),
    m("outbound_sales", "outbound sales", Count, Up, false),
    m("outbound_revenue", "outbound revenue", Currency, Up, false),
    m(
        "callback_attempts",
        "callback attempts",
        Count,
        Neutral,
        false,
    ),
    m(
        "callback_failures",
        "callback attempts that failed",
        Count,
        Down,
        false,
    ),
    m(
        "overflowed",
        "visits sent to the overflow tier",
        Count,
        Neutral,
        false,
    ),
    m(
        "callback_wait_mean",
        "mean time on the call-back list per attempt",
        Minutes,
        Down,
        false,
    ),
];
