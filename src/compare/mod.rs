//! Mandates side by side: run several scenarios with common random numbers
//! (replicate i of every scenario has the same seed and one random stream
//! per process, so a lever changes only what it touches), then compare
//! them on measures of effectiveness with paired differences, charts and a
//! report.
//!
//! A comparison folder holds one `stabsim run` output folder per scenario
//! (the baseline first), `comparison.json` naming them, and the
//! comparison's own files: `moe.csv`, `runs.csv` (every run of every
//! scenario in one tidy table), the charts, `report.html`,
//! `report.md` and a manifest, committed atomically. Everything here is
//! drawn from the files on disk, so `stabsim plot` redraws it without
//! re-running.
//!
//! * [`analysis`]: measures, the statistic that fits each, adjusted
//!   p-values, the ranking, survival (pure);
//! * [`changes`]: what each scenario changes against the baseline;
//! * [`charts`]: the comparison's charts;
//! * [`file`]: comparison files (a named list of scenarios);
//! * [`folder`]: reading a comparison back;
//! * [`runs`]: the tidy table of every run of every scenario.
//! * [`uncertain`]: robustness over the plausible space (`--uncertain`).

pub mod analysis;
pub mod changes;
pub mod charts;
pub mod file;
pub mod folder;
pub mod runs;
pub mod shard;
pub mod uncertain;

use std::fmt::Write as _;
use std::path::Path;

pub use analysis::{CI_METHOD, MEASURES, MoeTable, measures_for, moe_table};
pub use file::{ComparisonFile, check_map_days};
pub use folder::{
    COMPARISON_FILE, ComparisonSpec, LoadError, ScenarioOutputs, read_comparison, short_name,
};

use crate::output::{Staging, WrittenFile};
use crate::plot::{self, PlotError};
use crate::report::{self, ChartEntry, ChartKind, ReportInput};

/// Chart size in pixels (PNG and SVG).
const CHART_SIZE: (u32, u32) = (1600, 1000);
/// Map figure size: four tall panels side by side.
const MAP_SIZE: (u32, u32) = (1400, 1000);
/// Animation frame size and delay.
const GIF_SIZE: (u32, u32) = (900, 640);
const GIF_DELAY_CS: u16 = 25;

