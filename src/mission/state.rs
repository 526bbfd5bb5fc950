//! The mission model's state, as data grouped by actor: the rules, the
//! map, civilians (fighters among them), factions, units, the mission's
//! forces, the police, the external military, sectors, per-cell layers,
//! today's tally and the totals, with read accessors. Built from a
//! validated scenario by [`MissionState::new`] (in `setup.rs`); the phases
//! that change it are in the actors' files.

use super::field::Layer;
use crate::rng::SimRng;
use crate::scenario::MissionConfig;
use crate::stats::SizeHistogram;
use crate::world::{CellIndex, Grid, Neighbourhood};

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
    /// Cell, or [`NO_CELL`](crate::world::NO_CELL) when detained or dead.
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
    /// Backlash witnessed but not yet turned into sympathy for the
    /// factions: it flows in over `backlash_lag_days` (the lag of weeks to
    /// months between collateral harm and insurgent violence).
    pub resentment: Vec<f32>,
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
    /// Cell, or [`NO_CELL`](crate::world::NO_CELL) once off duty.
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
    /// Recent own deaths: each death counts 1 and fades with
    /// `forces.casualty_memory_days` (what drives withdrawal).
    pub recent_deaths: f64,
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
    /// At war: the party has left the ceasefire (`war.rs`).
    pub at_war: bool,
    /// Day the party's current ceasefire began (0: the ceasefire).
    pub peace_since: u32,
    /// Operational tempo: attacks and blows, decaying (`war.rs`).
    pub tempo: f64,
    /// Pressure after yesterday's war phase, to tell today's blows.
    pub pressure_mark: f64,
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
    /// Rations in stock that arrived in convoys the mission escorted.
    pub escorted_stock: f64,
    /// Smoothed aid coverage by rations the mission escorted: the aid it
    /// visibly made possible, the only aid civilians credit it for (M8.4).
    pub escorted_coverage: f64,
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
    /// Whether the mission (or the police) controls the sector today
    /// (phase 14).
    pub controlled: bool,
    /// How far the mission holds the sector today (phase 14): its security
    /// units on duty over those control needs, at most 1 (1 when
    /// controlled). Local partners are exposed to reprisals in the rest.
    pub control: f64,
    /// Fighter agents in the sector (phase 7).
    pub fighter_agents: f64,
    /// Attacks on the mission owed here for civilian harm and coercion
    /// blamed on it (deaths × `revenge_per_death` and death equivalents ×
    /// `revenge_attacks`, × attribution), fading with
    /// `fighters.revenge_half_life_days`: what revenge attacks answer.
    pub revenge: f64,
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
    /// Tips from community contacts (expected number: rate × trust nearby).
    pub tips: f64,
    /// Ex-fighters (people) who rejoined their faction.
    pub relapses: f64,
    /// Civilians (people) newly recruited into a faction (relapses not counted).
    pub recruits: f64,
    /// Attacks on service projects (in contested sectors).
    pub attacks_on_projects: u32,
    /// Incidents in sectors the mission did not hold when they began (as
    /// phase 14 last judged them): the violence Sexton (2016) measures in
    /// contested districts.
    pub incidents_contested: u32,
    /// The day's trust response of witnesses of civilian harm (metrics
    /// only; see [`Witnesses`]).
    pub witnessed: WitnessResponse,
}

/// The day's trust response of civilians who witnessed harm, against
/// civilians of the same sector who witnessed none (a within-sector
/// difference, so rumours and sector-wide credit cancel). Lyall, Blair &
/// Imai (2013) measure this response: people harmed by ISAF lost support
/// for it; people harmed by the Taliban did not gain support for ISAF.
#[derive(Debug, Clone, Copy, Default)]
pub struct WitnessResponse {
    /// People who saw faction killings today and no harm by the mission.
    pub faction_people: f64,
    /// Σ people × (their trust change today − their sector's unharmed mean change).
    pub faction_response: f64,
    /// People who saw harm attributed to the mission today and no faction killings.
    pub mission_people: f64,
    /// Σ people × (their trust change today − their sector's unharmed mean change).
    pub mission_response: f64,
}

