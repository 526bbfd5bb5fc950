//! The comparison report: what an analyst opens first after `stabsim compare`.
//!
//! Two renderings of the same content, in the same order:
//!
//! * [`render_html`]: `report.html`, one self-contained page (inline CSS,
//!   charts as base64 `data:` URIs, no scripts, fonts or external URLs) that
//!   reads well on a screen, on a phone and on paper;
//! * [`render_markdown`]: `report.md`, GitHub-flavoured Markdown with pipe
//!   tables and charts linked by relative path (`![alt](forest.png)`).
//!
//! Content: the title; the statement that stabsim explores mechanisms and
//! does not forecast; the run facts (replicates, horizon, seed, interval
//! method, command); the scenarios and what each changes against the
//! baseline; the measures of effectiveness (one row per scenario ordered by
//! its place in the ranking, one column per measure with the mean and the paired difference
//! against the baseline with its 95 % interval, significant differences
//! marked by an arrow and the words "better" or "worse", never by colour
//! alone); the key findings; the figures with numbered captions; the key
//! assumptions and limitations; a footer naming the generator.
//!
//! Both functions are pure: they return a `String` and the caller writes it
//! (atomically). The output depends only on the input, byte for byte: no
//! timestamps, no absolute paths, no map iteration order.
//!
//! Numbers are printed with thousands separators and the minus sign "−"
//! (U+2212); how many decimals depends on the measure's unit
//! ([`format_value`]): counts and days as integers once they reach 10,
//! shares with two decimals, undefined values (NaN, infinite) as "n/a".

mod html;
mod markdown;
#[cfg(test)]
mod sample;

pub use html::render_html;
pub use markdown::render_markdown;

/// Measures per table of the MOE section: with the scenario and place
/// columns, a table of this many fits a 1,400-pixel page without
/// horizontal scrolling (checked in headless Chromium: four overflow by
/// about 24 pixels with theatre-scale numbers).
const MEASURES_PER_TABLE: usize = 3;

/// One scenario (mandate) in the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEntry {
    /// Short identifier, e.g. `force_large` (the scenario file's stem).
    pub name: String,
    /// Human title, e.g. "A larger force".
    pub title: String,
    /// One or two sentences on what the mandate does.
    pub description: String,
    /// What it changes against the baseline, one field a line, e.g.
    /// `mission.mandate.force_scale: 1 → 2` (empty for the baseline).
    pub changes: Vec<String>,
    /// Whether this is the baseline every difference is taken against.
    pub is_baseline: bool,
}

/// Which way is better for a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Lower values are better (deaths, incidents).
    Lower,
    /// Higher values are better (trust, access).
    Higher,
}

/// A measure of effectiveness (a column of the MOE table).
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// Machine key, e.g. `civilian_deaths`.
    pub key: String,
    /// Column label, e.g. "Civilian deaths".
    pub label: String,
    /// Unit, e.g. "people". It also chooses how numbers are printed (see
    /// [`format_value`]): "share", "fraction", "proportion" and
    /// "probability" print two decimals; counts ("people", "deaths",
    /// "events", "agents", "count", …) and durations ("days", "ticks", …)
    /// print as integers from 10 up; any other unit gets three or four
    /// significant digits.
    pub unit: String,
    /// Which way is better.
    pub direction: Direction,
}

/// A paired difference against the baseline with its confidence interval
/// and its multiplicity-adjusted p-value.
///
/// A difference is significant when its adjusted p-value is below 0.05 and
/// its interval excludes 0. Any of the numbers may be NaN (undefined, e.g.
/// not tested); it prints as "n/a" and an undefined difference is never
/// marked significant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedCi {
    /// Mean of the paired differences (scenario − baseline).
    pub estimate: f64,
    /// Lower bound of the 95 % interval.
    pub low: f64,
    /// Upper bound of the 95 % interval.
    pub high: f64,
    /// The p-value adjusted for multiplicity (Holm); NaN: not tested.
    pub p_adjusted: f64,
    /// Why it was not tested, e.g. "n < 5: too few", "no difference in any
    /// pair", "not reached" ("" when tested).
    pub note: &'static str,
}

