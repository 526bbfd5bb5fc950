//! Sensitivity charts: the Morris μ*–σ scatter ([`MorrisChart`]) and
//! Sobol index bars with 95 % intervals ([`IndexChart`]), each labelled
//! with the parameters' keys and their one-line descriptions (the scatter
//! numbers its most influential points and explains them in a key beside
//! the plot, where long labels do not pile up on each other).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{Frame, nice_axis};
use super::error::{PlotError, draw_error};
use super::page::{Chart, Header, draw_no_data, draw_page, draw_y_label_above};
use super::style::{AXIS, INK, MUTED, OKABE_ITO, Theme, draw_path, draw_rect, ellipsize};

/// One parameter of a Morris screening.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisPoint {
    /// The parameter's label.
    pub label: String,
    /// What it means, one line (empty: none).
    pub description: String,
    /// μ*, the mean absolute elementary effect.
    pub mu_star: f64,
    /// σ, the standard deviation of the effects.
    pub sigma: f64,
    /// The 95 % interval of μ*, drawn as a horizontal whisker.
    pub mu_star_ci: (f64, f64),
}

/// The μ*–σ plane: influence to the right, interactions and non-linearity
/// upwards.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisChart {
    /// Title.
    pub title: String,
    /// Optional second line.
    pub subtitle: Option<String>,
    /// Optional note at the bottom.
    pub footnote: Option<String>,
    /// The parameters.
    pub points: Vec<MorrisPoint>,
    /// Points labelled (the largest μ* first); the others are drawn only.
    pub labelled: usize,
}

impl Chart for MorrisChart {
    fn header(&self) -> Header<'_> {
        (
            &self.title,
            self.subtitle.as_deref(),
            self.footnote.as_deref(),
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(draw_error)?;
        let page = draw_page(root, theme, self.header())?;
        let pts: Vec<&MorrisPoint> = self
            .points
            .iter()
            .filter(|p| p.mu_star.is_finite() && p.sigma.is_finite())
            .collect();
        if pts.is_empty() {
            return draw_no_data(
                root,
                theme,
                theme.title,
                (page.width / 2, (page.top + page.bottom) / 2),
            );
        }
        let x_hi = pts
            .iter()
            .map(|p| p.mu_star_ci.1.max(p.mu_star))
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let y_hi = pts.iter().map(|p| p.sigma).fold(0.0, f64::max);
        let (xt, yt) = (nice_axis(0.0, x_hi, 6), nice_axis(0.0, y_hi, 5));
        let x = (xt.values[0], *xt.values.last().unwrap_or(&1.0));
        let y = (yt.values[0], *yt.values.last().unwrap_or(&1.0));
        let top = draw_y_label_above(
            root,
            theme,
            "σ of the elementary effects",
            (page.margin, page.top),
        )?;
        let x_label = "μ* (mean absolute elementary effect, per plausible range)";
        // The key of the numbered points takes the right part of the page.
        // Each entry of the key is two lines (key, description) and a gap;
        // only as many points are numbered as the key has room for.
        let line = theme.px(theme.tick_label * 0.6);
        let entry = 2 * line + line / 3;
        let room = ((page.bottom - top) / entry.max(1)).max(0) as usize;
        let labelled = self.labelled.min(pts.len()).min(room);
        let key_w = if labelled > 0 {
            (f64::from(page.content_w) * 0.4) as i32
        } else {
            0
        };
        let frame = Frame::fit(
            theme,
            (
                page.margin,
                top,
                page.width - page.margin - key_w,
                page.bottom,
            ),
            x,
            y,
            xt,
            yt,
            x_label,
        );
        frame.draw_axes(root, theme, x_label)?;
        // σ = μ*: above it, interactions or non-linearity dominate.
        let m = x.1.min(y.1);
        draw_path(
            root,
            &[frame.map_i(0.0, 0.0), frame.map_i(m, m)],
            AXIS.stroke_width(1),
        )?;
        let colour = OKABE_ITO[4];
        let w = theme.px(2.0).max(1) as u32;
        let mut order: Vec<usize> = (0..pts.len()).collect();
        order.sort_by(|&a, &b| pts[b].mu_star.total_cmp(&pts[a].mu_star));
        let label_style = theme.text(theme.tick_label, INK);
        for (rank, &i) in order.iter().enumerate() {
            let p = pts[i];
            let (px, py) = frame.map_i(p.mu_star, p.sigma);
            if p.mu_star_ci.0.is_finite() && p.mu_star_ci.1.is_finite() {
                let (a, _) = frame.map_i(p.mu_star_ci.0, p.sigma);
                let (b, _) = frame.map_i(p.mu_star_ci.1, p.sigma);
                draw_path(root, &[(a, py), (b, py)], colour.stroke_width(w))?;
            }
            root.draw(&Circle::new((px, py), theme.px(5.0), colour.filled()))
                .map_err(draw_error)?;
            if rank < labelled {
                theme.draw_text(
                    root,
                    &(rank + 1).to_string(),
                    &label_style,
                    (px + theme.px(7.0), py - theme.px(3.0)),
                    HPos::Left,
                    VPos::Bottom,
                )?;
            }
        }
        // The key: number, key, and its description below in grey.
        let x0 = page.width - page.margin - key_w + theme.px(24.0);
        let text_w = f64::from(page.width - page.margin - x0);
        let mut y0 = top;
        let muted = theme.text(theme.tick_label, MUTED);
        for (rank, &i) in order.iter().take(labelled).enumerate() {
            let p = pts[i];
            let head = format!("{}  {}", rank + 1, p.label);
            let head = ellipsize(theme, &head, theme.tick_label, text_w);
            theme.draw_text(root, &head, &label_style, (x0, y0), HPos::Left, VPos::Top)?;
            y0 += line;
            if !p.description.is_empty() {
                let d = ellipsize(theme, &p.description, theme.tick_label, text_w - 20.0);
                theme.draw_text(
                    root,
                    &d,
                    &muted,
                    (x0 + theme.px(20.0), y0),
                    HPos::Left,
                    VPos::Top,
                )?;
                y0 += line;
            }
            y0 += line / 3;
        }
        Ok(())
    }
}

