//! Wilcoxon's signed-rank test of paired differences with the
//! Hodges–Lehmann estimate and its confidence interval: a rank statistic
//! for outcomes whose tails would swamp a t interval (a replicate where war
//! returns adds thousands of deaths to one arm).
//!
//! Everything follows R's `wilcox.test(d, conf.int = TRUE)` (R 4.2):
//!
//! * zero differences are dropped before ranking;
//! * with fewer than 50 non-zero differences, no ties and no zeros, the p
//!   and the interval are exact (the permutation distribution of `W+`; the
//!   interval is a pair of order statistics of the Walsh averages);
//! * otherwise the normal approximation with the tie correction of the
//!   variance and a continuity correction, and the interval is the set of
//!   shifts the corrected z test does not reject. R finds its ends with
//!   `uniroot` to 1e-4; the ends are Walsh averages (the statistic only
//!   changes there), so here they are found exactly among them;
//! * the estimate is the median of the Walsh averages (x_i + x_j)/2, i ≤ j
//!   (the Hodges–Lehmann estimate; R's pseudo-median).
//!
//! Two cases where R gives no number are settled here so a row always has
//! one: every difference zero (estimate 0, interval [0, 0], p = 1) and
//! every non-zero difference equal to one value c (interval [c, c]).
//!
//! The Walsh averages take O(n²) memory: fine for the validation suite's
//! tens to hundreds of replicates.

use statrs::distribution::{ContinuousCDF, Normal};

/// Below this many non-zero differences (and without ties or zeros) the
/// test and the interval are exact, as in R.
pub const EXACT_BELOW: usize = 50;

/// The signed-rank test of paired differences, with the Hodges–Lehmann
/// estimate and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignedRank {
    /// Non-zero differences used (zeros are dropped, as R does).
    pub n: usize,
    /// Zero differences dropped.
    pub zeros: usize,
    /// Sum of the ranks of the positive differences (R's `V`).
    pub w_plus: f64,
    /// Two-sided p of "no shift".
    pub p: f64,
    /// Whether the p and the interval are exact (else normal approximation
    /// with continuity correction).
    pub exact: bool,
    /// The Hodges–Lehmann estimate: the median of the Walsh averages.
    pub estimate: f64,
    /// Lower end of the interval (NaN when there is none).
    pub low: f64,
    /// Upper end of the interval (NaN when there is none).
    pub high: f64,
    /// The confidence level the interval achieves: at least the one asked
    /// for, except at very small n, where no interval reaches it (exact:
    /// n ≤ 5 at 95 %) and the widest one is given with its own level.
    pub level: f64,
}

/// The signed-rank test of the differences `d` (e.g. from
/// [`crate::stats::paired_differences`]) with a two-sided 95 % interval.
/// Values that are not finite are ignored.
pub fn signed_rank(d: &[f64]) -> SignedRank {
    signed_rank_at(d, 0.95)
}

/// [`signed_rank`] with a two-sided interval at `level` (e.g. 0.95).
///
/// # Panics
///
/// If `level` is not in (0, 1).
pub fn signed_rank_at(d: &[f64], level: f64) -> SignedRank {
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level must be in (0, 1)"
    );
    let finite: Vec<f64> = d.iter().copied().filter(|x| x.is_finite()).collect();
    let x: Vec<f64> = finite.iter().copied().filter(|v| *v != 0.0).collect();
    let (n, zeros) = (x.len(), finite.len() - x.len());
    if n == 0 {
        return SignedRank {
            n,
            zeros,
            w_plus: 0.0,
            p: 1.0,
            exact: false,
            estimate: 0.0,
            low: 0.0,
            high: 0.0,
            level: 1.0,
        };
    }
    let ranks = Ranks::of(&x);
    let w_plus = ranks.w2 as f64 / 2.0;
    let walsh = walsh_averages(&x);
    let estimate = median_sorted(&walsh);
    let alpha = 1.0 - level;
    let exact = n < EXACT_BELOW && !ranks.tied && zeros == 0;
    let (p, low, high, level) = if exact {
        let dist = SignedRankDistribution::new(n);
        let m = dist.max();
        let half = m as f64 / 2.0;
        // R: psignrank(V − 1, n, lower.tail = FALSE) above the centre,
        // psignrank(V, n) at or below it.
        let v = ranks.w2 / 2;
        let one_sided = if w_plus > half {
            1.0 - dist.cdf(v as i64 - 1)
        } else {
            dist.cdf(v as i64)
        };
        // The qu-th smallest and qu-th largest Walsh averages.
        let qu = dist.quantile(alpha / 2.0).max(1);
        let achieved = 1.0 - 2.0 * dist.cdf(qu as i64 - 1);
        (
            (2.0 * one_sided).min(1.0),
            walsh[qu as usize - 1],
            walsh[(m - qu) as usize],
            achieved,
        )
    } else {
        let nf = n as f64;
        let z = w_plus - nf * (nf + 1.0) / 4.0;
        let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - ranks.ties / 48.0).sqrt();
        let z = (z - 0.5 * sign(z)) / sigma;
        // σ > 0 for n ≥ 1, ties or not, so z is a number.
        let p = (2.0 * std_normal().cdf(-z.abs())).min(1.0);
        let (low, high, achieved) = normal_interval(&x, &walsh, alpha);
        (p, low, high, achieved)
    };
    SignedRank {
        n,
        zeros,
        w_plus,
        p,
        exact,
        estimate,
        low,
        high,
        level,
    }
}

