//! One run on the page: one or two arms (mandates) of the same scenario on
//! the same seed, stepped a day at a time by the mission model itself
//! ([`MissionState::step`], the call `stabsim run` makes), and each day
//! turned into a compact frame for the stream: the day's metrics row, one
//! byte per cell (who stands there and who holds it), trust per cell as a
//! byte, the day's incidents as a sparse list, and the day's notable events
//! in one line each. The world is never copied whole.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

use crate::mission::{MissionState, Status, UnitKind};
use crate::model::metric_names;
use crate::scenario::{Scenario, SectorMap, Terrain, TerrainMap};

use super::catalog::{Catalog, LoadError};
use super::levers::override_for;

/// Longest run the page may ask for, in days (ten years).
pub const MAX_DAYS: u32 = 3650;

/// What the page asks to run.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Scenario id (see [`Catalog`]).
    pub scenario: String,
    /// Master seed (default: the scenario's `run.seed`).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Days to run (default: the scenario's `run.ticks`).
    #[serde(default)]
    pub days: Option<u32>,
    /// Lever values of the first mandate, by key.
    #[serde(default)]
    pub levers: BTreeMap<String, Json>,
    /// Lever values of a second mandate, run side by side on the same seed
    /// (applied after `levers`); `None` for one mandate.
    #[serde(default)]
    pub compare: Option<BTreeMap<String, Json>>,
}

/// Why settings could not be turned into a run: the message for the page.
#[derive(Debug)]
pub struct BadSettings(pub String);

impl From<LoadError> for BadSettings {
    fn from(e: LoadError) -> Self {
        BadSettings(e.to_string())
    }
}

impl Settings {
    /// The `--set` arguments of arm `arm` (0: first mandate, 1: second).
    pub fn overrides(&self, arm: usize) -> Result<Vec<String>, BadSettings> {
        let mut set = Vec::new();
        if let Some(seed) = self.seed {
            set.push(format!("run.seed={seed}"));
        }
        if let Some(days) = self.days {
            if !(1..=MAX_DAYS).contains(&days) {
                return Err(BadSettings(format!(
                    "days: {days} is out of range (expected 1..={MAX_DAYS})"
                )));
            }
            set.push(format!("run.ticks={days}"));
        }
        let mut levers: Vec<(&String, &Json)> = self.levers.iter().collect();
        if arm == 1 {
            levers.extend(self.compare.iter().flatten());
        }
        for (key, value) in levers {
            set.push(override_for(key, value).map_err(BadSettings)?);
        }
        Ok(set)
    }

    /// The scenario of arm `arm`, loaded and validated as the CLI does;
    /// its horizon is checked against [`MAX_DAYS`].
    pub fn scenario(&self, catalog: &Catalog, arm: usize) -> Result<Scenario, BadSettings> {
        let sc = catalog.load(&self.scenario, &self.overrides(arm)?)?;
        if sc.mission.is_none() {
            return Err(BadSettings(format!(
                "scenario: {:?} has no [mission] table (expected a mission scenario)",
                self.scenario
            )));
        }
        if sc.run.ticks > MAX_DAYS {
            return Err(BadSettings(format!(
                "days: the scenario runs {} days (expected at most {MAX_DAYS} here; set days)",
                sc.run.ticks
            )));
        }
        Ok(sc)
    }

    /// The number of arms: 2 when a second mandate is given.
    pub fn arms(&self) -> usize {
        if self.compare.is_some() { 2 } else { 1 }
    }
}

/// Occupant codes of the cell byte (bits 0–2): who stands on the cell.
pub mod occupant {
    /// Nobody.
    pub const EMPTY: u8 = 0;
    /// Civilians, quiet.
    pub const CIVILIAN: u8 = 1;
    /// Civilians in open revolt (active).
    pub const ACTIVE: u8 = 2;
    /// Fighters.
    pub const FIGHTER: u8 = 3;
    /// A contingent of the mission.
    pub const CONTINGENT: u8 = 4;
    /// Local police.
    pub const POLICE: u8 = 5;
    /// A private military company.
    pub const PMC: u8 = 6;
}

/// Control code of the cell byte (bits 3–5) where nobody can stand.
pub const NO_CONTROL: u8 = 7;

/// Trust byte of a cell with nobody in it.
pub const NO_TRUST: u8 = 255;

/// One arm: a mandate's scenario and its replicate's state.
struct Arm {
    scenario: Scenario,
    state: MissionState,
    /// Yesterday's metrics row (for the day's events).
    previous: Vec<f64>,
    /// Today's metrics row.
    row: Vec<f64>,
}

