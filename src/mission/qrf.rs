//! Incidents and the response to them: a unit in view answers quickly; a
//! severe incident far from any unit waits for a quick reaction force,
//! whose delay is detection (shortened by intelligence) plus travel. The
//! share of the incident's course left before help arrives sets how much
//! further harm it does; an arriving QRF may harm bystanders.

use super::draw::{chance, poisson};
use super::fighters::detain_fighter;
use super::harm::nth_civilian;
use super::state::{MissionState, Perpetrator, Status};
use super::war::heavy_tailed;
use crate::world::CellIndex;

/// An attack that has just happened.
#[derive(Debug, Clone, Copy)]
pub struct Incident {
    /// The attacking fighter agent.
    pub attacker: u32,
    /// Its faction.
    pub faction: usize,
    /// Where.
    pub cell: CellIndex,
    /// Security units in view of it.
    pub units_near: u32,
    /// Deaths so far.
    pub severity: f64,
    /// Civilians killed so far (its onset, or an attack's bystanders): the
    /// start of the incident's size.
    pub deaths: f64,
    /// Deaths still to come if it runs its full course (the ongoing share
    /// of an attack on civilians): cut by a response like escalation.
    pub ongoing: u32,
}

/// Hours until help arrives, and whether it is the QRF; `None` if nobody comes.
fn response(s: &mut MissionState, inc: &Incident) -> Option<(f64, bool)> {
    let forces = &s.rules.config.forces;
    if inc.units_near > 0 && chance(&mut s.rng.fighters, forces.local_response_probability) {
        return Some((forces.local_response_hours, false));
    }
    let m = &s.rules.config.mandate;
    if inc.severity < s.rules.config.qrf.severity_threshold
        || s.forces.qrf_sorties == 0
        || s.rules.derived.qrf_bases.is_empty()
    {
        return None;
    }
    s.forces.qrf_sorties -= 1;
    let (x, y) = s.map.grid.coords(inc.cell);
    let km = s.rules.config.cell_km;
    let (px, py) = (x as f64 * km, y as f64 * km);
    let distance = s
        .rules
        .derived
        .qrf_bases
        .iter()
        .map(|&(bx, by)| ((bx - px).powi(2) + (by - py).powi(2)).sqrt())
        .fold(f64::INFINITY, f64::min);
    let detect =
        m.qrf_detection_hours * (1.0 - s.rules.config.qrf.intel_detection_cut * s.forces.intel);
    Some((detect + distance / m.qrf_speed_kmh, true))
}

/// Runs an incident to its end: escalation deaths in proportion to the
/// share of its course before help arrives, heavy-tailed like an attack's
/// onset (an event's whole course is what Bohorquez et al. 2009 measure);
/// a response may catch the attacker and counts as protection seen by the
/// neighbours.
pub fn resolve_incident(s: &mut MissionState, inc: Incident) {
    s.today.incidents += 1;
    s.totals.incidents += 1;
    if let Some(map) = s.incident_map.as_mut() {
        map[s.map.grid.interior(inc.cell)] += 1;
    }
    let sector = s.sector_of(inc.cell);
    if !s.sectors[sector].controlled {
        s.today.incidents_contested += 1;
    }
    let slot = (s.tick + 1) as usize % s.sectors[sector].incidents.len();
    s.sectors[sector].incidents[slot] += 1;
    let damage = s.rules.config.humanitarian.incident_services_damage;
    let services = &mut s.sectors[sector].services;
    *services = (*services - damage).max(0.0);

    let duration = s.rules.config.fighters.incident_duration_hours;
    let answered = response(s, &inc);
    let unchecked = answered.map_or(1.0, |(hours, _)| (hours / duration).min(1.0));
    let near = s
        .map
        .unit_view
        .count_mission(&s.map.grid, inc.cell)
        .civilians;
    // Pareto with the mean of the unchecked share of the course: a Poisson
    // count here made two thirds of the faction's toll thin-tailed where few
    // incidents are answered (ODD §7.K, P04 tails).
    let escalation = heavy_tailed(
        &mut s.rng.fighters,
        s.rules.config.fighters.escalation_deaths * unchecked,
        s.rules.config.war.death_tail,
    );
    // An incident that help reaches is cut short: only the part of its
    // ongoing killing before the response happens.
    let escalation = escalation + (f64::from(inc.ongoing) * unchecked).round() as u32;
    let mut size = inc.deaths;
    if let Some(v) = nth_civilian(
        &s.map.grid,
        &s.map.unit_view,
        &mut s.rng.fighters,
        inc.cell,
        near,
    ) {
        size += s.kill(v, escalation, Perpetrator::Faction(inc.faction as u8));
    }
    let Some((_, by_qrf)) = answered else {
        s.totals.incident_sizes.record(size);
        return;
    };
    let saved = 1.0 - unchecked;
    let i = s.map.grid.interior(inc.cell);
    s.layers.protection.add(i, saved as f32);
    if by_qrf {
        let near = s
            .map
            .unit_view
            .count_mission(&s.map.grid, inc.cell)
            .civilians;
        let collateral = poisson(&mut s.rng.fighters, s.rules.config.qrf.collateral_deaths);
        if let Some(v) = nth_civilian(
            &s.map.grid,
            &s.map.unit_view,
            &mut s.rng.fighters,
            inc.cell,
            near,
        ) {
            size += s.kill(v, collateral, Perpetrator::Qrf);
        }
    }
    s.totals.incident_sizes.record(size);
    let strength = if by_qrf {
        s.rules.config.qrf.capability
    } else {
        1.0
    };
    let capture = (s.rules.config.forces.suppression * saved * strength).min(1.0);
    let attacker = inc.attacker;
    if s.civilians.status[attacker as usize] == Status::Recruited
        && chance(&mut s.rng.fighters, capture)
    {
        detain_fighter(s, attacker);
    }
}

