//! Agent groups with skills (issue 17) against their exact anchors: one
//! group serving everything is the pooled M/M/c byte for byte on common
//! random numbers; disjoint skills are independent M/M/c queues (Erlang C
//! per group); `overflow_after = 0` is the fully pooled system and
//! `overflow_after = inf` the fully separate one, byte for byte; an
//! N-design lies between pooled and separate, whatever the thread count.

use tiersim::analytic::Mmc;
use tiersim::experiment::{self, ReplicationMetrics, ScenarioSummary, Shape};
use tiersim::model::{Model, simulate};

use crate::common::{assert_agrees, model};

/// Two segments `a` and `b` (request types `ra`, `rb`) arriving at
/// `rates` per hour to tier `desk` (exponential service of mean 1 minute)
/// written as `desk` (its staffing and groups), over `replications` runs.
pub(crate) fn two_types(rates: (f64, f64), desk: &str, replications: u32, horizon: f64) -> Model {
    model(&format!(
        r#"name = "groups"
[run]
horizon = {horizon:?}
warmup = 500.0
replications = {replications}
seed = 17
service_level_threshold = 0.5

[[request]]
name = "ra"
[[request]]
name = "rb"

[[segment]]
name = "a"
rate_per_hour = {:?}
entry = "desk"
requests = {{ ra = 1.0 }}

[[segment]]
name = "b"
rate_per_hour = {:?}
entry = "desk"
requests = {{ rb = 1.0 }}

[[tier]]
name = "desk"
service = {{ dist = "exponential", mean = 1.0 }}
{desk}
"#,
        rates.0, rates.1
    ))
}

/// Every client-level and tier-level estimate of a summary, as text (two
/// runs are the same run when these are equal).
pub(crate) fn measured(s: &ScenarioSummary) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        s.overall, s.segments, s.tiers, s.wait_quantiles
    )
}

const POOLED: &str = "servers = 5";
const ONE_GROUP: &str = "[[tier.group]]\nname = \"all\"\nservers = 5\nskills = { ra = 1, rb = 1 }";

#[test]
fn one_group_serving_everything_is_the_pooled_queue_byte_for_byte() {
    let pooled = two_types((120.0, 96.0), POOLED, 4, 5_000.0);
    let grouped = two_types((120.0, 96.0), ONE_GROUP, 4, 5_000.0);
    let (p, g) = (experiment::run(&pooled), experiment::run(&grouped));
    assert_eq!(measured(&p), measured(&g));
    // Two groups of identical agents, each serving everything, too.
    let split = "[[tier.group]]\nname = \"x\"\nservers = 3\nskills = { a = 1, b = 1 }\n\
                 [[tier.group]]\nname = \"y\"\nservers = 2\nskills = { ra = 1, rb = 1 }";
    let s = experiment::run(&two_types((120.0, 96.0), split, 4, 5_000.0));
    assert_eq!(measured(&p), measured(&s));
}

/// Group `a` serves segment `a` only, group `b` segment `b` only: two
/// independent M/M/c queues, each against Erlang C (Kleinrock 1975).
#[test]
fn disjoint_skills_are_independent_erlang_c_queues() {
    let desk = "[[tier.group]]\nname = \"ga\"\nservers = 3\nskills = { a = 1 }\n\
                [[tier.group]]\nname = \"gb\"\nservers = 2\nskills = { b = 1 }";
    let m = two_types((150.0, 72.0), desk, 20, 30_500.0);
    let s = experiment::run(&m);
    for (segment, per_hour, servers) in [("a", 150.0, 3), ("b", 72.0, 2)] {
        let q = Mmc {
            arrival_rate: per_hour / 60.0,
            service_rate: 1.0,
            servers,
        };
        let wait = s.segment(segment, "wait_mean").expect("wait_mean");
        assert_agrees(&format!("{segment} wait_mean"), wait, q.wait_mean(), 0.03);
        let waited = s.segment(segment, "wait_p_positive").expect("p_wait");
        assert_agrees(&format!("{segment} P(wait)"), waited, q.p_wait(), 0.015);
    }
    // Each group's utilization is its own queue's a/c.
    let r = simulate(&m, 0);
    let groups = &r.tiers[0].groups;
    for (g, rho) in groups.iter().zip([150.0 / 60.0 / 3.0, 72.0 / 60.0 / 2.0]) {
        let utilization = g.busy_mean / g.servers as f64;
        assert!((utilization - rho).abs() < 0.03, "{utilization} vs {rho}");
        assert_eq!(g.off_skill, 0);
    }
}

