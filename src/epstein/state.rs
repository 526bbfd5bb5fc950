//! One replicate's state and how it is built from a scenario.

use rand::RngExt;
use rand::seq::SliceRandom;

use super::citizens::{CitizenStatus, Citizens};
use super::cops::Cops;
use super::legitimacy::Legitimacy;
use crate::rng::{SimRng, Stream, stream};
use crate::scenario::{
    ArrestRounding, CitizenStepOrder, CopReduction, JailCountdown, JailPlacement, JailTermRange,
    Placement, Scenario, TerrainMap,
};
use crate::world::{Cell, Grid, Neighbourhood};

/// Schedule entries with this bit set are cops; the rest are citizen ids.
pub(super) const COP_BIT: u32 = 1 << 31;

/// The rule parameters the step reads, copied out of the scenario once.
#[derive(Debug, Clone)]
pub(super) struct Rules {
    pub threshold: f64,
    pub arrest_constant: f64,
    pub rounding: ArrestRounding,
    pub jailed: JailPlacement,
    pub jail_term: JailTermRange,
    pub max_jail_term: u32,
    pub countdown: JailCountdown,
    pub citizen_step: CitizenStepOrder,
    pub cop_moves_to_arrestee: bool,
    pub movement: bool,
}

/// Everything one replicate needs to advance: grid, agents, schedule,
/// random streams. Pure data: stepping it does no I/O.
#[derive(Debug, Clone)]
pub struct SimState {
    /// Ticks completed (0 = the initial state).
    pub(super) tick: u32,
    pub(super) grid: Grid,
    pub(super) citizens: Citizens,
    pub(super) cops: Cops,
    /// Activation order, reshuffled every tick.
    pub(super) order: Vec<u32>,
    pub(super) citizen_view: Neighbourhood,
    pub(super) cop_view: Neighbourhood,
    pub(super) rules: Rules,
    pub(super) legitimacy: Legitimacy,
    /// Cop reductions sorted by tick; `next_reduction` indexes the next one.
    pub(super) reductions: Vec<CopReduction>,
    pub(super) next_reduction: usize,
    pub(super) rng_schedule: SimRng,
    pub(super) rng_actions: SimRng,
    pub(super) rng_events: SimRng,
}

impl SimState {
    /// Builds replicate `replicate` of a validated scenario over `terrain`
    /// (the scenario's map, parsed once per batch). The random streams derive
    /// from (`scenario.run.seed`, `replicate`) only.
    pub fn new(scenario: &Scenario, terrain: &TerrainMap, replicate: u64) -> Self {
        let seed = scenario.run.seed;
        let vision_c = scenario.citizens.vision as usize;
        let vision_k = scenario.cops.vision as usize;
        let grid = Grid::new(terrain, scenario.world.topology, vision_c.max(vision_k));
        let shape = scenario.rules.neighbourhood;
        let mut state = Self {
            tick: 0,
            citizen_view: Neighbourhood::new(shape, vision_c, grid.stride()),
            cop_view: Neighbourhood::new(shape, vision_k, grid.stride()),
            grid,
            citizens: Citizens::default(),
            cops: Cops::default(),
            order: Vec::new(),
            rules: Rules {
                threshold: scenario.citizens.threshold,
                arrest_constant: scenario.citizens.arrest_constant,
                rounding: scenario.rules.arrest_rounding,
                jailed: scenario.rules.jailed,
                jail_term: scenario.rules.jail_term,
                max_jail_term: scenario.cops.max_jail_term,
                countdown: scenario.rules.jail_countdown,
                citizen_step: scenario.rules.citizen_step,
                cop_moves_to_arrestee: scenario.rules.cop_moves_to_arrestee,
                movement: scenario.rules.movement,
            },
            legitimacy: Legitimacy::from_config(&scenario.legitimacy),
            reductions: sorted_reductions(&scenario.cops.reductions),
            next_reduction: 0,
            rng_schedule: stream(seed, replicate, Stream::Schedule),
            rng_actions: stream(seed, replicate, Stream::Actions),
            rng_events: stream(seed, replicate, Stream::Events),
        };
        let mut rng_world = stream(seed, replicate, Stream::World);
        state.place_agents(scenario, &mut rng_world);
        state.rebuild_order();
        state
    }

