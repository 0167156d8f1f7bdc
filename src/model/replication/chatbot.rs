//! Chatbots: which clients choose one when it is opt-in (`bot_uptake`), and
//! what a failed conversation leaves on the journey (a hand-off by the bot,
//! its time). The opt-in draw is keyed to the client on its own purpose
//! salt, so an uptake of 0 leaves every client exactly as without the bot
//! (common random numbers).

use rand::Rng;

use super::client::Client;
use super::state::Replication;
use crate::engine::rng::keyed;
use crate::model::Handoff;

impl Replication<'_> {
    /// The tier a new client of `segment` with `request` on `channel` joins
    /// first: an opt-in chatbot for the share that chooses it, else the
    /// request's, channel's or segment's entry.
    #[inline(always)]
    pub(super) fn entry_for(
        &self,
        segment: usize,
        request: usize,
        channel: usize,
        key: u64,
    ) -> usize {
        let entry = self.model.entry(segment, request, channel);
        if !self.uptake {
            return entry;
        }
        let shares = &self.model.requests[request].bot_uptake;
        if shares.is_empty() {
            return entry;
        }
        let u: f64 = keyed(key, self.uptake_salt, 0).random();
        let mut acc = 0.0;
        for &(tier, share) in shares {
            acc += share;
            if u < acc {
                return tier;
            }
        }
        entry
    }
}

/// A chatbot passed the client on at `t`: one more bot hand-off of kind
/// `handoff`, and the conversation's time, which the outcome model may
/// count as waiting (`bot_time_counts_on_failure`).
#[inline]
pub(super) fn bot_handed_off(c: &mut Client, handoff: Handoff, t: f64) {
    match handoff {
        Handoff::Cold => c.bot_cold = c.bot_cold.saturating_add(1),
        Handoff::Warm => c.bot_warm = c.bot_warm.saturating_add(1),
    }
    c.bot_time += t - c.service_start;
}
