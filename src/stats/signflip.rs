//! The exact sign-flip (Fisher–Pitman) permutation test of paired integer
//! differences, with the confidence interval of the mean difference got by
//! inverting it: the statistic for sparse counts (contributor withdrawals,
//! attacks in a quiet context), where most differences are 0 or ±1.
//!
//! Why not the signed-rank test there: it drops zero differences and gives
//! tied ones mid-ranks, so with nine zeros in twelve the three pairs left
//! carry the whole row and the Hodges–Lehmann interval collapses to a
//! point such as [−1, −1] that does not even hold its own estimate (R:
//! `wilcox.test(c(-1, 1, -1, rep(0, 9)), conf.int = TRUE)` gives a "0
//! percent confidence interval: −1 −1"). The sign-flip test keeps every
//! pair: under "no effect" each difference is as likely to have either
//! sign, so the observed sum T = Σ dᵢ is compared with the 2ⁿ sums
//! Σ ±dᵢ (Fisher 1935, §21; Pitman 1937; Good 2005, ch. 3).
//!
//! * p: P(|T*| ≥ |T|) over the 2ⁿ equally likely sign patterns, exactly;
//! * estimate: the mean difference, the quantity the test is about;
//! * interval: the shifts δ that the one-sided tests of d − δ at α/2 do
//!   not reject. Flipping the signs of a set S moves T − nδ by
//!   −2 Σ_S (dᵢ − δ), so the upper-tail p of δ is
//!   (1 + #{S ≠ ∅ : mean_S(d) ≤ δ}) / 2ⁿ, and the ends are the k-th
//!   smallest and k-th largest of the 2ⁿ − 1 subset means, k = ⌊2ⁿ α/2⌋
//!   (Hartigan 1969); it covers with probability 1 − 2k/2ⁿ (≥ the level
//!   asked for) for symmetric differences, and holds the mean by
//!   construction. Below n = 6 no such interval reaches 95 %: the widest,
//!   [min, max], is given with the level 1 − 2/2ⁿ it reaches.
//!
//! Exact for every n, without Monte Carlo: the differences are integers
//! (divided by their greatest common divisor), so the number of subsets of
//! each size and sum is a table filled one difference at a time, of
//! (n + 1) × (range of sums) cells. Counts are f64: exact below n = 54,
//! relative error ~1e-16 beyond.

use super::ks::gcd;

/// A row counts as sparse when more than this share of its differences
/// are zero (the signed-rank test drops them all).
pub const SPARSE_ZERO_SHARE: f64 = 1.0 / 3.0;

/// …or when its non-zero |differences| take fewer than this many distinct
/// values (mid-ranks of so many ties carry little information).
pub const SPARSE_DISTINCT_BELOW: usize = 6;

/// Largest table (n + 1) × (range of subset sums, in units of the
/// greatest common divisor) the exact computation fills: 8 MB.
pub const SIGN_FLIP_MAX_CELLS: usize = 1_000_000;

/// Largest n: 2ⁿ must stay a finite f64.
const MAX_N: usize = 1000;

/// The sign-flip test of paired differences and the interval of their mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignFlip {
    /// Differences used (zeros included).
    pub n: usize,
    /// How many of them are zero.
    pub zeros: usize,
    /// The mean difference.
    pub estimate: f64,
    /// The sample standard deviation of the differences (0 when n = 1).
    pub sd: f64,
    /// Exact two-sided p of "no effect".
    pub p: f64,
    /// Lower end of the interval.
    pub low: f64,
    /// Upper end of the interval.
    pub high: f64,
    /// The level the interval reaches, 1 − 2k/2ⁿ: at least the one asked
    /// for, except below n = 6 at 95 %.
    pub level: f64,
}

