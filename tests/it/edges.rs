//! Numeric edges: means from 1e-6 to 1e6 minutes, cv = 0, Erlang k = 1000
//! (and the largest k), empirical lists of one value, segments with no
//! arrivals, and tiers with nobody on duty in some slots.

use crate::common::{model, scratch, text, tiersim};
use tiersim::engine::Dist;
use tiersim::engine::rng::stream;
use tiersim::engine::stats::Estimate;
use tiersim::experiment::ReplicationMetrics;
use tiersim::model::{CLIENT_METRICS, TIER_METRICS, simulate};

/// One server at load 0.5 with every duration (service, patience, the
/// tolerated wait, threshold, horizon) in units of `m` minutes.
fn scaled(m: f64) -> String {
    format!(
        r#"name = "scaled"
[run]
horizon = {:?}
replications = 1
service_level_threshold = {:?}
[[segment]]
name = "retail"
rate_per_hour = {:?}
patience = {{ dist = "exponential", mean = {:?} }}
tolerance = {:?}
[[tier]]
name = "desk"
servers = 1
service = {{ dist = "exponential", mean = {:?} }}
"#,
        20_000.0 * m,
        0.5 * m,
        30.0 / m,
        4.0 * m,
        2.0 * m,
        m
    )
}

/// Time has no preferred unit: a model whose durations are all `m` times
/// another's, for m from 1e-6 to 1e6, sees the same clients (every draw is
/// a unit draw times a mean) and gives the same counts, and means and
/// utilization scaled by `m`, to rounding.
#[test]
fn means_from_a_microminute_to_a_million_minutes() {
    let unit = simulate(&model(&scaled(1.0)), 0);
    assert!(unit.segments[0].arrived > 5_000);
    let values = |r: &_| ReplicationMetrics::of(r);
    let reference = values(&unit);
    for m in [1e-6, 1e-3, 1e3, 1e6] {
        let r = simulate(&model(&scaled(m)), 0);
        let c = &r.segments[0];
        assert_eq!(c.arrived, unit.segments[0].arrived, "m = {m}");
        assert_eq!(c.served, unit.segments[0].served, "m = {m}");
        assert_eq!(c.abandoned, unit.segments[0].abandoned, "m = {m}");
        let got = values(&r);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1e-300);
        for (name, (a, b)) in CLIENT_METRICS
            .iter()
            .zip(got.overall.iter().zip(&reference.overall))
        {
            let per_unit = match *name {
                "wait_mean"
                | "wait_served_mean"
                | "sojourn_mean"
                | "wait_p90"
                | "turnaround_mean_hours" => a / m,
                _ => *a,
            };
            // The wait distribution is kept to 1e-4 minutes: its
            // quantiles are exact only from there up.
            if *name == "wait_p90" && m < 1.0 {
                continue;
            }
            assert!(
                close(per_unit, *b)
                    || (per_unit - b).abs() < 2e-3 * b.abs()
                    || (per_unit.is_nan() && b.is_nan()),
                "m = {m}: {name} {per_unit} vs {b}"
            );
        }
        let u = TIER_METRICS
            .iter()
            .position(|n| *n == "utilization")
            .unwrap();
        assert!(close(got.tiers[0][u], reference.tiers[0][u]), "m = {m}");
    }
}

/// cv = 0 is deterministic for gamma and lognormal: every service takes
/// exactly the mean, so sojourn - wait of served clients is the mean.
#[test]
fn cv_zero_is_deterministic() {
    for kind in ["gamma", "lognormal"] {
        let m = model(&scaled(1.0).replace(
            "{ dist = \"exponential\", mean = 1.0 }",
            &format!("{{ dist = \"{kind}\", mean = 2.0, cv = 0.0 }}"),
        ));
        assert_eq!(
            m.tiers[0].service[0],
            Dist::Deterministic { mean: 2.0 },
            "{kind}"
        );
        let r = simulate(&m, 0);
        let t = &r.tiers[0];
        let service = (t.sojourn.sum - t.wait_served.sum) / t.sojourn.count as f64;
        assert!((service - 2.0).abs() < 1e-9, "{kind}: {service}");
    }
}

