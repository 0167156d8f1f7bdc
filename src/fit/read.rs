//! Reading a call log into records: the Anonymous Bank TSV and the generic
//! CSV (`docs/fit.md` gives both formats). A missing column stops the read
//! (with its file, line and column); a row whose field cannot be read is
//! counted as unusable by reason, and the first one kept for the message.
//! Nothing here judges what the calls mean: that is `clean`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::error::LogError;

/// The layout of a call log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// The Anonymous Bank TSV (Technion SEE Center; one row per call).
    AnonymousBank,
    /// The generic CSV of `docs/fit.md`.
    Csv,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Served by an agent (possibly after waiting).
    Served,
    /// Hung up while waiting in the agents' queue.
    Abandoned,
    /// Left before asking for an agent (in the VRU): never queued.
    LeftBeforeQueue,
    /// A record of a call that never was (the log says to ignore it).
    Phantom,
}

/// One call as read, times on the calendar.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line in the file.
    pub line: usize,
    /// When the call asked for an agent (end of the VRU).
    pub arrival: NaiveDateTime,
    /// Whether the caller was identified (client id not 0 or empty).
    pub identified: bool,
    /// Segment or priority label as logged.
    pub segment: String,
    /// Request type as logged.
    pub request: String,
    /// Entry to and exit from the agents' queue, if the call queued.
    pub queue: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Start and end of service, if served.
    pub service: Option<(NaiveDateTime, NaiveDateTime)>,
    /// How it ended.
    pub outcome: Outcome,
    /// The agent, if one is named.
    pub agent: Option<String>,
}

/// A log as read.
#[derive(Debug, Default)]
pub struct Log {
    /// Rows that could be read.
    pub records: Vec<Record>,
    /// Data rows in the file (header excluded).
    pub rows: usize,
    /// Rows that could not be read, by reason.
    pub unusable: BTreeMap<String, usize>,
    /// The first unusable row's problem.
    pub first_unusable: Option<LogError>,
    /// Timestamps moved to the next day because they cross midnight.
    pub midnight_crossings: usize,
    /// Rows whose VRU exit is before its entry by less than 12 h (a clock
    /// glitch in a time the fit does not use; the row is kept).
    pub vru_clock_glitches: usize,
}

/// One field's problem in a row.
struct Bad {
    column: usize,
    field: &'static str,
    message: String,
}

/// Reads a call log of the given format.
pub fn read(path: &Path, format: Format) -> Result<Log, LogError> {
    let delimiter = match format {
        Format::AnonymousBank => b'\t',
        Format::Csv => b',',
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(path)
        .map_err(|e| read_error(path, e))?;
    let header = reader.headers().map_err(|e| read_error(path, e))?.clone();
    let columns = Columns::find(path, &header, format)?;
    let mut log = Log::default();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        log.rows += 1;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                count(
                    &mut log,
                    path,
                    line,
                    bad(1, "row", format!("cannot read the row: {e}")),
                );
                continue;
            }
        };
        if row.len() != header.len() {
            let message = format!(
                "{} fields; expected as many fields as the header ({})",
                row.len(),
                header.len()
            );
            count(
                &mut log,
                path,
                line,
                bad(row.len().min(header.len()) + 1, "row", message),
            );
            continue;
        }
        let parsed = match format {
            Format::AnonymousBank => bank_row(&columns, &row, line, &mut log),
            Format::Csv => csv_row(&columns, &row, line),
        };
        match parsed {
            Ok(record) => log.records.push(record),
            Err(problem) => count(&mut log, path, line, problem),
        }
    }
    Ok(log)
}

fn read_error(path: &Path, e: csv::Error) -> LogError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => LogError::Read {
            path: path.to_path_buf(),
            source,
        },
        other => LogError::Unusable {
            path: path.to_path_buf(),
            message: format!("cannot read the header: {other:?}"),
        },
    }
}

fn bad(column: usize, field: &'static str, message: String) -> Bad {
    Bad {
        column,
        field,
        message,
    }
}

fn count(log: &mut Log, path: &Path, line: usize, problem: Bad) {
    let reason = format!("{}: {}", problem.field, reason_kind(&problem.message));
    *log.unusable.entry(reason).or_default() += 1;
    if log.first_unusable.is_none() {
        log.first_unusable = Some(LogError::Field {
            path: PathBuf::from(path),
            line,
            column: problem.column,
            field: problem.field.to_string(),
            message: problem.message,
        });
    }
}