impl SignFlip {
    /// Whether the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// An integer exactly representable in f64.
fn is_integer(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 2f64.powi(53)
}

/// Whether paired differences are sparse counts, for which
/// [`sign_flip`] is the statistic: every finite difference an integer,
/// and more than a third of them zero or fewer than six distinct non-zero
/// absolute values. Values that are not finite are ignored; an empty
/// sample is not sparse.
pub fn sparse_counts(d: &[f64]) -> bool {
    let x: Vec<f64> = d.iter().copied().filter(|v| v.is_finite()).collect();
    if x.is_empty() || !x.iter().all(|v| is_integer(*v)) {
        return false;
    }
    let zeros = x.iter().filter(|v| **v == 0.0).count();
    let mut abs: Vec<u64> = x
        .iter()
        .filter(|v| **v != 0.0)
        .map(|v| v.abs() as u64)
        .collect();
    abs.sort_unstable();
    abs.dedup();
    zeros as f64 > SPARSE_ZERO_SHARE * x.len() as f64 || abs.len() < SPARSE_DISTINCT_BELOW
}

/// [`sign_flip_at`] with a two-sided 95 % interval.
pub fn sign_flip(d: &[f64]) -> Option<SignFlip> {
    sign_flip_at(d, 0.95)
}

/// The exact sign-flip test of the differences `d` with a two-sided
/// interval at `level`. Values that are not finite are ignored. None when
/// no difference is left, one is not an integer, or the exact table would
/// exceed [`SIGN_FLIP_MAX_CELLS`] (use the signed-rank test there).
///
/// # Panics
///
/// If `level` is not in (0, 1).
pub fn sign_flip_at(d: &[f64], level: f64) -> Option<SignFlip> {
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level must be in (0, 1)"
    );
    let x: Vec<f64> = d.iter().copied().filter(|v| v.is_finite()).collect();
    let n = x.len();
    if n == 0 || n > MAX_N || !x.iter().all(|v| is_integer(*v)) {
        return None;
    }
    let g = x.iter().fold(0u128, |g, v| gcd(g, v.abs() as u128)).max(1) as f64;
    let units: Vec<i64> = x.iter().map(|v| (v / g) as i64).collect();
    let table = SubsetSums::of(&units)?;
    let total = 2f64.powi(n as i32);
    let t: i64 = units.iter().sum();
    // Flipping the set S turns T into T − 2 Σ_S dᵢ.
    let p = table
        .cells()
        .filter(|&(_, s, _)| (t - 2 * s).abs() >= t.abs())
        .map(|(_, _, c)| c)
        .sum::<f64>()
        / total;
    let k = ((1.0 - level) / 2.0 * total).floor().max(1.0);
    let mut means: Vec<(i64, i64, f64)> = table.cells().filter(|&(size, _, _)| size > 0).collect();
    // Exact order of s/size by cross-multiplying (sizes are positive).
    means.sort_by(|a, b| {
        (i128::from(a.1) * i128::from(b.0)).cmp(&(i128::from(b.1) * i128::from(a.0)))
    });
    let kth = |it: &mut dyn Iterator<Item = &(i64, i64, f64)>| {
        let mut cum = 0.0;
        for &(size, s, c) in it {
            cum += c;
            if cum >= k {
                return s as f64 * g / size as f64;
            }
        }
        unreachable!("k ≤ 2ⁿ⁻¹ < the 2ⁿ − 1 subset means")
    };
    let low = kth(&mut means.iter());
    let high = kth(&mut means.iter().rev());
    let estimate = x.iter().sum::<f64>() / n as f64;
    let sd = if n < 2 {
        0.0
    } else {
        (x.iter().map(|v| (v - estimate).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    Some(SignFlip {
        n,
        zeros: x.iter().filter(|v| **v == 0.0).count(),
        estimate,
        sd,
        p: p.min(1.0),
        low,
        high,
        level: 1.0 - 2.0 * k / total,
    })
}

/// How many subsets of the differences have each size and sum.
struct SubsetSums {
    /// counts[size · width + (sum − lowest)].
    counts: Vec<f64>,
    /// Sums run from `lowest` (the sum of the negative values) over `width`.
    lowest: i64,
    width: usize,
}

impl SubsetSums {
    /// The table of `u`, or None when it exceeds [`SIGN_FLIP_MAX_CELLS`].
    fn of(u: &[i64]) -> Option<Self> {
        let lowest: i64 = u.iter().filter(|v| **v < 0).sum();
        let highest: i64 = u.iter().filter(|v| **v > 0).sum();
        let width = usize::try_from(highest - lowest + 1).ok()?;
        let cells = width.checked_mul(u.len() + 1)?;
        if cells > SIGN_FLIP_MAX_CELLS {
            return None;
        }
        let mut counts = vec![0.0f64; cells];
        counts[(-lowest) as usize] = 1.0;
        for (i, &v) in u.iter().enumerate() {
            // Largest size first, so each subset gains v at most once.
            for size in (0..=i).rev() {
                for j in 0..width {
                    let c = counts[size * width + j];
                    if c != 0.0 {
                        // In range: a subset's sum lies between the sums
                        // of the negative and of the positive values.
                        let to = (j as i64 + v) as usize;
                        counts[(size + 1) * width + to] += c;
                    }
                }
            }
        }
        Some(Self {
            counts,
            lowest,
            width,
        })
    }

    /// (size, sum, count) of every non-empty cell.
    fn cells(&self) -> impl Iterator<Item = (i64, i64, f64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0.0)
            .map(|(i, c)| {
                let (size, j) = (i / self.width, i % self.width);
                (size as i64, j as i64 + self.lowest, *c)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from base R (coin is not installed), enumerating
    // all 2ⁿ sign flips and all 2ⁿ − 1 subset means:
    //
    // sf <- function(d, alpha = 0.05) {
    //   n <- length(d); N <- 2^n
    //   M <- as.matrix(expand.grid(rep(list(0:1), n)))      # 1 = flipped
    //   T <- sum(d); Ts <- as.vector((1 - 2 * M) %*% d)
    //   p <- mean(abs(Ts) >= abs(T) - 1e-9)
    //   S <- M[rowSums(M) > 0, , drop = FALSE]
    //   m <- sort(as.vector(S %*% d) / rowSums(S))            # subset means
    //   k <- max(1, floor(alpha / 2 * N))
    //   c(mean = mean(d), p = p, low = m[k], high = m[N - k],
    //     level = 1 - 2 * k / N, sd = sd(d))
    // }

    fn check(d: &[f64], want: [f64; 6]) {
        let r = sign_flip(d).expect("integer differences");
        let got = [r.estimate, r.p, r.low, r.high, r.level, r.sd];
        for (name, (g, w)) in ["mean", "p", "low", "high", "level", "sd"]
            .iter()
            .zip(got.iter().zip(want))
        {
            assert!((g - w).abs() < 1e-12, "{d:?} {name}: {g} vs R {w}");
        }
        assert!(r.low <= r.estimate && r.estimate <= r.high, "{r:?}");
    }

    #[test]
    fn many_zeros_and_ties_match_r() {
        // Nine zeros of twelve, like T26 in a quiet context. R's
        // wilcox.test gives "0 percent confidence interval: -1 -1" with a
        // pseudo-median of -0.17 and p = 0.7728; the sign-flip test:
        // sf(c(-1, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0)).
        let d = [-1., 0., 0., 1., 0., 0., -1., 0., 0., 0., 0., 0.];
        check(
            &d,
            [
                -1.0 / 12.0,
                1.0,
                -0.4,
                0.25,
                0.950_195_312_5,
                0.514_928_650_544_437_3,
            ],
        );
        let r = sign_flip(&d).unwrap();
        assert_eq!((r.n, r.zeros), (12, 9));
        // One replicate of twelve moved: sf(c(rep(0, 11), 1)).
        let mut one = [0.0; 12];
        one[11] = 1.0;
        check(
            &one,
            [
                1.0 / 12.0,
                1.0,
                0.0,
                0.25,
                0.950_195_312_5,
                0.288_675_134_594_812_9,
            ],
        );
    }

    #[test]
    fn a_consistent_small_shift_is_significant() {
        // sf(c(-2, -1, -3, -1, -2, 0, -1, -2, -1, -1, -2, 0)): ten non-zero
        // differences all down, p = 2 · 2^-10.
        check(
            &[-2., -1., -3., -1., -2., 0., -1., -2., -1., -1., -2., 0.],
            [
                -4.0 / 3.0,
                0.001_953_125,
                -2.0,
                -0.75,
                0.950_195_312_5,
                0.887_625_364_598_595,
            ],
        );
        // sf(c(4, 3, 4, 3, 3, 4, 4, 3, 4, 3, 3, 4)): T30's withdrawals.
        check(
            &[4., 3., 4., 3., 3., 4., 4., 3., 4., 3., 3., 4.],
            [
                3.5,
                0.000_488_281_25,
                3.166_666_666_666_667,
                3.833_333_333_333_333,
                0.950_195_312_5,
                0.522_232_967_867_094,
            ],
        );
        // sf(rep(5, 12)): every replicate moved by 5.
        check(
            &[5.0; 12],
            [5.0, 0.000_488_281_25, 5.0, 5.0, 0.950_195_312_5, 0.0],
        );
    }

    #[test]
    fn sixteen_pairs_and_a_small_n_match_r() {
        // sf(c(0, 1, 0, 0, 2, 1, 0, 0, 1, 0, 0, 1, 0, -1, 0, 1)).
        check(
            &[
                0., 1., 0., 0., 2., 1., 0., 0., 1., 0., 0., 1., 0., -1., 0., 1.,
            ],
            [
                0.375,
                0.109_375,
                0.0,
                0.75,
                0.950_012_207_031_25,
                0.718_795_288_428_261,
            ],
        );
        // sf(c(1, 1, 2, 1, 1)): n = 5 cannot reach 95 %; [min, max] at
        // 1 − 2/32.
        check(
            &[1., 1., 2., 1., 1.],
            [1.2, 0.0625, 1.0, 2.0, 0.9375, 0.447_213_595_499_958],
        );
    }

    /// The table agrees with brute force over every sign pattern and
    /// subset, on scaled values (a common divisor of 7).
    #[test]
    fn the_table_agrees_with_enumeration() {
        let d = [7., -14., 0., 21., 7., 0., -7., 14., 0., 7.];
        let n = d.len();
        let t: f64 = d.iter().sum();
        let (mut hits, mut means) = (0u32, Vec::new());
        for mask in 0u32..1 << n {
            let s: f64 = (0..n).filter(|i| mask >> i & 1 == 1).map(|i| d[i]).sum();
            hits += u32::from((t - 2.0 * s).abs() >= t.abs());
            if mask != 0 {
                means.push(s / f64::from(mask.count_ones()));
            }
        }
        means.sort_by(f64::total_cmp);
        let k = 25; // ⌊1024 · 0.025⌋
        let r = sign_flip(&d).unwrap();
        assert_eq!(r.p, f64::from(hits) / 1024.0);
        assert!((r.low - means[k - 1]).abs() < 1e-12, "{r:?}");
        assert!((r.high - means[means.len() - k]).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn beyond_twenty_pairs_it_stays_exact() {
        // 40 pairs, 30 zeros and ten +1: P(|T*| ≥ 10) = 2 · 2^-10.
        let mut d = [0.0; 40];
        d[..10].fill(1.0);
        let r = sign_flip(&d).unwrap();
        assert!((r.p - 2.0 * 0.5f64.powi(10)).abs() < 1e-15, "{}", r.p);
        assert!(r.excludes_zero() && r.low > 0.0 && r.high <= 1.0);
        assert!((r.level - 0.95).abs() < 1e-9);
    }

    #[test]
    fn what_is_not_a_sparse_count() {
        assert!(sparse_counts(&[0., 0., 1., 0., -1., 2.]), "half zeros");
        assert!(
            sparse_counts(&[1., 2., 3., 4., 5., -1., -2., 3.]),
            "five distinct |d|"
        );
        assert!(
            !sparse_counts(&[1., 2., 3., 4., 5., 6., 0., 0.]),
            "six distinct |d|, a quarter zero"
        );
        assert!(
            !sparse_counts(&[0.5, 0., 0., 0.]),
            "not integers: a mean or a share"
        );
        assert!(!sparse_counts(&[]));
        assert!(sparse_counts(&[f64::NAN, 0., 0., 3.]), "NaN ignored");
        // Four zeros of twelve is exactly a third: not more than a third.
        let mut d: Vec<f64> = (1..=8).map(f64::from).collect();
        d.extend([0.0; 4]);
        assert!(!sparse_counts(&d));
        d.push(0.0);
        assert!(sparse_counts(&d));
    }

    #[test]
    fn too_large_or_non_integer_samples_have_no_exact_answer() {
        assert!(sign_flip(&[0.5, 1.0]).is_none());
        assert!(sign_flip(&[]).is_none());
        // Coprime values summing to ~10^6 over 12 pairs: 13 × 10^6 cells.
        let mut d = vec![100_000.0; 11];
        d.push(100_001.0);
        assert!(sign_flip(&d).is_none());
        // The same magnitude with a common divisor is tiny once divided.
        assert!(sign_flip(&[100_000.0; 12]).is_some());
    }
}
