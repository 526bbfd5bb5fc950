//! Single-threaded tick timing of one replicate, reported in the same shape
//! as Mesa's `run_mesa_epstein.py timing`, so that speed ratios can be taken
//! side by side in one run. The model timed is the one the scenario selects
//! (the mission model when it has `[mission]`), as a batch would run it.

use std::time::Instant;

use serde::Serialize;

use crate::epstein::state::SimState;
use crate::mission::MissionState;
use crate::scenario::{MapError, Scenario};

/// Timing of one replicate.
#[derive(Debug, Clone, Serialize)]
pub struct TimingReport {
    /// Scenario name.
    pub scenario: String,
    /// The model timed: `epstein` or `mission`.
    pub model: &'static str,
    /// Grid size, `WxH`.
    pub grid: String,
    /// Ticks timed.
    pub steps: u32,
    /// Citizens (the mission model: civilian agents).
    pub n_citizens: usize,
    /// Cops at tick 0 (the mission model: units on duty at tick 0).
    pub n_cops: usize,
    /// Seconds to build the world.
    pub setup_s: f64,
    /// Median seconds per tick.
    pub median_step_s: f64,
    /// Mean seconds per tick.
    pub mean_step_s: f64,
    /// 90th percentile seconds per tick.
    pub p90_step_s: f64,
    /// Ticks per second (from the median).
    pub steps_per_s: f64,
    /// Agent activations per second (from the median).
    pub agent_steps_per_s: f64,
    /// Final (quiescent, active, jailed); Epstein's model only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_counts_qaj: Option<(u32, u32, u32)>,
}

impl TimingReport {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Times `ticks` ticks of replicate 0 of `scenario` on this thread.
pub fn time_ticks(scenario: &Scenario, ticks: u32) -> Result<TimingReport, MapError> {
    let terrain = scenario.world.terrain()?;
    let t = Instant::now();
    let mut replicate = if scenario.mission.is_some() {
        let sectors = scenario.world.sectors()?;
        Timed::Mission(Box::new(MissionState::new(
            scenario,
            &terrain,
            sectors.as_ref(),
            0,
        )))
    } else {
        Timed::Epstein(Box::new(SimState::new(scenario, &terrain, 0)))
    };
    let setup_s = t.elapsed().as_secs_f64();
    let (n_citizens, n_cops) = replicate.agents();
    let mut times = Vec::with_capacity(ticks as usize);
    for _ in 0..ticks {
        let t = Instant::now();
        replicate.step();
        times.push(t.elapsed().as_secs_f64());
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let pick = |q: f64| {
        sorted
            .get(((sorted.len().max(1) - 1) as f64 * q) as usize)
            .copied()
            .unwrap_or(f64::NAN)
    };
    let median = pick(0.5);
    let (model, final_counts_qaj) = match &replicate {
        Timed::Epstein(state) => ("epstein", Some(state.status_counts())),
        Timed::Mission(_) => ("mission", None),
    };
    Ok(TimingReport {
        scenario: scenario.name.clone(),
        model,
        grid: format!("{}x{}", terrain.width, terrain.height),
        steps: ticks,
        n_citizens,
        n_cops,
        setup_s,
        median_step_s: median,
        mean_step_s: times.iter().sum::<f64>() / times.len().max(1) as f64,
        p90_step_s: pick(0.9),
        steps_per_s: 1.0 / median,
        agent_steps_per_s: (n_citizens + n_cops) as f64 / median,
        final_counts_qaj,
    })
}

/// The replicate being timed, of the model the scenario selects.
enum Timed {
    Epstein(Box<SimState>),
    Mission(Box<MissionState>),
}

impl Timed {
    fn step(&mut self) {
        match self {
            Self::Epstein(s) => s.step(),
            Self::Mission(s) => s.step(),
        }
    }

    /// (citizens or civilians, cops or units on duty) at the start.
    fn agents(&self) -> (usize, usize) {
        match self {
            Self::Epstein(s) => (s.citizens().len(), s.cops().on_duty_count()),
            Self::Mission(s) => (
                s.civilians().len(),
                s.units().on_duty.iter().filter(|&&d| d).count(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mission_scenario_times_the_mission_model() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mission =
            crate::scenario::load(&root.join("scenarios/gaza/baseline.toml"), &[]).unwrap();
        let report = time_ticks(&mission, 2).unwrap();
        assert_eq!(report.model, "mission");
        assert!(report.final_counts_qaj.is_none());
        assert!(report.n_citizens > 0);
        let epstein = crate::scenario::Scenario::default();
        let report = time_ticks(&epstein, 2).unwrap();
        assert_eq!(report.model, "epstein");
        assert!(report.final_counts_qaj.is_some());
    }
}
