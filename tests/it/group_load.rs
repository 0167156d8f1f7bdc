//! The offered-load estimate at a tier of agent groups (issue 17, item 3):
//! `check`'s utilization and `plan`'s analytic start scale the service
//! time by the agents' mean service-time factor (the mean of
//! `agent_speed` over each agent's tenure efficiency, weighted by time on
//! duty) and count new hires on duty from the week they join. Checked
//! against the value worked by hand.

use tiersim::model::{mean_offered_loads, offered_loads};
use tiersim::scenario::parse;

/// 120 clients an hour, 2-minute services (4 Erlangs of tenured work),
/// 4 staff of drawn speed factor mean 1.25, and 2 hires in week 1 at
/// efficiency 0.5, then 0.8 from week 2, over a 4-week run.
fn scenario(agents: &str) -> tiersim::scenario::Scenario {
    let source = format!(
        r#"name = "group-load"
[run]
horizon = 40320.0
replications = 2
service_level_threshold = 1.0
[[segment]]
name = "s"
rate_per_hour = 120.0
[[tier]]
name = "desk"
service = {{ dist = "exponential", mean = 2.0 }}
[[tier.group]]
name = "staff"
servers = 4
skills = {{ default = 1 }}
{agents}
"#
    );
    parse(&source, "group-load.toml").unwrap()
}

#[test]
fn drawn_speeds_and_tenure_scale_the_offered_load_exactly() {
    let s = scenario(
        "agent_speed = { dist = \"lognormal\", mean = 1.25, cv = 0.3 }\n\
         new_hires = { count = 2, start_week = 1, efficiency_curve = [0.5, 0.8] }",
    );
    // Agent-weeks: staff 4 x 4 = 16 at factor 1.25; hires 2 in week 1 at
    // 1.25 / 0.5 = 2.5, 2 x 2 in weeks 2-3 at 1.25 / 0.8 = 1.5625. So 22
    // agent-weeks (5.5 agents on duty on average) and a factor of
    // (20 + 5 + 6.25) / 22 = 31.25 / 22.
    for load in [
        &offered_loads(&s.model)[0],
        &mean_offered_loads(&s.model)[0],
    ] {
        let factor = 31.25 / 22.0;
        assert!((load.offered_load - 4.0 * factor).abs() < 1e-12, "{load:?}");
        assert!((load.on_duty - 5.5).abs() < 1e-12, "{load:?}");
        assert!((load.utilization - 125.0 / 121.0).abs() < 1e-12, "{load:?}");
        assert!(load.unbounded, "over capacity, nobody abandons");
    }
    // Identical agents: the tier's service time and its servers, as before.
    let plain = &offered_loads(&scenario("").model)[0];
    assert_eq!((plain.offered_load, plain.on_duty), (4.0, 4.0));
    // A degenerate speed of 1 and hires at efficiency 1 from week 0: the
    // same load as 6 plain agents.
    let same = scenario(
        "agent_speed = { dist = \"deterministic\", mean = 1.0 }\n\
         new_hires = { count = 2, start_week = 0, efficiency_curve = [1.0] }",
    );
    let same = &offered_loads(&same.model)[0];
    assert_eq!(same.offered_load, 4.0);
    assert!((same.on_duty - 6.0).abs() < 1e-12);
}

/// Issue 17's spelling: `speed = { dist = ... }` in a group is each
/// agent's drawn factor, the very model `agent_speed` gives (and so the
/// same run); a `speed` table of skill names stays the per-skill factor.
#[test]
fn speed_with_a_dist_is_agent_speed() {
    let dist = "{ dist = \"lognormal\", mean = 1.25, cv = 0.3 }";
    let issue = scenario(&format!("speed = {dist}"));
    let contract = scenario(&format!("agent_speed = {dist}"));
    let groups = |s: &tiersim::scenario::Scenario| s.model.tiers[0].groups.clone().unwrap();
    assert!(groups(&issue).groups[0].agents.speed.is_some());
    assert_eq!(groups(&issue), groups(&contract));
    let per_skill = scenario("speed = { default = 1.5 }");
    let g = &groups(&per_skill).groups[0];
    assert!(g.agents.speed.is_none());
    assert!(g.speed.iter().all(|&f| f == 1.5));
}
