//! The service map: the scenario as a picture, drawn from the model and a
//! run's results, not by hand. Segments and channels on the left, then the
//! tiers in the order clients reach them (a chatbot first, escalations to
//! the right), back offices last; each arrow carries its flow in clients
//! per hour, each tier its staffing, utilization and wait, coloured by
//! load. Plain SVG (no script), for `report.html` and `tiersim serve`.
//!
//! Flows: a box's inflow is measured (arrivals per hour of the measured
//! period); an arrow into a box with one way in carries all of it; where
//! several arrows enter a box, its inflow is split by the model's expected
//! shares (segment and channel mixes, escalation probabilities) and the
//! label says `≈`.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::page::escape;
use super::summary::Point;
use crate::model::{Model, Servers, TierKind};

/// One box of the map.
struct Node {
    /// Column, left to right.
    col: usize,
    /// Bold first line.
    title: String,
    /// Further lines.
    lines: Vec<String>,
    /// Fill colour.
    fill: &'static str,
}

/// Box size and spacing, in pixels.
const W: f64 = 176.0;
const H: f64 = 64.0;
const COL: f64 = 240.0;
const ROW: f64 = 84.0;
const TOP: f64 = 56.0;
/// Length of an arrow's head.
const HEAD: f64 = 8.0;

/// Utilization at which a tier is drawn as busy, and as overloaded.
const BUSY: f64 = 0.7;
const HOT: f64 = 0.85;

/// The map of `model` with the results `point` (its entry of
/// `summary.json`), as an SVG element.
pub fn svg(model: &Model, point: &Point) -> String {
    let hours = (model.run.horizon - model.run.warmup) / 60.0;
    let per_hour = |x: Option<f64>| x.filter(|x| x.is_finite()).unwrap_or(0.0) / hours;
    let (s, c) = (model.segments.len(), model.channels.len());
    let seg_rate: Vec<f64> = model
        .segments
        .iter()
        .map(|g| per_hour(point.segments.get(&g.name).and_then(|m| mean(m, "arrived"))))
        .collect();
    let weights = expected_flows(model, &seg_rate);
    let cols = columns(model, &weights, s + c);
    let mut nodes: Vec<Node> = Vec::new();
    for (i, g) in model.segments.iter().enumerate() {
        nodes.push(Node {
            col: 0,
            title: g.name.clone(),
            lines: vec![format!("{:.1} clients/h", seg_rate[i])],
            fill: "#eef2f8",
        });
    }
    for ch in &model.channels {
        nodes.push(Node {
            col: 1,
            title: ch.name.clone(),
            lines: vec!["channel".into()],
            fill: "#eef2f8",
        });
    }
    let mut inflow: Vec<f64> = vec![0.0; s + c];
    for (t, tier) in model.tiers.iter().enumerate() {
        let m = point.tiers.get(&tier.name);
        let get = |k: &str| m.and_then(|m| mean(m, k));
        inflow.push(per_hour(get("arrived")));
        let util = get("utilization").filter(|u| u.is_finite());
        nodes.push(Node {
            col: cols[t],
            title: tier.name.clone(),
            lines: tier_lines(tier, point, util, get("wait_mean")),
            fill: match (tier.servers.is_unlimited(), util) {
                (true, _) | (_, None) => "#e8eaf0",
                (_, Some(u)) if u >= HOT => "#f6c9c3",
                (_, Some(u)) if u >= BUSY => "#fbe7b5",
                _ => "#d5efd9",
            },
        });
    }
    // A channel's inflow is what its segments send it.
    for (ch, x) in inflow.iter_mut().enumerate().take(s + c).skip(s) {
        *x = weights
            .iter()
            .filter(|((_, to), _)| *to == ch)
            .map(|(_, w)| *w)
            .sum();
    }
    draw(&nodes, &weights, &inflow)
}

/// The mean of metric `key` in `metrics`.
fn mean(metrics: &super::format::Metrics, key: &str) -> Option<f64> {
    metrics.get(key).map(|m| m.mean)
}

