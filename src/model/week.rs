//! Time of day and week: the slots a day is reported in, the arrival
//! profile over the day with day-of-week factors, and rosters of shifts
//! that set each tier's staffing minute by minute. Time 0 of a run is
//! 00:00 on `start_day`; everything repeats weekly.

use crate::engine::rate::PiecewiseRate;

/// Minutes in a day and in a week.
pub const DAY: f64 = 1440.0;
/// Minutes in a week.
pub const WEEK: f64 = 7.0 * DAY;
/// Day names in file order (Monday first).
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The calendar of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Week {
    /// Length of a reporting slot: 15, 30 or 60 minutes.
    pub slot_minutes: f64,
    /// Weekday of time 0 (0 = Monday).
    pub start_day: usize,
    /// Arrival-rate factor by weekday (Monday first).
    pub day_factors: [f64; 7],
    /// Arrival-rate factor for each minute of the day (1440 values).
    pub profile: Vec<f64>,
}

impl Default for Week {
    fn default() -> Self {
        Week {
            slot_minutes: 60.0,
            start_day: 0,
            day_factors: [1.0; 7],
            profile: vec![1.0; DAY as usize],
        }
    }
}

/// Compresses per-minute values into (start, value) pieces.
fn pieces(values: impl Iterator<Item = f64>) -> (Vec<f64>, Vec<f64>) {
    let (mut starts, mut out) = (Vec::new(), Vec::new());
    for (minute, v) in values.enumerate() {
        if out.last() != Some(&v) {
            starts.push(minute as f64);
            out.push(v);
        }
    }
    (starts, out)
}

impl Week {
    /// Slots in a day.
    pub fn slots(&self) -> usize {
        (DAY / self.slot_minutes) as usize
    }

    /// `HH:MM` of the start of slot `s`.
    pub fn slot_label(&self, s: usize) -> String {
        let m = (s as f64 * self.slot_minutes) as usize;
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    /// Weekday of the day containing time `t`.
    pub fn weekday(&self, t: f64) -> usize {
        (self.start_day + (t / DAY).floor() as usize) % 7
    }

    /// The arrival rate over the week of a segment whose base rate is
    /// `per_minute`: base × profile(time of day) × factor(weekday).
    pub fn arrival_rate(&self, per_minute: f64) -> PiecewiseRate {
        let minutes = (0..WEEK as usize).map(|m| {
            let day = (self.start_day + m / DAY as usize) % 7;
            per_minute * self.profile[m % DAY as usize] * self.day_factors[day]
        });
        let (starts, rates) = pieces(minutes);
        PiecewiseRate::new(WEEK, starts, rates)
    }
}

/// One shift of a roster: `servers` servers on duty from `start` to `end`
/// (minutes of the day; an end at or before the start is on the next day)
/// on the weekdays in `days`, off during `breaks`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// Minute of the day the shift starts.
    pub start: u32,
    /// Minute of the day it ends.
    pub end: u32,
    /// Servers on the shift.
    pub servers: u32,
    /// The weekdays it starts on (Monday first).
    pub days: [bool; 7],
    /// (start, end) minutes of the day of each break, when the shift's
    /// servers are off.
    pub breaks: Vec<(u32, u32)>,
}

/// Staffing over the week: the number of servers on duty from each change
/// on, minute by minute, repeating weekly.
#[derive(Clone, Debug, PartialEq)]
pub struct Roster {
    /// (minute of the week from time 0, servers from then), increasing, the
    /// first at 0.
    pub changes: Vec<(f64, u32)>,
}

impl Roster {
    /// The weekly staffing of `shifts`, time 0 being 00:00 on weekday
    /// `start_day`. A shift or break crossing the week's end wraps round.
    pub fn from_shifts(shifts: &[Shift], start_day: usize) -> Roster {
        let week = WEEK as i64;
        let mut delta = vec![0i64; week as usize + 1];
        let mut add = |from: i64, to: i64, n: i64| {
            // [from, to) in minutes from time 0, possibly past the week.
            let (from, to) = (from.rem_euclid(week), from.rem_euclid(week) + (to - from));
            if to <= week {
                delta[from as usize] += n;
                delta[to as usize] -= n;
            } else {
                delta[from as usize] += n;
                delta[week as usize] -= n;
                delta[0] += n;
                delta[(to - week) as usize] -= n;
            }
        };
        for d in 0..7 {
            let weekday = (start_day + d as usize) % 7;
            let day = d * DAY as i64;
            for s in shifts.iter().filter(|s| s.days[weekday]) {
                let start = day + s.start as i64;
                let length = (s.end as i64 - s.start as i64).rem_euclid(DAY as i64);
                let length = if length == 0 { DAY as i64 } else { length };
                add(start, start + length, s.servers as i64);
                for &(b0, b1) in &s.breaks {
                    let offset = (b0 as i64 - s.start as i64).rem_euclid(DAY as i64);
                    let len = (b1 as i64 - b0 as i64).rem_euclid(DAY as i64);
                    add(start + offset, start + offset + len, -(s.servers as i64));
                }
            }
        }
        let mut level = 0i64;
        let mut changes: Vec<(f64, u32)> = Vec::new();
        for (minute, d) in delta.iter().enumerate().take(week as usize) {
            level += d;
            let servers = level.max(0) as u32;
            if changes.last().map(|c| c.1) != Some(servers) {
                changes.push((minute as f64, servers));
            }
        }
        Roster { changes }
    }

