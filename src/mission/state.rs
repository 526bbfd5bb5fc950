//! The mission model's state: civilians (fighters among them), factions,
//! contributors and units, sectors, per-cell layers, and today's tally.
//! Built from a validated scenario by [`MissionState::new`].

use rand::RngExt;

use super::draw::rate_from_half_life;
use super::field::Layer;
use crate::rng::{SimRng, Stream, stream};
use crate::scenario::MAX_MISSION_RADIUS;
use crate::scenario::{MissionConfig, Scenario, SectorMap, Terrain, TerrainMap};
use crate::world::{Cell, CellIndex, Grid, NO_CELL, Neighbourhood};

/// A civilian agent's status. Every agent is in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Going about daily life.
    Quiescent,
    /// Protesting or rioting (Epstein's rule A fired).
    Active,
    /// Held by the mission or the police (off the grid).
    Detained,
    /// Fighters of a faction.
    Recruited,
    /// Fled from danger; in a shelter elsewhere.
    Displaced,
    /// Recovering from deaths or injuries in the group.
    Harmed,
    /// Everyone the agent stood for is dead (off the grid).
    Dead,
}

/// Status names, in the order of [`Status::index`], as output columns.
pub const STATUS_NAMES: [&str; 7] = [
    "quiescent",
    "active",
    "detained",
    "recruited",
    "displaced",
    "harmed",
    "dead",
];

impl Status {
    /// Position in [`STATUS_NAMES`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Flag bits of a civilian agent.
pub mod flag {
    /// A former official of the old order.
    pub const FORMER_OFFICIAL: u8 = 1;
    /// Excluded from jobs by the exclusion policy.
    pub const EXCLUDED: u8 = 2;
    /// Reached by a jobs programme.
    pub const EMPLOYED: u8 = 4;
    /// A former fighter who handed in weapons.
    pub const EX_FIGHTER: u8 = 8;
}

/// Marker for "no faction".
pub const NO_FACTION: u8 = u8::MAX;

/// All civilian agents, struct-of-arrays. Fighters are civilians with
/// status [`Status::Recruited`], so recruitment and reintegration are status
/// changes and people are conserved by construction.
#[derive(Debug, Clone, Default)]
pub struct Civilians {
    /// Status.
    pub status: Vec<Status>,
    /// Cell, or [`NO_CELL`] when detained or dead.
    pub cell: Vec<CellIndex>,
    /// Where a displaced or detained agent returns.
    pub home: Vec<CellIndex>,
    /// Living people the agent stands for.
    pub members: Vec<f32>,
    /// Fixed baseline hardship H0.
    pub base_hardship: Vec<f32>,
    /// Hardship H, recomputed every day.
    pub hardship: Vec<f32>,
    /// Risk aversion R (fixed).
    pub risk: Vec<f32>,
    /// Trust in the mission T.
    pub trust: Vec<f32>,
    /// Baseline trust T0 that shocks decay towards.
    pub trust0: Vec<f32>,
    /// Memory of losses in the own group (decaying).
    pub loss: Vec<f32>,
    /// Sympathy per faction, `factions` values per agent.
    pub sympathy: Vec<f32>,
    /// Faction of a fighter or ex-fighter, else [`NO_FACTION`].
    pub faction: Vec<u8>,
    /// Days left detained, harmed, or before a displaced agent may return.
    pub timer: Vec<u16>,
    /// [`flag`] bits.
    pub flags: Vec<u8>,
}

impl Civilians {
    /// Number of agents.
    pub fn len(&self) -> usize {
        self.status.len()
    }

    /// Whether there are no agents.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
    }

    /// Whether agent `i` has flag `bit`.
    #[inline]
    pub fn has(&self, i: usize, bit: u8) -> bool {
        self.flags[i] & bit != 0
    }
}

/// What kind of security unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A troop contributor's contingent.
    Contingent,
    /// Local police.
    Police,
    /// A private military company.
    Pmc,
}

/// Security units on the grid, struct-of-arrays.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// Kind.
    pub kind: Vec<UnitKind>,
    /// Contributor index (contingents only).
    pub owner: Vec<u16>,
    /// Cell, or [`NO_CELL`] once off duty.
    pub cell: Vec<CellIndex>,
    /// Sector patrolled.
    pub sector: Vec<u16>,
    /// Community-policing posture (else military posture).
    pub community: Vec<bool>,
    /// Still on duty.
    pub on_duty: Vec<bool>,
    /// Day deployed (police capability grows with it).
    pub since: Vec<u32>,
}

