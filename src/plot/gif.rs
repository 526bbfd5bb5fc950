//! Animated maps: a [`MapChart`] per frame, as a GIF that loops forever.
//!
//! Frames are rendered as by [`render_map_rgb`](super::map::render_map_rgb)
//! (with the same legends in every frame, so that the maps do not move),
//! and share one global
//! palette, fixed before the first frame is written, so that the output is
//! deterministic (same frames, same bytes) and colours do not flicker from
//! frame to frame:
//!
//! 1. every colour the maps can take (categories, the continuous levels,
//!    no data: [`map::LEVELS`](super::map::LEVELS) steps of viridis) and the
//!    chart's ink colours, exactly;
//! 2. then the most frequent other colours of the first frame (mostly the
//!    anti-aliased greys of text), most frequent first, ties by value;
//! 3. every other colour maps to its nearest palette entry (RGB distance,
//!    ties to the lower index).
//!
//! One palette entry is kept transparent: after the first frame, each frame
//! stores only the rectangle that changed, its unchanged pixels transparent,
//! which keeps a long animation small (the title, legends and most cells do
//! not change).

use std::borrow::Cow;
use std::collections::HashMap;

use plotters::style::{RGBColor, WHITE};

use super::error::PlotError;
use super::map::{MapChart, chart_colours, no_data_keys, render_map_rgb_with_keys};
use super::style::{AXIS, GRID, INK, MUTED};

/// Renders `frames` as an animated GIF of `width` × `height` pixels that
/// loops forever, each frame shown `delay_centiseconds` hundredths of a
/// second. 75 frames at 700 × 500 take well under a few megabytes.
pub fn render_gif(
    frames: &[MapChart],
    width: u32,
    height: u32,
    delay_centiseconds: u16,
) -> Result<Vec<u8>, PlotError> {
    let Some(first) = frames.first() else {
        return Err(PlotError::NoFrames);
    };
    // Every frame shows the "No data" keys any frame needs, so that the
    // maps stay in place.
    let mut keys: Vec<bool> = Vec::new();
    for chart in frames {
        for (k, key) in no_data_keys(chart).into_iter().enumerate() {
            match keys.get_mut(k) {
                Some(any) => *any |= key,
                None => keys.push(key),
            }
        }
    }
    let render = |chart: &MapChart| render_map_rgb_with_keys(chart, width, height, &keys);
    let first_rgb = render(first)?;
    let mut palette = Palette::new(frames, &first_rgb);
    let (w, h) = (width as u16, height as u16);
    let mut encoder = ::gif::Encoder::new(Vec::new(), w, h, &palette.bytes())?;
    encoder.set_repeat(::gif::Repeat::Infinite)?;

    let mut previous = palette.index_image(&first_rgb);
    encoder.write_frame(&::gif::Frame {
        width: w,
        height: h,
        buffer: Cow::Borrowed(&previous),
        delay: delay_centiseconds,
        dispose: ::gif::DisposalMethod::Keep,
        ..::gif::Frame::default()
    })?;
    for chart in &frames[1..] {
        let current = palette.index_image(&render(chart)?);
        let frame = changed_part(&previous, &current, width as usize, delay_centiseconds);
        encoder.write_frame(&frame)?;
        previous = current;
    }
    Ok(encoder.into_inner()?)
}

/// Index of the transparent palette entry: after all the colours.
const TRANSPARENT: u8 = 255;

/// The global palette and the nearest-entry lookup.
struct Palette {
    /// At most 255 colours (index 255 is transparent).
    colours: Vec<[u8; 3]>,
    /// Index of every colour met so far.
    lookup: HashMap<[u8; 3], u8>,
}

impl Palette {
    /// The palette for `frames`, given the first frame's pixels.
    fn new(frames: &[MapChart], first_rgb: &[u8]) -> Palette {
        let mut palette = Palette {
            colours: Vec::with_capacity(255),
            lookup: HashMap::new(),
        };
        let fixed = [WHITE, INK, MUTED, AXIS, GRID]
            .into_iter()
            .chain(frames.iter().flat_map(chart_colours));
        for RGBColor(r, g, b) in fixed {
            palette.add([r, g, b]);
        }
        let mut counts: HashMap<[u8; 3], u32> = HashMap::new();
        for pixel in first_rgb.chunks_exact(3) {
            *counts.entry([pixel[0], pixel[1], pixel[2]]).or_default() += 1;
        }
        let mut frequent: Vec<([u8; 3], u32)> = counts.into_iter().collect();
        frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (colour, _) in frequent {
            palette.add(colour);
        }
        palette
    }

