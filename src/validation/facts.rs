//! Directional tests of the stylized facts: every check of the suite on
//! every context, with common random numbers (replicate i of every arm of
//! a context uses the same seed), the statistic that fits the measure, and
//! pass / fail / not expressible.
//!
//! * a continuous measure: the per-replicate contrast Σₖ wₖ yₖᵢ (for two
//!   arms, treatment − control; for a 2×2, the interaction) with
//!   Wilcoxon's signed-rank test, the Hodges–Lehmann estimate and its
//!   exact or normal-approximation interval (R's `wilcox.test`): outcomes
//!   are heavy-tailed (one replicate where war returns swamps a t
//!   interval), and ranks are not swamped;
//! * a sparse count (integer contrasts, more than a third of them zero or
//!   fewer than six distinct non-zero sizes: `stats::sparse_counts`): the
//!   exact sign-flip test of the mean contrast and the interval that
//!   inverts it (`stats::sign_flip_at`), since the signed-rank test drops
//!   the zeros and its interval collapses to a point such as [−1, −1];
//!   its power columns use the paired SD (normal approximation);
//! * a yes/no measure (`event:`): the difference of paired proportions
//!   with Newcombe's interval and McNemar's exact p.
//!
//! A check passes when the 95 % interval lies on the expected side of zero
//! (or within ± the margin for "~0"); a directional check also needs its
//! test's p below 0.05 (they agree except at the edges; for yes/no rows at
//! small n they do not: Newcombe's interval can exclude zero where
//! McNemar's exact p is 0.25). A failure is said plainly: **wrong
//! direction** when the interval (with p < 0.05) lies wholly on the other
//! side (or beyond the margin), **inconclusive** otherwise, with the
//! effect detectable at this n and the replicates the observed effect would
//! need. Holm-adjusted p-values are over every test of the run.

use std::collections::{BTreeMap, BTreeSet};

use super::contexts::{Context, RunSettings, arm_key, arm_scenario};
use super::measure::Measure;
use super::runner::{Tick, run_measures};
use super::suite::{Check, Expect, Suite};
use crate::scenario::Scenario;
use crate::stats::{
    POWER, PairedCounts, PairedInterval, PairedProportions, detectable, detectable_se, holm,
    sign_flip_at, signed_rank_at, sparse_counts, t_central_probability,
};

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// The outcome of one check on one context (or of a pattern test).
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The interval is on the expected side.
    Pass,
    /// A fact's interval lies wholly on the other side of zero (or beyond
    /// the margin of a ~0 row), with p < 0.05: the model contradicts it.
    WrongDirection,
    /// A fact's interval spans zero (or the margin), or the test is not
    /// significant: no verdict at this n.
    Inconclusive,
    /// A pattern test's criterion is not met.
    Fail,
    /// A pattern statistic given for what it shows, with no criterion.
    Reported,
    /// The check cannot run here, and why.
    NotExpressible(String),
}

impl Status {
    /// "pass", "fail: wrong direction", "fail: inconclusive", "fail",
    /// "reported" or "not expressible".
    pub fn label(&self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::WrongDirection => "fail: wrong direction",
            Self::Inconclusive => "fail: inconclusive",
            Self::Fail => "fail",
            Self::Reported => "reported",
            Self::NotExpressible(_) => "not expressible",
        }
    }
}

/// Whether an achieved confidence level is the one asked for (an exact
/// rank interval at n ≤ 5 cannot reach 95 %).
fn reaches_level(level: f64) -> bool {
    level >= LEVEL - 1e-9
}

/// A row's verdict from its interval (at an achieved `level`), whether its
/// test is significant, and the expectation.
fn classify(expect: Expect, low: f64, high: f64, margin: f64, level: f64, p: f64) -> Status {
    let directional = matches!(expect, Expect::Increase | Expect::Decrease);
    let significant = !directional || p < 1.0 - LEVEL;
    if !reaches_level(level) || !significant {
        Status::Inconclusive
    } else if expect.passes(low, high, margin) {
        Status::Pass
    } else if expect.contradicts(low, high, margin) {
        Status::WrongDirection
    } else {
        Status::Inconclusive
    }
}

