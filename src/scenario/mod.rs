//! Scenario files (TOML) into validated models: the only place for
//! user-facing validation. Every problem is reported with file, line,
//! column and field, what is allowed, and the nearest valid name for a
//! misspelling.

pub mod raw;
mod service;
pub mod sweep;
pub mod targets;

pub use sweep::{Point, Sweep, load_sweep, parse_sweep, parse_sweep_bytes};
pub use targets::{Bound, Cost, Goals, PlanRules, Target};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::NoColor};
use toml::Spanned;

use crate::engine::Dist;
use crate::error::{Error, Problem, ScenarioError};
use crate::model::week::{DAY, DAYS};
use crate::model::{
    CallbackRules, DEFAULT_MAX_CLIENTS_INSIDE, Discipline, Escalation, Handoff, Model, Outcomes,
    RequestType, Roster, RunControl, Segment, Shift, Tier, TierKind, Transfer, Week,
    mean_offered_loads,
};
use raw::{RawDist, RawScenario};

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

/// Reads and validates the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, Error> {
    let source = std::fs::read(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let file = path.display().to_string();
    parse(text(&source, &file)?, &file)
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
            let warnings = warnings(&model);
            Ok(Scenario {
                model,
                warnings,
                goals,
            })
        }
        _ => Err(checker.into_error()),
    }
}

/// Loads that the user should hear about before a run.
fn warnings(model: &Model) -> Vec<String> {
    let mut out = service::roster_gaps(model);
    out.extend(overloads(model));
    out
}

/// Tiers loaded at or over capacity with nothing to bound their queue.
fn overloads(model: &Model) -> Vec<String> {
    mean_offered_loads(model)
        .into_iter()
        .filter(|l| l.unbounded)
        .map(|l| {
            format!(
                "tier `{}` is loaded at or over capacity: offered load {:.2} Erlangs on {} servers \
                 (utilization {:.2}) with no patience and no queue capacity to bound its queue; \
                 the queue grows for the whole run and the run stops at the horizon",
                l.tier, l.offered_load, l.servers, l.utilization
            )
        })
        .collect()
}

/// The distribution kinds and the parameters each takes.
const DISTS: [(&str, &[&str]); 7] = [
    ("exponential", &["mean"]),
    ("deterministic", &["mean"]),
    ("erlang", &["mean", "k"]),
    ("gamma", &["mean", "cv"]),
    ("lognormal", &["mean", "cv"]),
    ("uniform", &["low", "high"]),
    ("empirical", &["values"]),
];

/// P(sale) per service contact when a request type does not say
/// (parameters.md §9.7: about 15% of contacts see a cross-sale attempt, an
/// assumed 20% of which succeed).
const DEFAULT_SALE_PROBABILITY: f64 = 0.03;

/// The wait a segment tolerates when it does not say, minutes: the phone
/// hold tolerance of parameters.md §9.4.
const DEFAULT_TOLERANCE: f64 = 2.0;

/// Probabilities out of a tier may exceed 1 by at most this (rounding in
/// files such as 0.1 + 0.2 + 0.7).
const PROBABILITY_SLACK: f64 = 1e-9;

/// Collects problems while turning a raw scenario into a model.
pub(crate) struct Checker<'s> {
    source: &'s str,
    file: &'s str,
    problems: Vec<(Range<usize>, String, String)>,
}

impl<'s> Checker<'s> {
    pub(crate) fn new(source: &'s str, file: &'s str) -> Self {
        Checker {
            source,
            file,
            problems: Vec::new(),
        }
    }

    pub(crate) fn problem(
        &mut self,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push((span, field.into(), message.into()));
    }

    /// A TOML syntax or type error, with a suggestion for unknown fields.
    fn syntax(&mut self, e: &toml::de::Error) {
        let span = e.span().unwrap_or(0..0);
        let mut message = e.message().trim().to_string();
        if let Some(hint) = unknown_field_hint(&message) {
            message.push_str(&hint);
        }
        if message.contains("overflowed") {
            message.push_str("; allowed: a finite number (at most about 1.8e308)");
        }
        // A missing field is named by the message, not by the line.
        let field = if message.starts_with("missing field") {
            if span.start == 0 {
                message.push_str(
                    "; a scenario needs at least `name`, `[run]` (with `horizon` and \
                     `service_level_threshold`), one `[[segment]]` and one `[[tier]]`",
                );
            }
            String::new()
        } else {
            self.key_at(span.start)
        };
        self.problem(span, field, message);
    }

