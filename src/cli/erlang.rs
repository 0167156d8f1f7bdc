//! `tiersim erlang`: closed-form figures of one queue (Erlang B, C, and A
//! with patience) and the fewest servers meeting targets.

use anyhow::{Result, anyhow, bail};
use clap::Args;
use serde::Serialize;

use crate::plan::erlang::{ERLANG_METRICS, Figures, Queue};
use crate::scenario::duration::{ALLOWED_UNITS, parse_minutes};

/// Options of `tiersim erlang`.
#[derive(Debug, Args)]
pub struct ErlangArgs {
    /// Poisson arrivals per hour (or give --calls and --interval).
    #[arg(long, required_unless_present = "calls", conflicts_with = "calls")]
    arrivals_per_hour: Option<f64>,
    /// Calls offered per --interval: the call-centre way to give the
    /// arrival rate (`--calls 120 --interval 30min` is 240 per hour).
    #[arg(long, requires = "interval", value_parser = calls)]
    calls: Option<f64>,
    /// The interval --calls are counted over, a duration such as `15min`,
    /// `30min`, `1h` (a bare number is minutes).
    #[arg(long, requires = "calls", value_parser = interval, value_name = "DURATION")]
    interval: Option<f64>,
    /// Mean (exponential) service time, minutes (or give --aht).
    #[arg(long, required_unless_present = "aht", conflicts_with = "aht")]
    service_mean: Option<f64>,
    /// Average handling time, the mean service time as a duration such as
    /// `180s` or `3min` (a bare number is minutes).
    #[arg(long, value_parser = aht, value_name = "DURATION")]
    aht: Option<f64>,
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
    /// Service level as the industry writes it, `PERCENT/THRESHOLD`:
    /// `80/20s` is at least 80% answered within 20 seconds, the same as
    /// `--threshold 0.3333… --target service_level=0.8`.
    #[arg(long, conflicts_with = "threshold", value_parser = service_level, value_name = "PERCENT/DURATION")]
    sl: Option<ServiceLevel>,
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

/// `--sl PERCENT/DURATION`: a service-level target and its threshold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServiceLevel {
    /// The share to answer within the threshold, in (0, 1].
    share: f64,
    /// The answer-time threshold, minutes.
    threshold: f64,
}

/// Minutes in a duration given on the command line (the scenario files'
/// parser: a unit such as `s`, `min`, `h`, or a bare number of minutes).
fn minutes(text: &str) -> Result<f64, String> {
    parse_minutes(text)
        .filter(|m| m.is_finite())
        .ok_or_else(|| {
            format!("`{text}` is not a duration; allowed: a number of minutes, or a number with a unit: {ALLOWED_UNITS}")
        })
}

/// A duration > 0 (`--aht`).
fn aht(text: &str) -> Result<f64, String> {
    match minutes(text)? {
        m if m > 0.0 => Ok(m),
        _ => Err(format!(
            "`{text}`: the handling time must be longer than 0, such as `180s`"
        )),
    }
}

/// A duration > 0 (`--interval`).
fn interval(text: &str) -> Result<f64, String> {
    match minutes(text)? {
        m if m > 0.0 => Ok(m),
        _ => Err(format!(
            "`{text}`: the interval must be longer than 0, such as `15min`, `30min` or `1h`"
        )),
    }
}

/// A count >= 0 (`--calls`).
fn calls(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|c| c.is_finite() && *c >= 0.0)
        .ok_or_else(|| format!("`{text}`: expected a number of calls >= 0"))
}

