//! What one knowledge document becomes in the index: plain values computed from the typed
//! document, then a tantivy document.

use tantivy::TantivyDocument;
use tantivy::schema::Facet;

use crate::markdown;
use crate::model::enums::Closed;
use crate::model::{Date, Document, FacetName, KindData, VocabName, Vocabulary, Withheld};

use super::schema::Fields;

/// The indexed form of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    /// Document id.
    pub id: String,
    /// Kind code.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Site URL.
    pub url: String,
    /// The document's date (review date, order month, verification date), if recorded.
    pub date: Option<Date>,
    /// The date as shown (`2021-09-22`, an order's `2021-09`, or `date not recorded`).
    pub date_text: String,
    /// Marking code.
    pub marking: String,
    /// Status code.
    pub status: String,
    /// Git blob id of the source file.
    pub blob: String,
    /// Summary text.
    pub summary: String,
    /// Body and descriptive text.
    pub body: String,
    /// Learning text.
    pub learning: String,
    /// Searchable metadata (labels, operation, basis).
    pub meta: String,
    /// An agency's structured powers, legal bases and limits.
    pub powers: String,
    /// An agency's powers as JSON, for the answer box (empty for other kinds).
    pub powers_data: String,
    /// The ids the document names in `related`.
    pub refers: Vec<String>,
    /// Its tags, space-separated.
    pub tags: String,
    /// Facet paths, e.g. `/area/hampshire/havant`.
    pub facets: Vec<(FacetName, String)>,
}

/// Builds the indexed form of `doc`, whose markdown body is `body` and whose source blob is
/// `blob` (the index's key for it: see `doc_key`). What `withheld` says the edition leaves
/// out is never indexed: its ids are replaced in every text (`Withheld::redact`) and dropped
/// from the references.
pub fn index_doc(
    doc: &Document,
    body: &str,
    blob: &str,
    vocab: &Vocabulary,
    withheld: &Withheld,
) -> IndexDoc {
    let c = &doc.common;
    let mut text = Texts::default();
    // The front matter as searchable text: tags, the owner, and below each kind's codes with
    // their labels.
    c.tags
        .iter()
        .for_each(|t| text.add_meta(&withheld.redact(t).replace('-', " ")));
    text.code_and_label(vocab, VocabName::Agencies, &c.owner);
    match &doc.data {
        KindData::CaseReview(r) => review_text(&mut text, r, body, vocab),
        KindData::OrderRecord(o) => order_text(&mut text, o, body, vocab),
        KindData::AgencyPowers(a) => agency_text(&mut text, a, vocab),
    }
    // Every facet's codes as the model gives them; areas and exploitation types under the
    // term they roll up to (`/area/hampshire/havant`), so a filter on the parent finds both.
    let mut facets = Vec::new();
    for name in FacetName::ALL {
        for code in doc.codes(name) {
            let up = name.vocabulary().and_then(|v| vocab.parent(v, &code));
            let path = match up {
                Some(parent) => format!("/{}/{parent}/{code}", name.key()),
                None => format!("/{}/{code}", name.key()),
            };
            facets.push((name, path));
        }
    }
    let date = doc.date();
    text.add_body(&markdown::plain_text(markdown::without_fictional_notice(
        body,
    )));
    facets.push((FacetName::Marking, format!("/marking/{}", c.marking)));
    if let Some(date) = date {
        facets.push((FacetName::Year, format!("/year/{}", date.year())));
    }
    let indexed = IndexDoc {
        id: c.id.clone(),
        kind: c.kind.to_string(),
        title: c.title.clone(),
        url: doc.url(),
        date,
        date_text: doc.date_text(),
        marking: c.marking.to_string(),
        status: c.status.to_string(),
        blob: blob.to_owned(),
        summary: text.summary,
        body: text.body,
        learning: text.learning,
        meta: text.meta,
        powers: text.powers,
        powers_data: text.powers_data,
        refers: c.related.clone(),
        tags: c.tags.join(" "),
        facets,
    };
    redacted(indexed, withheld)
}