/// Why the comparison's files could not be drawn or written.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// Reading the scenarios' outputs failed.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A chart could not be drawn.
    #[error("drawing chart: {0}")]
    Plot(#[from] PlotError),
    /// Writing failed.
    #[error("writing outputs: {0}")]
    Io(#[from] std::io::Error),
    /// A scenario's map is invalid.
    #[error("map: {0}")]
    Map(#[from] crate::scenario::MapError),
    /// Nothing to compare.
    #[error("{0}")]
    Empty(String),
}

/// What was drawn: the table and the files written.
#[derive(Debug)]
pub struct Drawn {
    /// The measures of effectiveness.
    pub table: MoeTable,
    /// Files written into the comparison folder, in order.
    pub files: Vec<WrittenFile>,
}

/// Draws the comparison of `outputs` (baseline first) into `dir`: moe.csv,
/// charts, report.html, report.md, comparison.json and a manifest, all
/// committed at once.
///
/// This updates an existing comparison folder (a redraw: the scenarios'
/// folders and anything else in it stay); a fresh comparison replaces its
/// folder whole through [`draw_staged`].
pub fn draw(
    dir: &Path,
    spec: &ComparisonSpec,
    outputs: &[ScenarioOutputs],
) -> Result<Drawn, CompareError> {
    check_drawable(outputs)?;
    let mut staging = Staging::update(dir)?;
    // A comparison run with --uncertain keeps its robustness files (and so
    // its report section and their entries in the manifest).
    for name in uncertain::FILES {
        if let Ok(bytes) = crate::scenario::input::read_regular(&dir.join(name)) {
            staging.write(name, &bytes)?;
        }
    }
    draw_inner(staging, spec, outputs, dir)
}

fn check_drawable(outputs: &[ScenarioOutputs]) -> Result<(), CompareError> {
    if outputs.is_empty() {
        return Err(CompareError::Empty("no scenarios to compare".to_string()));
    }
    Ok(folder::check_pairable(outputs)?)
}

/// Draws the comparison of `outputs` into `staging` and commits it. With a
/// staging from [`Staging::create`] whose [`Staging::path`] holds the
/// scenarios' run folders, the commit replaces the comparison folder as a
/// whole, so it holds exactly the files of this comparison.
pub fn draw_staged(
    staging: Staging,
    spec: &ComparisonSpec,
    outputs: &[ScenarioOutputs],
) -> Result<Drawn, CompareError> {
    let from = staging.path().to_path_buf();
    draw_inner(staging, spec, outputs, &from)
}

/// Draws into `staging`; the robustness section (if any) is read from
/// the files in `robust_dir`.
fn draw_inner(
    mut staging: Staging,
    spec: &ComparisonSpec,
    outputs: &[ScenarioOutputs],
    robust_dir: &Path,
) -> Result<Drawn, CompareError> {
    check_drawable(outputs)?;
    let base = &outputs[0];
    let horizon = base.scenario.run.ticks;
    let measured = outputs
        .iter()
        .map(folder::measure_table)
        .collect::<Result<Vec<_>, _>>()?;
    let runs: Vec<_> = measured.iter().collect();
    let table = moe_table(&runs, 0, horizon, &spec.weights);
    let order = rank_order(&table);

    staging.write(COMPARISON_FILE, spec.to_json().as_bytes())?;
    staging.write("moe.csv", moe_csv(outputs, &table, horizon).as_bytes())?;
    staging.write("runs.csv", &runs::runs_csv(outputs, &measured)?)?;

    let mut charts = Vec::new();
    let (w, h) = CHART_SIZE;
    let multiples = [
        (
            "violence_by_mandate",
            charts::by_mandate(
                outputs,
                "cumulative_civilian_deaths",
                "Civilian deaths since the ceasefire",
                "people (cumulative)",
            ),
            "Cumulative civilian deaths under each mandate (median and 5–95 % band), with the baseline's median dashed.",
        ),
        (
            "trust_by_mandate",
            charts::by_mandate(
                outputs,
                "trust_share",
                "Trust in the mission",
                "share of people",
            ),
            "Share of people trusting the mission under each mandate, with the baseline's median dashed.",
        ),
        (
            "key_metrics",
            charts::key_metrics(outputs, &table),
            "Key metrics over time for the baseline and the mandates placed best and worst by the ranking score.",
        ),
    ];
    for (stem, chart, caption) in &multiples {
        let png = plot::multiples::render_multiples_png(chart, w, h)?;
        let svg = plot::multiples::render_multiples_svg(chart, w, h)?;
        charts.push(save(
            &mut staging,
            stem,
            caption,
            &chart.title,
            png,
            Some(svg),
        )?);
    }
    if outputs.len() > 1 {
        let others: Vec<usize> = order.iter().copied().filter(|&s| s != 0).collect();
        let chart = charts::forest(outputs, &table, &others);
        let png = plot::forest::render_forest_png(&chart, w, h)?;
        let svg = plot::forest::render_forest_svg(&chart, w, h)?;
        let caption = "Paired differences from the baseline on the ranked measures, with 95 % confidence intervals (the statistic of each measure is in the method section); filled markers: significant after Holm's adjustment over the whole comparison. Every measure is in moe.csv.";
        charts.push(save(
            &mut staging,
            "forest",
            caption,
            &chart.title,
            png,
            Some(svg),
        )?);
    }
    let chart = charts::survival(outputs);
    let png = plot::survival::render_survival_png(&chart, w, h)?;
    let svg = plot::survival::render_survival_svg(&chart, w, h)?;
    let caption = "Kaplan–Meier estimate of the share of runs in which the ceasefire still holds, by day, with 95 % pointwise bands (Greenwood, log-log) for the baseline and the mandate with the most collapses.";
    charts.push(save(
        &mut staging,
        "survival",
        caption,
        &chart.title,
        png,
        Some(svg),
    )?);

    if let Some(frames) = base.frames.as_deref().filter(|f| !f.is_empty()) {
        let terrain = base.scenario.world.terrain()?;
        // frames.csv holds the regular grid and the map days exactly; each
        // map shows the incidents since the previous map, each animation
        // frame those since the previous animation frame.
        let last = frames.last().map_or(0, |f| f.tick);
        let grid =
            crate::output::regroup(frames, |t| t % crate::output::FRAME_EVERY == 0 || t == last);
        let at_days = crate::output::regroup(frames, |t| spec.map_days.contains(&t));
        // Maps share one incident scale, the animation another (its frames
        // span fewer days).
        let grid_max = charts::max_incidents(&grid);
        let all_exact = spec
            .map_days
            .iter()
            .all(|d| at_days.iter().any(|f| f.tick == *d));
        let max = if all_exact {
            charts::max_incidents(&at_days)
        } else {
            charts::max_incidents(&at_days).max(grid_max)
        };
        // The canvas fits the grid's shape (no blank band under wide maps).
        let (mw, mh) = match frames.first() {
            Some(f) => (
                MAP_SIZE.0,
                plot::map::fitted_height(
                    &charts::map(base, &terrain, f, max),
                    MAP_SIZE.0,
                    MAP_SIZE.1,
                )?,
            ),
            None => MAP_SIZE,
        };
        let mut drawn_ticks = Vec::new();
        for &day in &spec.map_days {
            // Folders written before map days were recorded exactly have
            // only the grid: the nearest day is drawn, and the caption says so.
            let (frame, exact) = match at_days.iter().find(|f| f.tick == day) {
                Some(f) => (f, true),
                None => match charts::frame_near(&grid, day) {
                    Some(f) => (f, false),
                    None => continue,
                },
            };
            if drawn_ticks.contains(&frame.tick) {
                continue;
            }
            drawn_ticks.push(frame.tick);
            let chart = charts::map(base, &terrain, frame, max);
            let stem = format!("map_day{:03}", frame.tick);
            let png = plot::map::render_map_png(&chart, mw, mh)?;
            let svg = plot::map::render_map_svg(&chart, mw, mh)?;
            let nearest = if exact {
                String::new()
            } else {
                format!(
                    " Day {day} was asked for but not recorded in this folder; day {} is the nearest recorded day.",
                    frame.tick
                )
            };
            let caption = format!(
                "The baseline's replicate 0 on day {}: terrain, who holds the ground, incidents since the previous map, and trust in the mission.{nearest}",
                frame.tick
            );
            charts.push(save(
                &mut staging,
                &stem,
                &caption,
                &chart.title,
                png,
                Some(svg),
            )?);
        }
        let maps: Vec<_> = grid
            .iter()
            .map(|f| charts::map(base, &terrain, f, grid_max))
            .collect();
        let (gw, gh) = match maps.first() {
            Some(m) => (
                GIF_SIZE.0,
                plot::map::fitted_height(m, GIF_SIZE.0, GIF_SIZE.1)?,
            ),
            None => GIF_SIZE,
        };
        let gif = plot::gif::render_gif(&maps, gw, gh, GIF_DELAY_CS)?;
        staging.write("animation.gif", &gif)?;
        charts.push(ChartEntry {
            file_stem: "animation".to_string(),
            caption: format!(
                "The baseline's replicate 0 on the map, one frame every {} days.",
                crate::output::FRAME_EVERY
            ),
            png: gif,
            alt: format!("Animated map of {} over the run", base.scenario.name),
            kind: ChartKind::Animation,
        });
    }

    let mut input = report_input(spec, outputs, &table, &order, charts);
    input
        .sections
        .extend(uncertain::report_section(robust_dir)?);
    staging.write("report.html", report::render_html(&input).as_bytes())?;
    staging.write("report.md", report::render_markdown(&input).as_bytes())?;
    let manifest = serde_json::json!({
        "stabsim_version": env!("CARGO_PKG_VERSION"),
        "kind": "comparison",
        "baseline": base.scenario.name,
        "scenarios": spec.scenarios,
        "files": staging.written(),
        "disclaimer": crate::DISCLAIMER,
    });
    let mut text = serde_json::to_string_pretty(&manifest).expect("plain data serialises");
    text.push('\n');
    staging.write(crate::output::MANIFEST, text.as_bytes())?;
    let files = staging.commit()?;
    Ok(Drawn { table, files })
}

/// Redraws every chart and the report of a comparison folder from its
/// files, without re-running: each scenario's own charts, then the
/// comparison's.
pub fn redraw_comparison(dir: &Path) -> Result<Drawn, CompareError> {
    check_manifest(dir)?;
    let spec = ComparisonSpec::read(dir)?;
    for s in &spec.scenarios {
        // A scenario's folder must be a plain, real folder inside this one:
        // a name with a separator or `..`, or a symlink, would carry the
        // redrawn charts and manifest out of the comparison folder.
        let path = dir.join(s);
        let plain = Path::new(s).components().count() == 1
            && matches!(
                Path::new(s).components().next(),
                Some(std::path::Component::Normal(_))
            );
        if !plain {
            return Err(LoadError::Mismatch(format!(
                "{}: scenario {s:?} is not a folder name inside the comparison folder \
                 (expected a plain name such as \"baseline\")",
                dir.join(COMPARISON_FILE).display()
            ))
            .into());
        }
        crate::output::refuse_symlink(&path)
            .map_err(|e| CompareError::Load(LoadError::Mismatch(e.to_string())))?;
        redraw_scenario(&path)?;
    }
    let (spec, outputs) = read_comparison(dir)?;
    draw(dir, &spec, &outputs)
}

/// Redraws a `stabsim run` output folder's own charts from its files and
/// updates their entries in its manifest.
pub fn redraw_scenario(dir: &Path) -> Result<Vec<WrittenFile>, CompareError> {
    let manifest_path = dir.join(crate::output::MANIFEST);
    let text =
        crate::scenario::input::read_text(&manifest_path).map_err(|source| LoadError::Io {
            path: manifest_path.display().to_string(),
            source,
        })?;
    let mut manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        LoadError::Read(crate::output::ReadError::content(
            &manifest_path,
            e.line() as u64,
            e.to_string(),
        ))
    })?;
    check_unchanged(dir, &manifest)?;
    let o = ScenarioOutputs::read(dir)?;
    let trace = match o.scenario.mission {
        // A folder written with `--outputs minimal` has no timeseries.csv.
        None if dir.join("timeseries.csv").exists() => {
            crate::output::read_first_trace(&dir.join("timeseries.csv"), "active")
                .map_err(LoadError::Read)?
        }
        None => None,
        Some(_) => None,
    };
    let mut staging = Staging::update(dir)?;
    for (name, chart) in crate::output::scenario_charts(&o.scenario, &o.bands, trace.as_deref()) {
        staging.write(
            &format!("{name}.png"),
            &plot::render_png(&chart, 1200, 700)?,
        )?;
        staging.write(
            &format!("{name}.svg"),
            plot::render_svg(&chart, 1200, 700)?.as_bytes(),
        )?;
    }
    let redrawn = staging.written().to_vec();
    if let Some(files) = manifest.get_mut("files").and_then(|f| f.as_array_mut()) {
        for w in &redrawn {
            let entry = serde_json::to_value(w).expect("plain data serialises");
            match files.iter_mut().find(|f| f["name"] == w.name.as_str()) {
                Some(f) => *f = entry,
                None => files.push(entry),
            }
        }
    }
    let mut text = serde_json::to_string_pretty(&manifest).expect("plain data serialises");
    text.push('\n');
    staging.write(crate::output::MANIFEST, text.as_bytes())?;
    Ok(staging.commit()?)
}

