//! Agent groups from the log's `server` field (`fit --agent-groups`,
//! docs/fit.md §6a): each agent's skills are the request types it served
//! often enough; agents with the same skills form a group; rare skill sets
//! merge into the nearest group; every request type gets a group; each
//! group's staffing is estimated from its own agents' activity by the
//! tier's method (`staffing::fit`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::clean::Call;
use super::error::LogError;
use super::staffing::{self, Availability, Staffing};

/// A type is one of an agent's skills when it is at least this share of the
/// agent's served calls (ASSUMPTION, docs/fit.md: 0.05-0.2)...
pub const MIN_SKILL_SHARE: f64 = 0.10;
/// ...and at least this many of them (ASSUMPTION: 3-20).
pub const MIN_SKILL_CALLS: usize = 5;
/// A skill set whose agents served less than this share of all served
/// calls merges into the nearest group (ASSUMPTION: 0.01-0.05).
pub const MIN_GROUP_SHARE: f64 = 0.02;

/// The rule and its figures, for fit.json.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// [`MIN_SKILL_SHARE`].
    pub min_skill_share: f64,
    /// [`MIN_SKILL_CALLS`].
    pub min_skill_calls: usize,
    /// [`MIN_GROUP_SHARE`].
    pub min_group_share: f64,
    /// Served calls with a named agent (the shares' denominator).
    pub served_calls: usize,
    /// The rules in words.
    pub method: Vec<String>,
}

/// One agent: its calls by type, its own skills and its group.
#[derive(Debug, Clone, Serialize)]
pub struct AgentSkills {
    /// Served calls by request type.
    pub calls: BTreeMap<String, usize>,
    /// Its skills by the rule (before any merge).
    pub skills: Vec<String>,
    /// The group it is in.
    pub group: String,
}

/// One fitted group.
#[derive(Debug, Clone, Serialize)]
pub struct FitGroup {
    /// Its name: its skills joined by `_`.
    pub name: String,
    /// The request types it serves (all at rank 1).
    pub skills: Vec<String>,
    /// Skills given to it only so that every request type has a group
    /// (no agent of any group met the rule for them).
    pub added_skills: Vec<String>,
    /// Skill sets of rare groups merged into it.
    pub merged_from: Vec<Vec<String>>,
    /// Its agents.
    pub agents: Vec<String>,
    /// Its agents' served calls by request type.
    pub calls: BTreeMap<String, usize>,
    /// Its agents on duty per weekday and slot, estimated from their
    /// activity as the tier's (`staffing::fit`).
    pub staffing: Staffing,
}

/// fit.json `groups`.
#[derive(Debug, Clone, Serialize)]
pub struct Groups {
    /// The rule and its figures.
    pub rule: Rule,
    /// Every agent.
    pub agents: BTreeMap<String, AgentSkills>,
    /// The groups, largest (served calls) first.
    pub groups: Vec<FitGroup>,
}

/// An agent's skills by the rule: the types with at least
/// [`MIN_SKILL_SHARE`] of its calls and [`MIN_SKILL_CALLS`] calls; none
/// meeting it: its most served type (ties: the first name).
pub fn skills_of(calls: &BTreeMap<String, usize>) -> Vec<String> {
    let total: usize = calls.values().sum();
    let skills: Vec<String> = calls
        .iter()
        .filter(|(_, n)| **n >= MIN_SKILL_CALLS && **n as f64 >= MIN_SKILL_SHARE * total as f64)
        .map(|(q, _)| q.clone())
        .collect();
    if !skills.is_empty() {
        return skills;
    }
    let best = calls.values().copied().max().unwrap_or(0);
    calls
        .iter()
        .find(|(_, n)| **n == best)
        .map(|(q, _)| vec![q.clone()])
        .unwrap_or_default()
}

/// A skill set being grouped: its agents and their calls by type.
#[derive(Debug, Clone, Default)]
struct Draft {
    agents: Vec<String>,
    calls: BTreeMap<String, usize>,
    added: Vec<String>,
    merged_from: Vec<Vec<String>>,
}

impl Draft {
    fn total(&self) -> usize {
        self.calls.values().sum()
    }

    fn absorb(&mut self, other: Draft) {
        self.agents.extend(other.agents);
        self.agents.sort();
        for (q, n) in other.calls {
            *self.calls.entry(q).or_default() += n;
        }
        self.added.extend(other.added);
        self.merged_from.extend(other.merged_from);
    }
}

