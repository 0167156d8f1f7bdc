//! `segment.day_effect = { cv = x }`: day-to-day variation of a segment's
//! arrival rates, a Gamma factor per simulated day with mean 1 and
//! coefficient of variation `cv` (`model::DayEffect`, docs/reference.md).

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawDayEffect;
use crate::model::DayEffect;

impl Checker<'_> {
    /// A segment's `day_effect` (`field` names it): `Some(None)` for
    /// cv = 0 (no effect, exactly as if absent), `None` when it has
    /// problems (reported).
    pub(super) fn day_effect(
        &mut self,
        d: &Spanned<RawDayEffect>,
        field: &str,
        traced: bool,
    ) -> Option<Option<DayEffect>> {
        let cv = &d.get_ref().cv;
        let x = *cv.get_ref();
        if !(x.is_finite() && x >= 0.0) {
            self.problem(
                cv.span(),
                format!("{field}.cv"),
                format!(
                    "got {x}; allowed: a finite coefficient of variation >= 0 of the day factor \
                     (0: no day effect; 0.1 means days differ by about 10% beyond Poisson)"
                ),
            );
            return None;
        }
        if traced {
            self.problem(
                d.span(),
                field.to_string(),
                "a segment replaying a trace has its days as they were; allowed: \
                 `day_effect` only with `rate_per_hour`",
            );
            return None;
        }
        Some(DayEffect::new(x))
    }
}
