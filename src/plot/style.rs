//! The look shared by every stabsim chart.
//!
//! * the Okabe–Ito palette ([`OKABE_ITO`]) and, per series, a colour and a
//!   line pattern ([`series_colour`], [`series_pattern`]) so that series stay
//!   distinct in greyscale and for colour-blind readers;
//! * sizes that scale with the canvas, and text measured, wrapped and drawn
//!   with the embedded font's own metrics ([`Theme`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::canvas::Surface;
use super::error::{PlotError, draw_error};
use super::font::{self, FONT_FAMILY};

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

/// Palette indices of the series after an emphasised first one: the
/// Okabe–Ito colours without black (the emphasised line's), yellow last.
const OTHERS_ORDER: [usize; 7] = [0, 1, 2, 4, 5, 6, 3];

/// Colour, pattern and line-width factor of the `index`-th series. With
/// `emphasise_first`, series 0 is the reference (a baseline): the heavy dark
/// line, solid, twice as wide; the others take the remaining colours.
/// Every chart that shows a baseline draws it from here, so that it looks
/// the same in all of them.
pub fn series_style(index: usize, emphasise_first: bool) -> (RGBColor, LinePattern, u32) {
    match (emphasise_first, index) {
        (false, _) => (series_colour(index), series_pattern(index), 1),
        (true, 0) => (INK, LinePattern::Solid, 2),
        (true, _) => (
            OKABE_ITO[OTHERS_ORDER[(index - 1) % OTHERS_ORDER.len()]],
            series_pattern(index),
            1,
        ),
    }
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

/// Draws the polyline through `points` (pixels of `area`).
pub fn draw_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(i32, i32)],
    style: ShapeStyle,
) -> Result<(), PlotError> {
    area.draw(&PathElement::new(points, style))
        .map_err(draw_error)
}

/// Draws the rectangle with opposite corners `corners` (pixels of `area`).
pub fn draw_rect<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    corners: [(i32, i32); 2],
    style: ShapeStyle,
) -> Result<(), PlotError> {
    area.draw(&Rectangle::new(corners, style))
        .map_err(draw_error)
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
        draw_path(area, &pixels, style)?;
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
        match font::chart_font() {
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
        let metrics = match font::chart_font() {
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
        let [top, centre, bottom] = font::BASELINES_EM.map(|f| f(metrics));
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
    fn text_width_agrees_with_plotters() {
        crate::plot::font::ensure_font().unwrap();
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
    fn long_text_is_ellipsized() {
        let theme = Theme::for_canvas(1200, 700);
        assert_eq!(ellipsize(&theme, "short", 17.0, 500.0), "short");
        let cut = ellipsize(&theme, "a label far too long for its column", 17.0, 80.0);
        assert!(cut.ends_with('\u{2026}') && theme.text_width(&cut, 17.0) <= 80.0);
    }
}
