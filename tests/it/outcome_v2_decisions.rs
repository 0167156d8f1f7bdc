//! The outcome model v2's decisions (issue 15, "Tests"): with continuity
//! on, a dedicated-RM design beats the same staff pooled on high-end
//! satisfaction only when few clients overflow, judged on paired
//! replications (common random numbers) with the paired 95% CI as the
//! tolerance; and every v2 term at its neutral value keeps every metric
//! the old model had, bit for bit, on every shipped scenario.

use tiersim::engine::stats::Estimate;
use tiersim::experiment::{ReplicationMetrics, replicate};
use tiersim::model::{CLIENT_METRICS, Model, Outcomes, TierKind};

use crate::common::{model, shipped};

/// High-end clients at `rate_per_hour`, tolerance 5 min, served in 10
/// minutes (exponential) by five RMs: pooled (`dedicated = false`, one
/// staffed tier of 5), or four with books of 100 clients each, a client
/// passing to the one pooled RM after waiting 5 minutes for their own
/// (`overflow_after`), with `beta_continuity` for own-RM service.
fn design(rate_per_hour: f64, dedicated: bool, beta_continuity: f64) -> Model {
    let (book, tiers, outcomes) = if dedicated {
        (
            "book = { tier = \"rm\", population = 400, clients_per_rm = 100, \
             overflow_after = 5.0, overflow = \"pool\" }",
            "[[tier]]\nname = \"rm\"\nkind = \"dedicated\"\nservers = 4\n\
             service = { dist = \"exponential\", mean = 10.0 }\n\
             [[tier]]\nname = \"pool\"\nservers = 1\n\
             service = { dist = \"exponential\", mean = 10.0 }\n",
            format!("[outcomes]\nbeta_continuity = {beta_continuity}\n"),
        )
    } else {
        (
            "",
            "[[tier]]\nname = \"pool\"\nservers = 5\n\
             service = { dist = \"exponential\", mean = 10.0 }\n",
            String::new(),
        )
    };
    model(&format!(
        "name = \"continuity\"\n[run]\nhorizon = 20000.0\nwarmup = 1000.0\nreplications = 12\n\
         seed = 21\nservice_level_threshold = 5.0\n\
         [[segment]]\nname = \"high_end\"\nrate_per_hour = {rate_per_hour}\n\
         patience = {{ dist = \"exponential\", mean = 30.0 }}\ntolerance = 5.0\n\
         entry = \"pool\"\n{book}\n{tiers}{outcomes}"
    ))
}

/// The position of `key` among the client metrics.
fn at(key: &str) -> usize {
    CLIENT_METRICS.iter().position(|k| *k == key).unwrap()
}

/// Per replication, the dedicated design's high-end satisfaction less the
/// pool's (same seed, so the same arriving clients), and the dedicated
/// design's mean overflow share (1 − own-RM share).
fn dedicated_less_pool(rate_per_hour: f64, beta_continuity: f64) -> (Estimate, f64) {
    let pool = replicate(&design(rate_per_hour, false, 0.0));
    let books = replicate(&design(rate_per_hour, true, beta_continuity));
    let (satisfaction, own) = (at("satisfaction_mean"), at("own_rm_share"));
    let mut overflow = 0.0;
    let differences: Vec<f64> = pool
        .iter()
        .zip(&books)
        .map(|(p, b)| {
            let (p, b) = (ReplicationMetrics::of(p), ReplicationMetrics::of(b));
            assert_eq!(
                p.segments[0][0], b.segments[0][0],
                "the same clients arrive"
            );
            overflow += 1.0 - b.segments[0][own];
            b.segments[0][satisfaction] - p.segments[0][satisfaction]
        })
        .collect();
    (
        Estimate::from_values(differences),
        overflow / pool.len() as f64,
    )
}

/// Continuity (β_cont = 0.3, the `model = 2` value) pays for the loss of
/// pooling only while the books are lightly loaded. At 4.8 clients an
/// hour (each own RM busy 20% of the time) about one client in nine
/// overflows and the dedicated design is better; at 14.4 (60%) more than
/// a quarter overflow, waiting 5 minutes (one tolerance) first and
/// getting no continuity, and it is worse. Without continuity it is worse
/// even at the light load: continuity is what buys the win. Each verdict
/// must clear the paired 95% CI.
#[test]
fn a_dedicated_rm_beats_the_pool_only_when_few_overflow() {
    let (light, light_overflow) = dedicated_less_pool(4.8, 0.3);
    let (heavy, heavy_overflow) = dedicated_less_pool(14.4, 0.3);
    assert!(
        light_overflow < 0.15 && heavy_overflow > 0.25,
        "overflow shares {light_overflow} and {heavy_overflow}"
    );
    assert!(
        light.mean - light.ci95 > 0.0,
        "light load, overflow {light_overflow}: dedicated − pool {light:?}"
    );
    assert!(
        heavy.mean + heavy.ci95 < 0.0,
        "heavy load, overflow {heavy_overflow}: dedicated − pool {heavy:?}"
    );
    let (without, _) = dedicated_less_pool(4.8, 0.0);
    assert!(
        without.mean + without.ci95 < 0.0,
        "light load without continuity: dedicated − pool {without:?}"
    );
}

