//! Invariants of the mission model, checked after every tick of short Gaza
//! baseline runs with random seeds and random mandate levers (proptest):
//! people conserved (agents' members plus the dead equal the population,
//! and so do the status columns of the metrics), each agent's status and
//! cell consistent with the grid, units on duty on their cells, bounded
//! variables in range, no NaN or infinity in the metrics. Plus: the Gaza
//! baseline's outputs are byte-identical across thread counts.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use stabsim::mission::{MissionState, Status, metric_names};
use stabsim::scenario::{self, Scenario};
use stabsim::world::{Cell, NO_CELL};

const GAZA: &str = "scenarios/gaza/baseline.toml";

fn gaza_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(GAZA)
}

/// One random short run: seed, horizon and mandate levers as `--set`
/// overrides of the Gaza baseline.
#[derive(Debug, Clone)]
struct Case {
    overrides: Vec<String>,
    replicate: u64,
}

fn case() -> impl Strategy<Value = Case> {
    let levers = (
        0.0f64..2.5,                                                  // force_scale
        0.0f64..1.0,                                                  // community_policing
        prop_oneof![Just("none"), Just("voluntary"), Just("forced")], // disarmament
        prop_oneof![Just(0.0f64), 0.0f64..1.0],                       // ct_track
        (0u32..8, any::<bool>()),                                     // pmc_units, pmc_lethal
        0.0f64..1.0,                                                  // exclusion
        0.0f64..1.0,                                                  // humanitarian_access
        0u32..25,                                                     // deployment_delay_days
    );
    let exit = (
        prop_oneof![Just("benchmarked"), Just("fixed_exit"), Just("none")], // handover
        0u32..60,                                                           // exit_day
        0u32..4,                                                            // qrf_units
    );
    // TOML integers are i64: seeds above i64::MAX do not load.
    let run = (0u64..=i64::MAX as u64, 40u32..=60, 0u64..4);
    (levers, exit, run).prop_map(
        |(
            (force, community, disarm, ct, (pmc, lethal), excl, access, delay),
            (handover, exit_day, qrf),
            (seed, ticks, rep),
        )| {
            let overrides = vec![
                format!("run.seed={seed}"),
                format!("run.ticks={ticks}"),
                format!("mission.mandate.force_scale={force}"),
                format!("mission.mandate.community_policing={community}"),
                format!("mission.mandate.disarmament=\"{disarm}\""),
                format!("mission.mandate.ct_track={ct}"),
                format!("mission.mandate.pmc_units={pmc}"),
                format!("mission.mandate.pmc_lethal={lethal}"),
                format!("mission.mandate.exclusion={excl}"),
                format!("mission.mandate.humanitarian_access={access}"),
                format!("mission.mandate.deployment_delay_days={delay}"),
                format!("mission.mandate.handover=\"{handover}\""),
                format!("mission.mandate.exit_day={exit_day}"),
                format!("mission.mandate.qrf_units={qrf}"),
                // Short runs: let the force arrive within them.
                "mission.mandate.ramp_up_days=15".to_string(),
            ];
            Case {
                overrides,
                replicate: rep,
            }
        },
    )
}

