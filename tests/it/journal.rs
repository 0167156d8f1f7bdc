//! The journal must not lie: damaged, altered, repeated or foreign lines in
//! `points.jsonl` are dropped with a note naming the line (and their points
//! computed again) on `--resume`, refused by `merge`; two runs never write
//! into one folder at once; an earlier run's files do not survive a later
//! run; and an `--out` or scenario path of the wrong kind is a clear error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tiersim::experiment::journal::stale::is_output;

use crate::common::{scratch, text, tiersim};

/// A one-tier scenario with a sweep of 12 points over the servers (with a
/// baseline when `baseline`).
fn scenario(horizon: f64, seed: u64, baseline: bool) -> String {
    let baseline = if baseline {
        "baseline = \"tier.desk.servers=5\"\n"
    } else {
        ""
    };
    format!(
        r#"name = "journal-test"
[run]
horizon = {horizon}
warmup = 10.0
replications = 2
seed = {seed}
service_level_threshold = 0.5

[sweep]
{baseline}
[[sweep.axis]]
path = "tier.desk.servers"
values = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]

[[segment]]
name = "walk-in"
rate_per_hour = 120.0
patience = {{ dist = "exponential", mean = 5.0 }}
priority = 1
entry = "desk"

[[tier]]
name = "desk"
servers = 4
service = {{ dist = "exponential", mean = 2.0 }}
"#
    )
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// Runs `tiersim sweep FILE --out OUT EXTRA...`, asserting success; returns
/// its stderr.
fn sweep(file: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "sweep",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = tiersim(&args);
    let stderr = text(&o.stderr);
    assert!(o.status.success(), "{args:?}: {stderr}");
    stderr
}

