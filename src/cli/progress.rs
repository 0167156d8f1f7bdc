//! Progress of a run: a bar on a terminal, a plain line every 10 seconds
//! otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Instant;

/// Reports progress: a bar on a terminal, a plain line every 10 seconds (and
/// at the end) otherwise.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    last_line: Mutex<Instant>,
}

impl Progress {
    pub(super) fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} replications  {per_sec}  ETA {eta}",
                )
                .expect("a valid template"),
            );
            bar
        });
        let now = Instant::now();
        Progress {
            bar,
            started: now,
            last_line: Mutex::new(now),
        }
    }

    pub(super) fn update(&self, done: u64, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
            return;
        }
        let mut last = self.last_line.lock().expect("no panics while locked");
        if done == total || last.elapsed().as_secs() >= 10 {
            *last = Instant::now();
            let seconds = self.started.elapsed().as_secs_f64();
            let rate = done as f64 / seconds.max(1e-9);
            let eta = (total - done) as f64 / rate.max(1e-9);
            eprintln!(
                "progress: {done}/{total} replications ({:.0}%), {rate:.1}/s, ETA {eta:.0} s",
                100.0 * done as f64 / total.max(1) as f64
            );
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
