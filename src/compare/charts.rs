//! The comparison's charts, built from the scenarios' outputs: bands per
//! mandate, small multiples of the key metrics, a forest plot of the
//! paired differences, Kaplan–Meier ceasefire survival, maps of the grid
//! and an animation of one replicate.

use plotters::style::RGBColor;

use super::analysis::{Better, CONFIDENCE, MoeTable, ceasefire_survival};
use super::folder::ScenarioOutputs;
use crate::mission::{Control, MapFrame};
use crate::plot::OKABE_ITO;
use crate::plot::forest::{self, ForestChart, ForestPanel, ForestRow};
use crate::plot::map::{ColourScale, MapChart, MapPanel, MapValues, Regions};
use crate::plot::multiples::{SmallMultiples, SmallPanel};
use crate::plot::survival::{SurvivalChart, SurvivalCurve};
use crate::scenario::{Terrain, TerrainMap};

/// Most mandates drawn in one chart with a colour each (the Okabe–Ito
/// palette has eight colours; beyond that lines stop being tellable apart).
pub const MAX_LINES: usize = 8;

/// The metrics of the key-metrics small multiples: (metric, title, unit).
pub const KEY_METRICS: [(&str, &str, &str); 9] = [
    (
        "cumulative_incidents",
        "Incidents (cumulative)",
        "incidents",
    ),
    ("trust_share", "Trusting the mission", "share of people"),
    ("legitimacy_mean", "Perceived legitimacy", "mean, 0 to 1"),
    ("active_share", "Active (protest, riot)", "share of people"),
    ("fighters", "Fighters", "people"),
    ("aid_coverage", "Aid coverage", "share of need"),
    ("services", "Services restored", "share of pre-war"),
    ("troops", "Troops deployed", "troops"),
    ("handover_share", "Sectors handed over", "share of sectors"),
];

fn x_days(o: &ScenarioOutputs) -> Vec<f64> {
    (0..o.bands.rows).map(|t| t as f64).collect()
}

fn footnote(outputs: &[ScenarioOutputs]) -> String {
    let b = &outputs[0];
    format!(
        "{} replicates per mandate (common random numbers), seed {}; lines: medians, shading: \
         5\u{2013}95 % of replicates. {}",
        b.runs.rows.len(),
        b.scenario.run.seed,
        crate::DISCLAIMER
    )
}

/// One panel per mandate: `metric`'s median and band, with the baseline's
/// median dashed in every panel.
pub fn by_mandate(
    outputs: &[ScenarioOutputs],
    metric: &str,
    title: &str,
    y_label: &str,
) -> SmallMultiples {
    let base = &outputs[0];
    let reference = base.bands.get(metric).map(|b| b.p50.clone());
    let panels = outputs
        .iter()
        .map(|o| SmallPanel {
            title: o.short_name(&base.scenario.name),
            y_label: y_label.to_string(),
            bands: vec![o.bands.band(metric, "mandate")],
            reference: reference.clone(),
        })
        .collect();
    SmallMultiples {
        title: format!("{title}, by mandate"),
        subtitle: Some(format!(
            "{}: every mandate against the baseline (dashed)",
            base.scenario.name
        )),
        footnote: Some(footnote(outputs)),
        x_label: "Day since the ceasefire".to_string(),
        x: x_days(base),
        columns: 5,
        legend: vec!["Mandate: median and 5\u{2013}95 % band".to_string()],
        reference_label: Some("Baseline median".to_string()),
        shared_y: true,
        emphasise_first: false,
        panels,
    }
}

/// The mandates drawn where only [`MAX_LINES`] fit: the baseline, then the
/// best and the worst by place, alternately.
pub fn highlighted(table: &MoeTable) -> Vec<usize> {
    let mut others: Vec<usize> = (0..table.cells.len())
        .filter(|&s| s != table.baseline)
        .collect();
    others.sort_by_key(|&s| table.place[s]);
    let mut picked = vec![table.baseline];
    let (mut lo, mut hi) = (0, others.len());
    while picked.len() < MAX_LINES && lo < hi {
        picked.push(others[lo]);
        lo += 1;
        if picked.len() < MAX_LINES && lo < hi {
            hi -= 1;
            picked.push(others[hi]);
        }
    }
    picked
}