/// Runs `sweep --resume` into `out`, which must refuse with exit 1; its
/// standard error.
fn resume_refused(file: &Path, out: &Path) -> String {
    let (file, out) = (file.to_str().unwrap(), out.to_str().unwrap());
    let o = tiersim(&["sweep", file, "--out", out, "--resume"]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    stderr
}

/// The files a finished sweep must reproduce byte for byte.
const FINAL: [&str; 4] = [
    "summary.json",
    "results.csv",
    "replications.csv",
    "differences.csv",
];

fn assert_same_files(a: &Path, b: &Path) {
    for f in FINAL {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// The journal's lines, each with its newline.
fn lines(dir: &Path) -> Vec<Vec<u8>> {
    std::fs::read(dir.join("points.jsonl"))
        .unwrap()
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// `line` with the first digit of its first metric changed: still valid
/// JSON, but no longer what was computed.
fn altered(line: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(line.to_vec()).unwrap();
    let at = text.find("\"overall\":[").unwrap() + "\"overall\":[".len();
    let at = at + text[at..].find(|c: char| c.is_ascii_digit()).unwrap();
    let digit = text.as_bytes()[at];
    let mut out = line.to_vec();
    out[at] = if digit == b'9' { b'8' } else { digit + 1 };
    out
}

/// A journal holding six good points among a duplicate, an altered line, a
/// point of another run, garbage text, binary junk and a line cut short:
/// `--resume` drops exactly the bad lines, naming each, keeps the good
/// points, computes only the missing ones, and ends with the files of an
/// uninterrupted run and a sound journal.
#[test]
fn resume_drops_every_untrustworthy_line_and_keeps_every_good_point() {
    let dir = scratch("journal-lies");
    let file = write(&dir, "s.toml", &scenario(600.0, 42, true));
    let full = dir.join("full");
    sweep(&file, &full, &["--threads", "2"]);
    let good = lines(&full);
    assert_eq!(good.len(), 13, "a header and 12 points");
    // The same points of a run with another seed: sound lines, another run.
    let other_file = write(&dir, "other.toml", &scenario(600.0, 43, true));
    let other = dir.join("other");
    sweep(&other_file, &other, &[]);
    let foreign = lines(&other)[8].clone();

    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut journal: Vec<Vec<u8>> = good[..5].to_vec(); // header, points on lines 2-5
    journal.push(good[2].clone()); // line 6: a duplicate of line 3
    journal.push(altered(&good[6])); // line 7: a changed digit
    journal.push(foreign); // line 8: another run's point
    journal.push(good[7].clone()); // line 9: good
    journal.push(b"this is not json\n".to_vec()); // line 10
    journal.push(vec![0xff, 0xfe, 0x00, 0x9c, b'\n']); // line 11: binary junk
    journal.push(good[9].clone()); // line 12: good
    journal.push(good[10][..40].to_vec()); // line 13: cut short
    std::fs::write(out.join("points.jsonl"), journal.concat()).unwrap();

    let stderr = sweep(&file, &out, &["--resume", "--threads", "2"]);
    for (line, why) in [
        (6, "again (first at line 3): a duplicate; the first is kept"),
        (7, "checksum does not match"),
        (8, "belongs to another run"),
        (10, "not a journal line"),
        (11, "not text"),
        (13, "cut short"),
    ] {
        let note = format!("points.jsonl: line {line}: ");
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(&note) && l.contains(why) && l.ends_with("; dropped")),
            "line {line}: {stderr}"
        );
    }
    assert_eq!(stderr.matches("warning:").count(), 6, "{stderr}");
    assert!(
        stderr.contains("resuming: 6 of 12 points already finished"),
        "{stderr}"
    );
    assert_same_files(&full, &out);
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 13, "a header and one row per point");
    // The journal was rewritten sound: a second resume has nothing to drop
    // and nothing to compute.
    assert_eq!(lines(&out).len(), 13);
    let again = sweep(&file, &out, &["--resume"]);
    assert!(!again.contains("warning"), "{again}");
    assert!(again.contains("resuming: 12 of 12"), "{again}");
    assert_same_files(&full, &out);
}

/// A repeated point, even at the end of a finished journal, gives one row
/// per point (it gave 13 rows from a 12-point sweep).
#[test]
fn a_duplicated_line_gives_no_extra_point() {
    let dir = scratch("journal-duplicate");
    let file = write(&dir, "s.toml", &scenario(300.0, 42, false));
    let out = dir.join("out");
    sweep(&file, &out, &[]);
    let before = std::fs::read(out.join("results.csv")).unwrap();
    let mut journal = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join("points.jsonl"))
        .unwrap();
    journal.write_all(&lines(&out)[12]).unwrap();
    drop(journal);
    let stderr = sweep(&file, &out, &["--resume"]);
    assert!(
        stderr.contains("points.jsonl: line 14: point ")
            && stderr.contains(" again (first at line 13): a duplicate"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(out.join("results.csv")).unwrap(), before);
}

/// `merge` refuses a shard whose journal holds a bad line, naming it and
/// the fix; resuming that shard repairs it, and the merge then gives the
/// unsharded files.
#[test]
fn merge_refuses_a_damaged_shard_until_it_is_resumed() {
    let dir = scratch("journal-merge");
    let file = write(&dir, "s.toml", &scenario(300.0, 42, true));
    let full = dir.join("full");
    sweep(&file, &full, &[]);
    let parts: Vec<PathBuf> = (1..=2).map(|k| dir.join(format!("part{k}"))).collect();
    for (k, part) in parts.iter().enumerate() {
        sweep(&file, part, &["--shard", &format!("{}/2", k + 1)]);
    }
    let mut journal = lines(&parts[1]);
    journal[3] = altered(&journal[3]);
    std::fs::write(parts[1].join("points.jsonl"), journal.concat()).unwrap();
    let merged = dir.join("merged");
    let merge = || {
        tiersim(&[
            "merge",
            parts[0].to_str().unwrap(),
            parts[1].to_str().unwrap(),
            "--out",
            merged.to_str().unwrap(),
        ])
    };
    let o = merge();
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("points.jsonl: line 4: its checksum does not match")
            && stderr.contains("--resume"),
        "{stderr}"
    );
    assert!(!merged.join("summary.json").exists());
    let stderr = sweep(&file, &parts[1], &["--shard", "2/2", "--resume"]);
    assert!(stderr.contains("line 4:"), "{stderr}");
    assert!(merge().status.success());
    assert_same_files(&full, &merged);
}

