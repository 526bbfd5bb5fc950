//! Morris's (1991) elementary effects for screening, with Campolongo,
//! Cariboni and Saltelli's (2007) μ*: `r` one-at-a-time trajectories
//! through a `p`-level grid of the unit hypercube, each moving every factor
//! once by Δ = p / (2 (p − 1)); the elementary effect of a factor is the
//! change of the output over its move divided by the (signed) step, in
//! units of the factor's whole range.
//!
//! Pure: the design is drawn from a seeded generator, the analysis is
//! arithmetic on the outputs; bootstrap intervals resample trajectories.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::percentile;

/// A Morris design: `r` trajectories of `k + 1` points each.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisDesign {
    /// Factors.
    pub k: usize,
    /// Every point in the unit hypercube, trajectory by trajectory.
    pub unit: Vec<Vec<f64>>,
    /// Per trajectory, its `k` moves in order: (factor, signed step).
    pub moves: Vec<Vec<(usize, f64)>>,
}

/// Draws `r` trajectories over a `levels`-level grid (`levels` even, ≥ 2)
/// of `k` factors.
pub fn morris_design(k: usize, r: usize, levels: usize, seed: u64) -> MorrisDesign {
    assert!(levels >= 2 && levels % 2 == 0, "Morris levels must be even");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let delta = levels as f64 / (2.0 * (levels as f64 - 1.0));
    let mut unit = Vec::with_capacity(r * (k + 1));
    let mut moves = Vec::with_capacity(r);
    for _ in 0..r {
        let mut x: Vec<f64> = (0..k)
            .map(|_| rng.random_range(0..levels) as f64 / (levels as f64 - 1.0))
            .collect();
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
        unit.push(x.clone());
        let mut m = Vec::with_capacity(k);
        for &i in &order {
            // Up if the grid allows, else down: every level has one move.
            let step = if x[i] + delta <= 1.0 + 1e-12 {
                delta
            } else {
                -delta
            };
            x[i] = (x[i] + step).clamp(0.0, 1.0);
            unit.push(x.clone());
            m.push((i, step));
        }
        moves.push(m);
    }
    MorrisDesign { k, unit, moves }
}

/// One factor's screening measures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect (signed; effects of opposite sign cancel).
    pub mu: f64,
    /// Mean absolute elementary effect: the overall influence.
    pub mu_star: f64,
    /// Standard deviation of the effects: interactions and non-linearity.
    pub sigma: f64,
    /// Bootstrap 95 % percentile interval of μ*.
    pub mu_star_ci: (f64, f64),
    /// Bootstrap 95 % percentile interval of σ.
    pub sigma_ci: (f64, f64),
}

/// Elementary effects `[factor][trajectory]` of outputs `y` (one per point
/// of `design`, in order).
pub fn elementary_effects(design: &MorrisDesign, y: &[f64]) -> Vec<Vec<f64>> {
    let k = design.k;
    assert_eq!(
        y.len(),
        design.moves.len() * (k + 1),
        "one output per point"
    );
    let mut ee = vec![Vec::with_capacity(design.moves.len()); k];
    for (t, moves) in design.moves.iter().enumerate() {
        let base = t * (k + 1);
        for (s, &(i, step)) in moves.iter().enumerate() {
            ee[i].push((y[base + s + 1] - y[base + s]) / step);
        }
    }
    ee
}

fn measures(ee: &[f64]) -> (f64, f64, f64) {
    let n = ee.len() as f64;
    let mu = ee.iter().sum::<f64>() / n;
    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n;
    let var = if ee.len() > 1 {
        ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mu, mu_star, var.sqrt())
}

/// μ, μ* and σ of every factor, with bootstrap intervals from `boot`
/// resamples of the trajectories (seeded).
pub fn morris_analyze(
    design: &MorrisDesign,
    y: &[f64],
    boot: usize,
    seed: u64,
) -> Vec<MorrisIndex> {
    let ee = elementary_effects(design, y);
    let r = design.moves.len();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut stars = vec![Vec::with_capacity(boot); design.k];
    let mut sigmas = vec![Vec::with_capacity(boot); design.k];
    let mut sample = vec![0.0; r];
    for _ in 0..boot {
        let picks: Vec<usize> = (0..r).map(|_| rng.random_range(0..r)).collect();
        for i in 0..design.k {
            for (s, &p) in sample.iter_mut().zip(&picks) {
                *s = ee[i][p];
            }
            let (_, star, sigma) = measures(&sample);
            stars[i].push(star);
            sigmas[i].push(sigma);
        }
    }
    (0..design.k)
        .map(|i| {
            let (mu, mu_star, sigma) = measures(&ee[i]);
            MorrisIndex {
                mu,
                mu_star,
                sigma,
                mu_star_ci: percentile(&mut stars[i]),
                sigma_ci: percentile(&mut sigmas[i]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::test_functions::{g_function, sobol_g_indices};

    #[test]
    fn trajectories_move_each_factor_once_by_delta() {
        let d = morris_design(5, 7, 4, 1);
        assert_eq!(d.unit.len(), 7 * 6);
        assert_eq!(d, morris_design(5, 7, 4, 1));
        for (t, moves) in d.moves.iter().enumerate() {
            let mut seen: Vec<usize> = moves.iter().map(|m| m.0).collect();
            seen.sort();
            assert_eq!(seen, (0..5).collect::<Vec<_>>());
            for (s, &(i, step)) in moves.iter().enumerate() {
                let (a, b) = (&d.unit[t * 6 + s], &d.unit[t * 6 + s + 1]);
                assert!((b[i] - a[i] - step).abs() < 1e-12);
                assert!((step.abs() - 2.0 / 3.0).abs() < 1e-12);
                assert!(b.iter().all(|x| (0.0..=1.0).contains(x)));
            }
        }
    }

    #[test]
    fn a_linear_function_has_its_coefficients_as_effects() {
        let c = [3.0, -2.0, 0.0, 0.5];
        let d = morris_design(4, 10, 4, 7);
        let y: Vec<f64> = d
            .unit
            .iter()
            .map(|x| x.iter().zip(&c).map(|(a, b)| a * b).sum())
            .collect();
        let m = morris_analyze(&d, &y, 200, 3);
        for (i, idx) in m.iter().enumerate() {
            assert!((idx.mu - c[i]).abs() < 1e-9);
            assert!((idx.mu_star - c[i].abs()).abs() < 1e-9);
            assert!(idx.sigma < 1e-9);
            assert!(
                idx.mu_star_ci.0 <= idx.mu_star + 1e-9 && idx.mu_star <= idx.mu_star_ci.1 + 1e-9
            );
        }
    }

    #[test]
    fn morris_ranks_the_g_function_as_its_total_indices() {
        // a = 0, 1, 4.5, 9, 99, …: importance falls with a; μ* must order
        // the factors as the analytic total indices do, and screen the
        // a = 99 factors out (μ* under a tenth of the largest).
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        let d = morris_design(a.len(), 200, 4, 11);
        let y: Vec<f64> = d.unit.iter().map(|x| g_function(x, &a)).collect();
        let m = morris_analyze(&d, &y, 100, 5);
        let (_, st) = sobol_g_indices(&a);
        for i in 0..3 {
            assert!(st[i] > st[i + 1]);
            assert!(m[i].mu_star > m[i + 1].mu_star, "{i}: {m:?}");
        }
        for idx in &m[4..] {
            assert!(idx.mu_star < 0.1 * m[0].mu_star);
        }
    }
}
