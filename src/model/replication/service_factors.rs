//! Service time by time of day (`tier.service_factors`): a drawn service
//! starting at minute m of the day is multiplied by the tier's factor of
//! m. Replayed services (a trace's `service` column) are as logged. A tier
//! without factors never reaches this file.

use crate::model::week::DAY;

/// The factor of the minute of the day of time `t`.
#[inline]
pub(super) fn at(factors: &[f64], t: f64) -> f64 {
    factors[(t.rem_euclid(DAY) as usize).min(factors.len() - 1)]
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::fixture::two_tier;
    use crate::model::simulate;

    /// Doubling every service of an M/M/c tier (factor 2 all day) gives
    /// exactly the run whose service mean is doubled (the same draws,
    /// scaled), and factors of 1 change nothing at all.
    #[test]
    fn service_factors_scale_drawn_services_exactly() {
        let mut doubled = two_tier(4);
        doubled.tiers[0].service_factors = Some(Arc::from(vec![2.0; 1440]));
        let mut slower = two_tier(4);
        slower.tiers[0].service = vec![crate::engine::Dist::exponential(4.0); 2];
        let mut ones = two_tier(4);
        ones.tiers[0].service_factors = Some(Arc::from(vec![1.0; 1440]));
        for r in 0..2 {
            let a = format!("{:?}", simulate(&doubled, r).tiers);
            assert_eq!(a, format!("{:?}", simulate(&slower, r).tiers));
            assert_eq!(
                format!("{:?}", simulate(&ones, r).tiers),
                format!("{:?}", simulate(&two_tier(4), r).tiers)
            );
        }
    }
}
