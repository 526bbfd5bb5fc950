//! Monte Carlo time series: for each series, the median over replicates as
//! a line and the 5–95 % range as a translucent band, over a common x axis.
//!
//! Layout: title and subtitle at the top left; the y-axis label above the
//! axis (horizontal, easy to read); the legend to the right of the data area
//! (below it when the labels are long); the footnote at the bottom left.
//! The y axis starts at 0 when all data are non-negative. Non-finite values
//! are skipped: lines and bands break there.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Frame, Ticks, nice_step};
use super::error::PlotError;
use super::legend::{place_series_legend, series_entries};
use super::page::{Chart, Header, draw_no_data, draw_page, draw_y_label_above};
pub use super::page::{render_png, render_svg};
use super::series::{Band, draw_bands, draw_line, x_range};
use super::style::{Theme, series_colour, series_pattern};

/// A chart of several bands over a common x axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BandChart {
    /// Title, at the top.
    pub title: String,
    /// Optional second line under the title (scenario, parameters).
    pub subtitle: Option<String>,
    /// Label of the x axis (e.g. "Tick").
    pub x_label: String,
    /// Label of the y axis (e.g. "Citizens"), shown above the axis.
    pub y_label: String,
    /// The x values shared by all bands.
    pub x: Vec<f64>,
    /// The series, drawn in order; colours and line patterns follow
    /// [`series_colour`] and [`series_pattern`].
    pub bands: Vec<Band>,
    /// Optional note at the bottom, e.g. from [`replicate_footnote`].
    pub footnote: Option<String>,
}

/// The usual footnote of a Monte Carlo band chart: "5–95 % band and median
/// over N replicates · stabsim explores mechanisms, not a forecast".
pub fn replicate_footnote(replicates: usize) -> String {
    let noun = if replicates == 1 {
        "replicate"
    } else {
        "replicates"
    };
    format!(
        "5\u{2013}95\u{a0}% band and median over {replicates} {noun} \u{b7} \
         stabsim explores mechanisms, not a forecast"
    )
}

impl Chart for BandChart {
    fn header(&self) -> Header<'_> {
        let (subtitle, footnote) = (self.subtitle.as_deref(), self.footnote.as_deref());
        (&self.title, subtitle, footnote)
    }

    /// Checks that every band has one value per x.
    fn validate(&self) -> Result<(), PlotError> {
        for band in &self.bands {
            band.check_length(self.x.len(), &band.label)?;
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        draw_band_chart(root, self, theme)
    }
}

/// The y range, rounded out to nice ticks: from 0 when the data are
/// non-negative; `(0, 1)` without data.
fn y_range(chart: &BandChart, target_ticks: usize) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for band in &chart.bands {
        for values in [&band.p05, &band.p50, &band.p95] {
            for (v, x) in values.iter().zip(&chart.x) {
                if v.is_finite() && x.is_finite() {
                    lo = lo.min(*v);
                    hi = hi.max(*v);
                }
            }
        }
    }
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if lo >= 0.0 {
        lo = 0.0;
    }
    if hi <= lo {
        // Constant data: give them room.
        let pad = if hi == 0.0 { 1.0 } else { hi.abs() * 0.1 };
        if hi < 0.0 {
            lo -= pad;
        }
        hi += pad;
    }
    let step = nice_step((hi - lo) / target_ticks.max(1) as f64);
    let lo = if lo < 0.0 {
        (lo / step).floor() * step
    } else {
        lo
    };
    let hi = (hi / step).ceil() * step;
    // Guard against overflow or rounding producing an empty range.
    if hi > lo && (hi - lo).is_finite() {
        (lo, hi)
    } else {
        (0.0, 1.0)
    }
}

