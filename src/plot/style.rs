//! The look shared by every stabsim chart.
//!
//! * the embedded font and its one-time registration ([`ensure_font`]);
//! * the Okabe–Ito palette ([`OKABE_ITO`]) and, per series, a colour and a
//!   line pattern ([`series_colour`], [`series_pattern`]) so that series stay
//!   distinct in greyscale and for colour-blind readers;
//! * sizes that scale with the canvas, and text measured, wrapped and drawn
//!   with the embedded font's own metrics ([`Theme`]);
//! * "nice" axis ticks and their labels ([`nice_ticks`], [`format_tick`]);
//! * a data frame with its axes, grid and tick labels ([`Frame`]);
//! * a legend drawn outside the data area ([`Legend`]), and where a chart
//!   with one data area puts it ([`place_series_legend`]);
//! * a chart's page: title, subtitle and footnote, and the room left
//!   between them ([`draw_page`], [`Page`]).

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};

use super::PlotError;
use super::canvas::Surface;
use super::ttf;

/// The chart font, DejaVu Sans (licence in `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Font family name under which the embedded font is registered with
/// plotters; every text style of stabsim's charts uses it.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Registers the embedded font with plotters, once per process.
///
/// The font is registered as [`FONT_FAMILY`] and also under plotters'
/// generic names (`sans-serif`, `serif`, `monospace`), so that no text can
/// fall through to a system font lookup. Every renderer calls this first;
/// later calls are free.
pub fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FONT_FAMILY, "sans-serif", "serif", "monospace"]
            .iter()
            .all(|name| register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// The Okabe–Ito palette, distinguishable by colour-blind readers, in its
/// canonical order: orange, sky blue, bluish green, yellow, blue, vermillion,
/// reddish purple, black.
pub const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
];

/// Order in which series take colours from [`OKABE_ITO`]: the canonical
/// order, except that yellow, hard to see as a line on white, comes last.
pub const SERIES_ORDER: [usize; 8] = [0, 1, 2, 4, 5, 6, 7, 3];

/// Colour of the `index`-th series (cycling after eight).
pub fn series_colour(index: usize) -> RGBColor {
    OKABE_ITO[SERIES_ORDER[index % SERIES_ORDER.len()]]
}

/// Line pattern of the `index`-th series (cycling after six), so that series
/// remain distinct when printed in greyscale.
pub fn series_pattern(index: usize) -> LinePattern {
    LinePattern::ALL[index % LinePattern::ALL.len()]
}

/// Near-black for titles and labels.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Grey for subtitles, tick labels and footnotes.
pub const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Axis lines and tick marks.
pub const AXIS: RGBColor = RGBColor(0x77, 0x77, 0x77);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);

/// How a line is stroked: solid, or one of several dash patterns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinePattern {
    /// A continuous line.
    Solid,
    /// Medium dashes.
    Dashed,
    /// Dots.
    Dotted,
    /// Alternating dash and dot.
    DashDot,
    /// Long dashes.
    LongDash,
    /// A dash followed by two dots.
    DashDotDot,
}

impl LinePattern {
    /// Every pattern, in the order series use them.
    pub const ALL: [LinePattern; 6] = [
        LinePattern::Solid,
        LinePattern::Dashed,
        LinePattern::Dotted,
        LinePattern::DashDot,
        LinePattern::LongDash,
        LinePattern::DashDotDot,
    ];

    /// Alternating on/off lengths, in multiples of the line width; empty for
    /// a solid line.
    pub fn dashes(self) -> &'static [f64] {
        match self {
            LinePattern::Solid => &[],
            LinePattern::Dashed => &[5.0, 3.0],
            LinePattern::Dotted => &[1.0, 2.0],
            LinePattern::DashDot => &[5.0, 2.5, 1.0, 2.5],
            LinePattern::LongDash => &[11.0, 4.0],
            LinePattern::DashDotDot => &[5.0, 2.0, 1.0, 2.0, 1.0, 2.0],
        }
    }
}

/// Cuts a polyline (in pixels) into the dashes of `pattern` (alternating
/// on/off lengths in pixels). The pattern runs on along the whole path,
/// across vertices, so dense series (one vertex per pixel) still show their
/// dashes. An empty or invalid pattern gives the polyline back whole.
pub fn dash_polyline(points: &[(f64, f64)], pattern: &[f64]) -> Vec<Vec<(f64, f64)>> {
    if points.is_empty() {
        return Vec::new();
    }
    if pattern.is_empty() || pattern.iter().any(|d| !(d.is_finite() && *d > 0.0)) {
        return vec![points.to_vec()];
    }
    let mut dashes = Vec::new();
    let mut index = 0;
    let mut left = pattern[0];
    let mut on = true;
    let mut current = vec![points[0]];
    for pair in points.windows(2) {
        let (mut a, b) = (pair[0], pair[1]);
        let mut length = (b.0 - a.0).hypot(b.1 - a.1);
        while length > left {
            let t = left / length;
            let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if on {
                current.push(p);
                dashes.push(std::mem::take(&mut current));
            } else {
                current = vec![p];
            }
            on = !on;
            index = (index + 1) % pattern.len();
            left = pattern[index];
            a = p;
            length = (b.0 - a.0).hypot(b.1 - a.1);
        }
        if length.is_finite() {
            left -= length;
        }
        if on {
            current.push(b);
        }
    }
    if on && current.len() >= 2 {
        dashes.push(current);
    }
    dashes
}

