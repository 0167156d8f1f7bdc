//! The bank model's mechanisms: request types, the chatbot tier, and the
//! satisfaction, complaint and sales outcomes of each journey.

use crate::common::{assert_agrees, model};
use tiersim::engine::stats::{Estimate, t_quantile_975};
use tiersim::experiment;
use tiersim::model::Outcomes;
use tiersim::model::outcome::Journey;

/// Asserts that a share estimated from `n` Bernoulli trials per
/// replication agrees with `p` within four binomial standard errors of the
/// pooled mean (the replications' own standard error is used too, and the
/// larger one taken, so that neither noise source is ignored).
fn assert_share(what: &str, e: Estimate, p: f64, trials: f64) {
    let binomial = (p * (1.0 - p) / trials).sqrt();
    let replications = e.ci95 / t_quantile_975(e.n - 1);
    let se = binomial.max(replications);
    assert!(
        (e.mean - p).abs() <= 4.0 * se,
        "{what}: {:.5} ± {:.5} vs {p:.5} (se {se:.5})",
        e.mean,
        e.ci95
    );
}

const RUN: &str = "[run]\nhorizon = 20000.0\nwarmup = 200.0\nreplications = 10\nseed = 5\nservice_level_threshold = 1.0\n";

/// A chatbot resolving 40% of requests: 40% of clients are deflected and
/// the junior tier behind it gets 60% of the arrivals (binomial check).
#[test]
fn chatbot_deflects_its_share() {
    let m = model(&format!(
        "name = \"bot\"\n{RUN}\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 60.0\nentry = \"bot\"\n\
         [[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nservice = {{ dist = \"exponential\", mean = 1.5 }}\n\
         resolves = {{ default = 0.4 }}\nhandoff_to = \"junior\"\n\
         [[tier]]\nname = \"junior\"\nservers = 3\nservice = {{ dist = \"exponential\", mean = 2.0 }}\n"
    ));
    let s = experiment::run(&m);
    let arrived = s.tier("bot", "arrived").unwrap().mean;
    assert_share(
        "deflection_rate",
        s.overall("deflection_rate").unwrap(),
        0.4,
        arrived,
    );
    let junior = s.tier("junior", "arrived").unwrap().mean;
    assert_share(
        "junior share of arrivals",
        Estimate {
            mean: junior / arrived,
            ..s.overall("deflection_rate").unwrap()
        },
        0.6,
        arrived,
    );
    // Unlimited: nobody waits at the bot, and utilization is undefined.
    assert_eq!(s.tier("bot", "wait_mean").unwrap().mean, 0.0);
    assert!(s.tier("bot", "utilization").unwrap().mean.is_nan());
    // The bot's mean service (1.5 minutes) is its mean time in tier.
    assert_agrees(
        "bot sojourn",
        s.tier("bot", "sojourn_mean").unwrap(),
        1.5,
        0.01,
    );
    // Every hand-off from the bot is cold: handoffs_mean = share handed on.
    assert_share(
        "handoffs_mean",
        s.overall("handoffs_mean").unwrap(),
        0.6,
        arrived,
    );
}

/// Request types: a mix of 70% routine and 30% loans, where loans take
/// three times as long at the desk and always go on to credit. The desk's
/// offered load and the escalated share follow.
#[test]
fn request_types_shape_service_and_routes() {
    let m = model(&format!(
        "name = \"requests\"\n{RUN}\
         [[request]]\nname = \"routine\"\n\
         [[request]]\nname = \"loan\"\nservice_multiplier = {{ desk = 3.0 }}\n\
         escalate = {{ desk = [{{ to = \"credit\", probability = 1.0 }}] }}\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 60.0\nentry = \"desk\"\nrequests = {{ routine = 0.7, loan = 0.3 }}\n\
         [[tier]]\nname = \"desk\"\nservers = 20\nservice = {{ dist = \"exponential\", mean = 2.0 }}\n\
         [[tier]]\nname = \"credit\"\nservers = 20\nservice = {{ dist = \"deterministic\", mean = 5.0 }}\n"
    ));
    assert_eq!(m.tiers[0].service_of(0, 1, 2).mean(), 6.0);
    let s = experiment::run(&m);
    let served = s.tier("desk", "served").unwrap().mean;
    assert_share(
        "escalation_rate",
        s.tier("desk", "escalation_rate").unwrap(),
        0.3,
        served,
    );
    // 20 servers for about 3.2 Erlangs: nobody waits, so busy servers =
    // offered load = 1/min x (0.7 x 2 + 0.3 x 6) minutes.
    assert_agrees(
        "desk busy servers",
        scale(s.tier("desk", "utilization").unwrap(), 20.0),
        3.2,
        0.02,
    );
    assert_agrees(
        "credit busy servers",
        scale(s.tier("credit", "utilization").unwrap(), 20.0),
        0.3 * 5.0,
        0.02,
    );
}

