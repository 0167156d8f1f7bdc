//! Scenario files (TOML) into validated models: the only place for
//! user-facing validation. Every problem is reported with file, line,
//! column and field, what is allowed, and the nearest valid name for a
//! misspelling.
//!
//! One file per table of the format (`run.rs`, `calendar.rs`, `request.rs`,
//! `channel.rs`, `levers.rs`, `outcomes.rs`, `tier/`, `segment.rs`,
//! `targets.rs`, `sweep.rs`), `extend.rs` (a file that extends another), `remedy.rs` (named changes on top), `sensitivity.rs` (a tornado's ranges), values shared by tables in `dist.rs`, rules
//! across tables in `network.rs`, the documented size limits in `limits.rs`,
//! warnings in `warnings.rs`, and the
//! reporting machinery in `diagnostics.rs`. Tables are resolved in the
//! order their dependencies need (tier kinds, request types, calendar,
//! channels, levers, tiers, segments), so each is built once, complete.

mod agents;
mod brackets;
mod calendar;
mod channel;
mod chasing;
mod day_effect;
mod diagnostics;
mod dist;
pub mod duration;
pub mod extend;
pub mod file;
mod levers;
mod limits;
mod network;
mod outcomes;
mod promotion;
pub mod raw;
mod redial;
pub mod remedy;
mod repeat;
mod request;
pub mod retention;
pub mod risk;
mod run;
mod segment;
pub mod sensitivity;
mod service_factors;
pub mod sweep;
pub mod targets;
#[cfg(test)]
mod testing;
mod tier;
pub mod trace;
mod virtual_hold;
mod warnings;
pub mod workforce;
pub use warnings::WarningPlaces;

pub use sweep::{Point, Sweep, load_sweep, parse_sweep, parse_sweep_bytes};
pub use targets::{Bound, Cost, Goals, PlanRules, Target};

use std::path::Path;

// Shared with the tables' files (`targets.rs` reaches them as `super::`).
pub(crate) use calendar::clock;
pub(crate) use diagnostics::{Checker, list};

use crate::error::{Error, Problem, ScenarioError};
use crate::model::{Model, Segment, Tier, mean_offered_loads};
use diagnostics::line_column;
use raw::RawScenario;
use segment::SegmentContext;
use tier::TierContext;

/// A validated scenario: the model, plus warnings that do not stop a run.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The model to simulate.
    pub model: Model,
    /// Things the user should know (e.g. a tier loaded at or over capacity).
    pub warnings: Vec<String>,
    /// Targets, costs and planning rules (`[targets]`, `[cost]`, `[plan]`).
    pub goals: Goals,
}

/// Probabilities out of a tier may exceed 1 by at most this (rounding in
/// files such as 0.1 + 0.2 + 0.7).
const PROBABILITY_SLACK: f64 = 1e-9;

/// Reads and validates the scenario file at `path` (merged with the files
/// it `extends`, every remedy applied).
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let package = remedy::Package::load(path)?;
    package.scenario(&package.chosen(&remedy::Choice::All)?)
}

/// The scenario file at `path` merged with the files it `extends` (its
/// `[[remedy]]` tables kept), as TOML; as written when it extends none.
pub fn expanded_text(path: &Path) -> Result<String, Error> {
    let source = file::read(path)?;
    let file = path.display().to_string();
    let text = text(&source, &file)?;
    Ok(match extend::expand(path, text)? {
        Some(x) => x.text,
        None => text.to_string(),
    })
}

/// The bytes of scenario file `file` as text, or a scenario error saying it
/// is not a text file.
pub fn text<'b>(bytes: &'b [u8], file: &str) -> Result<&'b str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
            e.valid_up_to(),
        );
        Error::Scenario(ScenarioError {
            rendered: format!(
                "error: {file}:{line}:{column}: not a text file (byte {} is not valid UTF-8); a scenario is a TOML file\n",
                e.valid_up_to() + 1
            ),
            file: file.to_string(),
            problems: vec![Problem {
                line,
                column,
                field: String::new(),
                message: "not valid UTF-8".into(),
            }],
        })
    })
}

