//! The scenario as typed data: every field has a default, so a scenario file
//! names only what it changes. Defaults are the parameters of Mesa 3.5.1's
//! `EpsteinScenario` (see `docs/ODD.md` for the basis of each).
//!
//! The file format is deliberately flat (a string per choice, a scalar per
//! number, no tagged tables) so that `extends` and `--set a.b=v` can override
//! any single field. Choices deserialise straight into enums, so an unknown
//! choice is a located error, never an invalid state; ranges and consistency
//! are checked by [`crate::scenario::validate`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::params::{NAME_RULE, group};

/// Largest `run.ticks`.
pub const MAX_TICKS: u64 = 1_000_000;
/// Largest `run.replicates`.
pub const MAX_REPLICATES: u64 = 10_000_000;
/// Largest `world.width` and `world.height`.
pub const MAX_SIDE: u64 = 10_000;
/// Largest vision radius (citizens and cops).
pub const MAX_VISION: u64 = 50;
/// Largest `world.refine`.
pub const MAX_REFINE: u64 = 31;
/// Largest `cops.max_jail_term`.
pub const MAX_JAIL_TERM: u64 = 1_000_000;
/// Largest `citizens.arrest_constant`.
pub const MAX_ARREST_CONSTANT: f64 = 100.0;
/// Largest seed: TOML integers are signed 64-bit, so a larger seed could not
/// be written to `scenario.resolved.toml`.
pub const MAX_SEED: u64 = i64::MAX as u64;

group! {
    /// A whole scenario: what to simulate and for how long.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct Scenario {
        /// Short name: used for the default output folder `outputs/<name>/`.
        /// Letters, digits, `_`, `-` and `.` only.
        name: String = "scenario".to_string(), text(NAME_RULE);
        /// One or two sentences saying what the scenario represents.
        description: String = String::new(), text("a string");
        /// Path of the scenario this one extends, relative to this file.
        /// Resolved away (absent) in `scenario.resolved.toml`.
        #[serde(skip_serializing_if = "Option::is_none")]
        extends: Option<String> = None, text("a path to a scenario file, relative to this one");
        /// Horizon, replicates, seed, burn-in.
        run: RunConfig = RunConfig::default(), table;
        /// The grid: size, topology, optional map.
        world: WorldConfig = WorldConfig::default(), table;
        /// How many agents of each kind, and how they are placed.
        population: PopulationConfig = PopulationConfig::default(), table;
        /// Citizens' traits and decision rule.
        citizens: CitizenConfig = CitizenConfig::default(), table;
        /// Regime legitimacy L over time.
        legitimacy: LegitimacyConfig = LegitimacyConfig::default(), table;
        /// Cops: vision, jail terms, reductions over time.
        cops: CopConfig = CopConfig::default(), table;
        /// Rule variants (where implementations of Epstein's model differ).
        rules: RulesConfig = RulesConfig::default(), table;
        /// Definitions used by per-run outcomes.
        metrics: MetricsConfig = MetricsConfig::default(), table;
        /// The stabilization mission model. Absent: the Epstein model, byte
        /// for byte (the docking special case).
        #[serde(skip_serializing_if = "Option::is_none")]
        mission: Option<super::mission::MissionConfig> = None,
            optional_table(super::mission::MissionConfig);
    }
}

group! {
    /// Horizon and Monte Carlo settings.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct RunConfig {
        /// Number of ticks (steps) after the initial state; range 1..=1_000_000.
        ticks: u32 = 1000, integer(1, MAX_TICKS);
        /// Replicates in a batch; range 1..=10_000_000.
        replicates: u32 = 30, integer(1, MAX_REPLICATES);
        /// Master seed: replicate i's random streams derive from (seed, i) only.
        seed: u64 = 1, integer(0, MAX_SEED);
        /// Ticks 1..=burn_in are left out of per-run outcomes; range 0..ticks.
        burn_in: u32 = 100, text("an integer in 0..run.ticks");
    }
}

