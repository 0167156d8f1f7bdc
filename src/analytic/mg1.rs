//! The M/G/1 queue: Pollaczek–Khinchine mean wait.

/// M/G/1 mean wait in queue, Pollaczek–Khinchine (Pollaczek 1930,
/// Khinchine 1932; Kleinrock 1975, vol. 1): `Wq = λ E[S²] / (2(1-ρ))` with
/// `ρ = λ E[S]` and `E[S²] = mean² (1 + scv)` (`scv` = squared coefficient of
/// variation of the service time). Infinite when `ρ >= 1`.
pub fn pollaczek_khinchine_wait(arrival_rate: f64, service_mean: f64, service_scv: f64) -> f64 {
    let rho = arrival_rate * service_mean;
    if rho >= 1.0 {
        return f64::INFINITY;
    }
    let second_moment = service_mean * service_mean * (1.0 + service_scv);
    arrival_rate * second_moment / (2.0 * (1.0 - rho))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn pollaczek_khinchine_special_cases() {
        let (lambda, mu) = (0.7, 1.0);
        let mm1 = mmc(lambda, mu, 1).wait_mean();
        assert_rel(pollaczek_khinchine_wait(lambda, 1.0 / mu, 1.0), mm1, FP);
        assert_rel(
            pollaczek_khinchine_wait(lambda, 1.0 / mu, 0.0),
            mm1 / 2.0,
            FP,
        );
        assert_eq!(pollaczek_khinchine_wait(1.0, 1.0, 1.0), f64::INFINITY);
        assert_eq!(pollaczek_khinchine_wait(0.0, 1.0, 1.0), 0.0);
    }
}