fn scale(e: Estimate, k: f64) -> Estimate {
    Estimate {
        mean: e.mean * k,
        ci95: e.ci95 * k,
        n: e.n,
    }
}

/// With servers to spare nobody waits and every journey is the ideal one:
/// satisfaction 80, P(top-box) 0.8, front-line complaints 0.1 x 0.8 +
/// 0.29 x 0.2, formal 0.02 x 0.2, sales at the request's base rate, each
/// worth its revenue; FCR is 1.
#[test]
fn ideal_journeys_score_the_documented_baseline() {
    let m = model(&format!(
        "name = \"ideal\"\n{RUN}\
         [[request]]\nname = \"advice\"\nsale_probability = 0.25\nrevenue_per_sale = 100.0\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 60.0\nrequests = {{ advice = 1.0 }}\n\
         [[tier]]\nname = \"desk\"\nservers = 30\nservice = {{ dist = \"exponential\", mean = 2.0 }}\n"
    ));
    let s = experiment::run(&m);
    let n = s.overall("arrived").unwrap().mean;
    let satisfaction = s.overall("satisfaction_mean").unwrap();
    assert!(
        (satisfaction.mean - 80.0).abs() < 1e-9 && satisfaction.ci95 < 1e-9,
        "{satisfaction:?}"
    );
    assert_share("csat", s.overall("csat").unwrap(), 0.8, n);
    assert_share(
        "complaint_rate",
        s.overall("complaint_rate").unwrap(),
        0.1 * 0.8 + 0.29 * 0.2,
        n,
    );
    assert_share(
        "formal_complaint_rate",
        s.overall("formal_complaint_rate").unwrap(),
        0.02 * 0.2,
        n,
    );
    assert_eq!(s.overall("fcr").unwrap().mean, 1.0);
    let sales = s.overall("sales").unwrap();
    assert_share("sales per client", scale(sales, 1.0 / n), 0.25, n);
    assert_eq!(s.overall("revenue").unwrap().mean, 100.0 * sales.mean);
}

/// Blocked and abandoning clients end unresolved; with a full queue every
/// second client blocked, satisfaction falls between the unresolved and
/// the ideal journey's, as the model says for the mix seen.
#[test]
fn unresolved_journeys_cost_satisfaction() {
    let m = model(&format!(
        "name = \"blocked\"\n{RUN}\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 120.0\n\
         [[tier]]\nname = \"desk\"\nservers = 1\nqueue_capacity = 0\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n"
    ));
    let s = experiment::run(&m);
    // Erlang B with a = 2 on one server: 2/3 blocked.
    let blocked = s.overall("blocked_rate").unwrap();
    let n = s.overall("arrived").unwrap().mean;
    assert_share("blocked_rate", blocked, 2.0 / 3.0, n);
    let o = Outcomes::default();
    let ideal = 100.0
        * o.top_box(&Journey {
            wait: 0.0,
            tolerance: 2.0,
            cold_handoffs: 0,
            warm_handoffs: 0,
            resolved: true,
        });
    let unresolved = 100.0
        * o.top_box(&Journey {
            wait: 0.0,
            tolerance: 2.0,
            cold_handoffs: 0,
            warm_handoffs: 0,
            resolved: false,
        });
    let expected = blocked.mean * unresolved + (1.0 - blocked.mean) * ideal;
    let sat = s.overall("satisfaction_mean").unwrap();
    assert!(
        (sat.mean - expected).abs() < 1e-6,
        "{} vs {expected}",
        sat.mean
    );
    // Unresolved journeys neither sell nor count as first-contact resolved.
    assert!((s.overall("fcr").unwrap().mean - (1.0 - blocked.mean)).abs() < 1e-9);
}

