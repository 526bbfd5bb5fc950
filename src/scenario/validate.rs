//! Range and consistency checks.
//!
//! [`violations`] lists everything wrong with a typed [`Scenario`], each
//! problem blamed on a field and ending with `(expected …)`. It knows
//! nothing of files: the loader turns the first violation into a located
//! [`ScenarioError`] using where each field was written. [`expected`] states
//! what a field accepts, so type errors and range errors say the same thing.

use serde::de::DeserializeOwned;

use super::MAX_MISSION_RADIUS;

use super::error::{FieldPath, Location, PathSegment, ScenarioError};
use super::mission::{MissionConfig, PoliceParams};
use super::params::{Accepts, Group, NAME_RULE, Params, Range, Value, no_such_variant};
use super::types::{
    JailPlacement, LegitimacyShape, MAX_SIDE, MAX_TICKS, Scenario, Topology, UniformRange,
    WorldConfig,
};

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field blamed by default.
    pub field: FieldPath,
    /// What is wrong, ending with `(expected …)`.
    pub message: String,
    /// The problem is the key itself (a legend key), not its value.
    pub at_key: bool,
    /// Other fields that break the same rule, each with the message to give
    /// when it is blamed instead. The loader blames whichever field was
    /// written last (a `--set` over a file, a child over its base), since
    /// that is the value that made the combination wrong.
    pub alternatives: Vec<(FieldPath, String)>,
}

impl Violation {
    pub(crate) fn new(field: FieldPath, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
            at_key: false,
            alternatives: Vec::new(),
        }
    }

    fn or_blame(mut self, field: FieldPath, message: impl Into<String>) -> Self {
        self.alternatives.push((field, message.into()));
        self
    }
}

/// Checks `scenario`; `Err` carries the first violation, located at `file`
/// without line or column (use [`crate::scenario::load()`] for located errors).
pub fn validate(scenario: &Scenario, file: &str) -> Result<(), ScenarioError> {
    match violations(scenario).into_iter().next() {
        None => Ok(()),
        Some(v) => Err(ScenarioError::field(
            Location::file(file),
            &v.field,
            &v.message,
        )),
    }
}

/// Every range and consistency problem in `scenario`, roughly in the order
/// of the fields in the file.
pub fn violations(scenario: &Scenario) -> Vec<Violation> {
    let mut out = Vec::new();
    check_name(&scenario.name, &mut out);
    check_run(scenario, &mut out);
    check_world(&scenario.world, &mut out);
    check_population(scenario, &mut out);
    check_citizens(scenario, &mut out);
    check_legitimacy(scenario, &mut out);
    check_cops(scenario, &mut out);
    check_rules(scenario, &mut out);
    check_ranges(&scenario.metrics, &FieldPath::keys(&["metrics"]), &mut out);
    check_torus_vision(scenario, &mut out);
    if let Some(mission) = &scenario.mission {
        check_mission(scenario, mission, &mut out);
    }
    out
}

fn check_name(name: &str, out: &mut Vec<Violation>) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let length = name.chars().count();
    let problem = if name.is_empty() {
        Some("\"\" is empty".to_string())
    } else if length > MAX_NAME_CHARS {
        // Checked here, not when the folder is made: `check` accepted a
        // 256-character name that `run` then could not write.
        out.push(Violation::new(
            FieldPath::keys(&["name"]),
            format!(
                "a name of {length} characters (expected at most {MAX_NAME_CHARS}: names become \
                 output folder and file names)"
            ),
        ));
        return;
    } else if name.starts_with('.') {
        // "." and ".." would make outputs/<name>/ escape outputs/.
        Some(format!("{name:?} starts with '.'"))
    } else {
        name.chars()
            .find(|&c| !allowed(c))
            .map(|c| format!("{name:?} contains {c:?}"))
    };
    if let Some(problem) = problem {
        out.push(Violation::new(
            FieldPath::keys(&["name"]),
            format!("{problem} (expected {NAME_RULE})"),
        ));
    }
}

fn check_run(scenario: &Scenario, out: &mut Vec<Violation>) {
    let run = &scenario.run;
    let ticks = FieldPath::keys(&["run", "ticks"]);
    let burn_in = FieldPath::keys(&["run", "burn_in"]);
    check_ranges(run, &FieldPath::keys(&["run"]), out);
    if run.burn_in >= run.ticks {
        out.push(
            Violation::new(
                burn_in,
                format!(
                    "{} is not less than run.ticks = {} (expected an integer in 0..{})",
                    run.burn_in, run.ticks, run.ticks
                ),
            )
            .or_blame(
                ticks,
                format!(
                    "{} is not greater than run.burn_in = {} (expected an integer in {}..={})",
                    run.ticks,
                    run.burn_in,
                    u64::from(run.burn_in) + 1,
                    group(MAX_TICKS)
                ),
            ),
        );
    }
}

