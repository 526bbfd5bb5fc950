//! Measures of a run, written as short strings in `facts.toml`:
//!
//! * `run:NAME`: a per-run outcome (a column of `runs.csv`);
//! * `event:NAME`: a per-run outcome read as yes (> 0.5) or no (binary:
//!   paired proportions, not a t interval);
//! * `sum:A+B`, `mean:A`, `last:A`, `max:A`: an aggregate of per-tick
//!   metrics (columns of `timeseries.csv`, summed when joined by `+`) over
//!   the days after burn-in, or over `@FROM-TO` (days, inclusive) when
//!   given, e.g. `sum:incidents@181-365`;
//! * `pNN:A` (NN from 1 to 99): the NN-th percentile of the daily values
//!   over those days, of the same per-tick metrics, e.g.
//!   `p95:civilian_deaths@61-365` (see [`quantile`]): a tail that uses
//!   more of the tail than the single worst day (`max:`) does;
//! * `M/N`: the ratio of two such measures of the same replicate (a rate,
//!   e.g. `sum:relapses/last:reintegrated`: relapses per ex-fighter),
//!   undefined where N is 0; neither side may be a ratio or a yes/no.
//!
//! A measure the model does not record is an error naming the column, so a
//! check against a model without it is reported as not expressible.

use crate::metrics::Series;
use crate::model::OutcomeRule;

/// How per-tick values become one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// A per-run outcome.
    Run,
    /// A per-run outcome read as yes/no.
    Event,
    /// Sum over the days.
    Sum,
    /// Mean over the days.
    Mean,
    /// The last day's value.
    Last,
    /// The largest daily value.
    Max,
    /// The given percentile (1 to 99) of the daily values ([`quantile`]).
    Percentile(u8),
}

/// A parsed measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// As written.
    pub text: String,
    /// The aggregate.
    pub aggregate: Aggregate,
    /// Columns, summed.
    pub columns: Vec<String>,
    /// Days (inclusive) for per-tick aggregates; None: after burn-in.
    pub window: Option<(u32, u32)>,
    /// For a ratio `M/N`: the denominator N (this measure is then M/N).
    pub denominator: Option<Box<Measure>>,
}