/// Grid topology at the edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topology {
    /// Edges wrap around (Mesa, NetLogo).
    Torus,
    /// Edges are walls: neighbourhoods are cut at the border.
    Bounded,
}

/// What a map character stands for.
///
/// Only passability matters to the current (Epstein) model; the other
/// distinctions are kept for the mission model (services, damage, aid,
/// smuggling across the border, the external military's buffer zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Terrain {
    /// Open or agricultural ground: passable.
    Open,
    /// Built-up area: passable.
    Urban,
    /// Destroyed built-up area: passable (movement costs come later).
    Rubble,
    /// Sea: impassable.
    Sea,
    /// A border line (fence, wall): impassable except at crossings.
    Border,
    /// A crossing point on the border: passable.
    Crossing,
    /// Buffer zone held by the external military: impassable to civilians
    /// and mission forces in the current model (the external military that
    /// holds it is modelled explicitly later).
    Buffer,
    /// Impassable (wall, anything else): no agent, never part of a
    /// neighbourhood.
    Blocked,
}

impl Terrain {
    /// Whether agents (citizens, cops) may stand on this terrain: open,
    /// urban, rubble and crossing cells are passable; sea, border, buffer
    /// and blocked cells are not. The buffer zone is impassable because it
    /// is held by the external military, which no actor of the current
    /// model may enter; later issues model that military explicitly.
    /// Impassable cells are walls: never occupied, never in a neighbourhood.
    pub fn is_passable(self) -> bool {
        match self {
            Terrain::Open | Terrain::Urban | Terrain::Rubble | Terrain::Crossing => true,
            Terrain::Sea | Terrain::Border | Terrain::Buffer | Terrain::Blocked => false,
        }
    }
}

group! {
    /// The grid.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct WorldConfig {
        /// Cells per row; range 1..=10_000. Ignored (taken from the map) when a map is given.
        width: u32 = 40, integer(1, MAX_SIDE);
        /// Rows; range 1..=10_000. Ignored (taken from the map) when a map is given.
        height: u32 = 40, integer(1, MAX_SIDE);
        /// `torus` or `bounded`.
        topology: Topology = Topology::Torus, choice;
        /// Resolution: every map and sector cell becomes `refine × refine`
        /// cells, `mission.cell_km` is divided by it and `citizens.vision`
        /// multiplied by it, so that the same km are meant (mission
        /// scenarios only; see `scenario::refine`). Applied when the
        /// scenario loads, so the resolved scenario holds the fine map and
        /// `refine = 1`; range 1..=31 (`citizens.vision` × refine must fit
        /// 31 cells).
        #[serde(skip_serializing_if = "is_one")]
        refine: u32 = 1, integer(1, MAX_REFINE);
        /// Optional map file, relative to the scenario file: one character per
        /// cell, every row the same length, each character in `legend`.
        #[serde(skip_serializing_if = "Option::is_none")]
        map: Option<String> = None, text("a path to a map file, relative to this scenario file");
        /// Optional inline map (the same format as a map file). The resolved
        /// scenario stores the map inline so it is self-contained. At most one
        /// of `map` and `map_inline` may be set.
        #[serde(skip_serializing_if = "Option::is_none")]
        map_inline: Option<String> = None, text("a string: rows of map characters");
        /// Map legend: one character → terrain.
        legend: BTreeMap<String, Terrain> = BTreeMap::from([
            (".".to_string(), Terrain::Open),
            ("#".to_string(), Terrain::Blocked),
        ]), legend_of(Terrain);
        /// Optional sector map file, relative to the scenario file: one
        /// character per cell, the same width and height as the terrain, each
        /// character `-` or a key of `sector_names`.
        #[serde(skip_serializing_if = "Option::is_none")]
        sectors: Option<String> = None,
            text("a path to a sector map file, relative to this scenario file");
        /// Optional inline sector map (the same format as a sector file); the
        /// resolved scenario stores the sectors inline. At most one of
        /// `sectors` and `sectors_inline` may be set.
        #[serde(skip_serializing_if = "Option::is_none")]
        sectors_inline: Option<String> = None, text("a string: rows of sector characters");
        /// Sector legend: one character → sector name. `-`, unless listed, and
        /// any character mapped to `""` mean "no sector".
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        sector_names: BTreeMap<String, String> = BTreeMap::new(),
            legend("sector names", "a string: a sector name, or \"\" for no sector");
    }
}