/// A journal written before checksums (format 1) cannot be checked:
/// `--resume` refuses it with the fix; a run without `--resume` replaces it.
/// A journal whose header is damaged is refused too.
#[test]
fn a_journal_without_checksums_is_refused_by_resume() {
    let dir = scratch("journal-format-1");
    let file = write(&dir, "s.toml", &scenario(300.0, 42, false));
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let old = r#"{"journal":"tiersim-points","format":1,"tool_version":"0.1.0","scenario":"journal-test","content_hash":"ab","points":12,"shard":null,"options":"","source":""}"#;
    std::fs::write(out.join("points.jsonl"), format!("{old}\n")).unwrap();
    let stderr = resume_refused(&file, &out);
    assert!(
        stderr.contains("journal format 1, which has no checksums")
            && stderr.contains("without --resume"),
        "{stderr}"
    );
    sweep(&file, &out, &[]);
    assert_eq!(lines(&out).len(), 13);
    // A damaged header: nothing in the journal can be trusted.
    let journal = std::fs::read_to_string(out.join("points.jsonl")).unwrap();
    let damaged = journal.replacen("\"points\":12", "\"points\":13", 1);
    assert_ne!(damaged, journal);
    std::fs::write(out.join("points.jsonl"), damaged).unwrap();
    let stderr = resume_refused(&file, &out);
    assert!(
        stderr.contains("points.jsonl: line 1: its checksum does not match")
            && stderr.contains("header is damaged"),
        "{stderr}"
    );
}

/// A journal of format 2 (sealed, but written before the redial metrics
/// grew the positional metric arrays) is refused by `--resume` with the
/// reason and the fix, even with a sound checksum; a run without
/// `--resume` replaces it.
#[test]
fn a_journal_of_format_2_is_refused_by_resume() {
    use tiersim::scenario::sweep::content_hash;
    let dir = scratch("journal-format-2");
    let file = write(&dir, "s.toml", &scenario(300.0, 42, false));
    let out = dir.join("out");
    sweep(&file, &out, &[]);
    let journal = lines(&out);
    let header = String::from_utf8(journal[0].clone()).unwrap();
    let body = header
        .trim_end()
        .split_once("\"header\":")
        .unwrap()
        .1
        .strip_suffix('}')
        .unwrap()
        .replacen("\"format\":3", "\"format\":2", 1);
    assert!(body.contains("\"format\":2"), "{body}");
    let old = format!(
        "{{\"sha256\":\"{}\",\"header\":{body}}}\n",
        content_hash(body.as_bytes())
    );
    std::fs::write(out.join("points.jsonl"), old).unwrap();
    let stderr = resume_refused(&file, &out);
    assert!(
        stderr.contains("journal format 2, whose metric arrays may be shorter")
            && stderr.contains("without --resume"),
        "{stderr}"
    );
    sweep(&file, &out, &[]);
    assert_eq!(lines(&out).len(), journal.len());
}

/// Waits until `path` holds a process id, or panics.
fn wait_for_pid(path: &Path) -> u32 {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Some(pid) = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            return pid;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never held a process id", path.display());
}

