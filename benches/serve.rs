//! Latency of a what-if on `tiersim serve` (issue 20: under 1 s at the
//! 95th percentile for the shipped baseline, 30 replications of the week,
//! on 2 cores): the baseline is run once, as the server does at start;
//! then 40 what-ifs, each a different staffing of the lunch shift, are
//! answered one after another as the page asks for them (validation of
//! the changed scenario, its replications, the pairing with the baseline,
//! the headline, the day and the service map), and the percentiles of the
//! time from request to answer are printed.
//!
//! Run with `cargo bench --bench serve` (say whether the machine was
//! shared when quoting the numbers).

use std::path::Path;
use std::time::Instant;

use tiersim::serve::{Changes, Outcome, Runner, Session};

fn main() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let session = Session::load(&file).expect("shipped scenario");
    let threads = std::env::var("THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .or(Some(2));
    let runner = Runner::new(session, threads).expect("the baseline runs");
    let mut seconds = Vec::new();
    for i in 0..40 {
        let mut c = Changes::default();
        c.set
            .insert("tier.junior.shifts.2.servers".into(), f64::from(2 + i % 6));
        let started = Instant::now();
        let outcome = runner.what_if(&c);
        seconds.push(started.elapsed().as_secs_f64());
        assert!(matches!(outcome, Outcome::Answer(_)), "{outcome:?}");
    }
    seconds.sort_by(f64::total_cmp);
    let at =
        |q: f64| seconds[((q * seconds.len() as f64).ceil() as usize).clamp(1, seconds.len()) - 1];
    println!(
        "what-if on the baseline, {} threads, {} answers: median {:.3} s, p95 {:.3} s, max {:.3} s",
        threads.unwrap_or(0),
        seconds.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}
