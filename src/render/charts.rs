//! Charts of the published statistics (`model::stats::PublishedTable`): an inline SVG bar chart
//! with `<title>` and `<desc>`, the same figures as a table with its total, and a CSV download.
//! Counts arrive already disclosed: a hidden count is drawn as a dashed outline, never at its
//! true length, and reads `1-5` or `hidden`.

use std::fmt::Write as _;

use crate::model::stats::{PublishedTable, Suppression};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as an HTML `<figure>`: SVG bars, then the data table, then the CSV link.
pub(super) fn figure(chart: &PublishedTable, csv_url: &str) -> String {
    let head = &chart.table;
    let id = escape(head.id);
    let title = escape(head.title);
    // A bar's length: its count; a count of 1-5 as 5, a count hidden for its neighbours' sake
    // as nothing at all (its length would tell what it is).
    let length = |row: &crate::model::stats::PublishedRow| match row.count.suppressed {
        None => row.count.count,
        Some(Suppression::Primary) => 5,
        Some(Suppression::Secondary) => 0,
    };
    let max = chart.rows.iter().map(length).max().unwrap_or(0).max(1);
    let (row_h, label_w, bar_w) = (28, 260, 340);
    let height = chart.rows.len() * row_h + 10;
    let mut svg = format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-t {id}-d\" viewBox=\"0 0 {} {height}\" width=\"{}\" height=\"{height}\"><title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">",
        label_w + bar_w + 70,
        label_w + bar_w + 70
    );
    let described: Vec<String> = chart
        .rows
        .iter()
        .map(|r| format!("{}: {}", escape(&r.category), escape(&r.count.value)))
        .collect();
    svg.push_str(&described.join("; "));
    svg.push_str("</desc>");
    for (i, row) in chart.rows.iter().enumerate() {
        let y = i * row_h + 5;
        let value = length(row);
        let w = (value as usize * bar_w)
            .div_ceil(max as usize)
            .max(usize::from(value > 0));
        let class = if row.count.suppressed.is_some() {
            "bar bar-suppressed"
        } else {
            "bar"
        };
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><rect class=\"{class}\" x=\"{}\" y=\"{y}\" width=\"{w}\" height=\"{}\"></rect><text x=\"{}\" y=\"{}\">{}</text>",
            label_w - 8,
            y + 18,
            escape(&row.category),
            label_w,
            row_h - 8,
            label_w + w + 6,
            y + 18,
            escape(&row.count.value)
        );
    }
    svg.push_str("</svg>");
    let mut table = format!(
        "<table class=\"table\"><caption>{title}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(head.category),
        escape(head.measure)
    );
    for row in &chart.rows {
        let _ = write!(
            table,
            "<tr><td>{}</td><td>{}</td></tr>",
            escape(&row.category),
            escape(&row.count.value)
        );
    }
    table.push_str("</tbody>");
    if let Some(total) = &chart.total {
        let _ = write!(
            table,
            "<tfoot><tr><th scope=\"row\">Total</th><td>{}</td></tr></tfoot>",
            escape(&total.value)
        );
    }
    table.push_str("</table>");
    let note = head
        .note
        .map(|n| format!("<p class=\"chart-note\">{}</p>", escape(n)))
        .unwrap_or_default();
    format!(
        "<figure class=\"chart\" id=\"{id}\"><h2>{title}</h2>{note}{svg}{table}<figcaption><a href=\"{}\" download>Download this table as CSV</a></figcaption></figure>",
        escape(csv_url)
    )
}

/// The chart's figures as CSV: a heading line, one line per category, then the total when
/// the table has one.
pub(super) fn csv(chart: &PublishedTable) -> String {
    let field = |text: &str| {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let head = &chart.table;
    let mut out = format!("{},{}\n", field(head.category), field(head.measure));
    for row in &chart.rows {
        let _ = writeln!(out, "{},{}", field(&row.category), field(&row.count.value));
    }
    if let Some(total) = &chart.total {
        let _ = writeln!(out, "Total,{}", field(&total.value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stats::{Statistics, Table};

    fn chart(suppress: bool) -> PublishedTable {
        let stats = Statistics {
            figures: Vec::new(),
            tables: vec![Table {
                id: "by-area",
                title: "Reviews by area",
                category: "Reporting area",
                measure: "Case reviews",
                rows: vec![
                    ("Hampshire".into(), 12),
                    ("Isle of Wight".into(), 2),
                    ("Portsmouth".into(), 7),
                    ("None".into(), 0),
                ],
                total: Some(21),
                note: None,
                orders: false,
            }],
        };
        stats.disclose(suppress).charts.remove(0)
    }

    #[test]
    fn small_numbers_are_suppressed_only_when_asked() {
        assert_eq!(
            csv(&chart(true)),
            "Reporting area,Case reviews\nHampshire,12\nIsle of Wight,1-5\nPortsmouth,hidden\nNone,0\nTotal,21\n"
        );
        assert_eq!(
            csv(&chart(false)),
            "Reporting area,Case reviews\nHampshire,12\nIsle of Wight,2\nPortsmouth,7\nNone,0\nTotal,21\n"
        );
        let html = figure(&chart(true), "/statistics/by-area.csv");
        assert!(html.contains("Isle of Wight: 1-5"), "{html}");
        assert!(html.contains("bar-suppressed"), "{html}");
        assert!(!html.contains(">7<") && !html.contains(": 7"), "{html}");
        assert!(
            html.contains("<tfoot><tr><th scope=\"row\">Total</th><td>21</td>"),
            "{html}"
        );
    }
}
