//! Staffing per weekday and slot: estimated from agent activity in the log
//! (presence sessions, docs/fit.md §6), or read from a staffing file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use serde::Serialize;

use super::Estimate;
use super::arrivals::{WEEKDAYS, parse_weekday, slot_label, weekday_index};
use super::clean::Call;
use super::error::LogError;

/// Two services of one agent less than this many minutes apart belong to
/// one presence session (the agent is counted present in between).
pub const SESSION_GAP_MINUTES: f64 = 30.0;

/// Staffing of one weekday and slot.
#[derive(Debug, Clone, Serialize)]
pub struct SlotStaff {
    /// Weekday.
    pub weekday: &'static str,
    /// Slot start.
    pub slot: String,
    /// Agents on duty: the estimate or the file's figure (mean over the
    /// weekday's days, SE over days; n = days).
    pub agents: Estimate,
    /// Distinct agents seen serving in the slot (mean over days): the
    /// naive count, for comparison.
    pub distinct_agents: f64,
    /// Agents busy serving (talk minutes / slot minutes, mean over days).
    pub busy_agents: f64,
    /// Servers written to the scenario: `agents` x the availability,
    /// rounded, at least 1 when > 0.
    pub servers: u32,
}

/// How staffing was obtained.
#[derive(Debug, Clone, Serialize)]
pub struct Staffing {
    /// `estimated` or the staffing file.
    pub source: String,
    /// The method in one line.
    pub method: String,
    /// Share of on-duty agents taken as available servers (`--availability`),
    /// beyond the `dedicated_agents`.
    pub availability: f64,
    /// Agents on duty taken as fully available servers before the
    /// availability share applies (`--dedicated-agents`; 0: the share
    /// applies to all).
    pub dedicated_agents: f64,
    /// Per weekday and slot (only those with agents or calls).
    pub slots: Vec<SlotStaff>,
}

/// How many of the agents on duty serve this queue: the first `dedicated`
/// fully, the rest for the `share` of their time (docs/fit.md §6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Availability {
    /// Share of the agents beyond the dedicated ones (`--availability`).
    pub share: f64,
    /// Agents fully available (`--dedicated-agents`).
    pub dedicated: f64,
}

impl Availability {
    /// Every agent on duty is a server.
    pub const ALL: Availability = Availability {
        share: 1.0,
        dedicated: 0.0,
    };

    /// The available agents (fractional) of `agents` on duty.
    pub fn of(&self, agents: f64) -> f64 {
        agents.min(self.dedicated) + self.share * (agents - self.dedicated).max(0.0)
    }

    /// The rule in words, for comments and reports.
    pub fn describe(&self) -> String {
        if self.dedicated > 0.0 {
            format!(
                "the first {} agent(s) fully, the rest x availability {}",
                self.dedicated, self.share
            )
        } else {
            format!("x availability {}", self.share)
        }
    }
}

/// Day-by-slot tables over the period's dates.
struct Grid {
    slot_minutes: f64,
    slots: usize,
    index: BTreeMap<NaiveDate, usize>,
    cells: Vec<Vec<f64>>,
}

impl Grid {
    fn new(dates: &[NaiveDate], slot_minutes: u32) -> Grid {
        let slots = (1440 / slot_minutes) as usize;
        Grid {
            slot_minutes: slot_minutes as f64,
            slots,
            index: dates.iter().enumerate().map(|(i, d)| (*d, i)).collect(),
            cells: vec![vec![0.0; slots]; dates.len()],
        }
    }

    /// Adds `weight` x the minutes of [a, b) falling in each slot, / slot.
    fn add_span(&mut self, a: NaiveDateTime, b: NaiveDateTime, weight: f64) {
        let mut t = a;
        while t < b {
            let minute = (t.num_seconds_from_midnight() as f64) / 60.0;
            let slot = ((minute / self.slot_minutes) as usize).min(self.slots - 1);
            let slot_end_min = (slot + 1) as f64 * self.slot_minutes;
            let left = ((slot_end_min - minute) * 60.0).round() as i64;
            let next = (t + chrono::TimeDelta::seconds(left.max(1))).min(b);
            if let Some(&d) = self.index.get(&t.date()) {
                self.cells[d][slot] +=
                    weight * (next - t).num_seconds() as f64 / 60.0 / self.slot_minutes;
            }
            t = next;
        }
    }

