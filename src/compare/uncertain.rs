//! Robustness of a comparison over the plausible space (`stabsim compare
//! … --uncertain DESIGN`): how much of the space of uncertain parameters a
//! mandate beats the baseline in, and where it does not.
//!
//! The uncertain parameters are drawn as a Latin hypercube over their
//! ranges (their plausible ranges unless given); at every design point
//! every mandate runs the same replicates with the same seeds as the
//! baseline (common random numbers, paired within the point), through the
//! sweep runner ([`crate::sweep`]). Per mandate × measure:
//!
//! * a point counts as "beats" when the mean over replicates of the paired
//!   difference (mandate − baseline, signed so that positive is better)
//!   is positive; a tie (0) does not beat. The share of points that beat
//!   estimates the share of the plausible space, with Wilson's 95 %
//!   interval over the points (a Latin hypercube is close to independent
//!   uniform draws for this purpose; the interval is then slightly
//!   conservative).
//! * replicate noise: a point whose mean difference is within the paired
//!   t interval of zero (two replicates or more; a constant nonzero
//!   difference is distinguishable) is "undecided", and the share of such
//!   points is reported beside the share that beats; with one replicate it
//!   cannot be judged and is reported as such.
//! * PRIM ([`crate::sensitivity::prim`]) finds a box over the uncertain
//!   parameters where the mandate does *not* beat the baseline.
//!
//! Outputs: `uncertain.csv` (tidy: a row per point × scenario × replicate
//! with the point's values and every measure), `robustness.csv` and
//! `prim.csv`; the comparison report's section is rebuilt from the last
//! two ([`report_section`]), so `stabsim plot` redraws it.

use std::path::{Path, PathBuf};

use super::analysis::Better;
use crate::report::Section;
use crate::scenario::Scenario;
use crate::sensitivity::prim::{Prim, PrimOptions, prim};
use crate::stats::{RunningMoments, wilson};
use crate::sweep::design::{self, Design, Range, latin_hypercube};
use crate::sweep::store::{PointStore, SweepState};
use crate::sweep::{
    PointResults, SweepError, SweepResults, SweepSpec, scenario_params, simulate_kept,
};

/// The tidy per-run table.
pub const UNCERTAIN_CSV: &str = "uncertain.csv";
/// Shares of the space per mandate × measure.
pub const ROBUSTNESS_CSV: &str = "robustness.csv";
/// PRIM boxes per mandate × measure.
pub const PRIM_CSV: &str = "prim.csv";
/// Every file this analysis adds to a comparison folder.
pub const FILES: [&str; 3] = [UNCERTAIN_CSV, ROBUSTNESS_CSV, PRIM_CSV];

/// Normal quantile of the 95 % intervals.
const Z95: f64 = 1.959_963_984_540_054;

/// The measures judged (columns of the mission model's `runs.csv`), with
/// a label and which way is better.
pub const MEASURES: [(&str, &str, Better); 5] = [
    ("civilian_deaths", "civilian deaths", Better::Lower),
    (
        "attacks_on_mission",
        "attacks on the mission",
        Better::Lower,
    ),
    ("mean_trust", "time-averaged trust", Better::Higher),
    ("collapse_risk", "ceasefire collapse risk", Better::Lower),
    ("handover_achieved", "full handover", Better::Higher),
];

/// What `--uncertain` asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainSpec {
    /// Latin hypercube points (unused with an explicit design).
    pub points: usize,
    /// Parameters, with a range where given (else the plausible range);
    /// empty: every parameter with a plausible range that no mandate sets.
    pub params: Vec<(String, Option<(f64, f64)>)>,
    /// Replicates per point and scenario (default: the comparison's).
    pub replicates: Option<u32>,
    /// An explicit design (a CSV design file), instead of a hypercube.
    pub design: Option<Design>,
    /// Where the spec came from, for messages.
    pub source: String,
}

/// A design file in TOML.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    points: usize,
    #[serde(default)]
    params: Vec<String>,
    replicates: Option<u32>,
}

