//! Random streams and the service-time / patience distributions drawn from
//! them.
//!
//! Every random purpose has its own stream. A *sequential* stream (the
//! arrivals of one segment) is seeded from (scenario seed, replication,
//! purpose name). A *keyed* draw (one client's patience in its n-th queue,
//! its service at its n-th tier, its routing after it) comes from a tiny
//! generator seeded from (the client's own key, purpose, n), in the manner
//! of counter-based generators: it does not depend on the order in which
//! events happen. Two scenarios that differ only in, say, one tier's
//! staffing therefore see the same clients, each just as patient, needing
//! the same service and taking the same route: this is what makes common
//! random numbers sharp.

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp1, Gamma, LogNormal};
use rand_xoshiro::{SplitMix64, Xoshiro256PlusPlus};

/// One independent random stream (xoshiro256++: fast, 2^256 period, and
/// statistically sound for simulation).
pub type Stream = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective mix that spreads nearby inputs apart.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a hash of a purpose name: fixed across platforms and releases,
/// unlike `std`'s hasher. It salts keyed draws.
pub fn name_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The stream for one random `purpose` (a stable name such as
/// `"arrival/retail"` or `"service/front"`) in replication `replication` of a
/// scenario seeded with `seed`. Keyed by name, not position, so adding a tier
/// or reordering segments leaves the other streams untouched.
pub fn stream(seed: u64, replication: u64, purpose: &str) -> Stream {
    let key = mix(mix(mix(seed) ^ replication) ^ name_hash(purpose));
    Stream::seed_from_u64(key)
}

/// The generator of draw `n` of purpose `salt` (a [`name_hash`]) for the
/// entity keyed `key`: a SplitMix64 seeded with a mix of the three. A
/// distribution usually needs one or two of its outputs.
#[inline]
pub fn keyed(key: u64, salt: u64, n: u64) -> SplitMix64 {
    SplitMix64::seed_from_u64(mix(key
        ^ salt.rotate_left(23)
        ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03)))
}

/// A non-negative random duration in minutes. Every variant with a mean is
/// parameterised by it; the parameters are checked by the scenario layer.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Exponential with the given mean.
    Exponential {
        /// Mean in minutes.
        mean: f64,
    },
    /// Always the same value.
    Deterministic {
        /// The value in minutes.
        mean: f64,
    },
    /// Gamma with integer shape `k` (Erlang-k) or real shape 1/cv²; one
    /// variant serves both `erlang` and `gamma`.
    Gamma {
        /// Mean in minutes.
        mean: f64,
        /// Shape parameter (k for Erlang, 1/cv² for gamma).
        shape: f64,
        /// The sampler, built once.
        sampler: Gamma<f64>,
    },
    /// Lognormal with the given mean and coefficient of variation.
    LogNormal {
        /// Mean in minutes.
        mean: f64,
        /// Coefficient of variation (standard deviation / mean).
        cv: f64,
        /// The sampler, built once.
        sampler: LogNormal<f64>,
    },
    /// Uniform on [low, high).
    Uniform {
        /// Lower bound in minutes.
        low: f64,
        /// Upper bound in minutes.
        high: f64,
    },
    /// Each of the listed values with equal probability.
    Empirical {
        /// The observed values in minutes.
        values: Box<[f64]>,
    },
}

impl Dist {
    /// Exponential with `mean`.
    pub fn exponential(mean: f64) -> Dist {
        Dist::Exponential { mean }
    }

    /// Erlang-`k` with `mean` (the sum of k exponential phases).
    pub fn erlang(mean: f64, k: u32) -> Dist {
        Self::gamma_shape(mean, k as f64)
    }

    /// Gamma with `mean` and coefficient of variation `cv`; `cv = 0` is
    /// deterministic.
    pub fn gamma(mean: f64, cv: f64) -> Dist {
        if cv == 0.0 {
            return Dist::Deterministic { mean };
        }
        Self::gamma_shape(mean, 1.0 / (cv * cv))
    }

