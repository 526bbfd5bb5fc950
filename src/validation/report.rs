//! `stabsim validate` from start to finish: run the facts on every context,
//! the magnitudes and the patterns, then write the outputs folder
//! atomically: `facts.csv` (one row per check × context), `magnitudes.csv`,
//! `survival.csv`, `patterns.csv`, `ccdf.csv`, charts and `report.md`
//! (TRACE style: expectation, source, evidence, the measured difference
//! with its CI per context, pass or fail, the command that reproduces it).
//! Every file but `manifest.json` is the same byte for byte with any
//! thread count.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::contexts::{Context, RunSettings};
use super::facts::{self, FactResult, Status};
use super::magnitudes::{self, Curves, DoseRow, FORTNA, SurvivalRow};
use super::patterns::{self, Ccdf, PatternRow};
use super::runner::Tick;
use super::suite::Suite;
use crate::output::Staging;
use crate::plot::{self, Band, BandChart, SurvivalChart, SurvivalCurve};

/// What to run.
#[derive(Debug, Clone)]
pub struct ValidationOptions {
    /// Context files, in order.
    pub contexts: Vec<PathBuf>,
    /// Replicates and days of every arm.
    pub run: RunSettings,
    /// Days of the survival arms (at least 730 for Fortna's two years,
    /// unless quick).
    pub survival_ticks: u32,
    /// Worker threads (0: one per core); results do not depend on it.
    pub threads: usize,
    /// Run the magnitudes (dose–response, survival).
    pub magnitudes: bool,
    /// Run the pattern tests.
    pub patterns: bool,
    /// Where the Epstein scenarios are (the repository root).
    pub root: PathBuf,
    /// The command line, for the report.
    pub command: String,
}

/// Everything measured.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The suite run.
    pub suite: Suite,
    /// The contexts.
    pub contexts: Vec<Context>,
    /// Options.
    pub options: ValidationOptions,
    /// One per check × context, check-major.
    pub facts: Vec<FactResult>,
    /// Dose–response rows.
    pub doses: Vec<DoseRow>,
    /// Survival rows.
    pub survival: Vec<SurvivalRow>,
    /// Survival curves per context, or why not.
    pub curves: Vec<(String, Result<Curves, String>)>,
    /// Pattern rows.
    pub patterns: Vec<PatternRow>,
    /// CCDFs of daily civilian deaths per context.
    pub ccdfs: Vec<(String, Ccdf)>,
}

/// Replicates the whole validation will run (for a progress bar).
pub fn planned_replicates(suite: &Suite, options: &ValidationOptions) -> u64 {
    let n = options.contexts.len() as u64;
    let survival = RunSettings {
        ticks: options.survival_ticks,
        ..options.run
    };
    let mut total = n * facts::planned_replicates(suite, options.run);
    if options.magnitudes {
        total += n
            * (magnitudes::dose_replicates(options.run)
                + magnitudes::survival_replicates(survival));
    }
    if options.patterns {
        total += patterns::epstein_replicates(options.run) + n * u64::from(options.run.replicates);
    }
    total
}

/// Runs the validation; `tick` is called once per finished replicate.
pub fn run_validation(
    suite: Suite,
    contexts: Vec<Context>,
    options: ValidationOptions,
    tick: Tick<'_>,
) -> Validation {
    let (run, threads) = (options.run, options.threads);
    let mut facts = Vec::new();
    let mut per_context: Vec<Vec<FactResult>> = contexts
        .iter()
        .map(|c| facts::run_context(&suite, c, run, threads, tick))
        .collect();
    // Check-major: every context of a check together.
    for k in 0..suite.checks.len() {
        for rows in &mut per_context {
            facts.push(rows[k].clone());
        }
    }
    facts::adjust(&mut facts);
    let (mut doses, mut survival, mut curves) = (Vec::new(), Vec::new(), Vec::new());
    if options.magnitudes {
        let srun = RunSettings {
            ticks: options.survival_ticks,
            ..run
        };
        for c in &contexts {
            doses.extend(magnitudes::dose_response(c, run, threads, tick));
            match magnitudes::survival(c, srun, threads, tick) {
                Ok((rows, k)) => {
                    survival.extend(rows);
                    curves.push((c.name.clone(), Ok(k)));
                }
                Err(e) => curves.push((c.name.clone(), Err(e))),
            }
        }
    }
    let (mut pattern_rows, mut ccdfs) = (Vec::new(), Vec::new());
    if options.patterns {
        pattern_rows.extend(patterns::epstein_patterns(
            &options.root,
            run,
            threads,
            tick,
        ));
        for c in &contexts {
            let (rows, ccdf) = patterns::mission_patterns(c, run, threads, tick);
            pattern_rows.extend(rows);
            ccdfs.push((c.name.clone(), ccdf));
        }
    }
    Validation {
        suite,
        contexts,
        options,
        facts,
        doses,
        survival,
        curves,
        patterns: pattern_rows,
        ccdfs,
    }
}

