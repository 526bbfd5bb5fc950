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

/// A whole scenario: what to simulate and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Scenario {
    /// Short name: used for the default output folder `outputs/<name>/`.
    /// Letters, digits, `_`, `-` and `.` only.
    pub name: String,
    /// One or two sentences saying what the scenario represents.
    pub description: String,
    /// Path of the scenario this one extends, relative to this file.
    /// Resolved away (absent) in `scenario.resolved.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Horizon, replicates, seed, burn-in.
    pub run: RunConfig,
    /// The grid: size, topology, optional map.
    pub world: WorldConfig,
    /// How many agents of each kind, and how they are placed.
    pub population: PopulationConfig,
    /// Citizens' traits and decision rule.
    pub citizens: CitizenConfig,
    /// Regime legitimacy L over time.
    pub legitimacy: LegitimacyConfig,
    /// Cops: vision, jail terms, reductions over time.
    pub cops: CopConfig,
    /// Rule variants (where implementations of Epstein's model differ).
    pub rules: RulesConfig,
    /// Definitions used by per-run outcomes.
    pub metrics: MetricsConfig,
    /// The stabilization mission model. Absent: the Epstein model, byte
    /// for byte (the docking special case).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mission: Option<super::mission::MissionConfig>,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            name: "scenario".to_string(),
            description: String::new(),
            extends: None,
            run: RunConfig::default(),
            world: WorldConfig::default(),
            population: PopulationConfig::default(),
            citizens: CitizenConfig::default(),
            legitimacy: LegitimacyConfig::default(),
            cops: CopConfig::default(),
            rules: RulesConfig::default(),
            metrics: MetricsConfig::default(),
            mission: None,
        }
    }
}

/// Horizon and Monte Carlo settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RunConfig {
    /// Number of ticks (steps) after the initial state; range 1..=1_000_000.
    pub ticks: u32,
    /// Replicates in a batch; range 1..=10_000_000.
    pub replicates: u32,
    /// Master seed: replicate i's random streams derive from (seed, i) only.
    pub seed: u64,
    /// Ticks 1..=burn_in are left out of per-run outcomes; range 0..ticks.
    pub burn_in: u32,
}

impl Default for RunConfig {
    fn default() -> Self {
        Self {
            ticks: 1000,
            replicates: 30,
            seed: 1,
            burn_in: 100,
        }
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

/// The grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WorldConfig {
    /// Cells per row; range 1..=10_000. Ignored (taken from the map) when a map is given.
    pub width: u32,
    /// Rows; range 1..=10_000. Ignored (taken from the map) when a map is given.
    pub height: u32,
    /// `torus` or `bounded`.
    pub topology: Topology,
    /// Optional map file, relative to the scenario file: one character per
    /// cell, every row the same length, each character in `legend`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<String>,
    /// Optional inline map (the same format as a map file). The resolved
    /// scenario stores the map inline so it is self-contained. At most one
    /// of `map` and `map_inline` may be set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map_inline: Option<String>,
    /// Map legend: one character → terrain.
    pub legend: BTreeMap<String, Terrain>,
    /// Optional sector map file, relative to the scenario file: one
    /// character per cell, the same width and height as the terrain, each
    /// character `-` or a key of `sector_names`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sectors: Option<String>,
    /// Optional inline sector map (the same format as a sector file); the
    /// resolved scenario stores the sectors inline. At most one of
    /// `sectors` and `sectors_inline` may be set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sectors_inline: Option<String>,
    /// Sector legend: one character → sector name. `-`, unless listed, and
    /// any character mapped to `""` mean "no sector".
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sector_names: BTreeMap<String, String>,
}

impl Default for WorldConfig {
    fn default() -> Self {
        let legend = BTreeMap::from([
            (".".to_string(), Terrain::Open),
            ("#".to_string(), Terrain::Blocked),
        ]);
        Self {
            width: 40,
            height: 40,
            topology: Topology::Torus,
            map: None,
            map_inline: None,
            legend,
            sectors: None,
            sectors_inline: None,
            sector_names: BTreeMap::new(),
        }
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

/// Population sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationConfig {
    /// `per_cell` (Mesa) or `exact` (NetLogo).
    pub placement: Placement,
    /// Citizens per open cell; range 0..=1, and citizen + cop density ≤ 1.
    pub citizen_density: f64,
    /// Cops per open cell; range 0..=1.
    pub cop_density: f64,
}

impl Default for PopulationConfig {
    fn default() -> Self {
        Self {
            placement: Placement::PerCell,
            citizen_density: 0.7,
            cop_density: 0.074,
        }
    }
}

/// A uniform distribution on `[min, max)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UniformRange {
    /// Lower bound; range 0..=1.
    pub min: f64,
    /// Upper bound; range 0..=1 and ≥ `min`.
    pub max: f64,
}

impl Default for UniformRange {
    fn default() -> Self {
        Self { min: 0.0, max: 1.0 }
    }
}

/// Citizens (Epstein's "agents").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CitizenConfig {
    /// Vision radius v in cells; range 1..=50. (Mesa uses the cops' vision
    /// for citizens too; its scenarios set both to 7.)
    pub vision: u32,
    /// Activation threshold T: active when G − N > T; range 0..=1.
    pub threshold: f64,
    /// Arrest-probability constant k in P = 1 − exp(−k·f(C/A)); range 0..=100.
    pub arrest_constant: f64,
    /// Perceived hardship H, drawn once per citizen.
    pub hardship: UniformRange,
    /// Risk aversion R, drawn once per citizen.
    pub risk_aversion: UniformRange,
}

