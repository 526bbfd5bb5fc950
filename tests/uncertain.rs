//! `stabsim compare … --uncertain DESIGN` as a user meets it: the tidy
//! per-run table, the shares with their intervals, the PRIM boxes and the
//! report section; bytes independent of the thread count; bad designs
//! refused with one located message (exit 2) and nothing written; a run
//! killed during its robustness part resumes to the same bytes.

mod common;

use common::{all_bytes, rows, spawn, stabsim, stderr};

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BASE: &str = "scenarios/gaza/baseline.toml";
const LARGE: &str = "scenarios/gaza/force_large.toml";
const DESIGN: &str =
    "8:mission.civilians.trust_harm_loss,mission.civilians.rumour_weight=0.03:0.09";

/// The baseline and a larger force over `design`, 2 replicates of `ticks`
/// days, with `extra` flags.
fn compare_args(
    out: &Path,
    threads: &str,
    design: &str,
    ticks: &str,
    extra: &[&str],
) -> Vec<String> {
    let mut args = [
        "compare",
        BASE,
        LARGE,
        "-n",
        "2",
        "--ticks",
        ticks,
        "--threads",
        threads,
        "-q",
        "--uncertain",
        design,
        "--out",
    ]
    .map(String::from)
    .to_vec();
    args.push(out.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// The baseline and a larger force, 8 points x 2 replicates x 60 days.
fn compare(out: &Path, threads: &str, design: &str) -> Output {
    stabsim(&compare_args(out, threads, design, "60", &[]))
}

#[test]
fn robustness_files_and_section_independent_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let o = compare(&one, "1", DESIGN);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = compare(&two, "2", DESIGN);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["uncertain.csv", "robustness.csv", "prim.csv"] {
        assert_eq!(
            fs::read(one.join(f)).unwrap(),
            fs::read(two.join(f)).unwrap(),
            "{f} depends on the thread count"
        );
    }
    // The reports differ in the command line they quote (--threads,
    // --out); the robustness section does not.
    let section = |dir: &Path| {
        let md = fs::read_to_string(dir.join("report.md")).unwrap();
        let a = md.find("## Robustness over the plausible space").unwrap();
        let b = md.find("## Key assumptions").unwrap();
        md[a..b].to_string()
    };
    assert_eq!(section(&one), section(&two));

    // Tidy: a row per point x scenario x replicate, the point's values.
    let u = rows(&one.join("uncertain.csv"));
    assert_eq!(
        &u[0][..6],
        [
            "point",
            "mission.civilians.trust_harm_loss",
            "mission.civilians.rumour_weight",
            "scenario",
            "replicate",
            "seed"
        ]
    );
    assert_eq!(u.len() - 1, 8 * 2 * 2);
    let deaths = u[0].iter().position(|h| h == "civilian_deaths").unwrap();
    for r in &u[1..] {
        let x: f64 = r[2].parse().unwrap();
        assert!((0.03..=0.09).contains(&x), "rumour_weight {x}");
        let y: f64 = r[1].parse().unwrap();
        assert!(
            (0.025..=0.1).contains(&y),
            "trust_harm_loss plausible range: {y}"
        );
    }
    // Paired: the same point and replicate differ only by the lever, so
    // the robustness counts follow from these rows.
    let pair = |p: usize, s: &str, i: usize| -> f64 {
        u[1..]
            .iter()
            .find(|r| r[0] == p.to_string() && r[3] == s && r[4] == i.to_string())
            .unwrap()[deaths]
            .parse()
            .unwrap()
    };
    let wins = (0..8)
        .filter(|&p| {
            let d: f64 = (0..2)
                .map(|i| pair(p, "force_large", i) - pair(p, "baseline", i))
                .sum();
            d < 0.0
        })
        .count();

    let r = rows(&one.join("robustness.csv"));
    assert_eq!(
        r[0],
        [
            "mandate",
            "measure",
            "better",
            "points",
            "beats",
            "share",
            "ci_low",
            "ci_high",
            "ties",
            "undecided",
            "judged",
            "replicates",
            "parameters"
        ]
    );
    let row = r
        .iter()
        .find(|x| x[0] == "force_large" && x[1] == "civilian_deaths")
        .unwrap();
    assert_eq!(row[3], "8");
    assert_eq!(row[4], wins.to_string());
    let (share, lo, hi): (f64, f64, f64) = (
        row[5].parse().unwrap(),
        row[6].parse().unwrap(),
        row[7].parse().unwrap(),
    );
    assert_eq!(share, wins as f64 / 8.0);
    assert!(lo <= share && share <= hi && lo >= 0.0 && hi <= 1.0);
    assert!(hi - lo > 0.2, "8 points leave a wide interval");
    assert_eq!((row[11].as_str(), row[12].as_str()), ("2", "2"));

    let p = rows(&one.join("prim.csv"));
    assert_eq!(p[0][..4], ["mandate", "measure", "cases", "points"]);
    let prim: Vec<_> = p
        .iter()
        .filter(|x| x[0] == "force_large" && x[1] == "civilian_deaths")
        .collect();
    assert!(!prim.is_empty());
    assert_eq!(prim[0][2], (8 - wins).to_string());

    let md = fs::read_to_string(one.join("report.md")).unwrap();
    assert!(
        md.contains("## Robustness over the plausible space"),
        "{md}"
    );
    assert!(
        md.contains("force_large beats the baseline on civilian deaths in"),
        "{md}"
    );
    let html = fs::read_to_string(one.join("report.html")).unwrap();
    assert!(html.contains("<section id=\"robustness\">"));
    let manifest = fs::read_to_string(one.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"prim.csv\""), "{manifest}");

    // `stabsim plot` redraws the section from the files.
    let o = stabsim(&["plot", one.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(one.join("report.md")).unwrap(), md);
}

#[test]
fn bad_designs_are_refused_with_a_located_message() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("x");
    for (design, says) in [
        ("8:mission.civilians.trust_harm_los", "did you mean"),
        (
            "8:mission.civilians.trust_harm_loss=0.5:0.1",
            "is not a range",
        ),
        ("8:mission.civilians.trust_harm_loss=-1:2", "accepted range"),
        ("0", "0 design points"),
        (
            "8:mission.mandate.force_scale",
            "a lever the mandates differ in",
        ),
        ("missing.toml", "no such file"),
    ] {
        let o = compare(&out, "1", design);
        assert_eq!(o.status.code(), Some(2), "{design}: {}", stderr(&o));
        let e = stderr(&o);
        assert_eq!(e.trim().lines().count(), 1, "{design}: {e}");
        assert!(e.contains(says), "{design}: {e}");
        assert!(!out.exists(), "{design}: wrote outputs");
    }
    // A TOML design with an unknown key: the file and line.
    let file = tmp.path().join("d.toml");
    fs::write(&file, "points = 8\nreplicate = 2\n").unwrap();
    let o = compare(&out, "1", file.to_str().unwrap());
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("d.toml:2: unknown field `replicate`"), "{e}");
    assert!(!out.exists());
}