/// Strokes a polyline given in backend pixels with a colour, width and
/// pattern, on an area whose coordinates are backend pixels (a root area).
pub fn draw_patterned_line<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(f64, f64)],
    colour: RGBColor,
    width: u32,
    pattern: LinePattern,
) -> Result<(), PlotError> {
    let scale = f64::from(width.max(1));
    let dashes: Vec<f64> = pattern.dashes().iter().map(|d| d * scale).collect();
    let style = colour.stroke_width(width);
    for dash in dash_polyline(points, &dashes) {
        let pixels: Vec<(i32, i32)> = dash
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        area.draw(&PathElement::new(pixels, style))
            .map_err(draw_error)?;
    }
    Ok(())
}

/// Sizes (text in plotters' units: the font's ascender-to-descender
/// height, about 1.16 em; lengths in pixels), scaled to the canvas: at
/// 1200 × 700 px the title is 30 units and tick labels 17. Also how text is
/// drawn on the current surface.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Overall scale relative to a 1200 × 700 canvas (times the pixel ratio).
    pub scale: f64,
    /// Title size.
    pub title: f64,
    /// Subtitle size.
    pub subtitle: f64,
    /// Axis label size.
    pub axis_label: f64,
    /// Tick label size.
    pub tick_label: f64,
    /// Legend label size.
    pub legend: f64,
    /// Footnote size.
    pub footnote: f64,
    /// Width of data lines (medians), in pixels.
    pub line_width: u32,
    /// Outer margin, in pixels.
    pub margin: i32,
    /// Opacity of bands (0 transparent, 1 opaque).
    pub band_opacity: f64,
    /// Place text glyph by glyph (bitmaps) rather than as whole strings.
    pub glyph_by_glyph: bool,
}

impl Theme {
    /// The theme for a canvas of `width` × `height` pixels, for SVG (whole
    /// strings, pixel ratio 1); see [`Theme::on`]. Text shrinks more slowly
    /// than the canvas, so small charts stay legible.
    pub fn for_canvas(width: u32, height: u32) -> Theme {
        let ratio = (f64::from(width) / 1200.0).min(f64::from(height) / 700.0);
        let scale = ratio.powf(0.6).clamp(0.5, 3.0);
        Theme {
            scale,
            title: 30.0 * scale,
            subtitle: 20.0 * scale,
            axis_label: 19.0 * scale,
            tick_label: 17.0 * scale,
            legend: 18.0 * scale,
            footnote: 16.0 * scale,
            line_width: ((2.0 * scale).round() as u32).max(1),
            margin: (18.0 * scale).round() as i32,
            band_opacity: 0.22,
            glyph_by_glyph: false,
        }
    }

    /// The same theme on `surface`: every size and length times its pixel
    /// ratio, and its way of drawing text.
    pub fn on(&self, surface: Surface) -> Theme {
        let ratio = surface.pixel_ratio;
        Theme {
            scale: self.scale * ratio,
            title: self.title * ratio,
            subtitle: self.subtitle * ratio,
            axis_label: self.axis_label * ratio,
            tick_label: self.tick_label * ratio,
            legend: self.legend * ratio,
            footnote: self.footnote * ratio,
            line_width: ((f64::from(self.line_width) * ratio).round() as u32).max(1),
            margin: (f64::from(self.margin) * ratio).round() as i32,
            band_opacity: self.band_opacity,
            glyph_by_glyph: surface.glyph_by_glyph,
        }
    }

    /// A pixel length scaled with the theme.
    pub fn px(&self, length: f64) -> i32 {
        (length * self.scale).round() as i32
    }