/// Parses `--uncertain DESIGN`: a CSV design file (one column per key,
/// one row per point), a TOML file (`points = 8`, optional `params =
/// ["key", "key=lo:hi"]` and `replicates = 2`), or inline text `N` or
/// `N:key,key=lo:hi,…`.
pub fn parse_spec(text: &str) -> Result<UncertainSpec, String> {
    let path = Path::new(text);
    let flag = "--uncertain";
    let looks_like_file = text.ends_with(".csv") || text.ends_with(".toml");
    if looks_like_file && !path.exists() {
        return Err(format!(
            "{flag}: {text}: no such file (expected a design file, .csv or .toml, or N[:key,key=lo:hi,…])"
        ));
    }
    if text.ends_with(".csv") {
        let body = crate::scenario::input::read_text(path).map_err(|e| format!("{text}: {e}"))?;
        let design = Design::from_csv(&body, text)?;
        return Ok(UncertainSpec {
            points: design.points.len(),
            params: Vec::new(),
            replicates: None,
            design: Some(design),
            source: text.to_string(),
        });
    }
    if text.ends_with(".toml") {
        let body = crate::scenario::input::read_text(path).map_err(|e| format!("{text}: {e}"))?;
        let file: SpecFile = toml::from_str(&body).map_err(|e| {
            let at = e
                .span()
                .map(|s| format!(":{}", body[..s.start].matches('\n').count() + 1))
                .unwrap_or_default();
            format!(
                "{text}{at}: {} (expected `points = N`, optional `params = [\"key\", \"key=lo:hi\"]` and `replicates = R`)",
                e.message()
            )
        })?;
        let mut params = Vec::new();
        for p in &file.params {
            params.push(parse_param(p, text)?);
        }
        return check_points(UncertainSpec {
            points: file.points,
            params,
            replicates: file.replicates,
            design: None,
            source: text.to_string(),
        });
    }
    let (n, rest) = match text.split_once(':') {
        Some((n, rest)) => (n, Some(rest)),
        None => (text, None),
    };
    let points: usize = n.trim().parse().map_err(|_| {
        format!(
            "{flag}: {text:?} is not a design (expected a design file, .csv or .toml, or N[:key,key=lo:hi,…] with N the number of Latin hypercube points)"
        )
    })?;
    let mut params = Vec::new();
    for p in rest.into_iter().flat_map(|r| r.split(',')) {
        params.push(parse_param(p.trim(), flag)?);
    }
    check_points(UncertainSpec {
        points,
        params,
        replicates: None,
        design: None,
        source: flag.to_string(),
    })
}

fn check_points(spec: UncertainSpec) -> Result<UncertainSpec, String> {
    if spec.points < 2 || spec.points > design::MAX_POINTS {
        return Err(format!(
            "{}: {} design points (expected 2..={} Latin hypercube points)",
            spec.source,
            spec.points,
            design::MAX_POINTS
        ));
    }
    if spec.replicates == Some(0) {
        return Err(format!(
            "{}: replicates = 0 (expected at least 1)",
            spec.source
        ));
    }
    Ok(spec)
}

fn parse_param(text: &str, what: &str) -> Result<(String, Option<(f64, f64)>), String> {
    if text.is_empty() {
        return Err(format!(
            "{what}: an empty parameter key (expected key or key=lo:hi)"
        ));
    }
    match text.split_once('=') {
        Some((k, r)) => Ok((
            k.trim().to_string(),
            Some(design::parse_range(r, &format!("{what} {}", k.trim()))?),
        )),
        None => Ok((text.to_string(), None)),
    }
}

/// Keys whose value differs between the baseline and some mandate: the
/// levers being compared, which an uncertain design must not overwrite.
pub fn levers(scenarios: &[&Scenario]) -> Vec<String> {
    let Some((base, others)) = scenarios.split_first() else {
        return Vec::new();
    };
    let base = scenario_params(base);
    let mut out = Vec::new();
    for s in others {
        let own = scenario_params(s);
        for (key, p) in &base {
            let differs = own
                .iter()
                .find(|(k, _)| k == key)
                .is_none_or(|(_, q)| q.value != p.value);
            if differs && !out.contains(key) {
                out.push(key.clone());
            }
        }
    }
    out
}