    /// Adds `colour` if it is new and there is room.
    fn add(&mut self, colour: [u8; 3]) {
        if self.colours.len() < usize::from(TRANSPARENT) && !self.lookup.contains_key(&colour) {
            self.lookup.insert(colour, self.colours.len() as u8);
            self.colours.push(colour);
        }
    }

    /// The palette as the encoder wants it: RGB triples, 256 entries (the
    /// last one, transparent, white).
    fn bytes(&self) -> Vec<u8> {
        let mut bytes: Vec<u8> = self.colours.iter().flatten().copied().collect();
        bytes.resize(256 * 3, 255);
        bytes
    }

    /// Index of the entry nearest to `colour`.
    fn index(&mut self, colour: [u8; 3]) -> u8 {
        if let Some(&i) = self.lookup.get(&colour) {
            return i;
        }
        let nearest = (0..self.colours.len())
            .min_by_key(|&i| (distance(&self.colours[i], &colour), i))
            .unwrap_or(0) as u8;
        self.lookup.insert(colour, nearest);
        nearest
    }

    /// Palette indices of an RGB image.
    fn index_image(&mut self, rgb: &[u8]) -> Vec<u8> {
        rgb.chunks_exact(3)
            .map(|p| self.index([p[0], p[1], p[2]]))
            .collect()
    }
}

/// Squared RGB distance between two colours.
fn distance(a: &[u8; 3], b: &[u8; 3]) -> u32 {
    (0..3).map(|k| u32::from(a[k].abs_diff(b[k])).pow(2)).sum()
}

