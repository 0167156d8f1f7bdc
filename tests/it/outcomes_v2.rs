//! The outcome model's v2 mechanisms (issue 15, items 1-4 and 7) against
//! exact results on common random numbers: an opt-in bot nobody takes is
//! the scenario without it, training's resolution factor raises FCR by
//! its factor, continuity adds exactly its points, and a faster back
//! office gains only against a reference the bank does not move.

use tiersim::experiment::replicate;
use tiersim::model::replication::ReplicationResult;
use tiersim::model::{CLIENT_METRICS, metrics::client_values, metrics::overall};

use super::common::{assert_share, model};

/// Two request types, a junior tier with room to spare, a chatbot that
/// nobody enters unless `uptake` sends them, a credit back office.
fn bank(uptake: &str, bot: bool) -> String {
    let bot = if bot {
        r#"
[[tier]]
name = "bot"
kind = "chatbot"
handoff_to = "junior"
service = { dist = "exponential", mean = 2.0 }
resolves = { balance = 0.5, loan = 0.1 }
"#
    } else {
        ""
    };
    format!(
        r#"name = "v2"
[run]
service_level_threshold = 2.0
horizon = 3000.0
warmup = 200.0
replications = 8
seed = 15

[[segment]]
name = "retail"
rate_per_hour = 60.0
patience = {{ dist = "exponential", mean = 5.0 }}
requests = {{ balance = 0.7, loan = 0.3 }}

[[tier]]
name = "junior"
servers = 5
service = {{ dist = "exponential", mean = 4.0 }}
{bot}
[[tier]]
name = "credit"
kind = "back_office"
servers = 40
service = {{ dist = "exponential", mean = 60.0 }}

[[request]]
name = "balance"
{uptake}

[[request]]
name = "loan"
back_office = ["credit"]
promised_turnaround_hours = 2.0
"#
    )
}

fn runs(toml: &str) -> Vec<ReplicationResult> {
    replicate(&model(toml))
}

/// An opt-in chatbot with an uptake of 0 gives exactly the scenario
/// without it: every client metric of every replication, bit for bit
/// (the `*_staffed` ones tracked in one, derived in the other).
#[test]
fn an_uptake_of_zero_is_the_scenario_without_the_bot() {
    let without = runs(&bank("", false));
    let with = runs(&bank("bot_uptake = { bot = 0.0 }", true));
    for (a, b) in without.iter().zip(&with) {
        let (a, b) = (
            client_values(&overall(&a.segments)),
            client_values(&overall(&b.segments)),
        );
        for (i, name) in CLIENT_METRICS.iter().enumerate() {
            assert!(
                a[i].to_bits() == b[i].to_bits() || (a[i].is_nan() && b[i].is_nan()),
                "{name}: {} vs {}",
                a[i],
                b[i]
            );
        }
    }
}

/// The opt-in share goes to the bot: 0.7 x 0.4 of the clients, and the
/// `*_staffed` metrics then differ from the first step's.
#[test]
fn the_uptake_share_chooses_the_bot() {
    let results = runs(&bank("bot_uptake = { bot = 0.4 }", true));
    let (mut arrived, mut at_bot) = (0u64, 0u64);
    for r in &results {
        arrived += overall(&r.segments).arrived;
        at_bot += r.tiers[1].arrived;
    }
    let share = at_bot as f64 / arrived as f64;
    let p = 0.7 * 0.4;
    let se = (p * (1.0 - p) / arrived as f64).sqrt();
    assert!((share - p).abs() <= 4.0 * se, "{share} vs {p}");
    // Clients contained by the bot never reach a staffed tier.
    let c = overall(&results[0].segments);
    assert!(c.staffed_finished < c.finished);
    assert!(c.staffed_finished > 0);
}

/// One staffed tier with room to spare (nobody waits, nobody abandons):
/// FCR is `resolves`, and training's `resolution` 1.5 raises it from 0.6
/// to 0.9; on common random numbers every client resolved untrained is
/// resolved trained (one keyed draw against a higher bar).
#[test]
fn training_resolution_raises_fcr_by_its_factor() {
    let base = r#"name = "fcr"
[run]
service_level_threshold = 2.0
horizon = 2000.0
replications = 6
seed = 3

[[segment]]
name = "retail"
rate_per_hour = 60.0
patience = { dist = "exponential", mean = 5.0 }

[[tier]]
name = "junior"
servers = 60
service = { dist = "exponential", mean = 4.0 }
resolves = { default = 0.6 }
"#;
    let trained = format!("{base}\n[levers]\ntraining = {{ junior = {{ resolution = 1.5 }} }}\n");
    let (a, b) = (runs(base), runs(&trained));
    let fcr = |rs: &[ReplicationResult]| {
        let v: Vec<f64> = rs
            .iter()
            .map(|r| client_values(&overall(&r.segments))[17])
            .collect();
        let served: u64 = rs.iter().map(|r| overall(&r.segments).served).sum();
        (
            tiersim::engine::stats::Estimate::from_values(v),
            served as f64 / rs.len() as f64,
        )
    };
    assert_eq!(CLIENT_METRICS[17], "fcr");
    let ((fa, n), (fb, _)) = (fcr(&a), fcr(&b));
    assert_share("fcr at resolves 0.6", fa, 0.6, n * a.len() as f64);
    assert_share("fcr trained x1.5", fb, 0.9, n * b.len() as f64);
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (overall(&x.segments), overall(&y.segments));
        assert_eq!(x.arrived, y.arrived);
        assert_eq!(x.abandoned, 0);
        assert!(y.first_contact >= x.first_contact);
        assert_eq!(x.first_contact + x.unresolved, x.served);
        assert_eq!(y.first_contact + y.unresolved, y.served);
    }
}

