//! Per-cell layers (one `f32` per interior cell, row-major) and box sums
//! over them with a summed-area table: what a civilian witnesses within a
//! radius costs O(1) per cell, whatever the radius.

/// A layer of values over the interior cells.
#[derive(Debug, Clone)]
pub struct Layer {
    width: usize,
    height: usize,
    values: Vec<f32>,
}

impl Layer {
    /// A layer of zeros.
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            values: vec![0.0; width * height],
        }
    }

    /// Sets every value to zero.
    pub fn clear(&mut self) {
        self.values.fill(0.0);
    }

    /// Adds `v` at row-major position `i`.
    #[inline]
    pub fn add(&mut self, i: usize, v: f32) {
        self.values[i] += v;
    }

    /// The value at row-major position `i`.
    #[inline]
    pub fn get(&self, i: usize) -> f32 {
        self.values[i]
    }

    /// All values, row-major.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// Mutable values, row-major.
    pub fn values_mut(&mut self) -> &mut [f32] {
        &mut self.values
    }

    /// The nonzero cells (row-major position and value), in row-major
    /// order. Scanned a block at a time, so the blocks of zeros that make
    /// up most of a day's event layers cost one branch-free test each.
    pub fn nonzero(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        const BLOCK: usize = 64;
        self.values
            .chunks(BLOCK)
            .enumerate()
            .filter(|(_, block)| block.iter().fold(0, |a, &v| a | magnitude(v)) != 0)
            .flat_map(|(b, block)| {
                block
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v != 0.0)
                    .map(move |(i, &v)| (b * BLOCK + i, v))
            })
    }

    /// Whether every sum of these values, of any of them in any order and
    /// with any signs, is exact in a float of `digits` significand bits
    /// (53 for `f64`, 24 for `f32`), so that any way of adding them up
    /// gives the same bits.
    ///
    /// It is when every value is a multiple of 2^lo and their absolute sum
    /// stays below 2^(digits + lo): each partial sum is then a multiple of
    /// 2^lo that the float holds exactly. Counts (harm, protection,
    /// policing contacts: the event layers) pass; tiny or non-finite
    /// values do not.
    pub fn sums_are_exact(&self, digits: u32) -> bool {
        let (mut count, mut lo, mut hi) = (0usize, i32::MAX, i32::MIN);
        for (_, v) in self.nonzero() {
            let Some((l, u)) = bit_range(v) else {
                return false;
            };
            count += 1;
            (lo, hi) = (lo.min(l), hi.max(u));
        }
        // The absolute sum is below count · 2^hi ≤ 2^(bits(count) + hi).
        let count_bits = (usize::BITS - count.leading_zeros()) as i32;
        count == 0 || count_bits + hi <= digits as i32 + lo
    }

    /// The box sum by adding each nonzero cell into the boxes around it:
    /// the table's bits when [`Self::sums_are_exact`] holds for `f64` (the
    /// table's entries and their differences are then exact too, so both
    /// give the exact box sum, +0.0 where it is zero (neither makes −0.0),
    /// clamped at zero).
    fn scatter_box_sum(&self, r: usize, acc: &mut Vec<f64>, out: &mut Layer) {
        let (w, h) = (self.width, self.height);
        let cells: Vec<(usize, f32)> = self.nonzero().collect();
        // Per row, the columns some box reached (`first > last`: none).
        let mut reach = vec![(usize::MAX, 0usize); h];
        for &(i, _) in &cells {
            let (x, y) = (i % w, i / w);
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            for row in &mut reach[y.saturating_sub(r)..(y + r + 1).min(h)] {
                *row = (row.0.min(x0), row.1.max(x1));
            }
        }
        // Only the reached spans are added into and read back, so only they
        // are cleared (the rest of `acc` may hold anything).
        acc.resize(w * h, 0.0);
        for (y, &(x0, x1)) in reach.iter().enumerate() {
            if x0 < x1 {
                acc[y * w + x0..y * w + x1].fill(0.0);
            }
        }
        for (i, v) in cells {
            let (x, y) = (i % w, i / w);
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let v = f64::from(v);
            for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
                for a in &mut acc[yy * w + x0..yy * w + x1] {
                    *a += v;
                }
            }
        }
        out.values.fill(0.0);
        for (y, &(x0, x1)) in reach.iter().enumerate() {
            if x0 >= x1 {
                continue;
            }
            let span = y * w + x0..y * w + x1;
            for (o, &a) in out.values[span.clone()].iter_mut().zip(&acc[span]) {
                *o = if a > 0.0 { a as f32 } else { 0.0 };
            }
        }
    }

    /// Builds this layer's summed-area table in `table` (resized as needed):
    /// `table[(y+1)(w+1) + x+1]` is the sum over rows ≤ y and columns ≤ x,
    /// the first row and column zero. [`Self::box_sum`] reads its boxes
    /// from it; [`table_box_read`] reads one box.
    ///
    /// Each entry is the plain loop's `above + row prefix`, the row
    /// prefixes summed left to right.
    pub fn summed_area(&self, table: &mut Vec<f64>) {
        let (w, h) = (self.width, self.height);
        let tw = w + 1;
        // Only the first row and column need clearing: the loops below
        // write every other entry before reading it.
        if table.len() == tw * (h + 1) {
            table[..tw].fill(0.0);
            table.iter_mut().step_by(tw).for_each(|t| *t = 0.0);
        } else {
            table.clear();
            table.resize(tw * (h + 1), 0.0);
        }
        // Four rows at a time: each row's running sum is a serial chain of
        // additions, so interleaving four of them keeps the adder busy.
        // Each entry is the plain loop's `above + row prefix`, the entry
        // above written just before (or in the row before the four).
        let mut y = 0;
        while y + 4 <= h {
            let (done, rows) = table.split_at_mut((y + 1) * tw);
            let above = &done[y * tw + 1..][..w];
            let (t0, rows) = rows.split_at_mut(tw);
            let (t1, rows) = rows.split_at_mut(tw);
            let (t2, t3) = rows.split_at_mut(tw);
            let (t0, t1, t2, t3) = (
                &mut t0[1..][..w],
                &mut t1[1..][..w],
                &mut t2[1..][..w],
                &mut t3[1..][..w],
            );
            let v = |k: usize| &self.values[(y + k) * w..][..w];
            let (v0, v1, v2, v3) = (v(0), v(1), v(2), v(3));
            let (mut r0, mut r1, mut r2, mut r3) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            for x in 0..w {
                r0 += f64::from(v0[x]);
                r1 += f64::from(v1[x]);
                r2 += f64::from(v2[x]);
                r3 += f64::from(v3[x]);
                t0[x] = above[x] + r0;
                t1[x] = t0[x] + r1;
                t2[x] = t1[x] + r2;
                t3[x] = t2[x] + r3;
            }
            y += 4;
        }
        for y in y..h {
            let (done, rows) = table.split_at_mut((y + 1) * tw);
            let above = &done[y * tw + 1..][..w];
            let t = &mut rows[1..][..w];
            let v = &self.values[y * w..][..w];
            let mut row = 0.0f64;
            for x in 0..w {
                row += f64::from(v[x]);
                t[x] = above[x] + row;
            }
        }
    }

    /// Where the sum of this layer over the square of radius `r` around
    /// cell (`x`, `y`) (cut at the edges) lies in the table
    /// [`Self::summed_area`] builds: the entries (bottom right, top right,
    /// bottom left, top left) of the four-term difference
    /// [`Self::box_sum`] takes there. [`table_box_read`] reads the box, so
    /// the same box can be read in several tables (one per attitude)
    /// without working it out each time.
    #[inline]
    pub fn table_box(&self, r: usize, (x, y): (usize, usize)) -> [usize; 4] {
        let (w, h) = (self.width, self.height);
        let tw = w + 1;
        let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        let at = |row: usize, col: usize| row * tw + col;
        [at(y1, x1), at(y0, x1), at(y1, x0), at(y0, x0)]
    }

    /// Writes into `out` the sum of this layer over the square of radius
    /// `r` around every cell (cut at the edges), using `table` as scratch.
    ///
    /// Every cell's sum is the same four-term difference of the summed-area
    /// table, in the same order, as a plain cell-by-cell loop would take
    /// (outputs are compared byte for byte); the loops are only arranged so
    /// that the compiler can vectorise them.
    pub fn box_sum(&self, r: usize, table: &mut Vec<f64>, out: &mut Layer) {
        let (w, h) = (self.width, self.height);
        // Most of a day's event layers are empty: their box sums are all
        // +0.0 (what the table's differences give), without building it.
        // Scatter costs a box per nonzero cell; the table about four
        // passes over the grid. The nonzero cells are counted a block at a
        // time (a sum of 0s and 1s, which vectorises), and only until there
        // are too many to scatter.
        let side = 2 * r + 1;
        let scatter_limit = (4 * w * h) / side.saturating_mul(side).max(1);
        let mut nonzero = 0usize;
        for block in self.values.chunks(256) {
            let n: u32 = block.iter().map(|&v| u32::from(magnitude(v) != 0)).sum();
            nonzero += n as usize;
            if nonzero > scatter_limit {
                break;
            }
        }
        if nonzero == 0 {
            out.values.fill(0.0);
            return;
        }
        if nonzero <= scatter_limit && self.sums_are_exact(f64::MANTISSA_DIGITS) {
            self.scatter_box_sum(r, table, out);
            return;
        }
        self.summed_area(table);
        let tw = w + 1;
        let table = &table[..];
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            let top = &table[y0 * tw..(y0 + 1) * tw];
            let bottom = &table[y1 * tw..(y1 + 1) * tw];
            let row = &mut out.values[y * w..(y + 1) * w];
            // s = t[y1][x1] - t[y0][x1] - t[y1][x0] + t[y0][x0], left to right;
            // clamped: rounding may leave a tiny negative on an all-zero box.
            let cell = |x: usize| {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let s = bottom[x1] - top[x1] - bottom[x0] + top[x0];
                s.max(0.0) as f32
            };
            if w > 2 * r {
                // Columns whose box is not cut by the left or right edge.
                let n = w - 2 * r;
                let inner = row[r..r + n]
                    .iter_mut()
                    .zip(&bottom[2 * r + 1..2 * r + 1 + n])
                    .zip(&top[2 * r + 1..2 * r + 1 + n])
                    .zip(&bottom[..n])
                    .zip(&top[..n]);
                for ((((o, &b1), &t1), &b0), &t0) in inner {
                    let s = b1 - t1 - b0 + t0;
                    *o = s.max(0.0) as f32;
                }
                for x in (0..r).chain(r + n..w) {
                    row[x] = cell(x);
                }
            } else {
                for (x, o) in row.iter_mut().enumerate() {
                    *o = cell(x);
                }
            }
        }
    }
}