    /// Mean and SE over the days of weekday `w` in slot `s`.
    fn mean(&self, dates: &[NaiveDate], w: usize, s: usize) -> Estimate {
        let v: Vec<f64> = (0..dates.len())
            .filter(|&i| weekday_index(dates[i]) == w)
            .map(|i| self.cells[i][s])
            .collect();
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n.max(1.0);
        let se = (v.len() >= 2)
            .then(|| (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt());
        Estimate::new(m, se, v.len())
    }
}

/// Presence, distinct-agent and busy grids from the served calls.
fn activity(calls: &[Call], dates: &[NaiveDate], slot_minutes: u32) -> (Grid, Grid, Grid) {
    let mut spans: BTreeMap<&str, Vec<(NaiveDateTime, NaiveDateTime)>> = BTreeMap::new();
    for c in calls {
        if let Some((agent, a, b)) = &c.agent {
            spans.entry(agent).or_default().push((*a, *b));
        }
    }
    let mut present = Grid::new(dates, slot_minutes);
    let mut busy = Grid::new(dates, slot_minutes);
    let mut distinct = Grid::new(dates, slot_minutes);
    let gap = chrono::TimeDelta::seconds((SESSION_GAP_MINUTES * 60.0) as i64);
    for list in spans.values_mut() {
        list.sort();
        let mut seen = std::collections::BTreeSet::new();
        for &(a, b) in list.iter() {
            busy.add_span(a, b, 1.0);
            let mut t = a;
            while t <= b {
                let slot = (t.num_seconds_from_midnight() / 60) as usize / slot_minutes as usize;
                seen.insert((t.date(), slot));
                t += chrono::TimeDelta::minutes(slot_minutes as i64);
            }
            let last = (
                b.date(),
                (b.num_seconds_from_midnight() / 60) as usize / slot_minutes as usize,
            );
            seen.insert(last);
        }
        for (date, slot) in seen {
            if let Some(&d) = distinct.index.get(&date) {
                distinct.cells[d][slot.min(distinct.slots - 1)] += 1.0;
            }
        }
        let mut session = list[0];
        for &(a, b) in list.iter().skip(1) {
            if a - session.1 <= gap {
                session.1 = session.1.max(b);
            } else {
                present.add_span(session.0, session.1, 1.0);
                session = (a, b);
            }
        }
        present.add_span(session.0, session.1, 1.0);
    }
    (present, distinct, busy)
}

/// Distinct agents seen serving in each hour of the day (0-23), summed over
/// `dates`: the naive ratio's denominator, by hour whatever the scenario's
/// slot.
pub fn distinct_agents_by_hour(calls: &[Call], dates: &[NaiveDate]) -> [f64; 24] {
    let (_, distinct, _) = activity(calls, dates, 60);
    let mut out = [0.0; 24];
    for row in &distinct.cells {
        for (h, v) in row.iter().enumerate() {
            out[h] += v;
        }
    }
    out
}

/// Estimates staffing (or takes it from `file`) for every weekday and slot
/// with agents or calls.
pub fn fit(
    calls: &[Call],
    dates: &[NaiveDate],
    slot_minutes: u32,
    file: Option<&Path>,
    availability: Availability,
) -> Result<Staffing, LogError> {
    let (present, distinct, busy) = activity(calls, dates, slot_minutes);
    let given = file.map(|f| read(f, slot_minutes)).transpose()?;
    let mut slots = Vec::new();
    for (w, name) in WEEKDAYS.iter().enumerate() {
        if !dates.iter().any(|d| weekday_index(*d) == w) {
            continue;
        }
        for s in 0..present.slots {
            let has_calls = calls.iter().any(|c| {
                weekday_index(c.date) == w && (c.minute / slot_minutes as f64) as usize == s
            });
            let estimate = present.mean(dates, w, s);
            let agents = match (&given, file) {
                (Some(table), Some(path)) => match table.get(&(w, s)) {
                    Some(&a) => Estimate::new(a, None, 1),
                    None if has_calls => {
                        return Err(LogError::Unusable {
                            path: path.to_path_buf(),
                            message: format!(
                                "no staffing for {name} {} although the log has calls then; the file must give agents for every weekday and slot with calls",
                                slot_label(s, slot_minutes)
                            ),
                        });
                    }
                    None => Estimate::new(0.0, None, 1),
                },
                _ => estimate,
            };
            if agents.value <= 0.0 && !has_calls {
                continue;
            }
            slots.push(SlotStaff {
                weekday: name,
                slot: slot_label(s, slot_minutes),
                servers: servers(availability.of(agents.value)),
                agents,
                distinct_agents: distinct.mean(dates, w, s).value,
                busy_agents: busy.mean(dates, w, s).value,
            });
        }
    }
    if slots.iter().all(|s| s.servers == 0) {
        return Err(LogError::Unusable {
            path: file.map_or_else(|| PathBuf::from("(the log)"), Path::to_path_buf),
            message: "no agent on duty in any slot: the log names no agents serving calls; give agents on duty with --staffing FILE".into(),
        });
    }
    let (source, method) = match file {
        Some(f) => (
            f.display().to_string(),
            "agents on duty read from the staffing file".to_string(),
        ),
        None => (
            "estimated".to_string(),
            format!(
                "presence sessions: an agent is on duty from the start of a service to the end of the last service before a gap of more than {SESSION_GAP_MINUTES} min; agents = on-duty minutes in the slot / slot minutes, mean over the weekday's days"
            ),
        ),
    };
    Ok(Staffing {
        source,
        method,
        availability: availability.share,
        dedicated_agents: availability.dedicated,
        slots,
    })
}

/// Servers written for `agents` on duty: rounded, but at least 1 where
/// anybody was on duty (a slot with a fraction of an agent is not unstaffed).
pub fn servers(agents: f64) -> u32 {
    if agents > 0.0 {
        (agents.round() as u32).max(1)
    } else {
        0
    }
}

/// Reads a staffing file: CSV with a header `day,slot,agents`; `day` is
/// `sun`..`sat`, `slot` the slot's start `HH:MM`, `agents` a number >= 0.
fn read(path: &Path, slot_minutes: u32) -> Result<BTreeMap<(usize, usize), f64>, LogError> {
    let bad = |line: usize, column: usize, field: &str, message: String| LogError::Field {
        path: path.to_path_buf(),
        line,
        column,
        field: field.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .from_path(path)
        .map_err(|e| LogError::Unusable {
            path: path.to_path_buf(),
            message: format!("cannot read the staffing file: {e}"),
        })?;
    let header = reader.headers().map_err(|e| LogError::Unusable {
        path: path.to_path_buf(),
        message: format!("cannot read the header: {e}"),
    })?;
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if names != ["day", "slot", "agents"] {
        return Err(bad(
            1,
            1,
            "header",
            format!("`{}`; expected the header day,slot,agents", names.join(",")),
        ));
    }
    let mut table = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let row = row.map_err(|e| bad(line, 1, "row", format!("cannot read the row: {e}")))?;
        let field = |k: usize| row.get(k).unwrap_or("").trim();
        let day = parse_weekday(field(0)).ok_or_else(|| {
            bad(
                line,
                1,
                "day",
                format!("`{}`: expected a weekday sun..sat", field(0)),
            )
        })?;
        let slot = chrono::NaiveTime::parse_from_str(field(1), "%H:%M")
            .ok()
            .map(|t| (t.hour() * 60 + t.minute()) as usize)
            .filter(|m| m % slot_minutes as usize == 0)
            .ok_or_else(|| {
                bad(
                    line,
                    2,
                    "slot",
                    format!(
                        "`{}`: expected HH:MM on a slot boundary ({slot_minutes} min)",
                        field(1)
                    ),
                )
            })?;
        let agents: f64 = field(2)
            .parse()
            .ok()
            .filter(|a: &f64| a.is_finite() && *a >= 0.0)
            .ok_or_else(|| {
                bad(
                    line,
                    3,
                    "agents",
                    format!("`{}`: expected a number >= 0", field(2)),
                )
            })?;
        table.insert(
            (
                day.num_days_from_sunday() as usize,
                slot / slot_minutes as usize,
            ),
            agents,
        );
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(agent: &str, date: NaiveDate, from: (u32, u32), to: (u32, u32)) -> Call {
        let at = |(h, m): (u32, u32)| date.and_hms_opt(h, m, 0).unwrap();
        Call {
            date,
            minute: (from.0 * 60 + from.1) as f64,
            segment: "s".into(),
            request: "r".into(),
            identified: true,
            queued: false,
            wait: 0.0,
            served: true,
            service: Some(10.0),
            agent: Some((agent.into(), at(from), at(to))),
        }
    }

    /// The first `dedicated` agents count fully, the rest for the share:
    /// 5 agents with 1 dedicated and 0.75 are 1 + 0.75 x 4 = 4 servers; half
    /// an agent stays half; without dedicated agents the share applies to
    /// all.
    #[test]
    fn availability_counts_the_dedicated_agents_fully() {
        let a = Availability {
            share: 0.75,
            dedicated: 1.0,
        };
        assert_eq!(a.of(5.0), 4.0);
        assert_eq!(a.of(0.5), 0.5);
        assert_eq!(a.of(0.0), 0.0);
        let plain = Availability {
            share: 0.8,
            dedicated: 0.0,
        };
        assert_eq!(plain.of(5.0), 4.0);
        assert_eq!(Availability::ALL.of(3.7), 3.7);
        assert_eq!(plain.describe(), "x availability 0.8");
    }

    /// Services 09:00-09:10 and 09:30-09:40 are one session (gap 20 min <=
    /// 30): 40 of 60 minutes on duty; 10:45-10:50 after a 65-minute gap is a
    /// session of its own (5 min); busy = 25 minutes.
    #[test]
    fn presence_sessions_join_services_closer_than_the_gap() {
        let d = NaiveDate::from_ymd_opt(1999, 2, 1).unwrap();
        let calls = vec![
            served("a", d, (9, 0), (9, 10)),
            served("a", d, (9, 30), (9, 40)),
            served("a", d, (10, 45), (10, 50)),
        ];
        let s = fit(&calls, &[d], 60, None, Availability::ALL).unwrap();
        let at = |slot: &str| s.slots.iter().find(|x| x.slot == slot).unwrap();
        assert!((at("09:00").agents.value - 40.0 / 60.0).abs() < 1e-12);
        assert!((at("09:00").busy_agents - 20.0 / 60.0).abs() < 1e-12);
        assert!((at("10:00").agents.value - 5.0 / 60.0).abs() < 1e-12);
        assert_eq!(at("09:00").distinct_agents, 1.0);
        // A fraction of an agent is still somebody on duty.
        assert_eq!(at("10:00").servers, 1);
    }
}