/// A tier's lines: staffing, then utilization and wait.
fn tier_lines(
    tier: &crate::model::Tier,
    point: &Point,
    util: Option<f64>,
    wait: Option<f64>,
) -> Vec<String> {
    let staffing = match tier.servers {
        Servers::Unlimited => match tier.kind {
            TierKind::Chatbot => "chatbot".to_string(),
            _ => "unlimited".to_string(),
        },
        Servers::Rostered(_) => {
            let peak = point
                .slots
                .as_ref()
                .and_then(|s| s.tier(&tier.name, "servers_mean"))
                .map(|c| {
                    c.mean
                        .iter()
                        .copied()
                        .filter(|x| x.is_finite())
                        .fold(0.0, f64::max)
                });
            match peak {
                Some(p) => format!("roster, up to {p:.0} on duty"),
                None => "roster".to_string(),
            }
        }
        Servers::Fixed(n) => format!("{n} servers"),
    };
    let queue = if tier.kind == TierKind::BackOffice {
        "queue"
    } else {
        "wait"
    };
    let mut second = Vec::new();
    if let Some(u) = util {
        second.push(format!("util {:.0}%", 100.0 * u));
    }
    if let Some(w) = wait.filter(|w| w.is_finite()) {
        second.push(format!("{queue} {w:.1} min"));
    }
    vec![staffing, second.join(" · ")]
}

/// Expected flows (clients per hour) along every arrow, by node index
/// (segments, then channels, then tiers): segment and channel mixes from
/// the measured segment arrivals `seg_rate`, escalations by their
/// probabilities, cases leaving a tier resolved to their back offices.
fn expected_flows(model: &Model, seg_rate: &[f64]) -> BTreeMap<(usize, usize), f64> {
    let (s, c) = (model.segments.len(), model.channels.len());
    let tier = |t: usize| s + c + t;
    let mut w: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let add = |w: &mut BTreeMap<(usize, usize), f64>, k: (usize, usize), x: f64| {
        if x > 0.0 {
            *w.entry(k).or_insert(0.0) += x;
        }
    };
    // Clients at each tier, by (segment, request), still to move on.
    let mut pending: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
    for (g, seg) in model.segments.iter().enumerate() {
        let channels: Vec<f64> = if seg.channels.is_empty() {
            vec![1.0]
        } else {
            seg.channels.clone()
        };
        for (ch, share) in channels.iter().enumerate() {
            let from = if c > 0 {
                add(&mut w, (g, s + ch), seg_rate[g] * share);
                s + ch
            } else {
                g
            };
            for (r, q) in seg.requests.iter().enumerate() {
                let x = seg_rate[g] * share * q;
                let e = model.entry(g, r, ch);
                add(&mut w, (from, tier(e)), x);
                *pending.entry((e, g, r)).or_insert(0.0) += x;
            }
        }
    }
    // Escalations (a chain is at most as long as there are tiers).
    for _ in 0..=model.tiers.len() {
        let mut next: BTreeMap<(usize, usize, usize), f64> = BTreeMap::new();
        for (&(t, g, r), &x) in &pending {
            let routes = model.tiers[t].routes.get(r).map_or(&[][..], |v| v);
            let mut on = 0.0;
            for e in routes {
                add(&mut w, (tier(t), tier(e.to)), x * e.probability);
                *next.entry((e.to, g, r)).or_insert(0.0) += x * e.probability;
                on += e.probability;
            }
            let offices: Vec<usize> = model.segments[g]
                .back_office
                .iter()
                .chain(&model.requests[r].back_office)
                .copied()
                .collect();
            let left = x * (1.0 - on).max(0.0);
            let mut from = t;
            for o in offices {
                add(&mut w, (tier(from), tier(o)), left);
                from = o;
            }
        }
        if next.is_empty() {
            break;
        }
        pending = next;
    }
    w
}

/// Each tier's column: chatbots and other entry tiers first, each tier
/// right of every tier sending it clients (longest path), back offices in
/// the last column; `first` is the first tier column's node index offset
/// (segments and channels before it).
fn columns(model: &Model, w: &BTreeMap<(usize, usize), f64>, first: usize) -> Vec<usize> {
    let start = if model.channels.is_empty() { 1 } else { 2 };
    let n = model.tiers.len();
    let mut col = vec![start; n];
    for _ in 0..n {
        for &(a, b) in w.keys() {
            if a >= first && b >= first {
                let (ta, tb) = (a - first, b - first);
                if model.tiers[tb].kind != TierKind::BackOffice && col[tb] <= col[ta] && ta != tb {
                    col[tb] = (col[ta] + 1).min(start + n);
                }
            }
        }
    }
    let front = (0..n)
        .filter(|&t| model.tiers[t].kind != TierKind::BackOffice)
        .map(|t| col[t])
        .max()
        .unwrap_or(start);
    for (t, tier) in model.tiers.iter().enumerate() {
        if tier.kind == TierKind::BackOffice {
            col[t] = front + 1;
        }
    }
    col
}

