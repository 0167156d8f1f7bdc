//! The answer of a comparison in a few lines ("In short"), the same in the
//! terminal and in `report.html`. The rules:
//!
//! * the scenario's `[targets]` first, each met or missed in A and in B;
//! * then the outcome headline: satisfaction, CSAT, abandonment, the first
//!   staffed tier's service level, revenue and staff cost, losses listed
//!   before gains and written the same way; each metric once (the first
//!   staffed tier's service level is named as all clients' when it is the
//!   same number in A and in B);
//! * then every other significant loss and gain of all clients, so that no
//!   loss is hidden;
//! * a metric whose meaning changed between A and B (a first-step metric
//!   when the route changed, catalogue `first_step`) is flagged, never
//!   headlined or counted as a gain or a loss;
//! * no count of metrics better or worse: it is not a verdict.

use super::catalogue::{self, Unit};
use super::format::MeanCi;
use super::summary::{Diff, Point};
use super::verdict::{Direction, Verdict};
use crate::experiment::goals::Attainment;
use crate::model::Model;

/// One headline metric: its values in A and B and the verdict on B − A.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// `overall`, `segment.<name>` or `tier.<name>`.
    pub group: String,
    /// The metric key.
    pub metric: String,
    /// Mean in A.
    pub a: f64,
    /// Mean in B.
    pub b: f64,
    /// Mean of B − A.
    pub difference: f64,
    /// Its 95% half-width.
    pub ci95: f64,
    /// The verdict on B − A.
    pub verdict: Verdict,
}

impl Item {
    /// The item of paired difference `d`, with its verdict.
    pub fn of(d: &Diff) -> Item {
        Item {
            group: d.group.clone(),
            metric: d.metric.clone(),
            a: d.a,
            b: d.b,
            difference: d.mean,
            ci95: d.ci95,
            verdict: Verdict::of(&d.metric, d.mean, d.significant),
        }
    }

    /// The metric in words: its label, with the group when not `overall`.
    pub fn name(&self) -> String {
        name(&self.group, &self.metric)
    }

    /// `B − A ± half-width` in the metric's unit (shares in percentage
    /// points).
    pub fn difference_text(&self) -> String {
        let u = catalogue::unit(&self.metric);
        let ci = if u == Unit::Share {
            format!("{:.2} pp", 100.0 * self.ci95)
        } else {
            u.show(self.ci95)
        };
        format!("{} ± {ci}", u.show_difference(self.difference))
    }

    /// `label A → B` in the metric's unit.
    pub fn text(&self) -> String {
        let u = catalogue::unit(&self.metric);
        let suffix = match u {
            Unit::Minutes => " min",
            Unit::Hours => " h",
            _ => "",
        };
        format!(
            "{} {}{suffix} → {}{suffix}",
            self.name(),
            u.show(self.a),
            u.show(self.b)
        )
    }
}

/// A metric of a group in words: `satisfaction`, `tier junior: service
/// level ...`, `segment vip: abandonment`.
pub fn name(group: &str, metric: &str) -> String {
    let label = catalogue::label(metric);
    match group.split_once('.') {
        Some((kind, who)) => format!("{label} ({kind} {who})"),
        None => label.to_string(),
    }
}

/// The answer of a comparison of B with A.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Headline {
    /// One line per target of the scenario: the bound, A and B, met or
    /// missed.
    pub targets: Vec<String>,
    /// Headline metrics significantly worse in B.
    pub worse: Vec<Item>,
    /// Headline metrics significantly better in B.
    pub better: Vec<Item>,
    /// Headline metrics without a significant difference.
    pub same: Vec<Item>,
    /// Other metrics of all clients significantly worse in B.
    pub also_worse: Vec<Item>,
    /// Other metrics of all clients significantly better in B.
    pub also_better: Vec<Item>,
    /// How the route changed between A and B, if it did.
    pub route_change: Option<String>,
    /// Metrics that changed meaning, with their values as measured.
    pub flagged: Vec<Item>,
    /// Staff cost per hour in A and B, in words.
    pub cost: Option<String>,
}

/// The outcome headline metrics of all clients.
const OUTCOMES: [&str; 4] = ["satisfaction_mean", "csat", "abandon_rate", "revenue"];

