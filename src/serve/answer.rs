//! Running a what-if against the unchanged baseline on common random
//! numbers: the baseline's replications are run once at start and kept;
//! each what-if runs the changed scenario's replications (same seed, same
//! clients), pairs them with the baseline's (`experiment::paired`) and
//! reads the answer with the report's headline rules. A newer what-if
//! cancels the one in progress (the runner's cancel flag, checked before
//! each replication).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;

use super::whatif::{Changes, Refusal, Session};
use crate::experiment::{Halt, PointResult, RunOptions, run_points};
use crate::report::catalogue::{self, Unit};
use crate::report::format::MeanCi;
use crate::report::headline::{self, Headline, Item};
use crate::report::summary::{Diff, Point};
use crate::report::verdict::Verdict;
use crate::report::{json, service_map, summarise_points};
use crate::scenario::{self, Sweep};

/// The run in progress: its generation, cancel flag and progress.
#[derive(Clone, Debug, Default)]
struct Current {
    generation: u64,
    cancel: Arc<AtomicBool>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

/// Progress of the latest what-if.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Progress {
    /// Its generation (one more for every what-if asked).
    pub generation: u64,
    /// Replications finished.
    pub done: u64,
    /// Replications to run.
    pub total: u64,
}

/// The session with its baseline run, ready for what-ifs.
pub struct Runner {
    /// The scenario and its controls.
    pub session: Session,
    /// The baseline's replications.
    base: PointResult,
    /// The workers.
    pool: rayon::ThreadPool,
    /// The latest what-if.
    current: Mutex<Current>,
}

/// What a what-if gives.
#[derive(Debug)]
pub enum Outcome {
    /// The answer.
    Answer(Box<Answer>),
    /// The changes are not a valid scenario.
    Refused(Vec<Refusal>),
    /// A newer what-if cancelled this one.
    Superseded,
    /// The scenario could not be run (e.g. a tier overloaded past
    /// `run.max_clients_inside`).
    Failed(String),
}

/// The answer to a what-if, as the page shows it.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    /// The what-if's generation.
    pub generation: u64,
    /// Seconds from the request to the answer (validation, run, summary).
    pub seconds: f64,
    /// Replications of each scenario.
    pub replications: u64,
    /// The verdict in one sentence.
    pub verdict: String,
    /// The headline metrics, baseline against what-if.
    pub items: Vec<ItemView>,
    /// The scenario's targets, met or missed in each.
    pub targets: Vec<String>,
    /// Staff cost per hour in each, in words.
    pub cost: Option<String>,
    /// Staff cost per hour of the baseline and the what-if.
    pub staff_cost_per_hour: Option<[MeanCi; 2]>,
    /// Other significant losses and gains, and flagged metrics.
    pub notes: Vec<String>,
    /// Warnings on the what-if.
    pub warnings: Vec<String>,
    /// The day in slots, baseline against what-if.
    pub day: Option<Day>,
    /// The service map of the what-if (SVG).
    pub map: String,
    /// The what-if's entry of `summary.json` (with `vs_baseline`), for API
    /// users: every metric of every group.
    pub what_if: Point,
}

/// One headline metric.
#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    /// `overall`, `segment.<name>` or `tier.<name>`.
    pub group: String,
    /// The metric key.
    pub metric: String,
    /// The metric in words.
    pub name: String,
    /// Baseline and what-if, in the metric's unit.
    pub a_text: String,
    /// What-if, in the metric's unit.
    pub b_text: String,
    /// Baseline mean.
    pub a: Option<f64>,
    /// What-if mean.
    pub b: Option<f64>,
    /// Mean of the paired difference what-if − baseline.
    pub difference: Option<f64>,
    /// Its 95% half-width.
    pub ci95: Option<f64>,
    /// `difference ± half-width` in words.
    pub difference_text: String,
    /// Whether the 95% interval excludes zero.
    pub significant: bool,
    /// `better`, `worse`, `changed` or `no detectable change`.
    pub verdict: &'static str,
}

/// The day in slots.
#[derive(Clone, Debug, Serialize)]
pub struct Day {
    /// Slot start times, open slots only.
    pub labels: Vec<String>,
    /// The curves.
    pub series: Vec<Series>,
}

/// One curve of the day, baseline and what-if.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// What it shows.
    pub title: String,
    /// Baseline per slot (`null` where undefined).
    pub a: Vec<Option<f64>>,
    /// What-if per slot.
    pub b: Vec<Option<f64>>,
}