impl Units {
    /// Number of units ever deployed.
    pub fn len(&self) -> usize {
        self.kind.len()
    }

    /// Whether no unit was ever deployed.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty()
    }

    /// Units of `kind` on duty.
    pub fn on_duty_of(&self, kind: UnitKind) -> usize {
        (0..self.len())
            .filter(|&u| self.on_duty[u] && self.kind[u] == kind)
            .count()
    }
}

/// A contributor's running state.
#[derive(Debug, Clone, Default)]
pub struct ContributorState {
    /// Units at full strength.
    pub full_units: u32,
    /// Units deployed so far (on duty or not).
    pub deployed: u32,
    /// Own deaths so far.
    pub deaths: f64,
    /// Day it withdrew, if it did.
    pub withdrawn: Option<u32>,
}

/// A faction's running state.
#[derive(Debug, Clone, Default)]
pub struct FactionState {
    /// Weapons held.
    pub arms: f64,
    /// Commitment to the process.
    pub commitment: f64,
    /// Coercive pressure felt (raids, CT, strikes per fighter agent), decaying.
    pub pressure: f64,
    /// Fighters (people) at the start of the day.
    pub fighters: f64,
}

/// A sector's running state.
#[derive(Debug, Clone, Default)]
pub struct SectorState {
    /// Name.
    pub name: String,
    /// Living people in the sector (start of day).
    pub people: f64,
    /// Rations in stock.
    pub stock: f64,
    /// Smoothed aid coverage.
    pub coverage: f64,
    /// Services level.
    pub services: f64,
    /// Yesterday's services level.
    pub services_before: f64,
    /// Distribution point (padded index).
    pub depot: CellIndex,
    /// Incidents per day over the handover window (ring buffer).
    pub incidents: Vec<u32>,
    /// Consecutive days the handover benchmarks held.
    pub streak: u32,
    /// Day handed over to the local police.
    pub handed_over: Option<u32>,
}

/// Who caused a harm, for attribution (see `docs/ODD.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perpetrator {
    /// A faction's fighters.
    Faction(u8),
    /// A contingent.
    Mission,
    /// A quick reaction force.
    Qrf,
    /// A PMC.
    Pmc,
    /// The counter-terror track.
    CounterTerror,
    /// The local police.
    Police,
    /// The external military.
    External,
}

/// Perpetrator classes of civilian deaths, as output columns.
pub const PERPETRATOR_NAMES: [&str; 7] = [
    "faction", "mission", "qrf", "pmc", "ct", "police", "external",
];

impl Perpetrator {
    /// Position in [`PERPETRATOR_NAMES`].
    pub fn class(self) -> usize {
        match self {
            Perpetrator::Faction(_) => 0,
            Perpetrator::Mission => 1,
            Perpetrator::Qrf => 2,
            Perpetrator::Pmc => 3,
            Perpetrator::CounterTerror => 4,
            Perpetrator::Police => 5,
            Perpetrator::External => 6,
        }
    }
}

/// What happened today (reset at the start of every tick).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Incidents (attacks by fighters).
    pub incidents: u32,
    /// Attacks on mission units.
    pub attacks_on_mission: u32,
    /// Civilian deaths by perpetrator class.
    pub civilian_deaths: [f64; 7],
    /// Fighters killed.
    pub fighter_deaths: f64,
    /// Mission and police personnel killed.
    pub mission_deaths: f64,
    /// External strikes.
    pub strikes: u32,
    /// Convoys looted.
    pub lootings: u32,
    /// Rations delivered to distribution points.
    pub rations: f64,
    /// Counter-terror raids.
    pub ct_raids: u32,
}

/// Cumulative counters.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    /// Weapons handed in or seized.
    pub weapons_collected: f64,
    /// Fighters (people) who handed in weapons and went home.
    pub reintegrated: f64,
    /// People killed (civilians and fighters).
    pub dead: f64,
    /// Civilians killed.
    pub civilian_deaths: f64,
    /// Incidents.
    pub incidents: u32,
    /// Contributors withdrawn.
    pub withdrawals: u32,
}