    /// A text style in the chart font.
    pub fn text(&self, size: f64, colour: RGBColor) -> TextStyle<'static> {
        (FONT_FAMILY, size).into_font().color(&colour)
    }

    /// Width in pixels of `text` at `size`, from the font's advances and
    /// kerning (the same on every back end).
    pub fn text_width(&self, text: &str, size: f64) -> f64 {
        match ttf::chart_font() {
            Some(m) => m.layout(text).1 * size / m.height,
            None => 0.55 * size * text.chars().count() as f64,
        }
    }

    /// Breaks `text` into lines no wider than `max_width` pixels, at spaces
    /// (and at line breaks). A word wider than the limit gets its own line.
    pub fn wrap_text(&self, text: &str, size: f64, max_width: f64) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if line.is_empty() || self.text_width(&candidate, size) <= max_width {
                    line = candidate;
                } else {
                    lines.push(std::mem::replace(&mut line, word.to_string()));
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Draws `text` anchored at `pos`: horizontally by its left edge, centre
    /// or right edge; vertically by its top (capitals just below `pos`),
    /// centre (capitals and digits centred on `pos`) or bottom (descenders
    /// resting on `pos`). Bitmap and SVG output agree.
    #[allow(clippy::too_many_arguments)]
    pub fn draw_text<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
        style: &TextStyle<'_>,
        pos: (i32, i32),
        h_pos: HPos,
        v_pos: VPos,
    ) -> Result<(), PlotError> {
        if text.trim().is_empty() {
            return Ok(());
        }
        let metrics = match ttf::chart_font() {
            Some(m) if self.glyph_by_glyph => m,
            _ => {
                let style = style.pos(Pos::new(h_pos, v_pos));
                return area.draw_text(text, &style, pos).map_err(draw_error);
            }
        };
        // plotters' bitmap text ignores side bearings: place each glyph.
        let size = style.font.get_size();
        let unit = size / metrics.height;
        let (glyphs, advance) = metrics.layout(text);
        let left = f64::from(pos.0)
            - match h_pos {
                HPos::Left => 0.0,
                HPos::Center => advance * unit / 2.0,
                HPos::Right => advance * unit,
            };
        let [top, centre, bottom] = ttf::BASELINES_EM.map(|f| f(metrics));
        let baseline_em = match v_pos {
            VPos::Top => top,
            VPos::Center => centre,
            VPos::Bottom => bottom,
        };
        let baseline = f64::from(pos.1) + baseline_em * metrics.units_per_em * unit;
        // A glyph drawn at (x, y), anchored top left, has its baseline at
        // y + size / 2 and its ink from x (at its bearing's pixel fraction).
        let y = (baseline - size / 2.0).round() as i32;
        let glyph_style = style.pos(Pos::new(HPos::Left, VPos::Top));
        let mut buf = [0u8; 4];
        for (c, pen, lsb) in glyphs {
            if c.is_whitespace() {
                continue;
            }
            let x = (left + pen * unit).round() as i32 + (lsb * unit).floor() as i32;
            area.draw_text(c.encode_utf8(&mut buf), &glyph_style, (x, y))
                .map_err(draw_error)?;
        }
        Ok(())
    }
}

/// Nice tick positions covering `[lo, hi]` with about `target` intervals:
/// multiples of 1, 2, 2.5 or 5 × 10ⁿ. Returns the ticks inside the range and
/// the step. A degenerate or non-finite range gives no ticks.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (Vec::new(), 0.0);
    }
    let step = nice_step(span / target.max(1) as f64);
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    let mut ticks = Vec::new();
    let mut k = first;
    while k <= last && ticks.len() < 1000 {
        // Snap near-zero values so that labels read "0", not "-0".
        let v = k * step;
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    (ticks, step)
}

/// The smallest "nice" step (1, 2, 2.5 or 5 × 10ⁿ) not below `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&n| n >= fraction * (1.0 - 1e-9))
        .unwrap_or(10.0);
    nice * magnitude
}

/// Formats a tick value with as many decimals as the step needs and
/// thousands separators ("12,500", "0.25", "−3").
pub fn format_tick(value: f64, step: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let mut decimals = 0;
    if step > 0.0 && step.is_finite() {
        while decimals < 10 {
            let scaled = step * 10f64.powi(decimals);
            if (scaled.round() - scaled).abs() <= 1e-6 * scaled.max(1.0) {
                break;
            }
            decimals += 1;
        }
    }
    let text = format!("{:.*}", decimals as usize, value.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(f) = frac_part {
        grouped.push('.');
        grouped.push_str(f);
    }
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !is_zero {
        format!("\u{2212}{grouped}")
    } else {
        grouped
    }
}

/// Converts a plotters drawing error into a [`PlotError`].
pub fn draw_error<E: std::fmt::Display>(error: E) -> PlotError {
    PlotError::Draw(error.to_string())
}

/// Ticks of one axis: positions and the step that formats their labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ticks {
    /// Tick positions, in data units.
    pub values: Vec<f64>,
    /// Distance between ticks (sets the decimals of labels).
    pub step: f64,
}

impl Ticks {
    /// Nice ticks inside `[lo, hi]`, about `target` intervals.
    pub fn nice(lo: f64, hi: f64, target: usize) -> Ticks {
        let (values, step) = nice_ticks(lo, hi, target);
        Ticks { values, step }
    }

    /// The labels of the ticks.
    pub fn labels(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|v| format_tick(*v, self.step))
            .collect()
    }
}

/// A data area in pixels and the data ranges it shows, with its axes: grid
/// lines at the y ticks, axis lines at the left and bottom, tick labels and
/// an x-axis label under the ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Left edge of the data area, in pixels.
    pub left: f64,
    /// Top edge of the data area.
    pub top: f64,
    /// Right edge of the data area.
    pub right: f64,
    /// Bottom edge of the data area.
    pub bottom: f64,
    /// Data range shown along x (left to right).
    pub x: (f64, f64),
    /// Data range shown along y (bottom to top).
    pub y: (f64, f64),
    /// Ticks of the x axis.
    pub x_ticks: Ticks,
    /// Ticks of the y axis.
    pub y_ticks: Ticks,
}

