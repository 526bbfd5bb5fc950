//! The validation suite as data: the stylized facts of
//! `stylized_facts.csv` (copied into `scenarios/validation/`) and the
//! checks of `scenarios/validation/facts.toml` that express them, both
//! embedded in the binary. A check names its arms as `--set`-style
//! overrides applied to any context, a measure and the expected direction,
//! so the same suite runs on any mission scenario.

use serde::Deserialize;

/// The stylized facts table (T01–T30, P01–P04), as shipped.
pub const FACTS_CSV: &str = include_str!("../../scenarios/validation/stylized_facts.csv");
/// The checks that express them.
pub const CHECKS_TOML: &str = include_str!("../../scenarios/validation/facts.toml");

/// One row of `stylized_facts.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// T01…T30, P01…P04.
    pub id: String,
    /// The lever.
    pub lever: String,
    /// What is changed.
    pub manipulation: String,
    /// The outcome the evidence speaks of.
    pub outcome: String,
    /// The expected direction, in words.
    pub expected: String,
    /// The condition under which it holds.
    pub condition: String,
    /// Evidence strength.
    pub evidence: String,
    /// Key source.
    pub source: String,
}

/// Parses the facts table (nine comma-separated columns, a header line,
/// no quoting).
pub fn parse_facts(text: &str) -> Result<Vec<Fact>, String> {
    let mut facts = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split(',').collect();
        if c.len() != 9 {
            return Err(format!(
                "stylized_facts.csv:{}: {} columns (expected 9)",
                i + 1,
                c.len()
            ));
        }
        facts.push(Fact {
            id: c[0].into(),
            lever: c[1].into(),
            manipulation: c[2].into(),
            outcome: c[3].into(),
            expected: c[4].into(),
            condition: c[5].into(),
            evidence: c[7].into(),
            source: c[8].into(),
        });
    }
    Ok(facts)
}

/// The expected sign of the contrast (treatment − control).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// The 95 % CI lies above zero.
    Increase,
    /// The 95 % CI lies below zero.
    Decrease,
    /// The 95 % CI lies inside ± the margin (two one-sided tests).
    Equivalent,
    /// The CI's lower bound is above − the margin (non-inferiority).
    NotLower,
    /// The CI's upper bound is below the margin.
    NotHigher,
}

impl Expect {
    /// Parses "increase", "decrease", "~0", "not lower", "not higher".
    pub fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "increase" => Self::Increase,
            "decrease" => Self::Decrease,
            "~0" => Self::Equivalent,
            "not lower" => Self::NotLower,
            "not higher" => Self::NotHigher,
            other => {
                return Err(format!(
                    "expect {other:?} (expected increase, decrease, ~0, not lower or not higher)"
                ));
            }
        })
    }

    /// How the row is written in reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Increase => "increase",
            Self::Decrease => "decrease",
            Self::Equivalent => "~0",
            Self::NotLower => "not lower",
            Self::NotHigher => "not higher",
        }
    }

    /// Whether it needs an equivalence margin.
    pub fn uses_margin(self) -> bool {
        !matches!(self, Self::Increase | Self::Decrease)
    }

    /// Whether an interval [low, high] of the contrast contradicts the
    /// expectation outright: it lies wholly on the other side of zero
    /// (increase / decrease), or wholly beyond the margin `m` (~0, not
    /// lower, not higher). An interval that neither passes nor contradicts
    /// is inconclusive at its n.
    pub fn contradicts(self, low: f64, high: f64, m: f64) -> bool {
        if !(low.is_finite() && high.is_finite()) {
            return false;
        }
        match self {
            Self::Increase => high < 0.0,
            Self::Decrease => low > 0.0,
            Self::Equivalent => low >= m || high <= -m,
            Self::NotLower => high <= -m,
            Self::NotHigher => low >= m,
        }
    }

    /// Whether an interval [low, high] of the contrast passes, with the
    /// margin `m` (absolute, ≥ 0).
    pub fn passes(self, low: f64, high: f64, m: f64) -> bool {
        if !(low.is_finite() && high.is_finite()) {
            return false;
        }
        match self {
            Self::Increase => low > 0.0,
            Self::Decrease => high < 0.0,
            Self::Equivalent => low > -m && high < m,
            Self::NotLower => low > -m,
            Self::NotHigher => high < m,
        }
    }
}