impl SignedRank {
    /// Whether the interval lies wholly above or below zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// R's `sign`: 0 at 0 (Rust's `signum` gives 1 there).
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("the standard normal is valid")
}

/// Ranks of |x| (mid-ranks for ties), kept doubled so ties stay integers.
struct Ranks {
    /// Twice the sum of the ranks of the positive values.
    w2: u64,
    /// Σ (t³ − t) over groups of t tied |x|, for the variance.
    ties: f64,
    /// Whether any |x| are tied.
    tied: bool,
}

impl Ranks {
    fn of(x: &[f64]) -> Self {
        let mut abs: Vec<(f64, bool)> = x.iter().map(|v| (v.abs(), *v > 0.0)).collect();
        abs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = abs.len();
        let (mut w2, mut ties, mut tied) = (0u64, 0.0, false);
        let mut i = 0;
        while i < n {
            let mut j = i + 1;
            while j < n && abs[j].0 == abs[i].0 {
                j += 1;
            }
            // Ranks i+1..=j share the mid-rank (i + 1 + j) / 2.
            let r2 = (i + 1 + j) as u64;
            w2 += r2 * abs[i..j].iter().filter(|a| a.1).count() as u64;
            let t = (j - i) as f64;
            ties += t * t * t - t;
            tied |= j - i > 1;
            i = j;
        }
        Self { w2, ties, tied }
    }
}

/// The Walsh averages (x_i + x_j)/2, i ≤ j, sorted.
fn walsh_averages(x: &[f64]) -> Vec<f64> {
    let mut w = Vec::with_capacity(x.len() * (x.len() + 1) / 2);
    for i in 0..x.len() {
        for j in i..x.len() {
            w.push((x[i] + x[j]) / 2.0);
        }
    }
    w.sort_by(f64::total_cmp);
    w
}

/// The median of a sorted, non-empty slice (mean of the middle two).
fn median_sorted(v: &[f64]) -> f64 {
    let k = v.len();
    if k % 2 == 1 {
        v[k / 2]
    } else {
        (v[k / 2 - 1] + v[k / 2]) / 2.0
    }
}

/// The permutation distribution of `W+` for n untied ranks 1..n.
struct SignedRankDistribution {
    /// P(W+ = s), s = 0..=n(n+1)/2.
    prob: Vec<f64>,
}

impl SignedRankDistribution {
    fn new(n: usize) -> Self {
        let m = n * (n + 1) / 2;
        let mut prob = vec![0.0f64; m + 1];
        prob[0] = 1.0;
        let mut reach = 0;
        // Each rank r is in W+ with probability ½; halving keeps every
        // entry a dyadic fraction, exact in f64 for n < 50.
        for r in 1..=n {
            for s in (0..=reach).rev() {
                let v = prob[s] * 0.5;
                prob[s] = v;
                prob[s + r] += v;
            }
            reach += r;
        }
        Self { prob }
    }

    /// n(n+1)/2, the largest W+.
    fn max(&self) -> u64 {
        self.prob.len() as u64 - 1
    }

    /// P(W+ ≤ q) (R's `psignrank`).
    fn cdf(&self, q: i64) -> f64 {
        if q < 0 {
            return 0.0;
        }
        let q = (q as usize).min(self.prob.len() - 1);
        self.prob[..=q].iter().sum()
    }

