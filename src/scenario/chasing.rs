//! Status chasing: `segment.chase_rate_per_day` and `segment.chase_service`
//! (how often, and how long, a client whose case waits in a back office
//! contacts the front line about it), `request.status_visible` (the
//! client sees the case's progress: no chasing) and
//! `request.proactive_updates` with `request.proactive_chase_factor` (the
//! back office tells the client of each step: less chasing).
//! docs/failure-demand.md.

use super::diagnostics::Checker;
use super::raw::{RawRequest, RawSegment};
use crate::model::{Chasing, Model, ProactiveUpdates};

impl Checker<'_> {
    /// A segment's status chasing; `None` without it (no rate, or a rate
    /// of 0) or when it has problems (reported).
    pub(super) fn chasing(&mut self, s: &RawSegment) -> Option<Chasing> {
        let field = |f: &str| format!("segment.{}.{f}", s.name.get_ref());
        let Some(rate) = &s.chase_rate_per_day else {
            if let Some(d) = &s.chase_service {
                self.problem(
                    d.span(),
                    field("chase_service"),
                    "does nothing without `chase_rate_per_day`; allowed: with a \
                     `chase_rate_per_day` > 0, or neither",
                );
            }
            return None;
        };
        let before = self.count();
        let rate_per_day = self.non_negative(rate, &field("chase_rate_per_day"));
        let service = match &s.chase_service {
            Some(d) => Some(self.dist(d, &field("chase_service"))?),
            None => None,
        };
        (self.count() == before && rate_per_day > 0.0).then_some(Chasing {
            rate_per_day,
            service,
        })
    }

    /// A request type's `status_visible` (`false` when not written). It
    /// means something only where the request's cases go through a back
    /// office: `back_office` says whether they do (the request's own, or
    /// some segment's).
    pub(super) fn status_visible(&mut self, r: &RawRequest, back_office: bool) -> bool {
        let Some(v) = &r.status_visible else {
            return false;
        };
        if !back_office {
            self.problem(
                v.span(),
                format!("request.{}.status_visible", r.name.get_ref()),
                "neither this request nor any segment has a `back_office`, and the status is \
                 that of a case in a back office; allowed: with a back office only",
            );
        }
        *v.get_ref()
    }

    /// A request type's proactive updates (`None` when not written, or
    /// `false`); like `status_visible`, only where its cases go through a
    /// back office (`back_office`).
    pub(super) fn proactive(
        &mut self,
        r: &RawRequest,
        back_office: bool,
    ) -> Option<ProactiveUpdates> {
        let field = |f: &str| format!("request.{}.{f}", r.name.get_ref());
        let on = r.proactive_updates.as_ref().is_some_and(|v| *v.get_ref());
        if let (Some(v), false) = (&r.proactive_updates, back_office) {
            self.problem(
                v.span(),
                field("proactive_updates"),
                "neither this request nor any segment has a `back_office`, and the updates are \
                 on a case in a back office; allowed: with a back office only",
            );
        }
        match (&r.proactive_chase_factor, on) {
            (Some(f), false) => {
                self.problem(
                    f.span(),
                    field("proactive_chase_factor"),
                    "does nothing without `proactive_updates = true`; allowed: with \
                     `proactive_updates = true`, or neither",
                );
                None
            }
            (f, true) => Some(ProactiveUpdates {
                chase_factor: f.as_ref().map_or(ProactiveUpdates::CHASE_FACTOR, |f| {
                    self.probability(f, &field("proactive_chase_factor"))
                }),
            }),
            (None, false) => None,
        }
    }
}

