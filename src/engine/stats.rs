//! Streaming statistics whose memory does not grow with run length: sums and
//! counts, Welford's mean and variance, time-weighted averages over a window,
//! a histogram for quantiles, and estimates with Student-t confidence
//! intervals across replications.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// Count and sum of observations: the cheapest running mean, for the hot
/// loop. The spread across replications is what the confidence intervals use.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    /// Number of observations.
    pub count: u64,
    /// Sum of the observations.
    pub sum: f64,
}

impl Tally {
    /// Adds one observation.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.sum += x;
    }

    /// The mean, or NaN with no observations.
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            f64::NAN
        } else {
            self.sum / self.count as f64
        }
    }

    /// Adds another tally's observations to this one.
    pub fn merge(&mut self, other: &Tally) {
        self.count += other.count;
        self.sum += other.sum;
    }
}

/// Welford's numerically stable running mean and variance.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Welford {
    count: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// Adds one observation.
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The mean, or NaN with no observations.
    pub fn mean(&self) -> f64 {
        if self.count == 0 { f64::NAN } else { self.mean }
    }

    /// The sample variance (n - 1 in the denominator); 0 with fewer than two
    /// observations.
    pub fn variance(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            self.m2 / (self.count - 1) as f64
        }
    }
}

/// The time average of a piecewise-constant quantity (clients waiting, busy
/// servers) over a window [start, end]: changes outside it are tracked but
/// not counted, so warm-up and the drain after the horizon are excluded.
#[derive(Clone, Copy, Debug)]
pub struct TimeAverage {
    start: f64,
    end: f64,
    last: f64,
    value: f64,
    area: f64,
}

impl TimeAverage {
    /// Tracks a quantity that is 0 at time 0, averaged over [start, end].
    pub fn new(start: f64, end: f64) -> Self {
        TimeAverage {
            start,
            end,
            last: 0.0,
            value: 0.0,
            area: 0.0,
        }
    }

    /// The quantity changes by `delta` at time `t` (not before the last
    /// change).
    #[inline]
    pub fn change(&mut self, t: f64, delta: f64) {
        let from = self.last.clamp(self.start, self.end);
        let to = t.clamp(self.start, self.end);
        self.area += self.value * (to - from);
        self.last = t;
        self.value += delta;
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }

    /// The time average over the window, counting the current value up to
    /// the window's end if the clock has not reached it.
    pub fn mean(&self) -> f64 {
        let from = self.last.clamp(self.start, self.end);
        let area = self.area + self.value * (self.end - from);
        let length = self.end - self.start;
        if length > 0.0 {
            area / length
        } else {
            f64::NAN
        }
    }
}

/// A time average like [`TimeAverage`], also split by slot of a repeating
/// cycle (the slots of a day): `slot_means()[s]` averages over the parts of
/// the window that fall in slot `s`. With one slot it is a plain time
/// average.
#[derive(Clone, Debug)]
pub struct SlotAverage {
    start: f64,
    end: f64,
    slot_len: f64,
    last: f64,
    value: f64,
    /// The area while there is a single slot (`slot_len` infinite): a plain
    /// field, so the hot loop does not go through the vector.
    area: f64,
    areas: Vec<f64>,
    /// Changes up to this time take the fast path (see `change`): the
    /// window's end once the last change is inside the window and there is
    /// a single slot, −∞ before (so no change does).
    fast_until: f64,
}

impl SlotAverage {
    /// Tracks a quantity that is 0 at time 0, averaged over [start, end],
    /// in `slots` slots of `slot_len` minutes repeating (slot 0 starts at
    /// time 0). `slot_len` may be infinite for a single slot.
    pub fn new(start: f64, end: f64, slot_len: f64, slots: usize) -> Self {
        SlotAverage {
            start,
            end,
            slot_len,
            last: 0.0,
            value: 0.0,
            area: 0.0,
            areas: vec![0.0; slots.max(1)],
            fast_until: f64::NEG_INFINITY,
        }
        .opened_at(0.0)
    }

    /// Opens the fast path once a change at `t` is inside the window with a
    /// single slot: every later change starts inside the window (times
    /// never go back).
    #[inline]
    fn opened_at(mut self, t: f64) -> Self {
        self.open_fast_path(t);
        self
    }

