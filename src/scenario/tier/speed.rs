//! A group's `speed`, read in two steps so that every value keeps its
//! span for errors: first as a table of values, then split by meaning. A
//! table of skill names is the group's service-time factor per skill
//! (`{ loan = 1.15 }`); a table with a `dist` key is each agent's own
//! factor, drawn once per replication (`{ dist = "lognormal", mean = 1.0,
//! cv = 0.2 }`: issue 17's spelling of `agent_speed`, which stays).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use toml::Spanned;

use super::super::diagnostics::Checker;
use super::super::raw::{RawDist, RawGroup};

/// The parameters a distribution table may have beside `dist`.
const DIST_KEYS: [&str; 7] = ["dist", "mean", "k", "cv", "low", "high", "values"];

/// A group's `speed`, split by meaning.
#[derive(Default)]
pub(super) struct GroupSpeed {
    /// Per skill: the service-time factor as written.
    pub(super) skills: BTreeMap<Spanned<String>, Spanned<f64>>,
    /// Each agent's factor (`speed` with `dist`, or `agent_speed`).
    pub(super) agents: Option<Spanned<RawDist>>,
}

impl Checker<'_> {
    /// Splits `raw.speed` into per-skill factors and a per-agent
    /// distribution; refuses a table mixing `dist` with skill names, a
    /// per-skill factor that is not a number, and a per-agent speed given
    /// both as `speed` and as `agent_speed`.
    pub(super) fn group_speed(&mut self, raw: &RawGroup, field: &str) -> GroupSpeed {
        let at = format!("{field}.speed");
        let Some(table) = &raw.speed else {
            return GroupSpeed::default();
        };
        let entries = table.get_ref();
        if !entries.keys().any(|k| k.get_ref() == "dist") {
            let skills = entries
                .iter()
                .filter_map(|(key, value)| {
                    let factor = self.typed::<f64>(value, &at, "a number (a service-time factor)");
                    Some((key.clone(), factor?))
                })
                .collect();
            return GroupSpeed {
                skills,
                agents: None,
            };
        }
        if let Some(other) = &raw.agent_speed {
            self.problem(
                other.span(),
                format!("{field}.agent_speed"),
                "each agent's speed is given twice, as `speed = { dist = ... }` and as `agent_speed`; allowed: one of them",
            );
        }
        let mut dist = RawDist {
            dist: Spanned::new(0..0, String::new()),
            mean: None,
            k: None,
            cv: None,
            low: None,
            high: None,
            values: None,
        };
        let mut named = false;
        for (key, value) in entries {
            match key.get_ref().as_str() {
                "dist" => {
                    if let Some(d) = self.typed(value, &at, "a distribution name") {
                        (dist.dist, named) = (d, true);
                    }
                }
                "mean" => dist.mean = self.typed(value, &at, "minutes"),
                "k" => dist.k = self.typed(value, &at, "an integer"),
                "cv" => dist.cv = self.typed(value, &at, "a number"),
                "low" => dist.low = self.typed(value, &at, "minutes"),
                "high" => dist.high = self.typed(value, &at, "minutes"),
                "values" => dist.values = self.typed(value, &at, "a list of minutes"),
                other => self.problem(
                    key.span(),
                    &at,
                    format!(
                        "`{other}` beside `dist`: a `speed` table is either each agent's drawn factor (a distribution) or a factor per skill, not both; allowed in a distribution: {}; per skill, write `speed = {{ {other} = ... }}` without `dist` and each agent's factor as `agent_speed`",
                        DIST_KEYS.map(|k| format!("`{k}`")).join(", ")
                    ),
                ),
            }
        }
        GroupSpeed {
            skills: BTreeMap::new(),
            agents: named.then(|| Spanned::new(table.span(), dist)),
        }
    }

    /// `value` read as a `T`, keeping its span; a problem at it, saying
    /// what is allowed, when it is not one.
    fn typed<T: DeserializeOwned>(
        &mut self,
        value: &Spanned<toml::Value>,
        field: &str,
        allowed: &str,
    ) -> Option<Spanned<T>> {
        match T::deserialize(value.get_ref().clone()) {
            Ok(v) => Some(Spanned::new(value.span(), v)),
            Err(e) => {
                self.problem(
                    value.span(),
                    field,
                    format!("{}; allowed: {allowed}", e.message().trim()),
                );
                None
            }
        }
    }
}
