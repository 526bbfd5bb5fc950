//! Quantiles of a sorted sample, numpy's default definition.

/// The `q`-quantile of an ascending `sorted` sample, with linear
/// interpolation between order statistics: Hyndman & Fan (1996) type 7,
/// numpy's and R's default. With n values `x[0] ≤ … ≤ x[n−1]` the quantile
/// sits at the fractional position `h = (n − 1)·q`, between `x[⌊h⌋]` and
/// `x[⌊h⌋ + 1]`.
///
/// The interpolation is numpy's `_lerp` (`a + t·(b − a)` below `t = ½`,
/// `b − (1 − t)·(b − a)` from `t = ½`, which is exact at both ends), so the
/// result has the same bits as `numpy.quantile(x, q)` (numpy 2.x). It is
/// also guaranteed monotone in `q` and within `[x[⌊h⌋], x[⌊h⌋ + 1]]`,
/// hence within the sample's min..max (see `lerp_monotone`).
///
/// Returns NaN for an empty sample. The caller sorts (e.g. with
/// [`f64::total_cmp`]); the slice is not checked, because checking would
/// cost O(n) per call. NaN values in the slice give unspecified results.
///
/// # Panics
///
/// If `q` is not in `[0, 1]` (NaN included): a quantile level outside that
/// range is a bug in the caller, not a property of the data.
///
/// ```
/// use stabsim::stats::quantile_sorted;
///
/// let x = [1.0, 2.0, 3.0, 4.0];
/// assert_eq!(quantile_sorted(&x, 0.5), 2.5);
/// assert_eq!(quantile_sorted(&x, 0.9), 3.7);
/// assert!(quantile_sorted(&[], 0.5).is_nan());
/// ```
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    assert!(
        (0.0..=1.0).contains(&q),
        "quantile level must be in [0, 1], got {q}"
    );
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    // `h ≤ n − 1` so the floor is a valid index; at the top end `lo + 1`
    // would run past the end, and t = 0 there anyway.
    let lo_f = h.floor();
    let lo = lo_f as usize;
    if lo + 1 >= n {
        return sorted[n - 1];
    }
    lerp_monotone(sorted[lo], sorted[lo + 1], h - lo_f)
}

