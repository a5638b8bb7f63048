//! `agency_powers`: what a partner agency can do, on what legal basis, and how to engage it.

use serde::Serialize;

use crate::diagnostic::Code;

use super::date::Date;
use super::enums::Jurisdiction;
use super::raw::RawAgencyPowers;
use super::validate::Ctx;
use super::vocab::VocabName;

/// A validated agency powers note.
#[derive(Debug, Clone, Serialize)]
pub struct AgencyPowers {
    /// Agency code; the id is `AG-` + this.
    pub agency: String,
    /// Full name.
    pub name: String,
    /// Sponsoring department.
    pub parent_body: Option<String>,
    /// Where its powers run.
    pub jurisdiction: Jurisdiction,
    /// One paragraph on what it does.
    pub remit: String,
    /// Acts and sections its powers come from.
    pub legal_bases: Vec<LegalBasis>,
    /// Its powers.
    pub powers: Vec<Power>,
    /// NRM first responder.
    pub first_responder: bool,
    /// Under the s52 duty to notify.
    pub duty_to_notify: bool,
    /// May apply for STPO/STRO.
    pub order_applicant: bool,
    /// How to engage it.
    pub engagement: Engagement,
    /// What it cannot do.
    pub limits: Vec<String>,
    /// When the note was last checked against the law and practice.
    pub last_verified: Date,
}

/// One legal basis.
#[derive(Debug, Clone, Serialize)]
pub struct LegalBasis {
    /// The Act or instrument.
    pub act: String,
    /// Section(s).
    pub section: String,
    /// What it provides.
    pub summary: String,
}

/// One power.
#[derive(Debug, Clone, Serialize)]
pub struct Power {
    /// Power-type code.
    #[serde(rename = "type")]
    pub power_type: String,
    /// Where it comes from.
    pub basis: String,
    /// Whether a warrant is needed.
    pub warrant_required: bool,
    /// Conditions and practice.
    pub notes: Option<String>,
}

/// `engagement`.
#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    /// How to reach the agency.
    pub route: String,
    /// The single point of contact's role (never a name).
    pub spoc_role: String,
}

/// Validates an agency powers note's own fields.
pub fn validate(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Option<AgencyPowers> {
    let agency = ctx.req_term(VocabName::Agencies, "agency", &raw.agency);
    if let (Some(agency), Some(id)) = (&agency, &raw.id) {
        let expected = format!("AG-{agency}");
        if *id != expected {
            let field = ctx.later("id", "agency");
            let message = format!("`id` is `{id}` but `agency` is `{agency}`");
            ctx.report_hint(
                Code::AgencyIdMismatch,
                field,
                message,
                format!("the id of this note is `{expected}`"),
            );
        }
    }
    let name = ctx.text("name", &raw.name);
    let jurisdiction = ctx.required_closed("jurisdiction", &raw.jurisdiction);
    let remit = ctx.text("remit", &raw.remit);
    let legal_bases = legal_bases(ctx, raw);
    let powers = powers(ctx, raw);
    let first_responder = ctx.required("first_responder", raw.first_responder);
    let duty_to_notify = ctx.required("duty_to_notify", raw.duty_to_notify);
    let order_applicant = ctx.required("order_applicant", raw.order_applicant);
    let engagement = ctx
        .required("engagement", raw.engagement.as_ref())
        .and_then(|e| {
            let route = ctx.text("engagement.route", &e.route);
            let spoc_role = ctx.text("engagement.spoc_role", &e.spoc_role);
            Some(Engagement {
                route: route?,
                spoc_role: spoc_role?,
            })
        });
    let last_verified = ctx.past_date("last_verified", &raw.last_verified);
    if let Some(date) = last_verified {
        let months = date.months_until(ctx.today);
        if months >= 12 {
            let message =
                format!("powers note not verified for {months} months (`last_verified` is {date})");
            let hint =
                "check the note against current law and practice, then update `last_verified`"
                    .to_owned();
            ctx.report_hint(Code::StalePowersNote, "last_verified", message, hint);
        }
    }
    Some(AgencyPowers {
        agency: agency?,
        name: name?,
        parent_body: raw.parent_body.clone(),
        jurisdiction: jurisdiction?,
        remit: remit?,
        legal_bases,
        powers,
        first_responder: first_responder?,
        duty_to_notify: duty_to_notify?,
        order_applicant: order_applicant?,
        engagement: engagement?,
        limits: raw.limits.clone().unwrap_or_default(),
        last_verified: last_verified?,
    })
}

fn legal_bases(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Vec<LegalBasis> {
    let Some(list) = ctx.required("legal_bases", raw.legal_bases.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "legal_bases",
            "`legal_bases` needs at least one legal basis",
        );
    }
    let mut out = Vec::new();
    for (i, b) in list.iter().enumerate() {
        let act = ctx.text(&format!("legal_bases[{i}].act"), &b.act);
        let section = ctx.text(&format!("legal_bases[{i}].section"), &b.section);
        let summary = ctx.text(&format!("legal_bases[{i}].summary"), &b.summary);
        if let (Some(act), Some(section), Some(summary)) = (act, section, summary) {
            out.push(LegalBasis {
                act,
                section,
                summary,
            });
        }
    }
    out
}

fn powers(ctx: &mut Ctx<'_>, raw: &RawAgencyPowers) -> Vec<Power> {
    let Some(list) = ctx.required("powers", raw.powers.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "powers",
            "`powers` needs at least one power",
        );
    }
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let power_type = ctx.req_term(
            VocabName::PowerTypes,
            &format!("powers[{i}].type"),
            &p.power_type,
        );
        let basis = ctx.text(&format!("powers[{i}].basis"), &p.basis);
        let warrant = ctx.required(&format!("powers[{i}].warrant_required"), p.warrant_required);
        if let (Some(power_type), Some(basis), Some(warrant_required)) =
            (power_type, basis, warrant)
        {
            out.push(Power {
                power_type,
                basis,
                warrant_required,
                notes: p.notes.clone(),
            });
        }
    }
    out
}
