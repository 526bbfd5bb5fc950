//! Raster maps of the grid: panels side by side, one value per cell,
//! categorical (terrain, who controls a cell) or continuous (incidents,
//! trust), each with its own legend or colour bar beneath it.
//!
//! Every panel shows the same grid of `width` × `height` square cells, row
//! 0 at the top (north). Panels share the canvas's width; the cell size is
//! the largest that fits both the width of a panel and the height left by
//! the titles and legends, so tall narrow grids (Gaza, 56 × 160) stand as
//! tall as the canvas allows.
//!
//! **Colours.** Categories bring their own colours. Continuous values use
//! viridis (perceptually uniform, readable by colour-blind readers and in
//! greyscale), in [`LEVELS`] steps: finer than the eye tells apart on a map,
//! and few enough for an animated GIF's palette. Cells without data are
//! light grey.
//!
//! **Back ends.** In bitmaps (PNG, and raw RGB for [`super::gif`]) cells
//! are painted after the supersampled text and lines are averaged down, one
//! output pixel at a time (nearest cell): edges stay crisp and no blended
//! colours appear between cells. In SVG, each run of equal cells along a
//! row is one `<rect>`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Ticks, fitted_ticks};
use super::canvas::{BITMAP, encode_png, rgb_with};
use super::error::PlotError;
use super::page::{Chart, Header, draw_no_data, draw_page};
use super::style::{AXIS, INK, MUTED, Theme, draw_path, draw_rect};

/// The values of one panel, one per cell, row-major, row 0 at the top.
#[derive(Clone, Debug, PartialEq)]
pub enum MapValues {
    /// A category per cell: an index into `categories`; 255 (or any index
    /// without a category) is no data, drawn light grey.
    Categorical {
        /// Category index of each cell.
        values: Vec<u8>,
        /// Name (in the legend) and colour of each category, in legend order.
        categories: Vec<(String, RGBColor)>,
    },
    /// A number per cell, coloured from `min` (dark blue) to `max` (yellow)
    /// and clamped outside; NaN is no data, drawn light grey.
    Continuous {
        /// Value of each cell.
        values: Vec<f64>,
        /// Value at the dark end of the colour bar.
        min: f64,
        /// Value at the bright end of the colour bar.
        max: f64,
        /// Label of the colour bar, with units.
        label: String,
        /// The colour scale.
        scale: ColourScale,
    },
}

/// The colour scale of a continuous panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColourScale {
    /// Viridis, dark blue to yellow: for values spread over their range.
    Viridis,
    /// Near-white to dark red (ColorBrewer OrRd): for counts that are zero
    /// almost everywhere, so that the empty map is pale and the few cells
    /// with counts stand out.
    Heat,
}

impl ColourScale {
    /// The colour of level `k` (0 ..[`LEVELS`]).
    pub fn colour(self, k: usize) -> RGBColor {
        let t = k as f64 / (LEVELS - 1) as f64;
        match self {
            Self::Viridis => viridis(t),
            Self::Heat => interpolate(&HEAT, t),
        }
    }
}

impl MapValues {
    /// Number of values.
    fn len(&self) -> usize {
        match self {
            MapValues::Categorical { values, .. } => values.len(),
            MapValues::Continuous { values, .. } => values.len(),
        }
    }

    /// Colour of cell `i`; `None` for no data.
    fn colour(&self, i: usize) -> Option<RGBColor> {
        match self {
            MapValues::Categorical { values, categories } => {
                categories.get(usize::from(values[i])).map(|c| c.1)
            }
            MapValues::Continuous {
                values,
                min,
                max,
                scale,
                ..
            } => {
                let v = values[i];
                (!v.is_nan()).then(|| scale.colour(level(v, *min, *max)))
            }
        }
    }

    /// Whether some cell has no data.
    fn has_no_data(&self) -> bool {
        (0..self.len()).any(|i| self.colour(i).is_none())
    }
}

/// One map panel.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPanel {
    /// Panel title, above the map.
    pub title: String,
    /// The cells' values.
    pub values: MapValues,
}

/// Maps of the same grid, side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct MapChart {
    /// Title, at the top.
    pub title: String,
    /// Optional second line under the title.
    pub subtitle: Option<String>,
    /// Optional note at the bottom.
    pub footnote: Option<String>,
    /// Number of columns of the grid (cells per row).
    pub width: usize,
    /// Number of rows of the grid.
    pub height: usize,
    /// The panels, left to right.
    pub panels: Vec<MapPanel>,
    /// Named regions (sectors) outlined on every panel and named on the
    /// first, so that places can be told on the map.
    pub regions: Option<Regions>,
}

/// Named regions of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Regions {
    /// Region of each cell (index into `names`), row-major; `None` for none.
    pub cells: Vec<Option<u16>>,
    /// The regions' names.
    pub names: Vec<String>,
}

/// Colour of region outlines and names: near-black, over every palette.
const OUTLINE: RGBColor = RGBColor(0x11, 0x11, 0x11);

