//! Kaplan–Meier survival curves for right-censored times (e.g. days until
//! a ceasefire collapses; runs that end without collapse are censored at
//! the horizon), with what a censored outcome needs instead of a mean:
//!
//! * pointwise confidence bands: Greenwood's variance on the log-log scale
//!   (R `survfit(..., conf.type = "log-log")`), which keeps the bounds in
//!   [0, 1];
//! * the restricted mean survival time up to a horizon τ (the area under
//!   the curve; Royston & Parmar 2013) with its standard error (R
//!   `print(survfit(...), rmean = τ)`);
//! * the log-rank test of two curves (R `survdiff`).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// One observation: the time, and whether the event happened then (true)
/// or observation stopped without it (false: censored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Time of the event or of censoring.
    pub time: f64,
    /// The event happened at `time`.
    pub event: bool,
}

/// A Kaplan–Meier estimate: a right-continuous step function.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// (time, survival just after it) at time 0 and at every event time;
    /// survival is non-increasing.
    pub steps: Vec<(f64, f64)>,
    /// (time, survival there) of every distinct censoring time.
    pub censored: Vec<(f64, f64)>,
    /// The last observed time (event or censoring); 0 with no observations.
    pub end: f64,
    /// Observations.
    pub n: usize,
    /// Events among them.
    pub events: usize,
    /// At every event time: the time, those at risk just before it and the
    /// events then; the basis of Greenwood's variance.
    pub risk: Vec<RiskRow>,
}

/// Those at risk and the events at one event time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskRow {
    /// The event time.
    pub time: f64,
    /// Observations still at risk just before it.
    pub at_risk: usize,
    /// Events at it.
    pub events: usize,
}

/// The survival estimate after one event time, with its pointwise interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandStep {
    /// The event time.
    pub time: f64,
    /// Ŝ just after it.
    pub survival: f64,
    /// Greenwood's standard error of the cumulative hazard −log Ŝ (what R
    /// reports as `std.err`).
    pub std_err: f64,
    /// Lower bound (log-log); NaN where Ŝ = 0.
    pub low: f64,
    /// Upper bound (log-log); NaN where Ŝ = 0.
    pub high: f64,
}

/// A restricted mean survival time: the expected time to the event, or to
/// τ if it comes first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rmst {
    /// The horizon τ.
    pub tau: f64,
    /// ∫₀^τ Ŝ(t) dt.
    pub estimate: f64,
    /// Its standard error (Klein & Moeschberger 2003, eq. 4.5.2, the one R
    /// prints as `se(rmean)`).
    pub std_err: f64,
}

/// A log-rank test of two survival curves (independent samples).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogRank {
    /// Events observed in the first sample.
    pub observed: f64,
    /// Events expected in the first sample if both curves were the same.
    pub expected: f64,
    /// The chi-square statistic (1 degree of freedom).
    pub chi_square: f64,
    /// Its p-value; NaN when no event happened at all.
    pub p_value: f64,
}

impl KaplanMeier {
    /// The product-limit estimate Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) over event
    /// times tᵢ with dᵢ events among nᵢ still at risk. Ties between an event
    /// and a censoring count the censored one as still at risk (the usual
    /// convention). Non-finite times are ignored.
    pub fn estimate(observations: &[Observation]) -> Self {
        let mut obs: Vec<Observation> = observations
            .iter()
            .copied()
            .filter(|o| o.time.is_finite())
            .collect();
        obs.sort_by(|a, b| a.time.total_cmp(&b.time));
        let n = obs.len();
        let mut steps = vec![(0.0, 1.0)];
        let mut censored = Vec::new();
        let mut risk = Vec::new();
        let mut survival = 1.0;
        let mut at_risk = n;
        let mut i = 0;
        while i < n {
            let time = obs[i].time;
            let same = obs[i..].iter().take_while(|o| o.time == time).count();
            let deaths = obs[i..i + same].iter().filter(|o| o.event).count();
            if deaths > 0 {
                risk.push(RiskRow {
                    time,
                    at_risk,
                    events: deaths,
                });
                survival *= 1.0 - deaths as f64 / at_risk as f64;
                // Events at time 0 drop the curve from its start.
                match steps.last_mut() {
                    Some(last) if last.0 == time => last.1 = survival,
                    _ => steps.push((time, survival)),
                }
            }
            if deaths < same {
                censored.push((time, survival));
            }
            at_risk -= same;
            i += same;
        }
        Self {
            steps,
            censored,
            end: obs.last().map_or(0.0, |o| o.time),
            n,
            events: obs.iter().filter(|o| o.event).count(),
            risk,
        }
    }

