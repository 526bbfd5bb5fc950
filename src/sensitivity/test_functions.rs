//! Functions with known sensitivity indices, to test the estimators.

/// Ishigami and Homma's (1990) function with a = 7, b = 0.1, on
/// `[-π, π]^3`.
pub fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// Ishigami's analytic first-order indices (a = 7, b = 0.1).
pub const ISHIGAMI_S1: [f64; 3] = [0.3139, 0.4424, 0.0];
/// Ishigami's analytic total-order indices (a = 7, b = 0.1).
pub const ISHIGAMI_ST: [f64; 3] = [0.5576, 0.4424, 0.2437];

/// Sobol's G function on `[0, 1]^k`: the product of
/// `(|4 x_i − 2| + a_i) / (1 + a_i)`; small `a_i`, important factor.
pub fn g_function(x: &[f64], a: &[f64]) -> f64 {
    x.iter()
        .zip(a)
        .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
        .product()
}

/// The G function's analytic first- and total-order indices.
pub fn sobol_g_indices(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let v: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
    let total = v.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
    let s1 = v.iter().map(|v| v / total).collect();
    let st = (0..v.len())
        .map(|i| {
            let others: f64 = (0..v.len())
                .filter(|&j| j != i)
                .map(|j| 1.0 + v[j])
                .product();
            v[i] * others / total
        })
        .collect();
    (s1, st)
}
