//! `tiersim plan`'s answer in one line: when the scenario's own staffing
//! already meets every target for no more than the plan, the terminal, the
//! report and `plan.json` say so first; when it does not, they do not.

use crate::common::{scratch, text, tiersim};
use tiersim::report::page::escape;

/// One tier; clients arrive 08:00-09:00 only (60 an hour, exponential
/// 3-minute service: 3 Erlangs). Today: 8 servers 08:00-10:00 every day,
/// 2 hours × 8 × 30 × 7 days = 3,360 a week, plenty for the target. The
/// plan may only use 4-hour shifts, so whatever it plans costs more than
/// 4 servers × 4 hours × 30 × 7 = 3,360 (Erlang C gives 4 servers a
/// service level of 0.64 at 3 Erlangs: it needs 5) plus its shift starts.
const TODAY_SUFFICES: &str = r#"name = "today-suffices"
[run]
horizon = 10080.0
replications = 20
seed = 5
service_level_threshold = 1.0
[calendar]
slot_minutes = 60
profile = { "08:00-09:00" = 1.0 }
[[segment]]
name = "retail"
rate_per_hour = 60.0
[[tier]]
name = "front"
shifts = [{ start = "08:00", end = "10:00", servers = 8 }]
service = { dist = "exponential", mean = 3.0 }
[targets]
service_level = 0.8
[cost]
hourly = { front = 30.0 }
shift_start = 10.0
[plan]
shift_lengths = [240]
"#;

/// Runs `tiersim plan --report` on `toml`; returns stdout, `plan.json`
/// and `report.html`.
fn plan(name: &str, toml: &str) -> (String, serde_json::Value, String) {
    let dir = scratch(name);
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, toml).unwrap();
    let out_dir = dir.join("out");
    let out = tiersim(&[
        "plan",
        file.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--report",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc = serde_json::from_slice(&std::fs::read(out_dir.join("plan.json")).unwrap()).unwrap();
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    (text(&out.stdout), doc, html)
}

/// The text of `<section id="{id}">` in `html`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no section {id}"));
    let len = html[start..].find("</section>").unwrap();
    &html[start..start + len]
}

#[test]
fn todays_staffing_that_meets_every_target_for_less_is_named_first() {
    let (stdout, doc, html) = plan("decide-today", TODAY_SUFFICES);
    let plan = &doc["plan"];
    let decision = &plan["decision"];
    // Today's cost is exact: the roster is fixed.
    let today = decision["today_per_week"].as_f64().unwrap();
    assert!((today - 3360.0).abs() < 1e-6, "{today}");
    let (shifts, starts) = (
        plan["cost"]["shifts_per_week"].as_f64().unwrap(),
        plan["cost"]["shift_starts_per_week"].as_f64().unwrap(),
    );
    assert_eq!(decision["plan_per_week"].as_f64(), Some(shifts));
    assert_eq!(
        decision["plan_without_starts_per_week"].as_f64(),
        Some(shifts - starts)
    );
    // The premise, checked rather than assumed: the plan is met, today
    // meets every check (over the run and per slot), and costs no more.
    assert_eq!(plan["verdict"], "met");
    assert!(today <= shifts - starts, "{today} vs {shifts} - {starts}");
    assert_eq!(plan["today"]["checks_not_met"], 0);
    assert!(plan["today"]["checks"].as_u64() >= Some(2));
    assert_eq!(decision["today_meets_every_target"], true);
    assert_eq!(decision["keep_today"], true);
    let sentence = format!(
        "Your current staffing already meets every target at 3,360/week; the plan's cheapest found costs {}/week",
        tiersim::plan::decide::money(shifts)
    );
    assert!(
        decision["sentence"]
            .as_str()
            .unwrap()
            .starts_with(&sentence),
        "{decision}"
    );
    // First line of the terminal and first section of the report; what
    // today's cost counts on the line after it.
    assert!(stdout.starts_with(&sentence), "{stdout}");
    assert_eq!(stdout.lines().nth(1), decision["note"].as_str());
    assert!(section(&html, "targets").contains("today's staffing meets all "));
    let first = html.find("<section").unwrap();
    assert_eq!(Some(first), html.find("<section id=\"decision\">"));
    let decision = section(&html, "decision");
    assert!(decision.contains(&escape(&sentence)), "{decision}");
    let today = section(&html, "today");
    assert!(
        today.contains("<td>3,360</td><td>not counted</td><td>yes</td>"),
        "{today}"
    );
}

#[test]
fn todays_staffing_that_misses_a_target_is_not_called_sufficient() {
    // The same clients with one server all week: it cannot keep up.
    let toml = TODAY_SUFFICES.replace(
        "shifts = [{ start = \"08:00\", end = \"10:00\", servers = 8 }]",
        "servers = 1",
    );
    let (stdout, doc, html) = plan("decide-plan", &toml);
    let decision = &doc["plan"]["decision"];
    assert_eq!(decision["keep_today"], false);
    assert_eq!(decision["today_meets_every_target"], false);
    assert!(doc["plan"]["today"]["checks_not_met"].as_u64() >= Some(1));
    assert!(!stdout.contains("already meets") && !html.contains("already meets"));
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with("Your current staffing (5,040/week) misses ")
            && first.contains("the plan meets every target at "),
        "{first}"
    );
    assert!(section(&html, "decision").contains(&escape(first)));
    assert!(section(&html, "targets").contains("today's staffing misses "));
}

#[test]
fn the_plan_report_writes_targets_in_words_and_shares_as_percentages() {
    let (_, doc, html) = plan("decide-words", TODAY_SUFFICES);
    let targets = section(&html, "targets");
    // The bound in words, as the run report writes it, not the raw key.
    assert!(
        targets.contains("<td>service level &gt;= 80.0%</td>"),
        "{targets}"
    );
    assert!(!targets.contains("overall.service_level"), "{targets}");
    // The plan's share as a percentage with its half-width in points.
    let t = &doc["plan"]["targets"][0];
    let (mean, ci) = (t["mean"].as_f64().unwrap(), t["ci95"].as_f64().unwrap());
    let shown = format!("{:.2}% ±\u{a0}{:.2}, met", 100.0 * mean, 100.0 * ci);
    assert!(targets.contains(&shown), "{shown} in {targets}");
    assert!(!targets.contains(&format!("{mean:.4}")), "{targets}");
    // Today's column, on the same clients.
    assert!(targets.contains("today's staffing (same clients)"));
}
