//! Contact records for the journeys file: as each contact of a client
//! arriving after the warm-up ends, its record (see `model::contact`) is
//! handed to the replication's sink, with the journey's score when the
//! journey ended with it; clients still inside at the end are handed last.
//!
//! Without a sink (no `--journeys`) each contact's end costs one
//! predictable test of a bool and nothing else: the records are built in
//! cold functions only when recording, and the per-contact fields they
//! need ([`ContactState`]) live in a side table beside the slab that is
//! empty unless recording, so they do not weigh on the client record.

use super::client::Phase;
use super::state::Replication;
use crate::model::ContactKind::First;
use crate::model::outcome::Journey;
use crate::model::{ContactKind, ContactOutcome, ContactRecord, JourneyScore};

/// The journeys file's fields of a client's current contact, kept only
/// while recording (`Replication::contacts`, indexed like the slab).
#[derive(Clone, Copy, Debug)]
pub(super) struct ContactState {
    /// The client's number in the replication (1 for the first arrival).
    serial: u64,
    /// The current contact: its number (1 for the first), what brought
    /// it about, when it began, and the hand-offs before it.
    contact: u16,
    kind: ContactKind,
    start: f64,
    cold: u16,
    warm: u16,
    /// Visits to any tier before the current contact.
    visits: u32,
    /// When the first service on the line of the current contact began
    /// (set by `start_service`); NaN until then. A call-back reaching a
    /// client who took a virtual hold starts the client's service
    /// (`started`) but not one on the line, so it leaves this NaN and the
    /// contact's `service_start` empty.
    pub(super) first_start: f64,
    /// Between contacts: a redial or repeat contact is pending.
    returning: bool,
}

impl Replication<'_> {
    /// Client `id` arrived at `t` (the `arrivals_seen`-th arrival): its
    /// first contact begins.
    #[inline(always)]
    pub(super) fn open_contact(&mut self, id: u32, t: f64) {
        if self.recording {
            self.open_contact_state(id, t);
        }
    }

    #[cold]
    #[inline(never)]
    fn open_contact_state(&mut self, id: u32, t: f64) {
        let state = ContactState {
            serial: self.arrivals_seen,
            contact: 1,
            kind: First,
            start: t,
            cold: 0,
            warm: 0,
            visits: 0,
            first_start: f64::NAN,
            returning: false,
        };
        let id = id as usize;
        if self.contacts.len() <= id {
            self.contacts.resize(id + 1, state);
        }
        self.contacts[id] = state;
    }

    /// Client `id`'s contact ended and another (a redial or a repeat
    /// contact) is pending: it is numbered, with the hand-offs and visits
    /// before it.
    pub(super) fn close_contact(&mut self, id: u32) {
        if !self.recording {
            return;
        }
        let c = &self.clients[id as usize];
        let s = &mut self.contacts[id as usize];
        s.contact = s.contact.saturating_add(1);
        s.cold = c.cold_handoffs;
        s.warm = c.warm_handoffs;
        s.visits = c.total_visits;
        s.returning = true;
    }

    /// Client `id`'s pending contact (`kind`) begins at `t`.
    pub(super) fn resume_contact(&mut self, id: u32, t: f64, kind: ContactKind) {
        if !self.recording {
            return;
        }
        let s = &mut self.contacts[id as usize];
        s.start = t;
        s.kind = kind;
        s.first_start = f64::NAN;
        s.returning = false;
    }

    /// The record of the client's current contact ending with `outcome` at
    /// `end`, when recording and the client is counted.
    #[inline(always)]
    pub(super) fn contact_record(
        &self,
        id: u32,
        outcome: ContactOutcome,
        end: Option<f64>,
    ) -> Option<ContactRecord> {
        if !self.recording {
            return None;
        }
        self.build_record(id, outcome, end)
    }

    #[cold]
    #[inline(never)]
    fn build_record(
        &self,
        id: u32,
        outcome: ContactOutcome,
        end: Option<f64>,
    ) -> Option<ContactRecord> {
        let c = &self.clients[id as usize];
        // A chasing contact is not a journey (it belongs to another
        // client's case): no row of its own.
        if !c.counted || c.chase_contact {
            return None;
        }
        let s = &self.contacts[id as usize];
        // The last service's end is known once it is over: not for a
        // client inside still in (or interrupted in) service.
        let over = outcome != ContactOutcome::Inside || c.phase == Phase::Waiting;
        Some(ContactRecord {
            client: s.serial,
            segment: c.segment as usize,
            request: c.request as usize,
            channel: (!self.model.channels.is_empty()).then_some(c.channel as usize),
            attempt: s.contact as u32,
            kind: s.kind,
            tier: (c.total_visits > s.visits).then_some(c.tier as usize),
            arrival: s.start,
            service_start: (c.started && !s.first_start.is_nan()).then_some(s.first_start),
            service_end: (c.started && over).then_some(c.service_end),
            end,
            wait: c.wait,
            cold_handoffs: c.cold_handoffs.saturating_sub(s.cold) as u32,
            warm_handoffs: c.warm_handoffs.saturating_sub(s.warm) as u32,
            outcome,
            then: ContactKind::First,
            score: None,
        })
    }

    /// Hands `record` (if any) to the sink, followed by `then` (`First`:
    /// nothing follows), with the journey's score when it ended here.
    #[inline(always)]
    pub(super) fn emit(&mut self, record: Option<ContactRecord>, then: ContactKind) {
        if let Some(record) = record {
            self.emit_record(record, then);
        }
    }

    #[cold]
    #[inline(never)]
    fn emit_record(&mut self, mut record: ContactRecord, then: ContactKind) {
        record.then = then;
        let ended = then == ContactKind::First && record.outcome != ContactOutcome::Inside;
        record.score = if ended { self.score.take() } else { None };
        if let Some(sink) = self.sink.as_mut() {
            sink.record(&record);
        }
    }

    /// Keeps the score of the journey just scored, for its last contact's
    /// record.
    #[cold]
    #[inline(never)]
    pub(super) fn keep_score(&mut self, journey: &Journey, p: f64, sale: bool) {
        self.score = Some(JourneyScore {
            utility: self.scorer.utility(journey),
            satisfaction: 100.0 * p,
            sale,
        });
    }

    /// Hands the records of the contacts still going on at the end (not
    /// those of clients between contacts: theirs ended and were handed).
    pub(super) fn record_inside(&mut self) {
        if !self.recording {
            return;
        }
        for id in 0..self.clients.len() as u32 {
            let c = &self.clients[id as usize];
            // Chasing contacts have no contact state (and no row).
            if c.phase != Phase::Free && !c.chase_contact && !self.contacts[id as usize].returning {
                let record = self.contact_record(id, ContactOutcome::Inside, None);
                self.emit(record, ContactKind::First);
            }
        }
    }
}
