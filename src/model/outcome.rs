//! What a client's journey leaves behind: a satisfaction score, whether the
//! client answers top-box (CSAT), complains, and buys. The model is the one
//! sourced in `docs/evidence.md` §9 (reference-dependent wait
//! with loss aversion, hand-off and resolution penalties, logit link);
//! `docs/outcomes.md` gives every formula and default with its reasoning.

/// The coefficients of the outcome model. Defaults are docs/evidence.md §9.3,
/// §9.6 and §9.7.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcomes {
    /// P(top-box) of a journey resolved at first contact without waiting.
    pub top_box_ideal: f64,
    /// Utility lost per tolerance exceeded (β_wait).
    pub beta_wait: f64,
    /// Loss aversion λ: the gain side's slope is β_wait / λ.
    pub loss_aversion: f64,
    /// Utility lost per cold hand-off (β_tr); a warm one costs
    /// `warm_handoff_weight` of it.
    pub beta_transfer: f64,
    /// A warm hand-off's penalty as a share of a cold one's (0.5: SQM,
    /// warm is significantly better than cold, size not given).
    pub warm_handoff_weight: f64,
    /// Utility lost when the journey ends unresolved (β_unr).
    pub beta_unresolved: f64,
    /// Utility lost per extra contact before resolution (β_rep): a
    /// call-back, or each call-back attempt that failed to reach the client.
    pub beta_repeat: f64,
    /// Utility lost per promised turnaround exceeded by the final answer
    /// (β_bo).
    pub beta_back_office: f64,
    /// P(front-line complaint) of a top-box client.
    pub complaint_if_top_box: f64,
    /// P(front-line complaint) of any other client.
    pub complaint_otherwise: f64,
    /// κ: P(formal complaint) = κ (1 − σ(U)).
    pub formal_complaint_kappa: f64,
    /// r: purchase propensity of a less-than-satisfied client relative to a
    /// satisfied one.
    pub loyalty_ratio: f64,
    /// Sales made by a chatbot alone are this share of a human's (a
    /// disclosed bot seller).
    pub bot_sale_factor: f64,
    /// k in [0, 1]: the weight of sales in the RMs' KPIs (0 balanced, 1
    /// sales-only). Sales rise by `pressure_sales_uplift` x k; a sale is
    /// mis-sold with probability `mis_sale_max` x k.
    pub kpi_pressure: f64,
    /// Sales uplift at full sales pressure (0.31: Agarwal & Ben-David).
    pub pressure_sales_uplift: f64,
    /// P(mis-sale | sale) at full sales pressure.
    pub mis_sale_max: f64,
    /// P(a mis-sold client files a formal complaint): detection times the
    /// complaint rate of a monetary loss.
    pub mis_sale_complaint: f64,
    /// Utility (logit) a journey gains when its case went through a back
    /// office that sent proactive updates (`request.proactive_updates`):
    /// `proactive_update_offset`, parameters-v2.md §12.3 (ASSUMPTION).
    pub proactive_update_offset: f64,
    /// Utility gained by a client served by their own dedicated RM
    /// (β_cont; 0, the old model, unless the file opts in).
    pub beta_continuity: f64,
    /// Utility lost per promised turnaround exceeded when the request also
    /// names the client's reference (`expected_turnaround_hours`): an
    /// explicit promise missed costs more than an expectation missed.
    pub beta_promise: f64,
    /// Utility lost per cold hand-off from a chatbot (a warm one costs
    /// half); `None` is `beta_transfer`, the old model.
    pub beta_bot_handoff: Option<f64>,
    /// Share of a failed chatbot conversation's time counted as waiting in
    /// the satisfaction term (0, the old model, unless the file opts in).
    pub bot_time_counts_on_failure: f64,
}

