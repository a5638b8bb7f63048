//! The one facet table: every dimension a search can be filtered and counted by, with its
//! parameter name, its heading and where the labels of its terms come from. The index, the
//! server, the command line and the templates all ask this table.

use super::enums::{Closed, Kind, OrderType};
use super::vocab::{VocabName, Vocabulary};

/// A facet of the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FacetName {
    /// Document kind.
    Kind,
    /// Area, under its reporting area.
    Area,
    /// Exploitation type, under its parent.
    Exploitation,
    /// Agency.
    Agency,
    /// Learning theme.
    Theme,
    /// Investigation outcome.
    Outcome,
    /// The grades of a review's learning points (what works: effective, promising…).
    Grade,
    /// A power an agency holds (agency notes).
    Power,
    /// Order type.
    OrderType,
    /// What an order prohibits (order records).
    Prohibition,
    /// An offence a case review records.
    Offence,
    /// Protective marking.
    Marking,
    /// Year.
    Year,
}

impl FacetName {
    /// Every facet the index counts.
    pub const ALL: [FacetName; 13] = [
        FacetName::Kind,
        FacetName::Area,
        FacetName::Exploitation,
        FacetName::Agency,
        FacetName::Theme,
        FacetName::Grade,
        FacetName::Outcome,
        FacetName::Power,
        FacetName::OrderType,
        FacetName::Prohibition,
        FacetName::Offence,
        FacetName::Marking,
        FacetName::Year,
    ];

    /// The facets a reader filters by (search parameters, command-line flags and the
    /// results page's filter groups), in display order.
    pub const FILTERS: [FacetName; 8] = [
        FacetName::Kind,
        FacetName::Area,
        FacetName::Exploitation,
        FacetName::Agency,
        FacetName::Theme,
        FacetName::Grade,
        FacetName::Outcome,
        FacetName::Power,
    ];

    /// The facet's name in the API, in query parameters and as its root path segment.
    pub fn key(self) -> &'static str {
        match self {
            FacetName::Kind => "kind",
            FacetName::Area => "area",
            FacetName::Exploitation => "exploitation",
            FacetName::Agency => "agency",
            FacetName::Theme => "theme",
            FacetName::Outcome => "outcome",
            FacetName::Grade => "grade",
            FacetName::Power => "power",
            FacetName::OrderType => "order_type",
            FacetName::Prohibition => "prohibition",
            FacetName::Offence => "offence",
            FacetName::Marking => "marking",
            FacetName::Year => "year",
        }
    }

    /// The filter facet a parameter names.
    pub fn from_key(key: &str) -> Option<FacetName> {
        FacetName::FILTERS.into_iter().find(|f| f.key() == key)
    }

    /// The heading of the facet's filter group.
    pub fn label(self) -> &'static str {
        match self {
            FacetName::Kind => "Kind",
            FacetName::Area => "Area",
            FacetName::Exploitation => "Exploitation type",
            FacetName::Agency => "Agency",
            FacetName::Theme => "Learning theme",
            FacetName::Outcome => "Outcome",
            FacetName::Grade => "Learning grade",
            FacetName::Power => "Power",
            FacetName::OrderType => "Order type",
            FacetName::Prohibition => "Order prohibition",
            FacetName::Offence => "Offence",
            FacetName::Marking => "Marking",
            FacetName::Year => "Year",
        }
    }

    /// The open vocabulary the facet's codes come from, if any.
    pub fn vocabulary(self) -> Option<VocabName> {
        match self {
            FacetName::Area => Some(VocabName::Areas),
            FacetName::Exploitation => Some(VocabName::Exploitation),
            FacetName::Agency => Some(VocabName::Agencies),
            FacetName::Theme => Some(VocabName::Themes),
            FacetName::Outcome => Some(VocabName::Outcomes),
            FacetName::Power => Some(VocabName::PowerTypes),
            FacetName::Prohibition => Some(VocabName::Prohibitions),
            FacetName::Offence => Some(VocabName::Offences),
            FacetName::Kind
            | FacetName::OrderType
            | FacetName::Grade
            | FacetName::Marking
            | FacetName::Year => None,
        }
    }

    /// What a reader sees for one of the facet's codes.
    pub fn term_label(self, vocab: &Vocabulary, code: &str) -> String {
        let closed = match self {
            FacetName::Kind => Kind::label_of(code),
            FacetName::OrderType => OrderType::label_of(code),
            FacetName::Grade => crate::model::enums::LearningGrade::label_of(code),
            _ => None,
        };
        match (closed, self.vocabulary()) {
            (Some(label), _) => label.to_owned(),
            (None, Some(name)) => vocab.label(name, code).to_owned(),
            (None, None) => code.to_owned(),
        }
    }

    /// Every code of the facet a vocabulary knows, with its label (years and markings, which
    /// are not vocabularies, have none).
    pub fn labels(self, vocab: &Vocabulary) -> Vec<(String, String)> {
        let closed: &[&str] = match self {
            FacetName::Kind => Kind::CODES,
            FacetName::OrderType => OrderType::CODES,
            FacetName::Grade => crate::model::enums::LearningGrade::CODES,
            _ => &[],
        };
        let open = self
            .vocabulary()
            .map(|name| vocab.terms(name))
            .unwrap_or_default();
        closed
            .iter()
            .map(|c| ((*c).to_owned(), self.term_label(vocab, c)))
            .chain(open.iter().map(|t| (t.code.clone(), t.label.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_filter_is_found_by_its_key() {
        for f in FacetName::FILTERS {
            assert_eq!(FacetName::from_key(f.key()), Some(f));
        }
        assert_eq!(FacetName::from_key("marking"), None);
    }

    #[test]
    fn kinds_and_order_types_have_labels_without_a_vocabulary() {
        let vocab = Vocabulary::default();
        assert_eq!(
            FacetName::Kind.term_label(&vocab, "agency_powers"),
            "Agency powers"
        );
        assert_eq!(
            FacetName::OrderType.term_label(&vocab, "interim-STRO"),
            "Interim STRO"
        );
        assert_eq!(FacetName::Year.term_label(&vocab, "2021"), "2021");
    }
}