/// A number as CSV writes it: shortest round-trip form, empty for NaN.
fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// A number for reading: four significant digits.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    if x == 0.0 {
        return "0".to_string();
    }
    let digits = (3 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
    format!("{x:.digits$}")
}

/// Whether an interval reached the level asked for.
fn reaches(level: f64) -> bool {
    level >= facts::LEVEL - 1e-9
}

/// A count for reading, with thousands separated ("12,400").
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A p-value for reading.
fn pval(p: f64) -> String {
    if !p.is_finite() {
        "–".to_string()
    } else if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut s = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    s.push('\n');
    s
}

/// A located error for a table cell: without the long list of accepted
/// keys (the CSV keeps it whole) and without characters that break tables.
fn brief(why: &str) -> String {
    let cut = why.find(" (expected one of").unwrap_or(why.len());
    why[..cut].replace('|', "/").replace('\n', " ")
}

fn reason(s: &Status) -> String {
    match s {
        Status::NotExpressible(r) => r.clone(),
        _ => String::new(),
    }
}

/// The columns of `facts.csv`.
pub const FACTS_COLUMNS: [&str; 24] = [
    "id",
    "part",
    "context",
    "lever",
    "condition",
    "arms",
    "measure",
    "expect",
    "margin",
    "arm_means",
    "estimate",
    "ci_low",
    "ci_high",
    "ci_level",
    "method",
    "n",
    "p",
    "p_holm",
    "mde_80",
    "replicates_needed",
    "status",
    "reason",
    "evidence",
    "source",
];

/// The index of a column of `facts.csv`.
fn col(name: &str) -> usize {
    FACTS_COLUMNS
        .iter()
        .position(|c| *c == name)
        .expect("a column of facts.csv")
}

/// How the rows of a run came out, check × context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// The interval on the expected side.
    pub pass: usize,
    /// The interval wholly on the other side (or beyond the margin).
    pub wrong_direction: usize,
    /// Neither, at the n run.
    pub inconclusive: usize,
    /// The check cannot run in that context.
    pub not_expressible: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pass, {} fail in the wrong direction, {} inconclusive at their n, {} not expressible",
            self.pass, self.wrong_direction, self.inconclusive, self.not_expressible
        )
    }
}

/// A result cell: "fail: inconclusive at n = 12" says the n.
fn verdict(r: &FactResult) -> String {
    match r.status {
        Status::Inconclusive => format!("fail: inconclusive at n = {}", r.n),
        ref st => st.label().to_string(),
    }
}

