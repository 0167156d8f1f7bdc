//! `tiersim check`: what a scenario asks of each tier and what running it
//! will cost, without running it. Per tier the offered load from the
//! traffic equations and the utilization it implies, a stability verdict,
//! and the expected number of events and run time.

use crate::model::{Model, Servers, TierLoad, expected_events, mean_offered_loads};
use crate::report::format::putln;
use crate::scenario::Sweep;

/// Events per second one thread simulates, the basis of run-time estimates:
/// the slowest of the shipped scenarios in CPU time on the project's 2-core
/// machines, output files included (measured 8.7 to 12 M/s; `README.md`,
/// "Robustness"). A machine shared with other work runs slower.
pub const EVENTS_PER_SECOND: f64 = 8e6;

/// Utilization from which a stable tier is called busy: queues grow
/// sharply as utilization nears 1.
const BUSY: f64 = 0.85;

/// How a tier will behave in the long run.
/// Ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// A chatbot: serves everyone at once.
    Unlimited,
    /// Utilization below 0.85.
    Stable,
    /// Utilization from 0.85 to 1: stable, with long queues at peaks.
    Busy,
    /// Below capacity, but outbound calls keep no server free
    /// (`keep_idle = 0`): every arriving client waits for a call to end.
    OutboundWait,
    /// At or over capacity, its queue held only by abandonment or blocking.
    Saturated,
    /// At or over capacity with nothing to bound its queue.
    Unstable,
}

impl Verdict {
    /// The verdict of one tier's load.
    pub fn of(load: &TierLoad) -> Verdict {
        if load.servers.is_unlimited() {
            Verdict::Unlimited
        } else if load.unbounded {
            Verdict::Unstable
        } else if load.utilization >= 1.0 {
            Verdict::Saturated
        } else if load.outbound_wait.is_some() {
            Verdict::OutboundWait
        } else if load.utilization >= BUSY {
            Verdict::Busy
        } else {
            Verdict::Stable
        }
    }

    /// The words printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Unlimited => "unlimited (chatbot)",
            Verdict::Stable => "stable",
            Verdict::Busy => "stable but busy (long queues at peaks)",
            Verdict::OutboundWait => {
                "NO SERVER FREE: outbound calls take every idle server (keep_idle = 0); clients wait for a call to end"
            }
            Verdict::Saturated => "over capacity; queue held by abandonment or blocking",
            Verdict::Unstable => "UNSTABLE: queue grows without bound",
        }
    }
}

/// The check of one model: verdicts, events and run time.
#[derive(Clone, Debug)]
pub struct Check {
    /// Per tier, in model order.
    pub loads: Vec<TierLoad>,
    /// Per tier, in model order.
    pub verdicts: Vec<Verdict>,
    /// Events expected per replication.
    pub events: f64,
    /// Seconds expected for all replications on `threads` threads.
    pub seconds: f64,
}

impl Check {
    /// Checks `model` as if run on `threads` threads.
    pub fn of(model: &Model, threads: usize) -> Check {
        // Long-run loads: a profile's weekly mean against the roster's.
        let loads = mean_offered_loads(model);
        let verdicts = loads.iter().map(Verdict::of).collect();
        let events = expected_events(model);
        // Replications run in parallel, one per thread at a time.
        let reps = model.run.replications as f64;
        let waves = (reps / threads.max(1) as f64).ceil();
        Check {
            loads,
            verdicts,
            events,
            seconds: waves * events / EVENTS_PER_SECOND,
        }
    }

    /// The worst verdict of any tier.
    pub fn worst(&self) -> Verdict {
        self.verdicts
            .iter()
            .copied()
            .max()
            .unwrap_or(Verdict::Stable)
    }
}

