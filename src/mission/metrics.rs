//! What the mission model measures each day (MODEL.md §Outputs), in people
//! unless the name says otherwise, and the per-run outcomes derived from
//! those series. Definitions are in `docs/ODD.md` §Observation.

use super::state::{MissionState, PERPETRATOR_NAMES, STATUS_NAMES, Status, UnitKind};
use crate::metrics::Series;
use crate::scenario::MissionConfig;

/// Metrics that do not depend on the line-up, after the statuses.
const FIXED: [&str; 48] = [
    "units",
    "legitimacy",
    "cumulative_civilian_deaths",
    "cumulative_incidents",
    "incidents",
    "attacks_on_mission",
    "civilian_deaths",
    "fighter_deaths",
    "mission_deaths",
    "strikes",
    "lootings",
    "ct_raids",
    "trust_mean",
    "trust_share",
    "legitimacy_mean",
    "grievance_mean",
    "hardship_mean",
    "active_share",
    "fighters",
    "arms",
    "weapons_collected",
    "reintegrated",
    "detained_fighters",
    "rations_delivered",
    "aid_coverage",
    "services",
    "troops",
    "contributors_withdrawn",
    "police_officers",
    "police_units",
    "pmc_units",
    "sectors_handed_over",
    "handover_share",
    "intel",
    "threat",
    "tips",
    "relapses",
    "recruits",
    "attacks_on_projects",
    "incidents_contested",
    "controlled_share",
    "at_war",
    "ceasefire_broken",
    "collapse_hazard",
    "witnesses_faction_harm",
    "trust_response_faction_harm",
    "witnesses_mission_harm",
    "trust_response_mission_harm",
];

/// Column names for a mission configuration: statuses (people), the fixed
/// metrics, civilian deaths by perpetrator, then troops by contributor and
/// fighters and support by faction.
pub fn metric_names(config: &MissionConfig) -> Vec<String> {
    let mut names: Vec<String> = STATUS_NAMES.iter().map(|s| s.to_string()).collect();
    names.extend(FIXED.iter().map(|s| s.to_string()));
    names.extend(
        PERPETRATOR_NAMES
            .iter()
            .map(|p| format!("civilian_deaths_{p}")),
    );
    names.extend(
        config
            .contributors
            .iter()
            .map(|c| format!("troops:{}", c.name)),
    );
    names.extend(
        config
            .factions
            .iter()
            .map(|f| format!("fighters:{}", f.name)),
    );
    names.extend(
        config
            .factions
            .iter()
            .map(|f| format!("support:{}", f.name)),
    );
    names
}

impl MissionState {
    /// The people-weighted standard deviation of trust over the civilians
    /// `trust_mean` averages (living, not recruited), 0 when there are none:
    /// how much trust differs between people today (pattern test P04 reads
    /// it on the last day). Not a column of the daily row: the series and
    /// its CSVs stay as they are.
    pub fn trust_spread(&self) -> f64 {
        let c = &self.civilians;
        let (mut people, mut sum, mut squares) = (0.0f64, 0.0f64, 0.0f64);
        for i in 0..c.len() {
            if matches!(c.status[i], Status::Dead | Status::Recruited) {
                continue;
            }
            let (m, t) = (f64::from(c.members[i]), f64::from(c.trust[i]));
            people += m;
            sum += m * t;
            squares += m * t * t;
        }
        if people <= 0.0 {
            return 0.0;
        }
        let mean = sum / people;
        // Rounding can leave a tiny negative variance when all agree.
        (squares / people - mean * mean).max(0.0).sqrt()
    }

