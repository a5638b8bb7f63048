//! The answer box of a question naming a power ("who can close premises?"): which power
//! types a query names, the agencies of the build that hold each (from the agency notes' stored
//! powers), and the boost that lifts their notes in the results.

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::analysis::analysed;
use super::holders::Holder;
use super::kb::KbIndex;
use super::query;
use super::request::SearchRequest;
use crate::model::FacetName;

/// The answer to a question naming a power ("who can close premises?"): every agency of the
/// build that holds it, from the structured powers of the agency notes.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Answer {
    /// Power-type code.
    pub power_type: String,
    /// Its label.
    pub label: String,
    /// The officer's question it answers.
    pub question: String,
    /// The power's page.
    pub url: String,
    /// True for a power shown because a named one points readers to it (`see_also`).
    pub related: bool,
    /// Whether a warrant can apply to this power at all (not to applying for an order): when
    /// false, answers say nothing of warrants.
    pub warrant: bool,
    /// The agencies that hold it, those the query names first.
    pub holders: Vec<Holder>,
}

/// The words of a query that say what is sought: no question words, field clauses or
/// exclusions.
pub(super) fn content_words(q: &str) -> Vec<&str> {
    q.split_whitespace()
        .filter(|w| !query::is_question_word(w) && !w.contains(':') && !w.starts_with('-'))
        .collect()
}

/// True when `run` occurs in `words` as consecutive words.
pub(super) fn contains_run(words: &[String], run: &[String]) -> bool {
    !run.is_empty() && words.windows(run.len()).any(|w| w == run)
}

impl KbIndex {
    /// The power types a query names by label or everyday word (`close` → `closure`). A
    /// power word inside a learning theme's name ("premature closure") names no power.
    pub(super) fn named_powers(&self, q: &str) -> Vec<&str> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return Vec::new();
        };
        let stems = analysed(&mut analyzer, &content_words(q).join(" "));
        let mut covered = vec![false; stems.len()];
        for phrase in &self.phrases {
            for (i, w) in stems.windows(phrase.len()).enumerate() {
                if w == phrase.as_slice() {
                    covered[i..i + phrase.len()]
                        .iter_mut()
                        .for_each(|c| *c = true);
                }
            }
        }
        let free = |form: &[String]| {
            stems
                .windows(form.len())
                .enumerate()
                .any(|(i, w)| w == form && covered[i..i + form.len()].iter().any(|c| !c))
        };
        self.triggers
            .iter()
            .filter(|(_, forms)| forms.iter().any(|f| !f.is_empty() && free(f)))
            .map(|(code, _)| code.as_str())
            .collect()
    }

    /// The agency codes a query names: by code (`GLAA`), or by name or another form of its
    /// synonym group ("Gangmasters and Labour Abuse Authority").
    fn named_agencies(&self, q: &str, holders: &[Holder]) -> Vec<String> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return Vec::new();
        };
        let stems = analysed(&mut analyzer, &content_words(q).join(" "));
        holders
            .iter()
            .filter(|h| {
                let code = analysed(&mut analyzer, &h.agency);
                let name = analysed(&mut analyzer, &h.name);
                let group = self
                    .synonyms
                    .iter()
                    .find(|g| g.iter().any(|(_, s)| *s == code || *s == name));
                contains_run(&stems, &code)
                    || contains_run(&stems, &name)
                    || group.is_some_and(|g| g.iter().any(|(_, s)| contains_run(&stems, s)))
            })
            .map(|h| h.agency.clone())
            .collect()
    }

    /// A query naming a power ranks the agencies that hold it higher, and their snippet shows
    /// that power: the label's terms in the powers field, optional.
    pub(super) fn power_boost(&self, q: &str) -> Option<Box<dyn Query>> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.powers).ok()?;
        let clauses: Vec<(Occur, Box<dyn Query>)> = self
            .named_powers(q)
            .into_iter()
            .filter_map(|code| self.terms.power_type(code))
            .flat_map(|p| analysed(&mut analyzer, &p.label))
            .map(|stem| {
                let term = Term::from_field_text(self.fields.powers, &stem);
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, 2.0)) as Box<dyn Query>,
                )
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// The answer box of a query: the powers it names (by label or everyday word), each with
    /// the agencies that hold it, then the powers those point readers to. Only for a question
    /// ("who can…", "…powers") or a short query, and not when the kinds filtered exclude
    /// agency notes.
    pub fn answers(&self, req: &SearchRequest) -> Vec<Answer> {
        let kinds = req.filters.get(&FacetName::Kind);
        if kinds.is_some_and(|k| !k.is_empty() && !k.iter().any(|k| k == "agency_powers")) {
            return Vec::new();
        }
        let words: Vec<String> = req
            .q
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let asks = words
            .iter()
            .any(|w| matches!(w.as_str(), "who" | "which" | "can" | "power" | "powers"));
        let content = content_words(&req.q);
        if content.is_empty() || !(asks || content.len() <= 3) {
            return Vec::new();
        }
        let named = self.named_powers(&req.q);
        let related: Vec<&str> = named
            .iter()
            .filter_map(|c| self.terms.power_type(c))
            .flat_map(|p| p.see_also.iter().map(String::as_str))
            .filter(|c| !named.contains(c))
            .fold(Vec::new(), |mut v, c| {
                if !v.contains(&c) {
                    v.push(c);
                }
                v
            });
        let answer = |code: &str, related: bool| -> Option<Answer> {
            let p = self.terms.power_type(code)?;
            let mut holders = self.holders.get(code).cloned().unwrap_or_default();
            let named = self.named_agencies(&req.q, &holders);
            for h in &mut holders {
                h.named = named.contains(&h.agency);
            }
            // The agencies the query names lead; the rest keep their order after them.
            holders.sort_by_key(|h| !h.named);
            (!related || !holders.is_empty()).then(|| Answer {
                power_type: p.code.clone(),
                label: p.label.clone(),
                question: p.question.clone(),
                url: crate::model::vocab::power_url(&p.code),
                related,
                warrant: p.warrant,
                holders,
            })
        };
        named
            .iter()
            .filter_map(|c| answer(c, false))
            .chain(related.iter().filter_map(|c| answer(c, true)))
            .collect()
    }
}
