//! Statistics for Monte Carlo batches and docking validation: streaming
//! moments, quantiles (exact and in bounded memory) and the two-sample
//! Kolmogorov–Smirnov test.
//!
//! Everything here is deterministic: results depend only on the values and
//! the order they arrive in, never on timing or thread count, so a batch
//! summarised in replicate order gives the same bits on every run.
//!
//! * [`RunningMoments`]: count, mean and sample sd in O(1) memory (Welford).
//! * [`quantile_sorted`]: the quantile of a sorted sample, numpy's default.
//! * [`QuantileSketch`]: quantiles of a stream in bounded memory, exact up
//!   to a capacity, a t-digest beyond.
//! * [`ks_two_sample`], [`ks_critical_d`]: do two samples come from one
//!   distribution?
//! * [`PairedInterval`], [`t_critical`]: paired differences with Student t
//!   intervals (common random numbers);
//! * [`signed_rank`]: Wilcoxon's signed-rank test of paired differences
//!   with the Hodges–Lehmann estimate and its exact or normal-approximation
//!   interval, as R's `wilcox.test(conf.int = TRUE)`;
//! * [`sign_flip`], [`sparse_counts`]: the exact sign-flip permutation
//!   test of sparse integer differences (mostly 0 or ±1) with the interval
//!   of their mean, and the rule that says when it replaces the
//!   signed-rank test;
//! * [`detectable`]: the minimum detectable effect at a given n and the
//!   replicates an observed effect needs (80 % power, two-sided 5 %);
//! * [`KaplanMeier`]: survival curves of right-censored times, with
//!   Greenwood log-log bands, restricted mean survival times and the
//!   log-rank test;
//! * [`PairedProportions`]: paired yes/no outcomes, Newcombe's interval
//!   and McNemar's exact test;
//! * [`holm`], [`benjamini_hochberg`]: p-values adjusted for multiple
//!   comparisons;
//! * [`dispersion_index`], [`excess_kurtosis`], [`hill`], [`ccdf`],
//!   [`outburst_gaps`]: burstiness and heavy tails of event series.
//!
//! Distribution functions come from `statrs`; every routine is checked
//! against R's output or a published worked example.

mod adjust;
mod ks;
mod moments;
mod paired;
mod power;
mod proportions;
mod quantile;
mod signflip;
mod sketch;
mod survival;
mod tails;
mod wilcoxon;

pub use adjust::{benjamini_hochberg, holm};
pub use ks::{KS_EXACT_MAX_PRODUCT, KsResult, kolmogorov_sf, ks_critical_d, ks_two_sample};
pub use moments::RunningMoments;
pub use paired::{
    PairedInterval, mean_interval, paired_differences, sd_interval, t_central_probability,
    t_critical,
};
pub use power::{Detectable, POWER, detectable, detectable_se};
pub use proportions::{PairedCounts, PairedProportions, mcnemar_exact, wilson};
pub use quantile::quantile_sorted;
pub use signflip::{
    SIGN_FLIP_MAX_CELLS, SPARSE_DISTINCT_BELOW, SPARSE_ZERO_SHARE, SignFlip, sign_flip,
    sign_flip_at, sparse_counts,
};
pub use sketch::{DEFAULT_SKETCH_CAPACITY, QuantileSketch};
pub use survival::{BandStep, KaplanMeier, LogRank, Observation, RiskRow, Rmst, log_rank};
pub use tails::{
    HillEstimate, SIZE_BINS, SizeHistogram, ccdf, dispersion_index, excess_kurtosis, hill,
    outburst_gaps,
};
pub use wilcoxon::{EXACT_BELOW, SignedRank, signed_rank, signed_rank_at};
