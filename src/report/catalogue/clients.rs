//! The client metrics of a journey: arrivals and how they ended, waits,
//! service level, satisfaction and complaints, resolution and hand-offs
//! (overall, per segment and per request type), and the same at the first
//! staffed tier.

use super::Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Neutral};
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 27] = [
    m("arrived", "clients arrived", Count, Neutral, false),
    m("served", "clients served", Count, Up, false),
    m("abandoned", "clients who abandoned", Count, Down, false),
    m("blocked", "clients turned away (full)", Count, Down, false),
    m(
        "inside",
        "clients still inside at the end",
        Count,
        Down,
        false,
    ),
    m("abandon_rate", "abandonment", Share, Down, false),
    m("blocked_rate", "share turned away", Share, Down, false),
    m("wait_mean", "mean wait", Minutes, Down, false),
    m(
        "wait_served_mean",
        "mean wait of served clients",
        Minutes,
        Down,
        false,
    ),
    m(
        "wait_p_positive",
        "share who waited at the first step",
        Share,
        Down,
        true,
    ),
    m("service_level", "service level", Share, Up, true),
    m(
        "sojourn_mean",
        "mean time from arrival to leaving",
        Minutes,
        Down,
        false,
    ),
    m("wait_p90", "90th-percentile wait", Minutes, Down, false),
    m("satisfaction_mean", "satisfaction", Score, Up, false),
    m("csat", "CSAT (top-box share)", Share, Up, false),
    m("complaint_rate", "complaints", Share, Down, false),
    m(
        "formal_complaint_rate",
        "formal complaints",
        Share,
        Down,
        false,
    ),
    m("fcr", "first-contact resolution", Share, Up, true),
    m(
        "handoffs_mean",
        "hand-offs per client",
        PerClient,
        Down,
        false,
    ),
    m(
        "deflection_rate",
        "share resolved by self-service",
        Share,
        Neutral,
        false,
    ),
    m(
        "turnaround_mean_hours",
        "mean turnaround",
        Hours,
        Down,
        false,
    ),
    m(
        "own_rm_share",
        "share booked with their own RM",
        Share,
        Up,
        false,
    ),
    m(
        "service_level_staffed",
        "service level at the first staffed tier",
        Share,
        Up,
        false,
    ),
    m(
        "wait_p_positive_staffed",
        "share who waited for the first staffed tier",
        Share,
        Down,
        false,
    ),
    m(
        "fcr_staffed",
        "resolution at the first staffed tier",
        Share,
        Up,
        false,
    ),
    m(
        "unresolved_rate",
        "share of served clients left unresolved",
        Share,
        Down,
        false,
    ),
    m(
        "continuity_points",
        "satisfaction points from continuity per booked client",
        Score,
        Neutral,
        false,
    ),
];