/// How the route changed: tiers that B adds or drops, or, on the same
/// tiers, a different share of clients whose first tier is automated (more
/// than half a percentage point apart).
pub fn route_change(a: &Point, b: &Point) -> Option<String> {
    let names = |p: &Point| p.tiers.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    route_change_of(
        ("A", &names(a), a.automated_first_share),
        ("B", &names(b), b.automated_first_share),
    )
}

/// How a remedy's model changes the route of the base model, in the words
/// of [`route_change`] ("it adds tier chatbot").
pub fn model_route_change(base: &Model, remedy: &Model) -> Option<String> {
    let names = |m: &Model| m.tiers.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    route_change_of(
        ("the base", &names(base), base.automated_first_share()),
        ("it", &names(remedy), remedy.automated_first_share()),
    )
}

/// The route change from A to B, each given by what to call it, its
/// tiers' names and its share of clients whose first tier is automated.
fn route_change_of(
    (a, ta, fa): (&str, &[String], f64),
    (b, tb, fb): (&str, &[String], f64),
) -> Option<String> {
    let added: Vec<&String> = tb.iter().filter(|t| !ta.contains(t)).collect();
    let dropped: Vec<&String> = ta.iter().filter(|t| !tb.contains(t)).collect();
    let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
    match (added.is_empty(), dropped.is_empty()) {
        (true, true) if (fa - fb).abs() > 0.005 => Some(format!(
            "{b} sends {:.0}% of clients to an automated tier first, {a} {:.0}%",
            100.0 * fb,
            100.0 * fa
        )),
        (true, true) => None,
        (false, true) => Some(format!("{b} adds tier {}", list(&added))),
        (true, false) => Some(format!("{b} drops tier {}", list(&dropped))),
        (false, false) => Some(format!(
            "{b} adds tier {} and drops tier {}",
            list(&added),
            list(&dropped)
        )),
    }
}

/// The first tier (in B's order) staffed in both A and B.
fn first_staffed(diffs: &[Diff]) -> Option<&str> {
    diffs
        .iter()
        .find(|d| d.metric == "servers_mean" && d.a.is_finite() && d.b.is_finite())
        .map(|d| d.group.as_str())
}

/// The headline metrics in order: the outcomes of all clients with the
/// first staffed tier's service level after abandonment, then the
/// scenario's target metrics; each once (a tier's metric that is all
/// clients' is named as all clients', see [`same_as_overall`]).
fn headline_metrics(a: &Point, diffs: &[Diff], route_changed: bool) -> Vec<(String, String)> {
    let mut headline: Vec<(String, String)> = OUTCOMES
        .iter()
        .map(|m| ("overall".to_string(), m.to_string()))
        .collect();
    if let Some(tier) = first_staffed(diffs) {
        headline.insert(3, (tier.to_string(), "service_level".into()));
    }
    headline.extend(
        a.targets
            .iter()
            .flatten()
            .map(|t| (t.group.clone(), t.metric.clone())),
    );
    for entry in headline.iter_mut() {
        if same_as_overall(diffs, &entry.0, &entry.1, route_changed) {
            entry.0 = "overall".into();
        }
    }
    let mut seen = Vec::new();
    headline.retain(|e| {
        let first = !seen.contains(e);
        seen.push(e.clone());
        first
    });
    headline
}

/// A tier's metric that repeats the one of all clients: the first staffed
/// tier is every client's first step in A and in B (the route did not
/// change, and the tier's value equals all clients' in both). The headline
/// then names it once, as all clients' (`service level`), not also as
/// `service level (tier junior)`.
fn same_as_overall(diffs: &[Diff], group: &str, metric: &str, route_changed: bool) -> bool {
    let find = |g: &str| diffs.iter().find(|d| d.group == g && d.metric == metric);
    let same = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1.0);
    match (group.starts_with("tier."), find(group), find("overall")) {
        (true, Some(t), Some(o)) => !route_changed && same(t.a, o.a) && same(t.b, o.b),
        _ => false,
    }
}

