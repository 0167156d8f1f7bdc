//! Individual agents and group shifts (issue 17, items 1 and 3) against
//! exact anchors: a speed degenerate at 1 and new hires at full
//! efficiency from week 0 are today's groups byte for byte; two agents of
//! fixed speeds 1 and 2 under `fastest` routing are the heterogeneous
//! M/M/2 with the fastest free server first (its Markov chain solved
//! here); a saturated group serves in each week in proportion to its
//! agents' efficiency; a group with one shift covering the week is
//! `servers` byte for byte, and a group's service follows its roster.

use tiersim::experiment::{self, ScenarioSummary};
use tiersim::model::{Model, simulate};

use crate::common::{assert_agrees, model};
use crate::groups::{measured, two_types};

/// A group of 5 serving both request types, with `extra` lines.
fn five(extra: &str) -> String {
    format!("[[tier.group]]\nname = \"all\"\nservers = 5\nskills = {{ ra = 1, rb = 1 }}\n{extra}")
}

#[test]
fn a_speed_degenerate_at_one_is_todays_group_byte_for_byte() {
    for routing in ["longest_idle", "fastest", "preference"] {
        let desk = |extra: &str| format!("routing = \"{routing}\"\n{}", five(extra));
        let run = |d: &str| experiment::run(&two_types((120.0, 96.0), d, 4, 5_000.0));
        let plain = run(&desk(""));
        let one = run(&desk(
            "agent_speed = { dist = \"deterministic\", mean = 1.0 }",
        ));
        assert_eq!(measured(&plain), measured(&one), "{routing}");
    }
}

#[test]
fn hires_at_full_efficiency_from_week_zero_are_plain_servers_byte_for_byte() {
    for routing in ["longest_idle", "fastest", "preference"] {
        let run = |d: String| {
            experiment::run(&two_types(
                (120.0, 96.0),
                &format!("routing = \"{routing}\"\n{d}"),
                4,
                5_000.0,
            ))
        };
        let plain = run(five(""));
        let hired = run(
            "[[tier.group]]\nname = \"all\"\nservers = 3\nskills = { ra = 1, rb = 1 }\n\
             new_hires = { count = 2, start_week = 0, efficiency_curve = [1.0] }"
                .into(),
        );
        assert_eq!(measured(&plain), measured(&hired), "{routing}");
    }
}

/// The M/M/2 with servers of rates `fast` and `slow` (per minute),
/// arrivals `lambda`, a FIFO queue and the fastest free server taking an
/// arrival: (mean wait, P(fast busy), P(slow busy)) from its Markov chain
/// (states 0, fast only, slow only, and n >= 2 in the system).
fn heterogeneous_mm2(lambda: f64, fast: f64, slow: f64) -> (f64, f64, f64) {
    let rho = lambda / (fast + slow);
    // Unnormalised, with p(2) = 1: balance of "slow only", the cut
    // between one and two in the system, and the empty state.
    let p2 = 1.0;
    let slow_only = fast * p2 / (lambda + slow);
    let fast_only = (fast + slow) * p2 / lambda - slow_only;
    let empty = (fast * fast_only + slow * slow_only) / lambda;
    // The fast-only state's balance holds too (the chain is solved).
    let lhs = (lambda + fast) * fast_only;
    assert!((lhs - (lambda * empty + slow * p2)).abs() < 1e-9 * lhs);
    let both = p2 / (1.0 - rho);
    let total = empty + fast_only + slow_only + both;
    let queue = p2 * rho / (1.0 - rho).powi(2) / total;
    (
        queue / lambda,
        (fast_only + both) / total,
        (slow_only + both) / total,
    )
}

/// One request type at `rate_per_hour`, exponential service of mean 1
/// minute, at a tier written as `desk`.
fn one_type(rate_per_hour: f64, desk: &str, replications: u32, horizon: f64) -> Model {
    model(&format!(
        r#"name = "agents"
[run]
horizon = {horizon:?}
warmup = 500.0
replications = {replications}
seed = 29
service_level_threshold = 0.5

[[segment]]
name = "a"
rate_per_hour = {rate_per_hour:?}
entry = "desk"

[[tier]]
name = "desk"
service = {{ dist = "exponential", mean = 1.0 }}
routing = "fastest"
{desk}
"#
    ))
}

