//! The local police: officers trained at the mandate's rate once the
//! mission is there, deployed as units whose capability grows; and the
//! handover of sectors when the benchmarks hold long enough.

use super::state::{MissionState, SectorState, UnitKind};
use super::units::{add_unit, recall};
use crate::scenario::{Handover, Mandate};

/// Phase 4: training, then new police units for every full complement.
pub fn train(s: &mut MissionState, t: u32) {
    if s.mission_started(t) {
        let p = &s.rules.config.police;
        let trained = s.rules.config.mandate.police_training_per_day * protection(s);
        s.police.officers = (s.police.officers + trained).min(p.max_officers);
    }
    if deploy_new(s, t) {
        s.rebuild_order();
    }
}

/// Share of the mandate's training rate the troops on duty make safe:
/// local partners stand up only under the mission's protection (T29,
/// Biddle, Friedman & Shapiro 2012), so troops and police are complements.
fn protection(s: &MissionState) -> f64 {
    let per_1000 = s.rules.config.police.training_troops_per_1000;
    let people: f64 = s.sectors.iter().map(|k| k.people).sum();
    let needed = per_1000 * people / 1000.0;
    if needed > 0.0 {
        (s.forces.troops_on_duty / needed).min(1.0)
    } else {
        1.0
    }
}

/// Deploys police units for trained officers not yet on the grid (at setup
/// too, for a force that exists at day 0).
pub fn deploy_trained(s: &mut MissionState, t: u32) {
    deploy_new(s, t);
}

fn deploy_new(s: &mut MissionState, t: u32) -> bool {
    let per_unit = s.rules.config.police.officers_per_unit;
    let due = (s.police.officers / per_unit).floor() as usize;
    let have = s
        .units
        .kind
        .iter()
        .filter(|&&k| k == UnitKind::Police)
        .count();
    let mut changed = false;
    for _ in have..due {
        changed |= add_unit(s, UnitKind::Police, 0, true, t);
    }
    changed
}

/// The first day on which sectors are judged against the handover
/// benchmarks: once the force is fully deployed when handover is
/// benchmarked; from the exit day under a fixed exit, so that a sector
/// counts as handed over only once the police hold it alone (leaving is
/// not handing over); never without handover.
fn judged_from(m: &Mandate) -> Option<u32> {
    match m.handover {
        Handover::Benchmarked => Some(m.deployment_delay_days + m.ramp_up_days),
        Handover::FixedExit if m.exit_day > 0 => Some(m.exit_day),
        Handover::FixedExit | Handover::None => None,
    }
}

/// Phase 15: a sector is handed over once its police strength per resident
/// and its recent incidents meet the benchmarks for a whole window (judged
/// from [`judged_from`]); its contingents and PMCs then leave.
pub fn handover(s: &mut MissionState, t: u32) {
    let m = &s.rules.config.mandate;
    let judged = judged_from(m).is_some_and(|from| t >= from) && s.mission_started(t);
    if !judged {
        return;
    }
    let p = s.rules.config.police.clone();
    let mut police = vec![0.0f64; s.sectors.len()];
    for u in 0..s.units.len() {
        if s.units.on_duty[u] && s.units.kind[u] == UnitKind::Police {
            police[s.units.sector[u] as usize] += p.officers_per_unit;
        }
    }
    let window = p.handover_window_days;
    let mut changed = false;
    let mut handed = Vec::new();
    for (k, (sector, &officers)) in s.sectors.iter_mut().zip(&police).enumerate() {
        if sector.handed_over.is_some() || sector.people <= 0.0 {
            continue;
        }
        let recent: u32 = sector.incidents.iter().sum();
        let ratio = officers / (sector.people / 1000.0);
        let holds =
            ratio >= p.handover_officers_per_1000 && f64::from(recent) <= p.handover_max_incidents;
        sector.streak = if holds { sector.streak + 1 } else { 0 };
        if sector.streak >= window {
            sector.handed_over = Some(t);
            handed.push(k as u16);
        }
    }
    for k in handed {
        changed |= recall(
            &mut s.units,
            &mut s.map.grid,
            |kind| kind != UnitKind::Police,
            |(units, u)| units.sector[u] == k,
        );
    }
    if changed {
        s.rebuild_order();
    }
}

/// Phase 1: starts today's slot of every sector's incident window at zero.
pub fn open_incident_slot(sectors: &mut [SectorState], t: u32) {
    for sector in sectors {
        let slot = t as usize % sector.incidents.len();
        sector.incidents[slot] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;

    #[test]
    fn police_training_needs_the_troops_protection() {
        let full = gaza(&[], 200).police.officers;
        let few = gaza(&["mission.mandate.force_scale=0.25"], 200)
            .police
            .officers;
        assert!(
            few < 0.8 * full,
            "officers {few} with a quarter force vs {full}"
        );
        // Without the dependence, force size does not change training.
        let free = "mission.police.training_troops_per_1000=0";
        let quarter = gaza(&["mission.mandate.force_scale=0.25", free], 200);
        assert_eq!(quarter.police.officers, gaza(&[free], 200).police.officers);
    }
}