/// Per civilian, for one perception phase: trust at its start and what
/// harm it saw (see `perception::witness_response`). Kept between days
/// only so that the day allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct Witnesses {
    /// Trust at the start of the phase.
    pub trust_before: Vec<f32>,
    /// What was seen: [`Witnesses::NONE`], [`Witnesses::FACTION`],
    /// [`Witnesses::MISSION`], or [`Witnesses::OTHER`] (both, or not
    /// updated today).
    pub saw: Vec<u8>,
    /// Per sector, the unharmed's people-weighted trust change and their
    /// people (scratch of `perception::witness_response`).
    pub unharmed: Vec<(f64, f64)>,
}

impl Witnesses {
    /// Saw no civilian harm (the comparison group).
    pub const NONE: u8 = 0;
    /// Saw faction killings only.
    pub const FACTION: u8 = 1;
    /// Saw harm attributed to the mission only.
    pub const MISSION: u8 = 2;
    /// Saw both, harm by the external military only, or was not updated.
    pub const OTHER: u8 = 3;
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
    /// Civilians killed per incident (onset, escalation and the response's
    /// bystanders), every incident since day 1: the event sizes of
    /// Bohorquez et al. (2009), for pattern test P04.
    pub incident_sizes: SizeHistogram,
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
    /// Contagion scratch, kept rather than allocated every day: the
    /// civilians on the grid.
    pub on_grid: Vec<OnGrid>,
    /// Contagion scratch: civilians per cell.
    pub count: Layer,
    /// Contagion scratch: civilians within the contagion radius of each cell.
    pub count_sum: Layer,
    /// Scratch for policing contacts added up by rows: the rows' sums.
    pub policing_rows: Vec<f32>,
    /// Scratch for policing contacts added up by rows: each cell's total.
    pub policing_seen: Vec<f32>,
    /// Contagion scratch: each civilian's box in the summed-area table
    /// ([`Layer::table_box`]), in the order of `on_grid`.
    pub table_boxes: Vec<[usize; 4]>,
}

/// A civilian on the grid, for the day's contagion.
#[derive(Debug, Clone, Copy)]
pub struct OnGrid {
    /// The civilian agent.
    pub agent: usize,
    /// Its interior cell, row-major.
    pub at: usize,
    /// The same cell's interior coordinates (x, y).
    pub xy: (usize, usize),
}

/// Radii and rates derived once from the scenario.
#[derive(Debug, Clone)]
pub struct Derived {
    /// People one civilian agent stands for at day 0.
    pub people_per_agent: f64,
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
    /// Decay of contributors' memory of their own deaths.
    pub casualty_rate: f64,
    /// Decay of contributors' association pressure.
    pub association_rate: f64,
    /// Decay of the sectors' revenge.
    pub revenge_rate: f64,
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

/// The scenario's rules for one replicate: the mission configuration,
/// the Epstein parameters the civilians use, and what is derived from them
/// once at setup. Read-only after setup.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The scenario's mission configuration.
    pub(crate) config: MissionConfig,
    /// Radii and rates derived once from the configuration.
    pub(crate) derived: Derived,
    /// Epstein threshold T.
    pub(crate) threshold: f64,
    /// Epstein arrest constant k.
    pub(crate) arrest_constant: f64,
    /// Arrest rounding.
    pub(crate) rounding: crate::scenario::ArrestRounding,
    /// Longest detention of an arrested active civilian.
    pub(crate) max_jail_term: u32,
}

impl Rules {
    /// Whether the mission has begun deploying by day `t`.
    pub fn mission_started(&self, t: u32) -> bool {
        t > self.config.mandate.deployment_delay_days
    }
}

/// The map: the grid with its occupants, the two views over it, and what
/// each cell belongs to. The grid changes as agents move; the rest is fixed
/// at setup.
#[derive(Debug, Clone)]
pub struct Map {
    /// The grid.
    pub(crate) grid: Grid,
    /// Civilians' view.
    pub(crate) civilian_view: Neighbourhood,
    /// Units' and fighters' view.
    pub(crate) unit_view: Neighbourhood,
    /// Sector of each interior cell (row-major).
    pub(crate) cell_sector: Vec<u16>,
    /// The crossings (padded indices), where convoys enter.
    pub(crate) crossings: Vec<CellIndex>,
    /// The convoy route from crossing `c` to sector `k`'s depot at
    /// `c · sectors + k`: the interior cells sampled along it
    /// (`humanitarian::route_cells`), empty where the sector has no depot.
    pub(crate) routes: Vec<Vec<u32>>,
}

