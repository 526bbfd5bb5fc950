//! Burstiness and heavy tails of event series (pattern tests P01 and P04):
//! the index of dispersion (variance / mean: 1 for Poisson counts, above 1
//! for over-dispersed, bursty ones), excess kurtosis (0 for a normal
//! series, large for long quiet spells broken by outbursts), Hill's (1975)
//! estimator of a power-law tail exponent (Clauset, Shalizi & Newman 2009
//! §3; Bohorquez et al. 2009 report α ≈ 2.5 for the sizes of insurgent
//! events), the empirical complementary CDF, and the gaps between
//! outbursts.

/// Variance (n − 1 denominator) over mean of a sample; NaN when the mean
/// is not positive or there are fewer than two values.
pub fn dispersion_index(x: &[f64]) -> f64 {
    let n = x.len();
    if n < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    if mean <= 0.0 {
        return f64::NAN;
    }
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    var / mean
}

/// Sample excess kurtosis m₄ / m₂² − 3 (moment estimator, R's
/// `e1071::kurtosis(type = 1)`); NaN with fewer than two values or no
/// spread.
pub fn excess_kurtosis(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    if x.len() < 2 {
        return f64::NAN;
    }
    let mean = x.iter().sum::<f64>() / n;
    let m2 = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let m4 = x.iter().map(|v| (v - mean).powi(4)).sum::<f64>() / n;
    if m2 <= 0.0 {
        return f64::NAN;
    }
    m4 / (m2 * m2) - 3.0
}

/// Hill's estimate of the tail exponent α of P(X > x) ∝ x^−α from the `k`
/// largest values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HillEstimate {
    /// Order statistics used.
    pub k: usize,
    /// The threshold: the (k + 1)-th largest value.
    pub threshold: f64,
    /// α̂ = k / Σᵢ ln(X₍ᵢ₎ / X₍ₖ₊₁₎).
    pub alpha: f64,
    /// Asymptotic 95 % interval α̂ (1 ± 1.96 / √k).
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Hill's estimator over the positive values of `x`, using the `k` largest
/// (clamped to the positives minus one). NaN fields when fewer than three
/// positive values or no spread above the threshold.
pub fn hill(x: &[f64], k: usize) -> HillEstimate {
    let mut pos: Vec<f64> = x.iter().copied().filter(|v| *v > 0.0).collect();
    pos.sort_by(|a, b| b.total_cmp(a));
    let k = k.min(pos.len().saturating_sub(1));
    if k < 2 {
        return HillEstimate {
            k,
            threshold: f64::NAN,
            alpha: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let threshold = pos[k];
    let s: f64 = pos[..k].iter().map(|v| (v / threshold).ln()).sum();
    let alpha = if s > 0.0 { k as f64 / s } else { f64::NAN };
    let half = 1.96 / (k as f64).sqrt();
    HillEstimate {
        k,
        threshold,
        alpha,
        low: alpha * (1.0 - half),
        high: alpha * (1.0 + half),
    }
}

/// The empirical complementary CDF of the positive values of `x`: each
/// distinct value v with the share of values ≥ v, ascending in v.
pub fn ccdf(x: &[f64]) -> Vec<(f64, f64)> {
    let mut pos: Vec<f64> = x.iter().copied().filter(|v| *v > 0.0).collect();
    pos.sort_by(f64::total_cmp);
    let n = pos.len() as f64;
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (i, v) in pos.iter().enumerate() {
        if out.last().is_none_or(|(last, _)| last != v) {
            out.push((*v, (n - i as f64) / n));
        }
    }
    out
}

/// Days between the starts of successive outbursts, an outburst being a
/// run of values at or above `threshold`.
pub fn outburst_gaps(x: &[f64], threshold: f64) -> Vec<f64> {
    let mut starts = Vec::new();
    let mut inside = false;
    for (t, v) in x.iter().enumerate() {
        let above = *v >= threshold;
        if above && !inside {
            starts.push(t as f64);
        }
        inside = above;
    }
    starts.windows(2).map(|w| w[1] - w[0]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic uniform(0, 1) stream (a 64-bit LCG's top bits).
    fn uniforms(n: usize, mut state: u64) -> Vec<f64> {
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
            })
            .collect()
    }

    #[test]
    fn hill_recovers_a_pareto_exponent() {
        // Pareto(x_min = 1, α = 2.5) by inversion: X = U^(−1/α).
        let x: Vec<f64> = uniforms(20_000, 7)
            .into_iter()
            .map(|u| u.powf(-1.0 / 2.5))
            .collect();
        let h = hill(&x, 2_000);
        assert!((h.alpha - 2.5).abs() < 0.15, "alpha {}", h.alpha);
        assert!(h.low < 2.5 && h.high > 2.5);
    }

    #[test]
    fn hill_sees_a_light_tail_as_a_large_exponent() {
        // Exponential(1) tails decay faster than any power: α̂ grows with
        // the threshold, far above the 2–3 of event-size data.
        let x: Vec<f64> = uniforms(20_000, 3).into_iter().map(|u| -u.ln()).collect();
        assert!(hill(&x, 200).alpha > 4.0);
    }

    #[test]
    fn dispersion_is_one_for_poisson_and_more_for_bursts() {
        // Poisson(4) by inversion of the CDF.
        let poisson: Vec<f64> = uniforms(20_000, 11)
            .into_iter()
            .map(|u| {
                let (mut k, mut p, mut cdf) = (0.0, (-4.0f64).exp(), (-4.0f64).exp());
                while u > cdf {
                    k += 1.0;
                    p *= 4.0 / k;
                    cdf += p;
                }
                k
            })
            .collect();
        assert!((dispersion_index(&poisson) - 1.0).abs() < 0.05);
        let bursty: Vec<f64> = (0..1000)
            .map(|t| if t % 50 == 0 { 100.0 } else { 1.0 })
            .collect();
        assert!(dispersion_index(&bursty) > 10.0);
    }

    #[test]
    fn kurtosis_matches_known_values() {
        // A two-point symmetric distribution has excess kurtosis −2; R
        // e1071::kurtosis(c(-1, 1, -1, 1), type = 1) = −2.
        assert!((excess_kurtosis(&[-1.0, 1.0, -1.0, 1.0]) + 2.0).abs() < 1e-12);
        // Uniform: −1.2.
        let u = uniforms(100_000, 5);
        assert!((excess_kurtosis(&u) + 1.2).abs() < 0.02);
    }

    #[test]
    fn ccdf_and_gaps() {
        assert_eq!(
            ccdf(&[0.0, 1.0, 2.0, 2.0, 4.0]),
            vec![(1.0, 1.0), (2.0, 0.75), (4.0, 0.25)]
        );
        let x = [0.0, 5.0, 5.0, 0.0, 0.0, 6.0, 0.0, 7.0];
        assert_eq!(outburst_gaps(&x, 5.0), vec![4.0, 2.0]);
    }
}
