//! The partnership's statistics as one typed result, computed from the documents a build
//! publishes and used by the statistics page, its CSV files, the orders register's charts,
//! `/api/stats` and `casebook stats` alike.
//!
//! What each figure counts is said in its label and note:
//! - **Reviews of individual cases**: every published case review except thematic reviews
//!   (which aggregate many records) and except a superseded review that a later published
//!   review names in `related`: only the newest review of a chain counts, so a case followed
//!   up twice counts once.
//! - **Victims**: the victims of those reviews only; the potential victims a thematic review
//!   identified are reported on their own line.
//! - **Orders**: records, applications (an interim order and the main application it was made
//!   pending are one application; an order made on sentencing is not applied for), orders
//!   made (an interim order and the full order made on the same application count once) and
//!   people subject to an order (distinct `subject.key`; a made order whose records give no
//!   key counts as one person).
//!
//! Every table also records how its cells relate to each other and to the figures (a total,
//! a shared population, a cross-tabulation, a funnel): the relations the disclosure audit
//! (`audit`) gives an attacker when it proves that hidden counts cannot be worked out.

mod audit;
mod disclose;
pub(crate) mod infographic;
mod orders;
mod reviews;

pub(crate) use reviews::counted_reviews;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::Serialize;

use super::document::Document;
use super::vocab::{VocabName, Vocabulary};

#[cfg(test)]
use audit::ranges;
pub(crate) use disclose::{Audience, Published, PublishedRow, PublishedTable, Suppression};

/// The statistics of a set of published documents, before any disclosure control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    /// The headline figures.
    pub figures: Vec<Figure>,
    /// Every table, in page order.
    pub tables: Vec<Table>,
    /// How cells relate beyond each table's own shape (cross-tabulations, funnels, subsets).
    #[serde(skip)]
    pub relations: Vec<Relation>,
}

/// One headline figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Stable id (`individual-reviews`).
    pub id: &'static str,
    /// What it counts, in words, for any count but one.
    pub label: &'static str,
    /// The same for a count of one.
    #[serde(skip)]
    pub one: &'static str,
    /// The count.
    pub value: u64,
}

/// How a table's rows relate to what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// Each item counted is in exactly one row: the rows add up to the total.
    Partition,
    /// Each item is in at least one row and may be in several: no total.
    Overlapping,
    /// Each row is a count of its own (the stages of a process): no total.
    Separate,
}

/// One table of counts by category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// Stable id, also the CSV file's name (`reviews-by-reporting-area`).
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// What the rows are ("Reporting area").
    pub category: &'static str,
    /// What is counted ("Case reviews").
    pub measure: &'static str,
    /// Category label and count, in display order.
    pub rows: Vec<(String, u64)>,
    /// How the rows relate to what is counted.
    pub shape: Shape,
    /// The figure that counts the same items (its value is the total of a partition, and the
    /// most any row of an overlapping table can be).
    pub population: Option<&'static str>,
    /// What a reader needs to know to read the table.
    pub note: Option<&'static str>,
    /// Where the table belongs: the statistics page, or the orders register as well.
    pub orders: bool,
}

impl Table {
    /// The total, for a partition.
    pub fn total(&self) -> Option<u64> {
        (self.shape == Shape::Partition).then(|| self.rows.iter().map(|(_, n)| n).sum())
    }

    /// The count of one row, when the table has it.
    fn row(&self, category: &str) -> Option<u64> {
        self.rows
            .iter()
            .find(|(c, _)| c == category)
            .map(|(_, n)| *n)
    }
}

/// A published number: a figure, a table's row or a table's total.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cell {
    /// A headline figure, by id.
    Figure(&'static str),
    /// A table's row, by table id and category.
    Row(&'static str, String),
    /// A partition's total, by table id.
    Total(&'static str),
}

/// A linear relation that holds between published numbers by the way they are counted:
/// the sum of `left` compared with the sum of `right`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// The cells summed on the left.
    pub left: Vec<Cell>,
    /// How the sums compare.
    pub op: Op,
    /// The cells summed on the right.
    pub right: Vec<Cell>,
}

/// How the two sides of a relation compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Equal.
    Eq,
    /// Left at most right.
    Le,
}

