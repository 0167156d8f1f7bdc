//! The data-cleaning rules: which records become calls to the agents, and
//! what is kept of each. Every rule is counted (`Cleaning`, written to
//! fit.json) and documented in `docs/fit.md`; nothing is dropped silently.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::read::{Log, Outcome, Record};

/// Seconds by which timestamps of one call may run backwards (the log
/// rounds to the second; a served call's service often starts 1-2 s before
/// its queue exit) and still be kept, clamped into order.
pub const JITTER_SECONDS: i64 = 5;

/// A call that reached the agents (queued or was served), ready to fit.
#[derive(Debug, Clone)]
pub struct Call {
    /// Date of arrival.
    pub date: NaiveDate,
    /// Minute of the day of arrival (when it asked for an agent).
    pub minute: f64,
    /// Segment label.
    pub segment: String,
    /// Request type.
    pub request: String,
    /// Whether the caller was identified.
    pub identified: bool,
    /// Whether it waited in the agents' queue.
    pub queued: bool,
    /// Minutes in the queue (0 when it never queued).
    pub wait: f64,
    /// Served (else abandoned).
    pub served: bool,
    /// Service minutes, when usable for the service-time fit (a named
    /// agent and a positive length).
    pub service: Option<f64>,
    /// The agent and the service's span, when named.
    pub agent: Option<(String, NaiveDateTime, NaiveDateTime)>,
}

/// Counts of every cleaning rule (rows of the file and calls).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cleaning {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that could not be read, by reason (not used at all).
    pub unusable: std::collections::BTreeMap<String, usize>,
    /// Rows read but dated outside `--from`/`--to` (not used).
    pub outside_dates: usize,
    /// PHANTOM records: calls that never were (dropped).
    pub phantom: usize,
    /// Calls that left before asking for an agent (hung up in the VRU,
    /// never queued, never served): not arrivals to the agents (dropped).
    pub left_before_queue: usize,
    /// Calls whose waiting (arrival, queue entry, queue exit) or service
    /// (start, end) runs backwards by more than JITTER_SECONDS after the
    /// midnight rule (dropped).
    pub clock_glitch_dropped: usize,
    /// Calls whose timestamps run backwards by 1..=JITTER_SECONDS (kept;
    /// times clamped into order).
    pub clock_jitter_kept: usize,
    /// Served calls whose service starts more than JITTER_SECONDS before
    /// their wait ends (queue exit, or arrival when never queued): two
    /// clocks disagree; kept, with the logged queue time as the wait.
    pub service_before_wait_end_kept: usize,
    /// VRU exit before VRU entry by less than 12 h (kept: the VRU entry
    /// is not used).
    pub vru_clock_glitch_kept: usize,
    /// Timestamps moved to the next day because they cross midnight (kept).
    pub midnight_crossings: usize,
    /// Served calls that never queued (kept; wait 0).
    pub served_without_queueing: usize,
    /// Served calls with no agent named (kept as arrivals; not in the
    /// service-time fit or the staffing estimate).
    pub served_without_agent: usize,
    /// Served calls of zero length (kept as arrivals; not in the
    /// service-time fit).
    pub zero_length_service: usize,
    /// Calls from unidentified customers (kept; their segment is
    /// reassigned in the arrival rates, see docs/fit.md).
    pub unidentified: usize,
    /// Calls to the agents used in the fit.
    pub calls: usize,
}

/// Applies the rules to a log read, keeping dates in `[from, to]`.
pub fn clean(log: Log, from: Option<NaiveDate>, to: Option<NaiveDate>) -> (Vec<Call>, Cleaning) {
    let mut c = Cleaning {
        rows: log.rows,
        unusable: log.unusable,
        midnight_crossings: log.midnight_crossings,
        vru_clock_glitch_kept: log.vru_clock_glitches,
        ..Cleaning::default()
    };
    let mut calls = Vec::with_capacity(log.records.len());
    for r in log.records {
        let date = r.arrival.date();
        if from.is_some_and(|f| date < f) || to.is_some_and(|t| date > t) {
            c.outside_dates += 1;
            continue;
        }
        match r.outcome {
            Outcome::Phantom => c.phantom += 1,
            Outcome::LeftBeforeQueue => c.left_before_queue += 1,
            Outcome::Served | Outcome::Abandoned => {
                if let Some(call) = call(r, &mut c) {
                    calls.push(call);
                }
            }
        }
    }
    c.calls = calls.len();
    (calls, c)
}

/// The largest backward step, in seconds, within the call's waiting
/// (arrival, queue entry, queue exit) and within its service (start, end).
fn backwards(r: &Record) -> i64 {
    let mut waiting = vec![r.arrival];
    if let Some((a, b)) = r.queue {
        waiting.extend([a, b]);
    }
    let service: Vec<NaiveDateTime> = r.service.map(|(a, b)| vec![a, b]).unwrap_or_default();
    let step = |v: &[NaiveDateTime]| {
        v.windows(2)
            .map(|w| (w[0] - w[1]).num_seconds())
            .max()
            .unwrap_or(0)
    };
    step(&waiting).max(step(&service))
}

/// Seconds by which the service starts before the waiting ended (the
/// queue exit, or the arrival of a call that never queued).
fn early_start(r: &Record) -> i64 {
    let waited = r.queue.map_or(r.arrival, |(_, exit)| exit);
    r.service
        .map_or(0, |(start, _)| (waited - start).num_seconds())
}

fn call(r: Record, c: &mut Cleaning) -> Option<Call> {
    match backwards(&r) {
        s if s > JITTER_SECONDS => {
            c.clock_glitch_dropped += 1;
            return None;
        }
        s if s > 0 => c.clock_jitter_kept += 1,
        _ => match early_start(&r) {
            s if s > JITTER_SECONDS => c.service_before_wait_end_kept += 1,
            s if s > 0 => c.clock_jitter_kept += 1,
            _ => {}
        },
    }
    let served = r.outcome == Outcome::Served;
    if served && r.queue.is_none() {
        c.served_without_queueing += 1;
    }
    if !r.identified {
        c.unidentified += 1;
    }
    let wait = r
        .queue
        .map_or(0.0, |(a, b)| ((b - a).num_seconds().max(0)) as f64 / 60.0);
    let mut service = None;
    let mut agent = None;
    if let Some((start, end)) = r.service {
        let length = (end - start).num_seconds().max(0);
        match &r.agent {
            None => c.served_without_agent += 1,
            Some(_) if length == 0 => c.zero_length_service += 1,
            Some(name) => {
                service = Some(length as f64 / 60.0);
                agent = Some((name.clone(), start, end));
            }
        }
    }
    let minute = r
        .arrival
        .time()
        .signed_duration_since(chrono::NaiveTime::MIN)
        .num_seconds() as f64
        / 60.0;
    Some(Call {
        date: r.arrival.date(),
        minute,
        segment: r.segment,
        request: r.request,
        identified: r.identified,
        queued: r.queue.is_some(),
        wait,
        served,
        service,
        agent,
    })
}