    /// The key written on the line holding byte `at`, for messages about
    /// TOML errors that name no field.
    fn key_at(&self, at: usize) -> String {
        let start = self.source[..at.min(self.source.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = self.source[start..].lines().next().unwrap_or("");
        if line.trim_start().starts_with('#') {
            return String::new();
        }
        line.split('=')
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string()
    }

    pub(crate) fn into_error(self) -> Error {
        let file = SimpleFile::new(self.file, self.source);
        let config = term::Config::default();
        let mut out = NoColor::new(Vec::new());
        let mut problems = Vec::new();
        let mut sorted = self.problems;
        sorted.sort_by_key(|(span, _, _)| span.start);
        for (span, field, message) in sorted {
            let (line, column) = line_column(self.source, span.start);
            let header = if field.is_empty() {
                format!("{}:{line}:{column}: {message}", self.file)
            } else {
                format!("{}:{line}:{column}: field `{field}`: {message}", self.file)
            };
            let label_span = if span.is_empty() && span.start < self.source.len() {
                span.start..span.start + 1
            } else {
                span.clone()
            };
            let diagnostic = Diagnostic::error()
                .with_message(header)
                .with_labels(vec![Label::primary((), label_span)]);
            // Rendering into memory cannot fail for spans inside the source.
            let _ = term::emit(&mut out, &config, &file, &diagnostic);
            problems.push(Problem {
                line,
                column,
                field,
                message,
            });
        }
        Error::Scenario(ScenarioError {
            file: self.file.to_string(),
            problems,
            rendered: String::from_utf8_lossy(out.get_ref()).into_owned(),
        })
    }

    /// A finite number, checked against `ok` (described by `allowed`).
    fn number(
        &mut self,
        v: &Spanned<f64>,
        field: &str,
        ok: impl Fn(f64) -> bool,
        allowed: &str,
    ) -> f64 {
        let x = *v.get_ref();
        if !x.is_finite() || !ok(x) {
            self.problem(v.span(), field, format!("got {x}; allowed: {allowed}"));
        }
        x
    }

    fn positive(&mut self, v: &Spanned<f64>, field: &str) -> f64 {
        self.number(v, field, |x| x > 0.0, "a finite number > 0")
    }

    fn non_negative(&mut self, v: &Spanned<f64>, field: &str) -> f64 {
        self.number(v, field, |x| x >= 0.0, "a finite number >= 0")
    }

    fn model(&mut self, raw: &RawScenario) -> Option<Model> {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
            self.problem(
                raw.name.span(),
                "name",
                "allowed: a non-empty name without `/` or `\\` that does not start with `.` (it names the output folder)",
            );
        }
        let run = self.run(raw);
        let tier_names = self.names(raw.tier.iter().map(|t| &t.get_ref().name), "tier");
        let segment_names = self.names(raw.segment.iter().map(|s| &s.get_ref().name), "segment");
        let request_names = self.names(raw.request.iter().map(|r| &r.get_ref().name), "request");
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
        let requests = self.requests(raw);
        let week = self.week(raw);
        let channel_names = self.names(raw.channel.iter().map(|c| &c.get_ref().name), "channel");
        let channels = self.channels(raw, week.as_ref(), &tier_names);
        let segments: Vec<Option<Segment>> = raw
            .segment
            .iter()
            .map(|s| {
                self.segment(
                    s,
                    &tier_names,
                    &request_names,
                    &channel_names,
                    week.as_ref(),
                )
            })
            .collect();
        let tiers: Vec<Option<Tier>> = raw
            .tier
            .iter()
            .map(|t| {
                self.tier(
                    t.get_ref(),
                    &tier_names,
                    &segment_names,
                    &request_names,
                    week.as_ref(),
                )
            })
            .collect();
        let outcomes = self.outcomes(raw);
        let segments: Option<Vec<Segment>> = segments.into_iter().collect();
        let tiers: Option<Vec<Tier>> = tiers.into_iter().collect();
        let (run, mut segments, mut tiers) = (run?, segments?, tiers?);
        self.request_overrides(raw, &mut tiers, &tier_names, segments.len());
        let (outcomes, selling_minutes) = self.levers(raw, &mut tiers, &tier_names, outcomes);
        self.service_model(raw, &mut tiers, &mut segments, &requests, &tier_names);
        self.routes_exit(raw, &tiers, &requests);
        for (raw_tier, tier) in raw.tier.iter().zip(&tiers) {
            if tier.preemptive && tier.discipline == Discipline::Fifo {
                let span = raw_tier
                    .get_ref()
                    .preemptive
                    .as_ref()
                    .map_or(0..0, |p| p.span());
                self.problem(
                    span,
                    format!("tier.{}.preemptive", tier.name),
                    "preemption needs priorities; allowed with discipline = \"priority\" only",
                );
            }
        }
        let mut model = Model {
            name,
            run,
            segments,
            tiers,
            requests,
            outcomes: outcomes?,
            week,
            selling_minutes,
            channels,
        };
        // A design that cannot keep up and has nothing to bound its queue
        // stops at the horizon rather than draining for ever.
        if raw.run.get_ref().drain_limit.is_none()
            && self.problems.is_empty()
            && mean_offered_loads(&model).iter().any(|l| l.unbounded)
        {
            model.run.drain_limit = 0.0;
        }
        Some(model)
    }

    /// The request types; one implicit type (`default`) when the file
    /// declares none.
    fn requests(&mut self, raw: &RawScenario) -> Vec<RequestType> {
        let tiers: Vec<String> = raw
            .tier
            .iter()
            .map(|t| t.get_ref().name.get_ref().clone())
            .collect();
        if raw.request.is_empty() {
            return vec![RequestType {
                name: "default".into(),
                sale_probability: DEFAULT_SALE_PROBABILITY,
                revenue_per_sale: 0.0,
                entry: None,
                complexity: None,
                back_office: Vec::new(),
                promised_turnaround: f64::INFINITY,
            }];
        }
        raw.request
            .iter()
            .map(|r| {
                let r = r.get_ref();
                let field = |f: &str| format!("request.{}.{f}", r.name.get_ref());
                let probability =
                    r.sale_probability
                        .as_ref()
                        .map_or(DEFAULT_SALE_PROBABILITY, |p| {
                            self.number(
                                p,
                                &field("sale_probability"),
                                |x| (0.0..=1.0).contains(&x),
                                "a probability in [0, 1]",
                            )
                        });
                let revenue = r
                    .revenue_per_sale
                    .as_ref()
                    .map_or(0.0, |v| self.non_negative(v, &field("revenue_per_sale")));
                let entry = r
                    .entry
                    .as_ref()
                    .and_then(|e| self.reference(e, &tiers, &field("entry"), "tier"));
                let complexity = r
                    .complexity
                    .as_ref()
                    .and_then(|d| self.dist(d, &field("complexity")));
                let back_office =
                    self.tier_list(r.back_office.as_deref(), &tiers, &field("back_office"));
                let promised = r
                    .promised_turnaround_hours
                    .as_ref()
                    .map_or(f64::INFINITY, |h| {
                        60.0 * self.positive(h, &field("promised_turnaround_hours"))
                    });
                RequestType {
                    name: r.name.get_ref().clone(),
                    sale_probability: probability,
                    revenue_per_sale: revenue,
                    entry,
                    complexity,
                    back_office,
                    promised_turnaround: promised,
                }
            })
            .collect()
    }

    /// `[outcomes]`, each coefficient defaulting to the evidence.
    fn outcomes(&mut self, raw: &RawScenario) -> Option<Outcomes> {
        let mut o = Outcomes::default();
        let Some(r) = &raw.outcomes else {
            return Some(o);
        };
        let r = r.get_ref();
        let before = self.problems.len();
        let probability = |c: &mut Self, v: &Option<Spanned<f64>>, field: &str, slot: &mut f64| {
            if let Some(v) = v {
                *slot = c.number(
                    v,
                    &format!("outcomes.{field}"),
                    |x| (0.0..=1.0).contains(&x),
                    "a probability in [0, 1]",
                );
            }
        };
        let coefficient = |c: &mut Self, v: &Option<Spanned<f64>>, field: &str, slot: &mut f64| {
            if let Some(v) = v {
                *slot = c.non_negative(v, &format!("outcomes.{field}"));
            }
        };
        probability(
            self,
            &r.complaint_if_top_box,
            "complaint_if_top_box",
            &mut o.complaint_if_top_box,
        );
        probability(
            self,
            &r.complaint_otherwise,
            "complaint_otherwise",
            &mut o.complaint_otherwise,
        );
        probability(
            self,
            &r.formal_complaint_kappa,
            "formal_complaint_kappa",
            &mut o.formal_complaint_kappa,
        );
        probability(
            self,
            &r.bot_sale_factor,
            "bot_sale_factor",
            &mut o.bot_sale_factor,
        );
        probability(
            self,
            &r.loyalty_ratio,
            "loyalty_ratio",
            &mut o.loyalty_ratio,
        );
        coefficient(self, &r.beta_wait, "beta_wait", &mut o.beta_wait);
        coefficient(
            self,
            &r.beta_transfer,
            "beta_transfer",
            &mut o.beta_transfer,
        );
        coefficient(
            self,
            &r.beta_unresolved,
            "beta_unresolved",
            &mut o.beta_unresolved,
        );
        coefficient(self, &r.beta_repeat, "beta_repeat", &mut o.beta_repeat);
        coefficient(
            self,
            &r.beta_back_office,
            "beta_back_office",
            &mut o.beta_back_office,
        );
        if let Some(v) = &r.top_box_ideal {
            o.top_box_ideal = self.number(
                v,
                "outcomes.top_box_ideal",
                |x| x > 0.0 && x < 1.0,
                "a probability strictly between 0 and 1",
            );
        }
        if let Some(v) = &r.loss_aversion {
            o.loss_aversion = self.positive(v, "outcomes.loss_aversion");
        }
        (self.problems.len() == before).then_some(o)
    }

    fn run(&mut self, raw: &RawScenario) -> Option<RunControl> {
        let r = raw.run.get_ref();
        let horizon = self.positive(&r.horizon, "run.horizon");
        let warmup = r
            .warmup
            .as_ref()
            .map_or(0.0, |w| self.non_negative(w, "run.warmup"));
        if let Some(w) = &r.warmup
            && warmup >= horizon
            && horizon.is_finite()
        {
            self.problem(
                    w.span(),
                    "run.warmup",
                    format!("got {warmup}, not below run.horizon = {horizon}; allowed: 0 <= warmup < horizon"),
                );
        }
        let replications = r.replications.as_ref().map_or(10, |v| *v.get_ref());
        if replications == 0 {
            let span = r.replications.as_ref().map_or(0..0, |v| v.span());
            self.problem(span, "run.replications", "got 0; allowed: an integer >= 1");
        }
        let threshold = match &r.service_level_threshold {
            Some(v) => self.non_negative(v, "run.service_level_threshold"),
            None => {
                self.problem(
                    raw.run.span(),
                    "run.service_level_threshold",
                    "missing; give the wait in minutes within which service should start (e.g. 0.333 for 20 seconds)",
                );
                0.0
            }
        };
        // `inf` (drain until every client has left) is allowed here only.
        let drain_limit = r.drain_limit.as_ref().map_or(f64::INFINITY, |d| {
            if *d.get_ref() == f64::INFINITY {
                return f64::INFINITY;
            }
            self.number(d, "run.drain_limit", |x| x >= 0.0, "a number >= 0 or inf")
        });
        let max_clients_inside = match &r.max_clients_inside {
            Some(m) if *m.get_ref() == 0 => {
                self.problem(
                    m.span(),
                    "run.max_clients_inside",
                    "got 0; allowed: an integer >= 1 (default 1000000)",
                );
                0
            }
            Some(m) => *m.get_ref(),
            None => DEFAULT_MAX_CLIENTS_INSIDE,
        };
        Some(RunControl {
            horizon,
            warmup,
            replications,
            seed: r.seed.as_ref().map_or(1, |s| *s.get_ref()),
            service_level_threshold: threshold,
            drain_limit,
            max_clients_inside,
        })
    }

    /// Checks names are unique and well formed; returns them in file order.
    fn names<'a>(
        &mut self,
        names: impl Iterator<Item = &'a Spanned<String>>,
        kind: &str,
    ) -> Vec<String> {
        let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
        let mut out = Vec::new();
        for n in names {
            let name = n.get_ref().as_str();
            if name.trim().is_empty() || name.contains(['.', '/', '\\', '"']) {
                self.problem(
                    n.span(),
                    format!("{kind}.name"),
                    "allowed: a non-empty name without `.`, `/`, `\\` or `\"`",
                );
            }
            if seen.insert(name, ()).is_some() {
                self.problem(
                    n.span(),
                    format!("{kind}.name"),
                    format!("duplicate {kind} name `{name}`; each {kind} needs its own name"),
                );
            }
            out.push(name.to_string());
        }
        out
    }

