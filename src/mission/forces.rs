//! Troop contributors and their contingents (and PMCs): deployment and
//! ramp-up, withdrawal when casualties or association with strikes exceed
//! a contributor's tolerance, exit, and each unit's turn: arrest, detain,
//! raid, community policing, move. (The counter-terror track is apart, in
//! [`super::counter_terror`].)

use rand::RngExt;

use super::detention;
use super::draw::{chance, poisson};
use super::factions::resist_raid;
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
    draw_capacity(s, t, exited);
    // Both pressures to leave fade: withdrawal follows salient recent
    // losses and strikes, not running totals (a steady trickle of losses
    // far below a contingent's tolerance never adds up to a withdrawal).
    s.forces.association_pressure *= 1.0 - s.rules.derived.association_rate;
    let fade = 1.0 - s.rules.derived.casualty_rate;
    for st in &mut s.forces.contributors {
        st.recent_deaths *= fade;
    }
    // Intelligence fades unless renewed by tips and monitoring.
    s.forces.intel *= 1.0 - s.rules.derived.intel_rate;
    if s.mission_started(t) {
        let f = &s.rules.config.forces;
        s.forces.intel = (s.forces.intel + f.monitoring_intel * s.forces.monitoring).min(1.0);
    }
    if changed {
        s.rebuild_order();
    }
}

/// Today's QRF sorties, escorted share and monitoring, drawn from the
/// contingent troops on duty: protection exists only as far as the troops
/// that provide it do (no troops, no QRF, no escort, no monitoring).
fn draw_capacity(s: &mut MissionState, t: u32, exited: bool) {
    let config = &s.rules.config;
    let (m, f) = (&config.mandate, &config.forces);
    let present = !exited && s.mission_started(t);
    let troops = if !present {
        0.0
    } else {
        s.units.on_duty_of(UnitKind::Contingent) as f64 * f.troops_per_unit
    };
    s.forces.troops_on_duty = troops;
    // Unarmed observers monitor but neither escort nor form a QRF.
    let armed = if m.armed { troops } else { 0.0 };
    let qrf_units = (armed / config.qrf.troops_per_unit).floor() as u32;
    s.forces.qrf_sorties = m.qrf_units.min(qrf_units) * config.qrf.sorties_per_day;
    let wanted = config.humanitarian.convoys_per_day
        * m.humanitarian_access
        * m.convoy_escort
        * f.troops_per_escort;
    s.forces.escort_share = if wanted > 0.0 {
        m.convoy_escort * (armed / wanted).min(1.0)
    } else {
        m.convoy_escort
    };
    let people: f64 = s.sectors.iter().map(|k| k.people).sum();
    let needed = f.monitoring_personnel_per_1000 * people / 1000.0;
    let coverage = match (present, needed > 0.0) {
        (false, _) => 0.0,
        (true, true) => (troops / needed).min(1.0),
        (true, false) => 1.0,
    };
    s.forces.monitoring = m.monitoring * coverage;
    police_coverage(s);
}

/// Each sector's local police strength relative to the handover benchmark
/// (officers per 1,000 residents), capped at 1: the partners' share of the
/// local knowledge contingents can act on.
fn police_coverage(s: &mut MissionState) {
    let p = &s.rules.config.police;
    let partners = &mut s.forces.partners;
    partners.clear();
    partners.resize(s.sectors.len(), 0.0);
    for u in 0..s.units.len() {
        if s.units.on_duty[u] && s.units.kind[u] == UnitKind::Police {
            partners[s.units.sector[u] as usize] += p.officers_per_unit;
        }
    }
    for (k, sector) in s.sectors.iter().enumerate() {
        let benchmark = p.handover_officers_per_1000 * sector.people / 1000.0;
        partners[k] = if benchmark > 0.0 {
            (partners[k] / benchmark).min(1.0)
        } else {
            0.0
        };
    }
}

/// A contributor's pressure to leave: its recent own deaths relative to
/// its casualty tolerance scaled by the contingent's size (a loss weighs
/// more on a small contingent; Bove & Ruggeri, Oestman 2021), plus the
/// mission's recent association with the external military's strikes
/// relative to its association tolerance, both tolerances raised by a UN
/// Security Council mandate.
fn withdrawal_pressure(s: &MissionState, c: usize) -> f64 {
    let config = &s.rules.config;
    let cfg = &config.contributors[c];
    let deployed = f64::from(s.forces.contributors[c].deployed) * config.forces.troops_per_unit;
    // Size relative to the pledge (1 for the pledged contingent, 0.5 for
    // half of it); the pledge itself if there is none to compare with.
    let size = if cfg.troops > 0.0 && deployed > 0.0 {
        deployed / cfg.troops
    } else {
        1.0
    };
    let backing = if config.mandate.unsc_mandate {
        1.0 + config.forces.unsc_tolerance_gain
    } else {
        1.0
    };
    let ratio = |x: f64, tolerance: f64| {
        if x <= 0.0 {
            0.0
        } else if tolerance <= 0.0 {
            f64::INFINITY
        } else {
            x / (tolerance * backing)
        }
    };
    ratio(
        s.forces.contributors[c].recent_deaths,
        cfg.casualty_tolerance * size,
    ) + ratio(s.forces.association_pressure, cfg.association_tolerance)
}

