//! A tier's service times: one distribution per (segment, request type),
//! from `service`, `service_by_segment`, each request type's own `service`
//! and `service_multiplier` at the tier, and training, in that order.

use super::super::diagnostics::Checker;
use super::super::raw::RawTier;
use super::TierContext;
use crate::engine::Dist;

impl Checker<'_> {
    /// Tier `j`'s service table, at index `segment * requests + request`;
    /// `None` when `service` has problems.
    pub(super) fn service_table(
        &mut self,
        t: &RawTier,
        j: usize,
        cx: &TierContext<'_>,
    ) -> Option<Vec<Dist>> {
        let field = format!("tier.{}.service", t.name.get_ref());
        let service = self.dist(&t.service, &field);
        let by_segment = self.service_by_segment(t, cx.segments);
        let service = service?;
        let kinds = cx.kinds_of_request();
        let mut table: Vec<Dist> = by_segment
            .into_iter()
            .flat_map(|d| std::iter::repeat_n(d.unwrap_or_else(|| service.clone()), kinds))
            .collect();
        for (r, at) in cx.at.iter().enumerate() {
            let at = &at[j];
            for s in 0..cx.segments.len() {
                let d = &mut table[s * kinds + r];
                if let Some(own) = &at.service {
                    *d = own.clone();
                }
                if let Some(f) = at.multiplier {
                    *d = d.scaled(f);
                }
            }
        }
        if let Some(f) = cx.training[j].service {
            for d in table.iter_mut() {
                *d = d.scaled(f);
            }
        }
        Some(table)
    }

    /// `service_by_segment`: each segment's own service, if any.
    fn service_by_segment(&mut self, t: &RawTier, segments: &[String]) -> Vec<Option<Dist>> {
        let field = format!("tier.{}.service_by_segment", t.name.get_ref());
        let mut by_segment = vec![None; segments.len()];
        for (seg, dist) in t.service_by_segment.iter().flatten() {
            let index = self.reference(seg, segments, &field, "segment");
            let d = self.dist(dist, &format!("{field}.{}", seg.get_ref()));
            if let (Some(i), Some(d)) = (index, d) {
                by_segment[i] = Some(d);
            }
        }
        by_segment
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{BASE, model, problem};

    #[test]
    fn each_segment_and_request_gets_its_own_service() {
        let source = BASE
            .replace(
                "[[tier]]",
                "[[segment]]\nname = \"v\"\nrate_per_hour = 1.0\nrequests = { a = 1.0 }\n\n[[request]]\nname = \"a\"\n\n[[request]]\nname = \"b\"\nservice_multiplier = { t = 2.0 }\n\n[[tier]]",
            )
            .replace("rate_per_hour = 6.0", "rate_per_hour = 6.0\nrequests = { a = 0.5, b = 0.5 }")
            .replace(
                "service = { dist = \"exponential\", mean = 1.0 }",
                "service = { dist = \"exponential\", mean = 1.0 }\nservice_by_segment = { v = { dist = \"deterministic\", mean = 3.0 } }",
            );
        let t = &model(&source).tiers[0];
        let means: Vec<f64> = t.service.iter().map(|d| d.mean()).collect();
        // (s, a), (s, b), (v, a), (v, b)
        assert_eq!(means, [1.0, 2.0, 3.0, 6.0]);
    }

    #[test]
    fn refusals() {
        let by_segment = |line: &str| {
            BASE.replace(
                "service = { dist = \"exponential\", mean = 1.0 }",
                &format!("service = {{ dist = \"exponential\", mean = 1.0 }}\nservice_by_segment = {line}"),
            )
        };
        assert_eq!(
            problem(&by_segment(
                "{ x = { dist = \"exponential\", mean = 1.0 } }"
            )),
            (
                "tier.t.service_by_segment".to_string(),
                "no segment named `x`; allowed: `s`".to_string()
            )
        );
        assert_eq!(
            problem(&by_segment(
                "{ s = { dist = \"exponential\", mean = 0.0 } }"
            )),
            (
                "tier.t.service_by_segment.s.mean".to_string(),
                "got 0; allowed: a finite number > 0".to_string()
            )
        );
    }
}