impl PairedCi {
    /// Whether the difference is significant: adjusted p-value below 0.05
    /// and both bounds finite and on the same side of 0.
    pub fn is_significant(&self) -> bool {
        self.p_adjusted < 0.05
            && self.low.is_finite()
            && self.high.is_finite()
            && self.low <= self.high
            && (self.low > 0.0 || self.high < 0.0)
    }
}

/// One cell of the MOE table: a scenario's mean of a measure and its paired
/// difference against the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MoeCell {
    /// Mean over replicates (NaN prints "n/a").
    pub mean: f64,
    /// False for a time to event that no run reached: prints "not
    /// reached" instead of the mean.
    pub reached: bool,
    /// Paired difference against the baseline; `None` for the baseline row.
    pub diff: Option<PairedCi>,
    /// Rank of the scenario on this measure, 1 = best.
    pub rank: usize,
}

/// The measures-of-effectiveness table.
#[derive(Debug, Clone, PartialEq)]
pub struct MoeTable {
    /// The columns.
    pub measures: Vec<Measure>,
    /// One row per scenario: its name (as in [`ScenarioEntry::name`]) and one
    /// cell per measure, in the order of `measures`.
    pub rows: Vec<(String, Vec<MoeCell>)>,
    /// Place of each row in the ranking (in the order of `rows`), 1 =
    /// best; the report orders rows by it, NaN last.
    pub place: Vec<f64>,
    /// The score each place comes from (see [`ReportInput::ranking`]).
    pub score: Vec<f64>,
}

/// A chart to show. HTML inlines its bytes as a `data:` URI; Markdown links
/// the file the caller writes next to `report.md` by relative path.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    /// File name without extension: `forest` stands for `forest.png` (and
    /// `forest.svg`) in the report folder, or `forest.gif` for an animation.
    pub file_stem: String,
    /// Caption under the figure (the report adds "Figure n.").
    pub caption: String,
    /// The image's bytes: PNG for [`ChartKind::Image`], GIF for
    /// [`ChartKind::Animation`] (the field keeps its name for both).
    pub png: Vec<u8>,
    /// Alternative text for the image (what it shows, for screen readers).
    pub alt: String,
    /// Still image or animation.
    pub kind: ChartKind,
}

/// What kind of image a chart is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// A still chart: `file_stem.png`, inlined as `data:image/png`.
    Image,
    /// An animated GIF: `file_stem.gif`, inlined as `data:image/gif`.
    Animation,
}

impl ChartKind {
    /// File extension of the chart's file: `png` or `gif`.
    pub fn extension(self) -> &'static str {
        match self {
            ChartKind::Image => "png",
            ChartKind::Animation => "gif",
        }
    }

    /// MIME type of the chart's bytes: `image/png` or `image/gif`.
    pub fn mime(self) -> &'static str {
        match self {
            ChartKind::Image => "image/png",
            ChartKind::Animation => "image/gif",
        }
    }
}

impl ChartEntry {
    /// The chart's file name in the report folder, e.g. `forest.png`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.file_stem, self.kind.extension())
    }
}

/// Everything the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportInput {
    /// Title, e.g. "Gaza: mandate comparison".
    pub title: String,
    /// Generator and version, e.g. "stabsim 0.1.0" (no timestamp: the
    /// report must be byte-identical for the same inputs).
    pub generated_by: String,
    /// The command line that produced the comparison.
    pub command: String,
    /// Replicates per scenario.
    pub replicates: u32,
    /// Ticks per replicate (the horizon).
    pub ticks: u32,
    /// Master seed.
    pub seed: u64,
    /// What one tick is, singular: "day".
    pub tick_unit: String,
    /// How the intervals were computed, e.g. "paired t interval, 95 %, n − 1
    /// degrees of freedom, over replicates with common random numbers".
    pub ci_method: String,
    /// The scenarios, baseline first (shown in this order).
    pub scenarios: Vec<ScenarioEntry>,
    /// The measures-of-effectiveness table.
    pub moe: MoeTable,
    /// How the ranking (place and score) was made: measures, weights and
    /// the measures left out because every run ties.
    pub ranking: String,
    /// Short sentences computed by the caller, one list item each.
    pub findings: Vec<String>,
    /// The figures, numbered in this order.
    pub charts: Vec<ChartEntry>,
    /// Key assumptions and limitations, one list item each.
    pub assumptions: Vec<String>,
    /// The crate's [`crate::DISCLAIMER`].
    pub disclaimer: String,
    /// Things the reader must know before trusting the comparison (e.g. a
    /// variant that overrides made identical to the baseline), one sentence
    /// each, shown near the top; empty: nothing shown.
    pub warnings: Vec<String>,
    /// Extra sections shown after the figures (e.g. robustness over the
    /// plausible space); empty: none.
    pub sections: Vec<Section>,
}

