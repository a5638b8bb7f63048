//! Open vocabularies (areas, agencies, themes…): codes the partnership extends through
//! `knowledge/vocabulary.yaml`, so they are data, not Rust enums.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// The name of one vocabulary, as spelled in `vocabulary.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VocabName {
    /// Exploitation types (with parents).
    Exploitation,
    /// Council areas (with GSS code and reporting area).
    Areas,
    /// Partner agencies.
    Agencies,
    /// Offences.
    Offences,
    /// Investigation outcomes.
    Outcomes,
    /// Where a case came from.
    ReferralSources,
    /// Learning themes.
    Themes,
    /// Order prohibition categories.
    Prohibitions,
    /// Agency power types.
    PowerTypes,
    /// Search synonyms and abbreviations: each term a group of forms that find each other.
    Synonyms,
}

impl VocabName {
    /// Every vocabulary.
    pub const ALL: [VocabName; 10] = [
        VocabName::Exploitation,
        VocabName::Areas,
        VocabName::Agencies,
        VocabName::Offences,
        VocabName::Outcomes,
        VocabName::ReferralSources,
        VocabName::Themes,
        VocabName::Prohibitions,
        VocabName::PowerTypes,
        VocabName::Synonyms,
    ];

    /// The word used in messages: "unknown area `x`".
    pub fn singular(self) -> &'static str {
        match self {
            VocabName::Exploitation => "exploitation type",
            VocabName::Areas => "area",
            VocabName::Agencies => "agency",
            VocabName::Offences => "offence",
            VocabName::Outcomes => "outcome",
            VocabName::ReferralSources => "referral source",
            VocabName::Themes => "learning theme",
            VocabName::Prohibitions => "prohibition",
            VocabName::PowerTypes => "power type",
            VocabName::Synonyms => "synonym group",
        }
    }
}

/// One term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The code documents use (`portsmouth`, `GLAA`).
    pub code: String,
    /// What pages show.
    pub label: String,
    /// Exploitation only: the parent type (`county-lines` → `criminal`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Areas only: the ONS GSS code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gss: Option<String>,
    /// Areas only: the reporting area statistics roll the area up to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporting_area: Option<String>,
    /// Power types only: the officer's question the power answers ("Who can close
    /// premises?"), heading its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Everyday words and phrases that name the term in a search: a power type's everyday
    /// forms ("close", "shut" for closure), an area's towns and places (its gazetteer:
    /// "Andover" for Test Valley), a synonym group's other forms ("National Referral Mechanism"
    /// for NRM).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
    /// Power types only: other power types a reader of this one also needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub see_also: Vec<String>,
    /// Power types only: `false` where a warrant never applies (applying for an order), so
    /// pages and answers say nothing of one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warrant: Option<bool>,
    /// Agencies only: the month the agency came into being (`2021-04`), when that matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Agencies only: the last month the agency existed, when it has been replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Agencies only: the codes of the bodies this one replaced or renamed (HIWFRS succeeds
    /// HFRS and IWFRS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub succeeds: Vec<String>,
    /// Built-in terms only: built in after repositories could already define the code
    /// themselves, so a repository's own definition is a warning, not an error.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub added_later: bool,
    /// Themes only: one paragraph on what the theme is, in the partnership's words (the first
    /// part of its seven-minute briefing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Themes only: two to five questions for reflection (the briefing's seventh part).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

/// The page of the power type `code`: `/powers/closure/`.
pub(crate) fn power_url(code: &str) -> String {
    format!("/powers/{code}/")
}

impl Term {
    /// A power type's question, heading its page; a partnership's own power type without one
    /// gets a plain one.
    pub fn power_question(&self) -> String {
        self.question
            .clone()
            .unwrap_or_else(|| format!("Who has {} powers?", self.label.to_lowercase()))
    }

    /// A term with only a code and a label.
    pub fn new(code: &str, label: &str) -> Term {
        Term {
            code: code.to_owned(),
            label: label.to_owned(),
            parent: None,
            gss: None,
            reporting_area: None,
            question: None,
            words: Vec::new(),
            see_also: Vec::new(),
            warrant: None,
            from: None,
            until: None,
            succeeds: Vec::new(),
            added_later: false,
            summary: None,
            questions: Vec::new(),
        }
    }
}

/// All vocabularies, built in plus the repository's additions.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    terms: HashMap<VocabName, Vec<Term>>,
    index: HashMap<(VocabName, String), usize>,
}

impl Vocabulary {
    /// Adds a term; returns false (and adds nothing) when the code is already there.
    pub fn add(&mut self, name: VocabName, term: Term) -> bool {
        let key = (name, term.code.clone());
        if self.index.contains_key(&key) {
            return false;
        }
        let list = self.terms.entry(name).or_default();
        self.index.insert(key, list.len());
        list.push(term);
        true
    }

