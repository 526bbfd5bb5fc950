//! Variance-based sensitivity: first- and total-order Sobol' indices from
//! Saltelli's sampling scheme on a Sobol sequence, with Jansen's
//! estimators (Saltelli et al. 2010, table 2, estimators (f) and (b)
//! rewritten as in Jansen 1999) and bootstrap intervals.
//!
//! Sampling: `n` rows (a power of two) of a `2k`-dimensional Sobol
//! sequence, points `n..2n` (the first block, which holds the origin, is
//! skipped as SALib does); matrix A is the first `k` columns, B the last
//! `k`, and AB_i is A with column i taken from B. Each row contributes
//! `k + 2` points, in the order A, AB_1 … AB_k, B.

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::percentile;
use super::sequence::sobol_points;

/// Saltelli's design in the unit hypercube: `n (k + 2)` points, row by row.
pub fn saltelli_design(n: usize, k: usize) -> Vec<Vec<f64>> {
    assert!(
        n.is_power_of_two(),
        "Saltelli sampling needs N a power of two"
    );
    let base = sobol_points(n, 2 * k, n);
    let mut out = Vec::with_capacity(n * (k + 2));
    for row in &base {
        let (a, b) = row.split_at(k);
        out.push(a.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            out.push(ab);
        }
        out.push(b.to_vec());
    }
    out
}

/// One factor's indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First order: the share of the variance the factor explains alone.
    pub s1: f64,
    /// Total order: its share including every interaction.
    pub st: f64,
    /// Bootstrap 95 % percentile interval of `s1`.
    pub s1_ci: (f64, f64),
    /// Bootstrap 95 % percentile interval of `st`.
    pub st_ci: (f64, f64),
}

/// Jansen's estimators over the rows `rows` of outputs laid out as
/// [`saltelli_design`]'s points.
fn jansen(y: &[f64], k: usize, rows: &[usize]) -> Vec<(f64, f64)> {
    let n = rows.len() as f64;
    let at = |r: usize, j: usize| y[r * (k + 2) + j];
    // Variance of all A and B outputs together, in two passes: the
    // one-pass sum of squares cancels catastrophically for a near-constant
    // output and turns rounding into indices.
    let ends = || rows.iter().flat_map(|&r| [at(r, 0), at(r, k + 1)]);
    let m = ends().sum::<f64>() / (2.0 * n);
    let var = ends().map(|v| (v - m).powi(2)).sum::<f64>() / (2.0 * n - 1.0);
    (0..k)
        .map(|i| {
            let (mut first, mut total) = (0.0, 0.0);
            for &r in rows {
                let (a, b, ab) = (at(r, 0), at(r, k + 1), at(r, i + 1));
                first += (b - ab).powi(2);
                total += (a - ab).powi(2);
            }
            let s1 = (var - first / (2.0 * n)) / var;
            let st = total / (2.0 * n) / var;
            (s1, st)
        })
        .collect()
}

/// Whether outputs `y` are constant up to rounding (a spread under 1e-12
/// of their magnitude): their variance is zero or noise of the floating
/// point, so no share of it can be attributed and every index would be
/// NaN or meaningless.
pub fn is_flat(y: &[f64]) -> bool {
    let (lo, hi) = y
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    hi - lo <= 1e-12 * lo.abs().max(hi.abs())
}

