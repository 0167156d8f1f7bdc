//! Warnings for `segment.promote_after` (time-in-queue promotion): a
//! promotion that can change nothing is said, not silently ignored.

use crate::model::{Discipline, Model, TierKind};

/// A `promote_after` that promotes nobody: the segment is already served
/// first, or no tier orders its queue by priority.
pub(super) fn warnings(model: &Model) -> Vec<String> {
    let first = model.segments.iter().map(|s| s.priority).min().unwrap_or(0);
    let by_priority = model.tiers.iter().any(|t| {
        t.discipline == Discipline::Priority
            && matches!(t.kind, TierKind::Staffed)
            && !t.servers.is_unlimited()
    });
    model
        .segments
        .iter()
        .filter(|s| s.promote_after.is_finite())
        .filter_map(|s| {
            let why = if s.priority == first {
                "its priority is already the first served"
            } else if !by_priority {
                "no staffed tier serves by priority (every one has discipline = \"fifo\")"
            } else {
                return None;
            };
            Some(format!(
                "segment `{}`: promote_after = {} promotes nobody: {why}",
                s.name, s.promote_after
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::scenario::parse;

    const BASE: &str = r#"name = "p"
[run]
horizon = 100.0
replications = 2
service_level_threshold = 1.0
[[segment]]
name = "vip"
rate_per_hour = 10.0
priority = 0
[[segment]]
name = "retail"
rate_per_hour = 10.0
priority = 1
promote_after = 5.0
[[tier]]
name = "t"
servers = 2
service = { dist = "exponential", mean = 1.0 }
"#;

    #[test]
    fn a_promotion_that_changes_nothing_is_warned_about() {
        let ok = parse(BASE, "p.toml").unwrap();
        assert!(!ok.warnings.iter().any(|w| w.contains("promote_after")));
        let top = BASE.replace("priority = 1\npromote_after", "priority = 0\npromote_after");
        let w = parse(&top, "p.toml").unwrap().warnings;
        assert!(
            w.iter().any(|w| w.contains("already the first served")),
            "{w:?}"
        );
        let fifo = format!("{BASE}discipline = \"fifo\"\n");
        let w = parse(&fifo, "p.toml").unwrap().warnings;
        assert!(
            w.iter()
                .any(|w| w.contains("no staffed tier serves by priority")),
            "{w:?}"
        );
        assert_eq!(
            parse(&top, "p.toml").unwrap().model.segments[1].promote_after,
            5.0
        );
    }
}