/// One parameter's first- and total-order indices.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexRow {
    /// The parameter's label.
    pub label: String,
    /// What it means, one line (empty: none).
    pub description: String,
    /// First-order index and its 95 % interval.
    pub s1: (f64, f64, f64),
    /// Total-order index and its 95 % interval.
    pub st: (f64, f64, f64),
}

/// Horizontal bars of S1 and ST per parameter, with 95 % whiskers.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexChart {
    /// Title.
    pub title: String,
    /// Optional second line.
    pub subtitle: Option<String>,
    /// Optional note at the bottom.
    pub footnote: Option<String>,
    /// Rows, top to bottom.
    pub rows: Vec<IndexRow>,
}

impl Chart for IndexChart {
    fn header(&self) -> Header<'_> {
        (
            &self.title,
            self.subtitle.as_deref(),
            self.footnote.as_deref(),
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> Result<(), PlotError> {
        root.fill(&WHITE).map_err(draw_error)?;
        let page = draw_page(root, theme, self.header())?;
        if self.rows.is_empty() {
            return draw_no_data(
                root,
                theme,
                theme.title,
                (page.width / 2, (page.top + page.bottom) / 2),
            );
        }
        let label_w = f64::from(page.content_w) * 0.42;
        let hi = self
            .rows
            .iter()
            .flat_map(|r| [r.st.0, r.st.2, r.s1.2])
            .filter(|v| v.is_finite())
            .fold(1.0_f64, f64::max)
            .min(1.5);
        let lo = self
            .rows
            .iter()
            .flat_map(|r| [r.s1.0, r.s1.1])
            .filter(|v| v.is_finite())
            .fold(0.0_f64, f64::min)
            .max(-0.5);
        let xt = nice_axis(lo, hi, 5);
        let x = (xt.values[0], *xt.values.last().unwrap_or(&1.0));
        let n = self.rows.len() as f64;
        let key_h = theme.px(30.0);
        let x_label = "Sobol index (share of the variance of the point means)";
        let frame = Frame::fit(
            theme,
            (
                page.margin + label_w as i32,
                page.top + key_h,
                page.width - page.margin,
                page.bottom,
            ),
            x,
            (0.0, n),
            xt,
            Default::default(),
            x_label,
        );
        frame.draw_axes(root, theme, x_label)?;
        let zero = frame.map_i(0.0, 0.0).0;
        draw_path(
            root,
            &[(zero, frame.top as i32), (zero, frame.bottom as i32)],
            AXIS.stroke_width(1),
        )?;
        let row_h = (frame.bottom - frame.top) / n;
        let bar_h = (row_h * 0.32).max(2.0);
        let (c1, ct) = (OKABE_ITO[2], OKABE_ITO[5]);
        let label_style = theme.text(theme.tick_label, INK);
        let w = theme.px(2.0).max(1) as u32;
        for (i, r) in self.rows.iter().enumerate() {
            let centre = frame.top + row_h * (i as f64 + 0.5);
            let text = ellipsize(theme, &r.label, theme.tick_label, label_w - 12.0);
            // Key above the centre line, its description below in grey.
            let (key_pos, key_v) = if r.description.is_empty() {
                (centre.round() as i32, VPos::Center)
            } else {
                (centre.round() as i32, VPos::Bottom)
            };
            theme.draw_text(
                root,
                &text,
                &label_style,
                (page.margin, key_pos),
                HPos::Left,
                key_v,
            )?;
            if !r.description.is_empty() {
                let d = ellipsize(theme, &r.description, theme.tick_label, label_w - 12.0);
                theme.draw_text(
                    root,
                    &d,
                    &theme.text(theme.tick_label, MUTED),
                    (page.margin, centre.round() as i32 + theme.px(2.0)),
                    HPos::Left,
                    VPos::Top,
                )?;
            }
            for (k, (v, a, b), colour) in [(0, r.s1, c1), (1, r.st, ct)] {
                let y0 = centre - bar_h - 1.0 + k as f64 * (bar_h + 2.0);
                let (y0, y1) = (y0.round() as i32, (y0 + bar_h).round() as i32);
                if v.is_finite() {
                    let xv = frame.map_i(v, 0.0).0;
                    draw_rect(root, [(zero, y0), (xv, y1)], colour.filled())?;
                }
                if a.is_finite() && b.is_finite() {
                    let (xa, xb) = (frame.map_i(a, 0.0).0, frame.map_i(b, 0.0).0);
                    let ym = (y0 + y1) / 2;
                    draw_path(root, &[(xa, ym), (xb, ym)], INK.stroke_width(w))?;
                    for xe in [xa, xb] {
                        draw_path(root, &[(xe, y0), (xe, y1)], INK.stroke_width(w))?;
                    }
                }
            }
        }
        // Key, above the bars.
        let ky = page.top + key_h / 2;
        let mut kx = frame.left as i32;
        let sw = theme.px(16.0);
        for (name, colour) in [("first order S1", c1), ("total order ST", ct)] {
            draw_rect(
                root,
                [(kx, ky - sw / 3), (kx + sw, ky + sw / 3)],
                colour.filled(),
            )?;
            theme.draw_text(
                root,
                name,
                &theme.text(theme.legend, MUTED),
                (kx + sw + theme.px(6.0), ky),
                HPos::Left,
                VPos::Center,
            )?;
            kx += sw + theme.px(30.0) + theme.text_width(name, theme.legend) as i32;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::page::{render_png, render_svg};

    #[test]
    fn both_charts_render() {
        let m = MorrisChart {
            title: "Morris".into(),
            subtitle: Some("civilian deaths".into()),
            footnote: None,
            points: vec![
                MorrisPoint {
                    label: "mission.mandate.force_scale".into(),
                    description: "troops relative to the baseline".into(),
                    mu_star: 3.0,
                    sigma: 1.0,
                    mu_star_ci: (2.0, 4.0),
                },
                MorrisPoint {
                    label: "citizens.vision".into(),
                    description: String::new(),
                    mu_star: 0.5,
                    sigma: 0.7,
                    mu_star_ci: (f64::NAN, f64::NAN),
                },
            ],
            labelled: 10,
        };
        assert!(render_png(&m, 900, 600).unwrap().starts_with(b"\x89PNG"));
        assert!(
            render_svg(&m, 900, 600)
                .unwrap()
                .contains("citizens.vision")
        );
        let c = IndexChart {
            title: "Sobol".into(),
            subtitle: None,
            footnote: Some("note".into()),
            rows: vec![IndexRow {
                label: "a".into(),
                description: "what a means".into(),
                s1: (0.3, 0.25, 0.35),
                st: (0.5, 0.45, 0.6),
            }],
        };
        assert!(render_png(&c, 900, 600).unwrap().starts_with(b"\x89PNG"));
        let svg = render_svg(&c, 900, 600).unwrap();
        assert!(svg.contains("total order") && svg.contains("what a means"));
        assert!(
            render_svg(&m, 900, 600)
                .unwrap()
                .contains("troops relative to the baseline")
        );
    }
}
