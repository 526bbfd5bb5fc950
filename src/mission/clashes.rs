//! Clashes between factions (M9.5): battle deaths among the armed parties
//! themselves, where fighters of rival factions share a sector, which armed
//! troops prevent by interposing (Hultman, Kathman & Shannon 2014: battle
//! deaths fall with troop numbers, not with police or observers; Ruggeri,
//! Dorussen & Gizelis: local conflict episodes are shorter where
//! peacekeepers deploy). Without them every battle death came from an
//! attack on the mission, a strike or a raid, so more troops meant more
//! targets and more battle deaths (issue 13, T03).

use super::draw::poisson;
use super::state::{MissionState, Perpetrator, Status, UnitKind};
use super::war::heavy_tailed;
use crate::scenario::WarParams;

/// Phase 11b: rival factions' fighters in each sector clash, fewer where
/// armed troops interpose. Each clash kills fighters of both sides.
pub fn clash(s: &mut MissionState) {
    let w = s.rules.config.war.clone();
    let nf = s.factions.len();
    if nf < 2 || w.clash_rate <= 0.0 {
        return;
    }
    let ns = s.sectors.len();
    // Fighter agents by sector and faction, and fighters (people) by sector.
    let mut agents: Vec<Vec<u32>> = vec![Vec::new(); ns * nf];
    let mut fighters = vec![0.0_f64; ns];
    for &id in &s.factions.fighter_ids {
        let i = id as usize;
        if s.civilians.status[i] != Status::Recruited {
            continue;
        }
        let sector = s.sector_of(s.civilians.cell[i]);
        agents[sector * nf + s.civilians.faction[i] as usize].push(id);
        fighters[sector] += f64::from(s.civilians.members[i]);
    }
    let troops = interposing_troops(s);
    for sector in 0..ns {
        let share = interposition(&w, troops[sector], fighters[sector]);
        for a in 0..nf {
            for b in a + 1..nf {
                let (na, nb) = (agents[sector * nf + a].len(), agents[sector * nf + b].len());
                if na == 0 || nb == 0 {
                    continue;
                }
                let (fa, fb) = (&s.factions.state[a], &s.factions.state[b]);
                let rate = expected_clashes(
                    &w,
                    na.min(nb) as f64,
                    [fa.commitment, fb.commitment],
                    fa.at_war || fb.at_war,
                    share,
                );
                let clashes = poisson(&mut s.rng.clashes, rate);
                for _ in 0..clashes {
                    fight(s, &agents[sector * nf + a], b, &w);
                    fight(s, &agents[sector * nf + b], a, &w);
                }
            }
        }
    }
}

/// Armed contingent troops on duty per sector: the troops that can stand
/// between factions (police, unarmed observers and PMCs do not).
fn interposing_troops(s: &MissionState) -> Vec<f64> {
    let mut troops = vec![0.0; s.sectors.len()];
    if !s.rules.config.mandate.armed {
        return troops;
    }
    let per_unit = s.rules.config.forces.troops_per_unit;
    for u in 0..s.units.len() {
        if s.units.on_duty[u] && s.units.kind[u] == UnitKind::Contingent {
            troops[s.units.sector[u] as usize] += per_unit;
        }
    }
    troops
}

/// Share of a sector's clashes that troops are placed to interpose in:
/// troops / (troops + `clash_half_ratio` × fighters), a force ratio, so
/// that it does not depend on the map's cell size.
pub fn interposition(w: &WarParams, troops: f64, fighters: f64) -> f64 {
    let need = w.clash_half_ratio * fighters.max(0.0);
    if troops <= 0.0 {
        0.0
    } else {
        troops / (troops + need)
    }
}