/// `[outcomes] model = 2`: the sourced values of the outcome model's v2
/// terms (docs/outcomes.md), which a file opts into; without it every v2
/// term is at its neutral value and the model is the old one.
pub mod v2 {
    /// β_cont: a client served by their own trusted RM (logit; ASSUMPTION,
    /// direction from J.D. Power SME 825 vs 723).
    pub const BETA_CONTINUITY: f64 = 0.3;
    /// A cold chatbot hand-off: β_tr plus the repeat-information penalty
    /// of the CEB evidence (0.5 + 0.25).
    pub const BETA_BOT_HANDOFF: f64 = 0.75;
    /// Share of failed chatbot time counted as wait (20% of callers count
    /// IVR time in their hold estimate).
    pub const BOT_TIME_COUNTS_ON_FAILURE: f64 = 0.2;
    /// First-contact resolution by expertise: junior (SQM financial
    /// services), senior and expert (ASSUMPTIONs anchored on SQM's
    /// world-class 80%).
    pub const FCR_JUNIOR: f64 = 0.71;
    /// See [`FCR_JUNIOR`].
    pub const FCR_SENIOR: f64 = 0.80;
    /// See [`FCR_JUNIOR`].
    pub const FCR_EXPERT: f64 = 0.85;
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            top_box_ideal: 0.80,
            beta_wait: 0.80,
            loss_aversion: 2.25,
            beta_transfer: 0.50,
            warm_handoff_weight: 0.5,
            beta_unresolved: 1.40,
            beta_repeat: 0.65,
            beta_back_office: 0.80,
            complaint_if_top_box: 0.10,
            complaint_otherwise: 0.29,
            formal_complaint_kappa: 0.02,
            loyalty_ratio: 0.30,
            bot_sale_factor: 0.2,
            kpi_pressure: 0.0,
            pressure_sales_uplift: 0.31,
            mis_sale_max: 0.02,
            mis_sale_complaint: 0.054 * 0.6,
            proactive_update_offset: super::ProactiveUpdates::SATISFACTION_OFFSET,
            beta_continuity: 0.0,
            beta_promise: 1.2,
            beta_bot_handoff: None,
            bot_time_counts_on_failure: 0.0,
        }
    }
}

/// What the outcome model needs to know about one finished journey.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Journey {
    /// Total synchronous wait, minutes (queues only; bot conversations and
    /// service are not waiting).
    pub wait: f64,
    /// The segment's tolerance τ, minutes.
    pub tolerance: f64,
    /// Cold hand-offs (the client starts over: a bot hand-off without
    /// context).
    pub cold_handoffs: u32,
    /// Warm hand-offs (an escalation with the case passed on).
    pub warm_handoffs: u32,
    /// The request was resolved (served to the end, not abandoned or
    /// blocked).
    pub resolved: bool,
    /// Extra contacts before resolution (call-backs and failed attempts).
    pub repeats: u32,
    /// Turnaround over the promised turnaround (B; 0 when none is
    /// promised).
    pub turnaround_ratio: f64,
    /// Utility offset of the channel (β_ch).
    pub offset: f64,
    /// Of the hand-offs above, those from a chatbot: cold and warm.
    pub bot_cold: u32,
    /// See `bot_cold`.
    pub bot_warm: u32,
    /// Minutes of chatbot conversations that failed (ended in a hand-off).
    pub bot_time: f64,
    /// Served by their own dedicated RM.
    pub own_rm: bool,
    /// Back-office time over the client's reference turnaround, when the
    /// request names one; the back-office term is then two-sided and
    /// `promise_ratio` replaces `turnaround_ratio`.
    pub expected_ratio: Option<f64>,
    /// Back-office time over the promised turnaround (0 when none is
    /// promised), read with `expected_ratio` only.
    pub promise_ratio: f64,
}

impl Journey {
    /// A journey with only a wait against a tolerance, resolved or not:
    /// no hand-offs, repeats, back office or channel offset.
    pub fn waited(wait: f64, tolerance: f64, resolved: bool) -> Journey {
        Journey {
            wait,
            tolerance,
            cold_handoffs: 0,
            warm_handoffs: 0,
            resolved,
            repeats: 0,
            turnaround_ratio: 0.0,
            offset: 0.0,
            bot_cold: 0,
            bot_warm: 0,
            bot_time: 0.0,
            own_rm: false,
            expected_ratio: None,
            promise_ratio: 0.0,
        }
    }
}

/// The utility coefficients ready for the event loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prepared {
    beta0: f64,
    beta_gain: f64,
    beta_wait: f64,
    beta_transfer: f64,
    /// A warm hand-off's share of a cold one's penalty.
    warm: f64,
    beta_unresolved: f64,
    beta_repeat: f64,
    beta_back_office: f64,
    loss_aversion: f64,
    loyalty_ratio: f64,
    /// The sale factor's denominator: P(purchase) weight of the ideal journey.
    sale_ideal: f64,
    bot_sale_factor: f64,
    /// 1 + 31% x the KPI pressure.
    sale_pressure: f64,
    beta_continuity: f64,
    beta_promise: f64,
    /// β_bot − β_tr: what a chatbot's hand-off costs beyond a transfer's
    /// (0 in the old model, so its terms add exactly nothing).
    bot_extra: f64,
    bot_time_weight: f64,
    /// Some v2 term (continuity, the chatbot's hand-off or time) is not
    /// neutral.
    v2: bool,
    /// The utility of a journey resolved without waiting, hand-off or any
    /// other term, and its P(top-box): a journey with this utility (a
    /// client served at once) is scored without `exp`.
    ideal: (f64, f64),
}

