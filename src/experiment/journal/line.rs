//! One line of the journal (format 3): `{"sha256": "<hex>", "header": {…}}`
//! or `{"sha256": "<hex>", "point": {…}}`, where `sha256` is the SHA-256 of
//! the exact bytes of the object after `"header":` or `"point":`. A point
//! carries its identity: the SHA-256 of the run it belongs to (the header
//! without the scenario text, which its hash stands for) and its index, so
//! a line copied in from another journal is told apart even though its
//! checksum is sound.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::Header;
use crate::experiment::{PointResult, ReplicationMetrics, StopReason};
use crate::scenario::sweep::content_hash;

/// The journal format these lines are written in. Format 3: the
/// positional metric arrays grew with the redial and repeat-contact
/// metrics (`attempts`, `redials`, `unique_clients`, `abandon_rate_final`,
/// `redial_minutes_mean`, `repeat_contacts`, `failure_demand_share`), so a
/// format-2 journal's values could land under the wrong names.
pub const FORMAT: u32 = 3;

/// The format before: the same lines, but metric arrays that may be
/// shorter (written before the redial metrics), so its values cannot be
/// placed by position.
pub const SHORTER_METRICS: u32 = 2;

/// The marker of a tiersim journal header.
const MARKER: &str = "tiersim-points";

/// A line as stored: its checksum and exactly one of header or point.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sealed {
    sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    header: Option<Box<RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    point: Option<Box<RawValue>>,
}

/// The header's fields, with the marker and format in front.
#[derive(Serialize, Deserialize)]
struct HeaderLine {
    journal: String,
    format: u32,
    #[serde(flatten)]
    header: Header,
}

/// A finished point as stored.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PointLine {
    index: usize,
    identity: String,
    name: String,
    stop_reason: String,
    replications: Vec<Replication>,
}

/// One replication's metrics; `null` for a value that is not finite.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Replication {
    overall: Vec<Option<f64>>,
    segments: Vec<Vec<Option<f64>>>,
    tiers: Vec<Vec<Option<f64>>>,
    wait_quantiles: Vec<Vec<Option<f64>>>,
    slots: Vec<Vec<Option<f64>>>,
    requests: Vec<Vec<Option<f64>>>,
    warmup_drift: Option<f64>,
    /// Agent groups' rows; absent without groups (older journals too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    agents: Vec<Vec<Option<f64>>>,
    /// Per simulated day (`--day-quantile`); absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    days: Vec<Vec<Option<f64>>>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn stored(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(finite).collect()
}

fn stored_lists(lists: &[Vec<f64>]) -> Vec<Vec<Option<f64>>> {
    lists.iter().map(|l| stored(l)).collect()
}

fn values(stored: Vec<Option<f64>>) -> Vec<f64> {
    stored.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect()
}

fn value_lists(stored: Vec<Vec<Option<f64>>>) -> Vec<Vec<f64>> {
    stored.into_iter().map(values).collect()
}

impl From<&ReplicationMetrics> for Replication {
    fn from(m: &ReplicationMetrics) -> Self {
        Replication {
            overall: stored(&m.overall),
            segments: stored_lists(&m.segments),
            tiers: stored_lists(&m.tiers),
            wait_quantiles: stored_lists(&m.wait_quantiles),
            slots: stored_lists(&m.slots),
            requests: stored_lists(&m.requests),
            warmup_drift: finite(m.warmup_drift),
            agents: stored_lists(&m.agents),
            days: stored_lists(&m.days),
        }
    }
}

impl From<Replication> for ReplicationMetrics {
    fn from(r: Replication) -> Self {
        ReplicationMetrics {
            overall: values(r.overall),
            segments: value_lists(r.segments),
            tiers: value_lists(r.tiers),
            wait_quantiles: value_lists(r.wait_quantiles),
            slots: value_lists(r.slots),
            requests: value_lists(r.requests),
            warmup_drift: r.warmup_drift.unwrap_or(f64::NAN),
            agents: value_lists(r.agents),
            days: value_lists(r.days),
        }
    }
}

/// The identity of point `index` of the run `header` describes.
pub fn identity(header: &Header, index: usize) -> String {
    let run = (
        &header.tool_version,
        &header.scenario,
        &header.content_hash,
        header.points,
        header.shard,
        &header.options,
        index,
    );
    content_hash(
        serde_json::to_string(&run)
            .expect("plain values serialise")
            .as_bytes(),
    )
}

