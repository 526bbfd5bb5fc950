//! `stabsim sensitivity`: a Morris or Sobol design over parameter ranges,
//! run as a sweep (common random numbers, replicates averaged per design
//! point), analysed with [`crate::sensitivity`] per output measure.

use std::path::Path;

use super::design::{self, Range};
use super::measure::Measure;
use super::run::{SweepError, SweepResults, SweepSpec, simulate_kept, write_sweep};
use super::store::PointStore;
use crate::output::Staging;
use crate::scenario::Scenario;
use crate::sensitivity::{self, MorrisIndex, SobolIndex, noise_share};

/// The method and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Method {
    /// Morris screening: trajectories over a grid of levels.
    Morris {
        /// Trajectories.
        trajectories: usize,
        /// Grid levels (even).
        levels: usize,
        /// Trajectories drawn before the `trajectories` of largest spread
        /// are kept (Campolongo et al. 2007); ≤ `trajectories`: no
        /// selection.
        pool: usize,
    },
    /// Sobol indices: Saltelli sampling with `n` base rows.
    Sobol {
        /// Base rows, a power of two.
        n: usize,
    },
}

impl Method {
    /// The design over `ranges` (the Morris trajectories drawn from `seed`),
    /// and the Morris design when there is one.
    pub fn design(
        &self,
        ranges: &[Range],
        seed: u64,
    ) -> (design::Design, Option<sensitivity::MorrisDesign>) {
        match *self {
            Method::Morris {
                trajectories,
                levels,
                pool,
            } => {
                let m = sensitivity::morris_design_spread(
                    ranges.len(),
                    trajectories,
                    levels,
                    pool,
                    seed,
                );
                (design::from_unit(ranges, &m.unit), Some(m))
            }
            Method::Sobol { n } => {
                let unit = sensitivity::saltelli_design(n, ranges.len());
                (design::from_unit(ranges, &unit), None)
            }
        }
    }
}

/// One measure's analysis.
#[derive(Debug, Clone)]
pub struct MeasureResult {
    /// The measure as named (a `runs.csv` column, or `log1p:COL` …).
    pub measure: String,
    /// What it is, in words (the transform stated), for charts.
    pub label: String,
    /// Its name safe in a file name (charts).
    pub stem: String,
    /// Morris measures per parameter (Morris only).
    pub morris: Vec<MorrisIndex>,
    /// Sobol indices per parameter (Sobol only).
    pub sobol: Vec<SobolIndex>,
    /// Replicate noise, when there are two replicates or more (and every
    /// run defines the measure).
    pub noise: Option<sensitivity::NoiseShare>,
}

/// Bootstrap resamples of every interval.
pub const BOOTSTRAP: usize = 1000;

/// Analyses `measures` of a finished sweep (`COL`, `log1p:COL` or
/// `censored:COL`, see [`Measure`]; `horizon` is the run's last day, where
/// `censored:` censors). A measure undefined at some point (e.g. a
/// collapse day when a ceasefire held) is skipped; one constant over the
/// design gets empty Sobol indices; the second list says which and why.
pub fn analyze(
    method: &Method,
    morris: Option<&sensitivity::MorrisDesign>,
    k: usize,
    results: &SweepResults,
    measures: &[String],
    seed: u64,
    horizon: u32,
) -> (Vec<MeasureResult>, Vec<String>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for name in measures {
        let parsed = Measure::parse(name, &results.measures, "measure");
        let (runs, measure) =
            match parsed.and_then(|m| Ok((measure_runs(results, &m, horizon)?, m))) {
                Ok(runs_measure) => runs_measure,
                Err(why) => {
                    skipped.push(format!("{name}: {why}; not analysed"));
                    continue;
                }
            };
        // Replicates averaged per point after the transform, run by run.
        let y: Vec<f64> = runs
            .iter()
            .map(|reps| reps.iter().sum::<f64>() / reps.len() as f64)
            .collect();
        let noise = noise_share(&runs);
        let (morris_idx, sobol_idx) = match (method, morris) {
            (Method::Morris { .. }, Some(d)) => (
                sensitivity::morris_analyze(d, &y, BOOTSTRAP, seed),
                Vec::new(),
            ),
            _ if sensitivity::is_flat(&y) => {
                // No variance to share out: the indices are undefined (left
                // empty), said once rather than as NaN or rounding noise.
                skipped.push(format!(
                    "{name}: the same ({}) at every design point, so it has no variance to \
                     decompose; its Sobol indices are left empty (for a rare event, try a \
                     longer --ticks, more points, or a continuous measure such as \
                     censored:collapse_tick)",
                    y.first().copied().unwrap_or(f64::NAN)
                ));
                let undefined = SobolIndex {
                    s1: f64::NAN,
                    st: f64::NAN,
                    s1_ci: (f64::NAN, f64::NAN),
                    st_ci: (f64::NAN, f64::NAN),
                };
                (Vec::new(), vec![undefined; k])
            }
            _ => (
                Vec::new(),
                sensitivity::sobol_analyze(&y, k, BOOTSTRAP, seed),
            ),
        };
        out.push(MeasureResult {
            measure: name.clone(),
            label: measure.label(horizon),
            stem: measure.stem(),
            morris: morris_idx,
            sobol: sobol_idx,
            noise,
        });
    }
    (out, skipped)
}

