//! One client inside the system: where it is, what it wants, and what
//! its journey has been so far (the journeys file's per-contact fields are
//! kept apart, in `record.rs`, and only while recording).

/// No tier (`Client::next`) or no RM (`Client::own_rm`).
pub(super) const NONE: u16 = u16::MAX;

/// Client `id` of the slab `clients`, without a bounds check.
///
/// Invariant: every client id the loop holds (in an event, a queue entry,
/// a timer, a handler's argument) was handed out by
/// `Replication::take_slot` as an index below the slab's length, and the
/// slab only grows during a replication (no slot is ever removed), so the
/// index is in range. Debug builds (and so the tests) check it. Used on the
/// hot handlers' paths, where each client is looked up several times per
/// event and each bounds check costs its compare and branch.
#[inline(always)]
pub(super) fn at(clients: &[Client], id: u32) -> &Client {
    debug_assert!(
        (id as usize) < clients.len(),
        "client {id} outside the slab"
    );
    // SAFETY: `id` is below `clients.len()` by the invariant above.
    unsafe { clients.get_unchecked(id as usize) }
}

/// [`at`], mutable; the same invariant.
#[inline(always)]
pub(super) fn at_mut(clients: &mut [Client], id: u32) -> &mut Client {
    debug_assert!(
        (id as usize) < clients.len(),
        "client {id} outside the slab"
    );
    // SAFETY: `id` is below `clients.len()` by the invariant of [`at`].
    unsafe { clients.get_unchecked_mut(id as usize) }
}

/// Entry `segment` of a per-segment table of the replication (its
/// counts, values, journey terms, arrival feeds, the model's segments),
/// without a bounds check, for the segment of an `Arrival` event or of a
/// client in the slab.
///
/// Invariant: a client's segment is set only at its arrival (or copied
/// from another client's), from an `Arrival` event's segment, and those
/// are scheduled only for `0..model.segments.len()`; every per-segment
/// table has at least that many entries (built from `model.segments`).
/// Debug builds check it.
#[inline(always)]
pub(super) fn of_segment<T>(table: &[T], segment: u16) -> &T {
    debug_assert!(
        (segment as usize) < table.len(),
        "segment {segment} outside the table"
    );
    // SAFETY: `segment` is below `table.len()` by the invariant above.
    unsafe { table.get_unchecked(segment as usize) }
}

/// [`of_segment`], mutable; the same invariant.
#[inline(always)]
pub(super) fn of_segment_mut<T>(table: &mut [T], segment: u16) -> &mut T {
    debug_assert!(
        (segment as usize) < table.len(),
        "segment {segment} outside the table"
    );
    // SAFETY: `segment` is below `table.len()` by the invariant of [`of_segment`].
    unsafe { table.get_unchecked_mut(segment as usize) }
}

/// Entry `tier` of a per-tier table (the replication's tier states, the
/// model's tiers), without a bounds check, for a tier a client is at or
/// goes to.
///
/// Invariant: every tier index the loop holds comes from the model (a
/// segment's, request's or channel's entry, an escalation route, a skill's
/// or book's tier), and the scenario layer admits only indices below
/// `model.tiers.len()`; every per-tier table has one entry per model tier
/// and never shrinks. Debug builds check it.
#[inline(always)]
pub(super) fn of_tier<T>(table: &[T], tier: usize) -> &T {
    debug_assert!(tier < table.len(), "tier {tier} outside the table");
    // SAFETY: `tier` is below `table.len()` by the invariant above.
    unsafe { table.get_unchecked(tier) }
}

/// [`of_tier`], mutable; the same invariant.
#[inline(always)]
pub(super) fn of_tier_mut<T>(table: &mut [T], tier: usize) -> &mut T {
    debug_assert!(tier < table.len(), "tier {tier} outside the table");
    // SAFETY: `tier` is below `table.len()` by the invariant of [`of_tier`].
    unsafe { table.get_unchecked_mut(tier) }
}