/// Per-cell layers: today's events and what civilians perceive of them.
#[derive(Debug, Clone)]
pub struct Layers {
    /// Harm attributed to the mission (deaths × attribution) today.
    pub harm_attributed: Layer,
    /// Harm by the mission side or the external military (full weight), for backlash.
    pub harm_backlash: Layer,
    /// Harm by each faction today.
    pub harm_faction: Vec<Layer>,
    /// Every death today, whoever caused it.
    pub harm_total: Layer,
    /// Protective events today (incidents cut short), weighted by the share saved.
    pub protection: Layer,
    /// Community-policing contacts today.
    pub policing: Layer,
    /// Danger: smoothed deaths nearby.
    pub danger: Layer,
    /// Trust mean around each cell, from the last perception update.
    pub trust_nearby: Layer,
    /// Each faction's harm as witnessed (box sums), for the sympathy update.
    pub seen_faction: Vec<Layer>,
    /// Scratch layers for box sums.
    pub scratch: [Layer; 4],
    /// Scratch summed-area table.
    pub table: Vec<f64>,
}

/// Radii and rates derived once from the scenario.
#[derive(Debug, Clone)]
pub struct Derived {
    /// People one civilian agent stands for at day 0.
    pub people_per_agent: f64,
    /// Units' vision in cells.
    pub unit_vision: usize,
    /// Witness radius in cells.
    pub witness_cells: usize,
    /// Contagion radius in cells.
    pub contagion_cells: usize,
    /// Association of the mission with the external military's strikes.
    pub association: f64,
    /// Per-day relaxation rates.
    pub trust_rate: f64,
    /// Sympathy relaxation.
    pub sympathy_rate: f64,
    /// Loss memory decay.
    pub loss_rate: f64,
    /// Order legitimacy relaxation.
    pub legitimacy_rate: f64,
    /// Commitment relaxation.
    pub commitment_rate: f64,
    /// Pressure decay.
    pub pressure_rate: f64,
    /// Intelligence decay.
    pub intel_rate: f64,
    /// Threat decay.
    pub threat_rate: f64,
    /// Aid coverage smoothing.
    pub coverage_rate: f64,
    /// Total weapons at day 0 (for the external military's build-up).
    pub initial_arms: f64,
    /// Most units the QRF can field today.
    pub qrf_bases: Vec<(f64, f64)>,
}

/// Everything one replicate of the mission model needs to advance.
#[derive(Debug, Clone)]
pub struct MissionState {
    /// Ticks completed.
    pub tick: u32,
    /// The scenario's mission configuration.
    pub config: MissionConfig,
    /// Epstein threshold T.
    pub threshold: f64,
    /// Epstein arrest constant k.
    pub arrest_constant: f64,
    /// Arrest rounding.
    pub rounding: crate::scenario::ArrestRounding,
    /// Longest detention of an arrested active civilian.
    pub max_jail_term: u32,
    /// The grid.
    pub grid: Grid,
    /// Civilians' view.
    pub civilian_view: Neighbourhood,
    /// Units' and fighters' view.
    pub unit_view: Neighbourhood,
    /// Sector of each interior cell (row-major).
    pub cell_sector: Vec<u16>,
    /// Whether each interior cell is a crossing.
    pub crossings: Vec<CellIndex>,
    /// Civilians and fighters.
    pub civilians: Civilians,
    /// Number of factions.
    pub factions: usize,
    /// Factions' running state.
    pub faction_state: Vec<FactionState>,
    /// Contributors' running state.
    pub contributor_state: Vec<ContributorState>,
    /// Security units.
    pub units: Units,
    /// Sectors.
    pub sectors: Vec<SectorState>,
    /// Layers.
    pub layers: Layers,
    /// Derived constants.
    pub derived: Derived,
    /// Legitimacy of the order L(t).
    pub legitimacy: f64,
    /// Mission intelligence in [0, 1].
    pub intel: f64,
    /// The external military's threat perception.
    pub threat: f64,
    /// Contributors' sense of being tied to the strikes (decaying).
    pub association_pressure: f64,
    /// Local police officers trained.
    pub officers: f64,
    /// QRF sorties left today.
    pub qrf_sorties: u32,
    /// Today's events.
    pub today: Tally,
    /// Yesterday's attacks (the external military reacts to them).
    pub attacks_yesterday: u32,
    /// Cumulative counters.
    pub totals: Totals,
    /// Activation order (civilians, then units with [`UNIT_BIT`]).
    pub order: Vec<u32>,
    /// Fighters on the grid (rebuilt daily), for targeting.
    pub fighter_ids: Vec<u32>,
    /// Random streams, one per process.
    pub rng: Streams,
    /// Incidents per interior cell since the last map frame, counted only
    /// while frames are recorded (see [`super::frames`]).
    pub incident_map: Option<Vec<u32>>,
}

