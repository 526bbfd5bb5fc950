//! Published magnitudes side by side: the dose–response of civilian deaths
//! by factions and of battle deaths (fighters' and mission personnel's) to
//! troops and to police, next to Hultman, Kathman & Shannon (2013, 2014),
//! and ceasefire survival with and without a mission, next to Fortna
//! (2004).
//!
//! Unit conversion: HKS regress monthly deaths on the absolute number of
//! UN troops and police in countries of a few million to a few tens of
//! millions of people; the model's contexts fix a population. Absolute
//! numbers are shown (as HKS count them) with troops per 1,000 residents
//! beside them, and effects are compared as ratios to the no-force level,
//! which do not depend on the unit of deaths.

use super::contexts::{Context, RunSettings, arm_scenario};
use super::facts::LEVEL;
use super::measure::Measure;
use super::runner::{Tick, run_collect, run_measures};
use crate::stats::{KaplanMeier, Observation, PairedInterval, log_rank, mean_interval};

/// Troop levels, as multiples of the context's pledged troops
/// (`mission.mandate.force_scale`).
pub const TROOP_SCALES: [f64; 5] = [0.0, 0.25, 0.5, 1.0, 2.0];
/// Police levels (`mission.police.initial_officers`, with no training so
/// the stock stays there).
pub const POLICE_OFFICERS: [f64; 5] = [0.0, 1_000.0, 3_000.0, 6_000.0, 12_000.0];
/// The two measures, per 30 days.
pub const DOSE_MEASURES: [(&str, &str); 2] = [
    ("civilian deaths by factions", "sum:civilian_deaths_faction"),
    ("battle deaths", "sum:fighter_deaths+mission_deaths"),
];
/// "No mission": no troops and none of the parts that work without them.
pub const NO_MISSION: [&str; 7] = [
    "mission.mandate.force_scale=0",
    "mission.mandate.qrf_units=0",
    "mission.mandate.monitoring=0",
    "mission.mandate.convoy_escort=0",
    "mission.mandate.police_training_per_day=0",
    "mission.mandate.ct_track=0",
    "mission.mandate.pmc_units=0",
];
/// Fortna (2004): share of ceasefires still holding after (days, with
/// peacekeepers, without).
pub const FORTNA: [(u32, f64, f64); 3] = [(182, 0.85, 0.68), (365, 0.79, 0.61), (730, 0.68, 0.53)];

/// One level of one lever on one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct DoseRow {
    /// Context name.
    pub context: String,
    /// "troops" or "police".
    pub lever: &'static str,
    /// The override value (force scale or officers).
    pub level: f64,
    /// Personnel: troops deployed at full strength, or police officers.
    pub personnel: f64,
    /// Personnel per 1,000 residents.
    pub per_1000: f64,
    /// Measure label.
    pub measure: &'static str,
    /// Mean per 30 days over replicates, and its 95 % t interval.
    pub mean: f64,
    /// Interval.
    pub low: f64,
    /// Interval.
    pub high: f64,
    /// Mean over the no-force level's mean.
    pub ratio: f64,
    /// Paired difference from the no-force level (per 30 days), 95 % CI.
    pub diff_low: f64,
    /// Interval.
    pub diff_high: f64,
    /// The published ratio at this many personnel (NaN: none published).
    pub published: f64,
    /// Where it comes from.
    pub source: &'static str,
    /// Replicates; or why the level could not run.
    pub n: Result<usize, String>,
}

/// The published ratio to no force at `personnel` for a lever and measure.
fn published(lever: &str, measure: &str, personnel: f64) -> (f64, &'static str) {
    match (lever, measure) {
        ("troops", "civilian deaths by factions") => (
            0.6f64.powf(personnel / 1_000.0),
            "HKS 2013: x0.6 per 1,000 troops (106/month at none, <2 at 8,000)",
        ),
        ("troops", _) => (
            0.3f64.powf(personnel / 10_000.0),
            "HKS 2014: -70 % at 10,000 troops",
        ),
        ("police", "civilian deaths by factions") => (
            f64::NAN,
            "HKS 2013: police reduce civilian killings (no dose given)",
        ),
        _ => (1.0, "HKS 2014: police ~0 on battle deaths"),
    }
}