impl Validation {
    /// `facts.csv`: one row per check × context, then one per fact that no
    /// check expresses.
    pub fn facts_csv(&self) -> String {
        let mut s = csv_line(&FACTS_COLUMNS.map(String::from));
        for r in &self.facts {
            let c = &self.suite.checks[r.check];
            let f = self.suite.fact(&c.spec.id);
            let condition = if c.spec.condition.is_empty() {
                f.map_or(String::new(), |f| f.condition.clone())
            } else {
                c.spec.condition.clone()
            };
            s.push_str(&csv_line(&[
                c.spec.id.clone(),
                c.spec.part.clone(),
                r.context.clone(),
                f.map_or(String::new(), |f| f.lever.clone()),
                condition,
                c.spec.arm_names.join(" | "),
                c.spec.measure.clone(),
                c.expect.label().to_string(),
                num(r.margin),
                r.arm_means
                    .iter()
                    .map(|m| num(*m))
                    .collect::<Vec<_>>()
                    .join(" | "),
                num(r.estimate),
                num(r.low),
                num(r.high),
                num(r.level),
                r.method.to_string(),
                r.n.to_string(),
                num(r.p),
                num(r.p_holm),
                num(r.mde),
                r.replicates_needed.map_or(String::new(), |n| n.to_string()),
                r.status.label().to_string(),
                reason(&r.status),
                f.map_or(String::new(), |f| f.evidence.clone()),
                f.map_or(String::new(), |f| f.source.clone()),
            ]));
        }
        for u in &self.suite.unexpressible {
            let f = self.suite.fact(&u.id);
            let mut row = vec![String::new(); FACTS_COLUMNS.len()];
            row[col("id")] = u.id.clone();
            row[col("context")] = "all".into();
            row[col("lever")] = f.map_or(String::new(), |f| f.lever.clone());
            row[col("status")] = "not expressible".into();
            row[col("reason")] = u.reason.clone();
            row[col("evidence")] = f.map_or(String::new(), |f| f.evidence.clone());
            row[col("source")] = f.map_or(String::new(), |f| f.source.clone());
            s.push_str(&csv_line(&row));
        }
        s
    }

    /// `magnitudes.csv`.
    pub fn magnitudes_csv(&self) -> String {
        let mut s = csv_line(
            &[
                "context",
                "lever",
                "level",
                "personnel",
                "per_1000_residents",
                "measure",
                "mean_per_30_days",
                "ci_low",
                "ci_high",
                "ratio_to_none",
                "diff_vs_none_ci_low",
                "diff_vs_none_ci_high",
                "published_ratio",
                "published_source",
                "n",
                "reason",
            ]
            .map(String::from),
        );
        for r in &self.doses {
            s.push_str(&csv_line(&[
                r.context.clone(),
                r.lever.to_string(),
                num(r.level),
                num(r.personnel),
                num(r.per_1000),
                r.measure.to_string(),
                num(r.mean),
                num(r.low),
                num(r.high),
                num(r.ratio),
                num(r.diff_low),
                num(r.diff_high),
                num(r.published),
                r.source.to_string(),
                r.n.as_ref().map_or("0".to_string(), |n| n.to_string()),
                r.n.as_ref().err().cloned().unwrap_or_default(),
            ]));
        }
        s
    }

    /// `survival.csv`.
    pub fn survival_csv(&self) -> String {
        let mut s = csv_line(
            &[
                "context",
                "arm",
                "day",
                "survival",
                "ci_low",
                "ci_high",
                "fortna_2004",
                "collapses",
                "n",
                "log_rank_p",
            ]
            .map(String::from),
        );
        for r in &self.survival {
            s.push_str(&csv_line(&[
                r.context.clone(),
                r.arm.to_string(),
                r.day.to_string(),
                num(r.survival),
                num(r.low),
                num(r.high),
                num(r.fortna),
                r.events.to_string(),
                r.n.to_string(),
                num(r.log_rank_p),
            ]));
        }
        for (c, k) in &self.curves {
            if let Err(e) = k {
                s.push_str(&csv_line(&[c.clone(), format!("not expressible: {e}")]));
            }
        }
        s
    }

    /// `patterns.csv`.
    pub fn patterns_csv(&self) -> String {
        let mut s = csv_line(
            &[
                "id",
                "context",
                "statistic",
                "estimate",
                "ci_low",
                "ci_high",
                "n",
                "reference",
                "status",
                "reason",
            ]
            .map(String::from),
        );
        for r in &self.patterns {
            s.push_str(&csv_line(&[
                r.id.to_string(),
                r.context.clone(),
                r.statistic.to_string(),
                num(r.estimate),
                num(r.low),
                num(r.high),
                r.n.to_string(),
                r.reference.to_string(),
                r.status.label().to_string(),
                reason(&r.status),
            ]));
        }
        s
    }

