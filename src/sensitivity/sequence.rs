//! The Sobol low-discrepancy sequence, from the `sobol` crate with Joe
//! and Kuo's (2008) direction numbers: the points of Saltelli's design
//! and of `stabsim sweep --sobol`.

use sobol::Sobol;
use sobol::params::JoeKuoD6;

/// Most dimensions the Sobol sequence supports here (Joe & Kuo's 1,000).
pub const SOBOL_MAX_DIMS: usize = 1000;

/// Points `skip..skip + n` of the Sobol sequence in `[0, 1)^dims`, with Joe
/// and Kuo's (2008) direction numbers. Panics if `dims` exceeds
/// [`SOBOL_MAX_DIMS`]; callers check.
pub fn sobol_points(n: usize, dims: usize, skip: usize) -> Vec<Vec<f64>> {
    assert!(dims <= SOBOL_MAX_DIMS, "{dims} Sobol dimensions");
    let params = JoeKuoD6::standard();
    Sobol::<f64>::new(dims, &params)
        .skip(skip)
        .take(n)
        .collect()
}
