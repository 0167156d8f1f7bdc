//! `arrivals = { trace = "file.csv" }` of a segment: arrivals replayed from
//! a CSV file instead of drawn (`model::Trace`). The file (a path relative
//! to the scenario file) has a header and the columns `arrival` (minutes
//! from the run's start, ascending, >= 0) and optionally `request` (a
//! declared request type) and `service` (the minutes of that arrival's
//! service at the first tier it visits, >= 0, or empty: drawn). A problem in it is reported at the scenario's
//! `arrivals.trace` field, naming the trace file, line and column and what
//! is expected.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;

use super::diagnostics::Checker;
use super::raw::RawArrivals;
use crate::model::Trace;

/// Columns a trace may have.
const COLUMNS: &str = "`arrival` (minutes from the run's start) and optionally `request` and `service` (minutes of its first service, or empty)";

/// A problem in a trace file: its line and column (1-based) and what is
/// wrong.
#[derive(Debug, PartialEq)]
pub struct TraceError {
    /// Line in the file (1 = the header).
    pub line: u64,
    /// Column (1-based field number).
    pub column: usize,
    /// What is wrong and what is expected.
    pub message: String,
}

/// The path of a trace named in scenario `file`: relative paths are
/// relative to the scenario's folder.
pub fn resolve(file: &str, trace: &str) -> PathBuf {
    let path = Path::new(trace);
    match Path::new(file).parent() {
        Some(dir) if path.is_relative() => dir.join(path),
        _ => path.to_path_buf(),
    }
}

/// A [`TraceError`] at `line` and `column`.
fn at(line: u64, column: usize, message: String) -> TraceError {
    TraceError {
        line,
        column,
        message,
    }
}

/// Where a trace's columns are (0-based).
struct Columns {
    arrival: usize,
    request: Option<usize>,
    service: Option<usize>,
}

/// The columns named by `header`; `requests` as in [`parse`].
fn columns(header: &csv::StringRecord, requests: &[String]) -> Result<Columns, TraceError> {
    let mut arrival = None;
    let mut request = None;
    let mut service = None;
    for (i, name) in header.iter().enumerate() {
        match name {
            "arrival" => arrival = Some(i),
            "service" => service = Some(i),
            "request" if !requests.is_empty() => request = Some(i),
            "request" => {
                return Err(at(1, i + 1, "got column `request`, but the scenario declares no `[[request]]` types; allowed: the column only with declared request types".into()));
            }
            other => {
                return Err(at(
                    1,
                    i + 1,
                    format!("got unknown column `{other}`; allowed: {COLUMNS}"),
                ));
            }
        }
    }
    let arrival =
        arrival.ok_or_else(|| at(1, 1, format!("no `arrival` column; allowed: {COLUMNS}")))?;
    Ok(Columns {
        arrival,
        request,
        service,
    })
}