/// Erlang k = 1000 has the given mean and squared coefficient of variation
/// 1/1000 (checked within four standard errors over 40,000 draws); the
/// largest k a file can hold still draws finite positive values.
#[test]
fn erlang_with_a_thousand_phases_and_more() {
    let m = model(&scaled(1.0).replace(
        "{ dist = \"exponential\", mean = 1.0 }",
        "{ dist = \"erlang\", mean = 3.0, k = 1000 }",
    ));
    let d = &m.tiers[0].service[0];
    assert!((d.scv() - 1e-3).abs() < 1e-15);
    let mut rng = stream(1, 0, "erlang");
    let draws: Vec<f64> = (0..40_000).map(|_| d.sample(&mut rng)).collect();
    let mean = Estimate::from_values(draws.iter().copied());
    // sd of one draw: 3 / sqrt(1000); of the mean: that / sqrt(40,000).
    let se = 3.0 / 1000f64.sqrt() / 200.0;
    assert!((mean.mean - 3.0).abs() < 4.0 * se, "{}", mean.mean);
    let var = draws.iter().map(|x| (x - 3.0).powi(2)).sum::<f64>() / draws.len() as f64;
    // The sample variance's relative sd is about sqrt(2 / n) = 0.7%.
    assert!(
        (var / 9e-3 - 1.0).abs() < 4.0 * (2.0f64 / 40_000.0).sqrt(),
        "{var}"
    );
    let huge = Dist::erlang(3.0, u32::MAX);
    for _ in 0..100 {
        let x = huge.sample(&mut rng);
        assert!(x.is_finite() && (x - 3.0).abs() < 1e-2, "{x}");
    }
    assert_eq!(simulate(&m, 0).segments[0].inside, 0);
}

/// An empirical list of one value is that value every time.
#[test]
fn empirical_of_one_value() {
    let m = model(&scaled(1.0).replace(
        "{ dist = \"exponential\", mean = 1.0 }",
        "{ dist = \"empirical\", values = [1.5] }",
    ));
    let mut rng = stream(2, 0, "empirical");
    assert!((0..100).all(|_| m.tiers[0].service[0].sample(&mut rng) == 1.5));
    let t = &simulate(&m, 0).tiers[0];
    let service = (t.sojourn.sum - t.wait_served.sum) / t.sojourn.count as f64;
    assert!((service - 1.5).abs() < 1e-9);
}

/// A segment with no arrivals (its days all have factor 0, or its rate is
/// too low to see one client in the run) runs: counts of zero, metrics
/// undefined (NaN in memory, null in summary.json), no panic.
#[test]
fn segments_with_no_arrivals() {
    let text_of = |extra: &str| {
        format!(
            "{}[[segment]]\nname = \"rare\"\nrate_per_hour = 1e-9\n{extra}",
            scaled(1.0).replace("horizon = 20000.0", "horizon = 2000.0")
        )
    };
    let m = model(&text_of(""));
    let r = simulate(&m, 0);
    assert_eq!(r.segments[1].arrived, 0);
    let v = ReplicationMetrics::of(&r);
    let wait = CLIENT_METRICS
        .iter()
        .position(|n| *n == "wait_mean")
        .unwrap();
    assert!(v.segments[1][wait].is_nan());
    // Nobody at all on any day: a run that could only report nothing is
    // refused (issue 21), naming the horizon.
    let closed = tiersim::scenario::parse(
        &format!(
            "{}[calendar]\nday_factors = {{ mon = 0.0, tue = 0.0, wed = 0.0, thu = 0.0, fri = 0.0, sat = 0.0, sun = 0.0 }}\n",
            scaled(1.0)
        ),
        "closed.toml",
    );
    match closed {
        Err(tiersim::error::Error::Scenario(e)) => assert!(
            e.problems
                .iter()
                .any(|p| p.field == "run.horizon" && p.message.contains("no client can arrive")),
            "{}",
            e.rendered
        ),
        _ => panic!("a run with no arrivals was accepted"),
    }
    // Through the command line, summary.json stays valid JSON.
    let dir = scratch("no-arrivals");
    let file = dir.join("rare.toml");
    std::fs::write(&file, text_of("")).unwrap();
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "run",
        &file.display().to_string(),
        "--out",
        &out_dir.display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    assert!(summary.to_string().contains("rare"));
}

/// A tier with nobody on duty from 20:00 to 08:00: no service starts then
/// (busy server-minutes within duty in those slots are zero), clients
/// arriving at night wait for the morning, and the books balance.
#[test]
fn tier_with_no_servers_at_night() {
    let m = model(
        r#"name = "nights"
[run]
horizon = 10080.0
replications = 1
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
[[segment]]
name = "retail"
rate_per_hour = 6.0
[[tier]]
name = "desk"
service = { dist = "exponential", mean = 2.0 }
shifts = [{ start = "08:00", end = "20:00", servers = 2 }]
"#,
    );
    let r = simulate(&m, 0);
    let t = &r.tiers[0];
    for hour in (0..8).chain(20..24) {
        assert_eq!(t.slot_servers[hour], 0.0, "hour {hour}");
        assert_eq!(t.slot_busy[hour], 0.0, "hour {hour}");
        assert!(t.slot_queue[hour] > 0.0, "hour {hour}: nobody waited");
    }
    let c = &r.segments[0];
    assert_eq!(c.arrived, c.served + c.abandoned + c.blocked + c.inside);
    // A client arriving just after 20:00 waits about 12 hours.
    assert!(c.wait.mean() > 60.0, "{}", c.wait.mean());
    assert!(t.busy_mean <= t.servers_mean);
}
