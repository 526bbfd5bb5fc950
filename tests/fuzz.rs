//! Fuzzing the scenario loader in-process: mutated shipped scenarios,
//! `extends` chains (cycles, missing files, special files), `--set` values
//! and map files. Every case must end without a panic, within a deadline,
//! and a rejection must carry a location (`FILE:LINE:COL`, or the `--set`
//! it came from).
//!
//! `cargo test` runs a few hundred seeded cases and replays
//! `tests/fuzz_corpus/`; `scripts/fuzz.sh` runs 100,000 or more
//! (`STABSIM_FUZZ_CASES`) in release and prints the figures.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use stabsim::scenario::{self, ScenarioError, load::is_set_file};

/// Placeholder for the absolute path of the shipped `scenarios/` folder.
const SCENARIOS: &str = "@SCENARIOS@";

/// One input: files (the first is loaded), FIFOs to make beside them, and
/// `--set` arguments.
#[derive(Debug, Clone)]
struct Case {
    /// Category, for the counts.
    kind: &'static str,
    /// (file name, text); a name starting with [`SCENARIOS`] is loaded from
    /// memory as if it lay in the shipped folder (so its `extends` and maps
    /// resolve there), others are written to a temporary folder.
    files: Vec<(String, String)>,
    /// Names of FIFOs to make in the temporary folder.
    fifos: Vec<String>,
    /// `--set` arguments.
    sets: Vec<String>,
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

fn shipped() -> &'static [(String, String)] {
    static FILES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut out = Vec::new();
        for dir in ["gaza", "mali", "epstein", "validation"] {
            let Ok(entries) = fs::read_dir(scenarios_dir().join(dir)) else {
                continue;
            };
            let mut names: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
            names.sort();
            for path in names {
                if path.extension().is_some_and(|e| e == "toml") {
                    out.push((
                        format!("{SCENARIOS}/{dir}/fuzz.toml"),
                        fs::read_to_string(&path).unwrap(),
                    ));
                }
            }
        }
        out
    })
}

// ---------------------------------------------------------------------------
// Generators.

/// Values that stress a parser or a range check.
fn nasty_value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("nan".to_string()),
        Just("inf".to_string()),
        Just("9223372036854775807".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("4294967296".to_string()),
        Just("1000000".to_string()),
        Just("\"\"".to_string()),
        Just("\"é∂ü \\u0000 \\n\"".to_string()),
        Just("\"../../../../etc/passwd\"".to_string()),
        Just("\"/dev/zero\"".to_string()),
        Just("true".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("[[[[[[[[1]]]]]]]]".to_string()),
        Just("{ a = { b = { c = 1 } } }".to_string()),
        Just("\"torus\"".to_string()),
        Just("0.5".to_string()),
        (1usize..400).prop_map(|n| format!("[{}]", vec!["{}"; n].join(","))),
        (1usize..300).prop_map(|n| format!("{}1{}", "[".repeat(n), "]".repeat(n))),
        any::<i64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
        "\\PC{0,12}".prop_map(|s| format!("{s:?}")),
    ]
}

/// A shipped scenario with a few line mutations.
fn mutated_toml() -> impl Strategy<Value = Case> {
    let files = shipped();
    (
        0..files.len(),
        proptest::collection::vec((0u8..7, any::<prop::sample::Index>(), nasty_value()), 1..4),
    )
        .prop_map(move |(i, edits)| {
            let (name, text) = &files[i];
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            for (op, at, value) in edits {
                if lines.is_empty() {
                    lines.push(String::new());
                }
                let k = at.index(lines.len());
                let j = at.index(lines.len() * 7 + 3) % lines.len();
                match op {
                    0 => {
                        lines.remove(k);
                    }
                    1 => {
                        let l = lines[k].clone();
                        lines.insert(k, l);
                    }
                    2 => {
                        // A value replaced.
                        if let Some(eq) = lines[k].find('=') {
                            lines[k] = format!("{}= {value}", &lines[k][..eq]);
                        }
                    }
                    3 => {
                        // Two values swapped.
                        let (a, b) = (lines[k].find('='), lines[j].find('='));
                        if let (Some(a), Some(b)) = (a, b) {
                            let (va, vb) = (lines[k][a..].to_string(), lines[j][b..].to_string());
                            lines[k] = format!("{}{vb}", &lines[k][..a]);
                            lines[j] = format!("{}{va}", &lines[j][..b]);
                        }
                    }
                    4 => lines.swap(k, j),
                    5 => {
                        // A deep or odd key.
                        let depth = at.index(400) + 1;
                        lines.insert(k, format!("{} = {value}", vec!["a"; depth].join(".")));
                    }
                    _ => {
                        // A cut inside a line.
                        let cut = at.index(lines[k].len() + 1);
                        let cut = (0..=cut).rev().find(|&c| lines[k].is_char_boundary(c));
                        lines[k].truncate(cut.unwrap_or(0));
                    }
                }
            }
            Case {
                kind: "toml",
                files: vec![(name.clone(), lines.join("\n"))],
                fifos: vec![],
                sets: vec![],
            }
        })
}

