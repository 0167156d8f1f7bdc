//! Time of day and week: the slots a day is reported in, the arrival
//! profile over the day with day-of-week factors, and rosters of shifts
//! that set each tier's staffing minute by minute. Time 0 of a run is
//! 00:00 on `start_day`; everything repeats weekly.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError, Weak};

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
    /// Arrival-rate factor for each minute of the day (1440 values),
    /// shared by the models that have the same (see [`shared_profile`]).
    pub profile: Arc<[f64]>,
}

impl Default for Week {
    fn default() -> Self {
        Week {
            slot_minutes: 60.0,
            start_day: 0,
            day_factors: [1.0; 7],
            profile: shared_profile(vec![1.0; DAY as usize]),
        }
    }
}

/// `values` (a profile, one per minute of the day) as one allocation shared
/// with every live profile of the same bits: the points of a sweep share
/// their profile, which would otherwise take 11.5 KB per point (115 MB for
/// 10,000 points). Sharing changes no result: the values are the same bits.
pub fn shared_profile(values: Vec<f64>) -> Arc<[f64]> {
    /// Live profiles by the hash of their bits.
    type Live = HashMap<u64, Vec<Weak<[f64]>>>;
    static LIVE: Mutex<Option<Live>> = Mutex::new(None);
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for v in &values {
        v.to_bits().hash(&mut hasher);
    }
    let key = hasher.finish();
    let same = |p: &Arc<[f64]>| {
        p.len() == values.len()
            && p.iter()
                .zip(&values)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    };
    let mut live = LIVE.lock().unwrap_or_else(PoisonError::into_inner);
    let bucket = live
        .get_or_insert_with(HashMap::new)
        .entry(key)
        .or_default();
    bucket.retain(|w| w.strong_count() > 0);
    if let Some(found) = bucket.iter().filter_map(Weak::upgrade).find(same) {
        return found;
    }
    let new: Arc<[f64]> = values.into();
    bucket.push(Arc::downgrade(&new));
    new
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

impl Shift {
    /// The shift's breaks as [from, to) minutes from its start, clipped to
    /// its `length` minutes, sorted and merged: a break takes only its own
    /// shift's servers off duty, and only once.
    fn off_duty(&self, length: i64) -> Vec<(i64, i64)> {
        let day = DAY as i64;
        let mut out: Vec<(i64, i64)> = self
            .breaks
            .iter()
            .map(|&(b0, b1)| {
                let offset = (b0 as i64 - self.start as i64).rem_euclid(day);
                let len = (b1 as i64 - b0 as i64).rem_euclid(day);
                (offset, (offset + len).min(length))
            })
            .filter(|&(a, b)| a < b)
            .collect();
        out.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::with_capacity(out.len());
        for (a, b) in out {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
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
                for (o0, o1) in s.off_duty(length) {
                    add(start + o0, start + o1, -(s.servers as i64));
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

/// When a channel is open over the week: open intervals in minutes from
/// time 0, increasing and disjoint, repeating weekly.
#[derive(Clone, Debug, PartialEq)]
pub struct OpeningHours {
    /// `[open, close)` intervals within `[0, WEEK]`.
    pub open: Vec<(f64, f64)>,
}

impl OpeningHours {
    /// The week of `days` (Monday first; each `None` for closed, or the
    /// (open, close) minutes of the day, a close at or before the open
    /// being past midnight), time 0 being 00:00 on `start_day`.
    pub fn from_days(days: &[Option<(u32, u32)>; 7], start_day: usize) -> OpeningHours {
        let mut intervals = Vec::new();
        for d in 0..7 {
            let Some((open, close)) = days[(start_day + d) % 7] else {
                continue;
            };
            let from = d as f64 * DAY + open as f64;
            let length = (close as f64 - open as f64).rem_euclid(DAY);
            let length = if length == 0.0 { DAY } else { length };
            let to = from + length;
            if to <= WEEK {
                intervals.push((from, to));
            } else {
                intervals.push((from, WEEK));
                intervals.push((0.0, to - WEEK));
            }
        }
        intervals.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut open: Vec<(f64, f64)> = Vec::new();
        for (a, b) in intervals {
            match open.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => open.push((a, b)),
            }
        }
        OpeningHours { open }
    }

    /// Open at time `t`.
    pub fn is_open(&self, t: f64) -> bool {
        let phase = t.rem_euclid(WEEK);
        self.open.iter().any(|&(a, b)| a <= phase && phase < b)
    }

    /// The first time at or after `t` when it is open (`t` itself when
    /// open); infinite when it never opens.
    pub fn next_open(&self, t: f64) -> f64 {
        if self.is_open(t) {
            return t;
        }
        let phase = t.rem_euclid(WEEK);
        let week_start = t - phase;
        match self.open.iter().find(|&&(a, _)| a > phase) {
            Some(&(a, _)) => week_start + a,
            None => self
                .open
                .first()
                .map_or(f64::INFINITY, |&(a, _)| week_start + WEEK + a),
        }
    }

    /// Share of the week it is open.
    pub fn open_share(&self) -> f64 {
        self.open.iter().map(|(a, b)| b - a).sum::<f64>() / WEEK
    }
}

/// Length of the cycle in which each server takes its block of non-client
/// work, minutes.
pub const NON_CLIENT_CYCLE: f64 = 60.0;

/// Staffing over the week with non-client work taken out: (minute of the
/// week, servers on duty, servers available for clients) from each change
/// on. `on_duty` is the roster's staffing (`None`: `servers` always). Each
/// of the n servers on duty spends `share` of every hour on non-client work
/// in a block of its own, the blocks staggered by 60/n minutes, so that
/// n × (1 − share) servers are available on average, never fewer than its
/// floor.
pub fn availability(on_duty: Option<&Roster>, servers: u32, share: f64) -> Vec<(f64, u32, u32)> {
    let pieces: Vec<(f64, f64, u32)> = match on_duty {
        None => vec![(0.0, WEEK, servers)],
        Some(r) => (0..r.changes.len())
            .map(|i| {
                let end = r.changes.get(i + 1).map_or(WEEK, |c| c.0);
                (r.changes[i].0, end, r.changes[i].1)
            })
            .collect(),
    };
    let mut out: Vec<(f64, u32, u32)> = Vec::new();
    let mut push = |t: f64, duty: u32, available: u32| {
        if out.last().is_none_or(|l| (l.1, l.2) != (duty, available)) {
            out.push((t, duty, available));
        }
    };
    for (from, to, n) in pieces {
        if share <= 0.0 || n == 0 {
            push(from, n, n);
            continue;
        }
        let block = share * NON_CLIENT_CYCLE;
        let stagger = NON_CLIENT_CYCLE / n as f64;
        // Every instant when a block starts or ends, then the count off at
        // each (blocks of server i: [from + i·stagger + k·cycle, + block)
        // for every whole k, so the pattern is the same in every hour).
        let mut times = vec![from];
        for i in 0..n {
            let mut a = from + i as f64 * stagger - NON_CLIENT_CYCLE;
            while a < to {
                if a >= from {
                    times.push(a);
                }
                if a + block > from && a + block < to {
                    times.push(a + block);
                }
                a += NON_CLIENT_CYCLE;
            }
        }
        times.sort_by(f64::total_cmp);
        times.dedup();
        for t in times {
            let off = (0..n)
                .filter(|&i| {
                    let since = (t - from - i as f64 * stagger).rem_euclid(NON_CLIENT_CYCLE);
                    since < block - 1e-9
                })
                .count() as u32;
            push(t, n, n - off.min(n));
        }
    }
    out
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
    fn opening_hours_and_next_opening() {
        let mut days = [Some((9 * 60, 17 * 60)); 7];
        days[5] = None;
        days[6] = Some((22 * 60, 2 * 60)); // Sunday night, past midnight
        let h = OpeningHours::from_days(&days, 0);
        assert!(h.is_open(10.0 * 60.0));
        assert!(!h.is_open(8.0 * 60.0));
        assert_eq!(h.next_open(8.0 * 60.0), 9.0 * 60.0);
        assert_eq!(h.next_open(10.0 * 60.0), 10.0 * 60.0);
        // Friday 18:00 -> Sunday 22:00 (Saturday closed).
        assert_eq!(
            h.next_open(4.0 * DAY + 18.0 * 60.0),
            6.0 * DAY + 22.0 * 60.0
        );
        // Sunday's night wraps into Monday 01:00 of the same week.
        assert!(h.is_open(60.0));
        assert!(h.is_open(WEEK + 60.0));
        // Monday 03:00 -> 09:00.
        assert_eq!(h.next_open(WEEK + 3.0 * 60.0), WEEK + 9.0 * 60.0);
        let hours = 5.0 * 8.0 + 4.0;
        assert!((h.open_share() - hours * 60.0 / WEEK).abs() < 1e-12);
        let never = OpeningHours::from_days(&[None; 7], 0);
        assert_eq!(never.next_open(5.0), f64::INFINITY);
    }

    /// Non-client work takes n × share servers on average, staggered so the
    /// available count never falls below its floor.
    #[test]
    fn non_client_blocks_are_staggered() {
        let a = availability(None, 4, 0.5);
        // Four servers, each off 30 minutes an hour, starting 15 minutes
        // apart: always exactly 2 available.
        assert!(
            a.iter().all(|&(_, duty, avail)| duty == 4 && avail == 2),
            "{a:?}"
        );
        let a = availability(None, 3, 0.5);
        let mean: f64 = (0..a.len())
            .map(|i| {
                let end = a.get(i + 1).map_or(WEEK, |c| c.0);
                a[i].2 as f64 * (end - a[i].0)
            })
            .sum::<f64>()
            / WEEK;
        assert!((mean - 1.5).abs() < 1e-9, "{mean}");
        assert!(a.iter().all(|&(_, _, avail)| (1..=2).contains(&avail)));
        // Without a share nothing changes; with a roster, only on duty.
        assert_eq!(availability(None, 3, 0.0), vec![(0.0, 3, 3)]);
        let roster = Roster {
            changes: vec![(0.0, 0), (600.0, 2), (1200.0, 0)],
        };
        let a = availability(Some(&roster), 0, 0.25);
        assert_eq!(a[0], (0.0, 0, 0));
        assert_eq!(a[1], (600.0, 2, 1));
        assert!(a.iter().all(|&(t, duty, _)| duty == roster.at(t)));
    }

    #[test]
    fn arrival_rate_combines_profile_and_day_factors() {
        let mut day_factors = [1.0; 7];
        day_factors[6] = 0.0;
        let w = Week {
            profile: shared_profile(
                (0..1440)
                    .map(|m| if (480..1080).contains(&m) { 2.0 } else { 0.0 })
                    .collect(),
            ),
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
