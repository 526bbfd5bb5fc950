//! What a paired comparison could detect at the replicates it had, and how
//! many replicates the effect it saw would need: the plain reading of a
//! test that did not reach significance.
//!
//! Both come from the interval itself, not from a standard deviation: the
//! interval's half-width at level L is z((1 + L)/2) standard errors of the
//! estimate, whatever the method (a rank interval, Newcombe's), so the
//! standard error implied is the one of the estimator actually used. A
//! paired SD would be swamped by the one heavy-tailed replicate the rank
//! methods are there to resist. The standard error shrinks as 1/√n, which
//! gives the usual normal-theory formulas (e.g. Chow, Shao & Wang 2008,
//! §3.1):
//!
//! * minimum detectable effect = (z(1 − α/2) + z(power)) · se;
//! * replicates needed for an effect δ = n · (MDE / |δ|)².

use statrs::distribution::{ContinuousCDF, Normal};

/// Power the detectable effect is stated at.
pub const POWER: f64 = 0.8;

/// What an interval could detect, and what its estimate would need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detectable {
    /// The standard error the interval implies (NaN when it has none).
    pub se: f64,
    /// The smallest true effect detected with probability `power` by a
    /// two-sided test at `alpha` at this n (NaN when undefined).
    pub mde: f64,
    /// Replicates needed to detect the observed effect with that power;
    /// None when the effect is 0 or the interval undefined.
    pub replicates: Option<u64>,
}

/// The detectable effect of an interval [`low`, `high`] at confidence
/// `level` from `n` replicates, and the replicates `effect` would need,
/// at `power` and two-sided `alpha`.
///
/// A `level` of 1 is an interval of a single point (every replicate
/// agreed): its standard error is 0.
///
/// # Panics
///
/// If `power` or `alpha` is not in (0, 1) or `level` not in [0, 1].
pub fn detectable(
    low: f64,
    high: f64,
    level: f64,
    n: usize,
    effect: f64,
    alpha: f64,
    power: f64,
) -> Detectable {
    // NaN passes: an undefined interval gets an undefined answer.
    assert!(
        level.is_nan() || (0.0..=1.0).contains(&level),
        "level must be in [0, 1]"
    );
    let z = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    let se = (high - low) / (2.0 * z.inverse_cdf((1.0 + level) / 2.0));
    detectable_se(se, n, effect, alpha, power)
}

/// [`detectable`] from a standard error of the estimate directly, e.g.
/// sd / √n of paired differences for a test of their mean (the normal
/// approximation to the sign-flip test: its permutation distribution
/// tends to the normal with that standard error).
///
/// # Panics
///
/// If `power` or `alpha` is not in (0, 1).
pub fn detectable_se(se: f64, n: usize, effect: f64, alpha: f64, power: f64) -> Detectable {
    for (name, v) in [("power", power), ("alpha", alpha)] {
        assert!(v > 0.0 && v < 1.0, "{name} must be in (0, 1)");
    }
    if !(se.is_finite() && se >= 0.0) || n == 0 {
        return Detectable {
            se: f64::NAN,
            mde: f64::NAN,
            replicates: None,
        };
    }
    let z = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    let mde = (z.inverse_cdf(1.0 - alpha / 2.0) + z.inverse_cdf(power)) * se;
    let replicates = (effect != 0.0 && effect.is_finite()).then(|| {
        let need = n as f64 * (mde / effect).powi(2);
        // Beyond u64 the answer is "never"; saturate rather than wrap.
        need.ceil().clamp(1.0, u64::MAX as f64) as u64
    });
    Detectable {
        se,
        mde,
        replicates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_standard_error_gives_the_textbook_multiplier() {
        // R: qnorm(0.975) + qnorm(0.8) = 2.80158521811297; an interval
        // ±qnorm(0.975) wide is one standard error.
        let h = 1.959_963_984_540_054;
        let d = detectable(-h, h, 0.95, 12, 1.4, 0.05, POWER);
        assert!((d.se - 1.0).abs() < 1e-12);
        assert!((d.mde - 2.801_585_218_112_97).abs() < 1e-12);
        // 12 · (2.8016 / 1.4)² = 48.05: 49 replicates.
        assert_eq!(d.replicates, Some(49));
        // Four times the effect: a sixteenth of the replicates.
        assert_eq!(
            detectable(-h, h, 0.95, 12, 5.6, 0.05, POWER).replicates,
            Some(4)
        );
        // The sign of the effect does not matter.
        assert_eq!(
            detectable(-h, h, 0.95, 12, -1.4, 0.05, POWER).replicates,
            Some(49)
        );
    }

    #[test]
    fn a_wider_level_means_a_smaller_standard_error_for_the_same_width() {
        // R: qnorm(0.995) = 2.5758293035489: ±2.576 at 99 % is one se.
        let h = 2.575_829_303_548_9;
        let d = detectable(10.0 - h, 10.0 + h, 0.99, 6, 10.0, 0.05, POWER);
        assert!((d.se - 1.0).abs() < 1e-9);
    }

    #[test]
    fn undefined_intervals_and_null_effects_have_no_answer() {
        let d = detectable(f64::NAN, 1.0, 0.95, 12, 1.0, 0.05, POWER);
        assert!(d.mde.is_nan() && d.replicates.is_none());
        assert!(
            detectable(-1.0, 1.0, 0.95, 12, 0.0, 0.05, POWER)
                .replicates
                .is_none()
        );
        // A zero-width interval detects anything: one replicate.
        let d = detectable(3.0, 3.0, 0.95, 12, 3.0, 0.05, POWER);
        assert_eq!((d.mde, d.replicates), (0.0, Some(1)));
        let d = detectable(3.0, 3.0, 1.0, 12, 3.0, 0.05, POWER);
        assert_eq!((d.mde, d.replicates), (0.0, Some(1)));
        // A level of 0 (one replicate) tells nothing.
        assert!(detectable(3.0, 4.0, 0.0, 1, 3.0, 0.05, POWER).mde.is_nan());
    }

    #[test]
    fn a_standard_error_gives_the_same_answer_as_its_interval() {
        // Paired SD 0.5149 of twelve sparse differences, mean −1/12:
        // se = 0.5149/√12; MDE = 2.80159 · se = 0.41645;
        // n needed = ceiling(12 · (0.41645 / (1/12))²) = ceiling(299.7) = 300.
        let se = 0.514_928_650_544_437_3 / 12f64.sqrt();
        let d = detectable_se(se, 12, -1.0 / 12.0, 0.05, POWER);
        assert!((d.mde - 2.801_585_218_112_97 * se).abs() < 1e-12);
        assert_eq!(d.replicates, Some(300));
        let h = 1.959_963_984_540_054 * se;
        let from_interval = detectable(-h, h, 0.95, 12, -1.0 / 12.0, 0.05, POWER);
        assert!((from_interval.mde - d.mde).abs() < 1e-12);
        assert_eq!(from_interval.replicates, d.replicates);
        assert!(detectable_se(f64::NAN, 12, 1.0, 0.05, POWER).mde.is_nan());
    }
}
