//! Reading an output folder back for the report: `summary.json` and
//! `manifest.json` (both required), and `compare.json`, `results.csv` and
//! `differences.csv` when present. Everything is checked before anything is
//! drawn: a missing file, a key that an older or unknown format lacks, or
//! files that disagree with each other give an [`Error::Results`] naming the
//! file and the key, never a panic.
//!
//! Keys added to the summary after its first format (`slots`,
//! `service_level_threshold`) are optional: without them the report leaves
//! out what needs them, with a note.
//!
//! This module knows the file formats written by `json.rs`, `csv.rs` and
//! `manifest.rs`; it does not depend on the simulation itself.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// A metric read back: mean and 95% half-width, NaN where the file has
/// `null` (undefined in every replication).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanCi {
    /// Mean over replications.
    pub mean: f64,
    /// Half-width of the 95% confidence interval.
    pub ci95: f64,
}

/// Named metrics in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metrics(pub Vec<(String, MeanCi)>);

impl Metrics {
    /// The metric named `name`.
    pub fn get(&self, name: &str) -> Option<MeanCi> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, m)| *m)
    }
}

/// A sweep axis value of one point.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// A number (integers included).
    Number(f64),
    /// Anything else, as text (strings, booleans).
    Text(String),
}

impl Param {
    /// The value as a number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Param::Number(x) => Some(*x),
            Param::Text(_) => None,
        }
    }

    /// The value as written in point names.
    pub fn label(&self) -> String {
        match self {
            Param::Number(x) => format!("{x}"),
            Param::Text(s) => s.clone(),
        }
    }
}

/// One quantile curve: the wait (minutes) at each probability.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    /// Mean over replications, NaN where undefined.
    pub mean: Vec<f64>,
    /// 95% half-widths, NaN where undefined.
    pub ci95: Vec<f64>,
}

/// The distribution of the total wait (`wait_quantiles` in `summary.json`).
#[derive(Clone, Debug, PartialEq)]
pub struct WaitQuantiles {
    /// Probabilities.
    pub p: Vec<f64>,
    /// All clients.
    pub overall: Curve,
    /// Per segment, in file order.
    pub segments: Vec<(String, Curve)>,
}

/// Metrics per slot of the day (`slots` in `summary.json`, present when
/// the scenario has a `[calendar]` or tier shifts): each a [`Curve`] with
/// one value per slot. Metrics and tiers are kept in file order; any may be
/// missing (a reader of an older or newer summary draws what is there).
#[derive(Clone, Debug, PartialEq)]
pub struct Slots {
    /// Minutes per slot.
    pub slot_minutes: f64,
    /// Slot start times (`00:00`, ...), one per slot.
    pub labels: Vec<String>,
    /// All clients, by the slot they arrived in: metric name and values.
    pub overall: Vec<(String, Curve)>,
    /// Per tier, by time: tier name, then metric name and values.
    pub tiers: Vec<(String, Vec<(String, Curve)>)>,
}

impl Slots {
    /// The overall metric `metric`, if the file has it.
    pub fn overall(&self, metric: &str) -> Option<&Curve> {
        self.overall
            .iter()
            .find(|(m, _)| m == metric)
            .map(|(_, c)| c)
    }

    /// Metric `metric` of tier `tier`, if the file has it.
    pub fn tier(&self, tier: &str, metric: &str) -> Option<&Curve> {
        self.tiers
            .iter()
            .find(|(t, _)| t == tier)
            .and_then(|(_, ms)| ms.iter().find(|(m, _)| m == metric))
            .map(|(_, c)| c)
    }

    /// The start of slot `i`, in hours after midnight.
    pub fn start_hour(&self, i: usize) -> f64 {
        i as f64 * self.slot_minutes / 60.0
    }
}

/// One paired difference B − A (`vs_baseline` or `compare.json`).
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    /// `overall`, `segment.<name>` or `tier.<name>`.
    pub group: String,
    /// Metric name.
    pub metric: String,
    /// Mean in A.
    pub a: f64,
    /// Mean in B.
    pub b: f64,
    /// Mean of B − A.
    pub mean: f64,
    /// 95% half-width of B − A.
    pub ci95: f64,
    /// The interval excludes zero.
    pub significant: bool,
    /// Share of variance removed by pairing (NaN when undefined).
    pub variance_reduction: f64,
}

