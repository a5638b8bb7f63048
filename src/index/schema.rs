//! The tantivy schema, built once as a struct of fields.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};

/// Bumped whenever the schema or what goes into a field changes: an index built with
/// another version is rebuilt from scratch.
pub const SCHEMA_VERSION: u32 = 5;

/// The English stemming analyser's name.
pub(super) const TOKENIZER: &str = "casebook_en";

/// The plain-words analyser's name (lexicon).
pub(super) const WORDS_TOKENIZER: &str = "casebook_words";

/// Every field of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document id (`CR-2024-007`), exact.
    pub id: Field,
    /// Kind code, exact.
    pub kind: Field,
    /// Title, stemmed text, stored.
    pub title: Field,
    /// Site URL, stored.
    pub url: Field,
    /// Display date (`YYYY-MM-DD`), stored.
    pub date: Field,
    /// Date as a sortable number (`YYYYMMDD`), fast.
    pub date_sort: Field,
    /// Year, for ranges.
    pub year: Field,
    /// Marking code, exact.
    pub marking: Field,
    /// Status code, exact.
    pub status: Field,
    /// Git blob id of the source file, for incremental builds.
    pub blob: Field,
    /// The `## Summary` section (or the remit of an agency note).
    pub summary: Field,
    /// The whole body and the descriptive front matter.
    pub body: Field,
    /// Themes' labels, good practice, recommendations.
    pub learning: Field,
    /// Searchable metadata: vocabulary labels, operation name, order basis (not stored, so
    /// never a snippet).
    pub meta: Field,
    /// Every word, unstemmed, for "did you mean" suggestions (not stored; its term
    /// dictionary is the lexicon).
    pub words: Field,
    /// Facet: kind.
    pub f_kind: Field,
    /// Facet: area under its reporting area.
    pub f_area: Field,
    /// Facet: exploitation type under its parent.
    pub f_exploitation: Field,
    /// Facet: agency.
    pub f_agency: Field,
    /// Facet: learning theme.
    pub f_theme: Field,
    /// Facet: outcome.
    pub f_outcome: Field,
    /// Facet: order type.
    pub f_order_type: Field,
    /// Facet: marking.
    pub f_marking: Field,
    /// Facet: year.
    pub f_year: Field,
}

impl Fields {
    /// Builds the schema and its fields.
    pub fn build() -> (Schema, Fields) {
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
            words: b.add_text_field(
                "words",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(WORDS_TOKENIZER)
                        .set_index_option(IndexRecordOption::Basic),
                ),
            ),
            f_kind: b.add_facet_field("f_kind", facet()),
            f_area: b.add_facet_field("f_area", facet()),
            f_exploitation: b.add_facet_field("f_exploitation", facet()),
            f_agency: b.add_facet_field("f_agency", facet()),
            f_theme: b.add_facet_field("f_theme", facet()),
            f_outcome: b.add_facet_field("f_outcome", facet()),
            f_order_type: b.add_facet_field("f_order_type", facet()),
            f_marking: b.add_facet_field("f_marking", facet()),
            f_year: b.add_facet_field("f_year", facet()),
        };
        (b.build(), fields)
    }

    /// Rebuilds the field handles from an existing index's schema (same layout).
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let (expected, fields) = Fields::build();
        (expected == *schema).then_some(fields)
    }
}

/// The analyser for text fields: simple tokens, long tokens dropped, lower-cased, English
/// stemming.
pub(super) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyser of the `words` field: lower-cased tokens, nothing removed or stemmed.
pub(super) fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
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