fn check_world(world: &WorldConfig, out: &mut Vec<Violation>) {
    check_ranges(world, &FieldPath::keys(&["world"]), out);
    out.extend(map_exclusivity_violation(world));
    out.extend(sectors_exclusivity_violation(world));
    let legend_problems = legend_violations(world);
    if legend_problems.is_empty() {
        check_inline_map(world, out);
        check_inline_sectors(world, out);
    }
    out.extend(legend_problems);
}

/// Inline sectors must parse and have the size of the world.
fn check_inline_sectors(world: &WorldConfig, out: &mut Vec<Violation>) {
    let Some(text) = &world.sectors_inline else {
        return;
    };
    let inline = FieldPath::keys(&["world", "sectors_inline"]);
    let checked = super::SectorMap::parse(text, &world.sector_names)
        .and_then(|sectors| sectors.check_size(world.width, world.height));
    if let Err(e) = checked {
        out.push(Violation::new(
            inline,
            format!("line {}, column {}: {}", e.line, e.col, e.message),
        ));
    }
}

/// An inline map must parse, have a passable cell, and match the stated size
/// (the loader sets the size from the map; a scenario built in code might
/// not).
fn check_inline_map(world: &WorldConfig, out: &mut Vec<Violation>) {
    let Some(text) = &world.map_inline else {
        return;
    };
    let inline = FieldPath::keys(&["world", "map_inline"]);
    let map = match super::TerrainMap::parse(text, &world.legend) {
        Ok(map) => map,
        Err(e) => {
            out.push(Violation::new(
                inline,
                format!("line {}, column {}: {}", e.line, e.col, e.message),
            ));
            return;
        }
    };
    if map.passable_cells() == 0 {
        out.push(no_passable_cell(inline));
    }
    let sides = [
        ("width", world.width, map.width, "wide"),
        ("height", world.height, map.height, "high"),
    ];
    for (key, stated, from_map, adjective) in sides {
        if stated != from_map {
            out.push(Violation::new(
                FieldPath::keys(&["world", key]),
                format!(
                    "{stated} does not match world.map_inline, which is {from_map} cells {adjective} (expected {from_map})"
                ),
            ));
        }
    }
}

/// The violation for a map whose every cell is impassable.
pub fn no_passable_cell(field: FieldPath) -> Violation {
    Violation::new(
        field,
        "the map has no passable cell (expected at least one cell whose legend entry is \"open\", \"urban\", \"rubble\" or \"crossing\")",
    )
}

/// `world.map` and `world.map_inline` both set.
pub fn map_exclusivity_violation(world: &WorldConfig) -> Option<Violation> {
    if world.map.is_some() && world.map_inline.is_some() {
        let message = "both world.map and world.map_inline are set (expected at most one of them)";
        Some(
            Violation::new(FieldPath::keys(&["world", "map_inline"]), message)
                .or_blame(FieldPath::keys(&["world", "map"]), message),
        )
    } else {
        None
    }
}

/// `world.sectors` and `world.sectors_inline` both set.
pub fn sectors_exclusivity_violation(world: &WorldConfig) -> Option<Violation> {
    if world.sectors.is_some() && world.sectors_inline.is_some() {
        let message =
            "both world.sectors and world.sectors_inline are set (expected at most one of them)";
        Some(
            Violation::new(FieldPath::keys(&["world", "sectors_inline"]), message)
                .or_blame(FieldPath::keys(&["world", "sectors"]), message),
        )
    } else {
        None
    }
}

/// Keys of `world.legend` and `world.sector_names` that are not exactly
/// one character, blamed on the key.
pub fn legend_violations(world: &WorldConfig) -> Vec<Violation> {
    let terrain = world.legend.keys().map(|key| ("legend", key));
    let sectors = world.sector_names.keys().map(|key| ("sector_names", key));
    terrain
        .chain(sectors)
        .filter(|(_, key)| key.chars().count() != 1)
        .map(|(table, key)| Violation {
            at_key: true,
            ..Violation::new(
                FieldPath::keys(&["world", table, key]),
                format!(
                    "legend key {key:?} is {} characters long (expected exactly one character)",
                    key.chars().count()
                ),
            )
        })
        .collect()
}

