//! One replicate: its state, its step (phases in a fixed, documented order)
//! and its random streams. Pure: no I/O, no threads, no printing.

mod legitimacy;
pub mod rng;
mod state;
mod step;

pub use legitimacy::Legitimacy;
pub use state::SimState;

use crate::metrics::{EPSTEIN_METRICS, Series};
use crate::scenario::{Scenario, TerrainMap};

impl SimState {
    /// This tick's metrics, in the order of [`EPSTEIN_METRICS`].
    pub fn metrics(&self) -> [f64; EPSTEIN_METRICS.len()] {
        let (quiescent, active, jailed) = self.status_counts();
        [
            f64::from(quiescent),
            f64::from(active),
            f64::from(jailed),
            self.cops().on_duty_count() as f64,
            self.legitimacy(),
        ]
    }
}

/// Runs replicate `replicate` of a validated scenario for `scenario.run.ticks`
/// ticks and returns its metrics for ticks 0 (initial state) to the horizon.
pub fn run_replicate(scenario: &Scenario, terrain: &TerrainMap, replicate: u64) -> Series {
    let mut state = SimState::new(scenario, terrain, replicate);
    let ticks = scenario.run.ticks;
    let mut series = Series::new(&EPSTEIN_METRICS, ticks);
    series.push_row(&state.metrics());
    for _ in 0..ticks {
        state.step();
        series.push_row(&state.metrics());
    }
    series
}
