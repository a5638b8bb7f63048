//! The tantivy schema, built once as a struct of fields.

use crate::model::FacetName;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer};

/// Bumped whenever the schema or what goes into a field changes: an index built with
/// another version is rebuilt from scratch.
pub const SCHEMA_VERSION: u32 = 13;

/// The English stemming analyser's name.
pub(super) const TOKENIZER: &str = "casebook_en";

/// The plain-words analyser's name (lexicon).
pub(super) const WORDS_TOKENIZER: &str = "casebook_words";

/// Every field of the index.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    /// Document id (`CR-2024-007`), exact.
    pub(super) id: Field,
    /// Kind code, exact.
    pub(super) kind: Field,
    /// Title, stemmed text, stored.
    pub(super) title: Field,
    /// Site URL, stored.
    pub(super) url: Field,
    /// Display date (`YYYY-MM-DD`), stored.
    pub(super) date: Field,
    /// Date as a sortable number (`YYYYMMDD`), fast.
    pub(super) date_sort: Field,
    /// Year, for ranges.
    pub(super) year: Field,
    /// Marking code, exact.
    pub(super) marking: Field,
    /// Status code, exact.
    pub(super) status: Field,
    /// Git blob id of the source file, for incremental builds.
    pub(super) blob: Field,
    /// The `## Summary` section (or the remit of an agency note).
    pub(super) summary: Field,
    /// The whole body and the descriptive front matter.
    pub(super) body: Field,
    /// Themes' labels, good practice, recommendations.
    pub(super) learning: Field,
    /// Searchable metadata: vocabulary labels, operation name, order basis (not stored, so
    /// never a snippet).
    pub(super) meta: Field,
    /// An agency's structured powers, legal bases and limits, stemmed text, stored (for
    /// snippets).
    pub(super) powers: Field,
    /// The ids a document names in `related` (to find a superseded document's successor).
    pub(super) refers: Field,
    /// An agency note's powers as JSON (`PowerEntry`s), stored: the answer box's data.
    pub(super) powers_data: Field,
    /// Every word, unstemmed, for "did you mean" suggestions (not stored; its term
    /// dictionary is the lexicon).
    pub(super) words: Field,
    /// The words of the document's tags, unstemmed: domain words suggestions prefer.
    pub(super) tags: Field,
    /// 1 for a superseded document (its score is lowered), 0 otherwise; fast.
    pub(super) superseded: Field,
    /// The id's first 16 bytes as two big-endian numbers, fast: equal search scores come in
    /// id order in every build, whatever segments the documents landed in.
    pub(super) id_hi: Field,
    /// See `id_hi`.
    pub(super) id_lo: Field,
    /// The document's area codes, space-separated, stored (for the hit's areas).
    pub(super) area_codes: Field,
    /// Facet: kind.
    pub(super) f_kind: Field,
    /// Facet: area under its reporting area.
    pub(super) f_area: Field,
    /// Facet: exploitation type under its parent.
    pub(super) f_exploitation: Field,
    /// Facet: agency.
    pub(super) f_agency: Field,
    /// Facet: learning theme.
    pub(super) f_theme: Field,
    /// Facet: outcome.
    pub(super) f_outcome: Field,
    pub(super) f_grade: Field,
    /// Facet: power type an agency holds.
    pub(super) f_power: Field,
    /// Facet: order type.
    pub(super) f_order_type: Field,
    pub(super) f_prohibition: Field,
    pub(super) f_offence: Field,
    /// Facet: marking.
    pub(super) f_marking: Field,
    /// Facet: year.
    pub(super) f_year: Field,
}

impl Fields {
    /// Builds the schema and its fields.
    pub(super) fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let facet = FacetOptions::default;
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED | FAST),
            kind: b.add_text_field("kind", STRING | STORED | FAST),
            title: b.add_text_field("title", text(true)),
            url: b.add_text_field("url", STORED),
            date: b.add_text_field("date", STORED),
            date_sort: b.add_i64_field("date_sort", INDEXED | FAST),
            year: b.add_i64_field("year", INDEXED | FAST | STORED),
            marking: b.add_text_field("marking", STRING | STORED | FAST),
            status: b.add_text_field("status", STRING | STORED | FAST),
            blob: b.add_text_field("blob", STRING | STORED | FAST),
            summary: b.add_text_field("summary", text(true)),
            body: b.add_text_field("body", text(true)),
            learning: b.add_text_field("learning", text(true)),
            meta: b.add_text_field("meta", text(false)),
            powers: b.add_text_field("powers", text(true)),
            refers: b.add_text_field("refers", STRING),
            powers_data: b.add_text_field("powers_data", STORED),
            words: b.add_text_field(
                "words",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(WORDS_TOKENIZER)
                        .set_index_option(IndexRecordOption::Basic),
                ),
            ),
            tags: b.add_text_field(
                "tags",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(WORDS_TOKENIZER)
                        .set_index_option(IndexRecordOption::Basic),
                ),
            ),
            superseded: b.add_u64_field("superseded", FAST),
            id_hi: b.add_u64_field("id_hi", FAST),
            id_lo: b.add_u64_field("id_lo", FAST),
            area_codes: b.add_text_field("area_codes", STORED),
            f_kind: b.add_facet_field("f_kind", facet()),
            f_area: b.add_facet_field("f_area", facet()),
            f_exploitation: b.add_facet_field("f_exploitation", facet()),
            f_agency: b.add_facet_field("f_agency", facet()),
            f_theme: b.add_facet_field("f_theme", facet()),
            f_outcome: b.add_facet_field("f_outcome", facet()),
            f_grade: b.add_facet_field("f_grade", facet()),
            f_power: b.add_facet_field("f_power", facet()),
            f_order_type: b.add_facet_field("f_order_type", facet()),
            f_prohibition: b.add_facet_field("f_prohibition", facet()),
            f_offence: b.add_facet_field("f_offence", facet()),
            f_marking: b.add_facet_field("f_marking", facet()),
            f_year: b.add_facet_field("f_year", facet()),
        };
        (b.build(), fields)
    }

    /// The field of a facet.
    pub(super) fn facet(&self, name: FacetName) -> Field {
        match name {
            FacetName::Kind => self.f_kind,
            FacetName::Area => self.f_area,
            FacetName::Exploitation => self.f_exploitation,
            FacetName::Agency => self.f_agency,
            FacetName::Theme => self.f_theme,
            FacetName::Outcome => self.f_outcome,
            FacetName::Grade => self.f_grade,
            FacetName::Power => self.f_power,
            FacetName::OrderType => self.f_order_type,
            FacetName::Prohibition => self.f_prohibition,
            FacetName::Offence => self.f_offence,
            FacetName::Marking => self.f_marking,
            FacetName::Year => self.f_year,
        }
    }

    /// Rebuilds the field handles from an existing index's schema (same layout).
    pub(super) fn from_schema(schema: &Schema) -> Option<Fields> {
        let (expected, fields) = Fields::build();
        (expected == *schema).then_some(fields)
    }
}

/// The analyser for text fields: the domain's tokens (statute references, NFKC, singular
/// abbreviations), long tokens dropped, lower-cased, English stemming.
pub(super) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(super::analysis::DomainTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyser of the `words` field: lower-cased tokens, nothing removed or stemmed.
pub(super) fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(super::analysis::DomainTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Registers Casebook's analysers on an index.
pub(super) fn register(index: &tantivy::Index) {
    index.tokenizers().register(TOKENIZER, analyzer());
    index
        .tokenizers()
        .register(WORDS_TOKENIZER, word_analyzer());
}