/// One check × context.
#[derive(Debug, Clone, PartialEq)]
pub struct FactResult {
    /// Index of the check in the suite.
    pub check: usize,
    /// Context name.
    pub context: String,
    /// Each arm's mean of the measure (proportion for yes/no measures).
    pub arm_means: Vec<f64>,
    /// The contrast (treatment − control for two arms).
    pub estimate: f64,
    /// 95 % interval.
    pub low: f64,
    /// 95 % interval.
    pub high: f64,
    /// The equivalence margin in the measure's units (0 if unused).
    pub margin: f64,
    /// The level the interval achieves (0.95 but at very small n).
    pub level: f64,
    /// "signed-rank exact", "signed-rank normal approx.", "sign-flip
    /// exact" (sparse counts) or "Newcombe + exact McNemar".
    pub method: &'static str,
    /// Complete replicates used.
    pub n: usize,
    /// Two-sided p-value of "no difference".
    pub p: f64,
    /// Holm-adjusted over the run.
    pub p_holm: f64,
    /// The smallest effect this n detects with 80 % power (two-sided 5 %),
    /// from the interval's width; NaN for margin rows and undefined ones.
    pub mde: f64,
    /// Replicates needed to detect the observed effect with that power
    /// (None for margin rows, a zero effect or no interval).
    pub replicates_needed: Option<u64>,
    /// Pass, wrong direction, inconclusive, not expressible.
    pub status: Status,
}

impl FactResult {
    fn unexpressible(check: usize, context: &str, why: String) -> Self {
        Self {
            check,
            context: context.to_string(),
            arm_means: Vec::new(),
            estimate: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
            margin: f64::NAN,
            level: f64::NAN,
            method: "",
            n: 0,
            p: f64::NAN,
            p_holm: f64::NAN,
            mde: f64::NAN,
            replicates_needed: None,
            status: Status::NotExpressible(why),
        }
    }
}

/// One arm of a context, run: its scenario, and per measure its values.
struct ArmRun {
    scenario: Scenario,
    values: BTreeMap<String, Result<Vec<Option<f64>>, String>>,
}

/// Each distinct arm of `suite` (by its key): its overrides, the measures
/// read on it and the largest replicate factor of the checks that use it.
type Plan = BTreeMap<String, (Vec<String>, BTreeSet<String>, u32)>;

fn plan(suite: &Suite) -> Plan {
    let mut plan = Plan::new();
    for c in &suite.checks {
        for a in &c.spec.arms {
            let e = plan
                .entry(arm_key(a))
                .or_insert_with(|| (a.clone(), BTreeSet::new(), 1));
            e.1.insert(c.spec.measure.clone());
            e.2 = e.2.max(c.spec.replicate_factor);
        }
    }
    plan
}

/// Replicates the checks of `suite` need on one context (for a progress bar).
pub fn planned_replicates(suite: &Suite, run: RunSettings) -> u64 {
    plan(suite)
        .values()
        .map(|(_, _, factor)| u64::from(run.replicates * factor))
        .sum()
}

/// Runs every check of `suite` on `context`: each distinct arm once.
pub fn run_context(
    suite: &Suite,
    context: &Context,
    run: RunSettings,
    threads: usize,
    tick: Tick<'_>,
) -> Vec<FactResult> {
    let mut runs: BTreeMap<String, Result<ArmRun, String>> = BTreeMap::new();
    for (key, (overrides, measures, factor)) in plan(suite) {
        let measures: Vec<Measure> = measures
            .iter()
            .map(|m| Measure::parse(m).expect("checked when the suite was parsed"))
            .collect();
        let arm_run = RunSettings {
            replicates: run.replicates * factor,
            ..run
        };
        let result = arm_scenario(&context.file, &overrides, arm_run).and_then(|sc| {
            let values = run_measures(&sc, &measures, threads, tick)?;
            Ok(ArmRun {
                values: measures
                    .iter()
                    .map(|m| m.text.clone())
                    .zip(values)
                    .collect(),
                scenario: sc,
            })
        });
        if result.is_err() {
            for _ in 0..arm_run.replicates {
                tick();
            }
        }
        runs.insert(key, result);
    }
    suite
        .checks
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let n = (run.replicates * c.spec.replicate_factor) as usize;
            evaluate(k, c, &context.name, &runs, n)
        })
        .collect()
}

/// Two arms' scenarios are the same experiment when they differ at most
/// in how many replicates were run.
fn same_experiment(a: &Scenario, b: &Scenario) -> bool {
    let mut b = b.clone();
    b.run.replicates = a.run.replicates;
    *a == b
}

