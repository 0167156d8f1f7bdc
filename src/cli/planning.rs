//! `tiersim erlang` and `tiersim plan`: capacity planning on the command
//! line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use anyhow::{Result, anyhow, bail};
use clap::Args;
use serde_json::json;

use super::thread_pool;
use crate::plan::erlang::{ERLANG_METRICS, Figures, Queue};
use crate::plan::shifts::{ShiftPlan, cover};
use crate::plan::{PlanOptions, Verdict, output};
use crate::report::json::number;
use crate::scenario;

/// Options of `tiersim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Poisson arrivals per hour.
    #[arg(long)]
    arrivals_per_hour: f64,
    /// Mean (exponential) service time, minutes.
    #[arg(long)]
    service_mean: f64,
    /// Servers: `N` or `N-M` (a range); repeat for several [default: around
    /// the answer to --target, else from the fewest stable].
    #[arg(long)]
    servers: Vec<String>,
    /// Mean (exponential) patience, minutes: Erlang A instead of Erlang C.
    #[arg(long)]
    patience_mean: Option<f64>,
    /// Service-level threshold, minutes.
    #[arg(long, default_value_t = 1.0)]
    threshold: f64,
    /// Find the fewest servers meeting this target: `service_level=0.8`
    /// (at least), `wait_mean=0.5`, `p_wait=0.3`, `abandon_rate=0.05`,
    /// `blocking=0.01`, `occupancy=0.9` (at most). Repeat for several.
    #[arg(long, value_name = "METRIC=VALUE")]
    target: Vec<String>,
    /// The most servers the inverse tries.
    #[arg(long, default_value_t = 10_000)]
    max_servers: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

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
}

/// `metric=value` of `tiersim erlang --target`.
fn parse_target(s: &str) -> Result<(&'static str, bool, f64)> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| anyhow!("--target {s}: expected METRIC=VALUE, like service_level=0.8"))?;
    let (metric, higher) = ERLANG_METRICS
        .iter()
        .find(|(m, _)| *m == name.trim())
        .copied()
        .ok_or_else(|| {
            let names: Vec<&str> = ERLANG_METRICS.iter().map(|m| m.0).collect();
            anyhow!(
                "--target {s}: unknown metric; allowed: {}",
                names.join(", ")
            )
        })?;
    let value: f64 = value
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| anyhow!("--target {s}: the value must be a number >= 0"))?;
    Ok((metric, higher, value))
}

/// `N` or `N-M`.
fn parse_servers(s: &str) -> Result<Vec<u32>> {
    let bad = || anyhow!("--servers {s}: expected N or N-M with 1 <= N <= M");
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let (a, b): (u32, u32) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a == 0 || a > b || b - a > 10_000 {
        return Err(bad());
    }
    Ok((a..=b).collect())
}

/// `tiersim erlang`.
pub fn erlang(args: &ErlangArgs) -> Result<()> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if !(args.arrivals_per_hour.is_finite() && args.arrivals_per_hour >= 0.0) {
        bail!("--arrivals-per-hour must be a number >= 0");
    }
    if !positive(args.service_mean) {
        bail!("--service-mean must be a number of minutes > 0");
    }
    if args.patience_mean.is_some_and(|p| !positive(p)) {
        bail!("--patience-mean must be a number of minutes > 0");
    }
    if !(args.threshold.is_finite() && args.threshold >= 0.0) {
        bail!("--threshold must be a number of minutes >= 0");
    }
    let queue = Queue {
        arrivals_per_hour: args.arrivals_per_hour,
        service_mean: args.service_mean,
        patience_mean: args.patience_mean,
        threshold: args.threshold,
    };
    let targets = args
        .target
        .iter()
        .map(|t| parse_target(t))
        .collect::<Result<Vec<_>>>()?;
    let answer = (!targets.is_empty()).then(|| queue.fewest_servers(&targets, args.max_servers));
    let first_stable = if args.patience_mean.is_some() {
        1
    } else {
        queue.offered_load().floor() as u32 + 1
    };
    let mut servers: Vec<u32> = Vec::new();
    for s in &args.servers {
        servers.extend(parse_servers(s)?);
    }
    if servers.is_empty() {
        let centre = match answer {
            Some(Some(c)) => c.saturating_sub(2).max(first_stable),
            _ => first_stable,
        };
        servers = (centre.max(1)..centre.max(1) + 5).collect();
    }
    let rows: Vec<Figures> = servers.iter().map(|&c| queue.figures(c)).collect();
    let model = if args.patience_mean.is_some() {
        "Erlang A (M/M/c+M)"
    } else {
        "Erlang C (M/M/c)"
    };
    let target_text: Vec<String> = targets
        .iter()
        .map(|(m, h, v)| format!("{m} {} {v}", if *h { ">=" } else { "<=" }))
        .collect();
    if args.json {
        let rows: Vec<_> = rows
            .iter()
            .map(|f| {
                json!({"servers": f.servers, "blocking": number(f.blocking), "p_wait": number(f.p_wait),
                       "wait_mean": number(f.wait_mean), "service_level": number(f.service_level),
                       "abandon_rate": number(f.abandon_rate), "occupancy": number(f.occupancy)})
            })
            .collect();
        let doc = json!({
            "model": model,
            "arrivals_per_hour": args.arrivals_per_hour,
            "service_mean": args.service_mean,
            "patience_mean": args.patience_mean,
            "threshold": args.threshold,
            "offered_load": number(queue.offered_load()),
            "targets": target_text,
            "fewest_servers": answer.flatten(),
            "rows": rows,
        });
        print!("{}", crate::report::json::document("erlang", doc));
        return Ok(());
    }
    println!(
        "{model}: {} arrivals/h, mean service {} min{}, offered load {:.3} Erlangs, threshold {} min",
        args.arrivals_per_hour,
        args.service_mean,
        args.patience_mean
            .map_or(String::new(), |p| format!(", mean patience {p} min")),
        queue.offered_load(),
        args.threshold
    );
    println!(
        "{:>8} {:>10} {:>8} {:>14} {:>14} {:>13} {:>10}",
        "servers",
        "blocking",
        "p_wait",
        "wait_mean_min",
        "service_level",
        "abandon_rate",
        "occupancy"
    );
    let cell = |x: f64| {
        if x.is_finite() {
            format!("{x:.4}")
        } else {
            "inf".into()
        }
    };
    for f in &rows {
        println!(
            "{:>8} {:>10} {:>8} {:>14} {:>14} {:>13} {:>10}",
            f.servers,
            cell(f.blocking),
            cell(f.p_wait),
            cell(f.wait_mean),
            cell(f.service_level),
            cell(f.abandon_rate),
            cell(f.occupancy)
        );
    }
    match answer {
        Some(Some(c)) => println!("fewest servers meeting {}: {c}", target_text.join(" and ")),
        Some(None) => println!(
            "no staffing up to {} servers meets {}",
            args.max_servers,
            target_text.join(" and ")
        ),
        None => {}
    }
    Ok(())
}

