//! The business metrics: sales, revenue and mis-sales, and the risk and
//! retention measures (problem cases, losses, attrition, feedback).

use super::Direction::{HigherIsBetter as Up, LowerIsBetter as Down, Neutral};
use super::Unit::*;
use super::{Metric, m};

/// The metrics of this family, each once.
pub const METRICS: [Metric; 10] = [
    m("sales", "sales", Count, Up, false),
    m("revenue", "revenue", Currency, Up, false),
    m("mis_sales", "mis-sales", Count, Down, false),
    m(
        "problem_cases",
        "problem cases served",
        Count,
        Neutral,
        false,
    ),
    m(
        "problem_cases_caught",
        "problem cases caught",
        Count,
        Up,
        false,
    ),
    m(
        "problem_cases_missed",
        "problem cases missed",
        Count,
        Down,
        false,
    ),
    m("risk_losses", "risk losses", Currency, Down, false),
    m(
        "expected_attrition",
        "expected attrition within a year",
        Share,
        Down,
        false,
    ),
    m(
        "value_at_risk",
        "annual value at risk of leaving",
        Currency,
        Down,
        false,
    ),
    m(
        "feedback_value",
        "new business from feedback",
        Currency,
        Up,
        false,
    ),
];