impl Prepared {
    /// P(sale) for a journey with P(top-box) `p` (see [`Outcomes::sale`]),
    /// with the constants worked out once.
    #[inline]
    pub fn sale(&self, p: f64, base: f64, bot_only: bool) -> f64 {
        let bot = if bot_only { self.bot_sale_factor } else { 1.0 };
        self.sale_by(p, base, bot)
    }

    /// P(sale) as [`Prepared::sale`] with the seller's factor `bot` given:
    /// 1 for a human, the chatbot tier's `sale_factor` for a bot alone.
    #[inline]
    pub fn sale_by(&self, p: f64, base: f64, bot: f64) -> f64 {
        let r = self.loyalty_ratio;
        let factor = (p + r * (1.0 - p)) / self.sale_ideal;
        (base * factor * bot * self.sale_pressure).clamp(0.0, 1.0)
    }

    /// The global chatbot sale factor (`outcomes.bot_sale_factor`).
    pub fn bot_sale_factor(&self) -> f64 {
        self.bot_sale_factor
    }

    /// The continuity term of journey `j`: β_cont for a client served by
    /// their own RM, else 0.
    #[inline(always)]
    pub fn continuity(&self, j: &Journey) -> f64 {
        if j.own_rm { self.beta_continuity } else { 0.0 }
    }

    /// The back-office term's loss (a gain is negative): today's one-sided
    /// term against the promise, or, when the request names the client's
    /// reference, a gain for beating it (bounded at β_bo/λ as the wait's
    /// gain) and the worse of the expectation missed (β_bo) and the
    /// explicit promise missed (β_promise).
    #[inline(always)]
    fn back_office_loss(&self, j: &Journey) -> f64 {
        match j.expected_ratio {
            None => self.beta_back_office * (j.turnaround_ratio - 1.0).max(0.0),
            Some(b) => {
                let gain = self.beta_back_office / self.loss_aversion * (1.0 - b).clamp(0.0, 1.0);
                let expectation = self.beta_back_office * (b - 1.0).max(0.0);
                let promise = self.beta_promise * (j.promise_ratio - 1.0).max(0.0);
                expectation.max(promise) - gain
            }
        }
    }

    /// The terms of U that every journey has: the wait against the
    /// tolerance, the hand-offs and whether it was resolved. [`utility`]
    /// goes on from this value with the other terms, so a journey whose
    /// other terms are all zero has exactly this utility.
    ///
    /// [`utility`]: Prepared::utility
    #[inline(always)]
    pub fn plain_utility(
        &self,
        wait: f64,
        tolerance: f64,
        cold: u32,
        warm: u32,
        resolved: bool,
    ) -> f64 {
        let x = if tolerance > 0.0 {
            wait / tolerance
        } else {
            f64::INFINITY
        };
        let gain = (1.0 - x).clamp(0.0, 1.0);
        let loss = (x - 1.0).max(0.0);
        self.beta0 + self.beta_gain * gain
            - self.beta_wait * loss
            - self.beta_transfer * (cold as f64 + self.warm * warm as f64)
            - if resolved { 0.0 } else { self.beta_unresolved }
    }

    /// The journey's utility U.
    #[inline(always)]
    pub fn utility(&self, j: &Journey) -> f64 {
        // A failed bot conversation counts as waiting for its weight.
        let wait = if self.v2 {
            j.wait + self.bot_time_weight * j.bot_time
        } else {
            j.wait
        };
        // Added in the same order as one expression: the plain terms first.
        let u = self.plain_utility(
            wait,
            j.tolerance,
            j.cold_handoffs,
            j.warm_handoffs,
            j.resolved,
        ) - self.beta_repeat * j.repeats as f64
            - self.back_office_loss(j)
            + j.offset;
        // The v2 terms come last and only when one is not neutral: a file
        // that does not opt in scores bit for bit as before, at no cost.
        if self.v2 {
            u + self.continuity(j)
                - self.bot_extra * (j.bot_cold as f64 + self.warm * j.bot_warm as f64)
        } else {
            u
        }
    }

