//! Outputs for pandas and R (issue 15, item 4): every per-replicate file
//! carries the scenario, a comparison writes one tidy table of runs with
//! the levers as columns, no cell is a negative zero, and `--outputs`
//! controls what is written.

mod common;

use common::{stabsim, text};

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

fn comparison(out: &Path, outputs: &str) -> Output {
    stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "--replicates",
        "3",
        "--ticks",
        "40",
        "--map-days",
        "10,40",
        "--outputs",
        outputs,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Every CSV file under `dir`.
fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(csv_files(&path));
        } else if path.extension().is_some_and(|x| x == "csv") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn a_comparison_writes_tidy_tables_without_negative_zeros() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = comparison(&out, "standard");
    assert!(o.status.success(), "{}", text(&o.stderr));

    // One long table of every run: scenario, replicate, seed, the lever
    // that differs, then the outcomes.
    let (header, runs) = rows(&out.join("runs.csv"));
    assert_eq!(header[..3], ["scenario", "replicate", "seed"]);
    let lever = header
        .iter()
        .position(|h| h == "mission.mandate.force_scale")
        .expect("the lever force_large changes is a column");
    assert!(header.iter().any(|h| h == "civilian_deaths"), "{header:?}");
    assert!(header.iter().any(|h| h == "trust_share_mean"), "{header:?}");
    assert_eq!(runs.len(), 6);
    let of = |name: &str| -> Vec<&Vec<String>> { runs.iter().filter(|r| r[0] == name).collect() };
    let (base, large) = (of("gaza_baseline"), of("gaza_force_large"));
    assert_eq!((base.len(), large.len()), (3, 3));
    assert_ne!(base[0][lever], large[0][lever]);
    assert_eq!(base[2][1], "2");

    // Each scenario's per-replicate files name the scenario on every row,
    // and the comparison's table repeats the scenario's own runs.csv.
    for s in ["gaza_baseline", "gaza_force_large"] {
        for f in ["runs.csv", "timeseries.csv"] {
            let (header, rows) = rows(&out.join(s).join(f));
            assert_eq!(header[..2], ["scenario", "replicate"], "{s}/{f}");
            assert!(rows.iter().all(|r| r[0] == s), "{s}/{f}");
        }
        let (h, own) = rows(&out.join(s).join("runs.csv"));
        let deaths = h.iter().position(|c| c == "civilian_deaths").unwrap();
        let top = header.iter().position(|c| c == "civilian_deaths").unwrap();
        let pooled: Vec<&String> = of(s).iter().map(|r| &r[top]).collect();
        let own: Vec<&String> = own.iter().map(|r| &r[deaths]).collect();
        assert_eq!(pooled, own, "{s}");
    }

    // Standard outputs: frames only where maps are drawn (the baseline).
    assert!(out.join("gaza_baseline/frames.csv").is_file());
    assert!(!out.join("gaza_force_large/frames.csv").exists());

    // No cell anywhere reads as a negative zero.
    let files = csv_files(&out);
    assert!(files.len() >= 8, "{files:?}");
    for path in files {
        let (_, rows) = rows(&path);
        for (k, row) in rows.iter().enumerate() {
            for cell in row {
                let negative_zero =
                    cell.starts_with('-') && cell.parse::<f64>().is_ok_and(|v| v == 0.0);
                assert!(!negative_zero, "{}: row {k} has {cell:?}", path.display());
            }
        }
    }
}

#[test]
fn outputs_minimal_and_full() {
    let tmp = tempfile::tempdir().unwrap();
    let run = tmp.path().join("run");
    let o = stabsim(&[
        "run",
        "scenarios/epstein/mesa_app_default.toml",
        "-n",
        "3",
        "--ticks",
        "150",
        "--outputs",
        "minimal",
        "--quiet",
        "--out",
        run.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mut names: Vec<String> = fs::read_dir(&run)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "manifest.json",
            "runs.csv",
            "scenario.resolved.toml",
            "summary.csv"
        ]
    );
    // A minimal folder can still be redrawn.
    let o = stabsim(&["plot", run.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));

    let out = tmp.path().join("full");
    let o = comparison(&out, "full");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(out.join("gaza_force_large/frames.csv").is_file());

    let o = stabsim(&[
        "run",
        "scenarios/epstein/mesa_app_default.toml",
        "--outputs",
        "all",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
