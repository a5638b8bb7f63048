//! The vocabulary an index carries in its commit payload: the labels of every facet code and
//! the power types with their questions and everyday words. A search answers with the labels
//! of the build it runs on, whatever program asks (the server or the command line).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{FacetName, VocabName, Vocabulary};

/// Labels and power types of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchVocab {
    /// Facet key → code → label.
    pub labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Every power type, in vocabulary order.
    pub power_types: Vec<PowerType>,
    /// Groups of forms a search treats as one: the synonym vocabulary (`NRM`, `National
    /// Referral Mechanism`), and each agency and offence code with its label.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    /// Words a suggestion prefers: labels, places, synonyms and power words of the
    /// vocabularies (lower case, three letters or more).
    #[serde(default)]
    pub domain_words: Vec<String>,
}

/// A power type as search needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PowerType {
    /// Code (`closure`).
    pub code: String,
    /// Label (`Closure`).
    pub label: String,
    /// The officer's question (`Who can close premises?`).
    pub question: String,
    /// Everyday words and phrases that name it.
    pub words: Vec<String>,
    /// Power types a reader of this one also needs.
    pub see_also: Vec<String>,
    /// Whether a warrant can apply to it at all (not to applying for an order).
    #[serde(default = "yes")]
    pub warrant: bool,
}

fn yes() -> bool {
    true
}

impl SearchVocab {
    /// The search vocabulary of `vocab`.
    pub fn new(vocab: &Vocabulary) -> SearchVocab {
        let labels = FacetName::ALL
            .into_iter()
            .map(|f| (f.key().to_owned(), f.labels(vocab).into_iter().collect()))
            .collect();
        let power_types = vocab
            .terms(VocabName::PowerTypes)
            .iter()
            .map(|t| PowerType {
                code: t.code.clone(),
                label: t.label.clone(),
                question: t.power_question(),
                words: t.words.clone(),
                see_also: t.see_also.clone(),
                warrant: t.warrant != Some(false),
            })
            .collect();
        let mut synonyms: Vec<Vec<String>> = vocab
            .terms(VocabName::Synonyms)
            .iter()
            .map(|t| {
                std::iter::once(t.label.clone())
                    .chain(t.words.clone())
                    .collect()
            })
            .collect();
        for name in [VocabName::Agencies, VocabName::Offences] {
            synonyms.extend(
                vocab
                    .terms(name)
                    .iter()
                    .map(|t| vec![t.code.clone(), t.label.clone()]),
            );
        }
        let mut domain_words: Vec<String> = VocabName::ALL
            .into_iter()
            .flat_map(|n| vocab.terms(n))
            .flat_map(|t| std::iter::once(&t.label).chain(&t.words))
            .flat_map(|text| {
                text.split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
            .collect();
        domain_words.sort();
        domain_words.dedup();
        SearchVocab {
            labels,
            power_types,
            synonyms,
            domain_words,
        }
    }

    /// The label of a facet's code, or the code itself.
    pub fn label<'a>(&'a self, facet: FacetName, code: &'a str) -> &'a str {
        self.labels
            .get(facet.key())
            .and_then(|m| m.get(code))
            .map_or(code, String::as_str)
    }

    /// The power type with this code.
    pub fn power_type(&self, code: &str) -> Option<&PowerType> {
        self.power_types.iter().find(|p| p.code == code)
    }
}