/// One point's entry in `summary.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Point name (`path=value,...`, or the scenario name).
    pub name: String,
    /// Replications run.
    pub replications: u64,
    /// Scenario seed.
    pub seed: u64,
    /// Minutes within which service should start; `None` in summaries
    /// written before the key existed.
    pub service_level_threshold: Option<f64>,
    /// Axis values by path, in axis order.
    pub parameters: Vec<(String, Param)>,
    /// Why the point stopped adding replications.
    pub stop_reason: String,
    /// Warnings about the design (load at or over capacity, ...).
    pub warnings: Vec<String>,
    /// All clients.
    pub overall: Metrics,
    /// Per segment.
    pub segments: Vec<(String, Metrics)>,
    /// Per tier.
    pub tiers: Vec<(String, Metrics)>,
    /// Distribution of the total wait.
    pub wait_quantiles: WaitQuantiles,
    /// Paired differences from the sweep's baseline point.
    pub vs_baseline: Option<Vec<Diff>>,
    /// Metrics per slot of the day, for a scenario with a calendar or
    /// shifts; `None` without (or in summaries written before the key
    /// existed).
    pub slots: Option<Slots>,
    /// The scenario's `[targets]` floor on the overall service level, if
    /// it sets one.
    pub service_level_target: Option<f64>,
    /// Staff cost per hour, for a scenario with a `[cost]`.
    pub staff_per_hour: Option<MeanCi>,
}

impl Point {
    /// The value of axis `path`.
    pub fn parameter(&self, path: &str) -> Option<&Param> {
        self.parameters
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, v)| v)
    }
}

/// One point of the manifest.
#[derive(Clone, Debug, PartialEq)]
pub struct ManifestPoint {
    /// Point index in the sweep.
    pub point: u64,
    /// Point name.
    pub name: String,
    /// Replications run.
    pub replications: u64,
    /// Why it stopped.
    pub stop_reason: String,
}

/// `manifest.json`, read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// tiersim version that wrote it.
    pub version: String,
    /// Scenario file(s) as given.
    pub file: String,
    /// Scenario (sweep) name.
    pub name: String,
    /// `sha256:...` of the scenario file(s).
    pub content_hash: String,
    /// Scenario seed.
    pub seed: Option<u64>,
    /// Command line.
    pub command_line: Vec<String>,
    /// Worker threads (0 for a merge).
    pub threads: u64,
    /// Start time (UTC, RFC 3339).
    pub started: String,
    /// End time (UTC, RFC 3339).
    pub finished: String,
    /// `K/N` for a shard.
    pub shard: Option<String>,
    /// How replications were chosen (precision options), or empty.
    pub options: String,
    /// Folders merged into this one.
    pub merged_from: Vec<String>,
    /// Points in the whole sweep.
    pub points_total: u64,
    /// Finished points.
    pub points: Vec<ManifestPoint>,
    /// The file's text, for the report's appendix.
    pub text: String,
}

/// `compare.json`, read back.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Label of scenario A.
    pub a: String,
    /// Label of scenario B.
    pub b: String,
    /// Replications of each.
    pub replications: u64,
    /// Seed of both.
    pub seed: u64,
    /// Whether B used A's random streams.
    pub common_random_numbers: bool,
    /// Every paired difference, in file order.
    pub differences: Vec<Diff>,
}

/// Everything the report is made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// The folder.
    pub dir: PathBuf,
    /// tiersim version that wrote `summary.json`.
    pub version: String,
    /// Sweep axes (paths), in order; empty for a plain run.
    pub axes: Vec<String>,
    /// Every point, in order.
    pub points: Vec<Point>,
    /// The manifest.
    pub manifest: Manifest,
    /// The comparison, for a folder written by `compare`.
    pub comparison: Option<Comparison>,
}

/// The metrics the report needs from every client group.
pub const REQUIRED_CLIENT_METRICS: [&str; 6] = [
    "wait_mean",
    "service_level",
    "abandon_rate",
    "blocked_rate",
    "sojourn_mean",
    "wait_p90",
];

/// The metrics the report needs from every tier.
pub const REQUIRED_TIER_METRICS: [&str; 2] = ["utilization", "wait_mean"];

