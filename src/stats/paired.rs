//! Paired differences with Student t confidence intervals.
//!
//! With common random numbers, replicate i of two scenarios shares its seed,
//! so the difference `variant_i − baseline_i` removes most of the
//! replicate-to-replicate noise. The interval is the classic paired t
//! interval: mean difference ± t(1 − α/2, n − 1) · sd / √n.

/// Mean of paired differences `b − a` with a two-sided confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedInterval {
    /// Pairs used.
    pub n: usize,
    /// Mean of `b − a`.
    pub estimate: f64,
    /// Lower bound of the interval (NaN with fewer than two pairs).
    pub low: f64,
    /// Upper bound of the interval (NaN with fewer than two pairs).
    pub high: f64,
}

/// The differences `b[i] − a[i]` of the complete pairs (both values
/// present and finite), in order.
pub fn paired_differences(a: &[Option<f64>], b: &[Option<f64>]) -> Vec<f64> {
    a.iter()
        .zip(b)
        .filter_map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some(y - x),
            _ => None,
        })
        .collect()
}

impl PairedInterval {
    /// The paired t interval of `b − a` at `level` (e.g. 0.95). Pairs where
    /// either value is missing or not finite are skipped.
    ///
    /// # Panics
    ///
    /// If `a` and `b` differ in length or `level` is not in (0, 1).
    pub fn of(a: &[Option<f64>], b: &[Option<f64>], level: f64) -> Self {
        assert_eq!(a.len(), b.len(), "paired samples must have equal lengths");
        assert!(
            level > 0.0 && level < 1.0,
            "confidence level must be in (0, 1)"
        );
        let d = paired_differences(a, b);
        let n = d.len();
        if n == 0 {
            return Self {
                n,
                estimate: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        let mean = d.iter().sum::<f64>() / n as f64;
        if n == 1 {
            return Self {
                n,
                estimate: mean,
                low: f64::NAN,
                high: f64::NAN,
            };
        }
        let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let half = t_critical(n as u64 - 1, level) * (var / n as f64).sqrt();
        Self {
            n,
            estimate: mean,
            low: mean - half,
            high: mean + half,
        }
    }

    /// Whether the interval excludes zero (false when undefined).
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// The mean of `x` and its two-sided t interval at `level` (NaN bounds for
/// fewer than two values).
pub fn mean_interval(x: &[f64], level: f64) -> (f64, f64, f64) {
    let n = x.len();
    let m = x.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (m, f64::NAN, f64::NAN);
    }
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let h = t_critical(n as u64 - 1, level) * sd / (n as f64).sqrt();
    (m, m - h, m + h)
}

/// The sample standard deviation of `x` and its two-sided interval at
/// `level` for normal data: √((n−1)s² / χ²) at the upper and lower
/// quantiles of χ² with n − 1 degrees of freedom (R:
/// `sqrt((n-1)*s^2/qchisq(c(0.975,0.025), n-1))`). NaN bounds for fewer
/// than two values.
pub fn sd_interval(x: &[f64], level: f64) -> (f64, f64, f64) {
    use statrs::distribution::{ChiSquared, ContinuousCDF};
    let n = x.len();
    if n < 2 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let m = x.iter().sum::<f64>() / n as f64;
    let ss = x.iter().map(|v| (v - m).powi(2)).sum::<f64>();
    let sd = (ss / (n - 1) as f64).sqrt();
    let chi = ChiSquared::new((n - 1) as f64).expect("n - 1 >= 1 degrees of freedom");
    let tail = (1.0 - level) / 2.0;
    let low = (ss / chi.inverse_cdf(1.0 - tail)).sqrt();
    let high = (ss / chi.inverse_cdf(tail)).sqrt();
    (sd, low, high)
}

/// The two-sided critical value of Student's t with `df` degrees of
/// freedom: the t with P(|T| ≤ t) = `level`. Found by bisection on the
/// exact CDF, to about 1e-12.
///
/// # Panics
///
/// If `df` is 0 or `level` is not in (0, 1).
pub fn t_critical(df: u64, level: f64) -> f64 {
    assert!(df >= 1, "Student t needs at least one degree of freedom");
    assert!(
        level > 0.0 && level < 1.0,
        "confidence level must be in (0, 1)"
    );
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    while t_central_probability(hi, df) < level {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if t_central_probability(mid, df) < level {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// P(|T| ≤ t) for Student's t with integer `df` degrees of freedom, by the
/// finite series of Abramowitz & Stegun 26.7.3–4 (exact for integer df,
/// only `atan`, `sqrt` and arithmetic). Beyond 10,000 degrees of freedom the
/// normal limit is used (difference below 1e-8 at the levels used here).
pub fn t_central_probability(t: f64, df: u64) -> f64 {
    let t = t.abs();
    if df > 10_000 {
        return erf(t / std::f64::consts::SQRT_2);
    }
    let nu = df as f64;
    let theta = (t / nu.sqrt()).atan();
    let (s, c2) = (theta.sin(), theta.cos().powi(2));
    if df % 2 == 1 {
        // Odd: (2/π)·(θ + sin θ·cos θ·Σ), Σ = 1 + (2/3)cos²θ + (2·4)/(3·5)cos⁴θ + …
        let mut sum = 0.0;
        if df > 1 {
            let (mut term, mut series) = (1.0, 1.0);
            for k in 1..=(df - 3) / 2 {
                term *= (2 * k) as f64 / (2 * k + 1) as f64 * c2;
                series += term;
            }
            sum = s * theta.cos() * series;
        }
        (2.0 / std::f64::consts::PI) * (theta + sum)
    } else {
        // Even: sin θ·(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + …), ν/2 terms.
        let mut term = 1.0;
        let mut sum = 1.0;
        for k in 1..df / 2 {
            term *= (2 * k - 1) as f64 / (2 * k) as f64 * c2;
            sum += term;
        }
        s * sum
    }
}

/// The error function, Abramowitz & Stegun 7.1.26 refined by a series for
/// small arguments; used only for the normal limit of t (df > 10,000).
fn erf(x: f64) -> f64 {
    if x < 3.0 {
        // Taylor series: converges quickly for |x| < 3.
        let mut sum = x;
        let mut term = x;
        let x2 = x * x;
        for n in 1..200 {
            term *= -x2 / n as f64;
            let add = term / (2 * n + 1) as f64;
            sum += add;
            if add.abs() < 1e-17 * sum.abs() {
                break;
            }
        }
        2.0 / std::f64::consts::PI.sqrt() * sum
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sd_interval_matches_r() {
        // R 4.x: x <- 1:10; sd(x) = 3.02765;
        // sqrt(9 * var(x) / qchisq(c(0.975, 0.025), 9)) = 2.082525, 5.527309.
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        let (sd, lo, hi) = sd_interval(&x, 0.95);
        assert!((sd - 3.027_650).abs() < 1e-5, "{sd}");
        assert!((lo - 2.082_525).abs() < 1e-4, "{lo}");
        assert!((hi - 5.527_309).abs() < 1e-4, "{hi}");
        assert!(sd_interval(&[1.0], 0.95).1.is_nan());
    }

    #[test]
    fn mean_interval_matches_r_t_test() {
        // R: t.test(c(1, 2, 3, 4, 5))$conf.int = 1.036757 4.963243
        let (m, lo, hi) = mean_interval(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95);
        assert_eq!(m, 3.0);
        assert!((lo - 1.036757).abs() < 1e-6 && (hi - 4.963243).abs() < 1e-6);
        let (m, lo, _) = mean_interval(&[2.0], 0.95);
        assert!(m == 2.0 && lo.is_nan());
    }

    /// Two-sided 95 % critical values from standard tables.
    #[test]
    fn critical_values_match_tables() {
        for (df, t) in [
            (1, 12.7062),
            (2, 4.3027),
            (3, 3.1824),
            (5, 2.5706),
            (10, 2.2281),
            (11, 2.2010),
            (19, 2.0930),
            (30, 2.0423),
            (100, 1.9840),
            (1000, 1.9623),
            (20_000, 1.9600),
        ] {
            let got = t_critical(df, 0.95);
            assert!((got - t).abs() < 1e-3, "df {df}: {got} vs {t}");
        }
        assert!((t_critical(9, 0.99) - 3.2498).abs() < 1e-3);
    }

    #[test]
    fn central_probability_is_monotone_and_bounded() {
        for df in [1, 2, 7, 40] {
            let mut last = 0.0;
            for i in 0..100 {
                let p = t_central_probability(i as f64 * 0.1, df);
                assert!((0.0..=1.0 + 1e-12).contains(&p));
                assert!(p >= last);
                last = p;
            }
        }
        assert_eq!(t_central_probability(0.0, 5), 0.0);
    }

    #[test]
    fn paired_interval_of_a_known_sample() {
        let a: Vec<Option<f64>> = [10.0, 12.0, 9.0, 11.0].into_iter().map(Some).collect();
        let b: Vec<Option<f64>> = [12.0, 15.0, 10.0, 14.0].into_iter().map(Some).collect();
        // Differences 2, 3, 1, 3: mean 2.25, sd 0.9574, t(3) = 3.1824.
        let p = PairedInterval::of(&a, &b, 0.95);
        assert_eq!(p.n, 4);
        assert!((p.estimate - 2.25).abs() < 1e-12);
        let half = 3.182_446 * 0.957_427_1 / 2.0;
        assert!((p.low - (2.25 - half)).abs() < 1e-4);
        assert!((p.high - (2.25 + half)).abs() < 1e-4);
        assert!(p.excludes_zero());
    }

    #[test]
    fn missing_pairs_are_skipped_and_degenerate_cases_are_nan() {
        let a = [Some(1.0), None, Some(3.0)];
        let b = [Some(2.0), Some(5.0), None];
        let p = PairedInterval::of(&a, &b, 0.95);
        assert_eq!(p.n, 1);
        assert_eq!(p.estimate, 1.0);
        assert!(p.low.is_nan() && !p.excludes_zero());
        let none = PairedInterval::of(&[None], &[None], 0.95);
        assert!(none.estimate.is_nan());
        // Identical samples: zero width, zero estimate, not significant.
        let s = [Some(1.0), Some(2.0)];
        let same = PairedInterval::of(&s, &s, 0.95);
        assert_eq!((same.estimate, same.low, same.high), (0.0, 0.0, 0.0));
        assert!(!same.excludes_zero());
    }
}
