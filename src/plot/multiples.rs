//! Small multiples of Monte Carlo bands: a grid of small panels over a
//! common x axis, each with a median line and a 5–95 % band per series (as
//! in [`band`](super::band)) and optionally a reference line.
//!
//! Two uses: one panel per scenario, each with its band and the baseline's
//! median as a reference; or one panel per measure, each with a band per
//! scenario. Band `k` has the same colour, line pattern and legend entry in
//! every panel, so one legend (below the grid) serves the whole figure.
//!
//! Layout: title and subtitle at the top left; panels in a grid of
//! `columns` columns, each with its title and y-axis label above it and its
//! own y ticks (shared or not); x tick labels under the lowest panel of each
//! column only, and the x-axis label once, under the grid; then the legend
//! and the footnote. Frames are aligned across the grid, so panels compare
//! by eye.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Frame, Ticks, fitted_ticks, snug_axis};
use super::error::PlotError;
use super::legend::{Legend, LegendEntry, styled_entries};
use super::page::{Chart, Header, draw_no_data, draw_page, draw_y_label_above};
use super::series::{Band, draw_band, draw_line, x_range};
use super::style::{
    AXIS, GRID, INK, LinePattern, MUTED, Theme, draw_path, ellipsize, series_style,
};

/// One panel of the grid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SmallPanel {
    /// Panel title, above it (a scenario, or a measure).
    pub title: String,
    /// Label of the panel's y axis, with units, under the title.
    pub y_label: String,
    /// The bands; band `k` is drawn in colour and pattern `k` and is legend
    /// entry `k`. Each vector has one value per x of the chart.
    pub bands: Vec<Band>,
    /// Optional reference line (one value per x), drawn black and dashed:
    /// e.g. the baseline's median.
    pub reference: Option<Vec<f64>>,
}

/// A grid of small panels over a common x axis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SmallMultiples {
    /// Title, at the top.
    pub title: String,
    /// Optional second line under the title.
    pub subtitle: Option<String>,
    /// Optional note at the bottom.
    pub footnote: Option<String>,
    /// Label of the shared x axis, with units, under the grid.
    pub x_label: String,
    /// The x values shared by every band and reference.
    pub x: Vec<f64>,
    /// Number of columns of the grid (rows as needed); 0 chooses about a
    /// square grid.
    pub columns: usize,
    /// Legend label of band `k`, for every `k`; missing entries fall back to
    /// the bands' own labels.
    pub legend: Vec<String>,
    /// Legend label of the reference line; without one, the legend does not
    /// show it.
    pub reference_label: Option<String>,
    /// Whether every panel has the same y range (to compare levels), or
    /// each its own (to see each shape).
    pub shared_y: bool,
    /// Whether band 0 is the reference series (a baseline): then it is the
    /// heavy dark line, drawn on top, and the other bands are thinner lines
    /// in the palette's colours other than black, so that no variant can
    /// look like the baseline.
    pub emphasise_first: bool,
    /// The panels, filling the grid row by row.
    pub panels: Vec<SmallPanel>,
}

impl Chart for SmallMultiples {
    fn header(&self) -> Header<'_> {
        let (subtitle, footnote) = (self.subtitle.as_deref(), self.footnote.as_deref());
        (&self.title, subtitle, footnote)
    }

    /// Checks that every band and reference has one value per x.
    fn validate(&self) -> Result<(), PlotError> {
        let expected = self.x.len();
        for panel in &self.panels {
            for band in &panel.bands {
                band.check_length(expected, &format!("{} / {}", panel.title, band.label))?;
            }
            if let Some(reference) = &panel.reference {
                if reference.len() != expected {
                    return Err(PlotError::LengthMismatch {
                        series: panel.title.clone(),
                        field: "reference",
                        expected,
                        found: reference.len(),
                    });
                }
            }
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        draw_multiples(root, self, theme)
    }
}

impl SmallMultiples {
    /// Number of columns and rows of the grid.
    fn grid(&self) -> (usize, usize) {
        let n = self.panels.len().max(1);
        let columns = if self.columns == 0 {
            (n as f64).sqrt().ceil() as usize
        } else {
            self.columns.min(n)
        };
        (columns, n.div_ceil(columns))
    }
}

