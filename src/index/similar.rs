//! Similar documents, computed at build: the document's most telling words (title, summary,
//! learning) searched for among the others.
//!
//! The words are chosen here rather than by tantivy's MoreLikeThis, whose choice among words
//! of equal weight follows a hash map's order and so differs between runs; equal scores are
//! broken by the id's fixed tie number. Two builds of one commit list the same documents in
//! the same order.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::search::{Hit, KbIndex};

/// Words of the document searched for.
const QUERY_TERMS: usize = 20;
/// Shortest word considered.
const MIN_WORD: usize = 3;

impl KbIndex {
    /// The `n` documents most like `id` (over title, summary and learning), best first.
    pub fn similar(&self, id: &str, n: usize) -> Vec<Hit> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let Ok(found) = searcher.search(&by_id, &TopDocs::with_limit(1).order_by_score()) else {
            return Vec::new();
        };
        let Some((_, address)) = found.first() else {
            return Vec::new();
        };
        let Some(words) = self.telling_words(&searcher, *address) else {
            return Vec::new();
        };
        if words.is_empty() {
            return Vec::new();
        }
        let like = BooleanQuery::new(words);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(like) as Box<dyn Query>),
            (Occur::MustNot, Box::new(by_id)),
        ]);
        let collector = TopDocs::with_limit(n).tweak_score(ordered);
        let search = || searcher.search(&query, &collector);
        let top: Vec<(f32, DocAddress)> = catch_unwind(AssertUnwindSafe(search))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|((score, _), address)| (score as f32 / SCALE, address))
            .collect();
        self.hits(&searcher, &EmptyQuery, top)
    }

    /// The document's words that say most about it: in title, summary and learning, in at least
    /// two documents, weighted by frequency × rarity; the `QUERY_TERMS` heaviest, ties by field
    /// and word, each a clause boosted by its weight.
    fn telling_words(
        &self,
        searcher: &Searcher,
        address: DocAddress,
    ) -> Option<Vec<(Occur, Box<dyn Query>)>> {
        let doc = searcher.doc::<TantivyDocument>(address).ok()?;
        let f = &self.fields;
        let total = searcher.num_docs().max(1) as f64;
        let mut counts: BTreeMap<(u32, String), u32> = BTreeMap::new();
        let fields: [Field; 3] = [f.title, f.summary, f.learning];
        for field in fields {
            let mut analyzer = self.index.tokenizer_for_field(field).ok()?;
            for value in doc.get_all(field) {
                let text = value.as_str().unwrap_or_default();
                let mut stream = analyzer.token_stream(text);
                while stream.advance() {
                    let word = &stream.token().text;
                    if word.chars().count() >= MIN_WORD {
                        *counts.entry((field.field_id(), word.clone())).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut weighted: Vec<(f64, Term)> = counts
            .into_iter()
            .filter_map(|((field, word), tf)| {
                let term = Term::from_field_text(Field::from_field_id(field), &word);
                let df = searcher.doc_freq(&term).ok()? as f64;
                // In one document only (this one): it cannot match another.
                (df >= 2.0).then(|| {
                    let idf = (1.0 + (total - df + 0.5) / (df + 0.5)).ln();
                    (f64::from(tf) * idf, term)
                })
            })
            .collect();
        // Heaviest first; `sort_by` is stable, so equal weights keep field-then-word order.
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
        weighted.truncate(QUERY_TERMS);
        Some(
            weighted
                .into_iter()
                .map(|(weight, term)| {
                    let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    let boosted = BoostQuery::new(Box::new(q), weight as f32);
                    (Occur::Should, Box::new(boosted) as Box<dyn Query>)
                })
                .collect(),
        )
    }
}

/// Scores are compared at this precision, so sums that differ only in their last bit (added
/// in another order) count as equal and the tie number decides.
const SCALE: f32 = 10_000.0;

/// The score of a similar document for ordering: the score at `SCALE` precision, then the
/// id's tie number (lower first).
fn ordered(
    segment: &tantivy::SegmentReader,
) -> impl Fn(tantivy::DocId, tantivy::Score) -> (i64, std::cmp::Reverse<u64>) + use<> {
    let column = segment
        .fast_fields()
        .u64("tie")
        .ok()
        .map(|c| c.first_or_default_col(0));
    move |doc, score| {
        let tie = column.as_ref().map_or(0, |c| c.get_val(doc));
        ((score * SCALE).round() as i64, std::cmp::Reverse(tie))
    }
}