/// The text `tiersim check` prints for `sweep` (read from `file`), run on
/// `threads` threads.
pub fn render(file: &str, sweep: &Sweep, threads: usize) -> String {
    let mut out = String::new();
    let models: Vec<&Model> = sweep.points.iter().map(|p| &p.scenario.model).collect();
    let checks: Vec<Check> = models.iter().map(|m| Check::of(m, threads)).collect();
    putln(
        &mut out,
        format_args!(
            "{file}: valid scenario `{}` ({} point{})",
            sweep.name,
            models.len(),
            if models.len() == 1 { "" } else { "s" }
        ),
    );
    if let [model] = models.as_slice() {
        tier_table(&mut out, model, &checks[0]);
    } else {
        point_table(&mut out, sweep, &checks);
    }
    let events: f64 = models
        .iter()
        .zip(&checks)
        .map(|(m, c)| c.events * m.run.replications as f64)
        .sum();
    let seconds: f64 = checks.iter().map(|c| c.seconds).sum();
    let worst = checks
        .iter()
        .map(Check::worst)
        .max()
        .unwrap_or(Verdict::Stable);
    let verdict = match worst {
        Verdict::Unstable => {
            "UNSTABLE: a tier's queue grows for the whole run (see above); results describe a \
             run cut at the horizon, and a replication stops at run.max_clients_inside"
        }
        Verdict::Saturated => {
            "saturated: a tier is at or over capacity; its queue is held by abandonment or blocking"
        }
        Verdict::OutboundWait => {
            "clients wait for outbound calls: a tier keeps no server free for them \
             (keep_idle = 0; see above); expect long waits and, with patience, abandonment"
        }
        Verdict::Busy => "stable, with a tier above 85% utilization",
        Verdict::Stable | Verdict::Unlimited => "stable",
    };
    putln(&mut out, format_args!("\nverdict: {verdict}"));
    putln(
        &mut out,
        format_args!(
            "expected: {} events in all ({} replications), about {} on {threads} thread{} \
         (at {:.1} M events/s per thread)",
            si(events),
            models
                .iter()
                .map(|m| m.run.replications as u64)
                .sum::<u64>(),
            duration(seconds),
            if threads == 1 { "" } else { "s" },
            EVENTS_PER_SECOND / 1e6
        ),
    );
    out
}

/// One line per tier of a single scenario.
fn tier_table(out: &mut String, model: &Model, check: &Check) {
    let r = &model.run;
    putln(
        out,
        format_args!(
            "horizon {} min, warm-up {} min, {} replications, at most {} clients inside",
            plain(r.horizon),
            plain(r.warmup),
            r.replications,
            r.max_clients_inside
        ),
    );
    let width = model
        .tiers
        .iter()
        .map(|t| t.name.len())
        .max()
        .unwrap_or(4)
        .max(4);
    putln(
        out,
        format_args!(
            "\n{:<width$}  {:>10}  {:>12}  {:>8}  {:>11}  verdict",
            "tier", "visits/h", "offered load", "servers", "utilization"
        ),
    );
    for ((load, verdict), tier) in check.loads.iter().zip(&check.verdicts).zip(&model.tiers) {
        let (servers, utilization) = match tier.servers {
            Servers::Unlimited => ("-".to_string(), "-".to_string()),
            Servers::Fixed(n) | Servers::Rostered(n) => {
                // A roster's mean on duty, or agents of groups with drawn
                // speeds or new hires on average over the run.
                let servers = if load.rostered {
                    format!("{:.1}", load.on_duty)
                } else {
                    n.to_string()
                };
                (servers, format!("{:.3}", load.utilization))
            }
        };
        putln(
            out,
            format_args!(
                "{:<width$}  {:>10.2}  {:>12.3}  {:>8}  {:>11}  {}",
                load.tier,
                load.arrival_rate_per_hour,
                load.offered_load,
                servers,
                utilization,
                verdict.as_str()
            ),
        );
    }
    notes(out, check);
    footnotes(out, model, check);
}

/// The lines under the tier table that explain its figures: rosters' and
/// varying groups' servers, and the events per replication.
fn footnotes(out: &mut String, model: &Model, check: &Check) {
    if model.tiers.iter().any(|t| t.roster.is_some()) {
        putln(
            out,
            format_args!(
                "(servers of a roster: the mean on duty over the week; a peak slot may be busier)"
            ),
        );
    }
    if check
        .loads
        .iter()
        .zip(&model.tiers)
        .any(|(l, t)| l.rostered && t.roster.is_none())
    {
        putln(
            out,
            format_args!(
                "(agent groups with drawn speeds or new hires: servers are the agents on duty on \
                 average over the run, hires from the week they join; the offered load counts each \
                 agent's mean speed over its tenure efficiency)"
            ),
        );
    }
    putln(
        out,
        format_args!(
            "events per replication: {} (arrivals, service ends, patience timers, roster changes; \
         abandonment and blocking make it fewer)",
            si(check.events)
        ),
    );
}

