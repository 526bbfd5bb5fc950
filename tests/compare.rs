//! `stabsim compare` and `stabsim plot` as a user meets them: a small
//! comparison of Gaza mandates writes its report, tables and charts; the
//! scenarios share their starting world (common random numbers); `plot`
//! redraws the same bytes; bad input exits 2 with a located message.

mod common;

use common::{stabsim, text};

use std::fs;
use std::path::Path;
use std::process::Output;

/// Baseline and two levers, 4 replicates of 60 days.
fn small_comparison(out: &Path, threads: &str) -> Output {
    stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "scenarios/gaza/deployment_late.toml",
        "--replicates",
        "4",
        "--ticks",
        "60",
        "--map-days",
        "10,60",
        "--threads",
        threads,
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ])
}

const TOP_FILES: [&str; 12] = [
    "comparison.json",
    "moe.csv",
    "violence_by_mandate.png",
    "trust_by_mandate.svg",
    "key_metrics.png",
    "forest.png",
    "survival.png",
    "map_day010.png",
    "map_day060.png",
    "animation.gif",
    "report.html",
    "report.md",
];

/// The rows of `moe.csv`, each a map from column to text.
fn moe_rows(moe: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(moe.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Holm's step-down adjustment, written out independently of the crate:
/// sort ascending, multiply the i-th smallest (0-based) by m − i, take the
/// running maximum, cap at 1.
fn holm_by_hand(p: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].partial_cmp(&p[b]).unwrap());
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (i, &k) in order.iter().enumerate() {
        running = running.max(((m - i) as f64 * p[k]).min(1.0));
        out[k] = running;
    }
    out
}

fn bytes_of(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_comparison_writes_its_report_and_plot_redraws_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = small_comparison(&out, "2");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let last = text(&o.stdout).lines().last().unwrap_or("").to_string();
    assert_eq!(
        last,
        format!("report: {}", out.join("report.html").display())
    );
    for f in TOP_FILES.iter().chain(&["manifest.json"]) {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    for s in ["gaza_baseline", "gaza_force_large", "gaza_deployment_late"] {
        assert!(
            out.join(s).join("manifest.json").is_file(),
            "{s} incomplete"
        );
        // Standard outputs: frames.csv only where maps are drawn.
        assert_eq!(
            out.join(s).join("frames.csv").is_file(),
            s == "gaza_baseline",
            "{s}: frames.csv"
        );
    }

    // The MOE table: every measure of a 60-day run (no earlier horizon) per
    // scenario, the baseline without a difference, a late deployment with
    // more civilian deaths; with 4 replicates nothing is tested ("n < 5: too
    // few") and nothing is significant.
    let moe = text(&bytes_of(&out, "moe.csv"));
    let rows = moe_rows(&moe);
    assert_eq!(rows.len(), 3 * 13, "{moe}");
    let row = |scenario: &str, measure: &str| -> &std::collections::BTreeMap<String, String> {
        rows.iter()
            .find(|r| r["scenario"] == scenario && r["measure"] == measure)
            .unwrap_or_else(|| panic!("no row {scenario},{measure}"))
    };
    assert_eq!(row("gaza_baseline", "civilian_deaths")["diff"], "");
    // Mean trust beside the share trusting: a level in (0, 1), not a share
    // at its floor.
    let trust: f64 = row("gaza_baseline", "mean_trust")["mean"].parse().unwrap();
    assert!(trust > 0.2 && trust < 0.6, "mean trust {trust}");
    let late: f64 = row("gaza_deployment_late", "civilian_deaths")["diff"]
        .parse()
        .unwrap();
    assert!(late > 0.0, "late deployment should cost lives: {late}");
    for r in rows.iter().filter(|r| r["scenario"] != "gaza_baseline") {
        assert_eq!(r["significant"], "false", "{r:?}");
        assert!(r["p_holm"].is_empty(), "{r:?}");
        assert!(
            ["n < 5: too few", "not reached"].contains(&r["status"].as_str()),
            "{r:?}"
        );
    }
    // No run hands over within 60 days: "not reached", never a number.
    let handover = row("gaza_force_large", "days_to_handover");
    assert_eq!(
        (handover["mean"].as_str(), handover["status"].as_str()),
        ("", "not reached")
    );
    assert_eq!(handover["diff"], "");

    // The report is self-contained and names every scenario.
    let html = text(&bytes_of(&out, "report.html"));
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("data:image/png;base64,") && html.contains("data:image/gif;base64,"));
    for name in ["baseline", "force_large", "deployment_late"] {
        assert!(html.contains(name), "report lacks {name}");
    }
    assert!(html.contains("does not forecast"));
    let md = text(&bytes_of(&out, "report.md"));
    assert!(md.contains("](forest.png)"));

    // Same outputs with one thread; `plot` redraws identical bytes.
    let again = tmp.path().join("cmp1");
    assert!(small_comparison(&again, "1").status.success());
    let before: Vec<Vec<u8>> = TOP_FILES.iter().map(|f| bytes_of(&out, f)).collect();
    for (f, b) in TOP_FILES.iter().zip(&before) {
        if *f != "comparison.json" && *f != "report.html" && *f != "report.md" {
            assert_eq!(&bytes_of(&again, f), b, "{f} differs across thread counts");
        }
    }
    let p = stabsim(&["plot", out.to_str().unwrap()]);
    assert!(p.status.success(), "{}", text(&p.stderr));
    for (f, b) in TOP_FILES.iter().zip(&before) {
        assert_eq!(&bytes_of(&out, f), b, "{f} changed when redrawn");
    }
    assert_eq!(
        bytes_of(&out.join("gaza_baseline"), "violence.png"),
        bytes_of(&again.join("gaza_baseline"), "violence.png")
    );

    // Data edited after the run are not redrawn as if the run wrote them.
    let runs = again.join("gaza_baseline").join("runs.csv");
    let mut edited = fs::read(&runs).unwrap();
    edited.extend_from_slice(b"\n");
    fs::write(&runs, edited).unwrap();
    let report = bytes_of(&again, "report.html");
    let p = stabsim(&["plot", again.to_str().unwrap()]);
    let err = text(&p.stderr);
    assert_eq!(p.status.code(), Some(2), "{err}");
    assert!(
        err.contains("runs.csv: changed since the run wrote it"),
        "{err}"
    );
    assert_eq!(bytes_of(&again, "report.html"), report, "nothing redrawn");
}