/// One check as written in `facts.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// The fact it tests (a row of the facts table).
    pub id: String,
    /// Which part of the fact (e.g. "troops" of T03), shown after the id.
    #[serde(default)]
    pub part: String,
    /// The condition this check represents (e.g. "implementation quality high").
    #[serde(default)]
    pub condition: String,
    /// Names of the arms, control first.
    pub arm_names: Vec<String>,
    /// Each arm's overrides (`key.path=value`; `rows[*].field=value` sets a
    /// field of every row of an array such as `mission.contributors`).
    pub arms: Vec<Vec<String>>,
    /// Weights of the arms in the contrast; default (−1, 1) for two arms,
    /// (1) for one arm (the measure is itself a contrast, e.g. witnesses'
    /// trust response against the unharmed of their sector).
    #[serde(default)]
    pub contrast: Vec<f64>,
    /// The measure ([`crate::validation::Measure`] syntax).
    pub measure: String,
    /// Expected sign of the contrast.
    pub expect: String,
    /// Equivalence margin, as a share of the control arm's mean (for
    /// binary measures: an absolute difference of proportions).
    #[serde(default = "default_margin")]
    pub margin: f64,
    /// What the measure stands for, when it is a proxy.
    #[serde(default)]
    pub note: String,
    /// Replicates of this check as a multiple of the run's: a yes/no
    /// outcome carries about one bit per replicate, so a rare event
    /// (ceasefire collapse) needs several times the replicates of a
    /// continuous measure to reach the same power. Every replicate of an
    /// arm keeps its seed, so the first n of a longer run are the n of a
    /// shorter one and common random numbers still pair the arms.
    #[serde(default = "default_replicate_factor")]
    pub replicate_factor: u32,
}

fn default_margin() -> f64 {
    0.1
}

fn default_replicate_factor() -> u32 {
    1
}

/// A fact the suite cannot express, with the reason.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unexpressible {
    /// The fact.
    pub id: String,
    /// Why not.
    pub reason: String,
}

/// `facts.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksFile {
    /// Directional checks.
    #[serde(default)]
    pub check: Vec<CheckSpec>,
    /// Facts that cannot be expressed.
    #[serde(default)]
    pub unexpressible: Vec<Unexpressible>,
}

/// Largest `replicate_factor` a check may ask for.
pub const MAX_REPLICATE_FACTOR: u32 = 10;

/// A check ready to run.
#[derive(Debug, Clone)]
pub struct Check {
    /// As written.
    pub spec: CheckSpec,
    /// Parsed expectation.
    pub expect: Expect,
    /// Contrast weights, one per arm.
    pub weights: Vec<f64>,
}

impl Check {
    /// "T03 troops" or "T01".
    pub fn label(&self) -> String {
        if self.spec.part.is_empty() {
            self.spec.id.clone()
        } else {
            format!("{} {}", self.spec.id, self.spec.part)
        }
    }
}

/// The whole suite: facts and their checks.
#[derive(Debug, Clone)]
pub struct Suite {
    /// Every fact, in table order.
    pub facts: Vec<Fact>,
    /// Every check, in file order.
    pub checks: Vec<Check>,
    /// Facts that cannot be expressed.
    pub unexpressible: Vec<Unexpressible>,
}

impl Suite {
    /// The embedded suite.
    pub fn embedded() -> Result<Self, String> {
        Self::parse(FACTS_CSV, CHECKS_TOML)
    }

    /// Parses a facts table and a checks file; every check must name a
    /// fact, have one name per arm and a contrast of matching length.
    pub fn parse(facts_csv: &str, checks_toml: &str) -> Result<Self, String> {
        let facts = parse_facts(facts_csv)?;
        let file: ChecksFile =
            toml::from_str(checks_toml).map_err(|e| format!("facts.toml: {e}"))?;
        let mut checks = Vec::new();
        for spec in file.check {
            let at = format!("facts.toml: check {} {}", spec.id, spec.part);
            if !facts.iter().any(|f| f.id == spec.id) {
                return Err(format!("{at}: no fact {} in stylized_facts.csv", spec.id));
            }
            if spec.arms.is_empty() || spec.arms.len() != spec.arm_names.len() {
                return Err(format!(
                    "{at}: {} arms and {} arm names (expected at least one arm, each named)",
                    spec.arms.len(),
                    spec.arm_names.len()
                ));
            }
            let weights = if spec.contrast.is_empty() && spec.arms.len() == 2 {
                vec![-1.0, 1.0]
            } else if spec.contrast.is_empty() && spec.arms.len() == 1 {
                // One arm: the measure itself is tested (a within-run
                // contrast such as witnesses against the unharmed).
                vec![1.0]
            } else {
                spec.contrast.clone()
            };
            if weights.len() != spec.arms.len() {
                return Err(format!("{at}: contrast needs one weight per arm"));
            }
            if !(spec.margin >= 0.0 && spec.margin.is_finite()) {
                return Err(format!("{at}: margin must be a number >= 0"));
            }
            if !(1..=MAX_REPLICATE_FACTOR).contains(&spec.replicate_factor) {
                return Err(format!(
                    "{at}: replicate_factor must be 1 to {MAX_REPLICATE_FACTOR}"
                ));
            }
            let expect = Expect::parse(&spec.expect).map_err(|e| format!("{at}: {e}"))?;
            crate::validation::Measure::parse(&spec.measure).map_err(|e| format!("{at}: {e}"))?;
            checks.push(Check {
                spec,
                expect,
                weights,
            });
        }
        Ok(Self {
            facts,
            checks,
            unexpressible: file.unexpressible,
        })
    }