    /// P(top-box) = σ(U).
    #[inline(always)]
    pub fn top_box(&self, j: &Journey) -> f64 {
        self.top_box_of(self.utility(j))
    }

    /// P(top-box) of a journey with utility `u`: σ(u), taken from the
    /// ideal journey's when `u` is its utility (the same value, without
    /// `exp`).
    #[inline(always)]
    pub fn top_box_of(&self, u: f64) -> f64 {
        if u == self.ideal.0 {
            self.ideal.1
        } else {
            logistic(u)
        }
    }
}

/// The logistic function σ(u) = 1 / (1 + e^−u).
#[inline]
pub fn logistic(u: f64) -> f64 {
    1.0 / (1.0 + (-u).exp())
}

impl Outcomes {
    /// β_gain = β_wait / λ: the slope on the gain side of the tolerance.
    pub fn beta_gain(&self) -> f64 {
        self.beta_wait / self.loss_aversion
    }

    /// β0 = logit(top_box_ideal) − β_gain, so that a resolved journey with
    /// no wait and no hand-off has U = logit(top_box_ideal).
    pub fn beta0(&self) -> f64 {
        let p = self.top_box_ideal;
        (p / (1.0 - p)).ln() - self.beta_gain()
    }

    /// The journey's utility U (docs/evidence.md §9.2).
    pub fn utility(&self, j: &Journey) -> f64 {
        self.prepared().utility(j)
    }

    /// P(top-box) = σ(U); the satisfaction score is 100 times it.
    pub fn top_box(&self, j: &Journey) -> f64 {
        logistic(self.utility(j))
    }

    /// The coefficients with β0 and β_gain worked out once, for scoring
    /// many journeys.
    pub fn prepared(&self) -> Prepared {
        let mut prepared = Prepared {
            beta0: self.beta0(),
            beta_gain: self.beta_gain(),
            beta_wait: self.beta_wait,
            beta_transfer: self.beta_transfer,
            beta_unresolved: self.beta_unresolved,
            beta_repeat: self.beta_repeat,
            beta_back_office: self.beta_back_office,
            loyalty_ratio: self.loyalty_ratio,
            sale_ideal: self.top_box_ideal + self.loyalty_ratio * (1.0 - self.top_box_ideal),
            bot_sale_factor: self.bot_sale_factor,
            sale_pressure: 1.0 + self.pressure_sales_uplift * self.kpi_pressure,
            warm: self.warm_handoff_weight,
            beta_continuity: self.beta_continuity,
            beta_promise: self.beta_promise,
            bot_extra: self
                .beta_bot_handoff
                .map_or(0.0, |b| b - self.beta_transfer),
            bot_time_weight: self.bot_time_counts_on_failure,
            loss_aversion: self.loss_aversion,
            v2: self.beta_continuity != 0.0
                || self
                    .beta_bot_handoff
                    .is_some_and(|b| b != self.beta_transfer)
                || self.bot_time_counts_on_failure != 0.0,
            ideal: (f64::NAN, f64::NAN),
        };
        let u = prepared.utility(&Journey::waited(0.0, 1.0, true));
        prepared.ideal = (u, logistic(u));
        prepared
    }

    /// P(mis-sale | sale) under the KPI regime.
    pub fn mis_sale(&self) -> f64 {
        self.mis_sale_max * self.kpi_pressure
    }

    /// P(front-line complaint) for a journey with P(top-box) `p`.
    pub fn complaint(&self, p: f64) -> f64 {
        self.complaint_if_top_box * p + self.complaint_otherwise * (1.0 - p)
    }

    /// P(formal recorded complaint) for a journey with P(top-box) `p`.
    pub fn formal_complaint(&self, p: f64) -> f64 {
        self.formal_complaint_kappa * (1.0 - p)
    }