/// Evaluates one check on the first `n` replicates of each of its arms
/// (an arm shared with a check that needs more replicates ran longer).
fn evaluate(
    k: usize,
    check: &Check,
    context: &str,
    runs: &BTreeMap<String, Result<ArmRun, String>>,
    n: usize,
) -> FactResult {
    let mut arms = Vec::new();
    for a in &check.spec.arms {
        match &runs[&arm_key(a)] {
            Ok(r) => arms.push(r),
            Err(e) => return FactResult::unexpressible(k, context, e.clone()),
        }
    }
    if arms.len() > 1
        && arms
            .iter()
            .all(|a| same_experiment(&arms[0].scenario, &a.scenario))
    {
        return FactResult::unexpressible(
            k,
            context,
            "the arms are the same scenario in this context (the overrides change nothing here)"
                .to_string(),
        );
    }
    let mut values = Vec::new();
    for a in &arms {
        match &a.values[&check.spec.measure] {
            Ok(v) => values.push(v[..n.min(v.len())].to_vec()),
            Err(e) => return FactResult::unexpressible(k, context, e.clone()),
        }
    }
    let binary = Measure::parse(&check.spec.measure).is_ok_and(|m| m.is_binary());
    if binary {
        if values.len() != 2 {
            return FactResult::unexpressible(
                k,
                context,
                "a yes/no measure takes exactly two arms".to_string(),
            );
        }
        return binary_result(k, check, context, &values[0], &values[1]);
    }
    continuous_result(k, check, context, &values)
}

/// Mean of the present values.
fn mean(v: &[Option<f64>]) -> f64 {
    let x: Vec<f64> = v.iter().flatten().copied().collect();
    x.iter().sum::<f64>() / x.len() as f64
}

/// The per-replicate contrast Σₖ wₖ yₖᵢ of arms' values (None where an
/// arm has no value).
fn contrast(values: &[Vec<Option<f64>>], weights: &[f64]) -> Vec<Option<f64>> {
    let n = values.first().map_or(0, Vec::len);
    (0..n)
        .map(|i| {
            let mut s = 0.0;
            for (v, w) in values.iter().zip(weights) {
                s += w * v[i]?;
            }
            s.is_finite().then_some(s)
        })
        .collect()
}

/// The paired contrast of arms' values with weights, its t interval and
/// two-sided p-value (the pattern tests' statistic; the facts use ranks).
pub fn contrast_interval(values: &[Vec<Option<f64>>], weights: &[f64]) -> (PairedInterval, f64) {
    let c = contrast(values, weights);
    let zeros: Vec<Option<f64>> = c.iter().map(|x| x.map(|_| 0.0)).collect();
    let d = PairedInterval::of(&zeros, &c, LEVEL);
    let p = if d.n < 2 {
        f64::NAN
    } else if d.high - d.low <= 0.0 {
        if d.estimate == 0.0 { 1.0 } else { 0.0 }
    } else {
        // The interval is estimate ± t* se: recover se, then the p-value.
        let tc = crate::stats::t_critical(d.n as u64 - 1, LEVEL);
        let se = (d.high - d.low) / (2.0 * tc);
        1.0 - t_central_probability(d.estimate / se, d.n as u64 - 1)
    };
    (d, p)
}

fn continuous_result(
    k: usize,
    check: &Check,
    context: &str,
    values: &[Vec<Option<f64>>],
) -> FactResult {
    let c: Vec<f64> = contrast(values, &check.weights)
        .into_iter()
        .flatten()
        .collect();
    if c.is_empty() {
        return FactResult::unexpressible(
            k,
            context,
            format!(
                "no replicate gives `{}` a value in every arm (e.g. a rate whose denominator is always 0)",
                check.spec.measure
            ),
        );
    }
    let r = Statistic::of(&c);
    let control = mean(&values[0]);
    let margin = if check.expect.uses_margin() {
        check.spec.margin * control.abs()
    } else {
        0.0
    };
    finish(
        check,
        FactResult {
            check: k,
            context: context.to_string(),
            arm_means: values.iter().map(|v| mean(v)).collect(),
            estimate: r.estimate,
            low: r.low,
            high: r.high,
            margin,
            level: r.level,
            method: r.method,
            n: c.len(),
            p: r.p,
            p_holm: f64::NAN,
            mde: f64::NAN,
            replicates_needed: None,
            status: Status::Inconclusive,
        },
        r.se,
    )
}