/// Checks a comparison folder's own data files (comparison.json, moe.csv)
/// against its manifest before anything is redrawn from them.
fn check_manifest(dir: &Path) -> Result<(), LoadError> {
    let path = dir.join(crate::output::MANIFEST);
    let text = crate::scenario::input::read_text(&path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        LoadError::Read(crate::output::ReadError::content(
            &path,
            e.line() as u64,
            e.to_string(),
        ))
    })?;
    check_unchanged(dir, &manifest)
}

/// Whether a data file of an output folder was edited after its run: a
/// chart redrawn from edited data would pose as the run's own. Charts and
/// reports (redrawn anyway) are not checked; a file the manifest lists
/// with a different SHA-256 is refused, naming the file.
fn check_unchanged(dir: &Path, manifest: &serde_json::Value) -> Result<(), LoadError> {
    let files = manifest
        .get("files")
        .and_then(|f| f.as_array())
        .map_or(&[][..], Vec::as_slice);
    for f in files {
        let (Some(name), Some(sha)) = (f["name"].as_str(), f["sha256"].as_str()) else {
            continue;
        };
        let redrawn = [".png", ".svg", ".gif", ".html", ".md"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if redrawn || name.contains('/') || name.contains('\\') {
            continue;
        }
        let path = dir.join(name);
        let digest = crate::output::sha256_file_hex(&path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })?;
        if digest != sha {
            return Err(LoadError::Mismatch(format!(
                "{}: changed since the run wrote it (its SHA-256 differs from {}'s); charts are \
                 redrawn only from unchanged outputs (expected the file as written, or a re-run)",
                path.display(),
                crate::output::MANIFEST
            )));
        }
    }
    Ok(())
}