    /// Looks up a name among `known`, reporting a miss with the nearest name.
    fn reference(
        &mut self,
        name: &Spanned<String>,
        known: &[String],
        field: &str,
        kind: &str,
    ) -> Option<usize> {
        let found = known.iter().position(|k| k == name.get_ref());
        if found.is_none() {
            let mut message = format!(
                "no {kind} named `{}`; allowed: {}",
                name.get_ref(),
                list(known.iter().map(String::as_str))
            );
            if let Some(near) = nearest(name.get_ref(), known.iter().map(String::as_str)) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            self.problem(name.span(), field, message);
        }
        found
    }

    fn segment(
        &mut self,
        raw: &Spanned<raw::RawSegment>,
        tiers: &[String],
        requests: &[String],
        channels: &[String],
        week: Option<&Week>,
    ) -> Option<Segment> {
        let s = raw.get_ref();
        let name = s.name.get_ref().clone();
        let field = |f: &str| format!("segment.{name}.{f}");
        let rate = self.positive(&s.rate_per_hour, &field("rate_per_hour"));
        let patience = match &s.patience {
            Some(p) => Some(self.dist(p, &field("patience"))?),
            None => None,
        };
        let entry = match &s.entry {
            Some(e) => self.reference(e, tiers, &field("entry"), "tier")?,
            None => 0,
        };
        let tolerance = s
            .tolerance
            .as_ref()
            .map_or(DEFAULT_TOLERANCE, |t| self.positive(t, &field("tolerance")));
        let mix = match (&s.requests, requests.is_empty()) {
            (None, true) => vec![1.0],
            (Some(m), true) => {
                self.problem(
                    m.span(),
                    field("requests"),
                    "no `[[request]]` types are declared; declare them before giving a mix",
                );
                return None;
            }
            (None, false) => {
                self.problem(
                    raw.span(),
                    field("requests"),
                    format!("missing; give the share of each request type, e.g. requests = {{ {} = 1.0 }}", requests[0]),
                );
                return None;
            }
            (Some(m), false) => self.mix(m, requests, &field("requests"), "request type"),
        };
        let channel_mix = self.channel_mix(raw, channels);
        let back_office = self.tier_list(s.back_office.as_deref(), tiers, &field("back_office"));
        Some(Segment {
            rate_per_hour: rate,
            patience,
            priority: s.priority.as_ref().map_or(0, |p| *p.get_ref()),
            entry,
            requests: mix,
            tolerance,
            arrival_profile: week.map(|w| w.arrival_rate(rate / 60.0)),
            channels: channel_mix,
            back_office,
            book: None,
            name,
        })
    }

