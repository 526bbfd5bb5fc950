//! The external military: it holds the buffer zone (impassable terrain),
//! perceives threat from attacks and from the factions' arms build-up, and
//! strikes when the threat exceeds its restraint. Deconfliction with the
//! mission avoids some strikes and some of their collateral harm. Strikes
//! tie the mission to the external military in proportion to the
//! association set by its headquarters' location.

use super::draw::{chance, poisson};
use super::fighters::{press, random_fighter};
use super::harm::nth_civilian;
use super::state::{MissionState, Perpetrator};

/// Phase 5: threat update and at most one strike a day.
pub fn strike(s: &mut MissionState, t: u32) {
    let e = s.rules.config.external.clone();
    if !e.enabled {
        return;
    }
    let arms: f64 = s.factions.state.iter().map(|f| f.arms).sum();
    let build_up = (arms - s.rules.derived.initial_arms).max(0.0) / 1000.0;
    s.external.threat = s.external.threat * (1.0 - s.rules.derived.threat_rate)
        + e.attack_weight * f64::from(s.external.attacks_yesterday)
        + e.arms_weight * build_up * s.rules.derived.threat_rate;
    let excess = (s.external.threat - e.restraint).max(0.0);
    let avoided = e.deconfliction_effect * s.rules.config.mandate.deconfliction;
    let p = (1.0 - (-e.strike_rate * excess).exp()) * (1.0 - avoided);
    if s.factions.fighter_ids.is_empty() || !chance(&mut s.rng.external, p) {
        return;
    }
    s.today.strikes += 1;
    let Some((target, at, faction)) =
        random_fighter(&s.factions, &s.civilians, &mut s.rng.external)
    else {
        return;
    };
    let near = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
    let fighters = poisson(&mut s.rng.external, e.strike_fighter_deaths);
    let civilians = poisson(
        &mut s.rng.external,
        e.strike_civilian_deaths * (1.0 - avoided),
    );
    let victim = nth_civilian(&s.map.grid, &s.map.unit_view, &mut s.rng.external, at, near);
    s.kill(target, fighters, Perpetrator::External);
    if let Some(v) = victim {
        s.kill(v, civilians, Perpetrator::External);
    }
    press(&mut s.factions, &s.rules, faction);
    let sector = s.sector_of(at);
    let services = &mut s.sectors[sector].services;
    *services = (*services - e.services_damage).max(0.0);
    // A strike relieves the threat that prompted it.
    s.external.threat *= 0.5;
    if s.mission_started(t) {
        s.forces.association_pressure += s.rules.derived.association;
    }
}
