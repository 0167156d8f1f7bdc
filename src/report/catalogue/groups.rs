//! The agent-group metrics: skills served on and off skill.

use super::Direction::{HigherIsBetter as Up, Neutral};
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 5] = [
    m(
        "off_skill_served",
        "services begun off-skill (agent groups)",
        Count,
        Neutral,
        false,
    ),
    m(
        "off_skill_share",
        "share of a group's services off-skill",
        Share,
        Neutral,
        false,
    ),
    m(
        "skill_share",
        "share of a group's services of this skill",
        Share,
        Neutral,
        false,
    ),
    m(
        "agents_mean",
        "mean agents of the group on duty in the week",
        Servers,
        Neutral,
        false,
    ),
    m(
        "efficiency_mean",
        "mean tenure efficiency of the week's services (1 = tenured)",
        Share,
        Up,
        false,
    ),
];
