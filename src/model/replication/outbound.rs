//! Outbound sales calls made by servers who would otherwise be idle.

use rand::Rng;

use super::Event;
use super::state::Replication;
use crate::engine::Time;

impl Replication<'_> {
    /// Idle servers at a tier with outbound calls start them, keeping
    /// `keep_idle` servers free for clients.
    #[inline]
    pub(super) fn try_outbound(&mut self, tier: usize, t: f64) {
        if self.model.tiers[tier].outbound.is_some() {
            self.start_outbound(tier, t);
        }
    }

    /// See [`Replication::try_outbound`].
    pub(super) fn start_outbound(&mut self, tier: usize, t: f64) {
        let Some(outbound) = &self.model.tiers[tier].outbound else {
            return;
        };
        // Outbound work, like arrivals, stops at the horizon.
        if t >= self.model.run.horizon {
            return;
        }
        let ts = &mut self.tiers[tier];
        while ts.waiting == 0 && ts.busy + 1 + outbound.keep_idle * ts.sessions <= ts.capacity {
            ts.add_busy(t, 1);
            ts.outbound_busy += 1;
            ts.outbound.change(t, 1.0);
            let length = outbound.call.sample(&mut ts.outbound_stream);
            self.calendar
                .schedule(Time(t + length), Event::OutboundEnd { tier: tier as u32 });
        }
    }

    /// An outbound call ends, with a sale or not; the server is free again.
    pub(super) fn outbound_end(&mut self, tier: usize, t: f64) {
        let outbound = self.model.tiers[tier]
            .outbound
            .as_ref()
            .expect("outbound calls come from a tier that makes them");
        let ts = &mut self.tiers[tier];
        ts.add_busy(t, -1);
        ts.outbound_busy -= 1;
        ts.outbound.change(t, -1.0);
        let sale = ts.outbound_stream.random::<f64>() < outbound.sale_probability;
        if t >= self.warmup {
            ts.counts.outbound_calls += 1;
            if sale {
                ts.counts.outbound_sales += 1;
                ts.counts.outbound_revenue += outbound.revenue_per_sale;
            }
        }
        self.serve_next(tier, t);
        self.try_outbound(tier, t);
    }
}
