//! `report.html`: one self-contained HTML5 page.
//!
//! Inline CSS, charts as base64 `data:` URIs, no scripts, no web fonts, no
//! external URLs: the file can be mailed, archived or opened offline and
//! looks the same. Every piece of text from the input is escaped.

use std::fmt::Write as _;

use base64::Engine as _;

use super::{
    CellView, MEASURES_PER_TABLE, ReportInput, RowView, direction_text, fixed, horizon, image_size,
    row_views, split_change,
};

/// The page's style sheet: system fonts, a readable measure, tables that
/// scroll sideways on narrow screens, a print layout.
const CSS: &str = r#"
:root {
  --fg: #1c2431; --muted: #5a6473; --line: #dde2ea; --head: #f4f6f9;
  --accent: #1f4e79; --base: #f2f6fb;
  --better: #0b6b39; --better-bg: #e2f3e8; --worse: #a4231b; --worse-bg: #fbe7e5;
  --note: #8a5300; --note-bg: #fff6e5; --note-line: #e3a33b;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0; background: #fff; color: var(--fg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 16px; line-height: 1.55;
}
.page { max-width: 1160px; margin: 0 auto; padding: 2.5rem 1.5rem 2rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: .2rem 0 1.1rem; letter-spacing: -.01em; }
h2 {
  font-size: 1.3rem; margin: 2.6rem 0 .9rem; padding-bottom: .35rem;
  border-bottom: 2px solid var(--accent); color: var(--accent);
}
p { margin: .6rem 0; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .88em; }
.kicker { margin: 0; color: var(--muted); font-size: .85rem; letter-spacing: .08em; text-transform: uppercase; font-weight: 600; }
.disclaimer {
  margin: 0 0 1.4rem; padding: .9rem 1.1rem; background: var(--note-bg);
  border: 1px solid #f1d9ab; border-left: 5px solid var(--note-line); border-radius: 6px; color: #3b2a06;
}
.disclaimer strong { color: var(--note); }
.toc { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; font-size: .9rem; padding: .6rem 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.toc a { color: var(--accent); text-decoration: none; }
.toc a:hover { text-decoration: underline; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1.5rem; margin: 0; }
.facts dt { font-weight: 600; color: var(--muted); }
.facts dd { margin: 0; min-width: 0; }
.facts code { display: block; padding: .45rem .6rem; background: var(--head); border: 1px solid var(--line); border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; margin: .8rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { padding: .55rem .75rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
tbody tr:last-child > * { border-bottom: none; }
thead th { background: var(--head); font-weight: 600; vertical-align: bottom; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scenarios { min-width: 42rem; }
.scenarios td:first-child { white-space: nowrap; }
.scenarios td:nth-child(2) { min-width: 16rem; }
.scenarios .title { font-weight: 600; display: block; }
.scenarios .desc { color: var(--muted); }
.changes { margin: 0; padding: 0; list-style: none; }
.changes li + li { margin-top: .15rem; }
.changes code { color: var(--accent); }
.none { color: var(--muted); font-style: italic; }
.name { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .86em; }
.badge {
  display: inline-block; margin-left: .4rem; padding: 0 .45rem; border-radius: 999px;
  background: var(--accent); color: #fff; font-size: .72rem; font-weight: 600;
  letter-spacing: .03em; vertical-align: .1em; font-family: inherit;
}
.moe th.label .unit { display: block; font-weight: 400; color: var(--muted); font-size: .78rem; }
.moe tbody th { font-weight: 400; position: sticky; left: 0; background: #fff; min-width: 10rem; box-shadow: 1px 0 0 var(--line); }
.moe thead th:first-child { position: sticky; left: 0; z-index: 1; box-shadow: 1px 0 0 var(--line); }
.moe tbody th .title { display: block; color: var(--muted); font-size: .85rem; }
.moe tbody th .mandate { font-weight: 600; }
.moe tr.baseline > * { background: var(--base); }
.moe { font-size: .88rem; }
.moe th, .moe td { padding: .5rem .6rem; }
.moe td { min-width: 9rem; }
.wide { margin-left: calc(50% - min(50vw - 1rem, 820px)); margin-right: calc(50% - min(50vw - 1rem, 820px)); }
.top, .est, .ci { white-space: nowrap; }
.moe .rank { font-weight: 600; font-size: 1rem; }
.mean { font-weight: 600; font-size: 1rem; }
.diff { display: block; color: var(--muted); font-size: .8rem; }
.ref { display: block; color: var(--muted); font-size: .8rem; font-style: italic; }
.cell-rank { color: var(--muted); font-size: .72rem; margin-right: .35rem; font-weight: 400; }
.flag { display: inline-block; margin-left: .35rem; padding: 0 .4rem; border-radius: 4px; font-size: .74rem; font-weight: 700; vertical-align: .08em; }
.flag.better { color: var(--better); background: var(--better-bg); }
.flag.worse { color: var(--worse); background: var(--worse-bg); }
td.better .diff { color: var(--better); font-weight: 700; }
td.worse .diff { color: var(--worse); font-weight: 700; }
.legend { font-size: .85rem; color: var(--muted); }
.findings li, .assumptions li { margin: .35rem 0; }
.findings li::marker { color: var(--accent); }
figure { margin: 1.8rem 0; padding: 0; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figcaption { margin: .55rem auto 0; max-width: 52rem; font-size: .9rem; color: var(--muted); text-align: center; }
figcaption .fig-no { font-weight: 700; color: var(--fg); }
footer { margin-top: 3rem; padding-top: .9rem; border-top: 1px solid var(--line); font-size: .82rem; color: var(--muted); }
footer p { margin: .25rem 0; }
@media (max-width: 640px) {
  .page { padding: 1.5rem 1rem; }
  h1 { font-size: 1.55rem; }
  .facts { grid-template-columns: 1fr; gap: 0; }
  .facts dd { margin-bottom: .5rem; }
}
@media print {
  @page { margin: 16mm 14mm; }
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; margin-top: 1.6rem; }
  .table-wrap { overflow: visible; border: none; }
  table { font-size: 8.5pt; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
  .moe tbody th, .moe thead th:first-child { position: static; box-shadow: none; }
  .wide { margin-left: 0; margin-right: 0; }
  .top, .est, .ci { white-space: normal; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Escapes text for HTML content and double-quoted attributes.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The comparison report as one self-contained HTML5 page (`report.html`).
///
/// Content and order: title, the not-a-forecast statement
/// ([`ReportInput::disclaimer`]), run facts, scenarios, the measures of
/// effectiveness (rows by place in the ranking, significant differences flagged "▲/▼
/// better/worse"), key findings, numbered figures (inline `data:` URIs),
/// key assumptions and limitations, and a footer with
/// [`ReportInput::generated_by`]. No scripts, fonts or external URLs; all
/// input text is escaped; the same input gives the same bytes.
pub fn render_html(input: &ReportInput) -> String {
    let charts_bytes: usize = input.charts.iter().map(|c| c.png.len()).sum();
    let mut h = String::with_capacity(32 * 1024 + charts_bytes * 4 / 3);
    head(&mut h, input);
    h.push_str("<body>\n<div class=\"page\">\n");
    header(&mut h, input);
    run_facts(&mut h, input);
    scenarios(&mut h, input);
    moe(&mut h, input);
    findings(&mut h, input);
    figures(&mut h, input);
    for section in &input.sections {
        extra_section(&mut h, section);
    }
    assumptions(&mut h, input);
    footer(&mut h, input);
    h.push_str("</div>\n</body>\n</html>\n");
    h
}

fn head(h: &mut String, input: &ReportInput) {
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        h,
        "<meta name=\"generator\" content=\"{}\">",
        esc(&input.generated_by)
    );
    let _ = writeln!(h, "<title>{}</title>", esc(&input.title));
    let _ = writeln!(h, "<style>{CSS}</style>");
    h.push_str("</head>\n");
}

fn header(h: &mut String, input: &ReportInput) {
    h.push_str("<header>\n<p class=\"kicker\">Mandate comparison report</p>\n");
    let _ = writeln!(h, "<h1>{}</h1>", esc(&input.title));
    let _ = writeln!(
        h,
        "<div class=\"disclaimer\" role=\"note\"><p><strong>Explores mechanisms; not a forecast.</strong> {}</p></div>",
        esc(&input.disclaimer)
    );
    if !input.warnings.is_empty() {
        h.push_str("<div class=\"disclaimer\" role=\"alert\"><p><strong>Warnings</strong></p><ul>");
        for w in &input.warnings {
            let _ = write!(h, "<li>{}</li>", esc(w));
        }
        h.push_str("</ul></div>\n");
    }
    h.push_str("<nav class=\"toc\" aria-label=\"Contents\">");
    let mut links = vec![
        ("run", "Run"),
        ("scenarios", "Scenarios"),
        ("moe", "Measures of effectiveness"),
        ("findings", "Key findings"),
    ];
    if !input.charts.is_empty() {
        links.push(("figures", "Figures"));
    }
    for section in &input.sections {
        links.push((section.id.as_str(), section.title.as_str()));
    }
    links.push(("assumptions", "Assumptions and limitations"));
    for (id, label) in links {
        let (id, label) = (esc(id), esc(label));
        let _ = write!(h, "<a href=\"#{id}\">{label}</a>");
    }
    h.push_str("</nav>\n</header>\n");
}

fn run_facts(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"run\">\n<h2>Run</h2>\n<dl class=\"facts\">\n");
    let baseline = input.scenarios.iter().find(|s| s.is_baseline);
    let mut scenarios = format!("{}", input.scenarios.len());
    if let Some(b) = baseline {
        let _ = write!(
            scenarios,
            " (baseline: <span class=\"name\">{}</span>)",
            esc(&b.name)
        );
    }
    let facts = [
        ("Scenarios", scenarios),
        (
            "Replicates",
            format!(
                "{} per scenario",
                fixed(f64::from(input.replicates), 0, false)
            ),
        ),
        ("Horizon", esc(&horizon(input))),
        ("Seed", input.seed.to_string()),
        ("Method", esc(&input.ci_method)),
        ("Command", format!("<code>{}</code>", esc(&input.command))),
    ];
    for (term, value) in facts {
        let _ = writeln!(h, "<dt>{term}</dt><dd>{value}</dd>");
    }
    h.push_str("</dl>\n</section>\n");
}

fn scenarios(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"scenarios\">\n<h2>Scenarios</h2>\n");
    h.push_str("<div class=\"table-wrap\">\n<table class=\"scenarios\">\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">Mandate</th><th scope=\"col\">Changes against the baseline</th></tr></thead>\n<tbody>\n");
    for s in &input.scenarios {
        let badge = if s.is_baseline {
            "<span class=\"badge\">baseline</span>"
        } else {
            ""
        };
        let _ = write!(
            h,
            "<tr><td><span class=\"name\">{}</span>{badge}</td><td><span class=\"title\">{}</span>",
            esc(&s.name),
            esc(&s.title)
        );
        if !s.description.trim().is_empty() {
            let _ = write!(h, "<span class=\"desc\">{}</span>", esc(&s.description));
        }
        h.push_str("</td><td>");
        if s.changes.is_empty() {
            let text = if s.is_baseline {
                "none: the reference"
            } else {
                "no changes"
            };
            let _ = write!(h, "<span class=\"none\">{text}</span>");
        } else {
            h.push_str("<ul class=\"changes\">");
            for change in &s.changes {
                match split_change(change) {
                    Some((key, rest)) => {
                        let _ = write!(h, "<li><code>{}</code>: {}</li>", esc(key), esc(rest));
                    }
                    None => {
                        let _ = write!(h, "<li>{}</li>", esc(change));
                    }
                }
            }
            h.push_str("</ul>");
        }
        h.push_str("</td></tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn moe(h: &mut String, input: &ReportInput) {
    let rows = row_views(input);
    h.push_str("<section id=\"moe\">\n<h2>Measures of effectiveness</h2>\n");
    let _ = writeln!(
        h,
        "<p>Each cell gives the scenario’s mean over {} replicates (a share of runs for a yes/no measure, a restricted mean for a time to event) and, under it, the paired difference from the baseline (scenario − baseline) with its 95&#160;% confidence interval. Rows are ordered by place (1 = best); the measures are split over several tables so that each fits the page.</p>",
        fixed(f64::from(input.replicates), 0, false)
    );
    let measures: Vec<usize> = (0..input.moe.measures.len()).collect();
    for chunk in measures.chunks(MEASURES_PER_TABLE) {
        h.push_str("<div class=\"table-wrap wide\">\n<table class=\"moe\">\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\" class=\"num label\">Place<span class=\"unit\">score</span></th>");
        for &j in chunk {
            let m = &input.moe.measures[j];
            let unit = if m.unit.trim().is_empty() {
                direction_text(m.direction).to_string()
            } else {
                format!("{} · {}", esc(&m.unit), direction_text(m.direction))
            };
            let _ = write!(
                h,
                "<th scope=\"col\" class=\"num label\">{}<span class=\"unit\">{unit}</span></th>",
                esc(&m.label)
            );
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for row in &rows {
            moe_row(h, row, chunk);
        }
        h.push_str("</tbody>\n</table>\n</div>\n");
    }
    h.push_str("<p class=\"legend\"><span class=\"flag better\">▼ better</span> <span class=\"flag worse\">▲ worse</span> and a bold difference: significant after Holm’s adjustment over the whole comparison (adjusted p&#160;&lt;&#160;0.05, and the interval excludes 0); the arrow gives the direction of the change and the word whether that is good for the measure. A grey difference: not significant. <em>#n</em>: the scenario’s rank on that measure. <em>not reached</em>: no run had the event by the horizon. <em>n/a</em>: undefined.</p>\n");
    let _ = writeln!(
        h,
        "<p class=\"legend\">{}</p>\n</section>",
        esc(&input.ranking)
    );
}

fn moe_row(h: &mut String, row: &RowView<'_>, chunk: &[usize]) {
    let class = if row.is_baseline {
        " class=\"baseline\""
    } else {
        ""
    };
    let badge = if row.is_baseline {
        "<span class=\"badge\">baseline</span>"
    } else {
        ""
    };
    let title = if row.title.is_empty() {
        row.name
    } else {
        row.title
    };
    let _ = write!(
        h,
        "<tr{class}><th scope=\"row\"><span class=\"mandate\">{}</span>{badge}<span class=\"title name\">{}</span>",
        esc(title),
        esc(row.name)
    );
    let _ = write!(
        h,
        "</th><td class=\"num\"><span class=\"rank\">{}</span><span class=\"diff\">{}</span></td>",
        row.place, row.score
    );
    for &j in chunk {
        if let Some(cell) = row.cells.get(j) {
            moe_cell(h, cell, row.is_baseline);
        }
    }
    h.push_str("</tr>\n");
}

fn moe_cell(h: &mut String, cell: &CellView, is_baseline: bool) {
    let class = match cell.verdict {
        Some(v) => format!("num {}", v.word()),
        None => "num".to_string(),
    };
    let _ = write!(h, "<td class=\"{class}\"><span class=\"top\">");
    if cell.rank > 0 {
        let _ = write!(
            h,
            "<span class=\"cell-rank\" title=\"rank on this measure\">#{}</span>",
            cell.rank
        );
    }
    let _ = write!(h, "<span class=\"mean\">{}</span>", esc(&cell.mean));
    if let Some(v) = cell.verdict {
        let _ = write!(
            h,
            "<span class=\"flag {word}\">{} {word}</span>",
            v.arrow(),
            word = v.word()
        );
    }
    h.push_str("</span>");
    match &cell.diff {
        Some(_) if cell.note == "not reached" => {
            h.push_str("<span class=\"ref\">not reached</span>");
        }
        Some(d) => {
            let _ = write!(
                h,
                "<span class=\"diff\"><span class=\"est\">{}</span> <span class=\"ci\">(95&#160;% CI {} to {})</span></span>",
                d.estimate, d.low, d.high
            );
            if !cell.note.is_empty() {
                let _ = write!(h, "<span class=\"ref\">{}</span>", esc(cell.note));
            }
        }
        None => {
            let text = if is_baseline {
                "baseline"
            } else {
                "no difference"
            };
            let _ = write!(h, "<span class=\"ref\">{text}</span>");
        }
    }
    h.push_str("</td>");
}

fn findings(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"findings\">\n<h2>Key findings</h2>\n");
    list(h, "findings", &input.findings, "No findings were computed.");
    h.push_str("</section>\n");
}

fn figures(h: &mut String, input: &ReportInput) {
    if input.charts.is_empty() {
        return;
    }
    h.push_str("<section id=\"figures\">\n<h2>Figures</h2>\n");
    let engine = base64::engine::general_purpose::STANDARD;
    for (i, chart) in input.charts.iter().enumerate() {
        let n = i + 1;
        let size = match image_size(&chart.png) {
            Some((w, h)) => format!(" width=\"{w}\" height=\"{h}\""),
            None => String::new(),
        };
        let _ = write!(
            h,
            "<figure id=\"figure-{n}\">\n<img src=\"data:{};base64,",
            chart.kind.mime()
        );
        engine.encode_string(&chart.png, h);
        let _ = writeln!(h, "\" alt=\"{}\"{size}>", esc(&chart.alt));
        let _ = writeln!(
            h,
            "<figcaption><span class=\"fig-no\">Figure {n}.</span> {}</figcaption>\n</figure>",
            esc(&chart.caption)
        );
    }
    h.push_str("</section>\n");
}

fn extra_section(h: &mut String, section: &super::Section) {
    let _ = writeln!(
        h,
        "<section id=\"{}\">\n<h2>{}</h2>",
        esc(&section.id),
        esc(&section.title)
    );
    for p in &section.paragraphs {
        let _ = writeln!(h, "<p>{}</p>", esc(p));
    }
    if let Some((header, rows)) = section.table.split_first() {
        h.push_str("<div class=\"table-wrap\"><table>\n<thead><tr>");
        for c in header {
            let _ = write!(h, "<th scope=\"col\">{}</th>", esc(c));
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            h.push_str("<tr>");
            for c in row {
                let _ = write!(h, "<td>{}</td>", esc(c));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n");
    }
    if !section.items.is_empty() {
        list(h, "findings", &section.items, "");
    }
    h.push_str("</section>\n");
}

fn assumptions(h: &mut String, input: &ReportInput) {
    h.push_str("<section id=\"assumptions\">\n<h2>Key assumptions and limitations</h2>\n");
    list(h, "assumptions", &input.assumptions, "None stated.");
    h.push_str("</section>\n");
}

fn list(h: &mut String, class: &str, items: &[String], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(h, "<p class=\"none\">{empty}</p>");
        return;
    }
    let _ = writeln!(h, "<ul class=\"{class}\">");
    for item in items {
        let _ = writeln!(h, "<li>{}</li>", esc(item));
    }
    h.push_str("</ul>\n");
}

fn footer(h: &mut String, input: &ReportInput) {
    let _ = writeln!(
        h,
        "<footer>\n<p>Generated by {}. {}</p>\n</footer>",
        esc(&input.generated_by),
        esc(&input.disclaimer)
    );
}

#[cfg(test)]
mod tests {
    use super::super::{ChartEntry, ChartKind, fixture};
    use super::*;

    /// The markup of a difference cell's second line.
    fn diff(estimate: &str, low: &str, high: &str) -> String {
        format!(
            "<span class=\"diff\"><span class=\"est\">{estimate}</span> <span class=\"ci\">(95&#160;% CI {low} to {high})</span></span>"
        )
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn has_every_scenario_measure_and_the_disclaimer() {
        let input = fixture::input();
        let html = render_html(&input);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        for s in &input.scenarios {
            assert!(html.contains(&esc(&s.name)), "scenario {}", s.name);
            assert!(html.contains(&esc(&s.title)), "title {}", s.title);
        }
        for m in &input.moe.measures {
            assert!(html.contains(&esc(&m.label)), "measure {}", m.label);
        }
        assert!(html.contains(&esc(crate::DISCLAIMER)));
        for f in &input.findings {
            assert!(html.contains(&esc(f)));
        }
        for a in &input.assumptions {
            assert!(html.contains(&esc(a)));
        }
        assert!(html.contains("Generated by stabsim 0.1.0."));
        assert!(html.contains("<dt>Seed</dt><dd>42</dd>"));
        assert!(html.contains("365 days"));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn one_inline_image_per_chart_and_no_external_references() {
        let input = fixture::input();
        let html = render_html(&input);
        let images = input
            .charts
            .iter()
            .filter(|c| c.kind == ChartKind::Image)
            .count();
        let animations = input.charts.len() - images;
        assert_eq!(count(&html, "<img "), input.charts.len());
        assert_eq!(count(&html, "src=\"data:image/png;base64,"), images);
        assert_eq!(count(&html, "src=\"data:image/gif;base64,"), animations);
        assert_eq!(count(&html, "src=\""), input.charts.len());
        assert_eq!(count(&html, "<figcaption>"), input.charts.len());
        assert!(html.contains("Figure 3.</span>"));
        for chart in &input.charts {
            assert!(html.contains(&format!("alt=\"{}\"", esc(&chart.alt))));
            let b64 = base64::engine::general_purpose::STANDARD.encode(&chart.png);
            assert!(html.contains(&b64));
            assert!(!html.contains(&chart.file_name()));
        }
        assert!(html.contains("width=\"2\" height=\"1\""));
        let lower = html.to_lowercase();
        assert!(!lower.contains("http://") && !lower.contains("https://"));
        assert!(!lower.contains("<script") && !lower.contains("<link"));
        assert!(!lower.contains("url("));
        assert!(
            !lower.contains("href=\"") || count(&lower, "href=\"#") == count(&lower, "href=\"")
        );
    }

    #[test]
    fn input_text_is_escaped() {
        let mut input = fixture::input();
        input.title = "A <b>bold</b> & \"quoted\" title".into();
        input.charts[0].alt = "x\" onerror=\"alert(1)".into();
        input.findings.push("<img src=x>".into());
        let html = render_html(&input);
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<h1>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; title</h1>"));
        assert!(html.contains("alt=\"x&quot; onerror=&quot;alert(1)\""));
        assert!(html.contains("<li>&lt;img src=x&gt;</li>"));
        assert_eq!(count(&html, "<img "), input.charts.len());
    }

    #[test]
    fn nan_prints_na() {
        let html = render_html(&fixture::input());
        // exit_early, days to calm: mean and all three difference numbers NaN.
        assert!(html.contains(&format!(
            "<span class=\"mean\">n/a</span></span>{}",
            diff("n/a", "n/a", "n/a")
        )));
        let table = &html[html.find("<table class=\"moe\">").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        assert!(!table.contains("NaN") && !table.contains("inf"));
    }

    #[test]
    fn significant_markers_exactly_where_the_interval_excludes_zero() {
        let html = render_html(&fixture::input());
        let table = &html[html.find("<table class=\"moe\">").unwrap()..];
        let table = &table[..table.find("</table>").unwrap()];
        // Fixture: three significant cells, three not (one spans 0, one
        // NaN, one touching 0 exactly), three baseline cells.
        assert_eq!(count(table, "<span class=\"flag "), 3);
        assert_eq!(count(table, "<td class=\"num better\">"), 2);
        assert_eq!(count(table, "<td class=\"num worse\">"), 1);
        assert!(table.contains(&format!(
            "<span class=\"mean\">558</span><span class=\"flag better\">▼ better</span></span>{}",
            diff("\u{2212}362", "\u{2212}420", "\u{2212}300")
        )));
        assert!(table.contains(&format!(
            "<span class=\"mean\">0.83</span><span class=\"flag better\">▲ better</span></span>{}",
            diff("+0.22", "+0.18", "+0.26")
        )));
        assert!(table.contains(&format!(
            "<span class=\"mean\">1,563</span><span class=\"flag worse\">▲ worse</span></span>{}",
            diff("+643", "+512", "+774")
        )));
        assert!(table.contains(&format!(
            "<td class=\"num\"><span class=\"top\"><span class=\"cell-rank\" title=\"rank on this measure\">#3</span><span class=\"mean\">0.60</span></span>{}",
            diff("\u{2212}0.010", "\u{2212}0.030", "+0.012")
        )));
        assert!(table.contains(&format!(
            "<span class=\"mean\">95</span></span>{}",
            diff("\u{2212}25", "\u{2212}50", "0")
        )));
        assert_eq!(count(table, "<span class=\"ref\">baseline</span>"), 3);
    }

    #[test]
    fn moe_rows_follow_mean_rank_and_mark_the_baseline() {
        let html = render_html(&fixture::input());
        let table = &html[html.find("<table class=\"moe\">").unwrap()..];
        let pos = |name: &str| {
            table
                .find(&format!(
                    "<th scope=\"row\"><span class=\"mandate\">{name}</span>"
                ))
                .unwrap_or_else(|| panic!("row {name}"))
        };
        assert!(pos("A larger force") < pos("Baseline mandate"));
        assert!(pos("Baseline mandate") < pos("Early exit"));
        assert!(table.contains("<tr class=\"baseline\"><th scope=\"row\"><span class=\"mandate\">Baseline mandate</span><span class=\"badge\">baseline</span><span class=\"title name\">baseline</span>"));
        assert_eq!(count(table, "<tr class=\"baseline\">"), 1);
        assert!(table.contains("<span class=\"rank\">1</span><span class=\"diff\">+0.90</span>"));
    }

    #[test]
    fn scenario_changes_are_listed() {
        let html = render_html(&fixture::input());
        assert!(html.contains("<li><code>mission.mandate.force_scale</code>: 1 → 2</li>"));
        assert!(html.contains("<li><code>mission.mandate.exit_day</code>: 730 → 180</li>"));
        assert!(html.contains("<span class=\"none\">none: the reference</span>"));
    }

    #[test]
    fn output_is_deterministic() {
        let a = render_html(&fixture::input());
        let b = render_html(&fixture::input());
        assert_eq!(a, b);
    }

    #[test]
    fn tags_are_balanced() {
        let html = render_html(&fixture::input());
        for tag in [
            "section",
            "table",
            "thead",
            "tbody",
            "tr",
            "td",
            "th",
            "ul",
            "li",
            "figure",
            "figcaption",
            "dl",
            "dt",
            "dd",
            "span",
            "div",
            "p",
            "footer",
            "header",
            "nav",
        ] {
            let open = count(&html, &format!("<{tag}>")) + count(&html, &format!("<{tag} "));
            let close = count(&html, &format!("</{tag}>"));
            assert_eq!(open, close, "<{tag}>");
        }
    }

    #[test]
    fn empty_sections_say_so() {
        let mut input = fixture::input();
        input.findings.clear();
        input.assumptions.clear();
        input.charts = Vec::<ChartEntry>::new();
        let html = render_html(&input);
        assert!(html.contains("No findings were computed."));
        assert!(html.contains("None stated."));
        assert!(!html.contains("<img") && !html.contains("id=\"figures\""));
        assert!(!html.contains("href=\"#figures\""));
    }
}
