//! Small random draws the mission model needs beyond uniform numbers.

use rand::RngExt;

use crate::rng::SimRng;

/// A Poisson count with mean `mean` (0 for a mean ≤ 0), by inversion of
/// the cumulative distribution. Exact for the small means the model uses
/// (deaths per event); capped at 10,000 so a huge mean cannot loop long.
pub fn poisson(rng: &mut SimRng, mean: f64) -> u32 {
    if mean <= 0.0 || !mean.is_finite() {
        return 0;
    }
    if mean > 500.0 {
        // Normal approximation for large means (not reached by defaults).
        let (u1, u2): (f64, f64) = (rng.random(), rng.random());
        let z = (-2.0 * (1.0 - u1).ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        return (mean + z * mean.sqrt()).round().clamp(0.0, 10_000.0) as u32;
    }
    let u: f64 = rng.random();
    let mut k = 0u32;
    let mut p = (-mean).exp();
    let mut cdf = p;
    while u > cdf && k < 10_000 {
        k += 1;
        p *= mean / f64::from(k);
        cdf += p;
        if p == 0.0 {
            break;
        }
    }
    k
}

/// Whether an event of probability `p` happens (false for p ≤ 0, true for p ≥ 1).
#[inline]
pub fn chance(rng: &mut SimRng, p: f64) -> bool {
    p > 0.0 && rng.random::<f64>() < p
}

/// The per-day relaxation rate of a half-life in days: 1 − 2^(−1/h).
#[inline]
pub fn rate_from_half_life(days: f64) -> f64 {
    1.0 - 0.5f64.powf(1.0 / days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Stream, stream};

    #[test]
    fn poisson_mean_and_variance_match() {
        let mut rng = stream(3, 0, Stream::World);
        for mean in [0.3, 2.0, 12.0, 800.0] {
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| f64::from(poisson(&mut rng, mean))).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
            let se = (mean / n as f64).sqrt();
            assert!((m - mean).abs() < 5.0 * se, "mean {m} vs {mean}");
            assert!((v / mean - 1.0).abs() < 0.1, "variance {v} vs {mean}");
        }
        assert_eq!(poisson(&mut rng, 0.0), 0);
        assert_eq!(poisson(&mut rng, f64::NAN), 0);
    }

    #[test]
    fn half_life_halves() {
        let r = rate_from_half_life(10.0);
        assert!(((1.0 - r).powi(10) - 0.5).abs() < 1e-12);
    }
}
