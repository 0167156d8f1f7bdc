//! `tiersim fit`: the cleaning rules counted on a fixture built row by row,
//! exact estimates on a hand-made generic CSV, the written scenario parsed
//! and run, and every kind of bad input refused with exit code 2.

use std::path::{Path, PathBuf};

use tiersim::fit::{self, FitOptions, Format};

use crate::common::{scratch, text, tiersim};

const BANK: &str = "tests/fit/bank-sample.tsv";
const GENERIC: &str = "tests/fit/generic-sample.csv";

fn options(log: &str, format: Format) -> FitOptions {
    FitOptions {
        log: Path::new(env!("CARGO_MANIFEST_DIR")).join(log),
        format,
        from: None,
        to: None,
        days: None,
        staffing: None,
        slot_minutes: 60,
        availability: 1.0,
        dedicated_agents: 0.0,
        max_unusable: 0.01,
        name: "fitted".into(),
        agent_groups: false,
    }
}

/// The fixture's rows were picked for the rules (tests/fit/README.md):
/// 25 rows of 1 Feb (one hung up in the VRU), 5 hang-ups of 2 Feb (one in
/// the VRU), 2 phantoms, one service crossing midnight, one VRU clock
/// glitch, one served call with no agent, one of zero length, one row
/// whose queue exit is an hour before its entry, and one whose service
/// starts 38 s before its queue exit.
#[test]
fn every_cleaning_rule_is_counted_on_the_fixture() {
    let fitted = fit::fit(&options(BANK, Format::AnonymousBank)).unwrap();
    let c = &fitted.report.cleaning;
    assert_eq!(c.rows, 38);
    assert!(c.unusable.is_empty(), "{:?}", c.unusable);
    assert_eq!(c.phantom, 2);
    assert_eq!(c.left_before_queue, 2);
    assert_eq!(c.clock_glitch_dropped, 1);
    assert_eq!(c.service_before_wait_end_kept, 1);
    assert_eq!(c.midnight_crossings, 1);
    assert_eq!(c.vru_clock_glitch_kept, 1);
    assert_eq!(c.zero_length_service, 1);
    assert_eq!(c.served_without_agent, 1);
    assert_eq!(c.served_without_queueing, 13);
    assert_eq!(c.calls, 38 - 2 - 2 - 1);
    // The abandonments are the four 2 Feb hang-ups that queued.
    let abandoned: usize = fitted.report.patience.values().map(|p| p.abandoned).sum();
    assert_eq!(abandoned, 4);
}

/// Three services of 2, 4 and 6 minutes: the pooled sample mean is 4
/// exactly; two calls to the agents queued and abandoned; the left and
/// phantom rows are not arrivals; the abandonment at 23:58 crosses midnight
/// and keeps its 3-minute wait.
#[test]
fn generic_csv_gives_exact_estimates() {
    let fitted = fit::fit(&options(GENERIC, Format::Csv)).unwrap();
    let r = &fitted.report;
    assert_eq!(r.cleaning.calls, 5);
    assert_eq!(r.cleaning.left_before_queue, 1);
    assert_eq!(r.cleaning.phantom, 1);
    assert!((r.service["all"].mean.value - 4.0).abs() < 1e-12);
    assert!((r.service["advice"].mean.value - 3.0).abs() < 1e-12);
    assert_eq!(r.service["all"].n, 3);
    let gold = &r.patience["gold"];
    assert_eq!((gold.n, gold.abandoned, gold.censored), (2, 1, 1));
    // Arrivals: 4 calls in the 09:00 slot (the peak) and one at 23:00.
    let p = &r.arrivals.profile;
    assert!((p[9].value - 1.0).abs() < 1e-12 && (p[23].value - 0.25).abs() < 1e-12);
    // One Monday: 5 calls per day, factor 1.
    assert_eq!(r.arrivals.weekdays.len(), 1);
    assert!((r.arrivals.weekdays[0].factor - 1.0).abs() < 1e-12);
    // The scenario's total peak rate is the peak slot's 4 calls per hour.
    assert!((r.arrivals.rate_per_hour - 4.0).abs() < 1e-12);
    tiersim::scenario::parse(&fitted.scenario, "fitted.toml").unwrap();
}