#[test]
fn two_agents_of_speeds_one_and_two_are_the_heterogeneous_mm2() {
    let (wait, fast_busy, slow_busy) = heterogeneous_mm2(1.0, 1.0, 0.5);
    // Within one group: a tenured agent and a hire at half efficiency (a
    // service-time factor of 2), the fastest free one first.
    let hire = "[[tier.group]]\nname = \"desk\"\nservers = 1\nskills = { default = 1 }\n\
                new_hires = { count = 1, efficiency_curve = [0.5] }";
    // Across groups: each one agent, its speed drawn (degenerate).
    let drawn = "[[tier.group]]\nname = \"slow\"\nservers = 1\nskills = { default = 1 }\n\
                 agent_speed = { dist = \"deterministic\", mean = 2.0 }\n\
                 [[tier.group]]\nname = \"fast\"\nservers = 1\nskills = { default = 1 }\n\
                 agent_speed = { dist = \"deterministic\", mean = 1.0 }";
    for desk in [hire, drawn] {
        let m = one_type(60.0, desk, 20, 40_500.0);
        let s = experiment::run(&m);
        let w = s.overall("wait_mean").expect("wait_mean");
        assert_agrees("heterogeneous M/M/2 wait", w, wait, 0.03);
        // Each agent's utilization (its own busy share), on one run.
        let r = simulate(&m, 0);
        let busy: Vec<f64> = r.tiers[0].groups.iter().map(|g| g.busy_mean).collect();
        if busy.len() == 2 {
            assert!((busy[1] - fast_busy).abs() < 0.02, "fast {busy:?}");
            assert!((busy[0] - slow_busy).abs() < 0.02, "slow {busy:?}");
        } else {
            let both = fast_busy + slow_busy;
            assert!((busy[0] - both).abs() < 0.04, "{busy:?} vs {both}");
        }
    }
}

#[test]
fn drawn_speeds_are_the_same_on_any_thread_count() {
    let desk = five("agent_speed = { dist = \"lognormal\", mean = 1.0, cv = 0.3 }");
    let m = two_types(
        (120.0, 96.0),
        &format!("routing = \"fastest\"\n{desk}"),
        6,
        5_000.0,
    );
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| experiment::run(&m))
    };
    let (one, two) = (on(1), on(2));
    assert_eq!(measured(&one), measured(&two));
    // Drawn speeds change the run (they are used at all).
    let plain = experiment::run(&two_types((120.0, 96.0), &five(""), 6, 5_000.0));
    assert_ne!(measured(&one), measured(&plain));
}

/// A saturated desk (30 clients an hour for 3 agents of 6 an hour each)
/// with deterministic 10-minute services: 1 staff from the start, 2 hires
/// joining in week 1 at the curve's efficiencies.
fn saturated(hires: &str, weeks: u32) -> Model {
    model(&format!(
        r#"name = "ramp"
[run]
horizon = {:?}
replications = 1
seed = 3
service_level_threshold = 1.0

[[segment]]
name = "a"
rate_per_hour = 30.0
entry = "desk"

[[tier]]
name = "desk"
service = {{ dist = "deterministic", mean = 10.0 }}
[[tier.group]]
name = "desk"
servers = 1
skills = {{ default = 1 }}
new_hires = {{ count = 2, start_week = 1, {hires} }}
"#,
        f64::from(weeks) * 10_080.0
    ))
}

/// On a saturated group every agent serves without pause, so a week's
/// services are 1,008 per agent times its efficiency that week (up to
/// one service per agent at each edge of the week).
#[test]
fn a_ramp_up_lowers_early_weeks_throughput_by_the_curve() {
    let cases = [
        (
            "efficiency_curve = [0.5, 1.0]",
            4,
            vec![1.0, 1.0 + 2.0 * 0.5, 3.0, 3.0],
        ),
        (
            "efficiency_curve = [0.5, 1.0], step = \"month\"",
            6,
            vec![1.0, 2.0, 2.0, 2.0, 2.0, 3.0],
        ),
    ];
    for (hires, weeks, agents) in cases {
        let r = simulate(&saturated(hires, weeks), 0);
        let w = &r.tiers[0].groups[0].staffing.weeks;
        assert_eq!(w.len(), agents.len());
        for (k, (week, full)) in w.iter().zip(&agents).enumerate() {
            let expected = 1008.0 * full;
            assert!(
                (week.served as f64 - expected).abs() <= 3.0,
                "{hires} week {k}: {} vs {expected}",
                week.served
            );
        }
        // Week 1: half the services by hires at 0.5, half by staff at 1.
        let e = w[1].efficiency_sum / w[1].served as f64;
        assert!((e - 0.75).abs() < 0.01, "{e}");
        // The weeks add up to the group's services.
        let total: u64 = w.iter().map(|w| w.served).sum();
        assert_eq!(total, r.tiers[0].groups[0].served);
    }
}