/// The design points the robustness run of a comparison into `out` keeps
/// (a file per point and scenario).
fn kept_points(out: &Path) -> usize {
    let store = stabsim::output::resume::store_dir(out);
    stabsim::sweep::store::kept_count(&store.join("uncertain-points"))
}

/// Starts `args`, sends `sig` once the robustness run keeps `at` point
/// files (or the run ends), and returns its exit code and stderr.
fn kill_after_points(args: &[String], out: &Path, at: usize, sig: &str) -> (Option<i32>, String) {
    let mut child = spawn(args);
    let deadline = Instant::now() + Duration::from_secs(300);
    while kept_points(out) < at && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status();
    let o = child.wait_with_output().unwrap();
    (o.status.code(), stderr(&o))
}

#[test]
fn a_comparison_killed_in_its_robustness_part_resumes_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    // Every run writes to the same path, so the recorded commands match.
    let out = tmp.path().join("out");
    let args = |design: &str, extra: &[&str]| compare_args(&out, "1", design, "30", extra);
    let design = "6:mission.civilians.trust_harm_loss,mission.civilians.rumour_weight";
    let o = stabsim(&args(design, &[]));
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = all_bytes(&out);
    let store = stabsim::output::resume::store_dir(&out);
    assert!(!store.exists(), "the kept points outlive the outputs");
    fs::remove_dir_all(&out).unwrap();

    // Killed (SIGKILL) after the first window of the baseline's points,
    // then interrupted (Ctrl-C) while resuming, in the mandate's points;
    // one thread: windows of two points, so 12 files in 6 writes.
    let resumed = args(design, &["--resume"]);
    let (_, first) = kill_after_points(&args(design, &[]), &out, 2, "-KILL");
    let after_kill = kept_points(&out);
    assert!(!out.exists(), "a killed run wrote outputs: {first}");
    let (code, msg) = kill_after_points(&resumed, &out, 8, "-INT");
    let after_int = kept_points(&out);
    if code == Some(130) {
        assert!(
            msg.contains("interrupted")
                && msg.contains(&format!("{after_int} finished design points"))
                && msg.contains("uncertain-points")
                && msg.contains("Resume with:")
                && msg.contains("--resume"),
            "{msg}"
        );
        assert!((8..12).contains(&after_int), "{after_int} kept: {msg}");
        assert!(!out.exists(), "an interrupted run wrote outputs");
    }

    // A resume with another design is refused, one located message, and
    // loses nothing kept (unless the run ended before the interrupt).
    assert!(store.exists() || out.exists(), "{code:?}: {msg}");
    let other = args("6:mission.civilians.trust_harm_loss", &["--resume"]);
    if store.exists() {
        let o = stabsim(&other);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("uncertain-points") && e.contains("state.json") && e.contains("design"),
            "{e}"
        );
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        assert_eq!(
            kept_points(&out),
            after_int,
            "a refused resume lost kept points"
        );
    }

    let o = stabsim(&resumed);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        all_bytes(&out),
        expected,
        "killed after {after_kill} point files, interrupted after {after_int} ({code:?})"
    );
    assert!(!store.exists(), "the kept points outlive the outputs");
}
