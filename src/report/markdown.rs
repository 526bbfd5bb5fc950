//! `report.md`: the same report as GitHub-flavoured Markdown.
//!
//! Pipe tables, bullet lists, and charts linked by relative path
//! (`![alt](forest.png)`): the caller writes the chart files next to
//! `report.md`. Input text is escaped so that it prints literally (no
//! accidental emphasis, links, HTML or broken table cells).

use std::fmt::Write as _;

use super::{
    CellView, MEASURES_PER_TABLE, ReportInput, RowView, direction_text, fixed, horizon, row_views,
    split_change,
};

/// Text on one line, escaped for Markdown: backslash-escapes the characters
/// that could start emphasis, code, links, HTML or table cells, and entity
/// references; line breaks become spaces.
fn md(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        match c {
            '\r' | '\n' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Intraword underscores (field_names) never emphasise in GFM.
            '_' => {
                let inner = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                if !inner {
                    out.push('\\');
                }
                out.push('_');
            }
            // `&name;` or `&#nn;` would be read as an entity.
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                out.push_str("\\&");
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Like [`md`], for text that starts a block (a list item, a paragraph):
/// also escapes a leading list, heading or quote marker.
fn md_block(text: &str) -> String {
    let out = md(text);
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if out.starts_with(['-', '+', '#', '=']) {
        format!("\\{out}")
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &out[..digits], &out[digits..])
    } else {
        out
    }
}

/// An inline code span holding `text` literally (on one line), with
/// pipes escaped so it can sit in a table cell.
fn md_code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// A link destination: plain when safe, in angle brackets otherwise.
fn md_destination(path: &str) -> String {
    if path
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '\\'))
    {
        let escaped = path
            .replace('\\', "\\\\")
            .replace('<', "\\<")
            .replace('>', "\\>");
        format!("<{escaped}>")
    } else {
        path.to_string()
    }
}

