//! Breaks inside generated shifts (`[plan] breaks`), by a stated rule: a
//! shift of at least `lunch_after` minutes gets a lunch whose nominal start
//! puts it in the middle of the shift; each part of the shift before and
//! after the lunch (or the whole shift without one) of at least
//! `short_after` minutes gets a short break in its middle. Each break may
//! start anywhere within `window` minutes centred on its nominal start, on
//! the rule's `step` grid, inside its own part (so a server's breaks never
//! overlap). How many servers of a shift take each start is left to the
//! shift programme (`shifts.rs`), which staggers them so that the servers
//! on duty net of breaks cover the plan in every `step` of every slot.

use crate::model::workforce::BreakRule;

/// One break of a shift: its length and the offsets from the shift's start
/// it may start at (ascending, on the step grid).
#[derive(Clone, Debug, PartialEq)]
pub struct BreakOptions {
    /// Minutes.
    pub length: u32,
    /// Allowed starts, minutes after the shift's start.
    pub offsets: Vec<u32>,
}

/// One group of servers of a shift with the same breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct StaggeredShift {
    /// Start minute of the day.
    pub start: u32,
    /// Length, minutes.
    pub length: u32,
    /// Servers on it.
    pub servers: u32,
    /// `(start minute after the shift's start, length)` of each break.
    pub breaks: Vec<(u32, u32)>,
}

/// Offsets around `nominal` within `window`, on the `step` grid, inside
/// `[lo, hi]`; the nominal start alone when the window is 0.
fn offsets(nominal: u32, rule: &BreakRule, lo: u32, hi: u32) -> Vec<u32> {
    let step = rule.step.max(1);
    let snap = |m: u32| m / step * step;
    let half = rule.window / 2;
    let first = snap(nominal.saturating_sub(half)).max(lo.div_ceil(step) * step);
    let last = snap(nominal + half).min(snap(hi));
    if first > last {
        let only = snap(nominal.clamp(lo, hi));
        return vec![only];
    }
    (first..=last).step_by(step as usize).collect()
}

/// The breaks of a shift of `length` minutes under `rule`, in time order.
pub fn break_options(length: u32, rule: &BreakRule) -> Vec<BreakOptions> {
    let step = rule.step.max(1);
    let mut out = Vec::new();
    let mut parts = vec![(0, length)];
    if rule.lunch > 0 && length >= rule.lunch_after {
        let nominal = (length - rule.lunch) / 2;
        let lunch = offsets(nominal, rule, step, length - rule.lunch - step);
        let (earliest, latest) = (lunch[0], lunch[lunch.len() - 1] + rule.lunch);
        parts = vec![(0, earliest), (latest, length)];
        out.push(BreakOptions {
            length: rule.lunch,
            offsets: lunch,
        });
    }
    if rule.short > 0 {
        for &(a, b) in parts.iter().rev() {
            if b - a < rule.short_after.max(rule.short + 2 * step) {
                continue;
            }
            let nominal = a + (b - a - rule.short) / 2;
            let o = offsets(nominal, rule, a + step, b - rule.short - step);
            out.push(BreakOptions {
                length: rule.short,
                offsets: o,
            });
        }
    }
    out.sort_by_key(|b| b.offsets[0]);
    out
}

/// The servers of one shift split by their breaks: `counts[b][o]` servers
/// take break `b` at its option `o`; server `i` takes the `i`-th break of
/// each kind in time order, and equal combinations are one group.
pub fn stagger(
    start: u32,
    length: u32,
    options: &[BreakOptions],
    counts: &[Vec<u32>],
) -> Vec<StaggeredShift> {
    let per_server: Vec<Vec<u32>> = options
        .iter()
        .zip(counts)
        .map(|(b, c)| {
            b.offsets
                .iter()
                .zip(c)
                .flat_map(|(&o, &n)| std::iter::repeat_n(o, n as usize))
                .collect()
        })
        .collect();
    let servers = per_server.first().map_or(0, Vec::len);
    let mut out: Vec<StaggeredShift> = Vec::new();
    for i in 0..servers {
        let breaks: Vec<(u32, u32)> = options
            .iter()
            .zip(&per_server)
            .map(|(b, s)| (s[i], b.length))
            .collect();
        match out.last_mut() {
            Some(last) if last.breaks == breaks => last.servers += 1,
            _ => out.push(StaggeredShift {
                start,
                length,
                servers: 1,
                breaks,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_eight_hour_shift_gets_a_lunch_and_two_short_breaks() {
        let rule = BreakRule::default();
        let b = break_options(480, &rule);
        assert_eq!(b.len(), 3);
        // Lunch 30 min around 3 h 45 (the middle), ±30 min on 15 min steps.
        assert_eq!(b[1].length, 30);
        assert_eq!(b[1].offsets, vec![195, 210, 225, 240, 255]);
        // Short breaks in the middle of the parts before and after it.
        assert_eq!(b[0].length, 15);
        assert!(b[0].offsets.iter().all(|&o| o + 15 <= 195));
        assert!(b[2].offsets.iter().all(|&o| o >= 255 + 30 && o + 15 <= 480));
        // A 4 h shift: no lunch, one short break.
        let b = break_options(240, &rule);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].offsets, vec![75, 90, 105, 120, 135]);
    }

    #[test]
    fn servers_are_split_by_their_breaks() {
        let options = break_options(480, &BreakRule::default());
        let counts = [
            vec![0, 0, 2, 1, 0],
            vec![1, 0, 0, 0, 2],
            vec![0, 3, 0, 0, 0],
        ];
        let short = &options[0].offsets;
        let g = stagger(480, 480, &options, &counts);
        assert_eq!(g.iter().map(|s| s.servers).sum::<u32>(), 3);
        assert_eq!(g[0].breaks[0], (short[2], 15));
        assert_eq!(g[0].breaks[1], (195, 30));
        assert_eq!(g.last().unwrap().breaks[1], (255, 30));
    }
}
