//! `request.repeat_probability` and `request.repeat_delay`: a client whose
//! contact ended with the need unresolved contacts the bank again
//! (docs/repeat-contacts.md).

use super::diagnostics::Checker;
use super::raw::RawRequest;
use crate::model::Repeat;

impl Checker<'_> {
    /// A request type's repeat contacts; `None` without them, or when they
    /// have problems (reported). The two fields go together.
    pub(super) fn repeat(&mut self, r: &RawRequest) -> Option<Repeat> {
        let field = |f: &str| format!("request.{}.{f}", r.name.get_ref());
        match (&r.repeat_probability, &r.repeat_delay) {
            (None, None) => None,
            (Some(p), None) => {
                self.problem(
                    p.span(),
                    field("repeat_probability"),
                    "needs `repeat_delay`; allowed: both, e.g. `repeat_probability = 0.8` with \
                     `repeat_delay = { dist = \"lognormal\", mean = 221.7, cv = 7.32 }`, or neither",
                );
                None
            }
            (None, Some(d)) => {
                self.problem(
                    d.span(),
                    field("repeat_delay"),
                    "does nothing without `repeat_probability`; allowed: both, or neither",
                );
                None
            }
            (Some(p), Some(d)) => {
                let probability = self.probability(p, &field("repeat_probability"));
                let before = self.count();
                let delay = self.dist(d, &field("repeat_delay"))?;
                (self.count() == before).then_some(Repeat { probability, delay })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{BASE, model, problems};

    fn with_request(fields: &str) -> String {
        let base = BASE.replace(
            "rate_per_hour = 6.0",
            "rate_per_hour = 6.0\nrequests = { loan = 1.0 }",
        );
        format!("{base}\n[[request]]\nname = \"loan\"\n{fields}\n")
    }

    const DELAY: &str = "repeat_delay = { dist = \"exponential\", mean = 30.0 }";

    #[test]
    fn repeat_contacts_are_read() {
        let m = model(&with_request(&format!("repeat_probability = 0.8\n{DELAY}")));
        let r = m.requests[0].repeat.as_ref().unwrap();
        assert_eq!((r.probability, r.delay.mean()), (0.8, 30.0));
        assert!(model(&with_request("")).requests[0].repeat.is_none());
    }

    #[test]
    fn nonsense_is_refused() {
        let fields = |src: &str| -> Vec<String> {
            problems(&with_request(src))
                .into_iter()
                .map(|(f, _)| f)
                .collect()
        };
        assert_eq!(
            fields(&format!("repeat_probability = 1.2\n{DELAY}")),
            ["request.loan.repeat_probability"]
        );
        assert_eq!(
            fields("repeat_probability = 0.5"),
            ["request.loan.repeat_probability"]
        );
        assert_eq!(fields(DELAY), ["request.loan.repeat_delay"]);
        assert_eq!(
            fields(
                "repeat_probability = 1.0\nrepeat_delay = { dist = \"deterministic\", mean = 0.0 }"
            ),
            ["request.loan.repeat_delay.mean"]
        );
    }
}
