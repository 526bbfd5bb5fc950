//! The statistics of a comparison. Replicate i of every scenario shares its
//! seed (common random numbers), so every difference from the baseline is a
//! paired one, and each measure gets the statistic that fits its kind:
//!
//! * a continuous measure (deaths, attacks, time-averaged trust, incident
//!   rate): the paired t interval of the per-replicate differences and its
//!   two-sided p-value;
//! * a yes/no measure (ceasefire held): the difference of the paired
//!   proportions with Newcombe's method-10 interval (inside [−1, 1]) and
//!   McNemar's exact p-value;
//! * a time to event (ceasefire collapse, full handover): the restricted
//!   mean up to the horizon, compared by the paired t interval of the
//!   per-replicate restricted times min(T, horizon). Every censoring in a
//!   run is at the horizon, so the mean of min(T, horizon) is exactly the
//!   Kaplan–Meier restricted mean survival time, and its paired difference
//!   is the RMST difference's paired analogue. The log-rank p-value is
//!   reported beside it.
//!
//! Zero-variance pairs ("no difference in any pair", or one constant
//! difference) and fewer than [`MIN_PAIRS`] pairs get no p-value and are
//! never significant; a time to event that no run of either scenario
//! reached is "not reached", never a number. Every p-value has a Holm
//! adjustment over the whole comparison (every mandate × measure) and a
//! Benjamini–Hochberg companion; significance uses Holm's.
//!
//! The ranking is a weighted mean of standardised effects (difference from
//! the baseline / pooled per-replicate SD, signed so that positive is
//! better) over the ranked measures; a measure on which every run ties is
//! left out and named. Pure functions of the per-replicate outcomes.

use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::output::RunsTable;
use crate::stats::{
    KaplanMeier, Observation, PairedCounts, PairedInterval, PairedProportions, benjamini_hochberg,
    holm, log_rank, paired_differences,
};

/// Confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// Family-wise error rate of the Holm-adjusted significance.
pub const ALPHA: f64 = 0.05;

/// Fewer pairs than this get an estimate but no test ("n < 5: too few").
pub const MIN_PAIRS: usize = 5;

/// Horizons (days) at which some measures are also reported, when they
/// fall strictly inside the run: the horizon dependence, shown.
pub const HORIZONS: [u32; 2] = [180, 365];

/// How the intervals are computed, for reports (one sentence per kind).
pub const CI_METHOD: &str = "Differences are paired over replicates (replicate i of every \
scenario uses the same seed: common random numbers), which removes most run-to-run noise. \
Continuous measures (deaths, attacks, incident rate, trust): paired t interval (95 %, n − 1 \
degrees of freedom) and its p-value. Ceasefire held (yes/no per run): difference of paired \
proportions with Newcombe's method-10 interval and McNemar's exact p-value, because a t \
interval on 0/1 values can leave [−1, 1] and calls identical pairs significant. Times to event \
(ceasefire collapse, handover): runs without the event are censored at the horizon, not \
averaged as if observed; the restricted mean to the horizon (Kaplan–Meier RMST) is compared by \
the paired t interval of the per-replicate restricted times min(T, horizon), with the log-rank \
p-value beside it in moe.csv; \"not reached\" when no run had the event. Every p-value is \
Holm-adjusted over the whole comparison (all mandates × measures), because with many tests \
some intervals exclude zero by chance; \"significant\" means Holm-adjusted p < 0.05 (the \
intervals are unadjusted 95 % intervals). Fewer than 5 pairs, or pairs that never differ, are \
not tested.";

/// Which way a measure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Less is better (deaths, attacks, days to handover).
    Lower,
    /// More is better (trust, ceasefire survival).
    Higher,
}

/// What kind of quantity a measure is, which chooses its statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number per replicate: paired t.
    Continuous,
    /// Yes (1) or no (0) per replicate: paired proportions.
    Binary,
    /// Days to an event, censored at the horizon: restricted mean.
    TimeToEvent,
}

/// A measure of effectiveness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// Short key (CSV and report column).
    pub key: &'static str,
    /// Label for tables and charts.
    pub label: &'static str,
    /// Unit for axes.
    pub unit: &'static str,
    /// Which way is better.
    pub better: Better,
    /// Its kind, which chooses the statistic.
    pub kind: Kind,
    /// How to read it from a replicate's outcomes.
    pub source: Source,
    /// The day it is measured at, for a measure at an earlier horizon than
    /// the run's (`None`: the whole run).
    pub horizon: Option<u32>,
    /// Whether it enters the ranking and the forest plot by default.
    pub headline: bool,
}

