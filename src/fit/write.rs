//! Writing the fitted scenario: TOML with a comment on every fitted number
//! saying how it was estimated and from how many calls; and the notes on
//! what the scenario format cannot hold.

use super::FitReport;
use super::arrivals::WEEKDAYS;
use super::service::{Chosen, ServiceFit};
use super::staffing::{Availability, Staffing};
use crate::report::format::{putln, thousands};

/// The tier every fitted call is served by (the log's agents, one pool).
pub const TIER: &str = "agents";

/// A float TOML reads back as a float, to 4 decimals (6 significant at most).
fn num(x: f64) -> String {
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

/// A thousands-separated count for comments.
fn count(n: usize) -> String {
    thousands(&n.to_string())
}

fn values(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| num(*x)).collect();
    format!("[{}]", items.join(", "))
}

/// Scenario priority of a segment label: `priority_N` (or a number N) is
/// served before smaller N; other labels share priority 0.
fn priority(label: &str, labels: &[&String]) -> i64 {
    let level = |l: &str| l.trim_start_matches("priority_").parse::<i64>().ok();
    let max = labels.iter().filter_map(|l| level(l)).max();
    match (level(label), max) {
        (Some(n), Some(m)) => m - n,
        _ => 0,
    }
}

/// The distribution table of a service fit, with its comment lines.
fn service_table(out: &mut String, header: &str, fit: &ServiceFit, what: &str) {
    putln(out, format_args!("[{header}]"));
    match &fit.chosen {
        Chosen::Lognormal { mean, cv } => {
            putln(
                out,
                format_args!(
                    "dist = \"lognormal\"    # {what}: lognormal MLE on ln(minutes), {} calls; KS distance {:.3} <= bound {:.3}",
                    count(fit.n),
                    fit.ks_lognormal,
                    fit.ks_bound
                ),
            );
            putln(
                out,
                format_args!(
                    "mean = {}    # exp(mu + sigma^2/2), mu = {:.3}, sigma = {:.3} (SE {:.3}); sample mean {:.3} +/- {:.3}",
                    num(*mean),
                    fit.mu.value,
                    fit.sigma.value,
                    fit.sigma.se.unwrap_or(0.0),
                    fit.mean.value,
                    1.96 * fit.mean.se.unwrap_or(0.0)
                ),
            );
            putln(
                out,
                format_args!(
                    "cv = {}    # sqrt(exp(sigma^2) - 1); sample cv {:.3}",
                    num(*cv),
                    fit.cv
                ),
            );
        }
        Chosen::Empirical { values: v } => {
            putln(
                out,
                format_args!(
                    "dist = \"empirical\"    # {what}: the lognormal failed the rule (KS distance {:.3} > bound {:.3}) on {} calls",
                    fit.ks_lognormal,
                    fit.ks_bound,
                    count(fit.n)
                ),
            );
            putln(
                out,
                format_args!(
                    "values = {}    # {} quantiles of the {} service times at (i - 0.5)/{}; mean {:.3} min (sample {:.3} +/- {:.3})",
                    values(v),
                    v.len(),
                    count(fit.n),
                    v.len(),
                    v.iter().sum::<f64>() / v.len() as f64,
                    fit.mean.value,
                    1.96 * fit.mean.se.unwrap_or(0.0)
                ),
            );
        }
    }
}

/// The scenario text.
pub fn scenario(r: &FitReport, name: &str) -> String {
    let a = &r.arrivals;
    let mut out = String::new();
    putln(
        &mut out,
        format_args!(
            "# Fitted by `tiersim fit` from {} ({}), {} to {}, weekdays {}:",
            r.log,
            serde_json::to_value(r.format)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            r.from,
            r.to,
            r.weekdays.join(", ")
        ),
    );
    putln(
        &mut out,
        format_args!(
            "# {} calls to the agents on {} days, from {} rows (every cleaning rule and its count: fit.json).",
            count(a.calls),
            a.days,
            count(r.cleaning.rows)
        ),
    );
    putln(
        &mut out,
        format_args!(
            "# Methods: docs/fit.md. Standard errors and sample sizes of every number: fit.json."
        ),
    );
    for note in &r.notes {
        putln(&mut out, format_args!("# NOTE: {note}"));
    }
    putln(&mut out, format_args!("\nname = \"{name}\"\n\n[run]"));
    putln(
        &mut out,
        format_args!("horizon = 10080.0    # one week from Sunday 00:00, minutes"),
    );
    putln(
        &mut out,
        format_args!(
            "warmup = 0.0    # the week starts empty (ASSUMPTION: nobody waits at Sunday 00:00)"
        ),
    );
    putln(
        &mut out,
        format_args!("replications = 20    # ASSUMPTION: not fitted; raise for tighter CIs"),
    );
    putln(
        &mut out,
        format_args!("seed = 1\nservice_level_threshold = 0.5    # ASSUMPTION: 30 s; not fitted"),
    );
    calendar(&mut out, r);
    requests(&mut out, r);
    segments(&mut out, r);
    putln(
        &mut out,
        format_args!("\n[[tier]]\nname = \"{TIER}\"    # {}", pool(r)),
    );
    if let Some(all) = r.service.get("all") {
        service_table(
            &mut out,
            "tier.service",
            all,
            "all request types pooled (each request overrides it)",
        );
    }
    service_factors(&mut out, r);
    match &r.groups {
        Some(g) => groups(&mut out, g, r.arrivals.slot_minutes),
        None => shifts(&mut out, &r.staffing, r.arrivals.slot_minutes),
    }
    out
}

