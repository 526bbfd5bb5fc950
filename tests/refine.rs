//! `world.refine` is the same model at a finer grain (issue 16 item 2):
//! the Gaza baseline refined 2-fold keeps the unrefined run's active share.
//! Unweighted, rule A's C/A fell four-fold (a unit is one agent at any
//! grain, a civilian agent a quarter of the people), and the mean active
//! share over a year rose from 0.122 to 0.272 (8 replicates); weighted by
//! `mission.population.agent_share` it is 0.149 (docs/PERFORMANCE.md).

use std::path::Path;

use stabsim::model::Model;
use stabsim::scenario::{self, Scenario};

/// Days simulated: a year, as the measurement in docs/PERFORMANCE.md.
const DAYS: u32 = 365;

/// Replicates averaged.
const REPLICATES: u64 = 2;

fn gaza(refine: u32) -> Scenario {
    let overrides = [
        format!("run.replicates={REPLICATES}"),
        format!("run.ticks={DAYS}"),
        "run.seed=2026".to_string(),
        format!("world.refine={refine}"),
    ];
    scenario::load(Path::new("scenarios/gaza/baseline.toml"), &overrides).expect("shipped scenario")
}

/// Mean over days and replicates of a column of the Gaza baseline
/// refined `refine`-fold.
fn mean_of(refine: u32, column: &str) -> f64 {
    let sc = gaza(refine);
    let terrain = sc.world.terrain().expect("map");
    let model = Model::new(&sc, &terrain).expect("sectors");
    let values: Vec<f64> = (0..REPLICATES)
        .flat_map(|r| {
            model
                .run(r)
                .column(column)
                .expect(column)
                .collect::<Vec<_>>()
        })
        .collect();
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn refining_carries_the_agents_share_to_the_rules() {
    let share = |k: u32| gaza(k).mission.expect("[mission]").population.agent_share;
    assert_eq!(share(1), 1.0);
    assert_eq!(share(2), 0.25);
    assert_eq!(share(4), 1.0 / 16.0);
}

#[test]
fn a_finer_grain_keeps_the_active_share() {
    let (coarse, fine) = (mean_of(1, "active_share"), mean_of(2, "active_share"));
    // A replicate's mean is within about 10 % of the batch's; over a year,
    // unweighted, refine 2 gave 2.2 times the share (8 replicates), and
    // weighted 1.2 times (a remainder docs/PERFORMANCE.md discusses).
    assert!(coarse > 0.01, "some civilians turn active: {coarse}");
    let ratio = fine / coarse;
    assert!(
        (0.75..1.6).contains(&ratio),
        "mean active share {fine} at refine 2 vs {coarse} at refine 1"
    );
}
