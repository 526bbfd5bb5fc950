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

/// Sizes below this are counted one bin per whole number.
const EXACT_SIZES: usize = 64;
/// Log bins per doubling above [`EXACT_SIZES`] (bins 9 % wide).
const BINS_PER_DOUBLING: f64 = 8.0;
/// Bins in all: exact sizes 0–63, then 8 per doubling up to 2^20 (sizes
/// above fall in the last bin).
pub const SIZE_BINS: usize = EXACT_SIZES + 14 * 8;

/// Event sizes (e.g. deaths per incident) in a fixed, bounded histogram:
/// exact counts of sizes 0–63 and log bins 9 % wide above, so a replicate
/// of any length keeps 704 bytes and Hill's estimator can still be read
/// from it ([`SizeHistogram::values`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SizeHistogram {
    counts: [u32; SIZE_BINS],
}

impl Default for SizeHistogram {
    fn default() -> Self {
        Self {
            counts: [0; SIZE_BINS],
        }
    }
}

impl SizeHistogram {
    /// The bin of size `x` (rounded to a whole number; negative as 0).
    fn bin(x: f64) -> usize {
        let x = x.round().max(0.0);
        if x < EXACT_SIZES as f64 {
            return x as usize;
        }
        let above = (BINS_PER_DOUBLING * (x / EXACT_SIZES as f64).log2()).floor();
        (EXACT_SIZES + above as usize).min(SIZE_BINS - 1)
    }

    /// The size bin `b` stands for: itself below 64, else the geometric
    /// middle of its log bin.
    fn value(b: usize) -> f64 {
        if b < EXACT_SIZES {
            return b as f64;
        }
        let k = (b - EXACT_SIZES) as f64 + 0.5;
        EXACT_SIZES as f64 * (k / BINS_PER_DOUBLING).exp2()
    }

    /// Counts one event of size `x`.
    pub fn record(&mut self, x: f64) {
        let b = Self::bin(x);
        self.counts[b] = self.counts[b].saturating_add(1);
    }

    /// Adds another histogram's counts (pooling replicates).
    pub fn add(&mut self, other: &Self) {
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c = c.saturating_add(*o);
        }
    }

    /// Events counted.
    pub fn events(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    /// Every event's size as its bin stands for it (exact below 64), for
    /// [`hill`]: one value per event, ascending.
    pub fn values(&self) -> Vec<f64> {
        self.counts
            .iter()
            .enumerate()
            .flat_map(|(b, &c)| std::iter::repeat_n(Self::value(b), c as usize))
            .collect()
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

    #[test]
    fn size_histogram_counts_each_event_in_its_bin() {
        let mut h = SizeHistogram::default();
        for x in [0.0, 1.0, 1.4, 63.0, 64.0, 100.0, 5e7] {
            h.record(x);
        }
        assert_eq!(h.events(), 7);
        let v = h.values();
        // Exact below 64 (1.4 rounds to 1) ...
        assert_eq!(&v[..4], &[0.0, 1.0, 1.0, 63.0]);
        // ... within half a 9 % bin above, and a huge size in the last bin.
        assert!((v[4] / 64.0 - 1.0).abs() < 0.05, "{}", v[4]);
        assert!((v[5] / 100.0 - 1.0).abs() < 0.05, "{}", v[5]);
        assert_eq!(v[6], SizeHistogram::value(SIZE_BINS - 1));
        let mut pooled = SizeHistogram::default();
        pooled.add(&h);
        pooled.add(&h);
        assert_eq!(pooled.events(), 14);
    }

    #[test]
    fn hill_reads_a_power_tail_from_the_histogram() {
        // Sizes with P(X > x) = (x / 10)^−1.5 from an even grid of
        // probabilities, most of them above the exact bins.
        let mut h = SizeHistogram::default();
        let n = 20_000;
        for i in 0..n {
            h.record(10.0 * (1.0 - (f64::from(i) + 0.5) / f64::from(n)).powf(-1.0 / 1.5));
        }
        let e = hill(&h.values(), 2_000);
        assert!((e.alpha - 1.5).abs() < 0.1, "{}", e.alpha);
    }

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