    /// A `{ name = share }` table over `names`: shares in [0, 1] summing
    /// to 1.
    fn mix(
        &mut self,
        m: &Spanned<BTreeMap<Spanned<String>, Spanned<f64>>>,
        names: &[String],
        field: &str,
        kind: &str,
    ) -> Vec<f64> {
        let mut mix = vec![0.0; names.len()];
        let before = self.problems.len();
        for (k, v) in m.get_ref() {
            let p = self.number(v, field, |x| (0.0..=1.0).contains(&x), "a share in [0, 1]");
            if let Some(r) = self.reference(k, names, field, kind) {
                mix[r] = p;
            }
        }
        let total: f64 = mix.iter().sum();
        if self.problems.len() == before && (total - 1.0).abs() > 1e-6 {
            self.problem(
                m.span(),
                field,
                format!(
                    "shares sum to {}; allowed: a mix summing to 1",
                    rounded(total)
                ),
            );
        }
        mix
    }

    fn tier(
        &mut self,
        t: &raw::RawTier,
        tiers: &[String],
        segments: &[String],
        requests: &[String],
        week: Option<&Week>,
    ) -> Option<Tier> {
        let name = t.name.get_ref().clone();
        let field = |f: &str| format!("tier.{name}.{f}");
        let kind = match t.kind.as_ref().map(|k| k.get_ref().as_str()) {
            None | Some("staffed") => TierKind::Staffed,
            Some("chatbot") => TierKind::Chatbot,
            Some("back_office") => TierKind::BackOffice,
            Some("dedicated") => TierKind::Dedicated,
            Some(other) => {
                let span = t.kind.as_ref().map_or(0..0, |k| k.span());
                self.problem(
                    span,
                    field("kind"),
                    unknown_word(
                        "kind",
                        other,
                        &["staffed", "chatbot", "back_office", "dedicated"],
                    ),
                );
                TierKind::Staffed
            }
        };
        let chatbot = kind == TierKind::Chatbot;
        let roster = match (&t.shifts, chatbot) {
            (Some(shifts), false) => {
                self.roster(shifts, &field("shifts"), week.map_or(0, |w| w.start_day))
            }
            _ => None,
        };
        let servers = match (&t.servers, chatbot) {
            (Some(s), false) if roster.is_some() => {
                self.problem(
                    s.span(),
                    field("servers"),
                    "a tier with `shifts` takes its staffing from them; remove `servers`",
                );
                1
            }
            (None, false) if roster.is_some() => roster.as_ref().map_or(1, Roster::max).max(1),
            (Some(s), false) => {
                if *s.get_ref() == 0 {
                    self.problem(
                        s.span(),
                        field("servers"),
                        "got 0; allowed: an integer >= 1",
                    );
                }
                *s.get_ref()
            }
            // Shifts with problems (already reported) stand in for servers.
            (None, false) if t.shifts.is_some() => 1,
            (None, false) => {
                self.problem(
                    t.name.span(),
                    field("servers"),
                    "missing; a staffed tier needs `servers` (an integer >= 1) or `shifts`",
                );
                1
            }
            (_, true) => u32::MAX,
        };
        // What belongs to one kind of tier only.
        let misplaced: [(&str, Option<Range<usize>>, bool); 8] = [
            ("servers", t.servers.as_ref().map(Spanned::span), chatbot),
            (
                "shifts",
                t.shifts.as_ref().and_then(|s| s.first()).map(Spanned::span),
                chatbot,
            ),
            (
                "queue_capacity",
                t.queue_capacity.as_ref().map(Spanned::span),
                chatbot,
            ),
            (
                "preemptive",
                t.preemptive.as_ref().map(Spanned::span),
                chatbot,
            ),
            (
                "escalate",
                t.escalate
                    .as_ref()
                    .and_then(|e| e.first())
                    .map(Spanned::span),
                chatbot,
            ),
            (
                "resolves",
                t.resolves
                    .as_ref()
                    .and_then(|r| r.keys().next())
                    .map(Spanned::span),
                !chatbot,
            ),
            (
                "handoff_to",
                t.handoff_to.as_ref().map(Spanned::span),
                !chatbot,
            ),
            (
                "context_passed",
                t.context_passed.as_ref().map(Spanned::span),
                !chatbot,
            ),
        ];
        for (key, span, wrong) in misplaced {
            if let (Some(span), true) = (span, wrong) {
                let kind = if chatbot {
                    "a chatbot tier (kind = \"chatbot\")"
                } else {
                    "a staffed tier"
                };
                self.problem(
                    span,
                    field(key),
                    format!("`{key}` does not apply to {kind}"),
                );
            }
        }
        let service = self.dist(&t.service, &field("service"));
        let mut by_segment = vec![None; segments.len()];
        for (seg, dist) in t.service_by_segment.iter().flatten() {
            let index = self.reference(seg, segments, &field("service_by_segment"), "segment");
            let d = self.dist(
                dist,
                &format!("{}.{}", field("service_by_segment"), seg.get_ref()),
            );
            if let (Some(i), Some(d)) = (index, d) {
                by_segment[i] = Some(d);
            }
        }
        let discipline = match &t.discipline {
            None => Discipline::Priority,
            Some(d) => match d.get_ref().as_str() {
                "priority" => Discipline::Priority,
                "fifo" => Discipline::Fifo,
                other => {
                    self.problem(
                        d.span(),
                        field("discipline"),
                        unknown_word("discipline", other, &["priority", "fifo"]),
                    );
                    Discipline::Priority
                }
            },
        };
        let kinds = requests.len().max(1);
        let routes = if chatbot {
            let Some(to) = &t.handoff_to else {
                self.problem(
                    t.name.span(),
                    field("handoff_to"),
                    "missing; a chatbot needs the tier that takes what it does not resolve",
                );
                return None;
            };
            let to = self.reference(to, tiers, &field("handoff_to"), "tier")?;
            let mut resolves = vec![0.0; kinds];
            for (k, v) in t.resolves.iter().flatten() {
                let p = self.number(
                    v,
                    &field("resolves"),
                    |x| (0.0..=1.0).contains(&x),
                    "a share in [0, 1]",
                );
                if requests.is_empty() {
                    if k.get_ref() == "default" {
                        resolves[0] = p;
                    } else {
                        self.problem(
                            k.span(),
                            field("resolves"),
                            "no `[[request]]` types are declared; use `default` for all requests",
                        );
                    }
                } else if let Some(r) =
                    self.reference(k, requests, &field("resolves"), "request type")
                {
                    resolves[r] = p;
                }
            }
            resolves
                .iter()
                .map(|p| {
                    vec![Escalation {
                        to,
                        probability: 1.0 - p,
                    }]
                })
                .collect()
        } else {
            let routes = self.escalations(
                t.escalate.as_deref().unwrap_or(&[]),
                tiers,
                &field("escalate"),
                t.name.span(),
            )?;
            vec![routes; kinds]
        };
        let service = service?;
        let handoff = if !chatbot || t.context_passed.as_ref().is_some_and(|c| *c.get_ref()) {
            Handoff::Warm
        } else {
            Handoff::Cold
        };
        Some(Tier {
            servers,
            unlimited: chatbot,
            service: by_segment
                .into_iter()
                .flat_map(|d| std::iter::repeat_n(d.unwrap_or_else(|| service.clone()), kinds))
                .collect(),
            queue_capacity: t.queue_capacity.as_ref().map(|q| *q.get_ref()),
            preemptive: t.preemptive.as_ref().is_some_and(|p| *p.get_ref()),
            discipline,
            routes,
            handoff,
            roster,
            kind,
            skill: None,
            transfer: Transfer::Warm,
            handoff_minutes: 0.0,
            callback: CallbackRules::default(),
            sessions: 1,
            session_slowdown: 1.0,
            non_client_share: 0.0,
            outbound: None,
            name,
        })
    }