/// How agents are placed at tick 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Each open cell independently gets a citizen with probability
    /// `citizen_density`, else a cop with probability `cop_density`, else
    /// stays empty (Mesa): agent counts vary by replicate.
    PerCell,
    /// Exactly round(density × open cells) agents of each kind on distinct
    /// cells drawn uniformly (NetLogo).
    Exact,
}

group! {
    /// Population sizes.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct PopulationConfig {
        /// `per_cell` (Mesa) or `exact` (NetLogo).
        placement: Placement = Placement::PerCell, choice;
        /// Citizens per open cell; range 0..=1, and citizen + cop density ≤ 1.
        citizen_density: f64 = 0.7, unit;
        /// Cops per open cell; range 0..=1.
        cop_density: f64 = 0.074, unit;
    }
}

group! {
    /// A uniform distribution on `[min, max)`.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct UniformRange {
        /// Lower bound; range 0..=1.
        min: f64 = 0.0, unit;
        /// Upper bound; range 0..=1 and ≥ `min`.
        max: f64 = 1.0, unit;
    }
}

group! {
    /// Citizens (Epstein's "agents").
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct CitizenConfig {
        /// Vision radius v in cells; range 1..=50. (Mesa uses the cops' vision
        /// for citizens too; its scenarios set both to 7.)
        vision: u32 = 7, integer(1, MAX_VISION);
        /// Activation threshold T: active when G − N > T; range 0..=1.
        threshold: f64 = 0.1, unit;
        /// Arrest-probability constant k in P = 1 − exp(−k·f(C/A)); range 0..=100.
        arrest_constant: f64 = 2.3, number(0.0, MAX_ARREST_CONSTANT);
        /// Perceived hardship H, drawn once per citizen.
        hardship: UniformRange = UniformRange::default(), table;
        /// Risk aversion R, drawn once per citizen.
        risk_aversion: UniformRange = UniformRange::default(), table;
    }
}

/// The shape of legitimacy over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegitimacyShape {
    /// L = `initial` throughout.
    Constant,
    /// L = `initial` before tick `start_tick`, `target` from then on.
    Drop,
    /// L = `initial` until `start_tick`, then linear to `target` at
    /// `end_tick`, `target` afterwards.
    Linear,
}

group! {
    /// Regime legitimacy L(t), the same for every citizen.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct LegitimacyConfig {
        /// `constant`, `drop` or `linear`.
        shape: LegitimacyShape = LegitimacyShape::Constant, choice;
        /// L at tick 0; range 0..=1.
        initial: f64 = 0.8, unit;
        /// L after the drop or at the end of the decline; range 0..=1.
        target: f64 = 0.8, unit;
        /// Tick of the drop, or start of the linear change.
        start_tick: u32 = 0, integer(0, u32::MAX);
        /// End of the linear change; ≥ `start_tick` (used by `linear` only).
        end_tick: u32 = 0, text("an integer ≥ legitimacy.start_tick");
    }
}

group! {
    /// A one-off cut in the number of cops.
    #[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct CopReduction {
        /// Tick at whose start the cut happens; range 1..=ticks.
        tick: u32 = 1, text("an integer in 1..=run.ticks");
        /// Fraction of the cops present at that tick removed (chosen uniformly
        /// at random, rounded to the nearest whole cop); range 0..=1.
        fraction: f64 = 0.0, unit;
    }
}

