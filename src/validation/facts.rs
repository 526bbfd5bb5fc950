//! Directional tests of the stylized facts: every check of the suite on
//! every context, with common random numbers (replicate i of every arm of
//! a context uses the same seed), the statistic that fits the measure, and
//! pass / fail / not expressible.
//!
//! * a continuous measure: the per-replicate contrast Σₖ wₖ yₖᵢ (for two
//!   arms, treatment − control) with a paired t interval and two-sided p;
//! * a yes/no measure (`event:`): the difference of paired proportions
//!   with Newcombe's interval and McNemar's exact p.
//!
//! A check passes when the 95 % interval lies on the expected side of zero
//! (or within ± the margin for "~0"); a directional yes/no check also
//! needs McNemar's exact p below 0.05. Holm-adjusted p-values are over every
//! test of the run.

use std::collections::{BTreeMap, BTreeSet};

use super::contexts::{Context, RunSettings, arm_key, arm_scenario};
use super::measure::Measure;
use super::runner::{Tick, run_measures};
use super::suite::{Check, Expect, Suite};
use crate::scenario::Scenario;
use crate::stats::{PairedCounts, PairedInterval, PairedProportions, holm, t_central_probability};

/// Confidence level of every interval.
pub const LEVEL: f64 = 0.95;

/// The outcome of one check on one context.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// The interval is on the expected side.
    Pass,
    /// It is not.
    Fail,
    /// The check cannot run here, and why.
    NotExpressible(String),
}

impl Status {
    /// "pass", "fail" or "not expressible".
    pub fn label(&self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::NotExpressible(_) => "not expressible",
        }
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
    /// "paired t" or "Newcombe + exact McNemar".
    pub method: &'static str,
    /// Complete replicates used.
    pub n: usize,
    /// Two-sided p-value of "no difference".
    pub p: f64,
    /// Holm-adjusted over the run.
    pub p_holm: f64,
    /// Pass, fail, not expressible.
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
            method: "",
            n: 0,
            p: f64::NAN,
            p_holm: f64::NAN,
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
    if arms
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

/// The paired contrast of arms' values with weights, its t interval and
/// two-sided p-value. Exposed for the unit tests of the machinery.
pub fn contrast_interval(values: &[Vec<Option<f64>>], weights: &[f64]) -> (PairedInterval, f64) {
    let n = values.first().map_or(0, Vec::len);
    let c: Vec<Option<f64>> = (0..n)
        .map(|i| {
            let mut s = 0.0;
            for (v, w) in values.iter().zip(weights) {
                s += w * v[i]?;
            }
            Some(s)
        })
        .collect();
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
    let (d, p) = contrast_interval(values, &check.weights);
    let control = mean(&values[0]);
    let margin = if check.expect.uses_margin() {
        check.spec.margin * control.abs()
    } else {
        0.0
    };
    let status = if check.expect.passes(d.low, d.high, margin) {
        Status::Pass
    } else {
        Status::Fail
    };
    FactResult {
        check: k,
        context: context.to_string(),
        arm_means: values.iter().map(|v| mean(v)).collect(),
        estimate: d.estimate,
        low: d.low,
        high: d.high,
        margin,
        method: "paired t",
        n: d.n,
        p,
        p_holm: f64::NAN,
        status,
    }
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
    // A directional yes/no row also needs McNemar's exact test: at small n
    // Newcombe's interval can exclude zero on three discordant pairs of
    // three, where the exact p is 0.25.
    let significant =
        !matches!(check.expect, Expect::Increase | Expect::Decrease) || pp.p_value < 1.0 - LEVEL;
    let status = if significant && check.expect.passes(pp.low, pp.high, margin) {
        Status::Pass
    } else {
        Status::Fail
    };
    FactResult {
        check: k,
        context: context.to_string(),
        arm_means: vec![pp.second, pp.first],
        estimate: pp.difference,
        low: pp.low,
        high: pp.high,
        margin,
        method: "Newcombe + exact McNemar",
        n: pp.counts.n() as usize,
        p: pp.p_value,
        p_holm: f64::NAN,
        status,
    }
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
    /// `effect` with a little noise of its own.
    fn arms(effect: f64) -> Vec<Vec<Option<f64>>> {
        let a: Vec<f64> = (0..12)
            .map(|i| 100.0 + 10.0 * ((i * 7) % 5) as f64)
            .collect();
        let b: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(i, x)| x + effect + if i % 2 == 0 { 1.0 } else { -1.0 })
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
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms(-5.0));
        assert_eq!(r.status, Status::Pass);
        assert!(r.p < 1e-6);
        let r = continuous_result(0, &check("decrease", 0.1), "c", &arms(0.0));
        assert_eq!(r.status, Status::Fail);
        let r = continuous_result(0, &check("increase", 0.1), "c", &arms(-5.0));
        assert_eq!(r.status, Status::Fail);
    }

    #[test]
    fn an_equivalence_row_passes_only_within_its_margin() {
        // Control mean 118.33: a 10 % margin is ±11.83.
        let r = continuous_result(0, &check("~0", 0.1), "c", &arms(0.0));
        assert_eq!(r.status, Status::Pass);
        assert!((r.margin - 11.8333).abs() < 1e-3);
        let r = continuous_result(0, &check("~0", 0.1), "c", &arms(20.0));
        assert_eq!(r.status, Status::Fail);
        let r = continuous_result(0, &check("~0", 0.001), "c", &arms(0.0));
        assert_eq!(r.status, Status::Fail, "a ±0.12 margin is inside the CI");
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
        assert_eq!(r.status, Status::Fail);
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
    }
}
