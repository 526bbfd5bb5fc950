//! One replicate of the Gaza baseline mission for a year (365 daily ticks),
//! single-threaded, setup included: `Model::run(0)` as a batch worker calls
//! it. Target (issue 4, docs/PERFORMANCE.md): ≤ 0.5 s per replicate on one
//! core.
//!
//! `cargo bench --bench mission_year`. A replicate takes a few hundred
//! milliseconds, so the sample is small (10 runs, flat sampling) and the
//! bench finishes in about a minute. Plots are off, as in
//! `benches/epstein_tick.rs`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use stabsim::model::Model;
use stabsim::scenario;

fn bench_year(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gaza/baseline.toml");
    let sc = scenario::load(&path, &["run.ticks=365".to_string()]).expect("Gaza baseline loads");
    let terrain = sc.world.terrain().expect("Gaza terrain");
    let model = Model::new(&sc, &terrain).expect("Gaza sectors");
    let mut group = c.benchmark_group("mission_year");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("gaza_baseline_365_days_1_replicate", |b| {
        b.iter(|| {
            let series = model.run(black_box(0));
            black_box(series.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench_year
}
criterion_main!(benches);