impl Arm {
    fn new(scenario: Scenario, terrain: &TerrainMap, sectors: Option<&SectorMap>) -> Self {
        // Replicate 0 of the scenario's seed: what `stabsim run -n 1` runs.
        let mut state = MissionState::new(&scenario, terrain, sectors, 0);
        state.record_frames();
        let mut row = Vec::new();
        state.metrics_into(&mut row);
        Self {
            scenario,
            state,
            previous: row.clone(),
            row,
        }
    }
}

/// The per-day frame of one arm.
#[derive(Debug, Clone, Serialize)]
pub struct ArmFrame {
    /// The day's metrics, in the order of the run's `names` (null where
    /// not a number).
    pub row: Vec<Option<f64>>,
    /// One byte per cell (base64): occupant in bits 0–2, control in 3–5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cells: Option<String>,
    /// Mean trust per cell as a byte 0–254 (base64); 255 where nobody lives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<String>,
    /// The day's incidents: (cell index, count) pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incidents: Option<Vec<(u32, u32)>>,
    /// The day's notable events, one line each.
    pub events: Vec<String>,
}

/// One day of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// The day (0: the ceasefire, before any step).
    pub day: u32,
    /// One frame per arm.
    pub arms: Vec<ArmFrame>,
}

/// What the page draws once: the map's fixed layers and the run's shape.
#[derive(Debug, Clone, Serialize)]
pub struct Static {
    /// Metric names, in row order.
    pub names: Vec<String>,
    /// Days of the run.
    pub days: u32,
    /// The seed.
    pub seed: u64,
    /// Grid width in cells.
    pub width: usize,
    /// Grid height in cells.
    pub height: usize,
    /// Terrain code per cell (base64): the order of [`TERRAIN_NAMES`].
    pub terrain: String,
    /// Names of the terrain codes.
    pub terrain_names: Vec<&'static str>,
    /// Sector per cell (base64), 255 outside every sector.
    pub sectors: String,
    /// Sector names.
    pub sector_names: Vec<String>,
    /// Names of the arms' scenarios.
    pub arm_names: Vec<String>,
}

/// Terrain codes of [`Static::terrain`].
pub const TERRAIN_NAMES: [&str; 8] = [
    "open", "urban", "rubble", "sea", "border", "crossing", "buffer", "blocked",
];

fn terrain_code(t: Terrain) -> u8 {
    match t {
        Terrain::Open => 0,
        Terrain::Urban => 1,
        Terrain::Rubble => 2,
        Terrain::Sea => 3,
        Terrain::Border => 4,
        Terrain::Crossing => 5,
        Terrain::Buffer => 6,
        Terrain::Blocked => 7,
    }
}

/// A run: its settings, arms and pace.
pub struct Run {
    /// What it was started with (reset rebuilds from these).
    pub settings: Settings,
    terrain: TerrainMap,
    sectors: Option<SectorMap>,
    arms: Vec<Arm>,
    /// Metric names.
    names: Vec<String>,
    /// Whether it advances on its own (at `speed` days per second).
    pub playing: bool,
    /// Days per second while playing; 0 means as fast as it can.
    pub speed: f64,
    /// Single days asked for (the step button), taken by the stream.
    pub pending: u32,
    /// Set by a reset or a seek, taken by the stream: the day gone back to
    /// is sent before any later day, even when a play arrives first, so
    /// that the page always sees where the run went back to.
    rewound: bool,
}

impl Run {
    /// Builds a run at day 0 from validated settings.
    pub fn new(settings: Settings, catalog: &Catalog) -> Result<Self, BadSettings> {
        let mut scenarios = Vec::new();
        for arm in 0..settings.arms() {
            scenarios.push(settings.scenario(catalog, arm)?);
        }
        let first = &scenarios[0];
        // One world per arm, stepped on this thread.
        crate::output::check_batch_memory(first, scenarios.len(), false).map_err(BadSettings)?;
        let bad_map = |e: crate::scenario::MapError| BadSettings(format!("{}: {e}", first.name));
        let terrain = first.world.terrain().map_err(bad_map)?;
        let sectors = first.world.sectors().map_err(bad_map)?;
        if scenarios.iter().any(|s| s.world != first.world) {
            return Err(BadSettings(
                "compare: the second mandate changes the world (expected lever changes only)"
                    .into(),
            ));
        }
        let names = metric_names(first).to_vec();
        let arms = scenarios
            .into_iter()
            .map(|sc| Arm::new(sc, &terrain, sectors.as_ref()))
            .collect();
        Ok(Self {
            settings,
            terrain,
            sectors,
            arms,
            names,
            playing: false,
            speed: 10.0,
            pending: 0,
            rewound: false,
        })
    }