/// With enough replicates every tested difference has a p-value, and
/// `p_holm` is Holm's adjustment of all of them together (the whole
/// comparison is one family); significance follows the adjusted value; a
/// comparison file's weights reach the ranking and a measure on which every
/// run ties is named in the report.
#[test]
fn moe_csv_adjusts_every_p_value_over_the_comparison() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cmp.toml");
    let root = env!("CARGO_MANIFEST_DIR");
    fs::write(
        &file,
        format!(
            "scenarios = [\"{root}/scenarios/gaza/baseline.toml\", \"{root}/scenarios/gaza/deployment_late.toml\", \"{root}/scenarios/gaza/force_large.toml\"]\n\
             weights = {{ civilian_deaths = 3, days_to_handover = 1 }}\n"
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = stabsim(&[
        "compare",
        file.to_str().unwrap(),
        "--replicates",
        "6",
        "--ticks",
        "40",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let moe = text(&bytes_of(&out, "moe.csv"));
    let rows = moe_rows(&moe);
    let tested: Vec<_> = rows.iter().filter(|r| !r["p_value"].is_empty()).collect();
    assert!(tested.len() >= 4, "{moe}");
    let p: Vec<f64> = tested
        .iter()
        .map(|r| r["p_value"].parse().unwrap())
        .collect();
    for (r, want) in tested.iter().zip(holm_by_hand(&p)) {
        let got: f64 = r["p_holm"].parse().unwrap();
        assert!((got - want).abs() < 1e-12, "{r:?}: Holm {want}");
        assert!(!r["p_bh"].is_empty());
        assert_eq!(r["significant"], (got < 0.05).to_string(), "{r:?}");
    }
    for r in rows.iter().filter(|r| r["p_value"].is_empty()) {
        assert_eq!(
            r["significant"],
            if r["scenario"] == "gaza_baseline" {
                ""
            } else {
                "false"
            }
        );
    }
    let weight = |m: &str| rows.iter().find(|r| r["measure"] == m).unwrap()["weight"].clone();
    assert_eq!(
        (
            weight("civilian_deaths").as_str(),
            weight("attacks_on_mission").as_str()
        ),
        ("3", "1")
    );
    // Nobody hands over in 40 days: left out of the ranking and named.
    let md = text(&bytes_of(&out, "report.md"));
    assert!(
        md.contains("Left out because every run of every scenario has the same value: ")
            && md.contains("days to full handover (restricted mean)."),
        "{md}"
    );
    assert!(md.contains("Holm-adjusted"));
}

#[test]
fn every_mandate_starts_from_the_same_world() {
    // Day 0 of replicate i: the same people in the same statuses, with the
    // same trust and legitimacy, whatever the lever (common random numbers).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/exclusion.toml",
        "scenarios/gaza/posture_military.toml",
        "-n",
        "3",
        "--ticks",
        "5",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let day0 = |s: &str| -> Vec<Vec<String>> {
        let t = text(&bytes_of(&out.join(s), "timeseries.csv"));
        let mut lines = t.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let keep: Vec<usize> = [
            "quiescent",
            "active",
            "recruited",
            "trust_mean",
            "legitimacy_mean",
            "fighters",
        ]
        .iter()
        .map(|m| header.iter().position(|h| h == m).unwrap())
        .collect();
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|r| r[2] == "0") // scenario,replicate,tick,…
            .map(|r| keep.iter().map(|&k| r[k].to_string()).collect())
            .collect()
    };
    let base = day0("gaza_baseline");
    assert_eq!(base.len(), 3);
    assert_ne!(base[0], base[1], "replicates must differ from each other");
    assert_eq!(day0("gaza_posture_military"), base);
    // Exclusion marks former officials at setup but moves no one.
    assert_eq!(day0("gaza_exclusion")[0][..3], base[0][..3]);
}

#[test]
fn bad_comparison_input_exits_2_with_a_located_message() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cmp.toml");
    fs::write(&file, "scenarios = [\"x.toml\"]\nreplicats = 3\n").unwrap();
    let o = stabsim(&["compare", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cmp.toml:2:1") && err.contains("replicats"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let o = stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "--baseline",
        "nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--baseline"));

    let o = stabsim(&["plot", tmp.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no comparison.json"));
}

// ---- Issue 12, item 5: no silent traps (output folders, --set, map days).

/// Names in a folder, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn a_reused_comparison_folder_has_no_stale_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = small_comparison(&out, "2");
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Files of an earlier, longer run that this one does not write.
    fs::write(out.join("map_day365.png"), "stale").unwrap();
    fs::write(out.join("gaza_baseline").join("old.csv"), "stale").unwrap();
    fs::create_dir(out.join("gaza_fast_exit")).unwrap();
    let o = small_comparison(&out, "2");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!out.join("map_day365.png").exists());
    assert!(!out.join("gaza_baseline").join("old.csv").exists());
    assert!(!out.join("gaza_fast_exit").exists());
    // Exactly the manifest's files and the scenarios' folders.
    let manifest: serde_json::Value =
        serde_json::from_slice(&bytes_of(&out, "manifest.json")).unwrap();
    let mut expected: Vec<String> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .chain(["manifest.json".to_string()])
        .chain(
            manifest["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string()),
        )
        .collect();
    expected.sort();
    assert_eq!(names_in(&out), expected);
    // Nothing left beside it: no staging or old folder.
    assert_eq!(names_in(tmp.path()), ["cmp"]);
}

#[test]
fn a_variant_that_set_makes_identical_to_the_baseline_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    // force_large differs from the baseline only in force_scale = 2.
    let o = stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "scenarios/gaza/deployment_late.toml",
        "-n",
        "2",
        "--ticks",
        "20",
        "--set",
        "mission.mandate.force_scale=2",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let warning = "gaza_force_large runs exactly as the baseline";
    assert!(err.contains(&format!("warning: {warning}")), "{err}");
    assert!(err.contains("--set mission.mandate.force_scale=2"), "{err}");
    assert!(!err.contains("gaza_deployment_late runs exactly"), "{err}");
    for report in ["report.html", "report.md"] {
        let r = text(&bytes_of(&out, report));
        assert!(r.contains(warning), "{report} lacks the warning");
        assert!(!r.contains("gaza_deployment_late runs exactly"));
    }
    // `plot` redraws the same warning from comparison.json.
    let p = stabsim(&["plot", out.to_str().unwrap()]);
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert!(text(&bytes_of(&out, "report.md")).contains(warning));
}

#[test]
fn a_comparison_file_applies_overrides_to_one_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = tmp.path().join("cmp.toml");
    let scenarios = format!(
        "scenarios = [{:?}, {:?}]\nreplicates = 2\n",
        root.join("scenarios/gaza/baseline.toml"),
        root.join("scenarios/gaza/force_large.toml")
    );
    fs::write(
        &file,
        format!("{scenarios}[set]\nforce_large = [\"mission.mandate.force_scale=3\"]\n"),
    )
    .unwrap();
    let out = tmp.path().join("cmp");
    let o = stabsim(&[
        "compare",
        file.to_str().unwrap(),
        "--ticks",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let scale = |s: &str| -> String {
        text(&bytes_of(&out.join(s), "scenario.resolved.toml"))
            .lines()
            .find(|l| l.starts_with("force_scale"))
            .unwrap()
            .to_string()
    };
    assert_eq!(scale("gaza_force_large"), "force_scale = 3.0");
    assert_eq!(scale("gaza_baseline"), "force_scale = 1.0");
    assert!(!text(&o.stderr).contains("warning"), "{}", text(&o.stderr));

    // A key that names no scenario is a located error.
    fs::write(&file, format!("{scenarios}[set]\nforce_huge = [\"x=1\"]\n")).unwrap();
    let o = stabsim(&["compare", file.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("cmp.toml") && err.contains("set.force_huge"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn map_days_are_drawn_exactly_as_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    let o = stabsim(&[
        "compare",
        "scenarios/gaza/baseline.toml",
        "scenarios/gaza/force_large.toml",
        "-n",
        "2",
        "--ticks",
        "20",
        "--map-days",
        "7,13",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Days 7 and 13 are off the 10-day frame grid: drawn as asked, not
    // rounded to day 10.
    for f in ["map_day007.png", "map_day013.png", "map_day013.svg"] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    assert!(!out.join("map_day010.png").exists());
    let frames = text(&bytes_of(&out.join("gaza_baseline"), "frames.csv"));
    let mut ticks: Vec<&str> = frames
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    ticks.dedup();
    assert!(
        frames.starts_with("scenario,replicate,tick,"),
        "{frames:.80}"
    );
    assert!(
        frames
            .lines()
            .skip(1)
            .all(|l| l.starts_with("gaza_baseline,0,")),
        "every frame row names its scenario and replicate"
    );
    assert_eq!(ticks, ["0", "7", "10", "13", "20"]);
    // The days are recorded, so `plot` redraws the same maps.
    let spec: serde_json::Value =
        serde_json::from_slice(&bytes_of(&out, "comparison.json")).unwrap();
    assert_eq!(spec["map_days"], serde_json::json!([7, 13]));
    let before = bytes_of(&out, "map_day013.png");
    let p = stabsim(&["plot", out.to_str().unwrap()]);
    assert!(p.status.success(), "{}", text(&p.stderr));
    assert_eq!(bytes_of(&out, "map_day013.png"), before);
    assert!(!out.join("map_day010.png").exists());
}

#[test]
fn charts_name_the_mandates_they_leave_out() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    // The whole Gaza pack: more mandates than eight lines can show.
    let o = stabsim(&[
        "compare",
        "scenarios/gaza",
        "-n",
        "2",
        "--ticks",
        "20",
        "--map-days",
        "20",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let spec: serde_json::Value =
        serde_json::from_slice(&bytes_of(&out, "comparison.json")).unwrap();
    let names: Vec<String> = spec["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().trim_start_matches("gaza_").to_string())
        .collect();
    assert!(names.len() > 8, "{names:?}");
    let key = text(&bytes_of(&out, "key_metrics.svg"));
    assert!(
        key.contains(&format!("{} mandates not drawn", names.len() - 8)),
        "key_metrics.svg does not say what it leaves out"
    );
    // Every mandate is either drawn or named as not drawn, with the reason.
    for chart in ["key_metrics.svg", "survival.svg"] {
        let svg = text(&bytes_of(&out, chart));
        assert!(svg.contains("not drawn"), "{chart}");
        for n in &names {
            assert!(svg.contains(n.as_str()), "{chart} does not mention {n}");
        }
    }
}