/// The notes under the tier table: outbound calls (the servers they take
/// and, with none kept free, the wait they cause) and call-back cases
/// (which have no patience, so abandonment does not hold their list).
fn notes(out: &mut String, check: &Check) {
    for (load, verdict) in check.loads.iter().zip(&check.verdicts) {
        if load.outbound_load > 0.0 {
            let wait = load.outbound_wait.map_or(String::new(), |(low, high)| {
                format!(
                    "; none is kept free (keep_idle = 0), so an arriving client finds every server busy \
                     and waits for the first to finish: about {low:.1} min if every client is served, up \
                     to {high:.1} min as clients abandon and calls take their servers; clients with less \
                     patience abandon"
                )
            });
            putln(
                out,
                format_args!(
                    "tier `{}`: outbound calls take up to {:.2} servers on average (utilization with them \
                     {:.3}){wait}",
                    load.tier,
                    load.outbound_load,
                    (load.offered_load + load.outbound_load) / load.available,
                ),
            );
        }
        if load.callback_rate_per_hour > 0.0 && *verdict == Verdict::Unstable {
            putln(
                out,
                format_args!(
                    "tier `{}`: {:.2} of its visits per hour are call-back cases, which have no patience: \
                     its call-back list grows without bound (abandonment does not hold it)",
                    load.tier, load.callback_rate_per_hour
                ),
            );
        }
    }
}

/// One line per point of a sweep: its busiest tier and verdict.
fn point_table(out: &mut String, sweep: &Sweep, checks: &[Check]) {
    let width = sweep
        .points
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(5)
        .max(5);
    putln(
        out,
        format_args!(
            "\n{:<width$}  {:<12}  {:>11}  {:>12}  verdict",
            "point", "busiest tier", "utilization", "events/rep"
        ),
    );
    for (point, check) in sweep.points.iter().zip(checks) {
        let busiest = check
            .loads
            .iter()
            .zip(&check.verdicts)
            .filter(|(_, v)| **v != Verdict::Unlimited)
            .max_by(|a, b| a.0.utilization.total_cmp(&b.0.utilization))
            .map(|(l, _)| l);
        let (tier, utilization) = busiest.map_or(("-".into(), "-".into()), |l| {
            (l.tier.clone(), format!("{:.3}", l.utilization))
        });
        putln(
            out,
            format_args!(
                "{:<width$}  {:<12}  {:>11}  {:>12}  {}",
                point.name,
                tier,
                utilization,
                si(check.events),
                check.worst().as_str()
            ),
        );
    }
}

/// `1.23 M` style.
fn si(x: f64) -> String {
    match x {
        x if x >= 1e12 => format!("{x:.2e}"),
        x if x >= 1e9 => format!("{:.2} G", x / 1e9),
        x if x >= 1e6 => format!("{:.2} M", x / 1e6),
        x if x >= 1e3 => format!("{:.1} k", x / 1e3),
        x => format!("{x:.0}"),
    }
}

/// `x` as written (`480`, `0.5`), or in scientific notation when huge
/// (`1.000e300`, never 300 digits).
fn plain(x: f64) -> String {
    if x.abs() < 1e15 {
        format!("{x}")
    } else {
        format!("{x:.3e}")
    }
}

/// Seconds as `0.4 s`, `3 min 20 s` or `2.5 h`.
fn duration(seconds: f64) -> String {
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else if seconds < 3600.0 {
        format!(
            "{} min {} s",
            (seconds / 60.0) as u64,
            (seconds % 60.0) as u64
        )
    } else if seconds < 3.6e9 {
        format!("{:.1} h", seconds / 3600.0)
    } else {
        format!("{:.2e} h", seconds / 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readable_numbers() {
        assert_eq!(si(999.0), "999");
        assert_eq!(si(1_500.0), "1.5 k");
        assert_eq!(si(2_340_000.0), "2.34 M");
        assert_eq!(duration(1.25), "1.2 s");
        assert_eq!(duration(200.0), "3 min 20 s");
        assert_eq!(duration(9000.0), "2.5 h");
    }
}