/// Replicates the dose–response needs on one context.
pub fn dose_replicates(run: RunSettings) -> u64 {
    (TROOP_SCALES.len() + POLICE_OFFICERS.len()) as u64 * u64::from(run.replicates)
}

/// The dose–response of one context.
pub fn dose_response(
    context: &Context,
    run: RunSettings,
    threads: usize,
    tick: Tick<'_>,
) -> Vec<DoseRow> {
    let measures: Vec<Measure> = DOSE_MEASURES
        .iter()
        .map(|(_, m)| Measure::parse(m).expect("a valid measure"))
        .collect();
    let mut rows = Vec::new();
    let levers: [(&'static str, &[f64]); 2] =
        [("troops", &TROOP_SCALES), ("police", &POLICE_OFFICERS)];
    for (lever, levels) in levers {
        let mut none: Vec<Vec<Option<f64>>> = Vec::new();
        for &level in levels {
            let overrides = match lever {
                "troops" => vec![format!("mission.mandate.force_scale={level}")],
                _ => vec![
                    format!("mission.police.initial_officers={level}"),
                    "mission.mandate.police_training_per_day=0".to_string(),
                ],
            };
            let ran = arm_scenario(&context.file, &overrides, run).and_then(|sc| {
                let people = sc
                    .mission
                    .as_ref()
                    .map_or(0.0, |m| m.population.total_people);
                let personnel = match (lever, &sc.mission) {
                    ("troops", Some(m)) => {
                        level * m.contributors.iter().map(|c| c.troops).sum::<f64>()
                    }
                    _ => level,
                };
                let values = run_measures(&sc, &measures, threads, tick)?;
                Ok((personnel, people, values))
            });
            let (personnel, people, values) = match ran {
                Ok(r) => r,
                Err(e) => {
                    for _ in 0..run.replicates {
                        tick();
                    }
                    for (label, _) in DOSE_MEASURES {
                        rows.push(failed_row(context, lever, level, label, e.clone()));
                    }
                    continue;
                }
            };
            let month = 30.0 / f64::from(run.ticks);
            for (k, (label, _)) in DOSE_MEASURES.iter().enumerate() {
                let v: Vec<Option<f64>> = match &values[k] {
                    Ok(v) => v.iter().map(|x| x.map(|x| x * month)).collect(),
                    Err(e) => {
                        rows.push(failed_row(context, lever, level, label, e.clone()));
                        continue;
                    }
                };
                if none.len() <= k {
                    none.push(v.clone());
                }
                let present: Vec<f64> = v.iter().flatten().copied().collect();
                let (mean, low, high) = mean_interval(&present, LEVEL);
                let base: Vec<f64> = none[k].iter().flatten().copied().collect();
                let base_mean = base.iter().sum::<f64>() / base.len() as f64;
                let d = PairedInterval::of(&none[k], &v, LEVEL);
                let (published, source) = published(lever, label, personnel);
                rows.push(DoseRow {
                    context: context.name.clone(),
                    lever,
                    level,
                    personnel,
                    per_1000: if people > 0.0 {
                        personnel / people * 1_000.0
                    } else {
                        f64::NAN
                    },
                    measure: label,
                    mean,
                    low,
                    high,
                    ratio: mean / base_mean,
                    diff_low: d.low,
                    diff_high: d.high,
                    published,
                    source,
                    n: Ok(present.len()),
                });
            }
        }
    }
    rows
}

fn failed_row(
    context: &Context,
    lever: &'static str,
    level: f64,
    label: &'static str,
    e: String,
) -> DoseRow {
    DoseRow {
        context: context.name.clone(),
        lever,
        level,
        personnel: f64::NAN,
        per_1000: f64::NAN,
        measure: label,
        mean: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
        ratio: f64::NAN,
        diff_low: f64::NAN,
        diff_high: f64::NAN,
        published: f64::NAN,
        source: "",
        n: Err(e),
    }
}

/// Survival of the ceasefire at one day, with or without a mission.
#[derive(Debug, Clone, PartialEq)]
pub struct SurvivalRow {
    /// Context name.
    pub context: String,
    /// "mission" or "no mission".
    pub arm: &'static str,
    /// Day.
    pub day: u32,
    /// Kaplan–Meier estimate (NaN beyond the horizon).
    pub survival: f64,
    /// Log-log 95 % band.
    pub low: f64,
    /// Band.
    pub high: f64,
    /// Fortna (2004) at this point.
    pub fortna: f64,
    /// Collapses and runs.
    pub events: usize,
    /// Runs.
    pub n: usize,
    /// Log-rank p of mission vs no mission (same on both arms' rows).
    pub log_rank_p: f64,
}

/// A context's Kaplan–Meier curves: (arm, curve), for charts.
pub type Curves = Vec<(&'static str, KaplanMeier)>;

/// Replicates survival needs on one context.
pub fn survival_replicates(run: RunSettings) -> u64 {
    2 * u64::from(run.replicates)
}

/// Ceasefire survival with and without a mission on one context: time to
/// `collapse_tick`, censored at the horizon.
pub fn survival(
    context: &Context,
    run: RunSettings,
    threads: usize,
    tick: Tick<'_>,
) -> Result<(Vec<SurvivalRow>, Curves), String> {
    let arms: [(&'static str, Vec<String>); 2] = [
        ("mission", Vec::new()),
        (
            "no mission",
            NO_MISSION.iter().map(|s| s.to_string()).collect(),
        ),
    ];
    let mut obs: Vec<(&'static str, Vec<Observation>)> = Vec::new();
    for (name, overrides) in arms {
        let sc = match arm_scenario(&context.file, &overrides, run) {
            Ok(sc) => sc,
            Err(e) => {
                for _ in 0..(2 - obs.len() as u32) * run.replicates {
                    tick();
                }
                return Err(e);
            }
        };
        let rule = crate::model::OutcomeRule::for_scenario(&sc);
        let cols = rule.columns();
        let (Some(c), Some(t)) = (
            cols.iter().position(|c| *c == "ceasefire_collapsed"),
            cols.iter().position(|c| *c == "collapse_tick"),
        ) else {
            return Err("the model records no ceasefire_collapsed / collapse_tick".to_string());
        };
        let horizon = f64::from(sc.run.ticks);
        let reduce =
            move |_: &crate::metrics::Series, _: &crate::model::OutcomeRule, o: &[Option<f64>]| {
                let event = o[c].is_some_and(|v| v > 0.5);
                let time = if event {
                    o[t].unwrap_or(horizon)
                } else {
                    horizon
                };
                Observation { time, event }
            };
        obs.push((name, run_collect(&sc, threads, &reduce, tick)?));
    }
    let lr = log_rank(&obs[0].1, &obs[1].1);
    let mut rows = Vec::new();
    let mut curves = Vec::new();
    for (arm, o) in &obs {
        let km = KaplanMeier::estimate(o);
        let band = km.band(LEVEL);
        for (day, with, without) in FORTNA {
            let beyond = f64::from(day) > f64::from(run.ticks);
            let at = band.iter().take_while(|b| b.time <= f64::from(day)).last();
            let (low, high) = at.map_or((1.0, 1.0), |b| (b.low, b.high));
            rows.push(SurvivalRow {
                context: context.name.clone(),
                arm,
                day,
                survival: if beyond {
                    f64::NAN
                } else {
                    km.survival_at(f64::from(day))
                },
                low: if beyond { f64::NAN } else { low },
                high: if beyond { f64::NAN } else { high },
                fortna: if *arm == "mission" { with } else { without },
                events: km.events,
                n: km.n,
                log_rank_p: lr.p_value,
            });
        }
        curves.push((*arm, km));
    }
    Ok((rows, curves))
}
