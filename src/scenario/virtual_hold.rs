//! `tier.callback_offer = { when_wait_over, accept, keep_place }`: virtual
//! hold, a call-back offered to clients waiting in a staffed tier's queue
//! (docs/failure-demand.md).

use super::diagnostics::Checker;
use super::raw::RawTier;
use crate::model::{CallbackOffer, TierKind};

/// P(a client offered a call-back on hold takes it) when the file does
/// not say: Hathaway, Emadi & Deshpande, 37% of a US bank's callers
/// (parameters-v2.md §11.2, conf. H).
pub(super) const DEFAULT_ACCEPT: f64 = 0.37;

impl Checker<'_> {
    /// Tier `t`'s `callback_offer` (of kind `kind`); `None` without one, or
    /// when it has problems (reported).
    pub(super) fn callback_offer(&mut self, t: &RawTier, kind: TierKind) -> Option<CallbackOffer> {
        let offer = t.callback_offer.as_ref()?;
        let field = |f: &str| format!("tier.{}.callback_offer{f}", t.name.get_ref());
        let refused = match kind {
            TierKind::Staffed => None,
            TierKind::Chatbot => Some(
                "a chatbot tier (kind = \"chatbot\"): it serves everyone at once, nobody waits",
            ),
            TierKind::BackOffice => Some(
                "a back office (kind = \"back_office\"): it works on cases, nobody is on the line",
            ),
            TierKind::Dedicated => Some(
                "a dedicated tier (kind = \"dedicated\"): its RMs' own rules (`book.overflow`) apply",
            ),
        };
        if let Some(what) = refused {
            self.problem(
                offer.span(),
                field(""),
                format!("`callback_offer` does not apply to {what}; allowed: on a staffed tier"),
            );
            return None;
        }
        let raw = offer.get_ref();
        let before = self.count();
        let when_wait_over = match &raw.when_wait_over {
            Some(w) => self.non_negative(w, &field(".when_wait_over")),
            None => {
                self.problem(
                    offer.span(),
                    field(".when_wait_over"),
                    "missing; allowed: the minutes a client waits on the line before the offer \
                     (0: on joining the queue), e.g. `when_wait_over = 2.0`",
                );
                0.0
            }
        };
        let accept = raw
            .accept
            .as_ref()
            .map_or(DEFAULT_ACCEPT, |p| self.probability(p, &field(".accept")));
        let keep_place = raw.keep_place.as_ref().is_none_or(|k| *k.get_ref());
        (self.count() == before).then_some(CallbackOffer {
            when_wait_over,
            accept,
            keep_place,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::testing::{BASE, model, problems};

    fn tier(line: &str) -> String {
        BASE.replace("servers = 2", &format!("servers = 2\n{line}"))
    }

    #[test]
    fn an_offer_is_read_with_its_defaults() {
        let m = model(&tier("callback_offer = { when_wait_over = 2.0 }"));
        let o = m.tiers[0].callback_offer.unwrap();
        assert_eq!(
            (o.when_wait_over, o.accept, o.keep_place),
            (2.0, 0.37, true)
        );
        let m = model(&tier(
            "callback_offer = { when_wait_over = 0.0, accept = 1.0, keep_place = false }",
        ));
        let o = m.tiers[0].callback_offer.unwrap();
        assert_eq!(
            (o.when_wait_over, o.accept, o.keep_place),
            (0.0, 1.0, false)
        );
        assert!(model(BASE).tiers[0].callback_offer.is_none());
    }

    #[test]
    fn nonsense_is_refused() {
        let fields =
            |src: &str| -> Vec<String> { problems(src).into_iter().map(|(f, _)| f).collect() };
        assert_eq!(
            fields(&tier(
                "callback_offer = { when_wait_over = -1.0, accept = 1.5 }"
            )),
            [
                "tier.t.callback_offer.when_wait_over",
                "tier.t.callback_offer.accept"
            ]
        );
        assert_eq!(
            fields(&tier("callback_offer = { accept = 0.5 }")),
            ["tier.t.callback_offer.when_wait_over"]
        );
        let bot = BASE.replace(
            "[[tier]]",
            "[[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nservice = { dist = \"exponential\", mean = 1.0 }\nhandoff_to = \"t\"\ncallback_offer = { when_wait_over = 0.0 }\n\n[[tier]]",
        );
        assert_eq!(fields(&bot), ["tier.bot.callback_offer"]);
    }
}
