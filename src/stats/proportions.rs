//! Paired yes/no outcomes: replicate i of two mandates shares its random
//! numbers (common random numbers), so "did the ceasefire hold?" is a pair
//! of answers per replicate, and only the discordant pairs carry evidence
//! of a difference. A t interval on 0/1 differences can leave [−1, 1] and
//! calls identical pairs "significant" with a zero-width interval; these
//! methods cannot.
//!
//! * the difference of the two proportions with Newcombe's (1998) hybrid
//!   score interval for paired data (his method 10), which stays inside
//!   [−1, 1] and behaves well at small n and at 0 or 1;
//! * McNemar's exact test: under no difference the discordant pairs split
//!   as a fair coin, so the two-sided p-value is a binomial tail.

use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};

/// Counts of a paired binary outcome over n pairs: (yes, yes), (yes, no),
/// (no, yes) and (no, no), first member first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairedCounts {
    /// Both yes.
    pub both: u64,
    /// Yes in the first, no in the second.
    pub first_only: u64,
    /// No in the first, yes in the second.
    pub second_only: u64,
    /// Both no.
    pub neither: u64,
}

impl PairedCounts {
    /// Counts the pairs (`first[i]`, `second[i]`); pairs with a missing
    /// member are skipped.
    pub fn of(first: &[Option<bool>], second: &[Option<bool>]) -> Self {
        let mut c = Self::default();
        for (a, b) in first.iter().zip(second) {
            match (a, b) {
                (Some(true), Some(true)) => c.both += 1,
                (Some(true), Some(false)) => c.first_only += 1,
                (Some(false), Some(true)) => c.second_only += 1,
                (Some(false), Some(false)) => c.neither += 1,
                _ => {}
            }
        }
        c
    }

    /// Number of complete pairs.
    pub fn n(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    /// Pairs that disagree.
    pub fn discordant(&self) -> u64 {
        self.first_only + self.second_only
    }
}

/// The difference of two paired proportions, p₁ − p₂, with its interval
/// and McNemar's exact test.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedProportions {
    /// The counts it was computed from.
    pub counts: PairedCounts,
    /// Proportion of yes in the first member, p₁.
    pub first: f64,
    /// Proportion of yes in the second member, p₂.
    pub second: f64,
    /// p₁ − p₂.
    pub difference: f64,
    /// Lower bound of the interval (Newcombe's method 10), ≥ −1.
    pub low: f64,
    /// Upper bound, ≤ 1.
    pub high: f64,
    /// Two-sided exact McNemar p-value; 1 when no pair disagrees.
    pub p_value: f64,
}

impl PairedProportions {
    /// The estimate at confidence `level` (e.g. 0.95). NaN everywhere
    /// when there is no complete pair.
    pub fn of(counts: PairedCounts, level: f64) -> Self {
        let n = counts.n() as f64;
        if counts.n() == 0 {
            return Self {
                counts,
                first: f64::NAN,
                second: f64::NAN,
                difference: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
                p_value: f64::NAN,
            };
        }
        let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
        let (a, b, c, d) = (
            counts.both as f64,
            counts.first_only as f64,
            counts.second_only as f64,
            counts.neither as f64,
        );
        let (p1, p2) = ((a + b) / n, (a + c) / n);
        let (l1, u1) = wilson(a + b, n, z);
        let (l2, u2) = wilson(a + c, n, z);
        // Correlation of the two members: zero when a margin is empty.
        let margins = (a + b) * (c + d) * (a + c) * (b + d);
        let phi = if margins > 0.0 {
            (a * d - b * c) / margins.sqrt()
        } else {
            0.0
        };
        let difference = p1 - p2;
        let below = ((p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2).powi(2))
            .max(0.0)
            .sqrt();
        let above = ((u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2).powi(2))
            .max(0.0)
            .sqrt();
        Self {
            counts,
            first: p1,
            second: p2,
            difference,
            low: (difference - below).max(-1.0),
            high: (difference + above).min(1.0),
            p_value: mcnemar_exact(counts.first_only, counts.second_only),
        }
    }