/// The design and the ranges PRIM's boxes start from. `levers` are the
/// keys the mandates differ in (refused if named; left out by default);
/// the hypercube is drawn from `seed`.
pub fn build_design(
    spec: &UncertainSpec,
    base: &Scenario,
    levers: &[String],
    seed: u64,
) -> Result<(Design, Vec<Range>), String> {
    let lever = |key: &str| {
        format!(
            "{}: `{key}` is a lever the mandates differ in (expected an uncertain parameter that every scenario shares)",
            spec.source
        )
    };
    if let Some(d) = &spec.design {
        let mut ranges = Vec::new();
        for (j, key) in d.keys.iter().enumerate() {
            if levers.contains(key) {
                return Err(lever(key));
            }
            let mut values = Vec::new();
            for (i, p) in d.points.iter().enumerate() {
                let v: f64 = p[j].parse().map_err(|_| {
                    format!(
                        "{}:{}: `{key}` = {:?} is not a number (expected numeric parameter values)",
                        spec.source,
                        i + 2,
                        p[j]
                    )
                })?;
                values.push(v);
            }
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            ranges.push(Range {
                key: key.clone(),
                lo,
                hi,
                scale: design::Scale::Real,
            });
        }
        return Ok((d.clone(), ranges));
    }
    let mut ranges: Vec<Range> = Vec::new();
    for (key, given) in &spec.params {
        if levers.contains(key) {
            return Err(lever(key));
        }
        if ranges.iter().any(|r| &r.key == key) {
            return Err(format!(
                "{}: `{key}` named twice (expected each key once)",
                spec.source
            ));
        }
        ranges.push(crate::sweep::range_for(base, key, *given, &spec.source)?);
    }
    if spec.params.is_empty() {
        ranges = crate::sweep::plausible_ranges(base)
            .into_iter()
            .filter(|r| !levers.contains(&r.key))
            .collect();
    }
    if ranges.is_empty() {
        return Err(format!(
            "{}: no uncertain parameters (expected keys with a plausible range, or key=lo:hi)",
            spec.source
        ));
    }
    let unit = latin_hypercube(spec.points, ranges.len(), seed);
    Ok((design::from_unit(&ranges, &unit), ranges))
}

/// One scenario of the comparison, as the sweep runner loads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Arm {
    /// Its short name (the comparison's).
    pub name: String,
    /// The scenario file.
    pub file: PathBuf,
    /// Its overrides, the run settings (replicates, seed, ticks) last.
    pub overrides: Vec<String>,
}

/// A planned robustness run: the arms, the design and the ranges PRIM
/// starts from.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Baseline first.
    pub arms: Vec<Arm>,
    /// The points.
    pub design: Design,
    /// The ranges the design spans.
    pub ranges: Vec<Range>,
    /// Worker threads (0 = one per core).
    pub threads: usize,
}

/// What a comparison shard records of its slice of the robustness run:
/// enough for `stabsim merge` to write `uncertain.csv`, `robustness.csv`
/// and `prim.csv` from the shards' kept points without the scenario files.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UncertainShard {
    /// The arms, baseline first.
    pub arms: Vec<Arm>,
    /// The design points.
    pub design: Design,
    /// The ranges the design spans.
    pub ranges: Vec<Range>,
    /// Each arm's state (see [`Plan::states`]).
    pub states: Vec<SweepState>,
}

/// The folder of a comparison shard that holds the robustness run's kept
/// points, one point store per arm (`uncertain-points/<arm>`).
pub const SHARD_POINTS: &str = "uncertain-points";

impl Plan {
    fn specs(&self) -> Vec<SweepSpec> {
        self.arms
            .iter()
            .map(|a| SweepSpec {
                file: a.file.clone(),
                base: a.overrides.clone(),
                design: self.design.clone(),
                threads: self.threads,
                transforms: Vec::new(),
            })
            .collect()
    }

    /// Checks every arm at every point before anything runs, so a bad
    /// value costs no half-done comparison.
    pub fn check(&self) -> Result<(), SweepError> {
        for s in self.specs() {
            s.check()?;
        }
        Ok(())
    }

