//! The partner infographic: one A4 page of the statistics a partnership shares — headline
//! figures, the victims' and perpetrators' profiles, the NRM and duty-to-notify funnel, orders
//! made and breached — each panel a small table whose bars are its picture, so the text
//! version is the panel itself. Made from the statistics as released to an audience
//! (`model::stats::Published`): exact within an edition, with disclosure control for `public`.

use serde::Serialize;

use crate::model::stats::{Published, PublishedTable};

/// The infographic, ready for its template (the site's page, and inside `casebook report`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Infographic {
    /// Who the figures are for, in words ("for readers of this edition: exact counts").
    pub audience: String,
    /// True when small numbers are hidden.
    pub suppressed: bool,
    /// The disclosure rule, when applied.
    pub rule: &'static str,
    /// The headline figures.
    pub figures: Vec<Headline>,
    /// The panels, by section.
    pub sections: Vec<Section>,
}

/// A headline figure as the infographic shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Headline {
    /// The count as shown (`57`, `1-5`, `hidden`).
    pub value: String,
    /// What it counts.
    pub label: String,
}

/// A group of panels under a heading.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    /// The heading ("The victims").
    pub heading: &'static str,
    /// Its panels, in order.
    pub panels: Vec<Panel>,
}

/// One table of the statistics as a small bar table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Panel {
    /// The table's id (its CSV on the statistics page).
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the rows are.
    pub category: &'static str,
    /// What is counted.
    pub measure: &'static str,
    /// Reading note.
    pub note: Option<&'static str>,
    /// The rows.
    pub rows: Vec<Bar>,
    /// The total as shown, for a table that has one.
    pub total: Option<String>,
}

/// One row: its label, its count as shown and the length of its bar.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Bar {
    /// The row's label.
    pub label: String,
    /// Its count as shown.
    pub value: String,
    /// The bar's length as a share of the panel's largest shown count, 0 to 100; none when
    /// the count is hidden (a hidden count is never drawn at its length).
    pub length: Option<u64>,
}

/// The panels of each section, by table id: what the partnership's strategy asks the
/// infographic to show.
const SECTIONS: &[(&str, &[&str])] = &[
    (
        "The victims",
        &[
            "victims-by-age",
            "victims-by-sex",
            "victims-by-nationality",
            "victims-by-reporting-area",
            "reviews-by-exploitation",
        ],
    ),
    (
        "The perpetrators",
        &[
            "perpetrators-by-nationality",
            "perpetrator-roles",
            "organised-crime",
        ],
    ),
    ("Identification and support", &["nrm-decisions"]),
    ("Orders", &["orders-made-by-type", "breaches-by-action"]),
];

/// The infographic of `published`, the statistics as released to `audience_words`.
pub(crate) fn infographic(published: &Published, audience_words: &str) -> Infographic {
    let sections = SECTIONS
        .iter()
        .map(|(heading, ids)| Section {
            heading,
            panels: ids
                .iter()
                .filter_map(|id| published.charts.iter().find(|c| c.table.id == *id))
                .filter(|c| !c.rows.is_empty())
                .map(panel)
                .collect(),
        })
        .filter(|s| !s.panels.is_empty())
        .collect();
    Infographic {
        audience: audience_words.to_owned(),
        suppressed: published.small_numbers_suppressed,
        rule: published.rule,
        figures: published
            .figures
            .iter()
            .map(|f| Headline {
                value: f.value.value.clone(),
                label: f.label.to_owned(),
            })
            .collect(),
        sections,
    }
}

fn panel(t: &PublishedTable) -> Panel {
    let largest = t
        .rows
        .iter()
        .filter(|r| r.count.suppressed.is_none())
        .map(|r| r.count.count)
        .max()
        .unwrap_or(0);
    Panel {
        id: t.table.id,
        title: t.table.title,
        category: t.table.category,
        measure: t.table.measure,
        note: t.table.note,
        rows: t
            .rows
            .iter()
            .map(|r| Bar {
                label: r.category.clone(),
                value: r.count.value.clone(),
                length: (r.count.suppressed.is_none() && largest > 0)
                    .then(|| (r.count.count * 100).div_ceil(largest)),
            })
            .collect(),
        total: t.total.as_ref().map(|s| s.value.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::stats::{Audience, Shape, Statistics, Table};

    fn stats(rows: Vec<(&str, u64)>) -> Statistics {
        Statistics {
            figures: Vec::new(),
            tables: vec![Table {
                id: "victims-by-sex",
                title: "Victims by sex",
                category: "Sex",
                measure: "Victims",
                rows: rows.into_iter().map(|(c, n)| (c.to_owned(), n)).collect(),
                shape: Shape::Partition,
                population: None,
                note: None,
                orders: false,
            }],
            relations: Vec::new(),
        }
    }

    #[test]
    fn bars_are_shares_of_the_largest_shown_count() {
        let s = stats(vec![("Female", 20), ("Male", 10), ("Not recorded", 1)]);
        let exact = infographic(&s.disclose(Audience::Internal), "exact");
        let rows = &exact.sections[0].panels[0].rows;
        assert_eq!(rows[0].length, Some(100));
        assert_eq!(rows[1].length, Some(50));
        assert_eq!(
            rows[2].length,
            Some(5),
            "a small count still shows a sliver"
        );
    }

    #[test]
    fn a_hidden_count_has_no_bar() {
        let s = stats(vec![("Female", 20), ("Male", 10), ("Not recorded", 2)]);
        let public = infographic(&s.disclose(Audience::Public), "public");
        let rows = &public.sections[0].panels[0].rows;
        let small = rows
            .iter()
            .find(|r| r.label == "Not recorded")
            .expect("row");
        assert_eq!(small.value, "1-5");
        assert_eq!(small.length, None);
        assert!(public.suppressed);
        assert!(
            rows.iter()
                .all(|r| r.length.is_none() || r.value.parse::<u64>().is_ok())
        );
    }
}
