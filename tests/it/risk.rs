//! Risk outcomes (docs/outcomes.md, "Risk and retention"): problem cases a
//! back office catches, on common random numbers, and money lost. Each test
//! checks what must hold exactly (the same problem cases whatever the
//! catch rate, losses = missed cases × the loss per case, no other metric
//! moved) and the share caught against its binomial confidence.

use crate::common::{assert_share, model};
use tiersim::experiment::{ReplicationMetrics, replicate};
use tiersim::model::CLIENT_METRICS;
use tiersim::model::metrics::overall;

/// A front line that serves everyone (60 servers, no queue) and a back
/// office `review` every case of `retail` goes through, with `review` and
/// `segment` lines appended to the tier and the segment, then `extra`.
fn reviewed(review: &str, segment: &str, extra: &str) -> String {
    format!(
        "name = \"risk\"\n[run]\nhorizon = 20000.0\nreplications = 6\nseed = 11\n\
         service_level_threshold = 1.0\n\
         [[tier]]\nname = \"front\"\nservers = 60\nservice = {{ dist = \"exponential\", mean = 1.0 }}\n\
         [[tier]]\nname = \"review\"\nkind = \"back_office\"\nservers = 60\n\
         service = {{ dist = \"exponential\", mean = 5.0 }}\n{review}\n\
         [[tier]]\nname = \"audit\"\nkind = \"back_office\"\nservers = 60\n\
         service = {{ dist = \"exponential\", mean = 5.0 }}\ncatch_rate = 0.5\n\
         [[request]]\nname = \"loan\"\nback_office = [\"audit\"]\n[[request]]\nname = \"query\"\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 12.0\nback_office = [\"review\"]\n\
         requests = {{ loan = 0.5, query = 0.5 }}\n{segment}\n{extra}"
    )
}

/// The position of `key` in the client metrics.
fn at(key: &str) -> usize {
    CLIENT_METRICS.iter().position(|k| *k == key).unwrap()
}

/// Every metric of every replication as bits, with the client metrics in
/// `skip` blanked out (NaN compares equal to itself this way).
fn bits(toml: &str, skip: &[&str]) -> Vec<Vec<u64>> {
    let m = model(toml);
    replicate(&m)
        .iter()
        .map(|r| {
            let mut v = ReplicationMetrics::of(r);
            for row in std::iter::once(&mut v.overall).chain(v.segments.iter_mut()) {
                for key in skip {
                    row[at(key)] = 0.0;
                }
            }
            v.flat().map(f64::to_bits).collect()
        })
        .collect()
}

const RISK_KEYS: [&str; 4] = [
    "problem_cases",
    "problem_cases_caught",
    "problem_cases_missed",
    "risk_losses",
];

/// A review that catches nothing misses every problem case; one with recall
/// 0.6 sees exactly the same problem cases (common random numbers), misses
/// a subset of them, 40% for queries (one review) and 20% for loans
/// (review 0.6, then audit 0.5) within binomial confidence, and loses
/// exactly `loss_per_missed_case` per missed case. Nothing else moves.
#[test]
fn a_back_office_that_catches_lowers_missed_cases_by_its_recall() {
    let run = |catch: f64| {
        let m = model(&reviewed(
            &format!("catch_rate = {catch}"),
            "problem_rate = 0.2",
            "[risk]\nloss_per_missed_case = 1000.0\n",
        ));
        replicate(&m)
    };
    let (none, some) = (run(0.0), run(0.6));
    let (mut cases, mut missed) = (0.0, 0.0);
    let mut shares = Vec::new();
    for (a, b) in none.iter().zip(&some) {
        let (a, b) = (overall(&a.segments), overall(&b.segments));
        assert!(
            a.problem_cases > 500,
            "too few problem cases: {}",
            a.problem_cases
        );
        assert_eq!(a.problem_cases, b.problem_cases, "the same problem cases");
        // Loans pass the audit (0.5) even without a review.
        assert!(b.problem_caught >= a.problem_caught);
        assert_eq!(
            a.risk_losses,
            1000.0 * (a.problem_cases - a.problem_caught) as f64
        );
        assert_eq!(
            b.risk_losses,
            1000.0 * (b.problem_cases - b.problem_caught) as f64
        );
        assert_eq!(
            (a.finished, a.top_box, a.sales),
            (b.finished, b.top_box, b.sales)
        );
        cases += b.problem_cases as f64;
        missed += (b.problem_cases - b.problem_caught) as f64;
        shares.push((b.problem_cases - b.problem_caught) as f64 / b.problem_cases as f64);
    }
    // Half loans (missed 0.4 · 0.5), half queries (missed 0.4).
    let e = tiersim::engine::stats::Estimate::from_values(shares.iter().copied());
    assert_share(
        "missed share",
        e,
        0.5 * 0.2 + 0.5 * 0.4,
        cases / none.len() as f64,
    );
    assert!(missed < cases);
    assert_eq!(
        bits(
            &reviewed("catch_rate = 0.0", "problem_rate = 0.05", ""),
            &RISK_KEYS
        ),
        bits(
            &reviewed("catch_rate = 0.9", "problem_rate = 0.05", ""),
            &RISK_KEYS
        ),
        "a catch rate moves only the risk metrics"
    );
}

/// Problem cases draw on their own stream: turning risk on (and stating
/// every neutral value explicitly) leaves every other metric bit for bit as
/// it was, and the neutral values give zero risk metrics.
#[test]
fn risk_moves_only_the_risk_metrics() {
    let plain = bits(&reviewed("", "", ""), &[]);
    let neutral = reviewed(
        "catch_rate = 0.0",
        "problem_rate = 0.0\nannual_value = 0.0",
        "[risk]\nloss_per_missed_case = 0.0\nmis_sale_remediation = 0.0\n\
         credit_loss_per_sale = { loan = 0.0 }\n[levers]\nfeedback = 0.0\n",
    );
    assert_eq!(plain, bits(&neutral, &[]), "neutral values change nothing");
    let on = reviewed(
        "catch_rate = 0.6",
        "problem_rate = 0.2",
        "[risk]\nloss_per_missed_case = 50.0\n",
    );
    assert_eq!(
        plain,
        bits(&on, &RISK_KEYS),
        "risk moves only its own metrics"
    );
}

/// Credit losses and mis-sale remediation: with every sale of a loan
/// carrying an expected credit loss of 10 and full sales pressure
/// (k = 1, uplift 0.24), and a remediation of 100 per mis-sale, the losses
/// are exactly 12.4 per loan sold plus 100 per mis-sale.
#[test]
fn credit_losses_and_remediation_add_up() {
    let source = reviewed(
        "",
        "",
        "[levers]\nkpi_pressure = 1.0\nmis_sale_max = 0.2\n\
         [risk]\nmis_sale_remediation = 100.0\ncredit_loss_per_sale = { loan = 10.0 }\n",
    )
    .replace(
        "name = \"loan\"\n",
        "name = \"loan\"\nsale_probability = 0.3\n",
    );
    let m = model(&source);
    for r in replicate(&m) {
        let loans = r.requests[0].sales as f64;
        let all = overall(&r.segments);
        assert!(
            loans > 100.0 && all.mis_sales > 10,
            "{loans} {}",
            all.mis_sales
        );
        let expected = loans * 10.0 * 1.24 + all.mis_sales as f64 * 100.0;
        assert!(
            (all.risk_losses - expected).abs() < 1e-9 * expected,
            "{} vs {expected}",
            all.risk_losses
        );
    }
}
