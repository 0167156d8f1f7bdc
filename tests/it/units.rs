//! Units that can't be mistaken: a duration written with a unit reads as
//! the same model as the minutes it stands for, and hours typed where
//! minutes are meant are warned about in `check` and `run`.

use crate::common::{scratch, text, tiersim};

/// The shipped baseline's text.
fn baseline() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.toml"
    ))
    .unwrap()
}

/// `text` with `from` replaced once (which must be there).
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the scenario");
    text.replacen(from, to, 1)
}

#[test]
fn a_unit_suffix_parses_to_the_same_model_as_minutes() {
    let minutes = baseline();
    let mut units = swap(&minutes, "horizon = 20160.0", "horizon = \"2w\"");
    units = swap(&units, "warmup = 10080.0", "warmup = \"7d\"");
    units = swap(
        &units,
        "service_level_threshold = 2.0",
        "service_level_threshold = \"120s\"",
    );
    units = swap(
        &units,
        "promised_turnaround_hours = 120.0",
        "promised_turnaround_hours = \"5d\"",
    );
    let a = tiersim::scenario::parse(&minutes, "a.toml").unwrap();
    let b = tiersim::scenario::parse(&units, "b.toml").unwrap();
    assert_eq!(format!("{:?}", a.model), format!("{:?}", b.model));
    assert_eq!(a.model.run.horizon, 20160.0);
    assert_eq!(b.model.run.service_level_threshold, 2.0);
}

#[test]
fn hours_typed_for_minutes_are_caught_in_check_and_run() {
    let dir = scratch("hours-for-minutes");
    let mut text_ = swap(&baseline(), "horizon = 20160.0", "horizon = 336");
    text_ = swap(&text_, "warmup = 10080.0", "warmup = 168");
    let file = dir.join("hours.toml");
    std::fs::write(&file, text_).unwrap();
    let file = file.to_str().unwrap();
    let out_dir = dir.join("out");
    // No client can arrive in minutes 168-336 of a centre opening at 07:00:
    // refused, naming the unit mistake, before any work.
    for args in [
        vec!["check", file],
        vec!["run", file, "--out", out_dir.to_str().unwrap()],
    ] {
        let out = tiersim(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        for part in [
            "field `run.warmup`: no client can arrive between the warm-up (minute 168) and the horizon (minute 336)",
            "times are in minutes unless a unit is written (if you meant hours, write horizon = \"336h\")",
        ] {
            assert!(stderr.contains(part), "{args:?}: {stderr}");
        }
        assert!(!out_dir.exists(), "{args:?} wrote output");
    }
}

#[test]
fn a_warmup_past_half_the_horizon_is_warned_about_in_check_and_run() {
    let dir = scratch("late-warmup");
    let mut late = swap(&baseline(), "warmup = 10080.0", "warmup = \"11d\"");
    late = swap(&late, "replications = 30", "replications = 2");
    let file = dir.join("late.toml");
    std::fs::write(&file, &late).unwrap();
    let file = file.to_str().unwrap();
    let out_dir = dir.join("out");
    for args in [
        vec!["check", file],
        vec!["run", file, "--out", out_dir.to_str().unwrap()],
    ] {
        let out = tiersim(&args);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "warning: {file}: run.warmup = 15840 minutes is more than half of run.horizon = 20160 minutes"
                    .replace("{file}", file)
                    .as_str()
            ),
            "{args:?}: {stderr}"
        );
    }
    // The shipped baseline (warm-up exactly half) gets no such warning.
    let s = tiersim::scenario::parse(&baseline(), "b.toml").unwrap();
    assert!(
        !s.warnings.iter().any(|w| w.contains("run.warmup")),
        "{:?}",
        s.warnings
    );
}