    /// Runs every arm over the design, one after the other, each a sweep
    /// with the same seeds (common random numbers), at the points of shard
    /// `shard` (`K/N`: the points `p mod N = K`, so every arm of a point
    /// runs in the same shard and stays paired; all points without one)
    /// that `stores[arm]` does not hold yet, keeping each finished point
    /// there (a run killed mid-way resumes from them; a store that writes
    /// nowhere keeps nothing). `progress` gets the jobs done over all arms.
    /// Call [`Plan::check`] first.
    pub fn simulate_kept(
        &self,
        stores: &[PointStore],
        shard: Option<(u32, u32)>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<PointResults>, SweepError> {
        let mut out = Vec::new();
        let mut before = 0u64;
        for (s, store) in self.specs().iter().zip(stores) {
            let r = simulate_kept(s, store, shard, &|n| progress(before + n))?;
            before += (r.values.iter().flatten().count() * r.replicates as usize) as u64;
            out.push(r);
        }
        Ok(out)
    }

    /// What each arm's kept points belong to (its scenario, the design, the
    /// run settings): a resumed or merged shard must match it.
    pub fn states(&self) -> Result<Vec<SweepState>, SweepError> {
        self.specs()
            .iter()
            .map(|s| {
                let base = crate::scenario::load(&s.file, &s.base)
                    .map_err(|e| SweepError::Base(Box::new(e)))?;
                s.state(&base)
            })
            .collect()
    }

    /// Writes uncertain.csv, robustness.csv and prim.csv into `staging`
    /// and returns the standings.
    pub fn write(
        &self,
        staging: &mut crate::output::Staging,
        results: &[SweepResults],
    ) -> Result<Vec<Standing>, SweepError> {
        let names: Vec<String> = self.arms.iter().map(|a| a.name.clone()).collect();
        let standings = standings(&names, results);
        let replicates = results.first().map_or(0, |r| r.replicates);
        staging.write(
            UNCERTAIN_CSV,
            &uncertain_csv(&self.design, &names, results)?,
        )?;
        staging.write(
            ROBUSTNESS_CSV,
            &robustness_csv(&standings, replicates, self.ranges.len())?,
        )?;
        staging.write(PRIM_CSV, &prim_csv(&standings, &self.design, &self.ranges)?)?;
        Ok(standings)
    }
}

/// A mandate's standing on one measure over the design.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The mandate's name.
    pub mandate: String,
    /// The measure's column.
    pub measure: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Per point: `Some(true)` beats, `Some(false)` does not, `None` no
    /// pair defined the measure.
    pub beats: Vec<Option<bool>>,
    /// Per point: whether the mean difference is distinguishable from
    /// replicate noise (`None` with one replicate or no pairs).
    pub decided: Vec<Option<bool>>,
    /// Points where the mean difference is exactly zero.
    pub ties: usize,
}

impl Standing {
    /// Points with a defined difference.
    pub fn n(&self) -> usize {
        self.beats.iter().flatten().count()
    }
    /// Points where the mandate beats the baseline.
    pub fn wins(&self) -> usize {
        self.beats.iter().filter(|b| **b == Some(true)).count()
    }
    /// The share of points that beat, and its Wilson 95 % interval.
    pub fn share(&self) -> Option<(f64, f64, f64)> {
        let n = self.n();
        if n == 0 {
            return None;
        }
        let (lo, hi) = wilson(self.wins() as f64, n as f64, Z95);
        Some((self.wins() as f64 / n as f64, lo, hi))
    }
    /// Points whose sign is not distinguishable from replicate noise, of
    /// those where it could be judged (`None`: none could).
    pub fn undecided(&self) -> Option<(usize, usize)> {
        let judged: Vec<bool> = self.decided.iter().flatten().copied().collect();
        if judged.is_empty() {
            return None;
        }
        Some((judged.iter().filter(|d| !**d).count(), judged.len()))
    }
}

/// The paired standing of every mandate (arms 1..) against the baseline
/// (arm 0) on every measure of [`MEASURES`] the model has.
pub fn standings(names: &[String], results: &[SweepResults]) -> Vec<Standing> {
    let mut out = Vec::new();
    let Some(base) = results.first() else {
        return out;
    };
    for (s, r) in results.iter().enumerate().skip(1) {
        for (key, label, better) in MEASURES {
            let (Some(m), Some(mb)) = (r.measure(key), base.measure(key)) else {
                continue;
            };
            let sign = match better {
                Better::Lower => -1.0,
                Better::Higher => 1.0,
            };
            let mut beats = Vec::new();
            let mut decided = Vec::new();
            let mut ties = 0;
            for (p, reps) in r.values.iter().enumerate() {
                let d: RunningMoments = reps
                    .iter()
                    .zip(&base.values[p])
                    .filter_map(|(a, b)| Some(sign * (a[m]? - b[mb]?)))
                    .collect();
                if d.count() == 0 {
                    beats.push(None);
                    decided.push(None);
                    continue;
                }
                let mean = d.mean();
                if mean == 0.0 {
                    ties += 1;
                }
                beats.push(Some(mean > 0.0));
                decided.push(distinguishable(&d));
            }
            out.push(Standing {
                mandate: names[s].clone(),
                measure: key,
                label,
                beats,
                decided,
                ties,
            });
        }
    }
    out
}