/// The box sum at the entries `b` ([`Layer::table_box`]) of a table
/// [`Layer::summed_area`] built: the bits [`Layer::box_sum`] writes there,
/// the same four-term difference in the same order, clamped the same way.
#[inline]
pub fn table_box_read(table: &[f64], b: [usize; 4]) -> f32 {
    let e = |k: usize| table[b[k]];
    let s = e(0) - e(1) - e(2) + e(3);
    s.max(0.0) as f32
}

/// The bits of `v` without its sign: zero exactly for ±0.0 (a test that
/// vectorises, unlike `v != 0.0`'s early exit in `any`).
#[inline]
fn magnitude(v: f32) -> u32 {
    v.to_bits() & 0x7fff_ffff
}

/// For a finite nonzero `v`: the exponents of its lowest set bit and of
/// the power of two just above |v| (v is a multiple of 2^lo and
/// |v| < 2^hi); `None` for infinities and NaN.
fn bit_range(v: f32) -> Option<(i32, i32)> {
    let bits = v.to_bits() & 0x7fff_ffff;
    let (biased, fraction) = ((bits >> 23) as i32, bits & 0x7f_ffff);
    if biased == 0xff {
        return None;
    }
    // value = significand · 2^scale (subnormals have no implicit bit).
    let (significand, scale) = if biased == 0 {
        (fraction, -149)
    } else {
        (fraction | 1 << 23, biased - 150)
    };
    let lo = scale + significand.trailing_zeros() as i32;
    let hi = scale + (u32::BITS - significand.leading_zeros()) as i32;
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain cell-by-cell box sum that `box_sum` replaced: its results
    /// must stay the same to the bit (the model's outputs are compared
    /// byte for byte across versions).
    fn box_sum_plain(layer: &Layer, r: usize) -> Vec<f32> {
        let (w, h) = (layer.width, layer.height);
        let mut table = vec![0.0f64; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0.0f64;
            for x in 0..w {
                row += f64::from(layer.values[y * w + x]);
                table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row;
            }
        }
        let mut out = vec![0.0f32; w * h];
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let s =
                    table[y1 * (w + 1) + x1] - table[y0 * (w + 1) + x1] - table[y1 * (w + 1) + x0]
                        + table[y0 * (w + 1) + x0];
                out[y * w + x] = s.max(0.0) as f32;
            }
        }
        out
    }

    /// Whether `box_sum` gives the plain loop's bits for `layer` at `r`.
    fn same_as_plain(layer: &Layer, r: usize, table: &mut Vec<f64>, out: &mut Layer) -> bool {
        layer.box_sum(r, table, out);
        let plain = box_sum_plain(layer, r);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        bits(out.values()) == bits(&plain)
    }

    #[test]
    fn box_sum_is_bit_identical_to_the_plain_loop() {
        // Non-integer values whose sums round, sparse layers (mostly zero,
        // like a day's harm), and an all-zero layer (the shortcut).
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (w, h) in [(160, 56), (13, 7), (5, 11), (2, 2)] {
            for density in [0, 3, 50, 100] {
                let mut layer = Layer::new(w, h);
                for i in 0..w * h {
                    if next() % 100 < density {
                        layer.add(i, (next() % 1_000_000) as f32 / 7.3 + 1e-3);
                    }
                }
                let mut out = Layer::new(w, h);
                // Scratch left dirty by an earlier call must not matter,
                // nor NaN in a table of the right size (only its first row
                // and column are cleared).
                let mut table = vec![f64::NAN; 17];
                for r in [0, 1, 4, 7, 60] {
                    if r == 4 {
                        table = vec![f64::NAN; (w + 1) * (h + 1)];
                    }
                    let same = same_as_plain(&layer, r, &mut table, &mut out);
                    assert!(same, "{w}x{h}, density {density} %, r={r}");
                }
            }
        }
    }

    #[test]
    fn box_sum_keeps_the_plain_loops_rounding() {
        // Values up to 1 in the upper rows, below 2^-20 in the lower ones:
        // the table's f64 sums round, and a box of tiny values far from
        // its origin is a difference of large entries, so another order
        // of additions shows in the f32 results (checked: the same loop
        // down the columns first gives other bits at some radius).
        for (w, h) in [(56, 160), (13, 21)] {
            let mut layer = Layer::new(w, h);
            for i in 0..w * h {
                let y = i / w;
                let scale = if y < h / 2 {
                    1.0
                } else {
                    2f32.powi(-20 - (i % 20) as i32)
                };
                layer.add(i, (i as f32 * 0.618_034).fract() * scale);
            }
            let mut transposed = Layer::new(h, w);
            for (i, &v) in layer.values().iter().enumerate() {
                transposed.values_mut()[(i % w) * h + i / w] = v;
            }
            let mut out = Layer::new(w, h);
            let mut table = Vec::new();
            let mut shows = false;
            for r in [1, 4, 9] {
                assert!(
                    same_as_plain(&layer, r, &mut table, &mut out),
                    "{w}x{h} r={r}"
                );
                let columns_first = box_sum_plain(&transposed, r);
                shows |= (0..w * h).any(|i| {
                    let t = columns_first[(i % w) * h + i / w];
                    t.to_bits() != out.get(i).to_bits()
                });
            }
            assert!(shows, "{w}x{h}: the order does not show");
        }
    }

    #[test]
    fn a_box_read_from_the_table_has_the_box_sums_bits() {
        // Every cell of layers whose sums round even in f64 (magnitudes
        // from 2^-40 to 2^20), sparse ones (where `box_sum` may scatter)
        // and an empty one, with a table left dirty by another layer's or
        // of another size.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut table = vec![f64::NAN; 3];
        for (w, h) in [(56, 160), (13, 7), (5, 11), (1, 6), (2, 2)] {
            for density in [0, 2, 60, 100] {
                let mut layer = Layer::new(w, h);
                for i in 0..w * h {
                    if next() % 100 < density {
                        let scale = 2f32.powi((next() % 61) as i32 - 40);
                        layer.add(i, (next() % 1_000_000) as f32 / 1.3e6 * scale);
                    }
                }
                let mut out = Layer::new(w, h);
                for r in [0, 1, 4, 9, 60] {
                    layer.box_sum(r, &mut table, &mut out);
                    table.iter_mut().for_each(|t| *t = f64::NAN);
                    layer.summed_area(&mut table);
                    for y in 0..h {
                        for x in 0..w {
                            let read = table_box_read(&table, layer.table_box(r, (x, y)));
                            let full = out.get(y * w + x);
                            assert_eq!(read.to_bits(), full.to_bits(), "{w}x{h} r={r} ({x},{y})");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sparse_layers_give_the_tables_bits() {
        // Few nonzero cells (the scatter's case): counts, halves, negative
        // values and −0.0 (exact sums), a huge value beside a small one
        // and tiny values (inexact: the table's own path), NaN.
        let cases: [&[f32]; 6] = [
            &[1.0, 5.0, 2.0, 7.0],
            &[0.5, -3.0, 2.25, -0.0, 4.0],
            &[-1.0, -2.0],
            &[1.0e9, 1.0e-3, 0.1],
            &[1.0e-30, 3.0, f32::MIN_POSITIVE],
            &[f32::NAN, 1.0],
        ];
        for (w, h) in [(160, 56), (13, 7), (1, 9)] {
            for (c, values) in cases.iter().enumerate() {
                let mut layer = Layer::new(w, h);
                for (k, &v) in values.iter().enumerate() {
                    // Some cells twice, some at an edge; −0.0 set as is.
                    layer.values_mut()[(k * 37 + c) % (w * h)] = v;
                    layer.add((k * 11) % (w * h), v);
                }
                let mut out = Layer::new(w, h);
                let mut table = vec![f64::NAN; 5];
                for r in [0, 1, 4, 60] {
                    let same = same_as_plain(&layer, r, &mut table, &mut out);
                    assert!(same, "{w}x{h}, case {c}, r={r}");
                }
            }
        }
    }

    #[test]
    fn the_scatter_ignores_what_its_scratch_held() {
        // The scatter clears only the spans its boxes reach: scratch full
        // of NaN, of the layer's size, shorter or longer, or left by a
        // layer whose boxes reached elsewhere, gives the plain loop's bits.
        for (w, h) in [(160, 56), (56, 160), (13, 7)] {
            let n = w * h;
            let mut layer = Layer::new(w, h);
            for (k, v) in [3.0, 1.0, 0.5, 7.0, 2.0].into_iter().enumerate() {
                layer.add((k * 997 + 13) % n, v);
            }
            let mut other = Layer::new(w, h);
            other.add(n / 2, 5.0);
            other.add(n - 1, 1.0);
            assert!(layer.sums_are_exact(f64::MANTISSA_DIGITS));
            let mut out = Layer::new(w, h);
            for r in [0, 1, 4, 9] {
                for len in [0, 7, n, n + 100] {
                    let mut table = vec![f64::NAN; len];
                    let same = same_as_plain(&layer, r, &mut table, &mut out);
                    assert!(same, "{w}x{h} r={r}, scratch of {len} NaN");
                }
                let mut table = Vec::new();
                other.scatter_box_sum(r + 3, &mut table, &mut out);
                let mut before = table.clone();
                layer.scatter_box_sum(r, &mut table, &mut out);
                let plain = box_sum_plain(&layer, r);
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert!(bits(out.values()) == bits(&plain), "{w}x{h} r={r}, dirty");
                // The direct call above is the scatter (not the table).
                before.fill(0.0);
                assert_ne!(table, before, "{w}x{h} r={r}: nothing scattered");
            }
        }
    }

    #[test]
    fn the_scatter_takes_exact_layers_and_only_those() {
        let mut out = Layer::new(20, 20);
        let mut table = Vec::new();
        let mut layer = Layer::new(20, 20);
        layer.add(5, 3.0);
        layer.add(210, 0.25);
        assert!(layer.sums_are_exact(f32::MANTISSA_DIGITS));
        layer.scatter_box_sum(2, &mut table, &mut out);
        assert_eq!(out.get(5), 3.0);
        assert_eq!(out.get(2 * 20 + 7), 3.0);
        assert_eq!(out.get(4 * 20 + 8), 0.0);
        // 2^-10 beside 2^20 fits an f64's sums, not an f32's.
        layer.add(7, 2f32.powi(20));
        layer.add(9, 2f32.powi(-10));
        assert!(layer.sums_are_exact(f64::MANTISSA_DIGITS));
        assert!(!layer.sums_are_exact(f32::MANTISSA_DIGITS));
        // 2^-30 beside 2^20: their sums need 51 bits, and five values more.
        layer.add(11, 2f32.powi(-30));
        assert!(!layer.sums_are_exact(f64::MANTISSA_DIGITS));
        layer.add(12, f32::NAN);
        assert!(!layer.sums_are_exact(f64::MANTISSA_DIGITS));
        assert!(Layer::new(3, 3).sums_are_exact(1));
        assert_eq!(bit_range(1.0), Some((0, 1)));
        assert_eq!(bit_range(-6.0), Some((1, 3)));
        assert_eq!(bit_range(f32::from_bits(1)), Some((-149, -148)));
        assert_eq!(bit_range(f32::INFINITY), None);
    }

    #[test]
    fn box_sum_matches_brute_force() {
        // Heights below, at and above the four-row blocks; widths narrower
        // and wider than the box.
        for (w, h) in [(7, 5), (3, 9), (12, 4), (1, 1), (9, 3)] {
            check_against_brute_force(w, h);
        }
    }

    fn check_against_brute_force(w: usize, h: usize) {
        let mut layer = Layer::new(w, h);
        for i in 0..w * h {
            layer.add(i, (i % 4) as f32);
        }
        let mut out = Layer::new(w, h);
        let mut table = Vec::new();
        for r in [0, 1, 2, 4, 9] {
            layer.box_sum(r, &mut table, &mut out);
            for y in 0..h {
                for x in 0..w {
                    let mut s = 0.0;
                    for yy in 0..h {
                        for xx in 0..w {
                            if xx.abs_diff(x) <= r && yy.abs_diff(y) <= r {
                                s += layer.get(yy * w + xx);
                            }
                        }
                    }
                    assert_eq!(out.get(y * w + x), s, "r={r} at ({x},{y})");
                }
            }
        }
    }
}
