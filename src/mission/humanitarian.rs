//! The humanitarian system: convoys enter at crossings at a rate set by
//! access, travel to the neediest sector's distribution point and may be
//! looted on the way by gangs near the route (or desperate crowds) unless
//! escorted; sectors hand out rations; services are restored at the
//! mandate's rate once the mission is there, in the sectors it serves
//! (all, controlled or contested), are damaged by fighting, and draw
//! attacks on projects where armed groups contest the ground.

use rand::RngExt;

use super::draw::{chance, poisson};
use super::qrf::{Incident, resolve_incident};
use super::state::{Civilians, Map, MissionState, SectorState, Status};
use super::units::{acting_units, is_observer};
use crate::scenario::ServiceSectors;
use crate::world::{CellIndex, Grid};

/// Phase 7 (and setup): living people per sector (agents on the grid or displaced; detained
/// people are fed elsewhere).
pub fn count_sector_people(sectors: &mut [SectorState], civilians: &Civilians, map: &Map) {
    for sector in sectors.iter_mut() {
        sector.people = 0.0;
        sector.fighter_agents = 0.0;
    }
    for i in 0..civilians.len() {
        let cell = civilians.cell[i];
        if matches!(civilians.status[i], Status::Dead | Status::Detained) {
            continue;
        }
        let k = map.sector_of(cell);
        sectors[k].people += f64::from(civilians.members[i]);
        if civilians.status[i] == Status::Recruited {
            sectors[k].fighter_agents += 1.0;
        }
    }
}

/// Phase 8 (after phase 7 counted the people): convoys arrive, travel, and are delivered or looted; each
/// sector then hands out what it holds. A looted convoy goes to a faction
/// (drawn by its share of the theatre's looting weight, crowds included)
/// as `loot_arms_per_convoy` weapons: looted aid re-arms spoilers.
pub fn convoys(s: &mut MissionState) {
    let h = s.rules.config.humanitarian.clone();
    let m = &s.rules.config.mandate;
    let (access, escort) = (m.humanitarian_access, s.forces.escort_share);
    let hazard = looting_hazard(s);
    let looters = looting_weights(s);
    let all: f64 = looters.iter().sum();
    let arrivals = poisson(&mut s.rng.humanitarian, h.convoys_per_day * access);
    for _ in 0..arrivals {
        let Some(sector) = neediest_sector(s) else {
            break;
        };
        let exposure: f64 = match entry_crossing(s) {
            // The route was sampled at setup; the same cells in the same
            // order give the same sum.
            Some(c) => {
                let route = &s.map.routes[c * s.sectors.len() + sector];
                route.iter().map(|&i| f64::from(hazard[i as usize])).sum()
            }
            None => {
                let entry = random_open_cell(s);
                let cells = route_cells(&s.map.grid, entry, s.sectors[sector].depot);
                cells.map(|i| f64::from(hazard[i])).sum()
            }
        };
        let escorted = s.rng.humanitarian.random::<f64>() < escort;
        let shield = if escorted { 1.0 - h.escort_effect } else { 1.0 };
        if chance(&mut s.rng.humanitarian, 1.0 - (-exposure * shield).exp()) {
            s.today.lootings += 1;
            let mut x = s.rng.humanitarian.random::<f64>() * all;
            for (f, &w) in looters.iter().enumerate().take(s.factions.len()) {
                if x < w {
                    s.factions.state[f].arms += h.loot_arms_per_convoy;
                    break;
                }
                x -= w;
            }
        } else {
            s.sectors[sector].stock += h.rations_per_convoy;
            if escorted {
                s.sectors[sector].escorted_stock += h.rations_per_convoy;
            }
            s.today.rations += h.rations_per_convoy;
        }
    }
    let rate = s.rules.derived.coverage_rate;
    for sector in &mut s.sectors {
        let need = sector.people;
        let handed = sector.stock.min(need);
        // Escorted rations are handed out in proportion to their share of
        // the stock: nobody's ration is labelled, its convoy was.
        let escorted = if sector.stock > 0.0 {
            handed * sector.escorted_stock / sector.stock
        } else {
            0.0
        };
        sector.stock -= handed;
        sector.escorted_stock = (sector.escorted_stock - escorted).max(0.0);
        let coverage = if need > 0.0 { handed / need } else { 1.0 };
        sector.coverage += rate * (coverage - sector.coverage);
        let escorted = if need > 0.0 { escorted / need } else { 0.0 };
        sector.escorted_coverage += rate * (escorted - sector.escorted_coverage);
    }
}