/// `tiersim plan`.
pub fn plan(args: &PlanArgs) -> Result<()> {
    let file = args.scenario.display().to_string();
    let sweep = scenario::load_sweep(&args.scenario)?;
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
    let Some(cost) = &goals.cost else {
        bail!(
            "{file}: plan needs [cost] with an hourly cost for every staffed tier, e.g.\n[cost]\nhourly = {{ {} = 30.0 }}",
            model
                .tiers
                .iter()
                .find(|t| !t.unlimited)
                .map_or("junior", |t| t.name.as_str())
        );
    };
    if args.replications == Some(0) || args.replications == Some(1) {
        bail!("--replications must be at least 2 (a confidence interval needs two)");
    }
    let pool = thread_pool(args.threads)?;
    let started = Instant::now();
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
    let cyclic =
        plan.grid.open_days.iter().all(|o| *o) && plan.grid.factors.iter().all(|f| *f > 0.0);
    let shifts: Vec<Option<ShiftPlan>> = model
        .tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            if !tier.planned() {
                return Ok(None);
            }
            let (required, slot) = output::shift_requirement(&plan, t);
            cover(
                &required,
                slot,
                &goals.plan,
                cost.hourly[t],
                cost.shift_start,
                cyclic || !plan.grid.by_slot,
            )
            .map(Some)
            .map_err(|e| anyhow!("{file}: tier `{}`: {e}", tier.name))
        })
        .collect::<Result<_>>()?;
    let weekly = output::weekly_cost(model, goals, &plan, &shifts);
    let source = std::fs::read_to_string(&args.scenario)?;
    let json = output::plan_json(&file, model, goals, &plan, &shifts, &weekly);
    let csv = output::staffing_csv(model, &plan, &shifts);
    let toml =
        output::plan_scenario(&source, &file, model, &plan, &shifts).map_err(|e| anyhow!(e))?;
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-plan", model.name)));
    let mut written = output::write(&dir, &json, &csv, &toml, &model.name)?;
    if args.report {
        written.push(crate::plan::page::write_report(
            &dir, model, goals, &plan, &shifts, &weekly,
        )?);
    }
    print_plan(model, &plan, &shifts, &weekly);
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
    if let Verdict::Unreachable(_) = plan.verdict {
        std::process::exit(3);
    }
    Ok(())
}

/// The plan on the terminal: verdict, staffing by slot, cost, targets.
fn print_plan(
    model: &crate::model::Model,
    plan: &crate::plan::Plan,
    shifts: &[Option<ShiftPlan>],
    weekly: &output::WeeklyCost,
) {
    match &plan.verdict {
        Verdict::Met => println!(
            "verdict: met: every target holds with 95% confidence, confirmed on fresh random streams"
        ),
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
    let tiers: Vec<usize> = (0..model.tiers.len())
        .filter(|&t| shifts[t].is_some())
        .collect();
    print!("{:>6}", "slot");
    for &t in &tiers {
        print!(
            " {:>22}",
            format!("{} analytic/plan/shifts", shorten(&model.tiers[t].name))
        );
    }
    println!();
    for s in 0..plan.grid.len() {
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

/// A tier name cut to fit a column.
fn shorten(name: &str) -> String {
    name.chars().take(10).collect()
}
