//! Break points of the outcome model's v2 terms (docs/outcomes.md,
//! "Outcome model v2"): continuity, the chatbot's hand-off and time, and
//! the two-sided turnaround term; and that each term at its neutral value
//! leaves the old model's utility bit for bit.

use super::*;

/// A resolved journey that waited `x` tolerances (τ = 2 min).
fn journey(x: f64) -> Journey {
    Journey::waited(2.0 * x, 2.0, true)
}

/// The v2 coefficients at their sourced values (`[outcomes] model = 2`).
fn v2() -> Outcomes {
    Outcomes {
        beta_continuity: v2::BETA_CONTINUITY,
        beta_bot_handoff: Some(v2::BETA_BOT_HANDOFF),
        bot_time_counts_on_failure: v2::BOT_TIME_COUNTS_ON_FAILURE,
        ..Outcomes::default()
    }
}

fn check(o: &Outcomes, j: Journey, expected: f64) {
    let p = o.top_box(&j);
    assert!((p - expected).abs() <= 0.005, "{j:?}: {p} vs {expected}");
}

/// docs/outcomes.md's v2 table, to two decimals.
#[test]
fn documented_v2_break_points() {
    let o = v2();
    // Continuity: +0.3 logit for a client served by their own RM.
    check(&o, journey(0.0), 0.80);
    check(
        &o,
        Journey {
            own_rm: true,
            ..journey(0.0)
        },
        0.84,
    );
    check(
        &o,
        Journey {
            own_rm: true,
            ..journey(0.5)
        },
        0.82,
    );
    // A cold chatbot hand-off costs β_bot = 0.75 (a transfer 0.5), a warm
    // one half; both at 0.5 τ. The transfer's own β_tr is counted in
    // `cold_handoffs` and the bot's extra in `bot_cold`.
    check(
        &o,
        Journey {
            cold_handoffs: 1,
            bot_cold: 1,
            ..journey(0.5)
        },
        0.61,
    );
    check(
        &o,
        Journey {
            warm_handoffs: 1,
            bot_warm: 1,
            ..journey(0.5)
        },
        0.70,
    );
    // A failed 10-minute bot conversation counts 20%: 2 minutes, one τ,
    // on top of 0.5 τ in the queue: as a wait of 1.5 τ.
    check(
        &o,
        Journey {
            bot_time: 10.0,
            ..journey(0.5)
        },
        0.65,
    );
}

/// The two-sided turnaround term (back-office time against the client's
/// reference `b`, and against the promise `r`).
#[test]
fn turnaround_both_ways() {
    let o = Outcomes::default();
    let at = |b: f64, r: f64| Journey {
        expected_ratio: Some(b),
        promise_ratio: r,
        ..journey(0.0)
    };
    // On the reference: nothing; half of it: a gain of β_bo/λ · 0.5; an
    // instant answer: the gain's bound β_bo/λ, no more for "faster".
    check(&o, at(1.0, 0.0), 0.80);
    check(&o, at(0.5, 0.0), 0.83);
    check(&o, at(0.0, 0.0), 0.85);
    assert_eq!(o.utility(&at(0.0, 0.0)), o.utility(&at(-1.0, 0.0)));
    // 1.5 times the reference with no promise: as the old term at 1.5
    // (0.73); with the promise missed by as much, the worse of the two:
    // β_promise = 1.2 per promise exceeded (0.69).
    check(&o, at(1.5, 0.0), 0.73);
    check(&o, at(1.5, 1.5), 0.69);
    // Beating the reference while missing a tight promise: the gain and
    // the promise's loss both count.
    let u = o.utility(&at(0.5, 2.0));
    let expected = o.beta0() + o.beta_gain() + o.beta_back_office / o.loss_aversion * 0.5 - 1.2;
    assert!((u - expected).abs() < 1e-12, "{u} vs {expected}");
}

/// Every v2 term at its neutral value adds exactly nothing, so a file
/// that does not opt in scores every journey bit for bit as before.
#[test]
fn neutral_terms_leave_the_old_utility_bit_for_bit() {
    let o = Outcomes::default();
    for x in [0.0, 0.3, 1.0, 2.7] {
        for (cold, warm) in [(0, 0), (1, 0), (2, 1)] {
            let old = Journey {
                cold_handoffs: cold,
                warm_handoffs: warm,
                turnaround_ratio: 1.7,
                ..journey(x)
            };
            let new = Journey {
                bot_cold: cold,
                bot_warm: warm,
                bot_time: 12.5,
                own_rm: true,
                promise_ratio: 3.0,
                ..old
            };
            assert_eq!(o.utility(&old).to_bits(), o.utility(&new).to_bits());
        }
    }
}

/// A chatbot tier's own `sale_factor` replaces the global one.
#[test]
fn a_bot_sells_at_its_own_factor() {
    let p = Outcomes::default().prepared();
    assert_eq!(p.sale(0.8, 0.03, true), p.sale_by(0.8, 0.03, 0.2));
    assert!((p.sale_by(0.8, 0.03, 0.3) - 0.009).abs() < 1e-12);
    assert_eq!(p.sale(0.8, 0.03, false), p.sale_by(0.8, 0.03, 1.0));
}

/// U's plain terms are its first: a journey whose other terms are all
/// zero (the `Lean` instance's journeys) scores bit for bit as from its
/// plain utility, in the old model and with every v2 term on; a
/// journey served at once takes the ideal journey's P(top-box), which
/// is σ of its utility.
#[test]
fn plain_utility_scores_as_the_whole_utility() {
    for o in [Outcomes::default(), v2()] {
        let s = o.prepared();
        for i in 0..400 {
            let (wait, tolerance) = (i as f64 * 0.037, [0.0, 0.5, 2.0, 7.3][i % 4]);
            let (cold, warm, resolved) = ((i % 3) as u32, (i % 5) as u32, i % 7 != 0);
            let j = Journey {
                cold_handoffs: cold,
                warm_handoffs: warm,
                ..Journey::waited(wait, tolerance, resolved)
            };
            let plain = s.plain_utility(wait, tolerance, cold, warm, resolved);
            assert_eq!(s.top_box(&j).to_bits(), logistic(plain).to_bits(), "{j:?}");
            assert_eq!(s.top_box_of(plain).to_bits(), logistic(plain).to_bits());
        }
        let ideal = Journey::waited(0.0, 3.0, true);
        assert_eq!(s.ideal.0, s.utility(&ideal));
        assert_eq!(
            s.top_box(&ideal).to_bits(),
            logistic(s.utility(&ideal)).to_bits()
        );
    }
}