/// A child process killed (SIGKILL) when dropped, so that a failing test
/// leaves no run behind.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A second run into a folder being written is refused, naming the first
/// run's process and the folder, and changes nothing; once the first is
/// killed with SIGKILL, its lock (whose file it left) blocks nobody.
#[test]
fn a_second_writer_is_refused_and_a_killed_ones_lock_is_stale() {
    let dir = scratch("journal-lock");
    // Long enough to still be running when the second run starts.
    let file = write(&dir, "s.toml", &scenario(400_000.0, 42, false));
    let out = dir.join("out");
    let mut first = Killed(
        Command::new(env!("CARGO_BIN_EXE_tiersim"))
            .args(["sweep", file.to_str().unwrap(), "--threads", "1", "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let first = &mut first.0;
    let lock = out.join("tiersim.lock");
    assert_eq!(wait_for_pid(&lock), first.id());
    let journal_before = std::fs::read(out.join("points.jsonl")).unwrap();
    for extra in [None, Some("--resume")] {
        let mut args = vec![
            "sweep",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = tiersim(&args);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("pid {}", first.id()))
                && stderr.contains(&out.display().to_string()),
            "{stderr}"
        );
    }
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    assert!(lock.exists(), "a killed run leaves its lock file");
    let journal = std::fs::read(out.join("points.jsonl")).unwrap();
    assert!(
        journal.starts_with(&journal_before),
        "the journal was touched"
    );
    // A shorter run of the same scenario takes the folder over.
    write(&dir, "s.toml", &scenario(300.0, 42, false));
    sweep(&file, &out, &[]);
    assert!(out.join("summary.json").exists());
    assert!(!lock.exists(), "a finished run removes its lock file");
}

/// Every file a run, a comparison and a report write is one a later run
/// knows to clear; a later run into the folder of an earlier one removes
/// what it does not write itself (`differences.csv`, the report), and
/// leaves files that are not tiersim's.
#[test]
fn an_earlier_runs_files_do_not_survive_a_later_run() {
    let dir = scratch("journal-stale");
    let with_baseline = write(&dir, "a.toml", &scenario(300.0, 42, true));
    let without = write(&dir, "b.toml", &scenario(300.0, 42, false));
    let out = dir.join("out");
    sweep(&with_baseline, &out, &["--report"]);
    let compared = dir.join("compared");
    let o = tiersim(&[
        "compare",
        "scenarios/two-tier.toml",
        "scenarios/two-tier.toml",
        "--report",
        "--out",
        compared.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for folder in [&out, &compared] {
        for entry in std::fs::read_dir(folder).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                name == "points.jsonl" || is_output(&name),
                "{name} is written by a run but not cleared by the next"
            );
        }
    }
    assert!(out.join("differences.csv").exists() && out.join("report.html").exists());
    write(&out, "notes.txt", "mine");
    sweep(&without, &out, &[]);
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "manifest.json",
            "notes.txt",
            "points.jsonl",
            "replications.csv",
            "results.csv",
            "results_long.csv",
            "summary.json"
        ]
    );
}

/// `--out` naming an existing file says so (it said "cannot read
/// …/points.jsonl: Not a directory"), and leaves the file alone.
#[test]
fn out_naming_a_file_says_so() {
    let dir = scratch("journal-out-file");
    let file = write(&dir, "s.toml", &scenario(300.0, 42, false));
    let taken = write(&dir, "taken", "mine");
    let o = tiersim(&[
        "sweep",
        file.to_str().unwrap(),
        "--out",
        taken.to_str().unwrap(),
    ]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: is a file, not a folder: --out names the folder",
            taken.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");
}

/// Runs tiersim with `args`, killing it if it has not finished in 20 s.
fn tiersim_bounded(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiersim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("tiersim {args:?} hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A scenario path that is not a regular file (a named pipe with no
/// writer blocked `check` and `run` forever; a folder) is refused at once,
/// naming the file and what it is.
#[cfg(unix)]
#[test]
fn a_scenario_that_is_not_a_regular_file_is_refused() {
    let dir = scratch("journal-fifo");
    let pipe = dir.join("pipe.toml");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let pipe = pipe.to_str().unwrap();
    let folder = dir.to_str().unwrap();
    for (path, what) in [(pipe, "a named pipe"), (folder, "a folder")] {
        for command in ["check", "run"] {
            let o = tiersim_bounded(&[command, path]);
            let stderr = text(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{command} {path}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "cannot read {path}: it is {what}, not a regular file"
                )),
                "{stderr}"
            );
        }
    }
}