/// numpy's `_lerp(a, b, t)` for `a ≤ b`, `t ∈ [0, 1)`, made monotone in `t`
/// and confined to `[a, b]`.
///
/// Below `t = ½` numpy uses `a + t·d`, from `½` on `b − (1 − t)·d`. Each
/// formula is monotone in `t` (every IEEE operation is), but nothing in
/// their rounding forbids the first from ending one ulp above the second's
/// start when `d = b − a` is inexact. No such case turned up in testing
/// (see the tests), but monotonicity is a property callers rely on, so the
/// lower branch is capped at the upper branch's value at `t = ½`: free
/// insurance that changes no value where numpy is monotone.
pub(crate) fn lerp_monotone(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    let v = if t < 0.5 {
        (a + t * d).min(b - 0.5 * d)
    } else {
        b - (1.0 - t) * d
    };
    v.clamp(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Reference values from numpy 2.4.6, `float(np.quantile(np.array(x), q))`,
    /// printed with `repr` (shortest round-trip), so the comparison is exact.
    #[test]
    fn matches_numpy_bit_for_bit() {
        // (sorted sample, [(q, numpy's quantile)])
        type Case<'a> = (&'a [f64], &'a [(f64, f64)]);
        let cases: &[Case] = &[
            (
                &[1.0, 2.0, 3.0, 4.0],
                &[
                    (0.0, 1.0),
                    (0.1, 1.3),
                    (0.25, 1.75),
                    (0.5, 2.5),
                    (0.75, 3.25),
                    (0.9, 3.7),
                    (1.0, 4.0),
                ],
            ),
            (&[3.7], &[(0.0, 3.7), (0.3, 3.7), (1.0, 3.7)]),
            (
                &[0.1, 0.2, 0.7, 1.3, 2.9],
                &[
                    (0.05, 0.12000000000000001),
                    (0.33, 0.36),
                    (0.5, 0.7),
                    (0.66, 1.084),
                    (0.95, 2.5799999999999996),
                ],
            ),
            (
                &[
                    -22.142857142857142,
                    -18.714285714285715,
                    -17.0,
                    -10.285714285714285,
                    27.85714285714286,
                    46.14285714285714,
                    48.0,
                    55.57142857142857,
                    57.57142857142857,
                    59.14285714285714,
                    73.42857142857143,
                ],
                &[
                    (0.05, -20.42857142857143),
                    (0.1, -18.714285714285715),
                    (0.37, 16.414285714285725),
                    (0.5, 46.14285714285714),
                    (0.62, 49.51428571428571),
                    (0.95, 66.28571428571428),
                    (0.99, 72.0),
                ],
            ),
        ];
        for (x, qs) in cases {
            for &(q, want) in qs.iter() {
                let got = quantile_sorted(x, q);
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "x={x:?} q={q}: {got} != {want}"
                );
            }
        }
    }

    #[test]
    fn empty_is_nan() {
        assert!(quantile_sorted(&[], 0.0).is_nan());
        assert!(quantile_sorted(&[], 1.0).is_nan());
    }

    #[test]
    fn ends_are_min_and_max() {
        let x = [-3.0, -1.0, 0.5, 8.0];
        assert_eq!(quantile_sorted(&x, 0.0), -3.0);
        assert_eq!(quantile_sorted(&x, 1.0), 8.0);
    }

    #[test]
    fn constant_data() {
        let x = [0.1; 7];
        for q in [0.0, 0.05, 0.3, 0.5, 0.77, 1.0] {
            assert_eq!(quantile_sorted(&x, q), 0.1);
        }
    }

    #[test]
    #[should_panic(expected = "quantile level")]
    fn rejects_level_above_one() {
        quantile_sorted(&[1.0], 1.5);
    }

    #[test]
    #[should_panic(expected = "quantile level")]
    fn rejects_nan_level() {
        quantile_sorted(&[1.0], f64::NAN);
    }

    #[test]
    fn lerp_is_monotone_across_the_switch_and_matches_numpy() {
        // Largest double below ½ (`f64::next_down` needs Rust 1.86; the
        // crate supports 1.85). Every t < ½ gives at most its value.
        let below_half = f64::from_bits(0.5f64.to_bits() - 1);
        // Pairs across magnitudes and signs, where b − a is often inexact
        // (the case in which numpy's two formulas could disagree).
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..200_000 {
            let scale = 10f64.powi((next() * 12.0) as i32 - 6);
            let a = (next() - 0.5) * scale;
            let b = a + next() * 10f64.powi((next() * 12.0) as i32 - 6);
            let (lo, hi) = (lerp_monotone(a, b, below_half), lerp_monotone(a, b, 0.5));
            assert!(lo <= hi, "a={a} b={b}");
            // numpy's formulas, uncapped: the cap changed nothing here.
            let d = b - a;
            assert_eq!(lo.to_bits(), (a + below_half * d).to_bits());
            assert_eq!(hi.to_bits(), (b - 0.5 * d).to_bits());
        }
    }

    proptest! {
        #[test]
        fn monotone_in_q_and_within_range(
            mut x in prop::collection::vec(-1e9f64..1e9, 1..60),
            mut qs in prop::collection::vec(0.0f64..=1.0, 2..20),
        ) {
            x.sort_by(f64::total_cmp);
            qs.sort_by(f64::total_cmp);
            let vals: Vec<f64> = qs.iter().map(|&q| quantile_sorted(&x, q)).collect();
            for w in vals.windows(2) {
                prop_assert!(w[0] <= w[1], "{:?}", vals);
            }
            for v in vals {
                prop_assert!(x[0] <= v && v <= x[x.len() - 1]);
            }
        }
    }
}