impl Measure {
    /// Parses `AGG:COL[+COL…][@FROM-TO]`, or the ratio of two of those
    /// joined by `/`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if let Some((num, den)) = text.split_once('/') {
            let bad = |why: String| format!("measure {text:?}: {why}");
            let mut m = Self::parse(num).map_err(bad)?;
            let d = Self::parse(den).map_err(bad)?;
            if d.denominator.is_some() {
                return Err(format!("measure {text:?}: one `/` at most"));
            }
            if m.is_binary() || d.is_binary() {
                return Err(format!(
                    "measure {text:?}: a ratio of yes/no outcomes is not a rate"
                ));
            }
            m.text = text.to_string();
            m.denominator = Some(Box::new(d));
            return Ok(m);
        }
        let bad = |why: &str| {
            format!(
                "measure {text:?}: {why} (expected e.g. sum:incidents, run:civilian_deaths, event:ceasefire_collapsed, mean:trust_share@1-90, p95:civilian_deaths@61-365)"
            )
        };
        let (agg, rest) = text.split_once(':').ok_or_else(|| bad("no aggregate"))?;
        let aggregate = match agg {
            "run" => Aggregate::Run,
            "event" => Aggregate::Event,
            "sum" => Aggregate::Sum,
            "mean" => Aggregate::Mean,
            "last" => Aggregate::Last,
            "max" => Aggregate::Max,
            // `p1` to `p99`, written without leading zeros.
            _ => match agg.strip_prefix('p').and_then(|p| p.parse::<u8>().ok()) {
                Some(p) if (1..=99).contains(&p) && agg[1..] == p.to_string() => {
                    Aggregate::Percentile(p)
                }
                _ => return Err(bad("unknown aggregate")),
            },
        };
        let (cols, window) = match rest.split_once('@') {
            None => (rest, None),
            Some((cols, w)) => {
                let (a, b) = w
                    .split_once('-')
                    .ok_or_else(|| bad("window is not FROM-TO"))?;
                let a: u32 = a.parse().map_err(|_| bad("window start"))?;
                let b: u32 = b.parse().map_err(|_| bad("window end"))?;
                if a > b || a == 0 {
                    return Err(bad("window must be 1 <= FROM <= TO"));
                }
                (cols, Some((a, b)))
            }
        };
        let columns: Vec<String> = cols.split('+').map(str::to_string).collect();
        if columns.iter().any(|c| c.is_empty()) {
            return Err(bad("empty column name"));
        }
        let per_run = matches!(aggregate, Aggregate::Run | Aggregate::Event);
        if per_run && (columns.len() != 1 || window.is_some()) {
            return Err(bad("run: and event: take one outcome and no window"));
        }
        Ok(Self {
            text: text.to_string(),
            aggregate,
            columns,
            window,
            denominator: None,
        })
    }

    /// Whether the measure is yes/no.
    pub fn is_binary(&self) -> bool {
        self.aggregate == Aggregate::Event
    }

    /// Checks that a model with these per-tick metric names and per-run
    /// columns records the measure.
    pub fn check_available(&self, metrics: &[String], runs: &[&str]) -> Result<(), String> {
        if let Some(d) = &self.denominator {
            d.check_available(metrics, runs)?;
        }
        for c in &self.columns {
            let known = match self.aggregate {
                Aggregate::Run | Aggregate::Event => runs.contains(&c.as_str()),
                _ => metrics.iter().any(|m| m == c),
            };
            if !known {
                let kind = if matches!(self.aggregate, Aggregate::Run | Aggregate::Event) {
                    "per-run outcome"
                } else {
                    "daily metric"
                };
                return Err(format!(
                    "measure {}: the model records no {kind} {c:?}",
                    self.text
                ));
            }
        }
        Ok(())
    }

    /// The measure of one replicate: its series, its per-run outcomes
    /// (`rule.values(series)`) and the burn-in. None where undefined.
    pub fn value(
        &self,
        series: &Series,
        rule: &OutcomeRule,
        outcomes: &[Option<f64>],
        burn_in: u32,
    ) -> Option<f64> {
        if let Some(d) = &self.denominator {
            let n = self.term(series, rule, outcomes, burn_in)?;
            let d = d.value(series, rule, outcomes, burn_in)?;
            return (d != 0.0).then(|| n / d);
        }
        self.term(series, rule, outcomes, burn_in)
    }

    /// The measure without its denominator.
    fn term(
        &self,
        series: &Series,
        rule: &OutcomeRule,
        outcomes: &[Option<f64>],
        burn_in: u32,
    ) -> Option<f64> {
        match self.aggregate {
            Aggregate::Run | Aggregate::Event => {
                let k = rule.columns().iter().position(|c| *c == self.columns[0])?;
                let v = outcomes.get(k).copied().flatten()?;
                Some(if self.aggregate == Aggregate::Event {
                    f64::from(u8::from(v > 0.5))
                } else {
                    v
                })
            }
            _ => {
                let cols: Vec<Vec<f64>> = self
                    .columns
                    .iter()
                    .map(|c| series.column(c).map(|it| it.collect()))
                    .collect::<Option<_>>()?;
                let len = cols.first().map_or(0, Vec::len);
                let (from, to) = match self.window {
                    Some((a, b)) => (a as usize, (b as usize).min(len.saturating_sub(1))),
                    None => (burn_in as usize + 1, len.saturating_sub(1)),
                };
                if from > to || to >= len {
                    return None;
                }
                let daily: Vec<f64> = (from..=to)
                    .map(|t| cols.iter().map(|c| c[t]).sum())
                    .collect();
                Some(match self.aggregate {
                    Aggregate::Sum => daily.iter().sum(),
                    Aggregate::Mean => daily.iter().sum::<f64>() / daily.len() as f64,
                    Aggregate::Last => *daily.last()?,
                    Aggregate::Percentile(p) => quantile(&daily, f64::from(p) / 100.0),
                    _ => daily.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                })
            }
        }
    }
}

