//! The chart font: DejaVu Sans, compiled into the binary, registered with
//! plotters, measured with `ttf-parser`, and subset for SVG files.
//!
//! **Metrics.** plotters' bitmap text (through ab_glyph) ignores each glyph's
//! left side bearing, which spaces letters unevenly ("Acti ve"), and puts the
//! baseline half a text size below the anchor. `Metrics` gives advances,
//! side bearings and kerning so that text can be placed glyph by glyph (see
//! `Theme::draw_text`).
//!
//! **Subsetting.** The whole DejaVu Sans is 760 kB (1 MB in base64): too
//! much for every chart, and plotters' SVG back end embeds no font at all.
//! `subset` keeps glyph ids unchanged and empties the outlines of glyphs
//! the chart does not use (zero length in `loca`), so `cmap`, `hmtx` and
//! `kern` stay valid as they are. It also drops the OpenType layout and
//! FontForge tables (`GDEF`, `GPOS`, `GSUB`, `MATH`, `FFTM`, plus any
//! `DSIG`, `hdmx`, `LTSH`, `VDMX`), turns `post` into format 3 (no glyph
//! names) and recomputes checksums. Without `GSUB` no substitution can lead
//! to an emptied glyph; without `GPOS` browsers kern with `kern`, as
//! plotters does.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use base64::Engine;
use plotters::style::{FontStyle, register_font};
use ttf_parser::{Face, GlyphId, Tag, kern, loca};

use super::error::PlotError;

/// The chart font, DejaVu Sans (licence in `assets/fonts/LICENSE-DejaVu.txt`).
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Font family name under which the embedded font is registered with
/// plotters; every text style of stabsim's charts uses it.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// Registers the embedded font with plotters, once per process.
///
/// The font is registered as [`FONT_FAMILY`] and also under plotters'
/// generic names (`sans-serif`, `serif`, `monospace`), so that no text can
/// fall through to a system font lookup. Every renderer calls this first;
/// later calls are free.
pub fn ensure_font() -> Result<(), PlotError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        [FONT_FAMILY, "sans-serif", "serif", "monospace"]
            .iter()
            .all(|name| register_font(name, FontStyle::Normal, FONT_BYTES).is_ok())
    });
    if ok { Ok(()) } else { Err(PlotError::Font) }
}

/// Horizontal metrics and kerning of a TrueType font, in font units.
pub(crate) struct Metrics {
    face: Face<'static>,
    /// The first horizontal `kern` subtable, if any.
    kern: Option<kern::Subtable<'static>>,
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
        let face = Face::parse(font, 0).ok()?;
        let hhea = face.tables().hhea;
        let units_per_em = f64::from(face.units_per_em());
        let height = f64::from(hhea.ascender) - f64::from(hhea.descender);
        if !(height > 0.0 && units_per_em > 0.0) {
            return None;
        }
        let kern = face.tables().kern.and_then(|table| {
            let mut subtables = table.subtables.into_iter();
            subtables.find(|s| s.horizontal && !s.has_cross_stream)
        });
        let h = face.glyph_index('H').unwrap_or(GlyphId(0));
        let cap_height = face
            .glyph_bounding_box(h)
            .map(|b| f64::from(b.y_max))
            .filter(|&y| y > 0.0)
            .unwrap_or(0.7 * units_per_em);
        Some(Metrics {
            kern,
            units_per_em,
            height,
            cap_height,
            descent: -f64::from(hhea.descender),
            face,
        })
    }

    /// Glyph id of `c` (0, `.notdef`, if the font lacks it).
    pub(crate) fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    /// Advance width and left side bearing of glyph `g`.
    pub(crate) fn h_metrics(&self, g: GlyphId) -> (f64, f64) {
        let advance = self.face.glyph_hor_advance(g).unwrap_or(0);
        let lsb = self.face.glyph_hor_side_bearing(g).unwrap_or(0);
        (f64::from(advance), f64::from(lsb))
    }

    /// Kerning between glyphs `left` and `right`.
    pub(crate) fn kern(&self, left: GlyphId, right: GlyphId) -> f64 {
        let value = self
            .kern
            .as_ref()
            .and_then(|k| k.glyphs_kerning(left, right));
        f64::from(value.unwrap_or(0))
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
    METRICS.get_or_init(|| Metrics::parse(FONT_BYTES)).as_ref()
}

/// The subset of the chart font that draws `chars`, base64-encoded for a
/// `data:` URL; `None` if it cannot be made.
pub(crate) fn embedded_subset(chars: &BTreeSet<char>) -> Option<String> {
    let font = subset(FONT_BYTES, chars)?;
    Some(base64::engine::general_purpose::STANDARD.encode(font))
}

/// Tables dropped from the subset.
const DROPPED: [&[u8; 4]; 9] = [
    b"DSIG", b"FFTM", b"GDEF", b"GPOS", b"GSUB", b"LTSH", b"MATH", b"VDMX", b"hdmx",
];

fn u16_at(data: &[u8], pos: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(pos..pos + 2)?.try_into().ok()?))
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

/// The `loca` table of `face`: where each glyph lies in `glyf`.
fn loca<'a>(face: &Face<'a>) -> Option<loca::Table<'a>> {
    let data = face.raw_face().table(Tag::from_bytes(b"loca"))?;
    let tables = face.tables();
    let format = tables.head.index_to_location_format;
    loca::Table::parse(tables.maxp.number_of_glyphs, format, data)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A copy of `font` that draws only `chars` (and `.notdef`); `None` if the
