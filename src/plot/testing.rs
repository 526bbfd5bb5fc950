//! Helpers shared by the charts' tests.

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