fn check_population(scenario: &Scenario, out: &mut Vec<Violation>) {
    let population = &scenario.population;
    let citizens = FieldPath::keys(&["population", "citizen_density"]);
    let cops = FieldPath::keys(&["population", "cop_density"]);
    let before = out.len();
    check_ranges(population, &FieldPath::keys(&["population"]), out);
    // Rounded so that 0.8 + 0.3 reads 1.1, not 1.1000000000000001.
    let sum = ((population.citizen_density + population.cop_density) * 1e12).round() / 1e12;
    if out.len() == before && sum > 1.0 {
        let rule = "(expected citizen_density + cop_density ≤ 1)";
        out.push(
            Violation::new(
                citizens,
                format!(
                    "{} plus population.cop_density = {} is {} {rule}",
                    number(population.citizen_density),
                    number(population.cop_density),
                    number(sum)
                ),
            )
            .or_blame(
                cops,
                format!(
                    "{} plus population.citizen_density = {} is {} {rule}",
                    number(population.cop_density),
                    number(population.citizen_density),
                    number(sum)
                ),
            ),
        );
    }
}

fn check_citizens(scenario: &Scenario, out: &mut Vec<Violation>) {
    let citizens = &scenario.citizens;
    // Sub-tables are not listed: each is checked below, with its rule.
    check_ranges(citizens, &FieldPath::keys(&["citizens"]), out);
    check_uniform(
        FieldPath::keys(&["citizens", "hardship"]),
        citizens.hardship,
        out,
    );
    check_uniform(
        FieldPath::keys(&["citizens", "risk_aversion"]),
        citizens.risk_aversion,
        out,
    );
}

fn check_uniform(path: FieldPath, range: UniformRange, out: &mut Vec<Violation>) {
    let min = path.key("min");
    let max = path.key("max");
    let before = out.len();
    check_ranges(&range, &path, out);
    if out.len() == before && range.min > range.max {
        let (least, _) = number_range::<UniformRange>("min");
        let (_, most) = number_range::<UniformRange>("max");
        out.push(
            Violation::new(
                max,
                format!(
                    "{} is less than {path}.min = {} (expected {})",
                    number(range.max),
                    number(range.min),
                    numbers(range.min, most)
                ),
            )
            .or_blame(
                min,
                format!(
                    "{} is greater than {path}.max = {} (expected {})",
                    number(range.min),
                    number(range.max),
                    numbers(least, range.max)
                ),
            ),
        );
    }
}

fn check_legitimacy(scenario: &Scenario, out: &mut Vec<Violation>) {
    let legitimacy = &scenario.legitimacy;
    check_ranges(legitimacy, &FieldPath::keys(&["legitimacy"]), out);
    // `end_tick` only means something for a linear change; `drop` users set
    // `start_tick` alone and must not be forced to set `end_tick` too.
    if legitimacy.shape == LegitimacyShape::Linear && legitimacy.end_tick < legitimacy.start_tick {
        out.push(
            Violation::new(
                FieldPath::keys(&["legitimacy", "end_tick"]),
                format!(
                    "{} is less than legitimacy.start_tick = {} (expected an integer ≥ {})",
                    legitimacy.end_tick, legitimacy.start_tick, legitimacy.start_tick
                ),
            )
            .or_blame(
                FieldPath::keys(&["legitimacy", "start_tick"]),
                format!(
                    "{} is greater than legitimacy.end_tick = {} (expected an integer ≤ {})",
                    legitimacy.start_tick, legitimacy.end_tick, legitimacy.end_tick
                ),
            ),
        );
    }
}

fn check_cops(scenario: &Scenario, out: &mut Vec<Violation>) {
    let cops = &scenario.cops;
    check_ranges(cops, &FieldPath::keys(&["cops"]), out);
    let reductions = FieldPath::keys(&["cops", "reductions"]);
    let ticks = scenario.run.ticks;
    for (i, reduction) in cops.reductions.iter().enumerate() {
        let tick = reductions.index(i).key("tick");
        if reduction.tick == 0 || reduction.tick > ticks {
            out.push(
                Violation::new(
                    tick.clone(),
                    format!(
                        "{} is out of range (expected an integer in 1..={ticks}, the run's ticks)",
                        reduction.tick
                    ),
                )
                .or_blame(
                    FieldPath::keys(&["run", "ticks"]),
                    format!(
                        "{ticks} is less than {tick} = {} (expected an integer in {}..={})",
                        reduction.tick,
                        reduction.tick,
                        group(MAX_TICKS)
                    ),
                ),
            );
        }
        check_ranges(reduction, &reductions.index(i), out);
    }
}

fn check_rules(scenario: &Scenario, out: &mut Vec<Violation>) {
    let rules = &scenario.rules;
    if rules.cop_moves_to_arrestee && rules.jailed != JailPlacement::LeaveGrid {
        out.push(
            Violation::new(
                FieldPath::keys(&["rules", "cop_moves_to_arrestee"]),
                "true needs rules.jailed = \"leave_grid\" (expected false while rules.jailed = \"stay_on_cell\")",
            )
            .or_blame(
                FieldPath::keys(&["rules", "jailed"]),
                "\"stay_on_cell\" leaves no empty cell for the cop (expected \"leave_grid\" while rules.cop_moves_to_arrestee = true)",
            ),
        );
    }
}