/// Keys to override with `--set`, valid and not.
const SET_KEYS: &[&str] = &[
    "run.ticks",
    "run.replicates",
    "run.seed",
    "run.burn_in",
    "world.width",
    "world.height",
    "world.topology",
    "world.map",
    "world.map_inline",
    "world.sectors",
    "citizens.vision",
    "cops.reductions",
    "cops.reductions[0].tick",
    "mission.mandate",
    "mission.mandate.disarmament",
    "mission.contributors[0].name",
    "mission.contributors[other_contributors].troops",
    "mission.factions[9].name",
    "mission.forces.vision_km",
    "mission.civilians.witness_radius_km",
    "extends",
    "name",
    "no.such.key",
    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p",
    "",
    "[",
    "\"quoted\".key",
];

fn set_cases() -> impl Strategy<Value = Case> {
    let files = shipped();
    (
        0..files.len(),
        proptest::collection::vec(
            (
                prop::sample::select(SET_KEYS),
                prop_oneof![nasty_value(), "\\PC{0,8}"],
                any::<bool>(),
            ),
            1..4,
        ),
    )
        .prop_map(move |(i, sets)| {
            let (name, text) = &files[i];
            Case {
                kind: "set",
                files: vec![(name.clone(), text.clone())],
                fifos: vec![],
                sets: sets
                    .into_iter()
                    .map(|(k, v, eq)| {
                        if eq {
                            format!("{k}={v}")
                        } else {
                            format!("{k}{v}")
                        }
                    })
                    .collect(),
            }
        })
}

/// `extends` chains among a few files: cycles, missing files, special files,
/// directories, absolute paths to shipped scenarios.
fn chain_cases() -> impl Strategy<Value = Case> {
    let target = prop_oneof![
        Just("b.toml".to_string()),
        Just("c.toml".to_string()),
        Just("main.toml".to_string()),
        Just("missing.toml".to_string()),
        Just("pipe.toml".to_string()),
        Just("/dev/zero".to_string()),
        Just("/dev/null".to_string()),
        Just(".".to_string()),
        Just("".to_string()),
        Just(format!("{SCENARIOS}/gaza/baseline.toml")),
        Just(format!("{SCENARIOS}/epstein/mesa_default.toml")),
        Just("../../../../../../../etc/hostname".to_string()),
    ];
    let body = prop_oneof![
        Just(String::new()),
        Just("name = \"x\"\n".to_string()),
        Just("[run]\nticks = 5\n".to_string()),
        Just("[world]\nmap = \"pipe.toml\"\n".to_string()),
        Just("[world]\nsectors = \"/dev/zero\"\n".to_string()),
        Just("[world]\nmap = \"b.toml\"\n".to_string()),
        nasty_value().prop_map(|v| format!("name = {v}\n")),
    ];
    proptest::collection::vec((target, body), 1..4).prop_map(|links| {
        let names = ["main.toml", "b.toml", "c.toml"];
        let files = links
            .into_iter()
            .enumerate()
            .map(|(i, (target, body))| {
                (
                    names[i].to_string(),
                    format!("extends = {target:?}\n{body}"),
                )
            })
            .collect();
        Case {
            kind: "extends",
            files,
            fifos: vec!["pipe.toml".to_string()],
            sets: vec![],
        }
    })
}

