//! The held-out period's observed figures hour by hour (pooled over its
//! dates, as the simulator's slots pool its days): calls, abandonments,
//! mean wait, service level, and the agents' activity behind the naive
//! ratio and the observed utilization.

use chrono::NaiveDate;
use serde::Serialize;

use crate::fit::arrivals::{WEEKDAYS, weekday_index};
use crate::fit::clean::Call;
use crate::fit::staffing::Staffing;

/// One hour of the day, observed.
#[derive(Debug, Clone, Serialize)]
pub struct ObservedHour {
    /// Hour of the day (0-23) the calls arrived in.
    pub hour: u32,
    /// Calls to the agents, summed over the period's dates.
    pub calls: usize,
    /// Of which abandoned.
    pub abandoned: usize,
    /// abandoned / calls.
    pub p_abandon: f64,
    /// Mean wait of all calls (0 for those never queued), minutes.
    pub wait_mean: f64,
    /// Share of calls served with a wait at most the threshold.
    pub service_level: f64,
    /// Talk minutes in the hour / the servers' minutes given to the
    /// simulation (NaN without servers).
    pub utilization: f64,
    /// Distinct agents seen serving in the hour, summed over the dates.
    pub distinct_agents: f64,
    /// Servers the simulation is given in the hour, summed over the dates.
    pub servers: f64,
}

/// The observed hours `hours` (a range of hours of the day) of `calls`;
/// `dates` are the period's; `staffing` gives the talk time and the servers per
/// weekday and slot (mean per day, times the dates of that weekday); the
/// distinct agents are counted per hour from `calls` (whatever the slot).
pub fn observed(
    calls: &[Call],
    dates: &[NaiveDate],
    hours: std::ops::Range<u32>,
    threshold: f64,
    staffing: &Staffing,
    slot_minutes: u32,
) -> Vec<ObservedHour> {
    let distinct_by_hour = crate::fit::staffing::distinct_agents_by_hour(calls, dates);
    hours
        .map(|hour| {
            let in_hour: Vec<&Call> = calls
                .iter()
                .filter(|c| (c.minute / 60.0) as u32 == hour)
                .collect();
            let n = in_hour.len();
            let abandoned = in_hour.iter().filter(|c| !c.served).count();
            let waited: f64 = in_hour.iter().map(|c| c.wait).sum();
            let within = in_hour
                .iter()
                .filter(|c| c.served && c.wait <= threshold)
                .count();
            let (mut busy, mut servers) = (0.0, 0.0);
            for s in &staffing.slots {
                if slot_hour(&s.slot) == Some(hour) {
                    let days = dates
                        .iter()
                        .filter(|d| WEEKDAYS[weekday_index(**d)] == s.weekday)
                        .count() as f64;
                    let share = slot_minutes as f64 / 60.0;
                    busy += s.busy_agents * days * share;
                    servers += s.servers as f64 * days * share;
                }
            }
            let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
            ObservedHour {
                hour,
                calls: n,
                abandoned,
                p_abandon: ratio(abandoned as f64, n as f64),
                wait_mean: ratio(waited, n as f64),
                service_level: ratio(within as f64, n as f64),
                utilization: ratio(busy, servers),
                distinct_agents: distinct_by_hour[hour as usize % 24],
                servers,
            }
        })
        .collect()
}

/// The hour of a slot label `HH:MM`.
fn slot_hour(label: &str) -> Option<u32> {
    label.split_once(':').and_then(|(h, _)| h.parse().ok())
}