    /// See [`SlotAverage::opened_at`].
    #[inline]
    fn open_fast_path(&mut self, t: f64) {
        if t >= self.start && self.slot_len == f64::INFINITY {
            self.fast_until = self.end;
        }
    }

    /// Adds value × the part of [a, b] inside the window, slot by slot.
    #[inline]
    fn integrate(&mut self, a: f64, b: f64) {
        if self.value == 0.0 {
            return;
        }
        // Plain comparisons rather than f64::max/min: times are never NaN,
        // and the hot loop calls this on every change.
        let mut a = if a < self.start { self.start } else { a };
        let b = if b > self.end { self.end } else { b };
        if a >= b {
            return;
        }
        if self.slot_len == f64::INFINITY {
            self.area += self.value * (b - a);
            return;
        }
        while a < b {
            let k = (a / self.slot_len).floor();
            let boundary = ((k + 1.0) * self.slot_len).min(b);
            let slot = (k as usize) % self.areas.len();
            self.areas[slot] += self.value * (boundary - a);
            a = boundary;
        }
    }

    /// The quantity changes by `delta` at time `t` (not before the last
    /// change).
    #[inline]
    pub fn change(&mut self, t: f64, delta: f64) {
        // Inside the window with a single slot (most changes of most runs:
        // one comparison, as the last change opened the fast path) the
        // integrator's clamps and tests all pass through: the same
        // addition, bit for bit (where the integrator returns early, on a
        // zero value or a zero step, this adds ±0.0, which leaves any area
        // but −0.0 unchanged, and the area starts at +0.0 and a sum is
        // never −0.0).
        if t <= self.fast_until {
            self.area += self.value * (t - self.last);
        } else {
            self.integrate(self.last, t);
            self.open_fast_path(t);
        }
        self.last = t;
        self.value += delta;
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Area per slot with the current value carried to the window's end.
    fn closed(&self) -> Vec<f64> {
        let mut copy = self.clone();
        copy.integrate(self.last, self.end);
        if copy.slot_len == f64::INFINITY {
            // One slot: its area was summed in the plain field.
            copy.areas[0] = copy.area;
        }
        copy.areas
    }

    /// The area under the quantity over the window (value × minutes).
    pub fn total(&self) -> f64 {
        self.closed().iter().sum()
    }

    /// The time average over the window.
    pub fn mean(&self) -> f64 {
        let length = self.end - self.start;
        if length > 0.0 {
            self.total() / length
        } else {
            f64::NAN
        }
    }

    /// The area under the quantity in each slot over the window.
    pub fn slot_areas(&self) -> Vec<f64> {
        self.closed()
    }

    /// Minutes of the window in each slot.
    pub fn slot_exposure(&self) -> Vec<f64> {
        let mut unit = SlotAverage::new(self.start, self.end, self.slot_len, self.areas.len());
        unit.change(0.0, 1.0);
        unit.closed()
    }
}

/// A histogram of non-negative durations in minutes with three significant
/// digits from 1e-4 minutes up to 1e8 minutes, for quantiles of waits.
///
/// It has HdrHistogram's layout (2,048 sub-buckets, the upper half of each
/// bucket at twice the unit of the one before) and answers quantiles
/// exactly as `hdrhistogram` with bounds 1 to 1e12 units and three
/// significant digits does, but its counts grow only as far as the largest
/// value recorded: a few kilobytes for waits of minutes, instead of 250 KB
/// allocated (and cloned) for every segment of every replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DurationHistogram {
    /// Counts by index (see [`index_of`]), up to the highest used.
    counts: Vec<u64>,
    total: u64,
}

/// Histogram units per minute: the resolution is 1e-4 minutes (6 ms).
const UNITS_PER_MINUTE: f64 = 1e4;
const MAX_UNITS: u64 = 1_000_000_000_000;
/// log2 of half the sub-buckets per bucket (1,024 of 2,048: three
/// significant digits).
const HALF_MAGNITUDE: u32 = 10;
const HALF: u64 = 1 << HALF_MAGNITUDE;
/// Values below this all fall in bucket 0, one unit apart.
const SUB_MASK: u64 = 2 * HALF - 1;

/// Bucket of `units`: the powers of two by which it exceeds bucket 0.
#[inline]
fn bucket_of(units: u64) -> u32 {
    (64 - HALF_MAGNITUDE - 1) - (units | SUB_MASK).leading_zeros()
}