impl Map {
    /// Sector of a padded cell index.
    #[inline]
    pub fn sector_of(&self, cell: CellIndex) -> usize {
        self.cell_sector[self.grid.interior(cell)] as usize
    }
}

/// The factions (armed groups).
#[derive(Debug, Clone)]
pub struct Factions {
    /// Each faction's running state, in the configuration's order.
    pub(crate) state: Vec<FactionState>,
    /// Fighter agents on the grid (recounted in phases 2, 9 and 12), for
    /// the external military's and the counter-terror track's targeting.
    pub(crate) fighter_ids: Vec<u32>,
}

impl Factions {
    /// Number of factions.
    #[inline]
    pub fn len(&self) -> usize {
        self.state.len()
    }

    /// Whether there are no factions.
    pub fn is_empty(&self) -> bool {
        self.state.is_empty()
    }
}

/// The mission's forces beyond their units: contributors, intelligence,
/// the QRF's sorties, and the contributors' sense of being tied to strikes.
#[derive(Debug, Clone)]
pub struct Forces {
    /// Contributors' running state.
    pub(crate) contributors: Vec<ContributorState>,
    /// Mission intelligence in [0, 1].
    pub(crate) intel: f64,
    /// QRF sorties left today.
    pub(crate) qrf_sorties: u32,
    /// Contributors' sense of being tied to the strikes (decaying).
    pub(crate) association_pressure: f64,
    /// Monitoring in effect today: the mandate's level scaled by the
    /// personnel on duty to carry it out (set in phase 3).
    pub(crate) monitoring: f64,
    /// Share of convoys escorted today: the mandate's share, limited by the
    /// armed troops on duty to escort them (set in phase 3).
    pub(crate) escort_share: f64,
    /// Contingent troops on duty today (set in phase 3).
    pub(crate) troops_on_duty: f64,
    /// Per sector, the local police's strength relative to the handover
    /// benchmark, capped at 1 (set in phase 3).
    pub(crate) partners: Vec<f64>,
}

/// The theatre's state of war beyond the factions' own (`war.rs`).
#[derive(Debug, Clone, Default)]
pub struct War {
    /// Smoothed incidents per day per million residents.
    pub(crate) violence: f64,
    /// Today's probability that at least one party at peace returned to
    /// war, from the hazards drawn today: 1 − Π(1 − hazard) over them
    /// (set in phase 17; the series `collapse_hazard`).
    pub(crate) collapse_hazard: f64,
}

/// The local police beyond their units.
#[derive(Debug, Clone)]
pub struct Police {
    /// Officers trained.
    pub(crate) officers: f64,
}

/// The external military.
#[derive(Debug, Clone)]
pub struct External {
    /// Its threat perception.
    pub(crate) threat: f64,
    /// Yesterday's attacks, which it reacts to.
    pub(crate) attacks_yesterday: u32,
}

/// Everything one replicate of the mission model needs to advance, grouped
/// by actor. Built by [`MissionState::new`] (in `setup.rs`); read from
/// outside the crate through the accessors below.
#[derive(Debug, Clone)]
pub struct MissionState {
    /// Ticks completed.
    pub(crate) tick: u32,
    /// The scenario's rules.
    pub(crate) rules: Rules,
    /// The grid and what lies on it.
    pub(crate) map: Map,
    /// Civilians and fighters.
    pub(crate) civilians: Civilians,
    /// Legitimacy of the order L(t).
    pub(crate) legitimacy: f64,
    /// The factions.
    pub(crate) factions: Factions,
    /// Security units of every kind (contingents, police, PMCs).
    pub(crate) units: Units,
    /// The mission's forces.
    pub(crate) forces: Forces,
    /// The local police.
    pub(crate) police: Police,
    /// The external military.
    pub(crate) external: External,
    /// The theatre's state of war.
    pub(crate) war: War,
    /// Sectors (people, aid, services, incidents, handover).
    pub(crate) sectors: Vec<SectorState>,
    /// Per-cell layers of today's events and what civilians perceive.
    pub(crate) layers: Layers,
    /// Civilians held after arrests.
    pub(crate) detention: Detention,
    /// Scratch of the witnesses' trust response (metrics only).
    pub(crate) witnesses: Witnesses,
    /// Today's events.
    pub(crate) today: Tally,
    /// Cumulative counters.
    pub(crate) totals: Totals,
    /// Activation order (civilians, then units with [`UNIT_BIT`]).
    pub(crate) order: Vec<u32>,
    /// Rule A's arrest probability by (units, actives) in a civilian's
    /// view, kept as worked out (NaN: not yet), for few units
    /// (`civilians::arrest_probability_kept`); the run's rules fix it.
    pub(crate) arrest_kept: Vec<f64>,
    /// Random streams, one per process.
    pub(crate) rng: Streams,
    /// Incidents per interior cell since the last map frame, counted only
    /// while frames are recorded (see `frames.rs`).
    pub(crate) incident_map: Option<Vec<u32>>,
}

