//! Kaplan–Meier survival curves: the share of runs in which an event (a
//! collapse, a withdrawal) has not yet happened, as right-continuous steps
//! over time, with a tick where a run was censored (it ended without the
//! event).
//!
//! Layout as in band charts: title and subtitle at the top left; the y-axis
//! label above the axis; the legend to the right of the data area (below it
//! when the labels are long); the footnote at the bottom left. The y axis
//! always runs from 0 to 1, so that curves of different charts compare.
//!
//! Up to eight curves are told apart by colour and line pattern
//! ([`series_style`]); with `emphasise_first` the first curve (a baseline)
//! is the heavy dark line drawn on top, as in the small multiples. Curves
//! that coincide (say, all at 1: no run collapsed) overlap exactly; the
//! later ones' dashes show over the earlier ones, and the legend lists them
//! all.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Frame, Ticks, snug_axis};
use super::error::{PlotError, draw_error};
use super::legend::{place_series_legend, styled_entries};
use super::page::{Chart, Header, draw_no_data, draw_page, draw_y_label_above};
use super::style::{Theme, draw_path, draw_patterned_line, draw_rect, series_style};

/// One Kaplan–Meier curve.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurvivalCurve {
    /// Name shown in the legend.
    pub label: String,
    /// Change points `(time, survival)`, starting with `(0.0, 1.0)`, with
    /// survival non-increasing: the curve holds each value until the next
    /// point's time. Points with a non-finite coordinate are skipped.
    pub steps: Vec<(f64, f64)>,
    /// Points `(time, survival)` where a run was censored, marked with a
    /// tick across the curve.
    pub censored: Vec<(f64, f64)>,
    /// Time of the last observation: the curve runs on flat to here.
    pub end: f64,
    /// A pointwise confidence band, shaded lightly in the curve's colour:
    /// `(time, low, high)` from each time until the next (the last until
    /// `end`); empty for none.
    pub band: Vec<(f64, f64, f64)>,
}

/// A chart of Kaplan–Meier curves over a common time axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurvivalChart {
    /// Title, at the top.
    pub title: String,
    /// Optional second line under the title.
    pub subtitle: Option<String>,
    /// Optional note at the bottom (say what the ticks mean there).
    pub footnote: Option<String>,
    /// Label of the x axis, with units (e.g. "Days since deployment").
    pub x_label: String,
    /// Label of the y axis (e.g. "Share of runs without collapse"), shown
    /// above the axis.
    pub y_label: String,
    /// The curves, drawn in order.
    pub curves: Vec<SurvivalCurve>,
    /// Whether the first curve is the reference (a baseline): then it is
    /// the heavy dark line, drawn on top and listed first, and the others
    /// take the remaining colours ([`series_style`]).
    pub emphasise_first: bool,
}

impl Chart for SurvivalChart {
    fn header(&self) -> Header<'_> {
        let (subtitle, footnote) = (self.subtitle.as_deref(), self.footnote.as_deref());
        (&self.title, subtitle, footnote)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        draw_survival(root, self, theme)
    }
}

pub use super::page::{render_png as render_survival_png, render_svg as render_survival_svg};

/// The finite change points of a curve, in time order (a stable sort, so
/// that equal times keep their order), survival clamped to `[0, 1]`.
fn clean_steps(curve: &SurvivalCurve) -> Vec<(f64, f64)> {
    let mut steps: Vec<(f64, f64)> = curve
        .steps
        .iter()
        .filter(|(t, s)| t.is_finite() && s.is_finite())
        .map(|&(t, s)| (t, s.clamp(0.0, 1.0)))
        .collect();
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    steps
}

/// The step function as a polyline in data units: flat to each change
/// point, then straight down, and flat on to `end`.
fn step_path(curve: &SurvivalCurve) -> Vec<(f64, f64)> {
    let steps = clean_steps(curve);
    let mut path = Vec::with_capacity(steps.len() * 2 + 1);
    for &(t, s) in &steps {
        if let Some(&(_, previous)) = path.last() {
            path.push((t, previous));
        }
        path.push((t, s));
    }
    if let Some(&(t, s)) = path.last() {
        if curve.end.is_finite() && curve.end > t {
            path.push((curve.end, s));
        }
    }
    path
}

/// The latest time any curve shows (0 without data).
fn last_time(chart: &SurvivalChart) -> f64 {
    chart
        .curves
        .iter()
        .flat_map(|c| {
            let steps = c.steps.iter().chain(&c.censored).map(|p| p.0);
            steps.chain(std::iter::once(c.end))
        })
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max)
}