    /// `ccdf.csv`: the empirical CCDF of daily civilian deaths per context.
    pub fn ccdf_csv(&self) -> String {
        let mut s = "context,daily_civilian_deaths,share_at_least\n".to_string();
        for (c, rows) in &self.ccdfs {
            for (v, p) in rows {
                s.push_str(&csv_line(&[c.clone(), num(*v), num(*p)]));
            }
        }
        s
    }

    /// How the check × context rows came out.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.facts {
            match r.status {
                Status::Pass => c.pass += 1,
                Status::WrongDirection => c.wrong_direction += 1,
                // A fact row never gets the pattern tests' bare fail or reported.
                Status::Inconclusive | Status::Fail | Status::Reported => c.inconclusive += 1,
                Status::NotExpressible(_) => c.not_expressible += 1,
            }
        }
        c
    }

    /// The facts the model cannot express in any context (listed apart
    /// from the check × context rows), as "; N facts … (T11, P03)", or
    /// nothing when there are none: the suite's unexpressible facts, then
    /// the pattern facts run whose every row is not expressible.
    pub fn unexpressible_note(&self) -> String {
        let mut ids: Vec<&str> = self
            .suite
            .unexpressible
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        for p in &self.patterns {
            let all_unexpressible = self
                .patterns
                .iter()
                .filter(|q| q.id == p.id)
                .all(|q| matches!(q.status, Status::NotExpressible(_)));
            if all_unexpressible && !ids.contains(&p.id) {
                ids.push(p.id);
            }
        }
        if ids.is_empty() {
            return String::new();
        }
        format!(
            "; {} facts not expressible in any context ({})",
            ids.len(),
            ids.join(", ")
        )
    }

    /// The command that reproduces one fact's rows (on the default
    /// contexts; add `--context FILE` for others).
    fn command_for(&self, id: &str) -> String {
        format!(
            "stabsim validate --only {id} --replicates {} --ticks {}",
            self.options.run.replicates, self.options.run.ticks
        )
    }

    /// The generated part of `docs/VALIDATION.md` (and of `report.md`).
    pub fn tables_markdown(&self) -> String {
        let mut s = String::new();
        let o = &self.options;
        let counts = self.counts();
        let _ = writeln!(
            s,
            "Generated by `{}`: {} replicates per arm, {} days (survival: {} days), common random numbers within each context. \
             {counts} (check × context rows){}.\n",
            o.command,
            o.run.replicates,
            o.run.ticks,
            o.survival_ticks,
            self.unexpressible_note()
        );
        s.push_str(
            "Counts and levels: Hodges–Lehmann estimate of the per-replicate contrast with the signed-rank interval; \
             sparse counts (integer contrasts, over a third zero or under six distinct sizes): mean contrast with the \
             exact sign-flip test and its inverted interval (MDE from the paired SD); yes/no: difference of paired proportions, Newcombe + exact McNemar. *Wrong direction*: the interval lies \
             wholly on the other side of zero (or beyond the margin) with p < 0.05. *Inconclusive*: it does not; \
             MDE is the effect this n detects with 80 % power (two-sided 5 %), *n needed* the replicates per arm the \
             observed effect would need.\n\n",
        );
        let _ = writeln!(s, "> {}\n", crate::DISCLAIMER);
        if o.run.replicates < 10 {
            let _ = writeln!(
                s,
                "> **Small n**: {} replicates per arm. Intervals are wide: many rows will be inconclusive at this n (see MDE and n needed), which is a lack of power, not a wrong sign.\n",
                o.run.replicates
            );
        }
        s.push_str("### Contexts\n\n| context | file | description |\n|---|---|---|\n");
        for c in &self.contexts {
            let _ = writeln!(
                s,
                "| {} | `{}` | {} |",
                c.name,
                c.file.display(),
                c.description
            );
        }
        s.push_str("\n### Stylized facts\n\n");
        let mut last_id = String::new();
        for r in &self.facts {
            let c = &self.suite.checks[r.check];
            if c.spec.id != last_id {
                last_id = c.spec.id.clone();
                if let Some(f) = self.suite.fact(&c.spec.id) {
                    let _ = writeln!(
                        s,
                        "#### {} {}\n\n*{}* → {}: expected **{}** ({}). Evidence: {}. Source: {}.\n",
                        f.id,
                        f.lever,
                        f.manipulation,
                        f.outcome,
                        f.expected,
                        f.condition,
                        f.evidence,
                        f.source
                    );
                }
            }
            if r.context == self.contexts[0].name {
                let cond = if c.spec.condition.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", c.spec.condition)
                };
                let note = if c.spec.note.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.spec.note)
                };
                let margin = if c.expect.uses_margin() {
                    format!(", margin {} of control", c.spec.margin)
                } else {
                    String::new()
                };
                // One arm: the measure is itself the contrast.
                let arms = match c.spec.arm_names.as_slice() {
                    [one] => format!("{one}, the measure itself"),
                    [control, rest @ ..] => format!("{} vs {control}", rest.join(" / ")),
                    [] => String::new(),
                };
                let _ = writeln!(
                    s,
                    "**{}**{cond}: `{}`, {arms}, expect **{}**{margin}{note}.\n\n\
                     | context | arm means (control first) | contrast [95 % CI] | method | n | p | Holm p | MDE (80 %) | n needed | result |\n|---|---|---|---|---|---|---|---|---|---|",
                    c.label(),
                    c.spec.measure,
                    c.expect.label()
                );
            }
            match &r.status {
                Status::NotExpressible(why) => {
                    let _ = writeln!(
                        s,
                        "| {} | – | – | – | – | – | – | – | – | not expressible: {} |",
                        r.context,
                        brief(why)
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} [{}, {}]{} | {} | {} | {} | {} | {} | {} | **{}** |",
                        r.context,
                        r.arm_means
                            .iter()
                            .map(|m| short(*m))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        short(r.estimate),
                        short(r.low),
                        short(r.high),
                        if reaches(r.level) {
                            String::new()
                        } else {
                            format!(" ({:.0} % reached)", 100.0 * r.level)
                        },
                        r.method,
                        r.n,
                        pval(r.p),
                        pval(r.p_holm),
                        short(r.mde),
                        r.replicates_needed.map_or("–".to_string(), count),
                        verdict(r)
                    );
                }
            }
            if self.contexts.last().is_some_and(|x| x.name == r.context) {
                let _ = writeln!(s, "\nReproduce: `{}`\n", self.command_for(&c.spec.id));
            }
        }
        if !self.suite.unexpressible.is_empty() {
            s.push_str(
                "### Facts the model cannot express\n\n| id | lever | why |\n|---|---|---|\n",
            );
            for u in &self.suite.unexpressible {
                let lever = self.suite.fact(&u.id).map_or("", |f| f.lever.as_str());
                let _ = writeln!(s, "| {} | {} | {} |", u.id, lever, u.reason);
            }
            s.push('\n');
        }
        if !self.doses.is_empty() {
            s.push_str(
                "### Published magnitudes: dose–response\n\n\
                 Per 30 days; ratio = mean over the no-force level's mean; the published ratio is HKS's at the same absolute personnel.\n\n\
                 | context | lever | personnel | per 1,000 residents | measure | mean [95 % CI] | ratio | published ratio | difference from none, 95 % CI |\n|---|---|---|---|---|---|---|---|---|\n",
            );
            for r in &self.doses {
                match &r.n {
                    Ok(_) => {
                        let _ = writeln!(
                            s,
                            "| {} | {} | {} | {} | {} | {} [{}, {}] | {} | {} | [{}, {}] |",
                            r.context,
                            r.lever,
                            short(r.personnel),
                            short(r.per_1000),
                            r.measure,
                            short(r.mean),
                            short(r.low),
                            short(r.high),
                            short(r.ratio),
                            short(r.published),
                            short(r.diff_low),
                            short(r.diff_high)
                        );
                    }
                    Err(e) => {
                        let _ = writeln!(
                            s,
                            "| {} | {} | {} | – | {} | not expressible: {} | | | |",
                            r.context,
                            r.lever,
                            short(r.level),
                            r.measure,
                            brief(e)
                        );
                    }
                }
            }
            s.push('\n');
        }
        if !self.survival.is_empty() || !self.curves.is_empty() {
            s.push_str(
                "### Published magnitudes: ceasefire survival\n\n\
                 Kaplan–Meier share of runs whose ceasefire still holds (collapse_tick, censored at the horizon), 95 % log-log band, next to Fortna (2004).\n\n\
                 | context | arm | day | model [95 % CI] | Fortna | collapses / runs | log-rank p |\n|---|---|---|---|---|---|---|\n",
            );
            for r in &self.survival {
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} [{}, {}] | {} | {} / {} | {} |",
                    r.context,
                    r.arm,
                    r.day,
                    short(r.survival),
                    short(r.low),
                    short(r.high),
                    r.fortna,
                    r.events,
                    r.n,
                    pval(r.log_rank_p)
                );
            }
            for (c, k) in &self.curves {
                if let Err(e) = k {
                    let _ = writeln!(s, "| {c} | – | – | not expressible: {e} | | | |");
                }
            }
            s.push('\n');
        }
        if !self.patterns.is_empty() {
            s.push_str("### Pattern tests\n\n| id | scenario / context | statistic | estimate [95 % CI] | n | criterion | result |\n|---|---|---|---|---|---|---|\n");
            for r in &self.patterns {
                let result = match &r.status {
                    Status::NotExpressible(w) => format!("not expressible: {w}"),
                    st => format!("**{}**", st.label()),
                };
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} [{}, {}] | {} | {} | {} |",
                    r.id,
                    r.context,
                    r.statistic,
                    short(r.estimate),
                    short(r.low),
                    short(r.high),
                    r.n,
                    r.reference,
                    result
                );
            }
            s.push('\n');
        }
        s
    }

    /// `report.md`: a title, what the document is, and the tables.
    pub fn report_markdown(&self) -> String {
        let mut s = String::from(
            "# stabsim validation report (TRACE)\n\n\
             Each stylized fact of the evidence base (`stylized_facts.csv`) is a directional test: the lever's arms run \
             with common random numbers on every context, and the 95 % interval of the paired difference must lie on the \
             expected side of zero (or within the stated margin for ~0). Charts: `dose_<context>_troops.png`, \
             `dose_<context>_police.png`, `survival_<context>.png`. See `docs/VALIDATION.md` for what is validated how.\n\n",
        );
        s.push_str(&self.tables_markdown());
        s
    }
}

