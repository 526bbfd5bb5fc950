//! Aggregation over replicates, per tick and metric, in bounded memory:
//! moments (Welford) and quantiles (exact up to a capacity, then a bounded
//! sketch; see [`crate::stats::QuantileSketch`]). Replicates are added in
//! replicate order, so results do not depend on the thread count.

use super::Names;
use super::series::Series;
use crate::stats::{QuantileSketch, RunningMoments};

/// Statistics of one metric at one tick, over replicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TickStats {
    /// Replicates aggregated.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); NaN with one replicate.
    pub sd: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Values each per-tick sketch keeps exactly: quantiles are exact up to this
/// many replicates, and a t-digest beyond (rank error below 0.01, see
/// [`QuantileSketch`]). Smaller than the sketch default because a summary
/// holds one per tick and metric (a two-year mission run: ~50,000).
pub const SUMMARY_SKETCH_CAPACITY: usize = 128;

/// Running per-tick, per-metric statistics over replicates. Its memory is
/// taken in full when it is created (every sketch preallocated), so a batch
/// uses the same memory whatever its replicate count.
#[derive(Debug, Clone)]
pub struct Summary {
    names: Names,
    rows: usize,
    moments: Vec<RunningMoments>,
    sketches: Vec<QuantileSketch>,
}

impl Summary {
    /// An empty summary for series of ticks 0..=`ticks` with metrics `names`.
    pub fn new(names: Names, ticks: u32) -> Self {
        let rows = ticks as usize + 1;
        let cells = rows * names.len();
        Self {
            names,
            rows,
            moments: (0..cells).map(|_| RunningMoments::new()).collect(),
            sketches: (0..cells)
                .map(|_| QuantileSketch::preallocated(SUMMARY_SKETCH_CAPACITY))
                .collect(),
        }
    }

    /// Adds one replicate's series (same names and horizon).
    pub fn add(&mut self, series: &Series) {
        debug_assert_eq!(series.names(), &self.names);
        for t in 0..self.rows.min(series.len()) {
            for (m, &v) in series.row(t).iter().enumerate() {
                let k = t * self.names.len() + m;
                self.moments[k].push(v);
                self.sketches[k].push(v);
            }
        }
    }

    /// Metric names.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Number of ticks covered (0..rows).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Statistics of metric `m` at tick `t`.
    pub fn stats(&self, t: usize, m: usize) -> TickStats {
        let k = t * self.names.len() + m;
        let (mo, sk) = (&self.moments[k], &self.sketches[k]);
        TickStats {
            n: mo.count(),
            mean: mo.mean(),
            sd: mo.sd(),
            p05: sk.quantile(0.05),
            p50: sk.quantile(0.50),
            p95: sk.quantile(0.95),
        }
    }

    /// Index of metric `name`.
    pub fn metric_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| *n == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_each_tick_over_replicates() {
        let names = super::super::names_of(&["x"]);
        let mut sum = Summary::new(names.clone(), 1);
        for r in 0..5 {
            let mut s = Series::new(names.clone(), 1);
            s.push_row(&[r as f64]);
            s.push_row(&[10.0]);
            sum.add(&s);
        }
        let t0 = sum.stats(0, 0);
        assert_eq!(t0.n, 5);
        assert_eq!(t0.mean, 2.0);
        assert!((t0.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(t0.p50, 2.0);
        // numpy type 7: h = 4·0.05 = 0.2 → 0.2.
        assert!((t0.p05 - 0.2).abs() < 1e-12);
        let t1 = sum.stats(1, 0);
        assert_eq!((t1.mean, t1.sd, t1.p95), (10.0, 0.0, 10.0));
    }
}
