//! Streaming mean and standard deviation (Welford's algorithm).

/// Running count, mean and sample standard deviation of a stream of values,
/// updated one value at a time in O(1) memory.
///
/// Uses Welford's (1962) update, which avoids the cancellation of the
/// textbook `Σx² − (Σx)²/n` formula: the sum of squared deviations is
/// accumulated directly, so the result stays accurate when the mean is large
/// compared with the spread.
///
/// The result depends only on the values and the order they were pushed in
/// (no parallel reduction, no fused multiply-add), so the same push order
/// gives the same bits on every run and every platform.
///
/// Nothing is skipped: a NaN pushed once makes the mean and standard
/// deviation NaN from then on, and an infinite value makes them infinite or
/// NaN. A bad replicate therefore shows up in the summary instead of being
/// silently dropped.
///
/// ```
/// use stabsim::stats::RunningMoments;
///
/// let mut m = RunningMoments::new();
/// for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
///     m.push(x);
/// }
/// assert_eq!(m.count(), 8);
/// assert_eq!(m.mean(), 5.0);
/// assert!((m.sd() - 2.138_089_935_299_395).abs() < 1e-15);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RunningMoments {
    /// Number of values pushed.
    n: u64,
    /// Mean of the values pushed so far (0 while `n == 0`; `mean()` reports NaN).
    mean: f64,
    /// Sum of squared deviations from the current mean.
    m2: f64,
}

impl RunningMoments {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        // The delta before and after the mean update: their product is the
        // exact increment of the sum of squared deviations (Welford).
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        let delta_after = x - self.mean;
        self.m2 += delta * delta_after;
    }

    /// Number of values pushed (NaN included).
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Arithmetic mean; NaN when no value has been pushed.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Sample variance, with the n − 1 (Bessel) denominator; NaN when fewer
    /// than two values have been pushed, since one value says nothing about
    /// spread.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            f64::NAN
        } else {
            // m2 is a sum of non-negative terms mathematically; rounding can
            // leave it a hair below zero for constant data, which would make
            // `sd` NaN.
            // (`f64::max` would also turn a NaN into 0: compare instead.)
            let m2 = if self.m2 < 0.0 { 0.0 } else { self.m2 };
            m2 / (self.n - 1) as f64
        }
    }

    /// Sample standard deviation, with the n − 1 denominator; NaN when fewer
    /// than two values have been pushed.
    pub fn sd(&self) -> f64 {
        self.variance().sqrt()
    }
}

impl Extend<f64> for RunningMoments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl FromIterator<f64> for RunningMoments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Self::new();
        m.extend(iter);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Textbook two-pass mean and sample sd, as the reference.
    fn two_pass(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
        (mean, (ss / (n - 1.0)).sqrt())
    }

    #[test]
    fn empty_and_single() {
        let mut m = RunningMoments::new();
        assert_eq!(m.count(), 0);
        assert!(m.mean().is_nan());
        assert!(m.sd().is_nan());
        m.push(3.5);
        assert_eq!(m.count(), 1);
        assert_eq!(m.mean(), 3.5);
        assert!(m.sd().is_nan(), "sd needs two values");
        assert!(m.variance().is_nan());
    }

    #[test]
    fn known_values() {
        let m: RunningMoments = [1.0, 2.0, 3.0, 4.0].into_iter().collect();
        assert_eq!(m.mean(), 2.5);
        // Sample variance of 1..4 is 5/3.
        assert!((m.variance() - 5.0 / 3.0).abs() < 1e-15);
        assert!((m.sd() - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn constant_data_has_zero_sd() {
        let m: RunningMoments = std::iter::repeat_n(0.1, 1000).collect();
        assert_eq!(m.mean(), 0.1);
        assert_eq!(m.sd(), 0.0);
    }

    #[test]
    fn large_offset_keeps_precision() {
        // Values near 1e9 with a spread of a few units: Σx² ≈ 1e21 has an
        // ulp of 131072, far above the true sum of squared deviations
        // (8250), so the one-pass textbook formula returns noise. Welford
        // keeps the relative error near ulp(mean)/sd ≈ 1e-7 / 3.
        let xs: Vec<f64> = (0..1000).map(|i| 1e9 + (i % 10) as f64).collect();
        let m: RunningMoments = xs.iter().copied().collect();
        // Two-pass is exact here: the values, their sum and their mean
        // (1e9 + 4.5) are all representable.
        let (mean, sd) = two_pass(&xs);
        assert_eq!(mean, 1e9 + 4.5);
        assert!((m.mean() - mean).abs() <= 1e-12 * mean);
        assert!((m.sd() - sd).abs() <= 1e-6 * sd, "{} vs {sd}", m.sd());
        let n = xs.len() as f64;
        let naive_var = (xs.iter().map(|x| x * x).sum::<f64>()
            - xs.iter().sum::<f64>().powi(2) / n)
            / (n - 1.0);
        assert!((naive_var.max(0.0).sqrt() - sd).abs() > 1e-3 * sd);
    }

    #[test]
    fn nan_propagates() {
        let m: RunningMoments = [1.0, f64::NAN, 2.0].into_iter().collect();
        assert_eq!(m.count(), 3);
        assert!(m.mean().is_nan());
        assert!(m.sd().is_nan());
    }

    #[test]
    fn deterministic_for_a_push_order() {
        let xs: Vec<f64> = (0..500).map(|i| ((i * 7919) % 1013) as f64 / 7.0).collect();
        let a: RunningMoments = xs.iter().copied().collect();
        let b: RunningMoments = xs.iter().copied().collect();
        assert_eq!(a.mean().to_bits(), b.mean().to_bits());
        assert_eq!(a.sd().to_bits(), b.sd().to_bits());
    }

    proptest! {
        #[test]
        fn welford_matches_two_pass(xs in prop::collection::vec(-1e6f64..1e6, 2..300)) {
            let m: RunningMoments = xs.iter().copied().collect();
            let (mean, sd) = two_pass(&xs);
            // Relative to the data's magnitude: when the spread is tiny next
            // to the values (e.g. all equal), the sd is ill-conditioned for
            // any method, so a pure relative bound on it would test rounding
            // noise, not the algorithm.
            let scale = xs.iter().fold(0.0f64, |a, x| a.max(x.abs()));
            prop_assert!((m.mean() - mean).abs() <= 1e-12 * scale.max(f64::MIN_POSITIVE));
            prop_assert!((m.sd() - sd).abs() <= 1e-12 * sd.max(1e-6 * scale).max(f64::MIN_POSITIVE));
            prop_assert_eq!(m.count(), xs.len() as u64);
        }
    }
}