/// Rare skill sets (fewer than [`MIN_GROUP_SHARE`] of the served calls;
/// smallest first) join the kept set whose skills cover most of their
/// calls (ties: more calls, then the first name). The largest set is
/// always kept.
fn merge_rare(sets: &mut BTreeMap<Vec<String>, Draft>, served: usize) {
    let largest = sets
        .iter()
        .max_by(|a, b| a.1.total().cmp(&b.1.total()).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.clone());
    let rare_of = |k: &Vec<String>, d: &Draft| {
        Some(k) != largest.as_ref() && (d.total() as f64) < MIN_GROUP_SHARE * served as f64
    };
    let mut rare: Vec<(usize, Vec<String>)> = sets
        .iter()
        .filter(|(k, d)| rare_of(k, d))
        .map(|(k, d)| (d.total(), k.clone()))
        .collect();
    rare.sort();
    let kept: Vec<Vec<String>> = sets
        .iter()
        .filter(|(k, d)| !rare_of(k, d))
        .map(|(k, _)| k.clone())
        .collect();
    for (_, key) in rare {
        let Some(mut draft) = sets.remove(&key) else {
            continue;
        };
        let covered = |skills: &Vec<String>| -> usize {
            skills.iter().filter_map(|q| draft.calls.get(q)).sum()
        };
        let target = kept
            .iter()
            .max_by(|a, b| {
                (covered(a), sets[*a].total())
                    .cmp(&(covered(b), sets[*b].total()))
                    .then(b.cmp(a))
            })
            .cloned();
        if let Some(target) = target {
            draft.merged_from.push(key);
            if let Some(t) = sets.get_mut(&target) {
                t.absorb(draft);
            }
        }
    }
}

/// Request types no group has as a skill go to the group whose agents
/// served most calls of the type (none served: the group with most calls;
/// ties: the first name); groups left with equal skill sets join.
fn cover_requests(
    sets: BTreeMap<Vec<String>, Draft>,
    requests: &BTreeSet<String>,
) -> BTreeMap<Vec<String>, Draft> {
    let mut groups: Vec<(Vec<String>, Draft)> = sets.into_iter().collect();
    for q in requests {
        if groups.iter().any(|(k, _)| k.contains(q)) {
            continue;
        }
        let key = |d: &Draft| (d.calls.get(q).copied().unwrap_or(0), d.total());
        let Some(best) = (0..groups.len())
            .max_by(|&a, &b| key(&groups[a].1).cmp(&key(&groups[b].1)).then(b.cmp(&a)))
        else {
            continue;
        };
        let (skills, draft) = &mut groups[best];
        skills.push(q.clone());
        skills.sort();
        draft.added.push(q.clone());
    }
    let mut out: BTreeMap<Vec<String>, Draft> = BTreeMap::new();
    for (k, d) in groups {
        match out.get_mut(&k) {
            Some(existing) => existing.absorb(d),
            None => {
                out.insert(k, d);
            }
        }
    }
    out
}

/// Groups the agents of `agents` (served calls by type) and estimates each
/// group's staffing from its agents' calls. `requests`: every request type
/// the scenario has (each gets a group). The tier's dedicated agents go to
/// the group with most calls; the share applies to every group.
pub fn fit(
    agents: &BTreeMap<String, BTreeMap<String, usize>>,
    requests: &BTreeSet<String>,
    calls: &[Call],
    dates: &[NaiveDate],
    slot_minutes: u32,
    availability: Availability,
) -> Result<Groups, LogError> {
    let served: usize = agents.values().flat_map(|m| m.values()).sum();
    let mut sets: BTreeMap<Vec<String>, Draft> = BTreeMap::new();
    let mut own = BTreeMap::new();
    for (agent, by_type) in agents {
        let skills = skills_of(by_type);
        let d = sets.entry(skills.clone()).or_default();
        d.agents.push(agent.clone());
        for (q, n) in by_type {
            *d.calls.entry(q.clone()).or_default() += n;
        }
        own.insert(agent.clone(), skills);
    }
    merge_rare(&mut sets, served);
    let sets = cover_requests(sets, requests);
    let mut ordered: Vec<(Vec<String>, Draft)> = sets.into_iter().collect();
    ordered.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
    let mut groups = Vec::new();
    for (i, (skills, draft)) in ordered.into_iter().enumerate() {
        let members: BTreeSet<&str> = draft.agents.iter().map(String::as_str).collect();
        let own_calls: Vec<Call> = calls
            .iter()
            .filter(|c| {
                c.agent
                    .as_ref()
                    .is_some_and(|(a, _, _)| members.contains(a.as_str()))
            })
            .cloned()
            .collect();
        let share = Availability {
            share: availability.share,
            dedicated: if i == 0 { availability.dedicated } else { 0.0 },
        };
        let staffing = staffing::fit(&own_calls, dates, slot_minutes, None, share)?;
        groups.push(FitGroup {
            name: skills.join("_"),
            skills,
            added_skills: draft.added,
            merged_from: draft.merged_from,
            agents: draft.agents,
            calls: draft.calls,
            staffing,
        });
    }
    let group_of = |a: &str| {
        groups
            .iter()
            .find(|g| g.agents.iter().any(|x| x == a))
            .map(|g| g.name.clone())
            .unwrap_or_default()
    };
    let agents = agents
        .iter()
        .map(|(a, by_type)| {
            let skills = own.remove(a).unwrap_or_default();
            let group = group_of(a);
            (
                a.clone(),
                AgentSkills {
                    calls: by_type.clone(),
                    skills,
                    group,
                },
            )
        })
        .collect();
    Ok(Groups {
        rule: rule(served),
        agents,
        groups,
    })
}

