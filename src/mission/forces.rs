//! Troop contributors and their contingents (and PMCs): deployment and
//! ramp-up, withdrawal when casualties or association with strikes exceed
//! a contributor's tolerance, exit, and each unit's turn: arrest, detain,
//! raid, community policing, move. (The counter-terror track is apart, in
//! [`super::counter_terror`].)

use rand::RngExt;

use super::detention;
use super::draw::{chance, poisson};
use super::fighters::{detain_fighter, press};
use super::harm::nth_civilian;
use super::state::{MissionState, Perpetrator, UnitKind};
use super::units::{add_unit, recall, unit_capability};
use crate::scenario::{Disarmament, Handover, MissionConfig};
use crate::world::Cell;

/// Share of the force due by day `t` (0 before the delay, 1 after the ramp).
fn ramp(config: &MissionConfig, t: u32) -> f64 {
    let m = &config.mandate;
    if t <= m.deployment_delay_days {
        return 0.0;
    }
    if m.ramp_up_days == 0 {
        return 1.0;
    }
    (f64::from(t - m.deployment_delay_days) / f64::from(m.ramp_up_days)).min(1.0)
}

/// Phase 3: contributors withdraw if their tolerance is exceeded; forces
/// arrive along the ramp; everyone leaves at the exit date.
pub fn deploy_and_withdraw(s: &mut MissionState, t: u32) {
    let mut changed = decide_withdrawals(s, t);
    let exit = s.rules.config.mandate.exit_day;
    let exited = exit > 0 && t >= exit && s.rules.config.mandate.handover != Handover::None;
    if exited {
        changed |= recall(
            &mut s.units,
            &mut s.map.grid,
            |k| k != UnitKind::Police,
            |_| true,
        );
    } else {
        changed |= deploy_contingents(s, t);
        changed |= deploy_pmcs(s, t);
    }
    s.forces.qrf_sorties = if exited || !s.mission_started(t) {
        0
    } else {
        s.rules.config.mandate.qrf_units * s.rules.config.qrf.sorties_per_day
    };
    s.forces.association_pressure *= 1.0 - s.rules.derived.pressure_rate;
    // Intelligence fades unless renewed by tips and monitoring.
    s.forces.intel *= 1.0 - s.rules.derived.intel_rate;
    if s.mission_started(t) {
        let f = &s.rules.config.forces;
        s.forces.intel =
            (s.forces.intel + f.monitoring_intel * s.rules.config.mandate.monitoring).min(1.0);
    }
    if changed {
        s.rebuild_order();
    }
}

fn decide_withdrawals(s: &mut MissionState, t: u32) -> bool {
    let mut changed = false;
    for c in 0..s.forces.contributors.len() {
        let cfg = &s.rules.config.contributors[c];
        let st = &s.forces.contributors[c];
        let leaves = st.withdrawn.is_none()
            && (st.deaths >= cfg.casualty_tolerance
                || s.forces.association_pressure >= cfg.association_tolerance);
        if leaves && st.deployed > 0 {
            s.forces.contributors[c].withdrawn = Some(t);
            s.totals.withdrawals += 1;
            let owner = c as u16;
            changed |= recall(
                &mut s.units,
                &mut s.map.grid,
                |k| k == UnitKind::Contingent,
                |(units, u)| units.owner[u] == owner,
            );
        }
    }
    changed
}

fn deploy_contingents(s: &mut MissionState, t: u32) -> bool {
    let share = ramp(&s.rules.config, t);
    let mut changed = false;
    for c in 0..s.forces.contributors.len() {
        let st = &s.forces.contributors[c];
        if st.withdrawn.is_some() {
            continue;
        }
        let due = (f64::from(st.full_units) * share).round() as u32;
        for _ in st.deployed..due {
            let k = s.forces.contributors[c].deployed;
            // Posture by a low-discrepancy sequence: the share in community
            // policing is exact at every force size, with no random draw.
            let community = frac(f64::from(k) * GOLDEN + c as f64 * 0.5)
                < s.rules.config.mandate.community_policing;
            // A unit with no free cell today arrives on a later day.
            if !add_unit(s, UnitKind::Contingent, c as u16, community, t) {
                break;
            }
            s.forces.contributors[c].deployed += 1;
            changed = true;
        }
    }
    changed
}

fn deploy_pmcs(s: &mut MissionState, t: u32) -> bool {
    let due =
        (f64::from(s.rules.config.mandate.pmc_units) * ramp(&s.rules.config, t)).round() as usize;
    let have = s.units.kind.iter().filter(|&&k| k == UnitKind::Pmc).count();
    let mut changed = false;
    for _ in have..due {
        changed |= add_unit(s, UnitKind::Pmc, 0, false, t);
    }
    changed
}

const GOLDEN: f64 = 0.618_033_988_749_894_9;

fn frac(x: f64) -> f64 {
    x - x.floor()
}

/// A unit's turn.
pub fn unit_step(s: &mut MissionState, u: usize) {
    let at = s.units.cell[u];
    let seen = s.map.unit_view.count_mission(&s.map.grid, at);
    let kind = s.units.kind[u];
    if seen.actives > 0 {
        arrest_active(s, u, seen.actives);
    }
    if seen.fighters > 0 {
        try_detain(s, u, seen.fighters);
    }
    if forced_disarmament(s, u) {
        raid(s, u);
    }
    if s.units.community[u] {
        community_contact(s, u, kind);
    } else if kind != UnitKind::Police {
        military_harm(s, u);
    }
    patrol(s, u);
}

