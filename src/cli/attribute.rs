//! `tiersim attribute`: what each remedy of a package buys. Every subset of
//! the file's `[[remedy]]` tables it needs is built and validated first,
//! then all of them run as one job over (subset, replication) on common
//! random numbers, and the Shapley values, the waterfall, the package's
//! effect and the interaction of every metric are written.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Result, bail};
use clap::Args;

use super::progress::Progress;
use super::{CANCEL, thread_pool};
use crate::engine::stats::Estimate;
use crate::experiment::attribute::{MAX_EXACT, Mask, Method, attribute, staff_cost_per_hour};
use crate::experiment::attribute_sensitivity::{Run, tornado};
use crate::experiment::runner::Halt;
use std::sync::Mutex;

use crate::experiment::{ReplicationMetrics, RunOptions, Shape, run_points};
use crate::model::{CLIENT_METRICS, Model};
use crate::report::attribution::{
    self, AttributionFile, HEADLINES, MetricRecord, RemedyNote, SwingRecord,
};
use crate::report::headline::model_route_change;
use crate::scenario::Cost;
use crate::scenario::remedy::Package;
use crate::scenario::sensitivity::Parameter;

/// `tiersim attribute`.
#[derive(Debug, Args)]
pub struct AttributeArgs {
    /// The scenario file with `[[remedy]]` tables.
    scenario: PathBuf,
    /// The waterfall's order: every remedy's name, comma-separated
    /// [default: file order].
    #[arg(long, value_delimiter = ',', value_name = "A,B,...")]
    order: Vec<String>,
    /// Output folder [default: output/<scenario name>-attribution/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads [default: one per core]. Results are identical
    /// whatever the number.
    #[arg(long)]
    threads: Option<usize>,
    /// Shapley values from M random orders instead of all 2^k subsets
    /// (needed above 8 remedies).
    #[arg(long, value_name = "M")]
    samples: Option<u32>,
    /// Also make the report (report.html) in the output folder.
    #[arg(long)]
    report: bool,
    /// Also rerun the package's effect at the low and high end of each
    /// parameter's range (`[sensitivity]`, and the documented ranges of the
    /// `[outcomes]` coefficients): a tornado, and which can flip its sign.
    #[arg(long)]
    sensitivity: bool,
}

/// `attribute`: checks everything, runs the subsets, writes the outputs.
pub(super) fn attribute_command(args: &AttributeArgs) -> Result<()> {
    let package = Package::load(&args.scenario)?;
    let k = package.remedies.len();
    let order = order(&package, &args.order)?;
    let first = package.sweep(&vec![false; k])?;
    let (seed, replications) = {
        let m = &first.points[0].scenario.model;
        (m.run.seed, m.run.replications)
    };
    let method = method(&package, args.samples, seed)?;
    let masks = method.subsets(k, &order);
    let (mut models, costs): (Vec<Model>, Vec<Option<Cost>>) =
        models(&package, &masks)?.into_iter().unzip();
    let parameters = if args.sensitivity {
        package.sensitivity()
    } else {
        Vec::new()
    };
    models.extend(sensitivity_models(&package, &parameters)?);
    let started = Instant::now();
    let mut runs = run(&models, args.threads)?;
    let seconds = started.elapsed().as_secs_f64();
    let tornado_runs = runs.split_off(masks.len());
    let extra = staff_costs(&models, &costs, &runs);
    let metrics: Vec<MetricRecord> = attribute(k, &method, &order, &masks, &runs, extra)
        .iter()
        .map(MetricRecord::from)
        .collect();
    let sensitivity = bars(&metrics, &parameters, tornado_runs);
    let names: Vec<String> = package.remedies.iter().map(|r| r.name.clone()).collect();
    let file = AttributionFile {
        tool: "tiersim".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: "attribution".into(),
        scenario: first.name.clone(),
        file: args.scenario.display().to_string(),
        seed,
        replications,
        remedies: remedy_notes(&package, &first.points[0].scenario.model)?,
        order: order.iter().map(|&i| names[i].clone()).collect(),
        method: match method {
            Method::Exact => "exact".into(),
            Method::Sampled(_) => "sampled".into(),
        },
        samples: args.samples,
        subsets_run: masks.len(),
        metrics,
        sensitivity,
    };
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-attribution", first.name)));
    attribution::write(&dir, &file)?;
    print!("{}", attribution::table(&file));
    print!("{}", attribution::tornado_table(&file));
    eprintln!(
        "{} scenarios ({} subsets{}) x {replications} replications in {seconds:.1} s",
        models.len(),
        masks.len(),
        if parameters.is_empty() {
            String::new()
        } else {
            format!(", {} parameters at low and high", parameters.len())
        }
    );
    if args.report {
        attribution::write_report(&dir, &file)?;
        eprintln!("wrote {}", dir.join("report.html").display());
    }
    println!("wrote {}", dir.display());
    Ok(())
}