#[test]
fn week_rows_are_reported_for_a_group_with_hires() {
    let s: ScenarioSummary = experiment::run(&saturated("efficiency_curve = [0.5, 1.0]", 3));
    let labels: Vec<&str> = s.agents.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        labels,
        [
            "desk.desk",
            "desk.desk.default",
            "desk.desk.week0",
            "desk.desk.week1",
            "desk.desk.week2"
        ]
    );
    let row = |label: &str, metric: &str| {
        let (_, m) = s.agents.iter().find(|(n, _)| n == label).unwrap();
        m.iter().find(|(k, _)| *k == metric).unwrap().1.mean
    };
    assert_eq!(row("desk.desk.week0", "agents_mean"), 1.0);
    assert_eq!(row("desk.desk.week1", "agents_mean"), 3.0);
    assert!((row("desk.desk", "servers_mean") - 7.0 / 3.0).abs() < 1e-9);
    assert!(row("desk.desk.week2", "utilization") > 0.99);
    assert_eq!(row("desk.desk.week2", "efficiency_mean"), 1.0);
}

#[test]
fn one_shift_covering_the_week_is_servers_byte_for_byte() {
    let rostered = "[[tier.group]]\nname = \"all\"\nshifts = [{ start = \"00:00\", end = \"24:00\", servers = 5 }]\n\
                    skills = { ra = 1, rb = 1 }";
    let run = |d: &str| experiment::run(&two_types((120.0, 96.0), d, 4, 5_000.0));
    assert_eq!(measured(&run(&five(""))), measured(&run(rostered)));
}

/// A saturated group on duty 09:00-17:00 on weekdays with 2 agents and
/// deterministic 10-minute services serves 48 clients per agent per day,
/// none at night or at the weekend; its agents on duty average the
/// roster's; a second group always on duty serves all week.
#[test]
fn a_groups_service_follows_its_roster() {
    let m = model(
        r#"name = "shifts"
[run]
horizon = 10080.0
replications = 1
seed = 5
service_level_threshold = 1.0

[[request]]
name = "day"
[[request]]
name = "any"

[[segment]]
name = "a"
rate_per_hour = 30.0
entry = "desk"
requests = { day = 0.8, any = 0.2 }

[[tier]]
name = "desk"
service = { dist = "deterministic", mean = 10.0 }
[[tier.group]]
name = "office"
skills = { day = 1 }
shifts = [{ start = "09:00", end = "17:00", servers = 2, days = ["mon", "tue", "wed", "thu", "fri"] }]
[[tier.group]]
name = "night"
servers = 1
skills = { any = 1 }
"#,
    );
    let r = simulate(&m, 0);
    let (office, night) = (&r.tiers[0].groups[0], &r.tiers[0].groups[1]);
    assert!(
        (480..=490).contains(&office.served),
        "2 agents x 5 days x 48: {}",
        office.served
    );
    let roster_mean = 2.0 * 5.0 * 480.0 / 10_080.0;
    let duty = office.staffing.duty_mean.expect("a rostered group");
    assert!((duty - roster_mean).abs() < 1e-9, "{duty} vs {roster_mean}");
    // The always-on agent: 1,008 ten-minute services in the week.
    assert!((1005..=1008).contains(&night.served), "{}", night.served);
    // The tier's agents on duty are the groups'.
    let tier_duty = r.tiers[0].servers_mean;
    assert!(
        (tier_duty - (roster_mean + 1.0)).abs() < 1e-9,
        "{tier_duty}"
    );
}

#[test]
fn hires_joining_after_the_horizon_are_warned_about() {
    let text = r#"name = "late"
[run]
horizon = 10080.0
replications = 1
service_level_threshold = 1.0
[[segment]]
name = "a"
rate_per_hour = 3.0
entry = "desk"
[[tier]]
name = "desk"
service = { dist = "exponential", mean = 10.0 }
[[tier.group]]
name = "desk"
servers = 1
skills = { default = 1 }
new_hires = { count = 2, start_week = 3, efficiency_curve = [0.5, 1.0] }
"#;
    let s = tiersim::scenario::parse(text, "late.toml").expect("valid");
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("start_week = 3") && w.contains("never join")),
        "{:?}",
        s.warnings
    );
}