/// An extra section of the report: paragraphs, an optional table and a
/// list, each plain text (escaped by the renderers).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    /// Anchor id, e.g. "robustness".
    pub id: String,
    /// Heading.
    pub title: String,
    /// Paragraphs before the table.
    pub paragraphs: Vec<String>,
    /// Table rows, the first the header; empty: no table.
    pub table: Vec<Vec<String>>,
    /// List items after the table, one sentence each.
    pub items: Vec<String>,
}

/// How a measure's numbers are printed, chosen from its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberStyle {
    /// Counts and durations: integers from 10 up.
    Count,
    /// Shares in 0..=1: two decimals (three for tiny differences).
    Share,
    /// Anything else: three or four significant digits.
    Real,
}

impl NumberStyle {
    fn of_unit(unit: &str) -> NumberStyle {
        let unit = unit.trim().to_lowercase();
        const SHARE: [&str; 4] = ["share", "fraction", "proportion", "probability"];
        const COUNT: [&str; 30] = [
            "people",
            "person",
            "persons",
            "civilians",
            "deaths",
            "casualties",
            "fighters",
            "troops",
            "soldiers",
            "events",
            "incidents",
            "attacks",
            "agents",
            "count",
            "counts",
            "number",
            "trucks",
            "arrests",
            "days",
            "day",
            "ticks",
            "tick",
            "weeks",
            "week",
            "months",
            "month",
            "years",
            "year",
            "cells",
            "units",
        ];
        if SHARE.iter().any(|s| unit.contains(s)) {
            NumberStyle::Share
        } else if COUNT.contains(&unit.as_str()) {
            NumberStyle::Count
        } else {
            NumberStyle::Real
        }
    }

    /// Decimals for a group of numbers printed together, from the largest
    /// magnitude among them (so a mean, or an estimate and its interval,
    /// share one precision).
    fn decimals(self, values: &[f64]) -> usize {
        let max = values
            .iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        match self {
            NumberStyle::Count => {
                if !(0.005..9.95).contains(&max) {
                    0
                } else if max >= 0.995 {
                    1
                } else {
                    2
                }
            }
            NumberStyle::Share => {
                if max == 0.0 || max >= 0.05 {
                    2
                } else {
                    3
                }
            }
            NumberStyle::Real => {
                if !(0.0005..99.5).contains(&max) {
                    0
                } else if max >= 9.995 {
                    1
                } else if max >= 0.9995 {
                    2
                } else {
                    3
                }
            }
        }
    }
}

/// Prints `x` with `decimals` decimals, thousands separators and "−";
/// `signed` adds "+" to positive numbers. A number that rounds to zero has
/// no sign. NaN and infinities print "n/a".
fn fixed(x: f64, decimals: usize, signed: bool) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    let digits = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits.as_str(), None),
    };
    let zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    let sign = if zero {
        ""
    } else if x < 0.0 {
        "\u{2212}"
    } else if signed {
        "+"
    } else {
        ""
    };
    let mut out = String::with_capacity(digits.len() + 8);
    out.push_str(sign);
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A value of a measure in the given unit, as the report prints it:
/// thousands separators, "−" for negatives, decimals from the unit
/// (see [`Measure::unit`]) and the magnitude; "n/a" for NaN or infinity.
///
/// `format_value(1563.4, "people") == "1,563"`,
/// `format_value(0.8312, "share") == "0.83"`.
pub fn format_value(x: f64, unit: &str) -> String {
    let style = NumberStyle::of_unit(unit);
    fixed(x, style.decimals(&[x]), false)
}

