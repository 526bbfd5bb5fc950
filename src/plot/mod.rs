//! Charts with an embedded font: PNG bytes and self-contained SVG text.
//!
//! Every chart renders on a machine with no fonts installed: the text comes
//! from `assets/fonts/DejaVuSans.ttf`, compiled into the binary and
//! registered with plotters' `ab_glyph` support ([`style::ensure_font`]).
//! SVG output carries the glyphs it uses in an `@font-face` rule, so it looks
//! the same in any viewer.
//!
//! Renderers return bytes or text, never files: the caller writes them
//! (atomically) where it wants.
//!
//! * [`style`]: palette, line patterns, font, sizes, tick labels, legend:
//!   the look shared by every chart;
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
//! * [`gif`](mod@gif): an animated map, one [`MapChart`] per frame
//!   ([`render_gif`]);
//! * [`canvas`]: the two back ends (an in-memory bitmap encoded as PNG, and
//!   SVG with the font embedded), for any chart drawn with plotters.

pub mod band;
pub mod canvas;
pub mod forest;
pub mod gif;
pub mod map;
pub mod multiples;
pub mod style;
pub mod survival;
mod ttf;

pub use self::gif::render_gif;
pub use band::{Band, BandChart, render_png, render_svg, replicate_footnote};
pub use forest::{
    Better, ForestChart, ForestPanel, ForestRow, render_forest_png, render_forest_svg,
};
pub use map::{MapChart, MapPanel, MapValues, render_map_png, render_map_rgb, render_map_svg};
pub use multiples::{SmallMultiples, SmallPanel, render_multiples_png, render_multiples_svg};
pub use style::{LinePattern, OKABE_ITO};
pub use survival::{SurvivalChart, SurvivalCurve, render_survival_png, render_survival_svg};

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The canvas is empty or unreasonably large.
    #[error(
        "invalid chart size {width}×{height} px (each side must be 1..={max} px)",
        max = canvas::MAX_SIDE
    )]
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
    },
    /// A series does not have one value per x.
    #[error("series {series:?}: {field} has {found} values but x has {expected}")]
    LengthMismatch {
        /// Label of the offending series.
        series: String,
        /// Which vector is off: `p05`, `p50` or `p95` (bands), or `reference`
        /// (small multiples).
        field: &'static str,
        /// Number of x values.
        expected: usize,
        /// Number of values in the series.
        found: usize,
    },
    /// A panel does not have as many entries as the chart needs: a forest
    /// panel's rows (as many as the first panel's), a map's cells (width ×
    /// height).
    #[error("panel {panel:?}: {field} has {found} entries but {expected} are needed")]
    CountMismatch {
        /// Title of the offending panel.
        panel: String,
        /// What is counted: `rows` or `values`.
        field: &'static str,
        /// Number of entries needed.
        expected: usize,
        /// Number of entries found.
        found: usize,
    },
    /// Panels that must show the same rows, in the same order, do not.
    #[error("panel {panel:?}: row {index} is {found:?} but the first panel's is {expected:?}")]
    LabelMismatch {
        /// Title of the offending panel.
        panel: String,
        /// Index of the first row that differs.
        index: usize,
        /// Label of that row in the first panel.
        expected: String,
        /// Label of that row in the offending panel.
        found: String,
    },
    /// The embedded font could not be registered with plotters.
    #[error("the embedded chart font could not be loaded")]
    Font,
    /// The drawing back end failed.
    #[error("drawing failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
    /// GIF encoding failed.
    #[error("GIF encoding failed: {0}")]
    Gif(#[from] ::gif::EncodingError),
    /// An animation needs at least one frame.
    #[error("an animation needs at least one frame")]
    NoFrames,
}
