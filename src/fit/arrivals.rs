//! Arrivals: calls per request type per weekday and slot of the day, the
//! pooled profile and day factors the scenario format can hold, and the
//! segment shares with unidentified callers reassigned (docs/fit.md §3).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::Estimate;
use super::clean::Call;

/// Weekday names as the scenario format spells them, Sunday first.
pub const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// 0 = Sunday .. 6 = Saturday.
pub fn weekday_index(date: NaiveDate) -> usize {
    date.weekday().num_days_from_sunday() as usize
}

/// Parses `sun`..`sat`.
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    text.parse::<Weekday>().ok()
}

/// One cell of the arrival table: a request type on a weekday in a slot.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Request type.
    pub request: String,
    /// Weekday (`sun`..`sat`).
    pub weekday: &'static str,
    /// Slot start, `HH:MM`.
    pub slot: String,
    /// Calls per day of that weekday: mean over its days, with the SE from
    /// the day-to-day spread (Poisson SE when there is one day); n = days.
    pub calls_per_day: Estimate,
}

/// A weekday's volume.
#[derive(Debug, Clone, Serialize)]
pub struct WeekdayFit {
    /// Weekday.
    pub weekday: &'static str,
    /// Days of this weekday in the period.
    pub days: usize,
    /// Calls per day (mean, SE over days; n = days).
    pub calls_per_day: Estimate,
    /// Day factor = calls per day / mean over fitted weekdays.
    pub factor: f64,
    /// Share of this weekday's calls that the pooled profile would put in
    /// other slots (total-variation distance of the two day shapes).
    pub shape_mismatch: f64,
}

/// Everything fitted about arrivals.
#[derive(Debug, Clone, Serialize)]
pub struct Arrivals {
    /// Slot length, minutes.
    pub slot_minutes: u32,
    /// Days in the period fitted (after `--days`).
    pub days: usize,
    /// Calls to the agents in those days.
    pub calls: usize,
    /// Pooled share of a day's calls in each slot, divided by the largest
    /// (the scenario's profile); n = calls in the slot.
    pub profile: Vec<Estimate>,
    /// Calls per hour, all segments, in the peak slot of a day with factor 1.
    pub rate_per_hour: f64,
    /// Per weekday.
    pub weekdays: Vec<WeekdayFit>,
    /// Segment shares of calls (unidentified callers reassigned).
    pub segment_share: BTreeMap<String, Estimate>,
    /// Request mix of each segment.
    pub request_mix: BTreeMap<String, BTreeMap<String, f64>>,
    /// Calls per request type, weekday and slot (cells with calls).
    pub cells: Vec<Cell>,
    /// Day-to-day variation of the day totals beyond Poisson.
    pub day_effect: super::day_effect::DayEffectFit,
}