/// A paired difference as the report prints it, e.g. `+643; 95 % CI +512 to
/// +774` (signed, one precision for the three numbers, "n/a" where
/// undefined). Handy for findings that should match the table.
pub fn format_difference(ci: &PairedCi, unit: &str) -> String {
    let d = DiffText::new(ci, NumberStyle::of_unit(unit));
    format!("{}; 95 % CI {} to {}", d.estimate, d.low, d.high)
}

/// The three numbers of a difference, formatted with one precision.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DiffText {
    estimate: String,
    low: String,
    high: String,
}

impl DiffText {
    fn new(ci: &PairedCi, style: NumberStyle) -> DiffText {
        let decimals = style.decimals(&[ci.estimate, ci.low, ci.high]);
        DiffText {
            estimate: fixed(ci.estimate, decimals, true),
            low: fixed(ci.low, decimals, true),
            high: fixed(ci.high, decimals, true),
        }
    }
}

/// A significant difference: which way it goes and whether that is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Verdict {
    /// The interval lies above 0.
    up: bool,
    /// The change is in the measure's better direction.
    better: bool,
}

impl Verdict {
    fn of(ci: &PairedCi, direction: Direction) -> Option<Verdict> {
        if !ci.is_significant() {
            return None;
        }
        let up = ci.low > 0.0;
        let better = match direction {
            Direction::Lower => !up,
            Direction::Higher => up,
        };
        Some(Verdict { up, better })
    }

    fn arrow(self) -> &'static str {
        if self.up { "▲" } else { "▼" }
    }

    fn word(self) -> &'static str {
        if self.better { "better" } else { "worse" }
    }
}

/// One cell of the MOE table, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CellView {
    mean: String,
    /// Why the difference was not tested ("" when it was).
    note: &'static str,
    /// `None` for the baseline (or a missing difference).
    diff: Option<DiffText>,
    verdict: Option<Verdict>,
    rank: usize,
}

/// One row of the MOE table, ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RowView<'a> {
    name: &'a str,
    title: &'a str,
    is_baseline: bool,
    cells: Vec<CellView>,
    place: String,
    score: String,
}

/// The MOE table's rows in report order: by place, best first, NaN last,
/// ties in input order.
fn row_views(input: &ReportInput) -> Vec<RowView<'_>> {
    let moe = &input.moe;
    let rank_of = |i: usize| moe.place.get(i).copied().unwrap_or(f64::NAN);
    let mut order: Vec<usize> = (0..moe.rows.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (rank_of(a), rank_of(b));
        match (ra.is_nan(), rb.is_nan()) {
            (false, false) => ra.total_cmp(&rb),
            (false, true) => std::cmp::Ordering::Less,
            (true, false) => std::cmp::Ordering::Greater,
            (true, true) => std::cmp::Ordering::Equal,
        }
    });
    order
        .into_iter()
        .map(|i| {
            let (name, cells) = &moe.rows[i];
            let scenario = input.scenarios.iter().find(|s| &s.name == name);
            let is_baseline = match scenario {
                Some(s) => s.is_baseline,
                None => !cells.is_empty() && cells.iter().all(|c| c.diff.is_none()),
            };
            let cells = moe
                .measures
                .iter()
                .enumerate()
                .map(|(j, measure)| match cells.get(j) {
                    Some(cell) => {
                        let style = NumberStyle::of_unit(&measure.unit);
                        CellView {
                            mean: if cell.reached {
                                fixed(cell.mean, style.decimals(&[cell.mean]), false)
                            } else {
                                "not reached".to_string()
                            },
                            note: cell.diff.map_or("", |d| d.note),
                            diff: cell.diff.as_ref().map(|ci| DiffText::new(ci, style)),
                            verdict: cell
                                .diff
                                .as_ref()
                                .and_then(|ci| Verdict::of(ci, measure.direction)),
                            rank: cell.rank,
                        }
                    }
                    None => CellView {
                        mean: "n/a".to_string(),
                        note: "",
                        diff: None,
                        verdict: None,
                        rank: 0,
                    },
                })
                .collect();
            RowView {
                name,
                title: scenario.map_or("", |s| s.title.as_str()),
                is_baseline,
                cells,
                place: fixed(rank_of(i), 0, false),
                score: fixed(moe.score.get(i).copied().unwrap_or(f64::NAN), 2, true),
            }
        })
        .collect()
}