impl Frame {
    /// The largest frame whose axes, tick labels and x-axis label (if
    /// `x_label` is not empty) fit in the box `(left, top, right, bottom)`.
    #[allow(clippy::too_many_arguments)]
    pub fn fit(
        theme: &Theme,
        outer: (i32, i32, i32, i32),
        x: (f64, f64),
        y: (f64, f64),
        x_ticks: Ticks,
        y_ticks: Ticks,
        x_label: &str,
    ) -> Frame {
        let (l, t, r, b) = outer;
        let y_label_w = y_ticks
            .labels()
            .iter()
            .map(|s| theme.text_width(s, theme.tick_label))
            .fold(0.0, f64::max);
        // Half of the last x tick label may stick out on the right.
        let x_overhang = x_ticks
            .labels()
            .last()
            .map_or(0.0, |s| theme.text_width(s, theme.tick_label) / 2.0);
        let mut bottom_inset = f64::from(theme.px(8.0)) + theme.tick_label;
        if !x_label.is_empty() {
            bottom_inset += f64::from(theme.px(10.0)) + theme.axis_label;
        }
        let left = f64::from(l) + y_label_w + f64::from(theme.px(12.0));
        let right = (f64::from(r) - x_overhang.min(f64::from(theme.px(40.0)))).max(left + 1.0);
        let top = f64::from(t) + theme.tick_label / 2.0;
        let bottom = (f64::from(b) - bottom_inset).max(top + 1.0);
        Frame {
            left,
            top,
            right,
            bottom,
            x,
            y,
            x_ticks,
            y_ticks,
        }
    }

    /// Pixel position of the data point `(x, y)`, clamped to a margin of
    /// one frame size around the frame, so that far-off values stay cheap
    /// to draw (dashes along a line a billion pixels long would not be).
    pub fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let (w, h) = (self.right - self.left, self.bottom - self.top);
        let fx = (x - self.x.0) / (self.x.1 - self.x.0);
        let fy = (y - self.y.0) / (self.y.1 - self.y.0);
        (
            (self.left + fx * w).clamp(self.left - w, self.right + w),
            (self.bottom - fy * h).clamp(self.top - h, self.bottom + h),
        )
    }

    /// Pixel position of `(x, y)`, rounded for drawing.
    pub fn map_i(&self, x: f64, y: f64) -> (i32, i32) {
        let (px, py) = self.map(x, y);
        (px.round() as i32, py.round() as i32)
    }

    /// Draws grid lines, axes, tick marks, tick labels and the x-axis label.
    pub fn draw_axes<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        x_label: &str,
    ) -> Result<(), PlotError> {
        let thin = theme.px(1.0).max(1) as u32;
        let (l, r) = (self.left.round() as i32, self.right.round() as i32);
        let (t, b) = (self.top.round() as i32, self.bottom.round() as i32);
        let tick = theme.px(5.0);
        let tick_style = theme.text(theme.tick_label, MUTED);
        for (value, label) in self.y_ticks.values.iter().zip(self.y_ticks.labels()) {
            let y = self.map_i(self.x.0, *value).1;
            if y < t - 1 || y > b + 1 {
                continue;
            }
            if y < b - 1 {
                area.draw(&PathElement::new(
                    vec![(l, y), (r, y)],
                    GRID.stroke_width(thin),
                ))
                .map_err(draw_error)?;
            }
            area.draw(&PathElement::new(
                vec![(l - tick, y), (l, y)],
                AXIS.stroke_width(thin),
            ))
            .map_err(draw_error)?;
            theme.draw_text(
                area,
                &label,
                &tick_style,
                (l - tick - theme.px(4.0), y),
                HPos::Right,
                VPos::Center,
            )?;
        }
        for (value, label) in self.x_ticks.values.iter().zip(self.x_ticks.labels()) {
            let x = self.map_i(*value, self.y.0).0;
            if x < l - 1 || x > r + 1 {
                continue;
            }
            area.draw(&PathElement::new(
                vec![(x, b), (x, b + tick)],
                AXIS.stroke_width(thin),
            ))
            .map_err(draw_error)?;
            theme.draw_text(
                area,
                &label,
                &tick_style,
                (x, b + tick + theme.px(4.0)),
                HPos::Center,
                VPos::Top,
            )?;
        }
        area.draw(&PathElement::new(
            vec![(l, t), (l, b), (r, b)],
            AXIS.stroke_width(thin),
        ))
        .map_err(draw_error)?;
        if !x_label.is_empty() {
            let y = b + theme.px(8.0) + theme.tick_label.round() as i32 + theme.px(10.0);
            theme.draw_text(
                area,
                x_label,
                &theme.text(theme.axis_label, INK),
                ((l + r) / 2, y),
                HPos::Center,
                VPos::Top,
            )?;
        }
        Ok(())
    }
}

/// One legend entry: a label and how its series is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// Text shown beside the key.
    pub label: String,
    /// Series colour.
    pub colour: RGBColor,
    /// Line pattern of the series' line.
    pub pattern: LinePattern,
    /// Whether the key shows a band (a translucent box) behind the line.
    pub band: bool,
}

/// A legend drawn in its own box, outside the data area: one entry per row
/// (beside a chart) or entries side by side, wrapping (below it).
#[derive(Clone, Debug)]
pub struct Legend {
    /// The entries, in order.
    pub entries: Vec<LegendEntry>,
    /// Entries side by side (for a legend below the chart) rather than stacked.
    pub horizontal: bool,
}

impl Legend {
    fn key_size(theme: &Theme) -> (i32, i32) {
        (theme.px(44.0), theme.px(18.0))
    }

    fn row_height(theme: &Theme) -> i32 {
        (theme.legend * 1.55).round() as i32
    }