/// Parses and validates scenario `source`; `file` names it in messages.
pub fn parse(source: &str, file: &str) -> Result<Scenario, Error> {
    let mut checker = Checker::new(source, file);
    if let Some((span, key)) = limits::deep_key(source) {
        checker.problem(
            span,
            key,
            format!(
                "a dotted key of more than {} parts; allowed: the format's keys (at most 4 parts); this limit cannot be raised",
                limits::MAX_KEY_PARTS
            ),
        );
        return Err(checker.into_error());
    }
    let raw: RawScenario = match toml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            checker.syntax(&e);
            return Err(checker.into_error());
        }
    };
    match checker.model(&raw) {
        Some(model) if checker.problems.is_empty() => {
            let goals = checker.goals(&raw, &model);
            if !checker.problems.is_empty() {
                return Err(checker.into_error());
            }
            let warnings = warnings::warnings(&model);
            Ok(Scenario {
                model,
                warnings,
                goals,
            })
        }
        _ => Err(checker.into_error()),
    }
}

impl Checker<'_> {
    /// The model of a raw scenario, each table resolved once, after the
    /// tables it depends on; `None` when a part cannot be built (its
    /// problems are recorded).
    fn model(&mut self, raw: &RawScenario) -> Option<Model> {
        let name = self.scenario_name(raw);
        let run = self.run(raw);
        let tier_names = self.names(raw.tier.iter().map(|t| &t.get_ref().name), "tier");
        let segment_names = self.names(raw.segment.iter().map(|s| &s.get_ref().name), "segment");
        let request_names = self.names(raw.request.iter().map(|r| &r.get_ref().name), "request");
        self.required_tables(raw);
        let kinds = self.tier_kinds(raw);
        let requests = self.requests(raw, &tier_names, &kinds);
        let week = self.week(raw);
        let channel_names = self.names(raw.channel.iter().map(|c| &c.get_ref().name), "channel");
        let channels = self.channels(raw, week.as_ref(), &tier_names);
        let levers = self.levers(raw, &tier_names, &kinds);
        let cx = TierContext {
            names: &tier_names,
            segments: &segment_names,
            requests: &request_names,
            kinds: &kinds,
            week: week.as_ref(),
            at: &requests.at,
            training: &levers.training,
            v2: outcomes::opts_into_v2(raw),
        };
        let tiers: Vec<Option<Tier>> = raw
            .tier
            .iter()
            .enumerate()
            .map(|(j, t)| self.tier(j, t.get_ref(), &cx))
            .collect();
        let cx = SegmentContext {
            tiers: &tier_names,
            requests: &request_names,
            channels: &channel_names,
            week: week.as_ref(),
            kinds: &kinds,
            built: &tiers,
            horizon: run.horizon,
        };
        let segments: Vec<Option<Segment>> =
            raw.segment.iter().map(|s| self.segment(s, &cx)).collect();
        let outcomes = self.outcomes(raw).map(|o| levers.outcomes(o));
        let risk = self.risk(raw, &kinds, &request_names);
        let retention = self.retention(raw);
        let tiers: Vec<Tier> = tiers.into_iter().collect::<Option<_>>()?;
        let segments: Vec<Segment> = segments.into_iter().collect::<Option<_>>()?;
        self.network(raw, &tiers, &segments, &requests.types, &tier_names);
        let outcomes = outcomes?;
        let model = Model {
            name,
            run,
            segments,
            tiers,
            requests: requests.types,
            outcomes,
            week,
            selling_minutes: levers.selling_minutes,
            channels,
            risk,
            retention,
        };
        Some(self.checked(raw, model))
    }

    /// The problems of a file without a segment or without a tier.
    fn required_tables(&mut self, raw: &RawScenario) {
        if raw.segment.is_empty() {
            self.problem(
                0..0,
                "segment",
                "no `[[segment]]`: a scenario needs at least one client segment",
            );
        }
        if raw.tier.is_empty() {
            self.problem(
                0..0,
                "tier",
                "no `[[tier]]`: a scenario needs at least one tier",
            );
        }
    }

    /// The built `model`, its limits checked: a design that cannot keep up
    /// and has nothing to bound its queue stops at the horizon rather than
    /// draining for ever.
    fn checked(&mut self, raw: &RawScenario, mut model: Model) -> Model {
        if self.problems.is_empty() {
            self.limits(raw, &model);
        }
        if raw.run.get_ref().drain_limit.is_none()
            && self.problems.is_empty()
            && mean_offered_loads(&model).iter().any(|l| l.unbounded)
        {
            model.run.drain_limit = 0.0;
        }
        model
    }
}
