//! `stabsim compare … --uncertain DESIGN` as a user meets it: the tidy
//! per-run table, the shares with their intervals, the PRIM boxes and the
//! report section; bytes independent of the thread count; bad designs
//! refused with one located message (exit 2) and nothing written.

mod common;

use common::{rows, stabsim, stderr};

use std::fs;
use std::path::Path;
use std::process::Output;

const BASE: &str = "scenarios/gaza/baseline.toml";
const LARGE: &str = "scenarios/gaza/force_large.toml";
const DESIGN: &str =
    "8:mission.civilians.trust_harm_loss,mission.civilians.rumour_weight=0.03:0.09";

/// The baseline and a larger force, 8 points x 2 replicates x 60 days.
fn compare(out: &Path, threads: &str, design: &str) -> Output {
    stabsim(&[
        "compare",
        BASE,
        LARGE,
        "-n",
        "2",
        "--ticks",
        "60",
        "--threads",
        threads,
        "-q",
        "--uncertain",
        design,
        "--out",
        out.to_str().unwrap(),
    ])
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
