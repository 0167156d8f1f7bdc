//! `tiersim plan`: the staffing per tier and slot that meets a scenario's
//! targets at least cost, and the shifts that cover it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use clap::Args;

use super::output::OutputArgs;
use super::thread_pool;
use crate::model::Model;
use crate::plan::shifts::{ShiftPlan, cover};
use crate::plan::{Plan, PlanOptions, Verdict, decide, output, people, planned_scenario, today};
use crate::scenario;
use crate::scenario::{Cost, Goals};

/// Options of `tiersim plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The scenario file (TOML) with [targets] and [cost].
    scenario: PathBuf,
    /// Output folder [default: output/<scenario name>-plan/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads [default: one per core]. Results are identical
    /// whatever the number.
    #[arg(long)]
    threads: Option<usize>,
    /// Replications per evaluation of a staffing [default: the scenario's
    /// run.replications].
    #[arg(long)]
    replications: Option<u32>,
    /// Also write report.html (staffing by slot, cost, target attainment).
    #[arg(long)]
    report: bool,
    /// Also assign the shifts to named people over a week ([plan] roster
    /// rules) and write roster.csv.
    #[arg(long)]
    roster: bool,
    /// Judge the overall targets on service_level, abandon_rate and
    /// wait_mean on the Q-quantile day (the figures a share Q of the
    /// simulated days do at least as well as) instead of their means.
    #[arg(long, value_name = "Q", value_parser = super::day_quantile)]
    day_quantile: Option<f64>,
    /// What to print.
    #[command(flatten)]
    output: OutputArgs,
}

/// `tiersim plan`.
pub fn plan(args: &PlanArgs) -> Result<()> {
    args.output.apply();
    let file = args.scenario.display().to_string();
    let sweep = scenario::load_sweep(&args.scenario)?;
    let scenario = plannable(args, &file, &sweep)?;
    let mut model = scenario.model.clone();
    model.run.day_quantile = args.day_quantile;
    let (model, goals) = (&model, &scenario.goals);
    let cost = goals.cost.as_ref().expect("checked by `plannable`");
    let started = Instant::now();
    let plan = search(args, model, goals)?;
    let shifts = shift_plans(&file, model, goals, cost, &plan)?;
    let group_shifts = crate::plan::group_output::group_shifts(model, &plan, goals)
        .map_err(|e| anyhow!("{file}: {e}"))?;
    let weekly = output::weekly_cost(model, goals, &plan, &shifts, &group_shifts);
    let today = today::today(model, goals, &plan, &weekly);
    let decision = decide::decide(&plan, &weekly, &today);
    // The scenario as it ran: merged with what it `extends`, every remedy
    // applied, so that the planned file stands alone in the output folder.
    let package = scenario::remedy::Package::load(&args.scenario)?;
    let all = package.chosen(&scenario::remedy::Choice::All)?;
    let source = package.text(&all)?;
    let workforce = &goals.plan.workforce;
    // An infeasible roster leaves the plan's files (they are valid) without
    // a roster.csv, and ends with the binding rule (exit 2).
    let people_of =
        |roster| people::people(model, &plan, &shifts, &group_shifts, workforce, roster);
    let (people, no_roster) = match people_of(args.roster) {
        Ok(p) => (p, None),
        Err((tier, e)) => {
            let p = people_of(false).map_err(|(_, e)| anyhow!(e.message))?;
            let message = format!("tier `{tier}`: {}", e.message);
            // Found in the merged text; shown where a file writes the rule.
            let error = scenario::workforce::roster_error(&source, &file, &e.field, &message);
            (p, Some(package.blame(&all, error)))
        }
    };
    let planned = Planned {
        file: &file,
        model,
        goals,
        plan: &plan,
        shifts: &shifts,
        weekly: &weekly,
        today: &today,
        decision: &decision,
        people: &people,
        group_shifts: &group_shifts,
    };
    let (dir, written) = write_plan(args, &planned, &source)?;
    args.output.print_json(&dir.join("plan.json"))?;
    if args.output.table() {
        print_all(&planned);
        if let Some(q) = args.day_quantile {
            println!(
                "the overall targets on service_level, abandon_rate and wait_mean are judged on the {q}-quantile day (--day-quantile), in the search and in plan.json"
            );
        }
    }
    if !args.output.quiet {
        eprintln!(
            "planned in {:.1} s ({} evaluations of {} replications); wrote {}",
            started.elapsed().as_secs_f64(),
            plan.evaluations,
            plan.replications,
            written
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if let Some(e) = no_roster {
        return Err(e.into());
    }
    if let Verdict::Unreachable(_) = plan.verdict {
        std::process::exit(3);
    }
    Ok(())
}

/// The one scenario of `sweep` (from `file`) when it can be planned: no
/// sweep axes, [targets] and [cost], no group with shifts, and at least two
/// replications asked.
fn plannable<'a>(
    args: &PlanArgs,
    file: &str,
    sweep: &'a scenario::Sweep,
) -> Result<&'a scenario::Scenario> {
    if sweep.points.len() > 1 {
        bail!(
            "{file}: plan takes a scenario without [sweep] axes (it has {} points)",
            sweep.points.len()
        );
    }
    let scenario = &sweep.points[0].scenario;
    let (model, goals) = (&scenario.model, &scenario.goals);
    if goals.targets.is_empty() {
        bail!(
            "{file}: plan needs [targets], e.g.\n[targets]\nservice_level = 0.8\nabandon_rate = 0.05"
        );
    }
    if goals.cost.is_none() {
        bail!(
            "{file}: plan needs [cost] with an hourly cost for every staffed tier, e.g.\n[cost]\nhourly = {{ {} = 30.0 }}",
            model
                .tiers
                .iter()
                .find(|t| !t.servers.is_unlimited())
                .map_or("junior", |t| t.name.as_str())
        );
    }
    if args.replications == Some(0) || args.replications == Some(1) {
        bail!("--replications must be at least 2 (a confidence interval needs two)");
    }
    Ok(scenario)
}