/// For each parameter, the models of [base at low, package at low, base at
/// high, package at high], every one validated before anything runs.
fn sensitivity_models(package: &Package, parameters: &[Parameter]) -> Result<Vec<Model>> {
    let k = package.remedies.len();
    let mut out = Vec::new();
    for p in parameters {
        for x in [p.low, p.high] {
            for chosen in [vec![false; k], vec![true; k]] {
                let sweep = package.sweep_with(&chosen, &[(p, x)])?;
                let point = sweep.points.into_iter().next().expect("one point");
                out.push(point.scenario.model);
            }
        }
    }
    Ok(out)
}

/// The tornado's bars of the headline metrics from the parameters' runs
/// (four per parameter, as [`sensitivity_models`] made them).
fn bars(metrics: &[MetricRecord], parameters: &[Parameter], runs: Vec<Run>) -> Vec<SwingRecord> {
    if parameters.is_empty() {
        return Vec::new();
    }
    let headline: Vec<(&str, usize, Estimate)> = HEADLINES
        .iter()
        .filter_map(|(m, _, _)| {
            let index = CLIENT_METRICS.iter().position(|c| c == m)?;
            let nominal = metrics
                .iter()
                .find(|r| r.group == "overall" && r.metric == *m)?
                .total;
            Some((
                *m,
                index,
                Estimate {
                    mean: nominal.mean,
                    ci95: nominal.ci95,
                    n: 0,
                },
            ))
        })
        .collect();
    let mut runs = runs.into_iter();
    let grouped: Vec<[Run; 4]> = parameters
        .iter()
        .filter_map(|_| Some([runs.next()?, runs.next()?, runs.next()?, runs.next()?]))
        .collect();
    let ranges: Vec<(String, f64, f64)> = parameters
        .iter()
        .map(|p| (p.path.clone(), p.low, p.high))
        .collect();
    tornado(&headline, &ranges, &grouped)
        .iter()
        .map(|s| {
            let source = parameters
                .iter()
                .find(|p| p.path == s.parameter)
                .map_or("", |p| p.source);
            SwingRecord::new(s, source)
        })
        .collect()
}

/// How the Shapley values are computed: exactly up to [`MAX_EXACT`]
/// remedies, over `samples` random orders when given; refused above the
/// limit without them.
fn method(package: &Package, samples: Option<u32>, seed: u64) -> Result<Method> {
    let k = package.remedies.len();
    if samples == Some(0) {
        bail!("--samples must be at least 1");
    }
    Method::for_remedies(k, samples, seed).ok_or_else(|| {
        package
            .refuse(vec![format!(
                "{k} remedies make {} subsets; allowed: at most {MAX_EXACT} remedies exactly, or --samples M to average over M random orders",
                1u64 << k.min(63),
            )])
            .into()
    })
}

/// The waterfall's order as remedy indices: `names` (every remedy once) or
/// file order.
fn order(package: &Package, names: &[String]) -> Result<Vec<usize>> {
    let k = package.remedies.len();
    if k == 0 {
        return Err(package
            .refuse(vec![
                "no `[[remedy]]` to attribute; allowed: a scenario with at least one `[[remedy]]`"
                    .into(),
            ])
            .into());
    }
    if names.is_empty() {
        return Ok((0..k).collect());
    }
    let known: Vec<&str> = package.remedies.iter().map(|r| r.name.as_str()).collect();
    let indices: Vec<Option<usize>> = names
        .iter()
        .map(|n| known.iter().position(|k| k == n))
        .collect();
    let mut sorted: Vec<usize> = indices.iter().flatten().copied().collect();
    sorted.sort_unstable();
    sorted.dedup();
    if indices.iter().any(Option::is_none) || sorted.len() != k || names.len() != k {
        return Err(package
            .refuse(vec![format!(
                "--order {}: allowed: every remedy once, in any order: {}",
                names.join(","),
                known.join(",")
            )])
            .into());
    }
    Ok(indices.into_iter().flatten().collect())
}