group! {
    /// Cops.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct CopConfig {
        /// Vision radius v* in cells; range 1..=50.
        vision: u32 = 7, integer(1, MAX_VISION);
        /// Maximum jail term J_max in ticks; range 0..=1_000_000.
        max_jail_term: u32 = 1000, integer(0, MAX_JAIL_TERM);
        /// Cuts in the number of cops over time, applied in tick order.
        reductions: Vec<CopReduction> = Vec::new(),
            tables(CopReduction, "an array of tables with `tick` and `fraction`");
    }
}

/// Which cells are "within vision".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeighbourhoodShape {
    /// Manhattan diamond |dx| + |dy| ≤ v (Mesa's default; 112 cells at v = 7).
    VonNeumann,
    /// Square max(|dx|, |dy|) ≤ v (224 cells at v = 7).
    Moore,
    /// Disc dx² + dy² ≤ v² (NetLogo's `in-radius`; 148 cells at v = 7).
    Euclidean,
}

/// The integer operation applied to C/A in the arrest probability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrestRounding {
    /// P = 1 − exp(−k·C/A), as printed in Epstein (2002).
    None,
    /// P = 1 − exp(−k·floor(C/A)), as NetLogo's Rebellion.
    Floor,
    /// P = 1 − exp(−k·round(C/A)), round half to even, as Mesa (Python's `round`).
    Round,
}

/// Where a jailed citizen is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailPlacement {
    /// Stays on its cell, blocking it, and resumes there (Mesa).
    StayOnCell,
    /// Leaves the grid while jailed (Epstein 2002, NetLogo); on release it
    /// returns to its arrest cell if empty, else to a random empty cell
    /// within its vision of it, else waits a tick.
    LeaveGrid,
}

/// The range jail terms are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailTermRange {
    /// Uniform on 0..=J_max (Mesa's `randint`).
    Inclusive,
    /// Uniform on 0..J_max (NetLogo's `random`).
    Exclusive,
}

/// When a jail term counts down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JailCountdown {
    /// At the jailed citizen's own activation; it re-enters play at its
    /// first activation with a term of 0 (Mesa).
    AtActivation,
    /// For every jailed citizen at the end of each tick (NetLogo).
    EndOfTick,
}

/// Order of a free citizen's two actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitizenStepOrder {
    /// Apply rule A, then move (Mesa).
    DecideThenMove,
    /// Move, then apply rule A (NetLogo).
    MoveThenDecide,
}

group! {
    /// Rule variants: where Epstein (2002), NetLogo and Mesa differ.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct RulesConfig {
        /// `von_neumann`, `moore` or `euclidean`.
        neighbourhood: NeighbourhoodShape = NeighbourhoodShape::VonNeumann, choice;
        /// `none`, `floor` or `round`.
        arrest_rounding: ArrestRounding = ArrestRounding::Round, choice;
        /// `stay_on_cell` or `leave_grid`.
        jailed: JailPlacement = JailPlacement::StayOnCell, choice;
        /// `inclusive` (0..=J) or `exclusive` (0..J).
        jail_term: JailTermRange = JailTermRange::Inclusive, choice;
        /// `at_activation` or `end_of_tick`.
        jail_countdown: JailCountdown = JailCountdown::AtActivation, choice;
        /// `decide_then_move` or `move_then_decide`.
        citizen_step: CitizenStepOrder = CitizenStepOrder::DecideThenMove, choice;
        /// Cop moves onto the arrestee's cell after an arrest (NetLogo; needs
        /// `jailed = "leave_grid"`), instead of to a random empty cell (Mesa).
        cop_moves_to_arrestee: bool = false, flag;
        /// Agents move (rule M). Off: everyone stays where placed.
        movement: bool = true, flag;
    }
}

group! {
    /// Definitions behind per-run outcomes.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields, default)]
    pub struct MetricsConfig {
        /// An outburst starts at tick t when active(t) > threshold × citizens and
        /// active(t−1) ≤ threshold × citizens; range 0..=1.
        outburst_threshold: f64 = 0.05, unit;
    }
}

/// Whether a resolution factor is the default (1), which the resolved
/// scenario leaves out so that it reads as before the field existed.
fn is_one(k: &u32) -> bool {
    *k == 1
}
