//! One replicate: its state, its step (phases in a fixed, documented order)
//! and its random streams. Pure: no I/O, no threads, no printing.

mod legitimacy;
pub mod rng;
mod state;
mod step;

pub use legitimacy::Legitimacy;
pub use state::SimState;

use crate::metrics::{EPSTEIN_METRICS, Names, Series, names_of};
use crate::scenario::{MapError, Scenario, SectorMap, TerrainMap};

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

/// A scenario prepared for running replicates: its map parsed once, its
/// model chosen (Epstein, or the mission model when `[mission]` is present)
/// and its metric names fixed.
#[derive(Debug, Clone)]
pub struct Model<'a> {
    scenario: &'a Scenario,
    terrain: &'a TerrainMap,
    sectors: Option<SectorMap>,
    names: Names,
}

impl<'a> Model<'a> {
    /// Prepares a validated scenario over its parsed terrain.
    pub fn new(scenario: &'a Scenario, terrain: &'a TerrainMap) -> Result<Self, MapError> {
        let names = match &scenario.mission {
            None => names_of(&EPSTEIN_METRICS),
            Some(m) => crate::mission::metric_names(m).into(),
        };
        let sectors = match scenario.mission {
            None => None,
            Some(_) => scenario.world.sectors()?,
        };
        Ok(Self {
            scenario,
            terrain,
            sectors,
            names,
        })
    }

    /// The per-tick metric names, in column order.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Runs replicate `replicate` for `scenario.run.ticks` ticks and returns
    /// its metrics for ticks 0 (initial state) to the horizon.
    pub fn run(&self, replicate: u64) -> Series {
        if self.scenario.mission.is_some() {
            return crate::mission::run_replicate(
                self.scenario,
                self.terrain,
                self.sectors.as_ref(),
                &self.names,
                replicate,
            );
        }
        let mut state = SimState::new(self.scenario, self.terrain, replicate);
        let ticks = self.scenario.run.ticks;
        let mut series = Series::new(self.names.clone(), ticks);
        series.push_row(&state.metrics());
        for _ in 0..ticks {
            state.step();
            series.push_row(&state.metrics());
        }
        series
    }
}

impl Model<'_> {
    /// For a mission scenario, runs replicate `replicate` as [`Model::run`]
    /// does (same series) and also returns map frames of day 0, every
    /// `every` days and the last day; `None` for an Epstein scenario.
    pub fn run_with_frames(
        &self,
        replicate: u64,
        every: u32,
    ) -> Option<(Series, Vec<crate::mission::MapFrame>)> {
        self.scenario.mission.as_ref()?;
        Some(crate::mission::run_replicate_with_frames(
            self.scenario,
            self.terrain,
            self.sectors.as_ref(),
            &self.names,
            replicate,
            every,
        ))
    }
}

/// Runs replicate `replicate` of a validated scenario (either model) for
/// `scenario.run.ticks` ticks. Panics if the scenario's sector map is
/// invalid, which validation rules out.
pub fn run_replicate(scenario: &Scenario, terrain: &TerrainMap, replicate: u64) -> Series {
    Model::new(scenario, terrain)
        .expect("a validated scenario has a valid sector map")
        .run(replicate)
}