/// A continuous row's statistic of its per-replicate contrasts `c`.
struct Statistic {
    estimate: f64,
    low: f64,
    high: f64,
    level: f64,
    p: f64,
    method: &'static str,
    /// The standard error for the power columns, where it is not the one
    /// the interval implies (the sign-flip test: sd / √n).
    se: Option<f64>,
}

impl Statistic {
    /// Sparse counts ([`sparse_counts`]: integer contrasts, more than a
    /// third zero or fewer than six distinct non-zero sizes) get the exact
    /// sign-flip test of the mean contrast; the rest, and sparse rows too
    /// large for the exact table, Wilcoxon's signed-rank test.
    fn of(c: &[f64]) -> Self {
        if let Some(r) = sparse_counts(c).then(|| sign_flip_at(c, LEVEL)).flatten() {
            return Self {
                estimate: r.estimate,
                low: r.low,
                high: r.high,
                level: r.level,
                p: r.p,
                method: "sign-flip exact",
                se: Some(r.sd / (r.n as f64).sqrt()),
            };
        }
        let r = signed_rank_at(c, LEVEL);
        Self {
            estimate: r.estimate,
            low: r.low,
            high: r.high,
            level: r.level,
            p: r.p,
            method: if r.exact {
                "signed-rank exact"
            } else {
                "signed-rank normal approx."
            },
            se: None,
        }
    }
}

/// Fills a row's verdict and, for a directional row, what its n could
/// detect and what its effect would need: from the standard error `se`
/// when given, else from the interval's width.
fn finish(check: &Check, mut r: FactResult, se: Option<f64>) -> FactResult {
    r.status = classify(check.expect, r.low, r.high, r.margin, r.level, r.p);
    if !check.expect.uses_margin() {
        let d = match se {
            Some(se) => detectable_se(se, r.n, r.estimate, 1.0 - LEVEL, POWER),
            None => detectable(r.low, r.high, r.level, r.n, r.estimate, 1.0 - LEVEL, POWER),
        };
        r.mde = d.mde;
        r.replicates_needed = d.replicates;
    }
    r
}

fn binary_result(
    k: usize,
    check: &Check,
    context: &str,
    control: &[Option<f64>],
    treatment: &[Option<f64>],
) -> FactResult {
    let yes = |v: &[Option<f64>]| v.iter().map(|x| x.map(|x| x > 0.5)).collect::<Vec<_>>();
    let pp = PairedProportions::of(PairedCounts::of(&yes(treatment), &yes(control)), LEVEL);
    let margin = if check.expect.uses_margin() {
        check.spec.margin
    } else {
        0.0
    };
    // A directional yes/no row also needs McNemar's exact test (in
    // `classify`): at small n Newcombe's interval can exclude zero on three
    // discordant pairs of three, where the exact p is 0.25.
    finish(
        check,
        FactResult {
            check: k,
            context: context.to_string(),
            arm_means: vec![pp.second, pp.first],
            estimate: pp.difference,
            low: pp.low,
            high: pp.high,
            margin,
            level: LEVEL,
            method: "Newcombe + exact McNemar",
            n: pp.counts.n() as usize,
            p: pp.p_value,
            p_holm: f64::NAN,
            mde: f64::NAN,
            replicates_needed: None,
            status: Status::Inconclusive,
        },
        None,
    )
}