    fn gamma_shape(mean: f64, shape: f64) -> Dist {
        let sampler = Gamma::new(shape, mean / shape).expect("positive shape and scale");
        Dist::Gamma {
            mean,
            shape,
            sampler,
        }
    }

    /// Lognormal with `mean` and coefficient of variation `cv`; `cv = 0` is
    /// deterministic.
    pub fn lognormal(mean: f64, cv: f64) -> Dist {
        if cv == 0.0 {
            return Dist::Deterministic { mean };
        }
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let sampler = LogNormal::new(mu, sigma2.sqrt()).expect("finite sigma");
        Dist::LogNormal { mean, cv, sampler }
    }

    /// The same law with every duration multiplied by `factor` (> 0): the
    /// mean scales, the coefficient of variation stays.
    pub fn scaled(&self, factor: f64) -> Dist {
        match self {
            Dist::Exponential { mean } => Dist::Exponential {
                mean: mean * factor,
            },
            Dist::Deterministic { mean } => Dist::Deterministic {
                mean: mean * factor,
            },
            Dist::Gamma { mean, shape, .. } => Self::gamma_shape(mean * factor, *shape),
            Dist::LogNormal { mean, cv, .. } => Self::lognormal(mean * factor, *cv),
            Dist::Uniform { low, high } => Dist::Uniform {
                low: low * factor,
                high: high * factor,
            },
            Dist::Empirical { values } => Dist::Empirical {
                values: values.iter().map(|v| v * factor).collect(),
            },
        }
    }