    /// The day reached.
    pub fn day(&self) -> u32 {
        self.arms[0].state.tick()
    }

    /// The run's last day.
    pub fn days(&self) -> u32 {
        self.arms[0].scenario.run.ticks
    }

    /// Whether the last day is reached.
    pub fn finished(&self) -> bool {
        self.day() >= self.days()
    }

    /// The arms' scenarios (first mandate first).
    pub fn scenarios(&self) -> Vec<&Scenario> {
        self.arms.iter().map(|a| &a.scenario).collect()
    }

    /// Back to day 0 with the same settings (and seed), paused.
    pub fn reset(&mut self) {
        for arm in &mut self.arms {
            let sc = arm.scenario.clone();
            *arm = Arm::new(sc, &self.terrain, self.sectors.as_ref());
        }
        self.playing = false;
        self.pending = 0;
        self.rewound = true;
    }

    /// Whether the run went back (reset or seek) since the last call.
    pub fn take_rewound(&mut self) -> bool {
        std::mem::take(&mut self.rewound)
    }

    /// Takes the run to day `day`, paused: forward by stepping, back by
    /// re-running it from day 0 on the same seed and settings (the model is
    /// deterministic, so every day on the way is the day first shown; no
    /// copy of the world is kept per day). A Gaza year re-runs in about a
    /// third of a second per mandate. The next frame with the map counts
    /// only day `day`'s incidents.
    pub fn seek(&mut self, day: u32) -> Result<(), BadSettings> {
        if day > self.days() {
            return Err(BadSettings(format!(
                "seek: field day: {day} is out of range (expected 0..={}, the run's days)",
                self.days()
            )));
        }
        if day < self.day() {
            self.reset();
        }
        while self.day() + 1 < day {
            self.advance(false);
        }
        if self.day() < day {
            // Incidents counted on the way are not the day's.
            for arm in &mut self.arms {
                arm.state.take_frame();
            }
            self.advance(false);
        }
        self.playing = false;
        self.pending = 0;
        self.rewound = true;
        Ok(())
    }

    /// The map's fixed layers and the run's shape.
    pub fn static_layers(&self) -> Static {
        let t = &self.terrain;
        let terrain: Vec<u8> = t.cells.iter().map(|&c| terrain_code(c)).collect();
        let (sectors, sector_names) = match &self.sectors {
            Some(s) => (
                s.cells
                    .iter()
                    .map(|c| c.map_or(255, |v| v.min(254) as u8))
                    .collect(),
                s.names.clone(),
            ),
            None => (vec![255u8; terrain.len()], Vec::new()),
        };
        Static {
            names: self.names.clone(),
            days: self.days(),
            seed: self.arms[0].scenario.run.seed,
            width: t.width as usize,
            height: t.height as usize,
            terrain: B64.encode(&terrain),
            terrain_names: TERRAIN_NAMES.to_vec(),
            sectors: B64.encode(&sectors),
            sector_names,
            arm_names: self.arms.iter().map(|a| a.scenario.name.clone()).collect(),
        }
    }

    /// Advances every arm one day (nothing past the last day) and returns
    /// the day's frame, with the map layers if `map`.
    pub fn advance(&mut self, map: bool) -> Option<Frame> {
        if self.finished() {
            return None;
        }
        for arm in &mut self.arms {
            arm.state.step();
            std::mem::swap(&mut arm.previous, &mut arm.row);
            arm.state.metrics_into(&mut arm.row);
        }
        Some(self.frame(map))
    }

    /// Today's frame (the map layers only if `map`; incidents are those
    /// since the last frame with the map).
    pub fn frame(&mut self, map: bool) -> Frame {
        let day = self.day();
        let names = &self.names;
        let arms = self
            .arms
            .iter_mut()
            .map(|arm| {
                let events = if day == 0 {
                    Vec::new()
                } else {
                    events(names, &arm.previous, &arm.row, &arm.state)
                };
                let row = arm
                    .row
                    .iter()
                    .map(|&v| v.is_finite().then_some(v))
                    .collect();
                if !map {
                    return ArmFrame {
                        row,
                        cells: None,
                        trust: None,
                        incidents: None,
                        events,
                    };
                }
                let (cells, trust, incidents) = map_layers(&mut arm.state);
                ArmFrame {
                    row,
                    cells: Some(B64.encode(cells)),
                    trust: Some(B64.encode(trust)),
                    incidents: Some(incidents),
                    events,
                }
            })
            .collect();
        Frame { day, arms }
    }
}