/// Where a client is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// The slab slot is free.
    Free,
    /// In a queue, not yet served in this visit.
    Waiting,
    /// Being served.
    InService,
    /// Back in the queue after a preemption, with service left to do.
    Preempted,
}

/// One client inside the system.
#[derive(Clone, Copy, Debug)]
pub(super) struct Client {
    /// Bumped at every change of phase, so stale events and queue entries
    /// are recognised in O(1).
    pub(super) generation: u32,
    pub(super) phase: Phase,
    pub(super) segment: u16,
    pub(super) tier: u16,
    /// Arrived after the warm-up: tallied.
    pub(super) counted: bool,
    /// Number of the client's current visit to its current tier (1 for
    /// the first): numbers its keyed draws there, so that inserting or
    /// removing another tier on the route leaves them unchanged.
    pub(super) visits: u32,
    /// Visits so far to each of the first 15 tiers, four bits each (tiers
    /// beyond share the last nibble).
    pub(super) tier_visits: u64,
    /// Visits to any tier so far.
    pub(super) total_visits: u32,
    /// Request type.
    pub(super) request: u16,
    /// Hand-offs so far, cold and warm.
    pub(super) cold_handoffs: u16,
    pub(super) warm_handoffs: u16,
    /// A staffed (not unlimited) tier has served the client.
    pub(super) human: bool,
    /// The client's own random key, drawn at arrival: its patience, service
    /// and routing at its n-th tier depend only on (key, tier, n), so a
    /// change elsewhere in the design (staffing, say) leaves every client
    /// exactly as patient, as long to serve, and on the same route.
    pub(super) key: u64,
    /// Some service has started (the first one decides the service level).
    pub(super) started: bool,
    pub(super) arrival: f64,
    /// When the client joined the current tier.
    pub(super) joined: f64,
    /// Wait before service in the current tier's visit.
    pub(super) visit_wait: f64,
    /// Wait summed over the tiers visited.
    pub(super) wait: f64,
    /// Wait before the first service (valid once `started`).
    pub(super) first_wait: f64,
    /// When the current (or resumed) service started (valid in service).
    pub(super) service_start: f64,
    /// When the current service ends (valid in service).
    pub(super) service_end: f64,
    /// Service left after a preemption.
    pub(super) remaining: f64,
    /// Channel of arrival (0 without channels).
    pub(super) channel: u8,
    /// Complexity of the request, for tiers with a skill level.
    pub(super) complexity: f64,
    /// The tier to join after the current service or pending rejoin
    /// (`NONE`: leave, or go on to the back office).
    pub(super) next: u16,
    /// Waiting to be called back (not on the line): no patience, and the
    /// time does not count as queue wait.
    pub(super) callback: bool,
    /// Failed call-back attempts of the current call-back.
    pub(super) attempts: u8,
    /// The current service is a call-back attempt that fails.
    pub(super) attempt_fails: bool,
    /// Extra contacts (call-backs) so far.
    pub(super) repeats: u8,
    /// Back-office steps started so far.
    pub(super) steps: u8,
    /// Own dedicated RM (`NONE` when not booked).
    pub(super) own_rm: u16,
    /// The RM serving the client at a dedicated tier.
    pub(super) rm: u16,
    /// Served by their own RM.
    pub(super) by_own_rm: bool,
    /// Chatbot hand-offs so far, cold and warm (also in `cold_handoffs`
    /// and `warm_handoffs`).
    pub(super) bot_cold: u8,
    pub(super) bot_warm: u8,
    /// The last chatbot tier that served the client (`NONE`: none).
    pub(super) bot_tier: u16,
    /// Minutes of chatbot conversations that ended in a hand-off.
    pub(super) bot_time: f64,
    /// When the case entered its first back office (valid once `steps` >
    /// 0).
    pub(super) bo_start: f64,
    /// A staffed tier has started serving the client; the wait before
    /// that service, and the hand-offs before reaching it.
    pub(super) staffed: bool,
    pub(super) staffed_wait: f64,
    pub(super) staffed_handoffs: u16,
    /// Redials so far (0 on the first attempt).
    pub(super) redials: u16,
    /// Wait summed over the earlier (failed) attempts.
    pub(super) earlier_wait: f64,
    /// Contacts so far that ended unresolved (numbers the repeat draws).
    pub(super) unresolved: u16,
    /// A status-chasing contact about another client's case (not a
    /// journey of its own: it is served or lost at the front line and
    /// leaves; `chasing.rs`).
    pub(super) chase_contact: bool,
    /// Stamp of the case's current stay in the back offices while it
    /// chases (0: none); a chase event naming another stamp is stale.
    pub(super) case: u32,
    /// Chasing draws made so far (numbers the client's chasing draws).
    pub(super) chases: u16,
    /// Took a virtual-hold call-back and was not reached yet
    /// (`virtual_hold.rs`).
    pub(super) held: bool,
}

