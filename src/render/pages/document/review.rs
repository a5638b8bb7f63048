//! What a case review's page shows beside its text: the facts of the case in words.

use super::*;

/// A country's name for a nationality count.
pub(super) fn countries(map: &std::collections::BTreeMap<String, u32>) -> String {
    map.iter()
        .map(|(code, n)| format!("{} {n}", crate::model::countries::name(code)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The case in figures: victims, perpetrators, NRM, offences and sentences, agencies' roles.
pub(super) fn review_facts(
    ctx: &Ctx<'_>,
    r: &crate::model::case_review::CaseReview,
) -> Vec<(&'static str, Vec<Fact>)> {
    let v = &r.victims;
    let mut victims = vec![fact("Victims", v.total)];
    for (label, n) in [
        ("Adults", v.adults),
        ("Children", v.children),
        ("Female", v.female),
        ("Male", v.male),
    ] {
        if let Some(n) = n {
            victims.push(fact(label, n));
        }
    }
    if !v.nationalities.is_empty() {
        victims.push(fact("Nationalities", countries(&v.nationalities)));
    }
    let p = &r.perpetrators;
    let mut perpetrators = vec![fact("Perpetrators", p.total)];
    if !p.roles.is_empty() {
        let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
        perpetrators.push(fact("Roles", roles.join(", ")));
    }
    if let Some(ocg) = p.ocg {
        perpetrators.push(fact("Organised crime group", yes_no(ocg)));
    }
    if !p.nationalities.is_empty() {
        perpetrators.push(fact("Nationalities", countries(&p.nationalities)));
    }
    let mut nrm = Vec::new();
    if let Some(n) = &r.nrm {
        for (label, value) in [
            ("NRM referrals", n.referrals),
            ("Positive reasonable grounds decisions", n.positive_rg),
            ("Positive conclusive grounds decisions", n.positive_cg),
            ("Duty to notify (MS1) reports", n.dtn_ms1),
            ("Adults who declined a referral", n.declined),
        ] {
            if let Some(value) = value {
                nrm.push(fact(label, value));
            }
        }
    }
    let offences = r
        .offences
        .iter()
        .map(|o| {
            fact(
                ctx.label(VocabName::Offences, &o.code),
                ctx.label(VocabName::Outcomes, &o.outcome),
            )
        })
        .collect();
    let sentences = r
        .sentences
        .iter()
        .map(|s| {
            fact(
                ctx.label(VocabName::Offences, &s.offence),
                custody(s.custody_months),
            )
        })
        .collect();
    let agencies = r
        .agencies
        .iter()
        .map(|a| fact(ctx.label(VocabName::Agencies, &a.code), a.role.label()))
        .collect();
    vec![
        ("Victims", victims),
        ("Perpetrators", perpetrators),
        ("National Referral Mechanism", nrm),
        ("Offences and outcomes", offences),
        ("Sentences", sentences),
        ("Agencies and their roles", agencies),
    ]
    .into_iter()
    .filter(|(_, facts)| !facts.is_empty())
    .collect()
}

/// A custodial term in words: `5 years 6 months`, `18 months`.
pub(super) fn custody(months: u32) -> String {
    let (years, rest) = (months / 12, months % 12);
    let plural = |n: u32, unit: &str| count(n.into(), unit, &format!("{unit}s"));
    match (years, rest) {
        (0, m) => format!("{} custody", plural(m, "month")),
        (y, 0) => format!("{} custody", plural(y, "year")),
        (y, m) => format!("{} {} custody", plural(y, "year"), plural(m, "month")),
    }
}
