//! How the parser reports problems: the [`Checker`] that collects them
//! (span, field, message), renders them with codespan-reporting (file, line,
//! column, the line itself and a caret), checks numbers, names and
//! references against what is allowed, and suggests the nearest valid name
//! for a misspelling. Knows no table of the format.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::NoColor};
use toml::Spanned;

use crate::error::{Error, Problem, ScenarioError};

/// Collects problems while turning a raw scenario into a model.
pub(crate) struct Checker<'s> {
    source: &'s str,
    file: &'s str,
    /// Each problem: where, the dotted field (may be empty), the message.
    pub(super) problems: Vec<(Range<usize>, String, String)>,
}

impl<'s> Checker<'s> {
    /// The scenario file's name, as given (paths in it are relative to its
    /// folder).
    pub(super) fn file(&self) -> &'s str {
        self.file
    }

    /// A checker of `source`, named `file` in messages.
    pub(crate) fn new(source: &'s str, file: &'s str) -> Self {
        Checker {
            source,
            file,
            problems: Vec::new(),
        }
    }

    /// Records a problem with `field` at `span`.
    pub(crate) fn problem(
        &mut self,
        span: Range<usize>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.problems.push((span, field.into(), message.into()));
    }

    /// Problems recorded so far (compare before and after a check to see
    /// whether it found any).
    pub(super) fn count(&self) -> usize {
        self.problems.len()
    }

    /// A TOML syntax or type error, with a suggestion for unknown fields.
    pub(super) fn syntax(&mut self, e: &toml::de::Error) {
        let span = e.span().unwrap_or(0..0);
        let mut message = e.message().trim().to_string();
        if let Some((open, bracket)) = super::brackets::unclosed(self.source, span.start) {
            let (line, _) = line_column(self.source, span.start);
            let close = if bracket == '[' { ']' } else { '}' };
            let what = if bracket == '[' {
                "array"
            } else {
                "inline table"
            };
            message = format!(
                "this `{bracket}` is never closed: the {what} opened here needs a `{close}` \
                 (the reader noticed only at line {line}: {message})"
            );
            let field = self.path_at(open);
            self.problem(open..open + 1, field, message);
            return;
        }
        if let Some(hint) = unknown_field_hint(&message) {
            message.push_str(&hint);
        }
        if message.contains("overflowed") {
            message.push_str("; allowed: a finite number (at most about 1.8e308)");
        }
        if message.ends_with("expected f64") {
            message.push_str("; allowed: a number, without quotes");
        }
        if message.ends_with("expected a boolean") {
            message.push_str("; allowed: true or false, without quotes");
        }
        for (ty, max) in [("u32", u32::MAX as u64), ("u64", u64::MAX)] {
            if message.ends_with(&format!("expected {ty}")) {
                message.push_str(&format!("; allowed: a whole number from 0 to {max}"));
            }
        }
        if message.contains("untagged enum RawBound") {
            let got = self.source.get(span.clone()).unwrap_or("").trim();
            message = format!(
                "`{got}` is not a target; allowed: a number (e.g. `0.8`, a bound in the metric's \
                 direction) or `{{ min = ..., max = ... }}`, without quotes"
            );
        }
        if message.contains("recursion limit") {
            message = "the file nests tables or arrays too deeply (the TOML reader's recursion \
                       limit); allowed: the format's tables, at most 4 levels deep"
                .into();
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
            self.path_at(span.start)
        };
        self.problem(span, field, message);
    }

    /// The full dotted path of the value at byte `at`: its table (with the
    /// entry's `name` for an array of tables, as in
    /// `segment.retail.book.population`), the key on its line, and the key
    /// inside an inline table when the value is there.
    pub(super) fn path_at(&self, at: usize) -> String {
        let key = self.key_at(at);
        if key.is_empty() {
            return key;
        }
        let at = at.min(self.source.len());
        let line_start = self.source[..at].rfind('\n').map_or(0, |i| i + 1);
        let mut path = Vec::new();
        if !self.source[line_start..].trim_start().starts_with('[') {
            path.extend(self.table_at(line_start));
        }
        path.push(key.clone());
        // Inside inline tables: the keys of the tables still open, then
        // the `key =` whose value this is.
        let before = &self.source[line_start..at];
        if before.contains('{') {
            for inner in inline_keys(before).into_iter().skip(1) {
                if !inner.is_empty() && inner != key {
                    path.push(inner.to_string());
                }
            }
        }
        path.join(".")
    }

    /// The table holding the line that starts at byte `line_start`: its
    /// header, and for an array of tables its entry's `name`.
    fn table_at(&self, line_start: usize) -> Vec<String> {
        let before = &self.source[..line_start];
        let Some(header) = before
            .lines()
            .rev()
            .find(|l| l.trim_start().starts_with('['))
        else {
            return Vec::new();
        };
        let array = header.trim_start().starts_with("[[");
        let name = header
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(|c| c == '[' || c == ']')
            .trim()
            .to_string();
        let mut out = vec![name];
        if array {
            let from = before.rfind(header).unwrap_or(0) + header.len();
            let entry = self.source[from..]
                .lines()
                .take_while(|l| !l.trim_start().starts_with('['))
                .find_map(|l| {
                    let (k, v) = l.split_once('=')?;
                    (k.trim() == "name").then(|| {
                        v.split('#')
                            .next()
                            .unwrap_or("")
                            .trim()
                            .trim_matches('"')
                            .to_string()
                    })
                });
            out.extend(entry);
        }
        out
    }

    /// The key written on the line holding byte `at`, for messages about
    /// TOML errors that name no field.
    pub(super) fn key_at(&self, at: usize) -> String {
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

    /// Every problem, sorted by position, as one scenario error.
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
    pub(super) fn number<T: Copy + Into<f64>>(
        &mut self,
        v: &Spanned<T>,
        field: &str,
        ok: impl Fn(f64) -> bool,
        allowed: &str,
    ) -> f64 {
        let x: f64 = (*v.get_ref()).into();
        if !x.is_finite() || !ok(x) {
            self.problem(v.span(), field, format!("got {x}; allowed: {allowed}"));
        }
        x
    }

    /// A finite number > 0.
    pub(super) fn positive<T: Copy + Into<f64>>(&mut self, v: &Spanned<T>, field: &str) -> f64 {
        self.number(v, field, |x| x > 0.0, "a finite number > 0")
    }

    /// A finite number >= 0.
    pub(super) fn non_negative<T: Copy + Into<f64>>(&mut self, v: &Spanned<T>, field: &str) -> f64 {
        self.number(v, field, |x| x >= 0.0, "a finite number >= 0")
    }

    /// A probability in [0, 1].
    pub(super) fn probability(&mut self, v: &Spanned<f64>, field: &str) -> f64 {
        self.number(
            v,
            field,
            |x| (0.0..=1.0).contains(&x),
            "a probability in [0, 1]",
        )
    }

    /// Checks names are unique and well formed; returns them in file order.
    pub(super) fn names<'a>(
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
    pub(crate) fn reference(
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

    /// A list of tier names, as indices.
    pub(super) fn tier_list(
        &mut self,
        names: Option<&[Spanned<String>]>,
        tiers: &[String],
        field: &str,
    ) -> Vec<usize> {
        names
            .unwrap_or(&[])
            .iter()
            .filter_map(|n| self.reference(n, tiers, field, "tier"))
            .collect()
    }
}

/// `x` to 9 significant decimals, so that sums of shares print as written
/// (1.3, not 1.2999999999999998).
pub(super) fn rounded(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// 1-based line and column of byte `at` in `source`.
pub(super) fn line_column(source: &str, at: usize) -> (usize, usize) {
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
pub(super) fn unknown_word(what: &str, word: &str, allowed: &[&str]) -> String {
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

/// The keys along a line up to an error (`before`): the key of each
/// inline table still open there, outermost first, then the key whose
/// value the line ends in (after `key =`, if any). Tables already closed
/// (`delay = { .. },`) and quoted text are skipped.
fn inline_keys(before: &str) -> Vec<&str> {
    let mut open: Vec<&str> = Vec::new();
    let (mut start, mut last, mut quoted) = (0, "", false);
    for (i, ch) in before.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '=' => last = before[start..i].trim(),
            '{' => {
                open.push(last);
                (start, last) = (i + 1, "");
            }
            '}' => {
                open.pop();
                (start, last) = (i + 1, "");
            }
            ',' | '[' => (start, last) = (i + 1, ""),
            _ => {}
        }
    }
    open.push(last);
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let source = "ab\nçd = 1\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 3), (2, 1));
        // `ç` is two bytes but one column.
        assert_eq!(line_column(source, 5), (2, 2));
        assert_eq!(line_column(source, 1000), (3, 1));
    }

    #[test]
    fn suggestions_need_a_close_name() {
        let names = ["junior", "senior"];
        assert_eq!(nearest("senoir", names.into_iter()), Some("senior"));
        assert_eq!(nearest("zzz", names.into_iter()), None);
        assert_eq!(
            did_you_mean("junoir", names.into_iter()),
            " (did you mean `junior`?)"
        );
        assert_eq!(did_you_mean("qqq", names.into_iter()), "");
        assert_eq!(list(names.into_iter()), "`junior`, `senior`");
        assert_eq!(
            unknown_word("discipline", "fif", &["priority", "fifo"]),
            "unknown discipline `fif`; allowed: \"priority\", \"fifo\" (did you mean `fifo`?)"
        );
        assert_eq!(
            unknown_field_hint("unknown field `horizn`, expected one of `horizon`, `warmup`")
                .as_deref(),
            Some(" (did you mean `horizon`?)")
        );
        assert_eq!(rounded(0.1 + 0.2), 0.3);
    }

    #[test]
    fn problems_render_sorted_with_file_line_column_and_field() {
        let source = "a = 1\nb = 2\n";
        let mut c = Checker::new(source, "f.toml");
        c.problem(6..7, "b", "second");
        c.problem(0..1, "", "first");
        let Error::Scenario(e) = c.into_error() else {
            panic!("a scenario error")
        };
        assert_eq!(e.problems[0].message, "first");
        assert_eq!((e.problems[1].line, e.problems[1].column), (2, 1));
        assert!(e.rendered.starts_with("error: f.toml:1:1: first\n"));
        assert!(
            e.rendered
                .contains("error: f.toml:2:1: field `b`: second\n")
        );
        assert!(e.rendered.contains("2 │ b = 2\n"));
    }

    #[test]
    fn names_must_be_unique_and_plain() {
        let source = "";
        let mut c = Checker::new(source, "f.toml");
        let names: Vec<Spanned<String>> = ["a", "a", "b.c", " "]
            .iter()
            .map(|n| {
                toml::from_str::<BTreeMap<String, Spanned<String>>>(&format!("x = \"{n}\""))
                    .unwrap()["x"]
                    .clone()
            })
            .collect();
        let out = c.names(names.iter(), "tier");
        assert_eq!(out, ["a", "a", "b.c", " "]);
        let messages: Vec<&str> = c.problems.iter().map(|p| p.2.as_str()).collect();
        assert_eq!(
            messages,
            [
                "duplicate tier name `a`; each tier needs its own name",
                "allowed: a non-empty name without `.`, `/`, `\\` or `\"`",
                "allowed: a non-empty name without `.`, `/`, `\\` or `\"`",
            ]
        );
        assert!(c.problems.iter().all(|p| p.1 == "tier.name"));
    }
}
