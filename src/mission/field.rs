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
        if self.values.iter().all(|&v| v == 0.0) {
            out.values.fill(0.0);
            return;
        }
        let tw = w + 1;
        // table[(y+1)(w+1) + x+1] = sum over rows ≤ y, columns ≤ x.
        table.clear();
        table.resize(tw * (h + 1), 0.0);
        // Row prefix sums first, four rows at a time: each row's running sum
        // is a serial chain of additions, so interleaving four of them keeps
        // the adder busy; each addition is the one the plain loop makes.
        let mut y = 0;
        while y + 4 <= h {
            let (mut r0, mut r1, mut r2, mut r3) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
            let v = &self.values[y * w..(y + 4) * w];
            let t = &mut table[(y + 1) * tw..(y + 5) * tw];
            for x in 0..w {
                r0 += f64::from(v[x]);
                r1 += f64::from(v[w + x]);
                r2 += f64::from(v[2 * w + x]);
                r3 += f64::from(v[3 * w + x]);
                t[x + 1] = r0;
                t[tw + x + 1] = r1;
                t[2 * tw + x + 1] = r2;
                t[3 * tw + x + 1] = r3;
            }
            y += 4;
        }
        for y in y..h {
            let mut row = 0.0f64;
            let v = &self.values[y * w..(y + 1) * w];
            let t = &mut table[(y + 1) * tw + 1..(y + 2) * tw];
            for (t, &v) in t.iter_mut().zip(v) {
                row += f64::from(v);
                *t = row;
            }
        }
        // Then the rows above: table[y+1][x] = table[y][x] + row prefix
        // (addition commutes exactly).
        for y in 0..h {
            let (above, below) = table.split_at_mut((y + 1) * tw);
            let above = &above[y * tw..];
            for (t, &a) in below[..tw].iter_mut().zip(above) {
                *t += a;
            }
        }
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
                // Scratch left dirty by an earlier call must not matter.
                let mut table = vec![f64::NAN; 17];
                for r in [0, 1, 4, 7, 60] {
                    layer.box_sum(r, &mut table, &mut out);
                    let plain = box_sum_plain(&layer, r);
                    let same = out
                        .values()
                        .iter()
                        .zip(&plain)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "{w}x{h}, density {density} %, r={r}");
                }
            }
        }
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
