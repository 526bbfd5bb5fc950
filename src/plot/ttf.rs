//! Minimal TrueType reading: metrics for laying out text on bitmaps, and a
//! subsetter to embed the chart font in SVG files.
//!
//! **Metrics.** plotters' bitmap text (through ab_glyph) ignores each glyph's
//! left side bearing, which spaces letters unevenly ("Acti ve"), and puts the
//! baseline half a text size below the anchor. [`Metrics`] gives advances,
//! side bearings and kerning so that the bitmap back end can place every
//! glyph itself (see `canvas`).
//!
//! **Subsetting.** The whole DejaVu Sans is 760 kB (1 MB in base64): too
//! much for every chart. [`subset`] keeps glyph ids unchanged and empties the
//! outlines of glyphs the chart does not use (zero length in `loca`), so
//! `cmap`, `hmtx` and `kern` stay valid as they are. It also drops the
//! OpenType layout and FontForge tables (`GDEF`, `GPOS`, `GSUB`, `MATH`,
//! `FFTM`, plus any `DSIG`, `hdmx`, `LTSH`, `VDMX`), turns `post` into
//! format 3 (no glyph names) and recomputes checksums. Without `GSUB` no
//! substitution can lead to an emptied glyph; without `GPOS` browsers kern
//! with `kern`, as plotters does.

use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Tables dropped from the subset.
const DROPPED: [&[u8; 4]; 9] = [
    b"DSIG", b"FFTM", b"GDEF", b"GPOS", b"GSUB", b"LTSH", b"MATH", b"VDMX", b"hdmx",
];

fn u16_at(data: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(pos..pos + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], pos: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(pos..pos + 4)?.try_into().ok()?))
}

/// A font's table directory.
struct Tables<'a> {
    font: &'a [u8],
    records: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Tables<'a> {
    fn parse(font: &'a [u8]) -> Option<Self> {
        let count = usize::from(u16_at(font, 4)?);
        let mut records = Vec::with_capacity(count);
        for i in 0..count {
            let at = 12 + 16 * i;
            let tag: [u8; 4] = font.get(at..at + 4)?.try_into().ok()?;
            let offset = u32_at(font, at + 8)? as usize;
            let length = u32_at(font, at + 12)? as usize;
            font.get(offset..offset.checked_add(length)?)?;
            records.push((tag, offset, length));
        }
        Some(Tables { font, records })
    }

    fn get(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.records
            .iter()
            .find(|(t, _, _)| t == tag)
            .map(|&(_, offset, length)| &self.font[offset..offset + length])
    }
}

/// Glyph id of `c` in a `cmap` subtable of format 4 or 12.
fn lookup(subtable: &[u8], c: char) -> Option<u16> {
    let code = u32::from(c);
    match u16_at(subtable, 0)? {
        4 => {
            let code = u16::try_from(code).ok()?;
            let seg_x2 = usize::from(u16_at(subtable, 6)?);
            let ends = 14;
            let starts = ends + seg_x2 + 2;
            let deltas = starts + seg_x2;
            let ranges = deltas + seg_x2;
            for seg in (0..seg_x2).step_by(2) {
                if u16_at(subtable, ends + seg)? < code {
                    continue;
                }
                let start = u16_at(subtable, starts + seg)?;
                if start > code {
                    return None;
                }
                let delta = u16_at(subtable, deltas + seg)?;
                let range = usize::from(u16_at(subtable, ranges + seg)?);
                if range == 0 {
                    return Some(code.wrapping_add(delta));
                }
                let at = ranges + seg + range + 2 * usize::from(code - start);
                let glyph = u16_at(subtable, at)?;
                return (glyph != 0).then(|| glyph.wrapping_add(delta));
            }
            None
        }
        12 => {
            let groups = u32_at(subtable, 12)? as usize;
            (0..groups).find_map(|g| {
                let at = 16 + 12 * g;
                let (start, end) = (u32_at(subtable, at)?, u32_at(subtable, at + 4)?);
                (start..=end)
                    .contains(&code)
                    .then(|| u32_at(subtable, at + 8).map(|gid| gid + code - start))
                    .flatten()
                    .and_then(|gid| u16::try_from(gid).ok())
            })
        }
        _ => None,
    }
}

/// The Unicode `cmap` subtable: format 12 if present, else format 4.
fn unicode_cmap(cmap: &[u8]) -> Option<&[u8]> {
    let count = usize::from(u16_at(cmap, 2)?);
    let mut best: Option<(u8, &[u8])> = None;
    for i in 0..count {
        let at = 4 + 8 * i;
        let (platform, encoding) = (u16_at(cmap, at)?, u16_at(cmap, at + 2)?);
        let subtable = cmap.get(u32_at(cmap, at + 4)? as usize..)?;
        let format = u16_at(subtable, 0)?;
        let rank = match (platform, encoding, format) {
            (3, 10, 12) | (0, _, 12) => 2,
            (3, 1, 4) | (0, _, 4) => 1,
            _ => continue,
        };
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, subtable));
        }
    }
    best.map(|(_, s)| s)
}