/// `a` first at group A and second at group B, `b` the other way round,
/// every factor 1: the N-design family by `overflow_after`.
fn crossed(after: &str) -> String {
    format!(
        "overflow_after = {{ a = {after}, b = {after} }}\n\
         [[tier.group]]\nname = \"ga\"\nservers = 3\nskills = {{ a = 1, b = 2 }}\nspeed = {{ b = 1.0 }}\n\
         [[tier.group]]\nname = \"gb\"\nservers = 2\nskills = {{ b = 1, a = 2 }}\nspeed = {{ a = 1.0 }}"
    )
}

const SEPARATE: &str = "[[tier.group]]\nname = \"ga\"\nservers = 3\nskills = { a = 1 }\n\
                        [[tier.group]]\nname = \"gb\"\nservers = 2\nskills = { b = 1 }";

#[test]
fn overflow_after_zero_is_pooled_and_infinite_is_separate() {
    let rates = (150.0, 72.0);
    let run = |desk: &str| experiment::run(&two_types(rates, desk, 4, 5_000.0));
    assert_eq!(measured(&run(&crossed("0.0"))), measured(&run(POOLED)));
    assert_eq!(measured(&run(&crossed("inf"))), measured(&run(SEPARATE)));
}

/// N-design: group A serves `a` only, group B serves `b` first and `a`
/// second. Its mean wait lies between the pooled and the separate
/// systems' (on common random numbers), and it is the same run on one
/// thread and on two.
#[test]
fn n_design_lies_between_pooled_and_separate_on_any_thread_count() {
    let rates = (150.0, 72.0);
    let n = "[[tier.group]]\nname = \"ga\"\nservers = 3\nskills = { a = 1 }\n\
             [[tier.group]]\nname = \"gb\"\nservers = 2\nskills = { b = 1, a = 2 }\nspeed = { a = 1.0 }";
    let on = |threads: usize, desk: &str| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| experiment::run(&two_types(rates, desk, 8, 10_500.0)))
    };
    let wait = |s: &ScenarioSummary| s.overall("wait_mean").expect("wait_mean").mean;
    let (pooled, separate) = (wait(&on(2, POOLED)), wait(&on(2, SEPARATE)));
    let (one, two) = (on(1, n), on(2, n));
    assert_eq!(measured(&one), measured(&two));
    let n_wait = wait(&two);
    assert!(
        pooled < n_wait && n_wait < separate,
        "pooled {pooled} <= N {n_wait} <= separate {separate}"
    );
}

/// `reserve` = all of group B's agents: B never takes its second-rank
/// skill, so the crossed design is the separate one, byte for byte; and
/// every group's off-skill count is then 0.
#[test]
fn a_reserve_of_the_whole_group_is_the_separate_system() {
    let rates = (150.0, 72.0);
    let run = |desk: &str| two_types(rates, desk, 4, 5_000.0);
    let reserved = "overflow_after = { a = 0.0, b = 0.0 }\n\
         [[tier.group]]\nname = \"ga\"\nservers = 3\nskills = { a = 1, b = 2 }\nreserve = 3\n\
         [[tier.group]]\nname = \"gb\"\nservers = 2\nskills = { b = 1, a = 2 }\nreserve = 2";
    let m = run(reserved);
    assert_eq!(
        measured(&experiment::run(&m)),
        measured(&experiment::run(&run(SEPARATE)))
    );
    for g in &simulate(&m, 1).tiers[0].groups {
        assert_eq!(g.off_skill, 0);
        assert!(g.served > 0);
    }
}

