//! `stabsim run --columnar`: `timeseries.parquet`, read back by the parquet
//! crate's own reader, holds exactly the values of `timeseries.csv` (same
//! columns, same rows, null where the CSV is empty), one row group per
//! replicate, and is recorded in the manifest; a re-run writes the same
//! bytes.

use std::path::Path;
use std::process::Command;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;

fn run(out: &Path, extra: &[&str]) {
    run_plain(out, &[&["--columnar"], extra].concat());
}

/// `run` without `--columnar` (unless `extra` has it).
fn run_plain(out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "scenarios/gaza/baseline.toml",
            "-n",
            "3",
            "--ticks",
            "40",
        ])
        .args(["--seed", "5", "-q", "--out"])
        .arg(out)
        .args(extra)
        .status()
        .expect("run stabsim");
    assert!(status.success());
}

/// A Parquet field as the CSV writes it.
fn text(f: &Field) -> String {
    match f {
        Field::Null => String::new(),
        Field::Str(s) => s.clone(),
        Field::Long(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Double(v) => stabsim::output::number_text(*v),
        other => panic!("unexpected field {other:?}"),
    }
}

#[test]
fn the_parquet_file_holds_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    run(&out, &[]);

    let mut csv = csv::Reader::from_path(out.join("timeseries.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let csv_rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(csv_rows.len(), 3 * 41);

    let file = std::fs::File::open(out.join("timeseries.parquet")).unwrap();
    let reader = SerializedFileReader::new(file).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.num_row_groups(), 3, "one row group per replicate");
    let columns: Vec<String> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    assert_eq!(columns, header);
    let rows: Vec<Vec<String>> = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap().get_column_iter().map(|(_, f)| text(f)).collect())
        .collect();
    assert_eq!(rows, csv_rows, "the Parquet values differ from the CSV's");

    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("timeseries.parquet"), "{manifest}");

    // Deterministic bytes, whatever the thread count.
    let again = dir.path().join("b");
    run(&again, &["--threads", "1"]);
    assert_eq!(
        std::fs::read(out.join("timeseries.parquet")).unwrap(),
        std::fs::read(again.join("timeseries.parquet")).unwrap()
    );
}

#[test]
fn without_the_flag_there_is_no_parquet_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a");
    let status = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "scenarios/gaza/baseline.toml",
            "-n",
            "1",
            "--ticks",
            "5",
            "-q",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(out.join("timeseries.csv").exists());
    assert!(!out.join("timeseries.parquet").exists());
}

/// `run --shard K/N --columnar` + `stabsim merge`: the merged
/// `timeseries.parquet` is the single-machine file, byte for byte (a row
/// group per replicate, in replicate order), and is in the manifest; a
/// shard without `--columnar` does not merge with one with it.
#[test]
fn merged_columnar_shards_are_the_single_machine_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    run(&single, &[]);
    let shards: Vec<_> = (0..2).map(|k| dir.path().join(format!("s{k}"))).collect();
    // Shard 1 first: the merge takes the folders in any order.
    for (k, shard) in shards.iter().enumerate().rev() {
        run(shard, &["--shard", &format!("{k}/2")]);
        assert!(!shard.join("timeseries.parquet").exists());
    }
    let merged = dir.path().join("merged");
    let merge = |dirs: &[&Path], out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_stabsim"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .arg("merge")
            .args(dirs)
            .arg("--out")
            .arg(out)
            .output()
            .expect("run stabsim")
    };
    let o = merge(&[&shards[1], &shards[0]], &merged);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["timeseries.parquet", "timeseries.csv"] {
        assert!(
            std::fs::read(merged.join(f)).unwrap() == std::fs::read(single.join(f)).unwrap(),
            "merged {f} differs from the single machine's"
        );
    }
    let manifest = std::fs::read_to_string(merged.join("manifest.json")).unwrap();
    assert!(manifest.contains("timeseries.parquet"), "{manifest}");

    // A plain shard 1 does not belong with a columnar shard 0.
    let plain = dir.path().join("plain");
    run_plain(&plain, &["--shard", "1/2"]);
    let o = merge(&[&shards[0], &plain], &dir.path().join("mixed"));
    let msg = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{msg}");
    assert!(
        msg.contains("shard.json") && msg.contains("3 replicates, --columnar)"),
        "{msg}"
    );
}

/// The figures of docs/PERFORMANCE.md ("Columnar per-tick output"):
/// `cargo test --release --test columnar -- --ignored --nocapture`. Runs
/// 20 Gaza replicates of 730 days with `--columnar`, then times writing the
/// same rows again as CSV (the writer's number format) and as Parquet.
#[test]
#[ignore]
fn sizes_and_write_times_against_csv() {
    use stabsim::metrics::{Names, Series};
    use stabsim::output::columnar::ColumnarWriter;
    use std::time::Instant;

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let status = Command::new(env!("CARGO_BIN_EXE_stabsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "run",
            "scenarios/gaza/baseline.toml",
            "-n",
            "20",
            "-q",
            "--columnar",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let size = |f: &str| std::fs::metadata(out.join(f)).unwrap().len();
    let (csv_bytes, pq_bytes) = (size("timeseries.csv"), size("timeseries.parquet"));

    // The series back from the CSV, then each format written from them.
    let mut csv = csv::Reader::from_path(out.join("timeseries.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
    let names: Names = header[3..].to_vec().into();
    let mut series: Vec<Series> = Vec::new();
    for r in csv.records() {
        let r = r.unwrap();
        let rep: usize = r[1].parse().unwrap();
        if series.len() == rep {
            series.push(Series::new(names.clone(), 730));
        }
        let row: Vec<f64> = r
            .iter()
            .skip(3)
            .map(|v| v.parse().unwrap_or(f64::NAN))
            .collect();
        series[rep].push_row(&row);
    }
    let t = Instant::now();
    let mut w = csv::Writer::from_path(dir.path().join("again.csv")).unwrap();
    w.write_record(&header).unwrap();
    for (rep, s) in series.iter().enumerate() {
        for t in 0..s.len() {
            w.write_field("gaza_baseline").unwrap();
            w.write_field(rep.to_string()).unwrap();
            w.write_field(t.to_string()).unwrap();
            for &v in s.row(t) {
                w.write_field(stabsim::output::number_text(v)).unwrap();
            }
            w.write_record(None::<&[u8]>).unwrap();
        }
    }
    w.flush().unwrap();
    let csv_seconds = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let file =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("again.parquet")).unwrap());
    let mut w = ColumnarWriter::create(file, "gaza_baseline", &names).unwrap();
    for (rep, s) in series.iter().enumerate() {
        w.write_replicate(rep as u64, s).unwrap();
    }
    std::io::Write::flush(&mut w.finish().unwrap()).unwrap();
    let pq_seconds = t.elapsed().as_secs_f64();
    let rows = series.len() * 731;
    println!(
        "{} replicates x 731 days = {rows} rows, {} columns\n\
         timeseries.csv:     {csv_bytes} bytes, written in {csv_seconds:.3} s\n\
         timeseries.parquet: {pq_bytes} bytes, written in {pq_seconds:.3} s\n\
         size ratio {:.3}, time ratio {:.3}",
        series.len(),
        header.len(),
        pq_bytes as f64 / csv_bytes as f64,
        pq_seconds / csv_seconds
    );
}
