//! The page's ensemble: N replicates of each mandate through the batch
//! code (common random numbers: replicate i of both mandates shares its
//! streams), summarised per day as the 10th, 50th and 90th percentiles of
//! the metrics the page charts.

use serde::Serialize;

use crate::batch::{ReplicateSink, run_batch};
use crate::metrics::Series;
use crate::model::Model;
use crate::scenario::Scenario;
use crate::stats::quantile_sorted;

/// Most replicates per mandate.
pub const MAX_REPLICATES: u32 = 64;

/// The metrics the page draws as bands.
pub const BANDED: [&str; 2] = ["incidents", "trust_mean"];

/// Per-day bands of one metric.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Band {
    /// The metric.
    pub metric: String,
    /// 10th percentile per day (null where undefined).
    pub p10: Vec<Option<f64>>,
    /// Median per day.
    pub p50: Vec<Option<f64>>,
    /// 90th percentile per day.
    pub p90: Vec<Option<f64>>,
}

/// Keeps the banded columns of each replicate.
struct Columns {
    index: Vec<usize>,
    /// Per banded metric, per day, the values over replicates.
    values: Vec<Vec<Vec<f64>>>,
}

impl ReplicateSink for Columns {
    type Error = std::convert::Infallible;
    fn accept(&mut self, _replicate: u64, series: &Series) -> Result<(), Self::Error> {
        for (k, &col) in self.index.iter().enumerate() {
            for t in 0..series.len() {
                let v = series.row(t)[col];
                if self.values[k].len() <= t {
                    self.values[k].push(Vec::new());
                }
                if v.is_finite() {
                    self.values[k][t].push(v);
                }
            }
        }
        Ok(())
    }
}

/// Runs `scenario.run.replicates` replicates (on every core) and returns
/// the bands of [`BANDED`]; a message if the map is invalid.
pub fn bands(scenario: &Scenario) -> Result<Vec<Band>, String> {
    crate::output::check_batch_memory(scenario, 0, false)?;
    let terrain = scenario.world.terrain().map_err(|e| e.to_string())?;
    let model = Model::new(scenario, &terrain).map_err(|e| e.to_string())?;
    let names = model.names().clone();
    let index: Vec<usize> = BANDED
        .iter()
        .filter_map(|m| names.iter().position(|n| n == m))
        .collect();
    let mut sink = Columns {
        values: vec![Vec::new(); index.len()],
        index: index.clone(),
    };
    run_batch(&model, scenario, 0, &mut sink, &mut |_| {}).map_err(|e| match e {
        crate::batch::BatchError::Sink(never) => match never {},
        other => other.to_string(),
    })?;
    Ok(index
        .iter()
        .zip(sink.values)
        .map(|(&col, days)| {
            let q = |days: &Vec<Vec<f64>>, p: f64| {
                days.iter()
                    .map(|v| {
                        let mut v = v.clone();
                        v.sort_by(f64::total_cmp);
                        (!v.is_empty()).then(|| quantile_sorted(&v, p))
                    })
                    .collect()
            };
            Band {
                metric: names[col].clone(),
                p10: q(&days, 0.1),
                p50: q(&days, 0.5),
                p90: q(&days, 0.9),
            }
        })
        .collect())
}