/// Outlines the regions on a panel at `rect` and, when `named`, writes
/// each region's name at its cells' centroid on a white box.
fn draw_regions<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    chart: &MapChart,
    rect: &MapRect,
    named: bool,
) -> Result<(), PlotError> {
    let Some(regions) = &chart.regions else {
        return Ok(());
    };
    let (w, h) = (chart.width, chart.height);
    if regions.cells.len() != w * h {
        return Ok(());
    }
    let at = |x: usize, y: usize| regions.cells[y * w + x];
    let px = |c: usize| (rect.left + c as f64 * rect.cell).round() as i32;
    let py = |r: usize| (rect.top + r as f64 * rect.cell).round() as i32;
    let style = OUTLINE.stroke_width(theme.px(1.5).max(1) as u32);
    // An edge between two cells of different regions (one may be none).
    for y in 0..h {
        for x in 0..w {
            let here = at(x, y);
            if x + 1 < w && at(x + 1, y) != here && (here.is_some() || at(x + 1, y).is_some()) {
                draw_path(root, &[(px(x + 1), py(y)), (px(x + 1), py(y + 1))], style)?;
            }
            if y + 1 < h && at(x, y + 1) != here && (here.is_some() || at(x, y + 1).is_some()) {
                draw_path(root, &[(px(x), py(y + 1)), (px(x + 1), py(y + 1))], style)?;
            }
        }
    }
    if !named {
        return Ok(());
    }
    let size = theme.tick_label * 0.8;
    let text = theme.text(size, OUTLINE);
    for (k, name) in regions.names.iter().enumerate() {
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for (i, c) in regions.cells.iter().enumerate() {
            if *c == Some(k as u16) {
                sx += (i % w) as f64 + 0.5;
                sy += (i / w) as f64 + 0.5;
                n += 1.0;
            }
        }
        if n == 0.0 {
            continue;
        }
        let label = name.replace('_', " ");
        let centre = (
            (rect.left + sx / n * rect.cell).round() as i32,
            (rect.top + sy / n * rect.cell).round() as i32,
        );
        let half_w = (theme.text_width(&label, size) / 2.0).ceil() as i32 + theme.px(3.0);
        let half_h = (size * 0.6).ceil() as i32 + theme.px(1.0);
        draw_rect(
            root,
            [
                (centre.0 - half_w, centre.1 - half_h),
                (centre.0 + half_w, centre.1 + half_h),
            ],
            WHITE.mix(0.8).filled(),
        )?;
        theme.draw_text(root, &label, &text, centre, HPos::Center, VPos::Center)?;
    }
    Ok(())
}

impl Chart for MapChart {
    fn header(&self) -> Header<'_> {
        let (subtitle, footnote) = (self.subtitle.as_deref(), self.footnote.as_deref());
        (&self.title, subtitle, footnote)
    }

    /// Checks that every panel has one value per cell.
    fn validate(&self) -> Result<(), PlotError> {
        let expected = self.width * self.height;
        for panel in &self.panels {
            if panel.values.len() != expected {
                return Err(PlotError::CountMismatch {
                    panel: panel.title.clone(),
                    field: "values",
                    expected,
                    found: panel.values.len(),
                });
            }
        }
        Ok(())
    }

    /// Draws the maps with their cells as rectangles, for SVG: bitmaps
    /// paint the cells after averaging down ([`render_map_png`]).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        draw_map(root, self, theme, true, &no_data_keys(self)).map(|_| ())
    }
}

/// Renders the maps as PNG bytes, `width` × `height` pixels. About
/// 1400 × 1000 suits four panels of a tall grid such as Gaza's.
pub fn render_map_png(chart: &MapChart, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let rgb = render_map_rgb(chart, width, height)?;
    encode_png(&rgb, width, height)
}

/// Renders the maps as a self-contained SVG document (font embedded),
/// `width` × `height` pixels.
pub use super::page::render_svg as render_map_svg;

/// Renders the maps as raw 8-bit RGB pixels, row by row from the top
/// (`width` × `height` × 3 bytes): the frames of [`super::gif`].
pub fn render_map_rgb(chart: &MapChart, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    Ok(render_bitmap(chart, width, height, &no_data_keys(chart))?.0)
}

/// The canvas height, at most `max_height`, at which the maps of `chart`
/// on a canvas `width` pixels wide fill it: a grid wider than tall leaves
/// no blank band under its maps (the Mali map left 30 % of the image
/// blank at the height that suits Gaza's tall grid).
pub fn fitted_height(chart: &MapChart, width: u32, max_height: u32) -> Result<u32, PlotError> {
    let (_, rects) = render_bitmap(chart, width, max_height, &no_data_keys(chart))?;
    let spare = rects.first().map_or(0.0, |r| r.spare);
    // Keep a little air: text shrinks with the canvas, never grows.
    let fitted = (f64::from(max_height) - spare + 8.0).ceil();
    Ok((fitted as u32).clamp(max_height / 2, max_height))
}

/// Which panels show a "No data" key: those with a cell without data.
pub(crate) fn no_data_keys(chart: &MapChart) -> Vec<bool> {
    chart
        .panels
        .iter()
        .map(|p| p.values.has_no_data())
        .collect()
}

/// [`render_map_rgb`], with the panels that show a "No data" key given
/// (`keys[k]` for panel `k`, absent: none): the frames of an animation
/// all show the keys that any frame needs, so that no frame's maps move.
pub(crate) fn render_map_rgb_with_keys(
    chart: &MapChart,
    width: u32,
    height: u32,
    keys: &[bool],
) -> Result<Vec<u8>, PlotError> {
    Ok(render_bitmap(chart, width, height, keys)?.0)
}