/// A dose–response chart of one context and lever: model ratios to the
/// no-force level (band: the level's 95 % CI over the no-force mean) and
/// the published ratios.
fn dose_chart(v: &Validation, context: &str, lever: &str) -> Option<BandChart> {
    let rows: Vec<&DoseRow> = v
        .doses
        .iter()
        .filter(|r| r.context == context && r.lever == lever && r.n.is_ok())
        .collect();
    let mut bands = Vec::new();
    let mut x: Vec<f64> = Vec::new();
    for (label, _) in magnitudes::DOSE_MEASURES {
        let m: Vec<&&DoseRow> = rows.iter().filter(|r| r.measure == label).collect();
        if m.is_empty() || m.iter().any(|r| !r.ratio.is_finite()) {
            continue;
        }
        x = m.iter().map(|r| r.personnel).collect();
        let base = m[0].mean;
        bands.push(Band {
            label: format!("model: {label}"),
            p05: m.iter().map(|r| r.low / base).collect(),
            p50: m.iter().map(|r| r.ratio).collect(),
            p95: m.iter().map(|r| r.high / base).collect(),
        });
        if m.iter().all(|r| r.published.is_finite()) {
            let p: Vec<f64> = m.iter().map(|r| r.published).collect();
            bands.push(Band {
                label: format!("published (HKS): {label}"),
                p05: p.clone(),
                p50: p.clone(),
                p95: p,
            });
        }
    }
    if bands.is_empty() || x.len() < 2 {
        return None;
    }
    let what = if lever == "troops" {
        "Troops"
    } else {
        "Police officers"
    };
    Some(BandChart {
        title: format!("{what} and deaths, relative to none: {context}"),
        subtitle: Some("Model (line: ratio of means; band: 95 % CI of the level's mean) vs Hultman, Kathman & Shannon".into()),
        x_label: format!("{what} (absolute, as HKS count them)"),
        y_label: "Deaths per 30 days / deaths with none".into(),
        x,
        bands,
        footnote: Some(format!(
            "{} replicates per level · stabsim explores mechanisms, not a forecast",
            v.options.run.replicates
        )),
    })
}

