//! Priority queues: non-preemptive and preemptive-resume, M/M/c and M/G/1.

use super::erlang::{erlang_b_with_complement, erlang_c};

/// Non-preemptive priority M/M/c with a common exponential service rate
/// (Cobham 1954; multi-server form): mean wait in queue of class `k` (index
/// 0 = highest priority)
/// `W_k = C(c, a)/(cμ) / ((1 - σ_{k-1})(1 - σ_k))`,
/// `σ_k = Σ_{i<=k} λ_i/(cμ)`, `a = Σ λ_i / μ`.
///
/// A class with `σ_k >= 1` gets [`f64::INFINITY`]. Classes above it keep a
/// steady state even when the total load is `>= c`: the servers are then
/// always busy, `C = 1`, and the same formula holds. `servers == 0` gives
/// infinity for every class.
pub fn priority_nonpreemptive_mmc_waits(
    arrival_rates: &[f64],
    service_rate: f64,
    servers: u32,
) -> Vec<f64> {
    if servers == 0 {
        return vec![f64::INFINITY; arrival_rates.len()];
    }
    let capacity = f64::from(servers) * service_rate;
    let total: f64 = arrival_rates.iter().sum();
    let residual = erlang_c(servers, total / service_rate) / capacity;
    let mut sigma_before = 0.0;
    arrival_rates
        .iter()
        .map(|&rate| {
            let sigma = sigma_before + rate / capacity;
            let wait = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            wait
        })
        .collect()
}

/// Non-preemptive priority M/G/1 with class-specific service (Cobham 1954;
/// Kleinrock 1976, vol. 2): mean wait in queue of class `k` (index 0 =
/// highest priority) `W_k = R / ((1 - σ_{k-1})(1 - σ_k))` with mean residual
/// work `R = Σ_i λ_i E[S_i²]/2` and `σ_k = Σ_{i<=k} λ_i E[S_i]`.
///
/// A class with `σ_k >= 1` gets [`f64::INFINITY`]. When the total load is
/// `>= 1` the classes above the first saturated class `j` keep a steady
/// state; the server is then always busy, `R` becomes
/// `Σ_{i<j} λ_i E[S_i²]/2 + (1 - σ_{j-1}) E[S_j²]/(2 E[S_j])` (class `j` gets
/// the leftover server time, lower classes none) and the same formula holds.
/// Slices of different lengths are invalid and give NaN for every class.
pub fn priority_nonpreemptive_mg1_waits(
    arrival_rates: &[f64],
    service_means: &[f64],
    service_second_moments: &[f64],
) -> Vec<f64> {
    let classes = arrival_rates.len();
    if service_means.len() != classes || service_second_moments.len() != classes {
        return vec![f64::NAN; classes];
    }
    let mut residual = 0.0;
    let mut sigma_before = 0.0;
    for ((&rate, &mean), &second) in arrival_rates
        .iter()
        .zip(service_means)
        .zip(service_second_moments)
    {
        let sigma = sigma_before + rate * mean;
        if sigma >= 1.0 {
            residual += (1.0 - sigma_before) * second / (2.0 * mean);
            break;
        }
        residual += rate * second / 2.0;
        sigma_before = sigma;
    }
    let mut sigma_before = 0.0;
    arrival_rates
        .iter()
        .zip(service_means)
        .map(|(&rate, &mean)| {
            let sigma = sigma_before + rate * mean;
            let wait = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            wait
        })
        .collect()
}