/// The metrics every answer shows first, for all clients.
const FIRST: [&str; 3] = ["wait_mean", "service_level", "abandon_rate"];

impl Runner {
    /// Runs the baseline of `session` on `threads` workers (one per core
    /// when `None`).
    pub fn new(session: Session, threads: Option<usize>) -> anyhow::Result<Runner> {
        let pool = crate::cli::thread_pool(threads)?;
        let never = AtomicBool::new(false);
        let base = pool
            .install(|| run_one(&session.baseline.model, &never, &|_, _| {}))
            .map_err(|e| anyhow::anyhow!("{}: the baseline cannot be run: {e}", session.file))?;
        Ok(Runner {
            session,
            base,
            pool,
            current: Mutex::new(Current::default()),
        })
    }

    /// Progress of the latest what-if.
    pub fn progress(&self) -> Progress {
        let c = self.current.lock().expect("no panics while locked");
        Progress {
            generation: c.generation,
            done: c.done.load(Ordering::Relaxed),
            total: c.total.load(Ordering::Relaxed),
        }
    }

    /// Starts a new generation, cancelling the one in progress.
    fn start(&self) -> Current {
        let mut c = self.current.lock().expect("no panics while locked");
        c.cancel.store(true, Ordering::SeqCst);
        *c = Current {
            generation: c.generation + 1,
            ..Current::default()
        };
        c.clone()
    }

    /// The answer to `changes` (blocking: call it off the server's event
    /// loop).
    pub fn what_if(&self, changes: &Changes) -> Outcome {
        let started = Instant::now();
        let now = self.start();
        let scenario = match self.session.scenario(changes) {
            Ok(s) => s,
            Err(r) => return Outcome::Refused(r),
        };
        let progress = |done: u64, total: u64| {
            now.done.store(done, Ordering::Relaxed);
            now.total.store(total, Ordering::Relaxed);
        };
        let result = self
            .pool
            .install(|| run_one(&scenario.model, &now.cancel, &progress));
        let result = match result {
            Ok(r) => r,
            Err(RunError::Cancelled) => return Outcome::Superseded,
            Err(RunError::Failed(m)) => return Outcome::Failed(m),
        };
        if now.cancel.load(Ordering::SeqCst) {
            return Outcome::Superseded;
        }
        let mut answer = self.answer(scenario, result);
        answer.generation = now.generation;
        answer.seconds = started.elapsed().as_secs_f64();
        Outcome::Answer(Box::new(answer))
    }

    /// The answer for the what-if `scenario` whose replications are
    /// `result`.
    fn answer(&self, scenario: scenario::Scenario, mut result: PointResult) -> Answer {
        result.point = 1;
        let point = |name: &str, s: scenario::Scenario| scenario::Point {
            name: name.to_string(),
            parameters: Vec::new(),
            scenario: s,
        };
        let sweep = Sweep {
            name: self.session.name(),
            content_hash: String::new(),
            axes: Vec::new(),
            points: vec![
                point("baseline", self.session.baseline.clone()),
                point("what-if", scenario),
            ],
            baseline: Some(0),
        };
        let results = [self.base.clone(), result];
        let s = summarise_points(&sweep, &results);
        let diffs = s.vs_baseline.as_ref().map(|v| v[1].as_slice());
        let a = json::point(&sweep.points[0], &s.summaries[0], results[0].stop, None);
        let b = json::point(&sweep.points[1], &s.summaries[1], results[1].stop, diffs);
        let diffs = b.vs_baseline.clone().unwrap_or_default();
        let h = Headline::of(&a, Some(&b), &diffs.0);
        let staff = a.cost.as_ref().zip(b.cost.as_ref());
        Answer {
            generation: 0,
            seconds: 0.0,
            replications: b.replications,
            verdict: h.verdict().replacen("B is", "The what-if is", 1),
            items: items(&h, &diffs.0),
            targets: h.targets.clone(),
            cost: h.cost.clone(),
            staff_cost_per_hour: staff.map(|(a, b)| [a.staff_per_hour, b.staff_per_hour]),
            notes: h.notes(),
            warnings: b.warnings.clone(),
            day: day(&a, &b),
            map: service_map::svg(&sweep.points[1].scenario.model, &b),
            what_if: b,
        }
    }
}

/// Why a run gave no result.
enum RunError {
    Cancelled,
    Failed(String),
}