/// A target in words, as every report writes it: the metric's label (with
/// its group), the bound and its value in the metric's unit (`service level
/// >= 80.0%`, `wait (segment vip) <= 2.00`).
pub fn target_words(t: &super::goals::TargetRow) -> String {
    let u = catalogue::unit(&t.metric);
    format!(
        "{} {} {}",
        name(&t.group, &t.metric),
        t.bound,
        u.show(t.value)
    )
}

/// Whether value `x` is on target `t`'s allowed side (by the mean alone).
fn holds(t: &super::goals::TargetRow, x: f64) -> bool {
    if t.bound == ">=" {
        x >= t.value
    } else {
        x <= t.value
    }
}

/// One target's line: bound, A and B with their attainment; B is judged
/// by its own `[targets]` when it has them, else by its mean against A's
/// bound. A first-step target that a route change made not comparable is
/// judged on the first staffed tier instead ([`first_tier_verdict`]).
fn target_line(
    t: &super::goals::TargetRow,
    b: Option<&Point>,
    diffs: &[Diff],
    route: bool,
) -> String {
    let u = catalogue::unit(&t.metric);
    let bound = target_words(t);
    if route && catalogue::first_step(&t.group, &t.metric) {
        return format!(
            "{bound}: not comparable as measured (the route changed, so B's value counts a different first step); {}",
            first_tier_verdict(t, diffs)
        );
    }
    let own = b.and_then(|p| p.targets.as_ref()).and_then(|ts| {
        ts.iter()
            .find(|x| x.group == t.group && x.metric == t.metric)
    });
    let b_part = match (
        own,
        diffs
            .iter()
            .find(|d| d.group == t.group && d.metric == t.metric),
    ) {
        (Some(r), _) => format!("B {} {}", u.show(r.mean), r.attainment.as_str()),
        (None, Some(d)) if d.b.is_finite() => format!(
            "B {} {} (by its mean)",
            u.show(d.b),
            if holds(t, d.b) { "met" } else { "missed" }
        ),
        _ => "B –".into(),
    };
    format!(
        "{bound}: A {} {}, {b_part}",
        u.show(t.mean),
        t.attainment.as_str()
    )
}

/// What to conclude on a target that a route change made not comparable:
/// the same bound on the first tier staffed in A and B (its clients are
/// served by people on both routes), A's and B's means against it, and
/// whether B holds it there.
fn first_tier_verdict(t: &super::goals::TargetRow, diffs: &[Diff]) -> String {
    let tier = first_staffed(diffs).and_then(|g| {
        diffs
            .iter()
            .find(|d| d.group == g && d.metric == t.metric && d.a.is_finite() && d.b.is_finite())
    });
    let Some(d) = tier else {
        return "no tier measures it on both routes, so this target cannot be judged from this comparison: judge B by its own run".into();
    };
    let u = catalogue::unit(&t.metric);
    let word = |x: f64| if holds(t, x) { "met" } else { "missed" };
    let conclusion = match (holds(t, d.a), holds(t, d.b)) {
        (_, true) => "B holds the target where people serve",
        (true, false) => "B breaks the target where people serve",
        (false, false) => "B does not reach the target where people serve either",
    };
    format!(
        "on {}, the first tier both routes staff: A {} {}, B {} {} (by their means): {conclusion}",
        name(&d.group, &d.metric),
        u.show(d.a),
        word(d.a),
        u.show(d.b),
        word(d.b)
    )
}

/// Staff cost per hour of A and B, in words.
fn cost_line(a: &Point, b: &Point) -> Option<String> {
    let show = |c: MeanCi| Unit::Currency.show(c.mean);
    match (&a.cost, &b.cost) {
        (Some(ca), Some(cb)) => {
            let d = cb.staff_per_hour.mean - ca.staff_per_hour.mean;
            let noise = ca.staff_per_hour.ci95 + cb.staff_per_hour.ci95;
            let word = if d.abs() <= noise.max(1e-9) {
                "about the same"
            } else if d < 0.0 {
                "better (cheaper)"
            } else {
                "worse (dearer)"
            };
            Some(format!(
                "staff cost per hour: A {} → B {} ({}, {word})",
                show(ca.staff_per_hour),
                show(cb.staff_per_hour),
                Unit::Currency.show_difference(d)
            ))
        }
        (Some(ca), None) => Some(format!(
            "staff cost per hour: A {}; B has no [cost], so its cost is not compared",
            show(ca.staff_per_hour)
        )),
        (None, Some(cb)) => Some(format!(
            "staff cost per hour: B {}; A has no [cost], so its cost is not compared",
            show(cb.staff_per_hour)
        )),
        (None, None) => None,
    }
}