/// The map layers of today: cell bytes, trust bytes and incidents.
fn map_layers(state: &mut MissionState) -> (Vec<u8>, Vec<u8>, Vec<(u32, u32)>) {
    let frame = state.take_frame();
    let grid = state.grid();
    let mut cells: Vec<u8> = frame
        .control
        .iter()
        .map(|c| c.map_or(NO_CONTROL, |c| c.code()) << 3)
        .collect();
    let mut put = |cell: crate::world::CellIndex, code: u8| {
        let i = grid.interior(cell);
        if let Some(b) = cells.get_mut(i) {
            // Units over fighters over active over quiet civilians.
            if code > *b & 7 {
                *b = (*b & !7) | code;
            }
        }
    };
    let c = state.civilians();
    for i in 0..c.len() {
        let code = match c.status[i] {
            Status::Quiescent | Status::Harmed => occupant::CIVILIAN,
            Status::Active => occupant::ACTIVE,
            Status::Recruited => occupant::FIGHTER,
            Status::Detained | Status::Displaced | Status::Dead => continue,
        };
        put(c.cell[i], code);
    }
    let u = state.units();
    for k in 0..u.len() {
        if !u.on_duty[k] {
            continue;
        }
        let code = match u.kind[k] {
            UnitKind::Contingent => occupant::CONTINGENT,
            UnitKind::Police => occupant::POLICE,
            UnitKind::Pmc => occupant::PMC,
        };
        put(u.cell[k], code);
    }
    let trust = frame
        .trust
        .iter()
        .map(|&t| {
            if t.is_nan() {
                NO_TRUST
            } else {
                (t.clamp(0.0, 1.0) * 254.0).round() as u8
            }
        })
        .collect();
    let incidents = frame
        .incidents
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(i, &n)| (i as u32, n))
        .collect();
    (cells, trust, incidents)
}

/// The value of metric `name` in `row` (0 if absent).
fn value(names: &[String], row: &[f64], name: &str) -> f64 {
    names
        .iter()
        .position(|n| n == name)
        .and_then(|i| row.get(i).copied())
        .filter(|v| v.is_finite())
        .unwrap_or(0.0)
}

/// "1 civilian" / "3 civilians".
fn people(n: f64, one: &str, many: &str) -> String {
    let n = n.round();
    if n == 1.0 {
        format!("1 {one}")
    } else {
        format!("{n:.0} {many}")
    }
}

/// The day's notable events in one line each, from the day's metrics
/// (against yesterday's) and the sectors' handover days: strikes and their
/// victims, attacks on the mission, contributors withdrawing, sectors
/// handed over, the ceasefire breaking down.
pub fn events(
    names: &[String],
    before: &[f64],
    today: &[f64],
    state: &MissionState,
) -> Vec<String> {
    let v = |name: &str| value(names, today, name);
    let was = |name: &str| value(names, before, name);
    let day = state.tick();
    let mut out = Vec::new();
    let strikes = v("strikes");
    if strikes > 0.0 {
        let killed = v("civilian_deaths_external");
        let toll = if killed.round() > 0.0 {
            format!("killed {}", people(killed, "civilian", "civilians"))
        } else {
            "killed no civilian".to_string()
        };
        out.push(format!(
            "Day {day}: {} by the external military {toll}.",
            people(strikes, "strike", "strikes"),
        ));
    }
    let attacks = v("attacks_on_mission");
    if attacks > 0.0 {
        let deaths = v("mission_deaths");
        let toll = if deaths > 0.0 {
            format!("; {} killed", people(deaths, "peacekeeper", "peacekeepers"))
        } else {
            String::new()
        };
        out.push(format!(
            "Day {day}: armed groups attacked mission contingents {}{toll}.",
            people(attacks, "time", "times")
        ));
    }
    if v("contributors_withdrawn") > was("contributors_withdrawn") {
        let gone: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                n.starts_with("troops:")
                    && before.get(*i).is_some_and(|&b| b > 0.0)
                    && today.get(*i).is_some_and(|&t| t == 0.0)
            })
            .map(|(_, n)| n["troops:".len()..].to_string())
            .collect();
        let who = if gone.is_empty() {
            "a troop contributor".to_string()
        } else {
            gone.join(", ")
        };
        out.push(format!("Day {day}: {who} withdrew its troops."));
    }
    for sector in state.sectors() {
        if sector.handed_over == Some(day) {
            out.push(format!(
                "Day {day}: sector {} was handed over to the local police.",
                sector.name
            ));
        }
    }
    if v("ceasefire_broken") > 0.0 && was("ceasefire_broken") == 0.0 {
        out.push(format!(
            "Day {day}: the ceasefire broke down: an armed group is back at war."
        ));
    }
    out
}
