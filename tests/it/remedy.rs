//! `[[remedy]]`: no remedy is the base exactly, the package applies every
//! remedy, `--only`/`--without` choose, names are checked, and remedies
//! combine with a sweep.

use std::path::Path;

use tiersim::scenario::remedy::{Choice, Package};

use crate::common::{scratch, text, tiersim};

/// The case study's remedies file.
fn case_study() -> Package {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Package::load(&root.join("scenarios/case-study/remedies.toml")).unwrap()
}

/// `model`'s Debug text with its name replaced, to compare two models.
fn shape(mut model: tiersim::model::Model) -> String {
    model.name = String::new();
    format!("{model:?}")
}

#[test]
fn no_remedy_is_the_base_and_every_remedy_is_the_package() {
    let p = case_study();
    let names: Vec<&str> = p.remedies.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["training", "loan_process", "chatbot"]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = tiersim::scenario::load(&root.join("scenarios/case-study/before.toml")).unwrap();
    let none = p.scenario(&[false; 3]).unwrap();
    assert_eq!(shape(none.model), shape(before.model));
    let all = p.scenario(&p.chosen(&Choice::All).unwrap()).unwrap().model;
    let tiers: Vec<&str> = all.tiers.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tiers, ["junior", "senior", "expert", "credit", "chatbot"]);
    assert_eq!(all.tiers[3].servers.count(), Some(50));
    // The package is after.toml but for the order of the tiers and the
    // junior's loan multiplier (0.75 x 0.909 here, 0.682 there).
    let after = tiersim::scenario::load(&root.join("scenarios/case-study/after.toml"))
        .unwrap()
        .model;
    assert_eq!(after.tiers.len(), all.tiers.len());
}

#[test]
fn only_and_without_choose_and_unknown_names_are_refused() {
    let p = case_study();
    assert_eq!(
        p.chosen(&Choice::Only(vec!["chatbot".into()])).unwrap(),
        [false, false, true]
    );
    assert_eq!(
        p.chosen(&Choice::Without(vec!["chatbot".into()])).unwrap(),
        [true, true, false]
    );
    let Err(tiersim::Error::Scenario(e)) = p.chosen(&Choice::Without(vec!["chatbott".into()]))
    else {
        panic!("refused")
    };
    assert!(
        e.problems[0].message.contains(
            "--without chatbott: no remedy named `chatbott`; allowed: `training`, `loan_process`, `chatbot` (did you mean `chatbot`?)"
        ),
        "{}",
        e.rendered
    );
    // Training alone leaves the junior RMs' service slower than the
    // package only by the loan process: its own change.
    let training = p.scenario(&[true, false, false]).unwrap().model;
    assert!(training.tiers.iter().all(|t| t.name != "chatbot"));
}

#[test]
fn remedies_combine_with_a_sweep() {
    let dir = scratch("remedy-sweep");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = root.join("scenarios/two-tier.toml");
    std::fs::write(
        dir.join("s.toml"),
        format!(
            "extends = \"{}\"\nname = \"s\"\n\n[[remedy]]\nname = \"bigger_queue\"\nset = {{ \"tier.front.queue_capacity\" = 40 }}\n\n[sweep]\n[[sweep.axis]]\npath = \"tier.expert.servers\"\nvalues = [3, 4]\n",
            base.display()
        ),
    )
    .unwrap();
    let p = Package::load(&dir.join("s.toml")).unwrap();
    let with = p.sweep(&[true]).unwrap();
    let without = p.sweep(&[false]).unwrap();
    assert_eq!(with.points.len(), 2);
    for (w, o) in with.points.iter().zip(&without.points) {
        assert_eq!(w.name, o.name);
        assert_eq!(w.scenario.model.tiers[0].queue_capacity, Some(40));
        assert_eq!(o.scenario.model.tiers[0].queue_capacity, Some(30));
    }
    assert_eq!(
        with.points[1].scenario.model.tiers[1].servers.count(),
        Some(4)
    );
    // The command line: --only with an unknown name is refused with exit 2
    // and nothing written.
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "run",
        dir.join("s.toml").to_str().unwrap(),
        "--only",
        "nope",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("--only nope: no remedy named `nope`"));
    assert!(!out_dir.exists());
}

