//! Helpers shared by the charts' tests.

use super::error::PlotError;
use super::page::{Chart, render_svg};

/// Whether decoded RGB `pixels` contain the first series' colour
/// (Okabe–Ito orange, `series_colour(0)`): a chart test's check that
/// its first series was drawn.
pub(crate) fn has_first_series_colour(pixels: &[u8]) -> bool {
    pixels
        .chunks(3)
        .any(|p| p[0] > 200 && p[1] > 130 && p[1] < 180 && p[2] < 60)
}

/// Decodes a PNG into its width, height and RGB8 pixels (tests).
pub(crate) fn decode_png(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Whether every word of `text` appears in `svg` (labels may be wrapped
/// over several `<text>` elements) (tests).
pub(crate) fn svg_has_words(svg: &str, text: &str) -> bool {
    text.split_whitespace().all(|word| svg.contains(word))
}

/// Writes a sample chart to `$TMPDIR/plot-samples/name`, for looking at
/// (the ignored `samples` tests).
pub(crate) fn write_sample(name: &str, bytes: &[u8]) {
    let dir = std::env::temp_dir().join("plot-samples");
    std::fs::create_dir_all(&dir).expect("sample folder");
    std::fs::write(dir.join(name), bytes).expect("sample file");
}

/// How a chart renders as PNG bytes at a size.
pub(crate) type RenderPng<C> = fn(&C, u32, u32) -> Result<Vec<u8>, PlotError>;

/// The checks every chart passes, at `size` and at a third of it: the PNG
/// has the size asked for, the SVG is self-contained (font embedded,
/// `<title>`, every word of each of `texts`), and both are the same bytes
/// when rendered twice. Returns the PNG's RGB pixels and the SVG at `size`,
/// for a chart's own checks.
pub(crate) fn check_chart<C: Chart>(
    chart: &C,
    png: RenderPng<C>,
    (w, h): (u32, u32),
    texts: &[&str],
) -> (Vec<u8>, String) {
    let (big, svg) = (png(chart, w, h).unwrap(), render_svg(chart, w, h).unwrap());
    let (bw, bh, pixels) = decode_png(&big);
    assert_eq!((bw, bh), (w, h));
    let (sw, sh) = (w / 3, h / 3);
    let small = png(chart, sw, sh).unwrap();
    assert_eq!(small, png(chart, sw, sh).unwrap());
    assert_eq!(decode_png(&small).0, sw);
    let small_svg = render_svg(chart, sw, sh).unwrap();
    assert_eq!(small_svg, render_svg(chart, sw, sh).unwrap());
    assert!(svg.contains("@font-face") && svg.contains("data:font/ttf;base64,"));
    assert!(svg.contains(&format!("<title>{}</title>", chart.header().0)));
    assert!(svg.trim_end().ends_with("</svg>"));
    for text in texts {
        assert!(svg_has_words(&svg, text), "SVG lacks {text:?}");
    }
    (pixels, svg)
}

/// Whether the chart renders, as PNG and SVG, at each of `sizes` (edge
/// cases must not fail, nor panic).
pub(crate) fn renders_at<C: Chart>(chart: &C, png: RenderPng<C>, sizes: &[(u32, u32)]) -> bool {
    sizes
        .iter()
        .all(|&(w, h)| png(chart, w, h).is_ok() && render_svg(chart, w, h).is_ok())
}

/// Writes a chart as `name.png` and `name.svg` to look at (the ignored
/// `samples` tests).
pub(crate) fn write_samples<C: Chart>(
    name: &str,
    chart: &C,
    png: RenderPng<C>,
    (w, h): (u32, u32),
) {
    write_sample(&format!("{name}.png"), &png(chart, w, h).unwrap());
    write_sample(
        &format!("{name}.svg"),
        render_svg(chart, w, h).unwrap().as_bytes(),
    );
}