/// Whether a mean paired difference is outside its paired t interval
/// (95 %) of zero; a difference with no spread is distinguishable unless
/// it is zero; `None` with fewer than two pairs.
fn distinguishable(d: &RunningMoments) -> Option<bool> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let n = d.count();
    if n < 2 {
        return None;
    }
    let sd = d.sd();
    if sd == 0.0 || !sd.is_finite() {
        return Some(d.mean() != 0.0);
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::INFINITY);
    Some(d.mean().abs() > t * sd / (n as f64).sqrt())
}

/// The PRIM options used: see [`PrimOptions::default`].
pub fn prim_options() -> PrimOptions {
    PrimOptions::default()
}

/// PRIM on the points where `s` does not beat the baseline.
pub fn discover(s: &Standing, design: &Design, ranges: &[Range]) -> (Prim, Vec<(f64, f64)>) {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (p, b) in s.beats.iter().enumerate() {
        let Some(b) = b else { continue };
        x.push(
            design.points[p]
                .iter()
                .map(|v| v.parse::<f64>().unwrap_or(f64::NAN))
                .collect::<Vec<f64>>(),
        );
        y.push(!b);
    }
    let bounds: Vec<(f64, f64)> = ranges.iter().map(|r| (r.lo, r.hi)).collect();
    (prim(&x, &y, &bounds, &prim_options()), bounds)
}