    /// Today's row, in the order of [`metric_names`], written into `row`.
    pub fn metrics_into(&self, row: &mut Vec<f64>) {
        row.clear();
        let c = &self.civilians;
        let mut status_people = [0.0f64; 7];
        let (mut living, mut trust_sum, mut trusting) = (0.0f64, 0.0f64, 0.0f64);
        let (mut legit_sum, mut grievance_sum, mut hardship_sum) = (0.0f64, 0.0f64, 0.0f64);
        let nf = self.factions.len();
        let mut support = vec![0.0f64; nf];
        let threshold = self.rules.config.outcomes.trust_threshold as f32;
        for i in 0..c.len() {
            let m = f64::from(c.members[i]);
            status_people[c.status[i].index()] += m;
            if matches!(c.status[i], Status::Dead | Status::Recruited) {
                continue;
            }
            living += m;
            trust_sum += m * f64::from(c.trust[i]);
            if c.trust[i] >= threshold {
                trusting += m;
            }
            let l = super::civilians::agent_legitimacy(self, i);
            legit_sum += m * l;
            grievance_sum += m * f64::from(c.hardship[i]) * (1.0 - l);
            hardship_sum += m * f64::from(c.hardship[i]);
            for (f, s) in support.iter_mut().enumerate() {
                *s += m * f64::from(c.sympathy[i * nf + f]);
            }
        }
        // Dead people are counted in `dead` whether or not their whole
        // group died, so that statuses sum to the population.
        status_people[Status::Dead.index()] = self.totals.dead;
        // Groups arrested out of an agent are held apart from it.
        status_people[Status::Detained.index()] += self.detention.people;
        let mean = |x: f64| if living > 0.0 { x / living } else { 0.0 };
        row.extend_from_slice(&status_people);

        let t = &self.today;
        let units_on = (0..self.units.len())
            .filter(|&u| self.units.on_duty[u])
            .count();
        let contingents = self.units.on_duty_of(UnitKind::Contingent);
        let per_unit = self.rules.config.forces.troops_per_unit;
        let fighters: f64 = self.factions.state.iter().map(|f| f.fighters).sum();
        let arms: f64 = self.factions.state.iter().map(|f| f.arms).sum();
        let detained_fighters: f64 = (0..c.len())
            .filter(|&i| {
                c.status[i] == Status::Detained && c.faction[i] != super::state::NO_FACTION
            })
            .map(|i| f64::from(c.members[i]))
            .sum();
        let people: f64 = self.sectors.iter().map(|s| s.people).sum();
        let weighted = |f: &dyn Fn(&super::state::SectorState) -> f64| {
            if people > 0.0 {
                self.sectors.iter().map(|s| f(s) * s.people).sum::<f64>() / people
            } else {
                0.0
            }
        };
        // Parties at war, and whether a party to the ceasefire (an armed
        // group, not a splinter outside it) is among them.
        let parties = self.factions.state.iter().zip(&self.rules.config.factions);
        let at_war = parties.clone().filter(|(st, _)| st.at_war).count();
        let broken = parties
            .filter(|(st, _)| st.at_war)
            .any(|(_, cfg)| cfg.kind == crate::scenario::FactionKind::ArmedGroup);
        let handed = self
            .sectors
            .iter()
            .filter(|s| s.handed_over.is_some())
            .count();
        row.extend_from_slice(&[
            units_on as f64,
            self.legitimacy,
            self.totals.civilian_deaths,
            f64::from(self.totals.incidents),
            f64::from(t.incidents),
            f64::from(t.attacks_on_mission),
            t.civilian_deaths.iter().sum(),
            t.fighter_deaths,
            t.mission_deaths,
            f64::from(t.strikes),
            f64::from(t.lootings),
            f64::from(t.ct_raids),
            mean(trust_sum),
            mean(trusting),
            mean(legit_sum),
            mean(grievance_sum),
            mean(hardship_sum),
            mean(status_people[Status::Active.index()]),
            fighters,
            arms,
            self.totals.weapons_collected,
            self.totals.reintegrated,
            detained_fighters,
            t.rations,
            weighted(&|s| s.coverage),
            weighted(&|s| s.services),
            contingents as f64 * per_unit,
            f64::from(self.totals.withdrawals),
            self.police.officers,
            self.units.on_duty_of(UnitKind::Police) as f64,
            self.units.on_duty_of(UnitKind::Pmc) as f64,
            handed as f64,
            handed as f64 / self.sectors.len().max(1) as f64,
            self.forces.intel,
            self.external.threat,
            t.tips,
            t.relapses,
            t.recruits,
            f64::from(t.attacks_on_projects),
            f64::from(t.incidents_contested),
            self.sectors.iter().filter(|s| s.controlled).count() as f64
                / self.sectors.len().max(1) as f64,
            at_war as f64,
            f64::from(u8::from(broken)),
            self.war.collapse_hazard,
            t.witnessed.faction_people,
            t.witnessed.faction_response,
            t.witnessed.mission_people,
            t.witnessed.mission_response,
        ]);
        row.extend_from_slice(&t.civilian_deaths);
        for k in 0..self.forces.contributors.len() {
            let n = (0..self.units.len())
                .filter(|&u| {
                    self.units.on_duty[u]
                        && self.units.kind[u] == UnitKind::Contingent
                        && self.units.owner[u] as usize == k
                })
                .count();
            row.push(n as f64 * per_unit);
        }
        row.extend(self.factions.state.iter().map(|f| f.fighters));
        row.extend(support.iter().map(|&s| mean(s)));
    }
}