/// The reason without the offending value, so that rows group.
fn reason_kind(message: &str) -> &str {
    message
        .split_once(';')
        .map_or(message, |(_, rest)| rest.trim())
}

/// Where each needed field is.
struct Columns {
    index: BTreeMap<&'static str, usize>,
}

const BANK: &[&str] = &[
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "q_start",
    "q_exit",
    "outcome",
    "ser_start",
    "ser_exit",
    "server",
];

const CSV: &[&str] = &[
    "arrival",
    "client",
    "segment",
    "request",
    "queue_entry",
    "queue_exit",
    "service_start",
    "service_end",
    "outcome",
    "agent",
];

impl Columns {
    fn find(path: &Path, header: &csv::StringRecord, format: Format) -> Result<Columns, LogError> {
        let needed = match format {
            Format::AnonymousBank => BANK,
            Format::Csv => CSV,
        };
        let mut index = BTreeMap::new();
        for name in needed {
            match header.iter().position(|h| h.trim() == *name) {
                Some(i) => {
                    index.insert(*name, i);
                }
                None => {
                    return Err(LogError::Field {
                        path: path.to_path_buf(),
                        line: 1,
                        column: header.len() + 1,
                        field: (*name).to_string(),
                        message: format!(
                            "missing column; a {} log needs the columns {}",
                            match format {
                                Format::AnonymousBank => "anonymous-bank (tab-separated)",
                                Format::Csv => "csv",
                            },
                            needed.join(", ")
                        ),
                    });
                }
            }
        }
        Ok(Columns { index })
    }

    /// The field and its 1-based column.
    fn get<'r>(&self, row: &'r csv::StringRecord, name: &'static str) -> (&'r str, usize) {
        let i = self.index[name];
        (row.get(i).unwrap_or("").trim(), i + 1)
    }
}

/// `H:MM:SS` (hours 0-23).
fn clock(columns: &Columns, row: &csv::StringRecord, name: &'static str) -> Result<NaiveTime, Bad> {
    let (text, column) = columns.get(row, name);
    NaiveTime::parse_from_str(text, "%H:%M:%S").map_err(|_| {
        bad(
            column,
            name,
            format!("`{text}`; not a time: expected H:MM:SS from 0:00:00 to 23:59:59"),
        )
    })
}

/// `t` on the day of `base`, or the next day if that would be more than
/// 12 h before `base` (a midnight crossing).
fn after(base: NaiveDateTime, t: NaiveTime, log: &mut Log) -> NaiveDateTime {
    let same = base.date().and_time(t);
    if same < base - TimeDelta::hours(12) {
        log.midnight_crossings += 1;
        same + TimeDelta::days(1)
    } else {
        same
    }
}

fn bank_row(
    columns: &Columns,
    row: &csv::StringRecord,
    line: usize,
    log: &mut Log,
) -> Result<Record, Bad> {
    let (date_text, date_column) = columns.get(row, "date");
    let date = NaiveDate::parse_from_str(&format!("19{date_text}"), "%Y%m%d")
        .ok()
        .filter(|_| date_text.len() == 6)
        .ok_or_else(|| {
            bad(
                date_column,
                "date",
                format!("`{date_text}`; not a date: expected yymmdd"),
            )
        })?;
    let entry = date.and_time(clock(columns, row, "vru_entry")?);
    let exit_time = clock(columns, row, "vru_exit")?;
    let arrival = after(entry, exit_time, log);
    if arrival < entry {
        log.vru_clock_glitches += 1;
    }
    let (outcome_text, outcome_column) = columns.get(row, "outcome");
    let queue_start = clock(columns, row, "q_start")?;
    let queued = queue_start != NaiveTime::MIN;
    let queue = if queued {
        let start = after(arrival, queue_start, log);
        Some((start, after(start, clock(columns, row, "q_exit")?, log)))
    } else {
        None
    };
    let outcome = match (outcome_text, queued) {
        ("AGENT", _) => Outcome::Served,
        ("HANG", true) => Outcome::Abandoned,
        ("HANG", false) => Outcome::LeftBeforeQueue,
        ("PHANTOM", _) => Outcome::Phantom,
        _ => {
            let message =
                format!("`{outcome_text}`; not an outcome: expected AGENT, HANG or PHANTOM");
            return Err(bad(outcome_column, "outcome", message));
        }
    };
    let service = if outcome == Outcome::Served {
        let from = queue.map_or(arrival, |(_, exit)| exit);
        let (start, end) = (
            clock(columns, row, "ser_start")?,
            clock(columns, row, "ser_exit")?,
        );
        if start == NaiveTime::MIN && end == NaiveTime::MIN {
            // The log's "no time": a served call of zero length.
            Some((from, from))
        } else {
            let start = after(from, start, log);
            Some((start, after(start, end, log)))
        }
    } else {
        None
    };
    let (customer, _) = columns.get(row, "customer_id");
    let (priority, _) = columns.get(row, "priority");
    let (request, _) = columns.get(row, "type");
    let (server, _) = columns.get(row, "server");
    Ok(Record {
        line,
        arrival,
        identified: !customer.is_empty() && customer != "0",
        segment: format!("priority_{priority}"),
        request: request.to_string(),
        queue,
        service,
        outcome,
        agent: (server != "NO_SERVER" && !server.is_empty()).then(|| server.to_string()),
    })
}