/// Daily withdrawal hazard at `pressure`: a Hill function of it (half the
/// ceiling at pressure 1), times the contributor's domestic sensitivity.
fn withdrawal_hazard(config: &MissionConfig, c: usize, pressure: f64) -> f64 {
    let f = &config.forces;
    let x = pressure.powf(f.withdrawal_shape);
    let hill = if x.is_finite() { x / (1.0 + x) } else { 1.0 };
    (f.withdrawal_rate * config.contributors[c].domestic_sensitivity * hill).min(1.0)
}

/// Each deployed contributor withdraws with its own daily hazard, so that
/// contributors leave one by one as their losses and politics dictate.
fn decide_withdrawals(s: &mut MissionState, t: u32) -> bool {
    let mut changed = false;
    for c in 0..s.forces.contributors.len() {
        let st = &s.forces.contributors[c];
        if st.withdrawn.is_some() || st.deployed == 0 {
            continue;
        }
        let hazard = withdrawal_hazard(&s.rules.config, c, withdrawal_pressure(s, c));
        // `chance` draws nothing at zero hazard: a contributor without
        // losses or association consumes no random numbers.
        if !chance(&mut s.rng.forces, hazard) {
            continue;
        }
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
    // Unarmed observers watch, report and talk; they do not detain, raid
    // or man checkpoints.
    let observer = kind == UnitKind::Contingent && !s.rules.config.mandate.armed;
    if !observer {
        if seen.actives > 0 {
            arrest_active(s, u, seen.actives);
        }
        if seen.fighters > 0 {
            try_detain(s, u, seen.fighters);
        }
        if forced_disarmament(s, u) {
            raid(s, u);
        }
    }
    if s.units.community[u] {
        community_contact(s, u, kind);
    } else if kind != UnitKind::Police && !observer {
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
    // Troops act on local partners' knowledge of who is who: the local
    // police's coverage of the unit's sector raises a contingent's detentions.
    let partners = match s.units.kind[u] {
        UnitKind::Contingent => {
            1.0 + f.partner_detain_gain * s.forces.partners[s.units.sector[u] as usize]
        }
        _ => 1.0,
    };
    let informants = partner_information(s, u);
    let p = f.detain_rate
        * unit_capability(&s.units, &s.rules.config, s.tick, u)
        * (1.0 + f.intel_gain * s.forces.intel)
        * multiplier
        * partners
        * informants;
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

/// Partner information (M3.1c): a contingent's detention multiplier from
/// the local ownership of the process, 1 + `ownership_detain_gain` ×
/// `mandate.local_ownership` (1 for police and PMCs). Local partners who
/// own the process tell troops who the fighters are, so a surge pays off
/// where partners inform it (Biddle, Friedman & Shapiro 2012).
fn partner_information(s: &MissionState, u: usize) -> f64 {
    match s.units.kind[u] {
        UnitKind::Contingent => {
            1.0 + s.rules.config.forces.ownership_detain_gain
                * s.rules.config.mandate.local_ownership
        }
        _ => 1.0,
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
    raid_resistance(s, u);
}

/// Armed holdouts resist a search (M3.1b): with probability
/// `forces.raid_resistance`, a fighter agent in the raiding unit's view
/// fights it (an attack on the mission, `factions::resist_raid`). Coercive
/// disarmament triggers attacks on the disarming force (UNOSOM II, June
/// 1993; Walter 1997: fighters do not give up arms without guarantees).
fn raid_resistance(s: &mut MissionState, u: usize) {
    let at = s.units.cell[u];
    let fighters = s.map.unit_view.count_mission(&s.map.grid, at).fighters;
    if fighters == 0 || !chance(&mut s.rng.forces, s.rules.config.forces.raid_resistance) {
        return;
    }
    let n = s.rng.forces.random_range(0..fighters);
    if let Some(cell) = s.map.unit_view.nth(&s.map.grid, at, Cell::Fighter, n) {
        let id = s.map.grid.occupant(cell);
        resist_raid(s, id, u);
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
    // Implementation quality sets what a contact is worth: a nominal
    // rollout brings neither trust nor tips (Blair et al. 2021).
    let quality = s.rules.config.mandate.policing_quality;
    s.layers.policing.add(i, (credit * quality) as f32);
    let trust = f64::from(s.layers.trust_nearby.get(i));
    let f = &s.rules.config.forces;
    let tips = f.tip_rate * trust * quality;
    s.today.tips += tips;
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

#[cfg(test)]
pub(super) mod tests {
    use std::path::Path;

    use super::*;

    /// Replicate 0 of the shipped Gaza baseline with `overrides`, after `days`.
    pub(in crate::mission) fn gaza(overrides: &[&str], days: u32) -> MissionState {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gaza/baseline.toml");
        let overrides: Vec<String> = overrides.iter().map(|o| o.to_string()).collect();
        let sc = crate::scenario::load(&path, &overrides).expect("Gaza baseline");
        let terrain = sc.world.terrain().expect("Gaza map");
        let sectors = sc.world.sectors().expect("Gaza sectors");
        let mut s = MissionState::new(&sc, &terrain, sectors.as_ref(), 0);
        for _ in 0..days {
            s.step();
        }
        s
    }

    #[test]
    fn local_ownership_informs_contingents_only() {
        let at = |ownership: &str| {
            let s = gaza(
                &[
                    &format!("mission.mandate.local_ownership={ownership}"),
                    "mission.police.initial_officers=1000",
                ],
                60,
            );
            let find = |kind: UnitKind| (0..s.units.len()).find(|&u| s.units.kind[u] == kind);
            let c = find(UnitKind::Contingent).expect("a contingent");
            let p = find(UnitKind::Police).map_or(1.0, |p| partner_information(&s, p));
            (partner_information(&s, c), p)
        };
        let gain = gaza(&[], 0).rules.config.forces.ownership_detain_gain;
        assert_eq!(at("0"), (1.0, 1.0));
        let (contingent, police) = at("0.8");
        assert!((contingent - (1.0 + 0.8 * gain)).abs() < 1e-12);
        assert_eq!(police, 1.0);
    }

    #[test]
    fn without_troops_there_is_no_qrf_escort_or_monitoring() {
        let full = gaza(&[], 120);
        assert!(full.forces.qrf_sorties > 0);
        assert!(full.forces.escort_share > 0.49);
        assert!(full.forces.monitoring > 0.49);
        let none = gaza(&["mission.mandate.force_scale=0"], 120);
        assert_eq!(none.forces.qrf_sorties, 0);
        assert_eq!(none.forces.escort_share, 0.0);
        assert_eq!(none.forces.monitoring, 0.0);
    }

    #[test]
    fn monitoring_scales_with_the_troops_on_duty() {
        // 3,000 troops for 2.1 M people: under half the 3 per 1,000 needed
        // (withdrawals off, so the force stays the size this test is about).
        let mut few = gaza(
            &[
                "mission.mandate.force_scale=0.2",
                "mission.forces.withdrawal_rate=0",
            ],
            120,
        );
        let m = few.forces.monitoring;
        assert!(m > 0.05 && m < 0.3, "monitoring {m}");
        // The sorties fielded at the start of a day (the day's incidents
        // may use them all up by its end).
        deploy_and_withdraw(&mut few, 121);
        assert!(few.forces.qrf_sorties > 0, "3,000 troops still field a QRF");
    }

    #[test]
    fn unarmed_observers_monitor_but_field_no_qrf_and_no_escort() {
        let s = gaza(
            &[
                "mission.mandate.armed=false",
                "mission.forces.withdrawal_rate=0",
            ],
            120,
        );
        assert_eq!(s.forces.qrf_sorties, 0);
        assert_eq!(s.forces.escort_share, 0.0);
        assert!(s.forces.monitoring > 0.49);
        let u = (0..s.units.len())
            .find(|&u| s.units.on_duty[u] && s.units.kind[u] == UnitKind::Contingent)
            .expect("a contingent on duty");
        let observer = s.rules.config.forces.observer_capability;
        assert_eq!(
            unit_capability(&s.units, &s.rules.config, s.tick, u),
            observer
        );
    }

    #[test]
    fn the_withdrawal_hazard_rises_smoothly_with_pressure() {
        let s = gaza(&[], 0);
        let c = &s.rules.config;
        assert_eq!(withdrawal_hazard(c, 0, 0.0), 0.0);
        let (low, half, high) = (
            withdrawal_hazard(c, 0, 0.5),
            withdrawal_hazard(c, 0, 1.0),
            withdrawal_hazard(c, 0, 2.0),
        );
        assert!(
            0.0 < low && low < half && half < high,
            "{low} {half} {high}"
        );
        let sensitivity = c.contributors[0].domestic_sensitivity;
        assert!((half - c.forces.withdrawal_rate * sensitivity / 2.0).abs() < 1e-12);
        // The European contingent (sensitivity 2) is the quickest to leave.
        assert!(withdrawal_hazard(c, 2, 1.0) > withdrawal_hazard(c, 1, 1.0));
    }

    #[test]
    fn a_unsc_mandate_lowers_every_contributors_pressure() {
        let mut with = gaza(&[], 0);
        let mut without = gaza(&["mission.mandate.unsc_mandate=false"], 0);
        for s in [&mut with, &mut without] {
            s.forces.contributors[2].recent_deaths = 20.0;
            s.forces.association_pressure = 1.0;
        }
        let (a, b) = (
            withdrawal_pressure(&with, 2),
            withdrawal_pressure(&without, 2),
        );
        assert!((b - (1.0 + 1.0 / 1.5)).abs() < 1e-12, "{b}");
        assert!((a * 1.5 - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn the_same_losses_weigh_less_on_a_larger_contingent() {
        // Issue 13: pressure is relative to the contingent's size (the
        // valley's contributors all left because losses were not).
        let pressure = |scale: &str| {
            let mut s = gaza(&[&format!("mission.mandate.force_scale={scale}")], 0);
            let st = &mut s.forces.contributors[2];
            st.deployed = st.full_units;
            st.recent_deaths = 10.0;
            withdrawal_pressure(&s, 2)
        };
        let (small, large) = (pressure("0.5"), pressure("1.5"));
        assert!(small > 0.0);
        assert!((small / large - 3.0).abs() < 0.05, "{small} vs {large}");
    }

    #[test]
    fn losses_and_association_fade_from_memory() {
        // Issue 13: withdrawal follows recent losses and strikes, so a
        // contingent that takes no new losses calms down.
        let mut s = gaza(&["mission.forces.withdrawal_rate=0"], 0);
        s.forces.contributors[2].recent_deaths = 20.0;
        s.forces.association_pressure = 1.0;
        let f = s.rules.config.forces.clone();
        let days = f.casualty_memory_days.round() as u32;
        for t in 1..=days {
            deploy_and_withdraw(&mut s, t);
        }
        let recent = s.forces.contributors[2].recent_deaths;
        assert!((recent - 10.0).abs() < 0.2, "{recent}");
        // Ten days' half-life: after 90 days, under 0.2 % is left.
        assert!(s.forces.association_pressure < 0.01);
    }

    #[test]
    fn contributors_at_their_tolerance_leave_one_by_one() {
        let mut s = gaza(&["mission.mandate.unsc_mandate=false"], 100);
        for c in 0..s.forces.contributors.len() {
            s.forces.contributors[c].recent_deaths =
                s.rules.config.contributors[c].casualty_tolerance;
        }
        let mut days = Vec::new();
        for t in 101..400 {
            decide_withdrawals(&mut s, t);
        }
        for st in &s.forces.contributors {
            days.push(
                st.withdrawn
                    .expect("every contributor leaves within 300 days"),
            );
        }
        days.sort_unstable();
        days.dedup();
        assert!(days.len() >= 3, "withdrawal days {days:?}");
    }

    #[test]
    fn community_contact_is_worth_its_implementation_quality() {
        let worth = |quality: &str| {
            let mut s = gaza(
                &[&format!("mission.mandate.policing_quality={quality}")],
                120,
            );
            let u = (0..s.units.len())
                .find(|&u| s.units.on_duty[u] && s.units.community[u])
                .expect("a unit in community posture");
            let i = s.map.grid.interior(s.units.cell[u]);
            let (contacts, intel) = (s.layers.policing.get(i), s.forces.intel);
            let kind = s.units.kind[u];
            community_contact(&mut s, u, kind);
            (s.layers.policing.get(i) - contacts, s.forces.intel - intel)
        };
        let (contacts, tips) = worth("0");
        assert_eq!((contacts, tips), (0.0, 0.0));
        let (contacts, tips) = worth("1");
        assert!(contacts > 0.0 && tips > 0.0, "{contacts} {tips}");
    }

    #[test]
    fn partner_coverage_follows_the_local_police() {
        let s = gaza(&[], 200);
        assert!(
            s.forces.partners.iter().any(|&p| p > 0.0),
            "{:?}",
            s.forces.partners
        );
        assert!(s.forces.partners.iter().all(|&p| (0.0..=1.0).contains(&p)));
        let none = gaza(&["mission.mandate.police_training_per_day=0"], 200);
        assert!(none.forces.partners.iter().all(|&p| p == 0.0));
    }
}