/// `minutes` in units, rounded half away from zero and clamped to
/// [0, `MAX_UNITS`]: exactly `(x * 1e4).round().clamp(0, MAX_UNITS)`, without
/// `f64::round`'s libm call. Clamping first changes nothing (the bounds are
/// whole), and below 2^52 the fraction `x - trunc(x)` is exact.
#[inline]
fn units_of(minutes: f64) -> u64 {
    let x = (minutes * UNITS_PER_MINUTE).clamp(0.0, MAX_UNITS as f64);
    // Through i64: one instruction each way, where u64 takes a branch.
    let whole = x as i64;
    (whole + (x - whole as f64 >= 0.5) as i64) as u64
}

/// Index of the count of `units`.
#[inline]
fn index_of(units: u64) -> usize {
    let bucket = bucket_of(units);
    let sub = units >> bucket;
    (((bucket as u64 + 1) << HALF_MAGNITUDE) + sub - HALF) as usize
}

/// The highest value counted at `index` (HdrHistogram's highest
/// equivalent value).
fn highest_at(index: usize) -> u64 {
    let mut bucket = (index >> HALF_MAGNITUDE) as i64 - 1;
    let mut sub = (index as u64 & (HALF - 1)) + HALF;
    if bucket < 0 {
        sub -= HALF;
        bucket = 0;
    }
    let lowest = sub << bucket;
    lowest + (1u64 << bucket_of(lowest)) - 1
}

impl DurationHistogram {
    /// An empty histogram (nothing allocated until the first value).
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one duration; values beyond the range are clamped to it.
    #[inline]
    pub fn record(&mut self, minutes: f64) {
        let units = units_of(minutes);
        let i = index_of(units);
        if i >= self.counts.len() {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
        self.total += 1;
    }

    /// Number of recorded durations.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The `q`-quantile (0 < q < 1) in minutes, or NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.total == 0 {
            return f64::NAN;
        }
        let q = q.min(1.0);
        let target = ((q * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        let index = self
            .counts
            .iter()
            .position(|&c| {
                seen += c;
                seen >= target
            })
            .unwrap_or(self.counts.len() - 1);
        highest_at(index) as f64 / UNITS_PER_MINUTE
    }

    /// Adds another histogram's counts to this one.
    pub fn merge(&mut self, other: &DurationHistogram) {
        if other.counts.len() > self.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
    }
}

/// A point estimate with the half-width of its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The mean over replications.
    pub mean: f64,
    /// Half-width of the Student-t 95% interval; 0 with one replication.
    pub ci95: f64,
    /// Number of replications in which the metric was defined.
    pub n: u64,
}