    fn entry_width(entry: &LegendEntry, theme: &Theme) -> i32 {
        let text = theme.text_width(&entry.label, theme.legend).ceil() as i32;
        Self::key_size(theme).0 + theme.px(10.0) + text
    }

    /// Size in pixels of the legend; a horizontal legend wraps at
    /// `max_width`.
    pub fn size(&self, theme: &Theme, max_width: i32) -> (i32, i32) {
        self.layout(theme, max_width).1
    }

    /// Top-left corner of each entry relative to the legend, and the
    /// legend's size.
    fn layout(&self, theme: &Theme, max_width: i32) -> (Vec<(i32, i32)>, (i32, i32)) {
        let row = Self::row_height(theme);
        let gap = theme.px(28.0);
        let mut positions = Vec::with_capacity(self.entries.len());
        let (mut x, mut y, mut width) = (0, 0, 0);
        for entry in &self.entries {
            let w = Self::entry_width(entry, theme);
            if self.horizontal {
                if x > 0 && x + w > max_width {
                    x = 0;
                    y += row;
                }
                positions.push((x, y));
                width = width.max(x + w);
                x += w + gap;
            } else {
                positions.push((0, y));
                width = width.max(w);
                y += row;
            }
        }
        let height = match (self.horizontal, self.entries.is_empty()) {
            (_, true) => 0,
            (true, false) => y + row,
            (false, false) => y,
        };
        (positions, (width, height))
    }

    /// Draws the legend with its top-left corner at `origin` (pixels, on a
    /// root area).
    pub fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
        origin: (i32, i32),
        max_width: i32,
    ) -> Result<(), PlotError> {
        let (positions, _) = self.layout(theme, max_width);
        let (key_w, key_h) = Self::key_size(theme);
        let row = Self::row_height(theme);
        let style = theme.text(theme.legend, INK);
        for (entry, (dx, dy)) in self.entries.iter().zip(positions) {
            let (x, y) = (origin.0 + dx, origin.1 + dy);
            let mid = y + row / 2;
            if entry.band {
                area.draw(&Rectangle::new(
                    [(x, mid - key_h / 2), (x + key_w, mid + key_h / 2)],
                    entry.colour.mix(theme.band_opacity).filled(),
                ))
                .map_err(draw_error)?;
            }
            draw_patterned_line(
                area,
                &[
                    (f64::from(x), f64::from(mid)),
                    (f64::from(x + key_w), f64::from(mid)),
                ],
                entry.colour,
                theme.line_width,
                entry.pattern,
            )?;
            theme.draw_text(
                area,
                &entry.label,
                &style,
                (x + key_w + theme.px(10.0), mid),
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

/// Draws a chart's title and optional subtitle from `(left, top)`, each
/// wrapped to `max_width` pixels, as band charts do; returns the y where
/// the chart's content may start (below them and a gap).
pub fn draw_header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    subtitle: Option<&str>,
    (left, top): (i32, i32),
    max_width: i32,
) -> Result<i32, PlotError> {
    let mut y = top;
    let max_width = f64::from(max_width.max(1));
    let title_style = theme.text(theme.title, INK);
    for line in theme.wrap_text(title, theme.title, max_width) {
        theme.draw_text(area, &line, &title_style, (left, y), HPos::Left, VPos::Top)?;
        y += (theme.title * 1.15).round() as i32;
    }
    if let Some(subtitle) = subtitle.filter(|s| !s.trim().is_empty()) {
        let style = theme.text(theme.subtitle, MUTED);
        y += theme.px(2.0);
        for line in theme.wrap_text(subtitle, theme.subtitle, max_width) {
            theme.draw_text(area, &line, &style, (left, y), HPos::Left, VPos::Top)?;
            y += (theme.subtitle * 1.25).round() as i32;
        }
    }
    Ok(y + theme.px(16.0))
}

/// Draws an optional footnote, wrapped to `max_width`, with its last line
/// resting on `bottom`, as band charts do; returns the lowest y the
/// chart's content may use (above the footnote and a gap), or `bottom`
/// when there is no footnote.
pub fn draw_footnote<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    footnote: Option<&str>,
    (left, bottom): (i32, i32),
    max_width: i32,
) -> Result<i32, PlotError> {
    let Some(footnote) = footnote.filter(|s| !s.trim().is_empty()) else {
        return Ok(bottom);
    };
    let style = theme.text(theme.footnote, MUTED);
    let lines = theme.wrap_text(footnote, theme.footnote, f64::from(max_width.max(1)));
    let line_h = (theme.footnote * 1.25).round() as i32;
    for (i, line) in lines.iter().rev().enumerate() {
        let at = (left, bottom - line_h * i as i32);
        theme.draw_text(area, line, &style, at, HPos::Left, VPos::Bottom)?;
    }
    Ok(bottom - line_h * lines.len() as i32 - theme.px(14.0))
}

/// A chart's page once [`draw_page`] has drawn its title, subtitle and
/// footnote: the canvas size, the margin, and the band between header and
/// footnote that is left for the chart itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Canvas width in pixels.
    pub width: i32,
    /// Canvas height in pixels.
    pub height: i32,
    /// Margin on every side ([`Theme::margin`]).
    pub margin: i32,
    /// Width between the left and right margins (at least 1).
    pub content_w: i32,
    /// Highest y the chart may use: below the title, subtitle and a gap.
    pub top: i32,
    /// Lowest y the chart may use: above the footnote and a gap, or the
    /// bottom margin without a footnote.
    pub bottom: i32,
}