fn cell(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

/// `uncertain.csv`: a row per point × scenario × replicate.
pub fn uncertain_csv(
    design: &Design,
    names: &[String],
    results: &[SweepResults],
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let measures = results
        .first()
        .map(|r| r.measures.clone())
        .unwrap_or_default();
    let mut header = vec!["point".to_string()];
    header.extend(design.keys.iter().cloned());
    header.extend(["scenario", "replicate", "seed"].map(String::from));
    header.extend(measures.iter().map(|m| m.to_string()));
    w.write_record(&header)?;
    for p in 0..design.points.len() {
        for (name, r) in names.iter().zip(results) {
            for (i, row) in r.values[p].iter().enumerate() {
                let mut rec = vec![p.to_string()];
                rec.extend(design.points[p].iter().cloned());
                rec.extend([name.clone(), i.to_string(), r.seed.to_string()]);
                rec.extend(row.iter().map(|v| cell(*v)));
                w.write_record(&rec)?;
            }
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The header of `robustness.csv`.
const ROBUSTNESS_HEADER: [&str; 13] = [
    "mandate",
    "measure",
    "better",
    "points",
    "beats",
    "share",
    "ci_low",
    "ci_high",
    "ties",
    "undecided",
    "judged",
    "replicates",
    "parameters",
];

/// `robustness.csv`: a row per mandate × measure.
pub fn robustness_csv(
    standings: &[Standing],
    replicates: u32,
    parameters: usize,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ROBUSTNESS_HEADER)?;
    for s in standings {
        let better = MEASURES
            .iter()
            .find(|m| m.0 == s.measure)
            .map_or("", |m| match m.2 {
                Better::Lower => "lower",
                Better::Higher => "higher",
            });
        let share = s.share();
        let undecided = s.undecided();
        w.write_record([
            s.mandate.clone(),
            s.measure.to_string(),
            better.to_string(),
            s.n().to_string(),
            s.wins().to_string(),
            cell(share.map(|x| x.0)),
            cell(share.map(|x| x.1)),
            cell(share.map(|x| x.2)),
            s.ties.to_string(),
            undecided.map(|u| u.0.to_string()).unwrap_or_default(),
            undecided.map(|u| u.1.to_string()).unwrap_or_default(),
            replicates.to_string(),
            parameters.to_string(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The header of `prim.csv`.
const PRIM_HEADER: [&str; 15] = [
    "mandate",
    "measure",
    "cases",
    "points",
    "step",
    "steps",
    "meets_threshold",
    "threshold",
    "coverage",
    "density",
    "box_points",
    "parameter",
    "lower",
    "upper",
    "note",
];

/// `prim.csv`: per mandate × measure, a row per parameter the chosen box
/// restricts (its limits and the range it was drawn over), or one row with
/// a note when there is no box or it restricts nothing.
pub fn prim_csv(
    standings: &[Standing],
    design: &Design,
    ranges: &[Range],
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(PRIM_HEADER)?;
    let threshold = prim_options().threshold;
    for s in standings {
        let (r, bounds) = discover(s, design, ranges);
        let head = |step: String, meets: String, cov: String, den: String, bp: String| {
            vec![
                s.mandate.clone(),
                s.measure.to_string(),
                r.cases.to_string(),
                s.n().to_string(),
                step,
                (r.trajectory.len() - 1).to_string(),
                meets,
                format!("{threshold}"),
                cov,
                den,
                bp,
            ]
        };
        let Some(b) = r.chosen_box() else {
            let mut rec = head(
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            );
            rec.extend([String::new(), String::new(), String::new()]);
            rec.push("beats the baseline at every point: no box".to_string());
            w.write_record(&rec)?;
            continue;
        };
        let step = r.chosen.unwrap_or(0).to_string();
        let rec = || {
            head(
                step.clone(),
                r.meets_threshold.to_string(),
                format!("{}", b.coverage),
                format!("{}", b.density),
                b.points.to_string(),
            )
        };
        let restricted = b.restricted(&bounds);
        if restricted.is_empty() {
            let mut row = rec();
            row.extend([String::new(), String::new(), String::new()]);
            row.push("no parameter restricts: the whole space".to_string());
            w.write_record(&row)?;
        }
        for j in restricted {
            let mut row = rec();
            row.extend([
                ranges[j].key.clone(),
                format!("{}", b.lower[j]),
                format!("{}", b.upper[j]),
                format!("range {}:{}", ranges[j].lo, ranges[j].hi),
            ]);
            w.write_record(&row)?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

fn records(path: &Path) -> Result<Vec<csv::StringRecord>, std::io::Error> {
    let mut r = csv::Reader::from_reader(crate::scenario::input::open_regular(path)?);
    r.records()
        .collect::<Result<_, _>>()
        .map_err(std::io::Error::other)
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

/// The report section "Robustness over the plausible space", from the
/// `robustness.csv` and `prim.csv` in `dir`; `None` when there are none
/// (a comparison without `--uncertain`).
pub fn report_section(dir: &Path) -> Result<Option<Section>, std::io::Error> {
    let (rob, pri) = (dir.join(ROBUSTNESS_CSV), dir.join(PRIM_CSV));
    if !rob.exists() || !pri.exists() {
        return Ok(None);
    }
    let rob = records(&rob)?;
    let pri = records(&pri)?;
    let get = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").to_string();
    let label = |key: &str| {
        MEASURES
            .iter()
            .find(|m| m.0 == key)
            .map_or(key.to_string(), |m| m.1.to_string())
    };
    let (points, replicates, parameters) = rob
        .first()
        .map(|r| (get(r, 3), get(r, 11), get(r, 12)))
        .unwrap_or_default();
    let threshold = prim_options().threshold;
    let mut section = Section {
        id: "robustness".to_string(),
        title: "Robustness over the plausible space".to_string(),
        paragraphs: vec![
            format!(
                "Every mandate and the baseline were run at {points} points of a Latin hypercube over {parameters} uncertain parameters (their plausible ranges unless stated; the levers the mandates differ in are never varied), {replicates} replicate(s) per point with the same seeds in every scenario (common random numbers, paired within the point). A point counts as “beats” when the mean over replicates of the paired difference from the baseline is better for the mandate (a tie does not beat). The share of points that beat estimates the share of the plausible space where the mandate is better, with Wilson’s 95 % interval over the points. “Undecided” counts the points whose mean difference lies within the paired t interval (95 %) of zero, i.e. whose sign replicate noise could explain (not judged with one replicate)."
            ),
            format!(
                "Where a mandate does not beat the baseline, PRIM scenario discovery (Friedman and Fisher 1999; Bryant and Lempert 2010) peels the design 5 % at a time towards those points and reports the box with the largest coverage (share of the non-beating points inside it) among those with density (share of the box’s points that do not beat) of at least {}; when no box reaches it, the densest box is given and marked. The boxes come from few points and are exploratory: each says how many points it rests on, and a box whose density’s 95 % interval (Wilson) includes the base rate (the share of all points that do not beat) concentrates the failures no more than chance would, so it is marked a lead, not a finding. Data: {UNCERTAIN_CSV}, {ROBUSTNESS_CSV}, {PRIM_CSV}.",
                pct(threshold)
            ),
        ],
        table: vec![
            [
                "Mandate",
                "Measure",
                "Beats the baseline (share of points, 95 % CI)",
                "Undecided (noise)",
                "Where it does not beat (PRIM box)",
                "Coverage",
                "Density",
            ]
            .map(String::from)
            .to_vec(),
        ],
        items: Vec::new(),
    };
    for r in &rob {
        let (mandate, measure) = (get(r, 0), get(r, 1));
        let n = get(r, 3);
        let share = get(r, 5).parse::<f64>().ok();
        let (lo, hi) = (
            get(r, 6).parse::<f64>().unwrap_or(f64::NAN),
            get(r, 7).parse::<f64>().unwrap_or(f64::NAN),
        );
        let rows: Vec<&csv::StringRecord> = pri
            .iter()
            .filter(|p| get(p, 0) == mandate && get(p, 1) == measure)
            .collect();
        let limits: Vec<String> = rows
            .iter()
            .filter(|p| !get(p, 11).is_empty())
            .map(|p| {
                format!(
                    "{} in [{}, {}]",
                    get(p, 11),
                    short(&get(p, 12)),
                    short(&get(p, 13))
                )
            })
            .collect();
        let first = rows.first();
        let note = first.map(|p| get(p, 14)).unwrap_or_default();
        let coverage = first.and_then(|p| get(p, 8).parse::<f64>().ok());
        let density = first.and_then(|p| get(p, 9).parse::<f64>().ok());
        let meets = first.is_some_and(|p| get(p, 6) == "true");
        let support = first.and_then(|p| {
            let n = |i: usize| get(p, i).parse::<usize>().ok();
            Some(box_support(n(10)?, density?, n(2)?, n(3)?))
        });
        let box_text = if !limits.is_empty() {
            let mut t = limits.join("; ");
            if !meets {
                t.push_str(&format!(" (densest box; below {})", pct(threshold)));
            }
            if let Some(support) = &support {
                t.push_str(&format!(" [{support}]"));
            }
            t
        } else if note.is_empty() {
            "—".to_string()
        } else {
            note.clone()
        };
        let undecided = match (get(r, 9).parse::<usize>(), get(r, 10).parse::<usize>()) {
            (Ok(u), Ok(j)) if j > 0 => format!("{u} of {j}"),
            _ => "not judged (1 replicate)".to_string(),
        };
        let share_text = match share {
            Some(s) => format!("{} ({}–{}), {} of {n}", pct(s), pct(lo), pct(hi), get(r, 4)),
            None => "n/a".to_string(),
        };
        section.table.push(vec![
            mandate.clone(),
            label(&measure),
            share_text,
            undecided,
            box_text.clone(),
            coverage.map(pct).unwrap_or_else(|| "—".to_string()),
            density.map(pct).unwrap_or_else(|| "—".to_string()),
        ]);
        let sentence = match share {
            None => format!(
                "{mandate}: {} is undefined at every point.",
                label(&measure)
            ),
            Some(s) => {
                let mut t = format!(
                    "{mandate} beats the baseline on {} in {} of the plausible space (95 % CI {}–{}; {} of {n} points)",
                    label(&measure),
                    pct(s),
                    pct(lo),
                    pct(hi),
                    get(r, 4)
                );
                let ties = get(r, 8).parse::<usize>().unwrap_or(0);
                if ties > 0 {
                    t.push_str(&format!("; {ties} points tie"));
                }
                if !limits.is_empty() {
                    let densest = if meets {
                        ""
                    } else {
                        "; the densest box, below the threshold"
                    };
                    t.push_str(&format!(
                        "; it does not where {} (coverage {}, density {}{densest}{})",
                        limits.join(" and "),
                        coverage.map(pct).unwrap_or_default(),
                        density.map(pct).unwrap_or_default(),
                        support.map(|s| format!("; {s}")).unwrap_or_default(),
                    ));
                } else if !note.is_empty() && s < 1.0 {
                    t.push_str(&format!("; {note}"));
                }
                t.push('.');
                t
            }
        };
        section.items.push(sentence);
    }
    Ok(Some(section))
}

/// A limit for the report: four significant digits.
/// How much a PRIM box rests on: its `box_points` of the design's
/// `points`, and whether its density's 95 % Wilson interval includes the
/// base rate (`cases` of `points` do not beat): such a box concentrates the
/// failures no more than chance would, and is a lead, not a finding.
fn box_support(box_points: usize, density: f64, cases: usize, points: usize) -> String {
    let (lo, hi) = wilson(density * box_points as f64, box_points as f64, Z95);
    let base = cases as f64 / points.max(1) as f64;
    let mut t = format!("rests on {box_points} of {points} points");
    if lo <= base && base <= hi {
        t.push_str(&format!(
            "; its density's 95 % interval ({}–{}) includes the base rate {}: a lead, not a finding",
            pct(lo),
            pct(hi),
            pct(base)
        ));
    }
    t
}

fn short(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(x) if x != 0.0 && x.is_finite() => {
            let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
            format!("{x:.digits$}")
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_box_says_what_it_rests_on_and_whether_it_beats_the_base_rate() {
        // 6 of 8 box points fail against a base rate of 30 of 64: the
        // interval (41–93 %) includes 47 %, a lead.
        let weak = box_support(8, 0.75, 30, 64);
        assert!(
            weak.starts_with("rests on 8 of 64 points; its density's 95 % interval (41 %–93 %)"),
            "{weak}"
        );
        assert!(
            weak.ends_with("includes the base rate 47 %: a lead, not a finding"),
            "{weak}"
        );
        // 20 of 20 against 10 of 64: the interval excludes 16 %.
        assert_eq!(box_support(20, 1.0, 10, 64), "rests on 20 of 64 points");
    }

    use super::*;

    fn results(values: Vec<Vec<Vec<Option<f64>>>>) -> SweepResults {
        SweepResults {
            measures: vec!["civilian_deaths", "mean_trust"],
            replicates: values[0].len() as u32,
            seed: 1,
            values,
        }
    }

    #[test]
    fn a_point_beats_when_the_mean_paired_difference_favours_the_mandate() {
        // Three points, two replicates: deaths (lower is better), trust
        // (higher is better).
        let base = results(vec![
            vec![vec![Some(10.0), Some(0.5)], vec![Some(12.0), Some(0.5)]],
            vec![vec![Some(10.0), Some(0.5)], vec![Some(10.0), Some(0.5)]],
            vec![vec![Some(10.0), Some(0.5)], vec![None, Some(0.5)]],
        ]);
        let mandate = results(vec![
            // Fewer deaths in both pairs (−2, −2): beats, decided.
            vec![vec![Some(8.0), Some(0.6)], vec![Some(10.0), Some(0.4)]],
            // Equal deaths: a tie, not a win; trust +0.1 and −0.1: mean 0.
            vec![vec![Some(10.0), Some(0.6)], vec![Some(10.0), Some(0.4)]],
            // One pair only: deaths +1, worse; not judged.
            vec![vec![Some(11.0), Some(0.7)], vec![Some(9.0), Some(0.7)]],
        ]);
        let s = standings(&["base".into(), "m".into()], &[base, mandate]);
        assert_eq!(s.len(), 2);
        let deaths = &s[0];
        assert_eq!(deaths.measure, "civilian_deaths");
        assert_eq!(deaths.beats, vec![Some(true), Some(false), Some(false)]);
        assert_eq!(deaths.decided, vec![Some(true), Some(false), None]);
        assert_eq!(deaths.ties, 1);
        assert_eq!((deaths.n(), deaths.wins()), (3, 1));
        let (share, lo, hi) = deaths.share().unwrap();
        assert!((share - 1.0 / 3.0).abs() < 1e-12);
        // Wilson's interval for 1 of 3 (R: prop.test(1, 3, correct = FALSE)).
        assert!(
            (lo - 0.0615).abs() < 1e-3 && (hi - 0.7923).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(deaths.undecided(), Some((1, 2)));
        let trust = &s[1];
        // +0.1/−0.1 at point 0 is a mean of 0 (a tie); +0.2 at point 2.
        assert_eq!(trust.beats[2], Some(true));
        assert_eq!(trust.decided[2], Some(true));
    }

    #[test]
    fn specs_parse_and_refuse_with_a_message() {
        let s = parse_spec("8:mission.a,mission.b=0.1:0.5").unwrap();
        assert_eq!(s.points, 8);
        assert_eq!(
            s.params,
            vec![
                ("mission.a".to_string(), None),
                ("mission.b".to_string(), Some((0.1, 0.5)))
            ]
        );
        assert_eq!(parse_spec("12").unwrap().params, vec![]);
        for (bad, says) in [
            ("0", "0 design points"),
            ("x", "is not a design"),
            ("8:k=0.5:0.1", "is not a range"),
            ("8:", "empty parameter key"),
            ("nope.toml", "no such file"),
        ] {
            let e = parse_spec(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn limits_print_with_four_significant_digits() {
        assert_eq!(short("0.123456"), "0.1235");
        assert_eq!(short("1234.56"), "1235");
        assert_eq!(short("12.3456"), "12.35");
        assert_eq!(short("0"), "0");
    }
}