/// One random stream per process, so a lever changes only the draws of the
/// process it touches (common random numbers across mandates).
#[derive(Debug, Clone)]
pub struct Streams {
    /// Activation order.
    pub schedule: SimRng,
    /// Civilians' choices.
    pub civilians: SimRng,
    /// Fighters' choices and incident outcomes.
    pub fighters: SimRng,
    /// Mission units' choices.
    pub forces: SimRng,
    /// The counter-terror track.
    pub counter_terror: SimRng,
    /// The external military.
    pub external: SimRng,
    /// Convoys.
    pub humanitarian: SimRng,
}

/// Schedule entries with this bit set are units; the rest are civilians.
pub const UNIT_BIT: u32 = 1 << 31;

impl MissionState {
    /// Builds replicate `replicate` of a validated scenario with a
    /// `[mission]` table over `terrain`.
    pub fn new(
        scenario: &Scenario,
        terrain: &TerrainMap,
        sectors: Option<&SectorMap>,
        replicate: u64,
    ) -> Self {
        let config = scenario
            .mission
            .clone()
            .expect("MissionState::new needs a scenario with [mission]");
        let seed = scenario.run.seed;
        let km = config.cell_km;
        let cells = |radius_km: f64| ((radius_km / km).round() as usize).min(MAX_MISSION_RADIUS);
        let unit_vision = cells(config.forces.vision_km).max(1);
        let civ_vision = (scenario.citizens.vision as usize).min(MAX_MISSION_RADIUS);
        let grid = Grid::new(
            terrain,
            scenario.world.topology,
            unit_vision.max(civ_vision),
        );
        let shape = scenario.rules.neighbourhood;
        let (w, h) = (grid.width(), grid.height());
        let layer = || Layer::new(w, h);
        let nf = config.factions.len();
        let association = match config.mandate.headquarters {
            crate::scenario::Headquarters::ExternalState => {
                config.external.association_external_state
            }
            crate::scenario::Headquarters::NeighbourState => {
                config.external.association_neighbour_state
            }
            crate::scenario::Headquarters::InTheatre => config.external.association_in_theatre,
        };
        let derived = Derived {
            people_per_agent: 1.0,
            unit_vision,
            witness_cells: cells(config.civilians.witness_radius_km),
            contagion_cells: cells(config.civilians.contagion_radius_km),
            association,
            trust_rate: rate_from_half_life(config.civilians.trust_half_life_days),
            sympathy_rate: rate_from_half_life(config.civilians.sympathy_half_life_days),
            loss_rate: rate_from_half_life(config.civilians.loss_half_life_days),
            legitimacy_rate: rate_from_half_life(config.legitimacy.half_life_days),
            commitment_rate: rate_from_half_life(config.fighters.commitment_half_life_days),
            pressure_rate: rate_from_half_life(config.fighters.pressure_half_life_days),
            intel_rate: rate_from_half_life(config.forces.intel_half_life_days),
            threat_rate: rate_from_half_life(config.external.threat_half_life_days),
            coverage_rate: rate_from_half_life(config.humanitarian.coverage_half_life_days),
            initial_arms: config.factions.iter().map(|f| f.arms).sum(),
            qrf_bases: Vec::new(),
        };
        let mut state = Self {
            tick: 0,
            threshold: scenario.citizens.threshold,
            arrest_constant: scenario.citizens.arrest_constant,
            rounding: scenario.rules.arrest_rounding,
            max_jail_term: scenario.cops.max_jail_term,
            civilian_view: Neighbourhood::new(shape, civ_vision, grid.stride()),
            unit_view: Neighbourhood::new(shape, unit_vision, grid.stride()),
            cell_sector: vec![0; w * h],
            crossings: Vec::new(),
            civilians: Civilians::default(),
            factions: nf,
            faction_state: config
                .factions
                .iter()
                .map(|f| FactionState {
                    arms: f.arms,
                    commitment: (f.commitment + f.signing_boost).min(1.0),
                    pressure: 0.0,
                    fighters: 0.0,
                })
                .collect(),
            contributor_state: Vec::new(),
            units: Units::default(),
            sectors: Vec::new(),
            layers: Layers {
                harm_attributed: layer(),
                harm_backlash: layer(),
                harm_faction: (0..nf).map(|_| layer()).collect(),
                harm_total: layer(),
                protection: layer(),
                policing: layer(),
                danger: layer(),
                trust_nearby: layer(),
                seen_faction: (0..nf).map(|_| layer()).collect(),
                scratch: [layer(), layer(), layer(), layer()],
                table: Vec::new(),
            },
            derived,
            legitimacy: scenario.legitimacy.initial,
            intel: 0.0,
            threat: 0.0,
            association_pressure: 0.0,
            officers: config.police.initial_officers,
            qrf_sorties: 0,
            today: Tally::default(),
            attacks_yesterday: 0,
            totals: Totals::default(),
            order: Vec::new(),
            fighter_ids: Vec::new(),
            rng: Streams {
                schedule: stream(seed, replicate, Stream::Schedule),
                civilians: stream(seed, replicate, Stream::Actions),
                fighters: stream(seed, replicate, Stream::Fighters),
                forces: stream(seed, replicate, Stream::Forces),
                counter_terror: stream(seed, replicate, Stream::CounterTerror),
                external: stream(seed, replicate, Stream::External),
                humanitarian: stream(seed, replicate, Stream::Humanitarian),
            },
            incident_map: None,
            grid,
            config,
        };
        let mut rng_world = stream(seed, replicate, Stream::World);
        state.build_sectors(terrain, sectors);
        state.place_civilians(scenario, terrain, &mut rng_world);
        state.recruit_initial_fighters(&mut rng_world);
        state.place_depots_and_bases();
        state.contributor_state = super::forces::plan_contributors(&state.config);
        super::police::deploy_trained(&mut state, 0);
        super::humanitarian::count_sector_people(&mut state);
        state.rebuild_order();
        state
    }

