//! Handover is earned, not declared: under a fixed exit every contingent
//! leaves on the exit day, but a sector counts as handed over only once the
//! local police alone have met its benchmarks for a whole window.

use std::path::Path;

use stabsim::metrics::Series;
use stabsim::model::Model;
use stabsim::scenario;

const EXIT_DAY: u32 = 60;
const WINDOW: u32 = 30;
const TICKS: u32 = 150;

/// Replicate 0 of the Gaza fast-exit variant with the exit on `EXIT_DAY`,
/// plus `extra` overrides.
fn fast_exit(extra: &[&str]) -> Series {
    let mut overrides = vec![
        "run.replicates=1".to_string(),
        format!("run.ticks={TICKS}"),
        format!("mission.mandate.exit_day={EXIT_DAY}"),
        "mission.mandate.deployment_delay_days=5".to_string(),
        "mission.mandate.ramp_up_days=10".to_string(),
        "mission.mandate.police_training_per_day=500".to_string(),
        format!("mission.police.handover_window_days={WINDOW}"),
    ];
    overrides.extend(extra.iter().map(|s| s.to_string()));
    let sc = scenario::load(Path::new("scenarios/gaza/fast_exit.toml"), &overrides)
        .expect("shipped scenario");
    let terrain = sc.world.terrain().expect("map");
    Model::new(&sc, &terrain).expect("sectors").run(0)
}

fn column(series: &Series, name: &str) -> Vec<f64> {
    series.column(name).expect(name).collect()
}

#[test]
fn a_fixed_exit_hands_over_only_sectors_the_police_then_hold() {
    let series = fast_exit(&["mission.police.handover_max_incidents=1000"]);
    let troops = column(&series, "troops");
    let handed = column(&series, "sectors_handed_over");
    let exit = EXIT_DAY as usize;
    assert!(troops[exit - 1] > 0.0, "the force is there before the exit");
    assert!(troops[exit..].iter().all(|&x| x == 0.0), "everyone leaves");
    // Benchmarks are judged from the exit day: nothing before a full window.
    let first = handed.iter().position(|&x| x > 0.0);
    assert_eq!(
        first,
        Some(exit + WINDOW as usize - 1),
        "with lenient benchmarks and many police, sectors are handed over one window after the exit"
    );
}

#[test]
fn a_fixed_exit_without_capable_police_is_no_handover() {
    let series = fast_exit(&["mission.police.handover_officers_per_1000=1000"]);
    let troops = column(&series, "troops");
    let handed = column(&series, "sectors_handed_over");
    assert!(troops[EXIT_DAY as usize..].iter().all(|&x| x == 0.0));
    assert!(
        handed.iter().all(|&x| x == 0.0),
        "leaving is not handing over: no sector meets an unreachable benchmark"
    );
}
