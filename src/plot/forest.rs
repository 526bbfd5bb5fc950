//! Forest plots: paired differences from a baseline, with 95 % confidence
//! intervals, one panel per measure.
//!
//! Layout: title and subtitle at the top left; row labels once, at the left,
//! shared by every panel (rows are in the same order everywhere), with light
//! stripes on every other row so that the eye can follow a row across
//! panels; panels side by side, each with its title above, a vertical zero
//! line, and below it the tick labels, the axis label and which direction is
//! better ("← better" or "better →"). A key of the marker styles sits under the
//! panels, the footnote at the bottom left.
//!
//! A row whose interval excludes 0 and that the caller marks significant
//! (e.g. after a multiplicity adjustment) is drawn filled, blue when it is
//! an improvement and vermillion when it is a deterioration; any other row
//! is drawn hollow and grey, so that the eye goes to the differences the
//! data support. A row without an estimate (NaN: undefined,
//! e.g. a ratio with no events) reads "n/a".

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Frame, Ticks, nice_axis, snug_axis};
use super::error::{PlotError, draw_error};
use super::legend::flow;
use super::page::{Chart, Header, draw_no_data, draw_page};
use super::style::{AXIS, GRID, INK, MUTED, OKABE_ITO, Theme, draw_path, draw_rect, ellipsize};

/// Which direction of a difference is an improvement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Lower values are better (deaths, violence, cost).
    Lower,
    /// Higher values are better (trust, services, stability).
    Higher,
}

/// One row of a panel: a difference from the baseline and its 95 %
/// confidence interval.
#[derive(Clone, Debug, PartialEq)]
pub struct ForestRow {
    /// Row label (e.g. the mandate); the same in every panel.
    pub label: String,
    /// Point estimate of the difference; NaN when undefined ("n/a").
    pub estimate: f64,
    /// Lower end of the 95 % confidence interval (the ends may come in
    /// either order; an infinite end runs to the panel's edge; a NaN end
    /// leaves the point hollow, without a whisker).
    pub low: f64,
    /// Upper end of the 95 % confidence interval.
    pub high: f64,
    /// Whether the caller's test calls the difference significant (e.g.
    /// adjusted p < 0.05); a row that is not is drawn hollow even when its
    /// interval excludes 0.
    pub significant: bool,
}

/// One panel: the rows for one measure, on their own x axis.
#[derive(Clone, Debug, PartialEq)]
pub struct ForestPanel {
    /// Panel title (the measure), above the panel.
    pub title: String,
    /// Label of the x axis, with units (e.g. "Δ civilian deaths per 10,000").
    pub x_label: String,
    /// Which direction is an improvement, written under the axis.
    pub better: Better,
    /// The rows, in the same order (and with the same labels) as in every
    /// other panel.
    pub rows: Vec<ForestRow>,
}

/// A forest plot: panels side by side sharing their rows.
#[derive(Clone, Debug, PartialEq)]
pub struct ForestChart {
    /// Title, at the top.
    pub title: String,
    /// Optional second line under the title.
    pub subtitle: Option<String>,
    /// Optional note at the bottom.
    pub footnote: Option<String>,
    /// The panels, left to right.
    pub panels: Vec<ForestPanel>,
}

