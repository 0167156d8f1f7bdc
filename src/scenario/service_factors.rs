//! `tier.service_factors = { "HH:MM-HH:MM" = factor }`: service time by
//! time of day, a factor (> 0) on every drawn service of the tier by the
//! minute of the day it starts; minutes not listed: 1 (docs/reference.md).

use std::sync::Arc;

use super::diagnostics::Checker;
use super::raw::RawTier;

impl Checker<'_> {
    /// A tier's `service_factors` as one factor per minute of the day;
    /// `None` without them (or when every factor is 1: nothing changes).
    pub(super) fn service_factors(&mut self, t: &RawTier) -> Option<Arc<[f64]>> {
        let ranges = t.service_factors.as_ref()?;
        let field = format!("tier.{}.service_factors", t.name.get_ref());
        let factors = self.minute_ranges(ranges, &field, 1.0, true);
        factors
            .iter()
            .any(|&f| f != 1.0)
            .then(|| crate::model::week::shared_profile(factors))
    }
}
