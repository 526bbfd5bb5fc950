//! Large runs: `world.refine` (the same theatre at a finer resolution, the
//! way to a million-agent Gaza), the memory guard's estimate of it, the
//! per-tick summary's bound on long horizons, and a `timing` run stopped by
//! a signal (`serve`'s memory guard is tested in `tests/serve.rs`).

mod common;

use common::stabsim;

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use stabsim::scenario::{load, load_str};

const GAZA: &str = "scenarios/gaza/baseline.toml";

fn gaza(overrides: &[&str]) -> Result<stabsim::scenario::Scenario, String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(GAZA);
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    load(&path, &overrides).map_err(|e| e.to_string())
}

#[test]
fn refining_makes_k_by_k_cells_and_keeps_the_km() {
    let coarse = gaza(&[]).unwrap();
    let fine = gaza(&["world.refine=3"]).unwrap();
    assert_eq!(fine.world.width, 3 * coarse.world.width);
    assert_eq!(fine.world.height, 3 * coarse.world.height);
    assert_eq!(fine.world.refine, 1, "applied once, when loading");
    assert_eq!(fine.citizens.vision, 3 * coarse.citizens.vision);
    let km = |s: &stabsim::scenario::Scenario| s.mission.as_ref().unwrap().cell_km;
    assert!((km(&fine) * 3.0 - km(&coarse)).abs() < 1e-12);
    let passable = |s: &stabsim::scenario::Scenario| s.world.terrain().unwrap().passable_cells();
    assert_eq!(passable(&fine), 9 * passable(&coarse));
    // The sectors follow the terrain, block for block.
    let (t, s) = (
        fine.world.terrain().unwrap(),
        fine.world.sectors().unwrap().unwrap(),
    );
    let (tc, sc) = (
        coarse.world.terrain().unwrap(),
        coarse.world.sectors().unwrap().unwrap(),
    );
    for (x, y) in [(0, 0), (100, 200), (167, 479), (40, 300)] {
        assert_eq!(t.at(x, y), tc.at(x / 3, y / 3));
        assert_eq!(s.at(x, y), sc.at(x / 3, y / 3));
    }
    // The resolved scenario is the fine one, and loads as itself.
    let resolved = stabsim::output::resolved_toml(&fine).unwrap();
    assert!(!resolved.contains("refine"), "refine = 1 is left out");
    let again = load_str(&resolved, "resolved.toml", &[]).unwrap();
    assert_eq!(again, fine);
}

#[test]
fn refined_runs_have_k_squared_times_the_agents() {
    let agents = |k: &str| {
        let sc = gaza(&[&format!("world.refine={k}"), "run.ticks=1"]).unwrap();
        stabsim::validation::time_ticks(&sc, 1).unwrap().n_citizens as f64
    };
    // Agents are civilians (k² as many) and the factions' fighter units
    // (as many at any resolution, split off civilians): n(k) = F + C·k².
    let (one, two, four) = (agents("1"), agents("2"), agents("4"));
    assert!(one > 2000.0, "{one}");
    let ratio = (four - one) / (two - one);
    assert!((4.9..5.1).contains(&ratio), "{one}, {two}, {four}: {ratio}");
}