/// Continuity changes no draw and no event, only the own-RM clients'
/// satisfaction: per replication the segment's satisfaction rises by
/// exactly the reported continuity points.
#[test]
fn continuity_adds_exactly_its_points() {
    let base = r#"name = "books"
[run]
service_level_threshold = 2.0
horizon = 3000.0
warmup = 200.0
replications = 4
seed = 7

[[segment]]
name = "high_end"
rate_per_hour = 20.0
patience = { dist = "exponential", mean = 10.0 }
entry = "junior"
book = { tier = "premier_rm", population = 600, clients_per_rm = 150, overflow_after = 3.0, overflow = "junior" }

[[tier]]
name = "premier_rm"
kind = "dedicated"
servers = 3
service = { dist = "exponential", mean = 5.0 }

[[tier]]
name = "junior"
servers = 4
service = { dist = "exponential", mean = 4.0 }
"#;
    let on = format!("{base}\n[outcomes]\nbeta_continuity = 0.3\n");
    let (a, b) = (runs(base), runs(&on));
    for (x, y) in a.iter().zip(&b) {
        let (x, y) = (&x.segments[0], &y.segments[0]);
        assert_eq!(
            (x.arrived, x.own_rm, x.top_box <= y.top_box),
            (y.arrived, y.own_rm, true)
        );
        assert_eq!(x.continuity_points, 0.0);
        assert!(y.own_rm > 0 && y.continuity_points > 0.0);
        let rise = y.satisfaction.mean() - x.satisfaction.mean();
        let expected = y.continuity_points / y.finished as f64;
        assert!((rise - expected).abs() < 1e-9, "{rise} vs {expected}");
    }
}

/// A back office twice as fast: with the clients' reference kept at 2 h,
/// loan clients gain; when the bank moves its promise to the new median
/// and the file keeps today's one-sided term, they do not.
#[test]
fn a_faster_back_office_gains_only_against_a_kept_reference() {
    let loan_satisfaction = |mean: f64, promise: f64, reference: Option<f64>| {
        let mut toml = bank("", false)
            .replace("mean = 60.0", &format!("mean = {mean}"))
            .replace(
                "promised_turnaround_hours = 2.0",
                &format!("promised_turnaround_hours = {promise}"),
            );
        if let Some(h) = reference {
            toml.push_str(&format!("expected_turnaround_hours = {h}\n"));
        }
        let rs = runs(&toml);
        let v: Vec<f64> = rs
            .iter()
            .map(|r| r.requests[1].satisfaction.mean())
            .collect();
        tiersim::engine::stats::Estimate::from_values(v)
    };
    let kept_slow = loan_satisfaction(120.0, 2.0, Some(2.0));
    let kept_fast = loan_satisfaction(60.0, 2.0, Some(2.0));
    assert!(
        kept_fast.mean - kept_slow.mean > kept_fast.ci95 + kept_slow.ci95,
        "{kept_fast:?} vs {kept_slow:?}"
    );
    let old_slow = loan_satisfaction(120.0, 2.0, None);
    let moved_fast = loan_satisfaction(60.0, 1.0, None);
    assert!(
        moved_fast.mean <= old_slow.mean + moved_fast.ci95 + old_slow.ci95,
        "{moved_fast:?} vs {old_slow:?}"
    );
}

/// The offered load (what `check` and `plan` judge a design by) counts an
/// opt-in bot's share: with 40% of the balance clients (0.7 of 60 an hour)
/// choosing the bot, it sees 16.8 an hour and the juniors the rest plus the
/// half of the bot's clients it hands on: 60 - 16.8 + 0.5 x 16.8 = 51.6.
#[test]
fn the_offered_load_counts_the_bot_uptake() {
    let m = model(&bank("bot_uptake = { bot = 0.4 }", true));
    let loads = tiersim::model::offered_loads(&m);
    let rate = |name: &str| {
        let l = loads.iter().find(|l| l.tier == name).unwrap();
        l.arrival_rate_per_hour
    };
    assert!((rate("bot") - 16.8).abs() < 1e-9, "{}", rate("bot"));
    assert!((rate("junior") - 51.6).abs() < 1e-9, "{}", rate("junior"));
    // Without uptake nobody reaches the bot.
    let m = model(&bank("", true));
    let loads = tiersim::model::offered_loads(&m);
    assert_eq!(
        loads
            .iter()
            .find(|l| l.tier == "bot")
            .unwrap()
            .arrival_rate_per_hour,
        0.0
    );
}