/// One `[[tier.group]]` per fitted group: its skills (rank 1) and its
/// shifts (`[[tier.group.shifts]]`), with comments on where they came from.
fn groups(out: &mut String, g: &super::groups::Groups, slot: u32) {
    for group in &g.groups {
        let calls: Vec<String> = group
            .calls
            .iter()
            .map(|(q, n)| format!("{q} {n}"))
            .collect();
        putln(
            out,
            format_args!(
                "\n[[tier.group]]\nname = \"{}\"    # {} agent(s): {}; served calls {} (fit.json groups)",
                group.name,
                group.agents.len(),
                group.agents.join(", "),
                calls.join(", ")
            ),
        );
        let skills: Vec<String> = group.skills.iter().map(|q| format!("{q} = 1")).collect();
        let mut why = format!(
            "the types with >= {} of an agent's calls and >= {} calls",
            super::groups::MIN_SKILL_SHARE,
            super::groups::MIN_SKILL_CALLS
        );
        if !group.added_skills.is_empty() {
            why.push_str(&format!(
                "; {} added: no group had it, this one served most of it",
                group.added_skills.join(", ")
            ));
        }
        for merged in &group.merged_from {
            why.push_str(&format!(
                "; agents with skills {} merged in (< {} of the calls)",
                merged.join("+"),
                super::groups::MIN_GROUP_SHARE
            ));
        }
        putln(
            out,
            format_args!("skills = {{ {} }}    # {why}", skills.join(", ")),
        );
        shifts_under(out, "tier.group.shifts", &group.staffing, slot);
    }
}

/// The tier's comment: one pool, or groups.
fn pool(r: &FitReport) -> &'static str {
    if r.groups.is_some() {
        "the log's agents in groups by their skills (`[[tier.group]]` below)"
    } else {
        "every agent in one pool (see the notes)"
    }
}

/// `[tier.service_factors]` when the by-hour test calls it: each hour's
/// mean of service / its type's mean.
fn service_factors(out: &mut String, r: &FitReport) {
    let f = &r.service_factors;
    if !f.written {
        return;
    }
    putln(
        out,
        format_args!(
            "[tier.service_factors]    # service / its request type's mean, by hour of arrival: ANOVA of the logs across hours F = {:.2}, p = {:.1e} < 0.01; hours with < {} calls: 1",
            f.by_hour.f.unwrap_or(f64::NAN),
            f.by_hour.p_value.unwrap_or(f64::NAN),
            super::service::MIN_PER_HOUR
        ),
    );
    for (hour, e) in &f.by_hour.hours {
        let h: u32 = hour[..2].parse().unwrap_or(0);
        putln(
            out,
            format_args!(
                "\"{h:02}:00-{:02}:00\" = {}    # {} calls, SE {:.3}",
                h + 1,
                num(e.value),
                count(e.n),
                e.se.unwrap_or(0.0)
            ),
        );
    }
}

/// One `[[tier.shifts]]` per run of equal servers on a weekday (slots of
/// `slot` minutes).
pub fn shifts(out: &mut String, staffing: &Staffing, slot: u32) {
    shifts_under(out, "tier.shifts", staffing, slot);
}

