//! The separate counter-terror track: raids on fighters found by its own
//! intelligence, on its own random stream, killing fighters and bystanders
//! and raising the targeted faction's coercive pressure.

use super::draw::{chance, poisson};
use super::fighters::{press, random_fighter};
use super::harm::nth_civilian;
use super::state::{MissionState, Perpetrator};

/// Phase 6: the separate counter-terror track raids fighters found by its
/// own intelligence, killing fighters and bystanders and raising the
/// faction's coercive pressure.
pub fn raids(s: &mut MissionState, t: u32) {
    let m = &s.rules.config.mandate;
    if m.ct_track <= 0.0 || !s.mission_started(t) || s.factions.fighter_ids.is_empty() {
        return;
    }
    let f = s.rules.config.forces.clone();
    let raids = poisson(&mut s.rng.counter_terror, f.ct_raids_per_day * m.ct_track);
    for _ in 0..raids {
        if s.factions.fighter_ids.is_empty() {
            break;
        }
        s.today.ct_raids += 1;
        let Some((target, at, faction)) =
            random_fighter(&s.factions, &s.civilians, &mut s.rng.counter_terror)
        else {
            continue;
        };
        if chance(&mut s.rng.counter_terror, f.ct_success) {
            let deaths = poisson(&mut s.rng.counter_terror, f.ct_fighter_deaths);
            s.kill(target, deaths, Perpetrator::CounterTerror);
            press(&mut s.factions, &s.rules, faction);
        }
        let near = s.map.unit_view.count_mission(&s.map.grid, at).civilians;
        let deaths = poisson(&mut s.rng.counter_terror, f.ct_deaths);
        let victim = nth_civilian(
            &s.map.grid,
            &s.map.unit_view,
            &mut s.rng.counter_terror,
            at,
            near,
        );
        if let Some(v) = victim {
            s.kill(v, deaths, Perpetrator::CounterTerror);
        }
    }
}
