//! Charts of the published statistics (`model::stats::PublishedTable`): the positions of an
//! inline SVG bar chart (drawn, with `<title>`, `<desc>`, the same figures as a table with its
//! total and a CSV download, by the `chart.html` template), and the CSV itself.
//! Counts arrive already disclosed: a hidden count is drawn as a dashed outline, never at its
//! true length, and reads `1-5` or `hidden`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::model::stats::{PublishedTable, Suppression};

/// A chart as the `chart.html` template draws it: every position computed here, every text
/// escaped there.
#[derive(Debug, Serialize)]
pub(super) struct ChartView<'a> {
    id: &'a str,
    title: &'a str,
    note: Option<&'a str>,
    category: &'a str,
    measure: &'a str,
    csv_url: String,
    width: usize,
    height: usize,
    /// `Category: count` for every row, the SVG's description.
    described: String,
    bars: Vec<Bar<'a>>,
    total: Option<&'a str>,
}

/// One row of a chart: its bar and label positions, and its figures as shown.
#[derive(Debug, Serialize)]
struct Bar<'a> {
    category: &'a str,
    value: &'a str,
    suppressed: bool,
    y: usize,
    text_y: usize,
    width: usize,
    value_x: usize,
}

const ROW_HEIGHT: usize = 28;
const LABEL_WIDTH: usize = 260;
const BAR_WIDTH: usize = 340;

/// The chart's view: SVG bars, then the data table, then the CSV link.
pub(super) fn view<'a>(chart: &'a PublishedTable, csv_url: &str) -> ChartView<'a> {
    let head = &chart.table;
    // A bar's length: its count; a count of 1-5 as 5, a count hidden for its neighbours' sake
    // as nothing at all (its length would tell what it is).
    let length = |row: &crate::model::stats::PublishedRow| match row.count.suppressed {
        None => row.count.count,
        Some(Suppression::Primary) => 5,
        Some(Suppression::Secondary) => 0,
    };
    let max = chart.rows.iter().map(length).max().unwrap_or(0).max(1);
    let bars = chart
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let y = i * ROW_HEIGHT + 5;
            let value = length(row);
            let width = (value as usize * BAR_WIDTH)
                .div_ceil(max as usize)
                .max(usize::from(value > 0));
            Bar {
                category: &row.category,
                value: &row.count.value,
                suppressed: row.count.suppressed.is_some(),
                y,
                text_y: y + 18,
                width,
                value_x: LABEL_WIDTH + width + 6,
            }
        })
        .collect();
    let described: Vec<String> = chart
        .rows
        .iter()
        .map(|r| format!("{}: {}", r.category, r.count.value))
        .collect();
    ChartView {
        id: head.id,
        title: head.title,
        note: head.note,
        category: head.category,
        measure: head.measure,
        csv_url: csv_url.to_owned(),
        width: LABEL_WIDTH + BAR_WIDTH + 70,
        height: chart.rows.len() * ROW_HEIGHT + 10,
        described: described.join("; "),
        bars,
        total: chart.total.as_ref().map(|t| t.value.as_str()),
    }
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
    use crate::model::stats::{Audience, Shape, Statistics, Table};

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
                shape: Shape::Partition,
                population: None,
                note: None,
                orders: false,
            }],
            relations: Vec::new(),
        };
        let audience = if suppress {
            Audience::Public
        } else {
            Audience::Partners
        };
        stats.disclose(audience).charts.remove(0)
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
        let published = chart(true);
        let view = view(&published, "/statistics/by-area.csv");
        assert_eq!(
            view.described,
            "Hampshire: 12; Isle of Wight: 1-5; Portsmouth: hidden; None: 0"
        );
        let widths: Vec<(usize, bool)> =
            view.bars.iter().map(|b| (b.width, b.suppressed)).collect();
        // 1-5 is drawn as 5, a count hidden for its neighbours' sake as nothing.
        assert_eq!(widths, [(340, false), (142, true), (0, true), (0, false)]);
        assert_eq!(view.total, Some("21"));
    }
}