impl Headline {
    /// The answer for B (`points[1]`) against A (`points[0]`) from their
    /// paired differences.
    pub fn of(a: &Point, b: Option<&Point>, diffs: &[Diff]) -> Headline {
        let route = b.and_then(|b| route_change(a, b));
        let changed = |d: &Diff| route.is_some() && catalogue::first_step(&d.group, &d.metric);
        let find = |g: &str, m: &str| diffs.iter().find(|d| d.group == g && d.metric == m);
        let mut h = Headline {
            route_change: route.clone(),
            ..Headline::default()
        };
        h.targets = a
            .targets
            .iter()
            .flatten()
            .map(|t| target_line(t, b, diffs, route.is_some()))
            .collect();
        let headline = headline_metrics(a, diffs, route.is_some());
        for (g, m) in &headline {
            let Some(d) = find(g, m).filter(|d| !changed(d)) else {
                continue;
            };
            let item = Item::of(d);
            match item.verdict {
                Verdict::Worse => h.worse.push(item),
                Verdict::Better => h.better.push(item),
                _ => h.same.push(item),
            }
        }
        for d in diffs.iter().filter(|d| d.group == "overall") {
            let item = Item::of(d);
            if changed(d) {
                h.flagged.push(item);
            } else if headline
                .iter()
                .any(|(g, m)| *g == d.group && *m == d.metric)
                || catalogue::direction(&d.metric) == Direction::Neutral
            {
                continue;
            } else if item.verdict == Verdict::Worse {
                h.also_worse.push(item);
            } else if item.verdict == Verdict::Better {
                h.also_better.push(item);
            }
        }
        h.cost = b.and_then(|b| cost_line(a, b));
        h
    }

    /// The verdict in one sentence: what is worse, then what is better,
    /// among the headline metrics.
    pub fn verdict(&self) -> String {
        let names = |v: &[Item]| v.iter().map(Item::name).collect::<Vec<_>>().join(", ");
        match (self.worse.is_empty(), self.better.is_empty()) {
            (false, false) => format!(
                "Mixed: B is worse on {} and better on {}.",
                names(&self.worse),
                names(&self.better)
            ),
            (false, true) => format!(
                "B is worse on {}; no headline metric is better.",
                names(&self.worse)
            ),
            (true, false) => format!(
                "B is better on {}; no headline metric is worse.",
                names(&self.better)
            ),
            (true, true) => "No significant difference on the headline metrics.".into(),
        }
    }

    /// The answer as lines of plain text (the terminal prints them):
    /// the verdict, the targets, the headline metrics, the cost, then
    /// [`Headline::notes`].
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![self.verdict()];
        out.extend(self.targets.iter().map(|t| format!("target {t}")));
        for (what, items) in [
            ("worse", &self.worse),
            ("better", &self.better),
            ("no significant difference", &self.same),
        ] {
            if !items.is_empty() {
                out.push(format!("{what}: {}", join(items)));
            }
        }
        out.extend(self.cost.clone());
        out.extend(self.notes());
        out
    }

    /// The other significant losses and gains of all clients, and the
    /// metrics that changed meaning, as lines of plain text.
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.also_worse.is_empty() {
            out.push(format!(
                "also worse (all clients): {}",
                join(&self.also_worse)
            ));
        }
        if !self.also_better.is_empty() {
            out.push(format!(
                "also better (all clients): {}",
                join(&self.also_better)
            ));
        }
        if let Some(r) = &self.route_change {
            let flagged: Vec<String> = self
                .flagged
                .iter()
                .map(|i| format!("{} {} as measured", i.text(), i.verdict.as_str()))
                .collect();
            out.push(format!(
                "not comparable, the route changed ({r}), so these first-step metrics measure a different first step in B; compare the tiers' own metrics instead: {}",
                if flagged.is_empty() { "none".into() } else { flagged.join("; ") }
            ));
        }
        out
    }
}