/// On a torus a neighbourhood wider than the grid would wrap onto itself
/// and count some cells twice.
fn check_torus_vision(scenario: &Scenario, out: &mut Vec<Violation>) {
    let world = &scenario.world;
    if world.topology != Topology::Torus {
        return;
    }
    let side = u64::from(world.width.min(world.height));
    for (who, vision) in [
        ("citizens", scenario.citizens.vision),
        ("cops", scenario.cops.vision),
    ] {
        let vision = u64::from(vision);
        let across = 2 * vision + 1;
        if across <= side || vision == 0 {
            continue;
        }
        let limit = (side.saturating_sub(1)) / 2;
        let expected = if limit == 0 {
            "a torus at least 3 cells wide and high, or world.topology = \"bounded\"".to_string()
        } else {
            format!("an integer in 1..={limit}")
        };
        let vision_path = FieldPath::keys(&[who, "vision"]);
        let wrap = format!(
            "{vision} is too large for a {}×{} torus: 2·{vision}+1 = {across} cells would wrap onto themselves (expected {expected})",
            world.width, world.height
        );
        let mut violation = Violation::new(vision_path, wrap);
        for (side_name, side_value) in [("width", world.width), ("height", world.height)] {
            if u64::from(side_value) < across {
                violation = violation.or_blame(
                    FieldPath::keys(&["world", side_name]),
                    format!(
                        "{side_value} is too small for {who}.vision = {vision} on a torus (expected an integer in {across}..={})",
                        group(MAX_SIDE)
                    ),
                );
            }
        }
        violation = violation.or_blame(
            FieldPath::keys(&["world", "topology"]),
            format!(
                "a {}×{} torus is too small for {who}.vision = {vision} (expected \"bounded\", or a torus at least {across}×{across})",
                world.width, world.height
            ),
        );
        out.push(violation);
    }
}

/// The mission model's checks: every catalogued number in range, names
/// usable as output columns, and the few consistency rules between fields.
fn check_mission(scenario: &Scenario, mission: &MissionConfig, out: &mut Vec<Violation>) {
    for p in mission.params() {
        check_param(param_path(&p.path), p.value, p.range, out);
    }
    let civ = &mission.civilians;
    let (m, sd) = (civ.trust_initial_mean, civ.trust_initial_sd);
    // A beta distribution of mean m has a variance below m(1 − m).
    if sd > 0.0 && sd * sd >= m * (1.0 - m) {
        out.push(Violation::new(
            FieldPath::keys(&["mission", "civilians", "trust_initial_sd"]),
            format!(
                "{} is too wide for mission.civilians.trust_initial_mean = {} \
                 (expected a standard deviation below √(mean·(1 − mean)) = {:.3})",
                number(sd),
                number(m),
                (m * (1.0 - m)).sqrt()
            ),
        ));
    }
    let police = &mission.police;
    if police.capability_initial > police.capability_max {
        let (_, most) = number_range::<PoliceParams>("capability_max");
        out.push(Violation::new(
            FieldPath::keys(&["mission", "police", "capability_max"]),
            format!(
                "{} is below mission.police.capability_initial = {} (expected {})",
                number(police.capability_max),
                number(police.capability_initial),
                numbers(police.capability_initial, most)
            ),
        ));
    }
    let factions = mission.factions.iter().map(|f| f.name.as_str());
    check_member_names("factions", factions, out);
    let contributors = mission.contributors.iter().map(|c| c.name.as_str());
    check_member_names("contributors", contributors, out);
    if mission.contributors.len() > MAX_CONTRIBUTORS {
        out.push(Violation::new(
            FieldPath::keys(&["mission", "contributors"]),
            format!(
                "{} contributors (expected at most {MAX_CONTRIBUTORS})",
                mission.contributors.len()
            ),
        ));
    }
    if mission.factions.len() > MAX_FACTIONS {
        out.push(Violation::new(
            FieldPath::keys(&["mission", "factions"]),
            format!(
                "{} factions (expected at most {MAX_FACTIONS})",
                mission.factions.len()
            ),
        ));
    }
    let radii = [
        ("forces", "vision_km", mission.forces.vision_km),
        (
            "civilians",
            "witness_radius_km",
            mission.civilians.witness_radius_km,
        ),
        (
            "civilians",
            "contagion_radius_km",
            mission.civilians.contagion_radius_km,
        ),
    ];
    let most = MAX_MISSION_RADIUS as f64;
    for (table, field, km) in radii {
        let cells = (km / mission.cell_km).round();
        if km.is_finite() && mission.cell_km > 0.0 && cells > most {
            out.push(Violation::new(
                FieldPath::keys(&["mission", table, field]),
                format!(
                    "{} km is {cells} cells of {} km (expected at most {most} cells)",
                    number(km),
                    number(mission.cell_km)
                ),
            ));
        }
    }
    if u64::from(scenario.citizens.vision) > MAX_MISSION_RADIUS as u64 {
        out.push(Violation::new(
            FieldPath::keys(&["citizens", "vision"]),
            format!(
                "{} is too large with a [mission] table (expected an integer in 1..={MAX_MISSION_RADIUS})",
                scenario.citizens.vision
            ),
        ));
    }
    if scenario.world.topology == Topology::Torus {
        out.push(
            Violation::new(
                FieldPath::keys(&["world", "topology"]),
                "\"torus\" with a [mission] table (expected \"bounded\": a theatre has edges)",
            )
            // Left at its default, the topology has no line: blame the
            // [mission] table that makes the torus wrong.
            .or_blame(
                FieldPath::keys(&["mission"]),
                "a [mission] table in a world whose topology is \"torus\", the default \
             (expected world.topology = \"bounded\": a theatre has edges)",
            ),
        );
    }
}