    /// `[levers]`: training multipliers applied to the tiers, the KPI
    /// regime to the outcome model; returns it and the selling minutes.
    fn levers(
        &mut self,
        raw: &RawScenario,
        tiers: &mut [Tier],
        names: &[String],
        outcomes: Option<Outcomes>,
    ) -> (Option<Outcomes>, f64) {
        let Some(l) = &raw.levers else {
            return (outcomes, 0.0);
        };
        let l = l.get_ref();
        let mut outcomes = outcomes;
        let share = |c: &mut Self, v: &Spanned<f64>, field: &str| {
            c.number(v, field, |x| (0.0..=1.0).contains(&x), "a number in [0, 1]")
        };
        if let Some(o) = outcomes.as_mut() {
            if let Some(k) = &l.kpi_pressure {
                o.kpi_pressure = share(self, k, "levers.kpi_pressure");
            }
            if let Some(m) = &l.mis_sale_max {
                o.mis_sale_max = share(self, m, "levers.mis_sale_max");
            }
        }
        let selling = l
            .selling_minutes
            .as_ref()
            .map_or(0.0, |v| self.non_negative(v, "levers.selling_minutes"));
        for (tier, training) in l.training.iter().flatten() {
            let Some(j) = self.reference(tier, names, "levers.training", "tier") else {
                continue;
            };
            let field = |f: &str| format!("levers.training.{}.{f}", tier.get_ref());
            let t = training.get_ref();
            if let Some(f) = &t.service {
                let f = self.positive(f, &field("service"));
                if f.is_finite() && f > 0.0 {
                    for d in tiers[j].service.iter_mut() {
                        *d = d.scaled(f);
                    }
                }
            }
            if let Some(e) = &t.escalation {
                let e_value = self.non_negative(e, &field("escalation"));
                if tiers[j].unlimited {
                    self.problem(
                        e.span(),
                        field("escalation"),
                        "a chatbot's hand-offs follow `resolves`; train staffed tiers",
                    );
                    continue;
                }
                for routes in tiers[j].routes.iter_mut() {
                    routes.iter_mut().for_each(|r| r.probability *= e_value);
                    let total: f64 = routes.iter().map(|r| r.probability).sum();
                    if total > 1.0 + PROBABILITY_SLACK {
                        self.problem(e.span(), field("escalation"), format!("escalation probabilities would sum to {total}; allowed: a multiplier keeping them <= 1"));
                        break;
                    }
                }
            }
        }
        (outcomes, selling)
    }