/// The `p`-quantile (0 ≤ `p` ≤ 1) of `values` (not empty), by linear
/// interpolation between order statistics: with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and
/// h = (n − 1)·p, x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎). This is Hyndman
/// & Fan's (1996) definition 7, R's `quantile()` default and numpy's
/// `linear`, so a reader can check a value with either.
pub fn quantile(values: &[f64], p: f64) -> f64 {
    let mut x = values.to_vec();
    x.sort_by(f64::total_cmp);
    let h = (x.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    match x.get(lo + 1) {
        Some(&next) => x[lo] + (h - lo as f64) * (next - x[lo]),
        None => x[lo],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_and_rejects_the_rest() {
        let m = Measure::parse("sum:fighter_deaths+mission_deaths@10-20").unwrap();
        assert_eq!(m.aggregate, Aggregate::Sum);
        assert_eq!(m.columns, vec!["fighter_deaths", "mission_deaths"]);
        assert_eq!(m.window, Some((10, 20)));
        assert!(
            Measure::parse("event:ceasefire_collapsed")
                .unwrap()
                .is_binary()
        );
        for bad in [
            "incidents",
            "avg:x",
            "sum:",
            "sum:a@5",
            "sum:a@9-3",
            "run:a+b",
            "sum:a/",
            "event:a/sum:b",
            "sum:a/sum:b/sum:c",
            "p0:a",
            "p100:a",
            "p05:a",
            "p:a",
            "pp:a",
        ] {
            assert!(Measure::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_ratio_divides_two_measures_of_the_same_replicate() {
        let m = Measure::parse("sum:relapses/last:reintegrated").unwrap();
        assert_eq!(m.columns, vec!["relapses"]);
        let d = m.denominator.as_deref().unwrap();
        assert_eq!(
            (d.aggregate, d.columns.clone()),
            (Aggregate::Last, vec!["reintegrated".to_string()])
        );
        assert!(!m.is_binary());
        let e = m
            .check_available(&["relapses".to_string()], &[])
            .unwrap_err();
        assert!(e.contains("\"reintegrated\""), "{e}");
        // Days 0..=2: relapses 0, 2, 3 (sum after day 0: 5); reintegrated
        // 10, 20, 0 then 40.
        let mut series = Series::new(crate::metrics::names_of(&["relapses", "reintegrated"]), 2);
        for row in [[0.0, 10.0], [2.0, 20.0], [3.0, 40.0]] {
            series.push_row(&row);
        }
        let rule = OutcomeRule::Epstein {
            burn_in: 0,
            threshold: 0.5,
        };
        assert_eq!(m.value(&series, &rule, &[], 0), Some(5.0 / 40.0));
        // A zero denominator leaves the rate undefined.
        let zero = Measure::parse("sum:relapses/max:relapses@1-1").unwrap();
        let mut flat = Series::new(crate::metrics::names_of(&["relapses", "reintegrated"]), 1);
        flat.push_row(&[0.0, 0.0]);
        flat.push_row(&[0.0, 0.0]);
        assert_eq!(zero.value(&flat, &rule, &[], 0), None);
    }

    #[test]
    fn percentiles_are_those_r_gives() {
        // R 4: quantile(x, p) (type 7, the default), printed to 17 digits.
        let cases: [(&[f64], f64, f64); 8] = [
            (&[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.], 0.5, 5.5),
            (&[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.], 0.9, 9.1),
            (&[10., 9., 8., 7., 6., 5., 4., 3., 2., 1.], 0.95, 9.55),
            (&[3., 1., 4., 1., 5., 9., 2., 6., 5., 3., 5.], 0.9, 6.0),
            (&[3., 1., 4., 1., 5., 9., 2., 6., 5., 3., 5.], 0.95, 7.5),
            (&[0., 0., 0., 2., 10.], 0.95, 8.4),
            (&[7.], 0.95, 7.0),
            (&[0.5, 2.25, 11., 3.], 0.1, 1.025),
        ];
        for (x, p, r) in cases {
            let q = quantile(x, p);
            assert!((q - r).abs() < 1e-12, "quantile({x:?}, {p}) = {q}, R {r}");
        }
        // As a measure: the 95th percentile of days 1..=5 of a column.
        let m = Measure::parse("p95:deaths@1-5").unwrap();
        assert_eq!(m.aggregate, Aggregate::Percentile(95));
        assert_eq!(
            Measure::parse("p5:x").unwrap().aggregate,
            Aggregate::Percentile(5)
        );
        let mut series = Series::new(crate::metrics::names_of(&["deaths"]), 6);
        for v in [99., 0., 10., 0., 2., 0., 50.] {
            series.push_row(&[v]);
        }
        let rule = OutcomeRule::Epstein {
            burn_in: 0,
            threshold: 0.5,
        };
        // Days 1-5 are 0, 10, 0, 2, 0: day 0 and day 6 are outside.
        assert!((m.value(&series, &rule, &[], 0).unwrap() - 8.4).abs() < 1e-12);
    }

    #[test]
    fn a_missing_column_is_named() {
        let m = Measure::parse("sum:tips").unwrap();
        let e = m
            .check_available(&["incidents".to_string()], &["civilian_deaths"])
            .unwrap_err();
        assert!(e.contains("\"tips\""), "{e}");
    }
}
