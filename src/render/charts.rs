//! Charts and statistics: counts by category as an inline SVG bar chart with `<title>` and
//! `<desc>`, the same figures as a table, and a CSV download. At the `OFFICIAL` ceiling
//! counts of 1 to 5 are shown as `1-5` (small-number disclosure control).

use std::fmt::Write as _;

/// One chart: a title, an id (for the CSV file name and anchors), and (label, count) rows.
pub(super) struct Chart {
    /// Heading and accessible name.
    pub title: String,
    /// Slug used for the anchor and `<id>.csv`.
    pub id: String,
    /// What the rows are (the table's and CSV's first heading): "Reporting area".
    pub category: String,
    /// What is counted (the second heading): "Case reviews".
    pub measure: String,
    /// Category label and count, in display order.
    pub rows: Vec<(String, usize)>,
}

/// A count as published: exact, or `1-5` when small numbers are suppressed.
pub(super) fn shown(count: usize, suppress: bool) -> String {
    if suppress && (1..=5).contains(&count) {
        "1-5".to_owned()
    } else {
        count.to_string()
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as an HTML `<figure>`: SVG bars, then the data table, then the CSV link.
pub(super) fn figure(chart: &Chart, suppress: bool, csv_url: &str) -> String {
    let id = escape(&chart.id);
    let title = escape(&chart.title);
    let max = chart.rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (row_h, label_w, bar_w) = (28, 220, 380);
    let height = chart.rows.len() * row_h + 10;
    let mut svg = format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {} {height}\" width=\"{}\" height=\"{height}\"><title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">",
        label_w + bar_w + 60,
        label_w + bar_w + 60
    );
    let described: Vec<String> = chart
        .rows
        .iter()
        .map(|(l, n)| format!("{}: {}", escape(l), shown(*n, suppress)))
        .collect();
    svg.push_str(&described.join("; "));
    svg.push_str("</desc>");
    for (i, (label, count)) in chart.rows.iter().enumerate() {
        let y = i * row_h + 5;
        let hidden = suppress && (1..=5).contains(count);
        let value = if hidden { 5 } else { *count };
        let w = (value * bar_w).div_ceil(max).max(usize::from(value > 0));
        let class = if hidden { "bar bar-suppressed" } else { "bar" };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"{class}\" x=\"{}\" y=\"{y}\" width=\"{w}\" height=\"{}\"></rect><text x=\"{}\" y=\"{}\">{}</text>",
            label_w - 8,
            y + 18,
            escape(label),
            label_w,
            row_h - 8,
            label_w + w + 6,
            y + 18,
            shown(*count, suppress)
        );
    }
    svg.push_str("</svg>");
    let mut table = format!(
        "<table class=\"table\"><caption>{title}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(&chart.category),
        escape(&chart.measure)
    );
    for (label, count) in &chart.rows {
        let _ = write!(
            table,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(label),
            shown(*count, suppress)
        );
    }
    table.push_str("</tbody></table>");
    format!(
        "<figure class=\"chart\" id=\"{id}\"><h2>{title}</h2>{svg}{table}<figcaption><a href=\"{}\" download>Download this table as CSV</a></figcaption></figure>",
        escape(csv_url)
    )
}

/// The chart's figures as CSV.
pub(super) fn csv(chart: &Chart, suppress: bool) -> String {
    let field = |text: &str| {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let mut out = format!("{},{}\n", field(&chart.category), field(&chart.measure));
    for (label, count) in &chart.rows {
        let _ = writeln!(out, "{},{}", field(label), shown(*count, suppress));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "Reviews by area".into(),
            id: "by-area".into(),
            category: "Reporting area".into(),
            measure: "Case reviews".into(),
            rows: vec![
                ("Hampshire".into(), 12),
                ("Isle of Wight".into(), 2),
                ("None".into(), 0),
            ],
        }
    }

    #[test]
    fn small_numbers_are_suppressed_only_when_asked() {
        assert_eq!(
            csv(&chart(), true),
            "Reporting area,Case reviews\nHampshire,12\nIsle of Wight,1-5\nNone,0\n"
        );
        assert_eq!(
            csv(&chart(), false),
            "Reporting area,Case reviews\nHampshire,12\nIsle of Wight,2\nNone,0\n"
        );
        let html = figure(&chart(), true, "/statistics/by-area.csv");
        assert!(
            html.contains(
                "<desc id=\"by-area-d\">Hampshire: 12; Isle of Wight: 1-5; None: 0</desc>"
            ),
            "{html}"
        );
        assert!(!html.contains(">2<"), "{html}");
    }
}