/// How a measure is computed from a replicate's outcomes (`runs.csv` plus
/// the columns [`super::folder::measure_table`] derives from
/// `timeseries.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column as it is.
    Column(&'static str),
    /// 1 − a 0/1 column (e.g. ceasefire held = 1 − collapsed).
    Complement(&'static str),
    /// The tick column of an event; missing = not reached by the horizon
    /// (censored there).
    EventTick(&'static str),
}

use Better::{Higher, Lower};
use Kind::{Binary, Continuous, TimeToEvent};
use Source::{Column, Complement, EventTick};

/// Every measure of effectiveness, in report order; those at a horizon
/// not strictly inside the run are dropped by [`measures_for`].
pub const MEASURES: [Measure; 19] = [
    Measure {
        key: "civilian_deaths",
        label: "Civilian deaths",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths"),
        horizon: None,
        headline: true,
    },
    Measure {
        key: "civilian_deaths_mission_side",
        label: "Civilian deaths by the mission side",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths_mission_side"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "civilian_deaths_faction",
        label: "Civilian deaths by armed factions",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths_faction"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "civilian_deaths_external",
        label: "Civilian deaths by external strikes",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths_external"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "attacks_on_mission",
        label: "Attacks on the mission",
        unit: "attacks",
        better: Lower,
        kind: Continuous,
        source: Column("attacks_on_mission"),
        horizon: None,
        headline: true,
    },
    Measure {
        key: "incident_rate",
        label: "Incidents per million people-days",
        unit: "per million people-days",
        better: Lower,
        kind: Continuous,
        source: Column("incident_rate"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "trust_share_mean",
        label: "Trust in the mission, time-averaged",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("trust_share_mean"),
        horizon: None,
        headline: true,
    },
    // Mean trust beside the share: where few people's trust reaches the
    // threshold (a low-trust context) the share sits near its floor and
    // says little; mean trust is the state the levers move.
    Measure {
        key: "mean_trust",
        label: "Mean trust in the mission, time-averaged",
        unit: "trust (0–1)",
        better: Higher,
        kind: Continuous,
        source: Column("mean_trust"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "final_trust_share",
        label: "Trust in the mission on the last day",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("final_trust_share"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "ceasefire_held",
        label: "Ceasefire held",
        unit: "share of runs",
        better: Higher,
        kind: Binary,
        source: Complement("ceasefire_collapsed"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "collapse_risk",
        label: "Risk of ceasefire collapse (from the daily hazard)",
        unit: "probability",
        better: Lower,
        kind: Continuous,
        source: Column("collapse_risk"),
        horizon: None,
        headline: true,
    },
    Measure {
        key: "ceasefire_days",
        label: "Days of ceasefire (restricted mean)",
        unit: "days",
        better: Higher,
        kind: TimeToEvent,
        source: EventTick("collapse_tick"),
        horizon: None,
        headline: false,
    },
    Measure {
        key: "days_to_handover",
        label: "Days to full handover (restricted mean)",
        unit: "days",
        better: Lower,
        kind: TimeToEvent,
        source: EventTick("handover_tick"),
        horizon: None,
        headline: true,
    },
    Measure {
        key: "civilian_deaths_d180",
        label: "Civilian deaths by day 180",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths_d180"),
        horizon: Some(180),
        headline: false,
    },
    Measure {
        key: "trust_share_mean_d180",
        label: "Trust, time-averaged to day 180",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("trust_share_mean_d180"),
        horizon: Some(180),
        headline: false,
    },
    Measure {
        key: "trust_share_d180",
        label: "Trust on day 180",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("trust_share_d180"),
        horizon: Some(180),
        headline: false,
    },
    Measure {
        key: "civilian_deaths_d365",
        label: "Civilian deaths by day 365",
        unit: "people",
        better: Lower,
        kind: Continuous,
        source: Column("civilian_deaths_d365"),
        horizon: Some(365),
        headline: false,
    },
    Measure {
        key: "trust_share_mean_d365",
        label: "Trust, time-averaged to day 365",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("trust_share_mean_d365"),
        horizon: Some(365),
        headline: false,
    },
    Measure {
        key: "trust_share_d365",
        label: "Trust on day 365",
        unit: "share of people",
        better: Higher,
        kind: Continuous,
        source: Column("trust_share_d365"),
        horizon: Some(365),
        headline: false,
    },
];

/// The measures of a run of `ticks` days: those at a horizon strictly
/// inside it, and the whole-run ones.
pub fn measures_for(ticks: u32) -> Vec<Measure> {
    MEASURES
        .iter()
        .copied()
        .filter(|m| m.horizon.is_none_or(|h| h < ticks))
        .collect()
}

impl Measure {
    /// Per-replicate values of this measure (`None` where undefined);
    /// `horizon` is the run length in ticks. A time to event gives the
    /// restricted time min(T, horizon).
    pub fn values(&self, runs: &RunsTable, horizon: u32) -> Vec<Option<f64>> {
        let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
        match self.source {
            Source::Column(c) => column(runs, c).into_iter().map(finite).collect(),
            Source::Complement(c) => column(runs, c)
                .into_iter()
                .map(|v| finite(v).map(|x| 1.0 - x))
                .collect(),
            Source::EventTick(_) => self
                .observations(runs, horizon)
                .iter()
                .map(|o| Some(o.time))
                .collect(),
        }
    }

    /// Per-replicate times to the event, censored at the horizon where it
    /// did not happen (empty for a measure that is not a time to event).
    pub fn observations(&self, runs: &RunsTable, horizon: u32) -> Vec<Observation> {
        let Source::EventTick(c) = self.source else {
            return Vec::new();
        };
        let h = f64::from(horizon);
        column(runs, c)
            .into_iter()
            .map(|v| match v.filter(|x| x.is_finite()) {
                Some(t) if t <= h => Observation {
                    time: t,
                    event: true,
                },
                _ => Observation {
                    time: h,
                    event: false,
                },
            })
            .collect()
    }
}

fn column(runs: &RunsTable, name: &str) -> Vec<Option<f64>> {
    runs.column(name)
        .unwrap_or_else(|| vec![None; runs.rows.len()])
}

/// Why a difference was or was not tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Tested: the p-value is defined.
    Tested,
    /// Fewer than [`MIN_PAIRS`] pairs: an estimate, no test.
    TooFew,
    /// Every pair differs by the same amount (zero for a yes/no measure:
    /// no discordant pair): nothing to test.
    NoVariation,
    /// A time to event that no run of either scenario reached.
    NotReached,
    /// No complete pair.
    Undefined,
}

impl Status {
    /// What the report and `moe.csv` say ("" when tested).
    pub fn note(self) -> &'static str {
        match self {
            Status::Tested => "",
            Status::TooFew => "n < 5: too few",
            Status::NoVariation => "no difference in any pair",
            Status::NotReached => "not reached",
            Status::Undefined => "undefined",
        }
    }
}

/// A scenario's paired difference from the baseline on one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// Pairs used.
    pub n: usize,
    /// Scenario − baseline (mean difference, difference of proportions,
    /// or difference of restricted means). NaN when not reached.
    pub estimate: f64,
    /// Lower bound of the 95 % interval (NaN when undefined).
    pub low: f64,
    /// Upper bound of the 95 % interval.
    pub high: f64,
    /// Two-sided p-value of the test that fits the measure (NaN: not
    /// tested, see `status`).
    pub p_value: f64,
    /// Holm-adjusted over the comparison's whole family.
    pub p_holm: f64,
    /// Benjamini–Hochberg-adjusted over the same family (false discovery
    /// rate).
    pub p_bh: f64,
    /// Log-rank p-value, for a time to event (NaN otherwise).
    pub p_logrank: f64,
    /// Whether and why it was tested.
    pub status: Status,
}

impl Effect {
    /// Significant after Holm's adjustment at [`ALPHA`]; never for an
    /// untested difference.
    pub fn significant(&self) -> bool {
        self.status == Status::Tested && self.p_holm < ALPHA
    }

    fn untested(n: usize, estimate: f64, low: f64, high: f64, status: Status) -> Self {
        Self {
            n,
            estimate,
            low,
            high,
            p_value: f64::NAN,
            p_holm: f64::NAN,
            p_bh: f64::NAN,
            p_logrank: f64::NAN,
            status,
        }
    }
}

/// The paired t interval of `b − a` and its two-sided p-value, or the
/// reason it is not tested.
pub fn paired_t(a: &[Option<f64>], b: &[Option<f64>]) -> Effect {
    let ci = PairedInterval::of(a, b, CONFIDENCE);
    let d = paired_differences(a, b);
    let n = d.len();
    if n == 0 {
        return Effect::untested(0, f64::NAN, f64::NAN, f64::NAN, Status::Undefined);
    }
    let (lo, hi) = d
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    // A constant difference (to rounding) has no spread to test against.
    let constant = hi - lo <= 1e-12 * hi.abs().max(lo.abs()).max(1.0);
    if n < MIN_PAIRS {
        return Effect::untested(n, ci.estimate, ci.low, ci.high, Status::TooFew);
    }
    if constant {
        return Effect::untested(n, ci.estimate, ci.low, ci.high, Status::NoVariation);
    }
    let sd = (d.iter().map(|x| (x - ci.estimate).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let t = ci.estimate / (sd / (n as f64).sqrt());
    Effect {
        p_value: two_sided_t(t, n - 1),
        ..Effect::untested(n, ci.estimate, ci.low, ci.high, Status::Tested)
    }
}

/// Two-sided p-value of Student's t with `df` degrees of freedom, from
/// the lower tail (so that tiny p-values keep their digits instead of
/// rounding 1 − P(|T| ≤ t) to 0).
fn two_sided_t(t: f64, df: usize) -> f64 {
    let dist = StudentsT::new(0.0, 1.0, df as f64).expect("df ≥ 1 is a valid t distribution");
    (2.0 * dist.cdf(-t.abs())).clamp(0.0, 1.0)
}

/// The paired difference of the shares of yes (values ≥ 0.5) of `b` and
/// `a`, with Newcombe's interval and McNemar's exact p-value.
pub fn paired_binary(a: &[Option<f64>], b: &[Option<f64>]) -> Effect {
    let yes = |v: &[Option<f64>]| -> Vec<Option<bool>> {
        v.iter()
            .map(|x| x.filter(|x| x.is_finite()).map(|x| x >= 0.5))
            .collect()
    };
    let counts = PairedCounts::of(&yes(b), &yes(a));
    let n = counts.n() as usize;
    if n == 0 {
        return Effect::untested(0, f64::NAN, f64::NAN, f64::NAN, Status::Undefined);
    }
    let r = PairedProportions::of(counts, CONFIDENCE);
    let status = if n < MIN_PAIRS {
        Status::TooFew
    } else if counts.discordant() == 0 {
        Status::NoVariation
    } else {
        Status::Tested
    };
    Effect {
        p_value: if status == Status::Tested {
            r.p_value
        } else {
            f64::NAN
        },
        ..Effect::untested(n, r.difference, r.low, r.high, status)
    }
}

/// The difference of restricted mean times to the event (paired t on
/// min(T, horizon)) with the log-rank p-value beside it; "not reached"
/// when no run of either scenario had the event.
pub fn paired_time_to_event(a: &[Observation], b: &[Observation]) -> Effect {
    if !a.iter().chain(b).any(|o| o.event) {
        let n = a.len().min(b.len());
        return Effect::untested(n, f64::NAN, f64::NAN, f64::NAN, Status::NotReached);
    }
    let times = |v: &[Observation]| v.iter().map(|o| Some(o.time)).collect::<Vec<_>>();
    let mut e = paired_t(&times(a), &times(b));
    e.p_logrank = log_rank(b, a).p_value;
    e
}

/// One scenario's result on one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Mean over replicates: a share for a yes/no measure, the restricted
    /// mean for a time to event (NaN if no value is defined).
    pub mean: f64,
    /// False for a time to event no run reached ("not reached").
    pub reached: bool,
    /// Paired difference from the baseline (`None` for the baseline).
    pub diff: Option<Effect>,
    /// Rank among the scenarios on this measure: 1 = best mean.
    pub rank: usize,
}

/// The table of measures: one row per scenario (in input order), one cell
/// per measure of `measures`.
#[derive(Debug, Clone, PartialEq)]
pub struct MoeTable {
    /// Index of the baseline among the rows.
    pub baseline: usize,
    /// The measures, in column order ([`measures_for`] the horizon).
    pub measures: Vec<Measure>,
    /// `cells[scenario][measure]`.
    pub cells: Vec<Vec<Cell>>,
    /// Weight of each measure in the ranking (0: not ranked).
    pub weights: Vec<f64>,
    /// Ranked measures left out of the score because every run of every
    /// scenario has the same value (keys).
    pub tied: Vec<&'static str>,
    /// Each scenario's score: the weighted mean of its standardised
    /// effects, positive = better than the baseline (0 for the baseline).
    pub score: Vec<f64>,
    /// Each scenario's place by score: 1 = best.
    pub place: Vec<usize>,
}

/// The default weight of a measure in the ranking: 1 for a headline
/// measure, 0 otherwise.
pub fn default_weight(m: &Measure) -> f64 {
    if m.headline { 1.0 } else { 0.0 }
}

/// Builds the table from each scenario's per-replicate outcomes (all with
/// the same replicates and horizon). `weights` (measure key, weight)
/// replace the default weights of the measures they name.
pub fn moe_table(
    runs: &[&RunsTable],
    baseline: usize,
    horizon: u32,
    weights: &[(String, f64)],
) -> MoeTable {
    let measures = measures_for(horizon);
    let values: Vec<Vec<Vec<Option<f64>>>> = runs
        .iter()
        .map(|r| measures.iter().map(|m| m.values(r, horizon)).collect())
        .collect();
    let mut cells: Vec<Vec<Cell>> = runs
        .iter()
        .enumerate()
        .map(|(s, r)| {
            measures
                .iter()
                .enumerate()
                .map(|(m, measure)| {
                    let (a, b) = (&values[baseline][m], &values[s][m]);
                    let diff = (s != baseline).then(|| match measure.kind {
                        Kind::Continuous => paired_t(a, b),
                        Kind::Binary => paired_binary(a, b),
                        Kind::TimeToEvent => paired_time_to_event(
                            &measure.observations(runs[baseline], horizon),
                            &measure.observations(r, horizon),
                        ),
                    });
                    let reached = measure.kind != Kind::TimeToEvent
                        || measure.observations(r, horizon).iter().any(|o| o.event);
                    Cell {
                        mean: mean(b),
                        reached,
                        diff,
                        rank: 0,
                    }
                })
                .collect()
        })
        .collect();
    adjust(&mut cells);
    for (m, measure) in measures.iter().enumerate() {
        let means: Vec<f64> = cells.iter().map(|row| row[m].mean).collect();
        for (s, rank) in ranks(&means, measure.better).into_iter().enumerate() {
            cells[s][m].rank = rank;
        }
    }
    let weights: Vec<f64> = measures
        .iter()
        .map(|m| {
            weights
                .iter()
                .find(|(k, _)| k == m.key)
                .map_or(default_weight(m), |(_, w)| *w)
        })
        .collect();
    let (score, tied) = scores(&measures, &values, &cells, baseline, &weights);
    let mut order: Vec<usize> = (0..cells.len()).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    let mut place = vec![0; cells.len()];
    for (k, &s) in order.iter().enumerate() {
        place[s] = k + 1;
    }
    MoeTable {
        baseline,
        measures,
        cells,
        weights,
        tied,
        score,
        place,
    }
}

/// Holm and Benjamini–Hochberg over every tested difference of the table
/// (the family: every mandate × measure).
fn adjust(cells: &mut [Vec<Cell>]) {
    let p: Vec<f64> = cells
        .iter()
        .flatten()
        .map(|c| c.diff.map_or(f64::NAN, |d| d.p_value))
        .collect();
    let (h, bh) = (holm(&p), benjamini_hochberg(&p));
    for (k, c) in cells.iter_mut().flatten().enumerate() {
        if let Some(d) = c.diff.as_mut() {
            d.p_holm = h[k];
            d.p_bh = bh[k];
        }
    }
}

/// Each scenario's weighted mean standardised effect over the measures
/// with a positive weight, and the keys of those left out because every
/// run ties. The effect is (mean − baseline mean) / SD of every run of
/// every scenario, signed so that positive is better; the SD is zero
/// exactly when every run ties.
fn scores(
    measures: &[Measure],
    values: &[Vec<Vec<Option<f64>>>],
    cells: &[Vec<Cell>],
    baseline: usize,
    weights: &[f64],
) -> (Vec<f64>, Vec<&'static str>) {
    let mut total = vec![0.0; cells.len()];
    let mut weight_sum = 0.0;
    let mut tied = Vec::new();
    for (m, measure) in measures.iter().enumerate() {
        if weights[m] <= 0.0 {
            continue;
        }
        let all: Vec<f64> = values
            .iter()
            .flat_map(|v| v[m].iter().flatten().copied())
            .filter(|x| x.is_finite())
            .collect();
        let sd = sample_sd(&all);
        if sd.is_nan() || sd <= 0.0 {
            tied.push(measure.key);
            continue;
        }
        let sign = match measure.better {
            Better::Lower => -1.0,
            Better::Higher => 1.0,
        };
        for (s, row) in cells.iter().enumerate() {
            let effect = sign * (row[m].mean - cells[baseline][m].mean) / sd;
            if effect.is_finite() {
                total[s] += weights[m] * effect;
            }
        }
        weight_sum += weights[m];
    }
    let score = total
        .iter()
        .map(|t| {
            if weight_sum > 0.0 {
                t / weight_sum
            } else {
                0.0
            }
        })
        .collect();
    (score, tied)
}

/// Sample standard deviation (NaN with fewer than two values).
fn sample_sd(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

/// Mean of the defined values (NaN if none).
fn mean(v: &[Option<f64>]) -> f64 {
    let defined: Vec<f64> = v.iter().flatten().copied().collect();
    if defined.is_empty() {
        f64::NAN
    } else {
        defined.iter().sum::<f64>() / defined.len() as f64
    }
}

/// Competition ranks ("1224"): equal means share the best rank; NaN ranks
/// last.
pub fn ranks(means: &[f64], better: Better) -> Vec<usize> {
    let key = |x: f64| match better {
        Better::Lower => x,
        Better::Higher => -x,
    };
    means
        .iter()
        .map(|&x| {
            if x.is_nan() {
                return means.len();
            }
            1 + means
                .iter()
                .filter(|&&y| !y.is_nan() && key(y) < key(x))
                .count()
        })
        .collect()
}

/// Kaplan–Meier ceasefire survival of one scenario: collapse ticks are
/// events; runs without collapse are censored at the horizon.
pub fn ceasefire_survival(runs: &RunsTable, horizon: u32) -> KaplanMeier {
    let m = MEASURES
        .iter()
        .find(|m| m.key == "ceasefire_days")
        .expect("ceasefire_days is a measure");
    KaplanMeier::estimate(&m.observations(runs, horizon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(columns: &[&str], rows: &[Vec<Option<f64>>]) -> RunsTable {
        RunsTable {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows.to_vec(),
        }
    }

    fn some(v: &[f64]) -> Vec<Option<f64>> {
        v.iter().copied().map(Some).collect()
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    #[test]
    fn ranks_share_ties_and_put_nan_last() {
        assert_eq!(
            ranks(&[3.0, 1.0, 3.0, f64::NAN], Better::Lower),
            vec![2, 1, 2, 4]
        );
        assert_eq!(ranks(&[3.0, 1.0, 2.0], Better::Higher), vec![1, 3, 2]);
    }

    #[test]
    fn horizon_measures_only_inside_the_run() {
        let keys = |t| measures_for(t).iter().map(|m| m.key).collect::<Vec<_>>();
        assert!(keys(730).contains(&"trust_share_mean_d365"));
        assert!(!keys(365).contains(&"trust_share_mean_d365"));
        assert!(keys(365).contains(&"civilian_deaths_d180"));
        assert!(!keys(120).iter().any(|k| k.ends_with("_d180")));
    }

    /// The old code gave a yes/no measure a t interval: every baseline run
    /// held and every variant run collapsed gave −1 with a zero-width
    /// interval. Newcombe's interval for 20 such pairs is −1 to
    /// −0.772134616242194 (R 4.2.2, as in `stats::proportions`).
    #[test]
    fn a_binary_interval_stays_inside_minus_one_one() {
        let e = paired_binary(&some(&[1.0; 20]), &some(&[0.0; 20]));
        close(e.estimate, -1.0);
        close(e.low, -1.0);
        close(e.high, -0.772134616242194);
        assert_eq!(e.status, Status::Tested);
        // R: binom.test(0, 20)$p.value = 1.9073486328125e-06.
        close(e.p_value, 1.9073486328125e-06);
        // 19 of 20 vs 1 of 20: a t interval would reach below −1 here.
        let mut a = vec![1.0; 20];
        a[0] = 0.0;
        let mut b = vec![0.0; 20];
        b[0] = 1.0;
        let e = paired_binary(&some(&a), &some(&b));
        assert!(e.low >= -1.0 && e.high <= 1.0 && e.low < e.high);
    }

    /// Identical pairs, a constant difference and very small n are
    /// reported as such and never significant (the old code drew a
    /// zero-width interval as significant).
    #[test]
    fn zero_variance_and_small_n_are_never_significant() {
        let same = paired_binary(
            &some(&[1.0, 0.0, 1.0, 1.0, 0.0]),
            &some(&[1.0, 0.0, 1.0, 1.0, 0.0]),
        );
        assert_eq!(same.status, Status::NoVariation);
        assert!(!same.significant() && same.p_value.is_nan());
        let shift = paired_t(
            &some(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            &some(&[2.0, 3.0, 4.0, 5.0, 6.0, 7.0]),
        );
        assert_eq!((shift.status, shift.estimate), (Status::NoVariation, 1.0));
        assert!(!shift.significant());
        let few = paired_t(
            &some(&[1.0, 2.0, 3.0, 4.0]),
            &some(&[11.0, 12.5, 13.0, 14.2]),
        );
        assert_eq!(few.status, Status::TooFew);
        assert_eq!(few.status.note(), "n < 5: too few");
        assert!(!few.significant() && few.p_value.is_nan());
    }

    /// R: t.test(b, a, paired = TRUE) with a = 10, 12, 9, 11, 13, 8 and
    /// b = 12, 15, 10, 14, 13, 11: t = 3.872983346, df = 5,
    /// p-value = 0.011724811, 95 % CI 0.6725572481 to 3.3274427519.
    /// Tiny p-values keep their digits (R: 2 * pt(-12, 19) =
    /// 2.590894637e-10, 2 * pt(-60, 19) = 3.976062e-23), where
    /// 1 − P(|T| ≤ t) would round them to 0.
    #[test]
    fn tiny_p_values_are_not_rounded_to_zero() {
        let p = two_sided_t(12.0, 19);
        assert!((p / 2.590894637e-10 - 1.0).abs() < 1e-8, "{p}");
        let p = two_sided_t(60.0, 19);
        assert!((p / 3.976062e-23 - 1.0).abs() < 1e-5, "{p}");
    }

    #[test]
    fn paired_t_matches_r() {
        let a = some(&[10.0, 12.0, 9.0, 11.0, 13.0, 8.0]);
        let b = some(&[12.0, 15.0, 10.0, 14.0, 13.0, 11.0]);
        let e = paired_t(&a, &b);
        assert_eq!(e.status, Status::Tested);
        assert!((e.estimate - 2.0).abs() < 1e-12);
        assert!((e.p_value - 0.011724811).abs() < 1e-8, "{}", e.p_value);
        assert!((e.low - 0.6725572481).abs() < 1e-6 && (e.high - 3.3274427519).abs() < 1e-6);
    }

    /// A time to event that no run reached is "not reached", not the
    /// horizon averaged as if observed.
    #[test]
    fn an_all_censored_time_to_event_is_not_reached() {
        let cols = ["handover_tick", "collapse_tick"];
        let none = runs(&cols, &vec![vec![None, None]; 6]);
        let t = moe_table(&[&none, &none], 0, 730, &[]);
        let m = t
            .measures
            .iter()
            .position(|m| m.key == "days_to_handover")
            .unwrap();
        let d = t.cells[1][m].diff.unwrap();
        assert_eq!(d.status, Status::NotReached);
        assert_eq!(d.status.note(), "not reached");
        assert!(d.estimate.is_nan() && !d.significant());
        assert!(!t.cells[0][m].reached && !t.cells[1][m].reached);
        // Every run ties on the ranked time to event: left out, named.
        assert!(t.tied.contains(&"days_to_handover"));
    }

    /// With some events, the restricted mean is the mean of min(T, τ) and
    /// the log-rank p-value comes along (R: survdiff(Surv(t, e) ~ g) on
    /// these twelve runs, chisq = 6.709761892, p = 0.009588652722).
    #[test]
    fn a_time_to_event_uses_restricted_means_and_log_rank() {
        let cols = ["handover_tick"];
        let base = runs(
            &cols,
            &[
                vec![None],
                vec![None],
                vec![None],
                vec![Some(700.0)],
                vec![None],
                vec![None],
            ],
        );
        let fast = runs(
            &cols,
            &[
                vec![Some(200.0)],
                vec![Some(250.0)],
                vec![Some(300.0)],
                vec![Some(350.0)],
                vec![Some(400.0)],
                vec![None],
            ],
        );
        let t = moe_table(&[&base, &fast], 0, 730, &[]);
        let m = t
            .measures
            .iter()
            .position(|m| m.key == "days_to_handover")
            .unwrap();
        close(t.cells[0][m].mean, (5.0 * 730.0 + 700.0) / 6.0);
        close(
            t.cells[1][m].mean,
            (200.0 + 250.0 + 300.0 + 350.0 + 400.0 + 730.0) / 6.0,
        );
        let d = t.cells[1][m].diff.unwrap();
        assert_eq!(d.status, Status::Tested);
        close(d.estimate, t.cells[1][m].mean - t.cells[0][m].mean);
        assert!(
            (d.p_logrank - 0.009588652722).abs() < 1e-9,
            "{}",
            d.p_logrank
        );
    }

    /// Holm and BH over the family, by hand: p = 0.01, 0.04, 0.03, 0.005
    /// and one untested. Holm: sorted 0.005·4 = 0.02, 0.01·3 = 0.03,
    /// 0.03·2 = 0.06, 0.04·1 → 0.06 (monotone). BH: 0.005·4/1 = 0.02,
    /// 0.01·4/2 = 0.02, 0.03·4/3 = 0.04, 0.04·4/4 = 0.04. R: p.adjust.
    #[test]
    fn every_p_value_gets_holm_and_bh_over_the_family() {
        let cell = |p: f64| Cell {
            mean: 0.0,
            reached: true,
            diff: Some(Effect {
                p_value: p,
                ..Effect::untested(10, 0.0, 0.0, 0.0, Status::Tested)
            }),
            rank: 1,
        };
        let mut cells = vec![
            vec![cell(0.01), cell(0.04)],
            vec![cell(0.03), cell(f64::NAN)],
            vec![cell(0.005)],
        ];
        adjust(&mut cells);
        let got = |f: fn(&Effect) -> f64| -> Vec<f64> {
            cells
                .iter()
                .flatten()
                .map(|c| f(&c.diff.unwrap()))
                .collect()
        };
        let holm = got(|d| d.p_holm);
        let bh = got(|d| d.p_bh);
        for (g, w) in holm.iter().zip([0.03, 0.06, 0.06, f64::NAN, 0.02]) {
            assert!(
                (g.is_nan() && w.is_nan()) || (g - w).abs() < 1e-12,
                "{holm:?}"
            );
        }
        for (g, w) in bh.iter().zip([0.02, 0.04, 0.04, f64::NAN, 0.02]) {
            assert!(
                (g.is_nan() && w.is_nan()) || (g - w).abs() < 1e-12,
                "{bh:?}"
            );
        }
    }

    /// The score weighs magnitude: a large gain on one measure beats a
    /// tiny loss on another, and weights change the order.
    #[test]
    fn the_score_respects_magnitude_and_weights() {
        let cols = ["civilian_deaths", "attacks_on_mission"];
        let row = |d: f64, a: f64| vec![Some(d), Some(a)];
        let base = runs(
            &cols,
            &[
                row(100.0, 10.0),
                row(110.0, 11.0),
                row(90.0, 9.0),
                row(105.0, 10.0),
                row(95.0, 10.0),
            ],
        );
        // Far fewer deaths, one more attack each.
        let x = runs(
            &cols,
            &[
                row(50.0, 11.0),
                row(60.0, 12.0),
                row(40.0, 10.0),
                row(55.0, 11.0),
                row(45.0, 11.0),
            ],
        );
        let t = moe_table(&[&base, &x], 0, 730, &[]);
        assert!(t.score[1] > 0.0 && t.place == vec![2, 1], "{:?}", t.score);
        let w = [("civilian_deaths".to_string(), 0.0)];
        let t = moe_table(&[&base, &x], 0, 730, &w);
        assert!(t.score[1] < 0.0 && t.place == vec![1, 2], "{:?}", t.score);
    }

    #[test]
    fn survival_counts_collapses_as_events() {
        let r = runs(&["collapse_tick"], &[vec![Some(50.0)], vec![None]]);
        let km = ceasefire_survival(&r, 730);
        assert_eq!(km.events, 1);
        assert_eq!(km.steps, vec![(0.0, 1.0), (50.0, 0.5)]);
        assert_eq!(km.censored, vec![(730.0, 0.5)]);
    }
}