/// `m` with every outcome v2 term (issue 15, items 1-4) at its neutral
/// value: every contact resolves, no continuity, a bot's hand-off costs a
/// transfer and its time nothing, bots sell at the global factor, and no
/// request has a reference turnaround (today's one-sided term).
fn neutral(mut m: Model) -> Model {
    let old = Outcomes::default();
    m.outcomes.beta_continuity = old.beta_continuity;
    m.outcomes.beta_bot_handoff = old.beta_bot_handoff;
    m.outcomes.bot_time_counts_on_failure = old.bot_time_counts_on_failure;
    for t in &mut m.tiers {
        if matches!(t.kind, TierKind::Staffed | TierKind::Dedicated) {
            t.resolves.iter_mut().for_each(|p| *p = 1.0);
        }
        t.sale_factor = None;
    }
    for r in &mut m.requests {
        r.expected_turnaround = f64::INFINITY;
    }
    m
}

/// The metrics the old model had (issue 15 was filed with these), as bits
/// per replication: overall and per segment.
fn old_metrics(m: &Model) -> Vec<Vec<u64>> {
    let old = at("unreached") + 1;
    replicate(m)
        .iter()
        .map(|r| {
            let v = ReplicationMetrics::of(r);
            std::iter::once(&v.overall)
                .chain(&v.segments)
                .flat_map(|row| row[..old].iter().map(|x| x.to_bits()))
                .collect()
        })
        .collect()
}

/// The outcome v2 fields (issue 15, items 1-4) a file may write, as the
/// last part of a key (a remedy's `set` names them as dotted paths).
const V2_FIELDS: [&str; 9] = [
    "model",
    "expertise",
    "resolution",
    "beta_continuity",
    "beta_bot_handoff",
    "bot_time_counts_on_failure",
    "sale_factor",
    "expected_turnaround_hours",
    "bot_uptake",
];

/// Whether `value` (a scenario file as TOML, remedies included) writes a
/// v2 field anywhere, or `resolves` on a tier that is not a chatbot
/// (`in_tier`: `value` is a tier's table or inside one).
fn writes_v2(value: &toml::Value, in_tier: bool) -> bool {
    match value {
        toml::Value::Table(table) => {
            let staffed_tier = in_tier
                && table.contains_key("name")
                && table.get("kind").and_then(toml::Value::as_str) != Some("chatbot");
            table.iter().any(|(key, v)| {
                let last = key.rsplit('.').next().unwrap_or(key);
                V2_FIELDS.contains(&last)
                    || (last == "resolves" && staffed_tier)
                    || writes_v2(v, in_tier || key == "tier")
            })
        }
        toml::Value::Array(items) => items.iter().any(|v| writes_v2(v, in_tier)),
        _ => false,
    }
}

/// The regression guard on the old model: on every shipped scenario that
/// does not opt into a v2 term, forcing every v2 term to its neutral value
/// changes no old metric bit (so a default that drifts off neutral fails
/// here); on the files that do opt in (the case study), the v2 terms act.
#[test]
fn neutral_v2_terms_keep_every_old_metric_on_every_shipped_scenario() {
    let (mut kept, mut opted) = (0, 0);
    for path in shipped() {
        let sweep = tiersim::scenario::load_sweep(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut m = sweep.points[0].scenario.model.clone();
        m.run.replications = 2;
        let as_shipped = old_metrics(&m);
        let forced = old_metrics(&neutral(m));
        let text = tiersim::scenario::expanded_text(&path).unwrap();
        let uses_v2 = writes_v2(&toml::from_str(&text).unwrap(), false);
        if uses_v2 {
            assert_ne!(
                as_shipped,
                forced,
                "{}: v2 terms change nothing",
                path.display()
            );
            opted += 1;
        } else {
            assert_eq!(as_shipped, forced, "{}", path.display());
            kept += 1;
        }
    }
    assert!(kept >= 5, "{kept} scenarios without v2 terms");
    assert!(opted >= 1, "{opted} scenarios with v2 terms");
}

/// A junior (FCR 0.71) escalating 15%: each contact that stays resolves
/// with 0.71 / 0.85. Training that halves the escalations keeps that rate,
/// so the tier's FCR rises to 0.925 × 0.71 / 0.85 instead of being held at
/// 0.71 with the saved escalations left unresolved.
#[test]
fn training_keeps_the_resolve_rate_of_the_cases_it_keeps() {
    let source = |training: &str| {
        format!(
            "name = \"kept\"\n[run]\nhorizon = 600.0\nservice_level_threshold = 1.0\n\
             [[segment]]\nname = \"retail\"\nrate_per_hour = 6.0\n\
             [[tier]]\nname = \"junior\"\nservers = 2\nexpertise = \"junior\"\n\
             service = {{ dist = \"exponential\", mean = 4.0 }}\n\
             escalate = [{{ to = \"senior\", probability = 0.15 }}]\n\
             [[tier]]\nname = \"senior\"\nservers = 1\n\
             service = {{ dist = \"exponential\", mean = 6.0 }}\n{training}"
        )
    };
    let untrained = model(&source(""));
    let trained = model(&source(
        "[levers]\ntraining = { junior = { escalation = 0.5 } }\n",
    ));
    let expected = 0.71 / 0.85;
    assert!((untrained.tiers[0].resolves[0] - expected).abs() < 1e-12);
    assert_eq!(trained.tiers[0].resolves, untrained.tiers[0].resolves);
    assert!((trained.tiers[0].routes[0][0].probability - 0.075).abs() < 1e-12);
}