/// Draws the whole chart on `root`.
fn draw_band_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &BandChart,
    theme: &Theme,
) -> Result<(), PlotError> {
    let page = draw_page(root, theme, chart.header())?;
    let m = page.margin;

    // The y-axis label sits above the axis, horizontal; the legend goes to
    // the right if narrow enough, else below.
    let top = draw_y_label_above(root, theme, &chart.y_label, (m, page.top))?;
    let labels = chart.bands.iter().map(|band| band.label.as_str());
    let (legend, right, bottom) =
        place_series_legend(theme, &page, series_entries(labels, true), top);

    // The data frame.
    let plot_w = f64::from((right - m).max(1)) / theme.scale;
    let plot_h = f64::from((bottom - top).max(1)) / theme.scale;
    let x_target = (plot_w / 130.0).round().clamp(2.0, 12.0) as usize;
    let y_target = (plot_h / 75.0).round().clamp(2.0, 8.0) as usize;
    let (x0, x1) = x_range(&chart.x, x_target);
    let (y0, y1) = y_range(chart, y_target);
    let frame = Frame::fit(
        theme,
        (m, top, right, bottom),
        (x0, x1),
        (y0, y1),
        Ticks::nice(x0, x1, x_target),
        Ticks::nice(y0, y1, y_target),
        &chart.x_label,
    );
    frame.draw_axes(root, theme, &chart.x_label)?;

    // Bands first, then all medians on top of every band.
    let mut any_data = draw_bands(root, theme, &frame, &chart.x, &chart.bands, theme.px(8.0))?;
    for (i, band) in chart.bands.iter().enumerate() {
        let style = (series_colour(i), series_pattern(i));
        any_data |= draw_line(root, theme, &frame, &chart.x, &band.p50, style)?;
    }
    if !any_data {
        let centre = frame.map_i((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        draw_no_data(root, theme, theme.axis_label, centre)?;
    }

    legend.draw(root, theme)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::testing::{check_chart, has_first_series_colour, renders_at};

    /// Three series like Epstein's civil violence model: quiescent, active
    /// and jailed citizens over 1000 ticks, with bursts of rebellion.
    pub(crate) fn demo_chart() -> BandChart {
        let n = 1000;
        let x: Vec<f64> = (0..n).map(f64::from).collect();
        let burst = |t: f64| -> f64 {
            // Bursts every ~180 ticks, decaying.
            let phase = (t + 40.0) % 180.0;
            if phase < 25.0 {
                (phase / 25.0 * std::f64::consts::PI).sin()
            } else {
                0.0
            }
        };
        let jitter =
            |t: f64, k: f64| (t * 0.37 + k).sin() * 0.5 + (t * 0.071 + 2.0 * k).cos() * 0.5;
        let mut active = Band {
            label: "Active".into(),
            ..Band::default()
        };
        let mut jailed = Band {
            label: "Jailed".into(),
            ..Band::default()
        };
        let mut quiet = Band {
            label: "Quiescent".into(),
            ..Band::default()
        };
        for &t in &x {
            let a = 30.0 + 380.0 * burst(t) + 8.0 * jitter(t, 1.0);
            let j = 60.0
                + 120.0 * (1.0 - (-t / 150.0).exp())
                + 90.0 * burst(t - 15.0)
                + 5.0 * jitter(t, 2.0);
            let q = 1120.0 - a - j;
            for (band, v, spread) in [
                (&mut active, a, 0.35),
                (&mut jailed, j, 0.2),
                (&mut quiet, q, 0.08),
            ] {
                let v = v.max(0.0);
                band.p50.push(v);
                band.p05.push((v * (1.0 - spread) - 5.0).max(0.0));
                band.p95.push(v * (1.0 + spread) + 5.0);
            }
        }
        BandChart {
            title: "Citizens by state".into(),
            subtitle: Some("Epstein civil violence, Model I · vision 7, legitimacy 0.82".into()),
            x_label: "Tick".into(),
            y_label: "Citizens".into(),
            x,
            bands: vec![quiet, active, jailed],
            footnote: Some(replicate_footnote(30)),
        }
    }

    #[test]
    fn renders_labelled_and_deterministic() {
        let texts = [
            "Citizens by state",
            "Tick",
            "Citizens",
            "Quiescent",
            "Active",
            "Jailed",
            "30 replicates",
        ];
        let (pixels, svg) = check_chart(&demo_chart(), render_png, (1200, 700), &texts);
        // Not blank: some pixels are coloured (orange for the first series).
        assert!(has_first_series_colour(&pixels));
        assert!(svg.len() < 1_000_000, "SVG is {} bytes", svg.len());
    }

    fn band(label: &str, v: Vec<f64>) -> Band {
        Band {
            label: label.into(),
            p05: v.clone(),
            p50: v.clone(),
            p95: v,
        }
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let base = BandChart {
            title: "Edge".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            ..BandChart::default()
        };
        let no_data = |chart: &BandChart| render_svg(chart, 600, 400).unwrap().contains("No data");
        // Empty x, no bands.
        assert!(no_data(&base) && render_png(&base, 600, 400).is_ok());

        // (x, values of a single band): empty; a single point; NaN and
        // infinities (skipped); all NaN; all zero; constant negative; huge
        // values; ranges too wide for f64.
        let (nan, inf, max) = (f64::NAN, f64::INFINITY, f64::MAX);
        let cases = [
            (vec![], vec![]),
            (vec![5.0], vec![3.0]),
            (
                vec![0.0, 1.0, nan, 3.0, 4.0, 5.0],
                vec![1.0, nan, 2.0, inf, 3.0, 4.0],
            ),
            (vec![0.0, 1.0], vec![nan; 2]),
            (vec![0.0, 1.0, 2.0], vec![0.0; 3]),
            (vec![0.0, 1.0, 2.0], vec![-7.0; 3]),
            (vec![0.0, 1.0, 2.0], vec![1e300; 3]),
            (vec![0.0, 1.0, 2.0], vec![max; 3]),
            (vec![0.0, 1.0], vec![-max, max]),
            (vec![-max, max], vec![1.0, 2.0]),
        ];
        for (x, v) in cases {
            let all_nan = !v.is_empty() && v.iter().all(|v| v.is_nan());
            let chart = BandChart {
                x,
                bands: vec![band("a", v)],
                ..base.clone()
            };
            assert!(renders_at(&chart, render_png, &[(600, 400)]), "{chart:?}");
            assert!(!all_nan || no_data(&chart));
        }

        // Mismatched lengths.
        let mut bad = band("b", vec![1.0, 2.0]);
        bad.p95.pop();
        let chart = BandChart {
            x: vec![0.0, 1.0],
            bands: vec![bad],
            ..base.clone()
        };
        assert!(matches!(
            render_png(&chart, 600, 400),
            Err(PlotError::LengthMismatch {
                field: "p95",
                expected: 2,
                found: 1,
                ..
            })
        ));
        assert!(matches!(
            render_svg(&chart, 600, 400),
            Err(PlotError::LengthMismatch { .. })
        ));

        // Bad sizes.
        assert!(matches!(
            render_png(&base, 0, 10),
            Err(PlotError::InvalidSize { .. })
        ));
        assert!(matches!(
            render_svg(&base, 10, 0),
            Err(PlotError::InvalidSize { .. })
        ));

        // Tiny canvas, many series, long labels and title.
        let bands = (0..10)
            .map(|i| {
                band(
                    &format!("A rather long series label number {i}"),
                    vec![f64::from(i); 3],
                )
            })
            .collect();
        let chart = BandChart {
            title: "A very long title that will certainly not fit on one line of a narrow chart"
                .into(),
            subtitle: Some("And a subtitle".into()),
            footnote: Some(replicate_footnote(1)),
            x: vec![0.0, 1.0, 2.0],
            bands,
            ..base.clone()
        };
        let sizes = [(1, 1), (40, 30), (300, 200), (1200, 700)];
        assert!(renders_at(&chart, render_png, &sizes));
    }

    #[test]
    fn y_axis_starts_at_zero_for_non_negative_data() {
        let chart = BandChart {
            x: vec![0.0, 1.0],
            bands: vec![band("a", vec![40.0, 95.0])],
            ..BandChart::default()
        };
        let (lo, hi) = y_range(&chart, 5);
        assert_eq!(lo, 0.0);
        assert!(hi >= 95.0);
        let chart = BandChart {
            x: vec![0.0, 1.0],
            bands: vec![band("a", vec![-4.0, 3.0])],
            ..BandChart::default()
        };
        let (lo, hi) = y_range(&chart, 5);
        assert!(lo <= -4.0 && hi >= 3.0);
        assert_eq!(y_range(&BandChart::default(), 5), (0.0, 1.0));
    }
}
