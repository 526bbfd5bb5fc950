//! The local police: officers trained at the mandate's rate once the
//! mission is there, deployed as units whose capability grows; and the
//! handover of sectors when the benchmarks hold long enough.

use super::forces::{add_unit, recall};
use super::state::{MissionState, UnitKind};
use crate::scenario::Handover;

/// Phase 1b: training, then new police units for every full complement.
pub fn train(s: &mut MissionState, t: u32) {
    if s.mission_started(t) {
        let p = &s.config.police;
        s.officers = (s.officers + s.config.mandate.police_training_per_day).min(p.max_officers);
    }
    if deploy_new(s, t) {
        s.rebuild_order();
    }
}

/// Deploys police units for trained officers not yet on the grid (at setup
/// too, for a force that exists at day 0).
pub fn deploy_trained(s: &mut MissionState, t: u32) {
    deploy_new(s, t);
}

fn deploy_new(s: &mut MissionState, t: u32) -> bool {
    let per_unit = s.config.police.officers_per_unit;
    let due = (s.officers / per_unit).floor() as usize;
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

/// Phase 9: a sector is handed over once, with the force fully deployed,
/// its police strength per resident and its recent incidents meet the
/// benchmarks for a whole window; its contingents and PMCs then leave.
pub fn handover(s: &mut MissionState, t: u32) {
    let m = s.config.mandate.clone();
    let p = s.config.police.clone();
    if m.handover == Handover::FixedExit && m.exit_day > 0 && t >= m.exit_day {
        for sector in &mut s.sectors {
            sector.handed_over.get_or_insert(m.exit_day);
        }
        return;
    }
    let full = t >= m.deployment_delay_days + m.ramp_up_days && s.mission_started(t);
    if m.handover != Handover::Benchmarked || !full {
        return;
    }
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
            s,
            |kind| kind != UnitKind::Police,
            |(units, u)| units.sector[u] == k,
        );
    }
    if changed {
        s.rebuild_order();
    }
}

/// Starts today's slot of every sector's incident window at zero.
pub fn open_incident_slot(s: &mut MissionState, t: u32) {
    for sector in &mut s.sectors {
        let slot = t as usize % sector.incidents.len();
        sector.incidents[slot] = 0;
    }
}