/// Preemptive-resume priority M/G/1 (Kleinrock 1976, vol. 2): mean sojourn
/// (wait + service) of class `k` (index 0 = highest priority)
/// `T_k = E[S_k]/(1 - σ_{k-1}) + R_k / ((1 - σ_{k-1})(1 - σ_k))`,
/// `R_k = Σ_{i<=k} λ_i E[S_i²]/2`, `σ_k = Σ_{i<=k} λ_i E[S_i]`.
/// A class only sees the classes above it, so it is finite exactly when
/// `σ_k < 1` and [`f64::INFINITY`] otherwise. Slices of different lengths
/// are invalid and give NaN for every class.
pub fn priority_preemptive_mg1_sojourns(
    arrival_rates: &[f64],
    service_means: &[f64],
    service_second_moments: &[f64],
) -> Vec<f64> {
    let classes = arrival_rates.len();
    if service_means.len() != classes || service_second_moments.len() != classes {
        return vec![f64::NAN; classes];
    }
    let mut sigma_before = 0.0;
    let mut residual = 0.0;
    arrival_rates
        .iter()
        .zip(service_means)
        .zip(service_second_moments)
        .map(|((&rate, &mean), &second)| {
            let sigma = sigma_before + rate * mean;
            residual += rate * second / 2.0;
            let sojourn = if sigma >= 1.0 {
                f64::INFINITY
            } else {
                mean / (1.0 - sigma_before) + residual / ((1.0 - sigma_before) * (1.0 - sigma))
            };
            sigma_before = sigma;
            sojourn
        })
        .collect()
}

/// Preemptive-resume priority M/M/c with a common service rate (cf. Buzen &
/// Bondi 1983): classes `1..=k` together are unaffected by lower classes and
/// form an M/M/c queue with `Λ_k = λ_1 + .. + λ_k`, so the mean number of
/// class `k` in system is `L(Λ_k) - L(Λ_{k-1})` and its mean sojourn is that
/// divided by `λ_k` (Little's law). For `λ_k == 0` (or tiny next to `Λ_k`,
/// where the difference would cancel) the limit `dL/dΛ` is used, evaluated
/// exactly from `dB/da = B (c/a - 1 + B)`. A class with `Λ_k >= cμ` gets
/// [`f64::INFINITY`], as does every class when `servers == 0`.
pub fn priority_preemptive_mmc_sojourns(
    arrival_rates: &[f64],
    service_rate: f64,
    servers: u32,
) -> Vec<f64> {
    if servers == 0 {
        return vec![f64::INFINITY; arrival_rates.len()];
    }
    let c = f64::from(servers);
    let mut load_before = 0.0;
    arrival_rates
        .iter()
        .map(|&rate| {
            let delta = rate / service_rate;
            let load = load_before + delta;
            let sojourn = if load.is_nan() {
                f64::NAN
            } else if load >= c {
                f64::INFINITY
            } else if delta <= 1e-7 * load {
                mmc_in_system_derivative(servers, load_before + delta / 2.0) / service_rate
            } else {
                (mmc_in_system(servers, load) - mmc_in_system(servers, load_before))
                    / (delta * service_rate)
            };
            load_before = load;
            sojourn
        })
        .collect()
}

/// Mean number in an M/M/c system with offered load `a < c`:
/// `L(a) = a + a C(c, a)/(c - a)`.
fn mmc_in_system(servers: u32, offered_load: f64) -> f64 {
    let c = f64::from(servers);
    offered_load + offered_load * erlang_c(servers, offered_load) / (c - offered_load)
}

/// `dL/da` for [`mmc_in_system`], `0 <= a < c`, `servers >= 1`:
/// `1 + (C + a C')/(c - a) + a C/(c - a)²` with `C = cB/D`,
/// `D = c - a + aB`, `C' = c (B' D - B D')/D²`, `D' = aB' + B - 1`,
/// `B' = B (c/a - 1 + B)`.
fn mmc_in_system_derivative(servers: u32, offered_load: f64) -> f64 {
    let a = offered_load;
    if a <= 0.0 {
        // C(c, a) = O(a^c) with c >= 1, so both correction terms vanish.
        return 1.0;
    }
    let c = f64::from(servers);
    let (b, not_b) = erlang_b_with_complement(servers, a);
    let db = b * (c / a - not_b);
    let d = (c - a) + a * b;
    let dd = a * db - not_b;
    let erlang_c = c * b / d;
    let derlang_c = c * (db * d - b * dd) / (d * d);
    let spare = c - a;
    1.0 + (erlang_c + a * derlang_c) / spare + a * erlang_c / (spare * spare)
}

#[cfg(test)]
mod tests {
    use super::super::pollaczek_khinchine_wait;
    use super::super::testing::*;
    use super::*;

