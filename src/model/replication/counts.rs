//! The count types one replication fills in: per segment, per request
//! type, per tier and per slot of the day, and the result they make.

use super::super::{Overload, Servers};
use super::client::Client;
use crate::engine::stats::{DurationHistogram, Tally};

/// Per-client outcomes of one segment (or all segments merged) in one
/// replication. Clients arriving before the warm-up are not counted.
#[derive(Clone, Debug, Default)]
pub struct ClientCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients that left after service.
    pub served: u64,
    /// Clients that left a queue unserved when their patience ran out.
    pub abandoned: u64,
    /// Clients turned away by a full queue (at any tier).
    pub blocked: u64,
    /// Clients still inside when the replication stopped.
    pub inside: u64,
    /// Total wait of each served or abandoned client.
    pub wait: Tally,
    /// Total wait of each served client.
    pub wait_served: Tally,
    /// Served or abandoned clients who could not start service on arrival.
    pub waited: u64,
    /// Served or abandoned clients whose first service started within the
    /// service-level threshold.
    pub within_service_level: u64,
    /// Arrival to departure of each served client.
    pub sojourn: Tally,
    /// Distribution of the total wait of served or abandoned clients.
    pub wait_histogram: DurationHistogram,
    /// Clients whose journey ended (served, abandoned or blocked).
    pub finished: u64,
    /// Satisfaction score (0-100) of each finished client.
    pub satisfaction: Tally,
    /// Finished clients answering top-box.
    pub top_box: u64,
    /// Finished clients making a front-line complaint.
    pub complaints: u64,
    /// Finished clients making a formal recorded complaint.
    pub formal_complaints: u64,
    /// Clients resolved at the first tier they contacted.
    pub first_contact: u64,
    /// Hand-offs of each finished client.
    pub handoffs: Tally,
    /// Clients resolved by an unlimited (chatbot) tier alone.
    pub deflected: u64,
    /// Sales made.
    pub sales: u64,
    /// Sales that were mis-sold (KPI pressure).
    pub mis_sales: u64,
    /// Revenue of the sales.
    pub revenue: f64,
    /// Finished clients with a dedicated RM.
    pub booked: u64,
    /// Finished clients with a dedicated RM who were served by them.
    pub own_rm: u64,
    /// Clients given up after every call-back attempt failed (also counted
    /// as abandoned).
    pub unreached: u64,
    /// Total wait of served or abandoned clients by when they arrived: in
    /// the first or the second half of the warm-up-to-horizon window (a
    /// warm-up too short shows as a difference).
    pub wait_halves: [Tally; 2],
    /// Served clients who were problem cases.
    pub problem_cases: u64,
    /// Problem cases a back office caught.
    pub problem_caught: u64,
    /// Money lost to missed problem cases, mis-sale remediation and credit
    /// losses.
    pub risk_losses: f64,
    /// Sum over finished clients of P(leaving within a year).
    pub attrition: f64,
    /// Sum over finished clients of P(leaving) x annual value.
    pub value_at_risk: f64,
    /// Feedback's extra new business (annual value) over finished clients.
    pub feedback_value: f64,
    /// Served clients whose need the last contact did not resolve
    /// (`resolves` < 1): their journey ended unresolved.
    pub unresolved: u64,
    /// Satisfaction points (0-100) the continuity term added, summed over
    /// finished clients.
    pub continuity_points: f64,
    /// Finished clients who reached a staffed tier (served there, or
    /// abandoned or turned away there): the measures at the first staffed
    /// tier below count among them.
    pub staffed_finished: u64,
    /// Of those, admitted (served or abandoned).
    pub staffed_admitted: u64,
    /// Admitted clients who waited before their first staffed service (or
    /// never had one).
    pub staffed_waited: u64,
    /// Admitted clients whose first staffed service started within the
    /// service-level threshold (waits summed over the journey until then).
    pub staffed_within: u64,
    /// Clients resolved at the first staffed tier they reached: no
    /// hand-off after it, no repeat contact.
    pub staffed_first_contact: u64,
    /// Redials: attempts after the first (`arrived` counts first attempts).
    pub redials: u64,
    /// Minutes clients spent between a failed attempt and their redial.
    pub redial_minutes: f64,
    /// Repeat contacts: contacts again about a need an earlier contact
    /// left unresolved.
    pub repeat_contacts: u64,
    /// Status-chasing contacts made while cases waited in back offices
    /// with their status not visible (kept apart from the journeys: not in
    /// `arrived`, `served`, `abandoned`, `blocked` or `inside`).
    pub chasing_contacts: u64,
    /// Of those, served at the front line.
    pub chasing_served: u64,
    /// Of those, lost: abandoned, blocked or never reached by a call-back.
    pub chasing_lost: u64,
    /// Of those, still inside when the replication stopped.
    pub chasing_inside: u64,
}