/// Looting weight of each faction's fighters, then of active crowds (the
/// last entry), over the whole theatre.
fn looting_weights(s: &MissionState) -> Vec<f64> {
    let h = &s.rules.config.humanitarian;
    let nf = s.factions.len();
    let mut w = vec![0.0; nf + 1];
    for i in 0..s.civilians.len() {
        match s.civilians.status[i] {
            Status::Recruited => {
                let f = s.civilians.faction[i] as usize;
                w[f] += h.loot_rate * s.rules.config.factions[f].loot_propensity;
            }
            // A crowd's weight is its people's: an agent counts as its
            // share of a calibration agent (`population.agent_share`).
            Status::Active => w[nf] += h.crowd_loot_rate * s.rules.config.population.agent_share,
            _ => {}
        }
    }
    w
}

/// Looting hazard per cell: fighters weighted by their faction's looting
/// propensity (gangs loot) and active civilians within the witness radius.
fn looting_hazard(s: &mut MissionState) -> Vec<f32> {
    let h = &s.rules.config.humanitarian;
    let [raw, out, ..] = &mut s.layers.scratch;
    raw.clear();
    for i in 0..s.civilians.len() {
        let cell = s.civilians.cell[i];
        let weight = match s.civilians.status[i] {
            Status::Recruited => {
                let f = &s.rules.config.factions[s.civilians.faction[i] as usize];
                h.loot_rate * f.loot_propensity
            }
            Status::Active => h.crowd_loot_rate * s.rules.config.population.agent_share,
            _ => 0.0,
        };
        if weight > 0.0 {
            raw.add(s.map.grid.interior(cell), weight as f32);
        }
    }
    raw.box_sum(s.rules.derived.witness_cells, &mut s.layers.table, out);
    out.values().to_vec()
}

/// The sector with the least stock per resident, if anyone lives anywhere.
fn neediest_sector(s: &MissionState) -> Option<usize> {
    (0..s.sectors.len())
        .filter(|&k| s.sectors[k].people > 0.0 && s.sectors[k].depot != crate::world::NO_CELL)
        .min_by(|&a, &b| {
            let per = |k: usize| s.sectors[k].stock / s.sectors[k].people;
            per(a).total_cmp(&per(b)).then(a.cmp(&b))
        })
}

/// The index of a random crossing where a convoy enters; `None` on a map
/// without crossings (the convoy then enters at a random open cell, drawn
/// by [`random_open_cell`]). One draw either way.
fn entry_crossing(s: &mut MissionState) -> Option<usize> {
    let n = s.map.crossings.len();
    (n > 0).then(|| s.rng.humanitarian.random_range(0..n))
}

/// A random open cell.
fn random_open_cell(s: &mut MissionState) -> CellIndex {
    let open = s.map.grid.open_cells();
    open[s.rng.humanitarian.random_range(0..open.len())]
}

/// Every crossing's route to every sector's depot (see `Map::routes`).
pub fn convoy_routes(map: &Map, sectors: &[SectorState]) -> Vec<Vec<u32>> {
    let mut routes = Vec::with_capacity(map.crossings.len() * sectors.len());
    for &entry in &map.crossings {
        for sector in sectors {
            routes.push(if sector.depot == crate::world::NO_CELL {
                Vec::new()
            } else {
                route_cells(&map.grid, entry, sector.depot)
                    .map(|i| i as u32)
                    .collect()
            });
        }
    }
    routes
}