/// Number of colour levels of continuous maps.
pub const LEVELS: usize = 64;

/// Viridis (matplotlib's default colour map, public domain) at ten evenly
/// spaced points; colours in between are interpolated linearly.
const VIRIDIS: [(u8, u8, u8); 10] = [
    (0x44, 0x01, 0x54),
    (0x48, 0x28, 0x78),
    (0x3E, 0x4A, 0x89),
    (0x31, 0x68, 0x8E),
    (0x26, 0x82, 0x8E),
    (0x1F, 0x9E, 0x89),
    (0x35, 0xB7, 0x79),
    (0x6D, 0xCD, 0x59),
    (0xB4, 0xDE, 0x2C),
    (0xFD, 0xE7, 0x25),
];

/// Colour of cells without data: a mid grey that recedes but stays
/// clearly apart from white (a category such as "no presence") and from
/// the pale end of the colour scales.
pub const NO_DATA: RGBColor = RGBColor(0xB8, 0xB8, 0xB8);

/// Outline of legend swatches, so that pale colours show on white.
const SWATCH_EDGE: RGBColor = RGBColor(0xA0, 0xA0, 0xA0);

/// ColorBrewer's OrRd (sequential, colour-blind safe) at nine points,
/// near-white to dark red.
const HEAT: [(u8, u8, u8); 9] = [
    (0xFF, 0xF7, 0xEC),
    (0xFE, 0xE8, 0xC8),
    (0xFD, 0xD4, 0x9E),
    (0xFD, 0xBB, 0x84),
    (0xFC, 0x8D, 0x59),
    (0xEF, 0x65, 0x48),
    (0xD7, 0x30, 0x1F),
    (0xB3, 0x00, 0x00),
    (0x7F, 0x00, 0x00),
];

/// Viridis at `t` in `[0, 1]`.
pub fn viridis(t: f64) -> RGBColor {
    interpolate(&VIRIDIS, t)
}