/// Every run's value of `measure` (transformed), `[point][replicate]`;
/// an error saying why when no run of some point defines it.
fn measure_runs(
    results: &SweepResults,
    measure: &Measure,
    horizon: u32,
) -> Result<Vec<Vec<f64>>, String> {
    let m = results
        .measure(&measure.column)
        .ok_or_else(|| format!("no column {}", measure.column))?;
    results
        .values
        .iter()
        .map(|reps| {
            // A point's mean is over the runs that define the measure.
            let x: Vec<f64> = reps
                .iter()
                .filter_map(|r| measure.apply(r[m], horizon).filter(|v| v.is_finite()))
                .collect();
            (!x.is_empty()).then_some(x)
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| "undefined at some design point (no run defines it there)".to_string())
}

fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// `indices.csv`: a row per measure × parameter, long. Morris: mu,
/// mu_star (with its interval), sigma (with its interval); Sobol: s1 and
/// st with their intervals. The range each parameter was varied over is
/// on the row.
pub fn indices_csv(ranges: &[Range], results: &[MeasureResult]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let morris = results.iter().any(|r| !r.morris.is_empty());
    let mut header = vec!["measure", "parameter", "lo", "hi"];
    if morris {
        header.extend([
            "mu",
            "mu_star",
            "mu_star_low",
            "mu_star_high",
            "sigma",
            "sigma_low",
            "sigma_high",
        ]);
    } else {
        header.extend(["s1", "s1_low", "s1_high", "st", "st_low", "st_high"]);
    }
    w.write_record(&header)?;
    for r in results {
        for (i, range) in ranges.iter().enumerate() {
            let mut rec = vec![
                r.measure.clone(),
                range.key.clone(),
                num(range.lo),
                num(range.hi),
            ];
            if morris {
                let m = r.morris[i];
                rec.extend(
                    [
                        m.mu,
                        m.mu_star,
                        m.mu_star_ci.0,
                        m.mu_star_ci.1,
                        m.sigma,
                        m.sigma_ci.0,
                        m.sigma_ci.1,
                    ]
                    .map(num),
                );
            } else {
                let s = r.sobol[i];
                rec.extend([s.s1, s.s1_ci.0, s.s1_ci.1, s.st, s.st_ci.0, s.st_ci.1].map(num));
            }
            w.write_record(&rec)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// `noise.csv`: per measure, the share of variance that is replicate
/// noise, of single runs and of the point means the indices decompose.
pub fn noise_csv(results: &[MeasureResult], replicates: u32) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "measure",
        "replicates",
        "noise_share_of_runs",
        "noise_share_of_point_means",
    ])?;
    for r in results {
        let (a, b) = r.noise.map_or((String::new(), String::new()), |n| {
            (num(n.of_runs), num(n.of_means))
        });
        w.write_record([r.measure.clone(), replicates.to_string(), a, b])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Draws one measure's chart as PNG and SVG: the μ*–σ scatter (Morris)
/// or the index bars (Sobol), named `<method>_<measure>`.
fn write_chart(
    staging: &mut Staging,
    r: &MeasureResult,
    ranges: &[Range],
    base: &Scenario,
    replicates: u32,
) -> Result<(), SweepError> {
    let (label, scenario) = (&r.label, &base.name);
    use crate::plot::page::{render_png, render_svg};
    use crate::plot::sensitivity::{IndexChart, IndexRow, MorrisChart, MorrisPoint};
    let noise = r.noise.map_or(String::new(), |n| {
        format!(
            "; replicate noise {:.0} % of the variance of the point means",
            100.0 * n.of_means
        )
    });
    let replicates = match replicates {
        1 => "1 replicate per design point".to_string(),
        n => format!("{n} replicates per design point, averaged"),
    };
    let diagonal = if r.morris.is_empty() {
        ""
    } else {
        " The grey diagonal is σ = μ*: above it, interactions or non-linearity dominate."
    };
    let footnote = Some(format!(
        "{scenario}, {replicates}{noise}. 95 % bootstrap intervals.{diagonal} {}",
        crate::DISCLAIMER
    ));
    let (name, png, svg) = if !r.morris.is_empty() {
        let chart = MorrisChart {
            title: format!("Morris screening: {label}"),
            subtitle: Some("influence (μ*) against interactions and non-linearity (σ)".into()),
            footnote,
            points: ranges
                .iter()
                .zip(&r.morris)
                .map(|(range, m)| MorrisPoint {
                    label: chart_label(&range.key),
                    description: super::describe(&range.key).unwrap_or_default(),
                    mu_star: m.mu_star,
                    sigma: m.sigma,
                    mu_star_ci: m.mu_star_ci,
                })
                .collect(),
            labelled: 12,
        };
        (
            format!("morris_{}", r.stem),
            render_png(&chart, 1200, 800),
            render_svg(&chart, 1200, 800),
        )
    } else {
        let mut rows: Vec<IndexRow> = ranges
            .iter()
            .zip(&r.sobol)
            .map(|(range, s)| IndexRow {
                label: chart_label(&range.key),
                description: super::describe(&range.key).unwrap_or_default(),
                s1: (s.s1, s.s1_ci.0, s.s1_ci.1),
                st: (s.st, s.st_ci.0, s.st_ci.1),
            })
            .collect();
        rows.sort_by(|a, b| b.st.0.total_cmp(&a.st.0));
        let chart = IndexChart {
            title: format!("Sobol indices: {label}"),
            subtitle: Some("first order (alone) and total order (with interactions)".into()),
            footnote,
            rows,
        };
        (
            format!("sobol_{}", r.stem),
            render_png(&chart, 1200, 800),
            render_svg(&chart, 1200, 800),
        )
    };
    let plot = |e: crate::plot::PlotError| std::io::Error::other(e.to_string());
    staging.write(&format!("{name}.png"), &png.map_err(plot)?)?;
    staging.write(&format!("{name}.svg"), svg.map_err(plot)?.as_bytes())?;
    Ok(())
}

/// Runs a sensitivity analysis, keeping finished points in `store` (an
/// interrupted analysis's are not run again), and writes its folder `out`
/// atomically (see [`write_sensitivity`]).
#[allow(clippy::too_many_arguments)]
pub fn run_sensitivity(
    spec: &SweepSpec,
    method: &Method,
    morris: Option<&sensitivity::MorrisDesign>,
    ranges: &[Range],
    measures: &[String],
    out: &Path,
    command: &str,
    store: &PointStore,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<(Vec<MeasureResult>, Vec<String>, u32), SweepError> {
    let base = spec.check()?;
    let results = simulate_kept(spec, store, None, progress)?.complete();
    let (analysed, skipped) = write_sensitivity(
        out, spec, method, morris, ranges, measures, &base, &results, command,
    )?;
    Ok((analysed, skipped, results.replicates))
}

/// Analyses a finished sensitivity sweep and writes its folder `out`
/// atomically: the sweep's files (design, runs, points), `indices.csv`,
/// `noise.csv`, the charts and the manifest (a single machine's analysis,
/// or the merge of its shards: the same bytes). Returns the analysed
/// measures and the names of those skipped.
#[allow(clippy::too_many_arguments)]
pub fn write_sensitivity(
    out: &Path,
    spec: &SweepSpec,
    method: &Method,
    morris: Option<&sensitivity::MorrisDesign>,
    ranges: &[Range],
    measures: &[String],
    base: &Scenario,
    results: &SweepResults,
    command: &str,
) -> Result<(Vec<MeasureResult>, Vec<String>), SweepError> {
    let (analysed, skipped) = analyze(
        method,
        morris,
        ranges.len(),
        results,
        measures,
        base.run.seed,
        base.run.ticks,
    );
    let mut staging = Staging::create(out)?;
    staging.write("indices.csv", &indices_csv(ranges, &analysed)?)?;
    staging.write("noise.csv", &noise_csv(&analysed, results.replicates)?)?;
    for r in &analysed {
        write_chart(&mut staging, r, ranges, base, results.replicates)?;
    }
    write_sweep(&mut staging, spec, base, results, command)?;
    staging.commit()?;
    Ok((analysed, skipped))
}

/// A parameter's name on a chart: its key without the `mission.` prefix
/// that every mission parameter shares.
fn chart_label(key: &str) -> String {
    key.strip_prefix("mission.").unwrap_or(key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sobol indices of `log1p:civilian_deaths` where each run's deaths
    /// are e^(f ± 3 x3) − 1, f = x1 + 2 x2 (replicates ∓ a term in x3):
    /// transformed run by run and then averaged, the point means are f
    /// exactly, so S1 = 1/5, 4/5, 0 and x3 has no total effect. Applied
    /// to the averages (f + log cosh 3 x3) or not at all, x3 would show.
    #[test]
    fn log1p_is_applied_to_each_run_before_averaging() {
        let n = 1 << 12;
        let unit = sensitivity::saltelli_design(n, 3);
        let values = unit
            .iter()
            .map(|x| {
                let f = x[0] + 2.0 * x[1];
                [1.0, -1.0]
                    .map(|s| vec![Some((f + s * 3.0 * x[2]).exp() - 1.0)])
                    .to_vec()
            })
            .collect();
        let results = SweepResults {
            measures: vec!["civilian_deaths"],
            replicates: 2,
            seed: 1,
            values,
        };
        let method = Method::Sobol { n };
        let names = [
            "log1p:civilian_deaths".to_string(),
            "civilian_deaths".into(),
        ];
        let (got, skipped) = analyze(&method, None, 3, &results, &names, 1, 180);
        assert!(skipped.is_empty(), "{skipped:?}");
        let log = &got[0].sobol;
        for (i, s1) in [0.2, 0.8, 0.0].into_iter().enumerate() {
            assert!((log[i].s1 - s1).abs() < 0.02, "S1[{i}] = {}", log[i].s1);
            assert!((log[i].st - s1).abs() < 0.02, "ST[{i}] = {}", log[i].st);
        }
        assert!(log[2].st.abs() < 1e-9, "x3 has no effect: {}", log[2].st);
        assert_eq!(got[0].label, "log(1 + civilian_deaths), per run");
        assert_eq!(got[0].stem, "log1p_civilian_deaths");
        // Untransformed, x3 moves the averages (cosh) and shows.
        assert!(got[1].sobol[2].st > 0.05, "{}", got[1].sobol[2].st);
        // The noise is the replicate offsets of x3 alone.
        assert!(got[0].noise.unwrap().of_means > 0.0);
    }

    /// A measure constant over the design says so and leaves its indices
    /// empty (the rounding of a one-pass variance is not turned into
    /// indices); `censored:` turns an undefined day into the horizon.
    #[test]
    fn flat_and_undefined_measures_are_named_with_a_reason() {
        let unit = sensitivity::saltelli_design(8, 2);
        let values = unit
            .iter()
            .map(|x| vec![vec![Some(0.0), (x[0] > 0.5).then_some(10.0 * x[1])]])
            .collect();
        let results = SweepResults {
            measures: vec!["ceasefire_collapsed", "collapse_tick"],
            replicates: 1,
            seed: 1,
            values,
        };
        let names = [
            "ceasefire_collapsed".to_string(),
            "collapse_tick".into(),
            "censored:collapse_tick".into(),
        ];
        let (got, skipped) = analyze(&Method::Sobol { n: 8 }, None, 2, &results, &names, 1, 180);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].measure, "ceasefire_collapsed");
        assert!(got[0].sobol.iter().all(|s| s.s1.is_nan() && s.st.is_nan()));
        assert!(skipped[0].contains("left empty"));
        assert_eq!(got[1].measure, "censored:collapse_tick");
        assert!(
            got[1]
                .sobol
                .iter()
                .all(|s| s.s1.is_finite() && s.st.is_finite())
        );
        assert!(skipped[0].starts_with("ceasefire_collapsed: the same (0) at every design point"));
        assert!(skipped[1].starts_with("collapse_tick: undefined at some design point"));
    }
}
