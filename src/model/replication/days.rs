//! Per-day tallies (`--day-quantile Q`): the counted clients' outcomes by
//! the simulated day they arrived in (day d covers minutes [1440 d,
//! 1440 (d + 1)) of the run), so that the summary can give the service
//! level, abandonment and mean wait on the Q-quantile day beside the mean.
//! Kept only when `run.day_quantile` asks (the loop then takes its `Full`
//! instance); one small entry per day, so memory grows with the days
//! simulated and nothing else. A run that does not ask never reaches this
//! file.

use super::counts::SlotCounts;
use super::state::Replication;
use crate::model::week::DAY;

impl Replication<'_> {
    /// Tallies the finished journey of client `id` (satisfaction `p`;
    /// `admitted`: served or abandoned) in the day of its arrival.
    pub(super) fn record_day(&mut self, id: u32, p: f64, admitted: bool) {
        let c = &self.clients[id as usize];
        let day = (c.arrival / DAY).floor() as usize;
        if day >= self.days.len() {
            self.days.resize(day + 1, SlotCounts::default());
        }
        self.days[day].record(c, p, admitted, self.threshold);
        // `arrived` of a day: its journeys that finished (clients still
        // inside when the run stopped are not in the day's figures).
        self.days[day].arrived += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::two_tier;
    use super::super::simulate;
    use crate::model::metrics::overall;

    /// The days partition the counted journeys: their admitted clients,
    /// abandonments, within-threshold clients and waits add up to the
    /// replication's own, and a run that does not ask keeps no days.
    #[test]
    fn days_add_up_to_the_replication() {
        let mut model = two_tier(3);
        model.run.horizon = 3.5 * 1440.0;
        assert!(simulate(&model, 0).days.is_empty());
        model.run.day_quantile = Some(0.9);
        let r = simulate(&model, 0);
        assert_eq!(r.days.len(), 4);
        let all = overall(&r.segments);
        let sum = |f: fn(&super::SlotCounts) -> u64| r.days.iter().map(f).sum::<u64>();
        assert_eq!(sum(|d| d.admitted_finished), all.served + all.abandoned);
        assert_eq!(sum(|d| d.abandoned), all.abandoned);
        assert_eq!(sum(|d| d.within_service_level), all.within_service_level);
        assert_eq!(sum(|d| d.arrived), all.finished);
        let wait: f64 = r.days.iter().map(|d| d.wait.sum).sum();
        assert!((wait - all.wait.sum).abs() < 1e-9 * all.wait.sum.max(1.0));
        // Asking changes nothing else.
        model.run.day_quantile = None;
        let plain = simulate(&model, 0);
        assert_eq!(format!("{:?}", plain.segments), format!("{:?}", r.segments));
    }
}
