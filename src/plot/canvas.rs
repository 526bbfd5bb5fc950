//! The two back ends every chart draws on, returning bytes or text.
//!
//! * [`png_with`]: an in-memory RGB bitmap, drawn at twice the requested
//!   size and averaged down (anti-aliased lines and edges), encoded as PNG;
//! * [`svg_with`]: SVG text, made self-contained: the glyphs it uses are
//!   embedded as a font in an `@font-face` rule, and it carries a `<title>`
//!   and `<desc>` for screen readers.
//!
//! A chart is a function drawing on a `DrawingArea` of any plotters back end,
//! given a [`Surface`] that says how to scale its theme and how text must be
//! drawn (see `Theme::draw_text`).

use std::collections::BTreeSet;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::error::{MAX_SIDE, PlotError, draw_error};
use super::font::{self, FONT_FAMILY, ensure_font};

/// What a chart is drawn on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Surface {
    /// Device pixels per chart pixel (2 for the supersampled bitmap).
    pub pixel_ratio: f64,
    /// Whether text must be placed glyph by glyph (the bitmap: plotters'
    /// own bitmap text spaces letters unevenly) rather than as whole strings
    /// (SVG `<text>` elements, laid out by the viewer).
    pub glyph_by_glyph: bool,
}

/// The bitmap surface of [`png_with`].
pub const BITMAP: Surface = Surface {
    pixel_ratio: SUPERSAMPLE as f64,
    glyph_by_glyph: true,
};

/// The SVG surface of [`svg_with`].
pub const SVG: Surface = Surface {
    pixel_ratio: 1.0,
    glyph_by_glyph: false,
};

/// Supersampling factor of bitmap charts.
const SUPERSAMPLE: u32 = 2;

/// Checks that a `width` × `height` canvas is drawable.
pub fn check_size(width: u32, height: u32) -> Result<(), PlotError> {
    if (1..=MAX_SIDE).contains(&width) && (1..=MAX_SIDE).contains(&height) {
        Ok(())
    } else {
        Err(PlotError::InvalidSize { width, height })
    }
}

/// Draws a chart on an in-memory bitmap and returns it as PNG bytes.
///
/// `draw` receives the root area (white, twice the requested size) and the
/// [`BITMAP`] surface.
pub fn png_with<F>(width: u32, height: u32, draw: F) -> Result<Vec<u8>, PlotError>
where
    F: FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>, Surface) -> Result<(), PlotError>,
{
    let (rgb, ()) = rgb_with(width, height, draw)?;
    encode_png(&rgb, width, height)
}

/// Draws a chart on an in-memory bitmap twice the requested size and
/// averages it down; returns the 8-bit RGB pixels and what `draw` returned.
///
/// `draw` receives the root area (white, twice the requested size) and the
/// [`BITMAP`] surface.
pub fn rgb_with<F, R>(width: u32, height: u32, draw: F) -> Result<(Vec<u8>, R), PlotError>
where
    F: FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>, Surface) -> Result<R, PlotError>,
{
    check_size(width, height)?;
    ensure_font()?;
    let (big_w, big_h) = (width * SUPERSAMPLE, height * SUPERSAMPLE);
    let mut big = vec![255u8; big_w as usize * big_h as usize * 3];
    let result = {
        let root = BitMapBackend::with_buffer(&mut big, (big_w, big_h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let result = draw(&root, BITMAP)?;
        root.present().map_err(draw_error)?;
        result
    };
    let small = downsample(&big, big_w as usize, SUPERSAMPLE as usize);
    Ok((small, result))
}

/// Draws over a finished RGB image: enlarges it (each pixel a block, so
/// flat areas come back unchanged), lets `draw` add to it as [`rgb_with`]
/// does, and averages it down again.
pub fn overlay<F>(rgb: &[u8], width: u32, height: u32, draw: F) -> Result<Vec<u8>, PlotError>
where
    F: FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>, Surface) -> Result<(), PlotError>,
{
    check_size(width, height)?;
    ensure_font()?;
    let factor = SUPERSAMPLE as usize;
    let (w, h) = (width as usize, height as usize);
    let (big_w, big_h) = (w * factor, h * factor);
    let mut big = vec![0u8; big_w * big_h * 3];
    for y in 0..big_h {
        for x in 0..big_w {
            let from = ((y / factor) * w + x / factor) * 3;
            let to = (y * big_w + x) * 3;
            big[to..to + 3].copy_from_slice(&rgb[from..from + 3]);
        }
    }
    {
        let root =
            BitMapBackend::with_buffer(&mut big, (big_w as u32, big_h as u32)).into_drawing_area();
        draw(&root, BITMAP)?;
        root.present().map_err(draw_error)?;
    }
    Ok(downsample(&big, big_w, factor))
}

/// Averages `factor` × `factor` blocks of an RGB image `width` pixels wide.
fn downsample(rgb: &[u8], width: usize, factor: usize) -> Vec<u8> {
    let (out_w, out_h) = (width / factor, rgb.len() / 3 / width / factor);
    let mut out = Vec::with_capacity(out_w * out_h * 3);
    let n = (factor * factor) as u32;
    for y in 0..out_h {
        for x in 0..out_w {
            for c in 0..3 {
                let mut sum = 0u32;
                for dy in 0..factor {
                    let row = (y * factor + dy) * width;
                    for dx in 0..factor {
                        sum += u32::from(rgb[(row + x * factor + dx) * 3 + c]);
                    }
                }
                out.push(((sum + n / 2) / n) as u8);
            }
        }
    }
    out
}

/// Encodes 8-bit RGB pixels as a PNG file.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(rgb)?;
        writer.finish()?;
    }
    Ok(out)
}

