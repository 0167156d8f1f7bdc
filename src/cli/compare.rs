//! `tiersim compare`: scenario B against scenario A on the same random
//! clients, as the two points of a sweep whose baseline is A.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Result, bail};

use super::colour;
use super::output::OutputArgs;
use super::report::make_report;
use super::run::{print_warnings, run_journaled};
use crate::experiment::RunOptions;
use crate::experiment::journal::{self, Header, Journal};
use crate::experiment::journeys::{Journeys, Label};
use crate::model::Model;
use crate::report::{self, RunInfo};
use crate::scenario::{self, Sweep};

/// How `compare` runs and what it writes besides its usual files.
pub(super) struct CompareOptions {
    /// Output folder [default: output/<A>-vs-<B>/].
    pub out: Option<PathBuf>,
    /// Worker threads [default: one per core].
    pub threads: Option<usize>,
    /// B on independent random streams.
    pub independent: bool,
    /// Also make the report.
    pub report: bool,
    /// Also write journeys.csv.
    pub journeys: bool,
}

/// `compare`: A and B as the two points of a sweep whose baseline is A.
pub(super) fn compare(a: &Path, b: &Path, o: CompareOptions, output: &OutputArgs) -> Result<()> {
    let CompareOptions {
        out,
        threads,
        independent,
        report: make,
        journeys,
    } = o;
    let started = SystemTime::now();
    let (sweep, la, lb) = paired(a, b, independent)?;
    let reps = sweep.points[0].scenario.model.run.replications;
    let seed = sweep.points[0].scenario.model.run.seed;
    print_warnings(a, &sweep);
    let dir = out.unwrap_or_else(|| PathBuf::from("output").join(&sweep.name));
    let header = header(&sweep, independent);
    let journal = Journal::create(&dir, &header)?;
    let options = RunOptions {
        journeys: journeys
            .then(|| Journeys::create(&dir, Label::Side))
            .transpose()?,
        ..RunOptions::default()
    };
    let (_, threads) = run_journaled(&sweep, &[0, 1], &options, &journal, Vec::new(), threads)?;
    let info = RunInfo {
        file: format!("{} vs {}", a.display(), b.display()),
        command_line: std::env::args().collect(),
        threads,
        started,
        finished: SystemTime::now(),
        shard: None,
        options: header.options.clone(),
        merged_from: Vec::new(),
    };
    let (_, stored) = journal::read(&dir)?;
    let mut diffs = Vec::new();
    let mut documents = Vec::new();
    report::write_sweep(
        &dir,
        &sweep,
        &stored,
        &info,
        report::SlotsKept::Every,
        &mut |_, doc, _, d| {
            documents.push(doc.clone());
            diffs = d.map(<[_]>::to_vec).unwrap_or_default();
        },
    )?;
    let diffs = &diffs;
    let doc = report::summary::Comparison {
        a: la.clone(),
        b: lb.clone(),
        replications: u64::from(reps),
        seed,
        common_random_numbers: !independent,
        differences: report::json::differences(diffs),
    };
    report::write_atomic(
        &dir.join("compare.json"),
        report::json::document("comparison", &doc).as_bytes(),
    )?;
    let headline =
        report::headline::Headline::of(&documents[0], documents.get(1), &doc.differences.0);
    output.print_json(&dir.join("compare.json"))?;
    if output.table() {
        print!(
            "{}",
            report::table::compare_styled(&la, &lb, &headline, diffs, colour())
        );
        eprintln!("\nwrote {}", dir.display());
    }
    if make {
        make_report(&dir)?;
    }
    Ok(())
}

/// The journal's header of a comparison: two points, and whether B ran
/// on independent streams.
fn header(sweep: &Sweep, independent: bool) -> Header {
    Header {
        tool_version: env!("CARGO_PKG_VERSION").into(),
        scenario: sweep.name.clone(),
        content_hash: sweep.content_hash.clone(),
        points: 2,
        shard: None,
        options: if independent {
            "independent streams".into()
        } else {
            String::new()
        },
        source: String::new(),
    }
}

/// The one scenario of `file`, refusing a file with a `[sweep]` (compare
/// would otherwise take its base and ignore the axes).
fn single(file: &Path) -> Result<scenario::Scenario> {
    let mut sweep = scenario::load_sweep(file)?;
    if !sweep.axes.is_empty() {
        bail!(
            "{}: has a [sweep] ({} points over {}); compare takes two scenarios without one. \
             Run the sweep with `tiersim sweep {}` (each point is compared with its baseline point), \
             or compare two files without [sweep]",
            file.display(),
            sweep.points.len(),
            sweep.axes.join(", "),
            file.display()
        );
    }
    Ok(sweep.points.remove(0).scenario)
}

