//! The statistics of a comparison: per-mandate means of the measures of
//! effectiveness, paired differences against the baseline with 95 % t
//! intervals (replicate i of every scenario shares its seed: common random
//! numbers), ranks, and Kaplan–Meier ceasefire survival. Pure functions of
//! the per-replicate outcomes.

use crate::output::RunsTable;
use crate::stats::{KaplanMeier, Observation, PairedInterval};

/// Confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// How the intervals are computed, for reports.
pub const CI_METHOD: &str = "paired t interval (95 %, n − 1 degrees of freedom) of the \
per-replicate difference from the baseline; replicate i of every scenario uses the same seed \
and one random stream per process (common random numbers)";

/// Which way a measure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Less is better (deaths, attacks, days to handover).
    Lower,
    /// More is better (trust, ceasefire survival).
    Higher,
}

/// A measure of effectiveness, read from `runs.csv`.
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
    /// How to read it from a replicate's outcomes.
    pub source: Source,
}

/// How a measure is computed from `runs.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column as it is.
    Column(&'static str),
    /// 1 − a 0/1 column (e.g. ceasefire held = 1 − collapsed).
    Complement(&'static str),
    /// A tick column, with the horizon where it is undefined (the event
    /// did not happen within the run): a lower bound of the true time.
    TickOrHorizon(&'static str),
}

/// The measures of effectiveness every comparison reports, in order.
pub const MEASURES: [Measure; 5] = [
    Measure {
        key: "civilian_deaths",
        label: "Civilian deaths",
        unit: "people",
        better: Better::Lower,
        source: Source::Column("civilian_deaths"),
    },
    Measure {
        key: "attacks_on_mission",
        label: "Attacks on the mission",
        unit: "attacks",
        better: Better::Lower,
        source: Source::Column("attacks_on_mission"),
    },
    Measure {
        key: "final_trust_share",
        label: "Trust in the mission at the end",
        unit: "share of people",
        better: Better::Higher,
        source: Source::Column("final_trust_share"),
    },
    Measure {
        key: "ceasefire_held",
        label: "Ceasefire held",
        unit: "share of runs",
        better: Better::Higher,
        source: Source::Complement("ceasefire_collapsed"),
    },
    Measure {
        key: "days_to_handover",
        label: "Days to full handover",
        unit: "days (horizon if none)",
        better: Better::Lower,
        source: Source::TickOrHorizon("handover_tick"),
    },
];

impl Measure {
    /// Per-replicate values of this measure (`None` where undefined);
    /// `horizon` is the run length in ticks.
    pub fn values(&self, runs: &RunsTable, horizon: u32) -> Vec<Option<f64>> {
        let finite = |v: Option<f64>| v.filter(|x| x.is_finite());
        match self.source {
            Source::Column(c) => column(runs, c).into_iter().map(finite).collect(),
            Source::Complement(c) => column(runs, c)
                .into_iter()
                .map(|v| finite(v).map(|x| 1.0 - x))
                .collect(),
            Source::TickOrHorizon(c) => column(runs, c)
                .into_iter()
                .map(|v| Some(finite(v).unwrap_or(f64::from(horizon))))
                .collect(),
        }
    }
}

fn column(runs: &RunsTable, name: &str) -> Vec<Option<f64>> {
    runs.column(name)
        .unwrap_or_else(|| vec![None; runs.rows.len()])
}

/// One scenario's result on one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Mean over replicates (NaN if none is defined).
    pub mean: f64,
    /// Paired difference from the baseline (`None` for the baseline).
    pub diff: Option<PairedInterval>,
    /// Rank among the scenarios on this measure: 1 = best mean.
    pub rank: usize,
}

/// The table of measures: one row per scenario (in input order), one cell
/// per measure of [`MEASURES`].
#[derive(Debug, Clone, PartialEq)]
pub struct MoeTable {
    /// Index of the baseline among the rows.
    pub baseline: usize,
    /// `cells[scenario][measure]`.
    pub cells: Vec<Vec<Cell>>,
    /// Mean of each scenario's ranks over the measures.
    pub mean_rank: Vec<f64>,
}

/// Builds the table from each scenario's per-replicate outcomes (all with
/// the same replicates and horizon).
pub fn moe_table(runs: &[&RunsTable], baseline: usize, horizon: u32) -> MoeTable {
    let values: Vec<Vec<Vec<Option<f64>>>> = runs
        .iter()
        .map(|r| MEASURES.iter().map(|m| m.values(r, horizon)).collect())
        .collect();
    let mut cells: Vec<Vec<Cell>> = values
        .iter()
        .enumerate()
        .map(|(s, per_measure)| {
            per_measure
                .iter()
                .enumerate()
                .map(|(m, v)| Cell {
                    mean: mean(v),
                    diff: (s != baseline)
                        .then(|| PairedInterval::of(&values[baseline][m], v, CONFIDENCE)),
                    rank: 0,
                })
                .collect()
        })
        .collect();
    for (m, measure) in MEASURES.iter().enumerate() {
        let means: Vec<f64> = cells.iter().map(|row| row[m].mean).collect();
        for (s, rank) in ranks(&means, measure.better).into_iter().enumerate() {
            cells[s][m].rank = rank;
        }
    }
    let mean_rank = cells
        .iter()
        .map(|row| row.iter().map(|c| c.rank as f64).sum::<f64>() / row.len() as f64)
        .collect();
    MoeTable {
        baseline,
        cells,
        mean_rank,
    }
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
    let collapsed = column(runs, "ceasefire_collapsed");
    let tick = column(runs, "collapse_tick");
    let obs: Vec<Observation> = collapsed
        .iter()
        .zip(&tick)
        .map(|(c, t)| match (c, t) {
            (Some(c), Some(t)) if *c >= 0.5 => Observation {
                time: *t,
                event: true,
            },
            _ => Observation {
                time: f64::from(horizon),
                event: false,
            },
        })
        .collect();
    KaplanMeier::estimate(&obs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(rows: &[[Option<f64>; 5]]) -> RunsTable {
        RunsTable {
            columns: [
                "civilian_deaths",
                "attacks_on_mission",
                "final_trust_share",
                "ceasefire_collapsed",
                "handover_tick",
            ]
            .map(String::from)
            .to_vec(),
            rows: rows.iter().map(|r| r.to_vec()).collect(),
        }
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
    fn the_table_pairs_replicates_and_ranks_by_direction() {
        let s = Some;
        let base = runs(&[
            [s(100.0), s(10.0), s(0.5), s(0.0), s(300.0)],
            [s(120.0), s(12.0), s(0.6), s(0.0), None],
            [s(90.0), s(8.0), s(0.4), s(1.0), s(400.0)],
        ]);
        // Fewer deaths in every replicate, by 10 ± small noise.
        let better = runs(&[
            [s(89.0), s(10.0), s(0.7), s(0.0), s(200.0)],
            [s(111.0), s(12.0), s(0.8), s(0.0), s(250.0)],
            [s(80.0), s(8.0), s(0.6), s(0.0), s(300.0)],
        ]);
        let t = moe_table(&[&base, &better], 0, 730);
        assert!(t.cells[0][0].diff.is_none());
        let d = t.cells[1][0].diff.unwrap();
        assert!((d.estimate - (-10.0)).abs() < 1e-12);
        assert!(d.excludes_zero() && d.high < 0.0);
        // Same attacks: zero difference, tied rank 1.
        assert_eq!(t.cells[1][1].diff.unwrap().estimate, 0.0);
        assert_eq!((t.cells[0][1].rank, t.cells[1][1].rank), (1, 1));
        // Ceasefire held: 2/3 vs 1; handover: missing counts as 730.
        assert!((t.cells[0][3].mean - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(t.cells[1][3].mean, 1.0);
        assert!((t.cells[0][4].mean - (300.0 + 730.0 + 400.0) / 3.0).abs() < 1e-9);
        // The better scenario ranks first on deaths, trust, ceasefire, handover.
        assert_eq!(t.cells[1][0].rank, 1);
        assert_eq!(t.cells[1][2].rank, 1);
        assert!(t.mean_rank[1] < t.mean_rank[0]);
    }

    #[test]
    fn survival_counts_collapses_as_events() {
        let s = Some;
        let mut r = runs(&[
            [s(1.0), s(1.0), s(0.5), s(1.0), None],
            [s(1.0), s(1.0), s(0.5), s(0.0), None],
        ]);
        r.columns.push("collapse_tick".into());
        r.rows[0].push(Some(50.0));
        r.rows[1].push(None);
        let km = ceasefire_survival(&r, 730);
        assert_eq!(km.events, 1);
        assert_eq!(km.steps, vec![(0.0, 1.0), (50.0, 0.5)]);
        assert_eq!(km.censored, vec![(730.0, 0.5)]);
    }
}