/// Writes a chart's PNG (and SVG) and returns its report entry.
fn save(
    staging: &mut Staging,
    stem: &str,
    caption: &str,
    title: &str,
    png: Vec<u8>,
    svg: Option<String>,
) -> std::io::Result<ChartEntry> {
    staging.write(&format!("{stem}.png"), &png)?;
    if let Some(svg) = svg {
        staging.write(&format!("{stem}.svg"), svg.as_bytes())?;
    }
    Ok(ChartEntry {
        file_stem: stem.to_string(),
        caption: caption.to_string(),
        png,
        alt: title.to_string(),
        kind: ChartKind::Image,
    })
}

/// Scenario indices by place (best score first).
fn rank_order(table: &MoeTable) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.cells.len()).collect();
    order.sort_by_key(|&s| table.place[s]);
    order
}

/// The name of the statistic a measure's difference uses, for `moe.csv`.
fn test_name(kind: analysis::Kind) -> &'static str {
    match kind {
        analysis::Kind::Continuous => "paired t",
        analysis::Kind::Binary => "Newcombe interval, exact McNemar",
        analysis::Kind::TimeToEvent => "restricted mean, paired t; log-rank",
    }
}

/// `moe.csv`: one row per scenario and measure (tidy). `p_holm` adjusts
/// `p_value` over every row (Holm), `p_bh` likewise (Benjamini–Hochberg,
/// false discovery rate); `significant` is `p_holm < 0.05`.
pub fn moe_csv(outputs: &[ScenarioOutputs], table: &MoeTable, horizon: u32) -> String {
    let mut out = String::from(
        "scenario,title,measure,kind,day,better,n,mean,diff,diff_low,diff_high,test,p_value,\
         p_holm,p_bh,p_logrank,status,significant,rank,weight,score,place\n",
    );
    let num = crate::output::number_text;
    let quote = |t: &str| {
        if t.contains([',', '"', '\n']) {
            format!("\"{}\"", t.replace('"', "\"\""))
        } else {
            t.to_string()
        }
    };
    for (s, o) in outputs.iter().enumerate() {
        let title = scenario_title(&o.scenario.description, &o.scenario.name);
        for (m, measure) in table.measures.iter().enumerate() {
            let c = &table.cells[s][m];
            let nan = f64::NAN;
            let (n, d, lo, hi, p, ph, pbh, plr, status, sig) = match c.diff {
                Some(d) => (
                    d.n,
                    d.estimate,
                    d.low,
                    d.high,
                    d.p_value,
                    d.p_holm,
                    d.p_bh,
                    d.p_logrank,
                    d.status.note(),
                    d.significant().to_string(),
                ),
                None => (
                    o.runs.rows.len(),
                    nan,
                    nan,
                    nan,
                    nan,
                    nan,
                    nan,
                    nan,
                    "",
                    String::new(),
                ),
            };
            let status = if !c.reached && status.is_empty() {
                "not reached"
            } else {
                status
            };
            let mean = if c.reached {
                num(c.mean)
            } else {
                String::new()
            };
            let better = match measure.better {
                analysis::Better::Lower => "lower",
                analysis::Better::Higher => "higher",
            };
            let kind = match measure.kind {
                analysis::Kind::Continuous => "continuous",
                analysis::Kind::Binary => "binary",
                analysis::Kind::TimeToEvent => "time to event",
            };
            let day = measure.horizon.unwrap_or(horizon);
            let _ = writeln!(
                out,
                "{},{},{},{kind},{day},{better},{n},{mean},{},{},{},{},{},{},{},{},{status},{sig},{},{},{},{}",
                o.scenario.name,
                quote(&title),
                measure.key,
                num(d),
                num(lo),
                num(hi),
                quote(test_name(measure.kind)),
                num(p),
                num(ph),
                num(pbh),
                num(plr),
                c.rank,
                num(table.weights[m]),
                num(table.score[s]),
                table.place[s]
            );
        }
    }
    out
}

