//! `tiersim attribute` as a user runs it: with one remedy the Shapley
//! value, the waterfall and `compare` agree; remedies on disjoint,
//! independent parts of the model do not interact; the file order moves
//! the waterfall, not the Shapley values; bad requests are refused.

use std::path::Path;

use tiersim::report::attribution::{AttributionFile, read};

use crate::common::{scratch, shipped, text, tiersim};

/// Two segments, each served by its own tier: nothing one does reaches the
/// other.
const BASE: &str = r#"name = "two-sides"
[run]
horizon = 3000.0
warmup = 200.0
replications = 12
seed = 5
service_level_threshold = 1.0

[[segment]]
name = "left"
rate_per_hour = 50.0
patience = { dist = "exponential", mean = 4.0 }
entry = "a"

[[segment]]
name = "right"
rate_per_hour = 40.0
patience = { dist = "exponential", mean = 4.0 }
entry = "b"

[[tier]]
name = "a"
servers = 5
service = { dist = "exponential", mean = 5.5 }

[[tier]]
name = "b"
servers = 4
service = { dist = "exponential", mean = 5.5 }

[cost]
hourly = { a = 30.0, b = 40.0 }
"#;

/// The remedy tables: one more server at `a`, two more at `b`.
const STAFF_A: &str = "[[remedy]]\nname = \"staff_a\"\nset = { \"tier.a.servers\" = 6 }\n";
const STAFF_B: &str = "[[remedy]]\nname = \"staff_b\"\nset = { \"tier.b.servers\" = 6 }\n";