/// Column names of the mission model's `runs.csv` (after `replicate`).
pub const MISSION_RUN_COLUMNS: [&str; 27] = [
    "civilian_deaths",
    "civilian_deaths_mission_side",
    "civilian_deaths_external",
    "civilian_deaths_faction",
    "fighter_deaths",
    "mission_deaths",
    "incidents",
    "attacks_on_mission",
    "strikes",
    "lootings",
    "mean_trust",
    "final_trust",
    "final_trust_share",
    "final_legitimacy",
    "mean_active_share",
    "final_fighters",
    "final_arms",
    "weapons_collected",
    "reintegrated",
    "mean_aid_coverage",
    "final_services",
    "contributors_withdrawn",
    "ceasefire_collapsed",
    "collapse_tick",
    "collapse_risk",
    "handover_achieved",
    "handover_tick",
];

/// The mission model's per-run outcomes over ticks `burn_in + 1 ..= T`:
/// totals of daily counts, means and final values of levels, ceasefire
/// collapse (the first day an armed group, a party to the ceasefire, is at
/// war: `ceasefire_broken`), its risk ([`collapse_risk`]) and handover
/// (every sector handed over; the tick is the first such day).
pub fn mission_outcome(series: &Series, burn_in: u32, _config: &MissionConfig) -> Vec<Option<f64>> {
    let col =
        |name: &str| -> Vec<f64> { series.column(name).map(|c| c.collect()).unwrap_or_default() };
    let from = burn_in as usize + 1;
    let total = |name: &str| col(name).iter().skip(from).sum::<f64>();
    let last = |name: &str| col(name).last().copied().unwrap_or(0.0);
    let mean = |name: &str| {
        let v = col(name);
        let w = &v[from.min(v.len())..];
        if w.is_empty() {
            0.0
        } else {
            w.iter().sum::<f64>() / w.len() as f64
        }
    };
    let mission_side: f64 = ["mission", "qrf", "pmc", "ct", "police"]
        .iter()
        .map(|p| total(&format!("civilian_deaths_{p}")))
        .sum();
    let collapse = first_day(&col("ceasefire_broken"), from);
    let handover = col("handover_share")
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, x)| **x >= 1.0)
        .map(|(t, _)| t as f64);
    vec![
        Some(total("civilian_deaths")),
        Some(mission_side),
        Some(total("civilian_deaths_external")),
        Some(total("civilian_deaths_faction")),
        Some(total("fighter_deaths")),
        Some(total("mission_deaths")),
        Some(total("incidents")),
        Some(total("attacks_on_mission")),
        Some(total("strikes")),
        Some(total("lootings")),
        Some(mean("trust_mean")),
        Some(last("trust_mean")),
        Some(last("trust_share")),
        Some(last("legitimacy_mean")),
        Some(mean("active_share")),
        Some(last("fighters")),
        Some(last("arms")),
        Some(last("weapons_collected")),
        Some(last("reintegrated")),
        Some(mean("aid_coverage")),
        Some(last("services")),
        Some(last("contributors_withdrawn")),
        Some(if collapse.is_some() { 1.0 } else { 0.0 }),
        collapse.map(|t| t as f64),
        Some(collapse_risk(
            &col("collapse_hazard"),
            &col("ceasefire_broken"),
            from,
        )),
        Some(if handover.is_some() { 1.0 } else { 0.0 }),
        handover,
    ]
}