    #[test]
    fn cobham_single_class_is_erlang_c() {
        let waits = priority_nonpreemptive_mmc_waits(&[9.0], 1.0, 10);
        assert_rel(waits[0], mmc(9.0, 1.0, 10).wait_mean(), FP);
        let waits = priority_nonpreemptive_mg1_waits(&[0.7], &[1.0], &[2.0]);
        assert_rel(waits[0], mmc(0.7, 1.0, 1).wait_mean(), FP);
        assert!(priority_nonpreemptive_mmc_waits(&[], 1.0, 3).is_empty());
    }

    #[test]
    fn cobham_two_class_mm1_by_hand() {
        // λ = (0.3, 0.4), μ = 1: R = ρ/μ = 0.7, W_1 = 0.7/0.7 = 1,
        // W_2 = 0.7/(0.7·0.3) = 10/3.
        let mmc_waits = priority_nonpreemptive_mmc_waits(&[0.3, 0.4], 1.0, 1);
        let mg1_waits = priority_nonpreemptive_mg1_waits(&[0.3, 0.4], &[1.0, 1.0], &[2.0, 2.0]);
        for waits in [mmc_waits, mg1_waits] {
            assert_rel(waits[0], 1.0, FP);
            assert_rel(waits[1], 10.0 / 3.0, FP);
        }
    }

    #[test]
    fn nonpreemptive_conservation_law() {
        // Same service law for all classes and no preemption: the total
        // queue is that of FIFO, so Σ λ_k W_k = λ Wq(FIFO) (Kleinrock's
        // conservation law). Multi-server and M/G/1 with unequal service.
        let rates = [1.5, 3.0, 2.5, 1.2];
        let waits = priority_nonpreemptive_mmc_waits(&rates, 0.5, 20);
        let weighted: f64 = rates.iter().zip(&waits).map(|(l, w)| l * w).sum();
        let total: f64 = rates.iter().sum();
        assert_rel(weighted, total * mmc(total, 0.5, 20).wait_mean(), FP);
        // M/G/1: Σ ρ_k W_k = ρ R/(1-ρ).
        let (rates, means, seconds) = ([0.2, 0.1, 0.3], [1.0, 2.0, 0.5], [3.0, 8.0, 0.5]);
        let waits = priority_nonpreemptive_mg1_waits(&rates, &means, &seconds);
        let rho: f64 = rates.iter().zip(&means).map(|(l, m)| l * m).sum();
        let r: f64 = rates.iter().zip(&seconds).map(|(l, s)| l * s / 2.0).sum();
        let weighted: f64 = (0..3).map(|k| rates[k] * means[k] * waits[k]).sum();
        assert_rel(weighted, rho * r / (1.0 - rho), FP);
    }

    #[test]
    fn nonpreemptive_overload_keeps_upper_classes_finite() {
        // λ = (0.3, 0.9), μ = 1, one server: class 2 is saturated; class 1
        // sees an always-busy server: W_1 = (1/μ)/(1 - 0.3) = 1/0.7.
        let mmc_waits = priority_nonpreemptive_mmc_waits(&[0.3, 0.9, 0.1], 1.0, 1);
        let mg1_waits = priority_nonpreemptive_mg1_waits(&[0.3, 0.9, 0.1], &[1.0; 3], &[2.0; 3]);
        for waits in [mmc_waits, mg1_waits] {
            assert_rel(waits[0], 1.0 / 0.7, FP);
            assert_eq!(waits[1], f64::INFINITY);
            assert_eq!(waits[2], f64::INFINITY);
        }
        assert!(priority_nonpreemptive_mg1_waits(&[0.3], &[1.0, 1.0], &[2.0])[0].is_nan());
        assert_eq!(
            priority_nonpreemptive_mmc_waits(&[0.3], 1.0, 0),
            vec![f64::INFINITY]
        );
    }

    #[test]
    fn preemptive_mg1_top_class_is_mg1_alone() {
        let sojourns = priority_preemptive_mg1_sojourns(&[0.4, 0.3], &[1.5, 0.5], &[4.0, 0.3]);
        // Class 1 alone: E[S] + P-K wait with E[S²] = 4 ⇒ scv = 4/1.5² - 1.
        let scv = 4.0 / (1.5 * 1.5) - 1.0;
        assert_rel(
            sojourns[0],
            1.5 + pollaczek_khinchine_wait(0.4, 1.5, scv),
            FP,
        );
    }