/// Sets up a chart's page, as every chart does first: title and subtitle at
/// the top left ([`draw_header`]), the footnote at the bottom left
/// ([`draw_footnote`]), both inside the theme's margin and wrapped to the
/// width between the margins. Returns the [`Page`], with the room left
/// between them.
pub fn draw_page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    subtitle: Option<&str>,
    footnote: Option<&str>,
) -> Result<Page, PlotError> {
    let (width, height) = root.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let margin = theme.margin;
    let content_w = (width - 2 * margin).max(1);
    let top = draw_header(root, theme, title, subtitle, (margin, margin), content_w)?;
    let bottom = draw_footnote(root, theme, footnote, (margin, height - margin), content_w)?;
    Ok(Page {
        width,
        height,
        margin,
        content_w,
        top,
        bottom,
    })
}

/// Draws a y-axis label horizontally with its top-left corner at `at`,
/// above the axis, where it reads more easily than turned on its side;
/// returns the y below it where the data area may start.
pub fn draw_y_label_above<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    label: &str,
    at: (i32, i32),
) -> Result<i32, PlotError> {
    let style = theme.text(theme.axis_label, INK);
    theme.draw_text(root, label, &style, at, HPos::Left, VPos::Top)?;
    Ok(at.1 + (theme.axis_label * 1.5).round() as i32)
}

/// Writes "No data" in grey, at text `size`, centred on `centre`: what a
/// chart or a panel shows when it has nothing to draw.
pub fn draw_no_data<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    size: f64,
    centre: (i32, i32),
) -> Result<(), PlotError> {
    let style = theme.text(size, MUTED);
    theme.draw_text(root, "No data", &style, centre, HPos::Center, VPos::Center)
}

/// The legend of a chart with a single data area (band and survival
/// charts), placed by [`place_series_legend`] and drawn with
/// [`SeriesLegend::draw`] once the data are drawn.
#[derive(Clone, Debug)]
pub struct SeriesLegend {
    /// The legend, stacked (beside the data area) or side by side (below).
    pub legend: Legend,
    /// Its top-left corner; `None` when it has no entries.
    pub origin: Option<(i32, i32)>,
    /// Width at which a legend below the data area wraps.
    pub max_width: i32,
}

/// Places the legend of a chart with a single data area whose top is `top`
/// and that may reach down to `page.bottom`: to the right of the data area,
/// one entry per row, when the legend takes at most 30 % of the canvas
/// width; otherwise below it, entries side by side. Returns the legend and
/// the right and bottom edges it leaves to the data area. Nothing is drawn
/// yet, so that the legend can be drawn after the data.
pub fn place_series_legend(
    theme: &Theme,
    page: &Page,
    entries: Vec<LegendEntry>,
    top: i32,
) -> (SeriesLegend, i32, i32) {
    let mut legend = Legend {
        entries,
        horizontal: false,
    };
    let (legend_w, _) = legend.size(theme, page.content_w);
    let gap = theme.px(32.0);
    let mut right = page.width - page.margin;
    let mut bottom = page.bottom;
    let mut origin = None;
    if !legend.entries.is_empty() {
        if legend_w <= page.width * 3 / 10 {
            right -= legend_w + gap;
            origin = Some((right + gap, top));
        } else {
            legend.horizontal = true;
            let (_, legend_h) = legend.size(theme, page.content_w);
            bottom -= legend_h;
            origin = Some((page.margin, bottom));
            bottom -= theme.px(14.0);
        }
    }
    let placed = SeriesLegend {
        legend,
        origin,
        max_width: page.content_w,
    };
    (placed, right, bottom)
}

impl SeriesLegend {
    /// Draws the legend where [`place_series_legend`] put it (nothing
    /// without entries).
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        match self.origin {
            Some(origin) => self.legend.draw(root, theme, origin, self.max_width),
            None => Ok(()),
        }
    }
}

/// The legend entries of series drawn in order with [`series_colour`] and
/// [`series_pattern`], one per label; `band` when each series has a band
/// behind its line.
pub fn series_entries<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    band: bool,
) -> Vec<LegendEntry> {
    labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| LegendEntry {
            label: label.to_string(),
            colour: series_colour(i),
            pattern: series_pattern(i),
            band,
        })
        .collect()
}