    /// Draws one value from `rng`. The exponential (arrivals, and most
    /// services and patience) is drawn in line; the others out of line.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let Dist::Exponential { mean } = self {
            let e: f64 = Exp1.sample(rng);
            return e * mean;
        }
        self.sample_other(rng)
    }

    /// [`Dist::sample`] for every distribution, out of line.
    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential { mean } => {
                let e: f64 = Exp1.sample(rng);
                e * mean
            }
            Dist::Deterministic { mean } => *mean,
            Dist::Gamma { sampler, .. } => sampler.sample(rng),
            Dist::LogNormal { sampler, .. } => sampler.sample(rng),
            Dist::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Dist::Empirical { values } => values[rng.random_range(0..values.len())],
        }
    }

    /// The mean in minutes.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::Deterministic { mean }
            | Dist::Gamma { mean, .. }
            | Dist::LogNormal { mean, .. } => *mean,
            Dist::Uniform { low, high } => (low + high) / 2.0,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// The smallest and largest values it can take (infinite when
    /// unbounded).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Exponential { .. } | Dist::Gamma { .. } | Dist::LogNormal { .. } => {
                (0.0, f64::INFINITY)
            }
            Dist::Deterministic { mean } => (*mean, *mean),
            Dist::Uniform { low, high } => (*low, *high),
            Dist::Empirical { values } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                }),
        }
    }

    /// The squared coefficient of variation (variance / mean²).
    pub fn scv(&self) -> f64 {
        match self {
            Dist::Exponential { .. } => 1.0,
            Dist::Deterministic { .. } => 0.0,
            Dist::Gamma { shape, .. } => 1.0 / shape,
            Dist::LogNormal { cv, .. } => cv * cv,
            Dist::Uniform { low, high } => {
                let m = (low + high) / 2.0;
                (high - low).powi(2) / 12.0 / (m * m)
            }
            Dist::Empirical { values } => {
                let m = self.mean();
                let var = values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / values.len() as f64;
                var / (m * m)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let draw = |s: &mut Stream| -> Vec<u64> { (0..4).map(|_| s.random()).collect() };
        let a = draw(&mut stream(7, 0, "arrival/retail"));
        assert_eq!(a, draw(&mut stream(7, 0, "arrival/retail")));
        assert_ne!(a, draw(&mut stream(7, 1, "arrival/retail")));
        assert_ne!(a, draw(&mut stream(8, 0, "arrival/retail")));
        assert_ne!(a, draw(&mut stream(7, 0, "arrival/vip")));
    }

    /// Sample mean and scv of 200,000 draws agree with the stated moments
    /// within 5 standard errors (the standard error of the mean is
    /// sd/sqrt(n); the scv is checked within 5% as its estimator converges
    /// slower for skewed laws).
    #[test]
    fn moments_match() {
        let dists = [
            Dist::exponential(2.0),
            Dist::Deterministic { mean: 3.0 },
            Dist::erlang(6.0, 3),
            Dist::gamma(4.0, 0.5),
            Dist::lognormal(5.0, 0.6),
            Dist::Uniform {
                low: 1.0,
                high: 3.0,
            },
            Dist::Empirical {
                values: vec![1.0, 2.0, 6.0].into(),
            },
            Dist::erlang(1.0, 1000),
        ];
        let n = 200_000;
        for (i, d) in dists.iter().enumerate() {
            let mut rng = stream(1, 0, &format!("test/{i}"));
            let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
            assert!(xs.iter().all(|x| *x >= 0.0 && x.is_finite()));
            let m = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (d.scv() * d.mean() * d.mean() / n as f64).sqrt();
            assert!(
                (m - d.mean()).abs() <= 5.0 * se + 1e-12,
                "{d:?}: mean {m} vs {}",
                d.mean()
            );
            let scv = var / (m * m);
            assert!(
                (scv - d.scv()).abs() <= 0.05 * d.scv() + 1e-9,
                "{d:?}: scv {scv} vs {}",
                d.scv()
            );
        }
    }

    /// Keyed draws are reproducible, differ by key, purpose and index, and
    /// have the right law (mean of 200,000 exponential draws keyed by
    /// consecutive integers, within 5 standard errors).
    #[test]
    fn keyed_draws() {
        let draw = |k, s, n| keyed(k, s, n).random::<u64>();
        assert_eq!(draw(1, 2, 3), draw(1, 2, 3));
        assert_ne!(draw(1, 2, 3), draw(2, 2, 3));
        assert_ne!(draw(1, 2, 3), draw(1, 3, 3));
        assert_ne!(draw(1, 2, 3), draw(1, 2, 4));
        let salt = name_hash("service/front");
        let n = 200_000;
        let d = Dist::exponential(2.0);
        let m = (0..n)
            .map(|k| d.sample(&mut keyed(k, salt, 1)))
            .sum::<f64>()
            / n as f64;
        assert!((m - 2.0).abs() < 5.0 * 2.0 / (n as f64).sqrt(), "{m}");
        // Uniforms in [0, 1): the share below 0.25 within 5 binomial SE.
        let below = (0..n)
            .filter(|&k| keyed(7, k, 0).random::<f64>() < 0.25)
            .count() as f64
            / n as f64;
        assert!(
            (below - 0.25).abs() < 5.0 * (0.25f64 * 0.75 / n as f64).sqrt(),
            "{below}"
        );
    }

    #[test]
    fn scaling_keeps_the_shape() {
        for d in [
            Dist::exponential(2.0),
            Dist::erlang(6.0, 3),
            Dist::lognormal(5.0, 0.6),
            Dist::Uniform {
                low: 1.0,
                high: 3.0,
            },
            Dist::Empirical {
                values: vec![1.0, 2.0].into(),
            },
        ] {
            let s = d.scaled(1.5);
            assert!((s.mean() - 1.5 * d.mean()).abs() < 1e-12, "{d:?}");
            assert!((s.scv() - d.scv()).abs() < 1e-12, "{d:?}");
        }
    }

    #[test]
    fn zero_cv_is_deterministic() {
        assert_eq!(Dist::gamma(2.0, 0.0), Dist::Deterministic { mean: 2.0 });
        assert_eq!(Dist::lognormal(2.0, 0.0), Dist::Deterministic { mean: 2.0 });
    }
}