/// The frame that turns `previous` into `current` (both palette indices,
/// `width` wide): the bounding box of the changed pixels, unchanged ones
/// transparent; a single transparent pixel when nothing changed.
fn changed_part(
    previous: &[u8],
    current: &[u8],
    width: usize,
    delay: u16,
) -> ::gif::Frame<'static> {
    let height = current.len() / width.max(1);
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, (a, b)) in previous.iter().zip(current).enumerate() {
        if a != b {
            let (x, y) = (i % width, i / width);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    let (left, top, w, h, buffer) = if x0 == usize::MAX || height == 0 {
        (0, 0, 1, 1, vec![TRANSPARENT])
    } else {
        let mut buffer = Vec::with_capacity((x1 - x0 + 1) * (y1 - y0 + 1));
        for y in y0..=y1 {
            let row = y * width;
            for x in x0..=x1 {
                let (a, b) = (previous[row + x], current[row + x]);
                buffer.push(if a == b { TRANSPARENT } else { b });
            }
        }
        (x0, y0, x1 - x0 + 1, y1 - y0 + 1, buffer)
    };
    ::gif::Frame {
        left: left as u16,
        top: top as u16,
        width: w as u16,
        height: h as u16,
        buffer: Cow::Owned(buffer),
        delay,
        dispose: ::gif::DisposalMethod::Keep,
        transparent: Some(TRANSPARENT),
        ..::gif::Frame::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::map::{demo, render_map_rgb};
    use crate::plot::testing::write_sample;

    /// Decodes a GIF: size, loop setting, and each frame composed onto the
    /// canvas (as RGB), as a viewer shows it.
    fn play(bytes: &[u8]) -> ((u16, u16), ::gif::Repeat, Vec<Vec<u8>>, Vec<u16>) {
        let mut options = ::gif::DecodeOptions::new();
        options.set_color_output(::gif::ColorOutput::Indexed);
        let mut decoder = options.read_info(bytes).expect("GIF header");
        let (w, h) = (decoder.width(), decoder.height());
        let palette = decoder.global_palette().expect("global palette").to_vec();
        let mut canvas = vec![0u8; usize::from(w) * usize::from(h) * 3];
        let mut shown = Vec::new();
        let mut delays = Vec::new();
        while let Some(frame) = decoder.read_next_frame().expect("GIF frame") {
            for y in 0..usize::from(frame.height) {
                for x in 0..usize::from(frame.width) {
                    let index = frame.buffer[y * usize::from(frame.width) + x];
                    if Some(index) == frame.transparent {
                        continue;
                    }
                    let at = ((y + usize::from(frame.top)) * usize::from(w)
                        + x
                        + usize::from(frame.left))
                        * 3;
                    let p = usize::from(index) * 3;
                    canvas[at..at + 3].copy_from_slice(&palette[p..p + 3]);
                }
            }
            shown.push(canvas.clone());
            delays.push(frame.delay);
        }
        let repeat = decoder.repeat();
        ((w, h), repeat, shown, delays)
    }

    fn frames(n: usize) -> Vec<MapChart> {
        (0..n).map(|i| demo::chart(i as f64 / n as f64)).collect()
    }

    #[test]
    fn gif_has_every_frame_loops_and_shows_the_maps() {
        let charts = frames(5);
        let (w, h) = (560, 400);
        let bytes = render_gif(&charts, w, h, 12).unwrap();
        let (size, repeat, shown, delays) = play(&bytes);
        assert_eq!(size, (560, 400));
        assert_eq!(repeat, ::gif::Repeat::Infinite);
        assert_eq!(shown.len(), 5);
        assert!(delays.iter().all(|&d| d == 12));
        // Each frame, as shown, is its map: every map colour is exact, the
        // rest (anti-aliased text) close.
        for (chart, pixels) in charts.iter().zip(&shown) {
            let rgb = render_map_rgb(chart, w, h).unwrap();
            let exact = chart_colours(chart);
            let mut total_error = 0u64;
            for (a, b) in rgb.chunks_exact(3).zip(pixels.chunks_exact(3)) {
                if exact.contains(&RGBColor(a[0], a[1], a[2])) {
                    assert_eq!(a, b);
                }
                total_error += (0..3).map(|k| u64::from(a[k].abs_diff(b[k]))).sum::<u64>();
            }
            let mean = total_error as f64 / rgb.len() as f64;
            assert!(mean < 1.0, "mean error {mean}");
        }
        // Frames differ (the maps change).
        assert_ne!(shown[0], shown[4]);
    }

    #[test]
    fn gif_is_deterministic_and_small() {
        let charts = frames(4);
        let a = render_gif(&charts, 700, 500, 10).unwrap();
        let b = render_gif(&charts, 700, 500, 10).unwrap();
        assert_eq!(a, b);
        // A few tens of kilobytes a frame at most.
        assert!(a.len() < 4 * 80_000, "{} bytes", a.len());
    }

    #[test]
    fn unchanged_frames_and_errors() {
        let chart = demo::chart(0.2);
        let bytes = render_gif(&[chart.clone(), chart.clone()], 300, 200, 5).unwrap();
        let (_, _, shown, _) = play(&bytes);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0], shown[1]);
        assert!(matches!(
            render_gif(&[], 300, 200, 5),
            Err(PlotError::NoFrames)
        ));
        assert!(matches!(
            render_gif(std::slice::from_ref(&chart), 0, 200, 5),
            Err(PlotError::InvalidSize { .. })
        ));
        let mut bad = chart;
        bad.width += 1;
        assert!(matches!(
            render_gif(&[bad], 300, 200, 5),
            Err(PlotError::CountMismatch { .. })
        ));
    }

    #[test]
    fn palette_keeps_map_colours_exact() {
        let charts = frames(2);
        let rgb = render_map_rgb(&charts[0], 300, 200).unwrap();
        let mut palette = Palette::new(&charts, &rgb);
        assert!(palette.colours.len() <= 255);
        for RGBColor(r, g, b) in chart_colours(&charts[1]) {
            let i = palette.index([r, g, b]);
            assert_eq!(palette.colours[usize::from(i)], [r, g, b]);
        }
        // Any other colour maps to its nearest entry.
        for colour in [[254, 254, 253], [1, 200, 7], [128, 0, 255]] {
            let i = usize::from(palette.index(colour));
            let best = palette.colours.iter().map(|c| distance(c, &colour));
            assert_eq!(distance(&palette.colours[i], &colour), best.min().unwrap());
        }
    }

    #[test]
    #[ignore = "writes sample charts to look at"]
    fn samples() {
        let charts = frames(75);
        let bytes = render_gif(&charts, 700, 500, 10).unwrap();
        eprintln!("75 frames at 700 × 500: {} bytes", bytes.len());
        assert!(bytes.len() < 4_000_000);
        write_sample("map.gif", &bytes);
        // Frames as a viewer shows them, to look at.
        let (_, _, shown, _) = play(&bytes);
        for k in [0, 37, 74] {
            let png = crate::plot::canvas::encode_png(&shown[k], 700, 500).unwrap();
            write_sample(&format!("map-gif-frame-{k}.png"), &png);
        }
    }
}
