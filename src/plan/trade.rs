//! Trading agents between groups: after removals, an agent of a dearer
//! group is swapped for one to [`MAX_TRADE`] agents of a cheaper group of
//! the same tier that can do some of the same work, when that costs less
//! and every target still holds ("two cross-trained juniors instead of
//! one senior"). Removal alone cannot find such a plan: it only ever takes
//! agents away.

use super::evaluate::Judged;
use super::groups::{Trial, share_work};
use super::search::{MAX_EVALUATIONS, Search};

/// Most agents of a cheaper group one agent of a dearer group is traded
/// for.
pub const MAX_TRADE: u32 = 3;

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
        let mut rejected: Vec<(usize, usize, u32)> = Vec::new();
        let mut changed = false;
        loop {
            let mut trades = self.trades(staffing);
            trades.retain(|t| !rejected.contains(&(t.1, t.2, t.3)));
            if trades.is_empty() || self.ev.evaluations >= MAX_EVALUATIONS {
                return (current, changed);
            }
            trades.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.3.cmp(&b.3)));
            let (_, from, to, k) = trades[0];
            let (f, t) = (&self.groups[from], &self.groups[to]);
            let ((ft, fg), (tt, tg)) = ((f.tier, f.group), (t.tier, t.group));
            staffing.groups[ft][fg] -= 1;
            staffing.groups[tt][tg] += k;
            let trial = self
                .ev
                .judge(staffing, self.model.run.seed, "trading agents");
            if trial.ok() {
                current = trial;
                changed = true;
                rejected.clear();
            } else {
                staffing.groups[ft][fg] += 1;
                staffing.groups[tt][tg] -= k;
                rejected.push((from, to, k));
            }
        }
    }

    /// Every trade `(saving per hour, from, to, agents)` that lowers the
    /// cost: `from` above its minimum, `to` cheaper than `from` per agent
    /// times `agents`, at the same tier, sharing work, within
    /// `plan.max_servers`.
    fn trades(&self, staffing: &Trial) -> Vec<(f64, usize, usize, u32)> {
        let max = self.goals.plan.max_servers;
        let mut out = Vec::new();
        for (i, a) in self.groups.iter().enumerate() {
            if staffing.groups[a.tier][a.group] <= a.minimum {
                continue;
            }
            for (j, b) in self.groups.iter().enumerate() {
                if i == j || a.tier != b.tier || !share_work(self.model, a, b) {
                    continue;
                }
                for k in 1..=MAX_TRADE {
                    let saving = a.hourly - f64::from(k) * b.hourly;
                    if saving <= 1e-9 * a.hourly || staffing.groups[b.tier][b.group] + k > max {
                        break;
                    }
                    out.push((saving, i, j, k));
                }
            }
        }
        out
    }
}
