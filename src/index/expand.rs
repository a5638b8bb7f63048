//! The query's words as clauses: synonym groups written out in full (`NRM` finds "National
//! Referral Mechanism" and the other way round), the partial-match query that ranks documents by
//! how many clauses they match, bare years as boosts, fuzzy words (`interpreter~1`) and prefixes
//! (`interp*`).

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, RegexQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use super::analysis::analysed;
use super::kb::KbIndex;

/// One clause of the query text: its text for tantivy (a synonym group written as
/// `("NRM" OR "National Referral Mechanism")`), what the searcher wrote, and whether it is a
/// word or phrase that may be reported as matching nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clause {
    pub(super) query: String,
    pub(super) written: String,
    pub(super) plain: bool,
    pub(super) negated: bool,
}

/// Score a matched clause adds to a partial match: far above any relevance score, so partial
/// matches are ranked by how many words they match, then by relevance.
pub(super) const PER_CLAUSE: f32 = 1000.0;

/// Most words of a synonym form looked for in the query ("Gangmasters and Labour Abuse
/// Authority" is five).
const MAX_FORM_WORDS: usize = 8;

impl KbIndex {
    /// The clauses of the query's tokens, each synonym group written out in full: a run of
    /// plain words whose analysed form is one of a group's forms becomes
    /// `("form one" OR "form two")`, so either form finds both.
    pub(super) fn clauses(&self, tokens: &[String]) -> Vec<Clause> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return tokens
                .iter()
                .map(|t| Clause {
                    query: t.clone(),
                    written: t.clone(),
                    plain: false,
                    negated: t.starts_with('-'),
                })
                .collect();
        };
        let plain = |t: &str| {
            !t.is_empty()
                && !t.contains(['"', ':', '(', ')', '*', '~', '[', ']', '{', '}', '^'])
                && !matches!(t, "AND" | "OR" | "NOT")
        };
        let stems: Vec<Vec<String>> = tokens
            .iter()
            .map(|t| {
                let mut stems = analysed(&mut analyzer, t.trim_start_matches(['+', '-']));
                stems.retain(|s| !super::query::is_question_word(s));
                stems
            })
            .collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            let sign = if token.starts_with(['+', '-']) {
                &token[..1]
            } else {
                ""
            };
            let bare = &token[sign.len()..];
            if !plain(bare) {
                out.push(Clause {
                    query: token.clone(),
                    written: token.clone(),
                    plain: bare.starts_with('"') && sign != "-",
                    negated: sign == "-",
                });
                i += 1;
                continue;
            }
            // The longest run of plain, unsigned words (or this one signed word) that is a
            // synonym form.
            let longest = (1..=MAX_FORM_WORDS.min(tokens.len() - i))
                .rev()
                .filter(|k| {
                    *k == 1
                        || tokens[i..i + k]
                            .iter()
                            .all(|t| plain(t) && !t.starts_with(['+', '-']))
                })
                .find_map(|k| {
                    let run: Vec<String> = stems[i..i + k].concat();
                    self.synonym_group(&run).map(|g| (k, g))
                });
            let (k, query) = match longest {
                Some((k, group)) => (k, format!("{sign}({})", group)),
                None => (1, token.clone()),
            };
            out.push(Clause {
                query,
                written: tokens[i..i + k]
                    .join(" ")
                    .trim_start_matches(['+', '-'])
                    .to_owned(),
                plain: sign != "-",
                negated: sign == "-",
            });
            i += k;
        }
        out
    }

    /// The synonym group one of whose forms analyses to `stems`, written as an OR of phrases.
    pub(super) fn synonym_group(&self, stems: &[String]) -> Option<String> {
        if stems.is_empty() {
            return None;
        }
        let group = self
            .synonyms
            .iter()
            .position(|forms| forms.iter().any(|(_, s)| s.as_slice() == stems))?;
        let forms: Vec<String> = self.synonyms[group]
            .iter()
            .map(|(text, _)| format!("\"{}\"", text.replace('"', " ")))
            .collect();
        Some(forms.join(" OR "))
    }

    /// Documents matching any of the clauses and at least one of `required`, scored by how
    /// many clauses they match, then relevance.
    pub(super) fn any_of(&self, clauses: &[&Clause], required: &[&Clause]) -> Box<dyn Query> {
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for c in clauses {
            let q = self.clause_query(&c.query);
            should.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(q.box_clone(), PER_CLAUSE)),
            ));
            should.push((Occur::Should, q));
        }
        let one_of: Vec<(Occur, Box<dyn Query>)> = required
            .iter()
            .map(|c| (Occur::Should, self.clause_query(&c.query)))
            .collect();
        // A filter: it adds nothing to the score.
        let one_of = ConstScoreQuery::new(Box::new(BooleanQuery::new(one_of)), 0.0);
        should.push((Occur::Must, Box::new(one_of)));
        Box::new(BooleanQuery::new(should))
    }

    /// Documents of the years named raise their score; no document is left out for its year.
    pub(super) fn year_boost(&self, years: &[i64]) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = years
            .iter()
            .map(|y| {
                let term = Term::from_field_i64(self.fields.year, *y);
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, 3.0)) as Box<dyn Query>,
                )
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// "What works": reviews whose learning is graded effective (most) or promising first.
    pub(super) fn what_works_boost(&self) -> Option<Box<dyn Query>> {
        let clauses: Vec<(Occur, Box<dyn Query>)> = [("effective", 4.0), ("promising", 2.0)]
            .into_iter()
            .filter_map(|(grade, boost)| {
                let q = self.facet_query(crate::model::FacetName::Grade, grade)?;
                Some((
                    Occur::Should,
                    Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>,
                ))
            })
            .collect();
        (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
    }

    /// `interpreter~1`: the word's stem within the edit distance, in any text field.
    pub(super) fn fuzzy_queries(
        &self,
        fuzzy: &[(String, u8, bool)],
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let Ok(mut analyzer) = self.index.tokenizer_for_field(self.fields.title) else {
            return Vec::new();
        };
        let f = &self.fields;
        fuzzy
            .iter()
            .filter_map(|(word, distance, negated)| {
                let stem = analysed(&mut analyzer, word).into_iter().next()?;
                let fields = [f.title, f.summary, f.body, f.learning, f.meta, f.powers];
                let any: Vec<(Occur, Box<dyn Query>)> = fields
                    .into_iter()
                    .map(|field| {
                        let term = Term::from_field_text(field, &stem);
                        let q: Box<dyn Query> =
                            Box::new(FuzzyTermQuery::new(term, *distance, true));
                        (Occur::Should, q)
                    })
                    .collect();
                let occur = if *negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                Some((occur, Box::new(BooleanQuery::new(any)) as Box<dyn Query>))
            })
            .collect()
    }

    /// `interp*`: any unstemmed word starting with the prefix.
    pub(super) fn prefix_queries(
        &self,
        prefixes: &[(String, bool)],
    ) -> Vec<(Occur, Box<dyn Query>)> {
        prefixes
            .iter()
            .filter_map(|(prefix, negated)| {
                let query =
                    RegexQuery::from_pattern(&format!("{prefix}.*"), self.fields.words).ok()?;
                let occur = if *negated {
                    Occur::MustNot
                } else {
                    Occur::Must
                };
                Some((occur, Box::new(query) as Box<dyn Query>))
            })
            .collect()
    }
}
