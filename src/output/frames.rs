//! `frames.csv`: replicate 0 of a mission scenario on the map, one row per
//! passable cell and frame (`scenario,replicate,tick,x,y,control,incidents,
//! trust`: the scenario and replicate columns let frames of several
//! scenarios be pooled like every other per-replicate file), so maps
//! and animations can be redrawn without re-running. Control codes are
//! those of [`Control`]; an empty trust means nobody lives there. A grid
//! of more than [`crate::mission::MAX_FRAME_CELLS`] cells (a refined world) is recorded in
//! square blocks of cells ([`frame_grid`]): `x` and `y` then count blocks.

use std::io;
use std::path::Path;

use super::read::ReadError;
use crate::mission::{Control, MapFrame, frame_block};

/// Header of `frames.csv`.
pub const FRAMES_HEADER: [&str; 8] = [
    "scenario",
    "replicate",
    "tick",
    "x",
    "y",
    "control",
    "incidents",
    "trust",
];

/// The replicate `frames.csv` shows.
pub const FRAMES_REPLICATE: u32 = 0;

/// Days between frames in `frames.csv` (plus day 0 and the last day).
pub const FRAME_EVERY: u32 = 10;

/// The grid `frames.csv` records for a world of `width × height` cells:
/// its width and height in blocks, and the side of a block in cells
/// ([`frame_block`]; 1 up to [`crate::mission::MAX_FRAME_CELLS`] cells).
pub fn frame_grid(width: usize, height: usize) -> (usize, usize, usize) {
    let block = frame_block(width, height);
    (width.div_ceil(block), height.div_ceil(block), block)
}

/// Per-cell values of a `width × height` grid on its `block × block`
/// squares (from the top left, cut short at the right and bottom edges):
/// the value most cells of each square hold, a tie going to the one met
/// first in row order. How a map's terrain and sectors are drawn under
/// frames recorded in blocks.
pub fn block_majority<T: Copy + PartialEq>(
    cells: &[T],
    width: usize,
    height: usize,
    block: usize,
) -> Vec<T> {
    let (bw, bh) = (width.div_ceil(block), height.div_ceil(block));
    let mut out = Vec::with_capacity(bw * bh);
    let mut seen: Vec<(T, usize)> = Vec::new();
    for by in 0..bh {
        for bx in 0..bw {
            seen.clear();
            for y in by * block..((by + 1) * block).min(height) {
                for x in bx * block..((bx + 1) * block).min(width) {
                    let v = cells[y * width + x];
                    match seen.iter_mut().find(|(u, _)| *u == v) {
                        Some((_, n)) => *n += 1,
                        None => seen.push((v, 1)),
                    }
                }
            }
            let (v, _) = seen.iter().fold(
                seen[0],
                |best, &(v, n)| if n > best.1 { (v, n) } else { best },
            );
            out.push(v);
        }
    }
    out
}