pub use super::page::{render_png as render_multiples_png, render_svg as render_multiples_svg};

/// The reference line's colour: black, as the brief of such figures
/// expects, distinct from series 6 (also black) by its dashes.
const REFERENCE: RGBColor = RGBColor(0, 0, 0);

/// The finite data range of a panel (bands and reference), where x is
/// finite too; `None` without data.
fn panel_extent(x: &[f64], panel: &SmallPanel) -> Option<(f64, f64)> {
    let series = panel
        .bands
        .iter()
        .flat_map(|b| [&b.p05, &b.p50, &b.p95])
        .chain(panel.reference.as_ref());
    let (lo, hi) = series
        .flat_map(|values| values.iter().zip(x))
        .filter(|(v, x)| v.is_finite() && x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (v, _)| {
            (lo.min(*v), hi.max(*v))
        });
    (lo <= hi).then_some((lo, hi))
}

/// The y axis of data in `[lo, hi]`: from 0 when the data are
/// non-negative, with a little room above (and below negative data), ends
/// on ticks where that wastes little room.
fn y_axis(extent: Option<(f64, f64)>, target: usize) -> ((f64, f64), Ticks) {
    let Some((lo, hi)) = extent else {
        return snug_axis(0.0, 1.0, target, 0.1);
    };
    let lo = lo.min(0.0);
    let pad = 0.03 * (hi - lo);
    let lo = if lo < 0.0 { lo - pad } else { lo };
    snug_axis(lo, hi + pad, target, 0.1)
}

/// Draws one panel's data: bands first, then the reference, then the
/// medians on top (an emphasised first band's last, over the others).
fn draw_panel_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: &[f64],
    panel: &SmallPanel,
    emphasise_first: bool,
) -> Result<bool, PlotError> {
    let mut any_data = false;
    for (k, band) in panel.bands.iter().enumerate() {
        let (colour, _, _) = series_style(k, emphasise_first);
        any_data |= draw_band(root, theme, frame, x, band, colour, theme.px(6.0))?;
    }
    let mut lines: Vec<(&[f64], RGBColor, LinePattern, u32)> = Vec::new();
    if let Some(reference) = &panel.reference {
        lines.push((reference, REFERENCE, LinePattern::Dashed, 1));
    }
    let mut order: Vec<usize> = (0..panel.bands.len()).collect();
    if emphasise_first && !order.is_empty() {
        order.rotate_left(1);
    }
    for k in order {
        let (colour, pattern, width) = series_style(k, emphasise_first);
        lines.push((&panel.bands[k].p50, colour, pattern, width));
    }
    for (values, colour, pattern, width) in lines {
        let theme = Theme {
            line_width: theme.line_width * width,
            ..theme.clone()
        };
        any_data |= draw_line(root, &theme, frame, x, values, (colour, pattern))?;
    }
    Ok(any_data)
}

/// The legend of the figure: one entry per band index, and the reference.
fn legend_entries(chart: &SmallMultiples) -> Vec<LegendEntry> {
    let count = chart
        .panels
        .iter()
        .map(|p| p.bands.len())
        .max()
        .unwrap_or(0);
    let labels: Vec<String> = (0..count)
        .map(|k| match chart.legend.get(k) {
            Some(label) => label.clone(),
            None => chart
                .panels
                .iter()
                .find_map(|p| p.bands.get(k).map(|b| b.label.clone()))
                .unwrap_or_default(),
        })
        .collect();
    let mut entries = styled_entries(
        labels.iter().map(String::as_str),
        true,
        chart.emphasise_first,
    );
    let any_reference = chart.panels.iter().any(|p| p.reference.is_some());
    if let (Some(label), true) = (&chart.reference_label, any_reference) {
        entries.push(LegendEntry {
            label: label.clone(),
            colour: REFERENCE,
            pattern: LinePattern::Dashed,
            band: false,
        });
    }
    entries
}

/// The y-axis label every panel shares, if they all have the same one:
/// then it is written once, above the grid, not in every panel.
fn common_y_label(chart: &SmallMultiples) -> Option<&str> {
    let first = chart.panels.first()?.y_label.as_str();
    chart
        .panels
        .iter()
        .all(|p| p.y_label == first)
        .then_some(first)
}

