//! Warnings for individual agents: new hires who join after the horizon
//! never serve anyone.

use crate::model::Model;

/// Groups whose `new_hires` join after the run's horizon.
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let horizon = model.run.horizon;
    let mut out = Vec::new();
    for t in &model.tiers {
        for g in t.groups.iter().flat_map(|gs| &gs.groups) {
            if let Some(h) = g
                .agents
                .new_hires
                .as_ref()
                .filter(|h| h.joins_at() >= horizon)
            {
                out.push(format!(
                    "tier `{}` group `{}`: new_hires start_week = {} (minute {}) is at or after the horizon ({horizon} minutes): the hires never join",
                    t.name,
                    g.name,
                    h.start_week,
                    h.joins_at()
                ));
            }
        }
    }
    out
}