impl Default for CitizenConfig {
    fn default() -> Self {
        Self {
            vision: 7,
            threshold: 0.1,
            arrest_constant: 2.3,
            hardship: UniformRange::default(),
            risk_aversion: UniformRange::default(),
        }
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

/// Regime legitimacy L(t), the same for every citizen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LegitimacyConfig {
    /// `constant`, `drop` or `linear`.
    pub shape: LegitimacyShape,
    /// L at tick 0; range 0..=1.
    pub initial: f64,
    /// L after the drop or at the end of the decline; range 0..=1.
    pub target: f64,
    /// Tick of the drop, or start of the linear change.
    pub start_tick: u32,
    /// End of the linear change; ≥ `start_tick` (used by `linear` only).
    pub end_tick: u32,
}

impl Default for LegitimacyConfig {
    fn default() -> Self {
        Self {
            shape: LegitimacyShape::Constant,
            initial: 0.8,
            target: 0.8,
            start_tick: 0,
            end_tick: 0,
        }
    }
}

/// A one-off cut in the number of cops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CopReduction {
    /// Tick at whose start the cut happens; range 1..=ticks.
    pub tick: u32,
    /// Fraction of the cops present at that tick removed (chosen uniformly
    /// at random, rounded to the nearest whole cop); range 0..=1.
    pub fraction: f64,
}

impl Default for CopReduction {
    fn default() -> Self {
        Self {
            tick: 1,
            fraction: 0.0,
        }
    }
}

/// Cops.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CopConfig {
    /// Vision radius v* in cells; range 1..=50.
    pub vision: u32,
    /// Maximum jail term J_max in ticks; range 0..=1_000_000.
    pub max_jail_term: u32,
    /// Cuts in the number of cops over time, applied in tick order.
    pub reductions: Vec<CopReduction>,
}

impl Default for CopConfig {
    fn default() -> Self {
        Self {
            vision: 7,
            max_jail_term: 1000,
            reductions: Vec::new(),
        }
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

/// Rule variants: where Epstein (2002), NetLogo and Mesa differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesConfig {
    /// `von_neumann`, `moore` or `euclidean`.
    pub neighbourhood: NeighbourhoodShape,
    /// `none`, `floor` or `round`.
    pub arrest_rounding: ArrestRounding,
    /// `stay_on_cell` or `leave_grid`.
    pub jailed: JailPlacement,
    /// `inclusive` (0..=J) or `exclusive` (0..J).
    pub jail_term: JailTermRange,
    /// `at_activation` or `end_of_tick`.
    pub jail_countdown: JailCountdown,
    /// `decide_then_move` or `move_then_decide`.
    pub citizen_step: CitizenStepOrder,
    /// Cop moves onto the arrestee's cell after an arrest (NetLogo; needs
    /// `jailed = "leave_grid"`), instead of to a random empty cell (Mesa).
    pub cop_moves_to_arrestee: bool,
    /// Agents move (rule M). Off: everyone stays where placed.
    pub movement: bool,
}

impl Default for RulesConfig {
    fn default() -> Self {
        Self {
            neighbourhood: NeighbourhoodShape::VonNeumann,
            arrest_rounding: ArrestRounding::Round,
            jailed: JailPlacement::StayOnCell,
            jail_term: JailTermRange::Inclusive,
            jail_countdown: JailCountdown::AtActivation,
            citizen_step: CitizenStepOrder::DecideThenMove,
            cop_moves_to_arrestee: false,
            movement: true,
        }
    }
}

/// Definitions behind per-run outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// An outburst starts at tick t when active(t) > threshold × citizens and
    /// active(t−1) ≤ threshold × citizens; range 0..=1.
    pub outburst_threshold: f64,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            outburst_threshold: 0.05,
        }
    }
}
