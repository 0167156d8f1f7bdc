//! The agent-group metrics: skills served on and off skill.

use super::Direction::Neutral;
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 3] = [
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
];