/// A case review's searchable text: its front matter's codes with their labels,
/// its learning points with their grades, recommendations and themes.
fn review_text(
    text: &mut Texts,
    r: &crate::model::case_review::CaseReview,
    body: &str,
    vocab: &Vocabulary,
) {
    text.summary = markdown::section_text(body, "Summary").unwrap_or_default();
    text.add_meta(&r.operation);
    text.add_meta(r.review_type.label());
    text.places(vocab, &r.areas);
    text.labels(vocab, VocabName::Exploitation, &r.exploitation);
    for o in &r.offences {
        text.code_and_label(vocab, VocabName::Offences, &o.code);
        text.labels(vocab, VocabName::Outcomes, std::slice::from_ref(&o.outcome));
    }
    text.labels(vocab, VocabName::Outcomes, std::slice::from_ref(&r.outcome));
    text.labels(
        vocab,
        VocabName::ReferralSources,
        std::slice::from_ref(&r.referral_source),
    );
    text.code_and_label(vocab, VocabName::Agencies, &r.lead_agency);
    for a in &r.agencies {
        text.code_and_label(vocab, VocabName::Agencies, &a.code);
    }
    text.add_meta(&victim_words(&r.victims));
    // The front matter's sections by name, so `perpetrators`, `recommendations` or
    // `good practice` finds every review that records them.
    text.add_meta("victims perpetrators offences outcome");
    if !r.recommendations.is_empty() {
        text.add_meta("recommendations");
    }
    if !r.learning.is_empty() {
        text.add_meta("learning points good practice");
    }
    text.countries(&r.victims.nationalities);
    text.countries(&r.perpetrators.nationalities);
    for role in &r.perpetrators.roles {
        text.add_meta(role.label());
    }
    if r.perpetrators.ocg == Some(true) {
        text.add_meta("organised crime group");
    }
    if r.nrm.is_some() {
        text.add_meta("National Referral Mechanism NRM referrals");
    }
    // Each point with its grade's words, so "effective interpreters" finds the point.
    for p in &r.learning {
        text.add_learning(&format!("{} ({})", p.text, p.grade.label()));
        if let Some(e) = &p.evidence {
            text.add_learning(e);
        }
    }
    for rr in &r.related_reviews {
        text.add_learning(&format!("{} {} {}", rr.title, rr.kind.label(), rr.board));
    }
    r.recommendations
        .iter()
        .for_each(|rec| text.add_learning(&rec.text));
    if let Some(l) = markdown::section_text(body, "Learning") {
        text.add_learning(&l);
    }
    // The themes' names last: a snippet shows the learning's own words before a list
    // of labels when both hold the word asked for.
    text.learning_labels(vocab, VocabName::Themes, &r.themes);
}

/// An order record's searchable text: its type, basis, terms, events and breaches.
fn order_text(
    text: &mut Texts,
    o: &crate::model::order_record::OrderRecord,
    body: &str,
    vocab: &Vocabulary,
) {
    text.summary = markdown::section_text(body, "Summary").unwrap_or_default();
    text.add_meta(&format!(
        "{} {} {} {} {} {}",
        o.order_type,
        order_name(o.order_type),
        o.basis.label(),
        o.order_status.label(),
        o.court.label(),
        o.applicant.map_or("", |a| a.label()),
    ));
    text.places(vocab, &o.areas);
    text.labels(vocab, VocabName::Exploitation, &o.exploitation);
    text.labels(vocab, VocabName::Prohibitions, &o.prohibitions);
    if let Some(f) = &o.foreign_travel {
        text.add_meta(&format!("foreign travel prohibition {}", f.scope.label()));
        if f.passport_surrender {
            text.add_meta("passport surrender");
        }
    }
    if o.notification_requirement == Some(true) {
        text.add_meta("notification requirement name and address");
    }
    for b in &o.breaches {
        let what = match (&b.prohibition, b.requirement) {
            (Some(p), _) => vocab.label(VocabName::Prohibitions, p).to_owned(),
            (None, Some(r)) => r.label().to_owned(),
            (None, None) => String::new(),
        };
        text.add_meta(&format!("breach {what} {}", b.what_followed()));
    }
    for e in &o.events {
        text.add_meta(e.event.label());
    }
    if let Some(m) = &o.management {
        for p in &m.partners {
            text.code_and_label(vocab, VocabName::Agencies, p);
        }
    }
    if let Some(reason) = &o.not_pursued_reason {
        text.add_learning(reason);
    }
}

/// An agency note's searchable text: its powers in words, their legal bases and
/// everyday names, and the structured powers the answer box reads.
fn agency_text(
    text: &mut Texts,
    a: &crate::model::agency_powers::AgencyPowers,
    vocab: &Vocabulary,
) {
    text.summary = a.remit.clone();
    text.add_meta(&format!("{} {}", a.agency, a.name));
    text.add_meta(a.jurisdiction.label());
    if let Some(p) = &a.parent_body {
        text.add_meta(p);
    }
    text.add_meta(&a.engagement.route);
    text.add_meta(&a.engagement.spoc_role);
    for p in &a.powers {
        let label = vocab.label(VocabName::PowerTypes, &p.power_type);
        let mut line = format!("{label}: {}.", p.basis.trim_end_matches('.'));
        if let Some(by) = &p.exercised_by {
            line.push_str(&format!(" Exercised by: {by}."));
        }
        if let Some(notes) = &p.notes {
            line.push(' ');
            line.push_str(notes);
        }
        text.add_powers(&line);
        // The everyday words for the power ("close" for closure) find the note.
        if let Some(term) = vocab.get(VocabName::PowerTypes, &p.power_type) {
            text.add_meta(&term.words.join(" "));
        }
    }
    for b in &a.legal_bases {
        text.add_powers(&format!("{} {}: {}", b.act, b.section, b.summary));
    }
    a.limits.iter().for_each(|l| text.add_powers(l));
    text.powers_data = powers_data(a);
}