/// Longest scenario, faction or contributor name, in characters: names
/// become folder names (with suffixes), and most file systems allow 255
/// bytes.
pub const MAX_NAME_CHARS: usize = 100;

/// Most contributors a mission scenario may list: each keeps its own
/// forces, memory and output columns (2,000 took 6 GB); real missions have
/// a few dozen troop contributors.
pub const MAX_CONTRIBUTORS: usize = 64;

/// Most factions a mission scenario may list (each civilian keeps one
/// sympathy per faction).
pub const MAX_FACTIONS: usize = 8;

/// Faction and contributor names become output columns: the name rule,
/// and no two alike.
fn check_member_names<'a>(
    list: &str,
    names: impl Iterator<Item = &'a str>,
    out: &mut Vec<Violation>,
) {
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in names.enumerate() {
        let path = FieldPath::keys(&["mission", list]).index(i).key("name");
        let mut problems = Vec::new();
        check_name(name, &mut problems);
        if let Some(v) = problems.pop() {
            out.push(Violation::new(path, v.message));
        } else if seen.contains(&name) {
            out.push(Violation::new(
                path,
                format!("{name:?} is used twice (expected a name unique among mission.{list})"),
            ));
        }
        seen.push(name);
    }
}

/// A catalogue path (`factions[2]` for array elements) as a field path.
fn param_path(parts: &[String]) -> FieldPath {
    let mut path = FieldPath(Vec::new());
    for part in parts {
        match part.split_once('[') {
            Some((key, index)) => {
                let i = index.trim_end_matches(']').parse().unwrap_or(0);
                path = path.key(key).index(i);
            }
            None => path = path.key(part),
        }
    }
    path
}

/// Checks the numeric fields of `group`, whose path is `path`, against
/// their ranges, in declaration order; sub-tables are left to the caller.
fn check_ranges(group: &impl Group, path: &FieldPath, out: &mut Vec<Violation>) {
    let mut params = Vec::new();
    group.list_params(&mut Params::new(Vec::new(), &mut params, false));
    for p in params {
        check_param(path.key(&p.path[0]), p.value, p.range, out);
    }
}

/// The range of `G`'s number field `name`, from its table, for the
/// messages of rules between fields.
fn number_range<G: Group>(name: &str) -> (f64, f64) {
    match G::FIELDS.iter().find(|f| f.name == name).map(|f| f.accepts) {
        Some(Accepts::Range(Range::Number(min, max))) => (min, max),
        _ => unreachable!("{name} is a number field of its table"),
    }
}

fn check_param(path: FieldPath, value: Value, range: Range, out: &mut Vec<Violation>) {
    match (value, range) {
        (Value::Integer(v), Range::Integer(min, max)) => check_int(path, v, min, max, out),
        (Value::Number(v), Range::Number(min, max)) => check_number(path, v, min, max, out),
        _ => unreachable!("group! lists each value with a range of its kind"),
    }
}

fn check_int(path: FieldPath, value: u64, min: u64, max: u64, out: &mut Vec<Violation>) {
    if value < min || value > max {
        out.push(Violation::new(
            path,
            format!("{value} is out of range (expected {})", ints(min, max)),
        ));
    }
}