/// Chasing that can never happen: a segment with a chase rate none of
/// whose clients' cases goes through a back office. (A status made visible
/// everywhere is not warned about: it is what a remedy does.)
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for s in &model.segments {
        let Some(chasing) = &s.chasing else { continue };
        let chases = s.requests.iter().zip(&model.requests).any(|(&share, r)| {
            share > 0.0 && (!s.back_office.is_empty() || !r.back_office.is_empty())
        });
        if !chases {
            out.push(format!(
                "segment.{}.chase_rate_per_day = {} never applies: none of its clients' cases \
                 goes through a back office",
                s.name, chasing.rate_per_day
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{BASE, model, problems};

    /// [`BASE`] with a back office `bo` that every `loan` case goes
    /// through, `segment` lines added to the segment and `request` lines
    /// to the request.
    fn with_back_office(segment: &str, request: &str) -> String {
        let base = BASE.replace(
            "rate_per_hour = 6.0",
            &format!("rate_per_hour = 6.0\nrequests = {{ loan = 1.0 }}\n{segment}"),
        );
        format!(
            "{base}\n[[tier]]\nname = \"bo\"\nkind = \"back_office\"\nservers = 2\n\
             service = {{ dist = \"deterministic\", mean = 600.0 }}\n\n\
             [[request]]\nname = \"loan\"\nback_office = [\"bo\"]\n{request}\n"
        )
    }

    #[test]
    fn chasing_is_read() {
        let m = model(&with_back_office(
            "chase_rate_per_day = 0.5\nchase_service = { dist = \"exponential\", mean = 4.0 }",
            "",
        ));
        let c = m.segments[0].chasing.as_ref().unwrap();
        assert_eq!(c.rate_per_day, 0.5);
        assert_eq!(c.service.as_ref().unwrap().mean(), 4.0);
        assert!(!m.requests[0].status_visible);
        assert!(super::warnings(&m).is_empty());
        let m = model(&with_back_office(
            "chase_rate_per_day = 0.5",
            "status_visible = true",
        ));
        assert!(m.requests[0].status_visible);
        assert!(super::warnings(&m).is_empty(), "a remedy's visible status");
        let m = model(
            &with_back_office("chase_rate_per_day = 0.5", "")
                .replace("back_office = [\"bo\"]\n", ""),
        );
        assert_eq!(super::warnings(&m).len(), 1, "no back office: never chases");
        // A rate of 0 is no chasing.
        let m = model(&with_back_office("chase_rate_per_day = 0.0", ""));
        assert!(m.segments[0].chasing.is_none());
    }

    #[test]
    fn nonsense_is_refused() {
        let fields =
            |src: &str| -> Vec<String> { problems(src).into_iter().map(|(f, _)| f).collect() };
        assert_eq!(
            fields(&with_back_office("chase_rate_per_day = -1.0", "")),
            ["segment.s.chase_rate_per_day"]
        );
        assert_eq!(
            fields(&with_back_office(
                "chase_service = { dist = \"exponential\", mean = 4.0 }",
                ""
            )),
            ["segment.s.chase_service"]
        );
        let no_back_office =
            with_back_office("", "status_visible = true").replace("back_office = [\"bo\"]\n", "");
        assert_eq!(fields(&no_back_office), ["request.loan.status_visible"]);
    }

    #[test]
    fn proactive_updates_are_read() {
        use crate::model::ProactiveUpdates;
        let m = model(&with_back_office(
            "chase_rate_per_day = 0.5",
            "proactive_updates = true",
        ));
        assert_eq!(
            m.requests[0].proactive,
            Some(ProactiveUpdates {
                chase_factor: ProactiveUpdates::CHASE_FACTOR
            })
        );
        assert_eq!(m.outcomes.proactive_update_offset, 0.15);
        let m = model(
            &with_back_office(
                "chase_rate_per_day = 0.5",
                "proactive_updates = true\nproactive_chase_factor = 0.7",
            )
            .replacen(
                "[[tier]]",
                "[outcomes]\nproactive_update_offset = 0.4\n\n[[tier]]",
                1,
            ),
        );
        assert_eq!(m.requests[0].proactive.unwrap().chase_factor, 0.7);
        assert_eq!(m.outcomes.proactive_update_offset, 0.4);
        let m = model(&with_back_office("", "proactive_updates = false"));
        assert_eq!(m.requests[0].proactive, None);
    }

    #[test]
    fn proactive_nonsense_is_refused() {
        let fields =
            |src: &str| -> Vec<String> { problems(src).into_iter().map(|(f, _)| f).collect() };
        assert_eq!(
            fields(&with_back_office(
                "",
                "proactive_updates = true\nproactive_chase_factor = 1.5"
            )),
            ["request.loan.proactive_chase_factor"]
        );
        assert_eq!(
            fields(&with_back_office("", "proactive_chase_factor = 0.4")),
            ["request.loan.proactive_chase_factor"]
        );
        let no_back_office = with_back_office("", "proactive_updates = true")
            .replace("back_office = [\"bo\"]\n", "");
        assert_eq!(fields(&no_back_office), ["request.loan.proactive_updates"]);
    }
}