/// "365 days", "1 day": the horizon with the tick unit, pluralised naively.
fn horizon(input: &ReportInput) -> String {
    let unit = input.tick_unit.trim();
    let unit = if unit.is_empty() { "tick" } else { unit };
    let plural = if input.ticks == 1 || unit.ends_with('s') {
        unit.to_string()
    } else {
        format!("{unit}s")
    };
    format!("{} {plural}", fixed(f64::from(input.ticks), 0, false))
}

/// "lower is better" / "higher is better".
fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::Lower => "lower is better",
        Direction::Higher => "higher is better",
    }
}

/// Splits a change such as `mission.mandate.force_scale: 1 → 2` into the
/// field path and the rest, when it has that shape.
fn split_change(change: &str) -> Option<(&str, &str)> {
    let (key, rest) = change.split_once(": ")?;
    let is_path = key.contains('.')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '[' | ']'));
    is_path.then_some((key, rest))
}

/// Width and height of a PNG or GIF from its header, if it is one.
fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() >= 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n") && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return (w > 0 && h > 0).then_some((w, h));
    }
    if bytes.len() >= 10 && (bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a")) {
        let w = u32::from(u16::from_le_bytes([bytes[6], bytes[7]]));
        let h = u32::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        return (w > 0 && h > 0).then_some((w, h));
    }
    None
}

/// A small but complete input for the tests of both renderers.
#[cfg(test)]
pub(crate) mod fixture {
    use super::*;

    /// A 2×1 RGB PNG made with the `png` crate.
    pub fn tiny_png() -> Vec<u8> {
        png_image(2, 1, |x, _| if x == 0 { [255, 0, 0] } else { [0, 0, 255] })
    }