impl ClientCounts {
    /// Tallies the waits of a client leaving after admission (served or
    /// abandoned). A client never served could not start on arrival and
    /// misses the service level.
    #[inline(always)]
    pub(super) fn record_admitted(&mut self, c: &Client, threshold: f64, midpoint: f64) {
        self.wait.add(c.wait);
        self.wait_halves[(c.arrival >= midpoint) as usize].add(c.wait);
        self.wait_histogram.record(c.wait);
        if !c.started || c.first_wait > 0.0 {
            self.waited += 1;
        }
        if c.started && c.first_wait <= threshold {
            self.within_service_level += 1;
        }
    }

    /// The `*_staffed` counts when the first step is the first staffed
    /// tier (no chatbot in the model): the first step's own.
    pub(super) fn staffed_from_first_step(&mut self) {
        self.staffed_finished = self.finished;
        self.staffed_admitted = self.served + self.abandoned;
        self.staffed_waited = self.waited;
        self.staffed_within = self.within_service_level;
        self.staffed_first_contact = self.first_contact;
    }

    /// Adds another segment's counts.
    pub fn merge(&mut self, other: &ClientCounts) {
        self.arrived += other.arrived;
        self.served += other.served;
        self.abandoned += other.abandoned;
        self.blocked += other.blocked;
        self.inside += other.inside;
        self.wait.merge(&other.wait);
        self.wait_served.merge(&other.wait_served);
        self.waited += other.waited;
        self.within_service_level += other.within_service_level;
        self.sojourn.merge(&other.sojourn);
        self.wait_histogram.merge(&other.wait_histogram);
        self.finished += other.finished;
        self.satisfaction.merge(&other.satisfaction);
        self.top_box += other.top_box;
        self.complaints += other.complaints;
        self.formal_complaints += other.formal_complaints;
        self.first_contact += other.first_contact;
        self.handoffs.merge(&other.handoffs);
        self.deflected += other.deflected;
        self.sales += other.sales;
        self.mis_sales += other.mis_sales;
        self.revenue += other.revenue;
        self.booked += other.booked;
        self.own_rm += other.own_rm;
        self.unreached += other.unreached;
        self.wait_halves[0].merge(&other.wait_halves[0]);
        self.wait_halves[1].merge(&other.wait_halves[1]);
        self.problem_cases += other.problem_cases;
        self.problem_caught += other.problem_caught;
        self.risk_losses += other.risk_losses;
        self.attrition += other.attrition;
        self.value_at_risk += other.value_at_risk;
        self.feedback_value += other.feedback_value;
        self.unresolved += other.unresolved;
        self.continuity_points += other.continuity_points;
        self.staffed_finished += other.staffed_finished;
        self.staffed_admitted += other.staffed_admitted;
        self.staffed_waited += other.staffed_waited;
        self.staffed_within += other.staffed_within;
        self.staffed_first_contact += other.staffed_first_contact;
        self.redials += other.redials;
        self.redial_minutes += other.redial_minutes;
        self.repeat_contacts += other.repeat_contacts;
        self.chasing_contacts += other.chasing_contacts;
        self.chasing_served += other.chasing_served;
        self.chasing_lost += other.chasing_lost;
        self.chasing_inside += other.chasing_inside;
    }
}

/// Outcomes of the clients with one request type in one replication.
#[derive(Clone, Debug, Default)]
pub struct RequestCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients served to the final answer.
    pub served: u64,
    /// Arrival to final answer of each served client, minutes.
    pub turnaround: Tally,
    /// Satisfaction score (0-100) of each finished client.
    pub satisfaction: Tally,
    /// Sales made.
    pub sales: u64,
    /// Revenue of the sales.
    pub revenue: f64,
    /// Redials of clients with this request type.
    pub redials: u64,
    /// Repeat contacts of clients with this request type.
    pub repeat_contacts: u64,
    /// Status-chasing contacts about cases of this request type.
    pub chasing_contacts: u64,
}

