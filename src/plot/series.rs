//! Monte Carlo series, drawn alike in every chart that has them: per
//! series, a 5–95 % band over replicates and the median as a line, over a
//! common x axis, both broken where a value is not finite.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Frame, nice_step};
use super::error::{PlotError, draw_error};
use super::style::{LinePattern, Theme, draw_patterned_line, series_colour};

/// One series: a median line and a 5–95 % band over replicates.
///
/// Each vector has one value per x of the chart; non-finite values (NaN,
/// ±∞) are gaps.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    /// Name shown in the legend.
    pub label: String,
    /// 5th percentile over replicates (lower edge of the band).
    pub p05: Vec<f64>,
    /// Median over replicates (the line).
    pub p50: Vec<f64>,
    /// 95th percentile over replicates (upper edge of the band).
    pub p95: Vec<f64>,
}

impl Band {
    /// Checks that each vector has `expected` values (one per x); an error
    /// names the series `series`.
    pub fn check_length(&self, expected: usize, series: &str) -> Result<(), PlotError> {
        for (field, values) in [("p05", &self.p05), ("p50", &self.p50), ("p95", &self.p95)] {
            if values.len() != expected {
                return Err(PlotError::LengthMismatch {
                    series: series.to_string(),
                    field,
                    expected,
                    found: values.len(),
                });
            }
        }
        Ok(())
    }
}

/// Maximal runs of consecutive indices for which `ok` holds.
pub fn runs(len: usize, ok: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=len {
        match (start, i < len && ok(i)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The x range: the data's, or some room around a single value. An end
/// close to a nice tick (for about `target` intervals) is extended to it
/// (0–999 shows as 0–1000).
pub fn x_range(x: &[f64], target: usize) -> (f64, f64) {
    let (lo, hi) = x
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    if hi <= lo {
        let pad = (lo.abs() * 0.1).max(1.0);
        return (lo - pad, hi + pad);
    }
    if !(hi - lo).is_finite() {
        return (lo, hi);
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let slack = 0.03 * (hi - lo);
    let (up, down) = ((hi / step).ceil() * step, (lo / step).floor() * step);
    (
        if lo - down <= slack { down } else { lo },
        if up - hi <= slack { up } else { hi },
    )
}

/// Draws the band of each series (`k` in [`series_colour`]`(k)`), in
/// order; the band of a lone point is a short thick bar, `bar` pixels
/// wide. Returns whether anything was drawn.
pub fn draw_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: &[f64],
    bands: &[Band],
    bar: i32,
) -> Result<bool, PlotError> {
    let mut any_data = false;
    for (k, band) in bands.iter().enumerate() {
        any_data |= draw_band(root, theme, frame, x, band, series_colour(k), bar)?;
    }
    Ok(any_data)
}

/// Draws one band in `colour` (see [`draw_bands`]).
pub fn draw_band<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: &[f64],
    band: &Band,
    colour: RGBColor,
    bar: i32,
) -> Result<bool, PlotError> {
    let mut any_data = false;
    let ok = |i: usize| x[i].is_finite() && band.p05[i].is_finite() && band.p95[i].is_finite();
    for run in runs(x.len(), ok) {
        any_data = true;
        if run.len() == 1 {
            let i = run.start;
            let ends = vec![
                frame.map_i(x[i], band.p05[i]),
                frame.map_i(x[i], band.p95[i]),
            ];
            let style = colour
                .mix(theme.band_opacity * 2.0)
                .stroke_width(bar.max(1) as u32);
            root.draw(&PathElement::new(ends, style))
                .map_err(draw_error)?;
            continue;
        }
        let upper = run.clone().map(|i| frame.map_i(x[i], band.p95[i]));
        let lower = run.clone().rev().map(|i| frame.map_i(x[i], band.p05[i]));
        let fill = colour.mix(theme.band_opacity).filled();
        root.draw(&Polygon::new(upper.chain(lower).collect::<Vec<_>>(), fill))
            .map_err(draw_error)?;
    }
    Ok(any_data)
}

/// Draws `values` over `x` as a line of `colour` and `pattern`; a lone
/// point is a dot. Returns whether anything was drawn.
pub fn draw_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
    x: &[f64],
    values: &[f64],
    (colour, pattern): (RGBColor, LinePattern),
) -> Result<bool, PlotError> {
    let mut any_data = false;
    for run in runs(x.len(), |i| x[i].is_finite() && values[i].is_finite()) {
        any_data = true;
        let points: Vec<(f64, f64)> = run.map(|i| frame.map(x[i], values[i])).collect();
        if let [(px, py)] = points[..] {
            let centre = (px.round() as i32, py.round() as i32);
            root.draw(&Circle::new(centre, theme.line_width * 2, colour.filled()))
                .map_err(draw_error)?;
        } else {
            draw_patterned_line(root, &points, colour, theme.line_width, pattern)?;
        }
    }
    Ok(any_data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_split_at_gaps() {
        let ok = [true, true, false, true, false, false, true];
        assert_eq!(runs(ok.len(), |i| ok[i]), vec![0..2, 3..4, 6..7]);
        assert!(runs(0, |_| true).is_empty());
    }

    #[test]
    fn x_range_reaches_close_ticks() {
        assert_eq!(x_range(&[0.0, 999.0], 5), (0.0, 1000.0));
        assert_eq!(x_range(&[3.0, 930.0], 5), (0.0, 930.0));
        assert_eq!(x_range(&[f64::NAN], 5), (0.0, 1.0));
        assert_eq!(x_range(&[5.0, 5.0], 5), (4.0, 6.0));
        assert_eq!(x_range(&[-f64::MAX, f64::MAX], 5), (-f64::MAX, f64::MAX));
    }
}
