//! Every shipped scenario parses and runs; bad scenarios are rejected with
//! the file, line, field and what is allowed.

use tiersim::error::Problem;
use tiersim::{Error, experiment, scenario};

use crate::common::shipped;

/// Every shipped scenario parses, every point of its sweep validates, and
/// its first point runs with its own replications.
#[test]
fn every_shipped_scenario_parses_and_runs() {
    let files = shipped();
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let sweep = scenario::load_sweep(&path).unwrap_or_else(|e| panic!("{e}"));
        let s = &sweep.points[0].scenario;
        assert!(
            s.warnings.is_empty(),
            "{}: {:?}",
            path.display(),
            s.warnings
        );
        let summary = experiment::run(&s.model);
        let arrived = summary.overall("arrived").unwrap().mean;
        let served = summary.overall("served").unwrap().mean;
        assert!(arrived > 1000.0, "{}", path.display());
        assert!(served > 0.5 * arrived, "{}", path.display());
    }
}

/// The problems found in an inline scenario that must be rejected.
fn problems(toml: &str) -> Vec<Problem> {
    match scenario::parse(toml, "bad.toml") {
        Err(Error::Scenario(e)) => {
            assert!(e.rendered.contains("bad.toml:"), "{}", e.rendered);
            assert!(e.rendered.contains('^'), "no caret: {}", e.rendered);
            e.problems
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("accepted:\n{toml}"),
    }
}

/// Asserts one problem at `line` naming `field` and containing `text`.
fn rejects(toml: &str, line: usize, field: &str, text: &str) {
    let found = problems(toml);
    assert!(
        found
            .iter()
            .any(|p| p.line == line && p.field == field && p.message.contains(text)),
        "expected line {line}, field {field}, `{text}`; got {found:#?}"
    );
}

const GOOD: &str = r#"name = "ok"
[run]
horizon = 1000.0
warmup = 10.0
replications = 2
seed = 3
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 60.0
patience = { dist = "exponential", mean = 5.0 }
entry = "front"
[[tier]]
name = "front"
servers = 2
service = { dist = "exponential", mean = 1.0 }
escalate = [{ to = "expert", probability = 0.2 }]
[[tier]]
name = "expert"
servers = 1
service = { dist = "erlang", mean = 2.0, k = 2 }
"#;

/// `GOOD` with line `line` (1-based) replaced.
fn with_line(line: usize, text: &str) -> String {
    GOOD.lines()
        .enumerate()
        .map(|(i, l)| if i + 1 == line { text } else { l })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_good_base_is_accepted() {
    scenario::parse(GOOD, "good.toml").unwrap();
}

#[test]
fn unknown_field_suggests_the_nearest() {
    rejects(
        &with_line(10, "rate_per_hr = 60.0"),
        10,
        "segment.retail.rate_per_hr",
        "did you mean `rate_per_hour`?",
    );
    rejects(
        &with_line(5, "replicatons = 2"),
        5,
        "run.replicatons",
        "did you mean `replications`?",
    );
}

#[test]
fn wrong_type() {
    rejects(
        &with_line(15, "servers = \"two\""),
        15,
        "tier.front.servers",
        "invalid type",
    );
    rejects(
        &with_line(10, "rate_per_hour = \"fast\""),
        10,
        "segment.retail.rate_per_hour",
        "invalid type",
    );
}

#[test]
fn non_positive_rate_mean_or_servers() {
    rejects(
        &with_line(10, "rate_per_hour = 0.0"),
        10,
        "segment.retail.rate_per_hour",
        "> 0",
    );
    rejects(
        &with_line(10, "rate_per_hour = -3"),
        10,
        "segment.retail.rate_per_hour",
        "> 0",
    );
    rejects(
        &with_line(10, "rate_per_hour = nan"),
        10,
        "segment.retail.rate_per_hour",
        "finite",
    );
    rejects(
        &with_line(16, "service = { dist = \"exponential\", mean = 0.0 }"),
        16,
        "tier.front.service.mean",
        "> 0",
    );
    rejects(
        &with_line(11, "patience = { dist = \"exponential\", mean = -1.0 }"),
        11,
        "segment.retail.patience.mean",
        "> 0",
    );
    rejects(
        &with_line(15, "servers = 0"),
        15,
        "tier.front.servers",
        ">= 1",
    );
    rejects(
        &with_line(15, "servers = -2"),
        15,
        "tier.front.servers",
        "invalid value",
    );
}

#[test]
fn probabilities_out_of_range_or_over_one() {
    rejects(
        &with_line(17, "escalate = [{ to = \"expert\", probability = 1.5 }]"),
        17,
        "tier.front.escalate.probability",
        "[0, 1]",
    );
    rejects(
        &with_line(17, "escalate = [{ to = \"expert\", probability = -0.1 }]"),
        17,
        "tier.front.escalate.probability",
        "[0, 1]",
    );
    rejects(
        &with_line(
            17,
            "escalate = [{ to = \"expert\", probability = 0.7 }, { to = \"front\", probability = 0.4 }]",
        ),
        17,
        "tier.front.escalate",
        "sum to 1.1",
    );
}

#[test]
fn escalation_to_a_missing_tier() {
    rejects(
        &with_line(17, "escalate = [{ to = \"experts\", probability = 0.2 }]"),
        17,
        "tier.front.escalate.to",
        "did you mean `expert`?",
    );
    rejects(
        &with_line(12, "entry = \"back\""),
        12,
        "segment.retail.entry",
        "no tier named `back`",
    );
}

#[test]
fn escalation_cycle_that_never_exits() {
    let toml = format!(
        "{}escalate = [{{ to = \"front\", probability = 1.0 }}]\n",
        GOOD.replace(
            "escalate = [{ to = \"expert\", probability = 0.2 }]",
            "escalate = [{ to = \"expert\", probability = 1.0 }]"
        )
    );
    let found = problems(&toml);
    for tier in ["front", "expert"] {
        assert!(
            found
                .iter()
                .any(|p| p.field == format!("tier.{tier}.escalate")
                    && p.message.contains("never leave")),
            "{found:#?}"
        );
    }
    // A loop that can be left is fine.
    let leaky = toml.replace(
        "{ to = \"front\", probability = 1.0 }",
        "{ to = \"front\", probability = 0.5 }",
    );
    scenario::parse(&leaky, "ok.toml").unwrap();
}

#[test]
fn duplicate_names() {
    rejects(
        &with_line(19, "name = \"front\""),
        19,
        "tier.name",
        "duplicate tier name `front`",
    );
    let two = GOOD.replace(
        "[[tier]]\nname = \"front\"",
        "[[segment]]\nname = \"retail\"\nrate_per_hour = 1.0\n[[tier]]\nname = \"front\"",
    );
    let found = problems(&two);
    assert!(
        found
            .iter()
            .any(|p| p.field == "segment.name" && p.message.contains("duplicate")),
        "{found:#?}"
    );
}

#[test]
fn warmup_not_below_horizon() {
    rejects(
        &with_line(4, "warmup = 1000.0"),
        4,
        "run.warmup",
        "warmup < horizon",
    );
}

#[test]
fn distribution_parameters() {
    rejects(
        &with_line(21, "service = { dist = \"erlang\", mean = 2.0 }"),
        21,
        "tier.expert.service.k",
        "erlang needs `k`",
    );
    rejects(
        &with_line(
            21,
            "service = { dist = \"exponential\", mean = 2.0, cv = 1.0 }",
        ),
        21,
        "tier.expert.service.cv",
        "not a parameter of exponential",
    );
    rejects(
        &with_line(
            21,
            "service = { dist = \"lognormal\", mean = 2.0, cv = inf }",
        ),
        21,
        "tier.expert.service.cv",
        "finite",
    );
    rejects(
        &with_line(
            21,
            "service = { dist = \"uniform\", low = 3.0, high = 2.0 }",
        ),
        21,
        "tier.expert.service.high",
        "> low",
    );
    rejects(
        &with_line(21, "service = { dist = \"empirical\", values = [] }"),
        21,
        "tier.expert.service.values",
        "non-empty",
    );
}

#[test]
fn syntax_error_and_empty_file() {
    rejects(&with_line(3, "horizon = = 1000.0"), 3, "run.horizon", "");
    let found = problems("");
    assert!(
        found
            .iter()
            .any(|p| p.message.contains("missing field `name`")),
        "{found:#?}"
    );
}

/// A design at or over capacity with no patience and no queue capacity is
/// run with a warning naming the tier and its load, and stops at the
/// horizon with the clients still inside counted.
#[test]
fn overload_warns_and_ends_at_the_horizon() {
    let toml = GOOD
        .replace("patience = { dist = \"exponential\", mean = 5.0 }\n", "")
        .replace("rate_per_hour = 60.0", "rate_per_hour = 150.0");
    let s = scenario::parse(&toml, "over.toml").unwrap();
    // Front is offered 2.5 Erlangs on 2 servers, expert exactly 1 on 1.
    assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    assert!(
        s.warnings[0].contains("tier `front`") && s.warnings[0].contains("2.50 Erlangs"),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings[1].contains("tier `expert`") && s.warnings[1].contains("1.00 Erlangs"),
        "{:?}",
        s.warnings
    );
    assert_eq!(s.model.run.drain_limit, 0.0);
    let summary = experiment::run(&s.model);
    assert!(summary.overall("inside").unwrap().mean > 100.0);
}
