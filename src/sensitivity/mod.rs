//! Global sensitivity analysis (Saltelli et al. 2008): which parameters
//! the outputs depend on over their plausible ranges.
//!
//! * [`morris`]: elementary effects for screening many parameters (μ*, σ,
//!   bootstrap intervals);
//! * [`sobol`]: first- and total-order Sobol' indices (Saltelli sampling,
//!   Jansen estimators, bootstrap intervals);
//! * [`prim`]: PRIM scenario discovery, boxes in parameter space where
//!   cases of interest concentrate (coverage and density);
//! * [`sequence`]: the Sobol sequence the designs are drawn from;
//! * [`noise_share`]: how much of the variance between design points is
//!   replicate noise, which the indices would otherwise credit to the
//!   parameters.
//!
//! Pure estimators on unit-hypercube designs: the `sensitivity` command
//! maps the designs onto parameter ranges and runs them as a sweep
//! ([`crate::sweep`]), replicates averaged per design point.

pub mod morris;
pub mod prim;
pub mod sequence;
pub mod sobol;
#[cfg(test)]
pub mod test_functions;

pub use morris::{
    MorrisDesign, MorrisIndex, morris_analyze, morris_design, morris_design_spread, spread,
};
pub use prim::{Prim, PrimBox, PrimOptions, prim};
pub use sobol::{SobolIndex, is_flat, saltelli_design, sobol_analyze};

/// The 2.5 % and 97.5 % percentiles of the finite `values` (linear
/// interpolation, numpy's default); `(NaN, NaN)` when none is finite (an
/// index is undefined when the output does not vary, e.g. a ceasefire
/// that held at every point).
pub fn percentile(values: &mut Vec<f64>) -> (f64, f64) {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    values.sort_by(f64::total_cmp);
    (
        crate::stats::quantile_sorted(values, 0.025),
        crate::stats::quantile_sorted(values, 0.975),
    )
}

/// Replicate noise in a sweep's outputs, `runs[point][replicate]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseShare {
    /// Mean within-point variance over the variance of single runs across
    /// all points: the share of one run's variance that is noise.
    pub of_runs: f64,
    /// The within-point variance of a point's mean (within / replicates)
    /// over the variance of the point means: the share of the variance the
    /// indices decompose that is noise, not parameters.
    pub of_means: f64,
}

/// The share of variance that is replicate noise (see [`NoiseShare`]);
/// `None` with fewer than two replicates per point or two points.
pub fn noise_share(runs: &[Vec<f64>]) -> Option<NoiseShare> {
    let r = runs.first()?.len();
    if r < 2 || runs.len() < 2 || runs.iter().any(|p| p.len() != r) {
        return None;
    }
    let var = |x: &[f64]| -> f64 {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0)
    };
    let within = runs.iter().map(|p| var(p)).sum::<f64>() / runs.len() as f64;
    let all: Vec<f64> = runs.iter().flatten().copied().collect();
    let means: Vec<f64> = runs
        .iter()
        .map(|p| p.iter().sum::<f64>() / r as f64)
        .collect();
    let (total, between) = (var(&all), var(&means));
    // Undefined (NaN) when nothing varies, e.g. a ceasefire that held in
    // every run; capped at 1 (the unbiased estimates can cross by chance).
    let share = |num: f64, den: f64| {
        if den > 0.0 {
            (num / den).min(1.0)
        } else if num > 0.0 {
            1.0
        } else {
            f64::NAN
        }
    };
    Some(NoiseShare {
        of_runs: share(within, total),
        of_means: share(within / r as f64, between),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_share_separates_noise_from_signal() {
        // Pure noise: the point means differ only by chance.
        let noise: Vec<Vec<f64>> = (0..4)
            .map(|p| vec![1.0 + p as f64 * 0.0, -1.0, 1.0, -1.0])
            .collect();
        let n = noise_share(&noise).unwrap();
        assert_eq!(n.of_means, 1.0);
        // Pure signal: no spread within points.
        let signal: Vec<Vec<f64>> = (0..4).map(|p| vec![p as f64; 3]).collect();
        let s = noise_share(&signal).unwrap();
        assert_eq!((s.of_runs, s.of_means), (0.0, 0.0));
        assert!(noise_share(&[vec![1.0]]).is_none());
        let flat = noise_share(&[vec![0.0, 0.0], vec![0.0, 0.0]]).unwrap();
        assert!(flat.of_means.is_nan());
    }

    #[test]
    fn percentiles_of_a_sample() {
        let mut v: Vec<f64> = (0..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut v), (2.5, 97.5));
        assert!(percentile(&mut vec![f64::NAN]).0.is_nan());
    }
}
