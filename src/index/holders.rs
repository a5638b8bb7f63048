//! The agencies that hold each power type, read once from the stored powers of the agency
//! notes when the index is opened: what the answer box lists.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use super::document::AgencyEntry;
use super::schema::Fields;

/// An agency that holds a power, as the answer box lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Holder {
    /// The agency note's id (`AG-GLAA`).
    pub id: String,
    /// Agency code.
    pub agency: String,
    /// The agency's name.
    pub name: String,
    /// The power on the agency's page (`/agencies/AG-GLAA/#power-entry`).
    pub url: String,
    /// Each legal basis the agency holds the power under.
    pub powers: Vec<HolderPower>,
    /// The query names this agency: it leads the answer, the others follow it as "also".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub named: bool,
}

/// One legal basis of a power an agency holds.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HolderPower {
    /// Legal basis.
    pub basis: String,
    /// Whether a warrant is needed.
    pub warrant_required: bool,
    /// Who exercises it, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exercised_by: Option<String>,
    /// Conditions and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// The agencies that hold each power type, from the stored powers of every agency note.
pub(super) fn holders(searcher: &Searcher, f: &Fields) -> BTreeMap<String, Vec<Holder>> {
    let kind = TermQuery::new(
        Term::from_field_text(f.kind, "agency_powers"),
        IndexRecordOption::Basic,
    );
    let limit = (searcher.num_docs() as usize).clamp(1, 100_000);
    let top = searcher
        .search(&kind, &TopDocs::with_limit(limit).order_by_score())
        .unwrap_or_default();
    let mut notes: Vec<(String, String, AgencyEntry)> = top
        .into_iter()
        .filter_map(|(_, address)| {
            let doc: TantivyDocument = searcher.doc(address).ok()?;
            let get = |field| doc.get_first(field).and_then(|v| v.as_str());
            let entry = serde_json::from_str(get(f.powers_data)?).ok()?;
            Some((get(f.id)?.to_owned(), get(f.url)?.to_owned(), entry))
        })
        .collect();
    // Holders are listed by the name shown, A to Z.
    notes.sort_by(|a, b| crate::model::words::by_name(&a.2.name, &b.2.name).then(a.0.cmp(&b.0)));
    let mut out: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    for (id, url, entry) in notes {
        for p in entry.powers {
            let holders = out.entry(p.power_type.clone()).or_default();
            if holders.last().is_none_or(|h| h.id != id) {
                holders.push(Holder {
                    id: id.clone(),
                    agency: entry.agency.clone(),
                    name: entry.name.clone(),
                    url: format!("{url}#power-{}", p.power_type),
                    powers: Vec::new(),
                    named: false,
                });
            }
            if let Some(h) = holders.last_mut() {
                h.powers.push(HolderPower {
                    basis: p.basis,
                    warrant_required: p.warrant_required,
                    exercised_by: p.exercised_by,
                    notes: p.notes,
                });
            }
        }
    }
    out
}
