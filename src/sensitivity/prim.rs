//! PRIM scenario discovery (Friedman & Fisher 1999, "Bump hunting in
//! high-dimensional data"; Bryant & Lempert 2010, "Thinking inside the
//! box"): find a box in parameter space, limits on a few parameters, where
//! cases of interest (here: design points where a mandate does *not* beat
//! the baseline) are concentrated.
//!
//! Peeling only: starting from the whole design, each step removes the
//! share `alpha` of the box's points at the low or high end of one
//! parameter, whichever peel leaves the highest density of cases; ties in
//! the data (integer parameters) are peeled together. Every box of this
//! peeling trajectory is kept with its coverage (the share of all cases
//! inside the box) and density (the share of the box's points that are
//! cases). The chosen box is the one with the largest coverage among those
//! with density ≥ a stated threshold, or the densest one when none reaches
//! it (and then says so). Pasting (re-expanding) is left out: with the
//! small designs a simulation affords it changes the limits by less than
//! one point's spacing. Pure and deterministic.

/// How PRIM peels and which box it chooses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimOptions {
    /// Share of the box's points removed by one peel (at least one point).
    pub alpha: f64,
    /// Smallest share of all points a box may hold (at least two points).
    pub min_support: f64,
    /// Density a box must reach to be chosen by coverage.
    pub threshold: f64,
}

impl Default for PrimOptions {
    /// Friedman and Fisher's usual peel (5 %), boxes of at least 5 % of the
    /// points, and Bryant and Lempert's rule of thumb for a box worth
    /// reporting (density 0.8).
    fn default() -> Self {
        Self {
            alpha: 0.05,
            min_support: 0.05,
            threshold: 0.8,
        }
    }
}

/// A box: inclusive limits per parameter, and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimBox {
    /// Lower limit per parameter (a point is inside when its value ≥ it).
    pub lower: Vec<f64>,
    /// Upper limit per parameter (inside when ≤ it).
    pub upper: Vec<f64>,
    /// Points inside.
    pub points: usize,
    /// Cases inside.
    pub cases: usize,
    /// Cases inside / all cases.
    pub coverage: f64,
    /// Cases inside / points inside.
    pub density: f64,
}

impl PrimBox {
    /// Parameters whose limits the box restricts, against the original
    /// `bounds`.
    pub fn restricted(&self, bounds: &[(f64, f64)]) -> Vec<usize> {
        (0..bounds.len())
            .filter(|&j| self.lower[j] > bounds[j].0 || self.upper[j] < bounds[j].1)
            .collect()
    }
}

/// The peeling trajectory and the chosen box.
#[derive(Debug, Clone, PartialEq)]
pub struct Prim {
    /// Every box, from the whole design (step 0) to the last peel.
    pub trajectory: Vec<PrimBox>,
    /// Index of the chosen box in the trajectory; `None` when there are no
    /// cases at all.
    pub chosen: Option<usize>,
    /// Whether the chosen box reaches the density threshold.
    pub meets_threshold: bool,
    /// All cases in the design.
    pub cases: usize,
}

impl Prim {
    /// The chosen box, if any.
    pub fn chosen_box(&self) -> Option<&PrimBox> {
        self.chosen.map(|i| &self.trajectory[i])
    }
}