    /// `[calendar]`, or the default week when only rosters need a clock;
    /// `None` when the scenario has neither.
    fn week(&mut self, raw: &RawScenario) -> Option<Week> {
        let has_shifts = raw.tier.iter().any(|t| t.get_ref().shifts.is_some());
        let Some(c) = &raw.calendar else {
            return has_shifts.then(Week::default);
        };
        let c = c.get_ref();
        let mut week = Week::default();
        if let Some(m) = &c.slot_minutes {
            if [15, 30, 60].contains(m.get_ref()) {
                week.slot_minutes = *m.get_ref() as f64;
            } else {
                self.problem(
                    m.span(),
                    "calendar.slot_minutes",
                    format!("got {}; allowed: 15, 30 or 60", m.get_ref()),
                );
            }
        }
        if let Some(d) = &c.start_day {
            week.start_day = self.weekday(d, "calendar.start_day").unwrap_or(0);
        }
        for (day, factor) in c.day_factors.iter().flatten() {
            let f = self.non_negative(factor, "calendar.day_factors");
            if let Some(d) = self.weekday(day, "calendar.day_factors") {
                week.day_factors[d] = f;
            }
        }
        if let Some(profile) = &c.profile {
            week.profile = vec![0.0; DAY as usize];
            let mut covered = vec![false; DAY as usize];
            for (range, factor) in profile {
                let f = self.non_negative(factor, "calendar.profile");
                let Some((a, b)) = range.get_ref().split_once('-') else {
                    self.problem(
                        range.span(),
                        "calendar.profile",
                        format!(
                            "`{}` is not a time range; allowed: \"HH:MM-HH:MM\"",
                            range.get_ref()
                        ),
                    );
                    continue;
                };
                let (Some(a), Some(b)) = (clock(a.trim()), clock(b.trim())) else {
                    self.problem(
                        range.span(),
                        "calendar.profile",
                        format!("`{}`: times are HH:MM from 00:00 to 24:00", range.get_ref()),
                    );
                    continue;
                };
                if a >= b {
                    self.problem(
                        range.span(),
                        "calendar.profile",
                        format!(
                            "`{}` ends before it starts; allowed: a range within one day",
                            range.get_ref()
                        ),
                    );
                    continue;
                }
                if covered[a as usize..b as usize].iter().any(|c| *c) {
                    self.problem(
                        range.span(),
                        "calendar.profile",
                        format!("`{}` overlaps another range", range.get_ref()),
                    );
                    continue;
                }
                for m in a..b {
                    covered[m as usize] = true;
                    week.profile[m as usize] = f;
                }
            }
        }
        Some(week)
    }

    /// A weekday name.
    fn weekday(&mut self, day: &Spanned<String>, field: &str) -> Option<usize> {
        let found = DAYS.iter().position(|d| *d == day.get_ref().to_lowercase());
        if found.is_none() {
            self.problem(
                day.span(),
                field,
                format!(
                    "`{}` is not a weekday; allowed: {}{}",
                    day.get_ref(),
                    list(DAYS.into_iter()),
                    did_you_mean(&day.get_ref().to_lowercase(), DAYS.into_iter())
                ),
            );
        }
        found
    }

    /// A `HH:MM` time of day in minutes.
    fn time_of_day(&mut self, v: &Spanned<String>, field: &str) -> Option<u32> {
        let t = clock(v.get_ref());
        if t.is_none() {
            self.problem(
                v.span(),
                field,
                format!(
                    "`{}` is not a time; allowed: HH:MM from 00:00 to 24:00",
                    v.get_ref()
                ),
            );
        }
        t
    }

    /// A tier's roster from its shifts.
    fn roster(
        &mut self,
        shifts: &[Spanned<raw::RawShift>],
        field: &str,
        start_day: usize,
    ) -> Option<Roster> {
        let before = self.problems.len();
        let mut out = Vec::new();
        for s in shifts {
            let r = s.get_ref();
            let start = self.time_of_day(&r.start, &format!("{field}.start"));
            let end = self.time_of_day(&r.end, &format!("{field}.end"));
            if *r.servers.get_ref() == 0 {
                self.problem(
                    r.servers.span(),
                    format!("{field}.servers"),
                    "got 0; allowed: an integer >= 1",
                );
            }
            let mut days = [r.days.is_none(); 7];
            for d in r.days.iter().flatten() {
                if let Some(i) = self.weekday(d, &format!("{field}.days")) {
                    days[i] = true;
                }
            }
            let mut breaks = Vec::new();
            for b in r.breaks.iter().flatten() {
                let (b0, b1) = (
                    self.time_of_day(&b.get_ref().start, &format!("{field}.breaks.start")),
                    self.time_of_day(&b.get_ref().end, &format!("{field}.breaks.end")),
                );
                if let (Some(b0), Some(b1)) = (b0, b1) {
                    breaks.push((b0 % 1440, b1 % 1440));
                }
            }
            if let (Some(start), Some(end)) = (start, end) {
                if start % 1440 == end % 1440 && start != 0 {
                    self.problem(
                        r.end.span(),
                        format!("{field}.end"),
                        "a shift needs an end different from its start (00:00-24:00 for all day)",
                    );
                }
                out.push(Shift {
                    start: start % 1440,
                    end: end % 1440,
                    servers: *r.servers.get_ref(),
                    days,
                    breaks,
                });
            }
        }
        (self.problems.len() == before).then(|| Roster::from_shifts(&out, start_day))
    }

