//! Charts with an embedded font: PNG bytes and self-contained SVG text.
//!
//! Every chart renders on a machine with no fonts installed: the text comes
//! from `assets/fonts/DejaVuSans.ttf`, compiled into the binary and
//! registered with plotters' `ab_glyph` support ([`font::ensure_font`]).
//! SVG output carries the glyphs it uses in an `@font-face` rule, so it looks
//! the same in any viewer.
//!
//! Renderers return bytes or text, never files: the caller writes them
//! (atomically) where it wants.
//!
//! The kit, bottom up; each file imports only from those before it:
//!
//! * [`error`]: why a chart could not be rendered ([`PlotError`]);
//! * [`font`]: the embedded font, its registration with plotters, its
//!   metrics, and its subset for SVG files;
//! * [`canvas`]: the two back ends (an in-memory bitmap encoded as PNG, and
//!   SVG with the font embedded), for any chart drawn with plotters;
//! * [`style`]: palette, line patterns, sizes and text: the look shared by
//!   every chart;
//! * [`axis`]: nice ticks and a data frame with its axes;
//! * [`page`]: title, subtitle and footnote, and a [`page::Chart`]
//!   rendered as PNG or SVG;
//! * [`legend`]: series legends;
//! * [`series`]: Monte Carlo bands and median lines.
//!
//! The charts, each drawn with the kit:
//!
//! * [`band`]: Monte Carlo time series, a median line and a 5–95 % band per
//!   series ([`BandChart`], [`render_png`], [`render_svg`]);
//! * [`forest`]: paired differences from a baseline with 95 % confidence
//!   intervals, a panel per measure ([`ForestChart`], [`render_forest_png`],
//!   [`render_forest_svg`]);
//! * [`survival`]: Kaplan–Meier step curves ([`SurvivalChart`],
//!   [`render_survival_png`], [`render_survival_svg`]);
//! * [`multiples`]: small multiples of Monte Carlo bands, one legend for
//!   the grid ([`SmallMultiples`], [`render_multiples_png`],
//!   [`render_multiples_svg`]);
//! * [`map`]: raster maps of the grid, categorical or continuous (viridis),
//!   panels side by side ([`MapChart`], [`render_map_png`],
//!   [`render_map_svg`], [`render_map_rgb`]);
//! * [`sensitivity`]: the Morris μ*–σ scatter and Sobol index bars with
//!   95 % intervals ([`sensitivity::MorrisChart`], [`sensitivity::IndexChart`]);
//! * [`gif`](mod@gif): an animated map, one [`MapChart`] per frame, each
//!   drawn by [`map`] ([`render_gif`]).

pub mod axis;
pub mod band;
pub mod canvas;
pub mod error;
pub mod font;
pub mod forest;
pub mod gif;
pub mod legend;
pub mod map;
pub mod multiples;
pub mod page;
pub mod sensitivity;
pub mod series;
pub mod style;
pub mod survival;
#[cfg(test)]
mod testing;

pub use self::gif::render_gif;
pub use band::{BandChart, render_png, render_svg, replicate_footnote};
pub use error::PlotError;
pub use forest::{
    Better, ForestChart, ForestPanel, ForestRow, render_forest_png, render_forest_svg,
};
pub use map::{
    ColourScale, MapChart, MapPanel, MapValues, render_map_png, render_map_rgb, render_map_svg,
};
pub use multiples::{SmallMultiples, SmallPanel, render_multiples_png, render_multiples_svg};
pub use series::Band;
pub use style::{LinePattern, OKABE_ITO};
pub use survival::{SurvivalChart, SurvivalCurve, render_survival_png, render_survival_svg};