    fn build_sectors(&mut self, terrain: &TerrainMap, sectors: Option<&SectorMap>) {
        let (w, h) = (self.grid.width(), self.grid.height());
        let mut names: Vec<String> = match sectors {
            Some(map) => map.names.clone(),
            None => vec!["all".to_string()],
        };
        let mut unassigned = false;
        for y in 0..h {
            for x in 0..w {
                let s = sectors.and_then(|m| m.at(x as u32, y as u32));
                let passable = terrain.at(x as u32, y as u32).is_passable();
                self.cell_sector[y * w + x] = match s {
                    Some(s) => s,
                    None if sectors.is_none() => 0,
                    None => {
                        unassigned |= passable;
                        u16::MAX
                    }
                };
                if terrain.at(x as u32, y as u32) == Terrain::Crossing {
                    self.crossings.push(self.grid.index(x, y));
                }
            }
        }
        if unassigned {
            names.push("unassigned".to_string());
        }
        let last = (names.len() - 1) as u16;
        for s in &mut self.cell_sector {
            if *s == u16::MAX {
                *s = last;
            }
        }
        let window = self.config.police.handover_window_days as usize;
        let services = self.config.humanitarian.services_initial;
        let coverage = self.config.humanitarian.coverage_initial;
        self.sectors = names
            .into_iter()
            .map(|name| SectorState {
                name,
                services,
                services_before: services,
                coverage,
                incidents: vec![0; window],
                depot: NO_CELL,
                ..SectorState::default()
            })
            .collect();
    }