/// People taken from a civilian agent into detention, released on `release`.
#[derive(Debug, Clone)]
pub struct Held {
    /// The agent they were taken from (and return to).
    pub agent: u32,
    /// People held.
    pub people: f32,
    /// Where they were taken.
    pub home: CellIndex,
    /// Day of release.
    pub release: u32,
}

/// Civilians in detention (arrests under rule C), in arrest order; the
/// fighter units detained whole are agents with status `Detained`.
#[derive(Debug, Clone, Default)]
pub struct Detention {
    /// The groups held.
    pub held: Vec<Held>,
    /// People held, the sum over `held`.
    pub people: f64,
    /// Arrests made (groups taken, bystanders included).
    pub arrests: u32,
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
    /// Parties' returns to war and new ceasefires.
    pub war: SimRng,
    /// Clashes between factions.
    pub clashes: SimRng,
}

/// Schedule entries with this bit set are units; the rest are civilians.
pub const UNIT_BIT: u32 = 1 << 31;

impl MissionState {
    /// Ticks completed.
    pub fn tick(&self) -> u32 {
        self.tick
    }

    /// Civilians killed per incident so far, binned (pattern test P04).
    pub fn incident_sizes(&self) -> &SizeHistogram {
        &self.totals.incident_sizes
    }

    /// The scenario's mission configuration.
    pub fn config(&self) -> &MissionConfig {
        &self.rules.config
    }

    /// The grid.
    pub fn grid(&self) -> &Grid {
        &self.map.grid
    }

    /// Civilians and fighters.
    pub fn civilians(&self) -> &Civilians {
        &self.civilians
    }

    /// Security units of every kind, on duty or not.
    pub fn units(&self) -> &Units {
        &self.units
    }

    /// Sectors.
    pub fn sectors(&self) -> &[SectorState] {
        &self.sectors
    }

    /// Each faction's running state.
    pub fn factions(&self) -> &[FactionState] {
        &self.factions.state
    }

    /// Legitimacy of the order L(t).
    pub fn legitimacy(&self) -> f64 {
        self.legitimacy
    }

    /// Mission intelligence in [0, 1].
    pub fn intel(&self) -> f64 {
        self.forces.intel
    }

    /// The external military's threat perception.
    pub fn threat(&self) -> f64 {
        self.external.threat
    }

    /// Today's events.
    pub fn today(&self) -> &Tally {
        &self.today
    }

    /// Cumulative counters.
    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// People arrested and held apart from their agents (rule C arrests
    /// take small groups; the agents keep their other members).
    pub fn held_in_detention(&self) -> f64 {
        self.detention.people
    }

    /// The activation list: every civilian agent and every unit on duty.
    pub(crate) fn rebuild_order(&mut self) {
        self.order.clear();
        self.order.extend(0..self.civilians.len() as u32);
        let on_duty = (0..self.units.len()).filter(|&u| self.units.on_duty[u]);
        self.order.extend(on_duty.map(|u| UNIT_BIT | u as u32));
    }

    /// Sector of a padded cell index.
    #[inline]
    pub(crate) fn sector_of(&self, cell: CellIndex) -> usize {
        self.map.sector_of(cell)
    }

    /// Whether the mission has begun deploying by day `t`.
    pub(crate) fn mission_started(&self, t: u32) -> bool {
        self.rules.mission_started(t)
    }
}
