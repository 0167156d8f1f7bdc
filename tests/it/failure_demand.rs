//! The shipped remedies of issue 16 items 3-4 (docs/failure-demand.md):
//! each removes what it says on the same clients.

use std::path::Path;

use tiersim::experiment;
use tiersim::scenario::remedy::{Choice, Package};

/// The summary of `file` without (`false`) or with (`true`) its remedy,
/// at `replications` replications.
fn run(file: &str, remedy: &str, with: bool, replications: u32) -> experiment::ScenarioSummary {
    let package = Package::load(Path::new(file)).unwrap();
    let choice = if with {
        Choice::All
    } else {
        Choice::Without(vec![remedy.to_string()])
    };
    let mut s = package.scenario(&package.chosen(&choice).unwrap()).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    s.model.run.replications = replications;
    experiment::run(&s.model)
}

/// Visible progress removes status chasing, and with it the loan
/// applicants' failure demand; the same clients arrive.
#[test]
fn visible_progress_removes_chasing() {
    let file = "scenarios/remedies/visible-progress.toml";
    let before = run(file, "visible_progress", false, 4);
    let after = run(file, "visible_progress", true, 4);
    assert_eq!(
        before.overall("arrived").unwrap().mean,
        after.overall("arrived").unwrap().mean
    );
    assert!(before.overall("chasing_contacts").unwrap().mean > 20.0);
    assert_eq!(after.overall("chasing_contacts").unwrap().mean, 0.0);
    assert!(before.overall("failure_demand_share").unwrap().mean > 0.0);
    assert!(
        after.overall("satisfaction_mean").unwrap().mean
            > before.overall("satisfaction_mean").unwrap().mean
    );
}

/// Virtual hold offers call-backs at the junior RMs only with the
/// remedy, and some clients take them.
#[test]
fn virtual_hold_offers_callbacks() {
    let file = "scenarios/remedies/virtual-hold.toml";
    let before = run(file, "virtual_hold", false, 4);
    let after = run(file, "virtual_hold", true, 4);
    let tier = |s: &experiment::ScenarioSummary, k: &str| s.tier("junior", k).unwrap().mean;
    assert_eq!(tier(&before, "callback_offered"), 0.0);
    assert!(tier(&after, "callback_offered") > 50.0);
    assert!(tier(&after, "callback_accepted") > 0.0);
    assert!(tier(&after, "callback_accepted") < tier(&after, "callback_offered"));
}