/// Title of a scenario: its description up to the first colon or full stop.
fn scenario_title(description: &str, name: &str) -> String {
    let end = description.find([':', '.']).unwrap_or(description.len());
    let title = description[..end].trim();
    if title.is_empty() {
        name.to_string()
    } else {
        title.to_string()
    }
}

fn report_input(
    spec: &ComparisonSpec,
    outputs: &[ScenarioOutputs],
    table: &MoeTable,
    order: &[usize],
    charts: Vec<ChartEntry>,
) -> ReportInput {
    let base = &outputs[0];
    let scenarios = outputs
        .iter()
        .enumerate()
        .map(|(s, o)| report::ScenarioEntry {
            name: o.short_name(&base.scenario.name),
            title: scenario_title(&o.scenario.description, &o.scenario.name),
            description: o.scenario.description.clone(),
            changes: if s == 0 {
                Vec::new()
            } else {
                changes::changes(&base.scenario, &o.scenario)
            },
            is_baseline: s == 0,
        })
        .collect();
    let measures = table
        .measures
        .iter()
        .map(|m| report::Measure {
            key: m.key.to_string(),
            label: m.label.to_string(),
            unit: m.unit.to_string(),
            direction: match m.better {
                analysis::Better::Lower => report::Direction::Lower,
                analysis::Better::Higher => report::Direction::Higher,
            },
        })
        .collect();
    let rows = outputs
        .iter()
        .enumerate()
        .map(|(s, o)| {
            let cells = table.cells[s]
                .iter()
                .map(|c| report::MoeCell {
                    mean: c.mean,
                    reached: c.reached,
                    diff: c.diff.map(|d| report::PairedCi {
                        estimate: d.estimate,
                        low: d.low,
                        high: d.high,
                        p_adjusted: d.p_holm,
                        note: d.status.note(),
                    }),
                    rank: c.rank,
                })
                .collect();
            (o.short_name(&base.scenario.name), cells)
        })
        .collect();
    ReportInput {
        title: format!("{}: mandate comparison", base.scenario.name),
        generated_by: format!("stabsim {}", env!("CARGO_PKG_VERSION")),
        command: spec.command.clone(),
        replicates: base.runs.rows.len() as u32,
        ticks: base.scenario.run.ticks,
        seed: base.scenario.run.seed,
        tick_unit: if base.scenario.mission.is_some() {
            "day"
        } else {
            "tick"
        }
        .to_string(),
        ci_method: CI_METHOD.to_string(),
        scenarios,
        moe: report::MoeTable {
            measures,
            rows,
            place: table.place.iter().map(|&p| p as f64).collect(),
            score: table.score.clone(),
        },
        ranking: ranking_text(table),
        findings: findings(outputs, table, order),
        charts,
        assumptions: assumptions(),
        disclaimer: crate::DISCLAIMER.to_string(),
        warnings: warnings(spec, outputs),
        sections: Vec::new(),
    }
}