impl Chart for ForestChart {
    fn header(&self) -> Header<'_> {
        let (subtitle, footnote) = (self.subtitle.as_deref(), self.footnote.as_deref());
        (&self.title, subtitle, footnote)
    }

    /// Checks that every panel has the rows of the first panel, in the same
    /// order: labels are drawn once, so a panel out of step would be
    /// silently mislabelled.
    fn validate(&self) -> Result<(), PlotError> {
        let Some(first) = self.panels.first() else {
            return Ok(());
        };
        for panel in &self.panels[1..] {
            if panel.rows.len() != first.rows.len() {
                return Err(PlotError::CountMismatch {
                    panel: panel.title.clone(),
                    field: "rows",
                    expected: first.rows.len(),
                    found: panel.rows.len(),
                });
            }
            for (index, (a, b)) in first.rows.iter().zip(&panel.rows).enumerate() {
                if a.label != b.label {
                    return Err(PlotError::LabelMismatch {
                        panel: panel.title.clone(),
                        index,
                        expected: a.label.clone(),
                        found: b.label.clone(),
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
        draw_forest(root, self, theme).map(|_| ())
    }
}

pub use super::page::{render_png as render_forest_png, render_svg as render_forest_svg};

/// Blue: a difference in the better direction that the data support.
const IMPROVEMENT: RGBColor = OKABE_ITO[4];
/// Vermillion: a difference in the worse direction that the data support.
const DETERIORATION: RGBColor = OKABE_ITO[5];
/// Outline of hollow markers (interval includes 0).
const UNCLEAR: RGBColor = RGBColor(0x80, 0x80, 0x80);
/// Whiskers of hollow markers: lighter than the outline, so that a long
/// uninformative interval does not draw the eye.
const UNCLEAR_WHISKER: RGBColor = RGBColor(0xA8, 0xA8, 0xA8);
/// Stripes behind every other row.
const STRIPE: RGBColor = RGBColor(0xF4, 0xF4, 0xF4);

/// How a row is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// Interval excludes 0, better than the baseline: filled blue.
    Improvement,
    /// Interval excludes 0, worse than the baseline: filled vermillion.
    Deterioration,
    /// Interval includes 0 (or is unknown): hollow grey.
    Unclear,
}

impl Style {
    fn of(row: &ForestRow, better: Better) -> Style {
        let (lo, hi) = (row.low.min(row.high), row.low.max(row.high));
        // NaN bounds fail both comparisons: an unknown interval is unclear.
        let above = row.significant && lo > 0.0;
        let below = row.significant && hi < 0.0;
        match (above, below, better) {
            (true, _, Better::Higher) | (_, true, Better::Lower) => Style::Improvement,
            (true, _, Better::Lower) | (_, true, Better::Higher) => Style::Deterioration,
            _ => Style::Unclear,
        }
    }
}

/// Draws a marker (with a short whisker behind it) centred at `(x, y)`.
fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (i32, i32),
    style: Style,
) -> Result<(), PlotError> {
    let r = theme.px(5.5).max(2);
    match style {
        Style::Improvement | Style::Deterioration => {
            let colour = if style == Style::Improvement {
                IMPROVEMENT
            } else {
                DETERIORATION
            };
            root.draw(&Circle::new((x, y), r, colour.filled()))
                .map_err(draw_error)
        }
        Style::Unclear => {
            // White inside, so the whisker does not show through.
            root.draw(&Circle::new((x, y), r, WHITE.filled()))
                .map_err(draw_error)?;
            let stroke = theme.px(1.6).max(1) as u32;
            root.draw(&Circle::new((x, y), r, UNCLEAR.stroke_width(stroke)))
                .map_err(draw_error)
        }
    }
}

/// Draws a horizontal whisker from `x0` to `x1` at `y` with end caps.
fn draw_whisker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x0, x1, y): (i32, i32, i32),
    style: Style,
    caps: (bool, bool),
) -> Result<(), PlotError> {
    let colour = match style {
        Style::Improvement => IMPROVEMENT,
        Style::Deterioration => DETERIORATION,
        Style::Unclear => UNCLEAR_WHISKER,
    };
    let line = colour.stroke_width(theme.line_width);
    draw_path(root, &[(x0, y), (x1, y)], line)?;
    let cap = theme.px(4.5);
    for (x, on) in [(x0, caps.0), (x1, caps.1)] {
        if on {
            draw_path(root, &[(x, y - cap), (x, y + cap)], line)?;
        }
    }
    Ok(())
}