/// Components of a composite glyph (empty for a simple one).
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut found = Vec::new();
    if glyph.len() < 10 || i16::from_be_bytes([glyph[0], glyph[1]]) >= 0 {
        return found;
    }
    let mut pos = 10;
    while let (Some(flags), Some(id)) = (u16_at(glyph, pos), u16_at(glyph, pos + 2)) {
        found.push(id);
        pos += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        pos += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    found
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Horizontal metrics and kerning of a TrueType font, in font units.
pub(crate) struct Metrics {
    cmap: &'static [u8],
    hmtx: &'static [u8],
    long_metrics: usize,
    /// Pair records (left, right, value) of the first horizontal format-0
    /// `kern` subtable, sorted by pair.
    kern_pairs: &'static [u8],
    /// Units per em.
    pub units_per_em: f64,
    /// Ascender minus descender (`hhea`): plotters' text size is this height.
    pub height: f64,
    /// Height of capital letters (top of "H").
    pub cap_height: f64,
    /// Depth of descenders below the baseline (positive).
    pub descent: f64,
}

impl Metrics {
    fn parse(font: &'static [u8]) -> Option<Metrics> {
        let tables = Tables::parse(font)?;
        let head = tables.get(b"head")?;
        let hhea = tables.get(b"hhea")?;
        let units_per_em = f64::from(u16_at(head, 18)?);
        let ascender = f64::from(u16_at(hhea, 4)? as i16);
        let descender = f64::from(u16_at(hhea, 6)? as i16);
        let cmap = unicode_cmap(tables.get(b"cmap")?)?;
        let mut metrics = Metrics {
            cmap,
            hmtx: tables.get(b"hmtx")?,
            long_metrics: usize::from(u16_at(hhea, 34)?).max(1),
            kern_pairs: tables.get(b"kern").and_then(kern_pairs).unwrap_or(&[]),
            units_per_em,
            height: ascender - descender,
            cap_height: 0.7 * units_per_em,
            descent: -descender,
        };
        if !(metrics.height > 0.0 && units_per_em > 0.0) {
            return None;
        }
        // Cap height: yMax of "H" in its glyph header.
        let glyf = tables.get(b"glyf")?;
        let loca = tables.get(b"loca")?;
        let h = usize::from(metrics.glyph('H'));
        let offset = if u16_at(head, 50)? == 1 {
            u32_at(loca, 4 * h).map(|o| o as usize)
        } else {
            u16_at(loca, 2 * h).map(|o| 2 * usize::from(o))
        };
        if let Some(y_max) = offset.and_then(|o| u16_at(glyf, o + 8)) {
            let y_max = f64::from(y_max as i16);
            if y_max > 0.0 {
                metrics.cap_height = y_max;
            }
        }
        Some(metrics)
    }

    /// Glyph id of `c` (0, `.notdef`, if the font lacks it).
    pub(crate) fn glyph(&self, c: char) -> u16 {
        lookup(self.cmap, c).unwrap_or(0)
    }

    /// Advance width and left side bearing of glyph `g`.
    pub(crate) fn h_metrics(&self, g: u16) -> (f64, f64) {
        let g = usize::from(g);
        let n = self.long_metrics;
        let advance = u16_at(self.hmtx, 4 * g.min(n - 1)).unwrap_or(0);
        let lsb = if g < n {
            u16_at(self.hmtx, 4 * g + 2)
        } else {
            u16_at(self.hmtx, 4 * n + 2 * (g - n))
        };
        (f64::from(advance), f64::from(lsb.unwrap_or(0) as i16))
    }

    /// Kerning between glyphs `left` and `right`.
    pub(crate) fn kern(&self, left: u16, right: u16) -> f64 {
        let key = (u32::from(left) << 16) | u32::from(right);
        let count = self.kern_pairs.len() / 6;
        let (mut lo, mut hi) = (0, count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let pair = u32_at(self.kern_pairs, 6 * mid).unwrap_or(0);
            match pair.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return f64::from(u16_at(self.kern_pairs, 6 * mid + 4).unwrap_or(0) as i16);
                }
            }
        }
        0.0
    }

    /// Pen position of each character of `text` (before its left side
    /// bearing), plus the total advance, in font units.
    pub(crate) fn layout(&self, text: &str) -> (Vec<(char, f64, f64)>, f64) {
        let mut pen = 0.0;
        let mut prev = None;
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            let g = self.glyph(c);
            if let Some(p) = prev {
                pen += self.kern(p, g);
            }
            let (advance, lsb) = self.h_metrics(g);
            glyphs.push((c, pen, lsb));
            pen += advance;
            prev = Some(g);
        }
        (glyphs, pen)
    }
}