/// What the reader must know first: variants that run exactly as the
/// baseline (see [`changes::erased_variants`]).
pub fn warnings(spec: &ComparisonSpec, outputs: &[ScenarioOutputs]) -> Vec<String> {
    let variants: Vec<_> = outputs.iter().skip(1).map(|o| &o.scenario).collect();
    changes::erased_variants(&outputs[0].scenario, &variants, &spec.overrides)
}

/// How the ranking was made, for the report: the measures and weights,
/// and the measures left out because every run ties.
fn ranking_text(table: &MoeTable) -> String {
    let used: Vec<String> = table
        .measures
        .iter()
        .zip(&table.weights)
        .filter(|(m, w)| **w > 0.0 && !table.tied.contains(&m.key))
        .map(|(m, w)| format!("{} (weight {w})", m.label.to_lowercase()))
        .collect();
    let mut text = format!(
        "Place and score: the weighted mean of standardised effects, (scenario mean − baseline \
         mean) / SD of every run of every scenario, signed so that positive is better, over {}. \
         Weights are set by weights = {{ measure = w }} in a comparison file.",
        if used.is_empty() {
            "no measure".to_string()
        } else {
            used.join(", ")
        }
    );
    if !table.tied.is_empty() {
        let tied: Vec<String> = table
            .measures
            .iter()
            .filter(|m| table.tied.contains(&m.key))
            .map(|m| m.label.to_lowercase())
            .collect();
        let _ = write!(
            text,
            " Left out because every run of every scenario has the same value: {}.",
            tied.join(", ")
        );
    }
    text
}

