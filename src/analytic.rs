//! TEMPORARY until the analytic module lands.
#![allow(missing_docs)]
pub fn jackson_arrival_rates(external_rates: &[f64], routing: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = external_rates.len();
    let mut l = external_rates.to_vec();
    for _ in 0..10000 {
        let mut next = external_rates.to_vec();
        for i in 0..n {
            for j in 0..n {
                next[j] += l[i] * routing[i][j];
            }
        }
        l = next;
    }
    Some(l)
}