/// [`shifts`] under the array-of-tables `header` (`tier.shifts` or
/// `tier.group.shifts`).
fn shifts_under(out: &mut String, header: &str, staffing: &Staffing, slot: u32) {
    let minutes = |label: &str| -> u32 {
        let (h, m) = label.split_once(':').unwrap_or(("0", "0"));
        h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
    };
    let clock = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    for day in WEEKDAYS {
        let slots: Vec<_> = staffing.slots.iter().filter(|s| s.weekday == day).collect();
        let mut i = 0;
        while i < slots.len() {
            let start = minutes(&slots[i].slot);
            let mut j = i;
            while j + 1 < slots.len()
                && slots[j + 1].servers == slots[i].servers
                && minutes(&slots[j + 1].slot) == minutes(&slots[j].slot) + slot
            {
                j += 1;
            }
            if slots[i].servers > 0 {
                let agents: Vec<String> = slots[i..=j]
                    .iter()
                    .map(|s| format!("{:.2}", s.agents.value))
                    .collect();
                putln(
                    out,
                    format_args!(
                        "[[{header}]]\nstart = \"{}\"\nend = \"{}\"\ndays = [\"{day}\"]",
                        clock(start),
                        clock(minutes(&slots[j].slot) + slot)
                    ),
                );
                putln(
                    out,
                    format_args!(
                        "servers = {}    # agents on duty per slot {} ({}; {} {day}(s)) {}, rounded",
                        slots[i].servers,
                        agents.join(", "),
                        staffing.source,
                        slots[i].agents.n,
                        Availability {
                            share: staffing.availability,
                            dedicated: staffing.dedicated_agents
                        }
                        .describe()
                    ),
                );
            }
            i = j + 1;
        }
    }
}

/// What the scenario cannot hold, said in its header and in fit.json.
pub fn notes(r: &FitReport) -> Vec<String> {
    let pool = match &r.groups {
        None => "one pool of agents serves every request type: the format has no agent groups yet (fit.json `agents` says who serves what)".to_string(),
        Some(g) => format!("{} agent groups by the skills rule (fit.json `groups`); each request's service time is the same in every group (no speed per group fitted)", g.groups.len()),
    };
    let mut notes = vec![
        pool,
        "one day profile for all weekdays and segments, scaled by day factors; per-type, per-weekday rates are in fit.json `arrivals.cells`".to_string(),
        "patience is written as empirical quantiles; a censored Weibull fit is in fit.json (the format has no Weibull)".to_string(),
    ];
    for w in &r.arrivals.weekdays {
        if w.shape_mismatch > 0.15 {
            notes.push(format!("{}'s day differs from the pooled profile: {:.0}% of its calls fall in other slots than the profile says", w.weekday, 100.0 * w.shape_mismatch));
        }
    }
    for (q, s) in &r.service {
        if s.by_hour.differs {
            notes.push(format!("service time of {q} differs by hour (ANOVA on ln, p = {:.1e}); the format holds one distribution per request, with one factor per hour for all types (`tier.service_factors`, when the type-normalised test calls it)", s.by_hour.p_value.unwrap_or(0.0)));
        }
    }
    let unstaffed: usize = r.staffing.slots.iter().filter(|s| s.servers == 0).count();
    if unstaffed > 0 {
        notes.push(format!("{unstaffed} weekday slots with calls have no agent on duty (rounded): their calls wait for the next shift"));
    }
    notes
}

/// The `[[request]]` tables: each type's service time at the tier.
fn requests(out: &mut String, r: &FitReport) {
    let a = &r.arrivals;
    for (request, fit) in r.service.iter().filter(|(k, _)| k.as_str() != "all") {
        putln(out, format_args!("\n[[request]]\nname = \"{request}\""));
        service_table(
            out,
            &format!("request.service.{TIER}"),
            fit,
            &format!("service time of {request} calls"),
        );
    }
    let all_requests: Vec<&String> = a.request_mix.values().flat_map(|m| m.keys()).collect();
    for request in all_requests
        .iter()
        .filter(|q| !r.service.contains_key(q.as_str()))
    {
        if !out.contains(&format!("name = \"{request}\"\n")) {
            putln(
                out,
                format_args!(
                    "\n[[request]]\nname = \"{request}\"    # no usable service times: takes the tier's pooled distribution"
                ),
            );
        }
    }
}

