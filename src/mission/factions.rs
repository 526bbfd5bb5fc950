//! Factions: faction-level arms, commitment and pressure (once a day), and
//! fighters' turns: hand in weapons under a voluntary programme, attack
//! mission units or civilians, move.

use rand::RngExt;

use super::draw::{chance, poisson};
use super::harm::nth_civilian;
use super::qrf::{Incident, resolve_incident};
use super::state::{Factions, MissionState, Perpetrator, Rules, Status, UnitKind, flag};
use super::units::{unit_acceptability, unit_capability};
use super::war::{heavy_tailed, tempo_attack_probability};
use crate::scenario::Disarmament;
use crate::world::{Cell, CellIndex, EmptiesByRow};

impl MissionState {
    /// Share of faction `f`'s fighters who hold a weapon.
    fn armed_share(&self, f: usize) -> f64 {
        let fighters = self.factions.state[f].fighters;
        if fighters <= 0.0 {
            return 0.0;
        }
        (self.factions.state[f].arms / fighters).clamp(0.0, 1.0)
    }
}

/// Phase 10: smuggling (border control counts once the mission is there),
/// coercive pressure decays, commitment relaxes towards its target (lower
/// by `war.commitment_drop` for a party at war).
pub fn update_factions(factions: &mut Factions, rules: &Rules, t: u32) {
    let m = &rules.config.mandate;
    let fp = &rules.config.fighters;
    let control = if rules.mission_started(t) {
        m.border_control
    } else {
        0.0
    };
    for f in 0..factions.len() {
        let cfg = &rules.config.factions[f];
        let st = &mut factions.state[f];
        st.arms += cfg.smuggling_per_day * (1.0 - control);
        st.pressure *= 1.0 - rules.derived.pressure_rate;
        let target = cfg.commitment
            + fp.horizon_commitment_gain * (m.political_horizon - 0.5)
            + fp.sponsor_commitment_gain * (m.sponsor_pressure - 0.5)
            - fp.pressure_commitment_loss * st.pressure
            - if st.at_war {
                rules.config.war.commitment_drop
            } else {
                0.0
            };
        st.commitment += rules.derived.commitment_rate * (target.clamp(0.0, 1.0) - st.commitment);
    }
}

/// A fighter agent's turn.
pub fn fighter_step(s: &mut MissionState, id: u32) {
    let i = id as usize;
    let f = s.civilians.faction[i] as usize;
    if maybe_hand_in(s, id, f) {
        return;
    }
    let cell = s.civilians.cell[i];
    let mut rows = EmptiesByRow::default();
    let seen = s
        .map
        .unit_view
        .count_mission_rows(&s.map.grid, cell, &mut rows);
    let attacked = maybe_attack(s, id, f, seen.units, seen.civilians);
    if s.civilians.status[i] != Status::Recruited {
        return;
    }
    // Without an attack nothing on the grid changed since the count (the
    // attack draw failed before anyone was harmed or moved), so its empty
    // cells and row counts still hold: the move draws from them, the same
    // number from the same stream and the same cell as a fresh count and
    // scan would give. After an attack the grid may have changed: count
    // again and scan the live grid.
    let to = if attacked {
        let cell = s.civilians.cell[i];
        let empties = s.map.unit_view.count_mission(&s.map.grid, cell).empties;
        s.map
            .unit_view
            .random_empty(&s.map.grid, &mut s.rng.fighters, cell, empties)
    } else {
        s.map.unit_view.random_empty_by_rows(
            &s.map.grid,
            &mut s.rng.fighters,
            cell,
            seen.empties,
            &rows,
        )
    };
    if let Some(to) = to {
        s.move_agent(id, to);
    }
}