/// One panel per key metric, one band per highlighted mandate (see
/// [`highlighted`]): the baseline the heavy dark line, the others thinner,
/// each named with its place by the weighted score, the best and the worst
/// said in the subtitle.
pub fn key_metrics(outputs: &[ScenarioOutputs], table: &MoeTable) -> SmallMultiples {
    let picked = highlighted(table);
    let base = &outputs[0];
    let n = outputs.len();
    let short = |s: usize| outputs[s].short_name(&base.scenario.name);
    let names: Vec<String> = picked
        .iter()
        .map(|&s| {
            if s == table.baseline && !short(s).contains("baseline") {
                format!("{} (baseline, #{} of {n})", short(s), table.place[s])
            } else {
                format!("{} (#{} of {n})", short(s), table.place[s])
            }
        })
        .collect();
    let panels = KEY_METRICS
        .iter()
        .map(|(metric, title, unit)| SmallPanel {
            title: title.to_string(),
            y_label: unit.to_string(),
            bands: picked
                .iter()
                .zip(&names)
                .map(|(&s, name)| outputs[s].bands.band(metric, name))
                .collect(),
            reference: None,
        })
        .collect();
    let shown = if picked.len() < outputs.len() {
        format!(
            "the baseline (heavy dark line) and the {} mandates placed best and worst of {}",
            picked.len() - 1,
            outputs.len() - 1
        )
    } else {
        "the baseline (heavy dark line) and every mandate".to_string()
    };
    let at_place = |place: usize| (0..n).find(|&s| table.place[s] == place).map(short);
    let ranking = match (at_place(1), at_place(n)) {
        (Some(best), Some(worst)) if n > 1 => {
            format!("; best by the weighted score: {best}, worst: {worst}")
        }
        _ => String::new(),
    };
    // Say which mandates are left out and why, so no reader takes the
    // chart for the whole comparison.
    let left_out: Vec<String> = (0..outputs.len())
        .filter(|s| !picked.contains(s))
        .map(short)
        .collect();
    let not_drawn = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            "{} not drawn (placed between those drawn; at most {MAX_LINES} lines can be told apart): {}. ",
            mandates(left_out.len()),
            left_out.join(", ")
        )
    };
    SmallMultiples {
        title: "Key metrics over time".to_string(),
        subtitle: Some(format!("{}: {shown}{ranking}", base.scenario.name)),
        footnote: Some(format!(
            "#k of {n}: place by the weighted score of the ranked measures (1 = best; see the \
             forest plot and moe.csv). {not_drawn}{}",
            footnote(outputs)
        )),
        x_label: "Day since the ceasefire".to_string(),
        x: x_days(base),
        columns: 3,
        legend: names,
        reference_label: None,
        shared_y: false,
        emphasise_first: true,
        panels,
    }
}

