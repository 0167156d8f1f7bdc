//! Running the points of a sweep: every (point, replication) pair in
//! parallel, more replications for points that have not reached their
//! precision, each point handed to a callback (the journal) the moment it is
//! final, and a clean stop when cancelled.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::{Journeys, Precision, ReplicationMetrics};
use crate::model::{Model, simulate};

/// How many replications each point gets.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Targets every point must meet (all of them); empty runs each point
    /// for its scenario's `replications`.
    pub precision: Vec<Precision>,
    /// With precision targets: the most replications a point may take.
    pub max_replications: u32,
    /// Write every contact into the journeys file (`--journeys`); the
    /// caller joins its parts ([`Journeys::finish`]) when the run is over.
    pub journeys: Option<Journeys>,
}

/// Why a point stopped adding replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// It ran the scenario's `replications`.
    Replications,
    /// Every precision target was met.
    Precision,
    /// The targets were not met within the most replications allowed.
    MaxReplications,
}

impl StopReason {
    /// The name written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Replications => "replications",
            StopReason::Precision => "precision",
            StopReason::MaxReplications => "max_replications",
        }
    }

    /// The reason named `s` in outputs.
    pub fn parse(s: &str) -> Option<StopReason> {
        [
            StopReason::Replications,
            StopReason::Precision,
            StopReason::MaxReplications,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A finished point.
#[derive(Clone, Debug, PartialEq)]
pub struct PointResult {
    /// Index of the point in its sweep.
    pub point: usize,
    /// Metrics of replications 0, 1, ..., in order.
    pub replications: Vec<ReplicationMetrics>,
    /// Why it stopped.
    pub stop: StopReason,
}

/// What is kept of a finished point once it has been handed on: its index,
/// how many replications it ran and why it stopped. The replications'
/// metrics are not kept, so a run's memory is flat in its number of points
/// (the journal holds them; [`super::FinishedPoints`] reads them back).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Done {
    /// Index of the point in its sweep.
    pub point: usize,
    /// Replications run.
    pub replications: u32,
    /// Why it stopped.
    pub stop: StopReason,
}

impl Done {
    /// What is kept of `result`.
    pub fn of(result: &PointResult) -> Done {
        Done {
            point: result.point,
            replications: result.replications.len() as u32,
            stop: result.stop,
        }
    }
}

/// The run was cancelled; these points had finished (and were handed to the
/// callback).
#[derive(Debug)]
pub struct Interrupted(pub Vec<Done>);

/// Why [`run_points`] stopped before every point was final.
#[derive(Debug)]
pub enum Halt {
    /// Cancelled (Ctrl-C, or a callback's failure).
    Interrupted(Interrupted),
    /// A replication reached `run.max_clients_inside`: the error names the
    /// point, the overloaded tier and its offered load. Points finished
    /// before were handed to the callback.
    Overloaded(crate::Error),
    /// A replication's contacts could not be written to the journeys file.
    Failed(crate::Error),
}

/// A point still collecting replications.
struct Pending<'m> {
    point: usize,
    model: &'m Model,
    replications: Vec<Option<ReplicationMetrics>>,
    /// Replications of this round still running.
    outstanding: usize,
}

/// Runs `points` ((index, model) pairs) until each is final, calling
/// `finished` for each point as soon as it is (from a worker thread) and
/// `progress(done, total)` after every replication; `total` grows when a
/// point needs more replications for its precision. Checks `cancel` before
/// starting each replication. Returns what is kept of the finished points
/// ([`Done`]), in point order: a point's metrics live only until `finished`
/// has had them.
pub fn run_points(
    points: &[(usize, &Model)],
    options: &RunOptions,
    finished: &(dyn Fn(&PointResult) + Sync),
    progress: &(dyn Fn(u64, u64) + Sync),
    cancel: &AtomicBool,
) -> Result<Vec<Done>, Halt> {
    let mut pending = first_round(points, options);
    let shared = Shared {
        overloaded: Mutex::new(None),
        stop: AtomicBool::new(false),
        total: AtomicU64::new(pending.iter().map(|p| p.replications.len() as u64).sum()),
        done: AtomicU64::new(0),
        results: Mutex::new(Vec::new()),
    };
    while !pending.is_empty() {
        let units = round_units(&mut pending);
        let states: Vec<Mutex<&mut Pending<'_>>> = pending.iter_mut().map(Mutex::new).collect();
        // Points whose replications are all in but whose targets are not met.
        let again = Mutex::new(Vec::new());
        units.into_par_iter().with_max_len(1).for_each(|(slot, r)| {
            if cancel.load(Ordering::Relaxed) || shared.stop.load(Ordering::Relaxed) {
                return;
            }
            if let Some(point) = shared.replicate(&states[slot], r, options, finished, progress) {
                lock(&again).push(point);
            }
        });
        drop(states);
        let again = again.into_inner().expect("no panics while locked");
        if let Some(halt) = shared.halt(points, options) {
            return Err(halt);
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(Halt::Interrupted(Interrupted(shared.into_results())));
        }
        pending.retain(|p| again.contains(&p.point));
    }
    Ok(shared.into_results())
}

/// Every point with the replications of its first round still to run:
/// the scenario's `replications`, or with precision targets at least two
/// and at most the maximum.
fn first_round<'m>(points: &[(usize, &'m Model)], options: &RunOptions) -> Vec<Pending<'m>> {
    let first = |m: &Model| {
        if options.precision.is_empty() {
            m.run.replications
        } else {
            m.run
                .replications
                .max(2)
                .min(options.max_replications.max(2))
        }
    };
    points
        .iter()
        .map(|&(point, model)| Pending {
            point,
            model,
            replications: vec![None; first(model) as usize],
            outstanding: 0,
        })
        .collect()
}