/// Map files: random grids over a small legend, ragged, empty, wide,
/// with stray characters, and a sector map beside them.
fn map_cases() -> impl Strategy<Value = Case> {
    let row = prop_oneof![
        "[.u#~]{0,30}",
        "[.u#~Z12\\r\\t ]{0,30}",
        "\\PC{0,10}",
        (1usize..20_000).prop_map(|n| ".".repeat(n)),
    ];
    (
        proptest::collection::vec(row.clone(), 0..30),
        proptest::collection::vec(row, 0..30),
        any::<bool>(),
    )
        .prop_map(|(map, sectors, with_sectors)| {
            let mut main = format!(
                "extends = \"{SCENARIOS}/epstein/mesa_default.toml\"\nname = \"m\"\n\
                 [world]\ntopology = \"bounded\"\nmap = \"map.txt\"\n"
            );
            if with_sectors {
                main.push_str("sectors = \"sectors.txt\"\n");
            }
            main.push_str(
                "[world.legend]\n\".\" = \"open\"\n\"u\" = \"urban\"\n\"#\" = \"blocked\"\n\
                 \"~\" = \"sea\"\n\"Z\" = \"crossing\"\n[world.sector_names]\n\"1\" = \"north\"\n\
                 \"2\" = \"south\"\n",
            );
            Case {
                kind: "map",
                files: vec![
                    ("main.toml".to_string(), main),
                    ("map.txt".to_string(), map.join("\n")),
                    ("sectors.txt".to_string(), sectors.join("\n")),
                ],
                fifos: vec![],
                sets: vec![],
            }
        })
}

fn any_case() -> impl Strategy<Value = Case> {
    prop_oneof![
        4 => mutated_toml(),
        2 => set_cases(),
        2 => chain_cases(),
        2 => map_cases(),
    ]
}

// ---------------------------------------------------------------------------
// Running a case.

/// What a case did.
#[derive(Debug)]
enum Outcome {
    Accepted,
    Rejected(String),
}

/// Loads the case; `Err` describes a failure of the loader (a panic, an
/// unlocated rejection).
fn load_case(case: &Case) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = scenarios_dir().display().to_string();
    let fill = |text: &str| text.replace(SCENARIOS, &root);
    for fifo in &case.fifos {
        make_fifo(&dir.path().join(fifo));
    }
    let mut main = None;
    for (name, text) in &case.files {
        let (path, in_memory) = if name.starts_with(SCENARIOS) {
            (PathBuf::from(fill(name)), true)
        } else {
            (dir.path().join(name), false)
        };
        if !in_memory {
            fs::write(&path, fill(text)).map_err(|e| e.to_string())?;
        }
        main.get_or_insert((path, in_memory, fill(text)));
    }
    let (path, in_memory, text) = main.ok_or("a case without files")?;
    let result = if in_memory {
        scenario::load_str(&text, &path.display().to_string(), &case.sets)
    } else {
        scenario::load(&path, &case.sets)
    };
    match result {
        Ok(_) => Ok(Outcome::Accepted),
        Err(e) => {
            let message = e.to_string();
            if located(&e) && !message.contains('\n') {
                Ok(Outcome::Rejected(message))
            } else {
                Err(format!("unlocated rejection: {message}"))
            }
        }
    }
}

/// A line and column in a file, or a `--set` argument.
fn located(e: &ScenarioError) -> bool {
    match e.location() {
        Some(l) => l.line.is_some() || is_set_file(&l.file),
        None => false,
    }
}

#[cfg(unix)]
fn make_fifo(path: &Path) {
    let _ = std::process::Command::new("mkfifo").arg(path).status();
}

#[cfg(not(unix))]
fn make_fifo(_: &Path) {}

