//! The CSV files, for researchers' own tools: `results.csv` (one row per
//! point: parameters, then each metric's mean and 95% half-width),
//! `replications.csv` (one row per point and replication) and the paired
//! differences of a comparison. Each row is a serde type, written with the
//! csv crate: fixed tables take their header from the type's fields; the
//! wide tables (one column per group and metric) write the header from the
//! same column list that orders the row's values. Numbers are written in
//! their shortest exact form; an undefined value is an empty cell.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::experiment::{
    Difference, PointResult, ReplicationMetrics, ScenarioSummary, Shape, StopReason,
};
use crate::scenario::Sweep;
use crate::scenario::sweep::display;

/// A number cell: its shortest exact form, empty when undefined (NaN).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell(pub f64);

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() {
            s.collect_str(&self.0)
        } else {
            s.serialize_str("")
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(Cell(f64::NAN));
        }
        text.parse()
            .map(Cell)
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

/// Rows with the header their type's fields name (no rows: an empty file;
/// every table the tool writes has at least one).
pub fn write_rows<T: Serialize>(rows: &[T]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).expect("output rows serialise");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// A wide table: `header`, then rows whose values follow its columns.
fn write_wide<T: Serialize>(header: &[String], rows: &[T]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for row in rows {
        w.serialize(row).expect("output rows serialise");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// Reads rows of type `T` from CSV `bytes` with a header.
pub fn read_rows<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, csv::Error> {
    csv::Reader::from_reader(bytes).deserialize().collect()
}

/// Header cells `point, name, <axis paths...>`.
fn leading(sweep: &Sweep) -> Vec<String> {
    let mut h = vec!["point".to_string(), "name".to_string()];
    h.extend(sweep.axes.iter().cloned());
    h
}

/// The wide tables' value columns: each group label with its metric names.
pub type Columns = Vec<(String, &'static [&'static str])>;

/// Every group label of the points `indices` of `sweep` with its metric
/// names, in order of first appearance (compared scenarios may have
/// different tiers). Read from the points' models, so it is known before
/// any row is written.
pub fn columns(sweep: &Sweep, indices: impl Iterator<Item = usize>) -> Columns {
    let mut out: Columns = Vec::new();
    for i in indices {
        for (label, metrics) in Shape::of(&sweep.points[i].scenario.model).groups() {
            if !out.iter().any(|(l, _)| *l == label) {
                out.push((label, metrics));
            }
        }
    }
    out
}

/// One row of `results.csv`: a point, its parameters, then `mean` and
/// `ci95` of each group's metrics in the header's order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResultRow {
    /// Point index.
    pub point: usize,
    /// Point name.
    pub name: String,
    /// Axis values, in axis order.
    pub parameters: Vec<String>,
    /// Replications run.
    pub replications: u32,
    /// Why the point stopped.
    pub stop_reason: String,
    /// Mean and 95% half-width of each column's metric (empty cells for a
    /// group the point lacks).
    pub values: Vec<Cell>,
}

/// One row of `replications.csv`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicationRow {
    /// Point index.
    pub point: usize,
    /// Point name.
    pub name: String,
    /// Axis values, in axis order.
    pub parameters: Vec<String>,
    /// Replication index.
    pub replication: usize,
    /// Each column's metric.
    pub values: Vec<Cell>,
}

/// A wide table read back: its header and each record cut into the
/// leading `point, name`, the axis values, the fixed cells after them, and
/// the values. The axes are the columns between `name` and `marker`.
struct Wide {
    header: Vec<String>,
    records: Vec<[csv::StringRecord; 4]>,
}

fn read_wide(bytes: &[u8], marker: &str, fixed: usize) -> Result<Wide, csv::Error> {
    let mut reader = csv::Reader::from_reader(bytes);
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let axes = header
        .iter()
        .position(|h| h == marker)
        .map_or(0, |i| i.saturating_sub(2));
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record?;
        let part = |from: usize, to: usize| -> csv::StringRecord {
            record
                .iter()
                .skip(from)
                .take(to.saturating_sub(from))
                .collect()
        };
        let values = 2 + axes + fixed;
        records.push([
            part(0, 2),
            part(2, 2 + axes),
            part(2 + axes, values),
            part(values, record.len()),
        ]);
    }
    Ok(Wide { header, records })
}

impl ResultRow {
    /// Reads `results.csv` back: its header and its rows.
    pub fn read(bytes: &[u8]) -> Result<(Vec<String>, Vec<ResultRow>), csv::Error> {
        let wide = read_wide(bytes, "replications", 2)?;
        let rows = wide
            .records
            .iter()
            .map(|[lead, parameters, fixed, values]| {
                let (point, name): (usize, String) = lead.deserialize(None)?;
                let (replications, stop_reason): (u32, String) = fixed.deserialize(None)?;
                Ok(ResultRow {
                    point,
                    name,
                    parameters: parameters.deserialize(None)?,
                    replications,
                    stop_reason,
                    values: values.deserialize(None)?,
                })
            })
            .collect::<Result<_, csv::Error>>()?;
        Ok((wide.header, rows))
    }

    /// Writes `header` and `rows` as `results.csv`.
    pub fn write(header: &[String], rows: &[ResultRow]) -> Vec<u8> {
        write_wide(header, rows)
    }
}

