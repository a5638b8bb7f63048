//! The statistics as released to an audience (DESIGN principle 6). Within an edition every
//! reader can open every record counted, so the edition's page, CSVs, `/api/stats` and
//! `casebook stats` show exact counts. A `public` release — beyond the partnership — shows
//! counts of 1 to 5 as `1-5` and hides the further counts the audit (`audit::protect`) needs,
//! so that no hidden count can be worked out from anything the same release publishes.

use std::collections::BTreeMap;

use serde::Serialize;

use super::audit;
use super::{Cell, Shape, Statistics};
use crate::model::enums::Marking;

/// Who a release is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// The configured ceiling's own edition: exact counts.
    Internal,
    /// The partner edition (`OFFICIAL`): exact counts, every reader can open every record.
    Partners,
    /// Beyond the partnership (`OFFICIAL`, with disclosure control).
    Public,
}

impl Audience {
    /// Every audience's code, as the command line spells it.
    pub const CODES: [&'static str; 3] = ["internal", "partners", "public"];

    /// The audience's code.
    pub fn code(self) -> &'static str {
        match self {
            Audience::Internal => "internal",
            Audience::Partners => "partners",
            Audience::Public => "public",
        }
    }

    /// The audience a code names.
    pub fn from_code(code: &str) -> Option<Audience> {
        match code {
            "internal" => Some(Audience::Internal),
            "partners" => Some(Audience::Partners),
            "public" => Some(Audience::Public),
            _ => None,
        }
    }

    /// The ceiling of the documents a release for this audience counts: the configured one
    /// for `internal`, `OFFICIAL` for the others.
    pub fn ceiling(self, configured: Marking) -> Marking {
        match self {
            Audience::Internal => configured,
            Audience::Partners | Audience::Public => Marking::Official,
        }
    }

    /// The audience of an edition's own pages: its readers can open every record counted.
    pub fn edition(ceiling: Marking) -> Audience {
        match ceiling {
            Marking::OfficialSensitive => Audience::Internal,
            Marking::Official => Audience::Partners,
        }
    }

    /// True when small counts are hidden for this audience.
    pub fn controls_disclosure(self) -> bool {
        self == Audience::Public
    }
}

/// Why a count is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Suppression {
    /// A count from 1 to 5.
    Primary,
    /// A larger count hidden so that no hidden count can be worked out from what is shown.
    Secondary,
}

/// A count as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// What readers see: the count, or `1-5` / `hidden` when suppressed.
    pub value: String,
    /// Why it is hidden, if it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
    /// The exact count, for bar lengths (a hidden count is never drawn at its length).
    #[serde(skip)]
    pub count: u64,
}

impl Shown {
    fn of(n: u64, why: Option<Suppression>) -> Shown {
        Shown {
            value: match why {
                None => n.to_string(),
                Some(Suppression::Primary) => SMALL.to_owned(),
                Some(Suppression::Secondary) => "hidden".to_owned(),
            },
            suppressed: why,
            count: n,
        }
    }
}

/// How a count of 1 to 5 is shown.
pub(crate) const SMALL: &str = "1-5";

/// The rule of a `public` release, as it states it.
pub(crate) const RULE: &str = "Counts from 1 to 5 are shown as 1-5. Further counts are hidden (shown as \"hidden\") wherever a hidden count could otherwise be worked out from the figures, totals and tables published beside it: an audit of everything this release publishes checks that every hidden count could be any of at least three values.";

/// A table as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedTable {
    /// The table's fields.
    #[serde(flatten)]
    pub table: TableHead,
    /// Rows: category and count as shown.
    pub rows: Vec<PublishedRow>,
    /// The total as shown, when the table has one.
    pub total: Option<Shown>,
}

/// A table's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableHead {
    /// Stable id.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the rows are.
    pub category: &'static str,
    /// What is counted.
    pub measure: &'static str,
    /// Reading note.
    pub note: Option<&'static str>,
    /// Shown on the orders register too.
    pub orders: bool,
    /// A document can count in more than one row (or each row counts on its own).
    pub overlapping: bool,
}

/// One row as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedRow {
    /// The category's label.
    pub category: String,
    /// Its count as shown.
    #[serde(flatten)]
    pub count: Shown,
}

/// A headline figure as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedFigure {
    /// Stable id.
    pub id: &'static str,
    /// What it counts, singular for a count of one.
    pub label: &'static str,
    /// Its value as shown.
    #[serde(flatten)]
    pub value: Shown,
}

/// What the audit of a `public` release found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// Counts shown as `1-5`.
    pub primary: usize,
    /// Further counts hidden.
    pub secondary: usize,
    /// Every hidden count has a range of at least three values given everything published.
    pub passed: bool,
}

/// The statistics as released to one audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// Who the release is for.
    pub audience: Audience,
    /// True when small numbers are hidden (a `public` release).
    pub small_numbers_suppressed: bool,
    /// The rule applied, in words (empty when nothing is suppressed).
    pub rule: &'static str,
    /// Headline figures as shown.
    pub figures: Vec<PublishedFigure>,
    /// Tables as shown.
    pub charts: Vec<PublishedTable>,
    /// The disclosure audit, for a `public` release.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<Audit>,
}

impl Statistics {
    /// The statistics as released to `audience`: exact, or for `public` with counts of 1 to
    /// 5 and the counts the audit needs hidden.
    pub fn disclose(&self, audience: Audience) -> Published {
        if !audience.controls_disclosure() {
            return self.publish(audience, &BTreeMap::new(), None);
        }
        let hidden = audit::protect(self);
        let ranges = audit::ranges(self, &hidden);
        let audit = Audit {
            primary: hidden
                .values()
                .filter(|s| **s == Suppression::Primary)
                .count(),
            secondary: hidden
                .values()
                .filter(|s| **s == Suppression::Secondary)
                .count(),
            passed: hidden
                .keys()
                .all(|c| ranges.get(c).is_some_and(|r| r.protected())),
        };
        self.publish(audience, &hidden, Some(audit))
    }

    /// The release with `hidden` suppressed.
    pub(super) fn publish(
        &self,
        audience: Audience,
        hidden: &BTreeMap<Cell, Suppression>,
        audit: Option<Audit>,
    ) -> Published {
        let shown = |cell: Cell, n: u64| Shown::of(n, hidden.get(&cell).copied());
        let figures = self
            .figures
            .iter()
            .map(|f| PublishedFigure {
                id: f.id,
                label: if f.value == 1 && !hidden.contains_key(&Cell::Figure(f.id)) {
                    f.one
                } else {
                    f.label
                },
                value: shown(Cell::Figure(f.id), f.value),
            })
            .collect();
        let charts = self
            .tables
            .iter()
            .map(|t| PublishedTable {
                table: TableHead {
                    id: t.id,
                    title: t.title,
                    category: t.category,
                    measure: t.measure,
                    note: t.note,
                    orders: t.orders,
                    overlapping: t.shape != Shape::Partition,
                },
                rows: t
                    .rows
                    .iter()
                    .map(|(category, n)| PublishedRow {
                        category: category.clone(),
                        count: shown(Cell::Row(t.id, category.clone()), *n),
                    })
                    .collect(),
                total: t.total().map(|n| shown(Cell::Total(t.id), n)),
            })
            .collect();
        Published {
            audience,
            small_numbers_suppressed: audience.controls_disclosure(),
            rule: if audience.controls_disclosure() {
                RULE
            } else {
                ""
            },
            figures,
            charts,
            audit,
        }
    }
}