/// The colour at `t` in `[0, 1]` of a scale given at evenly spaced points.
fn interpolate(points: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (points.len() - 1) as f64;
    let i = (x.floor() as usize).min(points.len() - 2);
    let f = x - i as f64;
    let (a, b) = (points[i], points[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour level (0 ..[`LEVELS`]) of `v` on a scale from `min` to
/// `max`; the middle level when the scale is empty.
fn level(v: f64, min: f64, max: f64) -> usize {
    let t = if max > min && (max - min).is_finite() {
        (v - min) / (max - min)
    } else {
        0.5
    };
    let t = if t.is_nan() { 0.5 } else { t.clamp(0.0, 1.0) };
    (t * (LEVELS - 1) as f64).round() as usize
}

/// Every colour a chart's cells and legends can take (categories, the
/// continuous levels if any, no data): the fixed part of a GIF palette.
pub(crate) fn chart_colours(chart: &MapChart) -> Vec<RGBColor> {
    let mut colours = vec![NO_DATA];
    let mut scales = Vec::new();
    for panel in &chart.panels {
        match &panel.values {
            MapValues::Categorical { categories, .. } => {
                colours.extend(categories.iter().map(|c| c.1));
            }
            MapValues::Continuous { scale, .. } if !scales.contains(scale) => {
                scales.push(*scale);
            }
            MapValues::Continuous { .. } => {}
        }
    }
    for scale in scales {
        colours.extend((0..LEVELS).map(|k| scale.colour(k)));
    }
    colours
}

/// Where a panel's map lies, in the drawing area's pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct MapRect {
    /// Left edge.
    left: f64,
    /// Top edge.
    top: f64,
    /// Side of a cell.
    cell: f64,
    /// Height left unused under the maps when their width limits them.
    spare: f64,
}

/// Draws the chart on an in-memory bitmap, twice the size, averages it
/// down, then paints the cells at the final size; returns the RGB pixels
/// and where the maps are (final pixels).
fn render_bitmap(
    chart: &MapChart,
    width: u32,
    height: u32,
    no_data: &[bool],
) -> Result<(Vec<u8>, Vec<MapRect>), PlotError> {
    chart.validate()?;
    let (mut rgb, rects) = rgb_with(width, height, |root, surface| {
        let theme = Theme::for_canvas(width, height).on(surface);
        draw_map(root, chart, &theme, false, no_data)
    })?;
    let scale = BITMAP.pixel_ratio;
    let rects: Vec<MapRect> = rects
        .into_iter()
        .map(|r| MapRect {
            left: r.left / scale,
            top: r.top / scale,
            cell: r.cell / scale,
            spare: r.spare / scale,
        })
        .collect();
    for (panel, rect) in chart.panels.iter().zip(&rects) {
        paint_cells(&mut rgb, width as usize, chart, &panel.values, rect);
    }
    if chart.regions.is_some() {
        // Outlines and names go over the painted cells, drawn (smooth) on
        // the image enlarged again, then averaged down.
        rgb = super::canvas::overlay(&rgb, width, height, |root, surface| {
            let theme = Theme::for_canvas(width, height).on(surface);
            for (k, rect) in rects.iter().enumerate() {
                let big = MapRect {
                    left: rect.left * scale,
                    top: rect.top * scale,
                    cell: rect.cell * scale,
                    spare: rect.spare * scale,
                };
                draw_regions(root, &theme, chart, &big, k == 0)?;
            }
            Ok(())
        })?;
    }
    Ok((rgb, rects))
}

/// Paints a panel's cells on an RGB image `width` pixels wide: each pixel
/// whose centre falls in the map takes the colour of the cell under it.
fn paint_cells(rgb: &mut [u8], width: usize, chart: &MapChart, values: &MapValues, rect: &MapRect) {
    if chart.width == 0 || chart.height == 0 || rect.cell.is_nan() || rect.cell <= 0.0 {
        return;
    }
    let height = rgb.len() / 3 / width;
    let right = rect.left + rect.cell * chart.width as f64;
    let bottom = rect.top + rect.cell * chart.height as f64;
    let x0 = rect.left.floor().max(0.0) as usize;
    let x1 = (right.ceil().max(0.0) as usize).min(width);
    let y0 = rect.top.floor().max(0.0) as usize;
    let y1 = (bottom.ceil().max(0.0) as usize).min(height);
    for py in y0..y1 {
        let fy = (py as f64 + 0.5 - rect.top) / rect.cell;
        if fy < 0.0 || fy >= chart.height as f64 {
            continue;
        }
        let row = fy as usize;
        for px in x0..x1 {
            let fx = (px as f64 + 0.5 - rect.left) / rect.cell;
            if fx < 0.0 || fx >= chart.width as f64 {
                continue;
            }
            let colour = values
                .colour(row * chart.width + fx as usize)
                .unwrap_or(NO_DATA);
            let at = (py * width + px) * 3;
            rgb[at..at + 3].copy_from_slice(&[colour.0, colour.1, colour.2]);
        }
    }
}

/// Size of a legend swatch, and the height of a legend row.
fn swatch(theme: &Theme) -> (i32, i32) {
    (theme.px(15.0), (theme.legend * 0.9 * 1.45).round() as i32)
}

/// Legend text size.
fn legend_size(theme: &Theme) -> f64 {
    theme.legend * 0.9
}

/// The grid of a categorical legend: entries run down the columns, each
/// column as wide as its widest entry, as many columns as fit in `max_w`.
/// Returns the columns' widths and the number of rows.
fn swatch_grid(theme: &Theme, labels: &[&str], max_w: i32) -> (Vec<i32>, usize) {
    let (side, _) = swatch(theme);
    let widths: Vec<i32> = labels
        .iter()
        .map(|l| side + theme.px(7.0) + theme.text_width(l, legend_size(theme)).ceil() as i32)
        .collect();
    let gap = theme.px(16.0);
    for columns in (1..=labels.len().max(1)).rev() {
        let rows = labels.len().div_ceil(columns);
        let columns_w: Vec<i32> = widths
            .chunks(rows.max(1))
            .map(|c| c.iter().copied().max().unwrap_or(0))
            .collect();
        let total = columns_w.iter().sum::<i32>() + gap * (columns_w.len() as i32 - 1);
        if total <= max_w || columns == 1 {
            return (columns_w, rows);
        }
    }
    (Vec::new(), 0)
}

/// Labels of a categorical legend: every category, and "No data" when the
/// panel shows that key.
fn category_labels(categories: &[(String, RGBColor)], no_data: bool) -> Vec<&str> {
    let mut labels: Vec<&str> = categories.iter().map(|c| c.0.as_str()).collect();
    if no_data {
        labels.push("No data");
    }
    labels
}

/// Height of the colour bar.
fn colour_bar(theme: &Theme) -> i32 {
    theme.px(14.0)
}

/// Height of a panel's legend in a slot `slot_w` wide, with or without the
/// "No data" key.
fn legend_height(theme: &Theme, values: &MapValues, slot_w: i32, no_data: bool) -> i32 {
    let (_, row) = swatch(theme);
    match values {
        MapValues::Categorical { categories, .. } => {
            let (_, rows) = swatch_grid(theme, &category_labels(categories, no_data), slot_w);
            rows as i32 * row
        }
        MapValues::Continuous { label, .. } => {
            let size = legend_size(theme);
            let lines = theme.wrap_text(label, size, f64::from(slot_w)).len() as i32;
            colour_bar(theme)
                + theme.px(4.0)
                + (theme.tick_label * 0.9).round() as i32
                + theme.px(6.0)
                + lines * (size * 1.25).round() as i32
                + if no_data { theme.px(4.0) + row } else { 0 }
        }
    }
}

/// Draws a swatch and its label, the swatch's top-left corner at `(x, y)`
/// in a legend row.
fn draw_swatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    (x, y): (i32, i32),
    colour: RGBColor,
    label: &str,
) -> Result<(), PlotError> {
    let (side, row) = swatch(theme);
    let mid = y + row / 2;
    let (t, b) = (mid - side / 2, mid - side / 2 + side);
    draw_rect(root, [(x, t), (x + side, b)], colour.filled())?;
    draw_rect(
        root,
        [(x, t), (x + side, b)],
        SWATCH_EDGE.stroke_width(theme.px(1.0).max(1) as u32),
    )?;
    let style = theme.text(legend_size(theme), INK);
    let at = (x + side + theme.px(7.0), mid);
    theme.draw_text(root, label, &style, at, HPos::Left, VPos::Center)
}

/// Draws a panel's legend at the top `y`, centred in the slot from `x0`
/// to `x1`, with the "No data" key or not.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    values: &MapValues,
    (x0, x1, y): (i32, i32, i32),
    no_data: bool,
) -> Result<(), PlotError> {
    let slot_w = x1 - x0;
    match values {
        MapValues::Categorical { categories, .. } => {
            let labels = category_labels(categories, no_data);
            let (columns, rows) = swatch_grid(theme, &labels, slot_w);
            let (_, row) = swatch(theme);
            let gap = theme.px(16.0);
            let block_w = columns.iter().sum::<i32>() + (columns.len() as i32 - 1) * gap;
            let left = x0 + ((slot_w - block_w) / 2).max(0);
            let column_x: Vec<i32> = columns
                .iter()
                .scan(left, |x, w| {
                    let at = *x;
                    *x += w + gap;
                    Some(at)
                })
                .collect();
            // Down the columns, then across.
            let entries = categories
                .iter()
                .map(|(l, c)| (l.as_str(), *c))
                .chain(no_data.then_some(("No data", NO_DATA)));
            for (i, (label, colour)) in entries.enumerate() {
                let (col, r) = (i / rows.max(1), i % rows.max(1));
                let x = column_x.get(col).copied().unwrap_or(left);
                draw_swatch(root, theme, (x, y + r as i32 * row), colour, label)?;
            }
        }
        MapValues::Continuous {
            min,
            max,
            label,
            scale,
            ..
        } => {
            // The bar: one step per level.
            // Narrower than the slot: the end labels stick out by half.
            let bar_w = (slot_w - theme.px(44.0)).min(theme.px(260.0)).max(1);
            let left = x0 + (slot_w - bar_w) / 2;
            let bar_h = colour_bar(theme);
            for k in 0..LEVELS {
                let a = left + (bar_w as usize * k / LEVELS) as i32;
                let b = left + (bar_w as usize * (k + 1) / LEVELS) as i32;
                draw_rect(root, [(a, y), (b, y + bar_h)], scale.colour(k).filled())?;
            }
            let thin = theme.px(1.0).max(1) as u32;
            let tick_size = theme.tick_label * 0.9;
            let tick_style = theme.text(tick_size, MUTED);
            let label_y = y + bar_h + theme.px(4.0);
            let scale_ok = max > min && (max - min).is_finite();
            let ticks = if scale_ok {
                fitted_ticks(theme, (*min, *max), f64::from(bar_w), tick_size, 6)
            } else {
                Ticks {
                    values: vec![*min],
                    step: 0.0,
                }
            };
            for (value, text) in ticks.values.iter().zip(ticks.labels()) {
                let f = if scale_ok {
                    (value - min) / (max - min)
                } else {
                    0.5
                };
                let x = left + (f * f64::from(bar_w)).round() as i32;
                draw_path(
                    root,
                    &[
                        (x, y + bar_h - theme.px(4.0)),
                        (x, y + bar_h + theme.px(2.0)),
                    ],
                    AXIS.stroke_width(thin),
                )?;
                let text = if ticks.step == 0.0 && value.is_finite() {
                    format!("{value}")
                } else {
                    text
                };
                theme.draw_text(
                    root,
                    &text,
                    &tick_style,
                    (x, label_y),
                    HPos::Center,
                    VPos::Top,
                )?;
            }
            let size = legend_size(theme);
            let mut line_y = label_y + tick_size.round() as i32 + theme.px(6.0);
            let style = theme.text(size, INK);
            for line in theme.wrap_text(label, size, f64::from(slot_w)) {
                let at = ((x0 + x1) / 2, line_y);
                theme.draw_text(root, &line, &style, at, HPos::Center, VPos::Top)?;
                line_y += (size * 1.25).round() as i32;
            }
            if no_data {
                let text_w = theme.text_width("No data", size).ceil() as i32;
                let w = swatch(theme).0 + theme.px(7.0) + text_w;
                let at = ((x0 + x1 - w) / 2, line_y + theme.px(4.0));
                draw_swatch(root, theme, at, NO_DATA, "No data")?;
            }
        }
    }
    Ok(())
}