    /// A list of `{ to, probability }` with probabilities in [0, 1] summing
    /// to at most 1.
    fn escalations(
        &mut self,
        list: &[Spanned<raw::RawEscalation>],
        tiers: &[String],
        field: &str,
        fallback: Range<usize>,
    ) -> Option<Vec<Escalation>> {
        let mut out = Vec::new();
        let mut total = 0.0;
        let before = self.problems.len();
        for e in list {
            let e = e.get_ref();
            let p = self.number(
                &e.probability,
                &format!("{field}.probability"),
                |p| (0.0..=1.0).contains(&p),
                "a probability in [0, 1]",
            );
            total += p;
            if let Some(to) = self.reference(&e.to, tiers, &format!("{field}.to"), "tier") {
                out.push(Escalation { to, probability: p });
            }
        }
        if self.problems.len() == before && total > 1.0 + PROBABILITY_SLACK {
            let span = list.first().map_or(fallback, |e| e.span());
            self.problem(
                span,
                field,
                format!(
                    "probabilities sum to {}; allowed: a sum <= 1 (the rest leave)",
                    rounded(total)
                ),
            );
        }
        (self.problems.len() == before).then_some(out)
    }

    /// Applies each request type's own service, service multipliers and
    /// escalation at named tiers.
    fn request_overrides(
        &mut self,
        raw: &RawScenario,
        tiers: &mut [Tier],
        names: &[String],
        segments: usize,
    ) {
        let kinds = raw.request.len().max(1);
        for (r, request) in raw.request.iter().enumerate() {
            let request = request.get_ref();
            let field = |f: &str| format!("request.{}.{f}", request.name.get_ref());
            for (tier, dist) in request.service.iter().flatten() {
                let index = self.reference(tier, names, &field("service"), "tier");
                let d = self.dist(dist, &format!("{}.{}", field("service"), tier.get_ref()));
                if let (Some(j), Some(d)) = (index, d) {
                    for s in 0..segments {
                        tiers[j].service[s * kinds + r] = d.clone();
                    }
                }
            }
            for (tier, factor) in request.service_multiplier.iter().flatten() {
                let f = self.positive(factor, &field("service_multiplier"));
                if let Some(j) = self.reference(tier, names, &field("service_multiplier"), "tier")
                    && f > 0.0
                    && f.is_finite()
                {
                    for s in 0..segments {
                        let scaled = tiers[j].service[s * kinds + r].scaled(f);
                        tiers[j].service[s * kinds + r] = scaled;
                    }
                }
            }
            for (tier, list) in request.escalate.iter().flatten() {
                let Some(j) = self.reference(tier, names, &field("escalate"), "tier") else {
                    continue;
                };
                if tiers[j].unlimited {
                    self.problem(tier.span(), field("escalate"), format!("`{}` is a chatbot: its hand-offs are set by `resolves` and `handoff_to`", tier.get_ref()));
                    continue;
                }
                if let Some(routes) = self.escalations(
                    list,
                    names,
                    &format!("{}.{}", field("escalate"), tier.get_ref()),
                    tier.span(),
                ) {
                    tiers[j].routes[r] = routes;
                }
            }
        }
    }