/// The `[[segment]]` tables: rate, priority, request mix and patience.
fn segments(out: &mut String, r: &FitReport) {
    let a = &r.arrivals;
    let labels: Vec<&String> = a.segment_share.keys().collect();
    for (segment, share) in &a.segment_share {
        putln(out, format_args!("\n[[segment]]\nname = \"{segment}\""));
        putln(
            out,
            format_args!(
                "rate_per_hour = {}    # share {:.4} (SE {:.4}; the queued-call segment mix within each request type, {} queued calls) x {:.2} calls/h (all calls, peak slot, day factor 1)",
                num(share.value * a.rate_per_hour),
                share.value,
                share.se.unwrap_or(0.0),
                count(share.n),
                a.rate_per_hour
            ),
        );
        putln(
            out,
            format_args!(
                "priority = {}    # smaller is served first: from the label `{segment}`",
                priority(segment, &labels)
            ),
        );
        let d = &a.day_effect;
        if d.cv.value > 0.0 {
            putln(
                out,
                format_args!(
                    "day_effect = {{ cv = {} }}    # Gamma day factor: method of moments over Poisson on {} days' totals ({}, SE {:.3}); fit.json arrivals.day_effect",
                    num(d.cv.value),
                    d.cv.n,
                    d.method,
                    d.cv.se.unwrap_or(0.0)
                ),
            );
        }
        request_mix(out, &a.request_mix[segment]);
        patience(out, r, segment);
    }
}

/// A segment's `requests` line: its calls by type, rounded to 6 decimals
/// with the last taking the rest, so that they add up to 1.
fn request_mix(out: &mut String, mix: &std::collections::BTreeMap<String, f64>) {
    let mut items = Vec::new();
    let mut sum = 0.0;
    for (i, (q, x)) in mix.iter().enumerate() {
        let x = if i + 1 == mix.len() {
            1.0 - sum
        } else {
            (x * 1e6).round() / 1e6
        };
        sum += x;
        items.push(format!("{q} = {:.6}", x));
    }
    putln(
        out,
        format_args!(
            "requests = {{ {} }}    # the segment's calls by type (the same reassignment as the rate)",
            items.join(", ")
        ),
    );
}

/// A segment's `[segment.patience]` (or a note that it has none).
fn patience(out: &mut String, r: &FitReport, segment: &str) {
    match r
        .patience
        .get(segment)
        .and_then(|p| p.values.as_ref().map(|v| (p, v)))
    {
        Some((p, v)) => {
            putln(
                out,
                format_args!(
                    "[segment.patience]    # Kaplan-Meier on {} queued calls ({} abandoned = events, {} served = censored) to {:.2} min (last time with >= {} at risk), then an exponential tail with hazard {:.3}/min (from {} abandonments)",
                    count(p.n),
                    count(p.abandoned),
                    count(p.censored),
                    p.km_until,
                    super::patience::MIN_AT_RISK,
                    p.tail_hazard.value,
                    count(p.tail_hazard.n)
                ),
            );
            putln(out, format_args!("dist = \"empirical\""));
            putln(
                out,
                format_args!(
                    "values = {}    # {} quantiles of that distribution at (i - 0.5)/{}; mean {:.2} min",
                    values(v),
                    v.len(),
                    v.len(),
                    p.mean
                ),
            );
        }
        None => {
            putln(
                out,
                format_args!("# no patience: no abandonment of this segment in the log"),
            );
        }
    }
}

/// The `[calendar]`: slot, start day, day factors and the day profile.
fn calendar(out: &mut String, r: &FitReport) {
    let a = &r.arrivals;
    putln(
        out,
        format_args!(
            "\n[calendar]\nslot_minutes = {}\nstart_day = \"sun\"\n\n[calendar.day_factors]",
            a.slot_minutes
        ),
    );
    let mean_day = a.calls as f64 / a.days.max(1) as f64;
    for name in WEEKDAYS {
        match a.weekdays.iter().find(|w| w.weekday == name) {
            Some(w) => {
                putln(
                    out,
                    format_args!(
                        "{name} = {}    # {:.1} calls/day (SE {:.1}) over {} {name} / {:.1} calls per fitted day",
                        num(w.factor),
                        w.calls_per_day.value,
                        w.calls_per_day.se.unwrap_or(0.0),
                        w.days,
                        mean_day
                    ),
                );
            }
            None => {
                putln(
                    out,
                    format_args!("{name} = 0.0    # no {name} in the fitted period: no arrivals"),
                );
            }
        }
    }
    putln(
        out,
        format_args!(
            "\n[calendar.profile]    # share of a day's calls per slot, pooled over the fitted days, / the peak slot's"
        ),
    );
    let peak = a.profile.iter().map(|p| p.n).max().unwrap_or(0);
    for (s, p) in a.profile.iter().enumerate() {
        if p.n == 0 {
            continue;
        }
        let start = s as u32 * a.slot_minutes;
        let end = start + a.slot_minutes;
        putln(
            out,
            format_args!(
                "\"{:02}:{:02}-{:02}:{:02}\" = {}    # {} calls in this slot / {} in the peak slot",
                start / 60,
                start % 60,
                end / 60,
                end % 60,
                num(p.value),
                count(p.n),
                count(peak)
            ),
        );
    }
}
