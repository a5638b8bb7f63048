//! A review's investigation: its months, the review's date, the offences and sentences, the
//! agencies involved, and the rules that tie them to the law in force at the time.

use super::*;

pub(super) fn investigation(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Option<Investigation> {
    let inv = ctx.required("investigation", raw.investigation.as_ref())?;
    let start = ctx.required("investigation.start", inv.start.as_ref());
    let start = start.and(ctx.month("investigation.start", &inv.start));
    let end = ctx.month("investigation.end", &inv.end);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        let message = format!("`investigation.end` ({e}) is before `investigation.start` ({s})");
        ctx.report(Code::DateOrder, "investigation.end", message);
    }
    Some(Investigation { start: start?, end })
}

pub(super) fn review_date(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    inv: Option<&Investigation>,
) -> Option<Date> {
    ctx.required("review_date", raw.review_date.as_ref())?;
    let date = ctx.date("review_date", &raw.review_date)?;
    if let Some(inv) = inv
        && date.month() < inv.start
    {
        let field = ctx.later("investigation.start", "review_date");
        let message = format!(
            "`review_date` ({date}) is before `investigation.start` ({})",
            inv.start
        );
        ctx.report(Code::DateOrder, field, message);
    }
    let id_year = raw
        .id
        .as_deref()
        .and_then(|id| id.get(3..7))
        .and_then(|y| y.parse::<i32>().ok());
    if let Some(year) = id_year.filter(|y| *y != date.year()) {
        let field = ctx.later("id", "review_date");
        let message =
            format!("the year in `id` ({year}) is not the year of `review_date` ({date})");
        let hint = format!(
            "a case review's id carries the year of its review: CR-{}-NNN",
            date.year()
        );
        ctx.report_hint(Code::IdYearMismatch, field, message, hint);
    }
    Some(date)
}

pub(super) fn offences(ctx: &mut Ctx<'_>, raw: &RawCaseReview) -> Vec<Offence> {
    let Some(list) = ctx.required("offences", raw.offences.as_ref()) else {
        return Vec::new();
    };
    if list.is_empty() {
        ctx.report(
            Code::EmptyList,
            "offences",
            "`offences` needs at least one offence",
        );
    }
    let mut out = Vec::new();
    for (i, o) in list.iter().enumerate() {
        let code = ctx.req_term(VocabName::Offences, &format!("offences[{i}].code"), &o.code);
        let outcome = ctx.req_term(
            VocabName::Outcomes,
            &format!("offences[{i}].outcome"),
            &o.outcome,
        );
        if let (Some(code), Some(outcome)) = (code, outcome) {
            out.push(Offence { code, outcome });
        }
    }
    out
}

/// An agency took part in an investigation only while it existed: one formed (or renamed)
/// after the investigation ended, or gone before it began, is named with a warning that gives
/// its predecessor or successor. A review written today may use a partner's current name, so
/// this never blocks a commit.
pub(super) fn agencies_in_existence(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    investigation: &Investigation,
) {
    if investigation
        .end
        .is_some_and(|end| end < investigation.start)
    {
        return; // the reversed dates are reported; they say nothing about which body it was
    }
    let mut named: Vec<(String, &str)> = Vec::new();
    if let Some(code) = raw.lead_agency.as_deref() {
        named.push(("lead_agency".to_owned(), code));
    }
    for (i, a) in raw.agencies.iter().flatten().enumerate() {
        if let Some(code) = a.code.as_deref() {
            named.push((format!("agencies[{i}].code"), code));
        }
    }
    for (field, code) in named {
        if let Some((message, hint)) = outside_its_years(ctx, &field, code, investigation) {
            ctx.report_hint(Code::AgencyOutsideItsYears, &field, message, hint);
        }
    }
}