/// A run's risk of ceasefire collapse: the sum of the daily collapse
/// probabilities (`hazard`, the series `collapse_hazard`) from tick `from`
/// through the day of collapse or the horizon, whichever comes first. This
/// is the compensator of the collapse indicator (Andersen, Borgan, Gill &
/// Keiding 1993): each day adds the chance of collapsing that day given
/// that the ceasefire held to it, so its mean over runs equals P(collapse by
/// the horizon) exactly; but a run gives a continuous value from its whole
/// path, not one yes/no draw, so it needs far fewer runs (`docs/ODD.md`
/// §Observation). A war carried over the burn-in is counted as it is (1 if
/// still on at `from`, as [`first_day`] counts it), since the day's hazard
/// covers only the parties at peace.
pub fn collapse_risk(hazard: &[f64], broken: &[f64], from: usize) -> f64 {
    let is_broken = |t: usize| broken.get(t).is_some_and(|&b| b >= 0.5);
    let mut start = from;
    if from > 0 && is_broken(from - 1) {
        if is_broken(from) {
            return 1.0;
        }
        // Peace was made on day `from`: the new ceasefire's risk starts the
        // day after.
        start = from + 1;
    }
    let mut risk = 0.0;
    for (t, h) in hazard.iter().enumerate().skip(start) {
        risk += h;
        if is_broken(t) {
            break;
        }
    }
    risk
}

/// The first tick at or after `from` on which `flag` is set (≥ 0.5).
pub fn first_day(flag: &[f64], from: usize) -> Option<usize> {
    flag.iter()
        .enumerate()
        .skip(from)
        .find(|(_, x)| **x >= 0.5)
        .map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_is_the_first_day_at_war_after_the_burn_in() {
        let x = [0.0, 0.0, 1.0, 1.0, 0.0, 1.0];
        assert_eq!(first_day(&x, 1), Some(2));
        // A war under way when the burn-in ends counts from its first day.
        assert_eq!(first_day(&x, 3), Some(3));
        assert_eq!(first_day(&x, 4), Some(5));
        assert_eq!(first_day(&[0.0; 5], 0), None);
    }

    #[test]
    fn collapse_risk_sums_the_daily_hazard_up_to_and_including_the_collapse() {
        let h = [0.5, 0.01, 0.02, 0.04, 0.08, 0.16];
        // Held throughout: every day from `from` on.
        assert!((collapse_risk(&h, &[0.0; 6], 1) - 0.31).abs() < 1e-15);
        assert!((collapse_risk(&h, &[0.0; 6], 3) - 0.28).abs() < 1e-15);
        // Broken on day 3: days 1-3 count, not the days at war after it.
        let b = [0.0, 0.0, 0.0, 1.0, 1.0, 0.0];
        assert!((collapse_risk(&h, &b, 1) - 0.07).abs() < 1e-15);
        // A war carried over the burn-in is a collapse on `from` (as
        // first_day says); one that ended on `from` restarts the sum after it.
        assert_eq!(collapse_risk(&h, &b, 4), 1.0);
        assert_eq!(first_day(&b, 4), Some(4));
        assert!((collapse_risk(&h, &b, 5) - 0.0).abs() < 1e-15);
        assert_eq!(first_day(&b, 5), None);
        assert_eq!(collapse_risk(&[], &[], 1), 0.0);
    }
}