/// A group's `speed` scales its service time: one group serving both
/// request types at factor 2 is an M/M/5 with mean service 2 minutes
/// (Erlang C), and its rows in the summary say what it did.
#[test]
fn speed_scales_service_and_groups_are_reported() {
    let desk = "routing = \"fastest\"\n[[tier.group]]\nname = \"slow\"\nservers = 5\n\
                skills = { ra = 1, rb = 1 }\nspeed = { ra = 2.0, rb = 2.0 }";
    let m = two_types((72.0, 48.0), desk, 20, 20_500.0);
    let s = experiment::run(&m);
    let q = Mmc {
        arrival_rate: 2.0,
        service_rate: 0.5,
        servers: 5,
    };
    let wait = s.overall("wait_mean").expect("wait_mean");
    assert_agrees("wait_mean at speed 2", wait, q.wait_mean(), 0.03);
    let labels: Vec<&str> = s.agents.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(labels, ["desk.slow", "desk.slow.ra", "desk.slow.rb"]);
    let row = |label: &str, metric: &str| {
        let (_, m) = s.agents.iter().find(|(n, _)| n == label).unwrap();
        m.iter().find(|(k, _)| *k == metric).unwrap().1.mean
    };
    let utilization = row("desk.slow", "utilization");
    assert!((utilization - 0.8).abs() < 0.02, "{utilization}");
    assert_eq!(row("desk.slow", "off_skill_share"), 0.0);
    let share = row("desk.slow.ra", "skill_share");
    assert!((share - 0.6).abs() < 0.01, "{share}");
    // The same shape without groups has no rows at all.
    assert!(
        experiment::run(&two_types((72.0, 48.0), POOLED, 2, 1_000.0))
            .agents
            .is_empty()
    );
}

/// The shipped cross-training remedy runs, and the cross-trained point
/// (juniors take loans after 2 minutes) waits less overall than the
/// separate loan desk on the same clients, its juniors serving loans.
#[test]
fn cross_training_shortens_the_wait() {
    let text = std::fs::read_to_string("scenarios/remedies/cross-training.toml").unwrap();
    let base = text.split("[sweep]").next().unwrap();
    let separate = model(base);
    let trained = model(&base.replace(
        "overflow_after = { loan = inf }",
        "overflow_after = { loan = 2.0 }",
    ));
    let (a, b) = (experiment::run(&separate), experiment::run(&trained));
    let wait = |s: &ScenarioSummary| s.overall("wait_mean").expect("wait_mean");
    assert!(
        wait(&b).mean + wait(&b).ci95 < wait(&a).mean,
        "{:?} vs {:?}",
        wait(&b),
        wait(&a)
    );
    let loans = |s: &ScenarioSummary| {
        let (_, m) = s
            .agents
            .iter()
            .find(|(n, _)| n == "front.juniors.loan")
            .unwrap();
        m[0].1.mean
    };
    assert!(loans(&b) > 0.0, "cross-trained juniors serve loans");
    assert_eq!(loans(&a), 0.0, "a separate desk: juniors serve no loan");
    // The group rows are paired like any other group.
    let of = |m: &Model| {
        let reps: Vec<ReplicationMetrics> = experiment::replicate(m)
            .iter()
            .map(ReplicationMetrics::of)
            .collect();
        (Shape::of(m), reps)
    };
    let ((sa, ra), (sb, rb)) = (of(&separate), of(&trained));
    let d = experiment::paired(&sa, &ra, &sb, &rb);
    let took = d
        .iter()
        .find(|d| d.group == "group.front.juniors.loan" && d.metric == "served")
        .expect("the juniors' loans compared");
    assert!(took.significant && took.difference.mean > 0.0, "{took:?}");
}
