//! Resolution: whether a contact that ends at a staffed or dedicated tier
//! (not passed on) resolves the client's need. One keyed draw per such
//! contact, on its own purpose salt, so that giving a tier a `resolves`
//! below 1 leaves every other draw of every client unchanged (common random
//! numbers); a model where every tier resolves everything never draws.

use rand::Rng;

use super::mode::Full;
use super::state::Replication;
use crate::engine::rng::keyed;
use crate::model::{ContactKind, ContactOutcome};

impl Replication<'_> {
    /// Whether the contact the client just finished at its tier resolved
    /// its need (always at a tier whose `resolves` is 1).
    #[inline]
    pub(super) fn resolved_here(&self, id: u32) -> bool {
        let c = &self.clients[id as usize];
        let tier = c.tier as usize;
        let p = self.model.tiers[tier].resolves[c.request as usize];
        p >= 1.0 || keyed(c.key, self.tiers[tier].resolve_salt, c.visits as u64).random::<f64>() < p
    }

    /// The last contact did not resolve the need: the client contacts the
    /// bank again (a repeat contact, when its request type says so) or
    /// leaves served but unresolved (β_unr), without any back-office step.
    pub(super) fn depart_unresolved(&mut self, id: u32, t: f64) {
        if self.repeating {
            let record = self.contact_record(id, ContactOutcome::Unresolved, Some(t));
            if self.try_repeat(id, t) {
                self.emit(record, ContactKind::Repeat);
                return;
            }
        }
        self.depart::<Full>(id, t, false);
    }
}