    /// The smallest q with P(W+ ≤ q) ≥ a (R's `qsignrank`, with its
    /// allowance of 10 machine epsilons for a ≤ ½).
    fn quantile(&self, a: f64) -> u64 {
        let target = a - 10.0 * f64::EPSILON;
        let mut cum = 0.0;
        for (q, p) in self.prob.iter().enumerate() {
            cum += p;
            if cum >= target {
                return q as u64;
            }
        }
        self.max()
    }
}

/// R's continuity-corrected z of the signed-rank statistic of `x − d`
/// (zeros of `x − d` dropped, ties corrected).
fn shifted_z(x: &[f64], d: f64) -> f64 {
    let xd: Vec<f64> = x.iter().map(|v| v - d).filter(|v| *v != 0.0).collect();
    let r = Ranks::of(&xd);
    let nf = xd.len() as f64;
    let z = r.w2 as f64 / 2.0 - nf * (nf + 1.0) / 4.0;
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - r.ties / 48.0).sqrt();
    (z - 0.5 * sign(z)) / sigma
}

/// The normal-approximation interval at 1 − `alpha` and the level it
/// achieves: R's doubling of alpha until the ends lie inside the data's
/// range, then the shifts where the corrected z crosses ±z(1 − alpha/2).
fn normal_interval(x: &[f64], walsh: &[f64], mut alpha: f64) -> (f64, f64, f64) {
    let requested = 1.0 - alpha;
    let (mumin, mumax) = (walsh[0], walsh[walsh.len() - 1]);
    let (zmin, zmax) = (shifted_z(x, mumin), shifted_z(x, mumax));
    if !(zmin.is_finite() && zmax.is_finite()) {
        // Every non-zero difference is the same value c: so is every
        // Walsh average (R gives NaN here).
        return (mumin, mumax, 1.0);
    }
    let normal = std_normal();
    loop {
        let q = normal.inverse_cdf(1.0 - alpha / 2.0);
        if zmin - q < 0.0 || zmax + q > 0.0 {
            alpha *= 2.0;
        } else {
            break;
        }
    }
    let achieved = if alpha >= 1.0 || 1.0 - requested < alpha * 0.75 {
        1.0 - alpha.min(1.0)
    } else {
        requested
    };
    if alpha >= 1.0 {
        let m = median_sorted(&sorted(x));
        return (m, m, achieved);
    }
    let q = normal.inverse_cdf(1.0 - alpha / 2.0);
    (crossing(x, walsh, q), crossing(x, walsh, -q), achieved)
}

