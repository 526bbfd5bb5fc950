//! Security units on the grid (contingents, police, PMCs): placing a new
//! unit in the sector that needs it most, taking units off duty, and what a
//! unit is worth today (capability) and how it is seen (acceptability).

use rand::RngExt;

use super::state::{MissionState, UnitKind, Units};
use crate::scenario::MissionConfig;
use crate::world::{Cell, CellIndex, Grid, NO_CELL, Neighbourhood};

/// Takes off duty every unit of a kind accepted by `kind` for which `pick`
/// holds. Returns whether any unit left.
pub fn recall(
    units: &mut Units,
    grid: &mut Grid,
    kind: impl Fn(UnitKind) -> bool,
    pick: impl Fn((&Units, usize)) -> bool,
) -> bool {
    let mut any = false;
    for u in 0..units.len() {
        if units.on_duty[u] && kind(units.kind[u]) && pick((&*units, u)) {
            units.on_duty[u] = false;
            grid.set(units.cell[u], Cell::Empty, u32::MAX);
            units.cell[u] = NO_CELL;
            any = true;
        }
    }
    any
}

/// Whether a unit of `kind` is an unarmed observer (a contingent under an
/// unarmed mandate): it watches and reports, but does not arrest, respond
/// to incidents or hold ground.
pub fn is_observer(config: &MissionConfig, kind: UnitKind) -> bool {
    kind == UnitKind::Contingent && !config.mandate.armed
}

/// Of the `units` mission units in `view` of `at`, those that act (arrest,
/// respond, hold ground): all but unarmed observers. Under an armed mandate
/// every unit acts, and nothing is counted.
pub fn acting_units(s: &MissionState, view: &Neighbourhood, at: CellIndex, units: u32) -> u32 {
    if s.rules.config.mandate.armed || units == 0 {
        return units;
    }
    (0..units)
        .filter_map(|n| view.nth(&s.map.grid, at, Cell::Cop, n))
        .filter(|&c| {
            !is_observer(
                &s.rules.config,
                s.units.kind[s.map.grid.occupant(c) as usize],
            )
        })
        .count() as u32
}

/// Places a new unit in the sector with the fewest units of its kind per
/// resident (not yet handed over, for contingents and PMCs). Returns false
/// if no cell was free.
pub fn add_unit(s: &mut MissionState, kind: UnitKind, owner: u16, community: bool, t: u32) -> bool {
    let sector = neediest_sector(s, kind);
    let Some(cell) = free_cell_in(s, sector) else {
        return false;
    };
    let u = s.units.len() as u32;
    let units = &mut s.units;
    units.kind.push(kind);
    units.owner.push(owner);
    units.cell.push(cell);
    units.sector.push(sector as u16);
    units.community.push(community);
    units.on_duty.push(true);
    units.since.push(t);
    s.map.grid.set(cell, Cell::Cop, u);
    true
}

fn neediest_sector(s: &MissionState, kind: UnitKind) -> usize {
    let mut count = vec![0.0f64; s.sectors.len()];
    for u in 0..s.units.len() {
        if s.units.on_duty[u] && s.units.kind[u] == kind {
            count[s.units.sector[u] as usize] += 1.0;
        }
    }
    (0..s.sectors.len())
        .filter(|&k| kind == UnitKind::Police || s.sectors[k].handed_over.is_none())
        .filter(|&k| s.sectors[k].depot != NO_CELL)
        .min_by(|&a, &b| {
            let need = |k: usize| count[k] / s.sectors[k].people.max(1.0);
            need(a).total_cmp(&need(b)).then(a.cmp(&b))
        })
        .unwrap_or(0)
}

/// An empty cell in `sector`: near its depot if possible, else anywhere in it.
fn free_cell_in(s: &mut MissionState, sector: usize) -> Option<CellIndex> {
    let depot = s.sectors[sector].depot;
    if depot != NO_CELL && s.map.grid.cell(depot) == Cell::Empty {
        return Some(depot);
    }
    if depot != NO_CELL {
        let empties = s.map.unit_view.count_mission(&s.map.grid, depot).empties;
        for _ in 0..8 {
            let to =
                s.map
                    .unit_view
                    .random_empty(&s.map.grid, &mut s.rng.forces, depot, empties)?;
            if s.sector_of(to) == sector {
                return Some(to);
            }
        }
    }
    let n = s.map.grid.open_cells().len();
    (0..200).find_map(|_| {
        let c = s.map.grid.open_cells()[s.rng.forces.random_range(0..n)];
        (s.map.grid.cell(c) == Cell::Empty && s.sector_of(c) == sector).then_some(c)
    })
}

/// Local acceptability of unit `u`.
pub fn unit_acceptability(units: &Units, config: &MissionConfig, u: usize) -> f64 {
    match units.kind[u] {
        UnitKind::Contingent => config.contributors[units.owner[u] as usize].acceptability,
        UnitKind::Police => config.police.acceptability,
        UnitKind::Pmc => config.forces.pmc_acceptability,
    }
}

/// Capability of unit `u` today, `tick` days having been completed.
pub fn unit_capability(units: &Units, config: &MissionConfig, tick: u32, u: usize) -> f64 {
    match units.kind[u] {
        // Unarmed observers defend themselves only.
        UnitKind::Contingent if !config.mandate.armed => config.forces.observer_capability,
        UnitKind::Contingent => config.contributors[units.owner[u] as usize].capability,
        UnitKind::Pmc => 1.0,
        UnitKind::Police => {
            let p = &config.police;
            let age = f64::from(tick.saturating_sub(units.since[u]));
            let grown = 1.0 - 0.5f64.powf(age / p.capability_half_life_days);
            p.capability_initial + (p.capability_max - p.capability_initial) * grown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::*;

    /// Units in view of every civilian cell, and those of them that act.
    fn in_view(armed: &str) -> (u32, u32) {
        let s = gaza(
            &[
                &format!("mission.mandate.armed={armed}"),
                "mission.police.initial_officers=0",
                "mission.mandate.police_training_per_day=0",
            ],
            100,
        );
        let view = &s.map.civilian_view;
        let (mut all, mut acting) = (0, 0);
        for i in 0..s.civilians.len() {
            let at = s.civilians.cell[i];
            if at == NO_CELL {
                continue;
            }
            let units = view.count_mission(&s.map.grid, at).units;
            all += units;
            acting += acting_units(&s, view, at, units);
        }
        (all, acting)
    }

    #[test]
    fn unarmed_observers_do_not_act_armed_units_do() {
        let (all, acting) = in_view("true");
        assert!(all > 0);
        assert_eq!(acting, all);
        // Observers only (no police, no PMCs): none of them arrests.
        let (all, acting) = in_view("false");
        assert!(all > 0);
        assert_eq!(acting, 0);
    }
}
