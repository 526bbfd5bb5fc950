//! World building: one replicate's initial state from a validated
//! scenario. Sectors from the sector map, civilians placed by terrain
//! weights, the factions' initial fighters, distribution points and QRF
//! bases, contributors' planned strength, and the police force that exists
//! at day 0. Every draw comes from the `World` stream, in this order.

use rand::RngExt;

use super::draw::{OpeningTrust, rate_from_half_life};
use super::field::Layer;
use super::humanitarian::{convoy_routes, count_sector_people};
use super::police::deploy_trained;
use super::state::{
    Civilians, ContributorState, Derived, External, FactionState, Factions, Forces, Layers, Map,
    MissionState, NO_FACTION, Police, Rules, SectorState, Status, Streams, Tally, Totals, Units,
    War, Witnesses, flag,
};
use crate::rng::{SimRng, Stream, stream};
use crate::scenario::MAX_MISSION_RADIUS;
use crate::scenario::{MissionConfig, Scenario, SectorMap, Terrain, TerrainMap};
use crate::world::{Cell, CellIndex, Grid, NO_CELL, Neighbourhood};

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
            witness_cells: cells(config.civilians.witness_radius_km),
            contagion_cells: cells(config.civilians.contagion_radius_km),
            association,
            trust_rate: rate_from_half_life(config.civilians.trust_half_life_days),
            sympathy_rate: rate_from_half_life(config.civilians.sympathy_half_life_days),
            loss_rate: rate_from_half_life(config.civilians.loss_half_life_days),
            legitimacy_rate: rate_from_half_life(config.legitimacy.half_life_days),
            commitment_rate: rate_from_half_life(config.fighters.commitment_half_life_days),
            pressure_rate: rate_from_half_life(config.fighters.pressure_half_life_days),
            casualty_rate: rate_from_half_life(config.forces.casualty_memory_days),
            association_rate: rate_from_half_life(config.forces.association_memory_days),
            revenge_rate: rate_from_half_life(config.fighters.revenge_half_life_days),
            intel_rate: rate_from_half_life(config.forces.intel_half_life_days),
            threat_rate: rate_from_half_life(config.external.threat_half_life_days),
            coverage_rate: rate_from_half_life(config.humanitarian.coverage_half_life_days),
            initial_arms: config.factions.iter().map(|f| f.arms).sum(),
            qrf_bases: Vec::new(),
        };
        let map = Map {
            civilian_view: Neighbourhood::new(shape, civ_vision, grid.stride()),
            unit_view: Neighbourhood::new(shape, unit_vision, grid.stride()),
            cell_sector: vec![0; w * h],
            crossings: Vec::new(),
            routes: Vec::new(),
            grid,
        };
        let factions = Factions {
            state: config
                .factions
                .iter()
                .map(|f| FactionState {
                    arms: f.arms,
                    commitment: (f.commitment + f.signing_boost).min(1.0),
                    pressure: 0.0,
                    ..FactionState::default()
                })
                .collect(),
            fighter_ids: Vec::new(),
        };
        let police = Police {
            officers: config.police.initial_officers,
        };
        let mut state = Self {
            tick: 0,
            rules: Rules {
                config,
                derived,
                threshold: scenario.citizens.threshold,
                arrest_constant: scenario.citizens.arrest_constant,
                rounding: scenario.rules.arrest_rounding,
                max_jail_term: scenario.cops.max_jail_term,
            },
            map,
            civilians: Civilians::default(),
            legitimacy: scenario.legitimacy.initial,
            factions,
            units: Units::default(),
            forces: Forces {
                contributors: Vec::new(),
                intel: 0.0,
                qrf_sorties: 0,
                association_pressure: 0.0,
                monitoring: 0.0,
                escort_share: 0.0,
                partners: Vec::new(),
                troops_on_duty: 0.0,
            },
            police,
            external: External {
                threat: 0.0,
                attacks_yesterday: 0,
            },
            war: War::default(),
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
                on_grid: Vec::new(),
                count: layer(),
                count_sum: layer(),
                policing_rows: Vec::new(),
                policing_seen: Vec::new(),
                table_boxes: Vec::new(),
            },
            witnesses: Witnesses::default(),
            today: Tally::default(),
            totals: Totals::default(),
            order: Vec::new(),
            arrest_kept: Vec::new(),
            rng: Streams {
                schedule: stream(seed, replicate, Stream::Schedule),
                civilians: stream(seed, replicate, Stream::Actions),
                fighters: stream(seed, replicate, Stream::Fighters),
                forces: stream(seed, replicate, Stream::Forces),
                counter_terror: stream(seed, replicate, Stream::CounterTerror),
                external: stream(seed, replicate, Stream::External),
                humanitarian: stream(seed, replicate, Stream::Humanitarian),
                war: stream(seed, replicate, Stream::War),
                clashes: stream(seed, replicate, Stream::Clashes),
            },
            incident_map: None,
            detention: Default::default(),
        };
        let mut rng_world = stream(seed, replicate, Stream::World);
        state.build_sectors(terrain, sectors);
        state.place_civilians(scenario, terrain, &mut rng_world);
        state.recruit_initial_fighters(&mut rng_world);
        state.place_depots_and_bases();
        state.map.routes = convoy_routes(&state.map, &state.sectors);
        state.forces.contributors = plan_contributors(&state.rules.config);
        deploy_trained(&mut state, 0);
        count_sector_people(&mut state.sectors, &state.civilians, &state.map);
        state.rebuild_order();
        state
    }

    fn build_sectors(&mut self, terrain: &TerrainMap, sectors: Option<&SectorMap>) {
        let (w, h) = (self.map.grid.width(), self.map.grid.height());
        let mut names: Vec<String> = match sectors {
            Some(map) => map.names.clone(),
            None => vec!["all".to_string()],
        };
        let mut unassigned = false;
        for y in 0..h {
            for x in 0..w {
                let s = sectors.and_then(|m| m.at(x as u32, y as u32));
                let passable = terrain.at(x as u32, y as u32).is_passable();
                self.map.cell_sector[y * w + x] = match s {
                    Some(s) => s,
                    None if sectors.is_none() => 0,
                    None => {
                        unassigned |= passable;
                        u16::MAX
                    }
                };
                if terrain.at(x as u32, y as u32) == Terrain::Crossing {
                    self.map.crossings.push(self.map.grid.index(x, y));
                }
            }
        }
        if unassigned {
            names.push("unassigned".to_string());
        }
        let last = (names.len() - 1) as u16;
        for s in &mut self.map.cell_sector {
            if *s == u16::MAX {
                *s = last;
            }
        }
        let window = self.rules.config.police.handover_window_days as usize;
        let services = self.rules.config.humanitarian.services_initial;
        let coverage = self.rules.config.humanitarian.coverage_initial;
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
        let pop = &self.rules.config.population;
        let weight = |t: Terrain| match t {
            Terrain::Open => pop.weight_open,
            Terrain::Urban => pop.weight_urban,
            Terrain::Rubble => pop.weight_rubble,
            Terrain::Crossing => pop.weight_crossing,
            _ => 0.0,
        };
        let open = self.map.grid.open_cells().to_vec();
        let terrain_at = |grid: &Grid, idx: CellIndex| {
            let (x, y) = grid.coords(idx);
            terrain.at(x as u32, y as u32)
        };
        let mean_weight = open
            .iter()
            .map(|&i| weight(terrain_at(&self.map.grid, i)))
            .sum::<f64>()
            / open.len().max(1) as f64;
        let (hr, rr) = (scenario.citizens.hardship, scenario.citizens.risk_aversion);
        let civ = &self.rules.config.civilians;
        let opening_trust = OpeningTrust::new(civ.trust_initial_mean, civ.trust_initial_sd);
        let mandate = &self.rules.config.mandate;
        for &idx in &open {
            let p = if mean_weight > 0.0 {
                (pop.occupancy * weight(terrain_at(&self.map.grid, idx)) / mean_weight).min(1.0)
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
            let t0 = opening_trust.draw(rng.random::<f64>());
            c.trust.push(t0 as f32);
            c.trust0.push(t0 as f32);
            c.loss.push(0.0);
            c.resentment.push(0.0);
            for f in &self.rules.config.factions {
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
            self.map.grid.set(idx, Cell::Quiet, id);
        }
        let n = self.civilians.len().max(1) as f64;
        self.rules.derived.people_per_agent = pop.total_people / n;
        let people = self.rules.derived.people_per_agent as f32;
        self.civilians.members.fill(people);
    }

    fn recruit_initial_fighters(&mut self, rng: &mut SimRng) {
        let n = self.civilians.len();
        if n == 0 {
            return;
        }
        let unit = self.rules.config.fighters.people_per_unit;
        for f in 0..self.factions.len() {
            let wanted = (self.rules.config.factions[f].fighters / unit).round() as usize;
            let mut placed = 0;
            let mut tries = 0;
            while placed < wanted && tries < 100 * n {
                tries += 1;
                let i = rng.random_range(0..n) as u32;
                if self.civilians.status[i as usize] != Status::Quiescent {
                    continue;
                }
                let at = self.civilians.cell[i as usize];
                let empties = self
                    .map
                    .civilian_view
                    .count_mission(&self.map.grid, at)
                    .empties;
                let to = self
                    .map
                    .civilian_view
                    .random_empty(&self.map.grid, rng, at, empties);
                if let Some(id) = self.split_fighters(i, f as u8, to) {
                    let k = id as usize * self.factions.len() + f;
                    self.civilians.sympathy[k] = self.civilians.sympathy[k].max(0.8);
                    placed += 1;
                }
            }
        }
    }

    /// Distribution points (the sector's cell nearest its people's centroid)
    /// and QRF bases (at the depots of the most populous sectors).
    fn place_depots_and_bases(&mut self) {
        let ns = self.sectors.len();
        let mut sum = vec![(0.0f64, 0.0f64, 0.0f64); ns];
        for &cell in &self.civilians.cell {
            let (x, y) = self.map.grid.coords(cell);
            let s = self.map.cell_sector[self.map.grid.interior(cell)] as usize;
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
                .map
                .grid
                .open_cells()
                .iter()
                .copied()
                .filter(|&c| self.map.cell_sector[self.map.grid.interior(c)] as usize == s)
                .min_by(|&a, &b| {
                    let d = |c: CellIndex| {
                        let (x, y) = self.map.grid.coords(c);
                        (x as f64 - cx).powi(2) + (y as f64 - cy).powi(2)
                    };
                    d(a).total_cmp(&d(b))
                });
            self.sectors[s].depot = best.unwrap_or(NO_CELL);
        }
        let mut by_people: Vec<usize> = (0..ns).filter(|&s| sum[s].2 > 0.0).collect();
        by_people.sort_by(|&a, &b| sum[b].2.total_cmp(&sum[a].2).then(a.cmp(&b)));
        let km = self.rules.config.cell_km;
        let bases = self.rules.config.mandate.qrf_units as usize;
        self.rules.derived.qrf_bases = (0..bases)
            .filter_map(|k| {
                let s = *by_people.get(k % by_people.len().max(1))?;
                let (x, y) = self.map.grid.coords(self.sectors[s].depot);
                Some((x as f64 * km, y as f64 * km))
            })
            .collect();
    }
}

/// Units each contributor brings at full strength.
fn plan_contributors(config: &MissionConfig) -> Vec<ContributorState> {
    config
        .contributors
        .iter()
        .map(|c| ContributorState {
            full_units: (c.troops * config.mandate.force_scale / config.forces.troops_per_unit)
                .round() as u32,
            ..ContributorState::default()
        })
        .collect()
}
