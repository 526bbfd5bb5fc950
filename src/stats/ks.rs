//! Two-sample Kolmogorov–Smirnov test.
//!
//! Used to ask whether two sets of replicate outcomes (e.g. stabsim's and a
//! reference implementation's, in docking) could come from one distribution.
//!
//! # Ties
//!
//! The statistic handles ties correctly (both empirical CDFs step past a
//! repeated value together), but the p-value is that of continuous data,
//! where ties have probability zero. With ties the true null distribution of
//! D is stochastically smaller, so the reported p-value is too large: the
//! test is conservative (it rejects less often than α), never anti-
//! conservative.

/// Largest n·m for which [`ks_two_sample`] computes the exact p-value; above
/// it, the asymptotic Kolmogorov distribution is used. The exact computation
/// costs O(n·m) time (a few milliseconds at this bound, e.g. 1000 vs 1000);
/// the asymptotic formula is too liberal for equal sizes near 100 vs 100
/// (p about 14 % too small at p ≈ 0.03), so exact is used wherever it is cheap.
pub const KS_EXACT_MAX_PRODUCT: usize = 1_000_000;

/// Outcome of a two-sample Kolmogorov–Smirnov test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KsResult {
    /// The statistic D = supₓ |F_a(x) − F_b(x)|, in [0, 1]; NaN if a sample
    /// held a NaN.
    pub d: f64,
    /// Two-sided p-value P(D ≥ d) under the null hypothesis that both
    /// samples come from one continuous distribution; NaN if a sample held a
    /// NaN.
    pub p_value: f64,
    /// Size of the first sample.
    pub n: usize,
    /// Size of the second sample.
    pub m: usize,
}

impl KsResult {
    /// Whether the test rejects "same distribution" at level `alpha`
    /// (p ≤ α). A NaN p-value rejects: validation code reads "not rejected"
    /// as "passed", and data with NaN must not pass.
    pub fn rejects(&self, alpha: f64) -> bool {
        self.p_value.is_nan() || self.p_value <= alpha
    }

    /// Whether the p-value is exact (n·m ≤ [`KS_EXACT_MAX_PRODUCT`]) rather
    /// than asymptotic.
    pub fn is_exact(&self) -> bool {
        uses_exact(self.n, self.m)
    }
}

/// Two-sample, two-sided Kolmogorov–Smirnov test of `a` against `b`.
///
/// * D is computed exactly on the lattice of the two samples: with i values
///   of `a` and j of `b` at or below x, |F_a − F_b| = |i·m − j·n| / (n·m), an
///   integer ratio; D is reported as h / lcm(n, m) with h an integer, which
///   is bit for bit what scipy reports in exact mode.
/// * When n·m ≤ [`KS_EXACT_MAX_PRODUCT`], the p-value is exact: the
///   probability that a uniformly random lattice path from (0, 0) to (n, m)
///   (a random interleaving of the two samples) reaches |i·m − j·n| ≥ h·g
///   somewhere. It is computed directly, not as 1 − P(inside), by the
///   recursion of Viehmann (2021, arXiv:2102.08037): all intermediate values
///   are probabilities in [0, 1], so there is no overflow and tiny p-values
///   keep full relative precision (e.g. 1.7·10⁻¹⁷ for two fully separated
///   samples of 30).
/// * Otherwise the p-value is the asymptotic Kolmogorov tail
///   Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²) ([`kolmogorov_sf`]) with Stephens'
///   (1970) correction λ = (√nₑ + 0.12 + 0.11/√nₑ)·D, nₑ = n·m/(n + m).
///   (scipy's asymptotic mode uses another approximation, so the two agree
///   only to about 1 % there.) Just past the threshold it is within 5 % of
///   the exact p-value when the sizes differ (e.g. 80 × 125), but when n
///   and m share a large factor (e.g. equal sizes) D lives on a coarse grid
///   whose atoms the continuous limit ignores, and the asymptotic p-value
///   is too small: by 5 % at p ≈ 0.45 and 14 % at p ≈ 0.03 for 100 × 100,
///   a shortfall that shrinks only as 1/√n.
///
/// With ties the p-value is conservative (see the module docs). A NaN in
/// either sample gives D = p = NaN (and [`KsResult::rejects`] true).
///
/// # Panics
///
/// If either sample is empty: there is no empirical distribution to compare.
///
/// ```
/// use stabsim::stats::ks_two_sample;
///
/// let r = ks_two_sample(&[1.0, 2.0, 3.0, 4.0, 5.0], &[6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]);
/// assert_eq!(r.d, 1.0);
/// assert!((r.p_value - 2.0 / 792.0).abs() < 1e-15); // 2 / C(12, 5)
/// assert!(r.rejects(0.05));
/// ```
pub fn ks_two_sample(a: &[f64], b: &[f64]) -> KsResult {
    assert!(
        !a.is_empty() && !b.is_empty(),
        "Kolmogorov–Smirnov test needs two non-empty samples (got {} and {} values)",
        a.len(),
        b.len()
    );
    let (n, m) = (a.len(), b.len());
    if a.iter().chain(b).any(|x| x.is_nan()) {
        return KsResult {
            d: f64::NAN,
            p_value: f64::NAN,
            n,
            m,
        };
    }
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort_unstable_by(f64::total_cmp);
    b.sort_unstable_by(f64::total_cmp);
    let lattice = Lattice::new(n, m);
    let h = lattice.statistic(&a, &b);
    KsResult {
        d: lattice.d(h),
        p_value: lattice.p_value(h),
        n,
        m,
    }
}