/// The rules in words, with their figures.
fn rule(served: usize) -> Rule {
    Rule {
        min_skill_share: MIN_SKILL_SHARE,
        min_skill_calls: MIN_SKILL_CALLS,
        min_group_share: MIN_GROUP_SHARE,
        served_calls: served,
        method: vec![
            format!("skill: a request type with at least {MIN_SKILL_SHARE} of the agent's served calls and at least {MIN_SKILL_CALLS} of them; an agent meeting neither for any type: its most served type"),
            "group: the agents with the same skills, named by the skills joined with _".into(),
            format!("merge: a skill set whose agents served less than {MIN_GROUP_SHARE} of all served calls joins the kept group whose skills cover most of its calls (then more calls, then the first name), smallest first; the largest is kept"),
            "cover: a request type no group has goes to the group whose agents served most calls of it (none: the group with most calls)".into(),
            "staffing: each group's agents on duty from its own agents' presence sessions, as the tier's; the dedicated agents belong to the group with most calls, the availability share applies to every group".into(),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mix(items: &[(&str, usize)]) -> BTreeMap<String, usize> {
        items.iter().map(|(q, n)| (q.to_string(), *n)).collect()
    }

    /// 5 calls at 10% are a skill; 4 calls or 9% are not; an agent with
    /// none takes its most served type (the first name on a tie).
    #[test]
    fn a_skill_needs_both_the_share_and_the_count() {
        assert_eq!(skills_of(&mix(&[("A", 45), ("B", 5)])), ["A", "B"]);
        assert_eq!(skills_of(&mix(&[("A", 16), ("B", 4)])), ["A"]);
        assert_eq!(skills_of(&mix(&[("A", 60), ("B", 5)])), ["A"]);
        assert_eq!(skills_of(&mix(&[("A", 2), ("B", 2)])), ["A"]);
    }

    /// A skill set with 1 of 100 served calls (< 2%) joins the group whose
    /// skills cover most of its calls; a request nobody serves goes to the
    /// group with most calls.
    #[test]
    fn rare_sets_merge_and_every_request_gets_a_group() {
        let agents: BTreeMap<String, BTreeMap<String, usize>> = [
            ("a", mix(&[("A", 60)])),
            ("b", mix(&[("B", 39)])),
            ("c", mix(&[("B", 1)])),
        ]
        .into_iter()
        .map(|(a, m)| (a.to_string(), m))
        .collect();
        let mut sets: BTreeMap<Vec<String>, Draft> = BTreeMap::new();
        for (a, m) in &agents {
            let d = sets.entry(skills_of(m)).or_default();
            d.agents.push(a.clone());
            for (q, n) in m {
                *d.calls.entry(q.clone()).or_default() += n;
            }
        }
        // b and c share {B}: 40 calls, kept.
        merge_rare(&mut sets, 100);
        assert_eq!(sets.len(), 2);
        let requests: BTreeSet<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        let out = cover_requests(sets, &requests);
        let keys: Vec<&Vec<String>> = out.keys().collect();
        assert_eq!(
            keys,
            [
                &vec!["A".to_string(), "C".to_string()],
                &vec!["B".to_string()]
            ]
        );
        // A lone rare agent of type B joins the B group.
        let mut sets: BTreeMap<Vec<String>, Draft> = BTreeMap::new();
        sets.insert(
            vec!["A".into()],
            Draft {
                agents: vec!["a".into()],
                calls: mix(&[("A", 60)]),
                ..Draft::default()
            },
        );
        sets.insert(
            vec!["B".into()],
            Draft {
                agents: vec!["b".into()],
                calls: mix(&[("B", 39)]),
                ..Draft::default()
            },
        );
        sets.insert(
            vec!["A".into(), "B".into()],
            Draft {
                agents: vec!["c".into()],
                calls: mix(&[("A", 0), ("B", 1)]),
                ..Draft::default()
            },
        );
        merge_rare(&mut sets, 100);
        assert_eq!(sets.len(), 2);
        assert_eq!(sets[&vec!["B".to_string()]].agents, ["b", "c"]);
        assert_eq!(
            sets[&vec!["B".to_string()]].merged_from,
            [vec!["A".to_string(), "B".to_string()]]
        );
    }
}