/// font is not a TrueType font with `glyf` outlines.
pub(crate) fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = Face::parse(font, 0).ok()?;
    let raw = face.raw_face();
    let table = |tag: &[u8; 4]| raw.table(Tag::from_bytes(tag));
    let glyf = table(b"glyf")?;
    let loca = loca(&face)?;
    let glyph_count = usize::from(face.number_of_glyphs());
    // ttf-parser gives no range for an empty glyph.
    let glyph = |g: usize| -> Option<&[u8]> {
        match loca.glyph_range(GlyphId(g as u16)) {
            Some(range) => glyf.get(range),
            None => Some(&[]),
        }
    };

    // Glyphs to keep: .notdef, those of the characters, their components.
    let mut keep = vec![false; glyph_count];
    let mut stack: Vec<u16> = std::iter::once(0)
        .chain(
            chars
                .iter()
                .filter_map(|&c| face.glyph_index(c).map(|g| g.0)),
        )
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

    let mut new_head = table(b"head")?.to_vec();
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    let mut post = table(b"post")?.get(..32)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut out_tables: Vec<([u8; 4], Vec<u8>)> = Vec::new();
    for record in raw.table_records {
        let tag = record.tag.to_bytes();
        if DROPPED.contains(&&tag) {
            continue;
        }
        let data = match &tag {
            b"glyf" => std::mem::take(&mut new_glyf),
            b"loca" => std::mem::take(&mut new_loca),
            b"head" => std::mem::take(&mut new_head),
            b"post" => std::mem::take(&mut post),
            _ => {
                let start = record.offset as usize;
                font.get(start..start.checked_add(record.length as usize)?)?
                    .to_vec()
            }
        };
        out_tables.push((tag, data));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Byte range of glyph `c` in a font's `glyf` table (empty if none).
    fn glyph_range(face: &Face<'_>, g: GlyphId) -> std::ops::Range<usize> {
        loca(face).unwrap().glyph_range(g).unwrap_or(0..0)
    }

    #[test]
    fn font_registers() {
        ensure_font().unwrap();
        ensure_font().unwrap();
    }

    #[test]
    fn subset_is_small_and_well_formed() {
        let chars: BTreeSet<char> = "Citizens 0123456789 – ·".chars().collect();
        let small = subset(FONT_BYTES, &chars).unwrap();
        assert!(small.len() < 150_000, "subset is {} bytes", small.len());
        // The whole-font checksum is the magic number.
        assert_eq!(checksum(&small), 0xB1B0_AFBA);
        let face = Face::parse(&small, 0).unwrap();
        let raw = face.raw_face();
        assert!(raw.table(Tag::from_bytes(b"GSUB")).is_none());
        let post = raw.table(Tag::from_bytes(b"post")).unwrap();
        assert_eq!(post[..4], 0x0003_0000u32.to_be_bytes());
        // Kept glyphs are byte-identical; others are empty.
        let full = Face::parse(FONT_BYTES, 0).unwrap();
        let (c, q) = (
            face.glyph_index('C').unwrap(),
            face.glyph_index('Q').unwrap(),
        );
        let glyf = |f: &Face<'_>, g| {
            let data = f.raw_face().table(Tag::from_bytes(b"glyf")).unwrap();
            data[glyph_range(f, g)].to_vec()
        };
        assert!(!glyf(&face, c).is_empty());
        assert_eq!(glyf(&face, c), glyf(&full, c));
        assert!(glyf(&face, q).is_empty());
        assert!(!glyf(&face, GlyphId(0)).is_empty());
        // Directory is sorted, tables aligned.
        let records: Vec<_> = raw.table_records.into_iter().collect();
        assert!(records.windows(2).all(|w| w[0].tag < w[1].tag));
        assert!(records.iter().all(|r| r.offset % 4 == 0));
    }

    #[test]
    fn subset_keeps_components_of_composite_glyphs() {
        // In DejaVu Sans "é" is "e" plus "acute"; "acute" is not asked for.
        let chars: BTreeSet<char> = ['é'].into_iter().collect();
        let small = subset(FONT_BYTES, &chars).unwrap();
        let face = Face::parse(&small, 0).unwrap();
        let glyf = face.raw_face().table(Tag::from_bytes(b"glyf")).unwrap();
        let range = |c: char| glyph_range(&face, face.glyph_index(c).unwrap());
        let parts = components(&glyf[range('é')]);
        assert_eq!(parts.len(), 2);
        assert!(parts.contains(&face.glyph_index('e').unwrap().0));
        assert!(
            parts
                .iter()
                .all(|&g| !glyph_range(&face, GlyphId(g)).is_empty())
        );
        assert!(range('n').is_empty());
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
        assert_eq!(m.glyph('\u{10FFFF}'), GlyphId(0));
        let (glyphs, width) = m.layout("AV");
        assert_eq!(glyphs.len(), 2);
        assert!(glyphs[1].1 < m.h_metrics(m.glyph('A')).0);
        assert!(width > 0.0);
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(subset(b"not a font", &BTreeSet::new()).is_none());
    }
}
