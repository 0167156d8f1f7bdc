//! The day effect's cv (`segment.day_effect`, docs/fit.md §3): how much
//! more the fitted days' totals vary than Poisson allows, by the method of
//! moments on a Gamma-Poisson mixture (Var N = m + cv² m²).

use serde::Serialize;

use super::Estimate;

/// Fewer days than this: the cv is not estimated (nothing to vary).
pub const MIN_DAYS: usize = 3;

/// The fitted day effect.
#[derive(Debug, Clone, Serialize)]
pub struct DayEffectFit {
    /// How the spread was read: `within_weekday` (each weekday's days about
    /// their own mean, when some weekday has two or more days) or
    /// `across_days` (every day about the mean of all, each weekday once).
    pub method: &'static str,
    /// cv² = (s² − m) / m² before truncation at 0 (pooled over weekdays by
    /// degrees of freedom); `None` when there are too few days.
    pub cv2_moments: Option<f64>,
    /// The cv written (max(cv², 0)^½), SE by the delta method from the
    /// normal-theory SE of a sample variance; n = days.
    pub cv: Estimate,
    /// Degrees of freedom of the spread (days − groups).
    pub degrees_of_freedom: usize,
    /// What the figure can and cannot tell.
    pub note: String,
}

/// The pooled spread of day totals: Σ (n − 1)(s² − m)/m² and
/// Σ (n − 1) s²/m² over the groups, with their degrees of freedom Σ (n − 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Σ (n − 1)(s² − m)/m²: over `df`, the method-of-moments cv².
    pub sum_cv2: f64,
    /// Σ (n − 1) s²/m²: over `df`, the relative variance of a day.
    pub sum_ratio: f64,
    /// Degrees of freedom, Σ (n − 1).
    pub df: usize,
}

/// The pooled moments of day totals grouped by weekday (`groups`): each
/// weekday's days about their own mean when some weekday has two or more
/// days, else every day about the mean of all (each weekday once).
pub fn moments<G: AsRef<[f64]>>(groups: &[G]) -> Moments {
    let all: Vec<f64> = groups.iter().flat_map(|g| g.as_ref()).copied().collect();
    let spread: Vec<&[f64]> = if groups.iter().any(|g| g.as_ref().len() >= 2) {
        groups.iter().map(AsRef::as_ref).collect()
    } else {
        vec![&all[..]]
    };
    let mut out = Moments {
        sum_cv2: 0.0,
        sum_ratio: 0.0,
        df: 0,
    };
    for g in spread.iter().filter(|g| g.len() >= 2) {
        let n = g.len() as f64;
        let m = g.iter().sum::<f64>() / n;
        if m <= 0.0 {
            continue;
        }
        let s2 = g.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
        out.df += g.len() - 1;
        out.sum_cv2 += (n - 1.0) * (s2 - m) / (m * m);
        out.sum_ratio += (n - 1.0) * s2 / (m * m);
    }
    out
}

/// The day effect from the day totals grouped by weekday (`groups`: each
/// weekday's days' totals).
pub fn fit(groups: &[Vec<f64>]) -> DayEffectFit {
    let days: usize = groups.iter().map(Vec::len).sum();
    let method = if groups.iter().any(|g| g.len() >= 2) {
        "within_weekday"
    } else {
        "across_days"
    };
    let Moments {
        sum_cv2,
        sum_ratio,
        df,
    } = moments(groups);
    if days < MIN_DAYS || df == 0 {
        return DayEffectFit {
            method,
            cv2_moments: None,
            cv: Estimate::new(0.0, None, days),
            degrees_of_freedom: df,
            note: format!(
                "{days} day(s): too few to see day-to-day variation (at least {MIN_DAYS}); no day effect written"
            ),
        };
    }
    let cv2 = sum_cv2 / df as f64;
    let cv = cv2.max(0.0).sqrt();
    // SE(s²) ≈ s² √(2/df) (normal theory); SE(cv) = SE(cv²) / (2 cv).
    let se_cv2 = sum_ratio / df as f64 * (2.0 / df as f64).sqrt();
    let se = (cv > 0.0).then(|| se_cv2 / (2.0 * cv));
    let mut note = match method {
        "within_weekday" => format!(
            "from each weekday's days about their own mean ({df} degrees of freedom over {days} days)"
        ),
        _ => format!(
            "each weekday once: from the {days} days' totals about their common mean, so any true weekday effect counts as day-to-day variation (an upper reading); and the day factors are single days, whose own error the cv does not add"
        ),
    };
    if df < 10 {
        note.push_str(&format!(
            "; only {df} degrees of freedom (SE {:.3}): read the cv as an order of magnitude",
            se.unwrap_or(se_cv2.sqrt())
        ));
    }
    if cv2 <= 0.0 {
        note.push_str("; the days vary no more than Poisson: no day effect written");
    }
    DayEffectFit {
        method,
        cv2_moments: Some(cv2),
        cv: Estimate::new(cv, se, days),
        degrees_of_freedom: df,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Poisson-like totals give cv 0; totals spread as a known cv give it
    /// back exactly by the moment equation; one day per weekday pools all.
    #[test]
    fn cv_by_moments() {
        // Each weekday once: 100, 120, 80 -> m 100, s² 400, cv² = 300/1e4.
        let f = fit(&[vec![100.0], vec![120.0], vec![80.0]]);
        assert_eq!(f.method, "across_days");
        assert!((f.cv2_moments.unwrap() - 0.03).abs() < 1e-12);
        assert!((f.cv.value - 0.03f64.sqrt()).abs() < 1e-12);
        assert_eq!((f.cv.n, f.degrees_of_freedom), (3, 2));
        // Within weekday: (100, 120) and (50, 50): cv² pooled by df 1 and 1.
        let f = fit(&[vec![100.0, 120.0], vec![50.0, 50.0]]);
        assert_eq!(f.method, "within_weekday");
        let a = (200.0 - 110.0) / (110.0f64 * 110.0);
        let b = (0.0 - 50.0) / 2500.0;
        assert!((f.cv2_moments.unwrap() - (a + b) / 2.0).abs() < 1e-12);
        assert_eq!(f.cv.value, 0.0);
        // Two days: too few.
        assert!(fit(&[vec![10.0], vec![12.0]]).cv2_moments.is_none());
    }
}