impl Relation {
    fn le(left: Vec<Cell>, right: Vec<Cell>) -> Relation {
        Relation {
            left,
            op: Op::Le,
            right,
        }
    }

    fn eq(left: Vec<Cell>, right: Vec<Cell>) -> Relation {
        Relation {
            left,
            op: Op::Eq,
            right,
        }
    }
}

impl Statistics {
    /// The statistics of `docs`, the documents a build publishes.
    pub fn compute(docs: &[&Document], vocab: &Vocabulary) -> Statistics {
        let mut stats = Statistics {
            figures: Vec::new(),
            tables: Vec::new(),
            relations: Vec::new(),
        };
        reviews::add(&mut stats, docs, vocab);
        orders::add(&mut stats, docs, vocab);
        stats
    }

    /// Every relation between the published numbers: each table's shape, each population
    /// shared with a figure, and the relations the tables declared.
    pub fn all_relations(&self) -> Vec<Relation> {
        let mut out = Vec::new();
        for t in &self.tables {
            let rows = || t.rows.iter().map(|(c, _)| Cell::Row(t.id, c.clone()));
            let population = t.population.map(Cell::Figure);
            match t.shape {
                Shape::Partition => {
                    out.push(Relation::eq(rows().collect(), vec![Cell::Total(t.id)]));
                    if let Some(p) = population {
                        out.push(Relation::eq(vec![Cell::Total(t.id)], vec![p]));
                    }
                }
                Shape::Overlapping => {
                    if let Some(p) = population {
                        for r in rows() {
                            out.push(Relation::le(vec![r], vec![p.clone()]));
                        }
                        out.push(Relation::le(vec![p], rows().collect()));
                    }
                }
                Shape::Separate => {}
            }
        }
        out.extend(self.relations.iter().cloned());
        out
    }

    /// The value of a cell.
    pub fn value(&self, cell: &Cell) -> Option<u64> {
        match cell {
            Cell::Figure(id) => self.figures.iter().find(|f| f.id == *id).map(|f| f.value),
            Cell::Row(table, category) => self.table(table)?.row(category),
            Cell::Total(table) => self.table(table)?.total(),
        }
    }

    fn table(&self, id: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// Every cell in page order: figures, then each table's rows and total.
    pub fn cells(&self) -> Vec<Cell> {
        let mut out: Vec<Cell> = self.figures.iter().map(|f| Cell::Figure(f.id)).collect();
        for t in &self.tables {
            out.extend(t.rows.iter().map(|(c, _)| Cell::Row(t.id, c.clone())));
            if t.shape == Shape::Partition {
                out.push(Cell::Total(t.id));
            }
        }
        out
    }
}

/// Counts of items by category, in label order.
#[derive(Default)]
struct Counter(BTreeMap<String, u64>);

impl Counter {
    fn add(&mut self, category: impl Into<String>) {
        *self.0.entry(category.into()).or_default() += 1;
    }

    fn add_n(&mut self, category: impl Into<String>, n: u64) {
        *self.0.entry(category.into()).or_default() += n;
    }

    fn rows(self) -> Vec<(String, u64)> {
        self.0.into_iter().collect()
    }
}

/// A reporting area's name, without qualifiers ("Hampshire", not "Hampshire (county-wide)").
pub(crate) fn reporting_area_label(vocab: &Vocabulary, area: &str) -> String {
    reporting_area(vocab, area)
}

fn reporting_area(vocab: &Vocabulary, area: &str) -> String {
    let reporting = vocab.parent(VocabName::Areas, area).unwrap_or(area);
    let label = vocab.label(VocabName::Areas, reporting);
    label.split(" (").next().unwrap_or(label).to_owned()
}

/// The top-level exploitation type's label (county lines → criminal exploitation).
fn parent_type(vocab: &Vocabulary, code: &str) -> String {
    let parent = vocab.parent(VocabName::Exploitation, code).unwrap_or(code);
    vocab.label(VocabName::Exploitation, parent).to_owned()
}