/// The written scenario passes `check` and `run`, and fit.json parses.
#[test]
fn fitted_scenario_checks_and_runs() {
    let dir = scratch("fit-runs");
    let out = dir.join("bank.toml");
    let o = tiersim(&[
        "fit",
        BANK,
        "--format",
        "anonymous-bank",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["cleaning"]["phantom"], 2);
    let scenario = std::fs::read_to_string(&out).unwrap();
    // Every fitted number carries a comment.
    for line in scenario.lines().filter(|l| {
        l.starts_with("rate_per_hour")
            || l.starts_with("mean =")
            || l.starts_with("values =")
            || l.starts_with("servers =")
    }) {
        assert!(line.contains("    # "), "no comment: {line}");
    }
    let o = tiersim(&["check", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = tiersim(&[
        "run",
        out.to_str().unwrap(),
        "--out",
        dir.join("run").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// A copy of `from` with `edit` applied to its text, in a scratch folder.
fn edited(name: &str, from: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = scratch(name);
    let path = dir.join(Path::new(from).file_name().unwrap());
    let original =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(from)).unwrap();
    std::fs::write(&path, edit(&original)).unwrap();
    path
}

/// Runs `fit` and asserts exit code 2 and each piece of the message.
fn refused(args: &[&str], expected: &[&str]) {
    let o = tiersim(args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for piece in expected {
        assert!(err.contains(piece), "`{piece}` not in: {err}");
    }
}

#[test]
fn a_missing_column_is_refused_with_its_name() {
    let path = edited("fit-missing-column", BANK, |t| {
        t.replacen("q_start", "queue_start", 1)
    });
    let p = path.to_str().unwrap();
    refused(
        &["fit", p, "--format", "anonymous-bank"],
        &[&format!("{p}:1:18"), "field `q_start`", "missing column"],
    );
}

#[test]
fn an_unparseable_time_is_refused_with_line_and_column() {
    // Line 3 (the second call) gets a time with minute 61; 1 bad row of 38 is
    // more than the 1% allowed.
    let path = edited("fit-bad-time", BANK, |t| {
        t.replacen("12:25:56", "12:61:56", 1)
    });
    let p = path.to_str().unwrap();
    refused(
        &["fit", p, "--format", "anonymous-bank"],
        &[
            &format!("{p}:3:8"),
            "field `vru_exit`",
            "expected H:MM:SS",
            "1 of 38 rows cannot be used",
        ],
    );
    // Allowed a larger share, the row is counted by reason and the rest fitted.
    let dir = path.parent().unwrap();
    let out = dir.join("ok.toml");
    let o = tiersim(&[
        "fit",
        p,
        "--format",
        "anonymous-bank",
        "--max-unusable",
        "0.05",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("fit.json")).unwrap()).unwrap();
    let unusable = &json["cleaning"]["unusable"];
    assert_eq!(
        unusable["vru_exit: not a time: expected H:MM:SS from 0:00:00 to 23:59:59"], 1,
        "{unusable}"
    );
}

#[test]
fn a_generic_csv_with_a_bad_outcome_is_refused() {
    let path = edited("fit-bad-outcome", GENERIC, |t| {
        t.replacen(",served,ann", ",done,ann", 1)
    });
    let p = path.to_str().unwrap();
    refused(
        &["fit", p, "--format", "csv"],
        &[
            &format!("{p}:2:9"),
            "field `outcome`",
            "expected served, abandoned, left or phantom",
        ],
    );
}

#[test]
fn a_date_range_without_calls_is_refused() {
    refused(
        &[
            "fit",
            BANK,
            "--format",
            "anonymous-bank",
            "--from",
            "1999-03-01",
            "--to",
            "1999-03-07",
        ],
        &[
            BANK,
            "no calls to the agents in the dates 1999-03-01 to 1999-03-07",
        ],
    );
    refused(
        &[
            "fit",
            BANK,
            "--format",
            "anonymous-bank",
            "--from",
            "1999-02-07",
            "--to",
            "1999-02-01",
        ],
        &["--from is after --to"],
    );
}

#[test]
fn a_staffing_file_must_cover_the_slots_with_calls_and_be_well_formed() {
    let dir = scratch("fit-staffing");
    let short = dir.join("short.csv");
    std::fs::write(&short, "day,slot,agents\nmon,12:00,3\n").unwrap();
    let s = short.to_str().unwrap();
    refused(
        &["fit", BANK, "--format", "anonymous-bank", "--staffing", s],
        &[s, "no staffing for mon 13:00"],
    );
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "day,slot,agents\nmon,12:00,-1\n").unwrap();
    let b = bad.to_str().unwrap();
    refused(
        &["fit", BANK, "--format", "anonymous-bank", "--staffing", b],
        &[
            &format!("{b}:2:3"),
            "field `agents`",
            "expected a number >= 0",
        ],
    );
}

/// A staffing file's figures become the shifts' servers.
#[test]
fn a_staffing_file_sets_the_servers() {
    let dir = scratch("fit-staffing-ok");
    let file = dir.join("staff.csv");
    let mut rows = String::from("day,slot,agents\n");
    for day in ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] {
        for h in 0..24 {
            rows.push_str(&format!("{day},{h:02}:00,4\n"));
        }
    }
    std::fs::write(&file, rows).unwrap();
    let mut o = options(BANK, Format::AnonymousBank);
    o.staffing = Some(file);
    let fitted = fit::fit(&o).unwrap();
    assert!(fitted.report.staffing.slots.iter().all(|s| s.servers == 4));
    assert!(fitted.scenario.contains("servers = 4"));
    tiersim::scenario::parse(&fitted.scenario, "fitted.toml").unwrap();
    // With half of them available, 2 servers everywhere.
    o.availability = 0.5;
    let fitted = fit::fit(&o).unwrap();
    assert!(
        fitted
            .report
            .staffing
            .slots
            .iter()
            .all(|s| s.servers == 2 && s.agents.value == 4.0)
    );
    assert!(!fitted.scenario.contains("servers = 4"));
}

/// `--from`/`--to` and `--days` leave rows out and count them: the fixture
/// has 28 rows of 1 Feb (25 of line AA0101, the VRU glitch and the two
/// made-up rows) and the 9 Feb phantom outside 2-8 Feb; 2-8 Feb holds
/// Tuesday, Wednesday and Monday (the 8th) rows, and keeping Mondays only
/// leaves the 8 Feb call crossing midnight.
#[test]
fn dates_and_weekdays_outside_the_fit_are_counted() {
    let mut o = options(BANK, Format::AnonymousBank);
    o.from = chrono::NaiveDate::from_ymd_opt(1999, 2, 2);
    o.to = chrono::NaiveDate::from_ymd_opt(1999, 2, 8);
    let r = fit::fit(&o).unwrap().report;
    assert_eq!(r.cleaning.outside_dates, 29);
    assert_eq!(r.arrivals.days, 7);
    o.days = Some(vec![chrono::Weekday::Mon]);
    let r = fit::fit(&o).unwrap().report;
    assert_eq!(r.cleaning.calls, 1);
    assert_eq!(r.arrivals.days, 1);
    assert_eq!(r.weekdays, vec!["mon".to_string()]);
}
