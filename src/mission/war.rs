//! Renewed war and violence that flares. Each party to the ceasefire
//! (an `armed_group`) has a daily hazard of returning to war that
//! rises smoothly with recent violence, coercive pressure, its arms and its
//! lack of commitment, and falls with the troops deployed (troops per 1,000
//! residents through a saturating function: Hultman, Kathman & Shannon
//! 2016), the order's legitimacy and the time the peace has lasted
//! (Fortna 2004). A party at war may agree a new ceasefire with a small
//! hazard. Each faction also carries an operational tempo that its attacks
//! and the blows it suffers raise and that decays: a self-exciting
//! (Hawkes-like) process, so violence comes in bursts and can flare again.
//! Deaths per attack are drawn from a heavy tail with the configured mean
//! (Bohorquez et al. 2009).

use rand::RngExt;

use super::draw::{chance, rate_from_half_life};
use super::state::{MissionState, UnitKind};
use crate::rng::SimRng;
use crate::scenario::{FactionKind, WarParams};

/// Whether factions of `kind` are parties to the ceasefire, which can
/// return to war. Splinters are spoilers outside it (`FactionKind`): they
/// were never in a ceasefire to leave, and their attacks already run at
/// their low commitment, so a war multiplier would count their violence
/// twice (it tripled the Mali pack's violence); they raise the parties'
/// hazard through the violence they cause. Gangs loot; they fight no war.
pub fn is_party(kind: FactionKind) -> bool {
    kind == FactionKind::ArmedGroup
}

/// What a party's daily hazard of returning to war reads, gathered so the
/// formula is one pure function (and testable without a world).
#[derive(Debug, Clone, Copy)]
pub struct HazardInputs {
    /// Days since the ceasefire (or since the party's last ceasefire).
    pub days_at_peace: f64,
    /// Smoothed incidents per day per million residents.
    pub violence: f64,
    /// The party's coercive pressure.
    pub pressure: f64,
    /// The party's arms relative to its day-0 arms.
    pub strength: f64,
    /// The party's commitment.
    pub commitment: f64,
    /// The order's legitimacy.
    pub legitimacy: f64,
    /// Contingent troops on duty per 1,000 residents.
    pub troops_per_1000: f64,
}

/// A party's daily hazard of returning to war (see `docs/ODD.md` §7.M war).
/// Every factor is smooth in its input: there is no threshold.
pub fn war_hazard(w: &WarParams, x: &HazardInputs) -> f64 {
    let duration = w.duration_days / (w.duration_days + x.days_at_peace.max(0.0));
    let v = x.violence.max(0.0);
    let violence = 1.0 + w.violence_effect * v / (v + w.violence_half);
    let pressure = 1.0 + w.pressure_effect * x.pressure.max(0.0);
    let strength = x.strength.clamp(0.01, 100.0).powf(w.strength_elasticity);
    let commitment = (w.commitment_effect * (0.5 - x.commitment)).exp();
    let legitimacy = (w.legitimacy_effect * (0.5 - x.legitimacy)).exp();
    let d = x.troops_per_1000.max(0.0);
    let troops = 1.0 - w.troop_effect * d / (d + w.troop_half_per_1000);
    (w.base_hazard * duration * violence * pressure * strength * commitment * legitimacy * troops)
        .clamp(0.0, 1.0)
}

/// A count with mean `mean` whose size has a power-law tail: a Pareto draw
/// with density ∝ x^−α (α = `tail` > 2, so the mean is finite) and the
/// given mean, rounded up or down at random so the count keeps that mean.
pub fn heavy_tailed(rng: &mut SimRng, mean: f64, tail: f64) -> u32 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0;
    }
    let scale = mean * (tail - 2.0) / (tail - 1.0);
    let u: f64 = rng.random();
    let x = (scale * (1.0 - u).powf(-1.0 / (tail - 1.0))).min(1e6);
    let whole = x.floor();
    let extra = u32::from(chance(rng, x - whole));
    whole as u32 + extra
}

/// The daily decay rate of a faction's tempo.
pub fn tempo_rate(w: &WarParams) -> f64 {
    rate_from_half_life(w.tempo_half_life_days)
}

