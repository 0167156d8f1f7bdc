//! Words on the plots: units of metrics and axes, short axis names, group
//! labels.

/// The unit of a metric, as written on axes (from the metric catalogue):
/// minutes, hours, share, clients, count, score 0–100, per client, servers
/// or currency.
pub fn unit(metric: &str) -> &'static str {
    crate::report::catalogue::unit(metric).axis()
}

/// The unit of a sweep axis, from its path.
pub fn axis_unit(path: &str) -> &'static str {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last {
        "servers" | "queue_capacity" | "replications" | "priority" | "k" => "count",
        "rate_per_hour" => "clients per hour",
        "probability" => "share",
        "cv" => "coefficient of variation",
        "mean"
        | "low"
        | "high"
        | "horizon"
        | "warmup"
        | "drain_limit"
        | "service_level_threshold" => "minutes",
        _ => "value",
    }
}

/// A short name for an axis path in legends: its last two parts
/// (`tier.senior.servers` → `senior.servers`).
pub fn short_axis(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.len() <= 2 {
        path.to_string()
    } else {
        parts[parts.len() - 2..].join(".")
    }
}

/// A group label for people: `overall`, a segment's name, `tier <name>`.
pub fn group_label(group: &str) -> String {
    if let Some(s) = group.strip_prefix("segment.") {
        s.to_string()
    } else if let Some(t) = group.strip_prefix("tier.") {
        format!("tier {t}")
    } else {
        group.to_string()
    }
}