fn sorted(x: &[f64]) -> Vec<f64> {
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// The shift d where the corrected z of `x − d` (a step function that
/// falls from ≥ `zq` at the smallest Walsh average to ≤ `zq` at the
/// largest) crosses `zq`. It only changes at Walsh averages, so the search
/// is a bisection over the points w₀, (w₀+w₁)/2, w₁, … of the distinct
/// averages; the crossing is the Walsh average at the step (R's `uniroot`
/// converges to the same point, to its tolerance).
fn crossing(x: &[f64], walsh: &[f64], zq: f64) -> f64 {
    let mut w = walsh.to_vec();
    w.dedup();
    // Point k: w[k/2] for even k, the midpoint after it for odd k.
    let point = |k: usize| {
        if k % 2 == 0 {
            w[k / 2]
        } else {
            (w[k / 2] + w[k / 2 + 1]) / 2.0
        }
    };
    let f = |k: usize| shifted_z(x, point(k)) - zq;
    let (mut lo, mut hi) = (0, 2 * (w.len() - 1));
    if f(lo) == 0.0 {
        return point(lo);
    }
    if f(hi) == 0.0 {
        return point(hi);
    }
    // Invariant: f(lo) > 0 > f(hi) (or both ends as the caller found them).
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        let v = f(mid);
        if v == 0.0 {
            return point(mid);
        }
        if v > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // One of two neighbouring points is a Walsh average: the step.
    if lo % 2 == 0 { point(lo) } else { point(hi) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14 is a depression score, not π
    fn exact_without_ties_matches_r() {
        // R's ?wilcox.test example (Hollander & Wolfe, depression scores):
        // x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
        // y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
        // wilcox.test(x - y, conf.int = TRUE): V = 40, p = 0.0390625,
        // (pseudo)median 0.46, 95 % CI 0.01 0.786.
        let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - b).collect();
        let r = signed_rank(&d);
        assert!(r.exact);
        assert_eq!((r.n, r.zeros, r.w_plus), (9, 0, 40.0));
        assert!(close(r.p, 0.039_062_5, 1e-12), "p = {}", r.p);
        assert!(close(r.estimate, 0.46, 1e-12), "{}", r.estimate);
        assert!(close(r.low, 0.01, 1e-12) && close(r.high, 0.786, 1e-12));
        assert!(r.level >= 0.95 && r.excludes_zero());
        // wilcox.test(c(3.1, -0.4, 2.2, 5.9, 1.7, 0.8), conf.int = TRUE):
        // V = 20, p = 0.0625, estimate 1.95, CI -0.4 5.9.
        let r = signed_rank(&[3.1, -0.4, 2.2, 5.9, 1.7, 0.8]);
        assert_eq!(r.w_plus, 20.0);
        assert!(close(r.p, 0.0625, 1e-12));
        assert!(close(r.estimate, 1.95, 1e-12));
        assert!(close(r.low, -0.4, 1e-12) && close(r.high, 5.9, 1e-12));
        // psignrank(0, 6) = 1/64: the interval [min, max] achieves 1 − 2/64.
        assert!(close(r.level, 1.0 - 2.0 / 64.0, 1e-12));
    }

    #[test]
    fn n_twelve_with_one_wild_pair_matches_r() {
        // The suite's default n. Eleven pairs up by about 1,500, one down
        // by 4,700 and one up by 11,000: the t interval is swamped, the
        // ranks are not.
        // d <- c(1925,1939,1248,1331,1387,1608,1737,1537,1039,2028,11479,-4743)
        // wilcox.test(d, conf.int = TRUE): V = 67, p = 0.02685546875,
        // (pseudo)median 1590, 95 % CI 1185 1983.5;
        // t.test(d)$conf.int: -373.35 4125.85 (crosses 0).
        let d = [
            1925., 1939., 1248., 1331., 1387., 1608., 1737., 1537., 1039., 2028., 11479., -4743.,
        ];
        let r = signed_rank(&d);
        assert!(r.exact);
        assert_eq!((r.n, r.w_plus), (12, 67.0));
        assert!(close(r.p, 0.026_855_468_75, 1e-12), "p = {}", r.p);
        assert_eq!((r.estimate, r.low, r.high), (1590.0, 1185.0, 1983.5));
        assert!(r.excludes_zero());
        let wrapped: Vec<Option<f64>> = d.iter().copied().map(Some).collect();
        let zeros = vec![Some(0.0); 12];
        let t = crate::stats::PairedInterval::of(&zeros, &wrapped, 0.95);
        assert!(!t.excludes_zero(), "the t interval crosses zero");
        // All twelve positive: V = 78, p = 2/4096; signs flipped: V = 0.
        let twelve: Vec<f64> = (1..=12).map(f64::from).collect();
        assert!(close(signed_rank(&twelve).p, 2.0 / 4096.0, 1e-15));
        let neg: Vec<f64> = twelve.iter().map(|x| -x).collect();
        let r = signed_rank(&neg);
        assert_eq!(r.w_plus, 0.0);
        assert!(r.high < 0.0);
    }

    #[test]
    fn ties_and_zeros_use_the_corrected_normal_approximation_as_r() {
        // d <- c(1.5, -0.5, 2, 2, 0, 3.5, 1, 0, -1, 4, 2.5, 1)
        // wilcox.test(d, conf.int = TRUE) (correct = TRUE; the two zeros
        // dropped): V = 51, p = 0.0186714714981047, estimate 1.50007,
        // CI 0.250043 2.750021 (uniroot, tol 1e-4: the Walsh averages
        // 0.25 and 2.75).
        let d = [1.5, -0.5, 2.0, 2.0, 0.0, 3.5, 1.0, 0.0, -1.0, 4.0, 2.5, 1.0];
        let r = signed_rank(&d);
        assert!(!r.exact);
        assert_eq!((r.n, r.zeros, r.w_plus), (10, 2, 51.0));
        assert!(close(r.p, 0.018_671_471_498_104_7, 1e-12), "p = {}", r.p);
        assert!(close(r.estimate, 1.5, 1e-3), "{}", r.estimate);
        assert!(close(r.low, 0.25, 1e-12) && close(r.high, 2.75, 1e-12));
        assert!(close(r.low, 0.250_042_958, 1e-4) && close(r.high, 2.750_020_958, 1e-4));
        assert_eq!(r.level, 0.95);
    }

    #[test]
    fn an_unreachable_level_is_reported_as_r_does() {
        // wilcox.test(c(1, -1, 2, 0), conf.int = TRUE): V = 4.5,
        // p = 0.58621368107314, CI -0.9999014 1.9999014 at conf.level 0.6
        // ("requested conf.level not achievable"), estimate 0.752972
        // (uniroot; the median of the Walsh averages is 0.75).
        let r = signed_rank(&[1.0, -1.0, 2.0, 0.0]);
        assert_eq!((r.n, r.w_plus), (3, 4.5));
        assert!(close(r.p, 0.586_213_681_073_14, 1e-12), "p = {}", r.p);
        assert!(close(r.low, -1.0, 1e-12) && close(r.high, 2.0, 1e-12));
        assert!(close(r.level, 0.6, 1e-12), "{}", r.level);
        assert_eq!(r.estimate, 0.75);
        // Exact at n = 5: wilcox.test(1:5, conf.int = TRUE): p = 0.0625,
        // CI 1 5, which achieves only 1 − 2/32 (R still labels it 0.95).
        let r = signed_rank(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!(close(r.p, 0.0625, 1e-12));
        assert_eq!((r.low, r.high, r.estimate), (1.0, 5.0, 3.0));
        assert!(close(r.level, 1.0 - 2.0 / 32.0, 1e-12));
    }

    #[test]
    fn large_samples_use_the_normal_approximation_as_r() {
        // d <- c(seq(-10, 49), 0.5) * 1.1 (61 values, no ties, n ≥ 50):
        // wilcox.test(d, conf.int = TRUE): V = 1715,
        // p = 3.96130819791263e-09, estimate 21.45, CI 15.95 26.95.
        let d: Vec<f64> = (-10..=49)
            .map(f64::from)
            .chain([0.5])
            .map(|v| v * 1.1)
            .collect();
        let r = signed_rank(&d);
        assert!(!r.exact);
        assert_eq!((r.n, r.zeros, r.w_plus), (60, 1, 1715.0));
        assert!(close(r.p, 3.961_308_197_912_63e-9, 1e-15), "p = {}", r.p);
        assert!(close(r.estimate, 21.45, 1e-9));
        assert!(close(r.low, 15.95, 1e-9) && close(r.high, 26.95, 1e-9));
    }

    #[test]
    #[allow(clippy::approx_constant)] // 3.14 is a depression score, not π
    fn other_levels_match_r() {
        // wilcox.test(x - y, conf.int = TRUE, conf.level = 0.9) (the
        // depression scores above): CI 0.175 0.726.
        let x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30];
        let y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
        let d: Vec<f64> = x.iter().zip(&y).map(|(a, b)| a - b).collect();
        let r = signed_rank_at(&d, 0.9);
        assert!(close(r.low, 0.175, 1e-12) && close(r.high, 0.726, 1e-12));
        // With ties and zeros at 80 %: CI 0.999964 2.250045 (uniroot).
        let d = [1.5, -0.5, 2.0, 2.0, 0.0, 3.5, 1.0, 0.0, -1.0, 4.0, 2.5, 1.0];
        let r = signed_rank_at(&d, 0.8);
        assert!(close(r.low, 1.0, 1e-12) && close(r.high, 2.25, 1e-12));
        assert!(close(r.low, 0.999_964_262_9, 1e-4) && close(r.high, 2.250_044_587, 1e-4));
    }

    #[test]
    fn degenerate_samples_have_numbers() {
        // All zero: no shift, the interval [0, 0].
        let r = signed_rank(&[0.0, 0.0, 0.0]);
        assert_eq!(
            (r.n, r.zeros, r.p, r.estimate, r.low, r.high),
            (0, 3, 1.0, 0.0, 0.0, 0.0)
        );
        assert!(!r.excludes_zero());
        // Twelve identical differences of 5: R's interval is NaN; here
        // [5, 5]. p: V = 78, σ² = 12·13·25/24 − (12³ − 12)/48 = 126.75,
        // z = (39 − 0.5)/√126.75: wilcox.test(rep(5, 12))$p.value =
        // 0.000626925216328418.
        let r = signed_rank(&[5.0; 12]);
        assert_eq!((r.estimate, r.low, r.high), (5.0, 5.0, 5.0));
        assert!(close(r.p, 0.000_626_925_216_328_418, 1e-12), "p = {}", r.p);
        // Non-finite values are ignored.
        let r = signed_rank(&[f64::NAN, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(r.n, 5);
    }
}
