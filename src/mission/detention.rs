//! Detention of civilians (Epstein's rule C in the mission model): an
//! arrest takes a small group from an active agent, not the whole agent,
//! within the detention places and the personnel that can hold them, and
//! is a coercive act the neighbourhood sees (trust lost, backlash for the
//! factions: internment in Northern Ireland). Targeting is selective
//! (tip-driven) or collective (larger groups, bystanders, more coercion
//! seen). Released detainees go back to their group.

use rand::RngExt;

use super::civilians;
use super::draw::chance;
use super::harm::nth_civilian;
use super::state::{Held, MissionState, Perpetrator, Status, UnitKind};
use crate::scenario::Targeting;
use crate::world::Cell;

/// People who can be held today: the places (per 1,000 residents at day
/// 0) or what the units on duty can hold, whichever is fewer.
pub fn capacity(s: &MissionState) -> f64 {
    let d = &s.rules.config.detention;
    let places = d.capacity_per_1000 * s.rules.config.population.total_people / 1000.0;
    let on_duty = s.units.on_duty.iter().filter(|&&on| on).count() as f64;
    let holders = d.detainees_per_troop * on_duty * s.rules.config.forces.troops_per_unit;
    places.min(holders)
}

/// Unit `u` arrests in agent `id` (an active civilian in view) for `term`
/// days, if targeting and capacity allow: selective targeting acts only on
/// a tip (more often with intelligence); collective targeting always acts,
/// takes larger groups and sweeps up bystanders in view.
pub fn arrest(s: &mut MissionState, u: usize, id: u32, term: u32) {
    let d = &s.rules.config.detention;
    let collective = s.rules.config.mandate.targeting == Targeting::Collective;
    let perp = match s.units.kind[u] {
        UnitKind::Contingent => Perpetrator::Mission,
        UnitKind::Police => Perpetrator::Police,
        UnitKind::Pmc => Perpetrator::Pmc,
    };
    let (group, coercion, bystanders) = if collective {
        (
            d.people_per_arrest * d.collective_group_multiplier,
            d.coercion_per_person * d.collective_coercion_multiplier,
            d.collective_bystanders,
        )
    } else {
        let tip = (d.tip_floor + d.tip_arrest_rate * s.forces.intel).min(1.0);
        if !chance(&mut s.rng.forces, tip) {
            return;
        }
        (d.people_per_arrest, d.coercion_per_person, 0.0)
    };
    if !take_group(s, id, group, term, coercion, perp) {
        return;
    }
    disperse_crowd(s, u);
    // Whole bystander groups, then one more with the fractional chance.
    let whole = bystanders.floor();
    let extra = u32::from(chance(&mut s.rng.forces, bystanders - whole));
    for _ in 0..(whole as u32 + extra) {
        let at = s.units.cell[u];
        let near = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
        let Some(v) = nth_civilian(&s.map.grid, &s.map.unit_view, &mut s.rng.forces, at, near)
        else {
            break;
        };
        let people = s.rules.config.detention.people_per_arrest;
        take_group(s, v, people, term, coercion, perp);
    }
}

/// The crowd an arrest disperses is the people of one agent of the
/// calibration: at a finer grain (`population.agent_share` σ < 1) the
/// arrested agent ([`take_group`]) and about 1/σ − 1 more active agents in
/// the unit's view turn quiescent, so a unit's arrest quiets the same
/// people at any grain. Unrefined (σ = 1) nothing more is drawn.
fn disperse_crowd(s: &mut MissionState, u: usize) {
    let share = s.rules.config.population.agent_share;
    let more = ((1.0 / share).round() as u32).saturating_sub(1);
    if more == 0 {
        return;
    }
    let at = s.units.cell[u];
    let mut actives = s.map.unit_view.count_mission(&s.map.grid, at).actives;
    for _ in 0..more {
        if actives == 0 {
            break;
        }
        let n = s.rng.forces.random_range(0..actives);
        let Some(cell) = s.map.unit_view.nth(&s.map.grid, at, Cell::Active, n) else {
            break;
        };
        let id = s.map.grid.occupant(cell);
        s.set_status(id, Status::Quiescent);
        actives -= 1;
    }
}

/// Takes up to `people` (at most half the group, within the places left)
/// from civilian agent `id` into detention; the group remembers the loss,
/// the crowd disperses, witnesses see `coercion` per person. Returns
/// whether anyone was taken.
fn take_group(
    s: &mut MissionState,
    id: u32,
    people: f64,
    term: u32,
    coercion: f64,
    perp: Perpetrator,
) -> bool {
    let i = id as usize;
    let members = f64::from(s.civilians.members[i]);
    let room = capacity(s) - s.detention.people;
    let taken = people.min(room).min(0.5 * members);
    if taken < 0.5 {
        return false;
    }
    let cell = s.civilians.cell[i];
    s.civilians.members[i] = (members - taken) as f32;
    let loss = s.rules.config.detention.loss_per_share * taken / members;
    s.civilians.loss[i] += loss as f32;
    let t = s.tick + 1;
    s.detention.held.push(Held {
        agent: id,
        people: taken as f32,
        home: cell,
        release: t + term.saturating_sub(1),
    });
    s.detention.people += taken;
    s.detention.arrests += 1;
    s.record_coercion(cell, coercion * taken, perp);
    if s.civilians.status[i] == Status::Active {
        s.set_status(id, Status::Quiescent);
    }
    true
}

/// Phase 16 (with the other timers): groups whose term is over return to
/// their agent; if everyone left in it has died, they come back as a new
/// agent near where they were taken (or wait a day for room).
pub fn release_due(s: &mut MissionState, t: u32) {
    let held = std::mem::take(&mut s.detention.held);
    for h in held {
        if h.release > t {
            s.detention.held.push(h);
            continue;
        }
        let i = h.agent as usize;
        if s.civilians.status[i] != Status::Dead {
            s.civilians.members[i] += h.people;
        } else if let Some(to) = civilians::cell_near_home(s, h.home) {
            s.clone_agent(h.agent, h.people, to);
        } else {
            s.detention.held.push(h);
            continue;
        }
        s.detention.people -= f64::from(h.people);
    }
    if s.detention.held.is_empty() {
        // No drift from float sums.
        s.detention.people = 0.0;
    }
}
