//! `segment.redial = { after_abandon, after_block, delay, max_attempts }`:
//! a client who abandons or is blocked calls again (docs/reference.md).

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawRedial;
use crate::model::{Model, Redial, WhenClosed};

impl Checker<'_> {
    /// A segment's `redial` table (`field` names it); `None` when it has
    /// problems (reported).
    pub(super) fn redial(&mut self, r: &Spanned<RawRedial>, field: &str) -> Option<Redial> {
        let raw = r.get_ref();
        let before = self.count();
        let field = |f: &str| format!("{field}.{f}");
        let after_abandon = raw
            .after_abandon
            .as_ref()
            .map_or(0.0, |p| self.probability(p, &field("after_abandon")));
        let after_block = raw
            .after_block
            .as_ref()
            .map_or(0.0, |p| self.probability(p, &field("after_block")));
        let delay = match &raw.delay {
            Some(d) => self.dist(d, &field("delay")),
            None => {
                self.problem(
                    r.span(),
                    field("delay"),
                    "missing; allowed: a distribution of the minutes before the redial, e.g. \
                     `delay = { dist = \"lognormal\", mean = 13.0, cv = 2.0 }`",
                );
                None
            }
        };
        let max_attempts = match &raw.max_attempts {
            Some(n) if *n.get_ref() == 0 => {
                self.problem(
                    n.span(),
                    field("max_attempts"),
                    "got 0; allowed: an integer >= 1 (the first attempt included), or no `max_attempts` for no limit",
                );
                0
            }
            Some(n) => *n.get_ref(),
            None => u32::MAX,
        };
        // A delay of mean 0 (with a probability of 1, a client calling
        // again forever in no time) cannot be written: every distribution
        // has a positive mean (`dist`).
        let delay = delay?;
        (self.count() == before).then_some(Redial {
            after_abandon,
            after_block,
            delay,
            max_attempts,
        })
    }
}

/// Redial probabilities that can never apply: `after_abandon` in a
/// segment without patience (nobody abandons), `after_block` where no tier
/// bounds its queue and no channel loses its clients when closed (nobody is
/// blocked).
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let blocking = model.tiers.iter().any(|t| t.queue_capacity.is_some())
        || model
            .channels
            .iter()
            .any(|c| c.hours.is_some() && c.when_closed == WhenClosed::Lost);
    let mut out = Vec::new();
    for s in &model.segments {
        let Some(r) = &s.redial else { continue };
        if r.after_abandon > 0.0 && s.patience.is_none() {
            out.push(format!(
                "segment.{}.redial.after_abandon = {} never applies: the segment has no \
                 `patience`, so nobody abandons",
                s.name, r.after_abandon
            ));
        }
        if r.after_block > 0.0 && !blocking {
            out.push(format!(
                "segment.{}.redial.after_block = {} never applies: no tier has a \
                 `queue_capacity` and no channel loses its clients when closed, so nobody is \
                 blocked",
                s.name, r.after_block
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{model, problems, with};

    const DELAY: &str = "delay = { dist = \"exponential\", mean = 13.0 }";

    #[test]
    fn a_redial_table_is_read_with_its_defaults() {
        let m = model(&with(
            "rate_per_hour = 6.0",
            &format!("redial = {{ after_abandon = 0.55, {DELAY} }}"),
        ));
        let r = m.segments[0].redial.as_ref().unwrap();
        assert_eq!((r.after_abandon, r.after_block), (0.55, 0.0));
        assert_eq!(r.max_attempts, u32::MAX);
        assert_eq!(r.delay.mean(), 13.0);
    }

    /// A probability that can never apply is warned about; one that can
    /// is not.
    #[test]
    fn a_redial_that_cannot_happen_is_warned_about() {
        let both = format!("redial = {{ after_abandon = 0.55, after_block = 0.45, {DELAY} }}");
        let w = super::warnings(&model(&with("rate_per_hour = 6.0", &both)));
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("segment.s.redial.after_abandon = 0.55 never applies"));
        assert!(w[1].contains("segment.s.redial.after_block = 0.45 never applies"));
        let possible = with("rate_per_hour = 6.0", &both)
            .replace(
                "rate_per_hour = 6.0",
                "rate_per_hour = 6.0\npatience = { dist = \"exponential\", mean = 5.0 }",
            )
            .replace("servers = 2", "servers = 2\nqueue_capacity = 5");
        let m = model(&possible);
        assert!(super::warnings(&m).is_empty(), "{:?}", super::warnings(&m));
    }

    #[test]
    fn nonsense_is_refused() {
        let p = problems(&with(
            "rate_per_hour = 6.0",
            &format!("redial = {{ after_block = 1.5, {DELAY}, max_attempts = 0 }}"),
        ));
        let fields: Vec<&str> = p.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "segment.s.redial.after_block",
                "segment.s.redial.max_attempts"
            ]
        );
        let p = problems(&with(
            "rate_per_hour = 6.0",
            "redial = { after_abandon = 1.0, delay = { dist = \"deterministic\", mean = 0.0 } }",
        ));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, "segment.s.redial.delay.mean");
        assert!(p[0].1.contains("> 0"), "{}", p[0].1);
    }
}