/// Whether unit `u` disarms by force: a contingent, under forced
/// disarmament, of a contributor that does not refuse it.
fn forced_disarmament(s: &MissionState, u: usize) -> bool {
    s.rules.config.mandate.disarmament == Disarmament::Forced
        && s.units.kind[u] == UnitKind::Contingent
        && !s.rules.config.contributors[s.units.owner[u] as usize].refuses_forced_disarmament
}

/// Epstein's rule C: arrest in one active civilian group in view (a
/// lethal PMC may kill instead); see `detention` for who and how many.
fn arrest_active(s: &mut MissionState, u: usize, actives: u32) {
    let at = s.units.cell[u];
    let n = s.rng.forces.random_range(0..actives);
    let Some(cell) = s.map.unit_view.nth(&s.map.grid, at, Cell::Active, n) else {
        return;
    };
    let id = s.map.grid.occupant(cell);
    if s.units.kind[u] == UnitKind::Pmc
        && s.rules.config.mandate.pmc_lethal
        && chance(&mut s.rng.forces, s.rules.config.forces.pmc_lethal_kill)
    {
        s.kill(id, 1, Perpetrator::Pmc);
        return;
    }
    let term = s.rng.forces.random_range(0..=s.rules.max_jail_term);
    detention::arrest(s, u, id, term);
}

/// Detains a fighter in view with a probability raised by capability,
/// intelligence and forced disarmament.
fn try_detain(s: &mut MissionState, u: usize, fighters: u32) {
    let f = &s.rules.config.forces;
    let multiplier = if forced_disarmament(s, u) {
        f.forced_detain_multiplier
    } else {
        1.0
    };
    let p = f.detain_rate
        * unit_capability(&s.units, &s.rules.config, s.tick, u)
        * (1.0 + f.intel_gain * s.forces.intel)
        * multiplier;
    if !chance(&mut s.rng.forces, p.min(1.0)) {
        return;
    }
    let at = s.units.cell[u];
    let n = s.rng.forces.random_range(0..fighters);
    if let Some(cell) = s.map.unit_view.nth(&s.map.grid, at, Cell::Fighter, n) {
        let id = s.map.grid.occupant(cell);
        detain_fighter(s, id);
    }
}

/// Forced disarmament: a search raid seizes weapons from the faction with
/// the most fighters, harms bystanders and raises coercive pressure.
fn raid(s: &mut MissionState, u: usize) {
    let f = &s.rules.config.forces;
    if s.factions.is_empty() || !chance(&mut s.rng.forces, f.raid_rate) {
        return;
    }
    let (raid_deaths, weapons) = (f.raid_deaths, f.raid_weapons);
    let strongest = (0..s.factions.len())
        .max_by(|&a, &b| {
            s.factions.state[a]
                .fighters
                .total_cmp(&s.factions.state[b].fighters)
                .then(b.cmp(&a))
        })
        .unwrap_or(0);
    s.collect_weapons(strongest, weapons);
    press(&mut s.factions, &s.rules, strongest);
    let at = s.units.cell[u];
    let near = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
    let deaths = poisson(&mut s.rng.forces, raid_deaths);
    if let Some(v) = nth_civilian(&s.map.grid, &s.map.unit_view, &mut s.rng.forces, at, near) {
        s.kill(v, deaths, Perpetrator::Mission);
    }
}

/// Community policing: a daily contact seen by the neighbours, and tips in
/// proportion to their trust, which build the mission's intelligence.
fn community_contact(s: &mut MissionState, u: usize, kind: UnitKind) {
    let i = s.map.grid.interior(s.units.cell[u]);
    // Police contacts build trust in the mission only as far as people
    // credit the mission for the police.
    let credit = match kind {
        UnitKind::Police => s.rules.config.civilians.attribution_police,
        _ => 1.0,
    };
    s.layers.policing.add(i, credit as f32);
    let trust = f64::from(s.layers.trust_nearby.get(i));
    let f = &s.rules.config.forces;
    let tips = f.tip_rate * trust;
    s.forces.intel = (s.forces.intel + f.tip_value * tips).min(1.0);
}

/// Military posture (and PMCs, more so): occasional harm to civilians at
/// checkpoints and in crowd control.
fn military_harm(s: &mut MissionState, u: usize) {
    let f = &s.rules.config.forces;
    let (rate, perp) = match s.units.kind[u] {
        UnitKind::Pmc => {
            let lethal = if s.rules.config.mandate.pmc_lethal {
                f.pmc_harm_multiplier
            } else {
                1.0
            };
            (f.military_harm_rate * lethal, Perpetrator::Pmc)
        }
        _ => (f.military_harm_rate, Perpetrator::Mission),
    };
    if !chance(&mut s.rng.forces, rate.min(1.0)) {
        return;
    }
    let deaths = poisson(&mut s.rng.forces, f.harm_deaths.max(0.0));
    let at = s.units.cell[u];
    let near = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
    if let Some(v) = nth_civilian(&s.map.grid, &s.map.unit_view, &mut s.rng.forces, at, near) {
        s.kill(v, deaths, perp);
    }
}

/// Rule M within the unit's sector: jump to a random empty cell in view,
/// unless it lies in another sector.
fn patrol(s: &mut MissionState, u: usize) {
    let at = s.units.cell[u];
    let empties = s.map.unit_view.count_mission(&s.map.grid, at).empties;
    let Some(to) = s
        .map
        .unit_view
        .random_empty(&s.map.grid, &mut s.rng.forces, at, empties)
    else {
        return;
    };
    if s.sector_of(to) != s.units.sector[u] as usize {
        return;
    }
    s.map.grid.set(at, Cell::Empty, u32::MAX);
    s.map.grid.set(to, Cell::Cop, u as u32);
    s.units.cell[u] = to;
}
