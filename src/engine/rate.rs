//! Periodic piecewise-constant rates (arrivals by time of day and day of
//! week) and the non-homogeneous Poisson process they drive, sampled exactly
//! by inverting the integrated rate: no thinning, no rejected draws, and
//! stretches of zero rate (nights, closed days) cost nothing.

/// A rate that repeats every `period` minutes and is constant between
/// breakpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct PiecewiseRate {
    /// Length of one cycle, minutes.
    period: f64,
    /// Start of each piece within the cycle, increasing, the first 0.
    starts: Vec<f64>,
    /// Rate of each piece, per minute (>= 0).
    rates: Vec<f64>,
    /// Integrated rate over one whole cycle.
    cycle_mass: f64,
}

impl PiecewiseRate {
    /// A rate of `rates[i]` per minute from `starts[i]` to the next start
    /// (or the period's end), repeating every `period` minutes. `starts`
    /// must begin at 0 and increase, all below `period`; rates >= 0.
    pub fn new(period: f64, starts: Vec<f64>, rates: Vec<f64>) -> Self {
        debug_assert!(starts.first() == Some(&0.0) && starts.len() == rates.len());
        let cycle_mass = (0..starts.len())
            .map(|i| rates[i] * (starts.get(i + 1).copied().unwrap_or(period) - starts[i]))
            .sum();
        PiecewiseRate {
            period,
            starts,
            rates,
            cycle_mass,
        }
    }

    /// The rate at time `t`, per minute.
    pub fn at(&self, t: f64) -> f64 {
        let phase = t.rem_euclid(self.period);
        let i = self.starts.partition_point(|s| *s <= phase) - 1;
        self.rates[i]
    }

    /// The mean rate over a cycle, per minute.
    pub fn mean(&self) -> f64 {
        self.cycle_mass / self.period
    }

    /// The integrated rate from `t0` to `t1` (>= `t0`).
    pub fn mass(&self, t0: f64, t1: f64) -> f64 {
        self.integral(t1) - self.integral(t0)
    }

    /// The integrated rate from 0 to `t`.
    fn integral(&self, t: f64) -> f64 {
        let cycles = (t / self.period).floor();
        let phase = t - cycles * self.period;
        let within: f64 = (0..self.starts.len())
            .map(|i| {
                let end = self.starts.get(i + 1).copied().unwrap_or(self.period);
                self.rates[i] * (end.min(phase) - self.starts[i]).max(0.0)
            })
            .sum();
        cycles * self.cycle_mass + within
    }

    /// The time at which the integrated rate from `t` reaches `mass` (an
    /// Exp(1) draw gives the next arrival of the process after `t`), or
    /// `None` if the rate is zero everywhere.
    pub fn advance(&self, t: f64, mut mass: f64) -> Option<f64> {
        if self.cycle_mass <= 0.0 {
            return None;
        }
        // Skip whole cycles at once.
        let cycles = (mass / self.cycle_mass).floor();
        mass -= cycles * self.cycle_mass;
        let now = t + cycles * self.period;
        let base = now - now.rem_euclid(self.period);
        let mut phase = now - base;
        let mut i = self.starts.partition_point(|s| *s <= phase) - 1;
        let mut offset = base;
        loop {
            let end = self.starts.get(i + 1).copied().unwrap_or(self.period);
            let room = self.rates[i] * (end - phase);
            if room >= mass && self.rates[i] > 0.0 {
                return Some(offset + phase + mass / self.rates[i]);
            }
            mass -= room;
            i += 1;
            if i == self.starts.len() {
                i = 0;
                offset += self.period;
            }
            phase = self.starts[i];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::stream;
    use rand::Rng;

    /// A day of 0 / 2 / 0.5 per minute in thirds.
    fn day() -> PiecewiseRate {
        PiecewiseRate::new(1440.0, vec![0.0, 480.0, 960.0], vec![0.0, 2.0, 0.5])
    }

    #[test]
    fn rate_lookup_and_mean() {
        let r = day();
        assert_eq!(r.at(100.0), 0.0);
        assert_eq!(r.at(480.0), 2.0);
        assert_eq!(r.at(1440.0 + 1000.0), 0.5);
        assert!((r.mean() - 2.5 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn advance_inverts_the_integrated_rate() {
        let r = day();
        // From midnight, one unit of mass is reached 0.5 min into the busy third.
        assert!((r.advance(0.0, 1.0).unwrap() - 480.5).abs() < 1e-9);
        // Crossing into the evening: 960 min at 2/min is 960 mass; 10 more at 0.5.
        assert!((r.advance(480.0, 970.0).unwrap() - (960.0 + 20.0)).abs() < 1e-9);
        // A whole cycle of mass (1200) later is the same phase a day on.
        let a = r.advance(500.0, 3.0).unwrap();
        assert!((r.advance(500.0, 3.0 + 1200.0).unwrap() - (a + 1440.0)).abs() < 1e-6);
        assert_eq!(
            PiecewiseRate::new(10.0, vec![0.0], vec![0.0]).advance(0.0, 1.0),
            None
        );
    }

    #[test]
    fn mass_integrates_the_rate() {
        let r = day();
        assert!((r.mass(0.0, 480.0)).abs() < 1e-12);
        assert!((r.mass(470.0, 490.0) - 20.0).abs() < 1e-9);
        assert!((r.mass(900.0, 1440.0 + 490.0) - (120.0 + 240.0 + 20.0)).abs() < 1e-9);
        // advance() is mass()'s inverse.
        let at = r.advance(123.0, 777.0).unwrap();
        assert!((r.mass(123.0, at) - 777.0).abs() < 1e-9);
    }

    /// Counts of a simulated process per third of the day match the rates
    /// (Poisson: within 5 standard deviations), and nothing arrives at night.
    #[test]
    fn process_has_the_right_intensity() {
        let r = day();
        let mut rng = stream(3, 0, "test/rate");
        let (mut t, mut counts) = (0.0, [0u64; 3]);
        let days = 200.0;
        while let Some(next) = r.advance(t, -rng.random::<f64>().ln()) {
            if next > days * 1440.0 {
                break;
            }
            t = next;
            counts[(t.rem_euclid(1440.0) / 480.0) as usize] += 1;
        }
        assert_eq!(counts[0], 0);
        for (i, rate) in [(1, 2.0), (2, 0.5)] {
            let expected: f64 = rate * 480.0 * days;
            assert!(
                ((counts[i] as f64) - expected).abs() < 5.0 * expected.sqrt(),
                "{counts:?}"
            );
        }
    }
}
