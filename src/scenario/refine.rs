//! `world.refine = k`: the same theatre at a finer resolution. Every map and
//! sector cell becomes `k × k` cells, so a mission scenario has `k²` times
//! as many civilian agents (placement is per passable cell), each standing
//! for `k²` times fewer people. Distances keep their meaning in km:
//! `mission.cell_km` is divided by `k` (every `*_km` radius and speed is
//! converted with it) and the one radius given in cells, `citizens.vision`,
//! is multiplied by `k`. `mission.population.agent_share` is divided by
//! `k²`, so that the rules that count civilian agents count the same
//! people (docs/ODD.md M1.7).
//!
//! Applied once, when the scenario loads, after validation of what was
//! written: everything downstream (world building, the memory guard, the
//! resolved scenario, reading an output folder back) sees an ordinary
//! scenario at the fine resolution with `refine = 1`. A scenario without
//! the key is untouched. The Epstein model has cell-based densities and
//! cop visions of its own, and stays byte-for-byte as it is: refining it is
//! refused.

use super::MAX_MISSION_RADIUS;
use super::error::FieldPath;
use super::types::{MAX_SIDE, MAX_VISION, Scenario};
use super::validate::Violation;

/// Smallest `mission.cell_km` (the bound of its own range).
const MIN_CELL_KM: f64 = 0.001;

/// Why refining `scenario` by its `world.refine` would be wrong, each
/// blamed on `world.refine` (which the message names with what it breaks).
/// Empty when `refine` is 1.
pub fn violations(scenario: &Scenario) -> Vec<Violation> {
    let k = scenario.world.refine;
    let mut out = Vec::new();
    if k <= 1 {
        return out;
    }
    let at = || FieldPath::keys(&["world", "refine"]);
    let Some(mission) = &scenario.mission else {
        out.push(Violation::new(
            at(),
            format!(
                "{k} without a [mission] table (expected 1: only the mission model is refined)"
            ),
        ));
        return out;
    };
    let (w, h) = (scenario.world.width, scenario.world.height);
    let side = u64::from(w.max(h)) * u64::from(k);
    if side > MAX_SIDE {
        out.push(Violation::new(
            at(),
            format!(
                "{k} makes the {w} × {h} map {} × {} cells (expected at most {MAX_SIDE} a side: \
                 refine ≤ {})",
                u64::from(w) * u64::from(k),
                u64::from(h) * u64::from(k),
                MAX_SIDE / u64::from(w.max(h)).max(1)
            ),
        ));
    }
    let cell_km = mission.cell_km / f64::from(k);
    if cell_km < MIN_CELL_KM {
        out.push(Violation::new(
            at(),
            format!("{k} makes mission.cell_km {cell_km} km (expected at least {MIN_CELL_KM} km)"),
        ));
    }
    let most = MAX_MISSION_RADIUS as u64;
    let vision = u64::from(scenario.citizens.vision) * u64::from(k);
    if vision > most.min(MAX_VISION) {
        out.push(Violation::new(
            at(),
            format!(
                "{k} makes citizens.vision {} cells {vision} cells (expected at most {most}: \
                 lower citizens.vision or refine)",
                scenario.citizens.vision
            ),
        ));
    }
    for (name, km) in radii_km(scenario) {
        let cells = (km / cell_km).round();
        if cells > most as f64 {
            out.push(Violation::new(
                at(),
                format!(
                    "{k} makes {name} ({km} km) {cells} cells of {cell_km} km (expected at most \
                     {most} cells: lower {name} or refine)"
                ),
            ));
        }
    }
    out
}

/// The mission's radii in km, by dotted name: converted to cells with
/// `cell_km`, they must fit a neighbourhood (see [`MAX_MISSION_RADIUS`]).
fn radii_km(scenario: &Scenario) -> Vec<(&'static str, f64)> {
    scenario.mission.as_ref().map_or_else(Vec::new, |m| {
        vec![
            ("mission.forces.vision_km", m.forces.vision_km),
            (
                "mission.civilians.witness_radius_km",
                m.civilians.witness_radius_km,
            ),
            (
                "mission.civilians.contagion_radius_km",
                m.civilians.contagion_radius_km,
            ),
        ]
    })
}

/// Refines a scenario that [`violations`] accepts: the inline map and
/// sector map, the size, `mission.cell_km`, `citizens.vision` and
/// `mission.population.agent_share`; then
/// `world.refine` is 1. Nothing changes when it already is.
pub fn apply(scenario: &mut Scenario) {
    let k = scenario.world.refine;
    if k <= 1 {
        return;
    }
    let world = &mut scenario.world;
    if let Some(text) = &world.map_inline {
        world.map_inline = Some(refine_text(text, k));
    }
    if let Some(text) = &world.sectors_inline {
        world.sectors_inline = Some(refine_text(text, k));
    }
    world.width *= k;
    world.height *= k;
    world.refine = 1;
    scenario.citizens.vision *= k;
    if let Some(mission) = &mut scenario.mission {
        mission.cell_km /= f64::from(k);
        // Each agent now stands for k² times fewer people: the count-based
        // rules read this to stay at their calibration.
        mission.population.agent_share /= f64::from(k * k);
    }
}

/// Map text with every character repeated `k` times along its row and
/// every row `k` times (rows end with `\n`).
fn refine_text(text: &str, k: u32) -> String {
    let k = k as usize;
    let mut out = String::with_capacity(text.len() * k * k);
    for row in text.lines() {
        let mut wide = String::with_capacity(row.len() * k + 1);
        for c in row.chars() {
            (0..k).for_each(|_| wide.push(c));
        }
        wide.push('\n');
        (0..k).for_each(|_| out.push_str(&wide));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_becomes_a_k_by_k_block() {
        assert_eq!(refine_text("ab\ncd\n", 2), "aabb\naabb\nccdd\nccdd\n");
        assert_eq!(refine_text("é.", 3), "ééé...\nééé...\nééé...\n");
    }
}