/// `body` sealed with its checksum, as one line with its newline.
fn seal(body: String, is_header: bool) -> String {
    let raw = RawValue::from_string(body).expect("serde_json wrote valid JSON");
    let sha256 = content_hash(raw.get().as_bytes());
    let (header, point) = if is_header {
        (Some(raw), None)
    } else {
        (None, Some(raw))
    };
    let mut line = serde_json::to_string(&Sealed {
        sha256,
        header,
        point,
    })
    .expect("a sealed line serialises");
    line.push('\n');
    line
}

/// The header line.
pub fn header_line(header: &Header) -> String {
    let body = serde_json::to_string(&HeaderLine {
        journal: MARKER.into(),
        format: FORMAT,
        header: header.clone(),
    })
    .expect("a header serialises");
    seal(body, true)
}

/// The line of finished point `result`, named `name`, of the run `header`.
pub fn point_line(header: &Header, result: &PointResult, name: &str) -> String {
    let body = serde_json::to_string(&PointLine {
        index: result.point,
        identity: identity(header, result.point),
        name: name.into(),
        stop_reason: result.stop.as_str().into(),
        replications: result.replications.iter().map(Replication::from).collect(),
    })
    .expect("a point serialises");
    seal(body, false)
}

/// What the first line of a journal says.
pub enum FirstLine {
    /// A sound header of this format.
    Header(Header),
    /// A tiersim journal header of another format (format 1 had no
    /// checksums); the header as far as it could be read.
    Format(u32, Option<Header>),
}

/// What `e` says, without its position (which counts lines of a single
/// journal line, and would be taken for the journal's).
fn cause(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at line ") {
        Some((cause, _)) if e.line() > 0 => cause.to_string(),
        _ => text,
    }
}

/// The content of a sound line (checksum verified), or why it is not.
fn unseal(bytes: &[u8]) -> Result<(bool, Box<RawValue>), String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "not text (binary junk or a damaged write)".to_string())?;
    let sealed: Sealed =
        serde_json::from_str(text).map_err(|e| format!("not a journal line ({})", cause(&e)))?;
    let (is_header, raw) = match (sealed.header, sealed.point) {
        (Some(h), None) => (true, h),
        (None, Some(p)) => (false, p),
        _ => return Err("not a journal line (needs one of `header` or `point`)".into()),
    };
    if content_hash(raw.get().as_bytes()) != sealed.sha256 {
        return Err("its checksum does not match its content (altered or damaged)".into());
    }
    Ok((is_header, raw))
}

/// Reads the first line (without its newline).
pub fn first_line(bytes: &[u8]) -> Result<FirstLine, String> {
    match unseal(bytes) {
        Ok((true, raw)) => {
            let h: HeaderLine = serde_json::from_str(raw.get())
                .map_err(|e| format!("not a tiersim journal header ({})", cause(&e)))?;
            if h.journal != MARKER {
                return Err("not a tiersim journal header".into());
            }
            Ok(if h.format == FORMAT {
                FirstLine::Header(h.header)
            } else {
                FirstLine::Format(h.format, Some(h.header))
            })
        }
        Ok((false, _)) => Err("a point where the header should be".into()),
        Err(why) => {
            // An unsealed header: a journal of format 1 (or damaged).
            let old: serde_json::Value = serde_json::from_slice(bytes).map_err(|_| why.clone())?;
            if old["journal"] != MARKER {
                return Err(why);
            }
            let format = old["format"].as_u64().unwrap_or(0) as u32;
            let header = serde_json::from_value::<HeaderLine>(old).ok();
            Ok(FirstLine::Format(format, header.map(|h| h.header)))
        }
    }
}

/// Reads a point line (without its newline) of the run `header`: its
/// checksum, its identity and its index are checked.
pub fn point(header: &Header, bytes: &[u8]) -> Result<PointResult, String> {
    let (is_header, raw) = unseal(bytes)?;
    if is_header {
        return Err("a second header".into());
    }
    let p: PointLine = serde_json::from_str(raw.get())
        .map_err(|e| format!("not a finished point ({})", cause(&e)))?;
    if p.index >= header.points {
        return Err(format!(
            "point {} is beyond the {} points of the sweep",
            p.index, header.points
        ));
    }
    if p.identity != identity(header, p.index) {
        return Err(format!(
            "point {} belongs to another run (its identity differs: copied from another journal?)",
            p.index
        ));
    }
    let stop = StopReason::parse(&p.stop_reason)
        .ok_or_else(|| format!("unknown stop reason `{}`", p.stop_reason))?;
    Ok(PointResult {
        point: p.index,
        replications: p.replications.into_iter().map(Into::into).collect(),
        stop,
    })
}
