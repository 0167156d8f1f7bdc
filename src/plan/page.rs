//! `report.html` of a plan (with `tiersim plan --report`): the verdict, the
//! staffing-by-slot chart (also `plot-staffing.svg/.png`), the cost
//! breakdown, each target's attainment beside the analytic plan's, the
//! shifts, and a closing note on how far, and why, simulation moved the
//! plan from the analytic one. One self-contained page, like the run
//! report.

use std::path::{Path, PathBuf};

use super::decide::{Decision, money};
use super::output::{Beside, WeeklyCost, clock};
use super::shifts::ShiftPlan;
use super::today::Today;
use super::{Plan, Verdict};
use crate::error::Error;
use crate::experiment::goals::TargetResult;
use crate::model::Model;
use crate::report::format::{MeanCi, put, putln};
use crate::report::goals::TargetRow;
use crate::report::headline::target_words;
use crate::report::html::{self, escape, head, inline_svg};
use crate::report::plot::staffing::{StaffingChart, TierStaffing};
use crate::report::plot::{Figure, render};
use crate::report::write_atomic;
use crate::scenario::Goals;

/// `mean ± ci` of a target's metric for people (a share as a percentage),
/// as the run report writes it.
fn estimate(r: &TargetResult) -> String {
    let v = MeanCi {
        mean: r.estimate.mean,
        ci95: r.estimate.ci95,
    };
    html::estimate(r.target.metric, Some(v))
}

/// The closing note: where simulation moved the plan, and the model's
/// features the per-slot Erlang formulas leave out.
pub fn closing_note(model: &Model, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for (t, tier) in model.tiers.iter().enumerate() {
        if !tier.planned() {
            continue;
        }
        let a: u32 = plan.seed.staffing[t].iter().sum();
        let p: u32 = plan.staffing[t].iter().sum();
        let mut moved: Vec<String> = (0..plan.grid.len())
            .filter(|&s| plan.seed.staffing[t][s] != plan.staffing[t][s])
            .map(|s| {
                format!(
                    "{} {}→{}",
                    plan.grid.labels[s], plan.seed.staffing[t][s], plan.staffing[t][s]
                )
            })
            .collect();
        let more = moved.len().saturating_sub(8);
        moved.truncate(8);
        let list = if moved.is_empty() {
            "no slot changed".to_string()
        } else if more > 0 {
            format!("{} and {more} more", moved.join(", "))
        } else {
            moved.join(", ")
        };
        out.push(format!(
            "Tier {}: {a} server-slots analytic, {p} simulated ({:+}); {list}.",
            tier.name,
            i64::from(p) - i64::from(a)
        ));
    }
    let mut why = vec![
        "The analytic plan treats each tier in each slot as its own stationary queue (Erlang C, or A with one mean patience) and applies each target to every tier alone.".to_string(),
    ];
    if model
        .tiers
        .iter()
        .any(|t| t.routes.iter().flatten().next().is_some())
    {
        why.push("Escalated clients wait at two tiers: targets count the total wait and the first service, so the upper tier's share of a target is smaller than the formula assumes (fewer servers there), while the entry tier carries it (more).".into());
    }
    if model
        .segments
        .iter()
        .any(|s| s.priority != model.segments[0].priority)
    {
        why.push(
            "Priorities: low-priority clients wait longer than the FIFO average the formulas give."
                .into(),
        );
    }
    if model.segments.iter().any(|s| s.patience.is_some()) {
        why.push("Patience: abandonment thins the queue, and the simulation uses each segment's own patience distribution.".into());
    }
    if plan.grid.by_slot {
        why.push("Over the day: when staffing falls at a slot boundary the servers of the busier slot finish their clients first, so the next slot starts with a queue; and a slot's clients are still served after it ends.".into());
    }
    why.push("Non-exponential service times (the formulas assume exponential ones).".into());
    out.push(format!("Why they differ: {}", why.join(" ")));
    out
}