#[test]
fn refinements_that_cannot_hold_are_located_errors() {
    // citizens.vision 4 becomes 32 cells at 8: more than a neighbourhood holds.
    let e = gaza(&["world.refine=8"]).unwrap_err();
    assert!(
        e.starts_with("--set:1:")
            && e.contains("field world.refine")
            && e.contains("citizens.vision"),
        "{e}"
    );
    // forces.vision_km 1.5 is 36 cells of 1/24 km at 6.
    let e = gaza(&["world.refine=6", "citizens.vision=1"]).unwrap_err();
    assert!(e.contains("mission.forces.vision_km"), "{e}");
    let e = gaza(&["world.refine=32"]).unwrap_err();
    assert!(e.contains("world.refine") && e.contains("1..=31"), "{e}");
    // The Epstein model is never refined (it stays byte for byte as it is).
    let e = load_str("[world]\nrefine = 2\n", "e.toml", &[])
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("e.toml:2:10: field world.refine") && e.contains("[mission]"),
        "{e}"
    );
    let o = stabsim(&["check", GAZA, "--set", "world.refine=0"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_memory_estimate_counts_the_refined_world() {
    let peak = |k: &str| {
        let sc = gaza(&[
            &format!("world.refine={k}"),
            "citizens.vision=1",
            "mission.forces.vision_km=0.2",
            "mission.civilians.witness_radius_km=0.2",
            "mission.civilians.contagion_radius_km=0.2",
            "run.ticks=10",
        ])
        .unwrap();
        stabsim::output::estimated_peak_bytes(&sc, 1, false)
    };
    // The summary is the same at any resolution; the world grows as k².
    let (one, two, four) = (peak("1"), peak("2"), peak("4"));
    let ratio = (four - one) as f64 / (two - one) as f64;
    assert!((ratio - 5.0).abs() < 1e-3, "{one}, {two}, {four}");
    assert!(four - one > 10_000_000, "{one} → {four}");
    // Gaza at 31: 8.6 M cells, about 2 GB: refused under a 2 GB address
    // space before any world is allocated.
    let sc = gaza(&[
        "world.refine=31",
        "citizens.vision=1",
        "mission.forces.vision_km=0.2",
        "mission.civilians.witness_radius_km=0.2",
        "mission.civilians.contagion_radius_km=0.2",
    ])
    .unwrap();
    assert!(stabsim::output::estimated_peak_bytes(&sc, 1, true) > 1_700_000_000);
    // Map frames are counted only where the output level may record them.
    let with = stabsim::output::estimated_peak_bytes(&sc, 1, true);
    let without = stabsim::output::estimated_peak_bytes(&sc, 1, false);
    assert!(
        without > 1_700_000_000 && without < with,
        "{without} vs {with}"
    );
}

#[test]
fn map_frames_of_a_refined_world_are_bounded() {
    // A year of the million-agent world: its frames are recorded in 8 × 8
    // blocks (140 × 400), about 0.2 GB held with their CSV text and a
    // moment's 0.1 GB to take one, where frames of every cell (3.6 M) were
    // estimated at 12 GB and held 1.4 GB.
    let path = common::root().join("scenarios/large/gaza_million.toml");
    let sc = stabsim::scenario::load(&path, &[]).unwrap();
    assert_eq!(sc.run.ticks, 365);
    let with = stabsim::output::estimated_peak_bytes(&sc, 1, true);
    let without = stabsim::output::estimated_peak_bytes(&sc, 1, false);
    let frames = with - without;
    assert!(frames < 400_000_000, "{frames} bytes of frames");
}

/// A `timing` run that would take a minute or more stops at a single SIGTERM or
/// SIGINT (Ctrl-C), promptly, with a message and exit code 130.
#[cfg(unix)]
#[test]
fn a_signal_stops_timing_promptly() {
    for sig in ["-TERM", "-INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stabsim"))
            .args(["timing", GAZA, "--ticks", "50000"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stabsim starts");
        std::thread::sleep(Duration::from_millis(1500));
        assert!(child.try_wait().unwrap().is_none(), "still timing");
        let sent = Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_at_most(&mut child, Duration::from_secs(10));
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert_eq!(status, Some(130), "{sig}: {err}");
        assert!(err.contains("interrupted"), "{sig}: {err}");
    }
}

/// The child's exit code if it ends within `limit`; else it is killed and
/// the test fails.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("still running after {limit:?}");
}

/// Horizons beyond 1,000 days keep quantiles on every k-th day only, and
/// say so with empty cells; the mean is there every day.
#[test]
fn long_horizons_thin_the_summarys_quantiles() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args =
        "run scenarios/epstein/mesa_default.toml -n 2 --ticks 1500 --outputs minimal --quiet";
    let mut args: Vec<&str> = args.split(' ').collect();
    args.extend(["--out", out.to_str().unwrap()]);
    let o = stabsim(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let row = |tick: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{tick},active,")))
            .unwrap()
            .to_string()
    };
    let fields = |l: String| l.split(',').map(String::from).collect::<Vec<_>>();
    let (even, odd) = (fields(row("1000")), fields(row("1001")));
    assert!(even[5..].iter().all(|f| !f.is_empty()), "{even:?}");
    assert!(!odd[3].is_empty(), "the mean is kept: {odd:?}");
    assert!(odd[5..].iter().all(|f| f.is_empty()), "{odd:?}");
}
