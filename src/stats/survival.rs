//! Kaplan–Meier survival curves for right-censored times (e.g. days until
//! a ceasefire collapses; runs that end without collapse are censored at
//! the horizon).

/// One observation: the time, and whether the event happened then (true)
/// or observation stopped without it (false: censored).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// Time of the event or of censoring.
    pub time: f64,
    /// The event happened at `time`.
    pub event: bool,
}

/// A Kaplan–Meier estimate: a right-continuous step function.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    /// (time, survival just after it) at time 0 and at every event time;
    /// survival is non-increasing.
    pub steps: Vec<(f64, f64)>,
    /// (time, survival there) of every distinct censoring time.
    pub censored: Vec<(f64, f64)>,
    /// The last observed time (event or censoring); 0 with no observations.
    pub end: f64,
    /// Observations.
    pub n: usize,
    /// Events among them.
    pub events: usize,
}

impl KaplanMeier {
    /// The product-limit estimate Ŝ(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ) over event
    /// times tᵢ with dᵢ events among nᵢ still at risk. Ties between an event
    /// and a censoring count the censored one as still at risk (the usual
    /// convention). Non-finite times are ignored.
    pub fn estimate(observations: &[Observation]) -> Self {
        let mut obs: Vec<Observation> = observations
            .iter()
            .copied()
            .filter(|o| o.time.is_finite())
            .collect();
        obs.sort_by(|a, b| a.time.total_cmp(&b.time));
        let n = obs.len();
        let mut steps = vec![(0.0, 1.0)];
        let mut censored = Vec::new();
        let mut survival = 1.0;
        let mut at_risk = n;
        let mut i = 0;
        while i < n {
            let time = obs[i].time;
            let same = obs[i..].iter().take_while(|o| o.time == time).count();
            let deaths = obs[i..i + same].iter().filter(|o| o.event).count();
            if deaths > 0 {
                survival *= 1.0 - deaths as f64 / at_risk as f64;
                // Events at time 0 drop the curve from its start.
                match steps.last_mut() {
                    Some(last) if last.0 == time => last.1 = survival,
                    _ => steps.push((time, survival)),
                }
            }
            if deaths < same {
                censored.push((time, survival));
            }
            at_risk -= same;
            i += same;
        }
        Self {
            steps,
            censored,
            end: obs.last().map_or(0.0, |o| o.time),
            n,
            events: obs.iter().filter(|o| o.event).count(),
        }
    }

    /// Ŝ(t): the survival estimate at time `t`.
    pub fn survival_at(&self, t: f64) -> f64 {
        self.steps
            .iter()
            .take_while(|(time, _)| *time <= t)
            .last()
            .map_or(1.0, |(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(time: f64, event: bool) -> Observation {
        Observation { time, event }
    }

    /// A textbook example: events at 1, 3, 3; censored at 2 and 5.
    #[test]
    fn product_limit_by_hand() {
        let km = KaplanMeier::estimate(&[
            obs(3.0, true),
            obs(1.0, true),
            obs(2.0, false),
            obs(3.0, true),
            obs(5.0, false),
        ]);
        // t=1: 5 at risk, 1 event → 0.8; t=3: 3 at risk, 2 events → 0.8·1/3.
        assert_eq!(km.steps.len(), 3);
        assert!((km.steps[1].1 - 0.8).abs() < 1e-12);
        assert!((km.steps[2].1 - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!(km.censored.len(), 2);
        assert_eq!(km.censored[0], (2.0, 0.8));
        assert_eq!(km.censored[1].0, 5.0);
        assert!((km.censored[1].1 - 0.8 / 3.0).abs() < 1e-12);
        assert_eq!((km.end, km.n, km.events), (5.0, 5, 3));
        assert!((km.survival_at(2.9) - 0.8).abs() < 1e-12);
        assert_eq!(km.survival_at(0.5), 1.0);
    }

    #[test]
    fn all_censored_stays_at_one_and_all_events_reach_zero() {
        let none = KaplanMeier::estimate(&[obs(730.0, false); 4]);
        assert_eq!(none.steps, vec![(0.0, 1.0)]);
        assert_eq!(none.censored, vec![(730.0, 1.0)]);
        let all = KaplanMeier::estimate(&[obs(10.0, true), obs(20.0, true)]);
        assert_eq!(all.steps.last(), Some(&(20.0, 0.0)));
        let empty = KaplanMeier::estimate(&[]);
        assert_eq!((empty.n, empty.end), (0, 0.0));
    }

    #[test]
    fn survival_never_increases() {
        let data: Vec<Observation> = (0..50)
            .map(|i| obs(f64::from((i * 37) % 23), i % 3 != 0))
            .collect();
        let km = KaplanMeier::estimate(&data);
        // Events at time 0 lower the first step instead of adding one.
        assert_eq!(km.steps[0].0, 0.0);
        assert!(km.steps[0].1 < 1.0);
        for w in km.steps.windows(2) {
            assert!(w[1].1 <= w[0].1 && w[1].0 > w[0].0);
        }
    }
}