/// Writes `report.html` and `plot-staffing.svg/.png` of a plan into `dir`.
pub fn write_report(
    dir: &Path,
    model: &Model,
    goals: &Goals,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
    cost: &WeeklyCost,
    beside: Beside,
) -> Result<PathBuf, Error> {
    let figure = staffing_figure(dir, model, plan, shifts)?;
    let (today, people) = (beside.today, beside.people);
    let mut out = String::new();
    page_header(&mut out, model);
    decision_section(&mut out, beside.decision);
    verdict_section(&mut out, model, plan);
    targets_section(&mut out, plan, today);
    staffing_section(&mut out, &figure);
    cost_section(&mut out, model, goals, plan, cost);
    today_cost(&mut out, beside.decision, plan);
    shifts_section(&mut out, model, plan, shifts);
    super::group_output::group_section(&mut out, plan);
    people.section(&mut out);
    note_section(&mut out, model, plan);
    let path = dir.join("report.html");
    write_atomic(&path, out.as_bytes())?;
    Ok(path)
}

/// Renders the staffing-by-slot chart (analytic plan, simulated plan and
/// shift coverage of each planned tier) and writes it as
/// `plot-staffing.svg/.png` into `dir`.
fn staffing_figure(
    dir: &Path,
    model: &Model,
    plan: &Plan,
    shifts: &[Option<ShiftPlan>],
) -> Result<Figure, Error> {
    let tiers: Vec<TierStaffing> = model
        .tiers
        .iter()
        .enumerate()
        .filter_map(|(t, tier)| {
            let sh = shifts[t].as_ref()?;
            let coverage = if plan.grid.by_slot {
                sh.coverage.clone()
            } else {
                vec![sh.coverage.iter().copied().min().unwrap_or(0); plan.grid.len()]
            };
            Some(TierStaffing {
                tier: tier.name.clone(),
                analytic: plan.seed.staffing[t].clone(),
                plan: plan.staffing[t].clone(),
                shifts: coverage,
            })
        })
        .collect();
    let chart = StaffingChart {
        slot_minutes: plan.grid.slot_minutes,
        tiers,
    };
    let figure = render(
        "plot-staffing",
        "Staffing by slot",
        "Servers per slot of the day: the analytic plan (Erlang per slot), the simulated plan that meets every target, and the whole shifts that cover it.".into(),
        &chart,
    )?;
    write_atomic(&dir.join("plot-staffing.svg"), figure.svg.as_bytes())?;
    write_atomic(&dir.join("plot-staffing.png"), &figure.png)?;
    Ok(figure)
}

/// The page head and its `<header>`: title and tiersim version.
fn page_header(out: &mut String, model: &Model) {
    let title = format!("tiersim plan: {}", model.name);
    out.push_str(&head(&title, false));
    put(
        out,
        format_args!(
            "<header>\n<h1>{}</h1>\n<p class=\"sub\">A capacity plan · tiersim {}</p>\n</header>\n",
            escape(&title),
            env!("CARGO_PKG_VERSION"),
        ),
    );
}

/// The verdict: met, unconfirmed or unreachable (with the reasons), and
/// how the search and the confirmation were run.
fn verdict_section(out: &mut String, model: &Model, plan: &Plan) {
    out.push_str("<section id=\"verdict\">\n<h2>Verdict</h2>\n");
    let met = format!("Met: {}.", plan.met_claim());
    let (text, reasons) = match &plan.verdict {
        Verdict::Met => (met.as_str(), &[][..]),
        Verdict::Unconfirmed(r) => (
            "Unconfirmed: the search met every target, but on fresh random streams these did not hold with 95% confidence:",
            r.as_slice(),
        ),
        Verdict::Unreachable(r) => (
            "Unreachable: no staffing tried meets these targets; the staffing below is the best found, with its values:",
            r.as_slice(),
        ),
    };
    putln(out, format_args!("<p>{}</p>", escape(text)));
    if !reasons.is_empty() {
        out.push_str("<ul>\n");
        for r in reasons {
            putln(out, format_args!("<li>{}</li>", escape(r)));
        }
        out.push_str("</ul>\n");
    }
    putln(
        out,
        format_args!(
            "<p>{} evaluations of {} replications with common random numbers (seed {}); confirmation with {} replications on fresh streams (seed {}).</p>\n</section>",
            plan.evaluations,
            plan.replications,
            model.run.seed,
            plan.confirm_replications,
            plan.confirmation_seed
        ),
    );
}