    /// The fact with this id.
    pub fn fact(&self, id: &str) -> Option<&Fact> {
        self.facts.iter().find(|f| f.id == id)
    }

    /// Keeps only the checks (and unexpressible rows) of these facts.
    pub fn only(&mut self, ids: &[String]) {
        self.checks.retain(|c| ids.contains(&c.spec.id));
        self.unexpressible.retain(|u| ids.contains(&u.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_suite_parses_and_covers_every_fact() {
        let s = Suite::embedded().expect("embedded suite");
        assert_eq!(s.facts.len(), 34);
        for f in &s.facts {
            let covered = s.checks.iter().any(|c| c.spec.id == f.id)
                || s.unexpressible.iter().any(|u| u.id == f.id)
                || f.id.starts_with('P');
            assert!(covered, "{} has neither a check nor a reason", f.id);
        }
    }

    #[test]
    fn expectations_pass_only_on_their_side() {
        assert!(Expect::Increase.passes(0.1, 2.0, 0.0));
        assert!(!Expect::Increase.passes(-0.1, 2.0, 0.0));
        assert!(Expect::Decrease.passes(-2.0, -0.1, 0.0));
        assert!(Expect::Equivalent.passes(-0.5, 0.5, 1.0));
        assert!(!Expect::Equivalent.passes(-0.5, 1.5, 1.0));
        assert!(Expect::NotLower.passes(-0.5, 9.0, 1.0));
        assert!(!Expect::NotLower.passes(-1.5, 9.0, 1.0));
        assert!(!Expect::Increase.passes(f64::NAN, 1.0, 0.0));
    }

    #[test]
    fn contradiction_needs_the_whole_interval_on_the_wrong_side() {
        assert!(Expect::Increase.contradicts(-2.0, -0.1, 0.0));
        assert!(!Expect::Increase.contradicts(-2.0, 0.1, 0.0), "spans 0");
        assert!(!Expect::Increase.contradicts(0.1, 2.0, 0.0), "a pass");
        assert!(Expect::Decrease.contradicts(0.1, 2.0, 0.0));
        assert!(Expect::Equivalent.contradicts(1.5, 3.0, 1.0));
        assert!(Expect::Equivalent.contradicts(-3.0, -1.0, 1.0));
        assert!(
            !Expect::Equivalent.contradicts(0.5, 3.0, 1.0),
            "overlaps the margin"
        );
        assert!(Expect::NotLower.contradicts(-3.0, -1.5, 1.0));
        assert!(!Expect::NotLower.contradicts(-3.0, -0.5, 1.0));
        assert!(Expect::NotHigher.contradicts(1.5, 3.0, 1.0));
        assert!(!Expect::Decrease.contradicts(f64::NAN, 1.0, 0.0));
    }

    #[test]
    fn a_replicate_factor_must_be_positive_and_bounded() {
        let facts = "id,a,b,c,d,e,f,g,h\nT01,a,b,c,d,e,f,g,h\n";
        let check = |factor: u32| {
            format!(
                "[[check]]\nid = \"T01\"\narm_names = [\"a\", \"b\"]\narms = [[], [\"x=1\"]]\nmeasure = \"event:ceasefire_collapsed\"\nexpect = \"decrease\"\nreplicate_factor = {factor}\n"
            )
        };
        assert_eq!(
            Suite::parse(facts, &check(3)).unwrap().checks[0]
                .spec
                .replicate_factor,
            3
        );
        assert!(Suite::parse(facts, &check(0)).is_err());
        assert!(Suite::parse(facts, &check(MAX_REPLICATE_FACTOR + 1)).is_err());
    }
}
