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
//! * [`canvas`]: the two back ends (an in-memory bitmap encoded as PNG, and
//!   SVG with the font embedded), for any chart drawn with plotters.

pub mod band;
pub mod canvas;
pub mod style;
mod ttf;

pub use band::{Band, BandChart, render_png, render_svg, replicate_footnote};
pub use style::{LinePattern, OKABE_ITO};

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
        /// Which vector is off: `p05`, `p50` or `p95`.
        field: &'static str,
        /// Number of x values.
        expected: usize,
        /// Number of values in the series.
        found: usize,
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
}