/// Parses a trace's text; `requests` are the declared request type names
/// (empty: the file may not have a `request` column).
pub fn parse(text: &str, requests: &[String]) -> Result<Trace, TraceError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| {
        at(
            1,
            1,
            format!("unreadable header ({e}); allowed: the columns {COLUMNS}"),
        )
    })?;
    let columns = columns(header, requests)?;
    let mut trace = Trace {
        arrivals: Vec::new(),
        requests: Vec::new(),
        services: Vec::new(),
    };
    let mut previous = 0.0;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            at(line, 1, format!("unreadable row ({e}); allowed: {COLUMNS}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let t = parse_arrival(record.get(columns.arrival), previous, line, columns.arrival)?;
        previous = t;
        trace.arrivals.push(t);
        if let Some(column) = columns.service {
            trace
                .services
                .push(parse_service(record.get(column), line, column)?);
        }
        if let Some(column) = columns.request {
            let name = record.get(column).unwrap_or("");
            match requests.iter().position(|r| r == name) {
                Some(r) => trace.requests.push(r as u16),
                None => {
                    return Err(at(
                        line,
                        column + 1,
                        format!(
                            "column `request`: got `{name}`; allowed: one of the declared request types: {}",
                            requests.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    Ok(trace)
}

/// A row's `arrival`: minutes >= 0, not before the previous row's.
fn parse_arrival(
    text: Option<&str>,
    previous: f64,
    line: u64,
    column: usize,
) -> Result<f64, TraceError> {
    let text = text.unwrap_or("");
    let t: f64 = match text.parse() {
        Ok(t) if f64::is_finite(t) && t >= 0.0 => t,
        _ => {
            return Err(at(
                line,
                column + 1,
                format!(
                    "column `arrival`: got `{text}`; allowed: minutes from the run's start, a finite number >= 0"
                ),
            ));
        }
    };
    if t < previous {
        return Err(at(
            line,
            column + 1,
            format!(
                "column `arrival`: got {t}, before the previous row's {previous}; allowed: rows sorted by arrival (ties allowed)"
            ),
        ));
    }
    Ok(t)
}

/// A row's `service`: minutes >= 0, or empty for a service to be drawn
/// (stored as NaN).
fn parse_service(text: Option<&str>, line: u64, column: usize) -> Result<f64, TraceError> {
    let text = text.unwrap_or("");
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
        _ => Err(TraceError {
            line,
            column: column + 1,
            message: format!(
                "column `service`: got `{text}`; allowed: the minutes of the arrival's first service, a finite number >= 0, or empty (drawn)"
            ),
        }),
    }
}

impl Checker<'_> {
    /// The trace of a segment's `arrivals`, read from its file; `None`
    /// (with a problem recorded) when it cannot be used.
    pub(super) fn trace(
        &mut self,
        raw: &Spanned<RawArrivals>,
        field: &str,
        requests: &[String],
    ) -> Option<Arc<Trace>> {
        let name = raw.get_ref().trace.get_ref();
        let span = raw.get_ref().trace.span();
        let path = resolve(self.file(), name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                self.problem(span, field, format!("cannot read the trace file {}: {e}; allowed: a CSV file with the columns {COLUMNS}", path.display()));
                return None;
            }
        };
        match parse(&text, requests) {
            Ok(trace) => Some(Arc::new(trace)),
            Err(e) => {
                self.problem(
                    span,
                    field,
                    format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_trace_is_read_with_its_request_types() {
        let t = parse("arrival,request\n0,b\n1.5,a\n1.5,b\n", &names(&["a", "b"])).unwrap();
        assert_eq!(t.arrivals, vec![0.0, 1.5, 1.5]);
        assert_eq!(t.requests, vec![1, 0, 1]);
        let t = parse("arrival\n2\n3\n", &[]).unwrap();
        assert!(t.requests.is_empty());
    }

    #[test]
    fn a_trace_may_give_each_arrival_its_service() {
        let t = parse("arrival,service\n0,2.5\n1,\n", &[]).unwrap();
        assert_eq!(t.services[0], 2.5);
        assert!(t.services[1].is_nan());
        assert!(parse("arrival\n0\n", &[]).unwrap().services.is_empty());
        let e = parse("arrival,service\n0,-1\n", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains("or empty (drawn)"), "{e:?}");
    }

    #[test]
    fn bad_traces_name_line_column_and_what_is_expected() {
        let e = parse("arrival\n2\n1\n", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(
            e.message.contains("allowed: rows sorted by arrival"),
            "{e:?}"
        );
        let e = parse("x,arrival\n0,-1\n", &[]).unwrap_err();
        assert_eq!((e.line, e.column), (1, 1));
        let e = parse("request,arrival\na,-1\n", &names(&["a"])).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(e.message.contains(">= 0"));
        let e = parse("arrival,request\n1,c\n", &names(&["a"])).unwrap_err();
        assert_eq!((e.line, e.column), (2, 2));
        assert!(parse("request\na\n", &names(&["a"])).is_err());
        assert!(parse("arrival,request\n1,a\n", &[]).is_err());
    }
}