    /// Ŝ(t): the survival estimate at time `t`.
    pub fn survival_at(&self, t: f64) -> f64 {
        self.steps
            .iter()
            .take_while(|(time, _)| *time <= t)
            .last()
            .map_or(1.0, |(_, s)| *s)
    }

    /// The estimate after every event time with its pointwise interval at
    /// confidence `level` (e.g. 0.95): Greenwood's variance, log-log
    /// transformed, as R's `survfit(..., conf.type = "log-log")`.
    pub fn band(&self, level: f64) -> Vec<BandStep> {
        let z = Normal::standard().inverse_cdf(0.5 + level / 2.0);
        let mut survival = 1.0;
        let mut greenwood = 0.0;
        self.risk
            .iter()
            .map(|r| {
                let (n, d) = (r.at_risk as f64, r.events as f64);
                survival *= 1.0 - d / n;
                greenwood += d / (n * (n - d));
                let std_err = greenwood.sqrt();
                let (low, high) = if survival > 0.0 && survival < 1.0 {
                    // g = log(−log Ŝ) has standard error se / |log Ŝ|.
                    let spread = z * std_err / survival.ln().abs();
                    (survival.powf(spread.exp()), survival.powf((-spread).exp()))
                } else {
                    (f64::NAN, f64::NAN)
                };
                BandStep {
                    time: r.time,
                    survival,
                    std_err,
                    low,
                    high,
                }
            })
            .collect()
    }

    /// The restricted mean survival time up to `tau`, with its standard
    /// error: Σⱼ Aⱼ² dⱼ / (nⱼ (nⱼ − dⱼ)) over event times tⱼ < τ, where Aⱼ
    /// is the area under Ŝ from tⱼ to τ.
    pub fn rmst(&self, tau: f64) -> Rmst {
        // Area under the step function from each step to τ, last first.
        let steps: Vec<(f64, f64)> = self
            .steps
            .iter()
            .copied()
            .take_while(|(t, _)| *t < tau)
            .collect();
        let mut after = vec![0.0; steps.len()];
        let mut area = 0.0;
        for k in (0..steps.len()).rev() {
            let next = steps.get(k + 1).map_or(tau, |s| s.0);
            area += steps[k].1 * (next - steps[k].0);
            after[k] = area;
        }
        let mut variance = 0.0;
        for r in self.risk.iter().filter(|r| r.time < tau) {
            let (n, d) = (r.at_risk as f64, r.events as f64);
            if n > d {
                let k = steps.iter().position(|s| s.0 == r.time).unwrap_or(0);
                variance += after[k] * after[k] * d / (n * (n - d));
            }
        }
        Rmst {
            tau,
            estimate: area,
            std_err: variance.sqrt(),
        }
    }
}