/// The pair records of the first horizontal format-0 subtable of `kern`
/// (version 0, the Microsoft layout).
fn kern_pairs(kern: &[u8]) -> Option<&[u8]> {
    if u16_at(kern, 0)? != 0 {
        return None;
    }
    let mut at = 4;
    for _ in 0..u16_at(kern, 2)? {
        let length = usize::from(u16_at(kern, at + 2)?);
        let coverage = u16_at(kern, at + 4)?;
        if coverage >> 8 == 0 && coverage & 0x000F == 0x0001 {
            let pairs = usize::from(u16_at(kern, at + 6)?);
            return kern.get(at + 14..at + 14 + 6 * pairs);
        }
        at += length.max(6);
    }
    None
}

/// Baseline below a text's anchor point, in ems, for text anchored at its
/// top (plotters' SVG value), centre (capitals and digits centred) and
/// bottom (descenders resting on the anchor), as used by both back ends.
#[allow(clippy::type_complexity)]
pub(crate) const BASELINES_EM: [fn(&Metrics) -> f64; 3] = [
    |_| 0.76,
    |m| m.cap_height / 2.0 / m.units_per_em,
    |m| -m.descent / m.units_per_em,
];

/// Metrics of the embedded chart font, parsed once.
pub(crate) fn chart_font() -> Option<&'static Metrics> {
    static METRICS: OnceLock<Option<Metrics>> = OnceLock::new();
    METRICS
        .get_or_init(|| Metrics::parse(crate::plot::style::FONT_BYTES))
        .as_ref()
}