/// The time axis from 0 to `last` exactly: nice ticks inside it, and
/// `last` itself labelled unless a tick is already close to it.
fn time_axis(last: f64, target: usize) -> ((f64, f64), Ticks) {
    let (range, mut ticks) = snug_axis(0.0, last, target, 0.0);
    let end = range.1;
    let near = ticks
        .values
        .last()
        .is_some_and(|&t| end - t < 0.5 * ticks.step);
    if near {
        ticks.values.pop();
    }
    if ticks.values.last() != Some(&end) {
        ticks.values.push(end);
    }
    (range, ticks)
}

/// Draws the whole chart on `root`.
fn draw_survival<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &SurvivalChart,
    theme: &Theme,
) -> Result<(), PlotError> {
    let page = draw_page(root, theme, chart.header())?;
    let m = page.margin;

    // The y-axis label sits above the axis, horizontal; the legend goes to
    // the right if narrow enough, else below.
    let top = draw_y_label_above(root, theme, &chart.y_label, (m, page.top))?;
    let labels = chart.curves.iter().map(|curve| curve.label.as_str());
    let (legend, right, bottom) = place_series_legend(
        theme,
        &page,
        styled_entries(labels, false, chart.emphasise_first),
        top,
    );

    // The frame: time from 0 to the last observation (the horizon: a run
    // says nothing past it), labelled there too, survival from 0 to 1.
    let plot_w = f64::from((right - m).max(1)) / theme.scale;
    let plot_h = f64::from((bottom - top).max(1)) / theme.scale;
    let x_target = (plot_w / 130.0).round().clamp(2.0, 12.0) as usize;
    let y_target = if plot_h >= 300.0 { 5 } else { 4 };
    let (x, x_ticks) = time_axis(last_time(chart), x_target);
    let y_ticks = Ticks::nice(0.0, 1.0, y_target);
    let frame = Frame::fit(
        theme,
        (m, top, right, bottom),
        x,
        (0.0, 1.0),
        x_ticks,
        y_ticks,
        &chart.x_label,
    );
    frame.draw_axes(root, theme, &chart.x_label)?;

    // Bands first, under every line.
    for (i, curve) in chart.curves.iter().enumerate() {
        let fill = series_style(i, chart.emphasise_first).0.mix(0.16).filled();
        for (k, &(t, low, high)) in curve.band.iter().enumerate() {
            let next = curve.band.get(k + 1).map_or(curve.end, |b| b.0);
            if !(t.is_finite() && next.is_finite() && low.is_finite() && high.is_finite())
                || next <= t
            {
                continue;
            }
            let (x0, y0) = frame.map_i(t, high.clamp(0.0, 1.0));
            let (x1, y1) = frame.map_i(next, low.clamp(0.0, 1.0));
            draw_rect(root, [(x0, y0), (x1, y1)], fill)?;
        }
    }
    let mut any_data = false;
    // An emphasised first curve goes last, over the others.
    let mut order: Vec<usize> = (0..chart.curves.len()).collect();
    if chart.emphasise_first && !order.is_empty() {
        order.rotate_left(1);
    }
    for i in order {
        let curve = &chart.curves[i];
        let (colour, pattern, width) = series_style(i, chart.emphasise_first);
        let line_width = theme.line_width * width;
        let path: Vec<(f64, f64)> = step_path(curve)
            .into_iter()
            .map(|(t, s)| frame.map(t, s))
            .collect();
        if path.len() >= 2 {
            any_data = true;
            draw_patterned_line(root, &path, colour, line_width, pattern)?;
        } else if let [(px, py)] = path[..] {
            any_data = true;
            let centre = (px.round() as i32, py.round() as i32);
            root.draw(&Circle::new(centre, line_width * 2, colour.filled()))
                .map_err(draw_error)?;
        }
        // Censoring ticks: short vertical strokes across the curve.
        let half = theme.px(6.0);
        let style = colour.stroke_width(line_width);
        for &(t, s) in &curve.censored {
            if !(t.is_finite() && s.is_finite()) {
                continue;
            }
            let (px, py) = frame.map_i(t, s.clamp(0.0, 1.0));
            draw_path(root, &[(px, py - half), (px, py + half)], style)?;
        }
    }
    if !any_data {
        let centre = frame.map_i((x.0 + x.1) / 2.0, 0.5);
        draw_no_data(root, theme, theme.axis_label, centre)?;
    }

    legend.draw(root, theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::testing::{
        check_chart, decode_png, has_first_series_colour, renders_at, write_samples,
    };

    #[test]
    fn the_time_axis_ends_at_the_horizon() {
        let ((lo, hi), ticks) = time_axis(730.0, 5);
        assert_eq!((lo, hi), (0.0, 730.0));
        assert_eq!(ticks.values.last(), Some(&730.0));
        assert!(ticks.values.iter().all(|&t| t <= 730.0));
        // A tick close to the end gives way to the end's own label.
        let (_, ticks) = time_axis(410.0, 4);
        assert_eq!(ticks.values.last(), Some(&410.0));
        assert!(!ticks.values.contains(&400.0), "{:?}", ticks.values);
        let ((_, hi), ticks) = time_axis(400.0, 4);
        assert_eq!((hi, ticks.values.last()), (400.0, Some(&400.0)));
    }

    /// A curve without a band.
    fn curve(
        label: impl Into<String>,
        steps: Vec<(f64, f64)>,
        censored: Vec<(f64, f64)>,
        end: f64,
    ) -> SurvivalCurve {
        let label = label.into();
        SurvivalCurve {
            label,
            steps,
            censored,
            end,
            band: Vec::new(),
        }
    }

    /// A Kaplan–Meier estimate from event times (`Some`) and censoring
    /// times (`None` event, run ended at `horizon`).
    fn km(label: &str, events: &[f64], runs: usize, horizon: f64) -> SurvivalCurve {
        let mut steps = vec![(0.0, 1.0)];
        let mut at_risk = runs as f64;
        let mut s = 1.0;
        let mut sorted = events.to_vec();
        sorted.sort_by(f64::total_cmp);
        for t in sorted {
            s *= 1.0 - 1.0 / at_risk;
            at_risk -= 1.0;
            steps.push((t, s));
        }
        let censored = if at_risk > 0.0 {
            vec![(horizon, s)]
        } else {
            vec![]
        };
        curve(label, steps, censored, horizon)
    }

    fn demo_chart() -> SurvivalChart {
        let mandates = [
            ("No mission", 0.9, 0.0),
            ("Observer mission", 0.75, 20.0),
            ("Traditional peacekeeping", 0.55, 60.0),
            ("Protection of civilians", 0.35, 90.0),
            ("Robust peace enforcement", 0.45, 30.0),
            ("Hearts and minds", 0.2, 150.0),
            ("Light footprint", 0.6, 10.0),
            ("Never collapses", 0.0, 0.0),
        ];
        let curves = mandates
            .iter()
            .enumerate()
            .map(|(k, &(label, share, delay))| {
                let runs = 40;
                let n = (share * runs as f64) as usize;
                let events: Vec<f64> = (0..n)
                    .map(|i| {
                        let u = (i as f64 + 0.5 + k as f64 * 0.05) / (n as f64 + 1.0);
                        delay + (720.0 - delay) * u.powf(1.6)
                    })
                    .collect();
                km(label, &events, runs, 730.0)
            })
            .collect();
        SurvivalChart {
            title: "Time to collapse of the ceasefire".into(),
            subtitle: Some(
                "Gaza scenario · Kaplan–Meier estimate over 40 replicates per mandate".into(),
            ),
            footnote: Some(
                "A tick marks runs that ended at day 730 without a collapse (censored) · \
                 stabsim explores mechanisms, not a forecast"
                    .into(),
            ),
            x_label: "Days since deployment".into(),
            y_label: "Share of runs without collapse".into(),
            curves,
            emphasise_first: false,
        }
    }

    #[test]
    fn renders_labelled_and_deterministic() {
        let chart = demo_chart();
        let mut texts = vec![
            "Days since deployment",
            "Share of runs without collapse",
            "Kaplan–Meier estimate",
            "not a forecast",
        ];
        texts.extend(chart.curves.iter().map(|c| c.label.as_str()));
        let (pixels, svg) = check_chart(&chart, render_survival_png, (1400, 800), &texts);
        // The first curve is orange.
        assert!(has_first_series_colour(&pixels));
        // The y axis is fixed at 0–1.
        assert!(svg.contains("\n1.0\n") && svg.contains("\n0.0\n"));
    }

    /// A small chart of one curve with a step.
    fn one_curve() -> SurvivalChart {
        SurvivalChart {
            title: "t".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            curves: vec![curve("a", vec![(0.0, 1.0), (50.0, 0.5)], vec![], 100.0)],
            ..Default::default()
        }
    }

    /// How many pixels of `chart` drawn at 400 x 300 are `wanted`.
    fn count_pixels(chart: &SurvivalChart, wanted: impl Fn(&[u8]) -> bool) -> usize {
        let (_, _, pixels) = decode_png(&render_survival_png(chart, 400, 300).unwrap());
        pixels.chunks(3).filter(|p| wanted(p)).count()
    }

    /// A band is shaded in the curve's colour: the same chart with a band
    /// over the whole plot has more non-white pixels than without.
    #[test]
    fn a_band_is_shaded_under_its_curve() {
        let mut chart = one_curve();
        let coloured =
            |chart: &SurvivalChart| count_pixels(chart, |p| p[0] < 250 || p[1] < 250 || p[2] < 250);
        let plain = coloured(&chart);
        chart.curves[0].band = vec![(0.0, 0.2, 0.9), (50.0, 0.1, 0.8)];
        assert!(coloured(&chart) > plain + 10_000, "{plain}");
    }

    /// With `emphasise_first`, the baseline is the heavy dark line of the
    /// small multiples, not the first palette colour: near-black pixels
    /// grow by a curve twice as wide, and the orange of series 0 goes to
    /// the next curve (and its legend key) only.
    #[test]
    fn an_emphasised_baseline_is_the_heavy_dark_line() {
        let mut chart = one_curve();
        let count = |chart: &SurvivalChart, colour: RGBColor| {
            let near = |a: u8, b: u8| a.abs_diff(b) < 12;
            count_pixels(chart, |p| {
                near(p[0], colour.0) && near(p[1], colour.1) && near(p[2], colour.2)
            })
        };
        let orange = super::super::style::OKABE_ITO[0];
        let ink = super::super::style::INK;
        let (plain_ink, plain_orange) = (count(&chart, ink), count(&chart, orange));
        chart.emphasise_first = true;
        let (heavy_ink, heavy_orange) = (count(&chart, ink), count(&chart, orange));
        assert!(plain_orange > 300, "{plain_orange}");
        assert!(
            heavy_orange < 20,
            "the baseline is still orange: {heavy_orange}"
        );
        assert!(
            heavy_ink > plain_ink + plain_orange,
            "{plain_ink} {heavy_ink}"
        );
        let entries = styled_entries(["a", "b"], false, true);
        assert_eq!((entries[0].colour, entries[1].colour), (ink, orange));
    }

    #[test]
    fn steps_are_right_continuous() {
        let curve = curve(
            "a",
            vec![(0.0, 1.0), (5.0, 0.5), (2.0, 0.8), (f64::NAN, 0.1)],
            vec![],
            10.0,
        );
        assert_eq!(
            step_path(&curve),
            vec![
                (0.0, 1.0),
                (2.0, 1.0),
                (2.0, 0.8),
                (5.0, 0.8),
                (5.0, 0.5),
                (10.0, 0.5)
            ]
        );
        assert!(step_path(&SurvivalCurve::default()).is_empty());
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = SurvivalChart {
            title: "Empty".into(),
            ..SurvivalChart::default()
        };
        assert!(
            render_survival_svg(&empty, 600, 400)
                .unwrap()
                .contains("No data")
        );
        let flat = SurvivalChart {
            curves: (0..8)
                .map(|i| {
                    curve(
                        format!("Flat {i}"),
                        vec![(0.0, 1.0)],
                        vec![(100.0, 1.0)],
                        100.0,
                    )
                })
                .collect(),
            ..empty.clone()
        };
        let svg = render_survival_svg(&flat, 600, 400).unwrap();
        assert!((0..8).all(|i| svg.contains(&format!("Flat {i}"))));
        let odd = SurvivalChart {
            curves: vec![
                curve(
                    "nan",
                    vec![(f64::NAN, f64::NAN)],
                    vec![(f64::NAN, 1.0)],
                    f64::NAN,
                ),
                curve(
                    "out of range",
                    vec![(0.0, 1.5), (1e9, -2.0)],
                    vec![(f64::INFINITY, 0.5)],
                    f64::INFINITY,
                ),
                curve("single point", vec![(0.0, 1.0)], vec![], 0.0),
            ],
            ..empty
        };
        let sizes = [(1, 1), (150, 90), (1400, 800)];
        assert!(renders_at(&odd, render_survival_png, &sizes));
        assert!(matches!(
            render_survival_png(&odd, 0, 5),
            Err(PlotError::InvalidSize { .. })
        ));
    }

    #[test]
    #[ignore = "writes sample charts to look at"]
    fn samples() {
        let chart = demo_chart();
        write_samples("survival", &chart, render_survival_png, (1400, 800));
        let mut few = chart.clone();
        few.curves.truncate(3);
        for c in &mut few.curves {
            c.label = format!("{} (a long label for the legend)", c.label);
        }
        write_samples("survival-few", &few, render_survival_png, (1200, 700));
    }
}
