//! `stabsim validate`'s fast subset: a handful of stylized facts through
//! the validate code path at small n on the Gaza baseline, chosen among
//! mechanisms whose sign does not hang on calibration (each must also reach
//! p < 0.05 on its own), two of them on the renewed-war hazard (the
//! mission and the political horizon on collapse risk), plus the machinery: unknown override paths and
//! unrecorded measures are "not expressible", never a panic; identical arms
//! are caught; results do not depend on the thread count; bad input on the
//! command line exits 2 with a located message.

mod common;

use common::stabsim;

use std::path::{Path, PathBuf};

use stabsim::validation::{
    Context, RunSettings, Status, Suite, ValidationOptions, run_context, run_validation,
    write_outputs,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn gaza() -> Context {
    Context::load(&root().join("scenarios/gaza/baseline.toml")).expect("gaza")
}

/// The embedded suite with only the checks labelled `labels`.
fn subset(labels: &[&str]) -> Suite {
    let mut s = Suite::embedded().expect("embedded suite");
    s.checks.retain(|c| labels.contains(&c.label().as_str()));
    assert_eq!(s.checks.len(), labels.len(), "every label names a check");
    s
}

/// A suite of one synthetic check on T01 (arms and measure as given).
fn synthetic(arms: &str, measure: &str) -> Suite {
    let facts_csv = include_str!("../scenarios/validation/stylized_facts.csv");
    let toml = format!(
        "[[check]]\nid = \"T01\"\narm_names = [\"a\", \"b\"]\narms = {arms}\nmeasure = \"{measure}\"\nexpect = \"decrease\"\n"
    );
    Suite::parse(facts_csv, &toml).expect("synthetic suite")
}

const TINY: RunSettings = RunSettings {
    replicates: 2,
    ticks: 5,
};

#[test]
fn robust_facts_pass_on_gaza_through_the_validate_path() {
    let suite = subset(&[
        "T14 fighters",
        "T14 exits",
        "T18 attrition",
        "T18 attributed harm",
        "T24 looting",
        "T05 collapse by the horizon",
        "T25 collapse",
    ]);
    // Eight pairs, not six: the signed-rank test at n = 6 reaches p < 0.05
    // only when all six contrasts agree (one small reversal gives p =
    // 0.0625; at n = 8 it gives 2/256 · 2 = 0.0156).
    let run = RunSettings {
        replicates: 8,
        ticks: 120,
    };
    let rows = run_context(&suite, &gaza(), run, 0, &|| {});
    for r in &rows {
        let c = &suite.checks[r.check];
        assert_eq!(
            r.status,
            Status::Pass,
            "{}: {} [{}, {}], p = {}",
            c.label(),
            r.estimate,
            r.low,
            r.high,
            r.p
        );
        assert!(r.p < 0.05, "{}: p = {}", c.label(), r.p);
        assert_eq!(r.n, 8);
    }
}

#[test]
fn a_sparse_count_row_takes_the_sign_flip_test_through_the_validate_path() {
    // No contingent withdraws in five days: every contrast is 0, a sparse
    // count. The row is the mean contrast with the sign-flip interval
    // (which holds it), never a Hodges–Lehmann point beside its estimate.
    let suite = synthetic(
        r#"[["mission.mandate.force_scale=0.5"], ["mission.mandate.force_scale=1.5"]]"#,
        "last:contributors_withdrawn",
    );
    let run = RunSettings {
        replicates: 6,
        ticks: 5,
    };
    let r = &run_context(&suite, &gaza(), run, 1, &|| {})[0];
    assert_eq!(r.method, "sign-flip exact", "{r:?}");
    assert!(r.low <= r.estimate && r.estimate <= r.high, "{r:?}");
    assert_eq!((r.estimate, r.p, r.n), (0.0, 1.0, 6));
    assert_eq!(r.status, Status::Inconclusive);
    assert!(r.mde.is_finite(), "{r:?}");
}

#[test]
fn an_unknown_override_path_is_not_expressible() {
    let suite = synthetic(
        r#"[["mission.mandate.no_such_lever=1"], []]"#,
        "sum:incidents",
    );
    let rows = run_context(&suite, &gaza(), TINY, 1, &|| {});
    match &rows[0].status {
        Status::NotExpressible(why) => {
            assert!(
                why.contains("no_such_lever") && why.contains("--set"),
                "{why}"
            )
        }
        other => panic!("expected not expressible, got {other:?}"),
    }
}

#[test]
fn an_unrecorded_measure_is_not_expressible() {
    let suite = synthetic(
        r#"[["mission.mandate.force_scale=0.5"], ["mission.mandate.force_scale=1.5"]]"#,
        "sum:no_such_metric",
    );
    let rows = run_context(&suite, &gaza(), TINY, 1, &|| {});
    assert!(
        matches!(&rows[0].status, Status::NotExpressible(w) if w.contains("no_such_metric")),
        "{:?}",
        rows[0].status
    );
}

#[test]
fn arms_that_change_nothing_are_caught() {
    // The Gaza baseline already has force_scale = 1.
    let suite = synthetic(
        r#"[[], ["mission.mandate.force_scale=1"]]"#,
        "sum:incidents",
    );
    let rows = run_context(&suite, &gaza(), TINY, 1, &|| {});
    assert!(
        matches!(&rows[0].status, Status::NotExpressible(w) if w.contains("same scenario")),
        "{:?}",
        rows[0].status
    );
}

#[test]
fn results_and_files_do_not_depend_on_threads() {
    let run_with = |threads: usize, out: &Path| {
        let mut suite = subset(&["T24 looting", "T05 collapse by the horizon"]);
        // The yes/no outcome on the same arms at 4x the replicates: no
        // embedded check uses the binary path since the collapse rows
        // moved to `collapse_risk`, and an arm shared by checks of
        // different factors must run at the largest.
        let mut yes_no = suite
            .checks
            .iter()
            .find(|c| c.spec.id == "T05")
            .expect("T05")
            .clone();
        yes_no.spec.part = "collapse as yes/no".into();
        yes_no.spec.measure = "event:ceasefire_collapsed".into();
        yes_no.spec.replicate_factor = 4;
        suite.checks.push(yes_no);
        let options = ValidationOptions {
            contexts: vec![root().join("scenarios/gaza/baseline.toml")],
            run: RunSettings {
                replicates: 3,
                ticks: 20,
            },
            survival_ticks: 20,
            threads,
            magnitudes: false,
            patterns: false,
            root: root(),
            command: "test".into(),
        };
        let v = run_validation(suite, vec![gaza()], options, &|| {});
        write_outputs(&v, out).expect("outputs");
        std::fs::read(out.join("facts.csv")).expect("facts.csv")
    };
    let dir = tempfile::tempdir().unwrap();
    let one = run_with(1, &dir.path().join("one"));
    let two = run_with(2, &dir.path().join("two"));
    assert_eq!(one, two);
    // The columns a reader needs to tell a wrong sign from a lack of
    // power. T24 looting is a count at n = 3: the signed-rank p is at
    // least 0.149 there (exact: 2/8; all three tied: the corrected normal
    // z = 2.5/√3), and the sign-flip p of a sparse count at least 2/2³,
    // so the row can neither pass nor be called the wrong way, whatever
    // the model does, and it says what its n could detect.
    let text = String::from_utf8(one).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header, stabsim::validation::FACTS_COLUMNS);
    let at = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let row = |id: &str, part: &str| {
        rows.iter()
            .find(|r| r[at("id")] == id && r[at("part")] == part && r[at("context")] != "all")
            .unwrap_or_else(|| panic!("no {id} {part} row"))
    };
    let looting = row("T24", "looting");
    assert_eq!(looting[at("status")], "fail: inconclusive", "{looting:?}");
    assert_eq!(looting[at("n")], "3");
    let method = looting[at("method")];
    assert!(
        method.starts_with("signed-rank") || method == "sign-flip exact",
        "{looting:?}"
    );
    let p: f64 = looting[at("p")].parse().unwrap();
    assert!(p > 0.14, "{looting:?}");
    let mde: f64 = looting[at("mde_80")].parse().unwrap();
    assert!(mde >= 0.0, "{looting:?}");
    // T05's collapse risk is continuous at 3 pairs (signed-rank, or the
    // sign-flip test where every contrast is 0, as before the mission
    // deploys in these 20 days); the yes/no outcome runs at 4 x 3 pairs:
    // Newcombe + McNemar. Each is one of the four results.
    let results = [
        "pass",
        "fail: wrong direction",
        "fail: inconclusive",
        "not expressible",
    ];
    let risk = row("T05", "collapse by the horizon");
    assert_eq!(risk[at("n")], "3");
    assert_eq!(risk[at("measure")], "run:collapse_risk");
    let method = risk[at("method")];
    assert!(
        method.starts_with("signed-rank") || method == "sign-flip exact",
        "{risk:?}"
    );
    assert!(results.contains(&risk[at("status")]));
    let collapse = row("T05", "collapse as yes/no");
    assert_eq!(collapse[at("n")], "12");
    assert_eq!(collapse[at("method")], "Newcombe + exact McNemar");
    assert!(results.contains(&collapse[at("status")]));
    assert!(dir.path().join("one/report.md").is_file());
    assert!(dir.path().join("one/manifest.json").is_file());
}

#[test]
fn bad_contexts_and_flags_exit_2_with_a_located_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"x\"\n[mission.mandate]\nforce_scale = -1\n").unwrap();
    let out = dir.path().join("out");
    let o = stabsim(&[
        "validate",
        "--context",
        bad.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.toml:3") && err.contains("force_scale"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written on bad input");

    let epstein = "scenarios/epstein/mesa_default.toml";
    let o = stabsim(&[
        "validate",
        "--only-contexts",
        "--context",
        epstein,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a mission scenario"));

    let o = stabsim(&["validate", "--only", "T99", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("T99"));
}

#[test]
fn the_summary_names_every_fact_it_cannot_express_patterns_too() {
    // T11 is a suite fact listed as unexpressible; P03 is a pattern fact
    // whose one row is "not expressible" (the two-group variant is not in
    // the model). Neither runs a replicate, so this is fast.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    let o = stabsim(&[
        "validate",
        "--only",
        "T11,P03",
        "--quick",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let report = std::fs::read_to_string(out.join("report.md")).expect("report.md");
    assert!(
        report.contains("2 facts not expressible in any context (T11, P03)"),
        "{report}"
    );
}