/// The SVG of `nodes` joined by the arrows `weights`, labelled with each
/// destination's `inflow` split by the weights.
fn draw(nodes: &[Node], weights: &BTreeMap<(usize, usize), f64>, inflow: &[f64]) -> String {
    let cols = nodes.iter().map(|n| n.col).max().unwrap_or(0) + 1;
    let mut rows = vec![0usize; cols];
    let mut at = Vec::new();
    for n in nodes {
        at.push((20.0 + n.col as f64 * COL, TOP + rows[n.col] as f64 * ROW));
        rows[n.col] += 1;
    }
    let width = 40.0 + (cols - 1) as f64 * COL + W;
    let height = TOP + rows.iter().max().copied().unwrap_or(1) as f64 * ROW + 40.0;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"service-map\" role=\"img\" aria-label=\"Service map\" \
         viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" \
         font-family=\"system-ui, sans-serif\" font-size=\"12\">\n\
         <text x=\"20\" y=\"22\" font-size=\"14\" font-weight=\"bold\">Service map</text>\n\
         <text x=\"20\" y=\"40\" fill=\"#555\">Arrows: clients per hour of the measured period (≈ where a box has several ways in). \
         Tiers: staffing, utilization, wait; green under {:.0}%, amber under {:.0}%, red above.</text>\n",
        100.0 * BUSY,
        100.0 * HOT
    );
    arrows(&mut out, &at, weights, inflow);
    for (n, &(x, y)) in nodes.iter().zip(&at) {
        let _ = writeln!(
            out,
            "<g class=\"node\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{W}\" height=\"{H}\" rx=\"6\" fill=\"{}\" stroke=\"#8a94a6\"/>\n\
             <text x=\"{:.1}\" y=\"{:.1}\" font-weight=\"bold\">{}</text>",
            n.fill,
            x + 8.0,
            y + 18.0,
            escape(&n.title)
        );
        for (i, line) in n.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x + 8.0,
                y + 35.0 + 15.0 * i as f64,
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// The arrows `weights` between boxes at `at`, each labelled at its start
/// with its destination's `inflow` split by the weights (`≈` where the
/// destination has several ways in). A box's arrows leave and enter at
/// points spread along its edge, in the order of the boxes at their other
/// end, so that they and their labels do not pile up.
fn arrows(
    out: &mut String,
    at: &[(f64, f64)],
    weights: &BTreeMap<(usize, usize), f64>,
    inflow: &[f64],
) {
    let into: BTreeMap<usize, (f64, usize)> =
        weights.iter().fold(BTreeMap::new(), |mut m, ((_, b), x)| {
            let e = m.entry(*b).or_insert((0.0, 0));
            e.0 += x;
            e.1 += 1;
            m
        });
    // The place of arrow (a, b) among those leaving a (by b's position)
    // and among those entering b (by a's), as a height on the edge.
    let spread = |node: usize, other: usize, outgoing: bool| {
        let mut ends: Vec<usize> = weights
            .keys()
            .filter_map(|&(a, b)| match outgoing {
                true if a == node => Some(b),
                false if b == node => Some(a),
                _ => None,
            })
            .collect();
        ends.sort_by(|&p, &q| at[p].1.total_cmp(&at[q].1).then(p.cmp(&q)));
        let k = ends.iter().position(|&e| e == other).unwrap_or(0);
        at[node].1 + H * (k as f64 + 1.0) / (ends.len() as f64 + 1.0)
    };
    for (&(a, b), &x) in weights {
        let (total, count) = into[&b];
        let flow = if total > 0.0 {
            inflow[b] * x / total
        } else {
            0.0
        };
        let stroke = (0.8 + flow.max(0.0).sqrt() / 2.0).min(8.0);
        let label = if flow > 0.0 && flow < 0.05 {
            "&lt;0.1".to_string()
        } else {
            format!("{flow:.1}")
        };
        // Left to right; within a column (one back office after another),
        // straight up or down.
        // The line stops short of the box; a drawn head (no marker: the
        // page refers to nothing, not even by `url(#...)`) ends it.
        let (path, head, (lx, ly)) = if at[a].0 == at[b].0 {
            let x = at[a].0 + W / 2.0;
            let (y1, y2, dy) = if at[a].1 < at[b].1 {
                (at[a].1 + H, at[b].1, -HEAD)
            } else {
                (at[a].1, at[b].1 + H, HEAD)
            };
            (
                format!("M{x:.1},{y1:.1} L{x:.1},{:.1}", y2 + dy),
                format!("M{x:.1},{y2:.1} l-4,{dy:.1} h8 z"),
                (x + 6.0, (y1 + y2) / 2.0 + 4.0),
            )
        } else {
            let (x1, y1) = (at[a].0 + W, spread(a, b, true));
            let (x2, y2) = (at[b].0, spread(b, a, false));
            let mid = (x1 + x2) / 2.0;
            let end = x2 - HEAD;
            (
                format!("M{x1:.1},{y1:.1} C{mid:.1},{y1:.1} {mid:.1},{y2:.1} {end:.1},{y2:.1}"),
                format!("M{x2:.1},{y2:.1} l-{HEAD},-4 v8 z"),
                (x1 + 4.0, y1 - 4.0),
            )
        };
        let _ = writeln!(
            out,
            "<path d=\"{path}\" fill=\"none\" stroke=\"#6b7a90\" stroke-opacity=\"0.55\" stroke-width=\"{stroke:.1}\"/>\n\
             <path d=\"{head}\" fill=\"#6b7a90\"/>\n\
             <text x=\"{lx:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#223\" stroke=\"#fff\" stroke-width=\"3\" \
             paint-order=\"stroke\">{}{label}/h</text>",
            if count > 1 { "≈" } else { "" }
        );
    }
}

/// The map of the results in `results`, when the scenario file named in
/// its manifest still reads to the same content (same hash): a run's one
/// point, a sweep's baseline (or first) point. `None` for a comparison (two
/// files), or when the file is gone or changed since the run: the map is
/// drawn from the scenario, never guessed.
pub fn of_results(results: &super::read::Results) -> Option<String> {
    if results.comparison.is_some() {
        return None;
    }
    let m = &results.manifest;
    let sweep = crate::scenario::sweep::load_sweep(std::path::Path::new(&m.scenario.file)).ok()?;
    if format!("sha256:{}", sweep.content_hash) != m.scenario.content_hash {
        return None;
    }
    let i = sweep.baseline.unwrap_or(0);
    let point = &sweep.points.get(i)?;
    let result = results.points.iter().find(|p| p.name == point.name)?;
    Some(svg(&point.scenario.model, result))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two segments into a front tier that escalates a quarter to an
    /// expert tier.
    fn model() -> Model {
        let source = r#"
name = "map"
[run]
horizon = 600.0
replications = 2
seed = 1
service_level_threshold = 1.0
[[segment]]
name = "retail"
rate_per_hour = 60.0
entry = "front"
[[segment]]
name = "vip"
rate_per_hour = 20.0
entry = "front"
[[tier]]
name = "front"
servers = 3
service = { dist = "exponential", mean = 2.0 }
escalate = [{ to = "expert", probability = 0.25 }]
[[tier]]
name = "expert"
servers = 1
service = { dist = "exponential", mean = 2.0 }
"#;
        crate::scenario::parse(source, "map.toml").unwrap().model
    }

    #[test]
    fn flows_follow_the_mix_and_the_escalation_probabilities() {
        let m = model();
        let w = expected_flows(&m, &[60.0, 20.0]);
        // Nodes: segments 0, 1; tiers front = 2, expert = 3.
        assert_eq!(w[&(0, 2)], 60.0);
        assert_eq!(w[&(1, 2)], 20.0);
        assert_eq!(w[&(2, 3)], 0.25 * 80.0);
        assert_eq!(w.len(), 3);
        // The expert is right of the front tier.
        assert_eq!(columns(&m, &w, 2), vec![1, 2]);
    }

    #[test]
    fn an_arrow_into_a_box_with_several_ways_in_splits_its_measured_inflow() {
        let m = model();
        let w = expected_flows(&m, &[60.0, 20.0]);
        let nodes: Vec<Node> = ["retail", "vip", "front", "expert"]
            .iter()
            .enumerate()
            .map(|(i, t)| Node {
                col: [0, 0, 1, 2][i],
                title: t.to_string(),
                lines: Vec::new(),
                fill: "#fff",
            })
            .collect();
        // Measured: 84 clients/h reached the front tier, 21 the expert.
        let svg = draw(&nodes, &w, &[60.0, 20.0, 84.0, 21.0]);
        assert!(svg.contains(">≈63.0/h<"), "{svg}");
        assert!(svg.contains(">≈21.0/h<"), "{svg}");
        assert!(svg.contains(">21.0/h<"), "{svg}");
        assert_eq!(svg.matches("<g class=\"node\">").count(), 4);
    }
}