/// A copy of `font` that draws only `chars` (and `.notdef`); `None` if the
/// font is not a TrueType font this parser understands.
pub(crate) fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let tables = Tables::parse(font)?;
    let head = tables.get(b"head")?;
    let glyf = tables.get(b"glyf")?;
    let loca = tables.get(b"loca")?;
    let glyph_count = usize::from(u16_at(tables.get(b"maxp")?, 4)?);
    let long_loca = u16_at(head, 50)? == 1;
    let offsets: Vec<usize> = (0..=glyph_count)
        .map(|g| {
            if long_loca {
                u32_at(loca, 4 * g).map(|o| o as usize)
            } else {
                u16_at(loca, 2 * g).map(|o| 2 * usize::from(o))
            }
        })
        .collect::<Option<_>>()?;
    let glyph = |g: usize| -> Option<&[u8]> { glyf.get(offsets[g]..offsets[g + 1]) };

    // Glyphs to keep: .notdef, those of the characters, their components.
    let cmap = unicode_cmap(tables.get(b"cmap")?)?;
    let mut keep = vec![false; glyph_count];
    let mut stack: Vec<u16> = std::iter::once(0)
        .chain(chars.iter().filter_map(|&c| lookup(cmap, c)))
        .collect();
    while let Some(g) = stack.pop() {
        let g = usize::from(g);
        if g < glyph_count && !keep[g] {
            keep[g] = true;
            stack.extend(components(glyph(g)?));
        }
    }

    // New glyf and (long) loca.
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (glyph_count + 1));
    for (g, &kept) in keep.iter().enumerate() {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if kept {
            new_glyf.extend_from_slice(glyph(g)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let mut new_head = head.to_vec();
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    let mut post = tables.get(b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = tables
        .records
        .iter()
        .filter(|(tag, _, _)| !DROPPED.contains(&tag))
        .map(|&(tag, offset, length)| {
            let data = match &tag {
                b"glyf" => std::mem::take(&mut new_glyf),
                b"loca" => std::mem::take(&mut new_loca),
                b"head" => std::mem::take(&mut new_head),
                b"post" => std::mem::take(&mut post),
                _ => font[offset..offset + length].to_vec(),
            };
            (tag, data)
        })
        .collect();
    out_tables.sort_by_key(|t| t.0);

    // Offset table, directory, then tables on 4-byte boundaries.
    let count = out_tables.len();
    let entry_selector = usize::BITS - 1 - count.max(1).leading_zeros();
    let search_range = 16usize << entry_selector;
    let mut out = Vec::new();
    out.extend_from_slice(font.get(0..4)?);
    for v in [
        count,
        search_range,
        entry_selector as usize,
        16 * count - search_range,
    ] {
        out.extend_from_slice(&(v as u16).to_be_bytes());
    }
    let mut offset = 12 + 16 * count;
    let mut head_offset = None;
    for (tag, data) in &out_tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_offset = Some(offset);
        }
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &out_tables {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
    let at = head_offset? + 8;
    out[at..at + 4].copy_from_slice(&adjustment.to_be_bytes());
    Some(out)
}

/// Standard base64 (RFC 4648, with padding), for `data:` URLs.
pub(crate) fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::style::FONT_BYTES;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn cmap_lookup_finds_glyphs() {
        let tables = Tables::parse(FONT_BYTES).unwrap();
        let cmap = unicode_cmap(tables.get(b"cmap").unwrap()).unwrap();
        let a = lookup(cmap, 'A').unwrap();
        assert!(a > 0);
        assert_eq!(lookup(cmap, 'B'), Some(a + 1));
        assert!(lookup(cmap, '–').is_some());
        assert_eq!(lookup(cmap, '\u{10FFFF}'), None);
    }

    #[test]
    fn subset_is_small_and_well_formed() {
        let chars: BTreeSet<char> = "Citizens 0123456789 – ·".chars().collect();
        let small = subset(FONT_BYTES, &chars).unwrap();
        assert!(small.len() < 150_000, "subset is {} bytes", small.len());
        // The whole-font checksum is the magic number.
        assert_eq!(checksum(&small), 0xB1B0_AFBA);
        let tables = Tables::parse(&small).unwrap();
        assert!(tables.get(b"GSUB").is_none());
        assert_eq!(u32_at(tables.get(b"post").unwrap(), 0), Some(0x0003_0000));
        // Kept glyphs are byte-identical; others are empty.
        let cmap = unicode_cmap(tables.get(b"cmap").unwrap()).unwrap();
        let loca = tables.get(b"loca").unwrap();
        let len = |g: u16| {
            let g = usize::from(g);
            u32_at(loca, 4 * g + 4).unwrap() - u32_at(loca, 4 * g).unwrap()
        };
        assert!(len(lookup(cmap, 'C').unwrap()) > 0);
        assert_eq!(len(lookup(cmap, 'Q').unwrap()), 0);
        assert!(len(0) > 0);
        // Directory is sorted, tables aligned.
        let tags: Vec<_> = tables.records.iter().map(|r| r.0).collect();
        assert!(tags.windows(2).all(|w| w[0] < w[1]));
        assert!(tables.records.iter().all(|r| r.1 % 4 == 0));
    }

    #[test]
    fn subset_keeps_components_of_composite_glyphs() {
        // In DejaVu Sans "é" is "e" plus "acute"; "acute" is not asked for.
        let chars: BTreeSet<char> = ['é'].into_iter().collect();
        let small = subset(FONT_BYTES, &chars).unwrap();
        let tables = Tables::parse(&small).unwrap();
        let loca = tables.get(b"loca").unwrap();
        let glyf = tables.get(b"glyf").unwrap();
        let cmap = unicode_cmap(tables.get(b"cmap").unwrap()).unwrap();
        let range = |g: u16| {
            let g = usize::from(g);
            u32_at(loca, 4 * g).unwrap() as usize..u32_at(loca, 4 * g + 4).unwrap() as usize
        };
        let parts = components(&glyf[range(lookup(cmap, 'é').unwrap())]);
        assert_eq!(parts.len(), 2);
        assert!(parts.contains(&lookup(cmap, 'e').unwrap()));
        assert!(parts.iter().all(|&g| !range(g).is_empty()));
        assert!(range(lookup(cmap, 'n').unwrap()).is_empty());
    }

    #[test]
    fn metrics_of_dejavu() {
        let m = chart_font().unwrap();
        assert_eq!(m.units_per_em, 2048.0);
        assert_eq!(m.height, 1901.0 + 483.0);
        assert!((m.cap_height / m.units_per_em - 0.729).abs() < 0.01);
        let (adv_i, lsb_i) = m.h_metrics(m.glyph('i'));
        assert!(adv_i > 0.0 && lsb_i > 0.0);
        // "AV" is kerned together; "ab" is not.
        assert!(m.kern(m.glyph('A'), m.glyph('V')) < 0.0);
        assert_eq!(m.kern(m.glyph('a'), m.glyph('b')), 0.0);
        let (glyphs, width) = m.layout("AV");
        assert_eq!(glyphs.len(), 2);
        assert!(glyphs[1].1 < m.h_metrics(m.glyph('A')).0);
        assert!(width > 0.0);
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(subset(b"not a font", &BTreeSet::new()).is_none());
        assert!(Tables::parse(&[0; 3]).is_none());
    }
}