impl Estimate {
    /// Estimate from one value per replication; NaN values (a metric
    /// undefined in that replication, e.g. a wait with nobody served) are
    /// left out. With no defined value the mean is NaN. The values are few
    /// (one per replication), so the mean is their plain sum over n (exact
    /// for counts) and the variance is taken in two passes.
    pub fn from_values(values: impl IntoIterator<Item = f64>) -> Estimate {
        let values: Vec<f64> = values.into_iter().filter(|v| !v.is_nan()).collect();
        let n = values.len() as u64;
        if n == 0 {
            return Estimate {
                mean: f64::NAN,
                ci95: 0.0,
                n,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = if n < 2 {
            0.0
        } else {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        };
        Estimate {
            mean,
            ci95: student_t_half_width(variance, n),
            n,
        }
    }
}

/// Half-width of the 95% confidence interval of a mean of `n` observations
/// with sample variance `variance`: t(0.975, n-1) * sqrt(variance / n).
pub fn student_t_half_width(variance: f64, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    t_quantile_975(n - 1) * (variance / n as f64).sqrt()
}

/// The 0.975 quantile of Student's t with `dof` degrees of freedom.
pub fn t_quantile_975(dof: u64) -> f64 {
    StudentsT::new(0.0, 1.0, dof as f64)
        .expect("positive degrees of freedom")
        .inverse_cdf(0.975)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_two_pass() {
        let xs = [1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.add(x));
        assert_eq!(w.count(), 4);
        assert!((w.mean() - (1e9 + 10.0)).abs() < 1e-6);
        // Variance of 4, 7, 13, 16 is 30: catastrophic cancellation would
        // lose it at this offset.
        assert!((w.variance() - 30.0).abs() < 1e-6, "{}", w.variance());
    }

    /// The rounding without libm is `f64::round` then clamp, bit for bit,
    /// on halves, near-halves, the bounds and random values.
    #[test]
    fn units_round_like_f64_round() {
        use rand::{Rng, SeedableRng};
        let reference = |m: f64| (m * UNITS_PER_MINUTE).round().clamp(0.0, MAX_UNITS as f64) as u64;
        let mut cases = vec![0.0, -0.0, -1.0, 1e300, f64::INFINITY, 1e8, 1e8 + 1e-5];
        for k in 0..2000u64 {
            let half = (k as f64 + 0.5) / UNITS_PER_MINUTE;
            cases.extend([half, half.next_up(), half.next_down()]);
        }
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(9);
        cases.extend(
            (0..100_000).map(|_| rng.random::<f64>() * 10f64.powi(rng.random_range(-6..9))),
        );
        for m in cases {
            assert_eq!(units_of(m), reference(m), "{m}");
        }
    }

    #[test]
    fn histogram_quantiles() {
        let mut h = DurationHistogram::new();
        for i in 1..=1000 {
            h.record(i as f64 / 100.0);
        }
        // Three significant digits: relative error below 1e-3.
        assert!((h.quantile(0.9) - 9.0).abs() <= 9.0 * 1e-3);
        assert!((h.quantile(0.5) - 5.0).abs() <= 5.0 * 1e-3);
        h.record(0.0);
        assert_eq!(h.count(), 1001);
        assert!(DurationHistogram::new().quantile(0.9).is_nan());
    }

    /// Every quantile the reports use agrees exactly with `hdrhistogram`'s
    /// (bounds 1 to 1e12 units, three significant digits), over waits
    /// from zero to beyond the range, recorded whole and merged.
    #[test]
    fn histogram_matches_hdrhistogram() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(8);
        let mut reference =
            hdrhistogram::Histogram::<u64>::new_with_bounds(1, MAX_UNITS, 3).unwrap();
        let (mut ours, mut other) = (DurationHistogram::new(), DurationHistogram::new());
        for i in 0..20_000 {
            let minutes = match i % 4 {
                0 => 0.0,
                1 => rng.random::<f64>() * 0.5,
                2 => (rng.random::<f64>() * 20.0).exp() * 1e-4,
                _ => -rng.random::<f64>().ln() * 3.0,
            };
            let units = (minutes * UNITS_PER_MINUTE)
                .round()
                .clamp(0.0, MAX_UNITS as f64) as u64;
            reference.saturating_record(units);
            if i % 3 == 0 {
                other.record(minutes)
            } else {
                ours.record(minutes)
            }
            if i % 997 == 0 {
                let mut merged = ours.clone();
                merged.merge(&other);
                for q in [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0] {
                    let expected = reference.value_at_quantile(q) as f64 / UNITS_PER_MINUTE;
                    assert_eq!(merged.quantile(q), expected, "q {q} after {i}");
                }
                assert_eq!(merged.count(), reference.len());
            }
        }
        let mut huge = DurationHistogram::new();
        huge.record(1e9);
        reference.reset();
        reference.saturating_record(MAX_UNITS);
        assert_eq!(
            huge.quantile(0.5),
            reference.value_at_quantile(0.5) as f64 / UNITS_PER_MINUTE
        );
    }

    #[test]
    fn t_quantiles_match_tables() {
        // Standard table values of t(0.975, dof).
        for (dof, t) in [
            (1, 12.706),
            (4, 2.776),
            (9, 2.262),
            (29, 2.045),
            (1000, 1.962),
        ] {
            assert!((t_quantile_975(dof) - t).abs() < 1e-3, "dof {dof}");
        }
    }

    #[test]
    fn estimate_skips_undefined_and_handles_one_value() {
        let e = Estimate::from_values([2.0, f64::NAN, 4.0]);
        assert_eq!(e.n, 2);
        assert_eq!(e.mean, 3.0);
        assert!((e.ci95 - 12.706 * (2.0f64 / 2.0).sqrt()).abs() < 1e-2);
        let one = Estimate::from_values([5.0]);
        assert_eq!((one.mean, one.ci95), (5.0, 0.0));
    }
}

#[cfg(test)]
#[path = "stats_average_tests.rs"]
mod average_tests;