/// Voluntary disarmament: with amnesty and reintegration on offer, a fighter
/// agent hands in its weapons with a probability that rises with the
/// incentives, the faction's commitment and the agent's trust, and falls
/// with the faction's cohesion. Nobody hands in weapons while the faction
/// is at war.
fn maybe_hand_in(s: &mut MissionState, id: u32, f: usize) -> bool {
    let m = &s.rules.config.mandate;
    if m.disarmament != Disarmament::Voluntary
        || !s.mission_started(s.tick + 1)
        || s.factions.state[f].at_war
    {
        return false;
    }
    let i = id as usize;
    let trust = f64::from(s.civilians.trust[i]);
    let st = &s.factions.state[f];
    let cohesion = s.rules.config.factions[f].cohesion;
    let p = s.rules.config.fighters.ddr_rate
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
/// by the units in view (deterrence) and by monitoring: a base rate (times
/// `war.attack_multiplier` at war) plus its faction's tempo (`war.rs`). It
/// targets a unit in view (more often the more coercive pressure its
/// faction feels; if the unit's acceptability does not hold it back) or
/// civilians, with heavy-tailed deaths. Police and unarmed observers do
/// not fight it out: most often they withdraw, and the attack falls on
/// civilians instead.
///
/// Returns whether the attack draw succeeded; when it did not, nothing but
/// the fighters' random stream was touched (no state, no grid cell).
fn maybe_attack(s: &mut MissionState, id: u32, f: usize, units: u32, civilians: u32) -> bool {
    let w = &s.rules.config.war;
    let at_war = s.factions.state[f].at_war;
    let war_rate = if at_war { w.attack_multiplier } else { 1.0 };
    let severity = if at_war { w.severity_multiplier } else { 1.0 };
    let tempo = tempo_attack_probability(s, f);
    let fp = &s.rules.config.fighters;
    let m = &s.rules.config.mandate;
    let military =
        1.0 + s.rules.config.forces.military_deterrence_bonus * (1.0 - m.community_policing);
    // Armed units (contingents, PMCs) deter every attack; unarmed observers
    // little; local police only attacks on civilians, below (the HKS
    // asymmetry: police cut civilian killings, not battle deaths).
    let at = s.civilians.cell[id as usize];
    let mut seen = units_by_kind(s, at, units);
    let deterrers = seen.armed + fp.observer_deterrence * seen.observers;
    // exp(±0) is exactly 1: no call when no unit deters (most fighters).
    let x = -fp.deterrence_per_unit * military * deterrers;
    let deterrence = if x == 0.0 { 1.0 } else { x.exp() };
    // Monitoring in effect (M3.3a): 0 before the mission, scaled by the
    // personnel on duty. A report deters only as far as a response can
    // follow it: unarmed observers' monitoring deters as little as their
    // presence does (HKS 2013: observers do not lower civilian killings).
    let credible = if m.armed { 1.0 } else { fp.observer_deterrence };
    let monitoring = 1.0 - fp.monitoring_deterrence * credible * s.forces.monitoring;
    let base = fp.attack_rate
        * war_rate
        * s.rules.config.factions[f].aggression
        * (1.0 - s.factions.state[f].commitment);
    let ordinary = (base + tempo) * s.armed_share(f) * deterrence * monitoring;
    // Revenge (M2.4a): harm blamed on the mission in this sector brings
    // attacks on its units, which their presence does not deter (Condra &
    // Shapiro 2012; Condra et al. 2010). The revenge is local to the
    // sector, not to the fighter's view: it seeks a unit out.
    let revenge = revenge_attack_probability(s, at) * s.armed_share(f);
    // Reprisals (M2.4c): armed groups kill those who side with the other
    // camp where control is contested (Kalyvas 2006), so local partners
    // cost lives where the mission does not hold the sector and inform it
    // where it does (M2.4b, M3.1c).
    let exposed = 1.0 - s.sectors[s.sector_of(at)].control;
    let reprisal = if exposed > 0.0 {
        fp.partner_reprisal * m.local_ownership * exposed * base * s.armed_share(f) * monitoring
    } else {
        0.0
    };
    let p = ordinary + revenge + reprisal;
    if !chance(&mut s.rng.fighters, p) {
        return false;
    }
    // Every attack raises the faction's tempo (self-excitation).
    s.factions.state[f].tempo += 1.0;
    let avenging = revenge > 0.0 && s.rng.fighters.random::<f64>() * p < revenge;
    // A reprisal falls on civilians in view, whatever else is there.
    let reprising =
        !avenging && reprisal > 0.0 && s.rng.fighters.random::<f64>() * (p - revenge) < reprisal;
    if reprising {
        if civilians > 0 {
            attack_civilians(s, id, f, &seen, civilians, severity);
        }
        return true;
    }
    if avenging && units == 0 {
        if let Some(unit) = unit_in_sector(s, at) {
            attack_unit(s, id, f, unit, severity);
        }
        return true;
    }
    // Raids and strikes turn a faction against the mission (T13).
    let pressed = (w.pressure_targeting * s.factions.state[f].pressure).min(1.0);
    let share = fp.mission_target_share + (1.0 - fp.mission_target_share) * pressed;
    let aim_at_unit = units > 0 && (avenging || s.rng.fighters.random::<f64>() < share);
    if aim_at_unit {
        // Fighters go for the mission's combat units (contingents, PMCs);
        // police and unarmed observers only when none is in view, so that
        // police in view do not draw fire away from the troops.
        let Some(unit) = target_unit(s, at, units, seen.armed > 0.0) else {
            return true;
        };
        match evades(s, unit) {
            // The unit withdraws rather than fight (no exchange of fire,
            // so no battle deaths): it no longer protects the civilians
            // here, on whom the attack falls instead.
            Some(kind) => {
                if kind == UnitKind::Police {
                    seen.police -= 1.0;
                    seen.responders -= 1;
                }
            }
            None => {
                let acceptability = unit_acceptability(&s.units, &s.rules.config, unit);
                let spared = s.rules.config.fighters.acceptability_effect * acceptability;
                if !chance(&mut s.rng.fighters, spared) {
                    attack_unit(s, id, f, unit, severity);
                }
                return true;
            }
        }
    }
    if civilians > 0 {
        attack_civilians(s, id, f, &seen, civilians, severity);
    }
    true
}

/// Fighter agent `id` resists a search raid by unit `unit` (M3.1b): an
/// attack on it, if the agent holds a weapon (its faction's armed share)
/// and is still a fighter. Not deterred and not held back by the unit's
/// acceptability: the raid came to it.
pub fn resist_raid(s: &mut MissionState, id: u32, unit: usize) {
    let i = id as usize;
    if s.civilians.status[i] != Status::Recruited {
        return;
    }
    let f = s.civilians.faction[i] as usize;
    let armed = s.armed_share(f);
    if !chance(&mut s.rng.fighters, armed) {
        return;
    }
    let severity = if s.factions.state[f].at_war {
        s.rules.config.war.severity_multiplier
    } else {
        1.0
    };
    s.factions.state[f].tempo += 1.0;
    attack_unit(s, id, f, unit, severity);
}

/// A combat unit on duty in the sector of `at`, drawn uniformly, sought
/// out by an avenging fighter with none in view (M2.4a); `None` if the
/// sector has none.
fn unit_in_sector(s: &mut MissionState, at: CellIndex) -> Option<usize> {
    let k = s.sector_of(at);
    let target = |s: &MissionState, u: usize| {
        s.units.on_duty[u]
            && s.units.sector[u] as usize == k
            && match s.units.kind[u] {
                UnitKind::Pmc => true,
                UnitKind::Contingent => s.rules.config.mandate.armed,
                UnitKind::Police => false,
            }
    };
    let count = (0..s.units.len()).filter(|&u| target(s, u)).count();
    if count == 0 {
        return None;
    }
    let n = s.rng.fighters.random_range(0..count);
    (0..s.units.len()).filter(|&u| target(s, u)).nth(n)
}

/// Extra daily probability that a fighter agent at `at` attacks the
/// mission in revenge: its sector's revenge (attacks owed) × its daily
/// decay, shared over the sector's fighter agents, so that one blamed
/// death brings `revenge_per_death` attacks over its memory (an arrest's
/// death equivalent `revenge_attacks`) wherever the sector has fighters
/// and combat units.
fn revenge_attack_probability(s: &MissionState, at: CellIndex) -> f64 {
    let sector = &s.sectors[s.sector_of(at)];
    (s.rules.derived.revenge_rate * sector.revenge / sector.fighter_agents.max(1.0)).min(1.0)
}

/// A uniformly drawn unit among the `units` in view of `at`: among the
/// armed ones (contingents under an armed mandate, PMCs) if `armed`, else
/// among all.
fn target_unit(s: &mut MissionState, at: CellIndex, units: u32, armed: bool) -> Option<usize> {
    let unit_at = |s: &MissionState, n: u32| {
        let cell = s.map.unit_view.nth(&s.map.grid, at, Cell::Cop, n)?;
        Some(s.map.grid.occupant(cell) as usize)
    };
    if !armed {
        let n = s.rng.fighters.random_range(0..units);
        return unit_at(s, n);
    }
    let combat = |s: &MissionState, u: usize| match s.units.kind[u] {
        UnitKind::Pmc => true,
        UnitKind::Contingent => s.rules.config.mandate.armed,
        UnitKind::Police => false,
    };
    let count = (0..units)
        .filter(|&n| unit_at(s, n).is_some_and(|u| combat(s, u)))
        .count() as u32;
    if count == 0 {
        return None;
    }
    let k = s.rng.fighters.random_range(0..count);
    (0..units)
        .filter_map(|n| unit_at(s, n))
        .filter(|&u| combat(s, u))
        .nth(k as usize)
}

/// Whether unit `unit`, attacked, withdraws rather than fight: local police
/// (`police_evasion`) and unarmed observers (`observer_evasion`) are not
/// combat units and mostly avoid fights with armed groups, which is why
/// police and observers do not change battle deaths (HKS 2014). Returns
/// the unit's kind if it withdraws (a PMC's kind never).
fn evades(s: &mut MissionState, unit: usize) -> Option<UnitKind> {
    let fp = &s.rules.config.fighters;
    let kind = s.units.kind[unit];
    let p = match kind {
        UnitKind::Police => fp.police_evasion,
        UnitKind::Contingent if !s.rules.config.mandate.armed => fp.observer_evasion,
        UnitKind::Contingent | UnitKind::Pmc => return None,
    };
    chance(&mut s.rng.fighters, p).then_some(kind)
}

/// An attack on civilians in view, unless the police in view call it off
/// or the armed units in view forestall it on local partners' warning:
/// heavy-tailed deaths in one group, then the incident runs, answered by
/// the armed units and police in view.
fn attack_civilians(
    s: &mut MissionState,
    id: u32,
    f: usize,
    seen: &UnitsInView,
    civilians: u32,
    severity: f64,
) {
    let fp = &s.rules.config.fighters;
    // Local partners who own the process warn the armed units in view of
    // the attack, who forestall it (M2.4b): troops without partners, or
    // partners without troops, do not (Biddle, Friedman & Shapiro 2012).
    let warned = fp.partner_warning * s.rules.config.mandate.local_ownership * seen.armed;
    let shield = fp.police_protection * seen.police + warned;
    let protection = 1.0 - (-fp.deterrence_per_unit * shield).exp();
    if (seen.police > 0.0 || warned > 0.0) && chance(&mut s.rng.fighters, protection) {
        return;
    }
    let at = s.civilians.cell[id as usize];
    let victim = nth_civilian(
        &s.map.grid,
        &s.map.unit_view,
        &mut s.rng.fighters,
        at,
        civilians,
    );
    let Some(victim) = victim else { return };
    let mean = s.rules.config.fighters.civilian_deaths_per_attack * severity;
    let deaths = heavy_tailed(&mut s.rng.fighters, mean, s.rules.config.war.death_tail);
    // The killing goes on after the onset until someone stops it: the
    // ongoing share is left to the incident's course (M2.5).
    let ongoing = (f64::from(deaths) * s.rules.config.fighters.ongoing_share).floor() as u32;
    let onset = s.kill(victim, deaths - ongoing, Perpetrator::Faction(f as u8));
    resolve_incident(
        s,
        Incident {
            attacker: id,
            faction: f,
            cell: at,
            units_near: seen.responders,
            severity: f64::from(deaths - ongoing),
            deaths: onset,
            ongoing,
        },
    );
}

/// Units in a fighter's view, by how they act on attacks.
struct UnitsInView {
    /// Armed contingents and PMCs.
    armed: f64,
    /// Contingents under an unarmed (observer) mandate.
    observers: f64,
    /// Local police units.
    police: f64,
    /// Units that answer an incident in view: all but unarmed observers,
    /// who report rather than intervene.
    responders: u32,
}

/// The `units` security units in view of `at`, by kind.
fn units_by_kind(s: &MissionState, at: CellIndex, units: u32) -> UnitsInView {
    let mut seen = UnitsInView {
        armed: 0.0,
        observers: 0.0,
        police: 0.0,
        responders: 0,
    };
    for n in 0..units {
        let Some(cell) = s.map.unit_view.nth(&s.map.grid, at, Cell::Cop, n) else {
            continue;
        };
        match s.units.kind[s.map.grid.occupant(cell) as usize] {
            UnitKind::Police => seen.police += 1.0,
            UnitKind::Contingent if !s.rules.config.mandate.armed => {
                seen.observers += 1.0;
                continue;
            }
            UnitKind::Contingent | UnitKind::Pmc => seen.armed += 1.0,
        }
        seen.responders += 1;
    }
    seen
}

/// An attack on unit `unit`: mission deaths (fewer for a capable unit) and
/// bystanders killed (heavy-tailed, times `severity` at war), return fire
/// on the attackers, then the incident runs.
fn attack_unit(s: &mut MissionState, id: u32, f: usize, unit: usize, severity: f64) {
    let fp = s.rules.config.fighters.clone();
    let tail = s.rules.config.war.death_tail;
    let capability = unit_capability(&s.units, &s.rules.config, s.tick, unit).max(0.05);
    s.today.attacks_on_mission += 1;
    let mission_deaths = heavy_tailed(
        &mut s.rng.fighters,
        severity * fp.mission_deaths_per_attack / capability,
        tail,
    );
    s.today.mission_deaths += f64::from(mission_deaths);
    if s.units.kind[unit] == UnitKind::Contingent {
        let c = s.units.owner[unit] as usize;
        s.forces.contributors[c].deaths += f64::from(mission_deaths);
        s.forces.contributors[c].recent_deaths += f64::from(mission_deaths);
    }
    let at = s.civilians.cell[id as usize];
    let bystanders = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
    let collateral = heavy_tailed(
        &mut s.rng.fighters,
        severity * fp.collateral_deaths_per_attack,
        tail,
    );
    let mut severity = f64::from(mission_deaths);
    let mut killed = 0.0;
    if let Some(v) = nth_civilian(
        &s.map.grid,
        &s.map.unit_view,
        &mut s.rng.fighters,
        at,
        bystanders,
    ) {
        killed = s.kill(v, collateral, Perpetrator::Faction(f as u8));
        severity += killed;
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
            deaths: killed,
            ongoing: 0,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::*;

    /// The fighter's turn as it was before the count was kept: counted
    /// again after the attack draw, the move drawn by scanning the live
    /// grid. Returns whether an attack left a different number of empty
    /// cells around the fighter (where the count before it would be stale).
    fn fighter_step_recounting(s: &mut MissionState, id: u32) -> bool {
        let i = id as usize;
        let f = s.civilians.faction[i] as usize;
        if maybe_hand_in(s, id, f) {
            return false;
        }
        let cell = s.civilians.cell[i];
        let seen = s.map.unit_view.count_mission(&s.map.grid, cell);
        maybe_attack(s, id, f, seen.units, seen.civilians);
        if s.civilians.status[i] != Status::Recruited {
            return false;
        }
        let cell = s.civilians.cell[i];
        let empties = s.map.unit_view.count_mission(&s.map.grid, cell).empties;
        if let Some(to) =
            s.map
                .unit_view
                .random_empty(&s.map.grid, &mut s.rng.fighters, cell, empties)
        {
            s.move_agent(id, to);
        }
        empties != seen.empties
    }

    #[test]
    fn fighters_turns_match_the_recounting_turn() {
        // Every fighter's turn, in agent order, on days of the baseline
        // before and after the mission arrives, with attacks so likely that
        // most turns attack (killing, harming, returning fire), and with
        // attacks so deadly that they wipe out the groups they hit, emptying
        // cells around the fighter (the count before the attack is then
        // stale, and the move must count again): the whole state and every
        // random stream the same, to the bit.
        let wipe_out = [
            "mission.fighters.attack_rate=0.6",
            "mission.fighters.civilian_deaths_per_attack=5000",
        ];
        let cases: [(u32, &[&str]); 4] = [
            (40, &[]),
            (150, &[]),
            (60, &["mission.fighters.attack_rate=0.6"]),
            (3, &wipe_out),
        ];
        // The deterrence's shortcut: exp(±0) is exactly 1.
        assert_eq!(0.0f64.exp().to_bits(), 1.0f64.to_bits());
        assert_eq!((-0.0f64).exp().to_bits(), 1.0f64.to_bits());
        for (day, overrides) in cases {
            let mut kept = gaza(overrides, day);
            let mut recounting = kept.clone();
            let tempo = |s: &MissionState| s.factions.state.iter().map(|f| f.tempo).sum::<f64>();
            let before = tempo(&kept);
            let (mut turns, mut stale) = (0, 0);
            for id in 0..kept.civilians.len() as u32 {
                let fighter =
                    |s: &MissionState| s.civilians.status[id as usize] == Status::Recruited;
                assert_eq!(fighter(&kept), fighter(&recounting));
                if fighter(&kept) {
                    turns += 1;
                    fighter_step(&mut kept, id);
                    stale += usize::from(fighter_step_recounting(&mut recounting, id));
                }
            }
            let attacks = tempo(&kept) - before;
            assert!(turns > 50, "{turns} fighters' turns on day {day}");
            assert!(attacks >= 1.0, "no attack on day {day} {overrides:?}");
            if overrides == wipe_out {
                assert!(stale > 10, "{stale} attacks emptied cells in view");
            }
            assert!(
                kept.rng.fighters == recounting.rng.fighters,
                "random streams differ on day {day}"
            );
            // (`assert!`, not `assert_eq!`: the states are too long to print.)
            assert!(
                format!("{kept:?}") == format!("{recounting:?}"),
                "states differ on day {day} {overrides:?}"
            );
        }
    }

    /// Mission deaths over 150 days on Gaza with police only (no troops,
    /// no PMCs).
    fn police_losses(evasion: &str) -> f64 {
        let mut s = gaza(
            &[
                "mission.mandate.force_scale=0",
                "mission.mandate.pmc_units=0",
                "mission.police.initial_officers=6000",
                &format!("mission.fighters.police_evasion={evasion}"),
            ],
            0,
        );
        let mut deaths = 0.0;
        for _ in 0..150 {
            s.step();
            deaths += s.today.mission_deaths;
        }
        deaths
    }

    #[test]
    fn civilian_harm_blamed_on_the_mission_calls_for_revenge() {
        let mut s = gaza(&[], 0);
        let (victim, cell) = (0..s.civilians.len())
            .filter(|&i| {
                s.civilians.status[i] == Status::Quiescent && s.civilians.members[i] > 10.0
            })
            .map(|i| (i as u32, s.civilians.cell[i]))
            .next()
            .expect("a civilian group");
        let k = s.sector_of(cell);
        s.sectors[k].fighter_agents = 10.0;
        assert_eq!(revenge_attack_probability(&s, cell), 0.0);
        // A death by a faction calls for no revenge on the mission ...
        s.kill(victim, 1, Perpetrator::Faction(0));
        assert_eq!(s.sectors[k].revenge, 0.0);
        // ... two by the mission's troops do, spread over the sector's fighters.
        s.kill(victim, 2, Perpetrator::Mission);
        let owed = 2.0 * s.rules.config.fighters.revenge_per_death;
        assert_eq!(s.sectors[k].revenge, owed);
        let expected = s.rules.derived.revenge_rate * owed / 10.0;
        assert!((revenge_attack_probability(&s, cell) - expected).abs() < 1e-12);
    }

    #[test]
    fn armed_holdouts_fight_a_search_raid() {
        let mut s = gaza(&["mission.mandate.disarmament=forced"], 60);
        let id = s.factions.fighter_ids[0];
        let f = s.civilians.faction[id as usize] as usize;
        let unit = (0..s.units.len())
            .find(|&u| s.units.on_duty[u] && s.units.kind[u] == UnitKind::Contingent)
            .expect("a contingent on duty");
        let before = s.today.attacks_on_mission;
        // Unarmed fighters cannot resist ...
        s.factions.state[f].arms = 0.0;
        resist_raid(&mut s, id, unit);
        assert_eq!(s.today.attacks_on_mission, before);
        // ... armed ones attack the raiding unit.
        s.factions.state[f].arms = 2.0 * s.factions.state[f].fighters;
        resist_raid(&mut s, id, unit);
        assert_eq!(s.today.attacks_on_mission, before + 1);
    }

    #[test]
    fn a_blamed_arrest_owes_fewer_attacks_than_a_blamed_death() {
        let mut s = gaza(&[], 0);
        let cell = s.civilians.cell[0];
        let k = s.sector_of(cell);
        s.record_coercion(cell, 1.0, Perpetrator::Mission);
        let fp = &s.rules.config.fighters;
        assert_eq!(s.sectors[k].revenge, fp.revenge_attacks);
        assert!(fp.revenge_attacks < fp.revenge_per_death);
    }

    /// Incidents from 40 attacks on civilians by a fighter with `armed`
    /// armed units (and nothing else) in view, at local ownership
    /// `ownership`, on day 5 (no QRF yet, no responders: nobody catches it).
    fn attacks_that_happen(ownership: &str, armed: f64) -> u32 {
        let mut s = gaza(
            &[
                &format!("mission.mandate.local_ownership={ownership}"),
                "mission.fighters.partner_warning=100",
            ],
            5,
        );
        let (id, civilians) = (0..s.civilians.len() as u32)
            .filter(|&id| s.civilians.status[id as usize] == Status::Recruited)
            .map(|id| {
                let cell = s.civilians.cell[id as usize];
                (
                    id,
                    s.map.unit_view.count_mission(&s.map.grid, cell).civilians,
                )
            })
            .find(|&(_, civilians)| civilians > 0)
            .expect("a fighter with civilians in view");
        let f = s.civilians.faction[id as usize] as usize;
        let seen = UnitsInView {
            armed,
            observers: 0.0,
            police: 0.0,
            responders: 0,
        };
        let before = s.today.incidents;
        for _ in 0..40 {
            attack_civilians(&mut s, id, f, &seen, civilians, 1.0);
        }
        s.today.incidents - before
    }

    #[test]
    fn partners_warn_troops_in_view_of_attacks_on_civilians() {
        // Troops with partners who own the process forestall the attack ...
        assert_eq!(attacks_that_happen("1", 2.0), 0);
        // ... troops without partners do not, nor partners without troops.
        assert_eq!(attacks_that_happen("0", 2.0), 40);
        assert_eq!(attacks_that_happen("1", 0.0), 40);
    }

    /// Attacks in 300 turns of a fighter with civilians and no unit in view
    /// on day 5 (the same state each time), at local ownership `ownership`
    /// from then on, with every sector held to the share `control`.
    fn reprisal_attacks(ownership: f64, control: f64) -> u32 {
        let mut s = gaza(&["mission.fighters.partner_reprisal=20"], 5);
        s.rules.config.mandate.local_ownership = ownership;
        for sector in &mut s.sectors {
            sector.control = control;
        }
        let (id, civilians) = (0..s.civilians.len() as u32)
            .filter(|&id| s.civilians.status[id as usize] == Status::Recruited)
            .map(|id| {
                let cell = s.civilians.cell[id as usize];
                let seen = s.map.unit_view.count_mission(&s.map.grid, cell);
                (id, seen.units, seen.civilians)
            })
            .find(|&(_, units, civilians)| units == 0 && civilians > 0)
            .map(|(id, _, civilians)| (id, civilians))
            .expect("a fighter with civilians and no unit in view");
        let f = s.civilians.faction[id as usize] as usize;
        (0..300)
            .filter(|_| maybe_attack(&mut s, id, f, 0, civilians))
            .count() as u32
    }

    #[test]
    fn exposed_partners_draw_reprisals_where_the_mission_does_not_hold_the_ground() {
        // In a contested sector, partners who own the process are targets ...
        let (none, full) = (reprisal_attacks(0.0, 0.0), reprisal_attacks(1.0, 0.0));
        assert!(full > none + 20, "{none} -> {full}");
        // ... partly held, fewer ...
        let half = reprisal_attacks(1.0, 0.5);
        assert!(none < half && half < full, "{none} < {half} < {full}");
        // ... and where the mission holds the sector, none: the same draws.
        assert_eq!(reprisal_attacks(1.0, 1.0), reprisal_attacks(0.0, 1.0));
    }

    #[test]
    fn police_withdraw_rather_than_fight() {
        // Police who stand and fight take losses ...
        assert!(police_losses("0") > 0.0);
        // ... police who always withdraw take none: no fire is exchanged.
        assert_eq!(police_losses("1"), 0.0);
    }

    #[test]
    fn unarmed_observers_are_no_responders() {
        let in_view = |armed: &str| {
            let s = gaza(
                &[
                    &format!("mission.mandate.armed={armed}"),
                    "mission.mandate.pmc_units=0",
                    "mission.police.initial_officers=0",
                    "mission.mandate.police_training_per_day=0",
                    "mission.forces.withdrawal_rate=0",
                ],
                120,
            );
            // A civilian agent with units in view.
            let (at, units) = (0..s.civilians.len())
                .filter(|&i| s.civilians.status[i] != Status::Dead)
                .map(|i| {
                    let at = s.civilians.cell[i];
                    (at, s.map.unit_view.count_mission(&s.map.grid, at).units)
                })
                .find(|&(_, units)| units > 0)
                .expect("a civilian with units in view");
            let seen = units_by_kind(&s, at, units);
            (units, seen.observers, seen.responders)
        };
        let (units, observers, responders) = in_view("true");
        assert!(units > 0);
        assert_eq!((observers, responders), (0.0, units));
        let (units, observers, responders) = in_view("false");
        assert!(units > 0);
        assert_eq!((observers, responders), (f64::from(units), 0));
    }
}