/// What a plan found, to write and print.
struct Planned<'a> {
    /// The scenario file as named on the command line.
    file: &'a str,
    model: &'a Model,
    goals: &'a Goals,
    /// The staffing search's result.
    plan: &'a Plan,
    /// Each tier's shifts covering its staffing (`None`: not planned).
    shifts: &'a [Option<ShiftPlan>],
    weekly: &'a output::WeeklyCost,
    /// The scenario's own staffing on the plan's streams.
    today: &'a today::Today,
    /// Keep today's staffing or take the plan.
    decision: &'a decide::Decision,
    /// Headcount and rosters.
    people: &'a people::People,
    /// The agent groups' whole shifts.
    group_shifts: &'a [ShiftPlan],
}

/// Writes the plan's files (plan.json, staffing.csv, the planned scenario
/// made from `source`, roster.csv, report.html with `--report`) into the
/// output folder; returns the folder and the files written.
fn write_plan(args: &PlanArgs, p: &Planned, source: &str) -> Result<(PathBuf, Vec<PathBuf>)> {
    let (model, plan, shifts) = (p.model, p.plan, p.shifts);
    let beside = output::Beside {
        today: p.today,
        decision: p.decision,
        people: p.people,
        group_shifts: p.group_shifts,
    };
    let json = output::plan_json(p.file, model, p.goals, plan, shifts, p.weekly, beside);
    let csv = output::staffing_csv(model, plan, shifts);
    let toml = planned_scenario::plan_scenario(source, p.file, model, plan, shifts, p.group_shifts)
        .map_err(|e| anyhow!(e))?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-plan", model.name)));
    let roster_csv = p.people.roster_csv();
    if roster_csv.is_none() {
        // A roster of an earlier plan in this folder would not be this plan's.
        let _ = std::fs::remove_file(dir.join("roster.csv"));
    }
    let mut written = output::write(&dir, &json, &csv, &toml, &model.name, roster_csv.as_deref())?;
    if args.report {
        written.push(crate::plan::page::write_report(
            &dir, model, p.goals, plan, shifts, p.weekly, beside,
        )?);
    }
    Ok((dir, written))
}

/// The plan's tables on the terminal: the decision first, then staffing,
/// groups, today, people.
fn print_all(p: &Planned) {
    println!("{}\n{}", p.decision.sentence, p.decision.note);
    print_plan(p.model, p.plan, p.shifts, p.weekly);
    for line in crate::plan::group_output::group_lines(p.plan) {
        println!("{line}");
    }
    print_today(p.plan, p.weekly, p.today);
    for line in p.people.lines() {
        println!("{line}");
    }
}

/// The staffing search on `--threads` workers, with a spinner on a
/// terminal or a progress line every 10 seconds.
fn search(args: &PlanArgs, model: &Model, goals: &Goals) -> Result<Plan> {
    let pool = thread_pool(args.threads)?;
    let spinner = std::io::stderr().is_terminal().then(|| {
        let s = indicatif::ProgressBar::new_spinner();
        s.enable_steady_tick(std::time::Duration::from_millis(120));
        s
    });
    let last = Mutex::new(Instant::now());
    let progress = |message: &str| match &spinner {
        Some(s) => s.set_message(format!("planning: {message}")),
        None => {
            let mut last = last.lock().expect("no panics while locked");
            if last.elapsed().as_secs() >= 10 {
                *last = Instant::now();
                eprintln!("progress: {message}");
            }
        }
    };
    let options = PlanOptions {
        replications: args.replications,
    };
    let plan = pool.install(|| crate::plan::plan(model, goals, &options, &progress));
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    Ok(plan)
}