    /// Gives a term its briefing words (a theme's summary and questions), replacing those it
    /// had; what is not given is kept.
    pub fn annotate(
        &mut self,
        name: VocabName,
        code: &str,
        summary: Option<String>,
        questions: Vec<String>,
    ) {
        let Some(&i) = self.index.get(&(name, code.to_owned())) else {
            return;
        };
        if let Some(term) = self.terms.get_mut(&name).and_then(|list| list.get_mut(i)) {
            if summary.is_some() {
                term.summary = summary;
            }
            if !questions.is_empty() {
                term.questions = questions;
            }
        }
    }

    /// The term with this code, if any.
    pub fn get(&self, name: VocabName, code: &str) -> Option<&Term> {
        let i = *self.index.get(&(name, code.to_owned()))?;
        self.terms.get(&name).map(|list| &list[i])
    }

    /// The term a code rolls up to, when it has one other than itself: an area's reporting
    /// area (`havant` → `hampshire`), an exploitation type's parent (`county-lines` →
    /// `criminal`). The one definition of the roll-ups that search facets, browse pages,
    /// similarity and statistics use.
    pub fn parent(&self, name: VocabName, code: &str) -> Option<&str> {
        let term = self.get(name, code)?;
        let up = match name {
            VocabName::Areas => term.reporting_area.as_deref(),
            VocabName::Exploitation => term.parent.as_deref(),
            _ => None,
        };
        up.filter(|p| *p != code)
    }

    /// True when `code` is a term of `name`.
    pub fn contains(&self, name: VocabName, code: &str) -> bool {
        self.index.contains_key(&(name, code.to_owned()))
    }

    /// The terms of one vocabulary in definition order.
    pub fn terms(&self, name: VocabName) -> &[Term] {
        self.terms.get(&name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The label of a code, or the code itself when unknown.
    pub fn label<'a>(&'a self, name: VocabName, code: &'a str) -> &'a str {
        self.get(name, code).map_or(code, |t| t.label.as_str())
    }

    /// The months an agency existed, as far as the vocabulary says (`from`, `until`).
    pub fn agency_lifetime(
        &self,
        code: &str,
    ) -> (Option<super::date::Month>, Option<super::date::Month>) {
        let term = self.get(VocabName::Agencies, code);
        let month = |m: Option<&String>| m.and_then(|m| super::date::Month::parse(m));
        (
            month(term.and_then(|t| t.from.as_ref())),
            month(term.and_then(|t| t.until.as_ref())),
        )
    }

    /// The bodies an agency replaced (its `succeeds`), and the body that replaced it.
    pub fn agency_lineage(&self, code: &str) -> (Vec<&Term>, Option<&Term>) {
        let before = self
            .get(VocabName::Agencies, code)
            .map(|t| {
                t.succeeds
                    .iter()
                    .filter_map(|c| self.get(VocabName::Agencies, c))
                    .collect()
            })
            .unwrap_or_default();
        let after = self
            .terms(VocabName::Agencies)
            .iter()
            .find(|t| t.succeeds.iter().any(|c| c == code));
        (before, after)
    }

    /// The closest code to a mistyped one, when one is close enough to be a likely typo.
    pub fn nearest(&self, name: VocabName, code: &str) -> Option<&str> {
        nearest(code, self.terms(name).iter().map(|t| t.code.as_str()))
    }
}

/// The candidate closest to `input` (case-insensitive Damerau–Levenshtein over characters),
/// when it is within a third of the input's length, or differs only in case.
pub(crate) fn nearest<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    nearest_within(input, candidates, (input.chars().count() / 3).max(2))
}

/// The candidate closest to `input` within `limit` edits (case-insensitive).
pub(crate) fn nearest_within<'a>(
    input: &str,
    candidates: impl Iterator<Item = &'a str>,
    limit: usize,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let mut v = Vocabulary::default();
        for code in ["portsmouth", "southampton", "havant"] {
            let term = Term::new(code, code);
            assert!(v.add(VocabName::Areas, term));
        }
        v
    }

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        let v = vocab();
        assert_eq!(
            v.nearest(VocabName::Areas, "portsmuoth"),
            Some("portsmouth")
        );
        assert_eq!(v.nearest(VocabName::Areas, "Havant"), Some("havant"));
        assert_eq!(v.nearest(VocabName::Areas, "london"), None);
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let mut v = vocab();
        let again = v.terms(VocabName::Areas)[0].clone();
        assert!(!v.add(VocabName::Areas, again));
        assert_eq!(v.terms(VocabName::Areas).len(), 3);
    }
}