impl Client {
    pub(super) const FREE: Client = Client {
        generation: 0,
        phase: Phase::Free,
        segment: 0,
        tier: 0,
        counted: false,
        visits: 0,
        tier_visits: 0,
        total_visits: 0,
        request: 0,
        cold_handoffs: 0,
        warm_handoffs: 0,
        human: false,
        key: 0,
        started: false,
        arrival: 0.0,
        joined: 0.0,
        visit_wait: 0.0,
        wait: 0.0,
        first_wait: 0.0,
        service_start: 0.0,
        service_end: 0.0,
        remaining: 0.0,
        channel: 0,
        complexity: 0.0,
        next: NONE,
        callback: false,
        attempts: 0,
        attempt_fails: false,
        repeats: 0,
        steps: 0,
        own_rm: NONE,
        rm: 0,
        by_own_rm: false,
        bot_cold: 0,
        bot_warm: 0,
        bot_tier: NONE,
        bot_time: 0.0,
        bo_start: 0.0,
        staffed: false,
        staffed_wait: 0.0,
        staffed_handoffs: 0,
        redials: 0,
        earlier_wait: 0.0,
        unresolved: 0,
        chase_contact: false,
        case: 0,
        chases: 0,
        held: false,
    };
}

/// Counts a visit to `tier` and returns its number among the client's
/// visits to that tier (1 for the first). The counts of tiers 0 to 14 are
/// packed four bits each into `counters`; tier 15 and beyond share the last
/// nibble (their draws still differ by the tier's salt). Past 15 visits a
/// count saturates, and the visit is numbered 16 + the client's total
/// visits, which keeps every draw distinct.
#[inline]
pub(super) fn next_visit(counters: &mut u64, total: &mut u32, tier: usize) -> u32 {
    *total += 1;
    let shift = 4 * tier.min(15) as u32;
    let seen = ((*counters >> shift) & 0xF) as u32;
    if seen < 15 {
        *counters += 1 << shift;
        seen + 1
    } else {
        16 + *total
    }
}

#[cfg(test)]
mod tests {
    use super::next_visit;

    #[test]
    fn visits_are_numbered_per_tier() {
        let (mut counters, mut total) = (0u64, 0u32);
        let seq: Vec<u32> = [0, 1, 0, 2, 1, 0]
            .iter()
            .map(|&t| next_visit(&mut counters, &mut total, t))
            .collect();
        assert_eq!(seq, vec![1, 1, 2, 1, 2, 3]);
        // A 16th visit to one tier and beyond stay distinct.
        let (mut counters, mut total) = (0u64, 0u32);
        let many: Vec<u32> = (0..20)
            .map(|_| next_visit(&mut counters, &mut total, 3))
            .collect();
        let mut sorted = many.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), 20, "{many:?}");
    }
}
