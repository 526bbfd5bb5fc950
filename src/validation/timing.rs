//! Single-threaded tick timing of one replicate, reported in the same shape
//! as Mesa's `run_mesa_epstein.py timing`, so that speed ratios can be taken
//! side by side in one run.

use std::time::Instant;

use serde::Serialize;

use crate::epstein::state::SimState;
use crate::scenario::{MapError, Scenario};

/// Timing of one replicate.
#[derive(Debug, Clone, Serialize)]
pub struct TimingReport {
    /// Scenario name.
    pub scenario: String,
    /// Grid size, `WxH`.
    pub grid: String,
    /// Ticks timed.
    pub steps: u32,
    /// Citizens.
    pub n_citizens: usize,
    /// Cops at tick 0.
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
    /// Final (quiescent, active, jailed).
    pub final_counts_qaj: (u32, u32, u32),
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
    let mut state = SimState::new(scenario, &terrain, 0);
    let setup_s = t.elapsed().as_secs_f64();
    let agents = state.citizens().len() + state.cops().on_duty_count();
    let n_cops = state.cops().on_duty_count();
    let mut times = Vec::with_capacity(ticks as usize);
    for _ in 0..ticks {
        let t = Instant::now();
        state.step();
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
    Ok(TimingReport {
        scenario: scenario.name.clone(),
        grid: format!("{}x{}", terrain.width, terrain.height),
        steps: ticks,
        n_citizens: state.citizens().len(),
        n_cops,
        setup_s,
        median_step_s: median,
        mean_step_s: times.iter().sum::<f64>() / times.len().max(1) as f64,
        p90_step_s: pick(0.9),
        steps_per_s: 1.0 / median,
        agent_steps_per_s: agents as f64 / median,
        final_counts_qaj: state.status_counts(),
    })
}