    /// Servers on duty at time `t`.
    pub fn at(&self, t: f64) -> u32 {
        let phase = t.rem_euclid(WEEK);
        let i = self.changes.partition_point(|c| c.0 <= phase) - 1;
        self.changes[i].1
    }

    /// Time-average servers on duty over a week.
    pub fn mean(&self) -> f64 {
        let area: f64 = (0..self.changes.len())
            .map(|i| {
                let end = self.changes.get(i + 1).map_or(WEEK, |c| c.0);
                self.changes[i].1 as f64 * (end - self.changes[i].0)
            })
            .sum();
        area / WEEK
    }

    /// The most servers ever on duty.
    pub fn max(&self) -> u32 {
        self.changes.iter().map(|c| c.1).max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekdays() -> [bool; 7] {
        [true, true, true, true, true, false, false]
    }

    #[test]
    fn shifts_breaks_and_overnight() {
        let roster = Roster::from_shifts(
            &[
                Shift {
                    start: 8 * 60,
                    end: 16 * 60,
                    servers: 3,
                    days: weekdays(),
                    breaks: vec![(12 * 60, 12 * 60 + 30)],
                },
                Shift {
                    start: 12 * 60,
                    end: 20 * 60,
                    servers: 2,
                    days: weekdays(),
                    breaks: vec![],
                },
                Shift {
                    start: 22 * 60,
                    end: 6 * 60,
                    servers: 1,
                    days: [true; 7],
                    breaks: vec![],
                },
            ],
            0,
        );
        let at = |day: f64, h: f64| roster.at(day * DAY + h * 60.0);
        assert_eq!(at(0.0, 7.0), 0);
        assert_eq!(at(0.0, 9.0), 3);
        assert_eq!(at(0.0, 12.25), 2); // the morning shift is on break
        assert_eq!(at(0.0, 13.0), 5);
        assert_eq!(at(0.0, 17.0), 2);
        assert_eq!(at(0.0, 23.0), 1);
        assert_eq!(at(1.0, 3.0), 1); // the night shift runs past midnight
        assert_eq!(at(5.0, 9.0), 0); // Saturday
        assert_eq!(at(0.0, 5.0), 1); // Sunday's night shift wraps into Monday
        // Week mean: weekdays 3*7.5 + 2*8 = 38.5 server-hours, nights 8 a day.
        assert!((roster.mean() - (5.0 * 38.5 + 7.0 * 8.0) * 60.0 / WEEK).abs() < 1e-9);
        assert_eq!(roster.max(), 5);
    }

    #[test]
    fn start_day_shifts_the_week() {
        // Time 0 is a Saturday: the weekday shift first runs two days later.
        let roster = Roster::from_shifts(
            &[Shift {
                start: 9 * 60,
                end: 17 * 60,
                servers: 1,
                days: weekdays(),
                breaks: vec![],
            }],
            5,
        );
        assert_eq!(roster.at(10.0 * 60.0), 0);
        assert_eq!(roster.at(2.0 * DAY + 10.0 * 60.0), 1);
    }

    #[test]
    fn arrival_rate_combines_profile_and_day_factors() {
        let mut day_factors = [1.0; 7];
        day_factors[6] = 0.0;
        let w = Week {
            profile: (0..1440)
                .map(|m| if (480..1080).contains(&m) { 2.0 } else { 0.0 })
                .collect(),
            day_factors,
            ..Week::default()
        };
        let r = w.arrival_rate(0.5);
        assert_eq!(r.at(9.0 * 60.0), 1.0);
        assert_eq!(r.at(20.0 * 60.0), 0.0);
        assert_eq!(r.at(6.0 * DAY + 9.0 * 60.0), 0.0); // Sunday
        assert!((r.mean() - 0.5 * 2.0 * (600.0 / 1440.0) * 6.0 / 7.0).abs() < 1e-12);
        assert_eq!(w.slot_label(3), "03:00");
        assert_eq!(w.slots(), 24);
    }
}