/// Per-visit outcomes at one tier in one replication.
#[derive(Clone, Debug, Default)]
pub struct TierCounts {
    /// Visits that arrived at the tier.
    pub arrived: u64,
    /// Visits that ended with service.
    pub served: u64,
    /// Visits that ended in abandonment.
    pub abandoned: u64,
    /// Visits turned away by a full queue.
    pub blocked: u64,
    /// Served visits passed on to another tier.
    pub escalated: u64,
    /// Wait of each served or abandoned visit.
    pub wait: Tally,
    /// Wait of each served visit.
    pub wait_served: Tally,
    /// Served or abandoned visits that had to queue.
    pub waited: u64,
    /// Served or abandoned visits whose service started within the
    /// threshold.
    pub within_service_level: u64,
    /// Joining the tier to service end, served visits.
    pub sojourn: Tally,
    /// Time-average number of clients waiting, warm-up to horizon.
    pub queue_len_mean: f64,
    /// Time-average number of busy servers, warm-up to horizon.
    pub busy_mean: f64,
    /// Time-average number of servers on duty, warm-up to horizon.
    pub servers_mean: f64,
    /// Minutes served beyond the roster (finishing a client after a shift
    /// end or a break start), warm-up to horizon.
    pub overtime_minutes: f64,
    /// Per slot of the day: minutes of clients waiting, of busy servers
    /// on duty, and of servers on duty, warm-up to horizon.
    pub slot_queue: Vec<f64>,
    /// See `slot_queue`.
    pub slot_busy: Vec<f64>,
    /// See `slot_queue`.
    pub slot_servers: Vec<f64>,
    /// Minutes of the window in each slot.
    pub slot_exposure: Vec<f64>,
    /// The tier's servers (unlimited for a chatbot: utilization is
    /// undefined).
    pub servers: Servers,
    /// Clients one server serves at once.
    pub sessions: u32,
    /// Time-average servers available for clients (on duty, not on
    /// non-client work), warm-up to horizon.
    pub available_mean: f64,
    /// Time-average servers on outbound calls, warm-up to horizon.
    pub outbound_mean: f64,
    /// Outbound calls made.
    pub outbound_calls: u64,
    /// Sales from outbound calls.
    pub outbound_sales: u64,
    /// Revenue of those sales.
    pub outbound_revenue: f64,
    /// Call-back attempts made.
    pub callback_attempts: u64,
    /// Call-back attempts that failed to reach the client.
    pub callback_failures: u64,
    /// Visits that left a dedicated RM's queue for the overflow tier.
    pub overflowed: u64,
    /// Time on the call-back list before each call-back attempt (not on
    /// the line; `wait` includes it for the final attempt).
    pub callback_wait: Tally,
    /// Per agent group, in model order (empty for a tier without groups).
    pub groups: Vec<GroupCounts>,
    /// Waiting visits offered a virtual-hold call-back.
    pub callback_offered: u64,
    /// Of those, visits that took it.
    pub callback_accepted: u64,
}

/// What one agent group of a tier did in one replication.
#[derive(Clone, Debug, Default)]
pub struct GroupCounts {
    /// Agents in the group.
    pub servers: u32,
    /// Time-average busy agents, warm-up to horizon.
    pub busy_mean: f64,
    /// Services the group's agents began for counted clients.
    pub served: u64,
    /// Of those, of a class at the group's rank 2 or more (off-skill).
    pub off_skill: u64,
    /// Services begun per skill, in the order of the group's `skills`.
    pub by_skill: Vec<u64>,
    /// Individual agents and group rosters (see `agents.rs`).
    pub staffing: super::agents::GroupStaffing,
}

/// Everything one replication measured.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    /// Per segment, in model order.
    pub segments: Vec<ClientCounts>,
    /// Per tier, in model order.
    pub tiers: Vec<TierCounts>,
    /// Per slot of the day (by arrival time), all segments.
    pub slots: Vec<SlotCounts>,
    /// Per request type, in model order; empty when the model declares no
    /// request types (one implicit type).
    pub requests: Vec<RequestCounts>,
    /// Events taken from the calendar (including stale ones skipped).
    pub events: u64,
    /// Set when the replication stopped early at `run.max_clients_inside`
    /// (its counts are then partial).
    pub overload: Option<Overload>,
    /// Per simulated day (by arrival; `days.rs`), with `run.day_quantile`
    /// only: empty otherwise.
    pub days: Vec<SlotCounts>,
}

/// Outcomes of the clients who arrived in one slot of the day.
#[derive(Clone, Debug, Default)]
pub struct SlotCounts {
    /// Clients that arrived.
    pub arrived: u64,
    /// Clients that abandoned.
    pub abandoned: u64,
    /// Served or abandoned clients.
    pub admitted_finished: u64,
    /// Total wait of served or abandoned clients.
    pub wait: Tally,
    /// Served or abandoned clients whose first service started within the
    /// threshold.
    pub within_service_level: u64,
    /// Satisfaction of finished clients.
    pub satisfaction: Tally,
}

impl SlotCounts {
    /// Tallies a finished journey of client `c` (satisfaction `p`, the
    /// top-box probability; `admitted`: served or abandoned from a queue)
    /// in this slot (or day) of its arrival.
    #[inline(always)]
    pub(super) fn record(&mut self, c: &Client, p: f64, admitted: bool, threshold: f64) {
        self.satisfaction.add(100.0 * p);
        if admitted {
            self.admitted_finished += 1;
            self.wait.add(c.wait);
            self.within_service_level += (c.started && c.first_wait <= threshold) as u64;
        }
        if c.phase == super::client::Phase::Waiting {
            self.abandoned += 1;
        }
    }
}

/// Slot of the day of time `t`.
#[inline]
pub(super) fn slot_of(t: f64, slot_len: f64, slots: usize) -> usize {
    ((t / slot_len).floor() as usize) % slots
}
