//! The open index: checksum-verified, with what searches need read once (facet paths, the
//! power types' holders and trigger words, the synonym groups, the themes' phrases).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tantivy::schema::Facet;
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::IndexError;
use super::analysis::analysed;
use super::holders::{Holder, holders};
use super::schema::Fields;
use super::terms::facet_terms;
use super::vocab::SearchVocab;
use super::write::{BuildMeta, open_checked, read_meta};
use crate::model::FacetName;

/// An open, checksum-verified index.
pub struct KbIndex {
    pub(super) index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    pub(super) facet_paths: BTreeMap<FacetName, Vec<Facet>>,
    pub(super) lexicon: std::sync::OnceLock<Vec<(String, u64)>>,
    /// The words suggestions prefer: the vocabularies' and the tags of the published documents.
    pub(super) domain: std::sync::OnceLock<Vec<String>>,
    /// Labels and power types of the build.
    pub(super) terms: SearchVocab,
    /// Power-type code → the agencies that hold it (agency notes in id order).
    pub(super) holders: BTreeMap<String, Vec<Holder>>,
    /// Power-type code → the analysed forms of its label and everyday words.
    pub(super) triggers: Vec<(String, Vec<Vec<String>>)>,
    /// Synonym groups: each form as written and as analysed.
    pub(super) synonyms: Vec<Vec<(String, Vec<String>)>>,
    /// The analysed forms of the learning themes' labels of two or more words: a power word
    /// inside one ("premature closure") does not make a query a power question.
    pub(super) phrases: Vec<Vec<String>>,
}

impl KbIndex {
    /// Opens the index at `dir` (verifying every file's checksum).
    pub fn open(dir: &Path) -> Result<KbIndex, IndexError> {
        let (index, fields) = open_checked(dir)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(IndexError::tantivy)?;
        let searcher = reader.searcher();
        let mut facet_paths = BTreeMap::new();
        for name in FacetName::ALL {
            facet_paths.insert(name, facet_terms(&searcher, fields.facet(name)));
        }
        let terms = read_meta(&index).map(|m| m.terms).unwrap_or_default();
        let holders = holders(&searcher, &fields);
        let mut analyzer = index
            .tokenizer_for_field(fields.title)
            .map_err(IndexError::tantivy)?;
        let triggers = terms
            .power_types
            .iter()
            .map(|p| {
                let forms = std::iter::once(&p.label)
                    .chain(&p.words)
                    .map(|w| analysed(&mut analyzer, w))
                    .filter(|s| !s.is_empty())
                    .collect();
                (p.code.clone(), forms)
            })
            .collect();
        let synonyms = terms
            .synonyms
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|form| {
                        // Compared without the small words a query drops (`house in multiple
                        // occupation` is typed and kept as `house multiple occupation`).
                        let mut stems = analysed(&mut analyzer, form);
                        stems.retain(|s| !super::query::is_question_word(s));
                        (form.clone(), stems)
                    })
                    .filter(|(_, stems)| !stems.is_empty())
                    .collect()
            })
            .collect();
        let phrases = terms
            .labels
            .get(FacetName::Theme.key())
            .into_iter()
            .flat_map(|labels| labels.values())
            .map(|label| analysed(&mut analyzer, label))
            .filter(|stems| stems.len() >= 2)
            .collect();
        Ok(KbIndex {
            index,
            reader,
            fields,
            facet_paths,
            phrases,
            lexicon: std::sync::OnceLock::new(),
            domain: std::sync::OnceLock::new(),
            terms,
            holders,
            triggers,
            synonyms,
        })
    }

    /// What the index was built from.
    pub fn meta(&self) -> Option<BuildMeta> {
        read_meta(&self.index)
    }

    /// Number of documents in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Every indexed document's id and source blob, sorted by id: what the index holds.
    pub fn manifest(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = super::write::indexed_blobs(&self.index)
            .unwrap_or_default()
            .into_iter()
            .collect();
        out.sort();
        out
    }

    /// Every indexed document's id and marking.
    pub fn markings(&self) -> HashMap<String, String> {
        super::write::column_by_id(&self.index, "marking").unwrap_or_default()
    }
}