/// Runs PRIM on points `x` (one row per point, one value per parameter)
/// with cases `y`, inside the parameters' `bounds` (the design's ranges;
/// step 0 is the box they make).
///
/// # Panics
/// If `x`, `y` and `bounds` disagree in length.
pub fn prim(x: &[Vec<f64>], y: &[bool], bounds: &[(f64, f64)], opts: &PrimOptions) -> Prim {
    assert_eq!(x.len(), y.len(), "one case flag per point");
    assert!(
        x.iter().all(|p| p.len() == bounds.len()),
        "one value per parameter"
    );
    let n = x.len();
    let total = y.iter().filter(|&&c| c).count();
    let min_points = ((opts.min_support * n as f64).ceil() as usize).max(2);
    let make = |inside: &[usize], lower: Vec<f64>, upper: Vec<f64>| {
        let cases = inside.iter().filter(|&&i| y[i]).count();
        PrimBox {
            lower,
            upper,
            points: inside.len(),
            cases,
            coverage: if total == 0 {
                0.0
            } else {
                cases as f64 / total as f64
            },
            density: if inside.is_empty() {
                0.0
            } else {
                cases as f64 / inside.len() as f64
            },
        }
    };
    let mut inside: Vec<usize> = (0..n).collect();
    let mut lower: Vec<f64> = bounds.iter().map(|b| b.0).collect();
    let mut upper: Vec<f64> = bounds.iter().map(|b| b.1).collect();
    let mut trajectory = vec![make(&inside, lower.clone(), upper.clone())];
    while total > 0
        && inside.len() > min_points
        && trajectory.last().is_some_and(|b| b.density < 1.0)
    {
        let peel = ((opts.alpha * inside.len() as f64).floor() as usize).max(1);
        // (density, kept, parameter, upper side?, cut)
        let mut best: Option<(f64, usize, usize, bool, f64)> = None;
        // j is a column of every row of x, not an index into one slice.
        #[allow(clippy::needless_range_loop)]
        for j in 0..bounds.len() {
            let mut values: Vec<f64> = inside.iter().map(|&i| x[i][j]).collect();
            values.sort_by(f64::total_cmp);
            let m = values.len();
            for high in [false, true] {
                let cut = if high {
                    let c = values[m - 1 - peel.min(m - 1)];
                    if c < values[m - 1] {
                        Some(c)
                    } else {
                        values.iter().rev().find(|&&v| v < values[m - 1]).copied()
                    }
                } else {
                    let c = values[peel.min(m - 1)];
                    if c > values[0] {
                        Some(c)
                    } else {
                        values.iter().find(|&&v| v > values[0]).copied()
                    }
                };
                let Some(cut) = cut else { continue };
                let keep = |i: usize| if high { x[i][j] <= cut } else { x[i][j] >= cut };
                let kept = inside.iter().filter(|&&i| keep(i)).count();
                if kept < min_points {
                    continue;
                }
                let cases = inside.iter().filter(|&&i| keep(i) && y[i]).count();
                let density = cases as f64 / kept as f64;
                // Highest density; then the gentler peel; then the first
                // parameter and the low side, so the result is one answer.
                let better = match best {
                    None => true,
                    Some((d, k, ..)) => density > d || (density == d && kept > k),
                };
                if better {
                    best = Some((density, kept, j, high, cut));
                }
            }
        }
        let Some((_, _, j, high, cut)) = best else {
            break;
        };
        if high {
            upper[j] = cut;
            inside.retain(|&i| x[i][j] <= cut);
        } else {
            lower[j] = cut;
            inside.retain(|&i| x[i][j] >= cut);
        }
        trajectory.push(make(&inside, lower.clone(), upper.clone()));
    }
    let (chosen, meets_threshold) = if total == 0 {
        (None, false)
    } else {
        let dense = trajectory
            .iter()
            .enumerate()
            .filter(|(_, b)| b.density >= opts.threshold)
            // max_by keeps the last of equals: compare by coverage, then
            // prefer the earlier (larger) box.
            .max_by(|a, b| a.1.coverage.total_cmp(&b.1.coverage).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i);
        match dense {
            Some(i) => (Some(i), true),
            None => {
                let i = trajectory
                    .iter()
                    .enumerate()
                    .max_by(|a, b| {
                        a.1.density
                            .total_cmp(&b.1.density)
                            .then(a.1.coverage.total_cmp(&b.1.coverage))
                            .then(b.0.cmp(&a.0))
                    })
                    .map(|(i, _)| i);
                (i, false)
            }
        }
    };
    Prim {
        trajectory,
        chosen,
        meets_threshold,
        cases: total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design::latin_hypercube;

    #[test]
    fn recovers_a_known_box() {
        // y = 1 exactly when x1 > 0.7 and x2 < 0.3; x3 is noise.
        let x = latin_hypercube(2000, 3, 7);
        let y: Vec<bool> = x.iter().map(|p| p[0] > 0.7 && p[1] < 0.3).collect();
        let bounds = [(0.0, 1.0); 3];
        // A strict threshold, so the chosen box is the whole region; with
        // the default 0.8 it may stop short by design (x2 < 0.345 holds
        // 87 % cases).
        let opts = PrimOptions {
            threshold: 0.95,
            ..PrimOptions::default()
        };
        let r = prim(&x, &y, &bounds, &opts);
        let b = r.chosen_box().expect("a box");
        assert!(r.meets_threshold);
        // Tolerance: 0.03, a few peels of 5 % near the end of the
        // trajectory, where a box of ~200 points loses ~10 per peel.
        assert!((b.lower[0] - 0.7).abs() < 0.03, "x1 lower {}", b.lower[0]);
        assert!((b.upper[1] - 0.3).abs() < 0.03, "x2 upper {}", b.upper[1]);
        assert!(b.upper[0] > 0.97 && b.lower[1] < 0.03, "{b:?}");
        // The noise parameter is barely touched.
        assert!(
            b.upper[2] - b.lower[2] > 0.85,
            "x3 {:?}",
            (b.lower[2], b.upper[2])
        );
        assert!(b.coverage > 0.85 && b.density >= 0.95, "{b:?}");
        // Coverage and density are the exact counts inside the limits.
        let inside: Vec<usize> = (0..x.len())
            .filter(|&i| (0..3).all(|j| x[i][j] >= b.lower[j] && x[i][j] <= b.upper[j]))
            .collect();
        let cases = inside.iter().filter(|&&i| y[i]).count();
        assert_eq!(b.points, inside.len());
        assert_eq!(b.cases, cases);
        assert_eq!(b.coverage, cases as f64 / r.cases as f64);
        assert_eq!(b.density, cases as f64 / inside.len() as f64);
    }

    #[test]
    fn coverage_and_density_on_a_small_case() {
        // Ten points on a line; cases at the top four. One peel of 10 %
        // (one point) per step: the low end goes until only cases remain.
        let x: Vec<Vec<f64>> = (0..10).map(|i| vec![f64::from(i)]).collect();
        let y: Vec<bool> = (0..10).map(|i| i >= 6).collect();
        let opts = PrimOptions {
            alpha: 0.1,
            min_support: 0.2,
            threshold: 1.0,
        };
        let r = prim(&x, &y, &[(0.0, 9.0)], &opts);
        assert_eq!(r.cases, 4);
        assert_eq!(r.trajectory[0].density, 0.4);
        assert_eq!(r.trajectory[0].coverage, 1.0);
        let b = r.chosen_box().unwrap();
        assert_eq!((b.lower[0], b.upper[0]), (6.0, 9.0));
        assert_eq!((b.points, b.cases, b.coverage, b.density), (4, 4, 1.0, 1.0));
        assert_eq!(b.restricted(&[(0.0, 9.0)]), vec![0]);
        assert_eq!(r.trajectory.len(), 7);
    }

    #[test]
    fn no_cases_no_box_and_ties_peel_together() {
        let x: Vec<Vec<f64>> = (0..8).map(|i| vec![f64::from(i % 2)]).collect();
        let none = prim(&x, &[false; 8], &[(0.0, 1.0)], &PrimOptions::default());
        assert_eq!(none.chosen, None);
        assert_eq!(none.trajectory.len(), 1);
        // Integer-like data: the cases are the ones; peeling the zeros
        // removes all four at once, not one.
        let y: Vec<bool> = (0..8).map(|i| i % 2 == 1).collect();
        let r = prim(&x, &y, &[(0.0, 1.0)], &PrimOptions::default());
        let b = r.chosen_box().unwrap();
        assert_eq!((b.lower[0], b.points, b.density), (1.0, 4, 1.0));
        assert_eq!(r.trajectory.len(), 2);
    }
}