fn survival_chart(v: &Validation, context: &str, curves: &Curves) -> SurvivalChart {
    let mut out: Vec<SurvivalCurve> = curves
        .iter()
        .map(|(arm, km)| SurvivalCurve {
            label: format!("model: {arm}"),
            steps: km.steps.clone(),
            censored: km.censored.clone(),
            end: km.end,
            band: km
                .band(facts::LEVEL)
                .iter()
                .map(|b| (b.time, b.low, b.high))
                .collect(),
        })
        .collect();
    for (k, label) in [
        (1, "Fortna 2004: with peacekeepers"),
        (2, "Fortna 2004: without"),
    ] {
        let mut steps = vec![(0.0, 1.0)];
        for row in FORTNA {
            steps.push((f64::from(row.0), if k == 1 { row.1 } else { row.2 }));
        }
        out.push(SurvivalCurve {
            label: label.into(),
            steps,
            censored: Vec::new(),
            end: 730.0,
            band: Vec::new(),
        });
    }
    SurvivalChart {
        title: format!("Ceasefire survival with and without a mission: {context}"),
        subtitle: Some(
            "Kaplan–Meier with 95 % log-log bands vs Fortna (2004) at 0.5, 1 and 2 years".into(),
        ),
        footnote: Some(format!(
            "{} replicates per arm; ticks: runs censored at the horizon; Fortna's published points (0.5, 1, 2 years) drawn as steps · stabsim explores mechanisms, not a forecast",
            v.options.run.replicates
        )),
        x_label: "Days since the ceasefire".into(),
        y_label: "Share of runs without collapse".into(),
        curves: out,
        emphasise_first: false,
    }
}

