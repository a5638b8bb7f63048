//! What an agency note's page shows: its powers grouped by type, each with where it runs.

use super::*;

#[derive(Serialize)]
pub(super) struct AgencyPowerGroup {
    code: String,
    label: String,
    anchor: String,
    /// The page listing every agency with this power.
    url: String,
    /// Whether a warrant can apply to this power at all (not to applying for an order).
    warrant: bool,
    powers: Vec<super::powers::PowerBasis>,
}

#[derive(Serialize)]
pub(super) struct AgencyCtx {
    name: String,
    powers: Vec<AgencyPowerGroup>,
    legal_bases: Vec<Fact>,
    limits: Vec<String>,
    order_applicant: bool,
    /// What an officer needs to know about applying for an STPO or STRO through this agency.
    applicant_text: String,
    route: String,
    spoc_role: String,
    last_verified: String,
    stale_months: Option<i64>,
}

pub(super) fn agency_ctx(
    ctx: &Ctx<'_>,
    a: &crate::model::agency_powers::AgencyPowers,
) -> AgencyCtx {
    let powers = a
        .power_types()
        .into_iter()
        .map(|code| AgencyPowerGroup {
            code: code.to_owned(),
            label: ctx.label(VocabName::PowerTypes, code),
            anchor: super::powers::anchor(code),
            url: crate::model::vocab::power_url(code),
            warrant: ctx
                .input
                .vocab
                .get(VocabName::PowerTypes, code)
                .is_none_or(|t| t.warrant != Some(false)),
            powers: a
                .powers
                .iter()
                .filter(|p| p.power_type == code)
                .map(|p| super::powers::PowerBasis::of(a, p))
                .collect(),
        })
        .collect();
    let applicant_notes: Vec<&str> = a
        .powers
        .iter()
        .filter(|p| p.power_type == "order-applicant")
        .filter_map(|p| p.notes.as_deref())
        .collect();
    let applicant_text = if a.order_applicant {
        let mut t = format!(
            "{} can apply to a magistrates' court for a Slavery and Trafficking Prevention Order (Modern Slavery Act 2015 s15) or Risk Order (s23), and for interim orders (ss21, 28).",
            a.name
        );
        for n in applicant_notes {
            t.push(' ');
            t.push_str(n);
        }
        t
    } else {
        format!(
            "{} cannot apply for an STPO or STRO itself. Only a chief officer of police, an immigration officer, the Director General of the National Crime Agency or the Gangmasters and Labour Abuse Authority may apply (Modern Slavery Act 2015 ss15, 23); bring the evidence to the police or one of them. A court can also make an STPO on sentencing (s14).",
            a.name
        )
    };
    AgencyCtx {
        name: a.name.clone(),
        powers,
        legal_bases: a
            .legal_bases
            .iter()
            .map(|b| fact(format!("{} {}", b.act, b.section), &b.summary))
            .collect(),
        limits: a.limits.clone(),
        order_applicant: a.order_applicant,
        applicant_text,
        route: a.engagement.route.clone(),
        spoc_role: a.engagement.spoc_role.clone(),
        last_verified: a.last_verified.to_string(),
        stale_months: a.stale_months(ctx.input.today),
    }
}