/// The shifts covering each planned tier's staffing.
fn shift_plans(
    file: &str,
    model: &Model,
    goals: &Goals,
    cost: &Cost,
    plan: &Plan,
) -> Result<Vec<Option<ShiftPlan>>> {
    let cyclic =
        plan.grid.open_days.iter().all(|o| *o) && plan.grid.factors.iter().all(|f| *f > 0.0);
    let arrivals = today::arrival_slots(model, &plan.grid);
    model
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            if !tier.planned() {
                return Ok(None);
            }
            let (required, slot) = output::shift_requirement(plan, t);
            // Without `[plan] shift_starts`, shifts start when clients can
            // arrive (or where servers are needed), not in the night.
            let mut rules = goals.plan.clone();
            if rules.shift_starts.is_none() && plan.grid.by_slot {
                rules.shift_starts = Some(today::default_starts(&arrivals, &required, slot));
            }
            cover(
                &required,
                slot,
                &rules,
                cost.hourly[t],
                cost.shift_start,
                cyclic || !plan.grid.by_slot,
            )
            .map(Some)
            .map_err(|e| anyhow!("{file}: tier `{}`: {e}", tier.name))
        })
        .collect::<Result<_>>()
}

/// The plan's verdict, with the reasons when it is not met.
fn print_verdict(plan: &crate::plan::Plan) {
    match &plan.verdict {
        Verdict::Met => println!("verdict: met: {}", plan.met_claim()),
        Verdict::Unconfirmed(r) => {
            println!(
                "verdict: unconfirmed: the search met every target but fresh streams did not:"
            );
            for line in r {
                println!("  {line}");
            }
        }
        Verdict::Unreachable(r) => {
            println!(
                "verdict: unreachable: no staffing tried meets these targets (best values, with the staffing below):"
            );
            for line in r {
                println!("  {line}");
            }
        }
    }
}

/// The plan on the terminal: verdict, staffing by slot, cost, targets.
fn print_plan(
    model: &crate::model::Model,
    plan: &crate::plan::Plan,
    shifts: &[Option<ShiftPlan>],
    weekly: &output::WeeklyCost,
) {
    print_verdict(plan);
    let tiers: Vec<usize> = (0..model.tiers.len())
        .filter(|&t| shifts[t].is_some())
        .collect();
    // Only agent groups: no per-slot table (their lines follow).
    let slots = if tiers.is_empty() { 0 } else { plan.grid.len() };
    if slots > 0 {
        print!("{:>6}", "slot");
    }
    for &t in &tiers {
        print!(
            " {:>22}",
            format!("{} analytic/plan/shifts", shorten(&model.tiers[t].name))
        );
    }
    if slots > 0 {
        println!();
    }
    for s in 0..slots {
        if tiers
            .iter()
            .all(|&t| plan.staffing[t][s] == 0 && plan.seed.staffing[t][s] == 0)
        {
            continue;
        }
        print!("{:>6}", plan.grid.labels[s]);
        for &t in &tiers {
            let covered = shifts[t].as_ref().map_or(0, |sh| {
                if plan.grid.by_slot {
                    sh.coverage[s]
                } else {
                    sh.coverage.iter().copied().min().unwrap_or(0)
                }
            });
            print!(
                " {:>22}",
                format!(
                    "{}/{}/{}",
                    plan.seed.staffing[t][s], plan.staffing[t][s], covered
                )
            );
        }
        println!();
    }
    println!(
        "cost per week: analytic plan {:.2}, simulated plan {:.2} (lower bound), shifts {:.2} (+{:.1}%, of which shift starts {:.2}; {:.1} server-hours over the plan)",
        weekly.analytic,
        weekly.plan,
        weekly.shifts,
        100.0 * weekly.gap(),
        weekly.shift_starts,
        weekly.over_staffing_hours
    );
    for r in &plan.targets {
        println!(
            "  {}: {:.4} ± {:.4} ({})",
            r.target.label(),
            r.estimate.mean,
            r.estimate.ci95,
            r.attainment.as_str()
        );
    }
    if !plan.slot_failures.is_empty() {
        println!(
            "  {} per-slot checks not met in the confirmation",
            plan.slot_failures.len()
        );
    }
    for line in crate::plan::page::closing_note(model, plan) {
        println!("{line}");
    }
}

/// Today's staffing beside the plan: cost, and each target met or missed.
fn print_today(plan: &Plan, weekly: &output::WeeklyCost, today: &today::Today) {
    println!(
        "today (the scenario's own staffing, on the confirmation's clients): cost per week {:.2}; \
         the plan's shifts {:.2}; difference {:+.2}",
        today.cost_per_week, weekly.shifts, today.difference_per_week
    );
    for (now, planned) in today.targets.iter().zip(&plan.targets) {
        println!(
            "  {} {} {}: today {:.4} ± {:.4} ({}), plan {:.4} ± {:.4} ({})",
            now.metric,
            now.bound,
            now.value,
            now.mean,
            now.ci95,
            now.attainment.as_str(),
            planned.estimate.mean,
            planned.estimate.ci95,
            planned.attainment.as_str()
        );
    }
}

/// A tier name cut to fit a column.
fn shorten(name: &str) -> String {
    name.chars().take(10).collect()
}