    /// An RGB PNG of `width × height` pixels coloured by `pixel(x, y)`.
    pub fn png_image(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut data = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&pixel(x, y));
            }
        }
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().expect("png header");
            writer.write_image_data(&data).expect("png data");
        }
        out
    }

    /// A two-frame looping GIF of `width × height` pixels.
    pub fn gif_animation(width: u16, height: u16) -> Vec<u8> {
        let palette = [255, 255, 255, 0, 114, 178, 230, 159, 0];
        let mut out = Vec::new();
        {
            let mut encoder =
                gif::Encoder::new(&mut out, width, height, &palette).expect("gif header");
            encoder
                .set_repeat(gif::Repeat::Infinite)
                .expect("gif repeat");
            for frame in 0..2u16 {
                let pixels: Vec<u8> = (0..height)
                    .flat_map(|y| {
                        (0..width).map(move |x| {
                            let cell = (x / 8 + y / 8 + frame) % 3;
                            cell as u8
                        })
                    })
                    .collect();
                let mut f = gif::Frame::from_indexed_pixels(width, height, pixels, None);
                f.delay = 50;
                encoder.write_frame(&f).expect("gif frame");
            }
        }
        out
    }

    fn measure(key: &str, label: &str, unit: &str, direction: Direction) -> Measure {
        Measure {
            key: key.into(),
            label: label.into(),
            unit: unit.into(),
            direction,
        }
    }

    fn cell(mean: f64, diff: Option<(f64, f64, f64)>, rank: usize) -> MoeCell {
        MoeCell {
            mean,
            reached: true,
            diff: diff.map(|(estimate, low, high)| PairedCi {
                estimate,
                low,
                high,
                p_adjusted: if low * high > 0.0 { 0.01 } else { 0.5 },
                note: "",
            }),
            rank,
        }
    }

    /// Three scenarios, three measures; rows deliberately not in rank order.
    ///
    /// Significant cells: `force_large` deaths (▼ better), `force_large`
    /// trust (▲ better), `exit_early` deaths (▲ worse). Not significant:
    /// `exit_early` trust (CI spans 0), `exit_early` days (NaN bounds),
    /// `force_large` days (CI touches 0 exactly).
    pub fn input() -> ReportInput {
        ReportInput {
            title: "Gaza: mandate comparison".into(),
            generated_by: "stabsim 0.1.0".into(),
            command: "stabsim compare scenarios/gaza --replicates 200 --seed 42".into(),
            replicates: 200,
            ticks: 365,
            seed: 42,
            tick_unit: "day".into(),
            ci_method: "paired t interval, 95 %, n − 1 degrees of freedom, over replicates \
                        with common random numbers"
                .into(),
            scenarios: vec![
                ScenarioEntry {
                    name: "baseline".into(),
                    title: "Baseline mandate".into(),
                    description: "The reference mandate.".into(),
                    changes: vec![],
                    is_baseline: true,
                },
                ScenarioEntry {
                    name: "force_large".into(),
                    title: "A larger force".into(),
                    description: "Twice the troops, <script>alert(1)</script> & \"quotes\".".into(),
                    changes: vec!["mission.mandate.force_scale: 1 → 2".into()],
                    is_baseline: false,
                },
                ScenarioEntry {
                    name: "exit_early".into(),
                    title: "Early exit".into(),
                    description: "The mission leaves after six months.".into(),
                    changes: vec![
                        "mission.mandate.exit_day: 730 → 180".into(),
                        "mission.mandate.handover: gradual → sudden".into(),
                    ],
                    is_baseline: false,
                },
            ],
            moe: MoeTable {
                measures: vec![
                    measure(
                        "civilian_deaths",
                        "Civilian deaths",
                        "people",
                        Direction::Lower,
                    ),
                    measure("trust", "Trust in the mission", "share", Direction::Higher),
                    measure("days_to_calm", "Days to calm", "days", Direction::Lower),
                ],
                rows: vec![
                    (
                        "baseline".into(),
                        vec![
                            cell(920.0, None, 2),
                            cell(0.61, None, 2),
                            cell(120.0, None, 2),
                        ],
                    ),
                    (
                        "exit_early".into(),
                        vec![
                            cell(1563.2, Some((643.0, 512.4, 774.1)), 3),
                            cell(0.6, Some((-0.01, -0.03, 0.012)), 3),
                            cell(f64::NAN, Some((f64::NAN, f64::NAN, f64::NAN)), 3),
                        ],
                    ),
                    (
                        "force_large".into(),
                        vec![
                            cell(558.0, Some((-362.0, -420.0, -300.0)), 1),
                            cell(0.83, Some((0.22, 0.18, 0.26)), 1),
                            cell(95.0, Some((-25.0, -50.0, 0.0)), 1),
                        ],
                    ),
                ],
                place: vec![2.0, 3.0, 1.0],
                score: vec![0.0, -0.8, 0.9],
            },
            ranking: "Place and score: the weighted mean of standardised effects.".into(),
            findings: vec![
                "A larger force: −362 civilian deaths (95 % CI −420 to −300) vs baseline".into(),
                "An early exit raises civilian deaths by 643 (95 % CI +512 to +774)".into(),
            ],
            charts: vec![
                ChartEntry {
                    file_stem: "forest".into(),
                    caption: "Paired differences vs the baseline, 95 % CI".into(),
                    png: tiny_png(),
                    alt: "Forest plot of paired differences".into(),
                    kind: ChartKind::Image,
                },
                ChartEntry {
                    file_stem: "violence".into(),
                    caption: "Civilian deaths over time, median and 5–95 % band".into(),
                    png: tiny_png(),
                    alt: "Civilian deaths over time".into(),
                    kind: ChartKind::Image,
                },
                ChartEntry {
                    file_stem: "map".into(),
                    caption: "One replicate of the baseline, day by day".into(),
                    png: gif_animation(16, 16),
                    alt: "Animated map of one baseline replicate".into(),
                    kind: ChartKind::Animation,
                },
            ],
            assumptions: vec![
                "Almost every coefficient is a stated assumption, not an estimate.".into(),
                "Factions do not adapt their strategy to the mandate.".into(),
            ],
            disclaimer: crate::DISCLAIMER.into(),
            warnings: Vec::new(),
            sections: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_separators_minus_and_unit_precision() {
        assert_eq!(format_value(1563.4, "people"), "1,563");
        assert_eq!(format_value(1_234_567.0, "people"), "1,234,567");
        assert_eq!(format_value(-1234.0, "people"), "\u{2212}1,234");
        assert_eq!(format_value(2.44, "events"), "2.4");
        assert_eq!(format_value(0.8312, "share"), "0.83");
        assert_eq!(format_value(45.4, "days"), "45");
        assert_eq!(format_value(2.4567, "index"), "2.46");
        assert_eq!(format_value(123.4, "index"), "123");
        assert_eq!(format_value(f64::NAN, "people"), "n/a");
        assert_eq!(format_value(f64::INFINITY, "people"), "n/a");
        assert_eq!(format_value(-0.0001, "people"), "0");
        assert_eq!(fixed(999.6, 0, false), "1,000");
        assert_eq!(fixed(12345.678, 1, true), "+12,345.7");
    }

    #[test]
    fn differences_share_one_precision_and_sign() {
        let ci = PairedCi {
            estimate: 643.0,
            low: 512.4,
            high: 774.1,
            p_adjusted: 0.01,
            note: "",
        };
        assert_eq!(
            format_difference(&ci, "people"),
            "+643; 95 % CI +512 to +774"
        );
        let ci = PairedCi {
            estimate: -0.004,
            low: -0.009,
            high: 0.001,
            p_adjusted: 0.01,
            note: "",
        };
        assert_eq!(
            format_difference(&ci, "share"),
            "\u{2212}0.004; 95 % CI \u{2212}0.009 to +0.001"
        );
        let ci = PairedCi {
            estimate: f64::NAN,
            low: 1.0,
            high: f64::NAN,
            p_adjusted: 0.01,
            note: "",
        };
        assert_eq!(format_difference(&ci, "people"), "n/a; 95 % CI +1.0 to n/a");
    }

    #[test]
    fn significance_needs_a_finite_interval_excluding_zero() {
        let ci = |low, high| PairedCi {
            estimate: 0.0,
            low,
            high,
            p_adjusted: 0.01,
            note: "",
        };
        assert!(ci(1.0, 2.0).is_significant());
        assert!(ci(-2.0, -1.0).is_significant());
        assert!(!ci(-1.0, 1.0).is_significant());
        assert!(!ci(0.0, 1.0).is_significant());
        assert!(!ci(-1.0, 0.0).is_significant());
        assert!(!ci(f64::NAN, 1.0).is_significant());
        assert!(!ci(1.0, f64::INFINITY).is_significant());
    }

    #[test]
    fn verdict_follows_the_measures_direction() {
        let down = PairedCi {
            estimate: -5.0,
            low: -7.0,
            high: -3.0,
            p_adjusted: 0.01,
            note: "",
        };
        let v = Verdict::of(&down, Direction::Lower).unwrap();
        assert_eq!((v.arrow(), v.word()), ("▼", "better"));
        let v = Verdict::of(&down, Direction::Higher).unwrap();
        assert_eq!((v.arrow(), v.word()), ("▼", "worse"));
    }

    #[test]
    fn rows_are_ordered_by_place_with_nan_last() {
        let mut input = fixture::input();
        let names: Vec<_> = row_views(&input).iter().map(|r| r.name).collect();
        assert_eq!(names, ["force_large", "baseline", "exit_early"]);
        input.moe.place = vec![f64::NAN, 2.0, 2.0];
        let rows = row_views(&input);
        let names: Vec<_> = rows.iter().map(|r| r.name).collect();
        assert_eq!(names, ["exit_early", "force_large", "baseline"]);
        assert_eq!(rows[2].place, "n/a");
        assert!(rows[2].is_baseline);
    }

    #[test]
    fn image_sizes_come_from_the_headers() {
        assert_eq!(image_size(&fixture::tiny_png()), Some((2, 1)));
        assert_eq!(image_size(&fixture::gif_animation(16, 8)), Some((16, 8)));
        assert_eq!(image_size(b"not an image"), None);
    }

    #[test]
    fn horizon_pluralises_the_tick_unit() {
        let mut input = fixture::input();
        assert_eq!(horizon(&input), "365 days");
        input.ticks = 1;
        assert_eq!(horizon(&input), "1 day");
        input.ticks = 1095;
        input.tick_unit = "weeks".into();
        assert_eq!(horizon(&input), "1,095 weeks");
    }

    #[test]
    fn changes_split_into_field_and_values() {
        assert_eq!(
            split_change("mission.mandate.force_scale: 1 → 2"),
            Some(("mission.mandate.force_scale", "1 → 2"))
        );
        assert_eq!(split_change("Note: something else"), None);
        assert_eq!(split_change("free text, no field"), None);
    }
}
