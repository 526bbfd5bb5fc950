//! One Epstein tick at 40×40 (mesa_app_default) and at 400×400, single
//! threaded. Targets (docs/PERFORMANCE.md): ≥ 100× faster per tick than Mesa
//! 3.5.1 at 40×40 (measured side by side by benches/compare_mesa.sh) and
//! ≥ 3 M agent-steps per second on one core.
//!
//! `cargo bench --bench epstein_tick`. Plots are off: criterion's plotters
//! backend panics on machines without system fonts, and the numbers are
//! what matters (they print on stdout and land in target/criterion/).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use stabsim::epstein::state::SimState;
use stabsim::scenario::{self, Scenario};

fn scenario(size: u32) -> Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/epstein/mesa_app_default.toml");
    let set = [
        format!("world.width={size}"),
        format!("world.height={size}"),
    ];
    scenario::load(&path, &set).expect("shipped scenario loads")
}

/// A replicate past its initial transient, so the tick timed is typical.
fn warmed_state(sc: &Scenario) -> SimState {
    let terrain = sc.world.terrain().expect("open grid");
    let mut state = SimState::new(sc, &terrain, 0);
    for _ in 0..50 {
        state.step();
    }
    state
}

fn bench_tick(c: &mut Criterion) {
    let mut group = c.benchmark_group("epstein_tick");
    for size in [40u32, 400] {
        let sc = scenario(size);
        let state = warmed_state(&sc);
        let agents = (state.citizens().len() + state.cops().on_duty_count()) as u64;
        group.throughput(Throughput::Elements(agents));
        if size >= 400 {
            // ~17 ms a tick: linear sampling would need 5050 ticks (~90 s).
            group
                .sampling_mode(SamplingMode::Flat)
                .sample_size(50)
                .measurement_time(Duration::from_secs(10));
        }
        group.bench_function(format!("mesa_app_default_{size}x{size}"), |b| {
            let mut s = state.clone();
            b.iter(|| {
                s.step();
                black_box(s.tick());
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().without_plots();
    targets = bench_tick
}
criterion_main!(benches);