fn in_unit(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

/// Checks every invariant of `s` and its metrics `row` at tick `t`.
fn check(
    s: &MissionState,
    sc: &Scenario,
    names: &[String],
    row: &[f64],
    t: u32,
) -> Result<(), TestCaseError> {
    let total = sc.mission.as_ref().unwrap().population.total_people;
    let tol = 1e-4 * total;

    // (d) The metrics row: complete, finite.
    prop_assert_eq!(row.len(), names.len(), "tick {}: metrics row length", t);
    for (name, &x) in names.iter().zip(row) {
        prop_assert!(x.is_finite(), "tick {}: metric {} = {}", t, name, x);
    }

    // (a) People conserved, in the state and in the status columns.
    let c = s.civilians();
    // Arrested groups are held apart from their agents until released.
    let members: f64 = c.members.iter().map(|&m| f64::from(m)).sum::<f64>() + s.held_in_detention();
    prop_assert!(
        (members + s.totals().dead - total).abs() <= tol,
        "tick {}: members and held {} + dead {} = {} != population {}",
        t,
        members,
        s.totals().dead,
        members + s.totals().dead,
        total
    );
    let by_status: f64 = stabsim::mission::STATUS_NAMES
        .iter()
        .map(|n| {
            let k = names.iter().position(|m| m == n).expect("status column");
            row[k]
        })
        .sum();
    prop_assert!(
        (by_status - total).abs() <= tol,
        "tick {}: status columns sum to {} != population {}",
        t,
        by_status,
        total
    );

    // (b) Statuses, cells and the grid agree.
    let g = s.grid();
    let n = c.len();
    prop_assert_eq!(c.cell.len(), n);
    prop_assert_eq!(c.members.len(), n);
    prop_assert_eq!(c.sympathy.len(), n * s.factions().len());
    let mut on_grid = 0usize;
    for i in 0..n {
        let (status, cell, m) = (c.status[i], c.cell[i], c.members[i]);
        prop_assert!(
            m.is_finite() && m >= 0.0,
            "tick {}: agent {} members {}",
            t,
            i,
            m
        );
        let expected = match status {
            Status::Dead => {
                prop_assert_eq!(m, 0.0, "tick {}: dead agent {} has members", t, i);
                prop_assert_eq!(cell, NO_CELL, "tick {}: dead agent {} on the grid", t, i);
                continue;
            }
            Status::Detained => {
                prop_assert_eq!(
                    cell,
                    NO_CELL,
                    "tick {}: detained agent {} on the grid",
                    t,
                    i
                );
                prop_assert!(m > 0.0, "tick {}: detained agent {} has no members", t, i);
                continue;
            }
            Status::Recruited => Cell::Fighter,
            Status::Active => Cell::Active,
            Status::Quiescent | Status::Displaced | Status::Harmed => Cell::Quiet,
        };
        prop_assert!(
            m > 0.0,
            "tick {}: living agent {} ({:?}) has no members",
            t,
            i,
            status
        );
        prop_assert!(
            cell != NO_CELL,
            "tick {}: agent {} ({:?}) off the grid",
            t,
            i,
            status
        );
        on_grid += 1;
        prop_assert_eq!(
            g.cell(cell),
            expected,
            "tick {}: agent {} ({:?}) at cell {}",
            t,
            i,
            status,
            cell
        );
        prop_assert_eq!(
            g.occupant(cell),
            i as u32,
            "tick {}: agent {} ({:?}) not the occupant of its cell {}",
            t,
            i,
            status,
            cell
        );
    }
    let mut units_on = 0usize;
    for u in 0..s.units().len() {
        let cell = s.units().cell[u];
        if !s.units().on_duty[u] {
            prop_assert_eq!(cell, NO_CELL, "tick {}: unit {} off duty on the grid", t, u);
            continue;
        }
        units_on += 1;
        prop_assert!(
            cell != NO_CELL,
            "tick {}: unit {} on duty off the grid",
            t,
            u
        );
        prop_assert_eq!(
            g.cell(cell),
            Cell::Cop,
            "tick {}: unit {} at cell {}",
            t,
            u,
            cell
        );
        prop_assert_eq!(
            g.occupant(cell),
            u as u32,
            "tick {}: unit {} not the occupant of its cell {}",
            t,
            u,
            cell
        );
    }
    // Nothing on the grid that no agent accounts for (the Gaza grid is
    // bounded: no ghost copies).
    let occupied = g
        .open_cells()
        .iter()
        .filter(|&&k| !matches!(g.cell(k), Cell::Empty | Cell::Wall))
        .count();
    prop_assert_eq!(
        occupied,
        on_grid + units_on,
        "tick {}: occupied cells vs agents on the grid plus units on duty",
        t
    );

    // (c) Bounded variables.
    for i in 0..n {
        for (what, x) in [
            ("trust", c.trust[i]),
            ("trust0", c.trust0[i]),
            ("hardship", c.hardship[i]),
            ("base_hardship", c.base_hardship[i]),
            ("risk", c.risk[i]),
        ] {
            prop_assert!(
                in_unit(f64::from(x)),
                "tick {}: agent {} {} = {}",
                t,
                i,
                what,
                x
            );
        }
        prop_assert!(
            c.loss[i].is_finite() && c.loss[i] >= 0.0,
            "tick {}: agent {} loss = {}",
            t,
            i,
            c.loss[i]
        );
        for f in 0..s.factions().len() {
            let x = c.sympathy[i * s.factions().len() + f];
            prop_assert!(
                in_unit(f64::from(x)),
                "tick {}: agent {} sympathy[{}] = {}",
                t,
                i,
                f,
                x
            );
        }
    }
    prop_assert!(
        in_unit(s.legitimacy()),
        "tick {}: legitimacy = {}",
        t,
        s.legitimacy()
    );
    prop_assert!(in_unit(s.intel()), "tick {}: intel = {}", t, s.intel());
    // Incidents in contested sectors are a part of the day's incidents.
    let col = |n: &str| row[names.iter().position(|x| x == n).unwrap()];
    let (contested, all) = (col("incidents_contested"), col("incidents"));
    prop_assert!(
        contested >= 0.0 && contested <= all,
        "tick {}: incidents_contested {} of {} incidents",
        t,
        contested,
        all
    );
    prop_assert!(
        s.threat().is_finite() && s.threat() >= 0.0,
        "tick {}: threat = {}",
        t,
        s.threat()
    );
    for (k, sector) in s.sectors().iter().enumerate() {
        prop_assert!(
            in_unit(sector.services),
            "tick {}: sector {} ({}) services = {}",
            t,
            k,
            sector.name,
            sector.services
        );
        prop_assert!(
            in_unit(sector.coverage),
            "tick {}: sector {} ({}) coverage = {}",
            t,
            k,
            sector.name,
            sector.coverage
        );
        prop_assert!(
            sector.people >= 0.0 && sector.stock >= 0.0,
            "tick {}: sector {} people {} stock {}",
            t,
            k,
            sector.people,
            sector.stock
        );
    }
    for (f, fs) in s.factions().iter().enumerate() {
        prop_assert!(
            fs.arms.is_finite() && fs.arms >= 0.0,
            "tick {}: faction {} arms = {}",
            t,
            f,
            fs.arms
        );
        prop_assert!(
            in_unit(fs.commitment),
            "tick {}: faction {} commitment = {}",
            t,
            f,
            fs.commitment
        );
        prop_assert!(
            fs.fighters >= 0.0 && fs.pressure >= 0.0,
            "tick {}: faction {} fighters {} pressure {}",
            t,
            f,
            fs.fighters,
            fs.pressure
        );
    }
    Ok(())
}

proptest! {
    // Each case is one replicate of 40–60 days on the Gaza map (~0.1 s in
    // the test profile, plus the checks).
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn mission_invariants_hold_every_tick(case in case()) {
        let sc = scenario::load(&gaza_path(), &case.overrides)
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let terrain = sc.world.terrain().expect("Gaza terrain");
        let sectors = sc.world.sectors().expect("Gaza sectors");
        let names = metric_names(sc.mission.as_ref().unwrap());
        let mut state = MissionState::new(&sc, &terrain, sectors.as_ref(), case.replicate);
        let mut row = Vec::new();
        state.metrics_into(&mut row);
        check(&state, &sc, &names, &row, 0)?;
        for t in 1..=sc.run.ticks {
            state.step();
            prop_assert_eq!(state.tick(), t);
            state.metrics_into(&mut row);
            check(&state, &sc, &names, &row, t)?;
        }
    }
}

/// The Gaza baseline, 60 days × 6 replicates, into `dir` with `threads`.
fn gaza_run(dir: &Path, threads: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .args([
            "run",
            GAZA,
            "--set",
            "run.ticks=60",
            "--set",
            "run.replicates=6",
            "--threads",
            threads,
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("stabsim runs");
    assert!(
        o.status.success(),
        "stabsim run --threads {threads} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn gaza_baseline_is_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("t1"), tmp.path().join("t2"));
    gaza_run(&one, "1");
    gaza_run(&two, "2");
    for name in ["timeseries.csv", "runs.csv", "summary.csv"] {
        let a = fs::read(one.join(name)).unwrap_or_else(|_| panic!("{name} missing"));
        let b = fs::read(two.join(name)).unwrap_or_else(|_| panic!("{name} missing"));
        assert!(!a.is_empty(), "{name} is empty");
        assert!(a == b, "{name} differs between --threads 1 and --threads 2");
    }
}