/// The plan's answer: keep today's staffing or take the plan, in one
/// sentence, before anything else.
fn decision_section(out: &mut String, decision: &Decision) {
    putln(
        out,
        format_args!(
            "<section id=\"decision\">\n<h2>Answer</h2>\n<p class=\"answer\"><strong>{}</strong></p>\n<p>{}</p>\n</section>",
            escape(&decision.sentence),
            escape(&decision.note)
        ),
    );
}

/// Each target in words with its attainment: the analytic plan's, the
/// plan's and today's staffing's, shares as percentages; and how many
/// per-slot checks failed in the confirmation.
fn targets_section(out: &mut String, plan: &Plan, today: &Today) {
    out.push_str("<section id=\"targets\">\n<h2>Target attainment</h2>\n<table>\n<thead><tr><th>target</th><th>analytic plan (search streams)</th><th>plan (confirmation)</th><th>today's staffing (same clients)</th></tr></thead>\n<tbody>\n");
    for (i, r) in plan.targets.iter().enumerate() {
        let analytic = plan
            .analytic_targets
            .as_ref()
            .and_then(|a| a.get(i))
            .map_or("not simulated".into(), |a| {
                format!("{}, {}", estimate(a), a.attainment.as_str())
            });
        let now = today.targets.get(i).map_or("–".into(), |t| {
            let v = MeanCi {
                mean: t.mean,
                ci95: t.ci95,
            };
            format!(
                "{}, {}",
                html::estimate(&t.metric, Some(v)),
                t.attainment.as_str()
            )
        });
        putln(
            out,
            format_args!(
                "<tr><td>{}</td><td>{}</td><td>{}, {}</td><td>{}</td></tr>",
                escape(&target_words(&TargetRow::from(r))),
                escape(&analytic),
                escape(&estimate(r)),
                r.attainment.as_str(),
                escape(&now)
            ),
        );
    }
    out.push_str("</tbody>\n</table>\n");
    putln(
        out,
        format_args!(
            "<p>Met: the whole 95% interval is on the allowed side. Judged as the plan is, each target over the week and in each slot with arrivals, today's staffing {}.</p>",
            if today.checks_not_met == 0 {
                format!("meets all {} checks", today.checks)
            } else {
                format!(
                    "misses {} of the {} checks",
                    today.checks_not_met, today.checks
                )
            }
        ),
    );
    if !plan.slot_failures.is_empty() {
        putln(
            out,
            format_args!(
                "<p>{} per-slot checks did not hold with 95% confidence in the confirmation (see <code>plan.json</code>, <code>slot_failures</code>).</p>",
                plan.slot_failures.len()
            ),
        );
    }
    out.push_str("</section>\n");
}

/// Today's cost beside the plan's, like for like (hours on duty at the
/// hourly rates; the plan's shift starts apart).
fn today_cost(out: &mut String, d: &Decision, plan: &Plan) {
    let gap = d.plan_without_starts_per_week - d.today_per_week;
    putln(
        out,
        format_args!(
            "<section id=\"today\">\n<h2>Today against the plan (per week)</h2>\n<table>\n<thead><tr><th></th><th>without shift starts</th><th>with shift starts</th><th>meets every target</th></tr></thead>\n<tbody>\n\
             <tr><td>today's staffing (the scenario's own)</td><td>{}</td><td>not counted</td><td>{}</td></tr>\n\
             <tr><td>the plan's shifts</td><td>{}</td><td>{}</td><td>{}</td></tr>\n</tbody>\n</table>\n\
             <p>Without shift starts the plan costs {}. Today's cost is its hours on duty at the hourly rates (as <code>run</code> reports it): it counts no shift starts and no time on breaks, so if breaks are paid today costs more than shown.</p>\n</section>",
            money(d.today_per_week),
            if d.today_meets_every_target {
                "yes"
            } else {
                "no"
            },
            money(d.plan_without_starts_per_week),
            money(d.plan_per_week),
            if matches!(plan.verdict, Verdict::Met) {
                "yes"
            } else {
                "no (see the verdict)"
            },
            if money(gap) == "0" || money(gap) == "-0" {
                "the same as today's staffing".to_string()
            } else {
                format!(
                    "{} {} than today's staffing",
                    money(gap.abs()),
                    if gap > 0.0 { "more" } else { "less" }
                )
            }
        ),
    );
}

