//! Factions: faction-level arms, commitment and pressure (once a day), and
//! fighters' turns: hand in weapons under a voluntary programme, attack
//! mission units or civilians, move.

use rand::RngExt;

use super::draw::{chance, poisson};
use super::qrf::{Incident, resolve_incident};
use super::state::{MissionState, Perpetrator, Status, UnitKind, flag};
use crate::rng::SimRng;
use crate::scenario::Disarmament;
use crate::world::{Cell, CellIndex, Grid, Neighbourhood};

impl MissionState {
    /// Whether faction `f` has a weapon to spare for one more fighter
    /// agent, as a share in [0, 1].
    pub fn arms_available(&self, f: usize) -> f64 {
        let spare = self.faction_state[f].arms - self.faction_state[f].fighters;
        (spare / self.config.fighters.people_per_unit).clamp(0.0, 1.0)
    }

    /// Share of faction `f`'s fighters who hold a weapon.
    fn armed_share(&self, f: usize) -> f64 {
        let fighters = self.faction_state[f].fighters;
        if fighters <= 0.0 {
            return 0.0;
        }
        (self.faction_state[f].arms / fighters).clamp(0.0, 1.0)
    }

    /// Removes up to `weapons` from faction `f` and counts them collected.
    pub fn collect_weapons(&mut self, f: usize, weapons: f64) {
        let taken = weapons.min(self.faction_state[f].arms).max(0.0);
        self.faction_state[f].arms -= taken;
        self.totals.weapons_collected += taken;
    }
}

/// Phase 4: smuggling (border control counts once the mission is there),
/// coercive pressure decays, commitment relaxes towards its target.
pub fn update_factions(s: &mut MissionState, t: u32) {
    count_fighters(s);
    let m = &s.config.mandate;
    let fp = &s.config.fighters;
    let control = if s.mission_started(t) {
        m.border_control
    } else {
        0.0
    };
    for f in 0..s.factions {
        let cfg = &s.config.factions[f];
        let st = &mut s.faction_state[f];
        st.arms += cfg.smuggling_per_day * (1.0 - control);
        st.pressure *= 1.0 - s.derived.pressure_rate;
        let target = cfg.commitment
            + fp.horizon_commitment_gain * (m.political_horizon - 0.5)
            + fp.sponsor_commitment_gain * (m.sponsor_pressure - 0.5)
            - fp.pressure_commitment_loss * st.pressure;
        st.commitment += s.derived.commitment_rate * (target.clamp(0.0, 1.0) - st.commitment);
    }
}

/// Fighters (people) per faction and the list of fighter agents on the grid.
pub fn count_fighters(s: &mut MissionState) {
    for st in &mut s.faction_state {
        st.fighters = 0.0;
    }
    s.fighter_ids.clear();
    for i in 0..s.civilians.len() {
        if s.civilians.status[i] == Status::Recruited {
            let f = s.civilians.faction[i] as usize;
            s.faction_state[f].fighters += f64::from(s.civilians.members[i]);
            s.fighter_ids.push(i as u32);
        }
    }
}

/// Adds one coercive blow (a raid, a CT raid, a strike) to faction `f`'s
/// pressure, spread over its fighter units: the same blow weighs more on a
/// small faction.
pub fn press(s: &mut MissionState, f: usize) {
    let units = (s.faction_state[f].fighters / s.config.fighters.people_per_unit).max(1.0);
    s.faction_state[f].pressure += 1.0 / units;
}

/// A fighter agent's turn.
pub fn fighter_step(s: &mut MissionState, id: u32) {
    let i = id as usize;
    let f = s.civilians.faction[i] as usize;
    if maybe_hand_in(s, id, f) {
        return;
    }
    let cell = s.civilians.cell[i];
    let seen = s.unit_view.count_mission(&s.grid, cell);
    maybe_attack(s, id, f, seen.units, seen.civilians);
    if s.civilians.status[i] != Status::Recruited {
        return;
    }
    let cell = s.civilians.cell[i];
    let empties = s.unit_view.count_mission(&s.grid, cell).empties;
    if let Some(to) = s
        .unit_view
        .random_empty(&s.grid, &mut s.rng.fighters, cell, empties)
    {
        s.move_agent(id, to);
    }
}

/// Voluntary disarmament: with amnesty and reintegration on offer, a fighter
/// agent hands in its weapons with a probability that rises with the
/// incentives, the faction's commitment and the agent's trust, and falls
/// with the faction's cohesion.
fn maybe_hand_in(s: &mut MissionState, id: u32, f: usize) -> bool {
    let m = &s.config.mandate;
    if m.disarmament != Disarmament::Voluntary || !s.mission_started(s.tick + 1) {
        return false;
    }
    let i = id as usize;
    let trust = f64::from(s.civilians.trust[i]);
    let st = &s.faction_state[f];
    let cohesion = s.config.factions[f].cohesion;
    let p = s.config.fighters.ddr_rate
        * m.reintegration
        * (0.5 * st.commitment + 0.5 * trust)
        * (1.0 - 0.5 * cohesion);
    if !chance(&mut s.rng.fighters, p) {
        return false;
    }
    let members = f64::from(s.civilians.members[i]);
    s.collect_weapons(f, members);
    s.totals.reintegrated += members;
    s.civilians.flags[i] |= flag::EX_FIGHTER;
    s.set_status(id, Status::Quiescent);
    true
}