    /// P(sale) for a journey with P(top-box) `p`, given the request type's
    /// base conversion `base` and whether only a chatbot served the client.
    pub fn sale(&self, p: f64, base: f64, bot_only: bool) -> f64 {
        self.prepared().sale(p, base, bot_only)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journey(wait_in_tolerances: f64) -> Journey {
        Journey::waited(2.0 * wait_in_tolerances, 2.0, true)
    }

    /// The table of docs/evidence.md §9.3 ("resulting top-box
    /// probabilities"), given there to two decimals: each within 0.005.
    #[test]
    fn documented_break_points() {
        let o = Outcomes::default();
        // A journey waiting `x` tolerances, then changed by `f`.
        let with = |x: f64, f: fn(&mut Journey)| {
            let mut j = journey(x);
            f(&mut j);
            j
        };
        let rows = [
            (journey(0.0), 0.80),
            (journey(0.5), 0.77),
            (journey(1.0), 0.74),
            (journey(1.5), 0.65),
            (journey(2.0), 0.56),
            (journey(3.0), 0.36),
            // The table's hand-off and unresolved rows wait 0.5 tolerance.
            (with(0.5, |j| j.cold_handoffs = 1), 0.67),
            (with(0.5, |j| j.warm_handoffs = 1), 0.72),
            (with(0.5, |j| j.cold_handoffs = 2), 0.55),
            (with(0.5, |j| j.resolved = false), 0.45),
            (with(2.0, |j| j.resolved = false), 0.24),
            // Repeat contacts (the table's rows wait 0.5 tolerance).
            (with(0.5, |j| j.repeats = 1), 0.64),
            (with(0.5, |j| j.repeats = 2), 0.48),
            // Back office 1.5x and 2x the promised turnaround; on time
            // costs nothing.
            (with(0.0, |j| j.turnaround_ratio = 1.5), 0.73),
            (with(0.0, |j| j.turnaround_ratio = 2.0), 0.64),
            (with(0.0, |j| j.turnaround_ratio = 0.7), 0.80),
        ];
        for (j, expected) in rows {
            let p = o.top_box(&j);
            assert!((p - expected).abs() <= 0.005, "{j:?}: {p} vs {expected}");
        }
    }

    #[test]
    fn complaints_and_sales() {
        let o = Outcomes::default();
        assert!((o.complaint(1.0) - 0.10).abs() < 1e-12);
        assert!((o.complaint(0.0) - 0.29).abs() < 1e-12);
        assert!((o.formal_complaint(0.45) - 0.02 * 0.55).abs() < 1e-12);
        // A journey at the ideal converts at exactly the base rate; a bot
        // alone at a fifth of it; an unhappy client at less.
        assert!((o.sale(0.80, 0.03, false) - 0.03).abs() < 1e-12);
        assert!((o.sale(0.80, 0.03, true) - 0.006).abs() < 1e-12);
        assert!(o.sale(0.3, 0.03, false) < 0.03);
        // Full sales pressure: 31% more sales, 2% of them mis-sold.
        let pressed = Outcomes {
            kpi_pressure: 1.0,
            ..Outcomes::default()
        };
        assert!((pressed.sale(0.80, 0.03, false) - 0.03 * 1.31).abs() < 1e-12);
        assert!((pressed.mis_sale() - 0.02).abs() < 1e-12);
        assert_eq!(o.mis_sale(), 0.0);
    }

    #[test]
    fn the_former_constants_are_coefficients() {
        let o = Outcomes::default();
        let warm = |n: u32| Journey {
            warm_handoffs: n,
            ..Journey::waited(1.0, 2.0, true)
        };
        let cold = Journey {
            cold_handoffs: 1,
            ..Journey::waited(1.0, 2.0, true)
        };
        // Two warm hand-offs at the default weight 0.5 cost one cold one.
        assert!((o.utility(&warm(2)) - o.utility(&cold)).abs() < 1e-12);
        let full = Outcomes {
            warm_handoff_weight: 1.0,
            ..Outcomes::default()
        };
        assert!((full.utility(&warm(1)) - o.utility(&cold)).abs() < 1e-12);
        let pressed = Outcomes {
            kpi_pressure: 0.5,
            pressure_sales_uplift: 0.45,
            ..Outcomes::default()
        };
        assert!((pressed.sale(0.80, 0.03, false) - 0.03 * 1.225).abs() < 1e-12);
    }

    #[test]
    fn utility_is_monotone_in_wait() {
        let o = Outcomes::default();
        let mut last = f64::INFINITY;
        for i in 0..100 {
            let u = o.utility(&journey(i as f64 * 0.05));
            assert!(u <= last + 1e-12);
            last = u;
        }
    }
}

#[cfg(test)]
#[path = "outcome_v2_tests.rs"]
mod v2_tests;