/// Bad request and chatbot input is rejected with the field.
#[test]
fn bad_bank_input() {
    let base = format!(
        "name = \"x\"\n{RUN}[[request]]\nname = \"routine\"\n[[request]]\nname = \"loan\"\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 60.0\nrequests = {{ routine = 0.7, loan = 0.3 }}\n\
         [[tier]]\nname = \"bot\"\nkind = \"chatbot\"\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n\
         resolves = {{ routine = 0.5 }}\nhandoff_to = \"desk\"\n\
         [[tier]]\nname = \"desk\"\nservers = 2\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n"
    );
    tiersim::scenario::parse(&base, "ok.toml").unwrap();
    let rejects = |from: &str, to: &str, field: &str, text: &str| {
        let bad = base.replace(from, to);
        assert_ne!(bad, base, "{from}");
        match tiersim::scenario::parse(&bad, "bad.toml") {
            Err(tiersim::Error::Scenario(e)) => assert!(
                e.problems
                    .iter()
                    .any(|p| p.field == field && p.message.contains(text)),
                "{field} `{text}`: {:#?}",
                e.problems
            ),
            other => panic!("{from} -> {to}: {other:?}"),
        }
    };
    rejects(
        "routine = 0.7, loan = 0.3",
        "routine = 0.7, loan = 0.2",
        "segment.retail.requests",
        "sum to 0.8999",
    );
    rejects(
        "routine = 0.7, loan = 0.3",
        "routine = 0.7, laon = 0.3",
        "segment.retail.requests",
        "did you mean `loan`?",
    );
    rejects(
        "rate_per_hour = 60.0\nrequests = { routine = 0.7, loan = 0.3 }",
        "rate_per_hour = 60.0",
        "segment.retail.requests",
        "missing",
    );
    rejects(
        "handoff_to = \"desk\"",
        "handoff_to = \"dsk\"",
        "tier.bot.handoff_to",
        "did you mean `desk`?",
    );
    rejects(
        "handoff_to = \"desk\"",
        "",
        "tier.bot.handoff_to",
        "missing",
    );
    rejects(
        "kind = \"chatbot\"",
        "kind = \"chatbot\"\nservers = 4",
        "tier.bot.servers",
        "does not apply to a chatbot",
    );
    rejects(
        "kind = \"chatbot\"",
        "kind = \"robot\"",
        "tier.bot.kind",
        "unknown kind",
    );
    rejects(
        "resolves = { routine = 0.5 }",
        "resolves = { routine = 1.5 }",
        "tier.bot.resolves",
        "[0, 1]",
    );
    rejects(
        "name = \"desk\"\nservers = 2",
        "name = \"desk\"",
        "tier.desk.servers",
        "missing",
    );
    rejects(
        "name = \"desk\"\nservers = 2",
        "name = \"desk\"\nservers = 2\nhandoff_to = \"bot\"",
        "tier.desk.handoff_to",
        "does not apply to a staffed tier",
    );
    rejects(
        "[[request]]\nname = \"loan\"",
        "[[request]]\nname = \"loan\"\nsale_probability = 2.0",
        "request.loan.sale_probability",
        "[0, 1]",
    );
    rejects(
        "[[segment]]",
        "[outcomes]\nbeta_wait = -1.0\n[[segment]]",
        "outcomes.beta_wait",
        ">= 0",
    );
    // A chatbot handing back to itself never lets clients go.
    rejects(
        "handoff_to = \"desk\"",
        "handoff_to = \"bot\"",
        "tier.bot.escalate",
        "never leave",
    );
}