/// Draws the whole chart on `root`, with the cells (`cells`, for SVG) or
/// without (bitmaps paint them afterwards), and a "No data" key under panel
/// `k` if `no_data[k]`; returns where each panel's map is.
fn draw_map<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &MapChart,
    theme: &Theme,
    cells: bool,
    no_data: &[bool],
) -> Result<Vec<MapRect>, PlotError> {
    let key = |k: usize| no_data.get(k).copied().unwrap_or(false);
    let page = draw_page(root, theme, chart.header())?;
    let (m, content_w, top, bottom) = (page.margin, page.content_w, page.top, page.bottom);
    if chart.panels.is_empty() || chart.width == 0 || chart.height == 0 {
        let centre = (page.width / 2, (top + bottom) / 2);
        draw_no_data(root, theme, theme.axis_label, centre)?;
        return Ok(Vec::new());
    }

    let n = chart.panels.len() as i32;
    let gap = theme.px(28.0);
    let slot_w = ((content_w - gap * (n - 1)) / n).max(1);
    let title_size = theme.axis_label;
    let title_line = (title_size * 1.2).round() as i32;
    let titles: Vec<Vec<String>> = chart
        .panels
        .iter()
        .map(|p| theme.wrap_text(&p.title, title_size, f64::from(slot_w)))
        .collect();
    let title_h = titles.iter().map(Vec::len).max().unwrap_or(0) as i32 * title_line;
    let legend_h = chart
        .panels
        .iter()
        .enumerate()
        .map(|(k, p)| legend_height(theme, &p.values, slot_w, key(k)))
        .max()
        .unwrap_or(0);

    // The largest square cell that fits both ways.
    let map_top = top + title_h + theme.px(6.0);
    let legend_gap = theme.px(14.0);
    let avail_h = f64::from((bottom - map_top - legend_gap - legend_h).max(1));
    let cell = (f64::from(slot_w) / chart.width as f64).min(avail_h / chart.height as f64);
    let map_w = cell * chart.width as f64;
    let map_h = cell * chart.height as f64;

    let thin = theme.px(1.0).max(1) as u32;
    let title_style = theme.text(title_size, INK);
    let mut rects = Vec::with_capacity(chart.panels.len());
    for (k, panel) in chart.panels.iter().enumerate() {
        let x0 = m + k as i32 * (slot_w + gap);
        let centre = x0 + slot_w / 2;
        for (j, line) in titles[k].iter().enumerate() {
            let at = (centre, top + title_line * j as i32);
            theme.draw_text(root, line, &title_style, at, HPos::Center, VPos::Top)?;
        }
        let rect = MapRect {
            left: (f64::from(x0) + (f64::from(slot_w) - map_w) / 2.0).round(),
            top: f64::from(map_top),
            cell,
            spare: (avail_h - map_h).max(0.0),
        };
        if cells {
            draw_cells(root, chart, &panel.values, &rect)?;
            draw_regions(root, theme, chart, &rect, k == 0)?;
        }
        // A hairline just outside the map marks the grid's extent.
        let (l, t) = (rect.left as i32 - 1, rect.top as i32 - 1);
        let (r, b) = (
            (rect.left + map_w).ceil() as i32,
            (rect.top + map_h).ceil() as i32,
        );
        draw_path(
            root,
            &[(l, t), (r, t), (r, b), (l, b), (l, t)],
            AXIS.stroke_width(thin),
        )?;
        let legend_top = b + legend_gap;
        let slot = (x0, x0 + slot_w, legend_top);
        draw_legend(root, theme, &panel.values, slot, key(k))?;
        rects.push(rect);
    }
    Ok(rects)
}