/// Writes `base.toml` and `NAME.toml` (extending it, with `remedies`) into
/// `dir` and runs `attribute` on the latter into `dir/NAME`.
fn attribute(dir: &Path, name: &str, remedies: &str) -> AttributionFile {
    std::fs::write(dir.join("base.toml"), BASE).unwrap();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(
        &file,
        format!("extends = \"base.toml\"\nname = \"{name}\"\n\n{remedies}"),
    )
    .unwrap();
    let out = dir.join(name);
    let run = tiersim(&[
        "attribute",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--threads",
        "2",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    read(&out).unwrap()
}

#[test]
fn one_remedy_is_its_waterfall_and_the_compare_result() {
    let dir = scratch("attribute-one");
    let a = attribute(&dir, "one", STAFF_A);
    std::fs::write(
        dir.join("pkg.toml"),
        "extends = \"base.toml\"\nname = \"pkg\"\n[[tier]]\nname = \"a\"\nservers = 6\n",
    )
    .unwrap();
    let out = dir.join("compare");
    let run = tiersim(&[
        "compare",
        dir.join("base.toml").to_str().unwrap(),
        dir.join("pkg.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let vs = &summary["scenarios"][1]["vs_baseline"]["overall"];
    for metric in ["satisfaction_mean", "wait_mean", "abandon_rate", "served"] {
        let m = a.overall(metric).unwrap();
        assert_eq!(m.shapley, m.waterfall, "{metric}");
        assert_eq!(m.shapley[0], m.total, "{metric}");
        assert_eq!(
            m.total.mean,
            vs[metric]["mean"].as_f64().unwrap(),
            "{metric}"
        );
        assert_eq!(
            m.total.ci95,
            vs[metric]["ci95"].as_f64().unwrap(),
            "{metric}"
        );
    }
    // The tidy CSV has a row per (metric, group, remedy, method).
    let csv = std::fs::read_to_string(dir.join("one/attribution.csv")).unwrap();
    assert!(csv.starts_with("metric,group,remedy,method,mean,ci95\n"));
    assert!(csv.contains("\nsatisfaction_mean,overall,staff_a,shapley,"));
}

#[test]
fn disjoint_remedies_do_not_interact_and_the_order_moves_only_the_waterfall() {
    let dir = scratch("attribute-two");
    let ab = attribute(&dir, "ab", &format!("{STAFF_A}\n{STAFF_B}"));
    let ba = attribute(&dir, "ba", &format!("{STAFF_B}\n{STAFF_A}"));
    assert_eq!(ab.subsets_run, 4);
    for m in &ab.metrics {
        // Efficiency: the Shapley values add up to the package's effect.
        let sum: f64 = m.shapley.iter().map(|s| s.mean).sum();
        let tolerance = 1e-9 * (1.0 + m.total.mean.abs());
        assert!(
            (sum - m.total.mean).abs() <= tolerance || m.total.mean.is_nan(),
            "{} {}: {sum} vs {}",
            m.group,
            m.metric,
            m.total.mean
        );
        // Disjoint remedies: no interaction in any group that sees one side
        // only, nor in the overall counts (sums of the two sides). An
        // overall ratio (a mean wait over both sides' clients) weighs one
        // side by the other's counts, so it is left out: that is a real
        // interaction of the metric, not of the remedies.
        let additive = m.group != "overall"
            || [
                "arrived",
                "served",
                "abandoned",
                "blocked",
                "sales",
                "revenue",
            ]
            .contains(&m.metric.as_str());
        assert!(
            !additive
                || m.interaction.mean.abs() <= m.interaction.ci95 + 1e-9
                || m.interaction.mean.is_nan(),
            "{} {}: interaction {:?}",
            m.group,
            m.metric,
            m.interaction
        );
        if m.group == "segment.left" || m.group == "tier.a" {
            assert!(m.shapley[1].mean == 0.0 || m.shapley[1].mean.is_nan());
        }
        // The same remedies in the other file order: the same Shapley
        // values, remedy by remedy.
        let other = ba
            .metrics
            .iter()
            .find(|o| o.group == m.group && o.metric == m.metric)
            .unwrap();
        for (i, j) in [(0, 1), (1, 0)] {
            let (x, y) = (m.shapley[i].mean, other.shapley[j].mean);
            assert!(
                (x - y).abs() <= 1e-9 * (1.0 + x.abs()) || x.is_nan(),
                "{x} vs {y}"
            );
        }
    }
    // Staff cost per hour: one more server at 30 an hour, two at 40, and
    // nothing shared (fixed staffing: no noise at all).
    let cost = ab.overall("staff_cost_per_hour").unwrap();
    let exact: Vec<(f64, f64)> = cost.shapley.iter().map(|s| (s.mean, s.ci95)).collect();
    assert_eq!(exact, [(30.0, 0.0), (80.0, 0.0)]);
    assert_eq!((cost.interaction.mean, cost.total.mean), (0.0, 110.0));
    // Waterfalls in the two orders: the first step of each is that
    // remedy's single effect, so they differ where remedies interact at all
    // (the overall wait mixes both sides through the client mix).
    let (m, o) = (
        ab.overall("satisfaction_mean").unwrap(),
        ba.overall("satisfaction_mean").unwrap(),
    );
    assert_eq!(m.waterfall[0], m.single[0]);
    assert_eq!(o.waterfall[0], o.single[0]);
    // Where the metric does interact (the overall mean wait of the served,
    // a ratio over both sides), staff_a's step differs with its place.
    let (m, o) = (
        ab.overall("wait_served_mean").unwrap(),
        ba.overall("wait_served_mean").unwrap(),
    );
    assert!(m.interaction.mean.abs() > m.interaction.ci95);
    assert!((m.waterfall[0].mean - o.waterfall[1].mean).abs() > 1e-6);
    assert_eq!(ab.order, ["staff_a", "staff_b"]);
    assert_eq!(ba.order, ["staff_b", "staff_a"]);
}

#[test]
fn bad_requests_are_refused_before_anything_runs() {
    let dir = scratch("attribute-bad");
    std::fs::write(dir.join("base.toml"), BASE).unwrap();
    let many: String = (0..9)
        .map(|i| {
            format!(
                "[[remedy]]\nname = \"r{i}\"\nset = {{ \"segment.left.patience.mean\" = {}.5 }}\n",
                i + 4
            )
        })
        .collect();
    // Nine remedies on one path would overlap; give each its own field.
    let many = many.replace("segment.left.patience.mean", "PATH");
    let paths = [
        "segment.left.rate_per_hour",
        "segment.right.rate_per_hour",
        "tier.a.servers",
        "tier.b.servers",
        "run.horizon",
        "run.warmup",
        "run.service_level_threshold",
        "tier.a.service.mean",
        "tier.b.service.mean",
    ];
    let mut text_out = String::new();
    for (i, block) in many.split("[[remedy]]").skip(1).enumerate() {
        text_out.push_str("[[remedy]]");
        text_out.push_str(&block.replace("PATH", paths[i]));
    }
    let text_out = text_out
        .replace("\"tier.a.servers\" = 6.5", "\"tier.a.servers\" = 6")
        .replace("\"tier.b.servers\" = 7.5", "\"tier.b.servers\" = 7")
        .replace("\"run.horizon\" = 8.5", "\"run.horizon\" = 3100.0")
        .replace("\"run.warmup\" = 9.5", "\"run.warmup\" = 100.0")
        .replace(
            "\"run.service_level_threshold\" = 10.5",
            "\"run.service_level_threshold\" = 2.0",
        );
    std::fs::write(
        dir.join("nine.toml"),
        format!("extends = \"base.toml\"\nname = \"nine\"\n\n{text_out}"),
    )
    .unwrap();
    let out = dir.join("out");
    let cases: [(&[&str], &str); 2] = [
        (
            &["attribute", "nine.toml"],
            "9 remedies make 512 subsets; allowed: at most 8 remedies exactly, or --samples M",
        ),
        (
            &["attribute", "nine.toml", "--order", "r0,r1"],
            "--order r0,r1: allowed: every remedy once",
        ),
    ];
    for (args, message) in cases {
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args[1] = dir.join(&args[1]).display().to_string();
        args.extend(["--out".into(), out.display().to_string()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tiersim(&refs);
        let stderr = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(stderr.contains("nine.toml:"), "{stderr}");
        assert!(!out.exists(), "nothing is written on refusal");
    }
    // With --samples the nine run, on random orders, and say so.
    let run = tiersim(&[
        "attribute",
        dir.join("nine.toml").to_str().unwrap(),
        "--samples",
        "6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let a = read(&out).unwrap();
    assert_eq!((a.method.as_str(), a.samples), ("sampled", Some(6)));
    let m = a.overall("served").unwrap();
    let sum: f64 = m.shapley.iter().map(|s| s.mean).sum();
    assert!((sum - m.total.mean).abs() <= 1e-9 * (1.0 + m.total.mean.abs()));
}

#[test]
fn a_tornado_varies_the_effect_and_the_report_opens_in_a_browser() {
    let dir = scratch("attribute-tornado");
    std::fs::write(dir.join("base.toml"), BASE).unwrap();
    // `tier.a.servers` belongs to the remedy: it varies only in the package,
    // so at 6 (the remedy's own value) the effect is the nominal one.
    let file = dir.join("t.toml");
    std::fs::write(
        &file,
        format!(
            "extends = \"base.toml\"\nname = \"t\"\n\n{STAFF_A}\n[sensitivity]\ndefaults = false\nranges = {{ \"tier.a.servers\" = [6, 8], \"segment.left.rate_per_hour\" = [30.0, 70.0] }}\n"
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let run = tiersim(&[
        "attribute",
        file.to_str().unwrap(),
        "--sensitivity",
        "--report",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = text(&run.stdout);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let a = read(&out).unwrap();
    assert_eq!(
        a.sensitivity.len(),
        2 * 6,
        "two parameters, six headline metrics"
    );
    let bar = |metric: &str, parameter: &str| {
        a.sensitivity
            .iter()
            .find(|s| s.metric == metric && s.parameter == parameter)
            .unwrap()
    };
    let nominal = a.overall("abandon_rate").unwrap().total;
    let own = bar("abandon_rate", "tier.a.servers");
    assert_eq!(own.at_low, nominal);
    assert!(
        own.at_high.mean < own.at_low.mean,
        "more servers, fewer abandon"
    );
    // The busier the left side, the more its extra server saves.
    let load = bar("abandon_rate", "segment.left.rate_per_hour");
    assert!(load.at_high.mean < load.at_low.mean);
    for metric in ["abandon_rate", "satisfaction_mean"] {
        let swings: Vec<f64> = a
            .sensitivity
            .iter()
            .filter(|s| s.metric == metric)
            .map(|s| s.swing)
            .collect();
        assert!(swings.windows(2).all(|w| w[0] >= w[1]), "longest first");
    }
    assert!(stdout.contains("tornado: abandonment"), "{stdout}");
    assert!(stdout.contains("sign"), "{stdout}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for needle in [
        "In short:",
        "data-plot=\"waterfall-satisfaction_mean\"",
        "data-plot=\"shapley-abandon_rate\"",
        "data-plot=\"tornado-abandon_rate\"",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    let Some(chromium) = crate::report::chromium() else {
        eprintln!(
            "NOTICE: chromium not found: the attribution report was NOT checked in a browser"
        );
        return;
    };
    let work = dir.join("chromium");
    std::fs::create_dir_all(&work).unwrap();
    let checked = crate::report::check_in_browser(&chromium, &work, &out.join("report.html"));
    assert!(checked.console.is_empty(), "{:?}", checked.console);
    let r = &checked.result;
    assert_eq!(r["references"], serde_json::json!([]));
    let plots = r["plots"].as_array().unwrap();
    // A waterfall and Shapley bars per headline metric (seven, with the
    // staff cost), a tornado per client metric (six).
    assert_eq!(plots.len(), 7 * 2 + 6);
    for p in plots {
        assert!(
            p["width"].as_f64().unwrap() > 300.0 && p["height"].as_f64().unwrap() > 50.0,
            "{p}"
        );
    }
}

/// Every default range of the tornado can be applied, at its low and its
/// high, to the shipped case study and to the dedicated-RM remedy file
/// (base and package alike); continuity's only where there are books.
#[test]
fn every_documented_assumption_default_is_swept_and_applies() {
    use tiersim::scenario::remedy::{Choice, Package};
    use tiersim::scenario::sensitivity::DEFAULT_RANGES;
    let mut swept = 0;
    for file in shipped() {
        let Ok(package) = Package::load(&file) else {
            continue; // not a scenario (a log or a trace is not .toml)
        };
        let all = package.chosen(&Choice::All).unwrap();
        let none = vec![false; all.len()];
        let coefficient = |p: &str| DEFAULT_RANGES.iter().any(|(d, _, _)| *d == p);
        for p in package.sensitivity() {
            if p.source != "default" || coefficient(&p.path) {
                continue;
            }
            swept += 1;
            for v in [p.low, p.high] {
                for chosen in [&all, &none] {
                    if let Err(e) = package.sweep_with(chosen, &[(&p, v)]) {
                        panic!("{}: {} = {v}: {e}", file.display(), p.path);
                    }
                }
            }
        }
    }
    assert!(swept > 0);
    // The case study's documented ASSUMPTION values are found by path.
    let package = Package::load(Path::new("scenarios/case-study/remedies.toml")).unwrap();
    let paths: Vec<String> = package.sensitivity().into_iter().map(|p| p.path).collect();
    for expected in [
        "request.product_advice.sale_probability",
        "request.loan_application.sale_probability",
        "segment.high_end.patience.mean",
        "levers.training.senior.service",
        "levers.training.junior.escalation",
        "request.loan_application.service_multiplier.junior",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} not in {paths:?}"
        );
    }
    let baseline = Package::load(Path::new("scenarios/baseline.toml")).unwrap();
    let paths: Vec<String> = baseline.sensitivity().into_iter().map(|p| p.path).collect();
    assert!(
        paths
            .iter()
            .any(|p| p == "channel.phone.redial.after_block"),
        "{paths:?}"
    );
    // The file's own range of the junior's training stays the file's.
    let own = package.sensitivity();
    let junior = own
        .iter()
        .find(|p| p.path == "levers.training.junior.service")
        .unwrap();
    assert_eq!(junior.source, "file");
}

#[test]
fn every_default_range_applies_to_the_shipped_scenarios() {
    use tiersim::scenario::remedy::{Choice, Package};
    for (file, books) in [
        ("scenarios/case-study/after-faithful.toml", false),
        ("scenarios/remedies/dedicated-rm.toml", true),
    ] {
        let package = Package::load(Path::new(file)).unwrap();
        let params = package.sensitivity();
        assert_eq!(
            params.iter().any(|p| p.path == "outcomes.beta_continuity"),
            books,
            "{file}"
        );
        let all = package.chosen(&Choice::All).unwrap();
        let none = vec![false; all.len()];
        for p in &params {
            for v in [p.low, p.high] {
                for chosen in [&all, &none] {
                    if let Err(e) = package.sweep_with(chosen, &[(p, v)]) {
                        panic!("{file}: {} = {v}: {e}", p.path);
                    }
                }
            }
        }
    }
}

/// A remedy that sends clients to a new first tier changes what the
/// first-step metrics (service level) measure: the attribution names it,
/// in `attribution.json` and under the terminal table, and a remedy that
/// only restaffs is not flagged (its JSON carries no `route_change`).
#[test]
fn a_remedy_that_changes_the_route_is_flagged_not_comparable() {
    let dir = scratch("attribute-route");
    let front = "[[remedy]]\nname = \"front\"\nset = { \"segment.left.entry\" = \"c\", \"cost.hourly\" = { a = 30.0, b = 40.0, c = 30.0 } }\n\n[[remedy.add.tier]]\nname = \"c\"\nservers = 3\nservice = { dist = \"exponential\", mean = 1.0 }\n";
    let file = attribute(&dir, "route", &format!("{STAFF_B}\n{front}"));
    let change = |name: &str| {
        file.remedies
            .iter()
            .find(|r| r.name == name)
            .unwrap()
            .route_change
            .clone()
    };
    assert_eq!(change("front").as_deref(), Some("it adds tier c"));
    assert_eq!(change("staff_b"), None);
    let notes = tiersim::report::attribution::route_notes(&file);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with(
        "front changes the route (it adds tier c): its contribution to service level"
    ));
    let table = tiersim::report::attribution::table(&file);
    assert!(
        table.contains(&format!("not comparable: {}", notes[0])),
        "{table}"
    );
    // Only restaffing: nothing flagged, and the file is as before.
    let plain = attribute(&dir, "plain", STAFF_A);
    assert!(plain.remedies.iter().all(|r| r.route_change.is_none()));
    let json = std::fs::read_to_string(dir.join("plain/attribution.json")).unwrap();
    assert!(!json.contains("route_change"), "{json}");
    assert!(!tiersim::report::attribution::table(&plain).contains("not comparable"));
}
