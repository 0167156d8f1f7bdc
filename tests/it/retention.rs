//! Retention (docs/outcomes.md, "Risk and retention"): the expected
//! attrition after each journey is the closed-form mix of the endings'
//! annual attrition, weighted by how many journeys ended each way, and
//! feedback multiplies it as documented. Exact up to rounding: the metrics
//! are expectations over the journeys' own outcome draws.

use crate::common::model;
use tiersim::experiment::replicate;
use tiersim::model::metrics::overall;
use tiersim::model::retention::{Ending, Retention};

/// One staffed tier; `patience` on the segment (abandonment makes
/// unresolved journeys); `extra` appended.
fn bank(servers: u32, patience: &str, extra: &str) -> String {
    format!(
        "name = \"keep\"\n[run]\nhorizon = 20000.0\nreplications = 4\nseed = 5\n\
         service_level_threshold = 1.0\n\
         [[tier]]\nname = \"front\"\nservers = {servers}\nservice = {{ dist = \"exponential\", mean = 4.0 }}\n\
         [[segment]]\nname = \"retail\"\nrate_per_hour = 12.0\nannual_value = 300.0\n{patience}\n{extra}"
    )
}

/// No complaints (both complaint coefficients and κ at 0) and no sales
/// pressure: every served journey ends top-box or not, so per replication
/// Σ h = h_top · top-box + h_not · (finished − top-box), value at risk is
/// 300 · Σ h, and feedback adds 300 · f · ρ · (π − 1) per client.
#[test]
fn attrition_is_the_weighted_mix_of_endings() {
    let coefficients = "[outcomes]\ncomplaint_if_top_box = 0.0\ncomplaint_otherwise = 0.0\n\
                        formal_complaint_kappa = 0.0\n\
                        [levers]\nfeedback = 0.5\n\
                        [retention]\nbase_annual = 0.08\nrr_not_top_box = 1.6\nsurvey_response_rate = 0.2\n";
    let m = model(&bank(60, "", coefficients));
    let r = Retention {
        base_annual: 0.08,
        rr_not_top_box: 1.6,
        survey_response_rate: 0.2,
        feedback: 0.5,
        ..Retention::default()
    };
    // F = 0.5 + 0.5 · (0.2 · 0.85 + 0.8 · 1.05) = 1.005.
    assert!((r.feedback_attrition() - 1.005).abs() < 1e-12);
    let (top, not) = (r.attrition(Ending::TopBox), r.attrition(Ending::NotTopBox));
    assert!((top - 0.08 * 1.005).abs() < 1e-12 && (not - 0.08 * 1.6 * 1.005).abs() < 1e-12);
    for result in replicate(&m) {
        let c = overall(&result.segments);
        assert_eq!(c.served, c.finished, "everyone is served");
        assert!(c.top_box > 1000 && c.finished - c.top_box > 100);
        let expected = top * c.top_box as f64 + not * (c.finished - c.top_box) as f64;
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs();
        assert!(
            close(c.attrition, expected),
            "{} vs {expected}",
            c.attrition
        );
        assert!(close(c.value_at_risk, 300.0 * expected));
        let feedback = 300.0 * 0.5 * 0.2 * 0.14 * c.finished as f64;
        assert!(
            close(c.feedback_value, feedback),
            "{} vs {feedback}",
            c.feedback_value
        );
    }
}

/// Unresolved journeys (abandonment at a short-staffed tier) take the
/// unresolved relative risk and resolved ones the baseline: Σ h = h0 ·
/// (served + RR_unr · (finished − served)); and a complaint at every
/// journey makes every resolved ending "complaint handled".
#[test]
fn unresolved_and_complaints_take_their_relative_risk() {
    let base = "[outcomes]\ncomplaint_if_top_box = 0.0\ncomplaint_otherwise = 0.0\n\
                formal_complaint_kappa = 0.0\n\
                [retention]\nbase_annual = 0.05\nrr_not_top_box = 1.0\nrr_unresolved = 4.0\n\
                rr_complaint_handled = 1.7\n";
    let patience = "patience = { dist = \"exponential\", mean = 3.0 }";
    let m = model(&bank(1, patience, base));
    for result in replicate(&m) {
        let c = overall(&result.segments);
        let unresolved = (c.finished - c.served) as f64;
        assert!(
            unresolved > 1000.0 && c.served > 1000,
            "{unresolved} {}",
            c.served
        );
        let expected = 0.05 * (c.served as f64 + 4.0 * unresolved);
        assert!((c.attrition - expected).abs() <= 1e-9 * expected);
    }
    let always = base
        .replace("complaint_if_top_box = 0.0", "complaint_if_top_box = 1.0")
        .replace("complaint_otherwise = 0.0", "complaint_otherwise = 1.0");
    let m = model(&bank(1, patience, &always));
    for result in replicate(&m) {
        let c = overall(&result.segments);
        assert_eq!(c.complaints, c.finished);
        let unresolved = (c.finished - c.served) as f64;
        let expected = 0.05 * (1.7 * c.served as f64 + 4.0 * unresolved);
        assert!((c.attrition - expected).abs() <= 1e-9 * expected);
    }
}