/// The CSV text of `frames` (replicate [`FRAMES_REPLICATE`] of `scenario`).
pub fn frames_csv(scenario: &str, frames: &[MapFrame]) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(FRAMES_HEADER)?;
    let replicate = FRAMES_REPLICATE.to_string();
    for f in frames {
        for (i, control) in f.control.iter().enumerate() {
            let Some(control) = control else { continue };
            let trust = f.trust[i];
            w.write_record([
                scenario.to_string(),
                replicate.clone(),
                f.tick.to_string(),
                (i % f.width).to_string(),
                (i / f.width).to_string(),
                control.code().to_string(),
                f.incidents[i].to_string(),
                if trust.is_nan() {
                    String::new()
                } else {
                    format!("{trust:.4}")
                },
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// The frames on the days `keep` accepts, each with the incidents of every
/// frame since the previous kept one (dropped frames' incidents are added
/// to the next kept frame), so a map shows the incidents since the
/// previous map whatever extra days were recorded in between.
pub fn regroup(frames: &[MapFrame], keep: impl Fn(u32) -> bool) -> Vec<MapFrame> {
    let mut out = Vec::new();
    let mut pending: Option<Vec<u32>> = None;
    for f in frames {
        let sum = match pending.take() {
            Some(mut acc) => {
                for (a, x) in acc.iter_mut().zip(&f.incidents) {
                    *a += x;
                }
                acc
            }
            None => f.incidents.clone(),
        };
        if keep(f.tick) {
            out.push(MapFrame {
                incidents: sum,
                ..f.clone()
            });
        } else {
            pending = Some(sum);
        }
    }
    out
}

/// Reads `frames.csv` back into frames over a `width × height` grid (cells
/// not listed are impassable). Frames come back in file order.
pub fn read_frames(path: &Path, width: usize, height: usize) -> Result<Vec<MapFrame>, ReadError> {
    let csv_err = |source| ReadError::Csv {
        path: path.display().to_string(),
        source,
    };
    let file = crate::scenario::input::open_regular(path).map_err(|e| csv_err(e.into()))?;
    let mut reader = csv::Reader::from_reader(file);
    // Files of versions before the scenario and replicate columns start
    // at `tick`; both are read.
    let skip = match reader.headers().map_err(csv_err)?.get(0) {
        Some("scenario") => 2,
        _ => 0,
    };
    let mut frames: Vec<MapFrame> = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(csv_err)?;
        let line = k as u64 + 2;
        let bad = |message: String| ReadError::content(path, line, message);
        // `j` indexes FRAMES_HEADER; the record may lack its first columns.
        let field = |j: usize| record.get(j + skip - 2).unwrap_or("");
        let int = |j: usize| -> Result<u64, ReadError> {
            field(j).parse::<u64>().map_err(|_| {
                bad(format!(
                    "{}: {:?} is not a whole number",
                    FRAMES_HEADER[j],
                    field(j)
                ))
            })
        };
        let (tick, x, y) = (int(2)?, int(3)? as usize, int(4)? as usize);
        if x >= width || y >= height {
            return Err(bad(format!(
                "cell ({x}, {y}) is outside the {width}×{height} map"
            )));
        }
        let control = Control::from_code(int(5)? as u8)
            .ok_or_else(|| bad(format!("control: unknown code {:?}", field(5))))?;
        let incidents = int(6)? as u32;
        let trust = match field(7) {
            "" => f32::NAN,
            t => t
                .parse::<f32>()
                .map_err(|_| bad(format!("trust: {t:?} is not a number")))?,
        };
        let tick = u32::try_from(tick).map_err(|_| bad("tick: too large".to_string()))?;
        if frames.last().is_none_or(|f| f.tick != tick) {
            frames.push(MapFrame {
                tick,
                width,
                height,
                control: vec![None; width * height],
                incidents: vec![0; width * height],
                trust: vec![f32::NAN; width * height],
            });
        }
        let f = frames.last_mut().expect("pushed above");
        let i = y * width + x;
        f.control[i] = Some(control);
        f.incidents[i] = incidents;
        f.trust[i] = trust;
    }
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_through_csv() {
        let frame = |tick| MapFrame {
            tick,
            width: 3,
            height: 2,
            control: vec![
                None,
                Some(Control::Mission),
                Some(Control::ArmedGroups),
                Some(Control::Police),
                Some(Control::Nobody),
                Some(Control::Contested),
            ],
            incidents: vec![0, 1, 0, 2, 0, 7],
            trust: vec![f32::NAN, 0.5, f32::NAN, 0.25, 1.0, 0.0],
        };
        let frames = vec![frame(0), frame(10)];
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frames.csv");
        let text = frames_csv("demo", &frames).unwrap();
        let first = String::from_utf8_lossy(&text)
            .lines()
            .nth(1)
            .unwrap()
            .to_string();
        assert!(first.starts_with("demo,0,0,"), "{first}");
        std::fs::write(&path, text).unwrap();
        let back = read_frames(&path, 3, 2).unwrap();
        assert_eq!(back.len(), 2);
        for (a, b) in frames.iter().zip(&back) {
            assert_eq!(
                (a.tick, &a.control, &a.incidents),
                (b.tick, &b.control, &b.incidents)
            );
            for (x, y) in a.trust.iter().zip(&b.trust) {
                assert!(x.is_nan() && y.is_nan() || x == y);
            }
        }
    }

    #[test]
    fn regrouped_frames_carry_the_incidents_since_the_previous_kept_one() {
        let frame = |tick, n| MapFrame {
            tick,
            width: 2,
            height: 1,
            control: vec![Some(Control::Nobody); 2],
            incidents: vec![n, 1],
            trust: vec![0.5; 2],
        };
        let frames = vec![frame(0, 0), frame(10, 2), frame(12, 3), frame(20, 4)];
        let kept = regroup(&frames, |t| t % 10 == 0);
        let got: Vec<(u32, Vec<u32>)> =
            kept.iter().map(|f| (f.tick, f.incidents.clone())).collect();
        assert_eq!(
            got,
            vec![(0, vec![0, 1]), (10, vec![2, 1]), (20, vec![7, 2])]
        );
        let kept = regroup(&frames, |t| t == 12);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].incidents, vec![5, 3]);
    }

    #[test]
    fn large_grids_are_recorded_in_blocks_and_drawn_by_majority() {
        assert_eq!(frame_grid(56, 160), (56, 160, 1));
        assert_eq!(frame_grid(1120, 3200), (140, 400, 8));
        // 5 × 3 cells in 2 × 2 blocks: the last column and row cut short;
        // a tie (block at the top right: 1 and 2 once each) goes to the
        // first met.
        let cells = [
            1, 1, 2, 0, 1, //
            3, 1, 2, 2, 2, //
            3, 3, 0, 0, 4,
        ];
        assert_eq!(block_majority(&cells, 5, 3, 2), vec![1, 2, 1, 3, 0, 4]);
        assert_eq!(block_majority(&cells, 5, 3, 1), cells.to_vec());
    }

    #[test]
    fn a_cell_off_the_map_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("frames.csv");
        std::fs::write(
            &path,
            "tick,x,y,control,incidents,trust\n0,0,0,1,0,\n0,5,0,1,0,\n",
        )
        .unwrap();
        let err = read_frames(&path, 3, 2).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("outside"), "{err}");
        std::fs::write(
            &path,
            "scenario,replicate,tick,x,y,control,incidents,trust\na,0,0,0,0,1,0,\na,0,0,0,5,1,0,\n",
        )
        .unwrap();
        let err = read_frames(&path, 3, 2).unwrap_err().to_string();
        assert!(err.contains("line 3") && err.contains("outside"), "{err}");
    }
}
