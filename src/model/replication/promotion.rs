//! Time-in-queue promotion (`segment.promote_after`): a live client who has
//! waited `promote_after` minutes in a staffed queue is served with the
//! first priority from then on, first come first served among the clients
//! of that priority (Ciw's class change while queueing).
//!
//! The client gets a second queue entry at the first rank (its first stays
//! where it was and goes stale when either is served), so promotion costs
//! one event per promoted client and nothing per event elsewhere. With
//! `promote_after = 0` the client joins the first rank at once: the same
//! queue as if its segment had the first priority. A scenario without
//! `promote_after` never reaches this file.

use super::Event;
use super::state::Replication;
use crate::engine::Time;

impl Replication<'_> {
    /// Whether a live client of `segment` joining a queue at priority
    /// `rank` joins the first rank at once (`promote_after = 0`).
    #[inline]
    pub(super) fn promoted_at_once(&self, segment: usize, rank: u16) -> bool {
        rank > 0 && self.model.segments[segment].promote_after == 0.0
    }

    /// Schedules the promotion of live client `id`, now waiting at
    /// priority `rank` (entry `generation`), if its segment promotes and
    /// it is not at the first rank already.
    pub(super) fn schedule_promotion(&mut self, id: u32, rank: u16, generation: u32, t: f64) {
        let after = self.model.segments[self.clients[id as usize].segment as usize].promote_after;
        if rank > 0 && after > 0.0 && after.is_finite() {
            self.calendar.schedule(
                Time(t + after),
                Event::Promote {
                    client: id,
                    generation,
                },
            );
        }
    }

    /// Client `id` (still waiting, entry `generation`) has waited
    /// `promote_after`: it joins the first rank's queue (its agent group
    /// pool's promoted queue at a tier with groups).
    pub(super) fn promote(&mut self, id: u32, generation: u32) {
        let tier = self.clients[id as usize].tier as usize;
        if self.tiers[tier].pool.is_some() {
            self.group_promote(id, tier, generation);
        } else {
            self.tiers[tier].queues[0].push_back((id, generation));
        }
    }
}