/// The warning's message and hint when `code` names a body outside the investigation's months.
pub(super) fn outside_its_years(
    ctx: &Ctx<'_>,
    field: &str,
    code: &str,
    investigation: &Investigation,
) -> Option<(String, String)> {
    let vocab = ctx.vocab;
    let (from, until) = vocab.agency_lifetime(code);
    let label = vocab.label(VocabName::Agencies, code);
    let (before, after) = vocab.agency_lineage(code);
    let named = |terms: &[&crate::model::vocab::Term]| {
        terms
            .iter()
            .map(|t| format!("`{}` ({})", t.code, t.label))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match (from, until, investigation.end) {
        (Some(from), _, Some(end)) if end < from => {
            let message = format!(
                "`{field}` is `{code}` ({label}), a name in use from {from}, after the investigation ended ({end})"
            );
            let hint = if before.is_empty() {
                "name the body that did this work at the time (a partnership adds former agencies to `knowledge/vocabulary.yaml` with `until`)".to_owned()
            } else {
                format!("at the time this was {}", named(&before))
            };
            Some((message, hint))
        }
        (_, Some(until), _) if investigation.start > until => {
            let message = format!(
                "`{field}` is `{code}` ({label}), which ceased in {until}, before the investigation began ({})",
                investigation.start
            );
            let hint = match after {
                Some(t) => format!("by then it was `{}` ({})", t.code, t.label),
                None => "name the body that did this work at the time".to_owned(),
            };
            Some((message, hint))
        }
        _ => None,
    }
}

/// The first month the Modern Slavery Act 2015's offences could cover: they apply to conduct
/// from 31 July 2015.
const MSA_OFFENCES_FROM: (i32, u32) = (2015, 7);

/// The offences that MSA 2015 Schedule 1 lists for conduct before 31 July 2015 (a relevant
/// offender, s16), which a review of earlier conduct uses instead of the Act's own: trafficking
/// for sexual exploitation (Sexual Offences Act 2003 ss57-59A) and committing an offence with
/// intent to commit a sexual offence (s62), traffic in prostitution (Nationality, Immigration
/// and Asylum Act 2002 s145), trafficking for exploitation (Asylum and Immigration (Treatment
/// of Claimants, etc.) Act 2004 s4), and slavery, servitude and forced or compulsory labour
/// (Coroners and Justice Act 2009 s71). Each is in the built-in vocabulary.
pub(crate) const EARLIER_OFFENCES: &[&str] = &[
    "SOA2003-s57",
    "SOA2003-s58",
    "SOA2003-s58A",
    "SOA2003-s59",
    "SOA2003-s59A",
    "SOA2003-s62",
    "NIAA2002-s145",
    "AITCA2004-s4",
    "CJA2009-s71",
];

/// A case whose investigation ended before the Act's offences came into force cannot have
/// been charged under them: the [`EARLIER_OFFENCES`] apply.
pub(super) fn before_commencement(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    investigation: &Investigation,
    offences: &[Offence],
) {
    let (year, month) = MSA_OFFENCES_FROM;
    let Some(end) = investigation.end else {
        return;
    };
    if (end.year, end.month) >= (year, month) {
        return;
    }
    for (i, o) in raw.offences.iter().flatten().enumerate() {
        let Some(code) = o.code.as_deref() else {
            continue;
        };
        let is_msa = ["MSA2015-s1", "MSA2015-s2", "MSA2015-s4"].contains(&code)
            && offences.iter().any(|x| x.code == code);
        if is_msa {
            let field = format!("offences[{i}].code");
            let message = format!(
                "`{field}` is `{code}`, but the investigation ended in {end}, before the Modern Slavery Act 2015 offences came into force (31 July 2015)"
            );
            let hint = match EARLIER_OFFENCES.split_last() {
                Some((last, rest)) => {
                    format!(
                        "earlier conduct is charged under {} or {last}",
                        rest.join(", ")
                    )
                }
                None => String::new(),
            };
            let at = ctx.later("investigation.end", &field);
            ctx.report_hint(Code::OffenceBeforeCommencement, at, message, hint);
        }
    }
}

pub(super) fn sentences(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    offences: &[Offence],
) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (i, s) in raw.sentences.iter().flatten().enumerate() {
        let field = format!("sentences[{i}]");
        let offence = ctx.required(&format!("{field}.offence"), s.offence.clone());
        let months = ctx.required(&format!("{field}.custody_months"), s.custody_months);
        let Some(offence) = offence else { continue };
        let listed = raw
            .offences
            .iter()
            .flatten()
            .any(|o| o.code.as_deref() == Some(&offence));
        if !listed {
            let message = format!(
                "`{field}.offence` is `{offence}`, which is not one of the review's `offences`"
            );
            let hint =
                "add the offence to `offences` or correct the sentence's offence code".to_owned();
            ctx.report_hint(
                Code::SentenceOffence,
                &format!("{field}.offence"),
                message,
                hint,
            );
        } else if let Some(custody_months) = months
            && offences.iter().any(|o| o.code == offence)
        {
            out.push(Sentence {
                offence,
                custody_months,
            });
        }
    }
    out
}

pub(super) fn agencies(
    ctx: &mut Ctx<'_>,
    raw: &RawCaseReview,
    lead: Option<&str>,
) -> Vec<Involvement> {
    let Some(list) = ctx.required("agencies", raw.agencies.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, a) in list.iter().enumerate() {
        let code = ctx.req_term(VocabName::Agencies, &format!("agencies[{i}].code"), &a.code);
        let role = ctx.required_closed(&format!("agencies[{i}].role"), &a.role);
        if let (Some(code), Some(role)) = (code, role) {
            out.push(Involvement { code, role });
        }
    }
    let lead_listed = |lead: &str| {
        list.iter()
            .any(|a| a.code.as_deref() == Some(lead) && a.role.as_deref() == Some("lead"))
    };
    if let Some(lead) = lead.filter(|l| !lead_listed(l)) {
        let lead = one_line(lead);
        let message =
            format!("`lead_agency` is `{lead}` but `agencies` does not list it with role `lead`");
        let hint = format!("add `- {{code: {lead}, role: lead}}` to `agencies`");
        let field = ctx.later("lead_agency", "agencies");
        ctx.report_hint(Code::LeadAgencyNotListed, field, message, hint);
    }
    out
}