    /// Whether the interval excludes zero.
    pub fn excludes_zero(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Wilson's score interval for x successes in n trials (no continuity
/// correction), with normal quantile z.
pub fn wilson(x: f64, n: f64, z: f64) -> (f64, f64) {
    let p = x / n;
    let z2 = z * z;
    let centre = 2.0 * x + z2;
    let spread = z * (z2 + 4.0 * x * (1.0 - p)).sqrt();
    let denominator = 2.0 * (n + z2);
    (
        ((centre - spread) / denominator).max(0.0),
        ((centre + spread) / denominator).min(1.0),
    )
}

/// Two-sided exact McNemar p-value for `b` and `c` discordant pairs: the
/// doubled binomial tail P(X ≤ min(b, c)), X ~ Bin(b + c, ½), capped at 1
/// (R: `binom.test(b, b + c)$p.value`). 1 when b + c = 0.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let tail = Binomial::new(0.5, n)
        .expect("p = 0.5 is a valid probability")
        .cdf(b.min(c));
    (2.0 * tail).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(both: u64, first_only: u64, second_only: u64, neither: u64) -> PairedCounts {
        PairedCounts {
            both,
            first_only,
            second_only,
            neither,
        }
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    /// Newcombe (1998), Statistics in Medicine 17:873–890, Table II,
    /// example (a): 36, 12, 2, 0 gives θ = 0.2 with method 10's interval
    /// 0.0569 to 0.3404. The further digits and the other rows come from
    /// the same formulas evaluated in R 4.2.2 (Wilson intervals from
    /// `qnorm(0.975)`), an independent implementation.
    #[test]
    fn newcombe_interval_matches_published_and_r_values() {
        let r = PairedProportions::of(counts(36, 12, 2, 0), 0.95);
        close(r.difference, 0.2);
        close(r.low, 0.0569295840032388);
        close(r.high, 0.3404276029749406);
        let r = PairedProportions::of(counts(5, 5, 0, 0), 0.95);
        close(r.difference, 0.5);
        close(r.low, 0.117367467450222);
        close(r.high, 0.763406909487436);
        let r = PairedProportions::of(counts(3, 9, 1, 7), 0.95);
        close(r.low, 0.120544897596391);
        close(r.high, 0.601128514959917);
    }

    /// The cases a t interval gets wrong: every pair disagrees the same
    /// way (t: −1.05 to −0.85 at n = 20), and every pair agrees (t: a
    /// zero-width interval, "significant").
    #[test]
    fn bounds_stay_in_range_and_identical_pairs_are_not_significant() {
        let r = PairedProportions::of(counts(0, 20, 0, 0), 0.95);
        close(r.difference, 1.0);
        close(r.low, 0.772134616242194);
        assert!(r.high <= 1.0 && r.low >= -1.0);
        let r = PairedProportions::of(counts(0, 0, 20, 0), 0.95);
        assert!(r.low >= -1.0 && r.high < 0.0);
        let same = PairedProportions::of(counts(0, 0, 0, 20), 0.95);
        close(same.low, -0.161125158052819);
        close(same.high, 0.161125158052819);
        assert!(!same.excludes_zero());
        assert_eq!(same.p_value, 1.0);
        let same = PairedProportions::of(counts(4, 0, 0, 0), 0.95);
        assert!(!same.excludes_zero() && same.high > same.low);
        assert!(
            PairedProportions::of(PairedCounts::default(), 0.95)
                .low
                .is_nan()
        );
    }

    /// R 4.2.2: `binom.test(12, 14)$p.value` = 0.012939453125,
    /// `binom.test(0, 5)` 0.0625, `binom.test(3, 6)` 1,
    /// `binom.test(10, 11)` 0.01171875.
    #[test]
    fn mcnemar_exact_matches_r_binom_test() {
        close(mcnemar_exact(12, 2), 0.012939453125);
        close(mcnemar_exact(0, 5), 0.0625);
        close(mcnemar_exact(3, 3), 1.0);
        close(mcnemar_exact(10, 1), 0.01171875);
        close(mcnemar_exact(1, 10), 0.01171875);
        assert_eq!(mcnemar_exact(0, 0), 1.0);
    }

    #[test]
    fn counts_skip_incomplete_pairs() {
        let a = [Some(true), Some(true), None, Some(false), Some(false)];
        let b = [Some(true), Some(false), Some(true), Some(true), Some(false)];
        let c = PairedCounts::of(&a, &b);
        assert_eq!(c, counts(1, 1, 1, 1));
        assert_eq!((c.n(), c.discordant()), (4, 2));
    }
}