/// The SVG `<desc>` of a chart: its subtitle and footnote, one per line.
pub fn description(subtitle: Option<&str>, footnote: Option<&str>) -> String {
    [subtitle, footnote]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` cut to fit `max_width` pixels at `size`, ending in "…" when cut,
/// for labels that must stay on one line (row labels, panel titles).
pub fn ellipsize(theme: &Theme, text: &str, size: f64, max_width: f64) -> String {
    if theme.text_width(text, size) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Longest prefix that fits with the ellipsis (binary search: widths
    // grow with the prefix).
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "\u{2026}";
        if theme.text_width(&candidate, size) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    format!("{}\u{2026}", prefix.trim_end())
}

/// Ticks for an axis that must cover `[lo, hi]`: multiples of the nice
/// step for about `target` intervals, from the last one at or below `lo` to
/// the first one at or above `hi`, so that both ends of the axis carry a
/// labelled tick. A degenerate range gets room around it; a non-finite or
/// reversed one gives the axis of `[0, 1]`.
pub fn nice_axis(lo: f64, hi: f64, target: usize) -> Ticks {
    let (mut lo, mut hi) = (lo, hi);
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    if hi == lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let (first, last) = ((lo / step + 1e-9).floor(), (hi / step - 1e-9).ceil());
    if !(first.is_finite() && last.is_finite() && last > first && last - first <= 1000.0) {
        // Overflow or a range too wide for f64: fall back to the ends.
        return Ticks {
            values: vec![lo, hi],
            step: hi - lo,
        };
    }
    let values = (0..=(last - first) as i64)
        .map(|k| {
            let v = (first + k as f64) * step;
            // Snap near-zero values so that labels read "0", not "-0".
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    Ticks { values, step }
}

/// An axis over data in `[lo, hi]`: ticks at multiples of a nice step for
/// about `target` intervals, inside the range, and the range itself, each
/// end moved out to the next tick when that is within `slack` (a fraction
/// of the span). Ends fall on ticks where that wastes little room, and the
/// data fill the frame where it would waste much. A degenerate range gets
/// room around it; a non-finite one gives `[0, 1]`.
pub fn snug_axis(lo: f64, hi: f64, target: usize, slack: f64) -> ((f64, f64), Ticks) {
    let (mut lo, mut hi) = (lo, hi);
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    if hi == lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
    }
    let span = hi - lo;
    if !span.is_finite() {
        // Beyond f64: no sensible ticks.
        return ((lo, hi), Ticks::default());
    }
    let step = nice_step(span / target.max(1) as f64);
    let (down, up) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let lo = if lo - down <= slack * span { down } else { lo };
    let hi = if up - hi <= slack * span { up } else { hi };
    let (first, last) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
    let count = (last - first).clamp(-1.0, 1000.0) as i64;
    let values = (0..=count)
        .map(|k| {
            let v = (first + k as f64) * step;
            // Snap near-zero values so that labels read "0", not "-0".
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    ((lo, hi), Ticks { values, step })
}

/// The finest nice ticks over `range` (at most about `most` intervals)
/// whose labels, at text `size`, keep apart along an axis `length` pixels
/// long; at least about two intervals.
pub fn fitted_ticks(
    theme: &Theme,
    range: (f64, f64),
    length: f64,
    size: f64,
    most: usize,
) -> Ticks {
    let mut target = most.max(2);
    loop {
        let ticks = Ticks::nice(range.0, range.1, target);
        let widest = ticks
            .labels()
            .iter()
            .map(|l| theme.text_width(l, size))
            .fold(0.0, f64::max);
        let spacing = length * ticks.step / (range.1 - range.0);
        if target <= 2 || widest + f64::from(theme.px(16.0)) <= spacing {
            return ticks;
        }
        target -= 1;
    }
}

/// Whether decoded RGB `pixels` contain the first series' colour
/// (Okabe–Ito orange, [`series_colour`]`(0)`): a chart test's check that
/// its first series was drawn.
#[cfg(test)]
pub(crate) fn has_first_series_colour(pixels: &[u8]) -> bool {
    pixels
        .chunks(3)
        .any(|p| p[0] > 200 && p[1] > 130 && p[1] < 180 && p[2] < 60)
}

/// Decodes a PNG into its width, height and RGB8 pixels (tests).
#[cfg(test)]
pub(crate) fn decode_png(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Whether every word of `text` appears in `svg` (labels may be wrapped
/// over several `<text>` elements) (tests).
#[cfg(test)]
pub(crate) fn svg_has_words(svg: &str, text: &str) -> bool {
    text.split_whitespace().all(|word| svg.contains(word))
}

/// Writes a sample chart to `$TMPDIR/plot-samples/name`, for looking at
/// (the ignored `samples` tests).
#[cfg(test)]
pub(crate) fn write_sample(name: &str, bytes: &[u8]) {
    let dir = std::env::temp_dir().join("plot-samples");
    std::fs::create_dir_all(&dir).expect("sample folder");
    std::fs::write(dir.join(name), bytes).expect("sample file");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_is_okabe_ito() {
        assert_eq!(OKABE_ITO[0], RGBColor(0xE6, 0x9F, 0x00));
        assert_eq!(OKABE_ITO[7], RGBColor(0, 0, 0));
        assert_eq!(series_colour(3), OKABE_ITO[4]);
        assert_eq!(series_colour(7), OKABE_ITO[3]);
        assert_eq!(series_colour(8), series_colour(0));
        assert_ne!(series_pattern(0), series_pattern(1));
    }

    #[test]
    fn font_registers() {
        ensure_font().unwrap();
        ensure_font().unwrap();
    }

    #[test]
    fn text_width_agrees_with_plotters() {
        ensure_font().unwrap();
        let theme = Theme::for_canvas(1200, 700);
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
        for text in ["Citizens by state", "AVAVA To Wa", "5\u{2013}95 % · 1,200"] {
            let style = theme.text(40.0, INK);
            let (w, _) = area.estimate_text_size(text, &style).unwrap();
            let ours = theme.text_width(text, 40.0);
            assert!(
                (ours - f64::from(w)).abs() <= 1.5,
                "{text:?}: {ours} vs {w}"
            );
        }
        let lines = theme.wrap_text(
            "one two three four",
            17.0,
            theme.text_width("three four", 17.0),
        );
        assert_eq!(lines, vec!["one two", "three four"]);
        assert_eq!(theme.wrap_text("", 17.0, 10.0), Vec::<String>::new());
    }

    #[test]
    fn ticks_are_nice() {
        let (ticks, step) = nice_ticks(0.0, 1000.0, 6);
        assert_eq!(step, 200.0);
        assert_eq!(ticks, vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
        let (ticks, step) = nice_ticks(0.0, 1.0, 4);
        assert_eq!(step, 0.25);
        assert_eq!(ticks.len(), 5);
        assert!(nice_ticks(1.0, 1.0, 5).0.is_empty());
        assert!(nice_ticks(f64::NAN, 1.0, 5).0.is_empty());
    }

    #[test]
    fn ticks_format() {
        assert_eq!(format_tick(12500.0, 500.0), "12,500");
        assert_eq!(format_tick(0.25, 0.25), "0.25");
        assert_eq!(format_tick(0.5, 0.25), "0.50");
        assert_eq!(format_tick(-3.0, 1.0), "\u{2212}3");
        assert_eq!(format_tick(-0.0, 1.0), "0");
        assert_eq!(format_tick(1_000_000.0, 200_000.0), "1,000,000");
        assert_eq!(format_tick(f64::NAN, 1.0), "");
    }

    #[test]
    fn dashes_follow_the_path() {
        // A 20 px line, 5 on / 5 off: two dashes.
        let dashes = dash_polyline(&[(0.0, 0.0), (20.0, 0.0)], &[5.0, 5.0]);
        assert_eq!(dashes.len(), 2);
        assert_eq!(dashes[0], vec![(0.0, 0.0), (5.0, 0.0)]);
        assert_eq!(dashes[1], vec![(10.0, 0.0), (15.0, 0.0)]);
        // Many 1 px steps: the pattern carries across vertices.
        let points: Vec<(f64, f64)> = (0..=20).map(|i| (f64::from(i), 0.0)).collect();
        let dashes = dash_polyline(&points, &[5.0, 5.0]);
        assert_eq!(dashes.len(), 2);
        assert_eq!(dashes[0].first(), Some(&(0.0, 0.0)));
        assert_eq!(dashes[0].last(), Some(&(5.0, 0.0)));
        // Solid and degenerate inputs.
        assert_eq!(dash_polyline(&points, &[]).len(), 1);
        assert!(dash_polyline(&[], &[1.0, 1.0]).is_empty());
        assert_eq!(dash_polyline(&points, &[0.0, 1.0]).len(), 1);
    }

    #[test]
    fn helpers_fit_text_and_ranges() {
        let theme = Theme::for_canvas(1200, 700);
        assert_eq!(ellipsize(&theme, "short", 17.0, 500.0), "short");
        let cut = ellipsize(&theme, "a label far too long for its column", 17.0, 80.0);
        assert!(cut.ends_with('\u{2026}') && theme.text_width(&cut, 17.0) <= 80.0);
        let ends = |t: Ticks| (t.values[0], *t.values.last().unwrap());
        assert_eq!(ends(nice_axis(0.3, 9.2, 5)), (0.0, 10.0));
        assert_eq!(
            nice_axis(-3.2, 0.0, 4).values,
            vec![-4.0, -3.0, -2.0, -1.0, 0.0]
        );
        // The ends are ticks even when the span is awkward for the target.
        assert_eq!(
            nice_axis(-60.0, 30.0, 2).values,
            vec![-100.0, -50.0, 0.0, 50.0]
        );
        assert_eq!(ends(nice_axis(f64::NAN, 1.0, 4)), (0.0, 1.0));
        let (lo, hi) = ends(nice_axis(5.0, 5.0, 4));
        assert!(lo < 5.0 && hi > 5.0);
        assert_eq!(nice_axis(-f64::MAX, f64::MAX, 4).values.len(), 2);
        // Snug: the top moves to 1.25 (close), not to 1.5 (far).
        let ((lo, hi), ticks) = snug_axis(0.0, 1.2, 5, 0.1);
        assert_eq!((lo, hi), (0.0, 1.25));
        assert_eq!(ticks.values, vec![0.0, 0.25, 0.5, 0.75, 1.0, 1.25]);
        let ((lo, hi), ticks) = snug_axis(-0.3, 1.05, 2, 0.1);
        assert_eq!((lo, hi), (-0.3, 1.05));
        assert_eq!(ticks.values, vec![0.0, 1.0]);
        assert!(snug_axis(-f64::MAX, f64::MAX, 4, 0.1).1.values.is_empty());
        // Long labels on a short axis: fewer ticks.
        let wide = fitted_ticks(&theme, (0.0, 1e6), 1000.0, 17.0, 8);
        let narrow = fitted_ticks(&theme, (0.0, 1e6), 150.0, 17.0, 8);
        assert!(narrow.values.len() < wide.values.len() && narrow.values.len() >= 2);
        assert_eq!(description(Some("a"), None), "a");
        assert_eq!(description(Some("a"), Some("b")), "a\nb");
    }
}