/// One sentence per scenario (by place) naming the differences that are
/// significant after Holm's adjustment over the whole comparison.
fn findings(outputs: &[ScenarioOutputs], table: &MoeTable, order: &[usize]) -> Vec<String> {
    let base = &outputs[0];
    let tests = table
        .cells
        .iter()
        .flatten()
        .filter(|c| c.diff.is_some_and(|d| d.p_value.is_finite()))
        .count();
    let mut out = vec![format!(
        "Significance below uses Holm-adjusted p-values (family-wise error 5 % over all {tests} \
         tests of this comparison: every mandate × measure); the intervals shown are unadjusted 95 % intervals."
    )];
    for &s in order.iter().filter(|&&s| s != table.baseline) {
        let name = outputs[s].short_name(&base.scenario.name);
        let key = |m: usize| table.weights[m] > 0.0 || table.measures[m].key == "ceasefire_held";
        let others = (0..table.measures.len())
            .filter(|&m| !key(m) && table.cells[s][m].diff.is_some_and(|d| d.significant()))
            .count();
        let parts: Vec<String> = table
            .measures
            .iter()
            .enumerate()
            .filter(|&(m, _)| key(m))
            .filter_map(|(m, measure)| {
                let d = table.cells[s][m].diff?;
                d.significant().then(|| {
                    let ci = report::PairedCi {
                        estimate: d.estimate,
                        low: d.low,
                        high: d.high,
                        p_adjusted: d.p_holm,
                        note: d.status.note(),
                    };
                    let better = match (measure.better, d.estimate < 0.0) {
                        (analysis::Better::Lower, true) | (analysis::Better::Higher, false) => {
                            "better"
                        }
                        _ => "worse",
                    };
                    format!(
                        "{} {} ({better}; Holm p {})",
                        measure.label.to_lowercase(),
                        report::format_difference(&ci, measure.unit),
                        format_p(d.p_holm)
                    )
                })
            })
            .collect();
        let mut line = if parts.is_empty() {
            format!(
                "{name}: no difference from the baseline on the ranked measures or ceasefire held \
                 is significant after Holm's adjustment."
            )
        } else {
            format!("{name} vs baseline: {}.", parts.join("; "))
        };
        if others > 0 {
            let _ = write!(
                line,
                " Significant on {others} further measure(s) (by perpetrator, rates, other \
                 horizons): see the tables and moe.csv."
            );
        }
        out.push(line);
    }
    out
}

/// A p-value for text after "p": "= 0.0123", or "< 0.0001" below.
fn format_p(p: f64) -> String {
    if p < 1e-4 {
        "< 0.0001".to_string()
    } else {
        format!("= {p:.4}")
    }
}

/// The key assumptions every comparison report states.
fn assumptions() -> Vec<String> {
    [
        "Every coefficient of the mission model is a named scenario parameter; nearly all are assumptions set for plausibility, not calibrated against data (docs/ODD.md lists each with its basis).",
        "Differences between mandates are model differences under common random numbers: they show what the modelled rules imply, not what a real mission would achieve.",
        "One agent stands for many people; fatalities and trust are in people, but events happen at the scale of agents and cells.",
        "Ceasefire collapse is a threshold on the 7-day mean of incidents held for a number of days; runs without collapse or handover are censored at the horizon, and times to event are compared by restricted means up to it (never as if observed).",
        "Known gaps are listed in docs/ODD.md §7.K (e.g. fighter deaths count as harm civilians witness; posture deterrence uses the mandate-wide share).",
    ]
    .map(String::from)
    .to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_descriptions() {
        assert_eq!(
            scenario_title("A larger force: twice the troops.", "x"),
            "A larger force"
        );
        assert_eq!(scenario_title("", "name"), "name");
        assert_eq!(scenario_title("Plain words.", "x"), "Plain words");
    }
}