/// What to tell a user whose files lack something.
fn older_format() -> String {
    format!(
        "the results were written by an older or unknown format; run the scenario again with this tiersim ({})",
        env!("CARGO_PKG_VERSION")
    )
}

/// A position in a JSON document, for reading with error messages that
/// name the file and the key.
#[derive(Clone, Copy)]
struct Node<'a> {
    value: &'a Value,
    file: &'a Path,
}

/// A JSON node with its dotted path.
#[derive(Clone)]
struct At<'a> {
    node: Node<'a>,
    path: String,
}

impl<'a> At<'a> {
    fn root(value: &'a Value, file: &'a Path) -> At<'a> {
        At {
            node: Node { value, file },
            path: String::new(),
        }
    }

    fn error(&self, what: &str) -> Error {
        let place = if self.path.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{}`", self.path)
        };
        Error::Results {
            path: self.node.file.to_path_buf(),
            message: format!("{place} {what}; {}", older_format()),
        }
    }

    fn child(&self, value: &'a Value, name: &str) -> At<'a> {
        let path = if self.path.is_empty() {
            name.to_string()
        } else if name.starts_with('[') {
            format!("{}{name}", self.path)
        } else {
            format!("{}.{name}", self.path)
        };
        At {
            node: Node {
                value,
                file: self.node.file,
            },
            path,
        }
    }

    fn key(&self, key: &str) -> Result<At<'a>, Error> {
        let object = self.object_value()?;
        match object.get(key) {
            Some(v) => Ok(self.child(v, key)),
            None => Err(self.error(&format!("has no key `{key}`"))),
        }
    }

    fn opt(&self, key: &str) -> Option<At<'a>> {
        self.node
            .value
            .as_object()
            .and_then(|o| o.get(key))
            .filter(|v| !v.is_null())
            .map(|v| self.child(v, key))
    }

    fn object_value(&self) -> Result<&'a serde_json::Map<String, Value>, Error> {
        self.node
            .value
            .as_object()
            .ok_or_else(|| self.error("is not an object"))
    }

    fn entries(&self) -> Result<Vec<(String, At<'a>)>, Error> {
        Ok(self
            .object_value()?
            .iter()
            .map(|(k, v)| (k.clone(), self.child(v, k)))
            .collect())
    }

    fn items(&self) -> Result<Vec<At<'a>>, Error> {
        let array = self
            .node
            .value
            .as_array()
            .ok_or_else(|| self.error("is not an array"))?;
        Ok(array
            .iter()
            .enumerate()
            .map(|(i, v)| self.child(v, &format!("[{i}]")))
            .collect())
    }

    fn string(&self) -> Result<String, Error> {
        self.node
            .value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.error("is not a string"))
    }

    fn boolean(&self) -> Result<bool, Error> {
        self.node
            .value
            .as_bool()
            .ok_or_else(|| self.error("is not true or false"))
    }

    fn count(&self) -> Result<u64, Error> {
        self.node
            .value
            .as_u64()
            .ok_or_else(|| self.error("is not a whole number"))
    }

    /// A number, or NaN for `null`.
    fn number(&self) -> Result<f64, Error> {
        match self.node.value {
            Value::Null => Ok(f64::NAN),
            v => v.as_f64().ok_or_else(|| self.error("is not a number")),
        }
    }

    fn numbers(&self) -> Result<Vec<f64>, Error> {
        self.items()?.iter().map(At::number).collect()
    }

    fn strings(&self) -> Result<Vec<String>, Error> {
        self.items()?.iter().map(At::string).collect()
    }
}

/// Reads a JSON file of the tool, checking `tool` and returning the
/// document and its version.
fn read_json(path: &Path) -> Result<(Value, String, String), Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|e| Error::Results {
        path: path.to_path_buf(),
        message: format!("not valid JSON ({e}); the file is damaged or was cut short"),
    })?;
    let root = At::root(&value, path);
    match root.opt("tool").map(|t| t.string()).transpose()? {
        Some(tool) if tool == "tiersim" => {}
        Some(other) => {
            return Err(Error::Results {
                path: path.to_path_buf(),
                message: format!("written by `{other}`, not by tiersim"),
            });
        }
        None => {
            return Err(Error::Results {
                path: path.to_path_buf(),
                message: "not a tiersim file (it has no `tool` key)".into(),
            });
        }
    }
    let version = root.key("version")?.string()?;
    Ok((value, version, text))
}

fn mean_ci(at: &At) -> Result<MeanCi, Error> {
    Ok(MeanCi {
        mean: at.key("mean")?.number()?,
        ci95: at.key("ci95")?.number()?,
    })
}

fn metrics(at: &At, required: &[&str]) -> Result<Metrics, Error> {
    let m = Metrics(
        at.entries()?
            .iter()
            .map(|(name, v)| Ok((name.clone(), mean_ci(v)?)))
            .collect::<Result<_, Error>>()?,
    );
    if let Some(missing) = required.iter().find(|r| m.get(r).is_none()) {
        return Err(at.error(&format!("has no metric `{missing}`")));
    }
    Ok(m)
}

fn groups(at: &At, required: &[&str]) -> Result<Vec<(String, Metrics)>, Error> {
    at.entries()?
        .iter()
        .map(|(name, v)| Ok((name.clone(), metrics(v, required)?)))
        .collect()
}

fn curve(at: &At, len: usize, per: &str) -> Result<Curve, Error> {
    let c = Curve {
        mean: at.key("mean")?.numbers()?,
        ci95: at.key("ci95")?.numbers()?,
    };
    if c.mean.len() != len || c.ci95.len() != len {
        return Err(at.error(&format!("does not have one value per {per} ({len})")));
    }
    Ok(c)
}

/// `{"<metric>": {"mean": [..], "ci95": [..]}, ..}` with `len` values each.
fn slot_metrics(at: &At, len: usize) -> Result<Vec<(String, Curve)>, Error> {
    at.entries()?
        .iter()
        .map(|(name, v)| Ok((name.clone(), curve(v, len, "slot")?)))
        .collect()
}

fn slots(at: &At) -> Result<Slots, Error> {
    let slot_minutes = at.key("slot_minutes")?.number()?;
    if !(slot_minutes.is_finite() && slot_minutes > 0.0) {
        return Err(at
            .key("slot_minutes")?
            .error("is not a positive number of minutes"));
    }
    let labels = at.key("labels")?.strings()?;
    if labels.is_empty() {
        return Err(at.key("labels")?.error("lists no slot"));
    }
    let n = labels.len();
    let overall = match at.opt("overall") {
        Some(o) => slot_metrics(&o, n)?,
        None => Vec::new(),
    };
    let tiers = match at.opt("tiers") {
        Some(t) => t
            .entries()?
            .iter()
            .map(|(name, v)| Ok((name.clone(), slot_metrics(v, n)?)))
            .collect::<Result<_, Error>>()?,
        None => Vec::new(),
    };
    Ok(Slots {
        slot_minutes,
        labels,
        overall,
        tiers,
    })
}

fn wait_quantiles(at: &At) -> Result<WaitQuantiles, Error> {
    let p = at.key("p")?.numbers()?;
    if p.is_empty() || p.iter().any(|x| !(0.0..=1.0).contains(x)) {
        return Err(at.error("has probabilities outside [0, 1]"));
    }
    Ok(WaitQuantiles {
        overall: curve(&at.key("overall")?, p.len(), "probability")?,
        segments: at
            .key("segments")?
            .entries()?
            .iter()
            .map(|(name, v)| Ok((name.clone(), curve(v, p.len(), "probability")?)))
            .collect::<Result<_, Error>>()?,
        p,
    })
}

fn differences(at: &At) -> Result<Vec<Diff>, Error> {
    let mut out = Vec::new();
    for (group, metrics) in at.entries()? {
        for (metric, d) in metrics.entries()? {
            out.push(Diff {
                group: group.clone(),
                metric,
                a: d.key("a")?.number()?,
                b: d.key("b")?.number()?,
                mean: d.key("mean")?.number()?,
                ci95: d.key("ci95")?.number()?,
                significant: d.key("significant")?.boolean()?,
                variance_reduction: d.key("variance_reduction")?.number()?,
            });
        }
    }
    Ok(out)
}

fn param(at: &At) -> Result<Param, Error> {
    Ok(match at.node.value {
        Value::Number(n) => Param::Number(n.as_f64().ok_or_else(|| at.error("is not finite"))?),
        Value::String(s) => Param::Text(s.clone()),
        Value::Bool(b) => Param::Text(b.to_string()),
        _ => return Err(at.error("is not a number, string or boolean")),
    })
}

fn point(at: &At) -> Result<Point, Error> {
    let threshold = match at.opt("service_level_threshold") {
        Some(t) => Some(t.number()?).filter(|x| x.is_finite()),
        None => None,
    };
    Ok(Point {
        name: at.key("name")?.string()?,
        replications: at.key("replications")?.count()?,
        seed: at.key("seed")?.count()?,
        service_level_threshold: threshold,
        parameters: at
            .key("parameters")?
            .entries()?
            .iter()
            .map(|(k, v)| Ok((k.clone(), param(v)?)))
            .collect::<Result<_, Error>>()?,
        stop_reason: at.key("stop_reason")?.string()?,
        warnings: at.key("warnings")?.strings()?,
        overall: metrics(&at.key("overall")?, &REQUIRED_CLIENT_METRICS)?,
        segments: groups(&at.key("segments")?, &REQUIRED_CLIENT_METRICS)?,
        tiers: groups(&at.key("tiers")?, &REQUIRED_TIER_METRICS)?,
        wait_quantiles: wait_quantiles(&at.key("wait_quantiles")?)?,
        vs_baseline: at.opt("vs_baseline").map(|d| differences(&d)).transpose()?,
        slots: at.opt("slots").map(|s| slots(&s)).transpose()?,
        service_level_target: service_level_target(at)?,
        staff_per_hour: at
            .opt("cost")
            .map(|c| mean_ci(&c.key("staff_per_hour")?))
            .transpose()?,
    })
}

/// The overall `service_level >=` target of a point's `targets` block.
fn service_level_target(at: &At) -> Result<Option<f64>, Error> {
    let Some(targets) = at.opt("targets") else {
        return Ok(None);
    };
    for t in targets.items()? {
        if t.key("group")?.string()? == "overall"
            && t.key("metric")?.string()? == "service_level"
            && t.key("bound")?.string()? == ">="
        {
            return Ok(Some(t.key("value")?.number()?));
        }
    }
    Ok(None)
}

fn manifest(path: &Path) -> Result<Manifest, Error> {
    let (value, version, text) = read_json(path)?;
    let root = At::root(&value, path);
    let m = root.key("manifest")?;
    let scenario = m.key("scenario")?;
    Ok(Manifest {
        version,
        file: scenario.key("file")?.string()?,
        name: scenario.key("name")?.string()?,
        content_hash: scenario.key("content_hash")?.string()?,
        seed: m.opt("seed").map(|s| s.count()).transpose()?,
        command_line: m.key("command_line")?.strings()?,
        threads: m.key("threads")?.count()?,
        started: m.key("started")?.string()?,
        finished: m.key("finished")?.string()?,
        shard: m.opt("shard").map(|s| s.string()).transpose()?,
        options: m.key("options")?.string()?,
        merged_from: m.key("merged_from")?.strings()?,
        points_total: m.key("points_total")?.count()?,
        points: m
            .key("points")?
            .items()?
            .iter()
            .map(|p| {
                Ok(ManifestPoint {
                    point: p.key("point")?.count()?,
                    name: p.key("name")?.string()?,
                    replications: p.key("replications")?.count()?,
                    stop_reason: p.key("stop_reason")?.string()?,
                })
            })
            .collect::<Result<_, Error>>()?,
        text,
    })
}

fn comparison(path: &Path) -> Result<Comparison, Error> {
    let (value, _, _) = read_json(path)?;
    let root = At::root(&value, path);
    let c = root.key("comparison")?;
    Ok(Comparison {
        a: c.key("a")?.string()?,
        b: c.key("b")?.string()?,
        replications: c.key("replications")?.count()?,
        seed: c.key("seed")?.count()?,
        common_random_numbers: c.key("common_random_numbers")?.boolean()?,
        differences: differences(&c.key("differences")?)?,
    })
}

/// The `name` column of a CSV file (after checking its header starts with
/// `expected`).
fn csv_names(path: &Path, expected: &[&str]) -> Result<Vec<String>, Error> {
    let bad = |message: String| Error::Results {
        path: path.to_path_buf(),
        message,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(format!("cannot read: {e}")))?;
    let header = reader
        .headers()
        .map_err(|e| bad(format!("not a CSV file: {e}")))?
        .clone();
    if !expected
        .iter()
        .enumerate()
        .all(|(i, e)| header.get(i) == Some(e))
    {
        return Err(bad(format!(
            "its columns do not start with {}; {}",
            expected.join(", "),
            older_format()
        )));
    }
    let column = expected.iter().position(|c| *c == "name").unwrap_or(0);
    let mut names = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(format!("damaged row: {e}")))?;
        names.push(record.get(column).unwrap_or_default().to_string());
    }
    Ok(names)
}

fn results_error(dir: &Path, message: impl Into<String>) -> Error {
    Error::Results {
        path: dir.to_path_buf(),
        message: message.into(),
    }
}

/// Reads and checks the output folder `dir`.
pub fn load(dir: &Path) -> Result<Results, Error> {
    if !dir.is_dir() {
        return Err(results_error(
            dir,
            "no such folder (give the folder that `tiersim run`, `sweep` or `compare` wrote)",
        ));
    }
    let summary_path = dir.join("summary.json");
    let manifest_path = dir.join("manifest.json");
    if !summary_path.exists() {
        let why = if manifest_path.exists() && manifest(&manifest_path)?.shard.is_some() {
            "this folder holds one shard of a sweep and no summary.json: join the shards with `tiersim merge` and make the report of the merged folder".to_string()
        } else if dir.join("points.jsonl").exists() {
            "no summary.json: the run did not finish; run the same command again with --resume to finish it".to_string()
        } else {
            "no results here (no summary.json): give the folder that `tiersim run`, `sweep` or `compare` wrote".to_string()
        };
        return Err(results_error(dir, why));
    }
    if !manifest_path.exists() {
        return Err(results_error(
            dir,
            "summary.json has no manifest.json beside it: the folder is incomplete; run the scenario again",
        ));
    }
    let (value, version, _) = read_json(&summary_path)?;
    let root = At::root(&value, &summary_path);
    let points: Vec<Point> = root
        .key("scenarios")?
        .items()?
        .iter()
        .map(point)
        .collect::<Result<_, Error>>()?;
    let Some(first) = points.first() else {
        return Err(Error::Results {
            path: summary_path,
            message: "holds no points: nothing to report".into(),
        });
    };
    let axes: Vec<String> = first.parameters.iter().map(|(p, _)| p.clone()).collect();
    for p in &points {
        let these: Vec<&String> = p.parameters.iter().map(|(k, _)| k).collect();
        if these != axes.iter().collect::<Vec<_>>() {
            return Err(Error::Results {
                path: summary_path,
                message: format!(
                    "point `{}` has other axes than the first point: the file is damaged",
                    p.name
                ),
            });
        }
    }
    let manifest = manifest(&manifest_path)?;
    let names: Vec<&str> = points.iter().map(|p| p.name.as_str()).collect();
    let manifest_names: Vec<&str> = manifest.points.iter().map(|p| p.name.as_str()).collect();
    if names != manifest_names {
        return Err(results_error(
            dir,
            "summary.json and manifest.json list different points: they come from different runs; run the scenario again",
        ));
    }
    let results_csv = dir.join("results.csv");
    if results_csv.exists() {
        let rows = csv_names(&results_csv, &["point", "name"])?;
        if rows != names {
            return Err(results_error(
                dir,
                "results.csv and summary.json list different points: they come from different runs; run the scenario again",
            ));
        }
    }
    let differences_csv = dir.join("differences.csv");
    if differences_csv.exists() {
        let rows = csv_names(&differences_csv, &["name", "group", "metric"])?;
        if let Some(stray) = rows.iter().find(|r| !names.contains(&r.as_str())) {
            return Err(results_error(
                dir,
                format!(
                    "differences.csv has a point `{stray}` that summary.json lacks: they come from different runs"
                ),
            ));
        }
    }
    let compare_path = dir.join("compare.json");
    let comparison = if compare_path.exists() {
        let c = comparison(&compare_path)?;
        if names != [c.a.as_str(), c.b.as_str()] {
            return Err(results_error(
                dir,
                "compare.json does not compare the two points of summary.json: they come from different runs",
            ));
        }
        Some(c)
    } else {
        None
    };
    Ok(Results {
        dir: dir.to_path_buf(),
        version,
        axes,
        points,
        manifest,
        comparison,
    })
}