    /// Every tier must let clients leave eventually, for every request type:
    /// a set of tiers whose escalations all lead back into the set with
    /// probability 1 would keep clients for ever.
    fn routes_exit(&mut self, raw: &RawScenario, tiers: &[Tier], requests: &[RequestType]) {
        let n = tiers.len();
        let mut trapped = vec![Vec::new(); n];
        for (r, request) in requests.iter().enumerate() {
            // The most complex client of this type is escalated by every
            // skill level below its complexity (values above 1 count as 1).
            let hardest = request
                .complexity
                .as_ref()
                .map_or(0.0, |d| d.support().1.min(1.0));
            let routes: Vec<Vec<Escalation>> = tiers
                .iter()
                .map(|t| match &t.skill {
                    Some(skill) if hardest > skill.level => vec![Escalation {
                        to: skill.to,
                        probability: 1.0,
                    }],
                    _ => t.routes[r].clone(),
                })
                .collect();
            let mut exits: Vec<bool> = routes
                .iter()
                .map(|r| r.iter().map(|e| e.probability).sum::<f64>() < 1.0 - PROBABILITY_SLACK)
                .collect();
            loop {
                let mut changed = false;
                for j in 0..n {
                    if !exits[j] && routes[j].iter().any(|e| e.probability > 0.0 && exits[e.to]) {
                        exits[j] = true;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            for j in (0..n).filter(|&j| !exits[j]) {
                trapped[j].push(request.name.clone());
            }
        }
        for (j, tier) in tiers.iter().enumerate() {
            if trapped[j].is_empty() {
                continue;
            }
            let raw_tier = raw.tier[j].get_ref();
            let span = raw_tier
                .escalate
                .iter()
                .flatten()
                .next()
                .map(Spanned::span)
                .or_else(|| raw_tier.handoff_to.as_ref().map(Spanned::span))
                .or_else(|| raw_tier.escalate_to.as_ref().map(Spanned::span))
                .unwrap_or(raw.tier[j].span());
            let which = if requests.len() > 1 {
                format!(
                    " (request types {})",
                    list(trapped[j].iter().map(String::as_str))
                )
            } else {
                String::new()
            };
            self.problem(
                span,
                format!("tier.{}.escalate", tier.name),
                if tier.skill.is_some() {
                    format!(
                        "no tier can serve the most complex requests escalated from here{which}: every tier they reach escalates them by skill or probability and none lets them leave; \
                         allowed: a tier on the way with `skill` at least the requests' highest complexity, or without a skill level"
                    )
                } else {
                    format!(
                        "clients escalated from here{which} return among the same tiers with probability 1 and never leave; \
                         allowed: escalation probabilities that leave some chance of departing"
                    )
                },
            );
        }
    }

    /// A distribution with exactly the parameters its kind takes.
    fn dist(&mut self, d: &Spanned<RawDist>, field: &str) -> Option<Dist> {
        let raw = d.get_ref();
        let kind = raw.dist.get_ref().as_str();
        let Some((_, params)) = DISTS.iter().find(|(k, _)| *k == kind) else {
            let mut message = format!(
                "unknown distribution `{kind}`; allowed: {}",
                list(DISTS.iter().map(|(k, _)| *k))
            );
            if let Some(near) = nearest(kind, DISTS.iter().map(|(k, _)| *k)) {
                message.push_str(&format!(" (did you mean `{near}`?)"));
            }
            self.problem(raw.dist.span(), format!("{field}.dist"), message);
            return None;
        };
        let given: [(&str, Option<Range<usize>>); 6] = [
            ("mean", raw.mean.as_ref().map(Spanned::span)),
            ("k", raw.k.as_ref().map(Spanned::span)),
            ("cv", raw.cv.as_ref().map(Spanned::span)),
            ("low", raw.low.as_ref().map(Spanned::span)),
            ("high", raw.high.as_ref().map(Spanned::span)),
            ("values", raw.values.as_ref().map(Spanned::span)),
        ];
        let mut complete = true;
        for (param, span) in given {
            let wanted = params.contains(&param);
            match span {
                Some(span) if !wanted => self.problem(
                    span,
                    format!("{field}.{param}"),
                    format!(
                        "`{param}` is not a parameter of {kind}; it takes: {}",
                        list(params.iter().copied())
                    ),
                ),
                None if wanted => {
                    complete = false;
                    self.problem(
                        d.span(),
                        format!("{field}.{param}"),
                        format!(
                            "{kind} needs `{param}`; it takes: {}",
                            list(params.iter().copied())
                        ),
                    );
                }
                _ => {}
            }
        }
        if !complete {
            return None;
        }
        let problems = self.problems.len();
        let mean = raw
            .mean
            .as_ref()
            .map(|m| self.positive(m, &format!("{field}.mean")));
        let cv = raw
            .cv
            .as_ref()
            .map(|c| self.non_negative(c, &format!("{field}.cv")));
        let dist = match kind {
            "exponential" => Dist::exponential(mean?),
            "deterministic" => Dist::Deterministic { mean: mean? },
            "erlang" => {
                let k = raw.k.as_ref()?;
                if *k.get_ref() == 0 {
                    self.problem(
                        k.span(),
                        format!("{field}.k"),
                        "got 0; allowed: an integer >= 1",
                    );
                }
                if self.problems.len() > problems {
                    return None;
                }
                Dist::erlang(mean?, *k.get_ref())
            }
            "gamma" | "lognormal" => {
                if self.problems.len() > problems {
                    return None;
                }
                if kind == "gamma" {
                    Dist::gamma(mean?, cv?)
                } else {
                    Dist::lognormal(mean?, cv?)
                }
            }
            "uniform" => {
                let low = self.non_negative(raw.low.as_ref()?, &format!("{field}.low"));
                let high = raw.high.as_ref()?;
                self.number(
                    high,
                    &format!("{field}.high"),
                    |h| h > low,
                    "a finite number > low",
                );
                Dist::Uniform {
                    low,
                    high: *high.get_ref(),
                }
            }
            _ => {
                let values = raw.values.as_ref()?;
                let v = values.get_ref();
                if v.is_empty()
                    || v.iter().any(|x| !x.is_finite() || *x < 0.0)
                    || v.iter().all(|x| *x == 0.0)
                {
                    self.problem(
                        values.span(),
                        format!("{field}.values"),
                        "allowed: a non-empty list of finite numbers >= 0, not all zero",
                    );
                }
                Dist::Empirical {
                    values: v.clone().into(),
                }
            }
        };
        (self.problems.len() == problems).then_some(dist)
    }
}

/// `x` to 9 significant decimals, so that sums of shares print as written
/// (1.3, not 1.2999999999999998).
fn rounded(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// `HH:MM` (00:00 to 24:00) in minutes of the day.
fn clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

/// 1-based line and column of byte `at` in `source`.
fn line_column(source: &str, at: usize) -> (usize, usize) {
    let at = at.min(source.len());
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `a`, `b`, `c` as a readable list.
pub(crate) fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// misspelling.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` when `word` is close to one of `candidates`,
/// or nothing.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    nearest(word, candidates).map_or(String::new(), |near| format!(" (did you mean `{near}`?)"))
}

/// "unknown `what` `word`; allowed: ..." with the nearest allowed word.
fn unknown_word(what: &str, word: &str, allowed: &[&str]) -> String {
    format!(
        "unknown {what} `{word}`; allowed: {}{}",
        allowed
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", "),
        did_you_mean(word, allowed.iter().copied())
    )
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" message, a
/// suggestion of the nearest expected field.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    nearest(unknown, candidates.into_iter()).map(|near| format!(" (did you mean `{near}`?)"))
}
