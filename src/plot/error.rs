//! Why a chart could not be rendered, and the size limit of a canvas: the
//! bottom of `plot`, imported by every other file of it.

/// Largest accepted width or height, in pixels (a bitmap is drawn at twice
/// the size: 4096 × 4096 takes 200 MB while drawing).
pub const MAX_SIDE: u32 = 4096;

/// Why a chart could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The canvas is empty or unreasonably large.
    #[error(
        "invalid chart size {width}×{height} px (each side must be 1..={max} px)",
        max = MAX_SIDE
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

/// Converts a plotters drawing error into a [`PlotError`].
pub fn draw_error<E: std::fmt::Display>(error: E) -> PlotError {
    PlotError::Draw(error.to_string())
}