    fn place_civilians(&mut self, scenario: &Scenario, terrain: &TerrainMap, rng: &mut SimRng) {
        let pop = &self.config.population;
        let weight = |t: Terrain| match t {
            Terrain::Open => pop.weight_open,
            Terrain::Urban => pop.weight_urban,
            Terrain::Rubble => pop.weight_rubble,
            Terrain::Crossing => pop.weight_crossing,
            _ => 0.0,
        };
        let open = self.grid.open_cells().to_vec();
        let terrain_at = |grid: &Grid, idx: CellIndex| {
            let (x, y) = grid.coords(idx);
            terrain.at(x as u32, y as u32)
        };
        let mean_weight = open
            .iter()
            .map(|&i| weight(terrain_at(&self.grid, i)))
            .sum::<f64>()
            / open.len().max(1) as f64;
        let (hr, rr) = (scenario.citizens.hardship, scenario.citizens.risk_aversion);
        let civ = &self.config.civilians;
        let mandate = &self.config.mandate;
        for &idx in &open {
            let p = if mean_weight > 0.0 {
                (pop.occupancy * weight(terrain_at(&self.grid, idx)) / mean_weight).min(1.0)
            } else {
                0.0
            };
            if rng.random::<f64>() >= p {
                continue;
            }
            let c = &mut self.civilians;
            let id = c.status.len() as u32;
            c.status.push(Status::Quiescent);
            c.cell.push(idx);
            c.home.push(idx);
            c.members.push(1.0);
            let h0 = hr.min + (hr.max - hr.min) * rng.random::<f64>();
            c.base_hardship.push(h0 as f32);
            c.hardship.push(h0 as f32);
            let r = rr.min + (rr.max - rr.min) * rng.random::<f64>();
            c.risk.push(r as f32);
            let t0 = civ.trust_initial_min
                + (civ.trust_initial_max - civ.trust_initial_min) * rng.random::<f64>();
            c.trust.push(t0 as f32);
            c.trust0.push(t0 as f32);
            c.loss.push(0.0);
            for f in &self.config.factions {
                let s = f.support + civ.sympathy_spread * (2.0 * rng.random::<f64>() - 1.0);
                c.sympathy.push(s.clamp(0.0, 1.0) as f32);
            }
            c.faction.push(NO_FACTION);
            c.timer.push(0);
            // Three draws always, so the levers below do not shift later draws.
            let (u_former, u_excluded, u_job): (f64, f64, f64) =
                (rng.random(), rng.random(), rng.random());
            let mut flags = 0;
            if u_former < pop.former_officials_share {
                flags |= flag::FORMER_OFFICIAL;
                if u_excluded < mandate.exclusion {
                    flags |= flag::EXCLUDED;
                }
            }
            if flags & flag::EXCLUDED == 0 && u_job < mandate.jobs {
                flags |= flag::EMPLOYED;
            }
            c.flags.push(flags);
            self.grid.set(idx, Cell::Quiet, id);
        }
        let n = self.civilians.len().max(1) as f64;
        self.derived.people_per_agent = pop.total_people / n;
        let people = self.derived.people_per_agent as f32;
        self.civilians.members.fill(people);
    }

    fn recruit_initial_fighters(&mut self, rng: &mut SimRng) {
        let n = self.civilians.len();
        if n == 0 {
            return;
        }
        let unit = self.config.fighters.people_per_unit;
        for f in 0..self.factions {
            let wanted = (self.config.factions[f].fighters / unit).round() as usize;
            let mut placed = 0;
            let mut tries = 0;
            while placed < wanted && tries < 100 * n {
                tries += 1;
                let i = rng.random_range(0..n) as u32;
                if self.civilians.status[i as usize] != Status::Quiescent {
                    continue;
                }
                let at = self.civilians.cell[i as usize];
                let empties = self.civilian_view.count_mission(&self.grid, at).empties;
                let to = self
                    .civilian_view
                    .random_empty(&self.grid, rng, at, empties);
                if let Some(id) = self.split_fighters(i, f as u8, to) {
                    let k = id as usize * self.factions + f;
                    self.civilians.sympathy[k] = self.civilians.sympathy[k].max(0.8);
                    placed += 1;
                }
            }
        }
    }