/// Extra daily attack probability of one fighter agent of faction `f` from
/// its faction's tempo: the tempo's daily offspring (branching × decay ×
/// tempo) shared over the faction's fighter agents, so that one event adds
/// `tempo_branching` attacks over its life whatever the faction's size.
pub fn tempo_attack_probability(s: &MissionState, f: usize) -> f64 {
    let w = &s.rules.config.war;
    let agents = (s.factions.state[f].fighters / s.rules.config.fighters.people_per_unit).max(1.0);
    w.tempo_branching * tempo_rate(w) * s.factions.state[f].tempo / agents
}

/// Phase 17: the day's violence is smoothed, each faction's tempo takes up
/// the day's blows and decays, and each party in the ceasefire may return
/// to war (each party at war may agree a new ceasefire).
pub fn update_war(s: &mut MissionState, t: u32) {
    let w = s.rules.config.war.clone();
    let million = s.rules.config.population.total_people / 1e6;
    let today = f64::from(s.today.incidents) / million;
    s.war.violence += rate_from_half_life(w.violence_half_life_days) * (today - s.war.violence);

    // Blows since yesterday's mark: pressure rose by them after decaying.
    let pressure_decay = 1.0 - s.rules.derived.pressure_rate;
    let tempo_decay = 1.0 - tempo_rate(&w);
    for st in &mut s.factions.state {
        let blows = (st.pressure - st.pressure_mark * pressure_decay).max(0.0);
        st.tempo = (st.tempo + w.blow_tempo * blows) * tempo_decay;
        st.pressure_mark = st.pressure;
    }

    let residents: f64 = s.sectors.iter().map(|x| x.people).sum();
    // Armed troops only: unarmed observers do not cut recurrence (HKS 2016).
    let troops = if s.rules.config.mandate.armed {
        s.units.on_duty_of(UnitKind::Contingent) as f64 * s.rules.config.forces.troops_per_unit
    } else {
        0.0
    };
    let troops_per_1000 = if residents > 0.0 {
        1000.0 * troops / residents
    } else {
        0.0
    };
    // The chance that no party at peace breaks today, for the run's
    // collapse risk (`metrics::collapse_risk`).
    let mut none_breaks = 1.0;
    for f in 0..s.factions.len() {
        if !is_party(s.rules.config.factions[f].kind) {
            continue;
        }
        let arms0 = s.rules.config.factions[f].arms.max(1.0);
        let st = &s.factions.state[f];
        if st.at_war {
            if chance(&mut s.rng.war, w.peace_hazard) {
                let st = &mut s.factions.state[f];
                st.at_war = false;
                st.peace_since = t;
            }
            continue;
        }
        let inputs = HazardInputs {
            days_at_peace: f64::from(t - st.peace_since),
            violence: s.war.violence,
            pressure: st.pressure,
            strength: st.arms / arms0,
            commitment: st.commitment,
            legitimacy: s.legitimacy,
            troops_per_1000,
        };
        let hazard = war_hazard(&w, &inputs);
        none_breaks *= 1.0 - hazard;
        if chance(&mut s.rng.war, hazard) {
            s.factions.state[f].at_war = true;
        }
    }
    s.war.collapse_hazard = 1.0 - none_breaks;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    fn reference() -> HazardInputs {
        HazardInputs {
            days_at_peace: 0.0,
            violence: 0.0,
            pressure: 0.0,
            strength: 1.0,
            commitment: 0.5,
            legitimacy: 0.5,
            troops_per_1000: 0.0,
        }
    }

    #[test]
    fn hazard_is_the_base_at_the_reference() {
        let w = WarParams::default();
        assert!((war_hazard(&w, &reference()) - w.base_hazard).abs() < 1e-15);
    }

    #[test]
    fn troops_cut_the_hazard_with_diminishing_returns() {
        let w = WarParams::default();
        let h = |d: f64| {
            war_hazard(
                &w,
                &HazardInputs {
                    troops_per_1000: d,
                    ..reference()
                },
            )
        };
        assert!(h(2.0) < h(0.0) && h(7.0) < h(2.0) && h(21.0) < h(7.0));
        // Saturating: the first troops do the most per soldier.
        assert!(h(0.0) - h(2.0) > h(19.0) - h(21.0));
        // Never below (1 − troop_effect) of the hazard.
        assert!(h(1e6) >= w.base_hazard * (1.0 - w.troop_effect) - 1e-15);
    }

    #[test]
    fn hazard_rises_smoothly_with_violence_arms_and_falls_with_commitment_and_time() {
        let w = WarParams::default();
        let r = reference();
        let h = |x: HazardInputs| war_hazard(&w, &x);
        let mut last = h(r);
        // No knife edge: small steps in violence make small steps in hazard.
        for k in 1..=100 {
            let x = h(HazardInputs {
                violence: f64::from(k) * 0.1,
                ..r
            });
            assert!(x > last && x - last < 0.15 * w.base_hazard);
            last = x;
        }
        assert!(h(HazardInputs { strength: 2.0, ..r }) > h(r));
        assert!(h(HazardInputs { pressure: 1.0, ..r }) > h(r));
        assert!(
            h(HazardInputs {
                commitment: 0.9,
                ..r
            }) < h(r)
        );
        assert!(
            h(HazardInputs {
                legitimacy: 0.8,
                ..r
            }) < h(r)
        );
        assert!(
            h(HazardInputs {
                days_at_peace: 365.0,
                ..r
            }) < h(r)
        );
    }

    /// Survival to day `t` under constant inputs: exp(−Σ h).
    fn survival(w: &WarParams, x: HazardInputs, days: u32) -> f64 {
        let h: f64 = (0..days)
            .map(|t| {
                war_hazard(
                    w,
                    &HazardInputs {
                        days_at_peace: f64::from(t),
                        ..x
                    },
                )
            })
            .sum();
        (-h).exp()
    }

    #[test]
    fn the_default_hazard_has_fortnas_shape_and_troops_cut_it_by_half_or_more() {
        let w = WarParams::default();
        // At the reference (no troops, no violence), peace holds about as
        // often as in Fortna's (2004) cases without peacekeepers.
        for (days, fortna) in [(182, 0.68), (365, 0.61), (730, 0.53)] {
            let s = survival(&w, reference(), days);
            assert!((s - fortna).abs() < 0.05, "day {days}: {s} vs {fortna}");
        }
        // The hazard falls as peace lasts: most collapses in the first half-year.
        let early = 1.0 - survival(&w, reference(), 182);
        let late = survival(&w, reference(), 365) - survival(&w, reference(), 730);
        assert!(early > 2.0 * late);
        // A Gaza-like force (≈ 5.6 troops per 1,000) cuts the hazard by
        // 50–85 % (Fortna 2004; Gilligan & Sergenti 2008), a thin one
        // (0.5 per 1,000) by less.
        let ratio = |d: f64| {
            war_hazard(
                &w,
                &HazardInputs {
                    troops_per_1000: d,
                    ..reference()
                },
            ) / w.base_hazard
        };
        assert!(ratio(5.6) > 0.15 && ratio(5.6) < 0.5, "{}", ratio(5.6));
        assert!(ratio(0.5) > ratio(5.6) && ratio(0.5) < 1.0);
    }

    #[test]
    fn heavy_tailed_keeps_the_mean_and_has_a_power_tail() {
        let mut rng = stream(11, 0, Stream::World);
        let n = 200_000;
        let xs: Vec<u32> = (0..n).map(|_| heavy_tailed(&mut rng, 2.0, 3.0)).collect();
        let mean = xs.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
        assert!((mean - 2.0).abs() < 0.1, "mean {mean}");
        // CCDF ∝ x^−(α−1) = x^−2: ten times the size, a hundredth as likely.
        let above = |k: u32| xs.iter().filter(|&&x| x >= k).count() as f64;
        let ratio = above(50) / above(5);
        assert!(ratio > 0.005 && ratio < 0.02, "ratio {ratio}");
        // A Poisson of mean 2 is never 50.
        assert!(above(50) > 10.0);
        assert_eq!(heavy_tailed(&mut rng, 0.0, 2.5), 0);
    }
}
