//! Aggregation over replicates, per tick and metric, in bounded memory:
//! moments (Welford) every tick and quantiles (exact up to a capacity, then
//! a bounded sketch; see [`crate::stats::QuantileSketch`]) on at most
//! [`MAX_QUANTILE_TICKS`] ticks: every tick up to a 1,000-day horizon, every
//! k-th tick beyond. A sketch costs about 4.2 KiB and moments 24 bytes, so
//! a summary's memory is at most `MAX_QUANTILE_TICKS × metrics × sketch`
//! plus `(ticks + 1) × metrics × 24` bytes whatever the horizon (see
//! [`Summary::memory_bound_bytes`]). Replicates are added in replicate
//! order, so results do not depend on the thread count.

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
    /// 5th percentile (NaN on a tick without quantiles, see
    /// [`Summary::has_quantiles`]).
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

/// Most ticks whose quantiles a summary keeps: ticks 0..=1000, so every
/// horizon up to 1,000 days has quantiles on every tick (and its
/// `summary.csv` is what it was before the bound).
pub const MAX_QUANTILE_TICKS: usize = 1001;

/// The spacing of ticks with quantiles for a horizon of `ticks`: 1 up to
/// 1,000 ticks, else the least k that keeps ticks 0, k, 2k, … ≤ `ticks`
/// within [`MAX_QUANTILE_TICKS`].
pub fn quantile_every(ticks: u32) -> usize {
    (ticks as usize).div_ceil(MAX_QUANTILE_TICKS - 1).max(1)
}

/// Running per-tick, per-metric statistics over replicates. Its memory is
/// taken in full when it is created (every sketch preallocated), so a batch
/// uses the same memory whatever its replicate count.
#[derive(Debug, Clone)]
pub struct Summary {
    names: Names,
    rows: usize,
    /// Quantiles are kept on ticks that are multiples of this.
    every: usize,
    moments: Vec<RunningMoments>,
    sketches: Vec<QuantileSketch>,
}

impl Summary {
    /// An empty summary for series of ticks 0..=`ticks` with metrics `names`.
    pub fn new(names: Names, ticks: u32) -> Self {
        let rows = ticks as usize + 1;
        let every = quantile_every(ticks);
        let cells = rows * names.len();
        let sketched = rows.div_ceil(every) * names.len();
        Self {
            names,
            rows,
            every,
            moments: (0..cells).map(|_| RunningMoments::new()).collect(),
            sketches: (0..sketched)
                .map(|_| QuantileSketch::preallocated(SUMMARY_SKETCH_CAPACITY))
                .collect(),
        }
    }

    /// Adds one replicate's series (same names and horizon).
    pub fn add(&mut self, series: &Series) {
        debug_assert_eq!(series.names(), &self.names);
        for t in 0..self.rows.min(series.len()) {
            for (m, &v) in series.row(t).iter().enumerate() {
                self.moments[t * self.names.len() + m].push(v);
                if t % self.every == 0 {
                    self.sketches[t / self.every * self.names.len() + m].push(v);
                }
            }
        }
    }

    /// Whether tick `t` has quantiles (every tick up to a 1,000-day
    /// horizon; see [`quantile_every`]).
    pub fn has_quantiles(&self, t: usize) -> bool {
        t % self.every == 0
    }

    /// Upper bound of this summary's heap memory in bytes, whatever the
    /// number of replicates added.
    pub fn memory_bound_bytes(&self) -> usize {
        Self::bound_bytes(self.names.len(), self.rows - 1)
    }

    /// Upper bound of the heap memory of a summary of `metrics` metrics
    /// over ticks 0..=`ticks`: moments on every tick, a sketch on at most
    /// [`MAX_QUANTILE_TICKS`].
    pub fn bound_bytes(metrics: usize, ticks: usize) -> usize {
        let rows = ticks + 1;
        let sketched = rows.div_ceil(quantile_every(ticks as u32));
        let sketch = QuantileSketch::with_capacity(SUMMARY_SKETCH_CAPACITY).memory_bound_bytes();
        let moments = std::mem::size_of::<RunningMoments>();
        metrics * (sketched * sketch + rows * moments)
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
        let mo = &self.moments[t * self.names.len() + m];
        let q = |p: f64| {
            if self.has_quantiles(t) {
                self.sketches[t / self.every * self.names.len() + m].quantile(p)
            } else {
                f64::NAN
            }
        };
        TickStats {
            n: mo.count(),
            mean: mo.mean(),
            sd: mo.sd(),
            p05: q(0.05),
            p50: q(0.50),
            p95: q(0.95),
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

    #[test]
    fn horizons_up_to_1000_ticks_keep_quantiles_on_every_tick() {
        assert_eq!(quantile_every(1), 1);
        assert_eq!(quantile_every(1000), 1);
        assert_eq!(quantile_every(1001), 2);
        assert_eq!(quantile_every(36_500), 37);
        for ticks in [1000u32, 1001, 2000, 36_500, 1_000_000] {
            let every = quantile_every(ticks);
            let kept = (ticks as usize + 1).div_ceil(every);
            assert!(kept <= MAX_QUANTILE_TICKS, "{ticks}: {kept}");
        }
    }

    #[test]
    fn thinned_ticks_have_moments_but_no_quantiles() {
        let names = super::super::names_of(&["x", "y"]);
        let ticks = 2000;
        let mut sum = Summary::new(names.clone(), ticks);
        let mut s = Series::new(names, ticks);
        for t in 0..=ticks {
            s.push_row(&[f64::from(t), 1.0]);
        }
        sum.add(&s);
        sum.add(&s);
        let (even, odd) = (sum.stats(1000, 0), sum.stats(1001, 0));
        assert_eq!((even.mean, even.p50, even.n), (1000.0, 1000.0, 2));
        assert_eq!((odd.mean, odd.n), (1001.0, 2));
        assert!(odd.p05.is_nan() && odd.p50.is_nan() && odd.p95.is_nan());
        assert!(sum.has_quantiles(2000) && !sum.has_quantiles(1999));
        assert_eq!(sum.stats(1999, 1).mean, 1.0);
    }

    #[test]
    fn a_century_of_days_stays_under_the_bound() {
        let names: Names = (0..60).map(|i| format!("m{i}")).collect();
        let sum = Summary::new(names, 36_500);
        let bound = sum.memory_bound_bytes();
        let sketch = QuantileSketch::with_capacity(SUMMARY_SKETCH_CAPACITY).memory_bound_bytes();
        // At most 1,001 ticks of sketches, and moments on all 36,501 ticks.
        let most = 60 * (MAX_QUANTILE_TICKS * sketch + 36_501 * 24);
        assert!(bound <= most, "{bound} > {most}");
        // What is really held: the vectors' capacity and each sketch's
        // preallocated cells.
        let held = sum.moments.capacity() * std::mem::size_of::<RunningMoments>()
            + sum.sketches.iter().map(|s| s.memory_bytes()).sum::<usize>();
        assert!(held <= bound, "{held} > {bound}");
        // Linear in the horizon it would be 36,501 × 60 sketches: 30× more.
        assert!(bound * 20 < 36_501 * 60 * sketch);
    }
}
