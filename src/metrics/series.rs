//! One replicate's metrics over time: a flat, preallocated table.

use super::Names;

/// Metrics for ticks 0..=horizon of one replicate, row-major (one row per
/// tick, one column per metric name).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    names: Names,
    data: Vec<f64>,
}

impl Series {
    /// An empty series with room for ticks 0..=`ticks`.
    pub fn new(names: Names, ticks: u32) -> Self {
        let capacity = (ticks as usize + 1) * names.len();
        Self {
            names,
            data: Vec::with_capacity(capacity),
        }
    }

    /// Metric names, in column order.
    pub fn names(&self) -> &Names {
        &self.names
    }

    /// Appends the next tick's row. `row` must have one value per name.
    pub fn push_row(&mut self, row: &[f64]) {
        assert_eq!(
            row.len(),
            self.names.len(),
            "row width must match metric names"
        );
        self.data.extend_from_slice(row);
    }

    /// Number of rows recorded (ticks 0..len).
    pub fn len(&self) -> usize {
        self.data.len() / self.names.len().max(1)
    }

    /// Whether no row was recorded.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The row of tick `t`.
    pub fn row(&self, t: usize) -> &[f64] {
        let w = self.names.len();
        &self.data[t * w..(t + 1) * w]
    }

    /// The values of metric `name` over time, if it exists.
    pub fn column(&self, name: &str) -> Option<impl Iterator<Item = f64> + '_> {
        let m = self.names.iter().position(|n| *n == name)?;
        Some(self.data.iter().skip(m).step_by(self.names.len()).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_columns_index_the_same_values() {
        let mut s = Series::new(super::super::names_of(&["a", "b"]), 2);
        s.push_row(&[1.0, 10.0]);
        s.push_row(&[2.0, 20.0]);
        s.push_row(&[3.0, 30.0]);
        assert_eq!(s.len(), 3);
        assert_eq!(s.row(1), &[2.0, 20.0]);
        assert_eq!(
            s.column("b").unwrap().collect::<Vec<_>>(),
            vec![10.0, 20.0, 30.0]
        );
        assert!(s.column("c").is_none());
    }
}
