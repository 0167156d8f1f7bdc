//! Which way is better for each metric, and the verdict on a paired
//! difference B − A: better, worse, changed (a neutral metric) or no
//! significant difference. Shared by the HTML report, the forest plot and
//! the terminal's colours.

pub use super::catalogue::{Direction, direction};

/// The verdict on one paired difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Significantly better in B.
    Better,
    /// Significantly worse in B.
    Worse,
    /// Significantly different, on a metric that is neither better nor
    /// worse.
    Changed,
    /// The 95% interval of B − A contains zero (or is undefined).
    NoSignificantDifference,
}

impl Verdict {
    /// The verdict for metric `metric` whose difference B − A has mean
    /// `mean` and is `significant` or not.
    pub fn of(metric: &str, mean: f64, significant: bool) -> Verdict {
        if !significant || !mean.is_finite() || mean == 0.0 {
            return Verdict::NoSignificantDifference;
        }
        match (direction(metric), mean < 0.0) {
            (Direction::Neutral, _) => Verdict::Changed,
            (Direction::LowerIsBetter, true) | (Direction::HigherIsBetter, false) => {
                Verdict::Better
            }
            _ => Verdict::Worse,
        }
    }

    /// As written in the report.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Changed => "changed",
            Verdict::NoSignificantDifference => "no significant difference",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_direction_of_each_metric() {
        assert_eq!(Verdict::of("wait_mean", -0.5, true), Verdict::Better);
        assert_eq!(Verdict::of("wait_p90", 0.5, true), Verdict::Worse);
        assert_eq!(Verdict::of("service_level", 0.1, true), Verdict::Better);
        assert_eq!(Verdict::of("served", -3.0, true), Verdict::Worse);
        assert_eq!(Verdict::of("queue_len_mean", -1.0, true), Verdict::Better);
        assert_eq!(Verdict::of("utilization", -0.1, true), Verdict::Changed);
        assert_eq!(Verdict::of("arrived", 2.0, true), Verdict::Changed);
        assert_eq!(Verdict::of("escalation_rate", 0.1, true), Verdict::Changed);
        assert_eq!(Verdict::of("csat", 0.1, true), Verdict::Better);
        assert_eq!(Verdict::of("complaint_rate", 0.1, true), Verdict::Worse);
        assert_eq!(Verdict::of("no_such_metric", 1.0, true), Verdict::Changed);
        assert_eq!(
            Verdict::of("wait_mean", -0.5, false),
            Verdict::NoSignificantDifference
        );
        assert_eq!(
            Verdict::of("wait_mean", f64::NAN, true),
            Verdict::NoSignificantDifference
        );
    }
}
