//! Adjusting p-values for multiple comparisons: a comparison of 19
//! mandates on several measures makes dozens of tests, and about one in
//! twenty of them would "exclude zero" by chance alone.
//!
//! * [`holm`]: Holm's (1979) step-down method, which controls the
//!   family-wise error rate (the chance of any false finding) under any
//!   dependence between the tests;
//! * [`benjamini_hochberg`]: Benjamini & Hochberg's (1995) step-up method,
//!   which controls the false discovery rate (the expected share of false
//!   findings among those reported) for independent or positively
//!   dependent tests.
//!
//! Both match R's `p.adjust` (methods `"holm"` and `"BH"`), including its
//! treatment of missing values: a NaN stays NaN and does not count towards
//! the number of tests.

/// Holm-adjusted p-values, in the order given. With m finite p-values
/// sorted increasingly p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ is
/// maxⱼ≤ᵢ min(1, (m − j + 1)·p₍ⱼ₎).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let order = finite_order(p);
    let m = order.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 0.0f64;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank as f64) * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg-adjusted p-values (q-values), in the order given.
/// With m finite p-values sorted increasingly, the adjusted p₍ᵢ₎ is
/// minⱼ≥ᵢ min(1, m·p₍ⱼ₎/j). Reporting those at or below q controls the
/// false discovery rate at q.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let order = finite_order(p);
    let m = order.len() as f64;
    let mut out = vec![f64::NAN; p.len()];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        running = running.min((m / (rank + 1) as f64 * p[i]).min(1.0));
        out[i] = running;
    }
    out
}

/// Indices of the finite p-values, in increasing order of p (ties keep
/// their input order, as R's stable `order` does).
fn finite_order(p: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.len()).filter(|&i| p[i].is_finite()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            if w.is_nan() {
                assert!(g.is_nan(), "got {g}, want NaN");
            } else {
                assert!((g - w).abs() < 1e-12, "got {got:?}, want {want:?}");
            }
        }
    }

    /// R 4.2.2: `p <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.0001)`;
    /// `p.adjust(p, "holm")` and `p.adjust(p, "BH")`.
    #[test]
    fn matches_r_p_adjust() {
        let p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.5, 0.0001];
        close(&holm(&p), &[0.05, 0.12, 0.12, 0.03, 0.4, 0.5, 0.0007]);
        close(
            &benjamini_hochberg(&p),
            &[
                0.0233333333333333,
                0.056,
                0.0525,
                0.0175,
                0.2333333333333334,
                0.5,
                0.0007,
            ],
        );
    }

    /// R: `p.adjust(c(0.02, NA, 0.01, 0.04), "holm")` is 0.04 NA 0.03 0.04,
    /// and with "BH" 0.03 NA 0.03 0.04: a missing value is not a test.
    #[test]
    fn missing_values_are_not_tests() {
        let p = [0.02, f64::NAN, 0.01, 0.04];
        close(&holm(&p), &[0.04, f64::NAN, 0.03, 0.04]);
        close(&benjamini_hochberg(&p), &[0.03, f64::NAN, 0.03, 0.04]);
        assert!(holm(&[]).is_empty());
    }

    /// Holm never rejects more than BH, and neither adjusts below the raw p.
    #[test]
    fn holm_is_more_conservative_than_bh() {
        let p: Vec<f64> = (1..40).map(|i| f64::from(i * i) / 2000.0).collect();
        let (h, b) = (holm(&p), benjamini_hochberg(&p));
        for i in 0..p.len() {
            assert!(h[i] >= b[i] - 1e-15 && b[i] >= p[i] - 1e-15 && h[i] <= 1.0);
        }
    }
}