fn check_number(path: FieldPath, value: f64, min: f64, max: f64, out: &mut Vec<Violation>) {
    let expected = numbers(min, max);
    if !value.is_finite() {
        out.push(Violation::new(
            path,
            format!(
                "{} is not a finite number (expected {expected})",
                number(value)
            ),
        ));
    } else if value < min || value > max {
        out.push(Violation::new(
            path,
            format!("{} is out of range (expected {expected})", number(value)),
        ));
    }
}

/// `an integer in 1..=1_000_000`.
fn ints(min: u64, max: u64) -> String {
    format!("an integer in {}..={}", group(min), group(max))
}

/// `a number in 0..=1`.
fn numbers(min: f64, max: f64) -> String {
    format!("a number in {}..={}", number(min), number(max))
}

/// A number as TOML would read it back: `nan`, `inf`, shortest decimals.
fn number(value: f64) -> String {
    if value.is_nan() {
        "nan".to_string()
    } else if value.is_infinite() {
        if value > 0.0 { "inf" } else { "-inf" }.to_string()
    } else {
        format!("{value}")
    }
}

/// Digits grouped by `_` from 10_000 up, as in the documentation and in TOML.
fn group(n: u64) -> String {
    let digits = n.to_string();
    if n < 10_000 {
        return digits;
    }
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    out
}

/// The names a unit-only enum accepts. They are read from serde's own
/// "unknown variant" message for a value no variant has, so that this list
/// can never drift from the `rename_all` attributes in `types.rs`.
pub fn variant_names<T: DeserializeOwned>() -> Vec<String> {
    names_in_error(&no_such_variant::<T>())
}

/// The names listed after "expected" in serde's "unknown variant" error.
fn names_in_error(error: &str) -> Vec<String> {
    let list = error.split_once("expected").map_or("", |(_, rest)| rest);
    backticked(list)
}