/// Paired differences from the baseline, one panel per headline measure
/// (those the ranking uses by default), rows in `order` (indices of
/// scenarios other than the baseline). The others are in `moe.csv` and the
/// report; the footnote says so.
pub fn forest(outputs: &[ScenarioOutputs], table: &MoeTable, order: &[usize]) -> ForestChart {
    let base = &outputs[0];
    let shown: Vec<usize> = (0..table.measures.len())
        .filter(|&m| table.measures[m].headline)
        .collect();
    let panels = shown
        .iter()
        .map(|&m| {
            let measure = &table.measures[m];
            ForestPanel {
                title: measure.label.to_string(),
                x_label: format!("Difference from baseline ({})", measure.unit),
                better: match measure.better {
                    Better::Lower => forest::Better::Lower,
                    Better::Higher => forest::Better::Higher,
                },
                rows: order
                    .iter()
                    .map(|&s| {
                        let d = table.cells[s][m].diff;
                        ForestRow {
                            label: outputs[s].short_name(&base.scenario.name),
                            estimate: d.map_or(f64::NAN, |d| d.estimate),
                            low: d.map_or(f64::NAN, |d| d.low),
                            high: d.map_or(f64::NAN, |d| d.high),
                            significant: d.is_some_and(|d| d.significant()),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let left_out = table.measures.len() - shown.len();
    ForestChart {
        title: "Each mandate against the baseline".to_string(),
        subtitle: Some(format!(
            "{}: paired difference and 95 % confidence interval over days 1 to {}",
            base.scenario.name, base.scenario.run.ticks
        )),
        footnote: Some(format!(
            "{} replicates with common random numbers. Continuous: paired t; times to event: \
             restricted means to the horizon, paired t. Filled: significant after Holm's \
             adjustment over the whole comparison. Not shown: {left_out} further measures (by \
             perpetrator, rates, other horizons, yes/no), in moe.csv and the report. n/a: not \
             reached (no run of either scenario had the event). {}",
            base.runs.rows.len(),
            crate::DISCLAIMER
        )),
        panels,
    }
}

/// Kaplan–Meier ceasefire survival: the baseline and the mandates whose
/// ceasefire collapsed most often (up to [`MAX_LINES`] curves).
pub fn survival(outputs: &[ScenarioOutputs]) -> SurvivalChart {
    let base = &outputs[0];
    let horizon = base.scenario.run.ticks;
    let km: Vec<_> = outputs
        .iter()
        .map(|o| ceasefire_survival(&o.runs, horizon))
        .collect();
    let mut order: Vec<usize> = (1..outputs.len()).collect();
    order.sort_by(|&a, &b| km[b].events.cmp(&km[a].events).then(a.cmp(&b)));
    let mut picked = vec![0];
    picked.extend(
        order
            .iter()
            .copied()
            .filter(|&s| km[s].events > 0)
            .take(MAX_LINES - 1),
    );
    let quiet: Vec<String> = order
        .iter()
        .filter(|&&s| km[s].events == 0)
        .map(|&s| outputs[s].short_name(&base.scenario.name))
        .collect();
    // Mandates with collapses that did not fit: named with their counts.
    let crowded: Vec<String> = order
        .iter()
        .copied()
        .filter(|&s| km[s].events > 0 && !picked.contains(&s))
        .map(|s| {
            format!(
                "{} ({} of {} collapsed)",
                outputs[s].short_name(&base.scenario.name),
                km[s].events,
                km[s].n
            )
        })
        .collect();
    let banded: Vec<usize> = picked.iter().copied().take(2).collect();
    let band_names: Vec<String> = banded
        .iter()
        .filter(|&&s| km[s].events > 0)
        .map(|&s| outputs[s].short_name(&base.scenario.name))
        .collect();
    let shaded = match band_names.len() {
        0 => "No band: no drawn curve has a collapse.".to_string(),
        n => format!(
            "Shaded: 95 % pointwise bands (Greenwood, log-log) of {}{}.",
            band_names.join(" and "),
            if picked.len() > n {
                "; the other curves' bands are left out so that the chart stays legible"
            } else {
                ""
            }
        ),
    };
    let curves = picked
        .iter()
        .map(|&s| SurvivalCurve {
            label: format!(
                "{} ({} of {} collapsed)",
                outputs[s].short_name(&base.scenario.name),
                km[s].events,
                km[s].n
            ),
            steps: km[s].steps.clone(),
            censored: km[s].censored.clone(),
            end: km[s].end,
            // Bands for the baseline and the mandate with the most
            // collapses only: more overlapping bands turn into one muddy
            // block. A curve without a collapse has no spread to show.
            band: if km[s].events > 0 && banded.contains(&s) {
                km[s]
                    .band(CONFIDENCE)
                    .iter()
                    .map(|b| (b.time, b.low, b.high))
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect();
    let rule = base.scenario.mission.as_ref().map_or(String::new(), |_| {
        "collapse: the first day a party to the ceasefire (armed group) is back at war".to_string()
    });
    let mut no_collapse = String::new();
    if !quiet.is_empty() {
        no_collapse.push_str(&format!(
            " {} not drawn, no collapse in any replicate (their curves stay at 1 to day {horizon}): {}.",
            mandates(quiet.len()),
            quiet.join(", ")
        ));
    }
    if !crowded.is_empty() {
        no_collapse.push_str(&format!(
            " {} not drawn, fewer collapses than those drawn (at most {MAX_LINES} curves can be told apart): {}.",
            mandates(crowded.len()),
            crowded.join(", ")
        ));
    }
    SurvivalChart {
        title: "Ceasefire survival (Kaplan\u{2013}Meier)".to_string(),
        subtitle: Some(format!("{}: {rule}", base.scenario.name)),
        footnote: Some(format!(
            "Runs without collapse are censored at day {horizon} (+). {shaded}{no_collapse} {}",
            crate::DISCLAIMER
        )),
        x_label: "Day since the ceasefire".to_string(),
        y_label: "Share of runs with the ceasefire holding".to_string(),
        curves,
        // The baseline as in key_metrics.png: the heavy dark line.
        emphasise_first: true,
    }
}

/// "1 mandate", "12 mandates".
fn mandates(n: usize) -> String {
    if n == 1 {
        "1 mandate".to_string()
    } else {
        format!("{n} mandates")
    }
}

/// Terrain classes and their colours, in legend order.
const TERRAIN: [(Terrain, &str, RGBColor); 8] = [
    (Terrain::Open, "open", RGBColor(0xEE, 0xE6, 0xCF)),
    (Terrain::Urban, "urban", RGBColor(0x99, 0x99, 0x99)),
    (Terrain::Rubble, "rubble", RGBColor(0x7A, 0x5C, 0x3A)),
    (Terrain::Crossing, "crossing", OKABE_ITO[0]),
    (Terrain::Buffer, "buffer zone", OKABE_ITO[6]),
    // Border bright yellow, blocked near-black: apart in lightness, so
    // that no reader (colour-blind or in greyscale) takes one for the other.
    (Terrain::Border, "border", OKABE_ITO[3]),
    (Terrain::Sea, "sea", OKABE_ITO[1]),
    (Terrain::Blocked, "blocked", RGBColor(0x22, 0x22, 0x22)),
];

/// Control classes and their colours, in [`Control`] code order.
const CONTROL: [RGBColor; 5] = [
    OKABE_ITO[2],               // police: bluish green
    OKABE_ITO[4],               // mission: blue
    OKABE_ITO[0],               // contested: orange
    OKABE_ITO[5],               // armed groups: vermillion
    RGBColor(0xFF, 0xFF, 0xFF), // no presence: white, apart from no data's grey
];

/// No-data code of a categorical map.
const NO_DATA: u8 = 255;

fn terrain_panel(terrain: &TerrainMap) -> MapPanel {
    let values = terrain
        .cells
        .iter()
        .map(|t| {
            TERRAIN
                .iter()
                .position(|(x, _, _)| x == t)
                .map_or(NO_DATA, |k| k as u8)
        })
        .collect();
    MapPanel {
        title: "Terrain".to_string(),
        values: MapValues::Categorical {
            values,
            categories: TERRAIN
                .iter()
                .map(|(_, name, c)| (name.to_string(), *c))
                .collect(),
        },
    }
}

/// The four panels of one frame: terrain, control, incidents (since the
/// previous frame, on a scale up to `max_incidents`) and trust.
fn frame_panels(terrain: &TerrainMap, f: &MapFrame, max_incidents: f64) -> Vec<MapPanel> {
    let control = f
        .control
        .iter()
        .map(|c| c.map_or(NO_DATA, Control::code))
        .collect();
    let incidents = incident_density(f);
    vec![
        terrain_panel(terrain),
        MapPanel {
            title: "Who holds the ground".to_string(),
            values: MapValues::Categorical {
                values: control,
                categories: Control::ALL
                    .iter()
                    .map(|c| (c.label().to_string(), CONTROL[c.code() as usize]))
                    .collect(),
            },
        },
        MapPanel {
            title: "Incidents since last map".to_string(),
            values: MapValues::Continuous {
                values: incidents,
                min: 0.0,
                max: max_incidents.max(1.0),
                label: format!(
                    "incidents within {DENSITY_RADIUS} cells (a {0}\u{d7}{0} square)",
                    2 * DENSITY_RADIUS + 1
                ),
                scale: ColourScale::Heat,
            },
        },
        MapPanel {
            title: "Trust in the mission".to_string(),
            values: MapValues::Continuous {
                values: f.trust.iter().map(|&t| f64::from(t)).collect(),
                min: 0.0,
                max: 1.0,
                label: "mean trust of residents (0 to 1)".to_string(),
                scale: ColourScale::Viridis,
            },
        },
    ]
}

/// Cells around each cell whose incidents the map adds up: a single cell
/// with an incident is one pixel on a map of thousands of cells; the
/// density over a small square shows where violence clusters.
pub const DENSITY_RADIUS: usize = 2;

/// Each passable cell's incidents within [`DENSITY_RADIUS`] cells (a
/// square), NaN where impassable: what the incidents panel shows.
pub fn incident_density(f: &MapFrame) -> Vec<f64> {
    let (w, h, r) = (f.width, f.height, DENSITY_RADIUS);
    // Sums over squares from a table of prefix sums: linear in the cells.
    let mut prefix = vec![0u64; (w + 1) * (h + 1)];
    for y in 0..h {
        for x in 0..w {
            prefix[(y + 1) * (w + 1) + x + 1] = u64::from(f.incidents[y * w + x])
                + prefix[y * (w + 1) + x + 1]
                + prefix[(y + 1) * (w + 1) + x]
                - prefix[y * (w + 1) + x];
        }
    }
    (0..w * h)
        .map(|i| {
            if f.control[i].is_none() {
                return f64::NAN;
            }
            let (x, y) = (i % w, i / w);
            let (x0, y0) = (x.saturating_sub(r), y.saturating_sub(r));
            let (x1, y1) = ((x + r + 1).min(w), (y + r + 1).min(h));
            let at = |x: usize, y: usize| prefix[y * (w + 1) + x];
            (at(x1, y1) + at(x0, y0) - at(x0, y1) - at(x1, y0)) as f64
        })
        .collect()
}

/// The largest incident density of any cell in any frame (the shared
/// scale).
pub fn max_incidents(frames: &[MapFrame]) -> f64 {
    frames
        .iter()
        .flat_map(incident_density)
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max)
}

/// A map figure of one frame of replicate 0.
pub fn map(o: &ScenarioOutputs, terrain: &TerrainMap, f: &MapFrame, max: f64) -> MapChart {
    // Frames of a large world are in blocks of cells: terrain and sectors
    // are drawn on the same blocks.
    let (w, h) = (terrain.width as usize, terrain.height as usize);
    let (_, _, block) = crate::output::frame_grid(w, h);
    let terrain = &TerrainMap {
        width: f.width as u32,
        height: f.height as u32,
        cells: crate::output::block_majority(&terrain.cells, w, h, block),
    };
    let mut cell_km = o.scenario.mission.as_ref().map_or(1.0, |m| m.cell_km);
    if block > 1 {
        // A refined cell (e.g. 0.25 / 3 km) times the block, to the metre.
        cell_km = (cell_km * block as f64 * 1000.0).round() / 1000.0;
    }
    MapChart {
        title: format!("{}: the map on day {}", o.scenario.name, f.tick),
        subtitle: Some(format!(
            "Replicate 0; one cell is {cell_km} km across; lines: sectors; who holds a cell: the side \
             with more units (security) or fighter groups within a resident's sight of it",
        )),
        footnote: Some(crate::DISCLAIMER.to_string()),
        width: f.width,
        height: f.height,
        panels: frame_panels(terrain, f, max),
        regions: o.scenario.world.sectors().ok().flatten().map(|s| Regions {
            cells: crate::output::block_majority(&s.cells, w, h, block),
            names: s.names,
        }),
    }
}

/// The frame closest to `day` (frames are every few days).
pub fn frame_near(frames: &[MapFrame], day: u32) -> Option<&MapFrame> {
    frames
        .iter()
        .min_by_key(|f| (i64::from(f.tick) - i64::from(day)).abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rough lightness, 0 to 765.
    fn light(c: RGBColor) -> i32 {
        i32::from(c.0) + i32::from(c.1) + i32::from(c.2)
    }

    #[test]
    fn look_alike_classes_differ_in_lightness() {
        let colour = |t: Terrain| TERRAIN.iter().find(|x| x.0 == t).unwrap().2;
        let (border, blocked) = (colour(Terrain::Border), colour(Terrain::Blocked));
        assert!((light(border) - light(blocked)).abs() > 300);
        let nobody = CONTROL[Control::Nobody.code() as usize];
        assert!((light(nobody) - light(crate::plot::map::NO_DATA)).abs() > 150);
    }

    #[test]
    fn incident_density_sums_a_square_around_each_cell() {
        let (w, h) = (7, 6);
        let mut incidents = vec![0; w * h];
        incidents[0] = 2;
        incidents[3 * w + 3] = 1;
        let mut control = vec![Some(Control::Contested); w * h];
        control[w - 1] = None;
        let f = MapFrame {
            tick: 1,
            width: w,
            height: h,
            control,
            incidents,
            trust: vec![f32::NAN; w * h],
        };
        let d = incident_density(&f);
        assert_eq!(d[0], 2.0);
        assert_eq!(d[2 * w + 2], 3.0, "both incidents within 2 cells");
        assert_eq!(d[5 * w + 5], 1.0);
        assert_eq!(d[3], 0.0, "(3, 0) is 3 rows from (3, 3)");
        assert!(d[w - 1].is_nan(), "impassable");
        assert_eq!(max_incidents(&[f]), 3.0);
    }
}