/// Draws a chart as SVG and returns the document.
///
/// `draw` receives the root area (white) and the [`SVG`] surface.
/// `title` and `description` become the document's `<title>` and `<desc>`.
/// The glyphs the text uses (and all of printable ASCII, so that the text
/// stays editable) are embedded as a TrueType font in a base64 `data:` URL;
/// a chart typically carries 120–150 kB of font.
pub fn svg_with<F>(
    width: u32,
    height: u32,
    title: &str,
    description: &str,
    draw: F,
) -> Result<String, PlotError>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>, Surface) -> Result<(), PlotError>,
{
    check_size(width, height)?;
    ensure_font()?;
    let mut body = String::new();
    {
        let root = SVGBackend::with_string(&mut body, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        draw(&root, SVG)?;
        root.present().map_err(draw_error)?;
    }
    Ok(finish_svg(&body, title, description))
}

/// Name of the embedded font face in SVG files: distinct from the system's
/// "DejaVu Sans", whose full glyph set the subset must not shadow.
const SVG_FACE: &str = "stabsim DejaVu Sans";

/// Makes plotters' SVG self-contained: title, description, embedded font,
/// and font sizes matching the bitmap.
fn finish_svg(body: &str, title: &str, description: &str) -> String {
    let mut chars: BTreeSet<char> = (' '..='~').collect();
    chars.extend(text_contents(body).chars());
    let font = font::embedded_subset(&chars);
    let body = match font::chart_font() {
        Some(m) => {
            // plotters writes font-size = size / 1.24, and anchors text
            // vertically with "0.5ex" (centre) and "-0.5ex" (bottom); use
            // the em size and baselines of the bitmap instead.
            let body = scale_font_sizes(body, 1.24 * m.units_per_em / m.height);
            let [top, centre, bottom] = font::BASELINES_EM.map(|f| f(m));
            body.replace("dy=\"0.76em\"", &format!("dy=\"{top:.3}em\""))
                .replace("dy=\"0.5ex\"", &format!("dy=\"{centre:.3}em\""))
                .replace("dy=\"-0.5ex\"", &format!("dy=\"{bottom:.3}em\""))
        }
        None => body.to_string(),
    };

    let mut head = String::new();
    head.push_str("<title>");
    head.push_str(&escape_xml(title));
    head.push_str("</title>\n");
    if !description.is_empty() {
        head.push_str("<desc>");
        head.push_str(&escape_xml(description));
        head.push_str("</desc>\n");
    }
    head.push_str("<style>\n");
    if let Some(font) = font {
        head.push_str(&format!(
            "@font-face {{ font-family: \"{SVG_FACE}\"; src: url(data:font/ttf;base64,{font}) format(\"truetype\"); }}\n"
        ));
    }
    head.push_str(&format!(
        "text {{ font-family: \"{SVG_FACE}\", \"{FONT_FAMILY}\", sans-serif; }}\n</style>\n"
    ));

    // Insert right after the opening <svg ...> tag.
    match body
        .find("<svg")
        .and_then(|s| body[s..].find('>').map(|e| s + e + 1))
    {
        Some(at) => format!(
            "{}\n{}{}",
            &body[..at],
            head,
            body[at..].trim_start_matches('\n')
        ),
        None => body,
    }
}

/// The text of every `<text>` element, unescaped, concatenated.
fn text_contents(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        if close > open_end {
            out.push_str(&unescape_xml(&rest[open_end + 1..close]));
        }
        rest = &rest[close.max(open_end)..];
        rest = &rest[1..];
    }
    out
}

/// Multiplies every `font-size="…"` attribute by `factor`.
fn scale_font_sizes(svg: &str, factor: f64) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(KEY) {
        let value_start = at + KEY.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(size) => out.push_str(&format!("{:.2}", size * factor)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_checked() {
        assert!(check_size(1200, 700).is_ok());
        assert!(matches!(
            check_size(0, 700),
            Err(PlotError::InvalidSize { width: 0, .. })
        ));
        assert!(check_size(10, MAX_SIDE + 1).is_err());
    }

    #[test]
    fn downsample_averages_blocks() {
        // 2×2 image: black, white / white, white → one pixel, 3/4 white.
        let rgb = [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255];
        assert_eq!(downsample(&rgb, 2, 2), vec![191, 191, 191]);
    }

    #[test]
    fn svg_text_is_found_and_sizes_scaled() {
        let svg = r#"<svg a="1"><text x="1" font-size="10">A &amp; B</text><text>C</text></svg>"#;
        assert_eq!(text_contents(svg), "A & BC");
        assert!(scale_font_sizes(svg, 1.5).contains(r#"font-size="15.00""#));
        let done = finish_svg(svg, "T<1>", "");
        assert!(done.starts_with("<svg a=\"1\">\n<title>T&lt;1&gt;</title>"));
        assert!(done.contains("@font-face"));
        assert!(!done.contains("<desc>"));
    }
}
