//! The labels of every code a document uses, for its JSON.

use super::*;

/// Every code the document uses, by vocabulary, with its label: what `/api/documents/{id}`
/// gives beside the front matter, so a client shows words, not codes.
pub(super) fn document_labels(
    ctx: &Ctx<'_>,
    d: &Document,
) -> std::collections::BTreeMap<&'static str, std::collections::BTreeMap<String, String>> {
    let mut out: std::collections::BTreeMap<
        &'static str,
        std::collections::BTreeMap<String, String>,
    > = Default::default();
    let mut closed = |name: &'static str, code: &str, label: &str| {
        out.entry(name)
            .or_default()
            .insert(code.to_owned(), label.to_owned());
    };
    let c = &d.common;
    closed("kind", c.kind.code(), c.kind.label());
    closed("marking", c.marking.code(), c.marking.label());
    closed("status", c.status.code(), c.status.label());
    let mut open: Vec<(VocabName, String)> = vec![(VocabName::Agencies, c.owner.clone())];
    let mut countries: Vec<&String> = Vec::new();
    match &d.data {
        KindData::CaseReview(r) => {
            closed("review_type", r.review_type.code(), r.review_type.label());
            open.push((VocabName::Agencies, r.lead_agency.clone()));
            open.extend(r.areas.iter().map(|a| (VocabName::Areas, a.clone())));
            open.extend(
                r.exploitation
                    .iter()
                    .map(|e| (VocabName::Exploitation, e.clone())),
            );
            for o in &r.offences {
                open.push((VocabName::Offences, o.code.clone()));
                open.push((VocabName::Outcomes, o.outcome.clone()));
            }
            open.push((VocabName::ReferralSources, r.referral_source.clone()));
            open.push((VocabName::Outcomes, r.outcome.clone()));
            for a in &r.agencies {
                open.push((VocabName::Agencies, a.code.clone()));
                closed("agency_role", a.role.code(), a.role.label());
            }
            for role in &r.perpetrators.roles {
                closed("perpetrator_role", role.code(), role.label());
            }
            open.extend(r.themes.iter().map(|t| (VocabName::Themes, t.clone())));
            for rec in &r.recommendations {
                open.push((VocabName::Agencies, rec.owner.clone()));
                closed(
                    "recommendation_status",
                    rec.status.code(),
                    rec.status.label(),
                );
            }
            open.extend(
                r.sentences
                    .iter()
                    .map(|s| (VocabName::Offences, s.offence.clone())),
            );
            countries.extend(r.victims.nationalities.keys());
            countries.extend(r.perpetrators.nationalities.keys());
        }
        KindData::OrderRecord(o) => {
            closed("order_type", o.order_type.code(), o.order_type.label());
            closed("basis", o.basis.code(), o.basis.label());
            closed("court", o.court.code(), o.court.label());
            closed(
                "order_status",
                o.order_status.code(),
                o.order_status.label(),
            );
            if let Some(a) = o.applicant {
                closed("applicant", a.code(), a.label());
            }
            open.extend(
                o.prohibitions
                    .iter()
                    .map(|p| (VocabName::Prohibitions, p.clone())),
            );
            open.extend(o.areas.iter().map(|a| (VocabName::Areas, a.clone())));
            open.extend(
                o.exploitation
                    .iter()
                    .map(|e| (VocabName::Exploitation, e.clone())),
            );
            if let Some(f) = &o.foreign_travel {
                closed("travel_scope", f.scope.code(), f.scope.label());
            }
            if let Some(s) = &o.subject {
                if let Some(a) = s.age_band {
                    closed("age_band", a.code(), a.label());
                }
                if let Some(x) = s.sex {
                    closed("sex", x.code(), x.label());
                }
            }
            if let Some(m) = &o.management {
                closed(
                    "review_frequency",
                    m.review_frequency.code(),
                    m.review_frequency.label(),
                );
                open.extend(m.partners.iter().map(|p| (VocabName::Agencies, p.clone())));
            }
            for b in &o.breaches {
                open.extend(
                    b.prohibition
                        .iter()
                        .map(|p| (VocabName::Prohibitions, p.clone())),
                );
                if let Some(r) = b.requirement {
                    closed("requirement", r.code(), r.label());
                }
                closed("breach_action", b.action.code(), b.action.label());
            }
            for e in &o.events {
                closed("event", e.event.code(), e.event.label());
            }
        }
        KindData::AgencyPowers(a) => {
            open.push((VocabName::Agencies, a.agency.clone()));
            closed(
                "jurisdiction",
                a.jurisdiction.code(),
                a.jurisdiction.label(),
            );
            open.extend(
                a.powers
                    .iter()
                    .map(|p| (VocabName::PowerTypes, p.power_type.clone())),
            );
        }
    }
    for (name, code) in open {
        let label = ctx.label(name, &code);
        out.entry(vocab_key(name)).or_default().insert(code, label);
    }
    for code in countries {
        out.entry("countries")
            .or_default()
            .insert(code.clone(), crate::model::countries::name(code));
    }
    out
}

/// The name of a vocabulary as `vocabulary.yaml` spells it.
pub(super) fn vocab_key(name: VocabName) -> &'static str {
    match name {
        VocabName::Exploitation => "exploitation",
        VocabName::Areas => "areas",
        VocabName::Agencies => "agencies",
        VocabName::Offences => "offences",
        VocabName::Outcomes => "outcomes",
        VocabName::ReferralSources => "referral_sources",
        VocabName::Themes => "themes",
        VocabName::Prohibitions => "prohibitions",
        VocabName::PowerTypes => "power_types",
        VocabName::Synonyms => "synonyms",
    }
}