    /// Ticks completed so far.
    pub fn tick(&self) -> u32 {
        self.tick
    }

    /// The grid (read-only), for metrics and invariant checks.
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// The citizens (read-only).
    pub fn citizens(&self) -> &Citizens {
        &self.citizens
    }

    /// The cops (read-only).
    pub fn cops(&self) -> &Cops {
        &self.cops
    }

    /// Legitimacy in force at the last completed tick.
    pub fn legitimacy(&self) -> f64 {
        self.legitimacy.at(self.tick)
    }

    /// Places citizens and cops on open cells and draws citizens' traits.
    fn place_agents(&mut self, scenario: &Scenario, rng: &mut SimRng) {
        let pop = &scenario.population;
        let open = self.grid.open_cells().to_vec();
        let (h, r) = (scenario.citizens.hardship, scenario.citizens.risk_aversion);
        let draw_traits = |rng: &mut SimRng| {
            let hardship = h.min + (h.max - h.min) * rng.random::<f64>();
            let risk = r.min + (r.max - r.min) * rng.random::<f64>();
            (hardship, risk)
        };
        match pop.placement {
            Placement::PerCell => {
                // One draw per cell, as Mesa's `random.choices` with cumulative
                // weights [citizen, citizen + cop, 1].
                for &idx in &open {
                    let u: f64 = rng.random();
                    if u < pop.citizen_density {
                        let (hardship, risk) = draw_traits(rng);
                        self.add_citizen(idx, hardship, risk);
                    } else if u < pop.citizen_density + pop.cop_density {
                        self.add_cop(idx);
                    }
                }
            }
            Placement::Exact => {
                let n = open.len() as f64;
                let n_cit = (pop.citizen_density * n).round() as usize;
                let n_cop = ((pop.cop_density * n).round() as usize).min(open.len() - n_cit);
                let mut cells = open;
                cells.shuffle(rng);
                for &idx in &cells[..n_cit] {
                    let (hardship, risk) = draw_traits(rng);
                    self.add_citizen(idx, hardship, risk);
                }
                for &idx in &cells[n_cit..n_cit + n_cop] {
                    self.add_cop(idx);
                }
            }
        }
    }

    fn add_citizen(&mut self, idx: u32, hardship: f64, risk: f64) {
        let id = self.citizens.push(idx, hardship, risk);
        self.grid.set(idx, Cell::Quiet, id);
    }

    fn add_cop(&mut self, idx: u32) {
        let id = self.cops.push(idx);
        self.grid.set(idx, Cell::Cop, id);
    }

    /// The activation list: every citizen (jailed ones too, they count down)
    /// and every cop on duty, in creation order before shuffling.
    pub(super) fn rebuild_order(&mut self) {
        self.order.clear();
        self.order.extend(0..self.citizens.len() as u32);
        let on_duty = self.cops.on_duty.iter().enumerate().filter(|(_, d)| **d);
        self.order.extend(on_duty.map(|(j, _)| COP_BIT | j as u32));
    }

    /// Citizens in each status: (quiescent, active, jailed).
    pub fn status_counts(&self) -> (u32, u32, u32) {
        let mut counts = [0u32; 3];
        for s in &self.citizens.status {
            counts[match s {
                CitizenStatus::Quiescent => 0,
                CitizenStatus::Active => 1,
                CitizenStatus::Jailed => 2,
            }] += 1;
        }
        (counts[0], counts[1], counts[2])
    }
}

fn sorted_reductions(reductions: &[CopReduction]) -> Vec<CopReduction> {
    let mut sorted = reductions.to_vec();
    // Stable: reductions at the same tick apply in file order.
    sorted.sort_by_key(|r| r.tick);
    sorted
}