/// `YYYY-MM-DD HH:MM:SS` (or with `T`), or empty when `optional`.
fn stamp(
    columns: &Columns,
    row: &csv::StringRecord,
    name: &'static str,
) -> Result<Option<NaiveDateTime>, Bad> {
    let (text, column) = columns.get(row, name);
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map(Some)
        .map_err(|_| {
            bad(
                column,
                name,
                format!("`{text}`; not a time: expected YYYY-MM-DD HH:MM:SS"),
            )
        })
}

fn csv_row(columns: &Columns, row: &csv::StringRecord, line: usize) -> Result<Record, Bad> {
    let (_, arrival_column) = columns.get(row, "arrival");
    let arrival = stamp(columns, row, "arrival")?.ok_or_else(|| {
        bad(
            arrival_column,
            "arrival",
            "``; empty: expected YYYY-MM-DD HH:MM:SS".into(),
        )
    })?;
    let (outcome_text, outcome_column) = columns.get(row, "outcome");
    let outcome = match outcome_text {
        "served" => Outcome::Served,
        "abandoned" => Outcome::Abandoned,
        "left" => Outcome::LeftBeforeQueue,
        "phantom" => Outcome::Phantom,
        _ => {
            let message = format!(
                "`{outcome_text}`; not an outcome: expected served, abandoned, left or phantom"
            );
            return Err(bad(outcome_column, "outcome", message));
        }
    };
    let pair =
        |a: &'static str, b: &'static str| -> Result<Option<(NaiveDateTime, NaiveDateTime)>, Bad> {
            match (stamp(columns, row, a)?, stamp(columns, row, b)?) {
                (Some(x), Some(y)) => Ok(Some((x, y))),
                (None, None) => Ok(None),
                (Some(_), None) => Err(bad(
                    columns.get(row, b).1,
                    b,
                    format!("``; empty: expected a time since `{a}` is given"),
                )),
                (None, Some(_)) => Err(bad(
                    columns.get(row, a).1,
                    a,
                    format!("``; empty: expected a time since `{b}` is given"),
                )),
            }
        };
    let queue = pair("queue_entry", "queue_exit")?;
    let service = pair("service_start", "service_end")?;
    if outcome == Outcome::Served && service.is_none() {
        let column = columns.get(row, "service_start").1;
        return Err(bad(
            column,
            "service_start",
            "``; empty: expected a time for a served call".into(),
        ));
    }
    if outcome == Outcome::Abandoned && queue.is_none() {
        let column = columns.get(row, "queue_entry").1;
        return Err(bad(
            column,
            "queue_entry",
            "``; empty: expected a time for an abandoned call".into(),
        ));
    }
    let (client, _) = columns.get(row, "client");
    let (segment, _) = columns.get(row, "segment");
    let (request, _) = columns.get(row, "request");
    let (agent, _) = columns.get(row, "agent");
    Ok(Record {
        line,
        arrival,
        identified: !client.is_empty() && client != "0",
        segment: segment.to_string(),
        request: request.to_string(),
        queue,
        service,
        outcome,
        agent: (!agent.is_empty()).then(|| agent.to_string()),
    })
}