/// The index's key for `doc` (see `purge::key`): its source `blob`, and how the edition shows
/// the documents its front matter and body name.
pub fn doc_key(doc: &Document, body: &str, blob: &str, withheld: &Withheld) -> String {
    if !withheld.leaves_out_any() {
        return blob.to_owned();
    }
    let mut texts = vec![markdown::plain_text(body)];
    if let Ok(front_matter) = serde_json::to_value(doc) {
        strings(&front_matter, &mut texts);
    }
    super::purge::key(blob, &withheld.verdicts(texts.iter().map(String::as_str)))
}

/// Every string in a JSON value.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// `doc` without the ids of documents the edition leaves out: replaced in its texts, dropped
/// from its references.
fn redacted(mut doc: IndexDoc, withheld: &Withheld) -> IndexDoc {
    for text in [
        &mut doc.title,
        &mut doc.summary,
        &mut doc.body,
        &mut doc.learning,
        &mut doc.meta,
        &mut doc.powers,
        &mut doc.powers_data,
        &mut doc.tags,
    ] {
        if let std::borrow::Cow::Owned(r) = withheld.redact(text) {
            *text = r;
        }
    }
    doc.refers.retain(|id| withheld.is_published(id));
    doc
}

/// The victims in words: adults, children, women, men.
fn victim_words(v: &crate::model::case_review::Counts) -> String {
    let mut words = vec!["victims"];
    for (n, word) in [
        (v.adults, "adult victims"),
        (v.children, "child victims children"),
        (v.female, "female victims women"),
        (v.male, "male victims men"),
    ] {
        if n.is_some_and(|n| n > 0) {
            words.push(word);
        }
    }
    words.join(" ")
}

/// The full name of an order type, so "risk order" finds STROs.
fn order_name(t: crate::model::enums::OrderType) -> &'static str {
    use crate::model::enums::OrderType;
    match t {
        OrderType::Stpo => "Slavery and Trafficking Prevention Order",
        OrderType::Stro => "Slavery and Trafficking Risk Order",
        OrderType::InterimStpo => "interim Slavery and Trafficking Prevention Order",
        OrderType::InterimStro => "interim Slavery and Trafficking Risk Order",
    }
}

#[derive(Default)]
struct Texts {
    summary: String,
    body: String,
    learning: String,
    meta: String,
    powers: String,
    powers_data: String,
}

/// One power of an agency, as the answer box shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct PowerEntry {
    /// Power-type code.
    #[serde(rename = "type")]
    pub(super) power_type: String,
    /// Legal basis.
    pub(super) basis: String,
    /// Whether a warrant is needed.
    pub(super) warrant_required: bool,
    /// Who exercises it, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) exercised_by: Option<String>,
    /// Conditions and notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) notes: Option<String>,
}

/// The stored answer-box data of an agency note: its agency's name and powers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct AgencyEntry {
    /// Agency code.
    pub(super) agency: String,
    /// The agency's name.
    pub(super) name: String,
    /// Its powers.
    pub(super) powers: Vec<PowerEntry>,
}

fn powers_data(a: &crate::model::agency_powers::AgencyPowers) -> String {
    let entry = AgencyEntry {
        agency: a.agency.clone(),
        name: a.name.clone(),
        powers: a
            .powers
            .iter()
            .map(|p| PowerEntry {
                power_type: p.power_type.clone(),
                basis: p.basis.clone(),
                warrant_required: p.warrant_required,
                exercised_by: p.exercised_by.clone(),
                notes: p.notes.clone(),
            })
            .collect(),
    };
    serde_json::to_string(&entry).unwrap_or_default()
}

impl Texts {
    fn add_meta(&mut self, s: &str) {
        self.meta.push_str(s);
        self.meta.push_str(" \n");
    }

    fn add_powers(&mut self, s: &str) {
        let s = s.trim();
        self.powers.push_str(s);
        if !s.ends_with(['.', '!', '?']) {
            self.powers.push('.');
        }
        self.powers.push(' ');
    }

    fn add_body(&mut self, s: &str) {
        self.body.push_str(s);
        self.body.push(' ');
    }