/// Draws the whole figure on `root`.
fn draw_multiples<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &SmallMultiples,
    theme: &Theme,
) -> Result<(), PlotError> {
    // Bands stack: with many per panel, each is lighter, so that the stack
    // stays readable (the legend's keys follow).
    let most_bands = chart
        .panels
        .iter()
        .map(|p| p.bands.len())
        .max()
        .unwrap_or(0);
    let theme = &Theme {
        band_opacity: theme.band_opacity * (3.0 / most_bands.max(3) as f64).sqrt(),
        ..theme.clone()
    };
    let page = draw_page(root, theme, chart.header())?;
    let (m, content_w) = (page.margin, page.content_w);
    let (mut top, mut bottom) = (page.top, page.bottom);

    // One legend for the figure, below the grid.
    let legend = Legend {
        entries: legend_entries(chart),
        horizontal: true,
    };
    if !legend.entries.is_empty() {
        let (_, legend_h) = legend.size(theme, content_w);
        bottom -= legend_h;
        legend.draw(root, theme, (m, bottom), content_w)?;
        bottom -= theme.px(14.0);
    }

    // The shared x-axis label, under the grid.
    if !chart.x_label.trim().is_empty() {
        let style = theme.text(theme.axis_label, INK);
        let at = (m + content_w / 2, bottom);
        theme.draw_text(root, &chart.x_label, &style, at, HPos::Center, VPos::Bottom)?;
        bottom -= (theme.axis_label * 1.3).round() as i32 + theme.px(8.0);
    }

    if chart.panels.is_empty() {
        let centre = (page.width / 2, (top + bottom) / 2);
        return draw_no_data(root, theme, theme.axis_label, centre);
    }

    // A y-axis label shared by all panels goes once above the grid.
    let common = common_y_label(chart).filter(|l| !l.trim().is_empty());
    if let Some(label) = common {
        top = draw_y_label_above(root, theme, label, (m, top))?;
    }

    // Grid geometry: every cell has a title line, a y-label line (if the
    // panels have their own), and the frame; rows are a gap apart. The
    // lowest row has room under it for the x tick labels; a column whose
    // lowest panel is higher up writes them over the empty cell below.
    let (columns, rows) = chart.grid();
    let tick_size = theme.tick_label * 0.9;
    let title_size = theme.legend;
    let tick = theme.px(4.0);
    let x_labels_h = tick + theme.px(3.0) + tick_size.round() as i32;
    let h_gap = theme.px(26.0);
    let v_gap = theme.px(24.0);
    let own_y_labels =
        common.is_none() && chart.panels.iter().any(|p| !p.y_label.trim().is_empty());
    let title_line = (title_size * 1.25).round() as i32;
    let y_label_line = if own_y_labels {
        (tick_size * 1.25).round() as i32
    } else {
        0
    };
    let title_h = title_line + y_label_line + theme.px(6.0);
    let cols = columns as i32;
    let cell_w = ((content_w - h_gap * (cols - 1)) / cols).max(1);
    let pitch = (bottom - top - x_labels_h + v_gap) / rows as i32;
    let frame_h = (pitch - v_gap - title_h).max(1);

    // y ticks per panel, or shared.
    let y_target = (f64::from(frame_h) / theme.scale / 38.0)
        .round()
        .clamp(2.0, 6.0) as usize;
    let extents: Vec<Option<(f64, f64)>> = chart
        .panels
        .iter()
        .map(|p| panel_extent(&chart.x, p))
        .collect();
    let shared = extents
        .iter()
        .flatten()
        .copied()
        .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)));
    let y_axes: Vec<((f64, f64), Ticks)> = extents
        .iter()
        .map(|e| y_axis(if chart.shared_y { shared } else { *e }, y_target))
        .collect();

    // Frames aligned across the grid: the same inset for every panel's y
    // tick labels; x ticks shared.
    let label_w = y_axes
        .iter()
        .flat_map(|(_, t)| t.labels())
        .map(|l| theme.text_width(&l, tick_size))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let inset = label_w + theme.px(10.0);
    let (x0, x1) = x_range(&chart.x, 4);
    let x_ticks = fitted_ticks(theme, (x0, x1), f64::from(cell_w - inset), tick_size, 8);
    let x_overhang = x_ticks
        .labels()
        .last()
        .map_or(0, |l| (theme.text_width(l, tick_size) / 2.0).ceil() as i32)
        .min(h_gap);
    let thin = theme.px(1.0).max(1) as u32;
    let title_style = theme.text(title_size, INK);
    let y_label_style = theme.text(tick_size, MUTED);
    let tick_style = theme.text(tick_size, MUTED);
    for (p, panel) in chart.panels.iter().enumerate() {
        let (row, col) = ((p / columns) as i32, (p % columns) as i32);
        let cx = m + col * (cell_w + h_gap);
        let cy = top + row * pitch;
        let title = ellipsize(theme, &panel.title, title_size, f64::from(cell_w));
        theme.draw_text(root, &title, &title_style, (cx, cy), HPos::Left, VPos::Top)?;
        if own_y_labels {
            let label = ellipsize(theme, &panel.y_label, tick_size, f64::from(cell_w));
            let at = (cx, cy + title_line);
            theme.draw_text(root, &label, &y_label_style, at, HPos::Left, VPos::Top)?;
        }
        let ((y0, y1), ticks) = &y_axes[p];
        let left = cx + inset;
        let frame = Frame {
            left: f64::from(left),
            top: f64::from(cy + title_h),
            right: f64::from((cx + cell_w - x_overhang).max(left + 1)),
            bottom: f64::from(cy + title_h + frame_h),
            x: (x0, x1),
            y: (*y0, *y1),
            x_ticks: x_ticks.clone(),
            y_ticks: ticks.clone(),
        };
        let (l, r) = (frame.left.round() as i32, frame.right.round() as i32);
        let (t, b) = (frame.top.round() as i32, frame.bottom.round() as i32);

        // Grid and y tick labels.
        for (value, label) in ticks.values.iter().zip(ticks.labels()) {
            let y = frame.map_i(x0, *value).1;
            if y < t - 1 || y > b + 1 {
                continue;
            }
            if y < b - 1 {
                draw_path(root, &[(l, y), (r, y)], GRID.stroke_width(thin))?;
            }
            let at = (l - theme.px(5.0), y);
            theme.draw_text(root, &label, &tick_style, at, HPos::Right, VPos::Center)?;
        }
        // x tick marks everywhere; their labels under the lowest panel of
        // each column only (x is shared).
        let lowest = p + columns >= chart.panels.len();
        for (value, label) in x_ticks.values.iter().zip(x_ticks.labels()) {
            let x = frame.map_i(*value, *y0).0;
            if x < l - 1 || x > r + 1 {
                continue;
            }
            draw_path(root, &[(x, b), (x, b + tick)], AXIS.stroke_width(thin))?;
            if lowest {
                let at = (x, b + tick + theme.px(3.0));
                theme.draw_text(root, &label, &tick_style, at, HPos::Center, VPos::Top)?;
            }
        }
        draw_path(root, &[(l, t), (l, b), (r, b)], AXIS.stroke_width(thin))?;

        if !draw_panel_data(root, theme, &frame, &chart.x, panel, chart.emphasise_first)? {
            draw_no_data(root, theme, tick_size, ((l + r) / 2, (t + b) / 2))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::testing::{check_chart, has_first_series_colour, renders_at, write_samples};

    const MANDATES: [&str; 8] = [
        "No mission",
        "Observer mission",
        "Traditional peacekeeping",
        "Protection of civilians",
        "Robust peace enforcement",
        "Hearts and minds",
        "Light footprint",
        "Regional force",
    ];

    /// A band around a curve `f(t)`, spread growing with t.
    fn band(label: &str, x: &[f64], f: impl Fn(f64) -> f64, spread: f64) -> Band {
        let p50: Vec<f64> = x.iter().map(|&t| f(t)).collect();
        let width = |t: f64, v: f64| spread * v.abs().max(1.0) * (0.3 + t / 730.0);
        Band {
            label: label.into(),
            p05: x
                .iter()
                .zip(&p50)
                .map(|(&t, &v)| (v - width(t, v)).max(0.0))
                .collect(),
            p95: x.iter().zip(&p50).map(|(&t, &v)| v + width(t, v)).collect(),
            p50,
        }
    }

    fn days() -> Vec<f64> {
        (0..=730).step_by(5).map(f64::from).collect()
    }

    /// Use (a): one panel per mandate, its band and the baseline.
    fn per_mandate() -> SmallMultiples {
        let x = days();
        let baseline = |t: f64| 40.0 + 30.0 * (t / 120.0).sin().abs() + t * 0.05;
        let names: Vec<String> = (0..20)
            .map(|i| match MANDATES.get(i) {
                Some(name) => name.to_string(),
                None => format!("Mandate variant {i} with a longer name"),
            })
            .collect();
        let panels = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let effect = 0.4 + 0.05 * i as f64;
                SmallPanel {
                    title: name.clone(),
                    y_label: "Incidents per month".into(),
                    bands: vec![band("Mandate", &x, |t| baseline(t) * effect.min(1.3), 0.35)],
                    reference: Some(x.iter().map(|&t| baseline(t)).collect()),
                }
            })
            .collect();
        SmallMultiples {
            title: "Violent incidents under each mandate".into(),
            subtitle: Some("Gaza scenario · median and 5–95 % band over 200 replicates".into()),
            footnote: Some("stabsim explores mechanisms, not a forecast".into()),
            x_label: "Days since deployment".into(),
            x,
            columns: 5,
            legend: vec!["Mandate (median, 5–95 % band)".into()],
            reference_label: Some("No mission (median)".into()),
            shared_y: true,
            emphasise_first: false,
            panels,
        }
    }

    /// Use (b): one panel per measure, a band per mandate.
    fn per_measure() -> SmallMultiples {
        let x = days();
        let measures = [
            ("Civilian deaths", "per 10,000 people", 30.0),
            ("Violent incidents", "per month", 60.0),
            ("Trust in the mission", "share of citizens", 0.6),
            ("Displaced people", "thousands", 300.0),
            ("Insurgent strength", "fighters", 2500.0),
            ("Peacekeeper casualties", "per 1,000 troops", 4.0),
            ("Aid delivered", "trucks per day", 500.0),
            ("Markets open", "share of markets", 0.9),
            ("Curfew hours", "hours per day", 8.0),
        ];
        let panels = measures
            .iter()
            .enumerate()
            .map(|(j, &(title, unit, scale))| SmallPanel {
                title: title.into(),
                y_label: unit.into(),
                bands: MANDATES
                    .iter()
                    .enumerate()
                    .map(|(k, name)| {
                        let rate = 0.5 + 0.12 * k as f64 + 0.03 * j as f64;
                        band(
                            name,
                            &x,
                            |t| scale * (1.0 - (-t * rate / 300.0).exp()),
                            0.15,
                        )
                    })
                    .collect(),
                reference: None,
            })
            .collect();
        SmallMultiples {
            title: "Outcomes by mandate".into(),
            subtitle: Some("Gaza scenario · median and 5–95 % band over 200 replicates".into()),
            footnote: Some("stabsim explores mechanisms, not a forecast".into()),
            x_label: "Days since deployment".into(),
            x,
            columns: 3,
            legend: MANDATES.iter().map(|s| s.to_string()).collect(),
            reference_label: None,
            shared_y: false,
            emphasise_first: false,
            panels,
        }
    }

    #[test]
    fn renders_labelled_and_deterministic() {
        for chart in [per_mandate(), per_measure()] {
            let mut texts = vec![chart.x_label.as_str(), "not a forecast"];
            texts.extend(chart.legend.iter().map(String::as_str));
            texts.extend(chart.reference_label.as_deref());
            for panel in &chart.panels {
                // Long titles may be cut; their start is there.
                texts.push(panel.title.split(' ').next().unwrap());
                texts.push(&panel.y_label);
            }
            let size = (1400, 1000);
            let (pixels, _) = check_chart(&chart, render_multiples_png, size, &texts);
            // Orange medians (band 0) are drawn.
            assert!(has_first_series_colour(&pixels));
        }
    }

    #[test]
    fn shared_y_gives_every_panel_the_same_axis() {
        let chart = per_measure();
        let x = &chart.x;
        let extents: Vec<_> = chart.panels.iter().map(|p| panel_extent(x, p)).collect();
        let own: Vec<(f64, f64)> = extents.iter().map(|e| y_axis(*e, 4).0).collect();
        assert_ne!(own[0], own[4]);
        // Non-negative data start at 0 and fit under the top.
        assert_eq!(own[2].0, 0.0);
        let top = extents[4].unwrap().1;
        assert!(own[4].1 >= top && own[4].1 <= top * 1.2);
        assert_eq!(y_axis(None, 4).0, (0.0, 1.0));
        let ((lo, hi), _) = y_axis(Some((-3.0, 2.0)), 4);
        assert!(lo <= -3.0 && hi >= 2.0);
    }

    #[test]
    fn lengths_are_checked() {
        let mut chart = per_mandate();
        chart.panels[3].reference.as_mut().unwrap().pop();
        assert!(matches!(
            render_multiples_png(&chart, 800, 600),
            Err(PlotError::LengthMismatch {
                field: "reference",
                ..
            })
        ));
        let mut chart = per_measure();
        chart.panels[1].bands[2].p05.push(1.0);
        let error = render_multiples_svg(&chart, 800, 600).unwrap_err();
        assert!(matches!(
            error,
            PlotError::LengthMismatch { field: "p05", .. }
        ));
        assert!(error.to_string().contains("Violent incidents"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = SmallMultiples {
            title: "Empty".into(),
            ..SmallMultiples::default()
        };
        assert!(
            render_multiples_svg(&empty, 600, 400)
                .unwrap()
                .contains("No data")
        );
        let nan = Band {
            label: "nan".into(),
            p05: vec![f64::NAN; 3],
            p50: vec![f64::NAN; 3],
            p95: vec![f64::NAN; 3],
        };
        let lone = Band {
            label: "lone".into(),
            p05: vec![f64::NAN, 1.0, f64::NAN],
            p50: vec![f64::NAN, 2.0, f64::NAN],
            p95: vec![f64::NAN, 3.0, f64::NAN],
        };
        let chart = SmallMultiples {
            x: vec![0.0, 1.0, 2.0],
            columns: 0,
            panels: vec![
                SmallPanel {
                    title: "all NaN".into(),
                    bands: vec![nan],
                    ..SmallPanel::default()
                },
                SmallPanel {
                    title: "lone point".into(),
                    bands: vec![lone],
                    reference: Some(vec![f64::MAX, -f64::MAX, 0.0]),
                    ..SmallPanel::default()
                },
                SmallPanel::default(),
            ],
            ..empty
        };
        assert_eq!(chart.grid(), (2, 2));
        for shared_y in [false, true] {
            let chart = SmallMultiples {
                shared_y,
                ..chart.clone()
            };
            let sizes = [(1, 1), (200, 120), (1400, 1000)];
            assert!(renders_at(&chart, render_multiples_png, &sizes));
        }
    }

    #[test]
    fn an_emphasised_first_band_is_the_only_heavy_dark_line() {
        let (colour, pattern, width) = series_style(0, true);
        assert_eq!((colour, pattern, width), (INK, LinePattern::Solid, 2));
        for k in 1..9 {
            let (colour, _, width) = series_style(k, true);
            assert_eq!(width, 1);
            let lightness = u32::from(colour.0) + u32::from(colour.1) + u32::from(colour.2);
            assert!(lightness > 150, "band {k} is near-black: {colour:?}");
        }
        // Without emphasis, the usual series styles.
        assert_eq!(
            series_style(6, false).0,
            crate::plot::style::series_colour(6)
        );
    }

    #[test]
    #[ignore = "writes sample charts to look at"]
    fn samples() {
        let size = (1400, 1000);
        write_samples(
            "multiples-mandates",
            &per_mandate(),
            render_multiples_png,
            size,
        );
        write_samples(
            "multiples-measures",
            &per_measure(),
            render_multiples_png,
            size,
        );
    }
}