/// Items as `label A → B; ...`.
fn join(items: &[Item]) -> String {
    items.iter().map(Item::text).collect::<Vec<_>>().join("; ")
}

/// The headline metrics of a run of one scenario (all clients), in order;
/// the scenario's target metrics are added after them.
pub const RUN_HEADLINE: [&str; 6] = [
    "satisfaction_mean",
    "csat",
    "abandon_rate",
    "service_level",
    "wait_mean",
    "revenue",
];

/// The run's attainment of its targets in one sentence.
pub fn run_verdict(p: &Point) -> String {
    let Some(targets) = p.targets.as_ref().filter(|t| !t.is_empty()) else {
        return "No [targets] in this scenario: nothing to meet or miss.".into();
    };
    let count = |a: Attainment| targets.iter().filter(|t| t.attainment == a).count();
    let (missed, uncertain) = (count(Attainment::Missed), count(Attainment::Uncertain));
    let n = targets.len();
    match (missed, uncertain) {
        (0, 0) => format!("Meets all {n} of its targets."),
        (0, u) => format!(
            "Misses none of its {n} targets, but {u} cannot be told apart from its bound (uncertain)."
        ),
        (m, 0) => format!("Misses {m} of its {n} targets."),
        (m, u) => format!("Misses {m} of its {n} targets; {u} more uncertain."),
    }
}

/// One line per target: attainment, the bound and the run's value.
pub fn target_lines(p: &Point) -> Vec<String> {
    p.targets
        .iter()
        .flatten()
        .map(|t| {
            let u = catalogue::unit(&t.metric);
            let sign = match (t.bound.as_str(), t.attainment) {
                (">=", Attainment::Missed) => "<",
                ("<=", Attainment::Missed) => ">",
                (_, Attainment::Uncertain) => "~",
                (b, _) => b,
            };
            format!(
                "{:<9} {} {} {sign} {}{}",
                t.attainment.as_str(),
                name(&t.group, &t.metric),
                u.show(t.mean),
                u.show(t.value),
                if t.attainment == Attainment::Uncertain {
                    " (its 95% CI contains the bound)"
                } else {
                    ""
                }
            )
        })
        .collect()
}

/// Staff cost, revenue and net value per hour of a run, in words.
pub fn run_cost_line(p: &Point) -> Option<String> {
    let c = p.cost.as_ref()?;
    let show = |m: MeanCi| Unit::Currency.show(m.mean);
    Some(format!(
        "staff cost per hour {}; revenue per hour {}; net value per hour {}",
        show(c.staff_per_hour),
        show(c.revenue_per_hour),
        show(c.net_value_per_hour)
    ))
}

/// The metrics of a run's headline table: [`RUN_HEADLINE`] and the
/// target metrics of all clients, each once.
pub fn run_metrics(p: &Point) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = RUN_HEADLINE
        .iter()
        .map(|m| ("overall".to_string(), m.to_string()))
        .collect();
    for t in p.targets.iter().flatten() {
        if !v.iter().any(|(g, m)| *g == t.group && *m == t.metric) {
            v.push((t.group.clone(), t.metric.clone()));
        }
    }
    v
}

/// The figures on the Q-quantile day beside the means (a run with
/// `--day-quantile Q`), in words; `None` without them.
pub fn day_quantile_line(p: &Point) -> Option<String> {
    let d = p.day_quantile.as_ref()?;
    let figures: Vec<String> = d
        .overall
        .iter()
        .map(|(metric, f)| {
            let u = catalogue::unit(metric);
            let min = if matches!(u, Unit::Minutes) {
                " min"
            } else {
                ""
            };
            format!(
                "{} {}{min} ± {} (mean over days {}{min})",
                catalogue::label(metric),
                u.show(f.value),
                u.show(f.ci95),
                u.show(f.day_mean)
            )
        })
        .collect();
    Some(format!(
        "on the {q}-quantile day ({pct}% of the {n} simulated days do at least as well, per day by arrival): {}",
        figures.join("; "),
        q = d.q,
        pct = (d.q * 1e4).round() / 100.0,
        n = d.days,
    ))
}