/// Mean and SE of per-day counts (Poisson SE for one day).
fn per_day(counts: &[f64]) -> Estimate {
    let n = counts.len();
    let mean = counts.iter().sum::<f64>() / n.max(1) as f64;
    let se = if n >= 2 {
        let var = counts.iter().map(|c| (c - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (var / n as f64).sqrt()
    } else {
        mean.sqrt()
    };
    Estimate::new(mean, Some(se), n)
}

/// Slot label `HH:MM` of slot `s`.
pub fn slot_label(s: usize, slot_minutes: u32) -> String {
    let m = s as u32 * slot_minutes;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Day indices of `dates` falling on weekday `w` (0 = Sunday).
fn days_of(dates: &[NaiveDate], w: usize) -> Vec<usize> {
    (0..dates.len())
        .filter(|&i| weekday_index(dates[i]) == w)
        .collect()
}

/// Fits arrivals on `calls` over the period's `dates`.
pub fn fit(calls: &[Call], dates: &[NaiveDate], slot_minutes: u32) -> Arrivals {
    let slots = (1440 / slot_minutes) as usize;
    let slot_of = |c: &Call| ((c.minute / slot_minutes as f64) as usize).min(slots - 1);
    let day_index: BTreeMap<NaiveDate, usize> =
        dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut per_date = vec![vec![0.0; slots]; dates.len()];
    let mut by_type: BTreeMap<&str, Vec<Vec<f64>>> = BTreeMap::new();
    for c in calls {
        let (d, s) = (day_index[&c.date], slot_of(c));
        per_date[d][s] += 1.0;
        by_type
            .entry(&c.request)
            .or_insert_with(|| vec![vec![0.0; slots]; dates.len()])[d][s] += 1.0;
    }
    let total: f64 = per_date.iter().flatten().sum();
    let pooled: Vec<f64> = (0..slots)
        .map(|s| per_date.iter().map(|d| d[s]).sum())
        .collect();
    let peak = pooled.iter().cloned().fold(0.0, f64::max).max(1.0);
    let profile = pooled
        .iter()
        .map(|&n| {
            // Poisson SE of a count, ignoring the peak's own error.
            Estimate::new(n / peak, Some(n.sqrt() / peak), n as usize)
        })
        .collect();
    let mean_day = total / dates.len().max(1) as f64;
    let (segment_share, request_mix) = segments(calls);
    Arrivals {
        slot_minutes,
        days: dates.len(),
        calls: calls.len(),
        profile,
        rate_per_hour: mean_day * peak / total.max(1.0) * 60.0 / slot_minutes as f64,
        weekdays: weekdays(&per_date, dates, &pooled, mean_day),
        segment_share,
        request_mix,
        cells: cells(&by_type, dates, slot_minutes),
        day_effect: super::day_effect::fit(
            &(0..7)
                .map(|w| {
                    days_of(dates, w)
                        .iter()
                        .map(|&i| per_date[i].iter().sum())
                        .collect()
                })
                .collect::<Vec<_>>(),
        ),
    }
}

/// Volume, day factor and shape mismatch of each weekday in the period.
fn weekdays(
    per_date: &[Vec<f64>],
    dates: &[NaiveDate],
    pooled: &[f64],
    mean_day: f64,
) -> Vec<WeekdayFit> {
    let total: f64 = pooled.iter().sum::<f64>().max(1.0);
    let mut out = Vec::new();
    for (w, name) in WEEKDAYS.iter().enumerate() {
        let of_day = days_of(dates, w);
        if of_day.is_empty() {
            continue;
        }
        let totals: Vec<f64> = of_day.iter().map(|&i| per_date[i].iter().sum()).collect();
        let shape: Vec<f64> = (0..pooled.len())
            .map(|s| of_day.iter().map(|&i| per_date[i][s]).sum())
            .collect();
        let day_total: f64 = shape.iter().sum::<f64>().max(1.0);
        let mismatch = shape
            .iter()
            .zip(pooled)
            .map(|(x, p)| (x / day_total - p / total).abs())
            .sum::<f64>()
            / 2.0;
        let calls_per_day = per_day(&totals);
        out.push(WeekdayFit {
            weekday: name,
            days: of_day.len(),
            factor: calls_per_day.value / mean_day.max(f64::MIN_POSITIVE),
            calls_per_day,
            shape_mismatch: mismatch,
        });
    }
    out
}

/// The per-type, per-weekday, per-slot table (cells with calls only).
#[allow(clippy::needless_range_loop)] // a slot indexes the table of every day
fn cells(
    by_type: &BTreeMap<&str, Vec<Vec<f64>>>,
    dates: &[NaiveDate],
    slot_minutes: u32,
) -> Vec<Cell> {
    let mut cells = Vec::new();
    for (request, table) in by_type {
        for (w, name) in WEEKDAYS.iter().enumerate() {
            let of_day = days_of(dates, w);
            for s in 0..(1440 / slot_minutes) as usize {
                let counts: Vec<f64> = of_day.iter().map(|&i| table[i][s]).collect();
                if counts.iter().any(|&c| c > 0.0) {
                    cells.push(Cell {
                        request: request.to_string(),
                        weekday: name,
                        slot: slot_label(s, slot_minutes),
                        calls_per_day: per_day(&counts),
                    });
                }
            }
        }
    }
    cells
}

/// A request type's calls, its queued calls by segment, all by segment.
type TypeCounts<'a> = (f64, BTreeMap<&'a str, f64>, BTreeMap<&'a str, f64>);

type Shares = (
    BTreeMap<String, Estimate>,
    BTreeMap<String, BTreeMap<String, f64>>,
);

/// Segment shares and request mixes. Within each request type, the segment
/// mix is that of its *queued* calls (a caller's identity, hence priority,
/// is lost mostly for calls that did not queue; docs/fit.md §3), or of all
/// its calls when none queued; a type's calls are split by that mix.
fn segments(calls: &[Call]) -> Shares {
    let mut per_type: BTreeMap<&str, TypeCounts> = BTreeMap::new();
    for c in calls {
        let e = per_type.entry(&c.request).or_default();
        e.0 += 1.0;
        *e.2.entry(&c.segment).or_default() += 1.0;
        if c.queued {
            *e.1.entry(&c.segment).or_default() += 1.0;
        }
    }
    let mut volume: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    let mut basis: BTreeMap<String, usize> = BTreeMap::new();
    for (request, (n, queued, all)) in &per_type {
        let mix = if queued.is_empty() { all } else { queued };
        let sum: f64 = mix.values().sum();
        for (segment, k) in mix {
            *volume
                .entry(segment.to_string())
                .or_default()
                .entry(request.to_string())
                .or_default() += n * k / sum;
            *basis.entry(segment.to_string()).or_default() += *k as usize;
        }
    }
    let total = calls.len().max(1) as f64;
    let queued_total = calls.iter().filter(|c| c.queued).count().max(1) as f64;
    let mut shares = BTreeMap::new();
    let mut mixes = BTreeMap::new();
    for (segment, by_request) in volume {
        let v: f64 = by_request.values().sum();
        let p = v / total;
        // Binomial SE on the queued calls the mix was read from.
        let se = (p * (1.0 - p) / queued_total).sqrt();
        shares.insert(segment.clone(), Estimate::new(p, Some(se), basis[&segment]));
        mixes.insert(
            segment,
            by_request.into_iter().map(|(r, x)| (r, x / v)).collect(),
        );
    }
    (shares, mixes)
}