impl ReplicationRow {
    /// Reads `replications.csv` back: its header and its rows.
    pub fn read(bytes: &[u8]) -> Result<(Vec<String>, Vec<ReplicationRow>), csv::Error> {
        let wide = read_wide(bytes, "replication", 1)?;
        let rows = wide
            .records
            .iter()
            .map(|[lead, parameters, fixed, values]| {
                let (point, name): (usize, String) = lead.deserialize(None)?;
                let (replication,): (usize,) = fixed.deserialize(None)?;
                Ok(ReplicationRow {
                    point,
                    name,
                    parameters: parameters.deserialize(None)?,
                    replication,
                    values: values.deserialize(None)?,
                })
            })
            .collect::<Result<_, csv::Error>>()?;
        Ok((wide.header, rows))
    }

    /// Writes `header` and `rows` as `replications.csv`.
    pub fn write(header: &[String], rows: &[ReplicationRow]) -> Vec<u8> {
        write_wide(header, rows)
    }
}

/// The parameters of point `index` as cells.
fn parameters(sweep: &Sweep, index: usize) -> Vec<String> {
    sweep.points[index]
        .parameters
        .iter()
        .map(|(_, v)| display(v))
        .collect()
}

/// The header of `results.csv`.
pub fn results_header(sweep: &Sweep, columns: &Columns) -> Vec<String> {
    let mut header = leading(sweep);
    header.extend(["replications".to_string(), "stop_reason".to_string()]);
    for (group, metrics) in columns {
        for m in metrics.iter() {
            header.push(format!("{group}.{m}.mean"));
            header.push(format!("{group}.{m}.ci95"));
        }
    }
    header
}

/// The row of `results.csv` of point `point` (stopped by `stop`), whose
/// estimates are `summary`.
pub fn result_row(
    sweep: &Sweep,
    columns: &Columns,
    point: usize,
    stop: StopReason,
    summary: &ScenarioSummary,
) -> ResultRow {
    let groups = summary.groups();
    let mut values = Vec::new();
    for (group, metrics) in columns {
        match groups.iter().find(|(g, _)| g == group) {
            Some((_, m)) => values.extend(m.iter().flat_map(|(_, e)| [Cell(e.mean), Cell(e.ci95)])),
            None => values.extend(std::iter::repeat_n(Cell(f64::NAN), 2 * metrics.len())),
        }
    }
    ResultRow {
        point,
        name: sweep.points[point].name.clone(),
        parameters: parameters(sweep, point),
        replications: summary.replications,
        stop_reason: stop.as_str().to_string(),
        values,
    }
}

/// One replication's values by group label.
fn by_group(shape: &Shape, metrics: &ReplicationMetrics) -> Vec<(String, Vec<f64>)> {
    let mut values = metrics.flat();
    shape
        .groups()
        .into_iter()
        .map(|(label, names)| (label, values.by_ref().take(names.len()).collect()))
        .collect()
}

/// The header of `replications.csv`.
pub fn replications_header(sweep: &Sweep, columns: &Columns) -> Vec<String> {
    let mut header = leading(sweep);
    header.push("replication".to_string());
    for (group, metrics) in columns {
        header.extend(metrics.iter().map(|m| format!("{group}.{m}")));
    }
    header
}

/// The rows of `replications.csv` of one finished point.
pub fn replication_rows(
    sweep: &Sweep,
    columns: &Columns,
    result: &PointResult,
) -> Vec<ReplicationRow> {
    let shape = Shape::of(&sweep.points[result.point].scenario.model);
    let mut rows = Vec::new();
    for (r, metrics) in result.replications.iter().enumerate() {
        let by = by_group(&shape, metrics);
        let mut values = Vec::new();
        for (group, names) in columns {
            match by.iter().find(|(g, _)| g == group) {
                Some((_, v)) => values.extend(v.iter().map(|&x| Cell(x))),
                None => values.extend(std::iter::repeat_n(Cell(f64::NAN), names.len())),
            }
        }
        rows.push(ReplicationRow {
            point: result.point,
            name: sweep.points[result.point].name.clone(),
            parameters: parameters(sweep, result.point),
            replication: r,
            values,
        });
    }
    rows
}

/// One row of `differences.csv`: a paired difference B − A.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DifferenceRow {
    /// The row's label (the point, B).
    pub name: String,
    /// `overall`, `segment.<name>` or `tier.<name>`.
    pub group: String,
    /// Metric name.
    pub metric: String,
    /// Mean in A.
    #[serde(rename = "a.mean")]
    pub a_mean: Cell,
    /// Mean in B.
    #[serde(rename = "b.mean")]
    pub b_mean: Cell,
    /// Mean of B − A.
    #[serde(rename = "difference.mean")]
    pub difference_mean: Cell,
    /// 95% half-width of B − A.
    #[serde(rename = "difference.ci95")]
    pub difference_ci95: Cell,
    /// The interval excludes zero.
    pub significant: bool,
    /// Share of variance removed by pairing (empty when undefined).
    pub variance_reduction: Cell,
}

/// The rows of paired differences `diffs` labelled `label`, one per
/// (group, metric).
pub fn difference_rows(label: &str, diffs: &[Difference]) -> Vec<DifferenceRow> {
    diffs
        .iter()
        .map(|d| DifferenceRow {
            name: label.to_string(),
            group: d.group.clone(),
            metric: d.metric.to_string(),
            a_mean: Cell(d.a.mean),
            b_mean: Cell(d.b.mean),
            difference_mean: Cell(d.difference.mean),
            difference_ci95: Cell(d.difference.ci95),
            significant: d.significant,
            variance_reduction: Cell(d.variance_reduction),
        })
        .collect()
}

/// Paired differences, one row per (row label, group, metric).
pub fn differences(rows: &[(String, &[Difference])]) -> Vec<u8> {
    let rows: Vec<DifferenceRow> = rows
        .iter()
        .flat_map(|(label, diffs)| difference_rows(label, diffs))
        .collect();
    write_rows(&rows)
}