    /// Recruits a fighting unit of `fighters.people_per_unit` people from
    /// civilian agent `from` into faction `f`: a new agent on the empty cell
    /// `to`, with `from`'s traits, or `from` itself if its group is no
    /// larger than a unit. Returns the fighter agent, or `None` if a new
    /// agent was needed and there was no room.
    pub fn split_fighters(&mut self, from: u32, f: u8, to: Option<CellIndex>) -> Option<u32> {
        let i = from as usize;
        let unit = self.config.fighters.people_per_unit as f32;
        if self.civilians.members[i] <= unit {
            self.recruit(from, f);
            return Some(from);
        }
        let to = to?;
        let c = &mut self.civilians;
        let id = c.len() as u32;
        c.members[i] -= unit;
        c.status.push(Status::Quiescent);
        c.cell.push(to);
        c.home.push(to);
        c.members.push(unit);
        c.base_hardship.push(c.base_hardship[i]);
        c.hardship.push(c.hardship[i]);
        c.risk.push(c.risk[i]);
        c.trust.push(c.trust[i]);
        c.trust0.push(c.trust0[i]);
        c.loss.push(c.loss[i]);
        let nf = self.factions;
        for k in 0..nf {
            let v = c.sympathy[i * nf + k];
            c.sympathy.push(v);
        }
        c.faction.push(NO_FACTION);
        c.timer.push(0);
        c.flags.push(c.flags[i] & !flag::EMPLOYED);
        self.recruit(id, f);
        Some(id)
    }

    /// Makes agent `id` fighters of faction `f`.
    pub fn recruit(&mut self, id: u32, f: u8) {
        let i = id as usize;
        self.civilians.status[i] = Status::Recruited;
        self.civilians.faction[i] = f;
        let cell = self.civilians.cell[i];
        if cell != NO_CELL {
            self.grid.set(cell, Cell::Fighter, id);
        }
    }

    /// Distribution points (the sector's cell nearest its people's centroid)
    /// and QRF bases (at the depots of the most populous sectors).
    fn place_depots_and_bases(&mut self) {
        let ns = self.sectors.len();
        let mut sum = vec![(0.0f64, 0.0f64, 0.0f64); ns];
        for &cell in &self.civilians.cell {
            let (x, y) = self.grid.coords(cell);
            let s = self.cell_sector[self.grid.interior(cell)] as usize;
            sum[s].0 += x as f64;
            sum[s].1 += y as f64;
            sum[s].2 += 1.0;
        }
        for (s, &(sx, sy, n)) in sum.iter().enumerate() {
            if n == 0.0 {
                continue;
            }
            let (cx, cy) = (sx / n, sy / n);
            let best = self
                .grid
                .open_cells()
                .iter()
                .copied()
                .filter(|&c| self.cell_sector[self.grid.interior(c)] as usize == s)
                .min_by(|&a, &b| {
                    let d = |c: CellIndex| {
                        let (x, y) = self.grid.coords(c);
                        (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)
                    };
                    d(a).total_cmp(&d(b))
                });
            self.sectors[s].depot = best.unwrap_or(NO_CELL);
        }
        let mut by_people: Vec<usize> = (0..ns).filter(|&s| sum[s].2 > 0.0).collect();
        by_people.sort_by(|&a, &b| sum[b].2.total_cmp(&sum[a].2).then(a.cmp(&b)));
        let km = self.config.cell_km;
        let bases = self.config.mandate.qrf_units as usize;
        self.derived.qrf_bases = (0..bases)
            .filter_map(|k| {
                let s = *by_people.get(k % by_people.len().max(1))?;
                let (x, y) = self.grid.coords(self.sectors[s].depot);
                Some((x as f64 * km, y as f64 * km))
            })
            .collect();
    }

    /// The activation list: every civilian agent and every unit on duty.
    pub fn rebuild_order(&mut self) {
        self.order.clear();
        self.order.extend(0..self.civilians.len() as u32);
        let on_duty = (0..self.units.len()).filter(|&u| self.units.on_duty[u]);
        self.order.extend(on_duty.map(|u| UNIT_BIT | u as u32));
    }

    /// Row-major sector of a padded cell index.
    #[inline]
    pub fn sector_of(&self, cell: CellIndex) -> usize {
        self.cell_sector[self.grid.interior(cell)] as usize
    }

    /// Whether the mission has begun deploying by day `t`.
    pub fn mission_started(&self, t: u32) -> bool {
        t > self.config.mandate.deployment_delay_days
    }
}