/// First- and total-order indices of `k` factors from outputs `y` of
/// [`saltelli_design`] (`n (k + 2)` values), with `boot` bootstrap
/// resamples of the rows (seeded).
pub fn sobol_analyze(y: &[f64], k: usize, boot: usize, seed: u64) -> Vec<SobolIndex> {
    assert_eq!(y.len() % (k + 2), 0, "outputs of a Saltelli design");
    let n = y.len() / (k + 2);
    let all: Vec<usize> = (0..n).collect();
    let point = jansen(y, k, &all);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut s1 = vec![Vec::with_capacity(boot); k];
    let mut st = vec![Vec::with_capacity(boot); k];
    for _ in 0..boot {
        let rows: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        for (i, (a, b)) in jansen(y, k, &rows).into_iter().enumerate() {
            s1[i].push(a);
            st[i].push(b);
        }
    }
    point
        .into_iter()
        .enumerate()
        .map(|(i, (a, b))| SobolIndex {
            s1: a,
            st: b,
            s1_ci: percentile(&mut s1[i]),
            st_ci: percentile(&mut st[i]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::test_functions::{
        ISHIGAMI_S1, ISHIGAMI_ST, g_function, ishigami, sobol_g_indices,
    };

    #[test]
    fn the_design_crosses_a_and_b_column_by_column() {
        let d = saltelli_design(4, 3);
        assert_eq!(d.len(), 4 * 5);
        for r in 0..4 {
            let (a, b) = (&d[r * 5], &d[r * 5 + 4]);
            for i in 0..3 {
                let ab = &d[r * 5 + 1 + i];
                for j in 0..3 {
                    assert_eq!(ab[j], if j == i { b[j] } else { a[j] });
                }
            }
        }
    }

    /// Ishigami (a = 7, b = 0.1) with N = 2^13: every index within 0.02
    /// of its analytic value, and every analytic value inside the
    /// bootstrap interval widened by 0.01.
    #[test]
    fn ishigami_indices_are_recovered() {
        let n = 1 << 13;
        let y: Vec<f64> = saltelli_design(n, 3)
            .iter()
            .map(|u| {
                let x: Vec<f64> = u
                    .iter()
                    .map(|v| -std::f64::consts::PI + 2.0 * std::f64::consts::PI * v)
                    .collect();
                ishigami(&x)
            })
            .collect();
        let idx = sobol_analyze(&y, 3, 300, 1);
        for i in 0..3 {
            let got = idx[i];
            assert!(
                (got.s1 - ISHIGAMI_S1[i]).abs() < 0.02,
                "S1[{i}] = {}",
                got.s1
            );
            assert!(
                (got.st - ISHIGAMI_ST[i]).abs() < 0.02,
                "ST[{i}] = {}",
                got.st
            );
            assert!(got.s1_ci.0 - 0.01 <= ISHIGAMI_S1[i] && ISHIGAMI_S1[i] <= got.s1_ci.1 + 0.01);
            assert!(got.st_ci.0 - 0.01 <= ISHIGAMI_ST[i] && ISHIGAMI_ST[i] <= got.st_ci.1 + 0.01);
        }
    }

    #[test]
    fn a_constant_output_is_flat_and_a_varying_one_is_not() {
        assert!(is_flat(&[3.0; 10]));
        assert!(is_flat(&[0.0; 4]));
        // Rounding-level spread of a large value: flat.
        assert!(is_flat(&[1e6, 1e6 * (1.0 + 1e-15), 1e6]));
        assert!(!is_flat(&[0.0, 0.0, 1.0]));
        assert!(!is_flat(&[1e6, 1e6 + 1.0]));
    }

    /// Sobol's G function with a = 0, 1, 4.5, 9, 99, 99, 99, 99 and N =
    /// 2^12: every index within 0.02 of its analytic value.
    #[test]
    fn g_function_indices_are_recovered() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        let n = 1 << 12;
        let y: Vec<f64> = saltelli_design(n, a.len())
            .iter()
            .map(|x| g_function(x, &a))
            .collect();
        let idx = sobol_analyze(&y, a.len(), 100, 2);
        let (s1, st) = sobol_g_indices(&a);
        for i in 0..a.len() {
            assert!(
                (idx[i].s1 - s1[i]).abs() < 0.02,
                "S1[{i}] {} vs {}",
                idx[i].s1,
                s1[i]
            );
            assert!(
                (idx[i].st - st[i]).abs() < 0.02,
                "ST[{i}] {} vs {}",
                idx[i].st,
                st[i]
            );
        }
    }
}
