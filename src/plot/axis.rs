//! Axes: "nice" ticks and their labels ([`nice_ticks`], [`format_tick`],
//! [`nice_axis`], [`snug_axis`], [`fitted_ticks`]), and a data frame with
//! its axes, grid and tick labels ([`Frame`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::error::PlotError;
use super::style::{AXIS, GRID, INK, MUTED, Theme, draw_path};

/// Nice tick positions covering `[lo, hi]` with about `target` intervals:
/// multiples of 1, 2, 2.5 or 5 × 10ⁿ. Returns the ticks inside the range and
/// the step. A degenerate or non-finite range gives no ticks.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> (Vec<f64>, f64) {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return (Vec::new(), 0.0);
    }
    let step = nice_step(span / target.max(1) as f64);
    let (first, last) = ((lo / step - 1e-9).ceil(), (hi / step + 1e-9).floor());
    (multiples(first, last, step), step)
}

/// The multiples `k × step` of `step` for `k` from `first` to `last`
/// (whole numbers; at most 1001 of them).
fn multiples(first: f64, last: f64, step: f64) -> Vec<f64> {
    let count = (last - first).clamp(-1.0, 1000.0) as i64;
    (0..=count)
        .map(|k| {
            let v = (first + k as f64) * step;
            // Snap near-zero values so that labels read "0", not "-0".
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect()
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
                draw_path(area, &[(l, y), (r, y)], GRID.stroke_width(thin))?;
            }
            draw_path(area, &[(l - tick, y), (l, y)], AXIS.stroke_width(thin))?;
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
            draw_path(area, &[(x, b), (x, b + tick)], AXIS.stroke_width(thin))?;
            theme.draw_text(
                area,
                &label,
                &tick_style,
                (x, b + tick + theme.px(4.0)),
                HPos::Center,
                VPos::Top,
            )?;
        }
        draw_path(area, &[(l, t), (l, b), (r, b)], AXIS.stroke_width(thin))?;
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

/// `[lo, hi]` made drawable: `[0, 1]` for a non-finite or reversed range,
/// room around a degenerate one.
fn usable_range(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) || lo > hi {
        return (0.0, 1.0);
    }
    if hi == lo {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - pad, hi + pad);
    }
    (lo, hi)
}

/// Ticks for an axis that must cover `[lo, hi]`: multiples of the nice
/// step for about `target` intervals, from the last one at or below `lo` to
/// the first one at or above `hi`, so that both ends of the axis carry a
/// labelled tick. A degenerate range gets room around it; a non-finite or
/// reversed one gives the axis of `[0, 1]`.
pub fn nice_axis(lo: f64, hi: f64, target: usize) -> Ticks {
    let (lo, hi) = usable_range(lo, hi);
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let (first, last) = ((lo / step + 1e-9).floor(), (hi / step - 1e-9).ceil());
    if !(first.is_finite() && last.is_finite() && last > first && last - first <= 1000.0) {
        // Overflow or a range too wide for f64: fall back to the ends.
        return Ticks {
            values: vec![lo, hi],
            step: hi - lo,
        };
    }
    let values = multiples(first, last, step);
    Ticks { values, step }
}

/// An axis over data in `[lo, hi]`: ticks at multiples of a nice step for
/// about `target` intervals, inside the range, and the range itself, each
/// end moved out to the next tick when that is within `slack` (a fraction
/// of the span). Ends fall on ticks where that wastes little room, and the
/// data fill the frame where it would waste much. A degenerate range gets
/// room around it; a non-finite one gives `[0, 1]`.
pub fn snug_axis(lo: f64, hi: f64, target: usize, slack: f64) -> ((f64, f64), Ticks) {
    let (lo, hi) = usable_range(lo, hi);
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
    (
        (lo, hi),
        Ticks {
            values: multiples(first, last, step),
            step,
        },
    )
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn axes_fit_ranges() {
        let theme = Theme::for_canvas(1200, 700);
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
    }
}