/// The remedies, each with how it alone changes the route of `base` (the
/// model without any remedy), if it does.
fn remedy_notes(package: &Package, base: &Model) -> Result<Vec<RemedyNote>> {
    let k = package.remedies.len();
    let mut notes = Vec::with_capacity(k);
    for (i, remedy) in package.remedies.iter().enumerate() {
        let only: Vec<bool> = (0..k).map(|j| j == i).collect();
        let sweep = package.sweep(&only)?;
        let mut note = RemedyNote::from(remedy);
        note.route_change = sweep
            .points
            .first()
            .and_then(|p| model_route_change(base, &p.scenario.model));
        notes.push(note);
    }
    Ok(notes)
}

/// The model of each subset in `masks`, every one validated (a sweep of
/// one point) before anything runs.
/// With each, its `[cost]`, if any.
fn models(package: &Package, masks: &[Mask]) -> Result<Vec<(Model, Option<Cost>)>> {
    let k = package.remedies.len();
    let mut out = Vec::new();
    for &mask in masks {
        let chosen: Vec<bool> = (0..k).map(|i| mask & (1 << i) != 0).collect();
        let sweep = package.sweep(&chosen)?;
        if sweep.points.len() != 1 {
            return Err(package
                .refuse(vec![format!(
                    "the scenario sweeps {} points; allowed in `attribute`: a scenario of one point (run a sweep of packages with `run --without`)",
                    sweep.points.len()
                )])
                .into());
        }
        let point = sweep.points.into_iter().next().expect("one point");
        out.push((point.scenario.model, point.scenario.goals.cost));
    }
    Ok(out)
}

/// The staff cost per hour of each replication of each subset, as an
/// extra overall metric, when every subset has a `[cost]`.
fn staff_costs(
    models: &[Model],
    costs: &[Option<Cost>],
    runs: &[Run],
) -> Vec<(String, String, Vec<Vec<f64>>)> {
    let columns: Option<Vec<Vec<f64>>> = costs
        .iter()
        .zip(models)
        .zip(runs)
        .map(|((cost, model), (_, reps))| {
            cost.as_ref().map(|c| staff_cost_per_hour(model, c, reps))
        })
        .collect();
    columns.map_or_else(Vec::new, |c| {
        vec![("overall".into(), "staff_cost_per_hour".into(), c)]
    })
}

/// Runs every model for its replications as one job over (model,
/// replication).
fn run(models: &[Model], threads: Option<usize>) -> Result<Vec<Run>> {
    let pool = thread_pool(threads)?;
    let points: Vec<(usize, &Model)> = models.iter().enumerate().collect();
    let progress = Progress::new();
    // Attribution pairs every subset replication by replication, so the
    // metrics of every run are kept (2^k points, not a long sweep).
    let kept: Mutex<Vec<Option<Vec<ReplicationMetrics>>>> = Mutex::new(vec![None; models.len()]);
    let outcome = pool.install(|| {
        run_points(
            &points,
            &RunOptions::default(),
            &|r| kept.lock().expect("no worker panicked")[r.point] = Some(r.replications.clone()),
            &|d, t| progress.update(d, t),
            &CANCEL,
        )
    });
    progress.finish();
    match outcome {
        Ok(_) => {}
        Err(Halt::Interrupted(_)) => bail!("interrupted: nothing written"),
        Err(Halt::Overloaded(e) | Halt::Failed(e)) => return Err(e.into()),
    }
    let kept = kept.into_inner().expect("no worker panicked");
    Ok(models
        .iter()
        .zip(kept)
        .map(|(m, r)| (Shape::of(m), r.expect("every point finished")))
        .collect())
}
