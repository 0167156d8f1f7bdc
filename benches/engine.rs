//! Throughput benchmarks of the simulation core on the two shipped benchmark
//! scenarios, in clients per second on one core (criterion reports them as
//! elements/s). Targets (issue 13): at least 10 million clients/s on `mmc`
//! and 6 million on `tiered`; their deterministic form, instructions per
//! client, is guarded by `tests/it/speed.rs` (see `docs/performance.md`).
//! `groups` is a 3-group, 4-skill design of agent groups (issue 17,
//! docs/agent-groups.md).
//! A third benchmark times the event calendar alone under the
//! classic "hold" workload (take the earliest event, schedule one later).
//!
//! Run with `cargo bench --bench engine`; each scenario is cut to 500,000
//! arrivals so a sample takes a fraction of a second.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use tiersim::engine::{Calendar, Time};
use tiersim::model::{Model, simulate};

/// Arrivals per benchmark iteration.
const CLIENTS: f64 = 500_000.0;

/// A shipped benchmark scenario, with its horizon cut to about `CLIENTS`
/// arrivals.
fn bench_model(file: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/bench")
        .join(file);
    let mut model = tiersim::scenario::load(&path)
        .expect("shipped scenario")
        .model;
    let per_minute: f64 = model.segments.iter().map(|s| s.rate_per_hour / 60.0).sum();
    model.run.horizon = CLIENTS / per_minute;
    model.run.warmup = 0.0;
    model
}

fn scenarios(c: &mut Criterion) {
    let mut group = c.benchmark_group("clients");
    group.sample_size(20);
    group.throughput(Throughput::Elements(CLIENTS as u64));
    for file in ["mmc.toml", "tiered.toml", "groups.toml"] {
        let model = bench_model(file);
        group.bench_function(file.trim_end_matches(".toml"), |b| {
            b.iter(|| black_box(simulate(black_box(&model), 0)))
        });
    }
    group.finish();
}

fn calendar_hold(c: &mut Criterion) {
    let mut group = c.benchmark_group("calendar");
    for size in [16usize, 1024] {
        let operations = 1_000_000u64;
        group.throughput(Throughput::Elements(operations));
        group.bench_function(format!("hold-{size}"), |b| {
            b.iter(|| {
                let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
                let mut calendar = Calendar::new();
                for i in 0..size {
                    calendar.schedule(Time(rng.random::<f64>()), i as u32);
                }
                for _ in 0..operations {
                    let (now, e) = calendar.pop().expect("never empty");
                    calendar.schedule(Time(now.minutes() + rng.random::<f64>()), e);
                }
                black_box(calendar.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, scenarios, calendar_hold);
criterion_main!(benches);