    #[test]
    fn preemptive_two_class_mm1_by_hand() {
        // λ = (0.3, 0.4), μ = 1: class 1 is M/M/1 with λ = 0.3:
        // T_1 = 1/0.7 = 1.428571. Aggregate L(0.7) = 0.7/0.3, L(0.3) = 0.3/0.7,
        // so T_2 = (7/3 - 3/7)/0.4 = 100/21 = 4.761905.
        let expected = [1.0 / 0.7, 100.0 / 21.0];
        let mg1 = priority_preemptive_mg1_sojourns(&[0.3, 0.4], &[1.0, 1.0], &[2.0, 2.0]);
        let mmc1 = priority_preemptive_mmc_sojourns(&[0.3, 0.4], 1.0, 1);
        for sojourns in [mg1, mmc1] {
            assert_rel(sojourns[0], expected[0], FP);
            assert_rel(sojourns[1], expected[1], FP);
        }
        // Overloaded lower class only.
        let sojourns = priority_preemptive_mg1_sojourns(&[0.3, 0.9], &[1.0, 1.0], &[2.0, 2.0]);
        assert_rel(sojourns[0], 1.0 / 0.7, FP);
        assert_eq!(sojourns[1], f64::INFINITY);
    }

    #[test]
    fn preemptive_mmc_multi_server() {
        let rates = [2.0, 3.0, 1.5];
        let (mu, c) = (0.8, 10);
        let sojourns = priority_preemptive_mmc_sojourns(&rates, mu, c);
        // Top class alone is an M/M/c; all classes together have the FIFO
        // population (Little: Σ λ_k T_k = L(Λ)). The differences of L lose
        // a few digits, hence 1e-10.
        assert_rel(sojourns[0], mmc(2.0, mu, c).sojourn_mean(), 1e-10);
        let weighted: f64 = rates.iter().zip(&sojourns).map(|(l, t)| l * t).sum();
        assert_rel(weighted, mmc(6.5, mu, c).in_system_mean(), 1e-10);
        // Priority helps: sojourns increase down the classes.
        assert!(sojourns[0] < sojourns[1] && sojourns[1] < sojourns[2]);
        // Unstable from the class that saturates downward.
        let sojourns = priority_preemptive_mmc_sojourns(&[5.0, 4.0, 1.0], 1.0, 9);
        assert!(sojourns[0].is_finite());
        assert_eq!(sojourns[1], f64::INFINITY);
        assert_eq!(sojourns[2], f64::INFINITY);
        assert_eq!(
            priority_preemptive_mmc_sojourns(&[1.0], 1.0, 0),
            vec![f64::INFINITY]
        );
    }

    #[test]
    fn preemptive_mmc_zero_rate_class_is_the_limit() {
        // dL/da is exact; compare with a central difference of L, whose
        // error is O(h²) ≈ 1e-8 relative for h = 1e-4 plus rounding
        // 1e-16/h ≈ 1e-12, hence 1e-6.
        let (c, a) = (10_u32, 7.3);
        let h = 1e-4;
        let numeric = (mmc_in_system(c, a + h) - mmc_in_system(c, a - h)) / (2.0 * h);
        assert_rel(mmc_in_system_derivative(c, a), numeric, 1e-6);
        let sojourns = priority_preemptive_mmc_sojourns(&[7.3, 0.0, 1.0], 1.0, c);
        assert_rel(sojourns[1], numeric, 1e-6);
        // At zero load a hypothetical client is just served: 1/μ.
        let sojourns = priority_preemptive_mmc_sojourns(&[0.0, 0.0], 2.0, 3);
        assert_eq!(sojourns, vec![0.5, 0.5]);
        // Tiny class: the divided difference (or the derivative) stays close
        // to the limit.
        let tiny = priority_preemptive_mmc_sojourns(&[7.3, 1e-9, 1.0], 1.0, c);
        assert_rel(tiny[1], numeric, 1e-6);
    }
}
