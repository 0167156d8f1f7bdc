//! Contact records for the journeys file: as each contact of a client
//! arriving after the warm-up ends, its record (see `model::contact`) is
//! handed to the replication's sink, with the journey's score when the
//! journey ended with it; clients still inside at the end are handed last.
//!
//! Without a sink (no `--journeys`) each contact's end costs one
//! predictable test of a bool and nothing else: the records are built in
//! cold functions only when recording.

use super::client::Phase;
use super::state::Replication;
use crate::model::outcome::Journey;
use crate::model::{ContactKind, ContactOutcome, ContactRecord, JourneyScore};

impl Replication<'_> {
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
        if !c.counted {
            return None;
        }
        // The last service's end is known once it is over: not for a
        // client inside still in (or interrupted in) service.
        let over = outcome != ContactOutcome::Inside || c.phase == Phase::Waiting;
        Some(ContactRecord {
            client: c.serial,
            segment: c.segment as usize,
            request: c.request as usize,
            channel: (!self.model.channels.is_empty()).then_some(c.channel as usize),
            attempt: c.contact as u32,
            kind: c.contact_kind,
            tier: (c.total_visits > c.contact_visits).then_some(c.tier as usize),
            arrival: c.contact_start,
            service_start: c.started.then_some(c.first_start),
            service_end: (c.started && over).then_some(c.service_end),
            end,
            wait: c.wait,
            cold_handoffs: c.cold_handoffs.saturating_sub(c.contact_cold) as u32,
            warm_handoffs: c.warm_handoffs.saturating_sub(c.contact_warm) as u32,
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
            if c.phase != Phase::Free && !c.returning {
                let record = self.contact_record(id, ContactOutcome::Inside, None);
                self.emit(record, ContactKind::First);
            }
        }
    }
}