/// Locks `m` (no code panics while holding one of the runner's locks).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().expect("no panics while locked")
}

/// This round's work: every replication not yet run, point by point, as
/// (index in `pending`, replication); sets each point's `outstanding`.
fn round_units(pending: &mut [Pending<'_>]) -> Vec<(usize, u32)> {
    pending
        .iter_mut()
        .enumerate()
        .flat_map(|(slot, p)| {
            let missing: Vec<u32> = (0..p.replications.len() as u32)
                .filter(|&r| p.replications[r as usize].is_none())
                .collect();
            p.outstanding = missing.len();
            missing.into_iter().map(move |r| (slot, r))
        })
        .collect()
}

/// What the workers of [`run_points`] share.
struct Shared {
    /// The first overload seen (by point, then replication, so the message
    /// does not depend on the threads).
    overloaded: Mutex<Option<(usize, u32, String)>>,
    /// Set on an overload: every worker stops.
    stop: AtomicBool,
    /// Replications to run, growing when a point needs more.
    total: AtomicU64,
    /// Replications run.
    done: AtomicU64,
    /// What is kept of the finished points.
    results: Mutex<Vec<Done>>,
}

impl Shared {
    /// Records an overload of replication `r` of `point` (keeping the
    /// first by point and replication) and stops every worker.
    fn overload(&self, point: usize, r: u32, message: String) {
        let mut first = lock(&self.overloaded);
        if first.as_ref().is_none_or(|f| (point, r) < (f.0, f.1)) {
            *first = Some((point, r, message));
        }
        self.stop.store(true, Ordering::Relaxed);
    }

    /// A point whose replications are all in: final (handed to
    /// `finished`, its metrics freed as soon as it has had them; returns
    /// true), or grown to the count its precision needs (returns false).
    fn complete(
        &self,
        p: &mut Pending<'_>,
        options: &RunOptions,
        finished: &(dyn Fn(&PointResult) + Sync),
    ) -> bool {
        let reps: Vec<ReplicationMetrics> = std::mem::take(&mut p.replications)
            .into_iter()
            .flatten()
            .collect();
        if let Some(stop) = decide(&reps, options) {
            let result = PointResult {
                point: p.point,
                replications: reps,
                stop,
            };
            finished(&result);
            lock(&self.results).push(Done::of(&result));
            return true;
        }
        let more = next_count(&reps, options);
        self.total
            .fetch_add(more - reps.len() as u64, Ordering::Relaxed);
        p.replications = reps.into_iter().map(Some).collect();
        p.replications.resize(more as usize, None);
        false
    }

    /// Runs replication `r` of the point in `state` and records its
    /// metrics; when it was the round's last of a point that then needs
    /// more replications, returns the point.
    fn replicate(
        &self,
        state: &Mutex<&mut Pending<'_>>,
        r: u32,
        options: &RunOptions,
        finished: &(dyn Fn(&PointResult) + Sync),
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Option<usize> {
        let (model, point) = {
            let p = lock(state);
            (p.model, p.point)
        };
        let result = match &options.journeys {
            None => simulate(model, r),
            Some(journeys) => match journeys.simulate(model, point, r) {
                Some(result) => result,
                None => {
                    self.stop.store(true, Ordering::Relaxed);
                    return None;
                }
            },
        };
        if let Some(o) = &result.overload {
            self.overload(point, r, o.explain(model, r));
            return None;
        }
        let metrics = ReplicationMetrics::of(&result);
        let mut p = lock(state);
        p.replications[r as usize] = Some(metrics);
        p.outstanding -= 1;
        progress(
            self.done.fetch_add(1, Ordering::Relaxed) + 1,
            self.total.load(Ordering::Relaxed),
        );
        (p.outstanding == 0 && !self.complete(&mut p, options, finished)).then_some(p.point)
    }

    /// Why the run stops after a round, if it does: an overload (named by
    /// the overloaded point of `points`) or a failure to write journeys.
    fn halt(&self, points: &[(usize, &Model)], options: &RunOptions) -> Option<Halt> {
        if let Some((point, _, message)) = lock(&self.overloaded).take() {
            let name = &points
                .iter()
                .find(|(i, _)| *i == point)
                .expect("a run point")
                .1
                .name;
            return Some(Halt::Overloaded(crate::Error::Overloaded {
                scenario: name.clone(),
                message,
            }));
        }
        options
            .journeys
            .as_ref()
            .and_then(Journeys::failure)
            .map(Halt::Failed)
    }

    /// The finished points, in point order.
    fn into_results(self) -> Vec<Done> {
        let mut results = self.results.into_inner().expect("no panics while locked");
        results.sort_by_key(|r| r.point);
        results
    }
}

/// Whether a point with these replications is final, and why.
fn decide(replications: &[ReplicationMetrics], options: &RunOptions) -> Option<StopReason> {
    if options.precision.is_empty() {
        Some(StopReason::Replications)
    } else if options.precision.iter().all(|p| p.met(replications)) {
        Some(StopReason::Precision)
    } else if replications.len() as u32 >= options.max_replications {
        Some(StopReason::MaxReplications)
    } else {
        None
    }
}

/// How many replications a point should have after the next round: what the
/// widest target asks for, at least one more, at most the maximum.
fn next_count(replications: &[ReplicationMetrics], options: &RunOptions) -> u64 {
    let n = replications.len() as u64;
    let wanted = options
        .precision
        .iter()
        .map(|p| p.replications_needed(replications))
        .max()
        .unwrap_or(n);
    wanted.max(n + 1).min(options.max_replications as u64)
}