/// The log-rank test of `first` against `second` (R: `survdiff`): at every
/// distinct event time of the pooled samples, the events of the first
/// sample against those expected from its share of those at risk.
pub fn log_rank(first: &[Observation], second: &[Observation]) -> LogRank {
    let mut pooled: Vec<(f64, bool, bool)> = first
        .iter()
        .map(|o| (o.time, o.event, true))
        .chain(second.iter().map(|o| (o.time, o.event, false)))
        .filter(|o| o.0.is_finite())
        .collect();
    pooled.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut at_risk_first = pooled.iter().filter(|o| o.2).count() as f64;
    let mut at_risk = pooled.len() as f64;
    let (mut observed, mut expected, mut variance) = (0.0, 0.0, 0.0);
    let mut i = 0;
    while i < pooled.len() {
        let time = pooled[i].0;
        let same = pooled[i..].iter().take_while(|o| o.0 == time).count();
        let group = &pooled[i..i + same];
        let d = group.iter().filter(|o| o.1).count() as f64;
        let d_first = group.iter().filter(|o| o.1 && o.2).count() as f64;
        if d > 0.0 {
            let share = at_risk_first / at_risk;
            observed += d_first;
            expected += d * share;
            if at_risk > 1.0 {
                variance += d * share * (1.0 - share) * (at_risk - d) / (at_risk - 1.0);
            }
        }
        at_risk_first -= group.iter().filter(|o| o.2).count() as f64;
        at_risk -= same as f64;
        i += same;
    }
    let chi_square = if variance > 0.0 {
        (observed - expected).powi(2) / variance
    } else {
        f64::NAN
    };
    let p_value = if chi_square.is_finite() {
        ChiSquared::new(1.0)
            .expect("one degree of freedom is valid")
            .sf(chi_square)
    } else {
        f64::NAN
    };
    LogRank {
        observed,
        expected,
        chi_square,
        p_value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(time: f64, event: bool) -> Observation {
        Observation { time, event }
    }

    /// A textbook example: events at 1, 3, 3; censored at 2 and 5.
    #[test]
    fn product_limit_by_hand() {
        let km = KaplanMeier::estimate(&[
            obs(3.0, true),
            obs(1.0, true),
            obs(2.0, false),
            obs(3.0, true),
            obs(5.0, false),
        ]);
        // t=1: 5 at risk, 1 event → 0.8; t=3: 3 at risk, 2 events → 0.8·1/3.
        assert_eq!(km.steps.len(), 3);
        assert!((km.steps[1].1 - 0.8).abs() < 1e-12);
        assert!((km.steps[2].1 - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!(km.censored.len(), 2);
        assert_eq!(km.censored[0], (2.0, 0.8));
        assert_eq!(km.censored[1].0, 5.0);
        assert!((km.censored[1].1 - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!((km.end, km.n, km.events), (5.0, 5, 3));
        assert!((km.survival_at(2.9) - 0.8).abs() < 1e-12);
        assert_eq!(km.survival_at(0.5), 1.0);
    }

    #[test]
    fn all_censored_stays_at_one_and_all_events_reach_zero() {
        let none = KaplanMeier::estimate(&[obs(730.0, false); 4]);
        assert_eq!(none.steps, vec![(0.0, 1.0)]);
        assert_eq!(none.censored, vec![(730.0, 1.0)]);
        let all = KaplanMeier::estimate(&[obs(10.0, true), obs(20.0, true)]);
        assert_eq!(all.steps.last(), Some(&(20.0, 0.0)));
        let empty = KaplanMeier::estimate(&[]);
        assert_eq!((empty.n, empty.end), (0, 0.0));
    }

    /// The `aml` data of R's survival package (Miller 1981): maintained
    /// chemotherapy, weeks to relapse, `+` censored.
    fn aml_maintained() -> Vec<Observation> {
        [
            (9.0, true),
            (13.0, true),
            (13.0, false),
            (18.0, true),
            (23.0, true),
            (28.0, false),
            (31.0, true),
            (34.0, true),
            (45.0, false),
            (48.0, true),
            (161.0, false),
        ]
        .iter()
        .map(|&(t, e)| obs(t, e))
        .collect()
    }

    fn aml_nonmaintained() -> Vec<Observation> {
        [
            (5.0, true),
            (5.0, true),
            (8.0, true),
            (8.0, true),
            (12.0, true),
            (16.0, false),
            (23.0, true),
            (27.0, true),
            (30.0, true),
            (33.0, true),
            (43.0, true),
            (45.0, true),
        ]
        .iter()
        .map(|&(t, e)| obs(t, e))
        .collect()
    }

    fn close(got: f64, want: f64) {
        assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
    }

    /// R 4.2.2, survival 3.5-3: `survfit(Surv(time, status) ~ 1,
    /// data = aml[aml$x == "Maintained", ], conf.type = "log-log")`.
    #[test]
    fn band_matches_r_survfit_log_log() {
        let km = KaplanMeier::estimate(&aml_maintained());
        let band = km.band(0.95);
        // (time, surv, std.err, lower, upper) at each event time.
        let want = [
            (
                9.0,
                0.909090909090909,
                0.0953462589245592,
                0.5080802057699297,
                0.986673822667823,
            ),
            (
                13.0,
                0.818181818181818,
                0.1421338109037403,
                0.4474286146821814,
                0.951162228582492,
            ),
            (
                18.0,
                0.715909090909091,
                0.1950875779212071,
                0.3501903859079384,
                0.899023974191053,
            ),
            (
                23.0,
                0.613636363636364,
                0.2487341690815455,
                0.2657520400012861,
                0.835299243250221,
            ),
            (
                31.0,
                0.490909090909091,
                0.334467766561573,
                0.1673309097768508,
                0.753399790370811,
            ),
            (
                34.0,
                0.368181818181818,
                0.4418167269377883,
                0.0928295749369852,
                0.657040832398164,
            ),
            (
                48.0,
                0.184090909090909,
                0.8337877548885089,
                0.0117384801231896,
                0.525014842726641,
            ),
        ];
        assert_eq!(band.len(), want.len());
        for (b, w) in band.iter().zip(want) {
            close(b.time, w.0);
            close(b.survival, w.1);
            close(b.std_err, w.2);
            close(b.low, w.3);
            close(b.high, w.4);
        }
    }

    /// R: `print(survfit(...), rmean = 40)` on the maintained arm gives
    /// rmean 28.8977272727273, se 3.4675776788916; on both arms pooled
    /// with `rmean = 100`, 31.31262939958592 and 5.78644468019969.
    #[test]
    fn rmst_matches_r_rmean() {
        let r = KaplanMeier::estimate(&aml_maintained()).rmst(40.0);
        close(r.estimate, 28.8977272727273);
        close(r.std_err, 3.4675776788916);
        let mut all = aml_maintained();
        all.extend(aml_nonmaintained());
        let r = KaplanMeier::estimate(&all).rmst(100.0);
        close(r.estimate, 31.31262939958592);
        close(r.std_err, 5.78644468019969);
        // No event before τ: the whole horizon, no uncertainty.
        let none = KaplanMeier::estimate(&[obs(730.0, false); 5]).rmst(365.0);
        assert_eq!((none.estimate, none.std_err), (365.0, 0.0));
    }

    /// R: `survdiff(Surv(time, status) ~ x, data = aml)`: chisq
    /// 3.3963886989776 on 1 df, p 0.0653393220405052.
    #[test]
    fn log_rank_matches_r_survdiff() {
        let t = log_rank(&aml_maintained(), &aml_nonmaintained());
        close(t.chi_square, 3.3963886989776);
        close(t.p_value, 0.0653393220405052);
        assert_eq!(t.observed, 7.0);
        let t = log_rank(&aml_nonmaintained(), &aml_maintained());
        close(t.chi_square, 3.3963886989776);
        // No event at all: no test.
        let none = log_rank(&[obs(5.0, false)], &[obs(5.0, false)]);
        assert!(none.p_value.is_nan());
    }

    #[test]
    fn survival_never_increases() {
        let data: Vec<Observation> = (0..50)
            .map(|i| obs(f64::from((i * 37) % 23), i % 3 != 0))
            .collect();
        let km = KaplanMeier::estimate(&data);
        // Events at time 0 lower the first step instead of adding one.
        assert_eq!(km.steps[0].0, 0.0);
        assert!(km.steps[0].1 < 1.0);
        for w in km.steps.windows(2) {
            assert!(w[1].1 <= w[0].1 && w[1].0 > w[0].0);
        }
    }
}
