//! What the Epstein model measures: its per-tick metrics and the per-run
//! outcomes derived from them after burn-in (definitions in `docs/ODD.md`
//! §Observation).

use crate::metrics::{Names, Series, names_of};

use super::state::SimState;

/// Per-tick metrics of the Epstein model, in column order: citizens by
/// status, cops on duty, and the legitimacy in force.
pub const EPSTEIN_METRICS: [&str; 5] = ["quiescent", "active", "jailed", "cops", "legitimacy"];

/// [`EPSTEIN_METRICS`] as [`Names`].
pub fn metric_names() -> Names {
    names_of(&EPSTEIN_METRICS)
}

impl SimState {
    /// This tick's metrics, in the order of [`EPSTEIN_METRICS`].
    pub fn metrics(&self) -> [f64; EPSTEIN_METRICS.len()] {
        let (quiescent, active, jailed) = self.status_counts();
        [
            f64::from(quiescent),
            f64::from(active),
            f64::from(jailed),
            self.cops().on_duty_count() as f64,
            self.legitimacy(),
        ]
    }
}

/// Column names of `runs.csv` after `replicate`, in the order of
/// [`RunOutcome::values`].
pub const RUN_COLUMNS: [&str; 11] = [
    "citizens",
    "cops",
    "mean_active",
    "mean_jailed",
    "peak_active",
    "mean_active_share",
    "mean_jailed_share",
    "peak_active_share",
    "outbursts",
    "mean_waiting_time",
    "first_outburst_tick",
];

/// One replicate's outcome over ticks `burn_in + 1 ..= horizon`.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutcome {
    /// Citizens in the run (constant over time).
    pub citizens: u32,
    /// Cops at tick 0.
    pub cops: u32,
    /// Time-mean number of active citizens.
    pub mean_active: f64,
    /// Time-mean number of jailed citizens.
    pub mean_jailed: f64,
    /// Largest number of active citizens at any tick.
    pub peak_active: f64,
    /// `mean_active / citizens`.
    pub mean_active_share: f64,
    /// `mean_jailed / citizens`.
    pub mean_jailed_share: f64,
    /// `peak_active / citizens`.
    pub peak_active_share: f64,
    /// Outburst onsets: ticks t with active(t) > θ·citizens ≥ active(t−1).
    pub outbursts: u32,
    /// Mean ticks between consecutive onsets; `None` with fewer than two.
    pub mean_waiting_time: Option<f64>,
    /// Tick of the first onset, if any.
    pub first_outburst_tick: Option<u32>,
}

impl RunOutcome {
    /// Values in the order of [`RUN_COLUMNS`]; `None` where undefined.
    pub fn values(&self) -> [Option<f64>; RUN_COLUMNS.len()] {
        [
            Some(f64::from(self.citizens)),
            Some(f64::from(self.cops)),
            Some(self.mean_active),
            Some(self.mean_jailed),
            Some(self.peak_active),
            Some(self.mean_active_share),
            Some(self.mean_jailed_share),
            Some(self.peak_active_share),
            Some(f64::from(self.outbursts)),
            self.mean_waiting_time,
            self.first_outburst_tick.map(f64::from),
        ]
    }
}

/// The outcome of an Epstein series after `burn_in` ticks, with outbursts
/// defined by `threshold` (a share of citizens). Needs `burn_in` < horizon.
pub fn outcome(series: &Series, burn_in: u32, threshold: f64) -> RunOutcome {
    let col =
        |name: &str| -> Vec<f64> { series.column(name).map(|c| c.collect()).unwrap_or_default() };
    let (quiet, active, jailed, cops) =
        (col("quiescent"), col("active"), col("jailed"), col("cops"));
    let citizens = (quiet[0] + active[0] + jailed[0]) as u32;
    let window = (burn_in as usize + 1)..active.len();
    let n = window.len().max(1) as f64;
    let mean_active = active[window.clone()].iter().sum::<f64>() / n;
    let mean_jailed = jailed[window.clone()].iter().sum::<f64>() / n;
    let peak_active = active[window.clone()].iter().copied().fold(0.0, f64::max);
    let bar = threshold * f64::from(citizens);
    let onsets: Vec<u32> = window
        .filter(|&t| active[t] > bar && active[t - 1] <= bar)
        .map(|t| t as u32)
        .collect();
    let share = |x: f64| {
        if citizens > 0 {
            x / f64::from(citizens)
        } else {
            0.0
        }
    };
    RunOutcome {
        citizens,
        cops: cops[0] as u32,
        mean_active,
        mean_jailed,
        peak_active,
        mean_active_share: share(mean_active),
        mean_jailed_share: share(mean_jailed),
        peak_active_share: share(peak_active),
        outbursts: onsets.len() as u32,
        mean_waiting_time: mean_gap(&onsets),
        first_outburst_tick: onsets.first().copied(),
    }
}

/// Mean difference between consecutive values; `None` for fewer than two.
fn mean_gap(onsets: &[u32]) -> Option<f64> {
    (onsets.len() >= 2).then(|| {
        let span = onsets[onsets.len() - 1] - onsets[0];
        f64::from(span) / (onsets.len() - 1) as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(active: &[f64]) -> Series {
        let mut s = Series::new(metric_names(), active.len() as u32);
        for &a in active {
            s.push_row(&[100.0 - a, a, 0.0, 5.0, 0.8]);
        }
        s
    }

    #[test]
    fn outbursts_are_upward_crossings_after_burn_in() {
        // 100 citizens, threshold 5 %: crossings at t = 2, 5 and 9.
        let s = series(&[0.0, 1.0, 6.0, 7.0, 2.0, 9.0, 3.0, 4.0, 5.0, 6.0]);
        let o = outcome(&s, 0, 0.05);
        assert_eq!(o.citizens, 100);
        assert_eq!(o.outbursts, 3);
        assert_eq!(o.first_outburst_tick, Some(2));
        assert_eq!(o.mean_waiting_time, Some(3.5));
        assert_eq!(o.peak_active, 9.0);
        assert!((o.mean_active - 43.0 / 9.0).abs() < 1e-12);
        // With a burn-in of 3 only the onsets at 5 and 9 count.
        let o = outcome(&s, 3, 0.05);
        assert_eq!(o.outbursts, 2);
        assert_eq!(o.mean_waiting_time, Some(4.0));
        assert!((o.mean_active - 29.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn a_single_outburst_has_no_waiting_time() {
        let o = outcome(&series(&[0.0, 50.0, 50.0]), 0, 0.05);
        assert_eq!(o.outbursts, 1);
        assert_eq!(o.mean_waiting_time, None);
        assert_eq!(o.values()[9], None);
    }
}