/// The replications of `model` (as point 0), or why there are none.
fn run_one(
    model: &crate::model::Model,
    cancel: &AtomicBool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<PointResult, RunError> {
    let kept = Mutex::new(None);
    let finished = |r: &PointResult| {
        *kept.lock().expect("no panics while locked") = Some(r.clone());
    };
    match run_points(
        &[(0, model)],
        &RunOptions::default(),
        &finished,
        progress,
        cancel,
    ) {
        Ok(_) => kept
            .into_inner()
            .expect("no panics while locked")
            .ok_or(RunError::Cancelled),
        Err(Halt::Interrupted(_)) => Err(RunError::Cancelled),
        Err(Halt::Overloaded(e) | Halt::Failed(e)) => Err(RunError::Failed(e.to_string())),
    }
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Cancelled => write!(f, "cancelled"),
            RunError::Failed(m) => write!(f, "{m}"),
        }
    }
}

/// The headline items: wait, service level and abandonment of all clients
/// first, then the headline's own (losses first), each once.
fn items(h: &Headline, diffs: &[Diff]) -> Vec<ItemView> {
    let mut out: Vec<Item> = FIRST
        .iter()
        .filter_map(|m| {
            diffs
                .iter()
                .find(|d| d.group == "overall" && d.metric == *m)
        })
        .map(Item::of)
        .collect();
    for i in h.worse.iter().chain(&h.better).chain(&h.same) {
        if !out
            .iter()
            .any(|o| o.group == i.group && o.metric == i.metric)
        {
            out.push(i.clone());
        }
    }
    out.iter().map(view).collect()
}

/// An item as the page shows it.
fn view(i: &Item) -> ItemView {
    let u = catalogue::unit(&i.metric);
    let suffix = match u {
        Unit::Minutes => " min",
        Unit::Hours => " h",
        _ => "",
    };
    let finite = |x: f64| x.is_finite().then_some(x);
    ItemView {
        group: i.group.clone(),
        metric: i.metric.clone(),
        name: headline::name(&i.group, &i.metric),
        a_text: format!("{}{suffix}", u.show(i.a)),
        b_text: format!("{}{suffix}", u.show(i.b)),
        a: finite(i.a),
        b: finite(i.b),
        difference: finite(i.difference),
        ci95: finite(i.ci95),
        difference_text: i.difference_text(),
        significant: !matches!(i.verdict, Verdict::NoSignificantDifference),
        verdict: match i.verdict {
            Verdict::NoSignificantDifference => "no detectable change",
            v => v.as_str(),
        },
    }
}

/// The day of the baseline and the what-if: waits, service level and each
/// staffed tier's utilization and servers, over the slots where clients
/// arrive or someone is on duty.
fn day(a: &Point, b: &Point) -> Option<Day> {
    let (sa, sb) = (a.slots.as_ref()?, b.slots.as_ref()?);
    let arrived = |s: &crate::report::summary::Slots, i: usize| {
        s.overall("arrived")
            .and_then(|c| c.mean.get(i).copied())
            .unwrap_or(0.0)
    };
    let open: Vec<usize> = (0..sa.labels.len())
        .filter(|&i| arrived(sa, i) > 0.0 || arrived(sb, i) > 0.0)
        .collect();
    let pick = |c: Option<&crate::report::summary::Curve>| -> Vec<Option<f64>> {
        open.iter()
            .map(|&i| {
                c.and_then(|c| c.mean.get(i).copied())
                    .filter(|x| x.is_finite())
            })
            .collect()
    };
    let mut series = vec![
        Series {
            title: "mean wait of clients arriving in the slot (min)".into(),
            a: pick(sa.overall("wait_mean")),
            b: pick(sb.overall("wait_mean")),
        },
        Series {
            title: "service level of clients arriving in the slot".into(),
            a: pick(sa.overall("service_level")),
            b: pick(sb.overall("service_level")),
        },
    ];
    for (tier, _) in sb.tiers.iter() {
        for (metric, words) in [("utilization", "utilization"), ("servers_mean", "on duty")] {
            let (ca, cb) = (sa.tier(tier, metric), sb.tier(tier, metric));
            if cb.is_some_and(|c| c.mean.iter().any(|x| x.is_finite() && *x > 0.0)) {
                series.push(Series {
                    title: format!("{tier}: {words}"),
                    a: pick(ca),
                    b: pick(cb),
                });
            }
        }
    }
    Some(Day {
        labels: open.iter().map(|&i| sa.labels[i].clone()).collect(),
        series,
    })
}
