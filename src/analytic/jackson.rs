//! Jackson networks: the traffic equations.

/// Jackson network traffic equations (Jackson 1957, 1963):
/// `λ_j = γ_j + Σ_i λ_i p_ij`, `routing[i][j] = p_ij`; rows may sum to less
/// than 1, the rest leaves the network. Solved by Gaussian elimination with
/// partial pivoting on `(I - Pᵀ) λ = γ`.
///
/// Returns `None` when the routing does not let every client leave
/// (spectral radius of `P` equal to 1: some set of stations routes all its
/// clients among itself, detected exactly on the routing graph; a row counts
/// as an exit only if `1 - Σ_j p_ij > 1e-9`, so that rounding in rows meant
/// to sum to 1 is not taken for an exit), when the system is numerically
/// singular, or on invalid input: a non-square routing matrix or one whose
/// size differs from `external_rates`, negative or non-finite entries, rows
/// summing to more than `1 + 1e-9`, negative or non-finite external rates.
/// Rounding residue below zero in the solution is clamped to 0.
pub fn jackson_arrival_rates(external_rates: &[f64], routing: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = external_rates.len();
    let square = routing.len() == n && routing.iter().all(|row| row.len() == n);
    if !square || !external_rates.iter().all(|&g| g.is_finite() && g >= 0.0) || !all_leave(routing)?
    {
        return None;
    }
    // Row j of (I - Pᵀ): δ_ij - p_ij over i.
    let matrix: Vec<Vec<f64>> = (0..n)
        .map(|j| {
            routing
                .iter()
                .enumerate()
                .map(|(i, row)| if i == j { 1.0 - row[j] } else { -row[j] })
                .collect()
        })
        .collect();
    solve_non_negative(matrix, external_rates.to_vec())
}

/// Whether every station of `routing` reaches an exit along positive
/// routing probabilities (otherwise P has spectral radius 1 and I - Pᵀ is
/// singular); `None` when a row has a negative or non-finite entry or sums
/// to more than 1. A row is an exit only if `1 - Σ_j p_ij > 1e-9`.
fn all_leave(routing: &[Vec<f64>]) -> Option<bool> {
    const ROW_TOLERANCE: f64 = 1e-9;
    let mut can_leave = Vec::with_capacity(routing.len());
    for row in routing {
        if !row.iter().all(|&p| p.is_finite() && p >= 0.0) {
            return None;
        }
        let sum: f64 = row.iter().sum();
        if sum > 1.0 + ROW_TOLERANCE {
            return None;
        }
        can_leave.push(1.0 - sum > ROW_TOLERANCE);
    }
    let mut changed = true;
    while changed {
        changed = false;
        for (i, row) in routing.iter().enumerate() {
            if !can_leave[i] && row.iter().zip(&can_leave).any(|(&p, &ok)| p > 0.0 && ok) {
                can_leave[i] = true;
                changed = true;
            }
        }
    }
    Some(can_leave.iter().all(|&ok| ok))
}

/// The solution of `matrix · x = rhs` by Gaussian elimination with partial
/// pivoting, rounding residue below zero clamped to 0 as back-substitution
/// finds it; `None` when the system is numerically singular.
fn solve_non_negative(mut matrix: Vec<Vec<f64>>, mut rhs: Vec<f64>) -> Option<Vec<f64>> {
    let n = rhs.len();
    for col in 0..n {
        let pivot_row =
            (col..n).max_by(|&x, &y| matrix[x][col].abs().total_cmp(&matrix[y][col].abs()))?;
        let pivot = matrix[pivot_row][col];
        if pivot == 0.0 || !pivot.is_finite() {
            return None;
        }
        matrix.swap(col, pivot_row);
        rhs.swap(col, pivot_row);
        let (done, rest) = matrix.split_at_mut(col + 1);
        let pivot_equation = &done[col];
        let (rhs_done, rhs_rest) = rhs.split_at_mut(col + 1);
        let pivot_rhs = rhs_done[col];
        for (row, value) in rest.iter_mut().zip(rhs_rest.iter_mut()) {
            let factor = row[col] / pivot;
            if factor != 0.0 {
                for (entry, &p) in row[col..].iter_mut().zip(&pivot_equation[col..]) {
                    *entry -= factor * p;
                }
                *value -= factor * pivot_rhs;
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let known: f64 = matrix[i][i + 1..]
            .iter()
            .zip(&x[i + 1..])
            .map(|(&m, &v)| m * v)
            .sum();
        let value = (rhs[i] - known) / matrix[i][i];
        if !value.is_finite() {
            return None;
        }
        x[i] = value.max(0.0);
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn jackson_tandem_and_feedback() {
        let tandem = vec![vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0], vec![0.0; 3]];
        let rates = jackson_arrival_rates(&[2.0, 0.0, 0.0], &tandem).unwrap();
        for rate in rates {
            assert_rel(rate, 2.0, FP);
        }
        // One station feeding back with probability p: λ = γ/(1-p).
        let rates = jackson_arrival_rates(&[1.2], &[vec![0.25]]).unwrap();
        assert_rel(rates[0], 1.2 / 0.75, FP);
        // Three stations with branching and feedback: check the residual of
        // the traffic equations.
        let routing = vec![
            vec![0.1, 0.5, 0.3],
            vec![0.2, 0.0, 0.6],
            vec![0.0, 0.3, 0.1],
        ];
        let external = [1.0, 0.5, 0.0];
        let rates = jackson_arrival_rates(&external, &routing).unwrap();
        for j in 0..3 {
            let inflow: f64 = (0..3).map(|i| rates[i] * routing[i][j]).sum();
            assert_rel(rates[j], external[j] + inflow, FP);
        }
        assert_eq!(jackson_arrival_rates(&[], &[]), Some(vec![]));
    }

    #[test]
    fn jackson_rejects_routing_without_exit() {
        // Two stations sending everything to each other.
        let cycle = vec![vec![0.0, 1.0], vec![1.0, 0.0]];
        assert_eq!(jackson_arrival_rates(&[1.0, 0.0], &cycle), None);
        // Station 0 has an exit but stations 1 and 2 trap clients between
        // them (rows summing to 1 up to rounding: 0.1 + 0.2 + 0.7).
        let trap = vec![
            vec![0.0, 0.5, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![0.0, 0.1 + 0.2, 0.7],
        ];
        assert_eq!(jackson_arrival_rates(&[1.0, 0.0, 0.0], &trap), None);
        // Invalid input.
        assert_eq!(jackson_arrival_rates(&[1.0], &[vec![1.5]]), None);
        assert_eq!(jackson_arrival_rates(&[1.0], &[vec![-0.1]]), None);
        assert_eq!(jackson_arrival_rates(&[-1.0], &[vec![0.1]]), None);
        assert_eq!(jackson_arrival_rates(&[1.0, 1.0], &[vec![0.1]]), None);
    }
}