#[test]
fn shards_of_a_chosen_package_merge_into_the_unsharded_run() {
    let dir = scratch("remedy-shards");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = dir.join("s.toml");
    std::fs::write(
        &file,
        format!(
            "extends = \"{}\"\nname = \"s\"\n[run]\nhorizon = 20000.0\nreplications = 4\n\n[[remedy]]\nname = \"bigger_queue\"\nset = {{ \"tier.front.queue_capacity\" = 40 }}\n\n[[remedy]]\nname = \"more_experts\"\nset = {{ \"tier.expert.servers\" = 4 }}\n\n[sweep]\n[[sweep.axis]]\npath = \"tier.front.servers\"\nvalues = [10, 11]\n",
            root.join("scenarios/two-tier.toml").display()
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = tiersim(args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    };
    let whole = dir.join("whole");
    run(&[
        "run",
        f,
        "--without",
        "more_experts",
        "--out",
        whole.to_str().unwrap(),
    ]);
    let mut parts = Vec::new();
    for k in ["1/2", "2/2"] {
        let d = dir.join(format!("shard-{}", &k[..1]));
        run(&[
            "sweep",
            f,
            "--without",
            "more_experts",
            "--shard",
            k,
            "--out",
            d.to_str().unwrap(),
        ]);
        parts.push(d);
    }
    let merged = dir.join("merged");
    run(&[
        "merge",
        parts[0].to_str().unwrap(),
        parts[1].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    let summary = |d: &Path| std::fs::read(d.join("summary.json")).unwrap();
    assert_eq!(summary(&whole), summary(&merged));
    // Both points of the sweep, each with the chosen remedies.
    let s: serde_json::Value = serde_json::from_slice(&summary(&whole)).unwrap();
    assert_eq!(s["scenarios"].as_array().unwrap().len(), 2);
}

/// The faithful reading of the case study: no remedy is before.toml
/// exactly; the package keeps the 168 h loan promise and reference, offers
/// a bot that passes the case on to routine queries only, opt-in (nobody's
/// entry changes), and turns feedback on; the redeploy file adds outbound
/// calls on top.
#[test]
fn the_faithful_reading_is_before_plus_its_four_remedies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let load = |f: &str| Package::load(&root.join("scenarios/case-study").join(f)).unwrap();
    let before = tiersim::scenario::load(&root.join("scenarios/case-study/before.toml")).unwrap();
    let p = load("after-faithful.toml");
    let names: Vec<&str> = p.remedies.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["training", "loan_process", "chatbot", "feedback"]);
    let none = p.scenario(&[false; 4]).unwrap();
    assert_eq!(shape(none.model), shape(before.model.clone()));
    let all = p.scenario(&p.chosen(&Choice::All).unwrap()).unwrap().model;
    let loan = all
        .requests
        .iter()
        .find(|r| r.name == "loan_application")
        .unwrap();
    assert_eq!(loan.promised_turnaround, 168.0 * 60.0);
    assert_eq!(loan.expected_turnaround, 168.0 * 60.0);
    let bot = all.tiers.iter().position(|t| t.name == "chatbot").unwrap();
    let entries: Vec<usize> = all.segments.iter().map(|s| s.entry).collect();
    assert_eq!(entries, [0, 0, 0], "nobody is sent to the bot");
    let uptake: Vec<&[(usize, f64)]> = all.requests.iter().map(|r| &r.bot_uptake[..]).collect();
    assert_eq!(
        uptake,
        [&[(bot, 0.6)][..], &[], &[], &[]],
        "routine queries opt in"
    );
    assert_eq!(all.retention.feedback, 0.10);
    let r = load("after-faithful-redeploy.toml");
    let names: Vec<&str> = r.remedies.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.last(), Some(&"redeploy"));
    let without = r.scenario(&[true, true, true, true, false]).unwrap();
    assert_eq!(shape(without.model), shape(all));
}