/// The interior cells (row-major positions) along the straight route
/// from `from` to `to`, one sample per cell of length; the convoy's
/// exposure is the looting hazard summed over them in this order.
fn route_cells(grid: &Grid, from: CellIndex, to: CellIndex) -> impl Iterator<Item = usize> {
    let (x0, y0) = grid.coords(from);
    let (x1, y1) = grid.coords(to);
    let steps = x0.abs_diff(x1).max(y0.abs_diff(y1)).max(1);
    let w = grid.width();
    (0..=steps).map(move |k| {
        let f = k as f64 / steps as f64;
        let x = round_to_index(x0 as f64 + f * (x1 as f64 - x0 as f64));
        let y = round_to_index(y0 as f64 + f * (y1 as f64 - y0 as f64));
        y * w + x
    })
}

/// `v.round() as usize`, to the bit, for every `v` (NaN and negatives give
/// 0, huge values saturate), without the call to libm's `round` that the
/// hot route loop otherwise makes for each sample: the truncation `t` and
/// `v - t` are exact, so the fraction decides the half-away-from-zero
/// rounding exactly.
#[inline]
fn round_to_index(v: f64) -> usize {
    let t = v as usize;
    if v - t as f64 >= 0.5 {
        t.saturating_add(1)
    } else {
        t
    }
}

/// Phase 14: which sectors the mission controls today; services recover
/// at the mandate's rate once the mission is there, in the sectors the
/// mandate serves (damage from incidents and strikes was applied as it
/// happened); fighters in contested sectors attack the projects.
pub fn restore_services(s: &mut MissionState, t: u32) {
    update_control(s);
    let m = &s.rules.config.mandate;
    let rate = if s.rules.mission_started(t) {
        m.service_rate
    } else {
        0.0
    };
    let served = m.service_sectors;
    for sector in &mut s.sectors {
        sector.services_before = sector.services;
        let serve = match served {
            ServiceSectors::All => true,
            ServiceSectors::Controlled => sector.controlled,
            ServiceSectors::Contested => !sector.controlled,
        };
        if serve {
            sector.services += rate * (1.0 - sector.services);
        }
    }
    attack_projects(s);
}

/// Sector control: a sector is controlled when it has been handed over or
/// its security units on duty (police, PMCs, contingents under an armed
/// mandate) number at least
/// `control_units_per_fighter` per fighter agent in it (a sector with
/// neither is controlled: nobody contests it).
fn update_control(s: &mut MissionState) {
    let ns = s.sectors.len();
    let mut units = vec![0.0; ns];
    let mut fighters = vec![0.0; ns];
    // Unarmed observers hold no ground: they do not count towards control.
    for u in 0..s.units.len() {
        let observer = is_observer(&s.rules.config, s.units.kind[u]);
        if s.units.on_duty[u] && s.units.cell[u] != crate::world::NO_CELL && !observer {
            units[s.map.sector_of(s.units.cell[u])] += 1.0;
        }
    }
    for i in 0..s.civilians.len() {
        if s.civilians.status[i] == Status::Recruited {
            fighters[s.map.sector_of(s.civilians.cell[i])] += 1.0;
        }
    }
    let ratio = s.rules.config.humanitarian.control_units_per_fighter;
    for (k, sector) in s.sectors.iter_mut().enumerate() {
        sector.controlled = sector.handed_over.is_some() || units[k] >= ratio * fighters[k];
        sector.control = if sector.controlled {
            1.0
        } else {
            units[k] / (ratio * fighters[k])
        };
    }
}