/// Writes the outputs folder `out` atomically (replacing an earlier one).
pub fn write_outputs(v: &Validation, out: &Path) -> io::Result<()> {
    let mut st = Staging::create(out)?;
    let plot_err = |e: plot::PlotError| io::Error::other(e.to_string());
    st.write("facts.csv", v.facts_csv().as_bytes())?;
    if v.options.magnitudes {
        st.write("magnitudes.csv", v.magnitudes_csv().as_bytes())?;
        st.write("survival.csv", v.survival_csv().as_bytes())?;
        for c in &v.contexts {
            for lever in ["troops", "police"] {
                if let Some(chart) = dose_chart(v, &c.name, lever) {
                    st.write(
                        &format!("dose_{}_{lever}.png", c.name),
                        &plot::render_png(&chart, 1200, 700).map_err(plot_err)?,
                    )?;
                }
            }
        }
        for (c, k) in &v.curves {
            if let Ok(k) = k {
                let chart = survival_chart(v, c, k);
                st.write(
                    &format!("survival_{c}.png"),
                    &plot::render_survival_png(&chart, 1200, 700).map_err(plot_err)?,
                )?;
            }
        }
    }
    if v.options.patterns {
        st.write("patterns.csv", v.patterns_csv().as_bytes())?;
        st.write("ccdf.csv", v.ccdf_csv().as_bytes())?;
    }
    st.write("report.md", v.report_markdown().as_bytes())?;
    let files: Vec<serde_json::Value> = st
        .written()
        .iter()
        .map(|w| serde_json::to_value(w).unwrap_or_default())
        .collect();
    let manifest = serde_json::json!({
        "disclaimer": crate::DISCLAIMER,
        "stabsim_version": env!("CARGO_PKG_VERSION"),
        "command": v.options.command,
        "replicates": v.options.run.replicates,
        "ticks": v.options.run.ticks,
        "survival_ticks": v.options.survival_ticks,
        "contexts": v.contexts.iter().map(|c| c.file.display().to_string()).collect::<Vec<_>>(),
        "files": files,
    });
    let mut text = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    text.push('\n');
    st.write(crate::output::MANIFEST, text.as_bytes())?;
    st.commit()?;
    Ok(())
}