/// Runs `case` on its own thread: a panic is caught there, a hang is seen
/// here as no answer within `deadline` (the thread is then left behind).
fn run_case(case: &Case, deadline: Duration) -> (Result<Outcome, String>, Duration) {
    let (tx, rx) = mpsc::channel();
    let owned = case.clone();
    let started = Instant::now();
    std::thread::spawn(move || {
        let result = std::panic::catch_unwind(|| load_case(&owned));
        let _ = tx.send(result);
    });
    let result = match rx.recv_timeout(deadline) {
        Ok(Ok(r)) => r,
        Ok(Err(panic)) => Err(format!(
            "panic: {}",
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
        Err(_) => Err(format!("hang: no answer within {deadline:?}")),
    };
    (result, started.elapsed())
}

/// Counts over a run of cases.
#[derive(Default)]
struct Figures {
    cases: u64,
    accepted: u64,
    rejected: u64,
    failures: Vec<String>,
    slowest: (Duration, String),
    by_kind: std::collections::BTreeMap<&'static str, u64>,
}

impl Figures {
    fn add(&mut self, case: &Case, result: &Result<Outcome, String>, took: Duration) {
        self.cases += 1;
        *self.by_kind.entry(case.kind).or_default() += 1;
        match result {
            Ok(Outcome::Accepted) => self.accepted += 1,
            Ok(Outcome::Rejected(_)) => self.rejected += 1,
            Err(e) => self.failures.push(format!("{e}\n  case: {case:?}")),
        }
        if took > self.slowest.0 {
            self.slowest = (took, format!("{} {:?}", case.kind, case.sets));
        }
    }
}

fn deadline() -> Duration {
    let secs = std::env::var("STABSIM_FUZZ_DEADLINE_S")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20.0);
    Duration::from_secs_f64(secs)
}

#[test]
fn fuzzed_inputs_never_panic_hang_or_go_unlocated() {
    let cases: u32 = std::env::var("STABSIM_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let seed: u64 = std::env::var("STABSIM_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let config = Config {
        cases,
        failure_persistence: None,
        // A failing case is reported as found: shrinking re-runs slow cases.
        max_shrink_iters: 0,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng);
    let figures = Mutex::new(Figures::default());
    let deadline = deadline();
    let started = Instant::now();
    let outcome = runner.run(&any_case(), |case| {
        let (result, took) = run_case(&case, deadline);
        figures.lock().unwrap().add(&case, &result, took);
        Ok(())
    });
    let f = figures.into_inner().unwrap();
    println!(
        "fuzz: {} cases ({:?}), {} accepted, {} rejected with a location, {} failures \
         (panics, hangs over {deadline:?}, unlocated); slowest {:.3} s ({}); wall {:.1} s",
        f.cases,
        f.by_kind,
        f.accepted,
        f.rejected,
        f.failures.len(),
        f.slowest.0.as_secs_f64(),
        f.slowest.1,
        started.elapsed().as_secs_f64()
    );
    outcome.unwrap();
    assert!(
        f.failures.is_empty(),
        "{} failures, the first:\n{}",
        f.failures.len(),
        f.failures[..f.failures.len().min(5)].join("\n")
    );
}

// ---------------------------------------------------------------------------
// The corpus: cases kept because they found a bug or stand for a category.
//
// Format: `# set: ARG` lines, then sections `# ---- file NAME ----` (the
// first is loaded) and `# ---- fifo NAME ----`; `# expect: ok` or
// `# expect: FRAGMENT` (the message contains it).

fn parse_corpus(text: &str) -> (Case, String) {
    let mut case = Case {
        kind: "corpus",
        files: vec![],
        fifos: vec![],
        sets: vec![],
    };
    let mut expect = String::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = bare.strip_prefix("# ---- ") {
            if let Some(f) = current.take() {
                case.files.push(f);
            }
            let rest = rest.trim_end_matches(" ----");
            if let Some(name) = rest.strip_prefix("file ") {
                current = Some((name.to_string(), String::new()));
            } else if let Some(name) = rest.strip_prefix("fifo ") {
                case.fifos.push(name.to_string());
            }
        } else if let Some((_, body)) = &mut current {
            body.push_str(line);
        } else if let Some(arg) = bare.strip_prefix("# set: ") {
            case.sets.push(arg.to_string());
        } else if let Some(e) = bare.strip_prefix("# expect: ") {
            expect = e.to_string();
        }
    }
    if let Some(f) = current.take() {
        case.files.push(f);
    }
    (case, expect)
}

#[test]
fn the_fuzz_corpus_replays() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "{} corpus cases", paths.len());
    for path in paths {
        let (case, expect) = parse_corpus(&fs::read_to_string(&path).unwrap());
        if !case.fifos.is_empty() && cfg!(not(unix)) {
            continue;
        }
        let (result, took) = run_case(&case, deadline());
        let name = path.file_name().unwrap().to_string_lossy();
        match result {
            Ok(Outcome::Accepted) => assert_eq!(expect, "ok", "{name}: accepted"),
            Ok(Outcome::Rejected(message)) => assert!(
                expect != "ok" && message.contains(&expect),
                "{name}: {message} (expected {expect:?})"
            ),
            Err(e) => panic!("{name}: {e}"),
        }
        assert!(took < Duration::from_secs(10), "{name}: {took:?}");
    }
}