/// An uncommitted, armed fighter agent attacks with a daily probability cut
/// by the units in view (deterrence) and by monitoring. It targets a unit in
/// view (if the unit's acceptability does not hold it back) or civilians.
fn maybe_attack(s: &mut MissionState, id: u32, f: usize, units: u32, civilians: u32) {
    let fp = &s.config.fighters;
    let m = &s.config.mandate;
    let military = 1.0 + s.config.forces.military_deterrence_bonus * (1.0 - m.community_policing);
    let deterrence = (-fp.deterrence_per_unit * military * f64::from(units)).exp();
    let monitoring = if s.mission_started(s.tick + 1) {
        1.0 - fp.monitoring_deterrence * m.monitoring
    } else {
        1.0
    };
    let p = fp.attack_rate
        * s.config.factions[f].aggression
        * (1.0 - s.faction_state[f].commitment)
        * s.armed_share(f)
        * deterrence
        * monitoring;
    if !chance(&mut s.rng.fighters, p) {
        return;
    }
    let at = s.civilians.cell[id as usize];
    let aim_at_unit = units > 0 && s.rng.fighters.random::<f64>() < fp.mission_target_share;
    if aim_at_unit {
        let n = s.rng.fighters.random_range(0..units);
        let Some(cell) = s.unit_view.nth(&s.grid, at, Cell::Cop, n) else {
            return;
        };
        let unit = s.grid.occupant(cell) as usize;
        let acceptability = unit_acceptability(s, unit);
        if chance(
            &mut s.rng.fighters,
            s.config.fighters.acceptability_effect * acceptability,
        ) {
            return;
        }
        attack_unit(s, id, f, unit);
    } else if civilians > 0 {
        let victim = nth_civilian(&s.grid, &s.unit_view, &mut s.rng.fighters, at, civilians);
        let Some(victim) = victim else { return };
        let deaths = poisson(&mut s.rng.fighters, fp.civilian_deaths_per_attack);
        s.kill(victim, deaths, Perpetrator::Faction(f as u8));
        resolve_incident(
            s,
            Incident {
                attacker: id,
                faction: f,
                cell: at,
                units_near: units,
                severity: f64::from(deaths),
            },
        );
    }
}

/// A random civilian (quiescent or active) among the `civilians` in
/// `view` of `at`, drawn from `rng` (the stream of the process asking).
pub fn nth_civilian(
    grid: &Grid,
    view: &Neighbourhood,
    rng: &mut SimRng,
    at: CellIndex,
    civilians: u32,
) -> Option<u32> {
    if civilians == 0 {
        return None;
    }
    let n = rng.random_range(0..civilians);
    // Quiet cells are numbered first, then active ones: a uniform choice
    // over both kinds.
    let seen = view.count_mission(grid, at);
    let quiet = seen.civilians - seen.actives;
    let (kind, k) = if n < quiet {
        (Cell::Quiet, n)
    } else {
        (Cell::Active, n - quiet)
    };
    let cell = view.nth(grid, at, kind, k)?;
    Some(grid.occupant(cell))
}

/// Local acceptability of unit `u`.
pub fn unit_acceptability(s: &MissionState, u: usize) -> f64 {
    match s.units.kind[u] {
        UnitKind::Contingent => s.config.contributors[s.units.owner[u] as usize].acceptability,
        UnitKind::Police => s.config.police.acceptability,
        UnitKind::Pmc => s.config.forces.pmc_acceptability,
    }
}

/// Capability of unit `u` today.
pub fn unit_capability(s: &MissionState, u: usize) -> f64 {
    match s.units.kind[u] {
        UnitKind::Contingent => s.config.contributors[s.units.owner[u] as usize].capability,
        UnitKind::Pmc => 1.0,
        UnitKind::Police => {
            let p = &s.config.police;
            let age = f64::from(s.tick.saturating_sub(s.units.since[u]));
            let grown = 1.0 - 0.5f64.powf(age / p.capability_half_life_days);
            p.capability_initial + (p.capability_max - p.capability_initial) * grown
        }
    }
}

/// An attack on unit `unit`: mission deaths (fewer for a capable unit),
/// return fire on the attackers, bystanders killed, then the incident runs.
fn attack_unit(s: &mut MissionState, id: u32, f: usize, unit: usize) {
    let fp = s.config.fighters.clone();
    let capability = unit_capability(s, unit).max(0.05);
    s.today.attacks_on_mission += 1;
    let mission_deaths = poisson(
        &mut s.rng.fighters,
        fp.mission_deaths_per_attack / capability,
    );
    s.today.mission_deaths += f64::from(mission_deaths);
    if s.units.kind[unit] == UnitKind::Contingent {
        let c = s.units.owner[unit] as usize;
        s.contributor_state[c].deaths += f64::from(mission_deaths);
    }
    let at = s.civilians.cell[id as usize];
    let bystanders = s.unit_view.count_mission(&s.grid, at).civilians;
    let collateral = poisson(&mut s.rng.fighters, fp.collateral_deaths_per_attack);
    let mut severity = f64::from(mission_deaths);
    if let Some(v) = nth_civilian(&s.grid, &s.unit_view, &mut s.rng.fighters, at, bystanders) {
        severity += s.kill(v, collateral, Perpetrator::Faction(f as u8));
    }
    let perp = match s.units.kind[unit] {
        UnitKind::Contingent => Perpetrator::Mission,
        UnitKind::Police => Perpetrator::Police,
        UnitKind::Pmc => Perpetrator::Pmc,
    };
    let return_fire = poisson(&mut s.rng.fighters, fp.return_fire_deaths * capability);
    severity += s.kill(id, return_fire, perp);
    if s.civilians.status[id as usize] != Status::Recruited {
        return;
    }
    resolve_incident(
        s,
        Incident {
            attacker: id,
            faction: f,
            cell: at,
            units_near: 1,
            severity,
        },
    );
}