/// Fills every result's Holm-adjusted p-value (over the results with a p).
pub fn adjust(results: &mut [FactResult]) {
    let idx: Vec<usize> = (0..results.len())
        .filter(|&i| results[i].p.is_finite())
        .collect();
    let p: Vec<f64> = idx.iter().map(|&i| results[i].p).collect();
    for (i, a) in idx.into_iter().zip(holm(&p)) {
        results[i].p_holm = a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::suite::CheckSpec;

    fn check(expect: &str, margin: f64) -> Check {
        Check {
            spec: CheckSpec {
                id: "T00".into(),
                part: String::new(),
                condition: String::new(),
                arm_names: vec!["a".into(), "b".into()],
                arms: vec![vec![], vec![]],
                contrast: vec![],
                measure: "sum:incidents".into(),
                expect: expect.into(),
                margin,
                note: String::new(),
                replicate_factor: 1,
            },
            expect: Expect::parse(expect).unwrap(),
            weights: vec![-1.0, 1.0],
        }
    }

    fn wrap(x: &[f64]) -> Vec<Option<f64>> {
        x.iter().copied().map(Some).collect()
    }

    /// Control values with replicate noise, and a treatment shifted by
    /// `effect` with a little noise of its own (±0.75: the contrasts are
    /// not integers, so these rows take the signed-rank test).
    fn arms(effect: f64) -> Vec<Vec<Option<f64>>> {
        let a: Vec<f64> = (0..12)
            .map(|i| 100.0 + 10.0 * ((i * 7) % 5) as f64)
            .collect();
        let b: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(i, x)| x + effect + if i % 2 == 0 { 0.75 } else { -0.75 })
            .collect();
        vec![wrap(&a), wrap(&b)]
    }

    #[test]
    fn an_arm_runs_at_the_largest_replicate_factor_of_its_checks() {
        let mut a = check("decrease", 0.1);
        a.spec.arms = vec![vec!["x=1".into()], vec![]];
        let mut b = a.clone();
        b.spec.arms = vec![vec!["y=1".into()], vec![]];
        b.spec.replicate_factor = 3;
        let suite = Suite {
            facts: Vec::new(),
            checks: vec![a, b],
            unexpressible: Vec::new(),
        };
        let run = RunSettings {
            replicates: 12,
            ticks: 10,
        };
        // x=1 at 12, the shared baseline and y=1 at 36.
        assert_eq!(planned_replicates(&suite, run), 12 + 36 + 36);
    }

    #[test]
    fn a_known_effect_passes_and_a_null_one_fails() {
        // Contrasts -4.25, -5.75, -4.25, …: wilcox.test(rep(c(-4.25,
        // -5.75), 6), conf.int = TRUE): V = 0, p = 0.00190317833510348
        // (ties: normal approximation), estimate -5, CI -5.75 -4.25.
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms(-5.0));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.method, "signed-rank normal approx.");
        assert!((r.p - 0.001_903_178_335_103_48).abs() < 1e-12, "{}", r.p);
        assert_eq!((r.estimate, r.low, r.high, r.n), (-5.0, -5.75, -4.25, 12));
        // Contrasts ±0.75: wilcox.test(rep(c(0.75, -0.75), 6)): p = 1, CI
        // -0.75 0.75.
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms(0.0));
        assert_eq!(r.status, Status::Inconclusive);
        assert_eq!((r.p, r.low, r.high), (1.0, -0.75, 0.75));
        let r = continuous_result(0, &check("increase", 0.1), "c", &arms(-5.0));
        assert_eq!(r.status, Status::WrongDirection);
        assert_eq!(r.status.label(), "fail: wrong direction");
    }

    #[test]
    fn one_wild_replicate_does_not_swamp_the_row() {
        // The valley's pattern: eleven replicates down by about 1,500, one
        // where war returns (+4,743) and one far down. The paired t
        // interval crosses zero (t.test(-d)$conf.int: -4125.8 373.3); the
        // signed-rank interval does not: wilcox.test(-d, conf.int = TRUE):
        // p = 0.02685546875, estimate -1590, CI -1983.5 -1185.
        let d = [
            1925., 1939., 1248., 1331., 1387., 1608., 1737., 1537., 1039., 2028., 11479., -4743.,
        ];
        let control: Vec<f64> = (0..12).map(|i| 5000.0 + 100.0 * i as f64).collect();
        let treated: Vec<f64> = control.iter().zip(&d).map(|(c, d)| c - d).collect();
        let arms = vec![wrap(&control), wrap(&treated)];
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms);
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.method, "signed-rank exact");
        assert_eq!((r.estimate, r.low, r.high), (-1590.0, -1983.5, -1185.0));
        assert!((r.p - 0.026_855_468_75).abs() < 1e-12);
        let (t, _) = contrast_interval(&arms, &[-1.0, 1.0]);
        assert!(t.low < 0.0 && t.high > 0.0, "the t interval is swamped");
    }

    #[test]
    fn an_inconclusive_row_says_what_its_n_could_detect() {
        // Contrasts 3.1, -0.4, 2.2, 5.9, 1.7, 0.8 (n = 6):
        // wilcox.test(d, conf.int = TRUE): p = 0.0625, estimate 1.95,
        // CI -0.4 5.9 at an achieved level of 1 − 2/64.
        let d = [3.1, -0.4, 2.2, 5.9, 1.7, 0.8];
        let control = [10.0; 6];
        let treated: Vec<f64> = d.iter().map(|x| 10.0 + x).collect();
        let r = continuous_result(
            0,
            &check("increase", 0.1),
            "c",
            &[wrap(&control), wrap(&treated)],
        );
        assert_eq!(r.status, Status::Inconclusive);
        assert_eq!(r.status.label(), "fail: inconclusive");
        // se = 6.3 / (2 · qnorm(1 − 1/64)) = 6.3 / (2 · 2.15387469406146);
        // MDE = (qnorm(0.975) + qnorm(0.8)) · se = 4.097302;
        // n needed = ceiling(6 · (4.097302 / 1.95)²) = 27.
        let se = 6.3 / (2.0 * 2.153_874_694_061_46);
        assert!(
            (r.mde - 2.801_585_218_112_97 * se).abs() < 1e-9,
            "{}",
            r.mde
        );
        assert_eq!(r.replicates_needed, Some(27));
        // The same row as ~0 has no MDE (the margin decides).
        let r = continuous_result(0, &check("~0", 0.1), "c", &[wrap(&control), wrap(&treated)]);
        assert!(r.mde.is_nan() && r.replicates_needed.is_none());
    }

    #[test]
    fn below_six_replicates_no_row_can_pass() {
        // Five replicates all down: the exact interval [min, max] excludes
        // zero but achieves only 1 − 2/32 < 95 % and p = 0.0625 (the
        // contrasts −1…−5 are sparse counts: the sign-flip test, whose
        // smallest n is the same as the signed-rank test's).
        let control = [10.0; 5];
        let treated = [9.0, 8.0, 7.0, 6.0, 5.0];
        let r = continuous_result(
            0,
            &check("decrease", 0.1),
            "c",
            &[wrap(&control), wrap(&treated)],
        );
        assert!(r.high < 0.0 && r.level < 0.95);
        assert_eq!(r.status, Status::Inconclusive);
        assert_eq!(r.method, "sign-flip exact");
    }

    #[test]
    fn sparse_counts_get_a_sign_flip_interval_that_holds_the_estimate() {
        // T26's withdrawals in a quiet context: nine pairs of twelve equal,
        // contrasts -1, +1, -1. wilcox.test drops the zeros and gives the
        // "0 percent" interval [-1, -1] beside a pseudo-median of -0.17;
        // the sign-flip test keeps them (R, base enumeration, see
        // stats::signflip): mean -1/12, p = 1, CI -0.4 0.25.
        let d = [-1., 0., 0., 1., 0., 0., -1., 0., 0., 0., 0., 0.];
        let control = [2.0; 12];
        let treated: Vec<f64> = d.iter().map(|x| 2.0 + x).collect();
        let arms = [wrap(&control), wrap(&treated)];
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms);
        assert_eq!(r.method, "sign-flip exact");
        assert_eq!((r.low, r.high, r.p), (-0.4, 0.25, 1.0));
        assert!((r.estimate + 1.0 / 12.0).abs() < 1e-15);
        assert!(r.low <= r.estimate && r.estimate <= r.high);
        assert!(reaches_level(r.level));
        assert_eq!(r.status, Status::Inconclusive);
        // Power from the paired SD (0.5149) by the normal approximation:
        // MDE = 2.80159 · 0.5149 / √12 = 0.41645, n needed
        // ceiling(12 · (0.41645 · 12)²) = 300.
        assert!(
            (r.mde - 0.416_447_511_078_795_85).abs() < 1e-12,
            "{}",
            r.mde
        );
        assert_eq!(r.replicates_needed, Some(300));
        // A shift of a withdrawal or two in ten pairs of twelve passes
        // (R: p = 2 · 2^-10, CI -2 -0.75), and is the wrong way for an
        // increase.
        let d = [-2., -1., -3., -1., -2., 0., -1., -2., -1., -1., -2., 0.];
        let treated: Vec<f64> = d.iter().map(|x| 3.0 + x).collect();
        let arms = [wrap(&[3.0; 12]), wrap(&treated)];
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms);
        assert_eq!((r.low, r.high, r.p), (-2.0, -0.75, 0.001_953_125));
        assert_eq!(r.status, Status::Pass);
        let r = continuous_result(0, &check("increase", 0.1), "c", &arms);
        assert_eq!(r.status, Status::WrongDirection);
    }

    #[test]
    fn a_measure_without_values_is_not_expressible() {
        let none = vec![None; 6];
        let r = continuous_result(0, &check("decrease", 0.1), "c", &[none.clone(), none]);
        assert!(matches!(&r.status, Status::NotExpressible(w) if w.contains("no replicate")));
    }

    #[test]
    fn an_equivalence_row_passes_only_within_its_margin() {
        // Control mean 118.33: a 10 % margin is ±11.83.
        let r = continuous_result(0, &check("~0", 0.1), "c", &arms(0.0));
        assert_eq!(r.status, Status::Pass);
        assert!((r.margin - 11.8333).abs() < 1e-3);
        // Contrasts 20.75, 19.25: CI 19.25 20.75, wholly beyond the margin.
        let r = continuous_result(0, &check("~0", 0.1), "c", &arms(20.0));
        assert_eq!((r.low, r.high), (19.25, 20.75));
        assert_eq!(r.status, Status::WrongDirection);
        let r = continuous_result(0, &check("~0", 0.001), "c", &arms(0.0));
        assert_eq!(
            r.status,
            Status::Inconclusive,
            "a ±0.12 margin is inside the CI"
        );
    }

    #[test]
    fn binary_measures_use_paired_proportions() {
        let control = wrap(&[1.0; 12]);
        let mut t = [1.0; 12];
        t[..10].fill(0.0);
        let r = binary_result(0, &check("decrease", 0.1), "c", &control, &wrap(&t));
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.method, "Newcombe + exact McNemar");
        assert!((r.estimate + 10.0 / 12.0).abs() < 1e-12);
        // McNemar exact, 10 discordant pairs all one way: 2 · 0.5^10.
        assert!((r.p - 2.0 * 0.5f64.powi(10)).abs() < 1e-12);
        // Three discordant pairs of four: the interval excludes zero but
        // McNemar's p is 0.25, so it does not pass.
        let control = wrap(&[1.0; 4]);
        let r = binary_result(
            0,
            &check("decrease", 0.1),
            "c",
            &control,
            &wrap(&[0.0, 0.0, 0.0, 1.0]),
        );
        assert!(r.high < 0.0 && (r.p - 0.25).abs() < 1e-12);
        assert_eq!(r.status, Status::Inconclusive);
        assert!(r.mde.is_finite() && r.replicates_needed.is_some());
        // Ten of twelve up where a decrease is expected: wrong direction.
        let r = binary_result(0, &check("decrease", 0.1), "c", &wrap(&t), &control12());
        assert_eq!(r.status, Status::WrongDirection);
    }

    fn control12() -> Vec<Option<f64>> {
        wrap(&[1.0; 12])
    }

    #[test]
    fn an_interaction_contrast_uses_all_four_arms() {
        let base = arms(0.0)[0].clone();
        let shift = |d: f64| base.iter().map(|x| x.map(|x| x + d)).collect::<Vec<_>>();
        // Additive: −10 and −10 and −20 together: interaction 0.
        let v = vec![shift(0.0), shift(-10.0), shift(-10.0), shift(-20.0)];
        let (d, _) = contrast_interval(&v, &[1.0, -1.0, -1.0, 1.0]);
        assert!(d.estimate.abs() < 1e-9);
        // Super-additive: together −30.
        let v = vec![shift(0.0), shift(-10.0), shift(-10.0), shift(-30.0)];
        assert!((contrast_interval(&v, &[1.0, -1.0, -1.0, 1.0]).0.estimate + 10.0).abs() < 1e-9);
        // The facts test the per-replicate interaction: −10 in every
        // replicate, an integer contrast of one size, so the sign-flip
        // test: the interval [−10, −10], p = 2/2¹².
        let mut c = check("decrease", 0.1);
        c.spec.arms = vec![vec![]; 4];
        c.weights = vec![1.0, -1.0, -1.0, 1.0];
        let r = continuous_result(0, &c, "c", &v);
        assert_eq!(r.method, "sign-flip exact");
        assert_eq!((r.estimate, r.low, r.high), (-10.0, -10.0, -10.0));
        assert_eq!(r.p, 2.0 / 4096.0);
        assert_eq!(r.status, Status::Pass);
    }
}