/// The comparison report as GitHub-flavoured Markdown (`report.md`).
///
/// Same content and order as [`super::render_html`]; the measures of
/// effectiveness and the scenarios are pipe tables (one row per scenario),
/// significant differences are bold with "▲/▼ better/worse", and each chart
/// is an image linked by relative path, `![alt](file_stem.png)` (`.gif` for
/// animations), with a numbered caption. The same input gives the same
/// bytes.
pub fn render_markdown(input: &ReportInput) -> String {
    let mut m = String::with_capacity(16 * 1024);
    let _ = writeln!(m, "# {}\n", md(&input.title));
    let _ = writeln!(
        m,
        "> **Explores mechanisms; not a forecast.** {}\n",
        md(&input.disclaimer)
    );
    if !input.warnings.is_empty() {
        m.push_str("> **Warnings**\n>\n");
        for w in &input.warnings {
            let _ = writeln!(m, "> - {}", md(w));
        }
        m.push('\n');
    }

    m.push_str("## Run\n\n");
    let mut scenarios = input.scenarios.len().to_string();
    if let Some(b) = input.scenarios.iter().find(|s| s.is_baseline) {
        let _ = write!(scenarios, " (baseline: {})", md_code(&b.name));
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
        ("Horizon", md(&horizon(input))),
        ("Seed", input.seed.to_string()),
        ("Method", md(&input.ci_method)),
        ("Command", md_code(&input.command)),
    ];
    for (term, value) in facts {
        let _ = writeln!(m, "- **{term}:** {value}");
    }

    m.push_str("\n## Scenarios\n\n");
    m.push_str("| Scenario | Mandate | Changes against the baseline |\n|---|---|---|\n");
    for s in &input.scenarios {
        let badge = if s.is_baseline { " (baseline)" } else { "" };
        let mut mandate = format!("**{}**", md(&s.title));
        if !s.description.trim().is_empty() {
            let _ = write!(mandate, ": {}", md(&s.description));
        }
        let changes = if s.changes.is_empty() {
            if s.is_baseline {
                "*none: the reference*".to_string()
            } else {
                "*no changes*".to_string()
            }
        } else {
            s.changes
                .iter()
                .map(|c| match split_change(c) {
                    Some((key, rest)) => format!("{}: {}", md_code(key), md(rest)),
                    None => md(c),
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(m, "| {}{badge} | {mandate} | {changes} |", md_code(&s.name));
    }

    moe(&mut m, input);

    m.push_str("\n## Key findings\n\n");
    list(&mut m, &input.findings, "No findings were computed.");

    if !input.charts.is_empty() {
        m.push_str("\n## Figures\n");
        for (i, chart) in input.charts.iter().enumerate() {
            let _ = write!(
                m,
                "\n![{}]({})\n\n**Figure {}.** {}\n",
                md(&chart.alt),
                md_destination(&chart.file_name()),
                i + 1,
                md(&chart.caption)
            );
        }
    }

    for section in &input.sections {
        extra_section(&mut m, section);
    }

    m.push_str("\n## Key assumptions and limitations\n\n");
    list(&mut m, &input.assumptions, "None stated.");

    let _ = writeln!(
        m,
        "\n---\n\nGenerated by {}. {}",
        md(&input.generated_by),
        md(&input.disclaimer)
    );
    m
}

fn moe(m: &mut String, input: &ReportInput) {
    let rows = row_views(input);
    let _ = writeln!(
        m,
        "\n## Measures of effectiveness\n\nEach cell gives the scenario’s mean over {} replicates (a share of runs for a yes/no measure, a restricted mean for a time to event) and, in parentheses, the paired difference from the baseline (scenario − baseline) with its 95 % confidence interval. Rows are ordered by place (1 = best); the measures are split over several tables so that each fits the page.",
        fixed(f64::from(input.replicates), 0, false)
    );
    let measures: Vec<usize> = (0..input.moe.measures.len()).collect();
    for chunk in measures.chunks(MEASURES_PER_TABLE) {
        m.push_str("\n| Scenario | Id | Place (score) |");
        for &j in chunk {
            let measure = &input.moe.measures[j];
            let unit = if measure.unit.trim().is_empty() {
                direction_text(measure.direction).to_string()
            } else {
                format!(
                    "{}, {}",
                    md(&measure.unit),
                    direction_text(measure.direction)
                )
            };
            let _ = write!(m, " {} ({unit}) |", md(&measure.label));
        }
        m.push_str("\n|---|---|--:|");
        for _ in chunk {
            m.push_str("--:|");
        }
        m.push('\n');
        for row in &rows {
            moe_row(m, row, chunk);
        }
    }
    m.push_str("\nBold with **▼ better** or **▲ worse**: significant after Holm’s adjustment over the whole comparison (adjusted p < 0.05, and the interval excludes 0); the arrow gives the direction of the change and the word whether that is good for the measure. Not bold: not significant. not reached: no run had the event by the horizon. n/a: undefined.\n");
    let _ = writeln!(m, "\n{}", md_block(&input.ranking));
}

fn moe_row(m: &mut String, row: &RowView<'_>, chunk: &[usize]) {
    let mut scenario = md(if row.title.is_empty() {
        row.name
    } else {
        row.title
    });
    if row.is_baseline {
        scenario.push_str(" **(baseline)**");
    }
    let _ = write!(
        m,
        "| {scenario} | {} | {} ({}) |",
        md_code(row.name),
        row.place,
        row.score
    );
    for &j in chunk {
        if let Some(cell) = row.cells.get(j) {
            let _ = write!(m, " {} |", moe_cell(cell, row.is_baseline));
        }
    }
    m.push('\n');
}

fn moe_cell(cell: &CellView, is_baseline: bool) -> String {
    let note = if cell.note.is_empty() {
        String::new()
    } else {
        format!("; {}", cell.note)
    };
    let diff = match &cell.diff {
        Some(_) if cell.note == "not reached" => "(not reached)".to_string(),
        Some(d) => format!("({}; 95 % CI {} to {}{note})", d.estimate, d.low, d.high),
        None if is_baseline => "(baseline)".to_string(),
        None => String::new(),
    };
    match cell.verdict {
        Some(v) => format!("**{} {diff} {} {}**", cell.mean, v.arrow(), v.word()),
        None if diff.is_empty() => cell.mean.clone(),
        None => format!("{} {diff}", cell.mean),
    }
}

fn extra_section(m: &mut String, section: &super::Section) {
    let _ = writeln!(m, "\n## {}\n", md(&section.title));
    for p in &section.paragraphs {
        let _ = writeln!(m, "{}\n", md_block(p));
    }
    if let Some((header, rows)) = section.table.split_first() {
        let cells = |row: &[String]| row.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ");
        let _ = writeln!(m, "| {} |", cells(header));
        let _ = writeln!(m, "|{}", "---|".repeat(header.len()));
        for row in rows {
            let _ = writeln!(m, "| {} |", cells(row));
        }
        m.push('\n');
    }
    if !section.items.is_empty() {
        list(m, &section.items, "");
    }
}

fn list(m: &mut String, items: &[String], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(m, "*{empty}*");
        return;
    }
    for item in items {
        let _ = writeln!(m, "- {}", md_block(item));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ChartKind, fixture};
    use super::*;

    /// The lines of the pipe table that follows `header_start`.
    fn table<'a>(text: &'a str, header_start: &str) -> Vec<&'a str> {
        let start = text.find(header_start).expect("table header");
        text[start..]
            .lines()
            .take_while(|l| l.starts_with('|'))
            .collect()
    }

    #[test]
    fn moe_is_a_pipe_table_with_one_row_per_scenario_in_rank_order() {
        let input = fixture::input();
        let md = render_markdown(&input);
        let lines = table(&md, "| Scenario | Id | Place (score) |");
        assert_eq!(lines.len(), 2 + input.moe.rows.len());
        assert_eq!(
            lines[0],
            "| Scenario | Id | Place (score) | Civilian deaths (people, lower is better) | Trust in the mission (share, higher is better) | Days to calm (days, lower is better) |"
        );
        assert_eq!(lines[1], "|---|---|--:|--:|--:|--:|");
        let columns = 3 + input.moe.measures.len();
        for line in &lines {
            let cells = line.replace("\\|", "").matches('|').count();
            assert_eq!(cells, columns + 1, "{line}");
        }
        assert!(lines[2].starts_with("| A larger force | `force_large` | 1 (+0.90) |"));
        assert!(
            lines[3].starts_with("| Baseline mandate **(baseline)** | `baseline` | 2 (0.00) |")
        );
        assert!(lines[4].starts_with("| Early exit | `exit_early` | 3 (\u{2212}0.80) |"));
        assert_eq!(
            lines[3],
            "| Baseline mandate **(baseline)** | `baseline` | 2 (0.00) | 920 (baseline) | 0.61 (baseline) | 120 (baseline) |"
        );
    }

    #[test]
    fn significant_cells_are_bold_with_a_marker_and_nan_is_na() {
        let md = render_markdown(&fixture::input());
        let lines = table(&md, "| Scenario | Id | Place (score) |");
        assert_eq!(
            lines[2],
            "| A larger force | `force_large` | 1 (+0.90) | **558 (\u{2212}362; 95 % CI \u{2212}420 to \u{2212}300) ▼ better** | **0.83 (+0.22; 95 % CI +0.18 to +0.26) ▲ better** | 95 (\u{2212}25; 95 % CI \u{2212}50 to 0) |"
        );
        assert_eq!(
            lines[4],
            "| Early exit | `exit_early` | 3 (\u{2212}0.80) | **1,563 (+643; 95 % CI +512 to +774) ▲ worse** | 0.60 (\u{2212}0.010; 95 % CI \u{2212}0.030 to +0.012) | n/a (n/a; 95 % CI n/a to n/a) |"
        );
        let body = lines[2..].join("\n");
        assert_eq!(body.matches(" better**").count(), 2);
        assert_eq!(body.matches(" worse**").count(), 1);
    }

    /// Many measures are split over tables of at most three, so that each
    /// fits the page; a time to event no run reached and an untested
    /// difference say so; an interval excluding 0 without an adjusted
    /// p-value below 0.05 is not bold.
    #[test]
    fn wide_tables_are_split_and_untested_cells_say_why() {
        let mut input = fixture::input();
        let extra = input.moe.measures[2].clone();
        for _ in 0..3 {
            input.moe.measures.push(extra.clone());
            for (_, cells) in &mut input.moe.rows {
                let mut c = cells[2];
                c.reached = false;
                if let Some(d) = c.diff.as_mut() {
                    d.note = "not reached";
                }
                cells.push(c);
            }
        }
        input.moe.rows[2].1[0].diff.as_mut().unwrap().p_adjusted = 0.2;
        input.moe.rows[2].1[1].diff.as_mut().unwrap().note = "n < 5: too few";
        let md = render_markdown(&input);
        let tables = input.moe.measures.len().div_ceil(MEASURES_PER_TABLE);
        assert_eq!(
            md.matches("| Scenario | Id | Place (score) |").count(),
            tables
        );
        for line in md.lines().filter(|l| l.starts_with("| Scenario | Id |")) {
            assert!(
                line.matches(" is better) |").count() <= MEASURES_PER_TABLE,
                "{line}"
            );
        }
        let second = &md[md.rfind("| Scenario | Id |").unwrap()..];
        assert!(second.contains("not reached (not reached)"));
        let first = table(&md, "| Scenario | Id | Place (score) |");
        assert!(
            first[2].contains("| 558 (\u{2212}362; 95 % CI \u{2212}420 to \u{2212}300) |"),
            "{}",
            first[2]
        );
        assert!(first[2].contains("+0.26; n < 5: too few)"), "{}", first[2]);
    }

    #[test]
    fn scenarios_table_and_facts() {
        let input = fixture::input();
        let md = render_markdown(&input);
        assert!(md.starts_with(
            "# Gaza: mandate comparison\n\n> **Explores mechanisms; not a forecast.** "
        ));
        assert!(md.contains(crate::DISCLAIMER));
        let lines = table(&md, "| Scenario | Mandate |");
        assert_eq!(lines.len(), 2 + input.scenarios.len());
        assert!(lines[2].starts_with("| `baseline` (baseline) | **Baseline mandate**"));
        assert!(lines[3].contains(
            "Twice the troops, \\<script\\>alert(1)\\</script\\> & \"quotes\". | `mission.mandate.force_scale`: 1 → 2 |"
        ));
        assert!(lines[4].contains(
            "`mission.mandate.exit_day`: 730 → 180; `mission.mandate.handover`: gradual → sudden |"
        ));
        assert!(md.contains("- **Replicates:** 200 per scenario\n"));
        assert!(md.contains("- **Horizon:** 365 days\n"));
        assert!(md.contains("- **Seed:** 42\n"));
        assert!(md.contains(
            "- **Command:** `stabsim compare scenarios/gaza --replicates 200 --seed 42`\n"
        ));
        for f in &input.findings {
            assert!(md.contains(&format!("- {f}\n")));
        }
        assert!(md.contains("## Key assumptions and limitations\n\n- Almost every"));
        assert!(md.ends_with(&format!(
            "Generated by stabsim 0.1.0. {}\n",
            crate::DISCLAIMER
        )));
    }

    #[test]
    fn charts_are_linked_by_relative_path_with_numbered_captions() {
        let input = fixture::input();
        let md = render_markdown(&input);
        assert!(md.contains(
            "![Forest plot of paired differences](forest.png)\n\n**Figure 1.** Paired differences"
        ));
        assert!(md.contains("![Civilian deaths over time](violence.png)"));
        assert!(md.contains("![Animated map of one baseline replicate](map.gif)\n\n**Figure 3.**"));
        assert_eq!(md.matches("![").count(), input.charts.len());
        assert_eq!(
            input
                .charts
                .iter()
                .filter(|c| c.kind == ChartKind::Animation)
                .count(),
            md.matches(".gif)").count()
        );
        assert!(!md.contains("base64") && !md.contains("http"));
        assert!(!md.contains('\r'));
    }

    #[test]
    fn text_is_escaped_for_markdown() {
        assert_eq!(
            md("a *b* [c](d) <e> | f_g _h_"),
            "a \\*b\\* \\[c\\](d) \\<e\\> \\| f_g \\_h\\_"
        );
        assert_eq!(md("line\nbreak & &amp;"), "line break & \\&amp;");
        assert_eq!(md_block("- not a list"), "\\- not a list");
        assert_eq!(md_block("2. not a list"), "2\\. not a list");
        assert_eq!(md_block("−362 deaths"), "−362 deaths");
        assert_eq!(md_code("a|b"), "`a\\|b`");
        assert_eq!(md_code("x `y`"), "`` x `y` ``");
        assert_eq!(md_destination("my chart.png"), "<my chart.png>");
        assert_eq!(md_destination("forest.png"), "forest.png");
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(
            render_markdown(&fixture::input()),
            render_markdown(&fixture::input())
        );
    }
}