/// The words between backticks in `text`: serde quotes names that way.
pub(crate) fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `"a", "b" or "c"` for a list of names, as TOML strings.
pub(crate) fn one_of(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    match quoted.as_slice() {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [first, second] => format!("{first} or {second}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// What the field at `path` accepts, e.g. `an integer in 1..=50`, as stated
/// in the `(expected …)` of type errors. `None` for a path that is not a
/// field. Read from the parameter tables ([`Group::FIELDS`]), following the
/// path from the scenario root; bounds that depend on other fields are
/// named, not computed.
pub fn expected(path: &FieldPath) -> Option<String> {
    let mut accepts = Accepts::Table(Scenario::FIELDS);
    for segment in &path.0 {
        accepts = match (accepts, segment) {
            (Accepts::Table(fields), PathSegment::Key(key)) => {
                fields.iter().find(|f| f.name == key)?.accepts
            }
            (Accepts::Tables(_, fields), PathSegment::Index(_)) => Accepts::Table(fields),
            (Accepts::Legend(_, value), PathSegment::Key(_)) => *value,
            _ => return None,
        };
    }
    Some(describe(accepts))
}

/// What `accepts` accepts, in the words of messages.
fn describe(accepts: Accepts) -> String {
    match accepts {
        Accepts::Range(Range::Number(min, max)) => numbers(min, max),
        Accepts::Range(Range::Integer(min, max)) => ints(min, max),
        Accepts::Text(text) => text.to_string(),
        Accepts::Choice(error) => one_of(&names_in_error(&error())),
        Accepts::Table(_) => "a table".to_string(),
        Accepts::Tables(text, _) => text.to_string(),
        Accepts::Legend(what, value) => format!(
            "a table of one-character keys to {}",
            what.map_or_else(|| describe(*value), str::to_string)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::types::{CopReduction, NeighbourhoodShape, Terrain};

    fn first(scenario: &Scenario) -> Violation {
        violations(scenario)
            .into_iter()
            .next()
            .expect("a violation")
    }

    #[test]
    fn default_scenario_is_valid() {
        assert_eq!(violations(&Scenario::default()), vec![]);
    }

    #[test]
    fn vision_out_of_range() {
        let mut s = Scenario::default();
        s.citizens.vision = 60;
        let v = first(&s);
        assert_eq!(v.field.to_string(), "citizens.vision");
        assert_eq!(
            v.message,
            "60 is out of range (expected an integer in 1..=50)"
        );
    }

    #[test]
    fn nan_and_inf_are_rejected() {
        let mut s = Scenario::default();
        s.citizens.threshold = f64::NAN;
        assert_eq!(
            first(&s).message,
            "nan is not a finite number (expected a number in 0..=1)"
        );
        s.citizens.threshold = 0.1;
        s.legitimacy.target = f64::INFINITY;
        assert_eq!(first(&s).field.to_string(), "legitimacy.target");
    }

    #[test]
    fn density_sum_above_one() {
        let mut s = Scenario::default();
        s.population.citizen_density = 0.75;
        s.population.cop_density = 0.5;
        let v = first(&s);
        assert_eq!(v.field.to_string(), "population.citizen_density");
        assert_eq!(
            v.message,
            "0.75 plus population.cop_density = 0.5 is 1.25 (expected citizen_density + cop_density ≤ 1)"
        );
        assert_eq!(v.alternatives[0].0.to_string(), "population.cop_density");
    }

    #[test]
    fn burn_in_must_be_less_than_ticks() {
        let mut s = Scenario::default();
        s.run.ticks = 100;
        let v = first(&s);
        assert_eq!(v.field.to_string(), "run.burn_in");
        assert_eq!(
            v.message,
            "100 is not less than run.ticks = 100 (expected an integer in 0..100)"
        );
    }

    #[test]
    fn uniform_min_above_max() {
        let mut s = Scenario::default();
        s.citizens.risk_aversion = UniformRange { min: 0.6, max: 0.4 };
        let v = first(&s);
        assert_eq!(v.field.to_string(), "citizens.risk_aversion.max");
        assert_eq!(
            v.message,
            "0.4 is less than citizens.risk_aversion.min = 0.6 (expected a number in 0.6..=1)"
        );
    }

    #[test]
    fn mission_pairs_that_contradict_each_other() {
        let mut mission = MissionConfig::default();
        mission.civilians.trust_initial_mean = 0.9;
        mission.civilians.trust_initial_sd = 0.3;
        mission.police.capability_initial = 0.9;
        mission.police.capability_max = 0.5;
        let s = Scenario {
            mission: Some(mission),
            ..Scenario::default()
        };
        let messages: Vec<String> = violations(&s)
            .into_iter()
            .map(|v| format!("{}: {}", v.field, v.message))
            .collect();
        assert_eq!(
            messages[..2],
            [
                "mission.civilians.trust_initial_sd: 0.3 is too wide for mission.civilians.trust_initial_mean = 0.9 (expected a standard deviation below √(mean·(1 − mean)) = 0.300)",
                "mission.police.capability_max: 0.5 is below mission.police.capability_initial = 0.9 (expected a number in 0.9..=10)",
            ]
        );
    }

    #[test]
    fn linear_legitimacy_needs_ordered_ticks_but_drop_does_not() {
        let mut s = Scenario::default();
        s.legitimacy.shape = LegitimacyShape::Drop;
        s.legitimacy.start_tick = 200;
        assert_eq!(violations(&s), vec![]);
        s.legitimacy.shape = LegitimacyShape::Linear;
        assert_eq!(first(&s).field.to_string(), "legitimacy.end_tick");
    }

    #[test]
    fn reduction_tick_within_run() {
        let mut s = Scenario::default();
        s.cops.reductions = vec![
            CopReduction {
                tick: 10,
                fraction: 0.5,
            },
            CopReduction {
                tick: 1001,
                fraction: 0.5,
            },
        ];
        let v = first(&s);
        assert_eq!(v.field.to_string(), "cops.reductions[1].tick");
        assert_eq!(
            v.message,
            "1001 is out of range (expected an integer in 1..=1000, the run's ticks)"
        );
    }

    #[test]
    fn cop_moves_to_arrestee_needs_leave_grid() {
        let mut s = Scenario::default();
        s.rules.cop_moves_to_arrestee = true;
        assert_eq!(first(&s).field.to_string(), "rules.cop_moves_to_arrestee");
        s.rules.jailed = JailPlacement::LeaveGrid;
        assert_eq!(violations(&s), vec![]);
    }

    #[test]
    fn name_characters() {
        let mut s = Scenario {
            name: "my run".to_string(),
            ..Scenario::default()
        };
        assert_eq!(
            first(&s).message,
            "\"my run\" contains ' ' (expected a non-empty name of letters, digits, `_`, `-` and `.`, not starting with `.`)"
        );
        s.name = String::new();
        assert_eq!(first(&s).field.to_string(), "name");
        s.name = "ok_name-1.2".to_string();
        assert_eq!(violations(&s), vec![]);
    }

    #[test]
    fn torus_too_small_for_vision() {
        let mut s = Scenario::default();
        s.world.width = 10;
        s.world.height = 20;
        let v = first(&s);
        assert_eq!(v.field.to_string(), "citizens.vision");
        assert_eq!(
            v.message,
            "7 is too large for a 10×20 torus: 2·7+1 = 15 cells would wrap onto themselves (expected an integer in 1..=4)"
        );
        s.world.topology = Topology::Bounded;
        assert_eq!(violations(&s), vec![]);
    }

    #[test]
    fn map_problems() {
        let mut s = Scenario::default();
        s.world.map_inline = Some("##\n##\n".to_string());
        s.world.width = 2;
        s.world.height = 2;
        s.citizens.vision = 1;
        s.cops.vision = 1;
        s.world.topology = Topology::Bounded;
        assert_eq!(first(&s).field.to_string(), "world.map_inline");
        s.world.map_inline = Some("#.\n##\n".to_string());
        assert_eq!(violations(&s), vec![]);
        s.world.width = 3;
        assert_eq!(
            first(&s).message,
            "3 does not match world.map_inline, which is 2 cells wide (expected 2)"
        );
        s.world.width = 2;
        s.world.map = Some("m.txt".to_string());
        assert_eq!(first(&s).field.to_string(), "world.map_inline");
    }

    #[test]
    fn passable_terrain_other_than_open_is_enough() {
        let mut s = Scenario::default();
        s.world.legend.insert("u".to_string(), Terrain::Urban);
        s.world.legend.insert("~".to_string(), Terrain::Sea);
        s.world.map_inline = Some("~u\n~~\n".to_string());
        (s.world.width, s.world.height) = (2, 2);
        (s.citizens.vision, s.cops.vision) = (1, 1);
        s.world.topology = Topology::Bounded;
        assert_eq!(violations(&s), vec![]);
        s.world.map_inline = Some("~~\n~#\n".to_string());
        assert!(first(&s).message.contains("no passable cell"));
    }

    #[test]
    fn sector_problems() {
        let mut s = Scenario::default();
        s.world.map_inline = Some("..\n..\n".to_string());
        (s.world.width, s.world.height) = (2, 2);
        (s.citizens.vision, s.cops.vision) = (1, 1);
        s.world.topology = Topology::Bounded;
        s.world
            .sector_names
            .insert("1".to_string(), "North".to_string());
        s.world.sectors_inline = Some("1-\n11\n".to_string());
        assert_eq!(violations(&s), vec![]);
        s.world.sectors_inline = Some("1-\n1x\n".to_string());
        let v = first(&s);
        assert_eq!(v.field.to_string(), "world.sectors_inline");
        assert!(
            v.message
                .starts_with("line 2, column 2: unknown character 'x'")
        );
        s.world.sectors_inline = Some("1-\n".to_string());
        assert_eq!(
            first(&s).message,
            "line 2, column 1: the sector map is 2 × 1 cells but the terrain is 2 × 2 (expected 2 × 2)"
        );
        s.world.sectors_inline = Some("11\n11\n".to_string());
        s.world.sectors = Some("s.txt".to_string());
        assert_eq!(first(&s).field.to_string(), "world.sectors_inline");
        s.world.sectors = None;
        s.world
            .sector_names
            .insert("ab".to_string(), "X".to_string());
        let v = first(&s);
        assert!(v.at_key);
        assert_eq!(v.field.to_string(), "world.sector_names.ab");
    }

    #[test]
    fn legend_keys_are_single_characters() {
        let mut s = Scenario::default();
        s.world.legend.insert("ab".to_string(), Terrain::Open);
        let v = first(&s);
        assert!(v.at_key);
        assert_eq!(v.field.to_string(), "world.legend.ab");
    }

    #[test]
    fn validate_reports_the_first_violation_at_the_file() {
        let mut s = Scenario::default();
        s.cops.vision = 0;
        let err = validate(&s, "x.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.toml: field cops.vision: 0 is out of range (expected an integer in 1..=50)"
        );
    }

    #[test]
    fn variant_names_come_from_serde() {
        assert_eq!(
            variant_names::<NeighbourhoodShape>(),
            ["von_neumann", "moore", "euclidean"]
        );
        assert_eq!(variant_names::<Topology>(), ["torus", "bounded"]);
    }

    #[test]
    fn expectations() {
        let path = FieldPath::keys(&["cops", "reductions"])
            .index(3)
            .key("tick");
        assert_eq!(expected(&path).unwrap(), "an integer in 1..=run.ticks");
        assert_eq!(
            expected(&FieldPath::keys(&["world", "legend", "x"])).unwrap(),
            r#"one of "open", "urban", "rubble", "sea", "border", "crossing", "buffer", "blocked""#
        );
        assert_eq!(
            expected(&FieldPath::keys(&["rules", "neighbourhood"])).unwrap(),
            r#"one of "von_neumann", "moore", "euclidean""#
        );
        assert_eq!(
            expected(&FieldPath::keys(&["run", "ticks"])).unwrap(),
            "an integer in 1..=1_000_000"
        );
        assert_eq!(expected(&FieldPath::keys(&["nope"])), None);
    }
}
