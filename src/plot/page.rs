//! A chart's page: title, subtitle and footnote, and the room left
//! between them ([`draw_page`], [`Page`]); a y-axis label above the axis;
//! "No data"; the SVG description; and a [`Chart`] rendered on either back
//! end ([`render_png`], [`render_svg`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{png_with, svg_with};
use super::error::PlotError;
use super::style::{INK, MUTED, Theme};

/// A chart's title, subtitle and footnote.
pub type Header<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

/// A chart drawn on a page, on any plotters back end.
pub trait Chart {
    /// The title, subtitle and footnote ([`draw_page`]; the SVG's `<title>`
    /// and `<desc>`).
    fn header(&self) -> Header<'_>;

    /// Checks the data before anything is drawn.
    fn validate(&self) -> Result<(), PlotError> {
        Ok(())
    }

    /// Draws the whole chart on `root`.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError>;
}

/// Renders a chart as PNG bytes, `width` × `height` pixels.
pub fn render_png<C: Chart>(chart: &C, width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    chart.validate()?;
    png_with(width, height, |root, surface| {
        chart.draw(root, &Theme::for_canvas(width, height).on(surface))
    })
}

/// Renders a chart as a self-contained SVG document (font embedded),
/// `width` × `height` pixels.
pub fn render_svg<C: Chart>(chart: &C, width: u32, height: u32) -> Result<String, PlotError> {
    chart.validate()?;
    let (title, subtitle, footnote) = chart.header();
    let desc = description(subtitle, footnote);
    svg_with(width, height, title, &desc, |root, surface| {
        chart.draw(root, &Theme::for_canvas(width, height).on(surface))
    })
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
    (title, subtitle, footnote): Header<'_>,
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

/// The SVG `<desc>` of a chart: its subtitle and footnote, one per line.
pub fn description(subtitle: Option<&str>, footnote: Option<&str>) -> String {
    [subtitle, footnote]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_joins_subtitle_and_footnote() {
        assert_eq!(description(Some("a"), None), "a");
        assert_eq!(description(Some("a"), Some("b")), "a\nb");
    }
}