    fn add_learning(&mut self, s: &str) {
        let s = s.trim();
        self.learning.push_str(s);
        if !s.ends_with(['.', '!', '?']) {
            self.learning.push('.');
        }
        self.learning.push(' ');
    }

    fn labels(&mut self, vocab: &Vocabulary, name: VocabName, codes: &[String]) {
        for code in codes {
            self.add_meta(vocab.label(name, code));
        }
    }

    /// A code and its label (`GLAA Gangmasters and Labour Abuse Authority`).
    fn code_and_label(&mut self, vocab: &Vocabulary, name: VocabName, code: &str) {
        self.add_meta(&format!("{code} {}", vocab.label(name, code)));
    }

    /// The areas' labels, their reporting areas' and their places (the gazetteer): a document
    /// about Test Valley is found by "Andover".
    fn places(&mut self, vocab: &Vocabulary, codes: &[String]) {
        for code in codes {
            let Some(term) = vocab.get(VocabName::Areas, code) else {
                continue;
            };
            self.add_meta(&term.label);
            self.add_meta(&term.words.join(", "));
            if let Some(r) = vocab.parent(VocabName::Areas, code) {
                self.add_meta(vocab.label(VocabName::Areas, r));
            }
        }
    }

    /// Nationalities by country name.
    fn countries(&mut self, nationalities: &std::collections::BTreeMap<String, u32>) {
        for code in nationalities.keys() {
            self.add_meta(&crate::model::countries::name(code));
        }
    }

    fn learning_labels(&mut self, vocab: &Vocabulary, name: VocabName, codes: &[String]) {
        for code in codes {
            self.add_learning(vocab.label(name, code));
        }
    }
}

/// Converts an `IndexDoc` into a tantivy document.
pub(super) fn to_tantivy(d: &IndexDoc, f: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &d.id);
    doc.add_text(f.kind, &d.kind);
    doc.add_text(f.title, &d.title);
    doc.add_text(f.url, &d.url);
    doc.add_text(f.date, &d.date_text);
    let ymd: i64 = d
        .date
        .map_or(0, |d| d.to_string().replace('-', "").parse().unwrap_or(0));
    doc.add_i64(f.date_sort, ymd);
    if let Some(date) = d.date {
        doc.add_i64(f.year, i64::from(date.year()));
    }
    doc.add_text(f.marking, &d.marking);
    doc.add_text(f.status, &d.status);
    doc.add_text(f.blob, &d.blob);
    doc.add_text(f.summary, &d.summary);
    doc.add_text(f.body, &d.body);
    doc.add_text(f.learning, &d.learning);
    doc.add_text(f.meta, &d.meta);
    doc.add_text(f.powers, &d.powers);
    if !d.powers_data.is_empty() {
        doc.add_text(f.powers_data, &d.powers_data);
    }
    for id in &d.refers {
        doc.add_text(f.refers, id);
    }
    doc.add_text(f.tags, &d.tags);
    let areas: Vec<&str> = d
        .facets
        .iter()
        .filter(|(name, _)| *name == FacetName::Area)
        .filter_map(|(_, path)| path.rsplit('/').next())
        .collect();
    doc.add_text(f.area_codes, areas.join(" "));
    doc.add_u64(f.superseded, u64::from(d.status == "superseded"));
    let (hi, lo) = id_order(&d.id);
    doc.add_u64(f.id_hi, hi);
    doc.add_u64(f.id_lo, lo);
    for text in [
        &d.title,
        &d.summary,
        &d.learning,
        &d.body,
        &d.meta,
        &d.powers,
    ] {
        doc.add_text(f.words, text);
    }
    for (name, path) in &d.facets {
        if let Ok(facet) = Facet::from_text(path) {
            doc.add_facet(f.facet(*name), facet);
        }
    }
    doc
}

/// The id's first 16 bytes as two big-endian numbers (shorter ids padded with zeros), so
/// comparing the pair compares the ids.
pub(super) fn id_order(id: &str) -> (u64, u64) {
    let mut bytes = [0u8; 16];
    for (b, c) in bytes.iter_mut().zip(id.bytes()) {
        *b = c;
    }
    let (hi, lo) = bytes.split_at(8);
    let number = |part: &[u8]| part.iter().fold(0u64, |n, &b| (n << 8) | u64::from(b));
    (number(hi), number(lo))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_order_compares_like_the_ids() {
        let mut ids = vec![
            "ORD-2022-006",
            "CR-2023-002",
            "AG-HOIE",
            "AG-HIOWC",
            "CR-2023-0021",
            "CR-2023-001",
        ];
        let mut by_order = ids.clone();
        by_order.sort_by_key(|id| id_order(id));
        ids.sort();
        assert_eq!(by_order, ids);
    }
}
