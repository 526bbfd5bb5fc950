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
    pub fn box_sum(&self, r: usize, table: &mut Vec<f64>, out: &mut Layer) {
        let (w, h) = (self.width, self.height);
        // table[(y+1)(w+1) + x+1] = sum over rows ≤ y, columns ≤ x.
        table.clear();
        table.resize((w + 1) * (h + 1), 0.0);
        for y in 0..h {
            let mut row = 0.0f64;
            for x in 0..w {
                row += f64::from(self.values[y * w + x]);
                table[(y + 1) * (w + 1) + x + 1] = table[y * (w + 1) + x + 1] + row;
            }
        }
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let s =
                    table[y1 * (w + 1) + x1] - table[y0 * (w + 1) + x1] - table[y1 * (w + 1) + x0]
                        + table[y0 * (w + 1) + x0];
                // Clamped: rounding may leave a tiny negative on an all-zero box.
                out.values[y * w + x] = s.max(0.0) as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_sum_matches_brute_force() {
        let (w, h) = (7, 5);
        let mut layer = Layer::new(w, h);
        for i in 0..w * h {
            layer.add(i, (i % 4) as f32);
        }
        let mut out = Layer::new(w, h);
        let mut table = Vec::new();
        for r in [0, 1, 2, 9] {
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