/// Draws a panel's cells as rectangles, one per run of equal colour along
/// a row (SVG).
fn draw_cells<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &MapChart,
    values: &MapValues,
    rect: &MapRect,
) -> Result<(), PlotError> {
    let x = |c: usize| (rect.left + c as f64 * rect.cell).round() as i32;
    let y = |r: usize| (rect.top + r as f64 * rect.cell).round() as i32;
    for row in 0..chart.height {
        let colour = |c: usize| values.colour(row * chart.width + c).unwrap_or(NO_DATA);
        let mut start = 0;
        while start < chart.width {
            let run_colour = colour(start);
            let mut end = start + 1;
            while end < chart.width && colour(end) == run_colour {
                end += 1;
            }
            let (x0, x1, y0, y1) = (x(start), x(end), y(row), y(row + 1));
            if x1 > x0 && y1 > y0 {
                draw_rect(root, [(x0, y0), (x1, y1)], run_colour.filled())?;
            }
            start = end;
        }
    }
    Ok(())
}

/// Sample maps for tests here and in [`super::gif`]: the Gaza grid's
/// terrain, and control, incidents and trust that change with `t`.
#[cfg(test)]
pub(crate) mod demo {
    use super::*;

    /// The Gaza terrain map (56 × 160), as in the scenario.
    const GAZA: &str = include_str!("../../scenarios/maps/gaza.txt");

    /// Terrain categories: (map characters, name, colour).
    const TERRAIN: [(&str, &str, RGBColor); 8] = [
        (".", "Open land", RGBColor(0xE8, 0xE0, 0xC8)),
        ("u", "Built-up", RGBColor(0x8C, 0x8C, 0x8C)),
        ("r", "Rubble", RGBColor(0xB8, 0x86, 0x5B)),
        ("~", "Sea", RGBColor(0xA6, 0xCE, 0xE3)),
        ("=", "Border", RGBColor(0x33, 0x33, 0x33)),
        ("b", "Buffer zone", RGBColor(0xD9, 0x8C, 0x8C)),
        ("#", "Outside the Strip", RGBColor(0xFF, 0xFF, 0xFF)),
        ("ZEKR", "Crossing", RGBColor(0xD5, 0x5E, 0x00)),
    ];

    /// The terrain index of each cell, and the grid's size.
    pub(crate) fn terrain() -> (Vec<u8>, usize, usize) {
        let rows: Vec<&str> = GAZA.lines().filter(|l| !l.is_empty()).collect();
        let width = rows[0].chars().count();
        let values = rows
            .iter()
            .flat_map(|row| row.chars())
            .map(|c| {
                TERRAIN
                    .iter()
                    .position(|t| t.0.contains(c))
                    .map_or(255, |i| i as u8)
            })
            .collect();
        (values, width, rows.len())
    }

