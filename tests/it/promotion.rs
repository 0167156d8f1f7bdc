//! Time-in-queue promotion (`segment.promote_after`, issue 17 item 2)
//! against exact anchors: never promoting is no promotion at all; promoting
//! at once is the same queue as an equal priority, byte for byte; and with
//! exponential service of one mean for everyone the overall mean wait is
//! Erlang C whatever the order (Kleinrock's conservation law), while the
//! low class's wait lies between strict priority and first come first
//! served on common random numbers.

use tiersim::analytic::Mmc;
use tiersim::experiment::{self, ScenarioSummary};

use crate::common::{assert_agrees, model};

/// `vip` (priority 0) and `retail` (priority 1, with `promote`) at one
/// M/M/4 tier with mean service 1 minute.
fn two_classes(retail: &str, discipline: &str, replications: u32) -> ScenarioSummary {
    experiment::run(&model(&format!(
        r#"name = "promotion"
[run]
horizon = 20500.0
warmup = 500.0
replications = {replications}
seed = 23
service_level_threshold = 0.5

[[segment]]
name = "vip"
rate_per_hour = 90.0
priority = 0

[[segment]]
name = "retail"
rate_per_hour = 120.0
priority = 1
{retail}

[[tier]]
name = "desk"
servers = 4
service = {{ dist = "exponential", mean = 1.0 }}
{discipline}
"#
    )))
}

fn measured(s: &ScenarioSummary) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        s.overall, s.segments, s.tiers, s.wait_quantiles
    )
}

#[test]
fn never_is_no_promotion_and_at_once_is_an_equal_priority() {
    let plain = two_classes("", "", 3);
    assert_eq!(
        measured(&two_classes("promote_after = inf", "", 3)),
        measured(&plain)
    );
    let at_once = two_classes("promote_after = 0.0", "", 3);
    let fifo = two_classes("", "discipline = \"fifo\"", 3);
    assert_eq!(measured(&at_once), measured(&fifo));
    assert_ne!(measured(&at_once), measured(&plain));
}

#[test]
fn promotion_conserves_the_mean_wait_and_lies_between_the_disciplines() {
    let promoted = two_classes("promote_after = 0.5", "", 20);
    let q = Mmc {
        arrival_rate: 3.5,
        service_rate: 1.0,
        servers: 4,
    };
    let wait = promoted.overall("wait_mean").expect("wait_mean");
    assert_agrees(
        "overall wait_mean with promotion",
        wait,
        q.wait_mean(),
        0.03,
    );
    let retail = |s: &ScenarioSummary| s.segment("retail", "wait_mean").unwrap().mean;
    let strict = two_classes("", "", 20);
    let fifo = two_classes("", "discipline = \"fifo\"", 20);
    let (r, lo, hi) = (retail(&promoted), retail(&fifo), retail(&strict));
    assert!(lo < r && r < hi, "fifo {lo} < promoted {r} < priority {hi}");
    // No retail client who waited past the promotion waits as long as
    // under strict priority: the tail shrinks.
    let p90 = |s: &ScenarioSummary| s.segment("retail", "wait_p90").unwrap().mean;
    assert!(p90(&promoted) < p90(&strict));
}
