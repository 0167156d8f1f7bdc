//! Trading agents between groups: after removals, an agent of a dearer
//! group is swapped for one to [`MAX_TRADE`] agents of a cheaper group of
//! the same tier that can do some of the same work, when that costs less
//! and every target still holds ("two cross-trained juniors instead of
//! one senior"); between two groups staffed by `shifts`, slot by slot. Removal alone cannot find such a plan: it only ever takes
//! agents away.

use super::evaluate::Judged;
use super::groups::{GroupPlan, Trial, Unit, share_work};
use super::search::{MAX_EVALUATIONS, Search};

/// Most agents of a cheaper group one agent of a dearer group is traded
/// for.
pub const MAX_TRADE: u32 = 3;

/// A trade: `(saving per hour, from, to, agents)`.
type Trade = (f64, Unit, Unit, u32);

impl Search<'_> {
    /// Phase 3b: trades while one keeps every target and lowers the cost,
    /// the largest saving first (so one-for-one before two-for-one). A
    /// rejected trade is not tried again until a trade is accepted.
    /// Returns the last accepted judged run and whether any was.
    pub(super) fn trade_while_cheaper(
        &mut self,
        staffing: &mut Trial,
        mut current: Judged,
    ) -> (Judged, bool) {
        let mut rejected: Vec<(Unit, Unit, u32)> = Vec::new();
        let mut changed = false;
        loop {
            let mut trades = self.trades(staffing);
            trades.retain(|t| !rejected.contains(&(t.1, t.2, t.3)));
            if trades.is_empty() || self.ev.evaluations >= MAX_EVALUATIONS {
                return (current, changed);
            }
            trades.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.3.cmp(&b.3)));
            let (_, from, to, k) = trades[0];
            *staffing.at(from) -= 1;
            *staffing.at(to) += k;
            let trial = self
                .ev
                .judge(staffing, self.model.run.seed, "trading agents");
            if trial.ok() {
                current = trial;
                changed = true;
                rejected.clear();
            } else {
                *staffing.at(from) += 1;
                *staffing.at(to) -= k;
                rejected.push((from, to, k));
            }
        }
    }

    /// Every trade that lowers the cost: `from` above its minimum, `to`
    /// cheaper than `from` per agent times `agents`, at the same tier,
    /// sharing work, within `plan.max_servers`. Between two groups staffed
    /// by `servers` an agent for the week; between two staffed by
    /// `shifts` an agent in one slot (where the cheaper group has load);
    /// none between the two kinds.
    fn trades(&self, staffing: &Trial) -> Vec<Trade> {
        let max = self.goals.plan.max_servers;
        let mut out = Vec::new();
        for a in &self.groups {
            for b in &self.groups {
                let pair = (a.tier, a.group) != (b.tier, b.group)
                    && a.tier == b.tier
                    && a.by_slot() == b.by_slot()
                    && share_work(self.model, a, b);
                if !pair {
                    continue;
                }
                let units: Vec<(Unit, Unit)> = if a.by_slot() {
                    (0..self.grid.len())
                        .filter(|&s| b.slot_loads[s] > 0.0)
                        .map(|s| {
                            let at = |p: &GroupPlan| Unit::GroupSlot(p.tier, p.group, s);
                            (at(a), at(b))
                        })
                        .collect()
                } else {
                    vec![(Unit::Group(a.tier, a.group), Unit::Group(b.tier, b.group))]
                };
                for (from, to) in units {
                    if staffing.get(from) <= self.minimum(from) {
                        continue;
                    }
                    for k in 1..=MAX_TRADE {
                        let saving = a.hourly - f64::from(k) * b.hourly;
                        if saving <= 1e-9 * a.hourly || staffing.get(to) + k > max {
                            break;
                        }
                        out.push((saving, from, to, k));
                    }
                }
            }
        }
        out
    }
}
