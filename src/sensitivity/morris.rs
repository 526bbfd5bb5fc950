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

/// Campolongo, Cariboni and Saltelli's (2007) distance between two
/// trajectories of `k + 1` points each: the sum of the Euclidean distances
/// between every point of one and every point of the other.
pub fn trajectory_distance(a: &[Vec<f64>], b: &[Vec<f64>]) -> f64 {
    a.iter()
        .map(|x| {
            b.iter()
                .map(|y| {
                    x.iter()
                        .zip(y)
                        .map(|(u, v)| (u - v) * (u - v))
                        .sum::<f64>()
                        .sqrt()
                })
                .sum::<f64>()
        })
        .sum()
}

/// The spread of a set of trajectories (Campolongo et al. 2007): the
/// square root of the sum of the squared distances over every pair.
pub fn spread(design: &MorrisDesign, chosen: &[usize]) -> f64 {
    let points = design.k + 1;
    let t = |i: usize| &design.unit[i * points..(i + 1) * points];
    let mut sum = 0.0;
    for (n, &a) in chosen.iter().enumerate() {
        for &b in &chosen[n + 1..] {
            sum += trajectory_distance(t(a), t(b)).powi(2);
        }
    }
    sum.sqrt()
}

/// Draws a pool of `pool` trajectories and keeps the `r` of largest
/// spread (Campolongo et al. 2007), so the few trajectories a simulation
/// affords cover the hypercube better than `r` random ones. The paper's
/// brute-force search over every subset is out of reach beyond small
/// pools; this removes, one at a time, the trajectory whose removal keeps
/// the spread largest (the backward elimination of Ruano, Ewald, Pelaez
/// and Moreno 2012). With `pool ≤ r` it is [`morris_design`] itself.
pub fn morris_design_spread(
    k: usize,
    r: usize,
    levels: usize,
    pool: usize,
    seed: u64,
) -> MorrisDesign {
    if pool <= r {
        return morris_design(k, r, levels, seed);
    }
    let all = morris_design(k, pool, levels, seed);
    let points = k + 1;
    let t = |i: usize| &all.unit[i * points..(i + 1) * points];
    let mut d2 = vec![vec![0.0; pool]; pool];
    // Both halves of a symmetric matrix: indices read more plainly here.
    #[allow(clippy::needless_range_loop)]
    for a in 0..pool {
        for b in a + 1..pool {
            let d = trajectory_distance(t(a), t(b)).powi(2);
            d2[a][b] = d;
            d2[b][a] = d;
        }
    }
    let mut kept: Vec<usize> = (0..pool).collect();
    while kept.len() > r {
        // The trajectory contributing least to the sum of squared
        // distances; ties: the later one goes, so the result is one answer.
        let (pos, _) = kept
            .iter()
            .enumerate()
            .map(|(p, &a)| (p, kept.iter().map(|&b| d2[a][b]).sum::<f64>()))
            .fold(
                (0, f64::INFINITY),
                |best, (p, c)| {
                    if c <= best.1 { (p, c) } else { best }
                },
            );
        kept.remove(pos);
    }
    MorrisDesign {
        k,
        unit: kept.iter().flat_map(|&i| t(i).iter().cloned()).collect(),
        moves: kept.iter().map(|&i| all.moves[i].clone()).collect(),
    }
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
    fn spread_selection_beats_random_sets() {
        let (k, r, levels) = (6, 5, 4);
        let chosen = morris_design_spread(k, r, levels, 40, 3);
        let all: Vec<usize> = (0..r).collect();
        let best = spread(&chosen, &all);
        // The chosen set is a valid design: r trajectories that move every
        // factor once, and it is deterministic.
        assert_eq!(chosen.moves.len(), r);
        assert_eq!(chosen.unit.len(), r * (k + 1));
        assert_eq!(chosen, morris_design_spread(k, r, levels, 40, 3));
        // Its spread is at least that of every one of 50 random sets of r
        // trajectories, and well above their mean.
        let mut total = 0.0;
        for seed in 100..150 {
            let random = spread(&morris_design(k, r, levels, seed), &all);
            assert!(best >= random, "seed {seed}: {best} < {random}");
            total += random;
        }
        assert!(best > 1.1 * total / 50.0, "{best} vs mean {}", total / 50.0);
        // And of the pool's own first r trajectories.
        let pool = morris_design(k, 40, levels, 3);
        assert!(best >= spread(&pool, &all));
        // Distances: two one-point trajectories 3-4-5 apart.
        assert_eq!(
            trajectory_distance(&[vec![0.0, 0.0]], &[vec![3.0, 4.0]]),
            5.0
        );
        assert_eq!(
            morris_design_spread(k, r, levels, r, 3),
            morris_design(k, r, levels, 3)
        );
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