/// How the clients of `a` and `b` differ (segments, their rates, request
/// and channel mixes, the calendar); empty when both see the same clients.
fn clients_differ(a: &Model, b: &Model) -> Vec<String> {
    let mut out = Vec::new();
    let names = |m: &Model| {
        m.segments
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
    };
    if names(a) != names(b) {
        out.push(format!(
            "segments {} vs {}",
            names(a).join(", "),
            names(b).join(", ")
        ));
        return out;
    }
    let requests = |m: &Model| {
        m.requests
            .iter()
            .map(|r| r.name.clone())
            .collect::<Vec<_>>()
    };
    let channels = |m: &Model| {
        m.channels
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    for (sa, sb) in a.segments.iter().zip(&b.segments) {
        if sa.rate_per_hour != sb.rate_per_hour {
            out.push(format!(
                "segment `{}`: rate_per_hour {} vs {}",
                sa.name, sa.rate_per_hour, sb.rate_per_hour
            ));
        }
        if requests(a) != requests(b) || sa.requests != sb.requests {
            out.push(format!("segment `{}`: request mix", sa.name));
        }
        if channels(a) != channels(b) || sa.channels != sb.channels {
            out.push(format!("segment `{}`: channel mix", sa.name));
        }
    }
    let week = |m: &Model| {
        m.week
            .as_ref()
            .map(|w| (w.start_day, w.day_factors, w.profile.clone()))
    };
    if week(a) != week(b) {
        out.push("calendar (day factors or profile)".into());
    }
    if a.run.horizon != b.run.horizon || a.run.warmup != b.run.warmup {
        out.push(format!(
            "horizon/warmup {}/{} vs {}/{}",
            a.run.horizon, a.run.warmup, b.run.horizon, b.run.warmup
        ));
    }
    out
}

/// Gives `to` (named `to_name`), when it has no `[cost]`, the hourly
/// rates of `from` by tier name, so that the two staff costs are compared
/// at one set of prices; says so, or why it cannot (a staffed tier of
/// `to` that `from` does not price).
fn borrow_cost(
    to: &mut scenario::Scenario,
    from: &scenario::Scenario,
    to_name: &str,
    from_name: &str,
) {
    let (None, Some(cost)) = (&to.goals.cost, &from.goals.cost) else {
        return;
    };
    let rate = |name: &str| {
        let t = from.model.tiers.iter().position(|t| t.name == name)?;
        (!from.model.tiers[t].servers.is_unlimited()).then(|| cost.hourly[t])
    };
    let mut hourly = Vec::with_capacity(to.model.tiers.len());
    let mut unpriced = Vec::new();
    for t in &to.model.tiers {
        match (t.servers.is_unlimited(), rate(&t.name)) {
            (true, _) => hourly.push(0.0),
            (false, Some(r)) => hourly.push(r),
            (false, None) => unpriced.push(t.name.as_str()),
        }
    }
    if !unpriced.is_empty() {
        eprintln!(
            "note: {to_name} has no [cost] and {from_name} prices no tier {}, so {to_name}'s staff cost is not computed; \
             add a [cost] to {to_name} to compare costs",
            unpriced.join(", ")
        );
        return;
    }
    eprintln!(
        "note: {to_name} has no [cost]: its staff is costed at {from_name}'s hourly rates, tier by tier"
    );
    to.goals.cost = Some(crate::scenario::Cost {
        hourly,
        // Tier by tier: groups cost their tier's rate.
        group_hourly: Vec::new(),
        ..cost.clone()
    });
}

/// A and B as the two points of a sweep whose baseline is A, B with A's
/// seed (or an independent one) and replications; and their labels.
fn paired(a: &Path, b: &Path, independent: bool) -> Result<(Sweep, String, String)> {
    let (sa, sb) = (single(a)?, single(b)?);
    let differ = clients_differ(&sa.model, &sb.model);
    if !differ.is_empty() {
        eprintln!(
            "warning: A and B do not see the same clients ({}): the differences below include the change \
             of demand, not only of the design; compare designs on one arrival model",
            differ.join("; ")
        );
    }
    let (mut sa, mut sb) = (sa, sb);
    borrow_cost(&mut sa, &sb, "A", "B");
    borrow_cost(&mut sb, &sa, "B", "A");
    let (seed, reps) = (sa.model.run.seed, sa.model.run.replications);
    if sb.model.run.seed != seed || sb.model.run.replications != reps {
        eprintln!(
            "note: B runs with A's seed ({seed}) and replications ({reps}) so that both see the same clients"
        );
    }
    sb.model.run.seed = if independent {
        seed ^ 0x5DEE_CE66_D1CE_4E5B
    } else {
        seed
    };
    sb.model.run.replications = reps;
    let (na, nb) = (sa.model.name.clone(), sb.model.name.clone());
    let (la, lb) = if na == nb {
        (format!("A:{na}"), format!("B:{nb}"))
    } else {
        (na.clone(), nb.clone())
    };
    // The files as they run (merged with what they `extend`).
    let mut both = scenario::expanded_text(a)?;
    both.push_str(&scenario::expanded_text(b)?);
    let sweep = Sweep {
        name: format!("{na}-vs-{nb}"),
        content_hash: scenario::sweep::content_hash(both.as_bytes()),
        axes: vec!["scenario".into()],
        points: vec![
            scenario::Point {
                name: la.clone(),
                parameters: vec![("scenario".into(), toml::Value::String(la.clone()))],
                scenario: sa,
            },
            scenario::Point {
                name: lb.clone(),
                parameters: vec![("scenario".into(), toml::Value::String(lb.clone()))],
                scenario: sb,
            },
        ],
        baseline: Some(0),
    };
    Ok((sweep, la, lb))
}