#[cfg(test)]
mod tests {
    use super::super::forces::tests::gaza;
    use super::*;

    /// Day 0 of Gaza with no QRF and no suppression, at escalation deaths
    /// `escalation` and local response probability `response`, and its
    /// first fighter agent with its cell.
    fn without_qrf(escalation: &str, response: &str) -> (MissionState, u32, CellIndex) {
        let s = gaza(
            &[
                &format!("mission.fighters.escalation_deaths={escalation}"),
                &format!("mission.forces.local_response_probability={response}"),
                "mission.forces.suppression=0",
                "mission.mandate.qrf_units=0",
            ],
            0,
        );
        let (attacker, cell) = (0..s.civilians.len())
            .filter(|&i| s.civilians.status[i] == Status::Recruited)
            .map(|i| (i as u32, s.civilians.cell[i]))
            .next()
            .expect("a fighter agent");
        (s, attacker, cell)
    }

    /// Civilians killed by an incident at a fighter agent's cell with 16
    /// deaths still to come, answered by a unit in view or by nobody.
    fn course_deaths(answered: bool) -> f64 {
        let (mut s, attacker, cell) = without_qrf("0", "1");
        let before = s.totals.civilian_deaths;
        resolve_incident(
            &mut s,
            Incident {
                attacker,
                faction: 0,
                cell,
                units_near: u32::from(answered),
                severity: 1.0,
                deaths: 0.0,
                ongoing: 16,
            },
        );
        s.totals.civilian_deaths - before
    }

    #[test]
    fn escalation_deaths_keep_their_mean_and_have_a_heavy_tail() {
        // Nobody answers, no onset, nothing ongoing: escalation deaths alone.
        let (mut s, attacker, cell) = without_qrf("1", "0");
        let n = 4_000;
        let mut sizes = Vec::with_capacity(n);
        for _ in 0..n {
            let before = s.totals.civilian_deaths;
            let inc = Incident {
                attacker,
                faction: 0,
                cell,
                units_near: 0,
                severity: 1.0,
                deaths: 0.0,
                ongoing: 0,
            };
            resolve_incident(&mut s, inc);
            sizes.push(s.totals.civilian_deaths - before);
        }
        let mean = sizes.iter().sum::<f64>() / n as f64;
        assert!((mean - 1.0).abs() < 0.2, "mean {mean}");
        // 12 or more: about 1 in 10^9 for a Poisson count of mean 1, about
        // 1 in 200 for the Pareto draw (density exponent 2.5, scale 1/3).
        let big = sizes.iter().filter(|&&x| x >= 12.0).count();
        assert!(big >= 5, "{big} incidents of 12 or more");
        // Each incident's size went into the histogram.
        let mut expected = crate::stats::SizeHistogram::default();
        for &x in &sizes {
            expected.record(x);
        }
        assert_eq!(s.incident_sizes(), &expected);
    }

    #[test]
    fn incidents_count_as_contested_only_where_the_sector_is_not_held() {
        let (mut s, attacker, cell) = without_qrf("0", "0");
        let sector = s.sector_of(cell);
        let inc = Incident {
            attacker,
            faction: 0,
            cell,
            units_near: 0,
            severity: 0.0,
            deaths: 0.0,
            ongoing: 0,
        };
        s.sectors[sector].controlled = false;
        resolve_incident(&mut s, inc);
        assert_eq!((s.today.incidents, s.today.incidents_contested), (1, 1));
        s.sectors[sector].controlled = true;
        resolve_incident(&mut s, inc);
        assert_eq!((s.today.incidents, s.today.incidents_contested), (2, 1));
    }

    #[test]
    fn a_response_cuts_an_incident_short() {
        // Nobody comes: the killing runs its full course ...
        assert_eq!(course_deaths(false), 16.0);
        // ... a unit in view, there within an hour of the eight, stops it:
        // only the eighth of the ongoing deaths before it arrives.
        assert_eq!(course_deaths(true), 2.0);
    }
}
