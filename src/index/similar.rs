//! Similar documents: MoreLikeThis over title, summary and learning, computed at build.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, EmptyQuery, MoreLikeThisQuery, Occur, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::search::{Hit, KbIndex};

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
        let Ok(doc) = searcher.doc::<TantivyDocument>(*address) else {
            return Vec::new();
        };
        let values = |field| -> Vec<tantivy::schema::OwnedValue> {
            doc.get_all(field)
                .map(|v| {
                    tantivy::schema::OwnedValue::from(v.as_str().unwrap_or_default().to_owned())
                })
                .collect()
        };
        // Terms found in one document only cannot match another, so they are skipped
        // (min_doc_frequency 2) and the 20 query terms are all shared ones.
        // Deleted documents still count in term frequencies until segments merge; capping the
        // document frequency at the live count keeps MoreLikeThis's idf assertion
        // (doc_freq <= num_docs) true after incremental builds.
        let mlt = MoreLikeThisQuery::builder()
            .with_max_doc_frequency(searcher.num_docs())
            .with_min_doc_frequency(2)
            .with_min_term_frequency(1)
            .with_max_query_terms(20)
            .with_min_word_length(3)
            .with_document_fields(vec![
                (f.title, values(f.title)),
                (f.summary, values(f.summary)),
                (f.learning, values(f.learning)),
            ]);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(mlt)),
            (Occur::MustNot, Box::new(by_id)),
        ]);
        let search = || searcher.search(&query, &TopDocs::with_limit(n).order_by_score());
        let top = catch_unwind(AssertUnwindSafe(search))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        self.hits(&searcher, &EmptyQuery, top)
    }
}
