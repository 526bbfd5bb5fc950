//! Legends drawn outside the data area: a [`Legend`] of series keys, and
//! where a chart with one data area puts it ([`place_series_legend`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::error::PlotError;
use super::page::Page;
use super::style::{INK, LinePattern, Theme, draw_patterned_line, draw_rect, series_style};

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
        let widths = self.entries.iter().map(|e| Self::entry_width(e, theme));
        if self.horizontal {
            return flow(theme, widths, max_width);
        }
        let (row, n) = (Self::row_height(theme), self.entries.len() as i32);
        let positions = (0..n).map(|i| (0, i * row)).collect();
        (positions, (widths.max().unwrap_or(0), n * row))
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
                draw_rect(
                    area,
                    [(x, mid - key_h / 2), (x + key_w, mid + key_h / 2)],
                    entry.colour.mix(theme.band_opacity).filled(),
                )?;
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

/// Lays out boxes `widths` wide as a legend below a chart: left to right,
/// a gap apart, wrapping before `max_width` onto rows a legend row high.
/// Returns each box's top-left corner and the size of the whole.
pub fn flow(
    theme: &Theme,
    widths: impl IntoIterator<Item = i32>,
    max_width: i32,
) -> (Vec<(i32, i32)>, (i32, i32)) {
    let (row, gap) = (Legend::row_height(theme), theme.px(28.0));
    let (mut x, mut y, mut width) = (0, 0, 0);
    let mut positions = Vec::new();
    for w in widths {
        if x > 0 && x + w > max_width {
            x = 0;
            y += row;
        }
        positions.push((x, y));
        width = width.max(x + w);
        x += w + gap;
    }
    let height = if positions.is_empty() { 0 } else { y + row };
    (positions, (width, height))
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

/// The legend entries of series drawn in order with [`series_style`], none
/// emphasised, one per label; `band` when each series has a band
/// behind its line.
pub fn series_entries<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    band: bool,
) -> Vec<LegendEntry> {
    styled_entries(labels, band, false)
}

/// The legend entries of series drawn with [`series_style`] (the first the
/// heavy dark line with `emphasise_first`), one per label, in order.
pub fn styled_entries<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    band: bool,
    emphasise_first: bool,
) -> Vec<LegendEntry> {
    labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| {
            let (colour, pattern, _) = series_style(i, emphasise_first);
            LegendEntry {
                label: label.to_string(),
                colour,
                pattern,
                band,
            }
        })
        .collect()
}