    /// Four panels at time `t` (0..1): terrain; control spreading from the
    /// south; incidents drifting north; trust rising near the mission.
    pub(crate) fn chart(t: f64) -> MapChart {
        let (terrain, width, height) = terrain();
        let passable = |i: usize| matches!(terrain[i], 0 | 1 | 2 | 7);
        let control = (0..terrain.len())
            .map(|i| {
                if !passable(i) {
                    return 255;
                }
                let (x, y) = ((i % width) as f64, (i / width) as f64);
                let front = 160.0 - 130.0 * t;
                let wobble = 6.0 * (x / 5.0 + t * 9.0).sin();
                if y > front + wobble + 8.0 {
                    0
                } else if y > front + wobble - 8.0 {
                    2
                } else if (x * 0.7 + y * 0.3).sin() > 0.2 {
                    1
                } else {
                    3
                }
            })
            .collect();
        let incidents = (0..terrain.len())
            .map(|i| {
                if !passable(i) {
                    return f64::NAN;
                }
                let (x, y) = ((i % width) as f64, (i / width) as f64);
                let centre = 150.0 - 120.0 * t;
                let d = ((y - centre) / 18.0).powi(2) + ((x - 35.0) / 14.0).powi(2);
                30.0 * (-d).exp() + 3.0 * ((x * 1.3 + y * 0.7).sin() + 1.0)
            })
            .collect();
        let trust = (0..terrain.len())
            .map(|i| {
                if !passable(i) {
                    return f64::NAN;
                }
                let y = (i / width) as f64;
                (0.2 + 0.6 * t * (y / 160.0) + 0.1 * (y / 9.0).sin()).clamp(0.0, 1.0)
            })
            .collect();
        let terrain_categories = TERRAIN.iter().map(|t| (t.1.to_string(), t.2)).collect();
        MapChart {
            regions: None,
            title: "Gaza: terrain, control, incidents and trust".into(),
            subtitle: Some(format!("Replicate 1 · day {}", (t * 730.0).round())),
            footnote: Some("Stylized map, not a GIS product · one cell ≈ 250 m".into()),
            width,
            height,
            panels: vec![
                MapPanel {
                    title: "Terrain".into(),
                    values: MapValues::Categorical {
                        values: terrain,
                        categories: terrain_categories,
                    },
                },
                MapPanel {
                    title: "Control".into(),
                    values: MapValues::Categorical {
                        values: control,
                        categories: vec![
                            ("Mission".into(), RGBColor(0x00, 0x72, 0xB2)),
                            ("Government".into(), RGBColor(0x56, 0xB4, 0xE9)),
                            ("Contested".into(), RGBColor(0xF0, 0xE4, 0x42)),
                            ("Insurgents".into(), RGBColor(0xD5, 0x5E, 0x00)),
                        ],
                    },
                },
                MapPanel {
                    title: "Incidents".into(),
                    values: MapValues::Continuous {
                        scale: ColourScale::Viridis,
                        values: incidents,
                        min: 0.0,
                        max: 40.0,
                        label: "Incidents per cell, last 30 days".into(),
                    },
                },
                MapPanel {
                    title: "Trust in the mission".into(),
                    values: MapValues::Continuous {
                        scale: ColourScale::Viridis,
                        values: trust,
                        min: 0.0,
                        max: 1.0,
                        label: "Share of citizens who trust the mission".into(),
                    },
                },
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::testing::{check_chart, decode_png, renders_at, write_samples};

    fn tiny(values: MapValues) -> MapChart {
        MapChart {
            regions: None,
            title: "Tiny".into(),
            subtitle: None,
            footnote: None,
            width: 3,
            height: 2,
            panels: vec![MapPanel {
                title: "Panel".into(),
                values,
            }],
        }
    }

    #[test]
    fn cells_are_crisp_and_north_is_up() {
        // Row 0: red, green, no data; row 1: blue everywhere.
        let categories = vec![
            ("Red".to_string(), RGBColor(200, 0, 0)),
            ("Green".to_string(), RGBColor(0, 160, 0)),
            ("Blue".to_string(), RGBColor(0, 0, 200)),
        ];
        let chart = tiny(MapValues::Categorical {
            values: vec![0, 1, 255, 2, 2, 2],
            categories,
        });
        let (w, h) = (600, 500);
        let (rgb, rects) = render_bitmap(&chart, w, h, &no_data_keys(&chart)).unwrap();
        let rect = rects[0];
        let at = |col: usize, row: usize| {
            let x = (rect.left + (col as f64 + 0.5) * rect.cell) as usize;
            let y = (rect.top + (row as f64 + 0.5) * rect.cell) as usize;
            let i = (y * w as usize + x) * 3;
            RGBColor(rgb[i], rgb[i + 1], rgb[i + 2])
        };
        assert_eq!(at(0, 0), RGBColor(200, 0, 0));
        assert_eq!(at(1, 0), RGBColor(0, 160, 0));
        assert_eq!(at(2, 0), NO_DATA);
        assert_eq!(at(0, 1), RGBColor(0, 0, 200));
        // The PNG holds the same pixels.
        let (_, _, png) = decode_png(&render_map_png(&chart, w, h).unwrap());
        assert_eq!(png, rgb);
    }

    #[test]
    fn continuous_values_use_viridis_and_nan_is_no_data() {
        let chart = tiny(MapValues::Continuous {
            scale: ColourScale::Viridis,
            values: vec![0.0, 5.0, 10.0, f64::NAN, -3.0, 99.0],
            min: 0.0,
            max: 10.0,
            label: "Value (units)".into(),
        });
        let values = &chart.panels[0].values;
        assert_eq!(values.colour(0), Some(viridis(0.0)));
        assert_eq!(values.colour(2), Some(viridis(1.0)));
        assert_eq!(values.colour(3), None);
        // Clamped outside the scale.
        assert_eq!(values.colour(4), values.colour(0));
        assert_eq!(values.colour(5), values.colour(2));
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xFD, 0xE7, 0x25));
        // Dark to bright: lightness grows along the scale.
        let light =
            |c: RGBColor| 0.3 * f64::from(c.0) + 0.59 * f64::from(c.1) + 0.11 * f64::from(c.2);
        assert!(
            (1..=10)
                .all(|k| light(viridis(k as f64 / 10.0)) > light(viridis((k - 1) as f64 / 10.0)))
        );
        let svg = render_map_svg(&chart, 600, 500).unwrap();
        assert!(svg.contains("No data") && svg.contains("Value (units)"));
        assert!(render_map_png(&chart, 600, 500).is_ok());
    }

    #[test]
    fn renders_labelled_deterministic_and_merges_runs() {
        let chart = demo::chart(0.5);
        let mut texts = vec![
            "Terrain",
            "Control",
            "Incidents",
            "Trust in the mission",
            "Incidents per cell, last 30 days",
            "Share of citizens who trust the mission",
            "day 365",
            "not a GIS product",
            "No data",
        ];
        for panel in &chart.panels {
            if let MapValues::Categorical { categories, .. } = &panel.values {
                texts.extend(categories.iter().map(|c| c.0.as_str()));
            }
        }
        let (pixels, svg) = check_chart(&chart, render_map_png, (1400, 1000), &texts);
        assert_eq!(render_map_rgb(&chart, 1400, 1000).unwrap(), pixels);
        let rects = svg.matches("<rect").count();
        let cells = chart.width * chart.height * chart.panels.len();
        assert!(rects < cells / 2, "{rects} rects for {cells} cells");
        assert!(svg.len() < 3_000_000, "SVG is {} bytes", svg.len());
    }

    #[test]
    fn wrong_counts_are_rejected() {
        let mut chart = demo::chart(0.0);
        if let MapValues::Continuous { values, .. } = &mut chart.panels[2].values {
            values.pop();
        }
        assert!(matches!(
            render_map_png(&chart, 800, 600),
            Err(PlotError::CountMismatch {
                field: "values",
                ..
            })
        ));
        assert!(render_map_svg(&chart, 800, 600).is_err());
        assert!(render_map_rgb(&chart, 800, 600).is_err());
    }

    #[test]
    fn the_canvas_fits_a_wide_grid_and_regions_are_outlined() {
        let mut wide = MapChart {
            regions: Some(Regions {
                cells: (0..64 * 40)
                    .map(|i| Some(u16::from(i % 64 >= 32)))
                    .collect(),
                names: vec!["West".into(), "East".into()],
            }),
            width: 64,
            height: 40,
            ..tiny(MapValues::Continuous {
                scale: ColourScale::Heat,
                values: vec![0.0; 64 * 40],
                min: 0.0,
                max: 1.0,
                label: "x".into(),
            })
        };
        // Four panels side by side, as the comparison's maps.
        wide.panels = vec![wide.panels[0].clone(); 4];
        let fitted = fitted_height(&wide, 1400, 1000).unwrap();
        assert!(fitted < 900, "{fitted}");
        // Outlines: near-black pixels down the middle of the (pale) map.
        let (rgb, rects) = render_bitmap(&wide, 1400, fitted, &[false]).unwrap();
        let r = rects[0];
        let x = (r.left + 32.0 * r.cell).round() as usize;
        let y = (r.top + 5.5 * r.cell) as usize;
        let dark = (x - 2..x + 2).any(|x| {
            let at = (y * 1400 + x) * 3;
            rgb[at..at + 3].iter().all(|&c| c < 128)
        });
        assert!(dark, "no outline between the regions");
        assert_eq!(ColourScale::Heat.colour(0), RGBColor(0xFF, 0xF7, 0xEC));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = MapChart {
            regions: None,
            title: "Empty".into(),
            subtitle: None,
            footnote: None,
            width: 0,
            height: 0,
            panels: vec![],
        };
        assert!(
            render_map_svg(&empty, 400, 300)
                .unwrap()
                .contains("No data")
        );
        assert!(render_map_png(&empty, 400, 300).is_ok());
        let odd = tiny(MapValues::Continuous {
            scale: ColourScale::Viridis,
            values: vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.0, 2.0, 3.0],
            min: 5.0,
            max: 5.0,
            label: String::new(),
        });
        let categorical = tiny(MapValues::Categorical {
            values: vec![0, 9, 255, 0, 0, 0],
            categories: vec![],
        });
        for chart in [odd, categorical] {
            let sizes = [(1, 1), (60, 40), (800, 600)];
            assert!(renders_at(&chart, render_map_png, &sizes));
        }
    }

    #[test]
    #[ignore = "writes sample charts to look at"]
    fn samples() {
        let chart = demo::chart(0.5);
        write_samples("map", &chart, render_map_png, (1400, 1000));
        write_samples("map-small", &chart, render_map_png, (700, 500));
    }
}