/// `PERCENT/DURATION` (`--sl`), such as `80/20s`; the duration needs its
/// unit, since the industry's `80/20` means seconds and a bare number here
/// would mean minutes.
fn service_level(text: &str) -> Result<ServiceLevel, String> {
    let allowed = "allowed: PERCENT/DURATION with a percent in (0, 100] and a duration with a unit, such as `80/20s` or `90/1min`";
    let (percent, time) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}`: no `/`; {allowed}"))?;
    let share = percent
        .trim()
        .trim_end_matches('%')
        .parse::<f64>()
        .ok()
        .filter(|p| *p > 0.0 && *p <= 100.0)
        .ok_or_else(|| format!("`{text}`: the percent must be a number in (0, 100]; {allowed}"))?
        / 100.0;
    if !time.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(format!("`{text}`: the threshold needs a unit; {allowed}"));
    }
    let threshold = minutes(time).map_err(|e| format!("`{text}`: {e}"))?;
    Ok(ServiceLevel { share, threshold })
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
    let mut targets = args
        .target
        .iter()
        .map(|t| parse_target(t))
        .collect::<Result<Vec<_>>>()?;
    if let Some(sl) = args.sl {
        targets.push(("service_level", true, sl.share));
    }
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
        print_json(&queue, model, &target_text, answer, &rows);
    } else {
        print_table(args.max_servers, &queue, model, &target_text, answer, &rows);
    }
    Ok(())
}

/// The queue the options describe, each checked; the call-centre forms
/// (`--calls`/`--interval`, `--aht`, `--sl`) become the same queue as
/// their equivalents in minutes and per hour.
fn queue(args: &ErlangArgs) -> Result<Queue> {
    let positive = |x: f64| x.is_finite() && x > 0.0;
    let arrivals_per_hour = match (args.arrivals_per_hour, args.calls, args.interval) {
        (Some(a), ..) => a,
        (None, Some(c), Some(i)) => c * 60.0 / i,
        _ => bail!("give --arrivals-per-hour, or --calls and --interval"),
    };
    if !(arrivals_per_hour.is_finite() && arrivals_per_hour >= 0.0) {
        bail!("--arrivals-per-hour must be a number >= 0");
    }
    let Some(service_mean) = args.service_mean.or(args.aht) else {
        bail!("give --service-mean or --aht");
    };
    if !positive(service_mean) {
        bail!("--service-mean must be a number of minutes > 0");
    }
    if args.patience_mean.is_some_and(|p| !positive(p)) {
        bail!("--patience-mean must be a number of minutes > 0");
    }
    let threshold = args.sl.map_or(args.threshold, |sl| sl.threshold);
    if !(threshold.is_finite() && threshold >= 0.0) {
        bail!("--threshold must be a number of minutes >= 0");
    }
    Ok(Queue {
        arrivals_per_hour,
        service_mean,
        patience_mean: args.patience_mean,
        threshold,
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

/// JSON has no NaN or infinity: an undefined value is `null`.
fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// The `erlang` object of `tiersim erlang --json`.
#[derive(Serialize)]
struct Document<'a> {
    model: &'a str,
    arrivals_per_hour: f64,
    service_mean: f64,
    patience_mean: Option<f64>,
    threshold: f64,
    offered_load: Option<f64>,
    targets: &'a [String],
    fewest_servers: Option<u32>,
    rows: Vec<Row>,
}

/// One staffing level of [`Document`].
#[derive(Serialize)]
struct Row {
    servers: u32,
    blocking: Option<f64>,
    p_wait: Option<f64>,
    wait_mean: Option<f64>,
    service_level: Option<f64>,
    abandon_rate: Option<f64>,
    occupancy: Option<f64>,
}

impl From<&Figures> for Row {
    fn from(f: &Figures) -> Self {
        Row {
            servers: f.servers,
            blocking: finite(f.blocking),
            p_wait: finite(f.p_wait),
            wait_mean: finite(f.wait_mean),
            service_level: finite(f.service_level),
            abandon_rate: finite(f.abandon_rate),
            occupancy: finite(f.occupancy),
        }
    }
}

/// The figures as a JSON document.
fn print_json(
    queue: &Queue,
    model: &str,
    target_text: &[String],
    answer: Option<Option<u32>>,
    rows: &[Figures],
) {
    let doc = Document {
        model,
        arrivals_per_hour: queue.arrivals_per_hour,
        service_mean: queue.service_mean,
        patience_mean: queue.patience_mean,
        threshold: queue.threshold,
        offered_load: finite(queue.offered_load()),
        targets: target_text,
        fewest_servers: answer.flatten(),
        rows: rows.iter().map(Row::from).collect(),
    };
    print!("{}", crate::report::json::document("erlang", doc));
}

/// The figures as a table, and the answer.
fn print_table(
    max_servers: u32,
    queue: &Queue,
    model: &str,
    target_text: &[String],
    answer: Option<Option<u32>>,
    rows: &[Figures],
) {
    println!(
        "{model}: {} arrivals/h, mean service {} min{}, offered load {:.3} Erlangs, threshold {} min",
        queue.arrivals_per_hour,
        queue.service_mean,
        queue
            .patience_mean
            .map_or(String::new(), |p| format!(", mean patience {p} min")),
        queue.offered_load(),
        queue.threshold
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
            max_servers,
            target_text.join(" and ")
        ),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_centre_forms_read_as_minutes_and_shares() {
        let sl = service_level("80/20s").unwrap();
        assert_eq!((sl.share, sl.threshold), (0.8, 20.0 / 60.0));
        let sl = service_level("90%/1min").unwrap();
        assert_eq!((sl.share, sl.threshold), (0.9, 1.0));
        assert_eq!(aht("180s"), Ok(3.0));
        assert_eq!(aht("4.5"), Ok(4.5));
        assert_eq!(interval("30min"), Ok(30.0));
        assert_eq!(calls("120"), Ok(120.0));
        for bad in [
            "120/20s",
            "80",
            "80/20",
            "80/",
            "/20s",
            "x/20s",
            "80/20parsecs",
        ] {
            assert!(service_level(bad).is_err(), "{bad}");
        }
        for bad in ["0s", "0", "", "3 parsecs", "-3min"] {
            assert!(aht(bad).is_err(), "{bad}");
            assert!(interval(bad).is_err(), "{bad}");
        }
    }
}