/// One entry of the key under the panels.
enum KeyMark {
    /// A marker with a whisker, as the data are drawn.
    Marker(Style),
    /// Text standing for itself ("n/a").
    Text(&'static str),
}

/// The key: how rows are drawn. "n/a" is explained only when it occurs.
fn key_entries(chart: &ForestChart) -> Vec<(KeyMark, String)> {
    let mut entries = vec![
        (
            KeyMark::Marker(Style::Improvement),
            "Better than baseline (significant, CI excludes 0)".to_string(),
        ),
        (
            KeyMark::Marker(Style::Deterioration),
            "Worse than baseline (significant, CI excludes 0)".to_string(),
        ),
        (
            KeyMark::Marker(Style::Unclear),
            "No clear difference (not significant)".to_string(),
        ),
    ];
    let any_undefined = chart
        .panels
        .iter()
        .flat_map(|p| &p.rows)
        .any(|r| !r.estimate.is_finite());
    if any_undefined {
        entries.push((KeyMark::Text("n/a"), "Not defined".to_string()));
    }
    entries
}

/// Lays out the key as a wrapping row of entries; returns each entry's
/// top-left offset and the key's height.
fn key_layout(
    theme: &Theme,
    entries: &[(KeyMark, String)],
    max_width: i32,
) -> (Vec<(i32, i32)>, i32) {
    let (key_w, pad) = (theme.px(34.0), theme.px(8.0));
    let widths = entries
        .iter()
        .map(|(_, label)| key_w + pad + theme.text_width(label, theme.legend).ceil() as i32);
    let (positions, (_, height)) = flow(theme, widths, max_width);
    (positions, height)
}

/// Draws the key with its top-left corner at `origin`.
fn draw_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    entries: &[(KeyMark, String)],
    origin: (i32, i32),
    max_width: i32,
) -> Result<(), PlotError> {
    let (positions, _) = key_layout(theme, entries, max_width);
    let row = (theme.legend * 1.55).round() as i32;
    let (key_w, pad) = (theme.px(34.0), theme.px(8.0));
    let text = theme.text(theme.legend, INK);
    for ((mark, label), (dx, dy)) in entries.iter().zip(positions) {
        let (x, mid) = (origin.0 + dx, origin.1 + dy + row / 2);
        match mark {
            KeyMark::Marker(style) => {
                draw_whisker(root, theme, (x, x + key_w, mid), *style, (true, true))?;
                draw_marker(root, theme, (x + key_w / 2, mid), *style)?;
            }
            KeyMark::Text(t) => {
                let style = theme.text(theme.tick_label, MUTED);
                theme.draw_text(
                    root,
                    t,
                    &style,
                    (x + key_w / 2, mid),
                    HPos::Center,
                    VPos::Center,
                )?;
            }
        }
        theme.draw_text(
            root,
            label,
            &text,
            (x + key_w + pad, mid),
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(())
}

/// Data range of a panel: every finite estimate and bound, and 0.
fn panel_range(panel: &ForestPanel) -> (f64, f64) {
    let values = panel
        .rows
        .iter()
        .filter(|r| r.estimate.is_finite())
        .flat_map(|r| [r.estimate, r.low, r.high])
        .filter(|v| v.is_finite());
    values.fold((0.0, 0.0), |(lo, hi), v| (f64::min(lo, v), f64::max(hi, v)))
}

/// The x range of a panel showing data in `[lo, hi]` (which holds 0), and
/// its ticks: as many as fit in `slot_w` pixels without their labels
/// touching. The range is the data's plus a little room, widened to the
/// next tick where that is close, so that the data fill the panel.
fn panel_axis(theme: &Theme, (lo, hi): (f64, f64), slot_w: i32) -> ((f64, f64), Ticks) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let pad = 0.04 * (hi - lo);
    let (lo, hi) = (lo - pad, hi + pad);
    if !(hi - lo).is_finite() {
        // Beyond f64: nothing sensible to show; rows clamp to the edges.
        return ((-1.0, 1.0), nice_axis(-1.0, 1.0, 2));
    }
    // The finest ticks whose labels keep apart.
    let mut target = 8;
    loop {
        let ((x0, x1), ticks) = snug_axis(lo, hi, target, 0.12);
        let widest = ticks
            .labels()
            .iter()
            .map(|l| theme.text_width(l, theme.tick_label))
            .fold(0.0, f64::max);
        let spacing = f64::from(slot_w) * ticks.step / (x1 - x0);
        let needed = (widest + f64::from(theme.px(14.0))).max(f64::from(theme.px(36.0)));
        if target <= 1 || needed <= spacing {
            return ((x0, x1), ticks);
        }
        target -= 1;
    }
}

/// The row labels, fitted to `max_width`: wrapped onto two lines when the
/// rows are tall enough, otherwise cut with an ellipsis.
fn fit_label(
    theme: &Theme,
    label: &str,
    size: f64,
    max_width: f64,
    two_lines: bool,
) -> Vec<String> {
    if theme.text_width(label, size) <= max_width {
        return vec![label.to_string()];
    }
    if two_lines {
        let lines = theme.wrap_text(label, size, max_width);
        if let [first, rest @ ..] = &lines[..] {
            if theme.text_width(first, size) <= max_width {
                let rest = rest.join(" ");
                return vec![first.clone(), ellipsize(theme, &rest, size, max_width)];
            }
        }
    }
    vec![ellipsize(theme, label, size, max_width)]
}

/// Marker centres, per panel and row (`None` for "n/a" rows), in the
/// area's pixels.
type Markers = Vec<Vec<Option<(i32, i32)>>>;

/// Draws the whole chart on `root`; returns where the markers are (for
/// tests).
fn draw_forest<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ForestChart,
    theme: &Theme,
) -> Result<Markers, PlotError> {
    let page = draw_page(root, theme, chart.header())?;
    let (width, m, content_w, top) = (page.width, page.margin, page.content_w, page.top);
    let mut bottom = page.bottom;

    // The key, above the footnote.
    let key = key_entries(chart);
    let (_, key_h) = key_layout(theme, &key, content_w);
    draw_key(root, theme, &key, (m, bottom - key_h), content_w)?;
    bottom -= key_h + theme.px(18.0);

    let n_rows = chart.panels.first().map_or(0, |p| p.rows.len());
    if chart.panels.is_empty() || n_rows == 0 {
        let centre = (width / 2, (top + bottom) / 2);
        draw_no_data(root, theme, theme.axis_label, centre)?;
        return Ok(vec![Vec::new(); chart.panels.len()]);
    }
    let n_panels = chart.panels.len() as i32;

    // Row labels: at most 28 % of the width; the rest goes to the panels.
    let labels: Vec<&str> = chart.panels[0]
        .rows
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    let widest = labels
        .iter()
        .map(|l| theme.text_width(l, theme.legend))
        .fold(0.0, f64::max);
    let label_w = widest.min(f64::from(content_w) * 0.28).ceil() as i32;
    let panels_left = m + label_w + theme.px(22.0);
    let gap = theme.px(30.0);
    let slot_w = ((width - m - panels_left - gap * (n_panels - 1)) / n_panels).max(1);
    let slot = |k: i32| {
        let x0 = panels_left + k * (slot_w + gap);
        (x0, x0 + slot_w)
    };

    // Panel titles above, axis labels below: as many lines as the longest.
    let title_line = (theme.axis_label * 1.2).round() as i32;
    let titles: Vec<Vec<String>> = chart
        .panels
        .iter()
        .map(|p| theme.wrap_text(&p.title, theme.axis_label, f64::from(slot_w)))
        .collect();
    let title_lines = titles.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let x_label_size = theme.tick_label;
    let x_label_line = (x_label_size * 1.2).round() as i32;
    let x_labels: Vec<Vec<String>> = chart
        .panels
        .iter()
        .map(|p| theme.wrap_text(&p.x_label, x_label_size, f64::from(slot_w)))
        .collect();
    let x_label_lines = x_labels.iter().map(Vec::len).max().unwrap_or(0) as i32;
    let tick = theme.px(5.0);
    let ticks_h = tick + theme.px(4.0) + theme.tick_label.round() as i32;
    let below = ticks_h
        + theme.px(10.0)
        + x_label_line * x_label_lines
        + theme.px(6.0)
        + (theme.tick_label * 1.2).round() as i32;
    let rows_top = top + title_line * title_lines + theme.px(10.0);
    let rows_bottom = (bottom - below).max(rows_top + n_rows as i32);
    let row_h = f64::from(rows_bottom - rows_top) / n_rows as f64;
    let row_y = |i: usize| (f64::from(rows_top) + (i as f64 + 0.5) * row_h).round() as i32;

    // Stripes behind every other row, across labels and panels.
    for i in (0..n_rows).step_by(2) {
        let y0 = (f64::from(rows_top) + i as f64 * row_h).round() as i32;
        let y1 = (f64::from(rows_top) + (i + 1) as f64 * row_h).round() as i32;
        draw_rect(root, [(m, y0), (width - m, y1)], STRIPE.filled())?;
    }

    // Row labels, right-aligned against the panels.
    let label_size = theme.legend.min(row_h * 0.8);
    let two_lines = row_h >= 2.3 * label_size;
    let label_style = theme.text(label_size, INK);
    for (i, label) in labels.iter().enumerate() {
        let lines = fit_label(theme, label, label_size, f64::from(label_w), two_lines);
        let line_h = (label_size * 1.1).round() as i32;
        let first = row_y(i) - line_h * (lines.len() as i32 - 1) / 2;
        for (j, line) in lines.iter().enumerate() {
            let at = (m + label_w, first + line_h * j as i32);
            theme.draw_text(root, line, &label_style, at, HPos::Right, VPos::Center)?;
        }
    }

    let thin = theme.px(1.0).max(1) as u32;
    let tick_style = theme.text(theme.tick_label, MUTED);
    let mut markers = Vec::with_capacity(chart.panels.len());
    for (k, panel) in chart.panels.iter().enumerate() {
        let (sx0, sx1) = slot(k as i32);

        // Title, centred over the slot.
        let style = theme.text(theme.axis_label, INK);
        // Titles rest on the rows: shorter ones start lower.
        let first = top + title_line * (title_lines - titles[k].len() as i32);
        for (j, line) in titles[k].iter().enumerate() {
            let at = ((sx0 + sx1) / 2, first + title_line * j as i32);
            theme.draw_text(root, line, &style, at, HPos::Center, VPos::Top)?;
        }

        // The x axis: nice ticks at both ends, inset so that the end labels
        // stay inside the slot (and off the neighbouring panel's).
        let (lo, hi) = panel_range(panel);
        let ((x0, x1), ticks) = panel_axis(theme, (lo, hi), slot_w);
        let labels = ticks.labels();
        // Inset the frame where an end tick's label would stick out of the
        // slot (and into the neighbouring panel's labels).
        let inset = |label: Option<&String>, value: Option<&f64>, from_left: bool| {
            let (Some(label), Some(value)) = (label, value) else {
                return 0;
            };
            let fraction = if from_left {
                (value - x0) / (x1 - x0)
            } else {
                (x1 - value) / (x1 - x0)
            };
            let half = theme.text_width(label, theme.tick_label) / 2.0;
            (half - fraction * f64::from(slot_w)).max(0.0).ceil() as i32 + theme.px(2.0)
        };
        let left = sx0 + inset(labels.first(), ticks.values.first(), true);
        let right = (sx1 - inset(labels.last(), ticks.values.last(), false)).max(left + 1);
        let frame = Frame {
            left: f64::from(left),
            top: f64::from(rows_top),
            right: f64::from(right),
            bottom: f64::from(rows_bottom),
            x: (x0, x1),
            y: (0.0, n_rows as f64),
            x_ticks: ticks,
            y_ticks: Ticks::default(),
        };
        let px = |v: f64| frame.map(v, 0.0).0.round() as i32;

        // Grid at the ticks, the zero line darker, the axis at the bottom.
        for (value, label) in frame.x_ticks.values.iter().zip(&labels) {
            let x = px(*value);
            draw_path(
                root,
                &[(x, rows_top), (x, rows_bottom)],
                GRID.stroke_width(thin),
            )?;
            draw_path(
                root,
                &[(x, rows_bottom), (x, rows_bottom + tick)],
                AXIS.stroke_width(thin),
            )?;
            let at = (x, rows_bottom + tick + theme.px(4.0));
            theme.draw_text(root, label, &tick_style, at, HPos::Center, VPos::Top)?;
        }
        let zero = px(0.0);
        draw_path(
            root,
            &[(zero, rows_top), (zero, rows_bottom)],
            AXIS.stroke_width(theme.px(1.6).max(1) as u32),
        )?;
        draw_path(
            root,
            &[(left, rows_bottom), (right, rows_bottom)],
            AXIS.stroke_width(thin),
        )?;

        // Axis label, then which way is better. Only the better side is
        // named: two words do not fit under a narrow panel, and the other
        // side follows.
        let mut y = rows_bottom + ticks_h + theme.px(10.0);
        let style = theme.text(x_label_size, INK);
        for line in &x_labels[k] {
            let at = ((left + right) / 2, y);
            theme.draw_text(root, line, &style, at, HPos::Center, VPos::Top)?;
            y += x_label_line;
        }
        y = rows_bottom + ticks_h + theme.px(10.0) + x_label_line * x_label_lines + theme.px(6.0);
        let style = theme.text(theme.tick_label, IMPROVEMENT);
        let (text, at, h_pos) = match panel.better {
            Better::Lower => ("\u{2190} better", (left, y), HPos::Left),
            Better::Higher => ("better \u{2192}", (right, y), HPos::Right),
        };
        theme.draw_text(root, text, &style, at, h_pos, VPos::Top)?;

        // The rows.
        let na_style = theme.text(theme.tick_label, MUTED);
        let mut centres = Vec::with_capacity(n_rows);
        for (i, row) in panel.rows.iter().enumerate() {
            let y = row_y(i);
            if !row.estimate.is_finite() {
                let at = ((left + right) / 2, y);
                theme.draw_text(root, "n/a", &na_style, at, HPos::Center, VPos::Center)?;
                centres.push(None);
                continue;
            }
            let style = Style::of(row, panel.better);
            if !row.low.is_nan() && !row.high.is_nan() {
                // Infinite bounds run to the panel's edge, without a cap.
                let (lo, hi) = (row.low.min(row.high), row.low.max(row.high));
                let x_lo = px(lo).clamp(left, right);
                let x_hi = px(hi).clamp(left, right);
                let caps = (lo.is_finite(), hi.is_finite());
                draw_whisker(root, theme, (x_lo, x_hi, y), style, caps)?;
            }
            let centre = (px(row.estimate), y);
            draw_marker(root, theme, centre, style)?;
            centres.push(Some(centre));
        }
        markers.push(centres);
    }
    Ok(markers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::canvas::{BITMAP, png_with};
    use crate::plot::testing::{check_chart, decode_png, renders_at, write_samples};

    const MANDATES: [&str; 20] = [
        "Observer mission",
        "Traditional peacekeeping",
        "Protection of civilians",
        "Robust peace enforcement (Chapter VII)",
        "Light footprint, local police training",
        "Hearts and minds",
        "Quick-impact projects",
        "Community liaison assistants",
        "Disarmament, demobilisation, reintegration",
        "Security sector reform",
        "Border monitoring",
        "Buffer zone",
        "Safe areas",
        "Targeted sanctions",
        "Mediation support",
        "Elections support",
        "Rule of law and justice",
        "Humanitarian corridors",
        "Early warning network",
        "Regional force",
    ];

    /// 20 mandates × 5 measures, with improvements, deteriorations,
    /// unclear differences and undefined rows.
    fn demo_chart() -> ForestChart {
        let measures = [
            (
                "Civilian deaths",
                "Δ deaths per 10,000 people",
                Better::Lower,
                40.0,
            ),
            (
                "Violent incidents",
                "Δ incidents per month",
                Better::Lower,
                6.0,
            ),
            (
                "Trust in the mission",
                "Δ share of citizens (0–1)",
                Better::Higher,
                0.12,
            ),
            (
                "Displaced people",
                "Δ share of population (%)",
                Better::Lower,
                3.0,
            ),
            (
                "Peacekeeper casualties",
                "Δ per 1,000 troops",
                Better::Lower,
                2.5,
            ),
        ];
        let panels = measures
            .iter()
            .enumerate()
            .map(|(k, &(title, x_label, better, scale))| {
                let rows = MANDATES
                    .iter()
                    .enumerate()
                    .map(|(i, label)| {
                        let (i, k) = (i as f64, k as f64);
                        let estimate = scale * ((i * 0.9 + k * 1.7).sin() * 0.8 - 0.15);
                        let half = scale * (0.25 + 0.2 * (i * 1.3 + k).cos().abs());
                        let undefined = k == 4.0 && (i == 0.0 || i == 14.0);
                        ForestRow {
                            label: label.to_string(),
                            estimate: if undefined { f64::NAN } else { estimate },
                            low: estimate - half,
                            high: estimate + half,
                            significant: true,
                        }
                    })
                    .collect();
                ForestPanel {
                    title: title.to_string(),
                    x_label: x_label.to_string(),
                    better,
                    rows,
                }
            })
            .collect();
        ForestChart {
            title: "Effect of the mandate, compared with no mission".into(),
            subtitle: Some(
                "Gaza scenario · paired differences over 200 replicates, same seeds".into(),
            ),
            footnote: Some(
                "Difference from the no-mission baseline, mean and 95\u{a0}% confidence interval \
                 of paired differences · stabsim explores mechanisms, not a forecast"
                    .into(),
            ),
            panels,
        }
    }

    fn row(label: &str, estimate: f64, low: f64, high: f64) -> ForestRow {
        ForestRow {
            label: label.into(),
            estimate,
            low,
            high,
            significant: true,
        }
    }

    #[test]
    fn renders_labelled_and_deterministic() {
        let texts = [
            "Civilian deaths",
            "Trust in the mission",
            "Peacekeeper casualties",
            "Δ incidents per month",
            "\u{2190} better",
            "better \u{2192}",
            "n/a",
            "Not defined",
            "significant, CI excludes 0",
            "Gaza scenario",
            "not a forecast",
        ];
        let (_, svg) = check_chart(&demo_chart(), render_forest_png, (1400, 900), &texts);
        for mandate in MANDATES {
            // Long labels may be cut, but every one starts as written.
            let start: String = mandate.chars().take(12).collect();
            assert!(svg.contains(&start), "SVG lacks {mandate:?}");
        }
    }

    #[test]
    fn significant_rows_are_filled_and_others_hollow() {
        let panel = ForestPanel {
            title: "Deaths".into(),
            x_label: "Δ deaths".into(),
            better: Better::Lower,
            rows: vec![
                row("improves", -5.0, -8.0, -2.0),
                row("unclear", 1.0, -3.0, 5.0),
                row("worsens", 4.0, 1.0, 7.0),
                row("undefined", f64::NAN, f64::NAN, f64::NAN),
            ],
        };
        let chart = ForestChart {
            title: "Test".into(),
            subtitle: None,
            footnote: None,
            panels: vec![panel],
        };
        let rows = &chart.panels[0].rows;
        for (i, better, style) in [
            (0, Better::Lower, Style::Improvement),
            (0, Better::Higher, Style::Deterioration),
            (1, Better::Lower, Style::Unclear),
            (3, Better::Lower, Style::Unclear),
        ] {
            assert_eq!(Style::of(&rows[i], better), style, "row {i}");
        }
        // An interval excluding 0 that the test does not call significant
        // (e.g. after Holm's adjustment) is hollow.
        let mut not_significant = rows[0].clone();
        not_significant.significant = false;
        assert_eq!(Style::of(&not_significant, Better::Lower), Style::Unclear);

        let (w, h) = (800, 500);
        let mut markers = None;
        let bytes = png_with(w, h, |root, surface| {
            markers = Some(draw_forest(
                root,
                &chart,
                &Theme::for_canvas(w, h).on(surface),
            )?);
            Ok(())
        })
        .unwrap();
        let markers = markers.unwrap();
        let (_, _, pixels) = decode_png(&bytes);
        let ratio = BITMAP.pixel_ratio as i32;
        let at = |p: (i32, i32)| {
            let (x, y) = ((p.0 / ratio) as usize, (p.1 / ratio) as usize);
            let i = (y * w as usize + x) * 3;
            (pixels[i], pixels[i + 1], pixels[i + 2])
        };
        let near = |c: (u8, u8, u8), t: RGBColor| {
            c.0.abs_diff(t.0) < 30 && c.1.abs_diff(t.1) < 30 && c.2.abs_diff(t.2) < 30
        };
        // Filled in colour, or hollow: white at the centre.
        let centre = |i: usize| markers[0][i].unwrap();
        for (i, colour) in [(0, IMPROVEMENT), (1, WHITE), (2, DETERIORATION)] {
            assert!(near(at(centre(i)), colour), "row {i}: {:?}", at(centre(i)));
        }
        assert_eq!(markers[0][3], None);
        // Estimates are placed in order along x.
        assert!(centre(0).0 < centre(1).0 && centre(1).0 < centre(2).0);

        let svg = render_forest_svg(&chart, w, h).unwrap();
        assert!(svg.contains("n/a"));
    }

    #[test]
    fn mismatched_panels_are_rejected() {
        let mut chart = demo_chart();
        chart.panels[2].rows.pop();
        assert!(matches!(
            render_forest_png(&chart, 800, 500),
            Err(PlotError::CountMismatch {
                field: "rows",
                expected: 20,
                found: 19,
                ..
            })
        ));
        let mut chart = demo_chart();
        chart.panels[3].rows.swap(0, 1);
        assert!(matches!(
            render_forest_svg(&chart, 800, 500),
            Err(PlotError::LabelMismatch { index: 0, .. })
        ));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = ForestChart {
            title: "Empty".into(),
            subtitle: None,
            footnote: None,
            panels: vec![],
        };
        assert!(
            render_forest_svg(&empty, 600, 400)
                .unwrap()
                .contains("No data")
        );
        assert!(render_forest_png(&empty, 600, 400).is_ok());
        let odd = ForestPanel {
            title: "Odd values".into(),
            x_label: "x".into(),
            better: Better::Higher,
            rows: vec![
                row("all NaN", f64::NAN, f64::NAN, f64::NAN),
                row("infinite CI", 1.0, f64::NEG_INFINITY, f64::INFINITY),
                row("reversed CI", 1.0, 3.0, 0.5),
                row("no CI", 2.0, f64::NAN, f64::NAN),
                row("huge", 1e300, -1e300, f64::MAX),
            ],
        };
        let chart = ForestChart {
            panels: vec![odd.clone(), odd],
            ..empty
        };
        let sizes = [(1, 1), (120, 80), (1400, 900)];
        assert!(renders_at(&chart, render_forest_png, &sizes));
    }

    #[test]
    #[ignore = "writes sample charts to look at"]
    fn samples() {
        let chart = demo_chart();
        write_samples("forest", &chart, render_forest_png, (1400, 900));
        write_samples("forest-small", &chart, render_forest_png, (1000, 700));
    }
}