/// Critical value of D for samples of sizes `n` and `m` at level `alpha`:
/// the smallest value D can take with p ≤ α, from the same distribution as
/// [`ks_two_sample`] (exact or asymptotic). So for any result `r` of those
/// sizes, `r.rejects(alpha)` if and only if `r.d >= critical` (up to the
/// last-bit non-monotonicity the asymptotic series might have).
///
/// `None` when no value of D reaches p ≤ α: tiny samples cannot reject at a
/// small level (e.g. n = m = 3 at α = 0.05: the smallest p is 0.1).
///
/// # Panics
///
/// If `n` or `m` is 0.
///
/// ```
/// use stabsim::stats::ks_critical_d;
///
/// assert_eq!(ks_critical_d(10, 10, 0.05), Some(0.7));
/// assert_eq!(ks_critical_d(3, 3, 0.05), None);
/// ```
pub fn ks_critical_d(n: usize, m: usize, alpha: f64) -> Option<f64> {
    assert!(
        n > 0 && m > 0,
        "Kolmogorov–Smirnov critical value needs non-empty samples (got {n} and {m})"
    );
    if alpha.is_nan() {
        return None;
    }
    let lattice = Lattice::new(n, m);
    // p(h) = P(D ≥ h/lcm) does not increase with h: binary search the
    // smallest h with p(h) ≤ α, in 0..=lcm (D = 1 is h = lcm).
    if lattice.p_value(lattice.lcm) > alpha {
        return None;
    }
    let (mut lo, mut hi) = (0u128, lattice.lcm);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if lattice.p_value(mid) <= alpha {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    // D only takes some values of h (e.g. never 5/6 for n = 2, m = 3);
    // report the smallest one that D can actually take.
    Some(lattice.d(lattice.attainable_at_least(lo)))
}

/// Survival function of the Kolmogorov distribution,
/// Q(λ) = P(K > λ) = 2 Σ_{k≥1} (−1)^(k−1) e^(−2k²λ²): the limit of
/// P(√nₑ·D > λ). 1 for λ ≤ 0, NaN for NaN.
///
/// Above λ = 1 the alternating series converges in a handful of terms. Below,
/// it converges slowly, and Q is computed as 1 − P(K ≤ λ) with Jacobi's
/// form P(K ≤ λ) = √(2π)/λ · Σ_{k≥1} e^(−(2k−1)²π²/(8λ²)), which converges
/// fast there (Q ≥ 0.27, so the subtraction loses nothing).
pub fn kolmogorov_sf(lambda: f64) -> f64 {
    if lambda.is_nan() {
        return f64::NAN;
    }
    if lambda <= 0.0 {
        return 1.0;
    }
    let mut sum = 0.0;
    if lambda < 1.0 {
        let c = -std::f64::consts::PI * std::f64::consts::PI / (8.0 * lambda * lambda);
        for k in 1..=100u32 {
            let odd = f64::from(2 * k - 1);
            let term = (odd * odd * c).exp();
            sum += term;
            if term <= f64::EPSILON * sum {
                break;
            }
        }
        (1.0 - (2.0 * std::f64::consts::PI).sqrt() / lambda * sum).clamp(0.0, 1.0)
    } else {
        let mut sign = 1.0;
        for k in 1..=100u32 {
            let kf = f64::from(k);
            let term = (-2.0 * kf * kf * lambda * lambda).exp();
            sum += sign * term;
            if term <= f64::EPSILON * sum.abs() {
                break;
            }
            sign = -sign;
        }
        (2.0 * sum).clamp(0.0, 1.0)
    }
}

fn uses_exact(n: usize, m: usize) -> bool {
    // In u128: n·m may not fit a usize.
    n as u128 * m as u128 <= KS_EXACT_MAX_PRODUCT as u128
}

/// Greatest common divisor (0 with 0 gives 0).
pub(super) fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The lattice of a pair of sample sizes. A point (i, j) is "i values of
/// the first sample and j of the second at or below some x"; there
/// F_a − F_b = (i·m − j·n)/(n·m). That difference is a multiple of
/// g = gcd(n, m), so distances are counted in integer steps of 1/lcm(n, m)
/// (`h` below): D = h / lcm. Integers make the statistic and the
/// "reaches D" test exact.
struct Lattice {
    n: u128,
    m: u128,
    g: u128,
    lcm: u128,
}

impl Lattice {
    fn new(n: usize, m: usize) -> Self {
        let (n, m) = (n as u128, m as u128);
        let g = gcd(n, m);
        Self {
            n,
            m,
            g,
            lcm: n / g * m,
        }
    }

    /// |F_a − F_b| at (i, j), in steps of 1/lcm.
    fn gap(&self, i: u128, j: u128) -> u128 {
        let (x, y) = (i * self.m, j * self.n);
        x.abs_diff(y) / self.g
    }

    fn d(&self, h: u128) -> f64 {
        h as f64 / self.lcm as f64
    }

    /// The statistic, in steps of 1/lcm, of two sorted NaN-free samples.
    /// Equal values are consumed together, from both samples, before the
    /// gap is measured: measuring between two tied values would see a step
    /// of one ECDF without the other's and overstate D.
    fn statistic(&self, a: &[f64], b: &[f64]) -> u128 {
        let (mut i, mut j) = (0, 0);
        let mut best = 0;
        while i < a.len() && j < b.len() {
            let x = if a[i] <= b[j] { a[i] } else { b[j] };
            while i < a.len() && a[i] <= x {
                i += 1;
            }
            while j < b.len() && b[j] <= x {
                j += 1;
            }
            best = best.max(self.gap(i as u128, j as u128));
        }
        // Once one sample is used up, the rest of the path heads straight
        // to (n, m), where the gap is 0: it only shrinks.
        best
    }

    /// P(D ≥ h/lcm) under the null, exact or asymptotic by size.
    fn p_value(&self, h: u128) -> f64 {
        if h == 0 {
            return 1.0;
        }
        if uses_exact(self.n as usize, self.m as usize) {
            self.p_exact(h)
        } else {
            self.p_asymptotic(h)
        }
    }

    /// Exact P(D ≥ h/lcm): the share of the C(n+m, n) equally likely paths
    /// that reach a point with gap ≥ h.
    ///
    /// u(i, j) is the probability that a uniformly random path from (0, 0)
    /// to (i, j) has reached the boundary. Such a path arrives from
    /// (i − 1, j) with probability i/(i + j) (the share of paths through
    /// it) and from (i, j − 1) with probability j/(i + j), hence
    /// u(i, j) = (i·u(i − 1, j) + j·u(i, j − 1)) / (i + j), and u = 1 on and
    /// beyond the boundary. Every value is a weighted mean of values in
    /// [0, 1]: no overflow, and no cancellation for small p.
    fn p_exact(&self, h: u128) -> f64 {
        let (n, m) = (self.n as usize, self.m as usize);
        // gap ≥ h, without the division in `gap` (this runs n·m times).
        let boundary = h * self.g;
        // Row i − 1 of u, overwritten in place by row i.
        let mut u = vec![0.0f64; m + 1];
        for i in 0..=n {
            for j in 0..=m {
                let (x, y) = (i as u128 * self.m, j as u128 * self.n);
                u[j] = if x.abs_diff(y) >= boundary {
                    1.0
                } else if i + j == 0 {
                    0.0
                } else {
                    let from_below = if i > 0 { u[j] } else { 0.0 };
                    let from_left = if j > 0 { u[j - 1] } else { 0.0 };
                    (i as f64 * from_below + j as f64 * from_left) / (i + j) as f64
                };
            }
        }
        u[m].clamp(0.0, 1.0)
    }

    /// Asymptotic P(D ≥ h/lcm), Stephens-corrected.
    fn p_asymptotic(&self, h: u128) -> f64 {
        let ne = self.n as f64 * self.m as f64 / (self.n + self.m) as f64;
        let s = ne.sqrt();
        kolmogorov_sf((s + 0.12 + 0.11 / s) * self.d(h))
    }

    /// The smallest gap ≥ h that some lattice point has (every such gap is
    /// the D of some pair of samples). h itself when h ≤ lcm has one.
    fn attainable_at_least(&self, h: u128) -> u128 {
        // For a fixed i, (i·m − j·n)/g runs over j in steps of n/g: the
        // smallest gap ≥ h on each side comes from one j, found by division.
        let (mg, ng) = (self.m / self.g, self.n / self.g);
        let mut best = self.lcm;
        for i in 0..=self.n {
            let x = i * mg;
            // x − j·ng ≥ h with j as large as possible.
            if x >= h {
                let j = (x - h) / ng;
                best = best.min(x - j * ng);
            }
            // j·ng − x ≥ h with j as small as possible, j ≤ m.
            let j = (x + h).div_ceil(ng);
            if j <= self.m {
                best = best.min(j * ng - x);
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The 64-bit LCG the reference script used to make the samples:
    /// s ← s·6364136223846793005 + 1442695040888963407 (mod 2⁶⁴),
    /// value = ((s >> 33) mod `modulus`) / `div` + `offset`.
    fn lcg(seed: u64, len: usize, modulus: u64, div: f64, offset: f64) -> Vec<f64> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((s >> 33) % modulus) as f64 / div + offset
            })
            .collect()
    }

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want.abs()
    }

    /// Reference values: scipy 1.17.1 (numpy 2.4.6),
    /// `scipy.stats.ks_2samp(a, b, method='exact')`, statistic and pvalue
    /// printed with `repr`. The samples are regenerated here with `lcg`.
    #[test]
    fn matches_scipy_exact() {
        // (name, a, b, D, p)
        type Case = (&'static str, Vec<f64>, Vec<f64>, f64, f64);
        let cases: Vec<Case> = vec![
            (
                "five_seven",
                vec![0.61, 0.29, 0.06, 0.59, -1.73],
                vec![-0.23, 0.49, 0.30, 1.20, 0.22, 1.06, 0.71],
                0.42857142857142855,
                0.5454545454545454,
            ),
            (
                "separated 5 vs 7",
                vec![1.0, 2.0, 3.0, 4.0, 5.0],
                vec![6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0],
                1.0,
                0.0025252525252525255,
            ),
            (
                "ties 30 vs 30",
                lcg(1, 30, 10, 1.0, 0.0),
                lcg(2, 30, 10, 1.0, 0.0),
                0.2,
                0.5940706297759378,
            ),
            (
                "shift 30 vs 45",
                lcg(3, 30, 1000, 100.0, 0.0),
                lcg(4, 45, 1000, 100.0, 1.5),
                0.3333333333333333,
                0.030566856379850134,
            ),
            (
                "identical 20",
                lcg(5, 20, 1000, 10.0, 0.0),
                lcg(5, 20, 1000, 10.0, 0.0),
                0.0,
                1.0,
            ),
            (
                "separated 30 vs 30",
                (0..30).map(f64::from).collect(),
                (100..130).map(f64::from).collect(),
                1.0,
                1.6911233892144742e-17,
            ),
            (
                "100 vs 100 (largest exact)",
                lcg(6, 100, 1000, 10.0, 0.0),
                lcg(8, 100, 1000, 10.0, 5.0),
                0.16,
                0.1548386665118475,
            ),
            (
                "heavy ties 8 vs 12",
                lcg(9, 8, 4, 1.0, 0.0),
                lcg(10, 12, 4, 1.0, 0.0),
                0.16666666666666666,
                0.9979677701039928,
            ),
            (
                "40 vs 25",
                lcg(11, 40, 100_000, 1000.0, 0.0),
                lcg(12, 25, 100_000, 1000.0, 8.0),
                0.22,
                0.3881610312645308,
            ),
            (
                "3 vs 1",
                lcg(13, 3, 5, 1.0, 0.0),
                lcg(14, 1, 5, 1.0, 0.0),
                1.0,
                0.5,
            ),
            (
                "1 vs 1",
                lcg(15, 1, 5, 1.0, 0.0),
                lcg(16, 1, 5, 1.0, 0.0),
                1.0,
                1.0,
            ),
        ];
        for (name, a, b, d, p) in cases {
            let r = ks_two_sample(&a, &b);
            assert!(r.is_exact(), "{name}");
            assert_eq!(r.d, d, "{name}: D");
            assert!(close(r.p_value, p, 1e-12), "{name}: p {} != {p}", r.p_value);
            assert_eq!((r.n, r.m), (a.len(), b.len()));
        }
    }

    /// Asymptotic regime: the p-value is Stephens' formula evaluated with
    /// `scipy.special.kolmogorov` (scipy 1.17.1) at scipy's D.
    #[test]
    fn matches_stephens_formula_asymptotically() {
        let cases = [
            (
                lcg(21, 200, 100_000, 1000.0, 0.0),
                lcg(22, 150, 100_000, 1000.0, 12.0),
                0.165,
                0.01644212836798435,
            ),
            (
                lcg(23, 500, 1000, 10.0, 0.0),
                lcg(24, 400, 1000, 10.0, 0.0),
                0.0805,
                0.10682675236374664,
            ),
        ];
        for (a, b, d, p) in cases {
            // These sizes are now within the exact range, so the asymptotic
            // formula is checked directly on the lattice.
            let r = ks_two_sample(&a, &b);
            assert!(r.is_exact());
            // scipy's D comes from a float ECDF difference (0.16500000000000004).
            assert!(close(r.d, d, 1e-14), "D {} != {d}", r.d);
            let lattice = Lattice::new(a.len(), b.len());
            let h = (r.d * lattice.lcm as f64).round() as u128;
            let asymptotic = lattice.p_asymptotic(h);
            assert!(close(asymptotic, p, 1e-9), "p {asymptotic} != {p}");
        }
        // Beyond the exact range the asymptotic value is what is reported.
        let big = ks_two_sample(
            &lcg(25, 2000, 1000, 10.0, 0.0),
            &lcg(26, 1000, 1000, 10.0, 0.0),
        );
        assert!(!big.is_exact());
        assert!((0.0..=1.0).contains(&big.p_value));
    }

    /// `scipy.special.kolmogorov` (scipy 1.17.1).
    #[test]
    fn kolmogorov_sf_matches_scipy() {
        let cases = [
            (0.2, 0.999999999999495),
            (0.5, 0.9639452436648751),
            (0.8, 0.5441424115741981),
            (1.0, 0.26999967167735456),
            (1.2, 0.11224966667072497),
            (1.358, 0.05002679733444698),
            (2.0, 0.0006709252557796953),
            (3.0, 3.045995948942526e-08),
            (5.0, 3.8574996959278356e-22),
        ];
        for (lambda, q) in cases {
            assert!(close(kolmogorov_sf(lambda), q, 1e-13), "λ={lambda}");
        }
        assert_eq!(kolmogorov_sf(0.0), 1.0);
        assert_eq!(kolmogorov_sf(-1.0), 1.0);
        assert!(kolmogorov_sf(f64::NAN).is_nan());
        // The two series meet at λ = 1 without a visible step.
        let below = kolmogorov_sf(1.0 - 1e-12);
        let at = kolmogorov_sf(1.0);
        assert!(below >= at && below - at < 1e-11);
    }

    /// Brute force: enumerate every interleaving of n and m values, take
    /// each one's D, and compare the exact tail with `p_exact`.
    #[test]
    fn exact_distribution_matches_enumeration() {
        for (n, m) in [(1, 1), (2, 3), (4, 4), (3, 7), (5, 6), (6, 4)] {
            let lattice = Lattice::new(n, m);
            let mut counts = vec![0u64; lattice.lcm as usize + 1];
            let mut total = 0u64;
            for mask in 0u32..(1 << (n + m)) {
                if mask.count_ones() as usize != n {
                    continue;
                }
                total += 1;
                let (mut i, mut j, mut best) = (0u128, 0u128, 0u128);
                for bit in 0..n + m {
                    if mask >> bit & 1 == 1 {
                        i += 1;
                    } else {
                        j += 1;
                    }
                    best = best.max(lattice.gap(i, j));
                }
                counts[best as usize] += 1;
            }
            for h in 0..=lattice.lcm {
                let tail: u64 = counts[h as usize..].iter().sum();
                let want = tail as f64 / total as f64;
                let got = lattice.p_value(h);
                assert!(
                    close(got, want, 1e-13),
                    "n={n} m={m} h={h}: {got} != {want}"
                );
            }
        }
    }

    /// How good the asymptotic p-value is just past the exact regime,
    /// against the exact one at the same sizes (`p_exact` works for any
    /// size; the threshold only bounds its cost).
    #[test]
    fn asymptotic_close_to_exact_past_the_threshold() {
        // Unequal sizes, a fine lattice (steps of 1/2000): within 5 %.
        let fine = Lattice::new(80, 125);
        for d in [0.12, 0.15, 0.18, 0.2, 0.22, 0.25] {
            let h = (d * fine.lcm as f64).round() as u128;
            let (e, a) = (fine.p_exact(h), fine.p_asymptotic(h));
            assert!(
                (a - e).abs() <= 0.05 * e,
                "80×125 d={d}: exact {e} asymptotic {a}"
            );
        }
        // Equal sizes, a coarse lattice (steps of 1/100): D has atoms that
        // the continuous limit spreads out, so the asymptotic tail is too
        // small, by 5 % at p ≈ 0.45 to 19 % at p ≈ 0.004 (scipy's
        // asymptotic mode shares this). The documented caveat, pinned down.
        let coarse = Lattice::new(100, 100);
        for (d, lo, hi) in [(0.12, 0.05, 0.06), (0.2, 0.13, 0.145), (0.25, 0.18, 0.195)] {
            let h = (d * coarse.lcm as f64).round() as u128;
            let (e, a) = (coarse.p_exact(h), coarse.p_asymptotic(h));
            let short = (e - a) / e;
            assert!(
                lo <= short && short <= hi,
                "100×100 d={d}: exact {e} asymptotic {a}"
            );
        }
    }

    #[test]
    fn identical_samples() {
        let a = [3.0, 1.0, 2.0, 2.0, 5.0];
        let r = ks_two_sample(&a, &a);
        assert_eq!((r.d, r.p_value), (0.0, 1.0));
        assert!(!r.rejects(0.05));
    }

    #[test]
    fn ties_across_samples_are_stepped_together() {
        // Stepping one ECDF at a time through the tie at 1 would see
        // |2/2 − 0/2| = 1 on the way; the true D is 0.
        let r = ks_two_sample(&[1.0, 1.0], &[1.0, 1.0]);
        assert_eq!(r.d, 0.0);
        let r = ks_two_sample(&[0.0, 1.0], &[1.0, 1.0]);
        assert_eq!(r.d, 0.5);
        // -0.0 and 0.0 are one value.
        assert_eq!(ks_two_sample(&[-0.0], &[0.0]).d, 0.0);
    }

    #[test]
    fn nan_gives_nan_and_rejects() {
        let r = ks_two_sample(&[1.0, f64::NAN], &[1.0, 2.0]);
        assert!(r.d.is_nan() && r.p_value.is_nan());
        assert!(r.rejects(0.05));
    }

    #[test]
    #[should_panic(expected = "non-empty")]
    fn empty_sample_panics() {
        ks_two_sample(&[], &[1.0]);
    }

    /// Critical values from scipy 1.17.1's exact distribution
    /// (smallest h with `_compute_outer_prob_inside_method` ≤ α, or
    /// `_compute_prob_outside_square` for n = m).
    #[test]
    fn critical_values_exact() {
        let cases = [
            // p(0.6) = 0.0524, p(0.7) = 0.0123.
            (10, 10, 0.05, Some(0.7)),
            (3, 3, 0.05, None),
            (30, 45, 0.05, Some(29.0 / 90.0)),
            (1, 1, 1.0, Some(0.0)),
            // scipy's smallest h is 31/35, which no path reaches: P(D ≥ 31/35)
            // = P(D = 1); reported as the attainable 1.
            (5, 7, 0.01, Some(1.0)),
        ];
        for (n, m, alpha, want) in cases {
            assert_eq!(ks_critical_d(n, m, alpha), want, "n={n} m={m} α={alpha}");
        }
    }

    #[test]
    fn critical_value_is_attainable() {
        // For n = 2, m = 3, D is never 5/6: P(D ≥ 5/6) = P(D = 1) = 0.2,
        // and P(D ≥ 2/3) = 0.6.
        assert_eq!(ks_critical_d(2, 3, 0.2), Some(1.0));
        assert_eq!(ks_critical_d(2, 3, 0.5), Some(1.0));
        assert_eq!(ks_critical_d(2, 3, 0.6), Some(2.0 / 3.0));
    }

    #[test]
    fn critical_values_asymptotic() {
        // Large samples: Stephens' formula inverted, c(α)/(√nₑ + 0.12 +
        // 0.11/√nₑ) with c(0.05) = 1.35810 (Q(1.35810) = 0.05).
        let (n, m) = (1000, 2000);
        let crit = ks_critical_d(n, m, 0.05).unwrap();
        let ne = (n * m) as f64 / (n + m) as f64;
        let s = ne.sqrt();
        let want = 1.358_098_1 / (s + 0.12 + 0.11 / s);
        // D moves in steps of 1/lcm = 1/2000.
        assert!((crit - want).abs() <= 1.0 / 2000.0, "{crit} vs {want}");
    }

    proptest! {
        #[test]
        fn d_and_p_in_range_and_symmetric(
            a in prop::collection::vec(prop_oneof![-10.0f64..10.0, (0i32..4).prop_map(f64::from)], 1..60),
            b in prop::collection::vec(prop_oneof![-10.0f64..10.0, (0i32..4).prop_map(f64::from)], 1..60),
        ) {
            let r = ks_two_sample(&a, &b);
            let s = ks_two_sample(&b, &a);
            prop_assert!((0.0..=1.0).contains(&r.d));
            prop_assert!((0.0..=1.0).contains(&r.p_value));
            prop_assert_eq!(r.d.to_bits(), s.d.to_bits());
            prop_assert!((r.p_value - s.p_value).abs() <= 1e-12 * r.p_value.max(1e-300));
            // Order of the input does not matter.
            let mut rev = a.clone();
            rev.reverse();
            prop_assert_eq!(ks_two_sample(&rev, &b), r);
        }

        #[test]
        fn critical_value_agrees_with_rejects(
            a in prop::collection::vec(-5.0f64..5.0, 1..25),
            b in prop::collection::vec(-4.0f64..6.0, 1..25),
            alpha in prop_oneof![Just(0.01), Just(0.05), Just(0.1), 0.0f64..1.0],
        ) {
            let r = ks_two_sample(&a, &b);
            match ks_critical_d(a.len(), b.len(), alpha) {
                Some(crit) => prop_assert_eq!(r.rejects(alpha), r.d >= crit),
                None => prop_assert!(!r.rejects(alpha)),
            }
        }

        #[test]
        fn p_does_not_increase_with_d(n in 1usize..40, m in 1usize..40) {
            let lattice = Lattice::new(n, m);
            let mut prev = 1.0;
            for h in 0..=lattice.lcm {
                let p = lattice.p_value(h);
                prop_assert!(p <= prev);
                prev = p;
            }
        }
    }
}