/// Projects draw attacks where armed groups contest the ground (Crost,
/// Felter & Johnston 2014: insurgents sabotage projects whose success
/// would cost them support): each fighter agent in a contested sector
/// whose services rose today attacks the projects with probability
/// `project_attack_rate` · (today's rise) · (1 − its faction's
/// commitment). An attack costs the sector `project_services_damage` of
/// its services and is an incident like any other (escalation, response).
fn attack_projects(s: &mut MissionState) {
    let h = &s.rules.config.humanitarian;
    let (rate, damage) = (h.project_attack_rate, h.project_services_damage);
    if rate <= 0.0 {
        return;
    }
    // Today's rise, before any attack sets it back.
    let rise: Vec<f64> = s
        .sectors
        .iter()
        .map(|k| {
            if k.controlled {
                0.0
            } else {
                k.services - k.services_before
            }
        })
        .collect();
    for k in 0..s.factions.fighter_ids.len() {
        let id = s.factions.fighter_ids[k];
        let i = id as usize;
        if s.civilians.status[i] != Status::Recruited {
            continue;
        }
        let cell = s.civilians.cell[i];
        let sector = s.map.sector_of(cell);
        if rise[sector] <= 0.0 {
            continue;
        }
        let f = s.civilians.faction[i] as usize;
        let p = rate * rise[sector] * (1.0 - s.factions.state[f].commitment);
        if !chance(&mut s.rng.humanitarian, p) {
            continue;
        }
        s.today.attacks_on_projects += 1;
        let services = &mut s.sectors[sector].services;
        *services = (*services - damage).max(0.0);
        // Observers in view do not answer the attack.
        let seen = s.map.unit_view.count_mission(&s.map.grid, cell).units;
        let units_near = acting_units(s, &s.map.unit_view, cell, seen);
        resolve_incident(
            s,
            Incident {
                attacker: id,
                faction: f,
                cell,
                units_near,
                severity: 0.0,
                deaths: 0.0,
                ongoing: 0,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::*;

    /// Sums of aid coverage and escorted coverage over the sectors.
    fn coverages(s: &MissionState) -> (f64, f64) {
        let sum = |g: fn(&SectorState) -> f64| s.sectors.iter().map(g).sum::<f64>();
        (sum(|k| k.coverage), sum(|k| k.escorted_coverage))
    }

    #[test]
    fn only_escorted_aid_counts_as_the_missions() {
        // Before the mission deploys (day 30) nobody escorts: aid arrives,
        // none of it is the mission's.
        let (covered, escorted) = coverages(&gaza(&["mission.mandate.convoy_escort=1"], 25));
        assert!(covered > 0.0);
        assert_eq!(escorted, 0.0);
        // Once deployed, escorted aid is part of the aid handed out ...
        let (covered, escorted) = coverages(&gaza(&["mission.mandate.convoy_escort=1"], 90));
        assert!(
            escorted > 0.0 && escorted <= covered,
            "{escorted} vs {covered}"
        );
        // ... and aid the mission does not escort is never its own.
        let (covered, escorted) = coverages(&gaza(&["mission.mandate.convoy_escort=0"], 90));
        assert!(covered > 0.0);
        assert_eq!(escorted, 0.0);
    }

    #[test]
    fn routes_sampled_at_setup_are_the_straight_lines_convoys_take() {
        let s = gaza(&[], 0);
        let (grid, ns) = (&s.map.grid, s.sectors.len());
        assert!(!s.map.crossings.is_empty());
        assert_eq!(s.map.routes.len(), s.map.crossings.len() * ns);
        for (c, &entry) in s.map.crossings.iter().enumerate() {
            for (k, sector) in s.sectors.iter().enumerate() {
                let route = &s.map.routes[c * ns + k];
                if sector.depot == crate::world::NO_CELL {
                    assert!(route.is_empty());
                    continue;
                }
                // The samples as route_exposure took them before routes
                // were kept: libm's rounding, one sample per cell of length.
                let (x0, y0) = grid.coords(entry);
                let (x1, y1) = grid.coords(sector.depot);
                let steps = x0.abs_diff(x1).max(y0.abs_diff(y1)).max(1);
                let want: Vec<u32> = (0..=steps)
                    .map(|j| {
                        let f = j as f64 / steps as f64;
                        let x = (x0 as f64 + f * (x1 as f64 - x0 as f64)).round() as usize;
                        let y = (y0 as f64 + f * (y1 as f64 - y0 as f64)).round() as usize;
                        (y * grid.width() + x) as u32
                    })
                    .collect();
                assert_eq!(route, &want, "crossing {c}, sector {k}");
            }
        }
    }

    #[test]
    fn round_to_index_is_round_as_usize() {
        let mut v = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.49999999999999994,
            -0.3,
            -0.5,
            -0.7,
            -2.5,
            4503599627370495.5,
            9007199254740993.0,
            18446744073709549568.0,
            18446744073709551616.0,
            1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
        ];
        // Route samples: x0 + f·(x1 − x0) over a range of routes.
        for (a, b) in [(0usize, 159usize), (55, 3), (7, 8), (100, 0)] {
            let steps = a.abs_diff(b).max(1);
            for k in 0..=steps {
                let f = k as f64 / steps as f64;
                v.push(a as f64 + f * (b as f64 - a as f64));
            }
        }
        for x in v {
            assert_eq!(round_to_index(x), x.round() as usize, "{x:e}");
        }
    }

    #[test]
    fn control_counts_units_against_fighter_agents() {
        let mut s = gaza(&[], 120);
        s.rules.config.humanitarian.control_units_per_fighter = 0.0;
        update_control(&mut s);
        assert!(s.sectors.iter().all(|k| k.controlled));
        s.rules.config.humanitarian.control_units_per_fighter = 1e6;
        update_control(&mut s);
        // Only a sector with no fighter agent (or handed over) stays
        // controlled against an impossible ratio.
        for (k, sector) in s.sectors.iter().enumerate() {
            let fighters = (0..s.civilians.len())
                .filter(|&i| {
                    s.civilians.status[i] == Status::Recruited
                        && s.map.sector_of(s.civilians.cell[i]) == k
                })
                .count();
            assert_eq!(
                sector.controlled,
                fighters == 0 || sector.handed_over.is_some(),
                "sector {k}"
            );
        }
    }

    #[test]
    fn unarmed_observers_hold_no_ground() {
        // Against a tiny ratio any security unit controls its sector; with
        // observers only (no police), a sector with fighters stays
        // contested however many observers stand in it (T04).
        let mut s = gaza(
            &[
                "mission.mandate.armed=false",
                "mission.police.initial_officers=0",
                "mission.mandate.police_training_per_day=0",
            ],
            120,
        );
        s.rules.config.humanitarian.control_units_per_fighter = 1e-9;
        update_control(&mut s);
        let mut contested_with_observers = 0;
        for (k, sector) in s.sectors.iter().enumerate() {
            let fighters = (0..s.civilians.len()).any(|i| {
                s.civilians.status[i] == Status::Recruited
                    && s.map.sector_of(s.civilians.cell[i]) == k
            });
            let observers = (0..s.units.len())
                .any(|u| s.units.on_duty[u] && s.map.sector_of(s.units.cell[u]) == k);
            if fighters && observers && sector.handed_over.is_none() {
                assert!(!sector.controlled, "sector {k}");
                contested_with_observers += 1;
            }
        }
        assert!(contested_with_observers > 0);
    }

    #[test]
    fn services_are_restored_only_in_the_sectors_served() {
        for (which, served) in [("controlled", true), ("contested", false)] {
            let set = format!("mission.mandate.service_sectors={which}");
            let mut s = gaza(&[&set, "mission.humanitarian.project_attack_rate=0"], 100);
            for _ in 0..20 {
                s.step();
                for sector in &s.sectors {
                    let rose = sector.services > sector.services_before;
                    // A sector not served never rises; one served below
                    // full always does.
                    assert_eq!(
                        rose,
                        sector.controlled == served && sector.services_before < 1.0
                    );
                }
            }
        }
    }

    /// Attacks on projects over days 60-160 of the Gaza baseline.
    fn project_attacks(overrides: &[&str]) -> u32 {
        let mut s = gaza(overrides, 60);
        let mut n = 0;
        for _ in 0..100 {
            s.step();
            n += s.today.attacks_on_projects;
        }
        n
    }

    #[test]
    fn projects_draw_attacks_in_contested_sectors_only() {
        let contested = project_attacks(&[
            "mission.mandate.service_sectors=contested",
            "mission.mandate.service_rate=0.02",
        ]);
        assert!(contested > 10, "{contested} attacks on projects");
        let controlled = project_attacks(&[
            "mission.mandate.service_sectors=controlled",
            "mission.mandate.service_rate=0.02",
        ]);
        assert_eq!(controlled, 0);
        let off = project_attacks(&[
            "mission.mandate.service_sectors=contested",
            "mission.mandate.service_rate=0.02",
            "mission.humanitarian.project_attack_rate=0",
        ]);
        assert_eq!(off, 0);
    }
}
