//! `tiersim erlang`: closed-form figures of one queue (Erlang B, C, and A
//! with patience) and the fewest servers meeting targets.

use anyhow::{Result, anyhow, bail};
use clap::Args;
use serde_json::json;

use crate::plan::erlang::{ERLANG_METRICS, Figures, Queue};
use crate::report::json::number;

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
    let queue = queue(args)?;
    let targets = args
        .target
        .iter()
        .map(|t| parse_target(t))
        .collect::<Result<Vec<_>>>()?;
    let answer = (!targets.is_empty()).then(|| queue.fewest_servers(&targets, args.max_servers));
    let servers = server_counts(args, &queue, answer)?;
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
        print_json(args, &queue, model, &target_text, answer, &rows);
    } else {
        print_table(args, &queue, model, &target_text, answer, &rows);
    }
    Ok(())
}

/// The queue the options describe, each checked.
fn queue(args: &ErlangArgs) -> Result<Queue> {
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
    Ok(Queue {
        arrivals_per_hour: args.arrivals_per_hour,
        service_mean: args.service_mean,
        patience_mean: args.patience_mean,
        threshold: args.threshold,
    })
}

/// The server counts to show: `--servers`, or five counts around the
/// answer (or from the first stable count).
fn server_counts(
    args: &ErlangArgs,
    queue: &Queue,
    answer: Option<Option<u32>>,
) -> Result<Vec<u32>> {
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
    Ok(servers)
}

/// The figures as a JSON document.
fn print_json(
    args: &ErlangArgs,
    queue: &Queue,
    model: &str,
    target_text: &[String],
    answer: Option<Option<u32>>,
    rows: &[Figures],
) {
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
}

/// The figures as a table, and the answer.
fn print_table(
    args: &ErlangArgs,
    queue: &Queue,
    model: &str,
    target_text: &[String],
    answer: Option<Option<u32>>,
    rows: &[Figures],
) {
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
    for f in rows {
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
}