/// The staffing chart, inlined with its caption.
fn staffing_section(out: &mut String, figure: &Figure) {
    put(
        out,
        format_args!(
            "<section id=\"staffing\">\n<h2>Staffing by slot</h2>\n<figure>{}<figcaption>{}</figcaption></figure>\n</section>\n",
            inline_svg(figure),
            escape(&figure.caption)
        ),
    );
}

/// The weekly cost by tier (per-slot plan and whole shifts), the analytic
/// plan's cost, and what the shifts add.
fn cost_section(out: &mut String, model: &Model, goals: &Goals, plan: &Plan, cost: &WeeklyCost) {
    put(
        out,
        format_args!(
            "<section id=\"cost\">\n<h2>Cost breakdown (per week, {} open days)</h2>\n<table>\n<thead><tr><th>tier</th><th>hourly</th><th>per-slot plan</th><th>whole shifts</th></tr></thead>\n<tbody>\n",
            plan.grid.open_days_per_week()
        ),
    );
    for (name, planned, shifted) in &cost.tiers {
        let hourly = model
            .tiers
            .iter()
            .position(|t| &t.name == name)
            .and_then(|t| goals.cost.as_ref().map(|c| c.hourly[t]))
            .unwrap_or(f64::NAN);
        putln(
            out,
            format_args!(
                "<tr><td>{}</td><td>{hourly:.2}</td><td>{}</td><td>{}</td></tr>",
                escape(name),
                money(*planned),
                money(*shifted)
            ),
        );
    }
    for ((name, planned, shifted), p) in cost.groups.iter().zip(&plan.groups) {
        putln(
            out,
            format_args!(
                "<tr><td>{} (group, {})</td><td>{:.2}</td><td>{}</td><td>{}</td></tr>",
                escape(name),
                if p.by_slot() { "by slot" } else { "all week" },
                p.hourly,
                money(*planned),
                money(*shifted)
            ),
        );
    }
    put(
        out,
        format_args!(
            "<tr><th>all</th><td></td><th>{}</th><th>{}</th></tr>\n</tbody>\n</table>\n\
         <p>The analytic plan would cost {}. The whole shifts cost {:.1}% more than the per-slot plan (its lower bound): \
         {} for shift starts and {:.1} server-hours of over-staffing that shift lengths force.</p>\n</section>\n",
            money(cost.plan),
            money(cost.shifts),
            money(cost.analytic),
            100.0 * cost.gap(),
            money(cost.shift_starts),
            cost.over_staffing_hours
        ),
    );
}

/// The whole shifts of each planned tier and the days they run on.
fn shifts_section(out: &mut String, model: &Model, plan: &Plan, shifts: &[Option<ShiftPlan>]) {
    out.push_str("<section id=\"shifts\">\n<h2>Shifts</h2>\n<table>\n<thead><tr><th>tier</th><th>start</th><th>end</th><th>servers</th></tr></thead>\n<tbody>\n");
    for (t, tier) in model.tiers.iter().enumerate() {
        let Some(sh) = &shifts[t] else { continue };
        for &(start, length, servers) in &sh.shifts {
            putln(
                out,
                format_args!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{servers}</td></tr>",
                    escape(&tier.name),
                    clock(start),
                    clock(start + length)
                ),
            );
        }
    }
    let breaks = if shifts.iter().flatten().any(|s| !s.staggered.is_empty()) {
        "with staggered breaks by [plan] breaks (each break in"
    } else {
        "without breaks (add them in"
    };
    putln(
        out,
        format_args!(
            "</tbody>\n</table>\n<p>On {}; {breaks} <code>{}-plan.toml</code>).</p>\n</section>",
            plan.grid.open_day_names().join(", "),
            escape(&model.name)
        ),
    );
}

/// The closing note (see [`closing_note`]), the footer, and the end of the
/// page.
fn note_section(out: &mut String, model: &Model, plan: &Plan) {
    out.push_str("<section id=\"note\">\n<h2>Analytic and simulated plans</h2>\n");
    for line in closing_note(model, plan) {
        putln(out, format_args!("<p>{}</p>", escape(&line)));
    }
    out.push_str("</section>\n<footer>Values are the mean over replications ± the half-width of its 95% confidence interval (Student t). A target is met when the whole interval is on its allowed side.</footer>\n</body>\n</html>\n");
}
