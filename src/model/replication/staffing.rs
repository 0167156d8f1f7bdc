//! Staffing and rosters: shifts, breaks and non-client work change the
//! servers on duty and available over the week.

use super::Event;
use super::state::{Replication, TierState};
use crate::engine::Time;
use crate::model::week::WEEK;
use crate::model::{Servers, Tier, TierKind};

impl Servers {
    /// The staffing of model tier `t` in a replication: a grouped tier's
    /// roster is its groups' (`group_shifts`), so its overtime is theirs.
    pub(super) fn of(t: &Tier) -> Servers {
        match t.servers {
            Servers::Rostered(n) if t.groups.is_some() => Servers::Fixed(n),
            servers => servers,
        }
    }
}

impl TierState {
    /// Sets the servers on duty and those available for clients at `t`.
    pub(super) fn set_staffing(&mut self, t: f64, duty: u32, available: u32) {
        self.on_duty.change(t, duty as f64 - self.duty as f64);
        self.available.change(
            t,
            available as f64 - self.capacity as f64 / self.sessions as f64,
        );
        self.duty = duty;
        self.capacity = available * self.sessions;
        self.track_excess(t);
    }

    #[inline]
    pub(super) fn track_excess(&mut self, t: f64) {
        let excess = self.busy.saturating_sub(self.duty * self.sessions) as f64;
        if excess != self.excess.value() {
            self.excess.change(t, excess - self.excess.value());
        }
    }
}

impl Replication<'_> {
    /// Schedules the plan's change after `change` (wrapping to next week).
    pub(super) fn schedule_staffing(&mut self, tier: usize, change: usize, now: f64) {
        let plan = &self.tiers[tier].plan;
        let next = (change + 1) % plan.len();
        let week_start = now - now.rem_euclid(WEEK);
        let mut at = week_start + plan[next].0;
        if at <= now {
            at += WEEK;
        }
        // Staffing goes on after the horizon while clients or cases are
        // still inside (a back office's Monday morning), within the drain,
        // unless a whole week of rosters has passed without anyone leaving
        // (those left can never be served). Before the horizon every
        // change is scheduled, whoever is inside.
        let run = &self.model.run;
        let keep = if now <= run.horizon {
            true
        } else {
            if self.released != self.progress.0 {
                self.progress = (self.released, now);
            }
            self.clients.len() > self.free.len() && now - self.progress.1 < WEEK
        };
        if keep && at <= run.horizon + run.drain_limit {
            self.calendar.schedule(
                Time(at),
                Event::Staffing {
                    tier: tier as u32,
                    change: next as u32,
                },
            );
        }
    }

    /// A shift starts or ends, a break, or non-client work: servers come
    /// on duty (or back to clients) and take waiting clients, or leave as
    /// soon as their client in hand is served (never interrupting service).
    pub(super) fn staffing(&mut self, tier: usize, change: usize, t: f64) {
        let (_, duty, available) = self.tiers[tier].plan[change];
        if self.tiers[tier].pool.is_some() {
            self.group_staffing(tier, change, t);
        } else {
            self.tiers[tier].set_staffing(t, duty, available);
        }
        if self.model.tiers[tier].kind != TierKind::Dedicated && self.tiers[tier].pool.is_none() {
            while self.tiers[tier].waiting > 0 && self.tiers[tier].busy < self.tiers[tier].capacity
            {
                self.serve_next(tier, t);
            }
            self.try_outbound(tier, t);
        }
        self.schedule_staffing(tier, change, t);
    }
}