/// Expected clashes today between two factions in a sector: `contact`
/// fighter agents on the smaller side, their `commitments`, whether either
/// is at war, and the share `watched` that troops interpose in.
pub fn expected_clashes(
    w: &WarParams,
    contact: f64,
    commitments: [f64; 2],
    at_war: bool,
    watched: f64,
) -> f64 {
    let hostility = (1.0 - 0.5 * (commitments[0] + commitments[1])).clamp(0.0, 1.0);
    let war = if at_war { w.attack_multiplier } else { 1.0 };
    w.clash_rate
        * contact.max(0.0)
        * hostility
        * war
        * (1.0 - w.clash_suppression * watched.clamp(0.0, 1.0))
}

/// One side's losses in a clash with faction `enemy`: a fighter agent drawn
/// from `side` loses a heavy-tailed number of people.
fn fight(s: &mut MissionState, side: &[u32], enemy: usize, w: &WarParams) {
    use rand::RngExt;
    let id = side[s.rng.clashes.random_range(0..side.len())];
    let deaths = heavy_tailed(&mut s.rng.clashes, w.clash_deaths, w.death_tail);
    // A fighter killed or detained earlier today loses no one.
    if s.civilians.status[id as usize] == Status::Recruited {
        s.kill(id, deaths, Perpetrator::Faction(enemy as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::*;

    #[test]
    fn troops_in_view_prevent_clashes_and_war_multiplies_them() {
        let w = WarParams::default();
        let open = expected_clashes(&w, 10.0, [0.2, 0.4], false, 0.0);
        assert!((open - w.clash_rate * 10.0 * 0.7).abs() < 1e-12);
        let watched = expected_clashes(&w, 10.0, [0.2, 0.4], false, 1.0);
        assert!((watched - open * (1.0 - w.clash_suppression)).abs() < 1e-12);
        let war = expected_clashes(&w, 10.0, [0.2, 0.4], true, 0.0);
        assert!((war - open * w.attack_multiplier).abs() < 1e-12);
        // Committed factions do not fight each other.
        assert_eq!(expected_clashes(&w, 10.0, [1.0, 1.0], false, 0.0), 0.0);
    }

    /// Fighters killed over 60 days on Gaza without a mission.
    fn fighter_deaths(overrides: &[&str]) -> f64 {
        let mut all = vec![
            "mission.mandate.force_scale=0",
            "mission.mandate.pmc_units=0",
        ];
        all.extend_from_slice(overrides);
        let mut s = gaza(&all, 0);
        let mut deaths = 0.0;
        for _ in 0..60 {
            s.step();
            deaths += s.today.fighter_deaths;
        }
        deaths
    }

    #[test]
    fn rival_factions_kill_each_others_fighters() {
        // Issue 13: battle deaths among the parties exist without any mission
        // to attack (before, only strikes killed fighters here).
        let without = fighter_deaths(&["mission.war.clash_rate=0"]);
        let with = fighter_deaths(&[]);
        assert!(with > without + 50.0, "{with} vs {without}");
    }

    #[test]
    fn only_armed_troops_interpose_with_diminishing_returns() {
        let w = WarParams::default();
        assert_eq!(interposition(&w, 0.0, 1000.0), 0.0);
        let half = interposition(&w, w.clash_half_ratio * 1000.0, 1000.0);
        assert!((half - 0.5).abs() < 1e-12);
        let (a, b, c) = (
            interposition(&w, 100.0, 1000.0),
            interposition(&w, 200.0, 1000.0),
            interposition(&w, 300.0, 1000.0),
        );
        assert!(a < b && b < c && b - a > c - b);
        // Police only: no contingent troops stand between the factions.
        let s = gaza(
            &[
                "mission.mandate.force_scale=0",
                "mission.mandate.pmc_units=0",
                "mission.police.initial_officers=6000",
            ],
            40,
        );
        assert!(s.units.on_duty_of(UnitKind::Police) > 0);
        assert!(interposing_troops(&s).iter().all(|&t| t == 0.0));
        let s = gaza(&[], 40);
        assert!(interposing_troops(&s).iter().sum::<f64>() > 0.0);
    }
}
